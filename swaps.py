"""Edits that write one term in place of another: a correction's (the reference's finding, organ,
side, size, count or modality for the answer's) and a planted error's (another side of a paired
organ, an organ for a neighbour, a sibling finding, a count one off, a size step, another
modality, plane or sequence).

A finding or organ is replaced with its whole noun phrase: what described the old term goes (a
simple liver cyst -> liver cancer), what says where or when stays where it still holds (right
lower lobe pneumonia), and the determiner and verb agree. A side to or from bilateral changes
the number of the finding it sides (a right pleural effusion <-> bilateral pleural effusions).
Where the new term cannot stand in the sentence (a pneumothorax in a lobe, a tube tip outside
its sites) the functions give None. A modality takes its contrast agent along (MR with
gadolinium -> CT with iodinated); an organ, the part of it named before it (the tail of the
pancreas -> the liver), an enlarged organ its enlargement (hepatomegaly -> splenomegaly);
features said after a diagnosis go or stay by what they tell (lexicon.FEATURES_OF). Short
answers whose words the lexicon lacks are slots.py's. Imports the modules before it.
"""

from __future__ import annotations

import re

import cues
import imaging as im
import lexicon as lx
import phrases as ph
from anatomy import LOBE_PLACES, PLACE_ENDS, PLACE_WORDS
from claims import (
    Mention,
    Phrase,
    Word,
    clause,
    covers,
    family_of,
    is_verb,
    mentions,
    near,
    noun_phrase,
    organ_of,
    sentence_at,
    words,
)
from comparisons import ONE_LUNG, UNIT_AFTER, count_told, counted_on_one_side, plural_object
from edits import FEATURES, deny_normal, no_overlap
from kinds import graded, same_kind, sized
from phrases import Edit, determiner, lowered, plural, singular, styled, verb_edit, written_plural

SPELLING = {f.lower(): f for g in (im.MODALITIES, im.SEQUENCES) for fs in g.values() for f in fs}
_NUMBER_VERBS = ("is", "are", "was", "were")
_ONE = {"are": "is", "were": "was"}
_MANY = {one: many for many, one in _ONE.items()}


_DISEASE = r"(?:osis|iasis)$"  # a disease named after its organism


def written(r: Mention, source: str, old: str, finding: str = "") -> str:
    """How concept r (found in source) is written in place of the word old: a degree in old's
    family (small -> large, mildly -> severely; 'moderate' by the finding it sizes), a number
    as old was (two -> three, 2 -> 3, III -> II), a side or sequence keeping old's suffix
    (left-sided -> right-sided, T2-weighted -> T1-weighted), else the source's own words."""
    low = old.lower()
    if r.group == "degree":
        families = [f for f, ws in lx.DEGREES.items() if low in ws]
        family = families[0] if len(families) == 1 else lx.DEGREE_SYNONYMS.get(low, ("", 0))[0]
        family = family or ("size" if finding in lx.SIZE_FINDINGS else "severity")
        return lx.DEGREES[family][int(r.concept)]
    if r.group == "number" and low[:1].isdigit():
        return r.concept
    if r.group == "number" and old.upper() in lx.ROMAN and 0 < int(r.concept) <= len(lx.ROMAN):
        return ph.roman(int(r.concept), old)  # grade III -> grade II; grade iii -> grade ii
    if r.group == "number" and int(r.concept) < len(lx.NUMBERS):
        return lx.NUMBERS[int(r.concept)]
    letters = {v: k for k, v in lx.SIDE_LETTERS.items()}
    if r.group == "side" and old in lx.SIDE_LETTERS and r.concept in letters:
        return letters[r.concept]  # R -> L
    if r.group == "side" and low.split("-")[0] in lx.SIDES:
        return r.concept + low[len(low.split("-")[0]) :]
    if r.group == "sequence" and low.endswith("weighted") and r.concept in ("T1", "T2"):
        return r.concept + "-weighted"
    looks = [forms for forms in im.LOOKS.values() if low in forms]  # high signal -> low signal
    if r.group == "look" and looks and looks[0].index(low) < len(im.LOOKS[r.concept]):
        return im.LOOKS[r.concept][looks[0].index(low)]
    if r.group == "region" and low in lx.REGION_ADJECTIVES.values():
        return lx.REGION_ADJECTIVES[r.concept]  # the abdominal region -> the thoracic region
    if r.group == "plane" and low.endswith(" plane") and not r.concept.endswith(" plane"):
        return r.concept + " plane"  # the frontal plane -> the sagittal plane
    if r.group == "modality" and " " in low and r.concept in im.SPELLED_OUT:
        return im.SPELLED_OUT[r.concept]  # computed tomography -> magnetic resonance imaging
    if r.group == "finding" and re.search(_DISEASE, low) and r.concept in lx.FINDINGS:
        named = [f for f in lx.FINDINGS[r.concept][0] if re.search(_DISEASE, f)]
        return named[0] if named else ""  # toxoplasmosis -> cryptosporidiosis, not an organism
    text = source[r.start : r.end]
    spelled = SPELLING.get(text.lower())
    if spelled:
        return spelled
    out = re.sub(r"[a-z]+", lambda w: lx.EPONYMS.get(w.group(), w.group()), lowered(text))
    capitals = r"\b[A-Z](?=[-&])|(?<=&)[A-Z]\b|(?<= )[A-Z]\b"  # B-cell, H&E, Oil red O
    letters = [c.start() for c in re.finditer(capitals, text)] if len(out) == len(text) else []
    return "".join(text[i] if i in letters else ch for i, ch in enumerate(out))  # B-cell stays


