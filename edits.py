"""EDITS"""

from __future__ import annotations

import re

import lexicon as lx
from claims import *
from phrases import determiner, plural, singular, verb_edit, written_plural

# -------------------------------------------------------------------------------------------------
# Edits: (start, end, new text) on the answer; a claim's cue turns over as a whole.

Edit = tuple[int, int, str]
POST_VERB = re.compile(r"\s+(is|are|was|were)\s+(" + "|".join(lx.POST_VERBS) + r")\b", re.I)
DETERMINER = re.compile(r"(" + "|".join(lx.DETERMINERS) + r")\s+", re.I)
ASSERT = [(re.compile(p, re.I), r, bare) for p, r, bare in lx.ASSERT_CUES]


def styled(new: str, old: str) -> str:
    """new in old's case: 'right' replacing 'Left' is 'Right'; CT, MRI and X-ray keep theirs."""
    if old[:1].isupper() and not (len(old) > 1 and old.isupper()) and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def article_for(word: str) -> str:
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
        if m and new.strip() and m.group(1).lower() != article_for(new):
            edits.append((m.start(1), m.end(1), styled(article_for(new), m.group(1))))
    for s, e, new in sorted(set(edits), reverse=True):
        text = text[:s] + new + text[e:]
    return re.sub(r"(?<=\S)  +", " ", text)


def no_overlap(edits: list[Edit]) -> bool:
    spans = sorted({(s, e) for s, e, _ in edits})
    return all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


def delete(text: str, start: int, end: int) -> Edit:
    """Delete text[start:end] and the spaces after it."""
    return start, end + len(text[end:]) - len(text[end:].lstrip(" ")), ""


def is_plural(text: str, m: Mention) -> bool:
    return text[m.start : m.end].lower().endswith("s") and not m.concept.endswith("s")


def np_article(text: str, m: Mention, pos: int) -> str:
    """The article a finding takes when the next word starts at pos: a, an, or '' for a mass
    noun or a plural (there is edema, there are nodules)."""
    if is_plural(text, m) or m.concept in lx.MASS_NOUNS or m.group == "normality":
        return ""
    return article_for((WORD.findall(text[pos:]) or ["x"])[0])


def np_start(text: str, m: Mention) -> int | None:
    """Where m's noun phrase starts if it opens its clause (after but / and): a determiner and
    modifiers only before it (a small left pleural effusion, multiple granulomas)."""
    s, _ = clause(text, m.start)
    p = s + re.match(r"[\s,;:]*(?:(?:but|and|while)\s+)?", text[s:], re.I).end()
    head = words(text[p : m.start])
    return None if len(head) > 5 or set(head) & lx.VERBS_AND_PREPOSITIONS else p


def starts_sentence(text: str, pos: int) -> bool:
    return pos == sentence_at(text, pos)[0] or text[:pos].rstrip().endswith(":")


def but_to_and(text: str, s: int) -> list[Edit]:
    """A clause that turns over after 'but' now agrees with the one before: 'but' -> 'and'."""
    return [(s, s + 3, "and")] if text[s : s + 4].lower() == "but " else []


_QUANTITY = set(lx.DETERMINERS) | set(lx.PLURAL_DETERMINERS) | {"the", "any"}
_GAP = set(_QUANTITY) | set(lx.PARTITIVES) | {"of"} | {w for f in lx.DEGREES.values() for w in f}


def _governing_cue(text: str, s: int, lead: int, copula: bool) -> tuple[re.Match, str] | None:
    """The last assertion cue of the clause (from s) that governs the phrase starting at lead:
    only determiners, sizes and partitives (areas of) between them (not 'with flattening of the
    hemidiaphragms, consistent with COPD'); a bare copula only if copula."""
    found = []
    for regex, repl, bare in ASSERT:
        for c in regex.finditer(text, s, lead):
            gap = text[c.end() : lead]
            if (copula or not bare) and re.fullmatch(r"[\w\s-]*", gap):
                found += [(c, repl)] if set(words(gap)) <= _GAP else []
    return max(found, key=lambda f: (f[0].end(), -f[0].start()), default=None)


def _telegraphic(text: str, m: Mention) -> bool:
    """Whether m's clause has no verb after m (Focal airspace disease in the left lower lobe.)."""
    _, e = clause(text, m.start)
    after = words(text[m.end : e])
    return not any(w in lx.POST_VERBS or _is_verb_word(w) for w in after)


def _is_verb_word(w: str) -> bool:
    return w in ("is", "are", "was", "were", "be") or w in lx.VERBS


