/* The <dos> block of a vasprun.xml: Fermi level, total and projected DOS.
 * Only the atoms the caller keeps (dp_read_opts.keep_atom) are stored; the others
 * are skipped unread. */
#include "vasprun_reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- DOS ----------------------------------------------------------------- */

typedef struct {
    int part;        /* 1 total, 2 partial */
    int nfields;
    char fields[MAX_FIELDS][16];
    int level;       /* nesting of <set> below <array> */
    int ion;         /* partial: 0-based ion of the current ion set */
    int comp;        /* spin component of the current set */
    int row;
    double *dst;     /* partial: this ion's [ncomp][norb][nedos] block, or NULL */
    int sets;        /* top-level <set>s seen in the array */
} dos_ctx;

void vr_dos_free(dp_dos *d, int natoms)
{
    free(d->energy);
    free(d->total);
    free(d->integrated);
    if (d->pdos) {
        for (int i = 0; i < natoms; i++)
            free(d->pdos[i]);
        free(d->pdos);
    }
    memset(d, 0, sizeof *d);
}

static vr_result total_row(vr *s, dos_ctx *c, const char *t)
{
    dp_dos *d = &s->run->dos;
    double v[3];
    int n = vr_parse_numbers(s, t, v, 3);
    if (n != 3)
        return vr_fail(s, DP_ERR_FORMAT, "total DOS row: expected 3 numbers (energy, total, "
                    "integrated), found %s", n < 0 ? "a non-number" : "another count");
    if (c->comp == 0) {
        if (c->row >= MAX_NEDOS)
            return vr_fail(s, DP_ERR_FORMAT, "more than %d DOS points", MAX_NEDOS);
        if (c->row == d->nedos) { /* grow: NEDOS is not known until the set ends */
            int cap = d->nedos ? d->nedos * 2 : (s->run->params.nedos > 0 ? s->run->params.nedos : 1024);
            double *e = realloc(d->energy, (size_t)cap * sizeof *e);
            if (e)
                d->energy = e;
            double *tt = realloc(d->total, (size_t)cap * sizeof *tt);
            if (tt)
                d->total = tt;
            double *ii = realloc(d->integrated, (size_t)cap * sizeof *ii);
            if (ii)
                d->integrated = ii;
            if (!e || !tt || !ii)
                return vr_fail(s, DP_ERR_NOMEM, "out of memory for the DOS");
            d->nedos = cap;
        }
        d->energy[c->row] = v[0];
    } else if (c->row >= d->nedos) {
        return vr_fail(s, DP_ERR_FORMAT, "total DOS spin %d has more points (%d) than spin 1 (%d)",
                    c->comp + 1, c->row + 1, d->nedos);
    }
    d->total[(size_t)c->comp * d->nedos + c->row] = v[1];
    d->integrated[(size_t)c->comp * d->nedos + c->row] = v[2];
    c->row++;
    return VR_OK;
}

static vr_result partial_row(vr *s, dos_ctx *c, const char *t)
{
    dp_dos *d = &s->run->dos;
    if (c->row >= d->nedos)
        return vr_fail(s, DP_ERR_FORMAT, "projected DOS of ion %d has more than %d points", c->ion + 1,
                    d->nedos);
    double v[DP_MAX_ORB + 1];
    int n = vr_parse_numbers(s, t, v, d->norb + 1);
    if (n != d->norb + 1)
        return vr_fail(s, DP_ERR_FORMAT, "projected DOS row: expected %d numbers, found %s",
                    d->norb + 1, n < 0 ? "a non-number" : "another count");
    for (int o = 0; o < d->norb; o++)
        c->dst[((size_t)c->comp * d->norb + o) * d->nedos + c->row] = v[o + 1];
    c->row++;
    return VR_OK;
}

static vr_result dos_set_child(vr *s, void *ctx, bool *advanced);

/* A <set> below <array>: level 1 is the outer set; the total DOS then has spin
 * sets, the partial DOS ion sets holding spin sets. */
