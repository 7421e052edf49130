/* Linear scaling relations between adsorption energies (Abild-Pedersen et al., Phys. Rev.
 * Lett. 99, 016105 (2007)): least-squares lines y = slope·x + intercept across catalysts,
 * their quality, and the bond-counting slope γ = (x_max − x)/x_max. Pure functions. */
#ifndef DP_SCALING_H
#define DP_SCALING_H

#include "dftpost.h"

typedef struct {
    int n;                   /* points fitted */
    double slope, intercept; /* y = slope·x + intercept (ordinary least squares) */
    double r2;               /* 1 − SS_res/SS_tot (= r² of scipy.stats.linregress) */
    double stderr_slope;     /* standard errors with s² = SS_res/(n − 2), as linregress's */
    double stderr_intercept; /* stderr and intercept_stderr; NaN for n = 2 */
    double rmse;             /* sqrt(SS_res/n), eV */
    double max_residual;     /* the residual y − ŷ of largest magnitude (signed) */
    int max_residual_index;  /* its point (0-based) */
} dp_scaling_fit;

/* Fits y[i] against x[i], i < n, with GSL's gsl_fit_linear. Points where x or y is
 * not finite are an error (the caller drops missing values first). DP_ERR_USAGE for
 * n < 2 or all x equal (no slope). */
dp_status dp_scaling_fit_linear(const double *x, const double *y, int n, dp_scaling_fit *fit,
                                dp_error *err);

/* The residual y − (slope·x + intercept) of one point. */
double dp_scaling_residual(const dp_scaling_fit *fit, double x, double y);

/* Maximum bonds an adatom forms (its valence): H 1, C 4, N 3, O 2, S 2, B 3, P 3 (for
 * AHx scaling); 0 for an element without one here. */
int dp_scaling_xmax(const char *element);

/* γ = (x_max − x)/x_max, the slope of E(AHx) against E(A) for x hydrogens (Abild-Pedersen
 * 2007): OH vs O ½; CH3, CH2, CH vs C ¼, ½, ¾. NaN unless 0 ≤ x ≤ x_max, x_max > 0. */
double dp_scaling_gamma(int xmax, int x);

#endif
