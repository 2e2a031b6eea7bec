"""Tests of scores.py and tracking.py: seconds on a CPU, no network, no model.

  pytest test_scores.py -q        # -s shows the benchmark of 1000 predictions

Where a test checks aggregation it passes a stand-in judge whose verdicts are counted here by
hand; one test runs the real clinical.judge.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import sys
import time
from collections import Counter
from types import SimpleNamespace
from typing import NamedTuple

import pytest
import yaml
from PIL import Image

import clinical
import scores
import tracking


class Verdict(NamedTuple):
    right: bool | None
    why: str


def stand_in_judge(answer, reference, question="", answer_type=None, calls=None):
    """Right when every word of the reference is in the answer; None when the answer hedges
    ('maybe'); the answer type it was told is recorded in calls."""
    if calls is not None:
        calls.append(answer_type)
    said = set(clinical.words(answer))
    if "maybe" in said:
        return Verdict(None, "hedged")
    return Verdict(bool(said) and set(clinical.words(reference)) <= said, "stand-in")


def vqa(id_, reference, answer_type=None):
    meta = {"answer_type": answer_type} if answer_type else {}
    return {"id": id_, "question": "?", "answer": reference, "task": "vqa", "meta": meta}


def report(id_, reference):
    return {"id": id_, "question": "Write the report.", "answer": reference, "task": "report"}


# 4 closed, 4 open, 3 reports, and the answers; the expected numbers are counted by hand below.
MINI = [
    (vqa("c1", "Yes", "CLOSED"), "Yes, there is."),  # right
    (vqa("c2", "No", "closed"), "yes"),  # wrong
    (vqa("c3", "no"), "No."),  # closed by its yes/no reference; right
    (vqa("c4", "Yes", "CLOSED"), ""),  # empty: wrong, degenerate
    (vqa("o1", "left lung", "OPEN"), "The lesion is in the left lung."),  # recall 2/2, right
    (vqa("o2", "right kidney", "open"), "left kidney"),  # recall 1/2, wrong
    (vqa("o3", "T2-weighted MRI"), "maybe an MRI"),  # recall 1/2, hedged: not right
    (vqa("o4", "brain", "OPEN"), "brain brain brain"),  # recall 1, right, degenerate
    (report("r1", "The heart is normal. No effusion."), "The heart is normal. No effusion."),
    (report("r2", "Small left pleural effusion."), "Small right pleural effusion."),
    (report("r3", "No pneumothorax."), "Heart size normal."),
]


def lcs_f1(answer: str, reference: str) -> float:
    """ROUGE-L F1 by a plain LCS table over rouge-score's tokens (lower-case alphanumerics)."""
    a, r = (re.findall(r"[a-z0-9]+", t.lower()) for t in (answer, reference))
    table = [[0] * (len(r) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(r):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    lcs = table[-1][-1]
    return 0.0 if lcs == 0 else 2 * lcs / (len(a) + len(r))


def naive_bleu(hypotheses: list[str], references: list[str], order: int) -> float:
    """Cumulative corpus BLEU-order: clipped n-gram matches summed over the corpus, geometric
    mean of the precisions, brevity penalty; words and punctuation marks as tokens."""
    matches, totals, hyp_len, ref_len = [0] * order, [0] * order, 0, 0
    for hypothesis, reference in zip(hypotheses, references, strict=True):
        h, r = (re.findall(r"\w+|[^\w\s]", t.lower()) for t in (hypothesis, reference))
        hyp_len, ref_len = hyp_len + len(h), ref_len + len(r)
        for n in range(1, order + 1):
            h_grams = Counter(tuple(h[i : i + n]) for i in range(len(h) - n + 1))
            r_grams = Counter(tuple(r[i : i + n]) for i in range(len(r) - n + 1))
            matches[n - 1] += sum(min(k, r_grams[g]) for g, k in h_grams.items())
            totals[n - 1] += sum(h_grams.values())
    if min(matches) == 0:
        return 0.0
    brevity = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    logs = [math.log(m / t) for m, t in zip(matches, totals, strict=True)]
    return brevity * math.exp(sum(logs) / order)


# -------------------------------------------------------------------------------------------------
# Groups, recall, loops.


@pytest.mark.parametrize(
    "sample, group",
    [
        ({"answer": "Yes", "task": "report"}, "report"),
        ({"answer": "Yes", "meta": {"answer_type": "OPEN"}}, "open"),
        ({"answer": "left", "meta": {"answer_type": "CLOSED"}}, "closed"),
        ({"answer": "left", "meta": {"answer_type": " closed "}}, "closed"),
        ({"answer": "No.", "meta": {}}, "closed"),
        ({"answer": "yes", "meta": None}, "closed"),
        ({"answer": "No, there is no lesion.", "meta": {}}, "open"),
        ({"answer": "pneumonia", "meta": {"answer_type": "other"}}, "open"),
    ],
)
def test_group_of(sample, group):
    assert scores.group_of(sample) == group


@pytest.mark.parametrize(
    "answer, reference, recall",
    [
        ("The lesion is in the left lung.", "left lung", 1.0),
        ("right lung", "Left lung", 1 / 2),
        ("", "left lung", 0.0),
        ("A chest X-ray.", "X-ray of the chest", 2 / 4),  # x-ray and chest; not of, the
        ("lung", "lung and lung", 2 / 3),  # each occurrence in the reference counts
        ("anything", "?", 0.0),  # a reference with no word
    ],
)
def test_token_recall(answer, reference, recall):
    assert scores.token_recall(answer, reference) == pytest.approx(recall)


@pytest.mark.parametrize(
    "answer, loops",
    [
        ("", True),
        ("  .  ", True),
        ("is is is", True),
        ("No. No. No.", True),
        ("the left the left the left", True),
        ("a b c a b c a b c", True),
        ("a b c d a b c d a b c d", False),  # four words repeated: not caught
        ("no no", False),
        ("Yes, there is a lesion.", False),
        ("X-ray.", False),  # one word (medpo.degenerate, with punctuation-free words, said True)
    ],
)
def test_degenerate(answer, loops):
    assert scores.degenerate(answer) is loops


# -------------------------------------------------------------------------------------------------
# Prediction files: every problem names the file, the line and the field.

SAMPLES = [{"id": "a"}, {"id": 7}, {"id": "c"}]


def write_lines(path, lines: list[str | bytes]):
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines))
    return path


