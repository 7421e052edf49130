/* dftpost icohp: LOBSTER's integrated COHP/COOP/COBI per bond, element pair or atom. */
#include "common.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost icohp FILE [options]\n"
    "\n"
    "Integrated bonding indicators up to E_F from LOBSTER's ICOHPLIST.lobster,\n"
    "ICOOPLIST.lobster or ICOBILIST.lobster (plain or .gz; LOBSTER 2.x to 5.1, and\n"
    "NcICOBILIST.lobster for multi-centre ICOBI). Values are LOBSTER's, sign unchanged:\n"
    "ICOHP (eV) is negative for bonding, ICOOP and ICOBI are positive for bonding.\n"
    "The value column is named after the file: icohp, icoop or icobi.\n"
    "\n"
    "Tables (--group-by):\n"
    "  bond   label, atom1, atom2, length, translation, icohp[, icohp_up, icohp_down]\n"
    "         one row per interaction in the file's order; label is LOBSTER's number;\n"
    "         translation is LOBSTER's cell of the last atom (\"0 0 0\" in files of\n"
    "         LOBSTER 2.x/3.1, which give none); icohp_up/icohp_down only for\n"
    "         spin-polarised files. Multi-centre ICOBI files have one column atoms\n"
    "         (\"Ge1 Te2 Ge3\") instead of atom1, atom2, and length nan where the file\n"
    "         gives none (NcICOBILIST).\n"
    "  pair   pair, count, sum, mean, min, max, mean_length\n"
    "         one row per element pair (\"Cl-Na\", elements in alphabetical order),\n"
    "         over the interactions selected; mean_length in Å\n"
    "  atom   atom, element, count, sum, mean, min, max, mean_length\n"
    "         one row per atom (1-based): its interactions summed, a bond-strength\n"
    "         descriptor for a site. An interaction counts once for each different\n"
    "         atom it joins (a bond to the atom's own periodic image once: LOBSTER\n"
    "         lists both directions as separate interactions).\n"
    "The value of an interaction is chosen by --spin: sum (default) = spin up + spin\n"
    "down, as pymatgen's summed_icohp (the only value of a file that is not\n"
    "spin-polarised); up or down = that channel. --spin both gives pair and atom\n"
    "rows per channel with a column spin (up, down); the bond table always carries\n"
    "both channels, so there both is the same as sum.\n"
    "Files of LOBSTER 2.x/3.1 give each value as an average over the bonds named in\n"
    "their last column; it is written as the file gives it (not multiplied).\n"
    "\n"
    "  -P, --pair A-B[,C-D]   only interactions between these elements (either\n"
    "                         order; A-B-C for a three-centre ICOBI)\n"
    "  -a, --atoms SPEC       only interactions with at least one of these atoms\n"
    "                         (1-based indices, ranges, element symbols: 1,3-5,Fe);\n"
    "                         --group-by atom then gives rows for these atoms only\n"
    "  -r, --max-dist R       only interactions no longer than R Å (multi-centre rows\n"
    "                         without a distance are then left out)\n"
    "  -g, --group-by bond|pair|atom   the table (default bond)\n"
    "  -s, --spin sum|up|down|both     which spin channel (default sum); up, down\n"
    "                         and both need a spin-polarised file\n"
    "  -O, --orbitals         the orbital-resolved lines instead of the whole\n"
    "                         interactions (files written with LOBSTER's orbitalwise):\n"
    "                         bond adds a column orbitals (\"3s-2p_x\", in the order of\n"
    "                         the atoms); pair adds orbitals (in the order of the\n"
    "                         elements); atom adds orbital (the atom's own orbital; a\n"
    "                         line to the atom's own image counts under the first)\n"
    OUTPUT_HELP
    "\n"
    "Atoms: the list files name atoms (\"Fe8\") but hold no structure; atoms 1 to the\n"
    "largest number named are known, elements from the names; an atom no\n"
    "interaction names has the element X.\n"
    "\n"
    "Exit status: 0 ok, 1 bad input (or no orbital-resolved lines for --orbitals),\n"
    "2 usage error.\n";

