/*
 * Bader analysis driver: checks, vacuum, the method (bader_neargrid.c, bader_weight.c),
 * then basins → atoms (nearest atom to each maximum, minimum image, as the Bader program
 * does), per-atom sums, and the distance from each atom to its Bader surface.
 */
#include "bader_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define MARGIN 3 /* wrap tables reach 3 points beyond each face (weight stencils) */

dp_bader_opts dp_bader_defaults(void)
{
    dp_bader_opts o = {.method = DP_BADER_NEARGRID, .vacuum = false, .vacuum_threshold = 1e-3,
                       .program_compat = true};
    return o;
}

void dp_bader_result_free(dp_bader_result *r)
{
    if (!r)
        return;
    free(r->population), free(r->volume), free(r->min_dist), free(r->moment);
    free(r->maximum_frac), free(r->maximum_atom), free(r->maximum_charge);
    memset(r, 0, sizeof *r);
}

static bool invert3(const double m[3][3], double inv[3][3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                 m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (!(fabs(det) > 0) || !isfinite(det))
        return false;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
            inv[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
        }
    return true;
}

/* Minimum-image squared distance of a fractional difference d in a lattice (rows). h2 =
 * (half the smallest spacing between lattice planes)²: a wrapped vector shorter than
 * that is already the shortest image. */
static double mic2(const double lat[3][3], const double d[3], double h2)
{
    double f[3], c[3];
    for (int a = 0; a < 3; a++)
        f[a] = d[a] - floor(d[a] + 0.5);
    for (int j = 0; j < 3; j++)
        c[j] = f[0] * lat[0][j] + f[1] * lat[1][j] + f[2] * lat[2][j];
    double best = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    if (best <= h2)
        return best;
    for (int x = -1; x <= 1; x++)
        for (int y = -1; y <= 1; y++)
            for (int z = -1; z <= 1; z++) {
                double e[3];
                for (int j = 0; j < 3; j++)
                    e[j] = c[j] + x * lat[0][j] + y * lat[1][j] + z * lat[2][j];
                double s = e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
                if (s < best)
                    best = s;
            }
    return best;
}

/* The program's squared distance (assign_chg2atom): Cartesian difference, then images
 * added while they shorten it, in its order and rounding, so that a maximum equidistant
 * from two atoms goes to the same one. */
static double program_dist2(const double lat[3][3], const double d[3])
{
    double v[3];
    for (int j = 0; j < 3; j++)
        v[j] = lat[0][j] * d[0] + lat[1][j] * d[1] + lat[2][j] * d[2];
    double best = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    for (int it = 0, done = 0; !done && it < 1000; it++) {
        done = 1;
        for (int x = -1; x <= 1; x++)
            for (int y = -1; y <= 1; y++)
                for (int z = -1; z <= 1; z++) {
                    double e[3];
                    for (int j = 0; j < 3; j++)
                        e[j] = v[j] + lat[0][j] * x + lat[1][j] * y + lat[2][j] * z;
                    double s = e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
                    if (s < best)
                        best = s, memcpy(v, e, sizeof v), done = 0;
                }
    }
    return best;
}

static double half_spacing2(const double lat[3][3], double vol)
{
    double h = INFINITY;
    for (int a = 0; a < 3; a++) {
        const double *u = lat[(a + 1) % 3], *v = lat[(a + 2) % 3];
        double x[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                       u[0] * v[1] - u[1] * v[0]};
        double s = vol / sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        if (s < h)
            h = s;
    }
    return 0.25 * h * h;
}

/* The atom of a maximum: the nearest one (minimum image). With program_compat, the
 * program's arithmetic (ties) and, for the weight method, its position (see bader.h). */
static int nearest_atom(const bader_work *w, const int p0[3])
{
    double g[3];
    for (int a = 0; a < 3; a++) {
        int p = p0[a];
        if (w->compat && w->weight)
            p = ((p + w->shift[a]) % w->n[a] + w->n[a]) % w->n[a];
        g[a] = (double)p * (1.0 / w->n[a]); /* the program's lat2dir */
    }
    int best = 0;
    double bd = INFINITY;
    for (int at = 0; at < w->natoms; at++) {
        const double *f = w->frame->frac[at];
        double d[3] = {g[0] - f[0], g[1] - f[1], g[2] - f[2]};
        double s = w->compat ? program_dist2(w->lattice, d) : mic2(w->lattice, d, w->h2);
        if (s < bd)
            bd = s, best = at;
    }
    return best;
}

int bader_new_basin(bader_work *w, int i, int j, int k)
{
    if (w->nbasins == w->cap) {
        int nc = w->cap ? 2 * w->cap : 64;
        int(*np)[3] = realloc(w->maxpos, (size_t)nc * sizeof *np);
        if (np)
            w->maxpos = np;
        int *na = realloc(w->atom_of, (size_t)(nc + 1) * sizeof *na);
        if (na)
            w->atom_of = na;
        if (!np || !na)
            return -1;
        w->cap = nc;
    }
    int *m = w->maxpos[w->nbasins];
    m[0] = i, m[1] = j, m[2] = k;
    w->atom_of[w->nbasins + 1] = nearest_atom(w, m);
    return ++w->nbasins;
}

static dp_status setup(bader_work *w, const dp_grid *ref, const dp_grid *rho,
                       const dp_bader_opts *o, dp_error *err)
{
    for (int a = 0; a < 3; a++) {
        if (ref->n[a] < 1 || ref->n[a] != rho->n[a])
            return dp_fail(err, DP_ERR_USAGE, "bader: the reference grid (%d×%d×%d) and the "
                           "integrated grid (%d×%d×%d) differ", ref->n[0], ref->n[1], ref->n[2],
                           rho->n[0], rho->n[1], rho->n[2]);
        w->n[a] = ref->n[a];
    }
    double np = (double)w->n[0] * w->n[1] * w->n[2];
    if (np >= 2147483647.0)
        return dp_fail(err, DP_ERR_USAGE, "bader: %d×%d×%d grid points are more than 2^31",
                       w->n[0], w->n[1], w->n[2]);
    w->npts = (size_t)w->n[0] * (size_t)w->n[1] * (size_t)w->n[2];
    if (!ref->values || !rho->values)
        return dp_fail(err, DP_ERR_USAGE, "bader: a grid has no values");
    for (size_t c = 0; c < w->npts; c++)
        if (!isfinite(ref->values[c]) || !isfinite(rho->values[c]))
            return dp_fail(err, DP_ERR_USAGE, "bader: grid point %zu is not a finite number", c);
    for (int a = 0; a < 3; a++)
        for (int j = 0; j < 3; j++)
            w->lat2car[a][j] = rho->lattice[j][a] / w->n[j];
    if (!invert3(w->lat2car, w->car2lat))
        return dp_fail(err, DP_ERR_USAGE, "bader: the cell has no volume");
    size_t tot = 0;
    for (int a = 0; a < 3; a++)
        tot += (size_t)w->n[a] + 2 * MARGIN;
    if (!(w->off_store = malloc(tot * sizeof *w->off_store)))
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory");
    int64_t stride[3] = {(int64_t)w->n[1] * w->n[2], w->n[2], 1};
    int64_t *p = w->off_store;
    for (int a = 0; a < 3; a++) {
        for (int x = -MARGIN; x < w->n[a] + MARGIN; x++) {
            int y = ((x % w->n[a]) + w->n[a]) % w->n[a];
            p[x + MARGIN] = y * stride[a];
        }
        w->off[a] = p + MARGIN;
        p += w->n[a] + 2 * MARGIN;
    }
    w->rho = ref->values;
    w->nfield = 1 + (rho->nmag > 0 ? rho->nmag : 0);
    w->field[0] = rho->values;
    for (int m = 0; m < rho->nmag && m < 3; m++) {
        if (!rho->mag[m])
            return dp_fail(err, DP_ERR_USAGE, "bader: magnetisation block %d has no values",
                           m + 1);
        w->field[1 + m] = rho->mag[m];
    }
#ifdef _OPENMP
    w->threads = o->threads > 0 ? o->threads : omp_get_max_threads();
#else
    w->threads = 1;
#endif
    w->progress = o->progress, w->progress_ud = o->progress_ud;
    return DP_OK;
}

static dp_status allocate_result(dp_bader_result *r, int natoms, int nmag, int nb)
{
    memset(r, 0, sizeof *r);
    r->natoms = natoms, r->nmag = nmag, r->nmaxima = nb;
    size_t na = (size_t)natoms, nbb = (size_t)(nb ? nb : 1);
    r->population = calloc(na, sizeof(double));
    r->volume = calloc(na, sizeof(double));
    r->min_dist = calloc(na, sizeof(double));
    r->moment = nmag ? calloc(na * (size_t)nmag, sizeof(double)) : NULL;
    r->maximum_frac = calloc(nbb, sizeof *r->maximum_frac);
    r->maximum_atom = calloc(nbb, sizeof(int));
    r->maximum_charge = calloc(nbb, sizeof(double));
    if (!r->population || !r->volume || !r->min_dist || (nmag && !r->moment) ||
        !r->maximum_frac || !r->maximum_atom || !r->maximum_charge) {
        dp_bader_result_free(r);
        return DP_ERR_NOMEM;
    }
    return DP_OK;
}

/* The distance from each atom to the nearest grid point of its Bader surface: a point of
 * the atom with a neighbour (26) of another atom or of the vacuum. */
static void surface_distances(const bader_work *w, const int *atom_of, const dp_frame *frame,
                              const double lat[3][3], double h2, dp_bader_result *r)
{
    int na = r->natoms, n0 = w->n[0];
    double *best = r->min_dist;
    for (int a = 0; a < na; a++)
        best[a] = INFINITY;
#pragma omp parallel num_threads(w->threads)
    {
        double *mine = malloc((size_t)na * sizeof *mine);
        if (mine)
            for (int a = 0; a < na; a++)
                mine[a] = INFINITY;
#pragma omp for schedule(dynamic, 1)
        for (int i = 0; i < n0; i++) {
            if (!mine)
                continue;
            for (int j = 0; j < w->n[1]; j++)
                for (int k = 0; k < w->n[2]; k++) {
                    int32_t v = w->label[bader_index(w, i, j, k)];
                    if (v == BADER_VACUUM)
                        continue;
                    int at = atom_of[v];
                    bool edge = false;
                    for (int d0 = -1; d0 <= 1 && !edge; d0++)
                        for (int d1 = -1; d1 <= 1 && !edge; d1++)
                            for (int d2 = -1; d2 <= 1; d2++) {
                                int32_t u = w->label[bader_index(w, i + d0, j + d1, k + d2)];
                                if (u == BADER_VACUUM || atom_of[u] != at) {
                                    edge = true;
                                    break;
                                }
                            }
                    if (!edge)
                        continue;
                    double d[3] = {(double)i / w->n[0] - frame->frac[at][0],
                                   (double)j / w->n[1] - frame->frac[at][1],
                                   (double)k / w->n[2] - frame->frac[at][2]};
                    double s = mic2(lat, d, h2);
                    if (s < mine[at])
                        mine[at] = s;
                }
        }
#pragma omp critical
        for (int a = 0; mine && a < na; a++)
            if (mine[a] < best[a])
                best[a] = mine[a];
        free(mine);
    }
    for (int a = 0; a < na; a++)
        best[a] = isfinite(best[a]) ? sqrt(best[a]) : 0.0;
}

dp_status dp_bader_run(const dp_grid *ref, const dp_grid *rho, const dp_frame *frame, int natoms,
                       const dp_bader_opts *opts, dp_bader_result *out, dp_error *err)
{
    dp_bader_opts o = opts ? *opts : dp_bader_defaults();
    memset(out, 0, sizeof *out);
    if (!ref || !rho || !frame || !frame->frac || natoms < 1)
        return dp_fail(err, DP_ERR_USAGE, "bader: no grid or no atoms");
    if (o.method != DP_BADER_NEARGRID && o.method != DP_BADER_WEIGHT &&
        o.method != DP_BADER_ONGRID)
        return dp_fail(err, DP_ERR_USAGE, "bader: unknown method %d", (int)o.method);
    if (o.vacuum && !isfinite(o.vacuum_threshold))
        return dp_fail(err, DP_ERR_USAGE, "bader: the vacuum threshold is not a number");
    bader_work w = {0};
    dp_status st = setup(&w, ref, rho, &o, err);
    const double(*lat)[3] = rho->lattice;
    double vol = fabs(dp_lattice_det(rho->lattice)), dv = vol / (double)w.npts;
    memcpy(w.lattice, rho->lattice, sizeof w.lattice);
    w.frame = frame, w.natoms = natoms, w.compat = o.program_compat;
    w.weight = o.method == DP_BADER_WEIGHT;
    w.vacuum = o.vacuum, w.vacuum_threshold = o.vacuum_threshold;
    w.h2 = half_spacing2(lat, vol);
    double vac_charge = 0, *sums = NULL, *vox = NULL;
    size_t nvac = 0;
    if (!st && !(w.label = calloc(w.npts, sizeof *w.label)))
        st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for %zu labels", w.npts);
    if (!st && o.vacuum) {
        for (size_t c = 0; c < w.npts; c++) {
            double x = w.rho[c];
            bool vac = w.weight ? x <= o.vacuum_threshold : fabs(x) <= o.vacuum_threshold;
            if (vac) {
                w.label[c] = BADER_VACUUM;
                vac_charge += rho->values[c];
                nvac++;
            }
        }
    }
    if (!st)
        st = w.weight ? bader_weight(&w, err)
                      : bader_neargrid(&w, o.method == DP_BADER_ONGRID, err);
    int nb = w.nbasins, nf = w.nfield;
    if (!st && !w.weight) { /* per basin, from the labels */
        sums = calloc((size_t)(nb + 1) * nf, sizeof *sums);
        vox = calloc((size_t)(nb + 1), sizeof *vox);
        if (!sums || !vox)
            st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for %d basins", nb);
        for (size_t c = 0; !st && c < w.npts; c++) {
            int32_t v = w.label[c];
            if (v == BADER_VACUUM)
                continue;
            for (int f = 0; f < nf; f++)
                sums[(size_t)v * nf + f] += w.field[f][c];
            vox[v] += 1;
        }
    }
    if (!st && allocate_result(out, natoms, nf - 1, nb))
        st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for the result");
    if (!st) {
        for (int b = 1; b <= nb; b++) {
            int at = w.atom_of[b];
            for (int a = 0; a < 3; a++)
                out->maximum_frac[b - 1][a] = (double)w.maxpos[b - 1][a] / w.n[a];
            out->maximum_atom[b - 1] = at;
            if (w.weight) { /* the weight method sums per atom only */
                out->maximum_charge[b - 1] = NAN;
                continue;
            }
            out->maximum_charge[b - 1] = sums[(size_t)b * nf] * dv;
            out->population[at] += sums[(size_t)b * nf] * dv;
            out->volume[at] += vox[b] * dv;
            for (int m = 0; m + 1 < nf; m++)
                out->moment[(size_t)m * natoms + at] += sums[(size_t)b * nf + 1 + m] * dv;
        }
        for (int at = 0; w.weight && at < natoms; at++) {
            out->population[at] = w.atom_sum[(size_t)at * nf] * dv;
            out->volume[at] = w.atom_vox[at] * dv;
            for (int m = 0; m + 1 < nf; m++)
                out->moment[(size_t)m * natoms + at] = w.atom_sum[(size_t)at * nf + 1 + m] * dv;
        }
        out->vacuum_charge = vac_charge * dv;
        out->vacuum_volume = (double)nvac * dv;
        double tot = out->vacuum_charge;
        for (int at = 0; at < natoms; at++)
            tot += out->population[at];
        out->total_electrons = tot;
        bader_progress(&w, "distances", 0.0);
        surface_distances(&w, w.atom_of, frame, lat, w.h2, out);
    }
    free(sums), free(vox);
    free(w.label), free(w.maxpos), free(w.off_store), free(w.atom_sum), free(w.atom_vox);
    free(w.atom_of);
    if (st)
        dp_bader_result_free(out);
    return st;
}
