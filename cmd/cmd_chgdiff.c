/* dftpost chgdiff: Δρ = ρ(AB) − Σ ρ(parts) on one grid, its planar average along a lattice
 * axis, the cumulative transferred charge and (--potential) the electrostatics of it. */
#include "../analysis/chgdiff.h"
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost chgdiff AB A [B ...] [options]\n"
    "\n"
    "Charge-density difference Δρ = ρ(AB) − ρ(A) − ρ(B) − ... of electron densities on one\n"
    "grid (the same points, cell and origin; cells may differ by 1e-4 Å). Inputs: any grid\n"
    "file dftpost reads: CHGCAR, CHG, AECCAR*, PARCHG (ρ·V_cell divided by V_cell) or\n"
    "Gaussian cube (e/bohr³), mixed freely; all are taken in e/Å³. Only the total density\n"
    "is used (no magnetisation). Δρ > 0: electrons gained.\n"
    "\n"
    "Output: the planar average along the axis, one row per grid plane, columns\n"
    "  z              position of the plane along the unit normal of the planes, Å\n"
    "                 (plane k at k·h/n, h = V/A the height of the cell, A the plane area)\n"
    "  drho           λ(z) = Δρ summed over the plane per unit height, e/Å\n"
    "  dq_cumulative  Δq(z) = Σ_{z' ≤ z} λ(z')·h/n, e (electrons gained below and at z)\n"
    "  dphi           (--potential) planar-averaged electrostatic potential φ of the\n"
    "                 charge −e·Δρ, V (an electron's potential energy is −e·φ)\n"
    "TSV metadata: the inputs, units, ∫Δρ dV (about 0 when the parts hold AB's electrons),\n"
    "the charge transferred ½∫|Δρ| dV, the plane where |Δq| peaks, and with --potential the\n"
    "dipole and the work-function change.\n"
    "\n"
    "Potential (--potential): Poisson's equation ∇²φ = e·Δρ/ε0 on the periodic grid by FFT,\n"
    "the G = 0 term zero (cell average of φ = 0), e/(4πε0) = 14.3996441 V·Å (GSL's CODATA\n"
    "2006 constants). Dipole p (e·Å) of the charge −Δρ along the normal, positions from plane 0\n"
    "(cut the cell in the vacuum; p depends on the cut unless ∫Δρ = 0). Work-function change\n"
    "of the surface facing +axis (Helmholtz): ΔΦ = −e·p/(ε0·A) = −4π·14.39964·p/A eV;\n"
    "the surface facing −axis changes by −ΔΦ.\n"
    "\n"
    "  -a, --axis a|b|c|x|y|z  lattice axis of the planar average (x, y, z mean a, b, c;\n"
    "                          default c)\n"
    "  -p, --potential         also solve for the potential: dphi column, dipole, ΔΦ\n"
    "  -o, --output FILE       write the Δρ grid: FILE.cube as a Gaussian cube (Bohr,\n"
    "                          e/bohr³), any other name as a VASP 5 CHGCAR (Δρ·V_cell),\n"
    "                          with AB's structure\n"
    "  -t, --table FILE        write the table to FILE instead of standard output\n"
    "  -f, --format tsv|csv|json  table format (default tsv; TSV starts with '# '\n"
    "                          metadata lines, CSV and JSON carry only the rows)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 ok, 1 a file cannot be read or written, or the grids do not match,\n"
    "2 usage error.\n";

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* A grid of electron density, or NULL after a one-line complaint. */
static dp_run *load_density(const char *path)
{
    dp_read_opts opts = {0};
    opts.grid_total_only = true;
    dp_run *r = load_run(path, &opts);
    if (!r)
        return NULL;
    if (!r->has_grid || !r->grid.values) {
        complain("chgdiff", "%s: not a grid file (%s)", path, r->program);
        dp_run_free(r);
        return NULL;
    }
    if (strcmp(r->grid.quantity, "density") != 0) {
        complain("chgdiff", "%s: holds a %s, not an electron density", path, r->grid.quantity);
        dp_run_free(r);
        return NULL;
    }
    return r;
}

static const char *AXES[3] = {"a", "b", "c"};

