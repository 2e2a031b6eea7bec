"""The vessels, small bones and parts of the spine of the lexicon, the sites of a catheter in
the vessels, the parts only some organs have and the structures that tell an organ in a section,
as data only; lexicon.py merges them into its ORGANS, NEIGHBOURS and SITES, features.py reads the
structures as an organ's features (HISTOLOGY).

A vessel is read like an organ: its name and abbreviation, the body region it lies in, whether it
comes in a left and a right, and no parent organ. A planted error puts a neighbouring vessel in
its place (the superior mesenteric artery for the inferior one); a correction writes the
reference's vessel for the answer's (the inferior mesenteric vein -> the superior mesenteric
artery).
"""

from __future__ import annotations

# name: (forms, region, paired, parent)
VESSELS = {
    "middle cerebral artery": (("middle cerebral artery", "MCA"), "head", True, None),
    "anterior cerebral artery": (("anterior cerebral artery", "ACA"), "head", True, None),
    "posterior cerebral artery": (("posterior cerebral artery",), "head", True, None),
    "anterior communicating artery": (
        ("anterior communicating artery", "ACom", "AComm", "ACoA"),
        "head",
        False,
        None,
    ),
    "posterior communicating artery": (
        ("posterior communicating artery", "PCom", "PComm", "PCoA"),
        "head",
        True,
        None,
    ),
    "internal carotid artery": (("internal carotid artery", "ICA"), "head", True, None),
    "basilar artery": (("basilar artery",), "head", False, None),
    "superior mesenteric artery": (("superior mesenteric artery", "SMA"), "abdomen", False, None),
    "inferior mesenteric artery": (("inferior mesenteric artery",), "abdomen", False, None),
    "superior mesenteric vein": (("superior mesenteric vein", "SMV"), "abdomen", False, None),
    "inferior mesenteric vein": (("inferior mesenteric vein", "IMV"), "abdomen", False, None),
    "celiac trunk": (("celiac trunk", "celiac artery", "celiac axis"), "abdomen", False, None),
    "portal vein": (("portal vein", "main portal vein"), "abdomen", False, None),
    "splenic vein": (("splenic vein",), "abdomen", False, None),
    "splenic artery": (("splenic artery",), "abdomen", False, None),
    "renal artery": (("renal artery",), "abdomen", True, None),
    "renal vein": (("renal vein",), "abdomen", True, None),
    "gonadal vein": (("gonadal vein", "ovarian vein", "testicular vein"), "abdomen", True, None),
    "inferior vena cava": (("inferior vena cava", "IVC"), "abdomen", False, None),
    "coronary artery": (("coronary artery",), "chest", False, None),
    # Coronary arteries whose side is part of their name: no side is swapped in them.
    "left anterior descending artery": (
        ("left anterior descending artery", "left anterior descending", "LAD"),
        "chest",
        False,
        "coronary artery",
    ),
    "left circumflex artery": (
        ("left circumflex artery", "left circumflex", "LCx"),
        "chest",
        False,
        "coronary artery",
    ),
    "right coronary artery": (("right coronary artery", "RCA"), "chest", False, "coronary artery"),
    "left main coronary artery": (
        ("left main coronary artery",),
        "chest",
        False,
        "coronary artery",
    ),
    "brachiocephalic vein": (("brachiocephalic vein", "innominate vein"), "chest", True, None),
    "main pulmonary artery": (("main pulmonary artery", "pulmonary trunk"), "chest", False, None),
    "pulmonary artery": (("pulmonary artery",), "chest", True, None),  # the left, the right
    "interlobar pulmonary artery": (
        ("interlobar pulmonary artery", "interlobar artery"),
        "chest",
        True,
        None,
    ),
}
# The vessels of the neck and the legs (a deep vein thrombosis, a carotid stenosis).
LIMB_VESSELS = {
    "common carotid artery": (("common carotid artery",), "neck", True, None),
    "external carotid artery": (("external carotid artery",), "neck", True, None),
    "vertebral artery": (("vertebral artery",), "neck", True, None),
    "internal jugular vein": (("internal jugular vein", "IJ vein", "IJV"), "neck", True, None),
    "external jugular vein": (("external jugular vein", "EJ vein", "EJV"), "neck", True, None),
    "subclavian vein": (("subclavian vein",), "chest", True, None),
    "azygos vein": (("azygos vein",), "chest", False, None),
    "common femoral vein": (("common femoral vein",), None, True, None),
    "femoral vein": (("femoral vein", "superficial femoral vein"), None, True, None),
    "popliteal vein": (("popliteal vein",), None, True, None),
    "great saphenous vein": (("great saphenous vein", "greater saphenous vein"), None, True, None),
    "common femoral artery": (("common femoral artery",), None, True, None),
    "superficial femoral artery": (("superficial femoral artery",), None, True, None),
    "popliteal artery": (("popliteal artery",), None, True, None),
}
VESSELS |= LIMB_VESSELS

