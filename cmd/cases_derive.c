/* The review's derived figures from dftpost's library (see cases_derive.h). */
#include "cases_derive.h"
#include "../analysis/che.h"
#include "../analysis/scaling.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int quoted_decimals(const char *s)
{
    const char *dot = strchr(s, '.');
    if (!dot)
        return 0;
    int n = 0;
    while (isdigit((unsigned char)dot[1 + n]))
        n++;
    return n;
}

/* Formats v[0..n) like the quoted value: each number with the decimals of the quoted
 * token at its place, joined by the quoted separators (',' or ';'). */
static void format_like(const char *quoted, const double *v, int n, char *out, size_t size)
{
    const char *p = quoted;
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n && len < size; i++) {
        int dec = quoted_decimals(p);
        double x = fabs(v[i]) < 0.5 * pow(10, -dec) ? 0.0 : v[i]; /* no "-0.00" */
        int w = snprintf(out + len, size - len, "%.*f", dec, x);
        len += w > 0 ? (size_t)w : 0;
        const char *sep = strpbrk(p, ",;");
        if (i + 1 < n && len + 1 < size) {
            out[len++] = sep ? *sep : ';';
            out[len] = 0;
        }
        p = sep ? sep + 1 : p + strlen(p);
    }
}

/* "0.88 Eb(*CO) + 2.03" → coefficients of named variables and a constant. */
typedef struct {
    int nvar;
    double coef[4];
    char var[4][32];
    bool has_const;
    double constant;
} relation;

static bool parse_relation(const char *rhs, relation *r)
{
    memset(r, 0, sizeof *r);
    const char *p = rhs;
    double sign = 1;
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            p++;
            continue;
        }
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return false;
        p = end;
        while (*p == ' ')
            p++;
        if (*p && *p != '+' && *p != '-') { /* a variable name follows */
            if (r->nvar == 4)
                return false;
            size_t k = 0;
            while (*p && *p != ' ' && k + 1 < sizeof r->var[0])
                r->var[r->nvar][k++] = *p++;
            r->var[r->nvar][k] = 0;
            r->coef[r->nvar++] = sign * v;
        } else {
            r->has_const = true;
            r->constant += sign * v;
        }
        sign = 1;
    }
    return r->nvar > 0;
}

static int derive_relation(const review_case *c, const char *rhs, case_derivation *d)
{
    relation r;
    if (!parse_relation(rhs, &r))
        return -1;
    enum { N = 9 };
    double v[5];
    int nv = 0;
    size_t len = 0;
    double intercept = NAN;
    for (int k = 0; k < r.nvar; k++) {
        /* y on a grid of the k-th variable, the others at 0 */
        double x[N], y[N];
        for (int i = 0; i < N; i++) {
            x[i] = -2.0 + 0.25 * i;
            y[i] = r.coef[k] * x[i] + (r.has_const ? r.constant : 0);
        }
        dp_scaling_fit fit;
        dp_error err = {0};
        if (dp_scaling_fit_linear(x, y, N, &fit, &err))
            return -1;
        v[nv++] = fit.slope;
        if (k == 0)
            intercept = fit.intercept;
        int w = snprintf(d->how + len, sizeof d->how - len,
                         "%sdp_scaling_fit_linear on %d points y = %g*%s%+g, %s = -2..0: slope "
                         "%.10g, intercept %.10g, r2 %.10g", k ? "; " : "", N, r.coef[k],
                         r.var[k], r.has_const ? r.constant : 0.0, r.var[k], fit.slope,
                         fit.intercept, fit.r2);
        len += w > 0 ? (size_t)w : 0;
        if (len >= sizeof d->how)
            len = sizeof d->how - 1;
    }
    if (r.has_const)
        v[nv++] = intercept;
    format_like(c->value, v, nv, d->value, sizeof d->value);
    return 0;
}

