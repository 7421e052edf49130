/* dftpost fed: the step table, the summary table, the defaults table and the metadata. */
#include "fed_cmd.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *status_name(const fed_catalyst *c, const fed_result *r)
{
    if (c->status == FED_REFUSED)
        return "refused";
    if (r && !r->ok)
        return "failed";
    return c->status == FED_MIXED ? "mixed" : "ok";
}

/* −0.0000 is a rounding artefact: print 0 */
static double z(double v) { return fabs(v) < 5e-13 ? 0.0 : v; }

static double u_rhe(const fed_run *run, double u) { return run->she ? u + run->shift : u; }

/* the row of a catalyst or mechanism without steps */
static void no_steps_row(table *t, const char *catalyst, const char *mechanism,
                         const char *status)
{
    table_str(t, catalyst);
    table_str(t, mechanism);
    table_int(t, 0);
    table_str(t, "");
    table_int(t, 0);
    table_num(t, NAN);
    table_num(t, NAN);
    table_num(t, NAN);
    table_str(t, status);
}

table *fed_steps_table(const fed_run *run)
{
    table *t = table_new("catalyst,mechanism,step,reaction,n,U,dG_0,dG_U,status");
    if (!t)
        return NULL;
    for (int i = 0; i < run->ncat; i++) {
        const fed_catalyst *c = &run->cat[i];
        if (c->status == FED_REFUSED) {
            no_steps_row(t, c->cat->name, "-", "refused");
            continue;
        }
        for (int r = 0; r < c->nres; r++) {
            const fed_result *res = &c->res[r];
            if (!res->ok) {
                no_steps_row(t, c->cat->name, res->m->name, "failed");
                continue;
            }
            for (int s = 0; s + 1 < res->d.nlevels; s++) {
                double dg0 = res->d.g[s + 1] - res->d.g[s];
                for (int k = 0; k < run->nu; k++) {
                    table_str(t, c->cat->name);
                    table_str(t, res->m->name);
                    table_int(t, s + 1);
                    table_str(t, res->d.reaction[s]);
                    table_int(t, res->d.n[s]);
                    table_num(t, run->u[k]);
                    table_fixed(t, z(dg0), 4);
                    table_fixed(t, z(dg0 + res->d.n[s] * u_rhe(run, run->u[k])), 4);
                    table_str(t, status_name(c, res));
                }
            }
        }
    }
    return t;
}

table *fed_summary_table(const fed_run *run)
{
    table *t = table_new("catalyst,mechanism,limiting_potential,limiting_potential_she,"
                         "overpotential,equilibrium_potential,pds,pds_reaction,dG_pds,"
                         "dG_total,status");
    if (!t)
        return NULL;
    for (int i = 0; i < run->ncat; i++) {
        const fed_catalyst *c = &run->cat[i];
        int n = c->status == FED_REFUSED ? 0 : c->nres;
        for (int r = 0; r < (n ? n : 1); r++) {
            const fed_result *res = n ? &c->res[r] : NULL;
            bool ok = res && res->ok;
            table_str(t, c->cat->name);
            table_str(t, res ? res->m->name : "-");
            table_fixed(t, ok ? z(res->r.limiting_potential) : NAN, 4);
            table_fixed(t, ok ? z(res->r.limiting_potential - run->shift) : NAN, 4);
            table_fixed(t, ok ? z(res->r.overpotential) : NAN, 4);
            table_fixed(t, ok ? z(res->r.equilibrium_potential) : NAN, 4);
            table_int(t, ok ? res->r.pds + 1 : 0);
            table_str(t, ok ? res->d.reaction[res->r.pds] : "");
            table_fixed(t, ok ? z(res->d.g[res->r.pds + 1] - res->d.g[res->r.pds]) : NAN, 4);
            table_fixed(t, ok ? z(res->r.dg_total) : NAN, 4);
            table_str(t, status_name(c, res));
        }
    }
    return t;
}

table *fed_defaults_table(void)
{
    table *t = table_new("species,kind,phase,zpe,cp,ts,g_corr,rule,source");
    if (!t)
        return NULL;
    table_meta(t, "dftpost fed --defaults: the corrections and reference rules used when a "
               "SPEC gives none; eV, at %g K; G = E + zpe + cp - ts", DP_FED_DEFAULTS_T);
    for (int i = 0; i < dp_fed_default_count(); i++) {
        const dp_fed_default *d = dp_fed_default_at(i);
        table_str(t, d->species);
        table_str(t, "correction");
        table_str(t, d->phase);
        table_num(t, d->zpe);
        table_num(t, d->cp);
        table_num(t, d->ts);
        table_num(t, d->zpe + d->cp - d->ts);
        table_str(t, "");
        table_str(t, d->source);
    }
    for (int i = 0; i < dp_fed_rule_count(); i++) {
        const dp_fed_rule *r = dp_fed_rule_at(i);
        char rule[160];
        size_t len = 0;
        for (int k = 0; k < r->nterms; k++)
            len += (size_t)snprintf(rule + len, sizeof rule - len, "%s%g*%s", k ? " " : "",
                                    r->terms[k].coef, r->terms[k].name);
        snprintf(rule + len, sizeof rule - len, " %+g", r->offset);
        table_str(t, r->species);
        table_str(t, "rule");
        table_str(t, "reference");
        table_num(t, NAN);
        table_num(t, NAN);
        table_num(t, NAN);
        table_num(t, NAN);
        table_str(t, rule);
        table_str(t, r->source);
    }
    return t;
}

