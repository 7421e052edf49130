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
 * stencil neighbours below it and is freed when the last one has read it.
 *
 * Threads: what a point needs from the density alone (its neighbours above, their flux
 * terms, its neighbours below, the integrated values) is computed ahead, in blocks of the
 * sorted order, by all threads; thread 0 takes the points in order, from those blocks,
 * while the next block is being computed. The taking stays serial (the order is the
 * algorithm), so the results do not depend on the thread count. The sort is serial.
 */
#include "bader_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

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

/* The pure part of a block of the sorted order: each point's neighbours above it, their
 * flux terms t = alpha·(ρ_m − ρ) and Σt, how many non-vacuum neighbours lie below, and
 * the integrated fields at the point. A function of the density alone (vacuum is tested
 * on ρ, as bader.c labels it), so it is computed ahead by any thread. */
typedef struct {
    size_t cap;      /* points */
    uint32_t *pt;    /* [cap] */
    uint16_t *nabove, *nbelow;
    double *tsum;
    double *fv;      /* [cap][nfield] */
    uint32_t *above; /* [cap][nv] */
    double *t;       /* [cap][nv] */
} block;

typedef struct {
    int nv;
    int vect[MAXV][3];
    double alpha[MAXV];
} stencil;

static bool block_alloc(block *b, size_t cap, int nv, int nf)
{
    b->cap = cap;
    b->pt = malloc(cap * sizeof *b->pt);
    b->nabove = malloc(cap * sizeof *b->nabove);
    b->nbelow = malloc(cap * sizeof *b->nbelow);
    b->tsum = malloc(cap * sizeof *b->tsum);
    b->fv = malloc(cap * (size_t)nf * sizeof *b->fv);
    b->above = malloc(cap * (size_t)nv * sizeof *b->above);
    b->t = malloc(cap * (size_t)nv * sizeof *b->t);
    return b->pt && b->nabove && b->nbelow && b->tsum && b->fv && b->above && b->t;
}

static void block_free(block *b)
{
    free(b->pt), free(b->nabove), free(b->nbelow), free(b->tsum), free(b->fv), free(b->above);
    free(b->t);
}

/* Points q0..q1 of the order into b (from its entry r0 on). */
static void compute_points(const bader_work *w, const stencil *sn, const uint32_t *order,
                           size_t q0, size_t q1, block *b, size_t r0)
{
    const double *rho = w->rho;
    size_t n12 = (size_t)w->n[1] * w->n[2];
    int nv = sn->nv, nf = w->nfield;
    bool vac = w->vacuum;
    double thr = w->vacuum_threshold;
    for (size_t q = q0, r = r0; q < q1; q++, r++) {
        size_t c = order[q];
        int i = (int)(c / n12), j = (int)(c / (size_t)w->n[2] % (size_t)w->n[1]),
            k = (int)(c % (size_t)w->n[2]);
        double rc = rho[c], tsum = 0;
        uint32_t *above = b->above + r * (size_t)nv;
        double *t = b->t + r * (size_t)nv;
        int nabove = 0, nbelow = 0;
        for (int v = 0; v < nv; v++) {
            size_t m = bader_index(w, i + sn->vect[v][0], j + sn->vect[v][1], k + sn->vect[v][2]);
            double rm = rho[m];
            if (rm > rc || (rm == rc && m < c)) {
                above[nabove] = (uint32_t)m;
                t[nabove] = sn->alpha[v] * (rm - rc);
                tsum += t[nabove++];
            } else if (m != c && !(vac && rm <= thr)) {
                nbelow++;
            }
        }
        b->pt[r] = (uint32_t)c;
        b->nabove[r] = (uint16_t)nabove, b->nbelow[r] = (uint16_t)nbelow;
        b->tsum[r] = tsum;
        for (int f = 0; f < nf; f++)
            b->fv[r * (size_t)nf + f] = w->field[f][c];
    }
}

/* The serial part for entry r of b: labels and weights from the points above, which the
 * sweep has already taken. */
