"""Edits that turn a claim over: a finding denied or asserted with the words linked to it (there
is a -> there is no, is not seen -> is seen, normal -> abnormal, a leading yes -> no).

An edit is (start, end, new text) on the answer; apply_edits writes them. A denial changes the
cue that governs the finding's noun phrase (claims.noun_phrase), or gives the phrase 'no' for its
determiner, and drops what would no longer hold (its size, count; in a correction what described
it). Where no cue governs the finding, or the edit would leave a linked finding behind, the
functions give None: a skip, never a wrong edit. Imports lexicon.py, claims.py, kinds.py and
phrases.py.
"""

from __future__ import annotations

import re

import cues
import lexicon as lx
from claims import (
    LEAD,
    Mention,
    clause,
    concept_of,
    covers,
    cue_pattern,
    hedge_spans,
    is_verb,
    lead_answer,
    mentions,
    near,
    normal_value,
    noun_phrase,
    organ_of,
    polarity,
    sentence_at,
    trigger,
    words,
)
from kinds import KIND_WORDS
from phrases import (
    AMOUNT,
    Edit,
    amount_before,
    article_for,
    case_within,
    delete,
    np_article,
    np_start,
    only_dropped,
    plural,
    plural_lead,
    proper_name,
    starts_sentence,
    styled,
    unglossed,
    written_plural,
)

POST_VERB = re.compile(r"\s+(is|are|was|were)\s+(" + "|".join(cues.POST_VERBS) + r")\b", re.I)
_NOUNS_THEN_VERB = re.compile(r"(?:\s+[a-z][\w-]*){1,3}?" + POST_VERB.pattern, re.I)
ASSERT = [(re.compile(p, re.I), r, bare) for p, r, bare in cues.ASSERT_CUES]
FEATURES = r",?\s+(with|showing|consisting of|containing)\s"  # adenocarcinoma with glands
# A diagnosis appended to a finding (X, consistent with Y; X, suggestive of Y): Y is said of X.
APPENDIX = re.compile(
    rf",?\s+(?:{cue_pattern(cues.DRAWN_CUES)}|which\s+(?:may|likely)\s+represents?)\s", re.I
)
RESTATED = re.compile(r"(?<!\bis )(?<!\bare )\b(consistent|compatible)\s+with\s+$", re.I)
# A side or direction said after a finding (shift to the left, an effusion on the right side,
# dislocated posteriorly): a denial in a plant drops it, since 'no shift to the left' or 'not
# dislocated posteriorly' would stay true of the other way.
_WAY = r"(?:anterior|posterior|medial|lateral|superior|inferior|dorsal|volar|palmar|plantar)ly"
DIRECTION = re.compile(
    r"\s+(?:(?:(?:to|toward|towards)\s+the|on\s+the)\s+(?:left|right)(?:\s+side)?"
    rf"|{_WAY}(?:\s+and\s+{_WAY})?)\b",
    re.I,
)
_QUANTITY = set(cues.DETERMINERS) | set(cues.PLURAL_DETERMINERS) | {"the", "any"}
_GAP = _QUANTITY | set(cues.PARTITIVES) | {"of"} | {w for f in lx.DEGREES.values() for w in f}
_GAP |= {"surrounding", "adjacent", "associated"}  # with surrounding free fluid


def apply_edits(text: str, edits: list[Edit]) -> str:
    """text with each text[s:e] replaced by new; an article in front of a replaced word is made
    to agree with it (a CT -> an MRI); a gloss in brackets that now restates its term goes."""
    edits = unglossed(text, sorted(set(edits)))
    for s, _, new in list(edits):
        m = re.search(r"\b(an?)\s+$", text[:s], re.IGNORECASE)
        taken = m and any(a < m.end() and m.start(1) < b for a, b, _ in edits)  # denied already
        if m and not taken and new.strip() and m.group(1).lower() != article_for(new):
            edits.append((m.start(1), m.end(1), styled(article_for(new), m.group(1))))
    ends = {e for _, e, _ in edits}  # NEC. -> Pyloric stenosis.; no -> No degenerative changes
    for s, e, new in sorted(set(edits), reverse=True):
        text = text[:s] + case_within(text, s, new, s not in ends) + text[e:]
    return re.sub(r"(?<=\S)  +", " ", text)


def no_overlap(edits: list[Edit]) -> bool:
    """Whether no two edits touch the same characters."""
    spans = sorted({(s, e) for s, e, _ in edits})
    return all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


