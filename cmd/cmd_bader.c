/* placeholder: being written */
#include "common.h"
#include <stdio.h>
int cmd_bader(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("dftpost bader: not built yet\n", stderr);
    return EXIT_USAGE;
}