def test_read_predictions_in_sample_order(tmp_path):
    lines = ['{"id": "c", "answer": "z", "score": 1}', "", '{"id": "7", "answer": "x"}']
    path = write_lines(tmp_path / "p.jsonl", [*lines, '{"id": "a", "answer": ""}'])
    assert scores.read_predictions(path, SAMPLES) == ["", "x", "z"]
    path = write_lines(tmp_path / "q.jsonl", ['{"id": 7, "answer": "x"}'])
    assert scores.read_predictions(path, [{"id": "7"}]) == ["x"]


@pytest.mark.parametrize(
    "lines, where, words",
    [
        (['{"id": "a", "answer": "x"}', '{"id": "7", "answer": }'], ":2:", ["not valid JSON"]),
        ([b'{"id": "a", "answer": "\xff"}'], ":1:", ["not UTF-8"]),
        (['["a", "x"]'], ":1:", ["expected a JSON object"]),
        (['{"id": "a"}'], ":1:", ["field 'answer'", "(missing)"]),
        (['{"id": "a", "answer": 3}'], ":1:", ["field 'answer'", "a string", "got 3"]),
        (['{"id": "a", "answer": null}'], ":1:", ["field 'answer'", "got None"]),
        (['{"answer": "x"}'], ":1:", ["field 'id'", "(missing)"]),
        (['{"id": 1.5, "answer": "x"}'], ":1:", ["field 'id'", "got 1.5"]),
        (['{"id": true, "answer": "x"}'], ":1:", ["field 'id'", "got True"]),
        (['{"id": "zz", "answer": "x"}'], ":1:", ["field 'id'", "'zz'", "--data"]),
        (
            [
                '{"id": "a", "answer": "x"}',
                '{"id": "c", "answer": "y"}',
                '{"id": "a", "answer": ""}',
            ],
            ":3:",
            ["field 'id'", "'a' is on line 1 too"],
        ),
    ],
)
def test_read_predictions_refuses(tmp_path, lines, where, words):
    path = write_lines(tmp_path / "p.jsonl", lines)
    with pytest.raises(scores.InputError) as e:
        scores.read_predictions(path, SAMPLES)
    assert str(e.value).startswith(f"{path}{where}")
    for word in words:
        assert word in str(e.value)


