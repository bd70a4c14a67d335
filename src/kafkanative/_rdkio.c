/* Kafka I/O on librdkafka without a Python object per message (kafkanative/__init__.py loads it).
 *
 * librdkafka is the one confluent-kafka's wheel already loaded: `bind(path)` dlopens that file (the
 * loader hands back the copy in memory) and resolves the few functions below with dlsym, so nothing is
 * installed or linked. The declarations are copied from librdkafka's public rdkafka.h (2.x); the structs
 * are part of its stable ABI (unchanged since 1.x).
 *
 * Producer: records (tuples key, value, timestamp, partition, offset, headers, topic) are handed to
 * rd_kafka_producev with the GIL released (or, `produce_values`, two lists of values and keys); delivery
 * reports are counted in C and failures kept for the caller. Consumer: rd_kafka_consume_batch_queue on the consumer queue, messages turned straight into
 * record tuples; the group's rebalances call back into Python (the caller decides start offsets).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* ---- from rdkafka.h (librdkafka 2.x) ---- */
typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;
typedef struct rd_kafka_topic_conf_s rd_kafka_topic_conf_t;
typedef struct rd_kafka_queue_s rd_kafka_queue_t;
typedef struct rd_kafka_headers_s rd_kafka_headers_t;
typedef struct rd_kafka_consumer_group_metadata_s rd_kafka_consumer_group_metadata_t;
typedef struct rd_kafka_error_s rd_kafka_error_t;
typedef int rd_kafka_resp_err_t;
typedef enum { RD_KAFKA_PRODUCER, RD_KAFKA_CONSUMER } rd_kafka_type_t;
typedef enum { RD_KAFKA_TIMESTAMP_NOT_AVAILABLE } rd_kafka_timestamp_type_t;
enum {
    RD_KAFKA_VTYPE_END, RD_KAFKA_VTYPE_TOPIC, RD_KAFKA_VTYPE_RKT, RD_KAFKA_VTYPE_PARTITION, RD_KAFKA_VTYPE_VALUE,
    RD_KAFKA_VTYPE_KEY, RD_KAFKA_VTYPE_OPAQUE, RD_KAFKA_VTYPE_MSGFLAGS, RD_KAFKA_VTYPE_TIMESTAMP,
    RD_KAFKA_VTYPE_HEADER, RD_KAFKA_VTYPE_HEADERS,
};
#define RD_KAFKA_MSG_F_COPY 0x2
#define RD_KAFKA_PARTITION_UA ((int32_t)-1)
#define RD_KAFKA_CONF_OK 0
#define ERR_NO_ERROR 0
#define ERR__PARTITION_EOF (-191)
#define ERR__QUEUE_FULL (-184)
#define ERR__ASSIGN_PARTITIONS (-175)
#define ERR__REVOKE_PARTITIONS (-174)
#define ERR__NOENT (-156)

typedef struct rd_kafka_message_s {
    rd_kafka_resp_err_t err;
    rd_kafka_topic_t *rkt;
    int32_t partition;
    void *payload;
    size_t len;
    void *key;
    size_t key_len;
    int64_t offset;
    void *_private;
} rd_kafka_message_t;

typedef struct rd_kafka_topic_partition_s {
    char *topic;
    int32_t partition;
    int64_t offset;
    void *metadata;
    size_t metadata_size;
    void *opaque;
    rd_kafka_resp_err_t err;
    void *_private;
} rd_kafka_topic_partition_t;

typedef struct rd_kafka_topic_partition_list_s {
    int cnt;
    int size;
    rd_kafka_topic_partition_t *elems;
} rd_kafka_topic_partition_list_t;

typedef void (*dr_msg_cb_t)(rd_kafka_t *, const rd_kafka_message_t *, void *);
typedef void (*log_cb_t)(const rd_kafka_t *, int, const char *, const char *);
typedef void (*rebalance_cb_t)(rd_kafka_t *, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t *, void *);

