"""What kind and age of a finding a phrase says, where the lexicon names one finding for all of
them: a subdural or an epidural hematoma, an acute or a chronic infarct, caseous or fibrinoid
necrosis. The judge reads another kind or age as another finding; and what holds where one
finding or bone takes another's place. Imports lexicon.py, claims.py and conflicts.py.
"""

from __future__ import annotations

import re

import lexicon as lx
from claims import (
    Mention,
    Word,
    covers,
    hedged,
    mentions,
    noun_phrase,
    polarity,
    sentence_at,
    stem,
    words,
)
from comparisons import SIZE
from conflicts import tells

ASKS_KIND = re.compile(r"\b(?:type|kind|sort|form|subtype|variety|pattern)s?\b", re.I)
_AGES = {"acute": "acute", "subacute": "subacute", "healing": "subacute", "chronic": "chronic",
         "old": "chronic", "healed": "chronic", "remote": "chronic"}  # fmt: skip


def kinds_of(text: str, m: Mention) -> tuple[set[str], set[str]]:
    """(the stems of the words of m's phrase that say what kind of finding it is, the lexicon
    not knowing them: subdural, simple, complex, anterior, middle; its age: acute, or chronic
    for old and healed)."""
    said = [(w.kind, one_kind(text[w.start : w.end])) for w in noun_phrase(text, m).modifiers]
    listed = lx.PLANT_KINDS.get(m.concept, ())  # hyperplastic: a finding's word, here a kind
    said += [("word", one_kind(w)) for w in words(text[m.start : m.end]) if one_kind(w) in listed]
    said += [("word", w[:5].lower()) for w in words(text[m.start : m.end]) if _prefixed(w, m)]
    kinds = {
        stem(w)
        for k, w in said
        if k in ("word", "describing", "position") or w in lx.OPPOSED or w.lower() in listed
    }
    return kinds - {stem(w) for w in _AGES}, {_AGES[w] for _, w in said if w in _AGES}


def _prefixed(word: str, m: Mention) -> bool:
    """Whether word is m's own term with micro- or macro- before it (microcalcifications: a
    kind of calcification, as rim or popcorn ones are)."""
    low = word.lower()
    return low.startswith(("micro", "macro")) and low[5:10] == m.concept[:5]


def age_words(text: str, m: Mention) -> str:
    """The words of m's phrase that say its age, as written (old healed), or ''."""
    said = [text[w.start : w.end] for w in noun_phrase(text, m).modifiers]
    return " ".join(w for w in said if w.lower() in _AGES)


def other_age_denied(text: str, question: str, stances: list) -> list:
    """stances without the denial of one age of a finding text asserts at another (healing rib
    fractures, but no acute fracture: a yes to rib fractures), unless the question asks an age."""
    ages = {m.concept: kinds_of(text, m)[1] for m, v in stances if v > 0}
    asked = {_AGES[w] for w in words(question.lower()) if w in _AGES}
    return [
        (m, v)
        for m, v in stances
        if v > 0
        or asked
        or not ages.get(m.concept)
        or not (age := kinds_of(text, m)[1])
        or age & ages[m.concept]
    ]


def other_kind(answer: str, m: Mention, reference: str, r: Mention, question: str = "") -> bool:
    """Whether the answer's m names another age of the reference's finding r (a chronic infarct
    for an acute one) or, where the question asks for a kind (what type of hemorrhage?),
    another kind: both phrases say one and they share none (subarachnoid for subdural)."""
    if m.group != "finding" or polarity(answer, m) < 0:
        return False
    asks_kind = ASKS_KIND.search(question)
    (have, want), (age, wanted_age) = zip(kinds_of(answer, m), kinds_of(reference, r), strict=True)
    if age and wanted_age and not age & wanted_age:
        return True
    if not (have and want) or have & want:
        return False
    return bool(asks_kind) or any(_siblings(a, b) for a in have for b in want)


