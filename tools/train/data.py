"""HAM10000-layout datasets: labels, metadata, lesion-grouped split, preprocessing, in-memory cache."""

import csv
import os
import random
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

# Label index order is alphabetical by code; the manifest, the C# app and the metrics all use it.
LABELS = [
    {"code": "akiec", "name": "Actinic keratosis / intraepithelial carcinoma", "risk": "malignant"},
    {"code": "bcc", "name": "Basal cell carcinoma", "risk": "malignant"},
    {"code": "bkl", "name": "Benign keratosis-like lesion", "risk": "benign"},
    {"code": "df", "name": "Dermatofibroma", "risk": "benign"},
    {"code": "mel", "name": "Melanoma", "risk": "malignant"},
    {"code": "nv", "name": "Melanocytic nevus", "risk": "benign"},
    {"code": "vasc", "name": "Vascular lesion", "risk": "benign"},
]
CODES = [label["code"] for label in LABELS]
CLASS_INDEX = {code: i for i, code in enumerate(CODES)}

IMAGE_SIZE = 224
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
METADATA_FILE = "HAM10000_metadata.csv"


class DatasetError(Exception):
    """A dataset folder that does not follow the HAM10000 layout; the message is one sentence for the user."""


def eval_transform():
    """DESIGN.md §3: PIL RGB -> Resize((224,224)) (PIL bilinear, antialiased) -> ToTensor -> Normalize."""
    return transforms.Compose([
        transforms.Resize((IMAGE_SIZE, IMAGE_SIZE), interpolation=transforms.InterpolationMode.BILINEAR),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])


def train_transform():
    """Augmentation for training only: scale, flips, rotations, colour jitter; then the eval tensor layout."""
    return transforms.Compose([
        transforms.RandomResizedCrop(IMAGE_SIZE, scale=(0.6, 1.0), ratio=(0.85, 1.18)),
        transforms.RandomHorizontalFlip(),
        transforms.RandomVerticalFlip(),
        transforms.RandomRotation(180, interpolation=transforms.InterpolationMode.BILINEAR),
        transforms.ColorJitter(brightness=0.25, contrast=0.25, saturation=0.2, hue=0.03),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])


def load_rgb(path):
    with Image.open(path) as image:
        return image.convert("RGB")


def eval_tensor(path):
    """The (3,224,224) float tensor the app must reproduce for this image."""
    return eval_transform()(load_rgb(path))


def read_dataset(root):
    """Rows {lesion_id, image_id, dx, label, path} from ROOT/HAM10000_metadata.csv; images found anywhere under ROOT."""
    root = Path(root)
    metadata = root / METADATA_FILE
    if not metadata.is_file():
        raise DatasetError(f"{metadata} does not exist; a HAM10000-layout folder holds {METADATA_FILE}")
    images = {}
    for directory, _, files in os.walk(root):
        for name in files:
            stem, ext = os.path.splitext(name)
            if ext.lower() in (".jpg", ".jpeg"):
                images.setdefault(stem, Path(directory) / name)
    rows = []
    with open(metadata, newline="") as f:
        reader = csv.DictReader(f)
        missing = {"lesion_id", "image_id", "dx"} - set(reader.fieldnames or [])
        if missing:
            raise DatasetError(f"{metadata} lacks the column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            dx = row["dx"].strip()
            if dx not in CLASS_INDEX:
                raise DatasetError(f"{metadata} line {line}: dx '{dx}' is not one of {', '.join(CODES)}")
            image_id = row["image_id"].strip()
            if image_id not in images:
                raise DatasetError(f"{metadata} line {line}: no {image_id}.jpg under {root}")
            rows.append({"lesion_id": row["lesion_id"].strip(), "image_id": image_id, "dx": dx,
                         "label": CLASS_INDEX[dx], "path": images[image_id]})
    if not rows:
        raise DatasetError(f"{metadata} lists no images")
    return rows


def split_by_lesion(rows, test_fraction, seed):
    """Assign whole lesions to 'train' or 'test', per class (stratified), deterministic for a seed.

    Returns {image_id: 'train'|'test'}. A class with at least two lesions puts at least one in each split,
    so every class is measured on held-out data; no lesion ever appears in both splits.
    """
    # A lesion is stratified by the dx of its first image, so it lands in exactly one class's draw.
    lesion_class = {}
    for row in rows:
        lesion_class.setdefault(row["lesion_id"], row["dx"])
    lesions_by_class = {code: set() for code in CODES}
    for lesion, code in lesion_class.items():
        lesions_by_class[code].add(lesion)
    rng = random.Random(seed)
    test_lesions = set()
    for code in CODES:
        lesions = sorted(lesions_by_class[code])
        rng.shuffle(lesions)
        if len(lesions) < 2:
            continue
        count = min(len(lesions) - 1, max(1, round(test_fraction * len(lesions))))
        test_lesions.update(lesions[:count])
    return {row["image_id"]: ("test" if row["lesion_id"] in test_lesions else "train") for row in rows}


def write_split(path, rows, split):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["image_id", "split"])
        for row in rows:
            writer.writerow([row["image_id"], split[row["image_id"]]])


def read_split(path):
    with open(path, newline="") as f:
        return {row["image_id"]: row["split"] for row in csv.DictReader(f)}


def _decode_for_cache(job):
    path, size = job
    with Image.open(path) as image:
        # Squash to a square like the eval Resize((224,224)) does, with margin for the random crop.
        return np.asarray(image.convert("RGB").resize((size, size), Image.Resampling.BILINEAR), dtype=np.uint8)


def decode_cache(paths, size, processes):
    """Every training image decoded once to SIZE x SIZE RGB uint8, in one contiguous array (decode is the bottleneck)."""
    cache = np.empty((len(paths), size, size, 3), dtype=np.uint8)
    jobs = [(str(p), size) for p in paths]
    with Pool(processes) as pool:
        for i, pixels in enumerate(pool.imap(_decode_for_cache, jobs, chunksize=16)):
            cache[i] = pixels
    return cache


class CachedTrainSet(torch.utils.data.Dataset):
    def __init__(self, cache, labels, transform):
        self.cache = cache
        self.labels = labels
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.transform(Image.fromarray(self.cache[i])), self.labels[i]


class EvalSet(torch.utils.data.Dataset):
    """Held-out images preprocessed from the original file, exactly as the app will."""

    def __init__(self, paths, labels):
        self.paths = paths
        self.labels = labels
        self.transform = eval_transform()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.transform(load_rgb(self.paths[i])), self.labels[i]
