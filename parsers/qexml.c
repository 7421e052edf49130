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
 * Units: the file is in Hartree atomic units. Hartree → eV with 2 × RYTOEV =
 * 27.211386245988 eV (RYTOEV = 13.605693122994 of QE's Modules/constants.f90,
 * i.e. HARTREE_SI / ELECTRONVOLT_SI of CODATA 2018: the same number, and the
 * constant pwout.c uses, so a run's XML and its pw.x output give the same eV);
 * bohr → Å with BOHR_RADIUS_ANGS = 0.529177210903.
 *
 * What is read:
 *  - program "pw.x (XML)", version from <creator NAME="PWSCF" VERSION="6.7MaX">.
 *  - output/atomic_species: species names (labels such as "Fe1": the element is
 *    the label's one or two leading letters, as in pwout.c), <mass>, <pseudo_file>
 *    (→ dp_species.potential). The XML has no valence: zval is NaN.
 *  - output/atomic_structure: <atom name=...> positions (Cartesian bohr; or
 *    <crystal_positions>, fractional) and <cell> a1 a2 a3 (bohr) as one frame,
 *    frame 0 (the structure of the energy below: for a relax, the last one).
 *  - output/forces (Hartree/bohr, dims "3 nat") → the frame's forces in eV/Å.
 *  - output/total_energy: etot is the free energy F (it includes the smearing term
 *    demet = -TS): e_free = etot, e_noentropy = etot - demet, e_sigma0 their mean,
 *    as for pw.x's standard output; e_sigma0_raw NaN. One ionic step (nsteps 1).
 *  - output/band_structure: lsda (ISPIN 2), noncolin, spinorbit; fermi_energy, or
 *    two_fermi_energies (efermi_spin, efermi the higher), or
 *    highestOccupiedLevel / lowestUnoccupiedLevel (homo, lumo); <smearing
 *    degauss=...> → sigma (eV) and ismear as pwout.c maps it.
 *  - output/magnetization: total (or the length of total_vec for noncollinear
 *    runs) and absolute → has_mag_total (for lsda/noncolin runs only: spinless runs
 *    write zeros); Scalar_Site_Magnetic_Moments (7.x) → run->mag, ncomp 1, "tot".
 *  - output/convergence_info: opt_conv/convergence_achieved if present (a
 *    geometry optimisation), else scf_conv/convergence_achieved → converged ±1
 *    (false: with a warning).
 *  - <status> / <exit_status>: non-zero → a warning.
 *  - settings (dftpost.h, dp_run_setting; qe_common.h makes them as pwout.c does):
 *    CODE = QE, VERSION, XC from output/dft/functional, ENCUT from
 *    output/basis_set/ecutwfc (Ha), ISPIN, SMEARING and SIGMA from band_structure
 *    (degauss in Ha; occupations_kind fixed/tetrahedra), LDAU (+ LDAUL, LDAUU from
 *    dftU/Hubbard_U, in Ry), IVDW from dft/vdW/vdw_corr, POTCAR (pseudo_file names).
 *  - completeness: the root element closed. A file cut before its <output>
 *    structure is an error; cut after it, what was read is kept with
 *    status.complete false.
 */
#include "dftpost.h"
#include "qe_common.h"
#include "xml_input.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#define HA_EV (2 * RYTOEV)
#define MAX_ATOMS 10000000
#define MAX_TYPES 10000

typedef struct {
    char name[16];
    char symbol[4];
    double mass;
    char pseudo[80];
    int count;
} qx_type;

typedef struct {
    xmlTextReaderPtr r;
    xml_input in;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    char xml_msg[256];
    long xml_line;
    bool failed;

    /* collected */
    int ntyp;
    qx_type *types;
    bool have_structure;
    int nat;
    int *atom_type;
    double (*pos)[3];   /* bohr (Cartesian) or fractional */
    bool crystal;
    double cell[3][3];  /* bohr */
    bool have_forces;
    double (*forces)[3];
    bool have_etot, have_demet;
    double etot, demet;
    bool have_ef, have_ef2, have_homo, have_lumo;
    double ef, ef2[2], homo, lumo;
    bool lsda, noncolin, spinorbit;
    bool have_smearing;
    double degauss;
    char smearing[32];
    bool have_bands;
    char occ_kind[32];
    /* settings: output/dft and output/basis_set */
    bool have_dft, dftu;
    char xc[64], vdw[32];
    int nhub;
    struct { char specie[16]; int l; double u_ry; } hub[64];
    double ecutwfc;     /* Ha, NaN if absent */
    bool have_mtot, have_mabs;
    double mtot, mabs;
    double *site;       /* [nsite] */
    long nsite;
    int scf_conv, opt_conv; /* 1 true, -1 false, 0 absent */
    bool have_status;
    long status;
    bool closed;
    long break_line;
} qx;

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

static bool qx_fail(qx *s, xmlNodePtr n, dp_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool qx_fail(qx *s, xmlNodePtr n, dp_status code, const char *fmt, ...)
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

/* ---- DOM helpers --------------------------------------------------------- */

static const char *nname(xmlNodePtr n) { return n && n->name ? (const char *)n->name : ""; }

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(nname(c), name))
            return c;
    return NULL;
}

/* Text of an element (malloc'd by libxml2: xmlFree), or NULL. Refuses entity
 * references (there can be none without a DTD, which is refused earlier). */
static char *text_of(qx *s, xmlNodePtr n)
{
    if (!n)
        return NULL;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ENTITY_REF_NODE) {
            qx_fail(s, n, DP_ERR_FORMAT, "entity references are not allowed");
            return NULL;
        }
    return (char *)xmlNodeGetContent(n);
}