int cmd_chgdiff(int argc, char **argv)
{
    output_opts out = {FMT_TSV, NULL};
    const char *grid_out = NULL, *axis_name = "c";
    bool potential = false;
    static const struct option longopts[] = {{"format", required_argument, 0, 'f'},
                                             {"output", required_argument, 0, 'o'},
                                             {"table", required_argument, 0, 't'},
                                             {"axis", required_argument, 0, 'a'},
                                             {"potential", no_argument, 0, 'p'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:t:a:ph", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case 'o':
            grid_out = optarg;
            break;
        case 't':
            out.output = optarg;
            break;
        case 'a':
            axis_name = optarg;
            break;
        case 'p':
            potential = true;
            break;
        case 'f':
            if (output_option(&out, opt, optarg) != 1)
                return EXIT_USAGE;
            break;
        default:
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    int axis = dp_chgdiff_axis(axis_name);
    if (axis < 0) {
        complain("chgdiff", "--axis wants a, b, c (or x, y, z), not \"%s\"", axis_name);
        return EXIT_USAGE;
    }
    if (argc - optind < 2) {
        complain("chgdiff", "needs the whole system and at least one part: dftpost chgdiff AB "
                 "A [B ...] (see --help)");
        return EXIT_USAGE;
    }
    const char *ab_path = argv[optind];
    dp_run *ab = load_density(ab_path);
    if (!ab)
        return EXIT_BAD_INPUT;
    dp_grid diff = {0};
    dp_error err = {0};
    int status = EXIT_OK;
    /* one part at a time: at most three grids in memory */
    const dp_grid *cur = &ab->grid;
    const char *cur_name = ab_path;
    for (int i = optind + 1; i < argc && status == EXIT_OK; i++) {
        dp_run *part = load_density(argv[i]);
        if (!part) {
            status = EXIT_BAD_INPUT;
            break;
        }
        const dp_grid *pg = &part->grid;
        const char *pname = argv[i];
        dp_grid next;
        if (dp_chgdiff(cur, cur_name, &pg, &pname, 1, &next, &err) != DP_OK) {
            complain("chgdiff", "%s", err.msg);
            status = EXIT_BAD_INPUT; /* mismatched grids are bad input, not bad usage */
        } else {
            free(diff.values);
            diff = next;
            cur = &diff;
        }
        cur_name = ab_path; /* the cell compared is AB's throughout */
        dp_run_free(part);
    }
    dp_planar pl = {0};
    if (status == EXIT_OK && dp_chgdiff_planar(&diff, axis, potential, &pl, &err) != DP_OK) {
        complain("chgdiff", "%s", err.msg);
        status = EXIT_BAD_INPUT;
    }
    if (status == EXIT_OK && grid_out) {
        dp_status st = ends_with(grid_out, ".cube")
                           ? dp_grid_write_cube(ab, &diff, grid_out, &err)
                           : dp_grid_write_chgcar(ab, &diff, grid_out, &err);
        if (st) {
            complain("chgdiff", "%s", err.msg);
            status = EXIT_BAD_INPUT;
        }
    }
    if (status == EXIT_OK) {
        if (fabs(pl.integral) > 0.01)
            fprintf(stderr, "dftpost chgdiff: warning: ∫Δρ dV = %.6g e, not 0: the parts do not "
                    "hold the electrons of %s (different pseudopotentials or charge states?)\n",
                    pl.integral, ab_path);
        table *t = table_new(potential ? "z,drho,dq_cumulative,dphi" : "z,drho,dq_cumulative");
        char inputs[2048];
        int used = snprintf(inputs, sizeof inputs, "%s (%s)", ab_path, ab->grid.format);
        for (int i = optind + 1; i < argc && used < (int)sizeof inputs; i++)
            used += snprintf(inputs + used, sizeof inputs - (size_t)used, " - %s", argv[i]);
        table_meta(t, "dftpost chgdiff: Δρ = %s", inputs);
        table_meta(t, "electron densities (e/Å³), Δρ > 0 = electrons gained; grid %d × %d × %d",
                   diff.n[0], diff.n[1], diff.n[2]);
        table_meta(t, "axis %s: %d planes, plane area A = %.6f Å², cell height h = %.6f Å, "
                   "spacing %.6f Å", AXES[axis], pl.n, pl.area, pl.height, pl.dz);
        table_meta(t, "units: z in Å (along the plane normal), drho = λ(z) in e/Å (Δρ summed "
                   "over the plane per unit height), dq_cumulative in e%s",
                   potential ? ", dphi in V" : "");
        table_meta(t, "integral of Δρ dV = %.8g e (about 0 when the parts hold AB's electrons)",
                   pl.integral);
        table_meta(t, "transferred ½∫|Δρ| dV = %.8g e", pl.transferred);
        table_meta(t, "peak |Δq|: plane %d at z = %.6f Å, dq_cumulative = %.8g e", pl.peak,
                   pl.z[pl.peak], pl.dq[pl.peak]);
        if (potential) {
            table_meta(t, "dphi: potential of the charge −e·Δρ from Poisson's equation (periodic "
                       "FFT, G = 0 term 0), e/(4πε0) = %.6f V·Å (GSL CODATA 2006)",
                       dp_coulomb_constant());
            table_meta(t, "dipole p = %.8g e·Å along +%s-normal (of the charge −Δρ, positions "
                       "from plane 0)", pl.dipole, AXES[axis]);
            table_meta(t, "work-function change ΔΦ = −e·p/(ε0·A) = %.8g eV for the surface "
                       "facing +%s (Helmholtz); %.8g eV for the one facing −%s", pl.dwork,
                       AXES[axis], -pl.dwork, AXES[axis]);
        }
        if (grid_out)
            table_meta(t, "Δρ grid written to %s", grid_out);
        for (int k = 0; k < pl.n; k++) {
            table_num(t, pl.z[k]);
            table_num(t, pl.lambda[k]);
            table_num(t, pl.dq[k]);
            if (potential)
                table_num(t, pl.dphi[k]);
        }
        status = output_table(&out, t);
        table_free(t);
    }
    dp_planar_free(&pl);
    free(diff.values);
    dp_run_free(ab);
    return status;
}
