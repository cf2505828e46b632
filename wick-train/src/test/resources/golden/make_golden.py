"""Reference values for wick-train's metrics, computed with PyTorch (Debian's python3-torch 1.13).

Run from this folder with /usr/bin/python3:  python3 make_golden.py   (writes metrics.json)

sklearn is not installed, so precision/recall/F1 are computed here from the confusion matrix with
sklearn's documented definitions (average='macro', zero_division=0; the macro mean runs over the
labels present in y_true or y_pred).
"""
import json

import torch


def confusion(pred, target, c):
    return torch.bincount(target * c + pred, minlength=c * c).view(c, c)   # [true][pred]


def macro(cm):
    tp = cm.diag().double()
    predicted = cm.sum(0).double()
    actual = cm.sum(1).double()
    present = (predicted + actual) > 0
    prec = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
    rec = torch.where(actual > 0, tp / actual.clamp(min=1), torch.zeros_like(tp))
    f1 = torch.where(predicted + actual > 0, 2 * tp / (predicted + actual).clamp(min=1), torch.zeros_like(tp))
    return [prec[present].mean().item(), rec[present].mean().item(), f1[present].mean().item()]


def case(name, g, batches, b, c, absent=None):
    logits, targets = [], []
    for _ in range(batches):
        x = torch.randn(b, c, generator=g)
        y = torch.randint(0, c, (b,), generator=g)
        if absent is not None:                       # a class nobody predicts nor has
            x[:, absent] = -1e4
            y[y == absent] = (absent + 1) % c
        logits.append(x)
        targets.append(y)
    allx = torch.cat(logits)
    ally = torch.cat(targets)
    pred = allx.argmax(1)
    cm = confusion(pred, ally, c)
    top2 = (allx.topk(2, 1).indices == ally.unsqueeze(1)).any(1).double().mean().item()
    p, r, f = macro(cm)
    return {
        "name": name, "classes": c,
        "logits": [t.tolist() for t in logits], "targets": [t.tolist() for t in targets],
        "acc": (pred == ally).double().mean().item(), "top2_acc": top2,
        "confusion_matrix": cm.tolist(), "precision": p, "recall": r, "f1": f,
    }


def regression(g):
    outs = [torch.randn(6, 3, generator=g) for _ in range(3)]
    tgts = [torch.randn(6, 3, generator=g) for _ in range(3)]
    o = torch.cat(outs).double()
    t = torch.cat(tgts).double()
    return {
        "outputs": [x.tolist() for x in outs], "targets": [x.tolist() for x in tgts],
        "mae": torch.nn.functional.l1_loss(o, t).item(), "mse": torch.nn.functional.mse_loss(o, t).item(),
    }


g = torch.Generator().manual_seed(2024)
out = {
    "classification": [case("five_classes", g, 3, 20, 5), case("absent_class", g, 2, 16, 4, absent=2),
                       case("binary", g, 2, 10, 2)],
    "regression": regression(g),
    "torch_version": torch.__version__,
}
with open("metrics.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote metrics.json")