def recount(text: str, m: Mention, n: int) -> list[Edit] | None:
    """Edits that make count m say n, its noun, determiner and verb agreeing (a single mass -> two
    masses; Two ribs are fractured -> One rib is fractured); None where m counts no known term."""
    if count_told(text, m):
        return None  # two ureters, a complete duplex system: 'duplex' would still say two
    old = text[m.start : m.end]
    new = written(Mention("number", str(n), 0, 0), "", old)
    spread = _all_or_both(text, m, n)
    if spread is None:
        return None  # Two nodules. Both are calcified.: one nodule would leave 'both'
    if (m.concept == "1") == (n == 1):
        return [(m.start, m.end, styled(new, old)), *spread]
    _, e = clause(text, m.start)
    nouns = [x for x in mentions(text) if m.end <= x.start < e and x.group in ("finding", "organ")]
    counted = [p for p in map(lambda x: noun_phrase(text, x), nouns)
               if any(w.start == m.start for w in p.modifiers)]  # fmt: skip
    phrase = counted[-1] if counted else None  # two rib fractures: the fractures are counted
    if phrase is None or (m.concept == "1" and counted_on_one_side(text, m, phrase)):
        return None
    if ph.describes_unknown(text, phrase.head):
        return None  # two calcified stones: a word the lexicon does not know is counted
    if n == 1 and phrase.head.group == "organ" and plural_object(text, phrase.head.end):
        return None  # two vertebral bodies show compression deformities: one each
    word = text[phrase.head.start : phrase.head.end]
    edits = [(phrase.head.start, phrase.head.end, singular(word) if n == 1 else plural(word))]
    det = text[phrase.det[0] : phrase.det[1]] if phrase.det else ""
    if det.lower() in ("a", "an") and n != 1:  # a single mass -> two masses
        edits.append((phrase.det[0], m.start, ""))
        old = det
    edits.append((m.start, m.end, styled(new, old)))
    return edits + verb_edit(text, phrase, n != 1) + spread


def _all_or_both(text: str, m: Mention, n: int) -> list[Edit] | None:
    """'both' for 'all' said later of what count m counts, now two (three nodes, all in the left
    chain -> two nodes, both in the left chain), 'all' for a next sentence's 'Both' (Two nodules
    are seen. Both are ... -> Three nodules are seen. All are ...; None for one);
    plants._distributed_count makes 'both' 'all'."""
    end = sentence_at(text, m.start)[1]
    pronoun = re.match(rf"\s*(Both)\s+(?:{cues.PRONOUN_VERBS})\b", text[end:])
    if pronoun and m.concept == "2":
        return None if n == 1 else [(end + pronoun.start(1), end + pronoun.end(1), "All")]
    said = re.search(r"\ball\b", text[m.end : end], re.I)
    if not said or n != 2:
        return []
    start = m.end + said.start()
    return [(start, start + 3, styled("both", said.group()))]


# -------------------------------------------------------------------------------------------------
# Corrections: the reference's term in place of the answer's.


