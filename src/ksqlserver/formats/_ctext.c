/* The engine's C helpers for text formats: the common DELIMITED line decoder (see fast_delimited.py for
   the contract) and Java's Double.toString (see javatext.py).

   decode(spec, data) -> list | None
     spec: bytes; spec[0] is the delimiter, spec[1:] one code per column:
           'D' DOUBLE, 'I' INTEGER/BIGINT, 'S' STRING, 'B' BOOLEAN; in lower case, a column the query
           never reads: checked exactly as the upper-case code would parse it, and given as None.
     data: the record value (bytes).
   It returns the values the generic decoder (formats/delimited.py) would give, or None whenever it cannot
   be sure of that: empty or doubled-quote fields, whitespace or `_` in numbers, inf/nan text, numbers out
   of range, invalid UTF-8, CR/LF/NUL anywhere (the csv module's business), a wrong field count. Every None goes to the generic
   decoder, which then decides (and words any error).

   Numbers: the grammar accepted is a strict subset of what Python's float()/int() accept. A DOUBLE with at
   most 15 significant digits and a decimal exponent within +-22 is one exact IEEE multiplication or
   division of two exactly representable values, hence correctly rounded like float() (Clinger's fast
   path); any other DOUBLE text goes through strtod_l in the C locale, which glibc rounds correctly too. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <math.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static locale_t c_locale = (locale_t)0;

static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }

/* 1 and *out set, or 0: not a number this decoder may answer for. */
static int parse_double(const char *p, Py_ssize_t n, double *out) {
    Py_ssize_t i = 0;
    int neg = 0;
    if (n == 0 || n > 64) return 0;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
    }
    unsigned long long mant = 0;
    int sig = 0;    /* significant digits kept in mant (leading zeros not counted) */
    int digits = 0; /* all digits seen in the mantissa */
    int frac = 0;   /* digits after the point */
    int exact = 1;  /* mant holds every significant digit */
    for (; i < n && p[i] == '0'; i++) digits++; /* leading zeros */
    for (; i < n && is_digit(p[i]); i++) {
        digits++;
        if (sig < 19) { mant = mant * 10 + (unsigned)(p[i] - '0'); sig++; } else exact = 0;
    }
    if (i < n && p[i] == '.') {
        i++;
        if (mant == 0)
            for (; i < n && p[i] == '0'; i++) { digits++; frac++; } /* 0.000ddd */
        for (; i < n && is_digit(p[i]); i++) {
            digits++;
            frac++;
            if (sig < 19) { mant = mant * 10 + (unsigned)(p[i] - '0'); sig++; } else exact = 0;
        }
    }
    if (digits == 0) return 0;
    long e10 = 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < n && (p[i] == '-' || p[i] == '+')) { eneg = p[i] == '-'; i++; }
        int ed = 0;
        for (; i < n && is_digit(p[i]); i++) {
            if (e10 < 100000) e10 = e10 * 10 + (p[i] - '0');
            ed++;
        }
        if (ed == 0) return 0;
        if (eneg) e10 = -e10;
    }
    if (i != n) return 0;
    long e = e10 - frac;
    if (exact && sig <= 15 && e >= -22 && e <= 22) {
        double v = (double)mant; /* exact: mant < 10^15 < 2^53 */
        v = e < 0 ? v / POW10[-e] : v * POW10[e];
        *out = neg ? -v : v;
        return 1;
    }
    char buf[72];
    memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod_l(buf, &end, c_locale);
    if (errno == ERANGE || end != buf + n) return 0;
    *out = v;
    return 1;
}

/* -> new reference, or NULL without an exception set: decline. */
static PyObject *parse_int(const char *p, Py_ssize_t n) {
    Py_ssize_t i = 0;
    int neg = 0;
    if (n == 0) return NULL;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
    }
    if (n - i < 1 || n - i > 18) return NULL;
    long long v = 0;
    for (; i < n; i++) {
        if (!is_digit(p[i])) return NULL;
        v = v * 10 + (p[i] - '0');
    }
    return PyLong_FromLongLong(neg ? -v : v);
}

/* the grammar parse_double accepts, without the arithmetic: for columns the query never reads (any such
   text is a number to float(), so no range check is needed) */
