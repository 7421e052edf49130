/* Options shared by pdos and dband: selections, spin, Fermi level override. */
#ifndef DP_DOS_ARGS_H
#define DP_DOS_ARGS_H

#include "common.h"

typedef struct {
    const char *atoms;     /* --atoms SPEC, NULL = default of the command */
    const char *elements;  /* --element LIST (dband) */
    const char *orbital;   /* --orbital SPEC */
    const char *spin;      /* total|up|down|both */
    bool has_efermi;
    double efermi;         /* --efermi E overrides the file's */
    /* filled by the keep_atom callback */
    bool *keep;
    bool keep_failed;
    bool keep_tm_only;     /* no selection: keep the transition metals */
} dos_args;

/* The keep_atom callback for dp_read_opts: resolves the selection once the
 * atom list is known, so only the selected atoms' pDOS is stored. */
bool dos_args_keep(const dp_run *run, int atom, void *ud);

/* Parses "LO:HI" with -inf/inf allowed (either side may be empty = open). */
int parse_erange(const char *s, double *lo, double *hi);

/* Parses --spin; returns number of spins (1 or 2) and fills spins[], or -1. */
int parse_spins(const char *s, dp_spin spins[2]);
const char *spin_name(dp_spin s);

/* Loads FILE keeping only the pDOS the selection needs and checks the Fermi
 * level; prints the error and returns NULL on failure. */
dp_run *dos_args_load(dos_args *a, const char *path, const char *cmd);

#endif
