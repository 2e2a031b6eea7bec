"""What a sentence cannot say at once, and the words only one modality uses: the precision
guards of clinical.py read them to refuse an edit that leaves a sentence contradicting itself
(a finding asserted and denied, 'only' beside another finding, benign beside malignant), a
modality beside another's words (a CT with gadolinium), or evidence that tells another concept
(tells: a textbook feature of it); whether a hedge speaks of the answer's own claim; and whether
a finding is told as the evidence of another or concluded to be it (told_as_evidence), or a
behaviour by the tumour's own name (named_behaviour: a benign leiomyoma). Imports imaging.py,
lexicon.py and claims.py.
"""

from __future__ import annotations

import re

import cues
import imaging as im
import lexicon as lx
from claims import (
    Claim,
    Mention,
    clause,
    concept_of,
    covers,
    cue_pattern,
    cues_in,
    hedge_spans,
    hedged,
    mentions,
    near,
    noun_phrase,
    owner,
    polarity,
    sentence_at,
    sentences,
    words,
)
from unlisted import unasked_hedges, word_prefixes

_NON = re.compile(r"\bnon-?([a-z]{4,})\b", re.I)  # noncalcified, non-enhancing
_CONFINED = re.compile(r"\b(?:confined|limited|restricted)\s+to\b", re.I)
_REACHES = re.compile(
    r"(?<!not )(?<!n't )\b(?:reach|extend|involve|invade|infiltrate|penetrate|breach)(?:es|s)?\b",
    re.I,
)


_DENIED_YET_DESCRIBED = re.compile(  # no blood measuring 40 HU; no emphysema, as streaky lucencies
    r"\bno\s+[^.;]*?(?:\bmeasur(?:ing|es)\s+(?:about\s+|approximately\s+|up\s+to\s+)?\d"
    r"|\bseen\b[^.;,]*,\s+as\s+(?!(?:the|a|an|it|there|this)\b)\w)",
    re.I,
)


def _word_and_opposite(said: str) -> set[str]:
    """A sentence saying a word and its non- form (the densities are calcified and more likely
    noncalcified nodules), a tumour confined to a layer that reaches beyond it (the nests are
    confined to the superficial dermis and reach the deep margin), or a denied thing measured."""
    out = set()
    for m in _NON.finditer(said):
        bare = rf"(?<![\w-])(?<!not )(?<!non){re.escape(m.group(1))}\b"
        if re.search(bare, said, re.I):
            out.add(f"word_and_non:{m.group(1).lower()}")
    if _CONFINED.search(said) and _REACHES.search(said):
        out.add("confined_and_reaching")
    if _DENIED_YET_DESCRIBED.search(said):
        out.add("denied_and_measured")  # no blood measuring about 40 HU
    return out


