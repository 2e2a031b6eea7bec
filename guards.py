"""Precision guards: every edit of the rule editor (a correction, a planted error) passes each
of them or is refused (the next draw, or a skip): number agreement, no plant inside a negation
or hedge, modality words, no self-contradiction, a report plant the reference shows wrong, a
plainly worded denial, a side corrected everywhere, no MR weighting corrected beside a signal
word, no evidence left for an old claim, no 'either' asserted. guard() names the first that
refuses an edit; GUARD_REFUSALS counts the edits each refused. Imports the modules before it.
"""

from __future__ import annotations

import re
from collections import Counter

import cues
import lexicon as lx
from anatomy import LEVELS
from claims import (
    GROUP,
    STOP,
    TOKEN,
    Mention,
    clause,
    concept_of,
    covers,
    entries,
    family_of,
    hedge_spans,
    is_verb,
    mentions,
    noun_phrase,
    organ_of,
    polarity,
    sentence_at,
    sentences,
    stem,
    trigger,
    words,
)
from comparisons import lobe_by_landmark, side_against_lobe, sides_compared
from conflicts import asserted_in, concepts_in, contradictions, denied_outside, tells, told_apart
from denials import denial_form, has_verb
from edits import DIRECTION
from evidence import (
    NEGATION_WORDS,
    advice_left,
    answer_left,
    degree_told,
    intact_left,
    landmark_left,
    may_lie,
    measure_left,
    negations_lifted,
    organ_by_landmark,
    outside,
    part_left,
    rest_neutral,
    size_judged,
    told_after_semicolon,
    told_against,
    told_by_changed,
    touched_mentions,
    touches,
    unplaced,
)
from kinds import KIND_WORDS
from looks import look_edits
from phrases import agreement_problem, opcodes
from questions import is_report, is_yes_no
from reports import normal_scope, report_problems
from scans import scan_words_disagree

Span = tuple[int, int]


def _vocabulary(named: bool = True) -> set[str]:
    """Every word of every lexicon term and cue, and the function words a minimal edit needs;
    named=False: less the words of named entities alone (the 'dissection' of an aortic
    dissection is no term where it stands by itself)."""
    forms = [f for f, _, c in entries() if named or c not in lx.ENTITIES]
    forms += [c for c in GROUP if named or c not in lx.ENTITIES]
    forms += [*cues.FUNCTION_WORDS, *cues.PRE_NEGATIONS, *cues.POST_NEGATIONS]
    return {stem(w) for f in forms for w in words(f)}


VOCABULARY = _vocabulary()
_READ = _vocabulary(named=False) | {stem(w) for w in cues.GENERIC_WORDS}  # where no term is
_READ |= {stem(w) for w in re.findall(r"[a-z]+", cues.EVIDENCE_LEADS)}  # containing: a lead

GUARD_REFUSALS: Counter = Counter()


def _regions(a: str, b: str) -> tuple[list[Span], list[Span]]:
    """The regions where a word diff of a and b does not match, as spans in a and in b (an
    insertion or deletion: an empty span where it stands)."""
    ta, tb = list(TOKEN.finditer(a)), list(TOKEN.finditer(b))
    in_a, in_b = [], []
    for tag, i1, i2, j1, j2 in opcodes([t.group() for t in ta], [t.group() for t in tb]):
        if tag != "equal":
            in_a.append(_token_span(ta, i1, i2, len(a)))
            in_b.append(_token_span(tb, j1, j2, len(b)))
    return in_a, in_b


def _token_span(tokens: list[re.Match], i: int, j: int, n: int) -> Span:
    if j > i:
        return tokens[i].start(), tokens[j - 1].end()
    at = tokens[i].start() if i < len(tokens) else n
    return at, at


def _changed(text: str, regions: list[Span]) -> list[Span]:
    """The sentences of text that a changed region touches."""
    return [(s, e) for s, e in sentences(text) if any(touches(r, (s, e)) for r in regions)]


def number_agreement(before: str, after: str, ctx: dict) -> bool:
    """A count changed to or from one, a side to or from bilateral: every phrase the edit
    touches agrees with its count, determiner, side and verb (One rib fracture is present)."""
    return not agreement_problem(after, ctx["after"])


