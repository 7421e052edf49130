/*
 * VASP OSZICAR reader (plain or gzip), line by line.
 *
 *          N       E                     dE             d eps       ncg     rms          rms(c)
 *   DAV:   1     0.472998998049E+04    0.47300E+04   -0.17760E+05  1856   0.945E+02
 *   RMM:  24    -0.117094193422E+04   -0.65182E-06   -0.41437E-06  1253   0.308E-03
 *      1 F= -.11780135E+04 E0= -.11780135E+04  d E =-.117801E+04  mag=     0.0004
 *
 * Every ionic-step line (first word an integer, then a word "F=") is one step:
 * e_free = F, e_sigma0 = e_sigma0_raw = E0 (energy(sigma->0), correct in OSZICAR),
 * e_noentropy = NaN (OSZICAR does not print it). Molecular-dynamics lines
 * ("1 T= 300. E= ... F= ... E0= ...") are read the same way. mag= of the last step
 * gives mag_total (three numbers, noncollinear: their length, with a warning);
 * mag_abs is NaN (not printed); without mag= (ISPIN = 1) has_mag_total is false.
 * OSZICAR prints F and E0 with 8 significant digits (0.1 meV at -1178 eV).
 *
 * Completeness: the run is complete when the last non-blank line is a whole
 * ionic-step line. Electronic-step lines after the last F= line (a run killed inside
 * an ionic step) make it incomplete: the complete steps are kept, status.missing
 * names the step that did not finish and status.break_line the last line. A last
 * line without its '\n' is not trusted (the file may stop inside a number): it is
 * dropped and the run is incomplete. status.converged is 0 (OSZICAR cannot say
 * whether the relaxation converged), or -1 when the electronic loop of the last
 * step ran NELM (INCAR, default 60) steps: its energy is then not converged.
 *
 * Not an OSZICAR (DP_ERR_FORMAT): an empty file, or one with no header, electronic-
 * step or ionic-step line. Other lines (BRION:, ZBRENT:, bond charge predicted, ...)
 * are skipped. An ionic-step line whose F= or E0= is not a number is an error naming
 * the line.
 *
 * Beside the file: the structure from opts->structure, else CONTCAR, else POSCAR (read
 * with dp_read; one frame: CONTCAR's is the last step's, first_frame_step =
 * nsteps - 1; POSCAR's is the initial one, first_frame_step = -1); when none can be
 * read, energies without structure and a warning. Settings from INCAR and
 * POTCAR_info/POTCAR (incar.h).
 */
#include "dftpost.h"
#include "incar.h"
#include "paths.h"
#include "text_numbers.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define LINE_CAP 4096
#define NELM_DEFAULT 60

/* The number after the word key ("F=") in line, where the word starts the line or
 * follows a blank. 1: found and read; 0: no such word; -1: the word but no number. */
static int field(const char *line, const char *key, double *v)
{
    size_t klen = strlen(key);
    for (const char *p = strstr(line, key); p; p = strstr(p + 1, key)) {
        if (p != line && p[-1] != ' ' && p[-1] != '\t')
            continue;
        const char *q = p + klen;
        return dp_text_number(&q, v) && isfinite(*v) ? 1 : -1;
    }
    return 0;
}

/* First word a positive integer. */
static bool starts_with_integer(const char *p)
{
    p = dp_text_skip_blanks(p);
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == ' ' || *p == '\t';
}

/* "DAV:  12 ...", "RMM:", "CG :", "SDA:", "DIA:": three characters, ':', an integer. */
static bool electronic_step(const char *p)
{
    if (strlen(p) < 5 || p[3] != ':' || !isupper((unsigned char)p[0]))
        return false;
    for (int i = 1; i < 3; i++)
        if (!isupper((unsigned char)p[i]) && p[i] != ' ')
            return false;
    const char *q = dp_text_skip_blanks(p + 4);
    return isdigit((unsigned char)*q);
}

typedef struct {
    dp_run *run;
    int cap;
    double mag;
    int mag_n;             /* 0 none, 1 collinear, 3 noncollinear */
    long last_ionic_line;
    int scf_since;         /* electronic steps since the last F= line */
    int scf_last;          /* electronic steps of the last complete ionic step */
    bool any;              /* a line an OSZICAR has */
} oz;

