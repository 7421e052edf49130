/* Free-energy diagrams: the built-in mechanisms and the assembly of level free energies
 * (conventions in fed.h). */
#include "fed.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define L0(site, p) {site, p, 0, {{"", 0}}}
#define L1(site, p, a, ca) {site, p, 1, {{a, ca}}}
#define L2(site, p, a, ca, b, cb) {site, p, 2, {{a, ca}, {b, cb}}}

/* Each mechanism runs from its reactants to its products; the molecules a level holds are
 * those not yet consumed plus those already released. */
static const dp_fed_mechanism BUILTIN[] = {
    {"her", "HER, Volmer-Heyrovsky: * -> *H -> * + H2 (U_L = -|dG_H|)", +1, NAN, 3,
     {L0("*", 0), L0("*H", 1), L1("*", 2, "H2", 1)}},
    {"orr_4e", "4e ORR, associative: O2 -> *OOH -> *O -> *OH -> H2O", +1, NAN, 5,
     {L1("*", 0, "O2", 1), L0("*OOH", 1), L1("*O", 2, "H2O", 1), L1("*OH", 3, "H2O", 1),
      L1("*", 4, "H2O", 2)}},
    {"oer_4e", "4e OER: H2O -> *OH -> *O -> *OOH -> O2", -1, NAN, 5,
     {L1("*", 0, "H2O", 2), L1("*OH", 1, "H2O", 1), L1("*O", 2, "H2O", 1), L0("*OOH", 3),
      L1("*", 4, "O2", 1)}},
    /* Nørskov 2004's dissociative mechanism, per O atom: 1/2 O2 + * -> *O (chemical),
     * *O -> *OH -> H2O. */
    {"orr_4e_dissociative", "4e ORR, dissociative (per O atom): 1/2 O2 -> *O -> *OH -> H2O",
     +1, NAN, 4,
     {L1("*", 0, "O2", 0.5), L0("*O", 0), L0("*OH", 1), L1("*", 2, "H2O", 1)}},
    {"orr_2e", "2e ORR to H2O2: O2 -> *OOH -> H2O2", +1, NAN, 3,
     {L1("*", 0, "O2", 1), L0("*OOH", 1), L1("*", 2, "H2O2", 1)}},
    {"co2rr_co", "CO2RR to CO: CO2 -> *COOH -> *CO -> CO", +1, NAN, 4,
     {L1("*", 0, "CO2", 1), L0("*COOH", 1), L1("*CO", 2, "H2O", 1),
      L2("*", 2, "CO", 1, "H2O", 1)}},
    {"co2rr_hcooh", "CO2RR to HCOOH via formate: CO2 -> *OCHO -> HCOOH", +1, NAN, 3,
     {L1("*", 0, "CO2", 1), L0("*OCHO", 1), L1("*", 2, "HCOOH", 1)}},
    {"nrr_distal", "NRR, distal (end-on): N2 -> *NNH -> *NNH2 -> *N -> *NH -> *NH2 -> NH3",
     +1, NAN, 7,
     {L1("*", 0, "N2", 1), L0("*NNH", 1), L0("*NNH2", 2), L1("*N", 3, "NH3", 1),
      L1("*NH", 4, "NH3", 1), L1("*NH2", 5, "NH3", 1), L1("*", 6, "NH3", 2)}},
    {"nrr_alternating",
     "NRR, alternating (end-on): N2 -> *NNH -> *NHNH -> *NHNH2 -> *NH2NH2 -> *NH2 -> NH3",
     +1, NAN, 7,
     {L1("*", 0, "N2", 1), L0("*NNH", 1), L0("*NHNH", 2), L0("*NHNH2", 3),
      L0("*NH2NH2", 4), L1("*NH2", 5, "NH3", 1), L1("*", 6, "NH3", 2)}},
    {"nrr_enzymatic",
     "NRR, enzymatic (side-on): N2 -> *N*N -> *N*NH -> *NH*NH -> *NH*NH2 -> *NH2*NH2 -> NH3",
     +1, NAN, 8,
     {L1("*", 0, "N2", 1), L0("*N*N", 0), L0("*N*NH", 1), L0("*NH*NH", 2),
      L0("*NH*NH2", 3), L0("*NH2*NH2", 4), L1("*NH2", 5, "NH3", 1), L1("*", 6, "NH3", 2)}},
};

