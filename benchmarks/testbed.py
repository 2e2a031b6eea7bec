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
import checks  # noqa: E402
import demo  # noqa: E402
import evaluation  # noqa: E402
import files  # noqa: E402
import medpo  # noqa: E402
import scores  # noqa: E402


def unrelated(samples: list[dict]) -> list[dict]:
    """Each question with the image of a sample half the split away (another picture)."""
    half = len(samples) // 2
    return [
        s | {"image": samples[(i + half) % len(samples)]["image"]} for i, s in enumerate(samples)
    ]


def majority(samples: list[dict]) -> dict:
    rates = {}
    for kind in sorted({s["meta"]["kind"] for s in samples}):
        answers = Counter(s["answer"] for s in samples if s["meta"]["kind"] == kind)
        rates[kind] = max(answers.values()) / sum(answers.values())
    return rates


def measure(cache: Path, split: str) -> dict:
    cfg = medpo.Config(cache_dir=str(cache), max_new_tokens=16)  # the demo's defaults
    rows = checks.read_samples(demo.ensure_demo(cache) / f"{split}.jsonl")
    samples = [medpo.load_images(s, cfg) for s in rows]
    model, processor, _ = medpo.load_model(cfg, for_generation=True)
    result = {"split": split, "questions": len(samples), "majority": majority(samples)}

    def by_kind(asked: list[dict], image_key: str = "image") -> dict:
        scorer = lambda rows: evaluation.answer_logps(model, processor, rows)  # noqa: E731
        right = scores.choices_right(asked, scorer, image_key)
        return {k.split("/")[1]: v for k, v in scores.by_kind("x", asked, right).items()}

    result["true image"] = by_kind(samples)
    result["unrelated image"] = by_kind(unrelated(samples))
    result[f"v' ({cfg.corruption})"] = by_kind(samples, "image_vis")
    answers = evaluation.generate(model, processor, samples, cfg.max_new_tokens)
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
    files.write_atomic(out, lambda t: Path(t).write_text(text))
    return result


if __name__ == "__main__":
    main()
