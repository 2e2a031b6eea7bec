"""The judge and the rule editor of MedPO's preference pairs: pure text, claim by claim.

An answer is read as claims (claims.py: lexicon terms, clauses, negation and hedge scope, noun
phrases). One judge compares them with the reference's, for pair building and evaluation alike: a
closed question by the answer's polarity about what it asks, an open one by the reference's
concepts (questions.py), a report by its findings (reports.py). The rule editor corrects a wrong
claim as a whole (a yes/no with its linked words, a finding's whole phrase, an attribute on its own
scale, a tube's tip position; corrections.py, edits.py, swaps.py, devices.py) or plants one real
error in a right answer (plants.py); where it cannot tell, or cannot edit safely, it gives None
and says why: a skip, never a wrong pair. Every edit of the rule editor then passes the precision
guards of guards.py or is refused. An LLM's edit is accepted on the same judge
(check_llm_edit). The modules import one way: lexicon, cues <- claims <- conflicts, kinds,
phrases <- devices, edits <- swaps <- reports, questions <- corrections <- plants <- guards <-
clinical; only the standard library and numpy besides.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import numpy as np

import cues
import lexicon as lx
from claims import (
    TOKEN,
    WORD,
    Verdict,
    clause,
    cues_in,
    mentions,
    polarity,
    qualified_denial,
    sentences,
    stem,
    without_lead,
    words,
)
from comparisons import in_units, size_edit
from conflicts import answer_hedged, tells
from corrections import closed_edits, open_step, side_moved
from devices import ONE_CLAIM_WORDS, position_opposed
from edits import APPENDIX, apply_edits
from evidence import without_evidence
from guards import GUARD_REFUSALS, GUARDS, VOCABULARY, Span, guard, named_in
from impressions import summary_named
from looks import looks_follow
from phrases import Edit, opcodes
from plants import question_plants, report_plants
from questions import asked_about, is_report, is_yes_no, judge_closed, judge_open, wanted
from reports import judge_report, report_step

__all__ = [
    "GUARDS",
    "GUARD_REFUSALS",
    "WORD",
    "Verdict",
    "changes_per_sentence",
    "check_llm_edit",
    "check_text",
    "clinical_edit",
    "counterfactual_edit",
    "explain_edit",
    "guard",
    "is_right",
    "judge",
    "lexicon_words",
    "sentences",
    "word_diff",
    "word_edits",
    "words",
]

MAX_WORDS_PER_SENTENCE = 5  # an LLM's edit: words changed in a sentence, at most
RULE_WORDS_PER_SENTENCE = 4  # the rule editor's: a bigger change is a rewrite, skipped
CUT_WORDS_PER_SENTENCE = 6  # a correction that drops the evidence of the old claim, with it


def check_text(name: str, value: object) -> str:
    """value, if it is a non-empty string; else a ValueError that names the field."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {type(value).__name__} {value!r}")
    return value


def word_edits(a: str, b: str) -> tuple[int, int, list[str]]:
    """(word edit distance, the longer text's length in words, the words that differ); each
    punctuation mark counts as a word, a number like 3.5 as one."""
    words_a, words_b = TOKEN.findall(a), TOKEN.findall(b)
    distance, changed = 0, []
    for tag, i1, i2, j1, j2 in opcodes(words_a, words_b):
        if tag != "equal":
            distance += max(i2 - i1, j2 - j1)
            changed += words_a[i1:i2] + words_b[j1:j2]
    return distance, max(len(words_a), len(words_b), 1), changed


def word_diff(a: str, b: str) -> list[tuple[Span | None, Span | None]]:
    """(span in a, span in b) for each region where a word-level diff of a and b does not match;
    None on a side where the region is empty (an insertion, a deletion). Case-sensitive; each
    punctuation mark is a word, a number like 3.5 one."""
    ta, tb = list(TOKEN.finditer(a)), list(TOKEN.finditer(b))
    regions = []
    for tag, i1, i2, j1, j2 in opcodes([t.group() for t in ta], [t.group() for t in tb]):
        if tag != "equal":
            span_a = (ta[i1].start(), ta[i2 - 1].end()) if i2 > i1 else None
            regions.append((span_a, (tb[j1].start(), tb[j2 - 1].end()) if j2 > j1 else None))
    return regions


