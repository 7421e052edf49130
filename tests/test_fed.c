/* Free-energy diagrams (analysis/fed.c, parsers/fedspec.c, with che.c) against hand
 * calculations. Arguments: TESTDATA_DIR SHARED_DIR (the SPECs of testdata/fed; the shared
 * data is used by tests/cli_fed.sh, not here). Every expected number is worked out in the
 * comment beside it. */
#include "check.h"
#include "../analysis/che.h"
#include "../analysis/fed.h"
#include "../parsers/fedspec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *TD;

/* assembles mechanism name from (name, G) pairs, H2 included, and analyses it */
static void diagram(const char *mech, int n, const char **names, const double *g, double g_h2,
                    dp_fed_diagram *d, dp_che_result *r)
{
    const dp_fed_mechanism *m = dp_fed_builtin(mech);
    CHECK(m != NULL);
    if (!m)
        return;
    dp_fed_values v = {n, names, g};
    dp_error err = {0};
    CHECK(dp_fed_assemble(m, &v, g_h2, d, &err) == DP_OK);
    CHECK(dp_che_analyse(d->g, d->n, d->nlevels, m->e0, r, &err) == DP_OK);
}

static void orr_oer_by_hand(void)
{
    /* G(H2) = -6.80, G(H2O) = -14.20, G(*) = -100, G(*OH) = -110.00, G(*O) = -105.50,
     * G(*OOH) = -114.10 eV (testdata/fed/orr_4e.spec, no corrections).
     * G(O2) = 2(-14.20) - 2(-6.80) + 4.92 = -9.88 eV (the CHE rule).
     * dG_OH  = -110.00 + 100 + 14.20 - 3.40         = 0.80
     * dG_O   = -105.50 + 100 + 14.20 - 6.80         = 1.90
     * dG_OOH = -114.10 + 100 + 28.40 - 10.20        = 4.10
     * ORR steps: 4.10 - 4.92 = -0.82, 1.90 - 4.10 = -2.20, 0.80 - 1.90 = -1.10, -0.80
     *   U_L = -max = 0.80 V (step 4, *OH -> H2O), E0 = 4.92/4 = 1.23, eta = 0.43 V.
     * OER steps: 0.80, 1.10, 2.20, 0.82: U_L = 2.20 V (step 3, *O -> *OOH), eta = 0.97 V. */
    const char *names[] = {"*", "*OH", "*O", "*OOH", "H2", "H2O", "O2"};
    double g[] = {-100.0, -110.0, -105.5, -114.1, -6.8, -14.2, -9.88};
    dp_fed_diagram d;
    dp_che_result r;
    diagram("orr_4e", 7, names, g, -6.8, &d, &r);
    CHECK(d.nlevels == 5);
    CHECK_NEAR(d.g[1] - d.g[0], -0.82, 1e-9);
    CHECK_NEAR(d.g[2] - d.g[1], -2.20, 1e-9);
    CHECK_NEAR(d.g[3] - d.g[2], -1.10, 1e-9);
    CHECK_NEAR(d.g[4] - d.g[3], -0.80, 1e-9);
    CHECK(d.n[0] == 1 && d.n[3] == 1);
    CHECK_NEAR(r.limiting_potential, 0.80, 1e-9);
    CHECK(r.pds == 3);
    CHECK_NEAR(r.overpotential, 0.43, 1e-9);
    CHECK_NEAR(r.dg_total, -4.92, 1e-9);
    CHECK(!strcmp(d.reaction[1], "*OOH + H+ + e- -> *O + H2O"));
    CHECK(!strcmp(d.reaction[0], "* + O2 + H+ + e- -> *OOH"));
    CHECK(!strcmp(d.reaction[3], "*OH + H+ + e- -> * + H2O"));
    /* at U = 1.23 V each reduction step gains +1.23: 0.41, -0.97, 0.13, 0.43 */
    double dg[4];
    dp_che_step_energies(d.g, d.n, 5, 1.23, dg);
    CHECK_NEAR(dg[0], 0.41, 1e-9);
    CHECK_NEAR(dg[3], 0.43, 1e-9);

    diagram("oer_4e", 7, names, g, -6.8, &d, &r);
    CHECK_NEAR(d.g[1] - d.g[0], 0.80, 1e-9);
    CHECK_NEAR(d.g[3] - d.g[2], 2.20, 1e-9);
    CHECK(d.n[0] == -1);
    CHECK_NEAR(r.limiting_potential, 2.20, 1e-9);
    CHECK(r.pds == 2);
    CHECK_NEAR(r.overpotential, 0.97, 1e-9);
    CHECK(!strcmp(d.reaction[0], "* + H2O -> *OH + H+ + e-"));
    CHECK(!strcmp(d.reaction[3], "*OOH -> * + O2 + H+ + e-"));

    /* dissociative, per O atom: * + 1/2 O2 = -104.94; *O = -105.50 (chemical, -0.56);
     * *OH + 1/2 H2 = -106.60 (-1.10); * + H2O + H2 = -107.40 (-0.80): U_L 0.80 V, E0 =
     * 2.46/2 = 1.23 V */
    diagram("orr_4e_dissociative", 7, names, g, -6.8, &d, &r);
    CHECK_NEAR(d.g[1] - d.g[0], -0.56, 1e-9);
    CHECK(d.n[0] == 0);
    CHECK_NEAR(r.limiting_potential, 0.80, 1e-9);
    CHECK_NEAR(r.equilibrium_potential, 1.23, 1e-9);
}

