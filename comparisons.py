"""Answers that compare: which of the two options a question ends with a comparison chooses
(Which is bigger, the liver or the spleen? The spleen is smaller than the liver: the liver), and
a term said only as what another is compared with (the left hemidiaphragm is elevated compared
with the right: the right is no claim), and a normal said of size, compared with the normal
(the heart size is normal), a number that counts what the question does not (How many
vessels? three vessels, two arteries and one vein) or a side, size or count of a thing the
lexicon does not know (of_something_else); a lobe of one lung beside the other side (the right
lingula); what a count of organs says besides (one kidney on the left, two vertebral bodies
with compression deformities); a comparison of two sides left to a finding no longer on both
(sides_compared); sizes read in the reference's unit (20 mm is 2 cm); a lobe placed by a
fissure or the border it effaces; and how a finding changed since the prior study (new,
unchanged, better, worse; right greater than left). Imports cues.py, lexicon.py and claims.py.
"""

from __future__ import annotations

import re

import cues
import lexicon as lx
from claims import (
    STOP,
    Mention,
    Phrase,
    Verdict,
    clause,
    cues_in,
    family_of,
    hedge_spans,
    mentions,
    near,
    normal_value,
    noun_phrase,
    owner,
    polarity,
    sentence_at,
    sentences,
    stem,
    words,
)

_OPTIONS = re.compile(r"([\w-]+),?\s+or\s+(?:the\s+|an?\s+)?((?:[\w-]+\s+){0,2}[\w-]+)\W*$", re.I)
_SHARED = re.compile(r"([\w-]+)\s+([\w-]+),?\s+or\s+(?:the\s+|an?\s+)?([\w-]+)\s+\2\W*$", re.I)
_LESS = "smaller|less|lower|shorter"  # the other comparatives say more
_MORE = "|".join(w for w in lx.COMPARATIVES if w not in _LESS.split("|"))


def question_options(question: str) -> tuple[str, ...]:
    """The two options a question ends with (the chest or the abdomen?; their own words where
    they share a head: the white matter or the gray matter? white, gray), or ()."""
    shared = _SHARED.search(question)
    options = _OPTIONS.search(question)
    return shared.group(1, 3) if shared else options.groups() if options else ()


def option_concepts(question: str) -> set[str]:
    """The concepts of the terms that end at or follow the last word before 'or' in a question
    ending with two options (high-grade prostatic intraepithelial neoplasia or adenocarcinoma?)."""
    options = _OPTIONS.search(question)
    return {m.concept for m in mentions(question) if options and m.end >= options.end(1)}


def to_options(candidates: list, question: str) -> list:
    """The candidate plants (lists of edits) that write an option the question ends with (the
    chest or the abdomen? the abdomen, never the neck); all where it offers none."""
    options = question_options(question)
    if not options:
        return candidates
    named = _names(" ".join(options))
    concepts = option_concepts(question)  # Crohn disease or ulcerative colitis? not 'colitis'
    kept = []
    for c in candidates:
        written = " ".join(t for *_, t in c) if c else ""
        said = {m.concept for m in mentions(written)}
        if said & concepts if said and concepts else named & _names(written):
            kept.append(c)
    return kept


def _names(text: str) -> set[str]:
    """The stems of text's words and the concepts of its terms (abdominal: abdomen)."""
    return {stem(w) for w in words(text)} | {m.concept for m in mentions(text)}


