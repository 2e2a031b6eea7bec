"""Whether the judge can tell a report right where a sentence of it is one the lexicon cannot
read: what such a sentence states is compared word by word with the other report's (a surgical
clip beside a prior cholecystectomy, against a prior appendectomy; no sternotomy wires, against a
median sternotomy). Imports claims.py.
"""

from __future__ import annotations

import re

from claims import mentions, sentences

# A report's sentence the lexicon cannot read: what it states is compared word by word. The
# words every report uses say nothing of what was found (the views taken, surgery in general,
# whom the findings were told, a further study or a follow-up advised, a clinical correlation,
# how long ago the prior was, how a finding shows, what it involves and how it measures, what it
# is compatible with); a denial, a normal or stable organ and a device in position are read;
# tension is read by the mediastinal shift that shows it, an intubation by the tube's tip.
_ROUTINE_WORDS = ("compared", "comparison", "prior", "study", "studies", "previous", "previously",
                  "interval", "again", "there", "status", "noted", "present", "appearance",
                  "expected", "findings", "impression", "projects", "patient", "views", "lateral",
                  "portable", "single", "upright", "frontal", "chest", "radiograph", "obtained",
                  "provided", "imaged", "visualized", "postsurgical", "postoperative",
                  "operative", "surgical", "changes", "median", "sternal", "sternotomy", "wires",
                  "levels", "thoracic", "linear", "recommend", "further", "evaluation",
                  "communicated", "discussed", "clinical", "referring", "physician",
                  "otherwise", "tension", "intubation", "place", "partly", "partially",
                  "hardware", "demonstrates", "demonstrated", "involving", "involvement",
                  "measures", "measuring", "approximately", "hours", "earlier", "follow-up",
                  "follow", "document", "treatment", "correlation", "tenderness",
                  "compatible", "after", "resolution")  # fmt: skip
_ROUTINE = {w[:6] for w in _ROUTINE_WORDS}
# Words (by their first six letters) a report says one thing by: a stone is a calculus, hepatic is
# of the liver, renal of the kidney; a decompressed bladder is underdistended, collapsed.
_SAME_WORDS = ({"stone", "stones", "calcul"}, {"hepati", "liver"}, {"renal", "kidney"},
               {"decomp", "underd", "collap"})  # fmt: skip
_STATES_NOT = re.compile(
    r"\b(?:no|not|without|normal|clear|unremarkable|negative|intact|stable|unchanged|"
    r"appropriate(?:ly)?|standard|satisfactory)\b",
    re.I,
)
_UNSURE = re.compile(
    r"\b(?:uncertain|cannot\s+be\s+(?:differentiated|distinguished|determined)|"
    r"difficult\s+to\s+(?:assess|evaluate|determine|differentiate))\b",
    re.I,
)


