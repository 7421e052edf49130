/* dftpost dband: d-band centre and friends of selected atoms. */
#include "dos_args.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost dband FILE [options]\n"
    "\n"
    "Band statistics of the projected DOS (by default the d band), energies E - E_F:\n"
    "  file, atoms, orbital, spin, center, width, skewness, kurtosis, filling,\n"
    "  upper_edge, states, emin, emax\n"
    "FILE: vasprun.xml (plain or .gz) or DOSCAR, with a projected DOS (LORBIT >= 10).\n"
    "center   first moment  ∫E·ρ dE / ∫ρ dE (eV)\n"
    "width    sqrt of the second central moment (eV)\n"
    "skewness, kurtosis  third and fourth standardised moments (kurtosis not excess)\n"
    "filling  ∫_{E<0} ρ dE / ∫ρ dE over the window\n"
    "upper_edge  E of the maximum of the Hilbert transform of ρ (Hilbert taken over\n"
    "         the whole grid, maximum searched in the window)\n"
    "states   ∫ρ dE over the window; emin, emax: first and last grid energies in it\n"
    "Integrals use the trapezoid rule on the file's own grid over the points inside\n"
    "the window, ends included, as pymatgen's CompleteDos (get_band_center etc.), so\n"
    "the numbers agree with it.\n"
    "\n"
    "Rows: without a selection, one per transition-metal element in the file;\n"
    "--element Fe,Co: one per element; --atoms SPEC: one for the group;\n"
    "--per-atom: one per selected atom. --spin both doubles the rows (up, down).\n"
    "\n"
    "  -a, --atoms SPEC       1-based indices, ranges, element symbols: 37,38 or 1-4,Fe\n"
    "  -E, --element LIST     element symbols, one row each\n"
    "  -l, --orbital SPEC     s p d f, lm names (dxy dyz dz2 dxz dx2-y2 ...), t2g, eg;\n"
    "                         comma-separated (default d)\n"
    "  -s, --spin total|up|down|both|mx|my|mz   total = up + down, or the charge part\n"
    "                         of a noncollinear run (default total)\n"
    "  -e, --erange LO:HI     window in E - E_F (eV), -inf/inf allowed; -inf:0 gives\n"
    "                         occupied states only (default: the whole grid)\n"
    "  -p, --per-atom         one row per atom\n"
    "      --efermi E         use this Fermi level (eV) instead of the file's\n"
    DOSCAR_HELP
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 bad or incomplete input, 2 usage error.\n";

typedef struct {
    char label[256];
    bool *mask;
} selection;

static int add_selection(selection **sel, int *n, const char *label, bool *mask)
{
    selection *s = realloc(*sel, (size_t)(*n + 1) * sizeof *s);
    if (!s)
        return -1;
    *sel = s;
    snprintf(s[*n].label, sizeof s[*n].label, "%s", label);
    s[*n].mask = mask;
    (*n)++;
    return 0;
}

/* Builds the row selections; returns a dp_status. */
static dp_status build_selections(const dp_run *run, const dos_args *a, bool per_atom,
                                  selection **sel, int *nsel, dp_error *err)
{
    int n = run->natoms;
    bool *all = calloc((size_t)n, sizeof *all);
    if (!all)
        return dp_fail(err, DP_ERR_NOMEM, "out of memory");
    dp_status st = DP_OK;
    /* groups to report: each one a mask and a label */
    if (a->atoms) {
        st = dp_select_atoms(run, a->atoms, all, err);
        if (!st && !per_atom) {
            if (add_selection(sel, nsel, a->atoms, all))
                st = dp_fail(err, DP_ERR_NOMEM, "out of memory");
            else
                all = NULL;
        }
    } else {
        char list[1024] = "";
        if (a->elements) {
            snprintf(list, sizeof list, "%s", a->elements);
        } else {
            for (int t = 0; t < run->ntypes; t++) {
                const char *sym = run->species[t].symbol;
                if (dp_element_is_transition_metal(sym) && !strstr(list, sym)) {
                    size_t u = strlen(list);
                    snprintf(list + u, sizeof list - u, "%s%s", u ? "," : "", sym);
                }
            }
            if (!list[0])
                st = dp_fail(err, DP_ERR_USAGE, "%s has no transition metal; choose atoms with "
                             "--atoms or --element", run->path);
        }
        char *save = NULL;
        for (char *tok = st ? NULL : strtok_r(list, ", ", &save); tok && !st;
             tok = strtok_r(NULL, ", ", &save)) {
            bool *m = calloc((size_t)n, sizeof *m);
            if (!m) {
                st = dp_fail(err, DP_ERR_NOMEM, "out of memory");
                break;
            }
            st = dp_select_atoms(run, tok, m, err);
            for (int i = 0; i < n && !st; i++)
                all[i] |= m[i];
            if (st || per_atom || add_selection(sel, nsel, tok, m))
                free(m);
        }
    }
    if (!st && per_atom) {
        for (int i = 0; i < n && !st; i++) {
            if (!all[i])
                continue;
            bool *m = calloc((size_t)n, sizeof *m);
            char label[32];
            snprintf(label, sizeof label, "%d", i + 1);
            if (!m || add_selection(sel, nsel, label, m)) {
                free(m);
                st = dp_fail(err, DP_ERR_NOMEM, "out of memory");
            } else {
                m[i] = true;
            }
        }
    }
    free(all);
    return st;
}