def test_read_predictions_names_the_missing(tmp_path):
    samples = [{"id": f"s{i}"} for i in range(8)]
    path = write_lines(tmp_path / "p.jsonl", ['{"id": "s0", "answer": "x"}'])
    with pytest.raises(scores.InputError, match="no answer for 7 of the 8 samples") as e:
        scores.read_predictions(path, samples)
    assert str(e.value).startswith(str(path))
    assert "'s1', 's2', 's3', 's4', 's5', ..." in str(e.value)
    with pytest.raises(scores.InputError, match="no such file"):
        scores.read_predictions(tmp_path / "none.jsonl", samples)


# -------------------------------------------------------------------------------------------------
# Scores of the mini set, counted by hand.


def test_score_mini_set():
    calls = []
    judge = lambda *a, **kw: stand_in_judge(*a, **kw, calls=calls)  # noqa: E731
    result, rows = scores.score([s for s, _ in MINI], [a for _, a in MINI], judge=judge)
    reports = [(s["answer"], a) for s, a in MINI if s["task"] == "report"]
    references, answers = [r for r, _ in reports], [a for _, a in reports]
    expected = {
        "closed/accuracy": 2 / 4,
        "closed/n": 4,
        "open/recall": (1 + 1 / 2 + 1 / 2 + 1) / 4,
        "open/accuracy": 2 / 4,  # the hedged o3 counts as not right
        "open/n": 4,
        **{f"report/bleu{n}": naive_bleu(answers, references, n) for n in range(1, 5)},
        "report/rouge_l": (1 + 3 / 4 + 0) / 3,
        "report/accuracy": 1 / 3,
        "report/n": 3,
        "accuracy": (2 + 2 + 1) / 11,  # every group by the same judge
        "degenerate": 2 / 11,
    }
    assert list(result) == list(expected)
    assert result == pytest.approx(expected, abs=1e-9)
    assert result["report/bleu1"] == pytest.approx(13 / 17)  # by hand: 8 + 4 + 1 of 8 + 5 + 4
    assert [lcs_f1(a, r) for r, a in reports] == pytest.approx([1, 3 / 4, 0])
    assert calls == ["CLOSED"] * 4 + ["OPEN"] * 4 + [None] * 3
    assert [r["group"] for r in rows] == ["closed"] * 4 + ["open"] * 4 + ["report"] * 3
    assert rows[6] == dict(
        id="o3", group="open", question="?", reference="T2-weighted MRI", answer="maybe an MRI",
        right=None, why="hedged", degenerate=False, recall=0.5,
    )  # fmt: skip
    assert rows[9]["rouge_l"] == pytest.approx(3 / 4) and "recall" not in rows[9]


def test_score_with_an_llm_judge():
    def llm(answer, reference, question=""):
        return Verdict(None, "llm_unparseable") if "size" in answer else Verdict(True, "llm_yes")

    result, rows = scores.score([s for s, _ in MINI], [a for _, a in MINI], stand_in_judge, llm)
    assert result["llm/open/accuracy"] == 1.0
    assert result["llm/report/accuracy"] == pytest.approx(2 / 3)
    assert result["llm/undecided"] == 1
    assert "llm/closed/accuracy" not in result and "llm_right" not in rows[0]
    assert (rows[10]["llm_right"], rows[10]["llm_why"]) == (None, "llm_unparseable")
    assert rows[10]["right"] is False  # the rule judge's verdict stays beside it


