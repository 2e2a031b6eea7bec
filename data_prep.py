"""Data for MedPO: everything on the data side of the method, which medpo.py reads.

  python data_prep.py demo --out DIR                 # the generated medical VQA world (offline)
  python data_prep.py tiny --out DIR                 # the tiny LLaVA warmed up on it
  python data_prep.py slake --root DIR --out FILE    # a real dataset to the project's JSONL
                                                     # (also vqa-rad, path-vqa, iu-xray,
                                                     # mimic-cxr, vindr-cxr, rsna)

In reading order: file helpers (atomic writes); reading and checking the project's JSONL (every
problem reported as file:line: field, before any model is loaded); the editors that turn an answer
into a pair (a rule editor over a clinical lexicon, an LLM editor) with the pair statistics the
paper reports; the demo world; tiny offline VLMs of five architectures; converters for real
datasets. This file imports nothing from medpo.py: data flows one way, into the method.

The sample JSONL, one object per line (image paths relative to the JSONL's folder):
  {"id", "image", "question", "answer", "task": "vqa" | "report",
   "lesion": null | {"boxes": [[x0, y0, x1, y1], ...], "mask": null | "mask.png", "labels": [...]},
   "meta": {...}}
A pair JSONL adds chosen, rejected, chosen_spans, rejected_spans, model_correct and, optionally,
corrupted_image (a precomputed v').
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import pickle
import re
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from PIL import Image


# -------------------------------------------------------------------------------------------------
# File helpers: nothing half-written is ever left behind. A file or folder is written under a
# temporary name, flushed to disk (fsync), then renamed into place: a crash leaves either the old
# version or the new one, never a torn one.


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


# -------------------------------------------------------------------------------------------------
# Editors and pair files. The rule editor corrects an answer against its reference over a lexicon
# of clinical term groups, or plants one plausible error in a right answer; an LLM editor behind
# an OpenAI-compatible endpoint can take its place (medpo.build_pair takes either). Also the
# statistics the paper reports for pairs, and TRL's preference format.

WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")  # words (X-ray, don't) and single punctuation


def check_text(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {type(value).__name__} {value!r}")
    return value


# Term groups: in each group the alternatives exclude one another; an alternative is a tuple of
# synonyms whose first entry is the form written when an error is planted.
LEXICON: dict[str, list[tuple[str, ...]]] = {
    "laterality": [("left",), ("right",), ("bilateral", "both")],
    "normality": [("normal", "unremarkable"), ("abnormal",)],
    "modality": [
        ("CT", "computed tomography"),
        ("MRI", "MR", "magnetic resonance"),
        ("X-ray", "xray", "radiograph", "radiography"),
        ("ultrasound", "sonography"),
    ],
    "plane": [("axial", "transverse"), ("coronal",), ("sagittal",)],
    "vertical": [("upper",), ("lower",)],
    "depth": [("anterior",), ("posterior",)],
    "organ": [
        ("lymph node",),
        ("liver",),
        ("lung", "lungs"),
        ("heart",),
        ("kidney", "kidneys"),
        ("brain",),
        ("spleen",),
        ("stomach",),
        ("bladder",),
        ("pancreas",),
        ("colon",),
        ("bowel",),
        ("gallbladder",),
        ("esophagus",),
        ("trachea",),
        ("spine", "spinal cord"),
        ("bone",),
    ],  # fmt: skip
    "finding": [
        ("nodule",),
        ("mass",),
        ("effusion",),
        ("pneumonia",),
        ("cardiomegaly",),
        ("atelectasis",),
        ("tumor", "tumour"),
        ("cyst",),
        ("fracture",),
        ("edema", "oedema"),
        ("pneumothorax",),
        ("opacity",),
        ("consolidation",),
        ("calcification",),
    ],  # fmt: skip
    "size": [("small", "tiny"), ("large", "big"), ("medium", "medium-sized")],
    "severity": [("mild", "slight"), ("moderate",), ("severe", "marked")],
}
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
]
SPELLING = {s.lower(): s for alts in LEXICON.values() for alt in alts for s in alt}  # mri -> MRI


def _find(pattern: str, text: str) -> list[re.Match]:
    """Whole-word, case-insensitive matches of pattern (a hyphen joins words: X-ray)."""
    return list(re.finditer(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", text, re.IGNORECASE))


def term_hits(text: str) -> dict[str, dict]:
    """group -> alternative -> its matches in text. Alternatives are LEXICON indices; in the
    'number' group they are values as strings ('two' and '2' are both '2')."""
    hits = {}
    for group, alternatives in LEXICON.items():
        hits[group] = {}
        for k, synonyms in enumerate(alternatives):
            longest_first = sorted(synonyms, key=len)[::-1]
            matches = _find("|".join(map(re.escape, longest_first)), text)
            if matches:
                hits[group][k] = matches
    hits["number"] = {}
    for m in _find("|".join(NUMBER_WORDS) + r"|\d+(?:\.\d+)?", text):
        word = m.group().lower()
        value = str(NUMBER_WORDS.index(word)) if word in NUMBER_WORDS else word
        hits["number"].setdefault(value, []).append(m)
    return hits


def _styled(new: str, old: str) -> str:
    """new in old's case: 'right' replacing 'Left' is 'Right'; CT, MRI and X-ray keep their caps."""
    title = old[:1].isupper() and not (len(old) > 1 and old.isupper())  # 'Left', not 'CT'
    if title and not any(c.isupper() for c in new):
        return new[:1].upper() + new[1:]
    return new


def _article(word: str) -> str:
    """'a' or 'an' by sound: an MRI, an X-ray, an effusion; a CT, a nodule."""
    acronym = word[:1].isupper() and (word.isupper() or word[1:2] == "-")
    if acronym:
        return "an" if word[:1] in "AEFHILMNORSX" else "a"
    return "an" if word[:1].lower() in "aeiou" else "a"


# Polarity cues: (regex, +1 finding present / -1 absent, the opposite wording; {a} is the article
# the next word needs). Earlier patterns win where cues overlap.
POLARITY = [
    (r"^yes\b", +1, "no"),
    (r"^no\b(?=\s*[,.!;:]|\s*$)", -1, "yes"),
    (r"\b(there is) no\b", -1, r"\1 {a}"),
    (r"\b(there are) no\b", -1, r"\1"),
    (r"\b(there is) an?\b", +1, r"\1 no"),
    (r"\b(there are)\b", +1, r"\1 no"),
    (r"\bpresent\b", +1, "absent"),
    (r"\babsent\b", -1, "present"),
    (r"\b(is|are) not(?= (?:seen|visible|present|identified)\b)", -1, r"\1"),
    (r"\b(is|are)(?= (?:seen|visible|identified)\b)", +1, r"\1 not"),
    (r"\b(shows?) no\b", -1, r"\1 {a}"),
    (r"\b(shows?) an?\b", +1, r"\1 no"),
]


def polarity_sites(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, polarity, opposite wording) of each polarity cue in text, in text order."""
    sites, taken = [], set()
    for pattern, polarity, opposite in POLARITY:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if not taken.isdisjoint(range(m.start(), m.end())):
                continue
            taken.update(range(m.start(), m.end()))
            new = m.expand(opposite).replace("{a}", _article(text[m.end() :].lstrip()))
            sites.append((m.start(), m.end(), polarity, _styled(new, m.group())))
    return sorted(sites)


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """text with text[s:e] replaced by new for each (s, e, new); an article in front of a
    replaced word is made to agree with it (a CT -> an MRI)."""
    edits = list(edits)
    for s, _, new in list(edits):
        m = re.search(r"\b(an?)\s+$", text[:s], re.IGNORECASE)
        if m and m.group(1).lower() != _article(new):
            edits.append((m.start(1), m.end(1), _styled(_article(new), m.group(1))))
    for s, e, new in sorted(edits, reverse=True):
        text = text[:s] + new + text[e:]
    return text


def _term_edits(response: str, reference: str) -> tuple[list, int] | None:
    """(edits, groups compared): in each term group that the reference decides (it names one
    alternative) and the response contradicts, the response's words become the reference's.
    None when the response names two wrong alternatives: which one is meant cannot be told."""
    found, wanted = term_hits(response), term_hits(reference)
    edits, compared = [], 0
    for group, response_alts in found.items():
        if len(wanted[group]) != 1 or not response_alts:
            continue
        compared += 1
        ((want, ref_matches),) = wanted[group].items()
        if want in response_alts:
            continue
        if len(response_alts) > 1:
            return None
        new = SPELLING.get(ref_matches[0].group().lower(), ref_matches[0].group())
        for matches in response_alts.values():
            edits += [(m.start(), m.end(), _styled(new, m.group())) for m in matches]
    return edits, compared


def _polarity_edits(response: str, reference: str) -> tuple[list, int] | None:
    """(edits, 1 if compared else 0): every polarity cue of the response flips when its claim
    disagrees with the reference's. None when the response says both (present and absent)."""
    ref_polarity = {p for _, _, p, _ in polarity_sites(reference)}
    sites = polarity_sites(response)
    if len(ref_polarity) != 1 or not sites:
        return [], 0
    if len({p for _, _, p, _ in sites}) > 1:
        return None
    if sites[0][2] in ref_polarity:
        return [], 1
    return [(s, e, new) for s, e, _, new in sites], 1


