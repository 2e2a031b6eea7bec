"""Reports: the judge and the rule editor for a free-text radiology report.

A report is read as findings, each present (+1), absent (-1) or unsure (0), with the attributes of
its claims (side, size, count; a device's position), and as organs called normal or abnormal.
Against the reference report, a finding may be denied, hallucinated, omitted, unsure, or stated
with another attribute; an anonymised sentence (XXXX XXXX of the thoracic spine) hides what the
reference says about its organs, which is then not held against the answer, as does a hidden word
before a finding (XXXX degenerative changes: No? Mild?). The corrections turn a hallucinated or
denied finding over, set a wrong attribute, or replace a finding the reference names differently in
the same place; an omission is never written in (planted errors in a report are plants.py's).
"""

from __future__ import annotations

import re

import lexicon as lx
from claims import (
    Claim,
    Mention,
    Verdict,
    claims,
    clause,
    covers,
    family_of,
    mentions,
    normal_value,
    noun_phrase,
    organ_of,
    polarity,
    sentence_at,
    sentences,
    words,
)
from comparisons import (
    BETTER_WORSE,
    course_edits,
    course_opposed,
    in_cm,
    lobe_start,
    turned_findings,
)
from conflicts import alternatives, described_by, named_other, offered, restates
from devices import claimed_sites, landmarks_only, position_edits, tip_distances, tip_hedged
from edits import FEATURES, affirm, deny, deny_normal, no_overlap, with_words
from entities import SIGNS
from kinds import age_words, kind_edit, listed_kinds
from phrases import Edit, own_word, styled, written_plural
from sides import bone_sides, sided_normals
from statements import advice_differs, unread_statement
from swaps import recount, replace_terms, reside, swap_edits, written

_MASK = re.compile(r"\bX{3,}\b")  # words an anonymised report hides (XXXX)
_CONTRADICTIONS = ("denied", "hallucinated", "abnormal")


_FILED = {"atherosclerosis": "calcification"}  # a calcified aorta is an atherosclerotic one
_SHIFT_SIGNS = {"tracheal deviation"}  # read with the mediastinal shift (_SHIFT), not filed


def report_findings(text: str) -> dict[str, tuple[int, list[Claim]]]:
    """finding -> (+1 present / -1 absent / 0 unsure, its positive claims, else all). Present
    anywhere wins (a left pneumothorax, no right one); denied and said possible is unsure (no
    definite pneumothorax, although a tiny one cannot be excluded)."""
    by: dict[str, list[Claim]] = {}
    for c in claims(text, ("finding",)):
        if c.concept not in _SHIFT_SIGNS and not _HISTORY.search(text, 0, c.mention.start):
            by.setdefault(_FILED.get(c.concept, c.concept), []).append(c)
    out = {}
    for concept, cs in by.items():
        positive = [c for c in cs if c.polarity > 0 and not c.hedged]
        possible = any(c.hedged and c.polarity > 0 for c in cs)
        status = 1 if positive else (-1 if any(not c.hedged for c in cs) and not possible else 0)
        out[concept] = (status, positive or cs)
    return out


# A finding given as the patient's history (given the history of cirrhosis), or as a state now
# past (the previously widened mediastinum is now normal): no claim of the image.
_HISTORY = re.compile(r"\b(?:(?:history|setting)\s+of\s+(?:known\s+)?|previously\s+)$", re.I)
_NAMING = r"likely|probably|possibly|representing|reflecting|may represent|concerning for"


def _named_as(text: str, c: Claim) -> set[str]:
    """The findings c's sentence names as what it is (a retrocardiac opacity, like atelectasis)."""
    _, e = sentence_at(text, c.mention.start)
    rest = re.search(rf"\b(?:{lx.CONCLUSIONS}|{_NAMING})\b", text[c.mention.end : e], re.I)
    after = c.mention.end + rest.end() if rest else e
    found = [m for m in mentions(text) if m.group == "finding" and after <= m.start < e]
    return {m.concept for m in found if polarity(text, m) > 0}  # not 'without effusion' after it


# Words that make a normal statement the whole study's (normal chest radiograph; Normal chest.)
_STUDY = re.compile(r"\b(?:radiograph|x-ray|film|study|exam|examination|chest(?!\s+wall))\b", re.I)


