/* Free-energy diagrams of proton-coupled electron-transfer mechanisms with the
 * computational hydrogen electrode (Nørskov et al., J. Phys. Chem. B 108, 17886 (2004)):
 * the mechanism tables (built-in and user-defined), the shipped table of free-energy
 * corrections, and the assembly of level free energies from state and molecule free
 * energies. The limiting potential and overpotential come from che.h. Pure functions,
 * no I/O.
 *
 * A mechanism is an ordered list of levels. Each level is a site state (a label such as
 * "*", "*OH", "*N*NH" whose free energy the catalyst supplies, or "-" for none), the gas
 * molecules the system holds beside it (with coefficients), and the number of (H+ + e−)
 * pairs transferred since the first level: consumed for a reduction, released for an
 * oxidation (never negative, never decreasing). With (H+ + e−) at ½G(H2) − eU (RHE), the
 * level free energy at U = 0, up to a constant common to all levels, is
 *   G_k = G(site_k) + Σ_j c_kj·G(molecule_j) − s·p_k·½G(H2),   s = +1 reduction, −1 oxidation
 * and step k → k+1 transfers n_k = s·(p_{k+1} − p_k) pairs in che.h's sign convention.
 */
#ifndef DP_FED_H
#define DP_FED_H

#include "dftpost.h"

#define DP_FED_MAX_LEVELS 24
#define DP_FED_MAX_TERMS 6
#define DP_FED_NAME 32

typedef struct {
    char name[DP_FED_NAME]; /* molecule, e.g. "H2O" */
    double coef;            /* > 0 in a level; any sign in a rule */
} dp_fed_term;

typedef struct {
    char site[DP_FED_NAME]; /* state label, "-" for no site */
    double pairs;           /* (H+ + e−) pairs transferred since level 0, ≥ 0 */
    int nterms;
    dp_fed_term terms[DP_FED_MAX_TERMS];
} dp_fed_level;

typedef struct {
    char name[DP_FED_NAME];
    char title[96];         /* one line: what it is */
    int direction;          /* +1 reduction, −1 oxidation */
    double e0;              /* equilibrium potential to use, V vs RHE; NAN = the diagram's own */
    int nlevels;
    dp_fed_level levels[DP_FED_MAX_LEVELS];
} dp_fed_mechanism;

/* Built-in mechanisms: her, orr_4e, oer_4e, orr_4e_dissociative, orr_2e, co2rr_co,
 * co2rr_hcooh, nrr_distal, nrr_alternating, nrr_enzymatic. */
int dp_fed_builtin_count(void);
const dp_fed_mechanism *dp_fed_builtin_at(int i);
const dp_fed_mechanism *dp_fed_builtin(const char *name); /* NULL if unknown */

/* ---- the shipped corrections (analysis/fed_defaults.c) ------------------------- */

/* Corrections of one species at 298.15 K: G = E + zpe + cp − ts (eV). */
typedef struct {
    const char *species;    /* "H2O", "*OH" */
    const char *phase;      /* "gas 1 bar", "gas 0.035 bar (= liquid water)", "adsorbed" */
    double zpe, cp, ts;     /* eV */
    const char *source;     /* citation */
} dp_fed_default;

/* A molecule whose free energy is fixed by experiment instead of DFT:
 * G(species) = Σ coef·G(term) + offset (eV). */
typedef struct {
    const char *species;
    int nterms;
    dp_fed_term terms[3];
    double offset;
    const char *source;
} dp_fed_rule;

#define DP_FED_DEFAULTS_T 298.15 /* K: the temperature the shipped corrections are for */

int dp_fed_default_count(void);
const dp_fed_default *dp_fed_default_at(int i);
const dp_fed_default *dp_fed_default_find(const char *species); /* NULL if none */
int dp_fed_rule_count(void);
const dp_fed_rule *dp_fed_rule_at(int i);
const dp_fed_rule *dp_fed_rule_find(const char *species);        /* NULL if none */

/* ---- assembly ---------------------------------------------------------------------- */

/* Named free energies the caller has (sites and molecules share one list; a label never
 * collides with a molecule name because labels contain '*'). */
typedef struct {
    int n;
    const char *const *name;
    const double *g;        /* eV */
} dp_fed_values;

typedef struct {
    int nlevels;
    double g[DP_FED_MAX_LEVELS];        /* level free energies at U = 0 (RHE), eV, level 0 = 0 */
    int n[DP_FED_MAX_LEVELS];           /* step k: pairs in che.h's sign convention */
    char reaction[DP_FED_MAX_LEVELS][200]; /* step k, e.g. "*OOH + H+ + e- -> *O + H2O" */
} dp_fed_diagram;

/* The level names a mechanism needs from the catalyst (sites other than "-") and from the
 * references (molecules, plus H2 always): calls need(name, is_site, ud) once per distinct
 * name, in order of first use. */
void dp_fed_requirements(const dp_fed_mechanism *m,
                         void (*need)(const char *name, bool is_site, void *ud), void *ud);

/* Level free energies (relative to level 0) and step pair counts. g_h2 is G(H2); values
 * holds every site and molecule the mechanism names. DP_ERR_USAGE (message names the
 * missing label) if one is absent, or when a pair count is not a whole number of pairs
 * per step. */
dp_status dp_fed_assemble(const dp_fed_mechanism *m, const dp_fed_values *values, double g_h2,
                          dp_fed_diagram *d, dp_error *err);

/* "*OOH + H+ + e- -> *O + H2O" for step k of m (k < nlevels − 1) into buf. */
void dp_fed_reaction(const dp_fed_mechanism *m, int k, char *buf, size_t size);

/* Checks a mechanism read from a user: ≥ 2 levels, pairs ≥ 0 and non-decreasing, whole
 * pair counts per step, at least one electrochemical step, coefficients > 0. Returns
 * -1 and a message naming the level (1-based) or 0. */
int dp_fed_mechanism_check(const dp_fed_mechanism *m, char *msg, size_t size);

/* Adsorbate formula of a state label: "*OOH" → O 2, H 1; "*N*NH" → N 2, H 1; "*" → none.
 * Returns the number of elements (≤ max) or -1 when the label is not a formula. */
int dp_fed_label_formula(const char *label, char (*symbol)[4], int *count, int max);

#endif
