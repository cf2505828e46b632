#!/usr/bin/python3
"""PyTorch side of dev.wick.optim.bench.OptimStepBench: step() of SGD-momentum and AdamW on ResNet-18's
parameters (shapes from ../golden/resnet18_shapes.json) with fixed random gradients.

    /usr/bin/python3 optim_step_bench.py [threads] [chunks] [steps_per_chunk]

PyTorch 1.13 on CPU: foreach=True (its fastest CPU path; fused=True is CUDA-only there).
"""
import json
import os
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
chunks = int(sys.argv[2]) if len(sys.argv) > 2 else 7
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
torch.set_num_threads(threads)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "golden", "resnet18_shapes.json")) as f:
    shapes = [p["shape"] for p in json.load(f)["params"]]
g = torch.Generator().manual_seed(0)
params = []
for s in shapes:
    p = torch.randn(s, generator=g).requires_grad_(True)
    p.grad = torch.randn(s, generator=g) * 1e-3
    params.append(p)
print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, {len(params)} params, "
      f"{sum(p.numel() for p in params)} floats")


def run(name, opt):
    for _ in range(3):
        opt.step()
    ms = []
    for _ in range(chunks):
        t0 = time.perf_counter()
        for _ in range(steps):
            opt.step()
        ms.append((time.perf_counter() - t0) * 1e3 / steps)
    ms.sort()
    print(f"torch {name:<45} best {ms[0]:7.2f} ms/step  median {statistics.median(ms):7.2f} ms/step")


run("SGD(lr=0.1, momentum=0.9, weight_decay=1e-4)",
    torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-4, foreach=True))
run("AdamW(lr=1e-3, weight_decay=1e-2)", torch.optim.AdamW(params, lr=1e-3, foreach=True))
# the per-step cost that is not arithmetic: the same 62 parameters with one element each
tiny = []
for _ in shapes:
    p = torch.randn(1, generator=g).requires_grad_(True)
    p.grad = torch.randn(1, generator=g)
    tiny.append(p)
steps *= 20
run("SGD-momentum, 62 one-element params (overhead)",
    torch.optim.SGD(tiny, lr=0.1, momentum=0.9, weight_decay=1e-4, foreach=True))
run("AdamW, 62 one-element params (overhead)", torch.optim.AdamW(tiny, lr=1e-3, foreach=True))