def other_kinds(answer: str, same: list[Mention], reference: str, r: Mention, q: str) -> bool:
    """Whether each mention of same that says a kind or age says another than the reference's
    r, and one does (liquefactive necrosis, with the necrotic tissue ...: caseous asked)."""
    kinded = [m for m in same if any(kinds_of(answer, m))]
    return bool(kinded) and all(other_kind(answer, m, reference, r, q) for m in kinded)


def kind_edit(answer: str, m: Mention, reference: str, r: Mention) -> list | None:
    """The edit that writes the reference's kind in place of the answer's where both name one of
    lexicon.PLANT_KINDS (extensive caseous necrosis -> extensive fibrinoid necrosis), else None."""
    have, want = (_listed(text, x) for text, x in ((answer, m), (reference, r)))
    if len(have) != 1 or len(want) != 1 or m.concept != r.concept:
        return None
    (a, b), (c, d) = have[0], want[0]
    s, e = sentence_at(answer, m.start)
    if re.search(rf"\b(?:{'|'.join(lx.KIND_SHAPES)})\b", answer[s:e], re.I):
        return None  # a biconvex epidural hematoma: its shape goes with the old kind
    lead = re.search(r"\b(?:internal|external)\s+$", reference[:c], re.I)  # internal jugular
    c = lead.start() if lead and not re.search(r"\b(?:internal|external)\s+$", answer[:a]) else c
    new = reference[c:d].lower()
    new = new + "ly" if answer[a:b].endswith("ly") and not new.endswith("ly") else new
    new = new.removesuffix("ly") if not answer[a:b].endswith("ly") else new  # anteriorly dislocated
    old = re.escape(answer[a:b].lower().removesuffix("ly"))
    if re.search(rf"\b{old}ly\b", answer[:a] + answer[b:], re.I):
        return None  # dislocated posteriorly ... Posterior dislocation: 'posteriorly' would stay
    if re.search(rf"\b{old}\b", answer[b:e], re.I):
        return None  # an obturator hernia through the obturator canal: the canal tells the old
    return [(a, b, new.capitalize() if answer[a].isupper() else new)]


def kind_said_again(text: str, m: Mention) -> bool:
    """Whether a word naming finding m's kind comes again later in its sentence (an obturator
    hernia passing through the obturator canal): the kind changed alone, it would tell the old."""
    e = sentence_at(text, m.start)[1]
    return any(re.search(rf"\b{re.escape(k)}", text[m.end : e], re.I) for k in kinds_of(text, m)[0])


_SIZED = re.compile(rf"\b(?:small|large|tiny|big)\b|\b{SIZE}", re.I)  # 10 mm, 1 cm


def sized_kind(text: str, m: Mention) -> bool:
    """Whether m names a kind told by a size (lexicon.SIZE_KINDS) in a sentence that gives one:
    a small adenoma under 10 mm, a microadenoma; the size would stay with another kind."""
    s, e = sentence_at(text, m.start)
    named = {one_kind(w) for w in words(text[m.start : m.end])} & set(lx.SIZE_KINDS)
    return bool(named) and bool(_SIZED.search(text, s, e))


def _listed(text: str, m: Mention) -> list[tuple[int, int]]:
    """The spans of the words of m's phrase that name one of its kinds in lexicon.PLANT_KINDS."""
    kinds = {one_kind(k) for k in lx.PLANT_KINDS.get(m.concept, ())}
    spans = [(w.start, w.end) for w in noun_phrase(text, m).modifiers]
    return [(a, b) for a, b in spans if one_kind(text[a:b]) in kinds]


def listed_kinds(text: str, m: Mention) -> set[str]:
    """The kinds of lexicon.PLANT_KINDS that m's phrase names, in one form (a single-lead
    pacemaker: single-chamber)."""
    return {one_kind(text[a:b]) for a, b in _listed(text, m)}