static int valid_double(const char *p, Py_ssize_t n) {
    Py_ssize_t i = (n > 0 && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
    Py_ssize_t start = i;
    while (i < n && is_digit(p[i])) i++;
    Py_ssize_t digits = i - start;
    if (i < n && p[i] == '.') {
        Py_ssize_t f = ++i;
        while (i < n && is_digit(p[i])) i++;
        digits += i - f;
    }
    if (digits == 0) return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '-' || p[i] == '+')) i++;
        Py_ssize_t e = i;
        while (i < n && is_digit(p[i])) i++;
        if (i == e) return 0;
    }
    return i == n;
}

static int valid_int(const char *p, Py_ssize_t n) {
    Py_ssize_t i = (n > 0 && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
    if (n - i < 1 || n - i > 18) return 0;
    for (; i < n; i++)
        if (!is_digit(p[i])) return 0;
    return 1;
}

static int valid_bool(const char *p, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c >= 0x7f) return 0;
    }
    return 1;
}

/* strict UTF-8 as Python's decoder: no overlongs, no surrogates, nothing above U+10FFFF */
static int valid_utf8(const unsigned char *p, Py_ssize_t n) {
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) { i++; continue; }
        int k;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else return 0;
        for (int j = 1; j <= k; j++) {
            if (i + j >= n || (p[i + j] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if (k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
        if (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
        i += k + 1;
    }
    return 1;
}

static PyObject *parse_bool(const char *p, Py_ssize_t n) {
    /* the generic parser is s.strip().lower() == "true": answer only for text without whitespace */
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c >= 0x7f) return NULL;
    }
    int t = n == 4 && (p[0] | 0x20) == 't' && (p[1] | 0x20) == 'r' && (p[2] | 0x20) == 'u' &&
            (p[3] | 0x20) == 'e';
    return PyBool_FromLong(t);
}

static PyObject *decode(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyBytes_Check(args[0]) || !PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "decode(spec: bytes, data: bytes)");
        return NULL;
    }
    const char *spec = PyBytes_AS_STRING(args[0]);
    Py_ssize_t ncols = PyBytes_GET_SIZE(args[0]) - 1;
    if (ncols < 1) {
        PyErr_SetString(PyExc_ValueError, "spec needs a delimiter and at least one column code");
        return NULL;
    }
    const char delim = spec[0];
    const char *codes = spec + 1;
    const char *data = PyBytes_AS_STRING(args[1]);
    const Py_ssize_t len = PyBytes_GET_SIZE(args[1]);
    if (len == 0 || memchr(data, '\n', (size_t)len) || memchr(data, '\r', (size_t)len) ||
        memchr(data, '\0', (size_t)len))
        Py_RETURN_NONE;

    PyObject *row = PyList_New(ncols);
    if (row == NULL) return NULL;
    Py_ssize_t pos = 0, col = 0;
    for (;;) {
        if (col >= ncols) goto decline; /* a field too many */
        const char *f;
        Py_ssize_t flen;
        if (pos < len && data[pos] == '"') {
            const char *close = memchr(data + pos + 1, '"', (size_t)(len - pos - 1));
            if (close == NULL) goto decline;
            f = data + pos + 1;
            flen = close - f;
            pos = close - data + 1;
            /* a closing quote must end the field: `"a""b"` and `"a"b` are the generic decoder's */
            if (pos < len && data[pos] != delim) goto decline;
        } else {
            const char *end = memchr(data + pos, delim, (size_t)(len - pos));
            Py_ssize_t stop = end == NULL ? len : end - data;
            f = data + pos;
            flen = stop - pos;
            pos = stop;
            if (memchr(f, '"', (size_t)flen) != NULL) goto decline; /* a quote inside a plain field */
        }
        if (flen == 0) goto decline; /* an empty field is null: the generic decoder */
        PyObject *v = NULL;
        char code = codes[col];
        if (code >= 'a') { /* a column the query never reads: validated as the generic decoder would, kept as None */
            int ok = 0;
            switch (code) {
            case 'd':
                ok = valid_double(f, flen);
                break;
            case 'i':
                ok = valid_int(f, flen);
                break;
            case 'b':
                ok = valid_bool(f, flen);
                break;
            case 's':
                ok = valid_utf8((const unsigned char *)f, flen);
                break;
            default:
                break;
            }
            if (!ok) goto decline;
            Py_INCREF(Py_None);
            PyList_SET_ITEM(row, col, Py_None);
            col++;
            if (pos >= len) break;
            pos++;
            if (pos == len) goto decline;
            continue;
        }
        switch (code) {
        case 'D': {
            double d;
            if (parse_double(f, flen, &d)) v = PyFloat_FromDouble(d);
            break;
        }
        case 'I':
            v = parse_int(f, flen);
            break;
        case 'B':
            v = parse_bool(f, flen);
            break;
        case 'S':
            v = PyUnicode_DecodeUTF8(f, flen, "strict");
            if (v == NULL) PyErr_Clear(); /* invalid UTF-8: the generic decoder reports it */
            break;
        default:
            break;
        }
        if (v == NULL) {
            if (PyErr_Occurred() && PyErr_ExceptionMatches(PyExc_MemoryError)) {
                Py_DECREF(row);
                return NULL;
            }
            PyErr_Clear();
            goto decline;
        }
        PyList_SET_ITEM(row, col, v);
        col++;
        if (pos >= len) break;
        pos++; /* the delimiter */
        if (pos == len) goto decline; /* a trailing delimiter: an empty last field */
    }
    if (col != ncols) goto decline;
    return row;
