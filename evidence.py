"""An answer without the evidence it gives for its claim: a one-sentence answer cut after its
first claim (The image shows liver cancer, seen as a large mass in the liver. -> The image shows
liver cancer.), so that a planted error or a correction does not leave the answer describing what
it now denies or names; a yes/no answer turned that keeps what told its old side; and what an
untouched part of a changed sentence says against the change (a landmark of the old place, a
denied feature or collection of a finding made present). Imports anatomy.py, cues.py,
lexicon.py, features.py, claims.py, comparisons.py, conflicts.py and questions.py.
"""

from __future__ import annotations

import re

import cues
import lexicon as lx
from anatomy import NAMED_PARTS
from claims import (
    STOP,
    Mention,
    clause,
    concept_of,
    covers,
    cues_in,
    family_of,
    is_verb,
    mentions,
    near,
    noun_phrase,
    organ_of,
    polarity,
    sentence_at,
    sentences,
    stem,
    words,
)
from comparisons import SIZE
from conflicts import kin_denied, still_normal, tells
from devices import APPROVAL
from features import ABSENT_OF
from questions import is_yes_no

# A claim's evidence or description after it (liver cancer, seen as a large mass in the liver;
# amyloid deposits with apple-green birefringence; a nodule, without pleural effusion; the
# esophagus, located behind the trachea); not a diagnosis or a cause appended to it (suggestive
# of, due to), which is a claim of its own, except as _CONCLUSION allows.
_EVIDENCE = re.compile(
    rf"(?<!consistent)(?<!compatible)(?<!keeping)(?:,\s*|\s+)(?:{cues.EVIDENCE_LEADS}|which)\b"
    r"|,\s*(?:located|situated|lying|projecting|extending|measuring|acquired|obtained|staining"
    r"|arising|originating)\b"
    r"|(?<=present)\s+as\b|(?<=seen)\s+as\b|(?<=visible)\s+as\b"  # present as small spaces
    r"|\s*:\s+(?=\w)",  # a benign tumor: a well-circumscribed adenoma
    re.I,
)
_REASON = re.compile(
    r",\s*(?:as|since|because|given\s+(?:that|its|their|the)|at\s+the\s+level\s+of)\s", re.I
)
# Asked whether a finding is there, a diagnosis drawn from it may go with its evidence.
_CONCLUSION = re.compile(
    rf",\s*(?:which\s+is\s+)?(?:{lx.CONCLUSIONS})\b|\s+(?:due\s+to|secondary\s+to|caused\s+by)\b",
    re.I,
)  # or its cause (midline shift due to mass effect from the hematoma)
# A cut after these would leave the claim unsaid (is predominantly | composed of eosinophils).
_DANGLING = (
    r"(?:predominant|main|most|large|part|entire|primari|chief|usual)ly|of|by|to|in|the|an?|"
    r"taken|obtained|acquired|performed|made|done"  # taken | with the patient upright
)
_CLOSED = re.compile(r"\s*(?:is|are|was|were|does|do|did|has|have)\b", re.I)

NEGATION_WORDS = {w for cue in cues.PRE_NEGATIONS + cues.POST_NEGATIONS for w in words(cue)} - {
    "is", "of", "for", "out", "sign", "signs", "evidence", "present", "seen", "shown", "visible",
    "identified", "included", "appreciated", "demonstrated", "depicted", "visualized"
}  # fmt: skip  # the words that deny, not those beside them (is not seen, no evidence of)


_BEFORE_VERB = re.compile(
    r"(?<=[a-z])(?=\s+(?:is|are)\s+(?:present|seen|noted|identified|evident|visible)\s*[.!]?$)",
    re.I,
)


