/*
 * LOBSTER ICOHPLIST / ICOOPLIST / ICOBILIST.lobster (and NcICOBILIST.lobster, the
 * multi-centre ICOBI list), plain or gzip, line by line, into run->bonds.
 *
 * The layouts (the first line names the kind: "COHP#", "COOP#" or "COBI#"):
 *
 *   LOBSTER 2.x-3.1, no translation, one block per spin, values averaged over bonds:
 *     COHP#  atomMU  atomNU  distance  ICOHP(eF) avg. over # bonds  for spin  1
 *         1     Fe8     Fe7   2.83189   -0.10218                 2
 *     COHP#  ... for spin  2            (spin-polarised only; the same rows again)
 *
 *   LOBSTER 3.2-5.0 (and 5.1 without spin polarisation): a translation column, one
 *   block per spin; with orbitalwise, each interaction is followed by its
 *   orbital-resolved lines, same number, names with the orbital ("Al1_3s"):
 *     COHP#  atomMU  atomNU  distance  translation  ICOHP (at) eF   for spin  1
 *         1     F1      K2   2.71199    0  -1  -1    -0.40075
 *
 *   LOBSTER 5.1 spin-polarised: both spins side by side, the header on two lines:
 *     COHP#  atomMU  atomNU  distance  translation  ICOHP (at) eF  ICOHP (at) eF
 *                                                    for spin 1     for spin 2
 *         1     Al1     Al1   3.12859   -1  -1   0   -0.21490       -0.21497
 *
 *   NcICOBILIST (multi-centre ICOBI), one block per spin (or both spins side by
 *   side when the header names two), centres with their cell or their orbital:
 *     COBI#   No. of atoms  Nc-ICOBI (at) eF for spin 1  Atoms for Nc-ICOBI
 *         2              3   0.00009  Ge1[0 0 0]->Te2[0 0 0]->Ge3[0 0 1]
 *         2              3   0.00116  Ge1[4s]->Te2[5s]->Ge3[4s]
 *
 *   Pair rows with more than two names (label, names, then the numbers of the
 *   header's layout) are read as multi-centre interactions as well.
 *
 * Values are kept exactly as printed (no sign change, no multiplication by the
 * number of bonds an old-format value is averaged over). Orbital-resolved lines
 * point to their interaction (parent) and keep the orbitals joined by '-' ("3s-2p_x").
 * The spin blocks must list the same interactions in the same order.
 *
 * Atoms: the file has no structure, only names like "Fe8" (element + 1-based
 * index). natoms is the largest index named; species are made from runs of
 * consecutive atoms of one element; an atom the file never names (a gap in the
 * numbering, or one with no interaction listed) gets the element "X". Element
 * symbols are an upper-case letter and at most two lower-case ones, as written, not
 * checked against the periodic table (LOBSTER writes what the structure file says);
 * the same rules as the other LOBSTER readers (lobster_atoms.h).
 *
 * The file is untrusted: counts are bounded before they size anything, every number
 * must be finite, and every error is one line naming the file and the line.
 */
#include "dftpost.h"
#include "text_numbers.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define LINE_CAP 4096
#define MAX_ATOMS 1000000   /* largest atom index accepted in a name */
#define MAX_ROWS 4000000    /* interactions + orbital lines per spin block */
#define MAX_TOKENS 32
#define MAX_CENTERS 8       /* dp_bond.atom[] */
#define MAX_CELL 100000     /* |translation| */

typedef enum { LAYOUT_AVG, LAYOUT_TRANS, LAYOUT_MULTI } layout;

typedef struct {
    dp_text_lines in;
    char buf[LINE_CAP];
    const char *path;
    dp_error *err;
    dp_run *run;
    char tag[8];            /* "COHP#", "COOP#", "COBI#" */
    layout lay;
    int side;               /* values per row: 2 when both spins share a row (5.1) */
    bool blocks;            /* one block per spin ("for spin N" in the header line) */
    int nspin;
    /* rows */
    dp_bond *b;
    int n, cap;
    int last_parent;        /* index of the last whole interaction, -1 before one */
    /* atoms seen: element of each 1-based index (""), and the line that named it */
    char (*elem)[4];
    long *elem_line;
    int natoms, elem_cap;
    bool warned_long_name, warned_long_orb;
    long overflows;
} lr;

#define bad(s, ...) dp_text_fail(&(s)->in, (s)->err, __VA_ARGS__)

