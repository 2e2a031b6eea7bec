"""Scores of MedPO's answers, named as published tables name them, and the per-sample file that
shows what was counted right and why.

  python medpo.py eval --data test.jsonl --predictions answers.jsonl --output_dir D

scores answers made elsewhere (a JSONL of {"id", "answer"}) with no model: D/scores.json and
D/samples.jsonl (evaluate_predictions). During training, score() is the call behind --eval_steps.

Questions (SLAKE, VQA-RAD, PathVQA) fall into two groups by the dataset's answer_type, closed
(yes/no) and open; reports (IU-Xray, MIMIC-CXR) are the third group. The keys of scores.json:

  closed/accuracy        share of closed questions the judge (verdict: clinical.judge) finds right
  open/recall            LLaVA-Med's open score: share of the reference's words the answer has
  open/accuracy          share of open questions the judge finds right
  report/bleu1..4        corpus BLEU-1..4, cumulative (R2Gen's convention), in [0, 1]
  report/rouge_l         ROUGE-L F-measure (rouge-score), averaged over reports
  report/accuracy        share of reports the judge finds right
  report/chexbert_f1...  CheXbert, RadGraph and GREEN, through RadEval, when its weights are cached
  <group>/n              samples in the group (a group with none has only this key)
  degenerate             share of answers that are empty or loop ('is is is')
  llm/<group>/accuracy   the same verdicts by an LLM judge, when given (open questions, reports)

A verdict of None (the judge cannot tell, e.g. a hedged answer) counts as not right. Where a
model is at hand, evaluation.py adds forced_choice (the demo's listed answers) and grounding (the
same judge on v' where the sample marks its lesion).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

import numpy as np
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU

import clinical
import llm
from checks import InputError, json_object, read_samples
from files import write_atomic, write_jsonl

GROUPS = ("closed", "open", "report")
ANSWER_TYPE = {"closed": "CLOSED", "open": "OPEN", "report": None}  # what the judge is told
Judge = Callable[..., "clinical.Verdict"]  # (answer, reference, question, ...) -> Verdict
ROUGE = rouge_scorer.RougeScorer(["rougeL"])


def group_of(sample: dict) -> str:
    """'report' for a report task; else 'closed' or 'open' by meta.answer_type (any case) and,
    where the sample has none, closed when the reference is a bare yes or no."""
    if sample.get("task") == "report":
        return "report"
    kind = str((sample.get("meta") or {}).get("answer_type") or "").strip().lower()
    if kind in ("closed", "open"):
        return kind
    return "closed" if clinical.words(sample["answer"]) in (["yes"], ["no"]) else "open"


def token_recall(answer: str, reference: str) -> float:
    """LLaVA-Med's open-question recall: the share of the reference's words (clinical.words:
    lower-cased, punctuation dropped, X-ray and 3.5 one word each) found among the answer's; 0
    for a reference with no word. LLaVA-Med splits on spaces after its own normalisation and
    counts a repeated shared word as often as the answer repeats it; here each occurrence in the
    reference counts once. The two agree on references without repeated words."""
    reference_words = clinical.words(reference)
    said = set(clinical.words(answer))
    hits = sum(word in said for word in reference_words)
    return hits / len(reference_words) if reference_words else 0.0


def degenerate(answer: str) -> bool:
    """Empty, or a loop: one to three words repeated three times in a row ('is is is')."""
    words = clinical.words(answer)
    for n in (1, 2, 3):
        for i in range(len(words) - 3 * n + 1):
            if words[i : i + n] == words[i + n : i + 2 * n] == words[i + 2 * n : i + 3 * n]:
                return True
    return not words


def verdict(answer: str, sample: dict) -> clinical.Verdict:
    """The project's judge of one answer. Where the sample lists its possible answers
    (meta.choices, the demo world) the answer must be the reference, word for word (case and
    punctuation aside); else clinical.judge, told the question and the answer type."""
    if (sample.get("meta") or {}).get("choices"):
        same = clinical.words(answer) == clinical.words(sample["answer"])
        return clinical.Verdict(same, "listed_answer" if same else "not_the_listed_answer")
    question, answer_type = sample.get("question", ""), ANSWER_TYPE[group_of(sample)]
    return clinical.judge(answer, sample["answer"], question, answer_type)


def is_right(answer: str, sample: dict) -> bool:
    """Whether the project's judge finds the answer right (never when it cannot tell)."""
    return verdict(answer, sample).right is True