decline:
    Py_DECREF(row);
    Py_RETURN_NONE;
}


/* Java's Double.toString (java_double(x: float) -> str) from Python's shortest repr digits (the same
   digits javatext.java_double uses): plain between 1e-3 and 1e7, else d.dddE[-]n. */
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

static int java_double_text(double d, char *buf) {
    if (d != d) return (int)(strcpy(buf, "NaN"), 3);
    if (d == HUGE_VAL) return (int)(strcpy(buf, "Infinity"), 8);
    if (d == -HUGE_VAL) return (int)(strcpy(buf, "-Infinity"), 9);
    if (d == 0.0) return signbit(d) ? (int)(strcpy(buf, "-0.0"), 4) : (int)(strcpy(buf, "0.0"), 3);
    if (d == 5e-324) return (int)(strcpy(buf, "4.9E-324"), 8); /* Java prints MIN_VALUE with two digits */
    if (d == -5e-324) return (int)(strcpy(buf, "-4.9E-324"), 9);
    char digits[32];
    int nd = 0, decpt = 0, neg = 0, seen_point = 0;
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
format:;
    int k = 0;
    if (neg) buf[k++] = '-';
    double a = fabs(d);
    if (a >= 1e-3 && a < 1e7) {
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


/* ---- JSON rows ------------------------------------------------------------------------------------ */

typedef struct {
    char *p;
    Py_ssize_t len, cap;
    char small[768];
} Buf;

static int buf_put(Buf *b, const char *s, Py_ssize_t n) {
    if (b->len + n > b->cap) {
        Py_ssize_t cap = (b->len + n) * 2;
        char *q = b->p == b->small ? PyMem_Malloc((size_t)cap) : PyMem_Realloc(b->p, (size_t)cap);
        if (q == NULL) return -1;
        if (b->p == b->small) memcpy(q, b->small, (size_t)b->len);
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

/* Java's Double.toString into out (at least 32 bytes); the length, or -1 */

/* json.JSONEncoder(ensure_ascii=False) string text: 1 written, 0 decline (lone surrogate), -1 error */
static int put_json_string(Buf *b, PyObject *v) {
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(v, &n);
    if (u == NULL) {
        PyErr_Clear();
        return 0; /* not encodable as UTF-8: the generic writer raises, and says why */
    }
    if (buf_put(b, "\"", 1) < 0) return -1;
    Py_ssize_t run = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        const char *esc = NULL;
        char tmp[8];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c == '\b') esc = "\\b";
        else if (c == '\f') esc = "\\f";
        else if (c < 0x20) {
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
            esc = tmp;
        }
        if (esc != NULL) {
            if (buf_put(b, u + run, i - run) < 0 || buf_put(b, esc, (Py_ssize_t)strlen(esc)) < 0) return -1;
            run = i + 1;
        }
    }
    if (buf_put(b, u + run, n - run) < 0 || buf_put(b, "\"", 1) < 0) return -1;
    return 1;
}

/* json_row(heads, codes, values) -> bytes | None: heads[i] + value i text ... + heads[n]; codes: one of
   'D' DOUBLE, 'I' INTEGER/BIGINT, 'S' STRING, 'B' BOOLEAN per value, rendered as
   formats.json_format.writer does. None: a value it leaves to the generic writers. */
static PyObject *json_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyTuple_Check(args[0]) || !PyBytes_Check(args[1]) ||
        !(PyTuple_Check(args[2]) || PyList_Check(args[2]))) {
        PyErr_SetString(PyExc_TypeError, "json_row(heads: tuple, codes: bytes, values: tuple | list)");
        return NULL;
    }
    PyObject *heads = args[0];
    const char *codes = PyBytes_AS_STRING(args[1]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[1]);
    PyObject *values = args[2];
    if (PyTuple_GET_SIZE(heads) != n + 1) {
        PyErr_SetString(PyExc_ValueError, "json_row: heads must be one longer than codes");
        return NULL;
    }
    if (PySequence_Fast_GET_SIZE(values) != n) Py_RETURN_NONE; /* the generic writers report it */
    PyObject **items = PySequence_Fast_ITEMS(values);
    Buf b;
    b.p = b.small;
    b.len = 0;
    b.cap = (Py_ssize_t)sizeof(b.small);
    PyObject *result = NULL;
    int decline = 0;
    for (Py_ssize_t i = 0; i <= n && !decline; i++) {
        PyObject *h = PyTuple_GET_ITEM(heads, i);
        if (!PyBytes_Check(h)) {
            PyErr_SetString(PyExc_TypeError, "json_row: heads must be bytes");
            goto done;
        }
        if (buf_put(&b, PyBytes_AS_STRING(h), PyBytes_GET_SIZE(h)) < 0) goto nomem;
        if (i == n) break;
        PyObject *v = items[i];
        if (v == Py_None) {
            if (buf_put(&b, "null", 4) < 0) goto nomem;
            continue;
        }
        switch (codes[i]) {
        case 'D': {
            double d;
            if (PyFloat_Check(v)) d = PyFloat_AS_DOUBLE(v);
            else if (PyLong_Check(v)) {
                d = PyLong_AsDouble(v);
                if (d == -1.0 && PyErr_Occurred()) { PyErr_Clear(); decline = 1; break; }
            } else { decline = 1; break; }
            char t[40];
            int k = java_double_text(d, t + 1);
            if (k < 0) goto done;
            if (t[k] == 'y' || t[k] == 'N') { /* NaN, Infinity: strings in JSON */
                t[0] = '"';
                t[k + 1] = '"';
                if (buf_put(&b, t, k + 2) < 0) goto nomem;
            } else if (buf_put(&b, t + 1, k) < 0) goto nomem;
            break;
        }
        case 'I': {
            if (!PyLong_Check(v)) { decline = 1; break; }
            int overflow = 0;
            long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
            if (overflow || (x == -1 && PyErr_Occurred())) { PyErr_Clear(); decline = 1; break; }
            char t[24];
            int k = snprintf(t, sizeof(t), "%lld", x);
            if (buf_put(&b, t, k) < 0) goto nomem;
            break;
        }
        case 'S': {
            if (!PyUnicode_Check(v)) { decline = 1; break; }
            int r = put_json_string(&b, v);
            if (r < 0) goto nomem;
            if (r == 0) decline = 1;
            break;
        }
        case 'B': {
            int t = PyObject_IsTrue(v);
            if (t < 0) { PyErr_Clear(); decline = 1; break; }
            if (buf_put(&b, t ? "true" : "false", t ? 4 : 5) < 0) goto nomem;
            break;
        }
        default:
            decline = 1;
        }
    }
    if (decline) {
        Py_INCREF(Py_None);
        result = Py_None;
    } else {
        result = PyBytes_FromStringAndSize(b.p, b.len);
    }
    goto done;
nomem:
    PyErr_NoMemory();
done:
    if (b.p != b.small) PyMem_Free(b.p);
    return result;
}

