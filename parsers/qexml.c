/*
 * Quantum ESPRESSO data-file-schema.xml reader (QEXSD, pw.x 6.x/7.x; plain or
 * gzip): the <output> of a run as one structure and one set of energies.
 *
 * The file is read with libxml2's streaming reader (xmlTextReader) through
 * xml_input.c, which also drops the <ks_energies> elements (eigenvalues and
 * occupations of every k-point, most of a large file and unused) from the byte
 * stream before parsing. Only the small subtrees read are expanded into DOM nodes
 * (xmlTextReaderExpand): general_info, and under output convergence_info,
 * atomic_species, atomic_structure, magnetization, total_energy, band_structure,
 * forces; <input> and the per-step <step> records are skipped. Memory is thus that
 * of the largest such subtree (the structure: a few hundred bytes per atom), not of
 * the file. The file is untrusted: no network (XML_PARSE_NONET), no entity
 * substitution and no DTD loading (neither XML_PARSE_NOENT nor XML_PARSE_DTDLOAD),
 * and a document with a DOCTYPE or an entity reference is refused.
 *
 * What each subtree gives: qexml_subtrees.c; how the run is made of it (units,
 * energies, settings, completeness): qexml_assemble.c.
 */
#include "qexml_reader.h"

/* ---- errors -------------------------------------------------------------- */

static long node_line(qx *s, xmlNodePtr n)
{
    long line = n ? xmlGetLineNo(n) : -1;
    if (line <= 0 && n && n->parent)
        line = xmlGetLineNo(n->parent);
    if (line <= 0)
        line = xmlTextReaderGetParserLineNumber(s->r);
    return xml_input_file_line(&s->in, line);
}

bool qx_fail(qx *s, xmlNodePtr n, dp_status code, const char *fmt, ...)
{
    if (s->failed)
        return false;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    dp_fail(s->err, code, "%s: line %ld: %s", s->path, node_line(s, n), what);
    s->fail_code = code;
    s->failed = true;
    return false;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    qx *s = ctx;
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
    (void)ctx;
    return 0;
}

/* ---- the stream ---------------------------------------------------------- */

/* One reader step: 1 a node, 0 the end or a break (cut or not well-formed XML),
 * -1 refused (s->err filled). */
static int step(qx *s, int ret)
{
    if (ret != 1)
        return 0;
    int t = xmlTextReaderNodeType(s->r);
    if (t == XML_READER_TYPE_DOCUMENT_TYPE)
        return qx_fail(s, xmlTextReaderCurrentNode(s->r), DP_ERR_FORMAT,
                       "a DTD is not allowed in a QE XML file"), -1;
    if (t == XML_READER_TYPE_ENTITY_REFERENCE)
        return qx_fail(s, xmlTextReaderCurrentNode(s->r), DP_ERR_FORMAT,
                       "entity references are not allowed in a QE XML file"), -1;
    return 1;
}

typedef bool (*subtree_fn)(qx *s, xmlNodePtr n);

static const struct {
    const char *name;
    int depth;          /* 1: child of the root; 2: child of <output> */
    subtree_fn fn;
} SUBTREES[] = {
    {"general_info", 1, qx_on_general_info},
    {"status", 1, qx_on_status},
    {"exit_status", 1, qx_on_status},
    {"convergence_info", 2, qx_on_convergence},
    {"atomic_species", 2, qx_on_species},
    {"atomic_structure", 2, qx_on_structure},
    {"forces", 2, qx_on_forces},
    {"total_energy", 2, qx_on_energy},
    {"band_structure", 2, qx_on_bands},
    {"magnetization", 2, qx_on_magnetization},
    {"dft", 2, qx_on_dft},
    {"basis_set", 2, qx_on_basis},
};

