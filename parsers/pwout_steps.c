/* pw.x output reader: what each ionic step prints (CELL_PARAMETERS and
 * ATOMIC_POSITIONS cards, forces, magnetization, the "!" energy), and committing a
 * step: its energies, its frame and the values printed during it. */
#include "pwout_reader.h"

/* ---- committing a step --------------------------------------------------- */

/* Appends (or, keeping only the last, replaces) a frame of the current geometry. */
pw_result pw_commit_frame(pw *s, int step)
{
    dp_run *run = s->run;
    size_t n = (size_t)run->natoms;
    dp_frame f = {0};
    memcpy(f.lattice, s->lattice, sizeof f.lattice);
    f.frac = malloc(n * sizeof *f.frac);
    if (s->movable)
        f.movable = malloc(n * sizeof *f.movable);
    if (!f.frac || (s->movable && !f.movable)) {
        free(f.frac);
        free(f.movable);
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for a structure of %zu atoms", n);
    }
    memcpy(f.frac, s->frac, n * sizeof *f.frac);
    if (s->movable)
        memcpy(f.movable, s->movable, n * sizeof *f.movable);
    if (!s->opts.all_frames && run->nframes == 1) {
        free(run->frames[0].frac);
        free(run->frames[0].forces);
        free(run->frames[0].movable);
        run->frames[0] = f;
        run->first_frame_step = step;
    } else {
        dp_frame *a = realloc(run->frames, (size_t)(run->nframes + 1) * sizeof *a);
        if (!a) {
            free(f.frac);
            free(f.movable);
            return pw_fail(s, DP_ERR_NOMEM, "out of memory for structures");
        }
        run->frames = a;
        a[run->nframes++] = f;
        if (run->nframes == 1)
            run->first_frame_step = step;
    }
    s->geom_dirty = false;
    return PW_OK;
}

pw_result pw_apply_floating(pw *s)
{
    dp_run *run = s->run;
    pw_floating *fl = &s->fl;
    if (fl->ef) {
        run->has_efermi = !isnan(fl->efermi);
        run->efermi = fl->efermi;
        run->has_efermi_spin = false;
    }
    if (fl->ef2) {
        run->has_efermi_spin = true;
        run->efermi_spin[0] = fl->ef_spin[0];
        run->efermi_spin[1] = fl->ef_spin[1];
        run->efermi = fmax(fl->ef_spin[0], fl->ef_spin[1]);
        run->has_efermi = !isnan(run->efermi);
    }
    if (fl->homo) {
        run->has_homo = true;
        run->homo = fl->homo_v;
        run->lumo = fl->lumo_v;
    }
    if (fl->mtot || fl->mabs) {
        run->has_mag_total = true;
        if (fl->mtot)
            run->mag_total = fl->mag_total;
        if (fl->mabs)
            run->mag_abs = fl->mag_abs;
    }
    if (fl->site) {
        dp_magnetization *m = &run->mag;
        size_t n = (size_t)run->natoms;
        int nc = fl->site_ncomp;
        if (!m->atom || m->ncomp != nc) {
            free(m->atom);
            free(m->total);
            m->atom = malloc((size_t)nc * n * sizeof *m->atom);
            m->total = malloc((size_t)nc * sizeof *m->total);
            if (!m->atom || !m->total) {
                free(m->atom);
                free(m->total);
                m->atom = m->total = NULL;
                run->has_mag = false;
                return pw_fail(s, DP_ERR_NOMEM, "out of memory for magnetic moments");
            }
        }
        m->ncomp = nc;
        m->ncols = 1;
        snprintf(m->cols[0], sizeof m->cols[0], "tot");
        for (int c = 0; c < nc; c++) {
            double sum = 0;
            for (size_t a = 0; a < n; a++) {
                m->atom[(size_t)c * n + a] = fl->site_val[(size_t)c * n + a];
                sum += fl->site_val[(size_t)c * n + a];
            }
            m->total[c] = sum;
        }
        run->has_mag = true;
    }
    fl->ef = fl->ef2 = fl->homo = fl->mtot = fl->mabs = fl->site = false;
    return PW_OK;
}

