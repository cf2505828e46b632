#!/usr/bin/python3
"""W5 resnet18-synth, PyTorch side (twin of dev.wick.bench.Resnet18Synth): torchvision resnet18
(10 classes), train mode, one random batch 32x3x32x32 with random labels, SGD(0.01, momentum 0.9);
3 warm-up steps, then 20 timed forward + backward + step."""
import time

import torch
import torchvision
from torch import nn

import common

emit = common.emitter("resnet18-synth")


def main():
    torch.set_num_threads(2)
    torch.manual_seed(common.SEED)
    model = torchvision.models.resnet18(num_classes=10).train()
    x = torch.randn(32, 3, 32, 32)
    y = torch.randint(0, 10, (32,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(3):
        step()
    steps = 20
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    elapsed = time.perf_counter() - start
    common.log(f"[W5] {steps} steps in {elapsed:.3f} s ({elapsed / steps * 1e3:.1f} ms/step), "
               f"final loss {loss.item():.4f}")
    emit("images_per_s", steps * 32 / elapsed, "images/s")
    emit("peak_rss_mb", common.peak_rss_mb(), "MB")


if __name__ == "__main__":
    main()