def replace_terms(
    answer: str, old: list[Mention], r: Mention, reference: str
) -> tuple[list | None, str]:
    """Edits that write r's concept in place of each old mention: a count with its noun and
    verb, a finding or organ with its whole phrase (replace_phrase), a side with the number of
    its finding (reside), any other term word for word. A cell of the old organ left behind, or
    features of the old finding after it (adenocarcinoma with glands): None."""
    if r.group == "number":
        edits = recount(answer, old[0], int(r.concept)) if r.concept.isdigit() else None
        return (edits, "") if edits else (None, "cannot_recount")
    if r.group == "organ" and _of_old_organ(answer, old, r):
        return None, "linked_term"
    features = [_features(answer, m, r) for m in old] if r.group == "finding" else []
    if None in features:
        return None, "linked_features"
    edits: list[Edit] = [e for found in features for e in found]
    for m in old:
        word, bracket = answer[m.start : m.end], ph.restated(answer, m, old)
        if bracket:
            edits.append((*bracket, ""))  # axial (transverse) -> sagittal
            continue
        if r.group in ("finding", "organ", "region") and m.group == r.group:
            new = replace_phrase(answer, m, r, reference)
        elif r.group == "normality":  # abnormal -> normal; never the reference's own phrase
            new = deny_normal(answer, m) if m.concept != r.concept else None
        elif r.group == "side":
            new = reside(answer, m, r.concept)
        else:
            said = ph.unrepeated(answer, m.end, written(r, reference, word))
            new = [(m.start, m.end, styled(said, word))]
            agents = ph.contrast_agents(answer, r.concept) if r.group == "modality" else []
            new = new + agents if agents is not None else None
        if new is None:
            return None, "cannot_replace"
        edits += new
    edits += _benign_dropped(answer, old, edits) if _malignant(reference, r) else []
    edits += [e for m in old for e in _enlargement(answer, m, r)]
    edits += [e for m in old if m.group == "organ" for e in _places(answer, m, r.concept)]
    return (edits, "") if no_overlap(edits) else (None, "cannot_replace")


def _of_old_organ(answer: str, old: list[Mention], r: Mention) -> bool:
    """Whether the answer names a cell or finding of the replaced organ that organ r cannot take
    (hepatocytes, cirrhosis for the liver), or a place beside the replaced lobe alone; an
    enlargement that r has too goes along."""
    olds = {m.concept for m in old}
    moved = {lx.ENLARGED_ORGAN.get(o) for o in olds} if r.concept in lx.ENLARGED_ORGAN else set()
    placed = [re.search(LOBE_PLACES[o], answer, re.I) for o in olds if o in LOBE_PLACES]
    if r.concept in LOBE_PLACES and any(placed):
        return True  # the left lower lobe, abutting the costophrenic recess
    return any(
        organ_of(x.concept) in olds and x.concept not in lx.SITES and x.concept not in moved
        for x in mentions(answer)
        if x.group == "finding"
    )


def _enlargement(answer: str, m: Mention, r: Mention) -> list[Edit]:
    """The edits writing the enlargement of organ r for that of organ m said in m's sentence
    (hepatomegaly with the liver ... -> splenomegaly with the spleen ...)."""
    old, new = lx.ENLARGED_ORGAN.get(m.concept), lx.ENLARGED_ORGAN.get(r.concept)
    if not (old and new):
        return []
    said = organ_findings(answer, m, *sentence_at(answer, m.start))
    return [e for x in said if x.concept == old for e in swap_edits(answer, x, new) or []]


def organ_findings(text: str, m: Mention, s: int, e: int) -> list[Mention]:
    """The findings of text[s:e] that lie in organ m alone (splenomegaly, cirrhosis), m an organ."""
    every = mentions(text) if m.group == "organ" else []
    found = [x for x in every if s <= x.start < e and organ_of(x.concept) == m.concept]
    return [x for x in found if x.concept not in lx.SITES]  # a stone may lie elsewhere


def _features(answer: str, m: Mention, r: Mention) -> list[Edit] | None:
    """The edits for the features said after finding m (adenocarcinoma with gland formation)
    when r takes its place: none where there are none or they tell r (with keratin pearls, for a
    squamous cell carcinoma); their cut where they tell m alone; None where the lexicon cannot
    tell whose they are."""
    lead = re.match(FEATURES, answer[m.end :])
    if not lead:
        return []
    end = clause(answer, m.end + lead.end())[1]  # the clause of the features (, with ...)
    while re.match(r"\s*and\s+(?:an?|the)\s", answer[end:]):  # an eccentric nucleus and a halo
        end = clause(answer, end + 1)[1]
    said = answer[m.end : end]
    body = m.end + len(said.rstrip(" .;"))
    tells = {
        c for c in (m.concept, r.concept) if re.search(lx.FEATURES_OF.get(c, "$^"), said, re.I)
    }
    if r.concept in tells and m.concept not in tells:
        return []  # they tell the reference's: they stay
    if m.concept in tells and r.concept not in tells:
        return [(m.end, body, "")]  # they tell the old one: they go with it
    return None