# The terms the demo's tiny tokenizer is trained on beside the demo's own sentences: the rule
# editor's vocabulary when the demo was built, kept as it was so that the tiny model (and the
# demo's numbers) stay the same; lexicon_words() returns them.
_TOKENIZER_TERMS = (
    "left", "right", "bilateral", "both", "normal", "unremarkable", "abnormal", "CT",
    "computed tomography", "MRI", "MR", "magnetic resonance", "X-ray", "xray", "radiograph",
    "radiography", "ultrasound", "sonography", "axial", "transverse", "coronal", "sagittal",
    "upper", "lower", "anterior", "posterior", "lymph node", "liver", "lung", "lungs", "heart",
    "kidney", "kidneys", "brain", "spleen", "stomach", "bladder", "pancreas", "colon", "bowel",
    "gallbladder", "esophagus", "trachea", "spine", "spinal cord", "bone", "nodule", "mass",
    "effusion", "pneumonia", "cardiomegaly", "atelectasis", "tumor", "tumour", "cyst", "fracture",
    "edema", "oedema", "pneumothorax", "opacity", "consolidation", "calcification", "small",
    "tiny", "large", "big", "medium", "medium-sized", "mild", "slight", "moderate", "severe",
    "marked",
)  # fmt: skip


def lexicon_words() -> list[str]:
    """The terms the demo's tiny tokenizer is trained on (_TOKENIZER_TERMS, kept as they were
    when the demo was built, so that its model stays the same)."""
    return list(_TOKENIZER_TERMS)


_ARTICLES = {"a", "an", "the"}


def changes_per_sentence(response: str, edited: str) -> list[int]:
    """Words changed (punctuation and case excluded) in each sentence of response, by a word
    diff; an article, which only agrees with its words (a chronic -> an acute; a right effusion
    -> bilateral effusions), is no change."""
    tokens = [t for t in TOKEN.finditer(response) if t.group().lower() not in _ARTICLES]
    spans = sentences(response)
    counts = [0] * max(len(spans), 1)
    a = [t.group().lower() for t in tokens]  # a capital letter is no other word
    b = [t.lower() for t in TOKEN.findall(edited) if t.lower() not in _ARTICLES]

    def sentence_of(i: int) -> int:
        pos = tokens[min(i, len(tokens) - 1)].start() if tokens else 0
        return next((k for k, (_, e) in enumerate(spans) if pos < e), len(counts) - 1)

    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            continue
        removed = Counter(sentence_of(i) for i in range(i1, i2) if a[i][0].isalnum())
        first = sentence_of(i1)  # what is written in stands where the change begins
        removed[first] = max(removed[first], sum(w[0].isalnum() for w in b[j1:j2]))
        for k, n in removed.items():  # a change over two sentences counts in each
            counts[k] += n
    return counts


def judge(
    answer: str, reference: str, question: str = "", answer_type: str | None = None
) -> Verdict:
    """Whether answer says what reference says; question says which claim the reference answers.
    A yes/no reference is judged by the answer's polarity about the asked finding, a report by
    its findings, any other by the reference's concepts. answer_type (CLOSED / OPEN) is taken
    for the callers' sake: the reference's form decides (a CLOSED 'CT or MRI?' is open here)."""
    if not answer.strip():
        return Verdict(False, "empty")
    if is_yes_no(reference):
        return judge_closed(answer, reference, question)
    if is_report(reference, question):
        return position_opposed(answer, reference) or judge_report(answer, reference)
    return judge_open(answer, reference, question)


def is_right(
    answer: str, reference: str, question: str = "", answer_type: str | None = None
) -> bool:
    """True only where the judge finds the answer right (never when hedged or unsure)."""
    return judge(answer, reference, question, answer_type).right is True


