"""Small-scale study: does each part of MedPO earn its place? Measured on the demo world, where the
truth (lesion, side, size) is exact, with the tiny model and the demo's defaults.

  python benchmarks/study.py                  # every variant x 5 seeds on the test split
  python benchmarks/study.py --split val      # the same on the validation split
  python benchmarks/study.py --quick          # 3 variants x 1 seed, short runs (the tests run it)

Every variant starts from the same warmed-up tiny model and trains for the same number of steps.
On-policy pairs come from that model's greedy answers on the train split (rule editor, a new
planted-error draw per seed); the off-policy baseline pairs the reference answer (chosen) with
the model's wrong answer (rejected). Seeds pair the runs: a variant's difference to full MedPO is
taken seed by seed, with a 95% t-interval. Writes results.json, results.md and study.png.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import shutil
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import checks  # noqa: E402
import clinical  # noqa: E402
import data_prep  # noqa: E402
import demo  # noqa: E402
import evaluation  # noqa: E402
import files as files_module  # noqa: E402
import medpo  # noqa: E402

PLAIN_DPO = dict(w_in=1.0, w_out=1.0, gamma=0.0, alpha=0.0)
FULL = "MedPO (full)"
VARIANTS = {  # name -> (pairs, Config overrides)
    "DPO, off-policy ground-truth pairs": ("offpolicy", PLAIN_DPO),
    "DPO, on-policy pairs, whole answers": ("onpolicy", PLAIN_DPO),
    "MASK-DPO (gamma 0, alpha 0)": ("onpolicy", dict(gamma=0.0, alpha=0.0)),
    "RRPO on spans (gamma 0, lam 1)": ("onpolicy", dict(gamma=0.0, lam=1.0)),
    "MedPO w/o KL (alpha 0)": ("onpolicy", dict(alpha=0.0)),
    "MedPO w/o visual term (gamma 0)": ("onpolicy", dict(gamma=0.0)),
    "MedPO, FKL only (lam 1)": ("onpolicy", dict(lam=1.0)),
    "MedPO, RKL only (lam 0)": ("onpolicy", dict(lam=0.0)),
    "MedPO, v' lesion noise (the paper's)": ("onpolicy", dict(corruption="lesion_noise")),
    "MedPO, v' global noise": ("onpolicy", dict(corruption="global_noise")),
    "MedPO, v' full black": ("onpolicy", dict(corruption="full_black")),
    "MedPO, v' crop": ("onpolicy", dict(corruption="crop")),
    "MedPO, 2 on-policy rounds": ("samples", dict(rounds=2)),
    FULL: ("onpolicy", {}),  # v' = black region, the demo's default
}
QUICK = ["DPO, off-policy ground-truth pairs", "MASK-DPO (gamma 0, alpha 0)", FULL]
METRICS = [
    "accuracy",
    "choice_accuracy",
    "against_prior",
    "grounding_gap",
    "choice_grounding_gap",
    "degenerate",
    "style_drift",
]


def onpolicy_pairs(samples: list[dict], answers: list[str], cfg) -> list[dict]:
    """The pairs medpo.build_pairs makes from these answers (the seed sets the planted errors,
    drawn as build_pairs draws them)."""
    pairs = []
    for s, a in zip(samples, answers, strict=True):
        rng = np.random.default_rng([cfg.seed, 0, zlib.crc32(str(s["id"]).encode())])
        pair, _ = medpo.pair_outcome(a, s["answer"], s["question"], None, rng) if a else (None, "")
        pairs += [s | pair] if pair else []
    return pairs


def offpolicy_pairs(samples: list[dict], answers: list[str]) -> list[dict]:
    """Ground-truth-style pairs: chosen = the reference answer, rejected = the model's answer."""
    out = []
    for s, a in zip(samples, answers, strict=True):
        if a.strip() and a != s["answer"]:
            rejected_spans, chosen_spans = medpo.edit_spans(a, s["answer"])
            out.append(s | dict(chosen=s["answer"], rejected=a, chosen_spans=chosen_spans,
                                rejected_spans=rejected_spans, model_correct=False))  # fmt: skip
    return out


def against_prior(samples: list[dict]) -> list[dict]:
    """Questions about images whose lesion is on the right: the warm-up's prior says left."""
    return [s for s in samples if s["meta"].get("side") == "right"]


