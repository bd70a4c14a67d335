/* A Kafka batch consumer over librdkafka that parses DELIMITED values straight into caller-owned
 * float32 buffers (fraudlab.kafka.batch_consumer loads it with ctypes).
 *
 * No rdkafka.h is installed here, so the few declarations needed are copied from librdkafka's public
 * header; the structs below are part of its stable ABI (unchanged since 0.11). The library is linked
 * against the librdkafka that confluent-kafka bundles, so one copy of librdkafka serves both.
 *
 * Records the native line parser does not accept (and, in raw mode, every record) are copied into a
 * caller buffer for the Python parsers to decide, which name each bad record's problem. Every
 * message is destroyed once used; messages fetched but not used yet (the caller's buffers were full)
 * wait in the handle for the next call and are destroyed by fl_kc_close.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>

#include "delimited.c"

/* ---- from rdkafka.h (librdkafka 2.x) ---- */
typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;
typedef struct rd_kafka_topic_conf_s rd_kafka_topic_conf_t;
typedef struct rd_kafka_queue_s rd_kafka_queue_t;
typedef int rd_kafka_resp_err_t;
typedef enum { RD_KAFKA_PRODUCER, RD_KAFKA_CONSUMER } rd_kafka_type_t;
#define RD_KAFKA_CONF_OK 0
#define RD_KAFKA_RESP_ERR__PARTITION_EOF (-191)
#define RD_KAFKA_RESP_ERR__INVALID_ARG (-186)
#define RD_KAFKA_RESP_ERR__FAIL (-196)

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

typedef struct rd_kafka_metadata_partition {
    int32_t id;
    rd_kafka_resp_err_t err;
    int32_t leader;
    int replica_cnt;
    int32_t *replicas;
    int isr_cnt;
    int32_t *isrs;
} rd_kafka_metadata_partition_t;

typedef struct rd_kafka_metadata_topic {
    char *topic;
    int partition_cnt;
    struct rd_kafka_metadata_partition *partitions;
    rd_kafka_resp_err_t err;
} rd_kafka_metadata_topic_t;

typedef struct rd_kafka_metadata {
    int broker_cnt;
    void *brokers;
    int topic_cnt;
    struct rd_kafka_metadata_topic *topics;
    int32_t orig_broker_id;
    char *orig_broker_name;
} rd_kafka_metadata_t;

int rd_kafka_version(void);
const char *rd_kafka_err2str(rd_kafka_resp_err_t err);
rd_kafka_conf_t *rd_kafka_conf_new(void);
void rd_kafka_conf_destroy(rd_kafka_conf_t *conf);
int rd_kafka_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value, char *errstr,
                      size_t errstr_size);
rd_kafka_t *rd_kafka_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, char *errstr, size_t errstr_size);
void rd_kafka_destroy(rd_kafka_t *rk);
rd_kafka_resp_err_t rd_kafka_poll_set_consumer(rd_kafka_t *rk);
rd_kafka_queue_t *rd_kafka_queue_get_consumer(rd_kafka_t *rk);
void rd_kafka_queue_destroy(rd_kafka_queue_t *rkqu);
ssize_t rd_kafka_consume_batch_queue(rd_kafka_queue_t *rkqu, int timeout_ms, rd_kafka_message_t **rkmessages,
                                     size_t rkmessages_size);
rd_kafka_message_t *rd_kafka_consumer_poll(rd_kafka_t *rk, int timeout_ms);
void rd_kafka_message_destroy(rd_kafka_message_t *rkmessage);
rd_kafka_topic_partition_list_t *rd_kafka_topic_partition_list_new(int size);
rd_kafka_topic_partition_t *rd_kafka_topic_partition_list_add(rd_kafka_topic_partition_list_t *rktparlist,
                                                              const char *topic, int32_t partition);
void rd_kafka_topic_partition_list_destroy(rd_kafka_topic_partition_list_t *rkparlist);
rd_kafka_resp_err_t rd_kafka_subscribe(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *topics);
rd_kafka_resp_err_t rd_kafka_assign(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *partitions);
rd_kafka_resp_err_t rd_kafka_commit(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *offsets, int async);
rd_kafka_resp_err_t rd_kafka_consumer_close(rd_kafka_t *rk);
rd_kafka_resp_err_t rd_kafka_query_watermark_offsets(rd_kafka_t *rk, const char *topic, int32_t partition,
                                                     int64_t *low, int64_t *high, int timeout_ms);