def options_said(answer: str, reference: str, question: str) -> Verdict | None:
    """The verdict on an answer naming both options a question ends with, denying neither: by
    its comparison where it makes one (bigger, liver or spleen? the liver is larger than the
    spleen: liver; the spleen is smaller than the liver: liver), else unsure (both solid and
    cystic components). None where it does not name both, or denies one (CT, not MRI)."""
    options = question_options(question)
    have = {stem(w) for w in words(answer)}
    named = options and all(stem(w) in have for w in words(" ".join(options)))
    if not named or cues_in(answer, cues.PRE_NEGATIONS):
        return None
    normal = [w for w in options if _called_normal(answer, w)]
    which = re.search(r"\b(ab)?normal\b", question, re.I)
    if which and len(normal) == 1:  # which is abnormal, the heart or the lung? the heart is normal
        chosen = normal[0] if not which.group(1) else next(w for w in options if w not in normal)
        return Verdict(stem(chosen.lower()) in {stem(w) for w in words(reference)}, "called_normal")
    asks = 1 if re.search(rf"\b(?:{_MORE})\b", question, re.I) else 0
    asks -= 1 if re.search(rf"\b(?:{_LESS})\b", question, re.I) else 0
    said = re.search(rf"\b({_MORE}|{_LESS})\b[^.;]*?\bthan\b", answer, re.I)
    if not asks or not said or hedge_spans(answer):
        return Verdict(None, "both_options")
    says = 1 if re.fullmatch(_MORE, said.group(1).lower()) else -1
    before = {stem(w) for w in words(answer[: said.start()])}  # the one compared
    chosen = [w for w in options if (stem(w) in before) == (says == asks)]
    if len(chosen) != 1:
        return Verdict(None, "both_options")
    return Verdict(stem(chosen[0].lower()) in {stem(w) for w in words(reference)}, "compared")


def _called_normal(answer: str, option: str) -> bool:
    """Whether the answer calls option normal wherever it says so of it (the lung is abnormal,
    while the heart appears normal: the heart), and never abnormal."""
    values = []
    for said in re.finditer(rf"\b{re.escape(stem(option.lower()))}\w*", answer, re.I):
        s, e = clause(answer, said.start())
        found = [m for m in mentions(answer) if m.group == "normality" and s <= m.start < e]
        values += [normal_value(answer, m) for m in found]
    return bool(values) and min(values) > 0


_STANDARD = re.compile(
    r"\b(?:than|compared (?:with|to)|relative to|in comparison (?:with|to))\s+(?:the\s+)?"
    r"(?:normal-sized\s+|normal\s+|contralateral\s+)?$",
    re.I,
)


def standard(text: str, m: Mention) -> bool:
    """Whether m is only what something else is compared with (elevated relative to the left)."""
    return bool(_STANDARD.search(text, 0, m.start))


def mirrored(text: str, m: Mention) -> list[tuple[int, int, str]] | None:
    """Edits that turn both sides of side m's comparison (the left hemidiaphragm is elevated
    compared with the right -> the right ... compared with the left); None where its sentence
    compares no left with a right."""
    sides = _left_and_right(text, m)
    if not sides or not standard(text, sides[1]) or standard(text, sides[0]):
        return None
    return _both_turned(text, sides)


def sides_swapped(text: str, m: Mention) -> list[tuple[int, int, str]] | None:
    """Both sides swapped where m's sentence tells one organ of each side apart (the right sinus
    is opacified, while the left sinus is aerated -> the left ..., the right ...)."""
    sides = _left_and_right(text, m)
    organs = {x.start: x.concept for x in mentions(text) if x.group == "organ"}
    told = [organs.get(x.end + 1) for x in sides or ()]
    if not sides or None in told or told[0] != told[1]:
        return None
    return _both_turned(text, sides)


def _left_and_right(text: str, m: Mention) -> list[Mention] | None:
    """The two sides of m's sentence, where they are one left and one right; else None."""
    s, e = sentence_at(text, m.start)
    sides = [x for x in mentions(text) if x.group == "side" and s <= x.start < e]
    return sides if len(sides) == 2 and {x.concept for x in sides} == {"left", "right"} else None


def _both_turned(text: str, sides: list[Mention]) -> list[tuple[int, int, str]]:
    """Edits writing each side as the other, its capital and suffix kept (Left-sided -> Right-)."""
    turned = [(x, lx.OPPOSITE_SIDE[x.concept]) for x in sides]
    cased = [(x, new.capitalize() if text[x.start].isupper() else new) for x, new in turned]
    return [(x.start, x.start + len(x.concept), new) for x, new in cased]


def speaks_of_size(answer: str, m: Mention) -> bool:
    """Whether normality term m speaks of size: normal in size, or the heart size is normal."""
    after = re.match(r"\s+(?:in|for)\s+size\b", answer[m.end :], re.I)
    return bool(after or re.search(r"\bsize\b", answer[clause(answer, m.start)[0] : m.start], re.I))