def _restates(response: str, reference: str) -> bool:
    """The reference's words, in order, appear inside the response (ignoring case and marks)."""

    def words(text):
        return " ".join(m.group().lower() for m in WORD.finditer(text) if m.group().isalnum())

    return bool(words(reference)) and words(reference) in words(response)


def clinical_edit(response: str, reference: str) -> str | None:
    """Minimal rule-based correction of response against reference. In every term group the
    reference decides and the response contradicts, the response's words become the reference's;
    polarity (yes/no, there is (no), present/absent) flips the same way; every other byte is kept.
    Returns the response unchanged when it agrees, None when nothing comparable is found or the
    response is ambiguous."""
    check_text("response", response)
    check_text("reference", reference)
    terms = _term_edits(response, reference)
    polarity = _polarity_edits(response, reference)
    if terms is None or polarity is None:
        return None
    if terms[1] + polarity[1] == 0:  # no term group to compare: right only if it restates
        return response if _restates(response, reference) else None
    return apply_edits(response, terms[0] + polarity[0])


def counterfactual_edit(response: str, rng: np.random.Generator | None = None) -> str | None:
    """Plant one plausible clinical error: one lexicon term, or the answer's claim, drawn with rng,
    becomes another alternative of its group (left<->right, CT<->MRI, present<->absent). A claim's
    words flip together, so the wrong answer stays coherent: its polarity cues (Yes, there is a
    -> No, there is no), or a leading yes/no with the normality term it answers (No, the image is
    abnormal -> Yes, the image is normal). None when the answer has no clinical term."""
    check_text("response", response)
    rng = rng if rng is not None else np.random.default_rng(0)
    hits = term_hits(response)
    claim, tied = _claim_edits(response, hits)
    candidates = [claim] if claim else []
    for group, found in hits.items():
        if group == "number" or group in tied:
            continue
        for k, matches in found.items():
            others = [alt[0] for j, alt in enumerate(LEXICON[group]) if j != k]
            if group in ("laterality", "size") and k < 2:
                others = [LEXICON[group][1 - k][0]]  # left <-> right, small <-> large
            for m in matches:
                new = others[int(rng.integers(len(others)))]
                candidates.append([(m.start(), m.end(), _styled(new, m.group()))])
    if not candidates:
        return None
    return apply_edits(response, candidates[int(rng.integers(len(candidates)))])


def _claim_edits(response: str, hits: dict) -> tuple[list, set]:
    """(edits that negate the answer's claim, the term groups tied to it). A yes/no that stands
    alone as the answer's only polarity cue restates a normality term (Is this image normal? No,
    the image is abnormal): the two flip together and never alone."""
    sites = polarity_sites(response)
    if len({p for _, _, p, _ in sites}) != 1:
        return [], set()
    edits = [(s, e, new) for s, e, _, new in sites]
    yes_no_only = len(sites) == 1 and sites[0][0] == 0 and response[: sites[0][1]].isalpha()
    normality = hits["normality"]
    if not (yes_no_only and len(normality) == 1):
        return edits, set()
    ((k, matches),) = normality.items()
    opposite = LEXICON["normality"][1 - k][0]
    edits += [(m.start(), m.end(), _styled(opposite, m.group())) for m in matches]
    return edits, {"normality"}


STOP_WORDS = {"a", "an", "the", "is", "are", "there", "this", "it", "of", "in", "on", "at", "to"}
STOP_WORDS |= {"and", "with", "yes", "no", "image", "scan", "shows", "show", "seen", "side"}


def states_reference(answer: str, reference: str) -> bool:
    """The answer states what the reference states: the rule editor finds nothing to correct,
    and everything the reference decides is in the answer: each term group it names one
    alternative of, its yes/no polarity, and its other content words. So 'No, the is is is' is
    not an answer to 'No, the image is abnormal.', and 'Yes, there is a right side.' is not one
    to 'Yes, there is a lesion.'."""
    if not answer.strip() or clinical_edit(answer, reference) != answer:
        return False
    said, decided = term_hits(answer), term_hits(reference)
    for group, alternatives in decided.items():
        if len(alternatives) == 1 and not alternatives.keys() & said[group].keys():
            return False
    polarity = {p for _, _, p, _ in polarity_sites(reference)}
    if len(polarity) == 1 and not polarity & {p for _, _, p, _ in polarity_sites(answer)}:
        return False
    terms = {w.lower() for term in lexicon_words() for w in term.split()}
    content = {w.lower() for w in WORD.findall(reference) if w.isalnum()} - STOP_WORDS - terms
    return content <= {w.lower() for w in WORD.findall(answer)}


def lexicon_words() -> list[str]:
    """Every synonym of every LEXICON term, multi-word terms whole ('lymph node')."""
    return [s for alternatives in LEXICON.values() for alt in alternatives for s in alt]


def word_edits(a: str, b: str) -> tuple[int, int, list[str]]:
    """(word edit distance, the longer text's length in words, the words that differ)."""
    words_a, words_b = WORD.findall(a), WORD.findall(b)
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    distance, changed = 0, []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            distance += max(i2 - i1, j2 - j1)
            changed += words_a[i1:i2] + words_b[j1:j2]
    return distance, max(len(words_a), len(words_b), 1), changed


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


LLM_PROMPT = (
    "You correct a medical AI's answer against the reference answer. Change ONLY the clinically "
    "wrong words (side, location, finding, size, severity, organ, modality, presence/absence, "
    "counts); keep every other word, the order and the punctuation exactly. If the answer "
    "already agrees with the reference, return it unchanged. If you cannot tell, return exactly "
    "UNSURE. Return the corrected answer only, nothing else."
)
EDITOR_WORDS = {"yes", "no", "not", "a", "an", "the", "there", "is", "are", "present", "absent"}
EDITOR_WORDS |= {"seen", "shows", "show"}  # words a minimal edit may touch besides the clinical


class EditorError(RuntimeError):
    """The LLM editor gave no usable reply for one answer after its retries."""


def llm_editor(url: str, model="", api_key="", timeout=60.0, max_words=3, clinical=None,
               allow_remote=False, tries=3, backoff=1.0):  # fmt: skip
    """editor(response, reference) -> corrected text or None, asking an OpenAI-compatible chat
    endpoint (http or https; a base URL, or the full .../chat/completions address). The answer
    and its reference are clinical text: an endpoint off this machine is refused unless
    allow_remote, and a notice names the host once. Each call is tried `tries` times, waiting
    backoff, 2 backoff, ... seconds; then EditorError. An edit that changes more than max_words
    words, or a word that is neither clinical (default: the LEXICON) nor in the reference, is
    refused and counted in editor.rejected."""
    endpoint = _editor_endpoint(url, allow_remote)
    terms = lexicon_words() if clinical is None else clinical
    clinical_words = {w.lower() for term in terms for w in [term, *term.split()]}
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"

    def edit(response: str, reference: str) -> str | None:
        user = f"Reference answer: {reference}\nAI answer: {response}\nCorrected answer:"
        messages = [{"role": "system", "content": LLM_PROMPT}, {"role": "user", "content": user}]
        body = json.dumps({"model": model, "temperature": 0, "messages": messages}).encode()
        text = _ask(endpoint, body, headers, timeout, tries, backoff)
        if text == "UNSURE" or not text:
            return None
        n_changed, _, changed = word_edits(response, text)
        allowed = clinical_words | EDITOR_WORDS | {w.lower() for w in WORD.findall(reference)}
        foreign = [w for w in changed if w.isalnum() and not w.isdigit()]
        foreign = [w for w in foreign if w.lower() not in allowed]
        why = "llm_edit_not_minimal" if n_changed > max_words else None
        why = why or ("llm_edit_changes_non_clinical_words" if foreign else None)
        if why:
            edit.rejected[why] += 1
            return None
        return text

    edit.rejected = Counter()
    return edit


