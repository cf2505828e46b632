#!/usr/bin/python3
"""Runs Wick's workloads and their PyTorch twins interleaved, in one sitting, and writes every JSON
line to one results file. Called by side-by-side.sh (which builds Wick first); see that script.

usage: sidebyside.py RESULTS_JSONL RUNS
env:   WICK_CMD        the command that runs Wick's Bench (space-separated, workload names appended)
       WORKLOADS       subset of: fmnist-mlp fmnist-cnn step-overhead loader resnet18-synth
       WICK_CONFIGS    which of WICK_VARIANTS below to run (default "wick wick-avx2 wick-bundled"); every one
                       runs with nopointergc and OMP_WAIT_POLICY as the caller has it (unset, as ./wick)
       PYTORCH_CONFIGS "default passive" (default): PyTorch as installed, and with
                       OMP_WAIT_POLICY=PASSIVE; the summary compares Wick with the better of the two
       QUIET_IDLE (0.90), QUIET_SECS (3), QUIET_MAX_WAIT (60 s): before each process, wait until the
                       CPUs were at least QUIET_IDLE idle for QUIET_SECS seconds in a row, at most
                       QUIET_MAX_WAIT seconds (then run anyway and record that it was not quiet)

Each run does every workload once per side; the order of the sides alternates from run to run so that
drift in the machine's load does not favour one side. Every JSON line gets "run", "config" and, from
the process that printed it, "wall_s", "own_cpu_s", "other_cpu_share" (CPU time other processes took
while it ran, as a share of all CPUs), "loadavg" and "started_quiet".
"""
import json
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
SCRIPTS = {"fmnist-mlp": "w1_fmnist_mlp.py", "fmnist-cnn": "w2_fmnist_cnn.py",
           "step-overhead": "w3_step_overhead.py", "loader": "w4_loader.py",
           "resnet18-synth": "w5_resnet18_synth.py"}
