/* placeholder: being written */
#include "common.h"
#include <stdio.h>
int cmd_cases(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("dftpost cases: not built yet\n", stderr);
    return EXIT_USAGE;
}
