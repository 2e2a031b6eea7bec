"""Real datasets, from their published layouts to the project's sample JSONL (checks.py): SLAKE,
VQA-RAD, PathVQA, IU-Xray, MIMIC-CXR, VinDr-CXR and RSNA. Facts marked [inferred] were not
confirmed from an official loader: the code says so where it relies on them, and accepts both
readings where two are in use. A malformed record is skipped and counted with its place; nothing
a dataset file contains can run code (pickles are read as plain data only).

  python data_prep.py slake --root DIR --out FILE [--split train]
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import pickle
import re
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from PIL import Image

from checks import InputError, sample_row
from demo import dicom_to_image
from files import save_png, write_atomic, write_jsonl

REPORT_PROMPT = "Write the findings and impression of the radiology report for this image."


class Report:
    """Rows read, written, and skipped by reason (with the first place each reason occurred)."""

    def __init__(self, name: str):
        self.name, self.read, self.written = name, 0, 0
        self.skipped, self.first = Counter(), {}

    def skip(self, where: str, why: str) -> None:
        self.skipped[why] += 1
        self.first.setdefault(why, where)

    def __str__(self) -> str:
        n_skipped = sum(self.skipped.values())
        lines = [f"{self.name}: {self.read} rows read, {self.written} written, {n_skipped} skipped"]
        for why, n in self.skipped.items():
            lines.append(f"  skipped {n}: {why} (first at {self.first[why]})")
        return "\n".join(lines)


def _answer_type(answer: str) -> str:
    return "CLOSED" if answer.lower() in ("yes", "no") else "OPEN"


class _Field(ValueError):
    """A malformed field of one record: the row is skipped and the report names the field."""

    def __init__(self, field: str, expected: str):
        super().__init__(f"field '{field}': expected {expected}")


def _each(where: str, records, make):
    """(place, row or the reason it was skipped) for each record (place: where[i]). make(record,
    i) gives a row, a list of rows or a reason; a record with a missing or malformed field is
    skipped, saying which."""
    for i, record in enumerate(records):
        place = f"{where}[{i}]"
        try:
            if not isinstance(record, dict):
                raise _Field("record", f"an object, got {type(record).__name__}")
            made = make(record, i)
        except _Field as e:
            made = str(e)
        except KeyError as e:
            made = f"field {e.args[0]!r}: expected a value (missing)"
        for row in made if isinstance(made, list) else [made]:
            yield place, row


def _number(record: dict, key: str) -> float:
    try:
        value = float(record[key])
    except (TypeError, ValueError):
        raise _Field(key, f"a number, got {record[key]!r}") from None
    if not math.isfinite(value):
        raise _Field(key, f"a finite number, got {record[key]!r}")
    return value


def _text(record: dict, key: str) -> str:
    value = record[key]
    if (
        not isinstance(value, (str, int, float))
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        raise _Field(key, f"a non-empty text, got {value!r}")
    return str(value).strip()


def _safe(name) -> str:
    """A file name made from an id in the data: letters, digits, '.', '-', '_' only, so that no
    id ('../../x') can write outside the output folder."""
    return re.sub(r"[^\w.-]", "_", str(name)).lstrip(".") or "_"


def _first(root: Path, names: list[str], what: str) -> Path:
    for n in names:
        if (root / n).exists():
            return root / n
    raise InputError(
        f"{root}: expected {what} at one of: {', '.join(names)} "
        "(is --root the dataset's top folder?)"
    )


def _load_json(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{path}:{e.lineno}: not valid JSON ({e.msg} at column {e.colno})"
        ) from None


def _csv_rows(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as f:
        return list(csv.DictReader(f))


class _PlainUnpickler(pickle.Unpickler):
    """Loads pickles of plain lists/dicts/strings only: any class or function is refused, so a
    tampered file cannot run code."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data; refusing to load it")


def _side(box, width: int) -> str:
    """Radiological convention: the patient's right is on the image's left."""
    return "right" if (box[0] + box[2]) / 2 < width / 2 else "left"


