#ifndef KSQL_JAVATEXT_C
#define KSQL_JAVATEXT_C
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "number.h"

#if !defined(JAVA_PLAIN_MIN) || !defined(JAVA_PLAIN_MAX)
#error "JAVA_PLAIN_MIN and JAVA_PLAIN_MAX come from formats/javatext.py (see formats/native/__init__.py)"
#endif

/* Java's Double.toString (java_double(x: float) -> str) from Python's shortest repr digits (the same
   digits javatext.java_double uses): plain for magnitudes in [JAVA_PLAIN_MIN, JAVA_PLAIN_MAX), else d.dddE[-]n.
   The bounds come from formats/javatext.py (the build passes them as -D flags): the rule lives there. */
/* The shortest round-trip digits of d when it has at most 15 significant digits (numbers read from
   text mostly do), without the general algorithm: M = round(|d| * 10^k) as a 15-digit integer; if M / 10^k
   (one correctly rounded IEEE operation on exact operands) gives |d| back, M's digits are repr's, since no
   two distinct 15-digit decimals share a double (DBL_DIG). 0 when it does not apply. */
static int shortest15(double d, char *digits, int *nd, int *decpt) {
    double a = fabs(d);
    if (!(a >= 1e-300 && a < 1e300)) return 0;
    int e = (int)floor(log10(a));
    int k = 14 - e;
    if (k < -22 || k > 22) return 0;
    double m = k >= 0 ? a * POW10[k] : a / POW10[-k];
    if (m < 99999999999999.5 && k < 22) { /* log10 rounded up: one digit short */
        e--;
        k++;
        m = k >= 0 ? a * POW10[k] : a / POW10[-k];
    } else if (m >= 999999999999999.5 && k > -22) { /* rounded down: one digit too many */
        e++;
        k--;
        m = k >= 0 ? a * POW10[k] : a / POW10[-k];
    }
    double mr = nearbyint(m);
    if (mr < 1e14 || mr >= 1e15) return 0;
    double back = k >= 0 ? mr / POW10[k] : mr * POW10[-k];
    if (back != a) return 0;
    long long M = (long long)mr;
    char t[16];
    for (int i = 14; i >= 0; i--) {
        t[i] = (char)('0' + M % 10);
        M /= 10;
    }
    int n = 15;
    while (n > 1 && t[n - 1] == '0') n--;
    memcpy(digits, t, (size_t)n);
    *nd = n;
    *decpt = e + 1;
    return 1;
}

/* The repr path's digits of the last doubles that took it, direct-mapped by their bits: a query writes
   the same constant (a model's threshold, 17 digits) in every row, and the repr round trip
   (PyOS_double_to_string and its allocation) costs more than the rest of the row's text. Same bits, same
   digits, so the text is unchanged; callers hold the GIL. */
#define REPR_SLOTS 64
typedef struct {
    unsigned long long bits;
    int used, nd, decpt, neg;
    char digits[32];
} ReprDigits;
static ReprDigits repr_cache[REPR_SLOTS];

static inline ReprDigits *repr_slot(unsigned long long bits) {
    unsigned long long h = bits ^ (bits >> 29) ^ (bits >> 47);
    return &repr_cache[h & (REPR_SLOTS - 1)];
}

