"""Short answers to a question: what a yes/no (closed) or open question asks, and the judge.

A closed question is judged by the answer's yes/no and every statement it makes about what the
question asks (its predicate: Is this lesion | malignant?, Does the mass | cross the midline?; a
phrase the lexicon lacks, Are there mitotic figures?, read from the words the answer repeats); a
hedge is unsure. An open question is judged by the reference's concepts: each stated, none denied
or contradicted by another value of its group (CT for MRI, left for right) or another kind or age
of it (a subarachnoid for a subdural hemorrhage, a chronic for an acute infarct), two options
unsure. Corrections are corrections.py's, planted errors plants.py's. Imports lexicon.py, claims.py,
comparisons.py and kinds.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import conflicts
import cues
import imaging as im
import lexicon as lx
from anatomy import JOINT_BONES
from claims import (
    GROUP,
    STOP,
    Mention,
    Verdict,
    alternatives,
    concept_of,
    covers,
    family_of,
    hedge_spans,
    hedged,
    lead_answer,
    mentions,
    near,
    normal_value,
    noun_phrase,
    organ_of,
    polarity,
    sentences,
    stem,
    without_lead,
    words,
)
from comparisons import (
    MOVED,
    counts_another,
    distributive,
    in_units,
    of_something_else,
    option_concepts,
    options_said,
    part_of_count,
    read_mentions,
    speaks_of_size,
    standard,
)
from conflicts import answer_hedged, behaviour_word, landmark_normal, named_other, told_as_evidence
from kinds import generic_only, other_age_denied, other_kind, other_kinds, other_part, unshared_kind
from phrases import said_form
from sides import both_sides, denied_elsewhere, image_side_only, listed_with, sides_said
from unlisted import (
    absence_blind,
    judge_words,
    numeral_read,
    phrase_in,
    prefix_denials,
    shared_phrase,
    spelled_out,
    unplaced,
)

EXCLUSIVE = lx.EXCLUSIVE


def is_yes_no(reference: str) -> bool:
    """Whether the reference answers yes or no."""
    return bool(lead_answer(reference)) or reference.strip().lower().rstrip(".!") in ("yes", "no")


def wanted(reference: str) -> int:
    return lead_answer(reference) or (1 if reference.strip().lower().startswith("yes") else -1)


def is_report(reference: str, question: str) -> bool:
    asks = re.search(r"\breport|\bfindings\b", question, re.I)
    return len(sentences(reference)) > 1 or asks is not None


@dataclass
class Asked:
    """What a closed question asks: its concepts (or, where the lexicon has none, a phrase of
    it the answer repeats), and the organs and sides it is about."""

    concepts: list[str]
    organs: set[str] = field(default_factory=set)
    sides: set[str] = field(default_factory=set)
    phrase: tuple[str, ...] = ()
    named: tuple[Mention, ...] = ()  # the question's mentions of the asked findings
    question: str = ""  # the question they are in
    predicate: bool = False  # the phrase is the predicate of 'Is the <subject> <predicate>?'


_COPULAR = re.compile(r"\s*(?:is|are|was|were|(does|do|did))\s+(?:th(?:e|is|ese|at|ose))\s+", re.I)
_SUBJECT = ("organ", "region", "finding", "modality")
_VERB = re.compile(rf"\s*\b(?:{'|'.join(cues.VERBS)})(?:s|ing)?\b", re.I)  # showing, invades
_INVADES = r"\b(?:invad|invasi|infiltrat)\w*"  # what a tumour reaches: said, or not judged
_DEPTH = r"|\b(?:confined|limited|through|beyond|above|into|within|intact|breach\w*|penetrat\w*|"
_DEPTH += r"exten\w*|spar\w*|reach\w*|involv\w*|normal|preserved)\b"
_NO_SUBJECT = {"a", "an", "any", "some", "there"}  # the urothelial carcinoma: a subject's words


def _predicate(question: str) -> int | None:
    """Where the predicate of a question 'Is the <subject> <predicate>?' starts: after the terms
    that name its subject, ending with one organ, region, finding or modality (Is the liver |
    enlarged? Is this lesion | malignant? Is the right lung | normal?); None otherwise."""
    start = _COPULAR.match(question)
    pos = start.end() if start else None
    verb = _VERB.search(question, pos) if start and start.group(1) else None
    if verb and not any(pos <= m.start < verb.start() < m.end for m in mentions(question)):
        return verb.start()  # Do the malignant glands | extend into the muscularis propria?
    later = [m for m in mentions(question) if pos is not None and m.start >= pos]
    for m, after in zip(later, [*later[1:], None], strict=False):
        if set(words(question[pos : m.start])) & _NO_SUBJECT:
            return None  # Is this a CT image?: no subject term
        pos = m.end
        noun = after and not question[after.start : after.end].endswith(lx.DESCRIBING_ENDINGS)
        joined = noun and after.group in _SUBJECT and not question[pos : after.start].strip()
        if m.group in _SUBJECT and not (joined and m.group in ("organ", "region")):  # renal tumour
            return pos
    return None


def _terms(text: str, every: list[Mention]) -> list[str]:
    """The concepts of the first group that every names: findings, else normality, else another
    term (a side, a modality), else an organ or region; a behaviour said of a lesion in general
    (Is this a malignant tumor? asks malignant: a tumor is granted)."""
    generic = [
        m for m in every if m.group == "finding" and m.concept in ("lesion", "mass", "tumor")
    ]
    said = [b for b in every if b.group == "behaviour" and any(
        re.fullmatch(r"\s+", text[b.end : m.start]) for m in generic)]  # fmt: skip
    if said and len(generic) == len([m for m in every if m.group == "finding"]):
        return [b.concept for b in said]
    for groups in (("finding",), ("normality",), EXCLUSIVE, ("organ", "region")):
        asked = [concept_of(text, m) for m in every if m.group in groups]
        if asked:
            return asked
    return []


def _scope(every: list[Mention], asked: list[str], phrase: tuple[str, ...] = ()) -> Asked:
    """Asked for concepts (or a phrase), about the organs and sides every names besides."""
    organs = {m.concept for m in every if m.group == "organ"}
    sides = {m.concept for m in every if m.group == "side"}
    return Asked(asked, organs - set(asked), sides - set(asked), phrase)


_THERE = re.compile(  # the noun phrase asked about, up to its first preposition
    r"\s*(?:is|are|was|were)\s+there\s+(?:an?\s+|any\s+|evidence\s+of\s+(?:an?\s+)?)?"
    r"(?!evidence|signs?\b)((?:(?!(?:of|in|into|on|at|within|from|to|with|along|around|"
    r"through|beyond|across)\b)[\w-]+\s*)+)",
    re.I,
)
_PRESENT = re.compile(  # Is carcinoma in situ present in the urothelium? asks what is present
    r"\s*(?:is|are)\s+(?:an?\s+|any\s+)?((?:[\w-]+\s+)+?)(?=(?:present|seen|identified)\s+in\b)",
    re.I,
)


def asked_about(reference: str, question: str, answer: str = "") -> Asked:
    """The concepts a yes/no question asks about: those of its predicate if it has one (Is this
    lesion malignant? asks malignant, not lesion), else of all of it (_terms); where it names
    none, or none in what 'is there' asks (invasion, into the stalk of the polyp), the phrase of
    it the answer repeats (Are there mitotic figures?), and a finding asked as increased or
    decreased by that word ('not increased' says no). Without a question, the reference's own
    claim ('No, the image is abnormal.' answers 'Is it normal?')."""
    every = [m for m in mentions(question) if not _subject(question, m)]
    every, cut = [m for m in every if not standard(question, m)], _predicate(question)  # than
    setting = [m for m in every if m.group == "modality" and _ON_THIS.search(question[: m.start])]
    every = [m for m in every if m not in setting] if len(setting) < len(every) else every
    amount = _AMOUNT.search(question)  # Are intraepithelial eosinophils increased?
    found = amount and any(m.group == "finding" and m.end <= amount.start() for m in every)
    if found and answer and phrase_in(answer, (stem(amount.group(1)),)):
        return replace(_scope(every, [], (stem(amount.group(1)),)), predicate=True)
    head = _THERE.match(question) or _PRESENT.match(question)  # not the stalk's invasion
    if head and answer and not any(head.start(1) <= m.start < head.end(1) for m in every):
        phrase = shared_phrase(question[head.start(1) : head.end(1)], answer)
        if phrase:
            return _scope(every, [], phrase)
        said = re.search(rf"\b{words(head.group(1))[0][:4]}", answer, re.I)  # invasion, invades
        if lead_answer(answer) and not said:
            return _scope(every, [])  # No, ... above an intact membrane: its yes/no alone answers
    inside = [m for m in every if head and head.start(1) <= m.start < head.end(1)]
    inside = [m for m in inside if m.group == "finding"]  # tracheal deviation: not the trachea
    for start in [cut] * (cut is not None) + [0]:
        pool = inside or [m for m in every if m.start >= start]  # not within the granulomas
        asked = _terms(question, pool)
        if asked:
            named = tuple(m for m in pool if m.group == "finding")
            return replace(_scope(every, asked), named=named, question=question)
        predicate = _copular_phrase(question, answer) if answer and not start else ()
        if predicate:
            return replace(_scope(every, [], predicate), predicate=True)
        phrase = shared_phrase(question[start:], answer) if answer else ()
        last = words(question)[-1:]  # Is the mucosa ulcerated?: 'mucosa' is no predicate
        phrase = (
            () if _COPULAR.match(question) and phrase[-1:] != tuple(map(stem, last)) else phrase
        )
        phrase = phrase or (said_form(question[start:], answer) if answer and start else ())
        if phrase and not _RELATED.search(question):  # does the cyst communicate with the duct?
            return _scope(every, [], phrase)  # asks the relation, not whether there is a duct
    body = without_lead(reference)
    asked = _terms(body, list(mentions(body)))
    if asked == ["abnormal"]:
        said = stances_of(reference, Asked(asked))[0][1]
        asked = ["normal"] if said != lead_answer(reference) else asked
    return _scope(list(mentions(body)), asked)


_AMOUNT = re.compile(cues.AMOUNT_ASKED, re.I)
_RELATED = re.compile(
    r"\b(?:communicat|connect|drain|join|attach|abut)\w*\s+(?:with|to|into)\b", re.I
)
_ON_THIS = re.compile(r"\b(?:on|in)\s+(?:this|the|these)\s+$", re.I)  # distended on this CT?


def _subject(question: str, m: Mention) -> bool:
    """Whether normality m only describes the subject a question asks something of (Is the
    normal nodal architecture effaced?: effaced is asked, not normal), or m names what the
    question is asked after (Is there pneumomediastinum after the esophageal dilation?)."""
    if _AFTER.search(question[: m.start]) and re.fullmatch(r"[\s\w-]*\?\s*", question[m.end :]):
        return True
    after = re.match(r"\s+[\w-]+(?:\s+[\w-]+)?\s+[\w-]+\s*\?", question[m.end :])
    the = re.search(r"\bthe\s+$", question[: m.start], re.I)
    return m.group == "normality" and bool(the) and bool(after)


_AFTER = re.compile(
    r"\s(?:after|following)\s+(?:(?:the|a|an|his|her)\s+)?(?:[\w-]+\s+){0,2}$", re.I
)


_SAID_AS = re.compile(r"\b(?:is|are|was|were|appears?|looks?|seems?)\s+(?:not\s+)?$", re.I)


def _copular_phrase(question: str, answer: str) -> tuple[str, ...]:
    """What 'Is the <subject> <predicate>?' asks where the lexicon names neither: its predicate,
    the longest run of its last words the answer says after a copula (Is the mucosa ulcerated?
    -> ulcerated, in 'the mucosa is not ulcerated'); () where the answer says none so."""
    start = _COPULAR.match(question)
    asked = [stem(w) for w in words(question[start.end() :])] if start else []
    for k in range(len(asked) - 1, 0, -1):  # the subject keeps one word at least
        tail = tuple(asked[-k:])
        said = phrase_in(answer, tail)
        verb = start.group(1) and not tail[0].endswith("ed")  # Does the mass cross the midline?
        if tail[0] not in STOP and said and (verb or _SAID_AS.search(answer[: said.start])):
            return tail
    return ()


def _in_scope(text: str, m: Mention, asked: Asked) -> bool:
    """Whether m's clause is about the asked organs and side, and m not another (no other X)."""
    if named_other(text, m.start):
        return False
    organs = {x.concept for x in [m, *near(text, m)] if x.group == "organ"}
    organs = organs or ({organ_of(m.concept)} - {None} if m.group == "finding" else set())
    sides = {x.concept for x in near(text, m, "side")}
    inside = any(covers(o, x) or x in JOINT_BONES.get(o, ()) for o in asked.organs for x in organs)
    inside = inside or all(any(covers(x, o) for o in asked.organs) for x in organs)  # the spine
    if asked.organs and organs and not inside:
        return False  # the elbow: its radius and ulna too
    return not (asked.sides and sides and not sides & (asked.sides | {"bilateral"}))