def deny(
    text: str, m: Mention, copula: bool = True, plant: bool = False, sides: frozenset = frozenset()
) -> list[Edit] | None:
    """Edits that make text deny m: a noun phrase opening its clause takes 'no' for its
    determiner (no pleural effusion is seen; No focal opacity in the right lung), else the cue
    that governs it turns (there is a -> there is no, shows -> shows no, is -> is not unless not
    copula, with -> without). The denied phrase loses its size, count and 'bilateral'; after
    'no' also when it was (no stable thickening); and in a correction (not plant), which says
    what the reference says, what described it (simple, parapneumonic) and a side not in
    sides (there is no pleural effusion)."""
    if m.group == "normality":
        return deny_normal(text, m)
    s, _ = clause(text, m.start)
    phrase, edits = noun_phrase(text, m), but_to_and(text, s)
    lead, p = phrase.lead, np_start(text, m)
    opens, post = p is not None and p == lead, POST_VERB.match(text, m.end)
    cue = _governing_cue(text, s, lead, copula)
    no = "No " if starts_sentence(text, lead) else "no "
    det = (phrase.det, text[phrase.det[0] : phrase.det[1]].lower()) if phrase.det else (None, "")
    if opens and (post or _telegraphic(text, m)) and det[1] != "no":
        edits.append((lead, phrase.start, no) if det[0] else (lead, lead, no))
        start = lead
    elif cue:
        c, repl = cue
        edits.append((c.start(), c.end(), c.expand(repl)))
        if det[0] and det[1] in _QUANTITY and "not" not in repl and det[0][0] == c.end():
            edits.append((det[0][0], phrase.start, ""))
        start = c.end()
    elif post and copula:
        return edits + [(post.start(), post.end(), f" {post.group(1)} not {post.group(2)}")]
    else:
        return None
    said_no = "not " not in edits[-1][2]
    located = {a.start for a, b in zip(phrase.modifiers, phrase.modifiers[1:]) if b.kind == "organ"}
    own_sides = [w for w in phrase.kinds("side") if w.start not in located]  # not: right lower lobe
    gone = phrase.kinds("degree", "number") + [w for w in own_sides if w.concept not in sides]
    if plant or not said_no:
        gone = phrase.kinds("degree", "number") + [w for w in own_sides if w.concept == "bilateral"]
    gone += phrase.kinds("temporal") if said_no else []
    gone += phrase.kinds("describing") if said_no and not plant else []
    edits += [delete(text, w.start, w.end) for w in gone]
    first = re.compile(r"\S+").match(text, phrase.start)  # No opens the phrase: Small -> No small
    lower = first and first.group()[1:].islower() and first.start() not in {w.start for w in gone}
    if start == lead and lower and text[lead : lead + 1].isupper():
        edits.append((first.start(), first.start() + 1, first.group()[0].lower()))
    return edits if no_overlap(edits) else None


def deny_normal(text: str, m: Mention, organ_word: str = "") -> list[Edit] | None:
    """normal <-> abnormal (within normal limits -> abnormal); organ_word (enlarged, widened)
    takes the normal phrase's place instead."""
    old = " ".join(text[m.start : m.end].lower().split())
    new = organ_word if organ_word and m.concept == "normal" else lx.NORMAL_SWAPS.get(old)
    return [(m.start, m.end, styled(new, text[m.start : m.end]))] if new else None


def affirm(text: str, m: Mention, plant: bool = False) -> list[Edit] | None:
    """Edits that make text assert m, denied today (there is no -> there is a; no X is seen ->
    a X is seen; is not -> is; but no -> and a; without -> with, except in a plant). None where
    the negation covers another finding too (no effusion or pneumothorax)."""
    span = trigger(text, m)
    others = [x for x in mentions(text) if x.group == "finding" and x != m]
    if not span or any(trigger(text, x) == span for x in others):
        return [] if not span else None
    a, b = span
    cue, article = text[a:b].lower(), np_article(text, m, b)
    edits = but_to_and(text, clause(text, m.start)[0])
    telegraphic = starts_sentence(text, a) and np_start(text, m) == a  # No pneumothorax.
    if cue == "no" and telegraphic and not POST_VERB.match(text, m.end):
        plural = not article and is_plural(text, m)
        opener = "there are" if plural else ("there is " + article).strip()
        return edits + [(a, b, styled(opener, text[a:b]))]
    if cue == "no" and article:
        return edits + [(a, b, styled(article, text[a:b]))]
    if cue in ("no", "not"):
        end = b + len(text[b:]) - len(text[b:].lstrip())
        capital = cue == "no" and text[a].isupper() and text[end : end + 1].islower()
        return edits + [(a, end, "")] + ([(end, end + 1, text[end].upper())] if capital else [])
    if cue.startswith(("no ", "not ")):
        return edits + [(a, b, text[a:b].split(None, 1)[1])]
    swap = lx.AFFIRM_SWAPS.get(cue) if not (plant and cue == "without") else None
    return edits + [(a, b, styled(swap, text[a:b]))] if swap else None


