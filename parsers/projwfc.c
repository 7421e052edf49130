/*
 * projwfc.x reader (Quantum ESPRESSO 5.x–7.x): projected DOS files, Löwdin charges.
 *
 * What path may be: projwfc.x's standard output (it says "Program PROJWFC"), the
 * directory holding the pdos files, or one pdos file (its directory and prefix are
 * used). The files are FILPDOS.pdos_tot and FILPDOS.pdos_atm#N(El)_wfc#M(l), or
 * ...wfc#M(l_jJ) for spin-orbit runs (plain or .gz). FILPDOS is taken from the files
 * themselves; when a directory holds several prefixes, the one of the run wins:
 * filpdos (else prefix) of a projwfc.in (or the stdout's name with .out → .in) beside
 * it, else the prefix of "Reading (xml) data from directory: …/PREFIX.save" in the
 * standard output; otherwise the read fails and lists the prefixes.
 *
 * Columns (PP/src/partialdos.f90):
 *   pdos_atm…(l)      nspin=1:        E ldos pdos(m=1..2l+1)
 *                     nspin=2:        E ldosup ldosdw (pdosup pdosdw)×m
 *                     noncollinear:   the same as nspin=2, up/down along z
 *   pdos_atm…(l_j)    spin-orbit:     E ldos pdos(m_j=1..2j+1)
 *   pdos_tot          nspin=1 and spin-orbit: E dos pdos;  nspin=2: E dosup dosdw
 *                     pdosup pdosdw;  noncollinear without spin-orbit: E dos pdosup
 *                     pdosdw (this layout tells it from nspin=2; spin-orbit runs are
 *                     told by their file names).
 * E is written f8.3 (f7.3 in older versions: below -99.999 eV it overflows to "***",
 * which is refused), the rest e11.3 (Fortran forms such as 0.123-100 are read).
 * k-resolved files (kresolveddos, an "ik" column) are refused.
 *
 * Model:
 *   energies absolute, eV, exactly as written; every file must have the same grid
 *   (else DP_ERR_FORMAT; a file that ends early is DP_ERR_INCOMPLETE).
 *   ncomp 1 (nspin=1, spin-orbit) or 2 (nspin=2, up/down). Noncollinear without
 *   spin-orbit: ncomp 4 with the charge part up+down, m_z = up−down from the pdos
 *   files, m_x and m_y NaN (not in the files); the total DOS has no m_z: NaN.
 *   Spin-orbit: ncomp 1, and a warning that m_x, m_y, m_z are not in the files.
 *   Columns: VASP's names and order, s py pz px dxy dyz dz2 dxz x2-y2 (norb 9), plus
 *   fy3x2 fxyz fyz2 fz3 fxz2 fzx2 fx3 (norb 16) when any f file is present. QE's m
 *   order is that of its real spherical harmonics (1, cos φ, sin φ, cos 2φ, sin 2φ,
 *   cos 3φ, sin 3φ; comment of projwfc.f90 and Wannier90's table):
 *     l=1: m=1 pz, 2 px, 3 py
 *     l=2: m=1 dz2, 2 dxz, 3 dyz, 4 dx2-y2 (VASP "x2-y2"), 5 dxy
 *     l=3: m=1 fz3, 2 fxz2, 3 fyz2, 4 fz(x2-y2) → fzx2, 5 fxyz,
 *          6 fx(x2-3y2) → fx3, 7 fy(3x2-y2) → fy3x2
 *   Spin-orbit files are projections on |l j m_j>, which have no lm resolution: the
 *   columns are then s p d [f] (as VASP's LORBIT=10), each the sum over m_j and over
 *   both j of that l.
 *   Several wavefunctions of one l on an atom (semicore 3s and valence 4s) are
 *   summed into the same columns. A column of an l the atom has no wavefunction for
 *   is 0; a wavefunction the standard output lists but whose file is missing makes
 *   its l columns NaN (with a warning). Atoms with no file at all have pdos NULL.
 *   total = pdos_tot's dos column(s); integrated = its cumulative trapezoid integral
 *   from the first grid point (QE writes none). No pdos_tot: has_dos false.
 * Atoms and structure: opts->structure, else beside the files pw.out, the *.out
 *   files that say "Program PWSCF" (newest first), data-file-schema.xml,
 *   *.save/data-file-schema.xml, read with dp_read; one whose atom count or
 *   elements do not fit is skipped with a warning. Without one, atoms come from the
 *   file names (and the standard output's state list): labels like Fe1 → Fe,
 *   species = runs of consecutive atoms with the same label, no frame, a warning.
 * Fermi level (from that pw.x output or XML): efermi; with two (fixed total
 *   magnetisation) the higher, with a warning naming both; else the HOMO, with a
 *   warning; else has_efermi false.
 * Löwdin charges from the standard output ("Lowdin Charges:"; the last block):
 *   total, s p d f (NaN where not printed), spin up/down totals when printed;
 *   "Spilling Parameter:" (several numbers → their mean). A standard output without
 *   pdos files beside it gives the charges alone (has_pdos false, a warning).
 */
