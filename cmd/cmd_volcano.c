/* dftpost volcano: the ORR/OER limiting potential against ΔG(*OH) under a scaling
 * relation (computational hydrogen electrode), as a table and as an SVG plot. */
#include "common.h"
#include "svg.h"
#include "../analysis/che.h"

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost volcano --reaction orr|oer --offset C [options]\n"
    "\n"
    "The 4e ORR or OER limiting potential U_L (V vs RHE) as a function of the descriptor\n"
    "ΔG(*OH) (eV, relative to H2O(l) and H2(g), computational hydrogen electrode of\n"
    "Nørskov et al., J. Phys. Chem. B 108, 17886 (2004)) under the scaling relation\n"
    "ΔG(*OOH) = ΔG(*OH) + C, with ΔG(*O) placed optimally (halfway, ΔG(*OH) + C/2):\n"
    "  ORR  U_L = min(ΔG(*OH), 4.92 - C - ΔG(*OH), C/2)\n"
    "  OER  U_L = max(ΔG(*OH), 4.92 - C - ΔG(*OH), C/2)\n"
    "(the C/2 term, the *O steps, binds only for C < 2.46 eV (ORR) or C > 2.46 eV (OER)).\n"
    "The apex is at ΔG(*OH) = (4.92 - C)/2 (the middle of the plateau when C/2 binds);\n"
    "overpotential = 1.23 - U_L (ORR) or U_L - 1.23 (OER). C = 3.2 eV: ORR apex 0.86 V,\n"
    "overpotential 0.37 V.\n"
    "\n"
    "Output: one table per call. By default the curve, columns\n"
    "  descriptor, limiting_potential\n"
    "one row per grid point of --range (both ends included), with the summary in the TSV\n"
    "metadata lines. --summary prints the summary as the table instead, one row:\n"
    "  reaction, offset, limiting_potential_max (ORR; limiting_potential_min for the OER,\n"
    "  whose best U_L is the lowest), overpotential_min, apex_descriptor\n"
    "The summary is exact (from the formulas), not read off the grid.\n"
    "\n"
    "  -r, --reaction orr|oer  the reaction (required)\n"
    "  -c, --offset C          scaling offset C = ΔG(*OOH) - ΔG(*OH) in eV (required;\n"
    "                          about 3.2 on metals and most single-atom sites)\n"
    "      --range LO:HI       descriptor range in eV (default -0.5:2.5)\n"
    "      --step S            grid step in eV (default 0.01; at most 1000000 points)\n"
    "      --summary           print the summary row instead of the curve\n"
    "      --svg FILE          also draw the volcano as an SVG file (both legs, the C/2\n"
    "                          bound, the apex, the 1.23 V equilibrium line, C stated)\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 cannot write a file, 2 usage error.\n";

#define E0_V (DP_CHE_WATER_SPLITTING_EV / 4.0)
#define MAX_POINTS 1000000

static bool parse_range(const char *s, double *lo, double *hi)
{
    const char *colon = strchr(s, ':');
    if (!colon || colon == s)
        return false;
    char buf[128];
    size_t k = (size_t)(colon - s);
    if (k >= sizeof buf)
        return false;
    memcpy(buf, s, k);
    buf[k] = 0;
    return option_number(buf, lo) && option_number(colon + 1, hi) && *lo < *hi;
}

/* ---- SVG ------------------------------------------------------------------------- */

