/* Vibrational modes as `thermo` and `fed` take them: read from a wavenumber list, a
 * dynmat.x output or a run with modes (OUTCAR), turned into the energies the
 * thermochemistry uses, and the geometry an ideal gas needs. */
#ifndef DP_MODES_INPUT_H
#define DP_MODES_INPUT_H

#include "../analysis/thermo.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    double cm1; /* magnitude, cm-1 */
    bool imag;
} vib_mode;

typedef struct {
    int n;
    vib_mode *mode;   /* as the file lists them */
    const char *kind; /* "list", "dynmat.x", or the program that wrote the run */
    dp_run *run;      /* the file when it was read as a run (its structure may serve
                       * an ideal gas), else NULL */
} vib_modes;

/* Reads the modes of path. quiet: no progress and the run's warnings kept (fed);
 * otherwise through load_run, which shows both and prints its own error (thermo).
 * 0, or -1 with the message in msg (empty when load_run printed it). Free with
 * vib_modes_free, also after a failure. */
int vib_modes_read(const char *path, bool quiet, vib_modes *m, char *msg, size_t size);
void vib_modes_free(vib_modes *m);

/* Descending by signed wavenumber (imaginary modes count as negative): the first
 * 3N-6 (3N-5) are then an ideal gas's vibrations, as ASE's IdealGasThermo keeps. */
void vib_modes_sort_desc(vib_mode *mode, int n);

/* The vibrational energies (eV, malloc'd, NULL if out of memory) of mode[0..n) under
 * the policy: dp_thermo_select_modes. */
double *vib_modes_energies(const vib_mode *mode, int n, const dp_mode_policy *policy,
                           int *nused, int *ndropped, int *nraised);

typedef struct {
    double inertia[3];    /* principal moments, amu Å², ascending */
    double mass;          /* total, amu */
    dp_geometry geometry; /* from the moments */
} gas_molecule;

/* The moments of inertia, mass and geometry of mol's last frame, the molecule made
 * whole around atom 1. Masses ASE's (IUPAC 2016), or with file_masses those the file
 * states. path names the structure in messages. 0, or -1 with the message in msg. */
int gas_molecule_of(const dp_run *mol, const char *path, bool file_masses, gas_molecule *g,
                    char *msg, size_t size);

#endif
