/*
 * The weight method of Yu & Trinkle (JCP 134, 064111 (2011)) as the Bader program v1.05
 * implements it (weight_mod.f90), in one sweep instead of one sweep per basin.
 *
 * Points are taken from the highest density down (one sort; ties in file order). A point's
 * "above" neighbours are those of its Voronoi stencil already taken. With none it is a
 * maximum; when they all lie inside one basin (not on a boundary) it belongs to that basin;
 * otherwise it is a boundary point whose weights are the sum over the above neighbours of
 * the flux probability p = alpha·(ρ_m − ρ)/Σ times the neighbour's weights, and whose
 * label is the basin of the neighbour of largest p (the program's volnum).
 *
 * Each maximum is given to its atom when it is found, so a boundary point's weights are
 * kept per atom (a handful), not per basin (thousands where spurious maxima crowd a flat
 * region): the atoms' integrals are the program's sums over their basins. The weights are
 * sparse and live only while a point below still needs them: each entry counts the
 * stencil neighbours below it and is freed when the last one has read it. Serial (the
 * order is the algorithm), hence thread-independent.
 */
#include "bader_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXV 342

typedef struct {
    int32_t atom;
    double w;
} wpair;

typedef struct {
    int32_t volnum; /* basin of the largest flux, the program's label */
    int32_t refs;   /* stencil neighbours below that have not read it yet */
    int32_t n;
    wpair *p;
} entry;

/* Sort key for a descending order; −0 and +0 are one value, as == says. */
static inline uint64_t desc_key(double x)
{
    double y = x + 0.0;
    uint64_t u;
    memcpy(&u, &y, sizeof u);
    u = (u >> 63) ? ~u : u | (1ull << 63);
    return ~u;
}

/* The non-vacuum points by descending density, ties by index (stable LSD radix sort on
 * 16-bit digits; the keys are recomputed from ρ each pass to keep memory at 8 bytes a point). */
static uint32_t *sort_points(const bader_work *w, size_t *nproc)
{
    size_t n = 0;
    for (size_t c = 0; c < w->npts; c++)
        n += w->label[c] != BADER_VACUUM;
    uint32_t *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    size_t(*hist)[65536] = calloc(4, sizeof *hist);
    if (!a || !b || !hist) {
        free(a), free(b), free(hist);
        return NULL;
    }
    size_t q = 0;
    for (size_t c = 0; c < w->npts; c++)
        if (w->label[c] != BADER_VACUUM) {
            a[q++] = (uint32_t)c;
            uint64_t k = desc_key(w->rho[c]);
            for (int d = 0; d < 4; d++)
                hist[d][(k >> (16 * d)) & 0xffff]++;
        }
    for (int d = 0; d < 4; d++) {
        uint64_t k0 = n ? desc_key(w->rho[a[0]]) : 0;
        if (!n || hist[d][(k0 >> (16 * d)) & 0xffff] == n)
            continue; /* one digit for all: nothing to do */
        size_t sum = 0;
        for (int v = 0; v < 65536; v++) {
            size_t t = hist[d][v];
            hist[d][v] = sum;
            sum += t;
        }
        for (size_t t = 0; t < n; t++) {
            uint32_t c = a[t];
            b[hist[d][(desc_key(w->rho[c]) >> (16 * d)) & 0xffff]++] = c;
        }
        uint32_t *s = a;
        a = b, b = s;
    }
    free(b), free(hist);
    *nproc = n;
    return a;
}

typedef struct {
    bader_work *w;
    entry *ent;
    int32_t nent, capent;
    int32_t *freelist;
    int32_t nfree;
    double *acc;    /* [natoms] weight per atom of the point being built */
    int32_t *touch; /* atoms touched */
    char *seen;     /* [natoms] */
    int nt;
} sweep;

static inline void add(sweep *s, int32_t b, double x)
{
    if (!s->seen[b]) {
        s->seen[b] = 1;
        s->acc[b] = 0;
        s->touch[s->nt++] = b;
    }
    s->acc[b] += x;
}

static int32_t new_entry(sweep *s)
{
    if (s->nfree)
        return s->freelist[--s->nfree];
    if (s->nent == s->capent) {
        int32_t nc = s->capent ? 2 * s->capent : 1024;
        entry *ne = realloc(s->ent, (size_t)nc * sizeof *ne);
        int32_t *nf = realloc(s->freelist, (size_t)nc * sizeof *nf);
        if (ne)
            s->ent = ne;
        if (nf)
            s->freelist = nf;
        if (!ne || !nf)
            return -1;
        s->capent = nc;
    }
    return s->nent++;
}