def negation_scope(before: str, after: str, ctx: dict) -> bool:
    """(Plants.) No change inside the scope of a true negation or of a hedge unless the change
    turns the negation itself over ('no midline shift to the left' stays true of any side); a
    new denial keeps no side after its finding (no midline shift, not 'to the left')."""
    regions = ctx["before"]
    if any(touches(r, h, False) for r in regions for h in hedge_spans(before)):
        return False
    for m in mentions(before):
        cue = trigger(before, m)
        if cue is not None:
            s, e = clause(before, m.start)
            e = s + len(before[s:e].rstrip(" ;,"))  # its punctuation is no part of it
            scope = (cue[1], e) if cue[0] < m.start else (s, cue[0])
            inside = any(touches(r, scope, False) for r in regions)
            if inside and not any(touches(r, cue) for r in regions):
                return False
    for m in mentions(after):
        cue = trigger(after, m) if m.group == "finding" else None
        new = cue is not None and any(touches(r, cue) for r in ctx["after"])
        if new and DIRECTION.match(after, m.end):
            return False
    return True


def modality_words(before: str, after: str, ctx: dict) -> bool:
    """An edit that leaves a scan's words disagreeing (scans.scan_words_disagree): a modality with
    words only another uses, a plane, region or view changed where what told the old one stays."""
    return not scan_words_disagree(before, after, ctx["after"], ctx["plant"])


def self_contradiction(before: str, after: str, ctx: dict) -> bool:
    """A changed sentence must not contradict itself where the answer did not: a finding, side
    or organ asserted and denied; 'only X' beside another finding; benign and malignant; a
    planted 'Yes,' before a denial where two things are asked (Is there consolidation or an
    effusion? Yes, there is no consolidation, and an effusion is seen)."""
    new = {c for s, e in _changed(after, ctx["after"]) for c in contradictions(after, s, e)}
    old = {c for s, e in sentences(before) for c in contradictions(before, s, e)}
    yes_no = ctx["plant"] and _YES_NO.match(after) and not _YES_NO.match(before)
    yes_no = yes_no and re.search(r"\bor\b", ctx["question"])  # is there X or Y? Yes, no X, ...
    return not new - old and not yes_no


_YES_NO = re.compile(r"yes\b[,.]?\s+(?:there\s+(?:is|are)\s+)?no\b", re.I)


def report_sentence(before: str, after: str, ctx: dict) -> bool:
    """(Plants in a report.) The planted sentence is still a statement: not a bare finding left
    of a list of denials ('No focal consolidation, effusion, or pneumothorax.' never becomes
    'Consolidation.'; 'A pleural effusion is seen.' may stand for 'No pleural effusion or
    pneumothorax is seen.'), and the reference shows it wrong there: a problem the answer did
    not have names a finding or organ of the changed sentence. A finding it asserts does not lie
    in an organ another sentence calls normal (Both lungs are clear. Consolidation is seen.), nor
    is it acute by nature (lexicon.ACUTE_FINDINGS) where the report finds nothing acute."""
    if len(sentences(before)) < 2:
        return True
    pairs = zip(_changed(before, ctx["before"]), _changed(after, ctx["after"]), strict=False)
    for (s, e), (a, b) in pairs:
        said, says = concepts_in(before, s, e), concepts_in(after, a, b)
        verb = any(w in cues.VERBS or is_verb(w) or w in cues.POST_VERBS for w in words(after[a:b]))
        if said - says and not says - said and not verb:
            return False
        if has_verb(before[s:e]) and not has_verb(after[a:b]):
            return False  # The enteric tube with its tip in the esophagus: its verb went too
        clear, whole = normal_scope(after[:a] + after[b:])  # Both lungs are clear. Consolidation
        new = asserted_in(after, a, b) - asserted_in(before, s, e)
        acute = whole == 1 and new & set(lx.ACUTE_FINDINGS)  # and no acute process
        if any(covers(o, organ_of(f)) for f in new for o in clear) or new and whole == 2 or acute:
            return False  # or a normal chest radiograph: the report would say both
        told = new | {x for f in new for x in lx.TOLD_WITH.get(f, ())}  # consolidation: pneumonia
        if told & denied_outside(after, a, b):
            return False  # a pneumothorax planted where the impression says 'no pneumothorax'
    changed = _changed(after, ctx["after"])
    if plant_shown_wrong(before, after, ctx["reference"], changed):
        return True
    # An answer to a question the judge found wrong, where no other sentence backs the old claim
    return not is_report(ctx["reference"], ctx["question"]) and rest_neutral(after, ctx["after"])


