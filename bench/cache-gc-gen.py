#!/usr/bin/env python3
"""Writes a synthetic binary cache of N paths (default 10,000) into each directory given, for
bench/cache-gc.sh: valid narinfos (References form a DAG: path i refers to i//2 and i//3 within
its "job"), small NAR files, every file dated 10 days back, and ROOTS (the tops of half the jobs)
to OUT/roots. NarHash/FileHash are not the files' real hashes: gc does not read NARs.
usage: cache-gc-gen.py OUT N CACHE_DIR..."""
import hashlib, os, sys, time

out, n, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
ALPHA = "0123456789abcdfghijklmnpqrsvwxyz"
def nix32(raw):
    """Nix's base32 of raw bytes (as in libutil's printHash32)."""
    n = (len(raw) * 8 - 1) // 5 + 1
    out = []
    for i in range(n - 1, -1, -1):
        b = i * 5
        j, k = b // 8, b % 8
        c = raw[j] >> k
        if j + 1 < len(raw):
            c |= raw[j + 1] << (8 - k)
        out.append(ALPHA[c & 31])
    return "".join(out)
def b32(data, length):
    d = hashlib.sha256(data).digest()
    return nix32(d) if length == 52 else nix32(d[:20])
jobs, per = 100, n // 100
old = time.time() - 10 * 86400
paths = []
for j in range(jobs):
    for i in range(per):
        paths.append((j, i, "/nix/store/%s-p%d-%d" % (b32(b"p%d-%d" % (j, i), 32), j, i)))
index = {(j, i): p for j, i, p in paths}
roots = []
for d in dirs:
    os.makedirs(os.path.join(d, "nar"), exist_ok=True)
    with open(os.path.join(d, "nix-cache-info"), "w") as f:
        f.write("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n")
for j, i, p in paths:
    refs = sorted({index[(j, i // 2)], index[(j, i // 3)]} - {p}) if i > 0 else []
    nar = b"nar of %s\n" % p.encode() * 20
    fh = b32(nar, 52)
    text = ("StorePath: %s\nURL: nar/%s.nar\nCompression: none\nFileHash: sha256:%s\nFileSize: %d\n"
            "NarHash: sha256:%s\nNarSize: %d\nReferences: %s\n") % (
        p, fh, fh, len(nar), fh, len(nar), " ".join(r[11:] for r in refs))
    for d in dirs:
        ni = os.path.join(d, p[11:43] + ".narinfo")
        with open(ni, "w") as f:
            f.write(text)
        nf = os.path.join(d, "nar", fh + ".nar")
        with open(nf, "wb") as f:
            f.write(nar)
        os.utime(ni, (old, old)); os.utime(nf, (old, old))
    if i == per - 1 and j % 2 == 0:
        roots.append(p)
with open(os.path.join(out, "roots"), "w") as f:
    f.write("\n".join(roots) + "\n")