/* The functions used, resolved by bind(); X(return type, name, parameters). */
#define RDK_FUNCTIONS(X)                                                                                     \
    X(int, rd_kafka_version, (void))                                                                         \
    X(const char *, rd_kafka_err2str, (rd_kafka_resp_err_t))                                                 \
    X(rd_kafka_conf_t *, rd_kafka_conf_new, (void))                                                          \
    X(void, rd_kafka_conf_destroy, (rd_kafka_conf_t *))                                                      \
    X(int, rd_kafka_conf_set, (rd_kafka_conf_t *, const char *, const char *, char *, size_t))               \
    X(void, rd_kafka_conf_set_dr_msg_cb, (rd_kafka_conf_t *, dr_msg_cb_t))                                   \
    X(void, rd_kafka_conf_set_rebalance_cb, (rd_kafka_conf_t *, rebalance_cb_t))                             \
    X(void, rd_kafka_conf_set_opaque, (rd_kafka_conf_t *, void *))                                           \
    X(void, rd_kafka_conf_set_log_cb, (rd_kafka_conf_t *, log_cb_t))                                         \
    X(const char *, rd_kafka_name, (const rd_kafka_t *))                                                     \
    X(rd_kafka_t *, rd_kafka_new, (rd_kafka_type_t, rd_kafka_conf_t *, char *, size_t))                      \
    X(void, rd_kafka_destroy, (rd_kafka_t *))                                                                \
    X(int, rd_kafka_poll, (rd_kafka_t *, int))                                                               \
    X(int, rd_kafka_outq_len, (rd_kafka_t *))                                                                \
    X(rd_kafka_resp_err_t, rd_kafka_flush, (rd_kafka_t *, int))                                              \
    X(rd_kafka_resp_err_t, rd_kafka_producev, (rd_kafka_t *, ...))                                           \
    X(rd_kafka_topic_t *, rd_kafka_topic_new, (rd_kafka_t *, const char *, rd_kafka_topic_conf_t *))          \
    X(void, rd_kafka_topic_destroy, (rd_kafka_topic_t *))                                                    \
    X(const char *, rd_kafka_topic_name, (const rd_kafka_topic_t *))                                         \
    X(rd_kafka_headers_t *, rd_kafka_headers_new, (size_t))                                                  \
    X(void, rd_kafka_headers_destroy, (rd_kafka_headers_t *))                                                \
    X(rd_kafka_resp_err_t, rd_kafka_header_add,                                                              \
      (rd_kafka_headers_t *, const char *, ssize_t, const void *, ssize_t))                                  \
    X(rd_kafka_resp_err_t, rd_kafka_header_get_all,                                                          \
      (const rd_kafka_headers_t *, size_t, const char **, const void **, size_t *))                          \
    X(rd_kafka_resp_err_t, rd_kafka_message_headers, (const rd_kafka_message_t *, rd_kafka_headers_t **))   \
    X(int64_t, rd_kafka_message_timestamp, (const rd_kafka_message_t *, rd_kafka_timestamp_type_t *))        \
    X(void, rd_kafka_message_destroy, (rd_kafka_message_t *))                                                \
    X(rd_kafka_resp_err_t, rd_kafka_poll_set_consumer, (rd_kafka_t *))                                       \
    X(rd_kafka_queue_t *, rd_kafka_queue_get_consumer, (rd_kafka_t *))                                       \
    X(void, rd_kafka_queue_destroy, (rd_kafka_queue_t *))                                                    \
    X(ssize_t, rd_kafka_consume_batch_queue, (rd_kafka_queue_t *, int, rd_kafka_message_t **, size_t))       \
    X(rd_kafka_topic_partition_list_t *, rd_kafka_topic_partition_list_new, (int))                           \
    X(rd_kafka_topic_partition_t *, rd_kafka_topic_partition_list_add,                                       \
      (rd_kafka_topic_partition_list_t *, const char *, int32_t))                                            \
    X(void, rd_kafka_topic_partition_list_destroy, (rd_kafka_topic_partition_list_t *))                      \
    X(rd_kafka_resp_err_t, rd_kafka_subscribe, (rd_kafka_t *, const rd_kafka_topic_partition_list_t *))     \
    X(rd_kafka_resp_err_t, rd_kafka_assign, (rd_kafka_t *, const rd_kafka_topic_partition_list_t *))        \
    X(rd_kafka_resp_err_t, rd_kafka_assignment, (rd_kafka_t *, rd_kafka_topic_partition_list_t **))         \
    X(int, rd_kafka_assignment_lost, (rd_kafka_t *))                                                         \
    X(rd_kafka_resp_err_t, rd_kafka_commit, (rd_kafka_t *, const rd_kafka_topic_partition_list_t *, int))   \
    X(rd_kafka_resp_err_t, rd_kafka_committed, (rd_kafka_t *, rd_kafka_topic_partition_list_t *, int))      \
    X(rd_kafka_resp_err_t, rd_kafka_position, (rd_kafka_t *, rd_kafka_topic_partition_list_t *))            \
    X(rd_kafka_resp_err_t, rd_kafka_pause_partitions, (rd_kafka_t *, rd_kafka_topic_partition_list_t *))    \
    X(rd_kafka_resp_err_t, rd_kafka_resume_partitions, (rd_kafka_t *, rd_kafka_topic_partition_list_t *))   \
    X(rd_kafka_resp_err_t, rd_kafka_query_watermark_offsets,                                                 \
      (rd_kafka_t *, const char *, int32_t, int64_t *, int64_t *, int))                                      \
    X(rd_kafka_resp_err_t, rd_kafka_get_watermark_offsets,                                                   \
      (rd_kafka_t *, const char *, int32_t, int64_t *, int64_t *))                                           \
    X(rd_kafka_resp_err_t, rd_kafka_consumer_close, (rd_kafka_t *))                                          \
    X(rd_kafka_consumer_group_metadata_t *, rd_kafka_consumer_group_metadata, (rd_kafka_t *))                \
    X(void, rd_kafka_consumer_group_metadata_destroy, (rd_kafka_consumer_group_metadata_t *))                \
    X(rd_kafka_error_t *, rd_kafka_consumer_group_metadata_write,                                            \
      (const rd_kafka_consumer_group_metadata_t *, void **, size_t *))                                       \
    X(void, rd_kafka_error_destroy, (rd_kafka_error_t *))                                                    \
    X(void, rd_kafka_mem_free, (rd_kafka_t *, void *))
/* ---- end of rdkafka.h ---- */

#define X(ret, name, params) static ret(*p_##name) params;
RDK_FUNCTIONS(X)
#undef X

static PyObject *KafkaNativeError; /* the error class given to bind(): called with (code, reason, call) */
static PyObject *s_empty_tuple;

/* raise KafkaNativeError(code, reason, call) (the class given to bind; `call` names the refused call) */
static PyObject *raise_err(rd_kafka_resp_err_t err, const char *what) {
    PyObject *exc = PyObject_CallFunction(KafkaNativeError, "iss", (int)err, p_rd_kafka_err2str(err), what);
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

/* bind(path, error_class) -> int: resolve librdkafka's functions from the library file at `path`; its
   version. librdkafka's refusals raise error_class(code, reason, call). */
static PyObject *bind(PyObject *self, PyObject *args) {
    const char *path;
    PyObject *cls;
    if (!PyArg_ParseTuple(args, "sO", &path, &cls)) return NULL;
    Py_INCREF(cls);
    Py_XSETREF(KafkaNativeError, cls);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) return PyErr_Format(PyExc_OSError, "dlopen %s: %s", path, dlerror());
#define X(ret, name, params)                                                                                 \
    if ((p_##name = (ret(*) params)dlsym(lib, #name)) == NULL)                                               \
        return PyErr_Format(PyExc_OSError, "%s has no %s", path, #name);
    RDK_FUNCTIONS(X)
#undef X
    return PyLong_FromLong(p_rd_kafka_version());
}

static int bound(void) {
    if (p_rd_kafka_new == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "librdkafka is not bound (call bind(path) first)");
        return 0;
    }
    return 1;
}

/* librdkafka's log lines: its log callback runs on librdkafka's own threads, where Python must not be
   called, so each line is copied into this bounded queue (lines past LOG_MAX are counted, not kept) and
   take_logs() hands them to the calling Python thread (kafkanative.drain_logs: Python logging). */
#define LOG_MAX 256
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { int level; char name[64], fac[32], msg[512]; } log_lines[LOG_MAX];
static int log_count;
static long long log_dropped;

static void copy_text(char *dst, const char *src, size_t size) {
    strncpy(dst, src != NULL ? src : "", size - 1);
    dst[size - 1] = 0;
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
    pthread_mutex_lock(&log_lock);
    if (log_count < LOG_MAX) {
        log_lines[log_count].level = level;
        copy_text(log_lines[log_count].name, rk != NULL ? p_rd_kafka_name(rk) : "", sizeof log_lines[0].name);
        copy_text(log_lines[log_count].fac, fac, sizeof log_lines[0].fac);
        copy_text(log_lines[log_count].msg, buf, sizeof log_lines[0].msg);
        log_count++;
    } else {
        log_dropped++;
    }
    pthread_mutex_unlock(&log_lock);
}

/* take_logs() -> (dropped, [(level, client name, facility, message)]): the lines queued since the last call. */
static PyObject *take_logs(PyObject *self, PyObject *unused) {
    if (log_count == 0 && log_dropped == 0) return Py_BuildValue("(L[])", 0LL); /* racy read: next call gets them */
    pthread_mutex_lock(&log_lock);
    int n = log_count;
    long long dropped = log_dropped;
    static struct { int level; char name[64], fac[32], msg[512]; } copy[LOG_MAX];
    memcpy(copy, log_lines, sizeof copy[0] * (size_t)n);
    log_count = 0;
    log_dropped = 0;
    pthread_mutex_unlock(&log_lock);
    PyObject *list = PyList_New(n);
    if (list == NULL) return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *item = Py_BuildValue("(isss)", copy[i].level, copy[i].name, copy[i].fac, copy[i].msg);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return Py_BuildValue("(LN)", dropped, list);
}

/* A configuration from a list of (name, value) string pairs, its log lines queued for take_logs();
   NULL with ValueError(name, problem). */
static rd_kafka_conf_t *make_conf(PyObject *pairs) {
    PyObject *seq = PySequence_Fast(pairs, "conf must be a sequence of (name, value) pairs");
    if (seq == NULL) return NULL;
    rd_kafka_conf_t *conf = p_rd_kafka_conf_new();
    p_rd_kafka_conf_set_log_cb(conf, on_log);
    char errstr[512];
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        const char *name, *value;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "ss", &name, &value)) goto fail;
        if (p_rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            PyErr_Format(PyExc_ValueError, "%s: %s", name, errstr);
            goto fail;
        }
    }
    Py_DECREF(seq);
    return conf;
