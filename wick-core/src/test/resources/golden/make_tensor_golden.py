#!/usr/bin/python3
"""Reference values for wick-core's tensor tests, computed by real PyTorch (Debian python3-torch 1.13).

Run: /usr/bin/python3 make_tensor_golden.py  (writes tensor_ops.json next to this file)
Inputs are deterministic functions of arange so the Java side rebuilds them without an RNG:
  A = arange(12).reshape(3,4) / 7 - 0.5     (float32)
  B = arange(12).reshape(4,3) / 5 - 1.0     (float32)
  I = arange(12).reshape(3,4) (int64)
"""
import json, os, torch

torch.set_num_threads(1)
A = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 7 - 0.5
B = torch.arange(12, dtype=torch.float32).reshape(4, 3) / 5 - 1.0
I = torch.arange(12).reshape(3, 4)
out = {}

def put(name, t):
    if isinstance(t, (tuple, list)):
        for k, x in enumerate(t):
            put(f"{name}.{k}", x)
        return
    t = t.detach()
    out[name] = {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
                 "values": t.reshape(-1).double().tolist() if t.dtype != torch.bool else t.reshape(-1).int().tolist()}

# creation
put("arange10", torch.arange(10))
put("arange_f", torch.arange(0.5, 3.0, 0.5))
put("linspace", torch.linspace(-1, 1, 7))
put("eye3", torch.eye(3))
put("eye2x3", torch.eye(2, 3))
put("full", torch.full((2, 2), 3.5))
torch.manual_seed(42); put("randn_seed42", torch.randn(3))
torch.manual_seed(0); put("randn_seed0_2x3", torch.randn(2, 3))
torch.manual_seed(0); put("rand_seed0", torch.rand(5))
torch.manual_seed(0); put("randint_seed0", torch.randint(0, 10, (6,)))
torch.manual_seed(0); put("randperm_seed0", torch.randperm(10))
g = torch.Generator().manual_seed(123); put("randn_gen123", torch.randn(4, generator=g)); put("randn_gen123_next", torch.randn(2, generator=g))
g = torch.Generator().manual_seed(7); put("randperm_gen7", torch.randperm(20, generator=g))
# views and shape ops
put("view", A.view(4, 3)); put("view_neg", A.view(-1, 6))
put("permute", A.reshape(3, 2, 2).permute(2, 0, 1).contiguous())
put("transpose", A.transpose(0, 1).contiguous()); put("t", A.t().contiguous())
put("flatten", A.reshape(3, 2, 2).flatten(1)); put("unflatten", A.unflatten(1, (2, 2)))
put("squeeze", A.reshape(3, 1, 4).squeeze(1)); put("unsqueeze", A.unsqueeze(0))
put("expand", torch.tensor([1., 2., 3.]).unsqueeze(1).expand(3, 4).contiguous())
put("repeat", torch.tensor([1., 2.]).repeat(2, 3))
put("cat0", torch.cat([A, A * 2], 0)); put("cat1", torch.cat([A, A * 2], 1))
put("stack", torch.stack([A, A + 1], 1))
put("split", A.split(2, 1)); put("split_sizes", A.split([1, 3], 1)); put("chunk", A.chunk(2, 0))
put("narrow", A.narrow(1, 1, 2)); put("slice", A[:, 1:4:2]); put("select", A[1]); put("get", A[2, 3])
idx = torch.tensor([2, 0])
put("index_select", A.index_select(1, idx))
gi = torch.tensor([[0, 1, 2, 3], [3, 2, 1, 0], [1, 1, 1, 1]])
put("gather", A.gather(1, gi))
put("scatter", torch.zeros(3, 4).scatter(1, torch.tensor([[1], [3], [0]]), 5.0))
put("scatter_src", torch.zeros(3, 4).scatter(1, gi, A))
put("scatter_add", torch.zeros(3, 4).scatter_add(1, torch.tensor([[0, 0, 1, 1], [2, 2, 2, 2], [3, 3, 0, 0]]), A))
mask = A > 0
put("masked_fill", A.masked_fill(mask, -1.0)); put("masked_select", A.masked_select(mask))
put("where", torch.where(mask, A, B.t())); put("where_scalar", torch.where(mask, A, torch.tensor(0.0)))
put("nonzero", mask.nonzero()); put("tril", A.tril(0)); put("triu", A.triu(1)); put("flip", A.flip(1))
put("roll", A.roll(1, 1))
# element-wise
put("add", A + B.t()); put("add_alpha", torch.add(A, B.t(), alpha=2.5)); put("add_scalar", A + 1.5)
put("sub", A - B.t()); put("mul", A * B.t()); put("div", A / (B.t() + 3)); put("mul_scalar", A * 3)
put("int_add_int", I + 2); put("int_add_float", I + 2.0); put("int_div", I / 4); put("floor_divide", I // torch.tensor(5))
put("pow", A.pow(2)); put("pow_frac", (A + 1).pow(0.5)); put("exp", A.exp()); put("log", (A + 1).log())
put("sqrt", (A + 1).sqrt()); put("rsqrt", (A + 1).rsqrt()); put("abs", A.abs()); put("neg", A.neg()); put("sign", A.sign())
put("tanh", A.tanh()); put("sigmoid", A.sigmoid()); put("relu", A.relu()); put("erf", A.erf())
put("clamp", A.clamp(-0.2, 0.3)); put("clamp_min", A.clamp(min=0.1)); put("floor", (A * 3).floor()); put("ceil", (A * 3).ceil())
put("round", (A * 3).round()); put("reciprocal", (A + 1).reciprocal()); put("square", A.square())
put("sin", A.sin()); put("cos", A.cos()); put("log1p", (A + 0.5).log1p())
put("maximum", torch.maximum(A, B.t())); put("minimum", torch.minimum(A, B.t()))
put("softmax1", A.softmax(1)); put("log_softmax1", A.log_softmax(1)); put("lerp", torch.lerp(A, B.t(), 0.3))
put("remainder", (A * 10).remainder(3))
# comparisons
put("eq", A.eq(B.t())); put("gt_scalar", A.gt(0.1)); put("le", A.le(B.t())); put("ne_scalar", I.ne(3))
put("isnan", torch.tensor([1.0, float("nan"), float("inf")]).isnan())
put("isfinite", torch.tensor([1.0, float("nan"), float("inf")]).isfinite())
# reductions
put("sum", A.sum()); put("sum_d1", A.sum(1)); put("sum_d0_keep", A.sum(0, keepdim=True)); put("sum_dims", A.reshape(3, 2, 2).sum((0, 2)))
put("mean", A.mean()); put("mean_d1", A.mean(1)); put("prod", (A + 1).prod())
put("max", A.max()); put("min", A.min()); put("max_d1", A.max(1)); put("min_d0_keep", A.min(0, keepdim=True))
put("argmax", A.argmax()); put("argmax_d1", A.argmax(1)); put("argmin_d0", A.argmin(0))
put("std", A.std()); put("std_d1", A.std(1)); put("std_d1_biased", A.std(1, unbiased=False)); put("var", A.var()); put("var_d0", A.var(0))
put("norm", A.norm()); put("norm1", A.norm(1)); put("norm_inf", A.norm(float("inf"))); put("norm_d1", A.norm(2, 1))
put("logsumexp", A.logsumexp(1)); put("cumsum", A.cumsum(1)); put("all", (A > -1).all()); put("any", (A > 10).any())
put("topk", A.topk(2, 1)); put("sort_desc", A.sort(1, descending=True)); put("argsort", A.argsort(0, descending=True))
# linear algebra
put("matmul", A @ B); put("mm", A.mm(B))
A3 = A.reshape(1, 3, 4).expand(2, 3, 4) * torch.tensor([1.0, -2.0]).view(2, 1, 1)
B3 = B.reshape(1, 4, 3).expand(2, 4, 3).contiguous()
put("bmm", A3.bmm(B3)); put("matmul_batched", A3 @ B)
put("dot", A[0].dot(B[:, 0])); put("outer", A[0].outer(B[0]))
put("einsum_ij_jk", torch.einsum("ij,jk->ik", A, B)); put("einsum_trace", torch.einsum("ii->", A[:, :3]))
put("einsum_batch", torch.einsum("bij,bjk->bik", A3, B3))
# conversion
put("to_int", (A * 10).to(torch.int64)); put("to_double", A.double()); put("to_bool", A.gt(0).to(torch.float32))
put("to_half_back", A.half().float()); put("to_bf16_back", A.bfloat16().float())
# autograd
x = A.clone().requires_grad_(True)
y = (x * x).sum() + x.exp().mean(); y.backward(); put("grad_sq_exp", x.grad)
x = A.clone().requires_grad_(True); w = B.clone().requires_grad_(True)
z = (x @ w).tanh(); z.backward(torch.ones(3, 3) * 0.5); put("grad_mm_x", x.grad); put("grad_mm_w", w.grad)
x = A.clone().requires_grad_(True); h = x * 2; h.retain_grad(); (h.relu() * h).sum().backward(); put("retain_grad_h", h.grad); put("retain_grad_x", x.grad)
x = A.clone().requires_grad_(True); y = (x ** 3).sum()
(gx,) = torch.autograd.grad(y, x, create_graph=True); put("autograd_grad", gx)
(ggx,) = torch.autograd.grad(gx.sum(), x); put("autograd_grad2", ggx)
x = A.clone().requires_grad_(True); s = x.softmax(1); (s * torch.arange(4.)).sum().backward(); put("grad_softmax", x.grad)
x = A.clone().requires_grad_(True); (x.sum(1) * torch.tensor([1., 2., 3.])).sum().backward(); put("grad_sum_dim", x.grad)
x = A.clone().requires_grad_(True); x.max(1)[0].sum().backward(); put("grad_max_dim", x.grad)
x = A.clone().requires_grad_(True); x.norm().backward(); put("grad_norm", x.grad)
# printing
strs = {
    "str_randn42": str(torch.manual_seed(42) and torch.randn(3)),
    "str_arange": str(torch.arange(10).view(2, 5)),
    "str_A": str(A),
    "str_int_like": str(torch.tensor([1.0, 2.0, 3.0])),
    "str_scalar": str(torch.tensor(0.7)),
    "str_bool": str(A > 0),
    "str_double": str(A.double()[0]),
    "str_big": str(torch.arange(2000.)),
    "str_sci": str(torch.tensor([1e-5, 1.0, 1e5])),
    "str_grad": str(torch.tensor([1.0, 2.0]).requires_grad_(True)),
    "str_3d": str(torch.arange(8).view(2, 2, 2)),
    "str_empty": str(torch.zeros(0)),
    "str_grad_fn": str((torch.tensor([1.0, 2.0]).requires_grad_(True) * 2).sum()),
    "str_int_sci": str(torch.tensor([1.0, 5000.0])),
}
out["__strings__"] = strs
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor_ops.json")
with open(path, "w") as f:
    json.dump(out, f, indent=0, sort_keys=True)
print("wrote", path, len(out), "entries")
