"""The rule editor's corrections of short answers. A wrong closed answer has each statement
about what the question asks turned over with its linked words (there is a -> there is no,
normal -> abnormal), unless a clause says what the lexicon cannot read about the same organ (the
costophrenic angles are sharp); a wrong open one has a denial turned over or the reference's term
written in place of the answer's (swaps.replace_terms), a term the answer only repeats from the
question aside. Imports lexicon.py, claims.py, comparisons.py, edits.py, kinds.py, phrases.py,
swaps.py and questions.py.
"""

from __future__ import annotations

import re

import cues
import lexicon as lx
from candidates import swap_candidates
from claims import (
    STOP,
    Mention,
    clause,
    concept_of,
    covers,
    cues_in,
    family_of,
    hedged,
    mentions,
    near,
    normal_value,
    noun_phrase,
    organ_of,
    polarity,
    sentence_at,
    without_lead,
    words,
)
from comparisons import mirrored, standard
from conflicts import named_behaviour, ruled_out_by_state
from edits import APPENDIX, UNIFORM, affirm, lead_edit, no_overlap, turn_over
from kinds import kind_edit, kind_said_again, other_kind, other_part, part_named, sized_kind
from phrases import Edit, styled
from questions import (
    EXCLUSIVE,
    Asked,
    another_item,
    another_kind,
    elsewhere,
    matching,
    ref_mentions,
    stances_of,
)
from slots import answer_slot, listed_item, organ_state, unknown_before
from swaps import replace_terms, reside, written
from unlisted import absence_blind, bare


def closed_edits(answer: str, asked: Asked, want: int, plant: bool = False) -> list[Edit] | None:
    """Edits that make every yes/no statement of the answer about the asked concepts say want: the
    leading yes/no with its linked words (there is a -> there is no, normal -> abnormal). None where
    a correction would leave the finding said to be elsewhere (No, the liver is normal, but there is
    a mass in the spleen: the mass is only said to be elsewhere, and moving it is no word edit)."""
    stances = stances_of(answer, asked)
    if not stances and not bare(answer):
        return None  # a claim the lexicon cannot read: its yes/no alone would contradict it
    if asked.predicate and any(not _says_alone(answer, m) for m, _ in stances):
        return None  # no capsular invasion; the capsule appears intact: linked, and unread
    if any(another_kind(answer, m, asked) for m, _ in stances):
        return None  # an epidural hematoma, asked of a subdural one: no word edit makes it one
    turned = _state_turned(answer, asked)
    if turned is None:
        return None  # the heart is normal in size: a claim about another organ, unread
    said_here = any(m.group == "finding" for m, _ in stances)
    if elsewhere(answer, asked) and not said_here and not plant:
        return None  # only said elsewhere: the correction would have to move it
    edits = lead_edit(answer, want) + turned
    edits += _reach_turned(answer, want) if "pneumothorax" in asked.concepts else []
    normal = any(c in ("normal", "abnormal") for c in asked.concepts)
    flips = [m for m, v in stances if v != want]
    inside = {
        w.start for x in flips if x.group == "finding" for w in noun_phrase(answer, x).modifiers
    }
    flips = [m for m in flips if m.start not in inside]  # an abnormal opacity: one claim, one flip
    flips += [x for m in flips for x in _drawn_with(answer, m, want) if x not in flips]
    if any(_state_beside(answer, m, want) for m in flips if m.group == "normality"):
        return None  # the cortical margins are intact and alignment is normal: 'intact' unread
    if any(_kept_beside(answer, m, normal or plant) for m in flips if m.group == "normality"):
        return None  # in a normal position to the left of the spine: the place would stay
    uniform = any(_uniform_beside(answer, m) for m in flips if m.group == "finding")
    if want > 0 and (uniform or _normal_left(answer, asked, flips)):
        return None  # homogeneous enhancement without any focal lesion: 'homogeneous' would stay
    edits += [e for m in flips if m.group == "normality" for e in _ratio_turned(answer, m)]
    normals = [m for m in flips if m.group == "normality"]
    both = any(x.concept == "bilateral" for m in normals for x in near(answer, m, "side"))
    listed = any(_LISTED.search(answer, clause(answer, m.start)[0], m.start) for m in normals)
    if plant and (both and not normal or listed):  # a cyst planted; both kidneys appear normal:
        return None  # one cyst makes neither abnormal; A, B and C appear normal: not all at once
    if any(named_behaviour(answer, m) or _drawn(answer, m, want, flips) for m in flips):
        return None  # a benign leiomyoma; without neutrophils, so no chorioamnionitis: both stay
    turned = {clause(answer, m.start) for m in flips if m.group == "normality"}
    if normal and want < 0 and turned:  # normal without inflammation; no appendicolith: the
        flips = [m for m in flips if m.group != "finding" or clause(answer, m.start) in turned]
    together = frozenset(m.start for m in flips)  # appendicolith may stay denied
    for m in flips:
        if normal and m.group == "finding" and polarity(answer, m) > 0 and not plant:
            return None  # a finding that makes the image abnormal: a fix would deny what is seen
        flip = _flip(answer, m, asked, want, plant, together)
        if flip is None:
            return None
        edits += flip
    return edits if no_overlap(edits) else None