def but_to_and(text: str, s: int, e: int | None = None) -> list[Edit]:
    """A clause (from s to e) that turns over beside 'but' (although, whereas; '; however,'
    after it) now agrees with the other one: -> 'and' (X, but there is no Y -> X, and there is
    Y; X, but no Y -> X and a Y; there is no X, although there is Y -> there is X, and there is
    Y; no X; however, there is Y -> X, and there is Y)."""
    before = re.search(rf"\b({_BUT}|however,)\s+$", text[:s], re.I)
    own = re.match(rf"({_BUT}|however,)\s", text[s:], re.I)
    after = re.match(rf"\s*({_BUT}|however,)\s", text[e:], re.I) if e is not None else None
    found = (s, own) if own else (before.start(1), before) if before else None
    found = found or ((e + after.start(1), after) if after else None)
    if found is None:
        return []
    at, word = found[0], found[1].group(1)
    start, end = sentence_at(text, at)
    if at == start:
        return []  # Although there is no X, ...: no 'and' opens a sentence
    if word.lower() == "however,":
        semi = re.search(r"[;,]\s*$", text[:at])  # not after a period: two sentences
        return [(semi.start(), at + len(word), ", and")] if semi else []
    rest = text[at + len(word) : end].lstrip()
    if rest[:8].lower() == "without ":
        return [(at, at + len(word) + 1, "")]  # X, but without Y -> X, with Y
    if rest[:3].lower() == "no " and not re.search(r"\b(?:is|are|was|were)\b", rest, re.I):
        comma = re.search(r",?\s*$", text[:at])  # a bare phrase (no Y, not 'no Y is seen')
        if any(start <= a < at for a, _ in hedge_spans(text)):  # concerning for pneumonia, but
            return [(comma.start(), at + len(word), ". There is also")]  # no Y: Y is no hedge's
        return [(comma.start(), at + len(word), " and")]
    return [(at, at + len(word), styled("and", word))]


_BUT = r"but|although|though|whereas"
_COUNTED = r"\s+(sign|focus|area|region|suggestion)\s+of\b"  # count nouns before 'of'


def _governing_cue(text: str, s: int, lead: int, copula: bool) -> tuple[re.Match, str] | None:
    """The last assertion cue of the clause (from s) that governs the phrase starting at lead:
    only determiners, sizes and partitives (areas of) between them (not 'with flattening of the
    hemidiaphragms, consistent with COPD'); a bare copula only if copula; none of a course."""
    found = []
    for regex, repl, bare in ASSERT if not re.match(cues.COURSE_VERB, text[lead:], re.I) else ():
        for c in regex.finditer(text, s, lead):
            gap = text[c.end() : lead]
            if (copula or not bare) and re.fullmatch(r"[\w\s-]*", gap):
                found += [(c, repl)] if set(words(gap)) <= _GAP else []
    return max(found, key=lambda f: (f[0].end(), -f[0].start()), default=None)


def _post_verb_after_tail(text: str, m: Mention) -> re.Match | None:
    """'is present' after m and a tail that says where (fatty change of the liver is present)."""
    tail = re.match(r"\s+(?:of|in|within|involving)\s+(?:the\s+)?[\w\s-]{1,40}?(?=\s+(?:is|are)\s)",
                    text[m.end :], re.I)  # fmt: skip
    if not tail or set(words(tail.group())) & cues.VERBS_AND_PREPOSITIONS - {"of", "in", "the"}:
        return None
    return POST_VERB.match(text, m.end + tail.end())


def _telegraphic(text: str, m: Mention) -> bool:
    """Whether m's clause has no verb after m (Focal airspace disease in the left lower lobe.)."""
    _, e = clause(text, m.start)
    after = words(text[m.end : e])
    return not any(w in cues.POST_VERBS + cues.VERBS + cues.ACTION_VERBS for w in after)


