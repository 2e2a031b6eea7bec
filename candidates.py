"""Planted errors: which values may replace a term of a right answer to make one real error.

The other side of a paired organ (or one side of both), a neighbouring organ of its body region
(or, for a finding with an organ of its own, another of its sites), a sibling finding of its
family, the other end of a size or severity scale, a count one off, another modality, plane or
sequence; never a term inside a negation or a hedge, nor one the clause names already.
swaps.swap_edits writes the chosen value in the term's place. Imports cues.py, imaging.py,
lexicon.py, claims.py, comparisons.py, edits.py, entities.py and swaps.py.
"""

from __future__ import annotations

import re

import cues
import imaging as im
import lexicon as lx
from claims import (
    Mention,
    clause,
    covers,
    cue_pattern,
    cues_in,
    family_of,
    hedged,
    mentions,
    near,
    noun_phrase,
    organ_of,
    owner,
    polarity,
    sentence_at,
    words,
)
from comparisons import COURSE_WORDS
from conflicts import named_behaviour
from entities import HOSTS, MULTINUCLEATED
from phrases import adjective, part_of, part_word, written_plural


def _neighbours(text: str, m: Mention, context: str) -> tuple[str, ...]:
    """The organs that may stand for organ m in a planted error: where a finding named in m's
    clause or in context (the question) lies instead, if it has an organ of its own (a kidney
    stone: the ureter), else m's neighbours in its body region; asked which organ it is, another
    main organ where its neighbours are only its parts (the brain -> the liver; not the
    cerebellum)."""
    named = [x.concept for x in near(text, m, "finding")]
    named += [x.concept for x in mentions(context) if x.group == "finding"]
    a, b = clause(text, m.start)
    if re.search(r"\bstones?\b", text[a:b] + " " + context, re.I):  # a stone: where stones lie
        stones = ("kidney stone", "gallstone")  # at the UVJ, a part of the ureter: its neighbours
        named += [f for f in stones if any(covers(o, m.concept) for o in lx.SITES[f])] or ["?"]
    neighbours = lx.NEIGHBOURS.get(m.concept, ())
    parts = [o for o in neighbours if covers(o, m.concept) or covers(m.concept, o)]
    asks = re.search(r"\b(?:which|what)\b[^?]*\borgans?\b", context, re.I)
    if asks and not named and neighbours and len(parts) == len(neighbours):  # the brain: parts
        others = (o for o in lx.MAIN_ORGANS if not covers(o, m.concept))
        return tuple(o for o in others if not covers(m.concept, o))
    for finding in named:
        if finding == "?":
            return ()  # a stone in the adrenal gland is no error a model makes
        sites = lx.SITES.get(finding, ())
        if m.concept not in sites and any(covers(o, m.concept) for o in sites):
            return neighbours  # a stone at the UVJ, a part of a site: at the UPJ
        if finding in lx.SITES:  # a drain's: none
            return tuple(o for o in sites if o != m.concept)
        megaly = finding in lx.ENLARGED_ORGAN.values()  # splenomegaly goes with its organ
        if organ_of(finding) is not None and not megaly:  # emphysema: another lobe of the lung
            return tuple(o for o in neighbours if covers(organ_of(finding), o))
    return neighbours


# What a bone's adjective names as one structure of that bone (a fibular plateau, a posterior
# femoral tendon: none such).
_BONE_NAMES = re.compile(
    r"\s+(?:condyles?|epicondyles?|plateaus?|malleol\w*|trochlea|tuberosity|tubercle|notch|"
    r"spines?|tendons?)\b",
    re.I,
)


def swap_candidates(text: str, m: Mention, context: str = "") -> list[str]:
    """The concepts that may replace m's to make one real error, never inside a negation nor
    one the clause names already (the liver and the spleen): the other side of a paired organ
    (or one side of both), a neighbouring organ, a sibling finding, the other end of a size or
    severity scale, a count one off, another modality, plane or sequence."""
    s, _ = clause(text, m.start)
    if cues_in(text[s : m.start], cues.PRE_NEGATIONS) or polarity(text, m) < 0 or hedged(text, m):
        return []
    if re.match(r"\s+signs?\b", text[m.end :], re.I):
        return []  # the cervix sign, the hilum overlay sign: a sign's name, not a place
    if m.group == "organ" and _BONE_NAMES.match(text, m.end):
        return []  # the posterior tibial tendon, the femoral condyle: one bone's structure
    if m.group == "side":
        found = _side_swaps(text, m)
    elif m.group in ("organ", "region"):
        found = _organ_swaps(text, m, context)
    else:
        found = _value_swaps(text, m, context)
    kin = {m.group} | ({"organ", "region"} if m.group in ("organ", "region") else set())
    named = {x.concept for x in near(text, m) if x.group in kin}  # 2 nuclei in a large cell: 3
    said = set(words(text[m.start : m.end]))  # pneumonic consolidation: no consolidation
    return [c for c in found if c not in named and not set(words(c)) < said]


