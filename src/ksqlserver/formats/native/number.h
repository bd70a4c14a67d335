/* What the DELIMITED decoder and the Java double writer share: powers of ten exact in a double (Clinger's
   fast path, shortest-digit checks), a digit test, and the C locale for strtod_l. */
#ifndef KSQL_NUMBER_H
#define KSQL_NUMBER_H
#include <locale.h>

static locale_t c_locale = (locale_t)0;

static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }

#endif
