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

#include "xml_input.h"

#define MAX_ATOMS 10000000
#define MAX_NEDOS 10000000
#define MAX_FIELDS 64

typedef enum { VR_OK = 0, VR_BROKEN, VR_FAIL } vr_result;

typedef struct {
    xmlTextReaderPtr r;
    xml_input in;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    long long fsize;
    long nodes;
    char xml_msg[256]; /* first error libxml2 reported */
    long xml_line;
    long overflows;    /* "*****" fields read as NaN */
    char *text;        /* copy of the last leaf's text (the reader reuses its buffer) */
    size_t text_cap;

    /* the ionic step being read */
    int calc_index;
    bool sc_have;
    double sc_e_fr, sc_e_wo, sc_e_0;
    dp_frame pending_frame;
    bool have_pending_frame;
    bool structure_seen;
    bool in_dos;       /* the break happened inside the DOS */
} vr;

/* ---- low-level reading --------------------------------------------------- */

static vr_result fail(vr *s, dp_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Line of the node under the cursor: the parser itself reads ahead, so its own
 * line number can be several lines past the element at fault. */
static long node_line(vr *s)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(s->r);
    long line = n ? xmlGetLineNo(n) : -1;
    if (line <= 0 && n && n->parent)
        line = xmlGetLineNo(n->parent);
    if (line <= 0)
        line = xmlTextReaderGetParserLineNumber(s->r);
    return xml_input_file_line(&s->in, line);
}

static vr_result fail(vr *s, dp_status code, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    dp_fail(s->err, code, "%s: line %ld: %s", s->path, node_line(s), what);
    s->fail_code = code;
    return VR_FAIL;
}

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

static void report_progress(vr *s)
{
    if (s->opts.progress && (++s->nodes & 0xFFFF) == 0)
        s->opts.progress(xml_input_offset(&s->in), s->fsize, s->opts.progress_ud);
}

/* One step of the reader. VR_BROKEN when the file ends or stops being XML. */
static vr_result next(vr *s)
{
    int ret = xmlTextReaderRead(s->r);
    report_progress(s);
    if (ret == 1) {
        int t = xmlTextReaderNodeType(s->r);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE)
            return fail(s, DP_ERR_FORMAT, "a DTD is not allowed in vasprun.xml");
        if (t == XML_READER_TYPE_ENTITY_REFERENCE)
            return fail(s, DP_ERR_FORMAT, "entity references are not allowed in vasprun.xml");
        return VR_OK;
    }
    return VR_BROKEN;
}

/* Skips the subtree of the current element. */
static vr_result skip(vr *s)
{
    int ret = xmlTextReaderNext(s->r);
    report_progress(s);
    if (ret == 1) {
        /* Next() lands on the following node, which the caller's loop must see:
         * step back is impossible, so callers use skip_then_peek semantics below. */
        return VR_OK;
    }
    return VR_BROKEN;
}

static const char *name(vr *s)
{
    const char *n = (const char *)xmlTextReaderConstLocalName(s->r);
    return n ? n : "";
}

static bool is_start(vr *s, const char *nm)
{
    return xmlTextReaderNodeType(s->r) == XML_READER_TYPE_ELEMENT && strcmp(name(s), nm) == 0;
}

static bool attr_is(vr *s, const char *attr, const char *value)
{
    xmlChar *v = xmlTextReaderGetAttribute(s->r, (const xmlChar *)attr);
    bool eq = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return eq;
}

static void attr_copy(vr *s, const char *attr, char *buf, size_t size)
{
    xmlChar *v = xmlTextReaderGetAttribute(s->r, (const xmlChar *)attr);
    snprintf(buf, size, "%s", v ? (const char *)v : "");
    xmlFree(v);
}

/* Text of the current leaf element; leaves the reader on its end tag.
 * *text is valid until the next leaf_text. */