dp_status bader_weight(bader_work *w, dp_error *err)
{
    int vect[MAXV][3];
    double alpha[MAXV];
    int nv = bader_voronoi(w->lat2car, vect, alpha);
    if (nv < 1)
        return dp_fail(err, DP_ERR_USAGE, "bader: no Voronoi facets for this grid's voxels");
    for (int a = 0; a < 3; a++)
        w->shift[a] = vect[nv - 1][a];
    bader_progress(w, "sort", 0.0);
    size_t nproc = 0;
    uint32_t *order = sort_points(w, &nproc);
    if (!order)
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory to sort %zu points", w->npts);
    sweep s = {.w = w};
    dp_status st = DP_OK;
    size_t na = (size_t)w->natoms, nf = (size_t)w->nfield;
    s.acc = malloc(na * sizeof *s.acc);
    s.touch = malloc(na * sizeof *s.touch);
    s.seen = calloc(na, 1);
    w->atom_sum = calloc(na * nf, sizeof *w->atom_sum);
    w->atom_vox = calloc(na, sizeof *w->atom_vox);
    if (!s.acc || !s.touch || !s.seen || !w->atom_sum || !w->atom_vox)
        st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory");
    const double *rho = w->rho;
    int32_t *L = w->label;
    size_t n12 = (size_t)w->n[1] * w->n[2];
    for (size_t q = 0; q < nproc && !st; q++) {
        if ((q & ((1u << 20) - 1)) == 0)
            bader_progress(w, "weights", (double)q / (double)nproc);
        size_t c = order[q];
        int i = (int)(c / n12), j = (int)(c / (size_t)w->n[2] % (size_t)w->n[1]),
            k = (int)(c % (size_t)w->n[2]);
        double rc = rho[c], t[MAXV], tsum = 0;
        size_t above[MAXV];
        int nabove = 0, nbelow = 0;
        for (int v = 0; v < nv; v++) {
            size_t m = bader_index(w, i + vect[v][0], j + vect[v][1], k + vect[v][2]);
            double rm = rho[m];
            if (rm > rc || (rm == rc && m < c)) {
                above[nabove] = m;
                t[nabove] = alpha[v] * (rm - rc);
                tsum += t[nabove++];
            } else if (m != c && L[m] != BADER_VACUUM) {
                nbelow++;
            }
        }
        int32_t b0 = nabove ? L[above[0]] : 0;
        bool boundary = false;
        for (int a = 0; a < nabove; a++)
            boundary |= L[above[a]] < 0 || L[above[a]] != b0;
        if (!boundary) {
            if (!nabove) { /* a maximum */
                b0 = bader_new_basin(w, i, j, k);
                if (b0 < 0) {
                    st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for maxima");
                    break;
                }
            }
            L[c] = b0;
            size_t at = (size_t)w->atom_of[b0];
            for (size_t f = 0; f < nf; f++)
                w->atom_sum[at * nf + f] += w->field[f][c];
            w->atom_vox[at] += 1;
            continue;
        }
        double pmax = 0;
        int32_t volnum = 0;
        s.nt = 0;
        for (int a = 0; a < nabove; a++) {
            double p = tsum > 0 ? t[a] / tsum : 1.0 / nabove; /* equal densities: equal shares */
            int32_t lm = L[above[a]];
            if (lm > 0) {
                add(&s, w->atom_of[lm], p);
                if (p > pmax)
                    pmax = p, volnum = lm;
                continue;
            }
            entry *e = &s.ent[-lm - 1];
            for (int32_t u = 0; u < e->n; u++)
                add(&s, e->p[u].atom, p * e->p[u].w);
            if (p > pmax)
                pmax = p, volnum = e->volnum;
            if (--e->refs == 0) { /* the last reader: the point keeps only its label */
                L[above[a]] = e->volnum;
                free(e->p);
                e->p = NULL;
                s.freelist[s.nfree++] = -lm - 1;
            }
        }
        if (!volnum) /* no flux at all (cannot happen with tsum > 0) */
            volnum = L[above[0]] > 0 ? L[above[0]] : s.ent[-L[above[0]] - 1].volnum;
        for (int u = 0; u < s.nt; u++) {
            int32_t at = s.touch[u];
            double x = s.acc[at];
            for (size_t f = 0; f < nf; f++)
                w->atom_sum[(size_t)at * nf + f] += x * w->field[f][c];
            w->atom_vox[at] += x;
        }
        if (!nbelow) {
            L[c] = volnum;
        } else {
            int32_t id = new_entry(&s);
            wpair *pp = id >= 0 ? malloc((size_t)s.nt * sizeof *pp) : NULL;
            if (!pp) {
                st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for boundary weights");
                break;
            }
            for (int u = 0; u < s.nt; u++)
                pp[u] = (wpair){s.touch[u], s.acc[s.touch[u]]};
            s.ent[id] = (entry){volnum, nbelow, s.nt, pp};
            L[c] = -(id + 1);
        }
        for (int u = 0; u < s.nt; u++)
            s.seen[s.touch[u]] = 0;
    }
    /* every entry has been read by its points below; free what an error left */
    for (size_t c = 0; c < w->npts; c++)
        if (L[c] < 0)
            L[c] = st ? 0 : s.ent[-L[c] - 1].volnum;
    for (int32_t e = 0; e < s.nent; e++)
        free(s.ent[e].p);
    free(s.ent), free(s.freelist), free(s.acc), free(s.touch), free(s.seen), free(order);
    return st;
}
