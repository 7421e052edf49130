/* Options shared by pdos and dband: selections, spin, Fermi level override. */
#ifndef DP_DOS_ARGS_H
#define DP_DOS_ARGS_H

#include "common.h"

typedef struct {
    const char *cmd;       /* "pdos" or "dband", for messages */
    output_opts out;
    const char *atoms;     /* --atoms SPEC, NULL = default of the command */
    const char *elements;  /* --element LIST (dband) */
    const char *orbital;   /* --orbital SPEC */
    const char *spin;      /* total|up|down|both|mx|my|mz */
    dp_spin spins[2];
    int nspin;
    const char *erange;    /* --erange as given, NULL = whole grid */
    double lo, hi;         /* the window in E - E_F */
    bool has_efermi;
    double efermi;         /* --efermi E overrides the file's */
    const char *species;   /* --species, for a DOSCAR with no structure beside it */
    const char *structure; /* --structure POSCAR|CONTCAR|vasprun.xml for a DOSCAR */
    /* filled by the keep_atom callback */
    bool *keep;
    bool keep_failed;
    bool keep_tm_only;     /* no selection: keep the transition metals */
} dos_args;

/* The keep_atom callback for dp_read_opts: resolves the selection once the
 * atom list is known, so only the selected atoms' pDOS is stored. */
bool dos_args_keep(const dp_run *run, int atom, void *ud);

/* Long options both commands take, with their short letters a l s e and OPT_EFERMI. */
enum { OPT_EFERMI = 300, OPT_SPECIES, OPT_STRUCTURE };
#define DOS_LONGOPTS                                                                       \
    {"atoms", required_argument, 0, 'a'}, {"orbital", required_argument, 0, 'l'},          \
        {"spin", required_argument, 0, 's'}, {"erange", required_argument, 0, 'e'},        \
        {"efermi", required_argument, 0, OPT_EFERMI},                                      \
        {"species", required_argument, 0, OPT_SPECIES},                                    \
        {"structure", required_argument, 0, OPT_STRUCTURE}

/* --help lines for the DOSCAR companions */
#define DOSCAR_HELP                                                                        \
    "      --structure FILE   for a DOSCAR: the POSCAR, CONTCAR or vasprun.xml of the run\n" \
    "                         (default: the first of CONTCAR, POSCAR, vasprun.xml beside\n" \
    "                         it)\n"                                                       \
    "      --species LIST     for a DOSCAR with no structure: symbols with counts in\n"     \
    "                         file order, e.g. \"Fe1 Co1 N6\"\n"

/* Handles an option of DOS_LONGOPTS or of the output ones: 1 handled, 0 not one
 * of them, -1 a bad value (reported). */
int dos_args_option(dos_args *a, int opt, const char *arg);

/* After the options: checks --spin and that exactly one FILE is left. Returns it,
 * or NULL after reporting (exit with EXIT_USAGE). */
const char *dos_args_file(dos_args *a, int argc, char **argv, const char *help);

const char *spin_name(dp_spin s);

/* Loads FILE keeping only the pDOS the selection needs and checks the Fermi
 * level; prints the error and returns NULL on failure. */
dp_run *dos_args_load(dos_args *a, const char *path, const char *cmd);

#endif
