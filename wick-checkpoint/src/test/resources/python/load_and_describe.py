"""Loads files with torch.load and describes them, for the Java -> Python checks.

usage: load_and_describe.py FILE...
For each FILE it writes FILE.plain.txt (torch.load) and FILE.wo.txt (torch.load(weights_only=True));
when a load fails the file holds one line "ERROR <type>: <message>". A FILE ending in
"resnet18.pt" is also loaded into torchvision's resnet18 with strict=True ("load_state_dict ok").
Prints the torch version.
"""
import sys

import torch
import torchvision

from describe_values import describe, write


def attempt(path, **kw):
    try:
        obj = torch.load(path, **kw)
    except Exception as e:  # reported to the Java test
        return None, ["ERROR %s: %s" % (type(e).__name__, str(e).replace("\n", " "))]
    return obj, describe(obj)


for f in sys.argv[1:]:
    obj, lines = attempt(f)
    if f.endswith("resnet18.pt") and obj is not None:
        model = torchvision.models.resnet18()
        model.load_state_dict(obj, strict=True)
        lines.append("load_state_dict ok")
    write(f + ".plain.txt", lines)
    write(f + ".wo.txt", attempt(f, weights_only=True)[1])
print(torch.__version__)