#include "projwfc_reader.h"

static const char *const LM16[16] = {"s",   "py",   "pz",   "px",   "dxy",  "dyz",
                                     "dz2", "dxz",  "x2-y2", "fy3x2", "fxyz", "fyz2",
                                     "fz3", "fxz2", "fzx2", "fx3"};
static const char *const SPDF[4] = {"s", "p", "d", "f"};
/* QE m (1-based) → VASP lm column, per l */
static const int QE2VASP[4][7] = {
    {0}, {2, 3, 1}, {6, 7, 5, 8, 4}, {12, 13, 11, 14, 10, 15, 9}};

/* Element of a QE species label: "Fe1" → Fe, "Fe_up" → Fe, "O" → O, "OB" → O. */
static void label_element(const char *label, char sym[4])
{
    sym[0] = (char)toupper((unsigned char)label[0]);
    sym[1] = sym[2] = sym[3] = '\0';
    if (isalpha((unsigned char)label[1])) {
        sym[1] = (char)tolower((unsigned char)label[1]);
        if (dp_covalent_radius(sym) >= 0 || dp_covalent_radius((char[]){sym[0], 0}) < 0)
            return;
        sym[1] = '\0';
    }
}

/* ---- atoms --------------------------------------------------------------------- */

/* The label of atom a (1-based) from the files or the state list, or NULL. */
static const char *atom_label(const ps *s, int a)
{
    const pfile *f = pj_find_file(s, a, 0);
    if (f)
        return f->label;
    /* the state list comes in atom order */
    int lo = 0, hi = s->nstates;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->states[mid].atom < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nstates && s->states[lo].atom == a ? s->states[lo].label : NULL;
}

/* Does a structure run fit the files? Returns "" or why not. */
static void structure_fits(const ps *s, const dp_run *sr, char *why, size_t size)
{
    why[0] = '\0';
    /* the Löwdin block lists every atom; the files and states, those with wavefunctions */
    int need = s->max_file_atom > s->max_state_atom ? s->max_file_atom : s->max_state_atom;
    int exact = s->lowdin_done ? s->lowdin_atoms : 0;
    if ((exact && sr->natoms != exact) || sr->natoms < need) {
        snprintf(why, size, "it has %d atoms, the projwfc.x files %d", sr->natoms,
                 exact ? exact : need);
        return;
    }
    for (int a = 1; a <= sr->natoms; a++) {
        const char *lab = atom_label(s, a);
        if (!lab)
            continue;
        char el[4];
        label_element(lab, el);
        const char *sym = sr->species[sr->atom_type[a - 1]].symbol;
        if (strcmp(el, sym)) {
            snprintf(why, size, "its atom %d is %s, the projwfc.x files say %s", a, sym, lab);
            return;
        }
    }
}

