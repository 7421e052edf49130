/* Internal to the Quantum ESPRESSO readers (pwout*.c, qexml.c): QE's unit constants,
 * the element of a species label, and the inverse of a cell. Not part of the
 * library's API (dftpost.h). */
#ifndef DP_QE_COMMON_H
#define DP_QE_COMMON_H

#include "dftpost.h"

#include <stdbool.h>
#include <stddef.h>

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

/* ---- the run's settings (dftpost.h, dp_run_setting), as pwout.c and qexml.c find
 * them, made one way so that a run's pw.x output and its XML compare equal ---------- */

/* What a reader found; NULL / NaN / 0 = not found (then the key is not set). */
typedef struct {
    const char *version;   /* "6.7MaX" → VERSION 6.7 */
    const char *xc;        /* "SLA  PW   PBE  PBE ( 1 4 3 4 0 0)" or <functional> "PBE" */
    double ecutwfc_ry;     /* → ENCUT in eV (RYTOEV), %.6g */
    int spin;              /* 1, 2 (LSDA), 3 noncollinear, 4 noncollinear with spin-orbit */
    const char *smearing;  /* a smearing name as pw.x prints it or the XML writes it,
                            * "fixed" or "tetrahedra" */
    double degauss_ry;     /* → SIGMA in eV; NaN without smearing */
    int ldau;              /* 1 DFT+U printed, -1 not (the header was read whole) */
    const char *ldaul;     /* per species ("2 -1"), or NULL */
    const char *ldauu;     /* per species in eV ("4.6 0"), or NULL */
    const char *vdw;       /* "0" for none, or a dispersion correction's name */
} dp_qe_found;

/* Sets CODE = QE, VERSION, XC (dp_qe_xc), ENCUT, ISPIN ("1", "2", "NONCOLLINEAR",
 * "NONCOLLINEAR+SOC"), SMEARING (dp_qe_smearing), SIGMA, LDAU (T/F) with LDAUL and
 * LDAUU, IVDW, and POTCAR (the species' pseudopotential files, incar.h). DP_ERR_NOMEM
 * only. */
dp_status dp_qe_settings(dp_run *run, const dp_qe_found *q, dp_error *err);

/* The functional as one name: blanks collapsed, upper case, the index list "( 1 4 3 4
 * 0 0)" dropped, and the long forms pw.x prints mapped to QE's short names, as the
 * XML writes them: "SLA PW PBE PBE" and "SLA PW PBX PBC" → PBE, "SLA PZ NOGX NOGC" and
 * "LDA" → PZ, "SLA PW NOGX NOGC" → PW, "SLA PW PSX PSC" → PBESOL, "SLA PW GGX GGC" →
 * PW91, "SLA B88 LYP BLYP" → BLYP; others are kept as written. */
void dp_qe_xc(const char *xc, char *out, size_t size);

/* A smearing name as a canonical SMEARING value: GAUSSIAN, METHFESSEL-PAXTON,
 * MARZARI-VANDERBILT, FERMI-DIRAC (pw.x's words or the input's "gauss", "mp", "m-p",
 * "mv", "m-v", "cold", "fd", "f-d"), FIXED, TETRAHEDRA; others upper-cased. */
void dp_qe_smearing(const char *name, char *out, size_t size);

/* Hubbard lists per species: L (-1 none) and U (eV) as "2 -1" and "4.6 0". */
void dp_qe_hubbard_lists(int n, const int *l, const double *u, char *ldaul, char *ldauu,
                         size_t size);

/* The angular momentum of an orbital label's last letter ("3d" → 2), -1 if none. */
int dp_qe_orbital_l(const char *label);

#endif
