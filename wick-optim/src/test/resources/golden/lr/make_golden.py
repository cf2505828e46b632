#!/usr/bin/python3
"""Golden values for dev.wick.optim.lr, from the installed PyTorch (Debian python3-torch 1.13).

Run with Debian's interpreter (the python3 first on PATH has no torch):

    /usr/bin/python3 src/test/resources/golden/lr/make_golden.py

Every case builds an optimizer with two parameter groups (lr 0.1 and 0.01; SGD momentum 0.9 / 0.8, or
Adam betas (0.9, 0.999) / (0.8, 0.99)), constructs one scheduler and records the learning rate of each
group after construction and after each of STEPS calls to step() (optimizer.step() first, as PyTorch
asks). Schedulers that cycle momentum also record each group's momentum (SGD) or betas[0] (Adam).
It writes one JSON file per case next to this script:

    {"case": ..., "torch": "1.13.0", "lr": [[g0, g1], ...], "momentum": [[g0, g1], ...] (optional),
     "state_dict": {...} (the scheduler's state_dict() after STATE_AT steps, JSON-safe), ...}

warmup_stable_decay and cosine_with_min_lr are Wick's own schedules: their reference is the small
closed-form function below, written from the definitions in their Javadoc.
"""
import json
import math
import os
import warnings

import torch
from torch.optim import SGD, Adam
from torch.optim import lr_scheduler as S

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 30
STATE_AT = 10
LRS = [0.1, 0.01]


def sgd():
    torch.manual_seed(0)
    ps = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))]
    return SGD([{"params": [ps[0]], "lr": LRS[0], "momentum": 0.9},
                {"params": [ps[1]], "lr": LRS[1], "momentum": 0.8}], lr=LRS[0])


def adam():
    ps = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))]
    return Adam([{"params": [ps[0]], "lr": LRS[0], "betas": (0.9, 0.999)},
                 {"params": [ps[1]], "lr": LRS[1], "betas": (0.8, 0.99)}], lr=LRS[0])


def momentum_of(opt):
    out = []
    for g in opt.param_groups:
        out.append(g["betas"][0] if "betas" in g else g["momentum"])
    return out


def json_safe(v):
    """A state_dict value as JSON: Counters become sorted lists (with repeats), functions are dropped."""
    if isinstance(v, dict):
        if type(v).__name__ == "Counter":
            return sorted(v.elements())
        return {str(k): json_safe(x) for k, x in v.items() if json_safe_ok(x)}
    if isinstance(v, (list, tuple)):
        return [json_safe(x) for x in v]
    return v


def json_safe_ok(x):
    return x is None or isinstance(x, (int, float, str, bool, list, tuple, dict))


def state_of(sched):
    sd = sched.state_dict()
    return {k: json_safe(v) for k, v in sd.items() if json_safe_ok(v)}


def write(name, payload):
    payload = dict(case=name, torch=torch.__version__, **payload)
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")


def run(name, make_opt, make_sched, record_momentum=False, params=None):
    """Construct, then STEPS x (optimizer.step(); scheduler.step()); record lr (and momentum)."""
    opt = make_opt()
    sched = make_sched(opt)
    lrs = [list(sched.get_last_lr())]
    moms = [momentum_of(opt)]
    state = None
    for t in range(1, STEPS + 1):
        opt.step()
        sched.step()
        lrs.append(list(sched.get_last_lr()))
        moms.append(momentum_of(opt))
        if t == STATE_AT:
            state = state_of(sched)
    payload = {"params": params or {}, "lr": lrs, "state_dict": state}
    if record_momentum:
        payload["momentum"] = moms
    write(name, payload)


# ---------------------------------------------------------------- PyTorch's schedulers

