/* The stream-table join loop of plan/fast/join.py (its "no joined row" shape) in C, a batch at a time: per
   stream record the value decode (the source format's row reader), the KAFKA STRING key, the lookup in the
   table's store dict, the projected value columns, the sink's row writer, the output key bytes (memoised
   per str / int join key, shared with the Python lines) and the output Record. It does exactly what the
   generated Python lines do (Kafka Streams 3.5 KStreamKTableJoinProcessor: a stream record looks the
   table up by its key at the time it arrives; LEFT JOIN: a miss joins the table's nulls, INNER: no output;
   the output carries the stream record's timestamp, partition and headers).

   A record it does not finish exactly as they would (a table-side record, a null or undecodable value, a
   key that is not UTF-8, a null or structured join key, anything of another class than expected, a row the
   writer declines, any error) is handed, before anything of it is output, to `pyloop((rec,), out, slow)`:
   the generated Python loop over that one record, which then does what it always did (the generic path,
   or raising). The lookup is a dict read only, so running the record again there changes nothing. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define KEY_CACHE_MAX 100000 /* join._KEY_CACHE_MAX */
enum { S_KEY, S_VAL, S_REC, S_TABLE };

typedef struct {
    PyObject_HEAD
    PyObject *topic, *reader, *table, *nulls, *writer, *kcache, *kser, *sink_topic, *record;
    int inner, jk_kind, jk_idx, n_out;
    int *kinds, *idxs;
} Step;

static void step_dealloc(Step *s) {
    Py_XDECREF(s->topic);
    Py_XDECREF(s->reader);
    Py_XDECREF(s->table);
    Py_XDECREF(s->nulls);
    Py_XDECREF(s->writer);
    Py_XDECREF(s->kcache);
    Py_XDECREF(s->kser);
    Py_XDECREF(s->sink_topic);
    Py_XDECREF(s->record);
    PyMem_Free(s->kinds);
    PyMem_Free(s->idxs);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

static int parse_src(PyObject *pair, int *kind, int *idx) {
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) return -1;
    long k = PyLong_AsLong(PyTuple_GET_ITEM(pair, 0)), i = PyLong_AsLong(PyTuple_GET_ITEM(pair, 1));
    if (PyErr_Occurred() || k < S_KEY || k > S_TABLE || i < 0 || i > 1 << 20) return -1;
    if (k == S_REC && (i < 2 || i > 5)) return -1;
    *kind = (int)k;
    *idx = (int)i;
    return 0;
}

/* Step(topic, reader, table, nulls, inner, jk_src, out_srcs, writer, kcache, kser, sink_topic, Record):
   a source is (kind, index): 0 the stream key, 1 a decoded value column, 2 a record field (2 timestamp,
   3 partition, 4 offset), 3 a table column; `kcache` None: the output has no key */
static int step_init(Step *s, PyObject *args, PyObject *kw) {
    PyObject *topic, *reader, *table, *nulls, *jk, *srcs, *writer, *kcache, *kser, *sink_topic, *record;
    int inner, jk_kind, jk_idx;
    if (s->kinds != NULL) {
        PyErr_SetString(PyExc_TypeError, "Step: initialised once");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "UOO!O!pO!O!OOOUO", &topic, &reader, &PyDict_Type, &table, &PyTuple_Type, &nulls,
                          &inner, &PyTuple_Type, &jk, &PyTuple_Type, &srcs, &writer, &kcache, &kser, &sink_topic,
                          &record))
        return -1;
    if (!PyType_Check(record) || !PyType_IsSubtype((PyTypeObject *)record, &PyTuple_Type)
        || (kcache != Py_None && !PyDict_CheckExact(kcache)) || parse_src(jk, &jk_kind, &jk_idx) < 0
        || jk_kind == S_TABLE) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "Step: bad arguments");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(srcs);
    int *kinds = PyMem_Calloc(n + 1, sizeof(int)), *idxs = PyMem_Calloc(n + 1, sizeof(int));
    if (kinds == NULL || idxs == NULL) {
        PyMem_Free(kinds);
        PyMem_Free(idxs);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (parse_src(PyTuple_GET_ITEM(srcs, i), &kinds[i], &idxs[i]) < 0) {
            PyMem_Free(kinds);
            PyMem_Free(idxs);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "Step: bad column source");
            return -1;
        }
    s->kinds = kinds;
    s->idxs = idxs;
    s->n_out = (int)n;
    s->inner = inner;
    s->jk_kind = jk_kind;
    s->jk_idx = jk_idx;
    s->topic = Py_NewRef(topic);
    s->reader = Py_NewRef(reader);
    s->table = Py_NewRef(table);
    s->nulls = Py_NewRef(nulls);
    s->writer = Py_NewRef(writer);
    s->kcache = Py_NewRef(kcache);
    s->kser = Py_NewRef(kser);
    s->sink_topic = Py_NewRef(sink_topic);
    s->record = Py_NewRef(record);
    return 0;
}

