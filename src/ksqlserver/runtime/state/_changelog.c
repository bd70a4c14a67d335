/* The changelog records of one emit (changelog.py's DurableKeyValueStore.emit) in one C pass, as its
   Python lines build them (they stay the fallback when no compiler is found): per pending key, in the
   pending dict's order, its partition (the input partition modulo the changelog's, 0 when unknown), its
   sequence number (first_seq + i), the `_meta` entry (seq, partition) and the Record (key bytes, value
   bytes or None, now, partition, 0, ((header, b"<seq>"),), ""). An aggregation changes one entry per
   input, so the per-record Python steps (a tuple per header, per meta entry and per record, each built
   by its own pass) were a large part of every commit. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <string.h>

static PyObject *records(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError,
                        "records(pending, n_parts, key_bytes, values, first_seq, now, header, record_type, meta)");
        return NULL;
    }
    PyObject *pending = args[0], *key_bytes = args[2], *values = args[3], *now = args[5], *header = args[6];
    PyObject *meta = args[8];
    PyTypeObject *rtype = (PyTypeObject *)args[7];
    if (!PyDict_CheckExact(pending) || !PyList_CheckExact(key_bytes) || !PyList_CheckExact(values)
        || !PyDict_Check(meta) || !PyType_Check(args[7]) || !PyType_IsSubtype(rtype, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "records: a dict, lists, a tuple type and a dict are expected");
        return NULL;
    }
    long long n_parts = PyLong_AsLongLong(args[1]);
    long long first = PyLong_AsLongLong(args[4]);
    if (PyErr_Occurred()) return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(pending);
    if (n_parts < 1 || PyList_GET_SIZE(key_bytes) != n || PyList_GET_SIZE(values) != n) {
        PyErr_SetString(PyExc_ValueError, "records: one key and one value per pending key, n_parts >= 1");
        return NULL;
    }
    PyObject *out = PyList_New(n);
    if (out == NULL) return NULL;
    PyObject *zero = PyLong_FromLong(0), *empty = PyUnicode_FromString("");
    if (zero == NULL || empty == NULL) goto fail;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *part_obj;
    while (PyDict_Next(pending, &pos, &key, &part_obj)) {
        if (i >= n) {
            PyErr_SetString(PyExc_RuntimeError, "records: the pending dict changed size");
            goto fail;
        }
        long long part = PyLong_AsLongLong(part_obj);
        if (part == -1 && PyErr_Occurred()) goto fail;
        part = part >= 0 ? part % n_parts : 0;
        long long seq = first + i;
        PyObject *p = PyLong_FromLongLong(part), *s = PyLong_FromLongLong(seq);
        char buf[24];
        int len = snprintf(buf, sizeof buf, "%lld", seq);
        PyObject *text = PyBytes_FromStringAndSize(buf, len);
        PyObject *m = (p && s) ? PyTuple_Pack(2, s, p) : NULL;
        PyObject *h = text ? PyTuple_Pack(2, header, text) : NULL;
        PyObject *hs = h ? PyTuple_Pack(1, h) : NULL;
        PyObject *rec = hs ? rtype->tp_alloc(rtype, 7) : NULL;
        int ok = rec != NULL && m != NULL && PyDict_SetItem(meta, key, m) == 0;
        if (ok) {
            PyObject *kb = PyList_GET_ITEM(key_bytes, i), *v = PyList_GET_ITEM(values, i);
            Py_INCREF(kb);
            Py_INCREF(v);
            Py_INCREF(now);
            Py_INCREF(p);
            Py_INCREF(zero);
            Py_INCREF(hs);
            Py_INCREF(empty);
            PyTuple_SET_ITEM(rec, 0, kb);
            PyTuple_SET_ITEM(rec, 1, v);
            PyTuple_SET_ITEM(rec, 2, now);
            PyTuple_SET_ITEM(rec, 3, p);
            PyTuple_SET_ITEM(rec, 4, zero);
            PyTuple_SET_ITEM(rec, 5, hs);
            PyTuple_SET_ITEM(rec, 6, empty);
            PyList_SET_ITEM(out, i, rec);
            rec = NULL;
        }
        Py_XDECREF(p);
        Py_XDECREF(s);
        Py_XDECREF(text);
        Py_XDECREF(m);
        Py_XDECREF(h);
        Py_XDECREF(hs);
        Py_XDECREF(rec);
        if (!ok) goto fail;
        i++;
    }
    Py_DECREF(zero);
    Py_DECREF(empty);
    return out;
fail:
    Py_XDECREF(zero);
    Py_XDECREF(empty);
    Py_DECREF(out); /* (unset items are NULL: list_dealloc skips them) */
    return NULL;
}