def part_of_count(answer: str, m: Mention, question: str = "") -> bool:
    """Whether number m counts a part of another count (three nodules, two of which ...) or,
    asked how many, measures (several nodes, the largest 2 cm: no count of two)."""
    part = re.match(r"\s+of\s+which\b", answer[m.end :], re.I)
    measures = UNIT_AFTER.match(answer, m.end) and re.search(_HOW_MANY, question, re.I)
    return m.group == "number" and bool(part or measures)


def counts_another(answer: str, m: Mention, question: str, total: bool = False) -> bool:
    """Whether number m counts a noun the question does not name (How many vessels are in the
    cord? ... two arteries and one vein: no other answer to how many vessels), or, where the
    answer states a total, a place's share of it (three lesions: two in the liver ...)."""
    noun = re.match(r"\s+([a-z]+)", answer[m.end :], re.I)
    asked = {stem(w) for w in words(question)}
    if part_of_count(answer, m, question):  # never another answer to it
        return True
    part = re.match(r"\s+of\s+(?:them|these|those)\b", answer[m.end :], re.I)  # one of them
    place = part or (noun and noun.group(1).lower() in ("in", "on", "within", "at"))
    if m.group == "number" and place:
        return total
    both = answer[m.start : m.end].lower() == "both" and re.search(_HOW_MANY, question, re.I)
    if not (m.group == "number" or both) or not noun or noun.group(1).lower() in STOP:
        return False  # How many lesions? ... in both cerebral hemispheres: no count of lesions
    return stem(noun.group(1).lower())[:5] not in {w[:5] for w in asked}  # nodule, nodules


ONE_LUNG = {"lingula": "left", "middle lobe": "right"}  # a lobe of one lung only


