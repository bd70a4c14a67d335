/* JSON rows as the generic writers (formats/json_format.py) render them; see formats/fast_json.py. */
#include <string.h>
#include "javatext.c"

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

/* Jackson's string text (json.JSONEncoder(ensure_ascii=False) but \u00XX in upper case and characters
   beyond the BMP as escaped surrogate pairs): 1 written, 0 decline (lone surrogate), -1 error */
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
        char tmp[16];
        if (c >= 0xF0 && i + 3 < n) {
            /* beyond the BMP (valid UTF-8 from Python): Jackson escapes the surrogate pair, upper-case hex */
            unsigned int cp = ((unsigned int)(c & 0x07) << 18) | ((unsigned int)(u[i + 1] & 0x3F) << 12) |
                              ((unsigned int)(u[i + 2] & 0x3F) << 6) | (unsigned int)(u[i + 3] & 0x3F);
            cp -= 0x10000;
            snprintf(tmp, sizeof(tmp), "\\u%04X\\u%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
            if (buf_put(b, u + run, i - run) < 0 || buf_put(b, tmp, 12) < 0) return -1;
            i += 3;
            run = i + 1;
            continue;
        }
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c == '\b') esc = "\\b";
        else if (c == '\f') esc = "\\f";
        else if (c < 0x20) {
            snprintf(tmp, sizeof(tmp), "\\u%04X", c); /* upper-case hex, as Jackson */
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
            /* "%lld" without snprintf's format parsing (two per row in a typical output) */
            char t[24];
            int k = 24;
            unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
            do {
                t[--k] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (x < 0) t[--k] = '-';
            if (buf_put(&b, t + k, 24 - k) < 0) goto nomem;
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