def normal_scope(text: str) -> tuple[set[str], int]:
    """(the organs text calls normal, 2 if it calls the whole study normal, 1 if it finds
    nothing acute in it (no acute cardiopulmonary process; an organ named beside that is not
    called normal: enlargement of the cardiac silhouette, without acute process), else 0)."""
    organs, whole = set(), 0
    for c in claims(text, ("normality",)):
        one_side = values_of([c], "side") & {"left", "right"}  # the left lung is clear
        if not c.hedged and normal_value(text, c.mention) > 0 and not one_side:
            acute = "acute" in text[c.mention.start : c.mention.end].lower()
            named = {o.concept for o in c.attributes.get("organ", [])} if not acute else set()
            organs |= named  # the visualized abdomen is unremarkable: not the whole study
            study = _STUDY.search(text, *clause(text, c.mention.start))  # normal chest radiograph
            region = c.attributes.get("region") if not study else None
            finding = c.attributes.get("finding") if not acute else None  # X without acute ...
            about = named or finding or region
            whole = max(whole, 0 if about else (1 if acute else 2))
    return organs, whole


def abnormal_organs(text: str) -> set[str]:
    """The organs text calls abnormal in so many words (the lungs are not clear)."""
    out = set()
    for c in claims(text, ("normality",)):
        if not c.hedged and normal_value(text, c.mention) < 0:
            out |= {o.concept for o in c.attributes.get("organ", [])}
    return out


def status(finding: str, found: dict, normal: tuple[set[str], int]) -> int | None:
    """+1 / -1 / 0 as text states the finding; -1 where it calls its organ (or all) normal; 0
    (unknown) for a finding of old standing where it only finds nothing acute."""
    if finding in found:
        return found[finding][0]
    organs, whole = normal
    if any(covers(o, organ_of(finding)) for o in organs):
        return -1
    if not whole or family_of(finding) == "device":
        return None
    return 0 if whole == 1 and finding in lx.CHRONIC_FINDINGS else -1


def values_of(cs: list[Claim], group: str) -> set[str]:
    """The concepts of one attribute group over claims; a trace or minimal degree read as small."""
    said = {m.concept for c in cs for m in c.attributes.get(group, [])}
    return {"1" if group == "degree" and v == "0" else v for v in said}


def _numbers(text: str, cs: list[Claim]) -> set[str]:
    """The counts and sizes (in cm: 30 mm is 3 cm) of claims cs of text."""
    said = [m for c in cs for m in c.attributes.get("number", [])]
    return {m.concept if (cm := in_cm(text, m)) is None else f"{cm:g} cm" for m in said}


def masked_organs(text: str) -> set[str]:
    """The organs and regions of the sentences of text that hide words and name no finding
    (XXXX XXXX of the thoracic spine): what text says about them cannot be read."""
    out = set()
    for s, e in sentences(text):
        inside = [m for m in mentions(text) if s <= m.start < e]
        if _MASK.search(text[s:e]) and not any(m.group == "finding" for m in inside):
            out |= {m.concept for m in inside if m.group in ("organ", "region")}
    return out


def _masked(text: str, m: Mention) -> bool:
    """Whether a hidden word (XXXX) stands in m's noun phrase, where a determiner or a negation
    would (XXXX granulomas in the right upper lobe)."""
    return bool(_MASK.search(text[noun_phrase(text, m).lead : m.start]))


def _hidden(finding: str, claims_of: list[Claim], masked: set[str]) -> bool:
    """Whether a finding lies where the reference hides what it says (in an organ of masked)."""
    organs = values_of(claims_of, "organ") | values_of(claims_of, "region") | {organ_of(finding)}
    return any(o and (covers(x, o) or covers(o, x)) for o in organs for x in masked)


