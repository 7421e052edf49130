/* dftpost cases: the review's table of DFT-derived figures (built in), its derived rows
 * reproduced by dftpost's library, and the user's own results lined up beside it. */
#include "cases_derive.h"
#include "cases_table.h"
#include "common.h"
#include "rows_read.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost cases [--kind derived|measured-by-analysis] [--id ID,...] [options]\n"
    "       dftpost cases --derive [--id ID,...]\n"
    "       dftpost cases --compare RESULTS.json ... [--all]\n"
    "       dftpost cases --dump\n"
    "\n"
    "The DFT figures quoted by the review " REVIEW_CITATION "\n"
    "(built into dftpost: it works without ../shared). Columns id, system, reaction,\n"
    "quantity, value, unit, kind, ref (the review's reference number), note. kind:\n"
    "measured-by-analysis = a number dftpost computes from your DFT outputs of that\n"
    "system; derived = a number that follows from the equation quoted in the row.\n"
    "\n"
    "      --kind KIND        only rows of this kind\n"
    "      --id ID,...        only these rows (c01, d07, ...)\n"
    "      --derive           reproduce the derived rows with dftpost's library; columns\n"
    "                         id, quantity, review_value, unit, derived_value, match, how.\n"
    "                         match is yes when derived_value (rounded to the quoted\n"
    "                         digits) equals the quoted value, \"formula\" for d12 (no\n"
    "                         number quoted: the formula on an example). How each is made:\n"
    "                         d01/d02 volcano apex at offset 3.2 eV (= dftpost volcano\n"
    "                         --reaction orr --offset 3.2 --summary); d03 offset 4.92/2,\n"
    "                         checked to give eta = 0; d05/d06 gamma = (xmax - x)/xmax (=\n"
    "                         dftpost scaling --gamma O:1, --gamma C:3,2,1); d07-d11 a\n"
    "                         least-squares fit (as dftpost scaling) of 9 points generated\n"
    "                         from the quoted relation, one fit per variable with the other\n"
    "                         at 0 (d10 has two); d12 Kubo gap 4E_F/(3N) for Au, N = 100\n"
    "      --compare FILE...  line your values up beside the review's: FILE is any dftpost\n"
    "                         JSON (or TSV/CSV) output; columns id, system, quantity,\n"
    "                         review_value, unit, your_value, your_source, difference\n"
    "                         (your_value - review_value; for rows quoted as a magnitude\n"
    "                         |your_value| - review_value; for a list the nearest listed\n"
    "                         value; for a range 0 inside, else the distance to it).\n"
    "                         your_source = FILE:row N:column (and the row's first text\n"
    "                         cell). Which of your columns a row takes:\n"
    "%s"
    "      --all              with --compare, also the rows nothing of yours matched\n"
    "      --dump             the table exactly as the review's cases.tsv (for checking)\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 unreadable --compare file, 2 usage error.\n";

/* The mapping of --compare: a review row whose quantity contains one of `match` (tried
 * in this order) takes the user's columns `cols`. Rows quoted as "a;b" (slope;
 * intercept) take the i-th of `parts` for the i-th number instead. */
typedef struct {
    const char *kind;
    const char *match[4];
    const char *cols[8];
} quantity_map;

static const quantity_map MAP[] = {
    {"relation (slope;intercept)", {"="}, {"slope", "intercept"}},
    {"ICOHP", {"ICOHP"}, {"icohp", "icohp_up", "icohp_down"}},
    {"O-O / N-N bond length", {"bond length"}, {"length"}},
    {"adsorption energy", {"adsorption energy"}, {"e_ads", "adsorption_energy"}},
    /* a charge, not a population: bader and charges print charge = ZVAL - population */
    {"charge / charge transfer", {"charge"}, {"net_charge", "charge", "charge_transfer", "transfer"}},
    {"limiting potential", {"limiting potential"},
     {"limiting_potential", "limiting_potential_max", "limiting_potential_min", "u_l"}},
    {"overpotential", {"overpotential"}, {"overpotential", "overpotential_min", "eta"}},
    {"scaling offset", {"scaling offset"}, {"offset", "intercept"}},
    {"scaling slope", {"scaling slope"}, {"gamma", "slope"}},
    {"magnetic moment", {"spin moment", "magnetic moment"}, {"tot", "moment", "magnetization"}},
    {"dG of a step / limiting energy",
     {"free-energy change", "potential-determining step", "limiting energy"},
     {"dG_0", "dg_0", "dG", "dg", "delta_g", "dg_max", "limiting_energy"}},
};

static const quantity_map *map_of(const review_case *c)
{
    for (size_t i = 0; i < sizeof MAP / sizeof *MAP; i++)
        for (int k = 0; k < 4 && MAP[i].match[k]; k++) {
            if (i == 0) { /* a relation: "Y = a X + b" quoted as "a;b" */
                if (strchr(c->value, ';') && strchr(c->quantity, '='))
                    return &MAP[0];
                continue;
            }
            if (strstr(c->quantity, MAP[i].match[k]))
                return &MAP[i];
        }
    return NULL;
}