/* Whitespace-separated numbers of a text ("*****" → NaN); count, -1 on a bad
 * token, max + 1 if more follow. */
static long parse_numbers(const char *p, double *out, long max)
{
    long n = 0;
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            return n;
        if (n == max)
            return max + 1;
        if (*p == '*') {
            while (*p == '*')
                p++;
            out[n++] = NAN;
        } else {
            char *end;
            double v = strtod(p, &end);
            if (end == p)
                return -1;
            for (const char *c = p; c < end; c++)
                if (!strchr("0123456789+-.eEdD", *c))
                    return -1;
            out[n++] = v;
            p = end;
        }
        if (*p && !isspace((unsigned char)*p))
            return -1;
    }
}

/* Exactly want numbers from element n into out. */
static bool numbers(qx *s, xmlNodePtr n, double *out, long want, const char *what)
{
    char *t = text_of(s, n);
    if (!t)
        return s->failed ? false : qx_fail(s, n, DP_ERR_FORMAT, "<%s> is empty", what);
    long k = parse_numbers(t, out, want);
    xmlFree(t);
    if (k != want)
        return qx_fail(s, n, DP_ERR_FORMAT, "<%s>: expected %ld number%s, found %s", what, want,
                       want == 1 ? "" : "s", k < 0 ? "a non-number" : k > want ? "more" : "fewer");
    return true;
}

static bool optional_number(qx *s, xmlNodePtr parent, const char *name, double *v, bool *have)
{
    xmlNodePtr n = child(parent, name);
    if (!n)
        return true;
    if (!numbers(s, n, v, 1, name))
        return false;
    *have = true;
    return true;
}

/* <lsda>true</lsda>: 1 true, 0 false, -1 absent or neither. */
static int boolean(qx *s, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = child(parent, name);
    char *t = text_of(s, n);
    if (!t)
        return -1;
    const char *p = t;
    while (isspace((unsigned char)*p))
        p++;
    int v = (!strncmp(p, "true", 4) || !strncmp(p, "1", 1) || !strncmp(p, ".true.", 6)) ? 1
            : (!strncmp(p, "false", 5) || !strncmp(p, "0", 1) || !strncmp(p, ".false.", 7)) ? 0
                                                                                              : -1;
    xmlFree(t);
    return v;
}

static void attr_copy(xmlNodePtr n, const char *attr, char *buf, size_t size)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    snprintf(buf, size, "%s", v ? (const char *)v : "");
    xmlFree(v);
}