def _negation(
    text: str, m: Mention, copula: bool, plant: bool = False
) -> tuple[list[Edit], int] | None:
    """The edits that put a negation before m's phrase, and where the phrase now starts: 'no' for
    the determiner of a phrase that opens its clause (No left effusion is seen; No fatty change of
    the liver is present), else the governing cue turned (there is a -> there is no; is -> is not;
    the heart is enlarged, consistent with -> without cardiomegaly), else 'is not seen'."""
    s, _ = clause(text, m.start)
    phrase = noun_phrase(text, m)
    lead, p = phrase.lead, np_start(text, m)
    post, det = POST_VERB.match(text, m.end) or _post_verb_after_tail(text, m), phrase.det
    answered = re.fullmatch(r"\s*(?:yes|no)\s*,\s*", text[sentence_at(text, lead)[0] : lead], re.I)
    opens = p == lead and (post or _telegraphic(text, m)) and text[lead : lead + 3].lower() != "no "
    present = post and post.group(2).lower() == "present" and not plant and not phrase.modifiers
    if opens and not (answered and present and copula):  # No, Aschoff bodies are not present.
        no = "No " if starts_sentence(text, lead) else "no "
        return [(lead, phrase.start, no) if det else (lead, lead, no)], lead
    amount = amount_before(text, s, lead)
    if amount is not None and post:  # a small amount of free fluid is seen -> no free fluid
        no = "No " if starts_sentence(text, amount) else "no "
        return [(amount, lead, no)], lead
    restated = RESTATED.search(text, s, lead)
    said = [x for x in mentions(text) if x.group == "finding" and x.end <= lead]
    again = said and restated and concept_of(text, said[-1]) == concept_of(text, m)
    if again and restated.end() == lead and plant:  # not enlarged, without cardiomegaly: twice
        comma = re.search(r",?\s*$", text[: restated.start()])
        return [(comma.start(), m.end, "")], -1  # the restated diagnosis goes
    if again and restated.end() == lead:  # enlarged, consistent with cardiomegaly
        return [(restated.start(), restated.end(), "without ")], restated.end()
    cue = _governing_cue(text, s, lead, copula)
    if cue:
        c, repl = cue
        edits = [(c.start(), c.end(), c.expand(repl))]
        first = re.match(r"(\w+)\s+", text[c.end() :])  # there is a (large area of) edema
        article = first.group(1).lower() if first else ""
        kept = repl == "without " and article in ("a", "an")  # without a focal lesion
        amount = AMOUNT.match(text, c.end())  # there is a small amount of -> there is no
        if amount and amount.end() == lead and "not" not in repl:
            edits.append((c.end(), lead, ""))
        elif article in _QUANTITY and "not" not in repl and not kept:
            edits.append((c.end(), c.end() + first.end(), ""))
        return edits, c.end()
    if post and copula:
        return [(post.start(), post.end(), f" {post.group(1)} not {post.group(2)}")], -1
    joined = re.search(r"\b(and)\s+$", text[:lead])  # Cardiomegaly and small effusion.
    begin, end = sentence_at(text, m.start)
    listed = not any(w in cues.VERBS or is_verb(w) for w in words(text[begin:end]))  # no verb
    if joined and listed and det is None and joined.start() >= begin:
        first_denied = re.match(r"\s*(?:[A-Z]+:\s*)?No\b", text[begin : joined.start()], re.I)
        return [(joined.start(1), joined.end(1), "or" if first_denied else "and no")], lead
    return None


def _gone(text: str, m: Mention, said_no: bool, plant: bool, sides: frozenset) -> list[Edit]:
    """The words of a denied phrase that no longer hold: its size and count; 'bilateral' (in a
    correction, any side not in sides); after 'no' when it was (no stable thickening), and what
    described it or how it looked (no parapneumonic effusion; an expert reads 'no hyperintense
    mass' as a denial written for the edit, not by a model). A side before an organ says
    where, and stays (no right middle lobe opacity), except for a finding one per side, whose
    place goes with its side in a correction (no right apical pneumothorax: no pneumothorax)."""
    phrase = noun_phrase(text, m)
    mods = phrase.modifiers
    loose = plant or not said_no
    located = {a.start for a, b in zip(mods, mods[1:], strict=False) if b.kind == "organ"}
    gone = phrase.kinds("degree", "number")
    if m.concept in lx.ONE_PER_SIDE and not loose:  # no right apical pneumothorax: no pneumothorax
        located, gone = set(), gone + phrase.kinds("organ", "position")
    own = [w for w in phrase.kinds("side") if w.start not in located]
    gone += [w for w in own if w.concept == "bilateral" or not (loose or w.concept in sides)]
    gone += phrase.kinds("temporal") if said_no else []
    looks = [w for w in phrase.kinds("describing", "look") if _word(text, w) not in _KIND_WORDS]
    looks += [w for w in phrase.kinds("word") if _word(text, w) in cues.EXTENT_WORDS]
    gone += (
        looks if said_no else []
    )  # no hyperintense mass: no mass; a kind stays (no fat necrosis)
    return [delete(text, w.start, _with_unit(text, w.end)) for w in gone]


