/* Charge-density difference, planar averages and the Poisson potential: see chgdiff.h. */
#include "chgdiff.h"

#include <fftw3.h>
#include <gsl/gsl_const_mksa.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_TOL 1e-4 /* Å */

double dp_coulomb_constant(void)
{
    /* V·m → V·Å */
    return GSL_CONST_MKSA_ELECTRON_CHARGE / (4 * M_PI * GSL_CONST_MKSA_VACUUM_PERMITTIVITY) *
           1e10;
}

int dp_chgdiff_axis(const char *name)
{
    if (!name || !name[0] || name[1])
        return -1;
    switch (name[0]) {
    case 'a': case 'x': case 'A': case 'X': return 0;
    case 'b': case 'y': case 'B': case 'Y': return 1;
    case 'c': case 'z': case 'C': case 'Z': return 2;
    default: return -1;
    }
}

dp_status dp_grid_match(const dp_grid *a, const char *name_a, const dp_grid *b,
                        const char *name_b, dp_error *err)
{
    if (a->n[0] != b->n[0] || a->n[1] != b->n[1] || a->n[2] != b->n[2])
        return dp_fail(err, DP_ERR_USAGE, "the grids differ: %s has %d × %d × %d points, %s "
                       "%d × %d × %d", name_a, a->n[0], a->n[1], a->n[2], name_b, b->n[0],
                       b->n[1], b->n[2]);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            if (!(fabs(a->lattice[i][k] - b->lattice[i][k]) <= MATCH_TOL))
                return dp_fail(err, DP_ERR_USAGE, "the cells differ: lattice vector %c of %s is "
                               "(%.6f, %.6f, %.6f) Å, of %s (%.6f, %.6f, %.6f) Å (tolerance "
                               "%g Å)", "abc"[i], name_a, a->lattice[i][0], a->lattice[i][1],
                               a->lattice[i][2], name_b, b->lattice[i][0], b->lattice[i][1],
                               b->lattice[i][2], MATCH_TOL);
    for (int k = 0; k < 3; k++)
        if (!(fabs(a->origin[k] - b->origin[k]) <= MATCH_TOL))
            return dp_fail(err, DP_ERR_USAGE, "the grid origins differ: %s (%.6f, %.6f, %.6f) "
                           "Å, %s (%.6f, %.6f, %.6f) Å", name_a, a->origin[0], a->origin[1],
                           a->origin[2], name_b, b->origin[0], b->origin[1], b->origin[2]);
    return DP_OK;
}

dp_status dp_chgdiff(const dp_grid *ab, const char *ab_name, const dp_grid *const *parts,
                     const char *const *part_names, int nparts, dp_grid *out, dp_error *err)
{
    memset(out, 0, sizeof *out);
    if (!ab->values)
        return dp_fail(err, DP_ERR_USAGE, "%s: no grid values", ab_name);
    for (int p = 0; p < nparts; p++) {
        if (!parts[p]->values)
            return dp_fail(err, DP_ERR_USAGE, "%s: no grid values", part_names[p]);
        dp_status st = dp_grid_match(ab, ab_name, parts[p], part_names[p], err);
        if (st)
            return st;
    }
    size_t n = (size_t)ab->n[0] * (size_t)ab->n[1] * (size_t)ab->n[2];
    double *v = malloc(n * sizeof *v);
    if (!v)
        return dp_fail(err, DP_ERR_NOMEM, "out of memory for %zu grid values", n);
    memcpy(v, ab->values, n * sizeof *v);
    for (int p = 0; p < nparts; p++) {
        const double *w = parts[p]->values;
        for (size_t i = 0; i < n; i++)
            v[i] -= w[i];
    }
    memcpy(out->n, ab->n, sizeof out->n);
    memcpy(out->lattice, ab->lattice, sizeof out->lattice);
    memcpy(out->origin, ab->origin, sizeof out->origin);
    out->values = v;
    snprintf(out->quantity, sizeof out->quantity, "density difference");
    return DP_OK;
}

dp_status dp_grid_poisson(const dp_grid *d, double *phi, dp_error *err)
{
    const int n0 = d->n[0], n1 = d->n[1], n2 = d->n[2];
    const int h2 = n2 / 2 + 1;
    size_t nr = (size_t)n0 * n1 * n2, nc = (size_t)n0 * n1 * h2;
    double inv[3][3];
    if (!dp_lattice_inverse(d->lattice, inv))
        return dp_fail(err, DP_ERR_USAGE, "the grid's cell has no volume");
    double *r = fftw_malloc(nr * sizeof *r);
    fftw_complex *c = fftw_malloc(nc * sizeof *c);
    if (!r || !c) {
        fftw_free(r), fftw_free(c);
        return dp_fail(err, DP_ERR_NOMEM, "out of memory for the Poisson solution (%zu points)",
                       nr);
    }
    fftw_plan fwd = fftw_plan_dft_r2c_3d(n0, n1, n2, r, c, FFTW_ESTIMATE);
    fftw_plan bwd = fftw_plan_dft_c2r_3d(n0, n1, n2, c, r, FFTW_ESTIMATE);
    if (!fwd || !bwd) {
        if (fwd)
            fftw_destroy_plan(fwd);
        if (bwd)
            fftw_destroy_plan(bwd);
        fftw_free(r), fftw_free(c);
        return dp_fail(err, DP_ERR_NOMEM, "FFTW could not plan a %d × %d × %d transform", n0,
                       n1, n2);
    }
    memcpy(r, d->values, nr * sizeof *r);
    fftw_execute(fwd);
    /* G = 2π Σ_j m_j b_j, b_j the columns of the inverse lattice (a_i · b_j = δ_ij) */
    const double pre = -4 * M_PI * dp_coulomb_constant() / (double)nr; /* 1/N: FFTW's scale */
    for (int i = 0; i < n0; i++) {
        int mi = i <= n0 / 2 ? i : i - n0;
        for (int j = 0; j < n1; j++) {
            int mj = j <= n1 / 2 ? j : j - n1;
            for (int k = 0; k < h2; k++) {
                size_t at = ((size_t)i * n1 + j) * h2 + k;
                double g[3];
                for (int x = 0; x < 3; x++)
                    g[x] = 2 * M_PI * (mi * inv[x][0] + mj * inv[x][1] + k * inv[x][2]);
                double g2 = g[0] * g[0] + g[1] * g[1] + g[2] * g[2];
                double f = (i == 0 && j == 0 && k == 0) ? 0.0 : pre / g2;
                c[at][0] *= f;
                c[at][1] *= f;
            }
        }
    }
    fftw_execute(bwd);
    memcpy(phi, r, nr * sizeof *phi);
    fftw_destroy_plan(fwd);
    fftw_destroy_plan(bwd);
    fftw_free(r), fftw_free(c);
    return DP_OK;
}

