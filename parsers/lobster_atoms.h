/* Internal to the LOBSTER readers (lobster_cohpcar.c, lobster_charge.c): atoms as
 * LOBSTER names them ("Fe8", "Al1": element, then the 1-based number of the atom in
 * the structure) and the species of a run built from those names. Not part of the
 * library's API (dftpost.h).
 *
 * LOBSTER's files carry no structure, only these names. The species of the run are
 * one type per run of consecutive atoms of one element, in atom order (atoms 1-2 Al,
 * 3-4 N give types Al2 N2; Al N Al gives three types); an atom that no name mentions
 * (a COHPCAR lists only the bonds asked for) has the element "X". */
#ifndef DP_LOBSTER_ATOMS_H
#define DP_LOBSTER_ATOMS_H

#include "dftpost.h"

#define DP_LOBSTER_MAX_ATOMS 1000000

typedef struct {
    int n;          /* highest atom number seen */
    int cap;
    char (*sym)[4]; /* [cap] element of atom i (0-based); "" where not named yet */
} dp_lobster_atoms;

/* Reads a name at *p: an element symbol (an upper-case letter, then at most two
 * lower-case ones) followed at once by the atom number, 1 to DP_LOBSTER_MAX_ATOMS.
 * On success fills sym and *number and advances *p past the digits; false, *p
 * unchanged, if *p does not start with such a name. */
bool dp_lobster_atom_name(const char **p, char sym[4], int *number);

/* Records that atom number (1-based) is element sym. Returns 0; -1 when out of
 * memory; 1 when the atom was named as another element before (*other, if not
 * NULL, points to that element). */
int dp_lobster_atoms_add(dp_lobster_atoms *a, int number, const char *sym, const char **other);

/* Sets run->natoms, species and atom_type from a (see the top of this file). */
dp_status dp_lobster_atoms_species(const dp_lobster_atoms *a, dp_run *run, dp_error *err);

void dp_lobster_atoms_free(dp_lobster_atoms *a);

#endif
