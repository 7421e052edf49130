/*
 * pw.x standard output reader (Quantum ESPRESSO 5.x, 6.x, 7.x; plain or gzip):
 * one streaming pass, line by line, through zlib. Memory grows with what is kept
 * (the energies of every ionic step, the last structure or all of them, the last
 * magnetization), never with the file: lines are read through a fixed buffer and a
 * line longer than MAX_LINE is cut (the rest skipped, the line count kept).
 *
 * Units. pw.x prints Ry, bohr and "alat" units; dftpost keeps eV and Å with the
 * constants of QE's Modules/constants.f90 since it moved to CODATA 2018:
 *   RYTOEV           = 13.605693122994 eV   (HARTREE_SI / ELECTRONVOLT_SI / 2; the
 *                      value ../shared/data/qe/README.md uses for its eV column)
 *   BOHR_RADIUS_ANGS = 0.529177210903 Å
 * pw.x 6.7 uses them: the Å positions of data/qe/O2/pw.out equal its XML's bohr
 * values × 0.529177210903 to all 10 printed digits (CODATA 2006's 0.52917720859
 * is 2e-8 Å off). Older releases used CODATA 2006 (13.60569193 eV, 0.52917720859
 * Å; ASE 3.22 and AiiDA still convert with those): for their files the eV values
 * here differ from what that pw.x would have printed in eV by 8.8e-8 relative
 * (2e-4 eV on a 2400 eV total energy; differences between runs read alike are not
 * affected beyond that relative size), lengths by 4.4e-9 relative. One set of
 * constants for every version: the version string is not a reliable guide to a
 * build's constants, and the shared reference values use these.
 *
 * What is read, and where from:
 *  - program/version: "Program PWSCF v.6.7MaX starts on ..." (version "6.7MaX");
 *    lines before it are skipped. A second "Program PWSCF" (outputs concatenated)
 *    ends the reading with a warning: only the first run is read.
 *  - header: "number of atoms/cell", "number of atomic types" (checked before
 *    anything is allocated), celldm(1) (bohr; "lattice parameter (alat)" if absent),
 *    "crystal axes: (cart. coord. in units of alat)", the "PseudoPot. # N for X
 *    read from file:" lines (the file name on the next line, without its folder,
 *    goes into dp_species.potential), the "atomic species   valence    mass
 *    pseudopotential" table (valence → zval, mass; the element is the table's last
 *    column, the element the pseudopotential file declares; if that is not an
 *    element, the label: "Fe1", "Fe_up", "O2" → Fe, Fe, O — two letters when they
 *    make an element, else one), and the "site n. atom positions (alat units)"
 *    table, whose labels give each atom its species (atoms of one species need not
 *    be contiguous). That table is the initial structure, frame -1.
 *  - ISPIN 2 from "Starting magnetic structure" (printed for nspin = 2 only), the
 *    "(up: ..., down: ...)" electron count, "------ SPIN UP ----", two Fermi
 *    energies; noncollinear from "Noncollinear calculation" (ISPIN stays 1, as for
 *    VASP's LNONCOLLINEAR), spin-orbit from "... with spin-orbit".
 *  - smearing: "number of k points= N  Gaussian smearing, width (Ry)= 0.0100":
 *    sigma in eV; ismear 0 Gaussian, 1 Methfessel-Paxton (pw.x's is first order),
 *    -1 Fermi-Dirac, -5 tetrahedra; Marzari-Vanderbilt (cold) smearing and fixed
 *    occupations have no VASP number: ismear stays 0, sigma says the width (0 for
 *    fixed occupations).
 *  - energies of every ionic step: "!    total energy" is the free energy F (it
 *    includes the smearing term -TS); "smearing contrib. (-TS)" and "internal
 *    energy E=F+TS" where printed (6.x+ print the latter; 5.x/6.1 only the former):
 *        e_free      = "!    total energy"
 *        e_noentropy = "internal energy E=F+TS" if printed, else e_free - (-TS) if
 *                      the smearing term is printed, else e_free
 *        e_sigma0    = (e_free + e_noentropy) / 2, the sigma -> 0 estimate VASP
 *                      prints as energy(sigma->0) (exact for Gaussian smearing to
 *                      second order in sigma)
 *        e_sigma0_raw = NaN: pw.x writes no such number.
 *    A step's energy block is complete when a line that follows it arrives
 *    ("convergence has been achieved", the forces, the next positions, the next
 *    SCF, "JOB DONE", ...), or, at the end of a cut file, when its "!" line (and
 *    the smearing term, for a smeared run) has been read. Hybrid-functional runs
 *    (header "EXX-fraction") print "!" for each inner SCF and "!!" for the
 *    converged one: only the "!!" lines are ionic steps there.
 *  - structures, and which energy each belongs to. The k-th "!" energy (k from 0)
 *    is the energy of the geometry the k-th SCF ran on: the initial positions of
 *    the header for k = 0, and for k > 0 the last ATOMIC_POSITIONS block (with the
 *    CELL_PARAMETERS block before it, vc-relax) printed after energy k-1. relax,
 *    vc-relax and md print a step's new positions AFTER the "!" energy of the step
 *    before, so a block belongs to the NEXT energy. The "Begin final coordinates"
 *    block of a relax repeats the geometry of its last energy (BFGS stops without
 *    moving the atoms) and has no energy of its own; in a vc-relax it is the
 *    structure of the final SCF, whose "!" follows it. This is ASE's pairing too
 *    (ase.io.espresso.read_espresso_out: a configuration owns the results printed
 *    between it and the next configuration, and one with no results — the final
 *    coordinates of a relax — is dropped). Unlike ASE, "ATOMIC_POSITIONS" counts
 *    only at the start of a line: pw.x 6.0 also writes "ATOMIC_POSITIONS: units
 *    set to alat" in its input echo, on which ASE 3.22 stops. A frame is committed
 *    with its energy (dp_read_opts.all_frames keeps every one: frame -1 is the
 *    initial structure, frame k that of energy k; else the last only), so a cut
 *    file keeps the structure of its last complete step. Positions in alat, bohr,
 *    angstrom or crystal units; CELL_PARAMETERS in alat (the "alat=" given), bohr
 *    or angstrom; if_pos flags ("0 0 0") → dp_frame.movable. ATOMIC_POSITIONS
 *    labels are printed in 3 columns, so they are matched by prefix.
 *  - forces: "Forces acting on atoms (cartesian axes, Ry/au)", Ry/bohr → eV/Å,
 *    attached to the frame of the step just committed (they follow its energy; a
 *    run killed while computing them keeps the step without forces).
 *  - Fermi level: "the Fermi energy is" → efermi; "the spin up/dw Fermi energies
 *    are" (fixed total magnetization) → efermi_spin[0..1], has_efermi_spin, efermi
 *    = the higher; "highest occupied level" / "highest occupied, lowest unoccupied
 *    level" → has_homo, homo, lumo (NaN when not printed).
 *  - magnetization: the last "total magnetization" and "absolute magnetization"
 *    (μB/cell) → has_mag_total, mag_total, mag_abs (noncollinear runs print a
 *    vector: mag_total is its length); the last "Magnetic moment per site" block
 *    (6.x "atom: 1 charge: ... magn: ...", 7.x "atom 1 (R=0.200) charge= ...
 *    magn= ...") → run->mag with ncomp 1 and one column "tot"; the noncollinear
 *    blocks ("atom number N relative position", "magnetization : x y z") → ncomp 3.
 *    mag.total is the sum over the atoms (as OUTCAR's "tot" row); the cell's own
 *    total is mag_total. These, like the Fermi level, are taken as they stood when
 *    the last complete step was committed: a cut file, or a run whose last SCF
 *    did not converge, does not report the half-done SCF after it. nscf/bands
 *    runs have no "!" energy: there the values printed after "End of band
 *    structure calculation" (the Fermi level follows the bands) are kept.
 *  - convergence: "convergence NOT achieved" → converged = -1 and a warning; in a
 *    geometry optimisation "bfgs converged" / "End of BFGS Geometry Optimization"
 *    → 1, "bfgs failed", "The maximum number of steps has been reached" or
 *    "history already reset at previous step: stopping" → -1 with a warning; a
 *    run without BFGS is converged when its (last) SCF is.
 *  - completeness: "JOB DONE." ends a whole run. Otherwise status.complete is false
 *    and status.missing says what, e.g. "JOB DONE (run cut off during ionic step
 *    4)", with the "Error in routine ..." text pw.x wrote if any. A last line
 *    without its '\n' is where the file was cut and is not parsed.
 *
 *  - settings (dftpost.h, dp_run_setting; qe_common.h makes them as qexml.c does):
 *    CODE = QE, VERSION, XC, ENCUT, ISPIN, SMEARING, SIGMA, LDAU (+ LDAUL, LDAUU),
 *    IVDW and POTCAR, from the header lines pwout_header.c lists.
 *
 * Fortran overflow fields ("*****") are read as NaN, counted, and reported in one
 * warning. Errors are one line: "FILE: line N: what".
 */