def without_evidence(answer: str, question: str = "", plant: bool = False) -> str | None:
    """A one-sentence answer without what it says after its first claim (The image shows liver
    cancer, seen as a large mass in the liver. -> The image shows liver cancer; Necrosis with
    preserved cell outlines is present. -> Necrosis is present.): an error planted
    where the evidence stays would leave the answer describing what it denies or swapped away.
    The cut comes after what the question asks (demonstrated with Congo red stain, which
    shows ...: the stain stays). None where the answer has several sentences, nothing follows
    its claim but what the question asks (a neutrophilic infiltrate with acute inflammation,
    asked about inflammation), or what follows places a claim on a side. Asked whether a
    finding is there, a diagnosis drawn from it may go too (Yes, there is a filling defect in the
    left pulmonary artery, consistent with a pulmonary embolus.), unless the question asks it.
    For a plant, what follows a region is cut too (This is a scan of the thorax, showing both
    lungs. -> This is a scan of the thorax.); a correction cut there changes more words than the
    experts' limits allow."""
    if len(sentences(answer)) != 1:
        return None
    body = len(answer.rstrip(" .!?"))
    scans = ("region", "view")  # a PA radiograph, with ... (a modality's words tell it: skipped)
    groups = ("finding", "organ", "normality", *(scans if plant else ()))  # a scan of the
    claimed = [m.end for m in mentions(answer) if m.group in groups]  # thorax, showing ...: a plant
    verbs = [w in _VERB_WORDS or is_verb(w) for w in re.findall(r"\w+", answer.lower())]
    start = min(claimed, default=0)
    cuts = list(_EVIDENCE.finditer(answer, start, body))
    if plant:  # T2-weighted, as the fluid appears bright: the reason goes with the claim swapped
        cuts = sorted(cuts + list(_REASON.finditer(answer, start, body)), key=lambda c: c.start())
    # A plant goes without what its one finding indicated (filled with neutrophils, indicating
    # meningitis); after several, the others would stay to tell the old one.
    drawn = list(_CONCLUSION.finditer(answer, start, body))
    found = [m.end for m in mentions(answer) if m.group == "finding"]
    alone = [c for c in drawn if plant and sum(end <= c.start() for end in found) == 1]
    cuts = sorted(cuts + (drawn if _CLOSED.match(question) else alone), key=lambda c: c.start())
    for cut in cuts:
        rest = answer[cut.start() :]
        last = re.search(r"(\w+)\W*$", answer[: cut.start()])
        dangling = not last or re.fullmatch(_DANGLING, last[1], re.I)
        filled = last and re.fullmatch(r"\w+ed|laden", last[1]) and re.match(r"\s+with", cut[0])
        if dangling or filled or _drops_asked(answer, cut.start(), question):
            continue  # a later cut may keep it (is predominantly | composed of eosinophils)
        if any(_sided_claim(rest, m) for m in mentions(rest)):
            return None  # a finding placed on a side (with shift to the right)
        before = len(re.findall(r"\w+", answer[: cut.start()]))
        relative = cut.group().strip(" ,").lower().startswith("which")  # Congo red, which shows
        relative = relative or cut.group().startswith(",") and not any(verbs[:before])  # X, seen as
        if relative or any(verbs[:before]) or not any(verbs):  # or a phrase with no verb at all
            at = _appositive(answer, cut.start(), question) if plant else cut.start()
            return None if at is None else answer[:at] + answer[body:]
        # Necrosis with preserved cell outlines is present: only the phrase before the verb goes
        verb = _BEFORE_VERB.search(answer, cut.end(), body)
        return answer[: cut.start()] + answer[verb.start() :] if verb else None
    return None


_APPOSITIVE = re.compile(r",\s*(?:[\w-]+\s+){0,2}[\w-]+\s*$")


def _appositive(answer: str, at: int, question: str) -> int | None:
    """Where a planted answer's cut at position at begins, an appositive before it going too
    (koilocytes, squamous cells with perinuclear halos: a plant leaves no 'popcorn cells,
    squamous cells'); None where the appositive holds words the question asks."""
    start = at
    for _ in range(3):  # an exophytic, ulcerated polypoid lesion: its adjectives listed
        apposed = _APPOSITIVE.search(answer, 0, start)
        if not apposed or any(w in _VERB_WORDS or is_verb(w) for w in words(apposed.group())):
            break
        start = apposed.start()
    if start != at and _drops_asked(answer, start, question):
        bare = set(words(answer[start:at])) - STOP - set(words(question))
        return None if not bare else at  # 'These are teardrop cells, red cells.': bare
    return start