def unshared_kind(answer: str, m: Mention, reference: str, r: Mention, question: str) -> bool:
    """Whether the answer's finding m and the reference's r each say what kind they are with a
    describing word (caseous, fibrinoid; not a place: vertebral), or the reference's longer term
    a kind before the answer's (clear cell renal cell carcinoma, papillary renal cell carcinoma),
    and share none; or the question asks the kind and the answer never says the reference's
    (What pattern of metastases? Cannonball: 'Miliary metastases'); or another segment of the
    reference's vessel (_other_segment): maybe another kind, which the judge cannot call right."""
    if _other_segment(answer, m, reference, r):
        return True  # the proximal superior vena cava, for the cavoatrial junction
    if m.group != "finding" or polarity(answer, m) < 0:
        return False
    written = words(answer.lower())
    said = kinds_of(answer, m)[0] | {stem(one_kind(w)) for w in written}
    starts = {p[:6] for w in written for p in w.split("-")}  # coagulative-type, liquefaction
    told = {k for k in kinds_of(reference, r)[0] if k not in said and k[:6] not in starts}
    if ASKS_KIND.search(question) and told:
        return True
    named = kinds_of(answer, m)[0]  # a Bankart lesion, for a SLAP lesion: another one named
    if r.concept in _NAMED_KINDS and m.concept == r.concept and named and told:
        return True
    have, want = _describing(answer, m), _describing(reference, r)
    longer = _longer(answer, m, reference, r) - said  # not 'adult', said in '(adult)' too
    if longer:  # papillary for clear cell renal cell carcinoma
        have |= {
            stem(answer[w.start : w.end].lower()) for w in noun_phrase(answer, m).kinds("word")
        }
        want |= longer
    return bool(have and want and not have & want)


_NAMED_KINDS = (
    *lx.GENERIC,
    "cyst",
    "bronchiectasis",
    "calcification",
)  # findings of many named kinds: a SLAP lesion, a dentigerous cyst, traction bronchiectasis


def _longer(answer: str, m: Mention, reference: str, r: Mention) -> set[str]:
    """The words the reference's term says before the answer's shorter form of it (clear cell
    renal cell carcinoma, renal cell carcinoma: clear, cell): a kind the lexicon reads as one;
    not an organ's word (pulmonary edema, edema: a place, no kind)."""
    said, says = reference[r.start : r.end].lower(), answer[m.start : m.end].lower()
    if said == says or not said.endswith(" " + says):
        return set()
    return {stem(one_kind(w)) for w in words(said[: -len(says)]) if w not in _ORGAN_WORDS}


_ORGAN_WORDS = {f for forms, *_ in lx.ORGANS.values() for f in forms}  # pulmonary edema: a place


def _describing(text: str, m: Mention) -> set[str]:
    """The describing words of m's phrase (caseous necrosis: caseous)."""
    return {stem(one_kind(text[w.start : w.end])) for w in noun_phrase(text, m).kinds("describing")}


def one_kind(word: str) -> str:
    """A kind's word in the one form the kinds are compared in (caseating -> caseous;
    coagulative-type -> coagulative)."""
    said = re.sub(r"-(?:type|like|pattern)$", "", word.lower())
    return lx.KIND_SYNONYMS.get(said, said)


def _siblings(a: str, b: str) -> bool:
    """Whether two words name kinds of one thing that exclude each other: listed opposites or
    kinds (lexicon.PLANT_KINDS), or words of one ending (subdural, epidural; calcified,
    noncalcified)."""
    opposite = any({a, b} == set(pair) for pair in lx.OPPOSITE_KINDS)
    listed = any({a, b} <= kinds for kinds in _KINDS)  # caseous, coagulative necrosis
    return opposite or listed or (len(a) > 5 and len(b) > 5 and a[-5:] == b[-5:])


_KINDS = [{stem(one_kind(k)) for k in kinds} for kinds in lx.PLANT_KINDS.values()]
# Every word of lexicon.PLANT_KINDS (caseous, fibrinoid, subdural, ...), as written.
KIND_WORDS = {k for kinds in lx.PLANT_KINDS.values() for k in kinds}


