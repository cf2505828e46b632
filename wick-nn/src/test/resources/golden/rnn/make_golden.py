"""Reference values for Wick's LSTM and GRU (dev.wick.nn.rnn), made by real PyTorch.

Run with Debian's interpreter (the one that has torch):
    /usr/bin/python3 make_golden.py
It rewrites rnn.json next to this file. Each case builds the layer right after
torch.manual_seed(seed), so its state dict is the seeded initialisation Wick must reproduce bit for
bit; then it runs forward on stored inputs and backward of
    (output * g_out).sum() + (h_n * g_h).sum() [+ (c_n * g_c).sum()]
with stored random weightings, and stores the outputs and the gradients of the inputs, the initial
state (when given) and every parameter.
"""
import json
import os

import torch
import torch.nn as nn


def enc(t):
    t = t.detach()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
            "data": t.reshape(-1).tolist()}


cases = []


def case(name, kind, seed, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
         bidirectional=False, seq=3, batch=2, unbatched=False, with_state=False):
    torch.manual_seed(seed)
    cls = nn.LSTM if kind == "lstm" else nn.GRU
    m = cls(input_size, hidden_size, num_layers=num_layers, bias=bias, batch_first=batch_first,
            bidirectional=bidirectional)
    state = [[k, enc(v)] for k, v in m.state_dict().items()]
    d = 2 if bidirectional else 1
    if unbatched:
        x = torch.randn(seq, input_size)
        hshape = (num_layers * d, hidden_size)
    else:
        x = torch.randn(batch, seq, input_size) if batch_first else torch.randn(seq, batch, input_size)
        hshape = (num_layers * d, batch, hidden_size)
    x.requires_grad_(True)
    inputs = {"input": x}
    if with_state:
        h0 = torch.randn(hshape).requires_grad_(True)
        inputs["h0"] = h0
        if kind == "lstm":
            c0 = torch.randn(hshape).requires_grad_(True)
            inputs["c0"] = c0
            out, (hn, cn) = m(x, (h0, c0))
        else:
            out, hn = m(x, h0)
    else:
        out, hn_ = m(x)
        if kind == "lstm":
            hn, cn = hn_
        else:
            hn = hn_
    results = {"output": out, "h_n": hn}
    if kind == "lstm":
        results["c_n"] = cn
    weights = {k: torch.randn(v.shape) for k, v in results.items()}
    total = sum((results[k] * weights[k]).sum() for k in results)
    total.backward()
    grads = {k: enc(v.grad) for k, v in inputs.items()}
    for k, p in m.named_parameters():
        grads[k] = enc(p.grad)
    cases.append({
        "name": name, "kind": kind, "seed": seed,
        "config": {"input_size": input_size, "hidden_size": hidden_size, "num_layers": num_layers,
                   "bias": bias, "batch_first": batch_first, "bidirectional": bidirectional},
        "state_dict": state,
        "inputs": {k: enc(v) for k, v in inputs.items()},
        "results": {k: enc(v) for k, v in results.items()},
        "result_weights": {k: enc(v) for k, v in weights.items()},
        "grads": grads,
    })


case("lstm_one_layer", "lstm", 1, 5, 4)
case("lstm_two_layers_bidirectional_batch_first_state", "lstm", 2, 5, 4, num_layers=2,
     batch_first=True, bidirectional=True, with_state=True)
case("lstm_no_bias_two_layers", "lstm", 3, 3, 6, num_layers=2, bias=False, seq=4)
case("lstm_unbatched_state", "lstm", 4, 5, 4, unbatched=True, with_state=True)
case("gru_one_layer", "gru", 5, 5, 4)
case("gru_two_layers_bidirectional_batch_first_state", "gru", 6, 5, 4, num_layers=2,
     batch_first=True, bidirectional=True, with_state=True)
case("gru_unbatched_bidirectional", "gru", 7, 3, 5, bidirectional=True, unbatched=True)

out = {"torch_version": torch.__version__, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {path}")
