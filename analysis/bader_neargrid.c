/*
 * Near-grid and on-grid Bader assignment, following the Bader program v1.05
 * (bader_mod.f90) step for step so that the volumes agree with it:
 *
 *  1. Points in file order (last index fastest). From each unassigned point an ascent
 *     trajectory: the lattice-space gradient (central differences, zeroed along an axis
 *     where the point is a maximum along it) scaled so that its largest component is 1, a
 *     step of its rounded value, and the rounding error carried in dr and applied once it
 *     reaches half a step (Tang et al. 2009). A trajectory ends at a maximum, or at a
 *     "known" point: one whose six face neighbours share its basin (path compression: the
 *     rest of the way is known). Every point of the trajectory gets the basin of its end.
 *  2. Edge refinement (one pass, as v1.05 prints it): every point with a neighbour in
 *     another basin (26-neighbourhood) that is not a maximum is reassigned by a fresh
 *     trajectory, the "known" marks around edges being dropped first so that those
 *     trajectories run into the interior of a basin.
 *
 * Step 2's trajectories are independent (each reads the labels of step 1 and writes only
 * its own result), so they run in parallel and give the same answer for any thread count.
 * Step 1 depends on the order and stays serial. Labels are int32; "known" one byte.
 */
#include "bader_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

typedef struct {
    int i, j, k;
} pt3;

typedef struct {
    pt3 *p;
    size_t len, cap;
} path_buf;

enum { KNOWN_NONE = 0, KNOWN_PATH = 1, KNOWN_INTERIOR = 2 };

static bool push(path_buf *b, pt3 p)
{
    if (b->len == b->cap) {
        size_t nc = b->cap ? 2 * b->cap : 256;
        pt3 *np = realloc(b->p, nc * sizeof *np);
        if (!np)
            return false;
        b->p = np, b->cap = nc;
    }
    b->p[b->len++] = p;
    return true;
}

static inline int wrap(int x, int n)
{
    while (x < 0)
        x += n;
    while (x >= n)
        x -= n;
    return x;
}

/* Fortran ANINT (half away from zero), exact for |x| < 2^31, without a libm call. */
static inline int anint(double x)
{
    int t = (int)x; /* toward zero; x − t is exact */
    double d = x - t;
    return d >= 0.5 ? t + 1 : d <= -0.5 ? t - 1 : t;
}

static inline double absmax3(const double g[3])
{
    double a = fabs(g[0]), b = fabs(g[1]), c = fabs(g[2]);
    double m = a > b ? a : b;
    return m > c ? m : c;
}

static inline bool same(pt3 a, pt3 b) { return a.i == b.i && a.j == b.j && a.k == b.k; }

typedef struct {
    const bader_work *w;
    double lat_i_dist[27]; /* 1 / |d| for the 26 neighbours (0 for the centre) */
} stepper;

/* The program's rho_grad_dir: the ascent direction in grid coordinates. */
static void grad_dir(const bader_work *w, pt3 p, double g[3])
{
    const double *r = w->rho;
    const int64_t *o0 = w->off[0], *o1 = w->off[1], *o2 = w->off[2];
    int64_t a0 = o0[p.i], a1 = o1[p.j], a2 = o2[p.k];
    double r000 = r[a0 + a1 + a2];
    double r100 = r[o0[p.i + 1] + a1 + a2], r_100 = r[o0[p.i - 1] + a1 + a2];
    double r010 = r[a0 + o1[p.j + 1] + a2], r0_10 = r[a0 + o1[p.j - 1] + a2];
    double r001 = r[a0 + a1 + o2[p.k + 1]], r00_1 = r[a0 + a1 + o2[p.k - 1]];
    double gl[3] = {(r100 - r_100) / 2.0, (r010 - r0_10) / 2.0, (r001 - r00_1) / 2.0};
    if (r100 < r000 && r_100 < r000)
        gl[0] = 0;
    if (r010 < r000 && r0_10 < r000)
        gl[1] = 0;
    if (r001 < r000 && r00_1 < r000)
        gl[2] = 0;
    const double (*c)[3] = w->car2lat;
    double gc[3];
    for (int j = 0; j < 3; j++) /* Cartesian gradient: gl · car2lat */
        gc[j] = gl[0] * c[0][j] + gl[1] * c[1][j] + gl[2] * c[2][j];
    for (int i = 0; i < 3; i++) /* back to grid coordinates: car2lat · gc */
        g[i] = c[i][0] * gc[0] + c[i][1] * gc[1] + c[i][2] * gc[2];
}