_VERB_WORDS = {*cues.VERBS, "is", "are", "was", "were"}  # This is a scan of the chest, showing ...


def _drops_asked(answer: str, at: int, question: str) -> bool:
    """Whether cutting answer at position at drops a concept or a word the question asks and
    the kept part does not say (a neutrophilic infiltrate with acute inflammation: 'acute')."""
    kept, rest = mentions(answer[:at]), answer[at:]
    said = {m.concept for m in kept} | {organ_of(m.concept) for m in kept}  # cardiomegaly: heart
    said |= {concept_of(answer[:at], m) for m in kept}  # the heart appears enlarged: cardiomegaly
    question = _asked_part(question)
    asked = {m.concept for m in mentions(question)} - said
    named = {
        w for m in mentions(question) if m.concept in said for w in words(question[m.start : m.end])
    }
    asked_words = {w for w in words(question) if w not in STOP} - named  # fluid around the heart
    dropped_words = set(words(rest)) - set(words(answer[:at]))
    return any(m.concept in asked for m in mentions(rest)) or bool(asked_words & dropped_words)


# Where a question's own description of what it asks begins (the inclusions in the hepatocytes,
# the cells with peripheral nuclei); 'type of', 'kind of' still name what is asked.
_QUESTION_MODIFIER = re.compile(
    r"(?<!\btype)(?<!\btypes)(?<!\bkind)(?<!\bform)(?<!\bsort)(?<!\bpattern)"
    r"\s+(?:in|within|with|of|on|at|from|seen|shown|showing|containing|surrounding)\s",
    re.I,
)


def _asked_part(question: str) -> str:
    """What a question asks, without what it says of it: an answer may leave out the setting the
    question gives (What are the inclusions in the hepatocytes? -> What are the inclusions)."""
    shown = _SHOWS.match(question)  # Does this lymphoma show a starry-sky pattern?: the pattern
    question = question[shown.end() :] if shown else question
    cut = _QUESTION_MODIFIER.search(question)
    return question[: cut.start()] if cut else question


_SHOWS = re.compile(
    r"\s*(?:does|do|did)\s+[^?]*?\b(?:show|have|contain|demonstrate|reveal)\s", re.I
)


def _sided_claim(text: str, m: Mention) -> bool:
    """Whether side m places a claim of its own (with shift to the right), not the organ the
    evidence lies in (a signal in the right cerebral hemisphere)."""
    organ = re.match(r"[\s-]+", text[m.end :])
    after = [x for x in mentions(text) if x.start == m.end + (organ.end() if organ else 0)]
    return m.group == "side" and not any(x.group == "organ" for x in after)


_PRONOUN = re.compile(r"\s*(?:both|they|these|those|each|all)\b", re.I)


def rest_neutral(text: str, regions: list[tuple[int, int]]) -> bool:
    """Whether the sentences of text outside those of the changed regions state no finding,
    normality or number (an answer's 'It appears hypoenhancing.' may stay; 'This is consistent
    with an aortic aneurysm.' or 'The cardiothoracic ratio is greater than 0.5.' would back the
    claim undone), nor open with a word standing for what the changed one names (Both are
    simple.); beside a count changed, a finding denied (without calcification) backs no count,
    and anywhere one denied of no organ backs nothing (No active extravasation is seen.)."""
    spans = {sentence_at(text, s) for s, _ in regions}
    kept = [m for m in mentions(text) if not any(a <= m.start < b for a, b in spans)]
    touched = touched_mentions(text, regions)
    counted = bool(touched) and all(m.group == "number" for m in touched)
    denied = [m for m in kept if m.group == "finding" and polarity(text, m) < 0]
    loose = [m for m in denied if organ_of(m.concept) is None and not near(text, m, "organ")]
    kept = [m for m in kept if m not in (denied if counted else loose)]  # no extravasation
    others = [(a, b) for a, b in sentences(text) if (a, b) not in spans]
    if not counted and any(_PRONOUN.match(text, a) for a, _ in others):
        return False  # Two cysts are seen. Both are simple.: 'No cysts' would leave 'both'
    return not any(m.group in ("finding", "normality", "number") for m in kept)


