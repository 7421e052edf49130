/* Helpers shared by the Quantum ESPRESSO reader tests (test_qe_pw.c, test_qe_real.c). */
#ifndef DP_QE_TEST_COMMON_H
#define DP_QE_TEST_COMMON_H

#include "dftpost.h"
#include "test_util.h"

/* QE's own constants (pw.x >= 6.6, CODATA 2018) */
#define RYTOEV 13.605693122994
#define BOHR 0.529177210903

/* ---- helpers ------------------------------------------------------------- */

static inline dp_run *read_text(const char *name, const char *text, size_t n, const dp_read_opts *o,
                         dp_error *err, dp_status *st)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    write_file(p, text, n);
    dp_run *r = NULL;
    err->msg[0] = '\0';
    *st = dp_read(p, o, &r, err);
    CHECK((*st == DP_OK) == (r != NULL));
    return r;
}

static inline void cart_of(const dp_frame *f, int a, double c[3])
{
    for (int k = 0; k < 3; k++)
        c[k] = f->frac[a][0] * f->lattice[0][k] + f->frac[a][1] * f->lattice[1][k] +
               f->frac[a][2] * f->lattice[2][k];
}

#endif