static vr_result leaf_text(vr *s, const char **text)
{
    *text = "";
    if (xmlTextReaderIsEmptyElement(s->r))
        return VR_OK;
    vr_result rc = next(s);
    if (rc)
        return rc;
    int t = xmlTextReaderNodeType(s->r);
    if (t == XML_READER_TYPE_END_ELEMENT)
        return VR_OK;
    if (t != XML_READER_TYPE_TEXT && t != XML_READER_TYPE_CDATA &&
        t != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
        return fail(s, DP_ERR_FORMAT, "expected text inside a leaf element, found <%s>", name(s));
    const char *v = (const char *)xmlTextReaderConstValue(s->r);
    size_t len = v ? strlen(v) : 0;
    if (len + 1 > s->text_cap) {
        size_t cap = len + 1 > 2 * s->text_cap ? len + 1 : 2 * s->text_cap;
        char *b = realloc(s->text, cap);
        if (!b)
            return fail(s, DP_ERR_NOMEM, "out of memory");
        s->text = b;
        s->text_cap = cap;
    }
    memcpy(s->text, v ? v : "", len + 1);
    *text = s->text;
    rc = next(s);
    if (rc)
        return rc;
    if (xmlTextReaderNodeType(s->r) != XML_READER_TYPE_END_ELEMENT)
        return fail(s, DP_ERR_FORMAT, "unexpected <%s> inside a leaf element", name(s));
    return VR_OK;
}

/* Parses whitespace-separated numbers. Fortran overflow fields ("*****") become
 * NaN and are counted. Returns how many were read, or -1 on a bad token. */
static int parse_numbers(vr *s, const char *p, double *out, int max)
{
    int n = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            return n;
        if (n == max)
            return max + 1; /* too many: caller reports the count */
        if (*p == '*') {
            while (*p == '*')
                p++;
            out[n++] = NAN;
            s->overflows++;
        } else {
            char *end;
            errno = 0;
            double v = strtod(p, &end);
            if (end == p || (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r'))
                return -1;
            out[n++] = v;
            p = end;
        }
        if (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return -1;
    }
}

static vr_result leaf_number(vr *s, double *v)
{
    const char *t;
    vr_result rc = leaf_text(s, &t);
    if (rc)
        return rc;
    int n = parse_numbers(s, t, v, 1);
    if (n != 1)
        return fail(s, DP_ERR_FORMAT, "expected one number, found \"%.40s\"", t);
    return VR_OK;
}

static vr_result leaf_int(vr *s, long *out, long lo, long hi, const char *what)
{
    double v;
    vr_result rc = leaf_number(s, &v);
    if (rc)
        return rc;
    if (!(v >= (double)lo && v <= (double)hi) || v != floor(v))
        return fail(s, DP_ERR_FORMAT, "%s = %g is out of range [%ld, %ld]", what, v, lo, hi);
    *out = (long)v;
    return VR_OK;
}

static void trim_copy(char *dst, size_t size, const char *src)
{
    while (*src == ' ' || *src == '\t' || *src == '\n')
        src++;
    size_t n = strlen(src);
    while (n && (src[n - 1] == ' ' || src[n - 1] == '\t' || src[n - 1] == '\n'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Walks the children of the current element: calls child() on each child
 * element start (child must consume the child, ending on its end tag or, after
 * a skip, report so via *advanced). Stops at the element's end tag. */
typedef vr_result (*child_fn)(vr *s, void *ctx, bool *advanced);

static vr_result children(vr *s, child_fn child, void *ctx)
{
    if (xmlTextReaderIsEmptyElement(s->r))
        return VR_OK;
    int depth = xmlTextReaderDepth(s->r);
    bool advanced = false;
    for (;;) {
        vr_result rc;
        if (!advanced && (rc = next(s)))
            return rc;
        advanced = false;
        int t = xmlTextReaderNodeType(s->r);
        int d = xmlTextReaderDepth(s->r);
        if (t == XML_READER_TYPE_END_ELEMENT && d == depth)
            return VR_OK;
        if (d <= depth)
            return fail(s, DP_ERR_FORMAT, "element ended unexpectedly");
        if (t == XML_READER_TYPE_ELEMENT && d == depth + 1) {
            if ((rc = child(s, ctx, &advanced)))
                return rc;
        }
    }
}

/* A child handler that skips whatever it is given. */
static vr_result skip_child(vr *s, bool *advanced)
{
    vr_result rc = skip(s);
    *advanced = true;
    return rc;
}

/* ---- generator, incar, parameters --------------------------------------- */

static vr_result generator_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    if (!is_start(s, "i"))
        return skip_child(s, advanced);
    char nm[32];
    attr_copy(s, "name", nm, sizeof nm);
    const char *t;
    vr_result rc = leaf_text(s, &t);
    if (rc)
        return rc;
    if (strcmp(nm, "program") == 0)
        trim_copy(s->run->program, sizeof s->run->program, t);
    else if (strcmp(nm, "version") == 0)
        trim_copy(s->run->version, sizeof s->run->version, t);
    return VR_OK;
}

static bool logical_value(const char *t)
{
    while (*t == ' ' || *t == '.')
        t++;
    return *t == 'T' || *t == 't';
}

static vr_result param_i(vr *s)
{
    char nm[32];
    attr_copy(s, "name", nm, sizeof nm);
    dp_params *p = &s->run->params;
    const char *t;
    vr_result rc;
    long v;
    if (strcmp(nm, "ISPIN") == 0) {
        if ((rc = leaf_int(s, &v, 1, 2, "ISPIN")))
            return rc;
        p->ispin = (int)v;
    } else if (strcmp(nm, "LORBIT") == 0) {
        /* VASP 5.2/5.3 write LORBIT as a logical " F " even for LORBIT=11: then it
         * is unknown, and the pDOS columns tell what was projected. */
        if ((rc = leaf_text(s, &t)))
            return rc;
        char *end;
        long l = strtol(t, &end, 10);
        while (*end == ' ' || *end == '\n')
            end++;
        if (end != t && !*end && l >= 0 && l <= 14)
            p->lorbit = (int)l;
    } else if (strcmp(nm, "NEDOS") == 0) {
        if ((rc = leaf_int(s, &v, 0, MAX_NEDOS, "NEDOS")))
            return rc;
        p->nedos = (int)v;
    } else if (strcmp(nm, "ISMEAR") == 0) {
        if ((rc = leaf_int(s, &v, -99, 99, "ISMEAR")))
            return rc;
        p->ismear = (int)v;
    } else if (strcmp(nm, "SIGMA") == 0) {
        return leaf_number(s, &p->sigma);
    } else if (strcmp(nm, "LNONCOLLINEAR") == 0) {
        if ((rc = leaf_text(s, &t)))
            return rc;
        p->lnoncollinear = logical_value(t);
    } else if (strcmp(nm, "LSORBIT") == 0) {
        if ((rc = leaf_text(s, &t)))
            return rc;
        p->lsorbit = logical_value(t);
        if (p->lsorbit)
            p->lnoncollinear = true; /* LSORBIT implies a noncollinear run */
    } else {
        return leaf_text(s, &t);
    }
    return VR_OK;
}

/* <incar> holds what the user set, <parameters> (later) everything VASP used:
 * both go through here, so parameters win. <i> may sit in nested <separator>s. */
static vr_result params_child(vr *s, void *ctx, bool *advanced)
{
    if (is_start(s, "i"))
        return param_i(s);
    if (is_start(s, "separator"))
        return children(s, params_child, ctx);
    return skip_child(s, advanced);
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
        return fail(s, DP_ERR_FORMAT, "<atoms> given twice");
    run->natoms = (int)natoms;
    run->atom_type = calloc((size_t)natoms, sizeof *run->atom_type);
    if (!run->atom_type)
        return fail(s, DP_ERR_NOMEM, "out of memory for %ld atoms", natoms);
    for (long i = 0; i < natoms; i++)
        run->atom_type[i] = -1;
    return VR_OK;
}

static vr_result types_alloc(vr *s, long ntypes)
{
    dp_run *run = s->run;
    if (run->ntypes)
        return fail(s, DP_ERR_FORMAT, "<types> given twice");
    run->ntypes = (int)ntypes;
    run->species = calloc((size_t)ntypes, sizeof *run->species);
    if (!run->species)
        return fail(s, DP_ERR_NOMEM, "out of memory for %ld types", ntypes);
    for (long t = 0; t < ntypes; t++)
        run->species[t].zval = run->species[t].mass = NAN;
    return VR_OK;
}

static vr_result atominfo_cell(vr *s, atominfo_ctx *c, const char *text)
{
    dp_run *run = s->run;
    const char *field = c->col < c->nfields ? c->fields[c->col] : "";
    char buf[96];
    trim_copy(buf, sizeof buf, text);
    if (c->kind == 1) {
        if (c->row >= run->natoms)
            return fail(s, DP_ERR_FORMAT, "more atom rows than <atoms> = %d", run->natoms);
        if (strcmp(field, "atomtype") == 0) {
            char *end;
            long t = strtol(buf, &end, 10);
            if (*end || t < 1 || t > run->ntypes)
                return fail(s, DP_ERR_FORMAT, "atom %d: atomtype \"%s\" is not in 1..%d",
                            c->row + 1, buf, run->ntypes);
            run->atom_type[c->row] = (int)t - 1;
        }
    } else if (c->kind == 2) {
        if (c->row >= run->ntypes)
            return fail(s, DP_ERR_FORMAT, "more atom-type rows than <types> = %d", run->ntypes);
        dp_species *sp = &run->species[c->row];
        char *end;
        if (strcmp(field, "atomspertype") == 0) {
            long n = strtol(buf, &end, 10);
            if (*end || n < 0 || n > MAX_ATOMS)
                return fail(s, DP_ERR_FORMAT, "bad atomspertype \"%s\"", buf);
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
    if (!is_start(s, "c"))
        return skip_child(s, advanced);
    const char *t;
    vr_result rc = leaf_text(s, &t);
    if (rc)
        return rc;
    rc = atominfo_cell(s, c, t);
    c->col++;
    return rc;
}

static vr_result atominfo_set_child(vr *s, void *ctx, bool *advanced)
{
    atominfo_ctx *c = ctx;
    if (!is_start(s, "rc"))
        return skip_child(s, advanced);
    c->col = 0;
    vr_result rc = children(s, atominfo_rc_child, c);
    c->row++;
    return rc;
}

static vr_result atominfo_array_child(vr *s, void *ctx, bool *advanced)
{
    atominfo_ctx *c = ctx;
    if (is_start(s, "field")) {
        const char *t;
        vr_result rc = leaf_text(s, &t);
        if (rc)
            return rc;
        if (c->nfields < MAX_FIELDS)
            trim_copy(c->fields[c->nfields++], sizeof c->fields[0], t);
        return VR_OK;
    }
    if (is_start(s, "set") && c->kind)
        return children(s, atominfo_set_child, c);
    return skip_child(s, advanced);
}

static vr_result atominfo_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    long v;
    vr_result rc;
    if (is_start(s, "atoms")) {
        if ((rc = leaf_int(s, &v, 1, MAX_ATOMS, "number of atoms")))
            return rc;
        return atoms_alloc(s, v);
    }
    if (is_start(s, "types")) {
        if ((rc = leaf_int(s, &v, 1, 1000, "number of atom types")))
            return rc;
        return types_alloc(s, v);
    }
    if (is_start(s, "array")) {
        atominfo_ctx c = {0};
        if (attr_is(s, "name", "atoms"))
            c.kind = 1;
        else if (attr_is(s, "name", "atomtypes"))
            c.kind = 2;
        if ((c.kind == 1 && !s->run->natoms) || (c.kind == 2 && !s->run->ntypes))
            return fail(s, DP_ERR_FORMAT, "atominfo array before its <atoms>/<types> count");
        if ((rc = children(s, atominfo_array_child, &c)))
            return rc;
        if (c.kind == 1 && c.row != s->run->natoms)
            return fail(s, DP_ERR_FORMAT, "atominfo lists %d atoms, <atoms> says %d", c.row,
                        s->run->natoms);
        if (c.kind == 2 && c.row != s->run->ntypes)
            return fail(s, DP_ERR_FORMAT, "atominfo lists %d types, <types> says %d", c.row,
                        s->run->ntypes);
        return VR_OK;
    }
    return skip_child(s, advanced);
}

static vr_result atominfo_check(vr *s)
{
    dp_run *run = s->run;
    long sum = 0;
    for (int t = 0; t < run->ntypes; t++)
        sum += run->species[t].count;
    if (sum != run->natoms)
        return fail(s, DP_ERR_FORMAT, "atom types add up to %ld atoms, <atoms> says %d", sum,
                    run->natoms);
    for (int i = 0; i < run->natoms; i++)
        if (run->atom_type[i] < 0)
            return fail(s, DP_ERR_FORMAT, "atom %d has no type", i + 1);
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
    if (!is_start(s, "v"))
        return skip_child(s, advanced);
    const char *t;
    vr_result rc = leaf_text(s, &t);
    if (rc)
        return rc;
    int limit = c->which == 1 ? 3 : s->run->natoms;
    if (c->row >= limit)
        return fail(s, DP_ERR_FORMAT, "too many rows in a %s array (expected %d)",
                    c->which == 1 ? "basis" : "positions", limit);
    double *dst = c->which == 1 ? c->frame->lattice[c->row] : c->frame->frac[c->row];
    if (parse_numbers(s, t, dst, 3) != 3)
        return fail(s, DP_ERR_FORMAT, "expected three numbers in a vector, found \"%.60s\"", t);
    c->row++;
    return VR_OK;
}

static vr_result varray_done(vr *s, structure_ctx *c)
{
    int want = c->which == 1 ? 3 : s->run->natoms;
    if (c->row != want)
        return fail(s, DP_ERR_FORMAT, "%s array has %d rows, expected %d",
                    c->which == 1 ? "basis" : "positions", c->row, want);
    return VR_OK;
}

static vr_result crystal_child(vr *s, void *ctx, bool *advanced)
{
    structure_ctx *c = ctx;
    if (is_start(s, "varray") && attr_is(s, "name", "basis")) {
        c->which = 1;
        c->row = 0;
        vr_result rc = children(s, varray_v_child, c);
        return rc ? rc : varray_done(s, c);
    }
    return skip_child(s, advanced);
}

static vr_result structure_child(vr *s, void *ctx, bool *advanced)
{
    structure_ctx *c = ctx;
    if (is_start(s, "crystal"))
        return children(s, crystal_child, c);
    if (is_start(s, "varray") && attr_is(s, "name", "positions")) {
        c->which = 2;
        c->row = 0;
        vr_result rc = children(s, varray_v_child, c);
        return rc ? rc : varray_done(s, c);
    }
    return skip_child(s, advanced);
}

/* Reads a <structure> into s->pending_frame (positions allocated here). */
static vr_result read_structure(vr *s)
{
    if (!s->run->natoms)
        return fail(s, DP_ERR_FORMAT, "<structure> before <atominfo>");
    free(s->pending_frame.frac);
    memset(&s->pending_frame, 0, sizeof s->pending_frame);
    s->have_pending_frame = false;
    s->pending_frame.frac = calloc((size_t)s->run->natoms, sizeof *s->pending_frame.frac);
    if (!s->pending_frame.frac)
        return fail(s, DP_ERR_NOMEM, "out of memory for a structure");
    structure_ctx c = {.frame = &s->pending_frame};
    vr_result rc = children(s, structure_child, &c);
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
            return fail(s, DP_ERR_NOMEM, "out of memory for structures");
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
    if (!is_start(s, "i"))
        return skip_child(s, advanced);
    char nm[32];
    attr_copy(s, "name", nm, sizeof nm);
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
        return leaf_text(s, &t);
    }
    vr_result rc = leaf_number(s, dst);
    if (!rc)
        c->have |= bit;
    return rc;
}

static vr_result scstep_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    if (!is_start(s, "energy"))
        return skip_child(s, advanced);
    energy_ctx c = {0};
    vr_result rc = children(s, energy_child, &c);
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
        return fail(s, DP_ERR_FORMAT, "ionic step %d: <energy> lacks e_fr_energy, e_wo_entrp "
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
        return fail(s, DP_ERR_NOMEM, "out of memory for energies");
    run->energies = a;
    a[run->nsteps] = e;
    vr_result rc = commit_frame(s, run->nsteps);
    run->nsteps++;
    return rc;
}

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

static void dos_free(dp_dos *d, int natoms)
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
    int n = parse_numbers(s, t, v, 3);
    if (n != 3)
        return fail(s, DP_ERR_FORMAT, "total DOS row: expected 3 numbers (energy, total, "
                    "integrated), found %s", n < 0 ? "a non-number" : "another count");
    if (c->comp == 0) {
        if (c->row >= MAX_NEDOS)
            return fail(s, DP_ERR_FORMAT, "more than %d DOS points", MAX_NEDOS);
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
                return fail(s, DP_ERR_NOMEM, "out of memory for the DOS");
            d->nedos = cap;
        }
        d->energy[c->row] = v[0];
    } else if (c->row >= d->nedos) {
        return fail(s, DP_ERR_FORMAT, "total DOS spin %d has more points (%d) than spin 1 (%d)",
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
        return fail(s, DP_ERR_FORMAT, "projected DOS of ion %d has more than %d points", c->ion + 1,
                    d->nedos);
    double v[DP_MAX_ORB + 1];
    int n = parse_numbers(s, t, v, d->norb + 1);
    if (n != d->norb + 1)
        return fail(s, DP_ERR_FORMAT, "projected DOS row: expected %d numbers, found %s",
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
            return fail(s, DP_ERR_FORMAT, "projected DOS has more ions than the %d atoms",
                        run->natoms);
        size_t cnt = (size_t)d->ncomp * d->norb * d->nedos;
        d->pdos[c->ion] = calloc(cnt ? cnt : 1, sizeof(double));
        if (!d->pdos[c->ion])
            return fail(s, DP_ERR_NOMEM, "out of memory for the projected DOS");
        c->dst = d->pdos[c->ion];
        c->comp = 0;
    }
    if (spin_set) {
        int maxcomp = c->part == 1 ? 4 : d->ncomp;
        if (c->comp >= maxcomp)
            return fail(s, DP_ERR_FORMAT, "more spin components than %d", maxcomp);
        if (c->part == 1 && c->comp > 0) {
            size_t need = (size_t)(c->comp + 1) * d->nedos;
            double *tt = realloc(d->total, need * sizeof *tt);
            if (tt)
                d->total = tt;
            double *ii = realloc(d->integrated, need * sizeof *ii);
            if (ii)
                d->integrated = ii;
            if (!tt || !ii)
                return fail(s, DP_ERR_NOMEM, "out of memory for the DOS");
        }
        c->row = 0;
    }
    rc = children(s, dos_set_child, c);
    if (rc)
        return rc;
    if (spin_set) {
        if (c->part == 1 && c->comp == 0)
            d->nedos = c->row;
        if (c->row != d->nedos)
            return fail(s, DP_ERR_FORMAT, "DOS spin set %d has %d points, expected %d",
                        c->comp + 1, c->row, d->nedos);
        c->comp++;
        if (c->part == 1)
            d->ncomp = c->comp;
    }
    if (ion_set) {
        if (c->comp != d->ncomp)
            return fail(s, DP_ERR_FORMAT, "projected DOS of ion %d has %d spin sets, the total "
                        "DOS %d", c->ion + 1, c->comp, d->ncomp);
        c->ion++;
    }
    c->level--;
    return VR_OK;
}

static vr_result dos_set_child(vr *s, void *ctx, bool *advanced)
{
    dos_ctx *c = ctx;
    if (is_start(s, "set")) {
        if (c->part == 2 && c->level == 1 && s->opts.keep_atom && c->ion < s->run->natoms &&
            !s->opts.keep_atom(s->run, c->ion, s->opts.keep_ud)) {
            c->ion++; /* an atom nobody asked for: not even tokenised into numbers */
            return skip_child(s, advanced);
        }
        return dos_set(s, c);
    }
    if (is_start(s, "r")) {
        const char *t;
        vr_result rc = leaf_text(s, &t);
        if (rc)
            return rc;
        bool row_level = (c->part == 1 && c->level == 2) || (c->part == 2 && c->level == 3);
        if (!row_level)
            return fail(s, DP_ERR_FORMAT, "DOS row outside a spin set");
        return c->part == 1 ? total_row(s, c, t) : partial_row(s, c, t);
    }
    return skip_child(s, advanced);
}

static vr_result dos_array_child(vr *s, void *ctx, bool *advanced)
{
    dos_ctx *c = ctx;
    if (is_start(s, "field")) {
        const char *t;
        vr_result rc = leaf_text(s, &t);
        if (rc)
            return rc;
        if (c->nfields >= MAX_FIELDS)
            return fail(s, DP_ERR_FORMAT, "too many <field>s in a DOS array");
        trim_copy(c->fields[c->nfields++], sizeof c->fields[0], t);
        return VR_OK;
    }
    if (is_start(s, "set")) {
        dp_dos *d = &s->run->dos;
        if (c->sets++)
            return fail(s, DP_ERR_FORMAT, "a DOS array with more than one top-level <set>");
        if (c->part == 2) {
            if (c->nfields < 2 || c->nfields - 1 > DP_MAX_ORB)
                return fail(s, DP_ERR_FORMAT, "projected DOS has %d orbital fields (1..%d allowed)",
                            c->nfields - 1, DP_MAX_ORB);
            d->norb = c->nfields - 1;
            for (int o = 0; o < d->norb; o++)
                snprintf(d->orb_names[o], sizeof d->orb_names[o], "%.7s", c->fields[o + 1]);
            d->pdos = calloc((size_t)s->run->natoms, sizeof *d->pdos);
            if (!d->pdos)
                return fail(s, DP_ERR_NOMEM, "out of memory for the projected DOS");
        } else if (c->nfields != 3) {
            return fail(s, DP_ERR_FORMAT, "total DOS has %d fields, expected energy, total, "
                        "integrated", c->nfields);
        }
        c->level = 0;
        return dos_set(s, c);
    }
    return skip_child(s, advanced);
}

static vr_result dos_part_child(vr *s, void *ctx, bool *advanced)
{
    if (is_start(s, "array"))
        return children(s, dos_array_child, ctx);
    return skip_child(s, advanced);
}

static vr_result dos_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    dp_run *run = s->run;
    if (is_start(s, "i") && attr_is(s, "name", "efermi")) {
        vr_result rc = leaf_number(s, &run->efermi);
        if (!rc)
            run->has_efermi = !isnan(run->efermi);
        return rc;
    }
    if (is_start(s, "total")) {
        if (s->opts.skip_dos) {
            vr_result rc = skip_child(s, advanced);
            run->has_dos = rc == VR_OK;
            return rc;
        }
        dos_ctx c = {.part = 1};
        vr_result rc = children(s, dos_part_child, &c);
        if (rc)
            return rc;
        if (run->dos.nedos < 2 || run->dos.ncomp < 1)
            return fail(s, DP_ERR_FORMAT, "total DOS has %d points", run->dos.nedos);
        if (run->dos.ncomp == 3)
            return fail(s, DP_ERR_FORMAT, "total DOS has 3 spin sets (1, 2 or 4 expected)");
        run->has_dos = true;
        return VR_OK;
    }
    if (is_start(s, "partial")) {
        if (s->opts.skip_dos) {
            vr_result rc = skip_child(s, advanced);
            run->has_pdos = rc == VR_OK;
            return rc;
        }
        if (!run->has_dos)
            return fail(s, DP_ERR_FORMAT, "projected DOS before the total DOS");
        dos_ctx c = {.part = 2};
        vr_result rc = children(s, dos_part_child, &c);
        if (rc)
            return rc;
        if (c.ion != run->natoms)
            return fail(s, DP_ERR_FORMAT, "projected DOS lists %d ions, the run has %d", c.ion,
                        run->natoms);
        run->has_pdos = true;
        return VR_OK;
    }
    return skip_child(s, advanced);
}

static vr_result read_dos(vr *s)
{
    dp_run *run = s->run;
    if (!run->natoms)
        return fail(s, DP_ERR_FORMAT, "<dos> before <atominfo>");
    /* a later DOS replaces an earlier one */
    dos_free(&run->dos, run->natoms);
    run->has_dos = run->has_pdos = false;
    s->in_dos = true;
    vr_result rc = children(s, dos_child, NULL);
    if (rc == VR_OK)
        s->in_dos = false;
    return rc;
}

/* ---- calculation (one ionic step) --------------------------------------- */

static vr_result calculation_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    if (is_start(s, "scstep"))
        return children(s, scstep_child, NULL);
    if (is_start(s, "structure"))
        return read_structure(s);
    if (is_start(s, "energy")) {
        energy_ctx c = {0};
        vr_result rc = children(s, energy_child, &c);
        return rc ? rc : commit_step(s, &c);
    }
    if (is_start(s, "dos"))
        return read_dos(s);
    return skip_child(s, advanced);
}

/* ---- top level ----------------------------------------------------------- */

static vr_result modeling_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    vr_result rc;
    if (is_start(s, "generator"))
        return children(s, generator_child, NULL);
    if (is_start(s, "incar") || is_start(s, "parameters"))
        return children(s, params_child, NULL);
    if (is_start(s, "atominfo")) {
        if ((rc = children(s, atominfo_child, NULL)))
            return rc;
        if (!s->run->natoms || !s->run->ntypes)
            return fail(s, DP_ERR_FORMAT, "<atominfo> lacks <atoms> or <types>");
        return atominfo_check(s);
    }
    if (is_start(s, "structure")) {
        /* initialpos / finalpos / primitive cells: only the initial one is a frame */
        if (attr_is(s, "name", "initialpos")) {
            if ((rc = read_structure(s)))
                return rc;
            return commit_frame(s, -1);
        }
        return skip_child(s, advanced);
    }
    if (is_start(s, "calculation")) {
        s->sc_have = false;
        s->have_pending_frame = false;
        s->calc_index++;
        return children(s, calculation_child, NULL);
    }
    return skip_child(s, advanced);
}

static void describe_break(vr *s)
{
    dp_run *run = s->run;
    dp_completeness *c = &run->status;
    c->complete = false;
    c->break_line = s->xml_line ? s->xml_line : node_line(s);
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
            dos_free(&run->dos, run->natoms);
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
        rc = next(s);
        if (rc == VR_FAIL)
            return s->fail_code;
        if (rc == VR_BROKEN) {
            if (s->xml_msg[0])
                return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: not XML: %s", s->path,
                               s->xml_line, s->xml_msg);
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: no XML element found", s->path);
        }
    } while (xmlTextReaderNodeType(s->r) != XML_READER_TYPE_ELEMENT);
    if (strcmp(name(s), "modeling") != 0)
        return dp_fail(s->err, DP_ERR_FORMAT,
                       "%s: not a vasprun.xml (root element is <%.40s>, expected <modeling>)",
                       s->path, name(s));
    rc = children(s, modeling_child, NULL);
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