void dp_planar_free(dp_planar *p)
{
    free(p->z), free(p->lambda), free(p->dq), free(p->dphi);
    p->z = p->lambda = p->dq = p->dphi = NULL;
}

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

/* Sums of v over each plane normal to axis into out[n_axis]. */
static void plane_sums(const double *v, const int n[3], int axis, double *out)
{
    memset(out, 0, (size_t)n[axis] * sizeof *out);
    size_t at = 0;
    for (int i = 0; i < n[0]; i++)
        for (int j = 0; j < n[1]; j++)
            for (int k = 0; k < n[2]; k++, at++)
                out[axis == 0 ? i : axis == 1 ? j : k] += v[at];
}

dp_status dp_chgdiff_planar(const dp_grid *d, int axis, bool potential, dp_planar *out,
                            dp_error *err)
{
    memset(out, 0, sizeof *out);
    if (axis < 0 || axis > 2)
        return dp_fail(err, DP_ERR_USAGE, "axis %d: use a, b or c", axis);
    double vol = fabs(dp_lattice_det(d->lattice));
    int o1 = (axis + 1) % 3, o2 = (axis + 2) % 3;
    double nrm[3];
    cross(d->lattice[o1], d->lattice[o2], nrm);
    double area = sqrt(nrm[0] * nrm[0] + nrm[1] * nrm[1] + nrm[2] * nrm[2]);
    if (!(vol > 1e-12) || !(area > 1e-12) || !isfinite(vol))
        return dp_fail(err, DP_ERR_USAGE, "the grid's cell has no volume");
    /* n̂ points to the side of the axis vector */
    double side = nrm[0] * d->lattice[axis][0] + nrm[1] * d->lattice[axis][1] +
                  nrm[2] * d->lattice[axis][2];
    for (int x = 0; x < 3; x++)
        nrm[x] = (side < 0 ? -nrm[x] : nrm[x]) / area;
    const int n = d->n[axis];
    size_t npts = (size_t)d->n[0] * d->n[1] * d->n[2];
    out->axis = axis;
    out->n = n;
    out->area = area;
    out->height = vol / area;
    out->dz = out->height / n;
    out->z = malloc((size_t)n * sizeof *out->z);
    out->lambda = malloc((size_t)n * sizeof *out->lambda);
    out->dq = malloc((size_t)n * sizeof *out->dq);
    if (!out->z || !out->lambda || !out->dq) {
        dp_planar_free(out);
        return dp_fail(err, DP_ERR_NOMEM, "out of memory");
    }
    double dv = vol / (double)npts;
    double z0 = d->origin[0] * nrm[0] + d->origin[1] * nrm[1] + d->origin[2] * nrm[2];
    plane_sums(d->values, d->n, axis, out->lambda);
    double q = 0, integral = 0, absum = 0, dip = 0;
    for (size_t i = 0; i < npts; i++) {
        integral += d->values[i];
        absum += fabs(d->values[i]);
    }
    out->integral = integral * dv;
    out->transferred = 0.5 * absum * dv;
    double best = -1;
    for (int k = 0; k < n; k++) {
        out->z[k] = z0 + k * out->dz;
        out->lambda[k] *= dv / out->dz;
        q += out->lambda[k] * out->dz;
        out->dq[k] = q;
        if (fabs(q) > best)
            best = fabs(q), out->peak = k;
        dip -= out->z[k] * out->lambda[k] * out->dz;
    }
    if (!potential)
        return DP_OK;
    double *phi = malloc(npts * sizeof *phi);
    out->dphi = malloc((size_t)n * sizeof *out->dphi);
    if (!phi || !out->dphi) {
        free(phi);
        dp_planar_free(out);
        return dp_fail(err, DP_ERR_NOMEM, "out of memory");
    }
    dp_status st = dp_grid_poisson(d, phi, err);
    if (st) {
        free(phi);
        dp_planar_free(out);
        return st;
    }
    plane_sums(phi, d->n, axis, out->dphi);
    double per_plane = (double)npts / n;
    for (int k = 0; k < n; k++)
        out->dphi[k] /= per_plane;
    free(phi);
    out->has_potential = true;
    out->dipole = dip;
    out->dwork = -4 * M_PI * dp_coulomb_constant() * dip / area;
    return DP_OK;
}