static bool attr_long(xmlNodePtr n, const char *attr, long lo, long hi, long *out)
{
    char buf[32];
    attr_copy(n, attr, buf, sizeof buf);
    char *end;
    errno = 0;
    long v = strtol(buf, &end, 10);
    if (end == buf || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static void trim_copy(const char *t, char *out, size_t size)
{
    while (isspace((unsigned char)*t))
        t++;
    size_t n = strlen(t);
    while (n && isspace((unsigned char)t[n - 1]))
        n--;
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), t);
}

/* ---- the subtrees read --------------------------------------------------- */

static bool on_general_info(qx *s, xmlNodePtr n)
{
    xmlNodePtr c = child(n, "creator");
    if (c)
        attr_copy(c, "VERSION", s->run->version, sizeof s->run->version);
    return true;
}

static bool on_species(qx *s, xmlNodePtr n)
{
    int count = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(nname(c), "species"))
            count++;
    if (count < 1 || count > MAX_TYPES)
        return qx_fail(s, n, DP_ERR_FORMAT, "<atomic_species> has %d <species> (1 to %d expected)",
                       count, MAX_TYPES);
    free(s->types);
    s->types = calloc((size_t)count, sizeof *s->types);
    if (!s->types)
        return qx_fail(s, n, DP_ERR_NOMEM, "out of memory");
    s->ntyp = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp(nname(c), "species"))
            continue;
        qx_type *t = &s->types[s->ntyp++];
        attr_copy(c, "name", t->name, sizeof t->name);
        if (!dp_qe_element(t->name, t->symbol))
            return qx_fail(s, c, DP_ERR_FORMAT, "species \"%s\": no element in its name",
                           t->name);
        t->mass = NAN;
        bool have = false;
        if (!optional_number(s, c, "mass", &t->mass, &have))
            return false;
        char *pf = text_of(s, child(c, "pseudo_file"));
        if (pf) {
            const char *p = pf;
            while (isspace((unsigned char)*p))
                p++;
            const char *base = strrchr(p, '/');
            snprintf(t->pseudo, sizeof t->pseudo, "%s", base ? base + 1 : p);
            size_t l = strlen(t->pseudo);
            while (l && isspace((unsigned char)t->pseudo[l - 1]))
                t->pseudo[--l] = '\0';
            xmlFree(pf);
        } else if (s->failed) {
            return false;
        }
    }
    return true;
}

static bool on_structure(qx *s, xmlNodePtr n)
{
    long nat;
    if (!attr_long(n, "nat", 1, MAX_ATOMS, &nat))
        return qx_fail(s, n, DP_ERR_FORMAT, "<atomic_structure> has no valid nat (1 to %d)",
                       MAX_ATOMS);
    xmlNodePtr pos = child(n, "atomic_positions");
    bool crystal = false;
    if (!pos && (pos = child(n, "crystal_positions")))
        crystal = true;
    if (!pos)
        return qx_fail(s, n, DP_ERR_FORMAT, "<atomic_structure> has no <atomic_positions>");
    xmlNodePtr cell = child(n, "cell");
    if (!cell)
        return qx_fail(s, n, DP_ERR_FORMAT, "<atomic_structure> has no <cell>");
    double c[3][3];
    const char *vec[3] = {"a1", "a2", "a3"};
    for (int i = 0; i < 3; i++) {
        xmlNodePtr a = child(cell, vec[i]);
        if (!a)
            return qx_fail(s, cell, DP_ERR_FORMAT, "<cell> has no <%s>", vec[i]);
        if (!numbers(s, a, c[i], 3, vec[i]))
            return false;
    }
    free(s->pos);
    free(s->atom_type);
    s->pos = malloc((size_t)nat * sizeof *s->pos);
    s->atom_type = malloc((size_t)nat * sizeof *s->atom_type);
    if (!s->pos || !s->atom_type)
        return qx_fail(s, n, DP_ERR_NOMEM, "out of memory for %ld atoms", nat);
    long a = 0;
    for (xmlNodePtr at = pos->children; at; at = at->next) {
        if (at->type != XML_ELEMENT_NODE || strcmp(nname(at), "atom"))
            continue;
        if (a == nat)
            return qx_fail(s, at, DP_ERR_FORMAT, "more <atom> elements than nat = %ld", nat);
        char name[16];
        attr_copy(at, "name", name, sizeof name);
        int t = -1;
        for (int k = 0; k < s->ntyp; k++)
            if (!strcmp(s->types[k].name, name))
                t = k;
        if (t < 0)
            return qx_fail(s, at, DP_ERR_FORMAT, "atom %ld is a \"%s\", which is not in "
                           "<atomic_species>", a + 1, name);
        s->atom_type[a] = t;
        if (!numbers(s, at, s->pos[a], 3, "atom"))
            return false;
        a++;
    }
    if (a != nat)
        return qx_fail(s, pos, DP_ERR_FORMAT, "%ld <atom> elements, nat = %ld", a, nat);
    s->nat = (int)nat;
    s->crystal = crystal;
    memcpy(s->cell, c, sizeof c);
    s->have_structure = true;
    return true;
}

