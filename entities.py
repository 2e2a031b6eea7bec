"""Named diagnoses, cells and structures of pathology and radiology, by family, as data only;
lexicon.py merges them into its FINDINGS.

A family holds entities that exclude one another as the answer to one question (what tumour is
this, which bodies are present, what lines the cyst): a planted error may put one for another, a
correction writes the reference's for the answer's. A family keeps to one organ where its
entities do (liver tumours), so a swap never moves a diagnosis to an organ it cannot arise in.
An entity of no family is read and corrected but never planted (a hemangioma arises in too many
organs for one list of alternatives). Each entry: concept: (forms, organ it implies or None);
plurals are matched by claims.py (psammoma bodies, koilocytes), not listed.
"""

from __future__ import annotations

import re

from diseases import DISEASES

TUMOURS = {
    "liver tumor": {
        "hepatocellular carcinoma": (("hepatocellular carcinoma", "HCC", "hepatoma"), "liver"),
        "cholangiocarcinoma": (("cholangiocarcinoma", "bile duct carcinoma"), "liver"),
        "hepatic adenoma": (
            ("hepatic adenoma", "hepatocellular adenoma", "liver cell adenoma"),
            "liver",
        ),
        "focal nodular hyperplasia": (("focal nodular hyperplasia", "FNH"), "liver"),
        "hepatoblastoma": (("hepatoblastoma",), "liver"),
    },
    "brain tumor": {
        "glioblastoma": (("glioblastoma", "glioblastoma multiforme", "GBM"), "brain"),
        "meningioma": (("meningioma",), "brain"),
        "astrocytoma": (("astrocytoma",), "brain"),
        "oligodendroglioma": (("oligodendroglioma",), "brain"),
        "ependymoma": (("ependymoma", "ependymal tumor", "ependymal tumour"), "brain"),
        "medulloblastoma": (("medulloblastoma",), "brain"),
    },
    "kidney tumor": {
        "renal cell carcinoma": (
            ("renal cell carcinoma", "RCC", "clear cell renal cell carcinoma"),
            "kidney",
        ),
        "oncocytoma": (("oncocytoma", "renal oncocytoma"), "kidney"),
        "angiomyolipoma": (("angiomyolipoma",), "kidney"),
        "Wilms tumor": (
            ("Wilms tumor", "Wilms' tumor", "Wilms tumour", "nephroblastoma"),
            "kidney",
        ),
    },
    "breast tumor": {
        "invasive ductal carcinoma": (
            (
                "invasive ductal carcinoma",
                "ductal carcinoma",
                "infiltrating ductal carcinoma",
                "carcinoma of no special type",
                "invasive carcinoma, no special type",
            ),
            "breast",
        ),
        "invasive lobular carcinoma": (
            ("invasive lobular carcinoma", "lobular carcinoma", "infiltrating lobular carcinoma"),
            "breast",
        ),
        "ductal carcinoma in situ": (
            ("ductal carcinoma in situ", "DCIS", "intraductal carcinoma"),
            "breast",
        ),
        "mucinous carcinoma": (("mucinous carcinoma", "colloid carcinoma"), None),
        "tubular carcinoma": (("tubular carcinoma",), "breast"),
        "fibroadenoma": (("fibroadenoma",), "breast"),
        "phyllodes tumor": (("phyllodes tumor", "phyllodes tumour"), "breast"),
    },
    "skin lesion": {
        "keratoacanthoma": (("keratoacanthoma",), None),
        "basal cell carcinoma": (("basal cell carcinoma", "basal cell epithelioma"), None),
        "seborrheic keratosis": (("seborrheic keratosis", "seborrhoeic keratosis"), None),
        "actinic keratosis": (("actinic keratosis", "solar keratosis"), None),
        "molluscum contagiosum": (("molluscum contagiosum",), None),
        "verruca vulgaris": (("verruca vulgaris", "common wart"), None),
        "dermatofibroma": (("dermatofibroma", "benign fibrous histiocytoma"), None),
        "melanocytic nevus": (
            (
                "melanocytic nevus",
                "nevocellular nevus",
                "compound nevus",
                "intradermal nevus",
                "junctional nevus",
            ),
            None,
        ),
    },
    "soft tissue tumor": {
        "leiomyoma": (("leiomyoma", "fibroid", "uterine fibroid"), None),
        "leiomyosarcoma": (("leiomyosarcoma",), None),
        "gastrointestinal stromal tumor": (
            ("gastrointestinal stromal tumor", "gastrointestinal stromal tumour", "GIST"),
            None,
        ),
        "lipoma": (("lipoma",), None),
        "liposarcoma": (("liposarcoma",), None),
        "rhabdomyosarcoma": (("rhabdomyosarcoma",), None),
        "fibrosarcoma": (("fibrosarcoma",), None),
        "schwannoma": (("schwannoma", "neurilemmoma", "acoustic neuroma"), None),
        "neurofibroma": (("neurofibroma",), None),
    },
    "bone tumor": {
        "osteosarcoma": (("osteosarcoma", "osteogenic sarcoma"), None),
        "chondrosarcoma": (("chondrosarcoma",), None),
        "Ewing sarcoma": (("Ewing sarcoma", "Ewing's sarcoma"), None),
        "giant cell tumor": (
            (
                "giant cell tumor",
                "giant cell tumour",
                "osteoclastoma",
                "giant cell tumor of bone",
                "giant cell tumour of bone",
            ),
            None,
        ),
        "osteochondroma": (("osteochondroma",), None),
        "enchondroma": (("enchondroma", "intramedullary chondroma"), None),
        "osteoid osteoma": (("osteoid osteoma",), None),
    },
    "salivary gland tumor": {
        "pleomorphic adenoma": (("pleomorphic adenoma", "benign mixed tumor"), None),
        "Warthin tumor": (
            (
                "Warthin tumor",
                "Warthin's tumor",
                "Warthin tumour",
                "papillary cystadenoma lymphomatosum",
            ),
            None,
        ),
        "mucoepidermoid carcinoma": (("mucoepidermoid carcinoma",), None),
        "adenoid cystic carcinoma": (("adenoid cystic carcinoma",), None),
        "acinic cell carcinoma": (("acinic cell carcinoma",), None),
    },
    "thyroid tumor": {
        "papillary thyroid carcinoma": (
            (
                "papillary thyroid carcinoma",
                "papillary carcinoma",
                "papillary thyroid cancer",
                "PTC",
            ),
            "thyroid",
        ),
        "follicular thyroid carcinoma": (
            ("follicular thyroid carcinoma", "follicular carcinoma"),
            "thyroid",
        ),
        "medullary thyroid carcinoma": (
            ("medullary thyroid carcinoma", "medullary carcinoma"),
            "thyroid",
        ),
        "anaplastic thyroid carcinoma": (
            ("anaplastic thyroid carcinoma", "anaplastic carcinoma"),
            "thyroid",
        ),
        "follicular adenoma": (("follicular adenoma",), "thyroid"),
    },
    "carcinoma": {
        "small cell carcinoma": (("small cell carcinoma", "oat cell carcinoma"), None),
        "large cell carcinoma": (("large cell carcinoma",), None),
    },
    "lymphoma": {
        "Hodgkin lymphoma": (
            ("Hodgkin lymphoma", "Hodgkin's lymphoma", "Hodgkin disease", "Hodgkin's disease"),
            None,
        ),
        "diffuse large B-cell lymphoma": (("diffuse large B-cell lymphoma", "DLBCL"), None),
        "follicular lymphoma": (("follicular lymphoma",), None),
        "Burkitt lymphoma": (("Burkitt lymphoma", "Burkitt's lymphoma"), None),
        "mantle cell lymphoma": (("mantle cell lymphoma",), None),
    },
    None: {
        "hemangioma": (("hemangioma", "haemangioma"), None),
        "chorangioma": (("chorangioma", "chorioangioma", "placental hemangioma"), None),
        "melanoma": (("melanoma",), None),
        "non-Hodgkin lymphoma": (("non-Hodgkin lymphoma", "non-Hodgkin's lymphoma"), None),
    },
}