_KIND_WORDS = KIND_WORDS | set(lx.KIND_SYNONYMS)


def _word(text: str, w) -> str:
    """The lowercase text of modifier w."""
    return text[w.start : w.end].lower()


def _article_gone(text: str, m: Mention, gone: list[Edit], edits: list[Edit]) -> list[Edit]:
    """The article before words gone from a mass noun's phrase, unless an edit takes it already
    (without a patchy consolidation -> without consolidation)."""
    if not gone or np_article(text, m, m.start):
        return []
    article = re.search(r"\b(an?)\s+$", text[: min(g[0] for g in gone)], re.I)
    if not article or any(a < article.end() and article.start(1) < b for a, b, _ in edits):
        return []
    return [delete(text, article.start(1), article.end(1))]


def _with_unit(text: str, end: int) -> int:
    """Where a size ends: after its unit (a 2 cm nodule: no nodule, not 'no cm nodule')."""
    unit = re.match(r"\s*(?:cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?)\b", text[end:], re.I)
    return end + unit.end() if unit else end


# A clause that describes a finding or says what it caused (, which may be benign; , causing).
_DESCRIBES = (
    r",\s*(?:which|containing|showing|forming|causing|resulting\s+in|leading\s+to|producing)\b"
)
# How an asserted finding looks, said right after it (enlarged with a nodular contour).
_SHAPE_AFTER = (
    r"\s+with\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}(?:contours?|margins?|borders?|outline|shape|"
    r"configuration|morphology|texture|walls?|rim)\b"
)


def deny(
    text: str, m: Mention, copula: bool = True, plant: bool = False, sides: frozenset = frozenset()
) -> list[Edit] | None:
    """Edits that make text deny m (_negation), the phrase losing what no longer holds (_gone)
    and a 'but' before it turned to 'and'. None where a finding said with m would stay behind
    (no effusion with adjacent atelectasis) or no cue governs m."""
    if m.group == "normality":  # the liver is normal, but ... -> abnormal, and ...
        turned = deny_normal(text, m, plant=plant)
        return turned and turned + but_to_and(text, *clause(text, m.start))
    if re.match(FEATURES, text[m.end :]) and any(x.start > m.end for x in near(text, m, "finding")):
        return None  # no effusion with adjacent atelectasis: a finding said with it would stay
    end = sentence_at(text, m.start)[1]
    if re.search(_DESCRIBES, text[m.end : end], re.I):
        return None  # no mass, which may be benign; no thrombosis, causing ischemia: it would stay
    if re.match(_SHAPE_AFTER, text[m.end : end], re.I):
        return None  # not enlarged with a nodular contour: the contour would describe it still
    appended = APPENDIX.search(text, m.end, end)
    later = [x for x in mentions(text) if appended and appended.end() <= x.start < end]
    later = [x for x in later if x.group == "finding"]
    dropped = []
    unread = appended is not None and not later and re.search(r"\w", text[appended.end() : end])
    drawn = bool(later) and later[0].concept != concept_of(text, m) or bool(unread)
    if plant and (drawn or not later and re.search(cues.SEEN_IN, text[m.end : end], re.I)):
        return None  # no mass, suggestive of carcinoma; no tangles, as seen in Alzheimer's
    if drawn:
        body = appended.start() + len(text[appended.start() : end].rstrip(" .;"))
        dropped = [(appended.start(), body, "")]  # a correction drops the diagnosis of nothing
    negation = _negation(text, m, copula, plant)
    if negation is None:
        return None
    edits, start = negation
    edits += dropped
    if start < 0:
        return but_to_and(text, *clause(text, m.start)) + edits
    gone = _gone(text, m, "not " not in edits[0][2], plant, sides)
    gone += _article_gone(text, m, gone, edits)
    phrase = noun_phrase(text, m)
    first = re.compile(r"\S+").match(text, phrase.start)  # No opens the phrase: Small -> No small
    lower = first.group()[1:].islower() and first.start() not in {e[0] for e in gone}
    lower = lower and not proper_name(first.group()) and starts_sentence(text, first.start())
    if start == phrase.lead and lower and text[start : start + 1].isupper():
        edits.append((first.start(), first.start() + 1, first.group()[0].lower()))
    edits += but_to_and(text, *clause(text, m.start)) + gone
    contrast = contrast_to_and(text, m) if plant else []  # a correction keeps its fewest words
    edits += [c for c in contrast if no_overlap([*edits, c])]  # unless 'but' is turned already
    without = re.match(r"\s+(without)\s", text[m.end :], re.I)
    if without and edits[0][2].strip().lower() == "no":  # No cardiomegaly without effusion
        edits.append((m.end + without.start(1), m.end + without.end(1), "or"))
    both = re.match(r"[^,.;:]*?\b(both)\b(?!\s+sides\b)", text[m.end :], re.I)
    if both and re.search(r"\bno\s*$", edits[0][2], re.I):  # no changes of the (not both) knees
        edits.append((m.end + both.start(1), m.end + both.end(1), styled("the", both.group(1))))
    direction = DIRECTION.match(text, m.end) if plant else None
    edits += [(direction.start(), direction.end(), "")] if direction else []
    return edits if no_overlap(edits) else None