def laterality(before: str, after: str, ctx: dict) -> bool:
    """No lobe of one lung is written beside the other side (the right lingula), nor a comparison
    of sides left to a finding denied or on one side (comparisons.sides_compared). (Corrections.) A
    side corrected in one place is corrected everywhere: when the edit changed a side, the old
    side may not stand in the same sentence, nor anywhere the reference names the other side of
    the same structure (the left lower lobe kept where the reference has the right), nor beside
    an organ of one side (by the cecum) or a side of the image that told the old side."""
    if side_against_lobe(after, ctx["after"]) or sides_compared(before, after, ctx["after"]):
        return False  # the right middle lobe -> the right lingula
    sides = [m for m in mentions(after) if m.group == "side"]
    new = [m for m in sides if any(touches(r, (m.start, m.end)) for r in ctx["after"])]
    if ctx["plant"]:  # the right upper lobe, abutting the minor fissure: no left one there
        both = [m for m in new if _BOTH_SAID.search(after, *sentence_at(after, m.start))]
        return not both and not any(
            _by_other_side(after, m, *sentence_at(after, m.start)) for m in new
        )
    if not new:
        return True
    old = {
        x.concept
        for x in mentions(before)
        if any(touches(r, (x.start, x.end)) for r in ctx["before"])
    }
    for m in new:  # right-sided -> left-sided, with blunting of the right costophrenic angle
        if lx.OPPOSITE_SIDE.get(m.concept) not in old:
            continue  # a side written in, none turned
        s, e = sentence_at(after, m.start)
        kept = [x for x in sides if s <= x.start < e and x not in new]
        if any(x.concept == lx.OPPOSITE_SIDE.get(m.concept) for x in kept):
            return False
        if _by_other_side(after, m, *clause(after, m.start)):  # the right ovary, by the cecum
            return False
        if re.search(rf"\b(?:left|right){lx.IMAGE_SIDE}", after[s:e], re.I):
            return False  # the image's side told the old one (on the left side of the image)
        if _PUSHED.search(after, s, e):
            return False  # the left lobe is enlarged, pushing the trachea towards the right
    ref = _sided(ctx["reference"])
    return not any((lx.OPPOSITE_SIDE[s], w) in ref and (s, w) not in ref for s, w in _sided(after))


_PUSHED = re.compile(  # a mass effect's way, which its side tells
    r"\b(?:shift|deviat|displac|push|pull|bowing|bowed|rotat)\w*\b[^.;]*?\b(?:to|toward|towards)"
    r"\s+the\s+(?:left|right)(?=\s*(?:[,.;]|side\b|of\b|$))",
    re.I,
)
_BOTH_SAID = re.compile(r"\b(?:right|left) and (?:the )?(?:left|right)\b", re.I)  # both kidneys


def _by_other_side(text: str, m: Mention, s: int, e: int) -> bool:
    """Whether text[s:e] names an organ of one side only (the cecum), or m's sentence a word that
    places a finding on one side (retrocardiac, the gastric fundus), the other than side m."""
    a, b = sentence_at(text, m.start)
    by = {side for w, side in lx.ONE_SIDED.items() if re.search(rf"\b{w}\b", text[s:e], re.I)}
    by |= {v for w, v in lx.SIDED_WORDS.items() if re.search(rf"\b(?:{w})\b", text[a:b], re.I)}
    return lx.OPPOSITE_SIDE.get(m.concept) in by


