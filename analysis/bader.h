/*
 * Bader charge analysis on a periodic grid: a small C API in the style of spglib.
 *
 *   dp_bader_opts o = dp_bader_defaults();       near-grid, no vacuum
 *   dp_bader_result r;
 *   if (dp_bader_run(&ref, &rho, frame, natoms, &o, &r, &err) == DP_OK) { ...; dp_bader_result_free(&r); }
 *
 * Methods (each as the Henkelman group's Bader program v1.05 implements it):
 *  - DP_BADER_NEARGRID: near-grid ascent with one pass of edge refinement (Tang, Sanville &
 *    Henkelman, JPCM 21, 084204 (2009)); the default of the program.
 *  - DP_BADER_WEIGHT: fractional weights from the flux through the Voronoi facets of the
 *    voxels (Yu & Trinkle, JCP 134, 064111 (2011)).
 *  - DP_BADER_ONGRID: steepest ascent on the grid (Henkelman, Arnaldsson & Jónsson, Comput.
 *    Mater. Sci. 36, 354 (2006)); has lattice bias, kept for comparison.
 *
 * Each maximum of the reference grid is given to the nearest atom (minimum image), as the
 * program does. The reference grid decides the partition; the integrated grid (same
 * dimensions) and its magnetisation blocks are summed over it. The functions are pure: no
 * I/O, no printing; the progress callback is the only way out.
 */
#ifndef DP_BADER_H
#define DP_BADER_H

#include "dftpost.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { DP_BADER_NEARGRID = 0, DP_BADER_WEIGHT = 1, DP_BADER_ONGRID = 2 } dp_bader_method;

typedef struct {
    dp_bader_method method;
    /* Vacuum: points of the reference grid with density at or below vacuum_threshold (e/Å³;
     * near-grid and on-grid compare |ρ|, weight compares ρ, as the program) are left out of
     * every atom and reported as vacuum. The program's "-vac auto" is 1e-3 in the unit of
     * its input: e/Å³ for a CHGCAR, e/bohr³ (= 6.748e-3 e/Å³) for a cube. */
    bool vacuum;
    double vacuum_threshold;
    /* Reproduce the program where its choice is arbitrary, so that charges agree with it
     * (default true): a maximum equidistant from two atoms goes where the program's
     * arithmetic sends it, and the weight method places each maximum one voxel along the
     * last Voronoi neighbour vector before looking for the nearest atom, as v1.05 does
     * (its volpos is the last neighbour visited). false: the true maximum. */
    bool program_compat;
    int threads;            /* OpenMP threads for the parallel parts (near-grid: edge
                             * refinement; weight: the flux terms, computed ahead of the
                             * serial sweep; both: surface distances); 0 = the default */
    /* Called now and then with the stage ("maxima", "edges", "sort", "weights") and the
     * fraction done; may be NULL. */
    void (*progress)(const char *stage, double fraction, void *ud);
    void *progress_ud;
} dp_bader_opts;

dp_bader_opts dp_bader_defaults(void);

typedef struct {
    int natoms;
    double *population;     /* [natoms] electrons in the atom's Bader volume */
    double *volume;         /* [natoms] Å³ */
    double *min_dist;       /* [natoms] Å from the atom to the nearest grid point of its
                             * Bader surface (the program's MIN DIST; 0 with no volume) */
    int nmag;               /* magnetisation blocks integrated (0, 1 or 3) */
    double *moment;         /* [nmag][natoms] μB, NULL when nmag = 0 */
    double vacuum_charge;   /* e */
    double vacuum_volume;   /* Å³ */
    double total_electrons; /* populations + vacuum charge */
    int nmaxima;            /* Bader maxima (basins) found, significant or not */
    /* per basin, in the order found */
    double (*maximum_frac)[3]; /* [nmaxima] fractional position of the maximum */
    int *maximum_atom;      /* [nmaxima] 0-based atom it belongs to */
    double *maximum_charge; /* [nmaxima] e (near-grid, on-grid; NaN for the weight method,
                             * which integrates per atom) */
} dp_bader_result;

/*
 * Partitions ref (the density that decides the volumes, e.g. AECCAR0 + AECCAR2) and
 * integrates rho (the density whose charges are wanted; may be the same grid) and its
 * magnetisation blocks (rho->nmag of them). Atoms: natoms fractional positions in
 * frame->frac, in the cell of rho (positions relative to the grid origin). Values in e/Å³,
 * [n0][n1][n2] with the last index fastest. DP_ERR_USAGE when the grids differ in size or
 * an option is out of range, DP_ERR_NOMEM when memory runs out. On success out is filled
 * (free with dp_bader_result_free); results do not depend on opts->threads.
 */
dp_status dp_bader_run(const dp_grid *ref, const dp_grid *rho, const dp_frame *frame, int natoms,
                       const dp_bader_opts *opts, dp_bader_result *out, dp_error *err);

void dp_bader_result_free(dp_bader_result *r);

/*
 * Fourier interpolation: out gets the grid of in with factor× the points along each axis,
 * the band-limited interpolant of the values and magnetisation blocks (zero padding in
 * reciprocal space; an even axis' Nyquist component is split evenly between +N/2 and
 * −N/2, so a real grid stays real and cos(πNx) is reproduced). The integral is conserved;
 * the original points are reproduced exactly. out is a new grid (free out->values and
 * out->mag[]); factor 1 copies.
 */
dp_status dp_grid_refine(const dp_grid *in, int factor, dp_grid *out, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