def contradictions(text: str, s: int, e: int) -> set[str]:
    """The ways text[s:e] contradicts itself (unhedged claims only): a finding asserted and
    denied, or its generic (hemoperitoneum; no free fluid), with the same sides; a side or organ
    said and denied (in the right lung, not the right lung); 'only' beside a finding asserted in
    another clause; 'benign' beside a malignant word, 'malignant' beside a benign tumour's name
    (an angiomyolipoma, a malignant fatty tumor); a finding asserted where any sentence of text
    says the state that rules it out (the costophrenic angles are sharp); a new finding where the
    text says no interval change; a finding whose head word the sentence denies bare
    (no torsion, consistent with a testicular torsion); one said 'with' a normal organ (the
    vasculature is normal, with congestion); abnormal beside findings only denied; one beside
    its own 'non-' word (hemorrhage, and a non-hemorrhagic mass)."""
    inside = [m for m in mentions(text) if s <= m.start < e and not hedged(text, m)]
    inside = [m for m in inside if not _place_of_denied(text, m)]
    found, out = [(m, polarity(text, m)) for m in inside], set()
    for m, p in found:
        for x, q in found:
            kin = (
                m.concept == x.concept
                or m.group == x.group == "finding"
                and covers(x.concept, m.concept)
            )
            same = kin and p > 0 > q and m.group in ("finding", "side", "organ")  # no free fluid
            if same and (m.group == "side" or _sides(text, m) == _sides(text, x)):
                out.add(f"said_and_denied:{m.concept}")
    for a, _ in cues_in(text[s:e], cues.EXCLUSIVE_CUES):
        apart = [m for m, p in found if p > 0 and m.group == "finding"]
        if any(clause(text, m.start) != clause(text, s + a) for m in apart):
            out.add("only")  # granulomas are identified; the tissue shows only fibrosis
    findings = {p for m, p in found if m.group == "finding"}
    if findings == {-1} and any(m.concept == "abnormal" and p > 0 for m, p in found):
        out.add("abnormal_of_nothing")  # no lesion, no dilatation; it appears abnormal
    unchanged = re.search(r"\bno\s+interval\s+change\s*(?:[.;]|$)", text, re.I)
    for m, p in found:
        head = re.escape(text[m.start : m.end].split()[-1])  # a testicular torsion ... no torsion
        if (
            p > 0
            and m.group == "finding"
            and re.search(rf"\b(?:no|without)\s+{head}\b", text[s:e], re.I)
        ):
            out.add(f"head_denied:{m.concept}")
        root = re.escape(text[m.start : m.end].split()[-1][:6])  # hemorrhage; a non-hemorrhagic
        if p > 0 and m.group == "finding" and re.search(rf"\bnon-?{root}", text[s:e], re.I):
            out.add(f"non_beside:{m.concept}")
        if p > 0 and re.search(_NORMAL_STATES.get(m.concept, "(?!)"), text, re.I):
            out.add(f"state_denies:{m.concept}")  # the angles are sharp; an effusion
        if p > 0 and m.group == "finding" and _NORMAL_WITH.search(text[s : m.start]):
            out.add(f"normal_with:{m.concept}")  # the vasculature is normal, with congestion
        if p > 0 and m.group == "finding" and _EITHER.search(text, *clause(text, m.start)):
            out.add(f"in_either:{m.concept}")  # a mass is seen in either breast: which?
        new = re.search(r"\bnew\b", text[noun_phrase(text, m).start : m.start], re.I)
        if p > 0 and m.group == "finding" and new and unchanged:
            out.add(f"new_and_unchanged:{m.concept}")  # a new opacity; no interval change
    out |= _placed_twice(text, [m for m, p in found if p > 0 and m.group == "finding"])
    out |= _excluded_looks(text, s, e) | _word_and_opposite(text[s:e])
    enlarged = {lx.ORGAN_ENLARGED.get(concept_of(text, m)) for m, p in found if p > 0} - {None}
    small = rf"\b(?:{'|'.join(lx.SMALL_WORDS)})\s+(?:[\w-]+\s+){{0,3}}$"
    if any(re.search(small, text[s : m.start], re.I) for m, _ in found if m.concept in enlarged):
        out.add("small_and_enlarged")  # enlarged nodes are seen; the few small nodes ...
    benign = any(m.concept == "benign" and p > 0 for m, p in found)
    named = any(
        p > 0 and text[m.start : m.end].lower().endswith(lx.BENIGN_ENDINGS) for m, p in found
    )
    said = any(m.concept == "malignant" and p > 0 for m, p in found)
    both = benign and malignant_words(text[s:e]) or named and said
    return out | ({"benign_malignant"} if both else set())


# Looks that rule one another out when both are asserted of a lesion (a solid mass with
# cavitation; a simple cyst with septations).
_EXCLUDED_LOOKS = {"solid": r"cavit\w*", "simple": r"septations?|septated|mural\s+nodules?",
                   r"acantholy\w*": "subepidermal"}  # fmt: skip  # an acantholytic split: within


def _excluded_looks(text: str, s: int, e: int) -> set[str]:
    """The looks of _EXCLUDED_LOOKS that text[s:e] asserts with one they rule out."""
    out = set()
    for look, others in _EXCLUDED_LOOKS.items():
        said = [re.finditer(rf"\b(?:{w})\b", text[s:e], re.I) for w in (look, others)]
        said = [
            [Mention("finding", x.group(), s + x.start(), s + x.end()) for x in f] for f in said
        ]
        if all(any(polarity(text, m) > 0 for m in ms) for ms in said):
            out.add(f"excluded_look:{look}")
    return out


_EITHER = re.compile(r"\b(?:in|of)\s+(?:either|any)\b", re.I)  # said of a denial alone
_NORMAL_WITH = re.compile(
    r"\b(?:normal|clear|unremarkable|intact),?\s+with\s+(?:[\w-]+\s+){0,3}$", re.I
)


