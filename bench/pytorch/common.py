"""Shared pieces of the PyTorch twins of Wick's benchmark workloads (shared/bench/SPEC.md):
JSON-line output, peak RSS, Fashion-MNIST decoded whole, and test accuracy."""
import gzip
import json
import os
import struct
import sys

import torch

FMNIST_DIR = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
FMNIST_MEAN, FMNIST_STD = 0.2860, 0.3530
# SPEC's seed; BENCH_SEED=N changes every seed of a workload (Wick: -Dwick.bench.seed=N)
SEED = int(os.environ.get("BENCH_SEED", "0"))


def emitter(workload):
    """A function printing one JSON line per measurement, as SPEC.md defines them."""
    def emit(metric, value, unit):
        print(json.dumps({"framework": "pytorch", "workload": workload, "metric": metric,
                          "value": value, "unit": unit}), flush=True)
    return emit


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def peak_rss_mb():
    """Peak resident set of this process (VmHWM) in MiB, as Wick's side reads it."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _idx(path):
    """An IDX file (MNIST container: magic 0x0000 + type byte + rank byte, big-endian sizes, data)
    as a uint8 tensor of its shape."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    _, kind, rank = struct.unpack(">HBB", raw[:4])
    if kind != 0x08:
        raise ValueError(f"{path}: element type 0x{kind:02x}, expected 0x08 (uint8)")
    shape = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(raw[4 + 4 * rank:]), dtype=torch.uint8).reshape(shape)


def _file(name):
    for candidate in (name + ".gz", name):
        p = os.path.join(FMNIST_DIR, candidate)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(os.path.join(FMNIST_DIR, name + "[.gz]"))


def fashion_mnist(train):
    """(images float32 [N, 1, 28, 28] scaled to [0, 1] then normalized, labels int64 [N])."""
    split = "train" if train else "t10k"
    images = _idx(_file(f"{split}-images-idx3-ubyte"))
    labels = _idx(_file(f"{split}-labels-idx1-ubyte"))
    x = images.unsqueeze(1).float().div_(255.0).sub_(FMNIST_MEAN).div_(FMNIST_STD)
    return x, labels.long()


def accuracy(model, x, y, batch=1000):
    """Share of (x, y) the model classifies right, in eval mode, batches of 1000."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
    model.train()
    return correct / len(x)
