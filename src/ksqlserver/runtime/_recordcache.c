/* The record cache (runtime/record_cache.py) in C: the same rules as its Python class `PyRecordCache`,
   which stays the reference and the fallback when no compiler is found. See record_cache.py for the Kafka
   Streams 3.5 classes each rule follows (NamedCache.put/flush/evict, ThreadCache.maybeEvict,
   CachingKeyValueStore.putAndMaybeForward, LRUNode.size).

   An entry is a Node owned by the index dict (key -> Node); the nodes also form a doubly linked list in
   LRU order (head: eldest), through borrowed pointers that are changed together with the dict. Every
   update moves its node to the tail and makes it dirty; only a flush makes nodes clean and evictions take
   the head, so the dirty nodes are always the last `n_dirty` of the list, in dirty order. Neither type is
   tracked by the garbage collector: entries hold sink records (tuples of bytes, ints and str) or a push
   query's rows, never a reference back to a cache, and a collection no longer walks the cache. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

/* LRUNode.size: key bytes + 3 references (entry, previous, next); LRUCacheEntry: the dirty flag; the record
   context: timestamp, offset, partition (record_cache._NODE_OVERHEAD, checked at load) */
#define NODE_OVERHEAD (8 + 8 + 8 + 1 + 8 + 8 + 4)
#define ROW_VALUE_BYTES 16

typedef struct Node {
    PyObject_HEAD
    PyObject *key;
    PyObject *item;
    struct Node *prev, *next;
    Py_ssize_t size;
    char live, base, dirty;
} Node;

/* Untracking (the garbage collector's work). A list or tuple whose items are all atomic (int, float, str,
   bytes, bool, None) or untracked can be in no reference cycle, so no collection needs to walk it: CPython
   untracks such exact tuples itself after one collection, never lists or tuple subclasses (a Record). An
   aggregation's state entry ([[accumulators], time, emitted]) and a cached output Record live until their
   session closes or their key leaves the cache, and every collection of their generation walked them.
   A list stays untracked when an item is set later: callers only ever store atomic values in them (the
   state entries are replaced, not mutated, except their emitted flag); inside a tuple only tuples and
   atomic values are taken. Depth-limited; returns whether `o` is untracked now. */
static int untrack_rec(PyObject *o, int depth, int frozen) {
    if (!PyObject_IS_GC(o)) return 1;
    int is_list = PyList_CheckExact(o);
    if (is_list && frozen) return 0; /* a list inside a tuple (a Record's headers) may be anyone's */
    if (!PyObject_GC_IsTracked(o)) /* a tuple, or a list untracked here; not an empty dict (it may grow) */
        return PyTuple_Check(o) || is_list;
    PyObject **items;
    Py_ssize_t n;
    if (is_list) {
        items = ((PyListObject *)o)->ob_item;
        n = PyList_GET_SIZE(o);
    } else if (PyTuple_Check(o) && Py_TYPE(o)->tp_dictoffset == 0
               && Py_TYPE(o)->tp_basicsize == PyTuple_Type.tp_basicsize) { /* no __dict__ or slots */
        items = ((PyTupleObject *)o)->ob_item;
        n = PyTuple_GET_SIZE(o);
        frozen = 1;
    } else {
        return 0;
    }
    if (depth > 2) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!untrack_rec(items[i], depth + 1, frozen)) return 0;
    }
    PyObject_GC_UnTrack(o);
    return 1;
}

static PyObject *untrack(PyObject *self, PyObject *o) {
    return PyBool_FromLong(untrack_rec(o, 0, 0));
}

static void node_dealloc(Node *n) {
    Py_XDECREF(n->key);
    Py_XDECREF(n->item);
    PyObject_Free(n);
}

static PyTypeObject NodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_recordcache.Node",
    .tp_basicsize = sizeof(Node),
    .tp_dealloc = (destructor)node_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

typedef struct {
    PyObject_HEAD
    PyObject *index;   /* key -> Node */
    PyObject *evicted; /* outputs flushed by evictions, until `take` */
    Node *head, *tail;
    Py_ssize_t size, n_dirty, max_bytes;
    Py_ssize_t flushes; /* flushes so far (a commit's or an eviction's): what a store below the cache saw */
} Cache;