/* ---- small parsers ------------------------------------------------------- */

typedef struct {
    const char *p;
    size_t n;
} token;

static int tokenize(const char *line, token *t, int max)
{
    int n = 0;
    const char *p = dp_text_skip_blanks(line);
    while (*p) {
        size_t len = strcspn(p, " \t");
        if (n == max)
            return max + 1;
        t[n].p = p;
        t[n].n = len;
        n++;
        p = dp_text_skip_blanks(p + len);
    }
    return n;
}

/* A whole token as a decimal integer in [lo, hi]. */
static bool token_int(token t, long lo, long hi, long *v)
{
    char tmp[32];
    if (t.n == 0 || t.n >= sizeof tmp)
        return false;
    memcpy(tmp, t.p, t.n);
    tmp[t.n] = '\0';
    const char *q = tmp[0] == '-' || tmp[0] == '+' ? tmp + 1 : tmp;
    if (!*q)
        return false;
    for (; *q; q++)
        if (!isdigit((unsigned char)*q))
            return false;
    errno = 0;
    char *end;
    long x = strtol(tmp, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return false;
    *v = x;
    return true;
}

/* A whole token as a finite number; a run of '*' (Fortran overflow) is NaN and
 * counted. */
static bool token_value(lr *s, token t, double *v)
{
    bool stars = t.n > 0;
    for (size_t i = 0; i < t.n; i++)
        stars &= t.p[i] == '*';
    if (stars) {
        *v = NAN;
        s->overflows++;
        return true;
    }
    char tmp[72];
    if (t.n == 0 || t.n >= sizeof tmp)
        return false;
    memcpy(tmp, t.p, t.n);
    tmp[t.n] = '\0';
    const char *q = tmp;
    if (!dp_text_number(&q, v) || *q || !isfinite(*v))
        return false;
    return true;
}

static bool token_is(token t, const char *word)
{
    return t.n == strlen(word) && !memcmp(t.p, word, t.n);
}

/* An atom name: element (an upper-case letter, then at most two lower-case ones)
 * and a 1-based index, then "_orbital" or nothing: "Fe8", "Al1_3p_x". Returns false
 * if it is not one. */
static bool parse_name(const char *p, size_t n, char sym[4], long *index, char *orb,
                       size_t orbsize)
{
    if (n == 0 || !isupper((unsigned char)p[0]))
        return false;
    size_t k = 1;
    while (k < n && k < 3 && islower((unsigned char)p[k]))
        k++;
    memcpy(sym, p, k);
    sym[k] = '\0';
    size_t d = k;
    while (d < n && isdigit((unsigned char)p[d]))
        d++;
    if (d == k || d - k > 7)
        return false;
    long idx = 0;
    for (size_t i = k; i < d; i++)
        idx = idx * 10 + (p[i] - '0');
    if (idx < 1 || idx > MAX_ATOMS)
        return false;
    *index = idx;
    orb[0] = '\0';
    if (d == n)
        return true;
    if (p[d] != '_' || d + 1 == n)
        return false;
    snprintf(orb, orbsize, "%.*s", (int)(n - d - 1), p + d + 1);
    return true;
}

/* ---- atoms --------------------------------------------------------------- */

static dp_status note_atom(lr *s, const char *sym, long index, const char *name)
{
    if (index > s->elem_cap) {
        long cap = s->elem_cap ? s->elem_cap : 64;
        while (cap < index)
            cap *= 2;
        if (cap > MAX_ATOMS)
            cap = MAX_ATOMS;
        char (*e)[4] = realloc(s->elem, (size_t)cap * sizeof *e);
        if (!e)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        s->elem = e;
        long *l = realloc(s->elem_line, (size_t)cap * sizeof *l);
        if (!l)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        s->elem_line = l;
        for (long i = s->elem_cap; i < cap; i++) {
            s->elem[i][0] = '\0';
            s->elem_line[i] = 0;
        }
        s->elem_cap = (int)cap;
    }
    char *e = s->elem[index - 1];
    if (!e[0]) {
        snprintf(e, 4, "%s", sym);
        s->elem_line[index - 1] = s->in.line;
    } else if (strcmp(e, sym)) {
        return bad(s, "atom %ld is named \"%s\" here but is %s%ld on line %ld: one number, two "
                   "elements", index, name, e, index, s->elem_line[index - 1]);
    }
    if (index > s->natoms)
        s->natoms = (int)index;
    return DP_OK;
}

/* ---- rows ---------------------------------------------------------------- */

/* What a data row of the current layout holds, for messages. */
static const char *row_layout(const lr *s)
{
    if (s->lay == LAYOUT_MULTI)
        return s->side == 2 ? "the interaction number, the number of atoms, a value for each "
                              "spin and the atoms (\"Fe1[0 0 0]->N2[0 0 0]->...\")"
                            : "the interaction number, the number of atoms, the value and the "
                              "atoms (\"Fe1[0 0 0]->N2[0 0 0]->...\")";
    if (s->lay == LAYOUT_AVG)
        return "the interaction number, two atom names, the distance, the value and the number "
               "of bonds averaged (LOBSTER 2.x/3.x layout)";
    return s->side == 2 ? "the interaction number, two atom names, the distance, three "
                          "translation integers and a value for each spin (LOBSTER 5.1 layout)"
                        : "the interaction number, two atom names, the distance, three "
                          "translation integers and the value (LOBSTER 3.2+ layout)";
}

/* Sets the name and orbital of centre k of b; notes the atom. */
static dp_status set_center(lr *s, dp_bond *b, int k, const char *sym, long index,
                            const char *orb, char *orbs, size_t osize)
{
    dp_status st = DP_OK;
    char name[64];
    if (orb[0])
        snprintf(name, sizeof name, "%s%ld_%s", sym, index, orb);
    else
        snprintf(name, sizeof name, "%s%ld", sym, index);
    if (strlen(name) >= sizeof b->name[k] && !s->warned_long_name) {
        s->warned_long_name = true;
        dp_run_warn(s->run, "%s: line %ld: atom name \"%s\" is longer than %zu characters: kept "
                    "as \"%.*s\" (the atom and orbitals are kept whole)", s->path, s->in.line,
                    name, sizeof b->name[k] - 1, (int)sizeof b->name[k] - 1, name);
    }
    snprintf(b->name[k], sizeof b->name[k], "%.*s", (int)sizeof b->name[k] - 1, name);
    b->atom[k] = (int)(index - 1);
    if ((st = note_atom(s, sym, index, name)))
        return st;
    size_t u = strlen(orbs);
    snprintf(orbs + u, osize - u, "%s%s", k ? "-" : "", orb);
    return DP_OK;
}

/* The orbitals string into b, with a warning (once) when it does not fit. */
static void set_orbitals(lr *s, dp_bond *b, const char *orbs, bool any)
{
    b->orbitals[0] = '\0';
    if (!any)
        return;
    if (strlen(orbs) >= sizeof b->orbitals && !s->warned_long_orb) {
        s->warned_long_orb = true;
        dp_run_warn(s->run, "%s: line %ld: orbitals \"%s\" are longer than %zu characters: "
                    "kept as \"%.*s\"", s->path, s->in.line, orbs, sizeof b->orbitals - 1,
                    (int)sizeof b->orbitals - 1, orbs);
    }
    snprintf(b->orbitals, sizeof b->orbitals, "%.*s", (int)sizeof b->orbitals - 1, orbs);
}

/* A data row of the pair layouts (ICOHPLIST & co.) into b and v[side]. */
static dp_status parse_pair_row(lr *s, dp_bond *b, double *v)
{
    token t[MAX_TOKENS];
    int nt = tokenize(s->in.buf, t, MAX_TOKENS);
    long x;
    if (nt > MAX_TOKENS)
        return bad(s, "too many columns: expected %s", row_layout(s));
    if (!token_int(t[0], 0, INT_MAX, &x))
        return bad(s, "expected %s, found \"%.100s\"", row_layout(s), s->in.buf);
    snprintf(b->label, sizeof b->label, "%.*s", (int)t[0].n, t[0].p);
    int k = 1;
    while (k < nt && isalpha((unsigned char)t[k].p[0]))
        k++;
    int nc = k - 1;
    int nnum = s->lay == LAYOUT_AVG ? 3 : 4 + s->side;
    if (nc < 2 || nt - k != nnum)
        return bad(s, "expected %s, found \"%.100s\"", row_layout(s), s->in.buf);
    if (nc > MAX_CENTERS)
        return bad(s, "%d atoms in one interaction; at most %d are supported", nc, MAX_CENTERS);
    b->ncenters = nc;
    char orbs[512] = "";
    int with_orb = 0;
    for (int c = 0; c < nc; c++) {
        char sym[4], orb[128];
        long index;
        token n = t[1 + c];
        if (!parse_name(n.p, n.n, sym, &index, orb, sizeof orb))
            return bad(s, "\"%.*s\" is not an atom name (element and 1-based number, e.g. "
                       "\"Fe8\" or \"Fe8_3d_xy\"); expected %s", (int)(n.n > 40 ? 40 : n.n),
                       n.p, row_layout(s));
        with_orb += orb[0] != '\0';
        dp_status st = set_center(s, b, c, sym, index, orb, orbs, sizeof orbs);
        if (st)
            return st;
    }
    if (with_orb && with_orb != nc)
        return bad(s, "some atom names carry an orbital and some do not: expected all (an "
                   "orbital-resolved line) or none (an interaction)");
    set_orbitals(s, b, orbs, with_orb > 0);
    const token *num = t + k;
    if (!token_value(s, num[0], &b->length) || isnan(b->length) || b->length < 0)
        return bad(s, "bad distance \"%.*s\": expected %s", (int)(num[0].n > 30 ? 30 : num[0].n),
                   num[0].p, row_layout(s));
    b->translation[0] = b->translation[1] = b->translation[2] = 0;
    b->nbonds_avg = 1;
    if (s->lay == LAYOUT_AVG) {
        if (!token_value(s, num[1], &v[0]))
            return bad(s, "bad value \"%.*s\": expected %s", (int)(num[1].n > 30 ? 30 : num[1].n),
                       num[1].p, row_layout(s));
        if (!token_int(num[2], 1, INT_MAX, &x))
            return bad(s, "bad number of bonds \"%.*s\" (a whole number >= 1): expected %s",
                       (int)(num[2].n > 30 ? 30 : num[2].n), num[2].p, row_layout(s));
        b->nbonds_avg = (int)x;
        return DP_OK;
    }
    for (int i = 0; i < 3; i++) {
        if (!token_int(num[1 + i], -MAX_CELL, MAX_CELL, &x))
            return bad(s, "bad translation \"%.*s\" (three whole numbers): expected %s",
                       (int)(num[1 + i].n > 30 ? 30 : num[1 + i].n), num[1 + i].p,
                       row_layout(s));
        b->translation[i] = (int)x;
    }
    for (int i = 0; i < s->side; i++)
        if (!token_value(s, num[4 + i], &v[i]))
            return bad(s, "bad value \"%.*s\": expected %s",
                       (int)(num[4 + i].n > 30 ? 30 : num[4 + i].n), num[4 + i].p,
                       row_layout(s));
    return DP_OK;
}

/* A data row of NcICOBILIST into b and v[side]. */
static dp_status parse_multi_row(lr *s, dp_bond *b, double *v)
{
    token t[2];
    const char *p = dp_text_skip_blanks(s->in.buf);
    int need = 2 + s->side;
    for (int i = 0; i < need; i++) {
        size_t len = strcspn(p, " \t");
        if (!len)
            return bad(s, "expected %s, found \"%.100s\"", row_layout(s), s->in.buf);
        if (i < 2)
            t[i] = (token){p, len};
        if (i >= 2 && !token_value(s, (token){p, len}, &v[i - 2]))
            return bad(s, "bad value \"%.*s\": expected %s", (int)(len > 30 ? 30 : len), p,
                       row_layout(s));
        p = dp_text_skip_blanks(p + len);
    }
    long x, natoms;
    if (!token_int(t[0], 0, INT_MAX, &x))
        return bad(s, "expected %s, found \"%.100s\"", row_layout(s), s->in.buf);
    snprintf(b->label, sizeof b->label, "%.*s", (int)t[0].n, t[0].p);
    if (!token_int(t[1], 1, INT_MAX, &natoms))
        return bad(s, "bad number of atoms \"%.*s\": expected %s", (int)(t[1].n > 30 ? 30 : t[1].n),
                   t[1].p, row_layout(s));
    if (natoms > MAX_CENTERS)
        return bad(s, "%ld atoms in one interaction; at most %d are supported", natoms,
                   MAX_CENTERS);
    b->length = NAN;
    b->nbonds_avg = 1;
    b->translation[0] = b->translation[1] = b->translation[2] = 0;
    char orbs[512] = "";
    int nc = 0, with_orb = 0;
    while (*p) {
        if (nc == natoms)
            return bad(s, "more atoms than the %ld the row states (\"%.60s\")", natoms, p);
        /* the name: letters and digits up to '[', '(', "->" or a blank */
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        char sym[4], orb[128] = "";
        long index;
        if (q == p || !parse_name(p, (size_t)(q - p), sym, &index, orb, sizeof orb))
            return bad(s, "\"%.*s\" is not an atom name (element and 1-based number, e.g. "
                       "\"Fe8\"); expected %s", (int)(q - p > 40 ? 40 : (q == p ? 20 : q - p)),
                       p, row_layout(s));
        int cell[3] = {0, 0, 0};
        bool has_cell = false;
        while (*q == '[') {
            const char *close = strchr(q, ']');
            if (!close)
                return bad(s, "an unclosed '[' in \"%.60s\"", q);
            char in[128];
            size_t len = (size_t)(close - q - 1);
            if (len >= sizeof in)
                return bad(s, "too long a bracket in \"%.60s\"", q);
            memcpy(in, q + 1, len);
            in[len] = '\0';
            token ct[4];
            int n3 = tokenize(in, ct, 3);
            long c0, c1, c2;
            if (n3 == 3 && token_int(ct[0], -MAX_CELL, MAX_CELL, &c0) &&
                token_int(ct[1], -MAX_CELL, MAX_CELL, &c1) &&
                token_int(ct[2], -MAX_CELL, MAX_CELL, &c2)) {
                cell[0] = (int)c0, cell[1] = (int)c1, cell[2] = (int)c2;
                has_cell = true;
            } else if (n3 == 1 && !orb[0] && isdigit((unsigned char)in[0])) {
                snprintf(orb, sizeof orb, "%s", in);
            } else {
                return bad(s, "\"[%s]\" is neither a cell (three whole numbers) nor an orbital "
                           "(e.g. [3d_xy])", in);
            }
            q = close + 1;
        }
        if (*q == '(') {
            const char *close = strchr(q, ')');
            char in[64];
            size_t len = close ? (size_t)(close - q - 1) : 0;
            double d;
            const char *r = in;
            if (!close || len >= sizeof in)
                return bad(s, "bad distance in \"%.60s\"", q);
            memcpy(in, q + 1, len);
            in[len] = '\0';
            if (!dp_text_number(&r, &d) || *dp_text_skip_blanks(r) || !isfinite(d) || d < 0)
                return bad(s, "bad distance in \"%.60s\"", q);
            b->length = d;
            q = close + 1;
        }
        with_orb += orb[0] != '\0';
        dp_status st = set_center(s, b, nc, sym, index, orb, orbs, sizeof orbs);
        if (st)
            return st;
        if (has_cell)
            memcpy(b->translation, cell, sizeof cell); /* the last atom's cell stays */
        nc++;
        q = dp_text_skip_blanks(q);
        if (q[0] == '-' && q[1] == '>') {
            q = dp_text_skip_blanks(q + 2);
            if (!*q)
                return bad(s, "the atoms end with \"->\"");
        } else if (*q) {
            return bad(s, "expected \"->\" or the end of the line after atom %d, found \"%.40s\"",
                       nc, q);
        }
        p = q;
    }
    if (nc != natoms)
        return bad(s, "the row states %ld atoms and lists %d: expected %s", natoms, nc,
                   row_layout(s));
    b->ncenters = nc;
    set_orbitals(s, b, orbs, with_orb > 0);
    return DP_OK;
}

/* Same atoms (as a set, in any order) in a and b. */
static bool same_atoms(const dp_bond *a, const dp_bond *b)
{
    if (a->ncenters != b->ncenters)
        return false;
    for (int i = 0; i < a->ncenters; i++) {
        int na = 0, nb = 0;
        for (int j = 0; j < a->ncenters; j++) {
            na += a->atom[j] == a->atom[i];
            nb += b->atom[j] == a->atom[i];
        }
        if (na != nb)
            return false;
    }
    return true;
}

static void pair_text(const dp_bond *b, char *buf, size_t size)
{
    size_t u = 0;
    buf[0] = '\0';
    for (int k = 0; k < b->ncenters && u < size; k++) {
        int w = snprintf(buf + u, size - u, "%s%s", k ? "-" : "", b->name[k]);
        if (w < 0)
            return;
        u += (size_t)w;
    }
}

/* A spin-2 row must repeat the spin-1 row it stands for. */
static bool same_row(const dp_bond *a, const dp_bond *b)
{
    if (strcmp(a->label, b->label) || a->ncenters != b->ncenters ||
        strcmp(a->orbitals, b->orbitals) || a->nbonds_avg != b->nbonds_avg ||
        memcmp(a->translation, b->translation, sizeof a->translation))
        return false;
    if (!(a->length == b->length || (isnan(a->length) && isnan(b->length))))
        return false;
    for (int k = 0; k < a->ncenters; k++)
        if (a->atom[k] != b->atom[k] || strcmp(a->name[k], b->name[k]))
            return false;
    return true;
}

/* A new row (spin 1): stored, with its parent. */
static dp_status add_row(lr *s, dp_bond *b, const double *v)
{
    if (b->orbitals[0]) {
        if (s->last_parent < 0)
            return bad(s, "an orbital-resolved line before any interaction: expected the "
                       "interaction's own line (atom names without orbitals) first");
        const dp_bond *p = &s->b[s->last_parent];
        if (strcmp(p->label, b->label) || !same_atoms(p, b)) {
            char a[160];
            pair_text(p, a, sizeof a);
            return bad(s, "this orbital-resolved line (interaction %s) does not belong to the "
                       "interaction before it (%s, %s)", b->label, p->label, a);
        }
        b->parent = s->last_parent;
        if (s->lay == LAYOUT_MULTI) { /* orbital lines carry no cell or distance there */
            memcpy(b->translation, p->translation, sizeof b->translation);
            b->length = p->length;
        }
    } else {
        b->parent = -1;
    }
    if (s->n == MAX_ROWS)
        return bad(s, "more than %d rows", MAX_ROWS);
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 256;
        if (cap > MAX_ROWS)
            cap = MAX_ROWS;
        dp_bond *nb = realloc(s->b, (size_t)cap * sizeof *nb);
        if (!nb)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory for %d rows", s->path, cap);
        s->b = nb;
        s->cap = cap;
    }
    b->value[0] = v[0];
    b->value[1] = s->side == 2 ? v[1] : NAN;
    if (!b->orbitals[0])
        s->last_parent = s->n;
    s->b[s->n++] = *b;
    return DP_OK;
}