def _placed_twice(text: str, asserted: list[Mention]) -> set[str]:
    """A finding asserted in one clause and taken up again as 'the' finding in another that
    places it elsewhere (a tear of the lateral meniscus; the tear involves the medial meniscus)."""
    out = set()
    for m in asserted:
        for x in asserted:
            again = x.start > m.end and x.concept == m.concept
            again = again and re.search(r"\bthe\s+$", text[: x.start], re.I)
            if not again or clause(text, m.start) == clause(text, x.start):
                continue
            places = [concepts_in(text, *clause(text, y.start), "organ") for y in (m, x)]
            if all(places) and not places[0] & places[1]:
                out.add(f"placed_twice:{m.concept}")
    return out


def malignant_words(text: str) -> bool:
    """Whether text says malignant in a word (a malignancy, a carcinoma, a chondrosarcoma)."""
    said = words(text.lower())
    return any(w in lx.MALIGNANT_WORDS or w.endswith(lx.MALIGNANT_ENDINGS) for w in said)


def behaviour_word(text: str, m: Mention) -> int:
    """+1 where finding m is named by a word that says malignant (a malignancy, a carcinoma), -1
    by one that names a benign tumour (an adenoma, a lipoma) where no word says malignant (a
    chondrosarcoma arising from an osteochondroma), else 0."""
    name = text[m.start : m.end].lower()
    benign = -1 if name.endswith(lx.BENIGN_ENDINGS) and not malignant_words(text) else 0
    return 0 if m.group != "finding" else 1 if malignant_words(name) else benign


# Both organs said in the state that rules a finding out, in words the lexicon does not read.
_STATE = r"\s+(?:\w+\s+){0,2}?(?:is|are|appears?|remains?)\s+(?!not\b)(?:\w+\s+)?"
_FULLY = r"\s+(?:is|has)\s+(?:fully|completely)\s+re-?expanded\b"  # not where a rim stays
_NORMAL_STATES = {
    "pleural effusion": rf"\bcostophrenic\s+(?:angles|sulci|recesses){_STATE}(?:sharp|clear)\b",
    "pneumothorax": rf"\blungs{_STATE}expanded\b|\blung{_FULLY}|\bcomplete\s+re-?expansion\b",
    "extraprostatic extension": r"\bcapsule\b[^.]*?\b(?:preserved|intact)\b",
}


# What said the asked thing absent in other words (the tubular epithelium is intact; the renal
# pelvis is collapsed; the villi are of normal height): a yes made of a no beside it would leave
# the sentence saying both.
_STILL_NORMAL = re.compile(
    r"\b(?:is|are|remains?|appears?)\s+(?:\w+\s+){0,2}?(?:intact|collapsed|preserved|continuous|of\s+"
    r"normal\s+(?:height|thickness|size|length))\b",
    re.I,
)
# What an intact or continuous part rules out, where the question names the finding, not the part.
_RULED_OUT_BY = {
    r"\b(?:ulcer|erosi|erode|denud)": r"\b(?:epiderm|mucos|surface|epitheli|skin)",  # ulcerated?
    r"\bfractur": r"\b(?:cortex|cortices|cortical|bones?|osseous)\b",  # a fracture?
}


def still_normal(text: str, question: str) -> bool:
    """Whether text calls intact, continuous or of normal height what the question names (the
    tubular epithelium, asked about tubulitis; the villi, of villous atrophy) or the part whose
    state rules out the finding it names (the epidermis, of ulceration; the cortices, of a
    fracture)."""
    asked = {w[:4] for w in word_prefixes(question)}  # villi, asked about villous atrophy
    for said in _STILL_NORMAL.finditer(text):
        subject = text[clause(text, said.start())[0] : said.start()]
        if {w[:4] for w in word_prefixes(subject)} & asked:
            return True
        if any(re.search(f, question, re.I) and re.search(p, subject, re.I)
               for f, p in _RULED_OUT_BY.items()):  # fmt: skip
            return True
    return False


