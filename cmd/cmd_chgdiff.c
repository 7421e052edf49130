/* placeholder: being written */
#include "common.h"
#include <stdio.h>
int cmd_chgdiff(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("dftpost chgdiff: not built yet\n", stderr);
    return EXIT_USAGE;
}
