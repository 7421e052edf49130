/*
 * Quantum ESPRESSO XML reader: the run assembled from what the subtrees gave
 * (qexml_subtrees.c): species, the one frame, energies, Fermi level, spin and
 * magnetization, settings, convergence and completeness.
 *
 * Units: the file is in Hartree atomic units. Hartree → eV with 2 × RYTOEV =
 * 27.211386245988 eV (RYTOEV = 13.605693122994 of QE's Modules/constants.f90,
 * i.e. HARTREE_SI / ELECTRONVOLT_SI of CODATA 2018: the same number, and the
 * constant pwout.c uses, so a run's XML and its pw.x output give the same eV);
 * bohr → Å with BOHR_RADIUS_ANGS = 0.529177210903.
 *
 * Besides the values of each subtree (qexml_subtrees.c):
 *  - settings (dftpost.h, dp_run_setting; qe_common.h makes them as pwout.c does):
 *    CODE = QE, VERSION, XC from output/dft/functional, ENCUT from
 *    output/basis_set/ecutwfc (Ha), ISPIN, SMEARING and SIGMA from band_structure
 *    (degauss in Ha; occupations_kind fixed/tetrahedra), LDAU (+ LDAUL, LDAUU from
 *    dftU/Hubbard_U, in Ry), IVDW from dft/vdW/vdw_corr, POTCAR (pseudo_file names).
 *  - completeness: the root element closed. A file cut before its <output>
 *    structure is an error; cut after it, what was read is kept with
 *    status.complete false.
 */
#include "qexml_reader.h"

/* ---- assembling the run -------------------------------------------------- */

/* VASP's ISMEAR for a QE smearing name (as pwout.c maps pw.x's): Gaussian 0,
 * Methfessel-Paxton 1, Fermi-Dirac -1; Marzari-Vanderbilt (cold) has none: 0. */
static int ismear_of(const char *name)
{
    char n[32];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof n; i++)
        n[i] = (char)tolower((unsigned char)name[i]);
    n[i] = '\0';
    if (!strcmp(n, "mp") || !strcmp(n, "m-p") || !strncmp(n, "methfessel", 10))
        return 1;
    if (!strcmp(n, "fd") || !strcmp(n, "f-d") || !strncmp(n, "fermi", 5))
        return -1;
    return 0;
}

/* A dispersion correction's name as pwout.c spells it (DFT-D2, DFT-D3, XDM), or TS,
 * MBD, "0" for none; others upper-cased. */
static void vdw_name(const char *in, char *out, size_t size)
{
    char n[32];
    size_t i = 0;
    for (; in[i] && i + 1 < sizeof n; i++)
        n[i] = (char)tolower((unsigned char)in[i]);
    n[i] = '\0';
    const char *v = !n[0] || !strcmp(n, "none") ? "0"
                    : !strcmp(n, "grimme-d2") || !strcmp(n, "dft-d") || !strcmp(n, "d2") ? "DFT-D2"
                    : !strcmp(n, "grimme-d3") || !strcmp(n, "dft-d3") || !strcmp(n, "d3") ? "DFT-D3"
                    : !strcmp(n, "xdm") ? "XDM"
                    : !strcmp(n, "ts") || !strcmp(n, "ts-vdw") || !strcmp(n, "tkatchenko-scheffler") ? "TS"
                    : !strcmp(n, "mbd") || !strcmp(n, "many-body dispersion") || !strcmp(n, "mbd_vdw") ? "MBD"
                    : NULL;
    if (v) {
        snprintf(out, size, "%s", v);
        return;
    }
    for (i = 0; i + 1 < size && n[i]; i++)
        out[i] = (char)toupper((unsigned char)n[i]);
    out[i] = '\0';
}