# The vessels an error may put in a vessel's place: its neighbours of the same kind.
VESSEL_NEIGHBOURS = {
    "middle cerebral artery": ("anterior cerebral artery", "posterior cerebral artery"),
    "anterior cerebral artery": ("middle cerebral artery",),
    "posterior cerebral artery": ("middle cerebral artery",),
    "anterior communicating artery": ("posterior communicating artery", "middle cerebral artery"),
    "posterior communicating artery": ("anterior communicating artery",),
    "internal carotid artery": ("middle cerebral artery",),
    "basilar artery": ("posterior communicating artery", "vertebral artery"),
    "vertebral artery": ("basilar artery",),
    "internal jugular vein": ("external jugular vein",),
    "external jugular vein": ("internal jugular vein",),
    "superior mesenteric artery": ("inferior mesenteric artery", "celiac trunk"),
    "inferior mesenteric artery": ("superior mesenteric artery",),
    "celiac trunk": ("superior mesenteric artery",),
    "superior mesenteric vein": ("inferior mesenteric vein", "splenic vein"),
    "inferior mesenteric vein": ("superior mesenteric vein",),
    "portal vein": ("splenic vein", "superior mesenteric vein"),
    "splenic vein": ("portal vein", "superior mesenteric vein"),
    "splenic artery": ("celiac trunk",),
    "renal artery": ("renal vein",),
    "renal vein": ("renal artery", "gonadal vein"),
    "gonadal vein": ("renal vein",),
    "inferior vena cava": ("portal vein",),
    "main pulmonary artery": ("interlobar pulmonary artery",),
    "left anterior descending artery": ("left circumflex artery", "right coronary artery"),
    "left circumflex artery": ("left anterior descending artery", "right coronary artery"),
    "right coronary artery": ("left anterior descending artery", "left circumflex artery"),
    "interlobar pulmonary artery": ("main pulmonary artery",),
    "common carotid artery": ("internal carotid artery", "external carotid artery"),
    "external carotid artery": ("internal carotid artery",),
    "common femoral vein": ("femoral vein", "great saphenous vein"),
    "femoral vein": ("popliteal vein", "common femoral vein"),
    "popliteal vein": ("femoral vein",),
    "great saphenous vein": ("common femoral vein",),
    "common femoral artery": ("superficial femoral artery",),
    "superficial femoral artery": ("popliteal artery", "common femoral artery"),
    "popliteal artery": ("superficial femoral artery",),
}

# Where a catheter in the vessels lies: a tip put in another of its sites is an error (a
# central line short of the superior vena cava ends in the brachiocephalic vein; one turned up
# into the internal jugular vein, or across into the subclavian or the azygos vein, is misplaced).
_CENTRAL = ("superior vena cava", "right atrium", "brachiocephalic vein", "internal jugular vein",
            "subclavian vein", "azygos vein")  # fmt: skip
DEVICE_SITES = {
    "pulmonary artery catheter": (
        "main pulmonary artery",
        "pulmonary artery",
        "interlobar pulmonary artery",
        "right ventricle",
    ),  # fmt: skip
    "central venous catheter": _CENTRAL,
    "picc": _CENTRAL,
}