def touches(region: tuple[int, int], span: tuple[int, int], edge: bool = True) -> bool:
    """Whether a changed region lies in span (an empty one: inside, or at its edges if edge)."""
    if region[0] == region[1]:
        return span[0] <= region[0] <= span[1] if edge else span[0] < region[0] < span[1]
    return region[0] < span[1] and span[0] < region[1]


_RELATION = re.compile(
    r"\b(?:(?:(?:postero|antero)?(?:lateral|medial)|posterior|anterior|adjacent)\s+to|behind|"
    r"beside|in\s+front\s+of)\s+(?:the\s+)?(?:(?:right|left)\s+)?$",
    re.I,
)


def organ_by_landmark(text: str, ctx: dict) -> bool:
    """(Plants.) Whether an organ written in is placed, in its sentence, against another organ
    the question does not name (the spleen, posterolateral to the stomach -> the liver): the
    relation was the old one's. (Which organ lies posterior to the stomach? is asked of it.)"""
    organs = [m for m in mentions(text) if m.group == "organ"]
    new = [m for m in organs if any(touches(r, (m.start, m.end)) for r in ctx["after"])]
    asked = {m.concept for m in mentions(ctx["question"])}
    return ctx["plant"] and any(
        x not in new
        and x.concept not in asked
        and _RELATION.search(text[sentence_at(text, m.start)[0] : x.start])
        for m in new
        for x in organs
        if sentence_at(text, x.start) == sentence_at(text, m.start)
    )


_LANDMARK = re.compile(
    r"\b(?:above|below|beyond|proximal\s+to|distal\s+to)\s+the\s+(?:(?:right|left)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:junction|margin|carina|hemidiaphragm|diaphragm|pylorus)\b",
    re.I,
)


def landmark_left(text: str, regions: list[tuple[int, int]], plant: bool) -> bool:
    """Whether an organ written in keeps, in its sentence, where the old one lay against a
    landmark (the tip in the distal esophagus -> stomach, just above the gastroesophageal
    junction; the liver -> spleen, extending below the right costal margin), or, planted, the
    approval of the old place (the tip in the subclavian vein, which is a satisfactory position)."""
    new = [m for m in touched_mentions(text, regions) if m.group == "organ"]
    spans = {sentence_at(text, m.start) for m in new}
    told = [outside(text, s, e, regions) for s, e in spans]
    short = any(m.concept in _SHORT_OF_MIDLINE for m in new)  # a left line that crosses the
    crossed = short and any(_CROSSES.search(t) for t in told)  # midline ends past it
    return crossed or any(_LANDMARK.search(t) or plant and _APPROVED.search(t) for t in told)


_SHORT_OF_MIDLINE = ("subclavian vein", "brachiocephalic vein", "internal jugular vein")
_CROSSES = re.compile(r"\bcross(?:es|ing|ed)?\s+the\s+(?:midline|mediastinum)\b", re.I)


_APPROVED = re.compile(APPROVAL, re.I)


def touched_mentions(text: str, regions: list[tuple[int, int]]) -> list[Mention]:
    """The mentions of text that a changed region touches."""
    return [m for m in mentions(text) if any(touches(r, (m.start, m.end)) for r in regions)]


def may_lie(text: str, organs: set[str]) -> bool:
    """Whether each finding text names may lie in one of organs, where a plant moves its claim
    (a tibial lesion, like an osteosarcoma; never a splenic one, like a hepatoma; no syndrome)."""
    sites = [organ_of(m.concept) for m in mentions(text) if m.group == "finding"]
    if not sites and re.search(r"\b(?:syndrome|disease)\b", text, re.I):
        return False  # kidney hemorrhage, as seen in Waterhouse-Friderichsen syndrome
    return all(s is None or any(covers(s, o) or covers(o, s) for o in organs) for s in sites)


_WITH = re.compile(r"\W*(?:with|showing|demonstrating)\b", re.I)
_PLACES = {stem(w) for w in lx.POSITION_WORDS}


def unplaced(part: str) -> bool:
    """Whether part describes a finding with no place of its own (with absent color Doppler
    flow): it stays true where a correction moves the finding (not: abutting the fissure)."""
    placed = any(m.group in ("organ", "region", "side") for m in mentions(part))
    return bool(_WITH.match(part)) and not placed and not _PLACES & {stem(w) for w in words(part)}


