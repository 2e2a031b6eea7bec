"""The demo world: real anatomy from the DICOM files inside pydicom, synthetic lesions whose box,
side and size are known exactly, SLAKE-style questions with short sentence answers. A fair small
testbed for the method: the tiny model warms up on fresh images drawn with a prior (faint lesions
lie on the left); pairs, validation and test images are drawn without it, so the base model sees
clear lesions yet follows the prior where the evidence is faint.

  python data_prep.py demo --out DIR     # the same files byte for byte for the same seed
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pydicom
from PIL import Image
from pydicom.data import get_testdata_file
from pydicom.pixels import apply_modality_lut, apply_voi_lut

from checks import sample_row
from files import save_png, write_jsonl

# (file in pydicom's test data, modality as answered, organ as answered)
DEMO_BACKGROUNDS = [
    ("CT_small.dcm", "CT", "spine"),
    ("693_J2KI.dcm", "CT", "brain"),
    ("examples_overlay.dcm", "MRI", "liver"),
    ("examples_rgb_color.dcm", "ultrasound", "lymph node"),
]
DEMO_SIZE = 112  # px
DEMO_WORLD = dict(  # how images are drawn; the warm-up's prior changes faint_left_share
    lesion_share=0.5,  # images with one lesion
    left_share=0.5,  # clear lesions on the patient's left
    faint_left_share=0.5,  # faint lesions on the patient's left
    faint_share=0.35,  # lesions drawn faint
    radius={"small": (10, 14), "large": (22, 30)},  # px
    contrast=(130, 170),  # added at the lesion's centre, 0..255
    faint_contrast=(45, 75),
    background=0.5,  # the anatomy is scaled to half brightness so that lesions stand out
)
DEMO_PRIOR = dict(faint_left_share=0.9)  # the warm-up's prior: faint lesions lie on the left
DEMO_SPLITS = {"train": 400, "val": 200, "test": 300}  # images; pairs are built on train
DEMO_DEFAULTS = dict(  # medpo.Config's auto flags for the tiny model on the demo world
    learning_rate=1e-4,
    lora_r=8,
    lora_alpha=16,
    corruption="black",  # zero-mean noise hides nothing from a model that reads mean brightness
)
DEMO_QUESTIONS = {  # kind: (question, answer type, the possible answers); all about the lesion
    "presence": ("Is there a lesion in this image?", "CLOSED", [
        "Yes, there is a lesion.", "No, there is no lesion."]),
    "normal": ("Is this image normal?", "CLOSED", [
        "Yes, the image is normal.", "No, the image is abnormal."]),
    "side": ("On which side is the lesion?", "OPEN", [
        "The lesion is on the left side.", "The lesion is on the right side."]),
    "size": ("How large is the lesion?", "OPEN", ["The lesion is small.", "The lesion is large."]),
}  # fmt: skip


def dicom_to_image(path: str | Path) -> Image.Image:
    """A DICOM file as an 8-bit greyscale PIL image: modality LUT, VOI window (or 1-99th
    percentile when the file has none), MONOCHROME1 inverted, colour converted to L."""
    ds = pydicom.dcmread(str(path))
    arr = ds.pixel_array
    if arr.ndim == 3 and arr.shape[-1] == 3:
        return Image.fromarray(arr.astype(np.uint8)).convert("L")
    arr = apply_modality_lut(arr, ds).astype(np.float64)
    if "WindowCenter" in ds:
        arr = apply_voi_lut(arr, ds).astype(np.float64)
    lo, hi = np.percentile(arr, [1, 99])
    arr = np.clip((arr - lo) / max(hi - lo, 1e-6), 0, 1) * 255
    if ds.get("PhotometricInterpretation") == "MONOCHROME1":
        arr = 255 - arr
    return Image.fromarray(np.rint(arr).astype(np.uint8))


def demo_backgrounds() -> list[tuple[Image.Image, str, str]]:
    """(anatomy, modality, organ) for each of DEMO_BACKGROUNDS."""
    files = [(get_testdata_file(f, download=False), m, o) for f, m, o in DEMO_BACKGROUNDS]
    return [(dicom_to_image(f), modality, organ) for f, modality, organ in files]


def demo_image(backgrounds, rng: np.random.Generator, world: dict) -> tuple[Image.Image, dict]:
    """One demo image, L mode, DEMO_SIZE px, and its truth: a random view of a background and,
    with probability lesion_share, one bright lesion whose side, size and faintness are drawn
    from the world's shares. Side is radiological: the patient's right is on the image's left."""
    background, modality, organ = backgrounds[int(rng.integers(len(backgrounds)))]
    w, h = background.size
    s = int(min(w, h) * rng.uniform(0.7, 1.0))
    x, y = int(rng.integers(0, w - s + 1)), int(rng.integers(0, h - s + 1))
    view = background.crop((x, y, x + s, y + s)).resize((DEMO_SIZE, DEMO_SIZE), Image.BILINEAR)
    scale = world["background"] * rng.uniform(0.85, 1.15)
    pixels = np.asarray(view).astype(np.float64) * scale + rng.uniform(-10, 10)
    truth = {"modality": modality, "organ": organ, "lesion": None}
    if rng.random() < world["lesion_share"]:
        truth["lesion"] = _demo_lesion(pixels, rng, world)
    image = Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8))
    return image, truth


