/* projwfc.x reader: the pdos files (FILPDOS.pdos_tot, FILPDOS.pdos_atm#N(El)_wfc#M(l)):
 * reading their lines, their names, their tables of numbers, and finding them (and
 * the standard output) in a folder. */
#include "projwfc_reader.h"

/* ---- reading ----------------------------------------------------------------- */

dp_status pj_open_reader(reader *r, const char *path, dp_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = gzopen(path, "rb");
    if (!r->f)
        return dp_fail(err, DP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    gzbuffer(r->f, 1 << 16);
    return DP_OK;
}

/* 1 a line, 0 end of file, -1 error (err filled). Overlong lines are cut.
 * Not text_numbers.h's dp_text_next_line, which differs in one case: this skips the
 * rest of an overlong line in gzgets chunks, so a NUL byte before the '\n' in that
 * rest makes it skip the next line too. */
int pj_get_line(reader *r, dp_error *err)
{
    if (!gzgets(r->f, r->buf, sizeof r->buf)) {
        int code;
        const char *msg = gzerror(r->f, &code);
        if (code == Z_ERRNO)
            return dp_fail(err, DP_ERR_IO, "%s: cannot read: %s", r->path, strerror(errno)), -1;
        if (code != Z_OK && code != Z_BUF_ERROR)
            return dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: corrupt gzip stream (%s)", r->path,
                           r->line + 1, msg), -1;
        return 0;
    }
    r->line++;
    size_t n = strlen(r->buf);
    r->newline = n && r->buf[n - 1] == '\n';
    if (!r->newline && n == sizeof r->buf - 1) {
        char rest[256];
        while (gzgets(r->f, rest, sizeof rest) && !strchr(rest, '\n'))
            ;
        r->newline = true;
    }
    while (n && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
        r->buf[--n] = '\0';
    return 1;
}

/* A last line without its newline is whole only if it ends like an E11.3 field. */
static bool ends_complete(const char *line)
{
    size_t n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1]))
        n--;
    int digits = 0;
    while (n && isdigit((unsigned char)line[n - 1]))
        n--, digits++;
    return digits >= 2 && n >= 2 && (line[n - 1] == '+' || line[n - 1] == '-');
}

/* The first bytes of a file, decompressed. */
bool pj_head_has(const char *path, const char *needle)
{
    char head[4096];
    gzFile g = gzopen(path, "rb");
    if (!g)
        return false;
    int n = gzread(g, head, sizeof head - 1);
    gzclose(g);
    if (n <= 0)
        return false;
    head[n] = '\0';
    for (int i = 0; i < n; i++)
        if (!head[i])
            head[i] = ' ';
    return strstr(head, needle) != NULL;
}

/* ---- the pdos files -------------------------------------------------------- */

/* Splits a file name into prefix length and kind: 1 pdos_tot, 2 pdos_atm, 0 neither. */
int pj_parse_name(const char *name, size_t *plen, pfile *pf)
{
    const char *at = NULL;
    for (const char *q = strstr(name, ".pdos_"); q; q = strstr(q + 1, ".pdos_"))
        at = q;
    if (!at || at == name)
        return 0;
    *plen = (size_t)(at - name);
    const char *t = at + 6;
    size_t rest = strlen(t);
    if (rest >= 3 && !strcmp(t + rest - 3, ".gz"))
        rest -= 3;
    if (rest == 3 && !strncmp(t, "tot", 3))
        return 1;
    int atom, wfc, used = 0;
    char label[16], lch;
    if (sscanf(t, "atm#%d(%15[^)])_wfc#%d(%c%n", &atom, label, &wfc, &lch, &used) != 4 ||
        atom < 1 || atom > MAX_ATOMS || wfc < 1)
        return 0;
    const char *l = strchr("spdf", lch);
    if (!l || !lch)
        return 0;
    pf->atom = atom;
    pf->wfc = wfc;
    pf->l = (int)(l - "spdf");
    pf->j2 = -1;
    snprintf(pf->label, sizeof pf->label, "%s", label);
    t += used;
    if (*t == '_') {
        double j;
        int u2 = 0;
        if (sscanf(t, "_j%lf%n", &j, &u2) != 1 || fabs(fabs(j - pf->l) - 0.5) > 1e-6)
            return 0;
        pf->j2 = (int)lround(2 * j);
        t += u2;
    }
    if (*t != ')' || (size_t)(t + 1 - (at + 6)) != rest)
        return 0;
    return 2;
}

