"""The textbook features that tell a finding, a kind or a region from those a model confuses it
with, as data only: lexicon.py reads them as regexes (FEATURES_OF).

An answer's evidence is kept beside a correction only where it tells the reference's concept and
not the answer's (clue cells with perinuclear halos -> koilocytes with perinuclear halos), and a
correction or a planted error is refused where the evidence it leaves tells the old concept and
not the new one (a lens-shaped subdural hematoma; a trichrome stain with apple-green
birefringence). Each entry: concept, kind or region: its phrases joined by '|', matched from a
word's start, case-insensitively ('*' takes any ending); precision before recall.
"""

from __future__ import annotations

import re

from anatomy import HISTOLOGY
from imaging import PLANE_FEATURES
from skeleton import BONE_FEATURES

# Words that name what a finding shows itself to be (an opacity consistent with atelectasis).
CONCLUSIONS = (
    r"consistent with|compatible with|in keeping with|suggestive of|suggesting|indicat(?:ing|es?)|"
    r"characteristic of|diagnostic of|supporting|favou?ring|argu(?:es|ing) (?:against|for)"
)

FEATURES = {
    "abdomen": "liver|hepatic|spleen|splenic|stomach|bowel|kidney*|renal|pancrea*|gallbladder|"
        "peritone*|retroperitone*|abdominal|mesenter*|colon|duodenum|adrenal*",
    "abscess": "pus|purulent|suppurat*|restricted diffusion|diffusion restriction|air-fluid|"
        "fluctuan*|walled-off|pyogenic|loculated fluid",
    "acanthocyte": "spur cell*|irregular spicul*|irregularly spaced|spiny|irregular projection*|"
        "uneven projection*|abetalipoproteinemia|spicules of varying length",
    "acid-fast stain": "ziehl-neelsen|ziehl neelsen|acid-fast|acid fast|red rods|red bacilli|"
        "carbol fuchsin|carbolfuchsin|kinyoun|auramine|mycolic acid|beaded",
    "anterior communicating artery": "between the frontal lobes|interhemispheric fissure|"
        "gyrus rectus|suprasellar",
    "acinic cell carcinoma": "zymogen granule*|zymogen|basophilic granular cytoplasm|serous acinar|"
        "acinar differentiation|dog1|diastase-resistant",
    "adrenocortical adenoma": "below 10 HU|less than 10 HU|under 10 HU|lipid-rich|lipid rich|"
        "signal drop*|signal loss on out-of-phase|chemical shift|rapid washout|absolute washout",
    "acute": "neutrophil*|polymorphonuclear|pmn*|exudat*|hyperemi*|vascular dilation|vasodilation|"
        "margination|fibrinous|purulent|suppurat*",
    "adenocarcinoma": "gland formation|glandular|mucin*|gland-forming|glands|lepidic|napsin|ttf-1|"
        "cdx2|back-to-back glands|signet ring*",
    "adenoid cystic carcinoma": "cribriform|swiss cheese|swiss-cheese|perineural invasion|"
        "perineural|hyaline cylinder*|hyalinized cylinder*|basement membrane-like|myb|punched-out",
    "adenoma": "benign gland*|noninvasive|non-invasive|pencillate|pencil-like nuclei|"
        "cigar-shaped nuclei|elongated hyperchromatic nuclei|no invasion|without invasion",
    "amyloid": "apple-green|apple green|birefringen*|congo red|congophilic|beta-pleated|β-pleated|"
        "waxy|lardaceous|nonbranching fibril*|non-branching fibril*|amorphous extracellular|"
        "amorphous pink|amorphous eosinophilic|amorphous hyaline|glassy pink",
    "anaplastic thyroid carcinoma": "undifferentiated|rapidly enlarging|rapidly growing|"
        "rapid growth|bizarre|spindle|spindle-shaped|sarcomatoid|squamoid|anaplastic|"
        "pleomorphic giant cell*",
    "aneurysm": "saccular|fusiform|berry|outpouching|out-pouching|ballooning|focal dilat*|bulging|"
        "circle of willis|aneurysmal",
    "angiomyolipoma": "macroscopic fat|fat-containing|intralesional fat|negative attenuation|"
        "fat attenuation|dysmorphic vessel*|thick-walled vessel*|smooth muscle and fat|"
        "muscle and fat|three components|tuberous sclerosis|hmb-45|hmb45|perivascular epithelioid|"
        "pecoma|hyperechoic renal|echogenic renal",
    "aortic aneurysm": "infrarenal|fusiform|dilated aorta|aortic dilat*|pulsatile|mural thrombus|"
        "ectatic|aneurysmal dilat*|aneurysmal",
    "aortic dissection": "intimal flap|false lumen|true lumen|true and false lumen*|double lumen|"
        "double-barrel*|intimal tear|tearing|ripping|dissection flap|cystic medial|medial necrosis|"
        "stanford|debakey",
    "apocrine": "decapitation secretion|apical snout*|snouting|granular eosinophilic cytoplasm|"
        "abundant eosinophilic granular cytoplasm|fibrocystic|gcdfp*",
    "appendicitis": "appendicolith|fecalith|periappendiceal|non-compressible|noncompressible|"
        "blind-ending|mcburney*|right lower quadrant|dilated appendix|appendiceal wall|"
        "muscularis propria",
    "arteriolosclerosis": "arteriol*|small arter*|hyaline|onion-skin*|onion skin*|concentric|"
        "hypertensi*|diabet*|luminal narrowing",
    "Alcian blue stain": "acid mucin*|acidic mucin*|glycosaminoglycan*|mucopolysaccharide*|"
        "goblet cell*",
    "Aspergillus": "acute angle*|acute-angle*|45 degree*|45-degree*|dichotomous*|conidi*|"
        "fruiting bod*",
    "Aschoff cell": "caterpillar*|anitschkow|rheumatic*|ribbon-like chromatin|wavy chromatin|"
        "slender wavy",
    "ascites": "free fluid|peritoneal fluid|intraperitoneal fluid|shifting dullness|fluid wave|"
        "bulging flanks|morison*|paracolic|perihepatic|hepatorenal recess|ground-glass abdomen",
    "asteroid body": "star-shaped|star-like|stellate|spider-like|radiating|spokes",
    "astrocytoma": "rosenthal fiber*|rosenthal fibre*|mural nodule|"
        "cyst with mural nodule|piloid|hair-like|fibrillary|gfap|nonenhancing|non-enhancing|"
        "eosinophilic granular bod*|bipolar|pilocytic",
    "atelectasis": "volume loss|collapse*|collapsed|shift toward|ipsilateral shift|"
        "toward the opacity|elevated hemidiaphragm|crowded vessels|crowding|displaced fissure|"
        "fissure displacement|plate-like|plate like|discoid|subsegmental|linear",
    "atherosclerosis": "fibrous cap|cholesterol cleft*|cholesterol crystal*|atheroma*|atheromatous|"
        "plaque*|lipid core|necrotic core|fatty streak*|foam cell*|intimal thickening",
    "Barrett esophagus": "goblet cell*|salmon-colored|salmon-pink|salmon colored|"
        "columnar-lined esophagus|tongues of|gastroesophageal reflux|reflux|"
        "above the gastroesophageal junction|z-line|distal esophagus",
    "basophilic stippling": "lead poisoning|lead toxicity|thalassemia|sideroblastic|"
        "ribosomal|punctate basophilic",
    "biventricular": "three leads|coronary sinus|left ventricular lead|crt|"
        "cardiac resynchronization|resynchronization",
    "bronchiectasis": "tram-track*|tram track*|tramline*|signet ring sign|signet-ring sign|"
        "dilated bronch*|bronchial dilat*|lack of tapering|non-tapering|string of pearls|varicose|"
        "cylindrical|copious sputum|bronchoarterial",
    "bulla": "thin-walled|thin wall*|air-containing|air-filled space|avascular|vanishing lung|"
        "septation*|hairline wall*",
    "calcification": "calcium|dystrophic|radiodense|hyperdense|high attenuation|von kossa|"
        "basophilic granular deposit*|chalky",
    "Call-Exner body": "granulosa|coffee bean|coffee-bean|microfollicle*|follicle-like|"
        "grooved nuclei",
    "cardiomegaly": "cardiothoracic ratio|enlarged cardiac silhouette|enlarged heart|"
        "cardiac silhouette|ctr|heart size|exceeds half|more than half|greater than half",
    "caseating": "caseous|caseation|cheese-like|cheesy|central necrosis|necrotic center|"
        "amorphous granular|tubercul*|mycobact*|acid-fast|histoplasm*|necrotizing",
    "caseous": "cheese-like|cheesy|amorphous granular|granular debris|friable white|white cheesy|"
        "tubercul*|mycobact*|granulomatous|caseation",
    "central venous catheter": "superior vena cava|svc|cavoatrial|internal jugular|subclavian|"
        "right atrium|cvc",
    "centrilobular": "upper lobe*|upper-lobe|smok*|centriacinar|respiratory bronchiol*|"
        "proximal acin*|center of the lobule|central lobule|centrilobular",
    "cerebral edema": "effacement|effaced|loss of gray-white|gray-white differentiation|grey-white|"
        "compressed ventricles|slit-like ventricles|herniation|uncal|flattened gyri|tonsillar|"
        "vasogenic|perilesional|peritumoral|surrounding hyperintens*|surrounding hypodens*",
    "chest": "lung*|heart|mediastin*|pleura*|thorax|thoracic|rib*|hilum|hilar|bronch*|pulmonary|"
        "cardiac|pericardi*|alveol*",
    "chest tube": "pleural space|intercostal|thoracostomy|side hole*|sentinel hole|pigtail",
    "cholangiocarcinoma": "klatskin|hilar|desmoplastic|desmoplasia|bile duct*|biliary|ck7|"
        "capsular retraction|delayed enhancement|sclerosing cholangitis|liver fluke*|clonorchis|"
        "periductal",
    "cholangiocyte": "bile duct*|biliary epithel*|biliary|ductular|ck19|lining bile",
    "cholecystitis": "pericholecystic|murphy*|gallbladder wall thickening|"
        "thickened gallbladder wall|impacted stone|cystic duct|rokitansky-aschoff|hida|"
        "gallbladder wall",
    "chronic": "lymphocyte*|plasma cell*|macrophage*|mononuclear|lymphoplasmacytic|fibrosis|"
        "granulation tissue|angiogenesis|tissue destruction|scarring|long-standing",
    "cirrhosis": "regenerative nodule*|fibrous septa|bridging fibrosis|shrunken liver|"
        "surface nodularity|nodular contour|nodular liver|caudate|hobnail|micronodular|"
        "macronodular|bands of fibrosis",
    "coagulative": "ghost outline*|ghost cell*|preserved cell outline*|preserved cellular outline*|"
        "outlines are preserved|outlines preserved|preserved outline*|"
        "preserved architecture|architecture preserved|tissue architecture|anucleate",
    "columnar epithelium": "tall|columnar|taller than|basal nuclei|basally located|cilia*|"
        "brush border|goblet*",
    "Congo red stain": "apple-green|apple green|birefringen*|polarized light|polarization|"
        "salmon-pink|orange-red|congophilic",
    "concha bullosa": "pneumati*|aerated|air-filled|air within",
    "consolidation": "air bronchogram*|airspace|air-space|silhouette sign|lobar|segmental|"
        "alveolar filling|alveoli filled|filled alveoli|no volume loss|without volume loss",
    "Civatte body": "apoptotic keratinocyte*|dyskeratotic keratinocyte*",
    "Councilman body": "apoptotic hepatocyte*|acidophil* bod*|acidophilic bod*|yellow fever|"
        "hepatocyte apoptosis|shrunken hepatocyte*|viral hepatitis",
    "cuboidal epithelium": "cuboidal|cube-shaped|as tall as|round central nuclei|"
        "centrally located nuclei|central nuclei|renal tubule*|thyroid follicle*|"
        "equal height and width",
    "cyst": "anechoic|posterior acoustic enhancement|posterior enhancement|through transmission|"
        "fluid-filled|epithelial lining|epithelium-lined|epithelial-lined|lined by epithelium|"
        "imperceptible wall|water attenuation|fluid attenuation",
    "defibrillator": "shock coil*|coil*|icd|dual coil|thick coil*",
    "diverticulitis": "pericolic|sigmoid|diverticul*|left lower quadrant|colonic wall thickening|"
        "colonic outpouching*",
    "dual-chamber": "two leads|atrial and ventricular|right atrial and ventricular|atrial lead|"
        "right atrial appendage",
    "ductal carcinoma in situ": "comedo*|confined to the duct*|within ducts|intraductal|"
        "intact basement membrane|myoepithelial|no stromal invasion|without stromal invasion|"
        "without invasion|linear branching|casting|fine pleomorphic|in situ|expand* the duct*",
    "Dutcher body": "intranuclear|nuclear pseudoinclusion*|pseudoinclusion*|waldenstrom*|"
        "waldenström*|lymphoplasmacytic|overlying the nucleus|invaginat*",
    "dysplasia": "loss of polarity|disordered maturation|loss of maturation|disorderly|"
        "intraepithelial|confined to the epithelium|nuclear-to-cytoplasmic|nuclear to cytoplasmic|"
        "hyperchroma*|cin|low-grade|high-grade|mitoses above the basal",
    "elastic stain": "elastic fib*|elastic lamina*|elastin|elastic tissue|black elastic",
    "ectopic pregnancy": "gestational sac|yolk sac|fetal pole|embryo|tubal ring|hcg|beta-hcg|"
        "empty uterus|no intrauterine",
    "elliptocyte": "ellipt*|oval*|pencil cell*|pencil-shaped|cigar-shaped|egg-shaped|elongated",
    "emphysema": "hyperinflation|hyperinflated|hyperlucen*|hyperexpan*|flattened diaphragm*|"
        "flattened hemidiaphragm*|barrel chest|barrel-shaped|increased ap diameter|"
        "increased anteroposterior|destruction of alveolar|enlarged airspaces|enlarged air spaces|"
        "loss of alveolar|pink puffer|retrosternal air|retrosternal clear space|"
        "decreased vascular markings",
    "endotracheal tube": "above the carina|intubat*|ett",
    "enteric tube": "below the diaphragm|stomach|gastric|nasogastric|orogastric|duodenum|"
        "post-pyloric|feeding",
    "progesterone receptor": "nuclear staining|nuclear positivity|nuclear expression|allred|"
        "hormone receptor*",
    "estrogen receptor": "nuclear staining|nuclear positivity|nuclear expression|allred|"
        "hormone receptor*",
    "eosinophil": "bilobed|orange-red granule*|bright red granule*|red-orange granule*|"
        "bright orange|refractile granule*|parasit*|allerg*|asthma|charcot-leyden|"
        "major basic protein",
    "duodenal atresia": "double bubble|double-bubble|trisomy 21|down syndrome|no distal gas|"
        "absent distal gas",
    "ependymoma": "perivascular pseudorosette*|pseudorosette*|true rosette*|ependymal rosette*|"
        "fourth ventricle|plastic|toothpaste|squeez*|foramen of luschka|foramen of magendie|"
        "foramina|blepharoplast*|ventricular lining",
    "epidural": "biconvex|lentiform|lens-shaped|lens shaped|middle meningeal|lucid interval|"
        "limited by suture*|confined by suture*|skull fracture|temporal bone fracture",
    "exudate": "protein-rich|high protein|light's criteria|ldh|turbid|cloudy|cellular fluid|"
        "inflammatory cells|fibrin*|specific gravity|increased vascular permeability",
    "fat": "chalky|chalky white|saponification|calcium soap*|soap*|pancrea*|lipase*|breast trauma|"
        "shadowy outline*|oil cyst",
    "fibrinoid": "fibrin-like|bright pink|smudgy|vessel wall*|vascular wall*|arterial wall*|"
        "vasculitis|immune complex*|malignant hypertension",
    "multiple sclerosis": "dawson*|ovoid|perpendicular to the|callososeptal|juxtacortical|"
        "optic neuritis|oligoclonal|young wom*|relapsing",
    "mammary duct ectasia": "inspissated|periductal inflammation|periductal fibrosis|"
        "plasma cell mastitis|toothpaste|thick secretions",
    "fibroadenoma": "intracanalicular|pericanalicular|slit-like|compressed duct*|mobile|rubbery|"
        "breast mouse|popcorn calcif*|wider than tall|young wom*|bland stroma|biphasic",
    "fibrosarcoma": "herringbone|herring-bone|herring bone|chevron|intersecting fascicles|"
        "uniform spindle",
    "fibrosis": "collagen*|scar*|fibrous|fibroblast*|honeycomb*|traction bronchiectasis|reticular|"
        "desmopla*|fibrotic",
    "foam cell": "foamy|lipid-laden|lipid laden|vacuolated cytoplasm|bubbly|xanthoma*|cholesterol|"
        "oxidized ldl|fatty streak*",
    "focal nodular hyperplasia": "central scar|stellate scar|spoke-wheel|spoke wheel|young wom*|"
        "hepatobiliary phase|malformed vessel*|thick-walled arter*|ductular proliferation|"
        "ductular reaction",
    "follicular adenoma": "intact capsule|no capsular invasion|without capsular invasion|"
        "no vascular invasion|without vascular invasion|fully encapsulated|thin capsule|"
        "microfollicle*|microfollicular",
    "follicular thyroid carcinoma": "capsular invasion|vascular invasion|angioinvasion|"
        "angioinvasive|hematogenous|bone metasta*|through the capsule|transcapsular|mushroom*",
    "foreign body giant cell": "haphazard*|scattered nuclei|randomly|random arrangement|"
        "disorganized nuclei|foreign material|polarizable|suture material|suture|engulf*|"
        "keratin debris|splinter*",
    "Blastomyces": "broad-based budding|broad based budding|broad-based bud*|double-contoured|"
        "thick refractile wall*|refractile double*",
    "Coccidioides": "spherule*|endospore*",
    "Histoplasma": "intracellular yeast*|tiny yeast*",
    "Candida": "pseudohyphae|pseudohyphal",
    "Mucor": "ribbon*|pauci-septate|pauciseptate|aseptate|nonseptate|non-septate|right angle*|"
        "right-angle*|90 degree*|90-degree*",
    "Cryptococcus": "mucicarmine|mucopolysaccharide capsule|thick capsule|india ink|"
        "narrow-based budding",
    "gallstone": "gallbladder|cholelithiasis|posterior acoustic shadow*|acoustic shadow*|dependent|"
        "mobile echogenic|wall-echo-shadow|faceted|cholesterol stone*|pigment stone*",
    "giant cell": "multinucleated|multinucleate|multiple nuclei|syncytial|fused macrophages",
    "glioblastoma": "pseudopalisad*|palisading necrosis|microvascular proliferation|"
        "endothelial proliferation|glomeruloid vessel*|butterfly|crosses the corpus callosum|"
        "corpus callosum|irregular rim|thick irregular|serpiginous|multiforme|necrotic center|"
        "astrocytic",
    "Gram stain": "gram-positive|gram-negative|gram positive|gram negative|crystal violet|safranin|"
        "peptidoglycan|purple cocci|pink rods",
    "granuloma": "epithelioid|epithelioid histiocyte*|epithelioid macrophage*|langhans|"
        "multinucleated giant cell*|rim of lymphocytes|lymphocytic cuff|cuff of lymphocytes|"
        "nodular aggregate*|granulomatous",
    "head": "skull|cranial|intracranial|cerebr*|cerebell*|orbit*|paranasal|calvari*|mening*|dura|"
        "dural|temporal lobe|parietal|occipital|facial|mandib*|maxill*",
    "Heinz body": "denatured hemoglobin|denatured haemoglobin|precipitated hemoglobin|g6pd|"
        "bite cell*|supravital|crystal violet|oxidant*|oxidative",
    "Howell-Jolly body": "nuclear remnant*|dna remnant*|asplenia|splenectomy|hyposplenism|"
        "functional asplenia",
    "Pappenheimer body": "iron-containing|siderotic granule*|prussian blue|iron granule*",
    "hemangioma": "blood-filled|vascular channels|vascular spaces|cavernous|capillary|"
        "peripheral nodular|discontinuous nodular|centripetal|fill-in|light bulb|lightbulb|"
        "strawberry|hyperechoic|echogenic|corduroy|polka-dot|vertical striation*",
    "hemorrhage": "blood|bleed*|extravasat*|hyperdense|hemosiderin*|hematoma|red cells outside",
    "hepatic adenoma": "oral contraceptive*|glycogen storage|anabolic steroid*|"
        "sheets of hepatocytes|absence of portal tracts|no portal tracts|lack of portal|"
        "lacking portal|intralesional fat|hnf1*|beta-catenin|no bile ducts|without bile ducts",
    "hepatoblastoma": "fetal|embryonal|infan*|child*|pediatric|extramedullary hematopoiesis|"
        "mixed epithelial and mesenchymal|beckwith*|familial adenomatous|light and dark",
    "hepatocellular carcinoma": "arterial enhancement|arterial phase|arterial hyperenhancement|"
        "washout|wash-out|trabecular|thickened trabeculae|wide trabeculae|broad trabeculae|"
        "bile production|produc* bile|afp|alpha-fetoprotein|"
        "cirrho*|portal vein invasion|portal vein thromb*|mosaic|enhancing capsule",
    "hepatocyte": "polygonal|hepatic cord*|hepatic plate*|sinusoid*|bile canalicul*|"
        "hepatic lobule*",
    "hepatomegaly": "enlarged liver|liver span|below the costal margin|extends below|liver edge|"
        "riedel*|enlarged hepat*",
    "hernia": "hernia sac|protru*|through a defect|fascial defect|abdominal wall defect|inguinal|"
        "umbilical|incisional|femoral|ventral|incarcerat*|strangulat*|reducible|bulge",
    "hiatal hernia": "retrocardiac|behind the heart|above the diaphragm|esophageal hiatus|hiatus|"
        "sliding|paraesophageal|intrathoracic stomach|gastric fundus above|"
        "gastroesophageal junction above",
    "HER2": "membran*|3+|2+|amplif*|trastuzumab|fish|chicken-wire|chicken wire",
    "Fontana-Masson stain": "melanin|argentaffin|melanocyt*",
    "Hirschsprung disease": "transition zone|aganglion*|ganglion cells|rectosigmoid ratio",
    "Hirano body": "rod-shaped|rod-like|cigar-shaped|actin|paracrystalline|elongated eosinophilic",
    "hyaline": "homogeneous|pink hyaline|hyaline thickening|homogeneous pink|amorphous pink|"
        "diabet*|benign hypertension|mild hypertension|plasma protein leakage|protein leakage",
    "hyaline membrane": "fibrin-rich|lining the alveol*|line the alveol*|lines the alveol*|"
        "alveolar lining|alveolar duct*|diffuse alveolar damage|ards|surfactant|reticulogranular",
    "myocarditis": "inflammatory infiltrate*|lymphocytic infiltrate*|myocyte necrosis|"
        "myocyte damage|myocyte injury|dallas criteria",
    "hydrocephalus": "ventriculomegaly|dilated ventricle*|enlarged ventricle*|ventricular dilat*|"
        "ventricular enlargement|temporal horn*|transependymal|periventricular|"
        "rounded frontal horn*|aqueduct*|evans index|out of proportion",
    "cytotoxic edema": "infarct*|ischemi*|ischaemi*|restricted diffusion|gray-white|cortical",
    "vasogenic edema": "tumor*|tumour*|metasta*|abscess|white matter|finger-like|digitate",
    "horseshoe kidney": "fused across the midline|isthmus|lower poles are fused|"
        "lower pole is fused|fused lower pole*",
    "duplex kidney": "two ureters|two renal pelves|upper and lower moiet*|duplicated ureter*|bifid",
    "hydronephrosis": "dilated renal pelvis|pelvicalyceal|pelvicaliectasis|pelviectasis|"
        "calyceal dilat*|caliectasis|collecting system|dilated calyces|dilated calices|"
        "blunted calyces|blunting|renal pelvis|ureteropelvic|hydroureter*",
    "hyperplasia": "increased number|increase in number|number of cells|cell number|hormonal|"
        "orderly proliferation|without atypia|no atypia",
    "hyperplastic": "onion-skin*|onion skin*|concentric laminated|concentric|laminated thickening|"
        "malignant hypertension|severe hypertension|smooth muscle proliferation|"
        "reduplicated basement membrane|serrated|saw-tooth|sawtooth",
    "incisional hernia": "laparotomy|incision*|surgical scar|operative scar|scar",
    "infarct": "wedge-shaped|wedge shaped|vascular territory|territorial|watershed|"
        "contraction band*|coagulative|occlu*|dwi bright|hypodens*|low attenuation|low density",
    "inflammation": "inflammatory infiltrate|inflammatory cells|leukocyt*|infiltrate|rubor|calor|"
        "dolor|hyperemi*|fat stranding|stranding|inflamed",
    "intestinal": "goblet cell*|paneth cell*|barrett*|brush border|cdx2|incomplete intestinal",
    "intramural hematoma": "crescent*|no intimal flap|without intimal flap|without an intimal flap|"
        "absence of intimal flap|absent intimal flap|no false lumen|without a false lumen|"
        "vasa vasorum|eccentric wall thickening|hyperdense wall",
    "invasive ductal carcinoma": "spiculat*|stellate|desmoplast*|tubule formation|irregular nests|"
        "nests|e-cadherin positive|e-cadherin-positive|duct formation|cohesive|taller than wide|"
        "scirrhous",
    "invasive lobular carcinoma": "single file|single-file|indian file|targetoid|"
        "concentric around duct*|e-cadherin negative|e-cadherin-negative|loss of e-cadherin|"
        "e-cadherin loss|discohesive|dyscohesive|multicentric|architectural distortion",
    "kidney stone": "staghorn|calyceal|ureter*|ureterovesical|uvj|flank pain|colicky|"
        "nephrolithiasis|urolithiasis|calcium oxalate|struvite|uric acid|twinkl*",
    "koilocyte": "perinuclear halo*|perinuclear clearing|perinuclear cavitation|raisinoid|"
        "raisin-like|wrinkled nuclei|hpv|human papillomavirus|cytoplasmic clearing",
    "intussusception": "target sign|target-like|targetoid|doughnut|donut|pseudokidney|"
        "crescent sign|currant jelly|lead point|bowel-within-bowel|bowel within bowel",
    "Langhans giant cell": "horseshoe*|c-shaped|peripheral nuclei|peripherally arranged|"
        "nuclei at the periphery|arranged peripherally",
    "large cell carcinoma": "undifferentiated|no glandular|no squamous|without glandular|"
        "without squamous|lack of differentiation|lacking differentiation|diagnosis of exclusion|"
        "sheets of large|large polygonal",  # not prominent nucleoli: any carcinoma may have them
    "leiomyoma": "whorl*|cigar-shaped|blunt-ended|fibroid*|submucosal|subserosal|intramural|"
        "no atypia|no mitoses|low mitotic|without necrosis|bland|venetian blind|edge shadowing",
    "leiomyosarcoma": "tumor cell necrosis|coagulative tumor|high mitotic|mitotic figures|"
        "atypical mitoses|nuclear atypia|cellular atypia|infiltrative border|rapid growth|"
        "rapidly enlarging",
    "Luxol fast blue stain": "myelin*|demyelinat*|myelin sheath*",
    "Lewy body": "synuclein|alpha-synuclein|α-synuclein|substantia nigra|parkinson*|"
        "concentric lamina*|pale halo|dense core|dense eosinophilic core|locus coeruleus",
    "lipoma": "mature adipocyte*|mature fat|thin capsule|fat attenuation|fat density|"
        "negative hounsfield|soft|doughy|homogeneous fat|uniform adipocytes|fat-suppress*|"
        "fat suppression",
    "liposarcoma": "lipoblast*|scalloped nuclei|scalloped|thick septa|nodular septa|"
        "thickened septa|enhancing septa|retroperitone*|mdm2|myxoid|chicken-wire|chicken wire|"
        "atypical stromal cell*|non-fatty component|nonfatty",
    "liquefactive": "liquef*|digested|digestion|enzymatic|viscous|abscess*|pus|purulent|creamy|"
        "cavity|cavities|foamy macrophages|gitter cell*|lipid-laden macrophages|cystic space*",
    "loop recorder": "leadless|no leads|without leads|small rectangular|left parasternal|"
        "implantable loop|subcutaneous",
    "lymphadenopathy": "enlarged lymph node*|enlarged node*|lymph node*|nodal|adenopathy|"
        "short axis|short-axis|loss of fatty hilum|effaced hilum|matted|necrotic node*",
    "lymphocyte": "round dark nucle*|scant cytoplasm|scanty cytoplasm|thin rim of cytoplasm|"
        "size of a red|small round|dense chromatin|clumped chromatin",
    "lymphoma": "starry sky|starry-sky|monotonous|monomorphic|sheets of atypical lymphoid|"
        "atypical lymphoid|cd20|effacement of nodal|bulky|homogeneous enhancement|encas*|"
        "sandwich sign|b symptoms",
    "macrophage": "histiocyt*|phagocyt*|kidney-shaped|bean-shaped|cd68|tingible body|tingible-body|"
        "abundant pale cytoplasm",
    "Mallory body": "mallory-denk|ropy|rope-like|twisted rope|alcoholic hepatitis|"
        "alcoholic hyaline|alcohol*|intermediate filament*|cytokeratin 8|keratin|keratins|"
        "keratin filament*|tangled",  # not a keratinocyte
    "medullary thyroid carcinoma": "amyloid|calcitonin|parafollicular|c cell*|c-cell*|men 2*|men2*|"
        "ret|cea|salt-and-pepper|salt and pepper|neuroendocrine",
    "medulloblastoma": "homer wright|homer-wright|neuroblastic rosette*|vermis|cerebellar vermis|"
        "drop metasta*|small round blue cell*|carrot-shaped|desmoplastic nodular|nuclear molding",
    "melanoma": "melanin|pigment*|abcde|asymmetr*|irregular border*|color variegation|variegat*|"
        "s100|s-100|hmb-45|hmb45|melan-a|sox10|pagetoid|melanocyt*|cherry-red nucleoli",
    "meningioma": "dural tail|dural-based|dura-based|dural attachment|broad dural|extra-axial|"
        "extraaxial|whorl*|psammoma*|csf cleft|hyperostosis|meningothelial",
    "metaplasia": "replaced by|replacement of|one differentiated cell type|another cell type|"
        "adaptive substitution|substitut*",
    "metastasis": "multiple|multifocal|gray-white junction|grey-white junction|cannonball*|"
        "known primary|primary malignancy|disseminated|innumerable|miliary|seeding|distant",
    "Michaelis-Gutmann body": "malakoplakia|malacoplakia|von hansemann|targetoid|target-like|"
        "von kossa|calcospherite*|iron and calcium|bull's-eye",
    "midgut volvulus": "whirlpool|corkscrew|malrotation|bilious|sma|smv|superior mesenteric*",
    "midline shift": "septum pellucidum|subfalcine|displacement of midline|"
        "displacement of the midline|midline displacement|shifted|contralateral displacement|falx|"
        "falcine",
    "mucicarmine stain": "mucin*|mucicarmine|carmine|cryptococc*|capsule*|rose-red|pinkish-red|"
        "epithelial mucin",
    "mucoepidermoid carcinoma": "mucous cells|mucin-producing|mucin-secreting|epidermoid cells|"
        "intermediate cells|mixed mucous|maml2|cystic and solid|squamoid and mucinous|"
        "mucinous and epidermoid",
    "necrotizing enterocolitis": "pneumatosis|portal venous gas|portal vein gas|premature*|"
        "bubbly|intramural gas|intramural air",
    "neck": "thyroid|parathyroid|laryn*|pharyn*|cervical lymph|cervical spine|carotid|jugular|"
        "salivary|parotid|submandibular|supraclavicular|vocal cord*|epiglott*",
    "necrosis": "cell death|karyorrhexis|karyolysis|pyknosis|pyknotic|nuclear dissolution|"
        "loss of nuclei|anucleate|devitalized|necrotic debris|non-viable|nonviable",
    "Negri body": "rabies|purkinje|cerebellar purkinje|hippocampal pyramidal|"
        "intracytoplasmic viral",
    "neurofibrillary tangle": "flame-shaped|flame shaped|tau|hyperphosphorylated|"
        "paired helical filament*|alzheimer*|intraneuronal|globose|hippocamp*|entorhinal",
    "neurofibroma": "wavy nuclei|wavy|serpentine|comma-shaped|shredded carrot|bag of worms|"
        "plexiform|nf1|neurofibromatosis|café-au-lait|cafe-au-lait|cafe au lait|mast cell*|"
        "fusiform enlargement|nerve passes through|central nerve",
    "neutrophil": "multilob*|segmented|lobulated nucle*|polymorphonuclear|pmn*|three to five lobes|"
        "3-5 lobes|pale pink granules|neutrophilic granules",
    "non-caseating": "without necrosis|no necrosis|lacking necrosis|non-necrotizing|nonnecrotizing|"
        "noncaseating|sarcoid*|asteroid bod*|schaumann|crohn*|naked|tight|well-formed|berylli*|"
        "bilateral hilar",
    "obstruction": "dilated loops|dilated bowel|air-fluid levels|transition point|collapsed distal|"
        "decompressed|step-ladder|stepladder|closed loop|closed-loop|upstream dilat*|"
        "proximal dilat*|small bowel feces",
    "oligodendroglioma": "fried egg|fried-egg|perinuclear halo*|chicken-wire|chicken wire|"
        "branching capillar*|1p/19q|codeletion|co-deletion|round uniform nuclei",
    "oncocytoma": "mahogany*|central scar|stellate scar|spoke-wheel|spoke wheel|mitochondria*|"
        "oncocyt*|granular eosinophilic cytoplasm|tan-brown",
    "osseous": "bone formation|lamellar bone|woven bone|ossif*|trabecular bone|bone trabeculae|"
        "myositis ossificans|osteoblast*",
    "pacemaker": "pulse generator|generator|lead*|transvenous|right ventricular lead",
    "panlobular": "lower lobe*|lower-lobe|alpha-1|alpha1|α1|antitrypsin|entire acinus|"
        "entire lobule|panacinar|uniform destruction|basal predominan*",
    "papillary thyroid carcinoma": "orphan annie|orphan-annie|ground-glass nuclei|"
        "ground glass nuclei|optically clear nuclei|nuclear groove*|grooved nuclei|"
        "intranuclear pseudoinclusion*|intranuclear inclusion*|psammoma*|papillae|papillary|"
        "microcalcif*|braf|ret/ptc",
    "paraseptal": "subpleural|distal acin*|along the septa|interlobular septa|"
        "adjacent to the pleura|spontaneous pneumothorax|apical bulla*|tall young",
    "PAS stain": "magenta|glycogen|diastase*|periodic acid|schiff|pas-positive|pas positive|"
        "mucopolysaccharide*|basement membrane*|fungal wall*",
    "pelvis": "bladder|rectum|rectal|uterus|uterine|prostat*|ovar*|adnex*|seminal vesic*|cervix|"
        "vagina*|endometri*|sacrum|sacral|iliac|acetabul*|pubic|pubis|pouch of douglas",
    "pericardial effusion": "water bottle|water-bottle|flask-shaped|globular|epicardial fat pad|"
        "fat pad sign|oreo|swinging heart|electrical alternans|pericardial fluid|pericardial space|"
        "tamponade|low voltage|surrounding the heart|around the heart",
    "phyllodes tumor": "leaf-like|leaflike|leaf like|stromal overgrowth|stromal hypercellularity|"
        "hypercellular stroma|cleft-like|elongated clefts|stromal atypia|periductal stromal|"
        "older wom*|rapidly growing",
    "picc": "peripherally inserted|basilic|cephalic|arm|upper extremity",
    "Pick body": "round argyrophilic|frontotemporal|knife-edge|knife edge|dentate gyrus|"
        "ballooned neuron*|pick cell*|lobar atrophy",
    "plasma cell": "clock-face|clockface|clock face|cartwheel|eccentric*|perinuclear hof|hof|golgi|"
        "basophilic cytoplasm|cd138|immunoglobulin",
    "pleomorphic adenoma": "chondromyxoid|chondroid stroma|myxoid stroma|myxochondroid|biphasic|"
        "mixed tumor|epithelial and mesenchymal|myoepithelial|bosselated|pseudopod*|"
        "incomplete capsule|recur*",
    "pleural effusion": "meniscus|meniscus sign|costophrenic|layering|dependent fluid|subpulmonic|"
        "lateral decubitus|shift away|contralateral shift|pleural fluid|pleural space",
    "pneumomediastinum": "continuous diaphragm|ring around the artery|ring-around-the-artery|"
        "spinnaker|angel wing|thymic sail|mediastinal air|outlining the mediastin*|"
        "outlining the heart|naclerio|hamman*|crunch",
    "pneumonia": "lobar consolidation|air bronchogram*|fever|productive cough|infiltrate*|"
        "hepatization|red hepatization|gray hepatization|grey hepatization|bronchopneumonia|patchy|"
        "alveolar exudate|neutrophils filling|rust-colored|rusty sputum",
    "pneumoperitoneum": "free air|free intraperitoneal air|intraperitoneal air|under the diaphragm|"
        "beneath the diaphragm|subdiaphragmatic|rigler*|double wall|double-wall|football sign|"
        "falciform ligament|cupola|perforat*",
    "pneumothorax": "visceral pleural line|pleural line|pleural edge|absent lung markings|"
        "no lung markings|absence of lung markings|devoid of lung markings|deep sulcus|"
        "collapsed lung|lung point|absent lung sliding|absence of lung sliding|no lung sliding|"
        "barcode|stratosphere",
    "polyp": "pedunculated|sessile|stalk|projecting into the lumen|protruding into the lumen|"
        "intraluminal|polypoid",
    "popcorn cell": "popcorn|lymphocytic and histiocytic|l&h|lymphocyte-predominant|"
        "lymphocyte predominant|nodular lymphocyte|multilobated|folded|lobulated nucle*|lp cell*",
    "Prussian blue stain": "hemosiderin*|blue granules|iron|ferric|sideroblast*|"
        "ringed sideroblast*|ring sideroblast*|heart failure cell*|blue-black|iron-laden",
    "psammoma body": "concentric*|laminat*|lamellated|onion-like|concentric rings|round calcif*|"
        "papillary",
    "pseudocyst": "no epithelial lining|lacks epithelial lining|lacks an epithelial lining|"
        "without epithelial lining|without an epithelial lining|lacking an epithelial lining|"
        "fibrous wall|granulation tissue|pancreatitis|peripancreatic|lesser sac|mature wall",
    "pulmonary edema": "kerley*|bat wing|bat-wing|batwing|butterfly|perihilar|cephalization|"
        "peribronchial cuffing|vascular redistribution|septal lines|interstitial edema|frothy|"
        "pink frothy|fluid in the fissure|fissural fluid|heart failure",
    "pulmonary embolism": "filling defect|intraluminal filling defect|polo mint|polo-mint|"
        "railway track|hampton*|westermark|fleischner|saddle|mcconnell*|s1q3t3|right heart strain|"
        "rv strain|right ventricular strain|lines of zahn",
    "Reed-Sternberg cell": "owl-eye|owl's eye|owl eye|owl-eyed|binucleate|bilobed|mirror-image|"
        "mirror image|cd15|cd30|classic hodgkin|inclusion-like nucleoli",
    "pyloric stenosis": "pyloric muscle|pylorus|pyloric channel|channel length|muscle thickness|"
        "olive|projectile|string sign|shoulder sign|double track|double-track",
    "renal cell carcinoma": "clear cell*|clear cytoplasm|golden yellow|golden-yellow|hypervascular|"
        "vhl|von hippel*|renal vein|vena cava|delicate branching vasculature|arborizing vessel*",
    "reticulin stain": "reticular fiber*|reticulin fiber*|reticulin fibre*|black fiber*|"
        "black reticulin|type iii collagen|collagen type iii|reticulin framework|framework|"
        "loss of reticulin|widened trabeculae|argyrophil*",
    "rhabdomyosarcoma": "strap cell*|tadpole*|rhabdomyoblast*|cross-striation*|cross striation*|"
        "desmin|myogenin|myod1|botryoid|grape-like|cambium layer|orbit*|"
        "skeletal muscle differentiation",
    "Russell body": "mott cell*|grape-like|intracytoplasmic|intracytoplasmic immunoglobulin|"
        "cytoplasmic immunoglobulin|distended endoplasmic reticulum|rough endoplasmic reticulum|"
        "cytoplasmic globule*",
    "Schaumann body": "conchoidal|shell-like|laminated calcium|calcium and protein|"
        "concentric calcif*",
    "schistocyte": "helmet cell*|fragmented|fragment*|triangular|sharp angles|microangiopathic|"
        "mahat|dic|ttp|hus|keratocyte*|horn cell*|mechanical heart valve",
    "schwannoma": "antoni|verocay|palisading nuclei|nuclear palisading|eccentric|cerebellopontine|"
        "internal auditory canal|ice cream cone|ice-cream cone|encapsulated|split-fat|acoustic|"
        "vestibular|nf2|hyalinized vessel*",
    "scoliosis": "lateral curvature|lateral deviation|s-shaped|c-shaped|cobb*|rotation|rotational|"
        "rib hump|dextroscoliosis|levoscoliosis|curvature|convex to the",
    "sickle cell": "crescent-shaped|sickle-shaped|sickled|banana-shaped|hbs|hemoglobin s|"
        "pointed ends|boat-shaped|drepanocyte*",
    "sickle cell anemia": "crescent-shaped|sickle-shaped|sickled|banana-shaped|hbs|hemoglobin s|"
        "pointed ends|boat-shaped|drepanocyte*|howell-jolly|autosplenectomy",
    "thalassemia": "target cell*|codocyte*|microcyt*|hypochrom*|basophilic stippling|"
        "hemoglobin h|crew-cut|hair-on-end|chipmunk",
    "hereditary spherocytosis": "spherocyt*|central pallor|osmotic fragility|ankyrin|spectrin",
    "hereditary elliptocytosis": "ellipt*|ovalocyt*|pencil cell*|cigar-shaped",
    "signet ring cell": "signet ring*|signet-ring*|intracytoplasmic mucin|mucin vacuole*|"
        "compressed nucleus|crescent-shaped nucleus|pushed to the periphery|displaced nucleus|"
        "peripherally displaced|linitis plastica|leather bottle|diffuse-type|krukenberg",
    "silver stain": "black|argyrophil*|argentaffin|grocott|gms|methenamine|warthin-starry|steiner|"
        "bielschowsky|spirochet*|pneumocystis|silver-positive|silver impregnation",
    "single-chamber": "single lead|one lead|single ventricular lead|single transvenous lead|"
        "single right ventricular lead",
    "small cell carcinoma": "oat cell*|oat-like|nuclear molding|nuclear moulding|salt-and-pepper|"
        "salt and pepper|scant cytoplasm|crush artifact|azzopardi|paraneoplastic|siadh|acth|"
        "lambert-eaton|neuroendocrine|synaptophysin|chromogranin|bulky mediastinal",
    "spherocyte": "lack of central pallor|no central pallor|absent central pallor|"
        "loss of central pallor|without central pallor|lacking central pallor|small dense|"
        "hyperchrom*|microspherocyte*|osmotic fragility|hereditary spherocytosis|ankyrin|spectrin|"
        "coombs",
    "splenomegaly": "enlarged spleen|splenic enlargement|spleen measuring|splenic tip|"
        "left costal margin|left upper quadrant|massive spleen|massively enlarged spleen|"
        "lower pole of the left kidney",
    "squamous": "keratin*|stratified squamous|smok*|intercellular bridge*|keratiniz*|"
        "transformation zone|vitamin a deficiency|flattened",
    "squamous cell carcinoma": "keratin pearl*|squamous pearl*|intercellular bridge*|keratiniz*|"
        "keratin*|desmosome*|dyskerato*|p40|p63|cavitat*|hypercalcemia|pthrp|squamous eddies",
    "squamous epithelium": "stratified|flattened|flat|multilayered|keratin*|keratinized|"
        "non-keratinizing|nonkeratinizing|scale-like|pavement",
    "steatosis": "fatty|fat droplet*|lipid vacuole*|lipid droplet*|macrovesicular|microvesicular|"
        "fatty liver|fatty change|bright liver|hyperechoic liver|low attenuation liver|"
        "less dense than spleen|signal drop*|chemical shift|out-of-phase|clear vacuoles",
    "subarachnoid": "basal cistern*|cistern*|sulci|sulcal|sylvian fissure|interhemispheric fissure|"
        "thunderclap|worst headache|berry aneurysm|xanthochromi*|fills the sulci",
    "subcutaneous emphysema": "crepitus|crackling|subcutaneous air|subcutaneous gas|"
        "gas in soft tissue*|soft tissue gas|soft-tissue gas|air in soft tissue*|ginkgo leaf|"
        "gingko leaf|striated|air dissecting|chest wall",
    "subdural": "crescent*|cross* suture*|bridging vein*|along the falx",
    "target cell": "bull's eye|bull's-eye|bullseye|codocyte*|central dense|central hemoglobin|"
        "dark center|thalassemia|hbc|hemoglobin c|asplenia|liver disease|target-like|"
        "target appearance|target-shaped",
    "teardrop cell": "teardrop*|tear-drop*|tear drop|dacrocyte*|dacryocyte*|myelofibrosis|"
        "marrow fibrosis|myelophthisic|single tail|elongated tail|pear-shaped",
    "thrombus": "lines of zahn|zahn|attached to vessel wall|attached to the wall|filling defect|"
        "occlusive|intraluminal clot|clot|alternating layers|platelets and fibrin|"
        "noncompressible vein|non-compressible vein",
    "Touton giant cell": "wreath*|ring of nuclei|foamy|foamy cytoplasm|xanthogranuloma|xanthoma*|"
        "lipid*|lipid-laden",
    "tracheostomy tube": "stoma|tracheostomy|anterior neck|tracheal stoma",
    "transitional epithelium": "umbrella cell*|umbrella|dome-shaped|dome shaped|urothel*|bladder|"
        "ureter*|stretch*|distensible|facet cell*",
    "trichrome stain": "blue collagen|collagen blue|collagen stains blue|blue-staining|stains blue|"
        "staining blue|green collagen|red muscle|muscle red|masson*|gomori|ragged red",
    "tubular": "tubular gland*|tubules|tubular architecture|pedunculated|stalk|"
        "predominantly tubular|mostly tubular",
    "tubulovillous": "tubulovillous|mixed tubular and villous|tubular and villous|"
        "both tubular and villous",
    "vascular congestion": "cephalization|upper lobe diversion|redistribution|engorged|engorgement|"
        "distended vessels|dilated capillaries|hyperemic|blood-filled capillaries|"
        "prominent pulmonary vessels|indistinct vessels|passive congestion|nutmeg",
    "villous": "finger-like|frond*|villi|villous projection*|sessile|cauliflower*|hypokalemia|"
        "secretory diarrhea|velvety",
    "Warthin tumor": "lymphoid stroma|germinal center*|double layer*|double-layered|bilayer*|"
        "bilayered oncocytic|cystadenoma lymphomatosum|smoker*|tail of the parotid|parotid tail|"
        "papillary cystic",
    "keratoacanthoma": "crateriform|keratin-filled crater|keratin plug*|keratin-filled plug*|"
        "central keratin*",
    "molluscum contagiosum": "crateriform|umbilicat*|molluscum bod*|henderson-patterson",
    "von Kossa stain": "calcium|calcif*|black deposit*|black",
    "vesicoureteral reflux": "ureter*|renal pelvis|collecting system*|calyc*|calyx|calyces|"
        "retrograde",
    "verruca vulgaris": "papillomatos*|koilocyt*|church spire*",
    "seborrheic keratosis": "horn cyst*|pseudohorn cyst*|stuck-on",
    "actinic keratosis": "solar elastosis|sun-damaged|atypical basal keratinocyte*",
    "basal cell carcinoma": "palisad*|retraction artifact*|basaloid",
    "melanocytic nevus": "nevus cell*|nevomelanocyt*|maturation with depth",
    "dermatofibroma": "storiform|collagen trapping|trapped collagen|entrapped collagen|dimple sign",
    "malignant mesothelioma": "pleural-based|pleural rind|thick rind|encas*|circumferential "
        "pleural|asbestos*|calretinin|d2-40|biphasic|tubulopapillary",
    "intraductal papillary mucinous neoplasm": "main pancreatic duct|main duct|dilated duct*|"
        "dilated pancreatic duct|papillae|fish-mouth|fish mouth|mucin extru*|branch duct*|"
        "communicat* with the duct",
    "benign prostatic hyperplasia": "transition zone|periurethral|fibromuscular stroma|"
        "stromal nodule*|glandular nodule*|nodules of glands|papillary infolding*|"
        "two cell layer*|two-cell layer*|urinary obstruct*|lower urinary tract",
    "Wilms tumor": "triphasic|blastem*|primitive tubule*|abortive glomeruli|glomeruloid|"
        "nephroblastoma|wt1|nephrogenic rest*|stromal and epithelial",
    "endometrioma": "ground-glass|ground glass|low-level echo*|chocolate|endometriotic",
    "hemorrhagic ovarian cyst": "lacy|reticular pattern|fishnet|retracting clot*",
    "mature cystic teratoma": "fat-fluid level|rokitansky|dermoid plug|tip of the iceberg|teeth",
    "tree-in-bud": "endobronchial|bronchiolitis|small airway*|branching|v-shaped|y-shaped|mucus",
    "miliary nodules": "hematogenous|haematogenous|innumerable|random distribution|millet|uniform",
    "perilymphatic nodules": "sarcoid*|lymphangitic|bronchovascular|fissur*|subpleural|septal",
}  # fmt: skip


# Words that say a finding is absent without naming it (normally inflated lungs have no
# emphysema): a finding made present beside them would leave the sentence saying both.
ABSENT_SAYS = {
    "emphysema": "normally inflated|normally expanded|normal lung volume*|normal inflation",
    "obstruction": "normal in caliber|normal caliber|not dilated|nondilated|non-dilated|"
    "normal bowel gas pattern|nonobstructive|non-obstructive",
    "arterial dissection": "uniformly opacified|homogeneously opacified|uniform opacification|"
    "homogeneous opacification|single lumen|single opacified lumen",
}


def _regex(phrases: str) -> str:
    """One regex for '|'-joined phrases: whole words from their start, '*' any ending (a
    hyphenated word's too)."""
    parts = [re.escape(p).replace(r"\ ", r"\s+") for p in phrases.split("|")]
    parts = [p.replace(r"\*", r"[\w-]*") for p in parts]  # horseshoe*: horseshoe-shaped
    return r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"


FEATURES_OF = {
    c: _regex(phrases)
    for c, phrases in (FEATURES | HISTOLOGY | PLANE_FEATURES | BONE_FEATURES).items()
}
ABSENT_OF = {concept: _regex(phrases) for concept, phrases in ABSENT_SAYS.items()}
