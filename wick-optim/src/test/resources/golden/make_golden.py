#!/usr/bin/python3
"""Reference values for wick-optim's tests, made with real PyTorch.

Run with Debian's interpreter (torch 1.13):  /usr/bin/python3 make_golden.py
Writes, next to this script:
  optim_trajectories.json  20-step parameter trajectories of every optimizer and option set, and each
                           run's state_dict() after 10 steps
  grad_clip.json           clip_grad_norm_ / clip_grad_value_ results
  resnet18_shapes.json     the parameter shapes of torchvision's resnet18 (for the step benchmark)

The problem every optimizer runs on (the Java tests rebuild it from the JSON):
  three float32 parameters of shapes SHAPES, drawn from a seeded generator, with constants c (in
  [0.5, 1.5)) and d (normal) of the same shapes; at each step the gradient of parameter k is set to
  p_k * c_k + d_k (a product then a sum: two correctly rounded float32 ops, so Java computes the very
  same bits), except that parameter 2 has no gradient (None) at the steps in NO_GRAD, which exercises
  lazily created state and per-parameter step counts.
LBFGS needs a closure; its loss is a scaled Rosenbrock function of each flattened parameter x (with
w = flattened c_k):  sum((w * (1 - x))^2) + 10 * sum((x[1:] - x[:-1]^2)^2), written with
multiplications only so that the gradient is computed the same way in both languages.
"""
import json
import math
import os

import torch
import torchvision

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
SHAPES = [(3, 4), (4,), (2, 2, 3)]
STEPS = 20
SAVE_AT = 10
NO_GRAD = {2: [0, 1, 2, 7]}


def enc(v):
    """A state-dict value as JSON: tensors as {"__tensor__": dtype, "shape", "values"}."""
    if torch.is_tensor(v):
        return {"__tensor__": str(v.dtype).replace("torch.", ""), "shape": list(v.shape),
                "values": [float(x) for x in v.detach().reshape(-1).tolist()]}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {str(k): enc(x) for k, x in v.items()}
    if isinstance(v, float) and not math.isfinite(v):
        return {"__float__": str(v)}
    return v


def flat(ts):
    return [[float(x) for x in t.detach().reshape(-1).tolist()] for t in ts]


def problem(seed):
    g = torch.Generator().manual_seed(seed)
    init = [torch.randn(s, generator=g) for s in SHAPES]
    c = [torch.rand(s, generator=g) + 0.5 for s in SHAPES]
    d = [torch.randn(s, generator=g) for s in SHAPES]
    return init, c, d


def make_groups(params, groups):
    if groups is None:
        return params
    return [dict(params=[params[i] for i in idx], **opts) for idx, opts in groups]


def run_case(name, cls, kwargs, groups=None, seed=0):
    init, c, d = problem(seed)
    params = [t.clone().requires_grad_(True) for t in init]
    opt = cls(make_groups(params, groups), **kwargs)
    traj, sd10 = [], None
    for step in range(STEPS):
        for k, p in enumerate(params):
            if step in NO_GRAD.get(k, []):
                p.grad = None
            else:
                p.grad = p.detach() * c[k] + d[k]
        opt.step()
        traj.append(flat(params))
        if step + 1 == SAVE_AT:
            sd10 = enc(opt.state_dict())
    return dict(name=name, optimizer=cls.__name__, options=enc(kwargs),
                groups=None if groups is None else [dict(params=idx, options=enc(o)) for idx, o in groups],
                seed=seed, shapes=[list(s) for s in SHAPES], init=flat(init), c=flat(c), d=flat(d),
                no_grad={str(k): v for k, v in NO_GRAD.items()}, trajectory=traj, state_dict_10=sd10)


def lbfgs_loss(params, c, d):
    loss = 0
    for p, ck in zip(params, c):
        x = p.reshape(-1)
        a = (1 - x) * ck.reshape(-1)
        b = x[1:] - x[:-1] * x[:-1]
        loss = loss + (a * a).sum() + 10 * (b * b).sum()
    return loss


def run_lbfgs(name, kwargs, seed=0):
    init, c, d = problem(seed)
    params = [t.clone().requires_grad_(True) for t in init]
    opt = torch.optim.LBFGS(params, **kwargs)
    evals = [0]

    def closure():
        evals[0] += 1
        opt.zero_grad()
        loss = lbfgs_loss(params, c, d)
        loss.backward()
        return loss

    traj, losses, sd10 = [], [], None
    for step in range(STEPS):
        losses.append(float(opt.step(closure)))
        traj.append(flat(params))
        if step + 1 == SAVE_AT:
            sd10 = enc(opt.state_dict())
    return dict(name=name, optimizer="LBFGS", options=enc(kwargs), groups=None, seed=seed,
                shapes=[list(s) for s in SHAPES], init=flat(init), c=flat(c), d=flat(d), no_grad={},
                trajectory=traj, losses=losses, evaluations=evals[0], state_dict_10=sd10)


