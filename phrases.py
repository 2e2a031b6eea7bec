"""Writing words into a clinical text: case and articles (Left -> Right, a CT -> an MRI), and the
number of a noun phrase whose head changes (there is a nodule <-> there are two nodules).

An edit that replaces, recounts or re-sides a finding rewrites its phrase (claims.noun_phrase
reads it); this module says how its words are written so that the determiner and the verb agree
with the new head, and checks that they do (agreement_problem: the number-agreement guard on
every edit), and how a word list is aligned with another in the fewest changes (opcodes: the
words an edit changes), a CT look turned with the finding written in (ct_look_edits), and the
contrast agents written as a new modality's (contrast_agents).
Imports cues.py, imaging.py, lexicon.py and claims.py.
"""

from __future__ import annotations

import difflib
import re

import cues
import imaging as im
import lexicon as lx
from claims import (
    GROUP,
    STOP,
    WORD,
    Claim,
    Mention,
    Phrase,
    Word,
    clause,
    cues_in,
    is_verb,
    mentions,
    noun_phrase,
    sentence_at,
    stem,
    words,
)
from comparisons import UNIT_AFTER

# Plurals no rule writes (a calculus, two calculi).
IRREGULAR_PLURALS = {"calculus": "calculi", "bronchus": "bronchi", "thrombus": "thrombi",
                     "embolus": "emboli", "bulla": "bullae", "vertebra": "vertebrae",
                     "diverticulum": "diverticula", "nucleus": "nuclei", "hilum": "hila",
                     "metastasis": "metastases", "granuloma": "granulomas"}  # fmt: skip

Edit = tuple[int, int, str]  # (start, end, new text) on a text
_ARTICLES = ("a", "an")
_SIS = {
    w for v in lx.FINDINGS.values() for f in v[0] for w in f.lower().split() if w.endswith("sis")
}
_LEXICAL = {"show": "shows", "demonstrate": "demonstrates", "contain": "contains",
            "reveal": "reveals", "measure": "measures", "involve": "involves",
            "display": "displays", "exhibit": "exhibits", "supply": "supplies", "arise": "arises",
            "extend": "extends", "drain": "drains"}  # fmt: skip
_NUMBER_VERB = {"is": "are", "are": "is", "was": "were", "were": "was", "appears": "appear",
                "appear": "appears", "seems": "seem", "seem": "seems", "has": "have",
                "have": "has", **_LEXICAL, **{s: v for v, s in _LEXICAL.items()}}  # fmt: skip
_PLURAL_VERBS = ("are", "were", "appear", "seem", "have", *_LEXICAL)
_AFTER_HEAD = re.compile(rf"\s+({'|'.join(_NUMBER_VERB)})\b", re.I)


def proper_name(word: str) -> bool:
    """Whether word opens with a proper name of the lexicon's entities (Barrett's, Reed-Sternberg,
    Langhans), which keeps its capital."""
    return re.match(r"[A-Za-z]*", word).group().lower() in lx.EPONYMS


def styled(new: str, old: str) -> str:
    """new in old's case: 'right' replacing 'Left' is 'Right'; CT, MRI and X-ray keep theirs."""
    first = old.split()[0] if old.split() else old  # MR imaging: an acronym, not a capital
    if old[:1].isupper() and not (len(first) > 1 and first.isupper()) and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def roman(n: int, old: str) -> str:
    """n in roman numerals, in the case of the numeral old it replaces (III -> II; iii -> ii)."""
    new = lx.ROMAN[n - 1]
    return new if old.isupper() else new.lower()


def lowered(text: str) -> str:
    """text in lower case but for its words written in capitals (the mid SVC, a PAS stain, L4)."""
    return re.sub(
        r"[A-Za-z0-9]+", lambda w: w[0] if w[0].isupper() and len(w[0]) > 1 else w[0].lower(), text
    )


