#!/usr/bin/python3
"""Loads a Wick-written state dict into torchvision's resnet18 strictly and prints max |diff| of the
outputs on the saved input. usage: check_wick_resnet18.py STATE_DICT IO_FILE"""
import sys, torch, torchvision
sd = torch.load(sys.argv[1])
io = torch.load(sys.argv[2])
m = torchvision.models.resnet18(num_classes=10)
m.load_state_dict(sd, strict=True)
m.eval()
with torch.no_grad():
    y = m(io["x"])
print((y - io["y"]).abs().max().item())
