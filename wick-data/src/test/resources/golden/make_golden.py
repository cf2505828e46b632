"""Reference values for wick-data's tests, made with real PyTorch (Debian's python3-torch 1.13 and
python3-torchvision). Run with /usr/bin/python3 from this directory; writes the JSON files next to it.

    cd wick-data/src/test/resources/golden && /usr/bin/python3 make_golden.py
"""
import collections
import json
import math
import os

import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from torch.utils.data import (BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler,
                              SubsetRandomSampler, WeightedRandomSampler, get_worker_info, random_split)
from torch.utils.data.distributed import DistributedSampler
from torch.utils.data.dataloader import default_collate

HERE = os.path.dirname(os.path.abspath(__file__))


def dump(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def enc(x):
    """A JSON form of a collate output that keeps the type."""
    if isinstance(x, torch.Tensor):
        return {"kind": "tensor", "dtype": str(x.dtype), "shape": list(x.shape), "values": x.flatten().tolist()}
    if isinstance(x, dict):
        return {"kind": "dict", "items": [[k, enc(v)] for k, v in x.items()]}
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return {"kind": "namedtuple", "fields": list(x._fields), "values": [enc(v) for v in x]}
    if isinstance(x, (list, tuple)):
        return {"kind": "list", "values": [enc(v) for v in x]}
    if isinstance(x, str):
        return {"kind": "str", "value": x}
    raise TypeError(type(x))


# ------------------------------------------------------------------ samplers

def samplers():
    out = {}
    g = torch.Generator().manual_seed(0)
    s = RandomSampler(range(10), generator=g)
    out["random_gen0_n10_epochs"] = [list(s) for _ in range(3)]

    torch.manual_seed(5)
    s = RandomSampler(range(10))
    out["random_global5_n10_epochs"] = [list(s) for _ in range(2)]
    out["random_global5_after"] = int(torch.empty((), dtype=torch.int64).random_().item())

    g = torch.Generator().manual_seed(3)
    out["random_replacement_gen3_n10_k70"] = list(RandomSampler(range(10), replacement=True, num_samples=70, generator=g))
    out["random_replacement_gen3_n10_k70_second"] = list(RandomSampler(range(10), replacement=True, num_samples=70, generator=g))
    g = torch.Generator().manual_seed(4)
    out["random_noreplacement_gen4_n10_k25"] = list(RandomSampler(range(10), num_samples=25, generator=g))
    g = torch.Generator().manual_seed(4)
    out["random_noreplacement_gen4_n10_k7"] = list(RandomSampler(range(10), num_samples=7, generator=g))

    g = torch.Generator().manual_seed(1)
    idx = [3, 8, 13, 21, 34, 55]
    out["subset_indices"] = idx
    out["subset_gen1"] = [list(SubsetRandomSampler(idx, generator=g)) for _ in range(2)]

    w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
    out["weights"] = w
    g = torch.Generator().manual_seed(2)
    out["weighted_repl_gen2_k20"] = list(WeightedRandomSampler(w, 20, replacement=True, generator=g))
    g = torch.Generator().manual_seed(2)
    out["weighted_norepl_gen2_k5"] = list(WeightedRandomSampler(w, 5, replacement=False, generator=g))

    out["batch_seq10_bs3"] = list(BatchSampler(SequentialSampler(range(10)), 3, False))
    out["batch_seq10_bs3_drop"] = list(BatchSampler(SequentialSampler(range(10)), 3, True))
    out["batch_seq9_bs3_drop"] = list(BatchSampler(SequentialSampler(range(9)), 3, True))

    dist = {}
    for n, reps, shuffle, seed, drop in [(10, 3, True, 0, False), (10, 3, True, 7, True), (10, 3, False, 0, False),
                                         (10, 4, False, 0, True), (2, 5, False, 0, False), (11, 4, True, 3, False)]:
        key = f"n{n}_r{reps}_shuffle{int(shuffle)}_seed{seed}_drop{int(drop)}"
        per = {}
        for epoch in (0, 1):
            ranks = []
            for rank in range(reps):
                s = DistributedSampler(range(n), num_replicas=reps, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop)
                s.set_epoch(epoch)
                ranks.append(list(s))
            per[str(epoch)] = ranks
        dist[key] = {"n": n, "replicas": reps, "shuffle": shuffle, "seed": seed, "drop": drop, "epochs": per,
                     "len": len(DistributedSampler(range(n), num_replicas=reps, rank=0, shuffle=shuffle, seed=seed, drop_last=drop))}
    out["distributed"] = dist

    splits = {}
    parts = random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))
    splits["n10_lengths_3_7_gen42"] = [list(p.indices) for p in parts]
    parts = random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))
    splits["n30_frac_0.3_0.3_0.4_gen42"] = [list(p.indices) for p in parts]
    parts = random_split(range(11), [0.5, 0.25, 0.25], generator=torch.Generator().manual_seed(0))
    splits["n11_frac_0.5_0.25_0.25_gen0"] = [list(p.indices) for p in parts]
    torch.manual_seed(9)
    parts = random_split(range(8), [5, 3])
    splits["n8_lengths_5_3_global9"] = [list(p.indices) for p in parts]
    out["random_split"] = splits
    dump("samplers.json", out)


