"""A report's impression that only finds nothing wrong, and the finding written in its place.

Where a report's findings come to assert a finding (a planted error, or a correction the
reference shows), an impression that still reads "No acute cardiopulmonary process." would
contradict them: a radiologist names the finding there instead (IMPRESSION: Small right pleural
effusion.). Used by plants.py and clinical.py. Imports claims.py, edits.py and reports.py.
"""

from __future__ import annotations

import os
import re

from claims import mentions, noun_phrase, polarity, sentence_at, sentences, words
from edits import apply_edits
from phrases import Edit
from reports import normal_scope


def summary_sentence(text: str) -> tuple[int, int] | None:
    """The span, after its heading and before its period, of the impression's sentence that only
    finds nothing wrong (IMPRESSION: No acute cardiopulmonary process.; Normal chest.), or None."""
    heading = re.search(r"\bIMPRESSION(?:\*\*)?\s*:\s*(?:\*\*\s*)?", text, re.I)  # **Impression:**
    for s, e in sentences(text) if heading else ():
        said = text[max(s, heading.end()) : e].rstrip(" .")
        if e <= heading.start() or len(words(said)) > 6:
            continue
        if normal_scope(said)[1] and not any(m.group == "finding" for m in mentions(said)):
            start = max(s, heading.end())
            return start, start + len(said)
    return None


def named_in_summary(text: str, edits: list[Edit], summary: tuple[int, int]) -> list[Edit]:
    """An edit writing, in place of the impression's summary, the finding edits assert in the
    findings (There is a small right pleural effusion but no pneumothorax. -> IMPRESSION: Small
    right pleural effusion.); none where it cannot be read or places the finding on no side."""
    planted = apply_edits(text, edits)
    first = min(e[0] for e in edits)
    start, end = sentence_at(planted, first)
    found = [
        m
        for m in mentions(planted)
        if start <= m.start < end and m.group == "finding" and polarity(planted, m) > 0
    ]
    if not found or max(edit[1] for edit in edits) > summary[0]:
        return []
    lobe = re.match(r"\s+in\s+the\s+(?:right|left)\s+\w+\s+lobe\b", planted[found[0].end :], re.I)
    phrase = planted[noun_phrase(planted, found[0]).start : found[0].end] + (lobe or [""])[0]
    if not any(m.group == "side" for m in mentions(phrase)):
        return []  # 'IMPRESSION: Pneumothorax.' places nothing: a second expert refused each
    return [(*summary, phrase[:1].upper() + phrase[1:])]


def summary_named(response: str, corrected: str, reference: str) -> str:
    """corrected, a report whose findings now assert a finding that response denied, with its
    impression's summary (No acute process.) replaced by that finding, where the reference's
    impression names it too; else corrected unchanged."""
    summary, first = summary_sentence(corrected), len(os.path.commonprefix([response, corrected]))
    impression = re.search(r"\bIMPRESSION\s*:(.*)", reference, re.I | re.S)
    if not summary or not impression or first >= summary[0]:
        return corrected
    named = named_in_summary(corrected, [(first, first, "")], summary)  # the sentence changed
    said = {m.concept for m in mentions(impression.group(1)) if m.group == "finding"}
    asserted = {m.concept for m in mentions(response) if polarity(response, m) > 0}
    new = {m.concept for m in mentions(named[0][2])} - asserted if named else set()
    if not new & said:
        return corrected  # no finding written in, or one the reference's impression never names
    return corrected[: summary[0]] + named[0][2] + corrected[summary[1] :]