static void her_2e_by_hand(void)
{
    /* HER: G(*H) = -103.30 + 0.17 (table), G(H2) = -6.80 + 0.27 - 0.41 = -6.94:
     * dG_H = -103.13 + 100 + 3.47 = 0.34 eV = dE_H (0.10) + 0.24 (Norskov 2005).
     * Steps 0.34 and -0.34: U_L = -0.34 V, eta = 0.34 V, PDS step 1 (Volmer). */
    const char *names[] = {"*", "*H", "H2"};
    double g[] = {-100.0, -103.13, -6.94};
    dp_fed_diagram d;
    dp_che_result r;
    diagram("her", 3, names, g, -6.94, &d, &r);
    CHECK_NEAR(d.g[1] - d.g[0], 0.34, 1e-9);
    CHECK_NEAR(d.g[2] - d.g[1], -0.34, 1e-9);
    CHECK_NEAR(r.limiting_potential, -0.34, 1e-9);
    CHECK_NEAR(r.overpotential, 0.34, 1e-9);
    CHECK_NEAR(r.equilibrium_potential, 0.0, 1e-12);
    CHECK(r.pds == 0);
    CHECK(!strcmp(d.reaction[1], "*H + H+ + e- -> * + H2"));
    /* the table's *H and H2 rows give the +0.24 eV of Norskov et al. (2005):
     * zpe(*H) - 1/2 (zpe(H2) - ts(H2)) = 0.17 - 0.135 + 0.205 */
    const dp_fed_default *h = dp_fed_default_find("*H"), *h2 = dp_fed_default_find("H2");
    CHECK(h && h2);
    if (h && h2)
        CHECK_NEAR(h->zpe - h->ts - 0.5 * (h2->zpe - h2->ts), 0.24, 1e-9);

    /* 2e ORR: G(H2O2) = 2(-14.20) + 6.80 + 3.52 = -18.08 (rule). Levels: * + O2 = -109.88,
     * *OOH + 1/2 H2 = -110.70, * + H2O2 + H2 = -111.28: steps -0.82, -0.58; U_L = 0.58 V
     * (step 2), E0 = 1.40/2 = 0.70 V, eta = 0.12 V. */
    const char *n2[] = {"*", "*OOH", "H2", "O2", "H2O2"};
    double g2[] = {-100.0, -114.1, -6.8, -9.88, -18.08};
    diagram("orr_2e", 5, n2, g2, -6.8, &d, &r);
    CHECK_NEAR(d.g[1] - d.g[0], -0.82, 1e-9);
    CHECK_NEAR(d.g[2] - d.g[1], -0.58, 1e-9);
    CHECK_NEAR(r.limiting_potential, 0.58, 1e-9);
    CHECK_NEAR(r.equilibrium_potential, 0.70, 1e-9);
    CHECK_NEAR(r.overpotential, 0.12, 1e-9);
    const dp_fed_rule *rule = dp_fed_rule_find("H2O2");
    CHECK(rule && rule->offset == 3.52);
    rule = dp_fed_rule_find("O2");
    CHECK(rule && rule->offset == 4.92);
}

