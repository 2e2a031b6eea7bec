"""Where a line or tube lies: a report that puts a device's tip elsewhere than the reference
(an endotracheal tube '4 cm above the carina, in satisfactory position' that the reference finds
in the right mainstem bronchus) gets its position rewritten as the reference's, in each sentence
that states it. A tip's place is one claim, however many words say it: a distance from a
landmark, a site, a course, an approval ('in satisfactory position'). Imports lexicon.py,
claims.py and phrases.py.
"""

from __future__ import annotations

import re

import lexicon as lx
from claims import (
    Claim,
    Mention,
    Verdict,
    covers,
    hedged,
    mentions,
    noun_phrase,
    polarity,
    sentence_at,
)
from phrases import Edit, describes_unknown, lowered

ONE_CLAIM_WORDS = 8  # the most words one claim (a tip's place, a finding with its advice) changes

_APPROVED = (
    r"(?:satisfactory|appropriate|standard|good|adequate|expected|acceptable|optimal|proper"
    r"|unchanged|stable|correct)"
)
_LANDMARKS = r"carina|cavoatrial junction|gastroesophageal junction|GE junction"
_DISTANCE = (
    r"(?:(?:approximately|about|roughly|at)\s+)?\d+(?:\.\d+)?\s*(?:cm|mm)\s+(?:above|below|from)"
    rf"\s+the\s+(?:{_LANDMARKS})"
)
_COURSE = (  # group 1: a finite verb, which stays (extends into the esophagus)
    r"(?:(?:does|do)\s+not\s+)?(?:(courses|extends|passes|projects)|courses?|coursing|extends?|"
    r"extending|pass(?:es)?|passing|projects?|projecting)"
    r"(\s+(?:below|beneath|under)\s+the\s+(?:left\s+)?(?:hemi)?diaphragm)"
)
_POSITIONED = r"(?:appropriately|well|satisfactorily)\s+positioned"
APPROVAL = (  # in good position; within the expected location; well positioned
    rf"(?:(?:in|within)\s+(?:an?\s+|the\s+)?{_APPROVED}\s+(?:position|location)|{_POSITIONED}|"
    rf"which\s+is\s+(?:an?\s+)?{_APPROVED}\b)"
)
_BEFORE = rf"\b(?:{_POSITIONED}|{_APPROVED})\s+$"
_MOVE = (
    r"(?:recommend(?:ed)?|(?:should|could|may|can)\s+be|consider|suggest)\s+"
    r"(?:retraction|withdrawal|advancement|retracting|withdrawing|advancing|retracted|withdrawn|"
    r"advanced|repositioning|repositioned|pulling)\b[^.;]*"
)
_ADVICE = rf"\s*(?:[;,]|\s+and)?\s*{_MOVE}"  # ..., and could be advanced
_GLUE = r"(?:\s*,\s*|\s+and\s+|\s+)"
_GENERIC = r"\b(?:lines and tubes|tubes and lines|support devices|lines|tubes|devices)\b"


_MALPOSITIONED = re.compile(
    r"\bmal-?position\w*|\bside\s+(?:hole|port)\s+(?:\w+\s+){0,2}(?:outside|external\s+to)\b", re.I
)


def position_opposed(answer: str, reference: str) -> Verdict | None:
    """A wrong verdict where one report approves a device's position and the other finds it
    malpositioned (a chest tube 'in appropriate position', its side hole outside the thorax)."""
    approves = [re.search(APPROVAL, text, re.I) for text in (answer, reference)]
    faults = [_MALPOSITIONED.search(text) for text in (answer, reference)]
    opposed = (approves[0] and faults[1] or approves[1] and faults[0]) and not all(faults)
    return Verdict(False, "contradicts:device position") if opposed else None


def site_phrase(reference: str, device: str) -> str | None:
    """The reference's words for where device's tip lies ('in the right mainstem bronchus'): the
    preposition and noun phrase of the one site of lexicon.SITES its sentences name, else its
    one distance from a landmark ('approximately 4 cm above the carina')."""
    found, far = set(), set()
    for d in mentions(reference):
        if d.concept != device:
            continue
        s, e = sentence_at(reference, d.start)
        far |= {x.group().lower() for x in re.finditer(_DISTANCE, reference[s:e], re.I)}
        for m in mentions(reference[s:e]):
            if m.group == "organ" and m.concept in lx.SITES.get(device, ()):
                lead = s + noun_phrase(reference[s:e], m).lead
                before = re.search(r"\b(in|at|within|into)\s+$", reference[:lead], re.I)
                if before:
                    found.add(f"{before.group(1).lower()} {lowered(reference[lead : s + m.end])}")
    if not found and len(far) == 1:
        return far.pop()
    return found.pop() if len(found) == 1 else None