def side_against_lobe(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether an organ of one side only that spans touch stands in a sentence naming only the
    other side (the right lingula; the right middle lobe ... the left heart border is kept)."""
    for m in mentions(text):
        touched = any(a <= m.end and m.start <= b for a, b in spans)
        if not touched or m.concept not in ONE_LUNG:
            continue
        s, e = sentence_at(text, m.start)
        sides = {x.concept for x in mentions(text) if x.group == "side" and s <= x.start < e}
        if sides - {ONE_LUNG[m.concept], "bilateral"}:
            return True
    return False


_SIDES_COMPARED = re.compile(
    r"\b(?:larger|greater|bigger|worse|more\s+(?:prominent|pronounced|extensive|marked))\s+"
    r"(?:on\s+the\s+|in\s+the\s+)?(?:left|right)\b",
    re.I,
)
_BOTH_SIDES = r"\b(?:bilateral(?:ly)?|both|bibasilar)\b"
_NOT_THERE = r"\b(?:no|not|without|absent|resolved)\b"


def sides_compared(before: str, after: str, spans: list[tuple[int, int]]) -> bool:
    """Whether an edit leaves a comparison of two sides (slightly larger on the left) to a finding
    it denied or put on one side: 'there are no pleural effusions, slightly larger on the left';
    'a small right pleural effusion, slightly larger on the left'; or writes a side whose lung
    another sentence calls clear (consolidation in the right lower lobe. The right lung is
    clear.)."""
    for m in mentions(after):
        written = m.concept in ("left", "right") and any(x <= m.start < y for x, y in spans)
        found = [x for x in near(after, m, "finding") if family_of(x.concept) != "device"]
        written = written and bool(found)  # a left chest tube beside a clear left lung stands
        clear = re.search(rf"\b{m.concept}\s+lung\s+{_CLEAR}", after, re.I) if written else None
        if clear and not clear.start() <= m.start < clear.end():
            return True
    for a, _ in spans:
        s, e = sentence_at(after, a) if a < len(after) else (a, a)
        compared = _SIDES_COMPARED.search(after, s, e)
        if not compared or any(x <= compared.end() and compared.start() <= y for x, y in spans):
            continue
        old = before[slice(*sentence_at(before, min(a, len(before) - 1)))]
        lost = re.search(_BOTH_SIDES, old, re.I) and not re.search(_BOTH_SIDES, after[s:e], re.I)
        denied = len(re.findall(_NOT_THERE, after[s:e], re.I)) > len(
            re.findall(_NOT_THERE, old, re.I)
        )
        if lost or denied:
            return True
    return False


_HOW_MANY = r"\bhow\s+many\s+"
_CLEAR = r"(?:is|remains|appears)\s+(?:otherwise\s+)?(?:clear|normal|unremarkable)\b"


def of_something_else(text: str, m: Mention, question: str = "") -> bool:
    """Whether side, size or count m describes a thing the lexicon does not know, beside the
    findings of its clause (with mediastinal shift to the right): no answer of its own, unless
    it counts what the question asks to count (How many germinal centers? Two germinal ...)."""
    found = near(text, m, "finding")
    counted = re.match(r"\s+([a-z]+)", text[m.end :], re.I)
    asked = m.group == "number" and counted and re.search(_HOW_MANY + counted[1], question, re.I)
    return (
        m.group in ("side", "degree", "number")
        and bool(found)
        and owner(text, m) is None
        and (not asked)
    )


_SIDE_BEFORE = re.compile(r"\b(?:right|left)\s+$", re.I)


def lobe_start(text: str, m: Mention, lobe: str) -> int:
    """Where organ m's words start when lobe is written in its place: before the side said
    before m where lobe is of the other lung only (the right middle lobe -> the lingula)."""
    side = _SIDE_BEFORE.search(text, 0, m.start) if lobe in ONE_LUNG else None
    return side.start() if side and side.group().strip().lower() != ONE_LUNG[lobe] else m.start


_OBJECT = re.compile(
    r"\s+(?:show|demonstrate|contain|reveal|display|ha(?:s|ve))s?\s+(?:\w+\s+)?(\w+)"
)


def plural_object(text: str, at: int) -> bool:
    """Whether the verb right after position at (a subject's head) takes a plural object (two
    vertebral bodies show compression deformities): one of the subject would have one."""
    said = _OBJECT.match(text, at)
    return bool(said and re.search(r"[^su]s$", said[1]))


_UNIT = r"(mm|cm|millimet\w*|centimet\w*)\b"
SIZE = rf"(\d+(?:\.\d+)?)\s*{_UNIT}"
UNIT_AFTER = re.compile(rf"\s*-?{_UNIT}", re.I)  # a number that measures: 1.5 cm


def in_units(answer: str, reference: str) -> str:
    """answer with its sizes written in the unit of the reference's size (How large is the
    nodule? 2 cm: 'measures 20 mm' reads 'measures 2 cm'), to be judged as the same value."""
    unit = re.search(SIZE, reference, re.I)
    if not unit:
        return answer
    to_cm = unit.group(2).lower().startswith("c")
    scale = {(True, "m"): 0.1, (False, "c"): 10.0}

    def written(m: re.Match) -> str:
        factor = scale.get((to_cm, m.group(2)[0].lower()), 1.0)
        return f"{float(m.group(1)) * factor:g} {unit.group(2)}" if factor != 1.0 else m.group()

    return re.sub(SIZE, written, answer, flags=re.I)


# A term a size defines (a macroadenoma is 10 mm or more): another size would contradict it.
SIZED = re.compile(r"\b(?:macro|micro)[a-z]{4,}", re.I)
_SPAN = re.compile(r"\d\s*(?:x|×|by|-|–|to)\s*$", re.I)  # 12 x | 8 mm, 10-| 12 mm: one of several


def size_edit(answer: str, reference: str) -> list[tuple[int, int, str]] | None:
    """A reference that is one size (2 cm) and an answer that gives one size, in the same unit,
    with nothing it defines (a microadenoma): its number replaced (measures 12 mm -> 20 mm)."""
    want = re.fullmatch(rf"\s*{SIZE}\s*\.?\s*", reference, re.I)
    found = list(re.finditer(SIZE, answer, re.I))
    if (
        not want
        or len(found) != 1
        or SIZED.search(answer)
        or _SPAN.search(answer[: found[0].start()])
    ):
        return None
    same_unit = found[0].group(2)[0].lower() == want.group(2)[0].lower()
    return [(found[0].start(1), found[0].end(1), want.group(1))] if same_unit else None


_FISSURE = re.compile(r"\b(?:minor|major|horizontal|oblique)\s+fissure", re.I)
# A border a consolidation effaces, and the lobes that touch it (the silhouette sign).
_BORDERS = {
    "hemidiaphragm": ("lower lobe",),
    "heart border": ("middle lobe", "lingula"),
    "cardiac border": ("middle lobe", "lingula"),
    "aortic knob": ("upper lobe",),
}
_EFFACED = re.compile(
    rf"\b(?:silhouett|effac|obscur)\w*\s+(?:of\s+)?the\s+(?:\w+\s+){{0,2}}({'|'.join(_BORDERS)})",
    re.I,
)


def lobe_by_landmark(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether spans of text touch a lung lobe whose sentence places it by a fissure (the right
    middle lobe, just beneath the minor fissure) or by a border no lobe of its own effaces (the
    left upper lobe, silhouetting the left hemidiaphragm): the lobe would not lie there."""
    lobes = [m for m in mentions(text) if m.concept in lx.EXCLUSIVE_PARTS[0]]
    for m in [m for m in lobes if any(a <= m.end and m.start <= b for a, b in spans)]:
        s, e = sentence_at(text, m.start)
        borders = [x.group(1).lower() for x in _EFFACED.finditer(text, s, e)]
        if _FISSURE.search(text, s, e) or any(m.concept not in _BORDERS[x] for x in borders):
            return True
    return False


