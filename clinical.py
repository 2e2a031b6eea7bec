"""The judge and the rule editor of MedPO's preference pairs: pure text, claim by claim.

An answer is read as claims: a finding (or normality, a side, a modality...) named in a clause,
with its polarity (negation scoped to the clause, NegEx style), whether it is hedged, and the
attributes beside it (side, size or severity, count, organ). One judge compares those claims with
the reference's, for pair building and for evaluation alike: a closed question by the answer's
polarity about the asked finding, an open one by the reference's concepts, a report by findings.
The editor corrects a wrong claim as a whole (polarity with its linked words, a finding's whole
phrase, an attribute on its own scale) or plants one real error in a right answer; where it cannot
tell, or cannot edit safely, it gives None and says why: a skip, never a wrong pair.
Imports only the standard library, numpy and lexicon.py.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import lexicon as lx

WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")  # words (X-ray, don't) and single punctuation
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|" + WORD.pattern)  # and 3.5 as one word
MAX_WORDS_PER_SENTENCE = 5


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
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    distance, changed = 0, []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            distance += max(i2 - i1, j2 - j1)
            changed += words_a[i1:i2] + words_b[j1:j2]
    return distance, max(len(words_a), len(words_b), 1), changed


# -------------------------------------------------------------------------------------------------
# Mentions: where the lexicon's terms stand in a text, longest term first.


@dataclass(frozen=True)
class Mention:
    """One lexicon term in a text: its group, canonical concept and character span."""

    group: str  # side, normality, modality, plane, sequence, region, organ, finding, degree, number
    concept: str
    start: int
    end: int


def _pattern(form: str) -> str:
    """A whole-word regex for a term: spaces or hyphens between its words, a plural ending."""
    body = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", form))
    if form[-1].isalpha() and not form.isupper():
        body = body[:-1] + "(?:y|ies)" if form.endswith("y") else body + "(?:s|es)?"
    return r"(?<![\w-])" + body + r"(?![\w-])"


def _terms() -> list[tuple[re.Pattern, str, str]]:
    """(regex, group, concept) for every form of every lexicon term, longest form first."""
    table = [("side", lx.SIDES), ("normality", lx.NORMALITY), ("modality", lx.MODALITIES)]
    table += [("plane", lx.PLANES), ("sequence", lx.SEQUENCES), ("region", lx.REGIONS)]
    table += [("organ", {k: v[0] for k, v in lx.ORGANS.items()})]
    table += [("finding", {k: v[0] for k, v in lx.FINDINGS.items()})]
    entries = [(f, g, c) for g, groups in table for c, forms in groups.items() for f in forms]
    entries += [(f, "degree", str(lvl)) for fam in lx.DEGREES.values() for lvl, f in enumerate(fam)]
    entries += [(f, "degree", str(lvl)) for f, (_, lvl) in lx.DEGREE_SYNONYMS.items()]
    entries += [(w, "number", str(n)) for n, w in enumerate(lx.NUMBERS)]
    entries.sort(key=lambda e: -len(e[0]))
    return [(re.compile(_pattern(f), re.IGNORECASE), g, c) for f, g, c in entries]


_TERMS = _terms()
_DIGITS = re.compile(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-]|\.\d)")


@lru_cache(maxsize=4096)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every lexicon term in text, in text order; a longer term wins where terms overlap (left
    pleural effusion: a side and one finding, not a pleura). Terms inside a hedge are dropped."""
    taken = np.zeros(len(text) + 1, bool)
    for m in _cues(text, lx.HEDGES):
        taken[m[0] : m[1]] = True
    found = []
    for regex, group, concept in _TERMS:
        for m in regex.finditer(text):
            if not taken[m.start() : m.end()].any():
                taken[m.start() : m.end()] = True
                found.append(Mention(group, concept, m.start(), m.end()))
    for m in _DIGITS.finditer(text):
        if not taken[m.start() : m.end()].any():
            found.append(Mention("number", m.group().rstrip("0").rstrip(".") if "." in m.group()
                                 else str(int(m.group())), m.start(), m.end()))  # fmt: skip
    return tuple(sorted(found, key=lambda m: m.start))


@lru_cache(maxsize=64)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)