/* The step whose "!" energy was read is complete: energies, frame, values. */
pw_result pw_commit_step(pw *s)
{
    dp_run *run = s->run;
    if (!s->have_energy)
        return PW_OK;
    dp_energies e;
    e.e_free = s->e_ry * RYTOEV;
    if (s->have_internal)
        e.e_noentropy = s->internal_ry * RYTOEV;
    else if (s->have_ts)
        e.e_noentropy = (s->e_ry - s->ts_ry) * RYTOEV;
    else
        e.e_noentropy = e.e_free;
    e.e_sigma0 = 0.5 * (e.e_free + e.e_noentropy);
    e.e_sigma0_raw = NAN;
    if (run->nsteps == s->energy_cap) {
        int cap = s->energy_cap ? 2 * s->energy_cap : 16;
        dp_energies *a = realloc(run->energies, (size_t)cap * sizeof *a);
        if (!a)
            return pw_fail(s, DP_ERR_NOMEM, "out of memory for energies");
        run->energies = a;
        s->energy_cap = cap;
    }
    run->energies[run->nsteps] = e;
    pw_result rc = pw_commit_frame(s, run->nsteps);
    if (rc)
        return rc;
    run->nsteps++;
    s->have_energy = s->have_ts = s->have_internal = false;
    s->step_started = false;
    return pw_apply_floating(s);
}

/* ---- structures during the run ------------------------------------------ */

static pw_result need_atoms(pw *s, const char *what)
{
    if (!s->atoms_ready)
        return pw_fail(s, DP_ERR_FORMAT, "%s before the atom list (\"site n.     atom     "
                       "positions (alat units)\")", what);
    return PW_OK;
}

/* The unit of a card title: "CARD (unit)", "CARD {unit}", "CARD unit"; the alat
 * of "CELL_PARAMETERS (alat= 18.89726133)" into *alat if given. */
static void card_unit(pw *s, const char *t, char *unit, size_t size, double *alat)
{
    t = pw_skip_ws(t);
    if (*t == '(' || *t == '{')
        t++;
    t = pw_skip_ws(t);
    size_t n = 0;
    while (t[n] && isalpha((unsigned char)t[n]) && n + 1 < size) {
        unit[n] = (char)tolower((unsigned char)t[n]);
        n++;
    }
    unit[n] = '\0';
    t += n;
    const char *eq = strchr(t, '=');
    double v;
    if (eq && pw_num_field(s, &(const char *){eq + 1}, &v) && v > 0)
        *alat = v;
}

/* Å per unit of a card in alat (also no unit), bohr or angstrom units; false for
 * another unit. */
static bool unit_scale(const char *unit, double alat, double *scale)
{
    if (!strcmp(unit, "alat") || !unit[0])
        *scale = alat * BOHR_ANGS;
    else if (!strcmp(unit, "bohr"))
        *scale = BOHR_ANGS;
    else if (!strcmp(unit, "angstrom"))
        *scale = 1;
    else
        return false;
    return true;
}

pw_result pw_read_cell(pw *s, const char *t)
{
    if (!s->atoms_ready)
        return PW_OK; /* an input echo before the header: no step of this run */
    pw_result rc;
    char unit[16];
    double alat = s->alat, scale;
    card_unit(s, t + strlen("CELL_PARAMETERS"), unit, sizeof unit, &alat);
    if (!unit_scale(unit, alat, &scale))
        return pw_fail(s, DP_ERR_FORMAT, "CELL_PARAMETERS in unknown units \"%s\"", unit);
    double l[3][3];
    for (int i = 0; i < 3; i++) {
        if ((rc = pw_next_row(s, "CELL_PARAMETERS")))
            return rc;
        double v[4];
        const char *rest;
        if (pw_scan_numbers(s, s->line, v, 3, &rest) != 3 || *pw_skip_ws(rest)) {
            char q[64];
            return pw_fail(s, DP_ERR_FORMAT, "CELL_PARAMETERS row %d: expected 3 numbers, found "
                           "\"%s\"", i + 1, pw_quote(s->line, 60, q, sizeof q));
        }
        for (int k = 0; k < 3; k++)
            l[i][k] = v[k] * scale;
    }
    double inv[3][3];
    if (!dp_qe_cell_inverse(l, inv))
        return pw_fail(s, DP_ERR_FORMAT, "CELL_PARAMETERS: the cell is degenerate");
    /* the atoms keep their fractional positions until ATOMIC_POSITIONS says more */
    memcpy(s->lattice, l, sizeof l);
    s->geom_dirty = true;
    if (!s->in_final_coords)
        s->step_started = true;
    return PW_OK;
}

