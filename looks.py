"""A reason that goes with a claim: how the fluid looks, with the MR weighting. An edit that
changes the weighting a sentence asserts (T1-weighted for T2-weighted) turns the fluid's look
with it (the CSF appears bright -> dark), and a CT look goes with a finding written in; a look
that no weighting rule tells is left for the guards. Imports imaging.py, claims.py, phrases.py
and edits.py.
"""

from __future__ import annotations

import re

import imaging as im
from claims import mentions, polarity, sentences
from edits import apply_edits
from phrases import Edit, ct_look_edits, styled

SIGNAL = r"\b(?:dark|bright|black|white|(?:hypo|hyper|iso)-?intense|(?:hypo|hyper)intensity)\b"
_LOOK = "|".join(im.OPPOSITE_LOOK)
_FLUID_NOUN = r"(?:CSF|cerebrospinal fluid|fluid)"
_FLUID = re.compile(
    rf"\b{_FLUID_NOUN}(?:\s+(?:with)?in\s+the\s+\w+)?\s+(?:(?:appears?|is|looks?|being)\s+)?"
    rf"({_LOOK})\b|\b({_LOOK})\s+{_FLUID_NOUN}\b",  # the CSF (within the ventricles) is dark
    re.I,
)


def look_edits(text: str, s: int, e: int) -> list[Edit] | None:
    """Edits that make the fluid's look in sentence text[s:e] agree with the one MR weighting it
    asserts (T1-weighted, as the CSF appears bright -> dark); [] where it agrees or says no look;
    None where it says how something else looks, or asserts no single weighting."""
    signals = [(m.start(), m.end()) for m in re.finditer(SIGNAL, text[s:e], re.I)]
    if not signals:
        return []
    said = {m.concept for m in mentions(text) if m.group == "sequence" and s <= m.start < e}
    said = {c for c in said if any(polarity(text, m) > 0 for m in mentions(text) if m.concept == c)}
    if len(said) != 1 or next(iter(said)) not in im.FLUID_LOOK:
        return None
    looks = [
        (f.start(k), f.end(k)) for f in _FLUID.finditer(text, s, e) for k in (1, 2) if f.group(k)
    ]
    if {(a + s, b + s) for a, b in signals} - set(looks):
        return None  # the lesion is hyperintense: no weighting rule says how it should look
    want = im.FLUID_LOOK[said.pop()]
    flipped = [(a, b, im.OPPOSITE_LOOK[text[a:b].lower()]) for a, b in looks]
    return [
        (a, b, styled(new, text[a:b])) for a, b, new in flipped if text[a:b].lower() not in want
    ]


def looks_follow(before: str, after: str) -> str:
    """after with the fluid's look in each sentence the edit changed made to agree with the MR
    weighting it now asserts, and a CT look with a finding written in (imaging.CT_LOOK); a
    sentence whose look cannot agree is left for the guards."""
    edits, old = [], {m.concept for m in mentions(before)}
    for s, e in sentences(after):
        if after[s:e] not in before and any(m.group == "sequence" for m in mentions(after[s:e])):
            edits += look_edits(after, s, e) or []
        edits += ct_look_edits(after, s, e, old)
    return apply_edits(after, edits) if edits else after
