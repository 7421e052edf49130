/* Linear scaling relations (see scaling.h). */
#include "scaling.h"

#include <gsl/gsl_fit.h>
#include <math.h>
#include <string.h>

dp_status dp_scaling_fit_linear(const double *x, const double *y, int n, dp_scaling_fit *fit,
                                dp_error *err)
{
    memset(fit, 0, sizeof *fit);
    if (n < 2)
        return dp_fail(err, DP_ERR_USAGE, "a line needs at least 2 points, not %d", n);
    bool spread = false;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return dp_fail(err, DP_ERR_USAGE, "point %d is not a finite number", i + 1);
        spread |= x[i] != x[0];
    }
    if (!spread)
        return dp_fail(err, DP_ERR_USAGE, "all %d x values are equal (%g): no slope", n, x[0]);
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(x, 1, y, 1, (size_t)n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    fit->n = n;
    fit->slope = c1;
    fit->intercept = c0;
    double mean = 0, sstot = 0;
    for (int i = 0; i < n; i++)
        mean += y[i];
    mean /= n;
    for (int i = 0; i < n; i++)
        sstot += (y[i] - mean) * (y[i] - mean);
    /* Residuals recomputed here rather than GSL's sumsq alone: the worst point is wanted
     * too. With all y equal the line is exact (r2 = 1 by convention, as 0/0). */
    double ssres = 0;
    fit->max_residual_index = 0;
    for (int i = 0; i < n; i++) {
        double r = dp_scaling_residual(fit, x[i], y[i]);
        ssres += r * r;
        if (fabs(r) > fabs(fit->max_residual) || i == 0) {
            fit->max_residual = r;
            fit->max_residual_index = i;
        }
    }
    fit->r2 = sstot > 0 ? 1 - ssres / sstot : 1;
    fit->rmse = sqrt(ssres / n);
    /* GSL scales the covariance by s² = sumsq/(n − 2), which is 0/0 for two points. */
    fit->stderr_slope = n > 2 ? sqrt(cov11) : NAN;
    fit->stderr_intercept = n > 2 ? sqrt(cov00) : NAN;
    return DP_OK;
}

double dp_scaling_residual(const dp_scaling_fit *fit, double x, double y)
{
    return y - (fit->slope * x + fit->intercept);
}

int dp_scaling_xmax(const char *element)
{
    static const struct {
        const char *el;
        int xmax;
    } T[] = {{"H", 1}, {"C", 4}, {"N", 3}, {"O", 2}, {"S", 2}, {"B", 3}, {"P", 3}, {"Si", 4}};
    for (size_t i = 0; i < sizeof T / sizeof *T; i++)
        if (!strcmp(T[i].el, element))
            return T[i].xmax;
    return 0;
}

double dp_scaling_gamma(int xmax, int x)
{
    if (xmax <= 0 || x < 0 || x > xmax)
        return NAN;
    return (double)(xmax - x) / xmax;
}
