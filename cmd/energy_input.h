/* An energy for a command that subtracts energies of different runs (ads, fed): a number
 * typed by the user, or an output file of any supported code, with the run kept so that
 * its composition and settings can be checked before anything is subtracted. */
#ifndef DP_ENERGY_INPUT_H
#define DP_ENERGY_INPUT_H

#include "dftpost.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char source[1024];  /* the file, or the number as typed */
    double energy;      /* eV */
    const char *kind;   /* "e_sigma0" (from a file) or "given" (a number) */
    dp_run *run;        /* the run read from the file; NULL for a number */
} energy_input;

/* Which energy of a file: each code's usual one, or one chosen by the user. */
typedef enum {
    ENERGY_USUAL,  /* VASP: e_sigma0 (energy(sigma->0), E0 of OSZICAR); Quantum ESPRESSO:
                    * e_free (the "!    total energy", what papers and ASE quote) */
    ENERGY_SIGMA0, /* e_sigma0 (pw.x: the mean of F and F + TS, as `dftpost energy`) */
    ENERGY_FREE    /* e_free (VASP TOTEN, pw.x "!" energy) */
} energy_choice;

/* ARG is a number (eV) or a file. A file is read with dp_read (DOS skipped) and gives
 * the last complete ionic step's energy as chosen; the other one where the chosen one
 * is unknown (an OSZICAR has both; a killed run may lack one), with kind saying which.
 * A run that ended early or did not converge is used with a line in its warnings (the
 * caller prints them). Returns 0, or -1 with a one-line reason in msg. */
int energy_input_read_as(const char *arg, energy_choice choice, energy_input *e, char *msg,
                         size_t size);
/* energy_input_read_as(arg, ENERGY_USUAL, ...). */
int energy_input_read(const char *arg, energy_input *e, char *msg, size_t size);

/* "VASP", "QE", or another program's name ("" if unknown): the CODE setting, else from
 * the program that wrote the file. */
const char *energy_input_code(const dp_run *run);
void energy_input_free(energy_input *e);

/* Element counts of the run (symbols in the run's species order, duplicates merged);
 * returns how many elements (≤ max), 0 for a number, -1 if more than max. */
int energy_input_composition(const energy_input *e, char (*symbol)[4], int *count, int max);

/* Checks every pair of file inputs with dp_runs_differ, and that both were written by
 * the same code (energy_input_code; dp_runs_differ compares CODE only where both runs
 * state it). Each differing pair is passed to
 * report as "A vs B: KEY: x vs y; ..." (ud passed through). Returns how many pairs differ. */
int energy_inputs_check(const energy_input *const *inputs, int n,
                        void (*report)(const char *line, void *ud), void *ud);

#endif
