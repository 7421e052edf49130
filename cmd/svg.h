/* The pieces the SVG plots share (`volcano --svg`, `fed --svg`), so that they keep
 * one look: font, palette, tick steps, axes, file header and trailer. */
#ifndef DP_SVG_H
#define DP_SVG_H

#include <stdio.h>

#define SVG_FONT "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""
#define SVG_NCOLOURS 8
extern const char *const SVG_COLOUR[SVG_NCOLOURS];

/* A plot area: data ranges mapped onto a rectangle in px (y grows downwards). */
typedef struct {
    double x0, x1, y0, y1;    /* data ranges */
    double left, top, pw, ph; /* plot area in px */
} svg_frame;

double svg_px(const svg_frame *f, double x);
double svg_py(const svg_frame *f, double y);

/* A round tick step (1, 2 or 5 × 10^k) giving about nticks ticks over span, and the
 * decimals its labels need. */
double svg_nice_step(double span, int nticks);
int svg_step_decimals(double step);

/* Opens path and writes the SVG header and a white background; NULL ("dftpost CMD:
 * PATH: cannot write: why" on stderr) if it cannot. */
FILE *svg_open(const char *cmd, const char *path, double width, double height);
/* Writes the trailer and closes; 0, or -1 with the message on stderr. */
int svg_close(const char *cmd, const char *path, FILE *out);

/* s as XML character data (&, <, > escaped). */
void svg_text(FILE *out, const char *s);

/* Grid lines, ticks and tick labels every ystep from f->y0 (a multiple of ystep) to
 * f->y1 and, when xstep > 0, every xstep inside f->x0..f->x1; then the frame. */
void svg_axes(FILE *out, const svg_frame *f, double xstep, double ystep,
              const char *grid_colour);
/* The y-axis title, turned, centred on the plot area's height, at x. */
void svg_y_title(FILE *out, const svg_frame *f, double x, const char *title);

#endif
