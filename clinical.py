"""The judge and the rule editor of MedPO's preference pairs: pure text, claim by claim.

An answer is read as claims: a finding (or normality, a side, a modality...) named in a clause,
with its polarity (negation scoped to its clause, NegEx style), whether it is hedged (ConText
style) and the attributes beside it (side, size or severity, count, organ). One judge compares
them with the reference's, for pair building and evaluation alike: a closed question by the
answer's polarity about the asked finding, an open one by the reference's concepts, a report by
its findings. The editor corrects a wrong claim as a whole (a yes/no with its linked words, a
finding's whole phrase, an attribute on its own scale) or plants one real error in a right answer;
where it cannot tell, or cannot edit safely, it gives None and says why: a skip, never a wrong
pair. Imports only the standard library, numpy and lexicon.py (the vocabulary, as data).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import lexicon as lx

WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")  # words (X-ray, don't) and single punctuation
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|" + WORD.pattern)  # the same, with 3.5 as one word
MAX_WORDS_PER_SENTENCE = 5
_EXCLUSIVE = ("side", "modality", "plane", "sequence", "degree", "number")  # one value per claim


def check_text(name: str, value) -> str:
    """value, if it is a non-empty string; else a ValueError that names the field."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {type(value).__name__} {value!r}")
    return value


def words(text: str) -> list[str]:
    """The lower-cased alphanumeric words of text (3.5 and X-ray are one word each)."""
    return [t.lower() for t in _TOKEN.findall(text) if t[0].isalnum()]


def word_edits(a: str, b: str) -> tuple[int, int, list[str]]:
    """(word edit distance, the longer text's length in words, the words that differ); each
    punctuation mark counts as a word, a number like 3.5 as one."""
    words_a, words_b = _TOKEN.findall(a), _TOKEN.findall(b)
    distance, changed = 0, []
    for tag, i1, i2, j1, j2 in _opcodes(words_a, words_b):
        if tag != "equal":
            distance += max(i2 - i1, j2 - j1)
            changed += words_a[i1:i2] + words_b[j1:j2]
    return distance, max(len(words_a), len(words_b), 1), changed


def _opcodes(a: list[str], b: list[str]) -> list[tuple]:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


Span = tuple[int, int]


def word_diff(a: str, b: str) -> list[tuple[Span | None, Span | None]]:
    """(span in a, span in b) for each region where a word-level diff of a and b does not match;
    None on a side where the region is empty (an insertion, a deletion). Case-sensitive; each
    punctuation mark is a word, a number like 3.5 one."""
    ta, tb = list(_TOKEN.finditer(a)), list(_TOKEN.finditer(b))
    regions = []
    for tag, i1, i2, j1, j2 in _opcodes([t.group() for t in ta], [t.group() for t in tb]):
        if tag != "equal":
            span_a = (ta[i1].start(), ta[i2 - 1].end()) if i2 > i1 else None
            regions.append((span_a, (tb[j1].start(), tb[j2 - 1].end()) if j2 > j1 else None))
    return regions


def lexicon_words() -> list[str]:
    """The terms the demo's tiny tokenizer is trained on (lexicon.TOKENIZER_TERMS, kept as they
    were when the demo was built, so that its model stays the same)."""
    return list(lx.TOKENIZER_TERMS)


def changes_per_sentence(response: str, edited: str) -> list[int]:
    """Words changed (punctuation excluded) in each sentence of response, by a word diff."""
    tokens, spans = list(_TOKEN.finditer(response)), sentences(response)
    counts = [0] * max(len(spans), 1)
    a, b = [t.group() for t in tokens], _TOKEN.findall(edited)
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag != "equal":
            pos = tokens[min(i1, len(tokens) - 1)].start() if tokens else 0
            k = next((k for k, (_, e) in enumerate(spans) if pos < e), len(counts) - 1)
            said = [sum(w[0].isalnum() for w in side) for side in (a[i1:i2], b[j1:j2])]
            counts[k] += max(said)
    return counts


@lru_cache(maxsize=8192)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences of text (split after . ! ? and at line breaks)."""
    cuts = [(m.start(), m.end()) for m in re.finditer(r"(?<=[.!?])\s+(?=\S)|\n+", text)]
    starts, ends = [0] + [e for _, e in cuts], [s for s, _ in cuts] + [len(text)]
    return tuple((s, e) for s, e in zip(starts, ends, strict=True) if text[s:e].strip())


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


def _entries() -> list[tuple[str, str, str]]:
    """(form, group, concept) for every form of every lexicon term, longest form first."""
    table = {"side": lx.SIDES, "normality": lx.NORMALITY, "modality": lx.MODALITIES}
    table |= {"plane": lx.PLANES, "sequence": lx.SEQUENCES, "region": lx.REGIONS}
    table |= {"organ": {k: v[0] for k, v in lx.ORGANS.items()}}
    table |= {"finding": {k: v[0] for k, v in lx.FINDINGS.items()}}
    out = [(f, g, c) for g, terms in table.items() for c, forms in terms.items() for f in forms]
    out += [(f, "degree", str(n)) for fam in lx.DEGREES.values() for n, f in enumerate(fam)]
    out += [(f, "degree", str(n)) for f, (_, n) in lx.DEGREE_SYNONYMS.items()]
    out += [(w, "number", str(n)) for n, w in enumerate(lx.NUMBERS)]
    out += [(w, "number", str(n)) for w, n in lx.NUMBER_SYNONYMS.items()]
    return sorted(out, key=lambda e: -len(e[0]))


_TERMS = [(re.compile(_pattern(f), re.I), g, c) for f, g, c in _entries()]
_TERMS.append((re.compile(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-]|\.\d)"), "number", ""))
_GROUP = {c: g for _, g, c in _entries()}  # concept -> its group


@lru_cache(maxsize=8192)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every lexicon term (and number) in text, in text order; a longer term wins where terms
    overlap (left pleural effusion: a side and one finding). Words of a hedge are no terms."""
    taken = np.zeros(len(text) + 1, bool)
    for a, b in _cues(text, lx.HEDGES + lx.POST_HEDGES + lx.SENTENCE_HEDGES):
        taken[a:b] = True
    found = []
    for regex, group, concept in _TERMS:
        for m in regex.finditer(text):
            if not taken[m.start() : m.end()].any():
                taken[m.start() : m.end()] = True
                value = concept or f"{float(m.group()):g}"  # digits: 2, 3.5
                found.append(Mention(group, value, m.start(), m.end()))
    return tuple(sorted(found, key=lambda m: m.start))


@lru_cache(maxsize=64)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    """One regex for cue phrases, longest first, each a whole word where it starts or ends one."""
    parts = []
    for c in sorted(cues, key=len, reverse=True):
        body = re.escape(c).replace(r"\ ", r"\s+")
        left = r"(?<![\w-])" if c[0].isalnum() else ""
        parts.append(left + body + (r"(?![\w-])" if c[-1].isalnum() else ""))
    return re.compile("|".join(parts), re.IGNORECASE)