def cases():
    run("lambda_lr", sgd, lambda o: S.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1 / (1 + e)]))
    run("lambda_lr_shared", sgd, lambda o: S.LambdaLR(o, lambda e: 0.95 ** e))
    run("multiplicative_lr", sgd, lambda o: S.MultiplicativeLR(o, [lambda e: 0.95, lambda e: 1 / (1 + 0.1 * e)]))
    run("step_lr", sgd, lambda o: S.StepLR(o, step_size=7, gamma=0.5))
    run("multistep_lr", sgd, lambda o: S.MultiStepLR(o, milestones=[3, 8, 8, 20], gamma=0.3))
    run("constant_lr", sgd, lambda o: S.ConstantLR(o, factor=0.25, total_iters=6))
    run("constant_lr_default", sgd, lambda o: S.ConstantLR(o))
    run("linear_lr", sgd, lambda o: S.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=10))
    run("linear_lr_default", sgd, lambda o: S.LinearLR(o))
    run("exponential_lr", sgd, lambda o: S.ExponentialLR(o, gamma=0.9))
    run("polynomial_lr", sgd, lambda o: S.PolynomialLR(o, total_iters=20, power=2.0))
    run("polynomial_lr_sqrt", sgd, lambda o: S.PolynomialLR(o, total_iters=12, power=0.5))
    run("cosine_annealing_lr", sgd, lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001))
    run("cosine_annealing_lr_zero_min", sgd, lambda o: S.CosineAnnealingLR(o, T_max=7))
    run("cosine_warm_restarts", sgd, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4))
    run("cosine_warm_restarts_mult", sgd,
        lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.0005))
    run("cyclic_triangular", sgd,
        lambda o: S.CyclicLR(o, base_lr=[0.01, 0.001], max_lr=[0.1, 0.05], step_size_up=4, step_size_down=6),
        record_momentum=True)
    run("cyclic_triangular2", sgd,
        lambda o: S.CyclicLR(o, base_lr=0.001, max_lr=[0.1, 0.01], step_size_up=3, mode="triangular2",
                             base_momentum=[0.8, 0.7], max_momentum=[0.95, 0.9]),
        record_momentum=True)
    run("cyclic_exp_range", sgd,
        lambda o: S.CyclicLR(o, base_lr=[0.01, 0.001], max_lr=[0.1, 0.05], step_size_up=5, mode="exp_range",
                             gamma=0.9),
        record_momentum=True)
    run("cyclic_scale_fn", sgd,
        lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=3,
                             scale_fn=lambda x: 1.0 / (1.0 + 0.5 * x), scale_mode="cycle",
                             cycle_momentum=False),
        record_momentum=True)
    run("cyclic_scale_fn_iterations", sgd,
        lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4,
                             scale_fn=lambda x: 0.97 ** x, scale_mode="iterations"),
        record_momentum=True)
    run("one_cycle_cos", sgd,
        lambda o: S.OneCycleLR(o, max_lr=[0.1, 0.05], total_steps=STEPS), record_momentum=True)
    run("one_cycle_linear_three_phase_adam", adam,
        lambda o: S.OneCycleLR(o, max_lr=0.2, epochs=3, steps_per_epoch=10, anneal_strategy="linear",
                               three_phase=True, base_momentum=[0.85, 0.75], max_momentum=[0.95, 0.9]),
        record_momentum=True)
    run("one_cycle_no_momentum", sgd,
        lambda o: S.OneCycleLR(o, max_lr=0.3, total_steps=40, pct_start=0.25, div_factor=10.0,
                               final_div_factor=100.0, cycle_momentum=False), record_momentum=True)
    run("sequential_warmup_cosine", sgd,
        lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5),
                                     S.CosineAnnealingLR(o, T_max=20, eta_min=1e-4)], milestones=[5]))
    run("sequential_three", sgd,
        lambda o: S.SequentialLR(o, [S.ExponentialLR(o, gamma=0.9),
                                     S.MultiplicativeLR(o, lambda e: 0.8),
                                     S.StepLR(o, step_size=3, gamma=0.5)], milestones=[6, 15]))
    run("sequential_constant_exponential", sgd,
        lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.1, total_iters=2),
                                     S.ExponentialLR(o, gamma=0.9)], milestones=[2]))
    run("chained_constant_exponential", sgd,
        lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=3), S.ExponentialLR(o, gamma=0.9)]))
    run("chained_linear_cosine", sgd,
        lambda o: S.ChainedScheduler([S.LinearLR(o, start_factor=0.5, total_iters=4),
                                      S.CosineAnnealingLR(o, T_max=12, eta_min=0.0)]))
    run("chained_lambda_step", sgd,
        lambda o: S.ChainedScheduler([S.LambdaLR(o, lambda e: 1 / (1 + e)), S.StepLR(o, step_size=4, gamma=0.5)]))
    run("chained_sequential_exponential", sgd,
        lambda o: S.ChainedScheduler([S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=3),
                                                         S.StepLR(o, step_size=4, gamma=0.5)], milestones=[5]),
                                      S.ExponentialLR(o, gamma=0.95)]))
    run("chained_cyclic_exponential", sgd,
        lambda o: S.ChainedScheduler([S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
                                      S.ExponentialLR(o, gamma=0.95)]), record_momentum=True)