# The bones of the foot and wrist, read like the long bones (paired, no parent), and the parts
# of the spine: an error may put a fracture in a neighbouring bone (the calcaneus -> the talus),
# an image or a finding in a neighbouring part (the lumbar spine -> the thoracic spine).
BONES = {
    "cervical spine": (("cervical spine", "c-spine"), None, False, "spine"),
    "thoracic spine": (("thoracic spine", "t-spine"), None, False, "spine"),
    "lumbar spine": (
        ("lumbar spine", "l-spine", "lumbosacral spine", "lumbar"),
        None,
        False,
        "spine",
    ),
    "calcaneus": (("calcaneus", "calcaneal", "calcaneum"), None, True, None),
    "talus": (("talus", "talar"), None, True, None),
    "navicular": (("navicular",), None, True, None),
    "cuboid": (("cuboid",), None, True, None),
    "scaphoid": (("scaphoid",), None, True, None),
    "lunate": (("lunate",), None, True, None),
    "triquetrum": (("triquetrum",), None, True, None),
    "pisiform": (("pisiform",), None, True, None),
    "trapezium": (("trapezium",), None, True, None),
    "trapezoid": (("trapezoid",), None, True, None),
    "capitate": (("capitate",), None, True, None),
    "hamate": (("hamate",), None, True, None),
}
# Organs of the reproductive tract, read like the lexicon's: asked which organ a section shows,
# an error names one of like tissue (the testis -> the epididymis or the ovary).
GENITAL = {
    "testis": (("testis", "testes", "testicle", "testicular"), "pelvis", True, None),
    "epididymis": (("epididymis", "epididymal"), "pelvis", True, None),
    "fallopian tube": (("fallopian tube",), "pelvis", True, None),
    "endometrium": (("endometrium", "endometrial"), "pelvis", False, "uterus"),
    "cervix": (("uterine cervix", "cervix"), "pelvis", False, "uterus"),
    # the ureter's two ends, where an obstruction is named by its place
    "ureteropelvic junction": (
        ("ureteropelvic junction", "UPJ", "pelviureteric junction", "PUJ"),
        "abdomen",
        True,
        "ureter",
    ),
    "ureterovesical junction": (
        (
            "ureterovesical junction",
            "UVJ",
            "vesicoureteric junction",
            "vesicoureteral junction",
            "VUJ",
        ),
        "pelvis",
        True,
        "ureter",
    ),
}
# The segments of the colon, in their order: a lesion placed in one is in no other (no bare
# 'sigmoid' or 'cecal': a sigmoid or cecal volvulus swapped is no 'descending volvulus').
BOWEL = {
    "cecum": (("cecum", "caecum"), "abdomen", False, "colon"),
    "ascending colon": (("ascending colon",), "abdomen", False, "colon"),
    "hepatic flexure": (("hepatic flexure",), "abdomen", False, "colon"),  # not the liver
    "transverse colon": (("transverse colon",), "abdomen", False, "colon"),
    "splenic flexure": (("splenic flexure",), "abdomen", False, "colon"),
    "descending colon": (("descending colon",), "abdomen", False, "colon"),
    "sigmoid colon": (("sigmoid colon",), "pelvis", False, "colon"),
}
_SEGMENTS = tuple(BOWEL)
BOWEL_NEIGHBOURS = {s: _SEGMENTS[max(k - 1, 0) : k] + _SEGMENTS[k + 1 : k + 2]
                    for k, s in enumerate(_SEGMENTS)}  # fmt: skip
GENITAL_NEIGHBOURS = {
    "testis": ("epididymis", "ovary"),
    "epididymis": ("testis",),
    "ovary": ("fallopian tube", "testis"),
    "fallopian tube": ("ovary",),
    "endometrium": ("cervix",),
    "cervix": ("endometrium",),
    "ureteropelvic junction": ("ureterovesical junction",),
    "ureterovesical junction": ("ureteropelvic junction",),
    "uterus": ("rectum", "bladder"),  # the pelvic organs behind and in front of one another
    "prostate": ("bladder", "rectum"),
}