_CONTRAST = re.compile(
    r"\b(but|though|although|however)\b(?=,?\s+(?:there\s+(?:is|are)\s+)?(?:no|not)\b)", re.I
)


def contrast_to_and(text: str, m: Mention) -> list[Edit]:
    """A contrast after a claim now denied, before a denial, joins two denials: 'and' (there is
    an effusion, but no pneumothorax is seen -> there is no effusion, and no pneumothorax ...)."""
    c = _CONTRAST.search(text, m.end, sentence_at(text, m.start)[1])
    return [(c.start(1), c.end(1), styled("and", c.group(1)))] if c else []


_BORDERLINE = re.compile(
    r"\b(?:at\s+the\s+)?(?:upper|high|top)\s+(?:limits?|end|range)\s+of\s+$", re.I
)
_COPULA = re.compile(r"\b(?:is|are|was|were)\s+$", re.I)


_NARROWED = re.compile(r"\b(?:narrow\w*|stenos[ie]s|stenotic|coarctation|strictur\w*)", re.I)
_SOLID = re.compile(r"\b(?:nerves?|cord|tendons?|ligaments?|muscles?)\b", re.I)
_SCALE = r"\s+(?:in|for)\s+(size|caliber|calibre)\b(?:\s+and\s+contour\b)?(?!\s+and\b)"


def deny_normal(
    text: str, m: Mention, organ_word: str = "", plant: bool = False
) -> list[Edit] | None:
    """normal <-> abnormal (is within normal limits -> is not within normal limits); organ_word
    (enlarged, widened) takes the normal phrase's place instead. A plant says what is wrong where
    that is all the phrase says: normal in size -> enlarged, in caliber -> dilated (a correction
    too, where no narrowing is spoken of: never 'abnormal in caliber'); the mediastinal contours
    are normal -> widened, the heart -> enlarged (lexicon.ABNORMAL_WORDS)."""
    old = " ".join(text[m.start : m.end].lower().split())
    if plant and not organ_word and old == "normal":
        said = {x.concept for x in near(text, m, "organ")} & set(lx.ABNORMAL_WORDS)
        organ_word = lx.ABNORMAL_WORDS[said.pop()] if len(said) == 1 else ""
    new = organ_word if organ_word and m.concept == "normal" else cues.NORMAL_SWAPS.get(old)
    if old == "within normal limits" and not _COPULA.search(text, 0, m.start) and not organ_word:
        new = "abnormal"  # is not within normal limits; appears abnormal, never 'appears not'
    border = _BORDERLINE.search(text, 0, m.start) if old == "normal" else None
    if border and new:  # at the upper limits of normal -> enlarged (a plant: borderline, none)
        said = text[border.start() : m.end]
        return None if plant else [(border.start(), m.end, styled(new, said))]
    of = re.search(r"\bof\s+$", text[: m.start]) if old == "normal" else None  # of normal caliber
    size = of and re.match(r"\s+(size|caliber|calibre)\b", text[m.end :], re.I)
    narrowed = _NARROWED.search(text, *sentence_at(text, m.start))  # a coarctation's aorta
    if size and not plant and (size.group(1).lower() == "size" or narrowed):
        return None  # a correction cannot tell enlarged from small, nor dilated from narrowed
    solid = _SOLID.search(text, *sentence_at(text, m.start))  # a nerve is enlarged, not dilated
    if size:
        new = "enlarged" if size.group(1).lower() == "size" or solid else "dilated"
        return [(of.start(), m.end + size.end(), new)]
    scale = re.match(_SCALE, text[m.end :], re.I)  # within normal limits for size and contour
    caliber = scale and scale.group(1).lower() != "size"  # never 'abnormal in caliber': dilated
    if scale and old in ("normal", "within normal limits") and (plant or organ_word or caliber):
        new = organ_word or ("enlarged" if scale.group(1).lower() == "size" or solid else "dilated")
        return [(m.start, m.end + scale.end(), styled(new, text[m.start : m.end]))]
    return [(m.start, m.end, styled(new, text[m.start : m.end]))] if new else None