/* HEADER: the header line only; COUNT: rows counted; VALUES: rows kept in t->v. */
dp_status pj_read_table(const char *path, int what, table *t, dp_error *err)
{
    bool values = what == VALUES;
    memset(t, 0, sizeof *t);
    reader r;
    dp_status st = pj_open_reader(&r, path, err);
    if (st)
        return st;
    int rc = pj_get_line(&r, err);
    if (rc < 0) {
        gzclose(r.f);
        return err->code;
    }
    const char *h = r.buf + strspn(r.buf, " \t");
    if (rc == 0 || h[0] != '#' || !strstr(h, "E")) {
        gzclose(r.f);
        return dp_fail(err, DP_ERR_FORMAT, "%s: line 1: expected projwfc.x's header (\"# E (eV) "
                       "…\"), found \"%.60s\"", path, rc ? r.buf : "end of file");
    }
    char w[16];
    if (sscanf(h + 1, "%15s", w) == 1 && !strcmp(w, "ik")) {
        gzclose(r.f);
        return dp_fail(err, DP_ERR_FORMAT, "%s: line 1: k-resolved projected DOS (kresolveddos) is "
                       "not read; run projwfc.x without it", path);
    }
    t->two_spin = strstr(h, "dosup") != NULL;
    t->tot_ncl = strstr(h, " dos(E)") && strstr(h, "pdosup");
    if (what == HEADER) {
        gzclose(r.f);
        return DP_OK;
    }
    size_t cap = 0;
    double v[MAX_COLS + 1];
    while ((rc = pj_get_line(&r, err)) == 1) {
        int n = dp_text_line_numbers_short(r.buf, v, MAX_COLS, &t->overflows,
                                               MAX_TOKEN);
        if (n == 0)
            continue; /* blank */
        if (!r.newline && (n != t->ncols || !ends_complete(r.buf)))
            break;    /* a last line cut in the middle */
        if (n < 0 || n > MAX_COLS || (t->ncols && n != t->ncols) || n < 2) {
            st = dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: %s", path, r.line,
                         n < 0 ? "not a row of numbers" : n > MAX_COLS ? "too many columns" :
                         n < 2 ? "fewer than 2 columns" : "a different number of columns");
            break;
        }
        if (!isfinite(v[0])) {
            st = dp_fail(err, DP_ERR_FORMAT, "%s: line %ld: the energy is not a number (\"%.20s\")",
                         path, r.line, r.buf);
            break;
        }
        t->ncols = n;
        if (values) {
            if ((size_t)(t->nrows + 1) * (size_t)n > cap) {
                size_t nc = cap ? cap * 2 : 4096 * (size_t)n;
                double *p2 = realloc(t->v, nc * sizeof *p2);
                if (!p2) {
                    st = dp_fail(err, DP_ERR_NOMEM, "%s: out of memory", path);
                    break;
                }
                t->v = p2, cap = nc;
            }
            memcpy(t->v + (size_t)t->nrows * (size_t)n, v, (size_t)n * sizeof *v);
        }
        t->nrows++;
    }
    if (rc < 0)
        st = err->code;
    gzclose(r.f);
    if (!st && t->nrows == 0)
        st = dp_fail(err, DP_ERR_INCOMPLETE, "%s: no data after the header (cut off?)", path);
    if (st) {
        free(t->v);
        t->v = NULL;
    }
    return st;
}

/* ---- finding the files ------------------------------------------------------ */

/* filpdos (or prefix) of a projwfc.x input beside the standard output. */
static void input_prefix(ps *s, char *out, size_t size)
{
    char cand[2][1200];
    int nc = 0;
    if (s->stdout_path[0]) {
        const char *b = dp_path_base(s->stdout_path);
        size_t n = strlen(b);
        if (n > 4 && !strcmp(b + n - 4, ".out"))
            snprintf(cand[nc++], sizeof cand[0], "%s/%.*s.in", s->dir, (int)(n - 4), b);
    }
    snprintf(cand[nc++], sizeof cand[0], "%s/projwfc.in", s->dir);
    out[0] = '\0';
    for (int k = 0; k < nc && !out[0]; k++) {
        FILE *f = fopen(cand[k], "r");
        if (!f)
            continue;
        char line[512], filpdos[256] = "", prefix[256] = "";
        while (fgets(line, sizeof line, f)) {
            char *eq = strchr(line, '=');
            if (!eq)
                continue;
            char key[32] = "", val[256] = "";
            sscanf(line, " %31[A-Za-z_]", key);
            if (sscanf(eq + 1, " '%255[^']'", val) != 1 && sscanf(eq + 1, " \"%255[^\"]\"", val) != 1)
                continue;
            if (!strcasecmp(key, "filpdos"))
                snprintf(filpdos, sizeof filpdos, "%s", dp_path_base(val));
            else if (!strcasecmp(key, "prefix"))
                snprintf(prefix, sizeof prefix, "%s", val);
        }
        fclose(f);
        snprintf(out, size, "%s", filpdos[0] ? filpdos : prefix);
    }
}

static int cmp_files(const void *a, const void *b)
{
    const pfile *x = a, *y = b;
    if (x->atom != y->atom)
        return x->atom < y->atom ? -1 : 1;
    if (x->wfc != y->wfc)
        return x->wfc < y->wfc ? -1 : 1;
    return (x->j2 > y->j2) - (x->j2 < y->j2);
}

