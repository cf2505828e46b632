#!/usr/bin/python3
"""Markdown report of one side-by-side sitting (bench/side-by-side.sh).

usage: summarize.py [--table] RESULTS_JSONL FACTS_JSON     (writes to stdout)
       --table: only the table of targets (what side-by-side.sh prints at the end)

The document has: the targets table (medians over runs, Wick/PyTorch ratios, met or not), peak RSS
and test accuracy, every run's values, the load each process ran under, the machine's facts, and
bench/analysis.md (the profile-based explanation of the shortfalls, written by hand) when it exists.

PyTorch runs in one or more configurations (as installed, and with OMP_WAIT_POLICY=PASSIVE); for each
metric Wick is compared with the configuration whose median is better for PyTorch, so a PyTorch
configuration that suffers from the machine's load never flatters Wick.
"""
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (workload, metric, label, target ratio, "min" = ratio must be >= target, "max" = <= target)
TARGETS = [
    ("fmnist-mlp", "samples_per_s", "W1 fmnist-mlp samples/s", 1.1, "min"),
    ("fmnist-cnn", "samples_per_s", "W2 fmnist-cnn samples/s", 1.1, "min"),
    ("step-overhead", "iters_per_s", "W3 step-overhead iters/s", 4.0, "min"),
    ("loader", "samples_per_s_workers2", "W4 loader samples/s, 2 workers", 4.0, "min"),
    ("loader", "samples_per_s_workers0", "W4 loader samples/s, 0 workers", 2.0, "min"),
    ("resnet18-synth", "images_per_s", "W5 resnet18 images/s", 1.0, "min"),
    ("fmnist-mlp", "peak_rss_mb", "peak RSS on W1 (MB)", 1.0, "max"),
]
ACCURACY = [("fmnist-mlp", "W1"), ("fmnist-cnn", "W2")]
ACC_TOLERANCE = 0.005            # Wick within 0.5 points of PyTorch
# Wick-only variants compared with a PyTorch metric, shown without a target
VARIANTS = [("loader", "samples_per_s_workers0_compose", "samples_per_s_workers0",
             "W4 loader, 0 workers, separate tensor transforms"),
            ("loader", "samples_per_s_workers2_compose", "samples_per_s_workers2",
             "W4 loader, 2 workers, separate tensor transforms")]
LOWER_IS_BETTER = {"epoch_s", "peak_rss_mb"}
ORDER = ["fmnist-mlp", "fmnist-cnn", "step-overhead", "loader", "resnet18-synth"]


def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def values(recs, workload, metric, config):
    return {r["run"]: r["value"] for r in recs
            if r["workload"] == workload and r["metric"] == metric and r["config"] == config}


def best_pytorch(recs, workload, metric):
    """(config, {run: value}) of the PyTorch configuration with the best median for PyTorch."""
    configs = sorted({r["config"] for r in recs if r["framework"] == "pytorch"})
    best = None
    for c in configs:
        v = values(recs, workload, metric, c)
        if not v:
            continue
        m = statistics.median(v.values())
        better = best is None or (m < best[2] if metric in LOWER_IS_BETTER else m > best[2])
        if better:
            best = (c, v, m)
    return (best[0], best[1]) if best else (None, {})


def fmt(v, metric=""):
    if v is None:
        return "n/a"
    if "acc" in metric:
        return f"{v:.4f}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3f}"


def per_run_ratios(wick, pt):
    return [wick[r] / pt[r] for r in sorted(wick) if r in pt and pt[r]]


def best_pytorch_per_run(recs, workload, metric):
    """{run: PyTorch's best value in that run over its configurations}."""
    best = {}
    for r in recs:
        if r["framework"] == "pytorch" and r["workload"] == workload and r["metric"] == metric:
            v, old = r["value"], best.get(r["run"])
            if old is None or (v < old if metric in LOWER_IS_BETTER else v > old):
                best[r["run"]] = v
    return best


def wick_configs(recs):
    """Wick's configurations in the order they first appear."""
    out = []
    for r in recs:
        if r["framework"] == "wick" and r["config"] not in out:
            out.append(r["config"])
    return out


