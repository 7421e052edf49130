/*
 * dftpost — the library behind the dftpost command.
 *
 * One data model (dp_run) shared by every parser; analysis functions are pure
 * functions on it. Units everywhere: eV, Å, electrons. Energies in the model are
 * absolute, as the code wrote them; analyses take E − E_F where they say so.
 *
 * Ownership: a function that returns a pointer says who frees it. Errors are an
 * int code (dp_status) plus a dp_error whose message names the file and, where
 * known, the line; the library never prints.
 */
#ifndef DFTPOST_H
#define DFTPOST_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DP_VERSION "0.1.0"

typedef enum {
    DP_OK = 0,
    DP_ERR_IO = 1,         /* cannot open or read the file */
    DP_ERR_FORMAT = 2,     /* the file is not what it should be, or is corrupt */
    DP_ERR_INCOMPLETE = 3, /* the part asked for is missing (e.g. a killed run) */
    DP_ERR_NOMEM = 4,
    DP_ERR_USAGE = 5       /* a bad selection or option from the caller */
} dp_status;

typedef struct {
    dp_status code;
    char msg[768]; /* one line, no trailing newline: "FILE: line N: what went wrong" */
} dp_error;

/* Fills err and returns code; msg is built printf-style. */
dp_status dp_fail(dp_error *err, dp_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the common model -------------------------------------------------- */

#define DP_MAX_ORB 32 /* orbital columns of a projected DOS (VASP writes at most 16) */

typedef struct {
    char symbol[4];        /* element, e.g. "Fe" */
    int count;             /* atoms of this type */
    double zval;           /* valence electrons of the pseudopotential (NaN if unknown) */
    double mass;           /* amu (NaN if unknown) */
    char potential[80];    /* pseudopotential title, e.g. "PAW_PBE Fe 06Sep2000" */
} dp_species;

typedef struct {
    double lattice[3][3];  /* rows are the lattice vectors a, b, c in Å */
    double (*frac)[3];     /* [natoms] fractional coordinates; owned by the run */
    double (*forces)[3];   /* [natoms] eV/Å, or NULL when the file has none */
    unsigned char (*movable)[3]; /* [natoms] selective dynamics T/F per axis, or NULL */
} dp_frame;

/* Per-atom magnetic moments (μB) as VASP's OUTCAR prints them. */
typedef struct {
    int ncols;             /* orbital columns, e.g. s p d tot or s p d f tot */
    char cols[6][4];       /* their names; the last is always "tot" */
    int ncomp;             /* 1 collinear; 3 noncollinear (x, y, z) */
    double *atom;          /* [ncomp][natoms][ncols] */
    double *total;         /* [ncomp][ncols]: the "tot" row of each table */
} dp_magnetization;

/* Vibrational modes (the last block in the file). Frequencies are positive
 * numbers as printed; imaginary ones are flagged. */
typedef struct {
    int nmodes;
    bool *imaginary;       /* [nmodes] */
    double *thz, *cm1, *mev; /* [nmodes] */
    double *disp;          /* [nmodes][natoms][3] displacement (dx, dy, dz) as printed, or NULL */
} dp_modes;

typedef struct {
    double e_free;         /* free energy TOTEN (VASP e_fr_energy), eV */
    double e_noentropy;    /* energy without entropy (e_wo_entrp), eV */
    double e_sigma0;       /* energy(sigma->0), eV, after the e_0_energy fix (see vasprun.c) */
    double e_sigma0_raw;   /* e_0_energy exactly as written in the file */
} dp_energies;

typedef struct {
    int ispin;             /* 1 or 2 (0 = not stated) */
    int lorbit;            /* -1 = not stated */
    int nedos;
    int ismear;
    double sigma;
    bool lnoncollinear;
    bool lsorbit;
} dp_params;

/* Densities of states on one energy grid. Spin components ("comp"):
 * 1 for ISPIN=1, 2 (up, down) for ISPIN=2, 4 (total, mx, my, mz) noncollinear. */
typedef struct {
    int nedos;
    int ncomp;
    double *energy;        /* [nedos] absolute energies, eV */
    double *total;         /* [ncomp * nedos] states/eV */
    double *integrated;    /* [ncomp * nedos] electrons */
    int norb;              /* orbital columns of the projected DOS; 0 = no pDOS */
    char orb_names[DP_MAX_ORB][8]; /* as the file names them, trimmed ("dxy", "x2-y2", "d") */
    /* [natoms] pointers, each [ncomp][norb][nedos] or NULL when that atom was not
     * kept (see dp_read_opts.keep_atom) */
    double **pdos;
} dp_dos;

/* Atomic charges from a population analysis (projwfc.x Löwdin, LOBSTER Mulliken/Löwdin). */
typedef struct {
    char method[16];       /* "Lowdin" or "Mulliken" */
    double *total;         /* [natoms] electrons on the atom */
    double *orb;           /* [natoms][4] s, p, d, f electrons (NaN where not given) */
    double *up, *down;     /* [natoms] per spin, or NULL when not spin-polarised */
    double spilling;       /* spilling parameter (NaN if not given); for spin: the mean */
    int nnet;              /* net atomic charges as a file gives them (LOBSTER's
                            * CHARGE.lobster: Mulliken and Loewdin), 0-2 sets */
    char net_method[2][16];
    double *net[2];        /* [natoms] each */
} dp_charges;

/* One interaction of a LOBSTER ICOHPLIST/ICOOPLIST/ICOBILIST. */
typedef struct {
    char label[24];        /* LOBSTER's number of the interaction ("1", "23") */
    int ncenters;          /* 2, or more for a multi-centre ICOBI */
    int atom[8];           /* 0-based atoms (ncenters of them), from names like "Fe8" */
    char name[8][24];      /* as written: "Fe8", or "Al1_3s" in orbital-resolved lines */
    double length;         /* Å (NaN where not given) */
    int translation[3];    /* cell of the last atom; 0 0 0 when the format has none */
    double value[2];       /* the integral up to E_F per spin; value[1] NaN if not
                            * spin-polarised. LOBSTER's sign: ICOHP < 0 is bonding */
    int nbonds_avg;        /* old formats: "avg. over # bonds" (1 otherwise) */
    int parent;            /* -1 for a whole interaction; for an orbital-resolved line,
                            * the index (into bonds[]) of the interaction it belongs to */
    char orbitals[96];     /* "3s-2p_x" for orbital-resolved lines, "" otherwise */
} dp_bond;

typedef struct {
    char kind[8];          /* "ICOHP", "ICOOP" or "ICOBI" */
    int nspin;             /* 1 or 2 */
    int nbonds;            /* whole interactions and orbital-resolved lines */
    dp_bond *bonds;
} dp_bond_list;

/* LOBSTER COHPCAR/COOPCAR/COBICAR curves (energies already E - E_F). */
typedef struct {
    char kind[8];          /* "COHP", "COOP" or "COBI" */
    int npoints, nspin, ncurves;
    double efermi;         /* the Fermi level LOBSTER states (absolute, eV) */
    double *energy;        /* [npoints] E - E_F, eV */
    char (*label)[128];    /* [ncurves]: "Average", "No.1:Fe8->Fe7(2.83189)", or with orbitals */
    int (*atoms)[2];       /* [ncurves] 0-based atoms, -1 for the average */
    double *length;        /* [ncurves] Å, NaN for the average */
    double *value;         /* [ncurves][nspin][npoints], as the file writes them: COHP
                            * (negative = bonding), COOP and COBI (positive = bonding) */
    double *integrated;    /* [ncurves][nspin][npoints] */
} dp_cohp;

/* A volumetric grid: cube files, CHGCAR-type files. */
typedef struct {
    int n[3];              /* points along a, b, c */
    double lattice[3][3];  /* the whole cell (rows a, b, c), Å; point (i,j,k) sits at
                            * origin + i/n0·a + j/n1·b + k/n2·c */
    double origin[3];      /* Å */
    double *values;        /* [n0][n1][n2] (k fastest), electrons/Å³ for densities
                            * (a CHGCAR's ρ·V_cell is divided by V_cell on reading) */
    int nmag;              /* magnetisation blocks: 0; 1 (ISPIN=2: ρ↑ − ρ↓); 3
                            * (noncollinear m_x, m_y, m_z) */
    double *mag[3];        /* [nmag] grids like values, μB/Å³ (NULL when not read) */
    char quantity[32];     /* what the values are, e.g. "density" */
    char format[16];       /* the file it came from: "chgcar", "cube" */
} dp_grid;

/* One run setting that decides whether energies of two runs may be subtracted. */
typedef struct {
    char key[24];          /* canonical name: see dp_run_setting() */
    char value[160];       /* normalised: upper case, trimmed, numbers as %.6g */
} dp_setting;

/* Completeness: a killed run keeps what was complete before the break. */
typedef struct {
    int converged;         /* 1 converged, -1 not (e.g. "convergence NOT achieved"), 0 unknown */
    bool complete;         /* the file ended where it should (e.g. </modeling>) */
    char missing[256];     /* what is missing, "" when complete */
    long break_line;       /* line where the file broke, 0 if complete */
} dp_completeness;

typedef struct {
    char path[1024];       /* file as given by the user */
    char program[32];      /* "vasp", "pw.x", ... */
    char version[64];

    int natoms;
    int ntypes;
    dp_species *species;   /* [ntypes] */
    int *atom_type;        /* [natoms] index into species */

    dp_params params;

    int nsteps;            /* complete ionic steps (energies known) */
    dp_energies *energies; /* [nsteps] */
    int nframes;           /* structures kept (see dp_read_opts.all_frames) */
    dp_frame *frames;      /* [nframes]; frames[nframes-1] is the last complete one */
    int first_frame_step;  /* ionic-step index (0-based) of frames[0]; -1 = initial structure */

    bool has_efermi;
    double efermi;         /* eV */
    bool has_efermi_spin;  /* two Fermi levels (QE with fixed total magnetization) */
    double efermi_spin[2]; /* up, down, eV; efermi is then the higher of the two */
    bool has_homo;         /* HOMO (and LUMO) printed instead of a Fermi level */
    double homo, lumo;     /* eV; lumo NaN if not printed */
    bool has_mag_total;
    double mag_total, mag_abs; /* total and absolute magnetization, μB/cell */

    bool has_dos;          /* total DOS read completely */
    bool has_pdos;         /* projected DOS read (a cut DOSCAR keeps the atoms whose
                            * blocks were complete; the others' pdos are NULL) */
    dp_dos dos;

    bool has_mag;
    dp_magnetization mag;  /* last magnetization table(s) of the run */
    bool has_modes;
    dp_modes modes;
    bool has_charges;
    dp_charges charges;
    bool has_grid;
    dp_grid grid;
    bool has_bonds;
    dp_bond_list bonds;
    bool has_cohp;
    dp_cohp cohp;

    int nsettings;         /* settings that decide comparability (INCAR, pw.x input...) */
    dp_setting *settings;

    dp_completeness status;

    int nwarnings;
    char **warnings;       /* diagnostics for the user, one line each */
} dp_run;

/* What a parser should keep; zero-initialised = keep everything except old frames. */
typedef struct {
    bool skip_dos;         /* don't read DOS numbers (has_dos still tells if present) */
    bool all_frames;       /* keep every ionic step's structure, not only the last */
    /* Keep the projected DOS of this atom (0-based)? NULL = keep all. Called once the
     * atom list is known, so memory grows only with the atoms asked for. */
    bool (*keep_atom)(const dp_run *run, int atom, void *ud);
    void *keep_ud;
    /* Species for files that do not name them (VASP 4 POSCAR, a DOSCAR with no
     * structure beside it): symbols in order, each with an optional count, e.g.
     * "Fe Co N" or "Fe1 Co1 N6". NULL = take them from the file or its neighbours. */
    const char *species;
    /* Structure for a DOSCAR: a POSCAR, CONTCAR or vasprun.xml. NULL = look beside
     * the DOSCAR for CONTCAR, POSCAR, vasprun.xml, in that order. */
    const char *structure;
    /* Called now and then with bytes read so far and the file size (0 if unknown). */
    void (*progress)(long long done, long long total, void *ud);
    void *progress_ud;
    /* Grids: read only the total density, skip the magnetisation blocks (saves
     * memory when only charges are wanted). */
    bool grid_total_only;
} dp_read_opts;

/* Reads a vasprun.xml (plain or .gz) by streaming it.
 * On DP_OK, *out is a new run (free with dp_run_free); a truncated file is DP_OK
 * with run->status.complete false. On failure *out is NULL and err says why. */
dp_status dp_vasprun_read(const char *path, const dp_read_opts *opts, dp_run **out,
                          dp_error *err);

/* POSCAR/CONTCAR (VASP 4 and 5/6): one frame; species from the file, or from
 * opts->species, or from a POTCAR beside it. Same contract as dp_vasprun_read. */
dp_status dp_poscar_read(const char *path, const dp_read_opts *opts, dp_run **out,
                         dp_error *err);

/* OUTCAR (VASP 5.4–6.x, plain or .gz), streamed line by line: every ionic step's
 * lattice, positions and forces, energies, E-fermi, ZVAL, the last magnetization
 * tables, the last block of vibrational modes. A stopped run is DP_OK with
 * status.complete false. Same contract as dp_vasprun_read. */
dp_status dp_outcar_read(const char *path, const dp_read_opts *opts, dp_run **out,
                         dp_error *err);

/* DOSCAR: total and projected DOS; atoms and structure from opts->structure or a
 * CONTCAR/POSCAR/vasprun.xml beside it, or species from opts->species. */
dp_status dp_doscar_read(const char *path, const dp_read_opts *opts, dp_run **out,
                         dp_error *err);

/* Quantum ESPRESSO pw.x standard output (6.x, 7.x; plain or .gz): every ionic
 * step's energies (Ry → eV: e_free = "!    total energy", e_noentropy = the
 * internal energy F + TS where printed, e_sigma0 their mean), cell and positions,
 * Fermi level(s) or HOMO/LUMO, magnetization, convergence. */
dp_status dp_pwout_read(const char *path, const dp_read_opts *opts, dp_run **out,
                        dp_error *err);

/* QE data-file-schema.xml (Hartree → eV): structure, energies, Fermi level,
 * magnetization, lsda/noncolin. */
dp_status dp_qexml_read(const char *path, const dp_read_opts *opts, dp_run **out,
                        dp_error *err);

/* projwfc.x: path is its standard output or the directory holding the
 * FILPDOS.pdos_atm#N(El)_wfc#M(l) files. Projected DOS mapped onto VASP's lm
 * column names (several wavefunctions of one l on an atom are summed), Löwdin
 * charges from the standard output; atoms and structure from the pw.x output or
 * XML beside it (or opts->structure). */
dp_status dp_projwfc_read(const char *path, const dp_read_opts *opts, dp_run **out,
                          dp_error *err);

/* Gaussian cube file (pp.x output_format=6): atoms, cell and grid (Bohr → Å,
 * e/bohr³ → e/Å³) into run->grid. */
dp_status dp_cube_read(const char *path, const dp_read_opts *opts, dp_run **out,
                       dp_error *err);

/* CHGCAR-type files (CHGCAR, CHG, AECCAR0/1/2, PARCHG, LOCPOT, ELFCAR; VASP 4, 5 and 6
 * headers; plain or .gz): structure into the run's one frame, the first block into
 * run->grid.values (charge-like files divided by the cell volume to e/Å³; LOCPOT/ELFCAR
 * values as written), the augmentation occupancies skipped, the magnetisation block(s)
 * of ISPIN=2 (1) and noncollinear (3) runs into run->grid.mag unless
 * opts->grid_total_only. Grid sizes are checked against overflow before allocating;
 * a file whose numbers end early is an error naming the file and the grid point. */
dp_status dp_chgcar_read(const char *path, const dp_read_opts *opts, dp_run **out,
                         dp_error *err);

/* Writers for a grid and the run's structure (last frame): a VASP 5 CHGCAR-type file
 * (values × V_cell, as VASP writes them; magnetisation blocks when grid->nmag > 0) and a
 * Gaussian cube (Bohr, e/bohr³). Non-zero grid->origin is kept in the cube and refused
 * (DP_ERR_USAGE) by the CHGCAR writer, which has no origin. */
dp_status dp_grid_write_chgcar(const dp_run *run, const dp_grid *grid, const char *path,
                               dp_error *err);
dp_status dp_grid_write_cube(const dp_run *run, const dp_grid *grid, const char *path,
                             dp_error *err);

/* LOBSTER ICOHPLIST/ICOOPLIST/ICOBILIST.lobster (every format from 2.x to 5.1.x,
 * orbital-resolved lines, multi-centre ICOBI) into run->bonds; atoms named in the
 * file (no structure). */
dp_status dp_lobster_list_read(const char *path, const dp_read_opts *opts, dp_run **out,
                               dp_error *err);

/* LOBSTER COHPCAR/COOPCAR/COBICAR.lobster into run->cohp. */
dp_status dp_lobster_cohpcar_read(const char *path, const dp_read_opts *opts, dp_run **out,
                                  dp_error *err);

/* LOBSTER CHARGE.lobster (Mulliken and Loewdin net charges) into run->charges, and
 * lobsterout (version, spilling, warnings) into the run's provenance and warnings. */
dp_status dp_lobster_charge_read(const char *path, const dp_read_opts *opts, dp_run **out,
                                 dp_error *err);
dp_status dp_lobsterout_read(const char *path, const dp_read_opts *opts, dp_run **out,
                             dp_error *err);

/* VASP OSZICAR: every ionic step's F (e_free) and E0 (e_sigma0; e_noentropy is NaN:
 * OSZICAR does not print it) and mag; the structure from the CONTCAR/POSCAR beside it
 * and the settings from the INCAR (and POTCAR_info/POTCAR titles) beside it. */
dp_status dp_oszicar_read(const char *path, const dp_read_opts *opts, dp_run **out,
                          dp_error *err);

/* Reads any supported file, chosen by content. Same contract as above. */
dp_status dp_read(const char *path, const dp_read_opts *opts, dp_run **out, dp_error *err);

void dp_run_free(dp_run *run);

/* Formula in species order, counts of 1 omitted ("LiFe4P4O16"); written into buf. */
void dp_run_formula(const dp_run *run, char *buf, size_t size);

/* Parses opts->species ("Fe Co N6"): fills symbols[max][4] and counts (0 where not
 * given); returns how many, or -1 on a bad spec (err filled). */
int dp_species_parse(const char *spec, char (*symbols)[4], int *counts, int max, dp_error *err);

/* Allocates run->species/atom_type for ntypes types of the given symbols and
 * counts (all > 0). Returns DP_OK or DP_ERR_NOMEM. */
dp_status dp_run_set_species(dp_run *run, int ntypes, char (*symbols)[4], const int *counts,
                             dp_error *err);

/* Settings. Canonical keys: CODE ("VASP", "QE"), VERSION (major.minor as written:
 * "5.4", QE "7.0"; not normalised as a number, 6.10 is not 6.1), GGA, METAGGA,
 * XC (QE functional, short name: "PBE", "PZ"), LHFCALC and HFSCREEN (VASP hybrids),
 * ENCUT (eV; QE ecutwfc converted), PREC, LASPH, LDAU, LDAUTYPE, LDAUL, LDAUU, LDAUJ
 * (space-separated per species), IVDW (VASP: LVDW=T alone means 1; QE: 0, DFT-D2,
 * DFT-D3, XDM, TS, MBD), ISPIN (QE also NONCOLLINEAR, NONCOLLINEAR+SOC), ISMEAR
 * (VASP), SMEARING (QE: GAUSSIAN, METHFESSEL-PAXTON, MARZARI-VANDERBILT, FERMI-DIRAC,
 * FIXED, TETRAHEDRA), SIGMA (eV; QE degauss converted), POTCAR (titles joined by
 * " | ", in species order; QE: UPF file names). VASP readers set the INCAR tags the
 * user wrote (OSZICAR: the INCAR beside it; vasprun.xml: <incar>; OUTCAR: VASP 6's
 * INCAR echo, else the parameter listing, defaults included). dp_run_setting returns
 * the value or NULL. */
const char *dp_run_setting(const dp_run *run, const char *key);
/* Sets (or replaces) a setting; value is normalised. DP_ERR_NOMEM on failure. */
dp_status dp_run_set_setting(dp_run *run, const char *key, const char *value);

/* Adds a warning line to run (printf-style); used by parsers. */
void dp_run_warn(dp_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- selections ---------------------------------------------------------- */

/* Parses an atom SPEC: 1-based indices and ranges and element symbols,
 * e.g. "1,3,5-8,Fe". mask must have run->natoms entries; it is set, not cleared
 * first. DP_ERR_USAGE on an index out of range or an element not in the run. */
dp_status dp_select_atoms(const dp_run *run, const char *spec, bool *mask, dp_error *err);

bool dp_element_is_transition_metal(const char *symbol);
bool dp_element_is_metal(const char *symbol);
/* Covalent radius (Å, Cordero et al. 2008, as ASE's table), or -1 if unknown. */
double dp_covalent_radius(const char *symbol);

/* Parses an orbital SPEC ("d", "s,p", "dxy,dz2", "t2g", "eg", "all") against the
 * pDOS columns of run; mask has DP_MAX_ORB entries and is cleared first.
 * DP_ERR_USAGE for an unknown name or an lm name on a LORBIT=10 file. */
dp_status dp_select_orbitals(const dp_run *run, const char *spec, bool *mask, dp_error *err);

typedef enum {
    DP_SPIN_TOTAL, /* up + down, or the charge part of a noncollinear run */
    DP_SPIN_UP,
    DP_SPIN_DOWN,
    DP_SPIN_MX,    /* magnetisation components of a noncollinear run */
    DP_SPIN_MY,
    DP_SPIN_MZ
} dp_spin;

/* Sums the projected DOS over the atoms and orbitals selected, for one spin choice,
 * into out[nedos]. For ISPIN=2, total = up + down; for noncollinear runs, total is
 * the first (charge) component, mx/my/mz the others, and up/down are an error
 * (as mx/my/mz are for collinear runs). Fails with
 * DP_ERR_INCOMPLETE if a selected atom's pDOS was not kept or is missing. */
dp_status dp_pdos_sum(const dp_run *run, const bool *atoms, const bool *orbs, dp_spin spin,
                      double *out, dp_error *err);

/* ---- band statistics ----------------------------------------------------- */

typedef struct {
    double center;      /* first moment, eV (E − E_F) */
    double width;       /* sqrt of the second central moment, eV */
    double skewness;    /* third standardised moment */
    double kurtosis;    /* fourth standardised moment (not excess) */
    double filling;     /* ∫_{E<0} / ∫ over the window */
    double upper_edge;  /* E − E_F of the maximum of the Hilbert transform in the window */
    double states;      /* ∫ over the window, states */
    double emin, emax;  /* first and last grid energies inside the window */
    int npoints;        /* grid points inside the window */
} dp_band_stats;

/* Statistics of a DOS curve dos[n] on energies e[n] (E − E_F, ascending), over the
 * window lo ≤ E ≤ hi (use ±INFINITY for open ends). Moments use the trapezoid rule
 * on the grid points inside the window, as pymatgen's CompleteDos does; the
 * Hilbert transform is taken over the whole grid (FFT, as scipy.signal.hilbert)
 * and its maximum searched inside the window. Undefined values are NaN. */
dp_status dp_band_stats_compute(const double *e, const double *dos, int n, double lo,
                                double hi, dp_band_stats *out, dp_error *err);

/* Imaginary part of the analytic signal of x[n] (what scipy.signal.hilbert
 * returns as .imag), into out[n]. Uses FFTW. */
dp_status dp_hilbert_imag(const double *x, int n, double *out, dp_error *err);

/* ---- geometry ------------------------------------------------------------ */

/* Cartesian positions (Å) of a frame into cart[natoms]. */
void dp_frame_cartesian(const dp_frame *f, int natoms, double (*cart)[3]);

/* Determinant of a lattice (rows a, b, c): the signed cell volume a · (b × c), Å³. */
double dp_lattice_det(const double lattice[3][3]);

/* Inverse of a lattice (rows a, b, c) for row vectors: cart = frac · lattice, so
 * frac = cart · inv (see dp_cartesian_to_fractional). Returns false, inv untouched,
 * when the determinant is 0 or not finite. A caller that wants a well-conditioned
 * cell checks dp_lattice_det against its own tolerance first. */
bool dp_lattice_inverse(const double lattice[3][3], double inv[3][3]);

/* Fractional coordinates of a Cartesian position (Å): frac = cart · inv, with inv
 * from dp_lattice_inverse. cart and frac may be the same array. */
void dp_cartesian_to_fractional(const double inv[3][3], const double cart[3], double frac[3]);

/* Minimum-image distance (Å) between fractional positions a and b in a lattice:
 * the difference is wrapped into [-0.5, 0.5) and the 27 neighbouring images are
 * searched, which is exact for cells that are not extremely skewed. */
double dp_mic_distance(const double lattice[3][3], const double a[3], const double b[3]);

typedef struct {
    int i, j;        /* 0-based atoms, i < j */
    double distance; /* minimum image, Å */
} dp_pair;

/* All pairs closer than cutoff (Å), minimum image, ordered by i then j.
 * *pairs is malloc'd (caller frees); DP_ERR_NOMEM on failure. */
dp_status dp_neighbours(const dp_frame *f, int natoms, double cutoff, dp_pair **pairs,
                        int *npairs, dp_error *err);

/* Bonded by the covalent-radius rule: d < tolerance · (r_i + r_j). */
bool dp_bonded(const dp_run *run, int i, int j, double distance, double tolerance);

/* An adsorbed X–X unit (O–O, N–N) and how it binds. */
typedef struct {
    int i, j;              /* 0-based atoms of the pair */
    char element[4];       /* X */
    double length;         /* X–X, Å */
    const char *mode;      /* "end-on", "side-on", "bridge" or "free" */
    int nmetals;
    int metal[8];          /* bound metal atoms (0-based), up to 8 */
    int partner[8];        /* the X atom each is bound to (i or j); both → listed twice */
    double metal_distance[8];
} dp_adsorbate;

/* Finds X–X pairs closer than max_length among the elements named in which
 * ("O", "N", or "O,N"), and how metals bind them (dp_bonded with tolerance).
 * *out is malloc'd. */
dp_status dp_find_adsorbates(const dp_run *run, const dp_frame *f, const char *which,
                             double max_length, double tolerance, dp_adsorbate **out, int *n,
                             dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