static void co2rr_nrr_by_hand(void)
{
    /* CO2RR to CO (testdata/fed/co2rr_co.spec): G(CO2) -23.00, G(CO) -15.20.
     * * + CO2 = -123.00; *COOH + 1/2 H2 = -126.20 + 3.40 = -122.80 (+0.20);
     * *CO + H2O + H2 = -114.90 - 14.20 + 6.80 = -122.30 (+0.50);
     * * + CO + H2O + H2 = -122.60 (-0.30, chemical). U_L = -0.50 V (step 2),
     * dG_total = 0.40 => E0 = -0.20 V, eta = -0.20 + 0.50 = 0.30 V. */
    const char *nc[] = {"*", "*COOH", "*CO", "H2", "H2O", "CO2", "CO"};
    double gc[] = {-100.0, -126.2, -114.9, -6.8, -14.2, -23.0, -15.2};
    dp_fed_diagram d;
    dp_che_result r;
    diagram("co2rr_co", 7, nc, gc, -6.8, &d, &r);
    CHECK_NEAR(d.g[1] - d.g[0], 0.20, 1e-9);
    CHECK_NEAR(d.g[2] - d.g[1], 0.50, 1e-9);
    CHECK_NEAR(d.g[3] - d.g[2], -0.30, 1e-9);
    CHECK(d.n[2] == 0);
    CHECK_NEAR(r.limiting_potential, -0.50, 1e-9);
    CHECK(r.pds == 1);
    CHECK_NEAR(r.equilibrium_potential, -0.20, 1e-9);
    CHECK_NEAR(r.overpotential, 0.30, 1e-9);
    CHECK(!strcmp(d.reaction[2], "*CO -> * + CO"));

    /* NRR distal (testdata/fed/nrr.spec): N2 -16.60, NH3 -18.68, 1/2 H2 = -3.40.
     * Levels: -116.60, -115.40, -115.70, -115.30, -115.90, -116.40, -116.96:
     * steps +1.20, -0.30, +0.40, -0.60, -0.50, -0.56 (sum -0.36 = 2 NH3 - N2 - 3 H2).
     * U_L = -1.20 V (step 1, N2 -> *NNH), E0 = 0.36/6 = 0.06 V, eta = 1.26 V. */
    const char *nn[] = {"*", "*NNH", "*NNH2", "*N", "*NH", "*NH2", "H2", "N2", "NH3"};
    double gn[] = {-100.0, -118.8, -122.5, -106.82, -110.82, -114.72, -6.8, -16.6, -18.68};
    diagram("nrr_distal", 9, nn, gn, -6.8, &d, &r);
    CHECK(d.nlevels == 7);
    CHECK_NEAR(d.g[1] - d.g[0], 1.20, 1e-9);
    CHECK_NEAR(d.g[3] - d.g[2], 0.40, 1e-9);
    CHECK_NEAR(d.g[6] - d.g[5], -0.56, 1e-9);
    CHECK_NEAR(r.limiting_potential, -1.20, 1e-9);
    CHECK(r.pds == 0);
    CHECK_NEAR(r.equilibrium_potential, 0.06, 1e-9);
    CHECK_NEAR(r.overpotential, 1.26, 1e-9);
    CHECK(!strcmp(d.reaction[2], "*NNH2 + H+ + e- -> *N + NH3"));
    /* a molecule the mechanism needs and the caller lacks is named (the first 5 values
     * hold no molecule; level 0 holds N2) */
    dp_fed_values v = {5, nn, gn};
    dp_error err = {0};
    CHECK(dp_fed_assemble(dp_fed_builtin("nrr_distal"), &v, -6.8, &d, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "needs molecule N2");
}

static void ph_shift(void)
{
    /* kT ln10 at 298.15 K = 8.617333262e-5 * 298.15 = 0.02569258 eV, * 2.302585093 =
     * 0.0591594 V per pH: pH 7 -> 0.414115 V; an ORR U_L of 0.80 V vs RHE is
     * 0.80 - 0.414115 = 0.385885 V vs SHE. */
    CHECK_NEAR(dp_che_ph_shift(298.15, 7), 0.414115, 2e-6);
    CHECK_NEAR(0.80 - dp_che_ph_shift(298.15, 7), 0.385885, 2e-6);
    CHECK_NEAR(dp_che_ph_shift(298.15, 0), 0.0, 0);
}

static void labels(void)
{
    char sym[8][4];
    int cnt[8];
    CHECK(dp_fed_label_formula("*OOH", sym, cnt, 8) == 2);
    CHECK(!strcmp(sym[0], "O") && cnt[0] == 2 && !strcmp(sym[1], "H") && cnt[1] == 1);
    CHECK(dp_fed_label_formula("*NH2*NH2", sym, cnt, 8) == 2);
    CHECK(cnt[0] == 2 && cnt[1] == 4);
    CHECK(dp_fed_label_formula("*", sym, cnt, 8) == 0);
    CHECK(dp_fed_label_formula("*top", sym, cnt, 8) == -1);
}

/* writes text to a temporary SPEC and reads it; returns the status, err filled */
static dp_status spec_text(const char *text, dp_error *err)
{
    char path[] = "/tmp/test_fed_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return DP_ERR_IO;
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    dp_fed_spec *s = NULL;
    dp_status st = dp_fed_spec_read(path, &s, err);
    dp_fed_spec_free(s);
    unlink(path);
    return st;
}

static void spec_files(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/fed/orr_4e.spec", TD);
    dp_fed_spec *s = NULL;
    dp_error err = {0};
    CHECK(dp_fed_spec_read(path, &s, &err) == DP_OK);
    if (s) {
        CHECK(s->nmol == 2 && s->ncat == 1 && s->cat[0].nstates == 4);
        CHECK(s->nmech == 2 && !strcmp(s->mech[1], "oer_4e"));
        CHECK(s->cat[0].states[3].corr.kind == DP_FED_CORR_NONE);
        CHECK(!strcmp(s->cat[0].states[3].label, "*OOH"));
        CHECK(!strcmp(s->cat[0].states[3].energy, "-114.10"));
    }
    dp_fed_spec_free(s);
    snprintf(path, sizeof path, "%s/fed/custom.spec", TD);
    CHECK(dp_fed_spec_read(path, &s, &err) == DP_OK);
    if (s) {
        const dp_fed_mechanism *m = dp_fed_spec_mechanism(s, "my_orr");
        CHECK(m && m->nlevels == 5 && m->direction == 1);
        CHECK(m && m->levels[4].terms[0].coef == 2);
    }
    dp_fed_spec_free(s);
    /* bad input: the file, the line and the problem */
    CHECK(spec_text("molecule H2 -6.8\nmolecule H2O -14.2\nmechanism orr_9e\ncatalyst a\n"
                    "state * -1\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: unknown mechanism \"orr_9e\"");
    CHECK(spec_text("custom c reduction\nlevel * pairs 0 with O2\nlevel *OOH pairs -1\n",
                    &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: negative (H+ + e-) count");
    CHECK(spec_text("custom c reduction\nlevel * pairs 2\nlevel *OOH pairs 1\ncatalyst a "
                    "mechanism c\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: custom c: level 2");
    CHECK(spec_text("mechanism her\ncatalyst a\nstate *H -1 zpe\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: \"zpe\" needs a value");
    CHECK(spec_text("mechanism her\nmolecule H2 -6.8\nbogus 1\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: unknown keyword \"bogus\"");
    CHECK(spec_text("mechanism her\nstate * -1\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 2: state outside a catalyst");
    CHECK(spec_text("mechanism her\ncatalyst a\nstate * \"-1\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: unterminated quote");
    CHECK(spec_text("mechanism her\ncatalyst a\nstate * -1 zpe 0.1 nocorr\n", &err) ==
          DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "line 3: give one kind of correction");
    CHECK(spec_text("mechanism her\n", &err) == DP_ERR_FORMAT);
    CHECK_STR_CONTAINS(err.msg, "no catalyst");
}

int main(int argc, char **argv)
{
    TD = argc > 1 ? argv[1] : "testdata";
    orr_oer_by_hand();
    her_2e_by_hand();
    co2rr_nrr_by_hand();
    ph_shift();
    labels();
    spec_files();
    return check_report();
}
