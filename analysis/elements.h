/* The periodic table by symbol and atomic number (analysis/elements.c), for the
 * parsers and analysis inside libdftpost. Internal for now; the two declarations
 * could move to include/dftpost.h. */
#ifndef DP_ELEMENTS_H
#define DP_ELEMENTS_H

#define DP_MAX_Z 118 /* Og */

/* Atomic number of an element symbol as written ("Fe", case matters), 0 if unknown. */
int dp_atomic_number(const char *symbol);

/* Symbol of atomic number z (1..DP_MAX_Z), NULL out of range. Static storage. */
const char *dp_element_symbol(int z);

#endif