static bool on_forces(qx *s, xmlNodePtr n)
{
    if (!s->have_structure)
        return true;
    double (*f)[3] = malloc((size_t)s->nat * sizeof *f);
    if (!f)
        return qx_fail(s, n, DP_ERR_NOMEM, "out of memory for forces");
    if (!numbers(s, n, &f[0][0], 3L * s->nat, "forces")) {
        free(f);
        return false;
    }
    free(s->forces);
    s->forces = f;
    s->have_forces = true;
    return true;
}

static bool on_energy(qx *s, xmlNodePtr n)
{
    xmlNodePtr e = child(n, "etot");
    if (!e)
        return qx_fail(s, n, DP_ERR_FORMAT, "<total_energy> has no <etot>");
    if (!numbers(s, e, &s->etot, 1, "etot"))
        return false;
    s->have_etot = true;
    return optional_number(s, n, "demet", &s->demet, &s->have_demet);
}

static bool on_bands(qx *s, xmlNodePtr n)
{
    s->have_bands = true;
    char *ok = text_of(s, child(n, "occupations_kind"));
    if (ok) {
        trim_copy(ok, s->occ_kind, sizeof s->occ_kind);
        xmlFree(ok);
    }
    s->lsda = boolean(s, n, "lsda") == 1;
    s->noncolin = boolean(s, n, "noncolin") == 1;
    s->spinorbit = boolean(s, n, "spinorbit") == 1;
    if (s->failed)
        return false;
    if (!optional_number(s, n, "fermi_energy", &s->ef, &s->have_ef))
        return false;
    xmlNodePtr two = child(n, "two_fermi_energies");
    if (two) {
        if (!numbers(s, two, s->ef2, 2, "two_fermi_energies"))
            return false;
        s->have_ef2 = true;
    }
    if (!optional_number(s, n, "highestOccupiedLevel", &s->homo, &s->have_homo) ||
        !optional_number(s, n, "lowestUnoccupiedLevel", &s->lumo, &s->have_lumo))
        return false;
    xmlNodePtr sm = child(n, "smearing");
    if (sm) {
        char buf[40];
        attr_copy(sm, "degauss", buf, sizeof buf);
        double v;
        if (parse_numbers(buf, &v, 1) == 1) {
            s->degauss = v;
            s->have_smearing = true;
        }
        char *t = text_of(s, sm);
        if (t) {
            const char *p = t;
            while (isspace((unsigned char)*p))
                p++;
            snprintf(s->smearing, sizeof s->smearing, "%s", p);
            xmlFree(t);
        }
    }
    return !s->failed;
}

/* <dft>: <functional>PBE</functional>, <dftU> with <Hubbard_U specie="Fe1" label="3d">
 * (Ry), <vdW><vdw_corr>grimme-d2</vdw_corr>. */
