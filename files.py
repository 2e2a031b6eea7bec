"""Files, written so that nothing half-written is ever left behind, and images read one way.

A file or a folder is written under a temporary name, flushed to disk (fsync), then renamed into
place: a crash leaves either the old version or the new one, never a torn one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image


def fsync_path(path: str | Path) -> None:
    """Flush a file's or a folder's contents (for a folder: its list of names) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str | Path, write) -> None:
    """Call write(tmp_path), flush it to disk, then rename tmp onto path (same folder, so the
    rename is atomic) and flush the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; give the usual permissions
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def publish_folder(tmp: Path, final: Path) -> None:
    """Make a fully written folder visible under its final, fresh name: flush every file and the
    folder itself, rename it (atomic), flush the parent. final must not exist."""
    for f in tmp.iterdir():
        fsync_path(f)
    fsync_path(tmp)
    os.rename(tmp, final)
    fsync_path(final.parent)


def read_jsonl(path: str | Path, torn_last_line_ok: bool = False) -> list[dict]:
    """The rows of a JSONL file this project wrote (user data goes through read_samples). With
    torn_last_line_ok, a last line cut short by a crash is dropped with a warning."""
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    rows = []
    for n, line in enumerate(lines, 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            if not (torn_last_line_ok and n == len(lines)):
                raise ValueError(f"{path}:{n}: not valid JSON") from None
            print(f"warning: {path}:{n}: dropped a torn last line (an interrupted write)")
    return rows


def write_jsonl(path: str | Path, rows) -> None:
    """One JSON object per line, written atomically."""

    def write(tmp):
        with open(tmp, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")

    write_atomic(path, write)


def save_png(image: Image.Image, path: str | Path) -> None:
    """A PNG written atomically."""
    write_atomic(path, lambda tmp: image.save(tmp, format="PNG"))


def open_image(path: str, max_side: int) -> tuple[Image.Image, float]:
    """An image as L, RGB or RGBA (16- and 32-bit grey stretched to 8 bits over its own range),
    downscaled so that its longer side is at most max_side (0: never); and the scale applied."""
    with Image.open(path) as im:
        im.load()
        image = im
    if image.mode in ("I;16", "I;16B", "I", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        low, high = pixels.min(), pixels.max()
        pixels = (pixels - low) / max(high - low, 1e-12) * 255
        image = Image.fromarray(np.rint(pixels).astype(np.uint8))
    if image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGB")
    scale = min(1.0, max_side / max(image.size)) if max_side else 1.0
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.LANCZOS)
    return image, scale