_KEPT = ("intact", "preserved", "confined", "limited", "restricted", "only")  # or within bounds
_KEPT_WITHIN = rf"\b(?:{'|'.join(_KEPT)})\b"
_KEPT_WORDS = {stem(w) for w in _KEPT}


def intact_left(text: str, s: int, e: int, regions: list[tuple[int, int]], asked: set[str]) -> bool:
    """Whether sentence text[s:e], turned over by the edit, asserts a finding and still calls
    what the question names intact or preserved (Is there a fracture of the distal radius? Yes,
    there is a fracture; the radius appears intact), or kept within bounds (the glands are
    confined to the mucosa, with extension into the muscularis propria; it invades only the
    lamina propria and reaches the muscularis propria)."""
    if not any(polarity(text, m) > 0 for m in mentions(text) if s <= m.start < e):
        return False
    for w in re.finditer(_KEPT_WITHIN, text[s:e], re.I):
        a, b = clause(text, s + w.start())
        said = {stem(x) for x in words(text[a:b]) if x not in STOP} - _KEPT_WORDS
        untouched = not any(touches(r, (s + w.start(), s + w.end())) for r in regions)
        if untouched and said & asked:
            return True
    return False


MEASURED = rf"\b{SIZE}"  # a size said in numbers
Spans = list[tuple[int, int]]
_MEASURES = rf"{MEASURED}|\b(?:ratio|CTR|index)\b[^.;,]{{0,25}}?\d+(?:\.\d+)?"  # or a ratio


def measure_left(before: str, after: str, old: Spans, new: Spans) -> bool:
    """Whether a change of a size claim (normal in caliber -> dilated; small -> large) leaves
    after it in its sentence the measurement that told the old one (measuring about 2 mm; a
    cardiothoracic ratio of 0.45)."""
    hits = touched_mentions(before, old) + touched_mentions(after, new)
    if not any(m.group in ("normality", "degree") or m.concept == "enlargement" for m in hits):
        return False
    for a, b in new:  # a size before the claim is another thing's (a 6 mm calculus, but ...)
        sizes = re.finditer(_MEASURES, after[b : sentence_at(after, a)[1]], re.I)
        if any(not any(touches(r, (b + x.start(), b + x.end())) for r in new) for x in sizes):
            return True
    return False


# What judges a size after it (8 mm, which is below the threshold; within the normal range): it
# would stay to judge another one. A place (5 cm above the carina) or a finding's reading
# (low in attenuation, suggesting an adenoma) judges no size.
_JUDGED = re.compile(
    r"\b(?:which|that)\s+is\s+(?:\w+\s+){0,2}?(?:normal|enlarged|small|large|borderline|below|"
    r"above|within|under|over|greater|less|upper)\b|\b(?:below|above|under|over|within|exceed\w*|"
    r"meets?|less than|greater than|approach\w*|reach\w*)\s+(?:the\s+)?(?:\w+\s+){0,2}?"
    r"(?:normal|threshold|cut-?off|limits?|range|criteria)\b|\bnormal\s+(?:size|range|limits)\b|\bborderline\b|"
    r"\b(?:making|which\s+makes|qualifying)\s+it\b|\bcorrespond\w*\s+to\b|"  # making it a mass
    r"\bFleischner\b|\bfollow-?up\b|"  # a follow-up advised for the old size
    rf"\b(?:{lx.CONCLUSIONS})\s+(?:an?\s+)?(?:small|large|tiny|big|huge|massive|sub-?centimeter)\b",
    re.I,
)


# Words that tell a degree beside the one changed: a mild change 'with preserved joint space' made
# severe, a severe one 'with large osteophytes' made mild.
_MILDER = r"\b(?:preserved|maintained|minimal|minor|slight|subtle)\b"
_MILDER += r"|\bwithout\b[^.;]{0,40}\bmass\s+effect\b"  # a small effusion, without mass effect
_GRAVER = r"\b(?:large|extensive|marked|massive|gross|complete|loss\s+of)\b"
_GRAVER += r"|\b(?:filling|occupying|opacifying)\s+(?:most|much|all|half)\b|\bwhite-?out\b"