def stances_of(answer: str, asked: Asked) -> list[tuple[Mention, int]]:
    """(mention, +1 yes / -1 no) for each statement of the answer about the asked concepts. For
    'normal' a positive finding says no, a denied one yes; a normal statement denies a finding
    of its organ (the tissue is viable); another value of an exclusive term (CT for MRI) says no."""
    out = []
    said = phrase_in(answer, asked.phrase) if asked.phrase else None
    if said is not None and _in_scope(answer, said, asked):
        out.append((said, polarity(answer, said)))
    read = read_mentions(answer, bool(re.search(lx.IMAGE_SIDE, asked.question, re.I)))
    sides = [m for m in read if m.concept in ("left", "right")]
    joined = {m.start for m in sides} if both_sides(answer, sides) else set()  # left and right
    for m in read:
        if not _in_scope(answer, m, asked) or family_of(m.concept) == "device":
            continue
        for concept in asked.concepts:
            sign = -1 if concept == "abnormal" else 1
            if concept in ("normal", "abnormal") and m.group in ("normality", "finding"):
                value = normal_value(answer, m) if m.group == "normality" else -polarity(answer, m)
                out.append((m, sign * value))
            elif covers(concept, concept_of(answer, m)) and another_kind(answer, m, asked):
                out.append((m, -polarity(answer, m)))  # a subarachnoid hemorrhage: no subdural
            elif covers(concept, concept_of(answer, m)):
                out.append((m, polarity(answer, m)))
            elif m.group in EXCLUSIVE and GROUP.get(concept) == m.group:
                both = concept == "bilateral" and m.start in joined  # says bilateral
                out.append((m, (1 if both else -1) * polarity(answer, m)))
            elif GROUP.get(concept) == "behaviour" and (said := behaviour_word(answer, m)):
                sign = said if concept == "malignant" else -said  # a carcinoma: not benign
                out.append((m, sign * polarity(answer, m)))
            elif (
                m.group == "normality"
                and GROUP.get(concept) == "finding"
                and not _describes(answer, m)
                and not landmark_normal(answer, m, concept)
            ):
                organs = {x.concept for x in near(answer, m, "organ")}
                fits = not organs or organ_of(concept) in organs | {None} or organs & asked.organs
                sized = speaks_of_size(answer, m)
                fits = fits and not (
                    sized and concept not in _SIZE_FINDINGS
                )  # chambers: no effusion
                if "cardiopulmonary" in answer[m.start : m.end].lower():  # not of the ribs
                    fits = organ_of(concept) in lx.CARDIOPULMONARY
                value = normal_value(answer, m)  # abnormal says yes to 'is there a lesion?'
                value = -1 if value > 0 else (1 if concept in lx.GENERIC else 0)
                out += [(m, value)] if fits and value else []
    return out


