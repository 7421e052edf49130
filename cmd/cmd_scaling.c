/* dftpost scaling: linear scaling relations y = slope·x + intercept between adsorption
 * energies across catalysts, from a table (e.g. rows of `dftpost ads` pasted together). */
#include "../analysis/scaling.h"
#include "common.h"
#include "rows_read.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost scaling TABLE [--x COLUMN] [--y COLUMN,...] [--label COLUMN]\n"
    "                       [--residuals] [options]\n"
    "       dftpost scaling --gamma ELEMENT:X[,X...]\n"
    "\n"
    "Fits linear scaling relations y = slope*x + intercept (ordinary least squares, GSL\n"
    "gsl_fit_linear) between adsorption energies across catalysts, one fit per y column.\n"
    "TABLE is TSV or CSV with a header row ('#' lines skipped), e.g. a dftpost TSV/CSV\n"
    "output, or a dftpost JSON output; \"-\" reads standard input. One row per catalyst.\n"
    "Cells that are empty, nan, NA, null or \"-\" are missing: that catalyst is left out of\n"
    "the fits that need the cell (n says how many points each fit used).\n"
    "\n"
    "  -x, --x COLUMN       the descriptor (default: the first numeric column)\n"
    "  -y, --y COL,...      the fitted columns (default: every other numeric column)\n"
    "  -l, --label COLUMN   names the catalysts (default: the first non-numeric column,\n"
    "                       else \"row N\")\n"
    "      --residuals      print one row per catalyst and fit instead of the fit table:\n"
    "                       x, y, label, x_value, y_value, fitted, residual (which sites\n"
    "                       break the relation)\n"
    "      --gamma EL:X,... the bond-counting slope gamma = (x_max - x)/x_max of E(AH_x)\n"
    "                       against E(A) (Abild-Pedersen et al., PRL 99, 016105 (2007)),\n"
    "                       x_max the valence of A (H 1, C 4, N 3, O 2, S 2, B 3, P 3,\n"
    "                       Si 4); EL/XMAX:X sets x_max. No TABLE then; columns element,\n"
    "                       x_max, x, gamma (O:1 gives 0.5; C:3,2,1 gives 0.25, 0.5, 0.75)\n"
    OUTPUT_HELP
    "\n"
    "Columns of the fit table: x, y, n, slope, intercept, r2, stderr_slope,\n"
    "stderr_intercept, rmse, max_residual, max_residual_label. r2 = 1 - SS_res/SS_tot;\n"
    "the standard errors use s^2 = SS_res/(n - 2) (as scipy.stats.linregress; nan for\n"
    "n = 2); rmse = sqrt(SS_res/n); max_residual = the residual y - fit of largest\n"
    "magnitude, signed, and the catalyst it belongs to.\n"
    "\n"
    "Exit status: 0 ok, 1 bad table (unreadable, a non-number in a fitted column, fewer\n"
    "than 2 points, all x equal), 2 usage error.\n";

#define MAX_Y 256

static int gamma_table(const char *spec, const output_opts *out)
{
    char el[16] = "";
    int xmax = 0;
    const char *colon = strchr(spec, ':');
    size_t k = colon ? (size_t)(colon - spec) : 0;
    if (!colon || k == 0 || k >= 16 || !colon[1]) {
        complain("scaling", "--gamma wants ELEMENT:X[,X...] (e.g. O:1 or C:3,2,1), not \"%s\"",
                 spec);
        return EXIT_USAGE;
    }
    char head[16];
    memcpy(head, spec, k);
    head[k] = 0;
    char *slash = strchr(head, '/');
    if (slash) {
        *slash = 0;
        char *end;
        long v = strtol(slash + 1, &end, 10);
        if (*end || v < 1 || v > 8) {
            complain("scaling", "--gamma %s: x_max must be 1..8", spec);
            return EXIT_USAGE;
        }
        xmax = (int)v;
    }
    snprintf(el, sizeof el, "%s", head);
    if (!xmax && !(xmax = dp_scaling_xmax(el))) {
        complain("scaling", "--gamma %s: no valence known for \"%s\"; give it as %s/XMAX:X", spec,
                 el, el);
        return EXIT_USAGE;
    }
    table *t = table_new("element,x_max,x,gamma");
    table_meta(t, "dftpost scaling --gamma %s: gamma = (x_max - x)/x_max, the slope of E(%sH_x) "
               "vs E(%s) (Abild-Pedersen et al., PRL 99, 016105 (2007))", spec, el, el);
    const char *p = colon + 1;
    while (*p) {
        char *end;
        long x = strtol(p, &end, 10);
        if (end == p || (*end && *end != ',') || x < 0 || x > xmax) {
            complain("scaling", "--gamma %s: X must be whole numbers 0..%d, comma-separated", spec,
                     xmax);
            table_free(t);
            return EXIT_USAGE;
        }
        table_str(t, el);
        table_int(t, xmax);
        table_int(t, x);
        table_num(t, dp_scaling_gamma(xmax, (int)x));
        p = *end ? end + 1 : end;
    }
    int st = output_table(out, t);
    table_free(t);
    return st;
}