# -------------------------------------------------------------------------------------------------
# Predictions made elsewhere: every problem named by file, line and field before any scoring.


def _bad(path: Path, line: int, field: str, expected: str) -> InputError:
    return InputError(f"{path}:{line}: field '{field}': expected {expected}")


def _prediction(raw: bytes, path: Path, n: int) -> tuple[str, str]:
    """(id as text, answer) of one line of a prediction file, checked."""
    row = json_object(raw, path, n)
    id_, answer = row.get("id"), row.get("answer")
    if isinstance(id_, bool) or not isinstance(id_, int | str) or str(id_).strip() == "":
        got = " (missing)" if "id" not in row else f", got {id_!r}"
        raise _bad(path, n, "id", "a non-empty string or an integer" + got)
    if not isinstance(answer, str):
        got = " (missing)" if "answer" not in row else f", got {answer!r}"
        raise _bad(path, n, "answer", "a string (empty if there is no answer)" + got)
    return str(id_), answer


def read_predictions(path: str | Path, samples: Sequence[dict]) -> list[str]:
    """The answers of a prediction JSONL ({"id", "answer"} a line, other fields ignored) in the
    order of samples. Ids compare as text (7 and "7" are the same id). An empty answer is a
    wrong answer. Refused with an InputError: a line that is not a JSON object, a missing or
    non-string answer, an id given twice or not among the samples, samples with no answer."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InputError(f'{path}: no such file (expected a JSONL of {{"id", "answer"}})')
    known = {str(s["id"]) for s in samples}
    answers, line_of = {}, {}
    for n, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        if not raw.strip():
            continue
        id_, answer = _prediction(raw, path, n)
        if id_ in line_of:
            raise _bad(path, n, "id", f"a unique id, {id_!r} is on line {line_of[id_]} too")
        if id_ not in known:
            raise _bad(path, n, "id", f"an id of the samples (--data), got {id_!r}")
        answers[id_], line_of[id_] = answer, n
    missing = [str(s["id"]) for s in samples if str(s["id"]) not in answers]
    if missing:
        named = ", ".join(repr(i) for i in missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise InputError(
            f"{path}: no answer for {len(missing)} of the {len(samples)} samples: {named}"
        )
    return [answers[str(s["id"])] for s in samples]


# -------------------------------------------------------------------------------------------------
# Scoring: a verdict and per-sample scores for each answer, then the means per group.


def score(
    samples: Sequence[dict],
    answers: Sequence[str],
    judge: Judge | None = None,
    llm_judge: Judge | None = None,
) -> tuple[dict, list[dict]]:
    """(scores, rows): the scores named in this module's docstring, and one row per sample (id,
    group, question, reference, answer, right, why, degenerate; recall for open questions,
    rouge_l for reports; llm_right and llm_why where llm_judge judged). judge(answer, reference,
    question=, answer_type=) -> Verdict replaces the project's judge (verdict); llm_judge(answer,
    reference, question) -> Verdict judges open questions and reports beside it."""
    rows = [_row(s, a, judge, llm_judge) for s, a in zip(samples, answers, strict=True)]
    scores = {}
    for group in GROUPS:
        scores |= _group_scores(group, [r for r in rows if r["group"] == group])
    scores["accuracy"] = _share_right(rows)  # every group, by the same judge
    scores |= by_kind("accuracy", samples, [r["right"] is True for r in rows])
    scores["degenerate"] = _mean([r["degenerate"] for r in rows])
    if llm_judge is not None:
        scores |= _llm_scores(rows)
    return scores, rows


def _row(sample: dict, answer: str, judge: Judge | None, llm_judge: Judge | None) -> dict:
    group, reference, question = group_of(sample), sample["answer"], sample.get("question", "")
    if judge is None:
        said = verdict(answer, sample)
    else:
        said = judge(answer, reference, question=question, answer_type=ANSWER_TYPE[group])
    row = dict(id=str(sample["id"]), group=group, question=question, reference=reference)
    row |= dict(answer=answer, right=said.right, why=said.why)
    row["degenerate"] = degenerate(answer)
    if group == "open":
        row["recall"] = token_recall(answer, reference)
    if group == "report":
        row["rouge_l"] = ROUGE.score(reference, answer)["rougeL"].fmeasure
    if llm_judge is not None and group != "closed":
        said = llm_judge(answer, reference, question)
        row |= dict(llm_right=said.right, llm_why=said.why)
    return row


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if len(values) else 0.0


def _share_right(rows: list[dict], key: str = "right") -> float:
    return _mean([r[key] is True for r in rows])


def _group_scores(group: str, rows: list[dict]) -> dict:
    count = {f"{group}/n": len(rows)}
    if not rows:
        return count
    accuracy = {f"{group}/accuracy": _share_right(rows)}
    if group == "closed":
        return accuracy | count
    if group == "open":
        return {"open/recall": _mean([r["recall"] for r in rows])} | accuracy | count
    texts = corpus_bleu([r["answer"] for r in rows], [r["reference"] for r in rows])
    texts["report/rouge_l"] = _mean([r["rouge_l"] for r in rows])
    return texts | accuracy | count


def _llm_scores(rows: list[dict]) -> dict:
    judged = [r for r in rows if "llm_right" in r]
    scores = {}
    for group in GROUPS:
        mine = [r for r in judged if r["group"] == group]
        if mine:
            scores[f"llm/{group}/accuracy"] = _share_right(mine, "llm_right")
    scores["llm/undecided"] = sum(r["llm_right"] is None for r in judged)
    return scores


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """report/bleu1..4: cumulative corpus BLEU-n (the geometric mean of the 1..n-gram precisions
    times the brevity penalty, over the whole corpus) as R2Gen reports it, by sacrebleu on
    lower-cased text, in [0, 1], unsmoothed. R2Gen runs pycocoevalcap's Bleu, which splits on
    spaces, on text it cleaned first (punctuation removed, each sentence's '.' a word); sacrebleu's
    13a tokenizer splits punctuation off by itself. On six IU-Xray-style reports the two agree to
    4 decimals on cleaned text; on raw text pycocoevalcap ('clear.' one word) gives 0.06 to 0.11
    less and this 0.006 more than on cleaned text (commas stay words here)."""
    hyps, refs, scores = list(hypotheses), [list(references)], {}
    for n in range(1, 5):
        bleu = BLEU(lowercase=True, max_ngram_order=n, smooth_method="none")
        scores[f"report/bleu{n}"] = bleu.corpus_score(hyps, refs).score / 100
    return scores


# -------------------------------------------------------------------------------------------------
# Where a model is at hand (evaluation.py): the judge on v', and forced choice among listed answers.


def has_region(sample: dict) -> bool:
    """The sample marks its lesion (boxes or a mask): v' hides something specific there."""
    lesion = sample.get("lesion") or {}
    return bool(lesion.get("boxes") or lesion.get("mask"))


def grounding(name: str, clean: Sequence[bool], corrupted: Sequence[bool], gap: str) -> dict:
    """On the samples that mark their lesion: the share right on the clean image and on v' (one
    bool per sample each: name_lesion, name_corrupted), and the gap, clean minus v'."""
    on_clean, on_vprime = _mean(list(clean)), _mean(list(corrupted))
    return {f"{name}_lesion": on_clean, f"{name}_corrupted": on_vprime, gap: on_clean - on_vprime}


def choices_right(samples: Sequence[dict], logps, image_key: str = "image") -> list[bool]:
    """Forced choice: for each sample, whether its most likely listed answer (meta.choices, by
    logps of (image, question, answer) rows: summed log-probabilities) is the reference."""
    rows = [(s[image_key], s["question"], c) for s in samples for c in s["meta"]["choices"]]
    scored, start, right = list(logps(rows)), 0, []
    for s in samples:
        choices = s["meta"]["choices"]
        best = choices[int(np.argmax(scored[start : start + len(choices)]))]
        right.append(best == s["answer"])
        start += len(choices)
    return right


def forced_choice(samples: Sequence[dict], logps: Callable[[list[tuple]], Sequence[float]]) -> dict:
    """choice_accuracy (choices_right over the samples), and per kind of question (meta.kind)."""
    right = choices_right(samples, logps)
    return {"choice_accuracy": _mean(right)} | by_kind("choice_accuracy", samples, right)


def by_kind(name: str, samples: Sequence[dict], right: Sequence[bool]) -> dict:
    """name/<kind>: the share right among the samples of each kind of question (meta.kind)."""
    kinds = [(s.get("meta") or {}).get("kind", "") for s in samples]
    found = sorted(set(kinds) - {""})
    return {
        f"{name}/{k}": _mean([r for r, kk in zip(right, kinds, strict=True) if kk == k])
        for k in found
    }


# -------------------------------------------------------------------------------------------------
# Clinical report metrics, through RadEval 2.2.1 (pip install radeval), which carries CheXbert,
# RadGraph and GREEN patched for transformers 5. The stand-alone packages do not run here:
# f1chexbert 0.0.2 downloads with an argument huggingface_hub dropped and unpacks a private
# scikit-learn function as it was before 1.8; radgraph 0.1.18 calls tokenizer.encode_plus, gone in
# transformers 5. RadEval 2.2.1's own faults are in KNOWN. A metric runs only where its weights
# are cached already, with the hub offline (importing radeval still asks nltk for punkt_tab).

GREEN_MODEL = "StanfordAIMI/GREEN-radllama2-7b"  # the model RadEval's GREEN loads
CLINICAL = {  # RadEval's metric: its keys -> ours
    "f1chexbert": {  # 14 observations, or the 5 most common; averaged over observations
        ("all", "micro avg"): "report/chexbert_f1",
        ("all", "macro avg"): "report/chexbert_f1_macro",
        ("5", "micro avg"): "report/chexbert_f1_5",
        ("5", "macro avg"): "report/chexbert_f1_5_macro",
    },
    "radgraph": {  # RadEval's RadGraph model is radgraph-xl
        "radgraph_partial": "report/radgraph_f1",  # RG_ER: entities and their relations
        "radgraph_simple": "report/radgraph_f1_entity",  # RG_E
        "radgraph_complete": "report/radgraph_f1_complete",
    },
    "green": {"green": "report/green"},
}
_CHEXBERT = "from radeval.metrics.f1chexbert import F1CheXbert; F1CheXbert(device='cpu')"
_RADGRAPH = "from radeval import RadEval; RadEval(metrics=['radgraph'])"
FETCH = {  # one command, run once with network, that caches a metric's weights
    "f1chexbert": f'python -c "{_CHEXBERT}"',
    "radgraph": f'python -c "{_RADGRAPH}"',
    "green": f"hf download {GREEN_MODEL}",
}
KNOWN = {  # faults of RadEval 2.2.1 with this project's packages
    "f1chexbert": 'its CheXbert needs scikit-learn < 1.9: pip install "scikit-learn<1.9"',
    "radgraph": "its RadGraph imports 'RadEval' in capitals, which fails on Linux",
}
INSTALL = {  # what RadEval 2.2.1 needs beside this project's packages
    "f1chexbert": 'pip install radeval "scikit-learn<1.9"',
    "radgraph": "pip install radeval",
    "green": "pip install radeval",
}


def _user_cache(app: str) -> Path:
    """appdirs' user cache folder, where RadEval keeps CheXbert's and RadGraph's weights."""
    try:
        from appdirs import user_cache_dir
    except ImportError:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / app
    return Path(user_cache_dir(app))


def _hub_missing(repo: str, *files: str, cache_dir: Path | None = None) -> list[str]:
    from huggingface_hub import try_to_load_from_cache

    found = {f: try_to_load_from_cache(repo, f, cache_dir=cache_dir) for f in files}
    return [f"{repo}/{f}" for f, path in found.items() if not isinstance(path, str)]


def missing_weights(metric: str) -> list[str]:
    """The weight files of a RadEval metric that are not in the local cache (nothing is fetched;
    the text encoder that RadGraph names in its config shows up when it fails to load)."""
    if metric == "f1chexbert":
        cache = _user_cache("chexbert")
        head = _hub_missing("StanfordAIMI/RRG_scorers", "chexbert.pth", cache_dir=cache)
        return head + _hub_missing("bert-base-uncased", "config.json", "vocab.txt")
    if metric == "radgraph":  # RadEval keeps radgraph 0.1.18's folder
        folder = _user_cache("radgraph") / "0.1.18" / "radgraph-xl"
        return [
            str(folder / f) for f in ("config.json", "weights.th") if not (folder / f).is_file()
        ]
    return _hub_missing(GREEN_MODEL, "config.json", "tokenizer_config.json")


def installed(module: str) -> bool:
    """Whether a module can be imported, found without importing it."""
    return importlib.util.find_spec(module) is not None


def _run_metric(metric: str, references: list[str], reports: list[str]) -> dict:
    """The metric's scores, with the hub offline: for this process (huggingface_hub reads its
    environment once, at import, so its constant is set too) and the processes it starts.
    CheXbert is called directly: RadEval's adapter puts it on a GPU that may not be there."""
    import torch
    from huggingface_hub import constants

    offline = mock.patch.object(constants, "HF_HUB_OFFLINE", True)
    with offline, mock.patch.dict(os.environ, {"HF_HUB_OFFLINE": "1"}):
        if metric == "f1chexbert":
            from radeval.metrics.f1chexbert import F1CheXbert

            labeler = F1CheXbert(device="cuda" if torch.cuda.is_available() else "cpu")
            _, _, f1_all, f1_5, _, _ = labeler(reports, references)  # (hyps, refs)
            found = {"all": f1_all, "5": f1_5}
            return {o: float(found[n][avg]["f1-score"]) for (n, avg), o in CLINICAL[metric].items()}
        from radeval import RadEval

        result = RadEval(metrics=[metric], detailed=True, show_progress=False)(
            refs=references, hyps=reports
        )
    return {ours: float(result[theirs]) for theirs, ours in CLINICAL[metric].items()}


def _not_ready(metric: str) -> str | None:
    """Why the metric cannot run here without a download, or None."""
    if not installed("radeval"):
        return "radeval is not installed"
    missing = missing_weights(metric)
    return f"weights not in the local cache ({', '.join(missing)})" if missing else None


def clinical_metrics(references: Sequence[str], reports: Sequence[str]) -> tuple[dict, list[str]]:
    """(scores, notes): CheXbert F1, RadGraph F1 and GREEN of the reports against their
    references, each where RadEval is installed and the metric's weights are in the local cache;
    a note for each that is not (with the command that fetches its weights) or that fails."""
    scores, notes = {}, []
    for metric, keys in CLINICAL.items() if reports else ():
        key, why = next(iter(keys.values())), _not_ready(metric)
        known = f" (known: {KNOWN[metric]})" if metric in KNOWN else ""
        if why:
            notes.append(
                f"skipped {key}: {why}; to enable: {INSTALL[metric]}, then run once with "
                f"network: {FETCH[metric]}{known}"
            )
            continue
        try:
            scores |= _run_metric(metric, list(references), list(reports))
        except Exception as e:  # a third-party model that fails to load or run is a note
            notes.append(f"skipped {key}: RadEval failed: {type(e).__name__}: {e}{known}")
    return scores, notes


# -------------------------------------------------------------------------------------------------
# Files.


def write_scores(out_dir: str | Path, scores: dict, rows: list[dict], notes=()) -> None:
    """out_dir/scores.json (the scores, and the notes of what was skipped) and
    out_dir/samples.jsonl (one row per sample), each written atomically."""
    out = Path(out_dir)
    text = json.dumps(scores | {"notes": list(notes)}, indent=1) + "\n"
    write_atomic(out / "scores.json", lambda tmp: Path(tmp).write_text(text))
    write_jsonl(out / "samples.jsonl", rows)


def evaluate_predictions(
    data: str | Path | Sequence[dict],
    predictions: str | Path | Sequence[str],
    output_dir: str | Path,
    cfg=None,
    *,
    judge: Judge | None = None,
    llm_judge: Judge | None = None,
) -> dict:
    """medpo.py eval: the samples (a JSONL's path, or rows read already) and their answers (a
    prediction JSONL's path, or a list in the samples' order), each checked before any work;
    scored, with the clinical metrics of the reports where they can run; scores.json and
    samples.jsonl written, the notes printed, the scores returned. With cfg.judge_url (and no
    llm_judge) the LLM judge of llm.py judges too."""
    samples = read_samples(data) if isinstance(data, str | Path) else list(data)
    answers = (
        read_predictions(predictions, samples)
        if isinstance(predictions, str | Path)
        else list(predictions)
    )
    if llm_judge is None and getattr(cfg, "judge_url", ""):
        llm_judge = llm.llm_judge(
            cfg.judge_url, cfg.judge_model, timeout=cfg.editor_timeout,
            allow_remote=cfg.editor_allow_remote,
        )  # fmt: skip
    scores, rows = score(samples, answers, judge, llm_judge)
    reports = [r for r in rows if r["group"] == "report"]
    references, reports = [r["reference"] for r in reports], [r["answer"] for r in reports]
    found, notes = clinical_metrics(references, reports)
    scores |= found
    write_scores(output_dir, scores, rows, notes)
    for note in notes:
        print(note, file=sys.stderr)
    return scores
