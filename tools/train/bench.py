#!/usr/bin/python3
"""Measures training throughput of the recipe's network on this CPU: seconds per 1000 images at 224 px.

Forward + backward + AdamW step on random tensors (the data pipeline is measured separately: decode of a
JPEG to the cache and one augmentation). Prints the numbers; writes nothing. Wall time depends on what else runs on the machine; CPU time less so.
"""

import os

# Must precede `import torch`: OpenMP threads that spin while waiting starve each other (and the DataLoader
# worker) on a small or shared machine; measured here: 2.4 -> 13.7 img/s for a 2-thread epoch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import io
import sys
import time

import numpy as np
import torch
from PIL import Image

import data
from model import build_model


def main(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--batches", type=int, default=8, help="timed batches after one warm-up batch")
    p.add_argument("--jpeg-size", default="600x450", help="JPEG size for the decode/augment measurement")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build_model()
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    images = torch.randn(args.batch_size, 3, data.IMAGE_SIZE, data.IMAGE_SIZE)
    labels = torch.randint(0, len(data.CODES), (args.batch_size,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        criterion(model(images), labels).backward()
        optimizer.step()

    step()
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.batches):
        step()
    timed_images = args.batches * args.batch_size
    train_seconds = (time.perf_counter() - started) / timed_images * 1000
    # CPU seconds do not grow when other processes share the cores; CPU / threads estimates an idle machine.
    train_cpu_seconds = (time.process_time() - cpu_started) / timed_images * 1000

    model.eval()
    with torch.no_grad():
        model(images)
        started = time.perf_counter()
        for _ in range(args.batches):
            model(images)
    eval_seconds = (time.perf_counter() - started) / (args.batches * args.batch_size) * 1000

    width, height = (int(v) for v in args.jpeg_size.split("x"))
    pixels = np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
    jpeg = buffer.getvalue()
    transform = data.train_transform()
    count = 50
    started = time.perf_counter()
    for _ in range(count):
        with Image.open(io.BytesIO(jpeg)) as image:
            cached = image.convert("RGB").resize((256, 256), Image.Resampling.BILINEAR)
    decode_ms = (time.perf_counter() - started) / count * 1000
    started = time.perf_counter()
    for _ in range(count):
        transform(cached)
    augment_ms = (time.perf_counter() - started) / count * 1000

    print(f"threads {args.threads}, batch {args.batch_size}: train (forward+backward+step) "
          f"{train_seconds:.1f} s per 1000 images wall, {train_cpu_seconds:.1f} CPU-s per 1000 images "
          f"(idle-machine estimate {train_cpu_seconds / args.threads:.1f} s); eval forward {eval_seconds:.1f} s per 1000 images; "
          f"decode {args.jpeg_size} JPEG + resize to 256 {decode_ms:.1f} ms/image (once, at start); "
          f"augmentation {augment_ms:.1f} ms/image (per epoch, in the DataLoader workers)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
