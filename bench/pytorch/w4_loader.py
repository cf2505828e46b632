#!/usr/bin/python3
"""W4 loader, PyTorch side (twin of dev.wick.bench.Loader): 50000 synthetic uint8 3x32x32 images
(seed 0), label index % 10, torchvision's RandomCrop(32, padding 4) + RandomHorizontalFlip +
ConvertImageDtype(float32) + Normalize per sample, default collate, batch 128, shuffle; one full pass
with num_workers 0 and 2 (iterator start-up included)."""
import resource
import time

import torch
import torchvision.transforms as T
from torch.utils.data import DataLoader, Dataset

import common

emit = common.emitter("loader")
N = 50000


class SyntheticImages(Dataset):
    def __init__(self, n):
        self.images = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8,
                                    generator=torch.Generator().manual_seed(common.SEED))
        self.transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(0.5),
                                    T.ConvertImageDtype(torch.float32),
                                    T.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), i % 10


def one_pass(ds, workers):
    loader = DataLoader(ds, batch_size=128, shuffle=True, num_workers=workers,
                        generator=torch.Generator().manual_seed(common.SEED))
    cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    seen = 0
    for k, (inputs, targets) in enumerate(loader):
        if k == 0 and (inputs.shape != (128, 3, 32, 32) or inputs.dtype != torch.float32
                       or targets.shape != (128,) or targets.dtype != torch.int64):
            raise SystemExit(f"W4: batch {inputs.dtype} {tuple(inputs.shape)}, {targets.dtype} {tuple(targets.shape)}")
        seen += len(targets)
    elapsed = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if seen != N:
        raise SystemExit(f"W4 pass saw {seen} samples, expected {N}")
    cpu = sum(b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime for a, b in zip(cpu0, cpu1))
    common.log(f"[W4] num_workers={workers}: {elapsed:.3f} s wall, {cpu / elapsed:.2f} cores busy")
    return elapsed


def main():
    torch.set_num_threads(2)
    torch.manual_seed(common.SEED)
    ds = SyntheticImages(N)
    for workers in (0, 2):
        emit(f"samples_per_s_workers{workers}", N / one_pass(ds, workers), "samples/s")
    emit("peak_rss_mb", common.peak_rss_mb(), "MB")


if __name__ == "__main__":
    main()