def article_for(word: str) -> str:
    """'a' or 'an' by sound: an MRI, an X-ray, an effusion; a CT, a nodule, a Ewing sarcoma; an
    abbreviation of four letters or more with a vowel after its first is said as a word: a FLAIR."""
    word = (word.split() or [word])[0]  # its first word: an H&E stain, an MRI scan
    spoken = len(word) >= 4 and word.isalpha() and any(c in "AEIOU" for c in word[1:])
    if word[:1].isupper() and (word.isupper() or word[1:2] == "-") and not spoken:
        return "an" if word[:1] in "AEFHILMNORSX" else "a"
    if _YOU.match(word):
        return "a"  # a Ewing sarcoma, a unilateral effusion, a urinary catheter
    return "an" if word[:1].lower() in "aeiou" else "a"


_YOU = re.compile(r"(?:eu|ew|uni|ur[aeiou]|us[aeiou]|ut[aeiou]|one\b)", re.I)  # said 'you', 'won'


def unglossed(text: str, edits: list[Edit]) -> list[Edit]:
    """edits where a term and its gloss in brackets are both replaced by one new term: the gloss
    goes, not restated (a chest X-ray (plain radiograph) -> a chest CT, not a chest CT (CT);
    Chronic myeloid leukaemia (CML) -> Chronic lymphocytic leukemia)."""
    new_at_end = {e: new.lower() for _, e, new in edits}
    out = []
    for s, e, new in edits:
        opened, closed = re.search(r"\s*\(\s*$", text[:s]), re.match(r"\s*\)", text[e:])
        if opened and closed and new_at_end.get(opened.start()) == new.lower():
            out.append((opened.start(), e + closed.end(), ""))
        else:
            out.append((s, e, new))
    return out


def singular(word: str) -> str:
    """The singular of a plural noun (effusions, masses, opacities, pneumothoraces, calculi)."""
    low = word.lower()
    one = next((k for k, v in IRREGULAR_PLURALS.items() if v == low), None)
    if one:
        return styled(one, word)
    if low.endswith("ies"):
        return word[:-3] + ("Y" if word.isupper() else "y")
    if low.endswith("thoraces"):
        return word[:-3] + "x"
    if low.endswith("ses") and low[:-2] + "is" in _SIS:
        return word[:-2] + "is"  # metastases
    if low.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if low.endswith("s") and not low.endswith(("ss", "us", "is")) else word