static dp_status take_point(sweep *s, const block *b, size_t r, int nv, dp_error *err)
{
    bader_work *w = s->w;
    int32_t *L = w->label;
    size_t nf = (size_t)w->nfield, c = b->pt[r];
    const uint32_t *above = b->above + r * (size_t)nv;
    const double *t = b->t + r * (size_t)nv, *fv = b->fv + r * nf;
    int nabove = b->nabove[r], nbelow = b->nbelow[r];
    double tsum = b->tsum[r];
    int32_t b0 = nabove ? L[above[0]] : 0;
    bool boundary = false;
    for (int a = 0; a < nabove; a++)
        boundary |= L[above[a]] < 0 || L[above[a]] != b0;
    if (!boundary) {
        if (!nabove) { /* a maximum */
            size_t n12 = (size_t)w->n[1] * w->n[2];
            b0 = bader_new_basin(w, (int)(c / n12), (int)(c / (size_t)w->n[2] % (size_t)w->n[1]),
                                 (int)(c % (size_t)w->n[2]));
            if (b0 < 0)
                return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for maxima");
        }
        L[c] = b0;
        size_t at = (size_t)w->atom_of[b0];
        for (size_t f = 0; f < nf; f++)
            w->atom_sum[at * nf + f] += fv[f];
        w->atom_vox[at] += 1;
        return DP_OK;
    }
    double pmax = 0;
    int32_t volnum = 0;
    s->nt = 0;
    for (int a = 0; a < nabove; a++) {
        double p = tsum > 0 ? t[a] / tsum : 1.0 / nabove; /* equal densities: equal shares */
        int32_t lm = L[above[a]];
        if (lm > 0) {
            add(s, w->atom_of[lm], p);
            if (p > pmax)
                pmax = p, volnum = lm;
            continue;
        }
        entry *e = &s->ent[-lm - 1];
        for (int32_t u = 0; u < e->n; u++)
            add(s, e->p[u].atom, p * e->p[u].w);
        if (p > pmax)
            pmax = p, volnum = e->volnum;
        if (--e->refs == 0) { /* the last reader: the point keeps only its label */
            L[above[a]] = e->volnum;
            free(e->p);
            e->p = NULL;
            s->freelist[s->nfree++] = -lm - 1;
        }
    }
    if (!volnum) /* no flux at all (cannot happen with tsum > 0) */
        volnum = L[above[0]] > 0 ? L[above[0]] : s->ent[-L[above[0]] - 1].volnum;
    for (int u = 0; u < s->nt; u++) {
        int32_t at = s->touch[u];
        double x = s->acc[at];
        for (size_t f = 0; f < nf; f++)
            w->atom_sum[(size_t)at * nf + f] += x * fv[f];
        w->atom_vox[at] += x;
    }
    dp_status st = DP_OK;
    if (!nbelow) {
        L[c] = volnum;
    } else {
        int32_t id = new_entry(s);
        wpair *pp = id >= 0 ? malloc((size_t)(s->nt ? s->nt : 1) * sizeof *pp) : NULL;
        if (!pp) {
            st = dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for boundary weights");
        } else {
            for (int u = 0; u < s->nt; u++)
                pp[u] = (wpair){s->touch[u], s->acc[s->touch[u]]};
            s->ent[id] = (entry){volnum, nbelow, s->nt, pp};
            L[c] = -(id + 1);
        }
    }
    for (int u = 0; u < s->nt; u++)
        s->seen[s->touch[u]] = 0;
    return st;
}

/* The sweep is bound by cache misses: the labels a point reads are scattered over the
 * grid, and so are the weights of the boundary points above it. They are prefetched in
 * steps: the labels AHEAD points before the point is taken, the entries they point to
 * AHEAD / 2 before, the entries' weights AHEAD / 4 before. Hints only: nothing read
 * here decides anything. */
#define AHEAD 64
static inline void prefetch_labels(const bader_work *w, const block *b, size_t r, int nv)
{
#if defined(__GNUC__)
    const uint32_t *above = b->above + r * (size_t)nv;
    __builtin_prefetch(&w->label[b->pt[r]], 1);
    for (int a = 0; a < b->nabove[r]; a++)
        __builtin_prefetch(&w->label[above[a]], 0);
#else
    (void)w, (void)b, (void)r, (void)nv;
#endif
}

static inline void prefetch_weights(const sweep *s, const block *b, size_t r, int nv, bool deref)
{
#if defined(__GNUC__)
    const uint32_t *above = b->above + r * (size_t)nv;
    const int32_t *L = s->w->label;
    for (int a = 0; a < b->nabove[r]; a++) {
        int32_t lm = L[above[a]];
        if (lm < 0) {
            const entry *e = &s->ent[-lm - 1];
            if (deref)
                __builtin_prefetch(e->p, 0);
            else
                __builtin_prefetch(e, 1);
        }
    }
#else
    (void)s, (void)b, (void)r, (void)nv;
#endif
}

/* Blocks of about 64 k stencil entries (5 k points, 0.9 MB, with 12 Voronoi neighbours;
 * a quarter of that on one thread, which computes and takes each block itself): small
 * enough to stay in cache between being computed and taken (4× larger ones made one
 * thread 20 % slower than the plain loop), large enough that a barrier per block costs
 * nothing. */
#define CHUNK 1024 /* points a thread computes at a time */
#define BLOCK_DATA ((size_t)1 << 16)

/* Prefetches for the points AHEAD, AHEAD / 2 and AHEAD / 4 after q: in b (points
 * q0..q1) or, when it is ready, in the next block nb (points q1..q2). */