def _dicom_png(src: Path, dst: Path, max_size: int) -> float:
    """Write a DICOM (MONOCHROME1 inverted, VOI window) as an 8-bit PNG of at most max_size px;
    returns the scale applied."""
    img = dicom_to_image(src)
    scale = min(1.0, max_size / max(img.size))
    if scale < 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.BILINEAR)
    if not dst.exists():
        save_png(img, dst)
    return scale


def _iou(a, b) -> float:
    inter_w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    inter_h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = inter_w * inter_h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _merge_boxes(boxes: list[list[float]], iou: float = 0.4) -> list[list[float]]:
    """Boxes of several readers for one finding: greedily cluster those overlapping by IoU >= iou
    and average each cluster's corners (one box per distinct region)."""
    clusters = []
    for b in boxes:
        for c in clusters:
            if _iou(np.mean(c, 0), b) >= iou:
                c.append(b)
                break
        else:
            clusters.append([b])
    return [[round(float(v), 1) for v in np.mean(c, 0)] for c in clusters]


def _slake_masks(root: Path) -> dict[str, int]:
    """mask.txt: 'value:Name' per line -> {name in lower case: pixel value}."""
    values = {}
    if (root / "mask.txt").exists():
        for line in (root / "mask.txt").read_text().splitlines():
            if ":" in line:
                value, name = line.strip().split(":", 1)
                values[name.strip().lower()] = int(value)
    return values


def _slake_boxes(folder: Path, text: str) -> list[tuple[str, list]]:
    """detection.json boxes ([{"Name": [x, y, w, h]}, ...]; x, y, w, h [inferred]) of the organs
    or lesions the question or answer names; all of them when none is named. A longer name
    wins: 'liver cancer' named drops the plain 'liver' box."""
    if not (folder / "detection.json").exists():
        return []
    found = [
        (name, [x, y, x + w, y + h])
        for d in _load_json(folder / "detection.json")
        for name, (x, y, w, h) in d.items()
    ]
    named = [d for d in found if d[0].lower() in text]
    longest = [
        d for d in named if not any(d[0].lower() in o[0].lower() != d[0].lower() for o in named)
    ]
    return longest or found


def _slake_mask(folder: Path, text: str, values: dict, out: Path) -> Path | None:
    """The mask.png label of the longest organ/lesion name in text, written as a binary PNG."""
    if not (folder / "mask.png").exists():
        return None
    for name in sorted(values, key=len, reverse=True):  # 'liver cancer' before 'liver'
        if name in text:
            m = np.asarray(Image.open(folder / "mask.png").convert("L")) == values[name]
            if m.any():
                mask = out / "masks" / f"{folder.name}_{values[name]}.png"
                if not mask.exists():
                    save_png(Image.fromarray(m.astype(np.uint8) * 255), mask)
                return mask
    return None


def slake(root: Path, split: str, out: Path, lang: str = "en"):
    names = {"train": ["train.json"], "test": ["test.json"]}
    names["val"] = names["validate"] = names["validation"] = ["validate.json", "validation.json"]
    if split not in names:
        raise InputError(f"--split {split}: SLAKE has train, validate (or val) and test")
    f = _first(root, names[split], f"SLAKE's {split} split file")
    imgs = _first(root, ["imgs"], "SLAKE's imgs/ folder (unzip imgs.zip there)")
    mask_values = _slake_masks(root)

    def row(r, i):
        if lang != "all" and r.get("q_lang") != lang:
            return f"q_lang is not {lang}"
        question, answer, name = _text(r, "question"), _text(r, "answer"), _text(r, "img_name")
        folder = imgs / Path(name).parent
        text = f"{question} {answer}".lower()
        named = _slake_boxes(folder, text)
        mask = _slake_mask(folder, text, mask_values, out)
        lesion = None
        if named or mask:
            lesion = {"boxes": [b for _, b in named], "mask": mask and str(mask)}
            lesion["labels"] = [n for n, _ in named]
        meta = {"dataset": "slake", "split": split}
        meta |= {k: r.get(k) for k in ("modality", "location", "answer_type", "content_type")}
        return sample_row(f"slake:{_text(r, 'qid')}", imgs / name, question, answer, meta, lesion)

    yield from _each(f"{f}:", _load_json(f), row)