O = torch.optim
TWO = lambda a, b: [([0, 2], a), ([1], b)]  # two groups: params 0 and 2, then param 1

CASES = [
    # SGD
    ("sgd_plain", O.SGD, dict(lr=0.1), None),
    ("sgd_momentum", O.SGD, dict(lr=0.05, momentum=0.9), None),
    ("sgd_dampening", O.SGD, dict(lr=0.05, momentum=0.9, dampening=0.3), None),
    ("sgd_nesterov_wd", O.SGD, dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01), None),
    ("sgd_maximize_wd", O.SGD, dict(lr=0.02, momentum=0.5, weight_decay=0.1, maximize=True), None),
    ("sgd_two_groups", O.SGD, dict(lr=0.05, momentum=0.9),
     TWO(dict(weight_decay=0.01), dict(lr=0.2, weight_decay=0.0, momentum=0.0))),
    # Adam
    ("adam_default", O.Adam, dict(lr=0.01), None),
    ("adam_betas_eps", O.Adam, dict(lr=0.02, betas=(0.8, 0.95), eps=1e-6), None),
    ("adam_wd", O.Adam, dict(lr=0.01, weight_decay=0.1), None),
    ("adam_amsgrad", O.Adam, dict(lr=0.01, amsgrad=True), None),
    ("adam_maximize", O.Adam, dict(lr=0.01, maximize=True, weight_decay=0.05), None),
    ("adam_amsgrad_maximize", O.Adam, dict(lr=0.01, amsgrad=True, maximize=True), None),
    ("adam_two_groups", O.Adam, dict(lr=0.01),
     TWO(dict(weight_decay=0.1), dict(lr=0.001, weight_decay=0.0, amsgrad=True))),
    # AdamW
    ("adamw_default", O.AdamW, dict(lr=0.01), None),
    ("adamw_wd", O.AdamW, dict(lr=0.01, weight_decay=0.3, betas=(0.85, 0.99)), None),
    ("adamw_amsgrad", O.AdamW, dict(lr=0.01, amsgrad=True), None),
    ("adamw_maximize", O.AdamW, dict(lr=0.01, maximize=True), None),
    ("adamw_two_groups", O.AdamW, dict(lr=0.01, weight_decay=0.05),
     TWO(dict(), dict(lr=0.002, weight_decay=0.0))),
    # RMSprop
    ("rmsprop_default", O.RMSprop, dict(lr=0.01), None),
    ("rmsprop_alpha_eps", O.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-4), None),
    ("rmsprop_momentum", O.RMSprop, dict(lr=0.01, momentum=0.9), None),
    ("rmsprop_centered", O.RMSprop, dict(lr=0.01, centered=True), None),
    ("rmsprop_centered_momentum_wd", O.RMSprop, dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1), None),
    ("rmsprop_maximize", O.RMSprop, dict(lr=0.01, maximize=True, momentum=0.3), None),
    ("rmsprop_two_groups", O.RMSprop, dict(lr=0.01),
     TWO(dict(weight_decay=0.1, centered=True), dict(lr=0.003, momentum=0.9))),
    # Adagrad
    ("adagrad_default", O.Adagrad, dict(lr=0.1), None),
    ("adagrad_lr_decay", O.Adagrad, dict(lr=0.1, lr_decay=0.05), None),
    ("adagrad_init_acc_eps", O.Adagrad, dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-3), None),
    ("adagrad_wd", O.Adagrad, dict(lr=0.1, weight_decay=0.2), None),
    ("adagrad_maximize", O.Adagrad, dict(lr=0.1, maximize=True, lr_decay=0.01), None),
    # (no per-group initial_accumulator_value: PyTorch fills every sum with the constructor's value and
    # ignores a group's own, where Wick uses the group's; see Adagrad's javadoc)
    ("adagrad_two_groups", O.Adagrad, dict(lr=0.1, initial_accumulator_value=0.2),
     TWO(dict(weight_decay=0.1), dict(lr=0.02, lr_decay=0.01))),
    # Adadelta
    ("adadelta_default", O.Adadelta, dict(), None),
    ("adadelta_rho_eps_lr", O.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-4), None),
    ("adadelta_wd", O.Adadelta, dict(lr=1.0, weight_decay=0.1), None),
    ("adadelta_maximize", O.Adadelta, dict(lr=1.0, maximize=True), None),
    ("adadelta_two_groups", O.Adadelta, dict(lr=1.0),
     TWO(dict(weight_decay=0.1), dict(lr=0.3, rho=0.5))),
    # Adamax
    ("adamax_default", O.Adamax, dict(lr=0.02), None),
    ("adamax_betas_eps", O.Adamax, dict(lr=0.02, betas=(0.7, 0.9), eps=1e-4), None),
    ("adamax_wd", O.Adamax, dict(lr=0.02, weight_decay=0.1), None),
    ("adamax_maximize", O.Adamax, dict(lr=0.02, maximize=True), None),
    ("adamax_two_groups", O.Adamax, dict(lr=0.02),
     TWO(dict(weight_decay=0.1), dict(lr=0.005))),
    # NAdam
    ("nadam_default", O.NAdam, dict(lr=0.02), None),
    ("nadam_momentum_decay", O.NAdam, dict(lr=0.02, momentum_decay=0.01, betas=(0.8, 0.99)), None),
    ("nadam_wd_eps", O.NAdam, dict(lr=0.02, weight_decay=0.1, eps=1e-4), None),
    ("nadam_two_groups", O.NAdam, dict(lr=0.02),
     TWO(dict(weight_decay=0.1), dict(lr=0.005, momentum_decay=0.002))),
    # RAdam (the rectification switches on after 5 steps)
    ("radam_default", O.RAdam, dict(lr=0.02), None),
    ("radam_betas_eps", O.RAdam, dict(lr=0.02, betas=(0.8, 0.99), eps=1e-4), None),
    ("radam_wd", O.RAdam, dict(lr=0.02, weight_decay=0.1), None),
    ("radam_two_groups", O.RAdam, dict(lr=0.02),
     TWO(dict(weight_decay=0.1), dict(lr=0.005, betas=(0.5, 0.9)))),
]

