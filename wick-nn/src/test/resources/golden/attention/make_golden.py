"""Reference values for Wick's MultiheadAttention and TransformerEncoderLayer
(dev.wick.nn.attention), made by real PyTorch.

Run with Debian's interpreter (the one that has torch):
    /usr/bin/python3 make_golden.py
It rewrites attention.json next to this file. Each case builds the layer right after
torch.manual_seed(seed) (its state dict is the seeded initialisation), in training mode with
dropout 0 so the reference (slow, differentiable) path runs; then it runs forward on stored inputs
and backward of a stored random weighting of every output, and stores the outputs and the
gradients of the inputs and every parameter. "same_qkv" marks self-attention calls that pass one
tensor as query, key and value (PyTorch then projects it with one matmul).
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


def finish(entry, m, inputs, results):
    weights = {k: torch.randn(v.shape) for k, v in results.items()}
    total = sum((results[k] * weights[k]).sum() for k in results)
    total.backward()
    grads = {k: enc(v.grad) for k, v in inputs.items() if v.requires_grad}
    for k, p in m.named_parameters():
        grads[k] = enc(p.grad)
    entry.update({
        "inputs": {k: enc(v) for k, v in inputs.items()},
        "results": {k: enc(v) for k, v in results.items()},
        "result_weights": {k: enc(v) for k, v in weights.items()},
        "grads": grads,
    })
    cases.append(entry)


def mha_case(name, seed, E, H, L, S, N, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None,
             vdim=None, batch_first=False, same_qkv=False, unbatched=False, key_padding=False,
             attn_mask=None, need_weights=True, average=True):
    torch.manual_seed(seed)
    m = nn.MultiheadAttention(E, H, dropout=0.0, bias=bias, add_bias_kv=add_bias_kv,
                              add_zero_attn=add_zero_attn, kdim=kdim, vdim=vdim, batch_first=batch_first)
    m.train()
    state = [[k, enc(v)] for k, v in m.state_dict().items()]

    def shape(seq, feat):
        if unbatched:
            return (seq, feat)
        return (N, seq, feat) if batch_first else (seq, N, feat)

    q = torch.randn(shape(L, E)).requires_grad_(True)
    inputs = {"query": q}
    if same_qkv:
        k = v = q
    else:
        k = torch.randn(shape(S, kdim or E)).requires_grad_(True)
        v = torch.randn(shape(S, vdim or E)).requires_grad_(True)
        inputs["key"] = k
        inputs["value"] = v
    kw = {"need_weights": need_weights, "average_attn_weights": average}
    if key_padding:
        kpm = torch.zeros((S,) if unbatched else (N, S), dtype=torch.bool)
        kpm[..., -1] = True
        if not unbatched:
            kpm[0, 1] = True
        inputs["key_padding_mask"] = kpm
        kw["key_padding_mask"] = kpm
    if attn_mask == "bool_causal":
        am = torch.ones(L, S, dtype=torch.bool).triu(1)
        inputs["attn_mask"] = am
        kw["attn_mask"] = am
    elif attn_mask == "float":
        am = torch.randn(L, S)
        inputs["attn_mask"] = am
        kw["attn_mask"] = am
    elif attn_mask == "float3d":
        am = torch.randn((H if unbatched else N * H), L, S)
        inputs["attn_mask"] = am
        kw["attn_mask"] = am
    out, w = m(q, k, v, **kw)
    results = {"output": out}
    if need_weights:
        results["attn_weights"] = w
    entry = {"name": name, "kind": "mha", "seed": seed, "same_qkv": same_qkv,
             "config": {"embed_dim": E, "num_heads": H, "bias": bias, "add_bias_kv": add_bias_kv,
                        "add_zero_attn": add_zero_attn, "kdim": kdim, "vdim": vdim,
                        "batch_first": batch_first, "need_weights": need_weights, "average_attn_weights": average},
             "state_dict": state}
    finish(entry, m, inputs, results)


def tel_case(name, seed, d_model, nhead, dim_ff, activation="relu", norm_first=False, batch_first=False,
             L=4, N=3, src_mask=False, key_padding=False, eps=1e-5, unbatched=False):
    torch.manual_seed(seed)
    m = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=dim_ff, dropout=0.0, activation=activation,
                                   layer_norm_eps=eps, batch_first=batch_first, norm_first=norm_first)
    m.train()
    state = [[k, enc(v)] for k, v in m.state_dict().items()]
    if unbatched:
        src = torch.randn(L, d_model)
    else:
        src = torch.randn((N, L, d_model) if batch_first else (L, N, d_model))
    src.requires_grad_(True)
    inputs = {"src": src}
    kw = {}
    if src_mask:
        sm = torch.ones(L, L, dtype=torch.bool).triu(1)
        inputs["src_mask"] = sm
        kw["src_mask"] = sm
    if key_padding:
        kpm = torch.zeros((N, L), dtype=torch.bool)
        kpm[:, -1] = True
        inputs["src_key_padding_mask"] = kpm
        kw["src_key_padding_mask"] = kpm
    out = m(src, **kw)
    entry = {"name": name, "kind": "tel", "seed": seed,
             "config": {"d_model": d_model, "nhead": nhead, "dim_feedforward": dim_ff, "activation": activation,
                        "norm_first": norm_first, "batch_first": batch_first, "layer_norm_eps": eps},
             "state_dict": state}
    finish(entry, m, inputs, {"output": out})


mha_case("mha_self_attention", 11, 8, 2, 4, 4, 3, same_qkv=True)
mha_case("mha_cross_batch_first_masks_per_head", 12, 8, 2, 4, 5, 3, batch_first=True, key_padding=True,
         attn_mask="float", average=False)
mha_case("mha_kdim_vdim_bias_kv_zero_attn_bool_mask", 13, 8, 4, 3, 5, 2, kdim=6, vdim=5, add_bias_kv=True,
         add_zero_attn=True, attn_mask="bool_causal", key_padding=True)
mha_case("mha_unbatched_3d_mask", 14, 6, 3, 4, 3, 1, unbatched=True, attn_mask="float3d")
mha_case("mha_no_bias_no_weights", 15, 8, 2, 3, 3, 2, bias=False, need_weights=False, same_qkv=True)
tel_case("tel_post_norm_relu", 21, 8, 2, 16)
tel_case("tel_pre_norm_gelu_batch_first_masks", 22, 8, 2, 12, activation="gelu", norm_first=True,
         batch_first=True, src_mask=True, key_padding=True)
tel_case("tel_unbatched_eps", 23, 6, 3, 10, eps=1e-3, unbatched=True)

out = {"torch_version": torch.__version__, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attention.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {path}")