def targets_table(recs):
    """The targets, one column group per Wick configuration; returns (markdown, {config: all met})."""
    wcs = wick_configs(recs)
    head = "| target | PyTorch median (config) |" + "".join(f" {c} median | {c} / PyTorch (per run) | met? |" for c in wcs)
    rows = [head, "|---|---:|" + "---:|---|---|" * len(wcs)]
    met = {c: True for c in wcs}
    for workload, metric, label, target, kind in TARGETS:
        config, pt = best_pytorch(recs, workload, metric)
        sign = "≥" if kind == "min" else "≤"
        cells = [f"| {label}, {sign} {target} | "
                 + (f"{fmt(statistics.median(pt.values()), metric)} ({config})" if pt else "n/a") + " |"]
        for c in wcs:
            wick = values(recs, workload, metric, c)
            if not wick or not pt:
                cells.append(" n/a | | not measured |")
                met[c] = False
                continue
            wm, pm = statistics.median(wick.values()), statistics.median(pt.values())
            ratio = wm / pm
            ok = ratio >= target if kind == "min" else ratio <= target
            met[c] &= ok
            runs = ", ".join(f"{x:.2f}" for x in per_run_ratios(wick, best_pytorch_per_run(recs, workload, metric)))
            cells.append(f" {fmt(wm, metric)} | **{ratio:.2f}** ({runs}) | {'yes' if ok else '**no**'} |")
        rows.append("".join(cells))
    pt_configs = sorted({r["config"] for r in recs if r["framework"] == "pytorch"})
    for workload, name in ACCURACY:
        pts = [v for c in pt_configs for v in values(recs, workload, "test_acc", c).values()]
        if not pts:
            continue
        pm = statistics.median(pts)
        cells = [f"| {name} test accuracy, within ±0.5 points | {pm:.4f} (all runs) |"]
        for c in wcs:
            wick = values(recs, workload, "test_acc", c)
            if not wick:
                cells.append(" n/a | | |")
                continue
            wm = statistics.median(wick.values())
            ok = abs(wm - pm) <= ACC_TOLERANCE
            met[c] &= ok
            cells.append(f" {wm:.4f} | {100 * (wm - pm):+.2f} points | {'yes' if ok else '**no**'} |")
        rows.append("".join(cells))
    for workload, metric, pt_metric, label in VARIANTS:
        config, pt = best_pytorch(recs, workload, pt_metric)
        if not pt:
            continue
        cells = [f"| {label} (no target) | {fmt(statistics.median(pt.values()))} ({config}) |"]
        for c in wcs:
            wick = values(recs, workload, metric, c)
            if not wick:
                cells.append(" n/a | | |")
                continue
            wm, pm = statistics.median(wick.values()), statistics.median(pt.values())
            runs = ", ".join(f"{x:.2f}" for x in per_run_ratios(wick, best_pytorch_per_run(recs, workload, pt_metric)))
            cells.append(f" {fmt(wm)} | {wm / pm:.2f} ({runs}) | |")
        rows.append("".join(cells))
    return "\n".join(rows), met