def _cues(text: str, cues: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the cue phrases in text, longest cue first where they overlap."""
    ordered = tuple(sorted(cues, key=len, reverse=True))
    return [m.span() for m in _cue_regex(ordered).finditer(text)]


# -------------------------------------------------------------------------------------------------
# Scope: sentences, clauses, negation and hedges (NegEx / ConText style, in one small rule each).

_LEAD = re.compile(r"^\s*(yes|no)\b(?=\s*(?:[,.!;:]|$))", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of text (split after . ! ? and at line breaks)."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=\S)|\n+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The span of the clause around position pos: its sentence, cut at terminators (but,
    however, ..., there is) and at ; or :."""
    s, e = next(((s, e) for s, e in sentences(text) if s <= pos < e), (0, len(text)))
    lead = _LEAD.match(text[s:e])
    s = s + lead.end() if lead and pos >= s + lead.end() else s
    bounds = [a + s for a, _ in _cues(text[s:e], lx.TERMINATORS)]
    bounds += [m.start() + s for m in re.finditer(r"[;:]", text[s:e])]
    start = max([b for b in bounds if b <= pos], default=s)
    return start, min([b for b in bounds if b > pos], default=e)


def _trigger(text: str, m: Mention) -> tuple[int, int] | None:
    """The span of the negation cue that negates m in its clause, if any: a pre-negation before
    it, or a post-negation after it."""
    s, e = _clause(text, m.start)
    pre = [(a + s, b + s) for a, b in _cues(text[s : m.start], lx.PRE_NEGATIONS)]
    post = [(a + m.end, b + m.end) for a, b in _cues(text[m.end : e], lx.POST_NEGATIONS)]
    lead = _LEAD.match(text)
    pre = [p for p in pre if not (lead and p[0] == lead.start(1))]
    return pre[-1] if pre else (post[0] if post else None)


def polarity(text: str, m: Mention) -> int:
    """+1 when text asserts m, -1 when it denies it (the normality 'abnormal' is m's concept)."""
    return -1 if _trigger(text, m) else 1


def hedged(text: str, m: Mention) -> bool:
    """Whether m's sentence is hedged (may, possibly, unclear whether, cannot be excluded...)."""
    s, e = next(((s, e) for s, e in sentences(text) if s <= m.start < e), (0, len(text)))
    return bool(_cues(text[s:e], lx.HEDGES))


def lead_answer(text: str) -> int:
    """+1 for an answer that opens with yes, -1 with no, 0 otherwise."""
    m = _LEAD.match(text)
    return 0 if not m else (1 if m.group(1).lower() == "yes" else -1)


# -------------------------------------------------------------------------------------------------
# Claims: a finding (or other concept) with its polarity and the attributes of its clause.


@dataclass
class Claim:
    """What a text says about one concept in one clause."""

    mention: Mention
    concept: str
    polarity: int
    hedged: bool
    attributes: dict[str, list[Mention]] = field(default_factory=dict)


def claims(text: str, groups=("finding", "normality")) -> list[Claim]:
    """The claims of text about concepts of these groups. A generic 'enlarged' next to an organ
    names the organ's finding (the heart is enlarged: cardiomegaly)."""
    found, every = [], mentions(text)
    for m in every:
        if m.group not in groups:
            continue
        s, e = _clause(text, m.start)
        near = [x for x in every if s <= x.start < e and x is not m]
        attrs: dict[str, list[Mention]] = {}
        for x in near:
            attrs.setdefault(x.group, []).append(x)
        concept = m.concept
        if concept == "enlargement":
            organs = [o.concept for o in attrs.get("organ", []) if o.concept in lx.ENLARGED_ORGAN]
            concept = lx.ENLARGED_ORGAN[organs[0]] if organs else concept
        found.append(Claim(m, concept, polarity(text, m), hedged(text, m), attrs))
    return found


def _covers(concept: str, other: str) -> bool:
    """Whether a mention of `other` states `concept`: the same, a part of it (the lower lobe of
    the lung), or a kind of a generic finding (a mass is a lesion)."""
    while other:
        if other == concept or other in lx.GENERIC.get(concept, ()):
            return True
        other = lx.ORGANS.get(other, (0, 0, 0, None))[3]
    return False


def _normal_value(text: str, m: Mention) -> int:
    """+1 if the mention says normal, -1 if abnormal, after its negation."""
    sign = 1 if m.concept == "normal" else -1
    return sign * polarity(text, m)


# -------------------------------------------------------------------------------------------------
# The judge.


@dataclass
class Verdict:
    """right: True, False, or None (cannot tell, hedged). why: a short reason code."""

    right: bool | None
    why: str


def is_yes_no(reference: str) -> bool:
    """Whether the reference answers yes or no."""
    return bool(lead_answer(reference)) or reference.strip().lower().rstrip(".!") in ("yes", "no")


def _is_report(reference: str, question: str) -> bool:
    return len(sentences(reference)) > 1 or bool(re.search(r"\breport|\bfindings\b", question, re.I))


def judge(answer: str, reference: str, question: str = "", answer_type=None) -> Verdict:
    """Whether answer says what reference says (question: which claim the reference answers).
    Closed (yes/no) questions by the answer's polarity about the asked finding; reports by their
    findings; open questions by the reference's concepts, with synonyms and parts."""
    if not answer.strip():
        return Verdict(False, "empty")
    yes_no = is_yes_no(reference)
    if answer_type == "CLOSED" and not yes_no and not mentions(reference):
        yes_no = False
    if yes_no:
        return _judge_closed(answer, reference, question)
    if _is_report(reference, question):
        return _judge_report(answer, reference)
    return _judge_open(answer, reference, question)


def is_right(answer: str, reference: str, question: str = "", answer_type=None) -> bool:
    """True only where the judge finds the answer right (never when hedged or unsure)."""
    return judge(answer, reference, question, answer_type).right is True


def _asked(reference: str, question: str) -> list[str]:
    """The concepts a closed question asks about, most specific group first: a finding, then
    normality, then any other term (a side, a modality). Without a question, the reference's
    own claim ('No, the image is abnormal.' answers 'Is it normal?')."""
    for text in (question, _body(reference)):
        cs = claims(text)
        for groups in (("finding",), ("normality",)):
            asked = [c.concept for c in cs if c.mention.group in groups]
            if asked == ["abnormal"] and text != question:
                return ["normal"] if _stances(reference, asked)[0][1] != lead_answer(reference) else asked
            if asked:
                return asked
        others = [m.concept for m in mentions(text) if m.group not in ("organ", "region")]
        if others:
            return others
    return []


def _body(text: str) -> str:
    """text without its leading yes/no."""
    lead = _LEAD.match(text)
    return text[lead.end() :] if lead else text


def _stances(answer: str, asked: list[str]) -> list[tuple[Mention, int]]:
    """(mention, +1 yes / -1 no) for each statement of the answer about the asked concepts. For
    'normal' any positive finding says no; for an exclusive term another alternative says no."""
    out = []
    for m in mentions(answer):
        for concept in asked:
            if concept in ("normal", "abnormal") and m.group == "normality":
                value = _normal_value(answer, m)
                out.append((m, value if concept == "normal" else -value))
            elif concept in ("normal", "abnormal") and m.group == "finding":
                if polarity(answer, m) > 0:
                    out.append((m, -1 if concept == "normal" else 1))
            elif _covers(concept, m.concept) or (m.group == "finding" and _covers(concept, _enl(answer, m))):
                out.append((m, polarity(answer, m)))
            elif m.group in _EXCLUSIVE and _group_of(concept) == m.group:
                out.append((m, -polarity(answer, m)))
    return out


_EXCLUSIVE = ("side", "modality", "plane", "sequence", "degree", "number")


def _group_of(concept: str) -> str | None:
    return next((m.group for m in mentions(concept) if m.concept == concept), None)


def _enl(text: str, m: Mention) -> str:
    """The concept of a finding mention, an 'enlarged' next to an organ made specific."""
    return next((c.concept for c in claims(text) if c.mention == m), m.concept)


def _judge_closed(answer: str, reference: str, question: str) -> Verdict:
    """A yes/no question: the answer's yes/no and its statements about the asked concept must all
    agree with the reference; a hedge or both answers is unsure."""
    want = lead_answer(reference) or (1 if reference.strip().lower().startswith("yes") else -1)
    asked = _asked(reference, question)
    stances = _stances(answer, asked)
    if any(hedged(answer, m) for m, _ in stances) or (not stances and _cues(answer, lx.HEDGES)):
        return Verdict(None, "hedged")
    said = {v for _, v in stances} | ({lead_answer(answer)} - {0})
    if not said:
        return Verdict(None, "no_claim")
    if len(said) > 1:
        clause_values = {(_clause(answer, m.start), v) for m, v in stances}
        if not lead_answer(answer) and len({c for c, _ in clause_values}) == 1:
            return Verdict(None, "both_options")
        return Verdict(False, "inconsistent")
    if said != {want}:
        return Verdict(False, "polarity")
    needed = [c for c in asked if _stances(_body(reference), [c])]
    if _body(answer).strip(" .,!") and needed and not stances:
        return Verdict(False, f"missing:{needed[0]}")
    return Verdict(True, "agrees")


def _judge_open(answer: str, reference: str, question: str) -> Verdict:
    """An open question: every concept of the reference is stated (or a part of it), none is
    denied or contradicted by another alternative of its group; a hedge is unsure."""
    ref = [m for m in mentions(reference) if m.group != "region" or len(mentions(reference)) == 1]
    if not ref:
        return _judge_words(answer, reference)
    said = mentions(answer)
    if any(hedged(answer, m) for m in said) or (_cues(answer, lx.HEDGES) and not said):
        return Verdict(None, "hedged")
    for r in ref:
        same = [m for m in said if _covers(r.concept, _enl(answer, m) if m.group == "finding"
                                           else m.concept)]  # fmt: skip
        other = [m for m in said if m.group == r.group and m not in same
                 and not _covers(m.concept, r.concept) and polarity(answer, m) > 0]  # fmt: skip
        if same and all(polarity(answer, m) < 0 for m in same):
            return Verdict(False, f"contradicts:{r.concept}")
        if same and other and r.group in _EXCLUSIVE:
            return Verdict(None, "both_options")
        if not same:
            return Verdict(False, f"contradicts:{r.concept}" if other else f"missing:{r.concept}")
    return Verdict(True, "agrees")


_STOP = set(lx.FUNCTION_WORDS) | {"what", "which", "how", "where", "is", "image"}


def _judge_words(answer: str, reference: str) -> Verdict:
    """A reference with no lexicon term: each of its content words (or a word form) is said."""
    have = {_stem(w) for w in words(answer)}
    for w in words(reference):
        if w not in _STOP and _stem(w) not in have:
            return Verdict(False, f"missing:{w}")
    if _cues(answer, lx.HEDGES):
        return Verdict(None, "hedged")
    return Verdict(True, "agrees")


def _stem(w: str) -> str:
    """A crude word form: effusions, enlarged, left-sided, T2-weighted -> their stem."""
    w = re.sub(r"-(sided|weighted)$", "", w.lower())
    for suffix in ("ies", "es", "s", "ed", "ing", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def _findings(text: str) -> dict[str, tuple[int, Claim]]:
    """concept -> (+1 present / -1 absent / 0 unsure, its claim) for the findings of text."""
    out: dict[str, tuple[int, Claim]] = {}
    for c in claims(text, ("finding",)):
        status = 0 if c.hedged else c.polarity
        if c.concept in out and out[c.concept][0] != status:
            status = 0
        out[c.concept] = (status, c)
    return out


def _normal_scope(text: str) -> tuple[set[str], bool]:
    """(the organs text calls normal, whether it calls the whole study normal)."""
    organs, whole = set(), False
    for c in claims(text, ("normality",)):
        if c.hedged or _normal_value(text, c.mention) < 0:
            continue
        named = {o.concept for o in c.attributes.get("organ", [])}
        organs |= named
        whole = whole or not named
    return organs, whole


def _status(concept: str, found: dict, normal: tuple[set[str], bool]) -> int | None:
    """+1 / -1 / 0 for a finding text states; -1 where text calls its organ (or all) normal."""
    if concept in found:
        return found[concept][0]
    organ = lx.FINDINGS.get(concept, ((), None, None))[1]
    if normal[1] or (organ and any(_covers(o, organ) for o in normal[0])):
        return -1
    return None


def _attribute_clash(ref: Claim, ans: Claim) -> str | None:
    """The group (side, degree, number) where both claims name a value and the values differ."""
    for group in ("side", "degree", "number"):
        r = {m.concept for m in ref.attributes.get(group, [])}
        a = {m.concept for m in ans.attributes.get(group, [])}
        if r and a and r != a:
            return group
    return None


def report_problems(answer: str, reference: str) -> list[tuple[str, str]]:
    """(kind, finding) for each way a report answer differs from the reference report: 'attr:
    <group>' (a wrong side, size, count), 'denied', 'hallucinated', 'omission', 'unsure'."""
    ref_f, ans_f = _findings(reference), _findings(answer)
    ref_n, ans_n = _normal_scope(reference), _normal_scope(answer)
    problems = []
    for concept in dict.fromkeys([*ref_f, *ans_f]):
        r, a = _status(concept, ref_f, ref_n), _status(concept, ans_f, ans_n)
        if r == 1 and a == 1:
            clash = _attribute_clash(ref_f[concept][1], ans_f[concept][1])
            problems += [(f"attr:{clash}", concept)] if clash else []
        elif r == 1:
            problems.append(({-1: "denied", 0: "unsure", None: "omission"}[a], concept))
        elif a == 1 and r != 0:
            problems.append(("hallucinated", concept))
        elif a == 0 and r is not None:
            problems.append(("unsure", concept))
    return problems


def _judge_report(answer: str, reference: str) -> Verdict:
    """A report: right when no finding contradicts the reference's and none it states is missed."""
    problems = report_problems(answer, reference)
    for kind, concept in problems:
        if kind.startswith("attr") or kind in ("denied", "hallucinated"):
            return Verdict(False, f"contradicts:{concept}")
    if any(kind == "omission" for kind, _ in problems):
        return Verdict(False, "omission")
    if problems:
        return Verdict(None, "hedged")
    return Verdict(True, "agrees")


# -------------------------------------------------------------------------------------------------
# Edits: (start, end, new text) on the answer; a claim's cue flips as a whole.

Edit = tuple[int, int, str]


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
        if m and new and m.group(1).lower() != _article(new):
            edits.append((m.start(1), m.end(1), _styled(_article(new), m.group(1))))
    for s, e, new in sorted(set(edits), reverse=True):
        text = text[:s] + new + text[e:]
    return re.sub(r"  +", " ", text)


def _opener(text: str, m: Mention, pos: int) -> str:
    """The article a finding needs after 'there is' when the next word starts at pos: a, an, or
    '' for a mass noun or a plural (there is edema, there are nodules)."""
    plural = text[m.start : m.end].lower().endswith("s") and m.concept[-1:] != "s"
    if plural or m.concept in lx.MASS_NOUNS or m.group == "normality":
        return ""
    return _article((WORD.findall(text[pos:]) or ["x"])[0])


_ASSERT = [  # a cue that asserts what follows in its clause, and its negation
    (r"\b(there\s+(?:is|are))\s+(?:an?|some|several|multiple)\s+", r"\1 no "),
    (r"\b(there\s+(?:is|are))\s+", r"\1 no "),
    (r"\b(shows?|demonstrates?|reveals?|contains?|has|have)\s+(?:an?|some|several|multiple)\s+",
     r"\1 no "),
    (r"\b(shows?|demonstrates?|reveals?|contains?|has|have)\s+", r"\1 no "),
    (r"\b(is|are|was|were|appears?|looks?|seems?)\s+", r"\1 not "),
    (r"\bwith\s+(?:an?\s+)?", "without "),
]  # fmt: skip


def _deny(text: str, m: Mention) -> list[Edit] | None:
    """Edits that make text deny m (there is a -> there is no; is enlarged -> is not enlarged;
    normal <-> abnormal); None when no cue can carry the negation."""
    if m.group == "normality":
        old = text[m.start : m.end].lower()
        swap = {"normal": "abnormal", "abnormal": "normal", "unremarkable": "abnormal"}
        new = swap.get(old) if m.concept == "normal" else swap.get(old)
        return [(m.start, m.end, _styled(new, text[m.start : m.end]))] if new else None
    s, _ = _clause(text, m.start)
    best = None
    for pattern, repl in _ASSERT:
        for c in re.finditer(pattern, text[s : m.start], re.IGNORECASE):
            if best is None or c.end() > best[0].end():
                best = (c, repl)
    if best:
        c, repl = best
        return [(s + c.start(), s + c.end(), c.expand(repl))]
    post = re.compile(r"\s+(is|are)\s+(seen|present|visible|identified|noted)\b", re.I)
    after = post.match(text, m.end)
    if after:
        return [(after.start(), after.end(), f" {after.group(1)} not {after.group(2)}")]
    if s == next((a for a, b in sentences(text) if a <= m.start < b), -1) or text[:s].strip() in (
        "Yes,", "No,", "yes,", "no,"):  # fmt: skip
        lead = len(text[s:]) - len(text[s:].lstrip())
        return [(s + lead, s + lead, "No ")] if m.start - s - lead < 40 else None
    return None


def _affirm(text: str, m: Mention) -> list[Edit] | None:
    """Edits that make text assert m, denied today (there is no -> there is a; is not -> is;
    but no -> and a; without -> with). None where the negation also covers another finding."""
    span = _trigger(text, m)
    if not span:
        return []
    others = [x for x in mentions(text) if x.group == "finding" and x is not m and x != m]
    if any(_trigger(text, x) == span for x in others):
        return None
    a, b = span
    cue = text[a:b].lower()
    article = _opener(text, m, b)
    before = text[:a]
    if cue == "no":
        if re.search(r"\bbut\s+$", before, re.I):
            start = re.search(r"\bbut\s+$", before, re.I).start()
            return [(start, b, "and " + article if article else "and")]
        if re.search(r"(?:^|[.!?]\s+|[,;:]\s+)$", before) and not re.search(r"\w\s*,\s*$", before):
            plural = article == "" and text[m.start : m.end].lower().endswith("s")
            opener = "there are" if plural else ("there is " + article).strip()
            return [(a, b, _styled(opener, text[a:b]))]
        return [(a, b, article)] if article else [(a, b + 1, "")]
    if cue.startswith(("no ", "not ")) and " " in cue:
        return [(a, b, text[a:b].split(None, 1)[1])]
    if cue == "not":
        return [(a, b + 1, "")]
    swap = {"without": "with", "absent": "present", "negative for": "positive for"}
    return [(a, b, _styled(swap[cue], text[a:b]))] if cue in swap else None


def _flip(text: str, m: Mention) -> list[Edit] | None:
    """Edits that turn m's polarity over (for a normality term: normal <-> abnormal)."""
    if m.group == "normality" and polarity(text, m) < 0:
        return _affirm(text, m)
    return _deny(text, m) if polarity(text, m) > 0 or m.group == "normality" else _affirm(text, m)


def _lead_edit(text: str, want: int) -> list[Edit]:
    """The edit that makes a leading yes/no say want, if the text has one that does not."""
    lead = _LEAD.match(text)
    if not lead or lead_answer(text) == want:
        return []
    return [(lead.start(1), lead.end(1), _styled("yes" if want > 0 else "no", lead.group(1)))]


def _no_overlap(edits: list[Edit]) -> bool:
    spans = sorted({(s, e) for s, e, _ in edits})
    return all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))


