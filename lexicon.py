"""The clinical vocabulary of MedPO's judge and editor (clinical.py and the modules it uses),
as data only; how an image was made (modality, plane, view, MR sequence) and how things look on
it are in imaging.py.

Every group maps a concept (its canonical name, also the form written when an error is planted or
a word is corrected) to its surface forms: synonyms and word forms, lower case unless the term is
written in capitals (CT, MRI, T2). Plurals of single nouns (effusions, nodules, opacities) are
matched by claims.py, not listed. Within a group the concepts exclude one another where the
judge says so (a side, benign or malignant); what may replace what when an error is planted is
said here too: sides only on PAIRED organs (or an organ's MIRROR on the other side), organs by
NEIGHBOURS (one body region) or, for a finding with an organ of its own, its SITES; findings
within one FAMILY, degrees on one ordered scale. Then the cue phrases of negation, hedging (with
their scope: forward, back to the clause start, the whole clause or sentence) and clause ends
(NegEx / ConText style), the words that make a claim exclusive (only), the wording that asserts
or denies a finding, the words of a noun phrase (determiners, positions, times, describing
endings), and what a question's wording asks for. No logic: claims.py and the editors read all
of it.
"""

from __future__ import annotations

from anatomy import (  # noqa: F401 (ORGAN_PARTS, EXCLUSIVE_PARTS re-exported)
    BONE_NEIGHBOURS,
    BONES,
    DEVICE_SITES,
    EXCLUSIVE_PARTS,
    ORGAN_NOT_AT,
    ORGAN_PARTS,
    VESSEL_NEIGHBOURS,
    VESSELS,
)
from entities import ENTITIES, ENTITY_NOT_AT, ENTITY_ORGAN, EPONYMS, MARKERS, TUMOUR_NAMES  # noqa: F401
from features import CONCLUSIONS, FEATURES_OF  # noqa: F401 (re-exported: what tells a concept)
from findings import FINDINGS as RADIOLOGY_FINDINGS

SIDES = {
    "left": ("left", "left-sided", "left sided", "leftward"),
    "right": ("right", "right-sided", "right sided", "rightward"),
    "bilateral": ("bilateral", "bilaterally", "both", "both sides", "bibasilar"),
}
OPPOSITE_SIDE = {"left": "right", "right": "left"}  # a side swapped or corrected
# Words that place a finding on one side by themselves (a retrocardiac opacity, free air by the
# liver's dome, a cyst just below the liver), as regexes: no side is swapped beside them.
SIDED_WORDS = {"retrocardiac": "left", "dome of the liver": "right", "hepatic dome": "right",
               r"gastric\s+fundus|fundus\s+of\s+the\s+stomach|gastric\s+bubble": "left",
               r"(?:below|beneath|under)\s+the\s+liver": "right",
               r"(?:posterior|behind)\s+(?:to\s+)?the\s+(?:IVC|inferior\s+vena\s+cava)": "right",
               }  # fmt: skip  # behind the IVC: the right adrenal gland
# Organs on one side only: a finding of theirs fixes its region's side (a RUQ gallstone).
ONE_SIDED = {"gallbladder": "right", "appendix": "right", "cecum": "right", "spleen": "left",
             "minor fissure": "right", "horizontal fissure": "right", "ascending colon": "right",
             "descending colon": "left", "sigmoid colon": "left"}  # fmt: skip
# A side written as its capital letter before the word it places (R costophrenic angle, L IJ).
SIDE_LETTERS = {"R": "right", "L": "left"}
HEART_LETTERS = {"RV": "right ventricle", "LV": "left ventricle", "LA": "left atrium"}  # capitals
ZONE_LETTERS = {"TZ": "transition zone", "PZ": "peripheral zone", "CZ": "central zone"}

NORMALITY = {
    "normal": ("normal", "unremarkable", "within normal limits", "healthy", "clear",
               "no abnormality", "no abnormalities", "no acute abnormality",
               *(f"no acute {where}{what}" for where in ("cardiopulmonary ", "pulmonary ",
                 "radiographic cardiopulmonary ", "intrathoracic ", "")
                 for what in ("abnormality", "process", "disease", "findings")), "viable"),
    "abnormal": ("abnormal", "abnormality", "abnormalities", "pathological", "diseased"),
}  # fmt: skip
NORMALITY["normal"] += tuple(f"without{f[2:]}" for f in NORMALITY["normal"] if f[:9] == "no acute ")

# The groups of terms whose concepts exclude one another (a side, a modality, a look): another
# concept of the group said where one is asked contradicts it.
EXCLUSIVE = ("side", "modality", "plane", "sequence", "degree", "number", "view", "behaviour",
             "look", "differentiation")  # fmt: skip
# What a lesion is: benign or malignant (exclusive, as sides are).
BEHAVIOURS = {"benign": ("benign", "non-cancerous", "noncancerous"),
              "malignant": ("malignant", "cancerous")}  # fmt: skip
