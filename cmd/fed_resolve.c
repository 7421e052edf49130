/* dftpost fed: from a SPEC to free energies and diagrams: reading the energies (numbers
 * or output files, via energy_input), the corrections (numbers, the shipped table, or
 * frequencies through thermo.h), the comparability and composition checks, and the CHE
 * analysis of each catalyst's mechanisms. */
#include "fed_cmd.h"
#include "modes_input.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- corrections from frequencies ----------------------------------------------- */

static int freq_corr(const dp_fed_corr *k, const energy_input *in, double T, dp_thermo *th,
                     char *msg, size_t size)
{
    vib_modes vm;
    dp_run *sr = NULL;
    double *ev = NULL;
    int rc = -1;
    dp_error err = {0};
    if (vib_modes_read(k->freq, true, &vm, msg, size))
        goto done;
    dp_mode_policy pol = {.cutoff = k->cutoff, .raise_imaginary = k->cutoff > 0};
    int nconsider = vm.n, nused = 0;
    gas_molecule gm = {.geometry = DP_GEOM_NONLINEAR};
    if (k->gas) {
        const dp_run *mol = NULL;
        if (k->structure[0]) {
            dp_read_opts ro = {.skip_dos = true};
            if (dp_read(k->structure, &ro, &sr, &err) != DP_OK) {
                snprintf(msg, size, "%s", err.msg);
                goto done;
            }
            mol = sr;
        } else if (vm.run && vm.run->natoms > 0 && vm.run->nframes > 0) {
            mol = vm.run;
        } else if (in->run && in->run->natoms > 0 && in->run->nframes > 0) {
            mol = in->run;
        }
        if (!mol || mol->natoms < 1 || mol->nframes < 1) {
            snprintf(msg, size, "%.700s: an ideal gas needs the molecule's geometry: give "
                     "\"structure FILE\" (or an energy file with a structure)", k->freq);
            goto done;
        }
        if (gas_molecule_of(mol, mol->path, false, &gm, msg, size))
            goto done;
        nconsider = dp_thermo_ideal_gas_nvib(mol->natoms, gm.geometry);
        if (vm.n < nconsider) {
            snprintf(msg, size, "%.700s: %d modes, but a molecule of %d atoms has %d vibrations",
                     k->freq, vm.n, mol->natoms, nconsider);
            goto done;
        }
        vib_modes_sort_desc(vm.mode, vm.n);
    }
    ev = vib_modes_energies(vm.mode, nconsider, &pol, &nused, NULL, NULL);
    if (!ev) {
        snprintf(msg, size, "out of memory");
        goto done;
    }
    if (nused == 0 && !(k->gas && nconsider == 0)) {
        snprintf(msg, size, "%.700s: no real vibrational modes", k->freq);
        goto done;
    }
    dp_status st = k->gas ? dp_thermo_ideal_gas(ev, nused, gm.geometry, gm.mass, gm.inertia,
                                                k->symmetry, k->spin, T, k->pressure, th, &err)
                          : dp_thermo_harmonic(ev, nused, T, th, &err);
    if (st) {
        snprintf(msg, size, "%.300s: %.600s", k->freq, err.msg);
        goto done;
    }
    rc = 0;
done:
    vib_modes_free(&vm);
    free(ev);
    dp_run_free(sr);
    return rc;
}