int dp_fed_builtin_count(void) { return (int)(sizeof BUILTIN / sizeof BUILTIN[0]); }

const dp_fed_mechanism *dp_fed_builtin_at(int i)
{
    return i >= 0 && i < dp_fed_builtin_count() ? &BUILTIN[i] : NULL;
}

const dp_fed_mechanism *dp_fed_builtin(const char *name)
{
    for (int i = 0; i < dp_fed_builtin_count(); i++)
        if (!strcmp(BUILTIN[i].name, name))
            return &BUILTIN[i];
    return NULL;
}

void dp_fed_requirements(const dp_fed_mechanism *m,
                         void (*need)(const char *name, bool is_site, void *ud), void *ud)
{
    /* distinct names in order of first use: a small quadratic scan (≤ 24 levels) */
    const char *seen[DP_FED_MAX_LEVELS * (DP_FED_MAX_TERMS + 1) + 1];
    int nseen = 0;
    seen[nseen++] = "H2";
    need("H2", false, ud);
    for (int k = 0; k < m->nlevels; k++) {
        const dp_fed_level *l = &m->levels[k];
        for (int t = -1; t < l->nterms; t++) {
            const char *name = t < 0 ? l->site : l->terms[t].name;
            if (t < 0 && !strcmp(name, "-"))
                continue;
            int s = 0;
            while (s < nseen && strcmp(seen[s], name))
                s++;
            if (s < nseen)
                continue;
            seen[nseen++] = name;
            need(name, t < 0, ud);
        }
    }
}

static bool lookup(const dp_fed_values *v, const char *name, double *g)
{
    for (int i = 0; i < v->n; i++)
        if (!strcmp(v->name[i], name)) {
            *g = v->g[i];
            return true;
        }
    return false;
}

dp_status dp_fed_assemble(const dp_fed_mechanism *m, const dp_fed_values *values, double g_h2,
                          dp_fed_diagram *d, dp_error *err)
{
    char msg[256];
    if (dp_fed_mechanism_check(m, msg, sizeof msg))
        return dp_fail(err, DP_ERR_USAGE, "mechanism %s: %s", m->name, msg);
    memset(d, 0, sizeof *d);
    d->nlevels = m->nlevels;
    double g0 = 0;
    for (int k = 0; k < m->nlevels; k++) {
        const dp_fed_level *l = &m->levels[k];
        double g = 0, x;
        if (strcmp(l->site, "-")) {
            if (!lookup(values, l->site, &x))
                return dp_fail(err, DP_ERR_USAGE, "mechanism %s needs state %s", m->name,
                               l->site);
            g += x;
        }
        for (int t = 0; t < l->nterms; t++) {
            if (!lookup(values, l->terms[t].name, &x))
                return dp_fail(err, DP_ERR_USAGE, "mechanism %s needs molecule %s", m->name,
                               l->terms[t].name);
            g += l->terms[t].coef * x;
        }
        g -= m->direction * l->pairs * 0.5 * g_h2;
        if (k == 0)
            g0 = g;
        d->g[k] = g - g0;
        if (k + 1 < m->nlevels) {
            d->n[k] = m->direction * (int)lround(m->levels[k + 1].pairs - l->pairs);
            dp_fed_reaction(m, k, d->reaction[k], sizeof d->reaction[k]);
        }
    }
    return DP_OK;
}

/* appends " + " separated species to buf */
static void add_species(char *buf, size_t size, bool *first, double coef, const char *name)
{
    size_t len = strlen(buf);
    if (len + 1 >= size)
        return;
    char c[32] = "";
    if (fabs(coef - 1) > 1e-9)
        snprintf(c, sizeof c, "%g ", coef);
    snprintf(buf + len, size - len, "%s%s%s", *first ? "" : " + ", c, name);
    *first = false;
}

static double level_coef(const dp_fed_level *l, const char *name)
{
    for (int t = 0; t < l->nterms; t++)
        if (!strcmp(l->terms[t].name, name))
            return l->terms[t].coef;
    return 0;
}

