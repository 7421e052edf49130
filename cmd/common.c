#include "common.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool option_number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(*v);
}

void complain(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dftpost %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int output_option(output_opts *o, int opt, const char *arg)
{
    if (opt == 'f') {
        if (table_parse_format(arg, &o->format)) {
            fprintf(stderr, "dftpost: unknown format \"%s\" (use tsv, csv or json)\n", arg);
            return -1;
        }
        return 1;
    }
    if (opt == 'o') {
        o->output = arg;
        return 1;
    }
    return 0;
}

int output_table(const output_opts *o, const table *t)
{
    FILE *out = stdout;
    if (o->output && strcmp(o->output, "-") != 0) {
        out = fopen(o->output, "w");
        if (!out) {
            fprintf(stderr, "dftpost: %s: cannot write: %m\n", o->output);
            return EXIT_BAD_INPUT;
        }
    }
    int bad = table_write(t, o->format, out);
    if (out != stdout)
        bad |= fclose(out);
    else
        bad |= fflush(out);
    if (bad) {
        fprintf(stderr, "dftpost: error writing output\n");
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

typedef struct {
    const char *path;
    int last_pct;
    double start;
} progress_state;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(long long done, long long total, void *ud)
{
    progress_state *p = ud;
    if (total <= 0 || now() - p->start < 0.5) /* quick reads need no progress line */
        return;
    int pct = (int)(100.0 * (double)done / (double)total);
    if (pct != p->last_pct) {
        fprintf(stderr, "\rreading %s: %3d%%", p->path, pct > 100 ? 100 : pct);
        p->last_pct = pct;
    }
}

dp_run *load_run(const char *path, dp_read_opts *opts)
{
    dp_read_opts local = {0};
    if (!opts)
        opts = &local;
    progress_state ps = {.path = path, .last_pct = -1, .start = now()};
    /* Progress only for a person watching: never in pipes, logs or CI. */
    if (isatty(STDERR_FILENO)) {
        opts->progress = show_progress;
        opts->progress_ud = &ps;
    }
    dp_run *run = NULL;
    dp_error err = {0};
    dp_status st = dp_read(path, opts, &run, &err);
    if (ps.last_pct >= 0)
        fputs("\r\033[K", stderr);
    opts->progress = NULL;
    if (st != DP_OK) {
        fprintf(stderr, "dftpost: %s\n", err.msg);
        return NULL;
    }
    for (int i = 0; i < run->nwarnings; i++)
        fprintf(stderr, "dftpost: warning: %s\n", run->warnings[i]);
    return run;
}
