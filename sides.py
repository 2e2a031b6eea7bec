"""Which side or organ an answer gives: its sides (organs) less those of a comparison (elevated
compared with the right), of an organ it calls normal (the left testis appears normal) and of a
cause (shifted to the right by a left-sided haemorrhage: the haemorrhage's side is no answer);
'left and right' said of one thing; sides given only as the image shows them; the one finding
put on another side than asked; a report's sides of limb parts and of organs it calls normal.
Imports cues.py, lexicon.py, claims.py and comparisons.py.
"""

from __future__ import annotations

import re

import cues
import lexicon as lx
from claims import (
    Mention,
    claims,
    clause,
    mentions,
    near,
    normal_value,
    noun_phrase,
    polarity,
    sentence_at,
)
from comparisons import standard


def sides_said(
    answer: str, r: Mention, same: list, other: list, question: str = ""
) -> tuple[list, list]:
    """The sides (organs) of the answer that say side (organ) r and those that say another, less
    those of a comparison (elevated compared with the right: only the left is said so), of an
    organ called normal (while the spleen looks unremarkable; the asked organ too, where the
    question asks which is abnormal) or of a cause; 'left and right' says bilateral."""
    kept = r.group == "organ" and not re.search(_ILL, question, re.I)  # What organ is this?
    named = [m for m in mentions(answer) if r.group == "side" and _side_named(m, question)]
    same += [m for m in named if m.concept.startswith(r.concept + " ")]  # Which ventricle? RV.
    other += [m for m in named if not m.concept.startswith(r.concept + " ")]
    same = [m for m in same if kept or not _aside(answer, m)]
    other = [m for m in other if not _aside(answer, m)]
    if r.concept == "bilateral" and both_sides(answer, other):
        return same + other, []  # in the left and right lungs
    return same, other


def _side_named(m: Mention, question: str) -> bool:
    """Whether m names an organ whose name says its side (the right ventricle, the LA) that the
    question asks which of (Which ventricle is dilated?)."""
    side, *rest = m.concept.split()
    return m.group == "organ" and side in lx.SIDES and bool(rest) and rest[-1] in question.lower()


_ILL = r"\b(?:abnormal\w*|affected|involved|diseased|lesion|mass|tumou?r|injur\w*)\b"


def _aside(answer: str, m: Mention) -> bool:
    """Whether side (organ) m is said of something besides the answer: a side compared with, an
    organ called normal, or a cause (shifted to the right due to / by / away from a left-sided
    haemorrhage; rightward shift from a left haematoma) where a side comes before it in its
    sentence."""
    start = sentence_at(answer, m.start)[0]
    cause = _CAUSE.search(answer, start, m.start)
    told = cause and any(x.group == "side" for x in mentions(answer[start : cause.start()]))
    told = told and m.group == "side"  # arises from the duodenum: an organ of its own
    told = told or m.group == "side" and bool(_WHICH_LIES.search(answer[: m.start]))
    return standard(answer, m) or _side_normal(answer, m) or bool(told)


# A side in a clause about another organ (opposite the liver, which lies on the right).
_WHICH_LIES = re.compile(r"\b[a-z]+,\s+which\s+(?:lies|is|sits)\s+(?:on|to)\s+the\s+$", re.I)


_CAUSE = re.compile(rf"\b(?:{cues.CAUSES}|away\s+from|from|by)\b", re.I)


def _side_normal(answer: str, m: Mention) -> bool:
    """Whether side (organ) m's clause calls its organ normal (a vessel patent, a lung well
    expanded) and asserts no finding (the mass is in the right testis, while the left testis
    appears normal: the left is no second answer)."""
    said = near(answer, m)
    normal = any(x.concept == "normal" and polarity(answer, x) > 0 for x in said)
    normal |= bool(re.search(_SOUND, answer[slice(*clause(answer, m.start))], re.I))
    return normal and not any(x.group == "finding" and polarity(answer, x) > 0 for x in said)


_SOUND = r"\b(?:is|are|remains)\s+(?:patent|well[\s-](?:expanded|aerated|inflated))\b"


def both_sides(answer: str, sides: list[Mention]) -> bool:
    """Whether sides are 'left and right' (right and left) said of one thing, asserted (in the
    left and right lungs)."""
    if len(sides) != 2 or {m.concept for m in sides} != {"left", "right"}:
        return False
    a, b = sorted(sides, key=lambda m: m.start)
    joined = re.fullmatch(r"\s+and\s+", answer[a.end : b.start])
    return bool(joined) and polarity(answer, a) > 0