def _describes(text: str, m: Mention) -> bool:
    """Whether normality term m only describes a finding (viable tumor) or a cell's part (a
    clear halo, clear cytoplasm): no statement that an organ is normal."""
    found = [x for x in near(text, m, "finding") if x.start > m.start]
    told = any(w.start == m.start for x in found[:1] for w in noun_phrase(text, x).modifiers)
    told = told or re.search(cues.PATCHWORK, text[: m.start], re.I)  # areas of normal lung
    return bool(told) or bool(
        re.match(r"\s+(?:halos?|cytoplasm|spaces?|rims?|fatty\s+hil)", text[m.end :])
    )


def another_kind(answer: str, m: Mention, asked: Asked) -> bool:
    """Whether the answer's finding m is another kind (or age) of the one the question names (Is
    there a subdural hematoma? ... an epidural hematoma): it says no to it."""
    named = [q for q in asked.named if q.concept == m.concept]
    return any(other_kind(answer, m, asked.question, q, asked.question) for q in named)


_STILL = {"still", "now", "currently"}  # Is the chest tube still present?: its presence asked


def judge_closed(answer: str, reference: str, question: str) -> Verdict:
    """A yes/no question: the answer's yes/no and every statement of it about the asked concept
    must agree with the reference; a hedge is unsure. A reference that names the concept needs
    an answer that does too (Yes, there is a right side. is no answer to Is there a lesion?).
    A question about an absence (Are the margins free of tumor?) turns yes and no over: unsure."""
    if re.search(r"\b(?:free of|negative for|clear of|devoid of|absence of)\b", question, re.I):
        return Verdict(None, "asks_absence")
    starts = {m.start for m in mentions(question)}  # not a subject's word: an infiltrating tumor
    invades = [x for x in re.finditer(_INVADES, question, re.I) if x.end() + 1 not in starts]
    if invades and not re.search(_INVADES + _DEPTH, answer, re.I):
        return Verdict(None, "unknown_predicate")  # a carcinoma, for Is the muscularis invaded?
    cut = _predicate(question)
    asks = question[cut:] if cut is not None else ""  # hyperdense, in Is the lesion hyperdense?
    verb = _VERB.match(asks)  # extend into the muscularis: what it reaches is asked, in any form
    asks = asks[verb.end() :] if verb else asks
    unread = [w for w in words(asks) if w not in STOP | _STILL and unplaced(answer, w, [])]
    if unread and not mentions(asks) and without_lead(answer).strip(" .,!"):
        return Verdict(None, "unknown_predicate")  # The lesion is hypodense.: not read
    asked = asked_about(reference, question, answer)
    stances = stances_of(answer, asked)
    if _kind_denied(answer, question, asked):  # a solid nodule, with no evidence of cavitation
        stances = [(m, -1) for m, _ in stances]
    stances = other_age_denied(answer, question, _surely_normal(answer, asked, stances))
    stances = denied_elsewhere(answer, stances, sided=not asked.sides)
    if re.search(cues.GONE_ASKED, question, re.I):  # Has the effusion resolved? Yes: none seen
        stances = [(m, -v) for m, v in stances]
    stances += [(m, -1) for m in prefix_denials(answer, question)]  # non-caseating: no caseation
    modal = [m for m, _ in stances if _MODAL.match(answer, m.end)]  # the spleen may be visible
    if any(hedged(answer, m) for m, _ in stances) or (hedge_spans(answer) and not stances) or modal:
        return Verdict(None, "hedged")
    organs = [c for c in asked.concepts if c in lx.ORGANS]  # Is the left atrium visible?
    named = [m.concept for m in mentions(answer) if m.group == "organ"]
    if (
        organs
        and not stances
        and any(not covers(c, o) and not covers(o, c) for c in organs for o in named)
    ):
        return Verdict(None, "another_organ")  # Yes, the liver is visible.
    said = {v for _, v in stances} | ({lead_answer(answer)} - {0})
    said = said or ({-1} if conflicts.ruled_out(answer, question, asked.concepts) else set())
    if len(said) != 1:
        return Verdict(False, "inconsistent") if said else Verdict(None, "no_claim")
    if said != {wanted(reference)}:
        return Verdict(False, "polarity")
    needed = [c for c in asked.concepts if stances_of(without_lead(reference), Asked([c]))]
    if needed and not stances and without_lead(answer).strip(" .,!"):
        return Verdict(False, f"missing:{needed[0]}")
    return Verdict(True, "agrees")