def explain_edit(
    response: str, reference: str, question: str = "", answer_type: str | None = None
) -> tuple[str | None, str]:
    """(the rule editor's text, why): the response unchanged when the judge finds it right; the
    minimal claim-level correction when it is wrong and can be corrected safely; else None and
    the reason (hedged, both_options, omission, missing:<concept>, too_many_changes, ...)."""
    check_text("response", response)
    check_text("reference", reference)
    verdict, text = judge(response, reference, question, answer_type), response
    if verdict.right is not False:
        return (response, "right") if verdict.right else (None, verdict.why)
    if is_yes_no(reference) and qualified_denial(response):
        return None, "hedged"  # no definite gallstones, though small ones cannot be excluded
    inconsistent = verdict.why == "inconsistent"  # the yes/no and the sentence disagree
    wide: set[int] = set()  # where a tube's place, a finding's advice or conclusion changed
    moved: set[int] = set()  # where a denied list's item was put first (its words count twice)
    for _ in range(8):  # a report's contradictions, one at a time
        if is_yes_no(reference):
            asked, why = asked_about(reference, question, text), "cannot_flip"
            edits = side_moved(text, asked, wanted(reference))  # on the left, not the right
            edits = edits or closed_edits(text, asked, wanted(reference))
        elif is_report(reference, question):
            edits, why = report_step(text, reference)
        else:
            ref = in_units(reference, text)  # 3 cm, said in mm: 30 mm
            sized = size_edit(text, ref)  # measures 18 mm -> 30 mm
            edits, why = (sized, "") if sized else open_step(text, ref, question)
        parted = any(_PART_OF.search(text, a, b) for a, b, _ in edits or ())  # the kidney's pole
        drawn = any(
            not new and APPENDIX.match(text, a) and _names_no_finding(text[a:b])
            for a, b, new in edits or ()
        )
        spans = (
            sentences(text) if (why in ("device", "linked") or parted or drawn) and edits else []
        )
        wide |= {k for k, (s, e) in enumerate(spans) for a, b, _ in edits if a < e and b >= s}
        moved |= {k for k, (s, e) in enumerate(sentences(text)) for a, b, new in edits or ()
                  if " but no " in new and a < e and b >= s}  # fmt: skip  # a B but no A or C
        if not edits:
            return None, why or "unread_contradiction"  # the judge sees what no rule can edit
        text = looks_follow(text, apply_edits(text, edits))
        verdict = judge(text, reference, question, answer_type)
        if verdict.right is not False and verdict.why != "says_both":
            break  # a report asserting what its impression still denies: the denial is next
    if verdict.right is not True or _with_denied(text, reference, question):
        return None, "edit_not_right"
    if is_report(reference, question) and _complication_left(response, text):
        return None, "unread_summary"  # a pneumothorax now said beside 'without complication'
    if inconsistent and without_lead(text) == without_lead(response):
        return None, "inconsistent"  # its sentence says the claim, its yes/no alone is changed
    named = summary_named(response, text, reference) if is_report(reference, question) else text
    few = max(changes_per_sentence(text, named)) <= RULE_WORDS_PER_SENTENCE  # IMPRESSION: it
    text = named if few and judge(named, reference, question).right is True else text
    changed = changes_per_sentence(response, text)
    if any(
        n > (CUT_WORDS_PER_SENTENCE if k in moved else ONE_CLAIM_WORDS if k in wide else
             RULE_WORDS_PER_SENTENCE)
        for k, n in enumerate(changed)
    ):  # fmt: skip
        return None, "too_many_changes"
    refused = guard(response, text, reference, question)
    if refused == "stated_evidence":
        return _without_old_evidence(response, reference, question)
    return (None, f"guard_{refused}") if refused else (text, "corrected")


def _names_no_finding(text: str) -> bool:
    """Whether text names no finding (a diagnosis the lexicon cannot read goes whole with the
    finding it was drawn from: concerning for perforation of a hollow viscus)."""
    return not any(m.group == "finding" for m in mentions(text))


_PART_OF = re.compile(rf"\b(?:{'|'.join(lx.PART_WORDS)})\s+of\b", re.I)  # goes with its organ
_CONCLUDED = re.compile(
    rf"\W*(?:which\s+)?(?:{lx.CONCLUSIONS}|favou?rs|suggests|supports|makes|points)\b", re.I
)