/* Lists the pdos files of s->dir; picks the prefix. */
dp_status pj_find_files(ps *s, const char *given_prefix)
{
    DIR *d = opendir(s->dir);
    if (!d)
        return dp_fail(s->err, DP_ERR_IO, "%s: cannot list: %s", s->dir, strerror(errno));
    char prefixes[8][256];
    int np = 0, cap = 0;
    bool many = false;
    struct dirent *e;
    dp_status st = DP_OK;
    /* pass 1: prefixes; pass 2 (after choosing): the files */
    for (int pass = 0; pass < 2 && !st; pass++) {
        rewinddir(d);
        while ((e = readdir(d))) {
            size_t plen;
            pfile pf = {0};
            int kind = pj_parse_name(e->d_name, &plen, &pf);
            if (!kind || plen >= 256)
                continue;
            if (pass == 0) {
                bool seen = false;
                for (int k = 0; k < np; k++)
                    if (strlen(prefixes[k]) == plen && !strncmp(prefixes[k], e->d_name, plen))
                        seen = true;
                if (!seen && np < 8)
                    snprintf(prefixes[np++], sizeof prefixes[0], "%.*s", (int)plen, e->d_name);
                else if (!seen)
                    many = true;
                continue;
            }
            if (strlen(s->prefix) != plen || strncmp(s->prefix, e->d_name, plen))
                continue;
            char full[1400];
            snprintf(full, sizeof full, "%s/%s", s->dir, e->d_name);
            if (kind == 1) {
                snprintf(s->tot_path, sizeof s->tot_path, "%s", full);
                continue;
            }
            if (s->nfiles == cap) {
                int nc = cap ? cap * 2 : 32;
                pfile *n = realloc(s->files, (size_t)nc * sizeof *n);
                if (!n) {
                    st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->dir);
                    break;
                }
                s->files = n, cap = nc;
            }
            pf.path = strdup(full);
            if (!pf.path) {
                st = dp_fail(s->err, DP_ERR_NOMEM, "%s: out of memory", s->dir);
                break;
            }
            s->files[s->nfiles++] = pf;
            if (pf.atom > s->max_file_atom)
                s->max_file_atom = pf.atom;
            if (pf.j2 >= 0)
                s->spinorb = true;
        }
        if (pass == 0) {
            if (given_prefix) {
                snprintf(s->prefix, sizeof s->prefix, "%s", given_prefix);
            } else if (np == 1) {
                snprintf(s->prefix, sizeof s->prefix, "%.255s", prefixes[0]);
            } else if (np > 1) {
                char want[256];
                input_prefix(s, want, sizeof want);
                const char *w[2] = {want, s->xml_prefix};
                for (int k = 0; k < 2 && !s->prefix[0]; k++)
                    for (int i = 0; i < np; i++)
                        if (w[k][0] && !strcmp(w[k], prefixes[i]))
                            snprintf(s->prefix, sizeof s->prefix, "%.255s", prefixes[i]);
                if (!s->prefix[0]) {
                    char list[1200] = "";
                    for (int i = 0; i < np; i++)
                        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.255s",
                                 i ? ", " : "", prefixes[i]);
                    st = dp_fail(s->err, DP_ERR_USAGE, "%s: pdos files of several runs (prefixes "
                                 "%s%s) and no projwfc.x output or input that says which: give "
                                 "one pdos file of the run you want", s->dir, list,
                                 many ? ", …" : "");
                }
            }
            if (!s->prefix[0])
                break; /* no pdos files */
        }
    }
    closedir(d);
    if (!st && s->nfiles)
        qsort(s->files, (size_t)s->nfiles, sizeof *s->files, cmp_files);
    for (int i = 1; !st && i < s->nfiles; i++)
        if (!cmp_files(&s->files[i - 1], &s->files[i]))
            st = dp_fail(s->err, DP_ERR_FORMAT, "%s and %s: the same atom and wavefunction twice",
                         s->files[i - 1].path, s->files[i].path);
    return st;
}

/* A projwfc.x standard output in the directory (projwfc.out first, else *.out). */
void pj_find_stdout(ps *s)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/projwfc.out", s->dir);
    if (dp_path_is_file(p) && pj_head_has(p, "Program PROJWFC")) {
        snprintf(s->stdout_path, sizeof s->stdout_path, "%s", p);
        return;
    }
    DIR *d = opendir(s->dir);
    if (!d)
        return;
    struct dirent *e;
    time_t best = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".out"))
            continue;
        snprintf(p, sizeof p, "%s/%s", s->dir, e->d_name);
        struct stat st;
        if (stat(p, &st) || !S_ISREG(st.st_mode) || !pj_head_has(p, "Program PROJWFC"))
            continue;
        if (!s->stdout_path[0] || st.st_mtime > best) {
            best = st.st_mtime;
            snprintf(s->stdout_path, sizeof s->stdout_path, "%s", p);
        }
    }
    closedir(d);
}
/* The first file of atom a and wavefunction ≥ wfc (files are sorted), or NULL. */
const pfile *pj_find_file(const ps *s, int a, int wfc)
{
    int lo = 0, hi = s->nfiles;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const pfile *f = &s->files[mid];
        if (f->atom < a || (f->atom == a && f->wfc < wfc))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nfiles && s->files[lo].atom == a ? &s->files[lo] : NULL;
}
