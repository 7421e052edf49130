/*
 * OUTCAR reader (VASP 5.2–6.x, plain or gzip): one streaming pass, line by line.
 *
 * Memory grows with what is kept (energies per ionic step, the last structure or
 * all of them, the last magnetization set and the last block of modes), never
 * with the file: lines are read through a fixed buffer, and a line longer than
 * MAX_LINE is cut to its first MAX_LINE bytes and the rest skipped, so the line
 * count stays in step with the file.
 *
 * What is read, and where from:
 *  - program/version: the first line, " vasp.5.4.4.18Apr17-6-g9f103f2a35 (build ...)".
 *  - species: one POTCAR echo per type ("VRHFIN =Fe: d7 s1" gives the element,
 *    "TITEL  = PAW_PBE Fe 06Sep2000" the potential; if VRHFIN is missing the
 *    element comes from TITEL), "POMASS = 55.847; ZVAL = 8.000" in that echo; the
 *    "ions per type =" counts, checked against NIONS. The ZVAL and POMASS lines of
 *    the parameter echo ("Ionic Valenz", "Mass of Ions in am"; F6.2 columns that
 *    glue together, "26.98144.24") override those, as they are what VASP used
 *    (POMASS may be set in the INCAR).
 *  - ISPIN, LORBIT, NEDOS, ISMEAR, SIGMA, LNONCOLLINEAR, LSORBIT: the parameter
 *    echo (the INCAR echo of VASP 6 comes first and is overridden).
 *  - settings (dftpost.h, dp_run_setting): CODE = VASP, VERSION (major.minor of the
 *    first line), POTCAR (the TITEL lines), and the INCAR tags: VASP 6's INCAR echo
 *    at the top (" INCAR:", "   PREC = Accurate"; what was written, as an INCAR beside
 *    an OSZICAR gives it), else (VASP 5, whose echo is empty) the parameter listing
 *    (PREC, ISPIN, LASPH, METAGGA, ENCUT, ISMEAR, SIGMA, GGA unless "--", IVDW, LDA+U
 *    lines: outcar_header.c). The listing holds defaults too (LASPH F, PREC normal):
 *    dp_runs_differ takes those as equal to a default left unset.
 *  - the initial structure ("position of ions in fractional coordinates", with
 *    the first "direct lattice vectors") as frame -1, as vasprun.c does.
 *  - every ionic step: the lattice (the last "direct lattice vectors" block before
 *    the positions; read in its fixed F13.9 columns, so cells above 100 Å, whose
 *    numbers touch, read right), the "POSITION  TOTAL-FORCE (eV/Angst)" block
 *    (Cartesian Å, stored as fractional via the inverse lattice) and the energies
 *    of the "FREE ENERGIE OF THE ION-ELECTRON SYSTEM" block. A step is committed
 *    (energies and frame) when that block has been read whole. OUTCAR has no
 *    e_0_energy bug (vasprun.c): its three numbers are consistent, so e_sigma0 =
 *    e_sigma0_raw. IBRION=5-8 runs count each displacement as an ionic step, as
 *    ASE does.
 *  - E-fermi: the last "E-fermi :" line of the file (as pymatgen's Outcar.efermi).
 *  - magnetization: the last complete set of "magnetization (x)" tables (with (y)
 *    and (z) for LNONCOLLINEAR runs), per-ion rows and the "tot" row. VASP prints
 *    no "tot" row for a single ion; then total = that ion's row.
 *  - vibrational modes: the last "Eigenvectors and eigenvalues of the dynamical
 *    matrix" block that is NOT preceded by "Eigenvectors after division by
 *    SQRT(mass)". With NWRITE=3 VASP prints the block twice: first the plain
 *    eigenvectors of the dynamical matrix (orthonormal), then, after that line,
 *    the same frequencies with the eigenvectors divided by sqrt(mass) and
 *    renormalised (real-space displacement patterns). dftpost keeps the first kind
 *    in both cases, so disp means the same thing with or without NWRITE=3.
 *    Frequencies as printed (positive); "f/i=" modes are flagged imaginary.
 *
 * Fortran overflow fields ("*****", also glued to a neighbour as in
 * "-0.123*******") are read as NaN, counted, and reported in one warning.
 *
 * A killed run leaves a file that stops anywhere: what was complete is kept and
 * status.complete is false when the file lacks "General timing and accounting
 * informations for this job" or its gzip stream is cut. A last line without its
 * '\n' is where the file was cut and is not parsed (its last number may be cut
 * short). A run stopped through STOPCAR ("soft stop encountered!") ends its file
 * properly but did not do what it was asked: status.complete is false for it
 * too, and missing says so. In files that print the energy block before the
 * positions (5.2.2), a cut between the two keeps that step's energies with the
 * structure of the step before.
 */#include "outcar_reader.h"