#include "pwout_reader.h"
#include "text_lines.h"

/* ---- the main loop ------------------------------------------------------- */

static void scf_not_converged(pw *s, const char *t)
{
    s->scf_failed = true;
    if (!s->warned_scf) {
        s->warned_scf = true;
        char q[96];
        dp_run_warn(s->run, "%s: line %ld: an SCF did not converge (\"%s\"): its energies are "
                    "not reliable", s->path, s->lineno, pw_quote(t, 80, q, sizeof q));
    }
}

static void ionic_not_converged(pw *s, const char *t)
{
    if (!s->ionic_failed) {
        char q[96];
        dp_run_warn(s->run, "%s: line %ld: the geometry optimisation did not converge (\"%s\")",
                    s->path, s->lineno, pw_quote(t, 80, q, sizeof q));
    }
    s->ionic_failed = true;
}

/* Lines that follow a step's energy block: it is complete when one arrives. */
static bool ends_energy_block(const char *t)
{
    static const char *const ends[] = {
        "convergence has been achieved", "Forces acting on atoms", "ATOMIC_POSITIONS",
        "CELL_PARAMETERS", "Begin final coordinates", "Writing output data file",
        "Writing config-only", "Self-consistent Calculation", "BFGS Geometry Optimization",
        "End of", "bfgs converged", "number of scf cycles", "JOB DONE", "init_run",
        "Computing stress", "total   stress", "iteration #", "total cpu time spent",
        "Program PWSCF", "PWSCF  ", "Entering Dynamics", "The maximum number of steps",
        "bfgs failed", "convergence NOT achieved", "%%%%", NULL};
    for (int k = 0; ends[k]; k++)
        if (pw_starts(t, ends[k]))
            return true;
    return false;
}

