/* The computational hydrogen electrode (CHE) of Nørskov et al., J. Phys. Chem. B 108,
 * 17886 (2004): free-energy diagrams of proton-coupled electron-transfer mechanisms at an
 * electrode potential U, their limiting potential, potential-determining step and
 * overpotential, and the scaling-relation volcano of the 4e ORR/OER. Pure functions, no
 * I/O, no allocation.
 *
 * Conventions (all energies in eV, potentials in V, e = 1):
 *  - U is on the reversible hydrogen electrode (RHE) scale unless a name says SHE. On the
 *    RHE scale (H+ + e−) has the free energy ½G(H2) − eU at every pH; on the SHE scale
 *    U_RHE = U_SHE + kT·ln10·pH (dp_che_ph_shift).
 *  - A mechanism is an ordered list of nstates states with their free energies g[k] at
 *    U = 0 (any common zero), and nstates − 1 steps; step i goes from state i to state
 *    i + 1 and transfers n[i] (H+ + e−) pairs: n[i] > 0 the step CONSUMES n[i] pairs (a
 *    reduction, e.g. *OH + H+ + e− → * + H2O has n = +1), n[i] < 0 it RELEASES −n[i]
 *    pairs (an oxidation, e.g. * + H2O → *OH + H+ + e− has n = −1), n[i] = 0 a chemical
 *    step (no electron; its ΔG does not depend on U).
 *  - ΔG_i(U) = ΔG_i(0) + n_i·e·U with ΔG_i(0) = g[i+1] − g[i]: a pair consumed carries
 *    −eU, so a reduction step consuming one pair has ΔG(U) = ΔG(0) + eU (raising U makes
 *    reductions harder) and an oxidation step releasing one has ΔG(U) = ΔG(0) − eU.
 */
#ifndef DP_CHE_H
#define DP_CHE_H

#include "dftpost.h"

/* Boltzmann constant, eV/K (CODATA 2018, exact). */
#define DP_CHE_KB_EV 8.617333262e-5
/* Free energy of 2 H2O(l) → O2(g) + 2 H2(g) at 298.15 K, 1 bar: 4 × 1.23 eV, the
 * experimental value the CHE uses in place of GGA's poor O2 (Nørskov 2004). */
#define DP_CHE_WATER_SPLITTING_EV 4.92
/* Equilibrium potential of O2 + 4(H+ + e−) ⇌ 2 H2O, V vs RHE: 4.92 / 4. */
#define DP_CHE_E0_O2_H2O 1.23

/* Steps of a diagram at potential U: dg[i] = (g[i+1] − g[i]) + n[i]·U, i < nstates − 1. */
void dp_che_step_energies(const double *g, const int *n, int nstates, double u, double *dg);

typedef struct {
    int direction;                /* +1 reduction (all n ≥ 0), −1 oxidation (all n ≤ 0) */
    int pds;                      /* 0-based potential-determining step (first on a tie) */
    double limiting_potential;    /* U_L, V vs RHE */
    double equilibrium_potential; /* E0, V vs RHE */
    double overpotential;         /* η, V: E0 − U_L (reduction) or U_L − E0 (oxidation) */
    double dg_total;              /* g[last] − g[0] at U = 0, eV */
    int n_total;                  /* Σ n_i */
} dp_che_result;

/* Limiting potential, potential-determining step and overpotential of a mechanism.
 *
 * U_L is the extreme potential at which every electrochemical step is downhill
 * (ΔG_i(U) ≤ 0). A reduction step needs U ≤ −ΔG_i(0)/n_i, so for a reduction
 * U_L = min_i(−ΔG_i(0)/n_i), which for one pair per step is −max_i ΔG_i(0); an oxidation
 * step needs U ≥ ΔG_i(0)/|n_i|, so for an oxidation U_L = max_i(ΔG_i(0)/|n_i|) (= max ΔG_i(0)
 * for one pair per step). Chemical steps (n = 0) do not enter U_L (no potential changes
 * them; an uphill one is the caller's to report). The PDS is the step that sets U_L.
 *
 * E0, the equilibrium potential of the overall reaction, is where its total free energy
 * ΔG_total + n_total·e·E0 vanishes: E0 = −ΔG_total/(n_total·e) — for the 4e ORR
 * (ΔG_total = −4.92 eV, n_total = +4) and the OER (+4.92 eV, −4) both 1.23 V. Pass e0 to
 * override it (e.g. the experimental 1.23 V when the diagram's own total is a DFT value),
 * or NAN to use the diagram's. η = E0 − U_L for a reduction, U_L − E0 for an oxidation:
 * the extra potential the worst step costs beyond equilibrium (≥ 0 when E0 is the
 * diagram's own and it has no chemical step: U_L is then no better than the n-weighted
 * average of the per-step potentials, which is E0).
 *
 * Errors (DP_ERR_USAGE, message in err): fewer than 2 states, a non-finite energy, steps
 * of both signs, no electrochemical step. */