static inline void unlink_node(Cache *c, Node *n) {
    if (n->prev) n->prev->next = n->next; else c->head = n->next;
    if (n->next) n->next->prev = n->prev; else c->tail = n->prev;
    n->prev = n->next = NULL;
}

static inline void link_tail(Cache *c, Node *n) {
    n->prev = c->tail;
    n->next = NULL;
    if (c->tail) c->tail->next = n; else c->head = n;
    c->tail = n;
}

static inline void move_to_end(Cache *c, Node *n) {
    if (c->tail != n) {
        unlink_node(c, n);
        link_tail(c, n);
    }
}

/* unlinks `n` and drops it from the index (which frees it) */
static int drop_node(Cache *c, Node *n) {
    unlink_node(c, n);
    c->size -= n->size;
    PyObject *key = n->key;
    Py_INCREF(key);
    int rc = PyDict_DelItem(c->index, key);
    Py_DECREF(key);
    return rc;
}

/* NamedCache.flush: every dirty node once, in dirty order; deleted keys leave the cache */
static int flush_into(Cache *c, PyObject *out) {
    Py_ssize_t n = c->n_dirty;
    c->flushes += 1;
    if (!n) return 0;
    c->n_dirty = 0;
    Node *node = c->tail;
    for (Py_ssize_t i = 1; i < n && node != NULL; i++) node = node->prev;
    while (node != NULL) {
        Node *next = node->next;
        node->dirty = 0;
        if (node->item != Py_None && PyList_Append(out, node->item) < 0) return -1;
        if (node->live) {
            node->base = 1;
        } else if (drop_node(c, node) < 0) {
            return -1;
        }
        node = next;
    }
    return 0;
}

/* ThreadCache.maybeEvict: the least recently used nodes leave until the cache fits its budget; a dirty one
   flushes the whole cache first (NamedCache.evict -> flush(eldest)) */
static int evict(Cache *c) {
    while (c->size > c->max_bytes && c->head != NULL) {
        int dirty = c->n_dirty == PyDict_GET_SIZE(c->index); /* the eldest is dirty when every node is */
        Node *n = c->head;
        PyObject *item = n->item;
        Py_INCREF(item);
        if (drop_node(c, n) < 0) {
            Py_DECREF(item);
            return -1;
        }
        if (dirty) {
            c->n_dirty -= 1;
            if (item != Py_None && PyList_Append(c->evicted, item) < 0) {
                Py_DECREF(item);
                return -1;
            }
            Py_DECREF(item);
            if (flush_into(c, c->evicted) < 0) return -1;
        } else {
            Py_DECREF(item);
        }
    }
    return 0;
}

static inline void set_item(Node *n, PyObject *item) {
    PyObject *old = n->item;
    Py_INCREF(item);
    n->item = item;
    Py_XDECREF(old);
}

static Node *new_node(Cache *c, PyObject *key, PyObject *item, int live, int base, Py_ssize_t size) {
    Node *n = PyObject_New(Node, &NodeType);
    if (n == NULL) return NULL;
    Py_INCREF(key);
    Py_INCREF(item);
    n->key = key;
    n->item = item;
    n->prev = n->next = NULL;
    n->size = size;
    n->live = (char)live;
    n->base = (char)base;
    n->dirty = 1;
    if (PyDict_SetItem(c->index, key, (PyObject *)n) < 0) {
        Py_DECREF(n);
        return NULL;
    }
    Py_DECREF(n); /* the index owns it */
    link_tail(c, n);
    c->size += size;
    c->n_dirty += 1;
    return n;
}

/* an update of an existing node: its new output, moved to the end, dirty */
static inline void update_node(Cache *c, Node *n, PyObject *item, int live, Py_ssize_t size) {
    c->size += size - n->size;
    set_item(n, item);
    n->live = (char)live;
    n->size = size;
    move_to_end(c, n);
    if (!n->dirty) {
        n->dirty = 1;
        c->n_dirty += 1;
    }
}

/* NamedCache.put of the key's latest output, then ThreadCache.maybeEvict (PyRecordCache.put) */
static int put(Cache *c, PyObject *key, PyObject *item, int live, int base_if_absent, Py_ssize_t size) {
    Node *n = (Node *)PyDict_GetItemWithError(c->index, key);
    if (n == NULL) {
        if (PyErr_Occurred()) return -1;
        if (!live && !base_if_absent) return 0; /* null over null: nothing to forward */
        if (new_node(c, key, item, live, base_if_absent, size) == NULL) return -1;
    } else if (!live && !n->base) {
        /* back to what was last flushed (nothing): forwards nothing (a node with base 0 is dirty) */
        c->n_dirty -= 1;
        return drop_node(c, n);
    } else {
        update_node(c, n, item, live, size);
    }
    return c->size > c->max_bytes ? evict(c) : 0;
}