/* a column (borrowed), NULL when it is not there as the Python lines would index it (then: decline) */
static PyObject *column(Step *s, int kind, int idx, PyObject *rec, PyObject *key0, PyObject *vals, PyObject *m) {
    PyObject *seq;
    switch (kind) {
    case S_KEY: return key0;
    case S_REC: return PyTuple_GET_ITEM(rec, idx);
    case S_VAL: seq = vals; break;
    default: seq = m;
    }
    if (PyList_CheckExact(seq)) return idx < PyList_GET_SIZE(seq) ? PyList_GET_ITEM(seq, idx) : NULL;
    if (PyTuple_CheckExact(seq)) return idx < PyTuple_GET_SIZE(seq) ? PyTuple_GET_ITEM(seq, idx) : NULL;
    return NULL;
}

/* one record: 1 its output appended (or none: an INNER miss), 0 declined (nothing done), -1 error */
static int one(Step *s, PyObject *rec, PyObject *out) {
    if (!PyTuple_Check(rec) || PyTuple_GET_SIZE(rec) < 7) return 0;
    PyObject *t = PyTuple_GET_ITEM(rec, 6);
    if (t != s->topic && !(PyUnicode_CheckExact(t) && PyUnicode_Compare(t, s->topic) == 0)) {
        if (PyErr_Occurred()) PyErr_Clear();
        return 0;
    }
    PyObject *v = PyTuple_GET_ITEM(rec, 1), *k = PyTuple_GET_ITEM(rec, 0);
    if (!PyBytes_CheckExact(v) || (k != Py_None && !PyBytes_CheckExact(k))) return 0;
    int rc = 0;
    PyObject *vals = NULL, *key0 = NULL, *lk = NULL, *vt = NULL, *value = NULL, *kb = NULL;
    vals = PyObject_CallOneArg(s->reader, v);
    if (vals == NULL || !PyList_CheckExact(vals)) goto done;
    key0 = k == Py_None ? Py_NewRef(Py_None) : PyUnicode_DecodeUTF8(PyBytes_AS_STRING(k), PyBytes_GET_SIZE(k), NULL);
    if (key0 == NULL) goto done;
    PyObject *jk = column(s, s->jk_kind, s->jk_idx, rec, key0, vals, NULL);
    if (jk == NULL || !(PyUnicode_CheckExact(jk) || PyLong_CheckExact(jk) || PyFloat_CheckExact(jk) || PyBool_Check(jk)))
        goto done; /* a null or structured key: the generic path */
    lk = PyTuple_Pack(1, jk);
    if (lk == NULL) goto done;
    PyObject *m = PyDict_GetItemWithError(s->table, lk); /* borrowed */
    if (m == NULL) {
        if (PyErr_Occurred()) goto done;
        if (s->inner) { /* no table row: no output */
            rc = 1;
            goto done;
        }
        m = s->nulls;
    }
    Py_INCREF(m); /* the writer or key serializer may run Python code */
    vt = PyTuple_New(s->n_out);
    if (vt == NULL) {
        Py_DECREF(m);
        goto done;
    }
    for (int i = 0; i < s->n_out; i++) {
        PyObject *c = column(s, s->kinds[i], s->idxs[i], rec, key0, vals, m);
        if (c == NULL) {
            Py_DECREF(m);
            goto done;
        }
        PyTuple_SET_ITEM(vt, i, Py_NewRef(c));
    }
    Py_DECREF(m);
    value = PyObject_CallOneArg(s->writer, vt);
    if (value == NULL || value == Py_None) goto done; /* the serializer decides: the Python lines */
    if (s->kcache == Py_None) {
        kb = Py_NewRef(Py_None);
    } else {
        int cached = PyUnicode_CheckExact(jk) || PyLong_CheckExact(jk);
        kb = cached ? Py_XNewRef(PyDict_GetItemWithError(s->kcache, jk)) : NULL;
        if (kb == NULL) {
            if (PyErr_Occurred()) goto done;
            PyObject *arg = PyList_New(1);
            if (arg == NULL) goto done;
            PyList_SET_ITEM(arg, 0, Py_NewRef(jk));
            kb = PyObject_CallOneArg(s->kser, arg);
            Py_DECREF(arg);
            if (kb == NULL) goto done;
            if (cached) {
                if (PyDict_GET_SIZE(s->kcache) >= KEY_CACHE_MAX) PyDict_Clear(s->kcache);
                if (PyDict_SetItem(s->kcache, jk, kb) < 0) goto done;
            }
        }
    }
    /* Record(key_bytes, value, rec[2], rec[3], 0, rec[5], sink topic), as tuple.__new__(Record, ...) */
    PyTypeObject *rt = (PyTypeObject *)s->record;
    PyObject *r = rt->tp_alloc(rt, 7), *zero = PyLong_FromLong(0);
    if (r == NULL || zero == NULL) {
        Py_XDECREF(r);
        Py_XDECREF(zero);
        rc = -1;
        goto done;
    }
    PyTuple_SET_ITEM(r, 0, kb);
    PyTuple_SET_ITEM(r, 1, value);
    kb = value = NULL;
    PyTuple_SET_ITEM(r, 2, Py_NewRef(PyTuple_GET_ITEM(rec, 2)));
    PyTuple_SET_ITEM(r, 3, Py_NewRef(PyTuple_GET_ITEM(rec, 3)));
    PyTuple_SET_ITEM(r, 4, zero);
    PyTuple_SET_ITEM(r, 5, Py_NewRef(PyTuple_GET_ITEM(rec, 5)));
    PyTuple_SET_ITEM(r, 6, Py_NewRef(s->sink_topic));
    rc = PyList_Append(out, r) < 0 ? -1 : 1;
    Py_DECREF(r);
done:
    if (rc == 0 && PyErr_Occurred()) PyErr_Clear(); /* declined: the Python lines meet it again */
    Py_XDECREF(vals);
    Py_XDECREF(key0);
    Py_XDECREF(lk);
    Py_XDECREF(vt);
    Py_XDECREF(value);
    Py_XDECREF(kb);
    return rc;
}

