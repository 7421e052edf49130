#include "energy_input.h"
#include "../analysis/comparable.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(x))
        return false;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return false;
    *v = x;
    return true;
}

const char *energy_input_code(const dp_run *r)
{
    const char *c = dp_run_setting(r, "CODE");
    if (c)
        return c;
    if (!strncasecmp(r->program, "vasp", 4))
        return "VASP";
    if (strstr(r->program, "pw") || strstr(r->program, "espresso") || strstr(r->program, "QE"))
        return "QE";
    return r->program;
}

int energy_input_read(const char *arg, energy_input *e, char *msg, size_t size)
{
    return energy_input_read_as(arg, ENERGY_USUAL, e, msg, size);
}

int energy_input_read_as(const char *arg, energy_choice choice, energy_input *e, char *msg,
                         size_t size)
{
    memset(e, 0, sizeof *e);
    snprintf(e->source, sizeof e->source, "%s", arg);
    if (parse_number(arg, &e->energy)) {
        e->kind = "given";
        return 0;
    }
    dp_read_opts opts = {.skip_dos = true, .grid_total_only = true};
    dp_error err = {0};
    if (dp_read(arg, &opts, &e->run, &err) != DP_OK) {
        snprintf(msg, size, "%s", err.msg);
        return -1;
    }
    dp_run *r = e->run;
    if (r->nsteps < 1) {
        snprintf(msg, size, "%s: no complete energy in the file%s%s", arg,
                 r->status.missing[0] ? " (missing: " : "", r->status.missing[0] ? r->status.missing : "");
        if (r->status.missing[0])
            strncat(msg, ")", size - strlen(msg) - 1);
        energy_input_free(e);
        return -1;
    }
    const dp_energies *last = &r->energies[r->nsteps - 1];
    if (choice == ENERGY_USUAL)
        choice = strcmp(energy_input_code(r), "QE") ? ENERGY_SIGMA0 : ENERGY_FREE;
    bool free_first = choice == ENERGY_FREE;
    e->energy = free_first ? last->e_free : last->e_sigma0;
    e->kind = free_first ? "e_free" : "e_sigma0";
    if (!isfinite(e->energy)) {
        e->energy = free_first ? last->e_sigma0 : last->e_free;
        e->kind = free_first ? "e_sigma0" : "e_free";
    }
    if (!isfinite(e->energy)) {
        snprintf(msg, size, "%s: the last ionic step has no finite energy", arg);
        energy_input_free(e);
        return -1;
    }
    if (!r->status.complete)
        dp_run_warn(r, "%s: the run ended early (%s); using its last complete step (%d)", arg,
                    r->status.missing[0] ? r->status.missing : "cut", r->nsteps);
    else if (r->status.converged < 0)
        dp_run_warn(r, "%s: the run did not converge; using its last step", arg);
    return 0;
}

void energy_input_free(energy_input *e)
{
    if (e->run)
        dp_run_free(e->run);
    e->run = NULL;
}

int energy_input_composition(const energy_input *e, char (*symbol)[4], int *count, int max)
{
    if (!e->run)
        return 0;
    int n = 0;
    for (int t = 0; t < e->run->ntypes; t++) {
        const dp_species *s = &e->run->species[t];
        int k = 0;
        while (k < n && strcmp(symbol[k], s->symbol))
            k++;
        if (k == n) {
            if (n == max)
                return -1;
            snprintf(symbol[n], sizeof symbol[n], "%s", s->symbol);
            count[n++] = 0;
        }
        count[k] += s->count;
    }
    return n;
}

int energy_inputs_check(const energy_input *const *inputs, int n,
                        void (*report)(const char *line, void *ud), void *ud)
{
    int bad = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (!inputs[i]->run || !inputs[j]->run)
                continue;
            char what[512], line[3072];
            const char *ca = energy_input_code(inputs[i]->run), *cb = energy_input_code(inputs[j]->run);
            int differ = dp_runs_differ(inputs[i]->run, inputs[j]->run, what, sizeof what);
            bool both_state_code = dp_run_setting(inputs[i]->run, "CODE") &&
                                   dp_run_setting(inputs[j]->run, "CODE");
            if (!both_state_code && ca[0] && cb[0] && strcmp(ca, cb)) {
                size_t len = strlen(what);
                snprintf(what + len, sizeof what - len, "%sCODE: %s vs %s", len ? "; " : "", ca, cb);
                differ++;
            }
            if (differ == 0)
                continue;
            bad++;
            snprintf(line, sizeof line, "%s vs %s: %s", inputs[i]->source, inputs[j]->source, what);
            if (report)
                report(line, ud);
        }
    return bad;
}
