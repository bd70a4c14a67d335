/* One tumbling-window update of the generated aggregation loop (plan/fast/aggregate.py) in C: the window
   of the record, the late check, the (key, window) state entry read, updated and written back to the
   store's dict and change log, the window index, and the output Record (value bytes from the sink format's
   row writer, key bytes = the inner key's + the window start) handed to the record cache or the output
   list. It does exactly what the loop's Python lines do (Kafka Streams 3.5 KStreamWindowAggregate:
   drop a record whose window end + grace <= stream time; a new window starts from the initial values;
   each update forwards the aggregate stamped with the larger of the window's time and the record's).

   `step` declines (returns False, nothing changed) where the Python lines would not be the same in C:
   no inline store this batch, a grouping value or argument of another class than the loop expects, a
   timestamp beyond 64 bits, a state entry of another shape. The Python lines then run for that record.
   Errors where the Python lines raise propagate; errors inside the output step, where the Python lines
   catch and call the generic emit, call the generic emit. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* the state key's dict operations with its hash computed once (a tuple does not cache its hash: five
   lookups and inserts hashed it five times); the public calls where CPython has no known-hash ones */
#if PY_VERSION_HEX < 0x030D0000
#define GET_KH(d, k, h) _PyDict_GetItem_KnownHash(d, k, h)
#define SET_KH(d, k, v, h) _PyDict_SetItem_KnownHash(d, k, v, h)
#define HAS_KH(d, k, h) _PyDict_Contains_KnownHash(d, k, h)
#else
#define GET_KH(d, k, h) PyDict_GetItemWithError(d, k)
#define SET_KH(d, k, v, h) PyDict_SetItem(d, k, v)
#define HAS_KH(d, k, h) PyDict_Contains(d, k)
#endif

enum { K_COUNT_STAR, K_COUNT, K_SUM, K_SUM_INT32, K_SUM_INT64, K_MIN_INT, K_MAX_INT };
#define MAX_AGGS 32
#define KEY_CACHE_MAX 100000 /* aggregate._KEY_CACHE_MAX */

typedef struct {
    PyObject_HEAD
    long long size, grace;
    int n_aggs, n_vals;
    int kinds[MAX_AGGS];
    PyObject *inits;     /* tuple: each aggregate's initial value */
    PyObject *adds;      /* tuple: each aggregate's generic add (SUM_INT outside the range) or None */
    PyObject *val_idx;   /* tuple of ints: the value columns, as indexes of the aggregate row */
    PyObject *track, *writer, *kcache, *kser, *topic, *record, *emit;
    /* per batch */
    PyObject *pd, *pn, *pp, *out, *append, *fresh;
    /* a store read below its record cache (CacheBypassStore.keeping_writes), or all NULL: before each
       write, what its `keep` does (a key's value below the cache kept at its first write since a flush) */
    PyObject *below, *since, *cache, *rebase;
    int out_is_list;
    PyObject *lb; /* the index bucket of window start `ls` (None: no bucket known) */
    long long ls;
} Step;

static void clear_batch(Step *s) {
    Py_CLEAR(s->pd);
    Py_CLEAR(s->pn);
    Py_CLEAR(s->pp);
    Py_CLEAR(s->out);
    Py_CLEAR(s->append);
    Py_CLEAR(s->fresh);
    Py_CLEAR(s->below);
    Py_CLEAR(s->since);
    Py_CLEAR(s->cache);
    Py_CLEAR(s->rebase);
    Py_CLEAR(s->lb);
}

