/* Valence electrons (ZVAL) per atom for `dftpost bader`: --zval, the file itself (a cube's
 * charge column when it is not the atomic number), a vasprun.xml or OUTCAR beside the file,
 * or a POTCAR beside it. */
#include "bader_zval.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* "Fe=8,O=6" → sets zv[t] of the species with that symbol; -1 on a bad spec. */
static int parse_spec(const char *spec, const dp_run *run, double *zv)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq || eq == tok)
            return -1;
        *eq = '\0';
        char *end;
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end || !isfinite(v) || v < 0)
            return -1;
        bool found = false;
        for (int t = 0; t < run->ntypes; t++)
            if (!strcmp(run->species[t].symbol, tok))
                zv[t] = v, found = true;
        if (!found)
            return -2;
    }
    return 0;
}

/* dir of path + name, into buf */
static void beside(const char *path, const char *name, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(buf, size, "%.*s/%s", (int)(slash - path), path, name);
    else
        snprintf(buf, size, "%s", name);
}

/* Species ZVAL of another run, matched by symbol. */
static int from_run(const dp_run *other, const dp_run *run, double *zv)
{
    int got = 0;
    for (int t = 0; t < run->ntypes; t++)
        for (int u = 0; u < other->ntypes && isnan(zv[t]); u++)
            if (!strcmp(other->species[u].symbol, run->species[t].symbol) &&
                isfinite(other->species[u].zval))
                zv[t] = other->species[u].zval, got++;
    return got;
}

/* POTCAR: "TITEL  = PAW_PBE Ni_pv 06Sep2000" then "ZVAL   =   16.000" for each potential. */
static int from_potcar(const char *path, const dp_run *run, double *zv)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return 0;
    char line[512], elem[8] = "";
    int got = 0;
    while (gzgets(f, line, sizeof line)) {
        char *p = strstr(line, "TITEL");
        if (p && (p = strchr(p, '='))) {
            char kind[64] = "", sym[32] = "";
            if (sscanf(p + 1, "%63s %31s", kind, sym) == 2) {
                sym[strcspn(sym, "_.")] = '\0';
                snprintf(elem, sizeof elem, "%.7s", sym); /* element symbols are short */
            }
            continue;
        }
        p = strstr(line, "ZVAL");
        if (p && (p = strchr(p, '=')) && elem[0]) {
            double v = strtod(p + 1, NULL);
            for (int t = 0; t < run->ntypes; t++)
                if (!strcmp(run->species[t].symbol, elem) && isnan(zv[t]) && v > 0)
                    zv[t] = v, got++;
            elem[0] = '\0';
        }
    }
    gzclose(f);
    return got;
}

static bool all_known(const dp_run *run, const double *zv)
{
    for (int t = 0; t < run->ntypes; t++)
        if (isnan(zv[t]))
            return false;
    return true;
}

int bader_zval(const dp_run *run, const char *path, const char *spec, double *zv, char *source,
               size_t size)
{
    for (int t = 0; t < run->ntypes; t++)
        zv[t] = NAN;
    source[0] = '\0';
    if (spec) {
        int rc = parse_spec(spec, run, zv);
        if (rc)
            return rc;
        snprintf(source, size, "--zval");
    }
    int own = 0;
    for (int t = 0; t < run->ntypes; t++)
        if (isnan(zv[t]) && isfinite(run->species[t].zval))
            zv[t] = run->species[t].zval, own++;
    if (own)
        snprintf(source + strlen(source), size - strlen(source), "%s%s", *source ? ", " : "",
                 path);
    static const char *const runs[] = {"vasprun.xml", "vasprun.xml.gz", "OUTCAR", "OUTCAR.gz"};
    for (size_t r = 0; r < sizeof runs / sizeof *runs && !all_known(run, zv); r++) {
        char p[1100];
        beside(path, runs[r], p, sizeof p);
        if (access(p, R_OK))
            continue;
        dp_read_opts ro = {.skip_dos = true};
        dp_run *other = NULL;
        dp_error err;
        if (dp_read(p, &ro, &other, &err) == DP_OK) {
            if (from_run(other, run, zv))
                snprintf(source + strlen(source), size - strlen(source), "%s%s",
                         *source ? ", " : "", p);
            dp_run_free(other);
        }
    }
    static const char *const pots[] = {"POTCAR", "POTCAR.gz"};
    for (size_t r = 0; r < 2 && !all_known(run, zv); r++) {
        char p[1100];
        beside(path, pots[r], p, sizeof p);
        if (!access(p, R_OK) && from_potcar(p, run, zv))
            snprintf(source + strlen(source), size - strlen(source), "%s%s", *source ? ", " : "",
                     p);
    }
    return 0;
}
