"""Planted errors: candidate counterfactuals for a right answer, each one claim changed.

A right closed answer gets its claim turned over with its linked words, or the asked attribute
changed (both sides -> the left side only); a right open one gets the claim that answers the
question changed (another side, a neighbouring organ, a sibling finding, a count one off) or, where
more than its name is said, denied. A report gets a side or size changed, a sentence's only finding
turned over, the first of a denied list asserted, a normal heart or mediastinum called enlarged or
widened, or a tube tip moved to another of its sites. clinical.counterfactual_edit keeps a
candidate only where the judge finds it wrong and every guard passes.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cues
import imaging as im
import lexicon as lx
from candidates import DRAWN_AFTER, said_elsewhere, swap_candidates
from claims import (
    Claim,
    Mention,
    claims,
    clause,
    family_of,
    hedged,
    lead_answer,
    mentions,
    near,
    normal_value,
    noun_phrase,
    owner,
    polarity,
    sentence_at,
    sentences,
)
from comparisons import (
    SIZED,
    in_cm,
    mirrored,
    option_concepts,
    options_said,
    sides_swapped,
    to_options,
    towards,
)
from conflicts import tells
from corrections import closed_edits
from denials import reason_left
from devices import course_cut, generic_approvals
from edits import (
    FEATURES,
    POST_VERB,
    affirm,
    deny,
    deny_normal,
    lead_edit,
    no_overlap,
    turn_over,
    with_words,
)
from impressions import named_in_summary, summary_sentence
from kinds import one_kind, part_named
from phrases import (
    Edit,
    article_for,
    np_article,
    np_start,
    part_of,
    part_word,
    restated,
    styled,
    written_plural,
)
from questions import EXCLUSIVE, asked_about, elsewhere, is_yes_no, ref_mentions, stances_of, states
from reports import normal_scope
from sides import other_side_found
from swaps import organ_findings, recount, reside, swap_edits
from unlisted import phrase_in, reference_phrase

# -------------------------------------------------------------------------------------------------
# Short answers


# A size said of one of two organs compared (the right, which is enlarged): true only of that.
_SIZE_TOLD = r"\b(?:enlarged|swollen|atrophic|atrophied|shrunken|hypertrophied|hypoplastic)\b"


def question_plants(response: str, reference: str, question: str) -> list[list[Edit]]:
    """Candidate planted errors (each a list of edits) in a right short answer: for a closed
    question _closed_plants; for an open one the claim that answers the question changed
    (another side, a neighbouring organ, a sibling finding, a count one off, ...) or denied."""
    if is_yes_no(reference):
        return [_pushed(response, e) for e in _closed_plants(response, reference, question)]
    if options_said(response, reference, question):  # the liver is larger than the spleen
        said = re.search(rf"\b({'|'.join(lx.COMPARATIVES)})\b(?=[^.;]*\bthan\b)", response, re.I)
        new = styled(lx.COMPARATIVES[said.group(1).lower()], said.group(1)) if said else ""
        told = said and re.search(
            _SIZE_TOLD, response[said.end() : sentence_at(response, said.end())[1]]
        )
        return [[(said.start(1), said.end(1), new)]] if said and not told else []
    targets = _targets(response, reference, question)
    targets = [m for m in targets if not _feature_of(response, m, targets)]
    given = {x.concept for x in mentions(question) if x.group == "side"}  # in the right lung?
    given = set() if {"left", "right"} <= given else given  # the left or right kidney: asked
    targets = [m for m in targets if m.group != "side" or m.concept not in given]
    candidates = [
        _near_cut(response, m, _swap_restated(response, m, c))
        for m in targets
        for c in swap_candidates(response, m, question)
    ]
    for m in targets:
        organ = next((o for o, f in lx.ENLARGED_ORGAN.items() if f == m.concept), None)
        s, e = sentence_at(response, m.start)
        named = [x for x in mentions(response) if x.concept == organ and s <= x.start < e]
        candidates += [
            _swap_restated(response, x, c) for x in named for c in swap_candidates(response, x)
        ]
        if organ and any(r.concept == organ for r in mentions(reference)):  # the organ is asked
            others = [lx.ENLARGED_ORGAN.get(n) for n in lx.NEIGHBOURS.get(organ, ())]
            candidates += [swap_edits(response, m, f) for f in others if f]
        elif (
            m.group == "finding"
            and polarity(response, m) > 0
            and family_of(m.concept) not in lx.NEVER_DENIED
        ):  # a name said alone (Spitz naevus.) is not denied: 'No Spitz naevus.' is no answer
            adjective = response[m.start : m.end].lower().endswith("ed")  # is not enlarged
            candidates.append(deny(response, m, adjective, True) if _IS.search(response) else None)
        elif m.group == "normality" and polarity(response, m) > 0:
            candidates.append(deny_normal(response, m, plant=True))
    candidates += [k for m in targets for k in _kind_plants(response, m)]
    candidates += [k for m in targets for k in _distributed_count(response, m)]
    parts = [x for x in mentions(response) if _part_asked(response, x, targets)]
    candidates += [k for m in targets + parts for k in _part_plants(response, m)]
    candidates += [k for m in targets for k in _unsequenced(response, m)]
    candidates += [mirrored(response, m) for m in targets if m.group == "side"]  # than the left
    candidates += [sides_swapped(response, m) for m in targets if m.group == "side"]
    candidates = [c for c in candidates if c and not said_elsewhere(response, c)]
    return [_pushed(response, c) for c in to_options(candidates, question)]


def _pushed(text: str, edits: list[Edit]) -> list[Edit]:
    """edits, with the sides a thing is pushed towards turned too where they move a side (a mass
    in the left lobe, the trachea deviated to the right -> the right lobe, to the left)."""
    if not any(new.lower() in lx.OPPOSITE_SIDE for _, _, new in edits):
        return edits
    away = [x for x in towards(text) if x.concept in lx.OPPOSITE_SIDE]
    away = [x for x in away if not any(a < x.end and x.start < b for a, b, _ in edits)]
    return edits + [(x.start, x.end, lx.OPPOSITE_SIDE[x.concept]) for x in away]


def _feature_of(text: str, m: Mention, targets: list[Mention]) -> bool:
    """Whether finding m is a feature of another target its sentence names before it (benign
    prostatic hyperplasia, with nodules of glands; asked: nodular hyperplasia): changed or
    denied, that one would stay without its own feature."""
    s, e = sentence_at(text, m.start)
    before = {x.concept for x in targets if s <= x.start < m.start and x.group == "finding"}
    return m.group == "finding" and bool(tells(text[m.start : e], before))


def _kind_plants(text: str, m: Mention) -> list[list[Edit]]:
    """Another kind of finding m where its phrase names one (caseous -> coagulative necrosis;
    subdural -> epidural hematoma), unless what follows describes the old kind or its place
    (with preserved cell outlines; in the basal cisterns)."""
    kinds = lx.PLANT_KINDS.get(m.concept, ())
    head = text[m.start : m.end].lower().rstrip("s").replace("haem", "hem")  # haematoma
    allowed = lx.KIND_HEADS.get(head) or lx.KIND_HEADS.get(m.concept, kinds)
    kinds = tuple(k for k in kinds if k in allowed)
    after = text[m.end : sentence_at(text, m.start)[1]]
    where = r"\s+(?:in|within|along|over|layering)\s"  # in the basal cisterns: one kind's place
    if not kinds or polarity(text, m) < 0 or re.match(rf"{FEATURES}|,|{where}", after):
        return []
    modifiers = noun_phrase(text, m).modifiers
    said = [(w.start, w.end) for w in modifiers]
    one = {one_kind(k) for k in kinds}  # caseating necrosis is caseous: -> coagulative necrosis
    own = {one_kind(text[w.start : w.end]) for w in modifiers if w.kind == "describing"}
    if own - one or any(text[w.start : w.end].lower() in lx.KIND_SHAPES for w in modifiers):
        return []  # enzymatic fat necrosis, a wedge compression fracture: the old kind's words stay
    said = [(a, b, one_kind(text[a:b])) for a, b in said]
    return [
        [(a, b, styled(k, text[a:b]))]
        for a, b, w in said
        if w in one
        for k in kinds
        if one_kind(k) != w
    ]


def _unsequenced(text: str, m: Mention) -> list[list[Edit]]:
    """Another modality for an MRI named with its sequence just before it, the sequence dropped
    (a T2-weighted MRI -> a CT): no other modality has MR sequences."""
    new = im.PLANT_MODALITY.get(m.concept) if m.group == "modality" else None
    seq = [x for x in mentions(text) if x.group == "sequence" and x.end <= m.start]
    if not new or not seq or text[seq[-1].end : m.start].strip():
        return []
    swapped = swap_edits(text, m, new)
    if not swapped:
        return []
    edits = [(seq[-1].start, m.start, ""), *swapped]
    article = re.search(r"\b(an?)\s+$", text[: seq[-1].start], re.I)  # an MRI, a T2 -> a CT
    if article:
        edits.insert(0, (article.start(1), article.end(1), styled(article_for(new), article[1])))
    return [edits]


_SPREAD = re.compile(  # one on each side; both in the right lower lobe, both measuring 5 mm
    r",?\s+(?:(one\s+(?:on|in)\s+each\s+(?:side|lung|kidney|hemithorax|lobe))"
    r"|(both)\s+(?=in\b|\w+ing\b))",
    re.I,
)


def _distributed_count(text: str, m: Mention) -> list[list[Edit]]:
    """A count of two spread over two places (two kidneys, one on each side; two nodules, both
    in the right lower lobe) changed with its spread: one kidney, on the left side; three
    nodules, all in the right lower lobe."""
    end = sentence_at(text, m.start)[1]
    spread = _SPREAD.search(text, m.end, end)
    if m.group != "number" or m.concept != "2" or not spread:
        return []
    if re.search(r"\b(?:larger|smaller|greater|bigger|worse)\b", text[spread.end() : end]):
        return []  # one in each hemithorax, larger on the right: the two are compared
    out = []
    drawn = re.search(DRAWN_AFTER, text[m.end : end], re.I)  # most likely old granulomas: plural
    for n in (3,) if drawn else (1, 3):
        count = recount(text, m, n)
        if spread.group(1):  # one on each side -> on the left side (one kidney); none for three
            where = re.sub(r"(?i)^one\s+(on|in)\s+each\s+", r"\1 the left ", spread.group(1))
            new = None if n == 3 else (spread.start(1), spread.end(1), where)
        else:  # both in -> in (one nodule), all in (three)
            new = (spread.start(2), spread.end(2) + 1, "" if n == 1 else "all ")
        if count and new:
            out.append(count + [new])
    return out


def _part_plants(text: str, m: Mention) -> list[list[Edit]]:
    """Another part of organ m where the answer names one (the head -> the tail of the
    pancreas)."""
    said = part_named(text, m)
    if not said or polarity(text, m) < 0:
        return []
    old = text[slice(*said)]
    near_old = _NEAR.match(text, m.end)  # the tail of the pancreas, near the splenic hilum
    cut = [(near_old.start(), near_old.end(), "")] if near_old else []
    return [[(*said, styled(p, old)), *cut] for p in lx.PARTS_OF[m.concept] if p != old.lower()]


_NEAR = re.compile(r",?\s+(?:near|adjacent to|abutting|close to|next to)\b[^,.;]*", re.I)


def _near_cut(text: str, m: Mention, edits: list[Edit] | None) -> list[Edit] | None:
    """edits swapping organ m, with what placed the old organ cut (the ilium, near the
    sacroiliac joint -> the ischium)."""
    near_old = _NEAR.match(text, m.end) if m.group == "organ" and edits else None
    return [*edits, (near_old.start(), near_old.end(), "")] if near_old else edits


def _part_asked(text: str, x: Mention, targets: list[Mention]) -> bool:
    """Whether the part of organ x that the text names is a target (Tail: the tail of the
    pancreas)."""
    said = part_named(text, x)
    return bool(said) and any(m.start <= said[0] < m.end for m in targets)


def _swap_restated(text: str, m: Mention, concept: str) -> list[Edit] | None:
    """m written as concept, and with it every mention of m's concept in its sentence (computed
    tomography (CT); in the left hemithorax, within the left lung): a claim said twice changes
    as one, else the answer would say both."""
    s, e = sentence_at(text, m.start)
    same = [
        x
        for x in mentions(text)
        if s <= x.start < e and (x.group, x.concept) == (m.group, m.concept)
    ]
    if any(concept not in swap_candidates(text, x) for x in same if x != m):
        return None  # a liver cancer, with a hepatic mass: no organ name fits 'hepatic'
    adjective = text[m.start : m.end].lower() == "bilateral"
    if adjective and any(text[x.start : x.end].lower() != "bilateral" for x in same):
        return None  # both lungs, with bilateral opacities: swapped from 'both lungs' alone
    edits = []
    for x in organ_findings(text, m, s, e):  # the spleen is enlarged, with splenomegaly
        megaly = lx.ENLARGED_ORGAN.get(concept)
        if x.concept != lx.ENLARGED_ORGAN.get(m.concept) or not megaly:
            return None  # the liver is cirrhotic: no such word for the spleen
        edits.append(swap_edits(text, x, megaly))
    for x in same:
        bracket = restated(text, x, same)
        if bracket and not text[x.start : x.end].isupper():
            edits.append([(*bracket, "")])  # axial (transverse) -> coronal
        elif x != m and text[x.start : x.end].lower() == "bilateral":
            gap = re.match(r"\s*", text[x.end :]).end()  # with bilateral patchy opacities: the
            edits.append([(x.start, x.end + gap, "")])  # left lung's, never 'left patchy ...'
        else:
            edits.append(swap_edits(text, x, concept))  # computed tomography (CT): both
            edits.append(_part_gone(text, x, concept) if x.group == "organ" else [])
    flat = [edit for x in edits if x is not None for edit in x]
    return flat if None not in edits and no_overlap(flat) else None


def _part_gone(text: str, m: Mention, concept: str) -> list[Edit] | None:
    """The edit dropping the part before organ m's phrase that organ concept lacks (the tail of
    the pancreas -> the liver; the right lobe of the liver -> the spleen), none where it has it
    (the upper pole of the kidney -> of the spleen); None where the part opens its sentence."""
    lead = noun_phrase(text, m).lead
    part = part_of(text, lead)
    if not part or concept in lx.ORGAN_PARTS.get(part_word(part), ()):
        return []
    return None if text[part.start()].isupper() else [(part.start(), lead, "")]


def _targets(response: str, reference: str, question: str) -> list[Mention]:
    """The mentions of an open answer that answer the question: those stating a concept of the
    reference (bilateral for Left Lung, Right Lung), or the reference's phrase the lexicon
    lacks; without a reference of its own, those of the group the question asks for."""
    ref = ref_mentions(reference) if reference != response else []
    said = mentions(response)
    if not ref and reference != response:
        unknown = phrase_in(response, reference_phrase(reference))
        return [unknown] if unknown else []
    if not ref:
        asks = {g: r"\b(?:" + "|".join(ws) + r")\b" for g, ws in lx.QUESTION_GROUPS.items()}
        groups = {g for g, pattern in asks.items() if re.search(pattern, question, re.I)}
        return [m for m in said if not groups or m.group in groups]
    both = {"left", "right"} <= {r.concept for r in ref}  # Left Lung, Right Lung: bilateral
    two = any(r.group == "number" and r.concept == "2" for r in ref)  # 2: both kidneys
    targets = [m for m in said if any(states(response, m, r) for r in ref)]
    premise = {x.concept for x in mentions(question) if x.group in ("organ", "region")}
    premise -= option_concepts(question)  # the chest or the abdomen? both are options, no premise
    asked = [m for m in targets if m.concept not in premise]  # the abnormality in the kidney?
    if not asked or any(m.group not in ("organ", "region") for m in asked):
        targets = asked  # the structure in the bladder? the bladder is given: no answer of its
    pairs = [m for m in said if two and response[m.start : m.end].lower() == "both"]
    sizes = {in_cm(reference, r) for r in ref} - {None}  # 3 cm: 'measures about 30 mm'
    pairs += [m for m in said if m not in targets and in_cm(response, m) in sizes]
    found = targets + [m for m in said if both and m.concept == "bilateral"] + pairs
    return [m for m in found if in_cm(response, m) is None or not _sized(response, m)]


def _sized(text: str, m: Mention) -> bool:
    """Whether size m's sentence names a thing its size defines (6 mm, a microadenoma)."""
    return bool(SIZED.search(text, *sentence_at(text, m.start)))