# ------------------------------------------------------------------ loader index lists

class Indices(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i


class IndexAndSeed(Dataset):
    def __len__(self):
        return 12

    def __getitem__(self, i):
        w = get_worker_info()
        return {"index": i, "worker": w.id, "seed": w.seed}


def batches(loader, epochs):
    return [[b.tolist() for b in loader] for _ in range(epochs)]


def loaders():
    out = {}
    out["shuffle_gen0_n10_bs4"] = batches(DataLoader(Indices(10), batch_size=4, shuffle=True,
                                                     generator=torch.Generator().manual_seed(0)), 3)
    out["shuffle_gen0_n10_bs4_drop"] = batches(DataLoader(Indices(10), batch_size=4, shuffle=True, drop_last=True,
                                                          generator=torch.Generator().manual_seed(0)), 3)
    torch.manual_seed(0)
    out["shuffle_global0_n10_bs3"] = batches(DataLoader(Indices(10), batch_size=3, shuffle=True), 2)
    out["shuffle_gen7_n10_bs3_workers2"] = batches(DataLoader(Indices(10), batch_size=3, shuffle=True, num_workers=2,
                                                              generator=torch.Generator().manual_seed(7)), 3)
    out["shuffle_gen7_n10_bs3_workers2_persistent"] = batches(
        DataLoader(Indices(10), batch_size=3, shuffle=True, num_workers=2, persistent_workers=True,
                   generator=torch.Generator().manual_seed(7)), 3)
    out["sequential_n7_bs3"] = batches(DataLoader(Indices(7), batch_size=3), 1)
    out["no_batching_shuffle_gen0_n6"] = [[int(x) for x in DataLoader(Indices(6), batch_size=None, shuffle=True,
                                                                     generator=torch.Generator().manual_seed(0))]]
    ws = WeightedRandomSampler([1, 2, 3, 4, 5, 6], 9, generator=torch.Generator().manual_seed(11))
    out["weighted_gen11_bs4"] = batches(DataLoader(Indices(6), batch_size=4, sampler=ws), 2)

    seeds = []
    loader = DataLoader(IndexAndSeed(), batch_size=4, shuffle=True, num_workers=2, generator=torch.Generator().manual_seed(3))
    for _ in range(2):
        epoch = []
        for b in loader:
            epoch.append({"index": b["index"].tolist(), "worker": b["worker"].tolist(), "seed": b["seed"].tolist()})
        seeds.append(epoch)
    out["worker_seeds_gen3_n12_bs4_workers2"] = seeds
    dump("loader.json", out)


# ------------------------------------------------------------------ collate

Point = collections.namedtuple("Point", ["x", "y"])


def collates():
    cases = {
        "ints": [0, 1, 2, 3],
        "floats": [0.5, 1.25, -2.0],
        "bools": [True, False, True],
        "strings": ["a", "b", "c"],
        "tensors": [torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) * (k + 1) for k in range(3)],
        "int_tensors0d": [torch.tensor(k, dtype=torch.int64) for k in range(4)],
        "dicts": [{"A": 0, "B": 1}, {"A": 100, "B": 100}],
        "pairs": [(torch.tensor([1.0, 2.0]), 3), (torch.tensor([4.0, 5.0]), 6)],
        "lists": [[0, 1], [2, 3]],
        "namedtuples": [Point(0, 0.5), Point(1, 1.5)],
        "nested": [{"img": torch.ones(2, 2) * k, "meta": {"id": k, "name": f"s{k}"}, "pts": [k, k * 10]} for k in range(3)],
    }
    dump("collate.json", {name: {"output": enc(default_collate(batch))} for name, batch in cases.items()})