static void step_dealloc(Step *s) {
    clear_batch(s);
    Py_XDECREF(s->inits);
    Py_XDECREF(s->adds);
    Py_XDECREF(s->val_idx);
    Py_XDECREF(s->track);
    Py_XDECREF(s->writer);
    Py_XDECREF(s->kcache);
    Py_XDECREF(s->kser);
    Py_XDECREF(s->topic);
    Py_XDECREF(s->record);
    Py_XDECREF(s->emit);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

/* Step(size, grace, kinds, inits, adds, val_idx, track, writer, kcache, kser, topic, Record, emit) */
static int step_init(Step *s, PyObject *args, PyObject *kw) {
    PyObject *kinds;
    if (!PyArg_ParseTuple(args, "LLO!O!O!O!OOO!OUOO", &s->size, &s->grace, &PyTuple_Type, &kinds,
                          &PyTuple_Type, &s->inits, &PyTuple_Type, &s->adds, &PyTuple_Type, &s->val_idx,
                          &s->track, &s->writer, &PyDict_Type, &s->kcache, &s->kser, &s->topic, &s->record,
                          &s->emit))
        return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(kinds);
    if (n > MAX_AGGS || n != PyTuple_GET_SIZE(s->inits) || n != PyTuple_GET_SIZE(s->adds) || s->size <= 0
        || !PyType_Check(s->record) || !PyType_IsSubtype((PyTypeObject *)s->record, &PyTuple_Type)) {
        PyErr_SetString(PyExc_ValueError, "Step: bad arguments");
        return -1;
    }
    s->n_aggs = (int)n;
    s->n_vals = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long k = PyLong_AsLong(PyTuple_GET_ITEM(kinds, i));
        if (k < K_COUNT_STAR || k > K_MAX_INT) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "Step: unknown aggregate kind");
            return -1;
        }
        s->kinds[i] = (int)k;
        if (k != K_COUNT_STAR) s->n_vals++;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(s->val_idx); i++) {
        long j = PyLong_AsLong(PyTuple_GET_ITEM(s->val_idx, i));
        if (j < 0 || j >= n + 4) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "Step: bad value column");
            return -1;
        }
    }
    Py_INCREF(s->inits);
    Py_INCREF(s->adds);
    Py_INCREF(s->val_idx);
    Py_INCREF(s->track);
    Py_INCREF(s->writer);
    Py_INCREF(s->kcache);
    Py_INCREF(s->kser);
    Py_INCREF(s->topic);
    Py_INCREF(s->record);
    Py_INCREF(s->emit);
    s->ls = 0;
    return 0;
}

/* batch(pd, pn, pp, out[, keeping]): the store's put target for this batch (pd None: every step declines),
   the output (a list, or the record cache with its append / fresh) and `keeping` (None, or the kept values
   `below`, the `since` mark, the cache and `rebase` of CacheBypassStore.keeping_writes, the mark rebased:
   each write keeps the key's value below the cache first); forgets the index bucket */
static PyObject *step_batch(Step *s, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 && nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "batch(pd, pn, pp, out[, keeping])");
        return NULL;
    }
    clear_batch(s);
    if (args[0] == Py_None) Py_RETURN_NONE;
    if (nargs == 5 && args[4] != Py_None) {
        PyObject *k = args[4];
        if (!PyTuple_CheckExact(k) || PyTuple_GET_SIZE(k) != 4 || !PyDict_CheckExact(PyTuple_GET_ITEM(k, 0))
            || !PyList_CheckExact(PyTuple_GET_ITEM(k, 1)) || PyList_GET_SIZE(PyTuple_GET_ITEM(k, 1)) != 2) {
            PyErr_SetString(PyExc_TypeError, "batch: keeping is (below dict, since [cache, flushes], cache, rebase)");
            return NULL;
        }
        s->below = Py_NewRef(PyTuple_GET_ITEM(k, 0));
        s->since = Py_NewRef(PyTuple_GET_ITEM(k, 1));
        s->cache = Py_NewRef(PyTuple_GET_ITEM(k, 2));
        s->rebase = Py_NewRef(PyTuple_GET_ITEM(k, 3));
    }
    if (!PyDict_CheckExact(args[0]) || (args[1] != Py_None && !PyDict_CheckExact(args[1]))) {
        PyErr_SetString(PyExc_TypeError, "batch: dicts expected");
        return NULL;
    }
    PyObject *out = args[3];
    s->out_is_list = PyList_CheckExact(out);
    if (!s->out_is_list) {
        s->append = PyObject_GetAttrString(out, "append");
        s->fresh = s->append ? PyObject_GetAttrString(out, "fresh") : NULL;
        if (s->fresh == NULL) {
            Py_CLEAR(s->append);
            return NULL;
        }
    }
    Py_INCREF(args[0]);
    s->pd = args[0];
    if (args[1] != Py_None) {
        Py_INCREF(args[1]);
        s->pn = args[1];
    }
    Py_INCREF(args[2]);
    s->pp = args[2];
    Py_INCREF(out);
    s->out = out;
    Py_RETURN_NONE;
}