def _malignant(source: str, r: Mention) -> bool:
    """Whether r's phrase in source names a malignant finding (metastatic carcinoma)."""
    phrase = noun_phrase(source, r)
    return any(w in lx.MALIGNANT_WORDS for w in words(source[phrase.start : r.end]))


def _benign_dropped(text: str, old: list[Mention], edits: list[Edit]) -> list[Edit]:
    """'benign' in the sentences of the replaced terms, deleted where a malignant finding is
    written in (a benign lymph node with reactive hyperplasia -> a lymph node with metastatic
    carcinoma): a word linked to the old claim."""
    spans = [sentence_at(text, m.start) for m in old]
    out = []
    for b in mentions(text):
        inside = any(s <= b.start < e for s, e in spans)
        replaced = any(s <= b.start < e for s, e, _ in edits)
        if b.concept == "benign" and inside and not replaced:
            out.append((b.start, b.end + len(text[b.end :]) - len(text[b.end :].lstrip()), ""))
    return out


def _term_text(source: str, start: int, end: int) -> str:
    """source[start:end] as it is written in a sentence: lower case, acronyms, levels and a
    letter after the first word kept (CT, MRI, L4-L5, Oil red O)."""
    out = []
    for w in source[start:end].split():
        kept = w.isupper() and (1 < len(w) <= 4 or len(w) == 1 and bool(out) or not w.isalpha())
        named = re.sub(r"[a-z]+", lambda p: lx.EPONYMS.get(p[0], p[0]), w.lower())  # Reed-Sternberg
        out.append(w if kept else SPELLING.get(w.lower(), named))
    return " ".join(out)


def _paired(organ: str | None) -> bool:
    return bool(organ in lx.ORGANS and lx.ORGANS[organ][2])


def _region(organ: str | None) -> str | None:
    """The body region of an organ or region (the pelvis counts as the abdomen's)."""
    region = organ if organ in lx.REGIONS else lx.ORGANS.get(organ or "", ((), None))[1]
    return "abdomen" if region == "pelvis" else region


def fits(organ: str | None, other: str | None) -> bool:
    """Whether a finding of one organ may lie in the other: one region, or unknown."""
    a, b = _region(organ), _region(other)
    return a is None or b is None or a == b or covers(organ or "", other or "x")


def _placed(text: str, m: Mention, r: Mention, organ: str | None, head: str) -> bool:
    """Whether r, written head, may stand in m's clause: a new organ holds the clause's findings
    (a tube only at one of its sites); a new finding lies in the clause's organs (not a
    pneumothorax in the middle lobe) and stays an adjective where m was one (the heart is
    enlarged: never 'is infarct')."""
    endings = ph.ADJECTIVE_ENDINGS
    adjective = text[m.start : m.end].lower().endswith(endings)
    named = r.concept.endswith(" stain")  # Congo red: a name, no adjective
    if r.group == "finding" and adjective != head.lower().endswith(endings) and not named:
        return False
    if (family_of(m.concept) == "device") != (family_of(r.concept) == "device"):
        return False  # a chest tube is no finding
    own = {(w.start, w.end) for w in noun_phrase(text, m).modifiers}
    others = [x for x in near(text, m) if (x.start, x.end) not in own and x != m]
    if r.group != "finding":
        part = re.match(rf"\s+({'|'.join(lx.ORGAN_PARTS)})\b", text[m.end :], re.I)
        if part and m.concept in lx.ORGAN_PARTS[part.group(1).lower()]:
            return r.concept in lx.ORGAN_PARTS[part.group(1).lower()]  # the ulnar styloid
        return all(_holds(r.concept, x) for x in others if not _own_place(text, x))
    effect = _EFFECT.search(text, m.end, clause(text, m.start)[1])  # causing mediastinal shift
    base = any(x.concept in _PLEURAL_PLACES for x in others)  # the base of the right lung
    organs = [
        x.concept
        for x in others
        if x.group == "organ"
        and not (effect and x.start > effect.start())
        and not (organ == "pleura" and x.concept in _PLEURAL_PLACES + ("lung",) * base)
    ]
    return not organ or all(covers(organ, o) or covers(o, organ) for o in organs)