_DEVICE_WORD = re.compile(r"\b(?:tube|tip|catheter|line|lead|wire|stent|port|clip)s?\b", re.I)
_THE_ONE = re.compile(r"^\s*(?:is|are|was|were)\s+the\s+", re.I)  # Is the mass on the left?


def side_moved(answer: str, asked: Asked, want: int) -> list[Edit] | None:
    """A yes to whether the one finding the question names is on a side, made a no by moving
    every side the answer gives it to the other, where that side may change (a paired organ,
    no device, no other side said): Is the haemorrhage on the right? Yes, it is a right-sided
    haemorrhage. -> No, it is a left-sided haemorrhage."""
    sides = [m for m in mentions(answer) if m.group == "side"]
    told = {m.concept for m in mentions(asked.question) if m.group == "side"}
    if want > 0 or len(told) != 1 or not _THE_ONE.match(asked.question) or not sides:
        return None
    (side,) = told
    if asked.concepts != [side]:
        return None  # Is the right lung normal? No: its state, not its side, is asked
    said = mentions(answer) + mentions(asked.question)
    devices = any(family_of(m.concept) == "device" for m in said) or _DEVICE_WORD.search(answer)
    if devices or side not in lx.OPPOSITE_SIDE or any(m.concept != side for m in sides):
        return None
    if lx.OPPOSITE_SIDE[side] not in swap_candidates(answer, sides[0]):
        return None
    new = lx.OPPOSITE_SIDE[side]
    turned = [(m.start, m.start + len(side), styled(new, answer[m.start : m.start + len(side)]))
              for m in sides]  # fmt: skip
    lead = lead_edit(answer, want)
    return lead + turned if lead and no_overlap(lead + turned) else None


_LISTED = re.compile(r"\w+,\s+[\w\s-]+?\s+and\s+\w+")  # three things said at once: A, B and C
_SO = r"\b(?:so|therefore|thus|hence)\b"  # what follows is drawn from what comes before


def _drawn_with(answer: str, m: Mention, want: int) -> list[Mention]:
    """The findings its sentence concludes (so, therefore, thus) from claim m, said the other way
    than want: they turn with it (the duct is of normal caliber, so there is no obstruction)."""
    _, e = sentence_at(answer, m.start)
    drawn = re.search(_SO, answer[m.end : e], re.I)
    after = m.end + drawn.end() if drawn else e
    found = [x for x in mentions(answer) if after <= x.start < e and x.group == "finding"]
    return [x for x in found if polarity(answer, x) != want and not hedged(answer, x)]


def _drawn(answer: str, m: Mention, want: int, flips: list[Mention]) -> bool:
    """Whether m, to be asserted, is drawn from a denial or a denial is drawn from it: the one
    would stay beside the other turned (without gas, so no NEC)."""
    return _drawn_from_kept(answer, m, flips) or _denial_drawn(answer, m, want, flips)