_SPELLING = {f.lower(): f for g in (lx.MODALITIES, lx.SEQUENCES) for fs in g.values() for f in fs}


def _written(r: Mention, source: str, old: str) -> str:
    """How concept r (found in source) is written in place of the word old: a degree in old's
    family (small -> large, mildly -> severely), a number as old was (two -> three, 2 -> 3), a
    side keeping old's suffix (left-sided -> right-sided), else the source's own words."""
    low = old.lower()
    if r.group == "degree":
        family = next((f for f, ws in lx.DEGREES.items() if low in ws), None)
        family = family or lx.DEGREE_SYNONYMS.get(low, ("size", 0))[0]
        return lx.DEGREES[family][int(r.concept)]
    if r.group == "number" and low in lx.NUMBERS and r.concept.isdigit():
        return lx.NUMBERS[int(r.concept)] if int(r.concept) < len(lx.NUMBERS) else r.concept
    if r.group == "side" and low.split("-")[0] in lx.SIDES:
        return r.concept + low[len(low.split("-")[0]) :]
    text = source[r.start : r.end]
    return _SPELLING.get(text.lower(), text if text.isupper() else text.lower())


def _closed_edits(answer: str, asked: list[str], want: int) -> list[Edit] | None:
    """Edits that make every yes/no cue of the answer about the asked concepts say want: the
    leading yes/no with its linked words (there is a -> there is no, normal -> abnormal)."""
    edits = _lead_edit(answer, want)
    for m, value in _stances(answer, asked):
        if value == want:
            continue
        if m.group in _EXCLUSIVE and not any(_covers(c, m.concept) for c in asked):
            if want < 0 or polarity(answer, m) < 0:
                return None
            r = next(x for x in mentions(" ".join(asked)) if x.group == m.group)
            edits.append((m.start, m.end, _written(r, " ".join(asked), answer[m.start : m.end])))
            continue
        if m.group == "finding" and any(c in ("normal", "abnormal") for c in asked):
            return None  # a finding that denies normality: no word carries the fix
        flip = _flip(answer, m)
        if flip is None:
            return None
        edits += flip
    return edits if _no_overlap(edits) else None


