/* The common model: freeing, warnings, formula, and choosing a parser by content. */
#include "dftpost.h"
#include "chgcar.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

dp_status dp_fail(dp_error *err, dp_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void dp_run_warn(dp_run *run, const char *fmt, ...)
{
    char line[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* A hostile file could trigger one warning per number: cap the list. */
    if (run->nwarnings >= 64)
        return;
    char **w = realloc(run->warnings, (size_t)(run->nwarnings + 1) * sizeof *w);
    if (!w)
        return;
    run->warnings = w;
    w[run->nwarnings] = strdup(line);
    if (w[run->nwarnings])
        run->nwarnings++;
}

void dp_run_free(dp_run *run)
{
    if (!run)
        return;
    free(run->species);
    free(run->atom_type);
    free(run->energies);
    for (int i = 0; i < run->nframes; i++) {
        free(run->frames[i].frac);
        free(run->frames[i].forces);
        free(run->frames[i].movable);
    }
    free(run->frames);
    free(run->dos.energy);
    free(run->dos.total);
    free(run->dos.integrated);
    if (run->dos.pdos) {
        for (int i = 0; i < run->natoms; i++)
            free(run->dos.pdos[i]);
        free(run->dos.pdos);
    }
    free(run->mag.atom);
    free(run->mag.total);
    free(run->modes.imaginary);
    free(run->modes.thz);
    free(run->modes.cm1);
    free(run->modes.mev);
    free(run->modes.disp);
    free(run->charges.total);
    free(run->charges.orb);
    free(run->charges.up);
    free(run->charges.down);
    free(run->grid.values);
    for (int i = 0; i < 3; i++)
        free(run->grid.mag[i]);
    free(run->settings);
    free(run->charges.net[0]);
    free(run->charges.net[1]);
    free(run->bonds.bonds);
    free(run->cohp.energy);
    free(run->cohp.label);
    free(run->cohp.atoms);
    free(run->cohp.length);
    free(run->cohp.value);
    free(run->cohp.integrated);
    for (int i = 0; i < run->nwarnings; i++)
        free(run->warnings[i]);
    free(run->warnings);
    free(run);
}

void dp_run_formula(const dp_run *run, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    /* Species may repeat (two POTCAR entries for Fe): merge by symbol, first-seen order. */
    for (int t = 0; t < run->ntypes; t++) {
        bool seen = false;
        for (int u = 0; u < t; u++)
            if (strcmp(run->species[u].symbol, run->species[t].symbol) == 0)
                seen = true;
        if (seen)
            continue;
        int n = 0;
        for (int u = t; u < run->ntypes; u++)
            if (strcmp(run->species[u].symbol, run->species[t].symbol) == 0)
                n += run->species[u].count;
        int w = n == 1 ? snprintf(buf + used, size - used, "%s", run->species[t].symbol)
                       : snprintf(buf + used, size - used, "%s%d", run->species[t].symbol, n);
        if (w < 0 || (size_t)w >= size - used)
            return;
        used += (size_t)w;
    }
}

const char *dp_run_setting(const dp_run *run, const char *key)
{
    for (int i = 0; i < run->nsettings; i++)
        if (!strcmp(run->settings[i].key, key))
            return run->settings[i].value;
    return NULL;
}

dp_status dp_run_set_setting(dp_run *run, const char *key, const char *value)
{
    char norm[sizeof run->settings[0].value];
    while (*value == ' ' || *value == '\t')
        value++;
    size_t n = 0;
    for (; value[n] && n + 1 < sizeof norm; n++)
        norm[n] = (char)toupper((unsigned char)value[n]);
    while (n && (norm[n - 1] == ' ' || norm[n - 1] == '\t' || norm[n - 1] == '\r'))
        n--;
    norm[n] = '\0';
    char *end;
    double v = strtod(norm, &end);
    /* one number: one spelling ("520", "520.0", "5.2E+02"); not a version, where 6.10
     * is not 6.1 */
    if (end != norm && !*end && strcmp(key, "VERSION") != 0)
        snprintf(norm, sizeof norm, "%.6g", v);
    for (int i = 0; i < run->nsettings; i++)
        if (!strcmp(run->settings[i].key, key)) {
            snprintf(run->settings[i].value, sizeof run->settings[i].value, "%s", norm);
            return DP_OK;
        }
    dp_setting *s = realloc(run->settings, (size_t)(run->nsettings + 1) * sizeof *s);
    if (!s)
        return DP_ERR_NOMEM;
    run->settings = s;
    snprintf(s[run->nsettings].key, sizeof s[run->nsettings].key, "%s", key);
    snprintf(s[run->nsettings].value, sizeof s[run->nsettings].value, "%s", norm);
    run->nsettings++;
    return DP_OK;
}

int dp_species_parse(const char *spec, char (*symbols)[4], int *counts, int max, dp_error *err)
{
    int n = 0;
    const char *p = spec;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (!isupper((unsigned char)*p) && !islower((unsigned char)*p))
            return dp_fail(err, DP_ERR_USAGE, "bad species list \"%s\" (use e.g. \"Fe Co N6\")",
                           spec), -1;
        if (n == max)
            return dp_fail(err, DP_ERR_USAGE, "more than %d species in \"%s\"", max, spec), -1;
        char sym[4] = {(char)toupper((unsigned char)*p++), 0, 0, 0};
        if (islower((unsigned char)*p))
            sym[1] = *p++;
        long count = 0;
        if (isdigit((unsigned char)*p)) {
            char *end;
            count = strtol(p, &end, 10);
            if (count <= 0 || count > 10000000)
                return dp_fail(err, DP_ERR_USAGE, "bad count in species list \"%s\"", spec), -1;
            p = end;
        }
        if (*p && *p != ' ' && *p != ',' && *p != '\t')
            return dp_fail(err, DP_ERR_USAGE, "bad species list \"%s\" (use e.g. \"Fe Co N6\")",
                           spec), -1;
        memcpy(symbols[n], sym, 4);
        counts[n++] = (int)count;
    }
    if (!n)
        return dp_fail(err, DP_ERR_USAGE, "empty species list"), -1;
    return n;
}

dp_status dp_run_set_species(dp_run *run, int ntypes, char (*symbols)[4], const int *counts,
                             dp_error *err)
{
    long natoms = 0;
    for (int t = 0; t < ntypes; t++)
        natoms += counts[t];
    run->species = calloc((size_t)ntypes, sizeof *run->species);
    run->atom_type = calloc((size_t)(natoms ? natoms : 1), sizeof *run->atom_type);
    if (!run->species || !run->atom_type)
        return dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", run->path);
    run->ntypes = ntypes;
    run->natoms = (int)natoms;
    int a = 0;
    for (int t = 0; t < ntypes; t++) {
        snprintf(run->species[t].symbol, sizeof run->species[t].symbol, "%s", symbols[t]);
        run->species[t].count = counts[t];
        run->species[t].zval = run->species[t].mass = NAN;
        for (int k = 0; k < counts[t]; k++)
            run->atom_type[a++] = t;
    }
    return DP_OK;
}

/* The first lines of a file, decompressed, NUL-terminated. */
static int read_head(const char *path, char *head, int size, dp_error *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno)), -1;
    int n = gzread(f, head, (unsigned)size - 1);
    gzclose(f);
    if (n < 0)
        return dp_fail(err, DP_ERR_IO, "%s: cannot read (corrupt gzip stream?)", path), -1;
    head[n] = '\0';
    return n;
}

