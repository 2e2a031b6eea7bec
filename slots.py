"""Corrections of a short answer whose words for what the question asks the lexicon does not
know (Reed-Sternberg cells are seen: the reference's finding written in that slot), of an organ
called small or normal in other words, and of a list the answer names but for one item. Used by
corrections.py where no term of the answer stands for the reference's. Imports lexicon.py,
cues.py, claims.py and phrases.py.
"""

from __future__ import annotations

import re

import cues
import lexicon as lx
from claims import (
    STOP,
    Mention,
    cues_in,
    is_verb,
    mentions,
    noun_phrase,
    organ_of,
    sentence_at,
    sentences,
    stem,
    without_lead,
    words,
)
from phrases import Edit, article_for, styled, written_plural

_SLOTS = (  # where a short answer names what the question asks (det, words)
    r"^\s*(?:(a|an)\s+)?(?P<np>(?:[\w'-]+\s+){0,3}?[\w'-]+)(?=\s+(?:is|are)\s+(?:seen|present|noted|"
    r"identified|visible|demonstrated)\b)",
    r"\b(?:is|are)\s+(?:(a|an)\s+)?(?P<np>(?:[\w'-]+\s+){0,3}?[\w'-]+)(?=\s*[.;]?\s*$)",
    r"\b(?:shows?|demonstrates?|reveals?|there\s+(?:is|are))\s+(?:(a|an)\s+)?(?P<np>(?:[\w'-]+\s+){0,3}?"
    r"[\w'-]+)(?=\s+(?:in|of|within|with|from)\b|\s*[.;,]?\s*$)",
)


def answer_slot(answer: str, reference: str, r: Mention) -> list[Edit] | None:
    """Edits that write the reference's finding r in place of the phrase a short answer names
    it with, where the lexicon knows none of its words but organs (Reed-Sternberg cells are
    seen; The cells are cardiac myocytes; A hemangioma is present): the answer's words for
    what the question asks. None where no such phrase is found, it names r's own organ (liver
    cells: perhaps r in other words) or shares a word with the reference."""
    if len(sentences(answer)) > 1:
        return None
    body = without_lead(answer)
    at = len(answer) - len(body)
    slots = [(k, re.search(pattern, body, re.I)) for k, pattern in enumerate(_SLOTS)]
    found = [(k, s) for k, s in slots if s and _unknown_phrase(body, *s.span("np"), reference, r)]
    if not found:
        return None
    k, slot = found[0]
    start = at + (slot.start(1) if slot.group(1) else slot.start("np"))
    ref = noun_phrase(reference, r)
    new = " ".join(reference[ref.start : r.end].lower().split())
    plural = written_plural(reference, r)
    article = "" if plural or r.concept in lx.MASS_NOUNS else article_for(new)
    new = f"{article} {new}" if article else new
    new = styled(new, answer[start:]) if start == at or not answer[:start].strip() else new
    edits = [(start, at + slot.end("np"), new)]
    verb, offset = None, at  # its verb, where the phrase is its subject: are seen; there is
    if k == 0:
        verb, offset = re.match(r"\s+(is|are)\b", body[slot.end("np") :]), at + slot.end("np")
    elif k == 2:
        verb = re.search(r"\b(is|are)\s+$", body[: start - at])
    if verb and (verb.group(1).lower() == "are") != plural:
        edits.append((offset + verb.start(1), offset + verb.end(1), "are" if plural else "is"))
    return edits


_STATE = re.compile(
    r"\s+(?:is|are|appears?|looks?|seems?)\s+([\w-]+(?:\s+and\s+[\w-]+)?)\s*[.;]?\s*$", re.I
)


