/* The computational hydrogen electrode (analysis/che.c) against hand calculations and the
 * textbook volcano numbers. Arguments (TESTDATA_DIR SHARED_DIR REFERENCE_DIR) are accepted
 * for uniformity and not needed: every number here is computed by hand. */
#include "check.h"
#include "../analysis/che.h"

static void orr_by_hand(void)
{
    /* ΔG_OH = 0.80, ΔG_O = 1.90, ΔG_OOH = 4.10 eV. States (from * + 2H2O):
     *   O2 4.92, *OOH 4.10, *O 1.90, *OH 0.80, H2O 0.
     * Steps at U = 0:  ΔG1 = 4.10 − 4.92 = −0.82   (O2 → *OOH)
     *                  ΔG2 = 1.90 − 4.10 = −2.20   (*OOH → *O)
     *                  ΔG3 = 0.80 − 1.90 = −1.10   (*O → *OH)
     *                  ΔG4 = 0    − 0.80 = −0.80   (*OH → H2O)
     * max ΔG = −0.80 (step 4) ⇒ U_L = 0.80 V, PDS = step 4 (*OH removal),
     * E0 = −(−4.92)/4 = 1.23 V, η = 1.23 − 0.80 = 0.43 V.
     * At U = 1.23 V each step gains +1.23: 0.41, −0.97, 0.13, 0.43. */
    double g[5], dg[4];
    int n[4];
    dp_che_orr_4e(0.80, 1.90, 4.10, g, n);
    CHECK_NEAR(g[0], 4.92, 1e-12);
    CHECK_NEAR(g[4], 0.0, 0);
    CHECK(n[0] == 1 && n[1] == 1 && n[2] == 1 && n[3] == 1);
    dp_che_step_energies(g, n, 5, 0.0, dg);
    CHECK_NEAR(dg[0], -0.82, 1e-12);
    CHECK_NEAR(dg[1], -2.20, 1e-12);
    CHECK_NEAR(dg[2], -1.10, 1e-12);
    CHECK_NEAR(dg[3], -0.80, 1e-12);
    dp_che_step_energies(g, n, 5, 1.23, dg);
    CHECK_NEAR(dg[0], 0.41, 1e-12);
    CHECK_NEAR(dg[1], -0.97, 1e-12);
    CHECK_NEAR(dg[2], 0.13, 1e-12);
    CHECK_NEAR(dg[3], 0.43, 1e-12);
    dp_che_result r;
    dp_error err;
    CHECK(dp_che_analyse(g, n, 5, NAN, &r, &err) == DP_OK);
    CHECK(r.direction == 1);
    CHECK(r.pds == 3);
    CHECK(r.n_total == 4);
    CHECK_NEAR(r.dg_total, -4.92, 1e-12);
    CHECK_NEAR(r.limiting_potential, 0.80, 1e-12);
    CHECK_NEAR(r.equilibrium_potential, 1.23, 1e-12);
    CHECK_NEAR(r.overpotential, 0.43, 1e-12);
    /* at U = U_L the PDS is exactly thermoneutral and every step downhill */
    dp_che_step_energies(g, n, 5, r.limiting_potential, dg);
    CHECK_NEAR(dg[3], 0.0, 1e-12);
    CHECK(dg[0] <= 1e-12 && dg[1] <= 1e-12 && dg[2] <= 1e-12);
    /* an explicit E0 is used as given */
    CHECK(dp_che_analyse(g, n, 5, 1.20, &r, &err) == DP_OK);
    CHECK_NEAR(r.overpotential, 0.40, 1e-12);
}

static void oer_by_hand(void)
{
    /* ΔG_OH = 0.90, ΔG_O = 2.40, ΔG_OOH = 3.80 eV. States: H2O 0, *OH 0.90, *O 2.40,
     * *OOH 3.80, O2 4.92. Steps at U = 0 (each releases one (H+ + e−)):
     *   ΔG1 = 0.90, ΔG2 = 2.40 − 0.90 = 1.50, ΔG3 = 3.80 − 2.40 = 1.40,
     *   ΔG4 = 4.92 − 3.80 = 1.12.
     * max = 1.50 (step 2, *OH → *O) ⇒ U_L = 1.50 V, E0 = 4.92/4 = 1.23 V,
     * η = 1.50 − 1.23 = 0.27 V. At U = 1.23 each step loses 1.23: −0.33, 0.27, 0.17, −0.11. */
    double g[5], dg[4];
    int n[4];
    dp_che_oer_4e(0.90, 2.40, 3.80, g, n);
    CHECK(n[0] == -1 && n[3] == -1);
    dp_che_step_energies(g, n, 5, 1.23, dg);
    CHECK_NEAR(dg[0], -0.33, 1e-12);
    CHECK_NEAR(dg[1], 0.27, 1e-12);
    CHECK_NEAR(dg[2], 0.17, 1e-12);
    CHECK_NEAR(dg[3], -0.11, 1e-12);
    dp_che_result r;
    dp_error err;
    CHECK(dp_che_analyse(g, n, 5, NAN, &r, &err) == DP_OK);
    CHECK(r.direction == -1);
    CHECK(r.pds == 1);
    CHECK(r.n_total == -4);
    CHECK_NEAR(r.limiting_potential, 1.50, 1e-12);
    CHECK_NEAR(r.equilibrium_potential, 1.23, 1e-12);
    CHECK_NEAR(r.overpotential, 0.27, 1e-12);
}

