"""The English that MedPO's judge and editor read around the clinical terms, as data only:
the cue phrases of negation and hedging, with their scope (forward, back to the clause start,
the whole clause or sentence), and clause ends (NegEx / ConText style); the words that make a
claim exclusive (only); the wording that asserts or denies a finding and turns it over; the
verbs, prepositions and determiners that bound a noun phrase; the function words a minimal edit
may use. The clinical terms themselves are in lexicon.py. No logic: claims.py and the editors
read all of it.
"""

from __future__ import annotations

# Cues, NegEx / ConText style. A pre-negation negates the findings after it in its clause, a
# post-negation those before it; a hedge makes the whole clause unsure; a terminator ends a
# clause (a sentence end does too).
PRE_NEGATIONS = ("no", "not", "never", "without", "negative for", "free of", "absence of", "absent",
                 "neither", "nor", "none", "no evidence of", "no signs of", "no sign of",
                 "removal of", "resolution of", "clearing of", "rather than",
                 "resolved", "excludes", "excluding", "rules out", "ruling out", "lack", "lacks",
                 "lacking", "lack of", "don't", "doesn't", "didn't")  # fmt: skip
# Words a 'not' reaches across, beside the terms of a list (does not see a pneumothorax or any
# effusion: both denied; not to be seen).
REACHED = {"to", "be", "or", "nor", "any"}
POST_NEGATIONS = ("absent", "not seen", "not identified", "not visualized", "not present",
                  "not appreciated", "not demonstrated", "not visible", "ruled out", "excluded",
                  "resolved", "cleared", "is negative", "removed", "not included", "not shown",
                  "not depicted", "no longer visible", "no longer seen", "no longer identified",
                  "no longer present", "no longer evident", "no longer appreciated")  # fmt: skip
# Resolved only in part is still there (the consolidation has nearly resolved: a residual one;
# near-complete resolution of the pneumonia).
PARTLY = (r"\b(?:nearly|almost|largely|mostly|partially|partly|incompletely|near|partial|"
          r"incomplete|not\s+(?:yet\s+)?(?:completely|fully|entirely))[\s-]+"
          r"(?:complete(?:ly)?[\s-]+)?$")  # fmt: skip
# A post-negation before the noun it describes ('with absent lung markings'): it denies that
# noun, not the finding before it.
ATTRIBUTIVE = r"absent\s+(?!(?:in|on|at|and|or|from|within|throughout|bilaterally|now)\b)[a-z]"
# Nor is such a noun's place, nor a term that only describes it (absent lung markings at the
# left apex: neither the lung nor the apex denied); 'absent left kidney' denies the kidney.
PLACE_AFTER = r"\b(?:at|in|on|over|along|within|beyond)\s"
DESCRIBES = r"\s+(?!(?:in|on|at|and|or|is|are|was|were|with|of|to|from)\b)[a-z]"
# 'to suggest' after a denial says what it would have shown (no free air to suggest
# pneumoperitoneum): no hedge.
PURPOSE = r"\bto\s+suggest$"
# An organ's adjective before these names the kind of a tissue, not where it lies (gastric
# metaplasia of the duodenal surface; pancreatic heterotopia in the gastric wall).
TISSUE_KIND = r"\s+(?:[\w-]+\s+)?(?:metaplasia|heterotopia|differentiation)\b"
# A sentence that only advises a work-up (An ultrasound may be helpful for further evaluation.)
# hedges no claim.
ADVICE = (
    r"\b(?:may|might|could)\s+(?:also\s+)?(?:be\s+)?(?:helpful|useful|help|considered|warranted|"
    r"needed|required|obtained|performed|recommended|beneficial)\b"
)
HEDGES = ("may", "might", "could", "possible", "possibly", "probable", "probably", "likely",
          "unlikely", "suggest", "suggests", "suggestive of", "suggestion of", "suspicious for",
          "suspicious of", "suspected", "suspect", "cannot rule out", "can't rule out",
          "cannot exclude", "can not exclude", "can't exclude", "could not exclude",
          "not clear whether", "not clear if", "not clear which", "it is not clear",
          "at least", "at most", "or more", "not sure", "unsure", "cannot determine",
          "can't determine", "cannot tell", "cannot say", "can't say",
          "i don't know", "i do not know", "impossible to", "whether", "perhaps", "maybe",
          "concerning for", "concern for", "worrisome for", "favored", "favor", "favoring",
          "presumed", "presumably", "raises the possibility", "question of", "differential",
          "most likely", "less likely", "or possibly", "uncertain", "unclear")  # fmt: skip