def signal_words(before: str, after: str, ctx: dict) -> bool:
    """An MR weighting changed in a sentence that also says how a tissue looks (a hyperintense
    lesion) leaves that description to the old weighting: a correction would keep a wrong
    reason, a plant would contradict itself (T1-weighted, given the bright CSF); refused unless
    the look is the fluid's and agrees with the new weighting (looks.looks_follow). A short
    answer's other sentences count too (This is a T1W image. The CSF appears dark.)."""
    lead = r"\s*(?:an?\s+|the\s+)?"  # 'not' before 'a T1-weighted image' turns it too
    weighting = [
        m.start
        for m in mentions(after)
        if m.group == "sequence"
        and any(
            touches(r, (m.start, m.end)) or re.fullmatch(lead, after[r[1] : m.start])
            for r in ctx["after"]
        )
    ]
    changed = [
        (s, e) for s, e in _changed(after, ctx["after"]) if any(s <= w < e for w in weighting)
    ]
    short = weighting and len(sentences(after)) <= 3  # T1W. The CSF appears dark: a look after it
    return all(look_edits(after, s, e) == [] for s, e in (sentences(after) if short else changed))


_CONCLUDE = rf"{lx.CONCLUSIONS}|as (?:seen|expected|found) in|typical of|i\.e"  # as seen in
_CAUSE = rf"(?:{cues.CAUSES}|from)\s+an?"  # cytotoxic edema from an infarct
_LEADS = rf"{cues.EVIDENCE_LEADS}|at the level of|recommend(?:ed|s)?|{_CONCLUDE}"
_LEADS += r"|(?<=, )(?:as|given)(?=\s+(?:the|there|it|its|their)\b)"  # as the scapulae overlap
_LEADS += rf"|and\s+do(?:es)?\s+not|{_CAUSE}"
_LINK = rf"(?<!compared\s)\b(?:{_LEADS})\b"  # compared with the prior: no evidence
_TURNED_LINK = (
    r"\b(?:extending|(?:appropriately|well|satisfactorily|correctly)\s+(?:positioned|cent(?:red|ered)))\b"
    r"|\s[—–]\s"
)
_NAMED = {"finding", "organ", "side"}
_SCALES = ("side", "degree", "number", "modality", "plane")  # modality_words reads theirs
_PARTS = {p for parts in lx.EXCLUSIVE_PARTS for p in parts} | set(LEVELS)  # L3 -> L2: a place
_SHOWN = r"(?:seen as|showing|demonstrating|characterized by|as (?:shown|seen|evidenced) by)\b"
_PLACED_ABSENT = re.compile(cues.PLACED_ABSENT, re.I)  # not visible, located behind ...
_OUT_OF_VIEW = re.compile(cues.OUT_OF_VIEW, re.I)  # the section is above the level of ...


def stated_evidence(before: str, after: str, ctx: dict) -> bool:
    """_stated_evidence for the changes of each sentence apart (a report's side corrected in one
    sentence and its heart size in another: each with the evidence of its own sentence)."""
    if lobe_by_landmark(after, ctx["after"]) or organ_by_landmark(after, ctx):
        return False  # the middle lobe, just beneath the minor fissure: a lobe's own border
    if landmark_left(after, ctx["after"], ctx["plant"]):
        return False  # the tip in the stomach, just above the gastroesophageal junction
    if size_judged(after, ctx["after"]):
        return False  # 8 -> 20 mm, which is below the size threshold
    if part_left(before, after, ctx["before"], ctx["after"]):
        return False  # the scapula through the acromion, made the clavicle
    if measure_left(before, after, ctx["before"], ctx["after"]):
        return False  # normal in caliber, measuring about 2 mm: made dilated, the size stays
    if told_by_changed(before, after, ctx["before"], ctx["after"]):
        return False  # Homer Wright rosettes, typical of medulloblastoma, made pseudorosettes
    if degree_told(before, after, ctx["before"], ctx["after"]):
        return False  # mild changes with preserved joint space, made severe
    if _told_elsewhere(before, after, ctx["before"], ctx["after"]):
        return False  # one lead in the findings, the impression's pacemaker made dual-chamber
    if any(_GRADE_SAID.search(after[:a]) for a, _ in ctx["after"]):
        return False  # a high-grade (grade III) carcinoma made grade II: the words still say 3
    if advice_left(before, after, ctx["before"], ctx["after"]):
        return False  # No left basilar pneumonia. Follow-up after treatment is advised.
    if answer_left(before, after, ctx):
        return False  # amyloid made present, 'no deposition of amorphous pink material' left
    if told_after_semicolon(before, after, ctx):
        return False  # Langhans cells made Touton; their nuclei form a horseshoe-shaped rim
    by_sentence: dict[Span, tuple[list[Span], list[Span]]] = {}
    for old, new in zip(ctx["before"], ctx["after"], strict=True):
        olds, news = by_sentence.setdefault(sentence_at(after, new[0]), ([], []))
        olds.append(old)
        news.append(new)
    return all(
        _stated_evidence(before, after, {**ctx, "before": olds, "after": news})
        for olds, news in by_sentence.values()
    )