def plural(word: str) -> str:
    """The plural of a singular noun (effusion, mass, opacity, pneumothorax, calculus)."""
    low = word.lower()
    if low in IRREGULAR_PLURALS:
        return styled(IRREGULAR_PLURALS[low], word)
    if low.endswith("thorax"):
        return word[:-1] + "ces"
    if low.endswith("sis"):
        return word[:-2] + "es"  # metastasis
    if low.endswith("y") and low[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def written_plural(text: str, m: Mention) -> bool:
    """Whether m is written in the plural (effusions, granulomas, metastases), not in a form
    that merely ends in s (ascites, pneumothorax's own forms)."""
    w, forms = text[m.start : m.end].lower(), {f.lower() for f in _forms(m)}
    if w.endswith("ses") and w[:-3] + "sis" in forms | {m.concept}:
        return True  # metastases
    if singular(w) == w or w.endswith(("ss", "us", "is", "sis", "itis", "ascites")):
        return False
    return w not in forms or singular(w) in forms | {m.concept}  # granulomas


def numbered(text: str, m: Mention, source: str, r: Mention, head: str) -> tuple[str, bool]:
    """head, and whether it is plural, for r written in place of m: as source writes r, or as
    text writes m where source is r alone and r an organ of a pair (Temporal lobe, for 'the
    frontal lobes show' -> the temporal lobes show; a short answer's number tells nothing)."""
    if written_plural(source, r):
        return head, True
    alone = source.strip(" .").lower() == source[r.start : r.end].lower()
    paired = r.group == "organ" and bool(lx.ORGANS[r.concept][2])
    if alone and paired and written_plural(text, m):
        return plural(head), True
    return head, False


def _forms(m: Mention) -> tuple[str, ...]:
    """The lexicon's own forms of m's concept."""
    table = {"finding": lx.FINDINGS, "organ": lx.ORGANS}
    return table[m.group][m.concept][0] if m.concept in table.get(m.group, {}) else ()


def determiner(text: str, phrase: Phrase, now_plural: bool, mass: bool, first: str) -> str:
    """The determiner a phrase takes when its head is now plural or singular (mass: a mass noun,
    which takes no article) and its first word is first: an article agrees (a -> an, a ->
    nothing), several -> a, a bare plural or mass noun -> a; the, no and this stay."""
    old = text[phrase.det[0] : phrase.det[1]] if phrase.det else ""
    low = old.lower()
    if old and low not in _ARTICLES and (low not in cues.PLURAL_DETERMINERS or now_plural):
        return old
    was_plural = written_plural(text, phrase.head) or low in cues.PLURAL_DETERMINERS
    bare = was_plural or phrase.head.concept in lx.MASS_NOUNS  # cardiomegaly -> a nodule
    keep = old if low in _ARTICLES else ("a" if old or bare else "")
    if now_plural or mass or not keep:
        return ""
    return styled(article_for(first), old or "a")


def _verb(text: str, phrase: Phrase) -> tuple[int, int] | None:
    """The span of the verb that agrees with the phrase: right after its head (effusions are
    present; two vertebral bodies demonstrate), else an is / are / was / were right before it in
    its clause (there are effusions; there appear to be gallstones)."""
    after = _AFTER_HEAD.match(text[phrase.head.end :])
    if after:
        return phrase.head.end + after.start(1), phrase.head.end + after.end(1)
    s, _ = clause(text, phrase.head.start)
    before = re.search(
        r"\b(is|are|was|were|appears?|seems?)\s+(?:to\s+be\s+)?$", text[s : phrase.lead], re.I
    )
    if before and before.group(1).lower().startswith(("appear", "seem")) and "to" not in before[0]:
        before = None  # the liver appears enlarged: no verb of the phrase's number
    return (s + before.start(1), s + before.end(1)) if before else None


def verb_edit(text: str, phrase: Phrase, now_plural: bool) -> list[Edit]:
    """The edit that makes the phrase's verb agree with its head (there is -> there are)."""
    verb = _verb(text, phrase)
    if not verb:
        return []
    old = text[verb[0] : verb[1]]
    if (old.lower() in _PLURAL_VERBS) == now_plural:
        return []
    return [(verb[0], verb[1], _NUMBER_VERB[old.lower()])]


# -------------------------------------------------------------------------------------------------
# Number agreement: a guard on every edit (a count to or from one, a side to or from bilateral).

_ONE = {"a", "an", "one", "single", "solitary", "each", "this", "that"}
_MANY = set(cues.PLURAL_DETERMINERS) | {"these", "those", "both"} | set(lx.NUMBERS[2:])
_MASS_ENDINGS = ("iasis", "megaly")  # a cholelithiasis, a cardiomegaly: no article
ADJECTIVE_ENDINGS = ("ed", "ic", "ous", "al", "ar")  # enlarged, cystic, nodular: no noun


def describes_unknown(text: str, head: Mention | Word) -> bool:
    """Whether a lexicon term written as an adjective describes a noun after it that the lexicon
    does not know (two calcified stones: the stones are counted, not the calcification)."""
    after = re.match(r"\s+([a-z]+)", text[head.end :])
    adjective = text[head.start : head.end].lower().endswith(ADJECTIVE_ENDINGS)
    return adjective and bool(after) and after.group(1) not in STOP and not is_verb(after.group(1))


def agreement_problem(text: str, spans: list[tuple[int, int]]) -> str:
    """'' when every noun phrase of a finding or organ that spans touch agrees in number with
    its count, determiner, side and verb (One rib fracture is present; bilateral effusions are
    present; the left kidney is enlarged); else the head that disagrees, and with what."""
    for m in mentions(text):
        if m.group not in ("finding", "organ") or _compound_part(text, m):
            continue
        if describes_unknown(text, m):
            continue
        phrase, verb = noun_phrase(text, m), _verb(text, noun_phrase(text, m))
        lo, hi = (min(phrase.lead, verb[0]), max(m.end, verb[1])) if verb else (phrase.lead, m.end)
        if not any(a <= hi and lo <= b for a, b in spans):
            continue
        plural, word = written_plural(text, m), text[m.start : m.end]
        wants = _wanted_number(text, phrase)
        if any(w != plural for w in wants):
            return f"{word}:{'singular' if plural else 'plural'}"
        det = text[phrase.det[0] : phrase.det[1]].lower() if phrase.det else ""
        if det in _ARTICLES and not phrase.modifiers and word.lower().endswith(_MASS_ENDINGS):
            return f"{word}:article"
        said = _subject_verb(text, phrase, verb)
        if said and (said in _PLURAL_VERBS) != plural:
            return f"{word}:{said}"
    return ""


def _compound_part(text: str, m: Mention) -> bool:
    """Whether m only modifies the noun after it (rib in 'rib fractures', lung in 'lung
    nodule'): the next word is a lexicon finding or organ whose phrase holds m."""
    after = [x for x in mentions(text) if x.start > m.end and x.group in ("finding", "organ")]
    return bool(after) and any(w.start == m.start for w in noun_phrase(text, after[0]).modifiers)


def _wanted_number(text: str, phrase: Phrase) -> set[bool]:
    """The numbers the phrase's count, determiner and side want of its head: True (plural),
    False (singular); none where they say nothing of it (a mass noun, 'the')."""
    wants, head = set(), phrase.head
    counts = [w for w in phrase.kinds("number") if not UNIT_AFTER.match(text, w.end)]  # 1.5 cm
    if counts and counts[-1].concept.replace(".", "", 1).isdigit():
        wants.add(float(counts[-1].concept) != 1)
    det = text[phrase.det[0] : phrase.det[1]].lower() if phrase.det else ""
    if det in _ONE or det in _MANY:
        wants.add(det in _MANY)
    sides = {w.concept for w in phrase.kinds("side")}
    if (
        any(text[w.start : w.end].lower().startswith("both") for w in phrase.kinds("side"))
        or head.concept in lx.ONE_PER_SIDE
        and sides == {"bilateral"}
    ):
        wants.add(True)
    paired = head.group == "organ" and lx.ORGANS.get(head.concept, (0, 0, False))[2]
    if sides & {"left", "right"} and (head.concept in lx.ONE_PER_SIDE or paired) and not counts:
        wants.add(False)
    return wants


def _subject_verb(text: str, phrase: Phrase, verb: tuple[int, int] | None) -> str:
    """The is / are that must agree with the phrase's head: the verb right after it (rib
    fractures are present), or an existential one before it (there are effusions); '' for a
    head written as an adjective (the kidneys are enlarged) or one of a list (the liver and
    spleen are)."""
    if not verb or text[phrase.head.start : phrase.head.end].lower().endswith(ADJECTIVE_ENDINGS):
        return ""
    joined = re.search(r"(\band|\bor|,)\s*$", text[: phrase.lead]) or re.match(
        r"\s+(and|or)\b", text[phrase.head.end :]
    )
    existential = re.search(r"\bthere\s+\w+\s+(?:to\s+be\s+)?$", text[: phrase.lead], re.I)
    after = verb[0] >= phrase.head.end
    return text[verb[0] : verb[1]].lower() if not joined and (after or existential) else ""


def opcodes(a: list[str], b: list[str]) -> list[tuple]:
    """Opcodes (difflib's form) of a fewest-changes alignment turning word list a into b: the
    shared head and tail kept, the middle aligned by edit distance (difflib's longest-block
    anchors can count 'without necrosis or' -> 'with necrosis but without' as five words)."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    steps = _aligned(a[head : len(a) - tail], b[head : len(b) - tail])
    out = [("equal", 0, head, 0, head)] if head else []
    i, j = head, head
    for equal, di, dj in steps:
        tag = "equal" if equal else "replace" if di and dj else "delete" if di else "insert"
        if out and out[-1][0] != "equal" and tag != "equal":  # one run of changes
            tag = "replace" if out[-1][0] != tag else tag
            out[-1] = (tag, out[-1][1], i + di, out[-1][3], j + dj)
        elif out and out[-1][0] == tag == "equal":
            out[-1] = ("equal", out[-1][1], i + di, out[-1][3], j + dj)
        else:
            out.append((tag, i, i + di, j, j + dj))
        i, j = i + di, j + dj
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


def _aligned(a: list[str], b: list[str]) -> list[tuple[bool, int, int]]:
    """The steps (equal, words of a, words of b) of a fewest-changes alignment of a and b, one
    word at a time (Levenshtein; a match is preferred where costs tie)."""
    if not a or not b:
        return [(False, len(a), len(b))] if a or b else []
    if len(a) * len(b) > 40_000:  # a whole report rewritten: difflib's blocks suffice
        codes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        return [(t == "equal", i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in codes]
    n, m = len(a), len(b)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if not i or not j:
                cost[i][j] = i + j
            else:
                same = cost[i - 1][j - 1] + (a[i - 1] != b[j - 1])
                cost[i][j] = min(same, cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    steps, i, j = [], n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            steps.append((a[i - 1] == b[j - 1], 1, 1))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            steps.append((False, 1, 0))
            i -= 1
        else:
            steps.append((False, 0, 1))
            j -= 1
    return steps[::-1]


def ct_look_edits(text: str, s: int, e: int, old: set[str]) -> list[Edit]:
    """The edits turning the CT look of sentence text[s:e] to that of the one finding written in
    it (not among old, the concepts before the edit) where it says the opposite (acute hemorrhage,
    seen as a hypodense area -> a hyperdense area)."""
    said = [m for m in mentions(text) if s <= m.start < e]
    new = {im.CT_LOOK.get(m.concept) for m in said if m.concept not in old} - {None}
    looks = [m for m in said if m.group == "look" and im.PLANT_LOOK.get(m.concept) in new]
    turned = looks if len(new) == 1 else []
    return [
        (m.start, m.end, styled(im.PLANT_LOOK[m.concept], text[m.start : m.end])) for m in turned
    ]


def unrepeated(text: str, end: int, new: str) -> str:
    """new, written in before text[end:], without an 'imaging' that an image after it repeats
    (computed tomography image -> magnetic resonance image, not 'imaging image')."""
    return new.removesuffix(" imaging") if re.match(r"\s+images?\b", text[end:], re.I) else new


def case_within(text: str, s: int, new: str, alone: bool = False) -> str:
    """new in lower case where it replaces a proper name inside a sentence (form Homer Wright
    rosettes -> form perivascular pseudorosettes), unless it is a name or an acronym itself; with
    a capital where it replaces, alone, a sentence's capitalised first word (NEC. -> Pyloric
    stenosis.)."""
    opens = alone and text[s : s + 1].isupper() and re.search(r"(?:^|[.!?]\s+)$", text[:s])
    new = new[:1].upper() + new[1:] if opens else new
    first = new.split()[0] if new.split() else new
    inside = not re.search(r"(?:^[\s*_#>-]*|[.!?:;]\**\s*|\n[\s*#>-]*)$", text[:s])  # **No.**
    name = first.split("-")[0] in lx.EPONYMS.values()  # Reed-Sternberg
    if inside and first[1:2].islower() and first[:1].isupper() and not name:
        return new[:1].lower() + new[1:]
    return new


_PART_OF = re.compile(
    r"\b(the\s+)?(?:(?:upper|lower|left|right|anterior|posterior|medial|lateral|inferior|"
    rf"superior|superficial|deep)\s+)?(?:{'|'.join(lx.PART_WORDS)})\s+of\s+$",
    re.I,
)


def part_of(text: str, lead: int) -> re.Match | None:
    """The phrase naming a part of the organ whose phrase starts at lead (the upper pole of,
    the tail of): it goes when the organ is replaced, the part being the old organ's."""
    return _PART_OF.search(text, max(0, lead - 40), lead)