static void map_help(char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof MAP / sizeof *MAP && len < size; i++) {
        int w = snprintf(buf + len, size - len, "                           %-30s ", MAP[i].kind);
        len += w > 0 ? (size_t)w : 0;
        for (int k = 0; k < 8 && MAP[i].cols[k] && len < size; k++) {
            w = snprintf(buf + len, size - len, "%s%s", k ? ", " : "", MAP[i].cols[k]);
            len += w > 0 ? (size_t)w : 0;
        }
        if (len + 1 < size) {
            buf[len++] = '\n';
            buf[len] = 0;
        }
    }
}

static bool in_list(const char *list, const char *id)
{
    if (!list)
        return true;
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)); p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
            return true;
    return false;
}

/* The review's numbers of a value: "2.39", "+0.62", "0.25,0.5,0.75", "0.88;2.03",
 * "0.4-1.5" (a range: *range set). Returns how many, 0 for "-". */
static int review_numbers(const char *s, double *v, int max, bool *range)
{
    *range = false;
    int n = 0;
    const char *p = s;
    while (*p && n < max) {
        char *end;
        double x = strtod(p, &end);
        if (end == p)
            return n;
        v[n++] = x;
        p = end;
        if (*p == '-' && n == 1 && !strpbrk(s, ",;")) {
            *range = true;
            p++;
        } else if (*p == ',' || *p == ';') {
            p++;
        } else {
            break;
        }
    }
    return n;
}

static double difference(const review_case *c, double mine, const double *v, int nv, bool range,
                         int part)
{
    /* "charge transferred to O2" is quoted as the electrons moved (0.51 e), which a
     * Bader group's charge gives with a minus sign (ZVAL - population < 0 for a gain) */
    if (strstr(c->note, "magnitude") || strstr(c->quantity, "transferred"))
        mine = fabs(mine);
    if (range && nv == 2)
        return mine < v[0] ? mine - v[0] : mine > v[1] ? mine - v[1] : 0;
    if (part >= 0)
        return mine - v[part];
    double best = NAN;
    for (int i = 0; i < nv; i++)
        if (isnan(best) || fabs(mine - v[i]) < fabs(best))
            best = mine - v[i];
    return best;
}

static int compare(table *t, char **files, int nfiles, const char *kind, const char *ids, bool all)
{
    rows *r[64] = {0};
    if (nfiles > 64) {
        complain("cases", "at most 64 --compare files");
        return EXIT_USAGE;
    }
    for (int f = 0; f < nfiles; f++) {
        char msg[1024];
        if (!(r[f] = rows_read(files[f], msg, sizeof msg))) {
            complain("cases", "%s", msg);
            for (int g = 0; g < f; g++)
                rows_free(r[g]);
            return EXIT_BAD_INPUT;
        }
    }
    for (int i = 0; i < REVIEW_NCASES; i++) {
        const review_case *c = &REVIEW_CASES[i];
        if ((kind && strcmp(kind, c->kind)) || !in_list(ids, c->id))
            continue;
        const quantity_map *m = map_of(c);
        double v[8];
        bool range;
        int nv = review_numbers(c->value, v, 8, &range);
        bool parts = m == &MAP[0];
        int matched = 0;
        for (int f = 0; m && nv && f < nfiles; f++) {
            for (int k = 0; k < 8 && m->cols[k]; k++) {
                int col = rows_col(r[f], m->cols[k]);
                if (col < 0 || (parts && k >= nv))
                    continue;
                int label = -1; /* the row's first text cell names it */
                for (size_t row = 0; row < r[f]->nrows; row++) {
                    const char *cell = r[f]->cells[row * (size_t)r[f]->ncols + (size_t)col];
                    double mine;
                    bool text;
                    if (!rows_number(cell, &mine, &text))
                        continue;
                    if (label < 0)
                        for (int cc = 0; cc < r[f]->ncols && label < 0; cc++) {
                            double dummy;
                            bool tx;
                            const char *s = r[f]->cells[row * (size_t)r[f]->ncols + (size_t)cc];
                            if (s && !rows_number(s, &dummy, &tx) && tx)
                                label = cc;
                        }
                    const char *lab = label >= 0
                                          ? r[f]->cells[row * (size_t)r[f]->ncols + (size_t)label]
                                          : NULL;
                    table_str(t, c->id);
                    table_str(t, c->system);
                    table_str(t, c->quantity);
                    table_str(t, c->value);
                    table_str(t, c->unit);
                    table_num(t, mine);
                    table_fmt(t, "%s:row %zu:%s%s%s%s", files[f], row + 1, m->cols[k],
                              lab ? " (" : "", lab ? lab : "", lab ? ")" : "");
                    table_num(t, difference(c, mine, v, nv, range, parts ? k : -1));
                    matched++;
                }
            }
        }
        if (!matched && all) {
            table_str(t, c->id);
            table_str(t, c->system);
            table_str(t, c->quantity);
            table_str(t, c->value);
            table_str(t, c->unit);
            table_num(t, NAN);
            table_str(t, m ? "no matching column" : "no mapping for this quantity");
            table_num(t, NAN);
        }
    }
    for (int f = 0; f < nfiles; f++)
        rows_free(r[f]);
    return EXIT_OK;
}