def part_named(text: str, m: Mention) -> tuple[int, int] | None:
    """The span of the word naming which part of organ m the text means, of lexicon.PARTS_OF
    (the tail of the pancreas; the pancreatic head)."""
    parts = "|".join(lx.PARTS_OF.get(m.concept, ()))
    if not parts:
        return None
    before = re.search(rf"\b({parts})\s+of\s+(?:the\s+)?$", text[: m.start], re.I)
    after = re.match(rf"\s+({parts})\b", text[m.end :], re.I)
    if before:
        return before.span(1)
    return (m.end + after.start(1), m.end + after.end(1)) if after else None


def other_part(answer: str, m: Mention, reference: str, r: Mention) -> bool:
    """Whether the answer's organ m names another part of the reference's r: both phrases give
    a position and share none (the posterior for the anterior mediastinum; the left anterior for
    the left middle cerebral artery), or each names a part of lexicon.PARTS_OF and not the same
    (the tail for the head of the pancreas)."""
    if m.group not in ("organ", "region") or m.concept != r.concept:
        return False
    have, want = part_named(answer, m), part_named(reference, r)
    if have and want:
        return answer[slice(*have)].lower() != reference[slice(*want)].lower()
    have, want = (
        {text[w.start : w.end].lower() for w in noun_phrase(text, x).kinds("position")}
        for text, x in ((answer, m), (reference, r))
    )
    return bool(have and want and not have & want)


# What still holds where one finding or bone takes another's place: a tumour's grade, a
# collection's size, a part of a bone of the same kind.


_SEGMENT = re.compile(
    r"\b(?:proximal|upper|mid|middle|high)(?:-|\s+)(?:(?:portion|part|segment|third)\s+of\s+"
    r"the\s+)?$",
    re.I,
)


def _other_segment(answer: str, m: Mention, reference: str, r: Mention) -> bool:
    """Whether the reference places something at the junction that ends r's vessel (the
    cavoatrial junction) and the answer at another segment of it (the proximal superior vena
    cava): maybe another place, which the judge cannot call right."""
    junction = "junction" in reference[r.start : r.end].lower()
    said = "junction" in answer[m.start : m.end].lower()
    return junction and not said and _SEGMENT.search(answer[: m.start]) is not None


def graded(word: str, r: Mention, m: Mention) -> bool:
    """Whether word grades or stages a tumour (well-differentiated, invasive) where one tumour
    takes another's place: it holds for the new one as it did for the old."""
    tumours = covers("tumor", r.concept) and covers("tumor", m.concept)
    return tumours and bool(re.fullmatch(lx.TUMOUR_GRADES, word, re.I))


_COLLECTIONS = {"pleural effusion", "pneumothorax", "pericardial effusion", "ascites"}


def sized(text: str, w: Word, r: Mention, m: Mention) -> bool:
    """Whether size w of a collection m (of fluid or air) holds for collection r: what follows m
    in its sentence tells r (a large effusion, with a visible visceral pleural line: a large
    pneumothorax was seen; a moderate pleural effusion surrounding the heart)."""
    collections = {r.concept, m.concept} <= _COLLECTIONS
    after = text[m.end : sentence_at(text, m.start)[1]]
    return w.kind == "degree" and collections and bool(tells(after, {r.concept}))


def same_kind(old: str, new: str) -> bool:
    """Whether bones old and new are of one kind, their parts alike (the fourth and fifth
    metatarsals; L4 and L5)."""
    if old not in lx.BONES or new not in lx.BONES:
        return False
    parent = lx.BONES[old][3]
    alike = old.split()[-1:] == new.split()[-1:]  # fourth and fifth metatarsal
    return (parent is not None and parent == lx.BONES[new][3]) or alike


def generic_only(answer: str, r: Mention, other: list[Mention]) -> bool:
    """Whether the answer asserts a generic term of r's (a lesion, for a mass) and nothing else
    of r's group but hedged conclusions (concerning for carcinoma): maybe r, not said."""
    generic = [
        m
        for m in mentions(answer)
        if m.group == r.group and m.concept != r.concept and covers(m.concept, r.concept)
    ]
    sure = [m for m in generic if polarity(answer, m) > 0 and not hedged(answer, m)]
    return bool(sure) and all(hedged(answer, m) for m in other)