def vqa_rad(root: Path, split: str, out: Path):
    names = ["VQA_RAD Dataset Public.json", "VQA_RAD_Dataset_Public.json"]
    f = _first(root, names, "VQA-RAD's public JSON")
    folders = ["VQA_RAD Image Folder", "VQA_RAD_Image_Folder", "images"]
    imgs = _first(root, folders, "VQA-RAD's image folder")
    phrases = {"train": ("freeform", "para"), "test": ("test_freeform", "test_para")}[split]

    def row(r, i):
        if r.get("phrase_type") not in phrases:
            return []  # the other split
        meta = {"dataset": "vqa-rad", "split": split, "answer_type": r.get("answer_type")}
        meta |= {"organ": r.get("image_organ"), "question_type": r.get("question_type")}
        question, answer, image = _text(r, "question"), _text(r, "answer"), _text(r, "image_name")
        return sample_row(f"vqa-rad:{r.get('qid', i)}", imgs / image, question, answer, meta)

    yield from _each(f"{f}:", _load_json(f), row)


def path_vqa(root: Path, split: str, out: Path):
    split = {"validate": "val", "validation": "val"}.get(split, split)
    pickles = [root / sub / "qas" / split / f"{split}_qa.pkl" for sub in ("", "pvqa")]
    pkl = next((p for p in pickles if p.exists()), None)
    if pkl:
        yield from _path_vqa_pickle(pkl, split)
    else:
        yield from _path_vqa_parquet(root, split, out)


def _path_vqa_pickle(pkl: Path, split: str):
    """A list of {'image', 'question', 'answer'}, or LXMERT-style {'img_id', 'sent', 'label':
    {answer: score}}; loaded with an unpickler that refuses anything but plain data."""
    imgs = pkl.parents[2] / "images" / split
    with open(pkl, "rb") as f:
        records = _PlainUnpickler(f).load()

    def row(r, i):
        image, question = r.get("image", r.get("img_id")), r.get("question", r.get("sent"))
        answer = r.get("answer")
        if answer is None and isinstance(r.get("label"), dict) and r["label"]:
            answer = max(r["label"], key=r["label"].get)
        if image is None or question is None or answer is None:
            return "missing image/question/answer"
        meta = {"dataset": "path-vqa", "split": split, "answer_type": _answer_type(str(answer))}
        image = imgs / f"{_safe(image)}.jpg"
        return sample_row(f"path-vqa:{split}:{i}", image, str(question), str(answer), meta)

    yield from _each(f"{pkl}:", records, row)


def _path_vqa_parquet(root: Path, split: str, out: Path):

    names = {"val": ("val", "validation")}.get(split, (split,))
    globs = [pattern.format(n) for n in names for pattern in ("{}-*.parquet", "*/{}-*.parquet")]
    files = sorted(p for g in globs for p in root.glob(g))
    if not files:
        raise InputError(
            f"{root}: expected PathVQA as qas/{split}/{split}_qa.pkl (+ images/{split}/) or as "
            f"{split}-*.parquet (optionally under data/)"
        )
    for f in files:

        def row(r, i, f=f):
            data = (r.get("image") or {}).get("bytes") if isinstance(r.get("image"), dict) else None
            if not data:
                return "no image bytes"
            try:
                suffix = (Image.open(io.BytesIO(data)).format or "png").lower()
            except OSError:
                return "image unreadable (not an image)"
            dst = out / "images" / "path-vqa" / f"{_safe(f.stem)}_{i}.{suffix}"
            if not dst.exists():
                write_atomic(dst, lambda t: Path(t).write_bytes(data))
            answer = _text(r, "answer")
            meta = {"dataset": "path-vqa", "split": split, "answer_type": _answer_type(answer)}
            return sample_row(f"path-vqa:{f.stem}:{i}", dst, _text(r, "question"), answer, meta)

        yield from _each(f"{f}:", pq.read_table(f).to_pylist(), row)