# The lung's base and apex, where its pleura's findings lie (an effusion at the base of the
# right lung); a lobe is not (no pneumothorax in the middle lobe).
_PLEURAL_PLACES = ("lung base", "lung apex")


def _of_parent(text: str, m: Mention, r: Mention, head: str) -> str:
    """head, a part of an organ, without its organ's adjective where the organ follows m (the
    femoral neck, in 'the intertrochanteric region of the femur': the neck of the femur)."""
    parent = lx.ORGANS.get(r.concept, ((), None, False, None))[3] if r.group == "organ" else None
    forms = lx.ORGANS[parent][0] if parent else ()
    named = "|".join(re.escape(f) for f in forms)
    if not named or not re.match(rf"\s+of\s+(?:the\s+)?(?:{named})\b", text[m.end :], re.I):
        return head
    return re.sub(rf"\b(?:{named})\s+", "", head, count=1, flags=re.I)  # left femoral neck


# What a finding does to other organs: not where it lies.
_EVEN = re.compile(r"\b(?:uniform|diffuse|symmetric)\w*", re.I)  # no one side holds it
_EFFECT = re.compile(r"\b(?:causing|resulting\s+in|producing|leading\s+to|exerting)\b", re.I)


def _own_place(text: str, x: Mention) -> bool:
    """Whether finding x says where it lies in words naming no organ of the lexicon (widening
    of the adjacent sulci): its usual organ (the mediastinum's widening) is then not its own."""
    of = re.match(r"\s+of\s+((?:\w+\s+){0,3}\w+)", text[x.end :])
    return x.group == "finding" and bool(of) and not mentions(of.group(1))


def _holds(organ: str, x: Mention) -> bool:
    """Whether organ may hold x, a term of the clause: a device only at one of its sites, a
    finding of an organ of its own in that organ's body region."""
    if family_of(x.concept) == "device":
        return organ in lx.SITES.get(x.concept, (organ,))
    home = organ_of(x.concept) if x.group == "finding" else None
    return not home or fits(home, organ)


def _stays(w: Word, r: Mention, m: Mention, organ: str | None, located: bool, sided: bool) -> bool:
    """Whether modifier w of the replaced phrase still holds for r (in organ): when (acute),
    a normal or other claim about an organ (the enlarged spleen -> the enlarged liver), and,
    unless the reference says where itself, a position, a part of an organ the new finding
    may lie in (right lower lobe), an organ for a finding of none of its own (renal cyst), a
    left or right where the new organ has two (sided)."""
    if w.kind in ("temporal", "normality") or (w.kind == "finding" and m.group == "organ"):
        return True
    if located:
        return False
    if w.kind == "position":
        return True
    if r.group == "finding" and w.kind in ("organ", "region"):
        part = w.kind == "organ" and lx.ORGANS[w.concept][3] is not None
        return (part or organ is None) and w.concept != organ and fits(organ, w.concept)
    one_lung = ONE_LUNG.get(organ or "", w.concept) == w.concept  # the right -> the lingula
    return w.kind == "side" and w.concept in ("left", "right") and sided and one_lung