def degree_told(before: str, after: str, old: Spans, new: Spans) -> bool:
    """Whether a degree changed keeps in its sentence words that tell the old one (mild
    degenerative changes, with preserved joint space: not severe)."""
    for (a, b), (c, d) in zip(old, new, strict=False):
        was = [m.concept for m in mentions(before[a:b]) if m.group == "degree"]
        now = [m.concept for m in mentions(after[c:d]) if m.group == "degree"]
        if len(was) != 1 or len(now) != 1 or not (was + now)[0].isdigit():
            continue
        s, e = sentence_at(after, c)
        told = _MILDER if int(now[0]) > int(was[0]) else _GRAVER
        if re.search(told, after[s:c] + " " + after[d:e], re.I):
            return True
    return False


def told_by_changed(before: str, after: str, old: Spans, new: Spans) -> bool:
    """Whether the words changed were the evidence of a finding: one kept in their sentence
    (Homer Wright rosettes, typical of medulloblastoma: made pseudorosettes, medulloblastoma
    stays), or the one written in their place (pseudopalisading necrosis made glioblastoma)."""
    removed = " ".join(before[a:b] for a, b in old)
    written = " ".join(after[a:b] for a, b in new)
    if not any(m.group == "finding" for m in mentions(removed)):
        return False  # a tube's tip moved from the stomach: a place, no finding's evidence
    for m in (m for m in mentions(removed) if m.group in ("organ", "region", "side")):
        removed = removed[: m.start] + " " * (m.end - m.start) + removed[m.end :]  # polyp alone
    for a, b in new:
        s, e = sentence_at(after, a)
        for m in mentions(after[s:e]):
            changed = any(c <= s + m.start < d for c, d in new)
            drawn = re.search(_DRAWN, after[b : s + m.start], re.I)  # empty before the change
            device = m.group != "finding" or family_of(m.concept) == "device"
            pattern = None if device or not (changed or drawn) else lx.FEATURES_OF.get(m.concept)
            told = pattern and re.search(pattern, removed, re.I)
            if told and (changed or not re.search(pattern, written, re.I)):
                return True
    return False


_DRAWN = rf"\b(?:{lx.CONCLUSIONS}|typical\s+of|characteristic\s+of|feature\s+of)\b"


def size_judged(after: str, new: Spans) -> bool:
    """Whether a size changed is judged after it in its sentence (measures 20 mm, which is below
    the size threshold): the judgement was of the old size."""
    for r in new:
        s, e = sentence_at(after, r[0])
        for x in re.finditer(MEASURED, after[s:e], re.I):
            if touches(r, (s + x.start(), s + x.end())) and _JUDGED.search(after, s + x.end(), e):
                return True
    return False


def part_left(before: str, after: str, old: Spans, new: Spans) -> bool:
    """Whether an organ changed leaves in its sentence a named part of the old one that the new
    one lacks (a fracture of the scapula through the acromion, made one of the clavicle; the
    cervical spine down to C7, made the thoracic spine)."""
    was, now = ({m.concept for m in ms if m.group == "organ"} for ms in
                (touched_mentions(before, old), touched_mentions(after, new)))  # fmt: skip
    for a, _ in new if was - now else ():
        s, e = sentence_at(after, a)
        for part, owners in NAMED_PARTS.items():
            said = re.search(rf"\b{part}", after[s:e], re.I)
            if said and (was - now) & set(owners) and not now & set(owners):
                return True
        kept = [m for m in mentions(after[s:e]) if m.group == "organ"]  # a C6 vertebra, made
        if now - was and any(lx.ORGANS[m.concept][3] in was - now for m in kept):  # thoracic
            return True
    return False