/* Is column c numeric: every present cell a number, at least one present? */
static bool numeric_column(const rows *r, int c)
{
    size_t present = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        double v;
        bool text;
        if (rows_number(r->cells[i * (size_t)r->ncols + (size_t)c], &v, &text))
            present++;
        else if (text)
            return false;
    }
    return present > 0;
}

static int find_col(const rows *r, const char *name, const char *path)
{
    int c = rows_col(r, name);
    if (c < 0) {
        char have[1024] = "";
        for (int i = 0; i < r->ncols; i++) {
            size_t len = strlen(have);
            snprintf(have + len, sizeof have - len, "%s%s", i ? ", " : "", r->cols[i]);
        }
        complain("scaling", "%s: no column \"%s\" (columns: %s)", path, name, have);
    }
    return c;
}

int cmd_scaling(int argc, char **argv)
{
    output_opts out = {FMT_TSV, NULL};
    const char *xname = NULL, *ynames = NULL, *lname = NULL, *gamma = NULL;
    bool residuals = false;
    enum { OPT_RES = 256, OPT_GAMMA };
    static const struct option longopts[] = {OUTPUT_LONGOPTS,
                                             {"x", required_argument, 0, 'x'},
                                             {"y", required_argument, 0, 'y'},
                                             {"label", required_argument, 0, 'l'},
                                             {"residuals", no_argument, 0, OPT_RES},
                                             {"gamma", required_argument, 0, OPT_GAMMA},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hx:y:l:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'x':
            xname = optarg;
            break;
        case 'y':
            ynames = optarg;
            break;
        case 'l':
            lname = optarg;
            break;
        case OPT_RES:
            residuals = true;
            break;
        case OPT_GAMMA:
            gamma = optarg;
            break;
        default: {
            int r = output_option(&out, opt, optarg);
            if (r != 1) {
                if (r == 0)
                    fputs("see dftpost scaling --help\n", stderr);
                return EXIT_USAGE;
            }
        }
        }
    }
    if (gamma) {
        if (optind < argc) {
            complain("scaling", "--gamma takes no TABLE (unexpected \"%s\")", argv[optind]);
            return EXIT_USAGE;
        }
        return gamma_table(gamma, &out);
    }
    if (argc - optind != 1) {
        complain("scaling", "give one TABLE; see --help");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    char msg[1024];
    rows *r = rows_read(path, msg, sizeof msg);
    if (!r) {
        complain("scaling", "%s", msg);
        return EXIT_BAD_INPUT;
    }
    int status = EXIT_OK, xc = -1, lc = -1, ny = 0, yc[MAX_Y];
    double *xs = NULL, *ys = NULL;
    int *idx = NULL;
    table *t = NULL;
    if (xname) {
        if ((xc = find_col(r, xname, path)) < 0)
            status = EXIT_USAGE;
    } else {
        for (int c = 0; c < r->ncols && xc < 0; c++)
            if (numeric_column(r, c))
                xc = c;
        if (xc < 0) {
            complain("scaling", "%s: no numeric column", path);
            status = EXIT_BAD_INPUT;
        }
    }
    if (status == EXIT_OK && ynames) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", ynames);
        for (char *save, *tok = strtok_r(buf, ",", &save); tok && status == EXIT_OK;
             tok = strtok_r(NULL, ",", &save)) {
            int c = find_col(r, tok, path);
            if (c < 0)
                status = EXIT_USAGE;
            else if (ny < MAX_Y)
                yc[ny++] = c;
        }
    } else if (status == EXIT_OK) {
        for (int c = 0; c < r->ncols && ny < MAX_Y; c++)
            if (c != xc && numeric_column(r, c))
                yc[ny++] = c;
    }
    if (status == EXIT_OK && ny == 0) {
        complain("scaling", "%s: no y column to fit (give --y)", path);
        status = EXIT_BAD_INPUT;
    }
    if (status == EXIT_OK && lname) {
        if ((lc = find_col(r, lname, path)) < 0)
            status = EXIT_USAGE;
    } else if (status == EXIT_OK) {
        for (int c = 0; c < r->ncols && lc < 0; c++)
            if (!numeric_column(r, c))
                lc = c;
    }
    if (status == EXIT_OK && r->nrows > 0) {
        xs = malloc(r->nrows * sizeof *xs);
        ys = malloc(r->nrows * sizeof *ys);
        idx = malloc(r->nrows * sizeof *idx);
        if (!xs || !ys || !idx) {
            complain("scaling", "out of memory");
            status = EXIT_BAD_INPUT;
        }
    }
    if (status == EXIT_OK) {
        t = table_new(residuals ? "x,y,label,x_value,y_value,fitted,residual"
                                : "x,y,n,slope,intercept,r2,stderr_slope,stderr_intercept,rmse,"
                                  "max_residual,max_residual_label");
        table_meta(t, "dftpost scaling %s: y = slope*x + intercept, ordinary least squares (GSL "
                   "gsl_fit_linear); stderr with s^2 = SS_res/(n-2); rmse = sqrt(SS_res/n)", path);
        table_meta(t, "units: those of the table (eV for adsorption energies); slope and r2 "
                   "dimensionless");
    }
    for (int k = 0; k < ny && status == EXIT_OK; k++) {
        int n = 0;
        for (size_t i = 0; i < r->nrows && status == EXIT_OK; i++) {
            const char *cx = r->cells[i * (size_t)r->ncols + (size_t)xc];
            const char *cy = r->cells[i * (size_t)r->ncols + (size_t)yc[k]];
            double vx, vy;
            bool tx, ty;
            bool okx = rows_number(cx, &vx, &tx), oky = rows_number(cy, &vy, &ty);
            if (tx || ty) {
                complain("scaling", "%s: line %ld: column %s: \"%s\" is not a number", path,
                         r->line[i], tx ? r->cols[xc] : r->cols[yc[k]], tx ? cx : cy);
                status = EXIT_BAD_INPUT;
            } else if (okx && oky) {
                xs[n] = vx;
                ys[n] = vy;
                idx[n++] = (int)i;
            }
        }
        if (status != EXIT_OK)
            break;
        dp_scaling_fit fit;
        dp_error err = {0};
        if (dp_scaling_fit_linear(xs, ys, n, &fit, &err)) {
            complain("scaling", "%s: %s vs %s: %s", path, r->cols[yc[k]], r->cols[xc], err.msg);
            status = EXIT_BAD_INPUT;
            break;
        }
        char label[64];
        int worst = idx[fit.max_residual_index];
        snprintf(label, sizeof label, "row %d", worst + 1);
        const char *wl = lc >= 0 ? r->cells[(size_t)worst * (size_t)r->ncols + (size_t)lc] : NULL;
        table_meta(t, "%s = %.6g * %s %+.6g (n = %d, r2 = %.4f, rmse = %.4g)", r->cols[yc[k]],
                   fit.slope, r->cols[xc], fit.intercept, n, fit.r2, fit.rmse);
        if (!residuals) {
            table_str(t, r->cols[xc]);
            table_str(t, r->cols[yc[k]]);
            table_int(t, n);
            table_num(t, fit.slope);
            table_num(t, fit.intercept);
            table_num(t, fit.r2);
            table_num(t, fit.stderr_slope);
            table_num(t, fit.stderr_intercept);
            table_num(t, fit.rmse);
            table_num(t, fit.max_residual);
            table_str(t, wl ? wl : label);
            continue;
        }
        for (int p = 0; p < n; p++) {
            const char *l = lc >= 0 ? r->cells[(size_t)idx[p] * (size_t)r->ncols + (size_t)lc] : NULL;
            table_str(t, r->cols[xc]);
            table_str(t, r->cols[yc[k]]);
            if (l) {
                table_str(t, l);
            } else {
                table_fmt(t, "row %d", idx[p] + 1);
            }
            table_num(t, xs[p]);
            table_num(t, ys[p]);
            table_num(t, fit.slope * xs[p] + fit.intercept);
            table_num(t, dp_scaling_residual(&fit, xs[p], ys[p]));
        }
    }
    if (status == EXIT_OK)
        status = output_table(&out, t);
    table_free(t);
    free(xs);
    free(ys);
    free(idx);
    rows_free(r);
    return status;
}