def ruled_out(answer: str, question: str, concepts: list[str]) -> bool:
    """Whether answer, saying nothing of the asked findings themselves, says the state that rules
    them out (the costophrenic angles are sharp, asked of an effusion; the orbital walls appear
    intact, asked of a fracture of the orbit), where the question asks no such state itself."""
    if not concepts or {"normal", "abnormal"} & set(concepts) or _STILL_NORMAL.search(question):
        return False
    ruled = ruled_out_by_state(answer, 0, len(answer))
    return any(covers(r, c) for r in ruled for c in concepts) or still_normal(answer, question)


def ruled_out_by_state(text: str, start: int, end: int) -> set[str]:
    """The findings that text[start:end] rules out by an organ's state in words the lexicon does
    not read (the costophrenic angles are sharp: no pleural effusion)."""
    part = text[start:end]
    return {c for c, state in _NORMAL_STATES.items() if re.search(state, part, re.I)}


def _place_of_denied(text: str, m: Mention) -> bool:
    """Whether organ m is only where a denied finding is not (no opacity in the lung field):
    the organ itself is not denied."""
    if m.group != "organ" or polarity(text, m) > 0:
        return False
    lead = noun_phrase(text, m).lead
    at = re.search(r"\b(?:in|within|at|along|throughout|of)\s+$", text[:lead], re.I)
    before = [x for x in mentions(text[clause(text, m.start)[0] : lead]) if x.group == "finding"]
    return bool(at and before)


def _sides(text: str, m: Mention) -> set[str]:
    """The sides m's clause gives a finding, or its phrase an organ (the right lung)."""
    if m.group == "organ":
        return {w.concept for w in noun_phrase(text, m).kinds("side")}
    return {x.concept for x in near(text, m, "side") if owner(text, x) in (m, None)}


def modality_conflict(text: str) -> str:
    """A word of text that only another modality than the one text names uses (a CT with
    gadolinium, an ultrasound that is hyperdense), else ''."""
    named = {m.concept for m in mentions(text) if m.group == "modality"}
    for hybrid, parts in im.HYBRID_PARTS.items():
        if hybrid in named and named - {hybrid, *parts}:
            return hybrid  # a PET-MRI laid over the CT anatomy
    named |= {part for hybrid in named for part in im.HYBRID_PARTS.get(hybrid, ())}  # FDG PET-CT
    for modality, said in im.MODALITY_WORDS.items():
        for w in said if named and modality not in named else ():
            flags = 0 if w.isupper() or w[:1].isupper() and w[1:2].isdigit() else re.I
            if re.search(r"(?<![\w-])" + re.escape(w) + r"s?(?!\w)", text, flags):  # flow voids
                return w
    return ""


def tells(text: str, concepts: set[str], posed: str = "") -> bool | None:
    """Whether text states a textbook feature (lexicon.FEATURES_OF) of one of concepts, other
    than one an open question poses (which stain demonstrates the acid-fast bacilli? 'acid-fast'
    is its premise, not the answer's evidence); None where it denies one (gallstones without
    posterior acoustic shadowing: told against)."""
    found = [m for c in concepts for m in re.finditer(lx.FEATURES_OF.get(c, "$^"), text, re.I)]
    found = [m for m in found if not posed or m.group().lower() not in posed.lower()]
    if any(
        cues_in(text[clause(text, m.start())[0] : m.start()], cues.PRE_NEGATIONS) for m in found
    ):
        return None  # denied in its own clause (without posterior acoustic shadowing)
    return bool(found)


def told_apart(text: str, old: set[str], new: set[str]) -> bool:
    """Whether text states a feature of one of old that no feature of new covers (nodules of
    glands and fibromuscular stroma in the transition zone: the glands fit a carcinoma too, the
    stroma and the zone only the hyperplasia)."""
    theirs = [m.span() for c in new for m in re.finditer(lx.FEATURES_OF.get(c, "$^"), text, re.I)]
    return any(
        not any(a < m.end() and m.start() < b for a, b in theirs)
        for c in old
        for m in re.finditer(lx.FEATURES_OF.get(c, "$^"), text, re.I)
    )


# A hedge in a clause that draws a further claim from the answer's (the right MCA shows the
# hyperdense vessel sign, which suggests acute thrombus; a focus that most likely represents a
# cyst): the answer itself is not hedged, unless the hedge speaks of what it answers.
_FURTHER = re.compile(  # which suggests ...; and its irregular margins raise concern for ...
    r"(?:,\s*which|\bthat)\s+(?:\w+\s+){0,2}$|,\s*and\s+(?:its|their)\s+(?:\w+\s+){1,3}$", re.I
)
_DRAWN = re.compile(
    rf"(?:(?<=,\s){cue_pattern(cues.HEDGED_DRAWN)}|(?<=\w\s)(?:suggestive\s+of|concerning\s+for|"
    rf"suspicious\s+for|worrisome\s+for))\s+(?:an?\s+)?(?=\w)",
    re.I,
)  # ..., likely a T1-weighted sequence; lesions suggestive of metastases: what the answer adds


