"""What a scan's words must still agree on after an edit: the modality with the words only it
uses (gadolinium is MRI's, hyperdense CT's), the plane with what shows it (seen in
cross-section), the region with the organs only it holds (the liver is the abdomen's), and a view
or modality with the reason an answer gives for it (an AP view, as suggested by the magnified
heart). Used by guards.py. Imports imaging.py, lexicon.py, claims.py, conflicts.py and
evidence.py.
"""

from __future__ import annotations

import re

import imaging as im
import lexicon as lx
from claims import mentions, sentence_at
from conflicts import modality_conflict, tells
from evidence import touches

Span = tuple[int, int]


def scan_words_disagree(before: str, after: str, changed: list[Span], plant: bool) -> bool:
    """Whether the changed spans of after leave a modality named with words only another modality
    uses (CT with gadolinium, a T2-weighted CT, a hypoechoic lesion on CT) where before did not,
    or changed after a word said of the old one (a contrast-enhanced CT -> ultrasound, a portable
    radiograph -> CT); a plane changed where words of the old one stay (seen in cross-section); a
    region changed where an organ only the old one holds stays (the abdomen -> the chest, at the
    level of the liver); a look changed where the sentence likens it to a tissue (hypointense,
    similar to CSF); or, in a correction, a view or modality changed where the reason given for
    the old one stays."""
    for m in mentions(after):
        touched = any(touches(r, (m.start, m.end)) for r in changed)
        said = re.search(r"([\w-]+)\s+(?:([\w-]+)\s+)?$", after[: m.start])
        said = {w.lower() for w in said.groups() if w} if said and m.group == "modality" else ()
        for modifiers, modalities in im.MODALITY_MODIFIERS.items():
            of = any(w.lower() in said for w in modifiers)
            if touched and of and m.concept not in modalities:
                return True
    planes = [{m.concept for m in mentions(t) if m.group == "plane"} for t in (before, after)]
    if tells(after, planes[0] - planes[1]):
        return True  # an axial slice made coronal, the aorta still seen in cross-section
    looks = [
        m
        for m in mentions(after)
        if m.group == "look" and any(touches(r, (m.start, m.end)) for r in changed)
    ]
    if any(_LIKE_TISSUE.search(after, *sentence_at(after, m.start)) for m in looks):
        return True  # hypointense, similar to CSF, made hyperintense: the likeness stays
    if not plant and any(_reason_kept(after, r, changed) for r in changed):
        return True  # an AP view made PA, 'as suggested by the magnified heart' kept
    regions = [{m.concept for m in mentions(t) if m.group == "region"} for t in (before, after)]
    gone = regions[0] - regions[1] if regions[1] - regions[0] else set()  # another region in
    held = [m.concept for m in mentions(after) if m.group == "organ"]
    if regions[0] | regions[1] <= {"abdomen", "pelvis"}:  # one cavity: bowel lies in both
        held = [c for c in held if c in _UPPER_ABDOMEN]
    if any(lx.ORGANS[c][1] in gone for c in held):
        return True  # the abdomen -> the chest, at the level of the liver: the liver stays
    return bool(modality_conflict(after)) and not modality_conflict(before)


_LIKE_TISSUE = re.compile(
    r"\b(?:similar\s+to|like|iso(?:intense|dense|echoic|attenuating)\s+to|follow(?:s|ing)|"
    r"(?:the\s+)?same\s+as)\s+(?:that\s+of\s+)?(?:the\s+)?(?:cerebrospinal\s+fluid|CSF|fluid|"
    r"water|fat|muscle|blood|gray\s+matter|grey\s+matter|white\s+matter)\b",
    re.I,
)
_UPPER_ABDOMEN = (
    "liver",
    "spleen",
    "pancreas",
    "gallbladder",
    "stomach",
    "adrenal gland",
    "kidney",
)
_BECAUSE = re.compile(
    r",\s*(?:as|since|because|given)\s|\s+(?:as\s+(?:suggested|evidenced|shown|indicated)\s+by|"
    r"because|since|based\s+on)\s",
    re.I,
)  # an AP view, as suggested by ...; not 'such as'


def _reason_kept(after: str, r: Span, changed: list[Span]) -> bool:
    """Whether change r made a view or modality that its sentence gives an unchanged reason for."""
    made = any(
        m.group in ("view", "modality") and touches(r, (m.start, m.end)) for m in mentions(after)
    )
    end = sentence_at(after, r[0])[1]
    reason = _BECAUSE.match(after, r[1]) or _BECAUSE.search(after, r[1], end)
    return bool(made and reason) and not any(reason.end() <= a < end for a, _ in changed)
