/* dftpost thermo: zero-point energy, ∫Cp dT, entropy and the free-energy correction
 * from vibrational modes, harmonic (adsorbates) or ideal gas (molecules), as ASE. */
#include "common.h"
#include "modes_input.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *HELP =
    "usage: dftpost thermo FILE [--harmonic | --ideal-gas --symmetry N --spin S\n"
    "                      [--pressure P]] [--T K] [--cutoff CM] [options]\n"
    "\n"
    "Thermochemical corrections from vibrational modes, with the formulas and constants\n"
    "(CODATA 2014) of ASE 3.22's HarmonicThermo and IdealGasThermo:\n"
    "  file, T, zpe, cp_int, s, ts, g_corr          (--harmonic)\n"
    "  file, T, zpe, cp_int, s, ts, g_corr, h_corr  (--ideal-gas)\n"
    "zpe = ½Σhν (eV); cp_int = ∫Cp dT from 0 to T (eV); s = S (eV/K); ts = T·S (eV);\n"
    "g_corr = zpe + cp_int − ts (eV): G − E (ideal gas), F − E (harmonic);\n"
    "h_corr = zpe + cp_int = H − E (eV). Add the electronic energy E to get H or G.\n"
    "\n"
    "FILE is one of:\n"
    "  - an OUTCAR with frequencies (IBRION=5-8): every mode VASP printed (for an\n"
    "    adsorbate with selective dynamics, those of the free atoms);\n"
    "  - a QE dynmat.x output (its \"# mode [cm-1]\" table);\n"
    "  - a list of wavenumbers in cm-1, whitespace or newline separated, '#' starts a\n"
    "    comment; a negative number is an imaginary mode (as dynmat.x writes them).\n"
    "\n"
    "Models:\n"
    "      --harmonic         every mode is a harmonic vibration (default; adsorbates)\n"
    "      --ideal-gas        a free molecule: translation, rotation, vibration and\n"
    "                         electronic terms. Of the modes, the 3N-6 (nonlinear) or\n"
    "                         3N-5 (linear) largest are the vibrations; the 6 or 5\n"
    "                         smallest (translations and rotations; imaginary ones\n"
    "                         count as the smallest) are dropped, as ASE's\n"
    "                         IdealGasThermo keeps the last 3N-6/3N-5 of its sorted list\n"
    "      --symmetry N       rotational symmetry number (H2O 2, O2 2, NH3 3, CH4 12);\n"
    "                         required with --ideal-gas\n"
    "      --spin S           total electronic spin (0 closed shell, 0.5 radical,\n"
    "                         1 triplet O2); required with --ideal-gas\n"
    "      --pressure P       pressure in Pa (default 101325; ASE's reference is 1e5 Pa)\n"
    "      --structure FILE   the molecule's geometry (any file dftpost reads: pw.x\n"
    "                         output, POSCAR, OUTCAR...). Default: FILE itself when it\n"
    "                         holds a structure (OUTCAR), else pw.out beside FILE\n"
    "      --geometry G       linear, nonlinear or monatomic (default: from the moments\n"
    "                         of inertia: linear when the smallest is < 1e-6 of the\n"
    "                         largest)\n"
    "      --masses ase|file  atomic masses: ase (default) the IUPAC 2016 standard atomic\n"
    "                         weights of ASE's ase.data.atomic_masses; file: the masses\n"
    "                         the structure file states (VASP POMASS, QE species mass)\n"
    "\n"
    "Conditions and modes:\n"
    "  -T, --T K              temperature in K (default 298.15)\n"
    "      --cutoff CM        raise every real mode below CM cm-1 (zero modes too) to\n"
    "                         CM, and imaginary ones as well unless --imaginary drop\n"
    "                         (the quasi-harmonic treatment of soft modes)\n"
    "      --imaginary drop|raise\n"
    "                         imaginary modes: drop (default without --cutoff) or raise\n"
    "                         to --cutoff (default with it). ASE refuses imaginary\n"
    "                         modes; dftpost drops or raises them with a warning\n"
    "Zero modes (0 cm-1) have no finite entropy and are dropped without --cutoff.\n"
    "Real modes below 50 cm-1 are kept as they are, with a warning (their entropy is\n"
    "large and uncertain): consider --cutoff.\n"
    "\n"
    OUTPUT_HELP
    "\n"
    "Exit status: 0 ok, 1 bad input or no modes in the file, 2 usage error.\n";

enum { OPT_HARM = 256, OPT_GAS, OPT_SYM, OPT_SPIN, OPT_P, OPT_CUT, OPT_IMAG, OPT_STRUCT,
       OPT_GEOM, OPT_MASSES };