static dp_status parse(qx *s)
{
    int rc;
    /* the root element */
    do {
        rc = step(s, xmlTextReaderRead(s->r));
        if (rc < 0)
            return s->fail_code;
        if (rc == 0) {
            if (s->xml_msg[0])
                return dp_fail(s->err, DP_ERR_FORMAT, "%s: line %ld: not XML: %s", s->path,
                               s->xml_line, s->xml_msg);
            return dp_fail(s->err, DP_ERR_FORMAT, "%s: no XML element found", s->path);
        }
    } while (xmlTextReaderNodeType(s->r) != XML_READER_TYPE_ELEMENT);
    const char *root = (const char *)xmlTextReaderConstLocalName(s->r);
    if (!root || strcmp(root, "espresso") != 0)
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: not a QE XML file (root element <%.40s>, "
                       "expected <qes:espresso>)", s->path, root ? root : "");
    if (xmlTextReaderIsEmptyElement(s->r))
        return dp_fail(s->err, DP_ERR_FORMAT, "%s: <qes:espresso> is empty", s->path);
    bool in_output = false;
    rc = step(s, xmlTextReaderRead(s->r));
    while (rc == 1) {
        int type = xmlTextReaderNodeType(s->r);
        int depth = xmlTextReaderDepth(s->r);
        const char *name = (const char *)xmlTextReaderConstLocalName(s->r);
        name = name ? name : "";
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == 0)
                s->closed = true;
            else if (depth == 1)
                in_output = false;
            rc = step(s, xmlTextReaderRead(s->r));
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT || depth > 2 || (depth == 2 && !in_output)) {
            rc = step(s, depth >= 1 && type == XML_READER_TYPE_ELEMENT ? xmlTextReaderNext(s->r)
                                                                       : xmlTextReaderRead(s->r));
            continue;
        }
        if (depth == 1 && !strcmp(name, "output") && !xmlTextReaderIsEmptyElement(s->r)) {
            in_output = true;
            rc = step(s, xmlTextReaderRead(s->r));
            continue;
        }
        subtree_fn fn = NULL;
        for (size_t k = 0; k < sizeof SUBTREES / sizeof *SUBTREES; k++)
            if (SUBTREES[k].depth == depth && !strcmp(SUBTREES[k].name, name))
                fn = SUBTREES[k].fn;
        if (fn) {
            xmlNodePtr n = xmlTextReaderExpand(s->r);
            if (!n)
                break; /* the subtree is cut */
            if (!fn(s, n))
                return s->fail_code;
        }
        rc = step(s, xmlTextReaderNext(s->r));
    }
    if (rc < 0)
        return s->fail_code;
    if (s->failed)
        return s->fail_code;
    if (!s->closed)
        s->break_line = s->xml_msg[0] ? s->xml_line : xml_input_file_line(&s->in,
                                                          xmlTextReaderGetParserLineNumber(s->r));
    return DP_OK;
}

dp_status dp_qexml_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    qx s = {.path = path, .err = err, .ecutwfc = NAN};
    if (opts)
        s.opts = *opts;
    static const char *const drop[] = {"ks_energies", NULL};
    if (xml_input_open(&s.in, path, drop) != 0)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    s.run = calloc(1, sizeof *s.run);
    if (!s.run) {
        xml_input_close(&s.in);
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    dp_run *run = s.run;
    snprintf(run->path, sizeof run->path, "%s", path);
    snprintf(run->program, sizeof run->program, "pw.x (XML)");
    run->params.lorbit = -1;
    run->first_frame_step = -1;
    run->efermi = run->homo = run->lumo = NAN;
    run->mag_total = run->mag_abs = NAN;
    /* No network, no entity substitution, no DTD loading: the file is untrusted. */
    s.r = xmlReaderForIO(xml_input_read, io_close, &s.in, path, s.in.latin1 ? "UTF-8" : NULL,
                         XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                             (s.in.latin1 ? XML_PARSE_IGNORE_ENC : 0));
    if (!s.r) {
        xml_input_close(&s.in);
        dp_run_free(run);
        return dp_fail(err, DP_ERR_NOMEM, "%s: cannot create an XML reader", path);
    }
    xmlTextReaderSetStructuredErrorHandler(s.r, on_xml_error, &s);
    dp_status code = parse(&s);
    if (code == DP_OK)
        code = qx_assemble(&s);
    long long done = xml_input_offset(&s.in);
    xmlFreeTextReader(s.r);
    xml_input_close(&s.in);
    free(s.types);
    free(s.pos);
    free(s.atom_type);
    free(s.forces);
    free(s.site);
    if (code != DP_OK) {
        dp_run_free(run);
        return code;
    }
    if (s.opts.progress)
        s.opts.progress(done, done, s.opts.progress_ud);
    *out = run;
    return DP_OK;
}