def replace_phrase(text: str, m: Mention, r: Mention, source: str) -> list[Edit] | None:
    """Edits that write r (found in source) in place of m with its whole noun phrase: r with the
    words source puts before it (Liver Cancer, caseous necrosis, right parietal lobe), after
    those of m's modifiers that still hold (_stays); what described m goes (simple, solid,
    bilateral, small, sigmoid). The determiner and the verb agree with the new head. None
    where r cannot stand there (_placed) or a verb other than is/are would need inflecting."""
    old, ref = noun_phrase(text, m), noun_phrase(source, r)
    if old.modifiers and UNIT_AFTER.match(text, old.modifiers[0].start):
        return None  # 1-3 mm nodules: the size before the phrase would lose its unit
    located = bool(ref.kinds("side", "organ", "region"))
    organ = next((w.concept for w in ref.kinds("organ")), None) or (
        r.concept if r.group == "organ" else organ_of(r.concept)
    )
    head = _of_parent(text, m, r, _term_text(source, ref.start, r.end))
    head = _headed(text[m.start : m.end], r, head)
    adjectives = lx.REGION_ADJECTIVES.values()
    if (
        r.group == "region"
        and head.lower() in adjectives
        and text[m.start : m.end].lower() not in adjectives
    ):
        noun = re.match(r"\s+(cavity|region|area)\b", source[r.end :], re.I)  # Pelvic Cavity
        head = f"{head} {noun.group(1)}".lower() if noun else r.concept  # never 'the pelvic'
    if r.group == "organ" and m.group == "organ":
        head = ph.adjective(text[m.start : m.end], m.concept, lx.ORGANS[r.concept][0]) or head
    stain = text[m.start : m.end].lower().endswith(" stain") and r.concept.endswith(" stain")
    head += " stain" if stain and not head.lower().endswith("stain") else ""  # a Congo red stain
    if not _placed(text, m, r, organ, head):
        return None
    sided = _paired(organ or next((w.concept for w in old.kinds("organ")), None))
    mods = [w for w in old.modifiers if not (w.kind == "temporal" and ref.kinds("temporal"))]
    kept = [
        text[w.start : w.end]
        for w in mods
        if _stays(w, r, m, organ, located, sided)
        or graded(text[w.start : w.end], r, m)
        or sized(text, w, r, m)
    ]
    head, now_plural = ph.numbered(text, m, source, r, head)
    counted = ref.start == r.start and r.concept not in lx.MASS_NOUNS  # a kidney stone, stones
    if counted and head.lower().endswith(("iasis", "osis")) and not now_plural:
        many = written_plural(text, m)
        head, now_plural = (plural(r.concept) if many else r.concept), many  # -> gallstones
    verb = re.match(r"\s+(\w+)", text[m.end :])
    other_verb = verb and verb.group(1).lower() not in _NUMBER_VERBS and is_verb(verb.group(1))
    if other_verb and now_plural != written_plural(text, m):
        return None  # the mass arises -> the gallstones arise: a verb the rules do not inflect
    count = head.lower().split()[-1] in lx.COUNT_FORMS  # a hematoma, though hemorrhage is mass
    same = r.concept == m.concept and old.det  # a subarachnoid -> a subdural hemorrhage
    mass = r.concept in lx.MASS_NOUNS and not now_plural and not count and not same
    det = determiner(text, old, now_plural, mass, (kept or [head])[0])
    phrase = " ".join([det] * bool(det) + kept + [head])
    moved = m.group in ("organ", "region") and not same_kind(m.concept, r.concept)
    part = ph.part_of(text, old.lead) if moved else None  # the base of the 4th -> of the 5th
    start = part.start() if part else old.lead  # the tail of the pancreas -> the liver
    phrase = f"{text[start : start + 3]} {phrase}" if part and part.group(1) and not det else phrase
    lead = text[start : start + 1]
    phrase = phrase[:1].upper() + phrase[1:] if lead.isupper() and not det.isupper() else phrase
    return [(start, m.end, phrase)] + verb_edit(text, old, now_plural)


def _headed(old: str, r: Mention, head: str) -> str:
    """Organ r written with the head word old has (the parathyroid gland -> the thyroid gland,
    never the thyroid), where the lexicon writes r so; else head."""
    if r.group != "organ" or " " not in old or " " in head:
        return head
    forms = lx.ORGANS[r.concept][0]
    return next((f for f in forms if " " in f and f.split()[-1] == old.split()[-1].lower()), head)


def reside(text: str, m: Mention, side: str, plant: bool | str = False) -> list[Edit] | None:
    """Edits that make side m say side: left <-> right word for word (left-sided -> right-sided)
    or, before an organ of one side only, its counterpart (the right middle lobe -> the
    lingula); to or from bilateral with the number of the finding it sides where an organ holds
    one of it a side (a right pleural effusion <-> bilateral pleural effusions; both lungs ->
    the left lung, 'only' in a plant). None where the side is said otherwise (bilaterally) or
    the finding cannot be two (a bilateral chest tube)."""
    word, low = text[m.start : m.end], text[m.start : m.end].lower()
    organ = next((x for x in near(text, m, "organ") if x.start > m.start), None)
    if organ and organ.concept in lx.MIRRORS and not text[m.end : organ.start].strip():
        return [(m.start, organ.end, styled(lx.MIRRORS[organ.concept], word))]
    if "bilateral" not in (m.concept, side):
        return [(m.start, m.end, styled(written(Mention("side", side, 0, 0), "", word), word))]
    if m.concept == side or low.endswith("ly") or low == "bibasilar":
        return None
    if low == "both" or low.startswith("both "):
        return _one_of_both(text, m, side, plant)
    if organ and not text[m.end : organ.start].strip() and side == "bilateral":
        return _both_organs(text, m, organ)
    head = next((x for x in mentions(text) if m.end <= x.start), None)
    phrase = noun_phrase(text, head) if head and head.group == "finding" else None
    if phrase is None or not any(w.start == m.start for w in phrase.modifiers):
        return None
    two = written_plural(text, head)
    if head.concept not in lx.ONE_PER_SIDE:
        return None if side == "bilateral" and not two else [(m.start, m.end, styled(side, word))]
    if two == (side == "bilateral"):
        return [(m.start, m.end, styled(side, word))]
    return _renumber(text, phrase, side == "bilateral", {m.start: side})


