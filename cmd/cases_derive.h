/* Reproducing the review's "derived" figures with dftpost's own library (cases --derive). */
#ifndef DP_CASES_DERIVE_H
#define DP_CASES_DERIVE_H

#include "cases_table.h"

#include <stdbool.h>

typedef struct {
    char value[128];  /* the derived number(s), at the quoted precision, joined as quoted */
    char how[768];    /* what was computed, with the unrounded numbers */
    bool match;       /* value equals the quoted value character for character */
    bool no_value;    /* the review quotes a formula only (d12): an example is computed */
} case_derivation;

/* Derives row c from what its quantity and note say:
 *  - "... limiting potential / overpotential with dG(*OOH)=dG(*OH)+C eV": the CHE volcano
 *    apex (dp_che_volcano_apex) at offset C;
 *  - "ideal scaling offset": C = 4.92/2, checked to give η = 0 on the volcano;
 *  - "scaling slope gamma=(xmax-x)/xmax for OH vs O" / "for CH3, CH2, CH vs C" with
 *    "xmax(A)=N" in the note: dp_scaling_gamma for each adsorbate's hydrogen count;
 *  - a relation "Y = a X + b" or "Y = a X1 + b X2": points generated from it are fitted
 *    with dp_scaling_fit_linear (one fit per variable, the others held at 0) and the
 *    slopes (and intercept) recovered;
 *  - "Kubo gap delta = 4 E_F / (3 N)": no number quoted, the formula on an example
 *    (Au, free-electron E_F = 5.53 eV, N = 100 atoms).
 * Returns 0, or -1 when the row is not one dftpost can derive. */
int case_derive(const review_case *c, case_derivation *d);

/* Decimals of a quoted number ("0.86" → 2, "2" → 0). */
int quoted_decimals(const char *s);

#endif
