"""Phrases the lexicon does not list: the words a question and an answer share (Are there
mitotic figures? -> mitotic figures), where a text says them, the words of a reference an answer
does not say in any form, an answer that says no more than yes or no, and the words that deny a
question's word by 'non' (non-caseating), and the hedges an answer says in the question's own
words (What is the most likely diagnosis?), and the judge of a reference none of whose words the
lexicon lists. Imports cues.py, lexicon.py and claims.py.
"""

from __future__ import annotations

import re
import unicodedata

import cues
import lexicon as lx
from anatomy import REMOVED_BY, SYSTEMS
from claims import (
    HEDGE_CUES,
    STOP,
    TOKEN,
    Mention,
    Verdict,
    covers,
    cues_in,
    hedge_spans,
    is_verb,
    mentions,
    noun_phrase,
    polarity,
    sentence_at,
    stem,
    without_lead,
    words,
)

# Reference words that name no claim of their own (Coronal plane), and units by their short form.
NAMING_WORDS = ("plane", "view", "image", "side", "sided", "region", "area", "part", "cavity",
                "slice", "biopsy", "specimen", "section", "slide", "sample", "film", "study",
                "micrograph", "photomicrograph")  # fmt: skip
UNITS = {
    "centimeter": "cm",
    "centimetre": "cm",
    "millimeter": "mm",
    "millimetre": "mm",
    "millimetr": "mm",  # millimetres
    "centimetr": "cm",
    "stenosi": "narrow",
    "stenos": "narrow",
    "stenotic": "narrow",
    "stone": "calculu",
    "ston": "calculu",
    "calculi": "calculu",
    "diaphysi": "shaft",
    "diaphyseal": "shaft",
    "beneath": "under",
    "underneath": "under",
}  # a stenosis narrows; a stone is a calculus; a bone's diaphysis is its shaft; beneath, under

_DETERMINERS = set(cues.DETERMINERS) | set(cues.PLURAL_DETERMINERS) | set(cues.OTHER_DETERMINERS)
_ENDS = set(cues.VERBS) | set(cues.PREPOSITIONS) | STOP  # words a phrase does not end in