POST_HEDGES = tuple(
    f"{cannot} be {quite}{out}"
    for cannot in ("cannot", "can not", "can't", "could not", "couldn't")
    for quite in ("", "entirely ", "completely ", "totally ", "fully ", "definitely ")
    for out in ("excluded", "ruled out")
) + tuple(
    f"not {quite}{out}"
    for quite in ("", "entirely ", "completely ", "definitely ")
    for out in ("excluded", "ruled out")
) + ("is possible", "is suspected", "is questionable", "is likely", "is probable", "is favored",
     "is not certain", "borderline", "may be present", "might be present", "could be present",
     "may be seen")  # fmt: skip
# Hedges that make their whole clause unsure, words before them included (a mass is difficult
# to assess; the finding is equivocal).
CLAUSE_HEDGES = ("difficult to", "hard to", "cannot be determined", "can't be determined",
                 "could not be determined", "cannot be evaluated", "cannot be assessed",
                 "not well assessed", "cannot be confirmed", "not clearly seen",
                 "not well evaluated", "not well seen", "poorly evaluated", "poorly seen",
                 "equivocal", "indeterminate", "questionable", "not definite",
                 "not definitive")  # fmt: skip
# A sentence that names alternatives is unsure throughout: versus, either ... or (unless a
# negation before 'either' denies them both: no evidence of either X or Y).
# So is one that says a definitive call needs more, or that features overlap.
SENTENCE_HEDGES = ("versus", "vs", "yes and no", "may or may not", "definitive classification",
                   "definitive diagnosis would", "definitive diagnosis requires",
                   "would require additional", "would require further", "features overlapping",
                   "overlapping features")  # fmt: skip
# Words that make a claim exclusive: 'only fibrosis' says there is nothing else.
EXCLUSIVE_CUES = ("only", "solely", "exclusively", "purely", "nothing but")
# Words that stress a denial (without overt edema): they go when the finding is asserted.
STRESSED = r"overt|frank|definite|obvious|convincing|gross"
EITHER_OR = r"\beither\b(?=[^.;]*\bor\b)"
TERMINATORS = ("but", "however", "although", "though", "except", "apart from", "aside from",
               "whereas", "while", "which", "and there", "and the", "with a", "with an",
               "there is", "there are", "and a", "and an", ", and")  # fmt: skip
# Cues that assert what follows them in a clause, their negation (regex, replacement), and
# whether the cue is a bare copula (is -> is not), which a planted error does not use. A cue
# governs a finding only where nothing but a determiner or a partitive (areas of) stands
# between them.
# 'with' after these says what fills or goes with a thing, never a finding it may lack: laden
# with pigment is no 'laden without pigment'.
_WITH = "".join(
    f"(?<!{w} )"
    for w in (
        "consistent",
        "compatible",
        "keeping",
        "line",
        "laden",
        "filled",
        "lined",
        "packed",
        "loaded",
        "coated",
        "stained",
        "treated",
        "associated",
        "compared",
        "covered",
        "replaced",
        "along",
        "together",
        "studded",
        "stuffed",
        "infiltrated",
        "impregnated",
        "distended",
        "engorged",
    )
)
ASSERT_CUES = (
    (r"\b(there\s+(?:is|are|was|were))\s+", r"\1 no ", False),
    (r"\b(shows?|demonstrates?|reveals?|contains?|has|have)\s+", r"\1 no ", False),
    (r"\b(is|are|was|were)\s+(consistent|compatible)\s+with\s+", r"\1 not \2 with ", False),
    (r"\b(appear|look|seem)s\s+", r"does not \1 ", True),  # appears -> does not appear
    (r"\b(appear|look|seem)\s+", r"do not \1 ", True),
    (r"\b(is|are|was|were)\s+", r"\1 not ", True),
    (_WITH + r"\bwith\s+", "without ", False),
)  # fmt: skip
VERBS_AND_PREPOSITIONS = {"is", "are", "was", "were", "there", "shows", "show", "has", "have",
                          "of", "in", "on", "with", "without", "the", "this", "it", "appears",
                          "looks", "be"}  # fmt: skip
