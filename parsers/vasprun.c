/*
 * vasprun.xml reader: one streaming pass with libxml2's xmlTextReader, never a DOM.
 *
 * Memory grows with what is kept (energies per ionic step, the last structure or
 * all of them, the DOS of the atoms asked for), not with the file: the large
 * blocks nobody here needs (eigenvalues, projected eigenvalues, forces, dielectric
 * functions) are skipped with xmlTextReaderNext.
 *
 * A killed run leaves a file that stops anywhere. Everything is committed to the
 * model only when its element closes, so a break keeps exactly what was complete.
 *
 * The e_0_energy fix: some VASP versions write a wrong <energy><i name="e_0_energy">
 * at the end of an ionic step (0.0 in VASP 5.2). As pymatgen's Vasprun.final_energy
 * does, e_sigma0 = e_fr_energy(step) + [e_0_energy − e_fr_energy](last electronic
 * step), rounded to 1e-8, whenever that differs from the written value by > 1e-7.
 * dftpost applies it to every ionic step, not only the last.
 *
 * What VASP 5.x actually writes there is shifted by one field: e_wo_entrp holds
 * the sigma->0 energy and e_0_energy the entropy term -TS (pyiron's H2O run:
 * 83.00851204 and -0.00039255). pymatgen repairs only e_0; dftpost also takes
 * e_noentropy from the last electronic step the same way, so it is E(F) + TS,
 * not the sigma->0 value that pymatgen's ionic_steps["e_wo_entrp"] reports.
 *
 * Settings (dftpost.h, dp_run_setting): from <incar>, what the user wrote (as an INCAR
 * beside an OSZICAR gives them, incar.h), not <parameters>, which lists every default;
 * VERSION from <generator>, POTCAR from atominfo's pseudopotential titles.
 */
#include "dftpost.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "vasprun_reader.h"