static inline Py_ssize_t size_of(PyObject *o) {
    return o == Py_None ? 0 : PyObject_Size(o);
}

/* a sink record's key, and its size without the value */
static int record_parts(PyObject *rec, PyObject **key, PyObject **value, Py_ssize_t *size) {
    if (!PyTuple_Check(rec) || PyTuple_GET_SIZE(rec) < 7) {
        PyErr_SetString(PyExc_TypeError, "a sink record (a Record tuple) is expected");
        return -1;
    }
    *key = PyTuple_GET_ITEM(rec, 0);
    *value = PyTuple_GET_ITEM(rec, 1);
    Py_ssize_t ks = PyObject_IsTrue(*key) ? size_of(*key) : 0; /* len(key or b"") */
    if (ks < 0) return -1;
    Py_ssize_t ts = PyObject_Size(PyTuple_GET_ITEM(rec, 6));
    if (ts < 0) return -1;
    *size = NODE_OVERHEAD + ks + ts;
    return 0;
}

/* A sink record for a key: put(key, rec, live, update, size), `update` when its last output was live. */
static PyObject *add_record(Cache *c, PyObject *rec, int update) {
    PyObject *key, *value;
    Py_ssize_t size;
    if (record_parts(rec, &key, &value, &size) < 0) return NULL;
    untrack_rec(rec, 0, 1);
    if (value != Py_None) {
        Py_ssize_t vs = PyObject_Size(value);
        if (vs < 0) return NULL;
        size += vs;
    }
    if (put(c, key, rec, value != Py_None, update, size) < 0) return NULL;
    Py_RETURN_NONE;
}

/* append(rec): a sink record for a key whose last output was live */
static PyObject *cache_append(Cache *c, PyObject *rec) { return add_record(c, rec, 1); }

/* fresh(rec): a sink row for a key with no live output before */
static PyObject *cache_fresh(Cache *c, PyObject *rec) { return add_record(c, rec, 0); }

static PyObject *cache_put(Cache *c, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "put(key, item, live, base_if_absent, size)");
        return NULL;
    }
    int live = PyObject_IsTrue(args[2]), base = PyObject_IsTrue(args[3]);
    Py_ssize_t size = PyLong_AsSsize_t(args[4]);
    if (live < 0 || base < 0 || (size == -1 && PyErr_Occurred())) return NULL;
    if (put(c, args[0], args[1], live, base, size) < 0) return NULL;
    Py_RETURN_NONE;
}

/* keyed(key, row, fresh): a push query's row (None: the key's row is gone, which a push query does not
   show); keys holding lists or maps are cached by their repr (PyRecordCache.keyed) */