# A concession after a yes (Yes, a mass, although the sulci are preserved) reads against a no;
# one that denies (though no ascites is seen) still holds.
_CONCEDED = re.compile(r",\s*(?:although|though)\s+(?!no\b|there\s+is\s+no\b)", re.I)


def _closed_plants(response: str, reference: str, question: str) -> list[list[Edit]]:
    """A closed answer's claim turned over with its linked words; where the question asks an
    attribute (Are the effusions bilateral? Is the mass large?) and the answer says it, the
    attribute changed to another value (both sides -> the left side only) and the yes/no with
    it."""
    if re.search(cues.GONE_ASKED, question, re.I):
        return []  # Has the pneumonia resolved? a yes turned alone would leave 'has resolved'
    asked = asked_about(reference, question, response)
    stances = stances_of(response, asked)
    current = lead_answer(response) or (stances[0][1] if stances else 0)
    misplaced = elsewhere(response, asked) if current < 0 and len(asked.sides) == 1 else []
    if misplaced and not stances:  # No, there is a left effusion (asked: right?) -> Yes, right
        (side,) = asked.sides
        sides = [x for m in misplaced for x in _sides_of(response, m)]
        moves = [reside(response, x, side, plant=True) for x in sides]
        return [lead_edit(response, 1) + e for e in moves if e and no_overlap(e)]
    if current < 0 and asked.sides and other_side_found(response, asked.sides):
        return []  # No, the right kidney is normal; the cyst is in the left: one turned, one not
    attribute = [m for m, v in stances if v > 0 and m.group in EXCLUSIVE and current > 0]
    attribute = [m for m in attribute if polarity(response, m) > 0]  # not malignant: turned over
    if attribute:
        brackets = {x.start: restated(response, x, attribute) for x in attribute}
        kept = [m for m in attribute if not brackets[m.start]]
        said = {m.concept: [x for x in kept if x.concept == m.concept] for m in kept}
        swaps = [  # Are they bilateral? No, the left only; a side said twice changes twice
            _all_swapped(response, said[m.concept], c)
            for m in kept
            if m == said[m.concept][0]
            for c in swap_candidates(response, m)
        ]
        cut = [(*b, "") for b in brackets.values() if b]  # magnetic resonance (MR) -> CT
        edits = [lead_edit(response, -1) + e + cut for e in swaps if e]
        return [e for e in edits if no_overlap(e)]
    if current < 0 and len(asked.concepts) > 1:  # X or Y? one said is a yes: one error, not two
        one = [
            closed_edits(response, replace(asked, concepts=[c]), 1, True) for c in asked.concepts
        ]
        if any(one):
            return [e for e in one if e]
    if current > 0 and _CONCEDED.search(response):
        return []
    edits = closed_edits(response, asked, -current, plant=True) if current else None
    if edits and current < 0 and reason_left(response, edits):
        return []  # No evidence of malignancy; the atypia is reactive: the reason would stay
    return [edits] if edits else []