static void on_xml_error(void *ud, xmlErrorPtr e)
{
    vr *s = ud;
    if (!e || e->level < XML_ERR_ERROR || s->xml_msg[0])
        return;
    snprintf(s->xml_msg, sizeof s->xml_msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(s->xml_msg);
    while (n && (s->xml_msg[n - 1] == '\n' || s->xml_msg[n - 1] == ' '))
        s->xml_msg[--n] = '\0';
    s->xml_line = xml_input_file_line(&s->in, e->line);
}

static int io_close(void *ctx)
{
    (void)ctx; /* closed by the caller */
    return 0;
}

/* ---- atominfo ------------------------------------------------------------ */

typedef struct {
    int kind;           /* 0 = other array, 1 = "atoms", 2 = "atomtypes" */
    int row;
    int col;
    int nfields;
    char fields[MAX_FIELDS][24];
} atominfo_ctx;

static vr_result atoms_alloc(vr *s, long natoms)
{
    dp_run *run = s->run;
    if (run->natoms)
        return vr_fail(s, DP_ERR_FORMAT, "<atoms> given twice");
    run->natoms = (int)natoms;
    run->atom_type = calloc((size_t)natoms, sizeof *run->atom_type);
    if (!run->atom_type)
        return vr_fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", natoms);
    for (long i = 0; i < natoms; i++)
        run->atom_type[i] = -1;
    return VR_OK;
}

static vr_result types_alloc(vr *s, long ntypes)
{
    dp_run *run = s->run;
    if (run->ntypes)
        return vr_fail(s, DP_ERR_FORMAT, "<types> given twice");
    run->ntypes = (int)ntypes;
    run->species = calloc((size_t)ntypes, sizeof *run->species);
    if (!run->species)
        return vr_fail(s, DP_ERR_NOMEM, "out of memory for %ld types", ntypes);
    for (long t = 0; t < ntypes; t++)
        run->species[t].zval = run->species[t].mass = NAN;
    return VR_OK;
}

static vr_result atominfo_cell(vr *s, atominfo_ctx *c, const char *text)
{
    dp_run *run = s->run;
    const char *field = c->col < c->nfields ? c->fields[c->col] : "";
    char buf[96];
    vr_trim_copy(buf, sizeof buf, text);
    if (c->kind == 1) {
        if (c->row >= run->natoms)
            return vr_fail(s, DP_ERR_FORMAT, "more atom rows than <atoms> = %d", run->natoms);
        if (strcmp(field, "atomtype") == 0) {
            char *end;
            long t = strtol(buf, &end, 10);
            if (*end || t < 1 || t > run->ntypes)
                return vr_fail(s, DP_ERR_FORMAT, "atom %d: atomtype \"%s\" is not in 1..%d",
                            c->row + 1, buf, run->ntypes);
            run->atom_type[c->row] = (int)t - 1;
        }
    } else if (c->kind == 2) {
        if (c->row >= run->ntypes)
            return vr_fail(s, DP_ERR_FORMAT, "more atom-type rows than <types> = %d", run->ntypes);
        dp_species *sp = &run->species[c->row];
        char *end;
        if (strcmp(field, "atomspertype") == 0) {
            long n = strtol(buf, &end, 10);
            if (*end || n < 0 || n > MAX_ATOMS)
                return vr_fail(s, DP_ERR_FORMAT, "bad atomspertype \"%s\"", buf);
            sp->count = (int)n;
        } else if (strcmp(field, "element") == 0) {
            snprintf(sp->symbol, sizeof sp->symbol, "%.3s", buf);
        } else if (strcmp(field, "mass") == 0) {
            sp->mass = strtod(buf, &end);
            if (*end)
                sp->mass = NAN;
        } else if (strcmp(field, "valence") == 0) {
            sp->zval = strtod(buf, &end);
            if (*end)
                sp->zval = NAN;
        } else if (strcmp(field, "pseudopotential") == 0) {
            snprintf(sp->potential, sizeof sp->potential, "%.79s", buf);
        }
    }
    return VR_OK;
}

static vr_result atominfo_rc_child(vr *s, void *ctx, bool *advanced)
{
    atominfo_ctx *c = ctx;
    if (!vr_is_start(s, "c"))
        return vr_skip_child(s, advanced);
    const char *t;
    vr_result rc = vr_leaf_text(s, &t);
    if (rc)
        return rc;
    rc = atominfo_cell(s, c, t);
    c->col++;
    return rc;
}

static vr_result atominfo_set_child(vr *s, void *ctx, bool *advanced)
{
    atominfo_ctx *c = ctx;
    if (!vr_is_start(s, "rc"))
        return vr_skip_child(s, advanced);
    c->col = 0;
    vr_result rc = vr_children(s, atominfo_rc_child, c);
    c->row++;
    return rc;
}

static vr_result atominfo_array_child(vr *s, void *ctx, bool *advanced)
{
    atominfo_ctx *c = ctx;
    if (vr_is_start(s, "field")) {
        const char *t;
        vr_result rc = vr_leaf_text(s, &t);
        if (rc)
            return rc;
        if (c->nfields < MAX_FIELDS)
            vr_trim_copy(c->fields[c->nfields++], sizeof c->fields[0], t);
        return VR_OK;
    }
    if (vr_is_start(s, "set") && c->kind)
        return vr_children(s, atominfo_set_child, c);
    return vr_skip_child(s, advanced);
}

static vr_result atominfo_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    long v;
    vr_result rc;
    if (vr_is_start(s, "atoms")) {
        if ((rc = vr_leaf_int(s, &v, 1, MAX_ATOMS, "number of atoms")))
            return rc;
        return atoms_alloc(s, v);
    }
    if (vr_is_start(s, "types")) {
        if ((rc = vr_leaf_int(s, &v, 1, 1000, "number of atom types")))
            return rc;
        return types_alloc(s, v);
    }
    if (vr_is_start(s, "array")) {
        atominfo_ctx c = {0};
        if (vr_attr_is(s, "name", "atoms"))
            c.kind = 1;
        else if (vr_attr_is(s, "name", "atomtypes"))
            c.kind = 2;
        if ((c.kind == 1 && !s->run->natoms) || (c.kind == 2 && !s->run->ntypes))
            return vr_fail(s, DP_ERR_FORMAT, "atominfo array before its <atoms>/<types> count");
        if ((rc = vr_children(s, atominfo_array_child, &c)))
            return rc;
        if (c.kind == 1 && c.row != s->run->natoms)
            return vr_fail(s, DP_ERR_FORMAT, "atominfo lists %d atoms, <atoms> says %d", c.row,
                        s->run->natoms);
        if (c.kind == 2 && c.row != s->run->ntypes)
            return vr_fail(s, DP_ERR_FORMAT, "atominfo lists %d types, <types> says %d", c.row,
                        s->run->ntypes);
        return VR_OK;
    }
    return vr_skip_child(s, advanced);
}

