/*
 * Fourier interpolation of a periodic grid onto a finer one (zero padding of the
 * spectrum). With X the forward FFT of the n-point grid, the finer grid of f·n points is
 * the inverse FFT of Y, where Y holds X/N_total at the same frequencies and zero beyond.
 * An even axis has a Nyquist component k = n/2 that stands for +n/2 and −n/2 alike: it is
 * split in halves between the two bins of the finer grid (for the last, half-complex
 * axis the −n/2 half is implied by Hermitian symmetry, so the stored bin just gets half).
 * The result is then the real trigonometric interpolant, and the grid points of the
 * coarse grid keep their values.
 */
#include "bader.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where input frequency index q (0..n-1) of an axis goes in the f·n axis, and with what
 * weight: one bin, or two half bins for the Nyquist index of an even n. */
static int targets(int q, int n, int f, int *to, double *wt)
{
    int m = n * f;
    if (2 * q < n) {
        to[0] = q, wt[0] = 1;
        return 1;
    }
    if (2 * q > n) {
        to[0] = m - (n - q), wt[0] = 1;
        return 1;
    }
    to[0] = q, wt[0] = 0.5; /* Nyquist: +n/2 and −n/2 */
    to[1] = m - q, wt[1] = 0.5;
    return 2;
}

static dp_status refine_block(const double *in, const int n[3], int f, double *out, dp_error *err)
{
    int m[3] = {n[0] * f, n[1] * f, n[2] * f};
    size_t hin = (size_t)n[2] / 2 + 1, hout = (size_t)m[2] / 2 + 1;
    size_t nin = (size_t)n[0] * n[1] * n[2];
    double *rin = fftw_malloc(nin * sizeof *rin);
    fftw_complex *X = fftw_malloc((size_t)n[0] * n[1] * hin * sizeof *X);
    fftw_complex *Y = fftw_malloc((size_t)m[0] * m[1] * hout * sizeof *Y);
    if (!rin || !X || !Y) {
        fftw_free(rin), fftw_free(X), fftw_free(Y);
        return dp_fail(err, DP_ERR_NOMEM, "refine: out of memory for a %d×%d×%d grid", m[0],
                       m[1], m[2]);
    }
    fftw_plan fw = fftw_plan_dft_r2c_3d(n[0], n[1], n[2], rin, X, FFTW_ESTIMATE);
    fftw_plan bw = fftw_plan_dft_c2r_3d(m[0], m[1], m[2], Y, out, FFTW_ESTIMATE);
    memcpy(rin, in, nin * sizeof *rin); /* ESTIMATE planning leaves the arrays alone, but
                                         * r2c may overwrite its input */
    fftw_execute(fw);
    memset(Y, 0, (size_t)m[0] * m[1] * hout * sizeof *Y);
    double scale = 1.0 / (double)nin;
    for (int a = 0; a < n[0]; a++) {
        int ta[2], tb[2];
        double wa[2], wb[2];
        int na = targets(a, n[0], f, ta, wa);
        for (int b = 0; b < n[1]; b++) {
            int nb = targets(b, n[1], f, tb, wb);
            for (size_t c = 0; c < hin; c++) {
                const double *x = X[((size_t)a * n[1] + b) * hin + c];
                /* last axis: the Nyquist plane of an even n is halved (its −n/2 twin is
                 * the Hermitian conjugate the c2r transform supplies) */
                double wc = (n[2] % 2 == 0 && 2 * c == (size_t)n[2] && f > 1) ? 0.5 : 1.0;
                for (int u = 0; u < na; u++)
                    for (int v = 0; v < nb; v++) {
                        double s = scale * wa[u] * wb[v] * wc;
                        double *y = Y[((size_t)ta[u] * m[1] + tb[v]) * hout + c];
                        y[0] += s * x[0];
                        y[1] += s * x[1];
                    }
            }
        }
    }
    fftw_execute(bw);
    fftw_destroy_plan(fw), fftw_destroy_plan(bw);
    fftw_free(rin), fftw_free(X), fftw_free(Y);
    return DP_OK;
}

dp_status dp_grid_refine(const dp_grid *in, int factor, dp_grid *out, dp_error *err)
{
    memset(out, 0, sizeof *out);
    if (factor < 1 || factor > 16)
        return dp_fail(err, DP_ERR_USAGE, "refine: factor %d is not 1 to 16", factor);
    double total = (double)factor * factor * factor;
    for (int a = 0; a < 3; a++) {
        if (in->n[a] < 1)
            return dp_fail(err, DP_ERR_USAGE, "refine: empty grid");
        total *= in->n[a];
    }
    if (total >= 2147483647.0)
        return dp_fail(err, DP_ERR_USAGE, "refine: %d×%d×%d × %d³ points are too many",
                       in->n[0], in->n[1], in->n[2], factor);
    *out = *in;
    out->values = NULL;
    for (int k = 0; k < 3; k++)
        out->mag[k] = NULL;
    for (int a = 0; a < 3; a++)
        out->n[a] = in->n[a] * factor;
    size_t nout = (size_t)total;
    const double *src[4] = {in->values, in->mag[0], in->mag[1], in->mag[2]};
    double **dst[4] = {&out->values, &out->mag[0], &out->mag[1], &out->mag[2]};
    int nblocks = 1 + (in->nmag > 0 ? in->nmag : 0);
    for (int b = 0; b < nblocks; b++) {
        if (!src[b])
            continue;
        double *o = malloc(nout * sizeof *o); /* callers free() it */
        if (!o) {
            dp_fail(err, DP_ERR_NOMEM, "refine: out of memory for %zu points", nout);
            goto fail;
        }
        *dst[b] = o;
        dp_status st = refine_block(src[b], in->n, factor, o, err);
        if (st)
            goto fail;
    }
    return DP_OK;
fail:
    for (int b = 0; b < 4; b++) {
        free(*dst[b]);
        *dst[b] = NULL;
    }
    return err->code;
}
