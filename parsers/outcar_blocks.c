/* OUTCAR reader: the magnetization tables and the vibrational modes. */
#include "outcar_reader.h"

/* ---- magnetization ------------------------------------------------------- */

void oc_mag_free(mag_set *m)
{
    free(m->atom);
    free(m->total);
    memset(m, 0, sizeof *m);
}

/* "magnetization (x)" and the like: blank, "# of ion  s p d tot", dashes, natoms
 * rows "i  v...", dashes, "tot  v..." (no dashes/tot row for a single ion). */
oc_result oc_read_mag(oc *s, int comp)
{
    dp_run *run = s->run;
    mag_set *m = &s->mag;
    int natoms = run->natoms;
    if (!run->species)
        return oc_fail(s, DP_ERR_FORMAT, "magnetization table before the atom list");
    int want = run->params.lnoncollinear ? 3 : 1;
    if (comp == 0) {
        oc_mag_free(m);
    } else if (comp != m->ncomp || comp >= want) {
        return OC_OK; /* a (y)/(z) table out of order, or in a collinear run: not ours */
    }
    oc_result rc;
    do {
        if ((rc = oc_next_line(s)))
            return rc;
    } while (oc_is_blank(s->line));
    const char *t = oc_skip_ws(s->line);
    if (!oc_starts(t, "# of ion")) {
        char q[48];
        return oc_fail(s, DP_ERR_FORMAT, "magnetization table: expected \"# of ion\", found \"%s\"",
                    oc_quote(t, 40, q, sizeof q));
    }
    char cols[MAX_MAG_COLS][4];
    int ncols = 0;
    for (const char *p = oc_skip_ws(t + 8); *p; p = oc_skip_ws(p)) {
        size_t w = strcspn(p, " ");
        if (ncols == MAX_MAG_COLS || w > 3)
            return oc_fail(s, DP_ERR_FORMAT, "magnetization table: unexpected columns \"%.60s\"", t);
        memcpy(cols[ncols], p, w);
        cols[ncols++][w] = '\0';
        p += w;
    }
    if (ncols < 1 || strcmp(cols[ncols - 1], "tot") != 0)
        return oc_fail(s, DP_ERR_FORMAT, "magnetization table: the last column is not \"tot\"");
    if (comp == 0) {
        m->ncomp_want = want;
        m->ncols = ncols;
        memcpy(m->cols, cols, sizeof cols);
        m->atom = calloc((size_t)want * (size_t)natoms * (size_t)ncols, sizeof *m->atom);
        m->total = calloc((size_t)want * (size_t)ncols, sizeof *m->total);
        if (!m->atom || !m->total)
            return oc_fail(s, DP_ERR_NOMEM, "out of memory for the magnetization");
    } else if (ncols != m->ncols) {
        return oc_fail(s, DP_ERR_FORMAT, "magnetization tables with %d and %d columns", m->ncols,
                    ncols);
    }
    if ((rc = oc_next_line(s)))
        return rc;
    if (!oc_is_dashes(s->line))
        oc_push_back(s);
    double *dst = m->atom + (size_t)comp * (size_t)natoms * (size_t)ncols;
    for (int i = 0; i < natoms; i++) {
        if ((rc = oc_block_row(s, i, natoms, "the magnetization table")))
            return rc;
        const char *p = oc_skip_ws(s->line);
        char *end;
        long idx = strtol(p, &end, 10);
        if (end == p || idx != i + 1 || *end != ' ') {
            char q[48];
            return oc_fail(s, DP_ERR_FORMAT, "magnetization table: expected the row of ion %d, "
                        "found \"%s\"", i + 1, oc_quote(p, 40, q, sizeof q));
        }
        char what[64];
        snprintf(what, sizeof what, "magnetization of ion %d", i + 1);
        if ((rc = oc_numbers_exact(s, end, dst + (size_t)i * (size_t)ncols, ncols, what)))
            return rc;
    }
    double *tot = m->total + (size_t)comp * (size_t)ncols;
    do {
        if ((rc = oc_next_line(s)))
            return rc;
    } while (oc_is_blank(s->line));
    if (oc_is_dashes(s->line)) {
        if ((rc = oc_next_line(s)))
            return rc;
        t = oc_skip_ws(s->line);
        if (!oc_starts(t, "tot"))
            return oc_fail(s, DP_ERR_FORMAT, "magnetization table: expected the \"tot\" row");
        if ((rc = oc_numbers_exact(s, t + 3, tot, ncols, "magnetization \"tot\" row")))
            return rc;
    } else if (natoms == 1) {
        oc_push_back(s); /* VASP prints no total for one ion */
        memcpy(tot, dst, (size_t)ncols * sizeof *tot);
    } else {
        return oc_fail(s, DP_ERR_FORMAT, "magnetization table has more rows than NIONS = %d", natoms);
    }
    m->ncomp = comp + 1;
    if (m->ncomp == m->ncomp_want) {
        dp_magnetization *d = &run->mag;
        free(d->atom);
        free(d->total);
        d->ncols = m->ncols;
        memcpy(d->cols, m->cols, sizeof d->cols);
        d->ncomp = m->ncomp;
        d->atom = m->atom;
        d->total = m->total;
        m->atom = m->total = NULL;
        m->ncomp = 0;
        run->has_mag = true;
    }
    return OC_OK;
}