def part_word(part: re.Match) -> str:
    """The part word of a phrase part_of found (the upper pole of -> pole)."""
    return next((w for w in lx.PART_WORDS if re.search(rf"\b{w}\b", part.group())), "")


def said_form(predicate: str, answer: str) -> tuple[str, ...]:
    """A word of a question's predicate the answer says in another form (displaced, in
    'without displacement': its first six letters), as phrase_in reads it (its stem)."""
    for w in [w for w in words(predicate) if w not in STOP and len(w) > 6]:
        said = [a for a in words(answer) if a[:6] == w[:6]]
        if said:
            return (stem(said[0]),)
    return ()


def plural_lead(
    text: str, m: Mention, start: int, lead: list[Edit], told: str, rest: list[Edit]
) -> list[Edit] | None:
    """rest (with m's plural) with m's phrase led by told in place of its article and its verb
    plural (No effusion is seen. -> Small bilateral effusions are seen.); None where the article
    is more than a sentence's 'No' (there is a: 'there is' would have to agree too)."""
    verb = re.match(r"\s+(is|was)\b", text[m.end :], re.I)
    a, b, t = lead[0]
    if not verb or len(lead) > 1 or re.sub(r"(?i)\ban?$", "", t).strip() or text[b:start].strip():
        return None
    plural_verb = {"is": "are", "was": "were"}[verb.group(1).lower()]
    return [*rest, (a, start, styled(told, text[a:b]) + " "),
            (m.end + verb.start(1), m.end + verb.end(1), plural_verb)]  # fmt: skip


