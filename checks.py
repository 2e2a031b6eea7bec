"""The project's JSONL, checked at the door: every problem in a sample or pair file is reported
as file:line: field, what was expected, before any model is loaded. Images are decoded in full
here, so a truncated file stops the run before step 1, not at step 300.

The sample JSONL, one object per line (image paths relative to the JSONL's folder):
  {"id", "image", "question", "answer", "task": "vqa" | "report",
   "lesion": null | {"boxes": [[x0, y0, x1, y1], ...], "mask": null | "mask.png", "labels": [...]},
   "meta": {...}}
A pair JSONL adds chosen, rejected, chosen_spans, rejected_spans, model_correct and, optionally,
corrupted_image (a precomputed v').
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from PIL import Image

from batches import answer_tokens
from clinical import word_diff
from tracking import tracker_missing


class InputError(ValueError):
    """A problem with the user's data, flags or files, found before any work: the command line
    reports it in one line (error: ...) and exits with 2."""


MAX_IMAGE_PIXELS = 100_000_000  # larger images are refused (PIL: a decompression bomb past 179M)


def _bad(path, line, field, expected) -> ValueError:
    return InputError(f"{path}:{line}: field '{field}': expected {expected}")


def read_samples(path: str | Path) -> list[dict]:
    """Sample or pair rows of a JSONL file, checked; image and mask paths made absolute."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InputError(f"{path}: no such file (expected a sample or pair JSONL, or --data demo)")
    rows, pairs, first_line = [], None, {}
    for n, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        if not raw.strip():
            continue
        row = json_object(raw, path, n)
        pairs = ("chosen" in row) if pairs is None else pairs
        _check_row(row, pairs, path, n)
        if row["id"] in first_line:
            raise _bad(
                path, n, "id", f"a unique id, {row['id']!r} is on line {first_line[row['id']]} too"
            )
        first_line[row["id"]] = n
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no samples in the file")
    return rows


def json_object(raw: bytes, path: Path, n: int) -> dict:
    """Line n of a JSONL file as a JSON object, or an InputError saying what is wrong there."""
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"{path}:{n}: not UTF-8 text (byte {e.start + 1} of the line)") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{n}: not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(row, dict):
        raise InputError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
    return row


def _check_row(row: dict, pairs: bool, path: Path, n: int) -> None:
    """Check one row in place; relative paths become absolute, a null meta becomes {}."""
    needed = ("id", "image", "question") + (("chosen", "rejected") if pairs else ("answer",))
    for f in needed:
        value = row.get(f)
        if isinstance(value, int) and not isinstance(value, bool) and f == "id":
            row[f] = str(value)
        elif not isinstance(value, str) or not value.strip():
            got = " (missing)" if f not in row else f", got {value!r}"
            raise _bad(path, n, f, "a non-empty string" + got)
    row["image"] = str(_resolve(row["image"], path))
    size = check_image(row["image"], path, n, "image")
    if row.get("corrupted_image"):  # a precomputed v'
        row["corrupted_image"] = str(_resolve(row["corrupted_image"], path))
        check_image(row["corrupted_image"], path, n, "corrupted_image", size)
    if row.get("meta") is None:
        row["meta"] = {}
    if not isinstance(row["meta"], dict):
        raise _bad(path, n, "meta", f"an object (or null), got {row['meta']!r}")
    if pairs:
        _check_spans(row, path, n)
    if row.get("lesion") is not None:
        _check_lesion(row["lesion"], size, path, n)


def check_image(name: str, path: Path, n: int, field: str, size=None) -> tuple[int, int]:
    """Decode an image in full; its (width, height). Refused: unreadable, truncated, larger
    than MAX_IMAGE_PIXELS, or (size given) another size than the image it goes with."""
    try:
        with Image.open(name) as im:
            if im.width * im.height > MAX_IMAGE_PIXELS:
                raise _bad(path, n, field, f"at most {MAX_IMAGE_PIXELS:,} pixels, {name} is "
                           f"{im.width}x{im.height}: downscale it first")  # fmt: skip
            im.load()
            found = im.size
    except Image.DecompressionBombError:
        raise _bad(
            path, n, field, f"at most {MAX_IMAGE_PIXELS:,} pixels, {name} has more"
        ) from None
    except InputError:
        raise
    except (OSError, ValueError, SyntaxError) as e:
        why = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".rstrip(": ")
        raise _bad(path, n, field, f"a readable image file, {name} is not ({why})") from None
    if size is not None and found != size:
        raise _bad(
            path,
            n,
            field,
            f"a {size[0]}x{size[1]} image like 'image', {name} is {found[0]}x{found[1]}",
        )
    return found


def _resolve(name: str, jsonl: Path) -> Path:
    """A path from a JSONL row: absolute, or relative to the JSONL's folder."""
    return (Path(name) if Path(name).is_absolute() else jsonl.parent / name).resolve()


def _check_spans(row: dict, path: Path, n: int) -> None:
    if row["chosen"] == row["rejected"]:
        raise _bad(path, n, "rejected", "a text that differs from 'chosen'")
    for f in ("chosen_spans", "rejected_spans"):
        text, spans = row[f.split("_")[0]], row.get(f)
        ok = isinstance(spans, list) and all(
            isinstance(s, list) and len(s) == 2 and all(type(x) is int for x in s)
            and 0 <= s[0] < s[1] <= len(text)
            for s in spans
        )  # fmt: skip
        if not ok:
            expected = f"a list of [start, end) character spans inside the {len(text)}-char text"
            raise _bad(path, n, f, expected)
    if not (row["chosen_spans"] or row["rejected_spans"]):
        raise _bad(path, n, "chosen_spans", "at least one edited span (both lists are empty)")