enum { SPIN_SUM, SPIN_UP, SPIN_DOWN, SPIN_BOTH };
enum { BY_BOND, BY_PAIR, BY_ATOM };

#define MAX_PAIRS 64

typedef struct {
    char key[160];
    char what[96];    /* the pair text, or the atom's element */
    char orb[96];     /* orbitals (pair) or the atom's orbital */
    int atom;         /* atom mode: 0-based */
    long order;       /* first appearance */
    long count;
    double sum[2], min[2], max[2];
    double lensum;
    long nlen;
} group;

typedef struct {
    group *g;
    size_t n, cap;
    size_t *slot;     /* open addressing: index + 1, 0 = empty */
    size_t nslot;
} groups;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The group of key (created, with what/orb/atom, if new); NULL when out of memory. */
static group *group_get(groups *gs, const char *key, const char *what, const char *orb,
                        int atom)
{
    if (gs->n * 2 >= gs->nslot) {
        size_t ns = gs->nslot ? gs->nslot * 2 : 64;
        size_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return NULL;
        for (size_t i = 0; i < gs->n; i++) {
            size_t h = (size_t)(hash_str(gs->g[i].key) & (ns - 1));
            while (sl[h])
                h = (h + 1) & (ns - 1);
            sl[h] = i + 1;
        }
        free(gs->slot);
        gs->slot = sl;
        gs->nslot = ns;
    }
    size_t h = (size_t)(hash_str(key) & (gs->nslot - 1));
    while (gs->slot[h]) {
        group *g = &gs->g[gs->slot[h] - 1];
        if (!strcmp(g->key, key))
            return g;
        h = (h + 1) & (gs->nslot - 1);
    }
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? gs->cap * 2 : 64;
        group *ng = realloc(gs->g, cap * sizeof *ng);
        if (!ng)
            return NULL;
        gs->g = ng;
        gs->cap = cap;
    }
    group *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    snprintf(g->what, sizeof g->what, "%s", what);
    snprintf(g->orb, sizeof g->orb, "%s", orb);
    g->atom = atom;
    g->order = (long)gs->n;
    for (int k = 0; k < 2; k++) {
        g->min[k] = INFINITY;
        g->max[k] = -INFINITY;
    }
    gs->slot[h] = ++gs->n;
    return g;
}

static void group_add(group *g, const double *v, int nv, double length)
{
    g->count++;
    for (int k = 0; k < nv; k++) {
        g->sum[k] += v[k];
        if (v[k] < g->min[k])
            g->min[k] = v[k];
        if (v[k] > g->max[k])
            g->max[k] = v[k];
    }
    if (!isnan(length)) {
        g->lensum += length;
        g->nlen++;
    }
}

static int by_atom_then_order(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->atom != y->atom)
        return x->atom < y->atom ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- bonds ------------------------------------------------------------------ */

static const char *element_of(const dp_run *run, int atom)
{
    return run->species[run->atom_type[atom]].symbol;
}

/* The orbital of centre k: the part of its name after the first '_'. */
static const char *center_orbital(const dp_bond *b, int k)
{
    const char *u = strchr(b->name[k], '_');
    return u ? u + 1 : "";
}

typedef struct {
    const char *el;
    const char *orb;
} center;

static int center_cmp(const void *a, const void *b)
{
    const center *x = a, *y = b;
    int c = strcmp(x->el, y->el);
    return c ? c : strcmp(x->orb, y->orb);
}

/* "Cl-Na" (elements sorted) into el and, with orbitals, theirs in that order. */
static void pair_key(const dp_run *run, const dp_bond *b, bool orbitals, char *el, size_t esize,
                     char *orb, size_t osize)
{
    center c[8];
    int n = b->ncenters;
    for (int k = 0; k < n; k++) {
        c[k].el = element_of(run, b->atom[k]);
        c[k].orb = orbitals ? center_orbital(b, k) : "";
    }
    qsort(c, (size_t)n, sizeof *c, center_cmp);
    size_t ue = 0, uo = 0;
    el[0] = orb[0] = '\0';
    for (int k = 0; k < n; k++) {
        if (ue < esize)
            ue += (size_t)snprintf(el + ue, esize - ue, "%s%s", k ? "-" : "", c[k].el);
        if (orbitals && uo < osize)
            uo += (size_t)snprintf(orb + uo, osize - uo, "%s%s", k ? "-" : "", c[k].orb);
    }
}