# The ligaments and menisci of the knee: an error tears the other one of a pair.
KNEE = {
    "anterior cruciate ligament": (("anterior cruciate ligament", "ACL"), None, True, "knee"),
    "posterior cruciate ligament": (("posterior cruciate ligament", "PCL"), None, True, "knee"),
    "medial collateral ligament": (("medial collateral ligament",), None, True, "knee"),
    "lateral collateral ligament": (("lateral collateral ligament",), None, True, "knee"),
    "medial meniscus": (("medial meniscus",), None, True, "knee"),
    "lateral meniscus": (("lateral meniscus",), None, True, "knee"),
}
# The rotator cuff's tendons, the skull's and the face's bones and the eye's recti: an error
# names the neighbour.
SHOULDER_AND_HEAD = {
    "supraspinatus tendon": (("supraspinatus tendon", "supraspinatus"), None, True, "shoulder"),
    "infraspinatus tendon": (("infraspinatus tendon", "infraspinatus"), None, True, "shoulder"),
    "subscapularis tendon": (("subscapularis tendon", "subscapularis"), None, True, "shoulder"),
    "teres minor tendon": (("teres minor tendon", "teres minor"), None, True, "shoulder"),
    "temporal bone": (("temporal bone", "petrous temporal bone"), "head", True, None),
    "nasal bone": (("nasal bone",), "head", False, None),
    "zygomatic arch": (("zygomatic arch", "zygoma"), "head", True, None),
    "maxilla": (("maxilla",), "head", False, None),
    "mandible": (("mandible", "mandibular"), "head", False, None),
    "inferior rectus": (("inferior rectus muscle", "inferior rectus"), "head", True, "orbit"),
    "medial rectus": (("medial rectus muscle", "medial rectus"), "head", True, "orbit"),
    "superior rectus": (("superior rectus muscle", "superior rectus"), "head", True, "orbit"),
    "lateral rectus": (("lateral rectus muscle", "lateral rectus"), "head", True, "orbit"),
    "parietal bone": (("parietal bone",), "head", True, None),
}
BONES |= KNEE | GENITAL | BOWEL | SHOULDER_AND_HEAD
BONE_NEIGHBOURS = {
    "supraspinatus tendon": ("infraspinatus tendon", "subscapularis tendon"),
    "infraspinatus tendon": ("supraspinatus tendon", "teres minor tendon"),
    "subscapularis tendon": ("supraspinatus tendon",),
    "teres minor tendon": ("infraspinatus tendon",),
    "temporal bone": ("parietal bone",),
    "nasal bone": ("maxilla",),
    "zygomatic arch": ("maxilla",),
    "maxilla": ("zygomatic arch", "nasal bone"),
    "mandible": ("maxilla",),
    "inferior rectus": ("medial rectus",),  # the order thyroid eye disease takes them
    "medial rectus": ("inferior rectus",),
    "superior rectus": ("lateral rectus",),
    "lateral rectus": ("superior rectus",),
    "parietal bone": ("temporal bone",),
    "anterior cruciate ligament": ("posterior cruciate ligament",),
    "posterior cruciate ligament": ("anterior cruciate ligament",),
    "medial collateral ligament": ("lateral collateral ligament",),
    "lateral collateral ligament": ("medial collateral ligament",),
    "medial meniscus": ("lateral meniscus",),
    "lateral meniscus": ("medial meniscus",),
    "cervical spine": ("thoracic spine",),
    "thoracic spine": ("cervical spine", "lumbar spine"),
    "lumbar spine": ("thoracic spine",),
    "calcaneus": ("talus", "cuboid"),
    "talus": ("calcaneus", "navicular"),
    "navicular": ("talus", "cuboid"),
    "cuboid": ("calcaneus", "navicular"),
    # the carpal bones: each with those it articulates with in its row and across the rows
    "scaphoid": ("lunate", "trapezium"),
    "lunate": ("scaphoid", "triquetrum", "capitate"),
    "triquetrum": ("lunate", "hamate"),
    "pisiform": ("triquetrum",),
    "trapezium": ("scaphoid", "trapezoid"),
    "trapezoid": ("trapezium", "capitate"),
    "capitate": ("lunate", "hamate"),
    "hamate": ("capitate", "triquetrum"),
    "femur": ("tibia", "humerus"),  # the long bones: a distal femoral -> tibial metaphysis
    "tibia": ("femur", "fibula"),
    "fibula": ("tibia",),
    "humerus": ("femur",),
}

