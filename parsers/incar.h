/* Internal to the readers: the INCAR reader and the POTCAR titles (for oszicar.c, which
 * takes run settings from the VASP input files beside it), and the canonical settings
 * of dftpost.h made from INCAR tags, whoever found them (oszicar.c, vasprun.c,
 * outcar.c), with the CODE/VERSION/POTCAR setters every reader of energies uses
 * (pwout.c and qexml.c too). Not part of the library's API (dftpost.h).
 *
 * INCAR, as VASP reads it:
 *   KEY = VALUE            keys are case-insensitive (kept upper case here)
 *   ! comment, # comment   everything after '!' or '#' on a line is dropped
 *   A = 1; B = 2           several statements on one line, separated by ';'
 *   lines without '='      ignored, with a warning (blank ones silently)
 * Values are trimmed, runs of blanks become one space, and a value that is one
 * Fortran logical (.TRUE. .T. T TRUE .FALSE. .F. F FALSE, any case) becomes "T" or
 * "F"; everything else is kept as written (upper case), multiplied counts
 * ("126*0.6") too. A key written twice keeps its first value (VASP searches the file
 * from the top), with a warning if the second one differs. Long lines (over 4095
 * bytes) are cut, with a warning. Continuation lines ('\' at the end) are not joined.
 */
#ifndef DP_INCAR_H
#define DP_INCAR_H

#include "dftpost.h"

typedef struct {
    char key[32];
    char *value;   /* normalised as above; owned by the dp_incar */
    long line;     /* 1-based line of the file */
} dp_incar_tag;

typedef struct {
    int n;
    dp_incar_tag *tags;
} dp_incar;

/* Reads an INCAR (plain or gzip) into inc (zero it first; free with dp_incar_free).
 * Warnings about the file go to warn (if not NULL), prefixed with the path.
 * DP_ERR_IO if it cannot be opened or read, DP_ERR_NOMEM. */
dp_status dp_incar_read(const char *path, dp_incar *inc, dp_run *warn, dp_error *err);

/* Adds KEY = value as an INCAR line does (key upper-cased, value normalised as above;
 * a key already there keeps its first value). For readers that find the tags
 * elsewhere (vasprun.xml's <incar>, an OUTCAR). DP_ERR_NOMEM, DP_ERR_FORMAT (too many). */
dp_status dp_incar_add(dp_incar *inc, const char *key, const char *value, dp_error *err);

/* The value of key (upper case) or NULL. */
const char *dp_incar_get(const dp_incar *inc, const char *key);

void dp_incar_free(dp_incar *inc);

/* The TITEL lines of a POTCAR or of a POTCAR_info-style file (plain or gzip), in
 * order, each cut to 79 characters. Returns how many (at most max), 0 when there is
 * none; -1 on a read error (err filled). */
int dp_potcar_titles(const char *path, char (*titles)[80], int max, dp_error *err);

/* Sets run's canonical settings (dftpost.h, dp_run_set_setting) from the VASP inputs
 * in folder dir: CODE=VASP always; from the INCAR, the keys written there (GGA,
 * METAGGA, ENCUT, PREC, LASPH, LDAU, LDAUTYPE, LDAUL, LDAUU, LDAUJ, IVDW, ISPIN,
 * ISMEAR, SIGMA; no defaults are filled in: a key not written is not set); PREC is
 * spelled out from its first letter (A → ACCURATE, N → NORMAL, L → LOW, M → MEDIUM,
 * H → HIGH; S... kept); numbers and lists of numbers are written as %.6g each
 * ("5.3000" → "5.3", "3*0.00" → "3*0"); IVDW is IVDW if written, else 1 for LVDW = T
 * and 0 for LVDW = F. run->params gets ISPIN, LORBIT, ISMEAR, SIGMA (VASP's
 * defaults 1, -1 (not stated), 1, 0.2 when not written). POTCAR: the TITEL lines of
 * POTCAR_info, else POTCAR, else POTCAR.gz, joined by " | " (the order of the POTCAR,
 * which is the species order); they also go into run->species[].potential when
 * their number and elements match the species. Missing files and mismatches are
 * warnings on run. DP_ERR_NOMEM only. */
dp_status dp_vasp_input_settings(dp_run *run, const char *dir, dp_error *err);

/* The canonical settings (not run->params) from INCAR tags, as dp_vasp_input_settings
 * makes them: GGA, METAGGA, LASPH, LDAU as written; ENCUT, LDAUTYPE, LDAUL, LDAUU,
 * LDAUJ, ISPIN, ISMEAR, SIGMA and IVDW as numbers (%.6g each); PREC spelled out; IVDW
 * from LVDW when IVDW is not written. Keys not in inc are not set. DP_ERR_NOMEM only. */
dp_status dp_incar_settings(dp_run *run, const dp_incar *inc, dp_error *err);

/* POTCAR = run->species[].potential (trimmed) joined by " | " in species order: VASP
 * titles or QE pseudopotential file names. Not set when a species has none.
 * DP_ERR_NOMEM only. */
dp_status dp_potcar_setting(dp_run *run, dp_error *err);

/* CODE = code, and VERSION = major.minor of version (the first "N.M" digits: "vasp"
 * "5.4.4.18Apr17-6-g9f103f2a35" → 5.4, pw.x "6.7MaX" → 6.7; note that the setting is
 * then a number, "7.0" → 7); VERSION is not set when version has none. DP_ERR_NOMEM only. */
dp_status dp_code_setting(dp_run *run, const char *code, const char *version, dp_error *err);

#endif