# ---------------------------------------------------------------- CosineAnnealingWarmRestarts.step(epoch)

def warm_restarts_fractional():
    """The documented per-iteration use: scheduler.step(epoch + i / iters)."""
    for name, kw in (("cosine_warm_restarts_fractional", dict(T_0=2, T_mult=1, eta_min=0.001)),
                     ("cosine_warm_restarts_fractional_mult", dict(T_0=1, T_mult=2, eta_min=0.0))):
        opt = sgd()
        sched = S.CosineAnnealingWarmRestarts(opt, **kw)
        iters = 5
        epochs, lrs = [], []
        for epoch in range(7):
            for i in range(iters):
                e = epoch + i / iters
                opt.step()
                sched.step(e)
                epochs.append(e)
                lrs.append(list(sched.get_last_lr()))
        # then three plain step() calls continue from the fractional state
        for _ in range(3):
            opt.step()
            sched.step()
            epochs.append(None)
            lrs.append(list(sched.get_last_lr()))
        write(name, {"params": kw, "epochs": epochs, "lr": lrs, "state_dict": state_of(sched)})


# ---------------------------------------------------------------- ReduceLROnPlateau

METRICS_MIN = [1.0, 0.9, 0.85, 0.85, 0.849999, 0.86, 0.84, 0.84, 0.84, 0.84, 0.83, 0.9, 0.9, 0.9, 0.9,
               0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69999, 0.7, 0.7, 0.7]
METRICS_MAX = [0.1, 0.2, 0.25, 0.3, 0.3, 0.32, 0.31, 0.33, 0.33, 0.35, 0.5, 0.55, 0.56, 0.57, 0.58,
               0.6, 0.6, 0.6, 0.6, 0.6, 0.61, 0.62, 0.63, 0.64, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75]


def plateau():
    configs = [
        ("plateau_min_rel", METRICS_MIN, dict(mode="min", factor=0.5, patience=2, threshold=1e-4,
                                             threshold_mode="rel", cooldown=1, min_lr=[0.005, 0.0009])),
        ("plateau_min_abs_default_patience", METRICS_MIN, dict(mode="min", threshold=0.01, threshold_mode="abs",
                                                               patience=3)),
        ("plateau_max_rel", METRICS_MAX, dict(mode="max", factor=0.3, patience=1, threshold=0.1,
                                             threshold_mode="rel", min_lr=0.002)),
        ("plateau_max_abs_cooldown", METRICS_MAX, dict(mode="max", factor=0.2, patience=0, threshold=0.015,
                                                      threshold_mode="abs", cooldown=3, eps=1e-3)),
    ]
    for name, metrics, kw in configs:
        opt = sgd()
        sched = S.ReduceLROnPlateau(opt, **kw)
        lrs = [[g["lr"] for g in opt.param_groups]]   # 1.13 has no _last_lr before the first step
        best, bad, cool = [], [], []
        state = None
        for t, m in enumerate(metrics, start=1):
            opt.step()
            sched.step(m)
            lrs.append(list(sched._last_lr))
            best.append(sched.best)
            bad.append(sched.num_bad_epochs)
            cool.append(sched.cooldown_counter)
            if t == STATE_AT:
                state = state_of(sched)
        write(name, {"params": kw, "metrics": metrics, "lr": lrs, "best": best, "num_bad_epochs": bad,
                     "cooldown_counter": cool, "state_dict": state})


# ---------------------------------------------------------------- Wick's own schedules