def turn_over(
    text: str, m: Mention, plant: bool = False, sides: frozenset = frozenset()
) -> list[Edit] | None:
    """Edits that turn m's polarity over (for a normality term: normal <-> abnormal)."""
    return affirm(text, m, plant) if polarity(text, m) < 0 else deny(text, m, True, plant, sides)


def lead_edit(text: str, want: int) -> list[Edit]:
    """The edit that makes a leading yes/no say want, if the text has one that does not."""
    lead = LEAD.match(text)
    if not lead or lead_answer(text) == want:
        return []
    return [(lead.start(1), lead.end(1), styled("yes" if want > 0 else "no", lead.group(1)))]


SPELLING = {f.lower(): f for g in (lx.MODALITIES, lx.SEQUENCES) for fs in g.values() for f in fs}


def written(r: Mention, source: str, old: str, finding: str = "") -> str:
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
    return SPELLING.get(text.lower(), text if text.isupper() else text.lower())


def recount(text: str, m: Mention, n: int) -> list[Edit] | None:
    """Edits that make count m say n, the noun it counts, its determiner and its verb agreeing
    (There is a single mass -> There are two masses; Two ribs are fractured -> One rib is
    fractured). None where m counts no lexicon term of its phrase."""
    old = text[m.start : m.end]
    new = written(Mention("number", str(n), 0, 0), "", old)
    if (m.concept == "1") == (n == 1):
        return [(m.start, m.end, styled(new, old))]
    _, e = clause(text, m.start)
    nouns = [x for x in mentions(text) if m.end <= x.start < e and x.group in ("finding", "organ")]
    phrase = noun_phrase(text, nouns[0]) if nouns else None
    if phrase is None or not any(w.start == m.start for w in phrase.modifiers):
        return None
    word = text[phrase.head.start : phrase.head.end]
    edits = [(phrase.head.start, phrase.head.end, singular(word) if n == 1 else plural(word))]
    det = text[phrase.det[0] : phrase.det[1]] if phrase.det else ""
    if det.lower() in ("a", "an") and n != 1:  # a single mass -> two masses
        edits.append((phrase.det[0], m.start, ""))
        old = det
    edits.append((m.start, m.end, styled(new, old)))
    return edits + verb_edit(text, phrase, n != 1)


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
    olds = {m.concept for m in old}
    if any(
        organ_of(x.concept) in olds and family_of(x.concept) == "cell" for x in mentions(answer)
    ):
        return None, "linked_term"
    features = r"\s+(with|showing|consisting of|containing)\s"  # adenocarcinoma with glands
    if r.group == "finding" and any(re.match(features, answer[m.end :]) for m in old):
        return None, "linked_features"
    edits: list[Edit] = []
    for m in old:
        word = answer[m.start : m.end]
        if r.group in ("finding", "organ", "region") and m.group == r.group:
            new = replace_phrase(answer, m, r, reference)
        elif r.group == "side":
            new = reside(answer, m, r.concept)
        else:
            new = [(m.start, m.end, styled(written(r, reference, word), word))]
        if new is None:
            return None, "cannot_replace"
        edits += new
    return (edits, "") if no_overlap(edits) else (None, "cannot_replace")


def _term_text(source: str, start: int, end: int) -> str:
    """source[start:end] as it is written in a sentence: lower case, acronyms kept (CT, MRI)."""
    out = []
    for w in source[start:end].split():
        out.append(w if w.isupper() and 1 < len(w) <= 4 else SPELLING.get(w.lower(), w.lower()))
    return " ".join(out)


def _paired(organ: str | None) -> bool:
    return bool(organ in lx.ORGANS and lx.ORGANS[organ][2])


