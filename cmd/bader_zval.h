/* ZVAL lookup for `dftpost bader`. */
#ifndef DP_BADER_ZVAL_H
#define DP_BADER_ZVAL_H

#include "dftpost.h"

#include <stddef.h>

/* Fills zv[ntypes] (NaN where unknown) from, in this order: spec ("Fe=8,O=6"), the run's own
 * species zval (a cube's charge column when it is not the atomic number), a vasprun.xml or
 * OUTCAR beside path, a POTCAR beside path. source gets the places used. Returns 0, -1 on a
 * malformed spec, -2 when spec names an element not in the run. */
int bader_zval(const dp_run *run, const char *path, const char *spec, double *zv, char *source,
               size_t size);

#endif