LBFGS_CASES = [
    ("lbfgs_default", dict(lr=1.0, max_iter=3)),
    ("lbfgs_lr_history", dict(lr=0.5, max_iter=4, history_size=2)),
    ("lbfgs_strong_wolfe", dict(lr=1.0, max_iter=3, line_search_fn="strong_wolfe")),
    ("lbfgs_strong_wolfe_tol", dict(lr=1.0, max_iter=20, max_eval=30, history_size=3, tolerance_grad=1e-5,
                                    tolerance_change=1e-7, line_search_fn="strong_wolfe")),
]


def grad_clip_cases():
    out = []
    g = torch.Generator().manual_seed(7)
    base = [torch.randn(s, generator=g) * 3 for s in [(5, 3), (7,), (2, 3, 2)]]
    for max_norm in [1.0, 100.0]:
        for norm_type in [2.0, 1.0, 3.0, float("inf"), 0.5]:
            ps = [b.clone().requires_grad_(True) for b in base]
            for p, b in zip(ps, base):
                p.grad = b.clone()
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
            out.append(dict(kind="norm", max_norm=max_norm, norm_type=enc(norm_type), grads=flat(base),
                            shapes=[list(b.shape) for b in base], total=float(total), clipped=flat([p.grad for p in ps])))
    # non-finite gradients, error_if_nonfinite=False: the gradients are scaled anyway
    for bad in [float("nan"), float("inf")]:
        ps = [b.clone().requires_grad_(True) for b in base]
        for p, b in zip(ps, base):
            p.grad = b.clone()
        ps[1].grad[2] = bad
        grads = flat([p.grad for p in ps])
        total = torch.nn.utils.clip_grad_norm_(ps, 1.0, 2.0, error_if_nonfinite=False)
        out.append(dict(kind="norm", max_norm=1.0, norm_type=2.0, grads=[[enc(x) for x in gl] for gl in grads],
                        shapes=[list(b.shape) for b in base], total=enc(float(total)),
                        clipped=[[enc(x) for x in gl] for gl in flat([p.grad for p in ps])]))
    for clip in [0.5, 2.0]:
        ps = [b.clone().requires_grad_(True) for b in base]
        for p, b in zip(ps, base):
            p.grad = b.clone()
        torch.nn.utils.clip_grad_value_(ps, clip)
        out.append(dict(kind="value", clip_value=clip, grads=flat(base), shapes=[list(b.shape) for b in base],
                        clipped=flat([p.grad for p in ps])))
    return out


def main():
    cases = [run_case(*c) for c in CASES] + [run_lbfgs(*c) for c in LBFGS_CASES]
    meta = dict(torch=torch.__version__, steps=STEPS, save_at=SAVE_AT,
                note="made by make_golden.py with Debian's python3-torch; float32 values written exactly")
    with open(os.path.join(HERE, "optim_trajectories.json"), "w") as f:
        json.dump(dict(meta=meta, cases=cases), f, separators=(",", ":"))
    with open(os.path.join(HERE, "grad_clip.json"), "w") as f:
        json.dump(dict(meta=meta, cases=grad_clip_cases()), f, separators=(",", ":"))
    model = torchvision.models.resnet18()
    shapes = [dict(name=n, shape=list(p.shape)) for n, p in model.named_parameters()]
    with open(os.path.join(HERE, "resnet18_shapes.json"), "w") as f:
        head = dict(model="torchvision.models.resnet18()", torchvision=torchvision.__version__,
                    numel=sum(p.numel() for p in model.parameters()))
        f.write(json.dumps(head)[:-1] + ', "params": [\n')
        f.write(",\n".join("  " + json.dumps(s) for s in shapes) + "\n]}\n")
    print(f"{len(cases)} optimizer cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