def _both_organs(text: str, m: Mention, organ: Mention) -> list[Edit] | None:
    """'(only) the right lung' -> 'both lungs' for a paired organ named in the singular; None
    where the sentence says it otherwise too (unilateral, confined to, isolated)."""
    the = re.search(r"(?:\bonly\s+)?\bthe\s+$", text[: m.start], re.I)
    s, e = sentence_at(text, m.start)
    alone = re.search(
        r"\b(?:unilateral|one-sided|confined|isolated|solely|exclusively)\b", text[s:e], re.I
    )
    word = text[organ.start : organ.end]
    if not the or alone or not lx.ORGANS[organ.concept][2] or word.lower() != organ.concept:
        return None
    edits = [(the.start(), organ.end, styled("both " + plural(word), text[the.start() : m.end]))]
    verb = re.match(r"\s+(is|was)\b", text[organ.end :])  # the right lung is -> both lungs are
    if verb:
        edits.append((organ.end + verb.start(1), organ.end + verb.end(1), _MANY[verb.group(1)]))
    return edits


def _renumber(text: str, phrase: Phrase, now_plural: bool, swap: dict | None = None) -> list[Edit]:
    """Edits that make a finding's phrase plural or singular, its determiner and verb agreeing,
    and the modifiers starting at the keys of swap rewritten (bilateral -> left)."""
    swap, head = swap or {}, phrase.head
    parts = [swap.get(w.start, text[w.start : w.end]) for w in phrase.modifiers]
    word = text[head.start : head.end]
    parts.append(plural(word) if now_plural else singular(word))
    if parts[0][1:].islower():
        parts[0] = parts[0].lower()  # Bilateral effusions -> A left effusion
    mass = head.concept in lx.MASS_NOUNS and not now_plural
    det = determiner(text, phrase, now_plural, mass, parts[0])
    new = " ".join([det] * bool(det) + parts)
    new = new[:1].upper() + new[1:] if text[phrase.lead : phrase.lead + 1].isupper() else new
    return [(phrase.lead, head.end, new)] + verb_edit(text, phrase, now_plural)


def _one_of_both(text: str, m: Mention, side: str, only: bool | str) -> list[Edit] | None:
    """'both lungs' -> 'the left lung' (if only: 'the left lung only', or 'Only the left lung' where
    it opens its clause), its verb agreeing; a finding of which an organ holds one a side, said
    before it in its clause, becomes one (there are effusions on both sides -> there is an
    effusion on the left side), 'only' kept where only is 'always' (No, ... on the left only)."""
    noun = re.match(r"(both\s+)(\w+)", text[m.start :], re.I)
    even = _EVEN.search(text, *sentence_at(text, m.start))
    if not noun or singular(noun.group(2)) == noun.group(2) or even:
        return None  # scattered uniformly through both lungs: a spread no one lung holds
    end, one = m.start + noun.end(), f"the {side} {singular(noun.group(2))}"
    s, _ = clause(text, m.start)
    opens = not text[s : m.start].strip(" ,;:")
    if opens:
        edits = [(m.start, end, styled("only " + one if only else one, text[m.start]))]
    else:
        edits = [(m.start, end, one + " only" if only else one)]
    subject = re.match(r"\s+(are|were)\b", text[end:])
    if opens and subject:
        edits.append((end + subject.start(1), end + subject.end(1), _ONE[subject.group(1)]))
    before = [x for x in mentions(text) if s <= x.start < m.start and x.group == "finding"]
    for x in before[-1:]:
        if x.concept in lx.ONE_PER_SIDE and written_plural(text, x):
            edits += _renumber(text, noun_phrase(text, x), False)
            edits[0] = edits[0] if only == "always" or opens else (m.start, end, one)
    return edits if no_overlap(edits) else None