def _organs_near(text: str, m: Mention) -> list[tuple]:
    """The lexicon entries of the organs of m's clause, or those its findings imply (pleura)."""
    organs = [lx.ORGANS[x.concept] for x in near(text, m, "organ")]
    implied = [organ_of(x.concept) for x in near(text, m, "finding")]  # an effusion: pleura
    return organs or [lx.ORGANS[o] for o in implied if o in lx.ORGANS]


def _side_swaps(text: str, m: Mention) -> list[str]:
    """Left <-> right where the organ is paired (or has a counterpart); one side of both."""
    if _restated(text, m) or _called_normal(text, m):
        return []  # a left effusion, restated as left in the impression
    s, e = sentence_at(text, m.start)
    if re.search(r"\bpatient'?s\b", text[s:e], re.I) and re.search(lx.IMAGE_SIDE, text[s:e], re.I):
        return []  # the patient's left kidney, on the right of the image: the two go together
    own = owner(text, m)
    linked = [x for x in mentions(text) if x.group == "side" and s <= x.start < e and x != m]
    organs = {o.start for o in mentions(text) if o.group == "organ"}
    if m.concept == "bilateral" and any(
        x.concept == "bilateral" and x.end + 1 in organs and x.start > m.start for x in linked
    ):
        return []  # bilateral opacities involving both lower lobes: one side would leave 'both'
    history = r"\b(?:prior|previous|remote|status\s+post|s/p)\s+$"  # prior left mastectomy
    past = [x for x in [m, *linked] if re.search(history, text[s : x.start], re.I)]
    done = {f.start for f in mentions(text) if f.group == "finding"}  # a named operation
    if linked and any(x.end + 1 in done for x in past):  # a left upper lobectomy goes with it
        return []  # clips in the left axilla, from a prior left mastectomy: the side is history's
    for x in (x for x in linked if owner(text, x) != own):
        if x.concept != m.concept or None not in (own, owner(text, x)):
            return []  # on the left, with shift to the right: two claims, not one
    if any(x.concept == lx.OPPOSITE_SIDE.get(m.concept) and x.end + 1 in organs for x in linked):
        return []  # the right sinus is opacified, while the left sinus is aerated: two claims
    # right-sided, blunting the right costophrenic angle: one side said twice, swapped as one
    placed = [w for w, side in lx.SIDED_WORDS.items() if side == m.concept]
    if any(re.search(rf"\b{w}\b", text[s:e], re.I) for w in placed):
        return []  # a retrocardiac opacity in the left lower lobe: only ever on the left
    found = [x for x in mentions(text) if s <= x.start < e and x.group == "finding"]
    fixed = [lx.ONE_SIDED.get(organ_of(x.concept)) for x in found]
    if m.concept in fixed and not re.match(r"\s+lobe\b", text[m.end :], re.I):
        return []  # in the right upper quadrant, likely a gallstone: the gallbladder's side
    if m.concept == "bilateral" and _both_said(text, m, s, e):
        return []  # both lungs hyperinflated, with flattening of the hemidiaphragms: both sides
    if m.concept == "bilateral" and re.search(COURSE_WORDS, text[s:e], re.I):
        return []  # bilateral edema has improved: so has the left alone
    if m.concept == "bilateral":
        return ["left", "right"]
    organs = _organs_near(text, m)
    mirrored = any(x.concept in lx.MIRRORS for x in near(text, m, "organ"))
    halves = (  # a side of one organ: the right hemisphere, lobe, paramedian pons, peripheral zone
        r"[\s-]+(?:side|(?:cerebral\s+|cerebellar\s+)?(?:hemisphere|convexity)|(?:\w+\s+)?lobe"
        r"|(?:(?:para)?median\s+|lateral\s+|dorsal\s+|ventral\s+)?(?:pons|medulla|midbrain)"
        r"|(?:peripheral|transition(?:al)?|central)\s+zone)\b"
    )
    side = re.match(halves, text[m.end :], re.I) or not organs or any(o[2] for o in organs)
    device = any(family_of(x.concept) == "device" for x in found)  # a pacemaker's side: kept
    side = side or text[m.start : m.end].lower().endswith("sided") and not device  # a subdural
    return [lx.OPPOSITE_SIDE[m.concept]] if side or mirrored else []