#include "text_lines.h"

/* ---- structures ---------------------------------------------------------- */

/* "direct lattice vectors" block: three rows, 3X,3F13.9,3X,3F13.9. */
static oc_result read_lattice(oc *s)
{
    double l[3][3];
    for (int i = 0; i < 3; i++) {
        oc_result rc = oc_next_line(s);
        if (rc)
            return rc;
        double v[6];
        const char *t = s->line;
        if (s->line_len >= 3 + 3 * 13 && oc_fixed_columns(s, t + 3, 13, 3, v)) {
            memcpy(l[i], v, sizeof l[i]);
            continue;
        }
        int n = oc_parse_numbers(s, t, v, 6, 6);
        if (n != 6 && n != 3) {
            char q[48];
            return oc_fail(s, DP_ERR_FORMAT, "lattice vector %d: expected 3 (or 6) numbers, found "
                        "\"%s\"", i + 1, oc_quote(t, 40, q, sizeof q));
        }
        memcpy(l[i], v, sizeof l[i]);
    }
    memcpy(s->lattice, l, sizeof l);
    s->have_lattice = true;
    return OC_OK;
}

static void free_frame(dp_frame *f)
{
    free(f->frac);
    free(f->forces);
    free(f->movable);
    memset(f, 0, sizeof *f);
}

/* Moves s->pending into the run (appending, or replacing the last frame). */
static oc_result commit_frame(oc *s, int step)
{
    dp_run *run = s->run;
    if (!s->have_pending)
        return OC_OK;
    if (!s->opts.all_frames && run->nframes == 1) {
        free_frame(&run->frames[0]);
        run->frames[0] = s->pending;
        run->first_frame_step = step;
    } else {
        dp_frame *f = realloc(run->frames, (size_t)(run->nframes + 1) * sizeof *f);
        if (!f)
            return oc_fail(s, DP_ERR_NOMEM, "out of memory for structures");
        run->frames = f;
        f[run->nframes++] = s->pending;
        if (run->nframes == 1)
            run->first_frame_step = step;
    }
    memset(&s->pending, 0, sizeof s->pending);
    s->have_pending = false;
    return OC_OK;
}

static oc_result new_pending(oc *s, bool forces)
{
    size_t n = (size_t)s->run->natoms;
    if (!s->pending.frac)
        s->pending.frac = calloc(n, sizeof *s->pending.frac);
    if (forces && !s->pending.forces)
        s->pending.forces = calloc(n, sizeof *s->pending.forces);
    if (!forces) {
        free(s->pending.forces);
        s->pending.forces = NULL;
    }
    if (!s->pending.frac || (forces && !s->pending.forces))
        return oc_fail(s, DP_ERR_NOMEM, "out of memory for a structure of %zu atoms", n);
    memcpy(s->pending.lattice, s->lattice, sizeof s->lattice);
    s->have_pending = false;
    return OC_OK;
}

static oc_result need_atoms(oc *s, const char *what)
{
    if (!s->run->species)
        return oc_fail(s, DP_ERR_FORMAT, "%s before the atom list (NIONS, ions per type)", what);
    if (!s->have_lattice)
        return oc_fail(s, DP_ERR_FORMAT, "%s before any \"direct lattice vectors\"", what);
    return OC_OK;
}

/* Rows of a block, natoms of them; a dashes line or a blank one before the last
 * row means the block is short (the file goes on, so that is an error). */
oc_result oc_block_row(oc *s, int row, int natoms, const char *what)
{
    oc_result rc = oc_next_line(s);
    if (rc)
        return rc;
    if (oc_is_dashes(s->line) || oc_is_blank(s->line))
        return oc_fail(s, DP_ERR_FORMAT, "%s has %d rows, NIONS = %d", what, row, natoms);
    return OC_OK;
}