static vr_result atominfo_check(vr *s)
{
    dp_run *run = s->run;
    long sum = 0;
    for (int t = 0; t < run->ntypes; t++)
        sum += run->species[t].count;
    if (sum != run->natoms)
        return vr_fail(s, DP_ERR_FORMAT, "atom types add up to %ld atoms, <atoms> says %d", sum,
                    run->natoms);
    for (int i = 0; i < run->natoms; i++)
        if (run->atom_type[i] < 0)
            return vr_fail(s, DP_ERR_FORMAT, "atom %d has no type", i + 1);
    return VR_OK;
}

/* ---- structures ---------------------------------------------------------- */

typedef struct {
    dp_frame *frame;
    int which;  /* 1 = basis, 2 = positions */
    int row;
} structure_ctx;

static vr_result varray_v_child(vr *s, void *ctx, bool *advanced)
{
    structure_ctx *c = ctx;
    if (!vr_is_start(s, "v"))
        return vr_skip_child(s, advanced);
    const char *t;
    vr_result rc = vr_leaf_text(s, &t);
    if (rc)
        return rc;
    int limit = c->which == 1 ? 3 : s->run->natoms;
    if (c->row >= limit)
        return vr_fail(s, DP_ERR_FORMAT, "too many rows in a %s array (expected %d)",
                    c->which == 1 ? "basis" : "positions", limit);
    double *dst = c->which == 1 ? c->frame->lattice[c->row] : c->frame->frac[c->row];
    if (vr_parse_numbers(s, t, dst, 3) != 3)
        return vr_fail(s, DP_ERR_FORMAT, "expected three numbers in a vector, found \"%.60s\"", t);
    c->row++;
    return VR_OK;
}

static vr_result varray_done(vr *s, structure_ctx *c)
{
    int want = c->which == 1 ? 3 : s->run->natoms;
    if (c->row != want)
        return vr_fail(s, DP_ERR_FORMAT, "%s array has %d rows, expected %d",
                    c->which == 1 ? "basis" : "positions", c->row, want);
    return VR_OK;
}

static vr_result crystal_child(vr *s, void *ctx, bool *advanced)
{
    structure_ctx *c = ctx;
    if (vr_is_start(s, "varray") && vr_attr_is(s, "name", "basis")) {
        c->which = 1;
        c->row = 0;
        vr_result rc = vr_children(s, varray_v_child, c);
        return rc ? rc : varray_done(s, c);
    }
    return vr_skip_child(s, advanced);
}

static vr_result structure_child(vr *s, void *ctx, bool *advanced)
{
    structure_ctx *c = ctx;
    if (vr_is_start(s, "crystal"))
        return vr_children(s, crystal_child, c);
    if (vr_is_start(s, "varray") && vr_attr_is(s, "name", "positions")) {
        c->which = 2;
        c->row = 0;
        vr_result rc = vr_children(s, varray_v_child, c);
        return rc ? rc : varray_done(s, c);
    }
    return vr_skip_child(s, advanced);
}