def in_cm(text: str, m: Mention) -> float | None:
    """The size that number m of text gives, in cm, where a unit follows it (20 mm: 2.0)."""
    unit = UNIT_AFTER.match(text, m.end)
    if not unit or m.group != "number":
        return None
    return float(m.concept) / (10 if unit.group(1)[0].lower() == "m" else 1)


def counted_on_one_side(text: str, m: Mention, phrase: Phrase) -> bool:
    """Whether count m counts an organ its sentence places on one side (one kidney, on the left
    side of the spine): two would stay on the left."""
    end = sentence_at(text, m.start)[1]
    sides = [x for x in mentions(text) if m.end <= x.start < end and x.concept in ("left", "right")]
    others = {x.start - 1 for x in mentions(text) if x.concept != phrase.head.concept}
    sides = [x for x in sides if x.end not in others]  # one renal artery ... the left kidney
    return phrase.head.group == "organ" and bool(sides)


def count_told(text: str, m: Mention) -> bool:
    """Whether count m's sentence says the count in other words: one that says a number
    (a duplex system, a solitary nodule) or lists the places it counts (two leads, in the right
    atrium, the right ventricle and the coronary sinus)."""
    s, e = sentence_at(text, m.start)
    if re.match(SIZE, text[m.start : e]):
        return False  # 50 mm: a size, no count
    if re.search(cues.COUNTING, text[s : m.start] + " " + text[m.end : e], re.I):
        return True
    return bool(re.search(_LISTED, text[m.end : e], re.I))


# Places listed after a count (in the right atrium, the right ventricle and the coronary sinus).
_LISTED = r"\b(?:in|at|into|within|involving|of)\s+[^.;:]+?\s+and\s+(?:the\s+)?\w"


_BETTER = r"\b(?:improv\w*|decreas\w*|resolv\w*|less)\b"
_WORSE = r"\b(?:wors\w*|increas\w*|progress\w*|enlarging|more)\b"
_SAME = (
    r"\b(?:unchanged|stable|persist\w*|similar|no\s+(?:significant\s+)?(?:interval\s+)?change)\b"
)
COURSE_WORDS = rf"{_BETTER}|{_WORSE}|{_SAME}"  # a finding's course since a prior study
_NEW = re.compile(r"\bnew(?:ly)?\s+(?:\S+\s+){0,2}$", re.I)  # new bibasilar opacities
_NEW_AFTER = re.compile(r"^,?\s+(?:which|that)\s+(?:is|are)\s+new\b", re.I)  # X, which is new
_DOMINANT = re.compile(
    r"\b(right|left)\s+(?:greater|more|larger|worse)\s+than\s+(?:the\s+)?(?:left|right)\b", re.I
)
_STAYED = ({"same", "worse"}, {"same", "better"})  # opposed where no course of the two agrees
_OPPOSED = ({"better", "worse"}, {"new", "same"}, {"right", "left"}, *_STAYED)


