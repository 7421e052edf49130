#include "xml_input.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE (1 << 20)
#define EOF_PADDING (1 << 16)
#define MAX_NAME 48 /* longest element name looked at */

static void refill(xml_input *in);

static bool declares_latin1(const char *p, size_t n)
{
    char head[256];
    size_t k = n < sizeof head - 1 ? n : sizeof head - 1;
    for (size_t i = 0; i < k; i++)
        head[i] = (char)tolower((unsigned char)p[i]);
    head[k] = '\0';
    char *decl_end = strstr(head, "?>");
    if (strncmp(head, "<?xml", 5) != 0 || !decl_end)
        return false;
    *decl_end = '\0';
    return strstr(head, "encoding=\"iso-8859-1\"") || strstr(head, "encoding='iso-8859-1'");
}

int xml_input_open(xml_input *in, const char *path, const char *const *drop)
{
    memset(in, 0, sizeof *in);
    in->dropping = -1;
    in->drop = drop;
    in->fd = open(path, O_RDONLY);
    if (in->fd < 0)
        return -1;
    unsigned char magic[2];
    ssize_t m = pread(in->fd, magic, 2, 0);
    if (m == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        in->gz = gzdopen(in->fd, "rb"); /* takes over the descriptor */
        if (!in->gz) {
            close(in->fd);
            errno = ENOMEM;
            return -1;
        }
        in->fd = -1;
        gzbuffer(in->gz, 1 << 18);
    }
    in->buf = malloc(BUF_SIZE);
    if (!in->buf) {
        xml_input_close(in);
        errno = ENOMEM;
        return -1;
    }
    in->cap = BUF_SIZE;
    for (int k = 0; drop[k]; k++)
        in->first_letter[(unsigned char)drop[k][0]] = true;
    refill(in);
    in->latin1 = declares_latin1(in->buf + in->start, in->end - in->start);
    return 0;
}

void xml_input_close(xml_input *in)
{
    if (in->gz)
        gzclose(in->gz);
    else if (in->fd >= 0)
        close(in->fd);
    free(in->buf);
    free(in->cuts);
    memset(in, 0, sizeof *in);
    in->fd = -1;
}

static int read_raw(xml_input *in, char *dst, size_t n)
{
    if (n > (1u << 30))
        n = 1u << 30;
    if (in->gz)
        return gzread(in->gz, dst, (unsigned)n);
    ssize_t k;
    do
        k = read(in->fd, dst, n);
    while (k < 0 && errno == EINTR);
    if (k > 0)
        in->bytes_read += k;
    return (int)k;
}

/* Newlines in p[0..n), eight bytes at a time: the dropped blocks are hundreds of
 * megabytes, and a memchr call per line costs more than the search itself. */
static long count_newlines(const char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    long count = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t x = w ^ (ones * '\n'); /* bytes equal to '\n' become zero */
        uint64_t zero = ~(((x & ~highs) + ~highs) | x) & highs;
        count += (long)(((zero >> 7) * ones) >> 56); /* sum of the 0/1 bytes */
    }
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

/* Finds the closing tag close[0..clen) in [p, end): memchr for its rarest-looking
 * byte (one never found in numbers or row tags), then a compare around it. */
static char *find_close(char *p, char *end, const char *close, size_t clen)
{
    size_t k = 2; /* skip "</" */
    while (k < clen - 1 && strchr("rcvie0123456789.-+", close[k]))
        k++;
    char *q = p + k;
    while (q < end && (q = memchr(q, close[k], (size_t)(end - q))) != NULL) {
        char *start = q - k;
        if (start + clen <= end && memcmp(start, close, clen) == 0)
            return start;
        q++;
    }
    return NULL;
}

/* Keeps at least MAX_NAME + 3 unread bytes in the buffer unless the file ended. */
static void refill(xml_input *in)
{
    if (in->eof || in->end - in->start >= MAX_NAME + 3)
        return;
    memmove(in->buf, in->buf + in->start, in->end - in->start);
    in->end -= in->start;
    in->start = 0;
    while (!in->eof && in->end < in->cap) {
        int n = read_raw(in, in->buf + in->end, in->cap - in->end);
        if (n <= 0) {
            in->eof = true; /* a read error ends the stream like a cut: the parser says so */
            break;
        }
        in->end += (size_t)n;
        if (in->end - in->start >= MAX_NAME + 3)
            break;
    }
}

/* Finds the first "<name" of a dropped element starting in [p, limit) (the bytes
 * the caller may hand out; the name itself may run on to end). Returns its
 * position and sets *which, or returns the first position that could still begin
 * one once more bytes arrive (with *which = -1), or limit. */