def rss_table(recs):
    configs = wick_configs(recs) + sorted({r["config"] for r in recs if r["framework"] == "pytorch"})
    rows = ["| workload | " + " | ".join(c if c.startswith("wick") else f"pytorch ({c})" for c in configs) + " |",
            "|---|" + "---:|" * len(configs)]
    for w in ORDER:
        cells = []
        for c in configs:
            v = values(recs, w, "peak_rss_mb", c)
            cells.append(f"{statistics.median(v.values()):.0f}" if v else "")
        if any(cells):
            rows.append(f"| {w} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def all_runs_table(recs):
    runs = sorted({r["run"] for r in recs})
    configs = wick_configs(recs) + sorted({r["config"] for r in recs if r["framework"] == "pytorch"})
    rows = ["| workload | metric | side | " + " | ".join(f"run {r}" for r in runs) + " | median |",
            "|---|---|---|" + "---:|" * (len(runs) + 1)]
    keys = []
    for r in recs:
        k = (r["workload"], r["metric"])
        if k not in keys:
            keys.append(k)
    keys.sort(key=lambda k: ORDER.index(k[0]) if k[0] in ORDER else 99)
    for w, m in keys:
        for c in configs:
            v = values(recs, w, m, c)
            if not v:
                continue
            side = c if c.startswith("wick") else f"pytorch ({c})"
            rows.append(f"| {w} | {m} | {side} | " + " | ".join(fmt(v.get(r), m) for r in runs)
                        + f" | {fmt(statistics.median(v.values()), m)} |")
    return "\n".join(rows)


def load_table(recs):
    seen, rows = set(), ["| run | workload | side | wall s | own CPU s | other processes' CPU share | load avg | started quiet |",
                         "|---:|---|---|---:|---:|---:|---:|---|"]
    for r in recs:
        k = (r["run"], r["workload"], r["config"])
        if k in seen:
            continue
        seen.add(k)
        side = r["config"] if r["config"].startswith("wick") else f"pytorch ({r['config']})"
        rows.append(f"| {r['run']} | {r['workload']} | {side} | {r['wall_s']:.1f} | {r['own_cpu_s']:.1f} | "
                    f"{100 * r['other_cpu_share']:.0f}% | {r['loadavg']:.1f} | {'yes' if r['started_quiet'] else 'no'} |")
    return "\n".join(rows)


def facts_section(f, recs):
    w = f.get("wick", {})
    quiet = sum(1 for r in {(x["run"], x["workload"], x["config"]): x for x in recs}.values() if r["started_quiet"])
    procs = len({(x["run"], x["workload"], x["config"]) for x in recs})
    shares = [x["other_cpu_share"] for x in {(x["run"], x["workload"], x["config"]): x for x in recs}.values()]
    return "\n".join([
        f"- date: {f.get('date')}; {len({r['run'] for r in recs})} run(s); {quiet} of {procs} processes started "
        f"on a quiet machine; median CPU share taken by other processes while one ran: "
        f"{100 * statistics.median(shares):.0f}%" if shares else "",
        f"- CPU: {f.get('cpu_model')} ({f.get('cpu_flags')}), {f.get('cpus')} CPUs; memory {f.get('memory_gib')} GiB; "
        f"kernel {f.get('kernel')}",
        f"- Java: {f.get('java_version')} ({w.get('java')}), max heap {w.get('jvm_max_heap_mb')} MB",
        f"- Wick: {w.get('engine')}; OMP_WAIT_POLICY={w.get('omp_wait_policy')}, nopointergc={w.get('nopointergc')}; "
        f"libtorch BLAS_INFO={w.get('libtorch_blas_info')}, CPU capability {w.get('libtorch_cpu_capability')}; "
        f"BLAS mapped: `{w.get('blas_libraries_mapped')}`",
        f"- PyTorch: {f.get('pytorch')} (Debian python3-torch), torchvision {f.get('torchvision')}, numpy {f.get('numpy')}, "
        f"Python {f.get('python')}; CPU capability {f.get('pytorch_cpu_capability')}; BLAS: **{f.get('pytorch_blas')}** "
        f"(BLAS_INFO={f.get('pytorch_blas_info')}; mapped: `{', '.join(f.get('pytorch_blas_mapped', []))}`; "
        f"LD_LIBRARY_PATH={f.get('ld_library_path') or '(unset)'})",
        "- Wick configs, all with OMP_WAIT_POLICY unset (libgomp's default) and `-Dorg.bytedeco.javacpp.nopointergc=true -Xss4m`: "
        + "; ".join(f"`{c}` " + (f"+ `{extra}`" if (extra := config_extras(recs, c)) else "(nothing more)")
                    for c in wick_configs(recs)),
        "- both sides: 2 intra-op threads; PyTorch configs: `default` = as installed, `passive` = OMP_WAIT_POLICY=PASSIVE",
    ])


def config_extras(recs, config):
    """What a Wick configuration adds to WICK_CMD: its JVM flags and its environment, as one string."""
    r = next((r for r in recs if r["config"] == config), {})
    return " ".join(x for x in (r.get("jvm_flags", ""), r.get("wick_env", "")) if x)


def main():
    args = sys.argv[1:]
    table_only = args and args[0] == "--table"
    if table_only:
        args = args[1:]
    if len(args) != 2:
        raise SystemExit(__doc__)
    recs = load(args[0])
    facts = json.load(open(args[1]))
    table, met = targets_table(recs)
    if table_only:
        print(table)
        return
    results_name = os.path.relpath(args[0], os.path.dirname(HERE))
    out = [
        "# Benchmarks: Wick against PyTorch, side by side",
        "",
        "Generated by `bench/side-by-side.sh` from one sitting (raw lines: `" + results_name + "`). "
        "Workloads: `shared/bench/SPEC.md` (W1-W5); Wick's side is `wick-bench` (`dev.wick.bench.Bench`, "
        "`./wick bench <workload>`), PyTorch's is `bench/pytorch/`. Each pair ran in the same sitting, "
        "interleaved, on the same machine, with 2 threads; the figure that counts is the ratio.",
        "",
        "Reproduce (after `mvn -q install -DskipTests`):",
        "",
        "```bash",
        "bench/side-by-side.sh 3          # 3 runs of W1-W5 on each side; rewrites this file",
        "```",
        "",
        "## Targets",
        "",
        "Met by " + (", ".join(c for c, ok in met.items() if ok) or "no Wick configuration")
        + ("" if all(met.values()) else "; the shortfalls are explained, with their profiles, in *Where the time goes*") + ".",
        "",
        table,
        "",
        "Medians over the runs; in brackets, each run's ratio against PyTorch's best configuration in that run. "
        "`wick` is Wick as `./wick` runs it (`-Dorg.bytedeco.javacpp.nopointergc=true`, Engine's BLAS choice: "
        "the system's OpenMP OpenBLAS, one OpenMP pool with libtorch, libtorch's AVX-512 kernels); `wick-avx2` is "
        "the same on libtorch's AVX2 kernels, the instruction set Debian's PyTorch dispatches to, so that both "
        "sides do the same arithmetic (W1 then reproduces PyTorch's losses and accuracy to the bit); "
        "`wick-bundled` is what a machine without "
        "`libopenblas0-openmp` gets (the bundled pthreads OpenBLAS on one thread; see *Where the time goes*). "
        "PyTorch's column is its better configuration for that metric (see the facts). "
        "Peak RSS is VmHWM of the process that ran the workload (for PyTorch's W4 with workers, the main "
        "process only).",
        "",
        "## Peak RSS of each side",
        "",
        rss_table(recs),
        "",
        "## Machine and set-up",
        "",
        facts_section(facts, recs),
        "",
        "The machine is shared with other work (compilers, test suites); what other processes took while each "
        "process ran is in the load table below. Numbers from a busy machine are noisy, and both sides suffer, "
        "though not equally: multi-threaded steps degrade most.",
        "",
        "## Every run",
        "",
        all_runs_table(recs),
        "",
        "## Load during each process",
        "",
        load_table(recs),
        "",
    ]
    analysis = os.path.join(HERE, "analysis.md")
    if os.path.exists(analysis):
        out += [open(analysis).read().rstrip(), ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
