/* Stub: being written. */
#include "dftpost.h"

dp_status dp_oszicar_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err)
{
    (void)opts;
    *out = NULL;
    return dp_fail(err, DP_ERR_FORMAT, "%s: not supported yet", path);
}
