/* Charge-density difference Δρ = ρ(AB) − Σ ρ(parts) on one grid, its planar average along
 * a lattice axis and the electrostatics of it. Pure functions, no I/O, no printing.
 *
 * Conventions:
 *  - Densities are ELECTRON densities in e/Å³ (dp_grid "density"), positive where electrons
 *    are: Δρ > 0 is electron accumulation.
 *  - The axis is a lattice axis (0 = a, 1 = b, 2 = c). Planes are the lattice planes
 *    spanned by the other two axes; their area A = |other × other| (Å²), the interplanar
 *    height of the cell h = V / A (Å), plane k sits at z_k = o·n̂ + k·h/n_axis along the
 *    unit normal n̂ of the planes (o: the grid origin; 0 for a CHGCAR).
 *  - λ(z_k) = Σ_plane Δρ · (V/N) / (h/n_axis), e/Å (the charge of the slab between two
 *    grid planes per unit height); Δq(z_k) = Σ_{k' ≤ k} λ(z_k') · h/n_axis, e.
 *  - Electrostatics: the potential φ (V) of the charge −e·Δρ, from Poisson's equation
 *    ∇²φ = e·Δρ/ε0 solved on the periodic grid by FFT (FFTW), the G = 0 term set to zero
 *    (a neutral-background reference: the cell average of φ is 0). In G-space
 *    φ(G) = −4π·k_e·Δρ(G)/|G|² with k_e = e/(4πε0) = 14.39964 V·Å. The potential
 *    energy of an electron is −e·φ (eV).
 *  - The dipole p (e·Å) along n̂ is that of the charge −Δρ (charge in units of e):
 *    p = −Σ z_k λ(z_k) h/n_axis, positions measured from the cell's plane 0 (z as above),
 *    so p depends on where the cell is cut unless ∫Δρ = 0; cut it in the vacuum.
 *  - Work-function change (Helmholtz equation for a dipole layer of p per area A):
 *    ΔΦ = −e·p/(ε0·A) = −4π·k_e·p/A (eV), for the surface that faces +n̂: a dipole with its
 *    positive end toward +n̂ (p > 0, electrons pulled toward −n̂) raises φ on the +n̂ side
 *    by p/(ε0·A) and lowers that surface's work function. For the surface facing −n̂ the
 *    sign is the opposite.
 */
#ifndef DP_CHGDIFF_H
#define DP_CHGDIFF_H

#include "dftpost.h"

/* e/(4πε0) in V·Å (eV·Å for two unit charges): from GSL's MKSA constants (CODATA 2006:
 * e = 1.602176487e-19 C, ε0 = 8.854187817e-12 F/m): 14.3996441; CODATA 2018 gives
 * 14.3996454, 1e-7 relative more. */
double dp_coulomb_constant(void);

/* "a", "b", "c" (or "x", "y", "z" for them) → 0, 1, 2; -1 otherwise. */
int dp_chgdiff_axis(const char *name);

/* Can grids a and b be subtracted point by point? The same n[3], lattice vectors within
 * 1e-4 Å and origins within 1e-4 Å; DP_ERR_USAGE naming both (name_a, name_b) and what
 * differs otherwise. */
dp_status dp_grid_match(const dp_grid *a, const char *name_a, const dp_grid *b,
                        const char *name_b, dp_error *err);

/* out = ab − Σ parts[i] (values only; the magnetisation is not subtracted). out gets ab's
 * n, lattice and origin, quantity "density difference", format "" and new values (the
 * caller frees out->values). Every part is checked with dp_grid_match. */
dp_status dp_chgdiff(const dp_grid *ab, const char *ab_name, const dp_grid *const *parts,
                     const char *const *part_names, int nparts, dp_grid *out, dp_error *err);

/* Electrostatic potential φ (V) of the charge −e·d->values on d's grid, into phi
 * [n0·n1·n2] (same layout). DP_ERR_NOMEM if FFTW cannot allocate. */
dp_status dp_grid_poisson(const dp_grid *d, double *phi, dp_error *err);

typedef struct {
    int axis;              /* 0, 1, 2 */
    int n;                 /* planes (grid points along the axis) */
    double area;           /* Å² */
    double height;         /* h = V / area, Å */
    double dz;             /* h / n, Å */
    double *z;             /* [n] Å */
    double *lambda;        /* [n] e/Å */
    double *dq;            /* [n] e, cumulative */
    double *dphi;          /* [n] V, planar average of φ; NULL without the potential */
    double integral;       /* ∫Δρ dV, e */
    double transferred;    /* ½∫|Δρ| dV, e */
    int peak;              /* plane of the largest |Δq| (the first on a tie) */
    bool has_potential;
    double dipole;         /* p, e·Å */
    double dwork;          /* ΔΦ of the surface facing +n̂, eV */
} dp_planar;

/* Planar average of d along axis, and with potential the planar-averaged φ, the dipole and
 * ΔΦ. The arrays of out are malloc'd (dp_planar_free). DP_ERR_USAGE for a bad axis or a
 * cell without volume. */
dp_status dp_chgdiff_planar(const dp_grid *d, int axis, bool potential, dp_planar *out,
                            dp_error *err);
void dp_planar_free(dp_planar *p);

#endif