def _surely_normal(answer: str, asked: Asked, stances: list) -> list:
    """For a question whether something is normal, the stances less the hedged ones that agree
    with what the answer says plainly (abnormal, with evidence of mass, hemorrhage, or
    infarction: which finding is unsure, not that it is abnormal); a hedge that disagrees
    stays (normal, though an infarct cannot be excluded: unsure). Beside asserted findings, a
    denied one says nothing of normal (dilated and inflamed, with no appendicolith)."""
    if not {"normal", "abnormal"} & set(asked.concepts):
        return stances
    found = [(m, v) for m, v in stances if m.group == "finding" and polarity(answer, m) > 0]
    if found and len({v for _, v in found}) == 1:  # dilated and inflamed, with no appendicolith:
        stances = [(m, v) for m, v in stances if m.group != "finding" or polarity(answer, m) > 0]
    sure = {v for m, v in stances if m.group == "normality" and not hedged(answer, m)}
    if len(sure) != 1:
        return stances
    return [(m, v) for m, v in stances if not (hedged(answer, m) and v in sure)]


_SIZE_FINDINGS = {"enlargement", *lx.ENLARGED_ORGAN.values()}  # what 'normal in size' denies
_MODAL = re.compile(r"\s+(?:is\s+|are\s+)?(?:may|might|could|possibly|probably)\b", re.I)


