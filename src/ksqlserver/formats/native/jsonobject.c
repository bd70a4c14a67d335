/* JSON input: the common flat object read straight into column values (see formats/fast_json.py).

   json_object(names, codes, data) -> list | None
     names: tuple of bytes, the columns' names (UTF-8); codes: bytes, one per column: 'D' DOUBLE,
     'I' BIGINT, 'i' INTEGER, 'S' STRING, 'B' BOOLEAN; data: the record value.
   It returns the values json.loads plus the generic decoder (formats/json_format.py) give, or None
   whenever it cannot be sure of that. It answers only for: one object of keys without escapes, every
   column under its exact name (the last of duplicates wins, as in json), values that are null or of the
   column's own kind (a number for DOUBLE, an integer of at most 18 digits for INTEGER/BIGINT, a string
   without escapes for STRING, true/false for BOOLEAN), and other keys whose values are numbers, literals
   or strings without escapes; the whole value valid UTF-8. Anything else (nested values, escapes, a
   missing field, NaN, a number json reads differently, a string in a number column, ...) is declined.

   Numbers: the JSON grammar is checked first; an integer text becomes a Python int (json's int) and, in a
   DOUBLE column, float(int) exactly as the generic converter does (so "-0" is 0.0); any other number text
   goes through the DELIMITED decoder's parse_double, which gives float(text) exactly or declines. */
#include <string.h>
#include "delimited.c"

static inline const char *ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* a string without escapes or control characters: [*s, *e) its contents, the return just past it */
static inline const char *plain_string(const char *p, const char *end, const char **s, const char **e) {
    const char *q = ++p;
    while (q < end && *q != '"') {
        if (*q == '\\' || (unsigned char)*q < 0x20) return NULL;
        q++;
    }
    if (q >= end) return NULL;
    *s = p;
    *e = q;
    return q + 1;
}

/* JSON number grammar: the return just past it, *is_int when it has no fraction and no exponent */
static inline const char *json_number(const char *p, const char *end, int *is_int) {
    const char *q = p;
    if (q < end && *q == '-') q++;
    if (q >= end) return NULL;
    if (*q == '0') {
        q++;
    } else if (*q >= '1' && *q <= '9') {
        while (q < end && is_digit(*q)) q++;
    } else {
        return NULL;
    }
    *is_int = 1;
    if (q < end && *q == '.') {
        q++;
        if (q >= end || !is_digit(*q)) return NULL;
        while (q < end && is_digit(*q)) q++;
        *is_int = 0;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-')) q++;
        if (q >= end || !is_digit(*q)) return NULL;
        while (q < end && is_digit(*q)) q++;
        *is_int = 0;
    }
    return q;
}

/* an integer text of at most 18 digits (fits a long long exactly); 0: decline */
static inline int small_int(const char *p, const char *q, long long *out) {
    int neg = *p == '-';
    const char *d = p + neg;
    if (q - d > 18) return 0;
    long long v = 0;
    for (; d < q; d++) v = v * 10 + (*d - '0');
    *out = neg ? -v : v;
    return 1;
}

