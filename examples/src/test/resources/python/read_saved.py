"""Reads the files SaveWeights wrote with PyTorch's own torch.load and prints what the Java test
compares, as one JSON object. (Plain torch.load, as the seed loads: PyTorch 1.13's weights_only=True
reader does not know the pickle opcode for a float, BINFLOAT, so it refuses any dict holding one,
whoever wrote it.)

    /usr/bin/python3 read_saved.py checkpoint.pt weights_fg1.pt weights_fg2.pt ...
"""
import json
import sys

import torch


def summary(sd):
    return {k: {"shape": list(v.shape), "sum": v.double().sum().item()} for k, v in sd.items()}


ckpt = torch.load(sys.argv[1])
opt = ckpt["optimizer"]
out = {
    "keys": list(ckpt.keys()),
    "mAP": ckpt["mAP"],
    "epoch": ckpt["epoch"],
    "args": ckpt["args"],
    "model": summary(ckpt["model"]),
    "optimizer_groups": [{k: v for k, v in g.items()} for g in opt["param_groups"]],
    "optimizer_state": {str(k): summary(v) for k, v in opt["state"].items()},
    "weights": [summary(torch.load(f)) for f in sys.argv[2:]],
}
# the weights load into the Python twin of the Java model
model = torch.nn.Sequential()
model.add_module("conv1", torch.nn.Conv2d(1, 20, 5))
model.add_module("conv2", torch.nn.Conv2d(20, 20, 5))
out["load_state_dict"] = str(model.load_state_dict(ckpt["model"]))
print(json.dumps(out))
