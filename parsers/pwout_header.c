/* pw.x output reader: the header: counts, alat and the crystal axes, the
 * pseudopotential files, the species table and the initial positions. */
#include "pwout_reader.h"

/* ---- the header ---------------------------------------------------------- */

pw_result pw_read_count(pw *s, const char *t, long max, long *out, const char *what)
{
    double v;
    pw_result rc = pw_value_after_eq(s, t, &v, what);
    if (rc)
        return rc;
    if (!(v >= 1 && v <= (double)max) || v != floor(v))
        return pw_fail(s, DP_ERR_FORMAT, "%s = %g is out of range [1, %ld]", what, v, max);
    if (*out && *out != (long)v)
        return pw_fail(s, DP_ERR_FORMAT, "%s changes from %ld to %ld", what, *out, (long)v);
    *out = (long)v;
    return PW_OK;
}

static pw_result need_counts(pw *s, const char *what)
{
    if (!s->nat || !s->ntyp)
        return pw_fail(s, DP_ERR_FORMAT, "%s before \"number of atoms/cell\" and \"number of "
                       "atomic types\"", what);
    return PW_OK;
}

/* "crystal axes: (cart. coord. in units of alat)": a(1) = (  x  y  z ), three rows. */
pw_result pw_read_axes(pw *s)
{
    double ax[3][3];
    for (int i = 0; i < 3; i++) {
        pw_result rc = pw_next_row(s, "crystal axes");
        if (rc)
            return rc;
        const char *p = strstr(s->line, "= (");
        double v[4];
        if (!p || pw_scan_numbers(s, p + 3, v, 3, NULL) != 3) {
            char q[64];
            return pw_fail(s, DP_ERR_FORMAT, "crystal axis a(%d): expected \"a(%d) = ( x y z )\", "
                           "found \"%s\"", i + 1, i + 1, pw_quote(s->line, 60, q, sizeof q));
        }
        memcpy(ax[i], v, sizeof ax[i]);
    }
    memcpy(s->axes, ax, sizeof ax);
    s->have_axes = true;
    if (s->atoms_ready && s->have_alat) /* printed again (vc-relax final scf) */
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++)
                s->lattice[i][k] = ax[i][k] * s->alat * BOHR_ANGS;
    return PW_OK;
}

/* "PseudoPot. # 1 for O  read from file:" and the file on the next line. */
pw_result pw_on_pseudo(pw *s, const char *t)
{
    pw_result rc = need_counts(s, "a \"PseudoPot.\" line");
    if (rc)
        return rc;
    const char *p = strchr(t, '#');
    char *end;
    long k = p ? strtol(p + 1, &end, 10) : 0;
    if (k < 1 || k > s->ntyp)
        return PW_OK; /* "#**" for a hundredth species: no file name kept */
    if (!s->psfile) {
        s->psfile = calloc((size_t)s->ntyp, sizeof *s->psfile);
        if (!s->psfile)
            return pw_fail(s, DP_ERR_NOMEM, "out of memory");
    }
    const char *f = strstr(t, "read from file");
    if (f && (f = strchr(f, ':')) && *pw_skip_ws(f + 1)) { /* the file on the same line */
        f = pw_skip_ws(f + 1);
    } else {
        s->pseudo_next = (int)k - 1;
        return PW_OK;
    }
    const char *base = strrchr(f, '/');
    snprintf(s->psfile[k - 1], sizeof s->psfile[k - 1], "%.79s", base ? base + 1 : f);
    return PW_OK;
}

/* "atomic species   valence    mass     pseudopotential": one row per species,
 * "   Fe1            8.00    55.84500     Fe( 1.00)". */