def courses(text: str) -> set[tuple[str, str]]:
    """(finding, how) for each sentence that says how a finding changed: 'better' or 'worse'
    (interval improvement of pulmonary edema), 'new' or 'same' for one it asserts (new bibasilar
    opacities; the opacities are unchanged), or on which side it is worse (right greater than
    left). The opposite of the reference's is a contradiction the findings alone miss."""
    out = set()
    for s, e in sentences(text):
        said = text[s:e]
        dominant = {x.group(1).lower() for x in _DOMINANT.finditer(said)}
        dominant = dominant if len(dominant) == 1 else set()  # one side worse, not two findings'
        for m in mentions(text):
            if not s <= m.start < e or m.group != "finding":
                continue
            part = _own_part(text, m)  # X is stable, and Y has improved: X's course is its own
            same = re.search(_SAME, part, re.I)
            moved = _better_worse(part)
            told = moved or (set() if same else _better_worse(said))
            out |= {(m.concept, x) for x in told | dominant}
            new = _NEW.search(text, s, m.start) or _NEW_AFTER.search(text[m.end : e])
            if polarity(text, m) > 0 and new:
                out.add((m.concept, "new"))
            elif polarity(text, m) > 0 and same and not moved:
                out.add((m.concept, "same"))
    return out


def _better_worse(text: str) -> set[str]:
    """{'better'} or {'worse'} where text says one of them alone, else nothing."""
    better, worse = (bool(re.search(x, text, re.I)) for x in (_BETTER, _WORSE))
    return {"better"} if better and not worse else ({"worse"} if worse and not better else set())


def course_opposed(text: str) -> bool:
    """Whether text says two findings of one family went opposite ways since the prior study
    (the consolidation has increased; IMPRESSION: Improving pneumonia): a report saying both."""
    said = courses(text)
    return any(
        {how, other} == {"better", "worse"} and f != g and family_of(f) == family_of(g) is not None
        for f, how in said
        for g, other in said
    )


def _own_part(text: str, m: Mention) -> str:
    """m's clause without what 'with' or 'without' joins to it, or what it is joined to (stable
    effusions with mild edema: the edema is not said to be stable)."""
    s, e = clause(text, m.start)
    joins = [x.start() for x in re.finditer(r"\bwith(?:out)?\b", text[s:e], re.I)]
    start = max((s + j for j in joins if s + j < m.start), default=s)
    return text[start : min((s + j for j in joins if s + j > m.start), default=e)]


BETTER_WORSE = ({"better", "worse"},)  # the opposed courses a report can be corrected in


def turned_findings(answer: str, reference: str, opposed: tuple = _OPPOSED) -> set[str]:
    """The findings the answer says changed the opposite way from the reference (new where it is
    unchanged; improved where it is worse; right greater than left where left is)."""
    said, says = courses(reference), courses(answer)
    agree = {f for f, how in says if (f, how) in said}  # stable, improved: one of them agrees
    return {
        f
        for f, how in says
        for g, other in said
        if f == g and {how, other} in opposed and ({how, other} not in _STAYED or f not in agree)
    }


# A course word and its opposite, for a report that says a finding went the other way (a noun
# 'worsening of' turns to 'improvement of').
_TURNED = {"worsened": "improved", "improved": "worsened", "worsening": "improving",
           "improving": "worsening", "worsening of": "improvement", "improvement": "worsening",
           "progressive": "improving", "progressed": "improved", "progression": "improvement",
           "increased": "decreased", "decreased": "increased", "increasing": "decreasing",
           "decreasing": "increasing", "increase": "decrease", "decrease": "increase",
           "enlarging": "decreasing", "more": "less", "less": "more",
           "worse": "improved"}  # fmt: skip


