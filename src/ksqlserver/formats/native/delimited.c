/* DELIMITED: the common line decoder (see formats/fast_delimited.py for the contract).

   decode(spec, data) -> list | None
     spec: bytes; spec[0] is the delimiter, spec[1:] one code per column:
           'D' DOUBLE, 'I' BIGINT, 'N' INTEGER (in int range), 'S' STRING, 'B' BOOLEAN; in lower case, a column the query
           never reads: checked exactly as the upper-case code would parse it, and given as None.
     data: the record value (bytes).
   It returns the values the generic decoder (formats/delimited.py) would give, or None whenever it cannot
   be sure of that: empty or doubled-quote fields, whitespace or `_` in numbers, inf/nan text, numbers out
   of range, invalid UTF-8, CR/LF/NUL anywhere (the csv module's business), a wrong field count. Every None
   goes to the generic decoder, which then decides (and words any error).

   Numbers: the grammar accepted is a strict subset of what Python's float()/int() accept. A DOUBLE with at
   most 15 significant digits and a decimal exponent within +-22 is one exact IEEE multiplication or
   division of two exactly representable values, hence correctly rounded like float() (Clinger's fast
   path); any other DOUBLE text goes through strtod_l in the C locale, which glibc rounds correctly too. */
#ifndef KSQL_DELIMITED_C
#define KSQL_DELIMITED_C
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "number.h"

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

/* a valid_int text within Java's int range (Integer.parseInt refuses the others) */
static int in_int_range(const char *p, Py_ssize_t n) {
    Py_ssize_t i = (n > 0 && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
    long long v = 0;
    for (; i < n; i++) {
        if (!is_digit(p[i]) || v > 3000000000LL) return 0;
        v = v * 10 + (p[i] - '0');
    }
    return p[0] == '-' ? v <= 2147483648LL : v <= 2147483647LL;
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
    /* ASCII eight bytes at a time (a record value mostly is): the loop below would pass them one by one */
    for (unsigned long long w; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL) break;
    }
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
    /* the generic parser is Boolean.parseBoolean (s.lower() == "true"): answer only for plain ASCII text */
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
            case 'n':
                ok = valid_int(f, flen) && in_int_range(f, flen);
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
        case 'N':
            if (in_int_range(f, flen)) v = parse_int(f, flen);
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
#endif