pw_result pw_read_species(pw *s)
{
    pw_result rc = need_counts(s, "the species table");
    if (rc)
        return rc;
    if (s->types)
        return PW_OK; /* printed again: the first one stands */
    s->types = calloc((size_t)s->ntyp, sizeof *s->types);
    if (!s->types)
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld species", s->ntyp);
    for (long i = 0; i < s->ntyp; i++) {
        if ((rc = pw_next_row(s, "species table")))
            return rc;
        char q[64];
        const char *t = pw_skip_ws(s->line);
        size_t w = strcspn(t, " ");
        if (!*t || w >= sizeof s->types[i].label)
            return pw_fail(s, DP_ERR_FORMAT, "species table has %ld rows, \"number of atomic "
                           "types\" = %ld (found \"%s\")", i, s->ntyp,
                           pw_quote(t, 40, q, sizeof q));
        pw_type *ty = &s->types[i];
        memcpy(ty->label, t, w);
        ty->label[w] = '\0';
        double v[3];
        const char *rest;
        if (pw_scan_numbers(s, t + w, v, 2, &rest) != 2)
            return pw_fail(s, DP_ERR_FORMAT, "species %s: expected label, valence, mass, found "
                           "\"%s\"", ty->label, pw_quote(t, 60, q, sizeof q));
        ty->zval = v[0];
        ty->mass = v[1];
        /* the element the pseudopotential declares, "Fe( 1.00)" or "O ( 1.00)" */
        rest = pw_skip_ws(rest);
        size_t pl = strcspn(rest, "( ");
        char psd[4] = "";
        if (pl >= 1 && pl <= 2 && isalpha((unsigned char)rest[0]) &&
            (pl == 1 || isalpha((unsigned char)rest[1]))) {
            psd[0] = (char)toupper((unsigned char)rest[0]);
            psd[1] = pl == 2 ? (char)tolower((unsigned char)rest[1]) : '\0';
        }
        if (psd[0] && dp_covalent_radius(psd) > 0)
            memcpy(ty->symbol, psd, sizeof psd);
        else if (!dp_qe_element(ty->label, ty->symbol))
            return pw_fail(s, DP_ERR_FORMAT, "species %s: no element in its label or in \"%s\"",
                           ty->label, pw_quote(rest, 20, q, sizeof q));
    }
    s->ntypes_read = (int)s->ntyp;
    return PW_OK;
}

static int type_of_label(pw *s, const char *label, bool prefix)
{
    for (int t = 0; t < s->ntypes_read; t++) {
        if (prefix ? (*label && strncmp(s->types[t].label, label, strlen(label)) == 0)
                   : strcmp(s->types[t].label, label) == 0)
            return t;
    }
    return -1;
}

/* Sets up species and atoms from the types and the labels of the site table. */
static pw_result setup_atoms(pw *s, const int *type)
{
    dp_run *run = s->run;
    long nat = s->nat;
    for (long a = 0; a < nat; a++)
        s->types[type[a]].count++;
    char (*sym)[4] = malloc((size_t)s->ntyp * sizeof *sym);
    int *cnt = malloc((size_t)s->ntyp * sizeof *cnt);
    if (!sym || !cnt) {
        free(sym);
        free(cnt);
        return pw_fail(s, DP_ERR_NOMEM, "out of memory");
    }
    for (long t = 0; t < s->ntyp; t++) {
        memcpy(sym[t], s->types[t].symbol, 4);
        cnt[t] = s->types[t].count;
    }
    dp_status st = dp_run_set_species(run, (int)s->ntyp, sym, cnt, s->err);
    free(sym);
    free(cnt);
    if (st != DP_OK) {
        s->fail_code = st;
        return PW_FAIL;
    }
    for (long a = 0; a < nat; a++)
        run->atom_type[a] = type[a];
    for (long t = 0; t < s->ntyp; t++) {
        dp_species *sp = &run->species[t];
        sp->zval = s->types[t].zval;
        sp->mass = s->types[t].mass;
        if (s->psfile && s->psfile[t][0])
            snprintf(sp->potential, sizeof sp->potential, "%s", s->psfile[t]);
    }
    s->frac = calloc((size_t)nat, sizeof *s->frac);
    s->site_tmp = calloc(3 * (size_t)nat, sizeof *s->site_tmp);
    s->fl.site_val = calloc(3 * (size_t)nat, sizeof *s->fl.site_val);
    if (!s->frac || !s->site_tmp || !s->fl.site_val)
        return pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", nat);
    s->atoms_ready = true;
    return PW_OK;
}