_SIZES = "|".join(w for f in lx.DEGREES.values() for w in f) + "|trace|some"
# How much of a finding there is (a small amount of, a large volume of): denied, it goes whole.
AMOUNT = re.compile(
    rf"(?:an?\s+)?(?:(?:{_SIZES})\s+){{1,2}}(?:amount|volume|quantity)s?\s+of\s+", re.I
)


def amount_before(text: str, s: int, lead: int) -> int | None:
    """Where an amount opening the clause from s ends at lead starts (Yes, a small amount of
    free fluid is seen: at 'a')."""
    opening = (
        s + re.match(r"[\s,;:]*(?:(?:yes|no)\s*,\s*)?(?:(?:but|and)\s+)?", text[s:], re.I).end()
    )
    amount = AMOUNT.match(text, opening)
    return opening if amount and amount.end() == lead else None


def adjective(
    old: str, concept: str, forms: tuple[str, ...], attributive: bool = False
) -> str | None:
    """The new organ's adjective where old is the old organ's (the lexicon lists each organ's
    forms noun first: hepatic -> splenic, right ventricular -> left ventricular), or its noun
    written before a finding (attributive: a bladder calculus -> a ureteral calculus)."""
    olds = lx.ORGANS.get(concept, ((),))[0]
    if attributive and olds and old.lower() == olds[0]:
        return next((f for f in forms[1:] if f.endswith(ADJECTIVE_ENDINGS) and " " not in f), None)
    k = next((i for i, f in enumerate(olds) if i and f == old.lower()), None)
    if k is None or k >= len(forms) or not old.lower().endswith(ADJECTIVE_ENDINGS):
        return None
    return forms[k] if forms[k].endswith(ADJECTIVE_ENDINGS) else None


