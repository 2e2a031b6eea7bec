"""How good are the pairs and verdicts of clinical.py on expert-labelled cases?

  python benchmarks/pair_quality.py test_data/clinical_cases.jsonl [--seeds 5]
  python benchmarks/pair_quality.py test_data/clinical_cases*.jsonl   # several files as one
  python benchmarks/pair_quality.py FILE --adjudications ADJ.jsonl      # with a second expert

Each case (one JSON object a line) holds a question, a reference, a model-style answer and an
expert's expectations: the judge's verdict ('right'), the acceptable ends ('outcomes': fix, plant,
skip), what a correction must and must not say ('chosen_required', 'chosen_forbidden',
'max_words_changed' per sentence) and the acceptable planted sentences ('plant_variants'). An
expert's list of acceptable planted sentences is long but finite; a second expert's verdicts on the
planted sentences it lacks (--adjudications) count an accepted one as listed (run it with and
without them). Pairs are built with medpo.pair_outcome, as medpo.build_pair does, once per seed
(planted errors are drawn). Printed per class and overall: cases, pairs made, pairs accepted
(precision), cases ending acceptably under every seed (coverage), judge agreement; then each
failing case, and how many edits each precision guard of the rule editor (clinical.GUARDS) refused,
per file (a refused correction is a skip; a refused planted error, the next draw).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import clinical  # noqa: E402
import medpo  # noqa: E402


def read_cases(path: str | Path) -> list[dict]:
    """The cases of a JSONL file; a case that expects a plant but lists no expert variant would
    count every plant as wrong, so it is refused with its file, line and field."""
    cases = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            case = json.loads(line)
            if case.get("outcomes") == ["plant"] and not case.get("plant_variants"):
                raise SystemExit(
                    f"{path}:{number}: field 'plant_variants' is missing or empty; a case whose "
                    "only outcome is 'plant' needs the expert's acceptable planted sentences"
                )
            cases.append(case)
    return cases


def _norm(sentence: str, case: bool = False) -> str:
    """A sentence compared ignoring spacing, commas and a final period (an effusion but no
    pneumothorax is an effusion, but no pneumothorax), and case unless case: a second expert's
    verdict is on the sentence as written (a lowercase 'b-cell' was refused)."""
    said = sentence if case else sentence.lower()
    return " ".join(said.replace(",", " ").split()).rstrip(".").strip()


def _says(text: str, phrase: str) -> bool:
    """Whether text has phrase as whole words, its last word perhaps plural (eosinophils) or, of
    five letters or more, the stem of a longer word (ulcerat: ulcerated, ulceration; infarct:
    infarction); a hyphenated compound has its first word (left in left-sided, T1 in
    T1-weighted)."""
    phrase = phrase.strip()
    stem = r"\w*" if re.search(r"[a-z]{5,}$", phrase, re.I) else r"(?:e?s)?"
    pattern = r"(?<![\w-])" + re.escape(phrase) + stem + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def fix_problem(case: dict, pair: dict) -> str | None:
    """None when a correction meets the case's expectations, else what is wrong with it."""
    chosen = pair["chosen"]
    if pair["rejected"] != case["answer"]:
        return "rejected is not the answer"
    for alternatives in case.get("chosen_required", []):
        if not any(_says(chosen, a) for a in alternatives):
            return f"chosen lacks {alternatives}"
    for phrase in case.get("chosen_forbidden", []):
        if _says(chosen, phrase):
            return f"chosen says {phrase!r}"
    limit = case.get("max_words_changed")
    changed = max(clinical.changes_per_sentence(case["answer"], chosen))
    if limit is not None and changed > limit:
        return f"{changed} words changed in a sentence (at most {limit})"
    return None


_UNLISTED = "not an expert variant"  # neither the first expert's nor adjudicated


def plant_problem(case: dict, pair: dict) -> str | None:
    """None when a planted error is one of the expert's variants (of the sentence it changes, or
    of the whole answer), or a second expert accepted it, else why not. A plant may change more
    than one sentence (a report's finding and its impression): it is judged as a whole."""
    answer, rejected = case["answer"], pair["rejected"]
    if pair["chosen"] != answer:
        return "chosen is not the answer"
    old = [answer[s:e] for s, e in clinical.sentences(answer)]
    new = [rejected[s:e] for s, e in clinical.sentences(rejected)]
    if len(old) != len(new):
        return "the planted answer has another number of sentences"
    changed = [k for k, (a, b) in enumerate(zip(old, new, strict=True)) if _norm(a) != _norm(b)]
    if not changed:
        return "no sentence changed"
    planted = " ".join(new[k] for k in changed)
    variants = {_norm(s): vs for s, vs in case.get("plant_variants", {}).items()}
    listed = {_norm(v) for v in variants.get(_norm(answer), [])}
    if len(changed) == 1:
        listed |= {_norm(v) for v in variants.get(_norm(old[changed[0]]), [])}
    if _norm(planted, case=True) in case.get("_refused", set()):
        return f"planted {planted!r}, refused by the second expert"
    if {_norm(planted), _norm(rejected)} & listed:
        return None
    if {_norm(planted, case=True), _norm(rejected, case=True)} & case.get("_adjudicated", set()):
        return None
    return f"planted {planted!r}, {_UNLISTED}"


def unjudged(problem: str | None) -> bool:
    """Whether a pair's problem is only that no expert has judged its planted sentence (the
    first did not list it, no second expert's verdict on it is given)."""
    return bool(problem) and problem.endswith(_UNLISTED)