/* "site n.     atom                  positions (alat units)", then
 * "     1           O   tau(   1) = (   0.5000000   0.5000000   0.4385000  )". */
pw_result pw_read_sites(pw *s)
{
    pw_result rc = need_counts(s, "the atomic positions");
    if (rc)
        return rc;
    if (!s->types)
        return pw_fail(s, DP_ERR_FORMAT, "atomic positions before the species table "
                       "(\"atomic species   valence    mass     pseudopotential\")");
    if (!s->have_alat || !s->have_axes)
        return pw_fail(s, DP_ERR_FORMAT, "atomic positions before %s",
                       !s->have_alat ? "celldm(1)" : "the crystal axes");
    double lat[3][3], inv[3][3];
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            lat[i][k] = s->axes[i][k] * s->alat * BOHR_ANGS;
    if (!dp_qe_cell_inverse(lat, inv))
        return pw_fail(s, DP_ERR_FORMAT, "the crystal axes are degenerate");
    long nat = s->nat;
    /* grown as rows arrive: a file that claims 10^7 atoms and lists two costs
     * nothing */
    long cap = 0;
    int *type = NULL;
    double (*cart)[3] = NULL;
    rc = PW_OK;
    for (long a = 0; a < nat && rc == PW_OK; a++) {
        if (a == cap) {
            cap = cap ? (2 * cap < nat ? 2 * cap : nat) : (nat < 1024 ? nat : 1024);
            int *t2 = realloc(type, (size_t)cap * sizeof *type);
            if (t2)
                type = t2;
            double (*c2)[3] = realloc(cart, (size_t)cap * sizeof *cart);
            if (c2)
                cart = c2;
            if (!t2 || !c2) {
                rc = pw_fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", nat);
                break;
            }
        }
        if ((rc = pw_next_row(s, "atomic positions")))
            break;
        char q[64];
        const char *t = pw_skip_ws(s->line);
        char *end;
        long idx = strtol(t, &end, 10);
        const char *lab = pw_skip_ws(end);
        size_t w = strcspn(lab, " ");
        const char *p = strstr(t, "= (");
        double v[4];
        char label[16];
        if (end == t || idx != a + 1 || !w || w >= sizeof label || !p ||
            pw_scan_numbers(s, p + 3, v, 3, NULL) != 3) {
            if (*t >= '0' && *t <= '9' && idx != a + 1 && end != t && p)
                rc = pw_fail(s, DP_ERR_FORMAT, "atomic positions: row %ld is atom %ld", a + 1, idx);
            else
                rc = pw_fail(s, DP_ERR_FORMAT, "atomic positions have %ld rows, \"number of "
                             "atoms/cell\" = %ld (found \"%s\")", a, nat,
                             pw_quote(t, 50, q, sizeof q));
            break;
        }
        memcpy(label, lab, w);
        label[w] = '\0';
        type[a] = type_of_label(s, label, false);
        if (type[a] < 0) {
            rc = pw_fail(s, DP_ERR_FORMAT, "atom %ld is a \"%s\", which is not in the species "
                         "table", a + 1, label);
            break;
        }
        if (s->atoms_ready && s->run->atom_type[a] != type[a]) {
            rc = pw_fail(s, DP_ERR_FORMAT, "atom %ld is now a \"%s\"", a + 1, label);
            break;
        }
        for (int k = 0; k < 3; k++)
            cart[a][k] = v[k] * s->alat * BOHR_ANGS;
    }
    if (rc == PW_OK && !s->atoms_ready)
        rc = setup_atoms(s, type);
    if (rc == PW_OK) {
        memcpy(s->lattice, lat, sizeof lat);
        for (long a = 0; a < nat; a++)
            dp_cartesian_to_fractional(inv, cart[a], s->frac[a]);
        if (s->run->nframes == 0 && s->run->nsteps == 0)
            rc = pw_commit_frame(s, -1);
        else
            s->geom_dirty = true;
    }
    free(type);
    free(cart);
    return rc;
}