def replace_phrase(text: str, m: Mention, r: Mention, source: str) -> list[Edit] | None:
    """Edits that write r (found in source) in place of m with its whole noun phrase: r with the
    words of source that say where it is (Liver Cancer, right parietal lobe); of m's modifiers
    only those that still hold stay: when (acute), a part of an organ (right lower lobe) or an
    organ for a finding of no organ of its own (renal mass -> renal cyst), a side where the new
    organ has two, unless source says where. What described m goes (simple, solid, bilateral,
    small, sigmoid). The determiner and the verb agree with the new head."""
    old, ref = noun_phrase(text, m), noun_phrase(source, r)
    own = []
    for w in reversed(ref.modifiers):  # the reference's words next to r that say where
        if w.kind not in ("side", "organ", "region", "position"):
            break
        own.insert(0, w)
    located = bool(own)
    organs = [w.concept for w in old.kinds("organ") if lx.ORGANS[w.concept][3]]
    organ = r.concept if r.group == "organ" else organ_of(r.concept)
    organ = (
        next((w.concept for w in own if w.kind == "organ"), None)
        or organ
        or next(iter(organs), None)
    )
    kept = []
    for w in old.modifiers:
        stays = w.kind == "temporal" or (w.kind == "position" and not located)
        if not located and r.group == "finding" and w.kind in ("organ", "region"):
            part = w.kind == "organ" and lx.ORGANS[w.concept][3] is not None
            stays = (part or organ_of(r.concept) is None) and w.concept != organ_of(r.concept)
        if w.kind == "side" and not located:
            stays = w.concept in ("left", "right") and _paired(organ)
        kept += [text[w.start : w.end]] if stays else []
    head = _term_text(source, own[0].start if own else r.start, r.end)
    now_plural = written_plural(source, r)
    mass = r.concept in lx.MASS_NOUNS and not now_plural
    det = determiner(text, old, now_plural, mass, (kept or [head])[0])
    phrase = " ".join([det] * bool(det) + kept + [head])
    lead = text[old.lead : old.lead + 1]
    phrase = phrase[:1].upper() + phrase[1:] if lead.isupper() and not det.isupper() else phrase
    return [(old.lead, m.end, phrase)] + verb_edit(text, old, now_plural)


def reside(text: str, m: Mention, side: str) -> list[Edit] | None:
    """Edits that make side m say side: left <-> right word for word (left-sided -> right-sided);
    to or from bilateral with the number of the finding it sides where an organ holds one of it
    a side (a right pleural effusion <-> bilateral pleural effusions; both lungs -> the left
    lung only). None where the side is said otherwise (bilaterally, on the right)."""
    word = text[m.start : m.end]
    if "bilateral" not in (m.concept, side):
        return [(m.start, m.end, styled(written(Mention("side", side, 0, 0), "", word), word))]
    low = word.lower()
    if m.concept == side or low.endswith("ly") or low in ("bibasilar",):
        return None
    if low == "both" or low.startswith("both "):
        return _one_of_both(text, m, side)
    head = next((x for x in mentions(text) if m.end <= x.start), None)
    if head is None or head.group != "finding":
        return None
    phrase = noun_phrase(text, head)
    if not any(w.start == m.start for w in phrase.modifiers):
        return None
    if head.concept not in lx.ONE_PER_SIDE or written_plural(text, head) == (side == "bilateral"):
        return [(m.start, m.end, styled(side, word))]
    return _renumber(text, phrase, side == "bilateral", {m.start: side})


def _renumber(text: str, phrase, now_plural: bool, swap: dict | None = None) -> list[Edit]:
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


def _one_of_both(text: str, m: Mention, side: str) -> list[Edit] | None:
    """'both lungs' -> 'the left lung only' ('Only the left lung' where it opens its clause, its
    verb agreeing); a finding of which an organ holds one a side, said before it in its clause,
    becomes one (there are effusions on both sides -> there is an effusion on the left side)."""
    noun = re.match(r"(both\s+)(\w+)", text[m.start :], re.I)
    if not noun or singular(noun.group(2)) == noun.group(2):
        return None
    end = m.start + noun.end()
    one = f"the {side} {singular(noun.group(2))}"
    s, _ = clause(text, m.start)
    opens = not text[s : m.start].strip(" ,;:")
    subject = re.match(r"\s+(are|were)\b", text[end:])
    if opens:
        edits = [(m.start, end, styled("only " + one, text[m.start]))]
    else:
        edits = [(m.start, end, one + " only")]
    if opens and subject:
        edits.append((end + subject.start(1), end + subject.end(1), _ONE[subject.group(1)]))
    before = [x for x in mentions(text) if s <= x.start < m.start and x.group == "finding"]
    for x in before[-1:]:
        if x.concept in lx.ONE_PER_SIDE and written_plural(text, x):
            edits += _renumber(text, noun_phrase(text, x), False)
    return edits if no_overlap(edits) else None


_ONE = {"are": "is", "were": "was"}


