/* Shared by the Quantum ESPRESSO readers: see qe_common.h. */
#include "qe_common.h"

#include "dftpost.h"

#include <ctype.h>
#include <math.h>

static bool valid_element(const char *sym) { return dp_covalent_radius(sym) > 0; }

bool dp_qe_element(const char *t, char sym[4])
{
    if (!isalpha((unsigned char)t[0]))
        return false;
    sym[0] = (char)toupper((unsigned char)t[0]);
    sym[1] = sym[2] = sym[3] = '\0';
    if (isalpha((unsigned char)t[1])) {
        sym[1] = (char)tolower((unsigned char)t[1]);
        if (valid_element(sym))
            return true;
        sym[1] = '\0';
    }
    return valid_element(sym);
}

bool dp_qe_cell_inverse(const double lattice[3][3], double inv[3][3])
{
    return fabs(dp_lattice_det(lattice)) > 1e-12 && dp_lattice_inverse(lattice, inv);
}