def wsd(base, t, warmup, stable, decay, start_factor, min_lr, kind):
    """Warmup-stable-decay: linear warmup from start_factor * base to base over `warmup` steps, base for
    `stable` steps, then `decay` steps from base down to min_lr (cosine or linear); min_lr afterwards."""
    if t < warmup:
        return base * (start_factor + (1.0 - start_factor) * t / warmup)
    if t < warmup + stable:
        return base
    if t >= warmup + stable + decay:
        return min_lr
    p = (t - warmup - stable) / decay
    if kind == "cosine":
        return min_lr + (base - min_lr) * 0.5 * (1.0 + math.cos(math.pi * p))
    return min_lr + (base - min_lr) * (1.0 - p)


def cosine_min(base, t, warmup, decay_iters, min_lr):
    """nanoGPT's get_lr: warmup (t + 1) / (warmup + 1), cosine from base to min_lr until decay_iters."""
    if t < warmup:
        return base * (t + 1) / (warmup + 1)
    if t > decay_iters:
        return min_lr
    ratio = (t - warmup) / (decay_iters - warmup)
    coeff = 0.5 * (1.0 + math.cos(math.pi * ratio))
    return min_lr + coeff * (base - min_lr)


def own():
    for name, kw in (("warmup_stable_decay_cosine", dict(warmup=5, stable=10, decay=10, start_factor=0.1,
                                                         min_lr=[0.001, 0.0001], kind="cosine")),
                     ("warmup_stable_decay_linear", dict(warmup=3, stable=7, decay=15, start_factor=0.0,
                                                         min_lr=[0.0, 0.0], kind="linear"))):
        lrs = [[wsd(LRS[g], t, kw["warmup"], kw["stable"], kw["decay"], kw["start_factor"], kw["min_lr"][g],
                    kw["kind"]) for g in range(2)] for t in range(STEPS + 1)]
        write(name, {"params": kw, "lr": lrs, "reference": "closed form in make_golden.py (Wick's own)"})
    for name, kw in (("cosine_with_min_lr", dict(warmup=4, decay_iters=24, min_lr=[0.001, 0.0001])),
                     ("cosine_with_min_lr_no_warmup", dict(warmup=0, decay_iters=30, min_lr=[0.0, 0.0]))):
        lrs = [[cosine_min(LRS[g], t, kw["warmup"], kw["decay_iters"], kw["min_lr"][g]) for g in range(2)]
               for t in range(STEPS + 1)]
        write(name, {"params": kw, "lr": lrs, "reference": "closed form in make_golden.py (Wick's own)"})


# ---------------------------------------------------------------- the seed: ExponentialLR per epoch

def seed_exponential_per_epoch():
    """The seed's loop: SGD(lr=0.01, momentum=0.9), ExponentialLR(gamma=0.9), scheduler.step() once per
    epoch after the epoch's optimizer steps. A tiny least-squares fit so the parameters show which lr each
    optimizer step used."""
    torch.manual_seed(0)
    x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25], [-2.0, 1.5]])
    y = torch.tensor([1.0, -2.0, 0.5, 3.0])
    w = torch.nn.Parameter(torch.tensor([0.1, -0.2]))
    opt = SGD([w], lr=0.01, momentum=0.9)
    sched = S.ExponentialLR(opt, gamma=0.9)
    epochs, iters = 5, 4
    lr_used = []
    w_after_epoch = []
    for _ in range(epochs):
        for i in range(iters):
            opt.zero_grad()
            loss = ((x[i] @ w - y[i]) ** 2)
            loss.backward()
            lr_used.append(opt.param_groups[0]["lr"])
            opt.step()
        sched.step()
        w_after_epoch.append(w.detach().tolist())
    write("seed_exponential_per_epoch", {
        "x": x.tolist(), "y": y.tolist(), "w0": [0.1, -0.2], "epochs": epochs, "iters": iters,
        "lr_used": lr_used, "w_after_epoch": w_after_epoch, "last_lr": sched.get_last_lr(),
        "state_dict": state_of(sched)})


if __name__ == "__main__":
    cases()
    warm_restarts_fractional()
    plateau()
    own()
    seed_exponential_per_epoch()
    print("wrote", len([f for f in os.listdir(HERE) if f.endswith(".json")]), "files to", HERE)