fail:
    Py_DECREF(seq);
    p_rd_kafka_conf_destroy(conf);
    return NULL;
}

/* ------------------------------------------------------------------------------------------------ */
/* Producer                                                                                          */

#define MAX_FAILURES 16

typedef struct {
    PyObject_HEAD
    rd_kafka_t *rk;
    PyObject *topics; /* dict: topic name -> capsule of its rd_kafka_topic_t */
    pthread_mutex_t lock; /* the delivery counters: reports may be served by any thread that polls */
    long long delivered, failed;
    int nfailures;
    struct { int err; char topic[256]; } failures[MAX_FAILURES];
} Producer;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    Producer *p = (Producer *)opaque;
    pthread_mutex_lock(&p->lock);
    if (m->err == ERR_NO_ERROR) {
        p->delivered++;
    } else {
        p->failed++;
        if (p->nfailures < MAX_FAILURES) {
            p->failures[p->nfailures].err = m->err;
            const char *t = m->rkt ? p_rd_kafka_topic_name(m->rkt) : "";
            strncpy(p->failures[p->nfailures].topic, t, sizeof p->failures[0].topic - 1);
            p->failures[p->nfailures].topic[sizeof p->failures[0].topic - 1] = 0;
            p->nfailures++;
        }
    }
    pthread_mutex_unlock(&p->lock);
}

static void topic_release(PyObject *capsule) {
    p_rd_kafka_topic_destroy((rd_kafka_topic_t *)PyCapsule_GetPointer(capsule, "rkt"));
}

static int Producer_init(Producer *self, PyObject *args, PyObject *kw) {
    PyObject *pairs;
    if (!PyArg_ParseTuple(args, "O", &pairs) || !bound()) return -1;
    if (self->rk != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Producer already initialised");
        return -1;
    }
    rd_kafka_conf_t *conf = make_conf(pairs);
    if (conf == NULL) return -1;
    pthread_mutex_init(&self->lock, NULL);
    p_rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    p_rd_kafka_conf_set_opaque(conf, self);
    char errstr[512];
    self->rk = p_rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (self->rk == NULL) {
        p_rd_kafka_conf_destroy(conf);
        PyErr_Format(PyExc_ValueError, "cannot create the producer: %s", errstr);
        return -1;
    }
    self->topics = PyDict_New();
    return self->topics == NULL ? -1 : 0;
}

static void Producer_dealloc(Producer *self) {
    if (self->rk != NULL) {
        Py_CLEAR(self->topics); /* topic handles go before the instance */
        Py_BEGIN_ALLOW_THREADS
        p_rd_kafka_flush(self->rk, 0);
        p_rd_kafka_destroy(self->rk);
        Py_END_ALLOW_THREADS
        self->rk = NULL;
        pthread_mutex_destroy(&self->lock);
    }
    Py_XDECREF(self->topics);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int live(rd_kafka_t *rk) {
    if (rk == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the client is closed");
        return 0;
    }
    return 1;
}

static rd_kafka_topic_t *topic_handle(Producer *self, PyObject *topic) {
    PyObject *cap = PyDict_GetItemWithError(self->topics, topic);
    if (cap != NULL) return (rd_kafka_topic_t *)PyCapsule_GetPointer(cap, "rkt");
    if (PyErr_Occurred()) return NULL;
    const char *name = PyUnicode_AsUTF8(topic);
    if (name == NULL) return NULL;
    rd_kafka_topic_t *rkt = p_rd_kafka_topic_new(self->rk, name, NULL);
    if (rkt == NULL) {
        PyErr_Format(PyExc_ValueError, "cannot make a handle for topic %s", name);
        return NULL;
    }
    cap = PyCapsule_New(rkt, "rkt", topic_release);
    if (cap == NULL || PyDict_SetItem(self->topics, topic, cap) < 0) {
        Py_XDECREF(cap);
        return NULL;
    }
    Py_DECREF(cap);
    return rkt;
}

/* bytes, str (UTF-8) or None -> pointer and size; 0 with TypeError otherwise. */
static int as_bytes(PyObject *o, const char **ptr, Py_ssize_t *len, const char *what) {
    if (o == Py_None) {
        *ptr = NULL;
        *len = 0;
        return 1;
    }
    if (PyBytes_Check(o)) {
        *ptr = PyBytes_AS_STRING(o);
        *len = PyBytes_GET_SIZE(o);
        return 1;
    }
    if (PyUnicode_Check(o)) {
        *ptr = PyUnicode_AsUTF8AndSize(o, len);
        return *ptr != NULL;
    }
    PyErr_Format(PyExc_TypeError, "a record's %s must be bytes, str or None, not %.100s", what, Py_TYPE(o)->tp_name);
    return 0;
}

/* One record's produce arguments, read with the GIL held; the objects stay alive in the caller's list. */
typedef struct {
    const char *key, *value;
    Py_ssize_t key_len, value_len;
    int64_t timestamp;
    int32_t partition;
    rd_kafka_headers_t *headers;
} Msg;

static int read_record(PyObject *r, int keep, Msg *m) {
    if (!PyTuple_Check(r) || PyTuple_GET_SIZE(r) < 6) {
        PyErr_SetString(PyExc_TypeError, "records must be Record tuples");
        return 0;
    }
    if (!as_bytes(PyTuple_GET_ITEM(r, 0), &m->key, &m->key_len, "key")) return 0;
    if (!as_bytes(PyTuple_GET_ITEM(r, 1), &m->value, &m->value_len, "value")) return 0;
    m->timestamp = PyLong_AsLongLong(PyTuple_GET_ITEM(r, 2));
    m->partition = keep ? (int32_t)PyLong_AsLong(PyTuple_GET_ITEM(r, 3)) : RD_KAFKA_PARTITION_UA;
    if (PyErr_Occurred()) return 0;
    m->headers = NULL;
    PyObject *hs = PyTuple_GET_ITEM(r, 5);
    if (hs == Py_None) return 1;
    Py_ssize_t nh = PyObject_Length(hs);
    if (nh < 0) return 0;
    if (nh == 0) return 1;
    PyObject *seq = PySequence_Fast(hs, "headers must be a sequence of (name, value) pairs");
    if (seq == NULL) return 0;
    m->headers = p_rd_kafka_headers_new((size_t)nh);
    for (Py_ssize_t i = 0; i < nh; i++) {
        PyObject *h = PySequence_Fast_GET_ITEM(seq, i);
        const char *name, *val;
        Py_ssize_t name_len, val_len;
        if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) != 2) {
            PyErr_SetString(PyExc_TypeError, "a header must be a (name, value) tuple");
            goto fail;
        }
        if (!as_bytes(PyTuple_GET_ITEM(h, 0), &name, &name_len, "header name") || name == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a header name must not be None");
            goto fail;
        }
        if (!as_bytes(PyTuple_GET_ITEM(h, 1), &val, &val_len, "header value")) goto fail;
        p_rd_kafka_header_add(m->headers, name, name_len, val, val == NULL ? 0 : val_len);
    }
    Py_DECREF(seq);
    return 1;
