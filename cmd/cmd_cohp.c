/* dftpost cohp: a LOBSTER COHP/COOP/COBI curve (one bond, or the sum of an element
 * pair's bonds), LOBSTER's integral to any energy, and the bonding and antibonding
 * parts of the curve below E_F. */
#include "common.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *HELP =
    "usage: dftpost cohp FILE (--bond LABEL | --pair A-B) [options]\n"
    "\n"
    "A curve of LOBSTER's COHPCAR, COOPCAR or COBICAR.lobster (plain or .gz) for\n"
    "plotting, energies E - E_F (eV) as LOBSTER shifts them:\n"
    "  energy, cohp, icohp                      (--spin sum, the default)\n"
    "  energy, cohp_up, cohp_down, icohp_up, icohp_down   (--spin both)\n"
    "named coop/icoop or cobi/icobi for those files. Values as LOBSTER writes them:\n"
    "COHP < 0 is bonding; COOP and COBI > 0 are. icohp is LOBSTER's own integrated\n"
    "column, the integral from the bottom of the bands (so it includes states below\n"
    "the first energy of the file); at E_F it is the ICOHP of ICOHPLIST.lobster.\n"
    "\n"
    "  -b, --bond LABEL       one curve: N (the Nth bond, LOBSTER's numbering in\n"
    "                         ICOHPLIST.lobster and pymatgen's), a label as the file\n"
    "                         writes it, with or without its \"(length)\"\n"
    "                         (\"No.1:Fe8->Fe7\", \"No.2:Ga1[4s]->As2[4p_x]\"), \"No.N\"\n"
    "                         as written in the file, or \"Average\"\n"
    "  -p, --pair A-B         the sum of the curves of every bond between elements A and\n"
    "                         B (either order; orbital-wise and multi-centre curves left\n"
    "                         out); the header says how many were summed\n"
    "  -s, --spin sum|up|down|both   sum = up + down (default; a file that is not\n"
    "                         spin-polarised has one channel, which is the sum)\n"
    "  -t, --integrate-to E   also give LOBSTER's integral up to E (eV, E - E_F)\n"
    "  -S, --summary          instead of the curve, one row per spin channel:\n"
    "                         bond, curves, spin, integrate_to, icohp, bonding,\n"
    "                         antibonding, bonding_fraction, from\n"
    OUTPUT_HELP
    "\n"
    "icohp at an energy between two grid points is interpolated linearly between them\n"
    "(as pymatgen's Cohp.get_interpolated_value); integrate_to is E_F (0) unless\n"
    "--integrate-to is given. bonding and antibonding: the integral below E_F of the\n"
    "curve's bonding and antibonding parts, from the first energy of the file to 0, by\n"
    "the trapezoid rule on the file's grid with the curve split exactly where it\n"
    "changes sign (and at E_F); each keeps LOBSTER's sign (for COHP bonding <= 0).\n"
    "bonding_fraction = |bonding| / (|bonding| + |antibonding|). The split is of the\n"
    "curve shown (after summing spins, or a pair's bonds). It covers the file's energy\n"
    "window only: its sum differs from icohp by the states below the window and\n"
    "because LOBSTER's integrated column is not the trapezoid rule on the printed\n"
    "curve. TSV also gives these numbers as '# ' lines above the curve.\n"
    "\n"
    "Exit status: 0 ok, 1 bad input or no curves in the file, 2 usage error (also a\n"
    "bond or pair the file does not have).\n";

/* ---- labels ---------------------------------------------------------------- */

static bool is_average(const char *l)
{
    return !strcasecmp(l, "Average");
}

/* An orbital-wise curve names orbitals in brackets ("[4p_x]"); cells ("[0 0 0]") are
 * numbers only. */
static bool is_orbital(const char *l)
{
    for (const char *p = strchr(l, '['); p; p = strchr(p + 1, '['))
        for (const char *q = p + 1; *q && *q != ']'; q++)
            if (isalpha((unsigned char)*q))
                return true;
    return false;
}

static int centres(const char *l)
{
    if (is_average(l))
        return 0;
    int n = 1;
    for (const char *p = strstr(l, "->"); p; p = strstr(p + 2, "->"))
        n++;
    return n;
}

/* A whole interaction: not the average, not orbital-wise. */
static bool is_whole(const char *l)
{
    return !is_average(l) && !is_orbital(l);
}

/* Length of the label without a final "(2.83...)". */
static size_t stem_len(const char *l)
{
    size_t n = strlen(l);
    const char *o = strrchr(l, '(');
    if (n && l[n - 1] == ')' && o && o > l && o[-1] != '[' && strchr(o, ']') == NULL)
        return (size_t)(o - l);
    return n;
}

