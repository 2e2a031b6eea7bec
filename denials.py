"""How a new denial must read: it names its finding plainly, with no size, cause, qualifier or
description left to it ('no small pleural effusion', 'no mass ..., abutting the mediastinum'
leave what is denied unclear); and a denial turned over leaves no reason clause standing.
Imports cues.py, claims.py, edits.py, evidence.py and looks.py.
"""

from __future__ import annotations

import re

import cues
from claims import (
    clause,
    cues_in,
    is_verb,
    mentions,
    sentence_at,
    sentences,
    trigger,
    without_lead,
    words,
)
from edits import apply_edits
from evidence import MEASURED, touches
from looks import looks_follow
from phrases import Edit

_QUALIFIER = (  # the last ones: an effusion blunting the angle, a mass effacing the sulci
    r"\b(?:with(?!\s+no\b)|containing|showing|due to|secondary to|caused by|related to|"
    r"appearing as|seen as|typical of|characteristic of|beneath both|on both sides|"
    r"(?:blunt|obscur|efface?|compress|displac)(?:es|s|ing)\s+the|"  # no effusion blunts the
    r"terminat\w*|(?:with\s+)?(?:its\s+)?tip\s+(?:in|at)|courses?|on\s+an?\s+(?:\w+\s+)?stalk|"
    r"separating)\b"  # no line terminating in; no polyp on a slender stalk
)
# A participle clause that goes on describing the finding (no mass ..., abutting the mediastinum).
_DESCRIBED = re.compile(
    r"[^,;:.]*,\s*(?!includ|exclud|regard|accord|follow)\w{3,}ing\s+(?:the|a|an|both|its?)\b", re.I
)
_PHASE = r"\b(?:arterial|portal venous|venous|delayed|nephrographic|excretory)\s+phase\b"


_SOME = r"(?:several|many|some|numerous|multiple|most|scattered)"  # a count left open
_OF_SOME = rf"[^,;.]*?\bof\s+{_SOME}\b"
_COUNTED_OUT = re.compile(  # a subject counted out, its verb after it
    rf"\b{_SOME}\s+(?:[\w-]+\s+){{1,3}}"
    r"(?:contain|show|ha(?:ve|s)|display|demonstrat|exhibit|harbo)\w*\s+$",
    re.I,
)


def denial_form(before: str, after: str, ctx: dict) -> bool:
    """A new denial names its finding plainly: no size or count between the cue and the
    finding (not 'no small pleural effusion', which leaves a larger one open), no 'no' before
    an adjective phrase (not 'no enlarged heart': the heart is not enlarged), no 'without',
    'with' or cause clause left to qualify it (not 'no cardiomegaly without acute disease', 'no
    pacemaker with leads in the right atrium', 'No, there is no mass effect with effacement of
    the sulci', 'no midline shift due to the mass effect', 'no granulomas containing giant
    cells', 'no effusion blunting the angle', 'no psammoma bodies, appearing as ...', 'no
    caseating necrosis ..., typical of a granuloma', 'no free air beneath both hemidiaphragms',
    'no mass in the right upper lobe, abutting the mediastinum');
    'with no mediastinal shift' denies another finding and stays), nor a size after it (not
    dilated, measuring over 5 cm), nor contrast beside its phase, nor after a subject counted out
    (not 'several neurons contain no tangles', 'no fractures of several ribs'); and (plants) a short
    answer that only names a finding (Brain edema.) is never planted as its denial; nor a tip's
    position denied beside the distance that told it (4 cm above the carina, which is not an
    appropriate position), nor a denial left ending on 'together'."""
    fragment = ctx["plant"] and len(sentences(before)) == 1 and not has_verb(before)
    for a, b in ctx["after"]:  # a denial of a phrase the lexicon lacks: no Reed-Sternberg cells
        s, e = sentence_at(after, a)
        no = re.search(r"\b(?:no|not)\b", after[a:b], re.I)
        if no and without_lead(after[s:e]) == after[s:e] and re.search(_QUALIFIER, after[b:e]):
            return False
        left = re.search(r"\b(?:together|along)\s*[.;]?\s*$", after[s:e], re.I)
        left = left or _MEASURED.search(after[s:e]) and _UNAPPROVED.search(after[s:e])
        if no and (_unclear_denial(after[a + no.end() : e]) or left):
            return False  # or not dilated together; 4 cm above the carina, not appropriate
        if no and re.match(r"[^,;.]*\bwithout\b", after[a + no.end() : e], re.I):
            return False  # does not appear dilated without a thickened wall: which is denied?
        if no and _sized_before(after, a + no.start()):
            return False  # a small amount of fluid is not seen: a larger one left open
        some = no and re.match(_OF_SOME, after[a + no.end() : e], re.I)  # no fractures of
        if no and (some or _COUNTED_OUT.search(after, s, a + no.start())):  # several ribs
            return False  # several neurons contain no tangles: the other neurons left open
    for m in mentions(after):
        cue = trigger(after, m) if m.group == "finding" else None
        if cue is None or not any(touches(r, cue) for r in ctx["after"]):
            continue
        if cue[0] >= m.end:  # a small amount of free fluid is not seen: a larger one left open
            if _sized_before(after, cue[0]) or _DESCRIBED.match(after, cue[1]):
                return False  # not seen beneath the diaphragm, separating it from the liver
            continue
        between = [x for x in mentions(after) if cue[1] <= x.start < m.start]
        first = words(after[m.start : m.end])[:1]
        rest = after[m.end : sentence_at(after, m.start)[1]]
        no = after[cue[0] : cue[1]].lower() == "no"  # 'not enlarged' and 'without' stay
        qualified = re.search(_QUALIFIER + r"|\bwithout\b", rest, re.I) or _DESCRIBED.match(rest)
        thin = re.search(r"\b(?:thin|slight|faint)\b", after[cue[1] : m.start], re.I)  # no thin
        bad = first and first[0].lower().endswith("ed") or qualified or thin
        if any(x.group in ("degree", "number") for x in between) or no and bad:
            return False
        if re.search(MEASURED, rest, re.I):
            return False
        if m.concept == "contrast" and re.search(
            _PHASE, after[slice(*sentence_at(after, a))], re.I
        ):
            return False  # not contrast-enhanced, in the portal venous phase
        if fragment:
            return False
    return True