fail:
    Py_DECREF(seq);
    p_rd_kafka_headers_destroy(m->headers);
    m->headers = NULL;
    return 0;
}

#define CHUNK 1024

/* Queue msgs[0..got) (the GIL released by the caller); how many were queued before `*err` became an
   error. A full local queue is waited out by polling, never dropped. */
static Py_ssize_t queue_msgs(rd_kafka_t *rk, rd_kafka_topic_t *rkt, Msg *msgs, Py_ssize_t got,
                             rd_kafka_resp_err_t *err) {
    Py_ssize_t sent = 0;
    for (; sent < got; sent++) {
        Msg *m = &msgs[sent];
        for (;;) {
            *err = p_rd_kafka_producev(
                rk, RD_KAFKA_VTYPE_RKT, rkt, RD_KAFKA_VTYPE_PARTITION, m->partition, RD_KAFKA_VTYPE_MSGFLAGS,
                RD_KAFKA_MSG_F_COPY, RD_KAFKA_VTYPE_VALUE, (void *)m->value, (size_t)m->value_len,
                RD_KAFKA_VTYPE_KEY, (void *)m->key, (size_t)m->key_len, RD_KAFKA_VTYPE_TIMESTAMP, m->timestamp,
                RD_KAFKA_VTYPE_HEADERS, m->headers, RD_KAFKA_VTYPE_END);
            if (*err != ERR__QUEUE_FULL) break;
            p_rd_kafka_poll(rk, 50); /* local queue full: let librdkafka send some, then retry */
        }
        if (*err != ERR_NO_ERROR) break; /* the headers of a refused record are still ours */
    }
    p_rd_kafka_poll(rk, 0);
    return sent;
}

/* produce(topic, records, keep_partition) -> None: every record queued in order (a full local queue is
   waited out by polling, never dropped); delivery is not awaited (flush for that). KafkaNativeError when
   librdkafka refuses a record (those before it are queued). */
static PyObject *Producer_produce(Producer *self, PyObject *args) {
    PyObject *topic, *records;
    int keep;
    if (!PyArg_ParseTuple(args, "UOp", &topic, &records, &keep) || !live(self->rk)) return NULL;
    rd_kafka_topic_t *rkt = topic_handle(self, topic);
    if (rkt == NULL) return NULL;
    PyObject *seq = PySequence_Fast(records, "records must be a sequence");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Msg msgs[CHUNK];
    rd_kafka_resp_err_t err = ERR_NO_ERROR;
    rd_kafka_t *rk = self->rk;
    for (Py_ssize_t at = 0; at < n && err == ERR_NO_ERROR;) {
        Py_ssize_t end = at + CHUNK < n ? at + CHUNK : n, got = 0;
        for (Py_ssize_t i = at; i < end; i++, got++) {
            if (!read_record(PySequence_Fast_GET_ITEM(seq, i), keep, &msgs[got])) break;
        }
        Py_ssize_t sent;
        Py_BEGIN_ALLOW_THREADS
        sent = queue_msgs(rk, rkt, msgs, got, &err);
        Py_END_ALLOW_THREADS
        for (Py_ssize_t i = sent; i < got; i++) {
            if (msgs[i].headers != NULL) p_rd_kafka_headers_destroy(msgs[i].headers);
        }
        if (PyErr_Occurred()) { /* read_record failed at record at + got */
            Py_DECREF(seq);
            return NULL;
        }
        at = end;
    }
    Py_DECREF(seq);
    if (err != ERR_NO_ERROR) return raise_err(err, "produce");
    Py_RETURN_NONE;
}

/* produce_values(topic, values, keys) -> None: values[i] with keys[i] (bytes or None each; two lists of
   one length), in order, where the partitioner puts them, timestamped now and without headers: `produce`
   of (key, value, 0, 0, 0, None) records without a tuple per record. */
static PyObject *Producer_produce_values(Producer *self, PyObject *args) {
    PyObject *topic, *values, *keys;
    if (!PyArg_ParseTuple(args, "UO!O!", &topic, &PyList_Type, &values, &PyList_Type, &keys) || !live(self->rk))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(values);
    if (PyList_GET_SIZE(keys) != n) {
        PyErr_SetString(PyExc_ValueError, "produce_values: values and keys differ in length");
        return NULL;
    }
    rd_kafka_topic_t *rkt = topic_handle(self, topic);
    if (rkt == NULL) return NULL;
    Msg msgs[CHUNK];
    rd_kafka_resp_err_t err = ERR_NO_ERROR;
    rd_kafka_t *rk = self->rk;
    /* the lists are held (not copied): their items stay alive while the chunk is queued with the GIL released */
    Py_INCREF(values);
    Py_INCREF(keys);
    for (Py_ssize_t at = 0; at < n && err == ERR_NO_ERROR;) {
        Py_ssize_t end = at + CHUNK < n ? at + CHUNK : n, got = 0;
        if (PyList_GET_SIZE(values) != n || PyList_GET_SIZE(keys) != n) {
            PyErr_SetString(PyExc_RuntimeError, "produce_values: a list changed size");
            break;
        }
        for (Py_ssize_t i = at; i < end; i++, got++) {
            Msg *m = &msgs[got];
            if (!as_bytes(PyList_GET_ITEM(keys, i), &m->key, &m->key_len, "key") ||
                !as_bytes(PyList_GET_ITEM(values, i), &m->value, &m->value_len, "value"))
                break;
            m->timestamp = 0;
            m->partition = RD_KAFKA_PARTITION_UA;
            m->headers = NULL;
        }
        Py_BEGIN_ALLOW_THREADS /* those before a key or value of the wrong type are queued, as `produce` does */
        queue_msgs(rk, rkt, msgs, got, &err);
        Py_END_ALLOW_THREADS
        if (PyErr_Occurred()) break;
        at = end;
    }
    Py_DECREF(values);
    Py_DECREF(keys);
    if (PyErr_Occurred()) return NULL;
    if (err != ERR_NO_ERROR) return raise_err(err, "produce");
    Py_RETURN_NONE;
}