def position_edits(answer: str, reference: str, device: str) -> list[Edit] | None:
    """Edits that state the reference's tip position for device in each sentence of the answer
    that states one (the approval of 'lines and tubes' too), its advice to move the tube cut
    where the reference gives none; None where the reference names no one site or a sentence's
    position cannot be told apart from the rest of it."""
    site = site_phrase(reference, device)
    if site is None:
        return None
    said = [m for m in mentions(answer) if m.concept == device]
    advised = any(
        re.search(_ADVICE, reference[slice(*sentence_at(reference, m.start))], re.I)
        for m in mentions(reference)
        if m.concept == device
    )
    edits: list[Edit] = []
    for s, e in sorted({sentence_at(answer, m.start) for m in said}):
        here = [m for m in said if s <= m.start < e]
        new = _rewrite(answer, here[0], e, device, site)
        if new is None:
            return None
        if not advised:  # recommend retraction: advice for a tip the reference finds in place
            edits += _advice_cut(answer, here[0].end, e)
        edits += new
    for s, e in generic_approvals(answer, said):
        edits += _rename(answer, s, e, device, site, reference)
    return edits or None


def _advice_cut(text: str, start: int, end: int) -> list[Edit]:
    """The edit cutting advice to move a tube from its sentence (after start, up to end) or,
    where it stands alone, the sentence after it (Recommend withdrawal by 2 cm.)."""
    advice = re.search(_ADVICE, text[start:end], re.I)
    if advice:
        return [(start + advice.start(), start + advice.end(), "")]
    alone = re.match(rf"\s*{_MOVE}\.", text[end:], re.I)
    return [(end, end + alone.end(), "")] if alone else []


def _rewrite(text: str, m: Mention, end: int, device: str, site: str) -> list[Edit] | None:
    """The edits of the clause after device mention m (to end) that put its tip at site: the
    stated site replaced, the distance, course and approval cut; an approval before the device
    ('appropriately positioned endotracheal tube') cut and the site said after it."""
    cut = min([end] + [m.end + x.start() for x in re.finditer(r"[;]", text[m.end : end])])
    pieces = _pieces(text, m.end, cut, device)
    course = course_cut(text, m.end, cut)
    if course is None:
        return None
    before = re.search(_BEFORE, text[: m.start], re.I)
    before = before if before and before.start() >= sentence_at(text, m.start)[0] else None
    if before:
        after = re.match(r"\s+position\b", text[m.end : cut], re.I)
        stop = m.end + after.end() if after else m.end
        word = text[m.start : m.end]
        name = word[0].upper() + word[1:] if before.start() == _start(text, m) else word
        return (
            [(before.start(), stop, f"{name} {site}")]
            + course
            + [_cut(text, a, b) for kind, a, b in pieces if a >= stop]
        )
    if not pieces or any(k == "site" and _placed_further(text, b, cut) for k, _, b in pieces):
        return None
    sites = [p for p in pieces if p[0] == "site"]
    keep = sites[0] if sites else pieces[0]
    edits = course
    for kind, a, b in pieces:
        if (kind, a, b) == keep:
            edits.append((a, b, site))
        else:
            edits.append(_cut(text, a, b))
    return edits


def _placed_further(text: str, end: int, stop: int) -> bool:
    """Whether a site phrase ending at end goes on to say where it lies, in words its
    replacement would leave behind (over the gastric fundus, below the left hemidiaphragm)."""
    site = [m for m in mentions(text[:end]) if m.end == end]
    further = re.match(r"\s+(?:below|above|beneath|under|overlying)\b", text[end:stop], re.I)
    return bool(further) or any(describes_unknown(text, m) for m in site)


def _start(text: str, m: Mention) -> int:
    s, _ = sentence_at(text, m.start)
    heading = re.match(r"\s*(?:[A-Za-z]+:\s*)?", text[s:])
    return s + (heading.end() if heading else 0)


