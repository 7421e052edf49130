/* Shared by the Quantum ESPRESSO readers: see qe_common.h. */
#include "qe_common.h"

#include "dftpost.h"
#include "incar.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool valid_element(const char *sym) { return dp_covalent_radius(sym) > 0; }

bool dp_qe_element(const char *t, char sym[4])
{
    if (!isalpha((unsigned char)t[0]))
        return false;
    sym[0] = (char)toupper((unsigned char)t[0]);
    sym[1] = sym[2] = sym[3] = '\0';
    if (isalpha((unsigned char)t[1])) {
        sym[1] = (char)tolower((unsigned char)t[1]);
        if (valid_element(sym))
            return true;
        sym[1] = '\0';
    }
    return valid_element(sym);
}

bool dp_qe_cell_inverse(const double lattice[3][3], double inv[3][3])
{
    return fabs(dp_lattice_det(lattice)) > 1e-12 && dp_lattice_inverse(lattice, inv);
}

/* ---- settings ------------------------------------------------------------ */

static void collapse_upper(const char *in, size_t n, char *out, size_t size)
{
    size_t k = 0;
    bool blank = false;
    for (size_t i = 0; i < n && in[i] && k + 1 < size; i++) {
        unsigned char c = (unsigned char)in[i];
        if (isspace(c)) {
            blank = k > 0;
            continue;
        }
        if (blank && k + 2 < size)
            out[k++] = ' ';
        blank = false;
        out[k++] = (char)toupper(c);
    }
    out[k] = '\0';
}

void dp_qe_xc(const char *xc, char *out, size_t size)
{
    collapse_upper(xc, strcspn(xc, "("), out, size);
    static const char *const names[][2] = {
        {"SLA PW PBE PBE", "PBE"},    {"SLA PW PBX PBC", "PBE"},    {"SLA PZ NOGX NOGC", "PZ"},
        {"LDA", "PZ"},                {"SLA PW NOGX NOGC", "PW"},   {"SLA PW PSX PSC", "PBESOL"},
        {"SLA PW GGX GGC", "PW91"},   {"SLA B88 LYP BLYP", "BLYP"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(out, names[i][0])) {
            snprintf(out, size, "%s", names[i][1]);
            return;
        }
}

void dp_qe_smearing(const char *name, char *out, size_t size)
{
    char n[32];
    collapse_upper(name, strlen(name), n, sizeof n);
    static const char *const names[][2] = {
        {"GAUSSIAN", "GAUSSIAN"},
        {"GAUSS", "GAUSSIAN"},
        {"METHFESSEL-PAXTON", "METHFESSEL-PAXTON"},
        {"MP", "METHFESSEL-PAXTON"},
        {"M-P", "METHFESSEL-PAXTON"},
        {"MARZARI-VANDERBILT", "MARZARI-VANDERBILT"},
        {"MV", "MARZARI-VANDERBILT"},
        {"M-V", "MARZARI-VANDERBILT"},
        {"COLD", "MARZARI-VANDERBILT"},
        {"FERMI-DIRAC", "FERMI-DIRAC"},
        {"FD", "FERMI-DIRAC"},
        {"F-D", "FERMI-DIRAC"},
        {"FIXED", "FIXED"},
        {"TETRAHEDRA", "TETRAHEDRA"},
        {"TETRAHEDRON", "TETRAHEDRA"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(n, names[i][0])) {
            snprintf(out, size, "%s", names[i][1]);
            return;
        }
    snprintf(out, size, "%s", n);
}

int dp_qe_orbital_l(const char *label)
{
    size_t n = strlen(label);
    while (n && isspace((unsigned char)label[n - 1]))
        n--;
    if (!n)
        return -1;
    const char *p = strchr("spdf", tolower((unsigned char)label[n - 1]));
    return p && *p ? (int)(p - "spdf") : -1;
}

void dp_qe_hubbard_lists(int n, const int *l, const double *u, char *ldaul, char *ldauu,
                         size_t size)
{
    size_t a = 0, b = 0;
    ldaul[0] = ldauu[0] = '\0';
    for (int t = 0; t < n; t++) {
        int w = snprintf(ldaul + a, size - a, "%s%d", t ? " " : "", l[t]);
        if (w > 0 && (size_t)w < size - a)
            a += (size_t)w;
        w = snprintf(ldauu + b, size - b, "%s%.6g", t ? " " : "", u[t]);
        if (w > 0 && (size_t)w < size - b)
            b += (size_t)w;
    }
}

static dp_status put(dp_run *run, const char *key, const char *value, dp_error *err)
{
    if (dp_run_set_setting(run, key, value) != DP_OK)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
    return DP_OK;
}

dp_status dp_qe_settings(dp_run *run, const dp_qe_found *q, dp_error *err)
{
    char v[160];
    dp_status st = dp_code_setting(run, "QE", q->version, err);
    if (!st && q->xc && *q->xc) {
        dp_qe_xc(q->xc, v, sizeof v);
        if (v[0])
            st = put(run, "XC", v, err);
    }
    if (!st && isfinite(q->ecutwfc_ry) && q->ecutwfc_ry > 0) {
        snprintf(v, sizeof v, "%.6g", q->ecutwfc_ry * RYTOEV);
        st = put(run, "ENCUT", v, err);
    }
    static const char *const spin[] = {"1", "2", "NONCOLLINEAR", "NONCOLLINEAR+SOC"};
    if (!st && q->spin >= 1 && q->spin <= 4)
        st = put(run, "ISPIN", spin[q->spin - 1], err);
    if (!st && q->smearing) {
        dp_qe_smearing(q->smearing, v, sizeof v);
        st = put(run, "SMEARING", v, err);
    }
    if (!st && isfinite(q->degauss_ry)) {
        snprintf(v, sizeof v, "%.6g", q->degauss_ry * RYTOEV);
        st = put(run, "SIGMA", v, err);
    }
    if (!st && q->ldau)
        st = put(run, "LDAU", q->ldau > 0 ? "T" : "F", err);
    if (!st && q->ldau > 0 && q->ldaul)
        st = put(run, "LDAUL", q->ldaul, err);
    if (!st && q->ldau > 0 && q->ldauu)
        st = put(run, "LDAUU", q->ldauu, err);
    if (!st && q->vdw)
        st = put(run, "IVDW", q->vdw, err);
    if (!st)
        st = dp_potcar_setting(run, err);
    return st;
}