def measure(model, processor, test: list[dict], base_answers, cfg) -> tuple[dict, list[str]]:
    """The held-out metrics of one model (METRICS), and its greedy answers."""
    ev = medpo.evaluate(model, processor, test, cfg, keep_answers=True)
    answers = [e["answer"] for e in ev["eval/examples"]]
    hard = against_prior(test)
    hard_answers = [a for a, s in zip(answers, test, strict=True) if any(s is h for h in hard)]
    drift = [
        clinical.word_edits(a, b) for a, b in zip(answers, base_answers or answers, strict=True)
    ]
    result = {
        "accuracy": ev["eval/accuracy"],
        "choice_accuracy": ev["eval/choice_accuracy"],
        "against_prior": float(
            np.mean([medpo.is_right(a, s) for a, s in zip(hard_answers, hard, strict=True)])
        ),
        "grounding_gap": ev["eval/grounding_gap"],
        "choice_grounding_gap": ev["eval/choice_grounding_gap"],
        "degenerate": ev["eval/degenerate"],
        "style_drift": float(np.mean([d / n for d, n, _ in drift])),
    }
    return result | {
        k[5:]: v for k, v in ev.items() if k.startswith("eval/choice_accuracy/")
    }, answers


def run_folder(out: Path, name: str, seed: int) -> Path:
    return out / "runs" / f"{list(VARIANTS).index(name):02d}_seed{seed}"


def train_variant(name: str, seed: int, cfg, files: dict, out: Path, steps: int):
    """Train one variant from the base model for `steps` optimizer steps, taking as many epochs
    over its pairs as that needs (variants with fewer pairs see theirs more often): every
    variant is compared at equal steps. Returns the trained model and the run's summary."""
    source, overrides = VARIANTS[name]
    run_dir = run_folder(out, name, seed)
    shutil.rmtree(run_dir, ignore_errors=True)
    where = dict(data=str(files[source]), output_dir=str(run_dir), eval_data="")
    n_pairs = len(files_module.read_jsonl(files[source]))
    per_step = cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps
    epochs = max(1, math.ceil(steps * per_step / n_pairs))
    run_cfg = dataclasses.replace(cfg, seed=seed, save_steps=10**9, **where, **overrides)
    summary = medpo.train(dataclasses.replace(run_cfg, max_steps=steps, num_train_epochs=epochs))
    trained = dataclasses.replace(cfg, adapter=str(run_dir / "final"))
    return medpo.load_model(trained, for_generation=True)[0], summary


def run(
    out: Path, quick: bool, seeds: list[int], cache: Path, split: str, variants=None, **overrides
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    cfg = medpo.Config(cache_dir=str(cache), max_new_tokens=16)  # the demo's defaults
    cfg = dataclasses.replace(cfg, **({"max_steps": 15} if quick else {}) | overrides)
    variants = variants or (QUICK if quick else list(VARIANTS))
    world = demo.ensure_demo(cache)
    train_rows = checks.read_samples(world / "train.jsonl")
    test_rows = checks.read_samples(world / f"{split}.jsonl")[: 300 if quick else None]
    test = [medpo.load_images(s, cfg) for s in test_rows]
    base, processor, _ = medpo.load_model(cfg, for_generation=True)
    metrics, base_answers = measure(base, processor, test, None, cfg)
    results = {"base model (no training)": [metrics] * len(seeds)}
    train = [medpo.load_images(s, cfg) for s in train_rows]
    answers = evaluation.generate(base, processor, train, cfg.max_new_tokens)
    files = {"samples": world / "train.jsonl"}
    pair_stats = {}
    for seed in seeds:
        on = onpolicy_pairs(train_rows, answers, dataclasses.replace(cfg, seed=seed))
        off = offpolicy_pairs(train_rows, answers)
        for source, pairs in (("onpolicy", on), ("offpolicy", off)):
            files[source] = out / f"pairs_{source}_{seed}.jsonl"
            files_module.write_jsonl(files[source], pairs)
            pair_stats[f"{source}_{seed}"] = data_prep.pair_statistics(pairs, Counter())
        per_step = cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps
        steps = cfg.max_steps if cfg.max_steps > 0 else math.ceil(len(on) / per_step)
        for name in variants:  # every variant: as many optimizer steps as full MedPO's one epoch
            t0 = time.time()
            held_out = (processor, test, base_answers, steps)
            metrics = measure_variant(name, seed, cfg, files, out, held_out)
            results.setdefault(name, []).append(metrics)
            shown = ", ".join(f"{k} {metrics[k]:.3f}" for k in METRICS)
            print(f"{name} seed {seed}: {shown} ({time.time() - t0:.0f}s)", flush=True)
    summary = summarise(results)
    report = {"split": split, "seeds": seeds, "quick": quick, "config": dataclasses.asdict(cfg),
              "summary": summary, "per_seed": results, "pair_stats": pair_stats}  # fmt: skip
    write(out, report)
    return summary


def measure_variant(name: str, seed: int, cfg, files: dict, out: Path, held_out) -> dict:
    """Train and measure one variant, or read its metrics back when an earlier study run with the
    same settings finished it (a study interrupted part-way continues where it stopped)."""
    done = run_folder(out, name, seed) / "study_metrics.json"
    settings = json.dumps([name, seed, dataclasses.asdict(cfg)], default=str)
    if done.exists():
        saved = json.loads(done.read_text())
        if saved["settings"] == settings:
            return saved["metrics"]
    processor, test, base_answers, steps = held_out
    model, summary = train_variant(name, seed, cfg, files, out, steps)
    metrics, _ = measure(model, processor, test, base_answers, cfg)
    metrics |= {"steps": summary["steps"], "pairs": summary["pairs"]}
    text = json.dumps({"settings": settings, "metrics": metrics})
    files_module.write_atomic(done, lambda t: Path(t).write_text(text))
    return metrics


def interval(values) -> tuple[float, float, float]:
    """Mean and the 95% t-interval of the mean (half-width 0 for one value)."""
    values = np.asarray(values, dtype=float)
    t95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306}
    half = 0.0
    if len(values) > 1:
        half = t95.get(len(values) - 1, 1.96) * values.std(ddof=1) / math.sqrt(len(values))
    return float(values.mean()), float(values.mean() - half), float(values.mean() + half)