dp_status dp_che_analyse(const double *g, const int *n, int nstates, double e0,
                         dp_che_result *res, dp_error *err);

/* kT·ln10·pH in eV (= V per electron): U_RHE = U_SHE + dp_che_ph_shift(T, pH), so a step
 * consuming n pairs has ΔG(U_SHE) = ΔG(0) + n·(eU_SHE + kT·ln10·pH). At 298.15 K,
 * kT·ln10 = 0.059159 eV per pH unit. */
double dp_che_ph_shift(double temperature, double ph);

/* The 4e associative mechanisms in the adsorption free energies of the intermediates
 * relative to H2O(l) and H2(g) at U = 0 (RHE), * being the clean site:
 *   ΔG_OH  = G(*OH)  − G(*) − G(H2O) + ½G(H2)
 *   ΔG_O   = G(*O)   − G(*) − G(H2O) +  G(H2)
 *   ΔG_OOH = G(*OOH) − G(*) − 2G(H2O) + 3/2 G(H2)
 * With (H+ + e−) at ½G(H2) (U = 0, RHE) the states measured from * + 2H2O are
 *   * + O2 + 4(H+ + e−)    4.92     (2H2O → O2 + 2H2 costs 4.92 eV)
 *   *OOH + 3(H+ + e−)      ΔG_OOH
 *   *O + H2O + 2(H+ + e−)  ΔG_O
 *   *OH + H2O + (H+ + e−)  ΔG_OH
 *   * + 2H2O               0
 * ORR (O2 → *OOH → *O → *OH → H2O, each step n = +1) runs down this list:
 *   ΔG1 = ΔG_OOH − 4.92, ΔG2 = ΔG_O − ΔG_OOH, ΔG3 = ΔG_OH − ΔG_O, ΔG4 = −ΔG_OH;
 * OER (the reverse, each step n = −1) up it:
 *   ΔG1 = ΔG_OH, ΔG2 = ΔG_O − ΔG_OH, ΔG3 = ΔG_OOH − ΔG_O, ΔG4 = 4.92 − ΔG_OOH.
 * g receives the 5 state energies, n the 4 step counts (either may be NULL). */
void dp_che_orr_4e(double dg_oh, double dg_o, double dg_ooh, double g[5], int n[4]);
void dp_che_oer_4e(double dg_oh, double dg_o, double dg_ooh, double g[5], int n[4]);

typedef enum { DP_CHE_ORR = 0, DP_CHE_OER = 1 } dp_che_reaction;

/* The volcano: U_L (V vs RHE) of the 4e ORR or OER as a function of the descriptor
 * x = ΔG_OH under the scaling relation ΔG_OOH = x + c, with ΔG_O placed optimally.
 * ORR:  U_L(x) = min(x, 4.92 − c − x, c/2)
 * OER:  U_L(x) = max(x, 4.92 − c − x, c/2)
 * (derivation in che.c). */
double dp_che_volcano(dp_che_reaction r, double c, double x);

/* The apex of the volcano: the descriptor x* = (4.92 − c)/2 where the two legs meet (the
 * middle of the plateau when the c/2 bound is active), the best U_L there (maximum for
 * the ORR, minimum for the OER) and its overpotential against 1.23 V. */
void dp_che_volcano_apex(dp_che_reaction r, double c, double *x_apex, double *ul_best,
                         double *eta_min);

#endif
