"""Small-scale study: does each part of MedPO earn its place? Measured on the demo world, where the
ground truth (lesion present, side, size) is exact.

  python benchmarks/study.py --out runs/study           # 13 variants x 3 seeds (~25 min on 2 CPU cores)
  python benchmarks/study.py --out runs/study --quick   # 3 variants x 1 seed, short runs (~2 min; CI runs it)

Every variant starts from the same warmed-up tiny model and trains on the same split. On-policy
pairs come from that model's own answers (rule editor); the off-policy DPO baseline uses the
reference answer as chosen and the model's answer as rejected, with full-sequence weights.
Writes results.json, results.md (mean +- std over seeds) and study.png to --out.
"""

from __future__ import annotations

import argparse
from collections import Counter
import dataclasses
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import data_prep  # noqa: E402
import medpo  # noqa: E402

PLAIN_DPO = dict(w_in=1.0, w_out=1.0, gamma=0.0, alpha=0.0)
VARIANTS = {  # name -> (pairs, Config overrides)
    "DPO, off-policy GT pairs": ("offpolicy", PLAIN_DPO),
    "MASK-DPO (gamma 0, alpha 0)": ("onpolicy", dict(gamma=0.0, alpha=0.0)),
    "RRPO (lam 1, gamma 0)": ("onpolicy", dict(gamma=0.0, lam=1.0)),
    "MedPO w/o visual term": ("onpolicy", dict(gamma=0.0)),
    "MedPO w/o KL": ("onpolicy", dict(alpha=0.0)),
    "MedPO lam 0 (RKL only)": ("onpolicy", dict(lam=0.0)),
    "MedPO lam 1 (FKL only)": ("onpolicy", dict(lam=1.0)),
    "MedPO, v' global noise": ("onpolicy", dict(corruption="global_noise")),
    "MedPO, v' blur": ("onpolicy", dict(corruption="blur")),
    "MedPO, v' black region": ("onpolicy", dict(corruption="black")),
    "MedPO, v' full black": ("onpolicy", dict(corruption="full_black")),
    "MedPO, v' crop": ("onpolicy", dict(corruption="crop")),
    "MedPO (full: lesion noise, lam 0.5)": ("onpolicy", {}),
}
QUICK = [
    "DPO, off-policy GT pairs",
    "MASK-DPO (gamma 0, alpha 0)",
    "MedPO (full: lesion noise, lam 0.5)",
]
METRICS = [
    "accuracy",
    "accuracy_closed",
    "accuracy_open",
    "hallucination_rate",
    "grounding_gap_accuracy",
    "grounding_gap_logprob",
    "style_drift",
]


def offpolicy_pairs(samples: list[dict], answers: list[str]) -> list[dict]:
    """Ground-truth-style pairs: chosen = the reference answer, rejected = the model's answer."""
    out = []
    for s, a in zip(samples, answers):
        if a.strip() and a != s["answer"]:
            rs, cs = medpo.edit_spans(a, s["answer"])
            out.append(
                s
                | {
                    "chosen": s["answer"],
                    "rejected": a,
                    "chosen_spans": [list(x) for x in cs],
                    "rejected_spans": [list(x) for x in rs],
                    "model_correct": False,
                }
            )
    return out


def truth(s: dict) -> dict:
    """What is really in a demo image: lesion or not, its side (radiological) and size."""
    if not s.get("lesion"):
        return {"lesion": False}
    b = s["lesion"]["boxes"][0]
    return {
        "lesion": True,
        "side": data_prep._side(b, data_prep.DEMO_SIZE),
        "size": "small" if b[2] - b[0] < 18 else "large",
    }


def hallucinates(answer: str, s: dict) -> bool:
    """The answer asserts a finding, a side or a size that is not in the image."""
    t, hits = truth(s), data_prep.term_hits(answer)
    pol = {p for _, _, p, _ in data_prep.polarity_sites(answer)}
    kind = s["meta"]["kind"]
    claims_lesion = (kind == "presence" and pol == {+1}) or (
        kind == "normal" and 1 in hits["normality"]
    )
    sides = {data_prep.LEXICON["laterality"][k][0] for k in hits["laterality"]}
    sizes = {data_prep.LEXICON["size"][k][0] for k in hits["size"]}
    if not t["lesion"]:
        return claims_lesion or bool(sides) or bool(sizes)
    return bool(sides - {t["side"]}) or bool(sizes - {t["size"]})