static bool on_dft(qx *s, xmlNodePtr n)
{
    s->have_dft = true;
    char *t = text_of(s, child(n, "functional"));
    if (t) {
        snprintf(s->xc, sizeof s->xc, "%s", t);
        xmlFree(t);
    }
    xmlNodePtr u = child(n, "dftU");
    s->dftu = u != NULL;
    for (xmlNodePtr c = u ? u->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp(nname(c), "Hubbard_U") ||
            s->nhub >= (int)(sizeof s->hub / sizeof *s->hub))
            continue;
        double v;
        if (!numbers(s, c, &v, 1, "Hubbard_U"))
            return false;
        char label[16];
        attr_copy(c, "specie", s->hub[s->nhub].specie, sizeof s->hub[0].specie);
        attr_copy(c, "label", label, sizeof label);
        s->hub[s->nhub].l = dp_qe_orbital_l(label);
        s->hub[s->nhub].u_ry = v;
        s->nhub++;
    }
    xmlNodePtr vdw = child(n, "vdW");
    if (vdw && (t = text_of(s, child(vdw, "vdw_corr")))) {
        snprintf(s->vdw, sizeof s->vdw, "%s", t);
        xmlFree(t);
    }
    return !s->failed;
}

static bool on_basis(qx *s, xmlNodePtr n)
{
    bool have = false;
    return optional_number(s, n, "ecutwfc", &s->ecutwfc, &have);
}

static bool on_magnetization(qx *s, xmlNodePtr n)
{
    if (!optional_number(s, n, "total", &s->mtot, &s->have_mtot) ||
        !optional_number(s, n, "absolute", &s->mabs, &s->have_mabs))
        return false;
    xmlNodePtr vec = child(n, "total_vec");
    if (vec) {
        double v[3];
        if (!numbers(s, vec, v, 3, "total_vec"))
            return false;
        s->mtot = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        s->have_mtot = true;
    }
    xmlNodePtr sites = child(n, "Scalar_Site_Magnetic_Moments");
    if (sites && s->have_structure) {
        double *m = malloc((size_t)s->nat * sizeof *m);
        if (!m)
            return qx_fail(s, sites, DP_ERR_NOMEM, "out of memory");
        long k = 0;
        for (xmlNodePtr c = sites->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || strcmp(nname(c), "SiteMagnetization"))
                continue;
            long atom;
            if (!attr_long(c, "atom", 1, s->nat, &atom) || atom != k + 1) {
                free(m);
                return qx_fail(s, c, DP_ERR_FORMAT, "<SiteMagnetization> %ld has no atom=\"%ld\"",
                               k + 1, k + 1);
            }
            if (!numbers(s, c, &m[k], 1, "SiteMagnetization")) {
                free(m);
                return false;
            }
            k++;
        }
        if (k != s->nat) {
            free(m);
            return qx_fail(s, sites, DP_ERR_FORMAT, "%ld <SiteMagnetization> for %d atoms", k,
                           s->nat);
        }
        free(s->site);
        s->site = m;
        s->nsite = k;
    }
    return true;
}

static int achieved(qx *s, xmlNodePtr n)
{
    if (!n)
        return 0;
    int b = boolean(s, n, "convergence_achieved");
    return b == 1 ? 1 : b == 0 ? -1 : 0;
}

static bool on_convergence(qx *s, xmlNodePtr n)
{
    s->scf_conv = achieved(s, child(n, "scf_conv"));
    s->opt_conv = achieved(s, child(n, "opt_conv"));
    return !s->failed;
}

static bool on_status(qx *s, xmlNodePtr n)
{
    double v;
    char *t = text_of(s, n);
    if (t && parse_numbers(t, &v, 1) == 1) {
        s->status = (long)v;
        s->have_status = true;
    }
    xmlFree(t);
    return !s->failed;
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
    {"general_info", 1, on_general_info},
    {"status", 1, on_status},
    {"exit_status", 1, on_status},
    {"convergence_info", 2, on_convergence},
    {"atomic_species", 2, on_species},
    {"atomic_structure", 2, on_structure},
    {"forces", 2, on_forces},
    {"total_energy", 2, on_energy},
    {"band_structure", 2, on_bands},
    {"magnetization", 2, on_magnetization},
    {"dft", 2, on_dft},
    {"basis_set", 2, on_basis},
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

static dp_status assemble(qx *s)
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
        code = assemble(&s);
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
