"""Data for MedPO, from the command line and for medpo.py: where the training rows and the model
come from, what the pair files hold, and the tools that make data.

  python data_prep.py demo --out DIR                 # the generated medical VQA world (offline)
  python data_prep.py tiny --out DIR                 # the tiny LLaVA warmed up on it
  python data_prep.py tiny --arch qwen3-vl --out DIR # an untrained tiny model of an architecture
  python data_prep.py slake --root DIR --out FILE    # a real dataset to the project's JSONL
                                                     # (also vqa-rad, path-vqa, iu-xray,
                                                     # mimic-cxr, vindr-cxr, rsna)

The work is done in modules with one job each: checks.py (the JSONL and its checks), demo.py
(the demo world), tiny_models.py (tiny offline VLMs), converters.py (real datasets), clinical.py
(the rule editor and the judge). Nothing here imports medpo.py: data flows one way, into the
method.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
from collections import Counter
from pathlib import Path

import numpy as np
from transformers import AutoProcessor

from checks import InputError, read_samples
from clinical import word_edits
from converters import CONVERTERS, convert
from demo import ensure_demo, make_demo
from files import save_png, write_atomic, write_jsonl
from tiny_models import TINY_ARCHS, tiny_arch_model, tiny_model


def resolve_data(data: str, eval_data: str, cache_dir: str) -> tuple[list[dict], list[dict]]:
    """(train rows, eval rows), validated. data 'demo': the demo world, built in the cache once;
    its test split is the default eval data."""
    train, evaluation = data, eval_data
    if data == "demo":
        demo = ensure_demo(Path(cache_dir).expanduser())
        train, evaluation = demo / "train.jsonl", eval_data or demo / "test.jsonl"
    return read_samples(train), (read_samples(evaluation) if evaluation else [])


def model_source(name: str, cache_dir: str) -> tuple[str, bool]:
    """(folder or hub id, whether to stay off the network) for --model_name_or_path name. 'tiny'
    is built in the cache. A path that is not a folder and not a hub id (org/name) is refused at
    once; so is a hub id when the hub cannot be reached (HF_HUB_OFFLINE, or no answer in 3 s)
    and the id is not cached."""
    if name == "tiny":
        return str(tiny_model(Path(cache_dir).expanduser())), True
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser()), True
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", name) or Path(name).expanduser().exists():
        raise InputError(f"--model_name_or_path {name}: no such folder (and not a hub id org/name)")
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0"):
        return name, True
    try:
        socket.create_connection(("huggingface.co", 443), timeout=3).close()
    except OSError:
        return name, True
    return name, False


def load_processor(cfg):
    """The model's processor (tokenizer, image processor, chat template) for --model_name_or_path:
    cheap, so the data is checked against it before the model itself is loaded."""
    path, local_only = model_source(cfg.model_name_or_path, cfg.cache_dir)
    kw = dict(trust_remote_code=cfg.trust_remote_code, local_files_only=local_only)
    try:
        return AutoProcessor.from_pretrained(path, **kw)
    except (OSError, ValueError) as e:
        raise load_error(path, e) from None


def load_error(path: str, error: Exception) -> InputError:
    """What to do when the model at path (a folder or a hub id) cannot be loaded."""
    if Path(path).is_dir():
        return InputError(f"could not load the model in {path}: {str(error).splitlines()[0]}")
    return InputError(
        f"could not load model '{path}': it is not in the local Hugging Face cache and the hub "
        "cannot be reached (offline, or HF_HUB_OFFLINE=1). Download it where there is network "
        f"(`hf download {path} --local-dir DIR`), then pass --model_name_or_path DIR."
    )


# -------------------------------------------------------------------------------------------------
# Pair files: the statistics the paper reports, TRL's preference format, the pairs command's files.


def pair_statistics(pairs: list[dict], stats: Counter) -> dict:
    """The numbers the paper reports: words changed and normalised word edit distance per pair
    (paper: on-policy ~1.3 words, 0.21; ground-truth pairs ~11.8 words, 0.98), the share of
    model-correct answers, and why samples were skipped (stats: what build_pairs counted)."""
    edits = [word_edits(p["rejected"], p["chosen"])[:2] for p in pairs]
    tried = len(pairs) + sum(v for k, v in stats.items() if k.startswith("skipped"))
    correct = [p["model_correct"] for p in pairs]
    return {
        "pairs": len(pairs),
        "words_changed": float(np.mean([e for e, _ in edits])) if edits else 0.0,
        "word_edit_distance": float(np.mean([e / n for e, n in edits])) if edits else 0.0,
        "model_correct_share": float(np.mean(correct)) if correct else 0.0,
        "skipped_share": 1 - len(pairs) / max(tried, 1),
        "skipped": {k: v for k, v in stats.items() if k.startswith(("skipped", "llm"))},
    }


def trl_row(pair: dict) -> dict:
    """A pair in TRL's conversational preference format (prompt, chosen, rejected, images). It
    cannot carry the edited spans or v': TRL shows chosen and rejected the same images."""

    def turn(role, content):
        return [{"role": role, "content": content}]

    question = [{"type": "image"}, {"type": "text", "text": pair["question"]}]
    return {
        "prompt": turn("user", question),
        "chosen": turn("assistant", [{"type": "text", "text": pair["chosen"]}]),
        "rejected": turn("assistant", [{"type": "text", "text": pair["rejected"]}]),
        "images": [pair["image"]],
    }