def _drawn_from_kept(answer: str, m: Mention, flips: list[Mention]) -> bool:
    """Whether m is what its sentence draws (so, therefore, thus) from a reason said before it
    that no flip turns, which would stay (without gas, so no NEC; size is increased, so it is
    not normal)."""
    s, _ = sentence_at(answer, m.start)
    s += len(answer[s:]) - len(without_lead(answer[s:]))  # not the leading no: it is turned too
    drawn = re.search(rf"{_SO}[^,;]*$", answer[s : m.start], re.I)
    reason = (s, s + drawn.start()) if drawn else (0, 0)
    denied = bool(cues_in(answer[slice(*reason)], cues.PRE_NEGATIONS))  # without any deposits
    return bool(drawn) and (denied or not any(reason[0] <= x.start < reason[1] for x in flips))


def _denial_drawn(answer: str, m: Mention, want: int, flips: list[Mention]) -> bool:
    """Whether m, to be asserted, is the reason for a denial its sentence draws after it (so,
    therefore, thus) that no flip turns, or, to be denied, for anything it draws: the conclusion
    would stay, its reason gone."""
    _, e = sentence_at(answer, m.start)
    drawn = re.search(_SO, answer[m.end : e], re.I)
    if not drawn:
        return False
    after = m.end + drawn.end()
    turned = any(after <= x.start < e for x in flips)
    if want < 0:  # a simple cyst, so no follow-up is needed: the advice stays, its reason gone
        return not turned
    return not turned and bool(cues_in(answer[after:e], cues.PRE_NEGATIONS))


def _flip(
    answer: str, m: Mention, asked: Asked, want: int, plant: bool, together: frozenset
) -> list[Edit] | None:
    """The edits that make statement m say want: turned over (not malignant -> malignant), or,
    for an exclusive term, the asked value written in (CT -> MRI; malignant -> benign)."""
    binary = m.group == "behaviour" and polarity(answer, m) < 0  # not malignant: benign
    if binary and (flip := turn_over(answer, m, plant, frozenset(), together)) is not None:
        return flip  # not malignant -> malignant, asked whether benign
    if m.group in EXCLUSIVE and not any(covers(c, m.concept) for c in asked.concepts):
        if want < 0 or polarity(answer, m) < 0:
            return None  # not CT: what it is instead cannot be told
        source = asked.concepts[0]
        r = next((x for x in mentions(source) if x.group == m.group), None)
        if r is None:
            return None  # severe asked, a mild plaque said: no degree of the asked word to write
        word = answer[m.start : m.end]
        new = [(m.start, m.end, written(r, source, word))]
        return reside(answer, m, r.concept) if m.group == "side" else new  # None: no lobe is both
    if (flip := turn_over(answer, m, plant, frozenset(asked.sides), together)) is not None:
        return flip
    if m.group == "behaviour" and polarity(answer, m) > 0:  # those of a malignant tumor
        other = next(b for b in lx.BEHAVIOURS if b != m.concept)
        return [(m.start, m.end, styled(other, answer[m.start : m.end]))]
    return None


_STATES = ("intact", "preserved", "maintained", "sharp", "patent", "viable", "expanded")
_STATE = re.compile(
    rf"\b(?:is|are|appears?|remains?)\s+(?:\w+ly\s+)?(?:{'|'.join(_STATES)})\b", re.I
)
_NORMAL_LOOK = re.compile(r"\bwith\s+(?:a\s+)?(?:homogeneous|uniform|smooth|regular)\b", re.I)
_RATIO = re.compile(
    r"\bcardiothoracic ratio\b[^.;]*?\b(less than|greater than|more than|below|above|under|over)\b",
    re.I,
)
_OTHER_WAY = {"less than": "greater than", "greater than": "less than", "more than": "less than",
              "below": "above", "above": "below", "under": "over", "over": "under"}  # fmt: skip