def _attribute_problem(
    finding: str, ref_claims: list[Claim], ans_claims: list[Claim], texts: tuple[str, str]
) -> str:
    """'attr:<group>' where a finding both reports state has another side, size or count in the
    answer, another age (acute for old healed fractures), another listed kind (a single-lead
    pacemaker for a dual-lead one), or a device lies elsewhere (a tube tip
    in the esophagus, not the stomach); else ''. texts: (reference, answer)."""
    for group in ("side", "degree", "number"):
        want, have = values_of(ref_claims, group), values_of(ans_claims, group)
        if group == "number":  # a count, or a size in mm (30 mm is 3 cm)
            want, have = _numbers(texts[0], ref_claims), _numbers(texts[1], ans_claims)
        if want and have and want != have:
            return f"attr:{group}"
    for parts in lx.EXCLUSIVE_PARTS:  # a nodule in the lower lobe, the reference's upper
        want, have = (values_of(cs, "organ") & set(parts) for cs in (ref_claims, ans_claims))
        if want and have and have - want:  # another lobe than the reference's, or one more
            return "attr:place"
    want, have = _ages(texts[0], ref_claims), _ages(texts[1], ans_claims)
    if want and have and not want & have:
        return "attr:age"
    want, have = (
        {k for c in cs for k in listed_kinds(t, c.mention)}
        for t, cs in zip(texts, (ref_claims, ans_claims), strict=True)
    )
    if want and have - want:  # a single-lead pacemaker, the reference's dual-lead
        return "attr:kind"
    if finding in lx.BONE_PLACED:  # of the scapula, where the reference's is of the clavicle
        want, have = (values_of(cs, "organ") for cs in (ref_claims, ans_claims))
        if want and have and not any(covers(w, h) or covers(h, w) for w in want for h in have):
            return "attr:organ"
    if family_of(finding) == "device":  # its sites only: below the diaphragm is a landmark
        want, have = (
            claimed_sites(t, cs, finding)
            for t, cs in zip(texts, (ref_claims, ans_claims), strict=True)
        )
        want, have = (w - landmarks_only(t) or w for w, t in zip((want, have), texts, strict=True))
        if want and have and not any(covers(w, h) or covers(h, w) for w in want for h in have):
            return "attr:organ"
        want, have = (
            tip_distances(t, cs) for t, cs in zip(texts, (ref_claims, ans_claims), strict=True)
        )
        if any(abs(want[k] - have[k]) >= 2 for k in want.keys() & have.keys()):
            return "attr:distance"  # 5 cm above the carina, the reference's 1 cm: too low
    return ""


_AGE = {"acute": 1, "new": 1, "recent": 1, "fresh": 1, "chronic": -1, "old": -1, "healed": -1,
        "healing": -1, "remote": -1}  # fmt: skip


def _ages(text: str, cs: list[Claim]) -> set[int]:
    """+1 (acute, new) and -1 (old, healed) as the phrases of claims cs say the finding's age."""
    said = [words(text[noun_phrase(text, c.mention).start : c.mention.start]) for c in cs]
    return {_AGE[w] for ws in said for w in ws if w in _AGE}


def _as_one(ref_f: dict, ans_f: dict) -> None:
    """A generic finding in one report and a kind of it in the other, each alone, are one finding
    (an opacity, an airspace opacity: a consolidation; a lesion, a mass): the kind is filed
    under the generic name, as is a kind the other report restates as the generic (consolidation
    has improved, with residual opacity); a generic one report adds to its kind is filed under the
    kind."""
    for general, kinds in lx.GENERIC.items():
        for kind in kinds:
            for a, b in ((ref_f, ans_f), (ans_f, ref_f)):
                if general in a and kind not in a and kind in b and general not in b:
                    b[general] = b.pop(kind)
                elif general in a and kind in b and general not in b and restates(a, general, kind):
                    a[kind] = (a[kind][0], a[kind][1] + a.pop(general)[1])
                elif general in a and kind not in a and kind in b and restates(b, general, kind):
                    b[general] = (1, b[general][1] + b.pop(kind)[1])  # with residual opacity