/* The initial structure: "position of ions in fractional coordinates (direct lattice)". */
static oc_result read_initial(oc *s)
{
    dp_run *run = s->run;
    oc_result rc = need_atoms(s, "initial positions");
    if (rc)
        return rc;
    if ((rc = new_pending(s, false)))
        return rc;
    for (int i = 0; i < run->natoms; i++) {
        if ((rc = oc_block_row(s, i, run->natoms, "the initial positions block")))
            return rc;
        double v[MAX_NUMS];
        int n = oc_parse_numbers(s, s->line, v, MAX_NUMS, 3);
        if (n < 3) {
            char q[48];
            return oc_fail(s, DP_ERR_FORMAT, "initial position of ion %d: expected 3 numbers, "
                        "found \"%s\"", i + 1, oc_quote(s->line, 40, q, sizeof q));
        }
        memcpy(s->pending.frac[i], v, sizeof s->pending.frac[i]);
    }
    s->have_pending = true;
    s->initial_done = true;
    return commit_frame(s, -1);
}

/* "POSITION  TOTAL-FORCE (eV/Angst)": a dashes line, natoms rows of x y z fx fy fz. */
static oc_result read_positions(oc *s)
{
    dp_run *run = s->run;
    oc_result rc = need_atoms(s, "positions");
    if (rc)
        return rc;
    double inv[3][3]; /* a cell of 1e-12 Å³ or less is degenerate */
    if (!(fabs(dp_lattice_det(s->lattice)) > 1e-12) || !dp_lattice_inverse(s->lattice, inv))
        return oc_fail(s, DP_ERR_FORMAT, "the lattice vectors before these positions are degenerate");
    if ((rc = new_pending(s, true)))
        return rc;
    s->step_started = true;
    if ((rc = oc_next_line(s)))
        return rc;
    if (!oc_is_dashes(s->line))
        oc_push_back(s);
    for (int i = 0; i < run->natoms; i++) {
        if ((rc = oc_block_row(s, i, run->natoms, "the positions block")))
            return rc;
        double v[6];
        char what[64];
        snprintf(what, sizeof what, "position and force of ion %d", i + 1);
        if ((rc = oc_numbers_exact(s, s->line, v, 6, what)))
            return rc;
        dp_cartesian_to_fractional(inv, v, s->pending.frac[i]);
        memcpy(s->pending.forces[i], v + 3, sizeof s->pending.forces[i]);
    }
    memcpy(s->pending.lattice, s->lattice, sizeof s->lattice);
    s->have_pending = true;
    if (run->nsteps > 0 && !s->last_framed && !s->scf_since_commit) {
        /* VASP 5.2.2 and older print a step's energy block before its forces and
         * positions: this block belongs to the step already committed */
        s->last_framed = true;
        s->step_started = false;
        return commit_frame(s, run->nsteps - 1);
    }
    return OC_OK;
}

static void warn_noframe(oc *s)
{
    dp_run *run = s->run;
    if (run->nsteps > 0 && !s->last_framed && !s->warned_noframe) {
        s->warned_noframe = true;
        dp_run_warn(run, "%s: ionic step %d has no positions block; the structure kept for it "
                    "is the one before", s->path, run->nsteps);
    }
}

/* ---- energies: one ionic step -------------------------------------------- */

static oc_result energy_after(oc *s, const char *t, const char *key, double *v)
{
    const char *p = strstr(t, key);
    if (p) {
        p = strchr(p + strlen(key), '=');
        if (p) {
            p = oc_skip_ws(p + 1);
            bool stars;
            if (oc_number_field(s, &p, v, &stars))
                return OC_OK;
        }
    }
    char q[64];
    return oc_fail(s, DP_ERR_FORMAT, "energy block: no number after \"%s\" in \"%s\"", key,
                oc_quote(t, 60, q, sizeof q));
}

/* "FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)", then
 *   free  energy   TOTEN  =       -18.40140804 eV
 *   energy  without entropy=      -18.38651852  energy(sigma->0) =      -18.39644487 */
