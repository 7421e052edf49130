/* The shipped free-energy corrections and experimental reference rules of `dftpost fed`
 * (printed by `dftpost fed --defaults`). Every row says where its numbers come from; a
 * SPEC overrides any of them. All at 298.15 K; cp (∫Cp dT) is 0 where the source
 * neglects it, as the CHE papers do. */
#include "fed.h"

#include <string.h>

static const dp_fed_default DEFAULTS[] = {
    /* molecules */
    {"H2", "gas 1 bar", 0.27, 0.0, 0.41,
     "Norskov et al., J. Phys. Chem. B 108, 17886 (2004), Table 3"},
    {"H2O", "gas 0.035 bar (= liquid water at 298 K)", 0.56, 0.0, 0.67,
     "Norskov et al., J. Phys. Chem. B 108, 17886 (2004), Table 3"},
    {"O2", "gas 1 bar", 0.10, 0.0, 0.63,
     "only for an O2 given as a DFT energy (the CHE uses the O2 rule instead): ZPE from the "
     "fundamental 1556 cm-1; TS from S = 205.15 J/mol/K (NIST-JANAF)"},
    {"CO2", "gas 1 bar", 0.31, 0.0, 0.66,
     "ZPE = 1/2 sum h*nu of the experimental fundamentals (667, 667, 1333, 2349 cm-1); "
     "TS = T*S(298.15 K) = 213.79 J/mol/K (NIST-JANAF); as Peterson et al., Energy "
     "Environ. Sci. 3, 1311 (2010)"},
    {"CO", "gas 1 bar", 0.13, 0.0, 0.61,
     "ZPE from the fundamental 2143 cm-1; TS from S = 197.66 J/mol/K (NIST-JANAF); as "
     "Peterson et al. (2010)"},
    {"HCOOH", "gas 1 bar", 0.89, 0.0, 0.77,
     "ZPE from the 9 experimental fundamentals (NIST WebBook); TS from S = 248.7 J/mol/K "
     "(NIST WebBook)"},
    {"N2", "gas 1 bar", 0.14, 0.0, 0.59,
     "ZPE from the fundamental 2331 cm-1; TS from S = 191.61 J/mol/K (NIST-JANAF); as "
     "Skulason et al., Phys. Chem. Chem. Phys. 14, 1235 (2012)"},
    {"NH3", "gas 1 bar", 0.89, 0.0, 0.60,
     "ZPE from the fundamentals 3337, 950, 2x3444, 2x1627 cm-1; TS from S = 192.77 J/mol/K "
     "(NIST-JANAF); as Skulason et al. (2012)"},
    /* adsorbates (harmonic; entropy neglected) */
    {"*", "clean site", 0.0, 0.0, 0.0, "the reference of every adsorbate: no correction"},
    {"*H", "adsorbed", 0.17, 0.0, 0.0,
     "Norskov et al., J. Electrochem. Soc. 152, J23 (2005): dE_ZPE = 0.04 eV over 1/2 "
     "ZPE(H2), TS(*H) ~ 0, so that dG_H = dE_H + 0.24 eV with the H2 row"},
    {"*OH", "adsorbed", 0.35, 0.0, 0.0,
     "Norskov et al. (2004), Table 3; Rossmeisl et al., Chem. Phys. 319, 178 (2005)"},
    {"*O", "adsorbed", 0.05, 0.0, 0.0,
     "Norskov et al. (2004), Table 3; Rossmeisl et al., Chem. Phys. 319, 178 (2005)"},
    {"*OOH", "adsorbed", 0.41, 0.0, 0.0,
     "Rossmeisl et al., Chem. Phys. 319, 178 (2005); Man et al., ChemCatChem 3, 1159 "
     "(2011)"},
};

static const dp_fed_rule RULES[] = {
    {"O2", 2, {{"H2O", 2}, {"H2", -2}}, 4.92,
     "GGA describes O2 poorly: G(O2) = 2 G(H2O) - 2 G(H2) + 4.92 eV, the experimental free "
     "energy of 2 H2O(l) -> O2 + 2 H2 (Norskov et al. 2004)"},
    {"H2O2", 2, {{"H2O", 2}, {"H2", -1}}, 3.52,
     "G(H2O2) = 2 G(H2O) - G(H2) + 3.52 eV: H2O2 + 2(H+ + e-) -> 2 H2O at 1.76 V, i.e. "
     "O2/H2O2 at 0.70 V (Viswanathan et al., J. Phys. Chem. Lett. 3, 2948 (2012))"},
};

int dp_fed_default_count(void) { return (int)(sizeof DEFAULTS / sizeof DEFAULTS[0]); }

const dp_fed_default *dp_fed_default_at(int i)
{
    return i >= 0 && i < dp_fed_default_count() ? &DEFAULTS[i] : NULL;
}

const dp_fed_default *dp_fed_default_find(const char *species)
{
    for (int i = 0; i < dp_fed_default_count(); i++)
        if (!strcmp(DEFAULTS[i].species, species))
            return &DEFAULTS[i];
    return NULL;
}

int dp_fed_rule_count(void) { return (int)(sizeof RULES / sizeof RULES[0]); }

const dp_fed_rule *dp_fed_rule_at(int i)
{
    return i >= 0 && i < dp_fed_rule_count() ? &RULES[i] : NULL;
}

const dp_fed_rule *dp_fed_rule_find(const char *species)
{
    for (int i = 0; i < dp_fed_rule_count(); i++)
        if (!strcmp(RULES[i].species, species))
            return &RULES[i];
    return NULL;
}