def iu_xray(root: Path, split: str, out: Path, views: str = "first"):
    f = _first(root, ["annotation.json"], "R2Gen's annotation.json")
    imgs = _first(root, ["images"], "R2Gen's images/ folder")
    data = _load_json(f).get({"validate": "val", "validation": "val"}.get(split, split))
    if data is None:
        raise InputError(f"{f}: has no '{split}' key (expected train, val, test)")

    def rows(r, i):
        paths, report = r["image_path"], _text(r, "report")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise _Field("image_path", f"a list of image paths, got {paths!r}")
        made = []
        for v, p in enumerate(paths[: 1 if views == "first" else None]):
            id_ = f"iu-xray:{_text(r, 'id')}" + (f":{v}" if views == "both" else "")
            meta = {"dataset": "iu-xray", "split": split, "view": v}
            made.append(sample_row(id_, imgs / p, REPORT_PROMPT, report, meta, task="report"))
        return made

    yield from _each(f"{f}:{split}", data, rows)


def _report_sections(text: str) -> str:
    """'Findings: ... Impression: ...' from a MIMIC-CXR free-text report (SECTION: headers)."""
    parts = {}
    pattern = r"(FINDINGS|IMPRESSION):(.*?)(?=\n\s*[A-Z][A-Z /]+:|\Z)"
    for m in re.finditer(pattern, text, re.S):
        parts[m.group(1).capitalize()] = " ".join(m.group(2).split())
    return " ".join(f"{k}: {v}" for k, v in parts.items() if v)


def _mimic_reports(root: Path, reports: str):
    """study -> report text: from MIT-LCP's sectioned CSV (study, impression, findings), or a
    function reading files/pXX/pSUBJ/sSTUDY.txt under the reports folder (default: root)."""
    if reports.endswith(".csv"):
        sectioned = {}
        for r in _csv_rows(Path(reports)):
            parts = [(k.capitalize(), r.get(k, "").strip()) for k in ("findings", "impression")]
            sectioned[r["study"]] = " ".join(f"{k}: {text}" for k, text in parts if text)
        return lambda rel, study: sectioned.get(f"s{study}")
    folder = Path(reports) if reports else root

    def read(rel: Path, study: str):
        txt = folder / rel.parent / f"s{study}.txt"
        return _report_sections(txt.read_text()) if txt.exists() else None

    return read


def mimic_cxr(root: Path, split: str, out: Path, views: str = "PA,AP", reports: str = ""):
    split = {"val": "validate", "validation": "validate"}.get(split, split)  # MIMIC: 'validate'
    names = ["mimic-cxr-2.0.0-split.csv.gz", "mimic-cxr-2.0.0-split.csv"]
    split_csv = _first(root, names, "the split CSV")
    names = ["mimic-cxr-2.0.0-metadata.csv.gz", "mimic-cxr-2.0.0-metadata.csv"]
    meta = {r.get("dicom_id"): r for r in _csv_rows(_first(root, names, "the metadata CSV"))}
    report_of = _mimic_reports(root, reports)

    def row(r, i):
        if r["split"] != split:
            return []
        dicom, view = _safe(_text(r, "dicom_id")), meta.get(r["dicom_id"], {}).get("ViewPosition")
        if views and view not in views.split(","):
            return f"view {view or 'unknown'} not in {views}"
        subject, study = _safe(_text(r, "subject_id")), _safe(_text(r, "study_id"))
        rel = Path("files") / f"p{subject[:2]}" / f"p{subject}" / f"s{study}"
        report = report_of(rel, study)
        if not report:
            return "no report (or no findings/impression section)"
        info = {"dataset": "mimic-cxr", "split": split, "view": view, "study_id": study}
        image = root / rel / f"{dicom}.jpg"
        return sample_row(f"mimic-cxr:{dicom}", image, REPORT_PROMPT, report, info, task="report")

    yield from _csv_each(split_csv, row)