/* ---- Kafka messages -------------------------------------------------------------------------------- */

static PyObject *s_error, *s_key, *s_value, *s_timestamp, *s_partition, *s_offset, *s_headers, *s_topic;

static inline PyObject *call0(PyObject *obj, PyObject *name) {
    PyObject *args[1] = {obj};
    return PyObject_VectorcallMethod(name, args, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

/* records(messages, record_type, topic) -> (records, errors): each confluent-kafka Message without an
   error as record_type((key, value, timestamp >= 0 else 0, partition, offset, tuple(headers) or (),
   topic or message.topic())), built with tuple.__new__ semantics (no Python-level constructor); the
   messages with an error, in order, for the caller to judge. */
static PyObject *records(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyList_Check(args[0]) || !PyType_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "records(messages: list, record_type: type, topic: str | None)");
        return NULL;
    }
    PyObject *msgs = args[0];
    PyTypeObject *rtype = (PyTypeObject *)args[1];
    if (!PyType_IsSubtype(rtype, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "records: record_type must be a tuple subclass (a NamedTuple)");
        return NULL;
    }
    PyObject *topic = args[2];
    Py_ssize_t n = PyList_GET_SIZE(msgs);
    PyObject *out = PyList_New(0), *errors = PyList_New(0);
    if (out == NULL || errors == NULL) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *m = PyList_GET_ITEM(msgs, i);
        PyObject *err = call0(m, s_error);
        if (err == NULL) goto fail;
        if (err != Py_None) {
            Py_DECREF(err);
            if (PyList_Append(errors, m) < 0) goto fail;
            continue;
        }
        Py_DECREF(err);
        /* a NamedTuple instance is a tuple whose type is the subclass, filled in place (as tuple.__new__) */
        PyObject *t = rtype->tp_alloc(rtype, 7);
        if (t == NULL) goto fail;
        PyObject *key = call0(m, s_key), *value = key ? call0(m, s_value) : NULL;
        PyObject *ts = value ? call0(m, s_timestamp) : NULL;
        PyObject *part = ts ? call0(m, s_partition) : NULL, *off = part ? call0(m, s_offset) : NULL;
        PyObject *hdrs = off ? call0(m, s_headers) : NULL;
        PyObject *tp = NULL;
        if (hdrs != NULL) {
            if (topic != Py_None) {
                Py_INCREF(topic);
                tp = topic;
            } else {
                tp = call0(m, s_topic);
            }
        }
        if (tp == NULL) {
            Py_XDECREF(key); Py_XDECREF(value); Py_XDECREF(ts); Py_XDECREF(part); Py_XDECREF(off);
            Py_XDECREF(hdrs); Py_DECREF(t);
            goto fail;
        }
        /* timestamp() is (type, ms); a missing one (-1) is 0 as in poll_batch */
        PyObject *ms = NULL;
        if (PyTuple_Check(ts) && PyTuple_GET_SIZE(ts) == 2) {
            long long v = PyLong_AsLongLong(PyTuple_GET_ITEM(ts, 1));
            if (v == -1 && PyErr_Occurred()) PyErr_Clear();
            ms = PyLong_FromLongLong(v >= 0 ? v : 0);
        } else {
            ms = PyLong_FromLong(0);
        }
        Py_DECREF(ts);
        PyObject *htuple;
        if (hdrs == Py_None || (PyList_Check(hdrs) && PyList_GET_SIZE(hdrs) == 0)) {
            htuple = PyTuple_New(0);
        } else {
            htuple = PySequence_Tuple(hdrs);
        }
        Py_DECREF(hdrs);
        if (ms == NULL || htuple == NULL) {
            Py_XDECREF(ms); Py_XDECREF(htuple); Py_DECREF(key); Py_DECREF(value); Py_DECREF(part);
            Py_DECREF(off); Py_DECREF(tp); Py_DECREF(t);
            goto fail;
        }
        PyTuple_SET_ITEM(t, 0, key);
        PyTuple_SET_ITEM(t, 1, value);
        PyTuple_SET_ITEM(t, 2, ms);
        PyTuple_SET_ITEM(t, 3, part);
        PyTuple_SET_ITEM(t, 4, off);
        PyTuple_SET_ITEM(t, 5, htuple);
        PyTuple_SET_ITEM(t, 6, tp);
        int r = PyList_Append(out, t);
        Py_DECREF(t);
        if (r < 0) goto fail;
    }
    PyObject *result = PyTuple_Pack(2, out, errors);
    Py_DECREF(out);
    Py_DECREF(errors);
    return result;
