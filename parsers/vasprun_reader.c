/* Pull-parsing helpers for the vasprun.xml reader (see vasprun_reader.h), and the
 * blocks before the atoms: <generator>, <incar>, <parameters>, and the run settings
 * made from them. */
#include "vasprun_reader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line of the node under the cursor: the parser itself reads ahead, so its own
 * line number can be several lines past the element at fault. */
long vr_node_line(vr *s)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(s->r);
    long line = n ? xmlGetLineNo(n) : -1;
    if (line <= 0 && n && n->parent)
        line = xmlGetLineNo(n->parent);
    if (line <= 0)
        line = xmlTextReaderGetParserLineNumber(s->r);
    return xml_input_file_line(&s->in, line);
}

vr_result vr_fail(vr *s, dp_status code, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    dp_fail(s->err, code, "%s: line %ld: %s", s->path, vr_node_line(s), what);
    s->fail_code = code;
    return VR_FAIL;
}



static void report_progress(vr *s)
{
    if (s->opts.progress && (++s->nodes & 0xFFFF) == 0)
        s->opts.progress(xml_input_offset(&s->in), s->fsize, s->opts.progress_ud);
}

/* One step of the reader. VR_BROKEN when the file ends or stops being XML. */
vr_result vr_next(vr *s)
{
    int ret = xmlTextReaderRead(s->r);
    report_progress(s);
    if (ret == 1) {
        int t = xmlTextReaderNodeType(s->r);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE)
            return vr_fail(s, DP_ERR_FORMAT, "a DTD is not allowed in vasprun.xml");
        if (t == XML_READER_TYPE_ENTITY_REFERENCE)
            return vr_fail(s, DP_ERR_FORMAT, "entity references are not allowed in vasprun.xml");
        return VR_OK;
    }
    return VR_BROKEN;
}

/* Skips the subtree of the current element. */
vr_result vr_skip(vr *s)
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

const char *vr_name(vr *s)
{
    const char *n = (const char *)xmlTextReaderConstLocalName(s->r);
    return n ? n : "";
}

bool vr_is_start(vr *s, const char *nm)
{
    return xmlTextReaderNodeType(s->r) == XML_READER_TYPE_ELEMENT && strcmp(vr_name(s), nm) == 0;
}

bool vr_attr_is(vr *s, const char *attr, const char *value)
{
    xmlChar *v = xmlTextReaderGetAttribute(s->r, (const xmlChar *)attr);
    bool eq = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return eq;
}

void vr_attr_copy(vr *s, const char *attr, char *buf, size_t size)
{
    xmlChar *v = xmlTextReaderGetAttribute(s->r, (const xmlChar *)attr);
    snprintf(buf, size, "%s", v ? (const char *)v : "");
    xmlFree(v);
}

/* Text of the current leaf element; leaves the reader on its end tag.
 * *text is valid until the next leaf_text. */