/* flush(timeout_s) -> int: wait for delivery of everything queued; the messages still in flight. */
static PyObject *Producer_flush(Producer *self, PyObject *arg) {
    double t = PyFloat_AsDouble(arg);
    if ((t == -1.0 && PyErr_Occurred()) || !live(self->rk)) return NULL;
    int left;
    Py_BEGIN_ALLOW_THREADS
    p_rd_kafka_flush(self->rk, t < 0 ? -1 : (int)(t * 1000));
    left = p_rd_kafka_outq_len(self->rk);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(left);
}

/* poll(timeout_s) -> int: serve delivery reports for up to timeout_s; how many were served. */
static PyObject *Producer_poll(Producer *self, PyObject *arg) {
    double t = PyFloat_AsDouble(arg);
    if ((t == -1.0 && PyErr_Occurred()) || !live(self->rk)) return NULL;
    int n;
    Py_BEGIN_ALLOW_THREADS
    n = p_rd_kafka_poll(self->rk, t < 0 ? -1 : (int)(t * 1000));
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(n);
}

/* take_failures() -> (failed, [(topic, code, message), ...]): the failed deliveries since the last
   call (the count, and the first few of them), cleared. */
static PyObject *Producer_take_failures(Producer *self, PyObject *unused) {
    pthread_mutex_lock(&self->lock);
    long long failed = self->failed;
    int n = self->nfailures;
    struct { int err; char topic[256]; } copy[MAX_FAILURES];
    memcpy(copy, self->failures, sizeof copy[0] * (size_t)n);
    self->failed = 0;
    self->nfailures = 0;
    pthread_mutex_unlock(&self->lock);
    PyObject *list = PyList_New(n);
    if (list == NULL) return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *item = Py_BuildValue("(sis)", copy[i].topic, copy[i].err, p_rd_kafka_err2str(copy[i].err));
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return Py_BuildValue("(LN)", failed, list);
}

static PyObject *Producer_delivered(Producer *self, void *closure) {
    pthread_mutex_lock(&self->lock);
    long long d = self->delivered;
    pthread_mutex_unlock(&self->lock);
    return PyLong_FromLongLong(d);
}

static PyObject *Producer_len(Producer *self, PyObject *unused) {
    return live(self->rk) ? PyLong_FromLong(p_rd_kafka_outq_len(self->rk)) : NULL;
}

/* close() -> None: destroy the instance (what is still queued is given up: flush first). */
static PyObject *Producer_close(Producer *self, PyObject *unused) {
    if (self->rk != NULL) {
        Py_CLEAR(self->topics);
        rd_kafka_t *rk = self->rk;
        self->rk = NULL;
        Py_BEGIN_ALLOW_THREADS
        p_rd_kafka_destroy(rk);
        Py_END_ALLOW_THREADS
    }
    Py_RETURN_NONE;
}

static PyMethodDef Producer_methods[] = {
    {"produce", (PyCFunction)Producer_produce, METH_VARARGS, "produce(topic, records, keep_partition)"},
    {"produce_values", (PyCFunction)Producer_produce_values, METH_VARARGS, "produce_values(topic, values, keys)"},
    {"flush", (PyCFunction)Producer_flush, METH_O, "flush(timeout_s) -> messages still in flight"},
    {"poll", (PyCFunction)Producer_poll, METH_O, "poll(timeout_s) -> delivery reports served"},
    {"take_failures", (PyCFunction)Producer_take_failures, METH_NOARGS, "-> (failed, [(topic, code, message)])"},
    {"outq_len", (PyCFunction)Producer_len, METH_NOARGS, "messages queued or in flight"},
    {"close", (PyCFunction)Producer_close, METH_NOARGS, "destroy the instance"},
    {NULL},
};

static PyGetSetDef Producer_getset[] = {
    {"delivered", (getter)Producer_delivered, NULL, "messages acknowledged so far (reported only with delivery.report.only.error=false)", NULL},
    {NULL},
};

static PyTypeObject ProducerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_rdkio.Producer",
    .tp_basicsize = sizeof(Producer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Producer_init,
    .tp_dealloc = (destructor)Producer_dealloc,
    .tp_methods = Producer_methods,
    .tp_getset = Producer_getset,
};

/* ------------------------------------------------------------------------------------------------ */
/* Consumer                                                                                          */

typedef struct {
    PyObject_HEAD
    rd_kafka_t *rk;
    rd_kafka_queue_t *queue;
    PyObject *on_rebalance; /* callable(kind, [(topic, partition)]) -> [(topic, partition, offset)] | None */
    PyObject *exc_type, *exc_value, *exc_tb; /* raised in a rebalance callback: re-raised by the next consume */
    rd_kafka_message_t **buf;
    size_t cap;
    const char *last_topic_name; /* the topic str of the last message's topic, cached */
    PyObject *last_topic;
} Consumer;

static rd_kafka_topic_partition_list_t *to_list(PyObject *items, int with_offset, int with_meta);

static PyObject *from_list(const rd_kafka_topic_partition_list_t *l, int with_offset, int with_meta) {
    PyObject *out = PyList_New(l->cnt);
    if (out == NULL) return NULL;
    for (int i = 0; i < l->cnt; i++) {
        const rd_kafka_topic_partition_t *e = &l->elems[i];
        PyObject *item;
        if (with_meta) {
            item = Py_BuildValue("(siLy#i)", e->topic, e->partition, (long long)e->offset,
                                 (const char *)e->metadata, (Py_ssize_t)(e->metadata ? e->metadata_size : 0),
                                 (int)e->err);
        } else if (with_offset) {
            item = Py_BuildValue("(siL)", e->topic, e->partition, (long long)e->offset);
        } else {
            item = Py_BuildValue("(si)", e->topic, e->partition);
        }
        if (item == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, item);
    }
    return out;
}