/* "1557.00 3699.80 120.00i->100" into buf: i = imaginary, ->CM raised to the cutoff */
static void mode_list(char *buf, size_t size, const vib_mode *m, int n, double cutoff)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len + 48 < size; i++) {
        len += (size_t)snprintf(buf + len, size - len, "%s%.2f%s", i ? " " : "", m[i].cm1,
                                m[i].imag ? "i" : "");
        if (cutoff > 0 && (m[i].imag || m[i].cm1 < cutoff))
            len += (size_t)snprintf(buf + len, size - len, "->%g", cutoff);
    }
    if (n == 0)
        snprintf(buf, size, "none");
}

static const char *geometry_name(dp_geometry g)
{
    return g == DP_GEOM_LINEAR ? "linear" : g == DP_GEOM_NONLINEAR ? "nonlinear" : "monatomic";
}

int cmd_thermo(int argc, char **argv)
{
    output_opts out = {0};
    bool gas = false, harmonic = false, have_sym = false, have_spin = false, have_p = false;
    int symmetry = 0;
    double spin = 0, pressure = 101325.0, T = 298.15, cutoff = 0;
    const char *imag_mode = NULL, *structure = NULL, *geom_opt = NULL, *masses = "ase";
    static const struct option longopts[] = {
        OUTPUT_LONGOPTS,
        {"harmonic", no_argument, 0, OPT_HARM},
        {"ideal-gas", no_argument, 0, OPT_GAS},
        {"symmetry", required_argument, 0, OPT_SYM},
        {"spin", required_argument, 0, OPT_SPIN},
        {"pressure", required_argument, 0, OPT_P},
        {"T", required_argument, 0, 'T'},
        {"cutoff", required_argument, 0, OPT_CUT},
        {"imaginary", required_argument, 0, OPT_IMAG},
        {"structure", required_argument, 0, OPT_STRUCT},
        {"geometry", required_argument, 0, OPT_GEOM},
        {"masses", required_argument, 0, OPT_MASSES},
        {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:o:hT:", longopts, NULL)) != -1) {
        double v;
        switch (opt) {
        case 'h':
            fputs(HELP, stdout);
            return EXIT_OK;
        case OPT_HARM:
            harmonic = true;
            continue;
        case OPT_GAS:
            gas = true;
            continue;
        case OPT_SYM:
            if (!option_number(optarg, &v) || v < 1 || v != floor(v) || v > 1000) {
                complain("thermo", "--symmetry %s: a whole number ≥ 1", optarg);
                return EXIT_USAGE;
            }
            symmetry = (int)v;
            have_sym = true;
            continue;
        case OPT_SPIN:
            if (!option_number(optarg, &spin) || spin < 0 || 2 * spin != floor(2 * spin)) {
                complain("thermo", "--spin %s: 0, 0.5, 1, 1.5...", optarg);
                return EXIT_USAGE;
            }
            have_spin = true;
            continue;
        case OPT_P:
            if (!option_number(optarg, &pressure) || !(pressure > 0)) {
                complain("thermo", "--pressure %s: a pressure in Pa, > 0", optarg);
                return EXIT_USAGE;
            }
            have_p = true;
            continue;
        case 'T':
            if (!option_number(optarg, &T) || !(T > 0)) {
                complain("thermo", "--T %s: a temperature in K, > 0", optarg);
                return EXIT_USAGE;
            }
            continue;
        case OPT_CUT:
            if (!option_number(optarg, &cutoff) || !(cutoff > 0)) {
                complain("thermo", "--cutoff %s: a wavenumber in cm-1, > 0", optarg);
                return EXIT_USAGE;
            }
            continue;
        case OPT_IMAG:
            if (strcmp(optarg, "drop") && strcmp(optarg, "raise")) {
                complain("thermo", "--imaginary %s: drop or raise", optarg);
                return EXIT_USAGE;
            }
            imag_mode = optarg;
            continue;
        case OPT_STRUCT:
            structure = optarg;
            continue;
        case OPT_GEOM:
            if (strcmp(optarg, "linear") && strcmp(optarg, "nonlinear") &&
                strcmp(optarg, "monatomic")) {
                complain("thermo", "--geometry %s: linear, nonlinear or monatomic", optarg);
                return EXIT_USAGE;
            }
            geom_opt = optarg;
            continue;
        case OPT_MASSES:
            if (strcmp(optarg, "ase") && strcmp(optarg, "file")) {
                complain("thermo", "--masses %s: ase or file", optarg);
                return EXIT_USAGE;
            }
            masses = optarg;
            continue;
        default:
            break;
        }
        if (output_option(&out, opt, optarg) != 1) {
            fputs(HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        complain("thermo", optind >= argc ? "no FILE given" : "one FILE at a time");
        return EXIT_USAGE;
    }
    if (gas && harmonic) {
        complain("thermo", "--harmonic and --ideal-gas exclude each other");
        return EXIT_USAGE;
    }
    if (!gas && (have_sym || have_spin || have_p || structure || geom_opt ||
                 strcmp(masses, "ase"))) {
        complain("thermo", "--symmetry, --spin, --pressure, --structure, --geometry and "
                 "--masses belong to --ideal-gas");
        return EXIT_USAGE;
    }
    if (gas && (!have_sym || !have_spin)) {
        complain("thermo", "--ideal-gas needs --symmetry N and --spin S (as ASE's "
                 "IdealGasThermo)");
        return EXIT_USAGE;
    }
    if (imag_mode && !strcmp(imag_mode, "raise") && cutoff <= 0) {
        complain("thermo", "--imaginary raise needs --cutoff CM");
        return EXIT_USAGE;
    }
    dp_mode_policy policy = {.cutoff = cutoff,
                             .raise_imaginary = cutoff > 0 &&
                                                !(imag_mode && !strcmp(imag_mode, "drop"))};

    const char *path = argv[optind];
    int status = EXIT_BAD_INPUT;
    dp_run *srun = NULL;
    vib_modes vm = {0};
    double *ev = NULL;
    char msg[1024];
    dp_error err = {0};

    if (vib_modes_read(path, false, &vm, msg, sizeof msg)) {
        if (msg[0])
            fprintf(stderr, "dftpost thermo: %s\n", msg);
        goto done;
    }
    const dp_run *run = vm.run;
    vib_mode *modes = vm.mode;
    int nmodes = vm.n;

    /* ideal gas: geometry, masses, moments of inertia; the vibrations kept */
    int first = 0; /* modes[first..] are the vibrations after sorting (ideal gas) */
    gas_molecule gm = {.geometry = DP_GEOM_NONLINEAR};
    dp_geometry geometry = DP_GEOM_NONLINEAR;
    const dp_run *mol = NULL;
    char spath[1100] = "";
    if (gas) {
        if (structure) {
            snprintf(spath, sizeof spath, "%s", structure);
        } else if (run && run->natoms > 0 && run->nframes > 0) {
            mol = run;
            snprintf(spath, sizeof spath, "%s", path);
        } else {
            const char *slash = strrchr(path, '/');
            snprintf(spath, sizeof spath, "%.*spw.out", slash ? (int)(slash - path + 1) : 0,
                     path);
            FILE *probe = fopen(spath, "r");
            if (!probe) {
                complain("thermo", "%s: --ideal-gas needs the molecule's geometry: give "
                         "--structure FILE (no %s beside it)", path, spath);
                goto done;
            }
            fclose(probe);
        }
        if (!mol) {
            dp_read_opts ro = {.skip_dos = true};
            srun = load_run(spath, &ro);
            if (!srun)
                goto done;
            mol = srun;
        }
        if (mol->natoms < 1 || mol->nframes < 1) {
            complain("thermo", "%s: no structure in the file", spath);
            goto done;
        }
        if (gas_molecule_of(mol, spath, !strcmp(masses, "file"), &gm, msg, sizeof msg)) {
            complain("thermo", "%s", msg);
            goto done;
        }
        geometry = gm.geometry;
        if (geom_opt)
            geometry = !strcmp(geom_opt, "linear")      ? DP_GEOM_LINEAR
                       : !strcmp(geom_opt, "nonlinear") ? DP_GEOM_NONLINEAR
                                                        : DP_GEOM_MONATOMIC;
        int nvib = dp_thermo_ideal_gas_nvib(mol->natoms, geometry);
        if (nmodes < nvib) {
            complain("thermo", "%s: %d modes, but a %s molecule of %d atoms has %d "
                     "vibrations", path, nmodes, geometry_name(geometry), mol->natoms, nvib);
            goto done;
        }
        if (run && run->natoms != mol->natoms && run->natoms > 0)
            fprintf(stderr, "dftpost thermo: warning: %s has %d atoms, the structure %s %d\n",
                    path, run->natoms, spath, mol->natoms);
        vib_modes_sort_desc(modes, nmodes);
        first = nvib; /* vibrations are modes[0..nvib); the rest translations/rotations */
    }
    int nconsider = gas ? first : nmodes;
    int nimag = 0, nsoft = 0, nzero = 0;
    for (int i = 0; i < nconsider; i++) {
        nimag += modes[i].imag;
        nzero += !modes[i].imag && !(modes[i].cm1 > 0);
        nsoft += !modes[i].imag && modes[i].cm1 > 0 && modes[i].cm1 < 50 &&
                 !(cutoff > modes[i].cm1);
    }
    int nused = 0, ndropped = 0, nraised = 0;
    ev = vib_modes_energies(modes, nconsider, &policy, &nused, &ndropped, &nraised);
    if (!ev) {
        complain("thermo", "out of memory");
        goto done;
    }

    char buf[4096];
    if (nimag) {
        int k = 0;
        vib_mode list[64];
        for (int i = 0; i < nconsider && k < 64; i++)
            if (modes[i].imag)
                list[k++] = modes[i];
        mode_list(buf, sizeof buf, list, k, 0);
        fprintf(stderr, "dftpost thermo: warning: %s: %d imaginary mode(s) %s: %s cm-1\n",
                path, nimag, policy.raise_imaginary ? "raised to the cutoff" : "dropped", buf);
    }
    if (nzero && cutoff <= 0)
        fprintf(stderr, "dftpost thermo: warning: %s: %d zero mode(s) dropped\n", path, nzero);
    if (nsoft)
        fprintf(stderr, "dftpost thermo: warning: %s: %d real mode(s) below 50 cm-1 kept as "
                "they are (large, uncertain entropy; consider --cutoff)\n", path, nsoft);
    if (nused == 0 && !(gas && first == 0)) {
        complain("thermo", "%s: no real vibrational modes left", path);
        goto done;
    }

    dp_thermo th;
    dp_status st = gas ? dp_thermo_ideal_gas(ev, nused, geometry, gm.mass, gm.inertia,
                                             symmetry, spin, T, pressure, &th, &err)
                       : dp_thermo_harmonic(ev, nused, T, &th, &err);
    if (st) {
        complain("thermo", "%s: %s", path, err.msg);
        goto done;
    }

    table *t = table_new(gas ? "file,T,zpe,cp_int,s,ts,g_corr,h_corr"
                             : "file,T,zpe,cp_int,s,ts,g_corr");
    table_meta(t, "dftpost thermo %s", path);
    if (gas) {
        table_meta(t, "model: ideal gas (ASE IdealGasThermo); T = %g K, P = %g Pa; "
                   "symmetry number %d, spin %g; %s", T, pressure, symmetry, spin,
                   geometry_name(geometry));
        table_meta(t, "structure %s: %d atoms, mass %.6f amu (%s), moments of inertia "
                   "%.6f %.6f %.6f amu Å²", spath, mol->natoms, gm.mass,
                   !strcmp(masses, "ase") ? "IUPAC 2016 weights as ASE" : "masses of the file",
                   gm.inertia[0], gm.inertia[1], gm.inertia[2]);
    } else {
        table_meta(t, "model: harmonic (ASE HarmonicThermo); T = %g K", T);
    }
    table_meta(t, "modes from %s (%s): %d", path, vm.kind, nmodes);
    {
        vib_mode *used = malloc((size_t)nmodes * sizeof *used);
        vib_mode *drop = malloc((size_t)nmodes * sizeof *drop);
        int nu = 0, nd = 0;
        if (used && drop) {
            for (int i = 0; i < nmodes; i++) {
                bool vib = !gas || i < first;
                bool is_dropped = !vib || (modes[i].imag && !policy.raise_imaginary) ||
                                  (!modes[i].imag && !(modes[i].cm1 > 0) && cutoff <= 0);
                if (is_dropped)
                    drop[nd++] = modes[i];
                else
                    used[nu++] = modes[i];
            }
            mode_list(buf, sizeof buf, used, nu, cutoff);
            table_meta(t, "modes used (cm-1; i = imaginary, ->CM raised to the cutoff): %s",
                       buf);
            mode_list(buf, sizeof buf, drop, nd, 0);
            char why[96] = "";
            if (gas)
                snprintf(why, sizeof why, " (the %d smallest are translations and rotations)",
                         nmodes - first);
            table_meta(t, "modes dropped (cm-1)%s: %s", why, buf);
        }
        free(used);
        free(drop);
    }
    if (cutoff > 0)
        table_meta(t, "cutoff %g cm-1: %d mode(s) raised to it", cutoff, nraised);
    table_meta(t, "zpe, cp_int, ts, g_corr%s in eV; s in eV/K; g_corr = zpe + cp_int - ts%s",
               gas ? ", h_corr" : "", gas ? "; h_corr = zpe + cp_int" : "");
    table_str(t, path);
    table_num(t, T);
    table_fixed(t, th.zpe, 8);
    table_fixed(t, th.cp_int, 8);
    table_num(t, th.s);
    table_fixed(t, th.ts, 8);
    table_fixed(t, th.g_corr, 8);
    if (gas)
        table_fixed(t, th.h_corr, 8);
    status = output_table(&out, t);
    table_free(t);

done:
    vib_modes_free(&vm);
    free(ev);
    dp_run_free(srun);
    return status;
}