def _editor_endpoint(url: str, allow_remote: bool) -> str:
    """The chat-completions address; refuses other schemes, and other hosts unless allowed."""
    import ipaddress
    import urllib.parse

    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise InputError(f"--editor_url {url!r}: expected an http:// or https:// address")
    host = parsed.hostname
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if not (local or allow_remote):
        raise InputError(
            f"--editor_url {url}: the editor would send clinical text (answers and reference "
            f"answers) to {host}, off this machine. Pass --editor_allow_remote true if the data's "
            "use agreement allows it (MIMIC-CXR's, for one, does not allow sharing it)."
        )
    print(f"note: the LLM editor sends each answer and its reference answer to {host}")
    endpoint = url.rstrip("/")
    return endpoint if endpoint.endswith("/chat/completions") else endpoint + "/v1/chat/completions"


def _ask(endpoint: str, body: bytes, headers: dict, timeout: float, tries: int, backoff: float):
    """The reply text of one chat completion, trying again on any failure."""
    import time
    import urllib.request

    for attempt in range(tries):
        try:
            request = urllib.request.Request(endpoint, body, headers)
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return json.load(reply)["choices"][0]["message"]["content"].strip()
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
            error = e
        if attempt + 1 < tries:
            time.sleep(backoff * 2**attempt)
    raise EditorError(
        f"{endpoint}: no usable reply after {tries} tries ({type(error).__name__}: {error})"
    )


# -------------------------------------------------------------------------------------------------
# The demo world: real anatomy from the DICOM files inside pydicom, synthetic lesions whose box,
# side and size are known exactly, SLAKE-style questions with short sentence answers. A fair small
# testbed for the method: the tiny model warms up on fresh images drawn with a prior (faint lesions
# lie on the left); pairs, validation and test images are drawn without it, so the base model
# sees clear lesions yet follows the prior where the evidence is faint.

# (file in pydicom's test data, modality as answered, organ as answered)
DEMO_BACKGROUNDS = [
    ("CT_small.dcm", "CT", "spine"),
    ("693_J2KI.dcm", "CT", "brain"),
    ("examples_overlay.dcm", "MRI", "liver"),
    ("examples_rgb_color.dcm", "ultrasound", "lymph node"),
]
DEMO_SIZE = 112  # px
DEMO_WORLD = dict(  # how images are drawn; the warm-up's prior changes faint_left_share
    lesion_share=0.5,  # images with one lesion
    left_share=0.5,  # clear lesions on the patient's left
    faint_left_share=0.5,  # faint lesions on the patient's left
    faint_share=0.35,  # lesions drawn faint
    radius={"small": (10, 14), "large": (22, 30)},  # px
    contrast=(130, 170),  # added at the lesion's centre, 0..255
    faint_contrast=(45, 75),
    background=0.5,  # the anatomy is scaled to half brightness so that lesions stand out
)
DEMO_PRIOR = dict(faint_left_share=0.9)  # the warm-up's prior: faint lesions lie on the left
DEMO_SPLITS = {"train": 400, "val": 200, "test": 300}  # images; pairs are built on train
DEMO_DEFAULTS = dict(  # medpo.Config's auto flags for the tiny model on the demo world
    learning_rate=1e-4,
    lora_r=8,
    lora_alpha=16,
    corruption="black",  # zero-mean noise hides nothing from a model that reads mean brightness
)
DEMO_QUESTIONS = {  # kind: (question, answer type, the possible answers); all about the lesion
    "presence": ("Is there a lesion in this image?", "CLOSED", [
        "Yes, there is a lesion.", "No, there is no lesion."]),
    "normal": ("Is this image normal?", "CLOSED", [
        "Yes, the image is normal.", "No, the image is abnormal."]),
    "side": ("On which side is the lesion?", "OPEN", [
        "The lesion is on the left side.", "The lesion is on the right side."]),
    "size": ("How large is the lesion?", "OPEN", ["The lesion is small.", "The lesion is large."]),
}  # fmt: skip


def dicom_to_image(path: str | Path) -> Image.Image:
    """A DICOM file as an 8-bit greyscale PIL image: modality LUT, VOI window (or 1-99th
    percentile when the file has none), MONOCHROME1 inverted, colour converted to L."""
    import pydicom
    from pydicom.pixels import apply_modality_lut, apply_voi_lut

    ds = pydicom.dcmread(str(path))
    arr = ds.pixel_array
    if arr.ndim == 3 and arr.shape[-1] == 3:
        return Image.fromarray(arr.astype(np.uint8)).convert("L")
    arr = apply_modality_lut(arr, ds).astype(np.float64)
    if "WindowCenter" in ds:
        arr = apply_voi_lut(arr, ds).astype(np.float64)
    lo, hi = np.percentile(arr, [1, 99])
    arr = np.clip((arr - lo) / max(hi - lo, 1e-6), 0, 1) * 255
    if ds.get("PhotometricInterpretation") == "MONOCHROME1":
        arr = 255 - arr
    return Image.fromarray(np.rint(arr).astype(np.uint8))


def demo_backgrounds() -> list[tuple[Image.Image, str, str]]:
    """(anatomy, modality, organ) for each of DEMO_BACKGROUNDS."""
    from pydicom.data import get_testdata_file

    files = [(get_testdata_file(f, download=False), m, o) for f, m, o in DEMO_BACKGROUNDS]
    return [(dicom_to_image(f), modality, organ) for f, modality, organ in files]


def demo_image(backgrounds, rng: np.random.Generator, world: dict) -> tuple[Image.Image, dict]:
    """One demo image, L mode, DEMO_SIZE px, and its truth: a random view of a background and,
    with probability lesion_share, one bright lesion whose side, size and faintness are drawn
    from the world's shares. Side is radiological: the patient's right is on the image's left."""
    background, modality, organ = backgrounds[int(rng.integers(len(backgrounds)))]
    w, h = background.size
    s = int(min(w, h) * rng.uniform(0.7, 1.0))
    x, y = int(rng.integers(0, w - s + 1)), int(rng.integers(0, h - s + 1))
    view = background.crop((x, y, x + s, y + s)).resize((DEMO_SIZE, DEMO_SIZE), Image.BILINEAR)
    scale = world["background"] * rng.uniform(0.85, 1.15)
    pixels = np.asarray(view).astype(np.float64) * scale + rng.uniform(-10, 10)
    truth = {"modality": modality, "organ": organ, "lesion": None}
    if rng.random() < world["lesion_share"]:
        truth["lesion"] = _demo_lesion(pixels, rng, world)
    image = Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8))
    return image, truth


def _demo_lesion(pixels: np.ndarray, rng: np.random.Generator, world: dict) -> dict:
    """Add one lesion to pixels in place; returns its side, size, faintness and box."""
    size = "small" if rng.random() < 0.5 else "large"
    faint = bool(rng.random() < world["faint_share"])
    left_share = world["faint_left_share" if faint else "left_share"]
    side = "left" if rng.random() < left_share else "right"
    radius = rng.uniform(*world["radius"][size])
    centre_x = rng.uniform(0.62, 0.82) if side == "left" else rng.uniform(0.18, 0.38)
    cx, cy = centre_x * DEMO_SIZE, rng.uniform(0.25, 0.75) * DEMO_SIZE
    yy, xx = np.mgrid[0:DEMO_SIZE, 0:DEMO_SIZE]
    distance = np.hypot((xx - cx) / radius, (yy - cy) / (radius * rng.uniform(0.8, 1.2)))
    blob = np.clip(1.0 - distance, 0, 1) ** 0.5
    pixels += blob * rng.uniform(*world["faint_contrast" if faint else "contrast"])
    ys, xs = np.nonzero(blob > 0)
    box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
    return {"side": side, "size": size, "faint": faint, "box": box}


def demo_answer(kind: str, truth: dict) -> str:
    """The reference answer to a question of this kind about an image with this truth."""
    choices, lesion = DEMO_QUESTIONS[kind][2], truth["lesion"]
    if kind == "presence":
        return choices[0 if lesion else 1]
    if kind == "normal":
        return choices[1 if lesion else 0]
    return choices[0 if lesion[kind] in ("left", "small") else 1]  # side, size


def demo_kinds(truth: dict) -> list[str]:
    """The questions that can be asked about an image: side and size only where a lesion is."""
    return list(DEMO_QUESTIONS) if truth["lesion"] else ["presence", "normal"]


def demo_rows(truth: dict, image: str, split: str, index: int) -> list[dict]:
    """The sample rows of one demo image: every question that can be asked about it."""
    rows, lesion = [], truth["lesion"]
    for kind in demo_kinds(truth):
        question, answer_type, choices = DEMO_QUESTIONS[kind]
        meta = {"dataset": "demo", "split": split, "kind": kind, "answer_type": answer_type}
        meta |= {"choices": choices, "modality": truth["modality"], "organ": truth["organ"]}
        if lesion:
            meta |= {k: lesion[k] for k in ("side", "size", "faint")}
        boxes = {"boxes": [lesion["box"]], "mask": None, "labels": ["lesion"]} if lesion else None
        id_ = f"demo:{split}:{index:04d}:{kind}"
        rows.append(_sample(id_, image, question, demo_answer(kind, truth), meta, boxes))
    return rows


