#!/usr/bin/python3
"""W1 fmnist-mlp, PyTorch side (twin of dev.wick.bench.FmnistMlp): MLP 784-512-256-10, SGD(0.05,
momentum 0.9), batch 128, shuffle, 3 epochs, data decoded whole up front, TensorDataset + DataLoader."""
import statistics
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import common

emit = common.emitter("fmnist-mlp")


def main():
    torch.set_num_threads(2)
    torch.manual_seed(common.SEED)
    x, y = common.fashion_mnist(train=True)
    x_test, y_test = common.fashion_mnist(train=False)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x, y), batch_size=128, shuffle=True, drop_last=False,
                        generator=torch.Generator().manual_seed(common.SEED))
    times = []
    for epoch in range(3):
        start = time.perf_counter()
        for inputs, targets in loader:
            opt.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
        common.log(f"[W1] epoch {epoch + 1}: {times[-1]:.3f} s, last loss {loss.item():.4f}")
    acc = common.accuracy(model, x_test, y_test)
    med = statistics.median(times)
    common.log(f"[W1] epoch_s all: {[round(t, 3) for t in times]}, test acc {acc:.4f}")
    emit("epoch_s", med, "s")
    emit("test_acc", acc, "fraction")
    emit("samples_per_s", len(x) / med, "samples/s")
    emit("peak_rss_mb", common.peak_rss_mb(), "MB")


if __name__ == "__main__":
    main()
