"""Reading an answer: where the lexicon's terms stand, and what the text claims about them.

A text is cut into sentences and clauses (at but, however, there is, ', and', ';'); a term (Mention)
is denied by a negation cue in its clause (NegEx style: no, without, is not seen) and unsure in a
hedged stretch (ConText style: may, cannot be excluded, either ... or). A claim is a finding or
normality term with its polarity, hedge and the attributes of its clause (side, size, count, organ);
a side, size or count belongs to the one finding whose noun phrase it is in. A noun phrase is read
leftwards from its head: the determiner and the words between (a small left pleural effusion;
several calcified granulomas; the sigmoid colon). A phrase the lexicon lacks (mitotic figures) is
read as a finding where a question or a reference names it. What a sentence cannot say at once
(contradictions) and the words only one modality uses (modality_conflict) are read here for the
editor's guards. Imports the standard library, numpy, lexicon.py and imaging.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import cues
import imaging as im
import lexicon as lx

WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")  # words (X-ray, don't) and single punctuation
TOKEN = re.compile(r"\d+(?:[.,]\d+)+|" + WORD.pattern)  # the same, with 3.5 as one word


def words(text: str) -> list[str]:
    """The lower-cased alphanumeric words of text (3.5 and X-ray are one word each)."""
    return [t.lower() for t in TOKEN.findall(text) if t[0].isalnum()]


STOP = set(cues.FUNCTION_WORDS) | {"what", "which", "how", "where", "yes", "no"}


_BRITISH = re.compile(r"(?<=[a-z])ae(?=[a-z])|(?<![a-z])oe(?=[a-z])|(?<=[rh])oe(?=[a-z])")


def stem(w: str) -> str:
    """A crude word form: effusions, enlarged, left-sided, T2-weighted, oedema -> their stem."""
    w = re.sub(r"-(sided|weighted)$", "", w.lower())
    w = _BRITISH.sub("e", w) if "ae" in w or "oe" in w else w
    for suffix in ("ies", "es", "s", "ed", "ing", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


@lru_cache(maxsize=8192)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences of text (split after . ! ? and at line breaks)."""
    end = r"(?<=[.!?])(?<!i\.e\.)(?<!e\.g\.)(?<!\bvs\.)(?<!\([A-Z]\.)\s+(?=\S)|\n+"  # not (G. x
    cuts = [(m.start(), m.end()) for m in re.finditer(end, text)]
    starts, ends = [0] + [e for _, e in cuts], [s for s, _ in cuts] + [len(text)]
    return tuple((s, e) for s, e in zip(starts, ends, strict=True) if text[s:e].strip())


@dataclass
class Verdict:
    """right: True, False, or None (cannot tell: hedged, both options). why: a reason code."""

    right: bool | None
    why: str


# -------------------------------------------------------------------------------------------------
# Mentions: where the lexicon's terms stand in a text, the longest term first.


@dataclass(frozen=True)
class Mention:
    """One lexicon term in a text: its group, canonical concept and character span."""

    group: str  # side normality modality plane sequence region organ finding degree number
    concept: str
    start: int
    end: int


def _pattern(form: str) -> str:
    """A whole-word regex for a term: spaces or hyphens between its words, a plural ending."""
    body = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", form))
    if form[-1].isalpha() and not form.isupper():
        consonant_y = form.endswith("y") and form[-2] not in "aeiou"
        body = body[:-1] + "(?:y|ies)" if consonant_y else body + "(?:s|es)?"
    return r"(?<![\w-])" + body + r"(?![\w-])"


def entries() -> list[tuple[str, str, str]]:
    """(form, group, concept) for every form of every lexicon term, longest form first."""
    table = {"side": lx.SIDES, "normality": lx.NORMALITY, "modality": im.MODALITIES}
    table |= {"plane": im.PLANES, "sequence": im.SEQUENCES, "region": lx.REGIONS}
    table |= {"view": im.VIEWS, "behaviour": lx.BEHAVIOURS, "look": im.LOOKS}
    table |= {"differentiation": lx.DIFFERENTIATION}
    table |= {"organ": {k: v[0] for k, v in lx.ORGANS.items()}}
    table |= {"finding": {k: v[0] for k, v in lx.FINDINGS.items()}}
    out = [(f, g, c) for g, terms in table.items() for c, forms in terms.items() for f in forms]
    out += [(f, "degree", str(n)) for fam in lx.DEGREES.values() for n, f in enumerate(fam)]
    out += [(f, "degree", str(n)) for f, (_, n) in lx.DEGREE_SYNONYMS.items()]
    out += [(w, "number", str(n)) for n, w in enumerate(lx.NUMBERS)]
    out += [(w, "number", str(n)) for w, n in lx.NUMBER_SYNONYMS.items()]
    return sorted(out, key=lambda e: -len(e[0]))