/* ---- which curves ------------------------------------------------------------ */

typedef struct {
    const char *bond;         /* --bond, or NULL */
    long number;              /* --bond N: N; 0 otherwise */
    char exact[128];          /* --bond N: the Nth bond's label, once known */
    long nbonds;              /* whole bonds in the file (for a message) */
    bool have_pair;
    char pair[2][4];          /* --pair A-B */
    bool prepared, all;
    bool orbital_number;      /* --bond No.N names only orbital-wise curves */
    bool *need;               /* [natoms] atoms the chosen curves name */
} selector;

static bool is_symbol(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 3 || !isupper((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!islower((unsigned char)s[i]))
            return false;
    return true;
}

static const char *symbol(const dp_run *run, int atom)
{
    return atom >= 0 && atom < run->natoms ? run->species[run->atom_type[atom]].symbol : "";
}

static bool matches(const selector *s, const dp_run *run, int c)
{
    const char *l = run->cohp.label[c];
    if (s->have_pair) {
        if (!is_whole(l) || centres(l) != 2)
            return false;
        const char *a = symbol(run, run->cohp.atoms[c][0]), *b = symbol(run, run->cohp.atoms[c][1]);
        return (!strcmp(a, s->pair[0]) && !strcmp(b, s->pair[1])) ||
               (!strcmp(a, s->pair[1]) && !strcmp(b, s->pair[0]));
    }
    const char *b = s->bond;
    if (is_average(b))
        return is_average(l);
    if (s->number)
        return s->exact[0] && !strcmp(l, s->exact);
    size_t nb = strlen(b);
    if (!strncmp(b, "No.", 3) && !strchr(b, ':')) /* "No.3": that number as written */
        return is_whole(l) && !strncmp(l, b, nb) && l[nb] == ':';
    return !strcmp(l, b) || (stem_len(l) == nb && !strncmp(l, b, nb));
}

/* Do orbital-wise curves carry the number "No.N" (given without the colon)? */
static bool any_orbital(const dp_cohp *c, const char *no)
{
    size_t n = strlen(no);
    for (int i = 0; i < c->ncurves; i++)
        if (!strncmp(c->label[i], no, n) && c->label[i][n] == ':' && is_orbital(c->label[i]))
            return true;
    return false;
}

/* Resolves --bond N and marks the atoms the chosen curves name, on the whole list of
 * curves (the reader calls keep_atom before it drops any). */
static void prepare(selector *s, const dp_run *run)
{
    s->prepared = true;
    const dp_cohp *c = &run->cohp;
    if (s->number) {
        long k = 0;
        for (int i = 0; i < c->ncurves; i++)
            if (is_whole(c->label[i]) && ++k == s->number)
                snprintf(s->exact, sizeof s->exact, "%s", c->label[i]);
        s->nbonds = k;
    }
    if (s->bond && !strncmp(s->bond, "No.", 3) && !strchr(s->bond, ':'))
        s->orbital_number = any_orbital(c, s->bond);
    s->need = calloc((size_t)(run->natoms ? run->natoms : 1), sizeof *s->need);
    if (!s->need) {
        s->all = true; /* keep everything rather than fail */
        return;
    }
    for (int i = 0; i < c->ncurves; i++) {
        if (!matches(s, run, i) || is_average(c->label[i]))
            continue;
        if (centres(c->label[i]) > 2) { /* the model keeps two atoms of a multi-centre COBI */
            s->all = true;
            continue;
        }
        for (int k = 0; k < 2; k++)
            if (c->atoms[i][k] >= 0 && c->atoms[i][k] < run->natoms)
                s->need[c->atoms[i][k]] = true;
    }
}

static bool keep_atom(const dp_run *run, int atom, void *ud)
{
    selector *s = ud;
    if (!s->prepared)
        prepare(s, run);
    return s->all || (s->need && s->need[atom]);
}

/* ---- numbers ------------------------------------------------------------------ */

/* y at x by linear interpolation on the grid e[n] (ascending); NaN outside it. */
static double interpolate(const double *e, const double *y, int n, double x)
{
    if (n < 1 || !(x >= e[0] && x <= e[n - 1]))
        return NAN;
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (e[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    if (x == e[lo] || lo == hi)
        return y[lo];
    return y[lo] + (y[hi] - y[lo]) * (x - e[lo]) / (e[hi] - e[lo]);
}

/* Adds the integral of the straight line from (a, fa) to (b, fb) to neg (the part
 * below zero) and pos (above), splitting it where it crosses zero. */
static void add_segment(double a, double fa, double b, double fb, double *neg, double *pos)
{
    if (fa * fb < 0) {
        double x = a + (b - a) * fa / (fa - fb); /* the zero of the line */
        add_segment(a, fa, x, 0, neg, pos);
        add_segment(x, 0, b, fb, neg, pos);
        return;
    }
    double area = (b - a) * (fa + fb) / 2; /* one sign on [a, b] */
    if (area < 0)
        *neg += area;
    else
        *pos += area;
}

/* ∫ of the negative and positive parts of the piecewise-linear curve y(e) from e[0]
 * to min(upper, e[n-1]). */
static void split_below(const double *e, const double *y, int n, double upper, double *neg,
                        double *pos)
{
    *neg = *pos = 0;
    for (int i = 0; i + 1 < n && e[i] < upper; i++) {
        double b = e[i + 1], fb = y[i + 1];
        if (b > upper) {
            fb = y[i] + (y[i + 1] - y[i]) * (upper - e[i]) / (b - e[i]);
            b = upper;
        }
        add_segment(e[i], y[i], b, fb, neg, pos);
    }
}

/* ---- the command ------------------------------------------------------------- */

typedef struct {
    const char *name;         /* "", "_up", "_down" */
    const char *spin;         /* for the summary: sum, up, down */
    double *value, *integral; /* [npoints] */
    double icohp_ef, icohp_to, bonding, antibonding;
} channel;

static void lower(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

int cmd_cohp(int argc, char **argv)
{
    output_opts out = {0};
    selector sel = {0};
    const char *spin = "sum", *pair = NULL;
    bool summary = false, have_to = false;
    double e_to = 0;
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"bond", required_argument, 0, 'b'},
                                             {"pair", required_argument, 0, 'p'},
                                             {"spin", required_argument, 0, 's'},
                                             {"integrate-to", required_argument, 0, 't'},
                                             {"summary", no_argument, 0, 'S'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hb:p:s:t:S", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'b':
            sel.bond = optarg;
            break;
        case 'p':
            pair = optarg;
            break;
        case 's':
            spin = optarg;
            if (strcmp(spin, "sum") && strcmp(spin, "up") && strcmp(spin, "down") &&
                strcmp(spin, "both")) {
                complain("cohp", "bad --spin \"%s\" (use sum, up, down or both)", spin);
                return EXIT_USAGE;
            }
            break;
        case 't':
            e_to = strtod(optarg, &end);
            if (end == optarg || *end || !isfinite(e_to)) {
                complain("cohp", "bad --integrate-to \"%s\" (an energy in eV, E - E_F)", optarg);
                return EXIT_USAGE;
            }
            have_to = true;
            break;
        case 'S':
            summary = true;
            break;
        default:
            if (output_option(&out, opt, optarg) != 1) {
                if (opt == '?')
                    fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
    }
    if (optind != argc - 1) {
        complain("cohp", optind >= argc ? "no FILE given" : "one FILE at a time");
        return EXIT_USAGE;
    }
    if (!sel.bond == !pair) {
        complain("cohp", "give --bond LABEL or --pair A-B (one of them)");
        return EXIT_USAGE;
    }
    if (pair) {
        const char *dash = strchr(pair, '-');
        size_t la = dash ? (size_t)(dash - pair) : 0;
        if (dash && la < 4 && strlen(dash + 1) < 4) {
            snprintf(sel.pair[0], 4, "%.*s", (int)la, pair);
            snprintf(sel.pair[1], 4, "%s", dash + 1);
        }
        if (!dash || !is_symbol(sel.pair[0]) || !is_symbol(sel.pair[1])) {
            complain("cohp", "bad --pair \"%s\" (two element symbols, e.g. Fe-O)", pair);
            return EXIT_USAGE;
        }
        sel.have_pair = true;
    } else {
        char *end;
        long n = strtol(sel.bond, &end, 10);
        if (end != sel.bond && !*end) {
            if (n < 1) {
                complain("cohp", "bad --bond %s (bonds are numbered from 1)", sel.bond);
                return EXIT_USAGE;
            }
            sel.number = n;
        }
    }
    const char *path = argv[optind];
    dp_read_opts ro = {.skip_dos = true, .keep_atom = keep_atom, .keep_ud = &sel};
    dp_run *run = load_run(path, &ro);
    free(sel.need);
    sel.need = NULL;
    if (!run)
        return EXIT_BAD_INPUT;
    int status = EXIT_OK;
    table *t = NULL;
    int *chosen = NULL;
    channel ch[2] = {{0}};
    int nch = 0;
    const dp_cohp *c = &run->cohp;
    if (!run->has_cohp) {
        complain("cohp", "%s: no COHP/COOP/COBI curves in this file (LOBSTER's COHPCAR, "
                 "COOPCAR or COBICAR.lobster have them)", path);
        status = EXIT_BAD_INPUT;
        goto done;
    }
    bool spin2 = c->nspin == 2;
    if (!spin2 && strcmp(spin, "sum")) {
        complain("cohp", "%s is not spin-polarised: only --spin sum (its one channel)", path);
        status = EXIT_USAGE;
        goto done;
    }

    /* the curves */
    chosen = malloc((size_t)(c->ncurves ? c->ncurves : 1) * sizeof *chosen);
    if (!chosen) {
        complain("cohp", "out of memory");
        status = EXIT_BAD_INPUT;
        goto done;
    }
    int nchosen = 0;
    for (int i = 0; i < c->ncurves; i++)
        if (matches(&sel, run, i))
            chosen[nchosen++] = i;
    if (!nchosen) {
        if (sel.have_pair)
            complain("cohp", "%s: no %s-%s bond among its curves", path, sel.pair[0], sel.pair[1]);
        else if (sel.number)
            complain("cohp", "%s: no bond %ld: the file has %ld", path, sel.number, sel.nbonds);
        else if (sel.orbital_number)
            complain("cohp", "%s: \"%s\" numbers only orbital-wise curves here (LOBSTER 4 gives "
                     "a bond's orbital-wise curves the next number): give one's whole label, or "
                     "the bond's number N", path, sel.bond);
        else
            complain("cohp", "%s: no curve \"%s\" (give N for the Nth bond, a label as the file "
                     "writes it, No.N, or Average)", path, sel.bond);
        status = EXIT_USAGE;
        goto done;
    }

    /* the channels: sums over the chosen curves */
    int np = c->npoints;
    if (!strcmp(spin, "both")) {
        ch[0] = (channel){.name = "_up", .spin = "up"};
        ch[1] = (channel){.name = "_down", .spin = "down"};
        nch = 2;
    } else {
        ch[0] = (channel){.name = !strcmp(spin, "sum") ? "" : !strcmp(spin, "up") ? "_up" : "_down",
                          .spin = spin};
        nch = 1;
    }
    for (int k = 0; k < nch; k++) {
        ch[k].value = calloc((size_t)np, sizeof *ch[k].value);
        ch[k].integral = calloc((size_t)np, sizeof *ch[k].integral);
        if (!ch[k].value || !ch[k].integral) {
            complain("cohp", "out of memory");
            status = EXIT_BAD_INPUT;
            goto done;
        }
        int s0 = !strcmp(ch[k].spin, "down") ? 1 : 0;
        int s1 = !strcmp(ch[k].spin, "sum") ? c->nspin - 1 : s0;
        for (int j = 0; j < nchosen; j++)
            for (int s = s0; s <= s1; s++) {
                size_t at = ((size_t)chosen[j] * (size_t)c->nspin + (size_t)s) * (size_t)np;
                for (int e = 0; e < np; e++) {
                    ch[k].value[e] += c->value[at + (size_t)e];
                    ch[k].integral[e] += c->integrated[at + (size_t)e];
                }
            }
        ch[k].icohp_ef = interpolate(c->energy, ch[k].integral, np, 0.0);
        ch[k].icohp_to = interpolate(c->energy, ch[k].integral, np, e_to);
        double neg, pos;
        split_below(c->energy, ch[k].value, np, 0.0, &neg, &pos);
        bool cohp = !strcmp(c->kind, "COHP");
        ch[k].bonding = cohp ? neg : pos;
        ch[k].antibonding = cohp ? pos : neg;
    }
    double e0 = c->energy[0], e1 = c->energy[np - 1];
    if (have_to && isnan(ch[0].icohp_to)) {
        complain("cohp", "%s: --integrate-to %g is outside the file's energies (%g to %g eV)", path,
                 e_to, e0, e1);
        status = EXIT_USAGE;
        goto done;
    }
    if (e0 > 0 || e1 < 0)
        fprintf(stderr, "dftpost cohp: warning: %s: the energies (%g to %g eV) do not reach "
                "E_F: no integral at E_F%s\n", path, e0, e1,
                e0 > 0 ? ", nothing below it" : "; the split stops at the last energy");

    /* names by kind: cohp/icohp, coop/icoop, cobi/icobi */
    char k[8];
    const char *K = c->kind;
    lower(K, k, sizeof k);
    bool cohp = !strcmp(K, "COHP");
    char what[400];
    if (sel.have_pair)
        snprintf(what, sizeof what, "%s summed over the %d %s-%s bond curve%s", K, nchosen,
                 sel.pair[0], sel.pair[1], nchosen > 1 ? "s" : "");
    else if (nchosen == 1)
        snprintf(what, sizeof what, "%s of %s%s: %s", K, sel.number ? "bond " : "",
                 sel.number ? sel.bond : "curve", c->label[chosen[0]]);
    else
        snprintf(what, sizeof what, "%s summed over the %d curves matching \"%s\"", K, nchosen,
                 sel.bond);

    if (summary) {
        char cols[200];
        snprintf(cols, sizeof cols, "bond,curves,spin,integrate_to,i%s,bonding,antibonding,"
                 "bonding_fraction,from", k);
        t = table_new(cols);
    } else {
        char cols[200] = "energy";
        for (int j = 0; j < nch; j++) {
            size_t u = strlen(cols);
            snprintf(cols + u, sizeof cols - u, ",%s%s", k, ch[j].name);
        }
        for (int j = 0; j < nch; j++) {
            size_t u = strlen(cols);
            snprintf(cols + u, sizeof cols - u, ",i%s%s", k, ch[j].name);
        }
        t = table_new(cols);
    }
    table_meta(t, "dftpost cohp %s", path);
    table_meta(t, "%s", what);
    if (sel.have_pair || nchosen > 1)
        for (int j = 0; j < nchosen && j < 8; j++)
            table_meta(t, "  %s%s", c->label[chosen[j]],
                       j == 7 && nchosen > 8 ? " ... (more)" : "");
    table_meta(t, "energies E - E_F in eV (E_F = %.8g eV as LOBSTER states it); %s as LOBSTER "
               "writes it: %s = bonding; spin: %s", c->efermi, K, cohp ? "negative" : "positive",
               !spin2 ? "one channel (not spin-polarised)"
               : !strcmp(spin, "sum") ? "up + down" : !strcmp(spin, "both") ? "up and down" : spin);
    table_meta(t, "i%s: LOBSTER's integrated column (from the bottom of the bands); values "
               "between grid points linear between them", k);
    for (int j = 0; j < nch; j++) {
        const char *sp = nch > 1 ? ch[j].spin : "";
        table_meta(t, "i%s%s%s at E_F = %.6g", k, *sp ? " " : "", sp, ch[j].icohp_ef);
        if (have_to)
            table_meta(t, "i%s%s%s up to E = %g eV: %.6g", k, *sp ? " " : "", sp, e_to,
                       ch[j].icohp_to);
        double tot = fabs(ch[j].bonding) + fabs(ch[j].antibonding);
        table_meta(t, "below E_F%s%s: bonding %.6g, antibonding %.6g, bonding fraction %.4f "
                   "(trapezoid rule from %g eV, the first energy, to 0; the curve split where "
                   "it changes sign)", *sp ? ", " : "", sp, ch[j].bonding, ch[j].antibonding,
                   tot > 0 ? fabs(ch[j].bonding) / tot : NAN, e0);
    }

    if (summary) {
        for (int j = 0; j < nch; j++) {
            double tot = fabs(ch[j].bonding) + fabs(ch[j].antibonding);
            table_str(t, sel.have_pair ? pair : sel.bond);
            table_int(t, nchosen);
            table_str(t, ch[j].spin);
            table_num(t, have_to ? e_to : 0.0);
            table_num(t, have_to ? ch[j].icohp_to : ch[j].icohp_ef);
            table_num(t, ch[j].bonding);
            table_num(t, ch[j].antibonding);
            table_num(t, tot > 0 ? fabs(ch[j].bonding) / tot : NAN);
            table_num(t, e0);
        }
    } else {
        for (int e = 0; e < np; e++) {
            table_num(t, c->energy[e]);
            for (int j = 0; j < nch; j++)
                table_num(t, ch[j].value[e]);
            for (int j = 0; j < nch; j++)
                table_num(t, ch[j].integral[e]);
        }
    }
    status = output_table(&out, t);
done:
    table_free(t);
    for (int j = 0; j < 2; j++) {
        free(ch[j].value);
        free(ch[j].integral);
    }
    free(chosen);
    dp_run_free(run);
    return status;
}