def _both_said(text: str, m: Mention, s: int, e: int) -> bool:
    """Whether sentence text[s:e] names, apart from side m's own organ, a paired organ in the
    plural (the hemidiaphragms): one side swapped in would leave it saying both."""
    organs = [x for x in mentions(text) if x.group == "organ" and s <= x.start < e]
    own = min(organs, key=lambda x: min(abs(x.start - m.end), abs(m.start - x.end)), default=None)
    paired = [x for x in organs if x.concept in lx.ORGANS and lx.ORGANS[x.concept][2]]
    return any(x != own and x.concept != own.concept and written_plural(text, x) for x in paired)


_NOT_ORGAN_SIDE = re.compile(rf"{lx.IMAGE_SIDE}|\s+(?:upper|lower)\s+quadrant\b", re.I)  # the RUQ


_REGION_HEAD = re.compile(rf"\s+(?:{lx.REGION_HEADS})\b", re.I)


def _organ_swaps(text: str, m: Mention, context: str) -> list[str]:
    """A neighbouring organ (_neighbours); a paired one where m has a side or is plural."""
    word = text[m.start : m.end].lower()
    if m.group == "region" and re.match(r"\s+of\s+(?:the\s+)?\w", text[m.end :]):
        return []  # the head of the pancreas: a part of an organ (plants._part_plants), no region
    if word == lx.REGION_ADJECTIVES.get(m.concept) and _REGION_HEAD.match(text, m.end):
        return [n for n in _neighbours(text, m, context) if n in lx.REGION_ADJECTIVES]
    name = m.concept.lower()  # L4-L5
    names = (name, name + "s", name.split()[0], name + " gland")
    nouns = [f.lower() for f in lx.ORGANS.get(m.concept, ((),))[0] if " " in f]  # large bowel
    nouns += [f for f in lx.REGIONS.get(m.concept, ()) if not f.endswith(_ADJECTIVE)]  # thorax
    named = word in names + tuple(nouns) or word.endswith(" " + m.concept)  # common bile duct
    fitting = set() if named else _adjectives(word, m)  # femoral: the neighbours with an adjective
    if not named and not fitting:
        return []  # an adjective form (renal) with no neighbour's adjective to fit its place
    if re.search(r"\b(?:above|below|beyond|at the level of)\s+(?:the\s+)?$", text[: m.start], re.I):
        return []  # a landmark (5 cm above the carina): another organ is no such error
    part = part_of(text, noun_phrase(text, m).lead)  # the right lobe of: goes with the organ
    part = part if part and part_word(part) not in lx.ORGAN_PARTS else None
    sides = [x for x in near(text, m, "side") if not _NOT_ORGAN_SIDE.match(text, x.end)]
    sides = [x for x in sides if not (part and part.start() <= x.start < m.start)]
    single = not (sides or written_plural(text, m))
    found = _neighbours(text, m, context)
    said = text[slice(*sentence_at(text, m.start))]
    parts = [  # the parts of m's organ its sentence names (the pancreatic head: no liver)
        p
        for p, has in lx.ORGAN_PARTS.items()
        if m.concept in has and re.search(rf"\b{p}s?\b", said, re.I) and not part
    ]
    found = tuple(n for n in found if all(n in lx.ORGAN_PARTS[p] for p in parts))
    if re.match(r"\s+(?:cancer|carcinoma)\b", text[m.end :], re.I):
        found = tuple(n for n in found if n not in lx.NO_CANCER_OF)
    if re.search(rf"\b{name.split()[0]}\s+horns?\b", said, re.I):
        found = tuple(n for n in found if n.split()[0] in _HORNS)  # the lobe's ventricular horn
    found = tuple(n for n in found if not re.search(lx.NOT_AT.get(n, "$^"), said, re.I))  # apex
    if re.search(r"\bstands\s+for\b|Reporting\s+and\s+Data\s+System", said, re.I):
        return []  # PI-RADS stands for Prostate Imaging ...: a name, no place of a finding
    if m.concept in _LONG_BONES and _BY_JOINT.search(said):
        return []  # the proximal tibia, just below the knee joint: no femur there
    forms = "|".join(f for f in lx.ORGANS.get(m.concept, ((),))[0] if " " not in f)
    if forms and re.search(rf"\b(?:intra|extra)-?(?:{forms})\b", said, re.I):
        return []  # intrahepatic, arising from the hepatic parenchyma: the prefix would stay
    found = found if named else tuple(n for n in found if n in fitting)
    return [n for n in found if n in lx.REGIONS or lx.ORGANS[n][2] or single]