/* ---- settings ------------------------------------------------------------ */

/* One line of the Hubbard parameters; false when the block is over. 6.x:
 *   "atomic species    L          U    alpha       J0     beta" (the column titles)
 *   "   Fe1            2     4.6000   0.0000   0.0000   0.0000"
 * 7.x: "U(Fe1-3d)   =  4.6000" (and J0(...), alpha(...), ... lines, not kept). */
static bool hubbard_row(pw *s, const char *t)
{
    char label[16];
    int l;
    double u;
    if (s->hub_mode == 1) {
        if (pw_starts(t, "atomic species"))
            return true;
        size_t w = strcspn(t, " ");
        char *end;
        const char *p = pw_skip_ws(t + w);
        long lv = strtol(p, &end, 10);
        if (!w || w >= sizeof label || end == p || *end != ' ' || lv < 0 || lv > 3)
            return false;
        p = pw_skip_ws(end);
        u = strtod(p, &end);
        if (end == p)
            return false;
        snprintf(label, sizeof label, "%.*s", (int)w, t);
        l = (int)lv;
    } else {
        const char *open = strchr(t, '('), *close = open ? strchr(open, ')') : NULL;
        const char *eq = close ? strchr(close, '=') : NULL;
        if (!eq || open == t)
            return false;
        if (!pw_starts(t, "U("))
            return true; /* J0(...), alpha(...), ...: still the block */
        const char *dash = NULL;
        for (const char *c = open; c < close; c++)
            if (*c == '-')
                dash = c;
        if (!dash || dash - open - 1 <= 0 || dash - open - 1 >= (long)sizeof label)
            return true;
        snprintf(label, sizeof label, "%.*s", (int)(dash - open - 1), open + 1);
        char orb[8];
        snprintf(orb, sizeof orb, "%.*s", (int)(close - dash - 1 < 7 ? close - dash - 1 : 7),
                 dash + 1);
        l = dp_qe_orbital_l(orb);
        char *end;
        const char *p = pw_skip_ws(eq + 1);
        u = strtod(p, &end);
        if (end == p)
            return true;
    }
    if (s->nhub < (int)(sizeof s->hub / sizeof *s->hub)) {
        snprintf(s->hub[s->nhub].label, sizeof s->hub[0].label, "%s", label);
        s->hub[s->nhub].l = l;
        s->hub[s->nhub].u = u;
        s->nhub++;
    }
    return true;
}

/* Header lines that say how the run was made (until the first SCF begins):
 *   "Exchange-correlation= SLA  PW   PBE  PBE" (5.x/6.x "Exchange-correlation      =
 *   SLA PZ NOGX NOGC ( 1 1 0 0 0 0)"), "kinetic-energy cutoff     =      30.0000  Ry",
 *   "number of k points=     1  Gaussian smearing, width (Ry)=  0.0100" (or
 *   "(tetrahedron method)", or nothing: fixed occupations), "Simplified LDA+U
 *   calculation (l_max = 2) with parameters (eV):" and its table (6.x), "Hubbard
 *   projectors: ..." / "Hubbard parameters of DFT+U ..." and "U(Fe1-3d) = 4.6000"
 *   (7.x), "Full LDA+U calculation", "Parameters for Dispersion (Grimme-D2)
 *   Correction:", "Parameters for DFT-D3 Dispersion Correction", any line naming
 *   "Tkatchenko" (TS) or "MBD". */