/* ---- vibrational modes --------------------------------------------------- */

typedef struct {
    int n, cap;
    bool *imag;
    double *thz, *cm1, *mev;
    double *disp;      /* [disp_cap][natoms][3], grown as rows arrive */
    int disp_cap;
    bool disp_ok;
} modes_acc;

static void modes_acc_free(modes_acc *a)
{
    free(a->imag);
    free(a->thz);
    free(a->cm1);
    free(a->mev);
    free(a->disp);
    memset(a, 0, sizeof *a);
}

/* "   1 f  =  108.762017 THz   683.371905 2PiTHz 3627.910256 cm-1   449.803706 meV"
 * or "  10 f/i= ...". A number may touch the unit before it ("2PiTHz13912.749672
 * cm-1"). Returns 1 for such a line, 0 for a line that is not one, -1 for one
 * that starts like it but does not go on right. */
static int mode_header(oc *s, const char *t, long *idx, bool *imag, double v[4])
{
    char *end;
    long i = strtol(t, &end, 10);
    if (end == t || i < 1 || *end != ' ')
        return 0;
    const char *p = oc_skip_ws(end);
    if (oc_starts(p, "f/i=")) {
        *imag = true;
        p += 4;
    } else if (*p == 'f') {
        p = oc_skip_ws(p + 1);
        if (*p != '=')
            return 0;
        *imag = false;
        p++;
    } else {
        return 0;
    }
    static const char *const units[4] = {"THz", "2PiTHz", "cm-1", "meV"};
    for (int k = 0; k < 4; k++) {
        p = oc_skip_ws(p);
        bool stars;
        if (!oc_number_field(s, &p, &v[k], &stars))
            return -1;
        p = oc_skip_ws(p);
        size_t ul = strlen(units[k]);
        if (strncmp(p, units[k], ul) != 0)
            return -1;
        p += ul;
        if (k == 3 && *p && *p != ' ')
            return -1;
    }
    *idx = i > 2147483647L ? 2147483647L : i;
    return 1;
}

static oc_result modes_grow(oc *s, modes_acc *a)
{
    if (a->n < a->cap)
        return OC_OK;
    if (a->cap > MAX_ATOMS * 3)
        return oc_fail(s, DP_ERR_FORMAT, "too many vibrational modes");
    int cap = a->cap ? a->cap * 2 : 16;
    void *p;
    if (!(p = realloc(a->imag, (size_t)cap * sizeof *a->imag)))
        goto oom;
    a->imag = p;
    if (!(p = realloc(a->thz, (size_t)cap * sizeof *a->thz)))
        goto oom;
    a->thz = p;
    if (!(p = realloc(a->cm1, (size_t)cap * sizeof *a->cm1)))
        goto oom;
    a->cm1 = p;
    if (!(p = realloc(a->mev, (size_t)cap * sizeof *a->mev)))
        goto oom;
    a->mev = p;
    a->cap = cap;
    return OC_OK;
oom:
    return oc_fail(s, DP_ERR_NOMEM, "out of memory for vibrational modes");
}