def _told_elsewhere(before: str, after: str, old: list[Span], new: list[Span]) -> bool:
    """Whether a kind changed (lexicon.PLANT_KINDS: single-chamber -> dual-chamber) leaves, in a
    sentence no edit touched, a feature of the old kind that none of the new covers (a single
    lead in the findings; _stated_evidence reads the changed sentences)."""
    gone = named_in(before, old) - named_in(after, new) & KIND_WORDS
    came = named_in(after, new) - named_in(before, old) & KIND_WORDS
    rest = [after[s:e] for s, e in sentences(after) if not any(s <= a < e for a, _ in new)]
    return bool(gone and came and rest) and told_apart(" ".join(rest), gone, came)


def _stated_evidence(before: str, after: str, ctx: dict) -> bool:
    """A claim changed in kind or turned over (another finding, organ, device, region; present
    or absent, normal or not) must not leave beside it the evidence for the old claim, in words
    the lexicon cannot read: an untouched clause it leads into (with, showing, occupying, at the
    level of, recommend), or, where it is the conclusion (consistent with, indicate), the clauses
    before it ('an epidural hematoma, with a biconvex shape' is no subdural one; 'marked
    pleomorphism and atypical mitoses indicate a malignant tumor' no benign one); nor, anywhere
    in its sentence, a textbook feature (lexicon.FEATURES_OF) of the old concept and none of the
    new, or a denied one of the new (gallstones without posterior acoustic shadowing); nor, where
    it lifts a denial, what the answer offered instead (represents anthracotic pigment). A change
    of side, lobe, degree or count alone, and a clause naming only other findings, stay; so does
    what an edit moving a claim to another organ concludes from it (an occlusion; for a plant, a
    finding that may lie in the new organ) or, in a correction, a 'with' clause describing it."""
    regions = ctx["after"]
    touched = touched_mentions(after, regions)
    n_after = len(touched)
    touched += touched_mentions(before, ctx["before"])
    changed = [before[a:b] for a, b in ctx["before"]] + [after[a:b] for a, b in regions]
    turned = any(w in NEGATION_WORDS for text in changed for w in words(text))
    lifted = negations_lifted(before, after, ctx["before"], regions) > 0
    kept = {m.concept for m in touched[:n_after] if m.group == "organ"}  # the right lung -> both
    kept &= {m.concept for m in touched[n_after:] if m.group == "organ"}
    placed = all(m.group in _SCALES or m.concept in _PARTS or m.concept in kept for m in touched)
    if touched and placed and not turned:
        return True
    if {w for text in changed for w in words(text)} <= {"both", "all"}:
        return True  # Both -> All, agreeing with a count changed in another sentence
    same = named_in(after, regions) == named_in(before, ctx["before"])
    route = [
        m for m in mentions(after) if m.group == "finding" and family_of(m.concept) == "device"
    ]
    route = [m for m in route if any(0 < m.start - b <= 2 for _, b in regions)]
    if route and same and not turned and not _kind_words(before, after, ctx):
        return True  # a catheter's route (subclavian -> internal jugular): the tip says nothing
    if not placed and any(_restated(after, r, regions) for r in regions):
        return False
    asked = {stem(w) for w in words(ctx["question"]) if w not in STOP}
    for s, e in _changed(after, regions) if turned else ():
        told = not ctx["plant"] and _after_semicolon(after, s, e, regions)
        if intact_left(after, s, e, regions, asked) or told:
            return False  # Yes, there is a fracture; the radius appears intact
        if told_against(before, after, s, e, regions):
            return False  # granulomas made present, without epithelioid histiocytes
        rest = outside(after, s, e, regions)
        if lifted and (_ALTERNATIVE.search(rest) or _FROM_ABSENCE.search(rest)):
            return False  # no asbestos bodies made present; the brown material represents ...
        if _PLACED_ABSENT.search(after, s, e) or _OUT_OF_VIEW.search(rest):
            return False  # not visible, located behind ...; included ... above their level
    written = named_in(after, regions)
    said = named_in(before, ctx["before"])
    moved = not turned and bool(touched) and {m.group for m in touched} <= {"organ", "side"}
    given = re.search(cues.DIAGNOSTIC_OF, ctx["question"], re.I) and tells(ctx["question"], said)
    posed = "" if is_yes_no(ctx["reference"]) else ctx["question"]
    # A correction naming what the same evidence suggests keeps it (thyroglossal -> branchial)
    named = not ctx["plant"] and bool(touched) and {m.group for m in touched} <= _NAMED
    for s, e in _segments(after, regions):
        kept = outside(after, s, e, regions)  # what no longer / not yet named there
        gone = said - {m.concept for m in mentions(after[s:e])}
        came = written - {m.concept for m in mentions(before)}
        premise = given and _restates(kept, asked)  # the question takes its features as given
        inside = [m for m in mentions(after) if s <= m.start < e and m.group == "finding"]
        denied = {concept_of(after, m) for m in inside if polarity(after, m) < 0 and not lifted}
        new, old = tells(kept, came, posed), tells(kept, gone, posed) and not premise
        if came and (old or new is None) and (not new or told_apart(kept, gone, came)):
            return False  # a lens-shaped, biconvex hematoma made subdural: it tells epidural
        link = rf"{_LINK}|{_TURNED_LINK}" if turned else _LINK  # not enlarged, extending below
        links = [m for m in re.finditer(link, after[s:e], re.I) if m.start()]
        cuts = [s, *(s + m.start() for m in links), e]
        parts = list(zip(cuts, cuts[1:], strict=False))
        hit = [any(touches(r, p) for r in regions) for p in parts]
        first = hit.index(True) if any(hit) else len(parts)
        for k, (a, b) in enumerate(parts):
            led = k > first
            concluded = not named and any(
                hit[j] and re.match(_CONCLUDE, after[parts[j][0] : parts[j][1]], re.I)
                for j in range(k + 1, len(parts))
            )
            shown = turned and led and re.match(_SHOWN, after[a:b], re.I)  # no cancer, seen as
            told = tells(outside(after, a, e, regions), written)  # (filled with colloid)
            evidence = (led or concluded) and (_unread(after[a:b]) or shown) and not premise
            drawn = moved and led and re.match(_CONCLUDE, after[a:b], re.I)
            drawn = drawn and (not ctx["plant"] or may_lie(after[a:b], written))
            found = any(m.group == "finding" for m in mentions(outside(after, s, a, regions)))
            drawn = drawn or moved and led and found and not ctx["plant"] and unplaced(after[a:b])
            if turned and led and tells(outside(after, a, b, regions), denied):
                return False  # not enlarged, with a cardiothoracic ratio over 0.5
            other = _drawn_from(after[a:b], led and not moved, written)  # , as seen in leprosy
            if not hit[k] and (evidence and not told and not drawn or other):
                return False  # (keratin pearls tell the squamous cell carcinoma written in)
    return True


