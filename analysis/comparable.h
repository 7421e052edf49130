/*
 * dftpost — may the energies of two runs be subtracted? (issue "Energies from any run,
 * and whether they may be combined"). A small public header beside dftpost.h for the
 * commands that subtract energies (ads, fed) and for scripts.
 */
#ifndef DFTPOST_COMPARABLE_H
#define DFTPOST_COMPARABLE_H

#include "dftpost.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compares the canonical settings (dftpost.h, dp_run_setting) of runs a and b and
 * returns how many differ; 0 means the energies may be combined as far as the
 * settings known to both runs tell.
 *
 * Compared keys: CODE, VERSION, GGA, METAGGA, XC, LHFCALC, ENCUT, PREC, LASPH, LDAU,
 * IVDW, ISPIN, ISMEAR, SMEARING (QE's smearing kind, which ISMEAR cannot say), SIGMA,
 * POTCAR; LDAUTYPE, LDAUL, LDAUU, LDAUJ only when both runs have LDAU = T (with LDAU
 * off they do nothing; per-species lists are compared as written, which is exact for
 * runs with the same species order); HFSCREEN only when both have LHFCALC = T.
 *
 * A key set in both runs differs when the normalised values differ. A key set in only
 * one run differs only when both runs are VASP (CODE = VASP) and the key has a fixed
 * VASP default that the other run then used: LDAU F, LASPH F, IVDW 0, METAGGA NONE
 * (these four as the issue asks), and also LHFCALC F, PREC NORMAL, ISPIN 1, ISMEAR 1,
 * SIGMA 0.2 (VASP 5 and 6 defaults). Every other key set in only one run (GGA, whose
 * default comes from the POTCAR; ENCUT, from ENMAX; VERSION; ...) is unknown there,
 * not counted.
 *
 * Every reader of energies sets CODE (VASP: OSZICAR with INCAR, vasprun.xml, OUTCAR;
 * QE: pw.x output, XML), so runs of two codes differ on CODE. QE runs also state
 * LDAU F and IVDW 0 when their header shows neither, so QE runs compare on them too.
 *
 * POTCAR (titles joined by " | ") is compared per element: for each element whose
 * title appears in both runs the titles must be equal; elements in one run only (the
 * adsorbate of an adsorption energy) do not count. Each element with different titles
 * counts as one difference. The element of a VASP title (it has blanks) is its second
 * word ("PAW_PBE Fe_pv 02Aug2007" → Fe); that of a QE file name (no blank) the text
 * before its first '.', '_' or '-' ("Fe.pbe-spn-kjpaw_psl.0.2.1.UPF" → Fe).
 *
 * what (if not NULL and size > 0) gets the first differences, "; "-separated, as
 * "LDAU: T vs (not set)" (a then b; "(not set)" for a default taken), cut to size;
 * "" when there is none.
 */
int dp_runs_differ(const dp_run *a, const dp_run *b, char *what, size_t size);

#ifdef __cplusplus
}
#endif
#endif
