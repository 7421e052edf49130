/* dftpost fed --svg: step diagrams, one panel per mechanism, catalysts overlaid in
 * distinct colours (the look of `dftpost volcano --svg`). */
#include "fed_cmd.h"
#include "svg.h"

/* a white outline under a label's letters (drawn first: paint-order) */
#define HALO "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLOT SVG_NCOLOURS
static const char *FONT = SVG_FONT;

/* "*O + H2O": the site and the molecules a level holds */
static void level_label(const dp_fed_level *l, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (strcmp(l->site, "-"))
        len += (size_t)snprintf(buf, size, "%s", l->site);
    for (int t = 0; t < l->nterms && len < size; t++) {
        char c[24] = "";
        if (fabs(l->terms[t].coef - 1) > 1e-9)
            snprintf(c, sizeof c, "%g ", l->terms[t].coef);
        len += (size_t)snprintf(buf + len, size - len, "%s%s%s", len ? " + " : "", c,
                                l->terms[t].name);
    }
}

typedef struct {
    double x0, y0, x1, y1;
} box;

/* places a label box unless it overlaps one placed before */
static bool place(box *placed, int *n, int max, box b)
{
    for (int i = 0; i < *n; i++)
        if (b.x0 < placed[i].x1 && placed[i].x0 < b.x1 && b.y0 < placed[i].y1 &&
            placed[i].y0 < b.y1)
            return false;
    if (*n < max)
        placed[(*n)++] = b;
    return true;
}

typedef struct {
    const fed_catalyst *c;
    const fed_result *r;
    int colour;
} series;

static void panel(FILE *out, const dp_fed_mechanism *m, const series *sv, int ns, double top,
                  double width, double u, double u_shown, const char *scale)
{
    const double left = 84, colw = 118, plot_h = 330, legend_x = left + m->nlevels * colw + 30;
    double gu[MAX_PLOT][DP_FED_MAX_LEVELS];
    double ymin = 0, ymax = 0;
    for (int s = 0; s < ns; s++) {
        double acc = 0;
        for (int k = 0; k < m->nlevels; k++) {
            if (k > 0)
                acc += sv[s].r->d.n[k - 1] * u;
            gu[s][k] = sv[s].r->d.g[k] + acc;
            ymin = fmin(ymin, gu[s][k]);
            ymax = fmax(ymax, gu[s][k]);
        }
    }
    if (ymax - ymin < 0.5)
        ymax = ymin + 0.5;
    double ys = svg_nice_step(ymax - ymin, 6);
    double ptop = top + 58, pw = m->nlevels * colw;
    svg_frame f = {.y0 = floor(ymin / ys - 0.3) * ys, .y1 = ceil(ymax / ys + 0.3) * ys,
                   .left = left, .top = ptop, .pw = pw, .ph = plot_h};
    char title[128];
    snprintf(title, sizeof title, "%s", m->title);
    char *colon = strchr(title, ':');
    if (colon)
        *colon = '\0';
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"17\" font-weight=\"bold\">", left,
            top + 24, FONT);
    svg_text(out, title);
    fprintf(out, " (%s)</text>\n", m->name);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"13\" fill=\"#333\">at U = %.2f V "
            "vs %s; (H+ + e-) at 1/2 G(H2) - eU</text>\n", left, top + 44, FONT, u_shown,
            scale);
    /* axis, ticks, zero line */
    svg_axes(out, &f, 0, ys, "#ececec");
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" "
            "stroke-dasharray=\"2 3\"/>\n", left, svg_py(&f, 0), left + pw, svg_py(&f, 0));
    svg_y_title(out, &f, 26, "ΔG (eV)");
    /* state labels under the columns */
    for (int k = 0; k < m->nlevels; k++) {
        char lab[96];
        level_label(&m->levels[k], lab, sizeof lab);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12.5\" text-anchor=\"middle\">",
                left + (k + 0.5) * colw, ptop + plot_h + 20, FONT);
        svg_text(out, lab);
        fputs("</text>\n", out);
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12\" fill=\"#555\" "
            "text-anchor=\"middle\">reaction coordinate</text>\n", left + pw / 2,
            ptop + plot_h + 40, FONT);
    /* levels and connectors */
    box placed[512];
    int nplaced = 0;
    const double bar = colw * 0.56, pad = (colw - bar) / 2;
    for (int s = 0; s < ns; s++) /* labels keep off every level bar */
        for (int k = 0; k < m->nlevels; k++) {
            double xa = left + k * colw + pad, Y = svg_py(&f, gu[s][k]);
            place(placed, &nplaced, 512, (box){xa - 2, Y - 3, xa + bar + 2, Y + 3});
        }
    for (int s = 0; s < ns; s++) {
        const char *col = SVG_COLOUR[sv[s].colour];
        int pds = sv[s].r->r.pds;
        fprintf(out, "<g stroke=\"%s\" fill=\"none\">\n", col);
        for (int k = 0; k < m->nlevels; k++) {
            double xa = left + k * colw + pad, Y = svg_py(&f, gu[s][k]);
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" "
                    "stroke-width=\"3.2\" stroke-linecap=\"round\"/>\n", xa, Y, xa + bar, Y);
            if (k + 1 == m->nlevels)
                continue;
            double Yn = svg_py(&f, gu[s][k + 1]);
            bool is_pds = k == pds;
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" "
                    "stroke-width=\"%s\"%s/>\n", xa + bar, Y, xa + bar + 2 * pad, Yn,
                    is_pds ? "2.4" : "1.3", is_pds ? "" : " stroke-dasharray=\"5 4\"");
        }
        fputs("</g>\n", out);
    }
    /* labels after every line, so that no later catalyst's connector crosses them; a
     * white halo keeps them legible over the grid */
    for (int s = 0; s < ns; s++) {
        const char *col = SVG_COLOUR[sv[s].colour];
        int pds = sv[s].r->r.pds;
        /* the PDS: a label beside its connector, on the side the line leaves free (right
         * and above a falling line, right and below a rising one), where there is room */
        double ya = svg_py(&f, gu[s][pds]), yb = svg_py(&f, gu[s][pds + 1]);
        double xm = left + (pds + 1) * colw, ym = (ya + yb) / 2;
        double dg = gu[s][pds + 1] - gu[s][pds];
        bool falling = yb > ya;
        for (int tries = 0; tries < 8; tries++) {
            double yy = falling ? ym - 8 - 15 * tries : ym + 18 + 15 * tries;
            box b = {xm + 6, yy - 11, xm + 86, yy + 3};
            if (place(placed, &nplaced, 512, b)) {
                fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"11.5\" fill=\"%s\" "
                        "font-weight=\"bold\" %s>PDS %+.2f</text>\n", xm + 8, yy, FONT, col,
                        HALO, dg);
                break;
            }
        }
        if (ns > 2)
            continue;
        for (int k = 0; k < m->nlevels; k++) { /* level values, when few catalysts */
            double xc = left + (k + 0.5) * colw, Y = svg_py(&f, gu[s][k]) - 6;
            box b = {xc - 22, Y - 12, xc + 22, Y + 1};
            if (place(placed, &nplaced, 512, b))
                fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"11\" fill=\"%s\" "
                        "text-anchor=\"middle\" %s>%.2f</text>\n", xc, Y - 1, FONT, col, HALO,
                        gu[s][k]);
        }
    }
    /* legend */
    double ly = ptop + 14;
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12.5\" font-weight=\"bold\">"
            "catalyst: U_L, η (V vs RHE)</text>\n", legend_x, ly, FONT);
    ly += 22;
    for (int s = 0; s < ns; s++) {
        const dp_che_result *r = &sv[s].r->r;
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"3.2\"/>\n", legend_x, ly - 4, legend_x + 22, ly - 4,
                SVG_COLOUR[sv[s].colour]);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12.5\">", legend_x + 28, ly,
                FONT);
        svg_text(out, sv[s].c->cat->name);
        fputs("</text>\n", out);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"11.5\" fill=\"#444\">U_L "
                "%.2f V, η %.2f V, PDS step %d</text>\n", legend_x + 28, ly + 15, FONT,
                r->limiting_potential, r->overpotential, r->pds + 1);
        ly += 38;
    }
    (void)width;
}

