#!/usr/bin/python3
"""Makes the PIL parity fixtures: a few deterministic test images (PNG) and, for each, the tensor torchvision
computes from it: PIL Image.resize((224, 224), BILINEAR) -> /255 -> ImageNet Normalize, NCHW float32 little-endian
(<name>.pil.f32). Run with Debian's python (python3-pil, python3-numpy): /usr/bin/python3 make_pil_fixtures.py
"""
import math
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def lesion(width, height, seed, hairs, noise=6):
    rnd = random.Random(seed)
    img = Image.new("RGB", (width, height), (224, 172, 150))
    draw = ImageDraw.Draw(img)
    # Skin texture: soft blotches.
    for _ in range(width * height // 400):
        x, y, r = rnd.uniform(0, width), rnd.uniform(0, height), rnd.uniform(2, 9)
        shade = rnd.randint(-18, 12)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(224 + shade, 172 + shade, 150 + shade))
    # Lesion: overlapping dark blobs around an irregular centre.
    cx, cy = width * rnd.uniform(0.4, 0.6), height * rnd.uniform(0.4, 0.6)
    base = min(width, height) * 0.22
    for _ in range(60):
        a, d = rnd.uniform(0, 2 * math.pi), rnd.uniform(0, base)
        r = rnd.uniform(base * 0.15, base * 0.45)
        x, y = cx + d * math.cos(a), cy + d * math.sin(a)
        tone = rnd.choice([(92, 52, 38), (60, 36, 30), (120, 80, 60), (70, 70, 110)])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tone)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    draw = ImageDraw.Draw(img)
    # Hairs: thin dark curves, the high-frequency detail that aliases under single-tap resizing.
    for _ in range(hairs):
        x, y = rnd.uniform(0, width), rnd.uniform(0, height)
        a = rnd.uniform(0, 2 * math.pi)
        points = []
        for _ in range(40):
            points.append((x, y))
            a += rnd.uniform(-0.15, 0.15)
            x += math.cos(a) * width / 60
            y += math.sin(a) * width / 60
        draw.line(points, fill=(40, 28, 24), width=rnd.choice([1, 1, 2]))
    # Fine pixel noise, like a sensor.
    arr = np.asarray(img).astype(np.int16)
    jitter = np.random.default_rng(seed).integers(-noise, noise + 1, size=arr.shape)
    return Image.fromarray(np.clip(arr + jitter, 0, 255).astype(np.uint8), "RGB")


def tensor(img):
    small = img.resize((224, 224), Image.BILINEAR)
    x = np.asarray(small).astype(np.float32) / 255.0
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)).astype("<f4")


def main():
    images = {
        "lesion_600x450": lesion(600, 450, seed=1, hairs=25),
        "hairy_1920x1080": lesion(1920, 1080, seed=2, hairs=160, noise=0),
        "small_97x61": lesion(97, 61, seed=3, hairs=4),
    }
    for name, img in images.items():
        img.save(os.path.join(HERE, name + ".png"), optimize=True)
        tensor(img).tofile(os.path.join(HERE, name + ".pil.f32"))
        print(name, img.size)


if __name__ == "__main__":
    main()