static pw_result on_line(pw *s)
{
    dp_run *run = s->run;
    const char *t = pw_skip_ws(s->line);
    if (!*t)
        return PW_OK;
    if (!s->seen_program) {
        const char *p = strstr(t, "Program PWSCF");
        if (!p)
            return PW_OK;
        s->seen_program = true;
        snprintf(run->program, sizeof run->program, "pw.x");
        const char *v = strstr(p, " v.");
        if (v) {
            v += 3;
            size_t w = strcspn(v, " ");
            snprintf(run->version, sizeof run->version, "%.*s", (int)(w < 63 ? w : 63), v);
        }
        return PW_OK;
    }
    if (s->error_next) {
        s->error_next = false;
        size_t used = strlen(s->error_text);
        char q[120];
        snprintf(s->error_text + used, sizeof s->error_text - used, " %s",
                 pw_quote(t, 110, q, sizeof q));
    }
    if (s->pseudo_next >= 0) {
        const char *base = strrchr(t, '/');
        snprintf(s->psfile[s->pseudo_next], sizeof s->psfile[0], "%.79s", base ? base + 1 : t);
        s->pseudo_next = -1;
        return PW_OK;
    }
    if (!s->hdr_done) {
        if (*t == '!')
            s->hdr_done = true;
        else
            pw_on_header_line(s, t);
    }
    pw_result rc;
    if (s->have_energy && ends_energy_block(t) && (rc = pw_commit_step(s)))
        return rc;
    switch (*t) {
    case '!':
        return pw_on_energy(s, t);
    case '-':
        if (pw_starts(t, "------ SPIN UP"))
            s->lsda = true;
        return PW_OK;
    case '%':
        return PW_OK;
    case 'A':
        if (pw_starts(t, "ATOMIC_POSITIONS") && (t[16] == '\0' || t[16] == ' ' || t[16] == '(' ||
                                              t[16] == '{'))
            return pw_read_positions(s, t);
        return PW_OK;
    case 'B':
        if (pw_starts(t, "Begin final coordinates"))
            s->in_final_coords = true;
        else if (pw_starts(t, "BFGS Geometry Optimization"))
            s->saw_bfgs = true;
        return PW_OK;
    case 'C':
        if (pw_starts(t, "CELL_PARAMETERS") && (t[15] == '\0' || t[15] == ' ' || t[15] == '(' ||
                                             t[15] == '{'))
            return pw_read_cell(s, t);
        return PW_OK;
    case 'E':
        if (pw_starts(t, "End of BFGS Geometry Optimization")) {
            s->saw_bfgs = true;
            s->ionic_ok = true;
        } else if (pw_starts(t, "End final coordinates")) {
            s->in_final_coords = false;
        } else if (pw_starts(t, "End of band structure calculation")) {
            s->bands_done = true;
        } else if (pw_starts(t, "Error in routine")) {
            char q[96];
            snprintf(s->error_text, sizeof s->error_text, "%s", pw_quote(t, 80, q, sizeof q));
            s->error_next = true;
        } else if (pw_starts(t, "EXX-fraction") || pw_starts(t, "EXX: now go back")) {
            s->exx = true;
        }
        return PW_OK;
    case 'F':
        if (pw_starts(t, "Forces acting on atoms"))
            return pw_read_forces(s);
        return PW_OK;
    case 'J':
        if (pw_starts(t, "JOB DONE"))
            s->job_done = true;
        return PW_OK;
    case 'M':
        if (pw_starts(t, "Magnetic moment per site"))
            return pw_read_site_moments(s);
        return PW_OK;
    case 'N':
        if (pw_starts(t, "Noncollinear calculation")) {
            s->noncolin = true;
            if (strstr(t, "with spin-orbit") && !strstr(t, "without"))
                s->lsorbit = true;
        } else if (pw_starts(t, "Non magnetic calculation with spin-orbit")) {
            s->noncolin = s->lsorbit = true;
        }
        return PW_OK;
    case 'P':
        if (strstr(t, "Program PWSCF")) {
            s->second_run = true;
            s->second_run_line = s->lineno;
            return PW_EOF;
        }
        if (pw_starts(t, "PseudoPot. #"))
            return pw_on_pseudo(s, t);
        return PW_OK;
    case 'S':
        if (pw_starts(t, "Self-consistent Calculation"))
            s->step_started = true;
        else if (pw_starts(t, "Starting magnetic structure"))
            s->lsda = true;
        return PW_OK;
    case 'T':
        if (pw_starts(t, "The maximum number of steps has been reached"))
            ionic_not_converged(s, t);
        return PW_OK;
    case 'a':
        if (pw_starts(t, "atomic species   valence    mass     pseudopotential"))
            return pw_read_species(s);
        if (pw_starts(t, "atom number"))
            pw_on_ncl_atom(s, t);
        else if (pw_starts(t, "absolute magnetization"))
            return pw_on_total_mag(s, t, true);
        return PW_OK;
    case 'b':
        if (pw_starts(t, "bfgs converged")) {
            s->saw_bfgs = true;
            s->ionic_ok = true;
        } else if (pw_starts(t, "bfgs failed")) {
            s->saw_bfgs = true;
            ionic_not_converged(s, t);
        }
        return PW_OK;
    case 'c':
        if (pw_starts(t, "celldm(1)=")) {
            double v;
            const char *p = t + 10;
            if (pw_num_field(s, &p, &v) && v > 0) {
                s->alat = v;
                s->have_alat = s->have_celldm = true;
            }
        } else if (pw_starts(t, "crystal axes: (cart. coord. in units of alat)")) {
            return pw_read_axes(s);
        } else if (pw_starts(t, "convergence has been achieved")) {
            s->scf_ok = true;
        } else if (pw_starts(t, "convergence NOT achieved")) {
            scf_not_converged(s, t);
        }
        return PW_OK;
    case 'h':
        if (pw_starts(t, "highest occupied, lowest unoccupied level")) {
            const char *p = strchr(t, ':');
            double v[3];
            if (p && pw_scan_numbers(s, p + 1, v, 2, NULL) == 2) {
                s->fl.homo = true;
                s->fl.homo_v = v[0];
                s->fl.lumo_v = v[1];
            }
        } else if (pw_starts(t, "highest occupied level")) {
            const char *p = strchr(t, ':');
            double v[2];
            if (p && pw_scan_numbers(s, p + 1, v, 1, NULL) == 1) {
                s->fl.homo = true;
                s->fl.homo_v = v[0];
                s->fl.lumo_v = NAN;
            }
        } else if (pw_starts(t, "history already reset at previous step: stopping")) {
            s->saw_bfgs = true;
            ionic_not_converged(s, t);
        }
        return PW_OK;
    case 'i':
        if (pw_starts(t, "internal energy E=F+TS") && s->have_energy) {
            double v;
            if ((rc = pw_value_after_eq(s, t, &v, "internal energy")))
                return rc;
            s->internal_ry = v;
            s->have_internal = true;
        } else if (pw_starts(t, "iteration #")) {
            s->step_started = true;
        }
        return PW_OK;
    case 'l':
        if (pw_starts(t, "lattice parameter (alat)") && !s->have_celldm) {
            double v;
            if ((rc = pw_value_after_eq(s, t, &v, "lattice parameter")))
                return rc;
            if (v > 0) {
                s->alat = v;
                s->have_alat = true;
            }
        }
        return PW_OK;
    case 'm':
        if (pw_starts(t, "magnetization :"))
            pw_on_ncl_magnetization(s, t);
        return PW_OK;
    case 'n':
        if (pw_starts(t, "number of atoms/cell"))
            return pw_read_count(s, t, MAX_ATOMS, &s->nat, "number of atoms/cell");
        if (pw_starts(t, "number of atomic types"))
            return pw_read_count(s, t, MAX_TYPES, &s->ntyp, "number of atomic types");
        if (pw_starts(t, "number of electrons") && strstr(t, "(up:"))
            s->lsda = true;
        else if (pw_starts(t, "number of k points=")) {
            const char *p = strstr(t, "smearing, width (Ry)=");
            double v;
            if (p && pw_num_field(s, &(const char *){p + 21}, &v)) {
                s->smeared = true;
                run->params.sigma = v * RYTOEV;
                run->params.ismear = strstr(t, "Methfessel-Paxton") ? 1
                                     : strstr(t, "Fermi-Dirac")     ? -1
                                                                    : 0;
            } else if (strstr(t, "tetrahedron")) {
                run->params.ismear = -5;
            }
        }
        return PW_OK;
    case 's':
        if (pw_starts(t, "site n.") && strstr(t, "positions (alat units)"))
            return pw_read_sites(s);
        if (pw_starts(t, "smearing contrib. (-TS)") && s->have_energy) {
            double v;
            if ((rc = pw_value_after_eq(s, t, &v, "smearing contrib.")))
                return rc;
            s->ts_ry = v;
            s->have_ts = true;
        }
        return PW_OK;
    case 't':
        if (pw_starts(t, "the Fermi energy is")) {
            double v;
            const char *p = t + 19;
            if (pw_num_field(s, &p, &v)) {
                s->fl.ef = true;
                s->fl.efermi = v;
            }
        } else if (pw_starts(t, "the spin up/dw Fermi energies are")) {
            double v[3];
            if (pw_scan_numbers(s, t + 33, v, 2, NULL) == 2) {
                s->fl.ef2 = true;
                s->fl.ef_spin[0] = v[0];
                s->fl.ef_spin[1] = v[1];
            }
        } else if (pw_starts(t, "total magnetization")) {
            return pw_on_total_mag(s, t, false);
        }
        return PW_OK;
    default:
        return PW_OK;
    }
}

