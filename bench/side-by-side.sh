#!/usr/bin/env bash
# Wick against PyTorch, side by side, in one sitting on this machine (workloads: shared/bench/SPEC.md).
#
#   bench/side-by-side.sh [RUNS]        (default 3 runs; each run = every workload once per side)
#
# What it does:
#   1. builds wick-bench (the other modules must be installed: mvn -q install -DskipTests, once);
#   2. records the machine's facts and which BLAS each side loads (PyTorch must get OpenBLAS: with
#      Debian's reference BLAS its W1 is about 20x slower, and the script says so loudly);
#   3. runs Wick (dev.wick.bench.Bench with -Dorg.bytedeco.javacpp.nopointergc=true, as ./wick runs; in
#      three configurations: as is, on AVX2 kernels, and with the bundled OpenBLAS; see bench/sidebyside.py) and the PyTorch twins in
#      bench/pytorch/ (Debian's python3-torch, /usr/bin/python3; as installed, and with
#      OMP_WAIT_POLICY=PASSIVE) interleaved, waiting before each process for an idle machine (bounded);
#   4. writes bench/results/<timestamp>.jsonl (+ .log, .facts.json) and docs/benchmarks.md: medians,
#      Wick/PyTorch ratios against the targets, peak RSS, test accuracy, machine facts, load.
#
# env: WORKLOADS="fmnist-mlp fmnist-cnn step-overhead loader resnet18-synth" (subset to run)
#      WICK_CONFIGS="wick wick-avx2 wick-bundled" (see bench/sidebyside.py)
#      PYTORCH_CONFIGS="default passive"   QUIET_IDLE=0.90 QUIET_SECS=3 QUIET_MAX_WAIT=60
#      WICK_BUILD_DIR (default wick-bench/target)   SKIP_BUILD=1 (use the last build)
#      WICK_JVM_OPTS (extra JVM flags)   DOC (default docs/benchmarks.md; DOC= writes no document)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${1:-3}
PY=/usr/bin/python3
BUILD=${WICK_BUILD_DIR:-$ROOT/wick-bench/target}
DOC=${DOC-docs/benchmarks.md}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$STAMP
mkdir -p bench/results

if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then
  echo "Invalid number of runs: '$RUNS' (must be an integer >= 1)" >&2; exit 2
fi
if ! "$PY" -c 'import torch, torchvision' 2>/dev/null; then
  echo "PyTorch not found for $PY: apt-get install python3-torch python3-torchvision libopenblas0-openmp" >&2; exit 2
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building wick-bench into $BUILD" >&2
  if ! mvn -q -B -o -pl wick-bench package -DskipTests "-Dwick.build.dir=$BUILD" >&2; then
    echo "build failed: install the other modules first (mvn -q install -DskipTests)" >&2; exit 1
  fi
fi
# the JVM flags ./wick adds on a small machine (see the launcher)
GC_OPTS="-Xms32m"; [[ "$(nproc)" -le 4 ]] && GC_OPTS="-XX:+UseSerialGC -Xms32m"
export WICK_CMD="java -Dorg.bytedeco.javacpp.nopointergc=true -Xss4m $GC_OPTS ${WICK_JVM_OPTS:-} -cp $BUILD/classes:$BUILD/lib/* dev.wick.bench.Bench"

echo "== facts" >&2
PT_LD=""
[[ -d /usr/lib/x86_64-linux-gnu/openblas-openmp ]] && PT_LD=/usr/lib/x86_64-linux-gnu/openblas-openmp
PT_FACTS=$(LD_LIBRARY_PATH=$PT_LD "$PY" bench/facts.py)
WICK_FACTS=$(java -Dorg.bytedeco.javacpp.nopointergc=true ${WICK_JVM_OPTS:-} \
             -cp "$BUILD/classes:$BUILD/lib/*" dev.wick.bench.Facts)
"$PY" - "$OUT.facts.json" "$PT_FACTS" "$WICK_FACTS" <<'PY'
import json, subprocess, sys
path, pt, wick = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
facts = dict(pt, wick=wick, java_version=java, runs=None)
with open(path, "w") as f:
    json.dump(facts, f, indent=1)
print(f"PyTorch {pt['pytorch']} BLAS: {pt['pytorch_blas']} (BLAS_INFO={pt['pytorch_blas_info']}; "
      f"mapped: {', '.join(pt['pytorch_blas_mapped']) or 'none'})", file=sys.stderr)
print(f"Wick    {wick['engine']}; BLAS mapped: {wick['blas_libraries_mapped']}", file=sys.stderr)
print(f"machine: {pt['cpu_model']}, {pt['cpus']} CPUs, {pt['memory_gib']} GiB, kernel {pt['kernel']}", file=sys.stderr)
if "REFERENCE" in pt["pytorch_blas"]:
    print("WARNING: " + pt["pytorch_blas"], file=sys.stderr)
PY

echo "== $RUNS run(s), results in $OUT.jsonl" >&2
"$PY" bench/sidebyside.py "$OUT.jsonl" "$RUNS"

if [[ -n "$DOC" ]]; then
  "$PY" bench/summarize.py "$OUT.jsonl" "$OUT.facts.json" > "$DOC"
  echo "== wrote $DOC" >&2
fi
"$PY" bench/summarize.py --table "$OUT.jsonl" "$OUT.facts.json"