rd_kafka_topic_t *rd_kafka_topic_new(rd_kafka_t *rk, const char *topic, rd_kafka_topic_conf_t *conf);
void rd_kafka_topic_destroy(rd_kafka_topic_t *rkt);
rd_kafka_resp_err_t rd_kafka_metadata(rd_kafka_t *rk, int all_topics, rd_kafka_topic_t *only_rkt,
                                      const struct rd_kafka_metadata **metadatap, int timeout_ms);
void rd_kafka_metadata_destroy(const struct rd_kafka_metadata *metadata);
/* ---- end of rdkafka.h ---- */

#define PENDING_MAX 4096  /* messages fetched per rd_kafka_consume_batch_queue call */
#define FL_ERR_QUEUE (-100000)  /* ours, outside librdkafka's codes: a batch read of the queue failed */
#define MAX_COLS 4096

typedef struct fl_consumer {
    rd_kafka_t *rk;
    rd_kafka_queue_t *queue;
    char *topic;
    rd_kafka_message_t *pending[PENDING_MAX];
    int64_t npending, next;  /* pending[next..npending) are fetched but not used yet */
} fl_consumer;

/* What one fl_kc_read call did (the caller's struct has the same layout). */
typedef struct fl_read_stats {
    int64_t rows;        /* rows written */
    int64_t raw_used;    /* bytes of raw written */
    int64_t raw_needed;  /* >0: the next record needs this many bytes of raw and did not fit */
    int64_t errors;      /* consumer error events skipped (not end-of-partition) */
    int64_t last_error;  /* the last such error's code */
    int64_t messages;    /* messages taken from librdkafka */
    int64_t dropped;     /* messages at or after their partition's end (bounded reads) */
} fl_read_stats;

int fl_kc_version(void) { return rd_kafka_version(); }

const char *fl_kc_err2str(int err) {
    return err == FL_ERR_QUEUE ? "reading a batch from the consumer queue failed" : rd_kafka_err2str(err);
}

static void copy_err(char *dst, size_t cap, const char *src) {
    if (dst != NULL && cap > 0) snprintf(dst, cap, "%s", src);
}