def _all_swapped(text: str, said: list[Mention], concept: str) -> list[Edit] | None:
    """Edits writing concept in place of each of said (a left effusion in the left hemithorax
    -> a right effusion in the right hemithorax): one left alone would contradict it."""
    each = [swap_edits(text, m, concept, only="always") for m in said]
    return None if not all(each) else [e for edits in each for e in edits]


def _sides_of(text: str, m: Mention) -> list[Mention]:
    """The sides in the clause of finding m (a left pleural effusion: left)."""
    return list(near(text, m, "side"))


def report_plants(text: str) -> list[list[list[Edit]]]:
    """Planted errors in a report, in tiers to try in turn: a side or size changed; the only
    finding of a sentence turned over; the first of a denied list asserted (No effusion or
    pneumothorax is seen -> A pleural effusion is seen), these two last where the report finds
    nothing acute; a normal heart or mediastinum called enlarged or widened; normally inflated
    lungs called hyperinflated. Where findings come before it, the impression only restates
    them: no plant there (it would contradict the findings, not the image). Where the impression
    finds nothing wrong, a finding asserted (or, in a normal study, a heart called enlarged) is
    named in it in place of its summary (impressions.py)."""
    out, asserted, every, called = [], [], claims(text), []
    summary = re.search(r"\bIMPRESSION\s*:", text, re.I)
    findings = summary and text[: summary.start()].strip()
    for s, e in sentences(text):
        if findings and s >= summary.start():
            break
        inside = [m for m in mentions(text) if s <= m.start < e]
        sides = [m for m in inside if m.group in ("side", "degree") and not _sided_normal(text, m)]
        out += [swap_edits(text, m, c) for m in sides for c in swap_candidates(text, m)]
        if any(hedged(text, m) for m in inside):
            continue
        mine = [
            c
            for c in every
            if s <= c.mention.start < e and family_of(c.concept) not in lx.NEVER_DENIED
        ]
        found = [c for c in mine if c.mention.group == "finding"]
        course = re.search(_COURSE, text[s:e], re.I)  # no edema persists: no such claim
        unsided = found and found[0].polarity < 0 and _unsided(text, found[0].mention)
        again = found and found[0].polarity > 0 and _placed_again(text, s, e, found[0])
        stays = course or unsided or again  # no edema persists; the impression's pneumonia there
        if len(found) == 1 and not _said_normal(text, found[0].mention) and not stays:
            turned = _in_lobes(text, s, e, found[0], turn_over(text, found[0].mention, True))
            out, asserted = out + turned, asserted + (turned if found[0].polarity < 0 else [])
        elif found and all(c.polarity < 0 for c in found):  # unsided: a side is written in
            first = affirm_first(text, s, e, found[0].mention)
            out, asserted = out + first, asserted + first
        for c in mine:
            organs = sorted({o.concept for o in c.attributes.get("organ", [])})
            ends = re.fullmatch(_NORMAL_END, text[c.mention.end : e])  # normal (in size).
            ends = ends or _normal_organ(text, s, e, c)  # Normal cardiac silhouette.
            known = len(organs) == 1 and organs[0] in lx.ABNORMAL_WORDS  # not heart and contours
            if c.mention.group == "normality" and known and ends:
                out.append(deny_normal(text, c.mention, lx.ABNORMAL_WORDS[organs[0]], True))
                called.append((out[-1], organs[0]))
        out += [p for c in every if s <= c.mention.start < e for p in _device_plants(text, c)]
        inflated = _INFLATED.search(text, s, e)  # the lungs are well expanded -> hyperinflated
        if inflated and not any(c.concept == "emphysema" for c in every):
            out.append([(inflated.start(), inflated.end(), "hyperinflated")])
    out = [c for c in out if c]
    whole, summary = normal_scope(text)[1], summary_sentence(text)
    widened = [id(c) for c, o in called if c and o != "heart"]  # urgent, unlike a larger heart
    if whole and not summary:
        out = [c for c in out if id(c) not in widened]
    if whole and summary:  # the impression names the finding asserted, as a radiologist's would
        named = [c + n for c in asserted if c and (n := named_in_summary(text, c, summary))]
        said = {id(c): f"{lx.ABNORMAL_WORDS[o].capitalize()} {o}" for c, o in called if c}
        if whole != 2:  # a report finding nothing acute keeps it beside a larger heart (chronic)
            said = {k: v for k, v in said.items() if k in widened}
        out = [c + [(*summary, said[id(c)])] if id(c) in said else c for c in out]
        return [[c for c in out if c not in asserted], named]
    if whole != 1:
        return [out]
    # Where the report finds nothing acute, a new finding (an effusion, free air) reads against
    # its impression to many radiologists: a chronic change (a larger heart) is tried first.
    return [[c for c in out if c not in asserted], [c for c in out if c in asserted]]


