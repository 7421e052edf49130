/* Shared SVG pieces (see svg.h). */
#include "svg.h"

#include <math.h>

const char *const SVG_COLOUR[SVG_NCOLOURS] = {"#1f5fbf", "#c8302c", "#2e8b3e", "#8e44ad",
                                              "#e67e22", "#16a085", "#7f5a2a", "#d63384"};

double svg_px(const svg_frame *f, double x)
{
    return f->left + (x - f->x0) / (f->x1 - f->x0) * f->pw;
}

double svg_py(const svg_frame *f, double y)
{
    return f->top + (f->y1 - y) / (f->y1 - f->y0) * f->ph;
}

double svg_nice_step(double span, int nticks)
{
    double raw = span / nticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

int svg_step_decimals(double step)
{
    int d = (int)-floor(log10(step) + 1e-9);
    return d < 0 ? 0 : d;
}

FILE *svg_open(const char *cmd, const char *path, double width, double height)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "dftpost %s: %s: cannot write: %m\n", cmd, path);
        return NULL;
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", width, height, width,
            height);
    return out;
}

int svg_close(const char *cmd, const char *path, FILE *out)
{
    fputs("</svg>\n", out);
    if (fclose(out)) {
        fprintf(stderr, "dftpost %s: %s: error writing\n", cmd, path);
        return -1;
    }
    return 0;
}

void svg_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            fputs("&amp;", out);
        else if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else
            fputc(*s, out);
    }
}

void svg_axes(FILE *out, const svg_frame *f, double xstep, double ystep,
              const char *grid_colour)
{
    fprintf(out, "<g %s font-size=\"12\" fill=\"#222\">\n", SVG_FONT);
    /* the 1e-9 steps: a tick that rounding puts just past an end still counts, and
     * -0 prints as 0 */
    if (xstep > 0) {
        int xd = svg_step_decimals(xstep);
        for (double t = ceil(f->x0 / xstep - 1e-9) * xstep; t <= f->x1 + 1e-9 * xstep;
             t += xstep) {
            double v = fabs(t) < 1e-9 * xstep ? 0 : t, X = svg_px(f, v);
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\"/>\n", X, f->top, X, f->top + f->ph, grid_colour);
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"#222\"/>\n", X, f->top + f->ph, X, f->top + f->ph + 5);
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.*f</text>\n",
                    X, f->top + f->ph + 19, xd, v);
        }
    }
    int yd = svg_step_decimals(ystep);
    for (double t = f->y0; t <= f->y1 + 1e-9 * ystep; t += ystep) {
        double v = fabs(t) < 1e-9 * ystep ? 0 : t, Y = svg_py(f, v);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                f->left, Y, f->left + f->pw, Y, grid_colour);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>\n",
                f->left - 5, Y, f->left, Y);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>\n",
                f->left - 8, Y + 4, yd, v);
    }
    fprintf(out, "</g>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#222\"/>\n", f->left, f->top, f->pw, f->ph);
}

void svg_y_title(FILE *out, const svg_frame *f, double x, const char *title)
{
    fprintf(out, "<text transform=\"translate(%g %.1f) rotate(-90)\" %s font-size=\"15\" "
            "text-anchor=\"middle\">", x, f->top + f->ph / 2, SVG_FONT);
    svg_text(out, title);
    fputs("</text>\n", out);
}