# How far a carcinoma's cells resemble their tissue (its grade; exclusive, as sides are).
DIFFERENTIATION = {
    "well differentiated": ("well differentiated", "well-differentiated"),
    "moderately differentiated": ("moderately differentiated", "moderately-differentiated"),
    "poorly differentiated": ("poorly differentiated", "poorly-differentiated"),
}
# Words that name a malignant finding: 'benign' said of the same thing contradicts them.
MALIGNANT_WORDS = ("malignant", "malignancy", "cancer", "carcinoma", "adenocarcinoma",
                   "metastatic", "metastasis", "metastases", "lymphoma", "sarcoma",
                   "melanoma")  # fmt: skip
MALIGNANT_ENDINGS = ("carcinoma", "sarcoma")  # words ending so are malignant (chondrosarcoma)
# Endings of the names of benign tumours (a follicular adenoma is not malignant).
BENIGN_ENDINGS = ("adenoma", "lipoma", "hamartoma", "hemangioma", "haemangioma", "leiomyoma",
                  "fibroma", "papilloma", "schwannoma", "osteoma", "chondroma",
                  "oncocytoma")  # fmt: skip

# Body regions, and the organs (with their parts) in each. paired: the organ has a left and a
# right (a side may be swapped only there). parent: the organ a part belongs to (the left lower
# lobe is in the left lung).
REGIONS = {
    "head": ("head", "cranial", "skull", "intracranial"),
    "neck": ("neck", "cervical"),
    "chest": ("chest", "thorax", "thoracic", "thoracic cavity"),
    "abdomen": ("abdomen", "abdominal", "belly"),
    "pelvis": ("pelvis", "pelvic"),
}
# Organs no one names a cancer after (a splenic mass is lymphoma, not 'spleen cancer').
NO_CANCER_OF = ("spleen", "heart")
# A region said as an adjective of what an image shows (the abdominal region, a pelvic CT): the
# adjective written when another region takes its place, and the words it may stand before.
REGION_ADJECTIVES = {"abdomen": "abdominal", "chest": "thoracic", "pelvis": "pelvic"}
REGION_HEADS = r"region|area|cavity|CT|MRI|scan|radiograph|X-ray|film|ultrasound|image|study"

