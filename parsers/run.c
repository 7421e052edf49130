/* The common model: freeing, warnings, formula, and choosing a parser by content. */
#include "dftpost.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    for (int i = 0; i < run->nframes; i++)
        free(run->frames[i].frac);
    free(run->frames);
    free(run->dos.energy);
    free(run->dos.total);
    free(run->dos.integrated);
    if (run->dos.pdos) {
        for (int i = 0; i < run->natoms; i++)
            free(run->dos.pdos[i]);
        free(run->dos.pdos);
    }
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

dp_status dp_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    *out = NULL;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %m", path);
    char head[512];
    int n = gzread(f, head, sizeof head - 1);
    gzclose(f);
    if (n < 0)
        return dp_fail(err, DP_ERR_IO, "%s: cannot read (corrupt gzip stream?)", path);
    if (n == 0)
        return dp_fail(err, DP_ERR_FORMAT, "%s: file is empty", path);
    head[n] = '\0';
    if (strstr(head, "<modeling") || (strstr(head, "<?xml") && strstr(path, "vasprun")))
        return dp_vasprun_read(path, opts, out, err);
    if (strstr(head, "<?xml") || head[0] == '<')
        return dp_vasprun_read(path, opts, out, err); /* it names the root it found */
    return dp_fail(err, DP_ERR_FORMAT,
                   "%s: unrecognised file format (supported so far: vasprun.xml)", path);
}