/* ---- header -------------------------------------------------------------- */

/* How many "for spin" phrases a line holds; the number after the first into *first. */
static int spin_phrases(const char *line, long *first)
{
    int n = 0;
    for (const char *p = line; (p = strstr(p, "for spin")) != NULL; p += 8) {
        if (n == 0) {
            const char *q = dp_text_skip_blanks(p + 8);
            *first = isdigit((unsigned char)*q) ? strtol(q, NULL, 10) : -1;
        }
        n++;
    }
    return n;
}

/* The first line: the kind and the layout. */
static dp_status parse_header(lr *s)
{
    const char *line = dp_text_skip_blanks(s->in.buf);
    token t[1] = {{NULL, 0}};
    tokenize(line, t, 1);
    const char *kinds[] = {"COHP#", "COOP#", "COBI#"};
    int kind = -1;
    for (int k = 0; k < 3; k++)
        if (token_is(t[0], kinds[k]))
            kind = k;
    if (kind < 0)
        return bad(s, "expected a LOBSTER list header starting with \"COHP#\", \"COOP#\" or "
                   "\"COBI#\", found \"%.80s\"", line);
    snprintf(s->tag, sizeof s->tag, "%s", kinds[kind]);
    snprintf(s->run->bonds.kind, sizeof s->run->bonds.kind, "I%.4s", kinds[kind]);
    if (strstr(line, "No. of atoms")) {
        if (kind != 2)
            return bad(s, "a multi-centre list (\"No. of atoms\") of %s: only COBI lists have "
                       "more than two centres", s->tag);
        s->lay = LAYOUT_MULTI;
    } else if (strstr(line, "translation")) {
        s->lay = LAYOUT_TRANS;
    } else if (strstr(line, "avg. over") || strstr(line, "avg.over")) {
        s->lay = LAYOUT_AVG;
    } else {
        return bad(s, "unknown LOBSTER list header \"%.100s\": expected the column "
                   "\"translation\" (LOBSTER 3.2 and later), \"avg. over # bonds\" (LOBSTER "
                   "2.x/3.1) or \"No. of atoms\" (NcICOBILIST)", line);
    }
    if (!strstr(line, "distance") && s->lay != LAYOUT_MULTI)
        return bad(s, "unknown LOBSTER list header \"%.100s\": expected a \"distance\" column",
                   line);
    long first = -1;
    int np = spin_phrases(line, &first);
    if (np == 1 || (np == 2 && s->lay != LAYOUT_AVG)) {
        if (first != 1)
            return bad(s, "the first block must be \"for spin 1\", found \"%.100s\"", line);
        s->blocks = np == 1;
        s->side = np;
        s->nspin = np;
        return DP_OK;
    }
    if (np > 1)
        return bad(s, "unknown LOBSTER list header \"%.100s\": %d \"for spin\" on one line", line,
                   np);
    if (s->lay == LAYOUT_AVG) { /* no spin stated: one block */
        s->blocks = true;
        s->side = 1;
        s->nspin = 1;
        return DP_OK;
    }
    /* LOBSTER 5.1: the spins are named on a line of their own */
    int rc;
    do {
        rc = dp_text_next_line(&s->in, s->err);
        if (rc < 0)
            return s->err->code;
        if (rc == 0) {
            s->in.line++;
            return bad(s, "the file ends where the second header line of LOBSTER 5.1 "
                       "(\"for spin 1  for spin 2\") should be");
        }
    } while (!*dp_text_skip_blanks(s->in.buf));
    line = dp_text_skip_blanks(s->in.buf);
    np = spin_phrases(line, &first);
    if (np < 1 || np > 2 || first != 1 || strncmp(line, "for spin", 8))
        return bad(s, "expected the second header line of LOBSTER 5.1 (\"for spin 1\" or "
                   "\"for spin 1  for spin 2\"), found \"%.80s\"", line);
    s->blocks = false;
    s->side = np;
    s->nspin = np;
    return DP_OK;
}