def _ratio_turned(answer: str, m: Mention) -> list[Edit]:
    """The comparison of a cardiothoracic ratio in normality m's sentence turned with it (the
    heart size is normal; the cardiothoracic ratio is less than 50% -> greater than 50%)."""
    s, e = sentence_at(answer, m.start)
    return [
        (r.start(1), r.end(1), styled(_OTHER_WAY[r.group(1).lower()], r.group(1)))
        for r in _RATIO.finditer(answer, s, e)
    ]


def _state_beside(answer: str, m: Mention, want: int) -> bool:
    """Whether normality m's sentence also says, in words the lexicon cannot turn, that a
    structure is in its normal state (the cortical margins are intact; the liver looks normal,
    with homogeneous attenuation), or, to be made abnormal, denies what the lexicon cannot read
    (the discs appear normal with no evidence of herniation: the herniation asked of may be it):
    turning m alone would leave that standing. A cardiothoracic ratio's comparison is turned with
    m (_ratio_turned)."""
    s, e = sentence_at(answer, m.start)
    found = [*_STATE.finditer(answer[s:e]), *_NORMAL_LOOK.finditer(answer[s:e])]
    if any(not x.start() <= m.start - s < x.end() for x in found):
        return True
    denials = _DENIED.finditer(answer, m.end, e) if want > 0 else ()
    read = [x.start for x in mentions(answer)]
    return any(not any(d.start(1) <= x < d.end(1) for x in read) for d in denials)


_DENIED = re.compile(
    r"\b(?:no|without)\s+(?:(?:evidence|signs?|features?)\s+of\s+)?((?:an?\s+|any\s+)?[\w-]+"
    r"(?:\s+[\w-]+){0,2}?)(?=\s*(?:[,.;:]|$|\s+(?:or|and|in|at|of)\b))",
    re.I,
)  # what a denial denies, up to its clause's end or a list or place after it


def _kept_beside(answer: str, m: Mention, asks_normal: bool) -> bool:
    """Whether what follows normality m would stay, wrong, once m is turned: a place (in a normal
    position to the left of the spine) or, in a correction where the question asks of a finding,
    not of the normal, a second scale (normal in size and attenuation, asked of splenomegaly:
    which of the two is wrong is not said)."""
    return bool(
        _PLACED.match(answer, m.end) or not asks_normal and _TWO_SCALES.match(answer, m.end)
    )


_TWO_SCALES = re.compile(
    r"\s+(?:in|for)\s+(?:size|caliber|calibre)\s+and\s+(?!contour\b)[a-z]+\s*(?:[,.;]|$)", re.I
)
_PLACED = re.compile(
    r"\s+(?:position|location|site|positioned|located|placed)\b[^.;]*?\b(?:left|right|above|"
    r"below|level|midline|beneath|under|over)\b",
    re.I,
)


def _uniform_beside(answer: str, m: Mention) -> bool:
    """Whether finding m's sentence calls its organ uniform before m's phrase (the liver shows
    homogeneous enhancement without any focal lesion): a lesion made present would leave it."""
    s, _ = sentence_at(answer, m.start)
    return bool(UNIFORM.search(answer, s, noun_phrase(answer, m).start))


_INTACT = re.compile(r"\b([a-z]+)\s+(?:is|are|remains?|appears?)\s+(?:\w+\s+)?intact\b", re.I)


def _normal_left(answer: str, asked: Asked, flips: list[Mention]) -> bool:
    """Whether a normal no flip turns is said of an asked organ or a part of one (no sellar mass;
    the pituitary gland appears normal), or the organ said intact in its own word (no ACL tear;
    the ligament is intact): the finding made present would stand beside it."""
    if {"normal", "abnormal"} & set(asked.concepts):
        return False  # Is the right ovary normal? the left one's normal is no answer
    names = {w for o in asked.organs for f in lx.ORGANS.get(o, ((),))[0] for w in words(f)}
    if any(x.group(1).lower() in names for x in _INTACT.finditer(answer)):
        return True  # no ACL tear; the ligament is intact
    if any(re.search(r"\bnormally\b", answer[slice(*clause(answer, m.start))]) for m in flips):
        return True  # the arteries opacify normally, without any filling defect
    for m in mentions(answer):
        if m.group == "normality" and m not in flips and normal_value(answer, m) > 0:
            organs = {x.concept for x in near(answer, m, "organ")}
            sides = {x.concept for x in near(answer, m, "side")}
            if any(covers(o, x) for o in asked.organs for x in organs) and (
                not asked.sides or not sides or sides & asked.sides
            ):
                return True
    return False