def _csv_each(path: Path, make):
    """_each over a CSV's rows, each placed at its line (the header is line 1)."""
    for where, made in _each(f"{path.name}:", _csv_rows(path), make):
        line = int(where[where.rindex("[") + 1 : -1]) + 2
        yield f"{path.name}:{line}", made


def _box_questions(name, dataset, split, image, findings: dict, width: int, absent="abnormality"):
    """Presence and location questions from box labels. findings: {finding: [boxes]}; {} means
    that `absent` is absent."""
    meta = {"dataset": dataset, "split": split}
    closed, opened = meta | {"answer_type": "CLOSED"}, meta | {"answer_type": "OPEN"}
    if not findings:
        question = f"Is there {'any ' * (absent == 'abnormality')}{absent} in this chest X-ray?"
        yield sample_row(f"{name}:absent", image, question, f"No, there is no {absent}.", closed)
    for finding, boxes in findings.items():
        sides = {_side(b, width) for b in boxes}
        where = f"the {sides.pop()} lung" if len(sides) == 1 else "both lungs"
        lesion = {"boxes": boxes, "mask": None, "labels": [finding] * len(boxes)}
        key, f = finding.lower().replace(" ", "_").replace("/", "_"), finding.lower()
        question, answer = f"Is there {f} in this chest X-ray?", f"Yes, there is {f}."
        yield sample_row(f"{name}:{key}:presence", image, question, answer, closed, lesion)
        question, answer = f"Where is the {f}?", f"The {f} is in {where}."
        yield sample_row(f"{name}:{key}:location", image, question, answer, opened, lesion)


def _hash_split(key: str, split: str, test_share: float = 0.1) -> bool:
    """A fixed split for datasets that publish labels for one split only (by a hash of the id)."""
    return (zlib.crc32(key.encode()) % 1000 < test_share * 1000) == (split == "test")


