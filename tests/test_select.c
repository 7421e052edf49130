/* Atom and orbital selections and pDOS sums on a run built in memory. */
#include "check.h"
#include "dftpost.h"

#include <stdlib.h>

static const char *LM[] = {"s", "py", "pz", "px", "dxy", "dyz", "dz2", "dxz", "x2-y2"};

/* Fe, Co, N, N; nedos 3; spin up = 1 per orbital, down = 2 per orbital. */
static dp_run *make_run(int norb, const char **names, int ncomp)
{
    dp_run *r = calloc(1, sizeof *r);
    snprintf(r->path, sizeof r->path, "mem.xml");
    r->natoms = 4;
    r->ntypes = 3;
    r->species = calloc(3, sizeof *r->species);
    snprintf(r->species[0].symbol, 4, "Fe");
    snprintf(r->species[1].symbol, 4, "Co");
    snprintf(r->species[2].symbol, 4, "N");
    r->species[0].count = r->species[1].count = 1;
    r->species[2].count = 2;
    r->atom_type = calloc(4, sizeof(int));
    int types[] = {0, 1, 2, 2};
    memcpy(r->atom_type, types, sizeof types);
    r->has_dos = r->has_pdos = true;
    r->dos.nedos = 3;
    r->dos.ncomp = ncomp;
    r->dos.norb = norb;
    for (int o = 0; o < norb; o++)
        snprintf(r->dos.orb_names[o], 8, "%s", names[o]);
    r->dos.pdos = calloc(4, sizeof(double *));
    for (int a = 0; a < 4; a++) {
        r->dos.pdos[a] = calloc((size_t)ncomp * norb * 3, sizeof(double));
        for (int c = 0; c < ncomp; c++)
            for (int o = 0; o < norb; o++)
                for (int e = 0; e < 3; e++)
                    r->dos.pdos[a][(c * norb + o) * 3 + e] = (c + 1) * (a + 1);
    }
    return r;
}

static int count(const bool *m, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += m[i];
    return k;
}

static void atoms(void)
{
    dp_run *r = make_run(9, LM, 2);
    bool m[4];
    dp_error err;
    memset(m, 0, sizeof m);
    CHECK(dp_select_atoms(r, "1,3-4", m, &err) == DP_OK);
    CHECK(m[0] && !m[1] && m[2] && m[3]);
    memset(m, 0, sizeof m);
    CHECK(dp_select_atoms(r, "fe,Co", m, &err) == DP_OK); /* case of symbols forgiven */
    CHECK(m[0] && m[1] && !m[2] && !m[3]);
    memset(m, 0, sizeof m);
    CHECK(dp_select_atoms(r, "N, 1", m, &err) == DP_OK);
    CHECK(count(m, 4) == 3);
    CHECK(dp_select_atoms(r, "5", m, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "out of range");
    CHECK(dp_select_atoms(r, "0", m, &err) == DP_ERR_USAGE);
    CHECK(dp_select_atoms(r, "3-1", m, &err) == DP_ERR_USAGE);
    CHECK(dp_select_atoms(r, "2-x", m, &err) == DP_ERR_USAGE);
    CHECK(dp_select_atoms(r, "Pt", m, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "Fe Co N");
    CHECK(dp_select_atoms(r, "", m, &err) == DP_ERR_USAGE);
    CHECK(dp_select_atoms(r, "99999999999999999999", m, &err) == DP_ERR_USAGE);
    CHECK(dp_element_is_transition_metal("Pt") && dp_element_is_transition_metal("La") &&
          !dp_element_is_transition_metal("Ce") && !dp_element_is_transition_metal("N"));
    dp_run_free(r);
}

static void orbitals(void)
{
    dp_run *r = make_run(9, LM, 2);
    bool m[DP_MAX_ORB];
    dp_error err;
    CHECK(dp_select_orbitals(r, "d", m, &err) == DP_OK);
    CHECK(count(m, DP_MAX_ORB) == 5 && m[8] && !m[3]);
    CHECK(dp_select_orbitals(r, "t2g", m, &err) == DP_OK);
    CHECK(count(m, DP_MAX_ORB) == 3 && m[4] && m[5] && m[7]);
    CHECK(dp_select_orbitals(r, "eg", m, &err) == DP_OK);
    CHECK(count(m, DP_MAX_ORB) == 2 && m[6] && m[8]);
    CHECK(dp_select_orbitals(r, "dx2-y2,s", m, &err) == DP_OK);
    CHECK(count(m, DP_MAX_ORB) == 2 && m[0] && m[8]);
    CHECK(dp_select_orbitals(r, "all", m, &err) == DP_OK && count(m, DP_MAX_ORB) == 9);
    CHECK(dp_select_orbitals(r, "f", m, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "no f orbitals");
    CHECK(dp_select_orbitals(r, "dq", m, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "mem.xml: unknown orbital");
    dp_run_free(r);

    static const char *spd[] = {"s", "p", "d"};
    r = make_run(3, spd, 1);
    CHECK(dp_select_orbitals(r, "d", m, &err) == DP_OK && m[2] && count(m, DP_MAX_ORB) == 1);
    CHECK(dp_select_orbitals(r, "dxy", m, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "LORBIT=11");
    dp_run_free(r);
}

static void sums(void)
{
    dp_run *r = make_run(9, LM, 2);
    bool a[4] = {true, true, false, false}, o[DP_MAX_ORB];
    double out[3];
    dp_error err;
    CHECK(dp_select_orbitals(r, "d", o, &err) == DP_OK);
    /* by construction: atom a, spin c holds (c+1)(a+1) per orbital; Fe+Co, 5 d orbitals:
     * up = 5(1+2) = 15, down = 5(2+4) = 30, total 45 */
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_UP, out, &err) == DP_OK);
    CHECK_NEAR(out[1], 15, 0);
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_DOWN, out, &err) == DP_OK);
    CHECK_NEAR(out[1], 30, 0);
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_TOTAL, out, &err) == DP_OK);
    CHECK_NEAR(out[2], 45, 0);
    free(r->dos.pdos[1]); /* an atom whose pDOS was not kept */
    r->dos.pdos[1] = NULL;
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_TOTAL, out, &err) == DP_ERR_INCOMPLETE);
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_MZ, out, &err) == DP_ERR_USAGE); /* collinear run */
    dp_run_free(r);

    r = make_run(9, LM, 4); /* noncollinear: total is the first component only */
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_TOTAL, out, &err) == DP_OK);
    CHECK_NEAR(out[0], 15, 0);
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_UP, out, &err) == DP_ERR_USAGE);
    CHECK_STR_CONTAINS(err.msg, "noncollinear");
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_MZ, out, &err) == DP_OK); /* component 4: 4·5(1+2) */
    CHECK_NEAR(out[0], 60, 0);
    CHECK(dp_pdos_sum(r, a, o, DP_SPIN_MX, out, &err) == DP_OK); /* component 2 */
    CHECK_NEAR(out[0], 30, 0);
    dp_run_free(r);
}

int main(void)
{
    atoms();
    orbitals();
    sums();
    return check_report();
}