_LONG_BONES = ("femur", "tibia", "fibula", "humerus", "radius", "ulna")
_BY_JOINT = re.compile(
    r"\b(?:above|below|near|at)\s+the\s+(?:knee|hip|elbow|shoulder|ankle|wrist)\b", re.I
)


def _adjectives(word: str, m: Mention) -> set[str]:
    """The organs whose adjective may stand for adjective word of organ m among its neighbours
    (a distal femoral lesion -> a distal tibial lesion)."""
    found = lx.NEIGHBOURS.get(m.concept, ())
    return {n for n in found if n in lx.ORGANS and adjective(word, m.concept, lx.ORGANS[n][0])}


_SHADE = re.compile(  # or a tissue's own: close to water attenuation, fat signal, -10 HU
    r"\b(?:bright|dark|black|white(?!\s+matter)|(?:water|fluid|fat|air|csf|blood|calcium)[- ]"
    r"(?:attenuation|density|signal|intensity)|HU|Hounsfield)\b",
    re.I,
)
_HORNS = ("frontal", "temporal", "occipital")  # a lateral ventricle's horns: no parietal horn
_ADJECTIVE = ("ic", "al", "ar", "ac")  # thoracic, cervical: a region's adjective, no noun


# Each one of a count described in turn: one toward the apex and one toward the base.
_ENUMERATED = r"\bone\b[^.;]*(?:\band|,)\s+(?:one|the\s+other|another)\b"
_RANGE = re.compile(r"\d\s*(?:to|-|–)\s*$")
_RANGE_END = re.compile(r"\s*(?:to|-|–)\s*\d")
_LIST_START = re.compile(r"[:,(]|\b(?:including|namely|such as)\b", re.I)
_COUNTED_PREFIX = (
    r"\b(?:uni|mono|bi|di|tri|quadri|tetra|penta|multi)-?(?:lob|nucle|later|cusp|furc)"
)

# Modifiers that describe the finding itself (classic RS cells, a fluid-attenuation cyst): they
# would stay to describe another in its place.
_OWN = {"word", "describing"}


def _counts_paired(text: str, m: Mention) -> bool:
    """Whether count m counts a paired organ or a finding in one (two kidneys, two rib
    fractures): not a finding its phrase places in no organ (two nodules in the left lung), nor
    what no term names (2 nuclei in a lymph node)."""
    if not any(o[2] for o in _organs_near(text, m)):
        return False
    after = [x for x in near(text, m) if x.start > m.end and x.group in ("finding", "organ")]
    head = noun_phrase(text, after[0]) if after else None
    if not head or not any(w.start == m.start for w in head.modifiers):
        return False
    return head.head.group == "organ" or bool(head.kinds("organ"))


def _pair(text: str, m: Mention) -> bool:
    """Whether m's sentence shows both of a pair (both acetabula, the kidneys), which no
    sagittal section does."""
    s, e = sentence_at(text, m.start)
    organs = [x for x in mentions(text) if s <= x.start < e and x.group == "organ"]
    paired = [x for x in organs if x.concept in lx.ORGANS and lx.ORGANS[x.concept][2]]
    both = re.search(r"\b(?:both|bilateral|acetabula)\b", text[s:e], re.I)
    return bool(both) or any(written_plural(text, x) for x in paired)