def _pieces(text: str, start: int, end: int, device: str) -> list[tuple[str, int, int]]:
    """The spans of text[start:end] that say where a device lies: ('site', a, b) for the noun
    phrase of a site of lexicon.SITES (the mid SVC), else 'distance' or 'approval' (its
    course is course_cut's)."""
    found = []
    for kind, pattern in (("distance", _DISTANCE), ("approval", APPROVAL)):
        found += [(kind, start + x.start(), start + x.end()) for x in re.finditer(
            pattern, text[start:end], re.I)]  # fmt: skip
    for m in mentions(text[start:end]):
        if m.group == "organ" and m.concept in lx.SITES.get(device, ()):
            lead = start + noun_phrase(text[start:end], m).lead
            before = re.search(r"\b(?:in|at|within|into|to|over)\s+$", text[start:lead], re.I)
            found.append(("site", start + before.start() if before else lead, start + m.end))
    return sorted(found, key=lambda p: p[1])


def course_cut(text: str, start: int, end: int) -> list[Edit] | None:
    """The edits cutting what text[start:end] says of a tube's course (courses below the
    diaphragm): it goes with the tip's old site. None where a finite verb would be left with
    no place of its own (extends below the diaphragm, with the tip in -> extends, with)."""
    edits = [_course(text, start, x) for x in re.finditer(_COURSE, text[start:end], re.I)]
    return None if None in edits else edits


def _course(text: str, start: int, x: re.Match) -> Edit | None:
    """The edit cutting course x (found from start): its place only where its verb is finite
    and a place follows (extends below the diaphragm into -> extends into), the whole where a
    participle or 'with its tip' follows (coursing below ...; tube with its tip in ...)."""
    after = text[start + x.end() :]
    if not x.group(1) or re.match(r"\s+with\b", after, re.I):  # courses ... with its tip in
        return _cut(text, start + x.start(), start + x.end())
    if re.match(r"\s+(?:into|to)\b", after, re.I):
        return (start + x.start(2), start + x.end(2), "")
    return None


def _cut(text: str, a: int, b: int) -> Edit:
    """An edit removing text[a:b] with the comma or 'and' that joins it to the clause."""
    glue = re.search(rf"{_GLUE}$", text[:a])
    a = glue.start() if glue else a
    return (a, b, "")


def generic_approvals(text: str, said: list[Mention]) -> list[tuple[int, int]]:
    """The spans 'lines and tubes in satisfactory position' (support devices, tubes) of the
    sentences of text that name no device of their own."""
    named = {sentence_at(text, m.start) for m in said}
    out = []
    for x in re.finditer(rf"{_GENERIC}\s+(?:are\s+)?{APPROVAL}", text, re.I):
        if sentence_at(text, x.start()) not in named:
            out.append((x.start(), x.end()))
    return out


def _rename(text: str, s: int, e: int, device: str, site: str, reference: str) -> list[Edit]:
    """'Lines and tubes in satisfactory position' said as the device at its site, in the
    reference's name for the device (Endotracheal tube in the right mainstem bronchus)."""
    name = next(
        (reference[m.start : m.end] for m in mentions(reference) if m.concept == device), device
    )
    name = name if name.isupper() else name.lower()
    first = text[s].isupper()
    return [(s, e, f"{name[0].upper() + name[1:] if first else name} {site}")]


_TIP_AT = re.compile(r"\b(?:at|abutting)\s+(?:the\s+level\s+of\s+)?the\s+(carina)\b", re.I)
_TIP_DISTANCE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(cm|mm)\s+(above|below|from|proximal to|distal to|beyond|past)\s+the\s+"
    rf"({_LANDMARKS})",
    re.I,
)


def tip_sites(text: str, cs: list[Claim], device: str) -> set[str]:
    """The sites of lexicon.SITES that device claims cs name up to the end of their sentence or
    a semicolon (a nasogastric tube, which passes below the hemidiaphragm and ends in the
    gastric fundus: the stomach; not the advice after it: ...; advancing it would place it in the
    SVC)."""
    spans = {(c.mention.start, _claim_end(text, c)) for c in cs}
    sites = lx.SITES.get(device, ())
    return {
        m.concept
        for m in mentions(text)
        if m.concept in sites and any(s <= m.start < e for s, e in spans) and polarity(text, m) > 0
    }  # does not reach the stomach: not where it ends