static void take_structure(ps *s, dp_run *sr, const char *from)
{
    dp_run *run = s->run;
    run->natoms = sr->natoms;
    run->ntypes = sr->ntypes;
    run->species = sr->species, sr->species = NULL;
    run->atom_type = sr->atom_type, sr->atom_type = NULL;
    if (sr->nframes > 0) {
        run->frames = calloc(1, sizeof *run->frames);
        if (run->frames) {
            dp_frame *last = &sr->frames[sr->nframes - 1];
            run->frames[0] = *last;
            memset(last, 0, sizeof *last);
            run->nframes = 1;
            run->first_frame_step = sr->first_frame_step + sr->nframes - 1;
        }
    }
    run->nsteps = sr->nsteps;
    run->energies = sr->energies, sr->energies = NULL;
    run->status.converged = sr->status.converged;
    run->has_mag_total = sr->has_mag_total;
    run->mag_total = sr->mag_total;
    run->mag_abs = sr->mag_abs;
    run->has_efermi_spin = sr->has_efermi_spin;
    memcpy(run->efermi_spin, sr->efermi_spin, sizeof run->efermi_spin);
    run->has_homo = sr->has_homo;
    run->homo = sr->homo;
    run->lumo = sr->lumo;
    if (sr->has_efermi_spin) {
        double up = sr->efermi_spin[0], dw = sr->efermi_spin[1];
        run->has_efermi = true;
        run->efermi = up > dw ? up : dw;
        dp_run_warn(run, "%s: two Fermi levels (fixed total magnetisation), spin up %.4f eV and "
                    "spin down %.4f eV: energies are relative to the higher, %.4f eV", from, up,
                    dw, run->efermi);
    } else if (sr->has_efermi) {
        run->has_efermi = true;
        run->efermi = sr->efermi;
    } else if (sr->has_homo) {
        run->has_efermi = true;
        run->efermi = sr->homo;
        dp_run_warn(run, "%s: no Fermi level; the highest occupied level, %.4f eV, is used "
                    "instead", from, sr->homo);
    }
    run->params.lnoncollinear = sr->params.lnoncollinear;
    run->params.lsorbit = sr->params.lsorbit;
    for (int i = 0; i < sr->nwarnings; i++)
        dp_run_warn(run, "%s", sr->warnings[i]);
}

static dp_status atoms_from_names(ps *s)
{
    dp_run *run = s->run;
    int n = s->max_file_atom > s->max_state_atom ? s->max_file_atom : s->max_state_atom;
    if (s->lowdin_atoms > n)
        n = s->lowdin_atoms;
    if (n < 1) { /* a pdos_tot alone: a total DOS without atoms */
        dp_run_warn(run, "%s: no atoms: no pdos_atm files and no state list", s->path);
        return DP_OK;
    }
    for (int a = 1; a <= n; a++)
        if (!atom_label(s, a))
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: atom %d has no pdos file and no structure "
                           "names it (put the pw.x output beside the files, or give "
                           "--structure)", s->path, a);
    char (*sym)[4] = malloc((size_t)n * sizeof *sym);
    int *cnt = malloc((size_t)n * sizeof *cnt);
    if (!sym || !cnt) {
        free(sym);
        free(cnt);
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    }
    int nt = 0;
    const char *prev = NULL;
    for (int a = 1; a <= n; a++) {
        const char *lab = atom_label(s, a);
        if (prev && !strcmp(prev, lab)) {
            cnt[nt - 1]++;
        } else {
            label_element(lab, sym[nt]);
            cnt[nt++] = 1;
        }
        prev = lab;
    }
    dp_status st = dp_run_set_species(run, nt, sym, cnt, s->err);
    free(sym);
    free(cnt);
    return st;
}

typedef struct {
    char path[1400];
    double rank;
} cand_t;

static int cmp_cand(const void *a, const void *b)
{
    double x = ((const cand_t *)a)->rank, y = ((const cand_t *)b)->rank;
    return (x < y) - (x > y);
}