/* reset(): the index bucket may have left the index (an expiry ran) */
static PyObject *step_reset(Step *s, PyObject *unused) {
    Py_CLEAR(s->lb);
    Py_RETURN_NONE;
}

static PyObject *str_flushes; /* "flushes", interned */

/* CacheBypassStore._keep of `skey` whose stored value is `old` (NULL: absent), inline: when the cache
   flushed since the mark (an eviction inside the batch), `rebase(cache)` forgets the kept values; then the
   key's first write since keeps `old`. The mark's cache is the batch's (keeping_writes rebased it). */
static int keep(Step *s, PyObject *skey, Py_hash_t h, PyObject *old) {
    PyObject *flushes = PyObject_GetAttr(s->cache, str_flushes);
    if (flushes == NULL) return -1;
    PyObject *mark = PyList_GET_ITEM(s->since, 1); /* borrowed; `since` is a 2-list (checked, changed in place) */
    int same = flushes == mark;
    if (!same) {
        Py_INCREF(mark);
        same = PyObject_RichCompareBool(flushes, mark, Py_EQ);
        Py_DECREF(mark);
    }
    Py_DECREF(flushes);
    if (same < 0) return -1;
    if (!same) {
        PyObject *r = PyObject_CallOneArg(s->rebase, s->cache);
        if (r == NULL) return -1;
        Py_DECREF(r);
    }
    int has = HAS_KH(s->below, skey, h);
    if (has < 0) return -1;
    return has ? 0 : SET_KH(s->below, skey, old == NULL ? Py_None : old, h);
}