pw_result pw_read_positions(pw *s, const char *t)
{
    if (!s->atoms_ready)
        return PW_OK; /* an input echo before the header: no step of this run */
    pw_result rc = PW_OK;
    char unit[16];
    double alat = s->alat, scale = 0;
    card_unit(s, t + strlen("ATOMIC_POSITIONS"), unit, sizeof unit, &alat);
    bool crystal = !strcmp(unit, "crystal");
    if (!crystal && !unit_scale(unit, s->alat, &scale)) /* the celldm(1) alat */
        return pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS in unsupported units \"%s\"", unit);
    double inv[3][3];
    if (!dp_qe_cell_inverse(s->lattice, inv))
        return pw_fail(s, DP_ERR_FORMAT, "the cell before these positions is degenerate");
    dp_run *run = s->run;
    long nat = run->natoms;
    double (*frac)[3] = malloc((size_t)nat * sizeof *frac);
    unsigned char (*mov)[3] = malloc((size_t)nat * sizeof *mov);
    if (!frac || !mov) {
        free(frac);
        free(mov);
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", nat);
    }
    bool any_flags = false;
    for (long a = 0; a < nat; a++) {
        if ((rc = pw_next_row(s, "ATOMIC_POSITIONS")))
            goto out;
        char q[64];
        const char *p = pw_skip_ws(s->line);
        size_t w = strcspn(p, " ");
        char label[16];
        const char *type_label = run->species ? s->types[run->atom_type[a]].label : "";
        if (!w || w >= sizeof label || !isalpha((unsigned char)*p)) {
            rc = pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS has %ld rows, %ld atoms (found "
                         "\"%s\")", a, nat, pw_quote(p, 50, q, sizeof q));
            goto out;
        }
        memcpy(label, p, w);
        label[w] = '\0';
        if (strncmp(type_label, label, w) != 0) {
            rc = pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS row %ld is a \"%s\", atom %ld is a "
                         "\"%s\"", a + 1, label, a + 1, type_label);
            goto out;
        }
        double v[MAX_NUMS];
        const char *rest;
        int n = pw_scan_numbers(s, p + w, v, 6, &rest);
        if ((n != 3 && n != 6) || *pw_skip_ws(rest)) {
            rc = pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS row %ld: expected a label and 3 "
                         "numbers (and 3 if_pos flags), found \"%s\"", a + 1,
                         pw_quote(p, 60, q, sizeof q));
            goto out;
        }
        if (crystal) {
            memcpy(frac[a], v, sizeof frac[a]);
        } else {
            double c[3] = {v[0] * scale, v[1] * scale, v[2] * scale};
            dp_cartesian_to_fractional(inv, c, frac[a]);
        }
        for (int k = 0; k < 3; k++)
            mov[a][k] = n == 6 ? v[3 + k] != 0 : 1;
        any_flags |= n == 6;
    }
    memcpy(s->frac, frac, (size_t)nat * sizeof *frac);
    free(s->movable);
    s->movable = NULL;
    if (any_flags) {
        s->movable = mov;
        mov = NULL;
    }
    s->geom_dirty = true;
    if (!s->in_final_coords)
        s->step_started = true;
out:
    free(frac);
    free(mov);
    return rc;
}

/* "Forces acting on atoms (cartesian axes, Ry/au):", a blank line, then
 * "     atom    1 type  1   force =     0.00000000    0.00000000   -0.02008179". */
pw_result pw_read_forces(pw *s)
{
    pw_result rc = need_atoms(s, "forces");
    if (rc)
        return rc;
    dp_run *run = s->run;
    long nat = run->natoms;
    double (*f)[3] = malloc((size_t)nat * sizeof *f);
    if (!f)
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for forces");
    long a = 0;
    for (int guard = 0; a < nat; guard++) {
        if ((rc = pw_next_row(s, "forces")))
            goto out;
        const char *t = pw_skip_ws(s->line);
        if (!*t && a == 0 && guard < 8)
            continue;
        const char *p = strstr(t, "force =");
        double v[4];
        char q[64];
        if (!pw_starts(t, "atom") || !p || pw_scan_numbers(s, p + 7, v, 3, NULL) != 3) {
            rc = pw_fail(s, DP_ERR_FORMAT, "forces: expected %ld rows \"atom N type T force = "
                         "fx fy fz\", found \"%s\" as row %ld", nat, pw_quote(t, 50, q, sizeof q),
                         a + 1);
            goto out;
        }
        for (int k = 0; k < 3; k++)
            f[a][k] = v[k] * RYTOEV / BOHR_ANGS;
        a++;
    }
    /* the forces of the step just committed (they follow its energy) */
    if (run->nsteps > 0 && !s->geom_dirty && run->nframes > 0 &&
        run->first_frame_step + run->nframes - 1 == run->nsteps - 1) {
        dp_frame *fr = &run->frames[run->nframes - 1];
        free(fr->forces);
        fr->forces = f;
        f = NULL;
    }
out:
    free(f);
    return rc;
}

/* ---- magnetization ------------------------------------------------------- */

/* The numbers after "magn" and its ':' or '=' (1, or 3 for a noncollinear run). */
static int magn_values(pw *s, const char *t, double *v)
{
    const char *p = strstr(t, "magn");
    if (!p)
        return 0;
    p += 4;
    while (*p == ' ' || *p == ':' || *p == '=')
        p++;
    int n = pw_scan_numbers(s, p, v, 3, NULL);
    return n == 1 || n == 3 ? n : 0;
}