/* Line k (0-based) of text, copied into buf; false if there is no such line. */
static bool nth_line(const char *text, int k, char *buf, size_t size)
{
    for (int i = 0; i < k; i++) {
        text = strchr(text, '\n');
        if (!text)
            return false;
        text++;
    }
    size_t n = strcspn(text, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return true;
}

static int count_numbers(const char *line)
{
    int n = 0;
    char *end;
    for (const char *p = line;; p = end) {
        strtod(p, &end);
        if (end == p)
            break;
        n++;
    }
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    return *end ? -1 : n; /* -1: something else follows the numbers */
}

static bool looks_like_doscar(const char *head)
{
    char l1[256], l4[256];
    return nth_line(head, 0, l1, sizeof l1) && nth_line(head, 3, l4, sizeof l4) &&
           count_numbers(l1) == 4 && strstr(l4, "CAR") != NULL;
}

static bool looks_like_poscar(const char *head)
{
    char l[256];
    if (!nth_line(head, 1, l, sizeof l) || count_numbers(l) < 1 || count_numbers(l) > 3)
        return false;
    for (int k = 2; k <= 4; k++)
        if (!nth_line(head, k, l, sizeof l) || count_numbers(l) != 3)
            return false;
    return true;
}

/* Gaussian cube: two comment lines, then "natoms ox oy oz [nval]" and three
 * "n vx vy vz" lines. */
static bool looks_like_cube(const char *head)
{
    char l[256];
    if (!nth_line(head, 2, l, sizeof l) || count_numbers(l) < 4 || count_numbers(l) > 5)
        return false;
    for (int k = 3; k <= 5; k++)
        if (!nth_line(head, k, l, sizeof l) || count_numbers(l) != 4)
            return false;
    return true;
}

dp_status dp_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return dp_projwfc_read(path, opts, out, err); /* a folder of projwfc.x pdos files */
    char head[4096];
    int n = read_head(path, head, sizeof head, err);
    if (n < 0)
        return err->code;
    if (n == 0)
        return dp_fail(err, DP_ERR_FORMAT, "%s: file is empty", path);
    const char *p = head;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    if (*p == '<') {
        if (strstr(head, "<qes:espresso") || strstr(head, "<espresso"))
            return dp_qexml_read(path, opts, out, err);
        return dp_vasprun_read(path, opts, out, err); /* it names the root it found */
    }
    /* LOBSTER: the lists start with a header naming their kind, the curves with a
     * "pCOHP file generated by LOBSTER" line, charges and the log with their titles */
    if (strstr(p, "COHP#") == p || strstr(p, "COOP#") == p || strstr(p, "COBI#") == p)
        return dp_lobster_list_read(path, opts, out, err);
    if (strstr(head, "file generated by LOBSTER") && strstr(head, "Energy is shifted"))
        return dp_lobster_cohpcar_read(path, opts, out, err);
    if (strncmp(p, "MULLIKEN and LOEWDIN", 20) == 0 || strncmp(p, "LOEWDIN", 7) == 0)
        return dp_lobster_charge_read(path, opts, out, err);
    if (strncmp(p, "LOBSTER v", 9) == 0)
        return dp_lobsterout_read(path, opts, out, err);
    /* OSZICAR: "N  E  dE  d eps  ncg  rms" header of the electronic steps */
    if (strncmp(p, "N       E", 9) == 0 || strncmp(p, "DAV:", 4) == 0 ||
        strncmp(p, "RMM:", 4) == 0 || strncmp(p, "CG :", 4) == 0)
        return dp_oszicar_read(path, opts, out, err);
    if (strstr(head, "Program PWSCF"))
        return dp_pwout_read(path, opts, out, err);
    if (strstr(head, "Program PROJWFC") || strncmp(p, "# E (eV)", 8) == 0 ||
        strncmp(p, "#  E (eV)", 9) == 0 || strncmp(p, "# E(eV)", 7) == 0)
        return dp_projwfc_read(path, opts, out, err);
    if (looks_like_cube(head))
        return dp_cube_read(path, opts, out, err);
    if (strncmp(p, "vasp.", 5) == 0)
        return dp_outcar_read(path, opts, out, err);
    if (looks_like_doscar(head))
        return dp_doscar_read(path, opts, out, err);
    /* CHGCAR-type files: by name, or a POSCAR header followed by a blank line and the
     * grid size (a CONTCAR's blank line is followed by velocities) */
    if (dp_chgcar_name(path) || (looks_like_poscar(head) && dp_chgcar_sniff(path)))
        return dp_chgcar_read(path, opts, out, err);
    if (looks_like_poscar(head))
        return dp_poscar_read(path, opts, out, err);
    return dp_fail(err, DP_ERR_FORMAT, "%s: unrecognised file format (dftpost reads vasprun.xml, "
                   "OUTCAR, POSCAR/CONTCAR, DOSCAR, pw.x output and XML, projwfc.x output and "
                   "pdos files, cube files, CHGCAR-type files)", path);
}
