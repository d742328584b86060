#!/usr/bin/env python3
"""Writes the Nix expression of the binary-cache benchmark closures (bench/cache-push.sh).

big:   N paths (default 500) whose sizes follow a Zipf law summing to ~TOTAL MB (default 260),
       filled with real files of this machine (JDK, shared libraries, /usr/share: binary and
       text, compressible like a real closure), each path referring to two earlier ones.
small: M paths (default 1000) of ~1.5 KB text; path i refers to paths i/2 and i/3 (a DAG of
       depth ~10, like a real closure; a pure chain would serialise the narinfo writes).
"""
import os, random, sys

out_dir = sys.argv[1]
n_big = int(os.environ.get("BIG_PATHS", "500"))
total = int(os.environ.get("BIG_MB", "260")) * 1024 * 1024
n_small = int(os.environ.get("SMALL_PATHS", "1000"))

files = []
for root in ["/usr/lib/jvm", "/usr/lib/x86_64-linux-gnu", "/usr/share"]:
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            if any(c in p for c in "'\"$\\`\n ") or os.path.islink(p) or not os.path.isfile(p):
                continue
            try:
                s = os.path.getsize(p)
            except OSError:
                continue
            if s > 0 and os.access(p, os.R_OK):
                files.append((p, s))
files.sort()
random.Random(42).shuffle(files)

weights = [1.0 / (i + 1) for i in range(n_big)]
scale = total / sum(weights)
targets = [max(4096, int(w * scale)) for w in weights]
scripts = os.path.join(out_dir, "scripts")
os.makedirs(scripts, exist_ok=True)
it = iter(files)
for i, t in enumerate(targets):
    got = 0
    lines = ["/bin/mkdir $out", 'echo "$prev" > $out/refs']
    k = 0
    while got < t:
        p, s = next(it)
        if s > t * 1.5 and got > 0:
            continue
        lines.append(f"/bin/cp '{p}' $out/f{k}")
        got += s
        k += 1
    with open(os.path.join(scripts, f"big-{i}.sh"), "w") as f:
        f.write("\n".join(lines) + "\n")

expr = ["let"]
expr.append('  mk = name: script: prev: derivation { inherit name prev; system = "x86_64-linux"; '
            'builder = "/bin/sh"; args = [ script ]; };')
# Lists that refer to their own earlier elements: lazy, so each derivation is evaluated once.
expr.append('  bigs = builtins.genList (i: mk "big-${toString i}" "%s/big-${toString i}.sh" '
            '(if i == 0 then "" else "${builtins.elemAt bigs (i - 1)} ${builtins.elemAt bigs (i / 2)}")) %d;'
            % (scripts, n_big))
with open(os.path.join(scripts, "small.sh"), "w") as f:
    f.write('/bin/mkdir $out\nfor i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do '
            'echo "small path $name line $i with some text to compress $prev" >> $out/text; done\n')
expr.append('  smalls = builtins.genList (i: mk "small-${toString i}" "%s/small.sh" '
            '(if i == 0 then "" else "${builtins.elemAt smalls (i / 2)} ${builtins.elemAt smalls (i / 3)}")) %d;'
            % (scripts, n_small))
expr.append("in {")
# A root referring to every path makes one closure of them all.
expr.append('  big = mk "big-root" "%s/root.sh" (toString bigs);' % scripts)
expr.append('  small = mk "small-root" "%s/root.sh" (toString smalls);' % scripts)
expr.append("}")
with open(os.path.join(scripts, "root.sh"), "w") as f:
    f.write('echo "$prev" > $out\n')
with open(os.path.join(out_dir, "closures.nix"), "w") as f:
    f.write("\n".join(expr) + "\n")