def _says_alone(answer: str, m: Mention) -> bool:
    """Whether phrase m's clause, up to m, is all the answer says besides its yes/no (Yes, the
    mucosa is ulcerated.) and a clause it contrasts with: words the lexicon lacks may be linked
    to others it cannot read."""
    s, _ = clause(answer, m.start)
    before = "" if _CONTRAST.match(answer, s) else answer[:s]  # ..., but it is not increased
    return all(w in STOP for w in words(before + " " + answer[m.end :]))


def _unread_organ_claims(answer: str, asked: Asked):
    """(organ mention, its predicate's match or None, whether the organ is the asked finding's
    own) for each clause of the answer that says something the lexicon cannot read about the
    organ of an asked finding (for the pleura, the lung too), or an organ of its sentence (the
    costophrenic angles are sharp; the lungs are fully expanded): it may be the same claim in
    other words, which an edit of the rest would leave contradicting it."""
    homes = {organ_of(c) for c in asked.concepts} - {None}
    homes |= {"lung"} if "pleura" in homes else set()  # no pneumothorax; the lungs are expanded
    terms = {m.start for m in mentions(answer)}
    asked_in = {  # the sentences that state an asked finding: the lungs are fully expanded
        sentence_at(answer, x.start)
        for x in mentions(answer)
        if x.group == "finding" and any(covers(c, concept_of(answer, x)) for c in asked.concepts)
    }
    for m in mentions(answer):
        own = any(covers(h, m.concept) for h in homes)
        if m.group == "organ" and (own or sentence_at(answer, m.start) in asked_in):
            reach = _REACH.match(answer, m.end)
            if reach and "pneumothorax" not in asked.concepts:
                yield m, None, own  # the lung markings extend to the wall: read of a pneumothorax
            said = _PREDICATE.match(answer, m.end)
            if _of_another(answer, m, asked):
                continue  # no pneumothorax; the costophrenic angles are sharp: of an effusion
            seen = said and said.group(3).lower() in lx.SEEN_WORDS  # the kidneys are visualized
            if said and said.start(3) not in terms and not seen:
                yield m, said, own


def _of_another(answer: str, m: Mention, asked: Asked) -> bool:
    """Whether organ m's clause rules out only findings other than the asked ones (the
    costophrenic angles are sharp, asked of a pneumothorax): it stays true when they turn."""
    ruled = ruled_out_by_state(answer, *clause(answer, m.start))
    return bool(ruled) and not any(covers(c, r) for c in asked.concepts for r in ruled)


def _state_turned(answer: str, asked: Asked) -> list[Edit] | None:
    """Each unread statement of the asked finding's own organ that it is in its normal state
    turned over with 'not' (the costophrenic angles are sharp -> are not sharp; the lungs
    appear fully expanded -> do not appear fully expanded, and back): it was said with the
    wrong claim. None where one is about another organ in the finding's clause, says another
    state (distended), or has no copula to turn."""
    edits = []
    stated = {clause(answer, m.start) for m, _ in stances_of(answer, asked)}
    for m, said, own in _unread_organ_claims(answer, asked):
        start = clause(answer, m.start)
        opened = [start[0], *(a for a, _ in stated)]  # ..., but the spleen is not enlarged
        contrast = any(_CONTRAST.match(answer, a) for a in opened) and start not in stated
        if not own and said and contrast:
            continue  # no free fluid, but the bladder is distended: another organ, another claim
        if start in stated and re.search(r"\bof\s+(?:the\s+)?$", answer[: m.start], re.I):
            continue  # no fracture of the femur is identified: the femur places the finding
        if not (own and said) or said.group(3).lower() not in _STATES:
            return None  # the gallbladder is distended: not a normal state, nor its opposite
        verb, negated = said.group(1), said.group(2)
        if negated:  # are not sharp -> are sharp
            edits.append((said.start(2), said.end(2), ""))
        elif re.search(r"\bboth\b", answer[start[0] : said.start()], re.I):
            return None  # both angles are not sharp: is one sharp, or neither?
        elif verb.lower().startswith("remain"):
            return None  # remain well expanded: 'do not remain' says something else
        elif verb.lower() in ("is", "are", "was", "were"):
            edits.append((said.end(1), said.end(1), " not"))
        else:  # appears -> does not appear
            edits.append((said.start(1), said.end(1), _negated(verb)))
    return edits