static dp_status load_atoms(ps *s)
{
    dp_run *run = s->run;
    dp_read_opts o = {.skip_dos = true, .species = s->opts.species};
    char why[300];
    if (s->opts.structure) {
        const char *p = s->opts.structure;
        dp_run *sr = NULL;
        dp_error e2 = {0};
        if (dp_path_is_dir(p))
            return dp_fail(s->err, DP_ERR_USAGE, "%s: the structure given for it, %s, is a "
                           "directory (give a pw.x output or data-file-schema.xml)", s->path, p);
        dp_status st = dp_read(p, &o, &sr, &e2);
        if (st)
            return dp_fail(s->err, st, "%s", e2.msg);
        structure_fits(s, sr, why, sizeof why);
        if (!strcmp(sr->program, "projwfc.x") || why[0]) {
            dp_run_free(sr);
            return dp_fail(s->err, DP_ERR_USAGE, "%s: %s is not the structure of this run%s%s",
                           s->path, p, why[0] ? ": " : "", why);
        }
        take_structure(s, sr, p);
        dp_run_free(sr);
        return DP_OK;
    }
    /* candidates beside the files, in this order: pw.out, the other pw.x outputs
     * (newest first: an nscf run comes after its scf), data-file-schema.xml, the
     * *.save ones */
    enum { MAXC = 64 };
    cand_t *cand = malloc(MAXC * sizeof *cand);
    if (!cand)
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    int nc = 0;
    snprintf(cand[nc].path, sizeof cand[0].path, "%s/pw.out", s->dir);
    cand[nc++].rank = 3e18;
    snprintf(cand[nc].path, sizeof cand[0].path, "%s/data-file-schema.xml", s->dir);
    cand[nc++].rank = -1;
    DIR *d = opendir(s->dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && nc < MAXC) {
        size_t n = strlen(e->d_name);
        struct stat st;
        snprintf(cand[nc].path, sizeof cand[0].path, "%s/%s", s->dir, e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".save")) {
            snprintf(cand[nc].path + strlen(cand[nc].path), 32, "/data-file-schema.xml");
            cand[nc++].rank = -2;
        } else if (n > 4 && !strcmp(e->d_name + n - 4, ".out") && strcmp(e->d_name, "pw.out") &&
                   !stat(cand[nc].path, &st) && S_ISREG(st.st_mode) &&
                   pj_head_has(cand[nc].path, "Program PWSCF")) {
            cand[nc++].rank = (double)st.st_mtime;
        }
    }
    if (d)
        closedir(d);
    qsort(cand, (size_t)nc, sizeof *cand, cmp_cand);
    for (int k = 0; k < nc; k++) {
        if (!dp_path_is_file(cand[k].path))
            continue;
        dp_run *sr = NULL;
        dp_error e2 = {0};
        if (dp_read(cand[k].path, &o, &sr, &e2) != DP_OK) {
            dp_run_warn(run, "%s: structure beside it not used: %s", s->path, e2.msg);
            continue;
        }
        structure_fits(s, sr, why, sizeof why);
        if (why[0] || !strcmp(sr->program, "projwfc.x")) {
            dp_run_warn(run, "%s: skipped %s: %s", s->path, cand[k].path,
                        why[0] ? why : "not a pw.x run");
            dp_run_free(sr);
            continue;
        }
        take_structure(s, sr, cand[k].path);
        dp_run_free(sr);
        free(cand);
        return DP_OK;
    }
    free(cand);
    dp_run_warn(run, "%s: no usable pw.x output or data-file-schema.xml beside it: atoms and elements "
                "are taken from the pdos file names; there is no structure and no Fermi level "
                "(give --structure, --efermi)", s->path);
    return atoms_from_names(s);
}

/* ---- the DOS ------------------------------------------------------------------- */

enum { SPIN1, LSDA, NCL, SO };

static void cumtrapz(const double *e, const double *y, double *out, int n)
{
    out[0] = 0;
    for (int i = 1; i < n; i++)
        out[i] = out[i - 1] + 0.5 * (e[i] - e[i - 1]) * (y[i] + y[i - 1]);
}