def _ref_mentions(reference: str) -> list[Mention]:
    every = mentions(reference)
    return [m for m in every if m.group != "region" or len(every) == 1]


def _open_step(answer: str, reference: str) -> tuple[list[Edit] | None, str]:
    """Edits for the first concept of the reference that the answer denies or contradicts: a
    denial turned over, or the answer's other alternative replaced by the reference's words."""
    said = mentions(answer)
    for r in _ref_mentions(reference):
        same = [m for m in said if _covers(r.concept, _enl(answer, m))]
        other = [m for m in said if m.group == r.group and m not in same
                 and not _covers(m.concept, r.concept) and polarity(answer, m) > 0]  # fmt: skip
        if same and all(polarity(answer, m) < 0 for m in same):
            edits = _affirm(answer, same[0])
            return (edits, "") if edits else (None, "cannot_affirm")
        if not same and other:
            if len({m.concept for m in other}) > 1:
                return None, "ambiguous"
            new = [(m.start, m.end, _written(r, reference, answer[m.start : m.end])) for m in other]
            return [(s, e, _styled(t, answer[s:e])) for s, e, t in new], ""
        if not same:
            return None, f"missing:{r.concept}"
    return [], ""


def _report_step(answer: str, reference: str) -> tuple[list[Edit] | None, str]:
    """Edits for the first contradiction of a report: a wrong side, size or count set to the
    reference's, a hallucinated finding denied (its size dropped), a denied one asserted. An
    omission or an unsure finding is not edited."""
    problems = report_problems(answer, reference)
    for kind in ("omission", "unsure"):
        if any(k == kind for k, _ in problems):
            return None, kind
    ref_f, ans_f = _findings(reference), _findings(answer)
    for kind, concept in problems:
        if concept not in ans_f:
            return None, "denied_by_normal"
        claim = ans_f[concept][1]
        if kind.startswith("attr:"):
            group = kind[5:]
            want = {m.concept: m for m in ref_f[concept][1].attributes[group]}
            if len(want) != 1:
                return None, "ambiguous"
            (r,) = want.values()
            return [(m.start, m.end, _styled(_written(r, reference, answer[m.start : m.end]),
                                             answer[m.start : m.end]))
                    for m in claim.attributes[group]], ""  # fmt: skip
        if kind == "hallucinated":
            drops = [m for g in ("degree", "number") for m in claim.attributes.get(g, [])]
            if drops:
                return [(m.start, _skip_space(answer, m.end), "") for m in drops], ""
            edits = _deny(answer, claim.mention)
            return (edits, "") if edits else (None, "cannot_deny")
        edits = _affirm(answer, claim.mention)
        return (edits, "") if edits else (None, "cannot_affirm")
    return [], ""


