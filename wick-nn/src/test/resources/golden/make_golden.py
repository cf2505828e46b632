#!/usr/bin/env python3
"""Reference values for wick-nn's golden tests, produced by real PyTorch.

Run with Debian's interpreter (the one with torch and torchvision):
    /usr/bin/python3 wick-nn/src/test/resources/golden/make_golden.py
It writes, next to this script:
  layers.json   per layer: constructor settings, parameters, inputs, output, gradients
  init.json     seeded initialisation (layers and nn.init) and calculate_gain
  models.json   seed models, LeNet-5, MLP: parameter digests after a seed, forward/backward digests;
                ResNet-18/34/50 state-dict keys and shapes (torchvision), resnet18 init samples and outputs
  repr.json     print(module) strings
Float32 values are written as the exact doubles they convert to, so Java can compare bit for bit.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def vals(t):
    return t.detach().double().flatten().tolist() if t.dtype.is_floating_point else t.detach().flatten().tolist()


def enc(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": vals(t)}


def digest(t):
    d = t.detach().double()
    return {"shape": list(t.shape), "head": d.flatten()[:8].tolist(), "sum": d.sum().item(), "abs_sum": d.abs().sum().item()}


def gen(seed):
    return torch.Generator().manual_seed(seed)


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------------------------------------- layers
# Each case: a PyTorch module built after torch.manual_seed(seed) from `spec` (which the Java test
# reads to build the same layer), optional parameter/buffer overrides, inputs from their own generator,
# forward in train or eval mode, backward of sum(out * grad_output).

def case(name, spec, module, inputs, seed, train=True, override=None, int_inputs=False):
    return dict(name=name, spec=spec, module=module, inputs=inputs, seed=seed, train=train,
                override=override or {}, int_inputs=int_inputs)


def build_cases():
    cs = []
    g = gen(1000)
    rn = lambda *s: torch.randn(*s, generator=g)

    def add(name, spec, ctor, inputs, train=True, override=None, int_inputs=False, seed=None):
        seed = seed if seed is not None else 100 + len(cs)
        torch.manual_seed(seed)
        m = ctor()
        cs.append(case(name, spec, m, inputs, seed, train, override, int_inputs))

    add("linear", {"type": "Linear", "in": 5, "out": 3}, lambda: nn.Linear(5, 3), [rn(4, 5)])
    add("linear_nobias", {"type": "Linear", "in": 5, "out": 3, "bias": False}, lambda: nn.Linear(5, 3, bias=False), [rn(2, 3, 5)])
    add("bilinear", {"type": "Bilinear", "in1": 4, "in2": 3, "out": 2}, lambda: nn.Bilinear(4, 3, 2), [rn(5, 4), rn(5, 3)])
    add("conv1d", {"type": "Conv1d", "in": 3, "out": 4, "k": [3], "stride": [2], "padding": [1]},
        lambda: nn.Conv1d(3, 4, 3, stride=2, padding=1), [rn(2, 3, 9)])
    add("conv1d_same", {"type": "Conv1d", "in": 2, "out": 4, "k": [4], "padding": "same", "dilation": [2]},
        lambda: nn.Conv1d(2, 4, 4, padding="same", dilation=2), [rn(2, 2, 10)])
    add("conv2d", {"type": "Conv2d", "in": 3, "out": 4, "k": [3]}, lambda: nn.Conv2d(3, 4, 3), [rn(2, 3, 7, 7)])
    add("conv2d_opts", {"type": "Conv2d", "in": 4, "out": 6, "k": [3, 2], "stride": [2, 1], "padding": [1, 0], "dilation": [1, 2], "groups": 2},
        lambda: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2), [rn(2, 4, 8, 9)])
    add("conv2d_same_nobias", {"type": "Conv2d", "in": 3, "out": 4, "k": [4], "padding": "same", "bias": False},
        lambda: nn.Conv2d(3, 4, 4, padding="same", bias=False), [rn(1, 3, 6, 6)])
    add("conv2d_reflect", {"type": "Conv2d", "in": 2, "out": 3, "k": [3], "padding": [1], "padding_mode": "reflect"},
        lambda: nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), [rn(1, 2, 5, 5)])
    add("conv2d_circular_same", {"type": "Conv2d", "in": 2, "out": 2, "k": [2, 3], "padding": "same", "padding_mode": "circular"},
        lambda: nn.Conv2d(2, 2, (2, 3), padding="same", padding_mode="circular"), [rn(1, 2, 5, 6)])
    add("convtranspose2d", {"type": "ConvTranspose2d", "in": 4, "out": 2, "k": [3], "stride": [2], "padding": [1], "output_padding": [1]},
        lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1), [rn(2, 4, 5, 5)])
    add("convtranspose2d_groups", {"type": "ConvTranspose2d", "in": 4, "out": 6, "k": [2, 3], "stride": [2], "groups": 2, "dilation": [1, 2]},
        lambda: nn.ConvTranspose2d(4, 6, (2, 3), stride=2, groups=2, dilation=(1, 2)), [rn(1, 4, 3, 4)])
    add("maxpool1d", {"type": "MaxPool1d", "k": [3], "stride": [2], "padding": [1]}, lambda: nn.MaxPool1d(3, stride=2, padding=1), [rn(2, 3, 10)])
    add("maxpool2d", {"type": "MaxPool2d", "k": [2]}, lambda: nn.MaxPool2d(2), [rn(2, 3, 6, 6)])
    add("maxpool2d_opts", {"type": "MaxPool2d", "k": [3], "stride": [2], "padding": [1], "dilation": [1], "ceil_mode": True},
        lambda: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), [rn(1, 2, 8, 8)])
    add("maxpool2d_dilated", {"type": "MaxPool2d", "k": [2, 3], "stride": [1, 2], "dilation": [2, 1]},
        lambda: nn.MaxPool2d((2, 3), stride=(1, 2), dilation=(2, 1)), [rn(1, 2, 7, 9)])
    add("avgpool2d", {"type": "AvgPool2d", "k": [2]}, lambda: nn.AvgPool2d(2), [rn(2, 3, 6, 6)])
    add("avgpool2d_opts", {"type": "AvgPool2d", "k": [3], "stride": [2], "padding": [1], "ceil_mode": True, "count_include_pad": False},
        lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), [rn(1, 2, 8, 8)])
    add("avgpool2d_divisor", {"type": "AvgPool2d", "k": [2], "divisor_override": 3}, lambda: nn.AvgPool2d(2, divisor_override=3), [rn(1, 2, 4, 6)])
    add("adaptiveavgpool2d", {"type": "AdaptiveAvgPool2d", "size": [2, 3]}, lambda: nn.AdaptiveAvgPool2d((2, 3)), [rn(2, 3, 7, 8)])

    bn_aff = {"weight": torch.rand(3, generator=g) + 0.5, "bias": rn(3)}
    add("batchnorm2d_train", {"type": "BatchNorm2d", "n": 3}, lambda: nn.BatchNorm2d(3), [rn(4, 3, 5, 5) * 2 + 1], override=bn_aff)
    add("batchnorm2d_eval", {"type": "BatchNorm2d", "n": 3}, lambda: nn.BatchNorm2d(3), [rn(4, 3, 5, 5)], train=False,
        override=dict(bn_aff, running_mean=rn(3), running_var=torch.rand(3, generator=g) + 0.5, num_batches_tracked=torch.tensor(7)))
    add("batchnorm2d_cma", {"type": "BatchNorm2d", "n": 3, "momentum": None, "eps": 1e-3}, lambda: nn.BatchNorm2d(3, momentum=None, eps=1e-3),
        [rn(2, 3, 4, 4)], override=dict(bn_aff, running_mean=rn(3), running_var=torch.rand(3, generator=g) + 0.5, num_batches_tracked=torch.tensor(3)))
    add("batchnorm2d_plain", {"type": "BatchNorm2d", "n": 3, "affine": False, "track_running_stats": False},
        lambda: nn.BatchNorm2d(3, affine=False, track_running_stats=False), [rn(2, 3, 4, 4)], train=False)
    add("batchnorm1d_2d", {"type": "BatchNorm1d", "n": 4, "momentum": 0.3}, lambda: nn.BatchNorm1d(4, momentum=0.3), [rn(8, 4)],
        override={"weight": torch.rand(4, generator=g) + 0.5, "bias": rn(4)})
    add("batchnorm1d_3d", {"type": "BatchNorm1d", "n": 4}, lambda: nn.BatchNorm1d(4), [rn(3, 4, 5)])
    add("layernorm", {"type": "LayerNorm", "shape": [4, 5]}, lambda: nn.LayerNorm((4, 5)), [rn(3, 4, 5)],
        override={"weight": rn(4, 5), "bias": rn(4, 5)})
    add("layernorm_noaffine", {"type": "LayerNorm", "shape": [6], "eps": 1e-3, "affine": False},
        lambda: nn.LayerNorm(6, eps=1e-3, elementwise_affine=False), [rn(2, 3, 6)])
    add("groupnorm", {"type": "GroupNorm", "groups": 2, "channels": 6}, lambda: nn.GroupNorm(2, 6), [rn(3, 6, 4, 4)],
        override={"weight": rn(6), "bias": rn(6)})
    add("embedding", {"type": "Embedding", "num": 10, "dim": 4, "padding_idx": 2}, lambda: nn.Embedding(10, 4, padding_idx=2),
        [torch.tensor([[1, 2, 3, 2, 9], [0, 2, 4, 4, 1], [7, 7, 7, 5, 2]])], int_inputs=True)
    add("embedding_plain", {"type": "Embedding", "num": 6, "dim": 3}, lambda: nn.Embedding(6, 3),
        [torch.tensor([5, 0, 5, 3])], int_inputs=True)
    add("flatten", {"type": "Flatten"}, lambda: nn.Flatten(), [rn(2, 3, 4, 5)])
    add("flatten_range", {"type": "Flatten", "start": 0, "end": 1}, lambda: nn.Flatten(0, 1), [rn(2, 3, 4)])
    add("unflatten", {"type": "Unflatten", "dim": 1, "sizes": [2, 5]}, lambda: nn.Unflatten(1, (2, 5)), [rn(3, 10)])
    add("identity", {"type": "Identity"}, lambda: nn.Identity(), [rn(3, 4)])
    act_in = lambda: [rn(4, 6) * 3]
    add("relu", {"type": "ReLU"}, lambda: nn.ReLU(), act_in())
    add("leakyrelu", {"type": "LeakyReLU", "slope": 0.2}, lambda: nn.LeakyReLU(0.2), act_in())
    add("elu", {"type": "ELU", "alpha": 0.7}, lambda: nn.ELU(0.7), act_in())
    add("gelu", {"type": "GELU"}, lambda: nn.GELU(), act_in())
    add("gelu_tanh", {"type": "GELU", "approximate": "tanh"}, lambda: nn.GELU(approximate="tanh"), act_in())
    add("silu", {"type": "SiLU"}, lambda: nn.SiLU(), act_in())
    add("mish", {"type": "Mish"}, lambda: nn.Mish(), act_in())
    add("sigmoid", {"type": "Sigmoid"}, lambda: nn.Sigmoid(), act_in())
    add("tanh", {"type": "Tanh"}, lambda: nn.Tanh(), act_in())
    add("softmax", {"type": "Softmax", "dim": 1}, lambda: nn.Softmax(dim=1), act_in())
    add("logsoftmax", {"type": "LogSoftmax", "dim": 0}, lambda: nn.LogSoftmax(dim=0), act_in())
    add("hardswish", {"type": "Hardswish"}, lambda: nn.Hardswish(), act_in())
    add("sequential", {"type": "Sequential"}, lambda: nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 2)), [rn(3, 6)])

    out = []
    for c in cs:
        m = c["module"]
        with torch.no_grad():
            for k, v in c["override"].items():
                getattr(m, k).copy_(v) if getattr(m, k) is not None else None
        init_state = {k: enc(v) for k, v in m.state_dict().items()}
        m.train(c["train"])
        xs = [x.clone().requires_grad_(not c["int_inputs"]) for x in c["inputs"]]
        y = m(*xs)
        go = torch.randn(y.shape, generator=g)
        (y * go).sum().backward()
        out.append({
            "name": c["name"], "spec": c["spec"], "seed": c["seed"], "train": c["train"],
            "overridden": sorted(c["override"].keys()),
            "state": init_state,
            "inputs": [enc(x) for x in c["inputs"]],
            "output": enc(y), "grad_output": enc(go),
            "input_grads": [enc(x.grad) for x in xs] if not c["int_inputs"] else [],
            "param_grads": {k: enc(p.grad) for k, p in m.named_parameters() if p.grad is not None},
            "state_after": {k: enc(v) for k, v in m.state_dict().items()},
        })
    return out


# ---------------------------------------------------------------------------------------------- init

def build_init():
    res = {}
    torch.manual_seed(0)
    lin = nn.Linear(784, 512)
    res["linear_784_512_seed0"] = {"w00": lin.weight[0, 0].item(), "weight": digest(lin.weight), "bias": digest(lin.bias),
                                   "weight_row0": vals(lin.weight[0, :16]), "bias_head": vals(lin.bias[:16])}
    layers = {}
    for name, seed, ctor in [
        ("Linear(20,30)", 1, lambda: nn.Linear(20, 30)),
        ("Conv2d(3,8,3)", 2, lambda: nn.Conv2d(3, 8, 3)),
        ("Conv2d(4,6,(3,2),groups=2,bias=False)", 3, lambda: nn.Conv2d(4, 6, (3, 2), groups=2, bias=False)),
        ("ConvTranspose2d(4,6,3,groups=2)", 4, lambda: nn.ConvTranspose2d(4, 6, 3, groups=2)),
        ("Conv1d(3,5,4)", 5, lambda: nn.Conv1d(3, 5, 4)),
        ("BatchNorm2d(5)", 6, lambda: nn.BatchNorm2d(5)),
        ("Embedding(10,4)", 7, lambda: nn.Embedding(10, 4)),
        ("Embedding(10,4,padding_idx=-2)", 8, lambda: nn.Embedding(10, 4, padding_idx=-2)),
        ("Bilinear(4,3,2)", 9, lambda: nn.Bilinear(4, 3, 2)),
    ]:
        torch.manual_seed(seed)
        m = ctor()
        layers[name] = {"seed": seed, "state": {k: enc(v) for k, v in m.state_dict().items()},
                        "next_rand": torch.rand(3).double().tolist()}
    res["layers"] = layers

    fns = {}
    def rec(name, seed, shape, fn):
        torch.manual_seed(seed)
        t = torch.empty(shape)
        fn(t)
        fns[name] = {"seed": seed, "shape": list(shape), "data": vals(t)}
    rec("uniform(-0.5,2)", 11, (4, 5), lambda t: nn.init.uniform_(t, -0.5, 2.0))
    rec("normal(1,0.5)", 12, (4, 5), lambda t: nn.init.normal_(t, 1.0, 0.5))
    rec("normal(0,1)_big", 13, (3, 40), lambda t: nn.init.normal_(t))
    rec("constant(0.3)", 14, (2, 3), lambda t: nn.init.constant_(t, 0.3))
    rec("eye", 15, (3, 5), lambda t: nn.init.eye_(t))
    rec("xavier_uniform(gain=tanh)", 16, (6, 4, 3), lambda t: nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain("tanh")))
    rec("xavier_normal", 17, (5, 7), lambda t: nn.init.xavier_normal_(t))
    rec("kaiming_uniform(a=0.1,fan_out,leaky_relu)", 18, (4, 3, 2, 2), lambda t: nn.init.kaiming_uniform_(t, a=0.1, mode="fan_out", nonlinearity="leaky_relu"))
    rec("kaiming_uniform()", 19, (6, 5), lambda t: nn.init.kaiming_uniform_(t))
    rec("kaiming_normal(fan_in,relu)", 20, (4, 3, 3, 3), lambda t: nn.init.kaiming_normal_(t, mode="fan_in", nonlinearity="relu"))
    rec("kaiming_normal(fan_out,relu)", 21, (8, 4, 3, 3), lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"))
    rec("trunc_normal(0.5,1,-1,1.5)", 22, (5, 6), lambda t: nn.init.trunc_normal_(t, 0.5, 1.0, -1.0, 1.5))
    rec("orthogonal(gain=2)_wide", 23, (5, 8), lambda t: nn.init.orthogonal_(t, gain=2.0))
    rec("orthogonal_tall_4d", 24, (6, 2, 1, 2), lambda t: nn.init.orthogonal_(t))
    res["functions"] = fns

    gains = {}
    for nl, p in [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None), ("conv_transpose1d", None),
                  ("conv_transpose2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
                  ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]:
        gains[nl + ("" if p is None else "(%r)" % p)] = {"nonlinearity": nl, "param": p, "gain": nn.init.calculate_gain(nl, p)}
    res["gains"] = gains

    drop = {}
    torch.manual_seed(5)
    drop["dropout(0.3)_seed5"] = vals(F.dropout(torch.ones(4, 50), 0.3, True))
    torch.manual_seed(6)
    drop["dropout2d(0.5)_seed6"] = vals(F.dropout2d(torch.ones(2, 8, 3, 3), 0.5, True))
    res["dropout"] = drop
    return res


# ---------------------------------------------------------------------------------------------- models

class SeedModel(nn.Module):  # the seed's Model
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))


class SimpleModel(nn.Module):  # the seed's SimpleModel
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.fc = nn.Linear(320, 50)

    def forward(self, x):
        x = torch.relu(torch.max_pool2d(self.conv1(x), 2))
        x = torch.relu(torch.max_pool2d(self.conv2(x), 2))
        x = x.view(-1, 320)
        return self.fc(x)


class SimpleClassifier(nn.Module):  # benchmark W2's model
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = torch.relu(self.pool(self.conv1(x)))
        x = torch.relu(self.pool(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))


class LeNet5(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def model_case(name, ctor, seed, input_shape, input_seed):
    torch.manual_seed(seed)
    m = ctor()
    params = {k: digest(v) for k, v in m.state_dict().items()}
    x = torch.randn(*input_shape, generator=gen(input_seed))
    y = m(x)
    go = torch.randn(y.shape, generator=gen(input_seed + 1))
    (y * go).sum().backward()
    return {"seed": seed, "input_shape": list(input_shape), "input_seed": input_seed, "input": digest(x),
            "state": params, "output": enc(y) if y.numel() <= 2000 else digest(y), "grad_output_seed": input_seed + 1,
            "param_grads": {k: digest(p.grad) for k, p in m.named_parameters()}}


def build_models():
    res = {}
    res["SeedModel"] = model_case("SeedModel", SeedModel, 1, (2, 1, 12, 12), 50)
    res["SimpleModel"] = model_case("SimpleModel", SimpleModel, 2, (3, 1, 28, 28), 52)
    res["SimpleClassifier"] = model_case("SimpleClassifier", SimpleClassifier, 3, (3, 1, 28, 28), 54)
    res["LeNet5"] = model_case("LeNet5", LeNet5, 4, (3, 1, 28, 28), 56)
    res["Mlp"] = model_case("Mlp", mlp, 5, (3, 1, 28, 28), 58)

    arch = {}
    for name, ctor in [("resnet18", torchvision.models.resnet18), ("resnet34", torchvision.models.resnet34),
                       ("resnet50", torchvision.models.resnet50)]:
        m = ctor(num_classes=1000)
        arch[name] = {"keys": list(m.state_dict().keys()), "shapes": [list(v.shape) for v in m.state_dict().values()],
                      "dtypes": [str(v.dtype).replace("torch.", "") for v in m.state_dict().values()],
                      "num_parameters": sum(p.numel() for p in m.parameters()),
                      "named_parameters": [k for k, _ in m.named_parameters()]}
    res["resnet_arch"] = arch

    torch.manual_seed(0)
    r = torchvision.models.resnet18(num_classes=10)
    sd = r.state_dict()
    samples = {
        "conv1.weight[0,0,0,:]": vals(sd["conv1.weight"][0, 0, 0, :]),
        "layer1.0.conv1.weight[0,0,0,:]": vals(sd["layer1.0.conv1.weight"][0, 0, 0, :]),
        "layer2.0.downsample.0.weight[0,:8,0,0]": vals(sd["layer2.0.downsample.0.weight"][0, :8, 0, 0]),
        "layer4.1.conv2.weight[5,7,:,2]": vals(sd["layer4.1.conv2.weight"][5, 7, :, 2]),
        "fc.weight[0,:8]": vals(sd["fc.weight"][0, :8]),
        "fc.bias[:5]": vals(sd["fc.bias"][:5]),
        "layer4.1.bn2.weight[:3]": vals(sd["layer4.1.bn2.weight"][:3]),
    }
    digests = {k: digest(v) for k, v in sd.items() if v.dtype.is_floating_point}
    x = torch.randn(2, 3, 64, 64, generator=gen(77))
    r.train()
    y_train = r(x)
    go = torch.randn(y_train.shape, generator=gen(78))
    (y_train * go).sum().backward()
    grads = {k: digest(p.grad) for k, p in r.named_parameters() if k in ("conv1.weight", "layer3.1.bn1.weight", "fc.weight", "fc.bias")}
    rm = {k: digest(sd[k]) for k in ("bn1.running_mean", "bn1.running_var", "layer4.1.bn2.running_var")}
    r.eval()
    with torch.no_grad():
        y_eval = r(x)
    res["resnet18_seed0"] = {"num_classes": 10, "samples": samples, "digests": digests, "input_seed": 77, "input_shape": [2, 3, 64, 64],
                             "input": digest(x), "output_train": enc(y_train), "grad_output_seed": 78,
                             "param_grads": grads, "running_after_train_step": rm, "output_eval": enc(y_eval),
                             "num_batches_tracked": sd["bn1.num_batches_tracked"].item()}
    return res


# ---------------------------------------------------------------------------------------------- repr

def build_repr():
    r = {}
    r["SimpleModel"] = repr(SimpleModel())
    r["SimpleClassifier"] = repr(SimpleClassifier())
    r["LeNet5"] = repr(LeNet5())
    r["Mlp"] = repr(mlp())
    r["resnet18"] = repr(torchvision.models.resnet18())
    r["resnet50"] = repr(torchvision.models.resnet50())
    r["misc"] = repr(nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding="same" if False else 1, dilation=2, groups=1, bias=False, padding_mode="reflect"),
        nn.Conv1d(2, 4, 3, padding="same"), nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1, groups=2),
        nn.BatchNorm1d(4, momentum=None, affine=False), nn.LayerNorm((4, 5), eps=1e-6), nn.GroupNorm(2, 6),
        nn.Dropout(0.25), nn.Dropout2d(), nn.Embedding(10, 3, padding_idx=0), nn.Flatten(), nn.Unflatten(1, (2, 5)),
        nn.Identity(), nn.ReLU(), nn.ReLU(inplace=True), nn.LeakyReLU(), nn.ELU(alpha=0.5), nn.GELU(approximate="tanh"),
        nn.SiLU(), nn.Mish(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=-1), nn.LogSoftmax(dim=1), nn.Hardswish(),
        nn.MaxPool1d(3), nn.MaxPool2d((2, 3), stride=1), nn.AvgPool2d(3, stride=2, padding=1), nn.AdaptiveAvgPool2d(1),
        nn.Bilinear(3, 4, 5), nn.Linear(3, 4, bias=False)))
    r["ModuleList"] = repr(nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)]))
    return r


if __name__ == "__main__":
    write("layers.json", build_cases())
    write("init.json", build_init())
    write("models.json", build_models())
    write("repr.json", build_repr())
    print("wrote layers.json, init.json, models.json, repr.json to", HERE)