def delete(text: str, start: int, end: int) -> Edit:
    """Delete text[start:end] and the spaces after it."""
    return start, end + len(text[end:]) - len(text[end:].lstrip(" ")), ""


def only_dropped(text: str, m: Mention) -> list[Edit]:
    """An 'only' (solely, purely) in another clause of m's sentence, deleted where m is now
    asserted (no granulomas; only fibrosis -> granulomas; fibrosis): a word linked to m's
    denial, which would contradict it; and a word before m that stressed the denial (without
    overt edema -> with edema)."""
    s, e = sentence_at(text, m.start)
    found = [(s + a, s + b) for a, b in cues_in(text[s:e], cues.EXCLUSIVE_CUES)]
    found = [(a, b) for a, b in found if clause(text, a) != clause(text, m.start)]
    stress = re.search(rf"\b({cues.STRESSED})\s+$", text[s : m.start], re.I)
    if stress and m.group == "finding":  # with obvious abnormality stays
        found.append((s + stress.start(1), s + stress.end(1)))
    return [delete(text, a, b) for a, b in found]


def own_word(text: str, c: Claim, x: Mention) -> bool:
    """Whether attribute x of claim c is no side, or a side in c's own noun phrase (small
    bilateral effusions), not one of its clause's other words (edema with bilateral haziness)."""
    phrase = noun_phrase(text, c.mention)
    return x.group != "side" or phrase.start <= x.start < c.mention.end