# Words that end a noun phrase read leftwards from its head: verbs (in any form) and
# prepositions; a phrase's modifiers are the words between one of them and its head.
VERBS = ("be", "is", "are", "was", "were", "been", "being", "show", "demonstrate", "reveal",
         "contain", "involve", "arise", "represent", "suggest", "extend", "abut", "surround",
         "affect", "have", "has", "had", "include", "measure", "compress", "displace", "invade",
         "see", "seen", "note", "appear", "look", "seem", "remain", "persist", "replace",
         "obscure", "cause", "exhibit", "display", "identify", "visualize", "consist", "lie",
         "lies", "project", "course", "terminate", "end", "recommend", "favor", "reflect",
         "indicate", "confirm", "exclude", "concern", "consistent", "compatible", "form",
         "belong")  # fmt: skip
# Verbs that make a clause no telegraphic phrase (tumour thrombus fills the renal vein), though
# no noun phrase is cut at them (a fluid-filled cyst).
ACTION_VERBS = ("fills", "fill", "occupies", "occupy", "obliterates", "encases", "expands",
                "distends", "narrows", "crosses", "traverses")  # fmt: skip
# A finding's course said with 'has' (the atelectasis has resolved): no 'has no' governs it.
COURSE_VERB = (
    r"(?:resolved|improved|worsened|progressed|cleared|decreased|increased|persisted|"
    r"regressed|healed)\b"
)
PREPOSITIONS = ("of", "in", "on", "at", "to", "from", "by", "for", "with", "without", "within",
                "under", "over", "above", "below", "beneath", "into", "near", "next", "along",
                "through", "between", "across", "around", "behind", "beside", "than", "as",
                "and", "or", "nor", "but", "there", "it", "which", "that", "who", "while",
                "where", "whereas", "although", "though", "however", "also", "otherwise",
                "only", "not", "likely", "both")  # fmt: skip
# Words naming a part or an amount of what follows 'of' (areas of necrosis): a cue before them
# still governs the finding (there are areas of necrosis -> there are no areas of necrosis).
PARTITIVES = ("area", "areas", "focus", "foci", "evidence", "sign", "signs", "amount",
              "amounts", "region", "regions", "collection", "pocket", "degree", "component",
              "features", "finding", "findings")  # fmt: skip
POST_VERBS = ("seen", "present", "visible", "identified", "noted", "demonstrated", "appreciated",
              "administered", "given", "used")  # fmt: skip
DETERMINERS = ("a", "an", "no", "multiple", "several", "some", "numerous", "many", "scattered")
# Determiners that make a noun phrase plural (several nodules) and those that leave it as it is.
PLURAL_DETERMINERS = ("multiple", "several", "numerous", "many", "scattered", "few", "various")
OTHER_DETERMINERS = ("the", "this", "these", "those", "that", "its", "their", "any", "each")
# A negation turned over: the cue and what replaces it (no -> a / an / nothing is worked out).
AFFIRM_SWAPS = {"absent": "present", "negative for": "positive for", "without": "with",
                "lack": "have", "lacks": "has", "lacking": "with"}  # fmt: skip
# How far a finding extends: gone from a denial with its size (no multilevel spondylosis).
EXTENT_WORDS = ("multilevel", "multifocal", "several", "widespread")
# normal <-> abnormal: the words that turn a normality statement over.
NORMAL_SWAPS = {"normal": "abnormal", "abnormal": "normal", "unremarkable": "abnormal",
                "healthy": "abnormal", "viable": "nonviable",
                "within normal limits": "not within normal limits"}  # fmt: skip