# The levels of the spine: a vertebra (L1) and a disc level (L4-L5, L4-5, L4/5), each a part of
# its segment; an error puts a finding at the next level up or down. T1-T4 alone are also MR
# weightings and tumour stages, so they are read only as 'T3 vertebra', and no disc level
# touching them is read.
_SEGMENTS = (("C", 7, "cervical spine"), ("T", 12, "thoracic spine"), ("L", 5, "lumbar spine"))
_NAMES = [(f"{s}{i}", part) for s, n, part in _SEGMENTS for i in range(1, n + 1)]
_NAMES.append(("S1", "lumbar spine"))
_AMBIGUOUS = {"T1", "T2", "T3", "T4"}


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth")  # fmt: skip
_REGION_WORDS = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}


def _vertebra_forms(name: str) -> tuple[str, ...]:
    spelled = f"{_ORDINAL_WORDS[int(name[1:]) - 1]} {_REGION_WORDS[name[0]]} vertebra"
    said = (f"{name} vertebra", f"{name} vertebral body", spelled)  # the twelfth thoracic vertebra
    return (*said, f"{name} level") if name in _AMBIGUOUS else (name, *said)


def _disc_forms(upper: str, lower: str) -> tuple[str, ...]:
    forms = [f"{upper}-{lower}", f"{upper}/{lower}"]
    if upper[0] == lower[0]:
        forms += [f"{upper}-{lower[1:]}", f"{upper}/{lower[1:]}"]  # L4-5, L4/5
    return tuple(forms)


_DISCS = [
    (f"{a}-{b}", part)
    for (a, part), (b, _) in zip(_NAMES, _NAMES[1:], strict=False)
    if not {a, b} & _AMBIGUOUS
]
LEVELS = {name: (_vertebra_forms(name), None, False, part) for name, part in _NAMES}
LEVELS |= {disc: (_disc_forms(*disc.split("-")), None, False, part) for disc, part in _DISCS}


def _adjacent(names: list[str]) -> dict[str, tuple[str, ...]]:
    """The level above and below each of names, by whether they share a vertebra (discs) or
    follow one another (vertebrae)."""
    near = {}
    for k, n in enumerate(names):
        if "-" in n:
            ends = set(n.split("-"))
            near[n] = tuple(d for d in names if d != n and ends & set(d.split("-")))
        else:
            near[n] = tuple(names[max(k - 1, 0) : k] + names[k + 1 : k + 2])
    return near


LEVEL_NEIGHBOURS = _adjacent([n for n, _ in _NAMES]) | _adjacent([d for d, _ in _DISCS])
BONES |= LEVELS
BONE_NEIGHBOURS |= LEVEL_NEIGHBOURS

