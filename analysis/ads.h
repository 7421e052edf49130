/* Adsorption energies: compositions (element counts), exact fractions, and the
 * stoichiometric coefficients of the gas references that balance AB − A.
 *
 *   E_ads = E(AB) − E(A) − Σ nᵢ E(refᵢ)   with   Σ nᵢ comp(refᵢ) = comp(AB) − comp(A)
 *
 * The coefficients are solved exactly (Gaussian elimination on fractions of 64-bit
 * integers), so ½ stays ½ and a system that does not balance is refused rather than
 * fitted. Pure functions: no I/O, no allocation. */
#ifndef DP_ADS_H
#define DP_ADS_H

#include "dftpost.h"

#define DP_ADS_MAX_ELEMENTS 24
#define DP_ADS_MAX_REFS 8
#define DP_ADS_MAX_COUNT 100000 /* atoms of one element; larger counts are refused */

/* Element counts. In a difference (AB − A) counts may be negative; elements with a
 * count of 0 are dropped. */
typedef struct {
    int n;
    char symbol[DP_ADS_MAX_ELEMENTS][4];
    int count[DP_ADS_MAX_ELEMENTS];
} dp_composition;

typedef struct {
    long long num, den; /* den > 0, gcd(num, den) = 1 */
} dp_fraction;

/* Adds count atoms of symbol (which must be a known element); DP_ERR_USAGE for an
 * unknown symbol, too many elements or a count beyond DP_ADS_MAX_COUNT. */
dp_status dp_composition_add(dp_composition *c, const char *symbol, int count, dp_error *err);

/* Parses a chemical formula: element symbols (capital + optional small letter) each
 * followed by an optional positive count, e.g. "H2O", "CO2", "NH3", "OOH", "Pt1C126O".
 * Symbols may repeat (OOH = O2H). No charges, no parentheses, no leading coefficient:
 * "2H2O", "H-2", "H0", "Xx2" are DP_ERR_USAGE with the reason in err. */
dp_status dp_composition_parse(const char *formula, dp_composition *c, dp_error *err);

/* out = a − b (out may not alias a or b). */
dp_status dp_composition_diff(const dp_composition *a, const dp_composition *b,
                              dp_composition *out, dp_error *err);

/* Same elements with the same counts, in any order. */
bool dp_composition_equal(const dp_composition *a, const dp_composition *b);

/* Count of symbol in c (0 if absent). */
int dp_composition_count(const dp_composition *c, const char *symbol);

/* "OH", "O2H", "" for an empty one; negative counts as "C-1" (a difference whose
 * atoms A has and AB has not). Elements in the order they were added. */
void dp_composition_format(const dp_composition *c, char *buf, size_t size);

/* "1", "-1", "1/2", "-3/2". */
void dp_fraction_format(dp_fraction f, char *buf, size_t size);
double dp_fraction_value(dp_fraction f);

/* Solves Σⱼ coef[j]·ref[j] = delta exactly for the nref reference compositions
 * (names[j] name them in messages). Errors, DP_ERR_INCOMPLETE with a one-line reason:
 *  - an element of delta that no reference contains ("element N ... in none of the
 *    references H2O, H2");
 *  - references that are linearly dependent (more references than the elements allow:
 *    the coefficients would not be unique), naming the redundant ones;
 *  - delta not a combination of the references (some element left unbalanced).
 * DP_ERR_USAGE for nref outside 0..DP_ADS_MAX_REFS. With nref = 0 only an empty delta
 * is solvable. A reference may get coefficient 0 (not used by this delta). */
dp_status dp_ads_solve(const dp_composition *delta, const dp_composition *ref,
                       const char *const *names, int nref, dp_fraction *coef, dp_error *err);

/* The usual reference sets (--ref-set): the references they allow and the line that
 * documents them. NULL for an unknown name. */
typedef struct {
    const char *name;        /* "h2o-h2", "o2", "n2", "co2" */
    int nref;
    const char *ref[3];      /* formulas */
    const char *doc;         /* e.g. "O = H2O - H2, OH = H2O - 1/2 H2, ..." */
} dp_ads_ref_set;

const dp_ads_ref_set *dp_ads_ref_set_find(const char *name);
/* All sets, *n of them (for --help). */
const dp_ads_ref_set *dp_ads_ref_sets(int *n);

#endif