def _placed_again(text: str, s: int, e: int, c: Claim) -> bool:
    """Whether another sentence asserts a finding where claim c places its own, organ and side
    (left lower lobe airspace disease; IMPRESSION: Left lower lobe pneumonia): c denied would
    contradict it."""
    where = {(k, x.concept) for k in ("organ", "side") for x in c.attributes.get(k, [])}
    return any(k == "organ" for k, _ in where) and any(
        where <= {(k, x.concept) for k in ("organ", "side") for x in d.attributes.get(k, [])}
        for d in claims(text)
        if not s <= d.mention.start < e and d.polarity > 0 and d.mention.group == "finding"
    )


def _unsided(text: str, m: Mention) -> bool:
    """Whether the clause of finding m, one per side (a pneumothorax, an effusion), gives it no
    side: asserted there, it would lie nowhere (There is a pneumothorax.; the left subclavian
    line ends in the SVC, and there is a pneumothorax), which experts refuse as no
    radiologist's sentence."""
    a, b = clause(text, m.start)
    return m.concept in lx.ONE_PER_SIDE and not any(x.group == "side" for x in mentions(text[a:b]))


def _normal_organ(text: str, s: int, e: int, c: Claim) -> bool:
    """Whether sentence text[s:e] is only 'Normal <organ>.' (Normal cardiac silhouette.), which
    a plant may call enlarged; not 'Normal heart size.' ('Enlarged heart size' is no phrase)."""
    named = [o for o in c.attributes.get("organ", []) if o.start == c.mention.end + 1]
    lead = re.fullmatch(r"(?:[A-Z]+\s*:\s*)?", text[s : c.mention.start])  # FINDINGS:
    if not (lead and named) or text[named[0].end : e].strip(" ."):
        return False
    return "size" not in text[named[0].start : named[0].end].lower()


