#!/usr/bin/python3
"""W3 step-overhead, PyTorch side (twin of dev.wick.bench.StepOverhead): Linear(10, 2), 1000 random
samples, TensorDataset + DataLoader(batch 100, shuffle), cross entropy / 10, SGD(0.01) stepped every
10 batches, 2000 epochs = 20000 iterations."""
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import common

emit = common.emitter("step-overhead")


def main():
    torch.set_num_threads(2)
    torch.manual_seed(common.SEED)
    x = torch.randn(1000, 10)
    y = torch.randint(0, 2, (1000,))
    model = nn.Linear(10, 2)
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loader = DataLoader(TensorDataset(x, y), batch_size=100, shuffle=True,
                        generator=torch.Generator().manual_seed(common.SEED))
    accum, epochs, iters = 10, 2000, 0
    start = time.perf_counter()
    for _ in range(epochs):
        for inputs, targets in loader:
            loss = criterion(model(inputs), targets) / accum
            loss.backward()
            iters += 1
            if iters % accum == 0:
                opt.step()
                opt.zero_grad()
    elapsed = time.perf_counter() - start
    if iters != 20000:
        raise SystemExit(f"W3 ran {iters} iterations, expected 20000")
    common.log(f"[W3] {iters} iterations in {elapsed:.3f} s, final loss {loss.item() * accum:.4f}")
    emit("iters_per_s", iters / elapsed, "iters/s")
    emit("peak_rss_mb", common.peak_rss_mb(), "MB")


if __name__ == "__main__":
    main()