/* "Magnetic moment per site:" (6.x) or "Magnetic moment per site  (integrated on
 * atomic sphere of radius R)" (7.x), then one "atom ..." row per atom. */
pw_result pw_read_site_moments(pw *s)
{
    pw_result rc = need_atoms(s, "magnetic moments");
    if (rc)
        return rc;
    long nat = s->run->natoms;
    int ncomp = 0;
    for (long a = 0; a < nat;) {
        if ((rc = pw_next_row(s, "magnetic moments per site")))
            return rc;
        const char *t = pw_skip_ws(s->line);
        if (!*t && a == 0)
            continue;
        double v[4];
        int n = pw_starts(t, "atom") ? magn_values(s, t, v) : 0;
        char q[64];
        if (!n || (ncomp && n != ncomp))
            return pw_fail(s, DP_ERR_FORMAT, "magnetic moments per site: expected %ld rows \"atom "
                           "N ... magn ...\", found \"%s\" as row %ld", nat,
                           pw_quote(t, 50, q, sizeof q), a + 1);
        ncomp = n;
        for (int c = 0; c < n; c++)
            s->site_tmp[(size_t)c * (size_t)nat + (size_t)a] = v[c];
        a++;
    }
    memcpy(s->fl.site_val, s->site_tmp, (size_t)ncomp * (size_t)nat * sizeof *s->site_tmp);
    s->fl.site_ncomp = ncomp;
    s->fl.site = true;
    return PW_OK;
}

/* Noncollinear, per atom: "atom number    1 relative position : ...", then
 * "magnetization :   x  y  z" a few lines later. */
void pw_on_ncl_atom(pw *s, const char *t)
{
    char *end;
    const char *p = pw_skip_ws(t + strlen("atom number"));
    long k = strtol(p, &end, 10);
    if (end == p || k < 1 || !s->atoms_ready || k > s->run->natoms ||
        (k != 1 && k != s->ncl_site + 1)) {
        s->ncl_site = 0;
        return;
    }
    s->ncl_site = k;
}

void pw_on_ncl_magnetization(pw *s, const char *t)
{
    long k = s->ncl_site;
    if (!k || !s->atoms_ready)
        return;
    double v[4];
    const char *p = strchr(t, ':');
    if (!p || pw_scan_numbers(s, p + 1, v, 3, NULL) != 3) {
        s->ncl_site = 0;
        return;
    }
    size_t nat = (size_t)s->run->natoms;
    for (int c = 0; c < 3; c++)
        s->site_tmp[(size_t)c * nat + (size_t)(k - 1)] = v[c];
    if ((size_t)k == nat) {
        memcpy(s->fl.site_val, s->site_tmp, 3 * nat * sizeof *s->site_tmp);
        s->fl.site_ncomp = 3;
        s->fl.site = true;
    }
}

/* "total magnetization       =     2.00 Bohr mag/cell" (three numbers for a
 * noncollinear run: their length is kept). */
pw_result pw_on_total_mag(pw *s, const char *t, bool absolute)
{
    const char *p = strchr(t, '=');
    double v[4];
    int n = p ? pw_scan_numbers(s, p + 1, v, 3, NULL) : 0;
    if (n != 1 && n != 3) {
        char q[64];
        return pw_fail(s, DP_ERR_FORMAT, "no number in \"%s\"", pw_quote(t, 60, q, sizeof q));
    }
    double m = n == 1 ? v[0] : sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (absolute) {
        s->fl.mag_abs = m;
        s->fl.mabs = true;
    } else {
        s->fl.mag_total = m;
        s->fl.mtot = true;
    }
    return PW_OK;
}

/* ---- energies ------------------------------------------------------------ */

/* "!    total energy              =     -63.50881939 Ry" ("!!" for the converged
 * energy of a hybrid-functional run). */
pw_result pw_on_energy(pw *s, const char *t)
{
    bool dbl = t[1] == '!';
    const char *p = pw_skip_ws(t + (dbl ? 2 : 1));
    if (!pw_starts(p, "total energy"))
        return PW_OK;
    if (s->exx && !dbl)
        return PW_OK; /* an inner SCF of a hybrid-functional run */
    pw_result rc = need_atoms(s, "an energy");
    if (rc)
        return rc;
    if ((rc = pw_commit_step(s)))
        return rc;
    double v;
    if ((rc = pw_value_after_eq(s, t, &v, "total energy")))
        return rc;
    s->e_ry = v;
    s->have_energy = true;
    s->have_ts = s->have_internal = false;
    s->step_started = true;
    return PW_OK;
}