def _kind_words(before: str, after: str, ctx: dict) -> bool:
    """Whether the changed words name a kind the lexicon knows (caseous, coagulative, T1)."""
    changed = [before[a:b] for a, b in ctx["before"]] + [after[a:b] for a, b in ctx["after"]]
    return any(m.group != "finding" for text in changed for m in mentions(text)) or any(
        w.lower() in lx.OPPOSED or w.lower() in lx.KIND_SYNONYMS for t in changed for w in words(t)
    )


def _restates(text: str, asked: set[str]) -> bool:
    """Whether text, evidence beside a changed claim, restates a question (asked: the stems of
    its words) that gives the old claim's features and asks what they are diagnostic of (what
    are the optically clear nuclei with grooves diagnostic of?): two of its words or more."""
    return len(asked & {stem(w) for w in words(text) if w not in STOP}) >= 2


_ALTERNATIVE = re.compile(r"\b(?:represents?|representing|rather\s+than|instead\s+of)\b", re.I)
# A grade in brackets after the words that say it (a high-grade (grade III) carcinoma).
_GRADE_SAID = re.compile(r"\b(?:high|low|intermediate)[\s-]grade\s*\(\s*(?:grade\s+)?$", re.I)
# What a denial concluded (no granulomas, which favors ulcerative colitis): lifted, it would stay.
_FROM_ABSENCE = re.compile(
    r",\s*which\s+(?:\w+\s+)?(?:favou?rs?|suggests?|supports?|argues?|indicates?|points?|"
    r"makes?|excludes?|rules?\s+out|is\s+(?:\w+\s+)?(?:consistent|typical|in\s+keeping))\b",
    re.I,
)


