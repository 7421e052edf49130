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