def _stems(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each word of text."""
    return [
        (stem(t.group()), t.start(), t.end()) for t in TOKEN.finditer(text) if t[0][0].isalnum()
    ]


def _readings(text: str) -> list[list[tuple[str, int, int]]]:
    """text's stems as written and, where it coordinates two modifiers of one noun (capsular or
    vascular invasion), with the second left out (capsular invasion), offsets kept."""
    said = _stems(text)
    out = [k for k in range(1, len(said) - 2) if said[k][0] in ("or", "and")]
    return [said] + ([[w for i, w in enumerate(said) if i not in (k, k + 1)] for k in out[:3]])


def _content(w: str) -> bool:
    """Whether stem w says something (not a function word, verb, preposition, determiner)."""
    return w not in STOP and w not in _ENDS and not is_verb(w) and w not in _DETERMINERS


def shared_phrase(question: str, answer: str) -> tuple[str, ...]:
    """The longest run of words (as stems) that question and answer say in the same order, less
    the function words at its ends: what a question without a lexicon term asks about (Are there
    mitotic figures? -> mitotic figures); () where no content word is shared."""
    q = [w for w, _, _ in _stems(question)]
    best: list[str] = []
    for a in ([w for w, _, _ in said] for said in _readings(answer)):
        best = max(best, _shared_run(q, a), key=len)
    return tuple(best)


def _shared_run(q: list[str], a: list[str]) -> list[str]:
    """The longest run of stems q and a share, less the function words at its ends."""
    best: list[str] = []
    for i in range(len(q)):
        for j in range(len(a)):
            k = 0
            while i + k < len(q) and j + k < len(a) and q[i + k] == a[j + k]:
                k += 1
            run = q[i : i + k]
            while run and not _content(run[0]):
                run = run[1:]
            while run and not _content(run[-1]):
                run = run[:-1]
            best = run if len(run) > len(best) else best
    return best


def phrase_in(text: str, phrase: tuple[str, ...]) -> Mention | None:
    """The first place text says phrase (stems in order, as shared_phrase gives them), as a
    finding whose concept is the phrase; read also with a coordinated modifier left out
    (capsular or vascular invasion says capsular invasion)."""
    for said in _readings(text):
        for i in range(len(said) - len(phrase) + 1):
            if phrase and tuple(w for w, _, _ in said[i : i + len(phrase)]) == phrase:
                k = i + len(phrase)  # its head noun, if a general one (Reed-Sternberg cells)
                k += k < len(said) and said[k][0] in ("cell", "tissue")
                return Mention("finding", " ".join(phrase), said[i][1], said[k - 1][2])
    return None


_QUADRANT = re.compile(r"\s+(?:quadrant|horn)", re.I)  # right lower quadrant, posterior horn


def unplaced(answer: str, reference: str, said: list[Mention]) -> list[str]:
    """The reference's content words outside its terms said (and the modifiers of its findings
    that the kind checks compare, or all where the answer names the finding: compression in
    compression fracture, for a vertebral fracture) that the answer does not say in any form (a
    stem, the first six letters, initials: MCA, middle cerebral artery): dissection in aortic
    dissection, head in pancreatic head, urothelial in urothelial carcinoma, for a renal cell
    carcinoma. A judge cannot tell whether the answer holds them."""
    spans = [(m.start, m.end) for m in said]
    named = {x.concept for x in mentions(answer)}  # a word is read as the answer's own term's
    spans += [(w.start, w.end) for m in said if m.group == "finding"
              for w in noun_phrase(reference, m).modifiers
              if w.kind != "word" or m.concept in named]  # fmt: skip
    said = words(answer)
    split = [p for w in said if "-" in w and w[:4] != "non-" for p in w.split("-")]
    parts = said + split  # mid-diaphysis says diaphysis; non-caseating says no caseation
    have = {UNITS.get(stem(w), stem(w)) for w in parts} | {w[:6] for w in parts if len(w) > 6}
    have |= {"".join(w[0] for w in said[k : k + n]) for n in (3, 4) for k in range(len(said))}
    out = []
    for w in re.finditer(r"[A-Za-z][\w-]*", reference):
        word, inside = w.group().lower(), any(s <= w.start() < e for s, e in spans)
        forms = {UNITS.get(stem(word), stem(word)), word[:6] if len(word) > 6 else word}
        stop = word in STOP and not _QUADRANT.match(reference, w.end())  # lower in RLQ: a place
        known = stop or word in NAMING_WORDS or forms & have
        out += [] if inside or known else [word]
    return out


def reference_phrase(reference: str) -> tuple[str, ...]:
    """The stems of a reference's content words, as phrase_in reads them (hemosiderin-laden
    macrophages)."""
    return shared_phrase(reference, reference)


# A noun's other forms by its ending (desmoplasia: desmoplastic; embolism: emboli; crescentic:
# crescent; necrosis: necrotic; metastasis: metastatic; hypertrophy: hypertrophic; supraglottis:
# supraglottic; blastema: blastemal).
_FORMS = (("ia", ("ic", "tic")), ("ism", ("i", "us", "ic")), ("ic", ("", "e")),
          ("osis", ("otic", "ic")), ("asis", ("atic",)), ("y", ("ic",)), ("is", ("ic",)),
          ("a", ("al",)))  # fmt: skip  # koilocytosis: koilocytic


def word_forms(w: str) -> set[str]:
    """The stems of w and of its other forms (_FORMS), and its adjective in -ic (megaloblasts:
    megaloblastic)."""
    roots = [(w[: -len(end)], forms) for end, forms in _FORMS if w.lower().endswith(end)]
    adjective = {stem(stem(w) + "ic")} if len(stem(w)) > 5 else set()
    return (
        {stem(w)}
        | adjective
        | {stem(root + f) for root, forms in roots if len(root) > 3 for f in forms}
    )


def form_said(answer: str, reference: str) -> Mention | None:
    """Where the answer says a content word of the reference in another of its forms (the
    stroma is desmoplastic, for desmoplasia), as a mention whose polarity reads; else None."""
    for w in (w for w in words(reference) if w not in STOP):
        for s, a, b in _stems(answer):
            if s in word_forms(w) - {stem(w)}:
                return Mention("finding", s, a, b)
    return None


def bare(text: str) -> bool:
    """Whether the answer says no more than yes or no (Yes., No, it is not.)."""
    return all(w in STOP for w in words(without_lead(text)))


def word_prefixes(text: str) -> set[str]:
    """The first five letters of each content word of text longer than three letters: what two
    forms of one word share (caseation, caseating; tubular, tubulitis)."""
    return {w[:5] for w in words(text) if len(w) > 3 and w not in STOP}


_NON = re.compile(r"\bnon-?([a-z]{5,})", re.I)


def prefix_denials(answer: str, question: str) -> list[Mention]:
    """The words of the answer that deny, by 'non', a word the question asks with, said of a
    noun the question names or after a verb (non-caseating granulomas, for caseation within the
    granulomas; a noncalcified nodule; non-small cell, for small cell; the stone is
    non-obstructing), not of another noun (a non-enhancing cavity in a ring-enhancing lesion)."""
    asked = word_prefixes(question.lower())  # the non-word's own has five letters or more
    named = {stem(w) for w in words(question.lower()) if w not in STOP}
    found = [x for x in _NON.finditer(answer) if x.group(1).lower()[:5] in asked]
    after = [(x, re.match(r"\s+(\w+)", answer[x.end() :])) for x in found]
    found = [x for x, w in after if not w or stem(w.group(1).lower()) in named]
    return [Mention("finding", "non", x.start(), x.end()) for x in found]


# A bare 'low' or 'high' answers how a lesion looks: in its signal, density or echoes.
_LEVELS = {"low": r"hypo(?:intense|dense|attenuating|echoic)\b", "high": r"hyper(?:intense|dense|"
           r"attenuating|echoic)\b"}  # fmt: skip


_SHORT = {"tuberculosis": "TB"}  # a short form that is no word's initials


_ABSENT = r"\b(?:missing|absent|not (?:seen|visualized|identified|present)|removed|resected)\b"


def absence_blind(answer: str, question: str) -> str:
    """answer with its words of absence blanked (offsets kept) where the question asks what is
    absent (Which kidney is missing? The right kidney is absent.): they are what is asked, no
    denial of the answer's terms."""
    if not re.search(_ABSENT, question, re.I):
        return answer
    return re.sub(_ABSENT, lambda m: " " * len(m.group()), answer, flags=re.I)


