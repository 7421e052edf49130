/*
 * LOBSTER's CHARGE.lobster and lobsterout (plain or gzip), line by line.
 *
 * CHARGE.lobster (LOBSTER 2.x to 5.x; spin-polarised runs write the same table):
 *
 *   MULLIKEN and LOEWDIN POPULATION ANALYSIS
 *
 *     atom#    atom      Mulliken charge       Loewdin charge
 *         1      Al                1.25                  1.02
 *         ...
 *
 *             total               -0.00                 -0.00
 *
 * The column line names the charges (one or two of Mulliken, Loewdin, in its order);
 * each atom line has the number (1, 2, ... in order), the element, one number per
 * charge. Net charges in e, positive when the atom lost electrons, as the file
 * writes them (two decimals). They go to run->charges.net[] (method "Mulliken" when
 * the file has it, else "Loewdin"; total, orb, up, down stay NULL: LOBSTER writes no
 * populations here); species as lobster_atoms.h builds them. The "total" line is not
 * kept (dftpost charges sums the atoms); a file without it is read as cut off
 * (status.complete false, a warning). A lobsterout beside the file (lobsterout or
 * lobsterout.gz) gives charges.spilling, as below.
 *
 * lobsterout: "LOBSTER v4.1.0 (g++ 7.5.0)" gives program "LOBSTER" and version
 * "4.1.0"; "abs. charge spilling:   0.30%" per spin channel gives
 * charges.spilling, the mean over the channels as a fraction (0.0030; the total
 * spilling is not kept); each "WARNING:" line becomes a warning of the run; the run
 * is complete when LOBSTER wrote its "finished in" line. Nothing else is read: no
 * atoms (has_charges stays false), no basis, no timing.
 */
#include "dftpost.h"
#include "lobster_atoms.h"
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

typedef struct {
    dp_text_lines in;
    char buf[LINE_CAP];
    const char *path;
    dp_error *err;
    dp_run *run;
} lr;

#define bad(s, ...) dp_text_fail(&(s)->in, (s)->err, __VA_ARGS__)

/* Reads the next line that is not blank: 1, 0 at the end of the file, -1 on error. */
static int next_nonblank(lr *s)
{
    int rc;
    while ((rc = dp_text_next_line(&s->in, s->err)) == 1)
        if (*dp_text_skip_blanks(s->in.buf))
            break;
    return rc;
}

