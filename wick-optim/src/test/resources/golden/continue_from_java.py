#!/usr/bin/python3
"""Cross-language check, run by dev.wick.optim.CrossLanguageTest (Debian's /usr/bin/python3, torch 1.13).

    /usr/bin/python3 continue_from_java.py IN.json OUT.json

IN.json holds, for golden cases of make_golden.py, the parameters and the optimizer state_dict() Wick
had after 10 steps (tensors encoded as make_golden.enc does). For each case this script builds the
same PyTorch optimizer on those parameters, loads Wick's state dict with load_state_dict(), runs the
remaining 10 steps of the golden problem and writes the parameter trajectory to OUT.json.
"""
import json
import os
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402

torch.set_num_threads(1)


def dec(v):
    if isinstance(v, dict):
        if "__tensor__" in v:
            t = torch.tensor(v["values"], dtype=torch.float64).to(getattr(torch, v["__tensor__"]))
            return t.reshape(v["shape"])
        if "__float__" in v:
            return float(v["__float__"])
        return {k: dec(x) for k, x in v.items()}
    if isinstance(v, list):
        return [dec(x) for x in v]
    return v


def main(src, dst):
    with open(src) as f:
        cases = json.load(f)["cases"]
    by_name = {c[0]: c for c in mg.CASES}
    lbfgs = dict(mg.LBFGS_CASES)
    out = {}
    for c in cases:
        name = c["name"]
        _, cvals, dvals = mg.problem(c.get("seed", 0))
        params = [dec(p).clone().requires_grad_(True) for p in c["params"]]
        sd = dec(c["state_dict"])
        sd["state"] = {int(k): v for k, v in sd["state"].items()}
        if name in lbfgs:
            opt = torch.optim.LBFGS(params, **lbfgs[name])
        else:
            _, cls, kwargs, groups = by_name[name]
            opt = cls(mg.make_groups(params, groups), **kwargs)
        opt.load_state_dict(sd)
        traj = []
        for step in range(mg.SAVE_AT, mg.STEPS):
            if name in lbfgs:
                def closure():
                    opt.zero_grad()
                    loss = mg.lbfgs_loss(params, cvals, dvals)
                    loss.backward()
                    return loss
                opt.step(closure)
            else:
                for k, p in enumerate(params):
                    p.grad = None if step in mg.NO_GRAD.get(k, []) else p.detach() * cvals[k] + dvals[k]
                opt.step()
            traj.append(mg.flat(params))
        out[name] = traj
    with open(dst, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