/* A consumer from n key/value settings; NULL with the reason in errstr. Subscribes nothing yet. */
fl_consumer *fl_kc_new(const char *const *keys, const char *const *values, int n, const char *topic,
                       char *errstr, size_t errstr_size) {
    if (n < 0 || topic == NULL || (n > 0 && (keys == NULL || values == NULL))) {
        copy_err(errstr, errstr_size, "invalid arguments");
        return NULL;
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (int i = 0; i < n; i++) {
        char why[512] = "";
        if (rd_kafka_conf_set(conf, keys[i], values[i], why, sizeof why) != RD_KAFKA_CONF_OK) {
            if (errstr != NULL && errstr_size > 0) snprintf(errstr, errstr_size, "%s: %s", keys[i], why);
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    fl_consumer *c = calloc(1, sizeof *c);
    if (c == NULL || (c->topic = strdup(topic)) == NULL) {
        free(c);
        rd_kafka_conf_destroy(conf);
        copy_err(errstr, errstr_size, "out of memory");
        return NULL;
    }
    c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, errstr_size);  /* owns conf on success */
    if (c->rk == NULL) {
        rd_kafka_conf_destroy(conf);
        free(c->topic);
        free(c);
        return NULL;
    }
    c->queue = rd_kafka_queue_get_consumer(c->rk);
    if (c->queue == NULL) {  /* librdkafka makes no consumer queue without a group */
        copy_err(errstr, errstr_size, "group.id: a consumer needs one");
        rd_kafka_destroy(c->rk);
        free(c->topic);
        free(c);
        return NULL;
    }
    rd_kafka_poll_set_consumer(c->rk);
    return c;
}

/* The topic's partition ids into out[0..cap); returns their number (which may exceed cap) and sets
 * *errp to librdkafka's error code (the topic's own error when the broker reports one), else 0. */
int64_t fl_kc_partitions(fl_consumer *c, int32_t *out, int64_t cap, int timeout_ms, int *errp) {
    if (errp == NULL) return 0;
    *errp = RD_KAFKA_RESP_ERR__INVALID_ARG;
    if (c == NULL || (cap > 0 && out == NULL)) return 0;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(c->rk, c->topic, NULL);
    *errp = RD_KAFKA_RESP_ERR__FAIL;
    if (rkt == NULL) return 0;
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(c->rk, 0, rkt, &md, timeout_ms);
    int64_t n = 0;
    if (err == 0) {
        for (int t = 0; t < md->topic_cnt; t++) {
            const rd_kafka_metadata_topic_t *mt = &md->topics[t];
            if (strcmp(mt->topic, c->topic) != 0) continue;
            if (mt->err != 0) { err = mt->err; break; }
            for (int p = 0; p < mt->partition_cnt; p++, n++)
                if (n < cap) out[n] = mt->partitions[p].id;
        }
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(rkt);
    *errp = err;
    return err != 0 ? 0 : n;
}

int fl_kc_watermarks(fl_consumer *c, int32_t partition, int64_t *low, int64_t *high, int timeout_ms) {
    if (c == NULL || low == NULL || high == NULL) return RD_KAFKA_RESP_ERR__INVALID_ARG;
    return rd_kafka_query_watermark_offsets(c->rk, c->topic, partition, low, high, timeout_ms);
}

static rd_kafka_topic_partition_list_t *offsets_list(const char *topic, const int32_t *parts,
                                                     const int64_t *offsets, int n) {
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(n > 0 ? n : 1);
    for (int i = 0; i < n; i++) rd_kafka_topic_partition_list_add(list, topic, parts[i])->offset = offsets[i];
    return list;
}

/* Read exactly these partitions from these offsets (bounded reads; no group membership). */
int fl_kc_assign(fl_consumer *c, const int32_t *parts, const int64_t *offsets, int n) {
    if (c == NULL || n < 0 || (n > 0 && (parts == NULL || offsets == NULL))) return RD_KAFKA_RESP_ERR__INVALID_ARG;
    rd_kafka_topic_partition_list_t *list = offsets_list(c->topic, parts, offsets, n);
    rd_kafka_resp_err_t err = rd_kafka_assign(c->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    return err;
}

int fl_kc_subscribe(fl_consumer *c) {
    if (c == NULL) return RD_KAFKA_RESP_ERR__INVALID_ARG;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, c->topic, -1);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(c->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    return err;
}

/* Synchronous commit of the next offsets to read, one per partition. */
int fl_kc_commit(fl_consumer *c, const int32_t *parts, const int64_t *offsets, int n) {
    if (c == NULL || n <= 0 || parts == NULL || offsets == NULL) return RD_KAFKA_RESP_ERR__INVALID_ARG;
    rd_kafka_topic_partition_list_t *list = offsets_list(c->topic, parts, offsets, n);
    rd_kafka_resp_err_t err = rd_kafka_commit(c->rk, list, 0);
    rd_kafka_topic_partition_list_destroy(list);
    return err;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int all_done(const int64_t *ends, int32_t nends) {
    for (int32_t p = 0; p < nends; p++)
        if (ends[p] >= 0) return 0;
    return 1;
}

/* Fill up to max_rows rows, waiting at most timeout_ms for records.
 *
 * Row r (0 <= r < stats->rows) came from the record at (part[r], off[r]). If flag[r] is 0 it is
 * parsed: features in x[r * nx .. r * nx + nx), the label (feature slot nx) in y[r] when y is not
 * NULL. If flag[r] is 1 the record's value is raw[span[2r] .. span[2r + 1]) for the caller to decide
 * (ncols == 0: every record is flagged). The caller's arrays hold cap_rows rows and raw holds raw_cap
 * bytes; nothing is written beyond them.
 *
 * Bounded reads pass ends[p] (p < nends): the end offset of partition p, or -1 once read to the end
 * (or when not read). Records at or after their end are dropped, and ends[p] becomes -1 once the
 * record before the end, or an end-of-partition event at or after it, arrives. The call returns as
 * soon as every partition is done. Continuous reads pass ends NULL.
 *
 * Returns the number of rows, or a negative librdkafka error code for invalid arguments. */
int64_t fl_kc_read(fl_consumer *c, int64_t max_rows, int timeout_ms, int ncols, const int32_t *feat_of, int nx,
                   float *x, float *y, int32_t *part, int64_t *off, uint8_t *flag, char *raw, int64_t raw_cap,
                   int64_t *span, int64_t cap_rows, int64_t *ends, int32_t nends, fl_read_stats *stats) {
    if (stats != NULL) memset(stats, 0, sizeof *stats);
    if (c == NULL || stats == NULL || max_rows < 0 || max_rows > cap_rows || ncols < 0 || ncols > MAX_COLS ||
        nx < 0 || part == NULL || off == NULL || flag == NULL || span == NULL || raw_cap < 0 ||
        (raw_cap > 0 && raw == NULL) || (ends != NULL && nends < 0))
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    if (ncols > 0) {
        if (feat_of == NULL || (nx > 0 && x == NULL)) return RD_KAFKA_RESP_ERR__INVALID_ARG;
        for (int i = 0; i < ncols; i++)  /* every slot must land inside x, or in y when there is one */
            if (feat_of[i] < -1 || feat_of[i] > nx || (feat_of[i] == nx && y == NULL))
                return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    int64_t rows = 0, used = 0;
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    while (rows < max_rows) {
        if (ends != NULL && all_done(ends, nends)) break;
        if (c->next >= c->npending) {
            c->next = c->npending = 0;
            int64_t room = max_rows - rows;
            ssize_t got = rd_kafka_consume_batch_queue(c->queue, 0, c->pending,
                                                       (size_t)(room < PENDING_MAX ? room : PENDING_MAX));
            if (got < 0) { stats->errors++; stats->last_error = FL_ERR_QUEUE; break; }
            if (got == 0) {
                /* Nothing queued: wait for one message, no later than the deadline. */
                int64_t left = deadline - now_ms();
                if (left <= 0) break;
                rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, (int)(left < 1000 ? left : 1000));
                if (m == NULL) continue;  /* re-checks the deadline */
                c->pending[0] = m;
                got = 1;
            }
            c->npending = got;
            stats->messages += got;
        }
        rd_kafka_message_t *m = c->pending[c->next];
        int32_t p = m->partition;
        if (m->err != 0) {
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                if (ends != NULL && p >= 0 && p < nends && ends[p] >= 0 && m->offset >= ends[p]) ends[p] = -1;
            } else {
                stats->errors++;
                stats->last_error = m->err;
            }
            rd_kafka_message_destroy(m);
            c->next++;
            continue;
        }
        int done_here = 0;
        if (ends != NULL) {
            if (p < 0 || p >= nends || ends[p] < 0 || m->offset >= ends[p]) {
                stats->dropped++;
                rd_kafka_message_destroy(m);
                c->next++;
                continue;
            }
            done_here = m->offset + 1 >= ends[p];
        }
        const char *payload = m->payload != NULL ? (const char *)m->payload : "";
        size_t len = m->payload != NULL ? m->len : 0;
        int ok = 0;
        if (ncols > 0) {
            const char *ia = NULL, *ib = NULL;
            ok = parse_line(payload, payload + len, ncols, feat_of, nx, nx > 0 ? x + rows * nx : NULL,
                            y != NULL ? y + rows : NULL, -1, &ia, &ib);
        }
        if (!ok) {
            if ((int64_t)len > raw_cap - used) {  /* keep the message for the next call */
                stats->raw_needed = (int64_t)len;
                break;
            }
            if (len > 0) memcpy(raw + used, payload, len);
            span[2 * rows] = used;
            span[2 * rows + 1] = used + (int64_t)len;
            used += (int64_t)len;
        }
        flag[rows] = (uint8_t)!ok;
        part[rows] = p;
        off[rows] = m->offset;
        rows++;
        if (done_here) ends[p] = -1;
        rd_kafka_message_destroy(m);
        c->next++;
    }
    stats->rows = rows;
    stats->raw_used = used;
    return rows;
}

/* Leave the group (committing nothing), free every message still held, and the handle. */
void fl_kc_close(fl_consumer *c) {
    if (c == NULL) return;
    for (int64_t i = c->next; i < c->npending; i++) rd_kafka_message_destroy(c->pending[i]);
    c->next = c->npending = 0;
    rd_kafka_consumer_close(c->rk);
    rd_kafka_queue_destroy(c->queue);
    rd_kafka_destroy(c->rk);
    free(c->topic);
    free(c);
}