static int as_ll(PyObject *o, long long *v) {
    if (!PyLong_CheckExact(o)) return 0;
    int overflow;
    *v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (*v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return !overflow;
}

/* the window index: the start's bucket gets the key (aggregate.py's `_lb` / `_track` lines) */
static int track(Step *s, long long start, PyObject *skey) {
    if (s->lb != NULL && s->ls == start) return PyList_Append(s->lb, skey);
    PyObject *st = PyLong_FromLongLong(start);
    if (st == NULL) return -1;
    PyObject *b = PyObject_CallFunctionObjArgs(s->track, st, skey, NULL);
    Py_DECREF(st);
    if (b == NULL) return -1;
    if (!PyList_CheckExact(b)) { /* only a list can take the next keys directly */
        Py_DECREF(b);
        Py_CLEAR(s->lb);
        return 0;
    }
    Py_XSETREF(s->lb, b);
    s->ls = start;
    return 0;
}

/* the output (aggregate.py's out_body): 0 done, 1 the generic emit is to run, -1 error */
static int output(Step *s, PyObject *rec, PyObject **named, PyObject *t, long long start, int nw) {
    Py_ssize_t nv = PyTuple_GET_SIZE(s->val_idx);
    PyObject *vals = PyTuple_New(nv);
    if (vals == NULL) return -1;
    for (Py_ssize_t i = 0; i < nv; i++) {
        PyObject *o = named[PyLong_AsLong(PyTuple_GET_ITEM(s->val_idx, i))];
        Py_INCREF(o);
        PyTuple_SET_ITEM(vals, i, o);
    }
    PyObject *value = PyObject_CallOneArg(s->writer, vals);
    Py_DECREF(vals);
    if (value == NULL) {
        PyErr_Clear();
        return 1;
    }
    if (value == Py_None) {
        Py_DECREF(value);
        return 1;
    }
    PyObject *g0 = named[0];
    PyObject *kb = PyDict_GetItemWithError(s->kcache, g0); /* borrowed */
    if (kb == NULL) {
        if (PyErr_Occurred()) goto fail_value;
        PyObject *arg = PyList_New(1);
        if (arg == NULL) goto fail_value;
        Py_INCREF(g0);
        PyList_SET_ITEM(arg, 0, g0);
        PyObject *fresh_kb = PyObject_CallOneArg(s->kser, arg);
        Py_DECREF(arg);
        if (fresh_kb == NULL) goto fail_value;
        if (PyDict_GET_SIZE(s->kcache) >= KEY_CACHE_MAX) PyDict_Clear(s->kcache);
        int rc = PyDict_SetItem(s->kcache, g0, fresh_kb);
        Py_DECREF(fresh_kb);
        if (rc < 0) goto fail_value;
        kb = PyDict_GetItemWithError(s->kcache, g0);
        if (kb == NULL) goto fail_value;
    }
    /* (kb or b'') + the window start, 8 bytes big-endian */
    const char *kp = "";
    Py_ssize_t kn = 0;
    if (kb != Py_None) {
        if (!PyBytes_Check(kb)) goto fail_value; /* `(kb or b'') + bytes` of another class: generic */
        kp = PyBytes_AS_STRING(kb);
        kn = PyBytes_GET_SIZE(kb);
    }
    PyObject *key = PyBytes_FromStringAndSize(NULL, kn + 8);
    if (key == NULL) goto fail_value;
    char *kd = PyBytes_AS_STRING(key);
    memcpy(kd, kp, kn);
    unsigned long long u = (unsigned long long)start;
    for (int i = 0; i < 8; i++) kd[kn + i] = (char)(u >> (56 - 8 * i));
    /* Record(kb, value, t, rec[3], 0, rec[5], topic), as tuple.__new__(Record, ...): the output keeps the
       triggering record's headers (Kafka Streams forwards the aggregate in that record's context) */
    PyTypeObject *rt = (PyTypeObject *)s->record;
    PyObject *r = rt->tp_alloc(rt, 7);
    if (r == NULL) {
        Py_DECREF(key);
        goto fail_value;
    }
    PyObject *part = PyTuple_GET_ITEM(rec, 3), *zero = PyLong_FromLong(0), *empty = PyTuple_GET_ITEM(rec, 5);
    Py_INCREF(empty);
    Py_INCREF(t);
    Py_INCREF(part);
    Py_INCREF(s->topic);
    PyTuple_SET_ITEM(r, 0, key);
    PyTuple_SET_ITEM(r, 1, value);
    PyTuple_SET_ITEM(r, 2, t);
    PyTuple_SET_ITEM(r, 3, part);
    PyTuple_SET_ITEM(r, 4, zero);
    PyTuple_SET_ITEM(r, 5, empty);
    PyTuple_SET_ITEM(r, 6, s->topic);
    if (zero == NULL || empty == NULL) {
        Py_DECREF(r);
        return -1;
    }
    int rc;
    if (s->out_is_list) {
        rc = PyList_Append(s->out, r);
    } else {
        PyObject *res = PyObject_CallOneArg(nw ? s->fresh : s->append, r);
        rc = res == NULL ? -1 : 0;
        Py_XDECREF(res);
    }
    Py_DECREF(r);
    if (rc < 0) { /* the Python lines' try covers the append: the generic emit */
        PyErr_Clear();
        return 1;
    }
    return 0;
fail_value:
    Py_DECREF(value);
    PyErr_Clear();
    return 1;
}

/* step(rec, g0, ts, pst, *values): None when done (or the record is late), False when declined */
static PyObject *step_step(Step *s, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 + s->n_vals) {
        PyErr_SetString(PyExc_TypeError, "step(rec, g0, ts, pst, *values)");
        return NULL;
    }
    if (s->pd == NULL) Py_RETURN_FALSE;
    PyObject *rec = args[0], *g0 = args[1];
    long long ts, pst;
    if (!PyTuple_Check(rec) || PyTuple_GET_SIZE(rec) < 4 || !(PyUnicode_CheckExact(g0) || PyLong_CheckExact(g0))
        || !as_ll(args[2], &ts) || !as_ll(args[3], &pst))
        Py_RETURN_FALSE;
    PyObject *const *vs = args + 4;
    for (int j = 0, i = 0; j < s->n_aggs; j++) {
        int k = s->kinds[j];
        if (k == K_COUNT_STAR) continue;
        PyObject *v = vs[i++];
        if (k >= K_SUM_INT32 && v != Py_None && !PyLong_CheckExact(v)) Py_RETURN_FALSE;
    }
    long long rem = ts % s->size;
    if (rem < 0) rem += s->size; /* Python's floor modulo */
    long long start = ts - rem, end;
    if (__builtin_add_overflow(start, s->size, &end) || end > LLONG_MAX - s->grace) Py_RETURN_FALSE;
    if (end + s->grace <= pst) Py_RETURN_NONE; /* late: the window is closed */
    PyObject *pstart = PyLong_FromLongLong(start), *pend = PyLong_FromLongLong(end);
    PyObject *skey = NULL, *old = NULL, *accs[MAX_AGGS] = {0}, *t = NULL, *state = NULL, *inner = NULL;
    PyObject *result = NULL;
    Py_hash_t h;
    int n = s->n_aggs, nw;
    if (pstart == NULL || pend == NULL) goto done;
    skey = PyTuple_Pack(3, g0, pstart, pend);
    if (skey == NULL) goto done;
    h = PyObject_Hash(skey);
    if (h == -1) goto done;
    old = GET_KH(s->pd, skey, h);
    if (old == NULL && PyErr_Occurred()) goto done;
    Py_XINCREF(old); /* held: Python code (the window index, rebase) runs before the write */
    if (old != NULL) {
        PyObject *oa = PyList_CheckExact(old) && PyList_GET_SIZE(old) == 3 ? PyList_GET_ITEM(old, 0) : NULL;
        if (oa == NULL || !PyList_CheckExact(oa) || PyList_GET_SIZE(oa) != n) {
            result = Py_False;
            Py_INCREF(result);
            goto done;
        }
        for (int j = 0; j < n; j++) { /* integer sums, MIN and MAX: ints (or no value yet) */
            PyObject *a = PyList_GET_ITEM(oa, j);
            int k = s->kinds[j];
            if (k >= K_SUM_INT32 && !PyLong_CheckExact(a) && !(k >= K_MIN_INT && a == Py_None)) {
                result = Py_NewRef(Py_False);
                goto done;
            }
        }
        for (int j = 0; j < n; j++) accs[j] = Py_NewRef(PyList_GET_ITEM(oa, j));
        t = PyList_GET_ITEM(old, 1);
        Py_INCREF(t);
        int later = PyObject_RichCompareBool(args[2], t, Py_GT);
        if (later < 0) goto done;
        if (later) Py_SETREF(t, Py_NewRef(args[2]));
        nw = 0;
    } else {
        for (int j = 0; j < n; j++) accs[j] = Py_NewRef(PyTuple_GET_ITEM(s->inits, j));
        t = Py_NewRef(args[2]);
        nw = 1;
        if (track(s, start, skey) < 0) goto done;
    }
    static PyObject *one = NULL;
    if (one == NULL && (one = PyLong_FromLong(1)) == NULL) goto done;
    for (int j = 0, i = 0; j < n; j++) {
        int k = s->kinds[j];
        PyObject *v = k == K_COUNT_STAR ? NULL : vs[i++], *a = accs[j], *r = NULL;
        if (k == K_COUNT_STAR || (k == K_COUNT && v != Py_None)) {
            r = PyNumber_Add(a, one);
        } else if (v == Py_None) {
            continue;
        } else if (k == K_SUM) {
            r = PyNumber_Add(a, v);
        } else if (k == K_SUM_INT32 || k == K_SUM_INT64) {
            r = PyNumber_Add(a, v);
            long long x;
            int in_range = r != NULL && as_ll(r, &x) && (k == K_SUM_INT64 || (x >= INT32_MIN && x <= INT32_MAX));
            if (r != NULL && !in_range) { /* wraps like the column's Java type: the generic add */
                Py_DECREF(r);
                r = PyObject_CallFunctionObjArgs(PyTuple_GET_ITEM(s->adds, j), a, v, NULL);
            }
        } else if (k == K_MIN_INT || k == K_MAX_INT) {
            int take = a == Py_None;
            if (!take) {
                take = PyObject_RichCompareBool(v, a, k == K_MIN_INT ? Py_LT : Py_GT);
                if (take < 0) goto done;
            }
            r = Py_NewRef(take ? v : a);
        } else {
            continue;
        }
        if (r == NULL) goto done;
        Py_SETREF(accs[j], r);
    }
    /* state = [[accs], t, True], untracked (atomic values only: aggregate.py's `_untrack(state)`) */
    inner = PyList_New(n);
    if (inner == NULL) goto done;
    for (int j = 0; j < n; j++) PyList_SET_ITEM(inner, j, Py_NewRef(accs[j]));
    state = PyList_New(3);
    if (state == NULL) goto done;
    PyList_SET_ITEM(state, 0, Py_NewRef(inner));
    PyList_SET_ITEM(state, 1, Py_NewRef(t));
    PyList_SET_ITEM(state, 2, Py_NewRef(Py_True));
    PyObject_GC_UnTrack(inner);
    PyObject_GC_UnTrack(state);
    PyObject_GC_UnTrack(skey); /* str and ints: in no cycle (CPython would untrack it at its first collection) */
    if (s->below != NULL && keep(s, skey, h, old) < 0) goto done; /* the value below the cache, first */
    if (SET_KH(s->pd, skey, state, h) < 0) goto done;
    if (s->pn != NULL && SET_KH(s->pn, skey, s->pp, h) < 0) goto done;
    /* the aggregate row: grouping value, results, ROWTIME, window start and end */
    PyObject *named[MAX_AGGS + 4];
    named[0] = g0;
    for (int j = 0; j < n; j++) named[1 + j] = accs[j];
    named[n + 1] = t;
    named[n + 2] = pstart;
    named[n + 3] = pend;
    int rc = output(s, rec, named, t, start, nw);
    if (rc < 0) goto done;
    if (rc == 1) { /* _emit((g0,), [g0, *results, t, start, end], t, (start, end), rec, out, nw) */
        PyObject *gk = PyTuple_Pack(1, g0), *row = PyList_New(n + 4), *wnd = PyTuple_Pack(2, pstart, pend);
        if (gk != NULL && row != NULL && wnd != NULL) {
            for (int j = 0; j < n + 4; j++) PyList_SET_ITEM(row, j, Py_NewRef(named[j]));
            PyObject *res = PyObject_CallFunctionObjArgs(s->emit, gk, row, t, wnd, rec, s->out,
                                                         nw ? Py_True : Py_False, NULL);
            Py_XDECREF(res);
            if (res == NULL) rc = -1;
        } else {
            rc = -1;
        }
        Py_XDECREF(gk);
        Py_XDECREF(row);
        Py_XDECREF(wnd);
        if (rc < 0) goto done;
    }
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(pstart);
    Py_XDECREF(pend);
    Py_XDECREF(skey);
    Py_XDECREF(old);
    for (int j = 0; j < n; j++) Py_XDECREF(accs[j]);
    Py_XDECREF(t);
    Py_XDECREF(inner);
    Py_XDECREF(state);
    return result;
}

static PyMethodDef step_methods[] = {
    {"step", (PyCFunction)(void (*)(void))step_step, METH_FASTCALL, "one record's window update and output"},
    {"batch", (PyCFunction)(void (*)(void))step_batch, METH_FASTCALL, "the store target and output of a batch"},
    {"reset", (PyCFunction)step_reset, METH_NOARGS, "forget the window index bucket"},
    {NULL},
};

static PyTypeObject StepType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_winstep.Step",
    .tp_doc = "The tumbling-window update of one aggregation query (see plan/fast/aggregate.py).",
    .tp_basicsize = sizeof(Step),
    .tp_dealloc = (destructor)step_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = step_methods,
    .tp_init = (initproc)step_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, .m_name = "_winstep", .m_size = -1};

PyMODINIT_FUNC PyInit__winstep(void) {
    if (PyType_Ready(&StepType) < 0) return NULL;
    if (str_flushes == NULL && (str_flushes = PyUnicode_InternFromString("flushes")) == NULL) return NULL;
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