/* Reads a <structure> into s->pending_frame (positions allocated here). */
static vr_result read_structure(vr *s)
{
    if (!s->run->natoms)
        return vr_fail(s, DP_ERR_FORMAT, "<structure> before <atominfo>");
    free(s->pending_frame.frac);
    memset(&s->pending_frame, 0, sizeof s->pending_frame);
    s->have_pending_frame = false;
    s->pending_frame.frac = calloc((size_t)s->run->natoms, sizeof *s->pending_frame.frac);
    if (!s->pending_frame.frac)
        return vr_fail(s, DP_ERR_NOMEM, "out of memory for a structure");
    structure_ctx c = {.frame = &s->pending_frame};
    vr_result rc = vr_children(s, structure_child, &c);
    if (rc)
        return rc;
    s->have_pending_frame = true;
    s->structure_seen = true;
    return VR_OK;
}

/* Moves the pending structure into the run (appending, or replacing the last one). */
static vr_result commit_frame(vr *s, int step)
{
    dp_run *run = s->run;
    if (!s->have_pending_frame)
        return VR_OK;
    if (!s->opts.all_frames && run->nframes == 1) {
        free(run->frames[0].frac);
        run->frames[0] = s->pending_frame;
        run->first_frame_step = step;
    } else {
        dp_frame *f = realloc(run->frames, (size_t)(run->nframes + 1) * sizeof *f);
        if (!f)
            return vr_fail(s, DP_ERR_NOMEM, "out of memory for structures");
        run->frames = f;
        f[run->nframes++] = s->pending_frame;
        if (run->nframes == 1)
            run->first_frame_step = step;
    }
    memset(&s->pending_frame, 0, sizeof s->pending_frame);
    s->have_pending_frame = false;
    return VR_OK;
}

/* ---- energies ------------------------------------------------------------ */

typedef struct {
    double e_fr, e_wo, e_0;
    int have; /* bit mask: 1 e_fr, 2 e_wo, 4 e_0 */
} energy_ctx;

static vr_result energy_child(vr *s, void *ctx, bool *advanced)
{
    energy_ctx *c = ctx;
    if (!vr_is_start(s, "i"))
        return vr_skip_child(s, advanced);
    char nm[32];
    vr_attr_copy(s, "name", nm, sizeof nm);
    double *dst = NULL;
    int bit = 0;
    if (strcmp(nm, "e_fr_energy") == 0)
        dst = &c->e_fr, bit = 1;
    else if (strcmp(nm, "e_wo_entrp") == 0)
        dst = &c->e_wo, bit = 2;
    else if (strcmp(nm, "e_0_energy") == 0)
        dst = &c->e_0, bit = 4;
    if (!dst) {
        const char *t;
        return vr_leaf_text(s, &t);
    }
    vr_result rc = vr_leaf_number(s, dst);
    if (!rc)
        c->have |= bit;
    return rc;
}

static vr_result scstep_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    if (!vr_is_start(s, "energy"))
        return vr_skip_child(s, advanced);
    energy_ctx c = {0};
    vr_result rc = vr_children(s, energy_child, &c);
    if (rc)
        return rc;
    s->sc_have = (c.have & 7) == 7;
    s->sc_e_fr = c.e_fr;
    s->sc_e_wo = c.e_wo;
    s->sc_e_0 = c.e_0;
    return VR_OK;
}

static vr_result commit_step(vr *s, const energy_ctx *c)
{
    dp_run *run = s->run;
    if ((c->have & 7) != 7)
        return vr_fail(s, DP_ERR_FORMAT, "ionic step %d: <energy> lacks e_fr_energy, e_wo_entrp "
                    "or e_0_energy", run->nsteps + 1);
    dp_energies e = {.e_free = c->e_fr, .e_noentropy = c->e_wo, .e_sigma0 = c->e_0,
                     .e_sigma0_raw = c->e_0};
    if (s->sc_have) {
        double fixed = round((s->sc_e_0 - s->sc_e_fr + c->e_fr) * 1e8) / 1e8;
        if (fabs(e.e_sigma0_raw - fixed) > 1e-7) {
            e.e_sigma0 = fixed;
            /* the same shift put e_0 where e_wo_entrp belongs: rebuild that too */
            e.e_noentropy = round((s->sc_e_wo - s->sc_e_fr + c->e_fr) * 1e8) / 1e8;
        }
    }
    dp_energies *a = realloc(run->energies, (size_t)(run->nsteps + 1) * sizeof *a);
    if (!a)
        return vr_fail(s, DP_ERR_NOMEM, "out of memory for energies");
    run->energies = a;
    a[run->nsteps] = e;
    vr_result rc = commit_frame(s, run->nsteps);
    run->nsteps++;
    return rc;
}

