/* The SPEC file of `dftpost fed` (format in testdata/fed/README.md): text → a spec model.
 * Only numbers and paths are read here (relative paths are resolved against the SPEC's
 * folder); no energy file is opened. */
#ifndef DP_FEDSPEC_H
#define DP_FEDSPEC_H

#include "../analysis/fed.h"

#define DP_FED_PATH 1024

typedef enum {
    DP_FED_CORR_DEFAULT = 0, /* the shipped table row (none: 0 with a warning) */
    DP_FED_CORR_NONE,        /* "nocorr": G = E */
    DP_FED_CORR_NUMBERS,     /* zpe/ts/cp or gcorr */
    DP_FED_CORR_FREQ         /* a frequency file: harmonic, or ideal gas with "gas" */
} dp_fed_corr_kind;

typedef struct {
    dp_fed_corr_kind kind;
    double zpe, ts, cp;      /* NUMBERS: 0 where not given */
    double gcorr;            /* NUMBERS: NaN unless "gcorr X" (then zpe/ts/cp unused) */
    char freq[DP_FED_PATH];  /* FREQ: the modes file */
    bool gas;                /* FREQ: ideal gas (else harmonic) */
    int symmetry;            /* gas: rotational symmetry number */
    double spin;             /* gas: total spin S */
    double pressure;         /* gas: Pa (default 101325) */
    char structure[DP_FED_PATH]; /* gas: geometry file ("" = the energy file or freq file) */
    double cutoff;           /* cm-1, 0 = none: raise soft/imaginary modes to it */
} dp_fed_corr;

typedef struct {
    char name[DP_FED_NAME];
    int line;
    bool is_rule;            /* G = Σ coef·G(term) + offset */
    char energy[DP_FED_PATH];/* a number as typed or a path (not a rule) */
    int nterms;
    dp_fed_term terms[DP_FED_MAX_TERMS];
    double offset;
    dp_fed_corr corr;
} dp_fed_molecule;

typedef struct {
    char label[DP_FED_NAME];
    int line;
    char energy[DP_FED_PATH];
    dp_fed_corr corr;
} dp_fed_state;

#define DP_FED_MAX_MECH 12

typedef struct {
    char name[64];
    int line;
    int nmech;               /* 0: the global mechanisms */
    char mech[DP_FED_MAX_MECH][DP_FED_NAME];
    int nstates, cap;
    dp_fed_state *states;
} dp_fed_catalyst;

typedef struct {
    dp_fed_mechanism m;
    int line;
    int level_line[DP_FED_MAX_LEVELS];
} dp_fed_custom;

typedef struct {
    char path[DP_FED_PATH];
    double T;                /* NaN when not set */
    double ph;               /* NaN when not set */
    int nmech;
    char mech[DP_FED_MAX_MECH][DP_FED_NAME];
    int mech_line;
    int nmol, molcap;
    dp_fed_molecule *mol;
    int ncustom, customcap;
    dp_fed_custom *custom;
    int ncat, catcap;
    dp_fed_catalyst *cat;
} dp_fed_spec;

/* Reads and checks a SPEC. On failure err says "SPEC: line N: problem". *out is freed
 * with dp_fed_spec_free. */
dp_status dp_fed_spec_read(const char *path, dp_fed_spec **out, dp_error *err);
void dp_fed_spec_free(dp_fed_spec *spec);

/* The mechanism a name means in this spec: a custom one first, then a built-in; NULL if
 * unknown. */
const dp_fed_mechanism *dp_fed_spec_mechanism(const dp_fed_spec *spec, const char *name);
const dp_fed_molecule *dp_fed_spec_molecule(const dp_fed_spec *spec, const char *name);

#endif