vr_result vr_leaf_text(vr *s, const char **text)
{
    *text = "";
    if (xmlTextReaderIsEmptyElement(s->r))
        return VR_OK;
    vr_result rc = vr_next(s);
    if (rc)
        return rc;
    int t = xmlTextReaderNodeType(s->r);
    if (t == XML_READER_TYPE_END_ELEMENT)
        return VR_OK;
    if (t != XML_READER_TYPE_TEXT && t != XML_READER_TYPE_CDATA &&
        t != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
        return vr_fail(s, DP_ERR_FORMAT, "expected text inside a leaf element, found <%s>", vr_name(s));
    const char *v = (const char *)xmlTextReaderConstValue(s->r);
    size_t len = v ? strlen(v) : 0;
    if (len + 1 > s->text_cap) {
        size_t cap = len + 1 > 2 * s->text_cap ? len + 1 : 2 * s->text_cap;
        char *b = realloc(s->text, cap);
        if (!b)
            return vr_fail(s, DP_ERR_NOMEM, "out of memory");
        s->text = b;
        s->text_cap = cap;
    }
    memcpy(s->text, v ? v : "", len + 1);
    *text = s->text;
    rc = vr_next(s);
    if (rc)
        return rc;
    if (xmlTextReaderNodeType(s->r) != XML_READER_TYPE_END_ELEMENT)
        return vr_fail(s, DP_ERR_FORMAT, "unexpected <%s> inside a leaf element", vr_name(s));
    return VR_OK;
}

/* Parses whitespace-separated numbers. Fortran overflow fields ("*****") become
 * NaN and are counted. Returns how many were read, or -1 on a bad token. */
int vr_parse_numbers(vr *s, const char *p, double *out, int max)
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

vr_result vr_leaf_number(vr *s, double *v)
{
    const char *t;
    vr_result rc = vr_leaf_text(s, &t);
    if (rc)
        return rc;
    int n = vr_parse_numbers(s, t, v, 1);
    if (n != 1)
        return vr_fail(s, DP_ERR_FORMAT, "expected one number, found \"%.40s\"", t);
    return VR_OK;
}

vr_result vr_leaf_int(vr *s, long *out, long lo, long hi, const char *what)
{
    double v;
    vr_result rc = vr_leaf_number(s, &v);
    if (rc)
        return rc;
    if (!(v >= (double)lo && v <= (double)hi) || v != floor(v))
        return vr_fail(s, DP_ERR_FORMAT, "%s = %g is out of range [%ld, %ld]", what, v, lo, hi);
    *out = (long)v;
    return VR_OK;
}

void vr_trim_copy(char *dst, size_t size, const char *src)
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

vr_result vr_children(vr *s, child_fn child, void *ctx)
{
    if (xmlTextReaderIsEmptyElement(s->r))
        return VR_OK;
    int depth = xmlTextReaderDepth(s->r);
    bool advanced = false;
    for (;;) {
        vr_result rc;
        if (!advanced && (rc = vr_next(s)))
            return rc;
        advanced = false;
        int t = xmlTextReaderNodeType(s->r);
        int d = xmlTextReaderDepth(s->r);
        if (t == XML_READER_TYPE_END_ELEMENT && d == depth)
            return VR_OK;
        if (d <= depth)
            return vr_fail(s, DP_ERR_FORMAT, "element ended unexpectedly");
        if (t == XML_READER_TYPE_ELEMENT && d == depth + 1) {
            if ((rc = child(s, ctx, &advanced)))
                return rc;
        }
    }
}

/* A child handler that skips whatever it is given. */
vr_result vr_skip_child(vr *s, bool *advanced)
{
    vr_result rc = vr_skip(s);
    *advanced = true;
    return rc;
}

/* ---- generator, incar, parameters, and the run's settings ---------------- */

static vr_result generator_child(vr *s, void *ctx, bool *advanced)
{
    (void)ctx;
    if (!vr_is_start(s, "i"))
        return vr_skip_child(s, advanced);
    char nm[32];
    vr_attr_copy(s, "name", nm, sizeof nm);
    const char *t;
    vr_result rc = vr_leaf_text(s, &t);
    if (rc)
        return rc;
    if (strcmp(nm, "program") == 0)
        vr_trim_copy(s->run->program, sizeof s->run->program, t);
    else if (strcmp(nm, "version") == 0)
        vr_trim_copy(s->run->version, sizeof s->run->version, t);
    return VR_OK;
}

vr_result vr_read_generator(vr *s)
{
    return vr_children(s, generator_child, NULL);
}

static bool logical_value(const char *t)
{
    while (*t == ' ' || *t == '.')
        t++;
    return *t == 'T' || *t == 't';
}

/* An integer in [lo, hi] from a leaf's text (as vr_leaf_int reads one). */
static vr_result text_int(vr *s, const char *t, long *out, long lo, long hi, const char *what)
{
    double v = NAN;
    if (vr_parse_numbers(s, t, &v, 1) != 1)
        return vr_fail(s, DP_ERR_FORMAT, "expected one number, found \"%.40s\"", t);
    if (!(v >= (double)lo && v <= (double)hi) || v != floor(v))
        return vr_fail(s, DP_ERR_FORMAT, "%s = %g is out of range [%ld, %ld]", what, v, lo, hi);
    *out = (long)v;
    return VR_OK;
}

/* The tags that are parameters of the model (run->params). */
static vr_result apply_param(vr *s, const char *nm, const char *t)
{
    dp_params *p = &s->run->params;
    vr_result rc;
    long v = 0;
    if (strcmp(nm, "ISPIN") == 0) {
        if ((rc = text_int(s, t, &v, 1, 2, "ISPIN")))
            return rc;
        p->ispin = (int)v;
    } else if (strcmp(nm, "LORBIT") == 0) {
        /* VASP 5.2/5.3 write LORBIT as a logical " F " even for LORBIT=11: then it
         * is unknown, and the pDOS columns tell what was projected. */
        char *end;
        long l = strtol(t, &end, 10);
        while (*end == ' ' || *end == '\n')
            end++;
        if (end != t && !*end && l >= 0 && l <= 14)
            p->lorbit = (int)l;
    } else if (strcmp(nm, "NEDOS") == 0) {
        if ((rc = text_int(s, t, &v, 0, MAX_NEDOS, "NEDOS")))
            return rc;
        p->nedos = (int)v;
    } else if (strcmp(nm, "ISMEAR") == 0) {
        if ((rc = text_int(s, t, &v, -99, 99, "ISMEAR")))
            return rc;
        p->ismear = (int)v;
    } else if (strcmp(nm, "SIGMA") == 0) {
        if (vr_parse_numbers(s, t, &p->sigma, 1) != 1)
            return vr_fail(s, DP_ERR_FORMAT, "expected one number, found \"%.40s\"", t);
    } else if (strcmp(nm, "LNONCOLLINEAR") == 0) {
        p->lnoncollinear = logical_value(t);
    } else if (strcmp(nm, "LSORBIT") == 0) {
        p->lsorbit = logical_value(t);
        if (p->lsorbit)
            p->lnoncollinear = true; /* LSORBIT implies a noncollinear run */
    }
    return VR_OK;
}

/* <i name="ENCUT"> 520.00000000</i>, or in <incar> also <v name="LDAUU"> 5.3 0 </v>:
 * the tags of <incar> (what the user wrote) are also kept as INCAR tags. */
static vr_result param_i(vr *s, bool incar)
{
    char nm[32];
    vr_attr_copy(s, "name", nm, sizeof nm);
    const char *t;
    vr_result rc = vr_leaf_text(s, &t);
    if (rc)
        return rc;
    if (incar && nm[0]) {
        if (t == s->text) /* a list may span lines: one line, as in an INCAR */
            for (char *c = s->text; *c; c++)
                if (*c == '\n')
                    *c = ' ';
        dp_error e;
        dp_status st = dp_incar_add(&s->incar, nm, t, &e);
        if (st != DP_OK)
            return vr_fail(s, st, "<incar>: %s", st == DP_ERR_NOMEM ? "out of memory" : e.msg);
    }
    return apply_param(s, nm, t);
}

/* <incar> holds what the user set, <parameters> (later) everything VASP used:
 * both go through here, so parameters win. <i> may sit in nested <separator>s. */
static vr_result params_child(vr *s, void *ctx, bool *advanced)
{
    bool incar = ctx != NULL;
    if (vr_is_start(s, "i") || (incar && vr_is_start(s, "v")))
        return param_i(s, incar);
    if (vr_is_start(s, "separator"))
        return vr_children(s, params_child, ctx);
    return vr_skip_child(s, advanced);
}

vr_result vr_read_params(vr *s, bool incar)
{
    return vr_children(s, params_child, incar ? (void *)s : NULL);
}

dp_status vr_settings(vr *s)
{
    dp_run *run = s->run;
    dp_status st;
    if ((st = dp_code_setting(run, "VASP", run->version, s->err)) != DP_OK ||
        (st = dp_incar_settings(run, &s->incar, s->err)) != DP_OK ||
        (st = dp_potcar_setting(run, s->err)) != DP_OK)
        return st;
    return DP_OK;
}