def _without_old_evidence(response: str, reference: str, question: str) -> tuple[str | None, str]:
    """The correction of response without the evidence that told its old claim in textbook
    features and not the new one (This shows coagulative necrosis with preserved cell outlines.
    -> This shows caseous necrosis.), where it changes and drops few words; else the
    stated_evidence refusal."""
    short = without_evidence(response, question)
    if not short or short == response:
        return None, "guard_stated_evidence"
    text, why = explain_edit(short, reference, question)
    head = len(os.path.commonprefix([response, short]))
    tail = len(os.path.commonprefix([response[head:][::-1], short[head:][::-1]]))
    dropped = response[head : len(response) - tail]  # after the claim, or before its verb
    said, says = (named_in(t, [(0, len(t))]) for t in (short, text or ""))
    old, new = tells(dropped, said - says), tells(dropped, says - said)
    few = text and max(changes_per_sentence(response, text)) <= CUT_WORDS_PER_SENTENCE
    concluded = is_yes_no(reference) and _CONCLUDED.match(dropped)  # which argues against AML
    if concluded:  # a conclusion goes whole, however long: the correction itself stays minimal
        few = text and max(changes_per_sentence(short, text)) <= RULE_WORDS_PER_SENTENCE
    if concluded and _denies_feature(text or "", dropped):
        return None, "guard_stated_evidence"
    flipped = _flipped(response, text, dropped) if why == "corrected" and concluded else None
    kept = flipped and not guard(response, flipped, reference, question)
    if kept and judge(flipped, reference, question).right:
        return flipped, why  # which argues against AML -> which supports AML
    if why == "corrected" and (old or concluded) and not new and few:
        return text, why
    return None, "guard_stated_evidence"


# A conclusion's verb turned with the claim it is drawn from (argues against <-> supports); one
# that favours a diagnosis goes whole (favors a cyst -> argues against a cyst keeps the cyst).
_TURNED = {"argues against": "supports", "arguing against": "supporting", "supports": "argues "
           "against", "supporting": "arguing against"}  # fmt: skip


def _flipped(response: str, corrected: str, dropped: str) -> str | None:
    """The corrected answer with its dropped conclusion back, the conclusion's verb turned (No,
    ..., which argues against AML. -> Yes, ..., which supports AML.); None where no verb of
    _TURNED leads it."""
    verb = re.match(rf"(\W*(?:which\s+)?)({'|'.join(_TURNED)})\b", dropped, re.I)
    if not verb or re.search(r"\bover\b", dropped) or not corrected.endswith(response[-1:]):
        return None
    turned = verb.group(1) + _TURNED[verb.group(2).lower()] + dropped[verb.end() :]
    return corrected[:-1] + turned + corrected[-1]


def _denies_feature(text: str, dropped: str) -> bool:
    """Whether a clause of text with a negation in it names a textbook feature of a finding the
    dropped conclusion names (the temporal horns are not visible, arguing against hydrocephalus:
    evidence against it that stays beside ventricles corrected to dilated)."""
    for c in {m.concept for m in mentions(dropped) if m.group == "finding"}:
        for m in re.finditer(lx.FEATURES_OF.get(c, "$^"), text, re.I):
            s, e = clause(text, m.start())
            if re.search(r"\b(?:no|not|without|absent)\b", text[s:e], re.I):
                return True
    return False


def clinical_edit(response: str, reference: str, question: str = "") -> str | None:
    """The rule editor: the response unchanged when right, its minimal claim-level correction
    when wrong and safely correctable, None when it cannot tell (explain_edit says why)."""
    return explain_edit(response, reference, question)[0]


def _plants(response: str, reference: str, question: str) -> list[list[list[Edit]]]:
    """Candidate planted errors in tiers to try in turn: a report's (plants.report_plants) for a
    report; for an open answer of several sentences the claim that answers the question first
    (plants.question_plants), then a report's; else a short answer's."""
    if is_yes_no(reference):
        return [question_plants(response, reference, question)]
    if is_report(reference, question):
        return report_plants(response)
    if len(sentences(response)) > 1:
        return [question_plants(response, reference, question), *report_plants(response)]
    return [question_plants(response, reference, question)]