def make_demo(out: str | Path, seed: int = 0) -> dict:
    """Write the demo world's splits (DEMO_SPLITS) to DIR/<split>.jsonl with their images in
    DIR/images/; the same seed gives the same files byte for byte. Returns {split: path}."""
    out = Path(out)
    backgrounds, paths = demo_backgrounds(), {}
    for k, (split, n) in enumerate(DEMO_SPLITS.items()):
        rng = np.random.default_rng([seed, k])  # one stream per split
        rows = []
        for i in range(n):
            image, truth = demo_image(backgrounds, rng, DEMO_WORLD)
            name = f"images/{split}_{i:04d}.png"
            _save_png(image, out / name)
            rows += demo_rows(truth, name, split, i)
        paths[split] = out / f"{split}.jsonl"
        write_jsonl(paths[split], rows)
    return paths


# -------------------------------------------------------------------------------------------------
# Reading the project's JSONL: every problem is reported as file:line: field, what was expected,
# before any model is loaded. Images are decoded in full here, so a truncated file stops the run
# at the door, not at step 300.


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
        row = _json_object(raw, path, n)
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


def _json_object(raw: bytes, path: Path, n: int) -> dict:
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
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_lesion(lesion, size: tuple[int, int], path: Path, n: int) -> None:
    if not isinstance(lesion, dict):
        raise _bad(path, n, "lesion", "null or an object with 'boxes' and/or 'mask'")
    boxes = lesion.get("boxes") or []
    if not isinstance(boxes, list):
        raise _bad(path, n, "lesion.boxes", f"a list of [x0, y0, x1, y1] boxes, got {boxes!r}")
    for b in boxes:
        four = isinstance(b, list) and len(b) == 4 and all(_finite(x) for x in b)
        if not (four and b[2] > b[0] and b[3] > b[1]):
            expected = f"[x0, y0, x1, y1] finite pixel corners, x1 > x0, y1 > y0, got {b!r}"
            raise _bad(path, n, "lesion.boxes", expected)
        if b[2] <= 0 or b[3] <= 0 or b[0] >= size[0] or b[1] >= size[1]:
            expected = f"a box inside the {size[0]}x{size[1]} image, got {b!r}"
            raise _bad(path, n, "lesion.boxes", expected)
    if lesion.get("mask"):
        if not isinstance(lesion["mask"], str):
            raise _bad(path, n, "lesion.mask", f"a path to a mask image, got {lesion['mask']!r}")
        lesion["mask"] = str(_resolve(lesion["mask"], path))
        check_image(lesion["mask"], path, n, "lesion.mask", size)
        with Image.open(lesion["mask"]) as m:
            if not np.asarray(m.convert("L")).any():
                raise _bad(path, n, "lesion.mask", "a mask with lesion pixels (it is all zero)")


def resolve_data(data: str, eval_data: str, cache_dir: str) -> tuple[list[dict], list[dict]]:
    """(train rows, eval rows), validated. data 'demo': the demo world, built in the cache once;
    its test split is the default eval data."""
    train, evaluation = data, eval_data
    if data == "demo":
        demo = ensure_demo(Path(cache_dir).expanduser())
        train, evaluation = demo / "train.jsonl", eval_data or demo / "test.jsonl"
    return read_samples(train), (read_samples(evaluation) if evaluation else [])


def demo_version(*parts) -> str:
    """A short digest of the demo world's settings (and parts): a cache folder name that changes
    whenever they do, so an old cache is never read as the new world."""
    import hashlib

    settings = [DEMO_BACKGROUNDS, DEMO_SIZE, DEMO_WORLD, DEMO_PRIOR, DEMO_SPLITS, DEMO_QUESTIONS]
    text = json.dumps(settings + list(parts), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def ensure_demo(cache: Path) -> Path:
    """The demo world under cache/demo-<version>, built once (into a temporary folder, then
    renamed)."""
    out = cache / f"demo-{demo_version()}"
    if not (out / "test.jsonl").exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".demo."))
        make_demo(tmp)
        if not out.exists():
            os.replace(tmp, out)
    return out


# -------------------------------------------------------------------------------------------------
# Tiny offline VLMs: the real architectures at toy size, with a BPE tokenizer trained on the demo
# corpus, saved with save_pretrained so that the real from_pretrained path reads them back.


def _template(start: str, turn: str, end: str, image: str, assistant: str, user="user") -> str:
    """A chat template: start, then for each message turn (with {role}) + content + end; an
    image is written as `image`."""
    role = "{{ '%s' if m['role'] == 'assistant' else '%s' }}" % (assistant, user)
    content = (
        "{% if m['content'] is string %}{{ m['content'] }}{% else %}"
        "{% for c in m['content'] %}{% if c['type'] == 'image' %}" + image + "{% else %}"
        "{{ c['text'] }}{% endif %}{% endfor %}{% endif %}"
    )
    messages = (
        "{% for m in messages %}" + turn.replace("{role}", role) + content + end + "{% endfor %}"
    )
    generation = (
        "{% if add_generation_prompt %}" + turn.replace("{role}", assistant) + "{% endif %}"
    )
    return start + messages + generation


def train_tokenizer(corpus: list[str], specials: list[str], named: dict, vocab_size=512, **kw):
    """A byte-level BPE over the corpus, wrapped as a fast tokenizer (offsets work). named: the
    special tokens that get attributes (image_token, ...), which survive save and reload."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=specials, initial_alphabet=alphabet
    )
    tokenizer.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, extra_special_tokens=named, **kw)


def _ids(tokenizer) -> dict:
    """The token ids every text config needs."""
    return dict(
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id,
    )


def _tiny_qwen(corpus, text: dict, two_five: bool, vocab_size: int, image_px: int):
    from transformers import (
        Qwen2_5_VLConfig, Qwen2_5_VLProcessor, Qwen2VLConfig, Qwen2VLImageProcessor,
        Qwen2VLProcessor,
    )  # fmt: skip
    from transformers.models.qwen2_vl.video_processing_qwen2_vl import Qwen2VLVideoProcessor

    image, video, start, end = (
        "<|image_pad|>",
        "<|video_pad|>",
        "<|vision_start|>",
        "<|vision_end|>",
    )
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", start, end, image, video]
    tok = train_tokenizer(
        corpus, specials, {"image_token": image, "video_token": video},
        eos_token="<|im_end|>", pad_token="<|endoftext|>",
    )  # fmt: skip
    head_dim = text["hidden_size"] // 4
    rope = {"rope_type": "default", "rope_theta": 10000.0}
    rope["mrope_section"] = [head_dim // 8, 3 * head_dim // 16, 3 * head_dim // 16]
    text = text | _ids(tok) | dict(vocab_size=max(vocab_size, len(tok)), bos_token_id=None)
    vision = dict(
        depth=2, hidden_size=64, intermediate_size=128, num_heads=4, patch_size=14,
        spatial_merge_size=2, temporal_patch_size=2,
    )  # fmt: skip
    if two_five:
        vision |= dict(
            out_hidden_size=text["hidden_size"], fullatt_block_indexes=[1], window_size=112
        )
    else:
        vision |= dict(embed_dim=64, mlp_ratio=2, hidden_size=text["hidden_size"])
    config_class = Qwen2_5_VLConfig if two_five else Qwen2VLConfig
    config = config_class(
        text_config=text | dict(rope_parameters=rope),
        vision_config=vision,
        image_token_id=tok.convert_tokens_to_ids(image),
        video_token_id=tok.convert_tokens_to_ids(video),
        vision_start_token_id=tok.convert_tokens_to_ids(start),
        vision_end_token_id=tok.convert_tokens_to_ids(end),
    )
    processor_class = Qwen2_5_VLProcessor if two_five else Qwen2VLProcessor
    template = _template(
        "", "<|im_start|>{role}\n", "<|im_end|>\n", start + image + end, "assistant"
    )
    processor = processor_class(
        image_processor=Qwen2VLImageProcessor(min_pixels=56 * 56, max_pixels=image_px**2),
        tokenizer=tok,
        video_processor=Qwen2VLVideoProcessor(),
        chat_template=template,
    )
    return config, processor, tok


def _tiny_gemma3(corpus, text: dict):
    from transformers import Gemma3Config, Gemma3ImageProcessor, Gemma3Processor

    boi, eoi, image = "<start_of_image>", "<end_of_image>", "<image_soft_token>"
    specials = ["<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>", boi, eoi, image]
    named = {"boi_token": boi, "eoi_token": eoi, "image_token": image}
    tok = train_tokenizer(
        corpus, specials, named, bos_token="<bos>", eos_token="<end_of_turn>", pad_token="<pad>"
    )
    text = text | _ids(tok) | dict(head_dim=16, query_pre_attn_scalar=16, sliding_window=64)
    text["layer_types"] = ["sliding_attention", "full_attention"]
    vision = dict(
        hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
        image_size=64, patch_size=8,
    )  # fmt: skip
    config = Gemma3Config(
        text_config=text,
        vision_config=vision,
        mm_tokens_per_image=16,
        boi_token_index=tok.convert_tokens_to_ids(boi),
        eoi_token_index=tok.convert_tokens_to_ids(eoi),
        image_token_index=tok.convert_tokens_to_ids(image),
    )
    template = _template(
        "{{ bos_token }}", "<start_of_turn>{role}\n", "<end_of_turn>\n", boi, "model"
    )
    processor = Gemma3Processor(
        image_processor=Gemma3ImageProcessor(size={"height": 64, "width": 64}),
        tokenizer=tok,
        image_seq_length=16,
        chat_template=template,
    )
    return config, processor, tok


def _tiny_llava(corpus, text: dict, image_px: int, vision_hidden: int):
    """LLaVA: a CLIP vision tower (absolute position embeddings: it can tell left from right),
    patches of image_px / 7 px, all of its layers' output fed to the language model."""
    from transformers import CLIPImageProcessor, LlavaConfig, LlavaProcessor

    tok = train_tokenizer(
        corpus, ["<unk>", "<s>", "</s>", "<pad>", "<image>"], {"image_token": "<image>"},
        bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
    )  # fmt: skip
    patch = image_px // 7
    vision = dict(
        model_type="clip_vision_model", hidden_size=vision_hidden,
        intermediate_size=2 * vision_hidden, num_hidden_layers=2, num_attention_heads=4,
        image_size=image_px, patch_size=patch,
    )  # fmt: skip
    config = LlavaConfig(
        vision_config=vision,
        text_config=text | _ids(tok) | dict(model_type="llama"),
        image_token_id=tok.convert_tokens_to_ids("<image>"),
        vision_feature_layer=-1,
    )
    image_processor = CLIPImageProcessor(
        size={"shortest_edge": image_px}, crop_size={"height": image_px, "width": image_px}
    )
    processor = LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=patch,
        num_additional_image_tokens=1,
        vision_feature_select_strategy="default",
        chat_template=_template("", "{role}: ", "</s>\n", "<image>\n", "ASSISTANT", "USER"),
    )
    return config, processor, tok