static vr_result dos_set(vr *s, dos_ctx *c)
{
    dp_dos *d = &s->run->dos;
    dp_run *run = s->run;
    c->level++;
    vr_result rc;
    bool spin_set = (c->part == 1 && c->level == 2) || (c->part == 2 && c->level == 3);
    bool ion_set = c->part == 2 && c->level == 2;
    if (ion_set) {
        if (c->ion >= run->natoms)
            return vr_fail(s, DP_ERR_FORMAT, "projected DOS has more ions than the %d atoms",
                        run->natoms);
        size_t cnt = (size_t)d->ncomp * d->norb * d->nedos;
        d->pdos[c->ion] = calloc(cnt ? cnt : 1, sizeof(double));
        if (!d->pdos[c->ion])
            return vr_fail(s, DP_ERR_NOMEM, "out of memory for the projected DOS");
        c->dst = d->pdos[c->ion];
        c->comp = 0;
    }
    if (spin_set) {
        int maxcomp = c->part == 1 ? 4 : d->ncomp;
        if (c->comp >= maxcomp)
            return vr_fail(s, DP_ERR_FORMAT, "more spin components than %d", maxcomp);
        if (c->part == 1 && c->comp > 0) {
            size_t need = (size_t)(c->comp + 1) * d->nedos;
            double *tt = realloc(d->total, need * sizeof *tt);
            if (tt)
                d->total = tt;
            double *ii = realloc(d->integrated, need * sizeof *ii);
            if (ii)
                d->integrated = ii;
            if (!tt || !ii)
                return vr_fail(s, DP_ERR_NOMEM, "out of memory for the DOS");
        }
        c->row = 0;
    }
    rc = vr_children(s, dos_set_child, c);
    if (rc)
        return rc;
    if (spin_set) {
        if (c->part == 1 && c->comp == 0)
            d->nedos = c->row;
        if (c->row != d->nedos)
            return vr_fail(s, DP_ERR_FORMAT, "DOS spin set %d has %d points, expected %d",
                        c->comp + 1, c->row, d->nedos);
        c->comp++;
        if (c->part == 1)
            d->ncomp = c->comp;
    }
    if (ion_set) {
        if (c->comp != d->ncomp)
            return vr_fail(s, DP_ERR_FORMAT, "projected DOS of ion %d has %d spin sets, the total "
                        "DOS %d", c->ion + 1, c->comp, d->ncomp);
        c->ion++;
    }
    c->level--;
    return VR_OK;
}

static vr_result dos_set_child(vr *s, void *ctx, bool *advanced)
{
    dos_ctx *c = ctx;
    if (vr_is_start(s, "set")) {
        if (c->part == 2 && c->level == 1 && s->opts.keep_atom && c->ion < s->run->natoms &&
            !s->opts.keep_atom(s->run, c->ion, s->opts.keep_ud)) {
            c->ion++; /* an atom nobody asked for: not even tokenised into numbers */
            return vr_skip_child(s, advanced);
        }
        return dos_set(s, c);
    }
    if (vr_is_start(s, "r")) {
        const char *t;
        vr_result rc = vr_leaf_text(s, &t);
        if (rc)
            return rc;
        bool row_level = (c->part == 1 && c->level == 2) || (c->part == 2 && c->level == 3);
        if (!row_level)
            return vr_fail(s, DP_ERR_FORMAT, "DOS row outside a spin set");
        return c->part == 1 ? total_row(s, c, t) : partial_row(s, c, t);
    }
    return vr_skip_child(s, advanced);
}