def summarise(results: dict) -> dict:
    """Per variant and metric: mean, std over seeds, and the seed-paired difference to full
    MedPO with its 95% interval."""
    full = results.get(FULL)
    summary = {}
    for name, runs in results.items():
        summary[name] = {}
        for k in runs[0]:
            values = [r[k] for r in runs]
            entry = {"mean": float(np.mean(values)), "std": float(np.std(values))}
            if full and name != FULL:
                diffs = [r[k] - f[k] for r, f in zip(runs, full, strict=False)]
                entry["diff"] = interval(diffs)
            summary[name][k] = entry
    return summary


def write(out: Path, report: dict) -> None:
    text = json.dumps(report, indent=1, default=float)
    files_module.write_atomic(out / "results.json", lambda t: Path(t).write_text(text))
    header = "| variant | steps | pairs | " + " | ".join(METRICS) + " |"
    lines = [header, "|---" * (len(METRICS) + 3) + "|"]
    for name, entries in report["summary"].items():
        size = [f"{entries[k]['mean']:.0f}" if k in entries else "-" for k in ("steps", "pairs")]
        cells = size + [f"{entries[k]['mean']:.3f} ± {entries[k]['std']:.3f}" for k in METRICS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", f"Difference to {FULL}, seed by seed (mean [95% interval]):", ""]
    lines += ["| variant | " + " | ".join(METRICS) + " |", "|---" * (len(METRICS) + 1) + "|"]
    for name, entries in report["summary"].items():
        if "diff" in entries[METRICS[0]]:
            cells = ["{:+.3f} [{:+.3f}, {:+.3f}]".format(*entries[k]["diff"]) for k in METRICS]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"
    files_module.write_atomic(out / "results.md", lambda t: Path(t).write_text(table))
    plot(report["summary"], out / "study.png")
    print(table)


def plot(summary: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(summary)
    shown = ["accuracy", "against_prior", "grounding_gap", "style_drift"]
    fig, axes = plt.subplots(1, len(shown), figsize=(20, 0.45 * len(names) + 1.5), sharey=True)
    for ax, k in zip(axes, shown, strict=True):
        means = [summary[n][k]["mean"] for n in names]
        stds = [summary[n][k]["std"] for n in names]
        ax.barh(names, means, xerr=stds, color="tab:blue")
        ax.set_title(k)
    axes[0].invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--out", default="runs/study", help="results.json, results.md, study.png and the runs"
    )
    ap.add_argument(
        "--quick", action="store_true", help="3 variants, 1 seed, 15 steps, 300 questions"
    )
    ap.add_argument(
        "--seeds", type=int, nargs="+", default=None, help="default 0 1 2 3 4 (quick: 0)"
    )
    ap.add_argument("--split", default="test", choices=["val", "test"], help="where to measure")
    ap.add_argument("--cache_dir", default="~/.cache/medpo", help="the demo world and tiny model")
    ap.add_argument("--variants", nargs="+", default=None, choices=list(VARIANTS), help="a subset")
    ap.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="FLAG=VALUE",
        help="Config values for every variant (how the demo's defaults were chosen)",
    )
    a = ap.parse_args(argv)
    seeds = a.seeds or ([0] if a.quick else [0, 1, 2, 3, 4])
    overrides = {}
    for item in a.set:
        name, value = item.split("=", 1)
        default = getattr(medpo.Config(), name)
        overrides[name] = (
            value.lower() in ("1", "true") if isinstance(default, bool) else type(default)(value)
        )
    cache = Path(a.cache_dir).expanduser()
    return run(Path(a.out), a.quick, seeds, cache, a.split, a.variants, **overrides)


if __name__ == "__main__":
    main()