def _kind_denied(answer: str, question: str, asked: Asked) -> bool:
    """Whether the answer denies, in any form, a word the question says of the asked finding
    (Is there a cavitary lesion? -> 'no evidence of cavitation'; a displaced fracture ->
    'without displacement'; a calcified nodule -> 'without calcification'): then it says no,
    whatever else it says of the finding."""
    for m in asked.named:
        phrase = noun_phrase(question, m)
        for w in phrase.kinds("describing", "word"):
            said = said_form(question[w.start : w.end], answer)
            found = phrase_in(answer, said) if said else None
            if found is not None and polarity(answer, found) < 0:
                return True
        kinds = {w.concept for w in phrase.kinds("finding")}  # a calcified nodule
        if any(x.concept in kinds and polarity(answer, x) < 0 for x in mentions(answer)):
            return True
    return False


def ref_mentions(reference: str) -> list[Mention]:
    """The reference's concepts (a body region only where it is the whole answer)."""
    every = mentions(reference)
    return [m for m in every if m.group != "region" or len(every) == 1]


def states(text: str, m: Mention, r: Mention) -> bool:
    """Whether mention m of text states r's concept: the same group (a size of 3 is no count of
    3), the same concept or a part or kind of it; an organ by its own enlargement; MRI by one
    of its sequences (a FLAIR image)."""
    if r.group == "organ" and m.group == "finding":  # splenomegaly, a hepatoma: the liver
        concept = concept_of(text, m)
        return (
            concept == lx.ENLARGED_ORGAN.get(r.concept) or lx.ENTITY_ORGAN.get(concept) == r.concept
        )
    if r.group == "modality" and m.group == "sequence":
        return r.concept == "MRI"
    return m.group == r.group and covers(r.concept, concept_of(text, m))