def _skip_space(text: str, end: int) -> int:
    return end + len(text[end:]) - len(text[end:].lstrip(" "))


def changes_per_sentence(response: str, edited: str) -> list[int]:
    """Words changed (punctuation excluded) in each sentence of response, by a word diff."""
    tokens = list(_TOKEN.finditer(response))
    spans = sentences(response)
    counts = [0] * max(len(spans), 1)

    def sentence_of(i: int) -> int:
        pos = tokens[min(i, len(tokens) - 1)].start() if tokens else 0
        return next((k for k, (s, e) in enumerate(spans) if pos < e), len(spans) - 1)

    a, b = [t.group() for t in tokens], _TOKEN.findall(edited)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            n = max(sum(w[0].isalnum() for w in a[i1:i2]), sum(w[0].isalnum() for w in b[j1:j2]))
            counts[max(sentence_of(i1), 0)] += n
    return counts


def explain_edit(
    response: str, reference: str, question: str = "", answer_type=None
) -> tuple[str | None, str]:
    """(the rule editor's text, why): the response unchanged when the judge finds it right, the
    minimal claim-level correction when it is wrong and can be corrected safely, else None and
    the reason (hedged, both_options, omission, missing:<concept>, too_many_changes, ...)."""
    check_text("response", response)
    check_text("reference", reference)
    verdict = judge(response, reference, question, answer_type)
    if verdict.right:
        return response, "right"
    if verdict.right is None:
        return None, verdict.why
    text = response
    for _ in range(8):
        if is_yes_no(reference) and verdict.why != "empty":
            want = lead_answer(reference) or (1 if reference.lower().startswith("yes") else -1)
            edits, why = _closed_edits(text, _asked(reference, question), want), "cannot_flip"
        elif _is_report(reference, question):
            edits, why = _report_step(text, reference)
        else:
            edits, why = _open_step(text, reference)
        if not edits:
            return None, why or verdict.why
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