static dp_status check_grid(ps *s, const char *path, const table *t)
{
    const dp_dos *d = &s->run->dos;
    /* the file that set the grid */
    const char *ref = dp_path_base(s->tot_path[0] ? s->tot_path : s->files[0].path);
    if (t->nrows != d->nedos)
        return dp_fail(s->err, t->nrows < d->nedos ? DP_ERR_INCOMPLETE : DP_ERR_FORMAT,
                       "%s: %ld energies, %s has %d: %s", path, t->nrows, ref, d->nedos,
                       t->nrows < d->nedos ? "the file is cut off" : "not the same grid");
    if (!t->v)
        return DP_OK;
    for (int i = 0; i < d->nedos; i++)
        if (fabs(t->v[(size_t)i * t->ncols] - d->energy[i]) > 1e-9)
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %d: energy %.3f eV, %s has %.3f eV "
                           "there: the energy grids differ", path, i + 2,
                           t->v[(size_t)i * t->ncols], ref, d->energy[i]);
    return DP_OK;
}

static dp_status set_grid(ps *s, const table *t)
{
    dp_dos *d = &s->run->dos;
    if (t->nrows > 100000000)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: too many energies", s->path);
    d->nedos = (int)t->nrows;
    s->run->params.nedos = d->nedos;
    if (!t->v)
        return DP_OK;
    d->energy = malloc((size_t)d->nedos * sizeof *d->energy);
    if (!d->energy)
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    for (int i = 0; i < d->nedos; i++)
        d->energy[i] = t->v[(size_t)i * t->ncols];
    for (int i = 1; i < d->nedos; i++)
        if (!(d->energy[i] > d->energy[i - 1]))
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %d: the energies do not increase",
                           s->tot_path[0] ? s->tot_path : s->files[0].path, i + 2);
    return DP_OK;
}

static dp_status read_total(ps *s, int mode, const table *t)
{
    dp_dos *d = &s->run->dos;
    int want = mode == LSDA ? 5 : mode == NCL ? 4 : 3;
    if (t->ncols != want)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: %d columns, expected %d for %s", s->tot_path,
                       t->ncols, want, mode == LSDA ? "a spin-polarised run (E dosup dosdw "
                       "pdosup pdosdw)" : mode == NCL ? "a noncollinear run (E dos pdosup "
                       "pdosdw)" : "E dos pdos");
    if (!t->v) {
        s->run->has_dos = true;
        return DP_OK;
    }
    size_t n = (size_t)d->ncomp * d->nedos;
    d->total = malloc(n * sizeof *d->total);
    d->integrated = malloc(n * sizeof *d->integrated);
    if (!d->total || !d->integrated)
        return dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
    for (size_t k = 0; k < n; k++)
        d->total[k] = d->integrated[k] = NAN;
    int nsum = mode == LSDA ? 2 : 1;
    for (int c = 0; c < nsum; c++) {
        for (int i = 0; i < d->nedos; i++)
            d->total[(size_t)c * d->nedos + i] = t->v[(size_t)i * t->ncols + 1 + c];
        cumtrapz(d->energy, d->total + (size_t)c * d->nedos,
                 d->integrated + (size_t)c * d->nedos, d->nedos);
    }
    s->run->has_dos = true;
    return DP_OK;
}

/* Adds one wavefunction file into its atom's block. */
static void scatter(ps *s, const pfile *pf, int mode, const table *t, double *blk)
{
    const dp_dos *d = &s->run->dos;
    int nm = mode == SO ? pf->j2 + 1 : 2 * pf->l + 1;
    for (int m = 0; m < nm; m++) {
        int o = mode == SO ? pf->l : QE2VASP[pf->l][m];
        for (int i = 0; i < d->nedos; i++) {
            const double *row = t->v + (size_t)i * t->ncols;
            if (mode == SPIN1 || mode == SO) {
                blk[(size_t)o * d->nedos + i] += row[2 + m];
                continue;
            }
            double up = row[3 + 2 * m], dw = row[4 + 2 * m];
            if (mode == LSDA) {
                blk[(size_t)o * d->nedos + i] += up;
                blk[((size_t)d->norb + o) * d->nedos + i] += dw;
            } else {
                blk[(size_t)o * d->nedos + i] += up + dw;
                blk[((size_t)3 * d->norb + o) * d->nedos + i] += up - dw;
            }
        }
    }
}