int cmd_dband(int argc, char **argv)
{
    dos_args a = {.cmd = "dband", .keep_tm_only = true, .lo = -INFINITY, .hi = INFINITY};
    bool per_atom = false;
    static const struct option longopts[] = {OUTPUT_LONGOPTS, DOS_LONGOPTS,
                                             {"element", required_argument, 0, 'E'},
                                             {"per-atom", no_argument, 0, 'p'},
                                             {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:ha:E:l:s:e:p", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        if (opt == 'E' || opt == 'p') {
            if (opt == 'E')
                a.elements = optarg;
            else
                per_atom = true;
            continue;
        }
        int r = dos_args_option(&a, opt, optarg);
        if (r != 1) {
            if (r == 0)
                fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (a.atoms && a.elements) {
        complain("dband", "use --atoms or --element, not both");
        return EXIT_USAGE;
    }
    const char *path = dos_args_file(&a, argc, argv, HELP);
    if (!path)
        return EXIT_USAGE;
    const char *orbital = a.orbital ? a.orbital : "d";
    dp_run *run = dos_args_load(&a, path, "dband");
    if (!run) {
        free(a.keep);
        return EXIT_BAD_INPUT;
    }
    int nspin = a.nspin;
    const dp_spin *spins = a.spins;
    const char *erange = a.erange;
    double lo = a.lo, hi = a.hi;
    int status = EXIT_OK;
    dp_error err = {0};
    selection *sel = NULL;
    int nsel = 0;
    table *t = NULL;
    int nedos = run->dos.nedos;
    double *erel = malloc((size_t)nedos * sizeof *erel);
    double *curve = malloc((size_t)nedos * sizeof *curve);
    bool orbs[DP_MAX_ORB];
    dp_status st = (!erel || !curve) ? dp_fail(&err, DP_ERR_NOMEM, "out of memory") : DP_OK;
    if (!st)
        st = dp_select_orbitals(run, orbital, orbs, &err);
    if (!st)
        st = build_selections(run, &a, per_atom, &sel, &nsel, &err);
    if (st)
        goto fail;
    for (int e = 0; e < nedos; e++)
        erel[e] = run->dos.energy[e] - run->efermi;
    t = table_new("file,atoms,orbital,spin,center,width,skewness,kurtosis,filling,upper_edge,"
                  "states,emin,emax");
    table_meta(t, "dftpost dband %s", path);
    table_meta(t, "energies E - E_F in eV, E_F = %.8f eV%s; window %s; states = integral of "
               "the selected DOS over the window", run->efermi,
               a.has_efermi ? " (from --efermi)" : " (from the file)",
               erange ? erange : "whole grid");
    for (int i = 0; i < nsel; i++) {
        for (int k = 0; k < nspin; k++) {
            dp_band_stats bs;
            st = dp_pdos_sum(run, sel[i].mask, orbs, spins[k], curve, &err);
            if (!st)
                st = dp_band_stats_compute(erel, curve, nedos, lo, hi, &bs, &err);
            if (st)
                goto fail;
            if (bs.npoints < 2)
                fprintf(stderr, "dftpost dband: warning: %s: window %s holds %d grid point(s); "
                        "statistics undefined\n", path, erange ? erange : "", bs.npoints);
            else if (isnan(bs.states))
                fprintf(stderr, "dftpost dband: warning: %s: the %s DOS of atoms %s holds NaN "
                        "(overflowed) values; statistics undefined\n", path, orbital, sel[i].label);
            else if (!(bs.states > 0))
                fprintf(stderr, "dftpost dband: warning: %s: atoms %s have no %s states in the "
                        "window; statistics undefined\n", path, sel[i].label, orbital);
            table_str(t, path);
            table_str(t, sel[i].label);
            table_str(t, orbital);
            table_str(t, spin_name(spins[k]));
            table_num(t, bs.center);
            table_num(t, bs.width);
            table_num(t, bs.skewness);
            table_num(t, bs.kurtosis);
            table_num(t, bs.filling);
            table_num(t, bs.states > 0 ? bs.upper_edge : NAN);
            table_num(t, bs.states);
            table_num(t, bs.emin);
            table_num(t, bs.emax);
        }
    }
    status = output_table(&a.out, t);
    goto done;
fail:
    complain("dband", "%s", err.msg);
    status = st == DP_ERR_USAGE ? EXIT_USAGE : EXIT_BAD_INPUT;
done:
    table_free(t);
    for (int i = 0; i < nsel; i++)
        free(sel[i].mask);
    free(sel);
    free(erel);
    free(curve);
    free(a.keep);
    dp_run_free(run);
    return status;
}
