"""A safetensors reader and writer written from the format's specification, with plain torch.

The `safetensors` package is not installed here, so the Java tests cross-check Wick against this
independent implementation of the spec: 8-byte little-endian header length N, N bytes of JSON
({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}), then the data.

Descriptions list tensors sorted by name.
usage: safetensors_spec.py write OUT   writes OUT and OUT.txt (describe_values of the tensors)
       safetensors_spec.py read IN     checks IN against the spec, writes IN.read.txt and IN.header.json;
                                       also checks the reference writer's alignment (every
                                       tensor starts at a multiple of its element size)
"""
import json
import struct
import sys

import torch

from describe_values import describe, write

CODES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
         torch.int8: "I8", torch.uint8: "U8", torch.int16: "I16", torch.int32: "I32",
         torch.int64: "I64", torch.bool: "BOOL"}
DTYPES = {v: k for k, v in CODES.items()}


def raw(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_file(path):
    g = torch.Generator().manual_seed(3)
    tensors = {
        "z.weight": torch.randn(3, 2, generator=g),
        "a.bias": torch.randn(5, generator=g).double(),
        "half": torch.randn(3, generator=g).half(),
        "brain": torch.randn(2, 2, generator=g).bfloat16(),
        "flags": torch.tensor([True, False, False]),
        "bytes": torch.tensor([[1, 2], [3, 255]], dtype=torch.uint8),
        "ints": torch.tensor([-1, 2 ** 40], dtype=torch.int64),
        "scalar": torch.tensor(7, dtype=torch.int32),
        "empty": torch.zeros(0, 4),
    }
    # Deliberately not the reference writer's order: readers must sort by offsets themselves.
    header, blobs, offset = {"__metadata__": {"format": "pt", "note": "caf\u00e9"}}, [], 0
    for name in sorted(tensors, reverse=True):
        b = raw(tensors[name])
        header[name] = {"dtype": CODES[tensors[name].dtype], "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    write(path + ".txt", describe(dict(sorted(tensors.items()))))


def read_file(path, aligned):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header runs past the end"
    text = data[8:8 + n].decode("utf-8")
    if aligned:
        assert n % 8 == 0, "header length %d is not a multiple of 8" % n
    assert text.startswith("{")
    header = json.loads(text)
    meta = header.pop("__metadata__", None)
    entries = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"])
    pos, tensors = 0, {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        assert begin == pos, "gap or overlap before %s" % name
        dtype = DTYPES[info["dtype"]]
        size = torch.empty((), dtype=dtype).element_size()
        numel = 1
        for d in info["shape"]:
            numel *= d
        assert end - begin == numel * size, "size of %s" % name
        if aligned:
            assert (8 + n + begin) % size == 0, "%s is not aligned" % name
        buf = bytearray(data[8 + n + begin:8 + n + end])
        t = torch.frombuffer(buf, dtype=dtype) if buf else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"])
        pos = end
    assert 8 + n + pos == len(data), "trailing bytes"
    write(path + ".read.txt", describe(dict(sorted(tensors.items()))))
    with open(path + ".header.json", "w", encoding="utf-8") as f:
        json.dump({"order": [k for k, _ in json.loads(text).items()], "metadata": meta}, f)


if sys.argv[1] == "write":
    write_file(sys.argv[2])
    read_file(sys.argv[2], aligned=False)  # the spec reader accepts the spec writer's file
else:
    read_file(sys.argv[2], aligned=True)