# Words that may stand in a minimal edit besides clinical terms and the reference's words.
FUNCTION_WORDS = ("a", "an", "the", "is", "are", "was", "were", "be", "been", "there", "this",
                  "that", "it", "its", "of", "in", "on", "at", "to", "and", "or", "with", "yes",
                  "no", "not", "seen", "shows", "show", "shown", "present", "absent", "side",
                  "sided", "image", "scan", "lobe", "lobes", "appears", "appear", "looks",
                  "evidence", "identified", "visible", "also", "both", "as", "by", "from", "for",
                  "which", "but", "none", "size", "limits", "within", "positive", "negative",
                  "has", "have", "demonstrates", "noted", "seen", "view", "plane", "weighted",
                  "slice", "study", "image", "findings", "finding", "one", "single", "other",
                  "area", "areas", "region", "portion", "part", "upper", "lower", "middle",
                  "anterior", "posterior", "medial", "lateral", "tissue", "cell",
                  "cells")  # fmt: skip
# Sides compared within a bilateral finding (bibasilar atelectasis, left greater than right):
# no side of their own.
SIDE_COMPARISONS = tuple(f"{a} {w} than {b}" for a, b in (("left", "right"), ("right", "left"))
                         for w in ("greater", "more", "worse", "larger"))  # fmt: skip
# Words that hold a term yet name none (either side; left greater than right; the optically
# clear, Orphan Annie eye nuclei of a papillary carcinoma).
NOT_TERMS = ("either", "optically clear", "Orphan Annie eye", "Orphan Annie", *SIDE_COMPARISONS,
             "enlarged retrosternal", "enlarged airspaces", "enlarged air spaces",
             "clear capsule", "clear capsules", "clear halo", "clear halos", "clear cytoplasm",
             "clear zone", "clear zones", "lateral masses",  # of the atlas
             "pedicle screw", "pedicle screws")  # fmt: skip
# Descriptive words that tell no finding, organ or kind from another (a fracture with mild
# angulation of its fragments, an irregular mass along its wall, volume loss): evidence in them
# alone stays beside a corrected claim. Not 'cross-section' (axial), 'enhancing' (contrast).
GENERIC_WORDS = ("angulation", "angulated", "fragment", "fragments", "displacement", "alignment",
                 "irregular", "wall", "walls", "margin", "margins",
                 "border", "borders", "surrounding", "adjacent", "along", "volume", "loss",
                 "prominence", "prominent", "sulci", "level", "loop", "loops")  # fmt: skip