def claimed_sites(text: str, cs: list[Claim], device: str) -> set[str]:
    """Where device claims cs put the device: the sites after the word that places its tip
    (tip_ends), else the organs its claims name that are its sites, with all its sites named up
    to the sentence end (tip_sites); never a site denied (does not reach the stomach)."""
    sites = lx.SITES.get(device, ())
    named = {m.concept for c in cs for m in c.attributes.get("organ", []) if polarity(text, m) > 0}
    named = {o for o in named if not sites or any(covers(s, o) for s in sites)}
    return tip_ends(text, cs, device) or named | tip_sites(text, cs, device)


def _claim_end(text: str, c: Claim) -> int:
    """Where what claim c says of its device ends: its sentence's end, or a semicolon after it."""
    end = sentence_at(text, c.mention.start)[1]
    semicolon = text.find(";", c.mention.start, end)
    return end if semicolon < 0 else semicolon


_ENDS = re.compile(r"\b(?:tip|terminat\w*|ends?)\b(?!-)", re.I)  # not end-stage


def tip_ends(text: str, cs: list[Claim], device: str) -> set[str]:
    """The sites device claims cs name after the word that places the tip, up to the sentence end
    or a semicolon (courses through the brachiocephalic vein and the SVC, with its tip in the
    right atrium: the right atrium), and all a sentence without such a word names (in
    appropriate position in the stomach); set() where no sentence of cs says where the tip ends."""
    sites, out, placed = lx.SITES.get(device, ()), set(), False
    for c in cs:
        s, e = sentence_at(text, c.mention.start)[0], _claim_end(text, c)
        end = _ENDS.search(text, s, e)
        placed = placed or bool(end)
        start = end.end() if end else s
        found = [
            m.concept for m in mentions(text) if start <= m.start < e and polarity(text, m) > 0
        ]
        out |= {x for x in found if x in sites}
    return out if placed else set()


def landmarks_only(text: str) -> set[str]:
    """The concepts text names only as a landmark a tip is measured from (3 cm below the
    cavoatrial junction), never as where something lies: where it names a site besides, the
    landmark says nothing of where the tip is (the right atrium, 3 cm below the junction), nor
    does where advice would put it (withdrawal by 3 cm would place it at the junction)."""
    measured = [x.span() for x in _TIP_DISTANCE.finditer(text)]
    measured += [x.span() for x in _WOULD_PLACE.finditer(text)]  # where advice would put it
    found = [(m, any(a <= m.start < b for a, b in measured)) for m in mentions(text)]
    return {m.concept for m, i in found if i} - {m.concept for m, i in found if not i}


_WOULD_PLACE = re.compile(
    r"\b(?:would|will|to|should|could)\s+(?:place|bring|position)\s+(?:it|the\s+tip)\b[^.;]*", re.I
)


def tip_distances(text: str, cs: list[Claim]) -> dict[str, float]:
    """{landmark: cm above it (below: negative)} as the sentences of device claims cs say where
    its tip lies (terminates 5 cm above the carina; at the level of the carina: 0)."""
    out = {}
    for c in cs:
        for x in _TIP_DISTANCE.finditer(text, *sentence_at(text, c.mention.start)):
            cm = float(x.group(1)) / (10 if x.group(2).lower() == "mm" else 1)
            out[x.group(4).lower()] = (
                -cm if x.group(3).lower() in ("below", "distal to", "beyond", "past") else cm
            )
        for x in _TIP_AT.finditer(text, *sentence_at(text, c.mention.start)):
            out.setdefault(x.group(1).lower(), 0.0)  # at the level of the carina: 0 cm above it
    return out


def tip_hedged(text: str, device: str, said: list[Claim]) -> bool:
    """Whether a sentence of device in text places its tip only with a hedge (its tip may be in
    the SVC or the right atrium): where it lies is not said."""
    spans = {sentence_at(text, c.mention.start) for c in said}
    sites = lx.SITES.get(device, ())
    return any(
        m.concept in sites and hedged(text, m) and any(s <= m.start < e for s, e in spans)
        for m in mentions(text)
    )