def _tiny_idefics3(corpus, text: dict):
    from transformers import Idefics3Config, Idefics3ImageProcessor, Idefics3Processor

    specials = ["<|endoftext|>", "<|im_start|>", "<end_of_utterance>", "<fake_token_around_image>"]
    tok = train_tokenizer(
        corpus, specials + ["<image>", "<global-img>"], {"image_token": "<image>"},
        bos_token="<|im_start|>", eos_token="<end_of_utterance>", pad_token="<|endoftext|>",
    )  # fmt: skip
    vision = dict(
        hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
        image_size=64, patch_size=8,
    )  # fmt: skip
    config = Idefics3Config(
        vision_config=vision,
        text_config=text | _ids(tok) | dict(model_type="llama"),
        scale_factor=2,
        image_token_id=tok.convert_tokens_to_ids("<image>"),
    )
    image_processor = Idefics3ImageProcessor(
        do_image_splitting=False, size={"longest_edge": 64}, max_image_size={"longest_edge": 64}
    )
    template = _template(
        "<|im_start|>", "{role}:", "<end_of_utterance>\n", "<image>", "Assistant", "User"
    )
    processor = Idefics3Processor(
        image_processor=image_processor, tokenizer=tok, image_seq_len=16, chat_template=template
    )
    return config, processor, tok


TINY_ARCHS = ("qwen2.5-vl", "qwen2-vl", "gemma3", "llava", "idefics3")


def build_tiny_vlm(
    arch: str, out: str | Path, corpus: list[str], seed=0, hidden=64, layers=2, vocab_size=0,
    image_px=112, vision_hidden=64,
) -> Path:  # fmt: skip
    """Save a randomly initialised tiny `arch` VLM and its processor to `out`: real transformers
    classes at toy size, a BPE tokenizer trained on `corpus`. hidden and layers size the text
    part; vocab_size above the tokenizer's widens the LM head (Qwen, for benchmarks); image_px
    is the largest image side the processor keeps (Qwen) or the image size (LLaVA), whose vision
    tower is vision_hidden wide."""
    from transformers import AutoModelForImageTextToText

    torch.manual_seed(seed)
    text = dict(
        hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=layers,
        num_attention_heads=4, num_key_value_heads=2,
    )  # fmt: skip
    if arch in ("qwen2-vl", "qwen2.5-vl"):
        config, processor, tok = _tiny_qwen(
            corpus, text, arch == "qwen2.5-vl", vocab_size, image_px
        )
    elif arch == "gemma3":  # MedGemma's architecture
        config, processor, tok = _tiny_gemma3(corpus, text)
    elif arch == "llava":
        config, processor, tok = _tiny_llava(corpus, text, image_px, vision_hidden)
    elif arch == "idefics3":  # SmolVLM's architecture
        config, processor, tok = _tiny_idefics3(corpus, text)
    else:
        raise ValueError(f"unknown tiny architecture {arch!r}: expected one of {TINY_ARCHS}")
    model = AutoModelForImageTextToText.from_config(config)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    out = Path(out)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


DEMO_WARM_UP = dict(  # the tiny demo model's supervised warm-up: about 3 CPU-minutes
    steps=2400,
    batch=16,
    learning_rate=1e-3,  # cosine, 3% linear warm-up
    kinds={"presence": 1, "normal": 1, "side": 1.5, "size": 1.5},
)


def warm_up(model_dir: Path, seed: int = 0, steps=2400, batch=16, learning_rate=1e-3, kinds=None):
    """Supervised fine-tuning on fresh demo images, drawn with the warm-up's prior (DEMO_PRIOR),
    one question each (kind drawn with the `kinds` weights), loss on the answer tokens only.
    No image is used twice, and none is in a split: they come from a stream of their own."""
    from transformers import AutoModelForImageTextToText, AutoProcessor
    from transformers import get_cosine_schedule_with_warmup

    torch.manual_seed(seed)
    model = AutoModelForImageTextToText.from_pretrained(model_dir)
    processor = AutoProcessor.from_pretrained(model_dir)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    scheduler = get_cosine_schedule_with_warmup(optimizer, int(0.03 * steps), steps)
    backgrounds, world = demo_backgrounds(), DEMO_WORLD | DEMO_PRIOR
    rng = np.random.default_rng([seed, len(DEMO_SPLITS)])  # not a split's stream
    weights = kinds or {k: 1.0 for k in DEMO_QUESTIONS}
    for _ in range(steps):
        examples = []
        for _ in range(batch):
            image, truth = demo_image(backgrounds, rng, world)
            kinds_here = demo_kinds(truth)
            p = np.array([weights[k] for k in kinds_here], dtype=float)
            kind = kinds_here[int(rng.choice(len(kinds_here), p=p / p.sum()))]
            examples.append(
                (image.convert("RGB"), DEMO_QUESTIONS[kind][0], demo_answer(kind, truth))
            )
        inputs, labels = _supervised_batch(processor, examples)
        model(**inputs, labels=labels).loss.backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    model.save_pretrained(model_dir)


def _supervised_batch(processor, examples: list[tuple]) -> tuple[dict, torch.Tensor]:
    """(image, question, answer) examples as model inputs, with labels on the answer tokens and
    the end of turn only (-100 elsewhere)."""
    tokenizer = processor.tokenizer
    prompts = [_chat_prompt(processor, question) for _, question, _ in examples]
    answers = [answer + tokenizer.eos_token for _, _, answer in examples]
    inputs = processor(
        text=[p + a for p, a in zip(prompts, answers, strict=True)],
        images=[[image] for image, _, _ in examples],
        padding=True,
        return_tensors="pt",
    )
    labels = torch.full_like(inputs["input_ids"], -100)
    for i, answer in enumerate(answers):
        n = len(tokenizer(answer, add_special_tokens=False)["input_ids"])
        end = int(inputs["attention_mask"][i].sum())
        labels[i, end - n : end] = inputs["input_ids"][i, end - n : end]
    return inputs, labels


def _chat_prompt(processor, question: str) -> str:
    content = [{"type": "image"}, {"type": "text", "text": question}]
    messages = [{"role": "user", "content": content}]
    return processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def demo_corpus() -> list[str]:
    """The text the tiny models' tokenizers are trained on: the demo's questions and answers,
    and every term of the rule editor's lexicon (planted errors then tokenize like answers)."""
    questions = [q for q, _, _ in DEMO_QUESTIONS.values()]
    answers = [c for _, _, choices in DEMO_QUESTIONS.values() for c in choices]
    return (questions + answers) * 20 + lexicon_words()