def matching(
    answer: str, r: Mention, ref: list[Mention], question: str = ""
) -> tuple[list[Mention], list[Mention]]:
    """(the answer's mentions that state r's concept, its other values of r's group that it
    asserts). A reference naming left and right is answered by bilateral."""
    sides = {m.concept for m in ref if m.group == "side"}
    both = r.group == "side" and {"left", "right"} <= sides
    said = read_mentions(answer, moved=bool(re.search(MOVED, question, re.I)))  # Which way?
    tissue = [m for m in said if m.group == "organ" and _TISSUE_KIND.match(answer, m.end)]
    said = [m for m in said if m not in tissue]  # gastric metaplasia: a kind of tissue
    same = [m for m in said if states(answer, m, r)]
    grown = {lx.ENLARGED_ORGAN.get(x.concept) for x in mentions(question) if x.group == "organ"}
    same += [m for m in said if r.concept == "enlargement" and concept_of(answer, m) in grown]
    same += [m for m in said if both and m.concept == "bilateral"]
    pair = [m for m in said if r.group == "number" and answer[m.start : m.end].lower() == "both"]
    same += [m for m in pair if r.concept == "2"]  # both kidneys: two
    other = [m for m in said if m.group == r.group and m not in same and polarity(answer, m) > 0]
    other = [m for m in other if not of_something_else(answer, m, question)]
    other = [m for m in other if not covers(m.concept, r.concept)]
    other = [m for m in other if not (both and m.concept in sides)]
    other = [m for m in other if not another_item(answer, m, ref, r)]  # Lung, Heart
    other += [m for m in pair if r.concept != "2"]
    return same, other


