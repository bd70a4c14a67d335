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
#include <float.h>
#include <math.h>

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#if LDBL_MANT_DIG >= 64
/* 10^k for k <= 27 is exact in a 64-bit significand (5^27 < 2^64). */
static const long double POW10L[28] = {
    1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
    1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
#endif

/* Parse a number starting at p (before `end`) as [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?; returns the
 * position after it, or NULL if there is no number there. The caller checks what follows.
 * (Digit by digit; parse_number below takes eight at a time and comes here for long numbers.) */
static const char *parse_number_slow(const char *p, const char *end, double *out) {
    const char *s = p;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-')) { neg = (*p == '-'); p++; }
    uint64_t mant = 0;
    int sig = 0, digits = 0, frac = 0, dropped = 0, lost = 0;  /* lost: a nonzero digit past 19 */
    while (p < end && (unsigned)(*p - '0') < 10) {
        if (sig < 19) { mant = mant * 10 + (uint64_t)(*p - '0'); if (mant) sig++; }
        else { dropped++; if (*p != '0') lost = 1; }
        digits++; p++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && (unsigned)(*p - '0') < 10) {
            if (sig < 19) { mant = mant * 10 + (uint64_t)(*p - '0'); if (mant) sig++; frac++; }
            else if (*p != '0') { lost = 1; }
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
#if LDBL_MANT_DIG >= 64
    if (!lost && total >= -27 && total <= 27) {
        /* Most real-data numbers have 17-19 digits, beyond Clinger's path. An exact 64-bit mantissa
         * and power of ten give r, correctly rounded to 64 bits; rounding r to double is then correct
         * unless r is exactly halfway between two doubles (then d + 2 * err is a double too), which
         * goes to strtod. */
        long double r = total < 0 ? (long double)mant / POW10L[-total] : (long double)mant * POW10L[total];
        double d = (double)r;
        long double err = r - (long double)d;
        long double twin = (long double)d + 2 * err;
        if (err == 0 || (long double)(double)twin != twin) {
            *out = neg ? -d : d;
            return p;
        }
    }
#endif
    char tmp[128];
    size_t n = (size_t)(p - s);
    if (n >= sizeof tmp) return NULL;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    *out = strtod(tmp, NULL);  /* correctly rounded (glibc); only '.' reaches here, as in the C locale */
    return p;
}

static inline uint64_t load8(const char *p) {
    uint64_t v;
    memcpy(&v, p, 8);  /* little-endian below: the first character is the low byte */
    return v;
}

/* The number written by eight ASCII digits (SWAR, as in simdjson and fast_float). */
static inline uint64_t value_8digits(uint64_t v) {
    v -= 0x3030303030303030ULL;
    v = (v * 10) + (v >> 8);
    return (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
            (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
}

static const uint64_t POW10U[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* Append the digits at p to *mant (wrapping past 19 digits; parse_number checks); returns the first
 * position after them. Eight bytes at a time while eight are left: the run of digits they start
 * with is found with one mask and converted in one step. */
static inline const char *digits(const char *p, const char *end, uint64_t *mant) {
    uint64_t m = *mant;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t v = load8(p);
        /* A byte is nonzero here unless it is '0'..'9'; digits never carry into the next byte. */
        uint64_t non = ((v & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL) |
                       (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL);
        if (non == 0) {
            m = m * 100000000ULL + value_8digits(v);
            p += 8;
            continue;
        }
        int n = __builtin_ctzll(non) >> 3;  /* digits before the first other byte */
        if (n > 0) {
            /* the n digits as the last ones of eight, after '0's */
            uint64_t w = (v << (8 * (8 - n))) | (0x3030303030303030ULL >> (8 * n));
            m = m * POW10U[n] + value_8digits(w);
        }
        *mant = m;
        return p + n;
    }
#endif
    while (p < end && (unsigned)(*p - '0') < 10) { m = m * 10 + (uint64_t)(*p - '0'); p++; }
    *mant = m;
    return p;
}

/* parse_number_slow's grammar and results, faster for numbers of at most 19 significant digits. */
static const char *parse_number(const char *p, const char *end, double *out) {
    const char *s = p;
    int neg = 0;
    if (p < end) { neg = (*p == '-'); p += (*p == '-') | (*p == '+'); }  /* no branch on the sign */
    const char *first = p;
    uint64_t mant = 0;
    p = digits(p, end, &mant);
    long nint = (long)(p - first), nfrac = 0;
    if (p < end && *p == '.') {
        const char *f = ++p;
        p = digits(p, end, &mant);
        nfrac = (long)(p - f);
    }
    if (nint + nfrac == 0) return NULL;
    if (nint + nfrac > 19) {  /* more than 19 digits: significant ones may not fit in mant */
        long sig = 0;
        const char *q = first;
        while (q < p && (*q == '0' || *q == '.')) q++;
        for (; q < p; q++) sig += (*q != '.');
        if (sig > 19) return parse_number_slow(s, end, out);
    }
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
    long total = exp10 - nfrac;
    if (mant <= (1ULL << 53) && total >= -22 && total <= 22) {
        /* Clinger's fast path: an exact mantissa and an exact power of ten, one rounding. */
        double v = (double)mant;
        v = total < 0 ? v / POW10[-total] : v * POW10[total];
        *out = neg ? -v : v;
        return p;
    }
    if (mant == 0) { *out = neg ? -0.0 : 0.0; return p; }
#if LDBL_MANT_DIG >= 64
    if (total >= -27 && total <= 27) {
        /* Most real-data numbers have 17-19 digits, beyond Clinger's path. An exact 64-bit mantissa
         * and power of ten give r, correctly rounded to 64 bits; rounding r to double is then correct
         * unless r is exactly halfway between two doubles (then d + 2 * err is a double too), which
         * goes to strtod. */
        long double r = total < 0 ? (long double)mant / POW10L[-total] : (long double)mant * POW10L[total];
        double d = (double)r;
        long double err = r - (long double)d;
        long double twin = (long double)d + 2 * err;
        if (err == 0 || (long double)(double)twin != twin) {
            *out = neg ? -d : d;
            return p;
        }
    }
#endif
    return parse_number_slow(s, end, out);
}

/* Parse one line [p, end) of `ncols` fields. feat_of[c] is the output slot of field c (-1: not a
 * feature): slots below nx go to row[slot], slot nx to *label (only when label is not NULL). The id
 * field's span (without its quotes) goes to *id_a, *id_b when id_col >= 0. Returns 1 when the line
 * is accepted; on 0 the outputs are partly written and meaningless. */
static int parse_line(const char *p, const char *end, int ncols, const int32_t *feat_of, int nx, float *row,
                      float *label, int id_col, const char **id_a, const char **id_b) {
    int col = 0;
    for (;;) {
        if (col >= ncols) return 0;
        int quoted = (p < end && *p == '"');
        const char *a = p + quoted, *b;
        int k = feat_of[col];
        if (k >= 0) {
            float *dst = k < nx ? row + k : (k == nx ? label : NULL);
            double v;
            if (dst == NULL) return 0;
            b = parse_number(a, end, &v);
            if (b == NULL) return 0;
            float x = (float)v;
            if (!isfinite(x)) return 0;
            *dst = x;
            p = b;
        } else {
            p = a;
            while (p < end && *p != ',' && *p != '"') {
                if ((unsigned char)(*p - 0x20) >= 0x5f) return 0;  /* not printable ASCII */
                p++;
            }
            b = p;
        }
        if (quoted) {
            if (p >= end || *p != '"') return 0;
            p++;
        }
        if (p < end && *p != ',') return 0;  /* a stray quote or trailing text */
        if (col == id_col) { *id_a = a; *id_b = b; }
        col++;
        if (p >= end) break;
        p++;  /* the comma */
    }
    return col == ncols;
}

/* Parse n lines, line i being buf[starts[i], ends[i]). feat_of[c] is the output column of field c
 * (-1: not a feature). Writes out[i * nfeat + k], id_spans[2i, 2i+1] (field id_col without its
 * quotes), ok[i]. Returns the number of accepted lines. One pass over each line. */
int64_t fl_parse_lines(const char *buf, const int64_t *starts, const int64_t *ends, int64_t n, int ncols,
                       const int32_t *feat_of, int nfeat, int id_col, float *out, int64_t *id_spans,
                       uint8_t *ok) {
    int64_t good = 0;
    for (int64_t i = 0; i < n; i++) {
        const char *a = buf, *b = buf;
        int fine = parse_line(buf + starts[i], buf + ends[i], ncols, feat_of, nfeat, out + i * nfeat, NULL,
                              id_col, &a, &b);
        id_spans[2 * i] = fine && id_col >= 0 ? a - buf : 0;
        id_spans[2 * i + 1] = fine && id_col >= 0 ? b - buf : 0;
        ok[i] = (uint8_t)fine;
        good += fine;
    }
    return good;
}
