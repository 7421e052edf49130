/* Compositions and the exact solve for the reference coefficients of an adsorption
 * energy (see ads.h). */
#include "ads.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- compositions ------------------------------------------------------------------ */

static bool known_element(const char *symbol)
{
    return dp_covalent_radius(symbol) > 0; /* the radius table covers H–Cm */
}

int dp_composition_count(const dp_composition *c, const char *symbol)
{
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->symbol[i], symbol))
            return c->count[i];
    return 0;
}

static void drop_zeros(dp_composition *c)
{
    int k = 0;
    for (int i = 0; i < c->n; i++)
        if (c->count[i]) {
            if (k != i) {
                memcpy(c->symbol[k], c->symbol[i], sizeof c->symbol[k]);
                c->count[k] = c->count[i];
            }
            k++;
        }
    c->n = k;
}

dp_status dp_composition_add(dp_composition *c, const char *symbol, int count, dp_error *err)
{
    if (!known_element(symbol))
        return dp_fail(err, DP_ERR_USAGE, "unknown element \"%s\"", symbol);
    int i = 0;
    while (i < c->n && strcmp(c->symbol[i], symbol))
        i++;
    if (i == c->n) {
        if (c->n == DP_ADS_MAX_ELEMENTS)
            return dp_fail(err, DP_ERR_USAGE, "more than %d elements", DP_ADS_MAX_ELEMENTS);
        snprintf(c->symbol[i], sizeof c->symbol[i], "%s", symbol);
        c->count[i] = 0;
        c->n++;
    }
    long long v = (long long)c->count[i] + count;
    if (v > DP_ADS_MAX_COUNT || v < -DP_ADS_MAX_COUNT)
        return dp_fail(err, DP_ERR_USAGE, "more than %d atoms of %s", DP_ADS_MAX_COUNT, symbol);
    c->count[i] = (int)v;
    return DP_OK;
}

dp_status dp_composition_parse(const char *formula, dp_composition *c, dp_error *err)
{
    memset(c, 0, sizeof *c);
    const char *p = formula;
    if (!*p)
        return dp_fail(err, DP_ERR_USAGE, "empty formula");
    while (*p) {
        if (*p < 'A' || *p > 'Z')
            return dp_fail(err, DP_ERR_USAGE,
                           "formula \"%s\": '%c' at position %d is not an element symbol "
                           "(write e.g. H2O, CO2, NH3; no charges, parentheses or leading "
                           "coefficients)", formula, *p, (int)(p - formula) + 1);
        char sym[4] = {*p++, 0, 0, 0};
        if (*p >= 'a' && *p <= 'z')
            sym[1] = *p++;
        if (!known_element(sym))
            return dp_fail(err, DP_ERR_USAGE, "formula \"%s\": unknown element \"%s\"", formula,
                           sym);
        long n = 1;
        if (*p >= '0' && *p <= '9') {
            n = 0;
            while (*p >= '0' && *p <= '9') {
                n = n * 10 + (*p++ - '0');
                if (n > DP_ADS_MAX_COUNT)
                    return dp_fail(err, DP_ERR_USAGE, "formula \"%s\": count too large", formula);
            }
            if (n == 0)
                return dp_fail(err, DP_ERR_USAGE, "formula \"%s\": count 0 for %s", formula, sym);
        }
        dp_status st = dp_composition_add(c, sym, (int)n, err);
        if (st)
            return st;
    }
    return DP_OK;
}

dp_status dp_composition_diff(const dp_composition *a, const dp_composition *b,
                              dp_composition *out, dp_error *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < a->n; i++) {
        dp_status st = dp_composition_add(out, a->symbol[i], a->count[i], err);
        if (st)
            return st;
    }
    for (int i = 0; i < b->n; i++) {
        dp_status st = dp_composition_add(out, b->symbol[i], -b->count[i], err);
        if (st)
            return st;
    }
    drop_zeros(out);
    return DP_OK;
}

bool dp_composition_equal(const dp_composition *a, const dp_composition *b)
{
    for (int i = 0; i < a->n; i++)
        if (a->count[i] != dp_composition_count(b, a->symbol[i]))
            return false;
    for (int i = 0; i < b->n; i++)
        if (b->count[i] != dp_composition_count(a, b->symbol[i]))
            return false;
    return true;
}

void dp_composition_format(const dp_composition *c, char *buf, size_t size)
{
    size_t len = 0;
    if (size)
        buf[0] = 0;
    for (int i = 0; i < c->n && len < size; i++) {
        if (!c->count[i])
            continue;
        int w = c->count[i] == 1 ? snprintf(buf + len, size - len, "%s", c->symbol[i])
                                 : snprintf(buf + len, size - len, "%s%d", c->symbol[i],
                                            c->count[i]);
        if (w < 0)
            return;
        len += (size_t)w;
    }
}

