/* DELIMITED numeric lines -> float32 matrix, for fraudlab.scoring (loaded with ctypes).
 *
 * A line is accepted only when it is plain: printable ASCII, exactly `ncols` comma-separated fields,
 * each either unquoted or wholly wrapped in one pair of double quotes, every feature field a plain
 * decimal number whose float32 value is finite. Anything else is flagged (ok[i] = 0) and left to the
 * Python line parser, which decides and names the problem; so the fast path never accepts a line the
 * Python parser would reject, and it yields the same float32 values (correctly rounded double, then
 * cast, exactly as float() then np.float32).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parse a number starting at p (before `end`) as [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?; returns the
 * position after it, or NULL if there is no number there. The caller checks what follows. */
static const char *parse_number(const char *p, const char *end, double *out) {
    const char *s = p;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) { neg = (*p == '-'); p++; }
    uint64_t mant = 0;
    int sig = 0, digits = 0, frac = 0, dropped = 0;
    while (p < end && (unsigned)(*p - '0') < 10) {
        if (sig < 19) { mant = mant * 10 + (uint64_t)(*p - '0'); if (mant) sig++; }
        else { dropped++; }
        digits++; p++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && (unsigned)(*p - '0') < 10) {
            if (sig < 19) { mant = mant * 10 + (uint64_t)(*p - '0'); if (mant) sig++; frac++; }
            digits++; p++;
        }
    }
    if (!digits) return NULL;
    long exp10 = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0, edigits = 0;
        if (p < end && (*p == '+' || *p == '-')) { eneg = (*p == '-'); p++; }
        while (p < end && (unsigned)(*p - '0') < 10) {
            if (exp10 < 100000) exp10 = exp10 * 10 + (*p - '0');
            edigits++; p++;
        }
        if (!edigits) return NULL;
        if (eneg) exp10 = -exp10;
    }
    long total = exp10 + dropped - frac;
    if (dropped == 0 && mant <= (1ULL << 53) && total >= -22 && total <= 22) {
        /* Clinger's fast path: an exact mantissa and an exact power of ten, one rounding. */
        double v = (double)mant;
        v = total < 0 ? v / POW10[-total] : v * POW10[total];
        *out = neg ? -v : v;
        return p;
    }
    if (mant == 0 && dropped == 0) { *out = neg ? -0.0 : 0.0; return p; }
    char tmp[128];
    size_t n = (size_t)(p - s);
    if (n >= sizeof tmp) return NULL;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    *out = strtod(tmp, NULL);  /* correctly rounded (glibc); only '.' reaches here, as in the C locale */
    return p;
}

/* Parse n lines, line i being buf[starts[i], ends[i]). feat_of[c] is the output column of field c
 * (-1: not a feature). Writes out[i * nfeat + k], id_spans[2i, 2i+1] (field id_col without its
 * quotes), ok[i]. Returns the number of accepted lines. One pass over each line. */
int64_t fl_parse_lines(const char *buf, const int64_t *starts, const int64_t *ends, int64_t n, int ncols,
                       const int32_t *feat_of, int nfeat, int id_col, float *out, int64_t *id_spans,
                       uint8_t *ok) {
    int64_t good = 0;
    for (int64_t i = 0; i < n; i++) {
        const char *p = buf + starts[i], *end = buf + ends[i];
        float *row = out + i * nfeat;
        int col = 0, fine = 1;
        id_spans[2 * i] = id_spans[2 * i + 1] = 0;
        for (;;) {
            if (col >= ncols) { fine = 0; break; }
            int quoted = (p < end && *p == '"');
            const char *a = p + quoted, *b;
            int k = feat_of[col];
            if (k >= 0) {
                double v;
                b = parse_number(a, end, &v);
                if (b == NULL) { fine = 0; break; }
                float x = (float)v;
                if (!isfinite(x)) { fine = 0; break; }
                row[k] = x;
                p = b;
            } else {
                p = a;
                while (p < end && *p != ',' && *p != '"') {
                    if ((unsigned char)(*p - 0x20) >= 0x5f) { fine = 0; break; }  /* not printable ASCII */
                    p++;
                }
                if (!fine) break;
                b = p;
            }
            if (quoted) {
                if (p >= end || *p != '"') { fine = 0; break; }
                p++;
            }
            if (p < end && *p != ',') { fine = 0; break; }  /* a stray quote or trailing text */
            if (col == id_col) { id_spans[2 * i] = a - buf; id_spans[2 * i + 1] = b - buf; }
            col++;
            if (p >= end) break;
            p++;  /* the comma */
        }
        if (fine && col != ncols) fine = 0;
        ok[i] = (uint8_t)fine;
        good += fine;
    }
    return good;
}