void pw_on_header_line(pw *s, const char *t)
{
    if (s->hub_mode && hubbard_row(s, t))
        return;
    s->hub_mode = 0;
    const char *p;
    double v;
    char *end;
    switch (*t) {
    case 'E':
        if (pw_starts(t, "Exchange-correlation") && (p = strchr(t, '=')))
            snprintf(s->xc, sizeof s->xc, "%s", pw_skip_ws(p + 1));
        break;
    case 'k':
        if (pw_starts(t, "kinetic-energy cutoff") && (p = strchr(t, '='))) {
            v = strtod(p + 1, &end);
            if (end != p + 1 && isfinite(v))
                s->ecut_ry = v;
        }
        break;
    case 'n':
        if (pw_starts(t, "number of k points=")) {
            s->kpoints_seen = true;
            s->tetra = strstr(t, "tetrahedron") != NULL;
            if ((p = strstr(t, " smearing, width (Ry)="))) {
                const char *b = p;
                while (b > t && b[-1] != ' ')
                    b--;
                snprintf(s->smearing, sizeof s->smearing, "%.*s",
                         (int)(p - b < 23 ? p - b : 23), b);
                v = strtod(p + 22, &end);
                if (end != p + 22 && isfinite(v))
                    s->degauss_ry = v;
            }
        }
        break;
    case 'S':
        if (pw_starts(t, "Simplified LDA+U calculation"))
            s->hubbard = true, s->hub_mode = 1;
        else if (pw_starts(t, "Self-consistent Calculation"))
            s->hdr_done = true;
        break;
    case 'B':
        if (pw_starts(t, "Band Structure Calculation"))
            s->hdr_done = true;
        break;
    case 'F':
        if (pw_starts(t, "Full LDA+U calculation"))
            s->hubbard = true;
        break;
    case 'H':
        if (pw_starts(t, "Hubbard projectors") || pw_starts(t, "Hubbard parameters"))
            s->hubbard = true, s->hub_mode = 2;
        break;
    case 'P':
        if (pw_starts(t, "Parameters for") && strstr(t, "Dispersion"))
            snprintf(s->vdw, sizeof s->vdw, "%s", strstr(t, "D3") ? "DFT-D3" : "DFT-D2");
        else if (pw_starts(t, "Parameters for") && strstr(t, "XDM"))
            snprintf(s->vdw, sizeof s->vdw, "XDM");
        break;
    default:
        break;
    }
    /* other dispersion corrections, wherever the header names them */
    if (!s->vdw[0] && (strstr(t, "Tkatchenko") || strstr(t, "MBD")))
        snprintf(s->vdw, sizeof s->vdw, "%s", strstr(t, "MBD") ? "MBD" : "TS");
}

/* The run's settings (qe_common.h) from what the header said. Whether DFT+U and a
 * dispersion correction are off is known only once the header is over. */
dp_status pw_settings(pw *s)
{
    dp_run *run = s->run;
    dp_qe_found q = {.version = run->version, .xc = s->xc, .ecutwfc_ry = s->ecut_ry,
                     .degauss_ry = NAN};
    q.spin = s->noncolin ? (s->lsorbit ? 4 : 3) : s->lsda ? 2 : 1;
    if (s->kpoints_seen) {
        q.smearing = s->smearing[0] ? s->smearing : s->tetra ? "tetrahedra" : "fixed";
        if (s->smearing[0])
            q.degauss_ry = s->degauss_ry;
    }
    q.ldau = s->hubbard ? 1 : s->hdr_done ? -1 : 0;
    q.vdw = s->vdw[0] ? s->vdw : s->hdr_done ? "0" : NULL;
    char ldaul[160], ldauu[160];
    if (s->hubbard && s->nhub && s->types && s->ntypes_read == run->ntypes) {
        int l[64];
        double u[64];
        int n = run->ntypes;
        if (n <= 64) {
            for (int t = 0; t < n; t++) {
                l[t] = -1;
                u[t] = 0;
                for (int k = 0; k < s->nhub; k++)
                    if (!strcmp(s->hub[k].label, s->types[t].label))
                        l[t] = s->hub[k].l, u[t] = s->hub[k].u;
            }
            dp_qe_hubbard_lists(n, l, u, ldaul, ldauu, sizeof ldaul);
            q.ldaul = ldaul;
            q.ldauu = ldauu;
        }
    }
    return dp_qe_settings(run, &q, s->err);
}