/* The run's settings (qe_common.h), as pwout.c makes them from the pw.x output. */
static dp_status settings(qx *s)
{
    dp_run *run = s->run;
    dp_qe_found q = {.version = run->version, .xc = s->xc,
                     .ecutwfc_ry = 2 * s->ecutwfc, .degauss_ry = NAN};
    if (s->have_bands) {
        q.spin = s->noncolin ? (s->spinorbit ? 4 : 3) : s->lsda ? 2 : 1;
        if (s->have_smearing) {
            q.smearing = s->smearing;
            q.degauss_ry = 2 * s->degauss;
        } else if (!strcmp(s->occ_kind, "fixed")) {
            q.smearing = "fixed";
        } else if (!strncmp(s->occ_kind, "tetrahedra", 10)) {
            q.smearing = "tetrahedra";
        }
    }
    char vdw[32], ldaul[160], ldauu[160];
    if (s->have_dft) {
        q.ldau = s->dftu ? 1 : -1;
        vdw_name(s->vdw, vdw, sizeof vdw);
        q.vdw = vdw;
    }
    if (s->dftu && s->nhub && run->ntypes <= 64) {
        int l[64];
        double u[64];
        for (int t = 0; t < run->ntypes; t++) {
            l[t] = -1;
            u[t] = 0;
            for (int k = 0; k < s->nhub; k++)
                if (!strcmp(s->hub[k].specie, s->types[t].name))
                    l[t] = s->hub[k].l, u[t] = s->hub[k].u_ry * RYTOEV;
        }
        dp_qe_hubbard_lists(run->ntypes, l, u, ldaul, ldauu, sizeof ldaul);
        q.ldaul = ldaul;
        q.ldauu = ldauu;
    }
    return dp_qe_settings(run, &q, s->err);
}