# Words that lead from a claim into the evidence for it (a mass, seen as ...; amyloid, showing
# apple-green birefringence; contrast was given, as shown by enhancement of the aorta).
# Words that give a finding's cause (edema due to a tumor): what follows them tells the finding.
CAUSES = r"caused\s+by|due\s+to|secondary\s+to|resulting\s+from|as\s+a\s+result\s+of|"
CAUSES += r"because\s+of|owing\s+to"
EVIDENCE_LEADS = (
    r"(?:along\s+)?with|without|showing|seen\s+as|appearing\s+as|characterized\s+by|representing|"
    r"demonstrating|highlighting|revealing|occupying|filling|containing|composed\s+of|"
    r"made\s+of|formed\s+of|comprised\s+of|consisting\s+of|"
    r"as\s+(?:evidenced|shown|demonstrated|seen)\s+by|"
    r"(?:which|and)\s+(?:shows?|demonstrates?|displays?|reveals?)|"
    r"which\s+(?:appears?\s+as|is\s+seen\s+as|lies|is\s+located|is\s+situated|sits)"
)
# What is not there has no place (No, the esophagus is not visible, located behind the trachea;
# 'not visible in the upper abdomen' says where the image does not show it, and stays).
PLACED_ABSENT = (
    r"\bnot\s+(?:visible|seen|present|identified|included|shown|demonstrated)\b,?\s+"
    r"(?:located|situated|lying|positioned)\b"
)
# Words that give a term's other name after it (a peritonsillar abscess, also known as quinsy).
ALIAS = r",?\s*(?:also\s+(?:known\s+as|called|termed)|otherwise\s+known\s+as|a\.k\.a\.)\s+"
# Words before 'normal' that make it a part's, not the organ's (fibrosis alternating with areas
# of normal lung: the lung is not called normal).
PATCHWORK = (
    r"\b(?:areas?|foci|islands?|zones?|patches)\s+of\s+(?:relatively\s+)?$"
    r"|\b(?:alternating|interspersed|admixed)\s+with\s+$|\bintervening\s+$"
)
# Where the image lies apart from what it shows (the section is above the level of the kidneys;
# this image, which is at the level of the upper abdomen): said of what is not there, it stays
# only beside its denial.
OUT_OF_VIEW = (
    r"\b(?:above|below|superior\s+to|inferior\s+to|outside)\s+(?:the\s+)?(?:level|field)\b"
    r"|\b(?:which|that)\s+is\s+(?:taken\s+)?at\s+the\s+level\s+of\b"
    r"|\b(?:slice|image|section|cut)\s+is\s+(?:taken\s+)?at\s+the\s+level\s+of\b"
    r"|\b(?:slice|image|section|cut)\s+(?:lies|is|was\s+taken)\s+(?:below|above|inferior\s+to"
    r"|superior\s+to)\b"  # this slice lies below the carina, so the trachea is not included
    r"|\b(?:field\s+of\s+view|coverage|slice|image|section|scan)\s+(?:is\s+)?(?:limited|confined"
    r"|restricted)\s+to\b"  # the field of view is limited to the cerebral hemispheres
    r"|\blie\s+(?:higher|lower|above|below)\b"  # the kidneys lie higher, and are not included
)
# Findings listed and joined by 'or' (hydronephrosis, stones, or masses); an item is a few words,
# not a clause (', and no pneumothorax or effusion', ', which may represent A or B').
_ITEM = (
    r"(?!(?:and|but|no|not|with|without|which|that|likely|possibly|probably|consistent|may|"
    r"suggest\w*)\b)"
)
OR_LIST = rf"(?:,\s*{_ITEM}(?:[\w-]+\s+){{0,2}}[\w-]+)*,?\s+or\s+\w"
# A question that gives the features and asks what they tell (what are the optically clear nuclei
# with grooves diagnostic of?).
# Words that lead from a finding to what it is concluded to be (two nodules, most likely
# granulomas): the hedged ones, then the sure ones.
HEDGED_DRAWN = ("suggestive of", "concerning for", "suspicious for", "worrisome for", "most likely",
                "likely", "probably", "raising concern for", "raising the concern for",
                "raising suspicion for", "raising suspicion of",
                "raising the possibility of")  # fmt: skip
DRAWN_CUES = HEDGED_DRAWN + (
    "consistent with",
    "compatible with",
    "in keeping with",
    "representing",
)
DIAGNOSTIC_OF = r"\b(?:diagnostic|characteristic|typical|pathognomonic|indicative)\s+of\s*\?"
# What a clause concludes after its comma or verb (no arterial flow, consistent with torsion;
# absent flow is most consistent with torsion): a denial before it does not reach the conclusion.
CONCLUDED = (
    r"(?:,|\b(?:is|are)\s+(?:most\s+|more\s+)?)\s*(?:(?:consistent|compatible)\s+with|"
    r"in\s+keeping\s+with|(?:diagnostic|characteristic|typical|indicative)\s+of)\b"
    r"|\b(?:indicates|indicating|confirms|confirming)\b"  # no lung markings, indicating ...
)
# Words before an organ an answer names only to place another (the kidneys, on both sides of
# the spine; a mass located in the liver): no claim of the organ's own.
LANDMARK = (
    r"\b(?:sides?\s+of|adjacent\s+to|next\s+to|beside|(?:postero|antero)?(?:lateral|medial)\s+to|"
    r"posterior\s+to|anterior\s+to|behind|"
    r"in\s+front\s+of|lateral\s+to|medial\s+to|between|above|below|surrounding|abutting|"
    r"cent(?:er|r)ed\s+(?:in|within|on)|(?:flanked|bordered|surrounded)\s+by|"
    r"the\s+(?:adjacent|neighbou?ring|nearby)|towards?|"  # the adjacent liver is intact
    r"(?:tracking|extending|layering)\s+(?:along|around|into|from)|"  # tracking along the colon
    r",\s*(?:located|situated|lying)\s+(?:in|within))\s+(?:the\s+|both\s+)?"
    r"(?:(?:upper|lower)\s+pole\s+of\s+the\s+)?(?:(?:right|left)\s+)?$"  # above the upper pole of
)
# Where a slice is taken (at the level of the carina): a landmark, no finding's place.
LEVEL_OF = r"\b(?:at|through|to)\s+the\s+level\s+of\s+(?:the\s+)?$"
# The verbs after 'Both' standing for things named before it (Both are calcified; both measure
# under 5 mm): no side of its own.
PRONOUN_VERBS = r"are|were|have|show|appear|measure|lie"
# Words that say a count themselves: a count changed beside them would contradict them.
COUNTING = (
    r"\b(?:duplex|duplicated|duplication|bifid|double|twins?|triplets?|solitary|single|paired)\b"
)


