#!/usr/bin/python3
"""Generates the tiny ONNX models, manifests and images the inference tests use.

Run with Debian's interpreter (it has torch 1.13 and onnx): /usr/bin/python3 tools/testmodels/make_test_models.py
Output: tests/SkinLive.Tests/Fixtures/Inference/. Deterministic (fixed seeds), so re-running changes nothing
except where torch's exporter changes.
"""
import csv
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "SkinLive.Tests", "Fixtures", "Inference")
SIZE = 32
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
HAM = [
    ("akiec", "Actinic keratosis / intraepithelial carcinoma", "malignant"),
    ("bcc", "Basal cell carcinoma", "malignant"),
    ("bkl", "Benign keratosis", "benign"),
    ("df", "Dermatofibroma", "benign"),
    ("mel", "Melanoma", "malignant"),
    ("nv", "Melanocytic nevus", "benign"),
    ("vasc", "Vascular lesion", "benign"),
]
# One pure colour per HAM10000 class; the mean-colour model predicts the class whose colour is nearest.
CLASS_COLOURS = [(220, 40, 40), (40, 200, 60), (40, 60, 220), (230, 220, 40), (200, 40, 210), (40, 210, 210), (128, 128, 128)]


class TinyMobileNet(nn.Module):
    """Stem conv, one inverted-residual block (expand, depthwise, project), pooling and a linear head."""

    def __init__(self, classes=7):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.Hardswish())
        self.expand = nn.Sequential(nn.Conv2d(8, 16, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.depthwise = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.BatchNorm2d(16), nn.ReLU())
        self.project = nn.Sequential(nn.Conv2d(16, 8, 1), nn.BatchNorm2d(8))
        self.head = nn.Linear(8, classes)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.project(self.depthwise(self.expand(x)))
        return self.head(x.mean(dim=(2, 3)))


class FlatInput(nn.Module):
    """A rank-2 input: not an image model."""

    def forward(self, x):
        return x[:, :7] * 2.0


class NanOutput(TinyMobileNet):
    def forward(self, x):
        logits = super().forward(x)
        return logits + torch.sqrt(-1.0 - x.abs().mean())


class Slow(TinyMobileNet):
    """Same output as the tiny model plus a large matrix product (about 2 GFLOP) whose result is multiplied by 0."""

    def forward(self, x):
        v = x.reshape(1, -1)[:, :1024]
        big = v.t() @ v
        for _ in range(4):
            big = big @ big * 1e-3
        return super().forward(x) + big.mean() * 0.0


class FailsOnBrightInput(TinyMobileNet):
    """Gathers at an index computed from the input: fine for a dark tensor, out of bounds (an ORT run error) for a bright one."""

    def forward(self, x):
        index = (x.mean() * 100000.0).long().clamp(min=0).reshape(1)
        return super().forward(x) + torch.index_select(x.flatten(), 0, index) * 0.0


class MeanColour(nn.Module):
    """Logits = -distance² between the image's mean (normalized) colour and each class colour, times 10."""

    def __init__(self):
        super().__init__()
        protos = [[(c / 255.0 - MEAN[i]) / STD[i] for i, c in enumerate(rgb)] for rgb in CLASS_COLOURS]
        self.register_buffer("protos", torch.tensor(protos, dtype=torch.float32))

    def forward(self, x):
        m = x.mean(dim=(2, 3))
        d = ((m[:, None, :] - self.protos[None, :, :]) ** 2).sum(dim=2)
        return -10.0 * d


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def manifest(name, input_name="input", labels=HAM, with_sha=None):
    m = {
        "name": name,
        "version": "1",
        "input": {"name": input_name, "layout": "NCHW", "width": SIZE, "height": SIZE, "color": "RGB",
                  "scale": 1.0 / 255.0, "mean": MEAN, "std": STD, "resize": "bilinear-antialias"},
        "output": {"name": "logits", "kind": "logits"},
        "labels": [{"code": c, "name": n, "risk": r} for c, n, r in labels],
        "intended_use": "Unit tests of the SkinLive inference path only; random weights, not a classifier.",
        "training_data": "None: random initialization with a fixed seed.",
    }
    if with_sha is not None:
        m["sha256"] = sha256(with_sha)
    return m


def export(model, name, shape=(1, 3, SIZE, SIZE), input_name="input", dynamic_batch=False):
    model.eval()
    path = os.path.join(OUT, name + ".onnx")
    axes = {input_name: {0: "batch"}, "logits": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model, torch.zeros(shape), path, input_names=[input_name], output_names=["logits"],
                      opset_version=13, dynamic_axes=axes, do_constant_folding=True)
    return path


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def seeded(cls, *args):
    torch.manual_seed(7)
    model = cls(*args)
    # Non-trivial BatchNorm statistics so the fused graph is not an identity.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    return model


def main():
    os.makedirs(OUT, exist_ok=True)

    tiny = seeded(TinyMobileNet)
    p = export(tiny, "tiny")
    write_json(os.path.join(OUT, "tiny.json"), manifest("skinlive-test-tiny", with_sha=p))
    # PyTorch's logits for a fixed input pattern, so the C# runtime is checked against the framework that trained it.
    count = 3 * SIZE * SIZE
    pattern = np.array([((i * 7919) % 1000) / 500.0 - 1.0 for i in range(count)], dtype=np.float32)
    with torch.no_grad():
        logits = tiny(torch.from_numpy(pattern).reshape(1, 3, SIZE, SIZE))[0].tolist()
    write_json(os.path.join(OUT, "tiny_reference.json"), {"input": "x[i] = ((i * 7919) % 1000) / 500 - 1, NCHW [1,3,32,32]", "logits": logits})

    export(seeded(FlatInput), "wrong_rank", shape=(1, 3 * SIZE * SIZE))
    write_json(os.path.join(OUT, "wrong_rank.json"), manifest("skinlive-test-wrong-rank"))

    export(seeded(TinyMobileNet, 5), "five_outputs")
    write_json(os.path.join(OUT, "five_outputs.json"), manifest("skinlive-test-five-outputs"))

    export(seeded(NanOutput), "nan_output")
    write_json(os.path.join(OUT, "nan_output.json"), manifest("skinlive-test-nan"))

    export(seeded(Slow), "slow")
    write_json(os.path.join(OUT, "slow.json"), manifest("skinlive-test-slow"))

    export(seeded(FailsOnBrightInput), "fails_at_runtime")
    write_json(os.path.join(OUT, "fails_at_runtime.json"), manifest("skinlive-test-fails-at-runtime"))

    # Manifest inside the model (metadata_props), no sidecar. No sha256: it cannot hash itself.
    p = export(seeded(TinyMobileNet), "embedded")
    model = onnx.load(p)
    entry = model.metadata_props.add()
    entry.key = "skinlive.manifest"
    entry.value = json.dumps(manifest("skinlive-test-embedded"))
    onnx.save(model, p)

    # What plain torch.onnx.export gives: odd input name, dynamic batch, no manifest at all.
    export(seeded(TinyMobileNet), "dynamic_batch", input_name="pixel_values", dynamic_batch=True)

    p = export(MeanColour(), "mean_colour")
    write_json(os.path.join(OUT, "mean_colour.json"), manifest("skinlive-test-mean-colour", with_sha=p))

    # Still images for classify: a dark blob on skin tone, and a wide gradient.
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:48, 0:64]
    blob = np.exp(-(((xx - 30) / 12.0) ** 2 + ((yy - 22) / 9.0) ** 2))
    skin = np.array([224, 172, 140], dtype=np.float64)
    lesion = np.array([90, 50, 40], dtype=np.float64)
    img = skin[None, None, :] * (1 - blob[..., None]) + lesion[None, None, :] * blob[..., None]
    img += rng.normal(0, 6, img.shape)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(os.path.join(OUT, "lesion.png"))
    grad = np.stack([xx * 4 % 256, yy * 5 % 256, (xx + yy) * 2 % 256], axis=-1).astype(np.uint8)
    Image.fromarray(grad).save(os.path.join(OUT, "gradient.jpg"), quality=92)

    # Tiny HAM10000-layout dataset: truth is dx, the mean-colour model predicts the class of the image colour.
    # (true, predicted) pairs; the test recomputes the confusion matrix and metrics by hand.
    pairs = [("mel", "mel"), ("mel", "mel"), ("mel", "nv"), ("nv", "nv"), ("nv", "nv"), ("nv", "nv"),
             ("nv", "mel"), ("bcc", "bcc"), ("bcc", "bkl"), ("bkl", "bkl"), ("akiec", "akiec"), ("df", "df"),
             ("vasc", "vasc"), ("vasc", "nv")]
    codes = [c for c, _, _ in HAM]
    data = os.path.join(OUT, "ham_tiny")
    for sub in ("HAM10000_images_part_1", "HAM10000_images_part_2"):
        os.makedirs(os.path.join(data, sub), exist_ok=True)
    with open(os.path.join(data, "HAM10000_metadata.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lesion_id", "image_id", "dx", "dx_type", "age", "sex", "localization"])
        for i, (truth, predicted) in enumerate(pairs):
            image_id = f"ISIC_{i:07d}"
            sub = "HAM10000_images_part_1" if i % 2 == 0 else "HAM10000_images_part_2"
            colour = CLASS_COLOURS[codes.index(predicted)]
            Image.new("RGB", (40, 30), colour).save(os.path.join(data, sub, image_id + ".jpg"), quality=95)
            w.writerow([f"HAM_{i // 2:07d}", image_id, truth, "histo", 50, "male", "back"])
    print("wrote", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