def another_item(answer: str, m: Mention, ref: list[Mention], r: Mention) -> bool:
    """Whether the answer's m states another concept of a listed reference than r (Lung, Heart:
    the heart, for the lung)."""
    return any(states(answer, m, q) for q in ref if q != r)


_LANDMARK = re.compile(cues.LANDMARK, re.I)  # the kidneys, on both sides of the spine
_BEYOND = re.compile(r"\b(?:below|beyond|past|distal\s+to)\s+(?:the\s+)?$", re.I)  # not at it
_DENSITY = re.compile(r"soft[\s-]+tissue[\s-]+(?:structure|density|attenuation|mass|opacity)", re.I)
_TISSUE_KIND = re.compile(cues.TISSUE_KIND, re.I)  # gastric metaplasia of the duodenum


def judge_open(answer: str, reference: str, question: str = "") -> Verdict:
    """An open question: every concept of the reference is stated (or a part of it), none is
    denied or contradicted by another value of its group or another kind (other_kind); a hedge
    or two options are unsure."""
    reference = numeral_read(reference, question)  # iv, for which Clark level? 4
    ref, answer = ref_mentions(reference), in_units(absence_blind(answer, question), reference)
    answer = spelled_out(answer, reference)  # SBO, for small bowel obstruction
    if (said := options_said(answer, reference, question)) is not None:
        return said
    if not ref:
        return judge_words(answer, reference, question)
    if answer_hedged(answer, {r.concept for r in ref}, question):
        return Verdict(None, "hedged")
    if any(r.group == "side" for r in ref) and image_side_only(answer, question):
        return Verdict(None, "image_side")
    options = option_concepts(question)  # no landmarks: the answer's choice
    landmarks = {m.concept for m in mentions(question)} - {r.concept for r in ref} - options
    landmarks |= {p for r in ref for p in im.HYBRID_PARTS.get(r.concept, ())}  # PET-CT's CT
    for r in ref:
        same, other = matching(answer, r, ref, question)
        same = [m for m in same if not part_of_count(answer, m, question)]  # two of which
        same = [m for m in same if not _BEYOND.search(answer[: m.start])]  # below the junction
        other = [m for m in other if m.concept not in landmarks]  # posterior to the bladder
        other = _not_landmarks(answer, other)  # of the spine
        other = [m for m in other if not _DENSITY.match(answer, m.start)]  # a soft-tissue mass
        other = [m for m in other if not counts_another(answer, m, question, bool(same))]
        if r.group in ("side", "organ"):
            same, other = sides_said(answer, r, same, other, question)
        if any(alternatives(answer, m, organs=True) for m in same) or listed_with(
            answer, same, other, r.concept
        ):
            return Verdict(None, "both_options")
        shares = [m for m in other if counts_another(answer, m, question, True)]  # in the spleen
        each = [m for m in same + other if r.group == "number" and distributive(answer, m)] + shares
        same, other = [m for m in same if m not in each], [m for m in other if m not in each]
        if each and not same:  # one nodule in each lung: two in all, unless it says two
            return Verdict(None, "distributive")
        if same and all((polarity(answer, m) < 0) != (polarity(reference, r) < 0) for m in same):
            return Verdict(False, f"contradicts:{r.concept}")  # resolved in both: agreed
        if same and other_kinds(answer, same, reference, r, question):
            return Verdict(False, f"contradicts:{r.concept}")  # subarachnoid for subdural
        if same and all(other_part(answer, m, reference, r) for m in same):
            return Verdict(False, f"contradicts:{r.concept}")  # the posterior mediastinum
        if same and all(unshared_kind(answer, m, reference, r, question) for m in same):
            return Verdict(None, "another_kind")  # caseous necrosis for fibrinoid necrosis
        kin = [m for m in other if m.group == "finding" and family_of(m.concept) in _KIN_FAMILIES]
        kin = [m for m in kin if family_of(m.concept) == family_of(r.concept)]  # mast, hairy cell
        kin += [m for m in other if m.concept in options and polarity(answer, m) > 0]
        if same and other and (r.group in EXCLUSIVE or _asks_organ(question, r) or kin):
            return Verdict(None, "both_options")
        if not same:  # a large lesion, for a mass: maybe, not said (generic)
            why = f"{'contradicts' if other else 'missing'}:{r.concept}"
            return (
                Verdict(None, "generic") if generic_only(answer, r, other) else Verdict(False, why)
            )
    return _nothing_more(answer, reference, ref, question)