_INFLATED = re.compile(r"\b(?:normally|well)[\s-]+(?:inflated|expanded|aerated)\b", re.I)


_COURSE = r"\b(?:persist\w*|unchanged|stable|remains?|improv\w*|wors\w*|increas\w*|decreas\w*)\b"
_NORMAL_END = r"(?:\s+(?:in|for)\s+(?:size|caliber)(?:\s+and\s+contour)?)?[\s.]*"


def _sided_normal(text: str, m: Mention) -> bool:
    """Whether side m says which side of an organ is normal (the left lung is clear): the other
    side is where the report's finding lies, so a swap would contradict the report itself."""
    return m.group == "side" and owner(text, m) is None and bool(near(text, m, "normality"))


def _said_normal(text: str, m: Mention) -> bool:
    """Whether m's clause calls an organ normal (the lungs are clear without consolidation), or
    its sentence one side of it (the left lung is clear, and there is no pneumothorax): m
    turned over alone would leave the text saying both."""
    s, e = sentence_at(text, m.start)
    sided = any(_sided_normal(text, x) for x in mentions(text) if s <= x.start < e)
    return sided or any(normal_value(text, x) > 0 for x in near(text, m, "normality"))


def _device_plants(text: str, c: Claim) -> list[list[Edit]]:
    """A device's tip put in another of its sites (in the stomach -> in the esophagus), without
    the course that went with the old one (extends below the diaphragm); not in one of a pair
    (a bronchus), whose side no plant can tell."""
    sites, out = lx.SITES.get(c.concept, ()), []
    course = course_cut(text, *sentence_at(text, c.mention.start))  # below the diaphragm: goes
    if course is None or generic_approvals(text, []):
        return []  # 'Lines and tubes are appropriately positioned' would stay
    for o in c.attributes.get("organ", []) if c.polarity > 0 and not c.hedged else []:
        if o.concept in sites and re.search(r"\bin(?:to)?\s+(?:the\s+)?$", text[: o.start]):
            others = [x for x in sites if x != o.concept and not lx.ORGANS[x][2]]  # no side told
            out += [[(o.start, o.end, lx.ORGANS[x][0][0])] + course for x in others]
    return out