dp_status qx_assemble(qx *s)
{
    dp_run *run = s->run;
    if (!s->have_structure || !s->ntyp) {
        if (!s->closed)
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: the file ends before the "
                           "structure of its <output>%s%s", s->path, s->break_line,
                           s->xml_msg[0] ? ": " : " (cut off?)", s->xml_msg);
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: no <output> with <atomic_species> and "
                       "<atomic_structure> (is the run finished?)", s->path);
    }
    char (*sym)[4] = malloc((size_t)s->ntyp * sizeof *sym);
    int *cnt = calloc((size_t)s->ntyp, sizeof *cnt);
    if (!sym || !cnt) {
        free(sym);
        free(cnt);
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    }
    for (int a = 0; a < s->nat; a++)
        cnt[s->atom_type[a]]++;
    for (int t = 0; t < s->ntyp; t++)
        memcpy(sym[t], s->types[t].symbol, 4);
    dp_status st = dp_run_set_species(run, s->ntyp, sym, cnt, s->err);
    free(sym);
    free(cnt);
    if (st != DP_OK)
        return st;
    for (int a = 0; a < s->nat; a++)
        run->atom_type[a] = s->atom_type[a];
    for (int t = 0; t < s->ntyp; t++) {
        run->species[t].mass = s->types[t].mass;
        snprintf(run->species[t].potential, sizeof run->species[t].potential, "%s",
                 s->types[t].pseudo);
    }
    /* the frame */
    dp_frame f = {0};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            f.lattice[i][k] = s->cell[i][k] * BOHR_ANGS;
    double inv[3][3];
    if (!dp_qe_cell_inverse(f.lattice, inv))
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: the <cell> of the output is degenerate",
                       s->path);
    f.frac = malloc((size_t)s->nat * sizeof *f.frac);
    if (!f.frac)
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    for (int a = 0; a < s->nat; a++) {
        if (s->crystal) {
            memcpy(f.frac[a], s->pos[a], sizeof f.frac[a]);
            continue;
        }
        double c[3];
        for (int k = 0; k < 3; k++)
            c[k] = s->pos[a][k] * BOHR_ANGS;
        dp_cartesian_to_fractional(inv, c, f.frac[a]);
    }
    if (s->have_forces) {
        f.forces = s->forces;
        s->forces = NULL;
        for (int a = 0; a < s->nat; a++)
            for (int k = 0; k < 3; k++)
                f.forces[a][k] *= HA_EV / BOHR_ANGS;
    }
    run->frames = malloc(sizeof *run->frames);
    if (!run->frames) {
        free(f.frac);
        free(f.forces);
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    }
    run->frames[0] = f;
    run->nframes = 1;
    run->first_frame_step = s->have_etot ? 0 : -1;
    /* energies */
    if (s->have_etot) {
        run->energies = malloc(sizeof *run->energies);
        if (!run->energies)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        dp_energies *e = &run->energies[0];
        e->e_free = s->etot * HA_EV;
        e->e_noentropy = s->have_demet ? (s->etot - s->demet) * HA_EV : e->e_free;
        e->e_sigma0 = 0.5 * (e->e_free + e->e_noentropy);
        e->e_sigma0_raw = NAN;
        run->nsteps = 1;
    }
    /* bands, Fermi level, spin */
    run->params.ispin = s->lsda && !s->noncolin ? 2 : 1;
    run->params.lnoncollinear = s->noncolin;
    run->params.lsorbit = s->spinorbit;
    if (s->have_smearing) {
        run->params.sigma = s->degauss * HA_EV;
        run->params.ismear = ismear_of(s->smearing);
    }
    if (s->have_ef2) {
        run->has_efermi_spin = true;
        run->efermi_spin[0] = s->ef2[0] * HA_EV;
        run->efermi_spin[1] = s->ef2[1] * HA_EV;
        run->efermi = fmax(run->efermi_spin[0], run->efermi_spin[1]);
        run->has_efermi = !isnan(run->efermi);
    } else if (s->have_ef) {
        run->efermi = s->ef * HA_EV;
        run->has_efermi = !isnan(run->efermi);
    }
    if (s->have_homo) {
        run->has_homo = true;
        run->homo = s->homo * HA_EV;
        run->lumo = s->have_lumo ? s->lumo * HA_EV : NAN;
    }
    if ((s->lsda || s->noncolin) && (s->have_mtot || s->have_mabs)) {
        run->has_mag_total = true;
        run->mag_total = s->have_mtot ? s->mtot : NAN;
        run->mag_abs = s->have_mabs ? s->mabs : NAN;
    }
    if (s->site) {
        dp_magnetization *mg = &run->mag;
        mg->atom = s->site;
        s->site = NULL;
        mg->total = malloc(sizeof *mg->total);
        if (!mg->total)
            return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        mg->ncomp = 1;
        mg->ncols = 1;
        snprintf(mg->cols[0], sizeof mg->cols[0], "tot");
        double sum = 0;
        for (int a = 0; a < s->nat; a++)
            sum += mg->atom[a];
        mg->total[0] = sum;
        run->has_mag = true;
    }
    if ((st = settings(s)) != DP_OK)
        return st;
    /* convergence and completeness */
    int conv = s->opt_conv ? s->opt_conv : s->scf_conv;
    run->status.converged = conv;
    if (conv < 0)
        dp_run_warn(run, "%s: the %s did not converge (convergence_achieved is false)", s->path,
                    s->opt_conv ? "geometry optimisation" : "SCF");
    if (s->have_status && s->status != 0)
        dp_run_warn(run, "%s: pw.x exit status %ld (not 0)", s->path, s->status);
    if (s->closed) {
        run->status.complete = true;
        return DP_OK;
    }
    run->status.complete = false;
    run->status.break_line = s->break_line;
    snprintf(run->status.missing, sizeof run->status.missing, "%s%s",
             s->have_etot ? "" : "total energy, ", "the end of the file");
    dp_run_warn(run, "%s: incomplete file: %s at line %ld (%s); kept what was complete before; "
                "missing: %s", s->path,
                xml_input_at_eof(&s->in) ? "it ends" : "not well-formed XML", s->break_line,
                s->xml_msg[0] ? s->xml_msg : "cut off", run->status.missing);
    return DP_OK;
}