# The bones of the pelvis, and the metatarsals and metacarpals by their number: an error puts a
# lesion in the bone beside (the ilium -> the sacrum; the fifth -> the fourth metatarsal).
PELVIC_BONES = {
    "ilium": (("ilium", "iliac bone", "iliac wing"), "pelvis", True, None),
    "ischium": (("ischium", "ischial tuberosity"), "pelvis", True, None),
    "pubis": (("pubis", "pubic bone", "pubic ramus", "pubic rami"), "pelvis", True, None),
    **{
        f"{r} pubic ramus": ((f"{r} pubic ramus",), "pelvis", True, "pubis")
        for r in ("superior", "inferior")
    },
    "sacrum": (("sacrum",), "pelvis", False, None),
    "acetabulum": (("acetabulum", "acetabula", "acetabular"), "pelvis", True, None),
}
# The parts of a vertebra: a lesion or a defect is put in the part beside (pedicle -> transverse
# process); not the lamina, a word of the gut's and the vessels' walls too.
VERTEBRA_PARTS = {
    "pedicle": (("pedicle", "pedicles"), None, True, "spine"),
    "spinous process": (("spinous process", "spinous processes"), None, False, "spine"),
    "transverse process": (("transverse process", "transverse processes"), None, True, "spine"),
    "pars interarticularis": (("pars interarticularis", "pars defect"), None, True, "spine"),
}
_ORDINALS = ("first", "second", "third", "fourth", "fifth")
_RAYS = [f"{n} {bone}" for bone in ("metatarsal", "metacarpal") for n in _ORDINALS]
BONES |= PELVIC_BONES | VERTEBRA_PARTS | {ray: ((ray,), None, True, None) for ray in _RAYS}
BONE_NEIGHBOURS |= {
    "ilium": ("sacrum", "ischium"),
    "ischium": ("ilium", "pubis"),
    "pubis": ("ischium",),
    "superior pubic ramus": ("inferior pubic ramus",),
    "inferior pubic ramus": ("superior pubic ramus",),
    "sacrum": ("ilium",),
    "acetabulum": ("ilium", "ischium", "pubis"),
    "pedicle": ("transverse process", "pars interarticularis"),
    "transverse process": ("pedicle", "spinous process"),
    "spinous process": ("transverse process",),
    "pars interarticularis": ("pedicle",),
}
BONE_NEIGHBOURS |= _adjacent(_RAYS[:5]) | _adjacent(_RAYS[5:])
BONE_NEIGHBOURS |= GENITAL_NEIGHBOURS | BOWEL_NEIGHBOURS

# Where a part of an organ is not said to lie: no lower lobe 'near the apex', no upper lobe at the
# base (a lobe planted in place of another keeps the words that place the old one).
ORGAN_NOT_AT = {
    "lower lobe": r"\b(?:apex|apices|apical)\b",
    "middle lobe": r"\b(?:apex|apices|apical)\b",
    "upper lobe": r"\b(?:base|bases|basal|basilar|costophrenic)\b",
    "ureteropelvic junction": r"\bhydroureter\w*",  # a dilated ureter: blocked below the UPJ
}

# The words that place by an abdominal organ, its quadrant (before 'quadrant' or 'abdomen') and
# its peri- adjective: an organ swapped or corrected takes them with it (in the spleen, in the left
# upper quadrant -> in the liver, in the right upper quadrant; a perisplenic -> a perihepatic
# hematoma).
PLACE_WORDS = {
    "liver": ("right upper", "perihepatic"),
    "gallbladder": ("right upper", "pericholecystic"),
    "spleen": ("left upper", "perisplenic"),
    "appendix": ("right lower", "periappendiceal"),
    "kidney": ("", "perirenal"),
    "pancreas": ("", "peripancreatic"),
}
PLACE_ENDS = (r"(?=\s+(?:quadrant|abdomen)\b)", r"\b")  # the right upper quadrant or abdomen

# What lies beside one lobe of a lung alone: a lobe corrected keeps none of the old one's (the
# left lower lobe, abutting the costophrenic recess: never the upper lobe there).
LOBE_PLACES = {
    "lower lobe": r"\b(?:costophrenic|diaphragm\w*|hemidiaphragm\w*|bas(?:al|ilar|es?))\b",
    "upper lobe": r"\b(?:apex|apices|apical|aortic\s+knob|thoracic\s+inlet)\b",
}

# Parts of one organ that exclude one another: a report placing a finding in another is wrong.
EXCLUSIVE_PARTS = (("upper lobe", "middle lobe", "lower lobe", "lingula"),
                   ("frontal lobe", "parietal lobe", "temporal lobe", "occipital lobe"),
                   ("anterior mediastinum", "middle mediastinum", "posterior mediastinum"),
                   ("cecum", "ascending colon", "transverse colon", "descending colon",
                    "sigmoid colon"),
                   ("femoral head", "femoral neck", "intertrochanteric region",
                    "femoral shaft"), ("right atrium", "right ventricle", "left atrium",
                                       "left ventricle"))  # fmt: skip

# The bones that meet at a joint: a dislocation of the radius and ulna is one of the elbow.
JOINT_BONES = {"elbow": ("humerus", "radius", "ulna"), "knee": ("femur", "tibia", "fibula"),
               "shoulder": ("humerus", "scapula", "clavicle"), "hip": ("femur",),
               "wrist": ("radius", "ulna", "scaphoid", "lunate", "triquetrum"),
               "ankle": ("tibia", "fibula", "talus")}  # fmt: skip

