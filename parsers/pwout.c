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
 * Fortran overflow fields ("*****") are read as NaN, counted, and reported in one
 * warning. Errors are one line: "FILE: line N: what".
 */
#include "dftpost.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define RYTOEV 13.605693122994
#define BOHR_ANGS 0.529177210903
#define MAX_ATOMS 10000000
#define MAX_TYPES 10000
#define MAX_LINE 65536
#define READ_CHUNK (1 << 16)
#define MAX_NUMS 16

typedef enum { PW_OK = 0, PW_EOF, PW_FAIL } pw_result;

typedef struct {
    char label[16];     /* as the species table prints it ("Fe1") */
    char symbol[4];
    double zval, mass;
    char potential[80];
    int count;
} pw_type;

/* Values printed during an ionic step, applied to the run when the step is
 * committed (see the top of this file). */
typedef struct {
    bool ef, ef2, homo, mtot, mabs, site;
    double efermi, ef_spin[2], homo_v, lumo_v, mag_total, mag_abs;
    int site_ncomp;
    double *site_val;   /* [site_ncomp][natoms] */
} pw_floating;

typedef struct {
    gzFile f;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    long long fsize;

    /* reading */
    char *raw;
    size_t raw_len, raw_pos;
    bool raw_eof;
    char *line;
    size_t line_len;
    bool line_cut;
    bool pushed_back;
    long lineno;
    bool gz_truncated;
    bool partial_last;
    long overflows;

    /* header */
    bool seen_program;
    bool second_run;
    long second_run_line;
    long nat, ntyp;
    double alat;        /* bohr */
    bool have_alat, have_celldm;
    double axes[3][3];  /* alat units */
    bool have_axes;
    pw_type *types;
    int ntypes_read;
    char (*psfile)[80]; /* [ntyp] from the PseudoPot. lines */
    int pseudo_next;    /* type (0-based) whose file name is on the next line, or -1 */
    bool smeared, exx, noncolin, lsorbit, lsda;
    bool atoms_ready;

    /* the current geometry: the one the next SCF runs on */
    double lattice[3][3];
    double (*frac)[3];
    unsigned char (*movable)[3];
    bool geom_dirty;    /* changed since the last committed step */
    bool in_final_coords;

    /* the energy of the step being read */
    bool have_energy, have_ts, have_internal;
    double e_ry, ts_ry, internal_ry;
    bool step_started;
    int energy_cap;

    pw_floating fl;
    double *site_tmp;   /* [3][natoms]: the block being read */
    int site_tmp_ncomp;
    long ncl_site;      /* noncollinear blocks: the atom (1-based) being read, 0 none */

    /* convergence and the end */
    bool scf_failed, scf_ok, saw_bfgs, ionic_ok, ionic_failed;
    bool bands_done;    /* "End of band structure calculation" (nscf, bands) */
    bool warned_scf;
    bool job_done;
    bool error_next;    /* the line after "Error in routine" is its message */
    char error_text[200];
} pw;

/* ---- errors and reading -------------------------------------------------- */