/* The correction G − E of one species: numbers, nocorr, frequencies, or the table. */
static int correction(const fed_run *run, const dp_fed_corr *k, const char *species,
                      const energy_input *in, fed_value *v, char *msg, size_t size)
{
    v->corr_missing = false;
    switch (k->kind) {
    case DP_FED_CORR_NONE:
        v->corr = 0;
        snprintf(v->corr_from, sizeof v->corr_from, "nocorr (SPEC)");
        return 0;
    case DP_FED_CORR_NUMBERS:
        if (!isnan(k->gcorr)) {
            v->corr = k->gcorr;
            snprintf(v->corr_from, sizeof v->corr_from, "SPEC: gcorr %g", k->gcorr);
        } else {
            v->corr = k->zpe + k->cp - k->ts;
            snprintf(v->corr_from, sizeof v->corr_from, "SPEC: zpe %g cp %g ts %g", k->zpe,
                     k->cp, k->ts);
        }
        return 0;
    case DP_FED_CORR_FREQ: {
        dp_thermo th;
        if (freq_corr(k, in, run->T, &th, msg, size))
            return -1;
        v->corr = th.g_corr;
        snprintf(v->corr_from, sizeof v->corr_from,
                 "%s model from %.200s at %g K: zpe %.4f cp %.4f ts %.4f", k->gas ? "ideal-gas"
                 : "harmonic", k->freq, run->T, th.zpe, th.cp_int, th.ts);
        return 0;
    }
    case DP_FED_CORR_DEFAULT:
    default: {
        const dp_fed_default *d = dp_fed_default_find(species);
        if (!d) {
            v->corr = 0;
            v->corr_missing = true;
            snprintf(v->corr_from, sizeof v->corr_from, "none: no correction in the SPEC or "
                     "the shipped table, 0 used");
            return 0;
        }
        v->corr = d->zpe + d->cp - d->ts;
        snprintf(v->corr_from, sizeof v->corr_from, "shipped table (%g K): zpe %g cp %g ts %g",
                 DP_FED_DEFAULTS_T, d->zpe, d->cp, d->ts);
        return 0;
    }
    }
}

static void print_run_warnings(const energy_input *in)
{
    if (!in->run)
        return;
    for (int i = 0; i < in->run->nwarnings; i++)
        fprintf(stderr, "dftpost fed: warning: %s\n", in->run->warnings[i]);
}

const fed_value *fed_molecule(const fed_run *run, const char *name)
{
    for (int i = 0; i < run->nmol; i++)
        if (!strcmp(run->mol[i].name, name))
            return &run->mol[i];
    return NULL;
}