/* one side of a step: the site, the molecules whose coefficient drops from a to b (the
 * reactants) or rises, and the pairs when they are on this side */
static void side(const dp_fed_level *a, const dp_fed_level *b, int pairs, char *buf,
                 size_t size)
{
    bool first = true;
    buf[0] = '\0';
    if (strcmp(a->site, "-"))
        add_species(buf, size, &first, 1, a->site);
    for (int t = 0; t < a->nterms; t++) {
        double d = a->terms[t].coef - level_coef(b, a->terms[t].name);
        if (d > 1e-9)
            add_species(buf, size, &first, d, a->terms[t].name);
    }
    if (pairs == 1) {
        add_species(buf, size, &first, 1, "H+ + e-");
    } else if (pairs > 1) {
        char p[48];
        snprintf(p, sizeof p, "%d H+ + %d e-", pairs, pairs);
        add_species(buf, size, &first, 1, p);
    }
    if (first)
        snprintf(buf, size, "(nothing)");
}

void dp_fed_reaction(const dp_fed_mechanism *m, int k, char *buf, size_t size)
{
    const dp_fed_level *a = &m->levels[k], *b = &m->levels[k + 1];
    int p = (int)lround(b->pairs - a->pairs);
    char left[96], right[96];
    side(a, b, m->direction > 0 ? p : 0, left, sizeof left);
    side(b, a, m->direction < 0 ? p : 0, right, sizeof right);
    snprintf(buf, size, "%s -> %s", left, right);
}

int dp_fed_mechanism_check(const dp_fed_mechanism *m, char *msg, size_t size)
{
    if (m->nlevels < 2) {
        snprintf(msg, size, "needs at least 2 levels, has %d", m->nlevels);
        return -1;
    }
    if (m->direction != 1 && m->direction != -1) {
        snprintf(msg, size, "direction must be reduction or oxidation");
        return -1;
    }
    bool electro = false;
    for (int k = 0; k < m->nlevels; k++) {
        const dp_fed_level *l = &m->levels[k];
        if (!(l->pairs >= 0) || !isfinite(l->pairs)) {
            snprintf(msg, size, "level %d: negative (H+ + e-) count %g", k + 1, l->pairs);
            return -1;
        }
        for (int t = 0; t < l->nterms; t++)
            if (!(l->terms[t].coef > 0)) {
                snprintf(msg, size, "level %d: molecule %s needs a positive coefficient",
                         k + 1, l->terms[t].name);
                return -1;
            }
        if (k == 0)
            continue;
        double d = l->pairs - m->levels[k - 1].pairs;
        if (d < 0) {
            snprintf(msg, size, "level %d: (H+ + e-) count %g is below the previous level's "
                     "%g (counts are cumulative from the first level)", k + 1, l->pairs,
                     m->levels[k - 1].pairs);
            return -1;
        }
        if (fabs(d - round(d)) > 1e-9) {
            snprintf(msg, size, "level %d: step from level %d transfers %g pairs, not a whole "
                     "number", k + 1, k, d);
            return -1;
        }
        electro |= d > 0.5;
    }
    if (!electro) {
        snprintf(msg, size, "no electrochemical step (every (H+ + e-) count is equal)");
        return -1;
    }
    return 0;
}

int dp_fed_label_formula(const char *label, char (*symbol)[4], int *count, int max)
{
    int n = 0;
    const char *p = label;
    while (*p) {
        if (*p == '*') {
            p++;
            continue;
        }
        if (!isupper((unsigned char)*p))
            return -1;
        char sym[4] = {*p++, 0, 0, 0};
        if (islower((unsigned char)*p))
            sym[1] = *p++;
        int c = 0;
        while (isdigit((unsigned char)*p) && c < 1000)
            c = 10 * c + (*p++ - '0');
        if (c == 0)
            c = 1;
        int k = 0;
        while (k < n && strcmp(symbol[k], sym))
            k++;
        if (k == n) {
            if (n == max)
                return -1;
            memcpy(symbol[n], sym, 4);
            count[n++] = 0;
        }
        count[k] += c;
    }
    return n;
}
