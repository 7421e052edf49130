/* placeholder: being written */
#include "common.h"
#include <stdio.h>
int cmd_scaling(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("dftpost scaling: not built yet\n", stderr);
    return EXIT_USAGE;
}
