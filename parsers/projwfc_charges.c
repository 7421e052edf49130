/* projwfc.x reader: its standard output: the version, the run's prefix ("Reading xml
 * data from directory: …/PREFIX.save"), the state list (one entry per wavefunction)
 * and the last block of Löwdin charges with its spilling parameter. */
#include "projwfc_reader.h"

static dp_status grow_charges(ps *s, int atom)
{
    dp_charges *c = &s->run->charges;
    if (atom <= s->lowdin_atoms)
        return DP_OK;
    if (atom <= s->charges_cap)
        goto fill;
    int n = atom < 2 * s->charges_cap ? 2 * s->charges_cap : atom;
    double *t = realloc(c->total, (size_t)n * sizeof *t);
    if (t)
        c->total = t;
    double *o = realloc(c->orb, (size_t)n * 4 * sizeof *o);
    if (o)
        c->orb = o;
    double *u = realloc(c->up, (size_t)n * sizeof *u);
    if (u)
        c->up = u;
    double *d = realloc(c->down, (size_t)n * sizeof *d);
    if (d)
        c->down = d;
    if (!t || !o || !u || !d)
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->stdout_path);
    s->charges_cap = n;
fill:
    for (int a = s->lowdin_atoms; a < atom; a++) {
        c->total[a] = c->up[a] = c->down[a] = NAN;
        for (int k = 0; k < 4; k++)
            c->orb[a * 4 + k] = NAN;
    }
    s->lowdin_atoms = atom;
    return DP_OK;
}

/* One line of the Lowdin block ("Atom #  1: total charge = 7.8, s = 0.5, …",
 * "spin up = 5.1, d = …", "polarization = …"). */
static dp_status lowdin_line(ps *s, const char *line, int *atom, bool *spin_seen)
{
    const char *p = line + strspn(line, " \t");
    if (!strncmp(p, "Atom #", 6)) {
        char *end;
        long a = strtol(p + 6, &end, 10);
        /* QE lists the atoms in order: a jump is a corrupt line (and no huge arrays) */
        if (end == p + 6 || *end != ':' || a < 1 || a > s->lowdin_atoms + 1)
            return DP_OK;
        *atom = (int)a;
        if (grow_charges(s, *atom))
            return s->err->code;
        p = end + 1;
    } else if (strncmp(p, "spin", 4) && strncmp(p, "polarization", 12)) {
        return DP_OK;
    }
    if (*atom < 1)
        return DP_OK;
    dp_charges *c = &s->run->charges;
    int a = *atom - 1;
    int kind = 0; /* 0 total, 1 up, 2 down, 3 polarization */
    for (const char *seg = p; seg && *seg;) {
        const char *eq = strchr(seg, '=');
        const char *comma = strchr(seg, ',');
        if (!eq || (comma && comma < eq))
            break;
        char key[32];
        size_t kl = (size_t)(eq - seg);
        while (kl && isspace((unsigned char)seg[kl - 1]))
            kl--;
        while (kl && isspace((unsigned char)*seg))
            seg++, kl--;
        snprintf(key, sizeof key, "%.*s", (int)(kl < sizeof key ? kl : sizeof key - 1), seg);
        char *end;
        double v = strtod(eq + 1, &end);
        if (end != eq + 1) {
            if (!strcmp(key, "total charge"))
                kind = 0, c->total[a] = v;
            else if (!strncmp(key, "spin up", 7))
                kind = 1, c->up[a] = v, *spin_seen = true;
            else if (!strncmp(key, "spin down", 9))
                kind = 2, c->down[a] = v, *spin_seen = true;
            else if (!strcmp(key, "polarization"))
                kind = 3;
            else if (kind == 0 && strlen(key) == 1 && strchr("spdf", key[0]))
                c->orb[a * 4 + (int)(strchr("spdf", key[0]) - "spdf")] = v;
        }
        seg = comma ? comma + 1 : NULL;
    }
    return DP_OK;
}

static dp_status add_state(ps *s, const state *st)
{
    if (s->nstates == s->states_cap) {
        int nc = s->states_cap ? s->states_cap * 2 : 64;
        state *n = realloc(s->states, (size_t)nc * sizeof *n);
        if (!n)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->stdout_path);
        s->states = n, s->states_cap = nc;
    }
    /* one entry per wavefunction (the m lines repeat it) */
    if (s->nstates) {
        const state *last = &s->states[s->nstates - 1];
        if (last->atom == st->atom && last->wfc == st->wfc && last->j2 == st->j2)
            return DP_OK;
    }
    s->states[s->nstates++] = *st;
    if (st->atom > s->max_state_atom)
        s->max_state_atom = st->atom;
    return DP_OK;
}