def _named(ref_f: dict, ans_f: dict, texts: tuple[str, str]) -> None:
    """A generic finding (an opacity, a lesion) or a sign (entities.SIGNS) that one report alone
    states, and only where its sentence names as one finding the report states (a retrocardiac
    opacity consistent with atelectasis), is no finding of its own: the one named is, and takes
    its claims (its side). texts: (reference, answer)."""
    for general, kinds in (lx.GENERIC | SIGNS).items():
        for (a, b), text in zip(((ref_f, ans_f), (ans_f, ref_f)), texts, strict=True):
            if general not in a or {general, *kinds} & set(b):
                continue
            named = [_named_as(text, c) for c in a[general][1]]
            one = set().union(*named)
            if all(named) and len(one) == 1 and one <= set(a):
                (finding,) = one
                a[finding] = (a[finding][0], a[finding][1] + a.pop(general)[1])


def report_problems(answer: str, reference: str) -> list[tuple[str, str]]:
    """(kind, finding) for each way a report differs from the reference report: 'attr:<group>'
    (a wrong side, size or count; a device elsewhere), 'denied', 'hallucinated', 'omission',
    'unsure'. A finding the reference does not name, where it hides its organ (XXXX), is not."""
    ref_f, ans_f = report_findings(reference), report_findings(answer)
    _as_one(ref_f, ans_f)
    _named(ref_f, ans_f, (reference, answer))
    ref_n, ans_n = normal_scope(reference), normal_scope(answer)
    masked, problems = masked_organs(reference), []
    for organ in abnormal_organs(answer):  # the lungs are not clear, the reference's are
        if ref_n[1] == 2 or any(covers(o, organ) or covers(organ, o) for o in ref_n[0]):
            problems.append(("abnormal", organ))
    for finding in dict.fromkeys([*ref_f, *ans_f]):
        r, a = status(finding, ref_f, ref_n), status(finding, ans_f, ans_n)
        if finding in ref_f and all(_masked(reference, c.mention) for c in ref_f[finding][1]):
            r = 0  # XXXX degenerative changes: a word hidden before it (No? Mild?) is unread
        if r is None and finding in ans_f and _hidden(finding, ans_f[finding][1], masked):
            r = 0
        if r == 0 and finding in ans_f and _described(finding, ans_f[finding][1], ref_f):
            r = None  # emphysema found in the lungs: fibrosis there is no finding of old standing
        if r == 1 and finding not in ans_f and _appearance(reference, ref_f[finding][1]):
            r = None  # an effusion with opacification of the hemithorax: how the effusion looks
        if finding not in ref_f and a == 1 and described_by(answer, ans_f[finding][1], ref_f):
            continue  # traction bronchiectasis, of fibrosis; a nodule, likely a granuloma
        if r == 1 and a == 0 and offered(reference, ref_f[finding][1]):
            continue  # consistent with ARDS or edema; which may reflect ARDS or edema
        if r == 1 and a == 1:
            pair = (reference, answer)
            kind = _attribute_problem(finding, ref_f[finding][1], ans_f[finding][1], pair)
            kind = kind or ("unsure" if tip_hedged(answer, finding, ans_f[finding][1]) else "")
            problems += [(kind, finding)] if kind else []
        elif r == 1:
            problems.append(({-1: "denied", 0: "unsure", None: "omission"}[a], finding))
        elif a in (0, 1) and r != 0:  # said, or hedged, where the reference does not
            problems.append(("hallucinated" if a == 1 else "unsure", finding))
    ref_sided, ans_sided = sided_normals(reference), sided_normals(answer)
    for side, organ in ans_sided:
        if (lx.OPPOSITE_SIDE[side], organ) in ref_sided and (side, organ) not in ref_sided:
            problems.append(("attr:normal_side", organ))  # the right lung is clear: the left is
    return problems


def _appearance(text: str, said: list[Claim]) -> bool:
    """Whether each claim of an opacity in text only describes how another finding of its clause
    looks (a large effusion with opacification of the lower hemithorax): no finding of its own."""
    for c in said:
        m = c.mention
        s, _ = clause(text, m.start)
        lead = noun_phrase(text, m).lead
        before = [x for x in mentions(text[s:lead]) if x.group == "finding"]
        if c.concept != "opacity" or not before or not _WITH.search(text, s, lead):
            return False
    return True


_WITH = re.compile(r"\bwith\s+(?:\w+\s+){0,2}$", re.I)