/* ---- the reader ---------------------------------------------------------- */

static dp_status build_species(lr *s)
{
    dp_run *run = s->run;
    int n = s->natoms;
    char (*sym)[4] = malloc((size_t)n * sizeof *sym);
    int *counts = malloc((size_t)n * sizeof *counts);
    if (!sym || !counts) {
        free(sym);
        free(counts);
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    }
    int nt = 0;
    for (int i = 0; i < n; i++) {
        const char *e = s->elem[i][0] ? s->elem[i] : "X";
        if (nt && !strcmp(sym[nt - 1], e)) {
            counts[nt - 1]++;
        } else {
            snprintf(sym[nt], 4, "%s", e);
            counts[nt++] = 1;
        }
    }
    dp_status st = dp_run_set_species(run, nt, sym, counts, s->err);
    free(sym);
    free(counts);
    return st;
}

static dp_status parse(lr *s)
{
    int rc;
    do {
        rc = dp_text_next_line(&s->in, s->err);
        if (rc < 0)
            return s->err->code;
        if (rc == 0)
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: file is empty", s->path);
    } while (!*dp_text_skip_blanks(s->in.buf));
    dp_status st = parse_header(s);
    if (st)
        return st;
    long header2 = 0;     /* line of the spin-2 header */
    int n1 = -1;          /* rows of spin 1, once spin 2 began */
    int k2 = 0;           /* spin-2 rows read */
    bool last_blank_ok = true;
    long last_line = 0;
    while ((rc = dp_text_next_line(&s->in, s->err)) == 1) {
        const char *line = dp_text_skip_blanks(s->in.buf);
        if (!*line)
            continue;
        if (s->in.cut)
            return bad(s, "a line longer than %d characters: not a LOBSTER list row", LINE_CAP - 1);
        size_t len = strlen(s->in.buf);
        last_line = s->in.line;
        last_blank_ok = s->in.newline || (len && (s->in.buf[len - 1] == ' ' ||
                                                  s->in.buf[len - 1] == '\t'));
        if (!strncmp(line, s->tag, strlen(s->tag))) {
            long first = -1;
            int np = spin_phrases(line, &first);
            if (!s->blocks)
                return bad(s, "a second header in a file whose rows hold %s", s->side == 2
                           ? "both spins" : "every value (LOBSTER 5.1 layout)");
            if (header2)
                return bad(s, "a third header (the one on line %ld began spin 2): at most two "
                           "spin blocks", header2);
            if (np != 1 || first != 2)
                return bad(s, "expected the header of spin 2 (\"... for spin  2\"), found "
                           "\"%.80s\"", line);
            bool trans = strstr(line, "translation") != NULL;
            bool multi = strstr(line, "No. of atoms") != NULL;
            if (multi != (s->lay == LAYOUT_MULTI) ||
                (!multi && trans != (s->lay == LAYOUT_TRANS)))
                return bad(s, "the spin-2 header has other columns than the spin-1 header");
            if (s->n == 0)
                return bad(s, "the header of spin 2 follows that of spin 1 with no row between");
            header2 = s->in.line;
            n1 = s->n;
            s->nspin = 2;
            continue;
        }
        if (isalpha((unsigned char)*line) && strstr(line, "for spin"))
            return bad(s, "expected a row, found a header line \"%.80s\"", line);
        dp_bond b;
        memset(&b, 0, sizeof b);
        double v[2] = {NAN, NAN};
        st = s->lay == LAYOUT_MULTI ? parse_multi_row(s, &b, v) : parse_pair_row(s, &b, v);
        if (st)
            return st;
        if (!header2) {
            if ((st = add_row(s, &b, v)))
                return st;
            continue;
        }
        /* spin 2: the same rows in the same order */
        if (k2 == n1)
            return bad(s, "spin 2 has more rows than the %d of spin 1", n1);
        dp_bond *a = &s->b[k2];
        if (b.orbitals[0] && s->lay == LAYOUT_MULTI) {
            memcpy(b.translation, a->translation, sizeof b.translation);
            b.length = a->length;
        }
        if (!same_row(a, &b)) {
            char ta[160], tb[160];
            pair_text(a, ta, sizeof ta);
            pair_text(&b, tb, sizeof tb);
            return bad(s, "this spin-2 row (interaction %s, %s) does not match row %d of spin 1 "
                       "(interaction %s, %s): both spin blocks must list the same interactions "
                       "in the same order", b.label, tb, k2 + 1, a->label, ta);
        }
        a->value[1] = v[0];
        k2++;
    }
    if (rc < 0)
        return s->err->code;
    if (s->n == 0) {
        s->in.line++;
        return bad(s, "the file ends after its header: no interactions (cut off?)");
    }
    if (header2 && k2 < n1) {
        s->in.line++;
        return bad(s, "the file ends after %d of the %d rows of spin 2 (cut off?)", k2, n1);
    }
    if (!last_blank_ok)
        dp_run_warn(s->run, "%s: line %ld: the last line has no end of line: the file may be "
                    "cut off (LOBSTER ends its lines with a newline or, in 5.1, a blank)",
                    s->path, last_line);
    if (s->overflows)
        dp_run_warn(s->run, "%s: %ld value(s) overflowed their field (\"****\"): read as NaN",
                    s->path, s->overflows);
    dp_bond_list *bl = &s->run->bonds;
    bl->nspin = s->nspin;
    bl->nbonds = s->n;
    bl->bonds = s->b;
    s->b = NULL;
    s->run->has_bonds = true;
    s->run->params.ispin = s->nspin;
    if ((st = build_species(s)))
        return st;
    s->run->status.complete = true;
    return DP_OK;
}

dp_status dp_lobster_list_read(const char *path, const dp_read_opts *opts, dp_run **out,
                               dp_error *err)
{
    (void)opts;
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    lr *s = calloc(1, sizeof *s);
    if (!s) {
        gzclose(f);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    s->in = (dp_text_lines){.f = f, .path = path, .buf = s->buf, .cap = LINE_CAP};
    s->path = path;
    s->err = err;
    s->last_parent = -1;
    s->run = calloc(1, sizeof *s->run);
    if (!s->run) {
        gzclose(f);
        free(s);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    dp_run *run = s->run;
    snprintf(run->path, sizeof run->path, "%s", path);
    snprintf(run->program, sizeof run->program, "LOBSTER");
    run->version[0] = '\0'; /* the list files do not say */
    run->params.lorbit = -1;
    run->first_frame_step = -1;
    run->has_efermi = false;
    dp_status st = parse(s);
    gzclose(f);
    free(s->b);
    free(s->elem);
    free(s->elem_line);
    free(s);
    if (st != DP_OK) {
        dp_run_free(run);
        return st;
    }
    *out = run;
    return DP_OK;
}
