/* Helpers shared by the C tests: a temporary directory, whole files written (plain or
 * gzip), edited and read, the cut lengths of a truncation sweep, a run that must read
 * (or may fail), warnings, one cached run, tab-separated reference lines.
 * Header-only like check.h (whose counters read_ok uses): each test is one file. */
#ifndef DP_TEST_UTIL_H
#define DP_TEST_UTIL_H

#include "check.h"
#include "dftpost.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- a temporary directory ------------------------------------------------ */

static char tmpdir[256] __attribute__((unused));

/* Makes tmpdir (/tmp/dftpost-test-XXXXXX); false, after perror, if it cannot. */
static inline bool make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dftpost-test-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return false;
    }
    return true;
}

/* Removes tmpdir and all in it (a message on stderr if it cannot). */
static inline void remove_tmpdir(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* tmpdir/name, in one of 8 static buffers used in turn (a call may hold a few). */
static inline char *tpath(const char *name)
{
    static char buf[8][1024];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", tmpdir, name);
    return p;
}

/* ---- whole files ------------------------------------------------------------ */

/* Writes n bytes to path; exits with 1 (after perror) if it cannot create it. */
static inline void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fwrite(data, 1, n, f);
    fclose(f);
}

static inline void write_text(const char *path, const char *text)
{
    write_file(path, text, strlen(text));
}

/* Whole file into memory, decompressed if it is gzip (a plain file as it is);
 * *n bytes, then a '\0'. NULL if it cannot be opened. The caller frees. */
static inline char *slurp(const char *path, size_t *n)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    int k;
    while ((k = gzread(g, buf + len, (unsigned)(cap - len))) > 0) {
        len += (size_t)k;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    gzclose(g);
    buf[len] = '\0'; /* len < cap: the buffer grows whenever it is full */
    *n = len;
    return buf;
}

/* The bytes of a file as they are on disk (a gzip file stays compressed); *n
 * bytes, then a '\0'. NULL if it cannot be opened. The caller frees. */
static inline char *slurp_raw(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    b[*n] = '\0';
    fclose(f);
    return b;
}

/* Writes n bytes to path as a gzip file. */
static inline void write_gz_bytes(const char *path, const void *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    gzwrite(g, data, (unsigned)n);
    gzclose(g);
}

/* New string: the first occurrence of old in text replaced by new (must exist: exits
 * with 1, "test bug", if not). The caller frees. */
static inline char *replace_first(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    if (!at) {
        fprintf(stderr, "test bug: \"%s\" not in the text\n", old);
        exit(1);
    }
    size_t a = (size_t)(at - text), lo = strlen(old), ln = strlen(new), lt = strlen(text);
    char *out = malloc(lt - lo + ln + 1);
    memcpy(out, text, a);
    memcpy(out + a, new, ln);
    memcpy(out + a + ln, at + lo, lt - a - lo + 1);
    return out;
}

/* The lengths a truncation sweep cuts a file of n bytes at: 0, step, 2 step, ...
 * below n, then mark - 1 if mark < n (just before where the file ends properly),
 * then n itself. *m gets how many; the caller frees. */
static inline size_t *cut_lengths(size_t n, size_t step, size_t mark, size_t *m)
{
    size_t *lens = malloc((n / step + 3) * sizeof *lens);
    *m = 0;
    for (size_t len = 0; len < n; len += step)
        lens[(*m)++] = len;
    if (mark < n)
        lens[(*m)++] = mark - 1;
    lens[(*m)++] = n;
    return lens;
}

/* Where needle first stands in the n bytes of a plain file's text (for the mark of
 * cut_lengths); n if it does not, or if the text is gzip (gz). */
static inline size_t mark_at(const char *text, size_t n, bool gz, const char *needle)
{
    const char *t = gz ? NULL : strstr(text, needle);
    return t ? (size_t)(t - text) : n;
}

/* n pseudo-random bytes from seed (the same bytes on every run and machine). */
static inline void fill_junk(unsigned char *buf, size_t n, unsigned seed)
{
    unsigned s = seed;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)((s = s * 1103515245u + 12345u) >> 16);
}

/* ---- runs ------------------------------------------------------------------- */

/* dp_read that must succeed (a CHECK; the error on stderr if not). The caller
 * frees the run; NULL if it failed. */
