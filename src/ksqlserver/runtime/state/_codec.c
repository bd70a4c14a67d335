/* The state codec's batch cutter (see runtime/state/codec.py, `_tuples_in_one_call`): one orjson text of
   a whole batch of values, checked and cut into the values' tagged texts in two passes over its bytes,
   instead of three counts, two replaces and a split over it in Python. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static const char TUPLE_OPEN[] = "{\"#t\":[";  /* what each '[' becomes */
#define TUPLE_OPEN_LEN 7

/* tag_split(blob, marker, arrays, nulls) -> list[bytes] | None: the same as
       None if blob.count(b"[") != arrays or blob.count(b"]") != arrays or blob.count(b"null") != nulls
       else blob[1:-1].replace(b"[", b'{"#t":[').replace(b"]", b"]}").split(marker)
   for a marker that holds no '[', ']', '{', '}', '#', ':' or 't' (then no marker straddles a replaced
   bracket, and cutting before replacing gives the same parts). */
static PyObject *tag_split(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyBytes_Check(args[0]) || !PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "tag_split(blob: bytes, marker: bytes, arrays: int, nulls: int)");
        return NULL;
    }
    Py_ssize_t arrays = PyLong_AsSsize_t(args[2]);
    if (arrays == -1 && PyErr_Occurred()) return NULL;
    Py_ssize_t nulls = PyLong_AsSsize_t(args[3]);
    if (nulls == -1 && PyErr_Occurred()) return NULL;
    const char *b = PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    const char *m = PyBytes_AS_STRING(args[1]);
    Py_ssize_t mlen = PyBytes_GET_SIZE(args[1]);
    if (mlen == 0) {
        PyErr_SetString(PyExc_ValueError, "tag_split: empty marker");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < mlen; k++) {
        if (strchr("[]{}#:t", m[k]) != NULL && m[k] != '\0') {
            PyErr_SetString(PyExc_ValueError, "tag_split: the marker may not hold a bracket or the tag's characters");
            return NULL;
        }
    }
    /* pass 1: the counts over the whole text */
    Py_ssize_t open = 0, close = 0, nul = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = b[i];
        if (c == '[') open++;
        else if (c == ']') close++;
        else if (c == 'n' && i + 4 <= n && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
            nul++;
            i += 3;
        }
    }
    if (open != arrays || close != arrays || nul != nulls) Py_RETURN_NONE;
    /* the marker is found by its rarest byte: its first backslash (JSON escapes are rare in values),
       else its first byte */
    const char *bs = memchr(m, '\\', (size_t)mlen);
    Py_ssize_t anchor = bs != NULL ? bs - m : 0;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    char *scratch = NULL;
    Py_ssize_t cap = 0;
    /* pass 2: cut blob[1:-1] at each marker; each part written with its brackets replaced */
    Py_ssize_t lo = n >= 1 ? 1 : 0, hi = n >= 2 ? n - 1 : lo;
    Py_ssize_t start = lo, i = lo + anchor;
    for (;;) {
        Py_ssize_t end = -1;
        while (i < hi) {
            const char *p = memchr(b + i, m[anchor], (size_t)(hi - i));
            if (p == NULL) break;
            Py_ssize_t at = (p - b) - anchor;
            if (at >= start && at + mlen <= hi && memcmp(b + at, m, (size_t)mlen) == 0) {
                end = at;
                break;
            }
            i = (p - b) + 1;
        }
        Py_ssize_t stop = end < 0 ? hi : end;
        if ((stop - start) * TUPLE_OPEN_LEN > cap) {
            cap = (stop - start) * TUPLE_OPEN_LEN * 2 + 64;
            char *grown = PyMem_Realloc(scratch, (size_t)cap);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            scratch = grown;
        }
        char *w = scratch;
        for (Py_ssize_t k = start; k < stop; k++) {
            char c = b[k];
            if (c == '[') {
                memcpy(w, TUPLE_OPEN, TUPLE_OPEN_LEN);
                w += TUPLE_OPEN_LEN;
            } else if (c == ']') {
                w[0] = ']';
                w[1] = '}';
                w += 2;
            } else {
                *w++ = c;
            }
        }
        PyObject *part = PyBytes_FromStringAndSize(scratch, w - scratch);
        if (part == NULL) goto fail;
        int rc = PyList_Append(out, part);
        Py_DECREF(part);
        if (rc < 0) goto fail;
        if (end < 0) break;
        start = end + mlen;
        i = start + anchor;
    }
    PyMem_Free(scratch);
    return out;