/* The group's rebalance, served inside a consume or close (the GIL released there): the Python callback
   says where to start; an exception in it is kept for the next consume, and the assignment still made. */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque) {
    Consumer *c = (Consumer *)opaque;
    PyGILState_STATE g = PyGILState_Ensure();
    rd_kafka_topic_partition_list_t *chosen = NULL;
    const char *kind = err == ERR__ASSIGN_PARTITIONS ? "assign"
                       : p_rd_kafka_assignment_lost(rk) ? "lost" : "revoke";
    if (c->on_rebalance != NULL && c->on_rebalance != Py_None) {
        PyObject *list = from_list(parts, 0, 0);
        PyObject *res = list ? PyObject_CallFunction(c->on_rebalance, "sO", kind, list) : NULL;
        Py_XDECREF(list);
        if (res != NULL && res != Py_None && err == ERR__ASSIGN_PARTITIONS) {
            chosen = to_list(res, 1, 0);
        }
        Py_XDECREF(res);
        if (PyErr_Occurred()) {
            if (c->exc_type == NULL) {
                PyErr_Fetch(&c->exc_type, &c->exc_value, &c->exc_tb);
            } else {
                PyErr_Clear();
            }
        }
    }
    Py_BEGIN_ALLOW_THREADS
    if (err == ERR__ASSIGN_PARTITIONS) {
        p_rd_kafka_assign(rk, chosen != NULL ? chosen : parts);
    } else {
        p_rd_kafka_assign(rk, NULL);
    }
    Py_END_ALLOW_THREADS
    if (chosen != NULL) p_rd_kafka_topic_partition_list_destroy(chosen);
    PyGILState_Release(g);
}

/* [(topic, partition[, offset[, metadata]])] -> a partition list; NULL with an exception. */
static rd_kafka_topic_partition_list_t *to_list(PyObject *items, int with_offset, int with_meta) {
    PyObject *seq = PySequence_Fast(items, "expected a sequence of (topic, partition, ...) tuples");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    rd_kafka_topic_partition_list_t *l = p_rd_kafka_topic_partition_list_new((int)(n > 0 ? n : 1));
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PySequence_Fast_GET_ITEM(seq, i);
        const char *topic;
        int partition;
        long long offset = -1001; /* RD_KAFKA_OFFSET_INVALID: the committed one, else the reset policy */
        const char *meta = NULL;
        Py_ssize_t meta_len = 0;
        int ok = with_meta ? PyArg_ParseTuple(t, "siLz#", &topic, &partition, &offset, &meta, &meta_len)
                 : with_offset ? PyArg_ParseTuple(t, "si|L", &topic, &partition, &offset)
                               : PyArg_ParseTuple(t, "si", &topic, &partition);
        if (!ok) {
            Py_DECREF(seq);
            p_rd_kafka_topic_partition_list_destroy(l);
            return NULL;
        }
        rd_kafka_topic_partition_t *e = p_rd_kafka_topic_partition_list_add(l, topic, partition);
        e->offset = offset;
        if (meta != NULL) { /* the list frees it with free() */
            e->metadata = malloc((size_t)meta_len > 0 ? (size_t)meta_len : 1);
            memcpy(e->metadata, meta, (size_t)meta_len);
            e->metadata_size = (size_t)meta_len;
        }
    }
    Py_DECREF(seq);
    return l;
}

static int Consumer_init(Consumer *self, PyObject *args, PyObject *kw) {
    PyObject *pairs, *cb = Py_None;
    if (!PyArg_ParseTuple(args, "O|O", &pairs, &cb) || !bound()) return -1;
    if (self->rk != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Consumer already initialised");
        return -1;
    }
    rd_kafka_conf_t *conf = make_conf(pairs);
    if (conf == NULL) return -1;
    Py_INCREF(cb);
    self->on_rebalance = cb;
    p_rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    p_rd_kafka_conf_set_opaque(conf, self);
    char errstr[512];
    self->rk = p_rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (self->rk == NULL) {
        p_rd_kafka_conf_destroy(conf);
        PyErr_Format(PyExc_ValueError, "cannot create the consumer: %s", errstr);
        return -1;
    }
    p_rd_kafka_poll_set_consumer(self->rk);
    self->queue = p_rd_kafka_queue_get_consumer(self->rk);
    return 0;
}

static void consumer_destroy(Consumer *self, int close) {
    rd_kafka_t *rk = self->rk;
    rd_kafka_queue_t *q = self->queue;
    self->rk = NULL;
    self->queue = NULL;
    if (rk == NULL) return;
    Py_BEGIN_ALLOW_THREADS
    if (close) p_rd_kafka_consumer_close(rk);
    if (q != NULL) p_rd_kafka_queue_destroy(q);
    p_rd_kafka_destroy(rk);
    Py_END_ALLOW_THREADS
}

static void Consumer_dealloc(Consumer *self) {
    /* a consumer left without close(): leave the group without callbacks into a half-freed object */
    Py_CLEAR(self->on_rebalance);
    consumer_destroy(self, 0); /* rd_kafka_destroy leaves the group itself */
    Py_CLEAR(self->exc_type);
    Py_CLEAR(self->exc_value);
    Py_CLEAR(self->exc_tb);
    Py_CLEAR(self->last_topic);
    free(self->buf);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *reraise_pending(Consumer *self) {
    if (self->exc_type != NULL) {
        PyErr_Restore(self->exc_type, self->exc_value, self->exc_tb);
        self->exc_type = self->exc_value = self->exc_tb = NULL;
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *Consumer_subscribe(Consumer *self, PyObject *topics) {
    if (!live(self->rk)) return NULL;
    PyObject *seq = PySequence_Fast(topics, "topics must be a sequence of str");
    if (seq == NULL) return NULL;
    rd_kafka_topic_partition_list_t *l = p_rd_kafka_topic_partition_list_new((int)PySequence_Fast_GET_SIZE(seq));
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        const char *t = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(seq, i));
        if (t == NULL) {
            Py_DECREF(seq);
            p_rd_kafka_topic_partition_list_destroy(l);
            return NULL;
        }
        p_rd_kafka_topic_partition_list_add(l, t, -1);
    }
    Py_DECREF(seq);
    rd_kafka_resp_err_t err = p_rd_kafka_subscribe(self->rk, l);
    p_rd_kafka_topic_partition_list_destroy(l);
    if (err != ERR_NO_ERROR) return raise_err(err, "subscribe");
    Py_RETURN_NONE;
}

static PyObject *bytes_or_none(const void *p, size_t n) {
    if (p == NULL) Py_RETURN_NONE;
    return PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)n);
}

static PyObject *headers_of(const rd_kafka_message_t *m) {
    rd_kafka_headers_t *hdrs = NULL;
    if (p_rd_kafka_message_headers(m, &hdrs) != ERR_NO_ERROR || hdrs == NULL) {
        Py_INCREF(s_empty_tuple);
        return s_empty_tuple;
    }
    PyObject *list = PyList_New(0);
    if (list == NULL) return NULL;
    const char *name;
    const void *val;
    size_t size;
    for (size_t i = 0; p_rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == ERR_NO_ERROR; i++) {
        PyObject *item = Py_BuildValue("(sN)", name, bytes_or_none(val, size));
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(item);
    }
    PyObject *t = PyList_AsTuple(list);
    Py_DECREF(list);
    return t;
}