# Open questions that ask for a kind, a diagnosis, a name or the look of a margin or shape (a
# denial is no answer to them: 'no circumscribed margins' says not what they are).


_ASKS_KIND = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+){0,4}?(?:type|kind|sort|form|class|grade|(?:immuno)?stain|"
    r"marker|sequence|modality|cells?|bod(?:y|ies)|inclusions?|organisms?|features?|"
    r"structures?|patterns?)\b|\bdiagnosis\b"
    r"|\b(?:what|which)\s+(?:\w+\s+){0,2}(?:disease|tumou?r|condition|infection)\b"  # one
    r"|\b(?:describe|what\s+(?:are|is))\s+the\s+(?:margins?|borders?|shape|contours?|outline)\b",
    re.I,
)


def counterfactual_edit(
    response: str,
    rng: np.random.Generator | None = None,
    question: str = "",
    reference: str = "",
    deny: bool = True,
) -> str | None:
    """One real planted error in a right answer, drawn with rng among the candidates of _plants
    tier by tier (a denial only where deny, and to an open question only where nothing else
    is planted): the first the judge finds wrong against the
    reference (or the response itself) and every guard passes; None when none does, or when a
    one-sentence answer hedges (its hedge would stay beside the planted claim)."""
    check_text("response", response)
    rng = rng if rng is not None else np.random.default_rng(0)
    truth = reference or response
    # A denial names no kind: what type of giant cells? 'no Langhans giant cells' answers nothing.
    deny = deny and not (reference and _ASKS_KIND.search(question) and not is_yes_no(truth))
    # To another open question a denial is the last resort (what diseases? 'The image shows no
    # liver cancer.'): second experts refused 21 of the 23 that first experts had not listed.
    asked = reference and not is_yes_no(truth) and not is_report(truth, question)
    said = len(cues_in(response, cues.PRE_NEGATIONS))
    named = {m.concept for m in mentions(truth)} if reference else set()
    if answer_hedged(response, named) and len(sentences(response)) == 1:
        return None
    tiers = _plants(response, truth, question)
    draws = [(c, k) for c in tiers for k in rng.permutation(len(c))]
    report = reference and is_report(truth, question)
    for allowed, spoken in _passes(deny and asked, deny, report):
        for candidates, k in draws:
            text = looks_follow(response, apply_edits(response, candidates[k]))
            wrong = text != response and judge(text, truth, question).right is False
            wrong = wrong and (not spoken or _spoken_of(response, text, truth))
            wrong = wrong and not re.search(r"\w\s+,", text)  # no , low-density cyst: torn apart
            wrong = wrong and _torn(text) <= _torn(response)  # no pale, infarct
            denied = len(cues_in(text, cues.PRE_NEGATIONS)) > said
            if (
                wrong
                and (allowed or not denied)
                and not guard(response, text, truth, question, True)
            ):
                return text
    # No draw kept the answer's evidence: one in the answer without it, which is still right,
    # never a denial as the answer to an open question (a second expert refused every one).
    short = without_evidence(response, question, plant=True)
    if not short or not judge(short, truth, question).right:
        return None
    return counterfactual_edit(short, rng, question, truth, deny=is_yes_no(truth))


def _torn(text: str) -> int:
    """How many findings follow a comma after a word no term holds (a pale, wedge-shaped infarct
    cut to 'a pale, infarct': an adjective left without its pair)."""
    terms = mentions(text)
    ends = {m.end for m in terms}
    return sum(
        1
        for m in terms
        if m.group == "finding"
        and (before := re.search(r"\b[a-z]+(?=,\s+$)", text[: m.start]))
        and before.end() not in ends
    )


_NO_COMPLICATION = re.compile(
    r"\b(?:without\s+(?:any\s+)?complications?|uncomplicated|no\s+(?:\w+\s+)?complications?)\b",
    re.I,
)


