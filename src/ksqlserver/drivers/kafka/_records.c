/* The Kafka driver's record helpers (see drivers/kafka/records.py): confluent-kafka messages to records,
   and the produce loop without an interpreter round trip per record. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *s_error, *s_key, *s_value, *s_timestamp, *s_partition, *s_offset, *s_headers, *s_topic;

static inline PyObject *call0(PyObject *obj, PyObject *name) {
    PyObject *args[1] = {obj};
    return PyObject_VectorcallMethod(name, args, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

/* records(messages, record_type, topic) -> (records, errors): each confluent-kafka Message without an
   error as record_type((key, value, timestamp (-1 when it has none), partition, offset, tuple(headers) or (),
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
        /* timestamp() is (type, ms); a missing one stays -1 (ConsumerRecord.NO_TIMESTAMP): the query's
           timestamp extractor judges it, as Kafka Streams' does */
        PyObject *ms = NULL;
        if (PyTuple_Check(ts) && PyTuple_GET_SIZE(ts) == 2) {
            long long v = PyLong_AsLongLong(PyTuple_GET_ITEM(ts, 1));
            if (v == -1 && PyErr_Occurred()) PyErr_Clear();
            ms = PyLong_FromLongLong(v);
        } else {
            ms = PyLong_FromLong(-1);
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

/* Raise times[(topic, partition)] to the largest timestamp of each run of one partition in `records`. */
static int flush_run(PyObject *times, PyObject *topic, long long part, long long best) {
    PyObject *key = Py_BuildValue("(OL)", topic, part);
    if (key == NULL) return -1;
    PyObject *old = PyDict_GetItemWithError(times, key); /* borrowed */
    int r = 0;
    if (old == NULL && PyErr_Occurred()) {
        r = -1;
    } else {
        long long prev = -1;
        if (old != NULL) {
            prev = PyLong_AsLongLong(old);
            if (prev == -1 && PyErr_Occurred()) r = -1;
        }
        if (r == 0 && (old == NULL || best > prev)) {
            PyObject *v = PyLong_FromLongLong(best);
            r = v == NULL ? -1 : PyDict_SetItem(times, key, v);
            Py_XDECREF(v);
        }
    }
    Py_DECREF(key);
    return r;
}

/* partition_times(records, times) -> None: the partition time after `records` (Record tuples: timestamp at
   2, partition at 3, topic at 6), as times[(topic, partition)] = the largest timestamp seen; one pass
   that compares each record with the run it continues, without a dict lookup per record. */
static PyObject *partition_times(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyList_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "partition_times(records: list, times: dict)");
        return NULL;
    }
    PyObject *recs = args[0], *times = args[1];
    Py_ssize_t n = PyList_GET_SIZE(recs);
    PyObject *topic = NULL; /* the current run's topic (borrowed from its records) */
    long long part = 0, best = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PyList_GET_ITEM(recs, i);
        if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) < 7) {
            PyErr_SetString(PyExc_TypeError, "partition_times: records must be Record tuples");
            return NULL;
        }
        long long ts = PyLong_AsLongLong(PyTuple_GET_ITEM(r, 2));
        long long p = PyLong_AsLongLong(PyTuple_GET_ITEM(r, 3));
        if ((ts == -1 || p == -1) && PyErr_Occurred()) return NULL;
        PyObject *t = PyTuple_GET_ITEM(r, 6);
        int same = 0;
        if (topic != NULL && p == part) {
            same = t == topic ? 1 : PyObject_RichCompareBool(t, topic, Py_EQ);
            if (same < 0) return NULL;
        }
        if (same) {
            if (ts > best) best = ts;
            continue;
        }
        if (topic != NULL && flush_run(times, topic, part, best) < 0) return NULL;
        topic = t;
        part = p;
        best = ts;
    }
    if (topic != NULL && flush_run(times, topic, part, best) < 0) return NULL;
    Py_RETURN_NONE;
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
    {"records", (PyCFunction)(void (*)(void))records, METH_FASTCALL,
     "records(messages, record_type, topic) -> (records, errors): confluent-kafka messages as records."},
    {"partition_times", (PyCFunction)(void (*)(void))partition_times, METH_FASTCALL,
     "partition_times(records, times) -> None: the largest timestamp per (topic, partition)."},
    {"produce_records", (PyCFunction)(void (*)(void))produce_records, METH_FASTCALL,
     "produce_records(produce, topic, records, start, keep_partition) -> int: the index it stopped at."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_records", NULL, -1, methods};

PyMODINIT_FUNC PyInit__records(void) {
    const char *names[] = {"error", "key", "value", "timestamp", "partition", "offset", "headers", "topic"};
    PyObject **slots[] = {&s_error, &s_key, &s_value, &s_timestamp, &s_partition, &s_offset, &s_headers, &s_topic};
    for (int i = 0; i < 8; i++) {
        if (*slots[i] == NULL && (*slots[i] = PyUnicode_InternFromString(names[i])) == NULL) return NULL;
    }
    return PyModule_Create(&module);
}
