"""Reference values for `dftpost scaling`: ordinary least-squares lines between the
adsorption energies of the SAC_HOER single-atom sites (testdata/ads/sac_hoer_scaling.tsv,
made by scripts/make-sac-scaling-table with `dftpost ads`), fitted with
scipy.stats.linregress (numpy.polyfit when scipy is absent).

Definitions (as `dftpost scaling` prints them):
  slope, intercept      y = slope*x + intercept, least squares
  r2                    rvalue**2 of linregress (= 1 - SS_res/SS_tot)
  stderr_slope          linregress .stderr; stderr_intercept: .intercept_stderr
                        (both with s^2 = SS_res/(n-2))
  rmse                  sqrt(SS_res/n)
  max_residual          the residual y - (slope*x + intercept) of largest magnitude, signed,
  max_residual_label    and the site it belongs to
Rows with an empty x or y cell (sites dftpost refused) are left out, as dftpost does.

usage: /usr/bin/python3 scripts/reference/scaling_reference.py [TABLE] > tests/reference/scaling.tsv
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refcommon import write_tsv  # noqa: E402

try:
    from scipy import stats
    import scipy
    TOOL = f"scipy {scipy.__version__} stats.linregress (numpy {np.__version__})"
except ImportError:  # pragma: no cover
    stats = None
    TOOL = f"numpy {np.__version__} polyfit"

FITS = [("dE_O", "dE_OH"), ("dE_OH", "dE_OOH"), ("dE_OH", "dE_O"), ("dE_OH", "dE_H")]


def read_table(path):
    header, rows = None, []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
            else:
                rows.append(dict(zip(header, cells)))
    return rows


def fit(rows, xn, yn):
    pts = [(float(r[xn]), float(r[yn]), r["site"]) for r in rows if r[xn] and r[yn]]
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    n = len(pts)
    if stats is not None:
        res = stats.linregress(x, y)
        slope, intercept, r2 = res.slope, res.intercept, res.rvalue ** 2
        se_s, se_i = res.stderr, res.intercept_stderr
    else:
        slope, intercept = np.polyfit(x, y, 1)
        resid = y - (slope * x + intercept)
        s2 = float(resid @ resid) / (n - 2)
        sxx = float(((x - x.mean()) ** 2).sum())
        se_s = math.sqrt(s2 / sxx)
        se_i = math.sqrt(s2 * (1.0 / n + x.mean() ** 2 / sxx))
        r2 = 1 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    resid = y - (slope * x + intercept)
    k = int(np.argmax(np.abs(resid)))
    rmse = math.sqrt(float(resid @ resid) / n)
    return [xn, yn, str(n)] + [repr(float(v)) for v in
                               (slope, intercept, r2, se_s, se_i, rmse, resid[k])] + [pts[k][2]]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "testdata", "ads",
                                                              "sac_hoer_scaling.tsv")
    rows = read_table(path)
    write_tsv(__file__, TOOL,
              ["# table: testdata/ads/sac_hoer_scaling.tsv (dE in eV vs H2O/H2, from dftpost ads)"],
              ["x", "y", "n", "slope", "intercept", "r2", "stderr_slope", "stderr_intercept",
               "rmse", "max_residual", "max_residual_label"],
              [fit(rows, xn, yn) for xn, yn in FITS])


if __name__ == "__main__":
    main()