static PyObject *json_object(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyTuple_Check(args[0]) || !PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "json_object(names: tuple[bytes], codes: bytes, data: bytes)");
        return NULL;
    }
    if (!PyBytes_Check(args[2])) Py_RETURN_NONE;
    PyObject *names = args[0];
    const Py_ssize_t n = PyTuple_GET_SIZE(names);
    const char *codes = PyBytes_AS_STRING(args[1]);
    if (n < 1 || n > 1024 || PyBytes_GET_SIZE(args[1]) != n) {
        PyErr_SetString(PyExc_ValueError, "one code per name, 1 to 1024 columns");
        return NULL;
    }
    const char *data = PyBytes_AS_STRING(args[2]);
    const Py_ssize_t len = PyBytes_GET_SIZE(args[2]);
    if (!valid_utf8((const unsigned char *)data, len)) Py_RETURN_NONE;
    const char *p = data, *end = data + len;
    char seen[1024];
    memset(seen, 0, (size_t)n);
    Py_ssize_t found = 0, hint = 0;
    PyObject *row = PyList_New(n);
    if (row == NULL) return NULL;

    p = ws(p, end);
    if (p >= end || *p != '{') goto decline;
    p = ws(p + 1, end);
    if (p < end && *p == '}') goto decline; /* no field: every column missing */
    for (;;) {
        const char *ks, *ke;
        if (p >= end || *p != '"' || (p = plain_string(p, end, &ks, &ke)) == NULL) goto decline;
        p = ws(p, end);
        if (p >= end || *p != ':') goto decline;
        p = ws(p + 1, end);
        if (p >= end) goto decline;
        /* the column of this key: fields mostly come in column order, so the next one is tried first */
        Py_ssize_t col = -1, klen = ke - ks;
        for (Py_ssize_t t = 0; t < n; t++) {
            Py_ssize_t j = hint + t < n ? hint + t : hint + t - n;
            PyObject *name = PyTuple_GET_ITEM(names, j);
            if (PyBytes_GET_SIZE(name) == klen && memcmp(PyBytes_AS_STRING(name), ks, (size_t)klen) == 0) {
                col = j;
                break;
            }
        }
        const char code = col >= 0 ? codes[col] : 0;
        PyObject *v = NULL;
        const char c = *p;
        if (c == '"') {
            const char *s, *e;
            if ((p = plain_string(p, end, &s, &e)) == NULL) goto decline;
            if (col >= 0) {
                if (code != 'S') goto decline;
                v = PyUnicode_DecodeUTF8(s, e - s, NULL);
                if (v == NULL) goto error;
            }
        } else if (c == '-' || is_digit(c)) {
            int is_int = 0;
            const char *q = json_number(p, end, &is_int);
            if (q == NULL) goto decline;
            if (col >= 0) {
                long long iv;
                if (code == 'D') {
                    double d;
                    if (is_int) {
                        if (!small_int(p, q, &iv)) goto decline;
                        d = (double)iv; /* float(int): round to nearest even, as Python */
                    } else if (!parse_double(p, q - p, &d)) {
                        goto decline;
                    }
                    /* -0.0: "-0.0" is a BigDecimal zero (0.0), "-1e-400" an underflow (-0.0): the generic decoder */
                    if (d == 0.0 && signbit(d)) goto decline;
                    v = PyFloat_FromDouble(d);
                } else if (code == 'I' || code == 'i') {
                    if (!is_int || !small_int(p, q, &iv)) goto decline;
                    if (code == 'i' && (iv < -2147483648LL || iv > 2147483647LL)) goto decline;
                    v = PyLong_FromLongLong(iv);
                } else {
                    goto decline;
                }
                if (v == NULL) goto error;
            }
            p = q;
        } else if (c == 't' && end - p >= 4 && memcmp(p, "true", 4) == 0) {
            p += 4;
            if (col >= 0) {
                if (code != 'B') goto decline;
                v = Py_NewRef(Py_True);
            }
        } else if (c == 'f' && end - p >= 5 && memcmp(p, "false", 5) == 0) {
            p += 5;
            if (col >= 0) {
                if (code != 'B') goto decline;
                v = Py_NewRef(Py_False);
            }
        } else if (c == 'n' && end - p >= 4 && memcmp(p, "null", 4) == 0) {
            p += 4;
            if (col >= 0) v = Py_NewRef(Py_None);
        } else {
            goto decline; /* nested values, NaN, Infinity, anything else */
        }
        if (col >= 0) {
            PyObject *old = PyList_GET_ITEM(row, col);
            PyList_SET_ITEM(row, col, v);
            Py_XDECREF(old);
            if (!seen[col]) {
                seen[col] = 1;
                found++;
            }
            hint = col + 1 < n ? col + 1 : 0;
        }
        p = ws(p, end);
        if (p < end && *p == ',') {
            p = ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') break;
        goto decline;
    }
    p = ws(p + 1, end);
    if (p != end || found != n) goto decline;
    return row;
decline:
    Py_DECREF(row);
    Py_RETURN_NONE;
error:
    Py_DECREF(row);
    return NULL;
}
