/* Internal to the projwfc.x reader (projwfc.c and its projwfc_*.c parts): the reader
 * state, the pdos files and their tables, and the functions each part offers. What is
 * read, and how it maps onto the model: the top of projwfc.c. */
#ifndef DP_PROJWFC_READER_H
#define DP_PROJWFC_READER_H

#include "dftpost.h"
#include "paths.h"
#include "text_numbers.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#define LINE_CAP 4096
#define MAX_ATOMS 10000000
#define MAX_COLS 40
#define MAX_TOKEN 48 /* tokens this long or longer are not numbers (text_numbers.h) */

/* A plain or gzip text file read line by line (pj_open_reader, pj_get_line). */
typedef struct {
    gzFile f;
    const char *path;
    long line;
    bool newline;
    char buf[LINE_CAP];
} reader;

/* One FILPDOS.pdos_atm#N(El)_wfc#M(l) file: one wavefunction of one atom. */
typedef struct {
    char *path;
    int atom;       /* 1-based */
    int wfc;
    int l;
    int j2;         /* 2j for spin-orbit files, -1 otherwise */
    char label[16];
} pfile;

/* One table file: '#' header, then rows of numbers, all with the same count. */
typedef struct {
    int ncols;
    long nrows;
    double *v;          /* [nrows][ncols], NULL when only counted */
    bool two_spin;      /* header names ldosup/dosup: nspin=2 or noncollinear */
    bool tot_ncl;       /* pdos_tot header "dos pdosup pdosdw" */
    long overflows;
} table;

/* What pj_read_table reads of a table: its header, also its rows counted, or also
 * their numbers. */
enum { HEADER, COUNT, VALUES };

/* One wavefunction of the standard output's state list. */
typedef struct {
    int atom, wfc, l, j2;
    char label[16];
} state;

/* The reader state. */
typedef struct {
    const char *path;
    dp_read_opts opts;
    dp_error *err;
    dp_run *run;
    char dir[1024];
    char stdout_path[1400]; /* projwfc.x's standard output, "" if none */
    char prefix[256];
    /* from the standard output */
    char xml_prefix[256];
    state *states;
    int nstates, states_cap;
    int max_state_atom;
    int lowdin_atoms;       /* atoms in the last Lowdin block */
    int charges_cap;
    bool lowdin_done;       /* its spilling line was reached */
    bool stdout_complete;
    /* files */
    pfile *files;
    int nfiles;
    char tot_path[1400];
    int max_file_atom;
    bool spinorb;
} ps;

/* projwfc_files.c: reading lines, the pdos files, finding them */
dp_status pj_open_reader(reader *r, const char *path, dp_error *err);
int pj_get_line(reader *r, dp_error *err);
bool pj_head_has(const char *path, const char *needle);
int pj_parse_name(const char *name, size_t *plen, pfile *pf);
dp_status pj_read_table(const char *path, int what, table *t, dp_error *err);
dp_status pj_find_files(ps *s, const char *given_prefix);
void pj_find_stdout(ps *s);
const pfile *pj_find_file(const ps *s, int a, int wfc);

/* projwfc_charges.c: the standard output (state list, run prefix, Löwdin charges) */
dp_status pj_read_stdout(ps *s);

#endif