static PyObject *cache_keyed(Cache *c, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "keyed(key, row, fresh)");
        return NULL;
    }
    PyObject *key = args[0], *row = args[1];
    int fresh = PyObject_IsTrue(args[2]);
    if (fresh < 0) return NULL;
    Py_INCREF(key);
    if (PyObject_Hash(key) == -1) {
        if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
            Py_DECREF(key);
            return NULL;
        }
        PyErr_Clear();
        Py_SETREF(key, PyObject_Repr(key));
        if (key == NULL) return NULL;
    }
    PyObject *text = PyObject_Repr(key);
    if (text == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    Py_ssize_t size = NODE_OVERHEAD + PyObject_Size(text);
    Py_DECREF(text);
    if (row != Py_None) {
        Py_ssize_t n = PyObject_Size(row);
        if (n < 0) {
            Py_DECREF(key);
            return NULL;
        }
        size += ROW_VALUE_BYTES * n;
    }
    int rc = put(c, key, row, row != Py_None, !fresh, size);
    Py_DECREF(key);
    if (rc < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *cache_take(Cache *c, PyObject *unused) {
    PyObject *fresh = PyList_New(0);
    if (fresh == NULL) return NULL;
    PyObject *out = c->evicted;
    c->evicted = fresh;
    return out;
}

static PyObject *cache_flush(Cache *c, PyObject *unused) {
    PyObject *out = cache_take(c, NULL);
    if (out == NULL) return NULL;
    if (flush_into(c, out) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

static PyObject *cache_dirty(Cache *c, PyObject *unused) {
    return PyBool_FromLong(c->n_dirty || PyList_GET_SIZE(c->evicted));
}

static Py_ssize_t cache_len(Cache *c) {
    return PyDict_GET_SIZE(c->index);
}

/* the keys in LRU order, eldest first (what the Python class's `_entries` iterates) */
static PyObject *cache_entries(Cache *c, void *closure) {
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Node *n = c->head; n != NULL; n = n->next) {
        if (PyList_Append(out, n->key) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static int cache_init(Cache *c, PyObject *args, PyObject *kw) {
    Py_ssize_t max_bytes;
    if (!PyArg_ParseTuple(args, "n", &max_bytes)) return -1;
    PyObject *index = PyDict_New(), *evicted = PyList_New(0);
    if (index == NULL || evicted == NULL) {
        Py_XDECREF(index);
        Py_XDECREF(evicted);
        return -1;
    }
    Py_XSETREF(c->index, index); /* (nodes of an earlier __init__ go with the old index) */
    Py_XSETREF(c->evicted, evicted);
    c->head = c->tail = NULL;
    c->size = c->n_dirty = c->flushes = 0;
    c->max_bytes = max_bytes;
    return 0;
}

static void cache_dealloc(Cache *c) {
    Py_XDECREF(c->index);
    Py_XDECREF(c->evicted);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

static PyMethodDef cache_methods[] = {
    {"append", (PyCFunction)cache_append, METH_O, "a sink record for a key whose last output was live"},
    {"fresh", (PyCFunction)cache_fresh, METH_O, "a sink row for a key with no live output before"},
    {"put", (PyCFunction)(void (*)(void))cache_put, METH_FASTCALL, "NamedCache.put, then maybeEvict"},
    {"keyed", (PyCFunction)(void (*)(void))cache_keyed, METH_FASTCALL, "a push query's row"},
    {"take", (PyCFunction)cache_take, METH_NOARGS, "the outputs evictions flushed since the last call"},
    {"flush", (PyCFunction)cache_flush, METH_NOARGS, "the evicted outputs, then every dirty entry"},
    {"dirty", (PyCFunction)cache_dirty, METH_NOARGS, "whether outputs wait for a flush"},
    {NULL},
};

static PyMemberDef cache_members[] = {
    {"max_bytes", T_PYSSIZET, offsetof(Cache, max_bytes), READONLY, NULL},
    {"size", T_PYSSIZET, offsetof(Cache, size), READONLY, NULL},
    {"n_dirty", T_PYSSIZET, offsetof(Cache, n_dirty), READONLY, NULL},
    {"flushes", T_PYSSIZET, offsetof(Cache, flushes), READONLY, NULL},
    {NULL},
};

static PyGetSetDef cache_getset[] = {
    {"_entries", (getter)cache_entries, NULL, "the keys in LRU order", NULL},
    {NULL},
};

static PySequenceMethods cache_as_sequence = {.sq_length = (lenfunc)cache_len};

static PyTypeObject CacheType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_recordcache.RecordCache",
    .tp_doc = "One query's cache of aggregation outputs (see ksqlserver/runtime/record_cache.py).",
    .tp_basicsize = sizeof(Cache),
    .tp_dealloc = (destructor)cache_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = cache_methods,
    .tp_members = cache_members,
    .tp_getset = cache_getset,
    .tp_as_sequence = &cache_as_sequence,
    .tp_init = (initproc)cache_init,
    .tp_new = PyType_GenericNew,
};

static PyMethodDef module_methods[] = {
    {"untrack", (PyCFunction)untrack, METH_O, "untrack a list or tuple of atomic values (see untrack_rec)"},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_recordcache", .m_size = -1, .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__recordcache(void) {
    if (PyType_Ready(&NodeType) < 0 || PyType_Ready(&CacheType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&CacheType);
    if (PyModule_AddObject(m, "RecordCache", (PyObject *)&CacheType) < 0
        || PyModule_AddIntConstant(m, "NODE_OVERHEAD", NODE_OVERHEAD) < 0
        || PyModule_AddIntConstant(m, "ROW_VALUE_BYTES", ROW_VALUE_BYTES) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