ORGANS = {  # name: (forms, region, paired, parent)
    "brain": (("brain", "cerebrum", "cerebral", "cerebral hemisphere"), "head", False, None),
    "cerebellum": (("cerebellum", "cerebellar"), "head", False, "brain"),
    "brainstem": (("brainstem", "brain stem", "pons", "medulla"), "head", False, "brain"),
    "lateral ventricle": (("lateral ventricle", "ventricle", "ventricular system"), "head", True,
                          "brain"),
    "third ventricle": (("third ventricle",), "head", False, "brain"),
    "fourth ventricle": (("fourth ventricle",), "head", False, "brain"),
    "thalamus": (("thalamus", "thalamic"), "head", True, "brain"),
    "basal ganglia": (("basal ganglia", "basal ganglion"), "head", True, "brain"),
    "putamen": (("putamen", "putaminal"), "head", True, "basal ganglia"),
    "caudate nucleus": (("caudate nucleus",), "head", True, "basal ganglia"),
    "internal capsule": (("internal capsule",), "head", True, "brain"),
    "hippocampus": (("hippocampus", "hippocampal"), "head", True, "brain"),
    "corpus callosum": (("corpus callosum",), "head", False, "brain"),
    "frontal lobe": (("frontal lobe", "frontal"), "head", True, "brain"),
    "parietal lobe": (("parietal lobe", "parietal"), "head", True, "brain"),
    "temporal lobe": (("temporal lobe", "temporal"), "head", True, "brain"),
    "occipital lobe": (("occipital lobe", "occipital"), "head", True, "brain"),
    "orbit": (("orbit", "orbital", "eye", "globe"), "head", True, None),
    "sinus": (("sinus", "paranasal sinus", "maxillary sinus", "ethmoid air cells"), "head", True,
              None),
    "sella": (("sella", "sella turcica", "sellar", "pituitary fossa"), "head", False, None),
    "pituitary gland": (("pituitary gland", "pituitary", "hypophysis"), "head", False, "sella"),
    "pineal gland": (("pineal gland", "pineal"), "head", False, None),
    "cavernous sinus": (("cavernous sinus", "cavernous sinuses"), "head", True, None),
    # the dural venous sinuses and the skull's sutures: no plane in their names
    "dural venous sinus": (("dural venous sinus", "dural sinus", "venous sinus"), "head", False,
                           None),
    "superior sagittal sinus": (("superior sagittal sinus", "sagittal sinus"), "head", False,
                                "dural venous sinus"),
    "straight sinus": (("straight sinus",), "head", False, "dural venous sinus"),
    "transverse sinus": (("transverse sinus",), "head", True, "dural venous sinus"),
    "sigmoid sinus": (("sigmoid sinus",), "head", True, "dural venous sinus"),
    "coronal suture": (("coronal suture",), "head", True, None),
    "sagittal suture": (("sagittal suture",), "head", False, None),
    "lambdoid suture": (("lambdoid suture",), "head", True, None),
    "metopic suture": (("metopic suture",), "head", False, None),
    "thyroid": (("thyroid", "thyroid gland"), "neck", False, None),
    "parathyroid gland": (("parathyroid gland", "parathyroid"), "neck", False, None),
    "submandibular gland": (("submandibular gland", "submandibular"), "head", True, None),
    "sublingual gland": (("sublingual gland",), "head", True, None),
    "trachea": (("trachea", "tracheal", "windpipe"), "neck", False, None),
    "carina": (("carina",), "chest", False, "trachea"),
    "bronchus": (("main bronchus", "mainstem bronchus", "bronchus", "bronchi"), "chest", True,
                 None),
    "superior vena cava": (("superior vena cava", "SVC", "cavoatrial junction"), "chest", False,
                           None),
    "right atrium": (("right atrium",), "chest", False, "heart"),
    "right ventricle": (("right ventricle", "right ventricular"), "chest", False, "heart"),
    "left atrium": (("left atrium", "left atrial"), "chest", False, "heart"),
    "left ventricle": (("left ventricle", "left ventricular"), "chest", False, "heart"),
    "esophagus": (("esophagus", "oesophagus", "esophageal"), "chest", False, None),
    "lung": (("lung", "pulmonary", "lung field", "hemithorax", "midlung zone", "midlung",
              "mid lung zone", "mid-lung zone", "mid-lung", "lung zone"), "chest", True, None),
    "upper lobe": (("upper lobe",), "chest", True, "lung"),
    "middle lobe": (("middle lobe",), "chest", False, "lung"),
    "lower lobe": (("lower lobe",), "chest", True, "lung"),
    "lingula": (("lingula", "lingular"), "chest", False, "lung"),
    "lung base": (("lung base", "base"), "chest", True, "lung"),
    "lung apex": (("lung apex", "apex", "apical"), "chest", True, "lung"),
    "pleura": (("pleura", "pleural", "pleural space", "costophrenic angle",
               "costophrenic recess", "costophrenic sulcus"), "chest", True, None),
    "heart": (("heart", "cardiac", "cardiac silhouette", "heart size",
               "cardiomediastinal silhouette",
               "cardiomediastinal contour", "cardiomediastinal"), "chest", False, None),
    "pericardium": (("pericardium", "pericardial sac"), "chest", False, "heart"),
    # the valves, each its own (calcification of the aortic valve is not of the aorta's knob)
    "aortic valve": (("aortic valve", "aortic valvular"), "chest", False, "heart"),
    "mitral valve": (("mitral valve", "mitral annulus", "mitral annular"), "chest", False, "heart"),
    "tricuspid valve": (("tricuspid valve",), "chest", False, "heart"),
    "pulmonary valve": (("pulmonary valve", "pulmonic valve"), "chest", False, "heart"),
    "cardiophrenic angle": (("cardiophrenic angle", "cardiophrenic angles"), "chest", True, None),
    "mediastinum": (("mediastinum", "mediastinal", "mediastinal contour"), "chest", False, None),
    "anterior mediastinum": (("anterior mediastinum", "anterior mediastinal"), "chest", False,
                             "mediastinum"),
    "middle mediastinum": (("middle mediastinum",), "chest", False, "mediastinum"),
    "posterior mediastinum": (("posterior mediastinum", "posterior mediastinal"), "chest", False,
                              "mediastinum"),
    "hilum": (("hilum", "hila", "hilar"), "chest", True, None),
    "aorta": (("aorta", "aortic"), "chest", False, None),
    "diaphragm": (("diaphragm", "diaphragmatic"), "chest", False, None),
    "hemidiaphragm": (("hemidiaphragm",), "chest", True, "diaphragm"),
    "rib": (("rib",), "chest", True, None),
    "clavicle": (("clavicle", "collarbone", "collar bone"), "chest", True, None),
    "scapula": (("scapula", "scapular", "shoulder blade"), "chest", True, None),
    "breast": (("breast",), "chest", True, None),
    "axilla": (("axilla", "axillary"), "chest", True, None),
    "liver": (("liver", "hepatic"), "abdomen", False, None),
    "gallbladder": (("gallbladder", "gall bladder"), "abdomen", False, None),
    "spleen": (("spleen", "splenic"), "abdomen", False, None),
    "pancreas": (("pancreas", "pancreatic"), "abdomen", False, None),
    "stomach": (("stomach", "gastric"), "abdomen", False, None),
    "kidney": (("kidney", "renal"), "abdomen", True, None),
    "collecting system": (("collecting system", "renal pelvis", "pelvicalyceal system"), "abdomen",
                          True, "kidney"),
    "adrenal gland": (("adrenal gland", "adrenal", "suprarenal"), "abdomen", True, None),
    "small bowel": (("small bowel", "small intestine"), "abdomen", False, None),
    "jejunum": (("jejunum", "jejunal"), "abdomen", False, "small bowel"),
    "ileum": (("ileum", "ileal"), "abdomen", False, "small bowel"),
    "terminal ileum": (("terminal ileum", "distal ileum"), "abdomen", False, "ileum"),
    "duodenum": (("duodenum", "duodenal"), "abdomen", False, "small bowel"),
    "bile duct": (("common bile duct", "bile duct", "cystic duct"), "abdomen", False, None),
    "pancreatic duct": (("pancreatic duct", "main pancreatic duct"), "abdomen", False, "pancreas"),
    "colon": (("colon", "large bowel", "large intestine", "colonic"), "abdomen", False, None),
    "bowel": (("bowel", "intestine", "bowel loop"), "abdomen", False, None),
    "appendix": (("appendix",), "abdomen", False, None),
    "bladder": (("bladder", "urinary bladder"), "pelvis", False, None),
    "uterus": (("uterus", "uterine"), "pelvis", False, None),
    "ovary": (("ovary", "ovarian"), "pelvis", True, None),
    "adnexa": (("adnexa", "adnexal", "adnexum"), "pelvis", True, None),  # ovary and tube
    "prostate": (("prostate",), "pelvis", False, None),
    "peripheral zone": (("peripheral zone",), "pelvis", False, "prostate"),  # the prostate's
    "transition zone": (("transition zone", "transitional zone"), "pelvis", False, "prostate"),
    "central zone": (("central zone",), "pelvis", False, "prostate"),
    "rectum": (("rectum", "rectal"), "pelvis", False, None),
    "spine": (("spine", "spinal cord", "vertebra", "vertebral body", "spinal"), None, False, None),
    "femur": (("femur", "femoral", "thighbone", "thigh bone"), "pelvis", True, None),
    "femoral head": (("femoral head", "head of the femur"), "pelvis", True, "femur"),
    "femoral neck": (("femoral neck", "neck of the femur", "subcapital"), "pelvis", True, "femur"),
    "intertrochanteric region": (("intertrochanteric region", "intertrochanteric"), "pelvis",
                                 True, "femur"),
    "femoral shaft": (("femoral shaft", "shaft of the femur", "femoral diaphysis"), "pelvis",
                      True, "femur"),
    "hip": (("hip",), "pelvis", True, None),
    "humerus": (("humerus", "humeral"), None, True, None),
    # joints (no hand or foot: 'on the other hand', a podocyte's foot processes)
    "shoulder": (("shoulder", "shoulder joint", "glenohumeral joint"), None, True, None),
    "elbow": (("elbow", "elbow joint"), None, True, None),
    "wrist": (("wrist", "wrist joint"), None, True, None),
    "knee": (("knee", "knee joint"), None, True, None),
    "ankle": (("ankle", "ankle joint"), None, True, None),
    "radius": (("radius",), None, True, None),
    "ulna": (("ulna", "ulnar"), None, True, None),
    "tibia": (("tibia", "tibial", "shinbone", "shin bone"), None, True, None),
    "fibula": (("fibula", "fibular"), None, True, None),
    "ureter": (("ureter", "ureteral"), "abdomen", True, None),
    "larynx": (("larynx", "laryngeal"), "neck", False, None),
    "parotid gland": (("parotid gland", "parotid"), "head", True, None),
    "lymph node": (("lymph node", "node"), None, False, None),
    "bone": (("bone", "osseous structure", "bony structure", "osseous", "bony", "skeletal"), None,
             False, None),
    "soft tissue": (("soft tissue",), None, False, None),
    "vasculature": (("pulmonary vasculature", "pulmonary vascularity", "vasculature",
                     "vascularity", "vascular markings"), "chest", False,
                    None),
}  # fmt: skip
ORGANS |= VESSELS | BONES  # vessels, bones, parts of the spine (anatomy.py)
LIMB_PARTS = {c for c, v in ORGANS.items() if v[1] is None and v[2]}  # a humerus, a left knee
PLACES = {p for parts in EXCLUSIVE_PARTS for p in parts}  # one of them names where it lies
# An organ planted in place of another: a neighbour in its body region, paired like it.
NEIGHBOURS = {
    "liver": ("spleen",),
    "spleen": ("liver",),
    "kidney": ("adrenal gland",),
    "adrenal gland": ("kidney",),
    "pancreas": ("liver",),
    "gallbladder": ("pancreas", "duodenum"),
    "bile duct": ("pancreatic duct",),
    "pancreatic duct": ("bile duct",),
    "stomach": ("colon",),
    "colon": ("stomach", "small bowel"),
    "small bowel": ("colon",),
    "jejunum": ("ileum",),
    "ileum": ("jejunum",),
    "terminal ileum": ("jejunum", "cecum"),
    "bladder": ("rectum",),
    "rectum": ("sigmoid colon", "bladder"),  # the colon holds the rectum: no error
    "heart": ("lung",),
    "right atrium": ("right ventricle",),
    "right ventricle": ("right atrium",),
    "left atrium": ("left ventricle",),
    "left ventricle": ("left atrium",),
    "brain": ("cerebellum",),
    "cerebellum": ("brainstem",),
    "frontal lobe": ("parietal lobe",),
    "parietal lobe": ("frontal lobe",),
    "temporal lobe": ("occipital lobe",),
    "occipital lobe": ("temporal lobe",),
    "lateral ventricle": ("third ventricle", "fourth ventricle"),
    "third ventricle": ("fourth ventricle",),
    "fourth ventricle": ("third ventricle",),
    "parotid gland": ("submandibular gland",),
    "submandibular gland": ("parotid gland", "sublingual gland"),
    "sublingual gland": ("submandibular gland",),
    "thalamus": ("putamen", "caudate nucleus"),
    "putamen": ("thalamus", "caudate nucleus"),
    "caudate nucleus": ("putamen", "thalamus"),
    "basal ganglia": ("thalamus",),
    "internal capsule": ("thalamus", "putamen"),
    "anterior mediastinum": ("middle mediastinum", "posterior mediastinum"),
    "middle mediastinum": ("anterior mediastinum", "posterior mediastinum"),
    "posterior mediastinum": ("anterior mediastinum", "middle mediastinum"),
    "femoral neck": ("intertrochanteric region", "femoral head"),
    "intertrochanteric region": ("femoral neck", "femoral shaft"),
    "femoral head": ("femoral neck",),
    "femoral shaft": ("intertrochanteric region",),
    "radius": ("ulna",),
    "ulna": ("radius",),
    "upper lobe": ("lower lobe",),
    "lower lobe": ("upper lobe",),
    "middle lobe": ("upper lobe", "lower lobe"),
    "thyroid": ("parathyroid gland",),
    "parathyroid gland": ("thyroid",),
    "clavicle": ("scapula",),
    "scapula": ("clavicle",),
    "pelvis": ("abdomen",),
    "abdomen": ("chest", "pelvis"),
    "chest": ("abdomen", "neck"),
    "neck": ("chest", "head"),
    "head": ("neck",),
}
NEIGHBOURS |= VESSEL_NEIGHBOURS | BONE_NEIGHBOURS  # the same (anatomy.py)

