"""Writes checkpoints with real PyTorch for the Java tests, each with its description.

usage: make_fixtures.py OUT_DIR
For every NAME it writes OUT_DIR/NAME.pt (torch.save) and OUT_DIR/NAME.txt (describe_values;
NAME.layout.txt adds strides and storage offsets).
It also writes hostile files (evil_*.pt) whose unpickling would run code: a safe loader must refuse
them; if one ever ran, it would create OUT_DIR/PWNED.
"""
import collections
import math
import os
import sys

import torch
import torchvision

from describe_values import describe, write

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, obj, layout=False, **kw):
    torch.save(obj, os.path.join(out, name + ".pt"), **kw)
    write(os.path.join(out, name + ".txt"), describe(obj))
    if layout:  # also strides and storage offsets
        write(os.path.join(out, name + ".layout.txt"), describe(obj, layout=True))


# A torchvision ResNet-18 state dict: an OrderedDict with _metadata, float32 weights, int64 counters.
torch.manual_seed(0)
resnet = torchvision.models.resnet18()
save("resnet18", resnet.state_dict())

# A small model trained 3 Adam steps: its state dict and the optimizer's.
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.randn(8, 4), torch.randn(8, 2)
for _ in range(3):
    opt.zero_grad()
    torch.nn.functional.mse_loss(model(x), y).backward()
    opt.step()
save("adam", opt.state_dict())
save("checkpoint", {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
                    "args": {"lr": 0.1, "name": "x", "layers": [1, 2]}, "mAP": 0.5})

# Views sharing one storage.
v = torch.arange(10.)
save("views", {"a": v, "b": v[2:5], "c": v.view(2, 5).t()}, layout=True)

# One tensor per dtype, plus 0-d, empty and non-contiguous ones.
g = torch.Generator().manual_seed(1)
dt = collections.OrderedDict()
dt["f32"] = torch.randn(2, 3, generator=g)
dt["f64"] = torch.randn(3, dtype=torch.float64, generator=g)
dt["f16"] = torch.randn(4, generator=g).half()
dt["bf16"] = torch.randn(4, generator=g).bfloat16()
dt["i8"] = torch.tensor([-128, -1, 0, 127], dtype=torch.int8)
dt["u8"] = torch.tensor([0, 1, 200, 255], dtype=torch.uint8)
dt["i16"] = torch.tensor([-32768, 7, 32767], dtype=torch.int16)
dt["i32"] = torch.tensor([-2 ** 31, 5, 2 ** 31 - 1], dtype=torch.int32)
dt["i64"] = torch.tensor([-2 ** 63, 9, 2 ** 63 - 1], dtype=torch.int64)
dt["bool"] = torch.tensor([True, False, True])
dt["scalar"] = torch.tensor(3.5)
dt["empty"] = torch.zeros(0, 3)
dt["transposed"] = torch.randn(3, 4, generator=g).t()
dt["special"] = torch.tensor([math.inf, -math.inf, math.nan, -0.0, 5e-324])
save("dtypes", dt, layout=True)

# Plain Python values.
od = collections.OrderedDict([("z", 1), ("a", 2)])
save("misc", {
    "ints": [0, 255, 256, 65535, 65536, -1, -2 ** 31, 2 ** 31, 2 ** 40, -2 ** 63, 2 ** 63 - 1, 2 ** 70, -2 ** 70],
    "floats": [0.5, -0.0, 1e300, math.inf, -math.inf, 0.1],
    "nan": math.nan,
    "strs": ["", "x", "héllo wörld", "\u4e2d\u6587", "\U0001F600", "tab\tnew\nline", "q\"b\\"],
    "bools": [True, False],
    "none": None,
    "tuple": (1, "two", 3.0, None, (4,)),
    "empty": [(), [], {}],
    "bytes": b"\x00\xff\x80abc",
    "empty_bytes": b"",
    "od": od,
    "int_keys": {0: "a", 1: "b", -7: "c"},
    "size": torch.Size([2, 3]),
    "dtype": torch.float16,
    "device": torch.device("cpu"),
    "long_list": list(range(2500)),
    "shared": [od, od],
})

# A parameter (pickled with torch._utils._rebuild_parameter, requires_grad=True).
torch.manual_seed(2)
save("parameter", {"p": torch.nn.Parameter(torch.randn(3)), "frozen": torch.nn.Parameter(torch.ones(2), requires_grad=False)})

# Protocol 4 (STACK_GLOBAL, SHORT_BINUNICODE, MEMOIZE, FRAME).
save("proto4", {"w": torch.arange(6).view(2, 3), "s": "x" * 10, "n": 2 ** 40}, pickle_protocol=4)


# Hostile files: unpickling any of them with plain pickle would create PWNED.
marker = os.path.join(out, "PWNED")


class EvilSystem:
    def __reduce__(self):
        return os.system, ("touch " + marker,)


class EvilEval:
    def __reduce__(self):
        return eval, ("open(%r, 'w').close()" % marker,)


class Point:  # an unknown class, pickled by NEWOBJ + BUILD
    def __init__(self):
        self.x = 1


torch.save({"w": torch.ones(2), "evil": EvilSystem()}, os.path.join(out, "evil_system.pt"))
torch.save({"evil": EvilEval()}, os.path.join(out, "evil_eval.pt"))
torch.save({"p": Point()}, os.path.join(out, "evil_class.pt"))
torch.save([EvilSystem()], os.path.join(out, "evil_proto4.pt"), pickle_protocol=4)
print("fixtures written to", out)
