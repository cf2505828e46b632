"""Reads a Wick training checkpoint the way a PyTorch user would and prints what they would see.

usage: read_training_checkpoint.py <file.pt>
Prints one 'key = value' line per fact checked by TrainingCheckpointTest.
"""
import sys

import torch

ckpt = torch.load(sys.argv[1])
print("keys =", ",".join(sorted(k for k in ckpt.keys())))
print("model_type =", type(ckpt["model"]).__name__)
net = torch.nn.Linear(3, 2)
net.load_state_dict(ckpt["model"])          # the seed's: model.load_state_dict(ckpt['model'])
print("weight_sum = %.6f" % net.weight.detach().sum().item())
print("epoch =", ckpt["epoch"])
print("global_step =", ckpt["global_step"])
print("args =", repr(ckpt["args"]))
print("mAP = %.4f" % ckpt["mAP"])
print("best_metric =", ckpt["best_metric"]["name"], "%.4f" % ckpt["best_metric"]["value"])
torch.set_rng_state(ckpt["rng_state"]["torch"])  # PyTorch accepts Wick's libtorch generator state
print("randn_after_restore = %.8f" % torch.randn(1).item())
print("grads =", ",".join(sorted(ckpt["grads"].keys())))
print("optimizer_lr =", ckpt["optimizer"]["param_groups"][0]["lr"])