def course_edits(answer: str, turned: set[str]) -> list[tuple[int, int, str]] | None:
    """Edits turning each better or worse word of the answer's sentences about a finding of
    turned, which the reference says went the other way (have worsened, progressive -> have
    improved, improving); None where one has no opposite here (resolved), such a sentence
    grades it or says more of a course than one finding's (now severe; with slightly smaller
    effusions), or another sentence keeps the old course (the opacities have worsened)."""
    edits, kept = [], ""
    for s, e in sentences(answer):
        said = [m for m in mentions(answer) if s <= m.start < e]
        if any(m.concept in turned for m in said):
            turns = _course_turned(answer, s, e, said, turned)
            if turns is None:
                return None
            edits += turns
        else:
            kept += answer[s:e]
    olds = {_BETTER if re.fullmatch(_BETTER, answer[a:b], re.I) else _WORSE for a, b, _ in edits}
    if any(re.search(old, kept, re.I) for old in olds):
        return None  # the opacities have worsened ... IMPRESSION: Improving disease
    return edits or None


def _course_turned(text: str, s: int, e: int, said: list[Mention], turned: set[str]) -> list | None:
    """The edits turning the course words of sentence text[s:e], or None where it grades a
    turned finding, says 'now' or 'new', or has several course words beside another finding."""
    own = [w for m in said if m.concept in turned for w in noun_phrase(text, m).modifiers]
    graded = any(w.kind == "degree" for w in own)  # moderate edema has worsened
    others = [m for m in said if m.group == "finding" and m.concept not in turned]
    found = list(re.finditer(rf"{_BETTER}|{_WORSE}", text[s:e], re.I))
    if graded or (others and len(found) > 1) or re.search(_NOW, text[s:e], re.I):
        return None  # moderate edema, now severe; with slightly smaller effusions
    edits = []
    for w in found:
        noun = re.match(r"\s+of\b", text[s + w.end() :])  # worsening of -> improvement of
        word = w.group().lower()
        new = _TURNED.get(word + " of" * bool(noun), _TURNED.get(word))
        if new is None:
            return None
        edits.append(
            (s + w.start(), s + w.end(), new.capitalize() if w.group()[0].isupper() else new)
        )
    return edits


_NOW = r"\b(?:now|new|newly|slight\w*)\b"


def read_mentions(text: str, image: bool = False, moved: bool = False) -> list[Mention]:
    """text's mentions, less the sides a thing moves towards (deviated to the right) unless the
    question asks where it moved (moved), and the image's sides where it names the patient's too
    (the patient's left side, which appears on the right side of the image: left), or the
    patient's where the question asks the image's side (image)."""
    every = mentions(text)
    framed = [
        m for m in every if m.group == "side" and re.match(lx.IMAGE_SIDE, text[m.end :], re.I)
    ]
    sides = [m for m in every if m.group == "side" and m not in framed]
    away = [] if moved else towards(text)
    every = [m for m in every if m not in away]  # displacing the trachea to the right: no place
    return [m for m in every if not (sides and framed and m in (sides if image else framed))]


def towards(text: str) -> list[Mention]:
    """The sides of text that a thing moves towards (deviating the trachea to the right)."""
    sides = [m for m in mentions(text) if m.group == "side"]
    return [
        m for m in sides if re.search(_TOWARD, text[: m.start], re.I) and _ALONE.match(text, m.end)
    ]


_TOWARD = r"\b(?:to|toward|towards)\s+the\s+$"
MOVED = r"\b(?:shift\w*|deviat\w*|displac\w*|direction|which\s+way)\b"  # Which way is it shifted?
_ALONE = re.compile(r"(?:\s+side)?(?!\s*[\w-])", re.I)  # to the right, not to the right lung


_EACH = re.compile(r"\b(each|per|every)\b(?!\s+(?:\w+ed|\w+ing|with|of)\b)", re.I)


def distributive(text: str, m: Mention) -> bool:
    """Whether count m is one of each (one nodule in each lung, two per kidney; not the two of
    Two kidneys, one on each side, nor of two nodules, each measuring 5 mm)."""
    end = clause(text, m.start)[1]
    each = _EACH.search(text, m.end)  # its lookahead reads past the clause: each with
    each = each if each and each.start() < end else None
    counts = [x.start for x in mentions(text) if x.group == "number" and m.end <= x.start < end]
    return m.group == "number" and bool(each) and all(c >= each.start() for c in counts)