static vr_result dos_array_child(vr *s, void *ctx, bool *advanced)
{
    dos_ctx *c = ctx;
    if (vr_is_start(s, "field")) {
        const char *t;
        vr_result rc = vr_leaf_text(s, &t);
        if (rc)
            return rc;
        if (c->nfields >= MAX_FIELDS)
            return vr_fail(s, DP_ERR_FORMAT, "too many <field>s in a DOS array");
        vr_trim_copy(c->fields[c->nfields++], sizeof c->fields[0], t);
        return VR_OK;
    }
    if (vr_is_start(s, "set")) {
        dp_dos *d = &s->run->dos;
        if (c->sets++)
            return vr_fail(s, DP_ERR_FORMAT, "a DOS array with more than one top-level <set>");
        if (c->part == 2) {
            if (c->nfields < 2 || c->nfields - 1 > DP_MAX_ORB)
                return vr_fail(s, DP_ERR_FORMAT, "projected DOS has %d orbital fields (1..%d allowed)",
                            c->nfields - 1, DP_MAX_ORB);
            d->norb = c->nfields - 1;
            for (int o = 0; o < d->norb; o++)
                snprintf(d->orb_names[o], sizeof d->orb_names[o], "%.7s", c->fields[o + 1]);
            d->pdos = calloc((size_t)s->run->natoms, sizeof *d->pdos);
            if (!d->pdos)
                return vr_fail(s, DP_ERR_NOMEM, "out of memory for the projected DOS");
        } else if (c->nfields != 3) {
            return vr_fail(s, DP_ERR_FORMAT, "total DOS has %d fields, expected energy, total, "
                        "integrated", c->nfields);
        }
        c->level = 0;
        return dos_set(s, c);
    }
    return vr_skip_child(s, advanced);
}

static vr_result dos_part_child(vr *s, void *ctx, bool *advanced)
{
    if (vr_is_start(s, "array"))
        return vr_children(s, dos_array_child, ctx);
    return vr_skip_child(s, advanced);
}

static vr_result dos_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    dp_run *run = s->run;
    if (vr_is_start(s, "i") && vr_attr_is(s, "name", "efermi")) {
        vr_result rc = vr_leaf_number(s, &run->efermi);
        if (!rc)
            run->has_efermi = !isnan(run->efermi);
        return rc;
    }
    if (vr_is_start(s, "total")) {
        if (s->opts.skip_dos) {
            vr_result rc = vr_skip_child(s, advanced);
            run->has_dos = rc == VR_OK;
            return rc;
        }
        dos_ctx c = {.part = 1};
        vr_result rc = vr_children(s, dos_part_child, &c);
        if (rc)
            return rc;
        if (run->dos.nedos < 2 || run->dos.ncomp < 1)
            return vr_fail(s, DP_ERR_FORMAT, "total DOS has %d points", run->dos.nedos);
        if (run->dos.ncomp == 3)
            return vr_fail(s, DP_ERR_FORMAT, "total DOS has 3 spin sets (1, 2 or 4 expected)");
        run->has_dos = true;
        return VR_OK;
    }
    if (vr_is_start(s, "partial")) {
        if (s->opts.skip_dos) {
            vr_result rc = vr_skip_child(s, advanced);
            run->has_pdos = rc == VR_OK;
            return rc;
        }
        if (!run->has_dos)
            return vr_fail(s, DP_ERR_FORMAT, "projected DOS before the total DOS");
        dos_ctx c = {.part = 2};
        vr_result rc = vr_children(s, dos_part_child, &c);
        if (rc)
            return rc;
        if (c.ion != run->natoms)
            return vr_fail(s, DP_ERR_FORMAT, "projected DOS lists %d ions, the run has %d", c.ion,
                        run->natoms);
        run->has_pdos = true;
        return VR_OK;
    }
    return vr_skip_child(s, advanced);
}

vr_result vr_read_dos(vr *s)
{
    dp_run *run = s->run;
    if (!run->natoms)
        return vr_fail(s, DP_ERR_FORMAT, "<dos> before <atominfo>");
    /* a later DOS replaces an earlier one */
    vr_dos_free(&run->dos, run->natoms);
    run->has_dos = run->has_pdos = false;
    s->in_dos = true;
    vr_result rc = vr_children(s, dos_child, NULL);
    if (rc == VR_OK)
        s->in_dos = false;
    return rc;
}