def _asked_groups(question: str, reference: str, response: str) -> set[str]:
    """The groups whose concept answers the question: from its wording, else the reference's."""
    groups = {g for pattern, g in lx.QUESTION_GROUPS.items() if re.search(pattern, question, re.I)}
    if groups:
        return groups
    if reference and reference != response:
        return {m.group for m in _ref_mentions(reference)}
    return {"side", "degree", "number", "modality", "plane", "sequence", "organ", "finding",
            "normality"}  # fmt: skip


def _clause_negated(text: str, m: Mention) -> bool:
    s, _ = _clause(text, m.start)
    return bool(_cues(text[s : m.start], lx.PRE_NEGATIONS)) or polarity(text, m) < 0


def _swaps(text: str, m: Mention) -> list[str]:
    """The concepts that may replace m's to make one real error (never inside a negation)."""
    if _clause_negated(text, m) or hedged(text, m):
        return []
    s, e = _clause(text, m.start)
    near = [x for x in mentions(text) if s <= x.start < e]
    organs = [lx.ORGANS[x.concept] for x in near if x.group == "organ"]
    organs += [lx.ORGANS[f[1]] for x in near if x.group == "finding"
               for f in [lx.FINDINGS[x.concept]] if f[1] in lx.ORGANS]  # fmt: skip
    word = text[m.start : m.end].lower()
    if m.group == "side" and m.concept != "bilateral" and (not organs or any(o[2] for o in organs)):
        return [{"left": "right", "right": "left"}[m.concept]]
    if m.group == "number" and m.concept.isdigit() and int(m.concept) >= 2:
        return [str(int(m.concept) - 1), str(int(m.concept) + 1)]
    if m.group == "degree":
        return {"1": ["3"], "3": ["1"], "2": ["1", "3"]}.get(m.concept, [])
    if m.group in ("modality", "sequence"):
        plant = lx.PLANT_MODALITY if m.group == "modality" else lx.PLANT_SEQUENCE
        return [plant[m.concept]] if m.concept in plant else []
    if m.group == "plane":
        return [p for p in lx.PLANES if p != m.concept]
    if m.group == "organ" and word.rstrip("s") == m.concept:
        sided = any(x.group == "side" for x in near)
        return [n for n in lx.NEIGHBOURS.get(m.concept, ()) if lx.ORGANS[n][2] or not sided]
    if m.group == "finding" and re.search(r"(ion|ia|is|ax|le|ss|st|ma|um|y)s?$", word):
        family = lx.FINDINGS[m.concept][2]
        return [f for f, v in lx.FINDINGS.items() if family and v[2] == family and f != m.concept]
    return []