int cmd_cases(int argc, char **argv)
{
    output_opts out = {FMT_TSV, NULL};
    const char *kind = NULL, *ids = NULL;
    bool derive = false, dump = false, all = false, comparing = false;
    enum { OPT_KIND = 256, OPT_ID, OPT_DERIVE, OPT_COMPARE, OPT_DUMP, OPT_ALL };
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"kind", required_argument, 0, OPT_KIND},
                                             {"id", required_argument, 0, OPT_ID},
                                             {"derive", no_argument, 0, OPT_DERIVE},
                                             {"compare", no_argument, 0, OPT_COMPARE},
                                             {"dump", no_argument, 0, OPT_DUMP},
                                             {"all", no_argument, 0, OPT_ALL},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': {
            char map[4096];
            map_help(map, sizeof map);
            printf(HELP, map);
            return EXIT_OK;
        }
        case OPT_KIND:
            kind = optarg;
            if (strcmp(kind, "derived") && strcmp(kind, "measured-by-analysis")) {
                complain("cases", "--kind derived|measured-by-analysis, not \"%s\"", kind);
                return EXIT_USAGE;
            }
            break;
        case OPT_ID:
            ids = optarg;
            break;
        case OPT_DERIVE:
            derive = true;
            break;
        case OPT_COMPARE:
            comparing = true;
            break;
        case OPT_DUMP:
            dump = true;
            break;
        case OPT_ALL:
            all = true;
            break;
        default: {
            int r = output_option(&out, opt, optarg);
            if (r != 1) {
                if (r == 0)
                    fputs("see dftpost cases --help\n", stderr);
                return EXIT_USAGE;
            }
        }
        }
    }
    int nfiles = argc - optind;
    if (derive + dump + comparing > 1) {
        complain("cases", "--derive, --compare and --dump exclude each other");
        return EXIT_USAGE;
    }
    if (comparing ? nfiles < 1 : nfiles > 0) {
        complain("cases", comparing ? "--compare wants at least one FILE"
                                    : "takes files only with --compare (unexpected \"%s\")",
                 comparing ? "" : argv[optind]);
        return EXIT_USAGE;
    }
    if (dump) {
        for (int i = 0; i < REVIEW_NCOMMENTS; i++)
            printf("%s\n", REVIEW_COMMENTS[i]);
        printf("%s\n", REVIEW_HEADER);
        for (int i = 0; i < REVIEW_NCASES; i++) {
            const review_case *c = &REVIEW_CASES[i];
            printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c->id, c->system, c->reaction,
                   c->quantity, c->value, c->unit, c->kind, c->ref, c->note);
        }
        return fflush(stdout) ? EXIT_BAD_INPUT : EXIT_OK;
    }
    table *t;
    int status = EXIT_OK;
    if (comparing) {
        t = table_new("id,system,quantity,review_value,unit,your_value,your_source,difference");
        table_meta(t, "dftpost cases --compare: the review %s beside your values", REVIEW_CITATION);
        table_meta(t, "difference = your_value - review_value (|your_value| where the review "
                   "quotes a magnitude; nearest listed value; 0 inside a range)");
        status = compare(t, argv + optind, nfiles, kind, ids, all);
    } else if (derive) {
        t = table_new("id,quantity,review_value,unit,derived_value,match,how");
        table_meta(t, "dftpost cases --derive: the review's derived rows reproduced by dftpost "
                   "(%s)", REVIEW_CITATION);
        for (int i = 0; i < REVIEW_NCASES; i++) {
            const review_case *c = &REVIEW_CASES[i];
            case_derivation d;
            if (strcmp(c->kind, "derived") || !in_list(ids, c->id) || case_derive(c, &d))
                continue;
            table_str(t, c->id);
            table_str(t, c->quantity);
            table_str(t, c->value);
            table_str(t, c->unit);
            table_str(t, d.value);
            table_str(t, d.no_value ? "formula" : d.match ? "yes" : "no");
            table_str(t, d.how);
        }
    } else {
        t = table_new("id,system,reaction,quantity,value,unit,kind,ref,note");
        table_meta(t, "the DFT figures quoted by the review %s; ref = its reference number",
                   REVIEW_CITATION);
        for (int i = 0; i < REVIEW_NCOMMENTS; i++)
            table_meta(t, "%s", REVIEW_COMMENTS[i] + (REVIEW_COMMENTS[i][1] == ' ' ? 2 : 1));
        for (int i = 0; i < REVIEW_NCASES; i++) {
            const review_case *c = &REVIEW_CASES[i];
            if ((kind && strcmp(kind, c->kind)) || !in_list(ids, c->id))
                continue;
            table_str(t, c->id);
            table_str(t, c->system);
            table_str(t, c->reaction);
            table_str(t, c->quantity);
            table_str(t, c->value);
            table_str(t, c->unit);
            table_str(t, c->kind);
            table_str(t, c->ref);
            table_str(t, c->note);
        }
    }
    if (status == EXIT_OK)
        status = output_table(&out, t);
    table_free(t);
    return status;
}
