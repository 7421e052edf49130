/* Internal pieces of `dftpost fed`: resolving a SPEC's energies and corrections
 * (fed_resolve.c), the tables (fed_output.c) and the SVG (fed_svg.c). */
#ifndef DP_FED_CMD_H
#define DP_FED_CMD_H

#include "../analysis/che.h"
#include "../analysis/fed.h"
#include "../parsers/fedspec.h"
#include "energy_input.h"
#include "table.h"

#define FED_MAX_U 64

/* One free energy: a molecule or a catalyst's state. */
typedef struct {
    char name[DP_FED_NAME];
    int line;             /* SPEC line */
    bool ok;
    bool is_rule;         /* molecule fixed by an experimental rule */
    energy_input in;      /* the energy (in.run for a file) */
    double corr;          /* G − E, eV */
    char corr_from[320];  /* where the correction comes from */
    bool corr_missing;    /* no correction anywhere: 0 used */
    double g;             /* E + corr, eV */
} fed_value;

typedef struct {
    const dp_fed_mechanism *m;
    bool ok;
    char why[512];        /* when not ok */
    dp_fed_diagram d;
    dp_che_result r;
    char warn[512];       /* an uphill chemical step, "" if none */
} fed_result;

enum { FED_OK = 0, FED_MIXED = 1, FED_REFUSED = 2 };

typedef struct {
    const dp_fed_catalyst *cat;
    int status;
    char reason[2048];    /* refused: why (one line); mixed: the differences */
    int nstates;
    fed_value *states;
    int nres;
    fed_result res[DP_FED_MAX_MECH];
    char composition[512]; /* composition warning, "" if checked and fine */
} fed_catalyst;

typedef struct {
    const dp_fed_spec *spec;
    double T, ph, shift;  /* shift = kT ln10 pH: U_RHE = U_SHE + shift */
    bool she;             /* --U values are vs SHE (--pH given) */
    int nu;
    double u[FED_MAX_U];  /* as given */
    bool allow_mixed;
    int nmol;
    fed_value *mol;       /* SPEC molecules and the rules used */
    int ncat;
    fed_catalyst *cat;
    int nrefused, nmixed;
} fed_run;

/* Reads every molecule of the SPEC (and the default rules its mechanisms need). Returns
 * 0, or -1 with "SPEC: line N: ..." in msg (fatal: every catalyst needs them). */
int fed_resolve_molecules(fed_run *run, char *msg, size_t size);
/* Reads a catalyst's states, checks them and computes its diagrams; a refusal is kept in
 * c->status / c->reason (with the SPEC line), not returned. */
void fed_resolve_catalyst(fed_run *run, const dp_fed_catalyst *cat, fed_catalyst *c);
void fed_run_free(fed_run *run);
const fed_value *fed_molecule(const fed_run *run, const char *name);

/* Tables. */
table *fed_steps_table(const fed_run *run);
table *fed_summary_table(const fed_run *run);
table *fed_defaults_table(void);
void fed_metadata(const fed_run *run, table *t);

/* The SVG step diagram at U = u (V vs RHE). plot lists the catalysts to draw (NULL = all
 * computed, at most 8). Returns 0 or -1 (message printed). */
int fed_write_svg(const fed_run *run, const char *path, double u_rhe, double u_shown,
                  const char *scale, const char *plot);

#endif