static dp_status read_dos(ps *s)
{
    dp_run *run = s->run;
    dp_dos *d = &run->dos;
    bool values = !s->opts.skip_dos;
    int what = values ? VALUES : COUNT;
    table tot = {0}, t = {0};
    dp_status st = DP_OK;
    /* the layout: from the first wavefunction file's header, pdos_tot's and the names */
    int mode = SPIN1;
    if (s->tot_path[0] && (st = pj_read_table(s->tot_path, what, &tot, s->err)))
        return st;
    if (s->nfiles && (st = pj_read_table(s->files[0].path, HEADER, &t, s->err)))
        goto out;
    bool two = s->nfiles ? t.two_spin : tot.two_spin;
    if (s->spinorb)
        mode = SO;
    else if (two)
        mode = (s->tot_path[0] ? tot.tot_ncl || tot.ncols == 4 : run->params.lnoncollinear)
                   ? NCL : LSDA;
    if (mode == SO && two) {
        st = dp_fail(s->err, DP_ERR_FORMAT, "%s: spin-orbit file names (_j) but up/down columns",
                     s->files[0].path);
        goto out;
    }
    d->ncomp = mode == LSDA ? 2 : mode == NCL ? 4 : 1;
    run->params.ispin = mode == LSDA ? 2 : 1;
    run->params.lnoncollinear = mode == NCL || mode == SO;
    run->params.lsorbit = mode == SO;
    bool has_f = false;
    for (int i = 0; i < s->nfiles; i++)
        has_f |= s->files[i].l == 3;
    if (mode == SO) {
        d->norb = has_f ? 4 : 3;
        for (int o = 0; o < d->norb; o++)
            snprintf(d->orb_names[o], sizeof d->orb_names[o], "%s", SPDF[o]);
        dp_run_warn(run, "%s: spin-orbit projections (|l j m_j>): the projected DOS is resolved "
                    "by l only (s p d%s), and m_x, m_y, m_z are not in the files", s->path,
                    has_f ? " f" : "");
    } else {
        d->norb = s->nfiles ? (has_f ? 16 : 9) : 0;
        for (int o = 0; o < d->norb; o++)
            snprintf(d->orb_names[o], sizeof d->orb_names[o], "%s", LM16[o]);
        if (mode == NCL)
            dp_run_warn(run, "%s: noncollinear run: the files give the charge and m_z parts of "
                        "the projected DOS; m_x, m_y (and the total DOS's m_z) are NaN", s->path);
    }
    if (s->tot_path[0]) {
        if ((st = set_grid(s, &tot)) || (st = read_total(s, mode, &tot)))
            goto out;
    } else {
        table first;
        if ((st = pj_read_table(s->files[0].path, what, &first, s->err)))
            goto out;
        st = set_grid(s, &first);
        free(first.v);
        if (st)
            goto out;
        dp_run_warn(run, "%s: no %s.pdos_tot: no total DOS", s->path, s->prefix);
    }
    if (!s->nfiles)
        goto out;
    if (values && !(d->pdos = calloc((size_t)run->natoms, sizeof *d->pdos))) {
        st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
        goto out;
    }
    size_t blk_n = (size_t)d->ncomp * d->norb * d->nedos;
    long overflows = tot.overflows;
    for (int i = 0; i < s->nfiles && !st; i++) {
        const pfile *pf = &s->files[i];
        int a = pf->atom - 1;
        if (a >= run->natoms) {
            st = dp_fail(s->err, DP_ERR_FORMAT, "%s: atom %d, but the run has %d atoms", pf->path,
                         pf->atom, run->natoms);
            break;
        }
        bool keep = !s->opts.keep_atom || s->opts.keep_atom(run, a, s->opts.keep_ud);
        if (!keep)
            continue;
        free(t.v);
        if ((st = pj_read_table(pf->path, what, &t, s->err)))
            break;
        overflows += t.overflows;
        int nm = mode == SO ? pf->j2 + 1 : 2 * pf->l + 1;
        int want = mode == SPIN1 || mode == SO ? 2 + nm : 3 + 2 * nm;
        if (t.ncols != want || (mode != SO && t.two_spin != (mode != SPIN1))) {
            st = dp_fail(s->err, DP_ERR_FORMAT, "%s: %d columns, expected %d (E, %s)", pf->path,
                         t.ncols, want, mode == SPIN1 ? "ldos, pdos for each m" : mode == SO ?
                         "ldos, pdos for each m_j" : "ldosup, ldosdw, pdosup pdosdw for each m");
            break;
        }
        if ((st = check_grid(s, pf->path, &t)))
            break;
        if (!values)
            continue;
        if (!d->pdos[a]) {
            if (!(d->pdos[a] = calloc(blk_n, sizeof **d->pdos))) {
                st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->path);
                break;
            }
            if (mode == NCL) /* m_x, m_y: not in the files */
                for (size_t k = (size_t)d->norb * d->nedos; k < 3 * (size_t)d->norb * d->nedos; k++)
                    d->pdos[a][k] = NAN;
        }
        scatter(s, pf, mode, &t, d->pdos[a]);
    }
    if (st)
        goto out;
    run->has_pdos = true;
    if (overflows)
        dp_run_warn(run, "%s: %ld number field(s) overflowed (\"****\") and were read as NaN",
                    s->path, overflows);
    /* wavefunctions of the state list without a file: their l columns are NaN */
    char missing[400] = "";
    int nmiss = 0;
    for (int k = 0; k < s->nstates; k++) {
        const state *stt = &s->states[k];
        const pfile *f = pj_find_file(s, stt->atom, stt->wfc);
        if ((f && f->wfc == stt->wfc) || stt->atom > run->natoms)
            continue;
        if (nmiss++ < 6)
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing),
                     "%satm#%d(%s)_wfc#%d(%c)", nmiss > 1 ? ", " : "", stt->atom, stt->label,
                     stt->wfc, "spdf"[stt->l]);
        double *blk = values && d->pdos ? d->pdos[stt->atom - 1] : NULL;
        if (!blk)
            continue;
        for (int m = 0; m < (mode == SO ? 1 : 2 * stt->l + 1); m++) {
            int o = mode == SO ? stt->l : QE2VASP[stt->l][m];
            if (o >= d->norb)
                continue;
            for (int c = 0; c < d->ncomp; c++)
                for (int i = 0; i < d->nedos; i++)
                    blk[((size_t)c * d->norb + o) * d->nedos + i] = NAN;
        }
    }
    if (nmiss)
        dp_run_warn(run, "%s: %d wavefunction file(s) the projwfc.x output lists are missing "
                    "(%s%s): their l columns are NaN", s->path, nmiss, missing,
                    nmiss > 6 ? ", …" : "");
    int noatom = 0;
    for (int a = 0; a < run->natoms; a++)
        noatom += !pj_find_file(s, a + 1, 0);
    if (noatom)
        dp_run_warn(run, "%s: %d atom(s) have no pdos file: their projected DOS is missing",
                    s->path, noatom);