/* ---- calculation (one ionic step) --------------------------------------- */

static vr_result calculation_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    if (vr_is_start(s, "scstep"))
        return vr_children(s, scstep_child, NULL);
    if (vr_is_start(s, "structure"))
        return read_structure(s);
    if (vr_is_start(s, "energy")) {
        energy_ctx c = {0};
        vr_result rc = vr_children(s, energy_child, &c);
        return rc ? rc : commit_step(s, &c);
    }
    if (vr_is_start(s, "dos"))
        return vr_read_dos(s);
    return vr_skip_child(s, advanced);
}

/* ---- top level ----------------------------------------------------------- */

static vr_result modeling_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    vr_result rc;
    if (vr_is_start(s, "generator"))
        return vr_read_generator(s);
    if (vr_is_start(s, "incar"))
        return vr_read_params(s, true);
    if (vr_is_start(s, "parameters"))
        return vr_read_params(s, false);
    if (vr_is_start(s, "atominfo")) {
        if ((rc = vr_children(s, atominfo_child, NULL)))
            return rc;
        if (!s->run->natoms || !s->run->ntypes)
            return vr_fail(s, DP_ERR_FORMAT, "<atominfo> lacks <atoms> or <types>");
        return atominfo_check(s);
    }
    if (vr_is_start(s, "structure")) {
        /* initialpos / finalpos / primitive cells: only the initial one is a frame */
        if (vr_attr_is(s, "name", "initialpos")) {
            if ((rc = read_structure(s)))
                return rc;
            return commit_frame(s, -1);
        }
        return vr_skip_child(s, advanced);
    }
    if (vr_is_start(s, "calculation")) {
        s->sc_have = false;
        s->have_pending_frame = false;
        s->calc_index++;
        return vr_children(s, calculation_child, NULL);
    }
    return vr_skip_child(s, advanced);
}

static void describe_break(vr *s)
{
    dp_run *run = s->run;
    dp_completeness *c = &run->status;
    c->complete = false;
    c->break_line = s->xml_line ? s->xml_line : vr_node_line(s);
    char *m = c->missing;
    size_t size = sizeof c->missing, used = 0;
    #define ADD(...)                                                                 \
        do {                                                                         \
            int w_ = snprintf(m + used, size - used, "%s", used ? ", " : "");        \
            if (w_ > 0 && (size_t)w_ < size - used) used += (size_t)w_;              \
            w_ = snprintf(m + used, size - used, __VA_ARGS__);                       \
            if (w_ > 0 && (size_t)w_ < size - used) used += (size_t)w_;              \
        } while (0)
    if (!run->natoms)
        ADD("atoms");
    if (s->calc_index > run->nsteps)
        ADD("ionic step %d (cut off)", s->calc_index);
    if (!run->has_dos)
        ADD(s->in_dos ? "DOS (cut off)" : "DOS (not reached)");
    else if (!run->has_pdos && s->in_dos)
        ADD("projected DOS (cut off)");
    ADD("final structure");
    #undef ADD
}