def tiny_model(cache: Path) -> Path:
    """The demo's tiny model under cache/tiny-llava-<version>: a LLaVA with a 128-wide, 2-layer
    language model and a 128-wide, 2-layer CLIP vision tower on 112 px images (49 image tokens),
    warmed up (DEMO_WARM_UP); built once, into a temporary folder, then renamed."""
    out = cache / f"tiny-llava-{demo_version(DEMO_WARM_UP)}"
    if not (out / "config.json").exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".tiny-llava."))
        build_tiny_vlm("llava", tmp, demo_corpus(), hidden=128, vision_hidden=128)
        warm_up(tmp, **DEMO_WARM_UP)
        if not out.exists():
            os.replace(tmp, out)
    return out


def model_source(name: str, cache_dir: str) -> tuple[str, bool]:
    """(folder or hub id, whether to stay off the network) for --model_name_or_path name. 'tiny'
    is built in the cache. A path that is not a folder and not a hub id (org/name) is refused at
    once; so is a hub id when the hub cannot be reached (HF_HUB_OFFLINE, or no answer in 3 s)
    and the id is not cached."""
    import socket

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
# Real datasets, from their published layouts to the project's sample JSONL. Facts marked
# [inferred] were not confirmed from an official loader: the code says so where it relies on
# them, and accepts both readings where two are in use.

REPORT_PROMPT = "Write the findings and impression of the radiology report for this image."


class Report:
    """Rows read, written, and skipped by reason (with the first place each reason occurred)."""

    def __init__(self, name: str):
        self.name, self.read, self.written = name, 0, 0
        self.skipped, self.first = Counter(), {}

    def skip(self, where: str, why: str) -> None:
        self.skipped[why] += 1
        self.first.setdefault(why, where)

    def __str__(self) -> str:
        n_skipped = sum(self.skipped.values())
        lines = [f"{self.name}: {self.read} rows read, {self.written} written, {n_skipped} skipped"]
        for why, n in self.skipped.items():
            lines.append(f"  skipped {n}: {why} (first at {self.first[why]})")
        return "\n".join(lines)


def _sample(id_: str, image, question: str, answer: str, meta: dict, lesion=None, task="vqa"):
    """A row of the project's sample JSONL."""
    return {
        "id": id_, "image": str(image), "question": question, "answer": answer, "task": task,
        "lesion": lesion, "meta": meta,
    }  # fmt: skip


def _answer_type(answer: str) -> str:
    return "CLOSED" if answer.lower() in ("yes", "no") else "OPEN"


class _Field(ValueError):
    """A malformed field of one record: the row is skipped and the report names the field."""

    def __init__(self, field: str, expected: str):
        super().__init__(f"field '{field}': expected {expected}")


def _each(where: str, records, make):
    """(place, row or the reason it was skipped) for each record (place: where[i]). make(record,
    i) gives a row, a list of rows or a reason; a record with a missing or malformed field is
    skipped, saying which."""
    for i, record in enumerate(records):
        place = f"{where}[{i}]"
        try:
            if not isinstance(record, dict):
                raise _Field("record", f"an object, got {type(record).__name__}")
            made = make(record, i)
        except _Field as e:
            made = str(e)
        except KeyError as e:
            made = f"field {e.args[0]!r}: expected a value (missing)"
        for row in made if isinstance(made, list) else [made]:
            yield place, row


def _number(record: dict, key: str) -> float:
    try:
        value = float(record[key])
    except (TypeError, ValueError):
        raise _Field(key, f"a number, got {record[key]!r}") from None
    if not math.isfinite(value):
        raise _Field(key, f"a finite number, got {record[key]!r}")
    return value


