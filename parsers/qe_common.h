/* Internal to the Quantum ESPRESSO readers (pwout*.c, qexml.c): QE's unit constants,
 * the element of a species label, and the inverse of a cell. Not part of the
 * library's API (dftpost.h). */
#ifndef DP_QE_COMMON_H
#define DP_QE_COMMON_H

#include <stdbool.h>

/* QE's Modules/constants.f90 since CODATA 2018 (why these for every version: the
 * top of pwout.c) */
#define RYTOEV 13.605693122994   /* eV per Ry */
#define BOHR_ANGS 0.529177210903 /* Å per bohr */

/* Element of a species label or of a pseudopotential's element name: "Fe1",
 * "Fe_up", "fe", "O2", "O" → Fe, Fe, Fe, O, O: the first two letters when they make
 * an element, else the first. False if neither does (or t does not start with a
 * letter). */
bool dp_qe_element(const char *t, char sym[4]);

/* The inverse of a cell (rows a, b, c, Å) for dp_cartesian_to_fractional. False,
 * inv untouched, for a degenerate cell: |det| not above 1e-12 Å³, or not finite. */
bool dp_qe_cell_inverse(const double lattice[3][3], double inv[3][3]);

#endif
