#!/usr/bin/python3
"""Writes a tiny HAM10000-layout dataset of simple drawn lesions, to smoke-test the training recipe.

Not the product's synthetic dataset (that is `skinlive synth-dataset`): a few dozen images whose only job is
to exercise the layout, the split, training, export and parity. Deterministic for a seed.
"""

import argparse
import csv
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from data import CODES, METADATA_FILE

# One look per class: lesion fill colour (RGB), and how it is drawn.
LOOKS = {
    "akiec": ((190, 90, 80), "scaly"),
    "bcc": ((215, 160, 170), "vessels"),
    "bkl": ((160, 120, 70), "plain"),
    "df": ((120, 80, 50), "ring"),
    "mel": ((60, 35, 30), "irregular"),
    "nv": ((110, 70, 45), "plain"),
    "vasc": ((170, 30, 50), "lobes"),
}


def draw_lesion(rng, code, width, height):
    skin = np.array([rng.randint(200, 235), rng.randint(160, 190), rng.randint(130, 160)], dtype=np.float32)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0, 6, (height, width, 3))
    image = Image.fromarray(np.clip(skin + noise, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    colour, style = LOOKS[code]
    cx = width / 2 + rng.uniform(-0.1, 0.1) * width
    cy = height / 2 + rng.uniform(-0.1, 0.1) * height
    rx = rng.uniform(0.15, 0.3) * width
    ry = rx * rng.uniform(0.7, 1.0)
    shade = tuple(max(0, min(255, c + rng.randint(-15, 15))) for c in colour)
    if style == "irregular":
        points = []
        for k in range(14):
            angle = 2 * np.pi * k / 14
            radius = rng.uniform(0.6, 1.2)
            points.append((cx + rx * radius * np.cos(angle), cy + ry * radius * np.sin(angle)))
        draw.polygon(points, fill=shade)
        draw.ellipse([cx - rx / 3, cy - ry / 3, cx + rx / 4, cy + ry / 4], fill=(40, 40, 70))
    elif style == "lobes":
        for _ in range(4):
            ox, oy = rng.uniform(-0.4, 0.4) * rx, rng.uniform(-0.4, 0.4) * ry
            draw.ellipse([cx + ox - rx / 2, cy + oy - ry / 2, cx + ox + rx / 2, cy + oy + ry / 2], fill=shade)
    else:
        draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=shade)
        if style == "ring":
            draw.ellipse([cx - rx / 2, cy - ry / 2, cx + rx / 2, cy + ry / 2], fill=(225, 205, 190))
        elif style == "vessels":
            for _ in range(5):
                draw.line([(cx + rng.uniform(-rx, rx) * 0.7, cy + rng.uniform(-ry, ry) * 0.7),
                           (cx + rng.uniform(-rx, rx) * 0.7, cy + rng.uniform(-ry, ry) * 0.7)],
                          fill=(200, 40, 60), width=2)
        elif style == "scaly":
            for _ in range(30):
                x, y = cx + rng.uniform(-rx, rx) * 0.8, cy + rng.uniform(-ry, ry) * 0.8
                draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=(235, 225, 215))
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="dataset folder to create")
    p.add_argument("--lesions-per-class", type=int, default=3)
    p.add_argument("--images-per-lesion", type=int, default=2)
    p.add_argument("--size", default="300x225", help="WIDTHxHEIGHT of each JPEG")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        p.error("--size must be WIDTHxHEIGHT, e.g. 300x225")
    if args.lesions_per_class < 1 or args.images_per_lesion < 1 or width < 16 or height < 16:
        p.error("counts must be at least 1 and the size at least 16x16")

    out = Path(args.out)
    parts = [out / "HAM10000_images_part_1", out / "HAM10000_images_part_2"]
    for part in parts:
        part.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    rows = []
    lesion_number = 0
    for code in CODES:
        for _ in range(args.lesions_per_class):
            lesion_number += 1
            lesion_id = f"HAM_{lesion_number:07d}"
            for _ in range(args.images_per_lesion):
                image_id = f"ISIC_{len(rows) + 1:07d}"
                rows.append([lesion_id, image_id, code, "synthetic", rng.randint(20, 80),
                             rng.choice(["male", "female"]), "back"])
                part = parts[len(rows) % 2]
                draw_lesion(rng, code, width, height).save(part / f"{image_id}.jpg", quality=92)
    with open(out / METADATA_FILE, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["lesion_id", "image_id", "dx", "dx_type", "age", "sex", "localization"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} images of {lesion_number} lesions to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