OTHERS = {
    "inclusion body": {
        "psammoma body": (("psammoma body",), None),
        "Russell body": (("Russell body",), None),
        "Mallory body": (("Mallory body", "Mallory-Denk body", "Mallory hyaline"), "liver"),
        "Schaumann body": (("Schaumann body",), None),
        "asteroid body": (("asteroid body",), None),
        "Councilman body": (("Councilman body", "acidophil body"), "liver"),
        "Michaelis-Gutmann body": (("Michaelis-Gutmann body",), "bladder"),
        "Call-Exner body": (("Call-Exner body",), "ovary"),
        "Dutcher body": (("Dutcher body",), None),
        "Civatte body": (("Civatte body", "colloid body", "cytoid body"), None),
    },
    "viral inclusion": {
        "viral inclusion": (("viral inclusion", "viral inclusion body", "intranuclear inclusion",
                             "intranuclear inclusion body", "owl's eye inclusion",
                             "Cowdry body", "Cowdry type A inclusion"), None),
    },
    "fluid level": {"air-fluid level": (("air-fluid level", "air fluid level"), None)},
    "sinus disease": {"sinusitis": (("sinusitis", "rhinosinusitis"), "sinus")},
    "neuronal inclusion": {
        "Lewy body": (("Lewy body",), "brain"),
        "Negri body": (("Negri body",), "brain"),
        "Pick body": (("Pick body",), "brain"),
        "Hirano body": (("Hirano body",), "brain"),
        "neurofibrillary tangle": (("neurofibrillary tangle",), "brain"),
    },
    "diagnostic cell": {
        "Reed-Sternberg cell": (("Reed-Sternberg cell", "Reed Sternberg cell", "RS cell",
                                 "HRS cell", "Hodgkin/Reed-Sternberg cell"), None),
        "popcorn cell": (("popcorn cell",), None),
        "Langhans giant cell": (("Langhans giant cell", "Langhans-type giant cell"), None),
        "foreign body giant cell": (("foreign body giant cell", "foreign-body giant cell",
                                     "foreign body-type giant cell"), None),
        "Touton giant cell": (("Touton giant cell",), None),
        "Aschoff cell": (("Aschoff cell", "Anitschkow cell", "caterpillar cell"), None),
        "signet ring cell": (("signet ring cell", "signet-ring cell"), None),
        "koilocyte": (("koilocyte", "koilocytic"), None),
        "foam cell": (("foam cell", "foamy macrophage", "lipid-laden macrophage"), None),
    },
    "red cell shape": {
        "sickle cell": (("sickle cell", "sickled cell", "sickled red blood cell",
                         "sickled red cell", "sickled erythrocyte", "drepanocyte"), None),
        "target cell": (("target cell", "codocyte"), None),
        "schistocyte": (("schistocyte", "fragmented red cell", "helmet cell"), None),
        "spherocyte": (("spherocyte",), None),
        "elliptocyte": (("elliptocyte", "ovalocyte"), None),
        "teardrop cell": (("teardrop cell", "dacrocyte"), None),
        "acanthocyte": (("acanthocyte", "spur cell"), None),
    },
    "red cell disease": {  # sickle cell anemia is one name, not a sickle cell beside anemia
        "sickle cell anemia": (("sickle cell anemia", "sickle cell anaemia", "sickle cell disease",
                                "HbSS disease"), None),
        "thalassemia": (("thalassemia", "thalassaemia", "beta-thalassemia", "beta-thalassaemia",
            "beta thalassemia", "beta thalassaemia", "Cooley anemia", "Cooley anaemia",
            "Cooley's anemia", "Cooley's anaemia"), None),
        "hereditary spherocytosis": (("hereditary spherocytosis",), None),
        "hereditary elliptocytosis": (("hereditary elliptocytosis",), None),
    },
    "epithelium": {
        "squamous epithelium": (("squamous epithelium", "stratified squamous epithelium",
                                 "keratinizing squamous epithelium", "squamous lining"), None),
        "columnar epithelium": (("columnar epithelium", "ciliated columnar epithelium",
                                 "pseudostratified columnar epithelium", "respiratory epithelium",
                                 "ciliated pseudostratified columnar epithelium",
                                 "respiratory-type epithelium", "columnar lining"), None),
        "cuboidal epithelium": (("cuboidal epithelium", "cuboidal lining"), None),
        "transitional epithelium": (("transitional epithelium", "urothelium",
                                     "urothelial lining"), None),
    },
    "stain": {  # 'Gram', 'silver' and 'iron' alone say other things (Gram-positive cocci)
        "Congo red stain": (("Congo red stain", "Congo red"), None),
        "PAS stain": (("PAS stain", "periodic acid-Schiff stain", "periodic acid Schiff stain",
                       "periodic acid-Schiff", "PAS"), None),
        "Prussian blue stain": (("Prussian blue stain", "Perls stain", "Perls' stain",
                                 "iron stain", "Prussian blue"), None),
        "trichrome stain": (("trichrome stain", "Masson trichrome stain",
                             "Masson's trichrome stain", "Masson trichrome", "trichrome"), None),
        "silver stain": (("silver stain", "GMS stain", "Grocott stain", "GMS",
                          "methenamine silver stain", "Grocott methenamine silver"), None),
        "acid-fast stain": (("acid-fast stain", "Ziehl-Neelsen stain", "AFB stain",
                             "acid fast stain", "Ziehl-Neelsen"), None),
        "Gram stain": (("Gram stain",), None),
        "mucicarmine stain": (("mucicarmine stain", "mucicarmine"), None),
        "reticulin stain": (("reticulin stain", "reticulin"), None),
        "elastic stain": (("elastic stain", "Verhoeff-van Gieson stain", "Verhoeff-van Gieson",
                           "elastic van Gieson stain", "Verhoeff stain", "EVG stain", "VVG stain",
                           "EVG", "VVG"), None),
        "Luxol fast blue stain": (("Luxol fast blue stain", "Luxol fast blue", "LFB stain"), None),
        "Alcian blue stain": (("Alcian blue stain", "Alcian blue"), None),
        "von Kossa stain": (("von Kossa stain", "von Kossa silver stain", "von Kossa"), None),
        "Fontana-Masson stain": (("Fontana-Masson stain", "Fontana-Masson", "Fontana stain"),
                                 None),
    },
    "breast marker": {  # what a breast carcinoma's cells stain for: membranes or nuclei
        "HER2": (("HER2", "HER2/neu", "HER-2", "ERBB2"), "breast"),
        "estrogen receptor": (("estrogen receptor", "oestrogen receptor"), "breast"),
    },
    # Immunostains, by what they tell: a carcinoma's origin or its basal cells, a lymphoid,
    # neuroendocrine or melanocytic line (a stain for one line is planted as another of it).
    "carcinoma marker": {
        "p63": (("p63",), None),
        "AMACR": (("AMACR", "racemase", "P504S"), None),
        "PAX8": (("PAX8", "PAX-8"), None),
        "GATA3": (("GATA3", "GATA-3"), None),
        "TTF-1": (("TTF-1", "TTF1", "thyroid transcription factor-1"), None),
        "CK7": (("CK7", "cytokeratin 7"), None),
        "CK20": (("CK20", "cytokeratin 20"), None),
        "CDX2": (("CDX2", "CDX-2"), None),
        "napsin A": (("napsin A", "napsin-A"), None),
    },
    "lymphoid marker": {
        "CD20": (("CD20",), None),
        "CD3": (("CD3",), None),
        "CD30": (("CD30",), None),
        "CD15": (("CD15",), None),
    },
    "neuroendocrine marker": {
        "synaptophysin": (("synaptophysin",), None),
        "chromogranin": (("chromogranin", "chromogranin A"), None),
    },
    "melanocytic marker": {
        "S100": (("S100", "S-100"), None),
        "SOX10": (("SOX10", "SOX-10"), None),
        "HMB-45": (("HMB-45", "HMB45"), None),
        "Melan-A": (("Melan-A", "MART-1"), None),
    },
    "routine stain": {  # no special stain's sibling: planted only where it is the answer's
        "H&E stain": (("H&E stain", "H&E", "hematoxylin and eosin stain",
                       "hematoxylin and eosin", "haematoxylin and eosin"), None),
    },
    "fat stain": {"Oil red O stain": (("Oil red O stain", "Oil red O", "ORO stain"), None)},
    "cell death": {"apoptosis": (("apoptosis", "programmed cell death"), None)},  # and necrosis
    "tumor spread": {  # a tumor's own invasion of vessels or nerves, not of the stroma
        "lymphovascular invasion": (("lymphovascular invasion", "lymphovascular space invasion",
                                     "angiolymphatic invasion", "LVI"), None),
        "perineural invasion": (("perineural invasion",), None),
        "extraprostatic extension": (("extraprostatic extension", "extracapsular extension"),
                                     "prostate"),
    },
    "red cell inclusion": {
        "Howell-Jolly body": (("Howell-Jolly body",), None),
        "basophilic stippling": (("basophilic stippling",), None),
        "Pappenheimer body": (("Pappenheimer body",), None),
        "Heinz body": (("Heinz body",), None),
    },
    "parasite": {
        "Giardia": (("Giardia lamblia", "Giardia duodenalis", "Giardia intestinalis", "Giardia",
                     "G. lamblia", "G. intestinalis", "G. duodenalis", "giardiasis"), None),
        "Cryptosporidium": (("Cryptosporidium", "cryptosporidiosis"), None),
        "Schistosoma": (("Schistosoma egg", "Schistosoma", "schistosomiasis"), None),
        "Strongyloides": (("Strongyloides", "strongyloidiasis"), None),
        "Entamoeba histolytica": (("Entamoeba histolytica", "E. histolytica", "Entamoeba",
            "amoebic trophozoites", "amebic trophozoites", "amoebiasis", "amebiasis"), None),
        "Taenia solium": (("Taenia solium", "T. solium", "cysticercus", "cysticerci",
            "cysticercosis", "neurocysticercosis", "pork tapeworm"), None),
        "Echinococcus": (("Echinococcus granulosus", "Echinococcus", "echinococcosis"), None),
        "Toxoplasma": (("Toxoplasma gondii", "Toxoplasma", "toxoplasmosis"), None),
    },
    "fungus": {
        "Aspergillus": (("Aspergillus fumigatus", "Aspergillus", "aspergillosis"), None),
        "Mucor": (("Mucor", "mucormycosis", "Rhizopus"), None),
        "Candida": (("Candida albicans", "Candida", "candidiasis"), None),
        "Cryptococcus": (
            ("Cryptococcus neoformans", "Cryptococcus", "cryptococcosis", "cryptococci"),
            None,
        ),
        "Histoplasma": (("Histoplasma capsulatum", "Histoplasma", "histoplasmosis"), None),
        "Blastomyces": (("Blastomyces dermatitidis", "Blastomyces", "blastomycosis"), None),
        "Coccidioides": (("Coccidioides immitis", "Coccidioides", "coccidioidomycosis"), None),
    },
    "infant bowel disease": {  # what makes an infant vomit or its abdomen swell
        "intussusception": (("intussusception", "ileocolic intussusception",
                             "bowel-within-bowel", "bowel within bowel"), "bowel"),
        "pyloric stenosis": (("pyloric stenosis", "hypertrophic pyloric stenosis"), None),
        "midgut volvulus": (("midgut volvulus",), "bowel"),
        "necrotizing enterocolitis": (("necrotizing enterocolitis", "necrotising enterocolitis",
                                       "NEC"), "bowel"),
        "Hirschsprung disease": (("Hirschsprung disease", "Hirschsprung's disease"), "bowel"),
        "duodenal atresia": (("duodenal atresia",), None),
    },
    "adnexal mass": {
        "ectopic pregnancy": (("ectopic pregnancy", "tubal ectopic pregnancy", "tubal pregnancy",
                               "ectopic gestation"), None),
        "corpus luteum cyst": (("corpus luteum cyst", "hemorrhagic corpus luteum",
                                "haemorrhagic corpus luteum"), "ovary"),
        "ovarian torsion": (("ovarian torsion", "adnexal torsion", "torsion of the ovary"),
                            "ovary"),
    },
    "acute scrotum": {  # what makes a scrotum swell and hurt at once
        "testicular torsion": (("testicular torsion", "torsion of the testis",
                                "torsion of the testicle", "spermatic cord torsion"), "testis"),
        "epididymitis": (("epididymitis", "epididymo-orchitis", "epididymoorchitis"), None),
        "orchitis": (("orchitis",), "testis"),
    },
    "scrotal collection": {
        "hydrocele": (("hydrocele",), None),
        "varicocele": (("varicocele",), None),
        "spermatocele": (("spermatocele",), None),
    },
    "thyroiditis": {
        "Graves disease": (("Graves disease", "Graves' disease", "diffuse toxic goiter",
            "diffuse toxic goitre"), None),
        "Hashimoto thyroiditis": (("Hashimoto thyroiditis", "Hashimoto's thyroiditis",
                                   "chronic lymphocytic thyroiditis"), None),
        "subacute granulomatous thyroiditis": (("subacute granulomatous thyroiditis",
            "de Quervain thyroiditis", "de Quervain's thyroiditis", "granulomatous thyroiditis",
            "subacute thyroiditis"), None),
        "Riedel thyroiditis": (("Riedel thyroiditis", "Riedel's thyroiditis",
                                "invasive fibrous thyroiditis"), None),
    },
    "viral infection": {
        "cytomegalovirus infection": (("cytomegalovirus infection", "cytomegalovirus", "CMV"),
                                      None),
        "herpes simplex infection": (("herpes simplex virus", "herpes simplex", "HSV",
                                      "herpetic"), None),
    },
    "vessel wall": {  # with the lexicon's aneurysm; 'dissection' alone is also a surgeon's
        "arterial dissection": (("arterial dissection", "artery dissection", "dissection flap",
                                 "intimal flap"), None),
        "pseudoaneurysm": (("pseudoaneurysm", "pseudo-aneurysm", "false aneurysm"), None),
    },
    "aortic disease": {
        "aortic dissection": (("aortic dissection", "dissection of the aorta"), "aorta"),
        "intramural hematoma": (("intramural hematoma", "intramural haematoma"), "aorta"),
        "aortic aneurysm": (("aortic aneurysm", "abdominal aortic aneurysm", "AAA",
                             "thoracic aortic aneurysm"), "aorta"),
    },
    None: {
        "fungal organism": (("fungal organisms", "fungal organism", "fungi", "fungal yeasts",
                             "fungal elements", "fungal hyphae", "yeast forms"), None),
        "hyaline membrane": (("hyaline membrane",), "lung"),
        "tuberculous lymphadenitis": (("tuberculous lymphadenitis", "scrofula",
                                       "tuberculous cervical lymphadenitis"), None),
        "pneumocephalus": (("pneumocephalus", "intracranial air"), "brain"),
        "exudate": (("exudate", "fibrinopurulent exudate", "purulent exudate",
                     "neutrophilic exudate", "fibrinous exudate"), None),
        "pulmonary embolism": (("pulmonary embolism", "pulmonary embolus", "pulmonary emboli",
                                "pulmonary thromboembolism", "pulmonary thromboemboli",
                                "thromboemboli", "thromboembolic disease"), "lung"),
        "giant cell": (("multinucleated giant cell", "giant cell"), None),
        "filling defect": (("filling defect", "intraluminal filling defect"), None),
        "macrophage": (("macrophage", "histiocyte"), None),
        "vesicoureteral reflux": (("vesicoureteral reflux", "vesicoureteric reflux"), None),
        "concha bullosa": (("concha bullosa", "pneumatized middle turbinate"), None),
        "stenosis": (("stenosis", "spinal stenosis", "canal stenosis", "spinal canal stenosis",
                      "stenoses"), None),
        # mostly positive with the estrogen receptor: never planted in its place
        "progesterone receptor": (("progesterone receptor",), "breast"),
    },
    "esophageal disease": {
        "Barrett esophagus": (("Barrett esophagus", "Barrett's esophagus", "Barrett oesophagus",
                               "Barrett's oesophagus", "Barrett metaplasia"), "esophagus"),
        "eosinophilic esophagitis": (("eosinophilic esophagitis", "eosinophilic oesophagitis"),
                                     "esophagus"),
        "reflux esophagitis": (("reflux esophagitis", "reflux oesophagitis"), "esophagus"),
        "Candida esophagitis": (("Candida esophagitis", "candidal esophagitis",
                                 "Candida oesophagitis"), "esophagus"),
    },
    "groin hernia": {  # of one side; a hiatal hernia is the lexicon's
        "inguinal hernia": (("inguinal hernia",), None),
        "femoral hernia": (("femoral hernia",), None),
    },
    "midline hernia": {  # kinds of a ventral hernia (lexicon.GENERIC), never planted for one
        "umbilical hernia": (("umbilical hernia", "paraumbilical hernia"), None),
        "incisional hernia": (("incisional hernia",), None),
    },
    "abdominal wall hernia": {"ventral hernia": (("ventral hernia",), None)},
    "liver disease": {  # with the lexicon's cirrhosis and steatosis
        "cholestasis": (("cholestasis", "bile plugs", "bile stasis"), "liver"),
        "hemosiderosis": (("hemosiderosis", "hepatic iron overload"), "liver"),
    },
    "marrow cell": {  # cells that name a haematological disease: hairy cell leukaemia
        "hairy cell": (("hairy cell", "hairy B cell", "hairy B-cell"), None),
        "mast cell": (("mast cell",), None),
        "ring sideroblast": (("ring sideroblast", "ringed sideroblast"), None),
        "myeloblast": (("myeloblast",), None),
        "lymphoblast": (("lymphoblast",), None),
        "Pelger-Huet cell": (("Pelger-Huet cell", "Pelger-Huët cell", "Pelger-Huet anomaly",
                              "pseudo-Pelger-Huet cell"), None),
    },
    "blast inclusion": {  # of myeloblasts: acute myeloid leukaemia
        "Auer rod": (("Auer rod",), None),
    },
    "organ injury": {
        "laceration": (("laceration", "lacerated"), None),
        "contusion": (("contusion", "contused"), None),
    },
    "bowel wall gas": {
        "pneumatosis": (("pneumatosis intestinalis", "pneumatosis coli", "pneumatosis",
                         "intramural gas", "intramural air"), "bowel"),
    },
    "device": {  # with the lexicon's devices
        "pulmonary artery catheter": (("Swan-Ganz catheter", "Swan-Ganz", "pulmonary artery "
                                       "catheter", "PA catheter"), None),
        "intra-aortic balloon pump": (("intra-aortic balloon pump", "intraaortic balloon pump",
                                       "intra-aortic balloon", "IABP"), None),
    },
    "scoliosis direction": {
        "dextroscoliosis": (("dextroscoliosis", "dextroconvex scoliosis",
                             "dextroconvex curvature"), "spine"),
        "levoscoliosis": (("levoscoliosis", "levoconvex scoliosis", "levoconvex curvature"),
                          "spine"),
    },
    "breast surgery": {
        "mastectomy": (("mastectomy",), "breast"),
        "lumpectomy": (("lumpectomy",), "breast"),
    },
    "myocardial disease": {
        "myocardial infarction": (("myocardial infarction", "myocardial infarct"), "heart"),
        "myocarditis": (("myocarditis", "lymphocytic myocarditis", "viral myocarditis"), "heart"),
        "hypertrophic cardiomyopathy": (("hypertrophic cardiomyopathy",), "heart"),
        "cardiac amyloidosis": (("cardiac amyloidosis",), "heart"),
    },
}  # fmt: skip