@torch.no_grad()
def answer_logprob(model, processor, samples: list[dict], vis: bool, batch: int = 32) -> np.ndarray:
    """log p(reference answer | image, question), summed over its tokens, on v or on v'."""
    out = []
    for i in range(0, len(samples), batch):
        chunk = samples[i : i + batch]
        encoded = medpo.encode(
            processor,
            [(s["image_vis" if vis else "image"], s["question"], s["answer"], []) for s in chunk],
            1.0,
            1.0,
        )
        inputs = encoded.inputs
        logp = torch.log_softmax(
            model(**{k: v.to(model.device) for k, v in inputs.items()}).logits.float(), -1
        )
        for j, a in enumerate(encoded.answers):
            lab = a.labels
            pos = torch.arange(a.start - 1, a.start - 1 + len(lab))
            out.append(float(logp[j, pos, lab.to(model.device)].sum()))
    return np.array(out)


def measure(
    model, processor, test: list[dict], base_answers: list[str] | None, cfg
) -> tuple[dict, list[str]]:
    """Held-out metrics of one model (see METRICS)."""
    model.eval()
    clean = medpo.generate(model, processor, test, cfg)
    corrupt = medpo.generate(model, processor, test, cfg, vis=True)
    ok, ok_v = medpo.correct(clean, test), medpo.correct(corrupt, test)
    closed = np.array([s["meta"]["answer_type"] == "CLOSED" for s in test])
    lp = answer_logprob(model, processor, test, False) - answer_logprob(
        model, processor, test, True
    )
    drift = [
        data_prep.word_edits(a, b)[0] / data_prep.word_edits(a, b)[1]
        for a, b in zip(clean, base_answers or clean)
    ]
    return {
        "accuracy": ok.mean(),
        "accuracy_closed": ok[closed].mean(),
        "accuracy_open": ok[~closed].mean(),
        "hallucination_rate": np.mean([hallucinates(a, s) for a, s in zip(clean, test)]),
        "grounding_gap_accuracy": ok.mean() - ok_v.mean(),
        "grounding_gap_logprob": lp.mean(),
        "style_drift": float(np.mean(drift)),
    }, clean