# After a side, the words that make it the image's side, not the organ's (on the left of the image).
IMAGE_SIDE = (
    r"\s+(?:side\s+)?of\s+(?:the\s+|this\s+)?(?:image|picture|film|scan|slice|screen|radiograph)"
)
# A comparison turned around (the liver is larger -> smaller than the spleen).
COMPARATIVES = {"larger": "smaller", "bigger": "smaller", "greater": "smaller", "higher": "lower",
                "more": "less", "longer": "shorter", "smaller": "larger", "less": "more",
                "lower": "higher", "shorter": "longer"}  # fmt: skip
MAIN_ORGANS = ("brain", "lung", "heart", "liver", "kidney", "spleen", "pancreas", "stomach",
               "bladder", "colon")  # fmt: skip  # what may answer 'Which organ is this?'
# Where a finding with an organ of its own may lie instead (a kidney stone in the ureter, never
# in the adrenal gland); an error planted by organ keeps to these.
SITES = {"kidney stone": ("kidney", "ureter", "bladder"),
         "gallstone": ("gallbladder", "bile duct", "duodenum", "pancreas"),
         "enteric tube": ("stomach", "esophagus", "bronchus"),
         "endotracheal tube": ("trachea", "bronchus"), "drain": (),  # where it drains: no error
         **DEVICE_SITES}  # fmt: skip