dp_status pj_read_stdout(ps *s)
{
    reader r;
    dp_status st = pj_open_reader(&r, s->stdout_path, s->err);
    if (st)
        return st;
    dp_run *run = s->run;
    bool in_lowdin = false, spin_seen = false, want_dir = false;
    int atom = 0, rc;
    double spill_sum = 0;
    int spill_n = 0;
    while ((rc = pj_get_line(&r, s->err)) == 1) {
        const char *p = r.buf + strspn(r.buf, " \t");
        if (want_dir && *p) {
            want_dir = false;
            char tmp[1024];
            snprintf(tmp, sizeof tmp, "%s", p);
            size_t n = strlen(tmp);
            while (n && (tmp[n - 1] == '/' || isspace((unsigned char)tmp[n - 1])))
                tmp[--n] = '\0';
            if (n > 5 && !strcmp(tmp + n - 5, ".save")) {
                tmp[n - 5] = '\0';
                snprintf(s->xml_prefix, sizeof s->xml_prefix, "%s", dp_path_base(tmp));
            }
            continue;
        }
        if (!strncmp(p, "Program PROJWFC", 15)) {
            const char *v = strstr(p, " v.");
            if (v)
                sscanf(v + 3, "%63s", run->version);
        } else if (strstr(p, "data from directory:")) {
            want_dir = true;
        } else if (!strncmp(p, "state #", 7)) {
            state stt = {.j2 = -1};
            char label[16] = "";
            int used = 0;
            if (sscanf(p, "state #%*d: atom %d (%15[^)]), wfc %d (l=%d%n", &stt.atom, label,
                       &stt.wfc, &stt.l, &used) == 4 && stt.atom >= s->max_state_atom &&
                stt.atom >= 1 && stt.atom <= s->max_state_atom + 1 &&
                stt.l >= 0 && stt.l <= 3) {
                double j;
                if (sscanf(p + used, " j=%lf", &j) == 1)
                    stt.j2 = (int)lround(2 * j);
                char *e = label + strlen(label);
                while (e > label && isspace((unsigned char)e[-1]))
                    *--e = '\0';
                snprintf(stt.label, sizeof stt.label, "%s", label + strspn(label, " "));
                if ((st = add_state(s, &stt)))
                    break;
            }
        } else if (!strncmp(p, "Lowdin Charges:", 15)) {
            in_lowdin = true;
            spin_seen = false;
            s->lowdin_done = false;
            atom = 0;
            for (int a = 0; a < s->lowdin_atoms; a++) {
                run->charges.total[a] = run->charges.up[a] = run->charges.down[a] = NAN;
                for (int k = 0; k < 4; k++)
                    run->charges.orb[a * 4 + k] = NAN;
            }
            spill_sum = 0, spill_n = 0;
        } else if (!strncmp(p, "Spilling Parameter", 18)) {
            double v[8];
            long ovf = 0;
            const char *q = strchr(p, ':');
            int n = q ? dp_text_line_numbers_short(q + 1, v, 8, &ovf, MAX_TOKEN) : -1;
            for (int k = 0; k < n && k < 8; k++)
                spill_sum += v[k], spill_n++;
            in_lowdin = false;
            s->lowdin_done = true;
        } else if (in_lowdin) {
            if ((st = lowdin_line(s, r.buf, &atom, &spin_seen)))
                break;
        } else if (strstr(p, "JOB DONE") || strstr(p, "This run was terminated")) {
            s->stdout_complete = true;
        }
    }
    if (rc < 0)
        st = s->err->code;
    gzclose(r.f);
    if (st)
        return st;
    dp_charges *c = &run->charges;
    if (s->lowdin_atoms > 0) {
        snprintf(c->method, sizeof c->method, "Lowdin");
        c->spilling = spill_n ? spill_sum / spill_n : NAN;
        if (!spin_seen) {
            free(c->up);
            free(c->down);
            c->up = c->down = NULL;
        }
        if (!s->lowdin_done) {
            dp_run_warn(run, "%s: the Löwdin charges are cut off (no \"Spilling Parameter\" line): "
                        "not kept", s->stdout_path);
        } else {
            run->has_charges = true;
        }
    } else {
        c->spilling = NAN;
    }
    if (!s->stdout_complete && s->lowdin_done)
        s->stdout_complete = true; /* older versions end without "JOB DONE" */
    return DP_OK;
}