def findings(groups: dict) -> dict:
    """{concept: (forms, organ, family)} of a table of families, as lexicon.FINDINGS holds them."""
    return {c: (forms, organ, family) for family, kin in groups.items()
            for c, (forms, organ) in kin.items()}  # fmt: skip


ENTITIES = findings(TUMOURS) | findings(OTHERS) | findings(DISEASES)  # diseases.py: the rest
# Tumours by name: each is a tumor (a reference's 'Liver Cancer' is answered by 'hepatocellular
# carcinoma', its 'Brain Tumor' by 'meningioma').
TUMOUR_NAMES = tuple(c for kin in TUMOURS.values() for c in kin)
# Proper names within entities' names, by their lower case (russell -> Russell), kept as written.
EPONYMS = {
    w.lower(): w
    for forms, *_ in ENTITIES.values()
    for f in forms
    for w in re.findall(r"[A-Za-z]+", f)
    if w[0].isupper() and not w.isupper()
}
# The cells an inclusion lies in: where the text or question names the host (the inclusions in
# the hepatocytes), a planted error keeps to inclusions of that host.
HOSTS = {
    "Mallory body": ("hepatocyte",),
    "Councilman body": ("hepatocyte",),
    "Russell body": ("plasma cell",),
    "Dutcher body": ("plasma cell",),
    "Schaumann body": ("giant cell",),
    "asteroid body": ("giant cell",),
    "Michaelis-Gutmann body": ("macrophage",),
    "steatosis": ("hepatocyte",),  # within the cell: never cirrhosis in hepatocytes
    "hemosiderosis": ("hepatocyte", "macrophage"),
    "cholestasis": ("hepatocyte",),
    "hemosiderin": ("hepatocyte", "macrophage"),  # pigments, in the cells that hold them
    "lipofuscin": ("hepatocyte",),
    "bilirubin": ("hepatocyte",),
    "melanin": ("macrophage",),
    "anthracotic pigment": ("macrophage",),
    "hemozoin": ("macrophage",),
}
# Where an entity is not said to be: no acute cardiac amyloidosis in an acute infarct's place.
ENTITY_NOT_AT = {"cardiac amyloidosis": r"\bacute\b", "hypertrophic cardiomyopathy": r"\bacute\b"}
# Cells with several nuclei: asked about multinucleated or giant cells, an error keeps to these.
MULTINUCLEATED = (
    "Langhans giant cell",
    "foreign body giant cell",
    "Touton giant cell",
    "Reed-Sternberg cell",
    "giant cell",
)
# Signs that name no finding of their own where their sentence names one (an air-fluid level,
# consistent with a hiatal hernia): a report is read by the finding named.
SIGNS = {"air-fluid level": ()}
# The organ a named entity implies, so that naming it names the organ.
ENTITY_ORGAN = {c: v[1] for c, v in ENTITIES.items() if v[1]}
MARKERS = ("carcinoma marker", "lymphoid marker", "neuroendocrine marker", "melanocytic marker")
