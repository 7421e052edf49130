/* Wavenumbers from text: QE dynmat.x standard output, or a plain list of numbers
 * (declared in analysis/thermo.h). */
#include "../analysis/thermo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double *cm1;
    bool *imag;
    int n, cap;
} wn_list;

static bool wn_push(wn_list *l, double v)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        double *c = realloc(l->cm1, (size_t)cap * sizeof *c);
        if (!c)
            return false;
        l->cm1 = c;
        bool *b = realloc(l->imag, (size_t)cap * sizeof *b);
        if (!b)
            return false;
        l->imag = b;
        l->cap = cap;
    }
    /* dynmat.x and the list convention: a negative wavenumber is imaginary
     * (-0.00 is a zero mode, not an imaginary one). */
    l->imag[l->n] = v < 0;
    l->cm1[l->n] = v < 0 ? -v : (v == 0 ? 0.0 : v);
    l->n++;
    return true;
}

static bool is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

dp_status dp_wavenumbers_read(const char *path, double **cm1, bool **imaginary, int *n,
                              const char **kind, dp_error *err)
{
    *cm1 = NULL;
    *imaginary = NULL;
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    wn_list l = {0};
    char *line = NULL;
    size_t size = 0;
    long lineno = 0;
    bool dynmat = false, in_table = false, table_done = false, any = false;
    dp_status st = DP_OK;
    while (getline(&line, &size, f) != -1) {
        lineno++;
        if (lineno == 1 && (unsigned char)line[0] == 0x1f) {
            st = dp_fail(err, DP_ERR_FORMAT, "%s: compressed, not a list of wavenumbers", path);
            break;
        }
        if (!dynmat && !any && strstr(line, "Program DYNMAT")) {
            dynmat = true;
            continue;
        }
        if (dynmat) {
            if (table_done)
                continue;
            if (!in_table) {
                const char *t = line + strspn(line, " \t");
                if (!strncmp(t, "# mode", 6) && strstr(t, "[cm-1]"))
                    in_table = true;
                continue;
            }
            /* "    7   1556.96   46.6766    0.0000" */
            char *end;
            errno = 0;
            long idx = strtol(line, &end, 10);
            if (end == line || idx != l.n + 1) {
                table_done = true;
                continue;
            }
            char *end2;
            double v = strtod(end, &end2);
            if (end2 == end) {
                st = dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: mode %ld without a wavenumber",
                             path, lineno, idx);
                break;
            }
            if (!wn_push(&l, v)) {
                st = dp_fail(err, DP_ERR_NOMEM, "out of memory");
                break;
            }
            continue;
        }
        /* plain list */
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *p = line;
        while (!is_blank(p)) {
            char *end;
            double v = strtod(p, &end);
            if (end == p || (*end && !strchr(" \t\r\n,", *end)) || !isfinite(v)) {
                char tok[40];
                size_t k = strcspn(p + strspn(p, " \t,"), " \t\r\n,");
                snprintf(tok, sizeof tok, "%.*s", (int)(k < 32 ? k : 32),
                         p + strspn(p, " \t,"));
                st = dp_fail(err, DP_ERR_FORMAT,
                             "%s: line %ld: \"%s\" is not a wavenumber (not a list of "
                             "wavenumbers in cm-1 nor a dynmat.x output)",
                             path, lineno, tok);
                break;
            }
            if (!wn_push(&l, v)) {
                st = dp_fail(err, DP_ERR_NOMEM, "out of memory");
                break;
            }
            any = true;
            p = end + strspn(end, " \t\r\n,");
        }
        if (st)
            break;
    }
    if (!st && ferror(f))
        st = dp_fail(err, DP_ERR_IO, "%s: read error", path);
    free(line);
    fclose(f);
    if (!st && dynmat && l.n == 0)
        st = dp_fail(err, DP_ERR_INCOMPLETE,
                     "%s: a dynmat.x output without its table of modes (\"# mode [cm-1]\")",
                     path);
    if (!st && !dynmat && l.n == 0)
        st = dp_fail(err, DP_ERR_INCOMPLETE, "%s: no wavenumbers in the file", path);
    if (st) {
        free(l.cm1);
        free(l.imag);
        return st;
    }
    *cm1 = l.cm1;
    *imaginary = l.imag;
    *n = l.n;
    *kind = dynmat ? "dynmat.x" : "list";
    return DP_OK;
}