def answer_left(before: str, after: str, ctx: dict) -> bool:
    """Whether a yes/no answer turned keeps what told its old side: made yes, a denied feature
    of the finding asked (no deposition of amorphous pink material: no amyloid); made no about an
    organ alone, what its changed sentence still says of the organ."""
    if not is_yes_no(ctx["reference"]):
        return False
    turned = negations_lifted(before, after, ctx["before"], ctx["after"])
    if turned > 0:  # a feature denied in its own clause
        told = [re.finditer(lx.FEATURES_OF[c], after, re.I) for c in asked_findings(ctx)]
        starts = [(clause(after, f.start())[0], f.start()) for fs in told for f in fs]
        kept = [after[slice(*sentence_at(after, a))] for a, _ in ctx["after"]]
        return (
            _asked_denied(after, ctx)
            or any(cues_in(after[a:b], cues.PRE_NEGATIONS) for a, b in starts)
            or any(still_normal(text, ctx["question"]) for text in kept)
        )
    return turned < 0 and not ctx["plant"] and _organ_left(after, ctx["after"], ctx)


# Advice resting on what the sentence before it finds (Follow-up radiographs after treatment are
# advised; Recommend CT for further characterization).
_FOLLOW_UP = re.compile(
    r"\b(?:recommend\w*|advised|advisable|follow-?up|follow\s+up|further\s+(?:evaluation|"
    r"characteri[sz]ation|assessment)|treatment|therapy|antibiotics?)\b",
    re.I,
)


def advice_left(before: str, after: str, old: Spans, new: Spans) -> bool:
    """Whether a sentence turned to a denial leaves the advice of the sentence after it, which
    names no finding of its own and so rested on the denied one (Left basilar pneumonia.
    Follow-up radiographs after treatment are advised. -> No left basilar pneumonia. ...)."""
    for o, n in zip(old, new, strict=True):
        if negations_lifted(before, after, [o], [n]) >= 0:
            continue
        end = sentence_at(after, n[0])[1]
        s, e = next(((s, e) for s, e in sentences(after) if s >= end), (end, end))
        named = any(s <= m.start < e and m.group == "finding" for m in mentions(after))
        if _FOLLOW_UP.search(after, s, e) and not named:
            return True
    return False


def negations_lifted(before: str, after: str, old: Spans, new: Spans) -> int:
    """How many more negation words the changed regions held before than after (1: a no made
    yes; -1: a denial written in)."""
    said = sum(w in NEGATION_WORDS for a, b in old for w in words(before[a:b]))
    return said - sum(w in NEGATION_WORDS for a, b in new for w in words(after[a:b]))


def _asked_denied(after: str, ctx: dict) -> bool:
    """Whether text still denies a finding named by the head word of one the question asks (is
    there brain edema? 'the tumor has no surrounding edema')."""
    asked = [m for m in mentions(ctx["question"]) if m.group == "finding"]
    heads = {words(ctx["question"][m.start : m.end])[-1] for m in asked}
    denied = [m for m in mentions(after) if m.group == "finding" and polarity(after, m) < 0]
    others = [m for m in denied if m.concept not in {x.concept for x in asked}]  # read as another
    return any(words(after[m.start : m.end])[-1] in heads for m in others)


def _organ_left(after: str, regions: Spans, ctx: dict) -> bool:
    """Whether an organ the question asks about alone, made absent, keeps in its changed
    sentence another organ or finding said of it (its place beside the bladder, its lining), or
    how it looks (distended with fluid)."""
    question = ctx["question"]
    asked = [m for m in mentions(question) if m.group == "organ" and _asks_shown(question, m)]
    for m in mentions(after):
        s, e = sentence_at(after, m.start)
        if m.concept in {x.concept for x in asked} and any(s <= a < e for a, _ in regions):
            said = [x for x in mentions(after[s:e]) if x.concept != m.concept]
            described = _DESCRIBED.search(after, s, e)  # distended with fluid and gas
            return bool(described) or any(x.group in ("organ", "finding") for x in said)
    return False


_DESCRIBED = re.compile(r",\s*(?:\w+\s+)?\w+(?:ed|en)\s+(?:with|by)\b", re.I)