def _drawn_from(part: str, led: bool, written: set[str]) -> bool:
    """Whether part, led by a claim changed in kind or turned over, draws from it a diagnosis
    other than the one written in (Mycobacterium leprae -> tuberculosis, ..., as seen in
    lepromatous leprosy; no infiltrate -> an infiltrate, as expected in Creutzfeldt-Jakob)."""
    if not led or not re.match(rf",?\s*(?:{_CONCLUDE})\b", part, re.I):
        return False
    restated = re.match(r",?\s*i\.e\b", part, re.I)  # ..., i.e. a contrecoup injury: the old one
    return bool(restated or {m.concept for m in mentions(part) if m.group == "finding"} - written)


def named_in(text: str, regions: list[Span]) -> set[str]:
    """The concepts, and kinds (subdural), that text names inside the changed regions."""
    inside = touched_mentions(text, regions)
    kinds = {w.lower() for a, b in regions for w in words(text[a:b]) if w.lower() in lx.FEATURES_OF}
    return {m.concept for m in inside} | kinds


_APPOSITIVE = re.compile(r"[^,.;()]*?,\s*([^,.;()]+),\s*(?:is|are|was|were|appears?)\b", re.I)
_TERMED = re.compile(r"[^.;()]*?\b(?:so-called|(?:also\s+)?known\s+as|termed)\s+([^,.;()]+)", re.I)


def _restated(text: str, region: Span, regions: list[Span]) -> bool:
    """Whether the changed words name what an untouched description beside them restates, in
    words the lexicon cannot read: in brackets after it ('laminated calcifications (psammoma
    bodies)') or as an appositive ('Psammoma bodies, concentrically laminated calcifications,
    are present')."""
    s, e = region
    start = sentence_at(text, s)[0] if s < len(text) else s
    opened = text.rfind("(", start, s)
    told = (start, opened)  # what the brackets follow, unless the edit changed it too
    if opened >= 0 and ")" not in text[opened:s] and _unread(text[start:opened]):
        return not any(touches(r, told) for r in regions)
    appositive = _APPOSITIVE.match(text, e)
    termed = _TERMED.match(text, e, sentence_at(text, s)[1])  # the ulna, a so-called nightstick
    return any(x and _unread(x.group(1)) for x in (appositive, termed))


def _segments(text: str, regions: list[Span]) -> list[Span]:
    """The parts of changed sentences, cut at semicolons (not before a recommendation, which
    rests on what precedes it), that a changed region touches."""
    out = []
    for s, e in _changed(text, regions):
        cuts = [s, *(s + m.end() for m in re.finditer(r";(?!\s*recommend)", text[s:e], re.I)), e]
        parts = zip(cuts, cuts[1:], strict=False)
        out += [p for p in parts if any(touches(r, p) for r in regions)]
    return out


_BESIDE_FRACTURE = r"\b(?:align\w*|joint\s+spaces?)\b"  # said with a fracture as without one
_NOTHING_ELSE = r"\s*(?:otherwise\s+)?(?:no|without)\b"  # ; otherwise no acute process


def _after_semicolon(text: str, s: int, e: int, regions: list[Span]) -> bool:
    """Whether sentence text[s:e], turned over by a correction, goes on after a semicolon,
    untouched, in words the lexicon cannot read and not a denial: the evidence for the old claim
    (No, there is no uncal herniation; the ambient cisterns are preserved). A recommendation rests
    on it; 'otherwise no acute process' and the alignment or joint spaces say nothing of it."""
    for semicolon in re.finditer(r";(?!\s*recommend)", text[s:e], re.I):
        cut = s + semicolon.end()
        turned_before = any(s <= a < cut for a, _ in regions)
        if turned_before and not any(touches(r, (cut, e)) for r in regions):
            rest = text[cut:e]
            neutral = re.match(_NOTHING_ELSE, rest, re.I) or re.search(_BESIDE_FRACTURE, rest, re.I)
            return _unread(rest) and not neutral
    return False