def _described(finding: str, said: list[Claim], ref_f: dict) -> bool:
    """Whether the reference states a finding of the organ the answer's finding lies in (its
    claims said; emphysema, for pulmonary fibrosis): it described that organ, and left it out."""
    organs = (values_of(said, "organ") | {organ_of(finding)}) - {None}
    return finding not in ref_f and any(
        organ_of(f) in organs and ref_f[f][0] == 1 for f in ref_f if f != finding
    )


_MIDLINE = re.compile(
    r"\b(?:mediastinum|trachea)\s+(?:is|remains|appears)\s+(?:in the )?midline\b", re.I
)
_SHIFT = re.compile(
    r"\bmediastinal (?:shift|deviation)|\bshift of the mediastinum|\btracheal deviation|"
    r"\bdeviation of the trachea|\b(?:mediastinum|trachea) is (?:shifted|deviated)",
    re.I,
)


def judge_report(answer: str, reference: str) -> Verdict:
    """A report: right when no finding contradicts the reference and none it states is missed.
    The mediastinum called midline where the other report shifts it is a contradiction too. A
    text that says nothing of a finding or of what is normal (a refusal) is no report: unsure."""
    if any(
        _MIDLINE.search(a) and _SHIFT.search(b)
        for a, b in ((answer, reference), (reference, answer))
    ):
        return Verdict(False, "contradicts:mediastinal shift")
    if not claims(answer, ("finding", "normality")):
        return Verdict(None, "no_claim")  # I cannot interpret images; please consult ...
    problems = report_problems(answer, reference)
    wrong = [f for k, f in problems if k.startswith("attr") or k in _CONTRADICTIONS]
    if wrong:
        return Verdict(False, f"contradicts:{wrong[0]}")
    if problems:
        omitted = any(k == "omission" for k, _ in problems)
        return Verdict(False, "omission") if omitted else Verdict(None, "hedged")
    bones = (bone_sides(answer), bone_sides(reference))
    if any(not bones[0][b] & bones[1][b] for b in bones[0].keys() & bones[1].keys()):
        return Verdict(False, "contradicts:side")  # a rod in the right humerus, the left's
    if unread_statement(answer, reference) or advice_differs(answer, reference):
        return Verdict(None, "unread")  # surgical clips ... prior cholecystectomy
    if _says_both(answer) or course_opposed(answer):
        return Verdict(None, "says_both")
    if normal_scope(answer)[1] and not normal_scope(reference)[1] and _acute(answer):
        return Verdict(None, "nothing_acute")  # a pneumothorax, yet no acute process
    if alternatives(answer) and not alternatives(reference):
        return Verdict(None, "alternatives")
    if turned_findings(answer, reference, BETTER_WORSE):
        return Verdict(False, "course")  # worsened, where the reference finds it improved
    if turned_findings(answer, reference):
        return Verdict(None, "course")
    return Verdict(True, "agrees")


def _acute(text: str) -> bool:
    """Whether text asserts, unhedged, a finding that is acute by its nature (a pneumothorax,
    a consolidation; not an effusion or a large heart, which a stable study may carry)."""
    return any(
        c.polarity > 0 and not c.hedged and c.concept in lx.ACUTE_FINDINGS
        for c in claims(text, ("finding",))
    )


def _says_both(text: str) -> bool:
    """Whether text asserts and denies one finding on the same side (There is a residual
    pneumothorax. ... without pneumothorax.), or asserts an organ's enlargement and calls it
    normal (The heart size is normal. ... with cardiomegaly.); a denial of a new one does not."""
    said: dict[tuple, set[int]] = {}
    for c in claims(text, ("finding",)):
        if c.hedged or named_other(text, c.mention.start, ("new", "recurrent")):
            continue
        sides = frozenset(x.concept for x in c.attributes.get("side", []))
        said.setdefault((c.concept, sides), set()).add(c.polarity)
    for (f, sides), signs in list(said.items()):  # no pneumothorax: on no side either
        if sides and -1 in said.get((f, frozenset()), ()):
            signs.add(-1)
    enlarged = {lx.ENLARGED_ORGAN.get(o) for o in normal_scope(text)[0]}  # heart normal, yet
    return any({1, -1} <= signs or 1 in signs and f in enlarged for (f, _), signs in said.items())


