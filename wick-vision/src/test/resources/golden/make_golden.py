#!/usr/bin/python3
"""Reference values for wick-vision's tests, from torchvision 0.14 / PyTorch 1.13 / Pillow.

Run with Debian's interpreter (the one with torch):  /usr/bin/python3 make_golden.py
It writes, next to itself:
  fashion_mnist.json  what torchvision's IDX reader decodes from Debian's Fashion-MNIST files
  transforms.json     resize, center crop, brightness/contrast, normalize, and the random
                      parameters of RandomResizedCrop / ColorJitter after torch.manual_seed
  images.json         what torchvision's pil_loader + to_tensor make of the PNG/JPEG files in images/
  images/*.png|jpg    small images written by Pillow (committed with the JSON)
  image_folder.json   torchvision's ImageFolder classes and sample order for a tricky folder layout
"""
import gzip
import json
import os
import shutil
import tempfile

import numpy as np
import torch
import torchvision
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image
from torchvision.datasets.folder import default_loader
from torchvision.datasets.mnist import read_image_file, read_label_file

HERE = os.path.dirname(os.path.abspath(__file__))
FMNIST = "/usr/share/datasets/fashion-mnist"


def flat(t):
    return t.flatten().tolist()


def tensor_json(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": flat(t)}


def fashion_mnist():
    out = {"torch": torch.__version__, "torchvision": torchvision.__version__}
    tmp = tempfile.mkdtemp()
    try:
        for split, prefix in (("train", "train"), ("test", "t10k")):
            paths = {}
            for kind, idx in (("images", "idx3"), ("labels", "idx1")):
                name = f"{prefix}-{kind}-{idx}-ubyte"
                with gzip.open(os.path.join(FMNIST, name + ".gz"), "rb") as src, open(os.path.join(tmp, name), "wb") as dst:
                    shutil.copyfileobj(src, dst)
                paths[kind] = os.path.join(tmp, name)
            images = read_image_file(paths["images"])   # uint8 [N, 28, 28]
            labels = read_label_file(paths["labels"])   # int64 [N]
            n = images.shape[0]
            x = images.double() / 255.0
            out[split] = {
                "n": n,
                "shape": list(images.shape),
                "first_labels": labels[:20].tolist(),
                "last_label": int(labels[-1]),
                "label_counts": torch.bincount(labels, minlength=10).tolist(),
                "pixel_sum": int(images.long().sum()),
                "image_sums": {str(i): int(images[i].long().sum()) for i in (0, 1, 2, 1234, n - 1)},
                "image0": flat(images[0]),
                "mean": float(x.mean()),
                "std": float(x.std()),
            }
    finally:
        shutil.rmtree(tmp)
    return out


def transforms():
    g = torch.Generator().manual_seed(0)
    img_f = torch.rand(3, 7, 9, generator=g)                                   # float32 [3, 7, 9]
    img_u8 = torch.randint(0, 256, (3, 7, 9), generator=g, dtype=torch.uint8)  # uint8 [3, 7, 9]
    gray_f = torch.rand(1, 6, 5, generator=g)                                  # float32 [1, 6, 5]
    out = {"inputs": {"img_f": tensor_json(img_f), "img_u8": tensor_json(img_u8), "gray_f": tensor_json(gray_f)}}

    resize = []
    for inp, size, max_size, interp in (
        ("img_f", [4, 5], None, "bilinear"),
        ("img_f", [11, 13], None, "bilinear"),
        ("img_f", [7, 9], None, "bilinear"),
        ("img_f", [5], None, "bilinear"),
        ("img_f", [12], 15, "bilinear"),
        ("img_u8", [4, 6], None, "bilinear"),
        ("img_u8", [10, 14], None, "bilinear"),
        ("gray_f", [3, 8], None, "bilinear"),
        ("img_f", [4, 13], None, "nearest"),
        ("img_u8", [10, 5], None, "nearest"),
        ("img_f", [10, 6], None, "bicubic"),
        ("img_u8", [5, 12], None, "bicubic"),
    ):
        mode = T.InterpolationMode(interp)
        x = {"img_f": img_f, "img_u8": img_u8, "gray_f": gray_f}[inp]
        y = F.resize(x, size, interpolation=mode, max_size=max_size)
        case = {"input": inp, "size": size, "max_size": max_size, "interpolation": interp, "out": tensor_json(y)}
        if x.dtype == torch.uint8:
            # the float values before torchvision rounds them: where one lies within float noise of
            # k + 0.5, a kernel differing in the last bit legitimately rounds the other way
            case["unrounded"] = tensor_json(F.resize(x.float(), size, interpolation=mode, max_size=max_size))
        resize.append(case)
    out["resize"] = resize

    center = []
    for inp, size in (("img_f", [3, 4]), ("img_f", [4, 4]), ("img_f", [6, 8]), ("img_u8", [9, 12]), ("img_f", [10, 5]), ("gray_f", [2, 3])):
        x = {"img_f": img_f, "img_u8": img_u8, "gray_f": gray_f}[inp]
        center.append({"input": inp, "size": size, "out": tensor_json(F.center_crop(x, size))})
    out["center_crop"] = center

    bright, contrast = [], []
    for inp, f in (("img_f", 0.5), ("img_f", 1.7), ("img_u8", 1.3), ("img_u8", 0.45), ("gray_f", 2.0)):
        x = {"img_f": img_f, "img_u8": img_u8, "gray_f": gray_f}[inp]
        bright.append({"input": inp, "factor": f, "out": tensor_json(F.adjust_brightness(x, f))})
    for inp, f in (("img_f", 0.3), ("img_f", 1.8), ("img_u8", 0.6), ("img_u8", 1.5), ("gray_f", 0.7)):
        x = {"img_f": img_f, "img_u8": img_u8, "gray_f": gray_f}[inp]
        contrast.append({"input": inp, "factor": f, "out": tensor_json(F.adjust_contrast(x, f))})
    out["brightness"], out["contrast"] = bright, contrast
    out["grayscale_u8"] = tensor_json(F.rgb_to_grayscale(img_u8))
    out["grayscale_f"] = tensor_json(F.rgb_to_grayscale(img_f))

    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    out["normalize"] = {"mean": mean, "std": std, "out": tensor_json(F.normalize(img_f.clone(), mean, std))}

    # ToTensor of a PIL image of img_u8 equals img_u8 / 255
    pil = Image.fromarray(img_u8.permute(1, 2, 0).numpy(), "RGB")
    out["to_tensor"] = tensor_json(F.to_tensor(pil))

    # random parameters, drawn from torch's default generator after manual_seed(seed)
    rrc = []
    for h, w, scale, ratio in (
        (7, 9, (0.08, 1.0), (3 / 4, 4 / 3)),
        (32, 32, (0.08, 1.0), (3 / 4, 4 / 3)),
        (40, 25, (0.5, 0.9), (0.5, 2.0)),
        (4, 60, (0.9, 1.0), (3 / 4, 4 / 3)),   # too wide: every attempt fails, centre fallback
        (60, 4, (0.9, 1.0), (3 / 4, 4 / 3)),   # too tall
        (10, 10, (1.5, 2.0), (1.0, 1.0)),      # area larger than the image: fallback to the whole image
    ):
        for seed in (0, 1, 7):
            torch.manual_seed(seed)
            params = [list(T.RandomResizedCrop.get_params(torch.empty(1, h, w), list(scale), list(ratio))) for _ in range(4)]
            rrc.append({"height": h, "width": w, "scale": list(scale), "ratio": list(ratio), "seed": seed, "params": params})
    out["random_resized_crop_params"] = rrc
    rrc_out = []
    for seed in (3, 4):
        torch.manual_seed(seed)
        y = T.RandomResizedCrop((5, 6), scale=(0.3, 1.0))(img_f)
        rrc_out.append({"seed": seed, "size": [5, 6], "scale": [0.3, 1.0], "ratio": [3 / 4, 4 / 3], "out": tensor_json(y)})
    out["random_resized_crop"] = rrc_out

    cj = []
    for seed in (0, 1, 2, 5):
        torch.manual_seed(seed)
        t = T.ColorJitter(brightness=0.4, contrast=0.4)
        draws = []
        for _ in range(3):
            fn_idx, b, c, s, hh = T.ColorJitter.get_params(t.brightness, t.contrast, t.saturation, t.hue)
            draws.append({"order": fn_idx.tolist(), "brightness": b, "contrast": c})
        torch.manual_seed(seed)
        y_f = t(img_f)
        y_u8 = t(img_u8)
        cj.append({"seed": seed, "brightness": 0.4, "contrast": 0.4, "draws": draws, "out_f": tensor_json(y_f), "out_u8": tensor_json(y_u8)})
    out["color_jitter"] = cj
    return out


def images():
    folder = os.path.join(HERE, "images")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    h, w = 5, 7
    rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    alpha = rng.integers(0, 256, (h, w), dtype=np.uint8)
    gray = rng.integers(0, 256, (h, w), dtype=np.uint8)
    files = {
        "rgb.png": Image.fromarray(rgb, "RGB"),
        "rgba.png": Image.fromarray(np.dstack([rgb, alpha]), "RGBA"),
        "gray.png": Image.fromarray(gray, "L"),
        "gray_alpha.png": Image.fromarray(np.dstack([gray, alpha]), "LA"),
        "palette.png": Image.fromarray(rgb, "RGB").quantize(colors=6),
    }
    smooth = np.zeros((16, 24, 3), dtype=np.uint8)        # a smooth gradient: JPEG decoders agree closely on it
    smooth[..., 0] = np.linspace(30, 220, 24)[None, :]
    smooth[..., 1] = np.linspace(200, 40, 16)[:, None]
    smooth[..., 2] = 128
    out = {}
    for name, im in files.items():
        im.save(os.path.join(folder, name))
    Image.fromarray(smooth, "RGB").save(os.path.join(folder, "smooth.jpg"), quality=95)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        raw = Image.open(path)
        t = (F.to_tensor(default_loader(path)) * 255).round().to(torch.uint8)   # what ImageFolder's loader + ToTensor give, x255
        out[name] = {"mode": raw.mode, "rgb": tensor_json(t)}
    return out


# A class-per-folder layout with the cases where ordering and filtering could go wrong: upper-case
# class names sort before lower-case, a hidden folder is a class, nested folders, "a-b" sorts
# before "a/..." (the walk is sorted by folder path as a string), extensions match ignoring case,
# other files are skipped, and a non-ASCII name.
FOLDER_LAYOUT = [
    "cat/b.png", "cat/a.PNG", "cat/c.txt", "cat/sub/z.jpg", "cat/sub/a.png", "cat/sub-b/a.png",
    "cat/Sub/m.jpeg", "Dog/x.bmp", "Dog/readme.md", "Dog/é.png", "Dog/e.png", "Dog/f.png",
    ".hidden/h.png", "bird/nest/deep/1.tif", "bird/0.png", "bird/10.png", "bird/9.png",
]


def image_folder():
    tmp = tempfile.mkdtemp()
    try:
        for rel in FOLDER_LAYOUT:
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "wb").close()
        ds = torchvision.datasets.ImageFolder(tmp, loader=lambda p: p)
        return {
            "layout": FOLDER_LAYOUT,
            "classes": ds.classes,
            "class_to_idx": ds.class_to_idx,
            "samples": [[os.path.relpath(p, tmp), c] for p, c in ds.samples],
        }
    finally:
        shutil.rmtree(tmp)


def main():
    for name, fn in (("fashion_mnist.json", fashion_mnist), ("transforms.json", transforms), ("images.json", images),
                     ("image_folder.json", image_folder)):
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(fn(), f)
        print("wrote", name)


if __name__ == "__main__":
    main()