def _base(verb: str) -> str:
    """A verb's base form: extends -> extend, reaches -> reach, appear -> appear."""
    low = verb.lower()
    return verb[:-2] if low.endswith("ches") else verb[:-1] if low.endswith("s") else verb


def _negated(verb: str) -> str:
    """appears -> does not appear, reach -> do not reach."""
    return f"{'does' if verb.lower().endswith('s') else 'do'} not {_base(verb)}"


_CONTRAST = re.compile(r"\W*(?:but|although|though|while|whereas|however)\b", re.I)
_PREDICATE = re.compile(
    r"\s+(is|are|was|were|appears?|looks?|seems?|remains?)\s+(not\s+)?(?:(?:\w+ly|well)\s+)?"
    r"(\w+)",
    re.I,
)
_REACH = re.compile(
    r"\s+(?:markings|parenchyma|vessels)\s+(?:\w+ly\s+)?(do\s+not\s+|does\s+not\s+)?"
    r"(extends?|reach(?:es)?)\b",
    re.I,
)


def _reach_turned(answer: str, want: int) -> list[Edit]:
    """Lung markings that reach the chest wall (no pneumothorax) made to say want: 'extend' ->
    'do not extend' where a pneumothorax is wanted (not bilaterally: on one side at least), and
    back."""
    edits = []
    for m in mentions(answer):
        reach = _REACH.match(answer, m.end) if m.concept == "lung" else None
        if reach and bool(reach.group(1)) != (want > 0):
            verb = reach.group(2)
            new = _base(verb) if reach.group(1) else _negated(verb)
            start = reach.start(1) if reach.group(1) else reach.start(2)
            edits.append((start, reach.end(2), new))
    return edits


def _unechoed(found: list[Mention], question: str) -> list[Mention]:
    """found without the terms the question names (no value of their own), or all of them where
    nothing else is left, but none where the question asks what its own named thing is."""
    echoed = {m.concept for m in mentions(question)}
    fresh = [m for m in found if m.concept not in echoed]
    return fresh or ([] if _WHAT_IS_THE.search(question) else found)


_WHAT_IS_THE = re.compile(r"^\s*what\s+(?:is|are)\s+(?:the|this|these)\s+(?!\w+\s+or\b)", re.I)


def open_step(answer: str, reference: str, question: str = "") -> tuple[list[Edit] | None, str]:
    """Edits for the first concept of the reference that the answer denies or contradicts: the
    denial turned over, or the answer's other value replaced by the reference's words. A term
    the answer repeats from the question is no value of its own (What is the cystic structure
    next to the liver? The ... liver is the duodenum: the duodenum is replaced)."""
    ref, answer = ref_mentions(reference), absence_blind(answer, question)
    if not ref:
        return None, "unknown_terms"  # judged by its words, which no rule can put in place
    for r in _heads(reference, ref):
        same, other = matching(answer, r, ref, question)
        same = [m for m in same if r.group != "side" or not standard(answer, m)]  # than the right
        if same and all(polarity(answer, m) < 0 for m in same):
            edits = affirm(answer, same[0])
            return (edits, "") if edits else (None, "cannot_affirm")
        if same and all(other_kind(answer, m, reference, r, question) for m in same):
            if len(same) == 1 and kind_edit(answer, same[0], reference, r):
                return kind_edit(answer, same[0], reference, r), ""  # caseous -> fibrinoid
            alone = len(same) == 1 and not sized_kind(answer, same[0])  # its size stays
            alone = alone and not kind_said_again(answer, same[0])  # the obturator canal
            return replace_terms(answer, same[:1], r, reference) if alone else (
                None, "ambiguous")  # fmt: skip
        if same and all(other_part(answer, m, reference, r) for m in same):
            return _part_edit(answer, same, reference, r)
        if not same and other:
            return _other_replaced(answer, other, r, ref, reference, question)
        if not (same or other):  # Pneumonia, Pleural Effusion: pneumonia -> pneumonia and ...
            others = [m for m in mentions(answer) if another_item(answer, m, ref, r)]
            added = listed_item(answer, reference, r, others)
            if added:
                return added, ""
        written_in = not same and r.group == "finding"  # cardiac myocytes -> hepatocytes
        slot = answer_slot(answer, reference, r) or organ_state(answer, r) if written_in else None
        if slot:
            return slot, ""
        if not same:
            return None, f"missing:{r.concept}"
    return [], ""