def _rebone(answer: str, ref_claims: list[Claim], ans_claims: list[Claim]) -> tuple:
    """The reference's one bone written for the answer's in each of its fracture's claims (an
    old fracture of the left scapula -> of the left clavicle)."""
    want = values_of(ref_claims, "organ")
    said = [o for c in ans_claims for o in c.attributes.get("organ", [])]
    if len(want) != 1 or not said or len({o.concept for o in said}) != 1:
        return None, "fracture_place"
    edits = [e for o in said for e in swap_edits(answer, o, next(iter(want))) or [None]]
    return (edits, "") if None not in edits and no_overlap(edits) else (None, "fracture_place")


def report_step(answer: str, reference: str) -> tuple[list[Edit] | None, str]:
    """Edits for the first contradiction of a report: a wrong side, size or count set to the
    reference's; a hallucinated finding denied; a denied one asserted; a finding named where the
    reference names another (the same side and lobe) replaced. An omission or an unsure finding
    is not edited."""
    problems = report_problems(answer, reference)
    kinds = {k for k, _ in problems}
    ref_f, ans_f = report_findings(reference), report_findings(answer)
    if "unsure" in kinds or "abnormal" in kinds:
        return None, "unsure" if "unsure" in kinds else "abnormal_organ"
    if "omission" in kinds:
        return swap_finding(answer, reference, problems)
    turned = turned_findings(answer, reference, BETTER_WORSE)
    if not problems and turned:
        edits = course_edits(answer, turned)  # the findings agree; not their course
        return (edits, "linked") if edits else (None, "course")
    for kind, finding in problems:
        if kind == "attr:normal_side":
            m = next(m for (_, o), m in sided_normals(answer).items() if o == finding)
            other = lx.OPPOSITE_SIDE[m.concept]
            return [(m.start, m.end, styled(other, answer[m.start : m.end]))], ""
        if finding not in ans_f:
            degree = values_of(ref_f[finding][1], "degree") if finding in ref_f else set()
            edits = _called_normal(answer, finding, degree) if kind == "denied" else None
            return (edits, "") if edits else (None, "denied_by_normal")
        if kind == "attr:organ" and finding in lx.BONE_PLACED:  # the reference's bone in each claim
            return _rebone(answer, ref_f[finding][1], ans_f[finding][1])
        if kind == "attr:organ":  # a tube's tip elsewhere
            edits = position_edits(answer, reference, finding)
            return (edits, "device") if edits else (None, "device_position")
        if kind == "attr:distance":
            return None, "device_distance"  # its place and what the report advises go together
        if kind == "attr:age":
            return None, "age"  # acute for old healed fractures: how the bone looks goes with it
        if kind == "attr:kind":  # in each claim that names another (findings and impression)
            r = ref_f[finding][1][0].mention
            told = [c.mention for c in ans_f[finding][1] if listed_kinds(answer, c.mention)]
            edits = [kind_edit(answer, m, reference, r) for m in told]
            flat = [e for one in edits if one for e in one]
            return (flat, "") if flat and None not in edits and no_overlap(flat) else (None, "kind")
        if kind == "attr:place":
            return _fix_place(answer, ref_f[finding][1], ans_f[finding][1])
        if kind.startswith("attr:"):
            return fix_attribute(answer, reference, ref_f[finding][1], ans_f[finding][1], kind[5:])
        return _turn(answer, reference, ref_f, ans_f[finding][1][0].mention, kind == "denied")
    stray = _stray(answer, ref_f) if _says_both(answer) else None
    if stray:  # a finding asserted, and denied again in the impression: the denial turned too
        return _turn(answer, reference, ref_f, stray, ref_f[stray.concept][0] > 0)
    return [], ""


def _turn(
    answer: str, reference: str, ref_f: dict, m: Mention, present: bool
) -> tuple[list[Edit] | None, str]:
    """Edits that make finding m say present: denied (with advice about it cut), or asserted
    with the reference's size and side where the answer gives none."""
    if not present:
        edits = deny(answer, m, sides=_kept_sides(reference, ref_f, m.concept))
        advice = _advice_cut(answer, m) + _features_cut(answer, m) if edits else []
        if advice:  # the advice and what showed the finding go with it: one claim
            return edits + advice, "linked"
    else:
        edits = affirm(answer, m)
        facts = ref_f.get(m.concept)  # none for a mass the reference calls an opacity
        told, many = _told(answer, reference, m, facts[1]) if facts else (None, False)
        if told is None:
            return None, "place"  # no word written before the finding says where it lies
        if edits and told:  # the reference's size and side with it: one claim
            edits = with_words(answer, m, edits, told, many)
            return (edits, "linked") if edits else (None, "number")
    return (edits, "") if edits else (None, "cannot_flip")