static oc_result read_modes_block(oc *s, modes_acc *a)
{
    dp_run *run = s->run;
    int natoms = run->natoms;
    oc_result rc;
    a->disp_ok = true;
    bool first = true;
    for (;;) {
        do {
            if ((rc = oc_next_line(s)))
                return rc;
        } while (oc_is_blank(s->line));
        const char *t = oc_skip_ws(s->line);
        if (first && oc_is_dashes(t)) {
            first = false;
            continue;
        }
        first = false;
        long idx;
        bool imag;
        double v[4];
        int h = mode_header(s, t, &idx, &imag, v);
        if (h < 0) {
            char q[64];
            return oc_fail(s, DP_ERR_FORMAT, "vibrational mode: cannot read \"%s\" (expected "
                        "\"N f  = x THz x 2PiTHz x cm-1 x meV\")", oc_quote(t, 60, q, sizeof q));
        }
        if (h == 0) {
            oc_push_back(s); /* the block is over */
            return OC_OK;
        }
        if (idx != a->n + 1)
            return oc_fail(s, DP_ERR_FORMAT, "vibrational mode %ld where mode %d was expected", idx,
                        a->n + 1);
        if ((rc = modes_grow(s, a)))
            return rc;
        int m = a->n;
        a->imag[m] = imag;
        a->thz[m] = v[0];
        a->cm1[m] = v[2];
        a->mev[m] = v[3];
        if ((rc = oc_next_line(s)))
            return rc;
        t = oc_skip_ws(s->line);
        if (!oc_starts(t, "X"))
            return oc_fail(s, DP_ERR_FORMAT, "vibrational mode %d: expected the \"X Y Z dx dy dz\" "
                        "header", m + 1);
        int rows = 0;
        for (;;) {
            if ((rc = oc_next_line(s)))
                return rc;
            if (oc_is_blank(s->line))
                break;
            double r[6];
            char what[64];
            snprintf(what, sizeof what, "vibrational mode %d, row %d", m + 1, rows + 1);
            if ((rc = oc_numbers_exact(s, s->line, r, 6, what)))
                return rc;
            if (a->disp_ok && rows < natoms && rows == 0 && m >= a->disp_cap) {
                /* room for this mode's rows once its first row is there */
                int cap = a->disp_cap ? a->disp_cap * 2 : 1;
                void *p = realloc(a->disp, (size_t)cap * (size_t)natoms * 3 * sizeof *a->disp);
                if (!p)
                    return oc_fail(s, DP_ERR_NOMEM, "out of memory for vibrational modes");
                a->disp = p;
                a->disp_cap = cap;
            }
            if (a->disp_ok && rows < natoms)
                memcpy(a->disp + ((size_t)m * (size_t)natoms + (size_t)rows) * 3, r + 3,
                       3 * sizeof *r);
            rows++;
        }
        if (rows != natoms && a->disp_ok) {
            a->disp_ok = false;
            free(a->disp);
            a->disp = NULL;
            dp_run_warn(run, "%s: line %ld: vibrational mode %d lists %d atoms, NIONS = %d; "
                        "displacements not kept", s->path, s->lineno, m + 1, rows, natoms);
        }
        a->n++;
    }
}

oc_result oc_read_modes(oc *s)
{
    dp_run *run = s->run;
    if (!run->species)
        return oc_fail(s, DP_ERR_FORMAT, "vibrational modes before the atom list");
    modes_acc a = {0};
    oc_result rc = read_modes_block(s, &a);
    if (rc || a.n == 0) {
        modes_acc_free(&a);
        return rc;
    }
    dp_modes *d = &run->modes;
    free(d->imaginary);
    free(d->thz);
    free(d->cm1);
    free(d->mev);
    free(d->disp);
    d->nmodes = a.n;
    d->imaginary = a.imag;
    d->thz = a.thz;
    d->cm1 = a.cm1;
    d->mev = a.mev;
    d->disp = a.disp_ok ? a.disp : NULL;
    if (!a.disp_ok)
        free(a.disp);
    run->has_modes = true;
    return OC_OK;
}