def _key(form: str) -> str:
    """A piece of text every match of form contains (its first word less its last letter)."""
    first = re.split(r"[\s-]+", form.lower())[0]
    return first[:-1] if len(first) > 2 else first


_TERMS = [(_key(f), re.compile(_pattern(f), re.I), g, c) for f, g, c in entries()]
_TERMS.append(("", re.compile(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-]|\.\d)"), "number", ""))
_TERMS += [("", re.compile(rf"(?<=(?i:{cue}) )(?i:{r})(?![\w-])"), "number", str(n))
           for n, r in enumerate(lx.ROMAN, 1) for cue in lx.NUMBERED]  # fmt: skip  # grade III: 3
_TERMS += [("", re.compile(rf"(?<![\w/.-]){k}(?=\s+[A-Za-z]{{2}}|-sided\b)"), "side", v)
           for k, v in lx.SIDE_LETTERS.items()]  # fmt: skip  # in capitals only
_TERMS += [("", re.compile(rf"(?<![\w/.-]){k}(?![\w-])"), "organ", v)
           for k, v in (lx.HEART_LETTERS | lx.ZONE_LETTERS).items()]  # fmt: skip  # capitals
GROUP = {c: g for _, g, c in entries()}  # concept -> its group


@lru_cache(maxsize=8192)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every lexicon term (and number) in text, in text order; a longer term wins where terms
    overlap (left pleural effusion: a side and one finding); a hedge's words are none."""
    taken = np.zeros(len(text) + 1, bool)  # nor sides compared (left greater than right)
    for a, b in cues_in(text, HEDGE_CUES + cues.NOT_TERMS):
        taken[a:b] = True
    found, low = [], text.lower()
    for key, regex, group, concept in _TERMS:
        for m in regex.finditer(text) if key in low else ():
            context = im.VIEW_CONTEXT.get(concept) if group in ("view", "plane") else None
            if context and not re.compile(context, re.I).match(text, m.start()):
                continue  # a lateral ventricle, a lateral segment: no view
            if not taken[m.start() : m.end()].any():
                taken[m.start() : m.end()] = True
                value = concept or f"{float(m.group()):g}"  # digits: 2, 3.5
                found.append(Mention(group, value, m.start(), m.end()))
    said = [(m, text[m.start : m.end].lower()) for m in found]
    found = [m for m, w in said if not re.match(cues.NOT_TERM.get(w, "(?!)"), text[m.end :], re.I)]
    return tuple(sorted(_in_region(text, found), key=lambda m: m.start))


_REGION_READINGS = {("pulmonary edema", "head"): "cerebral edema"}  # (concept, region) -> concept


def _in_region(text: str, found: list[Mention]) -> list[Mention]:
    """found, each bare term of _REGION_READINGS read as its sentence's region's finding."""
    out, readable = [], {old for old, _ in _REGION_READINGS}
    for m in found:
        if m.concept not in readable:
            out.append(m)
            continue  # else its sentence's region: one named, an organ's, a FLAIR image's
        s, e = sentence_at(text, m.start)
        near = [x for x in found if s <= x.start < e]
        regions = {x.concept for x in near if x.group == "region"} | {
            lx.ORGANS[x.concept][1] if x.group == "organ" else im.REGION_OF_SEQUENCE.get(x.concept)
            for x in near
        }
        bare = " " not in text[m.start : m.end]
        new = [c for (old, r), c in _REGION_READINGS.items() if old == m.concept and r in regions]
        out.append(Mention(m.group, new[0], m.start, m.end) if bare and new else m)
    return out


HEDGE_CUES = cues.HEDGES + cues.POST_HEDGES + cues.CLAUSE_HEDGES + cues.SENTENCE_HEDGES


def cue_pattern(cues: tuple[str, ...]) -> str:
    """The pattern of _cue_regex, as a group to write into another."""
    return f"(?:{_cue_regex(cues).pattern})"


@lru_cache(maxsize=64)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    """One regex for cue phrases, longest first, each a whole word where it starts or ends one."""
    parts = []
    for c in sorted(cues, key=len, reverse=True):
        body = re.escape(c).replace(r"\ ", r"\s+")
        left = r"(?<![\w-])" if c[0].isalnum() else ""
        parts.append(left + body + (r"(?![\w-])" if c[-1].isalnum() else ""))
    return re.compile("|".join(parts), re.IGNORECASE)


def cues_in(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the cue phrases in text."""
    return [m.span() for m in _cue_regex(tuple(phrases)).finditer(text)]


# -------------------------------------------------------------------------------------------------
# Scope: sentences, clauses, negation and hedges (NegEx / ConText style, a small rule each).

LEAD = re.compile(r"^\s*[*_]{0,2}(yes|no)\b(?=[*_]{0,2}\s*(?:[,.!;:—–]|\s-\s|$))", re.I)  # **No.**


def lead_answer(text: str) -> int:
    """+1 for an answer that opens with yes, -1 with no, 0 otherwise."""
    m = LEAD.match(text)
    return 0 if not m else (1 if m.group(1).lower() == "yes" else -1)


def without_lead(text: str) -> str:
    """text without its leading yes/no."""
    lead = LEAD.match(text)
    return text[lead.end() :] if lead else text


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The span of the sentence around position pos."""
    return next(((s, e) for s, e in sentences(text) if s <= pos < e), (0, len(text)))


@lru_cache(maxsize=65536)
def clause(text: str, pos: int) -> tuple[int, int]:
    """The clause around position pos: its sentence, cut at terminators (but, however, there is,
    ', and'), after ; or : and after a leading yes/no."""
    s, e = sentence_at(text, pos)
    lead = LEAD.match(text[s:e])
    s = s + lead.end() if lead and pos >= s + lead.end() else s
    bounds = []
    for a, b in cues_in(text[s:e], cues.TERMINATORS):  # an aside cuts nothing: X, however, is
        aside = text[: s + a].rstrip().endswith(",") and text[s + b :].lstrip().startswith(",")
        bounds += [] if aside else [s + a]
    bounds += [m.end() + s for m in re.finditer(r"[;:]\s*", text[s:e])]
    opener = re.match(r"\s*(?:although|though|while|whereas)\b[^,;]*,\s*", text[s:e], re.I)
    bounds += [s + opener.end()] if opener else []  # Although there is no X, | Y is seen
    start = max((b for b in bounds if b <= pos), default=s)
    return start, min((b for b in bounds if b > pos), default=e)


@lru_cache(maxsize=65536)
def near(text: str, m: Mention, group: str = "") -> tuple[Mention, ...]:
    """The other mentions in m's clause (of one group, if given)."""
    s, e = clause(text, m.start)
    return tuple(
        x for x in mentions(text) if s <= x.start < e and x != m and group in ("", x.group)
    )


@lru_cache(maxsize=65536)
def trigger(text: str, m: Mention) -> tuple[int, int] | None:
    """The span of the cue that negates m: the last pre-negation before it in its clause ('not'
    reaches two words, 'to be' aside), else the first post-negation after it (is not seen)."""
    s, e = clause(text, m.start)
    hedges = [(s + a, s + b) for a, b in cues_in(text[s:e], HEDGE_CUES)]
    pre = []
    for a, b in cues_in(text[s : m.start], cues.PRE_NEGATIONS):
        reach = [text[x.start : x.end] for x in mentions(text) if s + b <= x.start < m.start]
        reach = reach if re.search(r"\b(?:or|nor)\s+$", text[s + b : m.start]) else []  # X or Y
        gap = len(set(words(text[s + b : m.start])) - cues.REACHED - set(words(" ".join(reach))))
        far = text[s + a : s + b].lower() in ("not", "don't", "doesn't", "didn't") and gap > 2
        far |= text[s + a : s + b].lower() == "resolved" and "with" in words(text[s + b : m.start])
        attributive = re.match(cues.ATTRIBUTIVE, text[s + a :], re.I)  # absent lung markings
        placed = attributive and re.search(cues.PLACE_AFTER, text[s + b : m.start])  # at the apex
        described = attributive and re.match(cues.DESCRIBES, text[m.end :])  # the lung stays
        partly = re.search(cues.PARTLY, text[: s + a], re.I)  # near-complete resolution of
        concluded = re.search(cues.CONCLUDED, text[s + b : m.start], re.I)  # no flow, consistent
        pre += [] if far or placed or described or partly or concluded else [(s + a, s + b)]
    post = [(a + m.end, b + m.end) for a, b in cues_in(text[m.end : e], cues.POST_NEGATIONS)]
    post = [(a, b) for a, b in post if not re.match(cues.ATTRIBUTIVE, text[a:], re.I)]
    post = [(a, b) for a, b in post if not re.search(cues.PARTLY, text[:a], re.I)]
    post = [(a, b) for a, b in post if not _WITH_SUBJECT.search(text[m.end : a])]  # with the tip
    pre, post = [[c for c in found if not _within(c, hedges)] for found in (pre, post)]
    return pre[-1] if pre else (post[0] if post else None)


_WITH_SUBJECT = re.compile(r"\bwith\s+(?:the\s+|its\s+)?[\w-]+\s+$|,\s*(?:its\s+)?tip\s+$", re.I)


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether span overlaps one of spans (a negation inside a hedge: is not ruled out)."""
    return any(a < span[1] and span[0] < b for a, b in spans)


def polarity(text: str, m: Mention) -> int:
    """+1 when text asserts m, -1 when it denies it."""
    return -1 if trigger(text, m) else 1


@lru_cache(maxsize=4096)
def hedge_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The hedged stretches of text: after a hedge (may, possibly) to its sentence end; before a
    post-hedge (cannot be excluded) to its clause start; a clause-hedge's clause to its sentence
    end (is difficult to assess); a sentence with 'versus', or 'either ... or' not denied."""
    spans = []
    for s, e in sentences(text):
        if _advice(text, s, e):
            continue  # An ultrasound may be helpful for further evaluation.: no claim hedged
        spans += [(s, e)] if cues_in(text[s:e], cues.SENTENCE_HEDGES) else []
        for m in re.finditer(cues.EITHER_OR, text[s:e], re.I):
            before = text[clause(text, s + m.start())[0] : s + m.start()]
            spans += [] if cues_in(before, cues.PRE_NEGATIONS) else [(s, e)]
        spans += [
            (s + a, _DENIED_AFTER.search(text, s + b, e).start())
            for a, b in cues_in(text[s:e], cues.HEDGES)
            if not re.search(cues.PURPOSE, text[s : s + b], re.I)
        ]
        spans += [(clause(text, s + a)[0], s + b) for a, b in cues_in(text[s:e], cues.POST_HEDGES)]
        clauses = cues_in(text[s:e], cues.CLAUSE_HEDGES)
        spans += [(clause(text, s + a)[0], e) for a, _ in clauses if not _AGED.match(text, s + a)]
    return tuple(spans)


_PLACED = re.compile(r"\b(?:in|within|involving|on)\s+(?:the\s+)?$", re.I)  # where it lies
# A hedge ends where its sentence goes on to deny (likely atelectasis, no pneumothorax).
_DENIED_AFTER = re.compile(r",\s+(?:without|with\s+no|and\s+no|but\s+no)\b|$", re.I)
_AGED = re.compile(r"indeterminate\s+(?:age|chronicity)\b", re.I)  # of indeterminate age: sure


def _advice(text: str, s: int, e: int) -> bool:
    """Whether the sentence from s to e only advises a work-up: it names no finding."""
    claimed = any(s <= m.start < e and m.group in ("finding", "normality") for m in mentions(text))
    return not claimed and bool(re.search(cues.ADVICE, text[s:e], re.I))


def hedged(text: str, m: Mention) -> bool:
    """Whether m stands in a hedged stretch of text, is one of two alternatives (X or Y), or
    is what a hedge of its sentence speaks of by a word standing for it (No pneumothorax, but a
    small one cannot be excluded)."""
    spans = hedge_spans(text)
    return (
        any(s <= m.start < e for s, e in spans)
        or bool(alternatives(text, m))
        or (m.group == "finding" and _anaphor_hedged(text, m, spans))
    )


_QUALIFIED = re.compile(
    r"\bno\s+(?:definite|definitive|convincing|clear|obvious)\s+(?:[\w-]+\s+){0,3}$", re.I
)


def qualified_denial(text: str) -> bool:
    """Whether text denies a finding only as 'definite' and its sentence says after it that
    something cannot be excluded (no definite gallstones, although small stones cannot be
    excluded): it leans to no, and turned to yes it would still hedge."""
    for m in (m for m in mentions(text) if m.group == "finding"):
        s, e = sentence_at(text, m.start)
        if _QUALIFIED.search(text[s : m.start]) and any(
            m.end <= a < e for a, _ in hedge_spans(text)
        ):
            return True
    return False


ANAPHORS = {"one", "ones", "it", "they"}  # words that stand for a finding named before


def _anaphor_hedged(text: str, m: Mention, spans: tuple[tuple[int, int], ...]) -> bool:
    """Whether a hedge in m's sentence names no finding of its own but a word that stands for
    one (a small one, it): it is about m."""
    s, e = sentence_at(text, m.start)
    for a, b in spans:
        a = min(a, clause(text, a)[0])  # its clause's subject too: but it may be obscured
        own = any(x.group == "finding" and a <= x.start < b for x in mentions(text))
        if s <= a < e and not own and set(words(text[a:b])) & ANAPHORS:
            return True
    return False


def alternatives(text: str, m: Mention, organs: bool = False) -> list[Mention]:
    """The mentions of m's group joined to it by 'or' in its clause (left or right), unless
    negated (no effusion or pneumothorax); organs only if asked, a report lists them freely."""
    s, _ = clause(text, m.start)
    listed = m.group in ("organ", "region") and not organs
    if listed or cues_in(text[s : m.start], cues.PRE_NEGATIONS):
        return []
    out = []
    for x in near(text, m, m.group):
        a, b = min(m.end, x.end), max(m.start, x.start)
        crowded = any(a <= y.start < b for y in near(text, m, m.group))
        joined = re.search(r"\bor\b", text[a:b]) and len(words(text[a:b])) <= 4
        out += [x] if joined and x.concept != m.concept and not crowded else []
    return out


# -------------------------------------------------------------------------------------------------
# Claims: a finding (or normality) with its polarity and the attributes of its clause.


@dataclass
class Claim:
    """What a text says about one concept in one clause."""

    mention: Mention
    concept: str
    polarity: int
    hedged: bool
    attributes: dict[str, list[Mention]] = field(default_factory=dict)


def claims(text: str, groups: tuple[str, ...] = ("finding", "normality")) -> list[Claim]:
    """The claims of text about the concepts of these groups, in text order. The other terms of
    a clause are a claim's attributes; a side, size or count belongs to one finding only."""
    found = []
    for m in mentions(text):
        if m.group in groups:
            attrs: dict[str, list[Mention]] = {}
            for x in near(text, m):
                if x.group not in ("side", "degree", "number") or _owned(text, x, m):
                    attrs.setdefault(x.group, []).append(x)
            found.append(Claim(m, concept_of(text, m), polarity(text, m), hedged(text, m), attrs))
    return found


def _owned(text: str, x: Mention, m: Mention) -> bool:
    """Whether side, size or count x belongs to m's claim: to the finding it describes, or to a
    normality claim where it describes no finding (the left lung is clear)."""
    who = owner(text, x)
    return who == m or (who is None and m.group != "finding")


def owner(text: str, x: Mention) -> Mention | None:
    """The finding a side, size or count describes: the next one in its clause with no other
    between (a small right effusion with atelectasis), else the one before (a consolidation in
    the right lower lobe, also where a diagnosis follows: concerning for pneumonia)."""
    found = near(text, x, "finding")
    after = [f for f in found if f.start > x.start]
    if after and any(w.start == x.start for w in noun_phrase(text, after[0]).modifiers):
        return after[0]
    if _describes_other(text, x) or _follows_other(text, x):
        return None  # mild leftward mediastinal shift; shift to the right: not the pneumothorax
    before = [f for f in found if f.end <= x.start]
    if before and _PLACED.search(text[: x.start]):
        return before[-1]  # an opacity in the left lower lobe; mass effect on the left ventricle
    return after[0] if after else (found[-1] if found else None)


def _describes_other(text: str, x: Mention) -> bool:
    """Whether x opens a phrase whose head is no lexicon finding: after x and the terms that
    say where (right mid lung), the next word is a noun or adjective the lexicon does not know
    (mild leftward mediastinal shift; a 1 cm nodule; the left 6th rib)."""
    _, e = clause(text, x.start)
    terms = {m.start: m for m in mentions(text) if x.end <= m.start < e}
    pos = x.end
    for t in TOKEN.finditer(text, x.end, e):
        if t.start() < pos:
            continue
        m = terms.get(t.start())
        if m is not None and m.group in ("side", "degree", "number", "organ", "region"):
            pos = m.end
            continue
        kind = None if m is not None else _word_kind(t.group().lower())
        return kind in ("word", "describing", "temporal")
    return False


def _follows_other(text: str, x: Mention) -> bool:
    """Whether x ends a phrase about a noun the lexicon does not know (mediastinal shift to the
    right; deviation toward the left: the last word before it, past to / toward / the, is no
    term, verb or function word) or gives an organ's direction (the mediastinum to the left)."""
    s, _ = clause(text, x.start)
    before = re.sub(
        r"(\s+|\b(the|to|toward|towards|into|of)\b)+$", "", text[s : x.start], flags=re.I
    )
    last = re.search(r"(\w+)$", before)
    term = [m for m in mentions(text) if last and m.start <= s + last.start() < m.end]
    toward = re.search(r"\bto(?:wards?)?\s+the\s+$", text[s : x.start], re.I)
    if term or not last:  # the mediastinum shifted to the left: the organ's side, not a finding's
        return bool(term and toward and term[0].group == "organ")
    return _word_kind(last.group(1).lower()) in ("word", "describing")


def concept_of(text: str, m: Mention) -> str:
    """m's concept; an 'enlarged' in a clause about the heart is cardiomegaly, about the liver
    and the spleen hepatosplenomegaly."""
    organs = [o.concept for o in near(text, m, "organ")] if m.concept == "enlargement" else []
    if organs and re.search(cues.LIVER_AND_SPLEEN, text[sentence_at(text, m.start)[0] : m.start]):
        return "hepatosplenomegaly"
    return next((lx.ENLARGED_ORGAN[o] for o in organs if o in lx.ENLARGED_ORGAN), m.concept)


def covers(concept: str, other: str) -> bool:
    """Whether a mention of `other` states `concept`: the same, a part of it (the lower lobe of
    the lung), or a kind of a generic finding (a mass is a lesion)."""
    while other:
        if other == concept or _kind_of(other, concept):
            return True
        other = lx.ORGANS.get(other, (0, 0, 0, None))[3]
    return False


def _kind_of(finding: str, generic: str) -> bool:
    """Whether finding is a kind of generic, directly or through another (a meningioma is a
    tumor, a tumor a lesion)."""
    kinds = lx.GENERIC.get(generic, ())
    return finding in kinds or any(_kind_of(finding, k) for k in kinds)


def normal_value(text: str, m: Mention) -> int:
    """+1 if the normality mention says normal, -1 if abnormal, after its negation."""
    return (1 if m.concept == "normal" else -1) * polarity(text, m)


def organ_of(finding: str) -> str | None:
    """The organ a finding lies in by default (an effusion: the pleura), or None."""
    return lx.FINDINGS.get(finding, ((), None, None))[1]


def family_of(finding: str) -> str | None:
    """The family of a finding (airspace, focal, device, ...), or None."""
    return lx.FINDINGS.get(finding, ((), None, None))[2]


# -------------------------------------------------------------------------------------------------
# Noun phrases: the words before a term, up to its determiner.

_DETERMINERS = set(cues.DETERMINERS) | set(cues.PLURAL_DETERMINERS) | set(cues.OTHER_DETERMINERS)
_ENDS = set(cues.VERBS) | set(cues.PREPOSITIONS) | STOP | {"called", "termed", "named"}


@dataclass(frozen=True)
class Word:
    """A word (or a lexicon term) before a phrase's head: its span, kind and concept. kind is a
    mention's group (side, degree, number, organ, region, finding, ...) or, for other words,
    'position' (upper, mid), 'temporal' (acute, stable), 'describing' (simple, solid), 'word'."""

    start: int
    end: int
    kind: str
    concept: str = ""


@dataclass(frozen=True)
class Phrase:
    """A noun phrase: its head term, its determiner's span (a, the, no, several) and the words
    between them, in text order."""

    head: Mention
    det: tuple[int, int] | None
    modifiers: tuple[Word, ...]

    @property
    def start(self) -> int:
        """Where the phrase starts after its determiner."""
        return self.modifiers[0].start if self.modifiers else self.head.start

    @property
    def lead(self) -> int:
        """Where the phrase starts with its determiner."""
        return self.det[0] if self.det else self.start

    def kinds(self, *kinds: str) -> list[Word]:
        """The modifiers of these kinds."""
        return [w for w in self.modifiers if w.kind in kinds]


def is_verb(w: str) -> bool:
    """Whether w is a form of a listed verb (shows, involved, arising)."""
    for ending in ("", "s", "es", "ed", "d", "ing"):
        base = w[: len(w) - len(ending)]
        if w.endswith(ending) and (base in cues.VERBS or base + "e" in cues.VERBS):
            return True
    return False


def _word_kind(w: str) -> str | None:
    """The kind of a word that is no lexicon term, or None where a phrase cannot reach past it
    (punctuation, a verb, a preposition, a function word)."""
    if not w[:1].isalpha():
        return None
    if w in lx.POSITION_WORDS:
        return "position"
    if w in lx.TEMPORAL_WORDS:
        return "temporal"
    if w.endswith("ed") and w not in _ENDS and w not in cues.POST_VERBS:
        return "describing"  # a participle before its noun: a displaced fracture
    if w in _ENDS or is_verb(w) or re.search(r"[^su']s$", w) and not w.endswith("is"):
        return None  # involves, arises: a verb in its third person, not a modifier
    return "describing" if w.endswith(lx.DESCRIBING_ENDINGS) else "word"


def _coordinate(tokens: list, k: int, mods: list, ending_at: dict) -> bool:
    """Whether the comma tokens[k] joins two adjectives after a determiner (a biconvex,
    lens-shaped hematoma), not two clauses or findings (clear, with a small effusion)."""
    if k < 2 or not mods or mods[0].kind != "describing" or tokens[k - 1].end() in ending_at:
        return False
    before = tokens[k - 1].group().lower()
    return _word_kind(before) is not None and tokens[k - 2].group().lower() in _DETERMINERS


@lru_cache(maxsize=65536)
def noun_phrase(text: str, m: Mention) -> Phrase:
    """m's noun phrase, read leftwards from m within its clause: lexicon terms and modifier-like
    words, up to a determiner, a verb, a preposition or punctuation (at most six words)."""
    s, _ = clause(text, m.start)
    ending_at = {x.end: x for x in mentions(text) if s <= x.start and x.end <= m.start}
    tokens = [t for t in TOKEN.finditer(text, s, m.start)]
    k, mods, det = len(tokens) - 1, [], None
    while k >= 0 and len(mods) < 6:
        t, x = tokens[k], ending_at.get(tokens[k].end())
        if x is not None:
            mods.insert(0, Word(x.start, x.end, x.group, x.concept))
            while k >= 0 and tokens[k].start() >= x.start:
                k -= 1
            continue
        w = t.group().lower()
        if w in _DETERMINERS:
            det = t.span()
            break
        if w == "," and _coordinate(tokens, k, mods, ending_at):
            k -= 1  # a biconvex, lens-shaped hematoma: two adjectives of one noun
            continue
        opened = [j for j in range(k) if tokens[j].group() == "("] if w == ")" else []
        if opened and k - opened[-1] <= 4:
            k = opened[-1] - 1  # periportal (zone 1) necrosis: the gloss is passed over
            continue
        kind = _word_kind(w)
        if kind is None:
            break
        mods.insert(0, Word(t.start(), t.end(), kind))
        k -= 1
    return Phrase(m, det, tuple(mods))