def affirm_first(text: str, s: int, e: int, m: Mention) -> list[list[Edit]]:
    """A list that opens with 'No' asserts its first finding alone, the rest still denied; one
    of one per side right after the 'no' of the least degree, on either side or both (No effusion
    or pneumothorax. -> A small left effusion but no pneumothorax.; no hydronephrosis -> mild)."""
    both = written_plural(text, m)  # There are no pleural effusions. -> small bilateral ones
    one = m.concept in lx.ONE_PER_SIDE and not both
    s += len(re.match(r"(?:[A-Z]+\s*:\s*)?", text[s:e]).group())  # FINDINGS: No effusion.
    a = max(clause(text, m.start)[0], s)  # ..., and there is no pneumothorax: its clause alone
    mass = text[m.start : m.end].lower().endswith("fluid")  # no 'small left pleural fluid'
    opener = r"(?:There\s+(?:is|are)\s+)?No\s+" if m.concept in lx.ONE_PER_SIDE else "$^"
    opener = "$^" if mass else opener
    bare = re.fullmatch(opener, text[a : m.start], re.I)
    post = POST_VERB.search(text, m.end, e)
    if bare and not post:  # the list split as a correction splits it (edits.affirm)
        edits = affirm(text, m)
        sides = ("bilateral",) if both else ("right", "left")
        least = lx.DEGREES["size" if m.concept in lx.SIZE_FINDINGS else "severity"][1]
        sized = [with_words(text, m, edits, f"{least} {side}") for side in sides]
        return [x for x in sized if x] if edits else []
    bare = bare and one
    agrees = not post or written_plural(text, m) == (post.group(1).lower() == "are")
    there = re.match(r"(There\s+(?:is|are))\s+no\s+(?:[\w-]+\s+){0,2}$", text[s : m.start], re.I)
    if not (re.match(r"No\s", text[s:e]) and np_start(text, m) == s or there) or not agrees:
        return []
    word = re.sub(r"^(?:There\s+(?:is|are)\s+)?No\s+", "", text[s : m.end], flags=re.I)
    article = np_article(text, m, m.end - len(word)) if post or there else ""  # a left effusion
    head = styled(article, "No") + " " + lower_first(word) if article else styled(word, "No")
    head = " ".join(w for w in (there.group(1), article, word) if w) if there else head
    end = post.start() if post else s + len(text[s:e].rstrip(" ."))
    rest = re.sub(r"^\s*,?\s*(?:or|and)?\s*(?:no\s+)?", "", text[m.end : end], flags=re.I)
    rest = re.sub(r",\s*(or|and)\s+", r" \1 ", rest)  # effusion, or pneumothorax
    denied = [(post.end(), post.end(), f", without {rest}")] if post and rest else []
    if not post and rest:
        denied = [(m.end, end, f" but no {rest}")]
    heads = [head]
    if bare:  # A small right pleural effusion is seen, without pneumothorax.
        heads = [styled(f"A small {side} ", "No") + word.lower() for side in ("right", "left")]
    if both and post and m.concept in lx.ONE_PER_SIDE:  # No pleural effusions are seen.
        heads = [styled("Small bilateral ", "No") + word.lower()]
    cut = [(m.end, end, "")] if post or not rest else []
    at = post.end() if post else m.end  # Focal consolidation (is seen) in the right lower lobe
    places = [f" in the {side} lower lobe" for side in ("right", "left")]
    placed = [[(at, at, p)] for p in places] if m.concept in _LOBAR else [[]]
    return [
        sorted([(s, m.end, h), *cut, *where, *denied], key=lambda x: (x[0], x[1] != x[0]))
        for h in heads
        for where in placed
    ]  # as a radiologist would say it: the consolidation in a lobe, the effusion with its side