def test_bleu_equals_pycocoevalcap_on_cleaned_text():
    """R2Gen's BLEU (pycocoevalcap, pure Python) on text cleaned as R2Gen does; skipped where
    pycocoevalcap is not installed (it is not a requirement)."""
    bleu = pytest.importorskip("pycocoevalcap.bleu.bleu")
    references = ["the heart is normal in size . the lungs are clear .", "no pneumothorax ."]
    reports = ["the heart size is normal . the lungs are clear .", "no pleural effusion ."]
    coco, _ = bleu.Bleu(4).compute_score(
        {i: [r] for i, r in enumerate(references)}, {i: [r] for i, r in enumerate(reports)}
    )
    ours = scores.corpus_bleu(reports, references)
    assert [ours[f"report/bleu{n}"] for n in range(1, 5)] == pytest.approx(coco, abs=1e-6)


def test_score_empty_groups_have_only_their_count():
    result, rows = scores.score([MINI[0][0]], [MINI[0][1]], judge=stand_in_judge)
    assert result == {
        "closed/accuracy": 1.0, "closed/n": 1, "open/n": 0, "report/n": 0, "accuracy": 1.0,
        "degenerate": 0.0,
    }  # fmt: skip
    with pytest.raises(ValueError):
        scores.score([MINI[0][0]], [], judge=stand_in_judge)


def test_score_with_the_real_judge():
    real = pytest.importorskip("clinical")
    assert callable(real.judge)
    result, rows = scores.score([s for s, _ in MINI], [a for _, a in MINI])
    assert {r["right"] for r in rows} <= {True, False, None}
    assert all(isinstance(r["why"], str) and r["why"] for r in rows)
    assert rows[0]["right"] is True and rows[1]["right"] is False  # 'Yes, there is.' / 'yes'
    assert rows[3]["right"] is False  # empty
    assert result["closed/n"] == 4 and result["report/n"] == 3


def test_listed_answers_are_judged_word_for_word():
    sample = {"answer": "No, the image is abnormal.", "meta": {"choices": ["x"]}}
    assert scores.is_right("no, the image is abnormal", sample)
    assert not scores.is_right("No, the image is abnormal, abnormal.", sample)
    assert scores.verdict("", sample).right is False
    result, rows = scores.score([sample | {"id": 1}], ["No, the image is abnormal"])
    assert rows[0]["why"] == "listed_answer" and result["open/accuracy"] == 1.0


def test_grounding_and_forced_choice():
    choices = ["Yes, there is a lesion.", "No, there is no lesion."]
    samples = [
        {"id": i, "image": f"img{i}", "question": "Lesion?", "answer": choices[i % 2],
         "meta": {"choices": choices}, "lesion": {"boxes": [[0, 0, 1, 1]]} if i < 2 else None}
        for i in range(4)
    ]  # fmt: skip
    assert [scores.has_region(s) for s in samples] == [True, True, False, False]
    assert not scores.has_region({"lesion": {"boxes": [], "mask": None}})
    gap = scores.grounding("accuracy", [True, True], [True, False], "grounding_gap")
    assert gap == {"accuracy_lesion": 1.0, "accuracy_corrupted": 0.5, "grounding_gap": 0.5}
    asked = []

    def logps(rows):  # prefers 'Yes' for images 0 and 2, 'No' for 1, and 'Yes' for 3 (wrong)
        asked.extend(rows)
        return [
            1.0 if (answer == choices[0]) != (image == "img1") else 0.0 for image, _, answer in rows
        ]

    assert scores.forced_choice(samples, logps) == {"choice_accuracy": 3 / 4}
    assert scores.choices_right(samples, logps) == [True, True, True, False]
    assert asked[:2] == [("img0", "Lesion?", choices[0]), ("img0", "Lesion?", choices[1])]