def image_side_only(answer: str, question: str) -> bool:
    """Whether the answer gives sides only as the image shows them (on the left side of the
    image) where the question asks the patient's: the image's left is the patient's right by
    radiological convention, and datasets differ in which they mean, so the judge cannot tell."""
    every = [m for m in mentions(answer) if m.group == "side"]
    framed = [m for m in every if re.match(lx.IMAGE_SIDE, answer[m.end :], re.I)]
    return bool(framed) and len(framed) == len(every) and not re.search(lx.IMAGE_SIDE, question)


def listed_with(text: str, same: list[Mention], other: list[Mention], concept: str) -> bool:
    """Whether the answer lists another organ with the reference's own (the liver and the
    spleen): it names two where the reference names one; not a part of it (the pancreatic duct
    and the bile duct, for the pancreas)."""
    for m in (m for m in same if m.concept == concept):
        for x in other:
            if x.group in ("organ", "region") and x.group == m.group:
                a, b = min(m.end, x.end), max(m.start, x.start)
                if re.fullmatch(r"\s*(,|and|,\s*and)\s+(the\s+)?", text[a:b], re.I):
                    return True
    return False


def denied_elsewhere(text: str, stances: list, sided: bool) -> list:
    """stances less the denials of one part (and, where sided, of one side) where text asserts
    the finding in another."""
    return _other_part_denied(text, _other_side_denied(text, stances) if sided else stances)


def _other_side_denied(text: str, stances: list) -> list:
    """stances less the denials said of one side where text asserts the finding too (no effusion
    on the left, but a small right pleural effusion: a yes, to a question that names no side)."""
    if not any(v > 0 for _, v in stances):
        return stances
    sided = {c.mention.start for c in claims(text) if c.attributes.get("side")}
    return [(m, v) for m, v in stances if v > 0 or m.start not in sided]


def other_side_found(text: str, sides: set[str]) -> bool:
    """Whether text asserts the one finding it speaks of ('the') and names a side other than
    sides (the cyst is in the left kidney, asked of the right: no cyst on the right)."""
    said = mentions(text)
    other = any(x.group == "side" and x.concept not in sides for x in said)
    the = [x for x in said if x.group == "finding" and re.search(r"\bthe\s+$", text[: x.start])]
    return other and any(polarity(text, x) > 0 for x in the)


def _other_part_denied(text: str, stances: list) -> list:
    """stances less the denials of a finding placed in one part where text asserts the same
    finding in another (no fracture of the sacrum; the pubic rami are fractured: a yes to Is the
    pelvis fractured?)."""
    cs = {c.mention.start: c for c in claims(text)}
    placed = {k: {o.concept for o in c.attributes.get("organ", [])} for k, c in cs.items()}
    said = [cs[m.start] for m, _ in stances if m.start in cs]  # asserted where the question asks
    found = {
        (c.concept, o)
        for c in said
        if c.polarity > 0 and not c.hedged
        for o in placed[c.mention.start]
    }
    return [
        (m, v)
        for m, v in stances
        if m.start not in cs
        or cs[m.start].polarity > 0
        or not placed[m.start]
        or not any(c == cs[m.start].concept for c, _ in found)
        or any((cs[m.start].concept, o) in found for o in placed[m.start])
    ]


def bone_sides(text: str) -> dict[str, set[str]]:
    """The sides text gives each paired part of a limb it names (the left humerus: left)."""
    out: dict[str, set[str]] = {}
    for m in (m for m in mentions(text) if m.group == "organ" and m.concept in lx.LIMB_PARTS):
        sides = {w.concept for w in noun_phrase(text, m).kinds("side")}
        out.setdefault(m.concept, set()).update(sides & {"left", "right"} or {"any"})
    return {b: sides for b, sides in out.items() if "any" not in sides}


def sided_normals(text: str) -> dict[tuple[str, str], Mention]:
    """(side, organ) -> the side's mention, of each claim calling a side normal (left lung)."""
    out = {}
    for c in claims(text, ("normality",)):
        sides = [x for x in c.attributes.get("side", []) if x.concept in ("left", "right")]
        organs = {o.concept for o in c.attributes.get("organ", [])}
        if not c.hedged and normal_value(text, c.mention) > 0 and len(sides) == 1:
            out |= {(sides[0].concept, o): sides[0] for o in organs}
    return out