_NUMBERED = re.compile(rf"\b(?:{'|'.join(lx.NUMBERED)})\b", re.I)


def numeral_read(reference: str, question: str) -> str:
    """A bare roman numeral answering for a grade, stage, level or type read as its number (iv,
    for which Clark level? is 4: 'Clark level 4' says it)."""
    said = reference.strip().rstrip(".").upper()
    if said in lx.ROMAN and _NUMBERED.search(question):
        return str(lx.ROMAN.index(said) + 1)
    return reference


def spelled_out(answer: str, reference: str) -> str:
    """answer with the reference's initials or short form, written in capitals, read as the
    reference's words (Mechanical SBO, for a small bowel obstruction; typical of TB), to be judged
    as them; a look read as the bare level a reference gives (hypointense, for Low)."""
    said = reference.strip().rstrip(".").lower()
    if said in _LEVELS:
        return re.sub(_LEVELS[said], said, answer, flags=re.I)
    initials = _SHORT.get(said) or "".join(w[0] for w in words(reference)).upper()
    if len(initials) < 2:
        return answer
    return re.sub(rf"\b{initials}\b", said, answer)


def unasked_hedges(text: str, question: str = "") -> list[tuple[int, int]]:
    """The hedge spans of text but those whose hedges the question asks with (What is the most
    likely diagnosis? The most likely diagnosis is ...; What is suggested? ... suggests ...)."""
    asked = {stem(w) for w in words(question.lower())}
    return [(a, b) for a, b in hedge_spans(text) if not _asked(text[a:b], asked)]


def _asked(span: str, asked: set[str]) -> bool:
    """Whether every hedge of span is said in words of asked (either ... or is none)."""
    said = [{stem(w) for w in words(span[x:y].lower())} for x, y in cues_in(span, HEDGE_CUES)]
    return bool(said) and all(s <= asked for s in said)


