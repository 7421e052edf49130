/* Internal to the vasprun.xml reader (vasprun.c, vasprun_reader.c, vasprun_dos.c):
 * the reader state and the small pull-parsing helpers built on xmlTextReader. */
#ifndef DP_VASPRUN_READER_H
#define DP_VASPRUN_READER_H

#include "dftpost.h"
#include "incar.h"
#include "xml_input.h"

#include <libxml/xmlreader.h>

#define MAX_ATOMS 10000000
#define MAX_NEDOS 10000000
#define MAX_FIELDS 64

typedef enum { VR_OK = 0, VR_BROKEN, VR_FAIL } vr_result;

typedef struct {
    xmlTextReaderPtr r;
    xml_input in;
    const char *path;
    dp_run *run;
    dp_read_opts opts;
    dp_error *err;
    dp_status fail_code;
    long long fsize;
    long nodes;
    char xml_msg[256]; /* first error libxml2 reported */
    long xml_line;
    long overflows;    /* "*****" fields read as NaN */
    char *text;        /* copy of the last leaf's text (the reader reuses its buffer) */
    size_t text_cap;

    /* the ionic step being read */
    int calc_index;
    bool sc_have;
    double sc_e_fr, sc_e_wo, sc_e_0;
    dp_frame pending_frame;
    bool have_pending_frame;
    bool structure_seen;
    bool in_dos;       /* the break happened inside the DOS */

    dp_incar incar;    /* the tags of <incar>, for the run's settings */
} vr;

/* Fills s->err ("FILE: line N: what") and returns VR_FAIL. */
vr_result vr_fail(vr *s, dp_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Line in the file of the node under the cursor. */
long vr_node_line(vr *s);
/* One step of the reader; VR_BROKEN when the file ends or stops being XML. */
vr_result vr_next(vr *s);
vr_result vr_skip(vr *s);
const char *vr_name(vr *s);
bool vr_is_start(vr *s, const char *nm);
bool vr_attr_is(vr *s, const char *attr, const char *value);
void vr_attr_copy(vr *s, const char *attr, char *buf, size_t size);
/* Text of the current leaf element, valid until the next call; the reader is
 * left on its end tag. */
vr_result vr_leaf_text(vr *s, const char **text);
/* Whitespace-separated numbers; "****" → NaN (counted). Count read, or -1. */
int vr_parse_numbers(vr *s, const char *p, double *out, int max);
vr_result vr_leaf_number(vr *s, double *v);
vr_result vr_leaf_int(vr *s, long *out, long lo, long hi, const char *what);
void vr_trim_copy(char *dst, size_t size, const char *src);

/* Child handler: consumes the child element it is given (ending on its end tag),
 * or sets *advanced after skipping it. */
typedef vr_result (*child_fn)(vr *s, void *ctx, bool *advanced);
/* Calls child() on each child element of the current one; stops at its end tag. */
vr_result vr_children(vr *s, child_fn child, void *ctx);
vr_result vr_skip_child(vr *s, bool *advanced);

/* <generator>: program and version. */
vr_result vr_read_generator(vr *s);
/* <incar> (incar true: its tags also go to s->incar) or <parameters>: run->params. */
vr_result vr_read_params(vr *s, bool incar);
/* The run's canonical settings (dftpost.h): CODE = VASP, VERSION from <generator>, the
 * INCAR tags of <incar> as incar.h makes them, POTCAR from atominfo's pseudopotential
 * titles. DP_ERR_NOMEM only. */
dp_status vr_settings(vr *s);

/* <dos>: efermi, total and projected DOS into s->run (vasprun_dos.c). */
vr_result vr_read_dos(vr *s);
void vr_dos_free(dp_dos *d, int natoms);

#endif