static inline void prefetch_ahead(const sweep *s, const block *b, const block *nb, size_t q,
                                  size_t q0, size_t q1, size_t q2, int nv)
{
    static const size_t dist[3] = {AHEAD, AHEAD / 2, AHEAD / 4};
    for (int x = 0; x < 3; x++) {
        size_t p = q + dist[x];
        const block *in = p < q1 ? b : p < q2 ? nb : NULL;
        if (!in)
            continue;
        size_t r = p < q1 ? p - q0 : p - q1;
        if (x == 0)
            prefetch_labels(s->w, in, r, nv);
        else
            prefetch_weights(s, in, r, nv, x == 2);
    }
}

/* The points of block k, q0..q1 of the order, computed by all threads (chunks claimed
 * from a counter). */
static void compute_block(const bader_work *w, const stencil *sn, const uint32_t *order,
                          block *b, size_t *counter, size_t q0, size_t q1)
{
    for (;;) {
        size_t ch;
#pragma omp atomic capture
        ch = (*counter)++;
        if (q0 + ch * CHUNK >= q1)
            break;
        size_t a = q0 + ch * CHUNK, e = a + CHUNK < q1 ? a + CHUNK : q1;
        compute_points(w, sn, order, a, e, b, ch * CHUNK);
    }
}

/* The sweep, pipelined: while thread 0 takes the points of block k − 1 in order, the
 * others compute block k (thread 0 joins in when it is done). Two blocks are kept. One
 * thread computes block k first, so that its prefetches reach across the block's end,
 * and uses smaller blocks, which stay in its cache. */
static dp_status run_sweep(sweep *s, const stencil *sn, const uint32_t *order, size_t nproc,
                           dp_error *err)
{
    bader_work *w = s->w;
    int nv = sn->nv, nf = w->nfield;
    bool alone = w->threads <= 1;
    size_t bsz = BLOCK_DATA / (size_t)nv / (alone ? 4 : 1);
    bsz = bsz < CHUNK ? CHUNK : bsz / CHUNK * CHUNK;
    if (bsz > nproc)
        bsz = (nproc + CHUNK - 1) / CHUNK * CHUNK;
    block blk[2] = {{0}};
    if (!block_alloc(&blk[0], bsz, nv, nf) || !block_alloc(&blk[1], bsz, nv, nf)) {
        block_free(&blk[0]), block_free(&blk[1]);
        return dp_fail(err, DP_ERR_NOMEM, "bader: out of memory for the weight sweep");
    }
    size_t nblocks = (nproc + bsz - 1) / bsz;
    size_t next[2] = {0, 0}; /* next chunk to claim in block slot 0, 1 */
    dp_status st = DP_OK;
#pragma omp parallel num_threads(w->threads)
    {
        for (size_t k = 0; k <= nblocks; k++) {
#ifdef _OPENMP
            int tid = omp_get_thread_num();
#else
            int tid = 0;
#endif
            size_t q0 = k * bsz, q1 = q0 + bsz < nproc ? q0 + bsz : nproc; /* block k */
            if (tid == 0) /* used in round k − 1, untouched in this one */
#pragma omp atomic write
                next[(k + 1) & 1] = 0;
            if (alone && k < nblocks)
                compute_block(w, sn, order, &blk[k & 1], &next[k & 1], q0, q1);
            if (tid == 0 && k > 0) {
                const block *b = &blk[(k - 1) & 1], *nb = &blk[k & 1];
                size_t p0 = q0 - bsz, p1 = q0 < nproc ? q0 : nproc; /* block k − 1 */
                size_t ready = alone && k < nblocks ? q1 : p1;
                for (size_t q = p0; q < p1 && !st; q++) {
                    if ((q & ((1u << 20) - 1)) == 0)
                        bader_progress(w, "weights", (double)q / (double)nproc);
                    prefetch_ahead(s, b, nb, q, p0, p1, ready, nv);
                    st = take_point(s, b, q - p0, nv, err);
                }
            }
            if (!alone && k < nblocks)
                compute_block(w, sn, order, &blk[k & 1], &next[k & 1], q0, q1);
#pragma omp barrier
        }
    }
    block_free(&blk[0]), block_free(&blk[1]);
    return st;
}

dp_status bader_weight(bader_work *w, dp_error *err)
{
    stencil sn;
    int nv = sn.nv = bader_voronoi(w->lat2car, sn.vect, sn.alpha);
    if (nv < 1)
        return dp_fail(err, DP_ERR_USAGE, "bader: no Voronoi facets for this grid's voxels");
    for (int a = 0; a < 3; a++)
        w->shift[a] = sn.vect[nv - 1][a];
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
    if (!st && nproc)
        st = run_sweep(&s, &sn, order, nproc, err);
    /* every entry has been read by its points below; free what an error left */
    int32_t *L = w->label;
    for (size_t c = 0; c < w->npts; c++)
        if (L[c] < 0)
            L[c] = st ? 0 : s.ent[-L[c] - 1].volnum;
    for (int32_t e = 0; e < s.nent; e++)
        free(s.ent[e].p);
    free(s.ent), free(s.freelist), free(s.acc), free(s.touch), free(s.seen), free(order);
    return st;
}
