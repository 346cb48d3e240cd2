#!/usr/bin/python3
"""Parity of the C# app with PyTorch: same tensor, same probabilities, same top-1, for a few images.

For each image it runs `APP classify IMG --json --dump-tensor T.npy --model M.onnx` and compares
  - the dumped tensor with PyTorch's eval preprocessing (max abs difference <= --tensor-tolerance, 0.02),
  - the app's probabilities with softmax(PyTorch logits) (max abs difference <= --prob-tolerance, 0.01),
  - the top-1 code.
Prints one line per image and a verdict; exit 0 when all pass, 1 when any fails, 2 on bad input.

The JSON the app prints is read by parse_classify_json() alone; adjust that one function if the shape changes.
"""

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import data
from reference import ModelDirError, load_trained, torch_reference

DEFAULT_APP = "dotnet run -c Release --project src/SkinLive.App --"


class ParityError(Exception):
    """The app did not give an answer that can be compared; the message is one sentence."""


def parse_classify_json(text):
    """(probabilities by code, top-1 code) from the app's `classify --json` output for one image.

    Shape: {"model": {...}, "results": [{"image": path, "top_class": c, "probability": p,
            "probabilities": {"akiec": p, ..., "vasc": p}, ...}]}
    """
    document = json.loads(text)
    result = document["results"][0]
    probabilities = {code: float(result["probabilities"][code]) for code in data.CODES}
    return probabilities, result["top_class"]


def softmax(logits):
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def run_app(app, image, onnx_path, tensor_path):
    command = app + ["classify", str(image), "--json", "--dump-tensor", str(tensor_path), "--model", str(onnx_path)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        last_line = (completed.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise ParityError(f"`{shlex.join(command)}` exited {completed.returncode}: {last_line}")
    try:
        probabilities, top = parse_classify_json(completed.stdout)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ParityError(f"the classify JSON for {image} is not in the expected shape ({error!r})") from error
    if not tensor_path.is_file():
        raise ParityError(f"classify did not write the tensor {tensor_path}")
    return probabilities, top, np.load(tensor_path).astype(np.float32)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", required=True, help="folder written by train.py (NAME.onnx/.json/.pt)")
    p.add_argument("--app", default=DEFAULT_APP, help=f"command that runs skinlive (default: {DEFAULT_APP!r})")
    p.add_argument("--tensor-tolerance", type=float, default=0.02)
    p.add_argument("--prob-tolerance", type=float, default=0.01)
    p.add_argument("images", nargs="+")
    args = p.parse_args(argv)
    model, onnx_path, _ = load_trained(args.model_dir)
    app = shlex.split(args.app)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="skinlive-parity-") as scratch:
        for index, image in enumerate(args.images):
            expected_tensor, logits = torch_reference(model, [image])
            expected = softmax(logits[0].astype(np.float64))
            probabilities, top, tensor = run_app(app, image, onnx_path, Path(scratch) / f"{index}.npy")
            if tensor.size != expected_tensor.size:
                raise ParityError(f"the dumped tensor for {image} has shape {tensor.shape}, "
                                  f"expected {expected_tensor.shape[1:]}")
            tensor_diff = float(np.abs(tensor.reshape(expected_tensor.shape) - expected_tensor).max())
            prob_diff = max(abs(probabilities[c] - expected[i]) for i, c in enumerate(data.CODES))
            torch_top = data.CODES[int(np.argmax(expected))]
            ok = tensor_diff <= args.tensor_tolerance and prob_diff <= args.prob_tolerance and top == torch_top
            failures += not ok
            print(f"{'PASS' if ok else 'FAIL'} {image}: tensor max|diff| {tensor_diff:.4f} "
                  f"(<= {args.tensor_tolerance}), probability max|diff| {prob_diff:.4f} "
                  f"(<= {args.prob_tolerance}), top-1 app {top} torch {torch_top} "
                  f"({probabilities[top]:.3f} / {expected[data.CODES.index(torch_top)]:.3f})")
    print(f"parity: {len(args.images) - failures}/{len(args.images)} images pass")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (ModelDirError, FileNotFoundError) as error:
        print(f"parity.py: {error}", file=sys.stderr)
        sys.exit(2)
    except ParityError as error:
        print(f"parity.py: {error}", file=sys.stderr)
        sys.exit(1)