def _other_replaced(
    answer: str, other: list[Mention], r: Mention, ref: list[Mention], reference: str, question: str
) -> tuple[list[Edit] | None, str]:
    """Edits writing r over the answer's other value of its group (the one that places it, of
    its family, not a descriptor nor the question's own term), or None and why."""
    specific = [m for m in other if not descriptor(answer, m, other)]
    level = "level" not in question.lower()  # at the level of the carina: where the slice is
    specific = [
        m for m in specific if not (level and re.search(cues.LEVEL_OF, answer[: m.start], re.I))
    ]
    specific = _unechoed(specific, question)
    if not specific:
        return None, "echoed"  # What is the dense nodule? ... is a calcified lymph node.
    family = family_of(r.concept)
    kin = [m for m in specific if family and family_of(m.concept) == family]
    if family in _OWN_KIN and not kin:
        return None, "no_kin"  # Congo red over 'amyloid deposits': a stain replaces a stain
    specific = kin if len({m.concept for m in kin}) == 1 else specific  # cells for cells
    placing = _placing(answer, specific, ref)  # not where one organ is said twice
    several = len({m.concept for m in specific}) > 1
    specific = placing if len(placing) == 1 and several else specific
    if len({m.concept for m in specific}) > 1:
        return _evidence_replaced(answer, specific, r, reference)
    if r.group == "side" and any(standard(answer, x) for x in mentions(answer)):
        turned = mirrored(answer, specific[0])  # the left ... compared with the right
        return (turned, "") if turned else (None, "compared")
    if unknown_before(answer, specific[0]) and specific != kin:  # amid lymphocytes
        slot = answer_slot(answer, reference, r)
        return (slot, "") if slot else (None, "unknown_terms")
    specific += _acted_on(answer, specific) if r.group == "side" else []
    if r.group == "finding" and any(_CAUSED.match(answer, m.end) for m in specific):
        return None, "linked_cause"  # hemosiderin granules from prior hemorrhage: it would stay
    return replace_terms(answer, specific, r, reference)


_CAUSED = re.compile(rf"(?:\s+[\w-]+){{0,2}}?\s+{cues.CAUSED_BY}", re.I)  # granules from prior
_OWN_KIN = ("stain", "routine stain", *lx.MARKERS)  # replaced only by another of its family
_ACTS = re.compile(
    r",\s+(?:effacing|narrowing|compressing|obstructing|invading|encasing|occluding)\b", re.I
)


def _acted_on(answer: str, found: list[Mention]) -> list[Mention]:
    """The sides of what a lesion placed by found (a side) acts on later in its sentence (the
    mass is in the left occipital lobe, effacing the occipital horn of the left lateral
    ventricle): the same side, corrected with it."""
    s, e = sentence_at(answer, found[0].start)
    acts = _ACTS.search(answer, found[0].end, e)
    sides = [m for m in mentions(answer) if m.group == "side" and acts and acts.end() < m.start < e]
    return [m for m in sides if m.concept == found[0].concept and m not in found]


