/* placeholder: being written */
#include "common.h"
#include <stdio.h>
int cmd_ads(int argc, char **argv)
{
    (void)argc; (void)argv;
    fputs("dftpost ads: not built yet\n", stderr);
    return EXIT_USAGE;
}