def _neighbours(text: str, m: Mention, context: str) -> tuple[str, ...]:
    """The organs that may stand for organ m in a planted error: where a finding named in m's
    clause or in context (the question) lies instead, if it has an organ of its own (a kidney
    stone: the ureter), else m's neighbours in its body region."""
    named = [x.concept for x in near(text, m, "finding")]
    named += [x.concept for x in mentions(context) if x.group == "finding"]
    neighbours = lx.NEIGHBOURS.get(m.concept, ())
    for finding in named:
        if finding in lx.SITES:
            return tuple(o for o in lx.SITES[finding] if o != m.concept)
        if organ_of(finding) is not None:  # emphysema: another lobe of the lung, no other organ
            return tuple(o for o in neighbours if covers(organ_of(finding), o))
    return neighbours


def swap_candidates(text: str, m: Mention, context: str = "") -> list[str]:
    """The concepts that may replace m's to make one real error, never inside a negation: the
    other side of a paired organ, a neighbouring organ, a sibling finding, the other end of a
    size or severity scale, a count one off, another modality, plane or sequence."""
    s, _ = clause(text, m.start)
    if cues_in(text[s : m.start], lx.PRE_NEGATIONS) or polarity(text, m) < 0 or hedged(text, m):
        return []
    organs = [lx.ORGANS[x.concept] for x in near(text, m, "organ")]
    implied = [organ_of(x.concept) for x in near(text, m, "finding")]  # an effusion: pleura
    organs = organs or [lx.ORGANS[o] for o in implied if o in lx.ORGANS]
    word, group = text[m.start : m.end].lower(), m.group
    if group == "side" and m.concept == "bilateral":
        return ["left", "right"]
    if group == "side":
        mirrored = any(x.concept in lx.MIRRORS for x in near(text, m, "organ"))
        side = re.match(r"[\s-]+side\b", text[m.end :]) or not organs or any(o[2] for o in organs)
        return [{"left": "right", "right": "left"}[m.concept]] if side or mirrored else []
    if group == "number" and m.concept.isdigit() and int(m.concept) >= 1:
        n = int(m.concept)
        return ["1"] if n == 2 and any(o[2] for o in organs) else [str(k) for k in (n - 1, n + 1) if k]
    if group == "degree":
        return {"1": ["3"], "3": ["1"], "2": ["1", "3"]}.get(m.concept, [])
    if group in ("modality", "sequence"):
        table = lx.PLANT_MODALITY if group == "modality" else lx.PLANT_SEQUENCE
        return [table[m.concept]] if m.concept in table else []
    if group == "plane":
        return [p for p in lx.PLANES if p != m.concept]
    if group in ("organ", "region") and word in (m.concept, m.concept + "s", m.concept.split()[0]):
        sided = bool(near(text, m, "side"))
        neighbours = _neighbours(text, m, context)  # a side or a plural needs a paired one
        single = not (sided or is_plural(text, m))
        return [n for n in neighbours if n in lx.REGIONS or lx.ORGANS[n][2] or single]
    noun = re.search(r"(ion|ia|is|ax|le|ss|st|ma|um|y|te)s?$", word)  # not 'necrotic'
    if group == "finding" and family_of(m.concept) not in (None, "device") and noun:
        family = family_of(m.concept)
        return [f for f, v in lx.FINDINGS.items() if v[2] == family and f != m.concept]
    return []


def swap_edits(text: str, m: Mention, concept: str) -> list[Edit] | None:
    """The edits that write concept in m's place, in m's form and case (frontal -> parietal): a
    count with its noun and verb, a side with its finding's number (reside) or, before an organ
    of one side only, the organ's counterpart (the right middle lobe -> the lingula)."""
    if m.group == "number":
        return recount(text, m, int(concept))
    organ = next((x for x in near(text, m, "organ") if x.start > m.start), None)
    if m.group == "side" and organ and organ.concept in lx.MIRRORS:
        between = text[m.end : organ.start]
        mirror = lx.MIRRORS[organ.concept]
        if not between.strip() and lx.ORGANS[mirror][2] is False:
            return [(m.start, organ.end, styled(mirror, text[m.start : m.end]))]
        return None
    if m.group == "side":
        return reside(text, m, concept)
    old = text[m.start : m.end]
    finding = next((x.concept for x in near(text, m, "finding") if x.start > m.start), "")
    new = written(Mention(m.group, concept, 0, len(concept)), concept, old, finding)
    if m.group == "organ" and old.lower() == m.concept.split()[0] != m.concept:
        new = concept.split()[0]
    elif m.group == "organ":
        new = lx.ORGANS[concept][0][0]  # an organ as the lexicon writes it: common bile duct
    new += "s" if is_plural(text, m) and new[-1] != "s" else ""
    return [(m.start, m.end, styled(new, old))]