def _finite(x) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool) and math.isfinite(x)


def box_problem(box, size: tuple[int, int]) -> str | None:
    """What a lesion box (x0, y0, x1, y1) on a (width, height) image should have been, or None
    when it is usable. One check for the data files and for corrupt_lesion alike."""
    w, h = size
    four = isinstance(box, (list, tuple, np.ndarray)) and len(box) == 4
    if not (four and all(_finite(v) for v in box)):
        return f"[x0, y0, x1, y1] finite pixel corners (four numbers), got {box!r}"
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return f"x1 > x0 and y1 > y0, got the degenerate box {box!r}"
    if x1 <= 0 or y1 <= 0 or x0 >= w or y0 >= h:
        return f"a box inside the {w}x{h} (WxH) image, got {box!r}, which lies outside"
    return None


def _check_lesion(lesion, size: tuple[int, int], path: Path, n: int) -> None:
    if not isinstance(lesion, dict):
        raise _bad(path, n, "lesion", "null or an object with 'boxes' and/or 'mask'")
    boxes = lesion.get("boxes") or []
    if not isinstance(boxes, list):
        raise _bad(path, n, "lesion.boxes", f"a list of [x0, y0, x1, y1] boxes, got {boxes!r}")
    for box in boxes:
        problem = box_problem(box, size)
        if problem:
            raise _bad(path, n, "lesion.boxes", problem)
    if lesion.get("mask"):
        if not isinstance(lesion["mask"], str):
            raise _bad(path, n, "lesion.mask", f"a path to a mask image, got {lesion['mask']!r}")
        lesion["mask"] = str(_resolve(lesion["mask"], path))
        check_image(lesion["mask"], path, n, "lesion.mask", size)
        with Image.open(lesion["mask"]) as m:
            if not np.asarray(m.convert("L")).any():
                raise _bad(path, n, "lesion.mask", "a mask with lesion pixels (it is all zero)")


def sample_row(id_: str, image, question: str, answer: str, meta: dict, lesion=None, task="vqa"):
    """A row of the project's sample JSONL."""
    return {
        "id": id_, "image": str(image), "question": question, "answer": answer, "task": task,
        "lesion": lesion, "meta": meta,
    }  # fmt: skip


# -------------------------------------------------------------------------------------------------
# Flags and pairs: a flag out of its range, or a pair the loss cannot learn from, stops the run
# before the model is loaded.

POSITIVE = ["beta", "learning_rate", "lora_r", "lora_alpha", "rounds", "max_new_tokens"]
POSITIVE += ["num_train_epochs", "per_device_train_batch_size", "gradient_accumulation_steps"]
POSITIVE += ["head_chunk", "max_completion_length", "save_steps", "save_total_limit"]
POSITIVE += ["editor_timeout"]
NON_NEGATIVE = ["gamma", "alpha", "w_in", "w_out", "anchor_weight", "sft_weight", "sigma"]
NON_NEGATIVE += ["global_sigma", "weight_decay", "max_grad_norm", "eval_limit", "max_image_side"]
NON_NEGATIVE += ["eval_steps"]
BELOW_ONE = ["lora_dropout", "warmup_ratio"]


def check_flags(cfg) -> None:
    """Refuse flags out of their range, all named in one InputError."""
    found = [(n, "a number > 0") for n in POSITIVE if not getattr(cfg, n) > 0]
    found += [(n, "a number >= 0") for n in NON_NEGATIVE if not getattr(cfg, n) >= 0]
    found += [(n, "a number in [0, 1)") for n in BELOW_ONE if not 0 <= getattr(cfg, n) < 1]
    if not 0 <= cfg.lam <= 1:
        found.append(("lam", "a number in [0, 1] (the share of the forward KL)"))
    if cfg.max_steps == 0 or cfg.max_steps < -1:
        found.append(("max_steps", "-1 (all rounds and epochs) or a number >= 1"))
    if cfg.w_in == 0 and cfg.w_out == 0:
        found.append(("w_in", "a weight > 0 where --w_out is 0: else no token counts"))
    if tracker_missing(cfg.report_to):
        found.append(("report_to", f"an installed tracker (pip install {cfg.report_to})"))
    if found:
        problems = [f"--{name} {getattr(cfg, name)}: expected {want}" for name, want in found]
        raise InputError("; ".join(problems))


def check_pairs(rows: list[dict], data: str, processor, max_len: int) -> None:
    """Refuse pairs the loss cannot learn from: spans that cover none of the words where chosen
    and rejected differ, or whose tokens all lie past the answer length of max_len tokens."""
    for row in rows:
        where = f"{data}: pair {row['id']!r}"
        regions = word_diff(row["rejected"], row["chosen"])
        diffs = {"rejected": [r for r, _ in regions if r], "chosen": [c for _, c in regions if c]}
        touches = [
            any(a < e and b > s for s, e in row[f"{side}_spans"] for a, b in diffs[side])
            for side in diffs
        ]
        if not any(touches):
            differ = f"({diffs['chosen']} in chosen, {diffs['rejected']} in rejected)"
            raise InputError(
                f"{where}: field 'chosen_spans': expected spans over the words that differ {differ}"
            )
        weights = [
            answer_tokens(processor, row[side], row[f"{side}_spans"], 1.0, 0.0, max_len)[1]
            for side in diffs
        ]
        if not any(w.any() for w in weights):
            raise InputError(
                f"{where}: its edited spans lie past --max_completion_length {max_len} tokens: "
                "none would count"
            )
