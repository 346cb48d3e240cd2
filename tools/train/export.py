"""ONNX export, its verification, and the model manifest (DESIGN.md §4)."""

import hashlib
import json

import onnx
import torch

from data import IMAGE_SIZE, LABELS, MEAN, STD

INPUT_NAME = "input"
OUTPUT_NAME = "logits"
OPSET = 13


def export_onnx(model, path):
    model.eval()
    dummy = torch.zeros(1, 3, IMAGE_SIZE, IMAGE_SIZE)
    torch.onnx.export(
        model, dummy, str(path),
        input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
        opset_version=OPSET, do_constant_folding=True)


def verify_onnx(path, label_count):
    """onnx.checker plus the contract the app relies on; raises ValueError with one sentence on a mismatch."""
    onnx.checker.check_model(str(path), full_check=True)
    model = onnx.load(str(path))
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if opset < OPSET:
        raise ValueError(f"{path} has opset {opset}, below {OPSET}")
    inputs = [i for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    if [i.name for i in inputs] != [INPUT_NAME] or [o.name for o in model.graph.output] != [OUTPUT_NAME]:
        raise ValueError(f"{path} must have exactly one input '{INPUT_NAME}' and one output '{OUTPUT_NAME}'")
    input_dims = inputs[0].type.tensor_type.shape.dim
    output_dims = model.graph.output[0].type.tensor_type.shape.dim
    if not input_dims[0].dim_param or not output_dims[0].dim_param:
        raise ValueError(f"{path} has a fixed batch axis; it must be dynamic")
    if [d.dim_value for d in input_dims[1:]] != [3, IMAGE_SIZE, IMAGE_SIZE]:
        raise ValueError(f"{path} input is not N x 3 x {IMAGE_SIZE} x {IMAGE_SIZE}")
    if output_dims[1].dim_value != label_count:
        raise ValueError(f"{path} has {output_dims[1].dim_value} outputs for {label_count} labels")
    return {"opset": opset, "batch_axis": input_dims[0].dim_param}


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(name, version, onnx_path, intended_use, training_data, training, metrics):
    return {
        "name": name,
        "version": version,
        "input": {"name": INPUT_NAME, "layout": "NCHW", "width": IMAGE_SIZE, "height": IMAGE_SIZE,
                  "color": "RGB", "scale": 1.0 / 255.0, "mean": MEAN, "std": STD,
                  "resize": "bilinear-antialias"},
        "output": {"name": OUTPUT_NAME, "kind": "logits"},
        "labels": LABELS,
        "sha256": sha256_of(onnx_path),
        "intended_use": intended_use,
        "training_data": training_data,
        "training": training,
        "metrics": {
            "held_out_balanced_accuracy": metrics["balanced_accuracy"],
            "per_class_sensitivity": {code: m["sensitivity"] for code, m in metrics["per_class"].items()},
            "n_test_images": metrics["n_test_images"],
        },
    }


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
