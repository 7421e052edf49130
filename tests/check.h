/* Minimal assertions for the C tests: count failures, print where, exit non-zero.
 * A test program prints "N passed, N failed" at the end (ctest reads its exit code). */
#ifndef DP_CHECK_H
#define DP_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (cond) {                                                                      \
            check_passed++;                                                              \
        } else {                                                                         \
            check_failed++;                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);     \
        }                                                                                \
    } while (0)

/* |got - want| <= tol; NaN equals only NaN. */
#define CHECK_NEAR(got, want, tol)                                                       \
    do {                                                                                 \
        double g_ = (got), w_ = (want);                                                  \
        int ok_ = (isnan(g_) && isnan(w_)) || fabs(g_ - w_) <= (tol);                    \
        if (ok_) {                                                                       \
            check_passed++;                                                              \
        } else {                                                                         \
            check_failed++;                                                              \
            fprintf(stderr, "%s:%d: %s = %.10g, expected %.10g (tol %g)\n", __FILE__,    \
                    __LINE__, #got, g_, w_, (double)(tol));                              \
        }                                                                                \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                  \
    do {                                                                                 \
        const char *h_ = (hay);                                                          \
        if (h_ && strstr(h_, (needle))) {                                                \
            check_passed++;                                                              \
        } else {                                                                         \
            check_failed++;                                                              \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__,         \
                    __LINE__, h_ ? h_ : "(null)", (needle));                             \
        }                                                                                \
    } while (0)

static inline int check_report(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : (check_passed ? 0 : 1); /* a test that checked nothing fails */
}

/* Exit code ctest treats as "skipped" (SKIP_RETURN_CODE). */
#define CHECK_SKIP 77

#endif