def outcome_problem(case: dict, pair: dict | None, why: str) -> tuple[str, str | None]:
    """(fix / plant / skip, None if that end is acceptable for the case, else what is wrong)."""
    kind = "skip" if pair is None else ("plant" if pair["model_correct"] else "fix")
    if kind not in case["outcomes"]:
        detail = why if pair is None else repr(pair["chosen" if kind == "fix" else "rejected"])
        return kind, f"{kind} ({detail}) not in {case['outcomes']}"
    if kind == "fix":
        return kind, fix_problem(case, pair)
    if kind == "plant":
        return kind, plant_problem(case, pair)
    return kind, None


def score_case(case: dict, seeds: int = 5) -> dict:
    """The case's pairs under each seed and whether each is acceptable, and the judge's call."""
    args = (case["answer"], case["reference"], case.get("question", ""))
    result = {"pairs": 0, "accepted": 0, "unjudged": 0, "problems": []}
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        pair, why = medpo.pair_outcome(*args, rng=rng)
        kind, problem = outcome_problem(case, pair, why)
        result["pairs"] += pair is not None
        result["accepted"] += pair is not None and problem is None
        result["unjudged"] += pair is not None and unjudged(problem)
        if problem and problem not in result["problems"]:
            result["problems"].append(problem)
        if kind == "fix" or pair is None:  # no draw involved: one seed says it all
            result["pairs"] *= seeds
            result["accepted"] *= seeds
            break
    result["ok"] = not result["problems"]
    result["judged"] = clinical.is_right(*args, case.get("answer_type"))
    result["agrees"] = result["judged"] == case["right"]
    return result


def summarize(cases: list[dict], seeds: int = 5, score=score_case) -> tuple[dict, list[str]]:
    """({class or 'overall': counts and rates}, lines describing each failing case); score(case,
    seeds) scores one case (a test may pass one that caches)."""
    rows, failures = defaultdict(lambda: defaultdict(int)), []
    for case in cases:
        r = score(case, seeds)
        for key in (case.get("class", "?"), "overall"):
            row = rows[key]
            row["cases"] += 1
            row["pairs"] += r["pairs"]
            row["accepted"] += r["accepted"]
            row["unjudged"] += r.get("unjudged", 0)
            row["ok"] += r["ok"]
            row["agree"] += r["agrees"]
        if not (r["ok"] and r["agrees"]):
            judged = "" if r["agrees"] else f"judge said {r['judged']}, expert {case['right']}; "
            failures.append(
                f"{case['id']} [{case.get('class')}]: {judged}{'; '.join(r['problems'])}"
            )
    table = {}
    for key, row in rows.items():
        table[key] = dict(row) | {
            "precision": row["accepted"] / row["pairs"] if row["pairs"] else 1.0,
            "coverage": row["ok"] / row["cases"],
            "agreement": row["agree"] / row["cases"],
        }
    return table, failures


def adjudicated(cases: list[dict], paths: list) -> list[dict]:
    """The cases, each with the planted sentences a second expert accepted for it (JSONL files
    of {id, planted, accept}) as '_adjudicated', and those it refused as '_refused'."""
    verdicts = {True: defaultdict(set), False: defaultdict(set)}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for row in map(json.loads, filter(str.strip, f)):
                verdicts[bool(row["accept"])][row["id"]].add(_norm(row["planted"], case=True))
    return [
        dict(c, _adjudicated=verdicts[True][c["id"]], _refused=verdicts[False][c["id"]])
        for c in cases
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="+", help="JSONL files of expert-labelled cases")
    parser.add_argument("--seeds", type=int, default=5, help="draws of each planted error")
    parser.add_argument(
        "--adjudications",
        nargs="*",
        default=[],
        help="JSONL files of a second expert's verdicts on planted sentences the first did not "
        "list ({id, planted, accept}): an accepted one counts as listed",
    )
    args = parser.parse_args(argv)
    cases = [dict(c, _file=path) for path in args.cases for c in read_cases(path)]
    cases = adjudicated(cases, args.adjudications)
    refused: dict[str, Counter] = defaultdict(Counter)

    def score(case: dict, seeds: int) -> dict:
        before = Counter(clinical.GUARD_REFUSALS)
        result = score_case(case, seeds)
        refused[case["_file"]] += clinical.GUARD_REFUSALS - before
        return result

    table, failures = summarize(cases, args.seeds, score)
    head = f"{'class':<24}{'cases':>6}{'pairs':>7}{'accepted':>9}{'precision':>10}"
    print(head + f"{'coverage':>9}{'judge':>7}")
    for key in sorted(table, key=lambda k: (k == "overall", k)):
        t = table[key]
        print(
            f"{key:<24}{t['cases']:>6}{t['pairs']:>7}{t['accepted']:>9}{t['precision']:>10.3f}"
            f"{t['coverage']:>9.3f}{t['agreement']:>7.3f}"
        )
    t = table["overall"]
    if t["unjudged"]:
        judged = t["accepted"] / (t["pairs"] - t["unjudged"]) if t["pairs"] > t["unjudged"] else 1
        print(f"\n{t['unjudged']} pairs plant a sentence no expert has judged (counted as wrong "
              f"above); without them precision is {judged:.3f}")  # fmt: skip
    print(f"\n{len(failures)} failing cases:" if failures else "\nno failing case")
    for line in failures:
        print("  " + line)
    print("\nedits refused by each guard:")
    for path in args.cases:
        counts = ", ".join(f"{g.__name__} {refused[path][g.__name__]}" for g in clinical.GUARDS)
        print(f"  {path}: {counts}")


if __name__ == "__main__":
    main()
