#!/usr/bin/python3
"""Twin of dev.wick.bench.OpOverhead: tiny add, in-place add, MLP 784-512-256-10 step (batch 128,
plain SGD with tensor ops), best and median chunk, as JSON lines. Usage: op_overhead.py [threads]"""
import json, statistics, sys, time
import torch

def emit(metric, value, unit):
    print(json.dumps({"framework": "pytorch", "workload": "op-overhead", "metric": metric, "value": value, "unit": unit}), flush=True)

def report(metric, v, unit):
    emit(metric + "_best", min(v), unit)
    emit(metric + "_median", statistics.median(v), unit)

def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    n, reps = 20000, 9
    a, b, acc = torch.ones(10), torch.ones(10), torch.zeros(10)
    add, addi = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            a.add(b)
        add.append((time.perf_counter() - t0) * 1e6 / n)
        t0 = time.perf_counter()
        for _ in range(n):
            acc.add_(b)
        addi.append((time.perf_counter() - t0) * 1e6 / n)
    report("add_us", add, "us")
    report("add_inplace_us", addi, "us")
    torch.manual_seed(0)
    ps = [(torch.randn(*s) * 0.05).requires_grad_(True) for s in [(784, 512), (512,), (512, 256), (256,), (256, 10), (10,)]]
    x = torch.randn(128, 784)
    y = torch.randint(0, 10, (128, 1))
    def step():
        h1 = (x @ ps[0] + ps[1]).relu()
        h2 = (h1 @ ps[2] + ps[3]).relu()
        loss = -(h2 @ ps[4] + ps[5]).log_softmax(1).gather(1, y).mean()
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p.sub_(p.grad, alpha=0.01)
                p.grad = None
    for _ in range(50):
        step()
    ms = []
    for _ in range(12):
        t0 = time.perf_counter()
        for _ in range(40):
            step()
        ms.append((time.perf_counter() - t0) * 1e3 / 40)
    report("mlp_step_ms", ms, "ms")

if __name__ == "__main__":
    main()
