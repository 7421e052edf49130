/* Shared pieces of the subcommands: loading a file, output options, exit codes. */
#ifndef DP_COMMON_H
#define DP_COMMON_H

#include "dftpost.h"

#include <stdbool.h>
#include "table.h"

enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

typedef struct {
    table_format format;
    const char *output; /* NULL = stdout */
} output_opts;

/* Handles --format/-o; returns 1 if the option was one of them, 0 if not,
 * -1 on a bad value (already reported). */
int output_option(output_opts *o, int opt, const char *arg);

/* Writes t to the chosen output. Returns an exit code. */
int output_table(const output_opts *o, const table *t);

/* Reads FILE with progress on a terminal, prints warnings to stderr; on failure
 * prints the one-line error and returns NULL. */
dp_run *load_run(const char *path, dp_read_opts *opts);

/* A whole option value as one finite number (no trailing text); false otherwise. */
bool option_number(const char *s, double *v);

/* "dftpost CMD: " + message to stderr. */
void complain(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Common flag text for --help. */
#define OUTPUT_HELP                                                                     \
    "  -f, --format tsv|csv|json  output format (default tsv; TSV starts with '# '\n"     \
    "                             metadata lines, CSV and JSON carry only the rows)\n"   \
    "  -o, --output FILE          write to FILE instead of standard output\n"            \
    "  -h, --help                 this help\n"

#define OUTPUT_LONGOPTS                                                                 \
    {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},       \
        {"help", no_argument, 0, 'h'}

int cmd_info(int argc, char **argv);
int cmd_energy(int argc, char **argv);
int cmd_pdos(int argc, char **argv);
int cmd_dband(int argc, char **argv);
int cmd_geom(int argc, char **argv);
int cmd_mag(int argc, char **argv);
int cmd_modes(int argc, char **argv);
int cmd_charges(int argc, char **argv);
int cmd_cohp(int argc, char **argv);
int cmd_icohp(int argc, char **argv);
int cmd_thermo(int argc, char **argv);
int cmd_volcano(int argc, char **argv);
int cmd_ads(int argc, char **argv);
int cmd_fed(int argc, char **argv);
int cmd_scaling(int argc, char **argv);
int cmd_cases(int argc, char **argv);
int cmd_bader(int argc, char **argv);
int cmd_chgdiff(int argc, char **argv);

#endif