/* ---- the end ------------------------------------------------------------- */

static dp_status finish(pw *s)
{
    dp_run *run = s->run;
    if (!s->seen_program)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: %s", s->path,
                       s->lineno || s->partial_last
                           ? "not a pw.x output: no \"Program PWSCF\" line"
                           : "file is empty");
    if (!s->atoms_ready)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: file ends before the atom list "
                       "(\"site n.     atom     positions (alat units)\"): cut off in its "
                       "header", s->path, s->lineno);
    /* the last step: whole if its energies are */
    pw_result rc;
    if (s->have_energy && (!s->smeared || s->have_ts || s->have_internal) &&
        (rc = pw_commit_step(s)) != PW_OK)
        return s->fail_code;
    bool whole = s->job_done && !s->gz_truncated;
    /* an nscf/bands run prints its Fermi level after "End of band structure
     * calculation", with the bands; there is no energy to wait for */
    if (s->bands_done && !s->have_energy && (rc = pw_apply_floating(s)) != PW_OK)
        return s->fail_code;

    dp_params *p = &run->params;
    p->lnoncollinear = s->noncolin;
    p->lsorbit = s->lsorbit;
    p->ispin = s->lsda && !s->noncolin ? 2 : 1;
    if (s->scf_failed)
        run->status.converged = -1;
    else if (s->saw_bfgs)
        run->status.converged = s->ionic_failed ? -1 : s->ionic_ok ? 1 : 0;
    else
        run->status.converged = s->scf_ok ? 1 : 0;
    if (s->ionic_failed)
        run->status.converged = -1;

    if (s->second_run)
        dp_run_warn(run, "%s: line %ld: a second pw.x run starts here (outputs concatenated?); "
                    "only the first one is read", s->path, s->second_run_line);
    dp_completeness *c = &run->status;
    if (whole) {
        dp_gzl_complete(c);
        return DP_OK;
    }
    c->complete = false;
    c->break_line = s->second_run ? s->second_run_line : s->lineno;
    size_t used = 0;
    bool during = s->step_started || s->have_energy || run->nsteps == 0;
    char said[260] = "";
    if (s->error_text[0])
        snprintf(said, sizeof said, "pw.x stopped with \"%.200s\"", s->error_text);
    else
        snprintf(said, sizeof said, "run cut off");
    if (during)
        dp_gzl_add_missing(c, &used, "JOB DONE (%s during ionic step %d)", said, run->nsteps + 1);
    else
        dp_gzl_add_missing(c, &used, "JOB DONE (%s after ionic step %d)", said, run->nsteps);
    if (s->gz_truncated)
        dp_gzl_add_missing(c, &used, "the end of the gzip stream");
    dp_run_warn(run, "%s: incomplete file: it ends at line %ld, %s%s; kept what was complete "
                "before (%d ionic step%s); missing: %s", s->path, c->break_line,
                s->error_text[0] ? "after an error" : "cut off (a killed run?)",
                s->gz_truncated ? " inside its gzip stream" : "", run->nsteps,
                run->nsteps == 1 ? "" : "s", c->missing);
    return DP_OK;
}