/* Which term of U_L is active at x: 0 the *OH step, 1 the *OOH step, 2 the *O steps. */
static int active_term(dp_che_reaction r, double c, double x)
{
    double u = dp_che_volcano(r, c, x);
    return u == x ? 0 : u == DP_CHE_WATER_SPLITTING_EV - c - x ? 1 : 2;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int write_svg(const char *path, dp_che_reaction r, double c, double lo, double hi)
{
    const bool orr = r == DP_CHE_ORR;
    double xa, ulb, eta;
    dp_che_volcano_apex(r, c, &xa, &ulb, &eta);
    /* breakpoints of the piecewise-linear curve inside the range */
    double bp[5] = {lo, hi, xa, 0.5 * c, DP_CHE_WATER_SPLITTING_EV - 1.5 * c};
    double xs[5];
    int nb = 0;
    for (int i = 0; i < 5; i++)
        if (bp[i] >= lo && bp[i] <= hi)
            xs[nb++] = bp[i];
    qsort(xs, (size_t)nb, sizeof *xs, cmp_double);
    double ymin = E0_V, ymax = E0_V;
    for (int i = 0; i < nb; i++) {
        double u = dp_che_volcano(r, c, xs[i]);
        ymin = fmin(ymin, u);
        ymax = fmax(ymax, u);
    }
    if (ymax - ymin < 1e-6) { /* a flat curve on the equilibrium line: give it room */
        ymin -= 0.5;
        ymax += 0.5;
    }
    const double W = 720, H = 520;
    svg_frame f = {.left = 86, .top = 74, .pw = W - 86 - 28, .ph = H - 74 - 66};
    double ys = svg_nice_step(ymax - ymin, 6), xst = svg_nice_step(hi - lo, 7);
    f.x0 = lo;
    f.x1 = hi;
    f.y0 = floor(ymin / ys - 0.25) * ys; /* a quarter tick of air below and above */
    f.y1 = ceil(ymax / ys + 0.25) * ys;
    const char *font = SVG_FONT;
    FILE *out = svg_open("volcano", path, W, H);
    if (!out)
        return EXIT_BAD_INPUT;
    fprintf(out, "<text x=\"%.1f\" y=\"26\" %s font-size=\"17\" font-weight=\"bold\">"
            "%s volcano: ΔG(*OOH) = ΔG(*OH) + %.2f eV, ΔG(*O) optimal</text>\n",
            f.left, font, orr ? "ORR" : "OER", c);
    fprintf(out, "<text x=\"%.1f\" y=\"48\" %s font-size=\"13\" fill=\"#333\">apex: "
            "ΔG(*OH) = %.2f eV, U_L = %.2f V vs RHE, η = %.2f V (E0 = %.2f V)</text>\n",
            f.left, font, xa, ulb, eta, E0_V);
    svg_axes(out, &f, xst, ys, "#e4e4e4");
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"15\" text-anchor=\"middle\">"
            "ΔG(*OH) / eV</text>\n", f.left + f.pw / 2, H - 18, font);
    svg_y_title(out, &f, 24, "U_L / V vs RHE");
    /* equilibrium potential */
    double Ye = svg_py(&f, E0_V);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
            "stroke-dasharray=\"6 4\"/>\n", f.left, Ye, f.left + f.pw, Ye);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12\" fill=\"#666\" "
            "text-anchor=\"end\">equilibrium %.2f V</text>\n", f.left + f.pw - 6, Ye - 6, font,
            E0_V);
    /* the curve, one coloured segment per active term */
    bool used[3] = {false, false, false};
    fputs("<g fill=\"none\" stroke-width=\"2.6\" stroke-linejoin=\"round\">\n", out);
    for (int i = 0; i + 1 < nb; i++) {
        if (xs[i + 1] <= xs[i])
            continue;
        int k = active_term(r, c, 0.5 * (xs[i] + xs[i + 1]));
        used[k] = true;
        fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                svg_px(&f, xs[i]), svg_py(&f, dp_che_volcano(r, c, xs[i])),
                svg_px(&f, xs[i + 1]), svg_py(&f, dp_che_volcano(r, c, xs[i + 1])),
                SVG_COLOUR[k]);
    }
    fputs("</g>\n", out);
    /* apex */
    if (xa >= lo && xa <= hi) {
        double X = svg_px(&f, xa), Y = svg_py(&f, ulb);
        fprintf(out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"5.5\" fill=\"white\" stroke=\"#000\" "
                "stroke-width=\"2\"/>\n", X, Y);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12\" text-anchor=\"middle\">"
                "apex %.2f V</text>\n", X, orr ? Y - 12 : Y + 22, font, ulb);
    }
    /* legend */
    const char *label[3] = {
        orr ? "*OH → H2O limits (strong binding)" : "H2O → *OH limits (weak binding)",
        orr ? "O2 → *OOH limits (weak binding)" : "*OOH → O2 limits (strong binding)",
        "*O steps limit (C/2)"};
    double ly = orr ? f.top + f.ph - 16 - 18 * (used[0] + used[1] + used[2] - 1) : f.top + 18;
    for (int k = 0; k < 3; k++) {
        if (!used[k])
            continue;
        double lx = f.left + f.pw / 2 - 120; /* the empty middle, below or above */
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"2.6\"/>\n", lx, ly - 4, lx + 24, ly - 4, SVG_COLOUR[k]);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12\">%s</text>\n", lx + 30, ly,
                font, label[k]);
        ly += 18;
    }
    return svg_close("volcano", path, out) ? EXIT_BAD_INPUT : EXIT_OK;
}

/* ---- the command ----------------------------------------------------------------- */