static pw_result pw_fail(pw *s, dp_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static pw_result pw_fail(pw *s, dp_status code, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (s->lineno)
        dp_fail(s->err, code, "%s: line %ld: %s", s->path, s->lineno, what);
    else
        dp_fail(s->err, code, "%s: %s", s->path, what);
    s->fail_code = code;
    return PW_FAIL;
}

/* At most n characters of t for a message, non-printables as '?'. */
static const char *quote(const char *t, size_t n, char *buf, size_t size)
{
    size_t i = 0;
    while (*t == ' ')
        t++;
    for (; t[i] && i < n && i + 1 < size; i++)
        buf[i] = (t[i] >= 32 && t[i] < 127) ? t[i] : '?';
    while (i && buf[i - 1] == ' ')
        i--;
    buf[i] = '\0';
    return buf;
}

static pw_result fill_raw(pw *s)
{
    if (s->raw_eof)
        return PW_EOF;
    int n = gzread(s->f, s->raw, READ_CHUNK);
    int errnum = Z_OK;
    if (n <= 0)
        gzerror(s->f, &errnum);
    if (n < 0 && errnum != Z_BUF_ERROR)
        return pw_fail(s, DP_ERR_IO, "cannot read (corrupt gzip stream?): %s",
                       errnum == Z_ERRNO ? strerror(errno) : gzerror(s->f, &errnum));
    if (n <= 0) {
        if (errnum == Z_BUF_ERROR) /* the gzip stream stops early: a cut file */
            s->gz_truncated = true;
        else if (errnum != Z_OK && errnum != Z_STREAM_END)
            return pw_fail(s, DP_ERR_IO, "cannot read (corrupt gzip stream?)");
        s->raw_eof = true;
        return PW_EOF;
    }
    s->raw_len = (size_t)n;
    s->raw_pos = 0;
    return PW_OK;
}

/* Next line into s->line, without its '\n', NUL/tab/CR as blanks, trailing blanks
 * removed. PW_EOF at the end of the file; a last line without '\n' is then left in
 * s->line with partial_last set, unparsed. */
static pw_result next_line(pw *s)
{
    if (s->pushed_back) {
        s->pushed_back = false;
        return PW_OK;
    }
    s->line_len = 0;
    s->line_cut = false;
    bool any = false;
    for (;;) {
        if (s->raw_pos == s->raw_len) {
            pw_result rc = fill_raw(s);
            if (rc == PW_FAIL)
                return rc;
            if (rc == PW_EOF) {
                if (!any)
                    return PW_EOF;
                s->partial_last = true;
                break;
            }
        }
        any = true;
        char *start = s->raw + s->raw_pos;
        size_t avail = s->raw_len - s->raw_pos;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        size_t room = MAX_LINE - s->line_len;
        size_t copy = take < room ? take : room;
        if (copy < take)
            s->line_cut = true;
        memcpy(s->line + s->line_len, start, copy);
        s->line_len += copy;
        s->raw_pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    s->lineno++;
    char *l = s->line;
    size_t n = s->line_len;
    for (size_t i = 0; i < n; i++)
        if (l[i] == '\0' || l[i] == '\t' || l[i] == '\r')
            l[i] = ' ';
    while (n && l[n - 1] == ' ')
        n--;
    l[n] = '\0';
    s->line_len = n;
    if (s->partial_last)
        return PW_EOF;
    if (s->opts.progress && (s->lineno & 0x3FFF) == 0)
        s->opts.progress((long long)gzoffset(s->f), s->fsize, s->opts.progress_ud);
    return PW_OK;
}

/* The next row of a block: a line cut at MAX_LINE is an error here (its numbers
 * may be cut). */
static pw_result next_row(pw *s, const char *what)
{
    pw_result rc = next_line(s);
    if (rc == PW_OK && s->line_cut)
        return pw_fail(s, DP_ERR_FORMAT, "%s: line longer than %d characters", what, MAX_LINE);
    return rc;
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

static bool starts(const char *t, const char *prefix)
{
    return strncmp(t, prefix, strlen(prefix)) == 0;
}

/* ---- numbers ------------------------------------------------------------- */

/* One number at *pp (blanks skipped): decimal, or a run of '*' (NaN, counted).
 * Numbers may touch ("0.5000000-0.2500000"). False if there is none. */
static bool num_field(pw *s, const char **pp, double *v)
{
    const char *p = skip_ws(*pp);
    if (*p == '*') {
        while (*p == '*')
            p++;
        *v = NAN;
        s->overflows++;
        *pp = p;
        return true;
    }
    const char *q = p;
    if (*q == '-' || *q == '+')
        q++;
    if (!((*q >= '0' && *q <= '9') || (*q == '.' && q[1] >= '0' && q[1] <= '9')))
        return false;
    char *end;
    double x = strtod(p, &end);
    if (end == p)
        return false;
    for (const char *c = p; c < end; c++)
        if (!strchr("0123456789+-.eE", *c))
            return false; /* hex, inf, nan */
    *v = x;
    *pp = end;
    return true;
}

/* Numbers from p until something that is not one (or the end). Returns the count
 * (max + 1 if more than max follow); *rest points after the last one read. */
static int scan_numbers(pw *s, const char *p, double *out, int max, const char **rest)
{
    int n = 0;
    for (;;) {
        double v;
        const char *q = p;
        if (!num_field(s, &q, &v))
            break;
        if (n == max)
            return max + 1;
        out[n++] = v;
        p = q;
    }
    if (rest)
        *rest = p;
    return n;
}

/* The number after the last '=' of t (pw.x's "name = value unit" lines). */
static pw_result value_after_eq(pw *s, const char *t, double *v, const char *what)
{
    const char *p = strrchr(t, '=');
    if (p && num_field(s, &(const char *){p + 1}, v))
        return PW_OK;
    char q[64];
    return pw_fail(s, DP_ERR_FORMAT, "%s: no number after '=' in \"%s\"", what,
                   quote(t, 60, q, sizeof q));
}

static bool valid_element(const char *sym) { return dp_covalent_radius(sym) > 0; }

/* Element from a species label or a pseudopotential's element name: "Fe1",
 * "Fe_up", "fe", "O2", "O" → Fe, Fe, Fe, O, O. False if neither one nor two
 * leading letters make an element. */
static bool element_of(const char *t, char sym[4])
{
    t = skip_ws(t);
    if (!isalpha((unsigned char)t[0]))
        return false;
    sym[0] = (char)toupper((unsigned char)t[0]);
    sym[1] = sym[2] = sym[3] = '\0';
    if (isalpha((unsigned char)t[1])) {
        sym[1] = (char)tolower((unsigned char)t[1]);
        if (valid_element(sym))
            return true;
        sym[1] = '\0';
    }
    return valid_element(sym);
}

/* ---- geometry ------------------------------------------------------------ */

static bool invert(const double m[3][3], double inv[3][3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                 m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (!(fabs(det) > 1e-12) || !isfinite(det))
        return false;
    inv[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
    inv[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
    inv[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
    inv[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
    inv[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
    inv[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
    inv[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
    inv[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
    inv[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
    return true;
}

static void to_frac(const double inv[3][3], const double c[3], double f[3])
{
    for (int k = 0; k < 3; k++)
        f[k] = c[0] * inv[0][k] + c[1] * inv[1][k] + c[2] * inv[2][k];
}

/* Appends (or, keeping only the last, replaces) a frame of the current geometry. */
static pw_result commit_frame(pw *s, int step)
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

/* ---- committing a step --------------------------------------------------- */

static pw_result apply_floating(pw *s)
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
static pw_result commit_step(pw *s)
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
    pw_result rc = commit_frame(s, run->nsteps);
    if (rc)
        return rc;
    run->nsteps++;
    s->have_energy = s->have_ts = s->have_internal = false;
    s->step_started = false;
    return apply_floating(s);
}

/* ---- the header ---------------------------------------------------------- */

static pw_result read_count(pw *s, const char *t, long max, long *out, const char *what)
{
    double v;
    pw_result rc = value_after_eq(s, t, &v, what);
    if (rc)
        return rc;
    if (!(v >= 1 && v <= (double)max) || v != floor(v))
        return pw_fail(s, DP_ERR_FORMAT, "%s = %g is out of range [1, %ld]", what, v, max);
    if (*out && *out != (long)v)
        return pw_fail(s, DP_ERR_FORMAT, "%s changes from %ld to %ld", what, *out, (long)v);
    *out = (long)v;
    return PW_OK;
}

static pw_result need_counts(pw *s, const char *what)
{
    if (!s->nat || !s->ntyp)
        return pw_fail(s, DP_ERR_FORMAT, "%s before \"number of atoms/cell\" and \"number of "
                       "atomic types\"", what);
    return PW_OK;
}

/* "crystal axes: (cart. coord. in units of alat)": a(1) = (  x  y  z ), three rows. */
static pw_result read_axes(pw *s)
{
    double ax[3][3];
    for (int i = 0; i < 3; i++) {
        pw_result rc = next_row(s, "crystal axes");
        if (rc)
            return rc;
        const char *p = strstr(s->line, "= (");
        double v[4];
        if (!p || scan_numbers(s, p + 3, v, 3, NULL) != 3) {
            char q[64];
            return pw_fail(s, DP_ERR_FORMAT, "crystal axis a(%d): expected \"a(%d) = ( x y z )\", "
                           "found \"%s\"", i + 1, i + 1, quote(s->line, 60, q, sizeof q));
        }
        memcpy(ax[i], v, sizeof ax[i]);
    }
    memcpy(s->axes, ax, sizeof ax);
    s->have_axes = true;
    if (s->atoms_ready && s->have_alat) /* printed again (vc-relax final scf) */
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++)
                s->lattice[i][k] = ax[i][k] * s->alat * BOHR_ANGS;
    return PW_OK;
}

/* "PseudoPot. # 1 for O  read from file:" and the file on the next line. */
static pw_result on_pseudo(pw *s, const char *t)
{
    pw_result rc = need_counts(s, "a \"PseudoPot.\" line");
    if (rc)
        return rc;
    const char *p = strchr(t, '#');
    char *end;
    long k = p ? strtol(p + 1, &end, 10) : 0;
    if (k < 1 || k > s->ntyp)
        return PW_OK; /* "#**" for a hundredth species: no file name kept */
    if (!s->psfile) {
        s->psfile = calloc((size_t)s->ntyp, sizeof *s->psfile);
        if (!s->psfile)
            return pw_fail(s, DP_ERR_NOMEM, "out of memory");
    }
    const char *f = strstr(t, "read from file");
    if (f && (f = strchr(f, ':')) && *skip_ws(f + 1)) { /* the file on the same line */
        f = skip_ws(f + 1);
    } else {
        s->pseudo_next = (int)k - 1;
        return PW_OK;
    }
    const char *base = strrchr(f, '/');
    snprintf(s->psfile[k - 1], sizeof s->psfile[k - 1], "%.79s", base ? base + 1 : f);
    return PW_OK;
}

/* "atomic species   valence    mass     pseudopotential": one row per species,
 * "   Fe1            8.00    55.84500     Fe( 1.00)". */
static pw_result read_species(pw *s)
{
    pw_result rc = need_counts(s, "the species table");
    if (rc)
        return rc;
    if (s->types)
        return PW_OK; /* printed again: the first one stands */
    s->types = calloc((size_t)s->ntyp, sizeof *s->types);
    if (!s->types)
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld species", s->ntyp);
    for (long i = 0; i < s->ntyp; i++) {
        if ((rc = next_row(s, "species table")))
            return rc;
        char q[64];
        const char *t = skip_ws(s->line);
        size_t w = strcspn(t, " ");
        if (!*t || w >= sizeof s->types[i].label)
            return pw_fail(s, DP_ERR_FORMAT, "species table has %ld rows, \"number of atomic "
                           "types\" = %ld (found \"%s\")", i, s->ntyp, quote(t, 40, q, sizeof q));
        pw_type *ty = &s->types[i];
        memcpy(ty->label, t, w);
        ty->label[w] = '\0';
        double v[3];
        const char *rest;
        if (scan_numbers(s, t + w, v, 2, &rest) != 2)
            return pw_fail(s, DP_ERR_FORMAT, "species %s: expected label, valence, mass, found "
                           "\"%s\"", ty->label, quote(t, 60, q, sizeof q));
        ty->zval = v[0];
        ty->mass = v[1];
        /* the element the pseudopotential declares, "Fe( 1.00)" or "O ( 1.00)" */
        rest = skip_ws(rest);
        size_t pl = strcspn(rest, "( ");
        char psd[4] = "";
        if (pl >= 1 && pl <= 2 && isalpha((unsigned char)rest[0]) &&
            (pl == 1 || isalpha((unsigned char)rest[1]))) {
            psd[0] = (char)toupper((unsigned char)rest[0]);
            psd[1] = pl == 2 ? (char)tolower((unsigned char)rest[1]) : '\0';
        }
        if (psd[0] && valid_element(psd))
            memcpy(ty->symbol, psd, sizeof psd);
        else if (!element_of(ty->label, ty->symbol))
            return pw_fail(s, DP_ERR_FORMAT, "species %s: no element in its label or in \"%s\"",
                           ty->label, quote(rest, 20, q, sizeof q));
    }
    s->ntypes_read = (int)s->ntyp;
    return PW_OK;
}

static int type_of_label(pw *s, const char *label, bool prefix)
{
    for (int t = 0; t < s->ntypes_read; t++) {
        if (prefix ? (*label && strncmp(s->types[t].label, label, strlen(label)) == 0)
                   : strcmp(s->types[t].label, label) == 0)
            return t;
    }
    return -1;
}

/* Sets up species and atoms from the types and the labels of the site table. */
static pw_result setup_atoms(pw *s, const int *type)
{
    dp_run *run = s->run;
    long nat = s->nat;
    for (long a = 0; a < nat; a++)
        s->types[type[a]].count++;
    char (*sym)[4] = malloc((size_t)s->ntyp * sizeof *sym);
    int *cnt = malloc((size_t)s->ntyp * sizeof *cnt);
    if (!sym || !cnt) {
        free(sym);
        free(cnt);
        return pw_fail(s, DP_ERR_NOMEM, "out of memory");
    }
    for (long t = 0; t < s->ntyp; t++) {
        memcpy(sym[t], s->types[t].symbol, 4);
        cnt[t] = s->types[t].count;
    }
    dp_status st = dp_run_set_species(run, (int)s->ntyp, sym, cnt, s->err);
    free(sym);
    free(cnt);
    if (st != DP_OK) {
        s->fail_code = st;
        return PW_FAIL;
    }
    for (long a = 0; a < nat; a++)
        run->atom_type[a] = type[a];
    for (long t = 0; t < s->ntyp; t++) {
        dp_species *sp = &run->species[t];
        sp->zval = s->types[t].zval;
        sp->mass = s->types[t].mass;
        if (s->psfile && s->psfile[t][0])
            snprintf(sp->potential, sizeof sp->potential, "%s", s->psfile[t]);
    }
    s->frac = calloc((size_t)nat, sizeof *s->frac);
    s->site_tmp = calloc(3 * (size_t)nat, sizeof *s->site_tmp);
    s->fl.site_val = calloc(3 * (size_t)nat, sizeof *s->fl.site_val);
    if (!s->frac || !s->site_tmp || !s->fl.site_val)
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", nat);
    s->atoms_ready = true;
    return PW_OK;
}

/* "site n.     atom                  positions (alat units)", then
 * "     1           O   tau(   1) = (   0.5000000   0.5000000   0.4385000  )". */
static pw_result read_sites(pw *s)
{
    pw_result rc = need_counts(s, "the atomic positions");
    if (rc)
        return rc;
    if (!s->types)
        return pw_fail(s, DP_ERR_FORMAT, "atomic positions before the species table "
                       "(\"atomic species   valence    mass     pseudopotential\")");
    if (!s->have_alat || !s->have_axes)
        return pw_fail(s, DP_ERR_FORMAT, "atomic positions before %s",
                       !s->have_alat ? "celldm(1)" : "the crystal axes");
    double lat[3][3], inv[3][3];
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            lat[i][k] = s->axes[i][k] * s->alat * BOHR_ANGS;
    if (!invert(lat, inv))
        return pw_fail(s, DP_ERR_FORMAT, "the crystal axes are degenerate");
    long nat = s->nat;
    /* grown as rows arrive: a file that claims 10^7 atoms and lists two costs
     * nothing */
    long cap = 0;
    int *type = NULL;
    double (*cart)[3] = NULL;
    rc = PW_OK;
    for (long a = 0; a < nat && rc == PW_OK; a++) {
        if (a == cap) {
            cap = cap ? (2 * cap < nat ? 2 * cap : nat) : (nat < 1024 ? nat : 1024);
            int *t2 = realloc(type, (size_t)cap * sizeof *type);
            if (t2)
                type = t2;
            double (*c2)[3] = realloc(cart, (size_t)cap * sizeof *cart);
            if (c2)
                cart = c2;
            if (!t2 || !c2) {
                rc = pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", nat);
                break;
            }
        }
        if ((rc = next_row(s, "atomic positions")))
            break;
        char q[64];
        const char *t = skip_ws(s->line);
        char *end;
        long idx = strtol(t, &end, 10);
        const char *lab = skip_ws(end);
        size_t w = strcspn(lab, " ");
        const char *p = strstr(t, "= (");
        double v[4];
        char label[16];
        if (end == t || idx != a + 1 || !w || w >= sizeof label || !p ||
            scan_numbers(s, p + 3, v, 3, NULL) != 3) {
            if (*t >= '0' && *t <= '9' && idx != a + 1 && end != t && p)
                rc = pw_fail(s, DP_ERR_FORMAT, "atomic positions: row %ld is atom %ld", a + 1, idx);
            else
                rc = pw_fail(s, DP_ERR_FORMAT, "atomic positions have %ld rows, \"number of "
                             "atoms/cell\" = %ld (found \"%s\")", a, nat,
                             quote(t, 50, q, sizeof q));
            break;
        }
        memcpy(label, lab, w);
        label[w] = '\0';
        type[a] = type_of_label(s, label, false);
        if (type[a] < 0) {
            rc = pw_fail(s, DP_ERR_FORMAT, "atom %ld is a \"%s\", which is not in the species "
                         "table", a + 1, label);
            break;
        }
        if (s->atoms_ready && s->run->atom_type[a] != type[a]) {
            rc = pw_fail(s, DP_ERR_FORMAT, "atom %ld is now a \"%s\"", a + 1, label);
            break;
        }
        for (int k = 0; k < 3; k++)
            cart[a][k] = v[k] * s->alat * BOHR_ANGS;
    }
    if (rc == PW_OK && !s->atoms_ready)
        rc = setup_atoms(s, type);
    if (rc == PW_OK) {
        memcpy(s->lattice, lat, sizeof lat);
        for (long a = 0; a < nat; a++)
            to_frac(inv, cart[a], s->frac[a]);
        if (s->run->nframes == 0 && s->run->nsteps == 0)
            rc = commit_frame(s, -1);
        else
            s->geom_dirty = true;
    }
    free(type);
    free(cart);
    return rc;
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
static void card_unit(pw *s, const char *t, char *unit, size_t size, double *alat, bool *has_alat)
{
    t = skip_ws(t);
    if (*t == '(' || *t == '{')
        t++;
    t = skip_ws(t);
    size_t n = 0;
    while (t[n] && isalpha((unsigned char)t[n]) && n + 1 < size) {
        unit[n] = (char)tolower((unsigned char)t[n]);
        n++;
    }
    unit[n] = '\0';
    t += n;
    *has_alat = false;
    const char *eq = strchr(t, '=');
    double v;
    if (eq && num_field(s, &(const char *){eq + 1}, &v) && v > 0) {
        *alat = v;
        *has_alat = true;
    }
}

static pw_result read_cell(pw *s, const char *t)
{
    if (!s->atoms_ready)
        return PW_OK; /* an input echo before the header: no step of this run */
    pw_result rc;
    char unit[16];
    double alat = s->alat;
    bool has;
    card_unit(s, t + strlen("CELL_PARAMETERS"), unit, sizeof unit, &alat, &has);
    double scale;
    if (!strcmp(unit, "alat") || !unit[0])
        scale = alat * BOHR_ANGS;
    else if (!strcmp(unit, "bohr"))
        scale = BOHR_ANGS;
    else if (!strcmp(unit, "angstrom"))
        scale = 1;
    else
        return pw_fail(s, DP_ERR_FORMAT, "CELL_PARAMETERS in unknown units \"%s\"", unit);
    double l[3][3];
    for (int i = 0; i < 3; i++) {
        if ((rc = next_row(s, "CELL_PARAMETERS")))
            return rc;
        double v[4];
        const char *rest;
        if (scan_numbers(s, s->line, v, 3, &rest) != 3 || *skip_ws(rest)) {
            char q[64];
            return pw_fail(s, DP_ERR_FORMAT, "CELL_PARAMETERS row %d: expected 3 numbers, found "
                           "\"%s\"", i + 1, quote(s->line, 60, q, sizeof q));
        }
        for (int k = 0; k < 3; k++)
            l[i][k] = v[k] * scale;
    }
    double inv[3][3];
    if (!invert(l, inv))
        return pw_fail(s, DP_ERR_FORMAT, "CELL_PARAMETERS: the cell is degenerate");
    /* the atoms keep their fractional positions until ATOMIC_POSITIONS says more */
    memcpy(s->lattice, l, sizeof l);
    s->geom_dirty = true;
    if (!s->in_final_coords)
        s->step_started = true;
    return PW_OK;
}

static pw_result read_positions(pw *s, const char *t)
{
    if (!s->atoms_ready)
        return PW_OK; /* an input echo before the header: no step of this run */
    pw_result rc;
    char unit[16];
    double alat = s->alat;
    bool has;
    card_unit(s, t + strlen("ATOMIC_POSITIONS"), unit, sizeof unit, &alat, &has);
    double scale = 0;
    bool crystal = false;
    if (!strcmp(unit, "alat") || !unit[0])
        scale = s->alat * BOHR_ANGS;
    else if (!strcmp(unit, "bohr"))
        scale = BOHR_ANGS;
    else if (!strcmp(unit, "angstrom"))
        scale = 1;
    else if (!strcmp(unit, "crystal"))
        crystal = true;
    else
        return pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS in unsupported units \"%s\"", unit);
    double inv[3][3];
    if (!invert(s->lattice, inv))
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
        if ((rc = next_row(s, "ATOMIC_POSITIONS")))
            goto out;
        char q[64];
        const char *p = skip_ws(s->line);
        size_t w = strcspn(p, " ");
        char label[16];
        const char *type_label = run->species ? s->types[run->atom_type[a]].label : "";
        if (!w || w >= sizeof label || !isalpha((unsigned char)*p)) {
            rc = pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS has %ld rows, %ld atoms (found "
                         "\"%s\")", a, nat, quote(p, 50, q, sizeof q));
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
        int n = scan_numbers(s, p + w, v, 6, &rest);
        if ((n != 3 && n != 6) || *skip_ws(rest)) {
            rc = pw_fail(s, DP_ERR_FORMAT, "ATOMIC_POSITIONS row %ld: expected a label and 3 "
                         "numbers (and 3 if_pos flags), found \"%s\"", a + 1,
                         quote(p, 60, q, sizeof q));
            goto out;
        }
        if (crystal) {
            memcpy(frac[a], v, sizeof frac[a]);
        } else {
            double c[3] = {v[0] * scale, v[1] * scale, v[2] * scale};
            to_frac(inv, c, frac[a]);
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
static pw_result read_forces(pw *s)
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
        if ((rc = next_row(s, "forces")))
            goto out;
        const char *t = skip_ws(s->line);
        if (!*t && a == 0 && guard < 8)
            continue;
        const char *p = strstr(t, "force =");
        double v[4];
        char q[64];
        if (!starts(t, "atom") || !p || scan_numbers(s, p + 7, v, 3, NULL) != 3) {
            rc = pw_fail(s, DP_ERR_FORMAT, "forces: expected %ld rows \"atom N type T force = "
                         "fx fy fz\", found \"%s\" as row %ld", nat, quote(t, 50, q, sizeof q),
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
    int n = scan_numbers(s, p, v, 3, NULL);
    return n == 1 || n == 3 ? n : 0;
}

/* "Magnetic moment per site:" (6.x) or "Magnetic moment per site  (integrated on
 * atomic sphere of radius R)" (7.x), then one "atom ..." row per atom. */
static pw_result read_site_moments(pw *s)
{
    pw_result rc = need_atoms(s, "magnetic moments");
    if (rc)
        return rc;
    long nat = s->run->natoms;
    int ncomp = 0;
    for (long a = 0; a < nat;) {
        if ((rc = next_row(s, "magnetic moments per site")))
            return rc;
        const char *t = skip_ws(s->line);
        if (!*t && a == 0)
            continue;
        double v[4];
        int n = starts(t, "atom") ? magn_values(s, t, v) : 0;
        char q[64];
        if (!n || (ncomp && n != ncomp))
            return pw_fail(s, DP_ERR_FORMAT, "magnetic moments per site: expected %ld rows \"atom "
                           "N ... magn ...\", found \"%s\" as row %ld", nat,
                           quote(t, 50, q, sizeof q), a + 1);
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
static void on_ncl_atom(pw *s, const char *t)
{
    char *end;
    const char *p = skip_ws(t + strlen("atom number"));
    long k = strtol(p, &end, 10);
    if (end == p || k < 1 || !s->atoms_ready || k > s->run->natoms ||
        (k != 1 && k != s->ncl_site + 1)) {
        s->ncl_site = 0;
        return;
    }
    s->ncl_site = k;
}

static void on_ncl_magnetization(pw *s, const char *t)
{
    long k = s->ncl_site;
    if (!k || !s->atoms_ready)
        return;
    double v[4];
    const char *p = strchr(t, ':');
    if (!p || scan_numbers(s, p + 1, v, 3, NULL) != 3) {
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
static pw_result on_total_mag(pw *s, const char *t, bool absolute)
{
    const char *p = strchr(t, '=');
    double v[4];
    int n = p ? scan_numbers(s, p + 1, v, 3, NULL) : 0;
    if (n != 1 && n != 3) {
        char q[64];
        return pw_fail(s, DP_ERR_FORMAT, "no number in \"%s\"", quote(t, 60, q, sizeof q));
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
static pw_result on_energy(pw *s, const char *t)
{
    bool dbl = t[1] == '!';
    const char *p = skip_ws(t + (dbl ? 2 : 1));
    if (!starts(p, "total energy"))
        return PW_OK;
    if (s->exx && !dbl)
        return PW_OK; /* an inner SCF of a hybrid-functional run */
    pw_result rc = need_atoms(s, "an energy");
    if (rc)
        return rc;
    if ((rc = commit_step(s)))
        return rc;
    double v;
    if ((rc = value_after_eq(s, t, &v, "total energy")))
        return rc;
    s->e_ry = v;
    s->have_energy = true;
    s->have_ts = s->have_internal = false;
    s->step_started = true;
    return PW_OK;
}

/* ---- the main loop ------------------------------------------------------- */

static void scf_not_converged(pw *s, const char *t)
{
    s->scf_failed = true;
    if (!s->warned_scf) {
        s->warned_scf = true;
        char q[96];
        dp_run_warn(s->run, "%s: line %ld: an SCF did not converge (\"%s\"): its energies are "
                    "not reliable", s->path, s->lineno, quote(t, 80, q, sizeof q));
    }
}

static void ionic_not_converged(pw *s, const char *t)
{
    if (!s->ionic_failed) {
        char q[96];
        dp_run_warn(s->run, "%s: line %ld: the geometry optimisation did not converge (\"%s\")",
                    s->path, s->lineno, quote(t, 80, q, sizeof q));
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
        if (starts(t, ends[k]))
            return true;
    return false;
}

static pw_result on_line(pw *s)
{
    dp_run *run = s->run;
    const char *t = skip_ws(s->line);
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
                 quote(t, 110, q, sizeof q));
    }
    if (s->pseudo_next >= 0) {
        const char *base = strrchr(t, '/');
        snprintf(s->psfile[s->pseudo_next], sizeof s->psfile[0], "%.79s", base ? base + 1 : t);
        s->pseudo_next = -1;
        return PW_OK;
    }
    pw_result rc;
    if (s->have_energy && ends_energy_block(t) && (rc = commit_step(s)))
        return rc;
    switch (*t) {
    case '!':
        return on_energy(s, t);
    case '-':
        if (starts(t, "------ SPIN UP"))
            s->lsda = true;
        return PW_OK;
    case '%':
        return PW_OK;
    case 'A':
        if (starts(t, "ATOMIC_POSITIONS") && (t[16] == '\0' || t[16] == ' ' || t[16] == '(' ||
                                              t[16] == '{'))
            return read_positions(s, t);
        return PW_OK;
    case 'B':
        if (starts(t, "Begin final coordinates"))
            s->in_final_coords = true;
        else if (starts(t, "BFGS Geometry Optimization"))
            s->saw_bfgs = true;
        return PW_OK;
    case 'C':
        if (starts(t, "CELL_PARAMETERS") && (t[15] == '\0' || t[15] == ' ' || t[15] == '(' ||
                                             t[15] == '{'))
            return read_cell(s, t);
        return PW_OK;
    case 'E':
        if (starts(t, "End of BFGS Geometry Optimization")) {
            s->saw_bfgs = true;
            s->ionic_ok = true;
        } else if (starts(t, "End final coordinates")) {
            s->in_final_coords = false;
        } else if (starts(t, "End of band structure calculation")) {
            s->bands_done = true;
        } else if (starts(t, "Error in routine")) {
            char q[96];
            snprintf(s->error_text, sizeof s->error_text, "%s", quote(t, 80, q, sizeof q));
            s->error_next = true;
        } else if (starts(t, "EXX-fraction") || starts(t, "EXX: now go back")) {
            s->exx = true;
        }
        return PW_OK;
    case 'F':
        if (starts(t, "Forces acting on atoms"))
            return read_forces(s);
        return PW_OK;
    case 'J':
        if (starts(t, "JOB DONE"))
            s->job_done = true;
        return PW_OK;
    case 'M':
        if (starts(t, "Magnetic moment per site"))
            return read_site_moments(s);
        return PW_OK;
    case 'N':
        if (starts(t, "Noncollinear calculation")) {
            s->noncolin = true;
            if (strstr(t, "with spin-orbit") && !strstr(t, "without"))
                s->lsorbit = true;
        } else if (starts(t, "Non magnetic calculation with spin-orbit")) {
            s->noncolin = s->lsorbit = true;
        }
        return PW_OK;
    case 'P':
        if (strstr(t, "Program PWSCF")) {
            s->second_run = true;
            s->second_run_line = s->lineno;
            return PW_EOF;
        }
        if (starts(t, "PseudoPot. #"))
            return on_pseudo(s, t);
        return PW_OK;
    case 'S':
        if (starts(t, "Self-consistent Calculation"))
            s->step_started = true;
        else if (starts(t, "Starting magnetic structure"))
            s->lsda = true;
        return PW_OK;
    case 'T':
        if (starts(t, "The maximum number of steps has been reached"))
            ionic_not_converged(s, t);
        return PW_OK;
    case 'a':
        if (starts(t, "atomic species   valence    mass     pseudopotential"))
            return read_species(s);
        if (starts(t, "atom number"))
            on_ncl_atom(s, t);
        else if (starts(t, "absolute magnetization"))
            return on_total_mag(s, t, true);
        return PW_OK;
    case 'b':
        if (starts(t, "bfgs converged")) {
            s->saw_bfgs = true;
            s->ionic_ok = true;
        } else if (starts(t, "bfgs failed")) {
            s->saw_bfgs = true;
            ionic_not_converged(s, t);
        }
        return PW_OK;
    case 'c':
        if (starts(t, "celldm(1)=")) {
            double v;
            const char *p = t + 10;
            if (num_field(s, &p, &v) && v > 0) {
                s->alat = v;
                s->have_alat = s->have_celldm = true;
            }
        } else if (starts(t, "crystal axes: (cart. coord. in units of alat)")) {
            return read_axes(s);
        } else if (starts(t, "convergence has been achieved")) {
            s->scf_ok = true;
        } else if (starts(t, "convergence NOT achieved")) {
            scf_not_converged(s, t);
        }
        return PW_OK;
    case 'h':
        if (starts(t, "highest occupied, lowest unoccupied level")) {
            const char *p = strchr(t, ':');
            double v[3];
            if (p && scan_numbers(s, p + 1, v, 2, NULL) == 2) {
                s->fl.homo = true;
                s->fl.homo_v = v[0];
                s->fl.lumo_v = v[1];
            }
        } else if (starts(t, "highest occupied level")) {
            const char *p = strchr(t, ':');
            double v[2];
            if (p && scan_numbers(s, p + 1, v, 1, NULL) == 1) {
                s->fl.homo = true;
                s->fl.homo_v = v[0];
                s->fl.lumo_v = NAN;
            }
        } else if (starts(t, "history already reset at previous step: stopping")) {
            s->saw_bfgs = true;
            ionic_not_converged(s, t);
        }
        return PW_OK;
    case 'i':
        if (starts(t, "internal energy E=F+TS") && s->have_energy) {
            double v;
            if ((rc = value_after_eq(s, t, &v, "internal energy")))
                return rc;
            s->internal_ry = v;
            s->have_internal = true;
        } else if (starts(t, "iteration #")) {
            s->step_started = true;
        }
        return PW_OK;
    case 'l':
        if (starts(t, "lattice parameter (alat)") && !s->have_celldm) {
            double v;
            if ((rc = value_after_eq(s, t, &v, "lattice parameter")))
                return rc;
            if (v > 0) {
                s->alat = v;
                s->have_alat = true;
            }
        }
        return PW_OK;
    case 'm':
        if (starts(t, "magnetization :"))
            on_ncl_magnetization(s, t);
        return PW_OK;
    case 'n':
        if (starts(t, "number of atoms/cell"))
            return read_count(s, t, MAX_ATOMS, &s->nat, "number of atoms/cell");
        if (starts(t, "number of atomic types"))
            return read_count(s, t, MAX_TYPES, &s->ntyp, "number of atomic types");
        if (starts(t, "number of electrons") && strstr(t, "(up:"))
            s->lsda = true;
        else if (starts(t, "number of k points=")) {
            const char *p = strstr(t, "smearing, width (Ry)=");
            double v;
            if (p && num_field(s, &(const char *){p + 21}, &v)) {
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
        if (starts(t, "site n.") && strstr(t, "positions (alat units)"))
            return read_sites(s);
        if (starts(t, "smearing contrib. (-TS)") && s->have_energy) {
            double v;
            if ((rc = value_after_eq(s, t, &v, "smearing contrib.")))
                return rc;
            s->ts_ry = v;
            s->have_ts = true;
        }
        return PW_OK;
    case 't':
        if (starts(t, "the Fermi energy is")) {
            double v;
            const char *p = t + 19;
            if (num_field(s, &p, &v)) {
                s->fl.ef = true;
                s->fl.efermi = v;
            }
        } else if (starts(t, "the spin up/dw Fermi energies are")) {
            double v[3];
            if (scan_numbers(s, t + 33, v, 2, NULL) == 2) {
                s->fl.ef2 = true;
                s->fl.ef_spin[0] = v[0];
                s->fl.ef_spin[1] = v[1];
            }
        } else if (starts(t, "total magnetization")) {
            return on_total_mag(s, t, false);
        }
        return PW_OK;
    default:
        return PW_OK;
    }
}

/* ---- the end ------------------------------------------------------------- */

static void add_missing(dp_completeness *c, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_missing(dp_completeness *c, size_t *used, const char *fmt, ...)
{
    size_t size = sizeof c->missing;
    if (*used >= size - 1)
        return;
    if (*used) {
        int w = snprintf(c->missing + *used, size - *used, ", ");
        if (w > 0)
            *used += (size_t)w < size - *used ? (size_t)w : size - *used - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(c->missing + *used, size - *used, fmt, ap);
    va_end(ap);
    if (w > 0)
        *used += (size_t)w < size - *used ? (size_t)w : size - *used - 1;
}

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
        (rc = commit_step(s)) != PW_OK)
        return s->fail_code;
    bool whole = s->job_done && !s->gz_truncated;
    /* an nscf/bands run prints its Fermi level after "End of band structure
     * calculation", with the bands; there is no energy to wait for */
    if (s->bands_done && !s->have_energy && (rc = apply_floating(s)) != PW_OK)
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
        c->complete = true;
        c->missing[0] = '\0';
        c->break_line = 0;
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
        add_missing(c, &used, "JOB DONE (%s during ionic step %d)", said, run->nsteps + 1);
    else
        add_missing(c, &used, "JOB DONE (%s after ionic step %d)", said, run->nsteps);
    if (s->gz_truncated)
        add_missing(c, &used, "the end of the gzip stream");
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
    while ((rc = next_line(s)) == PW_OK) {
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
    pw s = {.path = path, .err = err, .pseudo_next = -1};
    if (opts)
        s.opts = *opts;
    struct stat st;
    if (stat(path, &st) == 0)
        s.fsize = (long long)st.st_size;
    errno = 0;
    s.f = gzopen(path, "rb");
    if (!s.f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path,
                       errno ? strerror(errno) : "out of memory");
    gzbuffer(s.f, 1 << 17);
    s.raw = malloc(READ_CHUNK);
    s.line = malloc(MAX_LINE + 1);
    s.run = calloc(1, sizeof *s.run);
    if (!s.raw || !s.line || !s.run) {
        free(s.raw);
        free(s.line);
        free(s.run);
        gzclose(s.f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    s.line[0] = '\0';
    dp_run *run = s.run;
    snprintf(run->path, sizeof run->path, "%s", path);
    run->params.lorbit = -1;
    run->first_frame_step = -1;
    run->efermi = run->homo = run->lumo = NAN;
    run->mag_total = run->mag_abs = NAN;
    dp_status code = parse(&s);
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