def _stray(answer: str, ref_f: dict) -> Mention | None:
    """The first unhedged claim of the answer about a finding the reference states or denies
    that says the other way (the answer saying both)."""
    for c in claims(answer, ("finding",)):
        said = ref_f.get(c.concept, (0,))[0]
        if said and c.polarity == -said and not c.hedged:
            return c.mention
    return None


def _told(answer: str, reference: str, m: Mention, said: list[Claim]) -> tuple[str | None, bool]:
    """The size, age and side the reference gives finding m (one of each), as words to write before
    m's phrase where the answer gives none (no pleural effusion -> a small left pleural
    effusion), and whether the reference writes it plural (small bilateral pleural effusions);
    None where the reference places m in an organ the answer does not (the right upper lobe)."""
    found = [c for c in said if c.polarity > 0]
    own = [c for c in claims(answer) if c.mention == m]
    mine = {g for c in own for g in c.attributes}
    new = []
    for group in ("degree", "age", "side"):
        told = [x for c in found for x in c.attributes.get(group, []) if own_word(reference, c, x)]
        if group == "age":  # old healed rib fractures: no acute ones
            ages = {age_words(reference, c.mention).lower() for c in found} - {""}
            new += [*ages] if len(ages) == 1 and not age_words(answer, m) else []
        elif group not in mine and told and len({x.concept for x in told}) == 1:
            new.append(reference[told[0].start : told[0].end].lower())  # findings, impression
    many = any(written_plural(reference, c.mention) for c in found)  # bilateral effusions
    home = organ_of(m.concept)  # a lobe's nodule, a bone's fracture; not an apical pneumothorax
    placed = values_of(found, "organ") - values_of(own, "organ") - {home}
    placed = {o for o in placed if o in lx.PLACES or not home}
    return (None if placed and m.concept not in lx.ONE_PER_SIDE else " ".join(new)), many


_ADVICE = re.compile(r"\s*[;,]?\s*\b(?:recommend(?:ed)?|consider|suggest)\b[^.;]*", re.I)


def _advice_cut(text: str, m: Mention) -> list[Edit]:
    """The edit cutting advice after a finding in its sentence (a nodule; recommend CT for
    further evaluation): no advice stands for a finding denied."""
    _, e = sentence_at(text, m.start)
    advice = _ADVICE.search(text, m.end, e)
    if not advice:
        return []
    start = max(text.rfind(";", m.end, advice.start()), text.rfind(",", m.end, advice.start()))
    said = start >= 0 and text[start + 1 : advice.start()].strip()  # CT angiography is recommended
    return [(start if said else advice.start(), advice.end(), "")]


def _features_cut(text: str, m: Mention) -> list[Edit]:
    """The edit cutting what shows finding m after it in its sentence (an effusion with blunting
    of the costophrenic angle): a finding denied shows nothing."""
    _, e = sentence_at(text, m.start)
    said = text[m.end : e]
    told = re.search(lx.FEATURES_OF.get(m.concept, "$^"), said, re.I)
    if not re.match(FEATURES, said) or not told or _ADVICE.search(said):
        return []
    return [(m.end, m.end + len(said.rstrip(" .;")), "")]