/* No neighbour (26) strictly higher. */
static bool is_max(const bader_work *w, pt3 p)
{
    const double *r = w->rho;
    double c = r[bader_index(w, p.i, p.j, p.k)];
    for (int d0 = -1; d0 <= 1; d0++)
        for (int d1 = -1; d1 <= 1; d1++) {
            int64_t b = w->off[0][p.i + d0] + w->off[1][p.j + d1];
            for (int d2 = -1; d2 <= 1; d2++)
                if (r[b + w->off[2][p.k + d2]] > c)
                    return false;
        }
    return true;
}

/* Steepest ascent on the grid: the neighbour of largest (ρ_n − ρ)/|d|, or p itself. */
static pt3 step_ongrid(const stepper *s, pt3 p)
{
    const bader_work *w = s->w;
    const double *r = w->rho;
    double c = r[bader_index(w, p.i, p.j, p.k)], best = c;
    pt3 m = p;
    int q = 0;
    for (int d0 = -1; d0 <= 1; d0++)
        for (int d1 = -1; d1 <= 1; d1++) {
            int64_t b = w->off[0][p.i + d0] + w->off[1][p.j + d1];
            for (int d2 = -1; d2 <= 1; d2++, q++) {
                double t = c + (r[b + w->off[2][p.k + d2]] - c) * s->lat_i_dist[q];
                if (t > best)
                    best = t, m = (pt3){p.i + d0, p.j + d1, p.k + d2};
            }
        }
    m.i = wrap(m.i, w->n[0]), m.j = wrap(m.j, w->n[1]), m.k = wrap(m.k, w->n[2]);
    return m;
}

/* Is q on the path (the program's known = 1)? The main pass keeps that in the known
 * array; refinement trajectories run in parallel and look in their own path. */
static bool on_path(const path_buf *b, pt3 q)
{
    for (size_t t = b->len; t-- > 0;)
        if (same(b->p[t], q))
            return true;
    return false;
}

/* One near-grid trajectory from p (the program's max_neargrid/step_neargrid); it ends at
 * a maximum or at a known-interior point. mark: keep the visited points in known (the
 * serial pass); otherwise known is only read and the path itself is the visited set. */
static bool max_neargrid(const stepper *s, pt3 p, int8_t *known, bool mark, path_buf *b)
{
    const bader_work *w = s->w;
    double dr[3] = {0, 0, 0};
    b->len = 0;
    if (!push(b, p))
        return false;
    for (;;) {
        double g[3];
        pt3 m;
        grad_dir(w, p, g);
        double gmax = absmax3(g);
        if (gmax < 1e-30) {
            if (is_max(w, p))
                return true;
            m = step_ongrid(s, p);
            dr[0] = dr[1] = dr[2] = 0;
        } else {
            double coeff = 1.0 / gmax;
            int x[3];
            for (int a = 0; a < 3; a++) {
                g[a] = coeff * g[a];
                int ng = anint(g[a]);
                dr[a] = dr[a] + g[a] - ng;
                int nd = anint(dr[a]);
                dr[a] = dr[a] - nd;
                x[a] = ng + nd;
            }
            m = (pt3){wrap(p.i + x[0], w->n[0]), wrap(p.j + x[1], w->n[1]),
                      wrap(p.k + x[2], w->n[2])};
        }
        bool visited;
        if (mark) {
            known[bader_index(w, p.i, p.j, p.k)] = KNOWN_PATH;
            visited = known[bader_index(w, m.i, m.j, m.k)] == KNOWN_PATH;
        } else {
            visited = on_path(b, m);
        }
        if (visited) {
            m = step_ongrid(s, p);
            dr[0] = dr[1] = dr[2] = 0;
        }
        if (same(m, p))
            return true; /* a maximum (or nowhere higher to go) */
        p = m;
        if (!push(b, p))
            return false;
        if (known[bader_index(w, p.i, p.j, p.k)] == KNOWN_INTERIOR)
            return true;
    }
}

/* The program's max_ongrid: steepest ascent until a maximum or an assigned point. */
static bool max_ongrid(const stepper *s, pt3 p, path_buf *b)
{
    const bader_work *w = s->w;
    b->len = 0;
    if (!push(b, p))
        return false;
    for (;;) {
        pt3 m = step_ongrid(s, p);
        if (same(m, p))
            return true;
        p = m;
        if (!push(b, p))
            return false;
        int32_t v = w->label[bader_index(w, p.i, p.j, p.k)];
        if (v > 0 && v != BADER_VACUUM)
            return true;
    }
}