def judge_words(answer: str, reference: str, question: str = "") -> Verdict:
    """A reference without a lexicon term: each of its content words (or a form) is said, letters
    compared without their accents (Döhle, dohle)."""
    answer, reference = _unaccented(answer), _unaccented(reference)
    for name, organs in SYSTEMS.items():  # genitourinary: the kidneys, ureters and bladder
        if _names_any(answer, organs) and re.search(rf"\b{name}\b", reference, re.I):
            reference = re.sub(rf"\b{name}(?:\s+system)?\b", " ", reference, flags=re.I)
    for name, organ in REMOVED_BY.items():  # cholecystectomy: the gallbladder has been removed
        if re.search(rf"\b{name}\b", reference, re.I) and _removed(answer, organ):
            reference = re.sub(rf"\b{name}\b", " ", reference, flags=re.I)
    reference = re.sub(r"\bnot\s+(?=[a-z]{4,}\b)", "non-", reference, flags=re.I)  # non-parallel
    answer, reference = _unhyphened(answer), _unhyphened(reference)
    parts = [{w} if w.startswith("non-") else {w, *w.split("-")} for w in words(answer)]
    have = {stem(p) for said in parts for p in said}  # diffuse-type: diffuse; non-X: no X
    have |= {
        stem(_PLACED_BY[p]) for w in words(answer) for p in _PLACED_BY if _placed(w, p, question)
    }
    said = [w for w in words(reference) if w not in STOP or w in lx.OPPOSED]  # anterior
    asked = set(words(question.lower()))  # What sign is seen? Apple core sign: 'sign' is asked
    said = [w for w in said if w not in asked] or said
    missing = [w for w in said if not word_forms(w) & have]
    initials = "".join(w[0] for w in words(reference))  # Tetralogy of Fallot: TOF
    if missing and not (len(initials) > 2 and initials in words(answer)):
        return Verdict(False, f"missing:{missing[0]}")
    if _turned_name(answer, reference):
        return Verdict(False, "another_kind")  # a reversed halo sign, for a halo sign
    said = phrase_in(answer, reference_phrase(reference)) or form_said(answer, reference)
    if said is not None and polarity(answer, said) < 0:  # contain no hemosiderin-laden cells
        return Verdict(False, f"contradicts:{said.concept}")
    return Verdict(None, "hedged") if unasked_hedges(answer, question) else Verdict(True, "agrees")


# Without contrast, said in other words: noncontrast, unenhanced, without IV contrast.
_NO_CONTRAST = re.compile(
    r"\b(?:unenhanced|without\s+(?:intravenous\s+|IV\s+|iodinated\s+)?contrast)\b", re.I
)


def _unhyphened(text: str) -> str:
    """text with 'non' joined to its word by a hyphen (noncontrast: non-contrast), and a study
    without contrast said as non-contrast."""
    text = re.sub(r"\b(non)(?!-)(?=[a-z]{4,})", r"\1-", text, flags=re.I)
    return _NO_CONTRAST.sub("non-contrast", text)


_TURNING = r"(?:reversed?|inverse|inverted)"  # a word that names another sign of the same name


def _turned_name(answer: str, reference: str) -> bool:
    """Whether the answer says the reference's name after a word that makes it another sign or
    pattern (a reversed halo sign, an inverted V), the reference not saying that word."""
    said = words(reference)
    if not said or re.search(rf"\b{_TURNING}\b", reference, re.I):
        return False
    return re.search(rf"\b{_TURNING}\s+{re.escape(said[0])}", answer, re.I) is not None


# A place said by a prefix to the landmark the question names (supradiaphragmatic: above the
# diaphragm; infrarenal: below the renal arteries).
_PLACED_BY = {"supra": "above", "infra": "below", "sub": "below"}


def _placed(word: str, prefix: str, question: str) -> bool:
    """Whether word is prefix joined to the first letters of a word of question (infrarenal,
    asked of the renal arteries)."""
    rest = word[len(prefix) :]
    return word.startswith(prefix) and len(rest) > 4 and rest[:5] in question.lower()


def _names_any(text: str, organs: tuple[str, ...]) -> bool:
    """Whether text names one of organs, or a part of one, without denying it."""
    found = [m for m in mentions(text) if m.group == "organ" and polarity(text, m) > 0]
    return any(covers(o, m.concept) for m in found for o in organs)


_GONE = re.compile(r"\b(?:been\s+)?(?:\w+ly\s+)?(?:removed|resected|excised|absent)\b", re.I)


def _removed(text: str, organ: str) -> bool:
    """Whether text says organ (or a part of it) was taken out (the gallbladder has been
    surgically removed; the resected left kidney)."""
    found = [m for m in mentions(text) if m.group == "organ" and covers(organ, m.concept)]
    return any(_GONE.search(text, *sentence_at(text, m.start)) for m in found)


def _unaccented(text: str) -> str:
    """text with its letters' accents dropped (Döhle -> Dohle)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