def swap_edits(text: str, m: Mention, concept: str, only: bool | str = True) -> list[Edit] | None:
    """The edits that write concept in m's place, in m's form and case (frontal -> parietal): a
    count with its noun and verb, a side with its finding's number (reside), an organ as named."""
    if m.group == "number" and "." in concept:
        return [(m.start, m.end, concept.removesuffix(".0"))]  # a size: 0.8 cm -> 1.6 cm
    if m.group == "number":
        return recount(text, m, int(concept))
    if m.group == "side":
        return reside(text, m, concept, plant=only)
    old = text[m.start : m.end]
    finding = next((x.concept for x in near(text, m, "finding") if x.start > m.start), "")
    new = written(Mention(m.group, concept, 0, len(concept)), concept, old, finding)
    if not new:
        return None
    new = ph.unrepeated(text, m.end, new)  # a magnetic resonance image
    if m.group == "organ" and old.lower() == m.concept.split()[0] != m.concept:
        new = concept.split()[0]
    elif m.group == "organ":  # in the head word old has where one form does: small -> large bowel
        forms = lx.ORGANS[concept][0]
        new = next((f for f in forms if " " in old and f.split()[-1] == old.split()[-1]), forms[0])
        before = re.match(r"\s+\S", text[m.end :])  # a bladder calculus -> a ureteral calculus
        attributive = before and any(x.start == m.end + before.end() - 1 for x in mentions(text))
        new = ph.adjective(old, m.concept, forms, bool(attributive)) or new  # right ventricular
    many = written_plural(text, m)
    if many and concept in lx.MASS_NOUNS and m.group == "finding":
        return None  # These are Howell-Jolly bodies: never 'basophilic stipplings'
    new = plural(new) if many and new[-1] != "s" else new  # psammoma bodies
    agents = ph.contrast_agents(text, concept) if m.group == "modality" else []
    if agents is None:
        return None
    plain = re.search(r"\bplain\s+$", text[: m.start], re.I) if m.group == "modality" else None
    if plain and concept != "X-ray":  # a plain radiograph -> a CT, never 'a plain CT'
        return [(plain.start(), m.end, styled(new, text[plain.start() : m.end]))] + agents
    opens = not text[: m.start].strip() or text[: m.start].rstrip()[-1] in ".!?:"
    if not opens and ph.proper_name(old):  # contains Langhans (Reed-Sternberg) -> foam cells
        old = old.lower()
    article = _article_dropped(text, m, concept)  # an acute infarct -> acute myocarditis
    places = _places(text, m, concept) if m.group == "organ" else []
    return [(m.start, m.end, styled(new, old))] + agents + article + places


def _places(text: str, m: Mention, concept: str) -> list[Edit]:
    """The edits that write the words placing by organ m in its sentence (its quadrant, its
    peri- adjective) as concept's (the spleen, in the left upper quadrant -> the liver, in the
    right upper quadrant; a perisplenic -> a perihepatic hematoma)."""
    olds, news = PLACE_WORDS.get(m.concept, ("", "")), PLACE_WORDS.get(concept, ("", ""))
    s, e = sentence_at(text, m.start)
    pairs = zip(olds, news, PLACE_ENDS, strict=True)
    pairs = [(old, new, a) for old, new, a in pairs if old and new and old != new]
    found = [(re.search(rf"\b{old}{a}", text[s:e], re.I), new) for old, new, a in pairs]
    return [(s + f.start(), s + f.end(), styled(new, f.group())) for f, new in found if f]


def _article_dropped(text: str, m: Mention, concept: str) -> list[Edit]:
    """The edit that drops a/an before finding m's phrase where the finding written in its place
    is a mass noun and m's was not (an acute infarct -> acute myocarditis)."""
    if m.group != "finding" or concept not in lx.MASS_NOUNS or m.concept in lx.MASS_NOUNS:
        return []
    det = noun_phrase(text, m).det
    if not det or text[det[0] : det[1]].lower() not in ("a", "an") or written_plural(text, m):
        return []
    gap = re.match(r"\s*", text[det[1] :]).end()
    return [(det[0], det[1] + gap, "")]
