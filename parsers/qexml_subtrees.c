/*
 * Quantum ESPRESSO XML reader: the DOM helpers and the readers of the subtrees the
 * stream (qexml.c) expands, each keeping what it finds in the reader state, in the
 * file's Hartree atomic units (qexml_assemble.c converts).
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
 */
#include "qexml_reader.h"

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

bool qx_on_general_info(qx *s, xmlNodePtr n)
{
    xmlNodePtr c = child(n, "creator");
    if (c)
        attr_copy(c, "VERSION", s->run->version, sizeof s->run->version);
    return true;
}

bool qx_on_species(qx *s, xmlNodePtr n)
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

bool qx_on_structure(qx *s, xmlNodePtr n)
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

bool qx_on_forces(qx *s, xmlNodePtr n)
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

bool qx_on_energy(qx *s, xmlNodePtr n)
{
    xmlNodePtr e = child(n, "etot");
    if (!e)
        return qx_fail(s, n, DP_ERR_FORMAT, "<total_energy> has no <etot>");
    if (!numbers(s, e, &s->etot, 1, "etot"))
        return false;
    s->have_etot = true;
    return optional_number(s, n, "demet", &s->demet, &s->have_demet);
}

bool qx_on_bands(qx *s, xmlNodePtr n)
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
bool qx_on_dft(qx *s, xmlNodePtr n)
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

bool qx_on_basis(qx *s, xmlNodePtr n)
{
    bool have = false;
    return optional_number(s, n, "ecutwfc", &s->ecutwfc, &have);
}

bool qx_on_magnetization(qx *s, xmlNodePtr n)
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

bool qx_on_convergence(qx *s, xmlNodePtr n)
{
    s->scf_conv = achieved(s, child(n, "scf_conv"));
    s->opt_conv = achieved(s, child(n, "opt_conv"));
    return !s->failed;
}

bool qx_on_status(qx *s, xmlNodePtr n)
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