# Parts that only some organs have: an organ swapped after 'the head of' must have a head, and
# one whose section shows the zona glomerulosa is an adrenal gland.
ORGAN_PARTS = {"head": ("pancreas", "femur", "humerus"), "tail": ("pancreas",),
               "appendage": ("left atrium", "right atrium"), "waist": ("scaphoid",),
               "apex": ("left ventricle", "right ventricle", "heart", "lung"),
               "apical": ("left ventricle", "right ventricle", "heart", "lung"),
               "uncinate process": ("pancreas",), "neck": ("pancreas", "gallbladder", "femur"),
               "fundus": ("stomach", "gallbladder", "uterus"), "antrum": ("stomach",),
               "body": ("pancreas", "stomach", "gallbladder", "uterus"),
               "dome": ("liver", "bladder"), "hilum": ("kidney", "liver", "spleen", "lung"),
               "pole": ("kidney", "spleen"), "cortex": ("kidney", "adrenal gland", "brain"),
               "medulla": ("kidney", "adrenal gland"), "zona": ("adrenal gland",),
               "islet": ("pancreas",), "red pulp": ("spleen",), "white pulp": ("spleen",),
               "portal tract": ("liver",), "styloid": ("radius", "ulna"),
               "hook": ("hamate",)}  # fmt: skip
# Named parts of a bone or organ: a fracture through the acromion is one of the scapula, a defect
# through the caudate lobe one of the liver, whatever organ the sentence is made to name.
NAMED_PARTS = {"right lobe": ("liver", "thyroid"), "left lobe": ("liver", "thyroid"),
               "caudate lobe": ("liver",), "porta hepatis": ("liver",), "isthmus": ("thyroid",),
               "superficial lobe": ("parotid gland",), "deep lobe": ("parotid gland",),
               "renal pelvis": ("kidney",), "uncinate process": ("pancreas",),
               "acromion": ("scapula",), "glenoid": ("scapula",), "coracoid": ("scapula",),
               "olecranon": ("ulna",), "coronoid process": ("ulna", "mandible"),
               "trochanter": ("femur",), "intertrochanteric": ("femur",),
               "subtrochanteric": ("femur",), "femoral neck": ("femur",),
               "femoral condyle": ("femur",), "tibial plateau": ("tibia",),
               "tibial tuberosity": ("tibia",), "medial malleolus": ("tibia",),
               "lateral malleolus": ("fibula",), "fibular head": ("fibula",),
               "epicondyle": ("humerus", "femur"), "capitellum": ("humerus",),
               "greater tuberosity": ("humerus",), "surgical neck": ("humerus",),
               "radial head": ("radius",), "radial styloid": ("radius",),
               "ulnar styloid": ("ulna",), "odontoid": ("C2",), "dens": ("C2",),
               "iliac crest": ("ilium",), "iliac wing": ("ilium",), "sacral ala": ("sacrum",),
               "mandibular condyle": ("mandible",), "mandibular angle": ("mandible",),
               "costochondral": ("rib",), "sustentaculum": ("calcaneus",)}  # fmt: skip
# Words said only of a vessel (a dilated and tortuous aorta): with another organ in its place
# they stay wrong, like a named part of the old organ.
NAMED_PARTS |= {w: ("aorta", "superior vena cava", *VESSELS) for w in ("tortuo", "ectatic")}
NAMED_PARTS |= {"valvulae conniventes": ("small bowel",), "plicae circulares": ("small bowel",),
                "haustra": ("colon",), "bile\\b": ("gallbladder", "bile duct"),
                "urine": ("bladder", "kidney", "ureter"),
                "craniocervical": ("cervical spine",), "cauda equina": ("lumbar spine",),
                "peri(?:nephric|renal)": ("kidney",),
                "cervical (?:spinal )?cord": ("cervical spine",)}  # fmt: skip