def answer_hedged(answer: str, concepts: set[str], question: str = "") -> bool:
    """Whether a hedge of the answer speaks of its own claim: not only of a further one, or of
    a further one that names one of concepts (material that could be amyloid, for amyloid)."""
    for a, b in unasked_hedges(answer, question):
        named = {m.concept for m in mentions(answer) if a <= m.start < b}
        further = _FURTHER.search(answer, 0, a) or _DRAWN.match(answer, a)  # , suggestive of
        if not further or named & concepts:
            return True
    return False


_LEADS = re.compile(rf"\b(?:{cues.EVIDENCE_LEADS}|{lx.CONCLUSIONS}|{cues.CAUSES})\b", re.I)
_CONCLUDES = re.compile(rf"\b(?:{lx.CONCLUSIONS})\b", re.I)


def told_as_evidence(answer: str, m: Mention, said: set[str]) -> bool:
    """Whether finding m is told as the evidence or cause of a finding of said before it in its
    sentence (liver cancer, with a large hepatic mass; a stenosis caused by a calcified plaque), or
    concluded to be one after it (a spiculated mass consistent with lung cancer), not as one more
    (nodules, and there is an effusion)."""
    for x in mentions(answer):
        if x.concept not in said or x.start < m.end < x.end:
            continue
        before = x.end <= m.start
        between = answer[x.end : m.start] if before else answer[m.end : x.start]
        leads = _LEADS if before else _CONCLUDES
        if not re.search(r"[.;]|\bthere\b", between) and leads.search(between):
            return True
    return False


def kin_denied(text: str, concept: str, s: int, e: int) -> bool:
    """Whether a sentence other than text[s:e] denies, unhedged, concept or a finding whose
    textbook features name it (an intimal flap made present; no evidence of aortic dissection)."""
    for m in mentions(text):
        if s <= m.start < e or m.group != "finding" or polarity(text, m) >= 0:
            continue
        features = lx.FEATURES_OF.get(m.concept, "$^")
        named = [x for x in mentions(text[s:e]) if x.concept == concept]
        told = any(re.search(features, text[s + x.start : s + x.end], re.I) for x in named)
        if (m.concept == concept or told) and not hedged(text, m):
            return True
    return False


def described_by(text: str, said: list[Claim], ref_f: dict) -> bool:
    """Whether the claims said of a finding the reference leaves out describe one it states:
    as its feature (a_feature) or its evidence (concluded_as)."""
    return a_feature(text, said, ref_f) or concluded_as(text, said, ref_f)


def concluded_as(text: str, said: list[Claim], ref_f: dict) -> bool:
    """Whether each claim said of a finding the reference leaves out is concluded, later in its
    sentence, to be one the reference states (a calcified nodule that likely represents a healed
    granuloma): the answer names the reference's finding by its evidence."""
    stated = {f for f in ref_f if ref_f[f][0] == 1}
    for c in said:
        s, e = sentence_at(text, c.mention.start)
        drawn = _DRAWN_AS.search(text, c.mention.end, e)
        if not drawn:
            return False
        later = [m for m in mentions(text) if drawn.end() <= m.start < e]
        sides = {x.concept for x in mentions(text[s : drawn.start()]) if x.group == "side"}
        if not any(m.concept in stated and sides <= _sides_of(ref_f[m.concept][1]) for m in later):
            return False  # consolidation on the left, consistent with the right's pneumonia
    return bool(said)


def _sides_of(said: list[Claim]) -> set[str]:
    return {x.concept for c in said for x in c.attributes.get("side", [])}


_DRAWN_AS = re.compile(rf"\b(?:{lx.CONCLUSIONS}|represents?|representing)\b", re.I)