static oc_result read_energies(oc *s)
{
    dp_run *run = s->run;
    dp_energies e = {NAN, NAN, NAN, NAN};
    bool have_toten = false;
    s->step_started = true;
    for (int guard = 0;; guard++) {
        oc_result rc = oc_next_line(s);
        if (rc)
            return rc;
        const char *t = oc_skip_ws(s->line);
        if (!*t || oc_is_dashes(t))
            continue;
        if (!have_toten && oc_starts(t, "free  energy   TOTEN")) {
            if ((rc = energy_after(s, t, "TOTEN", &e.e_free)))
                return rc;
            have_toten = true;
        } else if (have_toten && oc_starts(t, "energy  without entropy")) {
            if ((rc = energy_after(s, t, "entropy", &e.e_noentropy)) ||
                (rc = energy_after(s, t, "energy(sigma->0)", &e.e_sigma0_raw)))
                return rc;
            break;
        } else {
            char q[64];
            return oc_fail(s, DP_ERR_FORMAT, "energy block: expected \"%s\", found \"%s\"",
                        have_toten ? "energy  without entropy=" : "free  energy   TOTEN  =",
                        oc_quote(t, 60, q, sizeof q));
        }
        if (guard > 20)
            return oc_fail(s, DP_ERR_FORMAT, "energy block too long");
    }
    e.e_sigma0 = e.e_sigma0_raw;
    dp_energies *a = realloc(run->energies, (size_t)(run->nsteps + 1) * sizeof *a);
    if (!a)
        return oc_fail(s, DP_ERR_NOMEM, "out of memory for energies");
    run->energies = a;
    a[run->nsteps] = e;
    warn_noframe(s); /* about the step before */
    s->last_framed = s->have_pending;
    oc_result rc = commit_frame(s, run->nsteps);
    run->nsteps++;
    s->step_started = false;
    s->scf_since_commit = false;
    return rc;
}

/* ---- the main loop ------------------------------------------------------- */

