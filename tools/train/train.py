#!/usr/bin/python3
"""Fine-tunes MobileNetV3-small on a HAM10000-layout folder and exports ONNX + manifest + held-out metrics.

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision, python3-onnx). See README.md.
"""

import os

# Must precede `import torch`: OpenMP threads that spin while waiting starve each other (and the DataLoader
# worker) on a small or shared machine; measured here: 2.4 -> 13.7 img/s for a 2-thread epoch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import math
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

import data
import export
import metrics as metrics_module
from model import WeightsError, build_model, set_backbone_frozen

DEFAULT_INTENDED_USE = ("Demonstration and pipeline testing only. Not a medical device: it must not be used "
                        "to diagnose, screen or treat anyone.")


def parse_args(argv):
    cores = os.cpu_count() or 1
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="HAM10000-layout folder (HAM10000_metadata.csv + JPEGs under it)")
    p.add_argument("--out", required=True, help="model folder: NAME.onnx, NAME.json, NAME.pt, metrics.json, "
                                                "split.csv, checkpoints/")
    p.add_argument("--name", default="skinlive-mnv3s", help="model name (file stem and manifest name)")
    p.add_argument("--version", default="1")
    p.add_argument("--weights", help="local ImageNet state dict of torchvision's mobilenet_v3_small "
                                     "(mobilenet_v3_small-047dcff4.pth); default: random init")
    p.add_argument("--epochs", type=int, default=10, help="total epochs, warm-up included")
    p.add_argument("--warmup-epochs", type=int, default=0, help="first epochs train the head only (frozen backbone)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3, help="AdamW learning rate of the head (cosine decay)")
    p.add_argument("--backbone-lr-scale", type=float,
                   help="backbone LR = lr x this; default 0.1 with --weights, 1.0 from random init")
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--balance", choices=["weights", "sampler"], default="weights",
                   help="class-weighted loss, or a class-balanced sampler")
    p.add_argument("--test-fraction", type=float, default=0.2, help="share of each class's lesions held out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=cores, help="torch CPU threads (default: all cores)")
    p.add_argument("--workers", type=int, default=1 if cores <= 2 else min(4, cores - 1),
                   help="DataLoader workers for augmentation (decode is cached up front)")
    p.add_argument("--cache-px", type=int, default=256, help="side of the decoded training-image cache")
    p.add_argument("--bn-calibration-images", type=int, default=2000,
                   help="after training, re-estimate BatchNorm statistics on this many training images "
                        "(eval preprocessing, no augmentation); 0 keeps the running averages")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoints/last.pt")
    p.add_argument("--dataset-name", help="how the manifest names the dataset (default: the --data path)")
    p.add_argument("--training-data", help="manifest 'training_data' text (default: derived from the dataset)")
    p.add_argument("--intended-use", default=DEFAULT_INTENDED_USE)
    args = p.parse_args(argv)
    if args.epochs < 1 or not 0 <= args.warmup_epochs <= args.epochs:
        p.error("--epochs must be at least 1 and --warmup-epochs between 0 and --epochs")
    if not 0 < args.test_fraction < 1:
        p.error("--test-fraction must be between 0 and 1")
    if args.backbone_lr_scale is None:
        args.backbone_lr_scale = 0.1 if args.weights else 1.0
    return args


def lr_factor(epoch, args):
    """Constant during the frozen warm-up, then cosine decay to 1% over the fine-tuning epochs."""
    if epoch < args.warmup_epochs:
        return 1.0
    span = args.epochs - args.warmup_epochs
    progress = (epoch - args.warmup_epochs) / span
    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * progress))


def class_counts(labels):
    return np.bincount(np.asarray(labels, dtype=np.int64), minlength=len(data.CODES))


def make_loader(train_set, labels, args, epoch):
    generator = torch.Generator()
    generator.manual_seed(args.seed * 100_003 + epoch)
    common = dict(batch_size=args.batch_size, num_workers=args.workers, generator=generator,
                  drop_last=len(labels) > args.batch_size, persistent_workers=False)
    if args.balance == "sampler":
        counts = class_counts(labels)
        sample_weights = torch.tensor([1.0 / counts[y] for y in labels], dtype=torch.double)
        sampler = torch.utils.data.WeightedRandomSampler(sample_weights, len(labels), replacement=True,
                                                         generator=generator)
        return torch.utils.data.DataLoader(train_set, sampler=sampler, **common)
    return torch.utils.data.DataLoader(train_set, shuffle=True, **common)


