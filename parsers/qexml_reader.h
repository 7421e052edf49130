/* Internal to the Quantum ESPRESSO XML reader (qexml.c and its qexml_*.c parts): the
 * reader state, the error helper and the readers of the subtrees the stream expands.
 * The stream: the top of qexml.c; what each subtree gives: qexml_subtrees.c; how the
 * run is made of it: qexml_assemble.c. */
#ifndef DP_QEXML_READER_H
#define DP_QEXML_READER_H

#include "dftpost.h"
#include "qe_common.h"
#include "xml_input.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#define HA_EV (2 * RYTOEV)
#define MAX_ATOMS 10000000
#define MAX_TYPES 10000

typedef struct {
    char name[16];
    char symbol[4];
    double mass;
    char pseudo[80];
    int count;
} qx_type;

typedef struct {
    xmlTextReaderPtr r;
    xml_input in;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    char xml_msg[256];
    long xml_line;
    bool failed;

    /* collected */
    int ntyp;
    qx_type *types;
    bool have_structure;
    int nat;
    int *atom_type;
    double (*pos)[3];   /* bohr (Cartesian) or fractional */
    bool crystal;
    double cell[3][3];  /* bohr */
    bool have_forces;
    double (*forces)[3];
    bool have_etot, have_demet;
    double etot, demet;
    bool have_ef, have_ef2, have_homo, have_lumo;
    double ef, ef2[2], homo, lumo;
    bool lsda, noncolin, spinorbit;
    bool have_smearing;
    double degauss;
    char smearing[32];
    bool have_bands;
    char occ_kind[32];
    /* settings: output/dft and output/basis_set */
    bool have_dft, dftu;
    char xc[64], vdw[32];
    int nhub;
    struct { char specie[16]; int l; double u_ry; } hub[64];
    double ecutwfc;     /* Ha, NaN if absent */
    bool have_mtot, have_mabs;
    double mtot, mabs;
    double *site;       /* [nsite] */
    long nsite;
    int scf_conv, opt_conv; /* 1 true, -1 false, 0 absent */
    bool have_status;
    long status;
    bool closed;
    long break_line;
} qx;

/* qexml.c: errors (the first wins; the line is the file's, through xml_input.c) */
bool qx_fail(qx *s, xmlNodePtr n, dp_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* qexml_subtrees.c: one reader per expanded subtree; false on failure (s->err filled) */
bool qx_on_general_info(qx *s, xmlNodePtr n);
bool qx_on_species(qx *s, xmlNodePtr n);
bool qx_on_structure(qx *s, xmlNodePtr n);
bool qx_on_forces(qx *s, xmlNodePtr n);
bool qx_on_energy(qx *s, xmlNodePtr n);
bool qx_on_bands(qx *s, xmlNodePtr n);
bool qx_on_dft(qx *s, xmlNodePtr n);
bool qx_on_basis(qx *s, xmlNodePtr n);
bool qx_on_magnetization(qx *s, xmlNodePtr n);
bool qx_on_convergence(qx *s, xmlNodePtr n);
bool qx_on_status(qx *s, xmlNodePtr n);

/* qexml_assemble.c: the run from what was collected */
dp_status qx_assemble(qx *s);

#endif