def with_words(
    text: str, m: Mention, edits: list[Edit], told: str, many: bool = False
) -> list[Edit] | None:
    """edits, which assert m (affirm's), with the words told (a size and side) written before
    m's phrase, its article agreeing (No pneumothorax. -> Small right pneumothorax.; there is no
    effusion -> there is a small left effusion); its noun plural where many (without effusion ->
    with small bilateral effusions). None where they cannot be written in agreement."""
    start = noun_phrase(text, m).start
    age = re.match(rf"(?:(?:{'|'.join(lx.TEMPORAL_WORDS)})\s+)+", text[start : m.start], re.I)
    start += age.end() if age else 0  # no new opacity -> a new left opacity
    word = text[m.start : m.end].split()
    noun = [(m.start, m.end, " ".join([*word[:-1], plural(word[-1])]))]
    noun = noun if many and not written_plural(text, m) else []
    covering = [(a, b, t) for a, b, t in edits if a < start < b]  # m put first in a list
    if covering:
        a, b, t = covering[0]
        said = re.match(rf"(?:an?\s+)?{re.escape(text[start : m.end])}\b", t, re.I)
        if not said or noun:
            return None
        first = f"{article_for(told)} {told} {text[start : m.end]}"
        return [e for e in edits if e != covering[0]] + [(a, b, first + t[said.end() :])]
    opener = [(a, b) for a, b, t in edits if re.fullmatch(r"there (?:is|are)(?: an?)?", t, re.I)]
    if opener:  # No pneumothorax. -> Small right pneumothorax.
        rest = [e for e in edits if (e[0], e[1]) != opener[0]]
        return rest + noun + [(*opener[0], styled(told, "X"))]
    article = re.compile(r"(?<![\w-])(an?)$", re.I)
    lead = [(a, b, t) for a, b, t in edits if b <= start and article.search(t)]
    if noun and lead:  # No effusion is seen. -> Small bilateral effusions are seen.
        return plural_lead(text, m, start, lead, told, [e for e in edits if e not in lead] + noun)
    agreed = article_for(age.group() if age else told)  # a small, an ..., an acute
    out = [
        (a, b, article.sub(lambda x: styled(agreed, x[1]), t) if b <= start else t)
        for a, b, t in edits
    ]
    return out + noun + [(start, start, told + " ")]


UNIFORM = re.compile(
    r"\b(?:homogeneous(?:ly)?|uniform(?:ly)?|purely|entirely|"
    r"normally\s+(?:seated|aligned|located|positioned))\b",
    re.I,
)  # the humeral head is normally seated in the glenoid without dislocation


