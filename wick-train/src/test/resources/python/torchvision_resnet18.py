#!/usr/bin/python3
"""Writes a real torchvision resnet18 state dict (torch.save of model.state_dict(), an OrderedDict with
_metadata), a fixed input and torchvision's eval-mode output, for TorchvisionInteropTest.
usage: torchvision_resnet18.py OUT_DIR"""
import sys, os, torch, torchvision
out = sys.argv[1]
torch.manual_seed(0)
m = torchvision.models.resnet18(num_classes=10)
# make the BN running stats non-trivial so eval mode exercises them
m.train()
with torch.no_grad():
    for _ in range(2):
        m(torch.randn(4, 3, 32, 32))
m.eval()
torch.save(m.state_dict(), os.path.join(out, "resnet18.pt"))
x = torch.linspace(-1, 1, 2 * 3 * 32 * 32).reshape(2, 3, 32, 32)
with torch.no_grad():
    y = m(x)
torch.save({"x": x, "y": y}, os.path.join(out, "io.pt"))