/* The name of centre k without its orbital ("Fe8"). */
static void atom_name(const dp_run *run, const dp_bond *b, int k, char *buf, size_t size)
{
    snprintf(buf, size, "%s%d", element_of(run, b->atom[k]), b->atom[k] + 1);
}

/* ---- the selection ------------------------------------------------------------ */

typedef struct {
    int npairs;
    char pairs[MAX_PAIRS][64]; /* sorted element lists "Cl-Na" */
    bool *atoms;               /* NULL = all */
    double max_dist;           /* INFINITY = no limit */
    bool orbitals;
} selection;

static bool run_has_element(const dp_run *run, const char *sym)
{
    for (int t = 0; t < run->ntypes; t++)
        if (!strcmp(run->species[t].symbol, sym))
            return true;
    return false;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* --pair "Cl-Na,Fe-N" into sel->pairs; 2 with a message on a bad one. */
static int parse_pairs(const dp_run *run, const char *spec, selection *sel, const char *path)
{
    char buf[1024];
    if (strlen(spec) >= sizeof buf) {
        complain("icohp", "--pair is too long");
        return EXIT_USAGE;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        char el[8][4];
        int n = 0;
        char *s2 = NULL;
        char copy[256];
        snprintf(copy, sizeof copy, "%s", tok);
        for (char *e = strtok_r(copy, "-", &s2); e; e = strtok_r(NULL, "-", &s2)) {
            size_t len = strlen(e);
            bool ok = len >= 1 && len <= 3 && n < 8;
            for (size_t i = 0; ok && i < len; i++)
                ok = isalpha((unsigned char)e[i]);
            if (!ok) {
                complain("icohp", "bad --pair \"%s\" (use element symbols joined by '-', e.g. "
                         "Cl-Na or Fe-N,Fe-C)", tok);
                return EXIT_USAGE;
            }
            for (size_t i = 0; i < len; i++)
                el[n][i] = (char)(i ? tolower((unsigned char)e[i]) : toupper((unsigned char)e[i]));
            el[n][len] = '\0';
            if (!run_has_element(run, el[n])) {
                char list[256] = "";
                for (int t = 0; t < run->ntypes; t++)
                    if (!strstr(list, run->species[t].symbol)) {
                        size_t u = strlen(list);
                        snprintf(list + u, sizeof list - u, "%s%s", u ? " " : "",
                                 run->species[t].symbol);
                    }
                complain("icohp", "--pair %s: element %s is not in %s (it has %s)", tok, el[n],
                         path, list);
                return EXIT_USAGE;
            }
            n++;
        }
        if (n < 2) {
            complain("icohp", "bad --pair \"%s\" (use two or more element symbols joined by "
                     "'-', e.g. Cl-Na)", tok);
            return EXIT_USAGE;
        }
        if (sel->npairs == MAX_PAIRS) {
            complain("icohp", "at most %d pairs in --pair", MAX_PAIRS);
            return EXIT_USAGE;
        }
        qsort(el, (size_t)n, sizeof el[0], str_cmp);
        char *key = sel->pairs[sel->npairs++];
        size_t u = 0;
        key[0] = '\0';
        for (int k = 0; k < n; k++)
            u += (size_t)snprintf(key + u, 64 - u, "%s%s", k ? "-" : "", el[k]);
    }
    if (!sel->npairs) {
        complain("icohp", "empty --pair");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static bool selected(const dp_run *run, const dp_bond *b, const selection *sel)
{
    if (sel->orbitals != (b->parent >= 0))
        return false;
    if (sel->max_dist < INFINITY && !(b->length <= sel->max_dist))
        return false;
    if (sel->atoms) {
        bool any = false;
        for (int k = 0; k < b->ncenters && !any; k++)
            any = sel->atoms[b->atom[k]];
        if (!any)
            return false;
    }
    if (sel->npairs) {
        char el[160], orb[8];
        pair_key(run, b, false, el, sizeof el, orb, sizeof orb);
        bool any = false;
        for (int p = 0; p < sel->npairs && !any; p++)
            any = !strcmp(el, sel->pairs[p]);
        if (!any)
            return false;
    }
    return true;
}

/* The value(s) of b for the spin choice: one, or up and down for both. */
static int bond_values(const dp_bond_list *bl, const dp_bond *b, int spin, double v[2])
{
    switch (spin) {
    case SPIN_UP: v[0] = b->value[0]; return 1;
    case SPIN_DOWN: v[0] = b->value[1]; return 1;
    case SPIN_BOTH: v[0] = b->value[0]; v[1] = b->value[1]; return 2;
    default: v[0] = bl->nspin == 2 ? b->value[0] + b->value[1] : b->value[0]; return 1;
    }
}

/* ---- the command ----------------------------------------------------------------- */

static void lower(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

static void write_meta(table *t, const dp_run *run, const char *path, int spin, int by,
                       const char *pairs, const char *atoms, double max_dist, bool orbitals)
{
    const dp_bond_list *bl = &run->bonds;
    table_meta(t, "dftpost icohp %s", path);
    const char *what = !strcmp(bl->kind, "ICOHP")   ? "ICOHP in eV, negative = bonding"
                       : !strcmp(bl->kind, "ICOOP") ? "ICOOP (overlap population, electrons), "
                                                      "positive = bonding"
                                                    : "ICOBI (bond index), positive = bonding";
    const char *sp = bl->nspin == 1 ? "not spin-polarised"
                     : spin == SPIN_UP ? "spin up only"
                     : spin == SPIN_DOWN ? "spin down only"
                     : spin == SPIN_BOTH && by != BY_BOND ? "per spin channel"
                                                          : "spin up + spin down (pymatgen's "
                                                            "summed_icohp)";
    table_meta(t, "%s, integrated up to E_F as LOBSTER writes it (sign unchanged); %s", what, sp);
    if (by == BY_BOND)
        table_meta(t, "lengths in Å; translation: LOBSTER's cell of the last atom (0 0 0 where "
                   "the file has no translation column)");
    else
        table_meta(t, "sum, mean, min, max over the interactions of each %s; mean_length in Å",
                   by == BY_PAIR ? "element pair" : "atom");
    char m[512] = "";
    size_t u = 0;
    if (pairs)
        u += (size_t)snprintf(m + u, sizeof m - u, "; pairs %s", pairs);
    if (atoms && u < sizeof m)
        u += (size_t)snprintf(m + u, sizeof m - u, "; atoms %s", atoms);
    if (max_dist < INFINITY && u < sizeof m)
        u += (size_t)snprintf(m + u, sizeof m - u, "; length <= %g Å", max_dist);
    if (orbitals && u < sizeof m)
        u += (size_t)snprintf(m + u, sizeof m - u, "; orbital-resolved lines");
    if (m[0])
        table_meta(t, "selection: %s", m + 2);
    int maxavg = 1;
    for (int i = 0; i < bl->nbonds; i++)
        if (bl->bonds[i].nbonds_avg > maxavg)
            maxavg = bl->bonds[i].nbonds_avg;
    if (maxavg > 1)
        table_meta(t, "LOBSTER 2.x/3.1 file: each value is an average over up to %d bonds "
                   "(\"avg. over # bonds\"), written as the file gives it", maxavg);
}

int cmd_icohp(int argc, char **argv)
{
    output_opts out = {0};
    const char *pairs = NULL, *atoms = NULL;
    double max_dist = INFINITY;
    int by = BY_BOND, spin = SPIN_SUM;
    bool orbitals = false;
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"pair", required_argument, 0, 'P'},
                                             {"atoms", required_argument, 0, 'a'},
                                             {"max-dist", required_argument, 0, 'r'},
                                             {"group-by", required_argument, 0, 'g'},
                                             {"spin", required_argument, 0, 's'},
                                             {"orbitals", no_argument, 0, 'O'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hP:a:r:g:s:O", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'P':
            pairs = optarg;
            continue;
        case 'a':
            atoms = optarg;
            continue;
        case 'r': {
            char *end;
            max_dist = strtod(optarg, &end);
            if (end == optarg || *end || !isfinite(max_dist) || !(max_dist > 0)) {
                complain("icohp", "bad --max-dist \"%s\" (a distance in Å, e.g. 3.0)", optarg);
                return EXIT_USAGE;
            }
            continue;
        }
        case 'g':
            if (!strcmp(optarg, "bond"))
                by = BY_BOND;
            else if (!strcmp(optarg, "pair"))
                by = BY_PAIR;
            else if (!strcmp(optarg, "atom"))
                by = BY_ATOM;
            else {
                complain("icohp", "bad --group-by \"%s\" (use bond, pair or atom)", optarg);
                return EXIT_USAGE;
            }
            continue;
        case 's':
            if (!strcmp(optarg, "sum"))
                spin = SPIN_SUM;
            else if (!strcmp(optarg, "up"))
                spin = SPIN_UP;
            else if (!strcmp(optarg, "down"))
                spin = SPIN_DOWN;
            else if (!strcmp(optarg, "both"))
                spin = SPIN_BOTH;
            else {
                complain("icohp", "bad --spin \"%s\" (use sum, up, down or both)", optarg);
                return EXIT_USAGE;
            }
            continue;
        case 'O':
            orbitals = true;
            continue;
        default:
            if (output_option(&out, opt, optarg) != 1) {
                fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
    }
    if (optind != argc - 1) {
        complain("icohp", optind >= argc ? "no FILE given" : "one FILE at a time");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    dp_read_opts ro = {.skip_dos = true};
    dp_run *run = load_run(path, &ro);
    if (!run)
        return EXIT_BAD_INPUT;
    int status = EXIT_OK;
    table *t = NULL;
    groups gs = {0};
    selection sel = {.max_dist = max_dist, .orbitals = orbitals};
    const dp_bond_list *bl = &run->bonds;
    if (!run->has_bonds) {
        complain("icohp", "%s: not a LOBSTER ICOHPLIST/ICOOPLIST/ICOBILIST.lobster (no bond "
                 "list in this file)", path);
        status = EXIT_BAD_INPUT;
        goto done;
    }
    if (spin != SPIN_SUM && bl->nspin != 2) {
        complain("icohp", "%s is not spin-polarised: --spin %s needs two spin channels (use "
                 "sum)", path, spin == SPIN_UP ? "up" : spin == SPIN_DOWN ? "down" : "both");
        status = EXIT_USAGE;
        goto done;
    }
    if (orbitals) {
        bool any = false;
        for (int i = 0; i < bl->nbonds && !any; i++)
            any = bl->bonds[i].parent >= 0;
        if (!any) {
            complain("icohp", "%s has no orbital-resolved lines (LOBSTER writes them with "
                     "'orbitalwise' in lobsterin)", path);
            status = EXIT_BAD_INPUT;
            goto done;
        }
    }
    if (pairs && (status = parse_pairs(run, pairs, &sel, path)) != EXIT_OK)
        goto done;
    if (atoms) {
        sel.atoms = calloc((size_t)run->natoms, sizeof *sel.atoms);
        dp_error err = {0};
        if (!sel.atoms || dp_select_atoms(run, atoms, sel.atoms, &err)) {
            complain("icohp", "%s", sel.atoms ? err.msg : "out of memory");
            status = sel.atoms ? EXIT_USAGE : EXIT_BAD_INPUT;
            goto done;
        }
    }
    bool multi = false;
    for (int i = 0; i < bl->nbonds; i++)
        multi |= bl->bonds[i].ncenters != 2;
    char k[8], cols[256];
    lower(bl->kind, k, sizeof k);
    bool sp = bl->nspin == 2;
    const char *spincol = spin == SPIN_BOTH ? "spin," : "";
    if (by == BY_BOND)
        snprintf(cols, sizeof cols, "label,%s%slength,translation,%s%s%s%s%s%s",
                 multi ? "atoms," : "atom1,atom2,", orbitals ? "orbitals," : "", k,
                 sp ? "," : "", sp ? k : "", sp ? "_up," : "", sp ? k : "", sp ? "_down" : "");
    else if (by == BY_PAIR)
        snprintf(cols, sizeof cols, "pair,%s%scount,sum,mean,min,max,mean_length",
                 orbitals ? "orbitals," : "", spincol);
    else
        snprintf(cols, sizeof cols, "atom,element,%s%scount,sum,mean,min,max,mean_length",
                 orbitals ? "orbital," : "", spincol);
    t = table_new(cols);
    write_meta(t, run, path, spin, by, pairs, atoms, max_dist, orbitals);
    long nsel = 0;
    for (int i = 0; i < bl->nbonds; i++) {
        const dp_bond *b = &bl->bonds[i];
        if (!selected(run, b, &sel))
            continue;
        nsel++;
        double v[2];
        int nv = bond_values(bl, b, spin, v);
        if (by == BY_BOND) {
            table_str(t, b->label);
            char names[8 * 24] = "";
            for (int c = 0; c < b->ncenters; c++) {
                char nm[24];
                atom_name(run, b, c, nm, sizeof nm);
                if (multi) {
                    size_t u = strlen(names);
                    snprintf(names + u, sizeof names - u, "%s%s", c ? " " : "", nm);
                } else {
                    table_str(t, nm);
                }
            }
            if (multi)
                table_str(t, names);
            if (orbitals)
                table_str(t, b->orbitals);
            table_fixed(t, b->length, 5);
            table_fmt(t, "%d %d %d", b->translation[0], b->translation[1], b->translation[2]);
            double s = bl->nspin == 2 ? b->value[0] + b->value[1] : b->value[0];
            table_fixed(t, spin == SPIN_UP ? b->value[0] : spin == SPIN_DOWN ? b->value[1] : s, 5);
            if (sp) {
                table_fixed(t, b->value[0], 5);
                table_fixed(t, b->value[1], 5);
            }
            continue;
        }
        if (by == BY_PAIR) {
            char el[160], orb[160], key[330];
            pair_key(run, b, orbitals, el, sizeof el, orb, sizeof orb);
            snprintf(key, sizeof key, "%s|%s", el, orb);
            group *g = group_get(&gs, key, el, orb, -1);
            if (!g)
                goto nomem;
            group_add(g, v, nv, b->length);
            continue;
        }
        for (int c = 0; c < b->ncenters; c++) {
            int a = b->atom[c];
            bool first = true;
            for (int d = 0; d < c; d++)
                first &= b->atom[d] != a;
            if (!first || (sel.atoms && !sel.atoms[a]))
                continue;
            const char *orb = orbitals ? center_orbital(b, c) : "";
            char key[160];
            snprintf(key, sizeof key, "%d|%s", a, orb);
            group *g = group_get(&gs, key, element_of(run, a), orb, a);
            if (!g)
                goto nomem;
            group_add(g, v, nv, b->length);
        }
    }
    if (by == BY_ATOM && gs.n)
        qsort(gs.g, gs.n, sizeof *gs.g, by_atom_then_order);
    for (size_t i = 0; i < gs.n; i++) {
        const group *g = &gs.g[i];
        int nslots = spin == SPIN_BOTH ? 2 : 1;
        for (int s = 0; s < nslots; s++) {
            if (by == BY_PAIR) {
                table_str(t, g->what);
            } else {
                table_int(t, g->atom + 1);
                table_str(t, g->what);
            }
            if (orbitals)
                table_str(t, g->orb);
            if (spin == SPIN_BOTH)
                table_str(t, s ? "down" : "up");
            table_int(t, g->count);
            table_fixed(t, g->sum[s], 5);
            table_num(t, g->sum[s] / (double)g->count);
            table_fixed(t, g->min[s], 5);
            table_fixed(t, g->max[s], 5);
            table_num(t, g->nlen ? g->lensum / (double)g->nlen : NAN);
        }
    }
    if (!nsel)
        fprintf(stderr, "dftpost icohp: warning: %s: no interaction matches the selection\n",
                path);
    status = output_table(&out, t);
    goto done;
nomem:
    complain("icohp", "out of memory");
    status = EXIT_BAD_INPUT;
done:
    table_free(t);
    free(gs.g);
    free(gs.slot);
    free(sel.atoms);
    dp_run_free(run);
    return status;
}