def _not_landmarks(answer: str, found: list[Mention]) -> list[Mention]:
    """found without the organs named only to place something (_LANDMARK), nor the organs those
    are parts of (blood tracking along the hepatic flexure of the colon: neither is lacerated),
    nor a part named right after one (toward the splenic hilum)."""
    placing = [m for m in found if _LANDMARK.search(answer[: m.start])]
    part = [m for m in found if any(m.start >= p.end and not answer[p.end : m.start].strip()
                                     for p in placing)]  # fmt: skip
    return [
        m for m in found if m not in part and not any(covers(m.concept, p.concept) for p in placing)
    ]


# Families an answer names one of (a cell, a stain): another beside the reference's is two.
_KIN_FAMILIES = ("marrow cell", "diagnostic cell", "red cell shape", "stain", "inclusion body",
                 "inflammatory cell", *lx.MARKERS)  # fmt: skip


def _nothing_more(answer: str, reference: str, ref: list[Mention], question: str) -> Verdict:
    """The verdict on an answer that states every concept of the reference: wrong where it names
    a disease more than the reference's list (_extra_disease), unsure where it places a term the
    lexicon cannot read, else right."""
    if (extra := _extra_disease(answer, ref, question)) is not None:
        return Verdict(False, f"extra:{extra}")
    unknown = unplaced(answer, reference, ref_mentions(reference))
    return Verdict(None, f"unknown:{unknown[0]}") if unknown else Verdict(True, "agrees")


_DISEASES = re.compile(
    r"\bwhat\s+(?:diseases?|abnormalit(?:y|ies))\s+(?:are|is)\s+(?:included|present|shown|seen)\b",
    re.I,
)


def _extra_disease(answer: str, ref: list[Mention], question: str) -> str | None:
    """A finding the answer asserts, in a clause of its own, that the reference's list of the
    diseases included does not name (What diseases are included? Nodule: 'nodules, and a small
    left pleural effusion' names one more); None where the question asks for no such list."""
    if not _DISEASES.search(question):
        return None
    said = {r.concept for r in ref}
    for m in mentions(answer):
        if m.group != "finding" or family_of(m.concept) == "device":
            continue
        concept = concept_of(answer, m)  # the heart is enlarged: cardiomegaly
        named = any(covers(c, x) or covers(x, c) for c in said for x in (m.concept, concept))
        told = named or told_as_evidence(answer, m, said) or hedged(answer, m)
        if not told and polarity(answer, m) > 0:
            return concept
    return None


def _asks_organ(question: str, r: Mention) -> bool:
    """Whether the question asks which organ (the answer must name one: two is unsure)."""
    asks = r"\b(?:which|what)\s+(?:\w+\s+)?(?:organ|bone)\b"  # Which pelvic bone is fractured?
    return r.group == "organ" and bool(re.search(asks, question, re.I))


def elsewhere(answer: str, asked: Asked) -> list[Mention]:
    """The answer's assertions of an asked finding outside the question's organs or side (a
    mass in the spleen, asked about the liver; a left effusion, asked about the right)."""
    return [
        m
        for m in mentions(answer)
        if m.group == "finding"
        and any(covers(c, concept_of(answer, m)) for c in asked.concepts)
        and not _in_scope(answer, m, asked)
        and polarity(answer, m) > 0
        and not hedged(answer, m)
    ]