static inline dp_run *read_ok(const char *path, const dp_read_opts *o)
{
    dp_run *r = NULL;
    dp_error err = {0};
    dp_status st = dp_read(path, o, &r, &err);
    if (st != DP_OK)
        fprintf(stderr, "unexpected error: %s\n", err.msg);
    CHECK(st == DP_OK && r != NULL);
    return r;
}

/* dp_read that may fail: its status, err filled. A failed read must leave no run (a
 * CHECK); a run read is freed. */
static inline dp_status read_status(const char *path, const dp_read_opts *o, dp_error *err)
{
    dp_run *r = NULL;
    dp_status st = dp_read(path, o, &r, err);
    CHECK(st == DP_OK || r == NULL);
    dp_run_free(r);
    return st;
}

/* Does one of r's warnings contain needle? */
static inline bool has_warning(const dp_run *r, const char *needle)
{
    for (int i = 0; i < r->nwarnings; i++)
        if (strstr(r->warnings[i], needle))
            return true;
    return false;
}

/* How many of r's warnings contain needle (0 for no run). */
static inline int count_warnings_with(const dp_run *r, const char *needle)
{
    int n = 0;
    for (int i = 0; r && i < r->nwarnings; i++)
        n += strstr(r->warnings[i], needle) != NULL;
    return n;
}

/* One run kept between calls, for reference tables whose rows name files. */
static dp_run *cached_run __attribute__((unused));
static char cached_path[8192] __attribute__((unused));

/* Frees the cached run. */
static inline void cache_clear(void)
{
    dp_run_free(cached_run);
    cached_run = NULL;
    cached_path[0] = '\0';
}

/* The run of path (dp_read with o the first time), kept until another path is
 * asked for or cache_clear(): the caller does not free it. NULL, err filled, if
 * the file cannot be read. */
static inline dp_run *cache_read(const char *path, const dp_read_opts *o, dp_error *err)
{
    if (cached_run && !strcmp(path, cached_path))
        return cached_run;
    cache_clear();
    if (dp_read(path, o, &cached_run, err) != DP_OK)
        return NULL;
    snprintf(cached_path, sizeof cached_path, "%s", path);
    return cached_run;
}

/* cache_read, where a file that cannot be read is a failed check ("cannot read
 * PATH: why" on stderr) and NULL. */
static inline dp_run *load_cached(const char *path, const dp_read_opts *o)
{
    dp_error err;
    dp_run *r = cache_read(path, o, &err);
    if (!r) {
        fprintf(stderr, "cannot read %s: %s\n", path, err.msg);
        check_failed++;
    }
    return r;
}

/* ---- tab-separated lines ------------------------------------------------------ */

/* Splits line in place at its tabs, after cutting its "\r\n" or "\n", into at most
 * max columns (with more, cols[max - 1] ends at its tab and the rest is dropped).
 * Returns the number of columns. */
static inline int split_tsv(char *line, char **cols, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line;; n++) {
        if (n == max)
            return n;
        cols[n] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            return n + 1;
        *tab = '\0';
        p = tab + 1;
    }
}

/* The next row of a reference table of 5 tab-separated columns "file, quantity,
 * index, value, source" into line (size bytes) and c[0..4]: lines starting with '#'
 * and rows of another width are skipped; the first row is the header, a CHECK that it
 * names "file" ... "source" (*header set after it). False at the end of f. */
static inline bool next_reference_row(FILE *f, char *line, int size, char **c, int max,
                                      bool *header)
{
    while (fgets(line, size, f)) {
        if (line[0] == '#')
            continue;
        int nc = split_tsv(line, c, max);
        if (!*header) {
            CHECK(nc == 5 && !strcmp(c[0], "file") && !strcmp(c[4], "source"));
            *header = true;
            continue;
        }
        if (nc != 5)
            continue;
        return true;
    }
    return false;
}

/* Counts a reference row (c as next_reference_row left it) for source si: in
 * total[si], and in agree[si] if no check failed since fails; else names the row on
 * stderr. */
static inline void tally_reference_row(char **c, int si, int fails, int *agree, int *total)
{
    total[si]++;
    if (check_failed == fails)
        agree[si]++;
    else
        fprintf(stderr, "  ^ %s %s [%s] = %s (%s)\n", c[0], c[1], c[2], c[3], c[4]);
}

#endif