fail:
    PyMem_Free(scratch);
    Py_DECREF(out);
    return NULL;
}

static inline int plain(PyObject *x) {
    return x == Py_None || PyUnicode_CheckExact(x) || PyLong_CheckExact(x) || PyFloat_CheckExact(x) ||
           PyBool_Check(x);
}

/* scan_tuples(values) -> (arrays, nulls) | None: for a list of values that are each exactly a tuple whose
   items are str, int, float, bool, None (exact types) or exactly tuples of those, the '[' orjson writes
   for the batch of them with the markers (1 + the tuples) and the None items; None for any other list
   (what `_tuples_in_one_call` checks with its type lists, in one walk). */
static PyObject *scan_tuples(PyObject *self, PyObject *values) {
    if (!PyList_Check(values)) {
        PyErr_SetString(PyExc_TypeError, "scan_tuples(values: list)");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(values);
    if (n == 0) Py_RETURN_NONE;
    Py_ssize_t arrays = 1 + n, nulls = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyList_GET_ITEM(values, i);
        if (!PyTuple_CheckExact(v)) Py_RETURN_NONE;
        Py_ssize_t m = PyTuple_GET_SIZE(v);
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *x = PyTuple_GET_ITEM(v, j);
            if (x == Py_None) {
                nulls++;
            } else if (PyTuple_CheckExact(x)) {
                arrays++;
                Py_ssize_t k = PyTuple_GET_SIZE(x);
                for (Py_ssize_t l = 0; l < k; l++) {
                    PyObject *y = PyTuple_GET_ITEM(x, l);
                    if (!plain(y)) Py_RETURN_NONE;
                    if (y == Py_None) nulls++;
                }
            } else if (!plain(x)) {
                Py_RETURN_NONE;
            }
        }
    }
    return Py_BuildValue("(nn)", arrays, nulls);
}

/* `seq` in decimal as "%lld" writes it (snprintf cost a tenth of a changelog record's encoding), into
   `text` (at least 21 bytes); its length */
