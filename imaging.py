"""How an image was made and how things look on it, as data only: the modalities (with the
words only one of them uses, and those said before them), planes, a radiograph's views, MR
sequences (with how fluid looks on each), and how a lesion looks against its surroundings
(hyperdense, hypoechoic). Each group's concepts exclude one another; what is planted in a
concept's place is said here too. lexicon.py holds the rest of the vocabulary; claims.py and
the editors read both.
"""

from __future__ import annotations

MODALITIES = {
    "CT": ("CT", "computed tomography", "CAT scan"),
    "MRI": ("MRI", "MR", "magnetic resonance", "magnetic resonance imaging", "MR imaging"),
    "X-ray": ("X-ray", "xray", "x ray", "radiograph", "radiography", "radiographic", "plain film",
              "CXR"),
    "ultrasound": ("ultrasound", "sonography", "sonogram", "ultrasonography", "sonographic",
                   "ultrasonographic"),
    "PET": ("PET", "positron emission tomography"),
    "PET-CT": ("PET-CT", "PET/CT", "PET CT", "PET-computed tomography"),
    "PET-MRI": ("PET-MRI", "PET/MRI", "PET/MR", "PET-MR"),
    "mammography": ("mammography", "mammogram", "X-ray mammography", "x-ray mammogram"),
}  # fmt: skip
HYBRID_PARTS = {"PET-CT": ("PET", "CT"), "PET-MRI": ("PET", "MRI")}  # CT anatomy of a PET-CT
SPELLED_OUT = {"CT": "computed tomography", "MRI": "magnetic resonance imaging", "PET":
               "positron emission tomography", "ultrasound": "ultrasonography"}  # fmt: skip
PLANT_MODALITY = {
    "CT": "MRI",
    "MRI": "CT",
    "X-ray": "CT",
    "ultrasound": "CT",
    "PET": "CT",
    "PET-CT": "PET-MRI",
    "PET-MRI": "PET-CT",
}
# Words that only one modality uses (a gadolinium-enhanced or FLAIR image is an MRI): a text that
# says one of them cannot be said to be another modality. The contrast agents have a counterpart
# that is written in their place when the modality is (MR with gadolinium -> CT with iodinated).
MODALITY_WORDS = {
    "MRI": ("gadolinium", "gadolinium-enhanced", "T1", "T2", "T1-weighted", "T2-weighted", "FLAIR",
            "DWI", "ADC", "diffusion-weighted", "STIR", "hyperintense", "hypointense",
            "hyperintensity", "hypointensity", "signal intensity", "gradient echo", "signal void",
            "flow void", "susceptibility artifact", "blooming", "fat-suppressed", "SWI", "MRCP",
            "MRA", "MRV", "cholangiopancreatography", "gradient-echo", "spin-echo", "spin echo",
            "time-of-flight", "TOF"),
    "CT": ("iodinated", "Hounsfield", "HU", "hyperdense", "hypodense", "hyperattenuating",
           "hypoattenuating", "hyperdensity", "hypodensity", "bone window", "lung window",
           "soft tissue window", "soft-tissue window", "mediastinal window", "brain window",
           "CTA", "CT angiography", "CT angiogram"),
    "ultrasound": ("echogenic", "hyperechoic", "hypoechoic", "anechoic", "isoechoic",
                   "echogenicity", "Doppler", "acoustic shadowing", "posterior shadowing",
                   "echocardiogram", "echocardiography", "echocardiographic", "parasternal",
                   "four-chamber", "posterior acoustic enhancement", "through transmission",
                   "through the anterior fontanelle", "transfontanellar", "B-mode"),
    "PET": ("FDG", "FDG-avid", "fluorodeoxyglucose", "SUV", "SUVmax", "standardized uptake value",
            "hypermetabolic", "hypermetabolism"),
    "X-ray": ("PA", "AP", "posteroanterior", "anteroposterior", "decubitus", "frontal chest",
              "frontal view", "lateral view", "plain film", "frontal projection",
              "lateral projection", "conventional radiograph"),
}  # fmt: skip
# Words said of the modalities they stand before (a contrast-enhanced CT, a portable
# radiograph): a modality changed after one of them to another keeps a description of the old.
MODALITY_MODIFIERS = {
    ("contrast-enhanced", "enhanced", "unenhanced", "non-contrast", "noncontrast", "contrast"): (
        "CT", "MRI"),
    ("spiral", "helical", "high-resolution", "low-dose"): ("CT", "X-ray"),
    ("portable", "plain", "frontal", "lateral"): ("X-ray",),
    ("transabdominal", "transvaginal", "Doppler", "grayscale"): ("ultrasound",),
}  # fmt: skip
CONTRAST_AGENTS = {("gadolinium", "CT"): "iodinated", ("iodinated", "MRI"): "gadolinium"}