def affirm(text: str, m: Mention, together: frozenset = frozenset()) -> list[Edit] | None:
    """Edits that make text assert m, denied today (there is no -> there is a; no X is seen ->
    a X is seen; is not -> is; but no -> and a; without -> with). None where the negation
    covers another finding too (no effusion or pneumothorax), unless it is turned over with m
    (together: the starts of those that are; without metastatic carcinoma -> with), or where
    m's clause calls its organ normal or uniform and that stays (the lungs are clear, without
    emphysema; enhances homogeneously without necrosis)."""
    span = trigger(text, m)
    found = [m, *near(text, m, "finding")]  # abnormal masses: a word of a finding's phrase
    described = {w.start for f in found for w in noun_phrase(text, f).modifiers}
    normal = [x for x in near(text, m, "normality") if x.start not in together | described]
    if any(_normal_about(text, x, m) for x in normal):
        return None  # the lungs are clear ... without emphysema: 'clear' would stay
    if UNIFORM.search(text, sentence_at(text, m.start)[0], noun_phrase(text, m).start):
        return None  # enhances homogeneously without necrosis: 'homogeneously' would stay
    others = [x for x in mentions(text) if x.group == "finding" and x != m]
    others = [x for x in others if x.start not in together]
    own = noun_phrase(text, m).start
    others = [x for x in others if not own <= x.start < m.start]  # no atherosclerotic calcification
    if not span:
        return []
    shared = [x for x in others if trigger(text, x) == span]
    split = _split_list(text, m, shared, span) if shared else []
    if split is None or (split and (split[0][2].startswith(",") or split[0][0] == span[0])):
        return split  # no split; m last, the denial stays for the others; or m put first
    a, b = span
    cue, article = text[a:b].lower(), np_article(text, m, b)
    counted = re.match(_COUNTED, text[b:], re.I)
    article = article_for(counted.group(1)) if counted else article  # no sign of -> a sign of
    edits = split + but_to_and(text, *clause(text, m.start)) + only_dropped(text, m)
    telegraphic = starts_sentence(text, a) and np_start(text, m) == a  # No pneumothorax.
    placed = re.match(
        r"\s+(?:of|in)\s+(?:the\s+)?(?:\w+\s+){0,2}?\w+(?=\s+(?:is|are)\b)", text[m.end :]
    )
    verb_after = POST_VERB.match(text, m.end + (placed.end() if placed else 0))  # of the femur is
    later = None if verb_after else _NOUNS_THEN_VERB.match(text, m.end)  # enlarged lymph nodes are
    article = "" if later and later.group(1).lower() in ("are", "were") else article
    if cue == "no" and telegraphic and not (verb_after or later):
        plural = not article and written_plural(text, m)
        opener = "there are" if plural else ("there is " + article).strip()
        return edits + [(a, b, styled(opener, text[a:b]))]
    if cue == "no" and article:
        return edits + [(a, b, styled(article, text[a:b]))]
    aux = re.search(r"\b(does|do)\s+$", text[:a], re.I) if cue == "not" else None
    verb = re.match(r"\s+([a-z]+)\b", text[b:])
    if aux and verb:  # does not invade -> invades; do not extend -> extend
        word = verb.group(1)
        said = _third_person(word) if aux.group(1).lower() == "does" else word
        return edits + [(aux.start(), b + verb.end(), styled(said, text[aux.start() : b]))]
    if cue in ("no", "not"):
        end = b + len(text[b:]) - len(text[b:].lstrip())
        capital = cue == "no" and text[a].isupper() and text[end : end + 1].islower()
        return edits + [(a, end, "")] + ([(end, end + 1, text[end].upper())] if capital else [])
    if cue.startswith(("no ", "not ")):
        rest = text[a:b].split(None, 1)[1]  # no evidence of -> evidence of; no sign of -> a sign of
        counted = cue.startswith("no ") and re.match(_COUNTED, " " + rest, re.I)
        rest = f"{article_for(rest)} {rest}" if counted else rest
        opens = cue == "no evidence of" and starts_sentence(text, a)  # No evidence of X. -> There
        return edits + [(a, b, styled("there is " + rest, text[a:b]) if opens else rest)]
    swap = cues.AFFIRM_SWAPS.get(cue)
    some = re.match(r"\s+any\b", text[b:], re.I) if swap else None  # without any lesion: with a
    new = f"{swap} {np_article(text, m, b + some.end() + 1)}".strip() if some else swap
    return edits + [(a, b + (some.end() if some else 0), styled(new, text[a:b]))] if swap else None


_OR = re.compile(r",?\s+or\s+|,\s+(?!(?:and|but|so|thus|hence|therefore|which)\b)", re.I)