/* run(records, out, slow, pyloop): every record in order, each declined one through pyloop((rec,), out, slow) */
static PyObject *step_run(Step *s, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "run(records, out, slow, pyloop)");
        return NULL;
    }
    PyObject *records = args[0], *out = args[1], *slow = args[2], *pyloop = args[3];
    if (s->kinds == NULL || !PyList_CheckExact(out)) return PyObject_CallFunctionObjArgs(pyloop, records, out, slow, NULL);
    PyObject *seq = PySequence_Fast(records, "run: a sequence of records");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *rec = PySequence_Fast_GET_ITEM(seq, i);
        Py_INCREF(rec);
        int rc = one(s, rec, out);
        if (rc == 0) {
            PyObject *single = PyTuple_Pack(1, rec), *res = NULL;
            if (single != NULL) res = PyObject_CallFunctionObjArgs(pyloop, single, out, slow, NULL);
            Py_XDECREF(single);
            rc = res == NULL ? -1 : 1;
            Py_XDECREF(res);
        }
        Py_DECREF(rec);
        if (rc < 0) {
            Py_DECREF(seq);
            return NULL;
        }
    }
    Py_DECREF(seq);
    Py_RETURN_NONE;
}

static PyMethodDef step_methods[] = {
    {"run", (PyCFunction)(void (*)(void))step_run, METH_FASTCALL, "a batch of records through the join"},
    {NULL},
};

static PyTypeObject StepType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_joinstep.Step",
    .tp_doc = "The stream-table join loop of one query (see plan/fast/join.py).",
    .tp_basicsize = sizeof(Step),
    .tp_dealloc = (destructor)step_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = step_methods,
    .tp_init = (initproc)step_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, .m_name = "_joinstep", .m_size = -1};

PyMODINIT_FUNC PyInit__joinstep(void) {
    if (PyType_Ready(&StepType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&StepType);
    if (PyModule_AddObject(m, "Step", (PyObject *)&StepType) < 0
        || PyModule_AddIntConstant(m, "KEY_CACHE_MAX", KEY_CACHE_MAX) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