# A bare word that is no term where such words follow it: the base of another organ than the
# lung (of the fifth metatarsal), 'both' for things named before (Both are), a frontal view, a
# lobe's name for another part (the parietal pleura, the frontal sinus, the temporal horns).
NOT_PART = (r"\s+(?:and\s+visceral\s+)?(?:pleura|peritoneum|pericardium|cells?|bones?|sinus(?:es)?"
            r"|arter(?:y|ies)|veins?|horns?|condyles?|bossing|scalp)\b")  # fmt: skip
_VIEWS = r"\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:views|images|projections|sequences|phases|films)\b"
NOT_TERM = {
    "base": r"\s+of\s+(?!(?:the\s+)?(?:left\s+|right\s+|both\s+)?lungs?\b)\w",
    "both": rf"\s+(?:{PRONOUN_VERBS}|of)\b|{_VIEWS}",  # both the CC and MLO views
    "frontal": r"\s+(?:and\s+lateral\s+|chest\s+)?(?:views?|projections?|radiographs?|films?)\b|"
    + NOT_PART,
}
NOT_TERM |= {"apex": NOT_TERM["base"], "parietal": NOT_PART, "temporal": NOT_PART}
NOT_TERM["occipital"] = NOT_PART
# A question asking whether a finding is more or less (Are intraepithelial eosinophils increased?)
AMOUNT_ASKED = r"\b(increased|decreased|elevated|reduced|diminished)\s*(?:in\b[^?]*)?\?"
# A question asking whether a finding is gone (Has the pneumothorax resolved?): a yes denies it.
GONE_ASKED = r"\b(?:has|have|did)\b.*\b(?:resolved|cleared|disappeared)\s*\?"
# Liver and spleen said enlarged together (both the liver and the spleen are): hepatosplenomegaly.
LIVER_AND_SPLEEN = (
    r"(?i)\b(?:liver\s+and\s+(?:the\s+)?spleen|spleen\s+and\s+(?:the\s+)?liver)\s+"
    r"(?:are|appear|look|were|both)\b[^,;.]*$"
)
# After a finding, the disease it shows (no tangles, as seen in Alzheimer disease): a plant that
# denies the finding would leave the disease drawn from nothing.
SEEN_IN = (
    r",\s+(?:as\s+(?:seen|expected)\s+in|typical\s+of|characteristic\s+of|i\.e\."
    r"|an?\s+(?:\w+\s+)?(?:finding|feature|sign)\s+(?:\w+\s+)?(?:seen|found)\s+in)\s"
)
# What a finding is said to come from (hemosiderin from prior hemorrhage; edema due to ...).
CAUSED_BY = (
    r"(?:from\s+(?:an?\s+)?(?:prior|previous|old|remote|recent|chronic)|due\s+to|secondary\s+to|"
    r"caused\s+by|resulting\s+from)\b"
)