static dp_status open_run(lr *s, const char *path, gzFile *f, dp_error *err)
{
    *f = gzopen(path, "rb");
    if (!*f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    s->in = (dp_text_lines){.f = *f, .path = path, .buf = s->buf, .cap = LINE_CAP};
    s->path = path;
    s->err = err;
    s->run = calloc(1, sizeof *s->run);
    if (!s->run) {
        gzclose(*f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(s->run->path, sizeof s->run->path, "%s", path);
    snprintf(s->run->program, sizeof s->run->program, "LOBSTER");
    s->run->params.lorbit = -1;
    s->run->first_frame_step = -1;
    s->run->charges.spilling = NAN;
    return DP_OK;
}

/* ---- CHARGE.lobster ------------------------------------------------------ */

static dp_status parse_charge(lr *s)
{
    dp_run *run = s->run;
    dp_charges *c = &run->charges;
    int rc = next_nonblank(s);
    if (rc < 0)
        return s->err->code;
    if (rc == 0)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: file is empty", s->path);
    const char *p = dp_text_skip_blanks(s->in.buf);
    if (strncmp(p, "MULLIKEN", 8) && strncmp(p, "LOEWDIN", 7))
        return bad(s, "expected the title \"MULLIKEN and LOEWDIN POPULATION ANALYSIS\"");

    /* the column line: which charges, in which order */
    rc = next_nonblank(s);
    if (rc < 0)
        return s->err->code;
    if (rc == 0) {
        s->in.line++;
        return bad(s, "the file ends where the column line (\"atom#  atom  Mulliken charge "
                   "...\") should be");
    }
    int nnet = 0;
    const char *names[2] = {NULL, NULL};
    for (p = s->in.buf; *p && nnet < 2; p++) {
        if (!strncmp(p, "Mulliken", 8))
            names[nnet++] = "Mulliken", p += 7;
        else if (!strncmp(p, "Loewdin", 7))
            names[nnet++] = "Loewdin", p += 6;
    }
    if (!nnet || !strstr(s->in.buf, "atom"))
        return bad(s, "expected the column line (\"atom#  atom  Mulliken charge  Loewdin "
                   "charge\"), found \"%.60s\"", s->in.buf);
    c->nnet = nnet;
    for (int k = 0; k < nnet; k++)
        snprintf(c->net_method[k], sizeof c->net_method[k], "%s", names[k]);
    snprintf(c->method, sizeof c->method, "%s", names[0]);

    /* atom lines, up to the "total" line or the end */
    dp_lobster_atoms A = {0};
    int natoms = 0, cap = 0;
    double *net[2] = {NULL, NULL};
    dp_status st = DP_OK;
    while ((rc = next_nonblank(s)) == 1) {
        p = dp_text_skip_blanks(s->in.buf);
        if (!strncmp(p, "total", 5))
            break;
        char *end;
        errno = 0;
        long num = strtol(p, &end, 10);
        if (end == p || (*end != ' ' && *end != '\t')) {
            st = bad(s, "expected an atom line (number, element, %d charge%s) or the "
                     "\"total\" line, found \"%.60s\"", nnet, nnet > 1 ? "s" : "", s->in.buf);
            break;
        }
        if (num != natoms + 1) {
            st = bad(s, "atom number %ld where %d should be", num, natoms + 1);
            break;
        }
        p = dp_text_skip_blanks(end);
        char sym[4];
        int dummy;
        size_t len = strcspn(p, " \t");
        char name[16];
        snprintf(name, sizeof name, "%.*s1", (int)(len < 8 ? len : 8), p);
        const char *q = name;
        if (len > 3 || !dp_lobster_atom_name(&q, sym, &dummy) || *q) {
            st = bad(s, "atom %ld: \"%.*s\" is not an element symbol", num, (int)(len > 20 ? 20 : len),
                     p);
            break;
        }
        double v[3];
        int n = dp_text_line_numbers(p + len, v, 3, NULL);
        if (n != nnet) {
            st = bad(s, "atom %ld: expected %d charge%s, found \"%.60s\"", num, nnet,
                     nnet > 1 ? "s" : "", p + len);
            break;
        }
        if (natoms == cap) {
            cap = cap ? 2 * cap : 64;
            for (int k = 0; k < nnet && !st; k++) {
                double *g = realloc(net[k], (size_t)cap * sizeof *g);
                if (!g)
                    st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
                else
                    net[k] = g;
            }
        }
        if (!st && dp_lobster_atoms_add(&A, natoms + 1, sym, NULL) < 0)
            st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        if (st)
            break;
        for (int k = 0; k < nnet; k++)
            net[k][natoms] = v[k]; /* NaN for "****" */
        natoms++;
        if (natoms == DP_LOBSTER_MAX_ATOMS) {
            st = bad(s, "more than %d atoms", DP_LOBSTER_MAX_ATOMS);
            break;
        }
    }
    if (!st && rc < 0)
        st = s->err->code;
    if (!st && natoms == 0) {
        if (rc == 0)
            s->in.line++;
        st = bad(s, "no atom lines after the column line");
    }
    if (!st && rc == 0)
        dp_run_warn(run, "%s: no \"total\" line: the file may be cut off after atom %d", s->path,
                    natoms);
    if (!st)
        st = dp_lobster_atoms_species(&A, run, s->err);
    dp_lobster_atoms_free(&A);
    c->net[0] = net[0];
    c->net[1] = net[1]; /* owned by the run from here on */
    if (st)
        return st;
    c->spilling = NAN;
    run->has_charges = true;
    run->status.complete = rc == 1;
    if (rc == 0)
        snprintf(run->status.missing, sizeof run->status.missing, "the \"total\" line");
    return DP_OK;
}

/* Opens path, parses it with parse and closes it: the new run into *run, or the
 * error (err filled, nothing left allocated). */
static dp_status read_run(const char *path, dp_status (*parse)(lr *), dp_run **run,
                          dp_error *err)
{
    lr s;
    gzFile f;
    dp_status st = open_run(&s, path, &f, err);
    if (st)
        return st;
    st = parse(&s);
    gzclose(f);
    if (st) {
        dp_run_free(s.run);
        return st;
    }
    *run = s.run;
    return DP_OK;
}

dp_status dp_lobster_charge_read(const char *path, const dp_read_opts *opts, dp_run **out,
                                 dp_error *err)
{
    (void)opts;
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    dp_run *run;
    dp_status st = read_run(path, parse_charge, &run, err);
    if (st)
        return st;
    /* the charge spilling of the same run, from the lobsterout beside the file */
    static const char *const LOG[] = {"lobsterout", "lobsterout.gz"};
    char dir[1000], log[1024];
    dp_path_dir(path, dir, sizeof dir);
    for (int k = 0; k < 2; k++) {
        snprintf(log, sizeof log, "%.990s/%s", dir, LOG[k]);
        if (!dp_path_is_file(log))
            continue;
        dp_run *o = NULL;
        dp_error e2;
        if (dp_lobsterout_read(log, NULL, &o, &e2) == DP_OK)
            run->charges.spilling = o->charges.spilling;
        else
            dp_run_warn(run, "%s: the lobsterout beside it was not read: %s", path, e2.msg);
        dp_run_free(o);
        break;
    }
    *out = run;
    return DP_OK;
}

/* ---- lobsterout ------------------------------------------------------------ */

/* "abs. charge spilling:   0.30%" → 0.30; false if the line is not one. */
static bool spilling_line(const char *p, const char *which, double *pct)
{
    char key[64];
    snprintf(key, sizeof key, "abs. %s", which);
    if (strncmp(p, key, strlen(key)))
        return false;
    p = dp_text_skip_blanks(p + strlen(key));
    if (strncmp(p, "spilling:", 9))
        return false;
    char num[64];
    p = dp_text_skip_blanks(p + 9);
    size_t n = strcspn(p, "% \t");
    if (n == 0 || n >= sizeof num || p[n] != '%')
        return false;
    memcpy(num, p, n);
    num[n] = '\0';
    const char *q = num;
    return dp_text_number(&q, pct) && !*q && isfinite(*pct);
}

static dp_status parse_lobsterout(lr *s)
{
    dp_run *run = s->run;
    int rc = next_nonblank(s);
    if (rc < 0)
        return s->err->code;
    if (rc == 0)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: file is empty", s->path);
    const char *p = dp_text_skip_blanks(s->in.buf);
    if (strncmp(p, "LOBSTER", 7))
        return bad(s, "expected \"LOBSTER v...\": not a lobsterout");
    p = dp_text_skip_blanks(p + 7);
    if (*p == 'v' || *p == 'V')
        p++;
    size_t n = strcspn(p, " \t");
    if (n == 0 || !isdigit((unsigned char)*p))
        return bad(s, "expected the version after \"LOBSTER\", found \"%.40s\"", s->in.buf);
    snprintf(run->version, sizeof run->version, "%.*s", (int)(n < 63 ? n : 63), p);

    double charge[2];
    int ncharge = 0;
    bool finished = false;
    while ((rc = dp_text_next_line(&s->in, s->err)) == 1) {
        p = dp_text_skip_blanks(s->in.buf);
        double pct;
        if (!strncmp(p, "WARNING:", 8))
            dp_run_warn(run, "%s: line %ld: LOBSTER: %s", s->path, s->in.line,
                        dp_text_skip_blanks(p + 8));
        else if (spilling_line(p, "charge", &pct)) {
            if (ncharge < 2)
                charge[ncharge++] = pct;
        } else if (!strncmp(p, "finished in", 11))
            finished = true;
    }
    if (rc < 0)
        return s->err->code;
    if (ncharge) {
        double sum = 0;
        for (int k = 0; k < ncharge; k++)
            sum += charge[k];
        run->charges.spilling = sum / ncharge / 100.0;
    }
    run->status.complete = finished;
    if (!finished) {
        snprintf(run->status.missing, sizeof run->status.missing,
                 "the end of the run (no \"finished in\" line)");
        dp_run_warn(run, "%s: no \"finished in\" line: LOBSTER did not finish, or the file is "
                    "cut off", s->path);
    }
    return DP_OK;
}

dp_status dp_lobsterout_read(const char *path, const dp_read_opts *opts, dp_run **out,
                             dp_error *err)
{
    (void)opts;
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    return read_run(path, parse_lobsterout, out, err);
}
