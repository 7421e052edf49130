/* Internals shared by bader.c and the method files; not part of the API. */
#ifndef DP_BADER_INTERNAL_H
#define DP_BADER_INTERNAL_H

#include "bader.h"

#include <stddef.h>
#include <stdint.h>

#define BADER_VACUUM INT32_MAX /* label of a vacuum point */

typedef struct {
    int n[3];
    size_t npts;
    const double *rho;         /* the reference density (decides the partition) */
    double lat2car[3][3];      /* column j = lattice vector j / n_j (the program's lat2car) */
    double car2lat[3][3];      /* its inverse */
    /* wrap tables: off[a][x] for x in [-2, n_a + 1] = flat offset of the wrapped
     * coordinate along axis a (pointers shifted so that off[a][-2] is valid) */
    const int64_t *off[3];
    int64_t *off_store;
    int32_t *label;            /* [npts]: basin 1..nbasins, BADER_VACUUM, 0 unassigned */
    int nbasins;
    int cap;
    int (*maxpos)[3];          /* [nbasins] grid point of each maximum (0-based) */
    int shift[3];              /* weight method: the program's offset of a maximum (its
                                * last Voronoi neighbour), used with program_compat */
    int threads;
    void (*progress)(const char *stage, double fraction, void *ud);
    void *progress_ud;
    /* fields to integrate: the density and its magnetisation blocks */
    int nfield;
    const double *field[4];
    /* atoms: each new maximum is given to its nearest atom at once (atom_of[basin]) */
    const dp_frame *frame;
    int natoms;
    bool compat;               /* dp_bader_opts.program_compat */
    bool weight;
    bool vacuum;               /* dp_bader_opts.vacuum and vacuum_threshold: the weight */
    double vacuum_threshold;   /* method's parallel stage tests ρ, not the labels */
    double lattice[3][3];      /* rows, Å */
    double h2;                 /* (half the smallest lattice-plane spacing)² */
    int *atom_of;              /* [cap + 1] */
    /* the weight method integrates per atom during its sweep: [natoms][nfield] and
     * [natoms] (in voxels); NULL for the others (bader.c sums basins from the labels) */
    double *atom_sum;
    double *atom_vox;
} bader_work;

static inline size_t bader_index(const bader_work *w, int i, int j, int k)
{
    return (size_t)(w->off[0][i] + w->off[1][j] + w->off[2][k]);
}

/* Adds a basin with its maximum at (i,j,k) and gives it to the nearest atom (atom_of);
 * returns its 1-based number or -1 (no memory). */
int bader_new_basin(bader_work *w, int i, int j, int k);

/* Labels every non-vacuum point (near-grid with edge refinement, or on-grid). */
dp_status bader_neargrid(bader_work *w, bool ongrid, dp_error *err);

/* The weight method: labels (the basin of largest weight) and w->atom_sum/atom_vox. */
dp_status bader_weight(bader_work *w, dp_error *err);

/* Voronoi facets of the voxel lattice (column vectors lat2car): the neighbour vectors and
 * their flux factors alpha = facet area / |R|. Returns how many (≤ 342). */
int bader_voronoi(const double lat2car[3][3], int (*vect)[3], double *alpha);

static inline void bader_progress(const bader_work *w, const char *stage, double f)
{
    if (w->progress)
        w->progress(stage, f, w->progress_ud);
}

#endif