def _complication_left(response: str, text: str) -> bool:
    """Whether a corrected report asserts a finding anew while it still says there is no
    complication (meconium aspiration without complication, a pneumothorax now said)."""
    said = {
        m.concept for m in mentions(response) if m.group == "finding" and polarity(response, m) > 0
    }
    found = [m for m in mentions(text) if m.group == "finding" and polarity(text, m) > 0]
    return any(m.concept not in said for m in found) and bool(_NO_COMPLICATION.search(text))


def _with_denied(text: str, reference: str, question: str) -> bool:
    """Whether a yes still denies what the question asks it 'with' (Is the sac distended with
    fluid? Yes, the sac is distended, and no fluid is seen: half turned)."""
    asked = re.search(r"\bwith\s+([a-z]{4,})\b", question, re.I)
    said = asked and re.search(rf"\b(?:no|without)\s+{asked.group(1)}", text, re.I)
    return bool(said) and is_yes_no(reference) and wanted(reference) > 0


def _passes(denial_last: bool, deny: bool, report: bool) -> list[tuple[bool, bool]]:
    """The passes over a right answer's plants, (denials allowed, only plants of what the
    reference speaks of): denials last to an open question; in a report, plants the reference
    can tell wrong first."""
    allowed = (False, True) if denial_last else (deny,)
    return [(a, spoken) for a in allowed for spoken in ((True, False) if report else (False,))]


def _spoken_of(response: str, text: str, reference: str) -> bool:
    """Whether a finding a planted report names anew is one the reference speaks of, or an
    organ's enlargement or widening where it speaks of the organ: the reference can tell it
    wrong (not a heart called enlarged where it says nothing of the heart, nor lungs called
    hyperinflated where it says nothing of their volume: no error it can show)."""
    said = {m.concept for m in mentions(reference)}
    olds = [response[s:e] for s, e in sentences(response)]
    for k, (s, e) in enumerate(sentences(text)):
        if text[s:e] in olds:
            continue
        before = {m.concept for m in mentions(olds[k])} if k < len(olds) else set()
        now = mentions(text[s:e])
        new = {m.concept for m in now if m.group == "finding"} - before - said
        organs = {m.concept for m in now if m.group == "organ"} | {
            lx.ORGAN_ENLARGED[f] for f in new if f in lx.ORGAN_ENLARGED
        }
        states = {f for f in new if f in _ORGAN_STATES or f in lx.ORGAN_ENLARGED}
        if new - states or (states and not organs & said):
            return False
    return True


_ORGAN_STATES = ("enlargement", "widening")  # what a plant calls an organ said normal


# -------------------------------------------------------------------------------------------------
# The LLM editor's check, and the pair.


def check_llm_edit(
    response: str,
    edited: str,
    reference: str,
    question: str = "",
    max_words_per_sentence: int = MAX_WORDS_PER_SENTENCE,
    plant: bool = False,
) -> str | None:
    """None when an LLM's edit of response is acceptable, else why not: each word it inserts is
    clinical, the reference's or question's, a function word, a number or a form of one
    (removed words are free); no sentence changes more than max_words_per_sentence words; and
    the judge finds the edit right (a correction) or wrong (plant=True)."""
    if not edited or not edited.strip():
        return "llm_empty"
    if max(changes_per_sentence(response, edited)) > max_words_per_sentence:
        return "llm_edit_not_minimal"
    a, b = TOKEN.findall(response), TOKEN.findall(edited)
    new = [" ".join(b[j1:j2]) for tag, _, _, j1, j2 in opcodes(a, b) if tag != "equal"]
    inserted = words(" ".join(new))
    known = VOCABULARY | {stem(w) for w in words(reference + " " + question)}
    if any(stem(w) not in known and not re.fullmatch(r"[\d.,]+", w) for w in inserted):
        return "llm_edit_changes_non_clinical_words"
    right = judge(edited, reference, question).right
    if right is not (not plant):
        return "llm_plant_not_wrong" if plant else "llm_edit_not_right"
    return None
