"""The textbook features of bone and joint disease that tell it from what a model confuses it
with, as data only (features.py merges them into FEATURES_OF): fractures, dislocations, the
arthritides and bone tumours. Each entry: concept: its phrases joined by '|', matched from a
word's start, case-insensitively ('*' takes any ending); precision before recall.
"""

from __future__ import annotations

BONE_FEATURES = {
    "chondrosarcoma": "chondroid|cartilag*|rings and arcs|ring-and-arc|endosteal scalloping|"
        "deep endosteal|cortical destruction|cortical breach|soft tissue extension|"
        "hypercellular cartilage|lacuna*",
    "degenerative change": "osteophyte*|joint space narrowing|subchondral sclerosis|"
        "subchondral cyst*|disc space narrowing|disk space narrowing|spondylosis|eburnation|"
        "vacuum phenomenon|wear and tear|heberden*|bouchard*",
    "dislocation": "loss of articular|articular surfaces no longer|not articulating|incongru*|"
        "displaced from|empty glenoid|lightbulb|light bulb|rim sign|malalignment|out of joint|"
        "complete loss of contact",
    "enchondroma": "phalang*|phalanx|short tubular bone*|small hand bones|hand*|ollier*|maffucci|"
        "incidental|hypocellular|bland|no cortical destruction|intramedullary",
    "Ewing sarcoma": "onion skin*|onion-skin*|onion peel|lamellated|diaphys*|permeative|moth-eaten|"
        "cd99|ews|small round blue cell*|homer wright|glycogen-rich",
    "fracture": "cortical break|cortical disruption|cortical discontinuity|lucent line|"
        "fracture line|discontinuity|displaced|angulat*|comminut*|callus|step-off|fragment*|"
        "transverse|spiral|buckl*",
    "giant cell tumor": "soap bubble|soap-bubble|epiphys*|subarticular|subchondral|eccentric|"
        "osteoclast-like|osteoclast-type|metaepiphys*|distal femur|proximal tibia|"
        "skeletally mature|closed physis|closed growth plate*|non-sclerotic|nonsclerotic",
    "osteochondroma": "cartilage cap|cartilaginous cap|medullary continuity|cortical continuity|"
        "continuous with the|pointing away|away from the joint|pedunculated|sessile|exostos*|"
        "metaphys*|cauliflower",
    "osteoid osteoma": "nidus|night pain|nocturnal pain|pain at night|relieved by aspirin|"
        "relieved by nsaid*|nsaid*|aspirin|reactive sclerosis|surrounding sclerosis|"
        "dense sclerosis|small radiolucent|less than 2 cm|intracortical",
    "osteosarcoma": "sunburst|sun-burst|codman*|osteoid|malignant osteoid|lace-like osteoid|"
        "lacy osteoid|metaphys*|around the knee|cloud-like|fluffy|alkaline phosphatase|"
        "retinoblastoma|paget*",
    "osteoarthritis": "osteophyte*|subchondral sclerosis|subchondral cyst*|eburnation|"
        "asymmetric joint space narrowing|heberden*|bouchard*",
    "rheumatoid arthritis": "periarticular osteopenia|juxta-articular osteopenia|marginal erosion*|"
        "symmetric joint space narrowing|symmetric narrowing|uniform joint space narrowing|"
        "ulnar deviation|pannus|rheumatoid nodule*|swan neck|boutonni*",
    "gout": "punched-out erosion*|overhanging edge*|tophus|tophi|martel*|negatively birefringent|"
        "needle-shaped crystal*",
}  # fmt: skip