def test_benchmark_1000_predictions():
    """Not a timed test: prints how long the real judge takes on 1000 predictions (pytest -s)."""
    samples = [dict(s, id=f"{s['id']}-{i}") for i in range(91) for s, _ in MINI][:1000]
    answers = [a for _ in range(91) for _, a in MINI][:1000]
    start = time.perf_counter()
    result, _ = scores.score(samples, answers)
    print(f"\nbenchmark: scored 1000 predictions in {time.perf_counter() - start:.2f} s")
    assert result["closed/n"] + result["open/n"] + result["report/n"] == 1000


# -------------------------------------------------------------------------------------------------
# Clinical metrics: without RadEval or its weights, one note per metric with the command.


def test_clinical_metrics_without_radeval(monkeypatch):
    monkeypatch.setattr(scores, "installed", lambda module: False)
    found, notes = scores.clinical_metrics(["No effusion."], ["Small effusion."])
    assert found == {} and len(notes) == 3
    for note, key, metric in zip(
        notes, ["chexbert_f1", "radgraph_f1", "green"], scores.CLINICAL, strict=True
    ):
        assert note.startswith(f"skipped report/{key}: radeval is not installed; to enable: pip")
        assert f"then run once with network: {scores.FETCH[metric]}" in note
    assert "RadEval(metrics=['radgraph'])" in notes[1]
    assert "hf download StanfordAIMI/GREEN-radllama2-7b" in notes[2]
    assert scores.clinical_metrics([], []) == ({}, [])


