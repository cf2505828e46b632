"""Canonical one-line-per-value description of a loaded checkpoint.

The Java tests build the same description from the values Wick reads or writes
(dev.wick.checkpoint.Describe) and compare the two line by line. Tensors are
described by dtype, shape, requires_grad and the SHA-256 of their contiguous
little-endian bytes; floats by their IEEE-754 bits, so comparisons are exact.
"""
import collections
import hashlib
import json
import struct

import torch

DTYPES = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
    torch.bfloat16: "bfloat16", torch.int8: "int8", torch.uint8: "uint8",
    torch.int16: "int16", torch.int32: "int32", torch.int64: "int64", torch.bool: "bool",
}


def raw_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)  # numpy has no bfloat16; same bytes
    return t.numpy().tobytes()


def key_text(k):
    if isinstance(k, str):
        return json.dumps(k)
    if isinstance(k, bool) or k is None:
        return "b:" + str(k)
    if isinstance(k, int):
        return str(k)
    raise TypeError("unsupported key %r" % (k,))


def describe(obj, layout=False):
    lines = []

    def rec(path, o):
        if isinstance(o, torch.Tensor):
            t = o.detach()
            line = "%s\ttensor\t%s\t%s\trg=%s\tsha256=%s" % (
                path, DTYPES[t.dtype], list(t.shape), o.requires_grad,
                hashlib.sha256(raw_bytes(t)).hexdigest())
            if layout:
                line += "\tstride=%s\toffset=%d" % (list(t.stride()), t.storage_offset())
            lines.append(line)
        elif isinstance(o, torch.Size):
            rec(path, tuple(o))
        elif isinstance(o, torch.device):
            rec(path, str(o))
        elif isinstance(o, torch.dtype):
            lines.append("%s\tdtype\t%s" % (path, DTYPES[o]))
        elif isinstance(o, collections.OrderedDict):
            lines.append("%s\todict\t%d" % (path, len(o)))
            for k, v in o.items():
                rec("%s[%s]" % (path, key_text(k)), v)
            for k, v in vars(o).items():
                rec("%s.@%s" % (path, k), v)
        elif isinstance(o, dict):
            lines.append("%s\tdict\t%d" % (path, len(o)))
            for k, v in o.items():
                rec("%s[%s]" % (path, key_text(k)), v)
        elif isinstance(o, list):
            lines.append("%s\tlist\t%d" % (path, len(o)))
            for i, v in enumerate(o):
                rec("%s[%d]" % (path, i), v)
        elif isinstance(o, tuple):
            lines.append("%s\ttuple\t%d" % (path, len(o)))
            for i, v in enumerate(o):
                rec("%s(%d)" % (path, i), v)
        elif isinstance(o, bool):
            lines.append("%s\tbool\t%s" % (path, o))
        elif isinstance(o, int):
            lines.append("%s\tint\t%d" % (path, o))
        elif isinstance(o, float):
            lines.append("%s\tfloat\t%s" % (path, struct.pack(">d", o).hex()))
        elif isinstance(o, str):
            lines.append("%s\tstr\t%s" % (path, json.dumps(o)))
        elif isinstance(o, bytes):
            lines.append("%s\tbytes\t%s" % (path, o.hex()))
        elif o is None:
            lines.append("%s\tNone" % path)
        else:
            raise TypeError("cannot describe %s at %s" % (type(o), path))

    rec("$", obj)
    return lines


def write(path, lines):
    with open(path, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