def evaluate(model, eval_set, args):
    loader = torch.utils.data.DataLoader(eval_set, batch_size=64, num_workers=args.workers)
    model.eval()
    predictions = []
    with torch.no_grad():
        for images, _ in loader:
            predictions.extend(model(images).argmax(1).tolist())
    return metrics_module.classification_metrics(eval_set.labels, predictions)


def recalibrate_batchnorm(model, cache, count, args):
    """Replaces BatchNorm running statistics with exact averages over training images.

    torchvision's MobileNetV3 uses BatchNorm momentum 0.01, so after a short run (or from random init) the
    running statistics still lag the weights and the eval-mode model collapses to one class.
    """
    generator = torch.Generator()
    generator.manual_seed(args.seed)
    chosen = torch.randperm(len(cache), generator=generator)[:count].tolist()
    preprocess = data.eval_transform()
    batchnorms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    momenta = [bn.momentum for bn in batchnorms]
    for bn in batchnorms:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average over the calibration batches
    model.train()
    with torch.no_grad():
        for start in range(0, len(chosen), args.batch_size):
            batch = torch.stack([preprocess(Image.fromarray(cache[i]))
                                 for i in chosen[start:start + args.batch_size]])
            model(batch)
    for bn, momentum in zip(batchnorms, momenta):
        bn.momentum = momentum
    model.eval()