# Parts any organ may have (the apex of the lung, the tip of the spleen), with those above: the
# words that name a part of the organ after them ('the upper pole of' the kidney).
PART_WORDS = (*ORGAN_PARTS, "apex", "base", "lobe", "segment", "tip")
# The parts of an organ that exclude one another (the head or the tail of the pancreas), read
# before 'of the <organ>' or after its adjective (the pancreatic head).
PARTS_OF = {"pancreas": ("head", "neck", "body", "tail"),  # the uncinate process: the head's
            "stomach": ("fundus", "body", "antrum"),
            "gallbladder": ("fundus", "body", "neck")}  # fmt: skip
# Where a finding is not said to lie (an effusion layers low: no "apical pleural effusion" is
# planted in place of an apical pneumothorax).
NOT_AT = {"pleural effusion": r"\b(?:apical|apex|apices)\b", **ENTITY_NOT_AT, **ORGAN_NOT_AT}
# An organ of one side only and its counterpart on the other (the right middle lobe's is the
# lingula): a side swapped there swaps the organ.
MIRRORS = {"middle lobe": "lingula", "lingula": "middle lobe"}

# Findings: name: (forms, organ it lies in by default, family), those of findings.py and the
# named diagnoses, cells and structures of entities.py.
FINDINGS = RADIOLOGY_FINDINGS | ENTITIES
# Families no error plants absent: a device (placed by its report), a stain (chosen), a curve
# denied by its way (no levoconvex scoliosis hints at a curve the other way).
NEVER_DENIED = ("device", "stain", "scoliosis direction", *MARKERS)
# Words that grade or stage a tumour, true of another tumour put in its place.
TUMOUR_GRADES = r"(?:well|moderately|poorly)[- ]differentiated|invasive|infiltrating"
# Findings of old standing: a reference that finds nothing acute says nothing of them.
CHRONIC_FINDINGS = ("granuloma", "calcification", "degenerative change", "scoliosis",
                    "atherosclerosis", "fibrosis", "emphysema", "bulla")  # fmt: skip