static oc_result on_line(oc *s)
{
    dp_run *run = s->run;
    const char *t = oc_skip_ws(s->line);
    const char *v;
    oc_result rc;
    if (s->in_echo && (rc = oc_on_echo(s, t)))
        return rc;
    if (!*t)
        return OC_OK;
    if (!s->seen_first) {
        s->seen_first = true;
        if (!oc_starts(t, "vasp.")) {
            char q[48];
            return oc_fail(s, DP_ERR_FORMAT, "not an OUTCAR: it should begin with the VASP version "
                        "(\" vasp.6.3.0 ...\"), found \"%s\"", oc_quote(t, 40, q, sizeof q));
        }
        snprintf(run->program, sizeof run->program, "vasp");
        size_t w = strcspn(t + 5, " ");
        snprintf(run->version, sizeof run->version, "%.*s", (int)(w < 63 ? w : 63), t + 5);
        return OC_OK;
    }
    switch (*t) {
    case '-':
        if (oc_is_iteration(t)) {
            warn_noframe(s);
            s->step_started = true;
            s->scf_since_commit = true;
        }
        return OC_OK;
    case 'V':
        if ((v = oc_key_value(t, "VRHFIN")) && !oc_element_symbol(v, s->vrhfin_pending))
            s->vrhfin_pending[0] = '\0';
        return OC_OK;
    case 'T':
        if ((v = oc_key_value(t, "TITEL")))
            return oc_on_titel(s, v);
        return OC_OK;
    case 'P':
        if (oc_starts(t, "PREC") && (rc = oc_on_listing(s, t)))
            return rc;
        if (oc_key_value(t, "POMASS")) {
            if (strchr(t, ';') && strstr(t, "ZVAL"))
                oc_on_pomass_zval(s, t);
            else if (s->after_mass_header) {
                snprintf(s->mass_line, sizeof s->mass_line, "%s", oc_key_value(t, "POMASS"));
                oc_apply_param_masses(s);
            }
        } else if (oc_starts(t, "POSITION") && strstr(t, "TOTAL-FORCE (eV/Angst)")) {
            return read_positions(s);
        }
        s->after_mass_header = false;
        return OC_OK;
    case 'Z':
        if ((v = oc_key_value(t, "ZVAL")) && s->after_zval_header) {
            snprintf(s->zval_line, sizeof s->zval_line, "%s", v);
            oc_apply_param_masses(s);
        }
        s->after_zval_header = false;
        return OC_OK;
    case 'M':
        s->after_mass_header = oc_starts(t, "Mass of Ions in am");
        return oc_on_listing(s, t);
    case 'I':
        if (oc_starts(t, "Ionic Valenz")) {
            s->after_zval_header = true;
            return OC_OK;
        }
        if (!strcmp(t, "INCAR:") && !run->species) {
            s->in_echo = true;
            return OC_OK;
        }
        oc_on_param(s, t);
        return oc_on_listing(s, t);
    case 'L':
    case 'S':
        oc_on_param(s, t);
        return oc_on_listing(s, t);
    case 'G':
    case 'a':
    case 'U':
    case 'J':
        if (*t == 'G' && oc_starts(t, "General timing and accounting informations for this job"))
            s->timing_seen = true;
        return oc_on_listing(s, t);
    case 'n':
        if (oc_starts(t, "number of dos") || strstr(t, "NIONS =")) {
            const char *p = strstr(t, "NEDOS =");
            long l;
            if (p && oc_int_value(oc_skip_ws(p + 7), 0, 100000000, &l))
                run->params.nedos = (int)l;
            p = strstr(t, "NIONS =");
            if (p)
                return oc_on_nions(s, oc_skip_ws(p + 7));
        }
        return OC_OK;
    case 'i':
        if ((v = oc_key_value(t, "ions per type")))
            return oc_on_ions_per_type(s, v);
        return OC_OK;
    case 'E':
        if (oc_starts(t, "ENCUT"))
            return oc_on_listing(s, t);
        if (oc_starts(t, "E-fermi :")) {
            const char *p = oc_skip_ws(t + 9);
            bool stars;
            double x;
            if (oc_number_field(s, &p, &x, &stars)) {
                run->efermi = x;
                run->has_efermi = !isnan(x);
            }
        } else if (oc_starts(t, "Eigenvectors after division by SQRT(mass)")) {
            s->mass_divided_next = true;
        } else if (oc_starts(t, "Eigenvectors and eigenvalues of the dynamical matrix")) {
            if (s->mass_divided_next) {
                s->mass_divided_next = false;
                return OC_OK; /* the mass-divided copy: see the top of this file */
            }
            s->cut_in = "vibrational modes";
            rc = oc_read_modes(s);
            if (rc == OC_OK)
                s->cut_in = NULL;
            return rc;
        } else if (oc_starts(t, "Error")) {
            char q[150];
            snprintf(s->error_text, sizeof s->error_text, "%s", oc_quote(t, 140, q, sizeof q));
        }
        return OC_OK;
    case 'd':
        if (oc_starts(t, "direct lattice vectors")) {
            s->cut_in = "lattice vectors";
            rc = read_lattice(s);
            if (rc == OC_OK)
                s->cut_in = NULL;
            return rc;
        }
        return OC_OK;
    case 'p':
        /* VASP 6 prints it once before the atom list too: wait for the usual one */
        if (oc_starts(t, "position of ions in fractional coordinates") && !s->initial_done &&
            run->nsteps == 0 && run->species) {
            s->cut_in = "initial positions";
            rc = read_initial(s);
            if (rc == OC_OK)
                s->cut_in = NULL;
            return rc;
        }
        return OC_OK;
    case 'F':
        if (oc_starts(t, "FREE ENERGIE OF THE ION-ELECTRON SYSTEM"))
            return read_energies(s);
        return OC_OK;
    case 'm':
        if (oc_starts(t, "magnetization (") && t[15] && t[16] == ')' && !t[17]) {
            int comp = t[15] == 'x' ? 0 : t[15] == 'y' ? 1 : t[15] == 'z' ? 2 : -1;
            if (comp < 0)
                return OC_OK;
            s->cut_in = "magnetization table";
            rc = oc_read_mag(s, comp);
            if (rc == OC_OK)
                s->cut_in = NULL;
            return rc;
        }
        return OC_OK;
    case 's':
    case 'h':
        if (oc_starts(t, "soft stop encountered") || oc_starts(t, "hard stop encountered")) {
            s->stop_line = s->lineno;
            char q[96];
            snprintf(s->stop_text, sizeof s->stop_text, "%s", oc_quote(t, 80, q, sizeof q));
        }
        return OC_OK;
    default:
        return OC_OK;
    }
}