static int decimal(char *text, long long seq) {
    char rev[24];
    int n = 0, len = 0;
    unsigned long long u = seq < 0 ? 0ULL - (unsigned long long)seq : (unsigned long long)seq;
    do {
        rev[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (seq < 0) text[len++] = '-';
    while (n) text[len++] = rev[--n];
    return len;
}

/* changelog_records(record_type, keys, values, timestamp, parts, first_seq, header, topic) -> list: record i
   is record_type((keys[i], values[i], timestamp, parts[i], 0, ((header, b"<first_seq + i>"),), topic)),
   built as tuple.__new__ builds it. */
static PyObject *changelog_records(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 8 || !PyType_Check(args[0]) || !PyList_Check(args[1]) || !PyList_Check(args[2]) ||
        !PyList_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "changelog_records(record_type, keys: list, values: list, timestamp, parts: list, "
                        "first_seq: int, header: str, topic: str)");
        return NULL;
    }
    PyTypeObject *rtype = (PyTypeObject *)args[0];
    if (!PyType_IsSubtype(rtype, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "changelog_records: record_type must be a tuple subclass");
        return NULL;
    }
    PyObject *keys = args[1], *values = args[2], *ts = args[3], *parts = args[4];
    long long first = PyLong_AsLongLong(args[5]);
    if (first == -1 && PyErr_Occurred()) return NULL;
    PyObject *header = args[6], *topic = args[7];
    Py_ssize_t n = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(values) != n || PyList_GET_SIZE(parts) != n) {
        PyErr_SetString(PyExc_ValueError, "changelog_records: keys, values and parts differ in length");
        return NULL;
    }
    PyObject *out = PyList_New(n);
    if (out == NULL) return NULL;
    PyObject *zero = PyLong_FromLong(0);
    if (zero == NULL) goto fail;
    char text[32];
    for (Py_ssize_t i = 0; i < n; i++) {
        long long seq = first + (long long)i;
        int len = decimal(text, seq);
        PyObject *seq_bytes = PyBytes_FromStringAndSize(text, len);
        PyObject *pair = seq_bytes ? PyTuple_Pack(2, header, seq_bytes) : NULL;
        Py_XDECREF(seq_bytes);
        PyObject *headers = pair ? PyTuple_Pack(1, pair) : NULL;
        Py_XDECREF(pair);
        if (headers == NULL) goto fail;
        PyObject *part = PyList_GET_ITEM(parts, i);
        PyObject *t = rtype->tp_alloc(rtype, 7);
        if (t == NULL) {
            Py_DECREF(headers);
            goto fail;
        }
        PyObject *items[7] = {PyList_GET_ITEM(keys, i), PyList_GET_ITEM(values, i), ts, part, zero, headers, topic};
        for (int k = 0; k < 7; k++) {
            if (k != 5) Py_INCREF(items[k]);
            PyTuple_SET_ITEM(t, k, items[k]);
        }
        PyList_SET_ITEM(out, i, t);
    }
    Py_DECREF(zero);
    return out;
fail:
    Py_XDECREF(zero);
    Py_DECREF(out);
    return NULL;
}

/* note_meta(meta, keys, first_seq, parts): meta[keys[i]] = (first_seq + i, parts[i]) for each i, in order
   (`meta.update(zip(keys, zip(range(first_seq, ...), parts)))`). */
static PyObject *note_meta(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyDict_Check(args[0]) || !PyList_Check(args[1]) || !PyList_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "note_meta(meta: dict, keys: list, first_seq: int, parts: list)");
        return NULL;
    }
    PyObject *meta = args[0], *keys = args[1], *parts = args[3];
    long long first = PyLong_AsLongLong(args[2]);
    if (first == -1 && PyErr_Occurred()) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(parts) != n) {
        PyErr_SetString(PyExc_ValueError, "note_meta: keys and parts differ in length");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *seq = PyLong_FromLongLong(first + (long long)i);
        PyObject *m = seq ? PyTuple_Pack(2, seq, PyList_GET_ITEM(parts, i)) : NULL;
        Py_XDECREF(seq);
        if (m == NULL) return NULL;
        /* two ints: in no cycle, and kept as long as its key (CPython untracks such a tuple at its first
           collection; untracked now, no young collection walks the commit's worth of them) */
        if (PyLong_CheckExact(PyList_GET_ITEM(parts, i))) PyObject_GC_UnTrack(m);
        int rc = PyDict_SetItem(meta, PyList_GET_ITEM(keys, i), m);
        Py_DECREF(m);
        if (rc < 0) return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"changelog_records", (PyCFunction)(void (*)(void))changelog_records, METH_FASTCALL,
     "changelog_records(record_type, keys, values, timestamp, parts, first_seq, header, topic)"},
    {"note_meta", (PyCFunction)(void (*)(void))note_meta, METH_FASTCALL, "note_meta(meta, keys, first_seq, parts)"},
    {"scan_tuples", (PyCFunction)scan_tuples, METH_O, "scan_tuples(values) -> (arrays, nulls) | None"},
    {"tag_split", (PyCFunction)(void (*)(void))tag_split, METH_FASTCALL,
     "tag_split(blob, marker, arrays, nulls) -> list[bytes] | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_codec", NULL, -1, methods};

PyMODINIT_FUNC PyInit__codec(void) { return PyModule_Create(&module); }