def _asks_shown(question: str, m: Mention) -> bool:
    """Whether the question asks whether organ m is shown at all (is the uterus visible? does
    this image contain the spleen?), not how it looks."""
    before, after = question[: m.start], question[m.end :]
    if re.fullmatch(r"\s*(?:is|are)\s+(?:the\s+|both\s+)?", before, re.I):
        return bool(re.match(rf"\s+(?:{_SHOWN_WORDS})\b", after, re.I))
    shown = re.search(
        r"\b(?:contains?|shows?|includes?|depicts?)\s+(?:the\s+|an?\s+|any\s+)?$", before
    )
    return bool(shown) and not re.search(r"\w", after)


_SHOWN_WORDS = "seen|visible|present|included|shown|depicted|visuali[sz]ed|identified|imaged"


def asked_findings(ctx: dict) -> set[str]:
    """The findings the question names that have features (is there amyloid deposition?)."""
    question = ctx["question"]
    found = {concept_of(question, m) for m in mentions(question) if m.group == "finding"}
    return found & set(lx.FEATURES_OF)


def told_after_semicolon(before: str, after: str, ctx: dict) -> bool:
    """Whether a changed sentence goes on after a semicolon, untouched, with a textbook feature
    of what the edit swapped away (Touton cells; their nuclei form a horseshoe-shaped rim;
    osteoarthritis; there is periarticular osteopenia) or a plant denied (no pneumothorax; a
    pleural edge is seen ...)."""
    regions = ctx["after"]
    gone = {m.concept for m in touched_mentions(before, ctx["before"])}
    gone -= {m.concept for m in touched_mentions(after, regions)}
    gone = {c for c in gone if ctx["plant"] or c in lx.FINDINGS}  # a correction: findings only
    denied = {m.concept for m in mentions(before) if polarity(before, m) < 0}
    for s, e in sentences(after):
        cut = after.find(";", s, e)
        if cut < 0 or not any(touches(r, (s, cut)) for r in regions):
            continue
        turned = (
            {  # the heart is not enlarged: cardiomegaly (a plant's)
                concept_of(after, m)
                for m in mentions(after)
                if s <= m.start < cut and polarity(after, m) < 0
            }
            if ctx["plant"]
            else set()
        )
        untouched = not any(touches(r, (cut, e)) for r in regions)
        if untouched and tells(after[cut:e], gone | (turned - denied)):
            return True
    return False


# What an untouched part of a changed sentence says against the change.


def outside(text: str, s: int, e: int, regions: list[tuple[int, int]]) -> str:
    """text[s:e] without the changed regions (each left as a gap)."""
    out, at = [], s
    for a, b in sorted(r for r in regions if s <= r[0] < e):
        out.append(text[at:a])
        at = max(at, b)
    return " ... ".join([*out, text[at:e]])


def told_against(before: str, after: str, s: int, e: int, regions: list[tuple[int, int]]) -> bool:
    """Whether a finding made present in after[s:e] keeps beside it, untouched, a denial of its
    textbook features in their own clause (granulomas are present ... without epithelioid
    histiocytes), or words that say it absent (features.ABSENT_SAYS: normally inflated), or a
    denied collection where it lies (an epidural abscess ..., but no epidural collection)."""
    was = {m.concept: polarity(before, m) for m in mentions(before)}
    now = [
        m
        for m in mentions(after)
        if s <= m.start < e
        and m.group == "finding"
        and was.get(m.concept, 0) < 0 < polarity(after, m)
    ]
    rest = outside(after, s, e, regions)
    for m in now:
        concept = m.concept
        if re.search(ABSENT_OF.get(concept, "$^"), rest, re.I):
            return True  # the lungs are normally inflated, with emphysema
        places = [re.escape(after[w.start : w.end]) for w in noun_phrase(after, m).modifiers]
        place = "|".join(places) or "$^"
        if re.search(rf"\bno\s+(?:[\w-]+\s+)?(?:{place})\s+(?:fluid\s+)?collection", rest, re.I):
            return True
        for f in re.finditer(lx.FEATURES_OF.get(concept, "$^"), after, re.I):
            at = f.start()
            untouched = not any(touches(r, (at, f.end())) for r in regions)
            if untouched and cues_in(after[clause(after, at)[0] : at], cues.PRE_NEGATIONS):
                return True  # koilocytes made present; the epithelium without perinuclear halos
        if kin_denied(after, concept, s, e):
            return True
    return False
