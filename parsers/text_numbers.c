/* Lines of a plain or gzip file, blanks, Fortran numbers: see text_numbers.h. */
#include "text_numbers.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines --------------------------------------------------------------- */

int dp_text_next_line(dp_text_lines *r, dp_error *err)
{
    if (!gzgets(r->f, r->buf, (int)r->cap)) {
        int code;
        const char *msg = gzerror(r->f, &code);
        if (code == Z_ERRNO)
            return dp_fail(err, DP_ERR_IO, "%s: cannot read: %s", r->path, strerror(errno)), -1;
        if (code != Z_OK && code != Z_BUF_ERROR) /* Z_BUF_ERROR: a cut gzip file, i.e. EOF */
            return dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: corrupt gzip stream (%s)", r->path,
                           r->line + 1, msg), -1;
        return 0;
    }
    r->line++;
    size_t n = strlen(r->buf);
    r->cut = false;
    r->newline = n && r->buf[n - 1] == '\n';
    if (n == r->cap - 1 && !r->newline) {
        /* discard the rest of the line, up to and with its '\n' */
        int c;
        r->cut = true;
        while ((c = gzgetc(r->f)) != -1 && c != '\n')
            ;
        r->newline = true;
    }
    while (n && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
        r->buf[--n] = '\0';
    return 1;
}

dp_status dp_text_fail(const dp_text_lines *r, dp_error *err, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: %s", r->path, r->line, what);
}

const char *dp_text_skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* ---- numbers ------------------------------------------------------------- */

#define TOKEN_MAX 64 /* longest token that can be a number: TOKEN_MAX - 1 characters */

/* One token at *p as a Fortran number. overflow NULL: a run of '*' is not a number;
 * else it is NaN and sets *overflow. A token of max_token characters or more is not
 * a number (max_token at most TOKEN_MAX). */
static bool fortran_token(const char **p, double *v, bool *overflow, size_t max_token)
{
    const char *s = dp_text_skip_blanks(*p);
    size_t n = strcspn(s, " \t");
    if (n == 0 || n >= max_token || n >= TOKEN_MAX)
        return false;
    if (overflow && s[0] == '*') {
        for (size_t i = 0; i < n; i++)
            if (s[i] != '*')
                return false;
        *v = NAN;
        *overflow = true;
        *p = s + n;
        return true;
    }
    char tok[72];
    size_t k = 0;
    bool exp = false, digit = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (isdigit((unsigned char)c)) {
            digit = true;
        } else if (c == 'e' || c == 'E' || c == 'd' || c == 'D') {
            if (exp)
                return false;
            exp = true;
            c = 'E';
        } else if ((c == '+' || c == '-') && i > 0 && !exp) {
            tok[k++] = 'E'; /* "0.1234-100": Fortran drops the E of 3-digit exponents */
            exp = true;
        } else if (c != '+' && c != '-' && c != '.') {
            return false;
        }
        tok[k++] = c;
    }
    tok[k] = '\0';
    if (!digit)
        return false;
    char *end;
    double x = strtod(tok, &end);
    if (*end)
        return false;
    *v = x;
    *p = s + n;
    return true;
}

bool dp_text_number(const char **p, double *v)
{
    return fortran_token(p, v, NULL, TOKEN_MAX);
}

/* Up to max numbers; stars: '*' fields are numbers (NaN, counted in *overflows). */
static int numbers(const char *text, double *v, int max, bool stars, long *overflows,
                   const char **rest, size_t max_token)
{
    const char *p = text;
    int n = 0;
    while (n < max) {
        bool ovf = false;
        if (!fortran_token(&p, &v[n], stars ? &ovf : NULL, max_token))
            break;
        if (ovf && overflows)
            (*overflows)++;
        n++;
    }
    if (rest)
        *rest = p;
    return n;
}

int dp_text_numbers(const char *text, double *v, int max, const char **rest)
{
    return numbers(text, v, max, false, NULL, rest, TOKEN_MAX);
}

int dp_text_line_numbers(const char *line, double *v, int max, long *overflows)
{
    return dp_text_line_numbers_short(line, v, max, overflows, TOKEN_MAX);
}

int dp_text_line_numbers_short(const char *line, double *v, int max, long *overflows,
                               size_t max_token)
{
    const char *rest;
    int n = numbers(line, v, max, true, overflows, &rest, max_token);
    if (!*dp_text_skip_blanks(rest))
        return n;
    return n == max ? max + 1 : -1;
}