def _cues(text: str, cues: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the cue phrases in text."""
    return [m.span() for m in _cue_regex(tuple(cues)).finditer(text)]


# -------------------------------------------------------------------------------------------------
# Scope: sentences, clauses, negation and hedges (NegEx / ConText style, a small rule each).

_LEAD = re.compile(r"^\s*(yes|no)\b(?=\s*(?:[,.!;:]|$))", re.IGNORECASE)


def lead_answer(text: str) -> int:
    """+1 for an answer that opens with yes, -1 with no, 0 otherwise."""
    m = _LEAD.match(text)
    return 0 if not m else (1 if m.group(1).lower() == "yes" else -1)


def _body(text: str) -> str:
    """text without its leading yes/no."""
    lead = _LEAD.match(text)
    return text[lead.end() :] if lead else text


def _sentence(text: str, pos: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences(text) if s <= pos < e), (0, len(text)))


@lru_cache(maxsize=65536)
def _clause(text: str, pos: int) -> tuple[int, int]:
    """The clause around position pos: its sentence, cut at terminators (but, however, there is,
    ', and'), after ; or : and after a leading yes/no."""
    s, e = _sentence(text, pos)
    lead = _LEAD.match(text[s:e])
    s = s + lead.end() if lead and pos >= s + lead.end() else s
    bounds = [a + s for a, _ in _cues(text[s:e], lx.TERMINATORS)]
    bounds += [m.end() + s for m in re.finditer(r"[;:]\s*", text[s:e])]
    start = max((b for b in bounds if b <= pos), default=s)
    return start, min((b for b in bounds if b > pos), default=e)


@lru_cache(maxsize=65536)
def _near(text: str, m: Mention, group: str = "") -> tuple[Mention, ...]:
    """The other mentions in m's clause (of one group, if given)."""
    s, e = _clause(text, m.start)
    return tuple(
        x for x in mentions(text) if s <= x.start < e and x != m and group in ("", x.group)
    )


@lru_cache(maxsize=65536)
def _trigger(text: str, m: Mention) -> tuple[int, int] | None:
    """The span of the cue that negates m: the last pre-negation before it in its clause ('not'
    reaches two words), else the first post-negation after it (is not seen)."""
    s, e = _clause(text, m.start)
    pre = []
    for a, b in _cues(text[s : m.start], lx.PRE_NEGATIONS):
        reach = text[s + a : s + b].lower() != "not" or len(words(text[s + b : m.start])) <= 2
        pre += [(s + a, s + b)] if reach else []  # 'not' reaches two words: is not enlarged
    post = [(a + m.end, b + m.end) for a, b in _cues(text[m.end : e], lx.POST_NEGATIONS)]
    return pre[-1] if pre else (post[0] if post else None)


def polarity(text: str, m: Mention) -> int:
    """+1 when text asserts m, -1 when it denies it."""
    return -1 if _trigger(text, m) else 1


@lru_cache(maxsize=4096)
def _hedge_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The hedged stretches of text: after a hedge (may, possibly) to its sentence end; before a
    post-hedge (cannot be excluded) to its clause start; a sentence with 'either' or 'versus'."""
    spans = []
    for s, e in sentences(text):
        spans += [(s, e)] if _cues(text[s:e], lx.SENTENCE_HEDGES) else []
        spans += [(s + a, e) for a, _ in _cues(text[s:e], lx.HEDGES)]
        spans += [(_clause(text, s + a)[0], s + b) for a, b in _cues(text[s:e], lx.POST_HEDGES)]
    return tuple(spans)


def hedged(text: str, m: Mention) -> bool:
    """Whether m stands in a hedged stretch of text, or is one of two alternatives (X or Y)."""
    return any(s <= m.start < e for s, e in _hedge_spans(text)) or bool(_alternatives(text, m))


def _alternatives(text: str, m: Mention, organs: bool = False) -> list[Mention]:
    """The mentions of m's group joined to it by 'or' in its clause (left or right), unless
    negated (no effusion or pneumothorax); organs only if asked, a report lists them freely."""
    s, _ = _clause(text, m.start)
    listed = m.group in ("organ", "region") and not organs
    if listed or _cues(text[s : m.start], lx.PRE_NEGATIONS):
        return []
    out = []
    for x in _near(text, m, m.group):
        a, b = min(m.end, x.end), max(m.start, x.start)
        crowded = any(a <= y.start < b for y in _near(text, m, m.group))
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


def claims(text: str, groups=("finding", "normality")) -> list[Claim]:
    """The claims of text about the concepts of these groups, in text order. The other terms of
    a clause are a claim's attributes; a side, size or count belongs to one finding only."""
    found = []
    for m in mentions(text):
        if m.group in groups:
            attrs: dict[str, list[Mention]] = {}
            for x in _near(text, m):
                if x.group not in ("side", "degree", "number") or _owner(text, x) in (m, None):
                    attrs.setdefault(x.group, []).append(x)
            found.append(Claim(m, _concept(text, m), polarity(text, m), hedged(text, m), attrs))
    return found


def _owner(text: str, x: Mention) -> Mention | None:
    """The finding a side, size or count describes: the next one in its clause with no other
    between (a small right effusion with atelectasis), else the one before (a consolidation in
    the right lower lobe)."""
    found = _near(text, x, "finding")
    after = [f for f in found if f.start > x.start]
    return after[0] if after else (found[-1] if found else None)


def _concept(text: str, m: Mention) -> str:
    """m's concept; an 'enlarged' in a clause about the heart is cardiomegaly."""
    organs = [o.concept for o in _near(text, m, "organ")] if m.concept == "enlargement" else []
    return next((lx.ENLARGED_ORGAN[o] for o in organs if o in lx.ENLARGED_ORGAN), m.concept)


def _covers(concept: str, other: str) -> bool:
    """Whether a mention of `other` states `concept`: the same, a part of it (the lower lobe of
    the lung), or a kind of a generic finding (a mass is a lesion)."""
    while other:
        if other == concept or other in lx.GENERIC.get(concept, ()):
            return True
        other = lx.ORGANS.get(other, (0, 0, 0, None))[3]
    return False


def _normal_value(text: str, m: Mention) -> int:
    """+1 if the normality mention says normal, -1 if abnormal, after its negation."""
    return (1 if m.concept == "normal" else -1) * polarity(text, m)


def _organ_of(finding: str) -> str | None:
    return lx.FINDINGS.get(finding, ((), None, None))[1]


def _family(finding: str) -> str | None:
    return lx.FINDINGS.get(finding, ((), None, None))[2]


# -------------------------------------------------------------------------------------------------
# The judge.


@dataclass
class Verdict:
    """right: True, False, or None (cannot tell: hedged, both options). why: a reason code."""

    right: bool | None
    why: str


def is_yes_no(reference: str) -> bool:
    """Whether the reference answers yes or no."""
    return bool(lead_answer(reference)) or reference.strip().lower().rstrip(".!") in ("yes", "no")


def _want(reference: str) -> int:
    return lead_answer(reference) or (1 if reference.strip().lower().startswith("yes") else -1)


def _is_report(reference: str, question: str) -> bool:
    asks = re.search(r"\breport|\bfindings\b", question, re.I)
    return len(sentences(reference)) > 1 or asks is not None


def judge(answer: str, reference: str, question: str = "", answer_type=None) -> Verdict:
    """Whether answer says what reference says; question says which claim the reference answers.
    A yes/no reference is judged by the answer's polarity about the asked finding, a report by
    its findings, any other by the reference's concepts. answer_type (CLOSED / OPEN) is taken
    for the callers' sake: the reference's form decides (a CLOSED 'CT or MRI?' is open here)."""
    if not answer.strip():
        return Verdict(False, "empty")
    if is_yes_no(reference):
        return _judge_closed(answer, reference, question)
    if _is_report(reference, question):
        return _judge_report(answer, reference)
    return _judge_open(answer, reference)


def is_right(answer: str, reference: str, question: str = "", answer_type=None) -> bool:
    """True only where the judge finds the answer right (never when hedged or unsure)."""
    return judge(answer, reference, question, answer_type).right is True


@dataclass
class Asked:
    """What a closed question asks: its concepts, and the organs and sides it is about."""

    concepts: list[str]
    organs: set[str] = field(default_factory=set)
    sides: set[str] = field(default_factory=set)


def _asked(reference: str, question: str) -> Asked:
    """The concepts a yes/no question asks about: its findings, else normality, else another
    term (a side, a modality), else an organ. Without a question, the reference's own claim
    ('No, the image is abnormal.' answers 'Is it normal?')."""
    for text in (question, _body(reference)):
        every = mentions(text)
        for groups in (("finding",), ("normality",), _EXCLUSIVE, ("organ", "region")):
            asked = [_concept(text, m) for m in every if m.group in groups]
            if asked == ["abnormal"] and text != question:
                said = _stances(reference, Asked(asked))[0][1]
                asked = ["normal"] if said != lead_answer(reference) else asked
            if asked:
                organs = {m.concept for m in every if m.group == "organ"} - set(asked)
                sides = {m.concept for m in every if m.group == "side"} - set(asked)
                return Asked(asked, organs, sides)
    return Asked([])


def _in_scope(text: str, m: Mention, asked: Asked) -> bool:
    """Whether m's clause is about the organs and the side the question asks about."""
    organs = {x.concept for x in [m, *_near(text, m)] if x.group == "organ"}
    sides = {x.concept for x in _near(text, m, "side")}
    if asked.organs and organs and not any(_covers(o, x) for o in asked.organs for x in organs):
        return False
    return not (asked.sides and sides and not sides & (asked.sides | {"bilateral"}))


def _stances(answer: str, asked: Asked) -> list[tuple[Mention, int]]:
    """(mention, +1 yes / -1 no) for each statement of the answer about the asked concepts. For
    'normal' a positive finding says no, a denied one yes; a normal statement denies a finding
    of its organ (the tissue is viable); another value of an exclusive term (CT for MRI) says no."""
    out = []
    for m in mentions(answer):
        if not _in_scope(answer, m, asked) or _family(m.concept) == "device":
            continue
        for concept in asked.concepts:
            sign = -1 if concept == "abnormal" else 1
            if concept in ("normal", "abnormal") and m.group in ("normality", "finding"):
                value = _normal_value(answer, m) if m.group == "normality" else -polarity(answer, m)
                out.append((m, sign * value))
            elif _covers(concept, _concept(answer, m)):
                out.append((m, polarity(answer, m)))
            elif m.group in _EXCLUSIVE and _GROUP.get(concept) == m.group:
                out.append((m, -polarity(answer, m)))
            elif m.group == "normality" and _GROUP.get(concept) == "finding":
                organs = {x.concept for x in _near(answer, m, "organ")}
                fits = not organs or _organ_of(concept) in organs | {None}
                out += [(m, -1)] if fits and _normal_value(answer, m) > 0 else []
    return out


def _judge_closed(answer: str, reference: str, question: str) -> Verdict:
    """A yes/no question: the answer's yes/no and every statement of it about the asked concept
    must agree with the reference; a hedge is unsure. A reference that names the concept needs
    an answer that does too (Yes, there is a right side. is no answer to Is there a lesion?)."""
    asked = _asked(reference, question)
    stances = _stances(answer, asked)
    if any(hedged(answer, m) for m, _ in stances) or (_hedge_spans(answer) and not stances):
        return Verdict(None, "hedged")
    said = {v for _, v in stances} | ({lead_answer(answer)} - {0})
    if len(said) != 1:
        return Verdict(False, "inconsistent") if said else Verdict(None, "no_claim")
    if said != {_want(reference)}:
        return Verdict(False, "polarity")
    needed = [c for c in asked.concepts if _stances(_body(reference), Asked([c]))]
    if needed and not stances and _body(answer).strip(" .,!"):
        return Verdict(False, f"missing:{needed[0]}")
    return Verdict(True, "agrees")


def _ref_mentions(reference: str) -> list[Mention]:
    """The reference's concepts (a body region only where it is the whole answer)."""
    every = mentions(reference)
    return [m for m in every if m.group != "region" or len(every) == 1]


def _matching(answer: str, r: Mention, ref: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """(the answer's mentions that state r's concept, its other values of r's group that it
    asserts). A reference naming left and right is answered by bilateral."""
    sides = {m.concept for m in ref if m.group == "side"}
    both = r.group == "side" and {"left", "right"} <= sides
    said = mentions(answer)
    same = [m for m in said if _covers(r.concept, _concept(answer, m))]
    same += [m for m in said if both and m.concept == "bilateral"]
    other = [m for m in said if m.group == r.group and m not in same and polarity(answer, m) > 0]
    other = [m for m in other if not _covers(m.concept, r.concept)]
    other = [m for m in other if not (both and m.concept in sides)]
    return same, other


def _judge_open(answer: str, reference: str) -> Verdict:
    """An open question: every concept of the reference is stated (or a part of it), none is
    denied or contradicted by another value of its group; a hedge or two options are unsure."""
    ref = _ref_mentions(reference)
    if not ref:
        return _judge_words(answer, reference)
    if _hedge_spans(answer):
        return Verdict(None, "hedged")
    for r in ref:
        same, other = _matching(answer, r, ref)
        if any(_alternatives(answer, m, organs=True) for m in same):
            return Verdict(None, "both_options")
        if same and all(polarity(answer, m) < 0 for m in same):
            return Verdict(False, f"contradicts:{r.concept}")
        if same and other and r.group in _EXCLUSIVE:
            return Verdict(None, "both_options")
        if not same:
            return Verdict(False, f"{'contradicts' if other else 'missing'}:{r.concept}")
    return Verdict(True, "agrees")


_STOP = set(lx.FUNCTION_WORDS) | {"what", "which", "how", "where", "yes", "no"}


def _judge_words(answer: str, reference: str) -> Verdict:
    """A reference without a lexicon term: each of its content words (or a form) is said."""
    have = {_stem(w) for w in words(answer)}
    missing = [w for w in words(reference) if w not in _STOP and _stem(w) not in have]
    if missing:
        return Verdict(False, f"missing:{missing[0]}")
    return Verdict(None, "hedged") if _hedge_spans(answer) else Verdict(True, "agrees")


def _stem(w: str) -> str:
    """A crude word form: effusions, enlarged, left-sided, T2-weighted -> their stem."""
    w = re.sub(r"-(sided|weighted)$", "", w.lower())
    for suffix in ("ies", "es", "s", "ed", "ing", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def _findings(text: str) -> dict[str, tuple[int, list[Claim]]]:
    """finding -> (+1 present / -1 absent / 0 unsure, its positive claims, else all). Present
    anywhere wins (a left pneumothorax, no right one)."""
    by: dict[str, list[Claim]] = {}
    for c in claims(text, ("finding",)):
        by.setdefault(c.concept, []).append(c)
    out = {}
    for concept, cs in by.items():
        positive = [c for c in cs if c.polarity > 0 and not c.hedged]
        status = 1 if positive else (-1 if any(not c.hedged for c in cs) else 0)
        out[concept] = (status, positive or cs)
    return out


def _normal_scope(text: str) -> tuple[set[str], bool]:
    """(the organs text calls normal, whether it calls the whole study normal)."""
    organs, whole = set(), False
    for c in claims(text, ("normality",)):
        if not c.hedged and _normal_value(text, c.mention) > 0:
            named = {o.concept for o in c.attributes.get("organ", [])}
            organs |= named  # the visualized abdomen is unremarkable: not the whole study
            about = named or c.attributes.get("finding") or c.attributes.get("region")
            whole = whole or not about
    return organs, whole


def _status(finding: str, found: dict, normal: tuple[set[str], bool]) -> int | None:
    """+1 / -1 / 0 as text states the finding; -1 where it calls its organ (or all) normal."""
    if finding in found:
        return found[finding][0]
    organ = _organ_of(finding)
    if (normal[1] and _family(finding) != "device") or any(_covers(o, organ) for o in normal[0]):
        return -1
    return None


def _values(cs: list[Claim], group: str) -> set[str]:
    return {m.concept for c in cs for m in c.attributes.get(group, [])}


def report_problems(answer: str, reference: str) -> list[tuple[str, str]]:
    """(kind, finding) for each way a report differs from the reference report: 'attr:<group>'
    (a wrong side, size or count), 'denied', 'hallucinated', 'omission', 'unsure'."""
    ref_f, ans_f = _findings(reference), _findings(answer)
    ref_n, ans_n = _normal_scope(reference), _normal_scope(answer)
    problems = []
    for finding in dict.fromkeys([*ref_f, *ans_f]):
        r, a = _status(finding, ref_f, ref_n), _status(finding, ans_f, ans_n)
        if r == 1 and a == 1:
            for group in ("side", "degree", "number"):
                want, have = _values(ref_f[finding][1], group), _values(ans_f[finding][1], group)
                if want and have and want != have:
                    problems.append((f"attr:{group}", finding))
                    break
        elif r == 1:
            problems.append(({-1: "denied", 0: "unsure", None: "omission"}[a], finding))
        elif (a == 1 and r != 0) or (a == 0 and r == -1):
            problems.append(("hallucinated" if a == 1 else "unsure", finding))
    return problems


def _judge_report(answer: str, reference: str) -> Verdict:
    """A report: right when no finding contradicts the reference and none it states is missed."""
    problems = report_problems(answer, reference)
    wrong = [f for k, f in problems if k.startswith("attr") or k in ("denied", "hallucinated")]
    if wrong:
        return Verdict(False, f"contradicts:{wrong[0]}")
    if problems:
        omitted = any(k == "omission" for k, _ in problems)
        return Verdict(False, "omission") if omitted else Verdict(None, "hedged")
    return Verdict(True, "agrees")


# -------------------------------------------------------------------------------------------------
# Edits: (start, end, new text) on the answer; a claim's cue turns over as a whole.

Edit = tuple[int, int, str]
_POST_VERB = re.compile(r"\s+(is|are|was|were)\s+(" + "|".join(lx.POST_VERBS) + r")\b", re.I)
_DETERMINER = re.compile(r"(" + "|".join(lx.DETERMINERS) + r")\s+", re.I)
_ASSERT = [(re.compile(p, re.I), r) for p, r in lx.ASSERT_CUES]


def _styled(new: str, old: str) -> str:
    """new in old's case: 'right' replacing 'Left' is 'Right'; CT, MRI and X-ray keep theirs."""
    if old[:1].isupper() and not (len(old) > 1 and old.isupper()) and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def _article(word: str) -> str:
    """'a' or 'an' by sound: an MRI, an X-ray, an effusion; a CT, a nodule."""
    if word[:1].isupper() and (word.isupper() or word[1:2] == "-"):
        return "an" if word[:1] in "AEFHILMNORSX" else "a"
    return "an" if word[:1].lower() in "aeiou" else "a"


def apply_edits(text: str, edits: list[Edit]) -> str:
    """text with each text[s:e] replaced by new; an article in front of a replaced word is made
    to agree with it (a CT -> an MRI)."""
    edits = sorted(set(edits))
    for s, _, new in list(edits):
        m = re.search(r"\b(an?)\s+$", text[:s], re.IGNORECASE)
        if m and new.strip() and m.group(1).lower() != _article(new):
            edits.append((m.start(1), m.end(1), _styled(_article(new), m.group(1))))
    for s, e, new in sorted(set(edits), reverse=True):
        text = text[:s] + new + text[e:]
    return re.sub(r"(?<=\S)  +", " ", text)


def _no_overlap(edits: list[Edit]) -> bool:
    spans = sorted({(s, e) for s, e, _ in edits})
    return all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


def _drop(text: str, start: int, end: int) -> Edit:
    """Delete text[start:end] and the spaces after it."""
    return start, end + len(text[end:]) - len(text[end:].lstrip(" ")), ""


def _plural(text: str, m: Mention) -> bool:
    return text[m.start : m.end].lower().endswith("s") and not m.concept.endswith("s")


def _opener(text: str, m: Mention, pos: int) -> str:
    """The article a finding takes when the next word starts at pos: a, an, or '' for a mass
    noun or a plural (there is edema, there are nodules)."""
    if _plural(text, m) or m.concept in lx.MASS_NOUNS or m.group == "normality":
        return ""
    return _article((WORD.findall(text[pos:]) or ["x"])[0])


def _np_start(text: str, m: Mention) -> int | None:
    """Where m's noun phrase starts if it opens its clause (after but / and): a determiner and
    modifiers only before it (a small left pleural effusion, multiple granulomas)."""
    s, _ = _clause(text, m.start)
    p = s + re.match(r"\s*(?:(?:but|and|while)\s+)?", text[s:], re.I).end()
    head = words(text[p : m.start])
    return None if len(head) > 5 or set(head) & lx.VERBS_AND_PREPOSITIONS else p


def _initial(text: str, pos: int) -> bool:
    return pos == _sentence(text, pos)[0] or text[:pos].rstrip().endswith(":")


def _but_and(text: str, s: int) -> list[Edit]:
    """A clause that turns over after 'but' now agrees with the one before: 'but' -> 'and'."""
    return [(s, s + 3, "and")] if text[s : s + 4].lower() == "but " else []


def _deny(text: str, m: Mention, copula: bool = True) -> list[Edit] | None:
    """Edits that make text deny m: a noun phrase opening its clause takes 'no' (no pleural
    effusion is seen), else the nearest cue before it turns (there is a -> there is no, shows ->
    shows no, is -> is not, unless not copula), or 'No' opens a telegraphic phrase. A denied
    finding loses its size, count and 'bilateral' (there is no pleural effusion)."""
    if m.group == "normality":
        return _deny_normal(text, m)
    s, e = _clause(text, m.start)
    edits, post, p = _but_and(text, s), _POST_VERB.match(text, m.end), _np_start(text, m)
    cues = [(c, r) for regex, r in _ASSERT for c in regex.finditer(text, s, m.start)]
    cues = [(c, r) for c, r in cues if copula or "not" not in r]
    if post and p is not None:
        det = _DETERMINER.match(text, p)
        start = det.end() if det else p
        edits.append((p, start, ("No " if _initial(text, p) else "no ")))
    elif cues:
        c, repl = max(cues, key=lambda cue: cue[0].end())
        edits.append((c.start(), c.end(), c.expand(repl)))
        start = c.end()
    elif post and copula:
        return edits + [(post.start(), post.end(), f" {post.group(1)} not {post.group(2)}")]
    elif p is not None and not text[m.end : e].strip(" .;,"):
        edits.append((p, p, "No " if _initial(text, p) else "no "))
        start = p
    else:
        return None
    drop = [x for x in mentions(text) if start <= x.start < m.start]
    drop = [x for x in drop if x.group in ("degree", "number") or x.concept == "bilateral"]
    edits += [_drop(text, x.start, x.end) for x in drop]
    first = re.compile(r"\S+").match(text, start)  # No opens the phrase: Small -> No small
    if (
        p == start
        and first
        and first.group()[1:].islower()
        and first.start() not in {x.start for x in drop}
    ):
        edits.append((first.start(), first.start() + 1, first.group()[0].lower()))
    return edits if _no_overlap(edits) else None


def _deny_normal(text: str, m: Mention, organ_word: str = "") -> list[Edit] | None:
    """normal <-> abnormal (within normal limits -> abnormal); organ_word (enlarged, widened)
    takes the normal phrase's place instead."""
    old = " ".join(text[m.start : m.end].lower().split())
    new = organ_word if organ_word and m.concept == "normal" else lx.NORMAL_SWAPS.get(old)
    return [(m.start, m.end, _styled(new, text[m.start : m.end]))] if new else None


def _affirm(text: str, m: Mention, plant: bool = False) -> list[Edit] | None:
    """Edits that make text assert m, denied today (there is no -> there is a; no X is seen ->
    a X is seen; is not -> is; but no -> and a; without -> with, except in a plant). None where
    the negation covers another finding too (no effusion or pneumothorax)."""
    span = _trigger(text, m)
    others = [x for x in mentions(text) if x.group == "finding" and x != m]
    if not span or any(_trigger(text, x) == span for x in others):
        return [] if not span else None
    a, b = span
    cue, article = text[a:b].lower(), _opener(text, m, b)
    edits = _but_and(text, _clause(text, m.start)[0])
    telegraphic = _initial(text, a) and _np_start(text, m) == a  # No pneumothorax.
    if cue == "no" and telegraphic and not _POST_VERB.match(text, m.end):
        plural = not article and _plural(text, m)
        opener = "there are" if plural else ("there is " + article).strip()
        return edits + [(a, b, _styled(opener, text[a:b]))]
    if cue == "no" and article:
        return edits + [(a, b, _styled(article, text[a:b]))]
    if cue in ("no", "not"):
        end = b + len(text[b:]) - len(text[b:].lstrip())
        capital = cue == "no" and text[a].isupper() and text[end : end + 1].islower()
        return edits + [(a, end, "")] + ([(end, end + 1, text[end].upper())] if capital else [])
    if cue.startswith(("no ", "not ")):
        return edits + [(a, b, text[a:b].split(None, 1)[1])]
    swap = lx.AFFIRM_SWAPS.get(cue) if not (plant and cue == "without") else None
    return edits + [(a, b, _styled(swap, text[a:b]))] if swap else None


def _flip(text: str, m: Mention, plant: bool = False) -> list[Edit] | None:
    """Edits that turn m's polarity over (for a normality term: normal <-> abnormal)."""
    return _affirm(text, m, plant) if polarity(text, m) < 0 else _deny(text, m)


def _lead_edit(text: str, want: int) -> list[Edit]:
    """The edit that makes a leading yes/no say want, if the text has one that does not."""
    lead = _LEAD.match(text)
    if not lead or lead_answer(text) == want:
        return []
    return [(lead.start(1), lead.end(1), _styled("yes" if want > 0 else "no", lead.group(1)))]


_SPELLING = {f.lower(): f for g in (lx.MODALITIES, lx.SEQUENCES) for fs in g.values() for f in fs}


def _written(r: Mention, source: str, old: str, finding: str = "") -> str:
    """How concept r (found in source) is written in place of the word old: a degree in old's
    family (small -> large, mildly -> severely; 'moderate' by the finding it sizes), a number
    as old was (two -> three, 2 -> 3), a side or sequence keeping old's suffix (left-sided ->
    right-sided, T2-weighted -> T1-weighted), else the source's own words."""
    low = old.lower()
    if r.group == "degree":
        families = [f for f, ws in lx.DEGREES.items() if low in ws]
        family = families[0] if len(families) == 1 else lx.DEGREE_SYNONYMS.get(low, ("", 0))[0]
        family = family or ("size" if finding in lx.SIZE_FINDINGS else "severity")
        return lx.DEGREES[family][int(r.concept)]
    if r.group == "number" and not low[:1].isdigit() and int(r.concept) < len(lx.NUMBERS):
        return lx.NUMBERS[int(r.concept)]
    if r.group == "side" and low.split("-")[0] in lx.SIDES:
        return r.concept + low[len(low.split("-")[0]) :]
    if r.group == "sequence" and low.endswith("weighted") and r.concept in ("T1", "T2"):
        return r.concept + "-weighted"
    text = source[r.start : r.end]
    return _SPELLING.get(text.lower(), text if text.isupper() else text.lower())


def _recount(text: str, m: Mention, n: int) -> list[Edit] | None:
    """Edits that make m's count n, its noun and verb agreeing (There is a single mass -> There
    are two masses; Two ribs are fractured -> One rib is fractured)."""
    old = text[m.start : m.end]
    edits = [(m.start, m.end, _styled(_written(Mention("number", str(n), 0, 0), "", old), old))]
    if (m.concept == "1") == (n == 1):
        return edits
    s, e = _clause(text, m.start)
    nouns = [x for x in mentions(text) if m.end <= x.start < e and x.group in ("finding", "organ")]
    if not nouns:
        return None
    noun, w = nouns[0], text[nouns[0].start : nouns[0].end]
    singular = w[:-3] + "y" if w.endswith("ies") else w[:-1]
    edits.append(
        (noun.start, noun.end, singular if n == 1 else w + ("es" if w[-1] in "sx" else "s"))
    )
    article = re.search(r"\b(an?)\s+$", text[s : m.start])
    edits += [(s + article.start(1), m.start, "")] if article else []
    before = list(re.finditer(r"\b(is|are)\b", text[s : m.start]))
    after = re.match(r"\s+(is|are)\b", text[noun.end :])
    at = s + before[-1].start(1) if before else (noun.end + after.start(1) if after else None)
    edits += [(at, at + len(text[at:].split()[0]), "is" if n == 1 else "are")] if at else []
    return edits if _no_overlap(edits) else None


# -------------------------------------------------------------------------------------------------
# The rule editor: corrections.


def _bare(text: str) -> bool:
    """Whether the answer says no more than yes or no (Yes., No, it is not.)."""
    return all(w in _STOP for w in words(_body(text)))


def _closed_edits(answer: str, asked: Asked, want: int, plant: bool = False) -> list[Edit] | None:
    """Edits that make every yes/no statement of the answer about the asked concepts say want:
    the leading yes/no with its linked words (there is a -> there is no, normal -> abnormal)."""
    stances = _stances(answer, asked)
    if not stances and not _bare(answer):
        return None  # a claim the lexicon cannot read: its yes/no alone would contradict it
    edits = _lead_edit(answer, want)
    normal = any(c in ("normal", "abnormal") for c in asked.concepts)
    for m in [m for m, v in stances if v != want]:
        if m.group in _EXCLUSIVE and not any(_covers(c, m.concept) for c in asked.concepts):
            if want < 0 or polarity(answer, m) < 0:
                return None  # not CT: what it is instead cannot be told
            source = asked.concepts[0]
            r = next(x for x in mentions(source) if x.group == m.group)
            edits.append((m.start, m.end, _written(r, source, answer[m.start : m.end])))
        elif normal and m.group == "finding" and polarity(answer, m) > 0:
            return None  # a finding that makes the image abnormal: no word carries the fix
        elif (flip := _flip(answer, m, plant)) is not None:
            edits += flip
        else:
            return None
    return edits if _no_overlap(edits) else None


def _open_step(answer: str, reference: str) -> tuple[list[Edit] | None, str]:
    """Edits for the first concept of the reference that the answer denies or contradicts: the
    denial turned over, or the answer's other value replaced by the reference's words."""
    ref = _ref_mentions(reference)
    if not ref:
        return None, "unknown_terms"  # judged by its words, which no rule can put in place
    for r in ref:
        same, other = _matching(answer, r, ref)
        if same and all(polarity(answer, m) < 0 for m in same):
            edits = _affirm(answer, same[0])
            return (edits, "") if edits else (None, "cannot_affirm")
        if not same and other:
            specific = [m for m in other if not _descriptor(answer, m, other)]
            if len({m.concept for m in specific}) > 1:
                return None, "ambiguous"
            return _replace(answer, specific, r, reference)
        if not same:
            return None, f"missing:{r.concept}"
    return [], ""


def _descriptor(text: str, m: Mention, found: list[Mention]) -> bool:
    """Whether m only describes what another finding names as its diagnosis (bibasilar
    opacities consistent with pneumonia): the diagnosis is what a correction replaces."""
    named = [x for x in found if re.search(r"(consistent|compatible) with\s+$", text[: x.start])]
    return m.concept in ("opacity", "lesion") and bool(named) and m not in named


def _replace(
    answer: str, old: list[Mention], r: Mention, reference: str
) -> tuple[list | None, str]:
    """Edits that write r's concept in place of each old mention: a count with its noun and
    verb, a finding without a side its new organ lacks and with the article it needs (a
    right-sided pneumothorax -> cardiomegaly). A cell of the old organ left behind: None."""
    if r.group == "number":
        edits = _recount(answer, old[0], int(r.concept)) if r.concept.isdigit() else None
        return (edits, "") if edits else (None, "cannot_recount")
    olds = {m.concept for m in old}
    if any(_organ_of(x.concept) in olds and _family(x.concept) == "cell" for x in mentions(answer)):
        return None, "linked_term"
    features = r"\s+(with|showing|consisting of|containing)\s"  # adenocarcinoma with glands
    if r.group == "finding" and any(re.match(features, answer[m.end :]) for m in old):
        return None, "linked_features"
    edits = []
    for m in old:
        word = answer[m.start : m.end]
        edits.append((m.start, m.end, _styled(_written(r, reference, word), word)))
        if r.group != "finding":
            continue
        s, _ = _clause(answer, m.start)
        paired = lx.ORGANS.get(_organ_of(r.concept) or "", ((), None, True))[2]
        sides = [] if paired else [x for x in _near(answer, m, "side") if x.start < m.start]
        edits += [_drop(answer, x.start, x.end) for x in sides]
        article = re.search(r"\b(an?)\s+$", answer[s : min([x.start for x in sides] + [m.start])])
        if article and r.concept in lx.MASS_NOUNS:  # a pneumothorax -> cardiomegaly
            edits.append(_drop(answer, s + article.start(1), s + article.end(1)))
    return edits, ""


def _report_step(answer: str, reference: str) -> tuple[list[Edit] | None, str]:
    """Edits for the first contradiction of a report: a wrong side, size or count set to the
    reference's; a hallucinated finding denied; a denied one asserted; a finding named where the
    reference names another (the same side and lobe) replaced. An omission or an unsure finding
    is not edited."""
    problems = report_problems(answer, reference)
    kinds, ref_f, ans_f = {k for k, _ in problems}, _findings(reference), _findings(answer)
    if "unsure" in kinds:
        return None, "unsure"
    if "omission" in kinds:
        return _swap_finding(answer, reference, problems)
    for kind, finding in problems:
        if finding not in ans_f:
            return None, "denied_by_normal"
        if kind.startswith("attr:"):
            return _fix_attribute(answer, reference, ref_f[finding][1], ans_f[finding][1], kind[5:])
        m = ans_f[finding][1][0].mention
        edits = _deny(answer, m) if kind == "hallucinated" else _affirm(answer, m)
        return (edits, "") if edits else (None, "cannot_flip")
    return [], ""


def _fix_attribute(answer, reference, ref_claims, ans_claims, group) -> tuple[list | None, str]:
    """Set a finding's side, size or count to the reference's, in each claim of it."""
    want = {m.concept: m for c in ref_claims for m in c.attributes.get(group, [])}
    if len(want) != 1 or any(group not in c.attributes for c in ans_claims):
        return None, "ambiguous"
    (r,) = want.values()
    edits = []
    for c in ans_claims:
        for m in c.attributes[group]:
            old = answer[m.start : m.end]
            new = [(m.start, m.end, _styled(_written(r, reference, old, c.concept), old))]
            edits += (_recount(answer, m, int(r.concept)) or []) if group == "number" else new
    return (edits, "") if edits and _no_overlap(edits) else (None, "ambiguous")


def _swap_finding(answer: str, reference: str, problems) -> tuple[list | None, str]:
    """One omitted finding and one hallucinated in its place (the same side and organ): the
    answer's finding phrase becomes the reference's. Any other omission is not edited."""
    missed = [f for k, f in problems if k == "omission"]
    extra = [f for k, f in problems if k == "hallucinated"]
    if len(missed) != 1 or len(extra) != 1:
        return None, "omission"
    ref_claim, ans_claims = _findings(reference)[missed[0]][1][0], _findings(answer)[extra[0]][1]
    where = [(_values([ref_claim], g), _values(ans_claims, g)) for g in ("side", "organ")]
    if len(ans_claims) != 1 or not all(a and a == b for a, b in where):
        return None, "omission"
    return _replace(answer, [ans_claims[0].mention], ref_claim.mention, reference)


def explain_edit(
    response: str, reference: str, question: str = "", answer_type=None
) -> tuple[str | None, str]:
    """(the rule editor's text, why): the response unchanged when the judge finds it right; the
    minimal claim-level correction when it is wrong and can be corrected safely; else None and
    the reason (hedged, both_options, omission, missing:<concept>, too_many_changes, ...)."""
    check_text("response", response)
    check_text("reference", reference)
    verdict, text = judge(response, reference, question, answer_type), response
    if verdict.right is not False:
        return (response, "right") if verdict.right else (None, verdict.why)
    for _ in range(8):  # a report's contradictions, one at a time
        if is_yes_no(reference):
            asked, why = _asked(reference, question), "cannot_flip"
            edits = _closed_edits(text, asked, _want(reference))
        elif _is_report(reference, question):
            edits, why = _report_step(text, reference)
        else:
            edits, why = _open_step(text, reference)
        if not edits:
            return None, why
        text = apply_edits(text, edits)
        verdict = judge(text, reference, question, answer_type)
        if verdict.right is not False:
            break
    if verdict.right is not True:
        return None, "edit_not_right"
    if max(changes_per_sentence(response, text)) > MAX_WORDS_PER_SENTENCE:
        return None, "too_many_changes"
    return text, "corrected"


def clinical_edit(response: str, reference: str, question: str = "") -> str | None:
    """The rule editor: the response unchanged when right, its minimal claim-level correction
    when wrong and safely correctable, None when it cannot tell (explain_edit says why)."""
    return explain_edit(response, reference, question)[0]


# -------------------------------------------------------------------------------------------------
# Planted errors: one real error built from the answer's claims, checked by the judge.


def _swaps(text: str, m: Mention) -> list[str]:
    """The concepts that may replace m's to make one real error, never inside a negation: the
    other side of a paired organ, a neighbouring organ, a sibling finding, the other end of a
    size or severity scale, a count one off, another modality, plane or sequence."""
    s, _ = _clause(text, m.start)
    if _cues(text[s : m.start], lx.PRE_NEGATIONS) or polarity(text, m) < 0 or hedged(text, m):
        return []
    organs = [lx.ORGANS[x.concept] for x in _near(text, m, "organ")]
    implied = [_organ_of(x.concept) for x in _near(text, m, "finding")]  # an effusion: pleura
    organs = organs or [lx.ORGANS[o] for o in implied if o in lx.ORGANS]
    word, group = text[m.start : m.end].lower(), m.group
    if group == "side" and m.concept != "bilateral":
        side = re.match(r"[\s-]+side\b", text[m.end :]) or not organs or any(o[2] for o in organs)
        return [{"left": "right", "right": "left"}[m.concept]] if side else []
    if group == "number" and m.concept.isdigit() and int(m.concept) >= 2:
        n = int(m.concept)
        return ["1"] if n == 2 and any(o[2] for o in organs) else [str(n - 1), str(n + 1)]
    if group == "degree":
        return {"1": ["3"], "3": ["1"], "2": ["1", "3"]}.get(m.concept, [])
    if group in ("modality", "sequence"):
        table = lx.PLANT_MODALITY if group == "modality" else lx.PLANT_SEQUENCE
        return [table[m.concept]] if m.concept in table else []
    if group == "plane":
        return [p for p in lx.PLANES if p != m.concept]
    if group in ("organ", "region") and word in (m.concept, m.concept + "s", m.concept.split()[0]):
        sided = bool(_near(text, m, "side"))
        neighbours = lx.NEIGHBOURS.get(m.concept, ())  # a side or a plural needs a paired one
        single = not (sided or _plural(text, m))
        return [n for n in neighbours if n in lx.REGIONS or lx.ORGANS[n][2] or single]
    noun = re.search(r"(ion|ia|is|ax|le|ss|st|ma|um|y|te)s?$", word)  # not 'necrotic'
    if group == "finding" and _family(m.concept) not in (None, "device") and noun:
        family = _family(m.concept)
        return [f for f, v in lx.FINDINGS.items() if v[2] == family and f != m.concept]
    return []


def _swap_edits(text: str, m: Mention, concept: str) -> list[Edit] | None:
    """The edits that write concept in m's place, in m's form and case (frontal -> parietal)."""
    if m.group == "number":
        return _recount(text, m, int(concept))
    old = text[m.start : m.end]
    finding = next((x.concept for x in _near(text, m, "finding") if x.start > m.start), "")
    new = _written(Mention(m.group, concept, 0, len(concept)), concept, old, finding)
    if m.group == "organ" and old.lower() == m.concept.split()[0] != m.concept:
        new = concept.split()[0]
    new += "s" if _plural(text, m) and new[-1] != "s" else ""
    return [(m.start, m.end, _styled(new, old))]


def _plants(response: str, reference: str, question: str) -> list[list[Edit]]:
    """Candidate planted errors (each a list of edits): a closed answer's claim turned over with
    its linked words; in a report a side or size changed or a finding turned over; in an open
    answer the claim that answers the question changed (another side, a neighbouring organ, a
    sibling finding) or denied."""
    if is_yes_no(reference):
        last = (mentions(question) or [Mention("", "", 0, 0)])[-1]
        if re.match(r"\s*(is|are)\s+the\b", question, re.I) and last.group in ("side", "degree"):
            return []  # asks an attribute of a finding (are the effusions bilateral?)
        asked = _asked(reference, question)
        stances = _stances(response, asked)
        current = lead_answer(response) or (stances[0][1] if stances else 0)
        edits = _closed_edits(response, asked, -current, plant=True) if current else None
        return [edits] if edits else []
    if _is_report(reference, question) or len(sentences(response)) > 1:
        return _report_plants(response)
    ref = _ref_mentions(reference) if reference != response else []
    asks = {g: r"\b(?:" + "|".join(cues) + r")\b" for g, cues in lx.QUESTION_GROUPS.items()}
    groups = {g for g, pattern in asks.items() if re.search(pattern, question, re.I)}
    said = mentions(response)
    targets = [m for m in said if any(_covers(r.concept, _concept(response, m)) for r in ref)]
    targets = targets if ref else [m for m in said if not groups or m.group in groups]
    candidates = [_swap_edits(response, m, c) for m in targets for c in _swaps(response, m)]
    for m in targets:
        if m.group == "finding" and polarity(response, m) > 0 and _family(m.concept) != "device":
            candidates.append(_deny(response, m, copula=False))
        elif m.group == "normality" and polarity(response, m) > 0:
            candidates.append(_deny_normal(response, m))
    return [c for c in candidates if c]


def _report_plants(text: str) -> list[list[Edit]]:
    """Planted errors in a report: a side or size changed; the only finding of a sentence turned
    over; the first of a denied list asserted (No effusion or pneumothorax is seen -> A pleural
    effusion is seen); a normal heart or mediastinum called enlarged or widened."""
    out, every = [], claims(text)
    for s, e in sentences(text):
        inside = [m for m in mentions(text) if s <= m.start < e]
        swaps = [(m, c) for m in inside if m.group in ("side", "degree") for c in _swaps(text, m)]
        out += [_swap_edits(text, m, c) for m, c in swaps]
        if any(hedged(text, m) for m in inside):
            continue
        mine = [c for c in every if s <= c.mention.start < e and _family(c.concept) != "device"]
        found = [c for c in mine if c.mention.group == "finding"]
        if len(found) == 1:
            out.append(_flip(text, found[0].mention, plant=True))
        elif found and all(c.polarity < 0 for c in found):
            out.append(_affirm_first(text, s, e, found[0].mention))
        for c in mine:
            organs = sorted({o.concept for o in c.attributes.get("organ", [])})
            ends = not text[c.mention.end : e].strip(" .")  # the heart size is normal.
            known = organs and set(organs) <= set(lx.ABNORMAL_WORDS)
            if c.mention.group == "normality" and known and ends:
                out.append(_deny_normal(text, c.mention, lx.ABNORMAL_WORDS[organs[0]]))
    return [c for c in out if c]


def _affirm_first(text: str, s: int, e: int, m: Mention) -> list[Edit] | None:
    """'No X or Y is seen.' -> 'A X is seen.'; 'No X or Y.' -> 'X.': a list that opens with 'No'
    asserts its first finding alone."""
    post = _POST_VERB.search(text, m.end, e)
    agrees = not post or _plural(text, m) == (post.group(1).lower() == "are")
    if not re.match(r"No\s", text[s:e]) or _np_start(text, m) != s or not agrees:
        return None
    article = _opener(text, m, m.start) if post else ""
    head = (_styled(article, "No") + " " if article else "") + _styled(text[m.start : m.end], "No")
    end = post.start() if post else s + len(text[s:e].rstrip(" ."))
    return [(s, m.end, head), (m.end, end, "")]


def counterfactual_edit(
    response: str, rng: np.random.Generator | None = None, question: str = "", reference: str = ""
) -> str | None:
    """One real planted error in a right answer, drawn with rng among the candidates of _plants;
    a candidate counts only when the judge finds it wrong against the reference (or the
    response itself), else the next is drawn. None when none passes."""
    check_text("response", response)
    rng = rng if rng is not None else np.random.default_rng(0)
    truth = reference or response
    candidates = _plants(response, truth, question)
    for k in rng.permutation(len(candidates)):
        text = apply_edits(response, candidates[k])
        if text != response and judge(text, truth, question).right is False:
            return text
    return None


# -------------------------------------------------------------------------------------------------
# The LLM editor's check, and the pair.


def _vocabulary() -> set[str]:
    """Every word of every lexicon term and cue, and the function words a minimal edit needs."""
    forms = [f for f, _, _ in _entries()] + [*_GROUP, *lx.FUNCTION_WORDS]
    forms += [*lx.PRE_NEGATIONS, *lx.POST_NEGATIONS]
    return {_stem(w) for f in forms for w in words(f)}


_VOCABULARY = _vocabulary()


def check_llm_edit(
    response: str,
    edited: str,
    reference: str,
    question: str = "",
    max_words_per_sentence: int = MAX_WORDS_PER_SENTENCE,
    plant: bool = False,
) -> str | None:
    """None when an LLM's edit of response is acceptable, else why not: each word it inserts is
    clinical, the reference's or question's, a function word, a number or a form of one
    (removed words are free); no sentence changes more than max_words_per_sentence words; and
    the judge finds the edit right (a correction) or wrong (plant=True)."""
    if not edited or not edited.strip():
        return "llm_empty"
    if max(changes_per_sentence(response, edited)) > max_words_per_sentence:
        return "llm_edit_not_minimal"
    a, b = _TOKEN.findall(response), _TOKEN.findall(edited)
    new = [" ".join(b[j1:j2]) for tag, _, _, j1, j2 in _opcodes(a, b) if tag != "equal"]
    inserted = words(" ".join(new))
    known = _VOCABULARY | {_stem(w) for w in words(reference + " " + question)}
    if any(_stem(w) not in known and not re.fullmatch(r"[\d.,]+", w) for w in inserted):
        return "llm_edit_changes_non_clinical_words"
    right = judge(edited, reference, question).right
    if right is not (not plant):
        return "llm_plant_not_wrong" if plant else "llm_edit_not_right"
    return None


def make_pair(
    response: str,
    reference: str,
    question: str = "",
    editor=clinical_edit,
    rng: np.random.Generator | None = None,
    answer_type: str | None = None,
) -> tuple[dict | None, str]:
    """(pair, outcome) as medpo.build_pair makes it. The judge reads the answer: unsure, no pair;
    right, chosen = the answer and rejected = one planted error (editor.plant where the editor
    has one, else counterfactual_edit; both called (response, rng, question, reference)), which
    the judge must find wrong; wrong, chosen = editor(response, reference, question), which the
    judge must find right. pair: dict(chosen, rejected, model_correct); outcome:
    'model_correct', 'model_wrong' or 'skipped_<why>'."""
    check_text("response", response)
    check_text("reference", reference)
    verdict = judge(response, reference, question, answer_type)
    if verdict.right is None:
        return None, f"skipped_{verdict.why}"
    if verdict.right:
        plant = getattr(editor, "plant", counterfactual_edit)
        planted = plant(response, rng, question, reference)
        if not planted or judge(planted, reference, question, answer_type).right is not False:
            return None, "skipped_no_plant"
        return dict(chosen=response, rejected=planted, model_correct=True), "model_correct"
    if editor is clinical_edit:
        fixed, why = explain_edit(response, reference, question, answer_type)
    else:
        fixed, why = editor(response, reference, question), "editor_none"
    if fixed is None or fixed == response:
        return None, f"skipped_{why}"
    if judge(fixed, reference, question, answer_type).right is not True:
        return None, "skipped_fix_not_right"
    return dict(chosen=fixed, rejected=response, model_correct=False), "model_wrong"
