/* Band statistics of a DOS curve: moments, filling, upper band edge.
 *
 * Definitions follow pymatgen's CompleteDos (get_band_center, get_band_width,
 * get_band_skewness, get_band_kurtosis, get_band_filling, get_upper_band_edge) so
 * that numbers agree with it: trapezoid rule on the file's own grid over the grid
 * points inside the window (ends included), no interpolation to the window edges. */
#include "dftpost.h"

#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

/* ∫ w(E)·dos(E) dE by the trapezoid rule over the points i with in[i]. */
static double trapz_masked(const double *e, const double *dos, const bool *in, int n,
                           double center, int power)
{
    double sum = 0.0, prev_x = 0.0, prev_y = 0.0;
    bool have_prev = false;
    for (int i = 0; i < n; i++) {
        if (!in[i])
            continue;
        double p = power ? pow(e[i] - center, power) : 1.0;
        double y = p * dos[i];
        if (have_prev)
            sum += (e[i] - prev_x) * (y + prev_y) * 0.5;
        prev_x = e[i];
        prev_y = y;
        have_prev = true;
    }
    return sum;
}

dp_status dp_hilbert_imag(const double *x, int n, double *out, dp_error *err)
{
    if (n < 1)
        return dp_fail(err, DP_ERR_USAGE, "Hilbert transform of an empty curve");
    fftw_complex *buf = fftw_malloc(sizeof(fftw_complex) * (size_t)n);
    if (!buf)
        return dp_fail(err, DP_ERR_NOMEM, "out of memory for the Hilbert transform");
    fftw_plan fwd = fftw_plan_dft_1d(n, buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    fftw_plan inv = fftw_plan_dft_1d(n, buf, buf, FFTW_BACKWARD, FFTW_ESTIMATE);
    for (int i = 0; i < n; i++)
        buf[i] = x[i];
    fftw_execute(fwd);
    /* scipy.signal.hilbert: keep DC (and Nyquist for even n), double positive
     * frequencies, zero negative ones; the inverse gives the analytic signal. */
    int half = n / 2;
    for (int k = 1; k < n; k++) {
        if (n % 2 == 0 && k == half)
            continue;
        buf[k] *= k < (n + 1) / 2 ? 2.0 : 0.0;
    }
    fftw_execute(inv);
    for (int i = 0; i < n; i++)
        out[i] = cimag(buf[i]) / n;
    fftw_destroy_plan(fwd);
    fftw_destroy_plan(inv);
    fftw_free(buf);
    return DP_OK;
}

dp_status dp_band_stats_compute(const double *e, const double *dos, int n, double lo,
                                double hi, dp_band_stats *out, dp_error *err)
{
    dp_band_stats r = {.center = NAN, .width = NAN, .skewness = NAN, .kurtosis = NAN,
                       .filling = NAN, .upper_edge = NAN, .states = NAN,
                       .emin = NAN, .emax = NAN};
    bool *in = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof *in);
    double *h = malloc((size_t)(n > 0 ? n : 1) * sizeof *h);
    if (!in || !h) {
        free(in);
        free(h);
        return dp_fail(err, DP_ERR_NOMEM, "out of memory for band statistics");
    }
    bool *below = in + n;
    for (int i = 0; i < n; i++) {
        in[i] = e[i] >= lo && e[i] <= hi;
        below[i] = in[i] && e[i] < 0.0;
        if (in[i]) {
            if (!r.npoints)
                r.emin = e[i];
            r.emax = e[i];
            r.npoints++;
        }
    }
    if (r.npoints >= 2) {
        double m0 = trapz_masked(e, dos, in, n, 0, 0);
        r.states = m0;
        r.center = trapz_masked(e, dos, in, n, 0, 1) / m0;
        double m2 = trapz_masked(e, dos, in, n, r.center, 2) / m0;
        double m3 = trapz_masked(e, dos, in, n, r.center, 3) / m0;
        double m4 = trapz_masked(e, dos, in, n, r.center, 4) / m0;
        r.width = sqrt(m2);
        r.skewness = m3 / pow(m2, 1.5);
        r.kurtosis = m4 / (m2 * m2);
        r.filling = trapz_masked(e, dos, below, n, 0, 0) / m0;
        dp_status st = dp_hilbert_imag(dos, n, h, err);
        if (st) {
            free(in);
            free(h);
            return st;
        }
        int best = -1;
        for (int i = 0; i < n; i++)
            if (in[i] && (best < 0 || h[i] > h[best]))
                best = i;
        r.upper_edge = e[best];
    }
    free(in);
    free(h);
    *out = r;
    return DP_OK;
}