def np_article(text: str, m: Mention, pos: int) -> str:
    """The article a finding takes when the next word starts at pos: a, an, or '' for a mass
    noun, a plural or a phrase the lexicon lacks (there is edema, there are nodules, there is
    invasion of the muscularis propria)."""
    unknown = m.concept not in GROUP
    count = text[m.start : m.end].lower().split()[-1] in lx.COUNT_FORMS  # an airspace opacity
    mass = m.concept in lx.MASS_NOUNS and not count
    said = text[m.start : m.end].lower()  # fluid around, free air, pleural fluid
    mass = mass or said.startswith(("fluid ", "free ")) or said.endswith((" fluid", " air"))
    head = re.match(r"\s+([a-z]+)", text[m.end :], re.I)
    mass = mass or bool(head and head.group(1).lower() in lx.MASS_HEADS)  # granuloma formation
    spread = re.search(r"\b(?:residual|metastatic)\s+$", text[pos : m.start], re.I)  # tumour
    mass = mass or bool(spread and said.endswith(("carcinoma", "tumor", "tumour", "disease")))
    if written_plural(text, m) or mass or m.group == "normality" or unknown:
        return ""
    return article_for((WORD.findall(text[pos:]) or ["x"])[0])


def np_start(text: str, m: Mention) -> int | None:
    """Where m's noun phrase starts if it opens its clause (after but / and): a determiner and
    modifiers only before it (a small left pleural effusion, multiple granulomas)."""
    s, _ = clause(text, m.start)
    p = s + re.match(r"[\s,;:]*(?:(?:but|and|while)\s+)?", text[s:], re.I).end()
    head = words(text[p : m.start])
    return None if len(head) > 5 or set(head) & cues.VERBS_AND_PREPOSITIONS else p


def starts_sentence(text: str, pos: int) -> bool:
    """Whether pos opens a sentence (or follows a heading such as FINDINGS:)."""
    return pos == sentence_at(text, pos)[0] or text[:pos].rstrip().endswith(":")


def contrast_agents(text: str, modality: str) -> list[Edit] | None:
    """The contrast agents of text written as the new modality's, a modality's linked words (MR
    with gadolinium contrast -> CT with iodinated contrast; with gadolinium -> with iodinated
    contrast); None where one is written into another word (gadolinium-enhanced)."""
    out = []
    for (agent, new), other in im.CONTRAST_AGENTS.items():
        for a in re.finditer(rf"\b{agent}\b", text, re.I) if new == modality else ():
            if text[a.end() : a.end() + 1] == "-":
                return None
            noun = not re.match(r"\s+contrast\b", text[a.end() :], re.I)
            out.append((a.start(), a.end(), styled(other + " contrast" * noun, a.group())))
    return out


def restated(answer: str, m: Mention, old: list[Mention]) -> tuple[int, int] | None:
    """The span of ' (transverse)' or ', also known as quinsy' where m restates the old term
    just before it, in brackets or as another name."""
    close = re.match(r"\s*\)", answer[m.end :])
    for p in (p for p in old if p.end <= m.start):
        if close and re.fullmatch(r"\s*\(\s*", answer[p.end : m.start]):
            return p.end, m.end + close.end()
        if re.fullmatch(cues.ALIAS, answer[p.end : m.start], re.I):
            return p.end, m.end
    return None