# Wick's configurations: (extra JVM flags on top of WICK_CMD's, extra environment) (see
# dev.wick.tensor.Engine and bench/analysis.md for why)
WICK_VARIANTS = {
    # as ./wick runs it: Engine's BLAS choice (the system's OpenMP OpenBLAS when libopenblas0-openmp is
    # installed, sharing libtorch's OpenMP pool), OpenMP's default wait policy, libtorch's own choice of
    # kernels (AVX-512 on a CPU that has it)
    "wick": ([], {}),
    # the same with libtorch's AVX2 kernels: the instruction set Debian's PyTorch 1.13 dispatches to, so
    # both sides run the same arithmetic (W1 then trains to PyTorch's bits: same losses, same accuracy)
    "wick-avx2": ([], {"ATEN_CPU_CAPABILITY": "avx2"}),
    # what a machine without libopenblas0-openmp gets: the bundled pthreads OpenBLAS on one thread
    "wick-bundled": (["-Dwick.blas=bundled"], {}),
}
HZ = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def cpu_ticks():
    """(busy, idle) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = v
    return user + nice + system + irq + softirq + steal, idle + iowait


def wait_quiet():
    """Waits for QUIET_SECS consecutive one-second windows with idle share >= QUIET_IDLE.
    Returns (seconds waited, whether the machine got quiet)."""
    need = float(os.environ.get("QUIET_IDLE", "0.90"))
    secs = int(os.environ.get("QUIET_SECS", "3"))
    max_wait = float(os.environ.get("QUIET_MAX_WAIT", "60"))
    start, streak = time.time(), 0
    while streak < secs:
        b0, i0 = cpu_ticks()
        time.sleep(1.0)
        b1, i1 = cpu_ticks()
        total = (b1 - b0) + (i1 - i0)
        streak = streak + 1 if total == 0 or (i1 - i0) / total >= need else 0
        if streak < secs and time.time() - start >= max_wait:
            return time.time() - start, False
    return time.time() - start, True


def run_process(cmd, env, log_path):
    """Runs cmd; returns (JSON lines it printed, facts about the run)."""
    waited, quiet = wait_quiet()
    load = os.getloadavg()[0]
    b0, _ = cpu_ticks()
    t0 = time.perf_counter()
    with open(log_path, "a") as err:
        err.write(f"=== {' '.join(cmd)}\n")
        err.flush()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    b1, _ = cpu_ticks()
    own = usage.ru_utime + usage.ru_stime
    facts = {"rc": os.waitstatus_to_exitcode(status), "wall_s": round(wall, 2), "own_cpu_s": round(own, 2),
             "other_cpu_share": round(max(0.0, (b1 - b0) / HZ - own) / (wall * NCPU), 3),
             "loadavg": round(load, 2), "waited_s": round(waited, 1), "started_quiet": quiet}
    lines = []
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                log(f"  ignoring a malformed line: {line[:120]}")
    return lines, facts


def pytorch_env(config):
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    if config == "passive":
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    elif config != "default":
        raise SystemExit(f"unknown PyTorch config '{config}' (expected default or passive)")
    openmp_dir = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
    if os.path.isdir(openmp_dir):      # pick OpenBLAS-OpenMP explicitly, whatever the alternatives say
        env["LD_LIBRARY_PATH"] = openmp_dir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env["PYTHONHASHSEED"] = "0"
    return env


def main():
    results, runs = sys.argv[1], int(sys.argv[2])
    if runs < 1:
        raise SystemExit(f"Invalid number of runs: {runs} (must be >= 1)")
    wick_cmd = shlex.split(os.environ["WICK_CMD"])
    workloads = os.environ.get("WORKLOADS", " ".join(SCRIPTS)).split()
    for w in workloads:
        if w not in SCRIPTS:
            raise SystemExit(f"Unknown workload: '{w}' (expected one of {' '.join(SCRIPTS)})")
    configs = os.environ.get("PYTORCH_CONFIGS", "default passive").split()
    wick_configs = os.environ.get("WICK_CONFIGS", " ".join(WICK_VARIANTS)).split()
    for c in wick_configs:
        if c not in WICK_VARIANTS:
            raise SystemExit(f"unknown Wick config '{c}' (expected one of {' '.join(WICK_VARIANTS)})")
    if "wick-bundled" in wick_configs and not os.path.exists(
            "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0"):
        log("no libopenblas0-openmp: wick already runs the bundled OpenBLAS; skipping wick-bundled")
        wick_configs.remove("wick-bundled")
    wick_env = dict(os.environ)
    log_path = os.path.splitext(results)[0] + ".log"
    failures = 0
    with open(results, "a") as out:
        for run in range(1, runs + 1):
            for w in workloads:
                sides = [("wick", c) for c in wick_configs] + [("pytorch", c) for c in configs]
                if run % 2 == 0:
                    sides.reverse()
                for side, config in sides:
                    if side == "wick":
                        # the JVM flags go before the class name, the last word of WICK_CMD
                        flags, extra_env = WICK_VARIANTS[config]
                        cmd, env = wick_cmd[:-1] + flags + wick_cmd[-1:] + [w], {**wick_env, **extra_env}
                    else:
                        cmd, env = [PY, os.path.join(HERE, "pytorch", SCRIPTS[w])], pytorch_env(config)
                    label = config if side == "wick" else f"{side} ({config})"
                    log(f"== run {run}/{runs} {w}: {label}")
                    lines, facts = run_process(cmd, env, log_path)
                    log(f"   {facts}")
                    if facts["rc"] != 0 or not lines:
                        failures += 1
                        log(f"   FAILED (exit {facts['rc']}, {len(lines)} lines); see {log_path}")
                    for rec in lines:
                        rec.update(run=run, config=config, **facts)
                        if side == "wick":
                            rec["jvm_flags"] = " ".join(WICK_VARIANTS[config][0])
                            rec["wick_env"] = " ".join(f"{k}={v}" for k, v in WICK_VARIANTS[config][1].items())
                        out.write(json.dumps(rec) + "\n")
                        log(f"   {rec['metric']} = {rec['value']:.6g} {rec['unit']}")
                    out.flush()
    if failures:
        raise SystemExit(f"{failures} process(es) failed; see {log_path}")


if __name__ == "__main__":
    main()