def test_clinical_metrics_without_weights(monkeypatch, tmp_path):
    from huggingface_hub import constants

    monkeypatch.setattr(scores, "installed", lambda module: True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(scores, "_run_metric", lambda *a: pytest.fail("ran without weights"))
    found, notes = scores.clinical_metrics(["No effusion."], ["Small effusion."])
    assert found == {} and len(notes) == 3
    assert "weights not in the local cache (StanfordAIMI/RRG_scorers/chexbert.pth" in notes[0]
    assert str(tmp_path / "cache" / "radgraph" / "0.1.18" / "radgraph-xl") in notes[1]
    assert "StanfordAIMI/GREEN-radllama2-7b/config.json" in notes[2]
    assert all("then run once with network: " in note for note in notes)


def test_clinical_metric_that_fails_is_a_note(monkeypatch):
    monkeypatch.setattr(scores, "_not_ready", lambda metric: None)

    def run(metric, references, reports):
        if metric == "radgraph":
            raise ModuleNotFoundError("No module named 'RadEval'")
        return {k: 0.5 for k in scores.CLINICAL[metric].values()}

    monkeypatch.setattr(scores, "_run_metric", run)
    found, notes = scores.clinical_metrics(["a"], ["b"])
    assert found["report/chexbert_f1"] == 0.5 and found["report/green"] == 0.5
    assert notes == [
        "skipped report/radgraph_f1: RadEval failed: ModuleNotFoundError: No module named "
        f"'RadEval' (known: {scores.KNOWN['radgraph']})"
    ]


# -------------------------------------------------------------------------------------------------
# Files: medpo.py eval --predictions end to end.


def test_evaluate_predictions_writes_both_files(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(scores, "installed", lambda module: False)
    Image.new("L", (8, 8)).save(tmp_path / "x.png")
    data = [dict(s, image="x.png") for s, _ in MINI]
    (tmp_path / "test.jsonl").write_text("".join(json.dumps(s) + "\n" for s in data))
    predictions = [{"id": s["id"], "answer": a} for s, a in reversed(MINI)]
    (tmp_path / "answers.jsonl").write_text("".join(json.dumps(p) + "\n" for p in predictions))
    out = tmp_path / "eval"
    result = scores.evaluate_predictions(
        tmp_path / "test.jsonl", tmp_path / "answers.jsonl", out, judge=stand_in_judge
    )
    written = json.loads((out / "scores.json").read_text())
    assert written == result | {"notes": written["notes"]} and len(written["notes"]) == 3
    assert result["closed/accuracy"] == 0.5 and result["report/n"] == 3
    rows = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [s["id"] for s, _ in MINI]
    assert rows[4]["answer"] == MINI[4][1] and rows[4]["recall"] == 1.0
    assert "skipped report/green" in capsys.readouterr().err


def test_evaluate_predictions_of_rows_and_answers_with_the_cfg_judge(tmp_path, monkeypatch):
    import llm

    made = {}

    def fake_llm_judge(url, model="", **kw):
        made.update(url=url, model=model, **kw)
        return lambda answer, reference, question="": Verdict(True, "llm_yes")

    monkeypatch.setattr(llm, "llm_judge", fake_llm_judge)
    monkeypatch.setattr(scores, "installed", lambda module: False)
    cfg = SimpleNamespace(
        judge_url="http://127.0.0.1:8000/v1", judge_model="m", editor_timeout=5.0,
        editor_allow_remote=False,
    )  # fmt: skip
    samples, answers = [s for s, _ in MINI], [a for _, a in MINI]
    result = scores.evaluate_predictions(samples, answers, tmp_path, cfg, judge=stand_in_judge)
    assert made == dict(url=cfg.judge_url, model="m", timeout=5.0, allow_remote=False)
    assert result["llm/open/accuracy"] == 1.0 and result["closed/accuracy"] == 0.5
    rows = [json.loads(line) for line in (tmp_path / "samples.jsonl").read_text().splitlines()]
    assert rows[4]["llm_why"] == "llm_yes" and rows[4]["why"] == "stand-in"


# -------------------------------------------------------------------------------------------------
# Tracking and the model card.


def test_tensorboard_tracker_writes_what_tensorboard_reads(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    config = {"beta": 0.1, "lora_target": "q_proj|v_proj", "output_dir": tmp_path}
    with tracking.Tracker("tensorboard", tmp_path, config) as tracker:
        tracker.log({"step": 1, "loss": 0.7, "rewards/margins": 0.1, "note": "x"}, step=1)
        tracker.log({"step": 2, "loss": 0.5, "eval/examples": [{"a": 1}]}, step=2)
        tracker.log_text("eval/answers", "Q: Is there a lesion?\nA: Yes", step=2)
    events = EventAccumulator(str(tmp_path / "runs"))
    events.Reload()
    assert set(events.Tags()["scalars"]) == {"loss", "rewards/margins"}
    assert [(e.step, round(e.value, 6)) for e in events.Scalars("loss")] == [(1, 0.7), (2, 0.5)]
    assert {"config/text_summary", "eval/answers/text_summary"} <= set(events.Tags()["tensors"])
    text = events.Tensors("eval/answers/text_summary")[0].tensor_proto.string_val[0].decode()
    assert "A: Yes" in text


def test_tracker_none_and_refusals(tmp_path, monkeypatch):
    with tracking.Tracker("none", tmp_path / "run", {}) as tracker:
        tracker.log({"loss": 1.0}, step=1)
        tracker.log_text("x", "y", step=1)
    assert not (tmp_path / "run").exists()
    with pytest.raises(ValueError, match="expected one of none, tensorboard, wandb, trackio"):
        tracking.Tracker("mlflow", tmp_path, {})

    for backend in ("wandb", "trackio"):
        monkeypatch.setitem(sys.modules, backend, None)  # as if not installed
        with pytest.raises(ValueError, match=f"^--report_to {backend}: pip install {backend}$"):
            tracking.Tracker(backend, tmp_path, {})


def test_model_card():
    cfg = {"beta": 0.1, "learning_rate": 1e-6, "lora_target": "q|v", "merge": False}
    before_after = {"eval_before": {"eval/accuracy": 0.5}, "eval_after": {"eval/accuracy": 0.75}}
    card = tracking.model_card(cfg, "google/medgemma-4b-it", "train.jsonl", before_after)
    front = yaml.safe_load(card.split("---")[1])
    assert front["base_model"] == "google/medgemma-4b-it" and front["library_name"] == "peft"
    assert set(front["tags"]) == {"medpo", "dpo", "medical"}
    assert "| --beta | 0.1 |" in card and "| --learning_rate | 1e-06 |" in card
    assert "| --lora_target | `q\\|v` |" in card and "`train.jsonl`" in card
    assert "| score | before | after |" in card and "| eval/accuracy | 0.5 | 0.75 |" in card
    assert "PeftModel.from_pretrained" in card and "arXiv:2606.12590" in card
    merged = tracking.model_card(cfg | {"merge": True}, "m", "demo", {"closed/accuracy": 0.5})
    assert "library_name: transformers" in merged and "PeftModel" not in merged
    assert "| closed/accuracy | 0.5 |" in merged
    assert "## Scores" not in tracking.model_card(cfg, "m", "demo", None)


def test_metrics_log_writes_rows_and_feeds_the_tracker(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    with tracking.Tracker("tensorboard", tmp_path, {}) as before_the_crash:
        for step in (1, 2):
            before_the_crash.log({"loss": 1.0, "rewards/margins": 0.0}, step)
    (tmp_path / "metrics.jsonl").write_text('{"step": 1, "loss": 1}\n{"step": 2, "loss": 1}\n{"st')
    resumed = SimpleNamespace(step=1)  # from the checkpoint of step 1
    cfg = tracking_config(report_to="tensorboard")
    run = SimpleNamespace(out=tmp_path, rank=0, state=resumed, total_steps=3, cfg=cfg)
    examples = [dict(question="Q?", reference="Yes", answer="No", right=False, why="contradicts")]
    with tracking.MetricsLog(run) as log:
        log.write({"step": 2, "loss": 0.5, "rewards/margins": 0.2, "eval/examples": examples})
    rows = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [(r["step"], r["loss"]) for r in rows] == [(1, 1), (2, 0.5)]  # torn line, old 2: out
    events = EventAccumulator(str(tmp_path / "runs"))
    events.Reload()
    assert [(e.step, e.value) for e in events.Scalars("loss")] == [(1, 1.0), (2, 0.5)]
    text = events.Tensors("eval/examples/text_summary")[0].tensor_proto.string_val[0].decode()
    assert "Reference: Yes" in text and "Judged: False (contradicts)" in text


def tracking_config(**kw):
    @dataclasses.dataclass
    class Cfg:
        report_to: str = "none"
        beta: float = 0.1

    return Cfg(**kw)


def test_step_and_token_metrics_and_summary_numbers():
    import torch

    answers = [
        SimpleNamespace(weights=torch.tensor(w)) for w in ([1.0, 0, 1], [0, 1.0], [1.0], [0.0])
    ]
    batch = SimpleNamespace(answers=answers, tokens=40)
    assert tracking.token_metrics(batch, kl_tokens=6, n_pairs=2) == {
        "tokens/weighted_chosen": 1.5, "tokens/weighted_rejected": 0.5, "tokens/kl": 3.0,
        "tokens/batch": 40,
    }  # fmt: skip
    run = SimpleNamespace(
        state=SimpleNamespace(step=3), optimizer=SimpleNamespace(param_groups=[{"lr": 1e-4}])
    )
    parts = [{"loss": 1.0, "tokens/batch": 40}, {"loss": 0.5, "tokens/batch": 60}]
    row = tracking.step_metrics(run, parts, torch.tensor(2.0), False, 2.0)
    assert row["step"] == 3 and row["lr"] == 1e-4 and row["grad_norm"] == 2.0
    assert row["skipped"] == 0 and row["loss"] == 0.75 and row["tokens_per_s"] == 50.0
    assert row["peak_mem_gb"] > 0
    result = {"eval_after": {"eval/closed/accuracy": 0.123456, "eval/examples": [1]}, "steps": 4}
    result |= {"done": True, "path": "x", "empty": {"a": "b"}}
    assert tracking.summary_numbers(result) == {
        "eval_after": {"eval/closed/accuracy": 0.1235}, "steps": 4, "done": True
    }  # fmt: skip
    tracking.check_backend("none")
    tracking.check_backend("tensorboard")