int cmd_volcano(int argc, char **argv)
{
    output_opts out = {FMT_TSV, NULL};
    const char *reaction = NULL, *svg = NULL, *range = "-0.5:2.5";
    double c = NAN, lo = -0.5, hi = 2.5, step = 0.01;
    bool summary = false;
    enum { OPT_RANGE = 256, OPT_STEP, OPT_SVG, OPT_SUMMARY };
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"reaction", required_argument, 0, 'r'},
                                             {"offset", required_argument, 0, 'c'},
                                             {"range", required_argument, 0, OPT_RANGE},
                                             {"step", required_argument, 0, OPT_STEP},
                                             {"svg", required_argument, 0, OPT_SVG},
                                             {"summary", no_argument, 0, OPT_SUMMARY},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hr:c:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'r':
            reaction = optarg;
            break;
        case 'c':
            if (!option_number(optarg, &c)) {
                complain("volcano", "--offset wants a number in eV, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_RANGE:
            range = optarg;
            if (!parse_range(optarg, &lo, &hi)) {
                complain("volcano", "--range wants LO:HI in eV with LO < HI, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_STEP:
            if (!option_number(optarg, &step) || !(step > 0)) {
                complain("volcano", "--step wants a positive number in eV, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SVG:
            svg = optarg;
            break;
        case OPT_SUMMARY:
            summary = true;
            break;
        default: {
            int r = output_option(&out, opt, optarg);
            if (r != 1) {
                if (r == 0)
                    fputs(HELP, stderr);
                return EXIT_USAGE;
            }
        }
        }
    }
    if (optind < argc) {
        complain("volcano", "takes no file (unexpected \"%s\"); see --help", argv[optind]);
        return EXIT_USAGE;
    }
    dp_che_reaction r;
    if (!reaction) {
        complain("volcano", "--reaction orr|oer is required");
        return EXIT_USAGE;
    } else if (!strcmp(reaction, "orr") || !strcmp(reaction, "ORR")) {
        r = DP_CHE_ORR;
    } else if (!strcmp(reaction, "oer") || !strcmp(reaction, "OER")) {
        r = DP_CHE_OER;
    } else {
        complain("volcano", "unknown reaction \"%s\" (use orr or oer)", reaction);
        return EXIT_USAGE;
    }
    if (isnan(c)) {
        complain("volcano", "--offset C is required (ΔG(*OOH) - ΔG(*OH) in eV, e.g. 3.2)");
        return EXIT_USAGE;
    }
    double span = (hi - lo) / step;
    if (!(span < MAX_POINTS)) {
        complain("volcano", "--range %s with --step %g makes more than %d points", range, step,
                 MAX_POINTS);
        return EXIT_USAGE;
    }
    const bool orr = r == DP_CHE_ORR;
    const char *rname = orr ? "orr" : "oer";
    double xa, ulb, eta;
    dp_che_volcano_apex(r, c, &xa, &ulb, &eta);
    const char *best = orr ? "limiting_potential_max" : "limiting_potential_min";
    if (xa < lo || xa > hi)
        fprintf(stderr, "dftpost volcano: warning: the apex, ΔG(*OH) = %.4g eV, lies outside "
                "--range %s; the summary is still the apex's\n", xa, range);

    table *t;
    if (summary) {
        char cols[160];
        snprintf(cols, sizeof cols, "reaction,offset,%s,overpotential_min,apex_descriptor", best);
        t = table_new(cols);
    } else {
        t = table_new("descriptor,limiting_potential");
    }
    table_meta(t, "dftpost volcano --reaction %s --offset %g", rname, c);
    table_meta(t, "descriptor = ΔG(*OH) in eV relative to H2O(l) and H2(g); limiting_potential "
               "U_L in V vs RHE (computational hydrogen electrode)");
    table_meta(t, "scaling ΔG(*OOH) = ΔG(*OH) + %g eV; ΔG(*O) optimal = ΔG(*OH) + %g eV; "
               "U_L = %s(ΔG(*OH), %g - ΔG(*OH), %g)", c, 0.5 * c, orr ? "min" : "max",
               DP_CHE_WATER_SPLITTING_EV - c, 0.5 * c);
    table_meta(t, "summary: %s = %.12g V, overpotential_min = %.12g V (against %.2f V), "
               "apex_descriptor = %.12g eV", best, ulb, eta, E0_V, xa);
    if (summary) {
        table_str(t, rname);
        table_num(t, c);
        table_num(t, ulb);
        table_num(t, eta);
        table_num(t, xa);
    } else {
        table_meta(t, "range %s eV, step %g eV (HI always included)", range, step);
        long n = (long)floor(span + 1e-9) + 1;
        for (long i = 0; i < n; i++) {
            double x = lo + (double)i * step;
            table_num(t, x);
            table_num(t, dp_che_volcano(r, c, x));
        }
        if (lo + (double)(n - 1) * step < hi - 1e-9 * step) {
            table_num(t, hi);
            table_num(t, dp_che_volcano(r, c, hi));
        }
    }
    int status = EXIT_OK;
    if (svg)
        status = write_svg(svg, r, c, lo, hi);
    if (status == EXIT_OK)
        status = output_table(&out, t);
    table_free(t);
    return status;
}
