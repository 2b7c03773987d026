#!/usr/bin/env python3
"""Reference agreement figures for tests/calibrate.rs, computed once with scikit-learn, scipy and
numpy (pip install scikit-learn scipy). Prints Rust rows: (a, b, k, qwk) and (x, y, pearson,
spearman, smd). Re-run and paste when the tables change."""
import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import cohen_kappa_score

BANDS = [
    ([0, 1, 1, 2, 3, 0, 2, 1], [0, 1, 2, 2, 3, 1, 2, 0], 4),
    ([0, 0, 1, 1, 2, 2, 3, 3], [3, 3, 2, 2, 1, 1, 0, 0], 4),
    ([0, 1, 2, 3, 0, 1, 2, 3, 1, 1], [0, 1, 2, 3, 0, 1, 2, 3, 1, 2], 4),
    ([0, 0, 0, 1, 1, 2], [0, 1, 1, 1, 2, 2], 4),  # band 3 unused: the full scale still counts
]
SCORES = [
    ([95.0, 80.5, 72.0, 60.0, 45.5, 88.0, 66.0], [90.0, 85.0, 70.0, 58.0, 50.0, 80.0, 70.0]),
    ([10.0, 20.0, 20.0, 30.0, 40.0, 50.0], [12.0, 18.0, 25.0, 25.0, 45.0, 41.0]),
    ([1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 6.0, 7.0, 8.0, 7.0]),
]

def smd(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return (x.mean() - y.mean()) / np.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)

for a, b, k in BANDS:
    q = cohen_kappa_score(a, b, weights="quadratic", labels=list(range(k)))
    print(f"(&{a}, &{b}, {k}, {q!r}),")
for x, y in SCORES:
    print(f"(&{x}, &{y}, {float(pearsonr(x, y)[0])!r}, {float(spearmanr(x, y)[0])!r}, {float(smd(x, y))!r}),")

# tests/calibrate.rs half_point_marks_bin_as_scikit_learn_does: the 11 L海关 answers, caifen's
# totals under gwy_guojia_2022_Xingzhengzhifa_q4 and a teacher's marks out of 20 rescaled to 100,
# both rounded to whole points with x.5 up (as caifen), on the full 0..100 scale.
CAIFEN = [97, 78.25, 72.25, 87.75, 99, 87.75, 97, 94.75, 97, 88.75, 87]
TEACHER = [m * 100 / 20 for m in [18, 12, 11.5, 15, 19.5, 17, 19, 18.5, 19, 16, 15]]
half_up = lambda xs: [int(np.floor(x + 0.5)) for x in xs]
print("L海关 QWK on scores:", cohen_kappa_score(half_up(TEACHER), half_up(CAIFEN),
      weights="quadratic", labels=list(range(101))))
print("L海关 pearson, spearman, smd:", pearsonr(CAIFEN, TEACHER)[0], spearmanr(CAIFEN, TEACHER)[0],
      smd(CAIFEN, TEACHER))