static int java_double_text(double d, char *buf) {
    if (d != d) return (int)(strcpy(buf, "NaN"), 3);
    if (d == HUGE_VAL) return (int)(strcpy(buf, "Infinity"), 8);
    if (d == -HUGE_VAL) return (int)(strcpy(buf, "-Infinity"), 9);
    if (d == 0.0) return signbit(d) ? (int)(strcpy(buf, "-0.0"), 4) : (int)(strcpy(buf, "0.0"), 3);
    if (d == 5e-324) return (int)(strcpy(buf, "4.9E-324"), 8); /* Java prints MIN_VALUE with two digits */
    if (d == -5e-324) return (int)(strcpy(buf, "-4.9E-324"), 9);
    char digits[32];
    int nd = 0, decpt = 0, neg = 0, seen_point = 0;
    double a0 = fabs(d);
    if (a0 >= 9007199254740992.0 && a0 < 9223372036854775808.0 && a0 == floor(a0)) {
        /* JDK 17's integer path (javatext._long_path): the integer's digits, the insignificant ones for
           the binary exponent rounded away half up; not the shortest digits */
        static const int insignificant[] = {0, 0, 0, 0, 1, 1, 1, 2, 2};
        int e2;
        frexp(a0, &e2);
        int p2 = e2 - 1 - 54;
        int insig = p2 > 1 ? insignificant[p2] : 0;
        unsigned long long lv = (unsigned long long)a0;
        if (insig) {
            unsigned long long p10 = insig == 1 ? 10ULL : 100ULL;
            unsigned long long residue = lv % p10;
            lv /= p10;
            if (residue >= p10 / 2) lv++;
        }
        char t[24];
        int n = snprintf(t, sizeof(t), "%llu", lv);
        decpt = insig + n;
        while (n > 1 && t[n - 1] == '0') n--;
        memcpy(digits, t, (size_t)n);
        nd = n;
        neg = d < 0;
        goto format;
    }
    unsigned long long bits;
    memcpy(&bits, &d, sizeof bits);
    ReprDigits *slot = repr_slot(bits);
    if (slot->used && slot->bits == bits) {
        nd = slot->nd;
        decpt = slot->decpt;
        neg = slot->neg;
        memcpy(digits, slot->digits, (size_t)nd);
        goto format;
    }
    if (shortest15(d, digits, &nd, &decpt)) {
        neg = d < 0;
        goto format;
    }
    /* repr's shortest round-trip digits, then the point's position: [-]DDD[.DDD][e[+-]XX] */
    char *r = PyOS_double_to_string(d, 'r', 0, 0, NULL);
    if (r == NULL) return -1;
    const char *q = r;
    if (*q == '-') { neg = 1; q++; }
    for (; *q && *q != 'e'; q++) {
        if (*q == '.') { seen_point = 1; continue; }
        if (nd == 0 && *q == '0') { /* a leading zero: 0.000ddd */
            if (seen_point) decpt--;
            continue;
        }
        if (nd < 31) digits[nd++] = *q;
        if (!seen_point) decpt++;
    }
    if (*q == 'e') decpt += atoi(q + 1);
    PyMem_Free(r);
    while (nd > 1 && digits[nd - 1] == '0') nd--; /* 12345678.0: trailing zeros are no digits */
    if (nd == 0) return neg ? (int)(strcpy(buf, "-0.0"), 4) : (int)(strcpy(buf, "0.0"), 3);
    slot->bits = bits;
    slot->used = 1;
    slot->nd = nd;
    slot->decpt = decpt;
    slot->neg = neg;
    memcpy(slot->digits, digits, (size_t)nd);
format:;
    int k = 0;
    if (neg) buf[k++] = '-';
    double a = fabs(d);
    if (a >= JAVA_PLAIN_MIN && a < JAVA_PLAIN_MAX) {
        if (decpt <= 0) { /* 0.000ddd */
            buf[k++] = '0';
            buf[k++] = '.';
            for (int i = 0; i < -decpt; i++) buf[k++] = '0';
            memcpy(buf + k, digits, (size_t)nd);
            k += nd;
        } else if (decpt >= nd) { /* ddd00.0 */
            memcpy(buf + k, digits, (size_t)nd);
            k += nd;
            for (int i = nd; i < decpt; i++) buf[k++] = '0';
            buf[k++] = '.';
            buf[k++] = '0';
        } else { /* dd.ddd */
            memcpy(buf + k, digits, (size_t)decpt);
            k += decpt;
            buf[k++] = '.';
            memcpy(buf + k, digits + decpt, (size_t)(nd - decpt));
            k += nd - decpt;
        }
    } else {
        buf[k++] = digits[0];
        buf[k++] = '.';
        if (nd > 1) {
            memcpy(buf + k, digits + 1, (size_t)(nd - 1));
            k += nd - 1;
        } else {
            buf[k++] = '0';
        }
        k += snprintf(buf + k, 12, "E%d", decpt - 1);
    }
    buf[k] = '\0';
    return k;
}

static PyObject *java_double(PyObject *self, PyObject *arg) {
    double d = PyFloat_AsDouble(arg);
    if (d == -1.0 && PyErr_Occurred()) return NULL;
    char buf[40];
    int k = java_double_text(d, buf);
    if (k < 0) return NULL;
    return PyUnicode_FromStringAndSize(buf, k);
}
#endif