PLANES = {
    "axial": ("axial", "transverse", "transaxial"),
    "coronal": ("coronal", "frontal plane"),
    "sagittal": ("sagittal",),
}
# What defines each plane (features.py's format): a plane changed beside its definition would
# leave the text describing the old one.
PLANE_FEATURES = {
    "axial": "in cross-section|in cross section|seen end-on|in short axis|superior and inferior "
    "parts|upper and lower parts|superior and inferior halves|upper and lower halves|parallel "
    "to the skull base|orbitomeatal|target-like|target sign|targetoid|doughnut sign|"
    "perpendicular to the long axis|across the long axis|(cross-sectional)|(horizontal)|"
    "horizontal plane|cutting across",
    "coronal": "longitudinal|anterior and posterior parts|anterior and posterior halves|"
    "front and back|frontal cut|frontal section|frontal slice|"
    "ventral and dorsal|viewed from the front|seen from the front|as if facing the patient|"
    "parallel to the supraspinatus",  # the shoulder's oblique coronal plane
    "sagittal": "longitudinal|midsagittal|mid-sagittal|left and right halves|"
    "right and left halves|"
    "left and right parts|right and left parts|viewed from the side|seen from the side",
}

# A radiograph's projection. 'lateral' is a view only where a film word follows (a lateral chest
# radiograph) or it ends a list of views (PA and lateral): VIEW_CONTEXT.
VIEWS = {
    "PA": ("PA", "posteroanterior", "postero-anterior", "posterior-anterior", "posterior anterior"),
    "AP": ("AP", "anteroposterior", "antero-posterior", "anterior-posterior"),
    "lateral": ("lateral",),
    "craniocaudal": ("craniocaudal", "cranio-caudal", "CC view"),  # the mammogram's two views
    "mediolateral oblique": ("mediolateral oblique", "medio-lateral oblique", "MLO"),
    # and a CT's display window, one at a time as a projection is
    "lung window": ("lung window", "lung windows", "pulmonary window", "lung windowing"),
    "bone window": ("bone window", "bone windows", "bone windowing"),
    "soft tissue window": (
        "soft tissue window",
        "soft-tissue window",
        "soft tissue windows",
        "mediastinal window",
        "mediastinal windows",
    ),
}
VIEW_CONTEXT = {
    "lateral": r"(?:(?<=\band\s)lateral\b|lateral(?=\s+(?:chest\s+)?(?:views?|projections?|"
    r"radiographs?|films?|x-rays?|images?|cxrs?)\b)|^\s*lateral\W*$)",
    # and a plane: 'transverse' is none before what it describes (a transverse fracture)
    "axial": r"(?!transverse\s+(?:fracture|process|colon|mesocolon|ligament|myelitis)\b)",
}
PLANT_VIEW = {"AP": "PA", "PA": "AP"}  # no window planted: its evidence (lungs well seen) stays

SEQUENCES = {
    "T1": ("T1", "T1-weighted", "T1 weighted", "T1W"),
    "T2": ("T2", "T2-weighted", "T2 weighted", "T2W"),
    "FLAIR": ("FLAIR", "fluid-attenuated inversion recovery"),
    "DWI": ("DWI", "diffusion-weighted", "diffusion weighted", "diffusion"),
}
# Sequences read almost only of the brain: a bare 'edema' beside them is cerebral edema.
REGION_OF_SEQUENCE = {"FLAIR": "head", "DWI": "head"}
PLANT_SEQUENCE = {"T1": "T2", "T2": "T1", "FLAIR": "T1", "DWI": "T2"}
# How fluid (the CSF) looks on each weighting, and a look's opposite: 'T1-weighted, as the CSF is
# dark' turned to T2 says the CSF is bright.
FLUID_LOOK = {"T1": ("dark", "hypointense"), "T2": ("bright", "hyperintense"),
              "FLAIR": ("dark", "hypointense")}  # fmt: skip
OPPOSITE_LOOK = {"dark": "bright", "bright": "dark", "hypointense": "hyperintense",
                 "hyperintense": "hypointense"}  # fmt: skip

# How a lesion looks against its surroundings on CT, MRI or ultrasound (exclusive, as sides
# are), and the look planted in its place.
LOOKS = {"hyperdense": ("hyperdense", "hyperattenuating", "increased attenuation",
                        "high attenuation", "higher attenuation", "increased density"),
         "hypodense": ("hypodense", "hypoattenuating", "decreased attenuation", "low attenuation",
                       "lower attenuation", "decreased density"),
         "hyperintense": ("hyperintense", "hyperintensity", "high signal", "high-signal",
                          "increased signal"),
         "hypointense": ("hypointense", "hypointensity", "low signal", "low-signal",
                         "decreased signal"),
         "hyperechoic": ("hyperechoic", "echogenic"), "hypoechoic": ("hypoechoic",),
         "anechoic": ("anechoic",)}  # fmt: skip
PLANT_LOOK = {"hyperdense": "hypodense", "hypodense": "hyperdense", "hyperintense": "hypointense",
              "hypointense": "hyperintense", "hyperechoic": "hypoechoic",
              "hypoechoic": "hyperechoic", "anechoic": "hyperechoic"}  # fmt: skip
# How a finding looks on non-contrast CT: a look said beside a finding written in follows it
# (an acute infarct, seen as a hypodense area -> acute hemorrhage, seen as a hyperdense area).
CT_LOOK = {"hemorrhage": "hyperdense", "calcification": "hyperdense", "infarct": "hypodense",
           "cyst": "hypodense", "lipoma": "hypodense", "abscess": "hypodense"}  # fmt: skip