def _demo_lesion(pixels: np.ndarray, rng: np.random.Generator, world: dict) -> dict:
    """Add one lesion to pixels in place; returns its side, size, faintness and box."""
    size = "small" if rng.random() < 0.5 else "large"
    faint = bool(rng.random() < world["faint_share"])
    left_share = world["faint_left_share" if faint else "left_share"]
    side = "left" if rng.random() < left_share else "right"
    radius = rng.uniform(*world["radius"][size])
    centre_x = rng.uniform(0.62, 0.82) if side == "left" else rng.uniform(0.18, 0.38)
    cx, cy = centre_x * DEMO_SIZE, rng.uniform(0.25, 0.75) * DEMO_SIZE
    yy, xx = np.mgrid[0:DEMO_SIZE, 0:DEMO_SIZE]
    distance = np.hypot((xx - cx) / radius, (yy - cy) / (radius * rng.uniform(0.8, 1.2)))
    blob = np.clip(1.0 - distance, 0, 1) ** 0.5
    pixels += blob * rng.uniform(*world["faint_contrast" if faint else "contrast"])
    ys, xs = np.nonzero(blob > 0)
    box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
    return {"side": side, "size": size, "faint": faint, "box": box}


def demo_answer(kind: str, truth: dict) -> str:
    """The reference answer to a question of this kind about an image with this truth."""
    choices, lesion = DEMO_QUESTIONS[kind][2], truth["lesion"]
    if kind == "presence":
        return choices[0 if lesion else 1]
    if kind == "normal":
        return choices[1 if lesion else 0]
    return choices[0 if lesion[kind] in ("left", "small") else 1]  # side, size


def demo_kinds(truth: dict) -> list[str]:
    """The questions that can be asked about an image: side and size only where a lesion is."""
    return list(DEMO_QUESTIONS) if truth["lesion"] else ["presence", "normal"]


def demo_rows(truth: dict, image: str, split: str, index: int) -> list[dict]:
    """The sample rows of one demo image: every question that can be asked about it."""
    rows, lesion = [], truth["lesion"]
    for kind in demo_kinds(truth):
        question, answer_type, choices = DEMO_QUESTIONS[kind]
        meta = {"dataset": "demo", "split": split, "kind": kind, "answer_type": answer_type}
        meta |= {"choices": choices, "modality": truth["modality"], "organ": truth["organ"]}
        if lesion:
            meta |= {k: lesion[k] for k in ("side", "size", "faint")}
        boxes = {"boxes": [lesion["box"]], "mask": None, "labels": ["lesion"]} if lesion else None
        id_ = f"demo:{split}:{index:04d}:{kind}"
        rows.append(sample_row(id_, image, question, demo_answer(kind, truth), meta, boxes))
    return rows


def make_demo(out: str | Path, seed: int = 0) -> dict:
    """Write the demo world's splits (DEMO_SPLITS) to DIR/<split>.jsonl with their images in
    DIR/images/; the same seed gives the same files byte for byte. Returns {split: path}."""
    out = Path(out)
    backgrounds, paths = demo_backgrounds(), {}
    for k, (split, n) in enumerate(DEMO_SPLITS.items()):
        rng = np.random.default_rng([seed, k])  # one stream per split
        rows = []
        for i in range(n):
            image, truth = demo_image(backgrounds, rng, DEMO_WORLD)
            name = f"images/{split}_{i:04d}.png"
            save_png(image, out / name)
            rows += demo_rows(truth, name, split, i)
        paths[split] = out / f"{split}.jsonl"
        write_jsonl(paths[split], rows)
    return paths


def demo_version(*parts) -> str:
    """A short digest of the demo world's settings (and parts): a cache folder name that changes
    whenever they do, so an old cache is never read as the new world."""
    settings = [DEMO_BACKGROUNDS, DEMO_SIZE, DEMO_WORLD, DEMO_PRIOR, DEMO_SPLITS, DEMO_QUESTIONS]
    text = json.dumps(settings + list(parts), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def ensure_demo(cache: Path) -> Path:
    """The demo world under cache/demo-<version>, built once (into a temporary folder, then
    renamed)."""
    out = cache / f"demo-{demo_version()}"
    if not (out / "test.jsonl").exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".demo."))
        make_demo(tmp)
        if not out.exists():
            os.replace(tmp, out)
    return out