def _unread(text: str) -> bool:
    """Whether text has a word the lexicon cannot read (not a term, cue or function word)."""
    known = {stem(w) for m in mentions(text) for w in words(text[m.start : m.end])}
    known |= {stem(w) for w in lx.RELATION_WORDS + lx.OTHER_WORDS + lx.POSITION_WORDS}
    return any(stem(w) not in _READ | known and not w.isdigit() for w in words(text))


def either_asserted(before: str, after: str, ctx: dict) -> bool:
    """A finding the edit asserts is not left in a list joined by 'or' (no acute fracture or
    dislocation -> 'an acute fracture or dislocation' says neither; a denial may list them), nor
    a denial lifted from one the lexicon cannot read (no lymphovascular or perineural invasion)."""
    for m in mentions(after):
        if m.group != "finding" or polarity(after, m) <= 0:
            continue
        phrase = (noun_phrase(after, m).lead, m.end)
        told = any(  # or just before it: without -> with hydronephrosis, calculi or a mass
            touches(r, phrase) or r[1] <= phrase[0] and not after[r[1] : phrase[0]].strip()
            for r in ctx["after"]
        )
        either = re.match(  # a fracture of the ribs or clavicles; is seen in the sulci or cisterns
            r"[^,;.]*?\s(?:of|in|involving|within)\s+(?:the\s+)?[\w-]+\s+or\s", after[m.end :]
        )
        if told and (re.match(cues.OR_LIST, after[m.end :]) or either):
            return False  # hydronephrosis, stones, or masses; a fracture of the ribs or clavicles
    for (a, b), (c, d) in zip(ctx["before"], ctx["after"], strict=True):
        said = set(words(after[c:d]))
        lifted = NEGATION_WORDS & set(words(before[a:b])) and not NEGATION_WORDS & said
        rest = re.split(r"\b(?:no|not|without|but)\b", after[d : clause(after, c)[1]], flags=re.I)
        joined = re.search(r"\bor\b", rest[0], re.I) if lifted else None
        items = joined and rest[0][: joined.start()]  # with a compression, syrinx or ...: a list
        read = items and any(x.group == "finding" for x in mentions(items)) and "," not in items
        if joined and not read:
            return False  # no lymphovascular or perineural invasion -> 'lymphovascular or ...'
    return True


def _sided(text: str) -> set[tuple[str, str]]:
    """(side, the word after it) for each left or right of text (the right lower lobe)."""
    out = set()
    for m in mentions(text):
        if m.group == "side" and m.concept in ("left", "right"):
            after = re.match(r"(?:-?sided)?\s*(\w+)", text[m.end :])
            out |= {(m.concept, after.group(1).lower())} if after and after.group(1) else set()
    return out


GUARDS = (
    number_agreement,
    negation_scope,
    modality_words,
    self_contradiction,
    report_sentence,
    denial_form,
    laterality,
    signal_words,
    stated_evidence,
    either_asserted,
)
PLANT_ONLY = (negation_scope, report_sentence)


def guard(
    response: str, edited: str, reference: str = "", question: str = "", plant: bool = False
) -> str | None:
    """The name of the first precision guard (GUARDS) that refuses the rule editor's edit of
    response (a correction, or with plant=True a planted error), else None."""
    before, after = _regions(response, edited)
    ctx = {"before": before, "after": after, "reference": reference or response, "plant": plant}
    ctx["question"] = question
    for check in GUARDS:
        if (plant or check not in PLANT_ONLY) and not check(response, edited, ctx):
            GUARD_REFUSALS[check.__name__] += 1
            return check.__name__
    return None


def plant_shown_wrong(answer: str, planted: str, reference: str, changed: list) -> bool:
    """Whether the reference shows a planted report wrong where it was changed: a problem the
    answer did not have names a finding (or organ) of the changed sentences (spans in planted)."""
    new = set(report_problems(planted, reference)) - set(report_problems(answer, reference))
    said = set()
    for m in mentions(planted):
        if any(s <= m.start < e for s, e in changed):
            said |= {m.concept} | ({concept_of(planted, m)} if m.group == "finding" else set())
    return any(f in said for _, f in new)