def _new_form(m: Mention, concept: str, text: str) -> str:
    """concept written where m stands: in m's family, form and case."""
    old = text[m.start : m.end]
    source = concept if m.group not in ("degree",) else concept
    r = Mention(m.group, concept, 0, len(source))
    new = _written(r, source, old) if m.group != "side" else _written(r, concept, old)
    if m.group == "number" and old.isdigit():
        new = concept
    if m.group == "organ" and old.lower().endswith("s") and not m.concept.endswith("s"):
        new += "s"
    return _styled(new, old)


def _plants(response: str, reference: str, question: str) -> list[list[Edit]]:
    """Candidate planted errors (each a list of edits): a closed answer's claim turned over with
    its linked words; a report's finding turned over, or its side or size changed; an open
    answer's concept of the asked kind replaced by a plausible neighbour."""
    if is_yes_no(reference):
        want = judge(response, reference, question)
        asked = _asked(reference, question)
        current = lead_answer(response) or next((v for _, v in _stances(response, asked)), 0)
        edits = _closed_edits(response, asked, -current) if want.right and current else None
        return [edits] if edits else []
    candidates = []
    report = _is_report(reference, question) or len(sentences(response)) > 1
    groups = {"side", "degree"} if report else _asked_groups(question, reference, response)
    for m in mentions(response):
        if m.group in groups:
            candidates += [[(m.start, m.end, _new_form(m, c, response))] for c in _swaps(response, m)]
        if m.group == "normality" and "normality" in groups and not report:
            word = response[m.start : m.end].lower()
            swap = {"normal": "abnormal", "abnormal": "normal", "unremarkable": "abnormal"}
            if word in swap and not _clause_negated(response, m):
                candidates.append([(m.start, m.end, _styled(swap[word], response[m.start : m.end]))])
    if report:
        for c in claims(response, ("finding",)):
            flip = None if c.hedged else _flip(response, c.mention)
            candidates += [flip] if flip else []
    return candidates


