"""Reference values for wick-distributed, from real PyTorch (Debian's python3-torch 1.13, Gloo on 127.0.0.1).

Run with Debian's interpreter:  /usr/bin/python3 make_golden.py
Writes ddp_golden.json next to this file.

Two ranks train Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 3)) wrapped in
DistributedDataParallel (default options: broadcast_buffers=True), SGD(lr=0.1, momentum=0.9), for 4
optimizer steps of 2 micro-batches each (the first inside no_sync(), loss / 2), each rank on its own data.
Rank 1 starts from other weights than rank 0, so DDP's broadcast at construction matters; the
BatchNorm buffers show broadcast_buffers' schedule (rank 0's buffers are copied at the start of a forward
that follows a synchronized one).
"""
import json
import os
import socket
import tempfile
from contextlib import nullcontext

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F

STEPS, MICRO, BATCH, IN, HIDDEN, OUT = 4, 2, 5, 4, 8, 3


def build(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(IN, HIDDEN), torch.nn.BatchNorm1d(HIDDEN), torch.nn.ReLU(),
                               torch.nn.Linear(HIDDEN, OUT))


def data():
    g = torch.Generator().manual_seed(42)
    x = torch.randn(2, STEPS, MICRO, BATCH, IN, generator=g)
    y = torch.randint(0, OUT, (2, STEPS, MICRO, BATCH), generator=g)
    return x, y


def state(module):
    return {k: {"shape": list(v.shape), "values": v.detach().reshape(-1).tolist()} for k, v in module.state_dict().items()}


def worker(rank, port, out_dir):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    torch.set_num_threads(1)
    model = build(seed=rank)                       # rank 1 differs on purpose
    ddp = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    x, y = data()
    losses = []
    for s in range(STEPS):
        for m in range(MICRO):
            ctx = ddp.no_sync() if m < MICRO - 1 else nullcontext()
            with ctx:
                loss = F.cross_entropy(ddp(x[rank, s, m]), y[rank, s, m]) / MICRO
                loss.backward()
            losses.append(loss.item())
        opt.step()
        opt.zero_grad()
    with open(os.path.join(out_dir, f"rank{rank}.json"), "w") as f:
        json.dump({"final": state(model), "losses": losses}, f)
    dist.destroy_process_group()


def main():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        mp.spawn(worker, args=(port, tmp), nprocs=2, join=True)
        ranks = [json.load(open(os.path.join(tmp, f"rank{r}.json"))) for r in range(2)]
    x, y = data()
    golden = {
        "torch_version": torch.__version__,
        "config": {"steps": STEPS, "micro": MICRO, "batch": BATCH, "in": IN, "hidden": HIDDEN, "out": OUT,
                   "lr": 0.1, "momentum": 0.9},
        "init_rank0": state(build(seed=0)),
        "x": {"shape": list(x.shape), "values": x.reshape(-1).tolist()},
        "y": {"shape": list(y.shape), "values": y.reshape(-1).tolist()},
        "final": [r["final"] for r in ranks],
        "losses": [r["losses"] for r in ranks],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ddp_golden.json")
    with open(path, "w") as f:
        json.dump(golden, f)
    print("wrote", path)


if __name__ == "__main__":
    main()