def a_feature(text: str, said: list[Claim], ref_f: dict) -> bool:
    """Whether each claim said of a finding the reference leaves out is a feature (FEATURES_OF)
    of a finding the reference states, its sentence writing it so (traction bronchiectasis, for
    radiation fibrosis): a description of that finding, not one of its own."""
    told = [lx.FEATURES_OF[f] for f in ref_f if ref_f[f][0] == 1 and f in lx.FEATURES_OF]
    for c in said:
        s, e = sentence_at(text, c.mention.start)
        spans = [m.span() for p in told for m in re.finditer(p, text[s:e], re.I)]
        if not any(s + a <= c.mention.start < s + b for a, b in spans):
            return False
    return bool(said)


def restates(found: dict, general: str, kind: str) -> bool:
    """Whether a report's generic finding only restates its one asserted kind of it, on no other
    side (airspace opacities, then bilateral opacities in the impression): one finding."""
    if [k for k in lx.GENERIC[general] if k in found] != [kind]:
        return False
    if found[general][0] != 1 or found[kind][0] != 1:
        return False
    return _sides_of(found[general][1]) <= _sides_of(found[kind][1])


def landmark_normal(text: str, m: Mention, finding: str) -> bool:
    """Whether normality term m, in a clause 'which ...', speaks of an organ its sentence names
    after finding, asserted (a hydrocele surrounding the right testis, which itself appears
    normal): the organ beside the finding is normal, the finding is not denied."""
    s, _ = sentence_at(text, m.start)
    before = [x for x in mentions(text) if s <= x.start < m.start]
    said = [x.end for x in before if x.concept == finding and polarity(text, x) > 0]
    which = [x for x in before if re.fullmatch(_WHICH, text[x.end : m.start], re.I)]
    return any(x.group == "organ" and said and said[0] < x.start for x in which)


_WHICH = r",?\s*(?:which|that)\b[^,;.]*"


_DENIAL = r"\b(?:no|not|without|negative|free|absence|absent|neither|nor|none)\b"


def alternatives(text: str) -> set[str]:
    """The sentences of text (lower case) that offer two things as alternatives (the tip at the
    cavoatrial junction or right atrium): an 'or' in a sentence that denies nothing and has no
    hedge of its own (may represent X or Y is a hedge): never right against one reference."""
    said = [text[s:e].lower() for s, e in sentences(text)]
    said = [x for x in said if not hedge_spans(x) and not re.search(_DENIAL, x)]
    return {x for x in said if re.search(r"\bor\b", x)}


def offered(text: str, found: list) -> bool:
    """Whether a claim of found names its finding as one of two it offers (consistent with ARDS
    or edema): an answer that hedges between them says no less."""
    return any(
        re.match(r"\s+or\b", text[c.mention.end :])
        or re.search(r"\bor\s+(?:\w+\s+){0,2}$", text[: c.mention.start])
        for c in found
    )


def asserted_in(text: str, s: int, e: int) -> set[str]:
    """The findings text[s:e] asserts."""
    return {
        m.concept
        for m in mentions(text)
        if s <= m.start < e and m.group == "finding" and polarity(text, m) > 0
    }


def denied_outside(text: str, s: int, e: int) -> set[str]:
    """The findings text denies outside text[s:e] (the impression's 'without pneumothorax')."""
    return {
        m.concept
        for m in mentions(text)
        if not s <= m.start < e and m.group == "finding" and polarity(text, m) < 0
    }


def concepts_in(text: str, s: int, e: int, group: str = "finding") -> set[str]:
    """The concepts of group (findings, organs) that text[s:e] names."""
    return {m.concept for m in mentions(text) if s <= m.start < e and m.group == group}


def named_behaviour(text: str, m: Mention) -> bool:
    """Whether behaviour m's sentence names the tumour it is said of (a benign leiomyoma; a
    benign tumor: a follicular adenoma): the name says it too, so no edit of m may turn it."""
    s, e = sentence_at(text, m.start)
    named = [x for x in mentions(text) if s <= x.start < e and x.concept in lx.TUMOUR_NAMES]
    return m.group == "behaviour" and bool(named)


def named_other(text: str, start: int, also: tuple[str, ...] = ()) -> bool:
    """Whether the term at start is named as another one (no other fracture; also: new)."""
    others = "|".join(lx.OTHER_WORDS + also)
    return bool(re.search(rf"\b(?:{others})\s+(?:[\w-]+\s+){{0,2}}$", text[:start], re.I))