static void general_mechanisms(void)
{
    /* States 0, −1.0, −1.5, −3.0 with counts {2, 0, 1}: a two-pair step, a chemical step,
     * a one-pair step (a reduction). U_i = −ΔG_i/n_i: step 1: 1.0/2 = 0.5 V; step 3:
     * 1.5/1 = 1.5 V; step 2 is chemical and does not count. U_L = 0.5 V (step 1);
     * E0 = −(−3.0)/3 = 1.0 V; η = 0.5 V. */
    double g[4] = {0, -1.0, -1.5, -3.0};
    int n[3] = {2, 0, 1};
    double dg[3];
    dp_che_result r;
    dp_error err;
    dp_che_step_energies(g, n, 4, 0.5, dg);
    CHECK_NEAR(dg[0], 0.0, 1e-12);  /* −1.0 + 2·0.5 */
    CHECK_NEAR(dg[1], -0.5, 1e-12); /* chemical: independent of U */
    CHECK_NEAR(dg[2], -1.0, 1e-12); /* −1.5 + 0.5 */
    CHECK(dp_che_analyse(g, n, 4, NAN, &r, &err) == DP_OK);
    CHECK(r.pds == 0);
    CHECK_NEAR(r.limiting_potential, 0.5, 1e-12);
    CHECK_NEAR(r.equilibrium_potential, 1.0, 1e-12);
    CHECK_NEAR(r.overpotential, 0.5, 1e-12);
    /* ties: the first extreme step is the PDS (0, −1, −2: both steps at 1.0 V) */
    double gt[3] = {0, -1, -2};
    int nt[2] = {1, 1};
    CHECK(dp_che_analyse(gt, nt, 3, NAN, &r, &err) == DP_OK);
    CHECK(r.pds == 0);
    CHECK_NEAR(r.overpotential, 0.0, 1e-12);
    /* HER Volmer–Heyrovsky with ΔG_H = +0.2: H+ + e− → *H (0.2), *H + H+ + e− → H2 (−0.2):
     * U_L = −0.2 V, E0 = 0, η = 0.2 V */
    double gh[3] = {0, 0.2, 0};
    int nh[2] = {1, 1};
    CHECK(dp_che_analyse(gh, nh, 3, NAN, &r, &err) == DP_OK);
    CHECK(r.pds == 0);
    CHECK_NEAR(r.limiting_potential, -0.2, 1e-12);
    CHECK_NEAR(r.overpotential, 0.2, 1e-12);
    /* errors */
    int nmix[3] = {1, -1, 1}, nzero[3] = {0, 0, 0};
    CHECK(dp_che_analyse(g, nmix, 4, NAN, &r, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "mixes");
    CHECK(dp_che_analyse(g, nzero, 4, NAN, &r, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "no electrochemical step");
    CHECK(dp_che_analyse(g, n, 1, NAN, &r, &err) == DP_ERR_USAGE);
    double gnan[4] = {0, NAN, -1, -2};
    CHECK(dp_che_analyse(gnan, n, 4, NAN, &r, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "state 2");
}

static void ph_shift(void)
{
    /* kB·T = 8.617333262e-5 × 298.15 = 0.0256925791 eV; × ln10 (2.302585093) =
     * 0.0591593497 eV per pH unit; pH 7: 0.414115448; pH 0: 0; T = 310 K, pH 3:
     * 8.617333262e-5 × 310 × 2.302585093 × 3 = 0.184531931. */
    CHECK_NEAR(dp_che_ph_shift(298.15, 1), 0.0591593497, 1e-9);
    CHECK_NEAR(dp_che_ph_shift(298.15, 7), 0.414115448, 1e-8);
    CHECK_NEAR(dp_che_ph_shift(298.15, 0), 0.0, 0);
    CHECK_NEAR(dp_che_ph_shift(310, 3), 0.184531931, 1e-8);
    /* the ORR diagram above at pH 7: U_L = 0.80 V vs RHE = 0.80 − 0.414 V vs SHE */
    CHECK_NEAR(0.80 - dp_che_ph_shift(298.15, 7), 0.385884552, 1e-8);
}

static void volcano(void)
{
    double x, ul, eta;
    /* the checks: C = 3.2 eV: U_L max 0.86 V, η min 0.37 V; C = 2.46: 1.23 V, 0 V */
    dp_che_volcano_apex(DP_CHE_ORR, 3.2, &x, &ul, &eta);
    CHECK_NEAR(x, 0.86, 1e-12);
    CHECK_NEAR(ul, 0.86, 1e-12);
    CHECK_NEAR(eta, 0.37, 1e-12);
    dp_che_volcano_apex(DP_CHE_ORR, 2.46, &x, &ul, &eta);
    CHECK_NEAR(x, 1.23, 1e-12);
    CHECK_NEAR(ul, 1.23, 1e-12);
    CHECK_NEAR(eta, 0.0, 1e-12);
    /* the legs: U_L = ΔG_OH on the strong side, 4.92 − C − ΔG_OH on the weak side */
    CHECK_NEAR(dp_che_volcano(DP_CHE_ORR, 3.2, 0.5), 0.5, 1e-12);
    CHECK_NEAR(dp_che_volcano(DP_CHE_ORR, 3.2, 1.2), 0.52, 1e-12);
    /* C = 2.0 < 2.46: the *O steps cap the ORR at C/2 = 1.0 V over [1.0, 1.92] */
    CHECK_NEAR(dp_che_volcano(DP_CHE_ORR, 2.0, 1.5), 1.0, 1e-12);
    dp_che_volcano_apex(DP_CHE_ORR, 2.0, &x, &ul, &eta);
    CHECK_NEAR(x, 1.46, 1e-12);
    CHECK_NEAR(ul, 1.0, 1e-12);
    CHECK_NEAR(eta, 0.23, 1e-12);
    /* OER, C = 3.2: U_L = max(x, 1.72 − x, 1.6): best 1.6 V, η 0.37 V, plateau 0.12..1.6 */
    dp_che_volcano_apex(DP_CHE_OER, 3.2, &x, &ul, &eta);
    CHECK_NEAR(x, 0.86, 1e-12);
    CHECK_NEAR(ul, 1.6, 1e-12);
    CHECK_NEAR(eta, 0.37, 1e-12);
    CHECK_NEAR(dp_che_volcano(DP_CHE_OER, 3.2, 0.0), 1.72, 1e-12);
    CHECK_NEAR(dp_che_volcano(DP_CHE_OER, 3.2, 2.0), 2.0, 1e-12);
    dp_che_volcano_apex(DP_CHE_OER, 2.46, &x, &ul, &eta);
    CHECK_NEAR(ul, 1.23, 1e-12);
    CHECK_NEAR(eta, 0.0, 1e-12);

    /* "ΔG_O placed optimally", by brute force: for each x, scan ΔG_O over a fine grid
     * through the full 4-step analysis and keep the best U_L; it must equal the formula. */
    const double cs[3] = {3.2, 2.46, 2.0};
    int worst_ok = 1;
    for (int ic = 0; ic < 3; ic++) {
        for (int rr = 0; rr < 2; rr++) {
            for (double xo = -0.5; xo <= 2.5; xo += 0.1) {
                double best = rr == 0 ? -INFINITY : INFINITY;
                for (double y = xo - 1.0; y <= xo + cs[ic] + 1.0; y += 0.005) {
                    double g[5];
                    int n[4];
                    dp_che_result res;
                    dp_error err;
                    if (rr == 0)
                        dp_che_orr_4e(xo, y, xo + cs[ic], g, n);
                    else
                        dp_che_oer_4e(xo, y, xo + cs[ic], g, n);
                    if (dp_che_analyse(g, n, 5, NAN, &res, &err) != DP_OK)
                        worst_ok = 0;
                    best = rr == 0 ? fmax(best, res.limiting_potential)
                                   : fmin(best, res.limiting_potential);
                }
                double want = dp_che_volcano(rr == 0 ? DP_CHE_ORR : DP_CHE_OER, cs[ic], xo);
                if (fabs(best - want) > 3e-3) { /* the y grid's resolution */
                    worst_ok = 0;
                    fprintf(stderr, "volcano brute force: C %g %s x %g: %g vs %g\n", cs[ic],
                            rr ? "oer" : "orr", xo, best, want);
                }
            }
        }
    }
    CHECK(worst_ok);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    orr_by_hand();
    oer_by_hand();
    general_mechanisms();
    ph_shift();
    volcano();
    return check_report();
}