# Chest findings acute by nature: a report stating one cannot also find nothing acute there.
ACUTE_FINDINGS = ("pneumothorax", "consolidation", "pneumonia", "pulmonary edema",
                  "pneumomediastinum")  # fmt: skip
# Findings whose denial elsewhere in a report a planted one would contradict (a consolidation
# planted where the impression says 'without pneumonia').
TOLD_WITH = {"consolidation": ("pneumonia",), "pneumonia": ("consolidation",)}
# The organs a normal 'cardiopulmonary' statement speaks for (no acute cardiopulmonary process
# says nothing of a rib fracture).
CARDIOPULMONARY = ("heart", "lung", "pleura", "mediastinum", "vasculature", "hilum", "aorta")
# A generic finding and the findings it covers: 'Is there a lesion?' is answered by a mass; a
# report's opacity by another's consolidation (airspace opacity).
GENERIC = {
    "lesion": ("nodule", "mass", "cyst", "tumor", "metastasis", "granuloma", "abscess"),
    "opacity": ("consolidation", "mass", "nodule"),  # a soft tissue opacity: a mass
    "hernia": ("hiatal hernia",),
    "ventral hernia": ("umbilical hernia", "incisional hernia"),
    "tumor": (*TUMOUR_NAMES, "adenocarcinoma", "squamous cell carcinoma", "lymphoma"),
    "lymphoma": tuple(c for c in TUMOUR_NAMES if c.endswith("lymphoma")),
    "infarct": ("myocardial infarction",),
    "embolism": ("pulmonary embolism",),
    "hyperplasia": ("benign prostatic hyperplasia",),  # nodular hyperplasia of the prostate
    "cerebral edema": ("vasogenic edema", "cytotoxic edema"),
    "ascites": ("hemoperitoneum",),  # free fluid: blood in the peritoneum is some
    "lobular neoplasia": ("lobular carcinoma in situ", "atypical lobular hyperplasia"),
    "adenoma": tuple(c for c in FINDINGS if c.endswith(" adenoma")),  # an adrenal adenoma
    "adenocarcinoma": tuple(c for c in FINDINGS if c.endswith(" adenocarcinoma")),
}
# Findings told apart by the bone they lie in (a fracture of the scapula is not the clavicle's).
BONE_PLACED = ("fracture", "degenerative change")
# Kinds of one finding that exclude one another, read by kinds.py from the words before it; a
# planted error may name another (caseous -> coagulative necrosis).
PLANT_KINDS = {"necrosis": ("coagulative", "liquefactive", "caseous", "fat", "fibrinoid",
                            "comedo"), "hemorrhage": ("subdural", "epidural", "subarachnoid"),
               "inflammation": ("acute", "chronic"), "granuloma": ("caseating", "non-caseating"),
               "metaplasia": ("intestinal", "squamous", "osseous", "apocrine"),
               "adenoma": ("tubular", "villous", "tubulovillous"),
               "emphysema": ("centrilobular", "panlobular", "paraseptal"),
               "fracture": ("compression", "burst"), "dislocation": ("anterior", "posterior"),
               "arteriolosclerosis": ("hyaline", "hyperplastic"),
               "pacemaker": ("single-chamber", "dual-chamber", "biventricular"),
               "central venous catheter": ("jugular", "subclavian", "femoral"),
               "calcification": ("popcorn", "rim", "punctate"),
               "lesion": ("lytic", "sclerotic"),  # of bone: destroyed or dense
               "pituitary adenoma": ("microadenoma", "macroadenoma")}  # fmt: skip
