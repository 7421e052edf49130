/* Band statistics and the Hilbert transform against hand calculations. */
#include "check.h"
#include "dftpost.h"

static void small_hand_example(void)
{
    /* e = -2,-1,0,1; rho = 0,1,1,0. By hand (trapezoid):
     * ∫rho = 0.5 + 1 + 0.5 = 2; ∫E·rho = 0.5(0-1) + 0.5(-1+0) + 0 = -1 → centre -0.5;
     * ∫(E+0.5)^2 rho = 0.5(0+0.25) + 0.5(0.25+0.25) + 0.5(0.25+0) = 0.5 → m2 = 0.25;
     * ∫_{E<0} uses points -2,-1 only: 0.5 → filling 0.25. */
    double e[] = {-2, -1, 0, 1}, rho[] = {0, 1, 1, 0};
    dp_band_stats s;
    dp_error err;
    CHECK(dp_band_stats_compute(e, rho, 4, -INFINITY, INFINITY, &s, &err) == DP_OK);
    CHECK_NEAR(s.states, 2.0, 1e-15);
    CHECK_NEAR(s.center, -0.5, 1e-15);
    CHECK_NEAR(s.width, 0.5, 1e-15);
    CHECK_NEAR(s.skewness, 0.0, 1e-15);
    CHECK_NEAR(s.filling, 0.25, 1e-15);
    CHECK_NEAR(s.emin, -2, 0);
    CHECK_NEAR(s.emax, 1, 0);
    CHECK(s.npoints == 4);
    /* window [-1, 0] keeps points -1 and 0, ends included: ∫rho = 1, ∫E·rho = -0.5 */
    CHECK(dp_band_stats_compute(e, rho, 4, -1, 0, &s, &err) == DP_OK);
    CHECK(s.npoints == 2);
    CHECK_NEAR(s.states, 1.0, 1e-15);
    CHECK_NEAR(s.center, -0.5, 1e-15);
    /* a window holding one point: nothing is defined */
    CHECK(dp_band_stats_compute(e, rho, 4, 0.5, 1.5, &s, &err) == DP_OK);
    CHECK(s.npoints == 1 && isnan(s.center) && isnan(s.width));
}

static void gaussian(void)
{
    /* A Gaussian of centre m and width sg on a fine grid: centre m, width sg,
     * skewness 0, kurtosis 3 (analytic moments; the grid error is far below 1e-8). */
    enum { N = 4001 };
    static double e[N], rho[N];
    double m = -1.7, sg = 0.9;
    for (int i = 0; i < N; i++) {
        e[i] = -20 + 0.01 * i;
        rho[i] = exp(-(e[i] - m) * (e[i] - m) / (2 * sg * sg));
    }
    dp_band_stats s;
    dp_error err;
    CHECK(dp_band_stats_compute(e, rho, N, -INFINITY, INFINITY, &s, &err) == DP_OK);
    CHECK_NEAR(s.center, m, 1e-8);
    CHECK_NEAR(s.width, sg, 1e-8);
    CHECK_NEAR(s.skewness, 0.0, 1e-8);
    CHECK_NEAR(s.kurtosis, 3.0, 1e-8);
    CHECK_NEAR(s.states, sg * sqrt(2 * M_PI), 1e-8);
    /* filling: the trapezoid sum stops at the last point below 0, E = -0.01, so it is
     * Phi((-0.01 - m)/sg) up to the trapezoid error at that cut, h^2/12·rho'/∫rho ≈ 1.3e-6 */
    CHECK_NEAR(s.filling, 0.5 * erfc(-((-0.01 - m) / sg) / sqrt(2)), 1e-5);
    /* The Hilbert transform of a Gaussian is a scaled Dawson function of
     * (E - m)/(sqrt(2)·sg), whose maximum sits at 0.92414 (Abramowitz & Stegun 7.1.17),
     * i.e. at E = m + 1.30693·sg; the grid resolves it to its 0.01 eV spacing. */
    CHECK_NEAR(s.upper_edge, m + 1.3069 * sg, 0.011);
}

static void hilbert(void)
{
    /* scipy.signal.hilbert(cos(w t)).imag = sin(w t) for whole periods, any length */
    int lengths[] = {64, 63, 2, 1};
    for (size_t k = 0; k < sizeof lengths / sizeof *lengths; k++) {
        int n = lengths[k];
        double x[64], h[64];
        for (int i = 0; i < n; i++)
            x[i] = cos(2 * M_PI * 3 * i / n);
        dp_error err;
        CHECK(dp_hilbert_imag(x, n, h, &err) == DP_OK);
        double maxdiff = 0;
        for (int i = 0; i < n; i++) {
            double want = n > 6 ? sin(2 * M_PI * 3 * i / n) : 0.0; /* n ≤ 6: 3 cycles alias to DC */
            maxdiff = fmax(maxdiff, fabs(h[i] - want));
        }
        CHECK_NEAR(maxdiff, 0.0, 1e-12);
    }
}

int main(void)
{
    small_hand_example();
    gaussian();
    hilbert();
    return check_report();
}