def _placing(answer: str, found: list[Mention], ref: list[Mention]) -> list[Mention]:
    """The organs of found that place, in its own noun phrase, a finding the reference names too
    (the renal pelvis, the ureter, ... UVJ obstruction against UPJ obstruction: the UVJ)."""
    named = {r.concept for r in ref if r.group == "finding"}
    places = [
        w.start
        for m in mentions(answer)
        if m.concept in named
        for w in noun_phrase(answer, m).modifiers
        if w.kind == "organ"
    ]
    return [m for m in found if m.group == "organ" and m.start in places]


def _evidence_replaced(answer: str, found: list[Mention], r: Mention, reference: str) -> tuple:
    """Edits writing r over the one of two findings the other is concluded from, the conclusion
    cut (consolidation at the base, suggestive of pneumonia -> a pleural effusion at the base;
    'linked': one claim changes, with its words); any other pair is ambiguous."""
    drawn = _concluded(answer, found)
    if not drawn:
        return None, "ambiguous"
    edits, why = replace_terms(answer, [drawn[0]], r, reference)
    return (edits + [drawn[1]], "linked") if edits else (None, why)


def _concluded(answer: str, found: list[Mention]) -> tuple[Mention, Edit] | None:
    """Of two findings, the one the other is concluded from in one sentence (consolidation at
    the base, suggestive of pneumonia), with the edit cutting the conclusion: a correction
    writes over the evidence and keeps nothing drawn from it. None for any other pair."""
    if len(found) != 2:
        return None
    first, last = sorted(found, key=lambda m: m.start)
    s, e = sentence_at(answer, first.start)
    appended = APPENDIX.search(answer, first.end, e)
    if not appended or not appended.end() <= last.start < e or answer[last.end : e].strip(" ."):
        return None
    if not answer[appended.start() :].startswith(","):
        return None  # ..., most consistent with: the cut would leave 'most'
    around = [x for x in mentions(answer) if s <= x.start < appended.start() and x != first]
    if any(x.group == "finding" for x in around):
        return None  # a mass ... with central necrosis: the necrosis is no claim of its own
    body = appended.start() + len(answer[appended.start() : e].rstrip(" .;"))
    return first, (appended.start(), body, "")


def _part_edit(answer: str, same: list[Mention], reference: str, r: Mention) -> tuple:
    """The reference's part of the organ written for the answer's (the tail -> the head of the
    pancreas); none for a position (the posterior for the anterior mediastinum)."""
    have, want = part_named(answer, same[0]), part_named(reference, r)
    if len(same) != 1 or not (have and want):
        return None, "other_part"
    return [(*have, styled(reference[slice(*want)].lower(), answer[slice(*have)]))], ""


def _heads(reference: str, ref: list[Mention]) -> list[Mention]:
    """The reference's mentions less those that only modify another of its findings (metastatic
    in 'metastatic carcinoma': the carcinoma is what an answer's finding is replaced by); an
    organ that places one comes after it (Bladder tumor: the tumor first, where it can lie)."""
    mods = {
        w.start for x in ref if x.group == "finding" for w in noun_phrase(reference, x).modifiers
    }
    heads = [r for r in ref if not (r.group == "finding" and r.start in mods)]
    return sorted(heads, key=lambda r: r.group == "organ" and r.start in mods)


def descriptor(text: str, m: Mention, found: list[Mention]) -> bool:
    """Whether m only describes what another finding names as its diagnosis (bibasilar
    opacities consistent with pneumonia), or is the setting of another (in a background of
    lymphocytes): the diagnosis, the finding set there, is what a correction replaces."""
    named = [
        x
        for x in found
        if re.search(r"(consistent|compatible) with\s+$", text[: noun_phrase(text, x).lead])
    ]
    if _BACKGROUND.search(text[: noun_phrase(text, m).lead]) and len(found) > 1:
        return True  # Reed-Sternberg cells in a background of lymphocytes: the setting
    return m.concept in ("opacity", "lesion") and bool(named) and m not in named


_BACKGROUND = re.compile(
    r"\b(?:background of|admixed with|amid|amongst|among)\s+(?:\w+\s+)?$", re.I
)