static void mechanisms_meta(const fed_run *run, table *t)
{
    const char *done[64];
    int nd = 0;
    for (int i = 0; i < run->ncat; i++)
        for (int r = 0; r < run->cat[i].nres; r++) {
            const dp_fed_mechanism *m = run->cat[i].res[r].m;
            int k = 0;
            while (k < nd && strcmp(done[k], m->name))
                k++;
            if (k < nd || nd == 64)
                continue;
            done[nd++] = m->name;
            table_meta(t, "mechanism %s: %s (%s)", m->name, m->title,
                       m->direction > 0 ? "reduction" : "oxidation");
        }
}

/* corrections: the table rows once per species, the SPEC's per catalyst and state */
static void corrections_meta(const fed_run *run, table *t)
{
    char done[64][DP_FED_NAME];
    int nd = 0;
    for (int i = 0; i < run->ncat; i++) {
        const fed_catalyst *c = &run->cat[i];
        for (int s = 0; s < c->nstates; s++) {
            const fed_value *v = &c->states[s];
            if (!v->ok)
                continue;
            const dp_fed_state *st = &c->cat->states[s];
            if (st->corr.kind != DP_FED_CORR_DEFAULT) {
                table_meta(t, "correction %s %s: %+.4f eV (%s, line %d)", c->cat->name, v->name,
                           v->corr, v->corr_from, v->line);
                continue;
            }
            int k = 0;
            while (k < nd && strcmp(done[k], v->name))
                k++;
            if (k < nd || nd == 64)
                continue;
            snprintf(done[nd++], DP_FED_NAME, "%s", v->name);
            const dp_fed_default *d = dp_fed_default_find(v->name);
            table_meta(t, "correction %s: %+.4f eV (%s%s%s)", v->name, v->corr, v->corr_from,
                       d ? "; " : "", d ? d->source : "");
        }
    }
}

void fed_metadata(const fed_run *run, table *t)
{
    table_meta(t, "dftpost fed %s", run->spec->path);
    table_meta(t, "energies in eV, potentials in V; G = E + correction (E of a file: its last "
               "complete ionic step, VASP e_sigma0, Quantum ESPRESSO e_free; or the number "
               "given); (H+ + e-) = 1/2 G(H2) - eU_RHE "
               "(computational hydrogen electrode, Norskov et al., J. Phys. Chem. B 108, "
               "17886 (2004))");
    table_meta(t, "dG_0: step free energy at U_RHE = 0; dG_U = dG_0 + n*U_RHE (n > 0: pairs "
               "consumed, reduction; n < 0: released, oxidation; n = 0: chemical step)");
    char us[1024];
    size_t len = 0;
    for (int k = 0; k < run->nu && len + 32 < sizeof us; k++)
        len += (size_t)snprintf(us + len, sizeof us - len, "%s%g", k ? "," : "", run->u[k]);
    table_meta(t, "T = %g K; pH = %g; U = %s V vs %s%s", run->T, run->ph, us,
               run->she ? "SHE" : "RHE", run->she ? " (U_RHE = U_SHE + kT ln10 pH)" : "");
    table_meta(t, "kT ln10 pH = %.6f V: limiting_potential_she = limiting_potential - %.6f",
               run->shift, run->shift);
    mechanisms_meta(run, t);
    for (int i = 0; i < run->nmol; i++) {
        const fed_value *v = &run->mol[i];
        if (!v->ok)
            continue;
        if (v->is_rule)
            table_meta(t, "reference %s: G = %.6f eV by rule: G(%s) = %s", v->name, v->g,
                       v->name, v->corr_from);
        else
            table_meta(t, "reference %s: G = %.6f eV = E %.6f (%s: %s) %+.4f (%s)", v->name,
                       v->g, v->in.energy, v->in.kind, v->in.source, v->corr, v->corr_from);
    }
    const fed_value *o2 = fed_molecule(run, "O2"), *h2 = fed_molecule(run, "H2"),
                    *h2o = fed_molecule(run, "H2O");
    if (o2 && !o2->is_rule && o2->ok && h2 && h2->ok && h2o && h2o->ok)
        table_meta(t, "O2 check: G(O2) + 2 G(H2) - 2 G(H2O) = %.4f eV with this O2 (the "
                   "experimental 4.92 eV gives the CHE's O2 rule)",
                   o2->g + 2 * h2->g - 2 * h2o->g);
    corrections_meta(run, t);
    int nok = run->ncat - run->nrefused;
    table_meta(t, "comparability: %d catalyst%s, %d computed, %d refused, %d mixed "
               "(allowed by --allow-mixed)", run->ncat, run->ncat == 1 ? "" : "s", nok,
               run->nrefused, run->nmixed);
    for (int i = 0; i < run->ncat; i++) {
        const fed_catalyst *c = &run->cat[i];
        if (c->status == FED_REFUSED)
            table_meta(t, "refused %s: %s", c->cat->name, c->reason);
        else if (c->status == FED_MIXED)
            table_meta(t, "warning mixed %s: %s", c->cat->name, c->reason);
        if (c->composition[0])
            table_meta(t, "warning %s: %s", c->cat->name, c->composition);
        for (int r = 0; r < c->nres; r++) {
            if (c->res[r].warn[0])
                table_meta(t, "warning %s %s: %s", c->cat->name, c->res[r].m->name,
                           c->res[r].warn);
            if (c->status != FED_REFUSED && !c->res[r].ok)
                table_meta(t, "failed %s %s: %s", c->cat->name, c->res[r].m->name,
                           c->res[r].why);
        }
        for (int s = 0; s < c->nstates; s++)
            if (c->states[s].corr_missing)
                table_meta(t, "warning %s %s: no correction (SPEC or shipped table): 0 used",
                           c->cat->name, c->states[s].name);
    }
}