def _split_list(text: str, m: Mention, shared: list[Mention], span) -> list[Edit] | None:
    """The edit that takes m out of a list its negation shares with others (no A or B): m first,
    the others keep a denial of their own (no pleural effusion or pneumothorax -> [a] pleural
    effusion but no pneumothorax; without A or B -> with A but without B); m last of two, it is
    asserted after them (no pneumothorax or pleural effusion -> no pneumothorax, but there is a
    pleural effusion; without A or B -> without A, but with B). None elsewhere (a middle item,
    a list joined by 'and', the cue not 'no' or 'without')."""
    cue = text[span[0] : span[1]].lower()
    s, e = clause(text, span[0])
    normal = [x for x in mentions(text) if x.group == "normality" and s <= x.start < e]
    if cue not in ("no", "without") or any(_normal_about(text, x, m) for x in normal):
        return None  # the lungs are clear without nodule or mass: 'clear' would stay
    first = all(x.start > m.start for x in shared)
    if not first and len(shared) > 1:
        return _put_first(text, m, shared, span)
    gap = _OR.match(text, m.end) if first else None
    if gap and gap.end() <= min(x.start for x in shared):
        rest = sorted(shared, key=lambda x: x.start)
        comma = re.compile(r",\s+or\s+").search(text, rest[0].end, rest[-1].start)
        tidy = [(comma.start(), comma.end(), " or ")] if len(rest) == 2 and comma else []
        return [(gap.start(), gap.end(), f" but {cue} "), *tidy]  # no B or C, not 'no B, or C'
    before = max(shared, key=lambda x: x.start)
    lead = _OR.search(text, before.end, m.start)
    phrase_start = noun_phrase(text, m).start
    if len(shared) != 1 or before.start > m.start or not lead or lead.end() != phrase_start:
        return None
    article = np_article(text, m, phrase_start)
    if cue == "without":
        new = f", but with {article} ".replace("  ", " ")
    else:
        said = re.search(r"\bthere\s+(is|are)\s+$", text[: span[0]], re.I)
        opener = said or starts_sentence(text, span[0])  # there is no A or B; No A or B.
        verb = ("are" if written_plural(text, m) else "is") if opener else ""
        new = " ".join(w for w in (", but", "there" if opener else "", verb, article) if w) + " "
    return [(lead.start(), lead.end(), new)]


def _put_first(text: str, m: Mention, shared: list[Mention], span) -> list[Edit] | None:
    """The edit asserting m, a later item of a list of three or more that one 'no' denies, before
    the others, which stay denied (there is no A, B, or C -> there is a B but no A or C); None
    where the list is joined otherwise (by 'and') or opens its sentence (No A, B, or C.)."""
    items = sorted([*shared, m], key=lambda x: x.start)
    starts = [noun_phrase(text, x).start for x in items]
    gaps = [text[x.end : s] for x, s in zip(items, [*starts[1:], len(text)], strict=True)][:-1]
    listed = text[span[1] : starts[0]].isspace() and all(_OR.fullmatch(g) for g in gaps)
    if text[slice(*span)].lower() != "no" or starts_sentence(text, span[0]) or not listed:
        return None
    rest = [text[s : x.end] for s, x in zip(starts, items, strict=True) if x is not m]
    denied = " or ".join(rest) if len(rest) == 2 else ", ".join(rest[:-1]) + ", or " + rest[-1]
    own = starts[items.index(m)]
    said = f"{np_article(text, m, own)} {text[own : m.end]}".strip()
    return [(span[0], items[-1].end, f"{said} but no {denied}")]


def _normal_about(text: str, x: Mention, m: Mention) -> bool:
    """Whether normality x calls normal what finding m would lie in: its organ, or any where
    either is unknown (the lungs are clear: not of the heart, whose cardiomegaly may stand)."""
    organs = [o.concept for o in near(text, x, "organ")]
    home = organ_of(m.concept)
    if normal_value(text, x) <= 0:
        return False
    return not organs or home is None or any(covers(o, home) or covers(home, o) for o in organs)


def _third_person(verb: str) -> str:
    """invade -> invades, extend -> extends, cross -> crosses, reach -> reaches, have -> has."""
    if verb.lower() == "have":
        return "has"
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    return verb[:-1] + "ies" if re.search(r"[^aeiou]y$", verb) else verb + "s"


def turn_over(
    text: str,
    m: Mention,
    plant: bool = False,
    sides: frozenset = frozenset(),
    together: frozenset = frozenset(),
) -> list[Edit] | None:
    """Edits that turn m's polarity over (for a normality term: normal <-> abnormal); together:
    the starts of the findings turned over with it."""
    if polarity(text, m) < 0:
        return affirm(text, m, together)
    return deny(text, m, True, plant, sides)


def lead_edit(text: str, want: int) -> list[Edit]:
    """The edit that makes a leading yes/no say want, if the text has one that does not."""
    lead = LEAD.match(text)
    if not lead or lead_answer(text) == want:
        return []
    return [(lead.start(1), lead.end(1), styled("yes" if want > 0 else "no", lead.group(1)))]