def counterfactual_edit(
    response: str, rng: np.random.Generator | None = None, question: str = "", reference: str = ""
) -> str | None:
    """One real planted error in a right answer, drawn with rng among the candidates of _plants;
    a candidate counts only when the judge finds it wrong against the reference (or the response
    itself), else the next is drawn. None when none passes."""
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
    groups = [lx.SIDES, lx.NORMALITY, lx.MODALITIES, lx.PLANES, lx.SEQUENCES, lx.REGIONS]
    forms = [f for g in groups for fs in g.values() for f in fs]
    forms += [f for v in lx.ORGANS.values() for f in v[0]] + list(lx.ORGANS)
    forms += [f for v in lx.FINDINGS.values() for f in v[0]] + list(lx.FINDINGS)
    forms += [w for ws in lx.DEGREES.values() for w in ws] + list(lx.DEGREE_SYNONYMS)
    forms += [*lx.NUMBERS, *lx.FUNCTION_WORDS, *lx.PRE_NEGATIONS, *lx.POST_NEGATIONS]
    return {w for f in forms for w in words(f)}


_VOCABULARY = _vocabulary()
_VOCABULARY_STEMS = {_stem(w) for w in _VOCABULARY}


def _allowed(word: str, extra: set[str]) -> bool:
    """A word an edit may insert: clinical, function, a number, the reference's or a form."""
    if re.fullmatch(r"\d+(?:[.,]\d+)*", word) or word in _VOCABULARY or word in extra:
        return True
    return _stem(word) in _VOCABULARY_STEMS or _stem(word) in {_stem(w) for w in extra}


def check_llm_edit(
    response: str,
    edited: str,
    reference: str,
    question: str = "",
    max_words_per_sentence: int = MAX_WORDS_PER_SENTENCE,
    plant: bool = False,
) -> str | None:
    """None when an LLM's edit of response is acceptable, else why not: the words it inserts
    must be clinical, the reference's or question's, function words, numbers or their word
    forms (removed words are free); no sentence may change more than max_words_per_sentence
    words; and the judge must find the edit right (a correction) or wrong (plant=True)."""
    if not edited or not edited.strip():
        return "llm_empty"
    if max(changes_per_sentence(response, edited)) > max_words_per_sentence:
        return "llm_edit_not_minimal"
    a, b = _TOKEN.findall(response), _TOKEN.findall(edited)
    inserted = [w.lower() for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                if op[0] != "equal" for w in b[op[3] : op[4]] if w[0].isalnum()]  # fmt: skip
    extra = set(words(reference)) | set(words(question))
    if any(not _allowed(w, extra) for w in inserted):
        return "llm_edit_changes_non_clinical_words"
    verdict = judge(edited, reference, question)
    if plant and verdict.right is not False:
        return "llm_plant_not_wrong"
    if not plant and verdict.right is not True:
        return "llm_edit_not_right"
    return None


def make_pair(
    response: str, reference: str, question: str = "", editor=clinical_edit, rng=None,
    answer_type=None,
) -> tuple[dict | None, str]:  # fmt: skip
    """(pair, outcome): the judge reads the answer. Unsure: no pair. Right: chosen = the answer,
    rejected = one planted error (the editor's own plant if it has one, else
    counterfactual_edit). Wrong: chosen = the editor's correction, which the judge must find
    right. pair = dict(chosen, rejected, model_correct); outcome 'model_correct', 'model_wrong'
    or 'skipped_<why>'."""
    check_text("response", response)
    check_text("reference", reference)
    verdict = judge(response, reference, question, answer_type)
    if verdict.right is None:
        return None, f"skipped_{verdict.why}"
    if verdict.right:
        plant = getattr(editor, "plant", None)
        rejected = (
            plant(response, reference, question)
            if plant
            else counterfactual_edit(response, rng, question, reference)
        )
        if not rejected or rejected == response:
            return None, "skipped_no_plant"
        return dict(chosen=response, rejected=rejected, model_correct=True), "model_correct"
    if editor is clinical_edit:
        fixed, why = explain_edit(response, reference, question, answer_type)
    else:
        fixed, why = editor(response, reference, question), "editor_none"
    if fixed is None or fixed == response:
        return None, f"skipped_{why}"
    if judge(fixed, reference, question, answer_type).right is not True:
        return None, "skipped_fix_not_right"
    return dict(chosen=fixed, rejected=response, model_correct=False), "model_wrong"