fail:
    Py_XDECREF(out);
    Py_XDECREF(errors);
    return NULL;
}

/* produce_records(produce, topic, records, start, keep_partition) -> int: calls
   produce(topic, value, key, partition, None, None, timestamp[, list(headers)]) for records[start:] (each a
   Record tuple); partition is the record's own with keep_partition, else -1 (the partitioner). Returns
   len(records), or the index of the record whose call raised BufferError (the local queue is full: the
   caller polls and resumes there). Other exceptions propagate. */
static PyObject *produce_records(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PySequence_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "produce_records(produce, topic, records, start, keep_partition)");
        return NULL;
    }
    PyObject *produce = args[0], *topic = args[1];
    PyObject *seq = PySequence_Fast(args[2], "records must be a sequence");
    if (seq == NULL) return NULL;
    Py_ssize_t start = PyLong_AsSsize_t(args[3]);
    int keep = PyObject_IsTrue(args[4]);
    if ((start == -1 && PyErr_Occurred()) || keep < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *minus_one = PyLong_FromLong(-1);
    if (minus_one == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_ssize_t i = start;
    for (; i < n; i++) {
        PyObject *r = items[i];
        if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) < 6) {
            PyErr_SetString(PyExc_TypeError, "produce_records: records must be Record tuples");
            break;
        }
        PyObject *headers = PyTuple_GET_ITEM(r, 5);
        PyObject *hlist = NULL;
        if (headers != Py_None && PyObject_IsTrue(headers) == 1) {
            hlist = PySequence_List(headers);
            if (hlist == NULL) break;
        }
        PyObject *call[8] = {
            topic, PyTuple_GET_ITEM(r, 1), PyTuple_GET_ITEM(r, 0), keep ? PyTuple_GET_ITEM(r, 3) : minus_one,
            Py_None, Py_None, PyTuple_GET_ITEM(r, 2), hlist,
        };
        PyObject *res = PyObject_Vectorcall(produce, call, hlist ? 8 : 7, NULL);
        Py_XDECREF(hlist);
        if (res == NULL) {
            if (PyErr_ExceptionMatches(PyExc_BufferError)) {
                PyErr_Clear();
                Py_DECREF(minus_one);
                Py_DECREF(seq);
                return PyLong_FromSsize_t(i);
            }
            break;
        }
        Py_DECREF(res);
    }
    Py_DECREF(minus_one);
    Py_DECREF(seq);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(n);
}