_IS = re.compile(rf"\b(?:is|are|was|were|there|seen|(?:{'|'.join(cues.VERBS)})\w*)\b", re.I)
_LOBAR = ("consolidation", "pneumonia")  # planted in a lobe: never 'focal consolidation' alone


def _in_lobes(text: str, s: int, e: int, c: Claim, edits: list[Edit] | None) -> list:
    """edits, and where they assert a lobar finding its sentence places nowhere and ends after
    (No focal consolidation is seen.), one per lower lobe it is placed in instead; a bare denial
    loses its 'No' (No focal consolidation. -> Focal consolidation in the right lower lobe.)."""
    post = POST_VERB.match(text, c.mention.end)
    at = post.end() if post else c.mention.end
    if not edits or c.polarity > 0 or c.concept not in _LOBAR or text[at:e].strip() != ".":
        return [edits]
    if c.attributes.get("organ") or c.attributes.get("side"):
        return [edits]
    bare = re.match(r"No\s+(\w)", text[s:e]) if not post else None
    edits = [(s, s + bare.end(), bare.group(1).upper())] if bare else edits
    return [[*edits, (at, at, f" in the {side} lower lobe")] for side in ("right", "left")]


def lower_first(word: str) -> str:
    """A phrase's first word in lower case unless written in capitals (CT, T2)."""
    first, _, more = word.partition(" ")
    return (first if first.isupper() else first.lower()) + (" " + more if more else "")