int fed_write_svg(const fed_run *run, const char *path, double u_rhe, double u_shown,
                  const char *scale, const char *plot)
{
    /* the catalysts to draw */
    const fed_catalyst *pick[MAX_PLOT];
    int np = 0, ncomputed = 0;
    for (int i = 0; i < run->ncat; i++) {
        const fed_catalyst *c = &run->cat[i];
        if (c->status == FED_REFUSED)
            continue;
        ncomputed++;
        if (plot) {
            bool listed = false;
            size_t len = strlen(c->cat->name);
            for (const char *p = plot; *p;) {
                const char *e = strchr(p, ',');
                size_t k = e ? (size_t)(e - p) : strlen(p);
                listed |= k == len && !strncmp(p, c->cat->name, len);
                p += k + (e ? 1 : 0);
            }
            if (!listed)
                continue;
        }
        if (np < MAX_PLOT)
            pick[np++] = c;
    }
    if (np == 0) {
        fprintf(stderr, "dftpost fed: --svg: no computed catalyst to draw%s\n",
                plot ? " (check --plot)" : "");
        return -1;
    }
    if (!plot && ncomputed > MAX_PLOT)
        fprintf(stderr, "dftpost fed: warning: --svg draws the first %d of %d catalysts (choose "
                "with --plot)\n", MAX_PLOT, ncomputed);
    /* the mechanisms, in order of first appearance */
    const dp_fed_mechanism *mech[DP_FED_MAX_MECH * MAX_PLOT];
    int nm = 0, maxlev = 2;
    for (int p = 0; p < np; p++)
        for (int r = 0; r < pick[p]->nres; r++) {
            const dp_fed_mechanism *m = pick[p]->res[r].m;
            if (!pick[p]->res[r].ok)
                continue;
            int k = 0;
            while (k < nm && mech[k] != m)
                k++;
            if (k == nm)
                mech[nm++] = m;
            if (m->nlevels > maxlev)
                maxlev = m->nlevels;
        }
    const double panel_h = 470, W = 84 + maxlev * 118 + 30 + 250;
    FILE *out = svg_open("fed", path, W, nm * panel_h + 10);
    if (!out)
        return -1;
    for (int k = 0; k < nm; k++) {
        series sv[MAX_PLOT];
        int ns = 0;
        for (int p = 0; p < np; p++)
            for (int r = 0; r < pick[p]->nres; r++)
                if (pick[p]->res[r].m == mech[k] && pick[p]->res[r].ok)
                    sv[ns++] = (series){pick[p], &pick[p]->res[r], p};
        panel(out, mech[k], sv, ns, k * panel_h, W, u_rhe, u_shown, scale);
    }
    return svg_close("fed", path, out);
}