def write_pair_files(out: Path, pairs: list[dict], stats: Counter, vprime) -> dict:
    """out/pairs.jsonl with each v' (vprime(pair) -> image) saved as a PNG in out/vprime/ and
    paths relative to out, TRL's format in out/pairs.trl.jsonl, and out/pair_stats.json."""
    for p in pairs:
        path = out / "vprime" / (re.sub(r"[^\w.-]", "_", str(p["id"])) + ".png")
        save_png(vprime(p), path)
        p["corrupted_image"] = os.path.relpath(path, out)
        p["image"] = os.path.relpath(p["image"], out)
        if (p.get("lesion") or {}).get("mask"):
            p["lesion"]["mask"] = os.path.relpath(p["lesion"]["mask"], out)
        p["chosen_spans"] = [list(s) for s in p["chosen_spans"]]
        p["rejected_spans"] = [list(s) for s in p["rejected_spans"]]
    write_jsonl(out / "pairs.jsonl", pairs)
    write_jsonl(out / "pairs.trl.jsonl", [trl_row(p) for p in pairs])
    print(
        f"{out / 'pairs.trl.jsonl'}: TRL's conversational preference format. It cannot carry the "
        "edited spans or the corrupted image v' (TRL shows chosen and rejected the same images): "
        "train with medpo.py to use them."
    )
    statistics = pair_statistics(pairs, stats)
    text = json.dumps(statistics)
    write_atomic(out / "pair_stats.json", lambda t: Path(t).write_text(text))
    return statistics


# -------------------------------------------------------------------------------------------------
# The command line.


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    demo = sub.add_parser("demo", help="write the demo world (train.jsonl, test.jsonl, images/)")
    demo.add_argument("--out", required=True, help="output folder")
    demo.add_argument("--seed", type=int, default=0, help="same seed, same files byte for byte")
    tiny = sub.add_parser("tiny", help="build a tiny VLM: untrained (--arch) or the demo's")
    tiny.add_argument("--out", required=True, help="--arch: the model's folder; else a cache")
    tiny.add_argument("--arch", choices=TINY_ARCHS, help="an untrained tiny model of this kind")
    for name in CONVERTERS:
        _converter_flags(sub.add_parser(name, help=f"convert {name} to the sample JSONL"), name)
    a = ap.parse_args(argv)
    if a.cmd == "demo":
        paths = make_demo(a.out, seed=a.seed)
        counts = {k: len(v.read_text().splitlines()) for k, v in paths.items()}
        print(counts, "samples written to", a.out)
    elif a.cmd == "tiny" and a.arch:
        try:
            print(f"untrained tiny {a.arch} in", tiny_arch_model(a.arch, Path(a.out)))
        except InputError as e:
            tiny.error(str(e))
    elif a.cmd == "tiny":
        print("the demo's warmed-up tiny model, built, in", tiny_model(Path(a.out), build=True))
    else:
        kw = {k: v for k, v in vars(a).items() if k not in ("cmd", "root", "out", "split")}
        try:
            print(convert(a.cmd, a.root, a.out, a.split, **kw))
        except InputError as e:  # a missing file or folder: one line, exit code 2
            sub.choices[a.cmd].error(str(e))


def _converter_flags(c: argparse.ArgumentParser, name: str) -> None:
    c.add_argument("--root", required=True, help="the dataset's top folder, as published")
    c.add_argument("--out", required=True, help="output JSONL (image paths relative to it)")
    c.add_argument("--split", default="train", help="train, validate/val or test (the dataset's)")
    if name == "slake":
        c.add_argument("--lang", default="en", help="q_lang to keep: en, zh or all")
    if name == "iu-xray":
        c.add_argument("--views", default="first", choices=["first", "both"], help="per study/view")
    if name == "mimic-cxr":
        c.add_argument("--views", default="PA,AP", help="ViewPosition values to keep ('' = all)")
        c.add_argument("--reports", default="", help="reports folder or mimic_cxr_sectioned.csv")
    if name in ("vindr-cxr", "rsna"):
        c.add_argument("--max_size", type=int, default=1024, help="DICOMs become PNG this size")


if __name__ == "__main__":
    main()