def _sized_before(text: str, cue: int) -> bool:
    """Whether a 'not' at cue that denies a thing is there (not seen, not present) follows a size
    or count in its clause (a small amount of free fluid is not seen: a larger one left open)."""
    if not re.match(rf"not\s+(?:{'|'.join(cues.POST_VERBS)})\b", text[cue:], re.I):
        return False
    said = [x for x in mentions(text) if clause(text, cue)[0] <= x.start < cue]
    return any(x.group in ("degree", "number") for x in said)


_ADJECTIVE = r"\w+(?:ed|ible|able|al|ar|ic|ous|ive|ent|ant)"
# not well circumscribed and sharply demarcated: which of the two is denied?
_COORDINATED = re.compile(rf"\s*(?:\w+\s+)?{_ADJECTIVE}\s+and\s+(?:\w+ly\s+)?{_ADJECTIVE}\b", re.I)


def _unclear_denial(rest: str) -> bool:
    """Whether a denial leaves what it denies unclear (rest: the words after its 'no' or 'not'):
    a coordinated predicate (not well circumscribed and sharply demarcated), a name restated
    in brackets (no malignant tumor of the lung (bronchogenic carcinoma)), a cause left said (not
    blunted by a small effusion), a value left said (not increased to about 30%), a course left
    said (no right effusion, similar to before) or the denied things spoken of again (no nodules
    ..., and some of them show cavitation)."""
    left = (_COORDINATED, _BRACKETED, _AGENT, _VALUE, _COURSE)
    return any(p.match(rest) for p in left) or bool(_THEM.search(rest))


_BRACKETED = re.compile(r"[^,.;]*\(")
_AGENT = re.compile(r"\s*\w+ed\s+by\b", re.I)
_COURSE = re.compile(
    r"[^.;]*?,\s*(?:similar\s+to|unchanged|stable|as\s+before|again\s+seen)\b", re.I
)
_VALUE = re.compile(r"\s*\w+\s+to\s+(?:about\s+|approximately\s+|nearly\s+)?\d", re.I)
_THEM = re.compile(
    r"\b(?:(?:some|all|each|one|two|several|many|most|none)\s+of\s+them|they\s+(?:are|show|have))\b",
    re.I,
)


def has_verb(text: str) -> bool:
    """Whether text has a verb (a copula, a listed verb or a form of one)."""
    return any(w.lower() in cues.VERBS or is_verb(w.lower()) for w in words(text))


def reason_left(text: str, edits: list[Edit]) -> bool:
    """Whether a clause after a semicolon in a sentence the edits turn, itself a denial or calling
    what it saw reactive, is left untouched (No evidence of infarction; there is no late
    enhancement: what told the denial would stay), or one that keeps what it saw confined (;
    the atypia is confined to the epithelium). Another clause (; the joint spaces are preserved)
    says something else and may stay."""
    kept = []  # the untouched clauses that deny or call reactive
    for a, b, _ in edits:
        _, e = sentence_at(text, a)
        semi = text.find(";", b, e)
        told = semi >= 0 and (
            cues_in(text[semi:e], cues.PRE_NEGATIONS) or _REACTIVE.search(text, semi, e)
        )
        if told and not any(semi < x < e for x, _, _ in edits):
            kept.append(text[semi:e])
        confined = _CONFINED.search(text, semi, e) if semi >= 0 else None
        kept += [confined.group()] if confined else []  # confined above the basement membrane
    if not kept:
        return False
    turned = looks_follow(text, apply_edits(text, edits))  # the CSF appears bright -> dark
    return any(clause in turned for clause in kept)


_REACTIVE = re.compile(r"\breactive\b", re.I)
# A tip's distance, and its position denied beside it: the distance that told it would stay.
_MEASURED = re.compile(r"\d\s*(?:cm|mm)\s+(?:above|below|from)\b", re.I)
_UNAPPROVED = re.compile(
    r"\bnot\s+(?:in\s+)?(?:an?\s+)?(?:appropriate|satisfactory|standard|good|optimal|adequate)"
    r"\s+position",
    re.I,
)
_CONFINED = re.compile(r"\bconfined\s+to\b|\bintact\s+basement\s+membrane\b", re.I)
