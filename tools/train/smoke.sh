#!/usr/bin/env bash
# Smoke run of the training recipe: tiny drawn dataset -> one short epoch -> ONNX export -> checks.
# usage: tools/train/smoke.sh [WORKDIR]   (default: a temp dir, removed at the end; a given WORKDIR is kept)
# Leaves in WORKDIR: data/ (HAM10000 layout), model/ (smoke.onnx, smoke.json, smoke.pt, metrics.json,
# split.csv) and reference/ (PyTorch's input.npy + logits.npy for two held-out images, batch of 2).
set -euo pipefail

python=/usr/bin/python3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ ! -x $python ]]; then
  echo "smoke.sh: $python is missing; install Debian's python3, python3-torch, python3-torchvision, python3-onnx (scripts/bootstrap.sh)" >&2
  exit 3
fi
for module in torch:python3-torch torchvision:python3-torchvision onnx:python3-onnx PIL:python3-pil numpy:python3-numpy; do
  if ! "$python" -c "import ${module%%:*}" 2>/dev/null; then
    echo "smoke.sh: $python cannot import ${module%%:*}; install the Debian package ${module##*:} (scripts/bootstrap.sh)" >&2
    exit 3
  fi
done

if [[ $# -ge 1 ]]; then
  work=$1
  mkdir -p "$work"
else
  work=$(mktemp -d -t skinlive-train-smoke-XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi

"$python" "$here/make_smoke_dataset.py" --out "$work/data" --lesions-per-class 3 --images-per-lesion 2 --seed 7
"$python" "$here/train.py" --data "$work/data" --out "$work/model" --name smoke --epochs 1 \
  --batch-size 14 --cache-px 232 --workers 0 --seed 7 --dataset-name "smoke dataset (make_smoke_dataset.py --seed 7)"

# Two held-out images, in one batch of 2, exercise the dynamic batch axis for another runtime.
mapfile -t held_out < <(awk -F, '$2 == "test" { print $1 }' "$work/model/split.csv" | head -n 2)
images=()
for id in "${held_out[@]}"; do
  images+=("$(find "$work/data" -name "$id.jpg" | head -n 1)")
done
"$python" "$here/reference.py" --model-dir "$work/model" --out "$work/reference" "${images[@]}"

"$python" - "$work/model" "$work/data" "$here" <<'PY'
import hashlib, json, sys
from pathlib import Path
import onnx
model_dir, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
sys.path.insert(0, sys.argv[3])
import data
assert data.split_by_lesion(data.read_dataset(data_dir), 0.2, 7) == data.read_split(model_dir / "split.csv"), \
    "the split is not reproducible from the seed"
manifest = json.loads((model_dir / "smoke.json").read_text())
onnx_path = model_dir / "smoke.onnx"
onnx.checker.check_model(str(onnx_path), full_check=True)
graph = onnx.load(str(onnx_path)).graph
assert [i.name for i in graph.input] == ["input"], [i.name for i in graph.input]
assert [o.name for o in graph.output] == ["logits"], [o.name for o in graph.output]
assert graph.input[0].type.tensor_type.shape.dim[0].dim_param, "batch axis is not dynamic"
assert manifest["sha256"] == hashlib.sha256(onnx_path.read_bytes()).hexdigest(), "sha256 mismatch"
assert [l["code"] for l in manifest["labels"]] == ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"]
assert manifest["input"]["name"] == "input" and manifest["output"]["name"] == "logits"
metrics = json.loads((model_dir / "metrics.json").read_text())
assert metrics["n_test_images"] == manifest["metrics"]["n_test_images"] > 0
print(f"smoke: {onnx_path} and its manifest validate")
PY
echo "smoke: ok ($work)"