def load_or_make_split(rows, split_path, args):
    if args.resume and split_path.is_file():
        split = data.read_split(split_path)
        if set(split) != {row["image_id"] for row in rows}:
            raise data.DatasetError(f"{split_path} does not list the same images as {args.data}")
        return split
    split = data.split_by_lesion(rows, args.test_fraction, args.seed)
    data.write_split(split_path, rows, split)
    return split


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    checkpoints = out / "checkpoints"
    last_checkpoint = checkpoints / "last.pt"
    if args.resume and not last_checkpoint.is_file():
        raise data.DatasetError(f"--resume: {last_checkpoint} does not exist")
    if args.weights and not Path(args.weights).is_file():
        raise WeightsError(f"--weights: {args.weights} does not exist")
    rows = data.read_dataset(args.data)
    checkpoints.mkdir(parents=True, exist_ok=True)
    split = load_or_make_split(rows, out / "split.csv", args)
    train_rows = [r for r in rows if split[r["image_id"]] == "train"]
    test_rows = [r for r in rows if split[r["image_id"]] == "test"]
    train_labels = [r["label"] for r in train_rows]
    counts = class_counts(train_labels)
    lesion_count = len({r["lesion_id"] for r in rows})
    print(f"dataset {args.data}: {len(rows)} images, {lesion_count} lesions; "
          f"train {len(train_rows)}, test {len(test_rows)}; train per class "
          + ", ".join(f"{c} {n}" for c, n in zip(data.CODES, counts)), flush=True)

    torch.manual_seed(args.seed)
    model = build_model(args.weights)
    head = list(model.classifier.parameters())
    optimizer = torch.optim.AdamW([
        {"params": head, "base_lr": args.lr},
        {"params": list(model.features.parameters()), "base_lr": args.lr * args.backbone_lr_scale},
    ], lr=args.lr, weight_decay=args.weight_decay)
    start_epoch = 0
    if args.resume:
        state = torch.load(last_checkpoint, map_location="cpu")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"]
        print(f"resumed from {last_checkpoint} after epoch {start_epoch}", flush=True)

    if args.balance == "weights":
        # Inverse-frequency weights (mean 1 over present classes); a class absent from train weighs nothing.
        present = counts > 0
        weights = np.where(present, counts.sum() / (present.sum() * np.maximum(counts, 1)), 0.0)
        criterion = nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    else:
        criterion = nn.CrossEntropyLoss()

    calibration_count = min(args.bn_calibration_images, len(train_rows))
    if start_epoch < args.epochs or calibration_count > 0:
        started = time.perf_counter()
        cache = data.decode_cache([r["path"] for r in train_rows], args.cache_px, max(1, args.threads))
        print(f"decoded {len(train_rows)} training images to {args.cache_px}px in "
              f"{time.perf_counter() - started:.1f} s ({cache.nbytes / 2**20:.0f} MiB)", flush=True)
        train_set = data.CachedTrainSet(cache, train_labels, data.train_transform())

    for epoch in range(start_epoch, args.epochs):
        frozen = epoch < args.warmup_epochs
        set_backbone_frozen(model, frozen)
        for group in optimizer.param_groups:
            group["lr"] = group["base_lr"] * lr_factor(epoch, args)
        torch.manual_seed(args.seed * 100_003 + epoch)
        model.train()
        if frozen:
            model.features.eval()  # keep the backbone's BatchNorm statistics during the warm-up
        started = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        for images, labels in make_loader(train_set, train_labels, args, epoch):
            optimizer.zero_grad(set_to_none=True)
            logits = model(images)
            loss = criterion(logits, labels)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(labels)
            correct += (logits.argmax(1) == labels).sum().item()
            seen += len(labels)
        seconds = time.perf_counter() - started
        # last.pt resumes training (written then renamed, so an interrupted save never corrupts it);
        # epoch-NNN.pt keeps each epoch's weights.
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch + 1,
                    "args": vars(args)}, checkpoints / "last.pt.partial")
        os.replace(checkpoints / "last.pt.partial", last_checkpoint)
        torch.save(model.state_dict(), checkpoints / f"epoch-{epoch + 1:03d}.pt")
        print(f"epoch {epoch + 1}/{args.epochs} {'head-only' if frozen else 'fine-tune'} "
              f"lr {optimizer.param_groups[0]['lr']:.2e} loss {loss_sum / seen:.4f} "
              f"train-acc {correct / seen:.3f} time {seconds:.1f} s ({seen / seconds:.1f} img/s)", flush=True)

    if calibration_count > 0:
        started = time.perf_counter()
        recalibrate_batchnorm(model, cache, calibration_count, args)
        print(f"BatchNorm statistics re-estimated on {calibration_count} training images "
              f"({time.perf_counter() - started:.1f} s)", flush=True)

    test_set = data.EvalSet([r["path"] for r in test_rows], [r["label"] for r in test_rows])
    started = time.perf_counter()
    result = evaluate(model, test_set, args)
    print(f"held-out: {result['n_test_images']} images, balanced accuracy {result['balanced_accuracy']:.4f}, "
          f"accuracy {result['accuracy']:.4f} ({time.perf_counter() - started:.1f} s); sensitivity "
          + ", ".join(f"{c} {m['sensitivity']:.3f}" if m["sensitivity"] is not None else f"{c} -"
                      for c, m in result["per_class"].items()), flush=True)

    onnx_path = out / f"{args.name}.onnx"
    torch.save(model.state_dict(), out / f"{args.name}.pt")
    export.export_onnx(model, onnx_path)
    checked = export.verify_onnx(onnx_path, len(data.LABELS))
    dataset_text = args.dataset_name or str(Path(args.data).resolve())
    training = {
        "weights": Path(args.weights).name if args.weights else "random-init",
        "epochs": args.epochs,
        "warmup_epochs": args.warmup_epochs,
        "seed": args.seed,
        "dataset": dataset_text,
        "split": {"by": "lesion_id", "test_fraction": args.test_fraction, "train_images": len(train_rows),
                  "test_images": len(test_rows), "file": "split.csv"},
        "balance": args.balance,
        "bn_calibration_images": calibration_count,
        "command": shlex.join([sys.executable] + [sys.argv[0]] + list(argv)),
    }
    training_data = args.training_data or (f"{dataset_text}: {len(rows)} images of {lesion_count} lesions "
                                           f"(HAM10000 layout), split by lesion")
    manifest = export.build_manifest(args.name, args.version, onnx_path, args.intended_use, training_data,
                                     training, result)
    export.write_json(out / f"{args.name}.json", manifest)
    export.write_json(out / "metrics.json", result)
    print(f"exported {onnx_path} (opset {checked['opset']}, batch axis '{checked['batch_axis']}', "
          f"sha256 {manifest['sha256']}); manifest {out / (args.name + '.json')}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (data.DatasetError, WeightsError) as error:
        print(f"train.py: {error}", file=sys.stderr)
        sys.exit(2)
