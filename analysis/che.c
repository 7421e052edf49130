/* The computational hydrogen electrode: free-energy diagrams, limiting potentials,
 * overpotentials and the ORR/OER scaling volcano. Conventions in che.h. */
#include "che.h"

#include <math.h>
#include <stddef.h>

void dp_che_step_energies(const double *g, const int *n, int nstates, double u, double *dg)
{
    for (int i = 0; i + 1 < nstates; i++)
        dg[i] = (g[i + 1] - g[i]) + (double)n[i] * u;
}

dp_status dp_che_analyse(const double *g, const int *n, int nstates, double e0,
                         dp_che_result *res, dp_error *err)
{
    if (nstates < 2)
        return dp_fail(err, DP_ERR_USAGE, "a mechanism needs at least 2 states, got %d",
                       nstates);
    for (int k = 0; k < nstates; k++)
        if (!isfinite(g[k]))
            return dp_fail(err, DP_ERR_USAGE, "state %d has no finite free energy", k + 1);
    int nred = 0, nox = 0, ntot = 0;
    for (int i = 0; i + 1 < nstates; i++) {
        nred += n[i] > 0;
        nox += n[i] < 0;
        ntot += n[i];
    }
    if (nred && nox)
        return dp_fail(err, DP_ERR_USAGE, "the mechanism mixes reduction and oxidation steps "
                       "(signs of the (H+ + e-) counts differ)");
    if (!nred && !nox)
        return dp_fail(err, DP_ERR_USAGE, "the mechanism has no electrochemical step "
                       "(every (H+ + e-) count is 0)");
    int dir = nred ? 1 : -1;
    /* Per step, the potential at which it turns downhill: ΔG_i(0) + n_i·U = 0 ⇒
     * U_i = −ΔG_i(0)/n_i. A reduction needs U ≤ U_i for every step: U_L = min U_i. An
     * oxidation needs U ≥ U_i: U_L = max U_i. The first extreme step is the PDS. */
    int pds = -1;
    double ul = NAN;
    for (int i = 0; i + 1 < nstates; i++) {
        if (!n[i])
            continue;
        double ui = -(g[i + 1] - g[i]) / (double)n[i];
        if (pds < 0 || (dir > 0 ? ui < ul : ui > ul)) {
            ul = ui;
            pds = i;
        }
    }
    res->direction = dir;
    res->pds = pds;
    res->limiting_potential = ul;
    res->dg_total = g[nstates - 1] - g[0];
    res->n_total = ntot;
    /* Overall: ΔG_total + n_total·E0 = 0. n_total ≠ 0 here (all counts share a sign). */
    res->equilibrium_potential = isnan(e0) ? -res->dg_total / (double)ntot : e0;
    res->overpotential = dir > 0 ? res->equilibrium_potential - ul
                                 : ul - res->equilibrium_potential;
    return DP_OK;
}

double dp_che_ph_shift(double temperature, double ph)
{
    return DP_CHE_KB_EV * temperature * log(10.0) * ph;
}

void dp_che_orr_4e(double dg_oh, double dg_o, double dg_ooh, double g[5], int n[4])
{
    /* states from O2 down to water; each step consumes one (H+ + e−) */
    const double s[5] = {DP_CHE_WATER_SPLITTING_EV, dg_ooh, dg_o, dg_oh, 0.0};
    for (int k = 0; k < 5; k++) {
        if (g)
            g[k] = s[k];
        if (n && k < 4)
            n[k] = 1;
    }
}

void dp_che_oer_4e(double dg_oh, double dg_o, double dg_ooh, double g[5], int n[4])
{
    /* states from water up to O2; each step releases one (H+ + e−) */
    const double s[5] = {0.0, dg_oh, dg_o, dg_ooh, DP_CHE_WATER_SPLITTING_EV};
    for (int k = 0; k < 5; k++) {
        if (g)
            g[k] = s[k];
        if (n && k < 4)
            n[k] = -1;
    }
}

/* The volcano. With x = ΔG_OH, ΔG_OOH = x + c and y = ΔG_O free, the ORR steps are
 *   ΔG1 = x + c − 4.92, ΔG2 = y − x − c, ΔG3 = x − y, ΔG4 = −x,
 * and U_L = −max_i ΔG_i. The middle steps sum to ΔG2 + ΔG3 = −c whatever y is, so the
 * larger of them is at least −c/2, with equality exactly when y = x + c/2 (*O halfway
 * between *OH and *OOH): that is the optimal placement of *O. Then
 *   max_i ΔG_i = max(x + c − 4.92, −c/2, −x)  ⇒  U_L = min(x, 4.92 − c − x, c/2).
 * The two legs, x (the *OH → H2O step, strong binding) and 4.92 − c − x (the O2 → *OOH
 * step, weak binding), meet at x* = (4.92 − c)/2 with U_L = (4.92 − c)/2. The c/2 bound
 * lies at or above that apex when c ≥ 2.46 eV, so for the usual c ≈ 3.2 eV the limiting
 * potential is the minimum over the OH- and OOH-related steps alone: c = 3.2 gives
 * 0.86 V at x* = 0.86 eV, η = 1.23 − 0.86 = 0.37 V; c = 2.46 gives 1.23 V, η = 0. For
 * c < 2.46 the middle steps cap the volcano with a plateau at c/2 over
 * [c/2, 4.92 − 3c/2], whose middle is again x*.
 * The OER runs the same states upward, each step releasing a pair (n = −1):
 *   ΔG1 = x, ΔG2 = y − x, ΔG3 = x + c − y, ΔG4 = 4.92 − x − c,  U_L = max_i ΔG_i;
 * now ΔG2 + ΔG3 = +c, so the larger is at least c/2 (again at y = x + c/2) and
 *   U_L = max(x, 4.92 − c − x, c/2).
 * For c > 2.46 the c/2 bound is a plateau over [4.92 − 3c/2, c/2] around x*, and the
 * best OER overpotential is c/2 − 1.23 (0.37 V for c = 3.2), the same as the ORR's. */
double dp_che_volcano(dp_che_reaction r, double c, double x)
{
    double leg = DP_CHE_WATER_SPLITTING_EV - c - x, mid = 0.5 * c;
    if (r == DP_CHE_ORR)
        return fmin(fmin(x, leg), mid);
    return fmax(fmax(x, leg), mid);
}

void dp_che_volcano_apex(dp_che_reaction r, double c, double *x_apex, double *ul_best,
                         double *eta_min)
{
    double x = 0.5 * (DP_CHE_WATER_SPLITTING_EV - c);
    double ul = dp_che_volcano(r, c, x);
    double e0 = DP_CHE_WATER_SPLITTING_EV / 4.0;
    if (x_apex)
        *x_apex = x;
    if (ul_best)
        *ul_best = ul;
    if (eta_min)
        *eta_min = r == DP_CHE_ORR ? e0 - ul : ul - e0;
}