/* "for CH3, CH2, CH vs C" with "xmax(C)=4" in the note. */
static int derive_gamma(const review_case *c, case_derivation *d)
{
    const char *f = strstr(c->quantity, " for ");
    const char *vs = f ? strstr(f, " vs ") : NULL;
    const char *xm = strstr(c->note, "xmax(");
    if (!f || !vs || !xm)
        return -1;
    char el[4] = "";
    int xmax = 0;
    if (sscanf(xm, "xmax(%3[A-Za-z])=%d", el, &xmax) != 2 || xmax <= 0)
        return -1;
    double v[8];
    int n = 0;
    size_t len = 0;
    const char *p = f + 5;
    while (p < vs && n < 8) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, el, strlen(el)))
            return -1;
        p += strlen(el);
        int x = 0;
        if (*p == 'H') {
            p++;
            x = isdigit((unsigned char)*p) ? (int)strtol(p, (char **)&p, 10) : 1;
        }
        v[n] = dp_scaling_gamma(xmax, x);
        int w = snprintf(d->how + len, sizeof d->how - len,
                         "%sdp_scaling_gamma: %sH%d vs %s, (%d - %d)/%d = %.10g", n ? "; " : "", el,
                         x, el, xmax, x, xmax, v[n]);
        len += w > 0 ? (size_t)w : 0;
        if (len >= sizeof d->how)
            len = sizeof d->how - 1;
        n++;
        while (p < vs && *p != ',')
            p++;
    }
    if (n == 0)
        return -1;
    format_like(c->value, v, n, d->value, sizeof d->value);
    return 0;
}

int case_derive(const review_case *c, case_derivation *d)
{
    memset(d, 0, sizeof *d);
    if (strcmp(c->kind, "derived"))
        return -1;
    const char *q = c->quantity;
    int status = -1;
    const char *off = strstr(q, "dG(*OOH)=dG(*OH)+");
    if (off && (strstr(q, "limiting potential") || strstr(q, "overpotential"))) {
        double cc = strtod(off + strlen("dG(*OOH)=dG(*OH)+"), NULL);
        dp_che_reaction r = strstr(c->reaction, "OER") ? DP_CHE_OER : DP_CHE_ORR;
        double xa, ul, eta;
        dp_che_volcano_apex(r, cc, &xa, &ul, &eta);
        bool want_eta = strstr(q, "overpotential") != NULL;
        double v = want_eta ? eta : ul;
        snprintf(d->how, sizeof d->how,
                 "dp_che_volcano_apex(%s, offset %g): U_L = %.10g V at dG(*OH) = %.10g eV, "
                 "eta = %.10g V (dftpost volcano --reaction %s --offset %g --summary)",
                 r == DP_CHE_ORR ? "ORR" : "OER", cc, ul, xa, eta,
                 r == DP_CHE_ORR ? "orr" : "oer", cc);
        format_like(c->value, &v, 1, d->value, sizeof d->value);
        status = 0;
    } else if (strstr(q, "ideal scaling offset")) {
        double cc = DP_CHE_WATER_SPLITTING_EV / 2, xa, ul, eta;
        dp_che_volcano_apex(DP_CHE_ORR, cc, &xa, &ul, &eta);
        snprintf(d->how, sizeof d->how,
                 "offset C = 4.92/2 = %.10g eV; dp_che_volcano_apex(ORR, C): U_L = %.10g V, eta = "
                 "%.3g V (dftpost volcano --reaction orr --offset 2.46 --summary)", cc, ul, eta);
        format_like(c->value, &cc, 1, d->value, sizeof d->value);
        status = fabs(eta) < 1e-12 ? 0 : -1;
    } else if (strstr(q, "gamma") || strstr(q, "scaling slope for")) {
        status = derive_gamma(c, d);
    } else if (strstr(q, "Kubo")) {
        const double ef = 5.53; /* Au, free-electron model (Ashcroft & Mermin, table 2.1) */
        const int n = 100;
        double delta = 4 * ef / (3.0 * n);
        snprintf(d->value, sizeof d->value, "%.4f", delta);
        snprintf(d->how, sizeof d->how,
                 "no number quoted: the formula on an example, Au (E_F = %.2f eV, free-electron) "
                 "with N = %d atoms: 4*%.2f/(3*%d) = %.10g eV", ef, n, ef, n, delta);
        d->no_value = true;
        status = 0;
    } else {
        const char *eq = strrchr(q, '=');
        if (eq)
            status = derive_relation(c, eq + 1, d);
    }
    if (status == 0 && !d->no_value)
        d->match = !strcmp(d->value, c->value);
    return status;
}
