/* placeholder: being written */
#include "common.h"
#include <stdio.h>
int cmd_fed(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("dftpost fed: not built yet\n", stderr);
    return EXIT_USAGE;
}
