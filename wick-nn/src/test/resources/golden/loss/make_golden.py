"""Reference values for Wick's losses (dev.wick.nn.loss), made by real PyTorch.

Run with Debian's interpreter (the one that has torch):
    /usr/bin/python3 make_golden.py
It rewrites losses.json next to this file. Each case stores its inputs, the options, the loss and
the gradients of every float input that requires grad. A loss with reduction 'none' is reduced for
backward with a stored random weighting ``grad_output`` (backward of ``(loss * grad_output).sum()``).
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20240601)


def enc(t):
    t = t.detach()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
            "data": t.reshape(-1).tolist()}


cases = []


def case(name, loss, fn, tensors, grad_names, options):
    """fn(**tensors) -> loss; tensors named in grad_names get requires_grad."""
    leaves = {}
    for k, v in tensors.items():
        v = v.detach().clone()
        if k in grad_names:
            v.requires_grad_(True)
        leaves[k] = v
    out = fn(**leaves)
    entry = {"name": name, "loss": loss, "options": options,
             "inputs": {k: enc(v) for k, v in leaves.items()}, "output": enc(out)}
    if out.dim() == 0:
        total = out
    else:
        g = torch.randn(out.shape)
        entry["grad_output"] = enc(g)
        total = (out * g).sum()
    total.backward()
    entry["grads"] = {k: enc(leaves[k].grad) for k in grad_names}
    cases.append(entry)


N, C = 4, 5
R = {"none": "none", "mean": "mean", "sum": "sum", "batchmean": "batchmean"}

# ---------------------------------------------------------------- cross entropy
x = torch.randn(N, C)
t = torch.tensor([1, 0, 4, 2])
case("ce_basic", "cross_entropy", lambda input, target: F.cross_entropy(input, target),
     {"input": x, "target": t}, ["input"], {})
w = torch.rand(C) + 0.5
t_ign = torch.tensor([1, 3, 1, 2])
case("ce_weight_ignore_smoothing", "cross_entropy",
     lambda input, target, weight: F.cross_entropy(input, target, weight=weight, ignore_index=1, label_smoothing=0.1),
     {"input": x, "target": t_ign, "weight": w}, ["input"],
     {"ignore_index": 1, "label_smoothing": 0.1, "weight": True})
case("ce_sum", "cross_entropy", lambda input, target: F.cross_entropy(input, target, reduction="sum"),
     {"input": x, "target": t}, ["input"], {"reduction": "sum"})
case("ce_none_weight", "cross_entropy",
     lambda input, target, weight: F.cross_entropy(input, target, weight=weight, reduction="none"),
     {"input": x, "target": t, "weight": w}, ["input"], {"reduction": "none", "weight": True})
probs = torch.softmax(torch.randn(N, C), 1)
case("ce_probs_weight_smoothing", "cross_entropy",
     lambda input, target, weight: F.cross_entropy(input, target, weight=weight, label_smoothing=0.2),
     {"input": x, "target": probs, "weight": w}, ["input", "target"],
     {"label_smoothing": 0.2, "weight": True})
case("ce_probs_none", "cross_entropy", lambda input, target: F.cross_entropy(input, target, reduction="none"),
     {"input": x, "target": probs}, ["input"], {"reduction": "none"})
x3 = torch.randn(2, C, 3)
t3 = torch.tensor([[0, 4, -100], [2, -100, 3]])
case("ce_nd_ignore_default", "cross_entropy", lambda input, target: F.cross_entropy(input, target),
     {"input": x3, "target": t3}, ["input"], {})
case("ce_unbatched", "cross_entropy", lambda input, target: F.cross_entropy(input, target, label_smoothing=0.05),
     {"input": torch.randn(C), "target": torch.tensor(3)}, ["input"], {"label_smoothing": 0.05})

# ---------------------------------------------------------------- nll
lp = torch.log_softmax(torch.randn(N, C), 1)
case("nll_basic", "nll_loss", lambda input, target: F.nll_loss(input, target),
     {"input": lp, "target": t}, ["input"], {})
case("nll_weight_ignore_sum", "nll_loss",
     lambda input, target, weight: F.nll_loss(input, target, weight=weight, ignore_index=1, reduction="sum"),
     {"input": lp, "target": t_ign, "weight": w}, ["input"], {"ignore_index": 1, "weight": True, "reduction": "sum"})
case("nll_weight_mean", "nll_loss",
     lambda input, target, weight: F.nll_loss(input, target, weight=weight),
     {"input": lp, "target": t, "weight": w}, ["input"], {"weight": True})
case("nll_nd_none", "nll_loss", lambda input, target: F.nll_loss(input, target, reduction="none"),
     {"input": torch.log_softmax(x3, 1), "target": t3}, ["input"], {"reduction": "none"})

# ---------------------------------------------------------------- regression
a = torch.randn(N, 3)
b = torch.randn(N, 3)
for red in ["mean", "sum", "none"]:
    case("mse_" + red, "mse_loss", lambda input, target, red=red: F.mse_loss(input, target, reduction=red),
         {"input": a, "target": b}, ["input", "target"], {"reduction": red})
    case("l1_" + red, "l1_loss", lambda input, target, red=red: F.l1_loss(input, target, reduction=red),
         {"input": a, "target": b}, ["input", "target"], {"reduction": red})
case("smooth_l1_default", "smooth_l1_loss", lambda input, target: F.smooth_l1_loss(input, target),
     {"input": a, "target": b}, ["input", "target"], {})
case("smooth_l1_beta05_none", "smooth_l1_loss",
     lambda input, target: F.smooth_l1_loss(input, target, beta=0.5, reduction="none"),
     {"input": a, "target": b}, ["input", "target"], {"beta": 0.5, "reduction": "none"})
case("smooth_l1_beta0_sum", "smooth_l1_loss",
     lambda input, target: F.smooth_l1_loss(input, target, beta=0.0, reduction="sum"),
     {"input": a, "target": b}, ["input", "target"], {"beta": 0.0, "reduction": "sum"})
case("huber_default", "huber_loss", lambda input, target: F.huber_loss(input, target),
     {"input": a, "target": b}, ["input", "target"], {})
case("huber_delta07_none", "huber_loss", lambda input, target: F.huber_loss(input, target, delta=0.7, reduction="none"),
     {"input": a, "target": b}, ["input", "target"], {"delta": 0.7, "reduction": "none"})

# ---------------------------------------------------------------- binary
p = torch.rand(N, C) * 0.9 + 0.05
y = torch.rand(N, C)
wb = torch.rand(C) + 0.5
case("bce_mean", "binary_cross_entropy", lambda input, target: F.binary_cross_entropy(input, target),
     {"input": p, "target": y}, ["input"], {})
case("bce_weight_sum", "binary_cross_entropy",
     lambda input, target, weight: F.binary_cross_entropy(input, target, weight=weight, reduction="sum"),
     {"input": p, "target": y, "weight": wb}, ["input"], {"weight": True, "reduction": "sum"})
case("bce_none", "binary_cross_entropy", lambda input, target: F.binary_cross_entropy(input, target, reduction="none"),
     {"input": p, "target": y}, ["input"], {"reduction": "none"})
logits = torch.randn(N, C) * 2
pw = torch.rand(C) * 3 + 0.2
case("bce_logits_mean", "binary_cross_entropy_with_logits",
     lambda input, target: F.binary_cross_entropy_with_logits(input, target),
     {"input": logits, "target": y}, ["input", "target"], {})
case("bce_logits_pos_weight_weight", "binary_cross_entropy_with_logits",
     lambda input, target, weight, pos_weight: F.binary_cross_entropy_with_logits(input, target, weight=weight, pos_weight=pos_weight),
     {"input": logits, "target": y, "weight": wb, "pos_weight": pw}, ["input"], {"weight": True, "pos_weight": True})
case("bce_logits_pos_weight_none", "binary_cross_entropy_with_logits",
     lambda input, target, pos_weight: F.binary_cross_entropy_with_logits(input, target, pos_weight=pos_weight, reduction="none"),
     {"input": logits, "target": y, "pos_weight": pw}, ["input"], {"pos_weight": True, "reduction": "none"})

# ---------------------------------------------------------------- KL divergence
klin = torch.log_softmax(torch.randn(N, C), 1)
kltg = torch.softmax(torch.randn(N, C), 1)
case("kl_batchmean", "kl_div", lambda input, target: F.kl_div(input, target, reduction="batchmean"),
     {"input": klin, "target": kltg}, ["input", "target"], {"reduction": "batchmean"})
case("kl_mean", "kl_div", lambda input, target: F.kl_div(input, target, reduction="mean"),
     {"input": klin, "target": kltg}, ["input", "target"], {"reduction": "mean"})
case("kl_log_target_sum", "kl_div", lambda input, target: F.kl_div(input, target, reduction="sum", log_target=True),
     {"input": klin, "target": kltg.log()}, ["input", "target"], {"reduction": "sum", "log_target": True})
case("kl_none", "kl_div", lambda input, target: F.kl_div(input, target, reduction="none"),
     {"input": klin, "target": kltg}, ["input", "target"], {"reduction": "none"})

# ---------------------------------------------------------------- pairs
u = torch.randn(N, 6)
v = torch.randn(N, 6)
s = torch.tensor([1.0, -1.0, -1.0, 1.0])
case("cosine_margin_mean", "cosine_embedding_loss",
     lambda input1, input2, target: F.cosine_embedding_loss(input1, input2, target, margin=0.2),
     {"input1": u, "input2": v, "target": s}, ["input1", "input2"], {"margin": 0.2})
case("cosine_none", "cosine_embedding_loss",
     lambda input1, input2, target: F.cosine_embedding_loss(input1, input2, target, margin=-0.3, reduction="none"),
     {"input1": u, "input2": v, "target": s}, ["input1", "input2"], {"margin": -0.3, "reduction": "none"})
case("cosine_unbatched", "cosine_embedding_loss",
     lambda input1, input2, target: F.cosine_embedding_loss(input1, input2, target),
     {"input1": torch.randn(6), "input2": torch.randn(6), "target": torch.tensor(-1.0)}, ["input1", "input2"], {})
r1 = torch.randn(6)
r2 = torch.randn(6)
rt = torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
case("ranking_margin_mean", "margin_ranking_loss",
     lambda input1, input2, target: F.margin_ranking_loss(input1, input2, target, margin=0.3),
     {"input1": r1, "input2": r2, "target": rt}, ["input1", "input2"], {"margin": 0.3})
case("ranking_none", "margin_ranking_loss",
     lambda input1, input2, target: F.margin_ranking_loss(input1, input2, target, reduction="none"),
     {"input1": r1, "input2": r2, "target": rt}, ["input1", "input2"], {"reduction": "none"})
case("ranking_sum", "margin_ranking_loss",
     lambda input1, input2, target: F.margin_ranking_loss(input1, input2, target, margin=0.1, reduction="sum"),
     {"input1": r1, "input2": r2, "target": rt}, ["input1", "input2"], {"margin": 0.1, "reduction": "sum"})

out = {"torch_version": torch.__version__, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {path}")