static dp_status finish_break(vr *s)
{
    dp_run *run = s->run;
    describe_break(s);
    /* drop what the break cut through */
    if (s->in_dos) {
        if (!run->has_dos) {
            vr_dos_free(&run->dos, run->natoms);
        } else if (!run->has_pdos && run->dos.pdos) {
            for (int i = 0; i < run->natoms; i++)
                free(run->dos.pdos[i]);
            free(run->dos.pdos);
            run->dos.pdos = NULL;
            run->dos.norb = 0;
        }
    }
    if (!run->natoms || !run->ntypes || !run->species)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: %s before the atom list: %s",
                       s->path, run->status.break_line,
                       s->xml_msg[0] ? "not well-formed XML" : "file ends",
                       s->xml_msg[0] ? s->xml_msg : "nothing usable was read");
    if (xml_input_at_eof(&s->in))
        dp_run_warn(run, "%s: incomplete file: it ends at line %ld, cut off (a killed run?); "
                    "kept what was complete before; missing: %s", s->path,
                    run->status.break_line, run->status.missing);
    else
        dp_run_warn(run, "%s: incomplete file: not well-formed XML at line %ld (%s); kept what "
                    "was complete before; missing: %s", s->path, run->status.break_line,
                    s->xml_msg, run->status.missing);
    return DP_OK;
}

static dp_status parse(vr *s)
{
    dp_run *run = s->run;
    vr_result rc;
    /* find the root element */
    do {
        rc = vr_next(s);
        if (rc == VR_FAIL)
            return s->fail_code;
        if (rc == VR_BROKEN) {
            if (s->xml_msg[0])
                return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: not XML: %s", s->path,
                               s->xml_line, s->xml_msg);
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: no XML element found", s->path);
        }
    } while (xmlTextReaderNodeType(s->r) != XML_READER_TYPE_ELEMENT);
    if (strcmp(vr_name(s), "modeling") != 0)
        return dp_fail(s->err, DP_ERR_FORMAT,
                       "%s: not a vasprun.xml (root element is <%.40s>, expected <modeling>)",
                       s->path, vr_name(s));
    rc = vr_children(s, modeling_child, NULL);
    if (rc == VR_FAIL)
        return s->fail_code;
    if (rc == VR_BROKEN)
        return finish_break(s);
    if (!run->natoms)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: vasprun.xml has no <atominfo>", s->path);
    run->status.complete = true;
    return DP_OK;
}

dp_status dp_vasprun_read(const char *path, const dp_read_opts *opts, dp_run **out,
                          dp_error *err)
{
    *out = NULL;
    vr s = {.path = path, .err = err};
    if (opts)
        s.opts = *opts;
    struct stat st;
    if (stat(path, &st) == 0)
        s.fsize = (long long)st.st_size;
    /* Nothing dftpost reads lives in these; they are most of a vasprun.xml. */
    static const char *const drop[] = {"projected", "eigenvalues", "projected_kpoints_opt",
                                       "eigenvalues_kpoints_opt", NULL};
    if (xml_input_open(&s.in, path, drop) != 0)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    s.run = calloc(1, sizeof *s.run);
    if (!s.run) {
        xml_input_close(&s.in);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(s.run->path, sizeof s.run->path, "%s", path);
    s.run->params.lorbit = -1;
    s.run->first_frame_step = -1;
    /* No network, no entity substitution, no DTD loading: the file is untrusted. */
    s.r = xmlReaderForIO(xml_input_read, io_close, &s.in, path, s.in.latin1 ? "UTF-8" : NULL,
                         XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                             (s.in.latin1 ? XML_PARSE_IGNORE_ENC : 0));
    if (!s.r) {
        xml_input_close(&s.in);
        dp_run_free(s.run);
        return dp_fail(err, DP_ERR_NOMEM, "%s: cannot create an XML reader", path);
    }
    xmlTextReaderSetStructuredErrorHandler(s.r, on_xml_error, &s);
    dp_status code = parse(&s);
    if (code == DP_OK)
        code = vr_settings(&s);
    dp_incar_free(&s.incar);
    if (code == DP_OK && s.overflows)
        dp_run_warn(s.run, "%s: %ld number field(s) overflowed (\"****\") and were read as NaN",
                    path, s.overflows);
    free(s.pending_frame.frac);
    free(s.text);
    xmlFreeTextReader(s.r);
    xml_input_close(&s.in);
    if (code != DP_OK) {
        dp_run_free(s.run);
        return code;
    }
    *out = s.run;
    return DP_OK;
}