/* ---- exact fractions ----------------------------------------------------------------- */

static long long gcd_ll(long long a, long long b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        long long t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

/* Returns false on overflow (never with the counts allowed, but checked). */
static bool frac_make(long long num, long long den, dp_fraction *out)
{
    if (den == 0 || num == LLONG_MIN || den == LLONG_MIN)
        return false;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    long long g = gcd_ll(num, den);
    out->num = num / g;
    out->den = den / g;
    return true;
}

static bool frac_sub_mul(dp_fraction a, dp_fraction f, dp_fraction b, dp_fraction *out)
{ /* a − f·b */
    long long n1, d1, n2, d2, n, d;
    if (__builtin_mul_overflow(f.num, b.num, &n1) || __builtin_mul_overflow(f.den, b.den, &d1))
        return false;
    dp_fraction fb;
    if (!frac_make(n1, d1, &fb))
        return false;
    if (__builtin_mul_overflow(a.num, fb.den, &n2) || __builtin_mul_overflow(fb.num, a.den, &d2) ||
        __builtin_sub_overflow(n2, d2, &n) || __builtin_mul_overflow(a.den, fb.den, &d))
        return false;
    return frac_make(n, d, out);
}

static bool frac_div(dp_fraction a, dp_fraction b, dp_fraction *out)
{
    long long n, d;
    if (b.num == 0 || __builtin_mul_overflow(a.num, b.den, &n) ||
        __builtin_mul_overflow(a.den, b.num, &d))
        return false;
    return frac_make(n, d, out);
}

void dp_fraction_format(dp_fraction f, char *buf, size_t size)
{
    if (f.den == 1)
        snprintf(buf, size, "%lld", f.num);
    else
        snprintf(buf, size, "%lld/%lld", f.num, f.den);
}

double dp_fraction_value(dp_fraction f) { return (double)f.num / (double)f.den; }

/* ---- the solve ----------------------------------------------------------------------- */

static void name_list(const char *const *names, const bool *pick, int n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (int j = 0; j < n && len < size; j++)
        if (!pick || pick[j]) {
            int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", names[j]);
            if (w < 0)
                return;
            len += (size_t)w;
        }
}

dp_status dp_ads_solve(const dp_composition *delta, const dp_composition *ref,
                       const char *const *names, int nref, dp_fraction *coef, dp_error *err)
{
    if (nref < 0 || nref > DP_ADS_MAX_REFS)
        return dp_fail(err, DP_ERR_USAGE, "between 0 and %d references, not %d", DP_ADS_MAX_REFS,
                       nref);
    char all[512], dstr[256];
    name_list(names, NULL, nref, all, sizeof all);
    dp_composition_format(delta, dstr, sizeof dstr);

    /* The rows: every element of delta or of a reference. */
    dp_composition elems = {0};
    for (int i = 0; i < delta->n; i++)
        if (dp_composition_add(&elems, delta->symbol[i], 1, err))
            return err->code;
    for (int j = 0; j < nref; j++)
        for (int i = 0; i < ref[j].n; i++)
            if (dp_composition_add(&elems, ref[j].symbol[i], 1, err))
                return err->code;
    for (int i = 0; i < delta->n; i++) {
        if (!delta->count[i])
            continue;
        bool supplied = false;
        for (int j = 0; j < nref; j++)
            supplied |= dp_composition_count(&ref[j], delta->symbol[i]) != 0;
        if (!supplied)
            return dp_fail(err, DP_ERR_INCOMPLETE,
                           "element %s of AB - A (%s) is in none of the references%s%s%s",
                           delta->symbol[i], dstr, nref ? " (" : "", all, nref ? ")" : "");
    }

    /* Augmented matrix [ref | delta], reduced to row echelon form. */
    const int m = elems.n, k = nref;
    dp_fraction a[DP_ADS_MAX_ELEMENTS][DP_ADS_MAX_REFS + 1];
    for (int r = 0; r < m; r++) {
        for (int j = 0; j < k; j++)
            a[r][j] = (dp_fraction){dp_composition_count(&ref[j], elems.symbol[r]), 1};
        a[r][k] = (dp_fraction){dp_composition_count(delta, elems.symbol[r]), 1};
    }
    int pivot_col[DP_ADS_MAX_ELEMENTS];
    bool is_pivot[DP_ADS_MAX_REFS] = {false};
    int rank = 0;
    for (int j = 0; j < k && rank < m; j++) {
        int p = rank;
        while (p < m && a[p][j].num == 0)
            p++;
        if (p == m)
            continue;
        if (p != rank)
            for (int c = 0; c <= k; c++) {
                dp_fraction t = a[p][c];
                a[p][c] = a[rank][c];
                a[rank][c] = t;
            }
        for (int r = 0; r < m; r++) {
            if (r == rank || a[r][j].num == 0)
                continue;
            dp_fraction f;
            if (!frac_div(a[r][j], a[rank][j], &f))
                return dp_fail(err, DP_ERR_INCOMPLETE, "coefficients too large to solve exactly");
            for (int c = 0; c <= k; c++)
                if (!frac_sub_mul(a[r][c], f, a[rank][c], &a[r][c]))
                    return dp_fail(err, DP_ERR_INCOMPLETE,
                                   "coefficients too large to solve exactly");
        }
        pivot_col[rank++] = j;
        is_pivot[j] = true;
    }
    if (rank < k) {
        bool redundant[DP_ADS_MAX_REFS];
        for (int j = 0; j < k; j++)
            redundant[j] = !is_pivot[j];
        char red[512];
        name_list(names, redundant, k, red, sizeof red);
        return dp_fail(err, DP_ERR_INCOMPLETE,
                       "the references %s are linearly dependent (%s can be made of the others): "
                       "more references than needed, the coefficients are not unique; give "
                       "fewer", all, red);
    }
    for (int r = 0; r < rank; r++)
        if (!frac_div(a[r][k], a[r][pivot_col[r]], &coef[pivot_col[r]]))
            return dp_fail(err, DP_ERR_INCOMPLETE, "coefficients too large to solve exactly");
    bool consistent = true;
    for (int r = rank; r < m; r++)
        consistent &= a[r][k].num == 0;
    if (!consistent) {
        /* The references fix the coefficients (rank = k); name the elements they leave
         * unbalanced with them: delta − Σ coef·ref ≠ 0. */
        char bad[256] = "";
        size_t len = 0;
        for (int r = 0; r < m; r++) {
            dp_fraction rest = {dp_composition_count(delta, elems.symbol[r]), 1};
            for (int j = 0; j < k; j++) {
                dp_fraction cnt = {dp_composition_count(&ref[j], elems.symbol[r]), 1};
                if (!frac_sub_mul(rest, coef[j], cnt, &rest))
                    break;
            }
            if (rest.num != 0 && len < sizeof bad) {
                int w = snprintf(bad + len, sizeof bad - len, "%s%s", len ? ", " : "",
                                 elems.symbol[r]);
                len += w > 0 ? (size_t)w : 0;
            }
        }
        return dp_fail(err, DP_ERR_INCOMPLETE,
                       "AB - A (%s) is not a combination of the references (%s): element%s %s "
                       "cannot be balanced", dstr, all, strchr(bad, ',') ? "s" : "", bad);
    }
    return DP_OK;
}

/* ---- reference sets ------------------------------------------------------------------ */

static const dp_ads_ref_set SETS[] = {
    {"h2o-h2", 2, {"H2O", "H2"},
     "computational hydrogen electrode (Norskov 2004): O = H2O - H2, OH = H2O - 1/2 H2, "
     "OOH = 2 H2O - 3/2 H2, H = 1/2 H2, O2 = 2 H2O - 2 H2"},
    {"o2", 2, {"O2", "H2"},
     "O2 gas: O = 1/2 O2, O2 = O2, OH = 1/2 O2 + 1/2 H2, OOH = O2 + 1/2 H2, H = 1/2 H2"},
    {"n2", 2, {"N2", "H2"}, "N2 gas (NRR): N = 1/2 N2, N2 = N2, NH = 1/2 N2 + 1/2 H2, "
                            "N2H = N2 + 1/2 H2, NH2 = 1/2 N2 + H2, H = 1/2 H2"},
    {"co2", 3, {"CO2", "H2O", "H2"},
     "CO2RR: C = CO2 - 2 H2O + 2 H2, CO = CO2 - H2O + H2, COOH = CO2 + 1/2 H2, "
     "CHO = CO2 - H2O + 3/2 H2, O = H2O - H2, H = 1/2 H2"},
};

const dp_ads_ref_set *dp_ads_ref_set_find(const char *name)
{
    for (size_t i = 0; i < sizeof SETS / sizeof *SETS; i++)
        if (!strcmp(SETS[i].name, name))
            return &SETS[i];
    return NULL;
}

const dp_ads_ref_set *dp_ads_ref_sets(int *n)
{
    *n = (int)(sizeof SETS / sizeof *SETS);
    return SETS;
}