def organ_state(answer: str, r: Mention) -> list[Edit] | None:
    """Where the reference names an organ's enlargement (splenomegaly) and the answer calls the
    organ small or normal in other words (The spleen appears small and atrophic), the edit that
    writes 'enlarged' in place of those words; None otherwise (prominent, large: perhaps the
    enlargement in other words)."""
    organ = next((o for o, f in lx.ENLARGED_ORGAN.items() if f == r.concept), None)
    for m in mentions(answer) if organ and len(sentences(answer)) == 1 else ():
        state = _STATE.match(answer, m.end) if m.concept == organ else None
        said = [x for x in mentions(answer) if state and x.start >= state.start(1)]
        said_words = set(words(state.group(1))) if state else set()
        small = said_words & set(lx.SMALL_WORDS) or any(x.group == "normality" for x in said)
        if state and small and not any(x.group in ("finding", "organ") for x in said):
            return [(state.start(1), state.end(1), "enlarged")]
    return None


def _unknown_phrase(text: str, a: int, b: int, reference: str, r: Mention) -> bool:
    """Whether text[a:b] names an entity the lexicon does not know (a hemangioma, Reed-Sternberg
    cells; an organ may describe it, not r's own: cardiac myocytes, not liver cells): no plain
    word that may be the finding in other words (air, volume loss), no verb, no word of the
    reference's."""
    said = [m for m in mentions(text) if a <= m.start < b]
    if any(m.group != "organ" or m.concept == organ_of(r.concept) for m in said):
        return False
    ws = words(text[a:b])
    last_known = any(m.end == b for m in said)
    shared = {stem(w) for w in ws} & {stem(w) for w in words(reference)}
    nouns = ("cell", "cells", "tissue")  # general nouns a phrase may end with
    if not ws or not ws[-1].endswith(lx.ENTITY_ENDINGS):
        return False  # air, blood, volume loss: perhaps the finding in other words
    return (
        bool(ws)
        and not last_known
        and not shared
        and not any(
            (w in STOP and w not in nouns) or is_verb(w) or w in cues.DETERMINERS for w in ws
        )
    )


def unknown_before(text: str, m: Mention) -> bool:
    """Whether m's sentence names, before m, an entity the lexicon does not know (Reed-Sternberg
    cells are seen in a background of lymphocytes): m may be no more than its setting."""
    s = sentence_at(text, m.start)[0]
    known = [(x.start, x.end) for x in mentions(text)]
    for w in re.finditer(r"[A-Za-z][\w-]*", text[s : m.start]):
        inside = any(a <= s + w.start() < b for a, b in known)
        if w.group().lower().endswith(lx.ENTITY_ENDINGS) and not inside:
            return True
    return False


def listed_item(answer: str, reference: str, r: Mention, said: list[Mention]) -> list[Edit] | None:
    """A reference that lists several findings or organs (Pneumonia, Pleural Effusion) and an
    answer that names the others (said) but not r: r's words added after the last one named (The
    picture shows pneumonia -> pneumonia and pleural effusion; the lungs and heart are visible).
    None where the list is not a plain comma list, or a singular subject would need its verb
    changed (the liver is visible)."""
    items = [(k.start(), k.end()) for k in re.finditer(r"[^,]+", reference)]
    item = next((reference[a:b].strip() for a, b in items if a <= r.start < b), "")
    if len(items) < 2 or not item or " and " in reference or not said:
        return None
    last = max(said, key=lambda m: m.end)
    after = answer[last.end :]
    many = answer[last.start : last.end].lower().endswith("s")  # the lungs are
    verb = re.match(r"\s+(?:are|were)\b", after) and many
    ends = re.match(
        r"\s*(?:(?:in|on)\s+(?:this|the)\s+(?:image|picture|scan|slice)\s*)?[.!]?\s*$", after
    )
    if not (verb or ends) or cues_in(answer, cues.PRE_NEGATIONS):
        return None
    first = min(m.start for m in said)
    only = _ONLY.search(answer, sentence_at(answer, first)[0], first)  # shows only the brain
    cut = [(only.start(), only.end(), "")] if only else []
    return [*cut, (last.end, last.end, f" and {item.lower()}")]


_ONLY = re.compile(r"\b(?:only|just|solely|exclusively)\s+", re.I)