def _fix_place(answer: str, ref_claims: list[Claim], ans_claims: list[Claim]) -> tuple:
    """A finding's lobe (or other part of one organ) set to the reference's in each claim of it
    (the left lower lobe -> the left upper lobe); the side is another step."""
    for parts in lx.EXCLUSIVE_PARTS:
        want = values_of(ref_claims, "organ") & set(parts)
        olds = {o for c in ans_claims for o in c.attributes.get("organ", []) if o.concept in parts}
        wrong = {o for o in olds if o.concept not in want}  # leads in the right atrium and left
        missing = want - {o.concept for o in olds}  # ventricle, the reference's right one
        if olds and (len(want) == 1 or wrong and len(missing) == 1):
            (new,) = want if len(want) == 1 else missing
            word = lx.ORGANS[new][0][0]
            moved = olds if len(want) == 1 else wrong
            spans = [(lobe_start(answer, o, new), o.end) for o in moved]  # right middle lobe ->
            return [(a, b, styled(word, answer[a:b])) for a, b in spans], ""  # the lingula
    return None, "other_place"


def _called_normal(answer: str, finding: str, degree: set[str]) -> list[Edit] | None:
    """The heart called normal where the reference finds cardiomegaly (the mediastinum,
    widening): its normal word turned to the organ's abnormal one, with the reference's one
    degree (The heart size is normal -> The heart size is enlarged; mild cardiomegaly: mildly
    enlarged). None where the claim is about other organs too."""
    organ = organ_of(finding)
    if organ not in lx.ABNORMAL_WORDS or finding not in (lx.ENLARGED_ORGAN.get(organ), "widening"):
        return None
    said = [c for c in claims(answer, ("normality",)) if normal_value(answer, c.mention) > 0]
    said = [c for c in said if {o.concept for o in c.attributes.get("organ", [])} == {organ}]
    how = f"{lx.DEGREES['adverb'][int(next(iter(degree)))]} " if len(degree) == 1 else ""
    edits = [deny_normal(answer, c.mention, how + lx.ABNORMAL_WORDS[organ]) for c in said]
    return [e for es in edits for e in es] if said and all(edits) else None


def _kept_sides(reference: str, ref_f: dict, finding: str) -> frozenset:
    """The sides a denied finding may keep in a correction: none where the reference places
    nothing by side (no pleural effusion, not 'no right pleural effusion', which leaves the
    left open), else only those it gives the finding (a right-sided report: no left effusion
    would point left)."""
    if not any(m.group == "side" for m in mentions(reference)):
        return frozenset()
    return frozenset(values_of(ref_f[finding][1], "side")) if finding in ref_f else frozenset()


def fix_attribute(
    answer: str, reference: str, ref_claims: list[Claim], ans_claims: list[Claim], group: str
) -> tuple[list | None, str]:
    """Set a finding's side, size or count to the reference's, in each claim of it."""
    want = {m.concept: m for c in ref_claims for m in c.attributes.get(group, [])}
    if len(want) != 1 or any(group not in c.attributes for c in ans_claims):
        return None, "ambiguous"
    (r,) = want.values()
    sizes = [m for c in ans_claims for m in c.attributes[group] if in_cm(answer, m) is not None]
    if group == "number" and (sizes or in_cm(reference, r) is not None):
        return None, "size"  # 30 mm for 3 cm, 2.5 for 1.5 cm: no count to set
    edits = []
    for c in ans_claims:
        for m in c.attributes[group]:
            old = answer[m.start : m.end]
            new = [(m.start, m.end, styled(written(r, reference, old, c.concept), old))]
            new = reside(answer, m, r.concept) if group == "side" else new  # with its number
            edits += (recount(answer, m, int(r.concept)) or []) if group == "number" else new or []
    return (edits, "") if edits and no_overlap(edits) else (None, "ambiguous")


def swap_finding(answer: str, reference: str, problems: list) -> tuple[list | None, str]:
    """One omitted finding and one hallucinated in its place (the same side and organ): the
    answer's finding phrase becomes the reference's. Any other omission is not edited."""
    missed = [f for k, f in problems if k == "omission"]
    extra = [f for k, f in problems if k == "hallucinated"]
    if len(missed) != 1 or len(extra) != 1:
        return None, "omission"
    ref_claim = report_findings(reference)[missed[0]][1][0]
    ans_claims = report_findings(answer)[extra[0]][1]
    where = [(values_of([ref_claim], g), values_of(ans_claims, g)) for g in ("side", "organ")]
    if len(ans_claims) != 1 or not all(a and a == b for a, b in where):
        return None, "omission"
    return replace_terms(answer, [ans_claims[0].mention], ref_claim.mention, reference)