_GONE = re.compile(r"\bresol(?:ved|ution)\b", re.I)
_DENIES = re.compile(r"\b(?:no|not|without)\b", re.I)
_DENIED = re.compile(r"\b(?:no|without)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)


def unread_statement(answer: str, reference: str) -> bool:
    """Whether the judge cannot tell a report right: a sentence of the reference states, in words
    the lexicon cannot read, something the answer lacks a word of (surgical clips, consistent with
    prior cholecystectomy, against a prior appendectomy; an interval TAVR against a mitral valve;
    a chronic T12 compression deformity), or the answer calls unsure what it cannot read (a stent,
    possibly esophageal, of uncertain type; either a deformity or soft tissue, which cannot be
    differentiated), or denies in such words what a sentence of the reference states (no
    sternotomy wires), or a finding resolved since a prior study the reference never names (it
    cannot tell that there was one). Words are compared by their first six letters (tortuous,
    tortuosity)."""
    said = [answer[s:e] for s, e in sentences(answer)]
    stated = [reference[s:e] for s, e in sentences(reference)]
    have = _prefixes(answer) | _spelled(answer, stated)
    return (
        _lacked(have.union(*(same for same in _SAME_WORDS if same & have)), stated)
        or _denied(said, stated)
        or _denied(stated, said, whole=True)
        or _resolved_unnamed(said, reference)
        or _unsure(said, reference)
    )


_TOLD = re.compile(
    r"\b(?:communicated|discussed\s+with|notified|paged|telephoned|conveyed\s+to|relayed\s+to|"
    r"(?:were|was)\s+called\s+to)\b",
    re.I,
)


def _lacked(said: set[str], stated: list[str]) -> bool:
    """Whether a sentence of the reference the lexicon cannot read, and no denial or normal,
    has a word (not a routine one) whose first six letters are not among said."""
    for text in stated:
        text = re.sub(r"^\s*(?:FINDINGS|IMPRESSION)\s*:", "", text, flags=re.I)
        if _STATES_NOT.search(text) or _read(text) or "XXXX" in text:  # anonymised: unknown
            continue
        if _TOLD.search(text):
            continue  # Findings were communicated to the ordering team: no finding
        if _prefixes(text) - _ROUTINE - said:
            return True
    return False


def _denied(said: list[str], stated: list[str], whole: bool = False) -> bool:
    """Whether an answer sentence the lexicon cannot read denies a word that a reference sentence
    with no denial states (no sternotomy wires, against a median sternotomy); whole: every word
    (the reference's 'No gastric air bubble', against 'a normal gastric air bubble'). A denial
    the other text makes too is agreed (no suspicious enhancement in the left breast, beside a
    mass's enhancement)."""
    agreed = [_nouns(d.group(1)) for t in stated if (d := _DENIED.search(t))]
    stated = [text for text in stated if not _DENIES.search(text)]
    for text in said:
        denied = _DENIED.search(text)
        nouns = _nouns(denied.group(1)) if denied and not _read(text) else set()
        if any(nouns <= both for both in agreed):
            continue
        if any(nouns <= _nouns(t) if whole else nouns & _nouns(t) for t in stated) and nouns:
            return True
    return False


def _resolved_unnamed(said: list[str], reference: str) -> bool:
    """Whether an answer sentence says resolved a finding the reference never names (interval
    resolution of a pneumonia the reference never had)."""
    named = {m.concept for m in mentions(reference)}
    gone = [text for text in said if _GONE.search(text)]
    return any(m.group == "finding" and m.concept not in named for t in gone for m in mentions(t))


def _unsure(said: list[str], reference: str) -> bool:
    """Whether an answer sentence the lexicon cannot read calls what it says uncertain, where the
    reference does not."""
    unsure = [text for text in said if _UNSURE.search(text)]
    return any(not _read(text) for text in unsure) and not _UNSURE.search(reference)


def _spelled(answer: str, stated: list[str]) -> set[str]:
    """The prefixes of the reference's words that an acronym of the answer spells out (DISH:
    diffuse idiopathic skeletal hyperostosis)."""
    out = set()
    for acronym in re.findall(r"\b[A-Z]{3,6}\b", answer):
        for text in stated:
            said = re.findall(r"[A-Za-z]+", text)
            for k in range(len(said) - len(acronym) + 1):
                run = said[k : k + len(acronym)]
                if "".join(w[0] for w in run).upper() == acronym:
                    out |= _prefixes(" ".join(run))
    return out


def _prefixes(text: str) -> set[str]:
    """The first six letters of each word of five letters or more (post-CABG: post, CABG)."""
    return {w[:6].lower() for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 5}


def _nouns(text: str) -> set[str]:
    """The words of five letters or more, singular, but those any denial may take (no acute
    findings, no active disease) and the routine ones (no prior imaging for comparison)."""
    said = {w.lower().removesuffix("s") for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 5}
    said -= {"acute", "focal", "evidence", "significant", "finding", "abnormality", "active",
             "disease", "process", "cardiopulmonary", "imaging", "change"}  # fmt: skip
    return {w for w in said if w[:6] not in _ROUTINE}  # no prior chest imaging for comparison


def _read(text: str) -> bool:
    """Whether text names a finding or calls something normal: the judge reads it."""
    return any(m.group in ("finding", "normality") for m in mentions(text))


# A follow-up advised (a CT in 6 months; 12-month follow-up) or none (no routine follow-up): the
# interval is compared where both reports give one.
_ADVICE = re.compile(r"\b(?:recommend|advis|suggest|follow-?up|repeat|surveillance)", re.I)
_INTERVAL = re.compile(r"\b(\d+|three|six|twelve)[\s-]*months?\b", re.I)
_NO_FOLLOW_UP = re.compile(r"\bno\s+(?:routine\s+|further\s+)?(?:imaging\s+)?follow-?up\b", re.I)
_MONTHS = {"three": "3", "six": "6", "twelve": "12"}


def _intervals(text: str) -> set[str]:
    """The intervals, in months, of the follow-ups text advises."""
    advised = [text[s:e] for s, e in sentences(text) if _ADVICE.search(text, s, e)]
    said = {m.group(1).lower() for s in advised for m in _INTERVAL.finditer(s)}
    return {_MONTHS.get(n, n) for n in said}


def advice_differs(answer: str, reference: str) -> bool:
    """Whether the answer advises a follow-up at another interval than the reference (a CT in 3
    months, for one at 12), or one where the reference advises none: not a finding, but a wrong
    recommendation the judge cannot call right."""
    have, want = _intervals(answer), _intervals(reference)
    if have and _NO_FOLLOW_UP.search(reference) and not _NO_FOLLOW_UP.search(answer):
        return not have & want
    return bool(have and want and not have & want)