out:
    free(tot.v);
    free(t.v);
    return st;
}

/* ---- entry point ----------------------------------------------------------------- */

static dp_status parse(ps *s)
{
    dp_run *run = s->run;
    const char *path = s->path;
    const char *given_prefix = NULL;
    char prefix_buf[256];
    if (dp_path_is_dir(path)) {
        snprintf(s->dir, sizeof s->dir, "%s", path);
        pj_find_stdout(s);
    } else if (pj_head_has(path, "Program PROJWFC")) {
        dp_path_dir(path, s->dir, sizeof s->dir);
        snprintf(s->stdout_path, sizeof s->stdout_path, "%s", path);
    } else {
        size_t plen;
        pfile pf = {0};
        const char *b = dp_path_base(path);
        if (!pj_parse_name(b, &plen, &pf) || plen >= sizeof prefix_buf)
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: not a projwfc.x file: expected its "
                           "standard output, a directory, or a pdos file named "
                           "FILPDOS.pdos_tot or FILPDOS.pdos_atm#N(El)_wfc#M(l)%s", path,
                           pj_head_has(path, "EFermi") ? " (this looks like a dos.x output, "
                           "which dftpost does not read)" : "");
        snprintf(prefix_buf, sizeof prefix_buf, "%.*s", (int)plen, b);
        given_prefix = prefix_buf;
        dp_path_dir(path, s->dir, sizeof s->dir);
        pj_find_stdout(s);
    }
    dp_status st;
    if (s->stdout_path[0] && (st = pj_read_stdout(s)))
        return st;
    if (!given_prefix && s->stdout_path[0] && !s->xml_prefix[0] && !s->nstates &&
        s->lowdin_atoms == 0 && !dp_path_is_dir(path))
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: a projwfc.x output with no state list and no "
                       "Löwdin charges (cut off at the start?)", path);
    if ((st = pj_find_files(s, given_prefix)))
        return st;
    if (!s->nfiles && !s->tot_path[0]) {
        if (!s->stdout_path[0])
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: no projwfc.x files here (no "
                           "FILPDOS.pdos_* files and no projwfc.x output)", path);
        if (!run->has_charges && s->lowdin_atoms == 0)
            return dp_fail(s->err, DP_ERR_INCOMPLETE, "%s: no pdos files beside it and no Löwdin "
                           "charges in it", s->stdout_path);
        dp_run_warn(run, "%s: no pdos files (FILPDOS.pdos_*) beside it: Löwdin charges only",
                    s->stdout_path);
    }
    if ((st = load_atoms(s)))
        return st;
    if (run->has_charges && s->lowdin_atoms != run->natoms) {
        dp_run_warn(run, "%s: Löwdin charges for %d atoms, the run has %d: not kept",
                    s->stdout_path, s->lowdin_atoms, run->natoms);
        run->has_charges = false;
    }
    if (s->nfiles || s->tot_path[0]) {
        if ((st = read_dos(s)))
            return st;
    }
    run->status.complete = !s->stdout_path[0] || s->stdout_complete;
    if (!run->status.complete) {
        snprintf(run->status.missing, sizeof run->status.missing, "end of the projwfc.x output");
    }
    return DP_OK;
}

static void free_files(ps *s)
{
    for (int i = 0; i < s->nfiles; i++)
        free(s->files[i].path);
    free(s->files);
    free(s->states);
}

dp_status dp_projwfc_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    dp_error local;
    if (!err)
        err = &local;
    ps s = {.path = path, .err = err};
    if (opts)
        s.opts = *opts;
    s.run = calloc(1, sizeof *s.run);
    if (!s.run)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    snprintf(s.run->path, sizeof s.run->path, "%s", path);
    snprintf(s.run->program, sizeof s.run->program, "projwfc.x");
    s.run->params.lorbit = -1;
    s.run->first_frame_step = -1;
    s.run->charges.spilling = NAN;
    dp_status st = parse(&s);
    /* the charges arrays are [lowdin_atoms]; without charges they go */
    if (!s.run->has_charges) {
        free(s.run->charges.total);
        free(s.run->charges.orb);
        free(s.run->charges.up);
        free(s.run->charges.down);
        memset(&s.run->charges, 0, sizeof s.run->charges);
        s.run->charges.spilling = NAN;
    }
    free_files(&s);
    if (st != DP_OK) {
        dp_run_free(s.run);
        return st;
    }
    *out = s.run;
    return DP_OK;
}