/* consume(max, timeout_s, record_type, topic) -> (records, errors): up to `max` messages as
   record_type((key, value, timestamp (-1 when it has none, as confluent-kafka's Message.timestamp()),
   partition, offset, headers, topic or the message's)),
   filled in place like tuple.__new__; `errors` the error events in order as (code, message, topic,
   partition), end-of-partition events left out. */
static PyObject *Consumer_consume(Consumer *self, PyObject *args) {
    Py_ssize_t max;
    double timeout;
    PyTypeObject *rtype;
    PyObject *topic;
    if (!PyArg_ParseTuple(args, "ndO!O", &max, &timeout, &PyType_Type, &rtype, &topic) || !live(self->rk)) return NULL;
    if (!PyType_IsSubtype(rtype, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "record_type must be a tuple subclass (a NamedTuple)");
        return NULL;
    }
    if (max <= 0) return Py_BuildValue("([][])");
    if ((size_t)max > self->cap) {
        rd_kafka_message_t **b = realloc(self->buf, sizeof *b * (size_t)max);
        if (b == NULL) return PyErr_NoMemory();
        self->buf = b;
        self->cap = (size_t)max;
    }
    ssize_t n;
    rd_kafka_queue_t *q = self->queue;
    rd_kafka_message_t **buf = self->buf;
    int ms = timeout < 0 ? -1 : (int)(timeout * 1000);
    Py_BEGIN_ALLOW_THREADS
    n = p_rd_kafka_consume_batch_queue(q, ms, buf, (size_t)max);
    Py_END_ALLOW_THREADS
    if (n < 0) n = 0;
    PyObject *out = PyList_New(0), *errors = PyList_New(0);
    ssize_t i = 0;
    if (out == NULL || errors == NULL) goto fail;
    for (; i < n; i++) {
        rd_kafka_message_t *m = buf[i];
        if (m->err != ERR_NO_ERROR) {
            if (m->err != ERR__PARTITION_EOF) {
                const char *tn = m->rkt ? p_rd_kafka_topic_name(m->rkt) : "";
                PyObject *e = (m->payload != NULL && m->len > 0)
                    ? Py_BuildValue("(is#si)", (int)m->err, (const char *)m->payload, (Py_ssize_t)m->len, tn, m->partition)
                    : Py_BuildValue("(issi)", (int)m->err, p_rd_kafka_err2str(m->err), tn, m->partition);
                if (e == NULL || PyList_Append(errors, e) < 0) {
                    Py_XDECREF(e);
                    goto fail;
                }
                Py_DECREF(e);
            }
            p_rd_kafka_message_destroy(m);
            continue;
        }
        PyObject *tp = topic;
        if (tp == Py_None) {
            const char *tn = p_rd_kafka_topic_name(m->rkt);
            if (tn != self->last_topic_name || self->last_topic == NULL) {
                PyObject *s = PyUnicode_FromString(tn);
                if (s == NULL) goto fail;
                Py_XSETREF(self->last_topic, s);
                self->last_topic_name = tn;
            }
            tp = self->last_topic;
        }
        int64_t ts = p_rd_kafka_message_timestamp(m, NULL);
        PyObject *t = rtype->tp_alloc(rtype, 7);
        if (t == NULL) goto fail;
        PyObject *fields[6] = {
            bytes_or_none(m->key, m->key_len), bytes_or_none(m->payload, m->len),
            PyLong_FromLongLong(ts), PyLong_FromLong(m->partition), PyLong_FromLongLong(m->offset),
            headers_of(m),
        };
        int bad = 0;
        for (int k = 0; k < 6; k++) {
            if (fields[k] == NULL) bad = 1;
            PyTuple_SET_ITEM(t, k, fields[k]); /* NULL slots are skipped by the tuple's dealloc */
        }
        Py_INCREF(tp);
        PyTuple_SET_ITEM(t, 6, tp);
        p_rd_kafka_message_destroy(m);
        if (bad || PyList_Append(out, t) < 0) {
            Py_DECREF(t);
            i++;
            goto fail;
        }
        Py_DECREF(t);
    }
    if (self->exc_type != NULL) {
        Py_DECREF(out);
        Py_DECREF(errors);
        return reraise_pending(self);
    }
    return Py_BuildValue("(NN)", out, errors);
fail:
    for (; i < n; i++) p_rd_kafka_message_destroy(buf[i]);
    Py_XDECREF(out);
    Py_XDECREF(errors);
    return NULL;
}

/* assign([(topic, partition, offset)]) / assign(None): set (or clear) the assignment directly. */
static PyObject *Consumer_assign(Consumer *self, PyObject *items) {
    if (!live(self->rk)) return NULL;
    rd_kafka_topic_partition_list_t *l = NULL;
    if (items != Py_None && (l = to_list(items, 1, 0)) == NULL) return NULL;
    rd_kafka_resp_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = p_rd_kafka_assign(self->rk, l);
    Py_END_ALLOW_THREADS
    if (l != NULL) p_rd_kafka_topic_partition_list_destroy(l);
    if (err != ERR_NO_ERROR) return raise_err(err, "assign");
    Py_RETURN_NONE;
}

static PyObject *Consumer_assignment(Consumer *self, PyObject *unused) {
    if (!live(self->rk)) return NULL;
    rd_kafka_topic_partition_list_t *l = NULL;
    rd_kafka_resp_err_t err = p_rd_kafka_assignment(self->rk, &l);
    if (err != ERR_NO_ERROR) return raise_err(err, "assignment");
    PyObject *out = from_list(l, 0, 0);
    p_rd_kafka_topic_partition_list_destroy(l);
    return out;
}

/* committed([(topic, partition)], timeout_s) -> [(topic, partition, offset, metadata, err)] */
static PyObject *Consumer_committed(Consumer *self, PyObject *args) {
    PyObject *items;
    double timeout;
    if (!PyArg_ParseTuple(args, "Od", &items, &timeout) || !live(self->rk)) return NULL;
    rd_kafka_topic_partition_list_t *l = to_list(items, 0, 0);
    if (l == NULL) return NULL;
    rd_kafka_resp_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = p_rd_kafka_committed(self->rk, l, (int)(timeout * 1000));
    Py_END_ALLOW_THREADS
    PyObject *out = err == ERR_NO_ERROR ? from_list(l, 1, 1) : raise_err(err, "committed");
    p_rd_kafka_topic_partition_list_destroy(l);
    return out;
}

/* position([(topic, partition)]) -> [(topic, partition, offset)] */
static PyObject *Consumer_position(Consumer *self, PyObject *items) {
    if (!live(self->rk)) return NULL;
    rd_kafka_topic_partition_list_t *l = to_list(items, 0, 0);
    if (l == NULL) return NULL;
    rd_kafka_resp_err_t err = p_rd_kafka_position(self->rk, l);
    PyObject *out = err == ERR_NO_ERROR ? from_list(l, 1, 0) : raise_err(err, "position");
    p_rd_kafka_topic_partition_list_destroy(l);
    return out;
}

