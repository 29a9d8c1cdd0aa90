#!/usr/bin/python3
"""Solve an allocation instance with scipy, for comparison with the Go solver.

Reads an instance file written by services/matching/bench (WriteInstance: header "CHBI",
version, students, rooms, edges; then int32 student, room, weight per edge), builds the
students × (rooms + students) biadjacency matrix with one "unmatched" column per student,
and solves it with scipy.sparse.csgraph.min_weight_full_bipartite_matching (LAPJVsp), which
wants a full matching of the rows and reads a zero entry as a missing edge. So:

    real edge (i, j):        cost BIG - w   (BIG = max weight + 1, so every cost is >= 1)
    dummy (i, rooms + i):    cost BIG       (unmatched: zero gain relative to BIG)

minimum cost = students * BIG - maximum total weight. Only the solver call is timed (the
matrix is built before). Prints one JSON object: seconds (each run), objective, matched.

Usage: bench-allocation.py INSTANCE [--repeat N]
"""
import argparse
import json
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def load(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        if hdr[:4] != b"CHBI":
            sys.exit(f"{path}: not an instance file")
        version, n, m = np.frombuffer(hdr[4:16], dtype="<u4")
        (e,) = np.frombuffer(hdr[16:24], dtype="<u8")
        if version != 1:
            sys.exit(f"{path}: version {version}")
        rec = np.fromfile(f, dtype=[("s", "<i4"), ("r", "<i4"), ("w", "<i4")], count=int(e))
    return int(n), int(m), rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()

    n, m, rec = load(args.instance)
    s = rec["s"].astype(np.int64)
    r = rec["r"].astype(np.int64)
    w = rec["w"].astype(np.int64)
    # Duplicate pairs: keep the largest weight (csr_matrix would add them up).
    key = s * m + r
    order = np.lexsort((-w, key))
    key, s, r, w = key[order], s[order], r[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    s, r, w = s[first], r[first], w[first]

    big = int(w.max()) + 1 if len(w) else 1
    rows = np.concatenate([s, np.arange(n)])
    cols = np.concatenate([r, m + np.arange(n)])
    data = np.concatenate([big - w, np.full(n, big)]).astype(np.float64)
    assert data.min() >= 1, "a zero cost would be a missing edge"
    mat = csr_matrix((data, (rows, cols)), shape=(n, m + n))
    mat.sort_indices()

    seconds = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        row_ind, col_ind = min_weight_full_bipartite_matching(mat)
        seconds.append(time.perf_counter() - t0)

    # Objective: the total weight of the real pairs.
    real = col_ind < m
    wt = big - np.asarray(mat[row_ind[real], col_ind[real]]).ravel()
    objective = int(wt.astype(np.int64).sum())
    cost = int(np.asarray(mat[row_ind, col_ind]).ravel().astype(np.int64).sum())
    assert cost == n * big - objective
    print(json.dumps({
        "solver": "scipy.sparse.csgraph.min_weight_full_bipartite_matching",
        "scipy": __import__("scipy").__version__,
        "students": n, "rooms": m, "edges": int(len(s)),
        "seconds": seconds, "objective": objective, "matched": int(real.sum()),
    }))


if __name__ == "__main__":
    main()