/* known = interior when q and its six face neighbours share one basin. */
static void mark_if_interior(const bader_work *w, int8_t *known, pt3 q)
{
    const int32_t *L = w->label;
    const int64_t *o0 = w->off[0], *o1 = w->off[1], *o2 = w->off[2];
    int64_t a0 = o0[q.i], a1 = o1[q.j], a2 = o2[q.k];
    size_t c = (size_t)(a0 + a1 + a2);
    int32_t v = L[c];
    if (v <= 0 || v == BADER_VACUUM || known[c] == KNOWN_INTERIOR)
        return;
    if (L[a0 + a1 + o2[q.k + 1]] != v || L[a0 + a1 + o2[q.k - 1]] != v ||
        L[a0 + o1[q.j + 1] + a2] != v || L[a0 + o1[q.j - 1] + a2] != v ||
        L[o0[q.i + 1] + a1 + a2] != v || L[o0[q.i - 1] + a1 + a2] != v)
        return;
    known[c] = KNOWN_INTERIOR;
}

static pt3 coords(const bader_work *w, size_t c)
{
    size_t n12 = (size_t)w->n[1] * (size_t)w->n[2];
    return (pt3){(int)(c / n12), (int)(c / (size_t)w->n[2] % (size_t)w->n[1]),
                 (int)(c % (size_t)w->n[2])};
}

/* Step 1: every point gets the basin its trajectory reaches. */
static dp_status assign_all(const stepper *s, bader_work *w, int8_t *known, bool ongrid,
                            dp_error *err)
{
    path_buf b = {0};
    dp_status st = DP_OK;
    int32_t *L = w->label;
    for (int i = 0; i < w->n[0] && !st; i++) {
        bader_progress(w, "maxima", (double)i / w->n[0]);
        for (int j = 0; j < w->n[1] && !st; j++)
            for (int k = 0; k < w->n[2]; k++) {
                if (L[bader_index(w, i, j, k)] != 0)
                    continue;
                bool ok = ongrid ? max_ongrid(s, (pt3){i, j, k}, &b)
                                 : max_neargrid(s, (pt3){i, j, k}, known, true, &b);
                if (!ok) {
                    st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for a trajectory");
                    break;
                }
                pt3 e = b.p[b.len - 1];
                int32_t v = L[bader_index(w, e.i, e.j, e.k)];
                /* a new maximum; also when a trajectory ends on a vacuum maximum (the
                 * program would lose that charge) */
                if (v == 0 || v == BADER_VACUUM) {
                    v = bader_new_basin(w, e.i, e.j, e.k);
                    if (v < 0) {
                        st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for maxima");
                        break;
                    }
                }
                for (size_t t = 0; t < b.len; t++) {
                    pt3 q = b.p[t];
                    size_t c = bader_index(w, q.i, q.j, q.k);
                    if (L[c] != BADER_VACUUM)
                        L[c] = v;
                    if (ongrid)
                        continue;
                    if (known[c] != KNOWN_INTERIOR)
                        known[c] = KNOWN_NONE;
                }
                if (ongrid)
                    continue;
                for (size_t t = 0; t < b.len; t++) {
                    pt3 q = b.p[t];
                    pt3 nb[6] = {{q.i + 1, q.j, q.k}, {q.i - 1, q.j, q.k}, {q.i, q.j + 1, q.k},
                                 {q.i, q.j - 1, q.k}, {q.i, q.j, q.k + 1}, {q.i, q.j, q.k - 1}};
                    for (int u = 0; u < 6; u++) {
                        nb[u].i = wrap(nb[u].i, w->n[0]);
                        nb[u].j = wrap(nb[u].j, w->n[1]);
                        nb[u].k = wrap(nb[u].k, w->n[2]);
                        mark_if_interior(w, known, nb[u]);
                    }
                }
            }
    }
    free(b.p);
    return st;
}

/* A point on the edge of its basin: a neighbour (26) in another basin or vacuum. */
static bool is_edge(const bader_work *w, pt3 p)
{
    const int32_t *L = w->label;
    int32_t v = L[bader_index(w, p.i, p.j, p.k)];
    for (int d0 = -1; d0 <= 1; d0++)
        for (int d1 = -1; d1 <= 1; d1++) {
            int64_t b = w->off[0][p.i + d0] + w->off[1][p.j + d1];
            for (int d2 = -1; d2 <= 1; d2++)
                if (L[b + w->off[2][p.k + d2]] != v)
                    return true;
        }
    return false;
}