def _find_image(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    return next((folder / f"{stem}{e}" for e in suffixes if (folder / f"{stem}{e}").exists()), None)


def _boxes_by_image(path: Path, key: str, box) -> dict:
    """image id -> (findings {name: [boxes]}, None, or (why, where) it is skipped). box(row) gives
    (finding, [x0, y0, x1, y1]) or None; a malformed row marks its image as skipped, naming the
    field and the CSV line."""
    images = {}
    for line, r in enumerate(_csv_rows(path), 2):
        where = f"{path}:{line}"
        if not r.get(key):
            images[where] = ({}, (f"field '{key}': expected a value (missing)", where))
            continue
        found, bad = images.setdefault(r[key], ({}, None))
        try:
            made = box(r)
        except _Field as e:
            images[r[key]] = (found, bad or (str(e), where))
            continue
        if made:
            found.setdefault(made[0], []).append(made[1])
    return images


def vindr_cxr(root: Path, split: str, out: Path, max_size: int = 1024):
    """VinDr-CXR: the Kaggle train.csv (x_min, y_min, x_max, y_max corners, 3 readers, whose
    boxes of one finding are merged) or PhysioNet's annotations/annotations_{split}.csv; DICOMs
    under {split}/ (or train/ with a hash split)."""
    f = _first(root, [f"annotations/annotations_{split}.csv", "train.csv"], "VinDr's box CSV")
    kaggle = f.name == "train.csv"

    def box(r):
        if not r.get("x_min") or r.get("class_name") == "No finding":
            return None
        return r.get("class_name"), [_number(r, k) for k in ("x_min", "y_min", "x_max", "y_max")]

    folder = root / ("train" if kaggle else split)
    for image_id, (found, bad) in _boxes_by_image(f, "image_id", box).items():
        if kaggle and not _hash_split(image_id, split):
            continue
        found = {k: _merge_boxes(v) for k, v in found.items()}
        labels = ("vindr-cxr", split, max_size, "abnormality")
        yield from _box_rows(f"{f}:{image_id}", bad, folder, image_id, found, out, labels)


def rsna(root: Path, split: str, out: Path, max_size: int = 1024):
    """RSNA Pneumonia: x, y, width, height with x, y the TOP-LEFT corner (checked: max(x + w) =
    1024); only training labels are public, so train/test is a fixed hash split of patients."""
    f = _first(root, ["stage_2_train_labels.csv", "stage_1_train_labels.csv"], "RSNA's label CSV")
    imgs = _first(root, ["stage_2_train_images", "stage_1_train_images"], "RSNA's DICOM folder")

    def box(r):
        if r.get("Target") != "1" or not r.get("x"):
            return None
        x, y, w, h = (_number(r, k) for k in ("x", "y", "width", "height"))
        return "Pneumonia", [x, y, x + w, y + h]

    for patient, (found, bad) in _boxes_by_image(f, "patientId", box).items():
        if not _hash_split(patient, split):
            continue
        labels = ("rsna", split, max_size, "pneumonia")
        yield from _box_rows(f"{f}:{patient}", bad, imgs, patient, found, out, labels)


def _box_rows(where: str, bad, folder: Path, image_id: str, found: dict, out: Path, labels):
    """The presence and location rows of one image with box labels (a DICOM is written as PNG
    under a name made safe). labels: (dataset, split, max_size, what is absent when no box)."""
    dataset, split, max_size, absent = labels
    if bad:
        yield bad[1], bad[0]
        return
    src = _find_image(folder, _safe(image_id), (".dicom", ".dcm", ".png"))
    if src is None:
        yield where, "image missing"
        return
    dst, scale = src, 1.0
    if src.suffix != ".png":
        dst = out / "images" / dataset / f"{_safe(image_id)}.png"
        scale = _dicom_png(src, dst, max_size)
    found = {k: [[v * scale for v in b] for b in boxes] for k, boxes in found.items()}
    width = Image.open(dst).width
    name = f"{dataset}:{image_id}"
    for row in _box_questions(name, dataset, split, str(dst), found, width, absent):
        yield where, row


CONVERTERS = {
    "slake": slake, "vqa-rad": vqa_rad, "path-vqa": path_vqa, "iu-xray": iu_xray,
    "mimic-cxr": mimic_cxr, "vindr-cxr": vindr_cxr, "rsna": rsna,
}  # fmt: skip


def _image_size(path: str) -> tuple[int, int] | str:
    """The image's size, or why it cannot be used."""
    try:
        with Image.open(path) as im:
            size = im.size
            im.verify()
    except FileNotFoundError:
        return "image missing"
    except Exception as e:  # truncated or not an image: PIL raises many kinds
        return f"image unreadable ({type(e).__name__})"
    return size


def _clip_boxes(boxes: list, size: tuple[int, int]) -> list:
    """Boxes clipped to the image; those left empty are dropped."""
    w, h = size
    clipped = [[max(0, b[0]), max(0, b[1]), min(w, b[2]), min(h, b[3])] for b in boxes]
    return [b for b in clipped if b[2] > b[0] and b[3] > b[1]]


def convert(dataset: str, root: str | Path, out: str | Path, split: str = "train", **kw) -> Report:
    """Convert one split of a dataset to the sample JSONL at `out`. Each image must exist and
    open; boxes are clipped to the image (a box wholly outside skips the row). Written
    atomically, with image and mask paths relative to `out`."""
    root, out = Path(root).expanduser(), Path(out)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (--root must be the dataset's top folder)")
    report, rows = Report(f"{dataset} {split}"), []
    for where, row in CONVERTERS[dataset](root, split, out.parent, **kw):
        report.read += 1
        size = row if isinstance(row, str) else _image_size(row["image"])
        if isinstance(size, str):
            report.skip(where, size)
            continue
        lesion = row.get("lesion")
        if lesion and lesion.get("boxes"):
            lesion["boxes"] = _clip_boxes(lesion["boxes"], size)
            if not lesion["boxes"]:
                report.skip(where, "lesion box outside the image")
                continue
        row["image"] = os.path.relpath(row["image"], out.parent)
        if lesion and lesion.get("mask"):
            lesion["mask"] = os.path.relpath(lesion["mask"], out.parent)
        rows.append(row)
    report.written = len(rows)
    write_jsonl(out, rows)
    return report