# The structures that tell an organ in a section (what organ is this section from?), distinctive
# ones only: follicles filled with colloid are the thyroid's, not the parathyroid's; and the
# quadrant an abdominal organ lies in (the spleen, in the left upper quadrant).
HISTOLOGY = {
    "thyroid": "colloid|thyroid follicle*|thyrocyte*|follicular epithelial cell*|hurthle|"
        "parafollicular",
    "parathyroid gland": "oxyphil cell*|parathyroid hormone|water-clear cell*",
    "sublingual gland": "floor of the mouth",
    "parotid gland": "preauricular|in front of the ear|stensen*",
    "submandibular gland": "submandibular triangle|wharton*",
    "liver": "hepatocyte*|portal tract*|portal triad*|hepatic sinusoid*|central vein*|kupffer|"
        "hepatic lobule*|hepatic plate*|bile canalicul*|right upper quadrant",
    "kidney": "glomerul*|renal tubule*|proximal tubule*|distal tubule*|bowman*|collecting duct*|"
        "podocyte*|juxtaglomerular",
    "lung": "alveol*|pneumocyte*|bronchiole*",
    "spleen": "white pulp|red pulp|periarteriolar lymphoid sheath*|splenic cord*|cords of billroth|"
        "left upper quadrant",
    "lymph node": "germinal cent*|subcapsular sinus*|paracortex|paracortical|medullary cord*",
    "stomach": "parietal cell*|gastric pit*|foveolar|oxyntic|fundic gland*|antral gland*",
    "pancreas": "islet*|islets of langerhans|centroacinar|pancreatic acin*",
    "heart": "cardiomyocyte*|cardiac myocyte*|intercalated dis*|myocardi*",
    "adrenal gland": "zona glomerulosa|zona fasciculata|zona reticularis|chromaffin",
    "prostate": "corpora amylacea|prostatic gland*|prostatic acin*",
}  # fmt: skip
# The organ systems a question may ask for, by the organs that belong to them (their parts too).
_BOWEL = ("esophagus", "stomach", "small bowel", "bowel", "colon", "rectum", "appendix")
_HEPATOBILIARY = ("liver", "gallbladder", "bile duct", "pancreas")
_URINARY = ("kidney", "ureter", "bladder", "adrenal gland")
_GENITAL = ("prostate", "testis", "epididymis", "uterus", "ovary", "adnexa", "fallopian tube")
_CHEST = ("lung", "trachea", "bronchus", "pleura", "larynx")
_VESSELS = ("heart", "aorta", "vasculature", "coronary artery", "pulmonary artery",
            "inferior vena cava", "superior vena cava")  # fmt: skip
_SKELETON = ("bone", "spine", "rib", *JOINT_BONES, *{b for bs in JOINT_BONES.values() for b in bs})
SYSTEMS = {
    "gastrointestinal": _BOWEL, "digestive": _BOWEL + _HEPATOBILIARY,
    "hepatobiliary": _HEPATOBILIARY,
    "genitourinary": _URINARY + _GENITAL, "urinary": _URINARY, "renal": _URINARY,
    "reproductive": _GENITAL, "respiratory": _CHEST, "pulmonary": _CHEST,
    "cardiovascular": _VESSELS, "musculoskeletal": _SKELETON, "skeletal": _SKELETON,
    "central nervous": ("brain",), "nervous": ("brain",), "neurologic": ("brain",),
}  # fmt: skip
# Operations named by the organ they take out: a cholecystectomy is said by a gallbladder removed.
REMOVED_BY = {"cholecystectomy": "gallbladder", "appendectomy": "appendix",
              "appendicectomy": "appendix", "nephrectomy": "kidney", "splenectomy": "spleen",
              "pneumonectomy": "lung", "hysterectomy": "uterus", "mastectomy": "breast",
              "thyroidectomy": "thyroid", "colectomy": "colon", "prostatectomy": "prostate",
              "gastrectomy": "stomach", "oophorectomy": "ovary", "cystectomy": "bladder",
              "pancreatectomy": "pancreas", "orchiectomy": "testis", "laryngectomy": "larynx",
              "esophagectomy": "esophagus", "adrenalectomy": "adrenal gland"}  # fmt: skip
