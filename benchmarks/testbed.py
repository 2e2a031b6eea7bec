"""Does the demo's base model see, and does v' hide the lesion from it? Measured on a split of
the demo world with the warmed-up tiny model, before any preference training:

  python benchmarks/testbed.py                 # the validation split (where defaults are chosen)
  python benchmarks/testbed.py --split test

For each lesion question kind: forced-choice accuracy (the candidate answer with the highest
summed log-prob) with the true image, with an unrelated image (another image of the split, the
questions unchanged), and with v' (the demo's corruption), beside the majority-class rate; then
the strict accuracy of greedy answers. A model that sees scores well above the majority rate on
the true image and falls to it on an unrelated image; a v' that hides the lesion brings it there
too. Writes testbed.json beside --out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import data_prep  # noqa: E402
import medpo  # noqa: E402


def unrelated(samples: list[dict]) -> list[dict]:
    """Each question with the image of a sample half the split away (another picture)."""
    half = len(samples) // 2
    return [
        s | {"image": samples[(i + half) % len(samples)]["image"]} for i, s in enumerate(samples)
    ]


def by_kind(samples: list[dict], picks: list[str]) -> dict:
    right = np.array([p == s["answer"] for p, s in zip(picks, samples, strict=True)])
    kinds = np.array([s["meta"]["kind"] for s in samples])
    return {k: float(right[kinds == k].mean()) for k in sorted(set(kinds))}


def majority(samples: list[dict]) -> dict:
    rates = {}
    for kind in sorted({s["meta"]["kind"] for s in samples}):
        answers = Counter(s["answer"] for s in samples if s["meta"]["kind"] == kind)
        rates[kind] = max(answers.values()) / sum(answers.values())
    return rates


def measure(cache: Path, split: str) -> dict:
    from transformers import AutoModelForImageTextToText, AutoProcessor

    cfg = medpo.Config(cache_dir=str(cache), max_new_tokens=16)  # the demo's defaults
    rows = data_prep.read_samples(data_prep.ensure_demo(cache) / f"{split}.jsonl")
    samples = [medpo.load_images(s, cfg) for s in rows]
    folder = data_prep.tiny_model(cache)
    model = AutoModelForImageTextToText.from_pretrained(folder).eval()
    processor = AutoProcessor.from_pretrained(folder)
    result = {"split": split, "questions": len(samples), "majority": majority(samples)}
    result["true image"] = by_kind(samples, medpo.choose(model, processor, samples))
    result["unrelated image"] = by_kind(samples, medpo.choose(model, processor, unrelated(samples)))
    result[f"v' ({cfg.corruption})"] = by_kind(
        samples, medpo.choose(model, processor, samples, vis=True)
    )
    answers = medpo.generate(model, processor, samples, cfg)
    right = [medpo.is_right(a, s) for a, s in zip(answers, samples, strict=True)]
    result["greedy strict accuracy"] = float(np.mean(right))
    return result


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--split", default="val", choices=["val", "test"], help="where to measure")
    ap.add_argument("--cache_dir", default="~/.cache/medpo", help="the demo world and tiny model")
    ap.add_argument("--out", default="runs/testbed", help="testbed.json goes here")
    a = ap.parse_args(argv)
    result = measure(Path(a.cache_dir).expanduser(), a.split)
    rows = [k for k in result if isinstance(result[k], dict)]
    kinds = list(result["majority"])
    print(f"forced-choice accuracy, {result['split']} split ({result['questions']} questions)")
    print(f"| {'':18} | " + " | ".join(kinds) + " |")
    for row in rows:
        print(f"| {row:18} | " + " | ".join(f"{result[row][k]:.3f}" for k in kinds) + " |")
    print(f"greedy strict accuracy: {result['greedy strict accuracy']:.3f}")
    text = json.dumps(result, indent=1)
    out = Path(a.out) / "testbed.json"
    data_prep.write_atomic(out, lambda t: Path(t).write_text(text))
    return result


if __name__ == "__main__":
    main()