def run(out: Path, quick: bool, seeds: list[int], cache: Path, lr: float = 1e-4) -> dict:
    from peft import PeftModel
    from transformers import AutoModelForImageTextToText, AutoProcessor

    out.mkdir(parents=True, exist_ok=True)
    base_dir = data_prep.tiny_model(cache)
    demo = data_prep.ensure_demo(cache)
    train_rows, test_rows = (
        data_prep.read_samples(demo / "train.jsonl"),
        data_prep.read_samples(demo / "test.jsonl"),
    )
    if quick:
        test_rows = test_rows[:60]
    base_cfg = medpo.Config(
        model_name_or_path=str(base_dir),
        cache_dir=str(cache),
        max_new_tokens=24,
        max_steps=20 if quick else -1,
        learning_rate=lr,
    )
    test = [medpo.load_images(s, base_cfg) for s in test_rows]
    base = AutoModelForImageTextToText.from_pretrained(base_dir)
    processor = AutoProcessor.from_pretrained(base_dir)
    m, base_answers = measure(base, processor, test, None, base_cfg)
    results = {"base model (no training)": [m]}
    train_answers = medpo.generate(
        base, processor, [medpo.load_images(s, base_cfg) for s in train_rows], base_cfg
    )
    pair_stats = {}
    for seed in seeds:
        cfg = dataclasses.replace(base_cfg, seed=seed)
        on, on_stats = medpo.build_pairs(base, processor, train_rows, cfg)
        pair_stats[seed] = {"onpolicy": data_prep.pair_statistics(on, on_stats)}
        off = offpolicy_pairs(train_rows, train_answers)
        pair_stats[seed]["offpolicy"] = data_prep.pair_statistics(off, Counter())
        for name, rows in (("onpolicy", on), ("offpolicy", off)):
            data_prep.write_jsonl(
                out / f"pairs_{name}_{seed}.jsonl",
                [
                    r | {k: [list(x) for x in r[k]] for k in ("chosen_spans", "rejected_spans")}
                    for r in rows
                ],
            )
        for name in QUICK if quick else VARIANTS:
            src, kw = VARIANTS[name]
            t0, run_dir = time.time(), out / "runs" / f"{list(VARIANTS).index(name):02d}_seed{seed}"
            shutil.rmtree(run_dir, ignore_errors=True)
            medpo.train(
                dataclasses.replace(
                    cfg,
                    data=str(out / f"pairs_{src}_{seed}.jsonl"),
                    output_dir=str(run_dir),
                    eval_data="",
                    save_steps=10**9,
                    **kw,
                )
            )
            model = PeftModel.from_pretrained(
                AutoModelForImageTextToText.from_pretrained(base_dir), run_dir / "final"
            )
            m, _ = measure(
                model, processor, test, base_answers, cfg
            )  # the same test v' (lesion noise) for all
            results.setdefault(name, []).append(m)
            print(
                f"{name} seed {seed}: "
                + ", ".join(f"{k} {v:.3f}" for k, v in m.items())
                + f" ({time.time() - t0:.0f}s)"
            )
    summary = {
        name: {
            k: (float(np.mean([r[k] for r in rs])), float(np.std([r[k] for r in rs])))
            for k in METRICS
        }
        for name, rs in results.items()
    }
    data_prep.write_atomic(
        out / "results.json",
        lambda t: Path(t).write_text(
            json.dumps(
                {
                    "seeds": seeds,
                    "quick": quick,
                    "learning_rate": lr,
                    "summary": summary,
                    "per_seed": results,
                    "pair_stats": pair_stats,
                },
                indent=1,
                default=float,
            )
        ),
    )
    table = ["| variant | " + " | ".join(METRICS) + " |", "|---" * (len(METRICS) + 1) + "|"]
    table += [
        f"| {n} | " + " | ".join(f"{m:.3f} ± {s:.3f}" for m, s in (v[k] for k in METRICS)) + " |"
        for n, v in summary.items()
    ]
    data_prep.write_atomic(
        out / "results.md", lambda t: Path(t).write_text("\n".join(table) + "\n")
    )
    plot(summary, out / "study.png")
    print("\n".join(table))
    return summary


def plot(summary: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(summary)
    fig, axes = plt.subplots(1, 4, figsize=(20, 0.45 * len(names) + 1.5), sharey=True)
    for ax, k in zip(
        axes, ["accuracy", "hallucination_rate", "grounding_gap_logprob", "style_drift"]
    ):
        ax.barh(
            names,
            [summary[n][k][0] for n in names],
            xerr=[summary[n][k][1] for n in names],
            color="tab:blue",
        )
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
        "--out",
        default="runs/study",
        help="results.json, results.md, study.png and the runs go here",
    )
    ap.add_argument(
        "--quick", action="store_true", help="3 variants, 1 seed, 20 steps, 60 test samples"
    )
    ap.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        help="training seeds (default 0 1 2; quick: 0)",
    )
    ap.add_argument(
        "--cache_dir",
        default="~/.cache/medpo",
        help="where the demo world and tiny model are built",
    )
    ap.add_argument(
        "--learning_rate",
        type=float,
        default=1e-4,
        help="for every variant; 5x the demo default, so that one epoch moves the tiny model measurably",
    )
    a = ap.parse_args(argv)
    return run(
        Path(a.out),
        a.quick,
        a.seeds or ([0] if a.quick else [0, 1, 2]),
        Path(a.cache_dir).expanduser(),
        a.learning_rate,
    )


if __name__ == "__main__":
    main()