static PyMethodDef methods[] = {
    {"java_double", (PyCFunction)java_double, METH_O, "java_double(x) -> str: Java's Double.toString."},
    {"json_row", (PyCFunction)(void (*)(void))json_row, METH_FASTCALL,
     "json_row(heads, codes, values) -> bytes | None: a JSON object as the generic writers render it."},
    {"decode", (PyCFunction)(void (*)(void))decode, METH_FASTCALL,
     "decode(spec, data) -> list | None: a DELIMITED line's values, or None to leave it to the generic "
     "decoder."},
    {"records", (PyCFunction)(void (*)(void))records, METH_FASTCALL,
     "records(messages, record_type, topic) -> (records, errors): confluent-kafka messages as records."},
    {"produce_records", (PyCFunction)(void (*)(void))produce_records, METH_FASTCALL,
     "produce_records(produce, topic, records, start, keep_partition) -> int: the index it stopped at."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ctext", NULL, -1, methods};

PyMODINIT_FUNC PyInit__ctext(void) {
    if (c_locale == (locale_t)0) {
        c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        if (c_locale == (locale_t)0) {
            PyErr_SetString(PyExc_OSError, "newlocale(C) failed");
            return NULL;
        }
    }
    const char *names[] = {"error", "key", "value", "timestamp", "partition", "offset", "headers", "topic"};
    PyObject **slots[] = {&s_error, &s_key, &s_value, &s_timestamp, &s_partition, &s_offset, &s_headers, &s_topic};
    for (int i = 0; i < 8; i++) {
        if (*slots[i] == NULL && (*slots[i] = PyUnicode_InternFromString(names[i])) == NULL) return NULL;
    }
    return PyModule_Create(&module);
}