def _count_swaps(text: str, m: Mention) -> list[str]:
    """A count one off (two of a paired organ: one), a size halved or doubled (5 cm: 2 or 10 cm;
    3 mm: 1.5 or 6 mm); none where the sentence says the count twice or calls it normal."""
    said = text[slice(*sentence_at(text, m.start))]
    if re.search(_COUNTED_PREFIX, said, re.I) or re.search(_ENUMERATED, said, re.I):
        return []  # a bilobed nucleus, with two lobes: the count is said twice
    if _listed(text, m):
        return []  # three organs: the liver, the stomach and the spleen: the list counts them
    if _RANGE.search(text[: m.start]) or _RANGE_END.match(text, m.end):
        return []  # 3 to 7 days old: one end of a range moved is still much the same range
    if re.search(r"\bnormal\s+(?:range|limits)\b", said, re.I):
        return []  # a ratio of 3:1, within the normal range: 2:1 would be normal too
    unit = re.match(r"\s*-?(?:cm|mm|centimet|millimet)", text[m.end :], re.I)
    grown = re.search(r"\b(?:dilat|distend|enlarg|megal)\w*", said, re.I)  # half: normal?
    if "." in m.concept:  # 0.8 cm -> 0.4 or 1.6 cm; a ratio of 0.5 is no count
        sizes = [f"{v:.1f}" for v in (float(m.concept) / 2, float(m.concept) * 2)]
        return [] if not unit else sizes[1:] if grown else [v for v in sizes if v != "0.0"]
    n, paired = int(m.concept), _counts_paired(text, m)  # two kidneys: one; two nodules: 1, 3
    if unit and (n >= 4 or text[m.start].isdigit()):  # 3 cm -> 1.5 or 6 cm: 2 or 4 is within
        # measurement error; 'three centimeters', whose half no word writes, goes one off
        half = f"{n / 2:.1f}" if n < 4 and n % 2 else str(n // 2)  # 5 cm -> 2 cm, 3 mm -> 1.5
        return [str(2 * n)] if grown else [half, str(2 * n)]
    counts = ["1"] if n == 2 and paired else [str(k) for k in (n - 1, n + 1) if k]
    if text[m.start : m.end].upper() in lx.ROMAN:  # a type III curve: no type IV is sure to exist
        counts = [str(n - 1 or 2)]
    if n == 1 and re.search(r",\s+an?\s", text[m.end : sentence_at(text, m.start)[1]]):
        return []  # one gallstone, a large stone in the neck: the appositive says one
    if re.search(DRAWN_AFTER, said, re.I):  # two lesions, most likely simple cysts: plural
        return [k for k in counts if (int(k) > 1) == (n > 1)]
    most = _AT_MOST.match(text, m.end)  # four third molars at most: never five
    scale = r"\s*(?:(?:score|category)\s+)?$"  # PI-RADS 5, PI-RADS category 5
    top = next((n for s, n in _SCALES if re.search(s + scale, text[: m.start], re.I)), 0)
    return [k for k in counts if (not most or int(k) <= 4) and (not top or int(k) <= top)]


# Scores with a highest category (PI-RADS five: never six), as (cue before the number, highest).
_SCALES = [(r"\b(?:PI|LI|TI|O)-?RADS", 5), (r"\bLung-?RADS", 4), (r"\bBI-?RADS", 6),
           (r"\bTR", 5)]  # fmt: skip


_AT_MOST = re.compile(r"\s+(?:\w+\s+)?(?:third\s+molars|wisdom\s+teeth|quadrants|limbs)\b", re.I)


def _listed(text: str, m: Mention) -> bool:
    """Whether count m's sentence goes on to list short items, the last joined by 'and' or 'or'
    (two lungs, the right and the left; three organs: the liver, the stomach and the spleen)."""
    e = sentence_at(text, m.start)[1]
    start = _LIST_START.search(text, m.end, e)
    items = 0
    for part in text[start.end() : e].rstrip(".)").split(",") if start else []:
        joined = re.split(r"\b(?:and|or)\b", part)
        if not all(0 < len(w.split()) <= 4 for w in joined):
            return False  # the largest measuring 2 cm in segment 7: no list
        items += len(joined)
        if len(joined) > 1:
            return items > 1
    return False


# What is small by its nature: a larger degree planted beside it would leave it standing.
_SMALL_BY_NATURE = re.compile(
    r"\b(?:linear|plate-?like|discoid|subsegmental|band-?like|blunt\w*|trace)\b", re.I
)


def _degree_swaps(text: str, m: Mention) -> list[str]:
    """A size or severity step (small -> large, moderate -> mild or severe), unless the degree
    is measured, restated, a range, or of what is small by its nature."""
    if re.search(r"\d\s*(?:%|percent)", text[slice(*sentence_at(text, m.start))]):
        return []  # severe stenosis, with greater than 70% narrowing: the degree is measured
    if _restated(text, m):
        return []  # Small left effusion ... IMPRESSION: Small left effusion: both or none
    if re.match(r"\s+to\s", text[m.end :]) or re.search(r"\sto\s+$", text[: m.start]):
        return []  # moderately to severely enlarged: a range, not one degree
    if re.match(r"\s+(?:free\s+)?fluid\b", text[m.end :], re.I):
        return []  # moderate free fluid: 'large free fluid' is no report's wording
    if re.match(r"\s*\(\s*(?:grade|stage)\b", text[m.end :], re.I):
        return []  # moderate (grade 2) steatosis: the grade in brackets would stay
    if m.concept == "1" and _SMALL_BY_NATURE.search(text, *sentence_at(text, m.start)):
        return []  # mild linear atelectasis; a small effusion blunting the angle: no more
    return {"1": ["3"], "3": ["1"], "2": ["1", "3"]}.get(m.concept, [])


_NAMED_AGAIN = re.compile(r"[\s-]+(?:STIR|FLAIR|SPAIR|Dixon|fat[\s-]?s\w+)\b", re.I)


def _value_swaps(text: str, m: Mention, context: str = "") -> list[str]:
    """A count one off (two of a paired organ: one; a size of 4 or more halved or doubled, 5 cm: 2
    or 10 cm), a size or severity step, another modality, plane or sequence, a sibling finding of a
    family (a noun, not 'necrotic')."""
    summed = re.search(r"\d\s*\+\s*\d", text[slice(*sentence_at(text, m.start))])
    if m.group == "number" and summed:
        return []  # a Gleason score of seven (4 + 3): its sum would stay
    if m.group == "number" and re.fullmatch(r"\d+(?:\.\d+)?", m.concept) and float(m.concept):
        return _count_swaps(text, m)
    if m.group == "degree":
        return _degree_swaps(text, m)
    if m.group == "modality" and near(text, m, "sequence"):
        return []  # a T2-weighted MRI: no other modality has its sequences
    if m.group == "sequence" and re.search(r"\b(?:at|to|above|below|of)\s+$", text[: m.start]):
        return []  # a tube's tip at T2: a vertebral level, not a weighting
    if m.group == "sequence" and _NAMED_AGAIN.match(text, m.end):
        return []  # T2-weighted STIR: the sequence's own name would stay
    if m.group in ("modality", "sequence"):
        table = im.PLANT_MODALITY if m.group == "modality" else im.PLANT_SEQUENCE
        return [table[m.concept]] if m.concept in table else []
    if m.group == "plane" and re.search(r"\b(?:lie|presentation)\s+(?:is\s+)?$", text[: m.start]):
        return []  # the fetal lie is transverse: no plane
    if m.group == "plane":
        return [p for p in im.PLANES if p != m.concept and not (p == "sagittal" and _pair(text, m))]
    if m.group == "view":
        return [im.PLANT_VIEW[m.concept]] if m.concept in im.PLANT_VIEW else []
    if m.group == "look":
        said = text[slice(*sentence_at(text, m.start))]  # bright, meaning high signal: both
        return [] if _SHADE.search(said) else [im.PLANT_LOOK[m.concept]]
    if m.group == "behaviour" and not named_behaviour(text, m):
        return [b for b in lx.BEHAVIOURS if b != m.concept]
    written = text[m.start : m.end]
    family = family_of(m.concept)
    named = " " in written and family != "stain"  # Crohn disease; no 'Congo red'
    noun = (
        written.isupper()  # CML: an abbreviation names
        or named
        or re.search(
            r"(ion|ia|is|ax|le|ss|st|ma|um|(?<!ll)y|ie|te|il|ll|id|or|our|ain|(?<!o)us|ct|ans)s?$",
            written.lower(),
        )
    )
    said = {w.kind for w in noun_phrase(text, m).modifiers}
    if m.group == "finding" and family not in (None, "device") and noun and not said & _OWN:
        where = text[slice(*clause(text, m.start))]
        siblings = [f for f, v in lx.FINDINGS.items() if v[2] == family and f != m.concept]
        placed = _organs_named(text, m) | _organs_named(context, m)
        hosts = {x.concept for x in mentions(text) + mentions(context) if x != m}
        return [
            f
            for f in siblings
            if not re.search(lx.NOT_AT.get(f, "$^"), where, re.I)
            and (not placed or any(covers(lx.FINDINGS[f][1] or o, o) for o in placed))
            and _same_host(f, m, hosts)
            and (f in MULTINUCLEATED or not _asks_multinucleated(text, m, context))
        ]
    return []


# A diagnosis drawn after a count (two lesions, most likely simple cysts) keeps its number.
DRAWN_AFTER = rf",\s*{cue_pattern(cues.DRAWN_CUES)}"


def _restated(text: str, m: Mention) -> bool:
    """Whether another sentence gives m's finding the same side, size or severity (a report's
    impression restating its small left effusion): one changed alone would contradict the
    other."""
    s, e = sentence_at(text, m.start)
    said = _said_of(text, m)
    return bool(said) and any(
        x.group == m.group
        and x.concept == m.concept
        and not s <= x.start < e
        and _said_of(text, x) & said
        for x in mentions(text)
    )


def _called_normal(text: str, m: Mention) -> bool:
    """Whether another sentence calls the other side's organ of m's finding normal (a left
    basilar atelectasis; The right lung is clear): the swap would contradict it."""
    own, other = owner(text, m), lx.OPPOSITE_SIDE.get(m.concept)
    s, e = sentence_at(text, m.start)
    organ = organ_of(own.concept) if own else None
    return bool(organ) and any(
        x.group == "normality"
        and not s <= x.start < e
        and other in {w.concept for w in near(text, x, "side")}
        and any(covers(o.concept, organ) for o in near(text, x, "organ"))
        for x in mentions(text)
    )


def _said_of(text: str, m: Mention) -> set[str]:
    """What side, size or severity m is said of: its finding and the finding's organ (or, for
    a finding of no organ, the organs of its clause), and the organ right after it (the left
    lower lobe opacity; IMPRESSION: left lower lobe pneumonia)."""
    own = owner(text, m)
    after = [x.concept for x in mentions(text) if x.group == "organ" and x.start == m.end + 1]
    organ = organ_of(own.concept) if own else None
    if organ is None:  # the heart is mildly enlarged: said of the heart (mild cardiomegaly)
        after += [x.concept for x in near(text, m, "organ")]
    return {own.concept, organ} - {None} | set(after) if own else set(after)


def _same_host(sibling: str, m: Mention, named: set[str]) -> bool:
    """Whether sibling may lie in the host cell named for m (Mallory bodies in hepatocytes:
    Councilman bodies, not Russell bodies of plasma cells); any where none is named."""
    host = set(HOSTS.get(m.concept, ())) & named
    return not host or bool(host & set(HOSTS.get(sibling, ())))


def _asks_multinucleated(text: str, m: Mention, context: str) -> bool:
    """Whether m is a multinucleated cell the text or question calls multinucleated or giant
    (What are the multinucleated cells? Langhans giant cells: never koilocytes)."""
    told = context + " " + text[: m.start] + " " + text[m.end :]
    return m.concept in MULTINUCLEATED and bool(
        re.search(r"multinucleat|binucleat|\bgiant\b", told, re.I)
    )


def _organs_named(text: str, m: Mention) -> set[str]:
    """The organs text names, or its cells imply (hepatocytes: the liver), besides m: a sibling
    of another organ would not lie there (no Call-Exner bodies in hepatocytes)."""
    found = mentions(text)
    organs = {x.concept for x in found if x.group == "organ"}
    cells = {x.concept for x in found if family_of(x.concept) == "cell" and x != m}
    return organs | {organ_of(c) for c in cells} - {None}


def said_elsewhere(text: str, edits: list) -> bool:
    """Whether edits write in an organ that text names where they do not touch (the heart ->
    the lung is abnormal, while both lungs are clear: the lungs were the other option)."""
    new = {m.concept for _, _, t in edits for m in mentions(t) if m.group == "organ"}
    kept = [m for m in mentions(text) if not any(a <= m.start < max(b, a + 1) for a, b, _ in edits)]
    return any(m.group == "organ" and m.concept in new for m in kept)