static dp_status add_step(oz *s, double f, double e0, dp_error *err)
{
    dp_run *run = s->run;
    if (run->nsteps == s->cap) {
        int cap = s->cap ? 2 * s->cap : 64;
        dp_energies *e = realloc(run->energies, (size_t)cap * sizeof *e);
        if (!e)
            return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
        run->energies = e;
        s->cap = cap;
    }
    run->energies[run->nsteps++] = (dp_energies){
        .e_free = f, .e_noentropy = NAN, .e_sigma0 = e0, .e_sigma0_raw = e0};
    return DP_OK;
}

/* mag= of a step line: one number, or three (noncollinear). */
static void read_mag(oz *s, const char *line)
{
    s->mag_n = 0;
    for (const char *p = strstr(line, "mag="); p; p = strstr(p + 1, "mag=")) {
        if (p != line && p[-1] != ' ' && p[-1] != '\t')
            continue;
        double v[3];
        int n = dp_text_numbers(p + 4, v, 3, NULL);
        if (n == 1 && isfinite(v[0])) {
            s->mag = v[0];
            s->mag_n = 1;
        } else if (n == 3 && isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2])) {
            s->mag = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            s->mag_n = 3;
        }
        return;
    }
}

static dp_status read_lines(oz *s, const char *path, dp_error *err)
{
    dp_run *run = s->run;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = malloc(LINE_CAP);
    if (!buf) {
        gzclose(f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    dp_text_lines r = {.f = f, .path = path, .buf = buf, .cap = LINE_CAP};
    int rc;
    long last_nonblank = 0;
    bool last_is_step = false, cut_step = false;
    dp_status st = DP_OK;
    while (st == DP_OK && (rc = dp_text_next_line(&r, err)) == 1) {
        const char *p = dp_text_skip_blanks(r.buf);
        if (!*p)
            continue;
        last_nonblank = r.line;
        last_is_step = false;
        if (!strncmp(p, "N       E", 9)) {
            s->any = true;
        } else if (electronic_step(p)) {
            s->any = true;
            s->scf_since++;
        } else if (starts_with_integer(p)) {
            double fe, e0;
            int a = field(p, "F=", &fe);
            if (a == 0)
                continue; /* some other numbered line */
            int b = a == 1 ? field(p, "E0=", &e0) : 0;
            if (!r.newline) { /* the file stops inside this line: not trusted */
                cut_step = true;
                s->any = true;
                break;
            }
            if (a < 0 || b < 0) {
                st = dp_text_fail(&r, err, "%s value is not a number in \"%.80s\"",
                                  a < 0 ? "F=" : "E0=", p);
                break;
            }
            if (b == 0) {
                e0 = NAN;
                dp_run_warn(run, "%s: line %ld: no E0= on the step line: e_sigma0 unknown",
                            path, r.line);
            }
            long step = strtol(p, NULL, 10);
            if (step != run->nsteps + 1)
                dp_run_warn(run, "%s: line %ld: ionic step %ld follows step %d (joined "
                            "OSZICARs?)", path, r.line, step, run->nsteps);
            st = add_step(s, fe, e0, err);
            s->any = true;
            read_mag(s, p);
            s->last_ionic_line = r.line;
            s->scf_last = s->scf_since;
            s->scf_since = 0;
            last_is_step = true;
        }
    }
    gzclose(f);
    free(buf);
    if (st != DP_OK)
        return st;
    if (rc < 0 && !cut_step)
        return err->code;
    if (r.line == 0)
        return dp_fail(err, DP_ERR_FORMAT, "%s: file is empty", path);
    if (!s->any)
        return dp_fail(err, DP_ERR_FORMAT, "%s: not an OSZICAR (no electronic-step line such as "
                       "\"DAV:   1 ...\" and no ionic-step line \"   1 F= ... E0= ...\")", path);
    if (last_is_step && !cut_step) {
        run->status.complete = true;
        run->status.missing[0] = '\0';
        run->status.break_line = 0;
    } else {
        run->status.complete = false;
        run->status.break_line = cut_step ? r.line : last_nonblank;
        if (cut_step)
            snprintf(run->status.missing, sizeof run->status.missing,
                     "the end of ionic step %d (the file stops inside its F= line)",
                     run->nsteps + 1);
        else
            snprintf(run->status.missing, sizeof run->status.missing,
                     "the F= line of ionic step %d (the electronic steps stop at line %ld)",
                     run->nsteps + 1, last_nonblank);
    }
    return DP_OK;
}

/* The structure: species, atoms and the one frame of a CONTCAR/POSCAR run moved into
 * run. Warnings when there is none. */
static dp_status take_structure(dp_run *run, const dp_read_opts *opts, const char *dir,
                                dp_error *err)
{
    const char *tried[3];
    int ntried = 0;
    char cand[2][1200];
    if (opts && opts->structure) {
        tried[ntried++] = opts->structure;
    } else {
        snprintf(cand[0], sizeof cand[0], "%s/CONTCAR", dir);
        snprintf(cand[1], sizeof cand[1], "%s/POSCAR", dir);
        tried[ntried++] = cand[0];
        tried[ntried++] = cand[1];
    }
    for (int k = 0; k < ntried; k++) {
        if (!dp_path_is_file(tried[k])) {
            if (opts && opts->structure)
                dp_run_warn(run, "%s: no such file: energies without structure", tried[k]);
            continue;
        }
        dp_read_opts o = {.skip_dos = true, .species = opts ? opts->species : NULL};
        dp_run *sr = NULL;
        dp_error e2;
        dp_status st = dp_read(tried[k], &o, &sr, &e2);
        if (st == DP_ERR_NOMEM) {
            *err = e2;
            return st;
        }
        if (st != DP_OK || sr->nframes < 1 || sr->natoms < 1) {
            dp_run_warn(run, "%s", st != DP_OK ? e2.msg : "structure file without atoms");
            dp_run_free(sr);
            continue;
        }
        run->natoms = sr->natoms;
        run->ntypes = sr->ntypes;
        run->species = sr->species;
        run->atom_type = sr->atom_type;
        sr->species = NULL;
        sr->atom_type = NULL;
        /* the last frame only */
        run->frames = calloc(1, sizeof *run->frames);
        if (!run->frames) {
            dp_run_free(sr);
            return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
        }
        run->frames[0] = sr->frames[sr->nframes - 1];
        sr->frames[sr->nframes - 1] = (dp_frame){0};
        run->nframes = 1;
        const char *base = dp_path_base(tried[k]);
        bool initial = !strncmp(base, "POSCAR", 6);
        run->first_frame_step = initial ? -1 : run->nsteps - 1;
        for (int w = 0; w < sr->nwarnings; w++)
            dp_run_warn(run, "%s", sr->warnings[w]);
        if (initial)
            dp_run_warn(run, "%s: no CONTCAR beside it: the structure is the initial one (%s)",
                        run->path, tried[k]);
        dp_run_free(sr);
        return DP_OK;
    }
    run->first_frame_step = -1;
    if (!(opts && opts->structure))
        dp_run_warn(run, "%s: no readable CONTCAR or POSCAR beside it: energies without "
                    "structure (no atoms, no formula)", run->path);
    return DP_OK;
}

dp_status dp_oszicar_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    dp_run *run = calloc(1, sizeof *run);
    if (!run)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    snprintf(run->path, sizeof run->path, "%s", path);
    snprintf(run->program, sizeof run->program, "vasp");
    run->params.lorbit = -1;
    run->mag_total = run->mag_abs = NAN;
    run->efermi = run->homo = run->lumo = NAN;
    oz s = {.run = run};
    dp_status st = read_lines(&s, path, err);
    if (st != DP_OK) {
        dp_run_free(run);
        return st;
    }
    if (s.mag_n) {
        run->has_mag_total = true;
        run->mag_total = s.mag;
        if (s.mag_n == 3)
            dp_run_warn(run, "%s: noncollinear mag= (three components): mag_total is their "
                        "length", path);
    }
    char dir[1024];
    dp_path_dir(path, dir, sizeof dir);
    if ((st = take_structure(run, opts, dir, err)) != DP_OK ||
        (st = dp_vasp_input_settings(run, dir, err)) != DP_OK) {
        dp_run_free(run);
        return st;
    }
    /* an electronic loop that ran NELM steps did not converge */
    char inc_path[1200];
    snprintf(inc_path, sizeof inc_path, "%s/INCAR", dir);
    long nelm = NELM_DEFAULT;
    if (dp_path_is_file(inc_path)) {
        dp_incar inc = {0};
        dp_error e2;
        if (dp_incar_read(inc_path, &inc, NULL, &e2) == DP_OK) {
            const char *v = dp_incar_get(&inc, "NELM");
            double x;
            if (v && dp_text_number(&v, &x) && x >= 1 && x < 1e6)
                nelm = (long)x;
        }
        dp_incar_free(&inc);
    }
    if (run->nsteps > 0 && s.scf_last >= nelm) {
        run->status.converged = -1;
        dp_run_warn(run, "%s: line %ld: the electronic loop of the last ionic step ran NELM = "
                    "%ld steps: its energy is not converged", path, s.last_ionic_line, nelm);
    }
    *out = run;
    return DP_OK;
}
