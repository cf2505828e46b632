#!/usr/bin/python3
"""Prints, as one JSON object, the facts of this machine and of the PyTorch side of a benchmark:
CPU, cores, memory, kernel, the Python/PyTorch versions, and which BLAS PyTorch really loads
(torch.__config__.show() and the libraries mapped in /proc/self/maps after a matmul).

usage: facts.py            (run it with the environment the PyTorch side runs with)
"""
import datetime
import json
import os
import platform
import re

import numpy
import torch
import torchvision


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                have = set(line.split(":", 1)[1].split())
                return " ".join(f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16")
                                if f in have)
    return ""


def mem_gib():
    with open("/proc/meminfo") as f:
        kb = int(f.readline().split()[1])
    return round(kb / 1024 / 1024, 1)


def blas_mapped():
    """The BLAS/LAPACK shared objects mapped into this process, resolved to real files."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            name = os.path.basename(path)
            if path.startswith("/") and ("blas" in name or "lapack" in name):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def blas_verdict(libs):
    names = " ".join(os.path.basename(p) for p in libs)
    if "openblas" in names:
        kind = "OpenMP" if any("openmp" in p for p in libs) else (
            "pthreads" if any("pthread" in p for p in libs) else "unknown threading")
        return f"OpenBLAS ({kind})"
    if re.search(r"libblas\.so", names):
        return "REFERENCE BLAS (netlib): PyTorch's W1 will be about 20x slower; install libopenblas0-openmp"
    return "unknown"


def main():
    torch.set_num_threads(2)
    a = torch.randn(256, 256)
    (a @ a).sum()                              # loads and uses the BLAS
    config = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,]+)", config)
    libs = blas_mapped()
    facts = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu_model": cpu_model(),
        "cpu_flags": cpu_flags(),
        "cpus": os.cpu_count(),
        "memory_gib": mem_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "pytorch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numpy": numpy.__version__,
        "pytorch_blas_info": m.group(1) if m else "unknown",
        "pytorch_blas_mapped": libs,
        "pytorch_blas": blas_verdict(libs),
        "pytorch_cpu_capability": torch.backends.cpu.get_cpu_capability()
        if hasattr(torch.backends, "cpu") and hasattr(torch.backends.cpu, "get_cpu_capability") else
        (re.search(r"CPU capability usage: (\S+)", config) or [None, "unknown"])[1],
        "pytorch_threads": torch.get_num_threads(),
        "pytorch_omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
        "ld_library_path": os.environ.get("LD_LIBRARY_PATH", ""),
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