/* Step 2: edge points get a fresh trajectory. */
static dp_status refine_edges(const stepper *s, bader_work *w, int8_t *known, dp_error *err)
{
    size_t npts = w->npts;
    /* edges are found on the labels of step 1 (the program compares |volnum| while it
     * negates, which is the same thing) */
    uint8_t *flag = calloc((npts + 7) / 8, 1);
    if (!flag)
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for the edge flags");
    size_t nedge = 0;
    int n0 = w->n[0];
#pragma omp parallel for schedule(static) reduction(+ : nedge) num_threads(w->threads)
    for (int i = 0; i < n0; i++) {
        for (int j = 0; j < w->n[1]; j++)
            for (int k = 0; k < w->n[2]; k++) {
                pt3 p = {i, j, k};
                size_t c = bader_index(w, i, j, k);
                if (w->label[c] == BADER_VACUUM || !is_edge(w, p) || is_max(w, p))
                    continue;
                /* 8 points share a byte, and may belong to two threads' planes */
#pragma omp atomic
                flag[c >> 3] |= (uint8_t)(1u << (c & 7));
                nedge++;
            }
    }
    bader_progress(w, "edges", 0.1);
    uint32_t *edge = malloc((nedge ? nedge : 1) * sizeof *edge);
    int32_t *newlab = malloc((nedge ? nedge : 1) * sizeof *newlab);
    if (!edge || !newlab) {
        free(flag), free(edge), free(newlab);
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for %zu edge points", nedge);
    }
    size_t e = 0;
    for (size_t c = 0; c < npts; c++) {
        if (!(flag[c >> 3] & (1u << (c & 7))))
            continue;
        edge[e++] = (uint32_t)c;
        pt3 p = coords(w, c);
        for (int d0 = -1; d0 <= 1; d0++) /* drop "known" around the edge */
            for (int d1 = -1; d1 <= 1; d1++)
                for (int d2 = -1; d2 <= 1; d2++)
                    known[bader_index(w, p.i + d0, p.j + d1, p.k + d2)] = KNOWN_NONE;
    }
    free(flag);
    bool nomem = false;
#pragma omp parallel num_threads(w->threads)
    {
        path_buf b = {0};
#pragma omp for schedule(dynamic, 4096)
        for (long long q = 0; q < (long long)nedge; q++) {
            if (q % (1 << 18) == 0) {
#ifdef _OPENMP
                if (omp_get_thread_num() == 0)
#endif
                    bader_progress(w, "edges", 0.1 + 0.9 * (double)q / (double)nedge);
            }
            pt3 p = coords(w, edge[q]);
            if (!max_neargrid(s, p, known, false, &b) || nomem) {
#pragma omp atomic write
                nomem = true;
                newlab[q] = 0;
                continue;
            }
            /* stop at a "known" point: those are read-only here */
            pt3 t = b.p[b.len - 1];
            int32_t v = w->label[bader_index(w, t.i, t.j, t.k)];
            newlab[q] = v;
        }
        free(b.p);
    }
    if (!nomem)
        for (size_t q = 0; q < nedge; q++) {
            int32_t v = newlab[q];
            if (v > 0 && v != BADER_VACUUM)
                w->label[edge[q]] = v;
        }
    free(edge), free(newlab);
    if (nomem)
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for a trajectory");
    return DP_OK;
}

dp_status bader_neargrid(bader_work *w, bool ongrid, dp_error *err)
{
    stepper s = {.w = w};
    int q = 0;
    for (int d0 = -1; d0 <= 1; d0++)
        for (int d1 = -1; d1 <= 1; d1++)
            for (int d2 = -1; d2 <= 1; d2++, q++) {
                double v[3];
                for (int a = 0; a < 3; a++)
                    v[a] = w->lat2car[a][0] * d0 + w->lat2car[a][1] * d1 + w->lat2car[a][2] * d2;
                double len = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                s.lat_i_dist[q] = q == 13 ? 0.0 : 1.0 / len;
            }
    int8_t *known = NULL;
    if (!ongrid && !(known = calloc(w->npts, 1)))
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for %zu grid points", w->npts);
    dp_status st = assign_all(&s, w, known, ongrid, err);
    if (!st && !ongrid)
        st = refine_edges(&s, w, known, err);
    free(known);
    return st;
}