# ------------------------------------------------------------------ transforms

def transforms():
    g = torch.Generator().manual_seed(0)
    img = torch.randint(0, 256, (3, 8, 10), dtype=torch.uint8, generator=g)
    out = {"image": {"shape": list(img.shape), "values": img.flatten().tolist()}}
    mean, std = (0.49, 0.48, 0.45), (0.25, 0.24, 0.26)
    out["mean"], out["std"] = list(mean), list(std)

    def t(x):
        return {"dtype": str(x.dtype), "shape": list(x.shape), "values": x.flatten().tolist()}

    out["to_float"] = t(T.ConvertImageDtype(torch.float32)(img))
    out["normalize"] = t(T.Normalize(mean, std)(T.ConvertImageDtype(torch.float32)(img)))
    out["hflip"] = t(F.hflip(img))
    out["vflip"] = t(F.vflip(img))
    crops = []
    for pad, mode, top, left, h, w in [(2, "constant", 0, 0, 8, 10), (2, "constant", 4, 3, 8, 10), (2, "constant", 1, 4, 6, 6),
                                       (3, "edge", 5, 2, 8, 10), (3, "reflect", 0, 6, 8, 10), (0, "constant", 1, 2, 5, 5)]:
        padded = F.pad(img, [pad], fill=0, padding_mode=mode) if pad else img
        crops.append({"padding": pad, "mode": mode, "top": top, "left": left, "h": h, "w": w,
                      "out": t(F.crop(padded, top, left, h, w))})
    out["crops"] = crops
    # pad_if_needed: a 12x13 crop of the 8x10 image pads the width by 3 on BOTH sides, the height by 4
    w_pad = F.pad(img, [13 - 10, 0], fill=7)
    hw_pad = F.pad(w_pad, [0, 12 - 8], fill=7)
    out["pad_if_needed_12x13_fill7"] = {"padded_shape": list(hw_pad.shape), "top": 2, "left": 3,
                                        "out": t(F.crop(hw_pad, 2, 3, 12, 13))}
    out["center_crops"] = [{"h": h, "w": w, "out": t(F.center_crop(img, [h, w]))}
                           for h, w in [(5, 7), (4, 4), (3, 5), (8, 10), (12, 13), (9, 3)]]
    pipeline = []
    for top, left, flip in [(0, 0, False), (4, 4, True), (8, 1, True), (3, 7, False)]:
        x = F.crop(F.pad(img, [4], fill=0), top, left, 8, 10)
        if flip:
            x = F.hflip(x)
        x = T.Normalize(mean, std)(T.ConvertImageDtype(torch.float32)(x))
        pipeline.append({"top": top, "left": left, "flip": flip, "out": t(x)})
    out["w4_pipeline"] = pipeline
    dump("transforms.json", out)


if __name__ == "__main__":
    torch.set_num_threads(1)
    samplers()
    loaders()
    collates()
    transforms()
    print("golden files written to", HERE)
