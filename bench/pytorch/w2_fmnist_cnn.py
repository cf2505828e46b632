#!/usr/bin/python3
"""W2 fmnist-cnn, PyTorch side (twin of dev.wick.bench.FmnistCnn): the seed's SimpleModel with a
10-class head, Adam(1e-3), batch 64, shuffle, CosineAnnealingLR over all 2 * 938 iterations, 2 epochs."""
import statistics
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import common

emit = common.emitter("fmnist-cnn")


class SimpleClassifier(nn.Module):
    """conv1 -> pool -> relu -> conv2 -> pool -> relu -> fc1 -> relu -> fc2 (same names as Wick's)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = torch.relu(self.pool(self.conv1(x)))      # (B, 10, 12, 12)
        x = torch.relu(self.pool(self.conv2(x)))      # (B, 20, 4, 4)
        x = x.flatten(1)                              # (B, 320)
        return self.fc2(torch.relu(self.fc1(x)))      # (B, 10)


def main():
    torch.set_num_threads(2)
    torch.manual_seed(common.SEED)
    x, y = common.fashion_mnist(train=True)
    x_test, y_test = common.fashion_mnist(train=False)
    epochs = 2
    model = SimpleClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True,
                        generator=torch.Generator().manual_seed(common.SEED))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * len(loader))
    criterion = nn.CrossEntropyLoss()
    times = []
    for epoch in range(epochs):
        start = time.perf_counter()
        for inputs, targets in loader:
            opt.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            opt.step()
            sched.step()
        times.append(time.perf_counter() - start)
        common.log(f"[W2] epoch {epoch + 1}: {times[-1]:.3f} s, last loss {loss.item():.4f}, "
                   f"lr {sched.get_last_lr()[0]:.3e}")
    acc = common.accuracy(model, x_test, y_test)
    med = statistics.median(times)
    common.log(f"[W2] epoch_s all: {[round(t, 3) for t in times]}, test acc {acc:.4f}")
    emit("epoch_s", med, "s")
    emit("test_acc", acc, "fraction")
    emit("samples_per_s", len(x) / med, "samples/s")
    emit("peak_rss_mb", common.peak_rss_mb(), "MB")


if __name__ == "__main__":
    main()
