#!/usr/bin/python3
"""PyTorch's own answer for a trained model folder: the eval-preprocessed tensor and the logits per image.

As a tool it writes input.npy (N,3,224,224 float32) and logits.npy (N,7 float32) for the given images into
--out, so another runtime (the C# app's ONNX Runtime) can be checked against PyTorch on the same input.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

import data
from model import build_model


class ModelDirError(Exception):
    """A model folder without the files train.py writes; the message is one sentence for the user."""


def model_files(model_dir):
    """(onnx, manifest, weights) paths of the single model train.py wrote into MODEL_DIR."""
    model_dir = Path(model_dir)
    manifests = [p for p in sorted(model_dir.glob("*.json")) if p.name != "metrics.json"]
    if len(manifests) != 1:
        raise ModelDirError(f"{model_dir} must hold exactly one NAME.json manifest beside NAME.onnx, "
                            f"found {len(manifests)}")
    manifest = manifests[0]
    onnx_path, weights = manifest.with_suffix(".onnx"), manifest.with_suffix(".pt")
    for path in (onnx_path, weights):
        if not path.is_file():
            raise ModelDirError(f"{path} does not exist; train.py writes it beside {manifest.name}")
    return onnx_path, manifest, weights


def load_trained(model_dir):
    onnx_path, manifest_path, weights = model_files(model_dir)
    with open(manifest_path) as f:
        manifest = json.load(f)
    codes = [label["code"] for label in manifest["labels"]]
    if codes != data.CODES:
        raise ModelDirError(f"{manifest_path} labels {codes} are not {data.CODES}")
    model = build_model()
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    model.eval()
    return model, onnx_path, manifest


def torch_reference(model, image_paths):
    """(tensors N x 3 x 224 x 224, logits N x 7) as float32 numpy arrays, preprocessing as DESIGN.md §3."""
    tensors = torch.stack([data.eval_tensor(path) for path in image_paths])
    with torch.no_grad():
        logits = model(tensors)
    return tensors.numpy(), logits.numpy()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", required=True)
    p.add_argument("--out", required=True, help="folder for input.npy and logits.npy")
    p.add_argument("images", nargs="+")
    args = p.parse_args(argv)
    model, _, _ = load_trained(args.model_dir)
    tensors, logits = torch_reference(model, args.images)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "input.npy", tensors.astype(np.float32))
    np.save(out / "logits.npy", logits.astype(np.float32))
    print(f"wrote {out / 'input.npy'} {tensors.shape} and {out / 'logits.npy'} {logits.shape}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (ModelDirError, FileNotFoundError) as error:
        print(f"reference.py: {error}", file=sys.stderr)
        sys.exit(2)