# Words of one kind, compared as one (caseating necrosis is caseous necrosis).
KIND_SYNONYMS = {"caseating": "caseous", "caseation": "caseous", "noncaseating": "non-caseating",
                 "pilar": "trichilemmal", "periapical": "radicular",
                 "non-caseous": "non-caseating", "single-lead": "single-chamber", "ij": "jugular",
                 "dual-lead": "dual-chamber", "two-lead": "dual-chamber", "purulent": "suppurative",
                 "three-lead": "biventricular", "periappendiceal": "appendiceal",
                 "pericentral": "centrilobular", "perivenular": "centrilobular",
                 "centrizonal": "centrilobular", "extradural": "epidural",
                 "sah": "subarachnoid", "sdh": "subdural", "edh": "epidural",
                 "eggshell": "rim", "curvilinear": "rim", "anteriorly": "anterior",
                 "posteriorly": "posterior", "osteolytic": "lytic", "blastic": "sclerotic",
                 "osteoblastic": "sclerotic", "osteosclerotic": "sclerotic"}  # fmt: skip
# The kinds a head word takes (a subdural or epidural hematoma; no 'subarachnoid hematoma').
KIND_HEADS = {
    "hematoma": ("subdural", "epidural"),  # comedo necrosis is a carcinoma's own:
    "necrosis": ("coagulative", "liquefactive", "caseous", "fat", "fibrinoid"),
}  # read
# What an organ 'is' when it is only seen, which says nothing of its state (the kidneys are
# visualized bilaterally without hydronephrosis).
SEEN_WORDS = ("visualized", "visualised", "visible", "seen", "imaged", "included", "shown")
# Shapes that tell one kind from another (a biconvex epidural, a crescentic subdural hematoma).
KIND_SHAPES = ("biconvex", "lentiform", "lens-shaped", "crescentic", "crescent-shaped", "crescent",
               "wedge")  # fmt: skip  # a wedge compression fracture
SIZE_KINDS = ("microadenoma", "macroadenoma")  # told by a size: under 10 mm, a microadenoma
# A generic 'enlarged' in a clause about an organ names the organ's own finding.
ENLARGED_ORGAN = dict(heart="cardiomegaly", liver="hepatomegaly", spleen="splenomegaly")
ENLARGED_ORGAN |= {"collecting system": "hydronephrosis", "lymph node": "lymphadenopathy"}
ORGAN_ENLARGED = {finding: organ for organ, finding in ENLARGED_ORGAN.items()}

# Words that call an organ small (the opposite of its enlargement).
SMALL_WORDS = ("small", "tiny", "atrophic", "atrophied", "shrunken", "contracted")
# Endings of the name of a diagnosis or a cell (a hemangioma, myocytes, Reed-Sternberg cells): a
# short answer's unknown words that name another entity, not the finding in other words.
ENTITY_ENDINGS = ("oma", "omas", "cyte", "cytes", "cell", "cells", "itis", "osis", "iasis",
                  "plasia", "trophy", "pathy")  # fmt: skip
# Findings written without an article (there is edema, not there is an edema).
MASS_NOUNS = ("pulmonary edema", "cerebral edema", "vascular congestion", "contrast",
              "hemoperitoneum", "consolidation", "atelectasis", "emphysema", "fibrosis",
              "pneumoperitoneum", "pneumomediastinum", "subcutaneous emphysema", "necrosis",
              "inflammation", "hemorrhage", "cardiomegaly", "hepatomegaly", "splenomegaly",
              "lymphadenopathy", "hydrocephalus", "enlargement", "calcification", "thickening",
              "degenerative change", "scoliosis", "ascites", "hydronephrosis", "cirrhosis",
              "steatosis", "bronchiectasis", "amyloid", "hyperplasia", "dysplasia",
              "atherosclerosis", "adenocarcinoma", "squamous cell carcinoma", "lymphoma",
              "appendicitis", "cholecystitis", "diverticulitis", "pneumonia", "mass effect",
              "atypia", "mitosis", "vesicoureteral reflux", "urothelial carcinoma in situ",
              "ductal carcinoma in situ", "lobular carcinoma in situ", "active extravasation",
              "restricted diffusion")  # fmt: skip
_UNCOUNTED = ("itis", "osis", "ysis", "invasion", "compression", "ing")  # acantholysis, widening
MASS_NOUNS += tuple(f for f in FINDINGS if f.endswith(_UNCOUNTED) and f not in MASS_NOUNS)
# Heads that make a finding's phrase a mass noun (there is granuloma formation, scar tissue).
MASS_HEADS = ("formation", "tissue", "material", "deposition")
# Forms of those that are counted all the same (a subdural hematoma, a pulmonary infiltrate).
COUNT_FORMS = (
    "hematoma",
    "bleed",
    "infiltrate",
    "scar",
    "infarct",
    "infarction",
    "abscess",
    "opacity",
    "density",
    "tumor",
    "lesion",
    "bulla",
)