static dp_status parse(pw *s)
{
    pw_result rc;
    while ((rc = pw_next_line(s)) == PW_OK) {
        if ((rc = on_line(s)) != PW_OK)
            break;
    }
    if (rc == PW_FAIL)
        return s->fail_code;
    if (!s->seen_program && s->partial_last && strstr(s->line, "Program PWSCF")) {
        s->partial_last = false;
        if (on_line(s) == PW_FAIL)
            return s->fail_code;
    }
    return finish(s);
}

dp_status dp_pwout_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    pw s = {.path = path, .err = err, .pseudo_next = -1, .ecut_ry = NAN, .degauss_ry = NAN};
    if (opts)
        s.opts = *opts;
    dp_status code = dp_gzl_open(path, READ_CHUNK, MAX_LINE, true, &s.f, &s.raw, &s.line,
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
    dp_run *run = s.run;
    snprintf(run->path, sizeof run->path, "%s", path);
    run->params.lorbit = -1;
    run->first_frame_step = -1;
    run->efermi = run->homo = run->lumo = NAN;
    run->mag_total = run->mag_abs = NAN;
    code = parse(&s);
    if (code == DP_OK)
        code = pw_settings(&s);
    if (code == DP_OK && s.overflows)
        dp_run_warn(run, "%s: %ld number field(s) overflowed (\"****\") and were read as NaN",
                    path, s.overflows);
    free(s.types);
    free(s.psfile);
    free(s.frac);
    free(s.movable);
    free(s.site_tmp);
    free(s.fl.site_val);
    free(s.raw);
    free(s.line);
    gzclose(s.f);
    if (code != DP_OK) {
        dp_run_free(run);
        return code;
    }
    if (s.opts.progress)
        s.opts.progress(s.fsize, s.fsize, s.opts.progress_ud);
    *out = run;
    return DP_OK;
}