static void need_molecule(const char *name, bool is_site, void *ud)
{
    if (is_site)
        return;
    fed_run *run = ud;
    if (fed_molecule(run, name) || dp_fed_spec_molecule(run->spec, name) ||
        !dp_fed_rule_find(name))
        return;
    fed_value *v = &run->mol[run->nmol++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    v->is_rule = true;
}

static int molecules_of_rule(const fed_run *run, int nterms, const dp_fed_term *t,
                             double offset, double *g)
{
    double s = offset;
    for (int i = 0; i < nterms; i++) {
        const fed_value *m = fed_molecule(run, t[i].name);
        if (!m || !m->ok)
            return -1;
        s += t[i].coef * m->g;
    }
    *g = s;
    return 0;
}

int fed_resolve_molecules(fed_run *run, char *msg, size_t size)
{
    const dp_fed_spec *s = run->spec;
    /* SPEC molecules, then the default rules of molecules the mechanisms need */
    int cap = s->nmol + dp_fed_rule_count() + 4;
    run->mol = calloc((size_t)cap, sizeof *run->mol);
    if (!run->mol) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    for (int i = 0; i < s->nmol; i++) {
        const dp_fed_molecule *m = &s->mol[i];
        fed_value *v = &run->mol[run->nmol++];
        snprintf(v->name, sizeof v->name, "%s", m->name);
        v->line = m->line;
        v->is_rule = m->is_rule;
        if (m->is_rule)
            continue;
        char why[1024];
        if (energy_input_read(m->energy, &v->in, why, sizeof why)) {
            snprintf(msg, size, "%s: line %d: molecule %s: %s", s->path, m->line, m->name, why);
            return -1;
        }
        print_run_warnings(&v->in);
        if (correction(run, &m->corr, m->name, &v->in, v, why, sizeof why)) {
            snprintf(msg, size, "%s: line %d: molecule %s: %s", s->path, m->line, m->name, why);
            return -1;
        }
        v->g = v->in.energy + v->corr;
        v->ok = true;
    }
    for (int c = 0; c < s->ncat; c++) {
        const dp_fed_catalyst *cat = &s->cat[c];
        int nm = cat->nmech ? cat->nmech : s->nmech;
        for (int k = 0; k < nm; k++) {
            const dp_fed_mechanism *m =
                dp_fed_spec_mechanism(s, cat->nmech ? cat->mech[k] : s->mech[k]);
            if (m)
                dp_fed_requirements(m, need_molecule, run);
        }
    }
    /* rules, in as many passes as they depend on each other */
    for (int pass = 0; pass <= run->nmol; pass++) {
        bool progress = false, left = false;
        for (int i = 0; i < run->nmol; i++) {
            fed_value *v = &run->mol[i];
            if (!v->is_rule || v->ok)
                continue;
            const dp_fed_molecule *sm = dp_fed_spec_molecule(s, v->name);
            const dp_fed_rule *dr = sm ? NULL : dp_fed_rule_find(v->name);
            int nt = sm ? sm->nterms : dr->nterms;
            if (molecules_of_rule(run, nt, sm ? sm->terms : dr->terms,
                                  sm ? sm->offset : dr->offset, &v->g)) {
                left = true;
                continue;
            }
            v->ok = progress = true;
            v->in.energy = NAN;
            v->in.kind = "rule";
            size_t len = 0;
            for (int t = 0; t < nt && len < sizeof v->corr_from - 64; t++) {
                const dp_fed_term *tt = sm ? &sm->terms[t] : &dr->terms[t];
                double cf = tt->coef;
                len += (size_t)snprintf(v->corr_from + len, sizeof v->corr_from - len,
                                        "%s%g*G(%s)", t ? (cf < 0 ? " - " : " + ")
                                                        : (cf < 0 ? "-" : ""),
                                        fabs(cf), tt->name);
            }
            double off = sm ? sm->offset : dr->offset;
            snprintf(v->corr_from + len, sizeof v->corr_from - len, " %s %g eV (%s)",
                     off < 0 ? "-" : "+", fabs(off), sm ? "SPEC rule" : "shipped rule");
        }
        if (!left)
            break;
        if (!progress) {
            for (int i = 0; i < run->nmol; i++)
                if (run->mol[i].is_rule && !run->mol[i].ok) {
                    const dp_fed_molecule *sm = dp_fed_spec_molecule(s, run->mol[i].name);
                    snprintf(msg, size, "%s: line %d: the rule of %s needs molecules that are "
                             "not given (or rules that refer to each other)", s->path,
                             sm ? sm->line : 0, run->mol[i].name);
                    return -1;
                }
        }
    }
    return 0;
}

/* ---- a catalyst ------------------------------------------------------------------- */

static fed_value *state_of(fed_catalyst *c, const char *label)
{
    for (int i = 0; i < c->nstates; i++)
        if (!strcmp(c->states[i].name, label))
            return &c->states[i];
    return NULL;
}

typedef struct {
    char *buf;
    size_t size;
    int n;
} report_ctx;

static void collect(const char *line, void *ud)
{
    report_ctx *r = ud;
    size_t len = strlen(r->buf);
    if (len + 8 < r->size)
        snprintf(r->buf + len, r->size - len, "%s%s", r->n++ ? " | " : "", line);
}

typedef struct {
    fed_catalyst *c;
    const fed_run *run;
    const dp_fed_mechanism *m;
    char *missing; /* first missing name, with what it is */
    size_t size;
} need_ctx;

static void need_check(const char *name, bool is_site, void *ud)
{
    need_ctx *n = ud;
    if (n->missing[0])
        return;
    if (is_site ? !state_of(n->c, name) : !fed_molecule(n->run, name))
        snprintf(n->missing, n->size, is_site ? "needs state %s, which is not given"
                                              : "needs molecule %s: add \"molecule %s "
                                                "ENERGY|FILE\" to the SPEC",
                 name, name);
}

static int count_of(const char *sym, char (*symbol)[4], const int *count, int n)
{
    for (int k = 0; k < n; k++)
        if (!strcmp(symbol[k], sym))
            return count[k];
    return 0;
}

/* The adsorbate of each state against the clean site "*": atoms added = the label's
 * formula. Returns -1 with a refusal in msg; fills c->composition with what could not be
 * checked. */
static int check_composition(fed_catalyst *c, char *msg, size_t size)
{
    const fed_value *clean = state_of(c, "*");
    if (!clean || !clean->in.run)
        return 0;
    char cs[16][4], ss[16][4], ls[16][4];
    int cc[16], sc[16], lc[16];
    if (clean->in.run->natoms < 1) {
        snprintf(c->composition, sizeof c->composition, "composition not checked: %.400s has "
                 "no structure", clean->in.source);
        return 0;
    }
    int nc = energy_input_composition(&clean->in, cs, cc, 16);
    for (int i = 0; i < c->nstates; i++) {
        const fed_value *v = &c->states[i];
        if (v == clean || !v->in.run)
            continue;
        if (v->in.run->natoms < 1) {
            snprintf(c->composition, sizeof c->composition, "composition not checked: %.400s "
                     "has no structure", v->in.source);
            continue;
        }
        int ns = energy_input_composition(&v->in, ss, sc, 16);
        int nl = dp_fed_label_formula(v->name, ls, lc, 16);
        if (nc < 0 || ns < 0 || nl < 0)
            continue; /* a label that is no formula (custom names) is not checked */
        /* every element of the three lists: state − clean must be the label's count */
        char all[48][4];
        int na = 0;
        for (int li = 0; li < 3; li++) {
            int n = li == 0 ? ns : li == 1 ? nc : nl;
            for (int e = 0; e < n; e++) {
                const char *sym = li == 0 ? ss[e] : li == 1 ? cs[e] : ls[e];
                int k = 0;
                while (k < na && strcmp(all[k], sym))
                    k++;
                if (k == na)
                    memcpy(all[na++], sym, 4);
            }
        }
        char what[256] = "";
        bool same = true;
        for (int e = 0; e < na; e++) {
            int a = count_of(all[e], ss, sc, ns), b = count_of(all[e], cs, cc, nc);
            same &= a - b == count_of(all[e], ls, lc, nl);
            if (a != b) {
                size_t len = strlen(what);
                snprintf(what + len, sizeof what - len, "%s%s%+d", len ? " " : "", all[e], a - b);
            }
        }
        if (!same) {
            snprintf(msg, size, "state %s: %s has atoms %s relative to %s, not the %s its "
                     "label says", v->name, v->in.source, what[0] ? what : "(none)",
                     clean->in.source, v->name + 1);
            return -1;
        }
    }
    return 0;
}

static void refuse(fed_catalyst *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refuse(fed_catalyst *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    c->status = FED_REFUSED;
}

void fed_resolve_catalyst(fed_run *run, const dp_fed_catalyst *cat, fed_catalyst *c)
{
    const dp_fed_spec *s = run->spec;
    memset(c, 0, sizeof *c);
    c->cat = cat;
    c->states = calloc((size_t)(cat->nstates ? cat->nstates : 1), sizeof *c->states);
    if (!c->states) {
        refuse(c, "%s: line %d: catalyst %s: out of memory", s->path, cat->line, cat->name);
        return;
    }
    char why[1024];
    for (int i = 0; i < cat->nstates; i++) {
        const dp_fed_state *st = &cat->states[i];
        fed_value *v = &c->states[c->nstates++];
        snprintf(v->name, sizeof v->name, "%s", st->label);
        v->line = st->line;
        if (energy_input_read(st->energy, &v->in, why, sizeof why)) {
            refuse(c, "%s: line %d: catalyst %s, state %s: %s", s->path, st->line, cat->name,
                   st->label, why);
            goto release;
        }
        print_run_warnings(&v->in);
        if (correction(run, &st->corr, st->label, &v->in, v, why, sizeof why)) {
            refuse(c, "%s: line %d: catalyst %s, state %s: %s", s->path, st->line, cat->name,
                   st->label, why);
            goto release;
        }
        v->g = v->in.energy + v->corr;
        v->ok = true;
    }
    /* every mechanism finds its states and molecules */
    int nm = cat->nmech ? cat->nmech : s->nmech;
    for (int k = 0; k < nm; k++) {
        const dp_fed_mechanism *m = dp_fed_spec_mechanism(s, cat->nmech ? cat->mech[k] : s->mech[k]);
        char missing[256] = "";
        need_ctx nc = {c, run, m, missing, sizeof missing};
        dp_fed_requirements(m, need_check, &nc);
        if (missing[0]) {
            refuse(c, "%s: line %d: catalyst %s: mechanism %s %s", s->path, cat->line,
                   cat->name, m->name, missing);
            goto release;
        }
        c->res[c->nres++].m = m;
    }
    /* comparability of every pair of runs whose energies are subtracted */
    {
        int nin = 0;
        const energy_input **in = malloc((size_t)(c->nstates + run->nmol + 1) * sizeof *in);
        if (!in) {
            refuse(c, "%s: line %d: catalyst %s: out of memory", s->path, cat->line, cat->name);
            goto release;
        }
        for (int i = 0; i < run->nmol; i++)
            if (run->mol[i].in.run)
                in[nin++] = &run->mol[i].in;
        for (int i = 0; i < c->nstates; i++)
            if (c->states[i].in.run)
                in[nin++] = &c->states[i].in;
        char diff[1536] = "";
        report_ctx rc = {diff, sizeof diff, 0};
        int nbad = energy_inputs_check(in, nin, collect, &rc);
        free(in);
        if (nbad > 0 && !run->allow_mixed) {
            refuse(c, "%s: line %d: catalyst %s: runs not comparable (%d pair%s): %s", s->path,
                   cat->line, cat->name, nbad, nbad > 1 ? "s" : "", diff);
            goto release;
        }
        if (nbad > 0) {
            c->status = FED_MIXED;
            snprintf(c->reason, sizeof c->reason, "%.200s: line %d: catalyst %.100s: runs not "
                     "comparable, used anyway (--allow-mixed): %s", s->path, cat->line,
                     cat->name, diff);
        }
    }
    if (check_composition(c, why, sizeof why)) {
        refuse(c, "%s: line %d: catalyst %s: %s", s->path, cat->line, cat->name, why);
        goto release;
    }
    /* the diagrams */
    {
        int nv = c->nstates + run->nmol;
        const char **names = malloc((size_t)nv * sizeof *names);
        double *g = malloc((size_t)nv * sizeof *g);
        if (!names || !g) {
            free(names);
            free(g);
            refuse(c, "%s: line %d: catalyst %s: out of memory", s->path, cat->line, cat->name);
            goto release;
        }
        int k = 0;
        for (int i = 0; i < c->nstates; i++)
            names[k] = c->states[i].name, g[k++] = c->states[i].g;
        for (int i = 0; i < run->nmol; i++)
            if (run->mol[i].ok)
                names[k] = run->mol[i].name, g[k++] = run->mol[i].g;
        dp_fed_values vals = {k, names, g};
        const fed_value *h2 = fed_molecule(run, "H2");
        for (int r = 0; r < c->nres; r++) {
            fed_result *res = &c->res[r];
            dp_error err = {0};
            if (dp_fed_assemble(res->m, &vals, h2->g, &res->d, &err) ||
                dp_che_analyse(res->d.g, res->d.n, res->d.nlevels, res->m->e0, &res->r, &err)) {
                snprintf(res->why, sizeof res->why, "%.500s", err.msg);
                continue;
            }
            res->ok = true;
            for (int st = 0; st + 1 < res->d.nlevels; st++) {
                double dg = res->d.g[st + 1] - res->d.g[st];
                if (res->d.n[st] == 0 && dg > 0 && !res->warn[0]) {
                    char w[sizeof res->warn]; /* not straight into res: gcc sees an overlap */
                    snprintf(w, sizeof w, "chemical step %d (%.300s) is uphill by %.3f eV at "
                             "every potential", st + 1, res->d.reaction[st], dg);
                    memcpy(res->warn, w, sizeof w);
                }
            }
        }
        free(names);
        free(g);
    }
release:
    /* the energies are kept; the runs are not needed any more */
    for (int i = 0; i < c->nstates; i++)
        energy_input_free(&c->states[i].in);
}

void fed_run_free(fed_run *run)
{
    for (int i = 0; i < run->ncat; i++)
        free(run->cat[i].states);
    free(run->cat);
    for (int i = 0; i < run->nmol; i++)
        energy_input_free(&run->mol[i].in);
    free(run->mol);
}
