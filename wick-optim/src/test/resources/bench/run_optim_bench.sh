#!/bin/sh
# Alternates the Wick and PyTorch optimizer-step benchmarks in one sitting.
# Usage (from the repository root, after `mvn -pl wick-optim test-compile` and writing the classpath):
#   mvn -o -q -pl wick-optim dependency:build-classpath -Dmdep.outputFile=/tmp/optim_cp.txt
#   sh wick-optim/src/test/resources/bench/run_optim_bench.sh [threads] [rounds] [build dir]
THREADS=${1:-1}
ROUNDS=${2:-3}
BUILD=${3:-wick-optim/target}
HERE=$(dirname "$0")
CP="$BUILD/test-classes:$BUILD/classes:$(cat /tmp/optim_cp.txt)"
for r in $(seq 1 "$ROUNDS"); do
  echo "--- round $r"
  java -Dorg.bytedeco.javacpp.nopointergc=true -Xmx2g -cp "$CP" dev.wick.optim.bench.OptimStepBench "$THREADS"
  /usr/bin/python3 "$HERE/optim_step_bench.py" "$THREADS"
done