# What a question asks for, by its wording (regex -> the group of the answer's concept).
QUESTION_GROUPS = {  # whole words or phrases, as regexes
    "side": (r"(which|what) side", "left or right", "laterality", "where", r"locat\w*",
             r"which (lung|kidney|lobe|hemidiaphragm)"),
    "number": ("how many", "number of", "count"),
    "degree": (r"how (large|big|severe|small)", "size", "severity", "degree"),
    "modality": ("modality", r"(kind|type) of (image|scan)", r"imaging (technique|method)",
                 "how was"),
    "plane": ("plane", "view", "orientation"),
    "sequence": ("sequence", "weighted", "weighting"),
    "organ": ("organ", "where", r"locat\w*", r"which (part|lobe|lung|kidney|structure)",
              "body part", "part of the body"),
    "finding": (r"abnormal\w*", r"finding\w*", "wrong", "disease", r"diagnos\w*",
                r"patholog\w*", "show", "seen", "present", "what is"),
}  # fmt: skip

# Findings whose degree is a size (a small effusion), not a severity (mild edema).
SIZE_FINDINGS = ("pleural effusion", "pneumothorax", "nodule", "mass", "cyst", "lesion", "tumor",
                 "hernia", "opacity", "consolidation", "pericardial effusion",
                 "joint effusion")  # fmt: skip
# The word that calls an organ abnormal, where a normal statement about it is turned over.
ABNORMAL_WORDS = {"heart": "enlarged", "mediastinum": "widened"}

# Degrees (size and severity) on one ordered scale; each word keeps its family when replaced
# (small -> large, mild -> severe, mildly -> severely).
DEGREES = {
    "size": ("tiny", "small", "moderate", "large"),
    "severity": ("minimal", "mild", "moderate", "severe"),
    "adverb": ("minimally", "mildly", "moderately", "severely"),
}
DEGREE_SYNONYMS = {  # other forms: (family, level)
    "trace": ("size", 0),
    "medium": ("size", 2),
    "medium-sized": ("size", 2),
    "moderate-sized": ("size", 2),
    "moderately-sized": ("size", 2),
    "big": ("size", 3),
    "huge": ("size", 3),
    "massive": ("size", 3),
    "slight": ("severity", 1),
    "marked": ("severity", 3),
    "extensive": ("severity", 3),
    "slightly": ("adverb", 1),
    "markedly": ("adverb", 3),
}
NUMBER_SYNONYMS = {"single": 1, "solitary": 1, "a pair of": 2}

NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve")  # fmt: skip
ROMAN = ("I", "II", "III", "IV", "V", "VI")  # read after grade, stage, class
NUMBERED = ("grade", "stage", "class", "type", "level", "tier")  # grade iii, Clark level IV

# Kinds of a finding that exclude one another (a simple cyst is no complex one).
OPPOSITE_KINDS = (("simple", "complex"), ("focal", "diffuse"), ("partial", "complete"),
                  ("open", "closed"), ("solid", "cystic"), ("unilocular", "multilocular"),
                  ("anterior", "posterior"), ("proximal", "distal"), ("superior", "inferior"),
                  ("medial", "lateral"), ("centrilobular", "periportal"),
                  ("centrilobular", "midzonal"), ("periportal", "midzonal"))  # fmt: skip
OPPOSED = {word for pair in OPPOSITE_KINDS for word in pair}

# Words that say where or when, never what: they stay with a finding whose name is replaced
# (an acute infarct -> an acute hemorrhage); a denial drops the ones that say when.
POSITION_WORDS = ("upper", "lower", "middle", "mid", "anterior", "posterior", "medial",
                  "lateral", "superior", "inferior", "proximal", "distal", "central",
                  "peripheral", "retrocardiac", "perihilar", "subpleural", "paratracheal",
                  "paraspinal", "subcarinal", "basilar")  # fmt: skip
TEMPORAL_WORDS = ("acute", "chronic", "subacute", "new", "old", "stable", "recent", "prior",
                  "early", "late", "unchanged", "persistent", "resolving", "worsening",
                  "improving", "increased", "decreased", "interval", "healed", "healing",
                  "remote")  # fmt: skip
# Endings of a describing word (simple, cystic, solid, enhancing, nodular): a replaced or denied
# finding loses the ones it had (a simple cyst -> cancer; no parapneumonic effusion -> no effusion).
DESCRIBING_ENDINGS = ("ic", "ous", "ive", "ble", "ple", "id", "ute", "ing", "chy", "ense", "tle",
                      "ed", "ant", "ent")  # fmt: skip
# Words before a term that make it another one than the one meant (no other fracture is seen).
OTHER_WORDS = ("other", "another", "additional", "further")
# Words that tie one finding to another (a pneumothorax with adjacent atelectasis) and say
# nothing of what the first one is.
RELATION_WORDS = ("adjacent", "associated", "surrounding", "underlying", "overlying", "nearby")
# Findings of which an organ holds one a side: bilateral ones are two (bilateral effusions).
ONE_PER_SIDE = ("pleural effusion", "pneumothorax", "hydronephrosis")