/* commit([(topic, partition, offset, metadata | None)], asynchronous) -> None */
static PyObject *Consumer_commit(Consumer *self, PyObject *args) {
    PyObject *items;
    int async;
    if (!PyArg_ParseTuple(args, "Op", &items, &async) || !live(self->rk)) return NULL;
    rd_kafka_topic_partition_list_t *l = to_list(items, 1, 1);
    if (l == NULL) return NULL;
    rd_kafka_resp_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = p_rd_kafka_commit(self->rk, l, async);
    Py_END_ALLOW_THREADS
    p_rd_kafka_topic_partition_list_destroy(l);
    if (err != ERR_NO_ERROR) return raise_err(err, "commit");
    Py_RETURN_NONE;
}

static PyObject *pause_resume(Consumer *self, PyObject *items, int pause) {
    if (!live(self->rk)) return NULL;
    rd_kafka_topic_partition_list_t *l = to_list(items, 0, 0);
    if (l == NULL) return NULL;
    rd_kafka_resp_err_t err = pause ? p_rd_kafka_pause_partitions(self->rk, l)
                                    : p_rd_kafka_resume_partitions(self->rk, l);
    p_rd_kafka_topic_partition_list_destroy(l);
    if (err != ERR_NO_ERROR) return raise_err(err, pause ? "pause" : "resume");
    Py_RETURN_NONE;
}

static PyObject *Consumer_pause(Consumer *self, PyObject *items) { return pause_resume(self, items, 1); }
static PyObject *Consumer_resume(Consumer *self, PyObject *items) { return pause_resume(self, items, 0); }

/* watermarks(topic, partition, cached, timeout_s) -> (low, high); cached: from the last fetch response */
static PyObject *Consumer_watermarks(Consumer *self, PyObject *args) {
    const char *topic;
    int partition, cached;
    double timeout;
    if (!PyArg_ParseTuple(args, "sipd", &topic, &partition, &cached, &timeout) || !live(self->rk)) return NULL;
    int64_t low = -1001, high = -1001;
    rd_kafka_resp_err_t err;
    Py_BEGIN_ALLOW_THREADS
    err = cached ? p_rd_kafka_get_watermark_offsets(self->rk, topic, partition, &low, &high)
                 : p_rd_kafka_query_watermark_offsets(self->rk, topic, partition, &low, &high, (int)(timeout * 1000));
    Py_END_ALLOW_THREADS
    if (err != ERR_NO_ERROR) return raise_err(err, "watermarks");
    return Py_BuildValue("(LL)", (long long)low, (long long)high);
}

/* group_metadata() -> bytes: the group's metadata serialized as confluent-kafka's consumer_group_metadata()
   returns it (rd_kafka_consumer_group_metadata_write), for a transactional producer's offsets. */
static PyObject *Consumer_group_metadata(Consumer *self, PyObject *unused) {
    if (!live(self->rk)) return NULL;
    rd_kafka_consumer_group_metadata_t *g = p_rd_kafka_consumer_group_metadata(self->rk);
    if (g == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the consumer has no group metadata (no group.id)");
        return NULL;
    }
    void *buf = NULL;
    size_t size = 0;
    rd_kafka_error_t *e = p_rd_kafka_consumer_group_metadata_write(g, &buf, &size);
    p_rd_kafka_consumer_group_metadata_destroy(g);
    if (e != NULL) {
        p_rd_kafka_error_destroy(e);
        PyErr_SetString(PyExc_RuntimeError, "cannot serialize the group metadata");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(buf, (Py_ssize_t)size);
    p_rd_kafka_mem_free(NULL, buf);
    return out;
}

/* close() -> None: leave the group (the revoke callback runs; what it raises is dropped: the consumer is
   gone) and destroy the instance. */
static PyObject *Consumer_close(Consumer *self, PyObject *unused) {
    consumer_destroy(self, 1);
    Py_CLEAR(self->on_rebalance);
    Py_CLEAR(self->exc_type);
    Py_CLEAR(self->exc_value);
    Py_CLEAR(self->exc_tb);
    Py_RETURN_NONE;
}

static PyMethodDef Consumer_methods[] = {
    {"subscribe", (PyCFunction)Consumer_subscribe, METH_O, "subscribe(topics)"},
    {"consume", (PyCFunction)Consumer_consume, METH_VARARGS, "consume(max, timeout_s, record_type, topic)"},
    {"assign", (PyCFunction)Consumer_assign, METH_O, "assign([(topic, partition, offset)] | None)"},
    {"assignment", (PyCFunction)Consumer_assignment, METH_NOARGS, "-> [(topic, partition)]"},
    {"committed", (PyCFunction)Consumer_committed, METH_VARARGS, "committed(partitions, timeout_s)"},
    {"position", (PyCFunction)Consumer_position, METH_O, "position(partitions)"},
    {"commit", (PyCFunction)Consumer_commit, METH_VARARGS, "commit(offsets, asynchronous)"},
    {"pause", (PyCFunction)Consumer_pause, METH_O, "pause(partitions)"},
    {"resume", (PyCFunction)Consumer_resume, METH_O, "resume(partitions)"},
    {"watermarks", (PyCFunction)Consumer_watermarks, METH_VARARGS, "watermarks(topic, partition, cached, timeout_s)"},
    {"group_metadata", (PyCFunction)Consumer_group_metadata, METH_NOARGS, "-> bytes"},
    {"close", (PyCFunction)Consumer_close, METH_NOARGS, "leave the group, destroy the instance"},
    {NULL},
};

static PyTypeObject ConsumerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_rdkio.Consumer",
    .tp_basicsize = sizeof(Consumer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Consumer_init,
    .tp_dealloc = (destructor)Consumer_dealloc,
    .tp_methods = Consumer_methods,
};

/* ------------------------------------------------------------------------------------------------ */

static PyMethodDef methods[] = {
    {"bind", (PyCFunction)bind, METH_VARARGS, "bind(path) -> version: resolve librdkafka's functions"},
    {"take_logs", (PyCFunction)take_logs, METH_NOARGS, "-> (dropped, [(level, name, facility, message)])"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rdkio", NULL, -1, methods};

PyMODINIT_FUNC PyInit__rdkio(void) {
    if (PyType_Ready(&ProducerType) < 0 || PyType_Ready(&ConsumerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (s_empty_tuple == NULL) s_empty_tuple = PyTuple_New(0);
    Py_INCREF(&ProducerType);
    Py_INCREF(&ConsumerType);
    if (PyModule_AddObject(m, "Producer", (PyObject *)&ProducerType) < 0 ||
        PyModule_AddObject(m, "Consumer", (PyObject *)&ConsumerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