static dp_status finish(oc *s)
{
    dp_run *run = s->run;
    if (!s->seen_first) {
        if (s->partial_last && !oc_is_blank(s->line)) {
            s->partial_last = false;
            oc_result rc = on_line(s); /* a one-line file: is it an OUTCAR's first line? */
            if (rc == OC_FAIL)
                return s->fail_code;
        } else {
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: file is empty%s", s->path,
                           s->lineno ? " (blank lines only)" : "");
        }
    }
    if (!run->species)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: file ends before the atom list "
                       "(NIONS, ions per type): not an OUTCAR, or cut off in its header",
                       s->path, s->lineno);
    warn_noframe(s);
    dp_completeness *c = &run->status;
    if (s->timing_seen && !s->stop_line && !s->gz_truncated) {
        dp_gzl_complete(c);
        return DP_OK;
    }
    c->complete = false;
    size_t used = 0;
    if (s->timing_seen && !s->gz_truncated) { /* stopped through STOPCAR: the file is whole */
        c->break_line = s->stop_line;
        dp_gzl_add_missing(c, &used, "the rest of the run (stopped early at line %ld: \"%s\", after "
                    "%d ionic step%s)", s->stop_line, s->stop_text, run->nsteps,
                    run->nsteps == 1 ? "" : "s");
        dp_run_warn(run, "%s: run stopped early (line %ld: \"%s\") after %d ionic step%s; the "
                    "file is complete but the run is not", s->path, s->stop_line, s->stop_text,
                    run->nsteps, run->nsteps == 1 ? "" : "s");
        return DP_OK;
    }
    c->break_line = s->lineno;
    if (s->step_started)
        dp_gzl_add_missing(c, &used, "ionic step %d (cut off)", run->nsteps + 1);
    if (s->cut_in && strcmp(s->cut_in, "lattice vectors") != 0 &&
        strcmp(s->cut_in, "initial positions") != 0)
        dp_gzl_add_missing(c, &used, "%s (cut off)", s->cut_in);
    if (!s->timing_seen)
        dp_gzl_add_missing(c, &used, "timing block");
    if (s->gz_truncated)
        dp_gzl_add_missing(c, &used, "the end of the gzip stream");
    char said[200] = "";
    if (s->error_text[0])
        snprintf(said, sizeof said, "; the run wrote \"%.150s\"", s->error_text);
    else if (s->stop_line)
        snprintf(said, sizeof said, "; the run wrote \"%.150s\"", s->stop_text);
    dp_run_warn(run, "%s: incomplete file: it ends at line %ld, cut off (a killed run?)%s%s; "
                "kept what was complete before; missing: %s", s->path, c->break_line,
                s->gz_truncated ? " inside its gzip stream" : "", said, c->missing);
    return DP_OK;
}

static dp_status parse(oc *s)
{
    oc_result rc;
    while ((rc = oc_next_line(s)) == OC_OK) {
        if ((rc = on_line(s)) != OC_OK)
            break;
    }
    if (rc == OC_FAIL)
        return s->fail_code;
    return finish(s);
}

dp_status dp_outcar_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    oc s = {.path = path, .err = err};
    if (opts)
        s.opts = *opts;
    dp_status code = dp_gzl_open(path, READ_CHUNK, MAX_LINE, false, &s.f, &s.raw, &s.line,
                                 &s.fsize, err);
    if (code != DP_OK)
        return code;
    s.run = calloc(1, sizeof *s.run);
    if (!s.run) {
        free(s.raw);
        free(s.line);
        gzclose(s.f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(s.run->path, sizeof s.run->path, "%s", path);
    s.run->params.lorbit = -1;
    s.run->first_frame_step = -1;
    s.run->efermi = NAN;
    code = parse(&s);
    if (code == DP_OK)
        code = oc_settings(&s);
    dp_incar_free(&s.echo);
    dp_incar_free(&s.listing);
    if (code == DP_OK && s.overflows)
        dp_run_warn(s.run, "%s: %ld number field(s) overflowed (\"****\") and were read as NaN",
                    path, s.overflows);
    free_frame(&s.pending);
    oc_mag_free(&s.mag);
    free(s.titel);
    free(s.vrhfin);
    free(s.pomass);
    free(s.pzval);
    free(s.raw);
    free(s.line);
    gzclose(s.f);
    if (code != DP_OK) {
        dp_run_free(s.run);
        return code;
    }
    *out = s.run;
    return DP_OK;
}