def _text(record: dict, key: str) -> str:
    value = record[key]
    if (
        not isinstance(value, (str, int, float))
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        raise _Field(key, f"a non-empty text, got {value!r}")
    return str(value).strip()


def _safe(name) -> str:
    """A file name made from an id in the data: letters, digits, '.', '-', '_' only, so that no
    id ('../../x') can write outside the output folder."""
    return re.sub(r"[^\w.-]", "_", str(name)).lstrip(".") or "_"


def _first(root: Path, names: list[str], what: str) -> Path:
    for n in names:
        if (root / n).exists():
            return root / n
    raise InputError(
        f"{root}: expected {what} at one of: {', '.join(names)} "
        "(is --root the dataset's top folder?)"
    )


def _load_json(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{path}:{e.lineno}: not valid JSON ({e.msg} at column {e.colno})"
        ) from None


def _csv_rows(path: Path) -> list[dict]:
    import csv
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as f:
        return list(csv.DictReader(f))


class _PlainUnpickler(pickle.Unpickler):
    """Loads pickles of plain lists/dicts/strings only: any class or function is refused, so a
    tampered file cannot run code."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data; refusing to load it")


def _side(box, width: int) -> str:
    """Radiological convention: the patient's right is on the image's left."""
    return "right" if (box[0] + box[2]) / 2 < width / 2 else "left"


def _save_png(image: Image.Image, dst: Path) -> None:
    write_atomic(dst, lambda tmp: image.save(tmp, format="PNG"))


def _dicom_png(src: Path, dst: Path, max_size: int) -> float:
    """Write a DICOM (MONOCHROME1 inverted, VOI window) as an 8-bit PNG of at most max_size px;
    returns the scale applied."""
    img = dicom_to_image(src)
    scale = min(1.0, max_size / max(img.size))
    if scale < 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.BILINEAR)
    if not dst.exists():
        _save_png(img, dst)
    return scale


def _iou(a, b) -> float:
    inter_w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    inter_h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = inter_w * inter_h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _merge_boxes(boxes: list[list[float]], iou: float = 0.4) -> list[list[float]]:
    """Boxes of several readers for one finding: greedily cluster those overlapping by IoU >= iou
    and average each cluster's corners (one box per distinct region)."""
    clusters = []
    for b in boxes:
        for c in clusters:
            if _iou(np.mean(c, 0), b) >= iou:
                c.append(b)
                break
        else:
            clusters.append([b])
    return [[round(float(v), 1) for v in np.mean(c, 0)] for c in clusters]


def _slake_masks(root: Path) -> dict[str, int]:
    """mask.txt: 'value:Name' per line -> {name in lower case: pixel value}."""
    values = {}
    if (root / "mask.txt").exists():
        for line in (root / "mask.txt").read_text().splitlines():
            if ":" in line:
                value, name = line.strip().split(":", 1)
                values[name.strip().lower()] = int(value)
    return values


def _slake_boxes(folder: Path, text: str) -> list[tuple[str, list]]:
    """detection.json boxes ([{"Name": [x, y, w, h]}, ...]; x, y, w, h [inferred]) of the organs
    or lesions the question or answer names; all of them when none is named. A longer name
    wins: 'liver cancer' named drops the plain 'liver' box."""
    if not (folder / "detection.json").exists():
        return []
    found = [
        (name, [x, y, x + w, y + h])
        for d in _load_json(folder / "detection.json")
        for name, (x, y, w, h) in d.items()
    ]
    named = [d for d in found if d[0].lower() in text]
    longest = [
        d for d in named if not any(d[0].lower() in o[0].lower() != d[0].lower() for o in named)
    ]
    return longest or found


def _slake_mask(folder: Path, text: str, values: dict, out: Path) -> Path | None:
    """The mask.png label of the longest organ/lesion name in text, written as a binary PNG."""
    if not (folder / "mask.png").exists():
        return None
    for name in sorted(values, key=len, reverse=True):  # 'liver cancer' before 'liver'
        if name in text:
            m = np.asarray(Image.open(folder / "mask.png").convert("L")) == values[name]
            if m.any():
                mask = out / "masks" / f"{folder.name}_{values[name]}.png"
                if not mask.exists():
                    _save_png(Image.fromarray(m.astype(np.uint8) * 255), mask)
                return mask
    return None


def slake(root: Path, split: str, out: Path, lang: str = "en"):
    names = {"train": ["train.json"], "test": ["test.json"]}
    names["validate"] = names["validation"] = ["validate.json", "validation.json"]
    f = _first(root, names[split], f"SLAKE's {split} split file")
    imgs = _first(root, ["imgs"], "SLAKE's imgs/ folder (unzip imgs.zip there)")
    mask_values = _slake_masks(root)

    def row(r, i):
        if lang != "all" and r.get("q_lang") != lang:
            return f"q_lang is not {lang}"
        question, answer, name = _text(r, "question"), _text(r, "answer"), _text(r, "img_name")
        folder = imgs / Path(name).parent
        text = f"{question} {answer}".lower()
        named = _slake_boxes(folder, text)
        mask = _slake_mask(folder, text, mask_values, out)
        lesion = None
        if named or mask:
            lesion = {"boxes": [b for _, b in named], "mask": mask and str(mask)}
            lesion["labels"] = [n for n, _ in named]
        meta = {"dataset": "slake", "split": split}
        meta |= {k: r.get(k) for k in ("modality", "location", "answer_type", "content_type")}
        return _sample(f"slake:{_text(r, 'qid')}", imgs / name, question, answer, meta, lesion)

    yield from _each(f"{f}:", _load_json(f), row)


def vqa_rad(root: Path, split: str, out: Path):
    names = ["VQA_RAD Dataset Public.json", "VQA_RAD_Dataset_Public.json"]
    f = _first(root, names, "VQA-RAD's public JSON")
    folders = ["VQA_RAD Image Folder", "VQA_RAD_Image_Folder", "images"]
    imgs = _first(root, folders, "VQA-RAD's image folder")
    phrases = {"train": ("freeform", "para"), "test": ("test_freeform", "test_para")}[split]

    def row(r, i):
        if r.get("phrase_type") not in phrases:
            return []  # the other split
        meta = {"dataset": "vqa-rad", "split": split, "answer_type": r.get("answer_type")}
        meta |= {"organ": r.get("image_organ"), "question_type": r.get("question_type")}
        question, answer, image = _text(r, "question"), _text(r, "answer"), _text(r, "image_name")
        return _sample(f"vqa-rad:{r.get('qid', i)}", imgs / image, question, answer, meta)

    yield from _each(f"{f}:", _load_json(f), row)


def path_vqa(root: Path, split: str, out: Path):
    split = {"validate": "val", "validation": "val"}.get(split, split)
    pickles = [root / sub / "qas" / split / f"{split}_qa.pkl" for sub in ("", "pvqa")]
    pkl = next((p for p in pickles if p.exists()), None)
    if pkl:
        yield from _path_vqa_pickle(pkl, split)
    else:
        yield from _path_vqa_parquet(root, split, out)


def _path_vqa_pickle(pkl: Path, split: str):
    """A list of {'image', 'question', 'answer'}, or LXMERT-style {'img_id', 'sent', 'label':
    {answer: score}}; loaded with an unpickler that refuses anything but plain data."""
    imgs = pkl.parents[2] / "images" / split
    with open(pkl, "rb") as f:
        records = _PlainUnpickler(f).load()

    def row(r, i):
        image, question = r.get("image", r.get("img_id")), r.get("question", r.get("sent"))
        answer = r.get("answer")
        if answer is None and isinstance(r.get("label"), dict) and r["label"]:
            answer = max(r["label"], key=r["label"].get)
        if image is None or question is None or answer is None:
            return "missing image/question/answer"
        meta = {"dataset": "path-vqa", "split": split, "answer_type": _answer_type(str(answer))}
        image = imgs / f"{_safe(image)}.jpg"
        return _sample(f"path-vqa:{split}:{i}", image, str(question), str(answer), meta)

    yield from _each(f"{pkl}:", records, row)


def _path_vqa_parquet(root: Path, split: str, out: Path):
    import io

    import pyarrow.parquet as pq

    names = {"val": ("val", "validation")}.get(split, (split,))
    globs = [pattern.format(n) for n in names for pattern in ("{}-*.parquet", "*/{}-*.parquet")]
    files = sorted(p for g in globs for p in root.glob(g))
    if not files:
        raise InputError(
            f"{root}: expected PathVQA as qas/{split}/{split}_qa.pkl (+ images/{split}/) or as "
            f"{split}-*.parquet (optionally under data/)"
        )
    for f in files:

        def row(r, i, f=f):
            data = (r.get("image") or {}).get("bytes") if isinstance(r.get("image"), dict) else None
            if not data:
                return "no image bytes"
            try:
                suffix = (Image.open(io.BytesIO(data)).format or "png").lower()
            except OSError:
                return "image unreadable (not an image)"
            dst = out / "images" / "path-vqa" / f"{_safe(f.stem)}_{i}.{suffix}"
            if not dst.exists():
                write_atomic(dst, lambda t: Path(t).write_bytes(data))
            answer = _text(r, "answer")
            meta = {"dataset": "path-vqa", "split": split, "answer_type": _answer_type(answer)}
            return _sample(f"path-vqa:{f.stem}:{i}", dst, _text(r, "question"), answer, meta)

        yield from _each(f"{f}:", pq.read_table(f).to_pylist(), row)


def iu_xray(root: Path, split: str, out: Path, views: str = "first"):
    f = _first(root, ["annotation.json"], "R2Gen's annotation.json")
    imgs = _first(root, ["images"], "R2Gen's images/ folder")
    data = _load_json(f).get({"validate": "val", "validation": "val"}.get(split, split))
    if data is None:
        raise InputError(f"{f}: has no '{split}' key (expected train, val, test)")

    def rows(r, i):
        paths, report = r["image_path"], _text(r, "report")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise _Field("image_path", f"a list of image paths, got {paths!r}")
        made = []
        for v, p in enumerate(paths[: 1 if views == "first" else None]):
            id_ = f"iu-xray:{_text(r, 'id')}" + (f":{v}" if views == "both" else "")
            meta = {"dataset": "iu-xray", "split": split, "view": v}
            made.append(_sample(id_, imgs / p, REPORT_PROMPT, report, meta, task="report"))
        return made

    yield from _each(f"{f}:{split}", data, rows)


def _report_sections(text: str) -> str:
    """'Findings: ... Impression: ...' from a MIMIC-CXR free-text report (SECTION: headers)."""
    parts = {}
    pattern = r"(FINDINGS|IMPRESSION):(.*?)(?=\n\s*[A-Z][A-Z /]+:|\Z)"
    for m in re.finditer(pattern, text, re.S):
        parts[m.group(1).capitalize()] = " ".join(m.group(2).split())
    return " ".join(f"{k}: {v}" for k, v in parts.items() if v)


def _mimic_reports(root: Path, reports: str):
    """study -> report text: from MIT-LCP's sectioned CSV (study, impression, findings), or a
    function reading files/pXX/pSUBJ/sSTUDY.txt under the reports folder (default: root)."""
    if reports.endswith(".csv"):
        sectioned = {}
        for r in _csv_rows(Path(reports)):
            parts = [(k.capitalize(), r.get(k, "").strip()) for k in ("findings", "impression")]
            sectioned[r["study"]] = " ".join(f"{k}: {text}" for k, text in parts if text)
        return lambda rel, study: sectioned.get(f"s{study}")
    folder = Path(reports) if reports else root

    def read(rel: Path, study: str):
        txt = folder / rel.parent / f"s{study}.txt"
        return _report_sections(txt.read_text()) if txt.exists() else None

    return read


def mimic_cxr(root: Path, split: str, out: Path, views: str = "PA,AP", reports: str = ""):
    split = {"val": "validate", "validation": "validate"}.get(split, split)  # MIMIC: 'validate'
    names = ["mimic-cxr-2.0.0-split.csv.gz", "mimic-cxr-2.0.0-split.csv"]
    split_csv = _first(root, names, "the split CSV")
    names = ["mimic-cxr-2.0.0-metadata.csv.gz", "mimic-cxr-2.0.0-metadata.csv"]
    meta = {r.get("dicom_id"): r for r in _csv_rows(_first(root, names, "the metadata CSV"))}
    report_of = _mimic_reports(root, reports)

    def row(r, i):
        if r["split"] != split:
            return []
        dicom, view = _safe(_text(r, "dicom_id")), meta.get(r["dicom_id"], {}).get("ViewPosition")
        if views and view not in views.split(","):
            return f"view {view or 'unknown'} not in {views}"
        subject, study = _safe(_text(r, "subject_id")), _safe(_text(r, "study_id"))
        rel = Path("files") / f"p{subject[:2]}" / f"p{subject}" / f"s{study}"
        report = report_of(rel, study)
        if not report:
            return "no report (or no findings/impression section)"
        info = {"dataset": "mimic-cxr", "split": split, "view": view, "study_id": study}
        image = root / rel / f"{dicom}.jpg"
        return _sample(f"mimic-cxr:{dicom}", image, REPORT_PROMPT, report, info, task="report")

    yield from _csv_each(split_csv, row)


def _csv_each(path: Path, make):
    """_each over a CSV's rows, each placed at its line (the header is line 1)."""
    for where, made in _each(f"{path.name}:", _csv_rows(path), make):
        line = int(where[where.rindex("[") + 1 : -1]) + 2
        yield f"{path.name}:{line}", made


def _box_questions(name, dataset, split, image, findings: dict, width: int, absent="abnormality"):
    """Presence and location questions from box labels. findings: {finding: [boxes]}; {} means
    that `absent` is absent."""
    meta = {"dataset": dataset, "split": split}
    closed, opened = meta | {"answer_type": "CLOSED"}, meta | {"answer_type": "OPEN"}
    if not findings:
        question = f"Is there {'any ' * (absent == 'abnormality')}{absent} in this chest X-ray?"
        yield _sample(f"{name}:absent", image, question, f"No, there is no {absent}.", closed)
    for finding, boxes in findings.items():
        sides = {_side(b, width) for b in boxes}
        where = f"the {sides.pop()} lung" if len(sides) == 1 else "both lungs"
        lesion = {"boxes": boxes, "mask": None, "labels": [finding] * len(boxes)}
        key, f = finding.lower().replace(" ", "_").replace("/", "_"), finding.lower()
        question, answer = f"Is there {f} in this chest X-ray?", f"Yes, there is {f}."
        yield _sample(f"{name}:{key}:presence", image, question, answer, closed, lesion)
        question, answer = f"Where is the {f}?", f"The {f} is in {where}."
        yield _sample(f"{name}:{key}:location", image, question, answer, opened, lesion)


def _hash_split(key: str, split: str, test_share: float = 0.1) -> bool:
    """A fixed split for datasets that publish labels for one split only (by a hash of the id)."""
    import zlib

    return (zlib.crc32(key.encode()) % 1000 < test_share * 1000) == (split == "test")


def _find_image(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    return next((folder / f"{stem}{e}" for e in suffixes if (folder / f"{stem}{e}").exists()), None)


def _boxes_by_image(path: Path, key: str, box) -> dict:
    """image id -> (findings {name: [boxes]}, None, or (why, where) it is skipped). box(row) gives
    (finding, [x0, y0, x1, y1]) or None; a malformed row marks its image as skipped, naming the
    field and the CSV line."""
    images = {}
    for line, r in enumerate(_csv_rows(path), 2):
        where = f"{path}:{line}"
        if not r.get(key):
            images[where] = ({}, (f"field '{key}': expected a value (missing)", where))
            continue
        found, bad = images.setdefault(r[key], ({}, None))
        try:
            made = box(r)
        except _Field as e:
            images[r[key]] = (found, bad or (str(e), where))
            continue
        if made:
            found.setdefault(made[0], []).append(made[1])
    return images


def vindr_cxr(root: Path, split: str, out: Path, max_size: int = 1024):
    """VinDr-CXR: the Kaggle train.csv (x_min, y_min, x_max, y_max corners, 3 readers, whose
    boxes of one finding are merged) or PhysioNet's annotations/annotations_{split}.csv; DICOMs
    under {split}/ (or train/ with a hash split)."""
    f = _first(root, [f"annotations/annotations_{split}.csv", "train.csv"], "VinDr's box CSV")
    kaggle = f.name == "train.csv"

    def box(r):
        if not r.get("x_min") or r.get("class_name") == "No finding":
            return None
        return r.get("class_name"), [_number(r, k) for k in ("x_min", "y_min", "x_max", "y_max")]

    folder = root / ("train" if kaggle else split)
    for image_id, (found, bad) in _boxes_by_image(f, "image_id", box).items():
        if kaggle and not _hash_split(image_id, split):
            continue
        found = {k: _merge_boxes(v) for k, v in found.items()}
        labels = ("vindr-cxr", split, max_size, "abnormality")
        yield from _box_rows(f"{f}:{image_id}", bad, folder, image_id, found, out, labels)


def rsna(root: Path, split: str, out: Path, max_size: int = 1024):
    """RSNA Pneumonia: x, y, width, height with x, y the TOP-LEFT corner (checked: max(x + w) =
    1024); only training labels are public, so train/test is a fixed hash split of patients."""
    f = _first(root, ["stage_2_train_labels.csv", "stage_1_train_labels.csv"], "RSNA's label CSV")
    imgs = _first(root, ["stage_2_train_images", "stage_1_train_images"], "RSNA's DICOM folder")

    def box(r):
        if r.get("Target") != "1" or not r.get("x"):
            return None
        x, y, w, h = (_number(r, k) for k in ("x", "y", "width", "height"))
        return "Pneumonia", [x, y, x + w, y + h]

    for patient, (found, bad) in _boxes_by_image(f, "patientId", box).items():
        if not _hash_split(patient, split):
            continue
        labels = ("rsna", split, max_size, "pneumonia")
        yield from _box_rows(f"{f}:{patient}", bad, imgs, patient, found, out, labels)


def _box_rows(where: str, bad, folder: Path, image_id: str, found: dict, out: Path, labels):
    """The presence and location rows of one image with box labels (a DICOM is written as PNG
    under a name made safe). labels: (dataset, split, max_size, what is absent when no box)."""
    dataset, split, max_size, absent = labels
    if bad:
        yield bad[1], bad[0]
        return
    src = _find_image(folder, _safe(image_id), (".dicom", ".dcm", ".png"))
    if src is None:
        yield where, "image missing"
        return
    dst, scale = src, 1.0
    if src.suffix != ".png":
        dst = out / "images" / dataset / f"{_safe(image_id)}.png"
        scale = _dicom_png(src, dst, max_size)
    found = {k: [[v * scale for v in b] for b in boxes] for k, boxes in found.items()}
    width = Image.open(dst).width
    name = f"{dataset}:{image_id}"
    for row in _box_questions(name, dataset, split, str(dst), found, width, absent):
        yield where, row


CONVERTERS = {
    "slake": slake, "vqa-rad": vqa_rad, "path-vqa": path_vqa, "iu-xray": iu_xray,
    "mimic-cxr": mimic_cxr, "vindr-cxr": vindr_cxr, "rsna": rsna,
}  # fmt: skip


def _image_size(path: str) -> tuple[int, int] | str:
    """The image's size, or why it cannot be used."""
    try:
        with Image.open(path) as im:
            size = im.size
            im.verify()
    except FileNotFoundError:
        return "image missing"
    except Exception as e:  # truncated or not an image: PIL raises many kinds
        return f"image unreadable ({type(e).__name__})"
    return size


def _clip_boxes(boxes: list, size: tuple[int, int]) -> list:
    """Boxes clipped to the image; those left empty are dropped."""
    w, h = size
    clipped = [[max(0, b[0]), max(0, b[1]), min(w, b[2]), min(h, b[3])] for b in boxes]
    return [b for b in clipped if b[2] > b[0] and b[3] > b[1]]


def convert(dataset: str, root: str | Path, out: str | Path, split: str = "train", **kw) -> Report:
    """Convert one split of a dataset to the sample JSONL at `out`. Each image must exist and
    open; boxes are clipped to the image (a box wholly outside skips the row). Written
    atomically, with image and mask paths relative to `out`."""
    root, out = Path(root).expanduser(), Path(out)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (--root must be the dataset's top folder)")
    report, rows = Report(f"{dataset} {split}"), []
    for where, row in CONVERTERS[dataset](root, split, out.parent, **kw):
        report.read += 1
        size = row if isinstance(row, str) else _image_size(row["image"])
        if isinstance(size, str):
            report.skip(where, size)
            continue
        lesion = row.get("lesion")
        if lesion and lesion.get("boxes"):
            lesion["boxes"] = _clip_boxes(lesion["boxes"], size)
            if not lesion["boxes"]:
                report.skip(where, "lesion box outside the image")
                continue
        row["image"] = os.path.relpath(row["image"], out.parent)
        if lesion and lesion.get("mask"):
            lesion["mask"] = os.path.relpath(lesion["mask"], out.parent)
        rows.append(row)
    report.written = len(rows)
    write_jsonl(out, rows)
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    demo = sub.add_parser("demo", help="write the demo world (train.jsonl, test.jsonl, images/)")
    demo.add_argument("--out", required=True, help="output folder")
    demo.add_argument("--seed", type=int, default=0, help="same seed, same files byte for byte")
    tiny = sub.add_parser("tiny", help="build the tiny demo VLM, warmed up on the demo world")
    tiny.add_argument(
        "--out", required=True, help="cache folder (the model goes to OUT/tiny-llava)"
    )
    for name in CONVERTERS:
        _converter_flags(sub.add_parser(name, help=f"convert {name} to the sample JSONL"), name)
    a = ap.parse_args(argv)
    if a.cmd == "demo":
        paths = make_demo(a.out, seed=a.seed)
        counts = {k: len(v.read_text().splitlines()) for k, v in paths.items()}
        print(counts, "samples written to", a.out)
    elif a.cmd == "tiny":
        print("tiny model in", tiny_model(Path(a.out)))
    else:
        kw = {k: v for k, v in vars(a).items() if k not in ("cmd", "root", "out", "split")}
        print(convert(a.cmd, a.root, a.out, a.split, **kw))


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