static const char *find_drop(const xml_input *in, const char *p, const char *limit,
                             const char *end, int *which)
{
    *which = -1;
    while (p < limit) {
        const char *lt = memchr(p, '<', (size_t)(limit - p));
        if (!lt)
            return limit;
        const char *name = lt + 1;
        if (name < end && !in->first_letter[(unsigned char)*name]) {
            p = lt + 1;
            continue;
        }
        size_t room = (size_t)(end - name);
        for (int k = 0; in->drop[k]; k++) {
            size_t len = strlen(in->drop[k]);
            if (room <= len) {
                if (!in->eof && memcmp(name, in->drop[k], room) == 0)
                    return lt; /* may be this name: wait for more bytes */
                continue;
            }
            char after = name[len];
            if (memcmp(name, in->drop[k], len) == 0 &&
                (after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '\r')) {
                *which = k;
                return lt;
            }
        }
        p = lt + 1;
    }
    return limit;
}

static bool has_high_byte(const char *p, size_t n)
{
    size_t i = 0;
    uint64_t acc = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    return acc & 0x8080808080808080ull;
}

/* Hands out p[0..n) as UTF-8: bytes ≥ 0x80 become two bytes. Stops early when out
 * is full; what is left stays in the buffer for the next call. */
static int latin1_out(xml_input *in, const char *p, size_t n, char *out, int len)
{
    size_t i = 0;
    int o = 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            if (o + 1 > len)
                break;
            out[o++] = (char)c;
        } else {
            if (o + 2 > len)
                break;
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    if (i < n) /* newlines of the part kept back are counted again next time */
        in->lines_out -= count_newlines(p + i, n - i);
    in->start += i;
    return o;
}

int xml_input_read(void *ctx, char *out, int len)
{
    xml_input *in = ctx;
    for (;;) {
        refill(in);
        char *p = in->buf + in->start, *end = in->buf + in->end;
        if (in->dropping >= 0) {
            char close[MAX_NAME + 4];
            size_t clen = (size_t)snprintf(close, sizeof close, "</%s>", in->drop[in->dropping]);
            char *hit = find_close(p, end, close, clen);
            size_t upto = hit ? (size_t)(hit - p) + clen
                              : (in->eof ? (size_t)(end - p)
                                         : ((size_t)(end - p) > clen ? (size_t)(end - p) - clen + 1 : 0));
            in->lines_removed += count_newlines(p, upto);
            in->start += upto;
            if (hit) {
                in->dropping = -1;
                xml_input_cut *c = realloc(in->cuts, (size_t)(in->ncuts + 1) * sizeof *c);
                if (c) {
                    in->cuts = c;
                    c[in->ncuts++] = (xml_input_cut){in->lines_out + 1, in->lines_removed};
                }
            } else if (in->eof && in->start == in->end) {
                break; /* the file ends inside a dropped element */
            }
            continue;
        }
        if (p == end) {
            if (in->eof)
                break;
            continue;
        }
        int which;
        /* look only as far as this call can hand out: libxml2 asks for ~4 kB at a time */
        const char *limit = (size_t)(end - p) > (size_t)len ? p + len : end;
        const char *stop = find_drop(in, p, limit, end, &which);
        if (stop == p && which >= 0) {
            in->dropping = which;
            continue;
        }
        if (stop == p) { /* a possible name split by the buffer end: read on */
            if (in->eof)
                stop = end;
            else {
                size_t have = in->end - in->start;
                memmove(in->buf, p, have);
                in->start = 0;
                in->end = have;
                int n = read_raw(in, in->buf + in->end, in->cap - in->end);
                if (n <= 0)
                    in->eof = true;
                else
                    in->end += (size_t)n;
                continue;
            }
        }
        size_t n = (size_t)(stop - p);
        if (n > (size_t)len)
            n = (size_t)len;
        in->lines_out += count_newlines(p, n);
        if (in->latin1 && has_high_byte(p, n))
            return latin1_out(in, p, n, out, len);
        memcpy(out, p, n);
        in->start += n;
        return (int)n;
    }
    /* end of the file: pad, then EOF */
    if (in->padding >= EOF_PADDING)
        return 0;
    int n = len < EOF_PADDING - in->padding ? len : EOF_PADDING - in->padding;
    memset(out, ' ', (size_t)n);
    in->padding += n;
    return n;
}

long xml_input_file_line(const xml_input *in, long line)
{
    long add = 0;
    for (int i = 0; i < in->ncuts && in->cuts[i].at_line < line; i++)
        add = in->cuts[i].removed;
    if (in->dropping >= 0 && line > in->lines_out)
        add = in->lines_removed;
    return line + add;
}

bool xml_input_at_eof(const xml_input *in) { return in->eof && in->start == in->end; }

long long xml_input_offset(const xml_input *in)
{
    return in->gz ? (long long)gzoffset(in->gz) : in->bytes_read;
}