/* codec.encode_key of each key, when every key is a tuple of ASCII strings holding no character JSON
   escapes (control characters, quote, backslash) and ints (not bools) within 64 bits: `{"#t":[...]}` with
   the strings quoted and the ints in decimal, as orjson writes them. None for any other batch (the
   Python encoders decide). Stores of windowed aggregations key their entries so: (group values, start,
   end). */
static PyObject *tuple_keys(PyObject *self, PyObject *keys) {
    if (!PyList_CheckExact(keys)) {
        PyErr_SetString(PyExc_TypeError, "tuple_keys: a list is expected");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys);
    PyObject *out = PyList_New(n);
    if (out == NULL) return NULL;
    char stack[512];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        if (!PyTuple_CheckExact(key)) goto plain;
        Py_ssize_t m = PyTuple_GET_SIZE(key), len = 0;
        /* the size first: 8 for {"#t":[ and ]}, per item its text (ints <= 20) and a comma */
        Py_ssize_t need = 9;
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *v = PyTuple_GET_ITEM(key, j);
            if (PyUnicode_CheckExact(v)) {
                if (!PyUnicode_IS_ASCII(v)) goto plain;
                need += PyUnicode_GET_LENGTH(v) + 3;
            } else if (PyLong_CheckExact(v)) {
                need += 21;
            } else {
                goto plain;
            }
        }
        char *buf = need <= (Py_ssize_t)sizeof stack ? stack : PyMem_Malloc(need);
        if (buf == NULL) {
            Py_DECREF(out);
            return PyErr_NoMemory();
        }
        memcpy(buf, "{\"#t\":[", 7);
        len = 7;
        int ok = 1;
        for (Py_ssize_t j = 0; j < m && ok; j++) {
            PyObject *v = PyTuple_GET_ITEM(key, j);
            if (j) buf[len++] = ',';
            if (PyUnicode_CheckExact(v)) {
                const unsigned char *c = PyUnicode_1BYTE_DATA(v);
                Py_ssize_t k = PyUnicode_GET_LENGTH(v);
                for (Py_ssize_t x = 0; x < k; x++) {
                    if (c[x] < 0x20 || c[x] == '"' || c[x] == '\\') ok = 0;
                }
                buf[len++] = '"';
                memcpy(buf + len, c, k);
                len += k;
                buf[len++] = '"';
            } else {
                int overflow = 0;
                long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
                if (overflow || (x == -1 && PyErr_Occurred())) {
                    PyErr_Clear();
                    ok = 0;
                } else {
                    len += snprintf(buf + len, 22, "%lld", x);
                }
            }
        }
        buf[len++] = ']';
        buf[len++] = '}';
        PyObject *b = ok ? PyBytes_FromStringAndSize(buf, len) : NULL;
        if (buf != stack) PyMem_Free(buf);
        if (!ok) goto plain;
        if (b == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, b);
    }
    return out;
plain:
    Py_DECREF(out);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"records", (PyCFunction)(void (*)(void))records, METH_FASTCALL, "the changelog records of one emit"},
    {"tuple_keys", (PyCFunction)tuple_keys, METH_O, "codec.encode_key of tuples of ASCII strings and ints"},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_changelog", .m_size = -1, .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__changelog(void) { return PyModule_Create(&module); }
