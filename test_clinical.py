"""Tests of the judge and the rule editor (clinical.py and the modules it uses: claims.py,
phrases.py, edits.py, swaps.py, questions.py, reports.py), llm.py (the LLM editor and judge
against a stand-in server) and the expert cases: the development cases, a second set by the
same expert, a third written for the rules' classes in other words, a fourth aimed at the
precision guards, and the first blind set (test_data/final/clinical_cases_final.jsonl, now a
development set). Only the files named in CASE_FILES are read: another file under
test_data/final is the lead's final measurement, never opened here."""

from __future__ import annotations

import ast
import functools
import hashlib
import http.server
import importlib.util
import json
import re
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import claims
import clinical
import conflicts
import llm
import medpo
import phrases
import reports
from clinical import clinical_edit, counterfactual_edit, explain_edit, is_right, judge
from evidence import without_evidence

HERE = Path(__file__).resolve().parent
CASE_FILES = [HERE / "test_data" / f"clinical_cases{k}.jsonl" for k in ("", "_2", "_3", "_4")]
CASE_FILES += [HERE / "test_data" / "final" / "clinical_cases_final.jsonl"]
_spec = importlib.util.spec_from_file_location("pair_quality", HERE / "benchmarks/pair_quality.py")
pair_quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pair_quality)


def plants(response, question="", reference="", seeds=8):
    return {counterfactual_edit(response, np.random.default_rng(s), question, reference)
            for s in range(seeds)}  # fmt: skip


# ------------------------------------------------------------------------------- text basics


def test_an_article_goes_by_how_the_word_is_said():
    said = {
        w: phrases.article_for(w) for w in ("MRI", "SVC", "CT", "FLAIR", "PICC", "ERCP", "effusion")
    }
    assert said == {"MRI": "an", "SVC": "an", "CT": "a", "FLAIR": "a", "PICC": "a", "ERCP": "an",
                    "effusion": "an"}  # fmt: skip
    assert clinical_edit("This is a diffusion-weighted image.", "FLAIR", "Which sequence?") == (
        "This is a FLAIR image."
    )


def test_an_article_that_only_agrees_with_its_word_is_no_change():
    counted = clinical.changes_per_sentence
    assert counted("There is a chronic infarct.", "There is an acute infarct.") == [1]
    assert counted("This is an axial (transverse) CT.", "This is a sagittal CT.") == [2]
    assert counted("There is a right effusion.", "There are bilateral effusions.") == [3]
    assert counted("There is a mass.", "There is no mass.") == [1]  # 'no' is a word


def test_words_and_word_edits_count_a_decimal_as_one_word():
    assert clinical.words("A 3.5 cm left-sided X-ray, T2-weighted.") == [
        "a", "3.5", "cm", "left-sided", "x-ray", "t2-weighted"]  # fmt: skip
    assert clinical.word_edits("The nodule is 3.5 cm.", "The nodule is 2.5 cm.")[:2] == (1, 6)
    assert clinical.word_edits(
        "The lesion is on the left side.", "The lesion is on the right side."
    ) == (1, 8, ["left", "right"])


@pytest.mark.parametrize("bad", [None, "", "   ", 3, ["a"]])
def test_editors_reject_bad_input_by_name(bad):
    with pytest.raises(ValueError, match="response"):
        clinical_edit(bad, "Liver")
    with pytest.raises(ValueError, match="reference"):
        clinical_edit("The liver.", bad)


# ------------------------------------------------------------------ the rule editor (ported)


@pytest.mark.parametrize(
    "response,reference,question,expected",
    [
        ("The lesion is in the left lung.", "Right lung", "Where is the lesion?",
         "The lesion is in the right lung."),
        ("Left.", "right", "Which side?", "Right."),
        ("The abnormality is on the right side.", "Left", "Which side is abnormal?",
         "The abnormality is on the left side."),
        ("Yes.", "No", "Is there a nodule?", "No."),
        ("No, there is no nodule.", "Yes", "Is there a nodule?", "Yes, there is a nodule."),
        ("Yes, there is a nodule in the left lung.", "No", "Is there a nodule?",
         "No, there is no nodule in the left lung."),
        ("There is no effusion.", "yes", "Is there an effusion?", "There is an effusion."),
        ("The tumor is absent.", "Yes", "Is there a tumor?", "The tumor is present."),
        ("A nodule is not seen.", "Yes", "Is there a nodule?", "A nodule is seen."),
        ("This is a CT scan of the abdomen.", "MRI", "What modality is this?",
         "This is an MRI scan of the abdomen."),
        ("The image was taken with MRI.", "CT", "What imaging modality was used?",
         "The image was taken with CT."),
        ("It is an ultrasound image.", "X-Ray", "What modality?", "It is an X-ray image."),
        ("The image shows the liver.", "Brain", "Which organ is shown?",
         "The image shows the brain."),
        ("The organ shown is the heart.", "Lung", "Which organ is shown?",
         "The organ shown is the lung."),
        ("The mass is small.", "Large", "How large is the mass?", "The mass is large."),
        ("There is a large cyst.", "small", "What size is the cyst?", "There is a small cyst."),
        ("There are two nodules.", "3", "How many nodules?", "There are three nodules."),
    ],
)  # fmt: skip
def test_rule_editor_corrects_the_wrong_claim_only(response, reference, question, expected):
    assert clinical_edit(response, reference, question) == expected
    assert is_right(expected, reference, question)


@pytest.mark.parametrize(
    "response,reference,question",
    [
        ("The lesion is in the right lung.", "Right lung", "Where is the lesion?"),
        ("Yes, there is a nodule.", "yes", "Is there a nodule?"),
        ("This  is an  MRI image ,of the brain.", "MRI", "What modality is this?"),
        ("The liver appears normal.", "The liver is normal.", "How does the liver look?"),
        ("The answer is pneumonia", "Pneumonia", "What is the diagnosis?"),
        ("The organ located posterior to the bladder is the rectum.", "Rectum",
         "Which organ is located posterior to the bladder in this image?"),  # a landmark
        ("The oval fluid-filled structure below the liver is the gallbladder.", "Gallbladder",
         "Which organ is the oval fluid-filled structure below the liver?"),
    ],
)  # fmt: skip
def test_rule_editor_leaves_right_answers_byte_identical(response, reference, question):
    assert clinical_edit(response, reference, question) == response


@pytest.mark.parametrize(
    "response,reference,question,why",
    [
        ("I am not sure what this shows.", "Liver", "Which organ?", "hedged"),
        ("The lesion is in the left and right lung.", "Right", "Which side?", "both_options"),
        ("It is unclear whether there is an effusion.", "Yes", "Is there an effusion?", "hedged"),
        ("There may be a pneumothorax.", "No", "Is there a pneumothorax?", "hedged"),
        ("No, the kidneys are included.", "Yes", "Does it contain kidney?", "inconsistent"),
        ("Yes, no tumor is at the margin.", "yes", "Is the margin free of tumor?", "asks_absence"),
        ("Yes, no mass is seen in the liver.", "No", "Is there a liver mass?", "inconsistent"),
    ],
)
def test_rule_editor_skips_what_it_cannot_tell_and_says_why(response, reference, question, why):
    assert explain_edit(response, reference, question) == (None, why)
    assert not is_right(response, reference, question)


@pytest.mark.parametrize(
    "answer,reference,right",
    [
        ("No, the is is is the is is", "No, the image is abnormal.", False),
        ("No, the image is on the spine.", "No, the image is abnormal.", False),
        ("Yes, there is a right side.", "Yes, there is a lesion.", False),
        ("Yes, the image is abnormal.", "No, the image is abnormal.", False),
        ("No, the image is abnormal.", "No, the image is abnormal.", True),
        ("The lesion is in the right lung.", "Right lung", True),
        ("Yes, there is a nodule.", "Yes", True),
        ("The lesion is in the left lung.", "Right lung", False),
    ],
)
def test_the_judge_needs_what_the_reference_decides(answer, reference, right):
    """Broken answers that only get the yes/no word right do not pass."""
    assert is_right(answer, reference) is right


def test_counterfactual_is_none_without_clinical_terms():
    assert counterfactual_edit("I cannot say.") is None


def test_words_changed_are_counted_by_the_fewest_changes_in_each_sentence():
    answer = "The tumor shows pleomorphic cells with mitoses, without necrosis or hemorrhage."
    fixed = "The tumor shows pleomorphic cells with mitoses, with necrosis but without hemorrhage."
    assert clinical.changes_per_sentence(answer, fixed) == [3]  # without->with, or->but without
    tube = "The tube is in the right bronchus. Recommend withdrawal by 2 cm. Lungs clear."
    moved = "The tube is 5 cm above the carina. Lungs clear."
    assert clinical.changes_per_sentence(tube, moved) == [4, 5, 0]  # in right bronchus -> 5 cm
    # above carina (articles are free); the advice's five words in its own sentence


def test_word_diff_gives_the_regions_that_differ():
    assert clinical.word_diff(
        "The lesion is in the left lung.", "The lesion is in the right lung."
    ) == [((21, 25), (21, 26))]
    assert clinical.word_diff("No pneumothorax.", "No pneumothorax or effusion.") == [
        (None, (16, 27))
    ]
    assert "lymph node" in clinical.lexicon_words()


# ------------------------------------------------------------------- the issue's examples


@pytest.mark.parametrize(
    "response,reference,question,expected",
    [
        ("Yes, this brain MRI looks normal.", "No", "Is this brain MRI normal?",
         "No, this brain MRI looks abnormal."),
        ("The scan shows a left pleural effusion.", "Pneumothorax", "What abnormality is seen?",
         "The scan shows a left pneumothorax."),
        ("There is a mass in the pancreas.", "Adrenal gland", "Where is the mass?",
         "There is a mass in the adrenal gland."),
        ("Yes, the liver is enlarged.", "No", "Is the liver enlarged?",
         "No, the liver is not enlarged."),
        ("Yes, there is free air under the diaphragm.", "No", "Is there free air?",
         "No, there is no free air under the diaphragm."),
        ("Yes, there are areas of necrosis.", "No", "Is there necrosis?",
         "No, there are no areas of necrosis."),
        ("No, this brain MRI looks normal.", "No", "Is this brain MRI normal?",
         "No, this brain MRI looks abnormal."),
        ("No, there is no free air under the diaphragm to suggest pneumoperitoneum.", "Yes",
         "Is there evidence of pneumoperitoneum?",
         "Yes, there is free air under the diaphragm to suggest pneumoperitoneum."),  # no hedge
    ],
)  # fmt: skip
def test_a_claim_is_corrected_with_its_linked_words(response, reference, question, expected):
    assert not is_right(response, reference, question)
    assert clinical_edit(response, reference, question) == expected


@pytest.mark.parametrize(
    "answer,reference,question,right",
    [
        ("There are three lesions.", "3", "How many lesions are there?", True),
        ("This is a coronal CT slice.", "Coronal plane", "In which plane is this image?", True),
        ("The left lower lobe.", "Left lung", "Where is the nodule?", True),
        ("The heart is enlarged.", "Cardiomegaly", "What is the main finding?", True),
        ("This is an MR image.", "MRI", "What modality is this?", True),
        ("It is a transverse section.", "Axial", "Which plane?", True),
        ("The effusion is left-sided.", "Left", "Which side is the effusion on?", True),
        ("Both lungs are involved.", "Bilateral", "Which side?", True),
        ("There is a large right pleural effusion, but no pneumothorax.", "Yes",
         "Is there a pneumothorax?", False),
        ("It is unclear whether there is an effusion.", "Yes", "Is there an effusion?", False),
        ("It is either the left or the right kidney.", "Left", "Which kidney?", False),
        ("The heart is normal in size. There is a moderate right pleural effusion.",
         "The heart is normal in size. There is a small right pleural effusion.", "", False),
        ("The lungs are hyperinflated, consistent with pulmonary fibrosis. IMPRESSION: Pulmonary "
         "fibrosis. No acute disease.", "The lungs are hyperinflated, consistent with emphysema. "
         "IMPRESSION: Emphysema. No acute disease.", "", False),  # the lungs were described
        ("Calcified granuloma in the left upper lobe. No acute disease.",
         "No acute cardiopulmonary disease.", "", True),  # old standing, the lungs undescribed
        ("The heart is enlarged. There is mild engorgement of the pulmonary vessels.",
         "The cardiac silhouette is enlarged. There is mild pulmonary vascular congestion.", "",
         True),
    ],
)  # fmt: skip
def test_the_judge_reads_synonyms_parts_scope_and_hedges(answer, reference, question, right):
    assert is_right(answer, reference, question) is right


@pytest.mark.parametrize(
    "answer,reference,question,right,fixed",
    [
        (
            "The mass does not cross the midline.",
            "yes",
            "Does the mass cross the midline?",
            False,
            "The mass crosses the midline.",
        ),
        ("The mass crosses the midline.", "yes", "Does the mass cross the midline?", True, None),
        (
            "No, the lesion does not enhance after contrast.",
            "no",
            "Does the lesion enhance?",
            True,
            None,
        ),
        (
            "The tumor involves the submucosa but does not invade the muscularis propria.",
            "yes",
            "Does the tumor invade the muscularis propria?",
            False,
            "The tumor involves the submucosa and invades the muscularis propria.",
        ),
    ],
)
def test_a_do_question_asks_its_verb(answer, reference, question, right, fixed):
    assert is_right(answer, reference, question) is right
    assert clinical_edit(answer, reference, question) == (answer if right else fixed)


@pytest.mark.parametrize(
    "answer,reference,question,right",
    [
        (
            "There is a solid nodule in the left upper lobe, with no evidence of cavitation.",
            "yes",
            "Is there a cavitary lesion?",
            False,
        ),
        (
            "There is a solid nodule in the left upper lobe, with no evidence of cavitation.",
            "no",
            "Is there a cavitary lesion?",
            True,
        ),
        (
            "There is a fracture of the tibia without displacement.",
            "yes",
            "Is there a displaced fracture?",
            False,
        ),
        (
            "There is a displaced fracture of the tibia.",
            "yes",
            "Is there a displaced fracture?",
            True,
        ),
        ("There is a nodule without calcification.", "no", "Is there a calcified nodule?", True),
        ("There is a nodule without calcification.", "yes", "Is there a calcified nodule?", False),
    ],
)
def test_a_kind_the_question_asks_and_the_answer_denies_says_no(answer, reference, question, right):
    assert is_right(answer, reference, question) is right


def test_a_negation_is_scoped_to_its_clause():
    answer = "There is a large right pleural effusion, but no pneumothorax."
    assert is_right(answer, "Yes", "Is there a pleural effusion?")
    assert is_right(answer, "No", "Is there a pneumothorax?")
    fixed = "There is a large right pleural effusion and a pneumothorax."  # a bare phrase: no comma
    assert clinical_edit(answer, "Yes", "Is there a pneumothorax?") == fixed
    assert is_right("It does not appear to be malignant.", "No", "Is this lesion malignant?")
    assert not is_right("It does not appear to be benign.", "Yes", "Is this lesion benign?")
    clause = "There is a right effusion, but there is no pneumothorax."
    assert clinical_edit(clause, "Yes", "Is there a pneumothorax?") == (
        "There is a right effusion, and there is a pneumothorax."
    )
    # 'absent' before a noun denies that noun: the pneumothorax before it stays asserted.
    markings = "Yes, there is a pneumothorax on the right, with absent lung markings."
    assert is_right(markings, "Yes", "Is there a pneumothorax?")
    assert judge(markings, "No", "Is there a pneumothorax?").why == "polarity"
    assert not is_right(
        "The pneumothorax is absent on this film.", "Yes", "Is there a pneumothorax?"
    )


def test_a_pleural_claim_is_turned_with_what_the_answer_says_of_the_lung():
    """'The lungs are well expanded' says there is no pneumothorax in other words: it turns over
    with the pneumothorax ('are not'), or, where its verb cannot take a 'not' or 'both' would
    leave the 'not' unclear (both angles are not sharp: neither, or one?), nothing does."""
    answer = "There is no pneumothorax. Both lungs remain well expanded."
    assert clinical_edit(answer, "Yes", "Is there a pneumothorax?") is None
    assert plants(answer, "Is there a pneumothorax?", "No") == {None}
    said = "There is no pneumothorax. The lungs are well expanded."
    assert clinical_edit(said, "Yes", "Is there a pneumothorax?") == (
        "There is a pneumothorax. The lungs are not well expanded."
    )
    both = "There is no pneumothorax. Both lungs are well expanded."  # both ... not: which one?
    assert clinical_edit(both, "Yes", "Is there a pneumothorax?") is None
    angles = "No, there is no pleural effusion; both costophrenic angles are sharp."
    assert plants(angles, "Is there a pleural effusion?", "No") == {None}
    other = "There is no pneumothorax; the trachea is midline."
    assert clinical_edit(other, "Yes", "Is there a pneumothorax?") is None  # another organ
    assert clinical_edit("There is no pneumothorax.", "Yes", "Is there a pneumothorax?") == (
        "There is a pneumothorax."
    )


def test_asked_x_or_y_a_plant_asserts_one_of_them():
    answer = "There is no pleural effusion, and no pneumothorax is identified."
    question = "Is there a pleural effusion or pneumothorax?"
    assert plants(answer, question, "No", seeds=20) == {
        "There is a pleural effusion, and no pneumothorax is identified.",
        "There is no pleural effusion, and a pneumothorax is identified.",
    }


def test_an_organ_state_of_another_finding_stays_when_one_finding_turns():
    """Sharp costophrenic angles rule out an effusion, not a pneumothorax; fully expanded lungs
    rule out a pneumothorax, not an effusion. Turning the one finding leaves the other's state."""
    answer = (
        "No, there is no pneumothorax or pleural effusion; the costophrenic angles are sharp and "
        "the lung markings reach the periphery."
    )
    planted = plants(answer, "Is there a pneumothorax or pleural effusion?", "No", seeds=20)
    assert not any("not sharp" in p for p in planted if p and "no pleural effusion" in p)
    assert any("a pneumothorax but no pleural effusion; the costophrenic angles are sharp" in p
               for p in planted if p)  # fmt: skip
    expanded = "No, there is no pleural effusion, and the lungs are fully expanded."
    assert clinical_edit(expanded, "Yes", "Is there a pleural effusion?") == (
        "Yes, there is a pleural effusion, and the lungs are fully expanded."
    )
    remain = "No pneumothorax is seen and the costophrenic angles remain sharp."
    assert clinical_edit(remain, "Yes", "Is there a pneumothorax?") in {
        None,
        "A pneumothorax is seen and the costophrenic angles remain sharp.",
    }


def test_a_markdown_impression_heading_keeps_its_bold_and_the_finding_its_capital():
    """Models write **Findings:** and **Impression:** in bold; the finding named in place of the
    impression's summary goes after the closing asterisks, with its capital."""
    report = (
        "**Findings:** Normal cardiac size. The lungs are clear. There is no pneumothorax or "
        "pleural effusion.\n**Impression:** No acute cardiopulmonary abnormality."
    )
    reference = "FINDINGS: Normal heart. No pneumothorax or effusion. IMPRESSION: Normal chest."
    planted = plants(report, "Describe the findings.", reference, seeds=12) - {None}
    assert planted
    for text in planted:
        impression = text.split("**Impression:**")[1]
        assert impression.startswith(" ") and impression[1].isupper(), text
        assert "No acute" not in impression or "There is no pneumothorax or pleural" not in text


def test_a_capital_after_yes_is_a_name_and_keeps_it_when_denied():
    """'Yes, Kerley B lines are present': the capital is the name's, not the sentence's; the
    denial keeps it."""
    kerley = plants("Yes, Kerley B lines are present at the lung bases.", "Are Kerley B lines "
                    "present?", "Yes") - {None}  # fmt: skip
    assert kerley and all("Kerley" in p and "kerley" not in p for p in kerley)


def test_a_region_changed_leaves_no_organ_only_the_old_region_holds():
    """An abdominal slice at the level of the liver is no chest slice at the level of the liver:
    neither a correction nor a plant changes the region while such an organ stays."""
    question = "Which part of the body does this image belong to?"
    liver = "This image belongs to the abdomen; it is an axial CT slice at the level of the liver."
    assert clinical_edit(liver, "Chest", question) is None
    assert clinical_edit("This image belongs to the abdomen.", "Chest", question) == (
        "This image belongs to the chest."
    )
    lungs = "This is an axial CT of the abdomen showing the lungs and the heart."
    assert clinical_edit(lungs, "Chest", question) == (
        "This is an axial CT of the chest showing the lungs and the heart."
    )
    kidneys = "This is a CT image of the abdomen at the level of the kidneys."
    assert plants(kidneys, "Which part of the body is shown?", "Abdomen") == {None}
    loops = ("This slice is through the abdomen; it shows small bowel loops, the urinary bladder "
             "and both iliac wings.")  # fmt: skip
    assert clinical_edit(loops, "Pelvic Cavity", "Which body region does this slice show?") == (
        loops.replace("the abdomen", "the pelvic cavity")
    )  # bowel lies in both; the bladder and the iliac wings are the pelvis's
    liver = "This is an axial CT of the abdomen at the level of the liver."
    assert clinical_edit(liver, "Pelvis", "Which region does this slice show?") is None


def test_a_vessel_word_stays_wrong_when_another_organ_takes_the_vessels_place():
    """A heart is not tortuous: with the aorta replaced, 'tortuous' would be said of the heart."""
    question = "Which organ is enlarged in this chest film?"
    tortuous = "The enlarged organ is the aorta, which appears dilated and tortuous."
    assert clinical_edit(tortuous, "Heart", question) is None
    dilated = "The enlarged organ is the aorta, which appears dilated."
    assert clinical_edit(dilated, "Heart", question) == (
        "The enlarged organ is the heart, which appears dilated."
    )


def test_a_spine_segment_changed_leaves_no_level_of_the_old_one():
    """The cervical spine 'from the craniocervical junction', made thoracic, would still start at
    the skull; a fracture of C6 in the thoracic spine is no fracture of the thoracic spine."""
    question = "Which part of the spine is shown in this MRI?"
    junction = ("This sagittal MRI shows the cervical spine, from the craniocervical junction "
                "down to about T2, including the cervical spinal cord.")  # fmt: skip
    assert plants(junction, question, "Cervical spine") == {None}
    level = "The thoracic spine is shown, with a fracture of the C6 vertebral body."
    assert clinical_edit(level, "Lumbar spine", question) is None
    lobe = ("Low-attenuation areas lacking perceptible walls are seen in the left lung, mostly in "
            "the upper lobe, consistent with pulmonary cysts.")  # fmt: skip
    assert clinical_edit(lobe, "Emphysema", "What disease is shown in the left lung?") == (
        lobe.replace("pulmonary cysts", "emphysema")
    )  # the lung's own lobe: no organ changed
    plain = "This sagittal MRI shows the cervical spine."
    assert plants(plain, question, "Cervical spine") == {
        "This sagittal MRI shows the thoracic spine."
    }


def test_a_view_corrected_does_not_keep_the_reason_given_for_the_old_one():
    """'AP, as suggested by the magnified heart' made PA would give an AP sign as a PA reason; a
    sequence's reason turned with it (dark -> bright fluid) is no such leftover."""
    question = "Is this an AP or PA view?"
    reason = "This is an AP view, as suggested by the magnified cardiac silhouette."
    assert clinical_edit(reason, "PA", question) is None
    assert clinical_edit("This is an AP view.", "PA", question) == "This is a PA view."
    assert clinical_edit("This is a T1-weighted image, as the CSF appears dark.", "T2",
                         "Is this a T1 or T2 weighted image?") == (
        "This is a T2-weighted image, as the CSF appears bright.")  # fmt: skip
    such = "This is an AP view of the chest showing lines such as a central venous catheter."
    made = such.replace("an AP", "a PA")
    assert clinical.guard(such, made, "PA", question) != "modality_words"  # no reason given


def test_a_benign_tumour_named_is_not_left_called_malignant():
    """An angiomyolipoma is no 'malignant fatty tumor': the apposition said of the liposarcoma
    would stay."""
    question = "What is this renal tumor composed of mature fat, smooth muscle and vessels?"
    wrong = "This is a renal liposarcoma, a malignant fatty tumor containing scattered lipoblasts."
    assert clinical_edit(wrong, "angiomyolipoma", question) is None
    assert "benign_malignant" in conflicts.contradictions("An adenoma, a malignant tumor.", 0, 29)
    assert not conflicts.contradictions("An adenoma without malignant features.", 0, 38)


def test_a_denial_answers_no_question_that_asks_which_cells_or_stain():
    """'What are the giant cells ...?' 'No megakaryocytes.' names no cell; 'which immunostain
    ...?' 'No chromogranin' names no stain. Neither is planted; a yes/no question may be."""
    cells = "what are the giant cells with single large multilobated nuclei in this marrow?"
    assert None in plants("Megakaryocytes.", cells, "megakaryocytes")
    assert not any(
        p and p.startswith("No") for p in plants("Megakaryocytes.", cells, "megakaryocytes")
    )
    stain = "which immunostain confirms neuroendocrine differentiation in this tumor?"
    answer = "Chromogranin; the tumor cells show granular cytoplasmic staining."
    assert not any(p and p.startswith("No") for p in plants(answer, stain, "chromogranin"))
    closed = plants("Yes, megakaryocytes are present.", "are megakaryocytes present?", "Yes")
    assert "No, megakaryocytes are not present." in closed or any(
        p and p.startswith("No") for p in closed
    )


def test_a_finding_with_its_own_verb_is_not_denied_as_a_bare_phrase():
    """'Tumour thrombus fills the renal vein' has a verb: 'No, no tumour thrombus fills the renal
    vein' is no sentence; a bare phrase may take 'No' (Small right effusion -> No effusion)."""
    fills = "Yes, tumour thrombus fills the renal vein, but the perinephric fat is free of tumour."
    planted = plants(fills, "is there tumour in the renal vein?", "Yes")
    assert not any(p and re.search(r"\bno tumour thrombus fills", p, re.I) for p in planted)
    bare = "Tumour thrombus in the renal vein."
    assert clinical_edit(bare, "No", "Is there tumour thrombus in the renal vein?") == (
        "No tumour thrombus in the renal vein."
    )


def test_no_a_and_no_b_planted_keeps_one_no():
    """'There is no pleural fluid and no pneumothorax.' -> 'There is pleural fluid but no
    pneumothorax.', never 'but no no pneumothorax'."""
    report = "FINDINGS: The lungs are clear. There is no pleural fluid and no pneumothorax."
    reference = "FINDINGS: Normal heart. No effusion or pneumothorax."
    planted = plants(report, "Describe the findings.", reference, seeds=16) - {None}
    assert planted and not any(re.search(r"\bno\s+no\b", p, re.I) for p in planted)
    assert any("There is pleural fluid but no pneumothorax." in p for p in planted)


def test_a_course_said_with_has_is_not_denied_with_has_no():
    """'The atelectasis has resolved' is no 'has no resolved'; 'the lesion has calcification'
    may still be denied 'has no calcification'."""
    question = "What has happened to the left lower lobe atelectasis since the prior film?"
    resolved = "The left lower lobe atelectasis has resolved."
    assert not any(p and "has no resolved" in p for p in plants(resolved, question, "Resolved"))
    improved = "Yes, the right pleural effusion has improved since the prior study."
    assert not any(p and "has no improved" in p for p in plants(improved, "Has the effusion "
                                                               "improved?", "Yes"))  # fmt: skip
    calcified = "Yes, the nodule has calcification."
    assert clinical_edit(calcified, "No", "Is the nodule calcified?") in {
        "No, the nodule has no calcification.",
        None,
    }


def test_a_denial_answers_no_question_about_a_characteristic_feature():
    question = "what is the characteristic histologic feature of this schwannoma?"
    answer = "Verocay bodies: palisading rows of nuclei separated by pink fibrillary zones."
    assert not any(p and p.startswith("No") for p in plants(answer, question, "Verocay bodies"))


def test_an_organ_moved_leaves_no_syndrome_of_the_old_one():
    """Bilateral adrenal hemorrhage 'as seen in Waterhouse-Friderichsen syndrome' made renal
    would keep a syndrome of the adrenals that the lexicon cannot place."""
    answer = ("Massive bilateral adrenal hemorrhage, as seen in Waterhouse-Friderichsen syndrome "
              "from meningococcal sepsis.")  # fmt: skip
    planted = plants(answer, "what does this image show?", "adrenal hemorrhage")
    assert not any(p and "Waterhouse" in p and "adrenal" not in p for p in planted)


def test_intact_cortices_rule_out_a_fracture_made_present():
    answer = ("No fracture is visible. The cortices of the metatarsals are smooth and continuous, "
              "and the alignment is normal.")  # fmt: skip
    planted = plants(answer, "Does this foot X-ray show a fracture?", "No")
    assert not any(p and "fracture is visible" in p and "continuous" in p for p in planted)
    short = "No fracture is visible."
    assert plants(short, "Does this foot X-ray show a fracture?", "No") - {None}


@pytest.mark.parametrize(
    "answer, reference, question, right",
    [
        ("The orbital walls appear intact.", "No", "Is there a fracture of the orbit?", True),
        ("The orbital walls appear intact.", "Yes", "Is there a fracture of the orbit?", False),
        ("The costophrenic angles are sharp.", "No", "Is there a pleural effusion?", True),
        ("The lungs are fully expanded.", "Yes", "Is there a pneumothorax?", False),
        ("The cortex is intact.", "Yes", "Is the cortex intact?", True),  # the state is asked
        ("The costophrenic angles are sharp.", "No", "Is the heart enlarged?", None),
    ],
)  # fmt: skip
def test_a_state_that_rules_the_asked_finding_out_answers_no(answer, reference, question, right):
    """Intact orbital walls say no orbital fracture; sharp costophrenic angles, no effusion;
    expanded lungs, no pneumothorax. A state says nothing of another finding."""
    assert judge(answer, reference, question).right is right


@pytest.mark.parametrize(
    "answer, reference, question",
    [
        ("This is a benign intramedullary chondroma of the phalanx, composed of mature hyaline "
         "cartilage.", "enchondroma", "what is this tumour of mature cartilage in a phalanx?"),
        ("The ethmoid air cells.", "Ethmoid Sinus", "Which paranasal sinuses are opacified?"),
        ("FINDINGS: Normal heart size. Clear lungs. No pleural effusion or pneumothorax. Flowing "
         "anterior osteophytes bridge several levels of the thoracic spine, consistent with DISH. "
         "IMPRESSION: No acute abnormality.",
         "Heart size normal. Lungs are clear. No pleural effusion or pneumothorax. Diffuse "
         "idiopathic skeletal hyperostosis of the thoracic spine. IMPRESSION: No acute disease.",
         "Describe the findings of this chest radiograph."),
        ("FINDINGS: Postsurgical changes of anterior cervical fusion are partially visualized. The "
         "lungs are clear. No pleural effusion or pneumothorax. IMPRESSION: No acute process.",
         "FINDINGS: Anterior cervical fusion hardware is partially imaged. Lungs are clear. No "
         "effusion or pneumothorax. IMPRESSION: No acute cardiopulmonary process.",
         "Provide the findings and impression."),
    ],
)  # fmt: skip
def test_the_same_thing_in_other_words_is_judged_right(answer, reference, question):
    """An intramedullary chondroma is an enchondroma; the ethmoid air cells are the ethmoid sinus;
    DISH spells out diffuse idiopathic skeletal hyperostosis; 'fusion hardware' and 'changes of
    fusion' name the same fusion."""
    assert judge(answer, reference, question).right is True


def test_an_acronym_that_spells_other_words_does_not_stand_for_them():
    answer = ("FINDINGS: Clear lungs. No effusion. Postsurgical changes, consistent with CABG. "
              "IMPRESSION: No acute abnormality.")  # fmt: skip
    reference = ("FINDINGS: Lungs are clear. No effusion. Diffuse idiopathic skeletal hyperostosis "
                 "of the thoracic spine. IMPRESSION: No acute disease.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right is not True


@pytest.mark.parametrize(
    "text, concept, denied",
    [
        ("No, I do not see a pneumothorax or pleural effusion.", "pleural effusion", True),
        ("I don't see any pleural effusion.", "pleural effusion", True),
        ("The radiologist doesn't see a pneumothorax.", "pneumothorax", True),
        ("The heart is not enlarged, and there is a large pleural effusion.", "pleural effusion",
         False),
        ("This is not a typical pattern of edema but a mass.", "mass", False),
    ],
)  # fmt: skip
def test_not_reaches_across_a_list_and_contracted_forms_deny(text, concept, denied):
    """'do not see a pneumothorax or pleural effusion' denies both; 'don't see any' denies; a
    'not' in another clause, or before a contrast, denies nothing further on."""
    m = next(x for x in claims.mentions(text) if x.concept == concept)
    assert (claims.polarity(text, m) < 0) is denied


def test_a_correction_leaves_no_feature_of_the_old_arthritis_after_a_semicolon():
    """Periarticular osteopenia and symmetric narrowing tell rheumatoid arthritis: 'Osteoarthritis;
    there is ... periarticular osteopenia' keeps the old evidence. Osteophytes tell the new one."""
    question = "Does this knee show osteoarthritis or rheumatoid arthritis?"
    ra = ("Rheumatoid arthritis; there is symmetric narrowing of all three compartments with "
          "periarticular osteopenia and no osteophytes.")  # fmt: skip
    assert clinical_edit(ra, "Osteoarthritis", question) is None
    oa = "Osteoarthritis; there are marginal osteophytes and subchondral sclerosis."
    assert clinical_edit(oa, "Rheumatoid arthritis", question) is None
    bare = "Rheumatoid arthritis."
    assert clinical_edit(bare, "Osteoarthritis", question) == "Osteoarthritis."


def test_where_advice_would_put_a_tip_is_not_where_it_lies():
    """'Withdrawal by 3 cm would place it at the cavoatrial junction' says where the tip is not:
    an answer putting the tip in the lower SVC still disagrees with a tip in the right atrium."""
    reference = (
        "FINDINGS: A right PICC has its tip in the right atrium about 3 cm beyond the cavoatrial "
        "junction. No pneumothorax. IMPRESSION: New right PICC terminating in the right atrium; "
        "withdrawal by approximately 3 cm would place it at the cavoatrial junction."
    )
    answer = (
        "FINDINGS: A right-sided PICC has been inserted, and its tip projects over the lower "
        "superior vena cava. No pneumothorax is seen. IMPRESSION: Right PICC tip in the lower "
        "superior vena cava."
    )
    assert judge(answer, reference, "Write the findings and impression.").right is False
    atrium = answer.replace("lower superior vena cava", "right atrium")
    assert judge(atrium, reference, "Write the findings and impression.").right is True


def test_the_direction_of_a_dislocation_is_its_kind():
    """An anterior dislocation is not a posterior one: the judge tells them apart, a correction
    writes the reference's direction in the answer's form, and never one of two places that say
    the old direction."""
    question = "What abnormality is shown?"
    assert judge("Posterior dislocation of the left shoulder.", "Anterior dislocation",
                 question).right is False  # fmt: skip
    assert judge("The humeral head is dislocated anteriorly.", "anterior dislocation",
                 question).right is True  # fmt: skip
    assert clinical_edit("Posterior dislocation of the left shoulder.", "Anterior dislocation",
                         question) == "Anterior dislocation of the left shoulder."  # fmt: skip
    both = ("FINDINGS: The left humeral head is dislocated posteriorly relative to the glenoid. "
            "IMPRESSION: Posterior dislocation of the left shoulder.")  # fmt: skip
    reference = "FINDINGS: The left humeral head is anteriorly dislocated. IMPRESSION: Anterior "
    assert clinical_edit(both, reference + "dislocation of the left shoulder.", question) is None
    planted = plants("Anterior dislocation of the left shoulder.", question, "Anterior dislocation")
    assert "Posterior dislocation of the left shoulder." in planted


def test_dystrophic_and_metastatic_calcification_are_told_apart():
    """Calcium in dead tissue (dystrophic) is not calcium in normal tissue from hypercalcaemia
    (metastatic); 'metastatic' here is no metastasis."""
    question = "what type of calcification is present in this old granuloma?"
    wrong = "This is metastatic calcification, caused by hypercalcemia."
    assert judge(wrong, "Dystrophic calcification", question).right is False
    assert clinical_edit("This is metastatic calcification.", "Dystrophic calcification",
                         question) == "This is dystrophic calcification."  # fmt: skip
    right = "Dystrophic calcification in the necrotic centre."
    assert plants(right, question, "Dystrophic calcification") == {
        "Metastatic calcification in the necrotic centre."
    }


def test_three_structures_called_normal_are_not_all_planted_abnormal():
    """'The globes, optic nerves and extraocular muscles appear normal' made abnormal changes
    three claims at once, none of them placed; one structure called normal may be turned."""
    orbits = ("No, both globes, optic nerves and extraocular muscles appear normal, with no "
              "retrobulbar mass.")  # fmt: skip
    assert plants(orbits, "Does this image show any abnormality of the orbits?", "No") == {None}
    chest = "No, the heart, mediastinum and lungs are normal."
    assert plants(chest, "Is the chest X-ray abnormal?", "No") == {None}
    lungs = "No, the lungs appear normal."
    assert plants(lungs, "Is the chest X-ray abnormal?", "No") == {
        "Yes, the lungs appear abnormal."
    }


def test_a_denied_list_after_a_heading_or_in_the_plural_is_planted():
    """'FINDINGS: No pleural effusion is present.' opens with its heading, not 'No'; a plural
    denial asserted is bilateral (small bilateral pleural effusions are present)."""
    reference = "FINDINGS: The lungs are clear. No effusion or pneumothorax. IMPRESSION: Normal."
    question = "Write the findings and impression."
    single = "FINDINGS: No pleural effusion is present. The lungs are clear."
    assert plants(single, question, reference) == {
        "FINDINGS: A small right pleural effusion is present. The lungs are clear.",
        "FINDINGS: A small left pleural effusion is present. The lungs are clear.",
    }
    plural = ("FINDINGS: The lungs are clear. No pleural effusions or pneumothorax are present. "
              "IMPRESSION: Normal chest radiograph.")  # fmt: skip
    assert plants(plural, question, reference) == {
        "FINDINGS: The lungs are clear. Small bilateral pleural effusions are present, without "
        "pneumothorax. IMPRESSION: Small bilateral pleural effusions."
    }


def test_a_line_that_crosses_the_midline_is_not_planted_short_of_it():
    """A left-sided line that crosses the mediastinum cannot end in a left subclavian or
    brachiocephalic vein; planted there, 'crosses the mediastinum' would stay."""
    answer = "The left-sided PICC crosses the mediastinum, with its tip at the cavoatrial junction."
    planted = plants(answer, "Where does the left PICC terminate?", "Cavoatrial junction")
    assert not any(p and re.search(r"subclavian|brachiocephalic|jugular", p) for p in planted)
    plain = "The left-sided PICC has its tip at the cavoatrial junction."
    assert plants(plain, "Where does the left PICC terminate?", "Cavoatrial junction") - {None}


@pytest.mark.parametrize(
    "answer, question, reference, never",
    [
        ("The left internal mammary artery was used; it runs from the left subclavian artery to "
         "the left anterior descending artery.", "Which artery was used as the graft?",
         "Left internal mammary artery", "right anterior descending"),  # a name, not a side
        ("This is the cervix sign: the thickened pyloric muscle indents the gastric antrum.",
         "What sign is shown on this sonogram of the pylorus?", "Cervix sign", " sign:"),
        ("The cardiac silhouette remains moderately to severely enlarged.", "Describe the heart.",
         "Moderate to severe cardiomegaly", "to severely"),  # a range is no one degree
        ("The fetal lie is transverse, with the fetal spine lying across the maternal abdomen.",
         "What is the fetal lie?", "Transverse", "lie is"),  # a lie, not a plane
        ("The gallbladder is the brightest structure, because it is filled with fluid (bile).",
         "Which organ is the brightest?", "Gallbladder", "(bile)"),  # bile is the gallbladder's
        ("Splenomegaly is present \u2014 the spleen extends below the lower pole of the left "
         "kidney.", "Is there splenomegaly?", "Yes", "No splenomegaly"),
        ("The aortic root aneurysm measures about 5.2 cm, which approaches the usual threshold for "
         "surgical repair.", "How large is the aneurysm?", "5.2 cm", "threshold"),
    ],
)  # fmt: skip
def test_a_plant_leaves_nothing_that_still_tells_the_old_claim(answer, question, reference, never):
    """Words that belong to the old claim (a coronary artery's own side, a sign's name, the other
    end of a range, a fetal lie, bile, the spleen's reach, a size's threshold) are never left
    beside a planted error, nor changed as if they were free."""
    assert not any(p and never in p for p in plants(answer, question, reference, seeds=10))


def test_a_site_a_tube_does_not_reach_is_not_where_it_lies():
    """'Coiled in the distal esophagus and does not reach the stomach' puts the tube in the
    esophagus: against a reference tip in the stomach it is wrong."""
    reference = (
        "FINDINGS: Endotracheal tube terminates 5 cm above the carina. Enteric tube tip is in the "
        "stomach. No pneumothorax. IMPRESSION: Tubes in appropriate position."
    )
    answer = (
        "FINDINGS: An endotracheal tube terminates 5 cm above the carina. The enteric tube is "
        "coiled in the distal esophagus and does not reach the stomach. No pneumothorax."
    )
    assert judge(answer, reference, "Report the findings.").right is False
    reaches = answer.replace("coiled in the distal esophagus and does not reach", "reaches")
    assert judge(reaches, reference, "Report the findings.").right is not False


def test_clear_capsules_are_no_normal_finding_and_organisms_read_in_their_plural():
    """'Round yeasts with wide clear capsules, typical of Cryptococcus neoformans' says yes to
    cryptococci: 'clear' describes the capsules and calls nothing normal."""
    answer = ("The India ink preparation shows round budding yeasts surrounded by wide clear "
              "capsules, typical of Cryptococcus neoformans.")  # fmt: skip
    question = "are the organisms in this cerebrospinal fluid preparation cryptococci?"
    assert judge(answer, "yes", question).right is True
    assert judge(answer, "no", question).right is False
    assert judge("The lungs are clear.", "yes", "Are the lungs clear?").right is True


def test_thromboemboli_are_pulmonary_emboli_and_valvulae_tell_the_small_bowel():
    """Thromboemboli in the pulmonary arteries answer 'pulmonary emboli'; a small bowel
    obstruction 'with valvulae conniventes' is not made a large bowel one beside them."""
    emboli = ("Several thromboemboli are lodged in the segmental branches of the right upper lobe "
              "arteries, appearing as low-density filling defects.")  # fmt: skip
    assert judge(emboli, "Pulmonary emboli", "What is the abnormality in the pulmonary arteries?"
                 ).right is True  # fmt: skip
    small = "Small bowel obstruction, with dilated central loops showing valvulae conniventes."
    question = "What type of bowel obstruction is shown?"
    assert clinical_edit(small, "large bowel obstruction", question) is None
    assert clinical_edit("Small bowel obstruction.", "large bowel obstruction", question) == (
        "Large bowel obstruction."
    )


def test_a_look_likened_to_a_tissue_is_not_turned_alone():
    """'Hypointense on FLAIR, similar to cerebrospinal fluid' made hyperintense would keep the
    likeness of the old look; without it the look turns."""
    question = "Is the lesion hyperintense on this FLAIR image?"
    like = "No, the lesion is hypointense on FLAIR, similar to cerebrospinal fluid."
    assert clinical_edit(like, "Yes", question) is None
    assert clinical_edit("No, the lesion is hypointense on FLAIR.", "Yes", question) == (
        "Yes, the lesion is hyperintense on FLAIR."
    )


def test_edema_asked_of_a_flair_image_is_cerebral_edema():
    """'Is edema present in this FLAIR image?' asks of the brain: a FLAIR hyperintensity in the
    frontal white matter, consistent with edema, answers it."""
    question = "Is edema present in this FLAIR image?"
    answer = ("There is an area of FLAIR hyperintensity in the right frontal white matter, "
              "consistent with edema.")  # fmt: skip
    assert judge(answer, "Yes", question).right is True
    assert judge(answer, "No", question).right is False
    assert judge("Yes, there is edema in both lungs.", "Yes", "Is there edema?").right is True


def test_free_air_in_the_pleural_space_is_a_pneumothorax():
    """'Free air in the right pleural space' is a pneumothorax, not free (peritoneal) air; no
    correction writes 'a collection of a pneumothorax'."""
    answer = ("There is a collection of free air in the right pleural space at the apex, with a "
              "thin visceral pleural line.")  # fmt: skip
    question = "What is seen at the right lung apex?"
    assert judge(answer, "Pneumothorax", question).right is True
    assert judge("There is air in the left pleural space.", "Right pneumothorax",
                 "What is seen?").right is False  # fmt: skip
    assert judge("There is free air under the diaphragm.", "Pneumoperitoneum",
                 "What is seen?").right is True  # fmt: skip


def test_a_finding_resolved_in_both_is_no_contradiction():
    """'Resolution of the right pneumothorax' and 'the right pneumothorax is no longer visible'
    deny the same thing: never wrong; 'has enlarged' still is."""
    question = "What is the main change compared with the prior film?"
    reference = "Resolution of the right pneumothorax"
    gone = "The right pneumothorax seen previously is no longer visible."
    assert judge(gone, reference, question).right is not False
    assert judge("The right pneumothorax has enlarged.", reference, question).right is False


def test_a_side_compared_with_the_other_is_the_side_said():
    """'The left kidney is larger than the right' names the left; the right is only what it is
    compared with. A correction or a plant turns both sides together."""
    question = "Which kidney is larger?"
    assert is_right("The right kidney is larger than the left.", "Right", question)
    assert not is_right("The left kidney is larger than the right.", "Right", question)
    elevated = "The left hemidiaphragm is higher than the right."
    assert clinical_edit(elevated, "Right", "Which hemidiaphragm is elevated?") == (
        "The right hemidiaphragm is higher than the left."
    )
    assert plants("The right kidney is larger than the left.", question, "Right") == {
        "The left kidney is larger than the right."
    }


def test_contrast_given_or_not_is_turned_with_its_verb():
    question = "Was IV contrast given?"
    assert clinical_edit("Yes, IV contrast was administered.", "No", question) == (
        "No, no IV contrast was administered."
    )
    assert plants("No, no oral contrast was given.", "Was oral contrast given?", "No") == {
        "Yes, oral contrast was given."
    }


def test_a_report_is_judged_by_findings():
    reference = (
        "The heart is normal in size. The lungs are clear. No pleural effusion or pneumothorax."
    )
    hallucinated = "The heart is normal in size. There is a small left pleural effusion."
    assert judge(hallucinated, reference) == clinical.Verdict(False, "contradicts:pleural effusion")
    assert clinical_edit(hallucinated, reference) == (
        "The heart is normal in size. There is no pleural effusion."  # no side left open
    )
    reference = "Mild cardiomegaly. There is a small right pleural effusion. No pneumothorax."
    assert judge("Mild cardiomegaly. No pneumothorax.", reference).why == "omission"
    assert explain_edit("Mild cardiomegaly. No pneumothorax.", reference) == (None, "omission")
    severity = "Mild cardiomegaly. There is a moderate right pleural effusion. No pneumothorax."
    assert clinical_edit(severity, reference) == reference
    two = "Severe cardiomegaly. There is a small left pleural effusion. No pneumothorax."
    assert clinical_edit(two, reference) == reference
    assert is_right(reference, reference)
    tension = (
        "Large left pneumothorax with mediastinal shift to the right. The right lung is clear."
    )
    small = (
        "There is a small left pneumothorax. The mediastinum is midline. The right lung is clear."
    )
    assert judge(small, tension) == clinical.Verdict(False, "contradicts:mediastinal shift")
    assert explain_edit(small, tension) == (
        None,
        "unread_contradiction",
    )  # never 'large ... midline'
    unsaid = small.replace(" The mediastinum is midline.", "")
    assert clinical_edit(unsaid, tension) == unsaid.replace("small", "large")  # a shift unsaid
    assert is_right("There is a large left pneumothorax with rightward mediastinal shift.", tension)


# --------------------------------------------------------------------------- planted errors


@pytest.mark.parametrize(
    "response,question,planted",
    [
        ("Yes, the liver is enlarged.", "Is the liver enlarged?",
         {"No, the liver is not enlarged."}),
        ("No, there is no pleural effusion.", "Is there a pleural effusion?",
         {"Yes, there is a pleural effusion."}),
        ("There are three lesions.", "How many lesions are there?",
         {"There are two lesions.", "There are four lesions."}),
        ("The mass is in the right kidney.", "Where is the mass?",
         {"The mass is in the left kidney.", "The mass is in the right adrenal gland."}),
        ("This is a CT scan.", "What modality is this?", {"This is an MRI scan."}),
    ],
)  # fmt: skip
def test_planted_errors_are_real_errors(response, question, planted):
    assert plants(response, question) == planted


@pytest.mark.parametrize(
    "response,question,reference,planted",
    [
        ("The abnormality is in the left hemithorax, within the left lung.",
         "Where is the abnormality located?", "Left Lung",
         {"The abnormality is in the right hemithorax, within the right lung."}),
        ("This image was obtained with computed tomography (CT).",
         "What modality is used to take this image?", "CT",
         {"This image was obtained with magnetic resonance imaging (MRI)."}),
        ("This is an axial (transverse) image.", "What is the scanning plane of this image?",
         "Transverse Plane", {"This is a coronal image.", "This is a sagittal image."}),
        ("Yes, the mucosa is ulcerated.", "is the mucosa ulcerated?", "yes",
         {"No, the mucosa is not ulcerated."}),
        ("No, the glands are not crowded.", "Are the glands crowded?", "no",
         {"Yes, the glands are crowded."}),
    ],
)  # fmt: skip
def test_a_claim_said_twice_or_of_an_unread_subject_is_planted_whole(
    response, question, reference, planted
):
    """One claim said twice (a side, an abbreviation, a bracketed synonym) changes as one; the
    predicate of 'Is the <subject> <predicate>?' is turned over with its yes/no."""
    assert plants(response, question, reference) == planted


def test_asked_which_organ_a_plant_names_another_organ_not_a_part():
    brain = plants("The main organ in the image is the brain.",
                   "What is the main organ in the image?", "Brain")  # fmt: skip
    assert None not in brain and len(brain) > 2
    assert not any(w in p for p in brain for w in ("brain", "cerebell", "lobe", "brainstem"))
    kidney = plants(
        "This section is from the kidney.", "what organ is this section from?", "kidney"
    )
    assert kidney <= {"This section is from the adrenal gland.", "This section is from the liver.",
                      "This section is from the spleen."}  # fmt: skip
    pelvis = plants(
        "The organ located posterior to the bladder is the rectum.",
        "Which organ is located posterior to the bladder in this image?",
        "Rectum",
    )
    assert not pelvis & {
        f"The organ located posterior to the bladder is the {o}."
        for o in ("brain", "heart", "lung", "liver", "stomach", "spleen")
    }
    assert pelvis - {None} <= {"The organ located posterior to the bladder is the sigmoid colon."}
    gas = "It is the rectum, containing a small amount of gas, lying just anterior to the sacrum."
    gases = plants(
        gas, "What organ is the gas-containing structure in front of the sacrum?", "Rectum"
    )
    assert "It is the colon." not in gases  # the colon holds the rectum: a second expert refused


@pytest.mark.parametrize(
    "response,reference,question",
    [
        (
            "No, granulomas are not present; the tissue shows a diffuse lymphocytic infiltrate "
            "without epithelioid histiocytes or multinucleated giant cells.",
            "yes",
            "Are granulomas present?",
        ),  # made present, its features still denied
        (
            "No granulomas are seen; the node shows reactive follicles without epithelioid "
            "histiocytes.",
            "yes",
            "Are there granulomas?",
        ),
        (
            "This is the left adrenal gland, which appears as a thin inverted Y-shaped structure.",
            "Pancreas",
            "Which organ is shown anterior to the splenic vein?",
        ),  # the adrenal's shape
        (
            "No, the tumor is not encapsulated and shows infiltrative borders.",
            "yes",
            "Is the tumor encapsulated?",
        ),  # an unread predicate telling the old claim
    ],
)
def test_a_correction_never_keeps_the_old_claims_description(response, reference, question):
    assert explain_edit(response, reference, question) == (None, "guard_stated_evidence")


def test_a_denied_list_turned_over_never_asserts_its_items_joined_by_or():
    spleen = plants("Yes, the spleen appears normal, with no infarcts, cysts, or masses.",
                    "Is the spleen normal?", "Yes")  # fmt: skip
    assert None not in spleen and not any(re.search(r"\bor\b", p) for p in spleen)
    both = plants("Yes, there is a rib fracture, and no pneumothorax or effusion is seen.",
                  "Is there a rib fracture?", "Yes")  # fmt: skip
    assert "No, there is no rib fracture, and no pneumothorax or effusion is seen." in both


def test_what_is_denied_keeps_no_place_and_normal_inflation_denies_emphysema():
    trachea = plants("Yes, the trachea is visible, located in the midline anterior to the "
                     "esophagus.", "Does the picture contain trachea?", "Yes")  # fmt: skip
    assert trachea == {"No, the trachea is not visible."}
    liver = plants("Yes, the liver is visible in the upper abdomen.",
                   "Does the picture contain liver?", "Yes")  # fmt: skip
    assert liver == {"No, the liver is not visible in the upper abdomen."}  # where the image is
    lungs = "The heart is normal. The lungs are normally inflated, without emphysema."
    report = "The heart is normal. The lungs are hyperinflated, consistent with emphysema."
    assert clinical_edit(lungs, report, "Describe the chest X-ray.") is None


def test_an_organ_named_only_to_place_another_is_no_second_option():
    question = "Which organ in this image belongs to the urinary system?"
    assert is_right("The kidneys, seen on both sides of the spine, belong to the urinary "
                    "system.", "Kidney", question)  # fmt: skip
    assert not is_right("The kidneys or the spine belong to the urinary system.", "Kidney",
                        question)  # fmt: skip
    asked = "Which organ lies in the left upper quadrant on this slice?"
    assert is_right("The spleen, sitting posterolateral to the stomach.", "Spleen", asked)
    assert is_right("The liver, lying anterolateral to the right kidney.", "Liver", asked)


def test_sides_compared_within_a_bilateral_finding_are_no_sides_of_their_own():
    reference = ("FINDINGS: Bibasilar atelectasis, right greater than left. No pleural effusion. "
                 "IMPRESSION: Bibasilar atelectasis.")  # fmt: skip
    question = "Describe the findings of this chest X-ray."
    answer = ("FINDINGS: There is bibasilar atelectasis, right more than left. No effusion. "
              "IMPRESSION: Bibasilar atelectasis.")  # fmt: skip
    assert is_right(answer, reference, question)
    assert not is_right("FINDINGS: There is right basilar atelectasis. No effusion. IMPRESSION: "
                        "Right basilar atelectasis.", reference, question)  # fmt: skip


def test_normally_inflated_lungs_are_planted_hyperinflated():
    report = ("FINDINGS: Heart size is normal. The lungs are normally inflated and clear. "
              "IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    assert (
        "FINDINGS: Heart size is normal. The lungs are hyperinflated and clear. IMPRESSION: No "
        "acute cardiopulmonary process." in plants(report, seeds=20)
    )
    copd = "FINDINGS: The lungs are well expanded. Emphysema. IMPRESSION: COPD."
    assert not any(p and "hyperinflated" in p for p in plants(copd, seeds=20))


def test_a_heart_normal_for_size_and_contour_is_planted_enlarged_and_a_spine_fracture_burst():
    report = (
        "FINDINGS: The cardiomediastinal silhouette is within normal limits for size and "
        "contour. No pleural effusion. IMPRESSION: No acute cardiopulmonary process."
    )
    assert (
        "FINDINGS: The cardiomediastinal silhouette is enlarged. No pleural effusion. IMPRESSION: "
        "No acute cardiopulmonary process." in plants(report, seeds=20)
    )
    telegraphic = ("FINDINGS: Heart size within normal limits. No pleural effusion or "
                   "pneumothorax. IMPRESSION: No acute cardiopulmonary disease.")  # fmt: skip
    found = plants(telegraphic, "Describe the findings of this chest X-ray.", telegraphic, seeds=12)
    assert "FINDINGS: Heart size enlarged. No pleural effusion or pneumothorax. IMPRESSION: No " \
        "acute cardiopulmonary disease." in found  # fmt: skip
    assert not any(p and "abnormal." in p for p in found)  # what is wrong with it: enlarged
    question = "What is the abnormality of the spine?"
    spine = plants("There is a compression fracture of the T12 vertebral body.", question,
                   "Compression fracture", seeds=20)  # fmt: skip
    assert "There is a burst fracture of the T12 vertebral body." in spine
    assert spine <= {"There is a burst fracture of the T12 vertebral body.",
                     "There is no compression fracture of the T12 vertebral body."}  # fmt: skip
    assert not is_right("There is a burst fracture of T12.", "Compression fracture", question)


def test_an_opacity_that_only_describes_another_finding_is_no_finding_of_its_own():
    reference = (
        "FINDINGS: Large left pleural effusion with opacification of the left lower "
        "hemithorax. The right lung is clear. IMPRESSION: Large left pleural effusion."
    )
    question = "Describe the findings of this chest X-ray."
    right = "FINDINGS: Large left pleural effusion. The right lung is clear. IMPRESSION: Same."
    assert is_right(right, reference, question)
    small = right.replace("Large", "Small")
    assert clinical_edit(small, reference, question) == right
    own = "FINDINGS: Left basilar opacity. The right lung is clear. IMPRESSION: Opacity."
    assert not is_right(right, own, question)  # an opacity said alone is a finding


def test_both_lungs_made_one_drops_the_restated_bilateral_adjective():
    question = "Where is the infiltration located?"
    found = plants("The infiltration involves both lungs, with bilateral patchy opacities.",
                   question, "Left Lung, Right Lung", seeds=20)  # fmt: skip
    assert found and not any(p and re.search(r"(?:left|right) patchy", p) for p in found)
    assert "The infiltration involves the left lung only, with patchy opacities." in found


def test_skin_lesions_are_one_family():
    question = "What is this skin lesion?"
    assert clinical_edit("This is a seborrheic keratosis.", "basal cell carcinoma", question) == (
        "This is a basal cell carcinoma."
    )
    skin = {"molluscum contagiosum", "verruca vulgaris", "seborrheic keratosis", "keratoacanthoma",
            "actinic keratosis", "melanocytic nevus", "dermatofibroma"}  # fmt: skip
    planted = plants("This is a basal cell carcinoma.", question, "basal cell carcinoma", seeds=12)
    named = {re.sub(r"^This is (?:an? )?", "", p).rstrip(".") for p in planted}
    assert named and named <= skin | {"no basal cell carcinoma"}
    crater = plants("This is a keratoacanthoma, a crateriform lesion with a central keratin plug.",
                    question, "keratoacanthoma", seeds=12)  # fmt: skip
    assert crater <= {None, "This is a molluscum contagiosum, a crateriform lesion."}  # umbilicated
    fibrous = "Benign fibrous histiocytoma, with a storiform proliferation of bland spindle cells."
    assert is_right(fibrous, "dermatofibroma", "what is the diagnosis?")
    assert not any("storiform" in p for p in plants(fibrous, "what is the diagnosis?",
                                                    "dermatofibroma") - {None})  # fmt: skip


def test_one_planted_finding_never_makes_both_organs_abnormal():
    kidneys = "No, there is no kidney cyst; both kidneys appear normal."
    assert plants(kidneys, "Is there a kidney cyst in this image?", "No") == {None}
    asked = plants(
        "Yes, both kidneys are normal in size.", "Are the kidneys normal in size?", "yes"
    )
    assert asked - {None}  # asked whether they are normal, the normality is the claim to plant


def test_not_included_denies_what_the_picture_contains():
    question = "Does the picture contain kidney?"
    assert clinical_edit("No, the kidneys are not included.", "Yes", question) == (
        "Yes, the kidneys are included."
    )
    assert is_right("No, the kidneys are not shown in this image.", "No", question)
    below = "No, the liver is not included; the slice is below the level of the liver."
    assert clinical_edit(below, "Yes", "Does the picture contain liver?") is None  # says where


def test_an_organ_adjective_is_replaced_by_the_new_organs_adjective():
    heart = ("The right ventricular wall is thickened, consistent with right ventricular "
             "hypertrophy.")  # fmt: skip
    assert clinical_edit(heart, "left ventricle", "Which ventricle is hypertrophied?") == (
        "The left ventricular wall is thickened, consistent with left ventricular hypertrophy."
    )
    assert clinical_edit("There is a hypodense hepatic lesion.", "Spleen", "Which organ?") in (
        "There is a hypodense splenic lesion.",
        "There is a splenic lesion.",
    )


def test_an_acute_finding_is_not_planted_where_the_impression_finds_nothing_acute():
    report = ("FINDINGS: Heart size is normal. The lungs are clear. No pneumothorax or pleural "
              "effusion. IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    planted = plants(report, "Describe the findings of this chest X-ray.", seeds=20)
    assert None not in planted
    acute = r"(?<!no )(?<!or )pneumothorax|consolidation"
    assert not any(re.search(acute, p, re.I) for p in planted)
    assert any(p.startswith("FINDINGS: Heart size is enlarged.") for p in planted)
    thorax = report.replace("cardiopulmonary", "intrathoracic")  # MIMIC-CXR's words for it
    assert not any(re.search(acute, p, re.I) for p in plants(thorax, seeds=20) - {None})
    copd = ("FINDINGS: Normal cardiac silhouette. The lungs are hyperinflated. No focal airspace "
            "opacity, pleural effusion, or pneumothorax. IMPRESSION: Hyperinflation consistent "
            "with COPD, without acute cardiopulmonary process.")  # fmt: skip
    opacity = r"(?<!no )focal airspace opacity|pneumothorax(?! but)(?!\.)"
    planted = plants(copd, "Describe the findings of this chest X-ray.", seeds=10)
    assert planted == {copd.replace("Normal cardiac", "Enlarged cardiac")}  # chronic, it may stay
    assert not any(re.search(opacity, p.split("IMPRESSION")[0], re.I) for p in planted)
    size = "FINDINGS: Normal heart size. Clear lungs. IMPRESSION: No acute disease."
    assert "Enlarged heart size" not in str(plants(size, seeds=10))  # no such phrase is written


def test_a_new_effusion_is_planted_under_a_no_acute_impression_only_as_a_last_resort():
    """Under 'no acute cardiopulmonary disease', many radiologists read a new effusion against
    the impression: a larger heart goes first; with nothing else to plant, the effusion stays."""
    effusion = r"(?<!no )pleural effusion(?! or)"
    normal = ("FINDINGS: Heart size is normal. The lungs are clear. No pleural effusion or "
              "pneumothorax is seen. IMPRESSION: No acute cardiopulmonary disease.")  # fmt: skip
    question = "Describe the findings of this chest X-ray."
    planted = plants(normal, question, seeds=10)
    assert None not in planted
    assert not any(re.search(effusion, p, re.I) for p in planted)
    assert any("Heart size is enlarged" in p for p in planted)
    only = normal.replace("Heart size is normal. ", "")  # nothing else to plant
    assert any(re.search(effusion, p, re.I) for p in plants(only, question, seeds=10) - {None})
    asked = normal.replace("No acute cardiopulmonary disease.", "Stable chest.")  # not 'no acute'
    assert any(re.search(effusion, p, re.I) for p in plants(asked, question, seeds=20) - {None})


def test_injuries_bowel_wall_gas_and_absent_markings_are_read_as_radiologists_write_them():
    """An organ called intact beside 'no laceration' answers no; intramural gas is pneumatosis,
    a mass noun; 'absent lung markings at the left apex' denies the markings, not the lung."""
    laceration = "Is there a splenic laceration?"
    intact = "No, the spleen is intact, and there is no laceration or perisplenic hematoma."
    assert is_right(intact, "No", laceration) and not is_right(intact, "Yes", laceration)
    gas = "Is there pneumatosis intestinalis?"
    denied = "No, there is no pneumatosis intestinalis. The bowel walls appear normal without "
    denied += "intramural gas."
    fixed = clinical_edit(denied, "Yes", gas)
    assert fixed is None or fixed.startswith("Yes, there is pneumatosis intestinalis.")
    assert fixed is None or "without intramural gas" not in fixed
    assert not is_right("Yes, there is intramural gas in the small bowel wall.", "No", gas)
    where = "Where is the pneumothorax located?"
    apex = "The pneumothorax is left-sided, with a visible visceral pleural line and absent lung "
    apex += "markings at the left apex."
    assert is_right(apex, "Left Lung", where)
    assert not is_right(apex.replace("left", "right"), "Left Lung", where)
    assert clinical_edit(apex, "Left Lung", where) == apex
    assert not is_right("The left kidney is absent.", "Yes", "Is the left kidney present?")


def test_a_procedure_side_and_a_catheter_tip_are_judged_and_corrected():
    reference = ("Status post left mastectomy with surgical clips in the left axilla. Lungs are "
                 "clear. IMPRESSION: Postsurgical changes of left mastectomy.")  # fmt: skip
    answer = ("The patient is status post right mastectomy with surgical clips in the right "
              "axilla. The lungs are clear. IMPRESSION: Postsurgical changes of right "
              "mastectomy.")  # fmt: skip
    assert not is_right(answer, reference)
    assert clinical_edit(answer, reference) == answer.replace("right", "left")
    swan = "FINDINGS: Swan-Ganz catheter terminates in the main pulmonary artery. No pneumothorax."
    distal = ("FINDINGS: A Swan-Ganz catheter is seen with its tip in the distal right interlobar "
              "pulmonary artery. No pneumothorax.")  # fmt: skip
    assert not is_right(distal, swan)
    assert is_right("FINDINGS: The PA catheter tip is in the main pulmonary artery. No "
                    "pneumothorax.", swan)  # fmt: skip


def test_a_foot_bone_is_judged_and_planted_as_a_neighbouring_bone():
    question = "Which bone is fractured in this foot radiograph?"
    assert not is_right("There is a fracture of the talus.", "Calcaneus", question)
    assert is_right("There is a comminuted calcaneal fracture.", "Calcaneus", question)
    planted = plants("The fracture involves the calcaneus.", question, "Calcaneus")
    assert planted and planted <= {"The fracture involves the talus.",
                                   "The fracture involves the cuboid."}  # fmt: skip


def test_a_heart_called_normal_is_corrected_to_the_reference_degree():
    answer = "FINDINGS: The cardiac silhouette is normal in size. The lungs are clear."
    mild = "FINDINGS: Mild cardiomegaly. Lungs clear. IMPRESSION: Mild cardiomegaly."
    assert clinical_edit(answer, mild).startswith("FINDINGS: The cardiac silhouette is mildly "
                                                  "enlarged.")  # fmt: skip
    plain = "FINDINGS: Cardiomegaly. Lungs clear."
    assert clinical_edit(answer, plain).startswith("FINDINGS: The cardiac silhouette is enlarged.")


def test_a_hedged_tip_is_unsure_and_passive_advice_goes_whole():
    svc = "FINDINGS: Left subclavian central venous catheter with tip in the mid SVC. No "
    svc += "pneumothorax. IMPRESSION: Left subclavian catheter tip in the mid SVC."
    maybe = "FINDINGS: A left subclavian central venous catheter is present; its tip may be in the "
    maybe += "SVC or the right atrium. No pneumothorax. IMPRESSION: Indeterminate tip position."
    assert judge(maybe, svc).right is None
    tortuous = (
        "FINDINGS: The thoracic aorta is tortuous. The lungs are clear. IMPRESSION: Tortuous "
    )
    tortuous += "thoracic aorta."
    aneurysm = "FINDINGS: The thoracic aorta is aneurysmal. The lungs are clear. IMPRESSION: "
    aneurysm += "Thoracic aortic aneurysm; CT angiography is recommended."
    fixed = clinical_edit(aneurysm, tortuous)
    assert fixed is None or ("angiography" not in fixed and " is." not in fixed)


def test_hernias_and_spine_segments_are_planted_within_their_kind():
    cause = "What is causing the bowel obstruction?"
    groin = "The small bowel obstruction is caused by a right inguinal hernia containing a loop of "
    groin += "small bowel."
    assert plants(groin, cause, "Inguinal hernia") == {groin.replace("inguinal", "femoral")}
    assert not is_right("This is an inguinal hernia.", "Umbilical hernia", "What type of hernia?")
    segment = "Which segment of the spine is shown?"
    lumbar = "This is a sagittal T2-weighted MRI of the lumbar spine."
    assert plants(lumbar, segment, "Lumbar") == {lumbar.replace("lumbar", "thoracic")}
    assert is_right(lumbar, "Lumbar", segment)
    assert not is_right("There is a fracture of the thoracic spine.", "Lumbar", segment)


def test_features_the_question_gives_stay_beside_a_planted_diagnosis():
    """Asked what given features are diagnostic of, the answer's restatement of them is the
    question's premise: the planted diagnosis keeps it. Asked what cells are shown, the features
    an answer adds still tell its diagnosis and go, or no plant is made."""
    question = "what are the optically clear nuclei with grooves diagnostic of?"
    answer = "These optically clear (Orphan Annie eye) nuclei with longitudinal nuclear grooves "
    answer += "and intranuclear pseudoinclusions are diagnostic of papillary thyroid carcinoma."
    planted = plants(answer, question, "papillary thyroid carcinoma") - {None}
    assert planted and all(p.startswith(answer[:120]) for p in planted)
    assert not any("papillary" in p for p in planted)
    cells = "What are the multinucleated cells with peripherally arranged nuclei?"
    langhans = "These are Langhans giant cells, with nuclei arranged in a horseshoe pattern at the "
    langhans += "periphery of the cell."
    assert not any(
        "horseshoe" in p for p in plants(langhans, cells, "Langhans giant cells") - {None}
    )


def test_a_place_a_contrast_or_a_level_beside_a_correction_is_read():
    """The CSF 'within the ventricles' still looks as its weighting says; a 'but' clause about
    another organ is another claim; where the slice lies tells nothing of the modality, yet an
    organ turned present cannot keep a level it does not reach."""
    weighting = "What is the weighting of this brain MR image?"
    t2 = "This is a T2-weighted MR image of the brain, as the cerebrospinal fluid within the "
    t2 += "ventricles appears bright."
    assert clinical_edit(t2, "T1", weighting) == (t2.replace("T2", "T1").replace("bright", "dark"))
    fluid = "There is no free fluid in the pelvis, but the urinary bladder is moderately distended."
    assert clinical_edit(fluid, "Yes", "Is there free fluid in the pelvis?") == (
        "There is free fluid in the pelvis, and the urinary bladder is moderately distended."
    )
    bowel = "No, there is no evidence of small bowel obstruction; the bowel loops are of normal "
    bowel += "caliber."  # the same claim in other words: not turned alone
    assert clinical_edit(bowel, "yes", "is there evidence of small bowel obstruction?") is None
    ct = "This image was acquired with computed tomography (CT), shown in the axial plane at the "
    ct += "level of the lateral ventricles."
    fixed = clinical_edit(ct, "MRI", "Which imaging technique was used to acquire this image?")
    assert fixed and "computed tomography" not in fixed and "(CT)" not in fixed
    assert fixed.endswith("shown in the axial plane at the level of the lateral ventricles.")
    rectum = "No, the rectum is not included in this image, which is at the level of the upper "
    rectum += "abdomen."
    assert clinical_edit(rectum, "Yes", "Does the picture contain rectum?") is None


def test_a_tube_in_the_airway_a_balloon_pump_and_a_scoliosis_side_are_judged():
    airway = ("FINDINGS: A Dobhoff feeding tube courses into the right mainstem bronchus with its "
              "tip projecting over the right lower lobe. No pneumothorax.")  # fmt: skip
    stomach = "FINDINGS: A Dobhoff feeding tube courses below the diaphragm with its tip in the "
    stomach += "stomach. There is no pneumothorax."
    assert not is_right(stomach, airway)
    planted = plants(stomach, "Describe the findings of this chest X-ray.", stomach, seeds=10)
    assert not any("bronch" in p for p in planted - {None})  # which bronchus, no plant can tell
    pump = "FINDINGS: Intra-aortic balloon pump tip terminates approximately 2 cm below the "
    pump += "superior margin of the aortic arch. IMPRESSION: Intra-aortic balloon pump in "
    pump += "appropriate position."
    low = "FINDINGS: An intra-aortic balloon pump is present with its tip projecting at the level "
    low += "of the T10 vertebral body, which is low. IMPRESSION: Low position of the intra-aortic "
    low += "balloon pump; recommend advancement by approximately 10 cm."
    assert not is_right(low, pump)
    dextro = "FINDINGS: Moderate dextroscoliosis of the thoracic spine. The lungs are clear."
    assert not is_right("There is moderate levoscoliosis of the thoracic spine. The lungs are "
                        "clear.", dextro)  # fmt: skip
    assert is_right("There is moderate dextroscoliosis. The lungs are clear.", dextro)


def test_spine_levels_are_read_written_and_planted_one_level_off():
    """A disc level in any of its forms is one level (L4-5 = L4/L5 = L4-L5), written back in
    capitals; a plant moves it to the next level; T1-T4 alone stay MR weightings and stages."""
    level = "At what level is the disc herniation?"
    assert is_right("There is a disc herniation at L4-5.", "L4-L5", level)
    assert is_right("A disc herniation is seen at the L4/L5 level.", "L4-L5", level)
    assert not is_right("There is a disc herniation at L5-S1.", "L4-L5", level)
    assert clinical_edit("There is a disc herniation at L5-S1.", "L4-L5", level) == (
        "There is a disc herniation at L4-L5."
    )
    bone = "Which vertebra is fractured?"
    assert clinical_edit("There is a compression fracture of T12.", "L1", bone) == (
        "There is a compression fracture of L1."
    )
    herniation = "There is a posterior disc herniation at L4-L5 that indents the thecal sac."
    assert plants(herniation, level, "L4-L5") - {None} <= {
        herniation.replace("L4-L5", other) for other in ("L3-L4", "L5-S1")
    }
    assert plants(herniation, level, "L4-L5") - {None}
    assert clinical_edit("This is a T1-weighted MRI.", "T2-weighted", "Which sequence?") == (
        "This is a T2-weighted MRI."
    )
    assert is_right("The tumor is staged T3 N0.", "T3", "What is the T stage?")


def test_no_side_or_denial_leaves_both_behind():
    """'bilateral opacities involving both lower lobes' made left would keep 'both lower lobes';
    'trace effusions are present on both sides' denied would deny them 'on both sides'."""
    lungs = "Yes, there are bilateral patchy airspace opacities involving both lower lobes."
    assert not any(
        p and "both lower lobes" in p for p in plants(lungs, "Are both lungs affected?", "Yes")
    )
    report = "FINDINGS: Stable cardiomegaly. Trace pleural effusions are present on both sides. "
    report += "No pneumothorax. IMPRESSION: Stable cardiomegaly."
    planted = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert not any(p and "No pleural effusions are present on both sides" in p for p in planted)


def test_liver_diseases_gonads_and_fluid_around_the_heart():
    """Steatosis, cirrhosis, cholestasis and hemosiderosis are planted for one another; a testis
    for a tissue like it; 'fluid around the heart' is a pericardial effusion, denied plainly."""
    fatty = "This image shows hepatic steatosis, with large fat vacuoles in hepatocytes."
    planted = plants(fatty, "what does this image show?", "fatty liver") - {None}
    assert planted and planted <= {
        f"This image shows hepatic {d}." for d in ("cirrhosis", "cholestasis", "hemosiderosis")
    }
    assert not is_right("The liver shows cholestasis.", "cirrhosis", "What is present?")
    testis = "This section is from the testis, showing seminiferous tubules."
    assert plants(testis, "which organ is shown?", "testis") - {None} <= {
        "This section is from the epididymis.",
        "This section is from the ovary.",
    }
    fluid = "Yes, there is a moderate pericardial effusion, seen as a rim of fluid density "
    fluid += "surrounding the heart."
    assert plants(fluid, "Is there fluid around the heart?", "Yes") == {
        "No, there is no pericardial effusion."
    }


def test_knee_ligaments_are_read_in_pairs():
    torn = "Which ligament is torn?"
    acl = "Anterior cruciate ligament"
    assert is_right("The ACL is torn.", acl, torn)
    assert clinical_edit(
        "There is a complete tear of the posterior cruciate ligament.", acl, torn
    ) == ("There is a complete tear of the anterior cruciate ligament.")
    answer = "The anterior cruciate ligament is torn, with discontinuity of its fibers."
    assert plants(answer, torn, acl) == {"The posterior cruciate ligament is torn."}


def test_aneurysm_sites_and_a_stain_the_question_names_are_planted_without_their_evidence():
    """The communicating arteries are read; a plant drops where the old site lies (between the
    frontal lobes). Asked which stain shows acid-fast bacilli, the bacilli are the question's
    premise: another stain may stand beside them, the answer's red rods go."""
    where = "Where is the aneurysm located?"
    acom = "The saccular aneurysm arises from the anterior communicating artery, projecting "
    acom += "anteriorly between the frontal lobes."
    planted = plants(acom, where, "Anterior communicating artery") - {None}
    assert planted and not any("frontal" in p or "anterior communicating" in p for p in planted)
    assert clinical_edit(
        "The angiogram shows a saccular aneurysm arising from the posterior communicating artery.",
        "Anterior communicating artery",
        "Which artery is the aneurysm arising from?",
    ).endswith("arising from the anterior communicating artery.")
    stain = "which stain demonstrates the acid-fast bacilli?"
    zn = "The Ziehl-Neelsen stain demonstrates the acid-fast bacilli, which appear as slender, "
    zn += "beaded red rods within macrophages."
    planted = plants(zn, stain, "Ziehl-Neelsen") - {None}
    assert planted and all(
        p.endswith("stain demonstrates the acid-fast bacilli.") and "Ziehl" not in p
        for p in planted
    )


def test_a_closed_answer_loses_its_conclusion_or_turns_it_with_its_claim():
    """A plant or a correction of a yes/no drops a diagnosis drawn from the old claim (consistent
    with a goiter), or turns the verb that draws it (argues against <-> supports)."""
    goiter = "Yes, the thyroid gland is enlarged, consistent with a goiter."
    assert plants(goiter, "Is the thyroid enlarged?", "Yes") == {
        "No, the thyroid gland is not enlarged."
    }
    auer = "No, Auer rods are not identified in the blasts, which argues against acute myeloid "
    auer += "leukemia."
    assert clinical_edit(auer, "yes", "Are Auer rods present in the blasts?") == (
        "Yes, Auer rods are identified in the blasts, which supports acute myeloid leukemia."
    )


def test_the_predicate_of_a_question_about_a_described_subject_is_what_it_asks():
    """Does the urothelial carcinoma invade the detrusor muscle? asks the invasion of the muscle,
    not whether there is a carcinoma; 'but no invasion of the detrusor' says no."""
    question = "Does the urothelial carcinoma invade the detrusor muscle?"
    answer = "The urothelial carcinoma invades the lamina propria, but there is no invasion of "
    answer += "the detrusor muscle (muscularis propria) in this specimen."
    assert judge(answer, "yes", question).right is False
    assert judge(answer, "no", question).right is True
    fixed = clinical_edit(answer, "yes", question)
    assert "there is invasion of the detrusor" in fixed and "no invasion" not in fixed


def test_options_one_called_normal_parts_listed_and_cells_of_one_family():
    """Which organ is abnormal, the heart or the lung? An answer calling the heart normal chose
    the lung. A pancreatic mass dilating the pancreatic and bile ducts names one organ. Mast cells
    'consistent with hairy cell leukemia' name two cells: unsure."""
    which = "Which organ is abnormal, the heart or the lung?"
    lung = "The lung is abnormal, with a nodule in the right lung, while the heart appears normal "
    lung += "in size and contour."
    assert judge(lung, "Lung", which).right is True
    assert judge(lung, "Heart", which).right is False
    assert judge("Both the heart and the lung look abnormal.", "Heart", which).right is None
    origin = "The mass appears to arise from the head of the pancreas, causing dilatation of both "
    origin += "the common bile duct and the main pancreatic duct."
    assert is_right(origin, "Pancreas", "What is the organ of origin of this mass?")
    cells = "The marrow is diffusely infiltrated by mast cells with pale cytoplasm, consistent "
    cells += "with hairy cell leukemia."
    asked = "What type of cells are infiltrating the bone marrow?"
    assert judge(cells, "Hairy cells", asked).right is None
    assert explain_edit(cells, "Hairy cells", asked)[0] is None


def test_a_hedge_of_a_further_claim_or_of_the_call_itself():
    """'which suggests acute thrombus' hedges what the answer draws, not the artery it names; a
    sentence saying a definitive call needs more is unsure throughout."""
    mca = "The right middle cerebral artery shows the hyperdense vessel sign, which suggests "
    mca += "acute intraluminal thrombus."
    assert is_right(mca, "Right MCA", "Which artery shows the hyperdense vessel sign?")
    nevus = "The lesion shows some features of a dysplastic nevus, although features overlapping "
    nevus += "with melanoma in situ are present, and definitive classification would require "
    nevus += "additional levels."
    assert judge(nevus, "no", "Is this melanocytic lesion a benign nevus?").right is None


def test_a_fracture_of_another_bone_in_a_report_is_moved_to_the_reference_bone():
    reference = "FINDINGS: Heart size normal. Lungs clear. Old healed fracture of the left "
    reference += "clavicle. IMPRESSION: No acute disease. Old healed left clavicle fracture."
    answer = "FINDINGS: The heart size is normal. The lungs are clear. There is an old healed "
    answer += "fracture of the left scapula. IMPRESSION: No acute disease. Old healed left "
    answer += "scapular fracture."
    question = "Describe the findings of this chest X-ray."
    assert not is_right(answer, reference, question)
    fixed = clinical_edit(answer, reference, question)
    assert "scapula" not in fixed and fixed.count("clavicle") == 2


def test_a_caliber_turned_is_dilated_and_an_eponym_keeps_its_capital():
    fixed = clinical_edit("No, the small bowel loops are normal in caliber, without evidence of "
                          "obstruction.", "Yes", "Is the small bowel dilated?")  # fmt: skip
    assert fixed == "Yes, the small bowel loops are dilated, without evidence of obstruction."
    auer = "Yes, Auer rods are present in the cytoplasm of the blasts."
    assert plants(auer, "are auer rods present?", "yes") == {
        "No, no Auer rods are present in the cytoplasm of the blasts."
    }
    aml = auer.replace(".", ", supporting acute myeloid leukemia.")  # absence supports nothing:
    assert plants(aml, "are auer rods present?", "yes") == plants(
        auer, "are auer rods present?", "yes"
    )  # the conclusion goes


def test_what_is_there_asks_is_read_before_the_organ_it_lies_in():
    question = "is there invasion into the stalk of the polyp?"
    answer = "The adenomatous polyp shows high-grade dysplasia, but there is no invasion into the "
    answer += "stalk."
    assert not is_right(answer, "yes", question) and is_right(answer, "no", question)
    assert clinical_edit(answer, "yes", question) == (
        "The adenomatous polyp shows high-grade dysplasia, and there is invasion into the stalk."
    )
    question = "Is there invasion through the muscularis mucosae?"
    kept = "No, the dysplastic glands stay above an intact muscularis mucosae, an adenoma only."
    assert is_right(kept, "no", question) and not is_right(kept, "yes", question)
    told = "No, the carcinoma invades through the muscularis mucosae into the submucosa."
    assert not is_right(told, "no", question)  # the yes/no and the sentence disagree


def test_no_error_is_planted_in_a_one_sentence_answer_that_hedges():
    question = "Does the picture contain brain enhancing tumor?"
    hedged = "No definite enhancing tumor is identified in this image, although subtle "
    hedged += "enhancement cannot be entirely excluded without a post-contrast comparison."
    assert plants(hedged, question, "No") == {None}


def test_a_predicate_the_lexicon_lacks_is_read_after_its_copula():
    """Is the mucosa ulcerated?: the answer's 'is (not) ulcerated' is its claim; one linked to
    other words the lexicon cannot read (no capsular invasion; the capsule appears intact) is
    not edited."""
    question = "is the mucosa ulcerated?"
    assert is_right("No, the mucosa is not ulcerated.", "no", question)
    assert not is_right("No, the mucosa is not ulcerated.", "yes", question)
    fixed = clinical_edit("No, the mucosa is not ulcerated.", "yes", question)
    assert fixed == "Yes, the mucosa is ulcerated."
    intact = (
        "The tumor is well circumscribed, and there is no capsular invasion; the capsule "
        "appears intact."
    )
    assert clinical_edit(intact, "no", "is the capsule intact?") is None


@pytest.mark.parametrize(
    "answer,reference,question,right",
    [
        ("There is a transverse fracture of the mid tibial shaft without displacement.", "yes",
         "is the fracture displaced?", False),
        ("There is a transverse fracture of the mid tibial shaft without displacement.", "no",
         "is the fracture displaced?", True),
        ("This shoulder radiograph shows a posterior shoulder dislocation.",
         "anterior shoulder dislocation", "what is the abnormality?", False),
        ("There is an anterior shoulder dislocation.", "anterior shoulder dislocation",
         "what is the abnormality?", True),
        ("The mass has both solid and cystic components.", "cystic", "is the mass solid or cystic?",
         None),
        ("The spleen appears larger than the liver in this image.", "Liver",
         "Which is bigger in this image, the liver or the spleen?", False),
        ("The liver is larger than the spleen in this image.", "Liver",
         "Which is bigger in this image, liver or spleen?", True),
        ("The spleen is smaller than the liver.", "Liver",
         "Which is bigger in this image, liver or spleen?", True),
        ("Both the liver and the spleen appear large.", "Liver",
         "Which is bigger in this image, liver or spleen?", None),
        ("The mass is cystic, not solid.", "cystic", "is the mass solid or cystic?", True),
        ("Compared to the prior, a new Dobhoff tube is seen with its tip in the stomach.",
         "FINDINGS: A feeding tube has been placed with the tip in the stomach. No pneumothorax.",
         "Describe the findings compared to prior.", True),
    ],
)  # fmt: skip
def test_the_judge_reads_word_forms_opposite_places_options_and_devices(
    answer, reference, question, right
):
    """A predicate said in another form (displaced: without displacement), the opposite place
    of a finding (anterior / posterior), both options of a question named (unsure, unless a
    comparison chooses one), a device by its brand name (Dobhoff tube: a feeding tube)."""
    assert judge(answer, reference, question).right is right


def test_one_lung_called_clear_says_nothing_of_the_other():
    reference = "FINDINGS: There is consolidation in the right lower lobe. The left lung is clear."
    answer = "The left lung is clear. The heart size is normal."
    assert judge(answer, reference).why == "omission"
    assert clinical_edit(answer, reference) is None


def test_report_plants_read_like_a_radiologist_wrote_them():
    """A normal heart 'in size' becomes enlarged (not 'enlarged in size'); a finding said to
    persist is not denied (no 'No interstitial edema persists.')."""
    heart = "The cardiac silhouette is normal in size. The lungs are clear."
    assert "The cardiac silhouette is enlarged. The lungs are clear." in plants(heart)
    edema = "Mild interstitial edema persists. There are small bilateral pleural effusions."
    assert not any(p and p.startswith("No interstitial edema") for p in plants(edema))
    opacity = "The heart is normal. No focal airspace opacity is seen. There is no pneumothorax."
    planted = ("The heart is normal. A focal airspace opacity is seen in the right lower lobe. "
               "There is no pneumothorax.")  # fmt: skip
    assert planted in plants(opacity, seeds=20)  # counted (consolidation is not), in a lobe
    listed = "The heart is normal. No focal consolidation, effusion, or pneumothorax is identified."
    assert (
        "The heart is normal. Focal consolidation is identified in the left lower lobe, without "
        "effusion or pneumothorax." in plants(listed, seeds=20)  # 'focal' stays, and the denials
    )
    contours = "No mass is identified; the mediastinal contours are normal."
    assert plants(contours, "Is there evidence of a mass?", "No") == {
        "A mass is identified; the mediastinal contours are widened."  # not 'abnormal'
    }
    both = "The heart size and mediastinal contours are normal. The lungs are clear."
    assert not any(p and "contours are enlarged" in p for p in plants(both, seeds=20))
    healed = "The lungs are clear. There is a healed fracture of the left sixth rib."
    assert "The lungs are clear. There is no fracture of the left sixth rib." in plants(healed)
    assert not any(p and "no healed" in p for p in plants(healed, seeds=20))
    upper = "The heart size is at the upper limits of normal. The lungs are clear."
    assert not any(p and "enlarged" in p for p in plants(upper, seeds=20))  # borderline, no error
    duct = "No, the common bile duct is normal in caliber."
    assert plants(duct, "Is the common bile duct dilated?", "no") == {
        "Yes, the common bile duct is dilated."  # not 'abnormal in caliber'
    }


def test_residual_or_metastatic_tumour_lifted_from_a_denial_takes_no_article():
    node = "The sentinel lymph node shows no metastatic carcinoma."
    assert clinical_edit(node, "Yes", "Is there metastatic carcinoma in the lymph node?") == (
        "The sentinel lymph node shows metastatic carcinoma.")  # fmt: skip
    bed = "No, the resection bed shows fibrosis with no residual tumor."
    assert clinical_edit(bed, "Yes", "Is there residual tumor?") == (
        "Yes, the resection bed shows fibrosis with residual tumor.")  # fmt: skip


def test_a_denial_keeps_its_article_and_drops_no_cause_or_contents():
    assert plants("No, the liver appears abnormal, with a focal low-density lesion.",
                  "Does the liver look normal?", "No") == {
        "Yes, the liver appears normal, without a focal low-density lesion."}  # fmt: skip
    shift = plants("Yes, there is a midline shift to the left due to the right-sided mass effect.",
                   "is there a midline shift?", "yes")  # fmt: skip
    assert not any(p and "due to" in p and "no midline shift" in p for p in shift)
    granulomas = plants(
        "This image shows granulomas containing multinucleated giant cells.",
        "what does this image show?",
        "granulomas with multinucleated giant cells",
    )
    assert not any(p and "no granulomas containing" in p for p in granulomas)


@pytest.mark.parametrize(
    "answer,reference,question,expected",
    [
        ("No, the opacities involve the right lung.", "yes", "Are the opacities bilateral?",
         "Yes, the opacities involve both lungs."),  # a paired organ named once: both
        ("The opacities are unilateral, confined to the right lung.", "yes",
         "Are the opacities bilateral?", None),  # 'unilateral' would stay
        ("The kidneys are visualized bilaterally without hydronephrosis.", "yes",
         "Is there hydronephrosis?",
         "The kidneys are visualized bilaterally with hydronephrosis."),  # seen: no state
        ("No, there is no pleural effusion; the costophrenic angles are sharp.", "yes",
         "Is there a pleural effusion?",
         "Yes, there is a pleural effusion; the costophrenic angles are not sharp."),  # linked
        ("The aortic arch shows no atherosclerotic calcification.", "yes",
         "Is the aorta calcified?", "The aortic arch shows atherosclerotic calcification."),
        ("There is a hypoechoic lesion in the right lobe of the liver with surrounding free "
         "fluid.", "no", "Is there free fluid?", "There is a hypoechoic lesion in the right lobe "
         "of the liver without surrounding free fluid."),
        ("There is no atherosclerotic calcification or aneurysm.", "yes",
         "Is the aorta calcified?",
         "There is atherosclerotic calcification but no aneurysm."),  # the aneurysm stays denied
    ],
)  # fmt: skip
def test_a_finding_named_with_its_own_modifiers_is_turned_alone(
    answer, reference, question, expected
):
    """An adjective that is itself a finding (atherosclerotic) or says where (surrounding,
    adjacent) belongs to the asked finding's phrase: the phrase turns over as one."""
    assert clinical_edit(answer, reference, question) == expected
    appendix = "The appendix is dilated with adjacent fat stranding."
    assert clinical_edit(appendix, "no", "Is there fat stranding?") in {
        "The appendix is dilated without adjacent fat stranding.",
        "The appendix is dilated without fat stranding.",
    }


@pytest.mark.parametrize(
    "answer,reference,question,expected",
    [
        ("The picture shows pneumonia.", "Pneumonia, Pleural Effusion",
         "What diseases are included in the picture?",
         "The picture shows pneumonia and pleural effusion."),
        ("The lungs are visible in this image.", "Lung, Heart", "Which organs appear in pictures?",
         "The lungs and heart are visible in this image."),
        ("The liver is visible.", "Liver, Spleen", "Which organs appear in pictures?",
         None),  # 'the liver and spleen is visible': the verb would disagree
        ("The lungs and heart are visible in this image.", "Lung, Heart",
         "Which organs appear in pictures?", "The lungs and heart are visible in this image."),
    ],
)  # fmt: skip
def test_a_listed_reference_is_completed_and_judged_by_every_item(
    answer, reference, question, expected
):
    """SLAKE lists what an image holds (Lung, Heart): an answer naming every item is right (not
    'both options'); one naming some gets the missing ones added after them."""
    assert clinical_edit(answer, reference, question) == expected
    assert is_right("The heart and lungs are seen.", "Lung, Heart", question)


def test_an_opacity_and_a_consolidation_are_one_finding_across_two_reports():
    """Radiologists write 'airspace opacity', 'opacity' and 'consolidation' for one finding: a
    report saying one where the reference says another agrees, and its side still counts."""
    reference = (
        "FINDINGS: There is a right lower lobe opacity concerning for pneumonia. No pleural "
    )
    reference += "effusion. IMPRESSION: Right lower lobe pneumonia."
    answer = (
        "There is a patchy airspace opacity in the right lower lobe, concerning for pneumonia. "
    )
    answer += "There is no pleural effusion. Impression: Right lower lobe pneumonia."
    assert is_right(answer, reference)
    assert not is_right(answer.replace("right", "left"), reference)
    consolidation = "FINDINGS: Right lower lobe consolidation. No pleural effusion."
    assert is_right("There is a right lower lobe opacity. No pleural effusion.", consolidation)


def test_a_pneumothorax_the_reference_denies_is_denied_without_its_side_and_place():
    """'No right apical pneumothorax' leaves one elsewhere open; the reference denies any."""
    reference = "FINDINGS: Right IJ catheter tip at the cavoatrial junction. No pneumothorax."
    answer = "FINDINGS: A right IJ catheter ends at the cavoatrial junction. There is a new small "
    answer += "right apical pneumothorax."
    assert clinical_edit(answer, reference).endswith("There is no pneumothorax.")
    sided = "FINDINGS: No right pneumothorax. Small left pneumothorax, unchanged."
    assert clinical_edit("There is a small right pneumothorax.", sided) == (
        "There is a small left pneumothorax."  # a side the reference gives is swapped, not denied
    )


def test_a_denied_finding_before_without_joins_the_denial_with_or():
    """'Cardiomegaly without acute disease' denied reads 'No cardiomegaly or acute disease', not
    'No cardiomegaly without acute disease' (a denial of a denial); the second of a telegraphic
    list is denied after 'and no'."""
    reference = "FINDINGS: The heart is normal in size. The lungs are clear. IMPRESSION: No acute "
    reference += "disease."
    answer = "FINDINGS: The heart is enlarged. The lungs are clear. IMPRESSION: Cardiomegaly "
    answer += "without acute pulmonary disease."
    assert clinical_edit(answer, reference) == (
        "FINDINGS: The heart is not enlarged. The lungs are clear. IMPRESSION: No cardiomegaly "
        "or acute pulmonary disease."
    )
    reference = "FINDINGS: Stable cardiomegaly. No pneumothorax. IMPRESSION: Stable cardiomegaly."
    answer = "The heart is enlarged. There is a small left apical pneumothorax. Impression: "
    answer += "Cardiomegaly and small left apical pneumothorax."
    assert clinical_edit(answer, reference) == (
        "The heart is enlarged. There is no pneumothorax. Impression: Cardiomegaly and no "
        "pneumothorax."  # the second of a list denied alone, its place gone with its side
    )
    organs = "The picture contains the liver and the spleen, but no kidneys."
    fixed = clinical_edit(organs, "No", "Does the picture contain spleen?")
    assert fixed is None or "no the" not in fixed  # a sentence with a verb is no list


def test_air_outside_the_lung_is_named_by_where_it_lies():
    """Pneumomediastinum, pneumoperitoneum and subcutaneous emphysema are different findings
    (and subcutaneous emphysema is no emphysema of the lung)."""
    question = "What is the abnormal air collection?"
    assert clinical_edit("There is pneumomediastinum.", "Pneumoperitoneum", question) == (
        "There is pneumoperitoneum."
    )
    assert not is_right("There is subcutaneous emphysema in the chest wall.", "emphysema",
                        "What is seen?")  # fmt: skip


def test_a_hallucinated_finding_is_denied_without_its_diagnosis():
    """A correction that denies 'a focal consolidation ..., concerning for pneumonia' drops the
    diagnosis said of it (nothing is left for it to describe); a planted denial still refuses."""
    reference = "FINDINGS: The lungs are clear. No pleural effusion. IMPRESSION: No acute disease."
    answer = "FINDINGS: There is a focal consolidation in the right lower lobe concerning for "
    answer += "pneumonia. No pleural effusion. IMPRESSION: Right lower lobe pneumonia."
    assert clinical_edit(answer, reference) == (
        "FINDINGS: There is no focal consolidation in the right lower lobe. No pleural effusion. "
        "IMPRESSION: No right lower lobe pneumonia."
    )


def test_a_finding_in_another_lobe_is_wrong_and_its_lobe_corrected():
    """A report placing a nodule in the lower lobe where the reference's is in the upper lobe is
    wrong (not only a wrong side); the lobe and the side are each set to the reference's. A lung
    named without its lobe is no other place. A nodular opacity is a nodule."""
    reference = "FINDINGS: There is a 1 cm nodule in the right upper lobe. No pleural effusion. "
    reference += "IMPRESSION: Right upper lobe nodule."
    lower = "FINDINGS: A 1 cm nodular opacity is present in the left lower lobe. No pleural "
    lower += "effusion. IMPRESSION: Left lower lobe nodule."
    assert not is_right(lower.replace("left", "right").replace("Left", "Right"), reference)
    assert clinical_edit(lower, reference) == lower.replace("left lower", "right upper").replace(
        "Left lower", "Right upper"
    )
    lung = "FINDINGS: There is a 1 cm nodule in the right lung. No pleural effusion. "
    assert is_right(lung + "IMPRESSION: Right lung nodule.", reference)


def test_an_error_is_planted_without_the_evidence_that_would_contradict_it():
    """A right answer that gives its evidence (seen as a mass, with apple-green birefringence)
    gets its error planted in the answer without it, where no draw could keep it; never where
    the evidence is what the question asks, nor where the claim's verb comes after it."""
    steatosis = "Steatosis is seen, with large lipid vacuoles displacing hepatocyte nuclei."
    assert without_evidence(steatosis) == "Steatosis is seen."
    assert without_evidence("There is a fracture of the scaphoid.") is None
    assert without_evidence("Yes, the heart is enlarged. The ratio is 0.6.") is None
    congo = plants("The Congo red stain shows amyloid deposits with apple-green birefringence.",
                   "What does the Congo red stain show?", "amyloid")  # fmt: skip
    assert congo == {None}  # its denial would answer an open question: no plant
    contrast = plants("Yes, intravenous contrast is present, with opacification of the "
                      "pulmonary arteries and aorta.", "Is this a contrast-enhanced scan?",
                      "yes")  # fmt: skip
    assert contrast - {None} and all(
        p.startswith("No,") and "opacification" not in p for p in contrast - {None}
    )
    aorta = plants("The aorta is normal in caliber without aneurysm or dissection.",
                   "Is the aorta dilated?", "No")  # fmt: skip
    assert "The aorta is dilated." in aorta
    shift = "The pneumothorax is on the left side, with mediastinal shift to the right."
    assert without_evidence(shift) is None  # a side of its own: a claim, not a description
    edema = ("Yes, there is brain edema, seen as a region of high T2/FLAIR signal surrounding "
             "the lesion in the right cerebral hemisphere.")  # fmt: skip
    assert without_evidence(edema) == "Yes, there is brain edema."  # a side of where it lies
    keeping = "The kidney shows a dilated pelvicalyceal system, in keeping with hydronephrosis."
    assert without_evidence(keeping) is None  # a conclusion, not evidence: nothing to cut
    stain = "This section is stained with Masson trichrome, highlighting the collagen in blue."
    assert without_evidence(stain) == "This section is stained with Masson trichrome."
    hcc = "Features are those of HCC: trabeculae of atypical hepatocytes with bile production."
    assert without_evidence(hcc) == "Features are those of HCC."  # what a colon explains
    congo = ("The amyloid deposits are demonstrated with Congo red stain, which shows apple-green "
             "birefringence.")  # fmt: skip
    asked = "What stain is used to demonstrate the amyloid deposits?"
    assert without_evidence(congo, asked) == (
        "The amyloid deposits are demonstrated with Congo red stain."  # the asked stain stays
    )
    phrase = "Hyaline arteriolosclerosis, with homogeneous pink thickening of arteriolar walls."
    assert without_evidence(phrase) == "Hyaline arteriolosclerosis."  # no verb at all
    kidney = "There is a mass in the right kidney, suggestive of renal cell carcinoma."
    assert without_evidence(kidney) is None  # a diagnosis appended is a claim of its own
    assert without_evidence(kidney, "Is there a mass?") == (
        "There is a mass in the right kidney."  # asked only whether the mass is there
    )
    clot = ("Yes, there is a filling defect in the left main pulmonary artery, consistent with "
            "acute pulmonary embolism.")  # fmt: skip
    assert without_evidence(clot, "Is there a filling defect?") == (
        "Yes, there is a filling defect in the left main pulmonary artery."
    )
    assert without_evidence(clot, "Is there a pulmonary embolism?") is None  # the asked claim
    cells = plants("Reed-Sternberg cells are present, with bilobed nuclei and prominent "
                   "nucleoli.", "What cells are present?", "Reed-Sternberg cells")  # fmt: skip
    assert cells - {None} and all(  # another cell of diagnosis, its bilobed nuclei cut
        p.endswith(" present.") and "Reed" not in p and "nuclei" not in p for p in cells - {None}
    )
    thyroid = plants("The tissue is from the thyroid gland, showing colloid-filled follicles.",
                     "What organ is this?", "thyroid")  # fmt: skip
    assert thyroid == {"The tissue is from the parathyroid gland."}
    duct = plants("The common bile duct appears dilated.", "What structure is dilated?",
                  "common bile duct")  # fmt: skip
    assert duct == {"The pancreatic duct appears dilated."}  # an organ named in more words
    acute = plants("Yes, there is a dense neutrophilic infiltrate with acute inflammation.",
                   "Does this image show acute inflammation?", "yes")  # fmt: skip
    assert all(p is None or "inflammation" in p for p in acute)  # what is asked stays


@pytest.mark.parametrize(
    "answer,reference,question,right",
    [
        ("The lesion is on the patient's left side, which appears on the right side of the image.",
         "right", "which side is the lesion on?", False),
        ("Yes, the mass is in the left kidney, which is displayed on the right side of the image.",
         "yes", "is the mass on the left?", True),
        ("Yes, the liver is on the left side of the image, which is the patient's right side.",
         "yes", "is the liver on the left side of the image?", True),
        ("There are bilateral pleural effusions, but no pericardial effusion is present.", "no",
         "is there a pericardial effusion?", True),
        ("The heart size is normal. There is mild pulmonary vascular congestion. Impression: "
         "Mild pulmonary vascular congestion with cardiomegaly.",
         "FINDINGS: The heart is moderately enlarged. There is mild pulmonary vascular "
         "congestion. IMPRESSION: Cardiomegaly with mild pulmonary vascular congestion.",
         "Write the findings and impression.", None),
    ],
)  # fmt: skip
def test_the_patients_side_wins_over_the_images_and_a_report_says_one_thing(
    answer, reference, question, right
):
    assert judge(answer, reference, question).right is right


def test_a_normal_organ_named_in_the_question_is_turned_over_with_the_answer():
    fixed = clinical_edit("No, there is no brain edema; the brain parenchyma appears normal.",
                          "Yes", "Does the picture contain brain edema?")  # fmt: skip
    assert fixed == "Yes, there is brain edema; the brain parenchyma appears abnormal."


def test_a_denied_list_is_planted_as_a_sized_sided_finding_and_the_rest_denied():
    report = "The lungs are clear. No pleural effusion or pneumothorax is identified."
    wanted = {f"The lungs are clear. A small {side} pleural effusion is identified, without "
              "pneumothorax." for side in ("right", "left")}  # fmt: skip
    assert wanted & plants(report)
    assert not any(p and p.endswith("A pleural effusion is identified.") for p in plants(report))


def test_a_there_is_no_list_is_planted_as_one_sized_sided_finding_but_no_other():
    report = "The lungs are clear. There is no pneumothorax or pleural effusion."
    assert plants(report) == {f"The lungs are clear. There is a small {side} pneumothorax but no "
                              "pleural effusion." for side in ("right", "left")}  # fmt: skip


def test_effusions_denied_in_the_plural_are_planted_on_both_sides():
    report = ("FINDINGS: The cardiac silhouette is normal. The lungs are clear. There are no "
              "pleural effusions. IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    written = [clinical.apply_edits(report, c) for tier in clinical.report_plants(report)
               for c in tier]  # fmt: skip
    assert any("There are small bilateral pleural effusions." in t for t in written)
    assert not any("There are pleural effusions" in t for t in written)  # which side? how much?
    fluid = "FINDINGS: The lungs are clear. No pleural fluid or pneumothorax. IMPRESSION: Normal."
    written = [
        clinical.apply_edits(fluid, c) for tier in clinical.report_plants(fluid) for c in tier
    ]
    assert not any(re.search(r"(?:small|right|left) pleural fluid", t, re.I) for t in written)


def test_a_landmark_stays_and_a_seeming_is_denied_as_english_says_it():
    tip = "The endotracheal tube tip is about {} cm above the carina, in good position."
    tube = plants(
        tip.format(6), "where is the tip of the endotracheal tube?", "6 cm above the carina"
    )
    assert tube == {tip.format(3), tip.format(12)}
    assert plants("The mass appears calcified.", "is the mass calcified?", "yes") == {
        "The mass does not appear calcified."}  # fmt: skip


def test_a_comparison_is_planted_turned_around():
    assert plants("The liver is larger than the spleen in this image.",
                  "Which is bigger in this image, liver or spleen?", "Liver") == {
        "The liver is smaller than the spleen in this image."}  # fmt: skip


def test_a_size_is_halved_or_doubled():
    assert plants("The mass measures approximately four centimeters.",
                  "what is the size of the mass?", "4 cm") == {  # fmt: skip
        "The mass measures approximately two centimeters.",
        "The mass measures approximately eight centimeters."}  # fmt: skip
    stone = plants("The stone measures roughly 0.6 cm, lodged at the right UVJ.",
                   "What is the size of the ureteral stone?", "6 mm")  # fmt: skip
    assert stone == {"The stone measures roughly 0.3 cm, lodged at the right UVJ.",
                     "The stone measures roughly 1.2 cm, lodged at the right UVJ."}  # fmt: skip
    aneurysm = plants("The abdominal aorta is aneurysmally dilated to 4.5 cm.",
                      "How wide is the aorta?", "4.5 cm")  # fmt: skip
    assert aneurysm == {"The abdominal aorta is aneurysmally dilated to 9 cm."}  # grown: no half
    ratio = plants("The cardiothoracic ratio is 0.45, within normal limits.",
                   "Is the heart size normal?", "Yes")  # fmt: skip
    assert not any(p and re.search(r"0\.(?:2|9)\b", p) for p in ratio)  # no unit: no size


@pytest.mark.parametrize(
    "answer,right",
    [
        ("There is a large left pneumothorax with shift of the mediastinum to the right.", True),
        ("Large left pneumothorax with deviation of the trachea to the right.", True),
        ("Large left pneumothorax with rightward mediastinal shift.", True),
        ("There is a large right pneumothorax with shift of the mediastinum to the left.", False),
    ],
)
def test_an_organ_shifted_to_a_side_gives_the_finding_no_side(answer, right):
    reference = (
        "FINDINGS: Large left pneumothorax with rightward mediastinal shift. IMPRESSION: Tension."
    )
    assert clinical.judge(answer, reference, "Describe the chest X-ray.").right is right


def test_a_report_describing_the_references_finding_by_its_features_is_right():
    """Traction bronchiectasis said of radiation fibrosis describes the fibrosis; said alone, in
    another lobe, it is a finding the reference lacks."""
    question = "Describe the findings of this chest X-ray."
    reference = ("FINDINGS: Right upper lobe opacity with volume loss, consistent with "
                 "post-radiation fibrosis, unchanged. No pleural effusion. Heart size normal. "
                 "IMPRESSION: Stable right upper lobe radiation fibrosis.")  # fmt: skip
    described = ("FINDINGS: There is a right upper lobe opacity with volume loss and traction "
                 "bronchiectasis, consistent with radiation fibrosis, unchanged from the prior "
                 "exam. There is no pleural effusion. The heart size is normal. IMPRESSION: "
                 "Stable right upper lobe radiation fibrosis.")  # fmt: skip
    assert is_right(described, reference, question)
    apart = described.replace(" and traction bronchiectasis", "").replace(
        "There is no pleural", "There is bronchiectasis in the left lower lobe. There is no pleural"
    )
    assert judge(apart, reference, question).right is False
    fibrosis = ("FINDINGS: Bibasilar reticular opacities with honeycombing, consistent with "
                "pulmonary fibrosis. No effusion. IMPRESSION: Basilar-predominant pulmonary "
                "fibrosis.")  # fmt: skip
    answer = ("FINDINGS: Bibasilar reticular opacities with honeycombing and traction "
              "bronchiectasis, consistent with pulmonary fibrosis. No pleural effusion. "
              "IMPRESSION: Basilar-predominant pulmonary fibrosis.")  # fmt: skip
    assert is_right(answer, fibrosis, question)


def test_a_generic_opacity_restating_a_consolidation_is_one_finding():
    question = "Describe the findings of this portable chest radiograph."
    reference = ("FINDINGS: Diffuse bilateral airspace opacities, similar to prior, consistent "
                 "with ARDS. No pneumothorax. IMPRESSION: Stable diffuse bilateral opacities "
                 "compatible with ARDS.")  # fmt: skip
    answer = ("FINDINGS: There are diffuse bilateral airspace opacities, unchanged, consistent "
              "with ARDS. There is no pneumothorax. IMPRESSION: Unchanged diffuse bilateral "
              "airspace opacities consistent with ARDS.")  # fmt: skip
    assert is_right(answer, reference, question)
    two = ("FINDINGS: Right lower lobe airspace consolidation. Left upper lobe opacity. "
           "IMPRESSION: Right lower lobe pneumonia.")  # fmt: skip
    one = (
        "FINDINGS: Right lower lobe airspace consolidation. IMPRESSION: Right lower lobe pneumonia."
    )
    assert judge(one, two, question).right is False  # the left upper lobe opacity is missed


def test_a_report_saying_its_findings_were_communicated_is_read():
    question = "Write the findings and impression for this portable chest radiograph."
    reference = ("FINDINGS: Left subclavian central venous catheter terminates in the mid "
                 "SVC. There is a small left apical pneumothorax. No pleural effusion. IMPRESSION: "
                 "Small left apical pneumothorax after left subclavian line placement. Findings "
                 "were communicated to the ordering team.")  # fmt: skip
    right = ("A left subclavian central line ends in the mid SVC. There is a small left apical "
             "pneumothorax. There is no pleural effusion. IMPRESSION: Small left apical "
             "pneumothorax after line placement.")  # fmt: skip
    assert is_right(right, reference, question)
    missed = ("A left subclavian central line ends in the mid SVC. There is no pneumothorax. "
              "There is no pleural effusion. IMPRESSION: Left subclavian line in the mid SVC "
              "without pneumothorax.")  # fmt: skip
    fixed = clinical_edit(missed, reference, question)
    assert "There is a small left pneumothorax." in fixed and "  " not in fixed
    assert "without pneumothorax" not in fixed


def test_a_device_in_place_is_read_by_its_own_words():
    question = "Describe the findings of this chest X-ray."
    reference = ("FINDINGS: Pectus excavatum repair bar in place. Heart size normal. Lungs clear. "
                 "IMPRESSION: No acute cardiopulmonary abnormality.")  # fmt: skip
    answer = ("FINDINGS: A metallic bar crosses the anterior chest, consistent with prior Nuss "
              "repair of pectus excavatum. The heart size is normal. The lungs are clear. "
              "IMPRESSION: No acute cardiopulmonary disease.")  # fmt: skip
    assert is_right(answer, reference, question)
    silent = "FINDINGS: The heart is normal. The lungs are clear. IMPRESSION: No acute disease."
    assert judge(silent, reference, question).right is None  # the bar is not said


def test_a_report_nodule_concluded_to_be_the_references_granuloma_is_that_granuloma():
    question = "Summarize the findings of this chest radiograph."
    reference = ("FINDINGS: Heart size normal. Lungs are clear. Calcified granuloma in the right "
                 "lower lobe. No pleural effusion. IMPRESSION: No acute abnormality.")  # fmt: skip
    answer = ("FINDINGS: The cardiac silhouette is normal. A small calcified nodule at the right "
              "lung base likely represents a healed granuloma. There is no pleural fluid. "
              "IMPRESSION: No acute disease; sequelae of old granulomatous infection.")  # fmt: skip
    assert is_right(answer, reference, question)
    pneumonia = "Right lower lobe pneumonia. No effusion."
    left = "There is consolidation in the left lower lobe, consistent with pneumonia. No effusion."
    assert judge(left, pneumonia, question).right is False  # concluded, but on the other side
    scar = (
        "FINDINGS: The heart is normal in size. Left basilar atelectasis/scarring. No "
        "pneumothorax or pleural effusion. IMPRESSION: Left basilar atelectasis or scarring."
    )
    base = ("The heart size is normal. There is streaky opacity at the right lung base, likely "
            "representing atelectasis or scarring. No pneumothorax or pleural effusion is seen. "
            "Impression: Right basilar atelectasis/scarring.")  # fmt: skip
    fixed = clinical_edit(base, scar, question)
    assert fixed is None or "right lung base" not in fixed  # the side said before 'likely'


def test_a_report_with_another_age_of_a_finding_is_wrong():
    reference = (
        "FINDINGS: Heart size is normal. Old healed fractures of the right 6th and 7th ribs."
    )
    acute = (
        "Heart size is normal. There are acute displaced fractures of the right 6th and 7th ribs."
    )
    healed = "Heart size is normal. There are healed fractures of the right 6th and 7th ribs."
    assert judge(acute, reference).right is False
    assert judge(healed, reference).right is True
    assert clinical_edit(acute, reference) is None


def test_no_plant_swaps_a_term_inside_a_true_negation():
    assert plants("There is no pleural effusion.", "What is seen?") == {None}
    assert plants("The lungs are clear.", "Describe the chest.") <= {None}


# ---------------------------------------------------------------------------- the demo world

DEMO = {
    "Is there a lesion in this image?": ["Yes, there is a lesion.", "No, there is no lesion."],
    "Is this image normal?": ["Yes, the image is normal.", "No, the image is abnormal."],
    "On which side is the lesion?": [
        "The lesion is on the left side.", "The lesion is on the right side."],
    "How large is the lesion?": ["The lesion is small.", "The lesion is large."],
}  # fmt: skip


@pytest.mark.parametrize("question", DEMO)
def test_demo_answers_pair_with_the_other_choice(question):
    for k, answer in enumerate(DEMO[question]):
        other = DEMO[question][1 - k]
        for q in (question, ""):
            assert plants(answer, q, answer) == {other}
            assert plants(answer, q) == {other}
            assert clinical_edit(other, answer, q) == answer
            assert make_pair(other, answer, q)[0] == dict(
                chosen=answer, rejected=other, model_correct=False
            )
            assert is_right(answer, answer, q) and not is_right(other, answer, q)


def test_demo_pair_statistics_stay_near_the_papers():
    edits = [clinical.word_edits(a, b)[:2] for qs in DEMO.values() for a, b in [qs, qs[::-1]]]
    words_changed = np.mean([e for e, _ in edits])
    distance = np.mean([e / n for e, n in edits])
    assert 1.0 <= words_changed <= 2.0 and 0.1 <= distance <= 0.35


# ---------------------------------------------------------------------------- make_pair


def make_pair(response, reference, question="", editor=None, rng=None):
    """medpo.pair_outcome, its pair without the spans (chosen, rejected, model_correct)."""
    pair, why = medpo.pair_outcome(response, reference, question, editor, rng)
    keep = ("chosen", "rejected", "model_correct")
    return ({k: pair[k] for k in keep} if pair else None), why


def test_make_pair_fixes_plants_and_counts_skips():
    pair, why = make_pair("The lesion is in the left lung.", "Right lung", "Where is the lesion?")
    assert why == "model_wrong" and pair == dict(
        chosen="The lesion is in the right lung.",
        rejected="The lesion is in the left lung.",
        model_correct=False,
    )
    pair, why = make_pair("The lesion is in the right lung.", "Right lung", "Where is it?")
    assert why == "model_correct" and pair["rejected"] == "The lesion is in the left lung."
    assert make_pair("I do not know.", "Liver", "Which organ?") == (None, "skipped_hedged")
    assert make_pair("The answer is hematoxylin.", "hematoxylin", "Which stain?") == (
        None, "skipped_no_plant")  # fmt: skip


def test_make_pair_takes_a_pluggable_editor_and_checks_its_fix():
    def editor(response, reference, question=""):
        return "There is a small cyst."

    pair, why = make_pair("There is a large cyst.", "Small", "What size?", editor=editor)
    assert pair["chosen"] == "There is a small cyst." and why == "model_wrong"
    pair, why = make_pair("There is a large cyst.", "Tiny", "What size?", editor=editor)
    assert pair is None and why == "skipped_correction_not_right"


# ------------------------------------------------------------------ the LLM editor's check


@pytest.mark.parametrize(
    "response,edited,reference,question,why",
    [
        ("There are two nodules in the left lung.", "There are three nodules in the left lung.",
         "3", "How many nodules?", None),
        ("The effusion is right sided.", "The effusion is left-sided.", "Left",
         "Which side is the effusion on?", None),
        ("The nodule measures 3.5 cm.", "The nodule measures 2.5 cm.", "2.5 cm",
         "How large is the nodule?", None),
        ("Yes, this brain MRI looks normal.", "No, this brain MRI looks normal.", "No",
         "Is this brain MRI normal?", "llm_edit_not_right"),
        ("The heart is normal.", "The heart is beautiful and normal.", "Normal",
         "How is the heart?", "llm_edit_changes_non_clinical_words"),
        ("The lesion is small.", "Actually, I believe that the lesion appears to be quite large.",
         "Large", "How large is the lesion?", "llm_edit_not_minimal"),
    ],
)  # fmt: skip
def test_check_llm_edit(response, edited, reference, question, why):
    assert clinical.check_llm_edit(response, edited, reference, question) == why


REPORT = "Heart size is normal. There are three large right lower lobe masses. No pleural effusion."
WRONG_REPORT = (
    "Heart size is enlarged. There are two small left upper lobe nodules. No pleural effusion."
)


def test_check_llm_edit_limits_words_per_sentence_not_per_report():
    assert clinical.changes_per_sentence(WRONG_REPORT, REPORT) == [1, 5, 0]
    assert clinical.check_llm_edit(WRONG_REPORT, REPORT, REPORT) is None
    assert clinical.check_llm_edit(WRONG_REPORT, REPORT, REPORT, max_words_per_sentence=4) == (
        "llm_edit_not_minimal"
    )


# --------------------------------------------------------- the LLM editor and judge (a stub)


class StubLLM:
    """An OpenAI-compatible chat-completions server on 127.0.0.1 that answers from a table
    (the AI answer in the prompt -> reply, or a function of it) and records its requests."""

    def __init__(self, replies):
        self.replies, self.requests = replies, []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append((self.path, body))
                answer = body["messages"][-1]["content"].split("AI answer: ")[1].split("\n")[0]
                try:
                    reply = (
                        stub.replies(answer)
                        if callable(stub.replies)
                        else stub.replies.get(answer, "UNSURE")
                    )
                except ConnectionResetError:
                    self.close_connection = True
                    return
                data = json.dumps({"choices": [{"message": {"content": reply}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.server.shutdown()
        self.server.server_close()


def test_llm_editor_accepts_good_replies_and_refuses_bad_ones():
    replies = {
        "There are two nodules in the left lung.": "There are three nodules in the left lung.",
        "Yes, this brain MRI looks normal.": "No, this brain MRI looks normal.",
        "The lesion is small.": "Actually, I believe that the lesion appears to be quite large.",
        "The effusion is on the left side.": "The effusion is on the left side",
        WRONG_REPORT: REPORT,
        "It is a CT.": "UNSURE",
        "The effusion is right sided.": "The effusion is left-sided.",
    }
    with StubLLM(replies) as stub:
        edit = llm.llm_editor(stub.url, model="medical-editor", backoff=0.0)
        assert edit("There are two nodules in the left lung.", "3", "How many nodules?") == (
            "There are three nodules in the left lung."
        )
        assert edit(WRONG_REPORT, REPORT) == REPORT  # five words in one sentence, six in all
        assert edit("The effusion is right sided.", "Left", "Which side?") == (
            "The effusion is left-sided."  # a word form of the reference's word
        )
        assert edit("Yes, this brain MRI looks normal.", "No", "Is this brain MRI normal?") is None
        assert edit("The lesion is small.", "Large", "How large is the lesion?") is None
        echo = edit("The effusion is on the left side.", "Left", "Which side?")
        assert echo == "The effusion is on the left side."  # a dropped period: right as it was
        assert edit("It is a CT.", "MRI", "What modality?") is None
        assert edit.rejected == Counter(llm_edit_not_right=1, llm_edit_not_minimal=1)
        path, body = stub.requests[0]
        assert path == "/v1/chat/completions" and body["model"] == "medical-editor"
        assert body["temperature"] == 0
        assert "Question: How many nodules?" in body["messages"][-1]["content"]
        answer, question = "Yes, this brain MRI looks normal.", "Is this brain MRI normal?"
        pair, why = make_pair(answer, "No", question, editor=edit)
        assert pair is None and why == "skipped_editor_unsure"


def test_llm_editor_plants_only_errors_the_judge_finds_wrong():
    replies = {
        "Yes, the liver is enlarged.": "No, the liver is not enlarged.",
        "No, there is no pleural effusion.": "No, there is no pleural cyst.",
    }
    with StubLLM(replies) as stub:
        edit = llm.llm_editor(stub.url, backoff=0.0, plant=True)
        pair, why = make_pair("Yes, the liver is enlarged.", "Yes", "Is the liver enlarged?",
                              editor=edit)  # fmt: skip
        assert why == "model_correct" and pair["rejected"] == "No, the liver is not enlarged."
        pair, why = make_pair("No, there is no pleural effusion.", "No",
                              "Is there a pleural effusion?", editor=edit)  # fmt: skip
        assert pair is None and why == "skipped_no_plant"
        assert edit.rejected == Counter(llm_plant_not_wrong=1)
    assert not hasattr(llm.llm_editor("http://127.0.0.1:1"), "plant")


def test_llm_endpoint_rules_retries_and_errors(capsys):
    with pytest.raises(llm.EndpointError, match="expected an http:// or https:// address"):
        llm.llm_editor("file:///etc/passwd")
    with pytest.raises(ValueError, match="off this machine"):
        llm.llm_editor("http://10.1.2.3:8000")
    with pytest.raises(llm.EndpointError, match="off this machine"):
        llm.llm_judge("http://example.org")
    llm.llm_editor("http://10.1.2.3:8000", allow_remote=True)  # nothing is sent yet
    assert "sends each answer and its reference answer to 10.1.2.3" in capsys.readouterr().out
    failures = {"n": 0}

    def flaky(answer):
        failures["n"] += 1
        if failures["n"] <= 2:
            raise ConnectionResetError
        return answer.replace("left", "right")

    with StubLLM(flaky) as stub:
        edit = llm.llm_editor(stub.url, backoff=0.0)
        assert edit("The lesion is on the left side.", "Right", "Which side?") == (
            "The lesion is on the right side."
        )
        assert failures["n"] == 3
    with StubLLM(lambda answer: (_ for _ in ()).throw(ConnectionResetError())) as stub:
        edit = llm.llm_editor(stub.url, backoff=0.0, tries=2)
        with pytest.raises(llm.EditorError, match="no usable reply after 2 tries"):
            edit("The lesion is on the left side.", "Right", "Which side?")


def test_llm_judge_parses_yes_and_no_only():
    replies = {"Yes.": "YES", "No.": "no", "Maybe.": "It depends on the image."}
    with StubLLM(replies) as stub:
        ask = llm.llm_judge(stub.url, model="judge", backoff=0.0)
        assert ask("Yes.", "Yes", "Is there a nodule?") == clinical.Verdict(True, "llm_yes")
        assert ask("No.", "Yes", "Is there a nodule?").right is False
        assert ask("Maybe.", "Yes", "Is there a nodule?") == clinical.Verdict(
            None, "llm_unparseable"
        )


# ------------------------------------------------------------- rules by class (new wordings)


@pytest.mark.parametrize(
    "response,reference,question,expected",
    [
        ("The image shows a simple liver cyst.", "Liver Cancer", "What is shown?",
         "The image shows a liver cancer."),
        ("The image shows bilateral pleural effusions.", "Pulmonary Nodule", "What is shown?",
         "The image shows a pulmonary nodule."),
        ("The abnormality is in the sigmoid colon.", "Rectum", "Where is the abnormality?",
         "The abnormality is in the rectum."),
        ("The mass arises from the right ovary.", "uterus", "Which organ?",
         "The mass arises from the uterus."),
        ("There is a right apical mass.", "pneumothorax", "What is the abnormality?",
         "There is a right apical pneumothorax."),
        ("There are multiple pulmonary nodules.", "granuloma", "What is seen?",
         "There is a granuloma."),
        ("There is a right-sided pleural effusion.", "bilateral", "Which side?",
         "There are bilateral pleural effusions."),
        ("Both lungs are affected.", "left", "Which lung is affected?",
         "The left lung is affected."),
        ("The cystic structure next to the liver is the duodenum.", "Gallbladder",
         "What is the cystic structure next to the liver?",
         "The cystic structure next to the liver is the gallbladder."),
        ("The heart is enlarged.", "infarct", "What is shown?", None),
        ("The liver is cirrhotic, with a nodular contour.", "spleen", "Which organ is abnormal?",
         None),  # no 'cirrhotic spleen': a finding of the liver alone stays behind
        ("The inferior mesenteric vein is occluded.", "superior mesenteric artery",
         "Which vessel is occluded?", "The superior mesenteric artery is occluded."),
        ("There is a biconvex, lens-shaped epidural hematoma over the right convexity.",
         "subdural hematoma", "What type of hemorrhage is present?",
         "There is a subdural hematoma over the right convexity."),  # both shapes go
        ("The frontal lobes show the most marked volume loss, with widening of the adjacent "
         "sulci.", "Temporal lobe", "Which brain lobe shows the most volume loss?",
         "The temporal lobes show the most marked volume loss, with widening of the adjacent "
         "sulci."),  # a short answer's number tells nothing; no mediastinal widening here
        ("The occipital lobes are atrophic.", "parietal lobe", "Which lobe is atrophic?",
         "The parietal lobes are atrophic."),
        ("The kidneys are enlarged.", "Liver", "Which organ is enlarged?",
         "The liver is enlarged."),
        ("The right kidney shows dilatation of the collecting system.", "Spleen",
         "Which organ is abnormal?", None),
    ],
)  # fmt: skip
def test_a_replaced_term_takes_its_phrase_along(response, reference, question, expected):
    """What described the old term goes with it, what says where stays where it still holds,
    the determiner and verb agree; a replacement that cannot stand there is a skip."""
    assert clinical_edit(response, reference, question) == expected


@pytest.mark.parametrize(
    "response,question,planted",
    [
        ("Yes, numerous mitotic figures are seen.", "Are there mitotic figures?",
         {"No, no mitotic figures are seen."}),
        ("Yes, the opacities involve both lungs.", "Are the findings bilateral?",
         {"No, the opacities involve the left lung only.",
          "No, the opacities involve the right lung only."}),
        ("The right middle lobe is affected.", "Which lung is affected?",
         {"The lingula is affected.", "The right upper lobe is affected.",
          "The right lower lobe is affected."}),
        ("There is one vertebral compression fracture.", "How many fractures?",
         {"There are two vertebral compression fractures."}),
        ("Yes, splenomegaly is present.", "Is the spleen enlarged?",
         {"No, no splenomegaly is present."}),
        ("Yes, the liver is enlarged, consistent with hepatomegaly.", "Is the liver enlarged?",
         {"No, the liver is not enlarged."}),  # the restated diagnosis goes (not said twice)
        ("There is stable left apical pleural thickening.", "What is seen?",
         {"There is no left apical pleural thickening."}),
        ("This is a plain radiograph of the knee.", "What modality is this?",
         {"This is a CT of the knee."}),  # 'plain' is said of radiographs
        ("The effusion is right-sided, blunting the right costophrenic angle.",
         "Which side is the pleural effusion on?",
         {"The effusion is left-sided, blunting the left costophrenic angle."}),  # one side, twice
        ("No, there is no mass effect, midline shift, or hydrocephalus.", "Is there mass effect?",
         {"Yes, there is mass effect but no midline shift or hydrocephalus."}),  # no 'a mass'
        ("No, the cells show no atypia or mitotic figures.", "Is there nuclear atypia?",
         {"Yes, the cells show atypia but no mitotic figures."}),
        ("Yes, intravenous contrast was given, as shown by enhancement of the aorta.",
         "Was IV contrast given?", {"No, no intravenous contrast was given."}),  # no evidence left
    ],
)  # fmt: skip
def test_plants_read_phrases_sides_counts_and_linked_words(response, question, planted):
    assert plants(response, question) == planted


@pytest.mark.parametrize(
    "response,question,reference,planted",
    [
        ("This image shows the abdominal region.", "Which part of the body is this?", "Abdomen",
         {"This image shows the thoracic region.", "This image shows the pelvic region."}),
        ("This is a pelvic CT.", "Which part of the body is shown?", "Pelvis",
         {"This is an abdominal CT."}),
        ("The image shows liver cancer.", "Which organ is abnormal?", "Liver",
         {None}),  # not 'spleen cancer'
        ("The liver is enlarged, in keeping with hepatomegaly.", "Which organ is enlarged?",
         "Liver", {"The spleen is enlarged, in keeping with splenomegaly."}),
        ("The spleen is massively enlarged, consistent with splenomegaly.",
         "What is the abnormality?", "Splenomegaly",
         {"The liver is massively enlarged, consistent with hepatomegaly."}),
        ("The liver is cirrhotic.", "Which organ is abnormal?", "Liver",
         {None}),  # not 'the spleen is cirrhotic'
        ("There is a stone in the left kidney.", "Where is the stone?", "Left kidney",
         {"There is a stone in the left ureter.",
          "There is a stone in the right kidney."}),  # not 'in the left adrenal gland'
        ("It is a percutaneous cholecystostomy tube, its pigtail coiled in the gallbladder lumen.",
         "Which organ contains the drain?", "Gallbladder", {None}),  # no 'pancreas lumen'
    ],
)  # fmt: skip
def test_an_organ_is_planted_with_the_words_only_it_has(response, question, reference, planted):
    assert plants(response, question, reference) == planted


def test_a_kind_of_necrosis_or_a_cell_is_planted_as_another_and_judged_so():
    """Necrosis is coagulative, liquefactive, caseous, fat or fibrinoid: another named kind is
    an error, unless the sentence goes on to describe the old one. Neutrophils, lymphocytes,
    eosinophils and plasma cells are cells of one family. An entity the lexicon lacks, said
    first, is what the answer claims; a known cell after it is only its setting."""
    question, reference = "What is the pattern of necrosis?", "caseous necrosis"
    assert plants("The pattern is caseous necrosis.", question, reference, seeds=20) == {
        f"The pattern is {k} necrosis." for k in ("coagulative", "liquefactive", "fat", "fibrinoid")
    }
    assert not is_right("Fat necrosis is seen.", reference, question)
    node = "Focal caseous necrosis is present in the lymph node."
    assert clinical_edit(node, "coagulative necrosis", "What is present in the lymph node?") == (
        "Focal coagulative necrosis is present in the lymph node."  # the kind word alone
    )
    brain = "Caseous necrosis, leaving a cavity filled with debris and foamy macrophages."
    assert clinical_edit(brain, "liquefactive necrosis", "What necrosis is in this infarct?") == (
        "Liquefactive necrosis, leaving a cavity filled with debris and foamy macrophages."
    )  # the cavity and the foamy macrophages describe the liquefactive kind
    described = "Coagulative necrosis with preserved cell outlines is present."  # its evidence goes
    assert plants(described, question, "coagulative necrosis", seeds=20) == {
        f"{k.capitalize()} necrosis is present."
        for k in ("caseous", "liquefactive", "fat", "fibrinoid")
    }
    caseating = plants("Caseating necrosis is present.", question, "caseous necrosis", seeds=20)
    assert caseating - {"No caseating necrosis is present."} == {  # caseating: the caseous kind
        f"{k.capitalize()} necrosis is present."
        for k in ("coagulative", "liquefactive", "fat", "fibrinoid")
    }
    cells = plants("Sheets of plasma cells are seen.", "What cells are seen?", "plasma cells")
    assert cells == {
        f"Sheets of {c} are seen." for c in ("lymphocytes", "neutrophils", "eosinophils")
    }
    assert not is_right("Numerous eosinophils are present.", "plasma cells", "What cells are seen?")
    dermis = plants("There is a dense lymphocytic infiltrate in the dermis.", "What is seen?",
                    "lymphocytic infiltrate", seeds=20)  # fmt: skip
    assert dermis and not any(p and ("consolidation" in p or "atelectasis" in p) for p in dermis)
    infiltrate = "The infiltrate is composed mainly of lymphocytes."
    assert clinical_edit(infiltrate, "neutrophils", "What cells make up the infiltrate?") == (
        "The infiltrate is composed mainly of neutrophils."
    )
    hodgkin = "Reed-Sternberg cells are seen in a background of lymphocytes."
    assert clinical_edit(hodgkin, "granulomas", "What is present?") != (
        "Reed-Sternberg cells are seen in a background of granulomas."
    )


def test_a_phrase_the_lexicon_lacks_is_read_from_the_question():
    answer = "The tumor invades the submucosa, but there is no invasion of the muscularis propria."
    question = "Is there invasion of the muscularis propria?"
    assert judge(answer, "yes", question).why == "polarity"
    assert clinical_edit(answer, "yes", question) == (
        "The tumor invades the submucosa, and there is invasion of the muscularis propria."
    )
    assert judge("The lesion has features that may be malignant.", "yes",
                 "Is this lesion malignant?").right is None  # fmt: skip


def test_a_report_reads_masks_devices_and_sizes_of_other_things():
    masked = "Heart size normal. XXXX XXXX of the thoracic spine."
    assert is_right("Heart size is normal. Degenerative changes of the thoracic spine.", masked)
    tube = "FINDINGS: Nasogastric tube with tip in the stomach. No pleural effusion."
    wrong = "FINDINGS: A nasogastric tube is seen with its tip in the esophagus. No effusion."
    assert judge(wrong, tube) == clinical.Verdict(False, "contradicts:enteric tube")
    right = "FINDINGS: A nasogastric tube is seen with its tip in the stomach. No effusion."
    assert explain_edit(wrong, tube) == (right, "corrected")  # the tip's place, moved
    shift = "There is a large right pneumothorax with mild leftward mediastinal shift. No effusion."
    assert clinical_edit("There is a small right apical pneumothorax. No effusion.", shift) == (
        "There is a large right apical pneumothorax. No effusion."
    )
    assert plants("The right middle lobe is affected.", "Which lung?", "right") == {
        "The lingula is affected."
    }


def test_a_denial_in_a_correction_says_what_the_reference_says():
    reference = "FINDINGS: Right upper lobe pneumonia. No pleural effusion."
    answer = "FINDINGS: Right upper lobe pneumonia. Small left pleural effusion."
    assert clinical_edit(answer, reference) == (
        "FINDINGS: Right upper lobe pneumonia. No pleural effusion."
    )


# ------------------------------------------------------------------------ the precision guards


def test_every_guard_is_named_and_counts_what_it_refuses():
    assert [g.__name__ for g in clinical.GUARDS] == [
        "number_agreement", "negation_scope", "modality_words", "self_contradiction",
        "report_sentence", "denial_form", "laterality", "signal_words",
        "stated_evidence", "either_asserted"]  # fmt: skip
    before = clinical.GUARD_REFUSALS["number_agreement"]
    assert clinical.guard("Two rib fractures are present.", "One rib fractures are present.") == (
        "number_agreement"
    )
    assert clinical.GUARD_REFUSALS["number_agreement"] == before + 1


def test_plants_and_verdicts_read_as_a_radiologist_would_write_them():
    spleen = "The spleen may be partially visible, but it is hard to tell."
    assert clinical.judge(spleen, "Yes", "Does the picture contain spleen?").right is None
    mr = "This image was acquired with MR imaging."  # an acronym is no capital to copy
    assert plants(mr, "What imaging modality was used?", "MRI") == {
        "This image was acquired with computed tomography."
    }
    effusion = "Yes, there is a pleural effusion, but no pneumothorax is seen."
    assert plants(effusion, "Is there a pleural effusion?", "Yes") == {
        "No, there is no pleural effusion, and no pneumothorax is seen."  # two denials: and
    }
    listed = "There is no acute fracture or subluxation; the joint spaces are preserved."
    refused = {(None, "guard_either_asserted"), (None, "guard_stated_evidence")}  # both guards
    assert explain_edit(listed, "Yes", "Is there a fracture?") in refused
    known = "There is no acute fracture or dislocation; the joint spaces are preserved."
    assert explain_edit(known, "Yes", "Is there a fracture?")[0] == (
        "There is an acute fracture but no dislocation; the joint spaces are preserved."
    )  # both read: the list is split
    cancer = plants("The picture shows lung cancer, seen as a mass in the lung.", "What is shown?",
                    "Lung cancer")  # fmt: skip
    assert not any(p and "no lung cancer" in p for p in cancer)  # no denial answers 'what'
    healed = "This image shows a healed myocardial infarction with dense collagenous scar."
    assert not is_right(healed, "acute myocardial infarction", "What does this image show?")


@pytest.mark.parametrize(
    "answer,reference,right",
    [
        ("The left anterior cerebral artery is occluded.", "Left middle cerebral artery", False),
        ("The left middle cerebral artery is occluded.", "Left middle cerebral artery", True),
        ("The mass is in the posterior mediastinum.", "Anterior mediastinum", False),
        ("The mass is in the anterior mediastinum.", "Anterior mediastinum", True),
    ],
)
def test_another_part_of_the_same_organ_is_wrong(answer, reference, right):
    """A cerebral artery or a mediastinal compartment for another is wrong, and corrected word
    for word where the lexicon knows the parts."""
    assert is_right(answer, reference, "Where is it?") is right
    fixed = answer.replace("anterior cerebral", "middle cerebral").replace("posterior", "anterior")
    assert explain_edit(answer, reference, "Where is it?") == (
        (answer, "right") if right else (fixed, "corrected")
    )


def test_a_second_experts_verdict_counts_a_plant_the_first_did_not_list(tmp_path, capsys):
    answer = "There is a left pleural effusion."
    case = {"id": "x-1", "class": "reports", "question": "Describe the findings.",
            "reference": "FINDINGS: Left pleural effusion.", "answer": answer, "right": True,
            "outcomes": ["plant"],
            "plant_variants": {answer: ["There is a right pleural effusion."]}}  # fmt: skip
    pair = {"chosen": answer, "rejected": "There is no pleural effusion."}
    assert pair_quality.plant_problem(case, pair)
    assert pair_quality.plant_problem(case | {"_adjudicated": {"There is no pleural effusion"}},
                                      pair) is None  # fmt: skip
    lower = case | {"_adjudicated": {"there is no pleural effusion"}}  # judged as written
    assert pair_quality.plant_problem(lower, pair)
    cases, verdicts = tmp_path / "cases.jsonl", tmp_path / "adjudicated.jsonl"
    cases.write_text(json.dumps(case) + "\n")
    rows = [{"id": "x-1", "planted": p, "accept": True} for p in (
        "There is no pleural effusion.", "There is no left pleural effusion.")]  # fmt: skip
    verdicts.write_text("".join(json.dumps(r) + "\n" for r in rows))
    pair_quality.main([str(cases), "--seeds", "8"])
    strict = capsys.readouterr().out
    pair_quality.main([str(cases), "--seeds", "8", "--adjudications", str(verdicts)])
    judged = capsys.readouterr().out
    overall = [line.split() for text in (strict, judged) for line in text.splitlines()
               if line.startswith("overall")]  # fmt: skip
    assert int(overall[1][3]) > int(overall[0][3])  # more plants accepted with the verdicts
    assert "no expert has judged" in strict  # the unlisted plants are counted apart too
    refused = case | {"_refused": {"There is no pleural effusion"}}
    problem = pair_quality.plant_problem(refused, pair)
    assert "refused" in problem and not pair_quality.unjudged(problem)
    assert pair_quality.unjudged(pair_quality.plant_problem(case, pair))


def test_an_expected_phrase_is_matched_as_words_or_the_stem_an_annotator_cut():
    says = pair_quality._says
    assert says("The mucosa is ulcerated.", "ulcerat") and says("with ulceration", "ulcerat")
    assert says("patchy infiltrates", "infiltrat") and says("Small effusions.", "effusion")
    assert not says("A lymph node.", "no") and not says("Normal lungs.", "no")
    assert not says("The lungs are clear.", "lung is")  # a short word is whole or plural only
    assert says("A left-sided effusion.", "left") and not says("The cleft lip.", "left")


def test_a_side_given_only_as_the_image_shows_it_is_unsure():
    image = "The effusion is on the left side of the image."
    assert clinical.judge(image, "left", "Which side is the effusion on?").right is None
    assert explain_edit(image, "right", "Which side is the effusion on?") == (None, "image_side")
    both = "The effusion is on the right side of the image, corresponding to the patient's left."
    assert is_right(both, "left", "Which side is the effusion on?")
    asked = "The lesion is on the left side of the image."
    assert is_right(asked, "left", "Which side of the image is the lesion on?")


def test_a_turned_claim_leaves_nothing_it_asks_about_intact():
    answer = "No, there is no fracture; the distal radius and ulna appear intact."
    question = "Is there a fracture of the distal radius?"
    assert explain_edit(answer, "yes", question)[0] is None  # the radius would stay intact
    right = "No, there is no fracture; the femur is intact."
    assert plants(right, "Is there a fracture of the femur?", "no") == {None}
    other = "The hip joint is preserved, but no fracture is identified."  # not what it asks
    assert clinical_edit(other, "yes", "Is there a fracture?") == (
        "The hip joint is preserved, and a fracture is identified."
    )


@pytest.mark.parametrize(
    "answer,edited,refused",
    [
        (
            "This is a contrast-enhanced CT of the chest.",
            "This is a contrast-enhanced ultrasound of the chest.",
            True,
        ),
        (
            "A portable chest radiograph shows the lines.",
            "A portable chest CT shows the lines.",
            True,
        ),
        ("Transabdominal ultrasound of the pelvis.", "Transabdominal MRI of the pelvis.", True),
        ("This is a plain radiograph of the knee.", "This is a plain CT of the knee.", True),
        (
            "This is a contrast-enhanced CT of the chest.",
            "This is a contrast-enhanced MRI of the chest.",
            False,
        ),
        ("Non-contrast CT of the head.", "Non-contrast MRI of the head.", False),
        ("This is a CT of the abdomen.", "This is an ultrasound of the abdomen.", False),
    ],
)
def test_a_modality_keeps_no_word_said_of_another(answer, edited, refused):
    assert (clinical.guard(answer, edited) == "modality_words") is refused


@pytest.mark.parametrize(
    "answer,edited,refused",
    [
        # the old claim's evidence left beside another kind of claim
        (
            "There is an epidural hematoma over the right frontal lobe, with a lentiform shape.",
            "There is a subdural hematoma over the right frontal lobe, with a lentiform shape.",
            True,
        ),
        (
            "A chest tube is seen, with its tip at the right apex.",
            "An endotracheal tube is seen, with its tip at the right apex.",
            True,
        ),
        (
            "Yes, the heart is enlarged, with a cardiothoracic ratio of 0.6.",
            "No, the heart is not enlarged, with a cardiothoracic ratio of 0.6.",
            True,
        ),
        (
            "Marked cytologic atypia and frequent mitoses indicate a malignant neoplasm.",
            "Marked cytologic atypia and frequent mitoses indicate a benign neoplasm.",
            True,
        ),
        (
            "The lesion is anechoic with posterior acoustic enhancement, consistent with a cyst.",
            "The lesion is anechoic with posterior acoustic enhancement, consistent with a mass.",
            True,
        ),
        (
            "A 2 cm nodule is seen in the left upper lobe; recommend CT for further evaluation.",
            "No nodule is seen in the left upper lobe; recommend CT for further evaluation.",
            True,
        ),
        # a side, a degree or a count alone; a clause naming only findings; a lead-in
        (
            "There is a right pleural effusion with a meniscus sign.",
            "There is a left pleural effusion with a meniscus sign.",
            False,
        ),
        (
            "There is a small pneumothorax with a visible pleural line.",
            "There is a large pneumothorax with a visible pleural line.",
            False,
        ),
        (
            "There is a left pleural effusion with adjacent atelectasis.",
            "There is a left pneumothorax with adjacent atelectasis.",
            False,
        ),
        ("The image was acquired with ultrasound.", "The image was acquired with CT.", False),
        (
            "The mucosa shows chronic inflammation without dysplasia.",
            "The mucosa shows chronic inflammation with dysplasia.",
            False,
        ),
        (
            "No, there is no fracture; the tibial plateau is well aligned.",
            "Yes, there is a fracture; the tibial plateau is well aligned.",
            False,
        ),
    ],
)
def test_stated_evidence_guard(answer, edited, refused):
    for plant in (False, True):
        verdict = clinical.guard(answer, edited, plant=plant)
        assert (verdict == "stated_evidence") is refused, (verdict, plant)


@pytest.mark.parametrize(
    "text,problem",
    [
        ("One rib fractures are present.", "fractures:singular"),
        ("One rib fracture is present.", ""),
        ("There is a small bilateral pleural effusion.", "pleural effusion:plural"),
        ("There are small bilateral pleural effusions.", ""),
        ("There are two cyst in the left kidney.", "cyst:plural"),
        ("Two nodules is present.", "nodules:is"),
        ("The left kidneys are enlarged.", "kidneys:singular"),
        ("Both kidneys are enlarged.", ""),
        ("The liver and spleen are enlarged.", ""),
        ("There is a cholelithiasis.", "cholelithiasis:article"),
        ("The finding is multiple nodules.", ""),
    ],
)  # fmt: skip
def test_number_agreement_reads_count_determiner_side_and_verb(text, problem):
    assert phrases.agreement_problem(text, [(0, len(text))]) == problem


def test_a_count_changed_to_one_takes_its_noun_and_verb_along():
    assert plants("Two rib fractures are present.", "How many ribs are fractured?", "2") == {
        "One rib fracture is present."}  # fmt: skip
    assert plants("Two metastases are present in the liver.", "How many metastases?", "2") == {
        "One metastasis is present in the liver.",
        "Three metastases are present in the liver.",
    }
    assert plants("Pneumothoraces are present in both lungs.", "Where is it?", "bilateral") == {
        "A pneumothorax is present in the left lung.",
        "A pneumothorax is present in the right lung."}  # fmt: skip
    fixed = clinical_edit("FINDINGS: There is a small left pleural effusion. No pneumothorax.",
                          "FINDINGS: Bilateral pleural effusions. No pneumothorax.")  # fmt: skip
    assert fixed == "FINDINGS: There are small bilateral pleural effusions. No pneumothorax."


def test_no_plant_inside_a_true_negation_or_a_hedge():
    negated = "No, there is no midline shift to the left."
    assert clinical.guard(negated, negated.replace("left", "right"), "no", plant=True) == (
        "negation_scope"
    )
    assert clinical.guard(negated, "Yes, there is midline shift to the left.", plant=True) is None
    hedged = "Small right effusion and possible left atelectasis."
    assert clinical.guard(hedged, hedged.replace("left", "right"), plant=True) == "negation_scope"
    shift = "Yes, there is midline shift to the left."  # a denial drops its direction
    assert plants(shift, "Is there midline shift?", "yes") == {"No, there is no midline shift."}
    assert clinical.guard(shift, "No, there is no midline shift to the left.", plant=True) == (
        "negation_scope"
    )
    hedged = plants("There is a mass in the right kidney, suggestive of renal cell carcinoma.",
                    "Is there a mass?", "yes")  # fmt: skip
    assert hedged <= {None, "There is no mass in the right kidney."}  # the diagnosis goes whole
    features = "Reed-Sternberg cells are present, with bilobed nuclei and prominent nucleoli."
    denied = "No Reed-Sternberg cells are present, with bilobed nuclei and prominent nucleoli."
    assert clinical.guard(features, denied, plant=True) == "denial_form"  # features of nothing
    answered = "No, " + denied[0].lower() + denied[1:]  # the features still describe them
    assert clinical.guard(features, answered, plant=True) in ("denial_form", "stated_evidence")


@pytest.mark.parametrize(
    "answer,reference,question",
    [
        ("A small right pleural effusion cannot be completely excluded.", "yes", "Effusion?"),
        ("No definite effusion; a small one can't be excluded.", "no", "Is there an effusion?"),
        ("No pneumothorax is seen; a tiny apical one cannot be ruled out.", "no", "Pneumothorax?"),
        (
            "No displaced fracture; a subtle fracture is not ruled out.",
            "no",
            "Is there a fracture?",
        ),
        ("A pneumothorax is not excluded.", "no", "Is there a pneumothorax?"),
        ("Possible small left effusion.", "yes", "Is there a pleural effusion?"),
        ("Pneumothorax is likely.", "yes", "Is there a pneumothorax?"),
        ("Probable right lower lobe pneumonia.", "yes", "Is there pneumonia?"),
        ("The right basilar opacity is worrisome for pneumonia.", "yes", "Is there pneumonia?"),
        ("The appearance is concerning for malignancy.", "yes", "Is there a tumor?"),
        ("Findings are equivocal for pneumonia.", "yes", "Is there pneumonia?"),
        ("The opacity is indeterminate.", "yes", "Is there an opacity?"),
        ("Cardiomegaly cannot be determined on this view.", "yes", "Is there cardiomegaly?"),
        ("A pancreatic mass is difficult to assess on this image.", "yes", "Is there a mass?"),
        ("The lesion may represent a cyst.", "cyst", "What is the lesion?"),
        ("This is suggestive of pneumonia.", "pneumonia", "What is the diagnosis?"),
        ("The lesion most likely represents an abscess.", "abscess", "What is it?"),
        ("Left basilar atelectasis vs. early pneumonia.", "atelectasis", "What is it?"),
        ("Either an abscess or a necrotic tumor.", "abscess", "What is it?"),
    ],
)
def test_a_hedged_claim_about_the_asked_finding_is_unsure(answer, reference, question):
    assert judge(answer, reference, question).right is None


@pytest.mark.parametrize(
    "answer,reference,question",
    [
        ("There is no pleural effusion on either side.", "no", "Is there a pleural effusion?"),
        ("There is no evidence of either a pneumothorax or an effusion.", "no", "Pneumothorax?"),
        ("No pneumothorax. Possible small left pleural effusion.", "no", "Pneumothorax?"),
        ("Yes, there is a nodule of uncertain significance.", "yes", "Is there a nodule?"),
    ],
)
def test_a_hedge_about_something_else_leaves_the_claim_sure(answer, reference, question):
    assert judge(answer, reference, question).right is True


def test_a_modality_agrees_with_the_words_only_it_uses():
    assert plants("MR with gadolinium contrast.", "What is the modality?", "mri") == {
        "CT with iodinated contrast."}  # fmt: skip
    flair = plants("This is an MRI; the lesion is bright on FLAIR.", "What modality?", "MRI")
    assert flair == {None}  # a sequence apart from the modality stays, and says MRI
    after = plants("This is a T1-weighted MRI after gadolinium.", "What modality?", "MRI")
    assert after == {"This is a CT after iodinated contrast."}  # its sequence and agent go too
    brain = plants("This is a T2-weighted MRI of the brain.", "What modality?", "MRI")
    assert brain == {"This is a CT of the brain."}  # never 'a T2-weighted CT'
    assert plants("This is an ultrasound showing a hypoechoic lesion.", "Modality?", "US") == {None}
    assert clinical.guard("CT with contrast.", "CT with gadolinium contrast.") == "modality_words"
    assert explain_edit("This is a T2-weighted MRI of the brain.", "CT", "Modality?") == (
        None, "guard_modality_words")  # fmt: skip


def test_an_edit_never_makes_a_sentence_contradict_itself():
    answer = "No granulomas are identified; the tissue shows only fibrosis."
    assert plants(answer, "Are there granulomas?", "no") == {
        "Granulomas are identified; the tissue shows fibrosis."}  # fmt: skip
    only = "Granulomas are identified; the tissue shows only fibrosis."
    assert clinical.guard(answer, only, plant=True) == "self_contradiction"
    sides = "The nodule is in the left lung, not the right lung."
    assert clinical.guard(sides, sides.replace("left", "right"), plant=True) == (
        "self_contradiction"
    )
    assert clinical_edit("This image shows a benign lymph node with reactive follicular "
                         "hyperplasia.", "metastatic carcinoma", "What does this image show?") == (
        "This image shows a lymph node with a metastatic carcinoma.")  # fmt: skip


def test_a_report_plant_is_a_sentence_the_reference_shows_wrong():
    report = "FINDINGS: Clear lungs. No focal consolidation, effusion, or pneumothorax."
    bare = "FINDINGS: Clear lungs. Consolidation."
    assert clinical.guard(report, bare, report, plant=True) == "report_sentence"
    answer = "FINDINGS: Portable AP view. No focal consolidation, pleural effusion, or " + (
        "pneumothorax. The cardiac silhouette is normal in size.")  # fmt: skip
    reference = "Single AP view. No focal consolidation. Heart size is normal."
    listed = {
        f"FINDINGS: Portable AP view. Focal consolidation in the {side} lower lobe but no pleural "
        "effusion or pneumothorax. The cardiac silhouette is normal in size."
        for side in ("right", "left")
    }
    found = plants(answer, "", reference)
    assert found == {answer.replace("normal in size", "enlarged"), *listed}


def test_a_new_denial_names_its_finding_plainly():
    enlarged = "The chest radiograph shows an enlarged heart."
    denied = "The chest radiograph shows no enlarged heart."
    assert clinical.guard(enlarged, denied, "Cardiomegaly", plant=True) == "denial_form"
    sized = "There is a small pleural effusion."
    assert clinical.guard(sized, "There is no small pleural effusion.") == "denial_form"
    summary = "IMPRESSION: Cardiomegaly without acute cardiopulmonary process."
    wrong = "IMPRESSION: No cardiomegaly without acute cardiopulmonary process."
    assert clinical.guard(summary, wrong) == "denial_form"
    effect = "Yes, there is mass effect with effacement of the adjacent sulci."
    no_effect = "No, there is no mass effect with effacement of the adjacent sulci."
    assert clinical.guard(effect, no_effect, "no", plant=True) == "denial_form"
    shift = "Yes, there is a pneumothorax, with no mediastinal shift."
    no_shift = "No, there is no pneumothorax, with no mediastinal shift."
    assert clinical.guard(shift, no_shift, "No") is None
    assert clinical.guard("The heart is enlarged.", "The heart is not enlarged.") is None
    assert clinical.guard("There is a pleural effusion.", "There is no pleural effusion.") is None


def test_an_mr_weighting_takes_the_fluids_look_along_and_no_other_look():
    """T1: fluid is dark; T2: bright. A weighting turned takes the look of the CSF with it; a
    look of something else (a hyperintense lesion) cannot be made to agree: refused."""
    question = "What is the MR weighting?"
    answer = "This is a T2-weighted image, with bright CSF."
    assert clinical_edit(answer, "T1", question) == "This is a T1-weighted image, with dark CSF."
    lesion = "This is a T2-weighted image showing a hyperintense lesion."
    assert explain_edit(lesion, "T1", question) == (None, "guard_signal_words")
    assert clinical_edit("This is a T2-weighted image.", "T1", question) == (
        "This is a T1-weighted image."
    )
    assert plants("This is a T2-weighted image, as the CSF appears bright.", question, "T2") == {
        "This is a T1-weighted image, as the CSF appears dark."
    }
    denied = "No, this is not a T1-weighted image; the cerebrospinal fluid appears bright."
    assert plants(denied, "Is this a T1 weighted image?", "No") == {
        "Yes, this is a T1-weighted image; the cerebrospinal fluid appears dark."
    }
    unsaid = "Yes, this is a T1-weighted image, since the cerebrospinal fluid is dark."
    assert clinical_edit(unsaid, "No", "Is this a T1 weighted image?") is None  # then what is it?


def test_a_short_answer_naming_a_finding_is_not_planted_as_its_denial():
    planted = plants("Pneumothorax.", "What is the abnormality?", "pneumothorax")
    assert not any(p and p.lower().startswith("no") for p in planted)
    # To an open question a denial is the last resort: another finding first, else the denial.
    assert plants("There is a pneumothorax.", "What is the abnormality?", "pneumothorax") == {
        "There is a pleural effusion."
    }
    heart = plants(
        "The cardiac silhouette is enlarged.", "What is the abnormality?", "cardiomegaly"
    )
    assert heart == {"The cardiac silhouette is not enlarged."}  # no other finding to name
    # A question asking for a kind is never answered by a denial, which names none.
    giant = plants(
        "The granuloma contains Langhans giant cells.",
        "What type of giant cells are present in the granuloma?",
        "Langhans giant cells",
    )
    assert giant and not any(" no " in p for p in giant)


def test_a_side_corrected_in_a_report_is_corrected_everywhere():
    """A finding's side and the side the report calls clear turn together; the side of a clear
    lung is never planted (the report's own finding lies on the other)."""
    reference = "FINDINGS: Large right pleural effusion. The left lung is clear."
    answer = "FINDINGS: Large left pleural effusion. The right lung is clear."
    assert explain_edit(answer, reference) == (reference, "corrected")
    assert not is_right("FINDINGS: Large right pleural effusion. The right lung is clear.",
                        reference)  # fmt: skip
    assert explain_edit(answer, "FINDINGS: Large right pleural effusion.")[0] is None
    assert not any(p and "The left lung is clear" not in p for p in plants(reference, seeds=12))
    reference = "FINDINGS: Right lower lobe consolidation. No pneumothorax."
    answer = "FINDINGS: Left lower lobe consolidation. No pneumothorax."
    assert clinical_edit(answer, reference) == reference


@pytest.mark.parametrize(
    "answer,chosen",
    [
        (
            "The heart is normal. There is a 2 cm nodule in the right upper lobe.",
            "The heart is normal. There is no nodule in the right upper lobe.",
        ),
        (
            "The heart is normal. A 1.5 cm nodule is seen in the left lower lobe.",
            "The heart is normal. No nodule is seen in the left lower lobe.",
        ),
        (
            "The heart is normal. There is a small 8 mm nodule in the right upper lobe.",
            "The heart is normal. There is no nodule in the right upper lobe.",
        ),
    ],
)
def test_a_hallucinated_finding_is_denied_without_its_size(answer, chosen):
    reference = "FINDINGS: Heart size normal. Lungs are clear. No pneumothorax. IMPRESSION: Normal."
    assert clinical_edit(answer, reference, "Describe the findings of this chest X-ray.") == chosen


def test_a_report_plant_stays_in_the_findings_not_the_impression():
    report = "FINDINGS: Small right pleural effusion. No pneumothorax. " + (
        "IMPRESSION: Small right pleural effusion.")  # fmt: skip
    for planted in plants(report):
        assert planted and planted.endswith("IMPRESSION: Small right pleural effusion.")


def test_a_report_offering_alternatives_is_unsure():
    reference = "FINDINGS: The catheter tip is in the SVC. No pneumothorax."
    answer = "FINDINGS: The catheter tip is in the SVC or right atrium. No pneumothorax."
    assert judge(answer, reference).right is None
    assert explain_edit(answer, reference)[0] is None
    assert is_right("FINDINGS: The catheter tip is in the SVC. No pneumothorax or effusion.",
                    reference)  # fmt: skip


def test_a_report_is_unsure_where_the_reference_states_what_no_rule_reads():
    """A sentence of the reference with no finding the lexicon knows is compared word by word: the
    answer lacking its words (another operation) or calling unsure what it cannot read is no
    right report, so no plant is made; the words every report uses, paraphrases and denials stay."""
    clips = ("FINDINGS: Heart size is normal. The lungs are clear. Surgical clips in the left "
             "upper quadrant, consistent with prior splenectomy. IMPRESSION: No acute "
             "cardiopulmonary process.")  # fmt: skip
    other = ("FINDINGS: The heart is normal in size. The lungs are clear. Surgical clips project "
             "over the left upper quadrant from a prior nephrectomy. IMPRESSION: No acute "
             "cardiopulmonary process.")  # fmt: skip
    assert judge(other, clips).right is None
    assert medpo.pair_outcome(other, clips, "Describe the findings.")[0] is None
    band = ("FINDINGS: A gastric band projects over the left upper quadrant. The lungs are clear. "
            "No pleural effusion. IMPRESSION: No acute process.")  # fmt: skip
    unsure = ("FINDINGS: A curvilinear metallic density over the left upper quadrant is of "
              "uncertain significance. The lungs are clear. No pleural effusion. "
              "IMPRESSION: No acute process.")  # fmt: skip
    assert judge(unsure, band).right is None
    wires = ("FINDINGS: Status post median sternotomy with intact sternal wires. Lungs are clear. "
             "IMPRESSION: No acute process.")  # fmt: skip
    denied = (
        "FINDINGS: No sternotomy wires are seen. Lungs are clear. IMPRESSION: No acute process."
    )
    assert judge(denied, wires).right is None
    said = ("FINDINGS: PA and lateral views of the chest were obtained. Median sternotomy wires "
            "are intact. Tortuous thoracic aorta. The lungs are clear. No pleural effusion or "
            "pneumothorax. IMPRESSION: No acute cardiopulmonary disease.")  # fmt: skip
    assert is_right("FINDINGS: Sternotomy wires are present. The aorta shows tortuosity. Lungs are "
                    "clear without effusion or pneumothorax. IMPRESSION: No acute cardiopulmonary "
                    "disease.", said)  # fmt: skip


@pytest.mark.parametrize(
    "answer, question",
    [
        ("No, there is no midline shift; the septum pellucidum remains centered.",
         "Is there midline shift?"),
        ("No, Reed-Sternberg cells are not seen; the infiltrate consists of small mature "
         "lymphocytes.", "Are there Reed-Sternberg cells?"),
        ("No, there are no granulomas; the lymph node shows reactive follicular hyperplasia.",
         "Are granulomas present?"),
    ],
)  # fmt: skip
def test_a_denial_turned_over_leaves_no_evidence_after_a_semicolon(answer, question):
    """What follows a denied claim after a semicolon, in words no rule reads, is its evidence:
    turned over, the answer would assert the claim and keep what argued against it."""
    assert explain_edit(answer, "Yes", question) == (None, "guard_stated_evidence")
    aligned = "No, there is no fracture of the distal radius; alignment is anatomic."
    fixed = "Yes, there is a fracture of the distal radius; alignment is anatomic."
    assert explain_edit(aligned, "Yes", "Is there a fracture of the distal radius?")[0] == fixed


def test_a_plant_leaves_no_comparison_of_sides_or_measure_to_what_it_denies():
    """A comparison of two sides belongs to a finding on both (an effusion denied, or put on one
    side, keeps no 'greater on the right'); a denied large heart keeps no cardiothoracic ratio."""
    ref = "FINDINGS: Moderate bilateral pleural effusions, greater on the right. No pneumothorax."
    answer = ("FINDINGS: There are moderate bilateral pleural effusions, greater on the right. No "
              "pneumothorax.")  # fmt: skip
    planted = plants(answer, "Describe the findings.", ref, seeds=16)
    assert "FINDINGS: There are moderate bilateral pleural effusions, greater on the left. No " \
        "pneumothorax." in planted  # fmt: skip
    for text in planted:
        effusion = text.split(".")[0]
        assert "bilateral" in effusion and " no " not in effusion, text
    heart = "Yes, the heart is enlarged, with a cardiothoracic ratio above 0.5, consistent with " \
        "cardiomegaly."  # fmt: skip
    assert plants(heart, "Is the size of the heart abnormal?", "Yes") == {
        "No, the heart is not enlarged."
    }


def test_a_plant_keeps_no_description_of_what_it_swapped_away():
    """A count of a word the lexicon does not know (dilated veins) is recounted whole; the
    'with' of 'in keeping with' is no evidence to deny; sickle cell anemia is one disease, told by
    its crescent-shaped cells; an astrocytic tumor stays astrocytic (and a glioblastoma called an
    astrocytoma is only less precise); a section showing the zona
    glomerulosa is of an adrenal gland."""
    veins = plants("There are two dilated tortuous veins along the left flank.",
                   "How many veins are dilated?", "2")  # fmt: skip
    assert not any(p and re.search(r"\b(?:one|a) dilated|\bveins? (?:is|are)\b", p) for p in veins)
    film = (
        "The film shows numerous crescent-shaped erythrocytes, in keeping with sickle cell anemia."
    )
    sickle = plants(film, "Which hemoglobinopathy is this?", "Sickle cell anemia")
    assert sickle == {None}
    glioma = plants("This is a glioblastoma, a high-grade astrocytic neoplasm.",
                    "What is the diagnosis?", "Glioblastoma")  # fmt: skip
    assert glioma == {None}  # an astrocytoma is no error: a glioblastoma is one
    adrenal = plants("This is the adrenal gland, with the zona glomerulosa beneath the capsule.",
                     "Which organ is shown?", "Adrenal gland")  # fmt: skip
    assert all("zona" not in text for text in adrenal)
    hcc = plants("This is hepatocellular carcinoma: the cells resemble hepatocytes, grow in broad "
                 "trabeculae and produce bile.", "What is the diagnosis?", "HCC")  # fmt: skip
    assert not any(p and "trabeculae" in p and "hepatocellular" not in p for p in hcc)


def test_a_finding_resolved_only_in_part_is_still_there():
    """'Nearly resolved' and 'not completely resolved' leave a residual finding: a report calling
    it resolved is wrong, one calling it improving is right; suprarenal is adrenal."""
    ref = ("FINDINGS: The left lower lobe consolidation has nearly resolved. No pleural effusion. "
           "IMPRESSION: Improving left lower lobe pneumonia.")  # fmt: skip
    gone = ("FINDINGS: The left lower lobe consolidation has resolved. No pleural effusion. "
            "IMPRESSION: Resolved pneumonia.")  # fmt: skip
    assert judge(gone, ref).right is False
    assert is_right("FINDINGS: The left lower lobe consolidation is improving but has not "
                    "completely resolved. No pleural effusion. IMPRESSION: Improving left lower "
                    "lobe pneumonia.", ref)  # fmt: skip
    assert is_right("The mass arises from the right suprarenal gland.", "Right adrenal gland",
                    "Where does the mass arise from?")  # fmt: skip


def test_no_longer_visible_denies_what_was_seen_before():
    said = "The small left pneumothorax seen on the prior film is no longer visible."
    assert judge(said, "No", "Is there a pneumothorax?").right is True
    assert judge(said, "Yes", "Is there a pneumothorax?").right is False


def test_interval_resolution_denies_what_resolved_and_needs_a_prior_to_speak_of():
    """'Interval resolution of' and 'has cleared' deny a finding; a persistent one is wrong; an
    answer speaking of a finding resolved since a prior study the reference never names is
    unsure (there may have been none)."""
    ref = ("FINDINGS: Interval resolution of the left basilar consolidation. No pleural effusion. "
           "IMPRESSION: Resolved left basilar pneumonia.")  # fmt: skip
    kept = ("FINDINGS: Persistent left basilar consolidation. No pleural effusion. IMPRESSION: "
            "Unchanged left basilar pneumonia.")  # fmt: skip
    assert judge(kept, ref).right is False
    assert is_right("FINDINGS: The left basilar consolidation has cleared. No pleural effusion. "
                    "IMPRESSION: Resolved left basilar pneumonia.", ref)  # fmt: skip
    clear = ("FINDINGS: The lungs are clear. No pleural effusion or pneumothorax. IMPRESSION: No "
             "acute cardiopulmonary process.")  # fmt: skip
    prior = ("FINDINGS: Interval resolution of the right lower lobe atelectasis. The lungs are "
             "clear. No pleural effusion or pneumothorax. IMPRESSION: No acute cardiopulmonary "
             "process.")  # fmt: skip
    assert judge(prior, clear).right is None
    burkitt = ("No, this is not Burkitt lymphoma; the cells are large with abundant cytoplasm and "
               "no starry-sky pattern.")  # fmt: skip
    assert explain_edit(burkitt, "Yes", "Is this Burkitt lymphoma?")[0] is None


def test_another_named_kind_of_the_reference_finding_is_unsure():
    question = "What is seen in the wall of the artery?"
    verdict = judge("The wall shows gummatous necrosis.", "fibrinoid necrosis", question)
    assert verdict == clinical.Verdict(None, "another_kind")
    assert not is_right("The wall shows coagulative necrosis.", "fibrinoid necrosis", question)
    assert is_right("The wall shows fibrinoid necrosis.", "fibrinoid necrosis", question)
    assert is_right("The wall shows necrosis.", "necrosis", question)


def test_an_answer_naming_two_organs_for_which_organ_is_unsure():
    question = "Which organ is abnormal?"
    both = "The mass abuts the liver and arises from the right kidney."
    assert judge(both, "Kidney", question).right is None
    assert is_right("The mass arises from the right kidney.", "Kidney", question)


def test_a_report_with_the_opposite_course_is_wrong_and_turned():
    """Worse where the reference finds it better is wrong, and each course word of its
    sentences turns (worsening of -> improvement of; progressive -> improving)."""
    reference = "FINDINGS: Interval improvement of pulmonary edema. No pneumothorax."
    worse = "FINDINGS: Interval worsening of pulmonary edema. No pneumothorax."
    assert judge(worse, reference) == clinical.Verdict(False, "course")
    assert clinical_edit(worse, reference) == reference
    assert is_right("FINDINGS: Pulmonary edema has improved. No pneumothorax.", reference)
    progressive = ("FINDINGS: The perihilar opacities have worsened, consistent with progressive "
                   "pulmonary edema. IMPRESSION: Worsening pulmonary edema.")  # fmt: skip
    opacities = ("FINDINGS: Interval improvement in the perihilar opacities, consistent with "
                 "decreasing pulmonary edema. No pneumothorax.")  # fmt: skip
    assert clinical_edit(progressive, opacities) == (
        "FINDINGS: The perihilar opacities have improved, consistent with improving pulmonary "
        "edema. IMPRESSION: Improving pulmonary edema."
    )
    resolved = "FINDINGS: Increased right pleural effusion. IMPRESSION: Enlarging right effusion."
    gone = "FINDINGS: The right pleural effusion has resolved. IMPRESSION: Resolved effusion."
    assert clinical_edit(gone, resolved) is None  # resolved has no opposite to write
    severe = "FINDINGS: Moderate pulmonary edema has worsened and is now severe."
    assert clinical_edit(severe, reference) is None  # its grade would change too


@pytest.mark.parametrize(
    "answer, reference, question, expected",
    [
        # a reference word no lexicon term places: right only where the answer says it
        ("There is an arteriovenous malformation with a tangle of vessels.",
         "moyamoya disease", "what is the abnormality?", False),
        ("There is an abdominal aortic aneurysm with surrounding mural thrombus.",
         "aortic dissection", "what is the abnormality?", False),  # another aortic disease
        ("There is a Stanford type A aortic dissection.", "aortic dissection",
         "what is the abnormality?", True),
        ("A hypodense mass is seen in the tail of the pancreas.", "pancreatic head",
         "where is the mass located?", False),  # a part of the pancreas: read (lexicon.PARTS_OF)
        ("The mass is in the head of the pancreas.", "pancreatic head",
         "where is the mass located?", True),
        ("The lesion measures approximately three centimeters.", "3 cm",
         "what is the size of the lesion?", True),
        ("The lesion measures 3 mm.", "3 cm", "what is the size of the lesion?", False),  # 0.3 cm
        ("The lesion measures 30 mm.", "3 cm", "what is the size of the lesion?", True),
        # words that name no claim of their own do not count against the answer
        ("This image belongs to the pelvis.", "Pelvic Cavity",
         "Which part of the body does this image belong to?", True),
        ("This is a coronal CT slice.", "Coronal plane", "In which plane is this image?", True),
        ("The infarct is in the left middle cerebral artery territory.", "left mca",
         "which vascular territory is involved?", True),
        ("Gallbladder distension is present.", "yes", "is the gallbladder distended?", True),
        # a yes/no about a word the lexicon lacks: read only where the answer says it
        ("The mucosa is edematous and friable.", "no", "is the mucosa ulcerated?", None),
        ("The mucosa is intact.", "yes", "is the mucosa ulcerated?", None),  # its subject only
        # how a lesion looks: one look excludes the others, as one side excludes the other
        ("The lesion is hypodense relative to the surrounding parenchyma.", "no",
         "is the lesion hyperdense?", True),
        ("The mass appears hyperattenuating.", "hypodense", "Is the mass hyperdense or hypodense?",
         False),
        ("The nodule is hypoechoic.", "hypoechoic", "What is the echogenicity of the nodule?",
         True),
        ("No, the lesion is not hyperdense.", "no", "is the lesion hyperdense?", True),
        ("Yes, the lesion is hyperdense.", "no", "is the lesion hyperdense?", False),
        ("No.", "yes", "is the lesion hyperdense?", False),
        # a count given in all beside one of each
        ("Two kidneys are visible, one on each side.", "2", "how many kidneys are visible?", True),
        ("There is one nodule in each lung.", "2", "how many nodules are there?", None),
    ],
)  # fmt: skip
def test_the_judge_is_unsure_of_words_it_cannot_place(answer, reference, question, expected):
    assert judge(answer, reference, question).right is expected


TUBE_REPORT = (
    "FINDINGS: Status post right chest tube placement. Small residual right apical pneumothorax. "
    "Right basal atelectasis. IMPRESSION: Small right apical pneumothorax with right chest tube in "
    "place."
)
CLEAR_REPORT = (
    "FINDINGS: Lungs are well expanded and clear. Cardiomediastinal silhouette is normal. No "
    "pleural effusion or pneumothorax. IMPRESSION: No acute cardiopulmonary process."
)


def test_what_the_answer_says_around_the_claim_is_kept_or_the_pair_skipped():
    """A term restated in brackets goes with it; a denial of another one is not a denial of
    the asked one; a report that would assert and deny one finding, or a denial left qualified
    by a 'with' clause, is no chosen answer."""
    q = "in which plane was this image acquired?"
    edited = clinical_edit(
        "This is an axial (transverse) CT slice through the abdomen.", "sagittal", q
    )
    assert edited == "This is a sagittal CT slice through the abdomen."
    femur = "Yes, there is a femur fracture; no other fracture is seen."
    assert judge(femur, "yes", "is there a fracture of the femur?").right is True
    said = (
        "A right-sided chest tube is in place. There is a residual pneumothorax. There is "
        "atelectasis at the right lung base. Impression: Right chest tube in place without "
        "pneumothorax."
    )
    assert judge(said, TUBE_REPORT, "Describe the findings.").right is None
    denied = said.replace("is a residual", "is no residual")  # and again in the impression
    assert clinical_edit(denied, TUBE_REPORT) == (
        "A right-sided chest tube is in place. There is a small right residual pneumothorax. There "
        "is atelectasis at the right lung base. Impression: Right chest tube in place with small "
        "right pneumothorax."
    )  # both denials turned, with the reference's size and side
    pacer = (
        "A left-sided pacemaker is present with leads terminating in the right atrium and right "
        "ventricle. The lungs are well expanded and clear. The cardiomediastinal silhouette is "
        "normal. There is no pleural effusion or pneumothorax. Impression: No acute "
        "cardiopulmonary process; pacemaker in place."
    )
    assert clinical_edit(pacer, CLEAR_REPORT, "Write the findings and impression.") is None


def test_the_judge_reads_another_kind_of_the_asked_finding():
    question = "What type of intracranial hemorrhage is present?"
    answer = "There is an acute subarachnoid hemorrhage."
    assert judge(answer, "subdural hematoma", question).right is False
    assert clinical_edit(answer, "subdural hematoma", question) in {
        "There is an acute subdural hematoma.",
        "There is an acute subdural hemorrhage.",  # the kind word alone: one word changed
    }
    assert plants("A subdural hemorrhage is present.", question, "subdural hematoma", 12) <= {
        "An epidural hemorrhage is present.", "A subarachnoid hemorrhage is present.",
        "No subdural hemorrhage is present."}  # fmt: skip
    biconvex = clinical_edit(
        "There is a biconvex epidural hematoma.", "subdural hematoma", question
    )
    assert biconvex is None or "biconvex" not in biconvex  # its shape goes with the old kind
    assert plants("There is an epidural hematoma.", question, "epidural hematoma", 12) <= {
        "There is a subdural hematoma.", "There is no epidural hematoma."}  # fmt: skip
    assert judge("There is an epidural hematoma.", "subdural hematoma", "What is seen?").right is (
        False  # subdural and epidural: kinds of one ending
    )
    assert judge("There is a vertebral fracture.", "compression fracture", "What is seen?").right
    assert judge("A subdural hemorrhage is present.", "subdural hematoma", question).right
    assert clinical_edit("This is a complex cyst.", "simple cyst", "What kind of cyst?") == (
        "This is a simple cyst."
    )


@pytest.mark.parametrize(
    "response,reference,question,expected",
    [
        ("This is an MRI with gadolinium.", "CT", "What modality?",
         "This is a CT with iodinated contrast."),
        ("There is a gallstone.", "nephrolithiasis", "What is it?", "There is a kidney stone."),
        ("There are multiple kidney stones.", "cholelithiasis", "What is it?",
         "There are multiple gallstones."),
        ("There is a hemangioma in the liver.", "abscesses", "What is seen?",
         "There are abscesses in the liver."),
        ("There is sludge in the gallbladder.", "gallstones", "What is seen?", None),
        ("The cells are cardiac myocytes.", "hepatocytes", "What cells are shown?",
         "The cells are hepatocytes."),
        ("The spleen appears small and atrophic.", "splenomegaly", "What is abnormal?",
         "The spleen appears enlarged."),
        ("The lesion is in the tail of the pancreas.", "liver", "Where is the lesion?",
         "The lesion is in the liver."),
        ("Yes, the heart is enlarged, consistent with cardiomegaly.", "No",
         "Is the heart enlarged?", "No, the heart is not enlarged, without cardiomegaly."),
        ("The node shows reactive changes without metastatic carcinoma.", "yes",
         "Is there metastatic carcinoma?",
         "The node shows reactive changes with metastatic carcinoma."),
        ("No acute cardiopulmonary process. There is no rib fracture.", "yes",
         "Is there a fracture?", "No acute cardiopulmonary process. There is a rib fracture."),
        ("Yes, there is an epidural hematoma.", "yes", "Is there a subdural hematoma?", None),
        ("Liver cells are seen.", "hepatocytes", "What cells are seen?", None),
    ],
)  # fmt: skip
def test_linked_words_go_with_the_claim_they_belong_to(response, reference, question, expected):
    """A modality's contrast agent, a count noun's number, an organ's part, a restated or
    shared denial, the words an answer names its finding with; a skip where no word edit fits."""
    assert clinical_edit(response, reference, question) == expected


# -------------------------------------------------------------------- the expert's cases

CASES = [case for path in CASE_FILES if path.exists() for case in pair_quality.read_cases(path)]
ADJUDICATIONS = [HERE / "test_data" / "adjudications.jsonl"]  # a second expert's verdicts
CASES = pair_quality.adjudicated(CASES, [p for p in ADJUDICATIONS if p.exists()])
KNOWN_MISSES = {  # case id -> why it is a documented miss
    "dev-121": "experts disagree: this one accepts 'No, the image shows no hepatocytes with "
    "abundant eosinophilic cytoplasm.'; two blind ones refuse a denial left qualified by 'with' "
    "(final3-065, final4-067), and precision comes first",
    "dev-118": "experts disagree on a side given only as the image shows it: this one reads 'on "
    "the left side of the image' as the reference's Left; the blind expert of final3-079 reads it "
    "as the patient's right (radiological convention), so the judge is unsure of it",
    "final-015": "a large right pleural effusion -> pneumoperitoneum is 5 words (the editor's "
    "limit is 4); keeping 'large' would break new-077, whose expert forbids it",
    "final-022": "the upper pole of the right kidney -> the right adrenal gland is 6 words (the "
    "editor's limit is 4)",
}
TARGETS = dict(precision=0.97, coverage=0.92, agreement=0.95)  # over all the case files
CLASS_PRECISION = 0.95  # no class below


@functools.cache
def scored(case_id: str) -> dict:
    return pair_quality.score_case(next(c for c in CASES if c["id"] == case_id), seeds=5)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_expert_case(case):
    if case["id"] in KNOWN_MISSES:
        pytest.xfail(KNOWN_MISSES[case["id"]])
    result = scored(case["id"])
    assert result["agrees"], f"judge said {result['judged']}, expert {case['right']}"
    assert result["ok"], result["problems"]


@pytest.mark.skipif(len(CASES) < 3, reason="the case files are not there yet")
def test_targets_over_the_case_files():
    """Precision, coverage and judge agreement over all cases, and precision in each class."""
    assert len({c["id"] for c in CASES}) == len(CASES)
    table = pair_quality.summarize(CASES, 5, lambda case, _: scored(case["id"]))[0]
    for key, target in TARGETS.items():
        assert table["overall"][key] >= target, (key, table["overall"])
    low = {k: t["precision"] for k, t in table.items() if t["precision"] < CLASS_PRECISION}
    assert not low, low


# ------------------------------------------------------------------------- the modules' shape

MODULES = (
    "anatomy",
    "imaging",
    "skeleton",
    "features",
    "diseases",
    "entities",
    "findings",
    "lexicon",
    "cues",
    "claims",
    "unlisted",
    "conflicts",
    "statements",
    "comparisons",
    "sides",
    "kinds",
    "phrases",
    "devices",
    "edits",
    "looks",
    "swaps",
    "slots",
    "candidates",
    "reports",
    "impressions",
    "questions",
    "corrections",
    "evidence",
    "denials",
    "scans",
    "plants",
    "guards",
    "clinical",
)


def test_the_modules_are_small_and_import_one_way():
    """Each module of the judge and editor is at most 620 lines and imports only those before
    it in MODULES (lazy imports count), never medpo, checks, scores or data_prep."""
    for k, name in enumerate(MODULES):
        source = (HERE / f"{name}.py").read_text()
        assert len(source.splitlines()) <= 620, name
        imported = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert not imported & {"medpo", "checks", "scores", "data_prep"}, name
        assert not imported & set(MODULES[k:]), name


def test_lexicon_words_stay_what_the_demo_was_built_on():
    terms = clinical.lexicon_words()
    digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()
    assert len(terms) == 73 and digest.startswith("d1d6a36b3d3c27d8")


# ------------------------------------------------------------------ tube and line positions


@pytest.mark.parametrize(
    "reference, answer, wanted, gone",
    [
        (
            "FINDINGS: The endotracheal tube tip is in the right main bronchus; recommend "
            "withdrawal by 2 cm. Lungs are clear. IMPRESSION: Right main bronchus intubation.",
            "The endotracheal tube terminates 3 cm above the carina, in good position. The lungs "
            "are clear. Impression: Endotracheal tube in good position.",
            "right main bronchus",
            ("3 cm above the carina", "good position"),
        ),
        (
            "FINDINGS: Orogastric tube tip is in the distal esophagus and should be advanced. "
            "No pneumothorax.",
            "An orogastric tube courses below the diaphragm with its tip in the stomach. No "
            "pneumothorax.",
            "in the distal esophagus",
            ("below the diaphragm", "stomach"),
        ),
        (
            "FINDINGS: Right internal jugular central venous catheter tip is in the right atrium. "
            "No pneumothorax.",
            "A right IJ central line is present with the tip at the cavoatrial junction. No "
            "pneumothorax.",
            "in the right atrium",
            ("cavoatrial",),
        ),
        (
            "FINDINGS: Endotracheal tube terminates in the right mainstem bronchus. No effusion.",
            "FINDINGS: Appropriately positioned endotracheal tube, 4 cm above the carina. No "
            "effusion. IMPRESSION: Lines and tubes in satisfactory position.",
            "in the right mainstem bronchus",
            ("appropriately positioned", "satisfactory position"),
        ),
    ],
)
def test_a_tube_tip_elsewhere_is_moved_to_the_reference_site_in_every_sentence(
    reference, answer, wanted, gone
):
    fixed, why = explain_edit(answer, reference)
    assert why == "corrected" and is_right(fixed, reference) and wanted in fixed.lower()
    assert not any(g in fixed.lower() for g in gone)
    assert max(clinical.changes_per_sentence(answer, fixed)) <= 8


def test_a_tube_whose_reference_names_two_sites_is_skipped():
    reference = "FINDINGS: The PICC tip is in the SVC, previously in the right atrium."
    answer = "A left PICC terminates in the stomach."  # no such site: read as elsewhere
    assert explain_edit("A left PICC terminates 2 cm above the carina.", reference)[0] is None
    assert clinical_edit(answer, reference) is None


def test_a_turned_side_leaves_no_old_side_in_its_sentence():
    answer = "The effusion is on the right, with blunting of the right costophrenic angle."
    fixed = clinical_edit(answer, "left", "Which side is the pleural effusion on?")
    assert fixed is None or "right" not in fixed


def test_an_organ_swap_keeps_to_organs_with_the_named_part():
    for planted in plants("The lesion is in the tail of the pancreas.", "Which organ?", "Pancreas"):
        assert planted is None or "tail of the pancreas" in planted or "tail of" not in planted


def test_closed_plants_drop_a_restated_bracket_and_conjugate_have():
    for planted in plants("Yes, this is a computed tomography (CT) scan.", "Is this a CT?", "Yes"):
        assert planted is None or "(CT)" not in planted or "computed tomography (CT)" in planted
    said = plants("The patient does not have a pneumothorax.", "Is there a pneumothorax?", "No")
    assert said == {"The patient has a pneumothorax."}


def test_left_and_right_answer_both_and_an_opacity_named_as_its_finding_is_that_finding():
    question = "Which lung is affected?"
    assert is_right("Opacities are present in the right and left lungs.", "Both", question)
    assert not is_right("The right lung is affected, and the left lung is clear.", "Both", question)
    reference = "FINDINGS: Left lower lobe atelectasis. No pleural effusion."
    answer = "FINDINGS: There is a left retrocardiac opacity, consistent with atelectasis. No "
    assert is_right(answer + "pleural effusion.", reference)
    assert not is_right("FINDINGS: There is a left retrocardiac opacity. No pleural effusion.",
                        "FINDINGS: No acute abnormality. No pleural effusion.")  # fmt: skip


def test_lung_markings_reaching_the_wall_turn_with_a_pneumothorax():
    question = "Is there a pneumothorax?"
    answer = "No, there is no pneumothorax; the lung markings extend to the periphery."
    fixed = clinical_edit(answer, "Yes", question)
    assert (
        fixed == "Yes, there is a pneumothorax; the lung markings do not extend to the periphery."
    )
    back = "Yes, a pneumothorax is present; lung markings do not reach the left apex."
    fixed = clinical_edit(back, "No", question)
    assert (
        fixed is None or fixed.startswith("No,") and fixed.endswith("markings reach the left apex.")
    )
    wall = "No, there is no pneumothorax; lung markings extend to the chest wall bilaterally."
    assert clinical_edit(wall, "Yes", question) in (
        None,  # 5 words changed
        "Yes, there is a pneumothorax; lung markings do not extend to the chest wall bilaterally.",
    )


def test_edema_around_a_brain_lesion_is_the_brains():
    answer = "The lesion is in the right frontal lobe, with surrounding vasogenic edema."
    fixed = clinical_edit(answer, "Right occipital lobe", "Which lobe is the lesion in?")
    assert fixed == "The lesion is in the right occipital lobe, with surrounding vasogenic edema."
    assert is_right("There is brain edema.", "Brain Edema", "What diseases are included?")
    assert not is_right("There is pulmonary edema.", "Brain Edema", "What diseases are included?")


def test_a_tube_in_place_in_the_reference_loses_the_answers_site_and_advice():
    reference = "FINDINGS: Endotracheal tube tip 5 cm above the carina. Lungs are clear."
    tip = "FINDINGS: The endotracheal tube tip is in the right mainstem bronchus"
    for advice in ("; recommend withdrawal by 2 cm.", ". Recommend withdrawal by 2 cm."):
        fixed = clinical_edit(tip + advice + " The lungs are clear.", reference)
        assert fixed is None or "mainstem" not in fixed and "ecommend" not in fixed
    fixed = clinical_edit(tip + ". Recommend withdrawal by 2 cm. The lungs are clear.", reference)
    assert fixed is not None and "5 cm above the carina" in fixed


def test_which_abnormality_unsure_leaves_abnormal_said_plainly():
    question = "Is the liver normal?"
    said = "No, the liver appears abnormal, with possible cirrhosis or fatty infiltration."
    assert is_right(said, "No", question)
    unsure = "Yes, the liver appears normal, although early cirrhosis cannot be excluded."
    assert judge(unsure, "Yes", question).right is None
    wrong = "Yes, the chest radiograph looks normal, with no evidence of consolidation or effusion."
    fixed = clinical_edit(wrong, "No", "Is this chest radiograph normal?")
    assert fixed is not None and fixed.startswith("No") and "abnormal" in fixed
    assert "looks normal" not in fixed and "no evidence" not in fixed


def test_evidence_cut_keeps_a_conclusion_and_what_the_claim_already_says():
    macrophages = ("The alveoli contain hemosiderin-laden macrophages, consistent with chronic "
                   "passive congestion.")  # fmt: skip
    assert without_evidence(macrophages) is None  # 'consistent with' names a diagnosis
    heart = "Yes, there is cardiomegaly, with the cardiac silhouette wider than half the chest."
    assert without_evidence(heart, "Is the heart enlarged?") == "Yes, there is cardiomegaly."
    fat = "This shows fat necrosis, with saponification and ghost outlines of necrotic fat cells."
    planted = plants(fat, "What type of necrosis is seen?", "fat necrosis") - {None}
    assert planted and all(p.endswith("necrosis.") and "fat" not in p for p in planted)


def test_a_claim_turned_over_is_flipped_once_and_a_place_of_a_denial_is_not_denied():
    answer = "No, the liver is not healthy, as there is an abnormal lesion in the liver."
    planted = plants(answer, "Is the liver healthy?", "No") - {None}
    assert planted == {"Yes, the liver is healthy, as there is no abnormal lesion in the liver."}


def test_a_count_spread_over_two_places_changes_with_its_spread():
    question = "How many nodules are seen?"
    spread = plants("Two nodules are seen, one in each lung.", question, "2")
    assert spread == {"One nodule is seen, in the left lung."}
    nodes = "There are three enlarged lymph nodes, all in the left cervical chain."
    nodes = plants(nodes, "How many enlarged lymph nodes are there?", "3", seeds=12)
    assert "There are two enlarged lymph nodes, both in the left cervical chain." in nodes
    assert not any(p and "two" in p and "all" in p for p in nodes)
    both = plants("There are two masses, both in the liver.", "How many masses are there?", "2")
    assert both <= {"There is one mass, in the liver.", "There are three masses, all in the liver."}
    assert both


def test_a_diagnosis_concluded_from_a_located_opacity_is_what_is_replaced():
    answer = "There is a perihilar opacity consistent with right middle lobe pneumonia."
    fixed = clinical_edit(answer, "Hiatal hernia", "What is the abnormality?")
    assert fixed == "There is a perihilar opacity consistent with a hiatal hernia."
    assert is_right("There is a large hiatus hernia.", "Hiatal hernia", "What is seen?")
    assert is_right("Yes, there is a hiatal hernia.", "yes", "Is there a hernia?")
    assert not is_right("Yes, there is a hiatal hernia.", "no", "Is there a hernia?")


def test_a_hallucinated_finding_is_denied_with_the_advice_given_for_it():
    reference = "FINDINGS: Lungs are clear. No effusion. IMPRESSION: No acute disease."
    answer = (
        "FINDINGS: There is a 9 mm nodule in the left lower lobe. No effusion. IMPRESSION: Left "
        "lower lobe nodule; recommend follow-up CT in 3 months."
    )
    fixed = clinical_edit(answer, reference)
    assert fixed is not None and "recommend" not in fixed and is_right(fixed, reference)
    assert fixed.count("no nodule") + fixed.count("No left lower lobe nodule") == 2


def test_a_lobe_named_beside_the_references_is_corrected_in_the_impression_too():
    reference = (
        "FINDINGS: Consolidation in the left upper lobe, consistent with pneumonia. IMPRESSION: "
        "Left upper lobe pneumonia."
    )
    answer = (
        "FINDINGS: There is consolidation in the left lower lobe, consistent with pneumonia. "
        "IMPRESSION: Left lower lobe pneumonia."
    )
    assert clinical_edit(answer, reference) == answer.replace("lower", "upper")
    both = "FINDINGS: Consolidation in the left upper and lower lobes. IMPRESSION: Pneumonia."
    assert not is_right(both, reference)  # one lobe more than the reference's


def test_the_cells_of_an_infiltrate_are_what_a_cell_reference_replaces():
    fixed = clinical_edit("The infiltrate is composed mostly of lymphocytes.", "neutrophils",
                          "What type of cells are present?")  # fmt: skip
    assert fixed == "The infiltrate is composed mostly of neutrophils."


def test_a_part_of_an_organ_is_read_corrected_and_planted():
    question = "Where is the lesion?"
    assert not is_right("The lesion is in the body of the stomach.", "Gastric antrum", question)
    assert is_right("The lesion is in the gastric antrum.", "Antrum of the stomach", question)
    fixed = clinical_edit("There is a lesion in the pancreatic body.", "Pancreatic tail", question)
    assert fixed == "There is a lesion in the pancreatic tail."
    planted = plants(
        "The lesion is in the fundus of the gallbladder.", question, "gallbladder fundus"
    )
    assert planted - {None} <= {"The lesion is in the body of the gallbladder.",
                                "The lesion is in the neck of the gallbladder."}  # fmt: skip
    assert planted - {None}


def test_a_flip_leaves_no_linked_state_or_description_standing():
    answer = "No, there is no fracture. The cortices are intact and the alignment is normal."
    assert clinical_edit(answer, "Yes", "Is there a fracture?") is None  # 'intact' stays
    effusion = "Yes, there is a small right pleural effusion blunting the costophrenic angle."
    fixed = clinical_edit(effusion, "No", "Is there a pleural effusion?")
    assert fixed is None or "blunting" not in fixed
    bodies = "Psammoma bodies are present, appearing as laminated calcifications."
    swapped = plants(bodies, "What is present?", "psammoma bodies") - {None}
    assert swapped and all(p.endswith(" bodies are present.") for p in swapped)  # no laminae
    assert not swapped & {"Psammoma bodies are present.", "Call bodies are present."}
    tube = (
        "FINDINGS: The nasogastric tube is coiled in the esophagus and does not extend below "
        "the diaphragm. No pneumothorax."
    )
    reference = (
        "FINDINGS: Nasogastric tube tip is in the stomach, below the diaphragm. No effusion."
    )
    assert not is_right(tube, reference)  # the diaphragm is a landmark, not the tube's site
    assert clinical_edit(tube, reference) == (
        "FINDINGS: The nasogastric tube is coiled in the stomach. No pneumothorax."
    )


def test_a_tube_moved_to_another_site_loses_its_old_course_but_keeps_its_verb():
    answer = "FINDINGS: An enteric tube extends below the diaphragm into the stomach. No effusion."
    reference = "FINDINGS: Enteric tube in the stomach. No effusion."
    planted = plants(answer, "Describe the findings.", reference, seeds=12) - {None}
    moved = [p for p in planted if "esophagus" in p]
    assert moved == ["FINDINGS: An enteric tube extends into the esophagus. No effusion."]


@pytest.mark.parametrize(
    "answer, reference, question, expected",
    [
        ("There is no pleural effusion or pneumothorax.", "yes", "Is there a pleural effusion?",
         "There is a pleural effusion but no pneumothorax."),
        ("No pneumothorax or pleural effusion.", "yes", "Is there a pleural effusion?",
         "No pneumothorax, but there is a pleural effusion."),
        ("The abdomen shows no free air or ascites.", "yes", "Is there free air?",
         "The abdomen shows free air but no ascites."),
        ("There is no pleural effusion, pneumothorax, or consolidation.", "yes",
         "Is there a pleural effusion?",
         "There is a pleural effusion but no pneumothorax or consolidation."),
        ("There is no pneumothorax, pleural effusion, or consolidation.", "yes",
         "Is there a pleural effusion?",
         "There is a pleural effusion but no pneumothorax or consolidation."),  # put first
        ("There is no pneumothorax, focal consolidation or pleural effusion.", "yes",
         "Is there a pleural effusion?", None),  # 7 words by the word diff: too many to move
        ("The film shows no pneumothorax, pleural effusion, consolidation, or edema.", "yes",
         "Is there a pleural effusion?",
         "The film shows a pleural effusion but no pneumothorax, consolidation, or edema."),
        ("There is no pneumothorax, effusion and consolidation.", "yes", "Is there an effusion?",
         None),  # a list joined by 'and': not read as one
        ("No, the duct tapers smoothly without dilatation, so biliary obstruction is unlikely.",
         "Yes", "Is the common bile duct dilated?", None),  # 'so': no list, the reason would stay
        ("FINDINGS: No pleural effusion or pneumothorax. Heart size is normal.",
         "FINDINGS: Small left pleural effusion. No pneumothorax. Heart size is normal.",
         "Describe the findings.",
         "FINDINGS: Small left pleural effusion but no pneumothorax. Heart size is normal."),
        ("Heart size is normal. No pneumothorax.", "Heart size normal. Moderate left pneumothorax.",
         "Write the report.", "Heart size is normal. Moderate left pneumothorax."),
        ("FINDINGS: No pleural effusion. The heart is normal.",
         "FINDINGS: Small bilateral pleural effusions. The heart is normal.", "Describe.",
         "FINDINGS: Small bilateral pleural effusions. The heart is normal."),  # plural as told
        ("FINDINGS: There is no pleural effusion. The heart is normal.",
         "FINDINGS: Small bilateral pleural effusions. The heart is normal.", "Describe.",
         None),  # 'There is a' would have to turn plural too
        ("FINDINGS: There is no pneumothorax. IMPRESSION: No acute cardiopulmonary process.",
         "FINDINGS: Small right apical pneumothorax. IMPRESSION: Small right pneumothorax.",
         "Describe the findings.", None),  # the impression would still find nothing acute
    ],
)  # fmt: skip
def test_a_finding_denied_in_a_list_is_asserted_alone(answer, reference, question, expected):
    """One finding of a shared denial (no effusion or pneumothorax) asserted, the others still
    denied; in a report with the reference's size and side; never with 'no acute process'
    left standing."""
    assert clinical_edit(answer, reference, question) == expected


@pytest.mark.parametrize(
    "answer, reference, question, expected",
    [
        ("This image shows hepatocellular carcinoma.", "Liver Cancer",
         "What diseases are included in the picture?", True),  # a hepatoma names the liver
        ("The image shows a meningioma.", "Brain Tumor",
         "What diseases are included in the picture?", True),
        ("The image shows an oncocytoma.", "Liver Cancer",
         "What diseases are included in the picture?", False),  # a tumour of the kidney
        ("This is an adenocarcinoma.", "tumor", "What is shown?", True),  # a kind of tumour
        ("This is a lipoma.", "leiomyoma", "What type of tumor is this?", False),
        ("Mallory bodies are present.", "psammoma bodies", "What are present?", False),
        ("Numerous sickled red blood cells are seen.", "sickle cells",
         "What is seen in the smear?", True),
        ("PAS stain highlights the deposits.", "Congo red",
         "Which stain is used to demonstrate the amyloid deposits?", False),
        ("Congo red stain, which shows apple-green birefringence under polarized light.",
         "Congo red", "Which stain is used to demonstrate the amyloid deposits?", True),
        ("A Prussian blue (Perls) stain shows hemosiderin.", "iron stain", "What stain is used?",
         True),
        ("This is a Masson trichrome stain showing fibrosis in blue.", "trichrome",
         "What stain is this?", True),
        ("The organisms are highlighted by a GMS stain.", "acid-fast stain",
         "Which stain highlights the organisms?", False),
        ("This is a Warthin tumor of the parotid gland.", "pleomorphic adenoma",
         "What is the diagnosis?", False),
        ("This is a pleomorphic adenoma (benign mixed tumor).", "pleomorphic adenoma",
         "What is the diagnosis?", True),
        ("The nuclei show grooves and inclusions typical of papillary thyroid carcinoma.",
         "papillary carcinoma", "What is the diagnosis?", True),
        ("This is a follicular adenoma of the thyroid.", "papillary carcinoma",
         "What is the diagnosis?", False),
    ],
)  # fmt: skip
def test_named_entities_are_judged_by_their_family(answer, reference, question, expected):
    assert judge(answer, reference, question).right is expected


def test_named_entities_are_corrected_and_planted_within_their_family():
    tumour = "What type of tumor is this?"
    assert clinical_edit("This is a lipoma.", "leiomyoma", tumour) == "This is a leiomyoma."
    neurons = "Neurofibrillary tangles are seen within the neurons."
    assert clinical_edit(neurons, "Lewy bodies", "What is seen within the neurons?") == (
        "Lewy bodies are seen within the neurons."
    )
    smear = clinical_edit("The smear shows target cells.", "sickle cells", "What is seen?")
    assert smear == "The smear shows sickle cells."
    bodies = plants("Psammoma bodies are present.", "What are present?", "psammoma bodies")
    inclusions = {"Russell", "Mallory", "Schaumann", "Asteroid", "Councilman",
                  "Michaelis-Gutmann", "Call-Exner", "Dutcher", "Civatte"}  # fmt: skip
    swapped = bodies - {None, "No psammoma bodies are present."}  # or its denial
    assert swapped and all(
        p.endswith(" bodies are present.") and p.split(" bodies")[0] in inclusions for p in swapped
    )  # never a neuron's Lewy body in a psammoma body's place
    brain = plants("The tumor is a meningioma.", tumour, "meningioma", seeds=20) - {None}
    assert brain and brain <= {"The tumor is a glioblastoma.", "The tumor is an astrocytoma.",
                               "The tumor is an oligodendroglioma.", "The tumor is an ependymoma.",
                               "The tumor is a medulloblastoma."}  # fmt: skip
    disease = plants("The smear is diagnostic of sickle cell disease.", "What disease?",
                     "sickle cell disease", seeds=10)  # fmt: skip
    assert not any(p and "cell disease" in p and "sickle" not in p for p in disease)


def test_a_sibling_keeps_to_the_host_cell_the_organ_and_the_kind_the_question_gives():
    # Inclusions of hepatocytes: Councilman bodies, never plasma cells' Russell bodies, giant
    # cells' Schaumann bodies, malakoplakia's Michaelis-Gutmann bodies or the ovary's Call-Exner.
    hepatocytes = "What are the eosinophilic inclusions in the hepatocytes?"
    found = plants("These are Mallory-Denk bodies.", hepatocytes, "Mallory bodies", seeds=12)
    assert found == {"These are Councilman bodies."}
    # The question's own description may go with the evidence; what it asks may not.
    long = "These are Mallory-Denk bodies, which are aggregates of keratin within hepatocytes."
    assert plants(long, hepatocytes, "Mallory bodies", seeds=12) == {"These are Councilman bodies."}
    # Multinucleated cells asked: another multinucleated cell, never a koilocyte or foam cell.
    asked = "What are the multinucleated cells with peripherally arranged nuclei?"
    giant = plants("These are Langhans giant cells.", asked, "Langhans giant cells", seeds=12)
    assert giant and giant <= {"These are foreign body giant cells.",
                               "These are Touton giant cells.",
                               "These are Reed-Sternberg cells."}  # fmt: skip
    # Diseases of one organ stand for one another, never a chronic one where 'acute' stays.
    barrett = plants("This image shows Barrett esophagus.", "What does this image show?",
                     "Barrett esophagus", seeds=12)  # fmt: skip
    swapped = barrett - {"This image shows no Barrett esophagus."}  # or its denial, as named
    assert swapped and swapped <= {f"This image shows {d} esophagitis."
                                   for d in ("eosinophilic", "reflux", "Candida")}  # fmt: skip
    possessive = plants("This image shows Barrett's esophagus.", "What does this image show?",
                        "Barrett esophagus", seeds=12)  # fmt: skip
    assert not any(p and "barrett" in p for p in possessive)  # the capital kept in a denial
    heart = plants("This is an acute myocardial infarct.", "What is present?", "infarct")
    assert heart == {"This is acute myocarditis."}  # a mass noun takes no article
    assert is_right("This is an acute myocardial infarct.", "infarct", "What is present?")
    # A proper name's capital is not passed to the sibling in its place.
    binucleate = plants("These are Reed-Sternberg cells.", "What are the large binucleate cells?",
                        "Reed-Sternberg cells", seeds=12)  # fmt: skip
    assert binucleate and binucleate <= {"These are foreign body giant cells.",
                                         "These are Touton giant cells.",
                                         "These are Langhans giant cells."}  # fmt: skip
    # Inflammation of the gallbladder wall is never planted as appendicitis there.
    wall = "The gallbladder wall is thickened, consistent with cholecystitis."
    assert not any(
        p and "appendicitis" in p for p in plants(wall, "What is seen?", "cholecystitis")
    )


def test_a_correction_drops_only_the_evidence_that_tells_the_old_claim():
    necrosis = "What type of necrosis is shown?"
    outlines = "This shows coagulative necrosis with preserved cell outlines."
    assert clinical_edit(outlines, "caseous necrosis", necrosis) == "This shows caseous necrosis."
    before_verb = "Coagulative necrosis with preserved cell outlines is present."  # cut mid-way
    assert (
        clinical_edit(before_verb, "caseous necrosis", necrosis) == "Caseous necrosis is present."
    )
    # Evidence that tells the reference's organ stays, with the head word the answer gave it.
    colloid = "This section is from the parathyroid gland, showing follicles filled with colloid."
    assert clinical_edit(colloid, "thyroid", "What organ is this section from?") == (
        "This section is from the thyroid gland, showing follicles filled with colloid."
    )
    # Evidence no feature ties to the old claim is not dropped to make a correction.
    spindle = "This is a rhabdomyosarcoma composed of spindle cells."
    assert clinical_edit(spindle, "leiomyoma", "What type of tumour is this?") is None
    # Nor where dropping it would change too many words.
    long = "This shows coagulative necrosis with preserved ghost outlines of the dead cells."
    assert clinical_edit(long, "caseous necrosis", necrosis) is None


def test_a_stain_is_planted_as_another_stain_never_denied():
    found = plants("Masson trichrome stain highlights the collagen in blue.",
                   "What stain is this?", "trichrome", seeds=12) - {None}  # fmt: skip
    stains = ("PAS", "Congo red", "Prussian blue", "mucicarmine", "Gram", "silver", "acid-fast",
              "reticulin", "elastic", "Luxol fast blue", "Alcian blue", "von Kossa",
              "Fontana-Masson")  # fmt: skip
    assert found and all(
        p.endswith(" stain highlights the collagen in blue.")
        and p.split(" stain")[0].lower() in {x.lower() for x in stains}
        for p in found
    )
    assert not any(p.startswith("Pas ") for p in found)  # an abbreviation keeps its capitals
    inside = plants("This is a Masson trichrome stain.", "What stain is this?", "trichrome") - {
        None
    }
    named = [re.fullmatch(r"This is an? (.+) stain\.", p) for p in inside]
    assert inside and all(x and x.group(1) in stains for x in named)  # mid-sentence: its own case
    gland = "This is a pleomorphic adenoma of the salivary gland."
    parotid = plants(gland, "What is the diagnosis?", "pleomorphic adenoma", seeds=12) - {None}
    assert parotid and not any(p.startswith("This is no") for p in parotid)
    assert any("Warthin tumor" in p or "carcinoma" in p for p in parotid)


def test_a_side_written_as_its_letter_is_read_and_corrected_as_a_letter():
    side = "Which side is the effusion on?"
    assert judge("R pleural effusion.", "left", side).right is False
    assert judge("L pleural effusion is present.", "left", side).right is True
    assert clinical_edit("R pleural effusion.", "left", side) == "L pleural effusion."
    # the side corrected in one place only would leave the other: no pair
    partial = "Right-sided pleural effusion with blunting of the R costophrenic angle."
    assert clinical_edit(partial, "left", "Which side is the pleural effusion on?") is None
    assert judge("L1 vertebral body fracture.", "right", "Which side?").right is not True


def test_an_organ_a_finding_acts_on_is_not_where_it_lies():
    shift = "A large left pleural effusion is seen, causing rightward mediastinal shift."
    assert clinical_edit(shift, "Pneumothorax", "What diseases are included in the picture?") == (
        "A left pneumothorax is seen, causing rightward mediastinal shift."
    )  # its size was the effusion's
    lobe = "There is a pleural effusion in the right lower lobe."
    assert clinical_edit(lobe, "Pneumothorax", "What is shown?") is None  # no lobe holds one


def test_deep_structures_of_the_brain_are_places_of_their_own():
    q = "Where is the hemorrhage located?"
    putamen = "There is an acute intraparenchymal hemorrhage in the left putamen."
    assert judge(putamen, "left thalamus", q).right is False
    assert judge("A hypertensive bleed is centered in the left thalamic region.",
                 "left thalamus", q).right is True  # fmt: skip
    assert clinical_edit(putamen, "left thalamus", q) == (
        "There is an acute intraparenchymal hemorrhage in the left thalamus."
    )
    found = plants("There is an acute hemorrhage in the left thalamus.", q, "left thalamus")
    assert "There is an acute hemorrhage in the left putamen." in found
    assert "There is an acute hemorrhage in the right thalamus." in found


@pytest.mark.parametrize(
    "answer, reference, question, expected",
    [
        ("Yes, the features are those of a malignant neoplasm.", "no",
         "Is this a malignant tumor?", "No, the features are those of a benign neoplasm."),
        ("No, this is a benign tumor.", "yes", "Is this a malignant tumor?",
         "Yes, this is a malignant tumor."),
        ("Yes, this is a malignancy.", "no", "Is this a malignant tumor?",
         "No, this is not a malignancy."),
        ("Yes, this is a well-circumscribed benign leiomyoma.", "No", "Is this a benign tumor?",
         None),  # its name says benign: no word edit makes it malignant
    ],
)  # fmt: skip
def test_a_question_of_behaviour_is_answered_by_benign_or_malignant(
    answer, reference, question, expected
):
    """'Is this a malignant tumor?' asks malignant (a tumor is granted): benign says no."""
    assert clinical_edit(answer, reference, question) == expected
    assert judge("No, this is a benign tumor.", "no", "Is this a malignant tumor?").right is True


def test_a_denial_is_never_planted_beside_what_still_describes_the_finding():
    aorta = plants("Yes, the abdominal aorta is aneurysmally dilated, measuring over 5 cm.",
                   "Is the aorta dilated?", "yes")  # fmt: skip
    assert not any(p and "5 cm" in p for p in aorta)  # 5 cm is an aneurysm: the size goes
    assert aorta == {"No, the abdominal aorta is not aneurysmally dilated."}
    necrosis = plants("The image shows caseating necrosis surrounded by epithelioid histiocytes "
                      "and Langhans-type giant cells, typical of a tuberculous granuloma.",
                      "What does this image show?", "caseous necrosis")  # fmt: skip
    assert not any(p and "shows no caseating" in p for p in necrosis)
    air = plants("There is free intraperitoneal air beneath both hemidiaphragms.",
                 "What is the abnormality?", "Pneumoperitoneum")  # fmt: skip
    assert not any(p and p.startswith("There is no") and "both" in p for p in air)  # one side?
    assert "There is no free intraperitoneal air beneath the hemidiaphragms." in air
    curve = ("FINDINGS: Lungs are clear. Moderate levoconvex curvature of the lumbar spine. "
             "IMPRESSION: No acute process.")  # fmt: skip
    curves = plants(curve, "Describe the findings of this X-ray.", curve, seeds=12)
    assert not any(p and "No levoconvex" in p for p in curves)  # a curve still, the other way?


def test_no_count_is_planted_where_the_sentence_lists_what_it_counts():
    q = "How many chambers of the heart are seen?"
    four = plants("Four chambers are visible: the right atrium, the right ventricle, the left "
                  "atrium and the left ventricle.", q, "4")  # fmt: skip
    assert not any(p and re.search(r"\b(?:three|five|3|5)\b", p, re.I) for p in four)
    kidneys = plants("Two kidneys are seen, the right and the left, both normal in size.",
                     "How many kidneys are in this image?", "2")  # fmt: skip
    assert not any(p and p.startswith("One kidney") for p in kidneys)
    lesions = plants("There are three lesions in the liver, the largest measuring 2 cm.",
                     "How many lesions are in the liver?", "3")  # fmt: skip
    counted = {
        f"There are {n} lesions in the liver, the largest measuring 2 cm." for n in ("two", "four")
    }
    assert lesions & counted
    duct = plants(
        "The common bile duct is dilated, measuring 12 mm.", "How wide is the duct?", "12 mm"
    )
    assert "The common bile duct is dilated, measuring 24 mm." in duct
    assert not any(p and "6 mm" in p for p in duct)  # 6 mm: no longer dilated
    age = plants("The infarct is about 4 to 10 days old, with granulation tissue at its edge.",
                 "How old is this infarct?", "4 to 10 days")  # fmt: skip
    assert not any(p and re.search(r"\b(?:3|5) to 10|4 to (?:9|11)\b", p) for p in age)


def test_a_side_is_never_swapped_beside_a_word_that_places_it():
    report = (
        "FINDINGS: There is retrocardiac opacity in the left lower lobe, most consistent "
        "with atelectasis. No pneumothorax. IMPRESSION: Left lower lobe atelectasis."
    )
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert not any(p and "right lower lobe" in p for p in found)  # retrocardiac: the left
    air = "Free air is seen beneath the right hemidiaphragm, outlining the dome of the liver."
    found = plants(air, "Where is the free air located?", "Under the right hemidiaphragm")
    assert not any(p and "left hemidiaphragm" in p for p in found)  # the liver's dome: the right
    report = ("FINDINGS: Free intraperitoneal air under the right hemidiaphragm separates the "
              "hepatic dome from the diaphragm. IMPRESSION: Pneumoperitoneum.")  # fmt: skip
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert not any(p and "left hemidiaphragm" in p for p in found)
    cyst = "The exophytic cyst arises from the right kidney, just beneath the liver."
    fixed = clinical_edit(cyst, "Left kidney", "Which kidney has the cyst?")
    assert fixed is None or "left kidney, just beneath the liver" not in fixed


def test_a_list_after_there_is_no_asserts_its_first_finding_in_a_lobe_and_the_impression():
    """'There is no focal airspace disease, effusion or pneumothorax' plants airspace disease in
    one lower lobe, the rest still denied, and the impression names it in place of its summary."""
    report = (
        "FINDINGS: The heart is enlarged. There is no focal airspace disease, pleural "
        "effusion or pneumothorax. IMPRESSION: Cardiomegaly. No acute pulmonary process."
    )
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert found & {
        f"FINDINGS: The heart is enlarged. There is focal airspace disease in the {side} lower "
        f"lobe but no pleural effusion or pneumothorax. IMPRESSION: Cardiomegaly. Focal airspace "
        f"disease in the {side} lower lobe."
        for side in ("right", "left")
    }
    assert not any(p and "No acute" in p and "There is focal" in p for p in found)
    report = ("FINDINGS: Stable cardiomegaly. There is no consolidation or pneumothorax. "
              "IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert any(p and "There is consolidation in the" in p for p in found)
    assert not any(p and "There is consolidation but" in p for p in found)  # placed in a lobe


def test_ptx_is_a_pneumothorax():
    assert judge("No PTX.", "yes", "Is there a pneumothorax?").right is False
    report = "FINDINGS: Clear lungs bilaterally. No PTX or effusion."
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert "FINDINGS: Clear lungs bilaterally. Small right PTX but no effusion." in found
    assert not any(p and "a PTX or effusion" in p for p in found)


def test_an_obstruction_is_placed_at_one_end_of_the_ureter_or_the_other():
    q = "What is the cause of the hydronephrosis?"
    uvj = ("Severe left hydronephrosis, the renal pelvis and the proximal ureter dilated down to "
           "a stone lodged at the left UVJ.")  # fmt: skip
    assert judge(uvj, "Left ureterovesical junction stone", q).right is True
    assert judge(uvj, "Left ureteropelvic junction stone", q).right is False
    told = ("The dilated renal pelvis tapers abruptly into a normal ureter, in keeping with "
            "pelviureteric junction obstruction.")  # fmt: skip
    assert judge(told, "UPJ obstruction", q).right is True
    fixed = clinical_edit(told, "UVJ obstruction", q)
    assert fixed == told.replace("pelviureteric junction", "UVJ") or fixed == told.replace(
        "pelviureteric", "ureterovesical"
    )  # the place of the obstruction, not the renal pelvis or the ureter
    bowel = "Dilated loops of large bowel with air-fluid levels, in keeping with a large bowel "
    fixed = clinical_edit(bowel + "obstruction.", "Small bowel obstruction", "What is seen?")
    assert fixed == (bowel + "obstruction.").replace("large", "small")  # one organ said twice
    stone = plants("The stone is impacted at the right ureterovesical junction.",
                   "Where is the stone?", "right UVJ")  # fmt: skip
    assert not any(p and re.search(r"right ureter\b", p) for p in stone)  # still true
    assert "The stone is impacted at the right ureteropelvic junction." in stone
    dilated = plants("A stone at the left ureterovesical junction causes hydroureteronephrosis.",
                     "Where is the stone?", "left UVJ")  # fmt: skip
    assert not any(p and "ureteropelvic" in p for p in dilated)  # a dilated ureter: below it


def test_a_quadrant_is_upper_or_lower_as_well_as_right_or_left():
    q = "Where is the abscess?"
    assert judge("The abscess lies in the right upper quadrant.", "Right upper quadrant", q).right
    assert not judge("It lies in the right upper quadrant.", "right lower quadrant", q).right
    assert clinical_edit("It lies in the right upper quadrant.", "right lower quadrant", q) in (
        None, "It lies in the right lower quadrant.")  # fmt: skip


def test_parts_of_the_femur_are_places_of_their_own():
    q = "Where is the fracture?"
    through = "There is an acute fracture through the left intertrochanteric region of the femur."
    assert judge(through, "left femoral neck", q).right is False
    assert clinical_edit(through, "left femoral neck", q) == (
        "There is an acute fracture through the left neck of the femur."
    )  # not 'the femoral neck of the femur'
    found = plants("The fracture is in the right femoral neck.", q, "femoral neck")
    assert "The fracture is in the right intertrochanteric region." in found


def test_arteriolosclerosis_in_other_words_and_its_kinds():
    q = "What does this image show?"
    said = "Hyaline arteriolar sclerosis, with homogeneous pink thickening of the arteriolar walls."
    assert judge(said, "hyaline arteriolosclerosis", q).right is True
    other = "Hyperplastic arteriolosclerosis with onion-skin thickening."
    assert judge(other, "hyaline arteriolosclerosis", q).right is False


def test_a_denied_list_is_split_beside_a_normal_state_of_another_organ():
    lungs = "The lungs are clear without pleural effusion or cardiomegaly."
    assert clinical_edit(lungs, "Cardiomegaly", "What diseases are included in the picture?") == (
        "The lungs are clear without pleural effusion, but with cardiomegaly."
    )
    nodule = "The lungs are clear without nodule or mass."
    assert clinical_edit(nodule, "Pulmonary Nodule", "What is shown?") is None  # 'clear' stays


def test_more_findings_and_joints_of_the_limbs():
    gallbladder = "what is seen in the gallbladder?"
    polyp = "There appears to be a polyp in the gallbladder."
    assert clinical_edit(polyp, "gallstones", gallbladder) == (
        "There appear to be gallstones in the gallbladder."
    )  # the verb agrees
    pancreas = "There is a pancreatic adenocarcinoma in the pancreatic head."
    assert clinical_edit(pancreas, "pancreatic pseudocyst", "what is the abnormality?") == (
        "There is a pancreatic pseudocyst in the pancreatic head."
    )
    joint = "Which joint is shown?"
    assert judge("This is a radiograph of the left knee.", "Knee", joint).right is True
    assert judge("This is a radiograph of the ankle.", "Knee", joint).right is False
    shoulder = "what is the abnormality?"
    assert judge("There is an anterior dislocation of the left shoulder.",
                 "anterior shoulder dislocation", shoulder).right is True  # fmt: skip


def test_a_hallucinated_finding_is_denied_in_the_findings_and_the_impression():
    reference = ("FINDINGS: The heart is normal in size. The lungs are clear. No pleural effusion "
                 "or pneumothorax. IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    answer = (
        "FINDINGS: The heart is normal in size. The lungs are clear. There is a small left "
        "pleural effusion. No pneumothorax. IMPRESSION: Small left pleural effusion."
    )
    fixed = clinical_edit(answer, reference)
    assert fixed and "IMPRESSION: No" in fixed and "There is no" in fixed
    assert judge(fixed, reference, "Describe the findings.").right is True


def test_a_pacemaker_of_another_kind_is_a_contradiction():
    reference = ("FINDINGS: A left-sided dual-lead pacemaker is present with leads terminating in "
                 "the right atrium and right ventricle. No pleural effusion. IMPRESSION: No acute "
                 "cardiopulmonary process.")  # fmt: skip
    single = ("FINDINGS: A left-sided single-lead pacemaker is present. No pleural effusion. "
              "IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    assert judge(single, reference, "Describe the findings.").right is False
    wall = "FINDINGS: Left chest wall dual-chamber pacemaker. No pleural effusion."
    assert clinical_edit(wall.replace("dual-chamber", "single-lead"), wall) == wall
    assert judge("A two-lead pacemaker is present.", "dual-chamber pacemaker",
                 "What type of pacemaker is present?").right is True  # fmt: skip
    found = plants("A dual-chamber pacemaker is present.", "What type of pacemaker is present?",
                   "dual-chamber pacemaker")  # fmt: skip
    assert "A single-chamber pacemaker is present." in found


def test_a_lead_in_another_heart_chamber_is_corrected_and_a_device_side_is_its_own():
    reference = (
        "FINDINGS: Left-sided dual-chamber pacemaker with leads terminating in the right "
        "atrium and right ventricle. Mild cardiomegaly. IMPRESSION: Mild cardiomegaly."
    )
    answer = ("FINDINGS: A left-sided dual-chamber pacemaker is present with leads in the right "
              "atrium and left ventricle. The heart is mildly enlarged. IMPRESSION: Mild "
              "cardiomegaly.")  # fmt: skip
    assert judge(answer, reference).right is False
    assert clinical_edit(answer, reference) == answer.replace("left ventricle", "right ventricle")
    sided = answer.replace("left-sided", "right-sided").replace("left ventricle", "right ventricle")
    assert clinical_edit(sided, reference) == sided.replace("right-sided", "left-sided")


@pytest.mark.parametrize(
    "answer,reference,question,expected",
    [
        ("The Pap smear shows clue cells with perinuclear halos and raisinoid nuclei.",
         "Koilocytes", "What is shown in this Pap smear?",
         "The Pap smear shows koilocytes with perinuclear halos and raisinoid nuclei."),
        ("There is a crescent-shaped collection crossing suture lines, consistent with an "
         "acute epidural hematoma.", "subdural hematoma", "What type of hemorrhage is present?",
         "There is a crescent-shaped collection crossing suture lines, consistent with an "
         "acute subdural hematoma."),  # the shape tells the subdural written in: it stays
        ("There is an epidural hematoma over the right convexity, lens-shaped and biconvex.",
         "subdural hematoma", "What type of hemorrhage is present?", None),  # tells epidural
        ("There is an echogenic polyp on the gallbladder wall without posterior acoustic "
         "shadowing.", "gallstones", "What is seen in the gallbladder?", None),  # denied
    ],
)  # fmt: skip
def test_evidence_stays_where_it_tells_the_new_claim_and_goes_where_it_tells_the_old(
    answer, reference, question, expected
):
    """Textbook features (features.py) say whose evidence a clause is: kept beside the
    reference's concept it tells, never left telling the old one or denying the new one's."""
    assert clinical_edit(answer, reference, question) == expected


def test_a_finding_planted_under_a_normal_impression_is_named_in_it():
    """A finding planted in a report whose impression calls the study normal, or finds nothing
    acute, is named in the impression in its place, as a radiologist's impression would name it
    (a heart called enlarged in a normal study too); it never stands beside an impression that
    still calls the study normal."""
    question = "Describe the findings of this chest X-ray."
    report = "FINDINGS: Frontal view of the chest. No pneumothorax or effusion. IMPRESSION: {}."
    named = {
        report.format(f"Small {side} pneumothorax").replace(
            "No pneumothorax or", f"Small {side} pneumothorax but no"
        )
        for side in ("right", "left")
    }
    normal = report.format("Normal chest radiograph")
    assert plants(normal, question, normal) == named
    short = report.format("Normal chest")  # the whole study too
    assert plants(short, question, short) == named
    heart = normal.replace("Frontal view of the chest.", "The heart size is normal.")
    assert plants(heart, question, heart) == {
        heart.replace("is normal", "is enlarged").replace(
            "Normal chest radiograph", "Enlarged heart"
        )
    }
    acute = heart.replace("Normal chest radiograph", "No acute cardiopulmonary process")
    larger = acute.replace(
        "size is normal", "size is enlarged"
    )  # a larger heart may stay beside it
    assert plants(acute, question, acute, seeds=12) - {None} == {larger}
    wall = report.format("Normal chest wall")  # only the wall: the impression stays
    assert all(p.endswith("Normal chest wall.") for p in plants(wall, question, wall) - {None})
    more = report.format("Emphysema; no acute process")  # not a summary alone: it stays
    assert all("Emphysema; no acute process." in p for p in plants(more, question, more) - {None})


def test_a_size_the_impression_restates_is_never_changed_in_one_place_alone():
    report = ("FINDINGS: There is a small left pleural effusion. The heart size is normal. "
              "IMPRESSION: Small left pleural effusion.")  # fmt: skip
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=12)
    assert found == {report.replace("size is normal", "size is enlarged")}  # no side, no size
    alone = report.replace("IMPRESSION: Small left pleural effusion.", "IMPRESSION: Effusion.")
    sized = plants(alone, "Describe the findings of this chest X-ray.", alone, seeds=40)
    assert {"large left pleural effusion", "small right pleural effusion"} <= {
        re.search(r"\w+ \w+ pleural effusion", p).group() for p in sized if p
    }


def test_a_plant_never_contradicts_what_another_sentence_of_the_report_says():
    asked = "Describe the findings of this chest X-ray."
    lobe = ("FINDINGS: The left lower lobe opacity has improved. No pleural effusion. "
            "IMPRESSION: Improving left lower lobe pneumonia.")  # fmt: skip
    assert not any(p and "right lower lobe" in p for p in plants(lobe, asked, lobe, seeds=20))
    clear = ("FINDINGS: There is left basilar atelectasis. The right lung is clear. "
             "IMPRESSION: Left basilar atelectasis.")  # fmt: skip
    assert not any(p and "right basilar" in p for p in plants(clear, asked, clear, seeds=20))
    heart = ("FINDINGS: The heart is mildly enlarged. The lungs are clear. IMPRESSION: Mild "
             "cardiomegaly.")  # fmt: skip
    assert not any(p and re.search(r"severely|moderately", p) for p in plants(heart, asked, heart))
    denied = ("FINDINGS: The heart size is normal. No pneumothorax. IMPRESSION: Cardiomegaly "
              "absent, without pneumothorax.")  # fmt: skip
    planted = denied.replace("No pneumothorax.", "There is a pneumothorax.")
    assert clinical.guard(denied, planted, denied, asked, plant=True) == "report_sentence"


@pytest.mark.parametrize(
    "edited",
    [
        "No, the lesion is not well circumscribed and sharply demarcated from the stroma.",
        "The image shows no malignant tumor of the lung (bronchogenic carcinoma).",
    ],
)
def test_a_denial_that_leaves_what_it_denies_unclear_is_refused(edited):
    answer = edited.replace("No, the lesion is not", "Yes, the lesion is").replace(" no ", " a ")
    assert clinical.guard(answer, edited, answer, "", plant=True) == "denial_form"
    plain = "No, the lesion is not well circumscribed."
    assert clinical.guard("Yes, the lesion is well circumscribed.", plain, "yes", "") is None


def test_a_planted_report_sentence_keeps_its_verb():
    report = (
        "FINDINGS: The enteric tube extends below the diaphragm with its tip in the "
        "stomach. No pneumothorax. IMPRESSION: Lines and tubes in satisfactory position."
    )
    planted = report.replace("extends below the diaphragm with its tip in the stomach",
                             "with its tip in the esophagus")  # fmt: skip
    assert clinical.guard(report, planted, report, "", plant=True) == "report_sentence"
    moved = report.replace("in the stomach", "in the esophagus")  # yet below the diaphragm
    assert clinical.guard(report, moved, report, "", plant=True) == "stated_evidence"


@pytest.mark.parametrize(
    "answer,reference,right",
    [
        ("The findings are consistent with diffuse large B-cell lymphoma.", "Hodgkin lymphoma",
         False),
        ("This is a non-Hodgkin lymphoma.", "Hodgkin lymphoma", False),  # no Hodgkin inside it
        ("This is classical Hodgkin lymphoma.", "Hodgkin lymphoma", True),
        ("This is Hodgkin lymphoma with Reed-Sternberg cells.", "lymphoma", True),
        ("This is lymphoma.", "Hodgkin lymphoma", False),  # less than the reference says
    ],
)  # fmt: skip
def test_lymphomas_are_told_apart_and_each_is_a_lymphoma(answer, reference, right):
    assert is_right(answer, reference, "What is the diagnosis?") is right


def test_a_disease_more_than_the_references_list_is_wrong():
    question = "What diseases are included in the picture?"
    assert judge("The picture shows cardiomegaly and a pleural effusion.", "Cardiomegaly",
                 question).why == "extra:pleural effusion"  # fmt: skip
    assert is_right("The picture shows cardiomegaly and pleural effusion.",
                    "Cardiomegaly, Pleural Effusion", question)  # fmt: skip
    assert is_right("The picture shows pneumonia, with consolidation in the right lower lobe.",
                    "Pneumonia", question)  # fmt: skip  # its evidence, not another disease
    assert is_right("The image shows liver cancer, with a large heterogeneous hepatic mass.",
                    "Liver Cancer", question)  # fmt: skip
    assert is_right("The heart is enlarged, without pulmonary edema.", "Cardiomegaly", question)
    assert is_right("There is cardiomegaly and a pleural effusion.", "Cardiomegaly",
                    "What is the abnormality?")  # fmt: skip  # no list asked for


def test_a_vessel_is_planted_as_a_neighbouring_vessel():
    found = plants("The superior mesenteric artery is occluded.", "Which vessel is occluded?",
                   "superior mesenteric artery")  # fmt: skip
    assert found == {"The inferior mesenteric artery is occluded.",
                     "The celiac artery is occluded."}  # fmt: skip  # the head word kept


def test_an_organ_made_absent_keeps_no_description_of_how_it_looks():
    answer = "Yes, the stomach is visible in the left upper abdomen, distended with fluid and gas."
    fixed = clinical_edit(answer, "No", "Does the picture contain the stomach?")
    assert fixed is None or "distended" not in fixed
    kept = "Yes, the stomach is visible in the left upper abdomen."
    assert clinical_edit(kept, "No", "Does the picture contain the stomach?") == (
        "No, the stomach is not visible in the left upper abdomen."
    )


def test_a_lobe_corrected_keeps_no_place_beside_the_old_lobe_alone():
    question = "In which part of the lung is the lesion?"
    base = "The lesion is in the left lower lobe, abutting the posterior costophrenic recess."
    assert clinical_edit(base, "Left upper lobe", question) is None
    apex = "The nodule is in the right upper lobe, near the apex."
    assert clinical_edit(apex, "Right lower lobe", question) is None
    assert clinical_edit(
        "The nodule is in the right upper lobe.", "Right lower lobe", question
    ) == ("The nodule is in the right lower lobe.")


def test_a_hedge_of_what_the_answer_adds_leaves_its_count_sure():
    question = "How many lesions are seen in the left kidney?"
    cysts = "Two rounded hypodense lesions are seen in the left kidney, most likely simple cysts."
    assert is_right(cysts, "2", question)
    assert (
        judge("There is an effusion, most likely on the left.", "Left", "Which side?").right is None
    )
    diagnosis = "A mass is seen in the liver, most likely a hepatocellular carcinoma."
    assert judge(diagnosis, "Hepatocellular carcinoma", "What is the diagnosis?").right is None


def test_a_finding_corrected_takes_the_diagnosis_concluded_from_it_away():
    question = "What is the abnormal finding at the left lung base?"
    answer = (
        "There is patchy airspace consolidation at the left lung base, suggestive of pneumonia."
    )
    assert clinical_edit(answer, "Pleural effusion", question) == (
        "There is a pleural effusion at the left lung base."
    )
    listed = "There is a pleural effusion, consistent with heart failure, and a consolidation."
    assert clinical_edit(listed, "Pneumothorax", "What is seen?") is None  # no one conclusion
    mass = ("This is a butterfly-shaped mass crossing the splenium with central necrosis, most "
            "consistent with primary CNS lymphoma.")  # fmt: skip
    assert clinical_edit(mass, "glioblastoma", "What is the mass?") is None  # not the necrosis


def test_a_drainage_catheter_is_no_central_line():
    """A drain lies where it drains: no vein is planted for its organ."""
    question = "Which organ contains the drainage catheter?"
    answer = (
        "This is a percutaneous cholecystostomy tube, its pigtail coiled within the gallbladder."
    )
    found = plants(answer, question, "Gallbladder") - {None}
    assert not any(re.search(r"vein|vena cava|atri", p) for p in found)
    assert is_right("The drainage catheter lies in the gallbladder.", "Gallbladder", question)


def test_a_count_with_a_plural_diagnosis_drawn_after_it_stays_plural():
    cysts = "Two rounded hypodense lesions are seen in the left kidney, most likely simple cysts."
    assert plants(cysts, "How many lesions are seen in the left kidney?", "2") == {
        "Three rounded hypodense lesions are seen in the left kidney, most likely simple cysts."
    }
    granulomas = "There are two calcified nodules, one in each lung, most likely old granulomas."
    assert plants(granulomas, "How many calcified nodules are there?", "2") == {None}


def test_a_pigment_is_planted_only_as_one_its_named_cells_hold():
    question = "What does this Prussian blue stain show in the liver?"
    iron = "The Prussian blue stain highlights blue granules of stored iron within the hepatocytes."
    found = plants(iron, question, "Hemosiderin")
    assert found and None not in found and not any("anthracotic" in p for p in found)


def test_what_a_question_is_asked_after_is_not_asked():
    question = "Is pneumomediastinum present after the esophageal dilation?"
    denied = ("There is subcutaneous emphysema in the neck after the esophageal dilation, but no "
              "pneumomediastinum is seen.")  # fmt: skip
    assert judge(denied, "Yes", question).right is False  # the dilation is no finding asked
    assert is_right("Yes, there is pneumomediastinum after the dilation.", "Yes", question)
    assert is_right("Yes, the esophagus is dilated.", "Yes", "Is the esophagus dilated?")


def test_a_pair_is_two():
    question = "How many parasites are inside this red blood cell?"
    rings = "The red blood cell contains a pair of delicate ring-form trophozoites."
    assert is_right(rings, "2", question)
    assert plants(rings, question, "2") == {
        "The red blood cell contains three delicate ring-form trophozoites."
    }


def test_a_finding_with_its_organ_is_put_first_where_it_can_lie():
    """Bladder tumor: the tumor replaces the ureteric stone only where a bladder is the place;
    the ureter is not first made a bladder under the stone."""
    question = "What is causing the right hydronephrosis?"
    stone = (
        "The right hydronephrosis is caused by an obstructing calculus in the distal right ureter."
    )
    assert clinical_edit(stone, "Bladder tumor", question) is None
    thrombus = "The thrombus is located in the left gonadal vein, and the left kidney is enlarged."
    assert clinical_edit(thrombus, "Left renal vein", "Where is the thrombus?") is None
    vein = "The thrombus is located in the left gonadal vein."
    assert clinical_edit(vein, "Left renal vein", "Where is the thrombus?") == (
        "The thrombus is located in the left renal vein."
    )


def test_a_yes_made_of_a_no_keeps_nothing_asked_called_intact_or_collapsed():
    """The tubular epithelium 'intact' beside tubulitis, villi 'of normal height' beside villous
    atrophy, an 'intact' epidermis beside ulceration: the correction would contradict itself. An
    organ the question does not name may stay."""
    question = "Does this renal allograft biopsy show tubulitis?"
    intact = "No, there is no tubulitis; the tubular epithelium is intact."
    assert clinical_edit(intact, "yes", question) is None
    fluid = "No, the left renal pelvis is collapsed and contains no fluid."
    assert (
        clinical_edit(fluid, "Yes", "Is there fluid in the renal pelvis of the left kidney?")
        is None
    )
    hip = "The hip joint is preserved, but no fracture is identified."
    assert clinical_edit(hip, "yes", "Is there a fracture?") == (
        "The hip joint is preserved, and a fracture is identified."
    )
    villi = "No, the villi are of normal height and there is no villous atrophy."
    assert clinical_edit(villi, "yes", "is there villous atrophy in this duodenal biopsy?") is None
    epidermis = "No, the overlying epidermis is intact, without ulceration."
    assert clinical_edit(epidermis, "yes", "is the melanoma ulcerated?") is None
    other = "No, there is no pleural effusion, and the heart size is normal."
    assert clinical_edit(other, "yes", "Is there a pleural effusion?") == (
        "Yes, there is a pleural effusion, and the heart size is normal."
    )


def test_stored_iron_is_hemosiderin():
    question = "What does this Prussian blue stain show in the liver?"
    iron = "The Prussian blue stain highlights blue granules of stored iron within the hepatocytes."
    assert is_right(iron, "Hemosiderin", question)
    assert is_right("The stain shows iron deposits in Kupffer cells.", "hemosiderin", question)
    assert not is_right(iron.replace("stored iron", "glycogen"), "Hemosiderin", question)
    assert is_right("The iron stain is positive.", "Prussian blue", "Which stain is used?")


def test_a_side_said_twice_in_a_closed_answer_is_changed_twice():
    answer = "Yes, a moderate left pleural effusion layers dependently in the left hemithorax."
    found = plants(answer, "Is the pleural effusion on the left side?", "Yes")
    assert found == {
        "No, a moderate right pleural effusion layers dependently in the right hemithorax."
    }
    found = plants("Yes, this is a magnetic resonance (MR) image.", "Is this an MRI?", "Yes")
    assert found == {"No, this is a computed tomography image."}  # a bracket restating it goes


def test_a_named_disease_of_several_words_is_planted_as_a_sibling_where_it_lies():
    """A name of several words is a noun (polyarteritis nodosa, Crohn disease), and a chamber
    of the heart the question names holds the heart's tumours."""
    vasculitis = plants("This is polyarteritis nodosa.", "What type of vasculitis is this?",
                        "polyarteritis nodosa")  # fmt: skip
    assert "This is Takayasu arteritis." in vasculitis and None not in vasculitis
    colitis = plants("The findings are those of Crohn disease.", "What is the diagnosis?",
                     "Crohn disease")  # fmt: skip
    assert None not in colitis and not any("Crohn" in p for p in colitis)
    tumour = plants("This is a cardiac myxoma.", "What tumor is seen in this left atrium?",
                    "Myxoma")  # fmt: skip
    assert "This is a cardiac rhabdomyoma." in tumour and None not in tumour
    assert is_right("This is a cardiac rhabdomyoma.", "rhabdomyoma", "What is the tumor?")
    assert not is_right("This is a cardiac myxoma.", "rhabdomyoma", "What is the tumor?")


def test_a_pelvic_organ_is_planted_as_the_one_behind_or_before_it():
    found = plants("The uterus lies posterior and superior to the bladder in the midline.",
                   "Which organ lies posterior and superior to the bladder?", "Uterus")  # fmt: skip
    assert found == {"The rectum lies posterior and superior to the bladder in the midline."}
    found = plants("The prostate is enlarged.", "Which organ is enlarged?", "prostate")
    assert "The bladder is enlarged." in found and None not in found


def test_the_side_of_a_lobe_of_an_unpaired_organ_is_swapped():
    """A thyroid or the liver has a left and a right lobe: the other lobe is a real error."""
    found = plants("The nodule is in the left thyroid lobe, near its lower pole.",
                   "Where is the thyroid nodule?", "Left lobe of thyroid")  # fmt: skip
    assert "The nodule is in the right thyroid lobe, near its lower pole." in found
    found = plants("There is a hypodense lesion in the right lobe of the liver.",
                   "Where is the lesion?", "Right lobe of liver")  # fmt: skip
    assert "There is a hypodense lesion in the left lobe of the liver." in found


def test_a_central_line_through_another_vein_is_corrected_in_every_sentence():
    reference = (
        "FINDINGS: Right internal jugular central venous catheter terminates in the mid "
        "SVC. No pneumothorax. IMPRESSION: Right IJ line with tip in the mid SVC."
    )
    answer = ("FINDINGS: A left subclavian central venous catheter is seen with its tip in the "
              "mid SVC. No pneumothorax. IMPRESSION: Left subclavian central line in the mid "
              "SVC.")  # fmt: skip
    assert judge(answer.replace("left", "right").replace("Left", "Right"), reference).right is False
    fixed = clinical_edit(answer, reference)
    assert fixed == answer.replace("left subclavian", "right internal jugular").replace(
        "Left subclavian",
        "Right internal jugular",  # the reference's words: never 'jugular' alone
    )


def test_no_correction_leaves_the_old_claim_said_in_other_words():
    kidney = "Does the kidney look normal?"
    assert clinical_edit("Yes, the kidney looks normal.", "No", kidney) == (
        "No, the kidney looks abnormal."
    )
    smooth = "Yes, the kidney looks normal, with smooth contours and no focal lesions."
    assert explain_edit(smooth, "No", kidney) == (None, "cannot_flip")  # 'smooth' would stay
    quadrant = "The largest organ in the image is the liver, occupying the right upper quadrant."
    assert explain_edit(quadrant, "Spleen", "Which is the largest organ in the picture?") == (
        "The largest organ in the image is the spleen, occupying the left upper quadrant.",
        "corrected")  # the quadrant goes with its organ  # fmt: skip
    unread = "No, there is no angiolymphatic or perineural invasion seen."
    assert explain_edit(unread, "yes", "Is there angiolymphatic invasion?")[0] is None  # both


def test_abbreviated_devices_and_other_names_of_findings_are_read():
    reference = ("FINDINGS: Endotracheal tube 5 cm above the carina. Nasogastric tube in the "
                 "stomach. Right internal jugular central venous catheter tip at the cavoatrial "
                 "junction. No pleural effusion or pneumothorax. IMPRESSION: Support devices in "
                 "standard position.")  # fmt: skip
    short = (
        "FINDINGS: ETT tip 5 cm above the carina. NGT in the stomach. R IJ CVC tip at the "
        "cavoatrial jxn. No effusion or PTX. IMPRESSION: Lines/tubes in appropriate position."
    )
    assert judge(short, reference, "Describe the findings.").right is True  # nothing omitted
    broken = "There is a cortical break through the femoral mid-shaft with mild displacement."
    assert judge(broken, "yes", "Is there a fracture?").right is True
    barrett = "What does this image show?"
    assert judge("This is Barrett's esophagus with goblet cells.", "Barrett esophagus",
                 barrett).right is True  # fmt: skip
    assert judge("This shows squamous metaplasia of the distal oesophagus.", "Barrett esophagus",
                 barrett).right is False  # fmt: skip


@pytest.mark.parametrize(
    "answer,reference,question,right",
    [
        ("The tumour nests sit in a desmoplastic stroma.", "desmoplasia",
         "What is seen in the stroma?", True),
        ("There is no desmoplastic stromal reaction around the glands.", "desmoplasia",
         "What is seen in the stroma?", False),
        ("The fat globules in the glomerular capillaries are fat emboli.", "fat embolism",
         "What do the globules indicate?", True),
        ("The hematoma is crescent-shaped and follows the convexity.", "crescentic",
         "What is the shape of the hematoma?", True),
        ("The hematoma is lens-shaped and does not cross sutures.", "crescentic",
         "What is the shape of the hematoma?", False),
        ("Metastatic deposits replace much of the marrow.", "metastasis",
         "What is seen in the marrow?", True),
    ],
)  # fmt: skip
def test_a_reference_word_said_in_another_form_is_said(answer, reference, question, right):
    """A word the lexicon lacks counts as said in another of its forms (desmoplasia:
    desmoplastic; embolism: emboli), and as denied where that form is denied."""
    assert judge(answer, reference, question).right is right


def test_air_in_the_pleural_space_and_carcinoma_of_no_special_type_are_named():
    q = "What is the abnormality in the chest?"
    said = "There is air in the pleural space, with partial collapse of the left lung."
    assert judge(said, "Left pneumothorax", q).right is True
    said = "Invasive carcinoma of no special type, grade 2, with a desmoplastic stroma."
    assert judge(said, "invasive ductal carcinoma", "What is the diagnosis?").right is True


def test_areas_of_normal_tissue_between_the_disease_do_not_call_the_organ_normal():
    q = "Is this pattern consistent with usual interstitial pneumonia?"
    said = ("Yes, dense subpleural fibrosis with honeycombing is interspersed with areas of "
            "relatively normal lung, the patchwork of usual interstitial pneumonia.")  # fmt: skip
    assert judge(said, "Yes", q).right is True
    assert judge("No, the lung parenchyma is normal.", "Yes", q).right is False


def test_viable_tissue_turns_with_the_necrosis():
    viable = "No, there is no necrosis; the tissue appears viable."
    assert clinical_edit(viable, "yes", "Is there necrosis?") == (
        "Yes, there is necrosis; the tissue appears nonviable."
    )
    assert plants(viable, "Is there necrosis?", "no") == {
        "Yes, there is necrosis; the tissue appears nonviable."
    }


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("This image shows invasive adenocarcinoma with keratin pearls.",
         "This image shows invasive squamous cell carcinoma with keratin pearls."),  # they tell it
        ("This image shows adenocarcinoma with gland formation.",
         "This image shows squamous cell carcinoma."),  # they told the old one: they go
        ("This image shows adenocarcinoma with sheets of atypical cells.", None),  # whose?
    ],
)  # fmt: skip
def test_features_after_a_diagnosis_stay_or_go_by_what_they_tell(answer, expected):
    assert clinical_edit(answer, "squamous cell carcinoma", "What does this image show?") == (
        expected
    )


def test_a_finding_is_not_asserted_beside_what_still_says_it_is_absent():
    clear = "The lungs are clear and normally expanded, without evidence of emphysema."
    assert clinical_edit(clear, "Emphysema", "What diseases are included in the picture?") is None
    look = "Yes, the liver looks normal, with homogeneous attenuation."  # a ratio turns with it
    assert clinical_edit(look, "No", "Is the liver normal?") is None
    caseation = ("No, there is no necrosis; the granulomas are composed of epithelioid "
                 "histiocytes without central caseation.")  # fmt: skip
    assert clinical_edit(caseation, "yes", "Is there necrosis?") == (
        "Yes, there is necrosis; the granulomas are composed of epithelioid histiocytes with "
        "central caseation."
    )  # caseation is necrosis: both turned


def test_a_device_site_keeps_its_capitals():
    picc = "FINDINGS: A left PICC is seen with its tip in the right atrium. No pneumothorax."
    assert clinical_edit(
        picc, "FINDINGS: Left PICC terminates in the mid SVC. No pneumothorax."
    ) == ("FINDINGS: A left PICC is seen with its tip in the mid SVC. No pneumothorax.")


def test_an_organ_corrected_takes_its_enlargement_along():
    liver = "There is hepatomegaly with the liver extending below the iliac crest."
    assert clinical_edit(liver, "spleen", "What organ is enlarged?") == (
        "There is splenomegaly with the spleen extending below the iliac crest."
    )


def test_a_look_is_not_asserted_beside_one_that_rules_it_out():
    """A solid nodule with cavitation, a simple cyst with septations: a lifted denial would
    leave the old look beside it."""
    nodule = "No, the left lower lobe nodule is solid, with no cavitation."
    fixed = clinical_edit(nodule, "Yes", "Is the nodule cavitary?")
    assert fixed is None or "solid, with cavitation" not in fixed
    cyst = "No, it is a simple renal cyst, with no septations."
    fixed = clinical_edit(cyst, "Yes", "Does the renal cyst have septations?")
    assert fixed is None or "simple renal cyst, with septations" not in fixed


def test_a_denial_in_either_or_any_place_is_not_asserted_there():
    """'No mass in either breast' asserted says in neither which breast: no such plant."""
    breast = "No suspicious mass is identified in either breast."
    assert plants(breast, "Is there a breast mass?", "No") == {None}
    ribs = "No fracture is seen in any of the visualized ribs."
    assert plants(ribs, "Is there a rib fracture?", "No") == {None}


def test_a_claim_turned_over_leaves_neither_how_far_it_extends_nor_its_position():
    spleen = "The spleen is enlarged, extending below the left iliac crest."
    found = plants(spleen, "What abnormality involves the spleen?", "Splenomegaly")
    assert not any(p and "not enlarged, extending" in p for p in found)  # how far it reaches
    skull = ("Yes, there is a comminuted fracture of the left parietal bone extending to the "
             "coronal suture.")  # fmt: skip
    fixed = clinical_edit(skull, "No", "Is there a skull fracture?")
    assert fixed is None or "extending" not in fixed
    device = "Yes, a Mirena IUD is present, well positioned in the uterine cavity."
    assert plants(device, "Is an IUD present?", "Yes") == {None}  # no device, well positioned


def test_cardiac_devices_are_told_apart():
    q = "What device is seen?"
    assert (
        judge("A left chest wall implantable loop recorder is seen.", "pacemaker", q).right is False
    )
    assert judge("A dual-chamber AICD is present.", "pacemaker", q).right is False
    assert judge("A left-sided dual-chamber pacemaker is present.", "pacemaker", q).right is True


def test_no_plant_contradicts_a_name_or_a_phase_left_in_its_sentence():
    adenoma = "Yes, this is a benign tumor, a well-circumscribed follicular adenoma of the thyroid."
    assert plants(adenoma, "Is this a benign tumor?", "yes") == {None}  # an adenoma is benign
    told = ("Yes, this is a benign tumor: a well-circumscribed, encapsulated follicular "
            "adenoma of the thyroid.")  # fmt: skip
    assert plants(told, "Is this a benign tumor?", "yes") == {"No, this is a malignant tumor."}
    assert plants("Yes, this is a benign tumor.", "Is this a benign tumor?", "yes") == {
        "No, this is a malignant tumor."
    }
    phase = "This is a contrast-enhanced CT of the abdomen, acquired in the portal venous phase."
    found = plants(phase, "What type of imaging is this?", "CT with contrast")
    assert not any(p and "not a contrast" in p for p in found)  # a phase needs contrast


def test_a_phrase_headed_by_a_mass_noun_takes_no_article():
    granuloma = "No, there is no granuloma formation; the tissue shows only chronic inflammation."
    assert clinical_edit(granuloma, "yes", "Is there granuloma formation?") == (
        "Yes, there is granuloma formation; the tissue shows chronic inflammation."
    )
    scar = "No, there is no scar tissue in the myocardium."
    assert clinical_edit(scar, "yes", "Is there scarring?") == (
        "Yes, there is scar tissue in the myocardium."
    )


def test_a_kind_in_other_words_and_an_abbreviated_cell_are_the_same():
    assert judge("Caseating necrosis is seen.", "caseous necrosis", "What type of necrosis?").right
    assert judge(
        "Caseous granulomas are present.", "caseating granulomas", "What is present?"
    ).right
    assert judge("Classic RS cells are present.", "Reed-Sternberg cells", "What are present?").right
    assert not judge("Caseating necrosis is seen.", "fibrinoid necrosis", "What type?").right


def test_a_planted_finding_never_lies_in_an_organ_called_normal_elsewhere():
    report = "FINDINGS: Both lungs are clear. No consolidation, pneumothorax, or effusion is seen."
    planted = (
        "FINDINGS: Both lungs are clear. Consolidation is seen, without pneumothorax or effusion."
    )
    assert clinical.guard(report, planted, report, "Describe the findings.", plant=True) == (
        "report_sentence"
    )
    pleural = (
        "FINDINGS: Both lungs are clear. Pneumothorax is seen, without consolidation or effusion."
    )
    assert clinical.guard(report, pleural, report, "Describe the findings.", plant=True) is None


def test_a_sibling_never_takes_the_words_that_describe_the_old_finding():
    classic = plants("Classic RS cells are present.", "What are present?", "Reed-Sternberg cells")
    assert not any(p and p.startswith("Classic") and "RS" not in p for p in classic)
    cyst = plants("There is a fluid-attenuation renal cyst in the right kidney.",
                  "What is the abnormality in the right kidney?", "Renal cyst")  # fmt: skip
    assert not any(p and ("nodule" in p or "mass" in p) for p in cyst)  # still a cyst's look
    asked = "What is the abnormality in the right kidney?"
    plain = plants("There is a renal cyst in the right kidney.", asked, "Renal cyst", seeds=20)
    assert any(p and ("nodule" in p or "mass" in p) for p in plain)  # without it: a sibling


def test_lack_denies_and_is_lifted_as_have():
    q = "Is a myoepithelial cell layer present around the glands?"
    said = "No, the infiltrating glands lack a surrounding myoepithelial layer."
    assert judge(said, "No", q).right is True
    assert judge(said, "Yes", q).right is False
    nodule = "No, the pulmonary nodule lacks calcification."
    assert clinical_edit(nodule, "Yes", "Is the nodule calcified?") == (
        "Yes, the pulmonary nodule has calcification.")  # fmt: skip


def test_a_denial_in_an_opening_although_clause_ends_at_its_comma():
    said = ("Although there is no pleural effusion or rib fracture, a thin left apical pleural "
            "line with no lung markings beyond it indicates a small pneumothorax.")  # fmt: skip
    assert judge(said, "Yes", "Is there a pneumothorax?").right is True
    assert judge(said, "No", "Is there a pneumothorax?").right is False
    assert judge(said, "No", "Is there a pleural effusion?").right is True
    said = "A visceral pleural line with no lung markings beyond it indicates a pneumothorax."
    assert judge(said, "Yes", "Is there a pneumothorax?").right is True  # 'no' ends at the verb


def test_a_claim_turned_over_beside_although_or_however_now_agrees_with_it():
    """A denial turned into a finding beside a concessive (although, '; however,') would leave
    the concession reading against it; the two clauses now join with 'and'. 'No sign of' takes
    an article when affirmed."""
    asked = "Is there a pneumothorax?"
    although = "There is no pneumothorax, although there is a small left pleural effusion."
    assert clinical_edit(although, "Yes", asked) == (
        "There is a pneumothorax, and there is a small left pleural effusion."
    )
    however = "No focal consolidation; however, there is a small right pleural effusion."
    assert clinical_edit(however, "Yes", "Is there consolidation?") == (
        "There is focal consolidation, and there is a small right pleural effusion."
    )
    rib = ("No pleural effusion is identified; however, there is a nondisplaced fracture of the "
           "right sixth rib.")  # fmt: skip
    assert plants(rib, "Is there a rib fracture?", "Yes") == {
        "No pleural effusion is identified, and there is no fracture of the right sixth rib."
    }  # the claim after '; however,' turned: two denials join with 'and'
    opened = "Although there is no pneumothorax, a small left pleural effusion is present."
    assert not (clinical_edit(opened, "Yes", asked) or "").startswith("And")
    lung = "No consolidation is seen in the left lung, although the left hemidiaphragm is elevated."
    planted = plants(lung, "Is there consolidation in the left lung?", "No") - {None}
    assert planted and not any("although" in p for p in planted)
    sign = clinical_edit("No, there is no sign of fracture.", "Yes", "Is there a fracture?")
    assert sign == "Yes, there is a sign of fracture."


def test_a_finding_made_present_is_refused_beside_another_sentence_that_denies_it():
    """A yes made of a no must not leave another sentence denying the finding, a finding whose
    textbook features it is, or its own features: the answer would contradict itself."""
    flap = ("No, there is no intimal flap in the thoracic aorta. The aorta opacifies uniformly, "
            "with no evidence of aortic dissection.")  # fmt: skip
    assert clinical_edit(flap, "Yes", "Is there an intimal flap in the thoracic aorta?") is None
    koilocytes = ("No, the cervical biopsy does not show koilocytes. The squamous epithelium "
                  "matures normally, without perinuclear halos.")  # fmt: skip
    assert clinical_edit(koilocytes, "Yes", "Does the biopsy show koilocytes?") is None
    other = "No, there is no pneumothorax. There is no pleural effusion."
    assert clinical_edit(other, "Yes", "Is there a pneumothorax?") == (
        "Yes, there is a pneumothorax. There is no pleural effusion."
    )


def test_a_heart_size_called_normal_says_nothing_of_a_calcification():
    calcified = ("Yes, there are dense calcifications along the left anterior descending coronary "
                 "artery, indicating coronary atherosclerosis. The heart size is within normal "
                 "limits.")  # fmt: skip
    assert judge(calcified, "Yes", "Are there calcifications in the coronary arteries?").right
    assert judge("No. The heart size is normal.", "No", "Is there cardiomegaly?").right
    assert not judge("No. The heart size is normal.", "Yes", "Is there cardiomegaly?").right


def test_a_lobe_moves_with_its_ventricular_horn_or_not_at_all():
    tumor = ("The enhancing tumor is located in the right frontal lobe, with mild mass effect on "
             "the frontal horn of the right lateral ventricle.")  # fmt: skip
    planted = plants(tumor, "Which lobe contains the tumor?", "Right frontal lobe", seeds=20)
    assert planted - {None} and not any(p and "parietal" in p for p in planted)


def test_a_widened_mediastinum_is_named_in_the_impression_it_would_contradict():
    report = ("FINDINGS: The heart is normal in size. The mediastinal contours are within "
              "normal limits. The lungs are clear. IMPRESSION: No acute cardiopulmonary "
              "abnormality.")  # fmt: skip
    found = plants(report, "Describe the findings of this chest X-ray.", report, seeds=30)
    widened = [p for p in found if p and "widened" in p]
    assert widened and all(p.endswith("IMPRESSION: Widened mediastinum.") for p in widened)


def test_a_carcinoma_is_never_planted_beside_the_glands_that_tell_the_old_one():
    biopsy = ("This prostate biopsy shows adenocarcinoma, with small crowded glands that lack a "
              "basal cell layer and have enlarged nuclei with prominent nucleoli.")  # fmt: skip
    planted = plants(biopsy, "What is the diagnosis?", "Adenocarcinoma", seeds=20)
    assert not any(p and "carcinoma," in p and "adenocarcinoma" not in p for p in planted)


def test_numbers_that_count_something_else_are_not_other_answers():
    question = "How many vessels are seen in the umbilical cord?"
    cord = "There are three vessels in the umbilical cord: two arteries and one vein."
    assert judge(cord, "3", question).right
    assert (
        judge("There are two vessels in the cord, one artery and one vein.", "3", question).right
        is False
    )
    assert judge("There are 3 or 2 vessels.", "3", question).right is None


def test_a_hedge_on_the_diagnosis_leaves_the_finding_said_plainly():
    question = "What is seen in the left maxillary sinus?"
    sinus = ("There is an air-fluid level in the left maxillary sinus, which is suggestive of "
             "acute sinusitis. The remaining paranasal sinuses appear clear.")  # fmt: skip
    assert judge(sinus, "Air-fluid level", question).right
    assert (
        judge("The sinus may show an air-fluid level.", "Air-fluid level", question).right is None
    )
    cmv = ("Yes, the enlarged tubular cells contain large intranuclear inclusions surrounded by a "
           "clear halo, giving an owl's eye appearance.")  # fmt: skip
    asked = "Do the enlarged renal tubular cells contain viral inclusions?"
    assert judge(cmv, "Yes", asked).right
    assert (
        judge(cmv.replace("Yes, the", "No, the").replace("contain", "lack"), "Yes", asked).right
        is not True
    )


def test_a_refusal_to_read_the_image_is_no_report():
    reference = "FINDINGS: Lungs are clear. No effusion. IMPRESSION: Normal chest radiograph."
    refusal = ("I am not able to provide a diagnostic interpretation of medical images. "
               "This appears to be a chest radiograph; please consult a radiologist.")  # fmt: skip
    assert judge(refusal, reference, "Write the findings and impression.").right is None


def test_a_planted_denial_drops_how_the_finding_looked_but_keeps_its_kind():
    brain = ("No, the brain is not normal; there is a hyperintense mass in the right temporal "
             "lobe.")  # fmt: skip
    planted = plants(brain, "Is the brain normal?", "No", seeds=12) - {None}
    assert planted and not any("hyperintense" in p for p in planted)
    lung = "Yes, the lung looks abnormal, with a patchy consolidation in the right lower lobe."
    planted = plants(lung, "Does the lung look abnormal?", "Yes", seeds=12) - {None}
    assert planted and not any("patchy" in p or "a consolidation" in p for p in planted)
    fat = plants("Yes, there is fat necrosis.", "Is there fat necrosis?", "Yes") - {None}
    assert fat == {"No, there is no fat necrosis."}


def test_a_sign_named_as_the_references_finding_and_a_clear_halo_are_no_claims_of_their_own():
    reference = ("FINDINGS: Heart size is normal. There is a moderate hiatal hernia. The lungs are "
                 "clear. IMPRESSION: Moderate hiatal hernia.")  # fmt: skip
    answer = ("FINDINGS: The heart size is normal. A retrocardiac air-fluid level is noted, "
              "consistent with a moderate hiatal hernia. The lungs are clear. IMPRESSION: "
              "Moderate hiatal hernia.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right
    abscess = answer.replace("consistent with a moderate hiatal hernia", "in the right lower lobe")
    assert judge(abscess, reference, "Describe the findings.").right is False
    halo = ("Yes, enlarged cells contain large intranuclear inclusions with a surrounding clear "
            "halo; no granulomas are seen.")  # fmt: skip
    assert judge(halo, "yes", "are viral inclusions present?").right


def test_a_catheters_route_and_a_modality_change_leave_what_they_show():
    reference = ("FINDINGS: Right internal jugular central venous catheter with tip in the mid "
                 "SVC. No pneumothorax.")  # fmt: skip
    answer = ("FINDINGS: A right subclavian central venous catheter is seen with its tip in the "
              "mid SVC. No pneumothorax.")  # fmt: skip
    assert clinical_edit(answer, reference, "Generate a report.") == answer.replace(
        "subclavian", "internal jugular"
    )
    neck = ("This is a contrast-enhanced computed tomography (CT) scan of the neck, showing the "
            "soft tissues of the oropharynx.")  # fmt: skip
    fixed = clinical_edit(neck, "MRI", "What type of imaging study is this neck scan?")
    assert fixed and "magnetic resonance" in fixed and "CT" not in fixed and "oropharynx" in fixed
    dense = "This is a CT scan of the head, showing a hyperdense hematoma."  # CT's own word
    assert clinical_edit(dense, "MRI", "What imaging modality is this?") is None


def test_report_and_answer_plants_that_experts_call_artifacts_are_not_made():
    """A pneumothorax asserted with no side (There is a pneumothorax.) gets one; a count is not
    changed beside a word that says it too (a bilobed nucleus with two lobes); a B-cell keeps
    its capital; obstruction is not planted beside bowel loops normal in caliber; a participle
    whose evidence is cut goes with it (acquired with T2 weighting ...)."""
    report = ("FINDINGS: A small right pleural effusion is present. No pneumothorax. IMPRESSION: "
              "Small right pleural effusion.")  # fmt: skip
    planted = plants(report, "Describe the findings.", report, seeds=20) - {None}
    assert not any(
        "There is a pneumothorax." in p or "IMPRESSION: Pneumothorax" in p for p in planted
    )
    cell = ("This neutrophil has a bilobed nucleus, with two symmetric lobes joined by a thin "
            "chromatin bridge.")  # fmt: skip
    assert not any(p and "three" in p for p in plants(cell, "How many lobes?", "2", seeds=12))
    node = plants("This lymph node shows follicular lymphoma.", "What is the diagnosis?",
                  "Follicular lymphoma", seeds=30)  # fmt: skip
    assert not any(p and "b-cell" in p for p in node)
    bowel = ("No, there is no evidence of bowel obstruction; the small bowel loops are normal in "
             "caliber.")  # fmt: skip
    assert plants(bowel, "Does this radiograph show a bowel obstruction?", "No") == {None}
    mri = ("This is a magnetic resonance (MR) image of the brain, acquired with T2 weighting so "
           "that the cerebrospinal fluid appears bright.")  # fmt: skip
    assert not any(
        p and p.endswith("acquired.") for p in plants(mri, "CT or MRI?", "MRI", seeds=12)
    )


def test_a_count_given_as_shares_of_places_is_the_total_or_unsure():
    question = "How many lesions are there?"
    total = "There are three lesions: two in the liver and one in the spleen."
    assert judge(total, "3", question).right
    assert not judge(total.replace("three", "four"), "3", question).right  # 4 is not 2 + 1
    split = "There are two lesions in the liver and one in the spleen."  # 2 + 1: not 'two'
    assert judge(split, "3", question).right is None
    assert judge("There are two lesions.", "3", question).right is False


def test_a_grade_or_stage_in_roman_numerals_is_its_number_and_is_planted_as_one():
    question = "What is the WHO/ISUP grade of this clear cell renal cell carcinoma?"
    answer = "This tumour corresponds to WHO/ISUP grade III, with prominent nucleoli."
    assert judge(answer, "Grade 3", question).right
    assert judge(answer.replace("III", "II"), "Grade 3", question).right is False
    assert judge("This is a FIGO stage IV tumour.", "Stage 2", "What stage?").right is False
    assert judge("Nottingham grade I invasive ductal carcinoma.", "1", "What grade?").right
    planted = plants(answer, question, "Grade 3", seeds=12) - {None}
    assert planted and all(re.search(r"grade (?:I|II|IV)\b", p) for p in planted)
    assert judge("Type I pneumocytes line the alveoli.", "2", "How many types?").right is not True


def test_an_organ_word_before_a_finding_is_the_subject_not_the_predicate():
    question = "Is this renal tumour benign?"  # asks benign, not whether there is a tumour
    assert judge(
        "The tumour is malignant, consistent with clear cell carcinoma.", "No", question
    ).right
    assert judge("Yes, the tumour is benign.", "No", question).right is False
    assert judge("No, the liver mass is malignant.", "No", "Is the liver mass benign?").right
    assert judge("The mass appears calcified.", "Yes", "Is the mass calcified?").right


def test_an_organ_named_as_the_place_of_the_asked_finding_may_be_normal():
    question = "Is there a hydrocele?"
    answer = ("Yes, there is a large simple hydrocele surrounding the right testis, which itself "
              "appears normal in echotexture.")  # fmt: skip
    assert judge(answer, "Yes", question).right
    assert judge("The testes appear normal.", "No", question).right  # a normal organ says no
    ovary = (
        "A simple cyst is seen in the right ovary; the left ovary appears normal without any cyst."
    )
    assert plants(ovary, "Is there a cyst in the left ovary?", "No") - {None}  # no landmark
    planted = plants(answer, question, "Yes") - {None}
    assert planted and all("abnormal" not in p for p in planted)


def test_an_answer_asserting_both_options_of_a_question_is_unsure():
    question = "Is this high-grade prostatic intraepithelial neoplasia or invasive adenocarcinoma?"
    both = ("The glands show enlarged nuclei with prominent nucleoli, which can be seen in both "
            "high-grade PIN and invasive adenocarcinoma; p63 would be needed.")  # fmt: skip
    assert judge(both, "Invasive adenocarcinoma", question).right is None
    chosen = "This is invasive adenocarcinoma, not high-grade PIN."
    assert judge(chosen, "Invasive adenocarcinoma", question).right
    assert judge("This is HGPIN.", "Invasive adenocarcinoma", question).right is False


def test_a_brain_lobe_word_naming_another_part_is_no_lobe():
    def concepts(text):
        return [m.concept for m in clinical.mentions(text)]

    assert "parietal lobe" not in concepts("Thickened parietal and visceral pleura.")
    assert "frontal lobe" not in concepts("Opacification of the left frontal sinus.")
    assert "temporal lobe" not in concepts("The temporal horns are dilated.")
    assert "occipital lobe" not in concepts("An occipital condyle fracture.")
    assert "frontal lobe" in concepts("A right frontal infarct.")  # the lobe, by its adjective
    question = "Is the loculated collection in the left hemithorax?"
    collection = ("Yes, there is a left-sided loculated collection with thickened parietal and "
                  "visceral pleura.")  # fmt: skip
    planted = plants(collection, question, "Yes", seeds=12) - {None}
    assert not any("frontal" in p or "temporal" in p or "occipital" in p for p in planted)


def test_a_catheter_tip_is_where_the_tip_is_said_to_end_not_the_veins_it_courses_through():
    question = "Describe the findings, including the position of the dialysis catheter."
    reference = ("FINDINGS: A left tunneled dialysis catheter courses through the left "
                 "brachiocephalic vein and the SVC, with its tip in the right atrium. No "
                 "pneumothorax. IMPRESSION: Catheter tip in the right atrium.")  # fmt: skip
    short = ("FINDINGS: The tip of the left tunneled dialysis catheter lies in the left "
             "brachiocephalic vein. No pneumothorax. IMPRESSION: Dialysis catheter terminates in "
             "the left brachiocephalic vein and could be advanced.")  # fmt: skip
    assert judge(short, reference, question).right is False
    fixed = clinical_edit(short, reference, question)
    assert fixed.count("right atrium") == 2 and "brachiocephalic" not in fixed
    assert "advanced" not in fixed  # the advice to move it goes with the wrong place
    right = short.replace("left brachiocephalic vein", "right atrium").replace(
        " and could be advanced", "")  # fmt: skip
    assert judge(right, reference, question).right
    tube = ("FINDINGS: A nasogastric tube is seen coursing below the left hemidiaphragm with its "
            "tip in the stomach. The lungs are clear. IMPRESSION: Nasogastric tube in appropriate "
            "position in the stomach.")  # fmt: skip
    told = ("FINDINGS: Enteric tube courses below the diaphragm with tip in the stomach. Lungs are "
            "clear. IMPRESSION: Enteric tube terminates in the stomach.")  # fmt: skip
    moved = [p for p in plants(tube, question, told, seeds=20) if p and "esophagus" in p]
    assert not any("position in the stomach" in p for p in moved)  # the impression keeps it
    swan = ("FINDINGS: Right internal jugular Swan-Ganz catheter tip is in the proximal left "
            "pulmonary artery. No pneumothorax. IMPRESSION: Catheter tip in the left pulmonary "
            "artery.")  # fmt: skip
    short = swan.replace("proximal left pulmonary artery", "right ventricular outflow tract")
    assert (
        judge(short.replace("left pulmonary artery", "right ventricle"), swan, question).right
        is False
    )


def test_a_lung_said_to_be_fully_re_expanded_rules_out_a_pneumothorax_written_beside_it():
    question = "Describe the findings of this chest X-ray compared to prior."
    reference = ("FINDINGS: The right chest tube remains in place. There is a small residual right "
                 "apical pneumothorax. IMPRESSION: Small right apical pneumothorax.")  # fmt: skip
    answer = ("FINDINGS: The right chest tube is unchanged in position. The right lung has fully "
              "re-expanded, without residual pneumothorax. IMPRESSION: Complete re-expansion of "
              "the right lung.")  # fmt: skip
    fixed = clinical_edit(answer, reference, question)
    assert fixed is None or "re-expan" not in fixed
    rim = "The right lung has re-expanded, with a small residual apical pneumothorax."
    assert not conflicts.contradictions(rim, 0, len(rim))  # re-expanded, a rim stays: no conflict


def test_a_word_ending_in_sarcoma_or_carcinoma_says_malignant():
    question = "Is this cartilage-capped bone lesion benign?"
    hedged = ("This cartilage-capped exostosis is usually benign, but secondary chondrosarcoma "
              "cannot be excluded without assessment of the cap thickness.")  # fmt: skip
    assert judge(hedged, "Yes", question).right is not True
    sure = "No, this is a chondrosarcoma arising from an osteochondroma."
    assert judge(sure, "No", "Is this bone tumor benign?").right
    assert judge(sure, "Yes", "Is this bone tumor benign?").right is False
    assert conflicts.contradictions("A benign cholangiocarcinoma.", 0, 28)


def test_ovarian_cysts_are_told_apart_by_name_and_look():
    q = "What is the lesion in the right ovary?"
    said = (
        "A unilocular cyst with diffuse low-level ground-glass echoes, typical of a chocolate cyst."
    )
    assert judge(said, "endometrioma", q).right is True
    assert judge(said, "dermoid cyst", q).right is False
    found = plants(said, q, "endometrioma")
    assert not any(p and "ground-glass" in p and "chocolate" not in p for p in found)
    quoted = "The right ovary holds a cyst with 'ground-glass' echoes, typical of an endometrioma."
    found = plants(quoted, q, "endometrioma")
    assert not any(p and "ground-glass" in p and "endometrioma" not in p for p in found)


def test_a_nodes_normal_fatty_hilum_is_not_turned_with_their_size():
    nodes = (
        "No enlarged axillary lymph nodes are seen; the visible nodes keep a normal fatty hilum."
    )
    found = plants(nodes, "Are there enlarged axillary lymph nodes?", "No")
    assert not any(p and "abnormal fatty hilum" in p for p in found)
    small = "No enlarged axillary lymph nodes are seen; the few small nodes have a fatty hilum."
    found = plants(small, "Are there enlarged axillary lymph nodes?", "No")
    assert not any(p and p.startswith("Enlarged") and "few small" in p for p in found)
    kidney = "No, the glomeruli look normal without any deposits, so there is no amyloidosis."
    fixed = clinical_edit(kidney, "yes", "Does this image show amyloid in the glomeruli?")
    assert fixed is None or "without any deposits" not in fixed  # its reason stays denied


def test_a_side_corrected_takes_along_the_side_of_what_the_lesion_acts_on():
    brain = ("The mass lies in the left parietal lobe, compressing the body of the left lateral "
             "ventricle.")  # fmt: skip
    assert clinical_edit(brain, "Right parietal lobe", "Where is the mass?") == (
        "The mass lies in the right parietal lobe, compressing the body of the right lateral "
        "ventricle.")  # fmt: skip
    adnexa = "A complex cyst is seen in the left adnexa, separate from the left ovary."
    assert clinical_edit(adnexa, "Right", "On which side is the adnexal cyst?") == (
        "A complex cyst is seen in the right adnexa, separate from the right ovary.")  # fmt: skip


def test_a_plant_keeps_no_reason_no_single_appositive_and_no_other_name_of_the_old_term():
    """'size is increased, so it is not normal' turned alone keeps its reason; 'one gallstone, a
    large stone in the neck' counted as two keeps the one; 'a peritonsillar abscess, also known as
    quinsy' swapped keeps no alias of the old name (nor writes the new one twice)."""
    spleen = "The spleen measures 15 cm, which is increased, so it is not normal in size."
    found = plants(spleen, "Is the spleen normal in size?", "No")
    assert not any(p and re.search(r"so it is normal", p) for p in found)
    stone = "Only one gallstone is seen, a large stone impacted in the gallbladder neck."
    found = plants(stone, "How many gallstones are there?", "1")
    assert not any(p and "two gallstones" in p.lower() for p in found)
    abscess = "It is a right peritonsillar abscess, also known as quinsy."
    found = plants(abscess, "What is the collection?", "Peritonsillar abscess") - {None}
    assert found and not any("also known as" in p or "quinsy" in p for p in found)


def test_lung_nodule_patterns_are_told_apart_by_name_and_spread():
    q = "What is the pattern of the nodules in the left lower lobe?"
    said = "The left lower lobe shows a miliary pattern of tiny nodules, from endobronchial spread."
    assert judge(said, "Tree-in-bud", q).right is False
    assert clinical_edit(said, "Tree-in-bud", q) == (
        "The left lower lobe shows a tree-in-bud pattern of tiny nodules, from endobronchial "
        "spread.")  # fmt: skip
    said = "Innumerable miliary nodules are scattered at random through both lungs."
    found = plants(said, "What is the pattern of the nodules?", "Miliary")
    assert not any(p and "tree-in-bud" in p and "Innumerable" in p for p in found)


def test_a_conclusion_drawn_from_a_claim_turns_with_it_and_of_normal_caliber_is_dilated():
    duct = "Yes, the pancreatic duct is dilated, so there is ductal obstruction."
    assert plants(duct, "Is the pancreatic duct dilated?", "Yes") == {
        "No, the pancreatic duct is not dilated, so there is no ductal obstruction."
    }
    aorta = "The abdominal aorta is of normal caliber throughout its course."
    assert plants(aorta, "Is the aorta normal?", "Yes") == {
        "The abdominal aorta is dilated throughout its course."
    }


def test_a_joint_effusion_is_no_pleural_effusion():
    said = "Yes, there is a moderate knee joint effusion distending the suprapatellar recess."
    assert [m.concept for m in clinical.mentions(said) if m.group == "finding"] == [
        "joint effusion"
    ]
    assert plants(said, "Is there a knee joint effusion?", "Yes") == {
        "No, there is no knee joint effusion distending the suprapatellar recess."
    }


def test_words_of_one_side_and_other_names_of_the_same_thing():
    """The gastric fundus lies on the left; free intraperitoneal fluid is ascites; iron stained
    in cells is hemosiderin; a kidney compared with the normal-sized other is no second answer."""
    gas = "The free gas lies on the left, between the left hemidiaphragm and the gastric fundus."
    fixed = clinical_edit(gas, "Right", "On which side is the free gas?")
    assert fixed is None or "fundus" not in fixed
    fluid = "Free intraperitoneal fluid is seen in large volume around the liver and spleen."
    assert judge(fluid, "Yes", "Is ascites present?").right is True
    said = "The blue granules are hemosiderin within Kupffer cells."
    assert judge(said, "iron", "What does the Prussian blue stain show?").right is True
    kidney = "The right kidney is smaller, compared with the normal-sized left kidney."
    assert judge(kidney, "right", "Which kidney is smaller?").right is True


def test_an_organ_placed_against_another_is_not_swapped_away_from_that_place():
    """The spleen, posterolateral to the stomach -> the liver would keep a relation only the
    spleen has; a left kidney behind the descending colon is no right kidney."""
    spleen = "The spleen, sitting posterolateral to the stomach in the left upper quadrant."
    found = plants(spleen, "Which organ is seen in the left upper quadrant?", "Spleen")
    assert not any(p and "posterolateral" in p and "spleen" not in p for p in found)
    asked = plants("The urinary bladder lies anterior to the uterus, filled with fluid.",
                   "Which organ lies anterior to the uterus?", "Bladder")  # fmt: skip
    assert asked - {None}  # the relation the question asks: the organ is the error
    kidney = "The left kidney, seen posterior to the descending colon."
    found = plants(kidney, "Which organ is this?", "Left kidney")
    assert not any(p and "right kidney" in p for p in found)


def test_a_verbless_answer_corrected_drops_the_participle_that_told_the_old_kind():
    said = "An epidural hematoma, seen as a biconvex extra-axial collection."
    assert clinical_edit(said, "Subdural hematoma", "What kind of bleed is this?") == (
        "A subdural hematoma.")  # fmt: skip


def test_lobular_neoplasia_covers_lcis_and_alh():
    q = "Does this breast core biopsy show lobular neoplasia?"
    said = "Yes, there is atypical lobular hyperplasia partly filling a lobule."
    assert judge(said, "Yes", q).right is True
    assert judge(said, "No", q).right is False
    assert judge("It is lobular carcinoma in situ (LCIS).", "atypical lobular hyperplasia",
                 "What is the diagnosis?").right is False  # fmt: skip


def test_a_named_benign_tumour_says_not_malignant():
    q = "Is this thyroid nodule malignant?"
    said = "It is a follicular adenoma, fully encapsulated, with no capsular or vascular invasion."
    assert judge(said, "No", q).right is True
    assert judge(said, "Yes", q).right is False
    lipoma = "This is a lipoma, composed of mature adipocytes without atypia."
    assert judge(lipoma, "No", "Is the soft tissue mass malignant?").right is True


def test_a_tube_moved_keeps_no_preposition_of_the_old_place_and_no_approval_after_it():
    reference = ("FINDINGS: The endotracheal tube terminates in the right mainstem bronchus and "
                 "should be withdrawn by 3 cm. IMPRESSION: Endotracheal tube in the right mainstem "
                 "bronchus.")  # fmt: skip
    answer = ("FINDINGS: The endotracheal tube projects over the mid trachea, which is "
              "satisfactory. IMPRESSION: Endotracheal tube well positioned.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Write the report for this portable radiograph.")
    assert fixed.count("right mainstem bronchus") == 2
    assert "over in" not in fixed and "satisfactory" not in fixed and "well positioned" not in fixed


def test_no_side_is_planted_beside_a_structure_of_the_other_side_only():
    answer = ("It sits in the right upper lobe, abutting the minor fissure inferiorly and the "
              "right paratracheal region medially.")  # fmt: skip
    planted = plants(answer, "In which lobe is the mass?", "Right upper lobe", seeds=12) - {None}
    assert not any("left" in p and "minor fissure" in p for p in planted)
    cecum = "The inflamed appendix lies in the right lower quadrant, beside the cecum."
    planted = plants(cecum, "Where is the abnormality?", "Right lower quadrant", seeds=12)
    assert not any(p and "left" in p and "cecum" in p for p in planted)


def test_a_side_written_into_a_new_finding_follows_its_age_and_no_interval_change_stays_false():
    question = "Describe the findings of this chest X-ray compared with the prior study."
    reference = ("FINDINGS: There is a new left retrocardiac opacity. No pleural effusion. "
                 "IMPRESSION: New left retrocardiac opacity.")  # fmt: skip
    answer = "FINDINGS: There is no new opacity. No pleural effusion. IMPRESSION: No acute process."
    fixed = clinical_edit(answer, reference, question)
    assert "a new left opacity" in fixed and "left new" not in fixed
    unchanged = answer.replace("No acute process.", "No interval change.")
    assert clinical_edit(unchanged, reference, question) is None  # new, yet no change: refused
    acute = clinical_edit("There is no acute hematoma.", "Acute left subdural hematoma.", question)
    assert acute is None or "an acute" in acute


def test_every_word_that_draws_a_diagnosis_after_a_count_keeps_its_number():
    question = "How many nodules are there?"
    for cue in ("representing", "compatible with", "most likely", "concerning for"):
        answer = f"There are two nodules in the right lung, {cue} granulomas."
        planted = plants(answer, question, "2", seeds=12) - {None}
        assert planted and not any("one nodule" in p for p in planted), cue


def test_a_pneumothorax_planted_in_a_clause_after_a_sided_device_gets_its_own_side():
    report = ("FINDINGS: The left subclavian catheter tip projects over the mid SVC, and there is "
              "no pneumothorax. The lungs are clear. IMPRESSION: Line in place.")  # fmt: skip
    planted = plants(report, "Write the radiology report.", report, seeds=20) - {None}
    turned = [p for p in planted if "no pneumothorax" not in p]
    assert turned and all(re.search(r"a small (?:left|right) pneumothorax", p) for p in turned)


def test_is_there_asks_its_own_noun_and_a_non_word_denies_the_word_asked():
    question = "Is there caseation within these pulmonary granulomas?"
    assert judge("These are non-caseating granulomas.", "Yes", question).right is False
    assert judge("These are non-caseating granulomas.", "No", question).right
    assert judge("Yes, there is caseous necrosis within them.", "Yes", question).right
    answer = ("No, these are non-caseating granulomas made of epithelioid macrophages without "
              "central necrosis, typical of sarcoidosis.")  # fmt: skip
    fixed = clinical_edit(answer, "Yes", question)
    assert fixed is None or "non-caseating" not in fixed
    assert judge("It is a noncalcified nodule.", "Yes", "Is the nodule calcified?").right is False
    small = "No, this is a non-small cell lung carcinoma."
    assert judge(small, "No", "Is this a small cell carcinoma?").right
    assert judge("Yes, there is a nodule.", "Yes", "Is there a nodule in the right lung?").right
    ring = ("Yes, the lesion shows smooth, thin ring enhancement with a central non-enhancing "
            "cavity, suggestive of a pyogenic abscess.")  # fmt: skip
    assert judge(ring, "Yes", "Does the brain lesion show ring enhancement?").right  # the cavity
    hedged = ("The trachea looks approximately central, although slight shift toward the right "
              "cannot be excluded.")  # fmt: skip
    assert judge(hedged, "Yes", "Is there tracheal deviation on this radiograph?").right is not True


def test_a_comparison_is_not_turned_beside_a_size_told_of_one_of_its_organs():
    question = "Which parotid gland is smaller, the left or the right?"
    answer = (
        "The left parotid gland is smaller than the right, which is enlarged and heterogeneous."
    )
    planted = plants(answer, question, "Left", seeds=12)
    assert not any(p and "larger" in p and "which is enlarged" in p for p in planted)
    which = "Which is larger, the liver or the spleen?"
    plain = plants("The liver is larger than the spleen.", which, "Liver")
    assert plain == {"The liver is smaller than the spleen."}


def test_a_region_named_as_a_noun_is_planted_as_the_other_option_without_its_evidence():
    question = "Is this a scan of the chest or the abdomen?"
    thorax = "This is a scan of the thorax, showing both lungs and the heart."
    assert plants(thorax, question, "Chest") == {"This is a scan of the abdomen."}
    assert plants("This is a thoracic scan.", question, "Chest") == {"This is an abdominal scan."}


def test_a_region_written_for_a_noun_is_a_noun():
    question = "Which part of the body does this image belong to?"
    assert clinical_edit("This image belongs to the abdomen.", "Pelvic Cavity", question) == (
        "This image belongs to the pelvic cavity."
    )
    assert clinical_edit("This image shows the abdomen.", "Pelvic", question) == (
        "This image shows the pelvis."
    )
    assert clinical_edit("This is an abdominal CT.", "Pelvic", question) == "This is a pelvic CT."


def test_a_cardiothoracic_ratio_turns_with_the_heart_size():
    question = "Is the heart size normal?"
    normal = (
        "Yes, the heart size is within normal limits; the cardiothoracic ratio is less than 50%."
    )
    assert clinical_edit(normal, "No", question) == (
        "No, the heart size is not within normal limits; the cardiothoracic ratio is greater "
        "than 50%."
    )
    planted = plants(normal, question, "Yes") - {None}
    assert planted and all("greater than 50%" in p for p in planted)
    look = "Yes, the liver appears normal, with homogeneous attenuation."  # still unread: none
    assert clinical_edit(look, "No", "Is the liver normal?") is None


def test_an_organ_that_places_the_asked_finding_is_no_claim_of_its_own():
    question = "Is there a fracture of the femur?"
    hip = (
        "There is soft tissue swelling around the hip, but no fracture of the femur is identified."
    )
    assert clinical_edit(hip, "Yes", question) == (
        "There is soft tissue swelling around the hip, and a fracture of the femur is identified."
    )
    assert clinical_edit("No fracture of the femur is identified.", "Yes", question) == (
        "A fracture of the femur is identified."
    )


def test_parasites_fungi_red_cell_inclusions_and_thyroiditis_are_told_apart():
    """Named organisms, inclusions and diseases of one family answer for each other only as
    errors: Cryptosporidium is no Giardia, Mucor no Aspergillus, basophilic stippling no
    Howell-Jolly bodies, Graves disease no Hashimoto thyroiditis, a varicocele no hydrocele."""
    cases = [
        ("Cryptosporidium organisms line the brush border.", "giardia", "What parasite is seen?"),
        (
            "Broad ribbon-like hyphae, consistent with Mucor.",
            "aspergillus",
            "What fungus is present?",
        ),
        ("The red cells show basophilic stippling.", "Howell-Jolly bodies", "What inclusions?"),
        ("This is Graves disease.", "Hashimoto thyroiditis", "What is the diagnosis?"),
        ("There is a large left varicocele.", "Hydrocele", "What abnormality is seen?"),
    ]
    for answer, reference, question in cases:
        assert judge(answer, reference, question).right is False, answer
        assert judge(answer, answer.split()[0], question).right is not False, answer
    assert judge("Candida is seen, with budding yeasts.", "Candida", "Which fungus?").right
    fixed = clinical_edit("Cryptosporidium organisms are seen.", "Giardia", "What parasite?")
    assert fixed and "Giardia" in fixed and "Cryptosporidium" not in fixed


def test_transverse_before_what_it_describes_is_no_image_plane():
    assert judge("This is a transverse CT image of the abdomen.", "Axial", "Which plane?").right
    fracture = "There is a transverse fracture of the distal tibial shaft."
    fixed = clinical_edit(fracture, "Sagittal", "In which plane is this image taken?")
    assert "sagittal fracture" not in (fixed or "")  # the fracture's pattern is no plane


def test_a_tumors_invasion_of_vessels_is_no_invasion_of_its_stroma():
    question = "Is lymphovascular invasion present in this breast carcinoma?"
    stroma = ("The invasive ductal carcinoma shows nests of tumor cells infiltrating the stroma, "
              "but no lymphovascular invasion is seen.")  # fmt: skip
    assert judge(stroma, "yes", question).right is False
    assert clinical_edit(stroma, "yes", question) == stroma.replace(
        "but no lymphovascular", "and lymphovascular"
    )


def test_a_hedge_on_what_a_finding_suggests_leaves_where_it_is_said_plainly():
    nodule = ("The spiculated nodule is located in the right lower lobe, and its irregular "
              "margins raise concern for a primary lung malignancy.")  # fmt: skip
    assert judge(nodule, "Right lower lobe", "Which lobe harbors the spiculated nodule?").right
    granuloma = ("FINDINGS: A calcified granuloma is noted in the right midlung zone. The lungs "
                 "are otherwise clear.")  # fmt: skip
    left = granuloma.replace("right", "left")
    assert judge(granuloma, left, "Describe the findings.").right is False  # a midlung zone's side
    device = ("FINDINGS: A right internal jugular central venous catheter terminates in the mid "
              "SVC. The lungs are clear.")  # fmt: skip
    fixed = clinical_edit(device, "FINDINGS: The lungs are clear.", "Describe the findings.")
    assert not (fixed or "").startswith("FINDINGS: No internal jugular")  # no line placed anywhere


def test_a_report_that_denies_a_finding_yet_says_it_possible_is_unsure():
    reference = "FINDINGS: Small right apical pneumothorax. IMPRESSION: Small right pneumothorax."
    answer = ("FINDINGS: There is no definite pneumothorax, although a tiny right apical "
              "pneumothorax cannot be entirely excluded. IMPRESSION: No definite "
              "pneumothorax.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right is None
    assert clinical_edit(answer, reference, "Describe the findings.") is None
    two = "Two mitotic figures are visible, one of which appears atypical."
    assert judge(two, "2", "How many mitotic figures are visible?").right  # one of them: a part


def test_a_count_of_which_a_part_is_said_is_judged_by_its_total():
    question = "How many mitotic figures are visible in this high-power field?"
    three = (
        "Three mitotic figures are visible in this high-power field, one of which appears atypical."
    )
    assert judge(three, "2", question).right is False  # the total is wrong, its part aside
    assert (
        judge("Three nodules, two of which are calcified.", "2", "How many nodules?").right is False
    )
    assert counterfactual_edit(
        three.replace("Three", "Two"), np.random.default_rng(0), question, "2"
    )


def test_an_open_answer_of_two_sentences_gets_the_asked_claim_changed():
    answer = ("The mass arises from the head of the pancreas, near the duodenum. It appears "
              "hypodense compared with the surrounding parenchyma.")  # fmt: skip
    question = "Which part of the pancreas contains the mass?"
    planted = {
        counterfactual_edit(answer, np.random.default_rng(k), question, "Head") for k in range(6)
    }
    assert planted and None not in planted
    for text in planted:
        first, second = text.split(". ", 1)
        assert re.fullmatch(r"The mass arises from the (neck|body|tail) of the pancreas", first)
        # the duodenum, which places the head, goes with it
        assert second == "It appears hypodense compared with the surrounding parenchyma."


def test_a_planted_claim_is_never_left_beside_a_sentence_that_backs_the_old_one():
    question = "Is the spleen enlarged?"
    for answer in ("Yes, the spleen is enlarged. This is consistent with splenomegaly.",
                   "Yes, the spleen is enlarged. It measures about 16 cm in length."):  # fmt: skip
        for k in range(4):
            planted = counterfactual_edit(answer, np.random.default_rng(k), question, "Yes")
            assert planted is None or not planted.startswith("No")


@pytest.mark.parametrize(
    "question, answer, reference",
    [  # a modifier coordinated with another is read with its noun ('intact capsule' is no
       # capsular invasion); the specimen a question names is no part of what it asks
        ("Does the tumor show capsular invasion?",
         "No, the nodule has an intact capsule without capsular or vascular invasion.", "no"),
        ("Is the basement membrane thickened in this specimen?",
         "Yes, there is diffuse thickening of the capillary basement membrane.", "yes"),
    ],
)  # fmt: skip
def test_closed_answers_in_words_the_lexicon_lacks_are_read_both_ways(question, answer, reference):
    other = {"yes": "no", "no": "yes"}[reference]
    assert judge(answer, reference, question).right is True
    assert judge(answer, other, question).right is False


def test_an_enlarged_heart_beside_no_acute_process_is_not_said_both_ways():
    reference = ("FINDINGS: Mild cardiomegaly. The lungs are clear. IMPRESSION: Mild cardiomegaly, "
                 "no acute cardiopulmonary process.")  # fmt: skip
    answer = ("FINDINGS: The heart is mildly enlarged. The lungs are clear. IMPRESSION: Mild "
              "enlargement of the cardiac silhouette without acute cardiopulmonary "
              "process.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right is True


def test_a_tube_tip_at_another_distance_from_its_landmark_is_wrong():
    reference = ("FINDINGS: Endotracheal tube tip 1.5 cm above the carina; recommend withdrawal "
                 "by 2 cm. Lungs are clear. IMPRESSION: Low endotracheal tube.")  # fmt: skip
    answer = ("FINDINGS: The endotracheal tube tip is 6 cm above the carina, in satisfactory "
              "position. The lungs are clear. IMPRESSION: Support devices in standard "
              "position.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right is False
    assert clinical_edit(answer, reference, "Describe the findings.") is None  # advice goes too
    near = answer.replace("6 cm", "2 cm")
    assert judge(near, reference.replace("1.5 cm", "2.5 cm"), "Describe the findings.").right


def test_a_plant_cuts_the_reason_an_answer_gives_for_its_claim():
    t1 = ("This is a T1-weighted MR image, since the cerebrospinal fluid appears dark and the "
          "subcutaneous fat is bright.")  # fmt: skip
    neck = "The axial CT image shows the neck, at the level of the thyroid gland and larynx."
    t2 = "This is a T2-weighted MR image."
    cases = ((t1, "What is the MR weighting of this image?", "T1", t2),
             (neck, "Which part of the body does this image show?", "Neck", None))  # fmt: skip
    for answer, question, reference, expected in cases:
        planted = {counterfactual_edit(answer, np.random.default_rng(k), question, reference)
                   for k in range(6)}  # fmt: skip
        assert planted and None not in planted
        assert all(not re.search(r"since|thyroid|larynx|fluid", p) for p in planted)
        assert expected is None or planted == {expected}
    assert {p.rsplit(" ", 1)[1] for p in planted} <= {"chest.", "head."}  # the neck's neighbours


def test_bare_edema_beside_a_brain_structure_is_cerebral_edema():
    answer = "The acute hematoma lies in the right caudate nucleus, with mild surrounding edema."
    fixed = clinical_edit(answer, "Thalamus", "Which part of the brain contains the hematoma?")
    assert fixed == answer.replace("caudate nucleus", "thalamus")
    assert [m.concept for m in clinical.mentions("Edema fills both lungs.")][0] == "pulmonary edema"


def test_features_after_a_comma_that_tell_the_reference_finding_stay_with_it():
    answer = ("There is a right pleural effusion, with a sharp visceral pleural line and no lung "
              "markings beyond it.")  # fmt: skip
    fixed = clinical_edit(answer, "Pneumothorax", "What abnormality is seen in the right chest?")
    assert fixed == answer.replace("pleural effusion", "pneumothorax")


def test_a_pleural_finding_may_take_the_place_of_another_at_the_base_of_a_lung():
    question = "What is seen at the base of the left lung?"
    answer = (
        "There is a pneumothorax at the base of the left lung, blunting the costophrenic angle."
    )
    fixed = clinical_edit(answer, "Pleural effusion", question)
    assert fixed == answer.replace("a pneumothorax", "a pleural effusion")
    lobe = "There is a pneumothorax in the left lower lobe."
    assert clinical_edit(lobe, "Pleural effusion", question) is None  # no effusion in a lobe


def test_a_finding_affirmed_beside_a_hedge_is_not_put_under_it():
    reference = ("FINDINGS: Left basilar opacity, likely atelectasis. Small left pleural effusion. "
                 "IMPRESSION: Small left pleural effusion with basilar atelectasis.")  # fmt: skip
    answer = ("FINDINGS: There is a left basilar opacity suggestive of atelectasis, but no pleural "
              "effusion. IMPRESSION: Left basilar atelectasis without effusion.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the findings.")
    assert fixed and "atelectasis. There is also a small left pleural effusion." in fixed
    assert judge(fixed, reference, "Describe the findings.").right


def test_a_hallucinated_finding_is_denied_without_what_showed_it():
    reference = "FINDINGS: The lungs are clear. No pleural effusion or pneumothorax."
    answer = ("FINDINGS: The lungs are clear. There is a small left pleural effusion with blunting "
              "of the left costophrenic angle. No pneumothorax.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the findings.")
    assert fixed and "There is no pleural effusion. No pneumothorax." in fixed
    assert "blunting" not in fixed


def test_a_denial_opening_a_sentence_becomes_the_reference_plural_finding_with_its_verb():
    reference = ("FINDINGS: Small bilateral pleural effusions. The heart is normal in size. "
                 "IMPRESSION: Small bilateral pleural effusions.")  # fmt: skip
    answer = ("FINDINGS: No pleural effusion is identified. The heart is normal in size. "
              "IMPRESSION: No acute findings.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the findings.")
    assert fixed and fixed.startswith("FINDINGS: Small bilateral pleural effusions are identified.")


def test_pigments_leukemias_and_bone_cells_are_families():
    pigment = "The macrophages contain coarse golden-brown hemosiderin pigment."
    asked = "What is the brown pigment in the macrophages?"
    assert judge(pigment, "Melanin", asked).right is False
    assert "melanin" in (clinical_edit(pigment, "Melanin", asked) or "")
    leukemia = "This is acute promyelocytic leukemia."
    kind = "What type of leukemia is this?"
    planted = {counterfactual_edit(leukemia, np.random.default_rng(k), kind, leukemia[8:-1])
               for k in range(5)}  # fmt: skip
    assert planted and all(re.fullmatch(r"This is (?:chronic|acute) \w+ leukemia\.", p)
                           and p != leukemia for p in planted)  # fmt: skip
    cells = "Multinucleated osteoblasts are resorbing the bone surface."
    assert judge(cells, "Osteoclasts", "Which cells are resorbing the bone?").right is False


def test_the_subject_of_does_it_show_is_not_what_the_question_asks():
    question = "Does this tumor show a storiform pattern?"
    answer = ("Yes, there is a storiform pattern, with plump spindle cells radiating from a "
              "central point, as seen in a fibrohistiocytic tumor.")  # fmt: skip
    planted = {counterfactual_edit(answer, np.random.default_rng(k), question, "Yes")
               for k in range(4)}  # fmt: skip
    assert planted == {"No, there is no storiform pattern."}  # its evidence goes with it


def test_a_denial_only_of_a_definite_finding_with_a_hedge_is_not_turned():
    answer = ("There is no definite intracranial hemorrhage, although a small subdural collection "
              "cannot be entirely excluded.")  # fmt: skip
    question = "Is there an intracranial hemorrhage?"
    assert judge(answer, "No", question).right is True  # it leans to no
    assert explain_edit(answer, "Yes", question) == (None, "hedged")
    plain = "There is no definite intracranial hemorrhage."
    assert clinical_edit(plain, "Yes", question) is not None


def test_a_planted_cell_leaves_no_appositive_of_the_old_one():
    answer = ("The diagnostic cells are Reed-Sternberg cells, large binucleate cells with "
              "prominent owl-eye nucleoli.")  # fmt: skip
    planted = plants(
        answer, "Which cells are diagnostic of Hodgkin lymphoma?", "Reed-Sternberg cells"
    ) - {None}
    assert planted and all("binucleate" not in p and "," not in p for p in planted)


def test_one_paired_organ_placed_on_a_side_is_not_recounted():
    question = "How many kidneys are seen on this slice?"
    sided = "Only one kidney is seen, on the right side of the abdomen."
    assert clinical_edit(sided, "2", question) is None
    assert clinical_edit("Only one kidney is seen.", "2", question) is not None


def test_the_size_of_a_collection_stays_where_the_answer_tells_the_new_one():
    answer = "There is a large pleural effusion surrounding the heart."
    fixed = clinical_edit(answer, "Pericardial effusion", "What surrounds the heart?")
    assert fixed == "There is a large pericardial effusion surrounding the heart."
    bare = "The findings are consistent with a large left pleural effusion."
    fixed = clinical_edit(bare, "Pneumothorax", "What is the diagnosis?")
    assert fixed is not None and "large" not in fixed  # nothing says it was a pneumothorax seen


def test_a_side_of_a_brain_hemisphere_is_planted():
    answer = "The infarct involves the right cerebellar hemisphere."
    question = "Which side of the cerebellum is infarcted?"
    planted = plants(answer, question, "Right", 4)
    assert planted == {"The infarct involves the left cerebellar hemisphere."}


def test_advice_to_image_further_hedges_no_claim():
    answer = ("The stone is in the left distal ureter. A CT urogram could be considered for "
              "further evaluation.")  # fmt: skip
    question = "Where is the stone located?"
    assert judge(answer, "Left ureter", question).right is True
    hedged = "The stone is in the left distal ureter. A second stone may be present."
    assert judge(hedged, "Left ureter", question).right is None


def test_no_side_is_planted_against_the_side_of_a_one_sided_organ():
    answer = ("A calcified focus lies in the right lower quadrant, which likely represents an "
              "appendicolith.")  # fmt: skip
    planted = plants(answer, "In which quadrant is the calcified focus?", "Right lower quadrant")
    assert not any(p and "left lower quadrant, which" in p for p in planted)  # its cause goes


def test_a_stain_replaced_keeps_its_noun_and_drops_the_old_colour():
    answer = "The amyloid deposits are highlighted with a Masson trichrome stain, staining blue."
    fixed = clinical_edit(answer, "Congo red", "Which stain highlights the amyloid deposits?")
    assert fixed == "The amyloid deposits are highlighted with a Congo red stain."


def test_a_yes_turned_to_no_says_the_finding_is_not_present():
    answer = "Yes, Mallory-Denk bodies are present in the ballooned hepatocytes."
    fixed = clinical_edit(answer, "No", "Are Mallory-Denk bodies present?")
    assert fixed == "No, Mallory-Denk bodies are not present in the ballooned hepatocytes."


def test_a_lobe_is_not_planted_where_the_answer_places_the_old_one():
    answer = "The cavitary lesion is in the left upper lobe, near the apex."
    question = "Which lobe contains the cavitary lesion?"
    planted = plants(answer, question, "Left upper lobe", 8)
    assert planted - {None}
    assert not any(p and re.search(r"(?:lower|middle) lobe, near the apex", p) for p in planted)


def test_an_organ_out_of_the_slice_is_not_made_visible_at_the_same_level():
    answer = ("The liver is not seen on this slice; the slice is at the level of the lung apices, "
              "showing the trachea and the great vessels.")  # fmt: skip
    question = "Is the liver visible on this slice?"
    planted = plants(answer, question, "No", 4)
    assert planted == {None}


def test_normal_describing_what_a_question_asks_of_is_not_asked():
    question = "Is the normal lobular architecture distorted?"
    answer = "Yes, the normal lobular architecture is distorted by bridging fibrous septa."
    planted = plants(answer, question, "Yes", 4)
    assert not any(p and "abnormal" in p for p in planted)
    assert judge("No, the lobular architecture is preserved.", "No", question).right is True


def test_a_conclusion_stays_with_a_finding_moved_to_another_vessel():
    answer = ("The angiogram shows an abrupt cutoff of the right posterior cerebral artery, "
              "consistent with an acute embolic occlusion.")  # fmt: skip
    question = "Which artery is occluded?"
    fixed = clinical_edit(answer, "Right middle cerebral artery", question)
    assert fixed == answer.replace("posterior", "middle")


@pytest.mark.parametrize(
    "answer",
    [
        "FINDINGS: The costophrenic angles are sharp and there is no pleural effusion. No "
        "pneumothorax. IMPRESSION: No acute cardiopulmonary process.",
        "FINDINGS: No pleural effusion or pneumothorax. The costophrenic angles are sharp. "
        "IMPRESSION: Normal chest.",
    ],
)
def test_sharp_costophrenic_angles_are_not_left_beside_an_effusion(answer):
    reference = (
        "FINDINGS: Small left pleural effusion. No pneumothorax. IMPRESSION: Small effusion."
    )
    fixed = clinical_edit(answer, reference, "Describe the findings.")
    assert fixed is None or "angles are sharp" not in fixed


def test_bones_of_the_pelvis_and_foot_are_read_and_swapped_for_their_neighbours():
    answer = "There is an expansile lytic lesion in the ischium, near the ischial spine."
    question = "Which bone contains the lytic lesion?"
    planted = plants(answer, question, "Ischium", 6)
    assert planted and planted <= {
        "There is an expansile lytic lesion in the ilium.",
        "There is an expansile lytic lesion in the pubis.",
    }
    foot = "The fracture is at the base of the fourth metatarsal."
    assert [m.concept for m in clinical.mentions(foot)] == ["fracture", "fourth metatarsal"]
    fixed = clinical_edit(foot, "Fifth metatarsal", "Which bone is fractured?")
    assert fixed == "The fracture is at the base of the fifth metatarsal."
    ramus = "A minimally displaced fracture of the left inferior pubic ramus is seen."
    question = "Which part of the pelvis is fractured?"
    assert judge(ramus, "Left superior pubic ramus", question).right is False
    assert judge(ramus, "Left pubic ramus", question).right is True  # the ramus not said
    assert clinical_edit(ramus, "Left superior pubic ramus", question) == (
        "A minimally displaced fracture of the left superior pubic ramus is seen.")  # fmt: skip


def test_a_yes_with_a_contrast_is_planted_as_two_denials():
    answer = "Yes, there is a fracture of the distal radius, but no dislocation."
    planted = plants(answer, "Is the radius fractured?", "Yes", 3)
    assert planted == {"No, there is no fracture of the distal radius and no dislocation."}


def test_two_findings_in_a_paired_organ_may_become_three_and_both_becomes_all():
    answer = "Two cysts are seen in the right kidney. Both are simple, without septations."
    question = "How many cysts are in the right kidney?"
    planted = plants(answer, question, "2", 6)
    assert planted == {
        "Three cysts are seen in the right kidney. All are simple, without septations."
    }
    assert not any(m.concept == "bilateral" for m in clinical.mentions(answer))  # 'Both are'
    denied = "Two cysts are seen in the right kidney. Both are simple."
    assert (
        judge("No cysts are seen in the right kidney. Both are simple.", "2", question).right
        is False
    )
    assert not any(p and p.startswith("No cysts") for p in planted | plants(denied, question, "2"))


def test_left_and_right_say_both_to_a_question_about_both():
    question = "Are both ovaries visible on this scan?"
    answer = "Yes, both the left and right ovaries are visible on this scan."
    assert judge(answer, "Yes", question).right is True
    assert judge("Only the left ovary is visible on this scan.", "Yes", question).right is False


def test_enlarged_lymph_nodes_asked_are_the_lymphadenopathy_answered():
    """'Are the hilar lymph nodes enlarged?' 'Yes, there is hilar lymphadenopathy.': the answer
    states the asked enlargement in one word, and a plant turns it over."""
    found = plants("Yes, there is left axillary lymphadenopathy.",
                   "Are the axillary lymph nodes enlarged?", "Yes")  # fmt: skip
    assert found == {"No, there is no left axillary lymphadenopathy."}
    found = plants("Yes, there is bulky subcarinal lymphadenopathy.",
                   "Are the mediastinal lymph nodes enlarged?", "Yes")  # fmt: skip
    assert found == {"No, there is no bulky subcarinal lymphadenopathy."}


def test_an_enlarged_retrosternal_space_is_no_enlargement():
    reference = ("FINDINGS: Hyperinflated lungs with an enlarged retrosternal clear space. Normal "
                 "heart size. IMPRESSION: Emphysema.")  # fmt: skip
    answer = ("FINDINGS: The lungs are hyperinflated, consistent with emphysema. The heart is "
              "normal in size. IMPRESSION: Emphysema.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right is True


def test_a_count_of_what_no_term_names_steps_up_beside_a_size_word():
    answer = "The large atypical cell at the center contains 2 nucleoli."
    planted = plants(answer, "How many nucleoli does the large cell contain?", "2", 6)
    assert planted == {"The large atypical cell at the center contains 3 nucleoli."}


def test_a_bone_named_by_its_adjective_is_swapped_keeping_a_conclusion_any_bone_may_take():
    answer = (
        "An expansile lytic lesion is seen in the proximal humeral metaphysis, consistent with "
        "a simple bone cyst."
    )
    planted = plants(answer, "Which bone is involved?", "Humerus", 6)
    assert planted == {answer.replace("humeral", "femoral")}


def test_a_conclusion_of_the_old_organ_is_never_left_beside_a_planted_organ():
    answer = "The mass is in the liver, consistent with hepatocellular carcinoma."
    planted = plants(answer, "Which organ contains the mass?", "Liver", 6)
    assert not any(p and "spleen" in p and "hepatocellular" in p for p in planted)


def test_the_quadrant_goes_with_the_organ_corrected_or_planted():
    fixed = clinical_edit(
        "The hypodense mass is located in the spleen, in the left upper quadrant.",
        "Liver",
        "Which organ contains the hypodense mass?",
    )
    assert fixed == "The hypodense mass is located in the liver, in the right upper quadrant."
    answer = "A hypodense lesion lies in the liver, in the right upper quadrant."
    planted = plants(answer, "Which organ has the lesion?", "Liver", 6)
    assert planted == {"A hypodense lesion lies in the spleen, in the left upper quadrant."}


@pytest.mark.parametrize(
    "answer, question, reference, forbidden",
    [
        ("The pancreas is abnormal, with a hypodense mass in the pancreatic head.",
         "Which organ is abnormal?", "Pancreas", "hepatic head"),
        ("There is a simple renal cyst in the left kidney.",
         "What is the abnormality in the left kidney?", "Renal cyst", "adrenal"),
    ],
)  # fmt: skip
def test_an_organ_is_not_planted_without_the_part_said_nor_where_the_question_names_it(
    answer, question, reference, forbidden
):
    assert not any(p and forbidden in p for p in plants(answer, question, reference, 6))


def test_an_organ_planted_in_place_of_the_one_a_mass_arose_from_goes_without_the_part():
    answer = "The lesion is renal, arising from the upper pole of the kidney cortex."
    planted = plants(answer, "Which organ is the lesion in?", "Kidney", 6) - {None}
    assert all("upper pole" not in p for p in planted if "adrenal" in p)


@pytest.mark.parametrize(
    "answer, question",
    [
        ("No, there are no ferruginous bodies in this section; the golden material represents "
         "hemosiderin within macrophages.", "Are ferruginous bodies present?"),
        ("No, there is no dissection flap in the descending aorta; the lumen is homogeneously "
         "opacified with contrast.", "Is there a dissection flap in the descending aorta?"),
    ],
)  # fmt: skip
def test_a_denial_is_not_lifted_beside_what_the_answer_offered_instead(answer, question):
    fixed, why = explain_edit(answer, "Yes", question)
    assert fixed is None or not re.search(r"represents|opacified", fixed), fixed


def test_a_finding_concluded_to_be_the_reference_is_no_extra_disease():
    question = "What disease is seen in this CT of the chest?"
    answer = "A spiculated mass is seen in the right upper lobe, consistent with lung cancer."
    assert judge(answer, "Lung cancer", question).right is True
    assert judge("There is a mass and a pleural effusion.", "Lung cancer", question).right is False


def test_a_shift_of_the_midline_structures_is_midline_shift():
    question = "Does the hematoma cause a shift of the midline structures?"
    assert judge("Yes, there is 6 mm of midline shift to the right.", "Yes", question).right is True
    assert judge("No midline shift is seen.", "Yes", question).right is False


def test_a_thrombus_moved_to_the_reference_vein_keeps_what_describes_it():
    answer = (
        "An occlusive thrombus is seen in the right femoral vein, with no compressibility, in "
        "keeping with deep vein thrombosis."
    )
    fixed = clinical_edit(answer, "Right popliteal vein", "Which vein is thrombosed?")
    assert fixed == answer.replace("femoral vein", "popliteal vein")
    organ = "This section is from the liver, showing tubules lined by cuboidal cells."
    assert clinical_edit(organ, "Kidney", "Which organ is this section from?") is None


def test_a_recount_makes_a_verb_after_its_noun_agree():
    answer = "Two thoracic vertebral bodies show wedge compression fractures."
    planted = plants(answer, "How many vertebral bodies are fractured?", "2", 8)
    assert "Three thoracic vertebral bodies show wedge compression fractures." in planted
    assert not any(p and re.search(r"\bbody show\b", p) for p in planted)


def test_no_one_side_is_planted_beside_a_paired_organ_said_in_the_plural():
    answer = "Both lungs are overinflated, with flattening of the hemidiaphragms."
    question = "Describe the findings of this chest X-ray."
    assert not any(p and "hemidiaphragms" in p and "only" in p.lower()
                   for p in plants(answer, question, answer, 6))  # fmt: skip


def test_a_gastrointestinal_stromal_tumor_is_no_other_spindle_cell_tumor():
    question = "What is the diagnosis of this spindle cell tumor of the small bowel wall?"
    wrong = "These fascicles of spindle cells are most consistent with a leiomyoma."
    assert judge(wrong, "Gastrointestinal stromal tumor", question).right is False
    right = "This is a gastrointestinal stromal tumor (GIST), arising from the muscularis propria."
    assert judge(right, "Gastrointestinal stromal tumor", question).right is True


def test_an_amount_asked_is_denied_by_not_increased():
    question = "Are plasma cells increased in this bone marrow biopsy?"
    denied = (
        "No, plasma cells are not increased, and the marrow shows normal trilineage hematopoiesis."
    )
    assert judge(denied, "Yes", question).right is False
    assert judge("Yes, plasma cells are markedly increased.", "Yes", question).right is True
    flipped, _ = explain_edit(denied, "Yes", question)
    assert flipped is None or "not increased" not in flipped


def test_a_lobe_of_the_other_lung_takes_no_side():
    answer = (
        "FINDINGS: There is a small focus of atelectasis in the right middle lobe. No pleural "
        "effusion. IMPRESSION: Right middle lobe atelectasis."
    )
    reference = (
        "FINDINGS: Small focus of atelectasis in the lingula. No effusion. IMPRESSION: Lingular "
        "atelectasis."
    )
    fixed = clinical_edit(answer, reference, "Describe the findings.")
    assert fixed is None or not re.search(r"\b(?:right|left) lingula", fixed, re.I), fixed
    assert fixed == answer.replace("the right middle lobe", "the lingula").replace(
        "Right middle lobe", "Lingula"
    )


def test_no_organ_is_planted_beside_where_the_old_one_lies():
    answer = "The pancreas, which lies behind the stomach, produces insulin."
    planted = plants(answer, "Which organ produces insulin?", "Pancreas", 6)
    assert not any(p and "behind the stomach" in p and "pancreas" not in p for p in planted)


def test_one_of_two_organs_is_not_planted_beside_their_plural_findings():
    answer = "Two lumbar vertebral bodies show compression deformities with loss of height."
    planted = plants(answer, "How many vertebral bodies are compressed?", "2", 8)
    assert planted == {answer.replace("Two", "Three")}


def test_a_hyphenated_word_says_the_reference_words():
    question = "What is the Lauren type of this gastric cancer?"
    answer = "This is an intestinal-type adenocarcinoma with well-formed glands."
    assert judge(answer, "Intestinal type", question).right is True
    assert judge(answer, "Diffuse type", question).right is False


def test_the_vertebral_and_basilar_arteries_are_told_apart():
    answer = "There is an abrupt cutoff of the basilar artery, consistent with acute occlusion."
    question = "Which artery is occluded?"
    fixed = clinical_edit(answer, "Vertebral artery", question)
    assert fixed == answer.replace("basilar", "vertebral")
    assert plants(answer, question, "Basilar artery", 6) <= {
        fixed, answer.replace("basilar", "posterior communicating")}  # fmt: skip


def test_a_peri_organ_word_goes_with_the_organ_planted():
    answer = (
        "There is a splenic laceration with an adjacent perisplenic hematoma. No active contrast "
        "extravasation is seen."
    )
    planted = plants(answer, "Which organ is injured on this trauma CT?", "Spleen", 6)
    assert planted == {answer.replace("splenic", "hepatic").replace("perisplenic", "perihepatic")}


def test_a_lesion_with_the_old_findings_look_is_not_corrected_to_one_that_looks_otherwise():
    answer = "There is an acute infarct in the right occipital lobe, seen as a hypodense area."
    fixed = clinical_edit(answer, "Hemorrhage", "What abnormality is seen in the occipital lobe?")
    assert (
        fixed == "There is acute hemorrhage in the right occipital lobe, seen as a hyperdense area."
    )


def test_features_joined_by_and_go_together_or_not_at_all():
    answer = "The arrow points to a plasma cell with a clock-face nucleus and a perinuclear halo."
    fixed = clinical_edit(answer, "Reed-Sternberg cell", "What type of cell is the arrow on?")
    assert fixed is None or ("halo" not in fixed and "Reed-Sternberg" in fixed)


def test_a_hedge_between_fungi_and_debris_is_unsure():
    answer = (
        "Granulomatous inflammation is present; the small round bodies could be fungal yeasts or "
        "could simply be karyorrhectic debris."
    )
    assert judge(answer, "yes", "Are fungal organisms present in this granuloma?").right is None


def test_a_conclusion_suggested_after_the_answer_does_not_hedge_it():
    answer = "Proximal tibia. A lytic lesion is seen there, suggestive of a chondroblastoma."
    assert judge(answer, "Proximal tibia", "Which bone has the lesion?").right is True
    hedged = "There is a lesion in the tibia, suggestive of a chondroblastoma."
    assert judge(hedged, "Chondroblastoma", "What is the lesion?").right is None


def test_no_denial_answers_which_disease_is_shown():
    planted = plants("Lichen planus.", "Which inflammatory skin disease is shown?", "Lichen planus")
    assert not any(p and p.lower().startswith("no ") for p in planted)


def test_a_report_finding_is_not_denied_where_the_impression_places_one_there():
    answer = (
        "FINDINGS: Heart size is normal. There is right upper lobe consolidation. No pleural "
        "effusion. IMPRESSION: Right upper lobe pneumonia."
    )
    tiers = clinical.report_plants(answer)
    written = [clinical.apply_edits(answer, c) for tier in tiers for c in tier]
    assert written and not any("no right upper lobe" in t.lower() for t in written)


@pytest.mark.parametrize(
    "answer, reference, question, expected",
    [
        ("Four lymphoid follicles are present, each with a pale germinal center.", "5",
         "How many lymphoid follicles are present?",
         "Five lymphoid follicles are present, each with a pale germinal center."),
        ("Only the left lung is involved, with reticular opacities mostly in the lower zone.",
         "Both", "Which lung shows the opacities?",
         "Both lungs are involved, with reticular opacities mostly in the lower zone."),
        ("One renal vein drains the right kidney, entering the inferior vena cava.", "2",
         "How many renal veins drain the right kidney?",
         "Two renal veins drain the right kidney, entering the inferior vena cava."),
    ],
    ids=["count beside each", "one lung to both", "vessels of a sided organ"],
)  # fmt: skip
def test_a_count_or_side_is_corrected_with_its_noun_and_verb(answer, reference, question, expected):
    assert clinical_edit(answer, reference, question) == expected


def test_a_yes_about_another_organ_does_not_answer_whether_one_is_seen():
    question = "Is the gallbladder visible in this image?"
    assert judge("Yes, the spleen is visible.", "Yes", question).right is None
    assert judge("Yes, the gallbladder is visible.", "Yes", question).right is True


def test_no_long_bone_is_planted_beside_the_joint_that_places_the_old_one():
    answer = "A lytic lesion lies in the distal femur, just above the knee joint."
    planted = plants(answer, "Which bone contains the lytic lesion?", "Femur", 6)
    assert not any(p and "above the knee" in p and "femur" not in p for p in planted)


def test_an_article_goes_by_the_sound_of_a_u_or_eu():
    words = ("Ewing", "unilateral", "urinary", "uterine", "ulcer", "umbilical", "unenhanced",
             "eosinophil")  # fmt: skip
    said = {w: phrases.article_for(w) for w in words}
    assert said == {"Ewing": "a", "unilateral": "a", "urinary": "a", "uterine": "a", "ulcer": "an",
                    "umbilical": "an", "unenhanced": "an", "eosinophil": "an"}  # fmt: skip


# ------------------------------------------------------------------ plants and fixes, more cases


def test_a_vertebral_level_is_planted_beside_what_describes_the_fracture():
    answer = "The compression fracture involves the T12 vertebral body, with 40% loss of height."
    planted = plants(answer, "Which vertebra is fractured?", "T12")
    assert {"T11", "L1"} & {w for p in planted if p for w in re.findall(r"\b[TL]\d+\b", p)}
    assert all(p is None or "40% loss of height" in p for p in planted)


def test_a_count_of_a_noun_the_lexicon_lacks_is_planted_past_its_adjective():
    answer = "There are three smooth calcified loose bodies in the knee joint."
    planted = plants(answer, "How many loose bodies are there?", "3")
    assert planted & {
        "There are two smooth calcified loose bodies in the knee joint.",
        "There are four smooth calcified loose bodies in the knee joint.",
    }


def test_a_size_in_other_units_than_the_reference_is_planted():
    answer = "The renal cyst measures about 50 mm."
    planted = plants(answer, "How big is the renal cyst?", "5 cm") - {None}
    assert planted and all(re.search(r"\b(?:25|100) mm\b", p) for p in planted)
    assert all(judge(p, "5 cm", "How big is the renal cyst?").right is False for p in planted)


def test_evidence_is_not_cut_where_the_claim_would_be_left_unsaid():
    question = "What are the predominant inflammatory cells?"
    answer = "The infiltrate is mainly composed of lymphocytes, with scattered plasma cells."
    assert without_evidence(answer, question, plant=True) == (
        "The infiltrate is mainly composed of lymphocytes."
    )
    answer = "Yes, there is hepatomegaly, with the liver extending below the iliac crest."
    assert without_evidence(answer, "Is the liver enlarged?", plant=True) == (
        "Yes, there is hepatomegaly."
    )


def test_a_genus_is_planted_without_the_old_species_name():
    planted = plants("The organism is Cryptococcus neoformans.", "Which organism?", "Cryptococcus")
    assert planted - {None}
    assert not any(p and re.search(r"(?<!Cryptococcus) neoformans", p) for p in planted)


def test_an_abbreviated_diagnosis_is_planted_as_a_sibling():
    planted = plants("This is CML.", "What is the diagnosis?", "chronic myeloid leukemia")
    assert any(p and "leukemia" in p and "myeloid" not in p for p in planted)


def test_a_tube_site_that_goes_on_to_place_itself_is_not_corrected_in_part():
    answer = (
        "FINDINGS: The feeding tube tip projects over the gastric body below the left "
        "hemidiaphragm. The lungs are clear. IMPRESSION: Feeding tube in the stomach."
    )
    reference = (
        "FINDINGS: Feeding tube tip in the distal esophagus. Lungs are clear. IMPRESSION: "
        "Feeding tube tip in the distal esophagus; advance by 10 cm."
    )
    fixed = clinical_edit(answer, reference, "Describe the radiograph.")
    assert fixed is None or ("hemidiaphragm" not in fixed and "esophagus body" not in fixed)


def test_a_lobe_is_not_changed_beside_the_fissure_that_bounds_it():
    answer = "The mass lies in the right lower lobe, just below the major fissure."
    assert clinical_edit(answer, "Right middle lobe", "Where is the mass?") is None


def test_an_absence_explained_by_the_slice_level_is_not_turned_over():
    answer = "No; this section lies above the diaphragm, so the liver is not included."
    fixed = clinical_edit(answer, "Yes", "Is the liver seen in this image?")
    assert fixed is None or "lies above" not in fixed


def test_a_count_whose_members_are_described_in_turn_is_not_planted():
    answer = "Two chest tubes are present, one directed toward the apex and one toward the base."
    planted = plants(answer, "How many chest tubes are present?", "2")
    assert not any(p and re.search(r"\b(?:Three|One|1|3)\s+chest", p) for p in planted)


def test_a_count_spread_one_on_each_side_and_compared_is_not_planted():
    answer = "There are two adrenal nodules, one on each side, larger on the left."
    planted = plants(answer, "How many adrenal nodules are there?", "2")
    assert not any(p and "one adrenal nodule" in p.lower() for p in planted)


def test_no_tube_is_moved_where_the_impression_approves_all_tubes():
    answer = (
        "FINDINGS: The endotracheal tube is 5 cm above the carina. An enteric tube extends into "
        "the stomach. The lungs are clear. IMPRESSION: Lines and tubes are in standard position."
    )
    planted = plants(answer, "Describe the radiograph.", answer)
    assert not any(p and "esophagus" in p for p in planted)


def test_a_degree_measured_in_percent_is_not_planted():
    answer = "There is moderate stenosis of the right internal carotid artery, with 60% narrowing."
    planted = plants(answer, "How severe is the stenosis?", "moderate")
    assert not any(p and "60%" in p and "moderate" not in p for p in planted)


def test_an_echocardiogram_is_not_planted_as_another_modality():
    answer = "This is a transthoracic echocardiogram (cardiac ultrasound) in a parasternal view."
    planted = plants(answer, "What imaging modality is this?", "Ultrasound")
    assert not any(p and re.search(r"\b(?:CT|MRI|X-ray)\b", p) for p in planted)


def test_skull_bones_neck_lesions_rotator_cuff_and_lichenoid_diseases_are_read():
    question = "What are the findings on this head CT?"
    reference = "Right temporal bone fracture and pneumocephalus"
    assert (
        judge("There is a fracture of the right temporal bone.", reference, question).right is False
    )
    assert judge("A right temporal bone fracture with pneumocephalus.", reference, question).right
    question = "What is the cystic lesion in the neck?"
    answer = "It is a thyroglossal duct cyst."
    assert judge(answer, "Branchial cleft cyst", question).right is False
    planted = plants("The infraspinatus tendon is torn.", "Which tendon is torn?", "Infraspinatus")
    assert any(p and re.search(r"(?:supraspinatus|teres minor) tendon is torn", p) for p in planted)
    planted = plants("This is lichen planus.", "What is the diagnosis?", "Lichen planus")
    assert any(p and re.search(r"lichen (?:sclerosus|simplex)", p) for p in planted)


def test_a_conclusion_is_corrected_beside_what_the_model_saw():
    answer = "There is a rim-enhancing collection beside the left tonsil, consistent with a "
    answer += "retropharyngeal abscess."
    fixed = clinical_edit(answer, "Peritonsillar abscess", "What is the collection?")
    assert fixed == answer.replace("retropharyngeal", "peritonsillar")
    answer = "Wide ribbon-like aseptate hyphae with right-angle branching, consistent with Mucor."
    assert clinical_edit(answer, "Aspergillus", "Which fungus is seen?") is None  # Mucor's own


def test_an_organ_not_clearly_seen_and_not_confirmed_is_no_answer():
    answer = "The gallbladder is not clearly seen here; it may be contracted, but this cannot be "
    answer += "confirmed."
    assert judge(answer, "Yes", "Does the picture contain the gallbladder?").right is not True


def test_a_plant_to_an_open_question_goes_without_what_the_old_answer_indicated():
    answer = "The alveoli are filled with neutrophils, indicating acute bronchopneumonia."
    planted = plants(answer, "What inflammatory cells fill the alveoli?", "Neutrophils") - {None}
    assert planted and all("bronchopneumonia" not in p for p in planted)
    assert any(
        re.search(r"filled with (?:lymphocytes|eosinophils|plasma cells)\.$", p) for p in planted
    )


def test_an_extraocular_muscle_is_planted_as_the_next_one_thyroid_eye_disease_takes():
    planted = plants("The left medial rectus muscle is enlarged.", "Which muscle is enlarged?",
                     "Medial rectus")  # fmt: skip
    assert any(p and "left inferior rectus muscle is enlarged" in p for p in planted)


def test_the_facial_bones_are_read_and_corrected():
    question = "Which bone is fractured?"
    assert judge("There is a fracture of the left mandibular angle.", "Mandible", question).right
    fixed = clinical_edit("The fracture involves the maxilla.", "Mandible", question)
    assert fixed == "The fracture involves the mandible."


def test_a_tube_tip_is_read_past_a_relative_clause_and_in_the_brachiocephalic_vein():
    reference = "FINDINGS: The feeding tube enters the right main bronchus, its tip over the right "
    reference += "lower lobe. No pneumothorax. IMPRESSION: Feeding tube in the right lower lobe "
    reference += "bronchus; remove it."
    answer = "FINDINGS: A feeding tube has been placed, which crosses the diaphragm and terminates "
    answer += "in the stomach. No pneumothorax. IMPRESSION: Feeding tube in good position."
    assert judge(answer, reference, "Describe the chest radiograph.").right is not True
    reference = "FINDINGS: Right PICC with its tip in the right brachiocephalic vein; advancing it "
    reference += "2 cm would reach the SVC. Lungs are clear. IMPRESSION: PICC tip in the right "
    reference += "brachiocephalic vein."
    answer = "FINDINGS: Right PICC terminates in the lower SVC. Lungs are clear. IMPRESSION: PICC "
    answer += "tip in the lower SVC."
    assert judge(answer, reference, "Describe the chest radiograph.").right is not True


def test_a_finding_called_new_where_it_is_unchanged_or_worse_on_the_other_side_is_not_right():
    question = "Describe the findings compared with the prior radiograph."
    reference = "FINDINGS: Left basilar opacity is unchanged from the prior study. No effusion. "
    reference += "IMPRESSION: Unchanged left basilar opacity."
    answer = "FINDINGS: There is a new left basilar opacity. No effusion. IMPRESSION: New left "
    answer += "basilar opacity."
    assert judge(answer, reference, question).right is not True
    same = "FINDINGS: Stable left basilar opacity. No effusion. IMPRESSION: Stable left basilar "
    same += "opacity."
    assert judge(same, reference, question).right is True
    reference = "FINDINGS: Bilateral pleural effusions, left greater than right. No pneumothorax. "
    reference += "IMPRESSION: Bilateral pleural effusions, left greater than right."
    answer = reference.replace("left greater than right", "right greater than left")
    assert judge(answer, reference, question).right is not True


def test_a_denial_explained_by_a_limited_field_of_view_is_not_turned_over():
    answer = "No, this axial MRI does not include the cerebellum; the field of view is limited to "
    answer += "the cerebral hemispheres."
    fixed = clinical_edit(answer, "Yes", "Does the image include the cerebellum?")
    assert fixed is None or "limited to" not in fixed


def test_a_modality_is_not_changed_beside_words_only_its_own_images_have():
    answer = "This is an MRI of the brain, with normal flow voids in the basilar artery."
    fixed = clinical_edit(answer, "CT", "What modality is this?")
    assert fixed is None or "flow void" not in fixed


def test_a_window_setting_is_said_of_ct_only():
    """A bone or lung window is a CT display setting: no MRI or ultrasound is planted or
    corrected beside it."""
    answer = "This axial CT image of the chest is displayed in lung window and shows a "
    answer += "spiculated nodule in the left upper lobe."
    assert not any(
        p and "window" in p and "CT" not in p for p in plants(answer, "What modality?", "CT")
    )
    wrong = "This is an MRI of the lumbar spine in bone windows, showing a burst fracture of L1."
    fixed = clinical_edit(wrong, "CT", "What imaging modality was used?")
    assert fixed is None or "window" not in fixed or "CT" in fixed


def test_a_denial_leaves_no_both_behind():
    """'degenerative changes of both knees' denied is not 'no degenerative changes of both
    knees' (not English: neither knee)."""
    report = "FINDINGS: The lungs are clear. The heart is normal in size. There are "
    report += "degenerative changes of both shoulder joints. IMPRESSION: No acute abnormality."
    planted = plants(report, "Describe the findings.", report, seeds=12)
    assert not any(p and re.search(r"\bno\b[^.]*\bboth\b", p, re.I) for p in planted)
    sides = "FINDINGS: The heart is normal in size. There is mild pulmonary edema. There are "
    sides += "small effusions on both sides. IMPRESSION: Mild pulmonary edema."
    planted = plants(sides, "Describe the findings.", sides, seeds=30)
    assert not any(p and "the sides" in p for p in planted)  # no effusions on either side


def test_a_finding_is_not_denied_before_the_advice_that_rests_on_it():
    """A finding turned absent would leave the advice after it about nothing (No left upper
    lobe mass. A CT of the chest is recommended for further characterization.)."""
    reference = "FINDINGS: Normal heart size. The lungs are clear. No pleural effusion. "
    reference += "IMPRESSION: No acute cardiopulmonary process."
    answer = "FINDINGS: Normal heart size. There is a 2 cm rounded opacity in the left upper "
    answer += "lobe. No pleural effusion. IMPRESSION: Left upper lobe nodule. Recommend chest CT "
    answer += "for further characterization."
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or not re.search(r"\bno\b[^.]*nodule\. Recommend", fixed, re.I)
    answer = "FINDINGS: The heart is normal in size. Patchy airspace opacity is seen at the left "
    answer += "base. IMPRESSION: Left basilar pneumonia. Follow-up radiographs after antibiotic "
    answer += "therapy are advised to document resolution."
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or not re.search(r"\bno\b[^.]*pneumonia\. Follow", fixed, re.I)


def test_a_kind_is_not_corrected_in_one_sentence_while_another_tells_the_old_one():
    """A device's kind fixed in the impression while the findings keep the features of the old
    kind (one lead, made dual-chamber) would leave the report saying both."""
    reference = "FINDINGS: Dual-chamber pacemaker from a right chest approach with leads in the "
    reference += "right atrium and right ventricle. Lungs are clear. IMPRESSION: No acute process."
    answer = "FINDINGS: A right chest wall pacemaker is seen with one lead whose tip projects "
    answer += "over the right ventricle. Lungs are clear. IMPRESSION: Single-chamber pacemaker. "
    answer += "No acute process."
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or not ("one lead" in fixed and "Dual-chamber" in fixed)
    normal = "FINDINGS: The cardiomediastinal silhouette is unremarkable. The lungs are well "
    normal += "aerated. The costophrenic angles are sharp. IMPRESSION: Normal chest radiograph."
    planted = plants(normal, "Describe the chest radiograph.", normal, seeds=12) - {None}
    assert planted  # a finding planted in both findings and impression is no kind changed


def test_a_heart_size_is_not_turned_beside_the_ratio_that_measured_it():
    """A cardiothoracic ratio after a heart size claim told it: a plant turning the size keeps a
    ratio that says the old one (not enlarged; the CTR is about 0.58)."""
    big = "Yes, the cardiac silhouette is enlarged; the CTR is about 0.58."
    assert not any(p and "0.58" in p for p in plants(big, "Is there cardiomegaly?", "Yes"))
    small = "No, the heart is normal in size; the cardiothoracic ratio is 0.45."
    assert not any(p and "0.45" in p for p in plants(small, "Is the heart enlarged?", "No"))


def test_a_side_is_not_corrected_beside_a_word_that_places_the_old_one():
    """A retrocardiac opacity lies in the left lower lobe: corrected to the right, the word
    would stay to place it on the left."""
    reference = "FINDINGS: Normal heart size. Right lower lobe consolidation. No effusion. "
    reference += "IMPRESSION: Right lower lobe pneumonia."
    answer = "FINDINGS: Normal heart size. There is a retrocardiac consolidation in the left "
    answer += "lower lobe. No effusion. IMPRESSION: Left lower lobe pneumonia."
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or "retrocardiac consolidation in the right" not in fixed


@pytest.mark.parametrize(
    "answer, question, reference, other",
    [
        ("This is an adenocarcinoma, with glands lined by columnar cells.",
         "Is this a squamous cell carcinoma or an adenocarcinoma?", "Adenocarcinoma", "squamous"),
        ("This is Crohn disease, with transmural inflammation and non-caseating granulomas.",
         "Is this ulcerative colitis or Crohn disease?", "Crohn disease", "ulcerative colitis"),
        ("This is a follicular adenoma, with an intact capsule.",
         "Is this follicular adenoma or follicular carcinoma?", "Follicular adenoma",
         "follicular carcinoma"),
    ],
)  # fmt: skip
def test_a_plant_of_an_either_or_question_names_the_other_option(
    answer, question, reference, other
):
    """Asked which of two, a plant names the other one, not a third kind (lymphocytic colitis
    is no answer to 'ulcerative colitis or Crohn disease?')."""
    planted = plants(answer, question, reference) - {None}
    assert all(all(w in p.lower() for w in other.split()) for p in planted)


def test_an_organ_swapped_takes_its_side_of_the_upper_abdomen_with_it():
    """The spleen lies in the left upper abdomen: a plant naming the liver places it on the
    right, as it does in the left upper quadrant."""
    answer = "The spleen removes aged red blood cells; it is the organ in the left upper abdomen."
    planted = plants(answer, "Which organ removes old red blood cells?", "Spleen") - {None}
    assert not any("left upper" in p and "spleen" not in p for p in planted)


@pytest.mark.parametrize(
    "answer, question, kept",
    [
        ("There is no ring enhancement, which makes an abscess unlikely.",
         "Is there ring enhancement?", "unlikely"),
        ("The biopsy shows chronic gastritis, but no Helicobacter organisms are identified, which "
         "suggests an autoimmune cause.", "Are Helicobacter organisms present?", "autoimmune"),
        ("No air bronchograms are seen, which favors atelectasis over pneumonia.",
         "Are air bronchograms present?", "favors atelectasis"),
    ],
)  # fmt: skip
def test_a_denial_lifted_keeps_nothing_it_concluded(answer, question, kept):
    """What an answer concluded from an absence (which makes an abscess unlikely) goes with the
    denial, or the answer is not corrected; 'favors X over Y' is never turned to 'argues
    against'."""
    fixed = clinical_edit(answer, "Yes", question)
    assert fixed is None or kept not in fixed and "argues against" not in fixed


def test_an_organ_naming_the_kind_of_a_tissue_is_not_a_second_site():
    """Gastric metaplasia in the duodenum and pancreatic heterotopia in the stomach wall name
    kinds of tissue, not a second option's site."""
    duodenum = "Duodenal mucosa with villi and Brunner glands; there is gastric metaplasia of the "
    duodenum += "surface epithelium, in keeping with peptic duodenitis."
    assert judge(duodenum, "Duodenum", "Is this biopsy from the duodenum or the stomach?").right
    stomach = "This is the gastric wall, with a focus of pancreatic heterotopia in the submucosa."
    assert judge(stomach, "Stomach", "Is this section from the stomach or the pancreas?").right
    assert (
        judge(stomach, "Pancreas", "Is this section from the stomach or the pancreas?").right
        is False
    )


def test_a_course_is_corrected_beside_the_prior_it_is_compared_with():
    """'compared with the prior study' names the study compared, not evidence of the old
    course: worsening made improving keeps it."""
    reference = "FINDINGS: The right upper lobe consolidation has decreased compared with the "
    reference += (
        "prior study. No pleural effusion. IMPRESSION: Improving right upper lobe pneumonia."
    )
    answer = "FINDINGS: The right upper lobe consolidation has increased in density compared with "
    answer += "the prior study. No pleural effusion. IMPRESSION: Worsening right upper lobe "
    answer += "pneumonia."
    fixed = clinical_edit(answer, reference, "Describe the findings on this follow-up chest X-ray.")
    assert "has decreased in density compared with the prior study" in fixed
    assert "IMPRESSION: Improving right upper lobe pneumonia." in fixed


def test_an_organ_corrected_drops_the_part_and_side_of_the_old_one_as_one_claim():
    """The lower pole of the right kidney corrected to the pancreas is one claim changed, though
    five words go."""
    fixed = clinical_edit(
        "The mass arises from the lower pole of the right kidney and measures 4 cm.",
        "Pancreas",
        "Which organ does the mass arise from?",
    )
    assert fixed == "The mass arises from the pancreas and measures 4 cm."


def test_an_organ_planted_for_another_drops_a_part_it_lacks():
    """The right lobe of the liver planted as the spleen is 'the spleen', not its right lobe;
    the tail of the pancreas is never the tail of the liver."""
    question = "Which organ contains the enhancing lesion?"
    liver = plants("The enhancing lesion is located in the right lobe of the liver.", question,
                   "Liver") - {None}  # fmt: skip
    assert liver and not any(re.search(r"lobe of the (?!liver)", p) for p in liver)
    pancreas = plants("The hypodense mass is in the tail of the pancreas.", question, "Pancreas")
    assert not any(p and re.search(r"tail of the (?!pancreas)", p) for p in pancreas)


def test_a_report_calling_unchanged_what_the_reference_finds_worse_is_not_right():
    """'unchanged' against 'increased' (or 'improved') since the prior study is another course:
    the report is not judged right, however its findings agree."""
    reference = "FINDINGS: Moderate right pleural effusion, increased since the prior study. No "
    reference += "pneumothorax. IMPRESSION: Enlarging right pleural effusion."
    answer = "FINDINGS: There is a moderate right pleural effusion, unchanged from the prior "
    answer += "radiograph. No pneumothorax. IMPRESSION: Stable moderate right pleural effusion."
    assert judge(answer, reference, "Compare with the prior study.").right is not True
    better = reference.replace("increased", "decreased").replace("Enlarging", "Decreasing")
    assert judge(answer, better, "Compare with the prior study.").right is not True
    both = "FINDINGS: Compared to the prior study, there is stable cardiomegaly. Pulmonary edema "
    both += "has improved. IMPRESSION: Stable cardiomegaly with improved pulmonary edema."
    apart = "FINDINGS: Compared to the prior study, cardiomegaly is unchanged. Pulmonary edema has "
    apart += "improved. IMPRESSION: Unchanged cardiomegaly. Improved pulmonary edema."
    assert judge(both, apart, "Compare with the prior study.").right  # one sentence, two courses


def test_new_denials_and_assertions_read_as_english():
    """'No enlarged lymph nodes are seen' asserted is 'Enlarged lymph nodes are seen', never
    'There is enlarged ... are seen'; a finding with its amount is not denied after it (a small
    amount of fluid is not seen: a larger one left open); no effusion 'obscures' anything; a
    grade in brackets after high-grade is not changed alone."""
    nodes = plants("No enlarged mediastinal lymph nodes are seen; the hila are normal.",
                   "Are there enlarged mediastinal lymph nodes?", "No") - {None}  # fmt: skip
    assert not any(p.startswith("There is") for p in nodes)
    fluid = "Yes, a small amount of fluid is seen in the pericardial space."
    assert not any(p and "is not seen" in p for p in plants(fluid, "Is there fluid?", "Yes"))
    reference = "FINDINGS: Clear lungs. No pleural effusion. IMPRESSION: No active disease."
    answer = "FINDINGS: A small right pleural effusion obscures the right hemidiaphragm. Clear "
    answer += "lungs otherwise. IMPRESSION: Small right pleural effusion."
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or "effusion obscures" not in fixed
    grade = "This is a high-grade (grade III) carcinoma, with marked nuclear pleomorphism."
    assert plants(grade, "What is the histologic grade?", "Grade 3") == {None}


def test_a_report_whose_courses_disagree_is_not_right():
    """The consolidation increased in the findings, the pneumonia improving in the impression:
    a report saying both is not judged right (and no correction leaves it so)."""
    reference = "FINDINGS: The left lower lobe opacity has improved since the prior study. "
    reference += "IMPRESSION: Improving left lower lobe pneumonia."
    answer = "FINDINGS: The left lower lobe consolidation has increased since the prior study. "
    answer += "IMPRESSION: Improving left lower lobe pneumonia."
    assert judge(answer, reference, "Compare with the prior study.").right is not True


def test_special_types_of_breast_carcinoma_are_read():
    """A mucinous (colloid) or tubular carcinoma is a breast tumour of its own: an invasive
    ductal carcinoma of no special type does not answer it."""
    question = "What type of carcinoma is seen in this breast excision?"
    ductal = "This is an invasive ductal carcinoma with infiltrating nests of atypical cells."
    assert judge(ductal, "Mucinous carcinoma", question).right is False
    assert judge(ductal, "Tubular carcinoma", question).right is False
    colloid = "Colloid carcinoma, with small clusters of tumour cells floating in pools of mucin."
    assert judge(colloid, "Mucinous carcinoma", question).right


def test_both_views_name_no_side_and_a_placental_hemangioma_is_a_chorangioma():
    """'seen on both the CC and MLO views' says nothing of both breasts; a placental
    hemangioma is a chorangioma, a hemangioma of the liver is not."""
    breast = "The mass lies in the right breast at 10 o'clock and is seen on both the CC and "
    breast += "MLO views."
    assert judge(breast, "Right", "Which breast contains the mass?").right
    placenta = "This is a placental hemangioma composed of capillaries within a villus."
    assert judge(placenta, "Chorangioma", "What is the diagnosis of this placental mass?").right
    liver = "This is a hemangioma of the liver."
    assert judge(liver, "Chorangioma", "What is the diagnosis?").right is False


def test_a_normal_organ_turned_after_but_joins_with_and():
    """'..., but the iliac chains are unremarkable' made abnormal beside a finding now agrees
    with it: 'and', never a 'but' between two claims alike."""
    answer = "No enlarged pelvic lymph nodes are seen; there is a small ovarian cyst, but the "
    answer += "iliac chains are unremarkable."
    planted = plants(answer, "Are there enlarged pelvic lymph nodes?", "No") - {None}
    assert not any("but the iliac chains are abnormal" in p for p in planted)


def test_an_organ_added_to_a_list_loses_the_only_before_it():
    fixed = clinical_edit(
        "The scan shows only the liver.", "Liver, Spleen", "Which organs are seen?"
    )
    assert fixed == "The scan shows the liver and spleen."


def test_a_lobe_is_not_corrected_beside_the_border_it_effaces():
    reference = "FINDINGS: The heart size is normal. There is consolidation in the right middle "
    reference += "lobe. No effusion. IMPRESSION: Right middle lobe pneumonia."
    answer = "FINDINGS: The heart size is normal. Patchy consolidation involves the right lower "
    answer += "lobe and obscures the right hemidiaphragm, compatible with pneumonia. No effusion. "
    answer += "IMPRESSION: Right lower lobe pneumonia."
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or "hemidiaphragm" not in fixed
    answer = answer.replace("hemidiaphragm", "heart border")  # the middle lobe's own border
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert "right middle lobe and obscures the right heart border" in fixed


def test_a_plant_cut_neither_ends_on_a_participle_nor_keeps_how_the_absent_looked():
    answer = "Yes, Russell bodies are present as round eosinophilic inclusions packed with "
    answer += "immunoglobulin, consistent with plasma cells."
    planted = plants(answer, "Are Russell bodies present?", "Yes") - {None}
    assert all(not p.endswith("packed.") and "inclusions" not in p for p in planted)


def test_a_denial_plant_drops_how_far_the_finding_extended():
    report = "FINDINGS: Mild multilevel degenerative changes of the thoracic spine. The lungs are "
    report += "clear. No pleural effusion. IMPRESSION: No acute cardiopulmonary process."
    assert all("No multilevel" not in (p or "") for p in plants(report, "Describe the findings."))


def test_an_organ_plant_goes_without_where_the_mass_arose():
    answer = "The tumor lies within the lateral ventricle, arising from the septum pellucidum, "
    answer += "with obstructive hydrocephalus."
    planted = plants(answer, "Where is the tumor?", "Lateral ventricle") - {None}
    assert planted and all("septum" not in p for p in planted if "lateral ventricle" not in p)


def test_a_size_is_not_planted_beside_a_name_the_size_defines():
    answer = "The adenoma measures 6 mm, consistent with a pituitary microadenoma."
    planted = plants(answer, "What is the size of the adenoma?", "6 mm") - {None}
    assert all("microadenoma" not in p for p in planted if "6 mm" not in p)


def test_a_yes_with_a_concession_is_not_turned_to_no_with_the_concession_left():
    answer = "Yes, there is a nondisplaced fracture of the distal radius, although the articular "
    answer += "surface is preserved."
    planted = plants(answer, "Is there a fracture?", "Yes") - {None}
    assert all("articular surface is preserved" not in p for p in planted if p.startswith("No"))
    answer = "Yes, the spleen contains a hypodense lesion, though no ascites is seen."
    planted = plants(answer, "Is the spleen abnormal?", "Yes") - {None}
    assert any(re.match(r"No, the spleen contains no (?:hypodense )?lesion, and no ascites", p)
               for p in planted)  # fmt: skip  # a concession that denies still holds


def test_a_finding_is_not_planted_beside_one_side_called_clear():
    report = "FINDINGS: Right lower lobe consolidation. The left lung is clear, and there is no "
    report += "pneumothorax. IMPRESSION: Right lower lobe pneumonia."
    planted = plants(report, "Describe the findings.") - {None}
    assert all("clear, and there is a pneumothorax" not in p for p in planted)


def test_a_curvature_convex_to_one_side_and_a_prostate_hyperplasia_are_read():
    answer = "There is mild levoconvex curvature of the lumbar spine."
    assert judge(answer, "Levoscoliosis", "What is the abnormality of the spine?").right is True
    answer = "The prostate shows benign prostatic hyperplasia with stromal and glandular nodules."
    assert judge(answer, "nodular hyperplasia", "what is present in this prostate?").right is True


def test_a_tumour_swapped_beside_features_only_the_old_one_has_is_refused():
    answer = "The prostate shows benign prostatic hyperplasia, with stromal nodules and glands "
    answer += "arising in the periurethral transition zone."
    planted = plants(answer, "what is present in this prostate?", "benign prostatic hyperplasia")
    assert all("transition zone" not in p for p in planted - {None})  # glands: a carcinoma's too
    answer = "This is a malignant mesothelioma, a pleural-based tumor that forms a thick rind and "
    answer += "encases the right lung."
    planted = plants(answer, "What tumor is shown?", "Mesothelioma") - {None}
    assert all("rind" not in p for p in planted if "mesothelioma" not in p)


def test_a_feature_of_the_named_diagnosis_is_neither_denied_nor_swapped_beside_it():
    question, reference = "what is present in this prostate?", "nodular hyperplasia"
    for answer in (
        "The prostate shows benign prostatic hyperplasia, with well-circumscribed nodules of "
        "glands and fibromuscular stroma in the transition zone.",
        "This prostate shows benign prostatic hyperplasia, with large nodules of glands and "
        "fibromuscular stroma expanding the periurethral transition zone.",
    ):
        planted = plants(answer, question, reference) - {None}
        assert all(not re.search(r"without nodules|(?:cysts|mass) of glands", p) for p in planted)


def test_a_size_is_corrected_in_the_answers_own_unit():
    question = "How large is the aneurysm?"
    fixed = clinical_edit("The aneurysm measures about 2.1 cm in diameter.", "35 mm", question)
    assert fixed == "The aneurysm measures about 3.5 cm in diameter."
    fixed = clinical_edit("The nodule measures 12 mm across.", "2 cm", "How large is the nodule?")
    assert fixed == "The nodule measures 20 mm across."
    assert clinical_edit("The nodule measures 12 x 8 mm.", "20 mm", question) is None
    answer = "The lesion measures 8 mm, consistent with a microadenoma."
    assert clinical_edit(answer, "1.5 cm", "How large is the lesion?") is None


def test_air_in_the_mediastinum_is_a_pneumomediastinum_written_without_an_article():
    question = "Is there pneumomediastinum?"
    assert judge("No, there is no mediastinal air.", "Yes", question).right is False
    yes = "Yes, there is free air in the mediastinum outlining the aortic arch."
    assert judge(yes, "yes", question).right is True
    assert judge(yes, "No", "Is there free air under the diaphragm?").right is not True
    fixed = clinical_edit("No, there is no mediastinal air.", "Yes", question)
    assert fixed == "Yes, there is mediastinal air."


def test_a_denial_is_not_left_with_a_clause_that_goes_on_describing_it():
    answer = "Yes, there is a large mass in the left lower lobe, encasing the descending aorta."
    assert clinical_edit(answer, "No", "Is there a lung mass?") is None


def test_a_size_claim_turned_does_not_keep_the_measurement_after_it():
    answer = "No, the common bile duct is normal in caliber, measuring 4 mm."
    assert clinical_edit(answer, "Yes", "Is the common bile duct dilated?") is None
    stone = "There is a 5 mm stone in the left distal ureter, but the left kidney is not dilated."
    fixed = clinical_edit(stone, "Yes", "Is the left kidney dilated?")  # the stone's size stays
    assert fixed is not None and "5 mm stone" in fixed and "not dilated" not in fixed


def test_a_size_judged_after_it_is_not_changed_under_its_judgement():
    answer = "The abdominal aorta measures 2.5 cm, which is within the normal range."
    assert clinical_edit(answer, "5 cm", "What is the diameter of the abdominal aorta?") is None
    answer = "The nodule measures 6 mm, below the usual threshold for biopsy."
    assert clinical_edit(answer, "12 mm", "How big is the nodule?") is None
    answer = "The right adrenal nodule measures 4 cm, making it suspicious for malignancy."
    assert clinical_edit(answer, "1.5 cm", "How big is the adrenal nodule?") is None
    fetus = "The biparietal diameter measures 4.5 cm, corresponding to about 19 weeks of gestation."
    assert plants(fetus, "What is the biparietal diameter?", "4.5 cm") == {None}  # the age stays
    tube = "The endotracheal tube tip lies about 4 cm above the carina."
    assert plants(tube, "Where is the tip of the endotracheal tube?", "4 cm above the carina") - {
        None
    }


def test_a_plane_is_not_changed_beside_words_of_the_old_one():
    answer = "This is an axial CT image of the upper abdomen, with the aorta seen in cross-section."
    assert clinical_edit(answer, "Coronal", "In which plane is this image?") is None
    answer = "This is a coronal CT image of the abdomen showing both kidneys."
    planted = plants(answer, "Which plane is this image in?", "Coronal") - {None}
    assert planted and not any("sagittal" in p for p in planted)  # one kidney per sagittal cut


def test_a_side_is_not_corrected_beside_what_placed_the_old_one():
    question = "Which ovary is enlarged?"
    assert (
        clinical_edit("The right ovary is enlarged, lying by the cecum.", "Left", question) is None
    )
    answer = "The left kidney is enlarged, appearing on the right side of the image."
    assert clinical_edit(answer, "Right", "Which kidney is enlarged?") is None


def test_a_bone_is_not_corrected_beside_a_landmark_of_the_old_one():
    answer = "There is a displaced fracture of the left ulna involving the olecranon."
    assert clinical_edit(answer, "Radius", "Which bone is fractured?") is None


def test_without_any_is_affirmed_as_with_a_and_not_beside_a_uniform_organ():
    answer = "No, the appendix is seen without any appendicolith."
    fixed = clinical_edit(answer, "Yes", "Is there an appendicolith?")
    assert fixed == "Yes, the appendix is seen with an appendicolith."
    answer = "No, the spleen enhances homogeneously without any focal lesion."
    assert clinical_edit(answer, "Yes", "Is there a splenic lesion?") is None


def test_both_sides_that_changed_together_are_not_planted_as_one():
    answer = "Bilateral pleural effusions have decreased in size since the prior study."
    planted = plants(answer, "Describe the findings.", "FINDINGS: " + answer) - {None}
    assert not any(re.search(r"\b(?:left|right) pleural effusion", p, re.I) for p in planted)


def test_a_hedge_of_what_the_answer_adds_and_an_x_ray_mammogram_are_read():
    question = "What is the modality?"
    answer = "This is an MRI of the knee, probably a proton density sequence."
    assert judge(answer, "MRI", question).right is True
    assert judge("This is likely an MRI of the brain.", "MRI", question).right is None
    answer = "The image is an X-ray mammogram in the mediolateral oblique view."
    assert judge(answer, "Mammography", "What imaging modality is this?").right is True


def test_organs_that_only_place_the_answer_are_no_second_option():
    question = "Which organ is in the center of this image?"
    answer = "This is the heart, a soft-tissue density centered in the mediastinum and flanked by "
    answer += "both lungs."
    assert judge(answer, "Heart", question).right is True
    assert judge(answer, "Aorta", question).right is False
    assert judge("This is the heart or the aorta.", "Heart", question).right is None


def test_programmed_cell_death_is_apoptosis_and_not_necrosis():
    question = "What process is shown in these hepatocytes?"
    answer = (
        "This shows programmed cell death of single hepatocytes, which are shrunken with dense "
    )
    answer += "eosinophilic cytoplasm and pyknotic nuclei."
    assert judge(answer, "Apoptosis", question).right is True
    answer = "This shows coagulative necrosis of the hepatocytes, with preserved cell outlines."
    assert judge(answer, "Apoptosis", question).right is False


def test_cells_expanding_the_ducts_tell_dcis_and_stay_beside_its_correction():
    said = "Invasive ductal carcinoma, with atypical cells filling and expanding the ducts."
    fixed = clinical_edit(said, "ductal carcinoma in situ", "What lesion fills the ducts?")
    assert fixed == "Ductal carcinoma in situ, with atypical cells filling and expanding the ducts."


def test_comedo_necrosis_is_a_kind_of_its_own_never_planted_in_a_granuloma():
    question = "What type of necrosis is seen within these ducts?"
    answer = "The ducts contain central caseous necrosis, surrounded by pleomorphic tumor cells."
    assert judge(answer, "comedo necrosis", question).right is False
    answer = "The ducts show high-grade ductal carcinoma in situ with central comedo necrosis."
    assert judge(answer, "comedo necrosis", question).right is True
    granuloma = "The granuloma shows central caseous necrosis."
    planted = plants(granuloma, "What type of necrosis is present?", "caseous necrosis", seeds=12)
    assert not any("comedo" in p for p in planted - {None})


def test_a_tip_measured_from_a_landmark_lies_at_the_site_the_reference_names():
    reference = (
        "FINDINGS: Left chest port catheter tip terminates in the right atrium, about 2 cm "
        "below the cavoatrial junction. No pneumothorax. IMPRESSION: Port catheter tip in the "
        "right atrium."
    )
    answer = "FINDINGS: The left chest port catheter tip lies in the lower SVC. No pneumothorax. "
    answer += "IMPRESSION: Port catheter tip in the lower SVC."
    assert judge(answer, reference, "Describe the findings.").right is False


def test_both_of_two_hyphenated_options_is_no_answer():
    question = "Is the lesion intra-axial or extra-axial?"
    answer = "The lesion has both intra-axial and extra-axial components."
    assert judge(answer, "Intra-axial", question).right is None


def test_a_side_is_not_corrected_beside_a_fissure_of_one_lung_nor_an_organ_beside_its_lobe():
    reference = "FINDINGS: Left upper lobe consolidation. IMPRESSION: Left upper lobe pneumonia."
    answer = (
        "FINDINGS: There is consolidation in the right upper lobe, abutting the minor fissure. "
    )
    answer += "IMPRESSION: Right upper lobe pneumonia."
    assert clinical_edit(answer, reference, "Describe the findings of this chest X-ray.") is None
    answer = "The liver is lacerated through the caudate lobe, with a small hemoperitoneum."
    assert clinical_edit(answer, "Spleen", "Which organ is injured?") is None


def test_a_size_is_not_changed_under_a_word_of_its_scale_nor_a_place_under_normal():
    answer = "The mass measures 8 mm, consistent with a small nodule."
    assert clinical_edit(answer, "3 cm", "How large is the mass?") is None
    answer = "Yes, the appendix is in a normal position in the right lower quadrant."
    assert clinical_edit(answer, "No", "Is the appendix in a normal position?") is None
    question = "Is the endotracheal tube in a normal position?"
    fixed = clinical_edit("Yes, the endotracheal tube is in a normal position.", "No", question)
    assert fixed is not None and fixed.startswith("No")


def test_special_stains_breast_markers_and_adnexal_masses_are_families():
    elastic = "Which stain shows the elastic laminae of this artery?"
    trichrome = "A Masson trichrome stain is used; the elastic fibers stain black."
    fixed = clinical_edit(trichrome, "Verhoeff-van Gieson", elastic) or ""
    assert "Verhoeff-van Gieson" in fixed and "trichrome" not in fixed
    assert judge("This is an EVG stain.", "elastic stain", "What stain is this?").right is True
    assert judge("This is a Luxol fast blue stain.", "trichrome", "What stain?").right is False
    kossa = "The calcium is stained black by the von Kossa silver stain."
    assert judge(kossa, "von Kossa", "Which stain shows the calcium?").right is True
    marker = "Which receptor is expressed by this breast carcinoma?"
    assert judge("The tumor cells express HER2/neu.", "estrogen receptor", marker).right is False
    # membranous 3+ staining is HER2's own picture: no hormone receptor is planted beside it
    her2 = "There is strong complete membranous staining for HER2, scored 3+."
    assert plants(her2, "Which marker is positive?", "HER2") - {None} == set()
    nuclear = "The carcinoma cells show diffuse strong nuclear staining for estrogen receptor."
    assert "HER2" not in " ".join(
        plants(nuclear, "Which marker is positive?", "estrogen receptor") - {None}
    )
    adnexa = "What is the mass in the right adnexa?"
    cyst = "This is a corpus luteum cyst of the right ovary."
    assert judge(cyst, "ectopic pregnancy", adnexa).right is False
    assert judge("A right tubal ectopic pregnancy.", "ectopic pregnancy", adnexa).right is True


def test_a_turned_answer_keeps_nothing_that_told_its_old_side():
    # made yes: a denied feature of the finding asked still says no
    amyloid = "Is there amyloid in this kidney biopsy?"
    glomeruli = "No, the glomeruli show no deposits of amorphous eosinophilic material."
    assert clinical_edit(glomeruli, "yes", amyloid) is None
    reflux = ("No, the contrast stays in the bladder and never reaches the ureters or the renal "
              "pelves, so there is no vesicoureteral reflux.")  # fmt: skip
    assert clinical_edit(reflux, "yes", "Is there vesicoureteral reflux?") is None
    assert clinical_edit("No, there is no vesicoureteral reflux.", "yes",
                         "Is vesicoureteral reflux present?") == (
        "Yes, there is vesicoureteral reflux."
    )  # fmt: skip
    # made no: an organ asked about keeps no place or part said of it
    seen = "Is the gallbladder visible?"
    wall = "Yes, the gallbladder is seen beneath the liver, with a thin wall and no stones."
    assert clinical_edit(wall, "No", seen) is None
    assert clinical_edit("Yes, the gallbladder is visible.", "No", seen) == (
        "No, the gallbladder is not visible."
    )


def test_what_fills_a_thing_is_never_planted_as_lacking():
    asked = "What pigment fills these macrophages?"
    for answer in ("The macrophages are laden with hemosiderin.",
                   "The alveolar macrophages are filled with hemosiderin pigment."):  # fmt: skip
        assert not any("without" in p for p in plants(answer, asked, "hemosiderin") - {None})
    coal = "The hilar node holds abundant coal dust within histiocytes."
    assert judge(coal, "anthracotic pigment", "What pigment is seen?").right is True


def test_a_count_or_plane_that_its_sentence_defines_is_not_changed_alone():
    ureters = "The left kidney is drained by two ureters, in keeping with a duplex system."
    assert plants(ureters, "How many ureters drain the left kidney?", "2") == {None}
    plane = "This T2-weighted image is sagittal, dividing the body into left and right halves."
    for p in plants(plane, "Which plane is this image in?", "Sagittal") - {None}:
        assert "halves" not in p  # the definition goes with the plane, or no plant
    axial = "This head CT is displayed in the axial plane, parallel to the skull base."
    for p in plants(axial, "In which plane is this image?", "Axial") - {None}:
        assert "skull base" not in p
    options = "Is the hemorrhage in the white matter or the gray matter?"
    both = "The hemorrhage involves the subcortical white matter and the overlying gray matter."
    assert judge(both, "Gray matter", options).right is not True
    one = "The hemorrhage is centred in the deep white matter."
    assert judge(one, "White matter", options).right is True


def test_a_finding_written_in_takes_the_reference_age_with_its_side():
    reference = ("FINDINGS: The lungs are clear. Heart size is normal. There is an old healed "
                 "fracture of the right clavicle. IMPRESSION: No acute process. Old healed right "
                 "clavicle fracture.")  # fmt: skip
    answer = ("FINDINGS: The lungs are clear and the heart is normal in size. No clavicle "
              "fracture is seen. IMPRESSION: No acute process.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.") or ""
    assert re.search(r"\bold healed right\b", fixed, re.I) and "No clavicle" not in fixed
    unplaced = answer.replace("No clavicle fracture", "No fracture")  # 'a right fracture': where?
    assert clinical.explain_edit(unplaced, reference, "Describe.") == (None, "place")


def test_the_diseases_that_make_an_infant_vomit_are_one_family():
    asked = "What is the cause of this infant's vomiting?"
    fixed = clinical_edit("The study shows midgut volvulus.", "Pyloric stenosis", asked) or ""
    assert "pyloric stenosis" in fixed and "volvulus" not in fixed
    assert judge("Hypertrophic pyloric stenosis.", "pyloric stenosis", asked).right is True
    assert judge("An ileocolic intussusception.", "pyloric stenosis", asked).right is False
    # a thickened pyloric muscle tells pyloric stenosis: no other disease is planted beside it
    muscle = "The pyloric muscle measures 5 mm in thickness, in keeping with pyloric stenosis."
    assert plants(muscle, asked, "pyloric stenosis") == {None}


def test_the_cause_of_the_finding_asked_is_no_other_finding():
    asked = "What abnormality is seen in the left common carotid artery?"
    cause = ("There is a severe stenosis of the left common carotid artery due to a calcified "
             "atherosclerotic plaque.")  # fmt: skip
    assert judge(cause, "Stenosis", asked).right is True
    narrowed = "Is the left renal artery lumen narrowed?"
    tight = "Yes, there is a tight stenosis of the left renal artery lumen."
    assert judge(tight, "yes", narrowed).right is True
    more = "There is a severe stenosis of the left common carotid artery and a calcified thyroid."
    assert judge(more, "Stenosis", asked).right is not True
    level = "The canal stenosis is worst at L2-L3, where a disc bulge narrows the thecal sac."
    fixed = clinical_edit(level, "L3-L4", "At which level is the canal stenosis worst?")
    assert (
        fixed == "The canal stenosis is worst at L3-L4, where a disc bulge narrows the thecal sac."
    )


def test_a_degree_or_a_plant_keeps_no_words_of_the_old_one():
    reference = ("FINDINGS: Lungs are clear. Heart size is normal. Severe degenerative changes of "
                 "the left acromioclavicular joint. IMPRESSION: No acute process.")  # fmt: skip
    answer = ("FINDINGS: Lungs are clear. Heart size is normal. Mild degenerative changes of the "
              "left acromioclavicular joint, with the joint space maintained. IMPRESSION: No "
              "acute process.")  # fmt: skip
    assert clinical_edit(answer, reference, "Describe the chest radiograph.") is None
    sinus = "Is there a concha bullosa on the right?"
    aerated = "No, the right middle turbinate is not aerated and there is no concha bullosa."
    assert clinical_edit(aerated, "Yes", sinus) is None
    lesion = ("This is a pyogenic granuloma, a friable, ulcerated polypoid mass composed of "
              "proliferating capillaries in a loose stroma.")  # fmt: skip
    for p in plants(lesion, "What is the diagnosis of this gum lesion?", "pyogenic granuloma"):
        assert p is None or not re.search(r",\s*(?:a|an)?\s*\w+\.$", p)  # no 'a friable.' left
    mrcp = "This is an MRCP, a heavily T2-weighted MR sequence in which the bile ducts are bright."
    assert plants(mrcp, "Which imaging modality is this?", "MRI") == {None}


def test_a_report_placing_a_limb_or_an_unread_denial_the_other_way_is_not_right():
    reference = ("FINDINGS: Lungs are clear. No effusion or pneumothorax. Heart size is normal. "
                 "Plate and screws fixing the left radius are partly imaged. IMPRESSION: No acute "
                 "cardiopulmonary process.")  # fmt: skip
    answer = ("FINDINGS: The lungs are clear, without effusion or pneumothorax. The heart is "
              "normal in size. A plate with screws is partly imaged in the right radius. "
              "IMPRESSION: No acute cardiopulmonary process.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest film.").right is False
    same = answer.replace(
        "A plate with screws is partly imaged in the right radius.",
        "Plate and screws fixing the left radius are partly imaged.",
    )
    assert judge(same, reference, "Describe the chest film.").right is True
    denied = ("FINDINGS: The heart is normal in size. The lungs are clear. No retrocardiac "
              "air-fluid level is seen. IMPRESSION: Normal chest.")  # fmt: skip
    stated = ("FINDINGS: Normal heart size. Clear lungs. A retrocardiac air-fluid level is seen. "
              "IMPRESSION: Normal chest.")  # fmt: skip
    assert judge(stated, denied, "Describe the chest film.").right is not True


def test_a_correction_keeps_no_conclusion_its_changed_evidence_drew_and_replaces_no_evidence():
    asked = "What do the tumor cells form around the vessels?"
    drawn = "The neoplastic cells form Homer Wright rosettes, characteristic of a medulloblastoma."
    assert clinical_edit(drawn, "perivascular pseudorosettes", asked) is None
    alone = clinical_edit("The neoplastic cells form Homer Wright rosettes.",
                          "perivascular pseudorosettes", asked)  # fmt: skip
    assert alone == "The neoplastic cells form perivascular pseudorosettes."
    glioma = "This is a high-grade astrocytic glioma with pseudopalisading necrosis."
    assert "with a glioblastoma" not in (clinical_edit(glioma, "glioblastoma", "Diagnosis?") or "")
    edema = "No, the mass has no surrounding edema and the sulci are preserved."
    assert clinical_edit(edema, "Yes", "Is there brain edema around the mass?") is None
    both = "The cyst and the enhancing solid component are both large."
    larger = "Which is larger, the cyst or the enhancing solid component?"
    assert judge(both, "Cyst", larger).right is not True


def test_a_count_its_places_list_and_a_view_named_frontal_are_kept_apart():
    leads = "Two pacing leads are seen, in the right atrium and the right ventricle."
    assert plants(leads, "How many leads are there?", "2") == {None}
    assert plants("Two pacing leads are seen.", "How many leads are there?", "2") - {None}
    valve = "The prosthetic valve lies in the tricuspid position on the frontal view."
    assert "frontal" in (clinical_edit(valve, "Aortic", "Which valve is replaced?") or "frontal")
    echo = "This is an MR venogram acquired as a 2D spin-echo sequence."
    for p in plants(echo, "Which modality is this?", "MRI") - {None}:
        assert "spin-echo" not in p


def test_a_place_or_the_subject_of_a_stain_is_no_evidence_the_change_drew_on():
    polyp = "The calcified focus within the gallbladder represents a gallbladder polyp."
    fixed = clinical_edit(polyp, "Gallstone", "What is the calcified focus in the gallbladder?")
    assert fixed == "The calcified focus within the gallbladder represents a gallstone."
    congo = "The amyloid deposits in the vessel wall are demonstrated with a Congo red stain."
    stains = plants(congo, "Which stain demonstrates the amyloid?", "Congo red") - {None}
    assert stains and all("Congo" not in p for p in stains)
    cyst = ("The cyst measures about 40 mm, extending between the medial head of the "
            "gastrocnemius and the semimembranosus tendon.")  # fmt: skip
    assert any("extending between" in p for p in plants(cyst, "How large is the cyst?", "4 cm")
               - {None})  # fmt: skip


def test_a_count_of_two_said_again_as_both_changes_both_with_it():
    lesions = "There are two hypodense lesions in the liver, both showing peripheral enhancement."
    planted = plants(lesions, "How many liver lesions are seen?", "2") - {None}
    assert (
        "There are three hypodense lesions in the liver, all showing peripheral enhancement."
        in (planted)
    )
    assert "There is one hypodense lesion in the liver, showing peripheral enhancement." in planted
    assert not any("both" in p for p in planted)


def test_a_denied_finding_loses_the_amount_that_said_how_much_of_it_there_was():
    fluid = "Yes, a small amount of free fluid is seen in the hepatorenal recess."
    assert plants(fluid, "Is there free fluid in the abdomen?", "Yes") == {
        "No, no free fluid is seen in the hepatorenal recess."
    }
    ascites = "Yes, there is a large amount of ascites surrounding the liver and spleen."
    assert clinical_edit(ascites, "No", "Is there ascites?") == (
        "No, there is no ascites surrounding the liver and spleen."
    )


def test_a_reference_word_the_lexicon_cannot_read_or_a_kind_written_into_its_term_must_be_said():
    bladder = "This is an adenocarcinoma of the bladder dome, with mucin-producing glands."
    assert judge(bladder, "urothelial carcinoma", "What is this bladder tumor?").right is None
    asked = "What is the diagnosis of this kidney tumor?"
    chromophobe = "The biopsy shows a chromophobe renal cell carcinoma, with perinuclear halos."
    assert judge(chromophobe, "clear cell renal cell carcinoma", asked).right is None
    typed = "This is a renal cell carcinoma, clear cell type, with cells with clear cytoplasm."
    assert judge(typed, "clear cell renal cell carcinoma", asked).right is True


def test_a_size_answers_no_question_how_many_and_pneumonic_consolidation_is_pneumonia():
    asked = "How many enlarged lymph nodes are present?"
    numerous = "There are numerous enlarged mediastinal lymph nodes, the largest measuring 3 cm."
    assert judge(numerous, "3", asked).right is False
    three = "Three enlarged mediastinal lymph nodes are present, the largest measuring 3 cm."
    assert judge(three, "3", asked).right is True
    film = "The chest film shows pneumonic consolidation of the left upper lobe."
    assert judge(film, "Pneumonia", "What is the main finding?").right is True
    planted = plants(film, "What is the main finding?", "Pneumonia") - {None}
    assert planted and not any("shows consolidation" in p for p in planted)  # pneumonia still


def test_a_fungus_is_not_written_beside_the_textbook_features_of_another():
    asked = "Which fungus is seen in this lung biopsy?"
    blasto = "The lung biopsy shows broad-based budding yeasts with a thick double-contoured wall."
    blasto = blasto[:-1] + ", consistent with Blastomyces."
    for reference in ("Histoplasma", "Coccidioides"):
        fixed = clinical_edit(blasto, reference, asked)
        assert fixed is None or "broad-based" not in fixed
    spherules = "Large spherules filled with endospores are seen, consistent with Coccidioides."
    fixed = clinical_edit(spherules, "Blastomyces", asked)
    assert fixed is None or "endospores" not in fixed


def test_a_denial_does_not_reach_the_conclusion_after_its_comma_and_rather_than_denies():
    ovary = ("Yes, the enlarged left ovary shows no internal venous flow, consistent with ovarian "
             "torsion.")  # fmt: skip
    assert judge(ovary, "Yes", "Is there ovarian torsion?").right is True
    assert judge(ovary, "No", "Is there ovarian torsion?").right is False
    colon = ("There are diverticula without pericolic stranding, consistent with diverticulosis "
             "rather than diverticulitis.")  # fmt: skip
    assert judge(colon, "Yes", "Is there diverticulitis?").right is False
    unseen = "No findings consistent with pneumonia are seen."
    assert judge(unseen, "No", "Is there pneumonia?").right is True


def test_a_stone_is_a_calculus_and_an_organ_before_a_finding_is_swapped_for_its_adjective():
    asked = "What is the dense structure in the bladder?"
    assert judge("There is a large bladder calculus.", "Bladder stone", asked).right is True
    assert plants("The scan shows a liver cyst.", "Which organ contains the cyst?", "Liver") == {
        "The scan shows a splenic cyst."
    }


def test_a_side_whose_organ_is_called_normal_is_no_second_answer_to_which_side():
    asked = "Which kidney contains the cyst?"
    left = "The cyst arises from the left kidney, and the right kidney appears normal."
    assert judge(left, "Left", asked).right is True
    right = "The left kidney appears normal; the cyst is in the right kidney."
    assert judge(right, "Left", asked).right is False


def test_resolved_before_a_finding_denies_it_but_not_what_remains_with_it():
    reference = ("FINDINGS: The left basilar consolidation seen previously has resolved. Heart "
                 "size is normal. IMPRESSION: Resolved left lower lobe pneumonia.")  # fmt: skip
    answer = ("FINDINGS: Compared with the prior film, the left basilar consolidation has cleared. "
              "The heart is normal in size. IMPRESSION: Resolution of the left lower lobe "
              "pneumonia.")  # fmt: skip
    assert judge(answer, reference, "Compare with the prior film.").right is True
    scar = "Resolved pneumonia with residual scarring at the left base."
    assert judge(scar, "Yes", "Is there scarring?").right is True
    assert judge(scar, "Yes", "Is there pneumonia?").right is False


def test_thyroiditis_kinds_scrofula_and_purulent_inflammation_are_read():
    asked = "What is the diagnosis in this thyroidectomy specimen?"
    riedel = "This is Riedel thyroiditis, with dense fibrosis extending into the neck muscles."
    assert judge(riedel, "de Quervain thyroiditis", asked).right is False
    quervain = "The findings are those of subacute granulomatous thyroiditis."
    assert judge(quervain, "de Quervain thyroiditis", asked).right is True
    node = "This is scrofula, with caseating granulomas replacing the node."
    assert judge(node, "Tuberculous lymphadenitis", "What is the diagnosis?").right is True
    pus = "This is purulent inflammation, with sheets of neutrophils."
    assert judge(pus, "Suppurative inflammation", "What type of inflammation is this?").right
    cleared = ("FINDINGS: The lungs are clear. No pleural effusion. IMPRESSION: Interval clearing "
               "of the left lower lobe pneumonia.")  # fmt: skip
    assert judge(cleared, "No", "Is there pneumonia?").right is True


def test_a_side_something_is_pushed_towards_is_no_place_and_a_given_organ_no_answer():
    asked = "Is the nodule in the right lobe of the thyroid?"
    left = "No, the nodule is in the left lobe, deviating the trachea to the right."
    assert judge(left, "No", asked).right is True
    assert judge(left, "Yes", asked).right is False
    bladder = "It is a large bladder calculus layering dependently in the bladder."
    stones = plants(bladder, "What is the dense structure in the bladder?", "Bladder stone")
    assert not any("renal" in p or "ureter" in p for p in stones - {None})


def test_tubulointerstitial_injuries_and_forms_of_pyelonephritis_are_corrected_one_for_another():
    biopsy = ("The biopsy shows tubular epithelial flattening with sloughed cells in the lumina, "
              "consistent with acute interstitial nephritis.")  # fmt: skip
    assert clinical_edit(biopsy, "Acute tubular necrosis", "What is the diagnosis?") == (
        biopsy.replace("acute interstitial nephritis", "acute tubular necrosis")
    )
    gas = ("The left kidney is enlarged with gas in the parenchyma, consistent with "
           "xanthogranulomatous pyelonephritis.")  # fmt: skip
    assert clinical_edit(gas, "Emphysematous pyelonephritis", "What is the diagnosis?") == (
        gas.replace("xanthogranulomatous", "emphysematous")
    )
    assert judge("Findings are consistent with ATN.", "Acute tubular necrosis").right is True


def test_a_denial_leaving_its_cause_or_the_denied_things_said_again_is_no_plant():
    angle = "Yes, the left costophrenic angle is obscured by a moderate pleural effusion."
    assert plants(angle, "Is the left costophrenic angle obscured?", "Yes") == {None}
    lobe = "Yes, the left lower lobe is collapsed because of an obstructing endobronchial mass."
    assert plants(lobe, "Is the left lower lobe collapsed?", "Yes") == {None}  # its cause stays
    nodules = ("No. Multiple nodules are seen in the right upper lobe, and several of them are "
               "calcified.")  # fmt: skip
    assert plants(nodules, "Is the lung normal?", "No") == {None}


def test_a_side_moved_in_a_plant_turns_the_side_its_mass_pushes_towards():
    thyroid = "No, the mass is in the left lobe of the thyroid and pushes the trachea to the right."
    assert plants(thyroid, "Is the mass in the right lobe of the thyroid?", "No") == {
        "Yes, the mass is in the right lobe of the thyroid and pushes the trachea to the left."
    }


def test_a_plant_reaching_past_what_the_answer_says_is_only_invaded_is_refused():
    colon = ("No, the adenocarcinoma invades only the submucosa and does not reach the muscularis "
             "propria.")  # fmt: skip
    planted = plants(colon, "Does the tumor invade the muscularis propria?", "No") - {None}
    assert not any("only the submucosa" in p and "Yes" in p for p in planted)


def test_an_asserted_finding_loses_the_word_that_stressed_its_denial_and_takes_its_own_side():
    reference = ("FINDINGS: Moderate pulmonary edema with bilateral perihilar haziness. Normal "
                 "heart size. No pleural effusion. IMPRESSION: Moderate pulmonary "
                 "edema.")  # fmt: skip
    answer = ("FINDINGS: Normal heart size. Perihilar haziness without frank pulmonary edema. No "
              "pleural effusion. IMPRESSION: Perihilar haziness.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the chest film.")
    assert "Perihilar haziness with moderate pulmonary edema." in fixed


def test_a_patent_vein_excluded_disease_mr_technique_and_a_bare_denied_head_are_read():
    veins = ("There is occlusive thrombus in the left femoral vein, while the right femoral vein "
             "is patent.")  # fmt: skip
    assert judge(veins, "Right femoral vein", "Which vein contains the thrombus?").right is False
    ganglia = "Ganglion cells are present in the submucosa, which excludes Hirschsprung disease."
    assert judge(ganglia, "Hirschsprung disease", "What is the diagnosis?").right is False
    assert judge(ganglia, "No", "Is there Hirschsprung disease?").right is True
    tof = "This is a time-of-flight MR angiogram of the neck."
    assert "time-of-flight CT" not in (
        clinical_edit(tof, "CT angiography", "What type of angiography is this?") or ""
    )
    testis = ("The left testis is swollen with increased flow, but no torsion, consistent with "
              "epididymitis.")  # fmt: skip
    assert clinical_edit(testis, "Testicular torsion", "What is the diagnosis?") is None


def test_inclusions_values_appositives_and_normal_ranges_keep_a_correction_or_plant_honest():
    heinz = "These are Heinz bodies, inclusions of denatured hemoglobin seen in G6PD deficiency."
    fixed = clinical_edit(heinz, "Howell-Jolly bodies", "What are these red cell inclusions?")
    assert fixed is None or "denatured" not in fixed
    blasts = "Yes, blasts are increased to about 25% of nucleated cells."
    fixed = clinical_edit(blasts, "No", "Does this marrow show increased blasts?")
    assert fixed is None or "25%" not in fixed
    target = "These are target cells, red cells with a central dark spot, seen in thalassemia."
    assert not any(p.endswith(", red cells.") for p in plants(target, "what are these red cells "
                   "called?", "codocytes") - {None})  # fmt: skip
    ratio = "The myeloid to erythroid ratio is 3:1, within the normal range."
    assert plants(ratio, "What is the myeloid to erythroid ratio?", "3:1") == {None}
    assert clinical_edit("No, there is no pleural fluid.", "Yes", "Is there pleural fluid?") == (
        "Yes, there is pleural fluid."
    )


def test_a_side_written_where_that_lung_is_called_clear_or_a_course_denied_is_refused():
    reference = ("FINDINGS: Normal heart size. Right lower lobe consolidation. No effusion. "
                 "IMPRESSION: Right lower lobe pneumonia.")  # fmt: skip
    answer = ("FINDINGS: Normal heart size. There is consolidation in the left lower lobe. The "
              "right lung is clear. No effusion. IMPRESSION: Left lower lobe "
              "pneumonia.")  # fmt: skip
    assert clinical_edit(answer, reference, "Describe the chest film.") is None
    reference = ("FINDINGS: Interval removal of the left chest tube. No pneumothorax. Small left "
                 "pleural effusion, unchanged. The right lung is clear. IMPRESSION: No "
                 "pneumothorax after left chest tube removal.")  # fmt: skip
    answer = ("FINDINGS: The left-sided chest tube has been removed since the prior study. No "
              "pneumothorax is seen. There is a small left pleural effusion, similar to before. "
              "The right lung is clear. IMPRESSION: No pneumothorax following removal of the left "
              "chest tube.")  # fmt: skip
    for planted in plants(answer, "Compare with the prior study.", reference, 12) - {None}:
        assert "no left pleural effusion, similar" not in planted
        assert "small right pleural effusion" not in planted


def test_a_word_after_non_is_not_said():
    macro = (
        "The smear shows macrocytes, consistent with a non-megaloblastic anemia from alcohol use."
    )
    assert judge(macro, "megaloblastic anemia", "What type of anemia is this?").right is False


def test_a_tube_tip_at_the_carina_is_no_tip_four_centimetres_above_it():
    reference = ("FINDINGS: The endotracheal tube tip is at the level of the carina; recommend "
                 "withdrawal by 2 cm. No pneumothorax. IMPRESSION: Endotracheal tube at the "
                 "carina.")  # fmt: skip
    answer = ("FINDINGS: The endotracheal tube tip is approximately 4 cm above the carina, in "
              "satisfactory position. No pneumothorax. IMPRESSION: Satisfactory tube "
              "position.")  # fmt: skip
    assert judge(answer, reference, "Describe the support devices.").right is False


def test_synonyms_of_a_tumour_and_a_neonatal_disease_initials_and_a_sound_lung_are_read():
    femur = "This is an osteoclastoma of the distal femur, with numerous giant cells."
    assert judge(femur, "Giant cell tumor of bone", "What is the tumor?").right is True
    rds = ("This is neonatal respiratory distress syndrome, with eosinophilic membranes lining "
           "the alveolar ducts.")  # fmt: skip
    assert judge(rds, "Hyaline membrane disease", "What disease is shown?").right is True
    lung = ("There is a left-sided pneumothorax with a visible pleural line; the right lung is "
            "well expanded.")  # fmt: skip
    assert judge(lung, "Left pneumothorax", "What is the abnormality?").right is True
    ards = "This is ARDS, with diffuse bilateral airspace opacities."
    assert judge(ards, "Acute respiratory distress syndrome", "What is the diagnosis?").right


def test_a_denial_said_of_a_part_after_with_does_not_deny_the_device():
    reference = ("FINDINGS: Enteric tube courses below the diaphragm with the tip not visualized. "
                 "Lungs are clear. No pneumothorax. IMPRESSION: No acute process.")  # fmt: skip
    answer = ("FINDINGS: An orogastric tube extends below the diaphragm, its tip off the film. The "
              "lungs are clear. No pneumothorax. IMPRESSION: No acute process.")  # fmt: skip
    assert judge(answer, reference, "Describe the support devices.").right is True


def test_a_device_moved_to_a_side_whose_lung_is_clear_and_a_described_appositive_stay_planted():
    report = ("FINDINGS: Compared with the prior study, the left pleural effusion has decreased. "
              "The left chest tube is unchanged in position. No pneumothorax is seen. The right "
              "lung remains clear. IMPRESSION: Decreasing left pleural effusion with chest tube in "
              "place; no pneumothorax.")  # fmt: skip
    planted = plants(report, "Describe the chest film.", report, 16) - {None}
    assert any("The right chest tube" in p for p in planted)
    lesion = "This is a keratoacanthoma, a crateriform lesion with a central keratin plug."
    planted = plants(lesion, "What is this skin lesion?", "keratoacanthoma", 16) - {None}
    assert any(p.endswith(", a crateriform lesion.") for p in planted)


def test_a_course_turned_in_one_sentence_is_refused_where_another_keeps_the_old_course():
    reference = ("FINDINGS: Compared with the prior radiograph, the diffuse granular opacities "
                 "have improved following surfactant administration, with increased lung volumes. "
                 "No pneumothorax. IMPRESSION: Improving surfactant deficiency "
                 "disease.")  # fmt: skip
    answer = ("FINDINGS: Compared with the prior study, the diffuse granular opacities have "
              "worsened, with decreased lung volumes. There is no pneumothorax. IMPRESSION: "
              "Worsening surfactant deficiency disease.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Compare with the prior film.")
    assert fixed is None or "worsened" not in fixed


def test_a_reference_said_by_its_initials_or_an_older_name_is_read():
    q = "What is the diagnosis?"
    sbo = "Mechanical SBO, with dilated jejunal loops and air-fluid levels."
    assert judge(sbo, "Small bowel obstruction", q).right is True
    assert judge(sbo, "Large bowel obstruction", q).right is not True
    dcis = "Intraductal carcinoma, solid type, with no stromal invasion."
    assert judge(dcis, "ductal carcinoma in situ", q).right is True
    assert judge(dcis, "invasive ductal carcinoma", q).right is False


def test_a_sentence_telling_the_two_sides_apart_is_planted_with_both_swapped():
    q = "Which sinus is opacified?"
    sinus = plants("The right maxillary sinus is opacified, while the left maxillary sinus remains "
                   "well aerated.", q, "Right maxillary sinus")  # fmt: skip
    assert not any(p and p.count("left") == 2 for p in sinus)  # the left: opacified and aerated
    assert ("The left maxillary sinus is opacified, while the right maxillary sinus remains well "
            "aerated.") in sinus  # fmt: skip
    kidney = plants("The left kidney is hydronephrotic and the right kidney is normal.",
                    "Which kidney is hydronephrotic?", "Left")  # fmt: skip
    assert kidney == {"The right kidney is hydronephrotic and the left kidney is normal."}


def test_signal_said_high_or_low_is_a_look_read_written_and_planted_in_its_own_words():
    q = "What is the signal intensity of the lesion on this T2-weighted image?"
    high = "The lesion shows high signal relative to the white matter."
    assert judge(high, "Hyperintense", q).right is True
    assert judge(high, "Hypointense", q).right is False
    assert clinical_edit(high, "Hypointense", q) == high.replace("high", "low")
    assert plants(high, q, "Hyperintense") == {high.replace("high", "low")}
    bright = "The lesion appears bright, meaning high signal relative to the white matter."
    assert plants(bright, q, "Hyperintense") <= {None, bright.replace("bright", "dark").replace(
        "high", "low")}  # never 'bright, meaning low signal'  # fmt: skip


def test_a_yes_or_no_before_a_dash_leads_the_answer():
    q = "Is the pituitary gland enlarged?"
    dash = "Yes — a sellar mass in keeping with a pituitary macroadenoma is seen."
    assert judge(dash, "Yes", q).right is True and judge(dash, "No", q).right is False
    assert judge("No - the gland is normal in size.", "Yes", q).right is False


def test_a_widened_retrosternal_space_is_emphysema_not_a_widened_mediastinum():
    report = ("FINDINGS: On the lateral view the retrosternal clear space is widened and the "
              "hemidiaphragms are flattened. No effusion. IMPRESSION: Emphysema.")  # fmt: skip
    copd = (
        "FINDINGS: Hyperinflated lungs, consistent with emphysema. No effusion. IMPRESSION: COPD."
    )
    assert judge(report, copd, "Describe the findings.").right is True
    clear = "FINDINGS: Normal lungs. No effusion. IMPRESSION: Normal chest."
    assert judge(report, clear, "Describe the findings.").right is False


def test_a_course_is_read_in_its_own_clause():
    reference = ("FINDINGS: Small left pleural effusion is unchanged. Left basilar atelectasis has "
                 "improved. IMPRESSION: Improving atelectasis.")  # fmt: skip
    answer = ("FINDINGS: A small left pleural effusion is unchanged, and left basal atelectasis "
              "has improved. IMPRESSION: Improving atelectasis.")  # fmt: skip
    assert judge(answer, reference, "Compare with the prior study.").right is True
    worse = answer.replace("is unchanged, and", "has increased, and")
    assert judge(worse, reference, "Compare with the prior study.").right is not True


def test_british_spellings_and_compounds_of_ischaemia_and_ependymal_tumours_are_read():
    q = "What does this section show?"
    said = "The section shows acute ischaemic necrosis of the cortex, with red neurons."
    assert judge(said, "acute infarct", q).right is True
    red = "They indicate acute hypoxic-ischaemic injury of the neurons."
    assert judge(red, "ischemic injury", "What do these red neurons indicate?").right is True
    rosettes = "They are a hallmark of ependymal tumours, around vessels."
    assert judge(rosettes, "ependymoma", "What are pseudorosettes characteristic of?").right
    assert not judge(rosettes, "medulloblastoma", "What are they characteristic of?").right


def test_a_report_finding_put_first_in_a_denied_list_takes_the_reference_size_and_side():
    reference = ("FINDINGS: Heart size is normal. No focal consolidation. Small right pleural "
                 "effusion. No pneumothorax. IMPRESSION: Small right effusion.")  # fmt: skip
    answer = ("FINDINGS: The heart size is normal. There is no focal consolidation, pleural "
              "effusion, or pneumothorax. IMPRESSION: No acute process.")  # fmt: skip
    edits, _ = reports.report_step(answer, reference)
    assert ("There is a small right pleural effusion but no focal consolidation or "
            "pneumothorax.") in clinical.apply_edits(answer, edits)  # fmt: skip
    assert clinical.explain_edit(answer, reference, "Describe.") == (None, "too_many_changes")
    nodule = reference.replace(
        "Small right pleural effusion.", "A 1.5 cm nodule in the right upper lobe."
    ).replace("IMPRESSION: Small right pleural effusion", "IMPRESSION: Right upper lobe nodule")
    denied = answer.replace("pleural effusion, or", "pulmonary nodule, pleural effusion, or")
    assert clinical_edit(denied, nodule, "Describe the findings.") is None  # where? unsaid


def test_a_conclusion_favouring_a_diagnosis_goes_with_the_claim_it_was_drawn_from():
    q = "Does the lesion enhance after contrast?"
    cyst = "No, the lesion does not enhance after gadolinium, which favors an arachnoid cyst."
    assert clinical_edit(cyst, "Yes", q) == "Yes, the lesion enhances after gadolinium."
    against = "No, the lesion does not enhance, which argues against a glioma."
    assert clinical_edit(against, "Yes", q) == "Yes, the lesion enhances, which supports a glioma."


def test_a_margin_asked_about_is_not_planted_denied():
    q = "How would you describe the margins of the breast mass on ultrasound?"
    found = plants("The mass has circumscribed margins and an oval shape.", q, "Circumscribed")
    assert not any(p and "no circumscribed" in p for p in found)


def test_a_claim_contrasted_with_another_organs_is_corrected_alone():
    shrunken = "The liver is shrunken with a nodular contour, but the spleen is not enlarged."
    assert clinical_edit(shrunken, "Yes", "Is there splenomegaly?") == (
        "The liver is shrunken with a nodular contour, and the spleen is enlarged."
    )
    crowded = "The crypts are elongated, but eosinophils are not increased."
    assert clinical_edit(crowded, "yes", "Are eosinophils increased?") == (
        "The crypts are elongated, and eosinophils are increased."
    )


def test_a_peripherally_inserted_central_catheter_is_a_picc():
    reference = ("FINDINGS: Left PICC with tip in the SVC. The lungs are clear. IMPRESSION: Left "
                 "PICC in the SVC.")  # fmt: skip
    said = ("FINDINGS: A left peripherally inserted central catheter terminates in the superior "
            "vena cava. The lungs are clear. IMPRESSION: Left PICC in the SVC.")  # fmt: skip
    assert judge(said, reference, "Describe the chest X-ray.").right is True


def test_the_segments_of_the_colon_are_places_of_their_own():
    q = "Which part of the colon shows wall thickening?"
    said = "The descending colon shows wall thickening with adjacent fat stranding."
    assert judge(said, "Sigmoid colon", q).right is False
    assert judge(said, "Descending colon", q).right is True
    assert clinical_edit(said, "Sigmoid colon", q) == said.replace("descending", "sigmoid")
    found = plants(said, q, "Descending colon") - {None}
    assert found and all(re.search(r"\b(?:transverse|sigmoid) colon\b", p) for p in found)


def test_a_finding_written_into_a_report_is_named_in_an_impression_that_found_nothing():
    reference = ("FINDINGS: Heart size is normal. Moderate left pleural effusion. No "
                 "pneumothorax. IMPRESSION: Moderate left pleural effusion.")  # fmt: skip
    answer = ("FINDINGS: The heart is normal in size. There is no pleural effusion or "
              "pneumothorax. IMPRESSION: Normal chest radiograph.")  # fmt: skip
    assert clinical_edit(answer, reference, "Describe the findings.") == (
        "FINDINGS: The heart is normal in size. There is a moderate left pleural effusion but no "
        "pneumothorax. IMPRESSION: Moderate left pleural effusion."
    )
    quiet = reference.replace("IMPRESSION: Moderate left pleural effusion.", "IMPRESSION: Stable.")
    fixed = clinical_edit(answer, quiet, "Describe the findings.") or ""
    assert "IMPRESSION: Moderate" not in fixed  # the reference's impression names none


def test_a_denied_feature_of_myocarditis_does_not_stay_beside_a_yes():
    q = "Is there evidence of myocarditis?"
    said = "No, there is no lymphocytic infiltrate or myocyte damage; the myocardium is normal."
    fixed = clinical_edit(said, "yes", q)
    assert fixed is None or "no lymphocytic infiltrate" not in fixed


def test_a_hedge_between_the_alternatives_the_reference_offers_is_no_disagreement():
    reference = ("FINDINGS: Bilateral airspace opacities, worse than prior, consistent with ARDS "
                 "or edema. No pneumothorax. IMPRESSION: Worse opacities.")  # fmt: skip
    answer = ("FINDINGS: Bilateral airspace opacities have worsened since the prior study, which "
              "may reflect ARDS or pulmonary edema. No pneumothorax. IMPRESSION: Worsening "
              "airspace opacities.")  # fmt: skip
    assert judge(answer, reference, "Describe the findings.").right is True
    told = reference.replace("consistent with ARDS or edema", "consistent with pulmonary edema")
    assert judge(answer, told, "Describe the findings.").right is not True  # a hedge of it


def test_a_joint_is_asked_through_its_bones_and_a_region_word_belongs_to_the_subject():
    knee = "No fracture is seen, but the tibia is dislocated anteriorly relative to the femur."
    assert judge(knee, "Yes", "Is there a knee dislocation?").right is True
    assert judge(knee, "No", "Is there a knee dislocation?").right is False
    seated = "There is no fracture, and the humeral head is normally seated without dislocation."
    fixed = clinical_edit(seated, "Yes", "Is the shoulder dislocated?")
    assert fixed is None or "normally seated" not in fixed  # seated and dislocated at once
    q = "Is this cervical lesion an invasive carcinoma?"
    cin = "No, this is a high-grade dysplastic lesion confined to the epithelium."
    assert judge(cin, "no", q).right is True and judge(cin, "yes", q).right is False


def test_a_torn_meniscus_is_a_tear_and_its_horn_must_be_the_reference_one():
    q = "Is the medial meniscus torn?"
    lateral = "No tear of the medial meniscus; the lateral meniscus body is torn."
    assert judge(lateral, "No", q).right is True and judge(lateral, "Yes", q).right is False
    where = "Which part of the meniscus is torn?"
    anterior = "There is a tear of the anterior horn of the lateral meniscus."
    assert judge(anterior, "Posterior horn of the lateral meniscus", where).right is not True
    assert clinical_edit(anterior, "Posterior horn of the lateral meniscus", where) in (
        None, anterior.replace("anterior", "posterior"))  # fmt: skip


def test_an_impression_summary_stays_where_the_correction_writes_no_finding_in():
    reference = ("FINDINGS: Heart size normal. Healed left rib fractures. IMPRESSION: No acute "
                 "disease. Old left rib fractures.")  # fmt: skip
    answer = ("FINDINGS: Heart size is normal. Healed right rib fractures are noted. IMPRESSION: "
              "No acute disease. Old right rib fractures.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the findings.") or ""
    assert "IMPRESSION: No acute disease." in fixed and "right" not in fixed


def test_a_tip_beyond_the_cavoatrial_junction_is_in_the_atrium_not_the_svc():
    reference = (
        "FINDINGS: Right PICC terminates in the right atrium, about 3 cm beyond the "
        "cavoatrial junction. Lungs are clear. IMPRESSION: PICC tip in the right atrium."
    )
    answer = ("FINDINGS: A right PICC terminates in the mid superior vena cava. The lungs are "
              "clear. IMPRESSION: Right PICC in the mid SVC.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest X-ray.").right is False


def test_a_volvulus_is_not_moved_to_a_segment_where_none_occurs():
    q = "What is the diagnosis?"
    for said in ("The inverted U-shaped loop arising from the pelvis is a sigmoid volvulus.",
                 "The dilated loop in the left upper quadrant is a cecal volvulus."):  # fmt: skip
        found = plants(said, q, said.split(" is a ")[1].rstrip("."))
        assert not any(p and re.search(r"(?:descending|ascending|transverse) volvulus", p)
                       for p in found)  # fmt: skip


def test_a_conclusion_drawn_from_denials_is_not_turned_while_they_stay():
    q = "Does this umbilical cord show funisitis?"
    drawn = ("No, the cord contains only a few lymphocytes without neutrophilic infiltration of "
             "the vessel walls, so there is no funisitis.")  # fmt: skip
    fixed = clinical_edit(drawn, "yes", q)
    assert fixed is None or "without neutrophilic" not in fixed


def test_a_bones_diaphysis_is_its_shaft_even_in_a_hyphenated_word():
    q = "Where is the fracture?"
    said = "A displaced fracture runs through the mid-diaphysis of the ulna."
    assert judge(said, "Ulnar shaft", q).right is True
    assert judge("There is a fracture of the distal ulna.", "Ulnar shaft", q).right is not True


def test_spondylotic_changes_and_a_pleural_tube_are_read():
    reference = ("FINDINGS: The lungs are clear. Left chest tube in place. Mild degenerative "
                 "changes of the thoracic spine. IMPRESSION: No acute disease.")  # fmt: skip
    answer = ("FINDINGS: The lungs are clear. A left pleural tube is in place. Mild spondylotic "
              "changes of the thoracic spine. IMPRESSION: No acute process.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest X-ray.").right is True


def test_a_leading_no_is_no_denial_a_conclusion_is_drawn_from():
    q = "Does this chest radiograph show cardiomegaly?"
    said = ("No, the heart size is normal, with a cardiothoracic ratio of less than 0.5, so there "
            "is no cardiomegaly.")  # fmt: skip
    assert any(p and p.startswith("Yes") for p in plants(said, q, "No"))


def test_a_tumour_denied_does_not_keep_what_it_is_made_of():
    said = ("Yes, it is a fibroma, formed of intersecting bundles of bland spindle cells in a "
            "collagenous stroma.")  # fmt: skip
    found = plants(said, "Is this ovarian tumor a fibroma?", "yes")
    assert not any(p and "not a fibroma" in p and "bland" in p for p in found)


def test_a_dislocation_denied_keeps_no_direction():
    said = "Yes, the humeral head is dislocated anteriorly relative to the glenoid."
    found = plants(said, "Is the shoulder dislocated?", "Yes")
    assert not any(p and "not dislocated anteriorly" in p for p in found)


def test_a_finding_lifted_is_not_placed_twice_by_the_tear_said_after_it():
    said = "No tear of the medial meniscus; the tear involves the body of the lateral meniscus."
    found = plants(said, "Is the medial meniscus torn?", "No")
    assert not any(p and p.startswith("There is a tear of the medial") for p in found)


def test_a_fracture_moved_does_not_keep_the_eponym_of_its_site():
    said = ("There is a transverse fracture of the proximal fifth metatarsal diaphysis, a "
            "so-called Jones fracture.")  # fmt: skip
    found = plants(said, "Where is the fracture?", "Fifth metatarsal")
    assert not any(p and "Jones" in p and "fifth" not in p for p in found)


def test_a_perilunate_dislocation_is_no_dislocation_of_the_lunate():
    said = ("No. The lunate sits normally in the lunate fossa of the radius while the rest of the "
            "carpus is displaced dorsally, a perilunate dislocation.")  # fmt: skip
    assert judge(said, "No", "Is there a lunate dislocation?").right is True


def test_a_fracture_of_indeterminate_age_is_no_hedge():
    said = "Yes, there is a compression fracture of the L1 vertebral body of indeterminate age."
    assert judge(said, "Yes", "Is there a vertebral compression fracture?").right is True


def test_calcification_of_the_aorta_is_its_atherosclerosis():
    reference = ("FINDINGS: Normal heart size. Atherosclerotic calcification of the aortic arch. "
                 "Clear lungs. No pleural effusion or pneumothorax. IMPRESSION: No acute "
                 "cardiopulmonary process.")  # fmt: skip
    answer = ("FINDINGS: The heart is normal in size. Calcification of the aorta is noted. The "
              "lungs are clear. There is no effusion or pneumothorax. IMPRESSION: No acute "
              "disease.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest radiograph.").right is True


def test_a_conclusion_is_not_turned_beside_a_denied_feature_of_it():
    said = ("No, the ventricles are not enlarged and there is no transependymal edema, which "
            "argues against hydrocephalus.")  # fmt: skip
    fixed = clinical_edit(said, "Yes", "Are the ventricles enlarged?")
    assert fixed is None or "no transependymal" not in fixed
    said = "No, the ventricles are not enlarged, which argues against hydrocephalus."
    fixed = clinical_edit(said, "Yes", "Are the ventricles enlarged?")
    assert fixed == "Yes, the ventricles are enlarged, which supports hydrocephalus."


def test_an_organ_is_not_swapped_for_one_without_the_part_said_after_it():
    q = "Which carpal bone is fractured?"
    found = plants("The hamate hook is fractured.", q, "Hamate")
    assert not any(p and re.search(r"(?:triquetrum|capitate|lunate) hook", p) for p in found)
    fixed = clinical_edit("There is a fracture of the ulnar styloid.", "Scaphoid", "Which bone?")
    assert fixed is None or "scaphoid styloid" not in fixed


def test_a_denial_joined_to_a_turned_claim_stays_as_its_evidence():
    said = "No, the prostate gland is normal in size and does not indent the bladder floor."
    fixed = clinical_edit(said, "Yes", "Is the prostate enlarged?")
    assert fixed is None or "does not indent" not in fixed


def test_a_denial_drawn_from_a_claim_is_not_kept_when_the_claim_is_turned():
    said = "No, there is no consolidation, so there is no evidence of pneumonia."
    fixed = clinical_edit(said, "Yes", "Is there consolidation?")
    assert fixed is None or "no evidence of pneumonia" not in fixed


def test_a_finding_is_not_written_in_with_an_organ_still_called_normal():
    reference = ("FINDINGS: The heart is mildly enlarged. There is mild pulmonary vascular "
                 "congestion. No pleural effusion or pneumothorax. IMPRESSION: Mild cardiomegaly "
                 "with vascular congestion.")  # fmt: skip
    answer = ("FINDINGS: The heart is mildly enlarged. The pulmonary vasculature is normal, "
              "without congestion or edema. No pleural effusion or pneumothorax. IMPRESSION: Mild "
              "cardiomegaly.")  # fmt: skip
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or "normal, with" not in fixed
    ankle = "No, the lateral malleolus is intact, with no fracture line."
    fixed = clinical_edit(ankle, "Yes", "Is there an ankle fracture?")
    assert fixed is None or "intact, with a fracture" not in fixed  # intact is normal here


def test_a_line_turned_into_a_neck_or_arm_vein_is_misplaced():
    reference = ("FINDINGS: Left arm PICC loops back with its tip in the left subclavian vein. The "
                 "lungs are clear. No pneumothorax. IMPRESSION: Malpositioned PICC, tip in the "
                 "left subclavian vein.")  # fmt: skip
    answer = ("FINDINGS: A left-sided PICC terminates in the lower superior vena cava. The lungs "
              "are clear. No pneumothorax. IMPRESSION: PICC in satisfactory position.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest radiograph.").right is False
    fixed = clinical_edit(answer, reference, "Describe the chest radiograph.")
    assert fixed is None or ("subclavian vein" in fixed and "superior vena cava" not in fixed)
    routed = ("FINDINGS: A right internal jugular vein catheter is seen with its tip in the "
              "superior vena cava. The lungs are clear. No pneumothorax. IMPRESSION: Appropriately "
              "positioned line.")  # fmt: skip
    reference = ("FINDINGS: Right internal jugular central venous catheter with tip in the mid "
                 "SVC. Lungs clear. No pneumothorax. IMPRESSION: Line in good "
                 "position.")  # fmt: skip
    assert judge(routed, reference, "Describe the chest radiograph.").right is True


def test_one_age_of_a_finding_denied_beside_another_asserted_is_still_a_yes():
    said = "Yes, there is an old healed fracture of the right clavicle, but no acute fracture."
    assert judge(said, "Yes", "Is there a clavicle fracture?").right is True
    said = "Yes, a chronic subdural hematoma is present; there is no acute hemorrhage."
    assert judge(said, "Yes", "Is there a subdural hematoma?").right is True


def test_a_hedge_ends_where_its_sentence_goes_on_to_deny():
    said = "There is a right basilar opacity, likely atelectasis, with no pleural effusion."
    assert judge(said, "No", "Is there a pleural effusion?").right is True
    reference = ("FINDINGS: Heart size normal. Right basilar atelectasis. No pleural effusion or "
                 "pneumothorax. IMPRESSION: Right basilar atelectasis.")  # fmt: skip
    answer = ("FINDINGS: Normal heart size. Streaky right basilar opacity, probably atelectasis, "
              "without effusion or pneumothorax. IMPRESSION: Right basilar "
              "atelectasis.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest radiograph.").right is True


def test_what_is_asked_present_in_a_place_is_the_thing_not_the_place():
    said = "No, the urothelium next to the papillary carcinoma shows no carcinoma in situ."
    q = "Is carcinoma in situ present in the urothelium adjacent to the papillary tumor?"
    assert judge(said, "No", q).right is True
    said = "No, the mucosa beside the polyp shows no dysplasia."
    assert judge(said, "No", "Is dysplasia seen in the mucosa adjacent to the polyp?").right is True


def test_a_nephrostomy_catheter_is_no_central_line():
    reference = ("FINDINGS: Right nephrostomy tube in place. Lungs clear. No effusion. IMPRESSION: "
                 "No acute cardiopulmonary process.")  # fmt: skip
    answer = ("FINDINGS: A right nephrostomy catheter projects over the right upper quadrant. The "
              "lungs are clear without effusion. IMPRESSION: No acute cardiopulmonary "
              "process.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest radiograph.").right is True


def test_a_hybrid_modality_is_read_whole_and_planted_whole():
    said = "This is an FDG PET/CT study, with the PET activity fused onto the CT images."
    q = "What imaging modality was used?"
    assert judge(said, "PET-CT", q).right is True
    assert not any(p and "MRI" in p and "CT images" in p for p in plants(said, q, "PET-CT"))


def test_fdg_avid_is_hypermetabolic():
    assert judge("Yes, the mass is intensely hypermetabolic.", "Yes", "Is the mass FDG-avid?").right
    assert judge("No, the nodule is not FDG-avid.", "No", "Is the nodule hypermetabolic?").right


def test_a_hedge_on_a_finding_drawn_about_the_organ_asked_leaves_the_organ_said():
    said = "The pancreas, with a hypermetabolic mass in the tail concerning for malignancy."
    assert judge(said, "Pancreas", "Which organ shows abnormal uptake?").right is True
    said = "There is a pancreatic mass concerning for malignancy."
    assert judge(said, "Yes", "Is the pancreatic mass malignant?").right is None


def test_mesangiocapillary_is_membranoproliferative():
    said = (
        "The glomeruli show a mesangiocapillary pattern with double-contoured basement membranes."
    )
    assert judge(said, "membranoproliferative", "What pattern of injury is seen?").right is True


def test_a_duplex_kidney_is_a_duplicated_collecting_system():
    said = ("Yes, the right kidney is drained by two ureters from separate renal pelves, "
            "consistent with a duplex kidney.")  # fmt: skip
    assert judge(said, "Yes", "Is there a duplicated collecting system?").right is True


def test_a_bare_level_is_answered_by_the_look():
    q = "What is the T2 signal of the lesion?"
    assert judge("The lesion is markedly hyperintense on T2-weighted images.", "High", q).right
    assert judge("The lesion is hypointense on T2-weighted images.", "High", q).right is False


def test_a_hedge_the_question_asks_with_is_no_hedge():
    q = "What is the most likely diagnosis?"
    assert judge(
        "The most likely diagnosis is a pleomorphic adenoma.", "Pleomorphic adenoma", q
    ).right
    assert judge("This may be a pleomorphic adenoma.", "Pleomorphic adenoma", q).right is None
    said = "The egg-on-a-string heart suggests transposition of the great arteries."
    q = "What congenital heart disease is suggested?"
    assert judge(said, "Transposition of the great arteries", q).right is True
    assert judge(said, "Transposition of the great arteries", "What is shown?").right is None


def test_along_with_leads_no_evidence():
    said = ("Yes, the hepatocytes contain Mallory-Denk bodies along with ballooning degeneration, "
            "suggesting steatohepatitis.")  # fmt: skip
    found = plants(said, "Are Mallory-Denk bodies present?", "yes")
    assert not any(p and p.rstrip(".").endswith("along") for p in found)


def test_may_or_may_not_hedges_its_sentence():
    said = (
        "There is an old healed rib fracture, which may or may not be relevant, but no acute one."
    )
    assert judge(said, "Yes", "Is there a fracture?").right is not True


def test_the_external_jugular_vein_is_corrected_to_the_internal():
    said = "The catheter was inserted via the left external jugular vein."
    fixed = clinical_edit(said, "Left internal jugular vein", "Which vein was used for access?")
    assert fixed == "The catheter was inserted via the left internal jugular vein."


def test_a_planted_consolidation_is_placed_in_a_lobe():
    q = "Describe the chest radiograph."
    for said, reference in (
        ("FINDINGS: The heart size is normal. There is mild pulmonary vascular congestion. No "
         "focal consolidation, pleural effusion, or pneumothorax. IMPRESSION: Mild vascular "
         "congestion.", "FINDINGS: Normal heart size. Mild vascular congestion. No consolidation, "
         "effusion or pneumothorax. IMPRESSION: Mild pulmonary vascular congestion."),
        ("FINDINGS: The heart is enlarged. No focal consolidation is seen. IMPRESSION: "
         "Cardiomegaly.", "FINDINGS: Cardiomegaly. Clear lungs. IMPRESSION: Cardiomegaly."),
    ):  # fmt: skip
        found = {p for p in plants(said, q, reference, seeds=12) if p}
        lifted = [p for p in found if re.search(r"(?<!no )focal consolidation", p, re.I)]
        assert lifted and all("lower lobe" in p for p in lifted)


def test_subdiaphragmatic_free_air_is_pneumoperitoneum():
    said = "No free subdiaphragmatic air is identified."
    assert judge(said, "No", "Is there pneumoperitoneum?").right is True
    said = "No, there is no air under the diaphragm."
    found = plants(said, "Is there pneumoperitoneum?", "No")
    assert "Yes, there is air under the diaphragm." in found
    said = "No free intraperitoneal gas is seen on this supine abdominal film."
    assert judge(said, "Yes", "Is there pneumoperitoneum?").right is False  # gas is air
    said = "Yes, there is pneumoperitoneum, with gas seen on both sides of the bowel wall."
    found = plants(said, "Is free intraperitoneal gas present?", "Yes")
    assert not any(p and "there is pneumoperitoneum" in p for p in found)  # the asked claim turns


def test_a_kidney_anomaly_is_not_swapped_beside_the_features_of_its_own():
    said = "The kidneys are joined at their lower poles by an isthmus, forming a horseshoe kidney."
    found = plants(said, "What renal anomaly is shown?", "Horseshoe kidney")
    assert not any(p and "isthmus" in p and "horseshoe" not in p for p in found)


def test_along_with_and_what_follows_go_together():
    said = ("Yes, smudge cells are seen, along with numerous small, mature-appearing "
            "lymphocytes with clumped chromatin, a picture typical of chronic lymphocytic "
            "leukemia.")  # fmt: skip
    found = plants(said, "Are smudge cells present?", "yes")
    assert not any(p and re.search(r"\b(?:along|small)\.$", p) for p in found)


def test_a_question_asking_whether_a_finding_resolved_is_answered_by_its_absence():
    q = "Has the pleural effusion resolved?"
    assert judge("The left pleural effusion has resolved.", "Yes", q).right is True
    assert judge("No, a small left pleural effusion persists.", "No", q).right is True
    assert judge("Yes, the left pleural effusion has resolved.", "No", q).right is False
    found = plants("Yes, the left pleural effusion has resolved.", q, "Yes")
    assert "No, the left pleural effusion has resolved." not in found


@pytest.mark.parametrize(
    "said, question, reference, wrong",
    [
        ("Yes, there is a left apical pneumothorax; a fine visceral pleural line is seen with "
         "absent lung markings peripheral to it.", "Is there a pneumothorax?", "Yes",
         r"no left apical pneumothorax; a fine visceral pleural line"),  # its feature stays
        ("These are Langhans giant cells; their nuclei are arranged in a horseshoe-shaped pattern "
         "at the periphery.", "What type of giant cells are these?", "Langhans giant cells",
         r"(?:Touton|foreign body|Reed-Sternberg).*horseshoe"),  # horseshoe-shaped: Langhans
        ("This image is in the coronal plane, showing the abdomen as if viewed from the front.",
         "In which plane is this image?", "Coronal", r"(?:sagittal|axial).*from the front"),
        ("This is a plain radiograph of the abdomen, obtained in a frontal projection.",
         "What modality is this?", "X-ray", r"CT.*frontal projection"),
        ("Yes, this is a posteroanterior (PA) radiograph of the chest taken with the patient "
         "erect.", "Is this a PA view?", "Yes", r"taken\.$"),  # taken | with: no dangling verb
        ("Yes, the appendix appears dilated with a thickened wall and periappendiceal fat "
         "stranding, suggesting appendicitis.", "Is the appendix abnormal?", "Yes",
         r"not appear dilated without"),  # which of them is denied?
        ("Both kidneys are visible here, the left and the right, on either side of the spine.",
         "How many kidneys are seen?", "2", r"^Only"),  # 'the left and the right' would stay
    ],
)  # fmt: skip
def test_a_plant_leaves_no_word_that_tells_the_old_claim(said, question, reference, wrong):
    assert not any(p and re.search(wrong, p) for p in plants(said, question, reference))


def test_another_kind_said_once_is_not_made_right_by_the_bare_word_after_it():
    said = ("This is coagulative necrosis, with the necrotic cells keeping their ghost "
            "outlines.")  # fmt: skip
    assert judge(said, "Caseous necrosis", "What type of necrosis is seen?").right is False
    said = "The hypodensity around the mass is cytotoxic edema from an adjacent infarct."
    assert judge(said, "Vasogenic edema", "What does the hypodensity represent?").right is False
    said = "The hypodensity around the mass is vasogenic edema."
    assert judge(said, "Vasogenic edema", "What does the hypodensity represent?").right is True


def test_words_said_another_way():
    q = "Where is the gas collection?"
    assert judge("The gas lies underneath the left hemidiaphragm.", "Under the left "
                 "hemidiaphragm", q).right is True  # fmt: skip
    said = "Keratinizing epidermoid carcinoma with intercellular bridges."
    assert judge(said, "Squamous cell carcinoma", "What is the diagnosis?").right is True
    said = "It looks cancerous, with an infiltrative border."
    assert judge(said, "Malignant", "Is the nodule benign or malignant?").right is True
    assert judge(said, "Benign", "Is the nodule benign or malignant?").right is False
    said = "Vasogenic swelling expands the white matter of the right frontal lobe."
    assert judge(said, "Brain edema", "What abnormality is shown in the brain?").right is True


def test_a_midline_trachea_answers_no_to_tracheal_deviation():
    q = "Is there tracheal deviation?"
    assert judge("No, the trachea is midline.", "No", q).right is True
    assert judge("No, the trachea is central, without deviation.", "No", q).right is True
    assert judge("No, there is no tracheal deviation.", "Yes", q).right is False


def test_degenerative_spurring_is_a_degenerative_change():
    reference = ("FINDINGS: Heart size normal. Lungs clear. No effusion or pneumothorax. Mild "
                 "degenerative changes of the thoracic spine. IMPRESSION: No acute "
                 "disease.")  # fmt: skip
    answer = ("FINDINGS: Normal heart size. The lungs are clear without effusion or "
              "pneumothorax. Mild osteophytosis of the thoracic spine. IMPRESSION: No acute "
              "disease.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest radiograph.").right is True


def test_an_edema_corrected_to_another_kind_does_not_keep_the_cause_of_the_old():
    said = "The low density around the lesion is cytotoxic edema from a recent infarct."
    fixed = clinical_edit(said, "Vasogenic edema", "What does the low density represent?")
    assert fixed is None or "infarct" not in fixed


def test_the_side_a_midline_moves_to_answers_which_way_it_shifted():
    q = "Which direction is the midline shifted?"
    assert judge("The septum pellucidum is shifted to the left.", "left", q).right is True
    assert judge("There is 6 mm of midline shift to the right.", "right", q).right is True
    q = "Which way is the trachea deviated?"
    assert judge("The trachea is deviated to the left.", "right", q).right is False
    assert judge("It is deviated towards the right side.", "right", q).right is True


def test_the_side_of_a_cause_is_no_second_answer():
    q = "Which direction is the midline shifted on this CT?"
    said = "The midline is shifted to the right by a large left acute subdural haematoma."
    assert judge(said, "right", q).right is True
    assert judge(said, "left", q).right is False
    said = "There is leftward midline shift due to the right frontal contusion and oedema."
    assert judge(said, "left", q).right is True


def test_a_tip_beyond_a_landmark_does_not_lie_at_it():
    q = "Where does the catheter tip lie?"
    said = "The PICC tip projects over the right atrium, beyond the cavoatrial junction."
    assert judge(said, "Superior vena cava", q).right is False
    said = "The tip is in the distal SVC, just above the cavoatrial junction."
    assert judge(said, "Superior vena cava", q).right is True


def test_a_periappendiceal_abscess_is_an_appendiceal_abscess():
    q = "What is the fluid collection next to the cecum?"
    said = "A rim-enhancing periappendiceal abscess from a ruptured appendix."
    assert judge(said, "Appendiceal abscess", q).right is True
    assert judge("A rim-enhancing appendiceal abscess.", "Appendiceal abscess", q).right is True


def test_a_short_form_of_the_reference_is_read_as_it():
    q = "What is the most likely diagnosis?"
    said = "Cavitating right upper lobe consolidation with tree-in-bud nodules, typical of TB."
    assert judge(said, "tuberculosis", q).right is True
    said = "Filling defect in the right lower lobe pulmonary artery, an acute PE."
    assert judge(said, "pulmonary embolism", q).right is True
    said = "Crypt abscesses and diffuse continuous mucosal inflammation, consistent with UC."
    assert judge(said, "Crohn disease", q).right is False


def test_british_spelling_is_read_as_american():
    q = "Does this trephine show aplastic anaemia?"
    said = "Yes, the marrow is nearly empty of haematopoietic cells, consistent with aplastic "
    said += "anemia."
    assert judge(said, "yes", q).right is True
    q = "Does this smear show iron deficiency anemia?"
    said = "Yes, microcytic hypochromic cells with pencil forms suggest iron deficiency anaemia."
    assert judge(said, "no", q).right is not True


def test_an_organ_the_answer_calls_normal_is_no_second_organ():
    q = "Which organ is abnormal on this CT?"
    said = "The pancreas is abnormal, with a hypodense mass in its head; the liver looks normal."
    assert judge(said, "Pancreas", q).right is True
    said = "The liver is abnormal, while the pancreas appears unremarkable."
    assert judge(said, "Pancreas", q).right is False
    assert judge("Both the pancreas and the liver are abnormal.", "Pancreas", q).right is None


def test_the_normal_a_question_compares_with_is_not_what_it_asks():
    q = "Is the mass hyperintense compared with normal muscle on T2?"
    said = "The mass is hypointense relative to muscle, with a few internal septations, likely a "
    said += "fibrous lesion."
    assert judge(said, "No", q).right is True
    assert judge("Yes, the mass is bright on T2.", "No", q).right is not True


def test_report_words_for_hyperinflation_drains_and_pacing_devices():
    reference = ("FINDINGS: Hyperinflated lungs consistent with emphysema. Left chest wall "
                 "pacemaker with leads in the right atrium and right ventricle. Right pleural "
                 "drain at the base. No pneumothorax. IMPRESSION: COPD. Pacemaker. Right pleural "
                 "drain.")  # fmt: skip
    answer = ("FINDINGS: The lungs are overinflated with an increased retrosternal air space. "
              "A left-sided pacing device has leads in the right atrium and right ventricle. A "
              "right pigtail pleural catheter is at the base. No pneumothorax. IMPRESSION: "
              "Emphysema. Cardiac pacing device. Right pleural drainage catheter in "
              "place.")  # fmt: skip
    assert judge(answer, reference, "Describe the chest radiograph.").right is True
    q = "Is there any fluid in the pleural space?"
    assert judge("No, no pleural effusion; both costophrenic angles are sharp.", "No", q).right


def test_a_consolidation_that_improved_to_a_residual_opacity_is_that_opacity():
    reference = ("FINDINGS: Right middle lobe opacity has largely cleared, with a small residual "
                 "opacity. No effusion. IMPRESSION: Resolving pneumonia.")  # fmt: skip
    answer = ("FINDINGS: The right middle lobe consolidation has improved, leaving a faint "
              "residual opacity. No pleural effusion. IMPRESSION: Resolving right middle lobe "
              "pneumonia.")  # fmt: skip
    assert judge(answer, reference, "Compare with the prior study.").right is True
    wrong = answer.replace("right middle lobe", "left lower lobe").replace("The left", "The left")
    wrong = wrong.replace("The right middle lobe", "The left lower lobe")
    assert judge(wrong, reference, "Compare with the prior study.").right is False


def test_a_side_on_the_organ_a_finding_acts_on_is_not_the_next_findings():
    reference = ("Acute right MCA infarct with mild mass effect and 4 mm leftward midline shift. "
                 "No haemorrhage.")  # fmt: skip
    answer = ("FINDINGS: Acute right MCA territory infarct with loss of grey-white "
              "differentiation. There is mass effect on the right lateral ventricle, with 4 mm of "
              "leftward midline shift. No haemorrhage.")  # fmt: skip
    assert judge(answer, reference, "Describe this head CT.").right is True
    wrong = answer.replace("4 mm of leftward", "4 mm of rightward")
    assert judge(wrong, reference, "Describe this head CT.").right is False


def test_a_correction_of_a_normal_caliber_writes_dilated_unless_narrowing_is_spoken_of():
    q = "Is the common bile duct dilated?"
    said = "No, the common bile duct is of normal caliber."
    assert clinical_edit(said, "Yes", q) == "Yes, the common bile duct is dilated."
    q = "Is there coarctation of the aorta?"
    said = "No, the aortic isthmus is of normal caliber, with no focal narrowing."
    fixed = clinical_edit(said, "Yes", q) or ""
    assert "dilated" not in fixed and "abnormal caliber" not in fixed


def test_an_answer_silent_on_invasion_does_not_answer_whether_a_layer_is_invaded():
    q = "Is the lamina propria invaded by carcinoma?"
    said = "The biopsy shows a well-differentiated adenocarcinoma with tubular glands."
    assert judge(said, "yes", q).right is None
    said = "Yes, malignant glands infiltrate the lamina propria as single cells and small nests."
    assert judge(said, "yes", q).right is True
    assert judge("No, the carcinoma is confined to the epithelium.", "yes", q).right is False


def test_a_plural_head_is_never_swapped_for_a_mass_noun():
    q = "what are the dark dots in these red cells?"
    said = "These are Howell-Jolly bodies."
    found = plants(said, q, "howell-jolly bodies")
    assert "These are Heinz bodies." in found and not any(p and "stipplings" in p for p in found)


def test_a_denial_is_not_planted_before_the_disease_it_is_seen_in():
    q = "Are Lewy bodies present in these neurons?"
    said = "Yes, several pigmented neurons contain round eosinophilic Lewy bodies, as seen in "
    said += "Parkinson disease."
    found = plants(said, q, "yes")
    assert not any(p and re.search(r"\bno\b[^.]*Lewy bodies.*as seen in", p) for p in found)


def test_no_denial_is_planted_after_a_subject_counted_out():
    q = "Are Mallory-Denk bodies present in the hepatocytes?"
    said = "Yes, many ballooned hepatocytes contain ropy eosinophilic Mallory-Denk bodies."
    assert not any(p and re.search(r"many [\w ]+ contain no\b", p) for p in plants(said, q, "yes"))


def test_a_cardiogenic_edema_is_a_pulmonary_edema():
    q = "What is the main finding in both lungs?"
    said = "Perihilar haziness with Kerley B lines and cephalization, typical of cardiogenic edema."
    assert judge(said, "Pulmonary edema", q).right is True


def test_a_do_question_in_the_progressive_asks_its_object():
    q = "are the hepatocytes showing feathery degeneration?"
    said = "Yes, the hepatocytes have a foamy, feathery cytoplasm from bile retention, consistent "
    said += "with feathery degeneration."
    assert judge(said, "yes", q).right is True
    assert judge(said, "no", q).right is False


def test_a_liver_and_spleen_enlarged_together_are_hepatosplenomegaly():
    q = "What abnormality do the abdominal organs show?"
    assert judge("The liver and the spleen are both enlarged.", "Hepatosplenomegaly", q).right
    said = "The spleen is enlarged, while the liver is normal in size."
    assert judge(said, "Hepatosplenomegaly", q).right is False


def test_fracture_eponyms_and_glomerular_lesions_are_told_apart():
    q = "What is the eponym of this wrist fracture?"
    said = "A Smith fracture: the distal radial fragment is tilted volarly."
    assert judge(said, "Colles fracture", q).right is False
    assert judge("It is a Colles' fracture.", "Colles fracture", q).right is True
    q = "Which injury of the forearm is this?"
    said = "A Monteggia fracture-dislocation, with the radial head dislocated anteriorly."
    assert judge(said, "Galeazzi fracture", q).right is False
    q = "What glomerular lesion is shown?"
    said = "Thickened capillary walls forming wire-loop lesions, as in lupus nephritis."
    assert judge(said, "Kimmelstiel-Wilson nodules", q).right is False


def test_more_words_for_common_findings():
    q = "What is the diagnosis in the hip?"
    said = "Degenerative joint disease, with superolateral narrowing and osteophytes."
    assert judge(said, "Osteoarthritis", q).right is True
    q = "What is wrong with the left kidney?"
    said = "The left pelvicalyceal system is markedly distended."
    assert judge(said, "Hydronephrosis", q).right is True
    q = "Is there a pleural collection on the right?"
    assert judge("No, there is no right pleural effusion.", "No", q).right is True
    q = "Is there gas in the L5-S1 disc?"
    assert judge("Yes, there is a vacuum phenomenon at L5-S1.", "Yes", q).right is True


def test_a_tumours_differentiation_is_one_grade_of_three():
    q = "Is this adenocarcinoma well differentiated?"
    said = "No, it is poorly differentiated, with solid sheets and few glands."
    assert judge(said, "no", q).right is True
    assert judge(said, "yes", q).right is False
    q = "What is the grade of differentiation?"
    assert judge("Moderately differentiated.", "Poorly differentiated", q).right is False


def test_a_small_size_is_planted_halved_or_doubled_not_one_off():
    q = "How big is the gallbladder polyp?"
    found = plants("The polyp measures 3 mm and is non-shadowing.", q, "3 mm")
    assert "The polyp measures 6 mm and is non-shadowing." in found
    assert not any(p and re.search(r"\b[24] mm\b", p) for p in found)


def test_no_denial_is_planted_of_a_finding_counted_out_after_it():
    reference = ("FINDINGS: Heart size normal. Lungs clear. Old healed left rib fractures. "
                 "IMPRESSION: No acute disease.")  # fmt: skip
    answer = ("FINDINGS: Heart size is normal. The lungs are clear. Old healed fractures of "
              "several left ribs are noted. IMPRESSION: No acute disease.")  # fmt: skip
    found = plants(answer, "Describe the chest radiograph.", reference)
    assert not any(p and "No fractures of several" in p for p in found)


def test_a_conclusion_drawn_from_a_claim_corrected_away_does_not_stay():
    q = "Is the adrenal nodule an adenoma?"
    said = "Yes, the adrenal nodule is an adenoma, so no further workup is needed."
    fixed = clinical_edit(said, "No", q)
    assert fixed is None or "no further workup" not in fixed


def test_osteonecrosis_is_avascular_necrosis_and_no_other_bone_disease():
    q = "What has happened to the femoral head?"
    said = "Osteonecrosis, with a subchondral crescent and early collapse of the articular surface."
    assert judge(said, "Avascular necrosis", q).right is True
    said = "Osteomyelitis, with cortical destruction and a periosteal reaction."
    assert judge(said, "Avascular necrosis", q).right is False


def test_the_double_wall_sign_is_riglers_sign():
    q = "Which sign of free air is present?"
    said = "Gas on both sides of the bowel wall, the double-wall sign, from a perforated ulcer."
    assert judge(said, "Rigler sign", q).right is True
    assert judge("The football sign.", "Rigler sign", q).right is False


# ------------------------------------------------------------------ plants and fixes that keep
# their sentence true to itself: a gloss, a side the question gives, a landmark, a diagnosis drawn


def test_a_gloss_in_brackets_goes_when_its_term_is_replaced():
    xray = plants("It is a chest X-ray (plain radiograph).", "What modality is this?", "X-Ray")
    assert xray - {None} and not any(p and "(" in p for p in xray)
    cml = "Chronic myeloid leukaemia (CML) is present."
    new = "chronic lymphocytic leukemia"
    edits = [(0, 25, new.capitalize()), (27, 30, new)]
    assert clinical.apply_edits(cml, edits) == "Chronic lymphocytic leukemia is present."
    mri = "A T2-weighted MRI (magnetic resonance imaging) is shown."  # another gloss stays
    assert clinical.apply_edits(mri, [(14, 17, "CT")]) == mri.replace("MRI", "CT")


def test_a_denied_side_asserted_takes_its_own_article():
    report = ("FINDINGS: Small right pleural effusion. No left effusion or pneumothorax is seen. "
              "IMPRESSION: Small right pleural effusion.")  # fmt: skip
    planted = plants(report, "Describe the chest radiograph.", report, seeds=20)
    assert not any(p and re.search(r"\bAn left\b", p) for p in planted)


def test_the_side_a_question_gives_is_not_planted_away():
    answer = "Airspace opacity in the right upper lobe with air bronchograms, typical of pneumonia."
    question, reference = "What is the abnormality in the right lung?", "Right upper lobe pneumonia"
    planted = plants(answer, question, reference, seeds=20)
    assert planted - {None} and not any(p and "left" in p for p in planted)


def test_the_cerebellum_is_not_planted_as_the_brain_it_is_part_of():
    answer = "It is in the cerebellum, in the posterior fossa beneath the tentorium."
    planted = plants(answer, "Which part of the brain is the lesion located in?", "Cerebellum")
    assert planted - {None} and not any(p and "in the brain," in p for p in planted)


def test_a_normal_organ_beside_the_one_lesion_on_the_other_side_is_not_turned():
    answer = "No, the right kidney is normal; the cyst is in the left kidney."
    assert plants(answer, "Is there an abnormality in the right kidney?", "No") == {None}


def test_a_look_measured_as_water_is_not_planted_brighter():
    answer = ("The renal lesion is hypoattenuating relative to the enhancing renal cortex, "
              "measuring close to water attenuation.")  # fmt: skip
    planted = plants(answer, "What is the density of the renal lesion?", "Hypodense")
    assert not any(p and "hyperattenuating" in p and "water" in p for p in planted)


def test_a_finding_made_present_drops_what_its_absence_concluded():
    cjd = ("No, the neuropil shows numerous small vacuoles with neuronal loss and gliosis but no "
           "inflammatory infiltrate, as expected in Creutzfeldt-Jakob disease.")  # fmt: skip
    planted = plants(cjd, "Is there an inflammatory infiltrate in this brain?", "no")
    assert planted - {None} and not any(p and "Creutzfeldt" in p for p in planted)
    leprosy = ("Mycobacterium leprae: globi of acid-fast bacilli packed into foamy Virchow cells, "
               "as seen in lepromatous leprosy.")  # fmt: skip
    planted = plants(leprosy, "What organism fills these macrophages?", "Mycobacterium leprae")
    assert not any(p and "leprosy" in p and "leprae" not in p for p in planted)
    abscess = ("No epidural abscess is present; there is L4-L5 discitis with endplate erosion, but "
               "no drainable epidural collection.")  # fmt: skip
    planted = plants(abscess, "Is there an epidural abscess?", "No")
    assert not any(p and "An epidural abscess" in p and "collection" in p for p in planted)


def test_a_place_corrected_keeps_no_landmark_of_the_old_one():
    tube = ("The nasogastric tube tip projects over the distal esophagus, just above the "
            "gastroesophageal junction.")  # fmt: skip
    assert clinical_edit(tube, "Stomach", "Where is the tip of the nasogastric tube?") is None
    liver = ("The liver is abnormal, being markedly enlarged and extending below the right costal "
             "margin, consistent with hepatomegaly.")  # fmt: skip
    assert clinical_edit(liver, "Spleen", "Which organ shows the abnormality?") is None
    plain = "The nasogastric tube tip projects over the distal esophagus."
    fixed = clinical_edit(plain, "Stomach", "Where is the tip of the nasogastric tube?")
    assert fixed and "stomach" in fixed


def test_a_size_told_by_its_extent_is_not_corrected_alone():
    answer = "It is a large pleural effusion, filling most of the hemithorax."
    assert clinical_edit(answer, "Small", "How big is the pleural effusion?") is None
    plain = "It is a large pleural effusion."
    assert clinical_edit(plain, "Small", "How big is the pleural effusion?") == plain.replace(
        "large", "small"
    )


def test_a_report_plant_is_one_the_reference_can_tell_wrong():
    reference = ("FINDINGS: Right chest tube in place. Tiny residual right apical pneumothorax. "
                 "No pleural effusion. IMPRESSION: Right chest tube with tiny residual "
                 "pneumothorax.")  # fmt: skip
    answer = ("FINDINGS: A right chest tube is in place. There is a tiny residual right apical "
              "pneumothorax. No pleural effusion. Heart size is normal. IMPRESSION: Right "
              "chest tube with a tiny residual pneumothorax.")  # fmt: skip
    planted = plants(answer, "Describe the findings.", reference, seeds=12)
    assert planted - {None} and not any(p and "enlarged" in p for p in planted)


def test_the_judge_reads_zones_hedged_discs_and_other_names():
    zone = "What is the zonal pattern of necrosis in this acetaminophen-injured liver?"
    periportal = "There is periportal (zone 1) necrosis, with sparing around the central veins."
    assert judge(periportal, "Centrilobular necrosis", zone).right is False
    assert judge("Pericentral (zone 3) necrosis.", "Centrilobular necrosis", zone).right
    disc = "Is there a herniated disc at L5-S1?"
    bulge = ("There is a disc bulge at L5-S1 that may represent a small protrusion, although a "
             "true herniation cannot be confirmed.")  # fmt: skip
    assert not judge(bulge, "Yes", disc).right
    assert judge("Yes, a left paracentral disc protrusion at L5-S1.", "Yes", disc).right
    named = {
        ("An acoustic neuroma in the left internal auditory canal.", "vestibular schwannoma"),
        ("A central cavity in the cord, consistent with syringomyelia.", "syrinx"),
        ("Sarcoid: compact naked epithelioid granulomas without caseation.", "sarcoidosis"),
        ("Amoebic trophozoites with ingested red blood cells.", "entamoeba histolytica"),
        ("A cysticercus, the larval stage of the pork tapeworm.", "taenia solium"),
        ("A segment of jejunum forms a bowel-within-bowel appearance.", "intussusception"),
    }
    assert all(judge(answer, reference, "What is this?").right for answer, reference in named)


def test_a_fracture_of_one_part_answers_for_the_whole_beside_another_denied():
    answer = ("No acute fracture of the sacrum is seen; however, the right superior and inferior "
              "pubic rami are fractured.")  # fmt: skip
    assert judge(answer, "Yes", "Is the pelvis fractured?").right
    assert judge(answer, "No", "Is the pelvis fractured?").right is False
    femur = "No fracture of the femur is seen; the tibia is fractured."
    assert judge(femur, "No", "Is the femur fractured?").right
    brain = ("The brain appears largely normal, although a subtle lesion in the right temporal "
             "lobe cannot be excluded.")  # fmt: skip
    assert judge(brain, "No", "Does the brain in this MRI look healthy?").right is None


def test_blood_named_by_its_space_or_its_initials_is_that_hemorrhage():
    kind = "What type of hemorrhage is this?"
    assert (
        judge("Subarachnoid blood fills the basal cisterns.", "subdural hematoma", kind).right
        is False
    )
    assert judge("Acute SAH, filling the basal cisterns.", "subarachnoid hemorrhage", kind).right
    assert judge(
        "An epidural hematoma over the right convexity.", "Extradural hematoma", kind
    ).right
    answer = ("There is no subdural or epidural hematoma; however, subarachnoid blood is seen in "
              "the left Sylvian fissure.")  # fmt: skip
    fixed = clinical_edit(answer, "No", "Is there subarachnoid hemorrhage?")
    assert fixed and "however" not in fixed and "subarachnoid blood is not seen" in fixed


def test_an_umbilical_line_is_arterial_or_venous():
    question = "Which line is this?"
    uvc = "It is an umbilical venous catheter, its tip in the inferior vena cava."
    assert judge(uvc, "Umbilical arterial catheter", question).right is False
    assert judge("The UVC tip lies at the diaphragm.", "umbilical venous catheter", question).right


def test_a_yes_that_still_denies_what_the_question_asks_with_is_no_fix():
    answer = ("No, the pericardial sac is not distended, and no fluid is seen around the heart on "
              "this CT.")  # fmt: skip
    question = "Is the pericardial sac distended with fluid on this CT?"
    assert clinical_edit(answer, "Yes", question) is None


def test_a_device_approved_where_the_reference_finds_it_malpositioned_is_wrong():
    reference = ("FINDINGS: Left chest tube with its side port outside the pleural cavity. "
                 "IMPRESSION: Malpositioned left chest tube.")  # fmt: skip
    answer = ("FINDINGS: Left chest tube with its side port within the pleural space. "
              "IMPRESSION: Left chest tube in appropriate position.")  # fmt: skip
    assert judge(answer, reference, "Report this chest radiograph.").right is False
    assert judge(reference, reference, "Report this chest radiograph.").right
    both = (
        "FINDINGS: The endotracheal tube is in appropriate position. The enteric tube is "
        "malpositioned, coiled in the esophagus. IMPRESSION: Malpositioned enteric tube."
    )
    assert judge(both, both, "Report this chest radiograph.").right  # both say it malpositioned


def test_a_tip_not_seen_does_not_deny_its_tube():
    reference = ("FINDINGS: Enteric tube courses below the diaphragm, tip not seen. Lungs clear. "
                 "IMPRESSION: No acute process.")  # fmt: skip
    answer = "FINDINGS: The enteric tube passes below the diaphragm. The lungs are clear."
    assert judge(answer, reference, "Report this chest radiograph.").right


def test_plants_keep_what_their_sentence_says_around_them():
    petechiae = ("The conjunctiva shows pinpoint petechial hemorrhages, a finding often seen in "
                 "asphyxial deaths.")  # fmt: skip
    planted = plants(petechiae, "What is seen in the conjunctiva?", "Petechial hemorrhages")
    assert not any(p and "no pinpoint" in p and "a finding" in p for p in planted)
    thin = "No rib fracture is seen, but there is a thin pneumothorax along the left chest wall."
    assert not any(p and "no thin" in p for p in plants(thin, "Describe the findings.", thin))
    bowel = ("This is a transverse image, showing a target-like mass of concentric bowel wall "
             "layers.")  # fmt: skip
    planted = plants(bowel, "In which plane was this image acquired?", "Transverse", seeds=12)
    assert not any(p and "target" in p for p in planted)
    effusion = (
        "It is a small right pleural effusion, without loculation or mass effect on the lung."
    )
    planted = plants(effusion, "How much pleural fluid is present?", "Small")
    assert not any(p and "large" in p and "mass effect" in p for p in planted)
    nodule = ("Measuring roughly 7 mm, the nodule is solid; per Fleischner criteria a follow-up CT "
              "would be advised.")  # fmt: skip
    planted = plants(nodule, "How big is the nodule?", "7 mm")
    assert not any(p and "Fleischner" in p and "7 mm" not in p for p in planted)


def test_plants_say_nothing_their_other_words_deny():
    heart = "The heart is abnormal: the cardiac silhouette is enlarged, while both lungs are clear."
    planted = plants(heart, "Is the abnormality in the heart or in the lungs?", "Heart")
    assert not any(p and "lung is enlarged" in p for p in planted)
    line = ("The catheter terminates in the lower superior vena cava, which is a satisfactory "
            "position.")  # fmt: skip
    planted = plants(line, "Where does the catheter terminate?", "Superior vena cava")
    assert not any(p and "satisfactory" in p and "superior vena cava" not in p for p in planted)
    blood = "No hemoperitoneum is identified; there is no free fluid in Morison's pouch."
    planted = plants(blood, "Is there hemoperitoneum?", "No")
    assert not any(
        p and "no free fluid" in p and "no hemoperitoneum" not in p.lower() for p in planted
    )
    ribs = ("FINDINGS: No acute fracture of the ribs or clavicles is identified. The lungs are "
            "clear. IMPRESSION: No acute abnormality.")  # fmt: skip
    planted = plants(ribs, "Describe the findings.", ribs, seeds=12)
    assert not any(p and "An acute fracture of the ribs or" in p for p in planted)


def test_names_of_the_newborn_chest_the_collarbone_and_a_flail_segment():
    question = "What is the diagnosis?"
    hmd = "Surfactant deficiency disease, with low lung volumes and granular opacities."
    assert judge(hmd, "Respiratory distress syndrome", question).right
    ttn = "Transient tachypnea of the newborn, with fluid in the fissures."
    assert judge(ttn, "Respiratory distress syndrome", question).right is False
    assert judge("The left collarbone is broken.", "Left clavicle", "Where is the fracture?").right
    flail = "Segmental fractures of several left ribs produce a flail segment."
    assert judge(flail, "flail chest", "What is the abnormality of the chest wall?").right


def test_a_sentence_goes_on_after_ie_and_a_replaced_name_opens_it_capitalised():
    text = "Contusions on the side opposite the impact, i.e. a contrecoup injury. No fracture."
    assert len(clinical.sentences(text)) == 2
    assert phrases.case_within("NEC.", 0, "pyloric stenosis", True) == "Pyloric stenosis"
    assert phrases.case_within("Degenerative.", 0, "d") == "d"  # No degenerative: not alone
    assert phrases.case_within("It is NEC.", 6, "pyloric stenosis") == "pyloric stenosis"


def test_a_denial_leaves_no_qualifier_and_a_list_no_or():
    polyp = "Yes, a pedunculated adenomatous polyp on a slender stalk projects into the lumen."
    planted = plants(polyp, "Is there a polyp in this colon segment?", "yes")
    assert not any(p and "stalk" in p and re.search(r"\bno\b", p) for p in planted)
    gas = ("Yes, a crescent of free intraperitoneal gas is seen beneath the right hemidiaphragm, "
           "separating it from the liver.")  # fmt: skip
    planted = plants(gas, "Is there pneumoperitoneum on this upright film?", "yes")
    assert not any(p and "not seen" in p and "separating" in p for p in planted)
    kidneys = ("No, the kidneys are unremarkable: normal in size, without hydronephrosis, "
               "calculi or a focal renal mass.")  # fmt: skip
    planted = plants(kidneys, "Are there any abnormalities in the kidneys?", "No")
    assert not any(p and "with hydronephrosis, calculi or" in p for p in planted)
    cyst = "The kidney is not healthy; a well-defined, rounded low-density cyst arises from it."
    assert not any(p and " ," in p for p in plants(cyst, "Is the kidney healthy?", "No"))
    liver = ("The liver shows no focal lesion, no biliary dilatation and no surface nodularity; it "
             "appears normal.")  # fmt: skip
    assert not any(p and "abnormal" in p for p in plants(liver, "Is the liver normal?", "Yes"))


def test_evidence_after_as_stays_with_the_claim_it_gave():
    ap = "Yes, this is an AP projection, as the scapulae overlap the upper lung fields."
    assert clinical_edit(ap, "No", "Was this radiograph taken in the AP projection?") is None
    heart = ("Yes, the heart size is within the normal range, as the cardiac width measures under "
             "half of the thoracic width.")  # fmt: skip
    assert clinical_edit(heart, "No", "Is the heart size within the normal range?") is None


def test_a_side_said_of_another_organ_is_not_the_answer():
    answer = (
        "The spleen is on the left side of the image, opposite the liver, which lies on the right."
    )
    assert judge(answer, "Right", "On which side of the image is the spleen?").right is False


def test_a_report_tells_the_spine_level_and_a_trace_is_small():
    reference = ("FINDINGS: Lungs are clear. Mild degenerative changes of the thoracic spine. "
                 "IMPRESSION: No acute abnormality.")  # fmt: skip
    lumbar = ("FINDINGS: The lungs are clear. Mild degenerative changes are seen in the lumbar "
              "spine. IMPRESSION: No acute abnormality.")  # fmt: skip
    assert judge(lumbar, reference, "Describe the findings.").right is False
    assert clinical_edit(lumbar, reference, "Describe the findings.") == lumbar.replace(
        "lumbar", "thoracic"
    )
    small = "FINDINGS: Small right pleural effusion. IMPRESSION: Small right pleural effusion."
    trace = "FINDINGS: A trace right pleural effusion. IMPRESSION: Trace right pleural effusion."
    assert judge(trace, small, "Describe the findings.").right


def test_windows_calcifications_hedges_and_planes_read_as_kinds():
    window = "This chest CT is displayed in a bone window; the lungs show no nodules."
    assert (
        judge(window, "Lung window", "Which window is this chest CT displayed in?").right is False
    )
    assert judge("It is shown in lung windows.", "Lung window", "Which window?").right
    popcorn = "The lesion shows coarse popcorn calcification, typical of a fibroadenoma."
    question = "What pattern of calcification outlines this lesion?"
    assert judge(popcorn, "Rim calcification", question).right is False
    assert judge("Eggshell calcification outlines it.", "Rim calcification", question).right
    early = ("There is no hemorrhage; subtle early ischemic change in the left MCA territory "
             "may be present but is not definite.")  # fmt: skip
    assert judge(early, "Yes", "Is there an acute infarct?").right is None
    frontal = "Coronal, a frontal cut showing the liver, spleen and both kidneys."
    planted = plants(frontal, "In which plane is this image?", "Coronal", seeds=12)
    assert not any(p and "frontal cut" in p for p in planted)


def test_a_denial_written_before_a_capitalised_first_word_lowers_it():
    report = ("FINDINGS: The lungs are clear. Degenerative changes are present in the thoracic "
              "spine. IMPRESSION: No acute process.")  # fmt: skip
    planted = plants(report, "Describe the findings.", report, seeds=12)
    assert not any(p and "No Degenerative" in p for p in planted)
    assert any(p and "No degenerative changes" in p for p in planted)


def test_a_disease_named_after_its_organism_is_swapped_for_another_disease():
    toxo = "This is cerebral toxoplasmosis, with a cyst packed with bradyzoites."
    planted = plants(toxo, "What is the diagnosis?", "Toxoplasmosis") - {None}
    assert planted and all(re.search(r"cerebral \w+(?:osis|iasis)\b", p) for p in planted)


def test_a_finding_asserted_in_one_of_two_places_is_no_plant():
    sah = ("There is a small right frontal contusion; no subarachnoid hemorrhage is identified in "
           "the sulci or basal cisterns.")  # fmt: skip
    planted = plants(sah, "Is there subarachnoid hemorrhage?", "No")
    assert not any(p and "sulci or basal" in p and "no subarachnoid" not in p for p in planted)
    cord = ("No, the spinal cord is normal in caliber and signal, without compression, syrinx or "
            "myelopathic change.")  # fmt: skip
    planted = plants(cord, "Is the spinal cord abnormal?", "No")
    assert not any(p and "syrinx or" in p and "without" not in p for p in planted)


def test_a_calcification_of_a_kind_by_cause_is_not_planted_a_pattern():
    valve = "The fibrotic valve cusps show dystrophic calcification."
    planted = plants(valve, "What type of calcification is seen?", "Dystrophic calcification")
    assert not any(p and re.search(r"\b(?:rim|popcorn|punctate)\b", p) for p in planted)


def test_a_pneumothorax_asserted_gets_a_side_and_evidence_after_a_semicolon_stays_with_its_claim():
    report = ("FINDINGS: The heart is moderately enlarged. Small bilateral pleural effusions are "
              "stable. No pneumothorax is identified. IMPRESSION: Stable effusions.")  # fmt: skip
    planted = plants(report, "Describe the findings.", report, seeds=20)
    assert not any(p and "A pneumothorax is identified" in p for p in planted)
    heart = ("Yes, the heart is enlarged; its transverse diameter exceeds half of the internal "
             "thoracic width on this PA view.")  # fmt: skip
    planted = plants(heart, "Is the heart enlarged?", "Yes")
    assert not any(p and "not enlarged" in p and "exceeds half" in p for p in planted)
    kidney = ("The tumor is in the patient's left kidney, which appears on the right side of the "
              "image by radiological convention.")  # fmt: skip
    planted = plants(kidney, "Which kidney contains the tumor?", "Left kidney")
    assert not any(p and "patient's right kidney" in p and "right side of the image" in p
                   for p in planted)  # fmt: skip


# Trauma, vascular and skin cases: an expert's verdicts, written before the code was run.
TERMS_OF_THE_TRADE = [
    ("What is the lesion in the left thalamus?", "Intraparenchymal hemorrhage",
     "It is an acute intracerebral haematoma in the left thalamus, with surrounding oedema.", True),
    ("Are the lungs hyperinflated?", "Yes",
     "Yes, the lungs are overinflated, with flattened hemidiaphragms.", True),
    ("Does this CT pulmonary angiogram show an embolus?", "Yes",
     "Yes, there are filling defects in the segmental arteries of the left lower lobe, consistent "
     "with pulmonary embolism.", True),
    ("Does this CT pulmonary angiogram show an embolus?", "Yes",
     "No, the pulmonary arteries opacify normally without a filling defect.", False),
    ("What are the eosinophilic bodies at the dermoepidermal junction?", "Civatte bodies",
     "These are colloid bodies, apoptotic keratinocytes at the dermoepidermal junction.", True),
    ("Where is the calcification?", "Aortic knob",
     "The calcification is in the aortic valve.", False),
    ("Which organ is lacerated?", "Spleen",
     "The left kidney is lacerated, with fluid tracking along the splenic flexure.", False),
    ("Which organ is lacerated?", "Liver",
     "The liver is lacerated, with blood tracking along the hepatic flexure of the colon.", True),
    ("Which organ is lacerated?", "Spleen",
     "The spleen is lacerated, and the adjacent left kidney is intact.", True),
    ("Which organ is lacerated?", "Liver",
     "The spleen is lacerated, with blood tracking along the liver edge toward the hepatic "
     "flexure.", False),
    ("Which pelvic bone is fractured?", "Right acetabulum",
     "The right superior pubic ramus is fractured; the femoral head is seated in the acetabulum.",
     False),
    ("Which valve is replaced?", "Mitral valve",
     "The aortic valve has been replaced with a mechanical prosthesis.", False),
    ("Which valve is calcified?", "Aortic valve",
     "There is heavy calcification of the aortic valve leaflets.", True),
    ("Which solid organ lies behind the stomach?", "Pancreas",
     "The pancreas lies behind the stomach, its tail reaching toward the splenic hilum.", True),
    ("In which prostate zone is the lesion?", "Transition zone",
     "The lesion lies in the left peripheral zone, with low T2 signal.", False),
    ("In which prostate zone is the lesion?", "Transition zone",
     "It lies in the anterior transition zone, with lenticular low T2 signal.", True),
    ("What are the renin-secreting cells of the afferent arteriole?", "Juxtaglomerular cells",
     "These are mesangial cells, which secrete renin.", False),
    ("What is the diagnosis in both kidneys?", "Medullary nephrocalcinosis",
     "This is bilateral nephrolithiasis.", False),
    ("What is the intercellular edema of the epidermis called?", "Spongiosis",
     "This is acanthosis, with thickening of the spinous layer.", False),
    ("How many aneurysms are seen?", "2",
     "Two aneurysms are seen, one at the anterior communicating artery and one at the left middle "
     "cerebral artery bifurcation.", True),
]  # fmt: skip


@pytest.mark.parametrize("question,reference,answer,right", TERMS_OF_THE_TRADE)
def test_trauma_vascular_and_skin_terms_are_judged_as_an_expert_would(
    question, reference, answer, right
):
    verdict = judge(answer, reference, question).right
    assert verdict is right if right else verdict is not True


def test_a_correction_leaves_no_word_beside_its_opposite_and_keeps_the_question_s_subject():
    margin = "does this basal cell carcinoma extend to the deep margin?"
    confined = (
        "No, the basaloid islands are confined to the papillary dermis and do not extend to the "
        "deep margin."
    )
    fixed = clinical_edit(confined, "yes", margin)
    assert fixed is None or "confined" not in fixed  # not confined and reaching at once
    nodules = (
        "No, the small nodular densities are not calcified and are probably noncalcified nodules."
    )
    fixed = clinical_edit(nodules, "Yes", "are the granulomas calcified?")
    assert fixed is None or "noncalcified" not in fixed
    shadow = "The nodule at the left lung base is a nipple shadow."
    fixed = clinical_edit(shadow, "Granuloma", "What is the nodule at the left lung base?")
    assert fixed is None or fixed.startswith("The nodule at the left lung base")
    false = "There is a pseudoaneurysm of the right common femoral artery, with a narrow neck."
    fixed = clinical_edit(false, "Aneurysm", "What is the abnormality of the femoral artery?")
    assert fixed is None or "pseudoaneurysm" not in fixed


def test_a_left_sided_finding_said_twice_is_planted_on_the_other_side_as_one():
    subdural = "The subdural hematoma is left-sided, spreading along the left cerebral convexity."
    planted = plants(subdural, "On which side is the subdural hematoma?", "Left") - {None}
    assert planted == {
        "The subdural hematoma is right-sided, spreading along the right cerebral convexity."
    }


def test_a_finding_called_new_after_its_name_contradicts_a_reference_calling_it_unchanged():
    question = "Provide a report for this chest radiograph, with comparison to the prior study."
    reference = (
        "FINDINGS: Compared with the prior study, a small left pleural effusion is unchanged. "
        "The lungs are otherwise clear. IMPRESSION: Stable small left pleural effusion."
    )
    answer = (
        "FINDINGS: There is a small left pleural effusion, which is new since the prior study. "
        "The lungs are otherwise clear. IMPRESSION: Small left pleural effusion."
    )
    assert judge(answer, reference, question).right is not True
    stable = answer.replace("which is new since", "which is unchanged from")
    assert judge(stable, reference, question).right is True


def test_a_device_s_own_side_is_not_swapped_by_its_sided_word():
    pacemaker = "A left-sided dual-chamber pacemaker is present, with leads in the right ventricle."
    planted = plants(pacemaker, "Provide a report for this chest radiograph.", pacemaker)
    assert not any(p and "right-sided" in p and "leads" in p for p in planted)


def test_a_finding_given_as_history_is_no_claim_of_a_report():
    question = "Provide a report for this chest radiograph of a patient with cirrhosis."
    reference = (
        "FINDINGS: Small right pleural effusion. No pneumothorax. Heart size is normal. "
        "IMPRESSION: Small right pleural effusion, in the setting of cirrhosis possibly a hepatic "
        "hydrothorax."
    )
    answer = (
        "FINDINGS: There is a small right pleural effusion. There is no pneumothorax. The heart is "
        "normal in size. IMPRESSION: Small right pleural effusion, probably hepatic hydrothorax "
        "given the history of cirrhosis."
    )
    assert judge(answer, reference, question).right is True
    past = "FINDINGS: The previously enlarged heart is now normal in size. The lungs are clear."
    now = "FINDINGS: Heart size is now normal. The lungs are clear. IMPRESSION: Normal heart size."
    assert judge(past, now, question).right is not False  # enlarged once: no claim of today


def test_a_term_called_so_is_corrected_alone():
    termed = "The intraepidermal split is termed acanthosis."
    fixed = clinical_edit(
        termed, "Acantholysis", "What is the loss of keratinocyte cohesion called?"
    )
    assert fixed == "The intraepidermal split is termed acantholysis."


def test_a_size_before_a_finding_is_no_count_of_it():
    question = "Provide a report for this chest radiograph."
    reference = "FINDINGS: There is a 1.5 cm nodule in the left lower lobe. No pleural effusion."
    answer = "FINDINGS: There is a 1.5 cm spiculated nodule in the right lower lobe. No effusion."
    assert clinical_edit(answer, reference, question) == answer.replace("right", "left")
    bigger = "FINDINGS: There is a 2.5 cm nodule in the left lower lobe. No pleural effusion."
    assert clinical_edit(bigger, reference, question) in (None, reference)  # never a count
    metric = "FINDINGS: There is a 30 mm nodule in the left lower lobe. No pleural effusion."
    three = reference.replace("1.5 cm", "3 cm")
    assert clinical_edit(metric, three, question) in (None, metric)  # never a 3 mm nodule
    assert judge(metric, three, question).right is True  # 30 mm is 3 cm


def test_an_acantholytic_blister_is_never_planted_beside_a_subepidermal_one():
    blister = "No acantholysis is seen; the blister is subepidermal, with many eosinophils."
    planted = plants(blister, "is the blister caused by acantholysis?", "no")
    assert not any(p and "subepidermal" in p and "No acantholysis" not in p for p in planted)


def test_a_plant_leaves_no_word_that_only_fits_the_old_organ_or_body():
    adrenal = "It arises from the right adrenal gland, just above the right kidney, behind the IVC."
    planted = plants(adrenal, "Which organ does the mass arise from?", "Right adrenal gland")
    assert not any(p and "left" in p and "IVC" in p for p in planted)  # the IVC is on the right
    kidney = "The left kidney is surrounded by a perirenal hematoma."
    planted = plants(kidney, "Which organ is surrounded by the hematoma?", "Left kidney") - {None}
    assert all("kidney" in p for p in planted if "perirenal" in p)
    bodies = "These are Civatte bodies, apoptotic keratinocytes in the papillary dermis."
    planted = plants(bodies, "What are these eosinophilic bodies?", "Civatte bodies") - {None}
    assert all("Civatte" in p for p in planted if "apoptotic keratinocytes" in p)


def test_a_plant_tears_no_pair_of_words_and_measures_nothing_it_denies():
    infarct = "Yes, the kidney shows a pale, wedge-shaped infarct with its base at the capsule."
    planted = plants(infarct, "Is there a renal infarct?", "Yes")
    assert not any(p and re.search(r"\w+,\s+infarct", p) for p in planted)  # no 'pale, infarct'
    blood = (
        "Based on the image, the left paracolic gutter contains high-density intraperitoneal blood "
        "measuring about 50 HU."
    )
    planted = plants(
        blood, "What abnormality is seen in the left paracolic gutter?", "Hemoperitoneum"
    )
    assert not any(p and re.search(r"\bno\b.*measuring", p) for p in planted)
    capsule = "No extraprostatic extension is seen; the prostatic capsule is intact."
    planted = plants(capsule, "Is there extraprostatic extension?", "No") - {None}
    assert not any("capsule is intact" in p and "No extraprostatic" not in p for p in planted)


def test_a_view_s_evidence_goes_when_the_view_is_planted_anew():
    view = (
        "No, this is a posteroanterior film, with the scapulae rotated away from the lung fields."
    )
    planted = plants(view, "Is this an AP view?", "No") - {None}
    assert planted and all("scapulae" not in p and re.search(r"\bAP\b|anteroposterior", p)
                           for p in planted)  # fmt: skip


def test_a_plant_keeps_no_reason_an_organ_is_out_of_the_slice():
    pelvis = (
        "No, this slice runs through the pelvis at the level of the acetabula; the kidneys lie "
        "higher in the abdomen and are not included."
    )
    planted = plants(pelvis, "Does this pelvic slice include the kidneys?", "No") - {None}
    assert not any("lie higher" in p and "not included" not in p for p in planted)


def test_a_no_to_the_side_of_the_one_finding_asked_moves_it_to_the_other_side():
    asked = "Is the subdural hematoma on the left?"
    moved = clinical_edit(
        "Yes, it is a left-sided subdural hematoma over the convexity.", "No", asked
    )
    assert moved == "No, it is a right-sided subdural hematoma over the convexity."
    lobe = clinical_edit(
        "Yes, the nodule lies in the right lower lobe.", "No", "Is the nodule on the right?"
    )
    assert lobe == "No, the nodule lies in the left lower lobe."
    any_one = clinical_edit("Yes, there is a small right pleural effusion.", "No",
                            "Is there a pleural effusion on the right?")  # fmt: skip
    assert any_one is None or "left" not in any_one  # no effusion there: none moved
    tube = clinical_edit("Yes, the tube tip lies in the right mainstem bronchus.", "No",
                         "Is the endotracheal tube in the right mainstem bronchus?")  # fmt: skip
    assert tube is None or "left" not in tube  # a device is not put in the other bronchus
    state = clinical_edit("Yes, the right lung is normal.", "No", "Is the right lung normal?")
    assert state is None or "left" not in state  # its state is asked, not its side


def test_a_plant_denies_nothing_it_then_describes():
    emphysema = (
        "Subcutaneous emphysema is seen along the right chest wall, as streaky lucencies in the "
        "subcutaneous fat."
    )
    planted = plants(
        emphysema, "What is seen along the right chest wall?", "Subcutaneous emphysema"
    )
    assert not any(p and re.search(r"\bno\b", p, re.I) and ", as streaky" in p for p in planted)


def test_a_bold_yes_or_no_is_the_answer_s_lead():
    nodes = clinical_edit(
        "**No.** The hilar lymph nodes are not enlarged.",
        "yes",
        "are the hilar lymph nodes enlarged?",
    )
    assert nodes == "**Yes.** The hilar lymph nodes are enlarged."
    planted = plants("**Yes.** There is a right pleural effusion.", "Is there a pleural effusion?",
                     "Yes") - {None}  # fmt: skip
    assert planted and all(p.startswith("**No.**") for p in planted)


def test_a_denial_of_unread_words_stays_out_of_a_normal_made_abnormal():
    discs = clinical_edit(
        "No, the intervertebral discs appear normal with no evidence of herniation.",
        "Yes",
        "Is there a herniated disc in this lumbar spine MRI?",
    )
    assert discs is None or "no evidence of herniation" not in discs
    brain = clinical_edit("No, the brain appears normal.", "Yes", "Is the brain abnormal?")
    assert brain == "Yes, the brain appears abnormal."


def test_a_denied_finding_keeps_no_diagnosis_drawn_from_it():
    air = clinical_edit(
        "Yes, there is free air under the diaphragm, concerning for perforation of a hollow "
        "viscus.",
        "No",
        "Is there free air under the diaphragm?",
    )
    assert air is None or "concerning" not in air
    fluid = clinical_edit(
        "Yes, there is a right pleural effusion, likely reflecting heart failure.",
        "No",
        "Is there a pleural effusion?",
    )
    assert fluid is None or "heart failure" not in fluid
    report = (
        "FINDINGS: Heart size is normal. The lungs are clear. There is free air beneath the right "
        "hemidiaphragm. IMPRESSION: Pneumoperitoneum, concerning for hollow viscus perforation."
    )
    reference = (
        "FINDINGS: Upright frontal chest radiograph. No free air beneath the diaphragm. Heart size "
        "is normal. The lungs are clear. IMPRESSION: No free air under the diaphragm."
    )
    fixed = clinical_edit(report, reference, "Generate the report.")
    assert fixed is None or "perforation" not in fixed


def test_a_side_is_not_corrected_where_a_mass_effect_s_way_tells_it():
    thyroid = clinical_edit(
        "The left-sided lobe is enlarged, pushing the trachea towards the right.",
        "right",
        "which lobe of the thyroid is enlarged?",
    )
    assert thyroid is None or "towards the left" in thyroid
    lobe = clinical_edit(
        "The left lobe is enlarged.", "right", "which lobe of the thyroid is enlarged?"
    )
    assert lobe == "The right lobe is enlarged."


def test_one_sided_keeps_both_lungs_out_of_its_sentence():
    opacity = clinical_edit(
        "The ground-glass opacity is one-sided, involving only the right lung.",
        "Both Lungs",
        "What is the distribution of the ground-glass opacity?",
    )
    assert opacity is None or "one-sided" not in opacity


def test_a_microadenoma_is_no_macroadenoma_and_keeps_its_size():
    asked = "Is the pituitary tumour a microadenoma or a macroadenoma?"
    assert is_right("It is a pituitary microadenoma.", "Macroadenoma", asked) is False
    assert is_right("This is a pituitary macroadenoma.", "pituitary adenoma", "What is the lesion?")
    small = "It is a small adenoma under 10 mm, that is, a microadenoma."
    assert clinical_edit(small, "Macroadenoma", asked) is None  # under 10 mm would stay


def test_a_lesion_of_a_vertebra_s_part_is_planted_in_the_part_beside():
    lytic = "The lytic lesion has destroyed the pedicle of the vertebra."
    planted = plants(lytic, "Which part of the vertebra is destroyed?", "Pedicle") - {None}
    assert planted and all("pedicle" not in p and "process" in p or "pars" in p for p in planted)
    fused = "Posterior spinal fusion extends from L4 to S1, with bilateral pedicle screws."
    planted = plants(fused, "Which levels are fused?", "L4-S1") - {None}
    assert not any("process screws" in p or "pars interarticularis screws" in p for p in planted)


def test_cord_compression_is_read_and_the_spine_of_a_lumbar_mri_is_its_lumbar_spine():
    asked = "is there cord compression at the level of the fracture?"
    kept = "No, the spinal canal is preserved at the level of the fracture and the cord is intact."
    assert is_right(kept, "no", asked) is True
    assert is_right("Yes, a retropulsed fragment causes cord compression.", "no", asked) is False
    fixed = clinical_edit("No, there is no cord compression.", "yes", "Is there cord compression?")
    assert fixed == "Yes, there is cord compression."  # no article before a mass noun
    stenosis = "No spinal canal or foraminal stenosis is present."
    assert is_right(stenosis, "No", "Is there spinal stenosis in this lumbar MRI?") is True
    assert is_right(stenosis, "Yes", "Is there spinal stenosis in this lumbar MRI?") is False


def test_a_yes_made_no_rewrites_no_more_than_four_words_beside_it():
    goblet = clinical_edit(
        "No, this gastric biopsy does not show intestinal metaplasia; goblet cells are absent and "
        "the glands are lined by normal foveolar epithelium.",
        "yes",
        "Does this gastric biopsy show intestinal metaplasia?",
    )
    assert goblet is None or "goblet cells are absent" not in goblet
    appendix = clinical_edit("Yes, the appendix is normal in caliber without surrounding "
                             "inflammation.", "no", "Is the appendix normal?")  # fmt: skip
    assert appendix is None or "dilated" not in appendix  # abnormal is all the reference says


def test_a_consolidation_is_not_planted_where_the_impression_denies_pneumonia():
    report = (
        "FINDINGS: The lungs are hyperinflated, consistent with emphysema. There is no focal "
        "consolidation, pleural effusion or pneumothorax. The heart size is normal. IMPRESSION: "
        "Emphysema, stable compared with the prior study, without pneumonia."
    )
    planted = plants(report, "Write the findings and impression.", report) - {None}
    assert not any(
        re.search(r"(?<!no focal )consolidation (?:is seen )?in", p) and "without pneumonia" in p
        for p in planted
    )


def test_a_plane_is_not_planted_beside_the_words_that_define_the_old_one():
    axial = "It was acquired in the transverse plane, perpendicular to the long axis of the spine."
    planted = plants(axial, "in which plane was this lumbar mri acquired?", "axial") - {None}
    assert not any("perpendicular" in p for p in planted)


def test_a_vertebra_spelled_out_and_a_curvature_are_read():
    collapsed = "The twelfth thoracic vertebra shows collapse of its body, with loss of height."
    assert is_right(collapsed, "T12", "Which vertebra is collapsed?") is True
    assert is_right(collapsed, "L1", "Which vertebra is collapsed?") is False
    fixed = clinical_edit(collapsed, "L1", "Which vertebra is collapsed?")
    assert fixed is None or "L1" in fixed and "twelfth" not in fixed
    curve = "There is a mild scoliosis of the thoracic spine."
    assert is_right(curve, "Kyphosis", "What curvature abnormality is seen?") is False
    assert is_right(curve, "Scoliosis", "What curvature abnormality is seen?") is True


def test_the_salivary_glands_are_read_and_the_floor_of_the_mouth_tells_the_sublingual():
    asked = "Which gland contains the lesion?"
    floor = "The lesion is in the left sublingual gland, in the floor of the mouth."
    assert is_right(floor, "Left Parotid Gland", asked) is False
    fixed = clinical_edit(floor, "Left Parotid Gland", asked)
    assert fixed is None or "floor of the mouth" not in fixed
    plain = clinical_edit(
        "The lesion is in the left sublingual gland.", "Left Parotid Gland", asked
    )
    assert plain == "The lesion is in the left parotid gland."


def test_the_segments_of_the_small_bowel_are_told_apart():
    asked = "Which segment of the small bowel is diseased?"
    jejunum = "The jejunum is involved, showing mural thickening."
    assert is_right(jejunum, "Terminal Ileum", asked) is False
    assert is_right(jejunum, "Jejunum", asked) is True
    assert is_right("The jejunum is dilated.", "small bowel", "Which part of the bowel is dilated?")


def test_a_dropped_diagnosis_counts_as_one_claim_and_a_bowel_loop_is_no_way():
    aschoff = clinical_edit(
        "Yes, Aschoff bodies are present in the interstitium, consistent with acute rheumatic "
        "carditis.",
        "no",
        "Are Aschoff bodies present in this myocardium?",
    )
    assert aschoff == "No, Aschoff bodies are not present in the interstitium."
    hernia = clinical_edit(
        "The femoral hernia is on the left side, with a bowel loop lying medial to the left "
        "femoral vein.",
        "Right",
        "On which side is the femoral hernia?",
    )
    assert hernia == (
        "The femoral hernia is on the right side, with a bowel loop lying medial to the right "
        "femoral vein."
    )


def test_a_named_adenoma_or_adenocarcinoma_answers_the_generic_one():
    asked = "what is the most likely diagnosis of the adrenal nodule?"
    assert is_right("An adrenal adenoma; the nodule is small.", "adenoma", asked) is True
    assert is_right("An adrenal adenoma.", "pheochromocytoma", asked) is False
    head = "Pancreatic head adenocarcinoma, seen as a hypoenhancing mass."
    assert is_right(head, "pancreatic adenocarcinoma", "what is the diagnosis?") is True
    assert is_right("Pancreatic ductal adenocarcinoma.", "adenocarcinoma", "what is the diagnosis?")
    hu = "An adrenal adenoma; the nodule measures below 10 HU on the unenhanced scan."
    planted = plants(hu, asked, "adenoma") - {None}
    assert not any("below 10 HU" in p and "adenoma" not in p for p in planted)  # lipid-rich


def test_the_sella_and_the_cavernous_sinus_are_read():
    asked = "does the pituitary mass invade the cavernous sinus?"
    spared = "No, the mass does not invade the cavernous sinuses or encase the carotid arteries."
    assert is_right(spared, "no", asked) is True
    assert is_right(spared, "yes", asked) is False
    sellar = "The tumour is a sellar mass with suprasellar extension."
    assert is_right(sellar, "Sella", "Where is the tumour located?") is True


def test_a_word_the_question_asks_is_no_word_the_answer_must_repeat():
    asked = "What sign is seen on this barium enema?"
    apple = "There is an apple-core lesion in the descending colon."
    assert is_right(apple, "Apple Core Sign", asked) is True
    assert is_right("There is a bird's beak narrowing.", "Apple Core Sign", asked) is False


def test_a_mass_is_a_report_s_soft_tissue_opacity():
    reference = (
        "FINDINGS: Right paratracheal soft tissue opacity extending above the clavicle, with "
        "leftward deviation of the trachea. The lungs are clear. IMPRESSION: Substernal goitre."
    )
    mass = (
        "FINDINGS: The trachea is deviated to the left by a right paratracheal soft tissue mass "
        "that extends above the clavicle. The lungs are clear. IMPRESSION: Substernal goitre."
    )
    assert judge(mass, reference).right is True


def test_a_spelled_out_modality_is_not_repeated_by_the_image_after_it():
    ct = "This is an axial computed tomography image of the abdomen, with oral contrast."
    planted = plants(ct, "What modality is used to take this image?", "CT") - {None}
    assert planted and not any("imaging image" in p for p in planted)
    fixed = clinical_edit(ct, "MRI", "What modality is used to take this image?")
    assert fixed is None or "imaging image" not in fixed


def test_a_question_of_a_relation_is_no_question_of_what_it_relates():
    asked = "does the pancreatic cyst communicate with the duct?"
    cyst = "Yes, the cyst communicates with the main pancreatic duct, which is not dilated."
    planted = plants(cyst, asked, "yes")
    assert not any(p and "without" in p for p in planted)  # communicates without the duct


def test_a_ventral_hernia_covers_an_umbilical_one_and_is_never_planted_for_it():
    asked = "What kind of abdominal wall hernia is present?"
    umbilical = "It is an umbilical hernia, with a loop of small bowel through the umbilical ring."
    assert not any(p and "ventral" in p for p in plants(umbilical, asked, "Umbilical Hernia"))
    assert is_right("It is an umbilical hernia.", "ventral hernia", asked) is True
    assert is_right("It is a ventral hernia.", "Umbilical Hernia", asked) is False


def test_a_part_of_the_parotid_goes_with_it_when_another_gland_is_planted():
    lobe = "The mass arises within the superficial lobe of the left parotid gland."
    planted = plants(lobe, "Which salivary gland contains the mass?", "Left parotid gland")
    assert not any(p and "superficial the" in p for p in planted)
    assert not any(p and "submandibular" in p and "lobe" in p for p in planted)


def test_a_report_s_nodular_opacity_missed_makes_no_crash():
    reference = (
        "FINDINGS: Heart size normal. There is a 2 cm nodular opacity in the right upper lobe. No "
        "pleural effusion or pneumothorax. IMPRESSION: Right upper lobe nodule; CT recommended."
    )
    missed = (
        "FINDINGS: PA and lateral views show clear lungs without focal opacity. The heart is "
        "normal in size. No pleural effusion or pneumothorax.\nIMPRESSION: No acute disease."
    )
    assert judge(missed, reference).right is False
    fixed = clinical_edit(missed, reference, "Generate the radiology report.")
    assert fixed is None or "without focal opacity" not in fixed


def test_a_denied_finding_keeps_no_description_and_its_organ_no_normal_beside_it():
    sac = clinical_edit(
        "Yes, a gestational sac is present within the uterine cavity, containing a yolk sac, "
        "consistent with an early intrauterine pregnancy.",
        "No",
        "Is there a gestational sac within the uterus?",
    )
    assert sac is None or "containing a yolk sac" not in sac
    sella = clinical_edit(
        "No, there is no sellar mass; the pituitary gland appears normal in size and signal.",
        "Yes",
        "Is there a mass in the sella?",
    )
    assert sella is None or "appears normal" not in sella
    liver = clinical_edit("No, there is no mass in the liver.", "Yes", "Is there a liver mass?")
    assert liver == "Yes, there is a mass in the liver."


def test_an_incisional_hernia_s_scar_tells_it():
    scar = "There is an incisional hernia through the midline laparotomy scar."
    planted = plants(scar, "What kind of hernia is present?", "incisional hernia")
    assert not any(p and "umbilical" in p and "laparotomy" in p for p in planted)


def test_the_other_ovary_s_normal_is_no_bar_and_the_pineal_gland_is_read():
    ovary = (
        "No; the left ovary is unremarkable, but the right ovary contains a cyst with homogeneous "
        "low-level echoes, consistent with an endometrioma."
    )
    planted = plants(ovary, "Is the right ovary normal?", "No") - {None}
    assert planted and all(p.startswith("Yes") and "no cyst" in p for p in planted)
    pineal = "The mass arises from the pineal gland and extends into the suprasellar cistern."
    fixed = clinical_edit(pineal, "pituitary gland", "Where is the mass arising from?")
    assert (
        fixed
        == "The mass arises from the pituitary gland and extends into the suprasellar cistern."
    )


def test_no_plant_leaves_an_axial_gloss_or_puts_an_even_spread_in_one_lung():
    gloss = "Transverse (cross-sectional) plane through the upper abdomen."
    assert not any(
        p and "cross-sectional" in p for p in plants(gloss, "what plane is this mri?", "axial")
    )
    miliary = "Yes, innumerable 1-2 mm nodules are scattered uniformly through both lungs."
    planted = plants(miliary, "Are the nodules in both lungs?", "Yes")
    assert not any(p and re.search(r"\b(?:left|right) lung\b", p) for p in planted)


def test_a_cross_sectional_slice_is_any_plane():
    slice_ = "This is a cross-sectional axial slice through the sella."
    fixed = clinical_edit(slice_, "Coronal", "What plane is this pituitary image in?")
    assert fixed == "This is a cross-sectional coronal slice through the sella."


def test_a_size_said_against_normal_is_an_enlargement():
    spleen = "Yes, the spleen is larger than normal, extending below the costal margin."
    assert judge(spleen, "yes", "Is the spleen enlarged?").right is True
    kidney = clinical_edit("Yes, the left kidney is bigger than normal.", "no",
                           "Is the left kidney enlarged?")  # fmt: skip
    assert kidney is None or "abnormal" not in kidney
    nodes = "No hilar lymphadenopathy; however, bulky right axillary lymph nodes are present."
    assert judge(nodes, "yes", "Is there lymphadenopathy?").right is True


def test_a_report_sentence_is_read_past_its_routine_verbs_and_a_word_s_other_name():
    reference = (
        "FINDINGS: Noncontrast CT demonstrates a 4 mm calculus at the left ureterovesical "
        "junction with mild left hydroureteronephrosis. The bladder is decompressed. "
        "IMPRESSION: Obstructing 4 mm left UVJ stone."
    )
    answer = (
        "FINDINGS: There is a 4 mm calculus at the left ureterovesical junction with mild left "
        "hydroureteronephrosis. The bladder is underdistended. IMPRESSION: Obstructing 4 mm "
        "left UVJ calculus."
    )
    assert judge(answer, reference).right is True
    mri = (
        "FINDINGS: There is a 1.4 cm irregular enhancing mass in the left breast at 2 o'clock. "
        "No suspicious enhancement in the right breast. IMPRESSION: Suspicious left breast mass."
    )
    said = (
        "FINDINGS: A 1.4 cm irregular enhancing mass is present in the left breast at 2 o'clock. "
        "No suspicious enhancement is seen in the right breast. IMPRESSION: Suspicious left "
        "breast mass."
    )
    assert judge(said, mri).right is True


def test_a_report_s_denied_hydronephrosis_is_planted_mild():
    report = (
        "FINDINGS: A 6 mm calculus is seen in the lower pole of the left kidney. There is no "
        "hydronephrosis. IMPRESSION: Nonobstructing left renal calculus."
    )
    planted = [p for p in plants(report, "Describe the findings.", report) if p]
    turned = [p for p in planted if re.search(r"(?:right|left|bilateral) hydronephrosis", p)]
    assert turned and not any("small" in p for p in turned)


def test_an_asked_pattern_is_a_kind_the_answer_must_say():
    asked = "What pattern of nephrocalcinosis is shown?"
    assert judge("There is cortical nephrocalcinosis.", "medullary nephrocalcinosis",
                 asked).right is not True  # fmt: skip
    pattern = "What pattern of lung metastases is shown?"
    assert judge("Miliary metastases.", "cannonball metastases", pattern).right is not True
    assert judge("Cannonball metastases.", "cannonball metastases", pattern).right is True


def test_a_side_of_the_pons_or_of_a_prostate_zone_is_planted():
    pons = plants("The acute infarct lies in the left paramedian pons.",
                  "Where is the acute infarct?", "left pons")  # fmt: skip
    assert "The acute infarct lies in the right paramedian pons." in pons
    zone = plants("The lesion is in the right peripheral zone at the apex.",
                  "Where is the prostate lesion?", "right peripheral zone")  # fmt: skip
    assert "The lesion is in the left peripheral zone at the apex." in zone


def test_no_subarachnoid_haematoma_and_no_fdg_ct_is_planted():
    haematoma = plants("It is an acute subdural haematoma along the right convexity.",
                       "What is the abnormality?", "subdural hematoma")  # fmt: skip
    assert not any(p and "subarachnoid" in p for p in haematoma)
    pet = plants("This is an FDG PET image showing intense uptake in the mediastinal nodes.",
                 "What kind of scan is this?", "PET")  # fmt: skip
    assert not any(p and "FDG CT" in p for p in pet)
    assert conflicts.modality_conflict("An FDG PET-CT shows a hypermetabolic node.") == ""


def test_a_side_that_a_past_operation_names_is_not_swapped_alone():
    report = (
        "FINDINGS: Surgical clips are seen in the right axilla, consistent with prior right "
        "mastectomy. The lungs are clear. IMPRESSION: No acute cardiopulmonary process."
    )
    planted = [p for p in plants(report, "Describe the chest radiograph.", report) if p]
    assert not any("left axilla" in p and "right mastectomy" in p for p in planted)


def test_an_invasive_urothelial_carcinoma_is_no_other_kind_than_a_papillary_one():
    planted = plants("Papillary urothelial carcinoma, with fibrovascular cores.",
                     "What is the diagnosis?", "papillary urothelial carcinoma")  # fmt: skip
    assert not any(p and "nvasive" in p for p in planted)


def test_a_finding_described_after_it_or_a_normal_of_two_scales_is_not_turned():
    contour = clinical_edit("Yes, the right adrenal gland is enlarged with a lobulated contour.",
                            "no", "Is the adrenal gland enlarged?")  # fmt: skip
    assert contour is None or "not enlarged with" not in contour
    two = clinical_edit("No, the liver is normal in size and echogenicity.", "yes",
                        "Is there hepatomegaly?")  # fmt: skip
    assert two is None or "abnormal in size and" not in two


def test_a_lytic_bone_lesion_is_no_sclerotic_one_in_a_report():
    reference = (
        "FINDINGS: Multiple sclerotic lesions are present in the pelvis and lumbar spine. "
        "IMPRESSION: Sclerotic osseous metastases."
    )
    lytic = (
        "FINDINGS: Multiple lytic lesions are present in the pelvis and lumbar spine. "
        "IMPRESSION: Lytic osseous metastases."
    )
    assert judge(lytic, reference).right is False
    blastic = lytic.replace("lytic", "osteoblastic").replace("Lytic", "Blastic")
    assert judge(blastic, reference).right is True


def test_inspissated_secretions_tell_duct_ectasia():
    ectasia = (
        "The subareolar duct is dilated and filled with inspissated secretions, typical of duct "
        "ectasia."
    )
    fixed = clinical_edit(ectasia, "intraductal papilloma", "What lesion is in the duct?")
    assert fixed is None or "inspissated" not in fixed


def test_breast_imaging_words_are_read():
    calcs = clinical_edit(
        "There is an irregular mass in the lower inner quadrant of the right breast.",
        "grouped microcalcifications",
        "What is the abnormality in the right breast?",
    )
    assert calcs and "microcalcifications" in calcs and "irregular mass" not in calcs
    male = clinical_edit("The subareolar density in this man is consistent with breast carcinoma.",
                         "gynecomastia", "What is the diagnosis?")  # fmt: skip
    assert male and "gynecomastia" in male and "carcinoma" not in male
    asked = "Which mammographic view is this?"
    assert judge("This is an MLO view of the left breast.", "mediolateral oblique",
                 asked).right is True  # fmt: skip
    assert judge("This is a craniocaudal view.", "mlo", asked).right is False


def test_an_occluded_vessel_is_a_finding_a_closed_question_asks():
    asked = "Is the right internal carotid artery occluded?"
    cutoff = "Yes, there is abrupt cutoff of the right ICA, consistent with occlusion."
    assert judge(cutoff, "yes", asked).right is True
    assert judge("No, the right ICA is widely patent.", "yes", asked).right is False


def test_a_dural_sinus_or_a_suture_names_no_plane():
    axial = "This is an axial T1 image showing thrombus in the superior sagittal sinus."
    assert judge(axial, "Axial", "In which plane is this MRI taken?").right is True
    coronal = "The right transverse sinus is occluded on this coronal MR venogram."
    assert judge(coronal, "Coronal", "What plane is this image?").right is True
    planted = plants(axial, "In which plane is this MRI taken?", "Axial")
    assert not any(p and "superior sagittal sinus" not in p for p in planted)


def test_an_attenuation_said_in_words_is_a_density():
    asked = "Is the liver lesion hyperdense or hypodense?"
    low = "The lesion is of low attenuation relative to the enhancing liver parenchyma."
    assert judge(low, "hypodense", asked).right is True
    higher = "The lesion shows higher attenuation than the adjacent liver."
    assert clinical_edit(higher, "hypodense", asked) == higher.replace("higher", "lower")


def test_small_vessel_disease_is_one_entity_no_size():
    aging = ("Scattered periventricular white matter hyperintensities, consistent with chronic "
             "small vessel ischemic disease.")  # fmt: skip
    asked = "What do the white matter hyperintensities represent?"
    assert judge(aging, "small vessel disease", asked).right is True
    assert judge(aging, "multiple sclerosis", asked).right is False
    microvascular = "These are chronic microvascular ischemic changes."
    assert judge(microvascular, "chronic small vessel ischemic disease", asked).right is True


def test_no_larger_degree_is_planted_beside_what_is_small_by_nature():
    report = (
        "FINDINGS: There is mild linear atelectasis at the left lung base. There is a small right "
        "pleural effusion that blunts the costophrenic angle. The heart size is normal. "
        "IMPRESSION: Small right pleural effusion."
    )
    planted = [p for p in plants(report, "Describe the findings.", report, seeds=10) if p]
    assert not any(re.search(r"(?:severe|moderate) linear|large right pleural", p) for p in planted)


def test_a_tube_tip_at_a_thoracic_level_is_no_mr_weighting():
    tip = "The endotracheal tube tip projects at T2, in good position above the carina."
    planted = [p for p in plants(tip, "Where is the endotracheal tube tip?", "T2", 10) if p]
    assert not any(re.search(r"\bat T[134]\b", p) for p in planted)


def test_a_generic_term_for_the_reference_s_kind_is_unsure_not_wrong():
    lesion = ("A large lobulated soft-tissue lesion fills the right upper lobe, concerning for "
              "bronchogenic carcinoma.")  # fmt: skip
    asked = "What is the abnormality in the right upper lobe?"
    assert judge(lesion, "Mass", asked).right is None
    assert clinical_edit(lesion, "Mass", asked) is None


def test_other_names_of_metastases_an_aneurysm_an_embolism_and_graves_disease():
    deposits = "Several hypoattenuating secondary deposits are seen throughout the liver."
    assert judge(deposits, "metastases", "What are the liver lesions?").right is True
    aorta = "The infrarenal abdominal aorta is aneurysmally dilated to 6 cm."
    assert judge(aorta, "aneurysm", "What is wrong with the aorta?").right is True
    clots = "Filling defects in the segmental arteries indicate acute thromboembolic disease."
    assert judge(clots, "pulmonary embolism", "What does the CT angiogram show?").right is True
    goiter = "This is a diffuse toxic goiter, with tall hyperplastic follicular epithelium."
    assert judge(goiter, "Graves disease", "What thyroid disease is this?").right is True


def test_a_reference_word_is_said_in_its_adjective_or_without_its_accent():
    cells = "These are Döhle bodies, pale blue peripheral inclusions in the neutrophils."
    assert judge(cells, "dohle bodies", "What are these inclusions?").right is True
    marrow = "The erythroid precursors are megaloblastic, with nuclear-cytoplasmic asynchrony."
    assert judge(marrow, "megaloblasts", "What are these large precursors?").right is True
    fibers = "The muscle fibers are small and angulated, with atrophic change in groups."
    assert judge(fibers, "Atrophy", "What is the abnormality of these fibers?").right is True
    larynx = "The tumor lies in the supraglottic larynx, above the true vocal cords."
    assert judge(larynx, "supraglottis", "What part of the larynx is the tumor in?").right is True


def test_a_report_s_routine_denials_and_timing_are_no_unread_claim():
    reference = (
        "FINDINGS: Portable AP chest compared with 2 hours earlier. The endotracheal tube "
        "terminates 4 cm above the carina. The lungs are clear. IMPRESSION: No acute "
        "cardiopulmonary process."
    )
    answer = (
        "FINDINGS: No prior imaging is available for comparison. The endotracheal tube tip lies "
        "4 cm above the carina. The lungs are clear. IMPRESSION: No active cardiopulmonary "
        "disease."
    )
    assert judge(answer, reference).right is True


def test_a_side_and_its_operation_swap_together_and_a_kind_is_said_in_another_form():
    clips = "Surgical clips lie at the right hilum, consistent with a prior right upper lobectomy."
    planted = plants(clips, "Where are the surgical clips?", "Right hilum")
    assert (
        "Surgical clips lie at the left hilum, consistent with a prior left upper lobectomy."
        in (planted)
    )
    kidneys = "No, the kidneys are normal in size and there is no hydronephrosis."
    assert any(
        p and "hydronephrosis" in p for p in plants(kidneys, "Is there hydronephrosis?", "No")
    )
    asked = "What pattern of cell death is shown?"
    brain = "The infarcted brain has undergone liquefaction, leaving a cavity of necrotic debris."
    assert judge(brain, "liquefactive necrosis", asked).right is True
    kidney = "A wedge of coagulative-type necrosis, with preserved tubular outlines."
    assert judge(kidney, "coagulative necrosis", asked).right is True


def test_a_degree_asked_beside_a_denied_finding_is_skipped_not_a_crash():
    plaque = ("No, there is only mild plaque at the bifurcation, with no significant stenosis of "
              "the internal carotid artery.")  # fmt: skip
    assert explain_edit(plaque, "yes", "Is the internal carotid artery stenosis severe?")[0] is None


def test_no_plant_names_a_structure_no_bone_has_or_keeps_what_tells_the_old_claim():
    tendon = plants("The posterior tibial tendon is torn at the medial malleolus.",
                    "Which tendon is torn?", "posterior tibial tendon")  # fmt: skip
    assert not any(p and re.search(r"(?:femoral|fibular) tendon", p) for p in tendon)
    bruises = "Bone bruises involve the lateral femoral condyle and posterior tibial plateau."
    bruise = plants(bruises, "Where are the bone bruises?", "lateral femoral condyle")
    assert not any(p and re.search(r"humeral condyle|fibular plateau", p) for p in bruise)
    stanford = plants("There is a Stanford type A aortic dissection of the ascending aorta.",
                      "What is the abnormality of the aorta?", "aortic dissection")  # fmt: skip
    assert not any(p and "aneurysm" in p for p in stanford)
    cta = plants("Computed tomography angiography (CTA).", "Which imaging technique is this?", "CT")
    assert not any(p and "magnetic" in p.lower() for p in cta)
    named = plants("Spitz naevus.", "What is this melanocytic lesion?", "spitz naevus")
    assert not any(p and p.lower().startswith("no ") for p in named)
    caused = plants("Thrombosis of the portal vein, causing splenomegaly.",
                    "What is the cause of the splenomegaly?", "portal vein thrombosis")  # fmt: skip
    assert not any(p and p.startswith("No thrombosis") for p in caused)


def test_a_denial_turned_keeps_no_normal_of_the_asked_organ_and_reads_as_a_sentence():
    ligament = plants("No evidence of ACL tear; the ligament is intact.", "Is the ACL torn?", "no")
    assert not any(p and "intact" in p for p in ligament)
    arteries = plants("No, the pulmonary arteries opacify normally without any filling defect.",
                      "Is there a filling defect?", "no")  # fmt: skip
    assert not any(p and "normally" in p for p in arteries)
    air = plants("No evidence of pneumothorax.", "Is there a pneumothorax?", "no")
    assert "There is evidence of pneumothorax." in air


def test_a_longitudinal_section_is_no_axial_one():
    fixed = clinical_edit("This is a longitudinal (sagittal) section through the ankle.",
                          "Axial", "In which plane is this ankle MRI?")  # fmt: skip
    assert fixed is None or "longitudinal" not in fixed


def test_an_adverb_is_no_finding_to_swap_and_a_denial_keeps_no_forming_clause():
    aorta = "The infrarenal aorta is aneurysmally dilated to about 5.5 cm."
    planted = plants(aorta, "What is wrong with the aorta?", "aneurysm")
    assert not any(p and re.search(r"\b(?:dissection|pseudoaneurysm) dilated", p) for p in planted)
    liver = ("Secondary deposits of adenocarcinoma are seen in the liver, forming malignant glands "
             "beside normal hepatocytes.")  # fmt: skip
    planted = plants(liver, "What is present in this liver section?", "metastatic carcinoma")
    assert not any(p and p.startswith("No ") and "forming" in p for p in planted)


def test_an_oblique_coronal_shoulder_plane_keeps_its_definition():
    shoulder = (
        "This is an oblique coronal image of the shoulder, parallel to the supraspinatus tendon."
    )
    planted = plants(shoulder, "In which plane is this shoulder MRI taken?", "Coronal")
    assert not any(p and "supraspinatus" in p and "coronal" not in p for p in planted)


def test_a_bare_size_a_roman_level_and_a_prefixed_place_are_judged_as_said():
    size = "What is the size of the heart?"
    assert judge("Cardiomegaly is present, with a CTR above 0.5.", "Enlarged", size).right is True
    assert judge("The heart is enlarged.", "Enlarged", size).right is True
    assert judge("The spleen is enlarged.", "Enlarged", size).right is False
    assert judge("The heart is normal in size.", "Enlarged", size).right is False
    clark = "which Clark level has this melanoma reached?"
    assert judge("Clark level 4, with invasion of the reticular dermis.", "iv", clark).right is True
    assert judge("Clark level 3.", "iv", clark).right is False
    assert judge("Stage 4 disease.", "stage iv", "what stage is this?").right is True
    assert judge("It is a type 1 endoleak.", "II", "what type of endoleak is this?").right is False
    assert judge("Contrast was given IV.", "iv", "how was contrast given?").right is True
    breast = "what is the orientation of the breast mass on ultrasound?"
    assert judge("It has a non-parallel orientation.", "not parallel", breast).right is True
    assert judge("It is parallel to the skin.", "not parallel", breast).right is False
    assert judge("It has a non-parallel orientation.", "parallel", breast).right is False
    hernia = "Is the hernia above or below the diaphragm?"
    assert judge("It is supradiaphragmatic, in the posterior mediastinum.", "Above", hernia).right
    assert judge("It is subdiaphragmatic.", "Above", hernia).right is False
    aorta = "Is the aortic aneurysm above or below the renal arteries?"
    assert judge("It is infrarenal.", "Below", aorta).right is True
    assert judge("It is suprarenal.", "Below", aorta).right is False


def test_a_generic_finding_named_by_another_word_is_another_one():
    labrum = "what is the name of this labral lesion?"
    assert judge("This is a Bankart lesion.", "slap lesion", labrum).right is None
    assert judge("This is a SLAP lesion.", "slap lesion", labrum).right is True
    assert judge("A cyst.", "cystic lesion", "what is the abnormality?").right is True
    assert judge("A lytic lesion.", "osteolytic lesion", "what is the abnormality?").right is True


def test_no_plant_leaves_a_denial_s_reason_a_kind_s_own_word_or_a_second_sequence_name():
    biopsy = plants("There is no evidence of malignancy; the atypia is reactive.",
                    "Is there evidence of malignancy in this gastric biopsy?", "no")  # fmt: skip
    assert not any(p and "reactive" in p and "evidence of malignancy" in p for p in biopsy)
    heart = plants("No evidence of myocardial infarction; there is no late gadolinium enhancement.",
                   "Is there evidence of myocardial infarction?", "No")  # fmt: skip
    assert not any(p and p.startswith("There is evidence") for p in heart)
    fat = plants("Enzymatic fat necrosis.", "What type of necrosis is seen?", "fat necrosis")
    assert not any(p and "Enzymatic" in p for p in fat)
    central = plants(
        "Central caseous necrosis.", "What type of necrosis is seen?", "caseous necrosis"
    )
    assert "Central coagulative necrosis." in central
    stir = plants("T2-weighted STIR imaging shows high signal in the anterior wall.",
                  "Which MRI sequence shows the myocardial edema?", "T2 STIR")  # fmt: skip
    assert not any(p and "T1-weighted STIR" in p for p in stir)
    sonogram = "This is a cranial sonogram obtained through the anterior fontanelle."
    head = plants(sonogram, "What modality is used for this baby's head?", "Ultrasound")
    assert not any(p and "fontanelle" in p and "sonogram" not in p for p in head)
    report = "FINDINGS: The appendix is normal. Moderate free fluid is present in the pelvis."
    fluid = plants(report, "Describe the findings.", "FINDINGS: Normal appendix. Moderate fluid.")
    assert not any(p and re.search(r"(?:Large|Small|Mild|Severe) free fluid", p) for p in fluid)


def test_a_side_is_said_by_the_name_of_the_sided_chamber_asked_of():
    ventricle = "Which ventricle is dilated?"
    assert judge("RV.", "Right", ventricle).right is True
    assert judge("The right ventricle is dilated.", "Right", ventricle).right is True
    assert judge("LV.", "Right", ventricle).right is False
    assert judge(
        "The right lung, beside the left atrium.", "Right", "Which lung has the nodule?"
    ).right


def test_a_correction_keeps_no_stain_for_a_deposit_no_cause_or_kind_word_of_the_old_claim():
    stain = "This is a crystal violet stain showing metachromatic amyloid deposits."
    assert clinical_edit(stain, "Congo red", "What stain is used in this section?") is None
    pigment = "The neurons contain golden-brown hemosiderin granules from prior hemorrhage."
    fixed = clinical_edit(pigment, "lipofuscin", "What is the pigment within these neurons?")
    assert fixed is None or "hemorrhage" not in fixed
    hernia = "This is an obturator hernia passing through the obturator canal."
    fixed = clinical_edit(hernia, "Spigelian hernia", "What type of hernia is shown?")
    assert fixed is None or "obturator" not in fixed
    report = (
        "FINDINGS: The lungs are hyperinflated with coarse patchy opacities. There is no "
        "pneumothorax. IMPRESSION: Meconium aspiration syndrome without complication."
    )
    reference = (
        "FINDINGS: Hyperinflated lungs with coarse opacities. Small left pneumothorax. "
        "IMPRESSION: Meconium aspiration complicated by a small left pneumothorax."
    )
    fixed = clinical_edit(report, reference, "Describe the findings and impression.")
    assert fixed is None or "without complication" not in fixed


def test_an_organ_system_is_said_by_an_organ_of_it():
    system = "which organ system is evaluated?"
    urinary = "This study evaluates the urinary tract, including the kidneys, ureters and bladder."
    assert judge(urinary, "genitourinary", system).right is True
    assert judge("The bowel is affected, with pneumatosis.", "gastrointestinal", system).right
    assert judge("The lungs.", "gastrointestinal", system).right is False
    assert judge("The liver.", "genitourinary", system).right is False
    assert judge("The brain.", "central nervous system", system).right is True
    assert judge("No bowel abnormality.", "gastrointestinal", system).right is False


def test_a_spelled_unit_and_an_osis_adjective_are_read():
    pylorus = "how thick is the pyloric muscle wall?"
    assert judge("The muscle wall is four millimetres thick.", "4 mm", pylorus).right is True
    assert judge("It is 5 millimetres thick.", "4 mm", pylorus).right is False
    cells = "What change is seen in these cervical squamous cells?"
    assert judge("The cells show koilocytic atypia.", "koilocytosis", cells).right is True
    assert judge("Dyskeratosis.", "koilocytosis", cells).right is False


def test_a_subject_s_infiltrating_is_no_asked_invasion_and_a_second_cell_kind_is_unsure():
    benign = "Is this infiltrating tumor benign?"
    assert judge("It is malignant.", "no", benign).right is True
    assert judge("Yes, it is benign.", "no", benign).right is False
    assert judge("It is a carcinoma.", "yes", "Is the muscularis invaded?").right is None
    cells = "Which inflammatory cells are increased in this esophageal biopsy?"
    assert (
        judge("Eosinophils and neutrophils are both increased.", "eosinophils", cells).right is None
    )
    assert judge("Eosinophils are markedly increased.", "eosinophils", cells).right is True


def test_a_heart_chamber_is_planted_as_its_neighbour_only_where_it_has_the_part_said():
    lead = plants("The pacemaker lead tip projects over the right ventricle.",
                  "where is the tip of the pacemaker lead?", "right ventricle")  # fmt: skip
    assert "The pacemaker lead tip projects over the right atrium." in lead
    appendage = plants("The thrombus is in the left atrial appendage.",
                       "Where is the thrombus located?", "Left Atrial Appendage")  # fmt: skip
    assert not any(p and "ventricular appendage" in p for p in appendage)
    apex = plants("There is a thrombus in the left ventricular apex.", "Where is the thrombus?",
                  "left ventricle")  # fmt: skip
    assert not any(p and "atrial apex" in p for p in apex)


def test_a_yes_turned_over_keeps_no_features_of_the_finding_it_denies():
    cortex = plants("Yes, the cortex shows spongiform change, with numerous small round vacuoles "
                    "in the neuropil, consistent with prion disease.",
                    "is spongiform change present in the cerebral cortex?", "yes")  # fmt: skip
    assert not any(p and "no spongiform change" in p and "vacuoles" in p for p in cortex)


def test_a_filter_an_operation_a_lay_bone_and_a_named_cyst_are_judged():
    tilted = "Is the IVC filter tilted?"
    assert judge("No, the IVC filter is not tilted.", "No", tilted).right is True
    assert judge("Yes, the IVC filter is tilted.", "No", tilted).right is False
    done = "what procedure has been performed?"
    removed = "The gallbladder has been surgically removed, with clips in the gallbladder fossa."
    assert judge(removed, "cholecystectomy", done).right is True
    assert judge("The appendix has been removed.", "cholecystectomy", done).right is False
    assert judge("The gallbladder is distended.", "cholecystectomy", done).right is False
    bone = "which bone contains the lesion?"
    assert judge("The lesion is in the shinbone, at its metaphysis.", "tibia", bone).right is True
    assert judge("The lesion is in the thigh bone.", "tibia", bone).right is False
    cyst = "what is the radiolucent lesion around the crown of the impacted tooth?"
    assert judge("This is a radicular (periapical) cyst.", "dentigerous cyst", cyst).right is None
    assert judge("This is a dentigerous cyst.", "dentigerous cyst", cyst).right is True
    wedge = "There is a wedge compression fracture of T12."
    spine = plants(wedge, "what is seen in the spine?", "vertebral compression fracture")
    assert not any(p and "wedge burst" in p for p in spine)


def test_a_correction_keeps_no_reason_given_for_the_old_claim_nor_a_part_the_new_organ_lacks():
    margins = "It appears benign, given its smooth, well-defined margins."
    fixed = clinical_edit(margins, "Malignant", "Is the lesion benign or malignant?")
    assert fixed is None or "well-defined" not in fixed
    wrist = clinical_edit("A scaphoid waist fracture is seen.", "distal radius fracture",
                          "what is the abnormality in the wrist?")  # fmt: skip
    assert wrist is None or "waist" not in wrist


def test_words_of_radiographs_and_pathology_the_field_uses_are_read():
    kidney = "is the transplant kidney hydronephrotic?"
    assert judge("Yes, the pelvicalyceal system is dilated.", "yes", kidney).right is True
    assert judge("No, the kidney is normal.", "yes", kidney).right is False
    urate = "The punched-out erosions with tophi are typical of urate crystal arthropathy."
    assert judge(urate, "gout", "what is the diagnosis?").right is True
    forearm = "What is abnormal in this image of the forearm?"
    assert judge("The bones appear diffusely demineralized.", "Osteopenia", forearm).right is True
    assert judge("There is a fracture of the radius.", "Osteopenia", forearm).right is False
    stone = "A salivary duct stone is seen obstructing the submandibular duct."
    assert judge(stone, "Sialolithiasis", "What is the diagnosis?").right is True
    assert judge("Sialadenitis.", "Sialolithiasis", "What is the diagnosis?").right is False


def test_a_nerve_of_normal_caliber_is_planted_enlarged_never_dilated():
    nerve = plants(
        "No, the optic nerve is normal in caliber.", "is the optic nerve enlarged?", "no"
    )
    assert "Yes, the optic nerve is enlarged." in nerve
    assert not any(p and "dilated" in p for p in nerve)


def test_a_count_of_third_molars_is_never_planted_above_four():
    molars = plants("Four impacted third molars are seen.", "how many third molars are impacted?",
                    "4")  # fmt: skip
    assert "Three impacted third molars are seen." in molars
    assert not any(p and p.startswith("Five") for p in molars)


def test_a_roman_type_is_planted_down_and_a_system_or_cyst_by_its_own_names():
    washout = "The mass shows washout, a type III kinetic curve."
    curve = plants(washout, "what type of kinetic curve is it?", "type III washout")
    assert "The mass shows washout, a type II kinetic curve." in curve
    assert not any(p and "type IV" in p for p in curve)
    liver = "Hepatobiliary; the section shows liver tissue."
    assert judge(liver, "gastrointestinal", "what is present?").right is not True
    pilar = "This is a pilar cyst, lined by squamous epithelium without a granular layer."
    assert judge(pilar, "trichilemmal cyst", "what is this scalp cyst?").right is True


def test_a_filter_said_well_centred_is_not_planted_tilted_beside_it():
    centred = "No, the IVC filter is well centred in the infrarenal IVC without significant tilt."
    filter_ = plants(centred, "Is the IVC filter tilted?", "No")
    assert not any(p and "well centred" in p and "with significant tilt" in p for p in filter_)


def test_a_reversed_sign_or_another_kind_of_the_finding_is_not_the_reference():
    sign = "what sign is seen around the lesion?"
    atoll = "A reversed halo sign is present, a ring of consolidation around ground glass."
    assert judge(atoll, "halo sign", sign).right is False
    halo = "Ground-glass opacity surrounds the nodule, in keeping with a halo sign."
    assert judge(halo, "halo sign", sign).right is True
    airways = "what is the abnormality of the bronchi?"
    varicose = "There is varicose bronchiectasis from prior infection, with mucus plugging."
    assert judge(varicose, "traction bronchiectasis", airways).right is not True
    traction = "Traction bronchiectasis is seen within areas of fibrosis."
    assert judge(traction, "traction bronchiectasis", airways).right is True
    calcified = "what type of calcification does the thyroid nodule have?"
    rim = "The nodule has coarse rim calcification at its periphery."
    assert judge(rim, "microcalcifications", calcified).right is not True
    punctate = "Punctate microcalcifications are seen within the solid nodule."
    assert judge(punctate, "microcalcifications", calcified).right is True


def test_a_tip_in_another_segment_of_the_vena_cava_is_not_at_its_junction():
    tip = "Where does the central line terminate?"
    for said in ("The right IJ line tip lies in the upper SVC.",
                 "The catheter tip projects over the mid superior vena cava."):  # fmt: skip
        assert judge(said, "Cavoatrial junction", tip).right is None
    at = "The catheter tip projects over the cavoatrial junction."
    assert judge(at, "Cavoatrial junction", tip).right is True


def test_a_concern_raised_by_a_turned_claim_is_not_left_beside_it():
    widened = "Yes, the mediastinum is widened, raising concern for aortic injury."
    fixed, _ = explain_edit(widened, "no", "is the mediastinum widened?")
    assert fixed is None or "concern" not in fixed


def test_a_size_keeps_its_unit_and_a_slice_level_is_no_answer():
    nodules = "Several 2-4 mm nodules are scattered through both lungs."
    fixed, _ = explain_edit(nodules, "masses", "what is seen in the lungs?")
    assert fixed is None or " mm " in fixed
    level = "This axial CT image is taken at the level of the carina."
    assert explain_edit(level, "Lung", "Which is the largest organ in this image?")[0] is None
    vertebra = "The slice is taken at the level of the T4 vertebra."
    assert explain_edit(vertebra, "T8", "At what level is this slice?")[0] == (
        "The slice is taken at the level of the T8 vertebra."
    )


def test_a_side_written_as_a_capital_letter_sided_is_that_side():
    side = "which side is the pneumothorax on?"
    small = "A small R-sided apical pneumothorax is present."
    assert judge(small, "right", side).right is True
    assert explain_edit(small, "left", side)[0] == "A small L-sided apical pneumothorax is present."


def test_a_plant_leaves_no_bracketed_grade_prefix_of_the_old_organ_or_echo_word():
    fatty = plants("The liver shows moderate (grade 2) steatosis with increased echogenicity.",
                   "what grade of fatty liver is shown?", "moderate")  # fmt: skip
    assert not any(p and "(grade 2)" in p and "moderate" not in p for p in fatty)
    inside = plants("The lesion is intrahepatic, arising from the hepatic parenchyma.",
                    "which organ contains the lesion?", "liver")  # fmt: skip
    assert not any(p and "intrahepatic" in p and "hepatic parenchyma" not in p for p in inside)
    echo = plants("The image was acquired with ultrasound, using a B-mode technique.",
                  "What modality is used?", "Ultrasound")  # fmt: skip
    assert not any(p and "B-mode" in p and "ultrasound" not in p for p in echo)
    either = plants("No, there is no focal consolidation, and no pleural effusion is seen.",
                    "Is there any consolidation or pleural effusion?", "No")  # fmt: skip
    assert not any(p and p.startswith("Yes, there is no") for p in either)
    assert any(p and p.startswith("Yes") for p in either)


def test_a_report_advising_another_follow_up_interval_is_not_called_right():
    reference = ("FINDINGS: A 4 mm solid nodule in the right middle lobe. The lungs are otherwise "
                 "clear. No pleural effusion. IMPRESSION: 4 mm right middle lobe nodule; no "
                 "routine follow-up is needed in a low-risk patient.")  # fmt: skip
    sooner = ("A 4 mm solid nodule is seen in the right middle lobe. The lungs are otherwise "
              "clear, without pleural effusion. Impression: 4 mm right middle lobe nodule; a "
              "follow-up CT in 6 months is recommended.")  # fmt: skip
    assert judge(sooner, reference).right is None
    same = sooner.replace("a follow-up CT in 6 months is recommended", "no follow-up is needed")
    assert judge(same, reference).right is True
    yearly = reference.replace("no routine follow-up is needed in a low-risk patient",
                               "a CT at 12 months is recommended")  # fmt: skip
    assert judge(sooner.replace("6 months", "twelve months"), yearly).right is True
    assert judge(sooner, yearly).right is None


def test_a_study_without_contrast_is_noncontrast_and_a_device_still_present_is_read():
    asked = "is this a contrast or noncontrast ct"
    for said in ("This is an unenhanced CT of the head, without intravenous contrast.",
                 "This is a non-contrast CT of the abdomen."):  # fmt: skip
        assert judge(said, "Noncontrast", asked).right is True
    assert judge("This is a contrast-enhanced CT.", "Noncontrast", asked).right is False
    tube = "is the chest tube still present"
    kept = "Yes, the right-sided chest tube remains in place with its tip at the apex."
    assert judge(kept, "yes", tube).right is True
    assert judge("No, the chest tube has been removed.", "yes", tube).right is False


def test_both_before_an_organ_is_no_count_of_the_lesions_asked():
    many = "how many lesions are there?"
    scattered = "There are three ring-enhancing lesions scattered in both cerebral hemispheres."
    assert judge(scattered, "3", many).right is True
    assert judge(scattered.replace("three", "two"), "3", many).right is False


def test_active_extravasation_and_restricted_diffusion_are_findings_read_in_any_form():
    asked = "Is there restricted diffusion in the lesion?"
    denied = "There is no restricted diffusion; the lesion is not bright on high b-value DWI."
    assert judge(denied, "Yes", asked).right is False
    assert judge("Yes, the lesion shows diffusion restriction.", "Yes", asked).right is True
    reference = ("FINDINGS: A splenic laceration with a perisplenic hematoma. No active contrast "
                 "extravasation. IMPRESSION: Splenic laceration without active "
                 "extravasation.")  # fmt: skip
    bleeding = ("FINDINGS: A splenic laceration is seen with a perisplenic hematoma. There is no "
                "contrast extravasation. IMPRESSION: Splenic laceration with active "
                "extravasation.")  # fmt: skip
    assert judge(bleeding, reference).right is False
    assert judge(bleeding.replace("with active", "without active"), reference).right is True


def test_a_finding_denied_beside_uniform_enhancement_is_not_made_present_under_it():
    reference = ("FINDINGS: The pancreas is enlarged with peripancreatic stranding. Part of the "
                 "pancreatic tail fails to enhance, consistent with necrosis. IMPRESSION: Acute "
                 "necrotizing pancreatitis.")  # fmt: skip
    answer = ("FINDINGS: The pancreas is enlarged with peripancreatic stranding. The pancreatic "
              "parenchyma enhances homogeneously without areas of necrosis. IMPRESSION: Acute "
              "pancreatitis.")  # fmt: skip
    fixed, _ = explain_edit(answer, reference)
    assert fixed is None or "homogeneously" not in fixed
    parenchyma = "The pancreatic parenchyma enhances homogeneously without areas of necrosis."
    fixed, _ = explain_edit(parenchyma, "necrosis", "what is seen in the pancreas?")
    assert fixed is None or "homogeneously" not in fixed


def test_a_plant_leaves_no_dangling_together_nor_a_confined_lesion_beside_invasion():
    double = plants("Yes, the common bile duct is dilated together with the pancreatic duct, a "
                    "double duct sign.", "is the common bile duct dilated?", "yes")  # fmt: skip
    assert not any(p and re.search(r"together\s*\.", p) for p in double)
    cervix = plants("No invasive carcinoma is seen; the dysplasia is confined to the squamous "
                    "epithelium, without stromal invasion.", "does this biopsy show invasive "
                    "carcinoma?", "no")  # fmt: skip
    assert not any(p and "confined" in p and "no invasive" not in p.lower() for p in cervix)


def test_no_count_is_planted_in_a_sentence_giving_a_sum():
    gleason = plants("The glands are fused and cribriform (pattern four) with a lesser component "
                     "of well-formed glands (pattern three): Gleason score seven (4 + 3).",
                     "What is the Gleason score?", "4+3=7")  # fmt: skip
    assert not any(p and "seven" in p and ("five" in p or "5 + 3" in p) for p in gleason)


def test_a_side_asked_as_left_or_right_is_planted_as_the_other():
    asked = "Is the lesion in the left or right kidney?"
    assert plants("The lesion is in the left kidney.", asked, "Left") == {
        "The lesion is in the right kidney."
    }
    prostate = "Is the lesion on the left or right side of the prostate?"
    lobe = "It is left-sided, in the posterolateral peripheral zone of the left lobe."
    assert plants(lobe, prostate, "Left") == {lobe.replace("left", "right")}


def test_an_immunostain_is_corrected_and_planted_within_its_line():
    origin = "which nuclear marker supports a mullerian origin of this carcinoma?"
    gata = "The tumor cells show nuclear positivity for GATA3, which supports a Mullerian origin."
    assert explain_edit(gata, "PAX8", origin)[0] == gata.replace("GATA3", "PAX8")
    lymphoid = plants("The atypical cells are positive for CD20.", "what marker is positive?",
                      "CD20")  # fmt: skip
    assert lymphoid and lymphoid <= {
        f"The atypical cells are positive for {m}." for m in ("CD3", "CD30", "CD15")
    }
    both = "The tumor cells are positive for TTF-1 and napsin A."
    assert judge(both, "TTF-1", "which marker is positive?").right is None


def test_a_prostate_zone_in_capitals_is_that_zone():
    zone = "which zone of the prostate is the lesion in?"
    assert judge("The lesion lies in the transition zone.", "TZ", zone).right is True
    assert judge("The lesion lies in the peripheral zone.", "TZ", zone).right is False
    assert judge("A PZ lesion with restricted diffusion.", "peripheral zone", zone).right is True


def test_plants_keep_scores_in_range_and_leave_no_word_that_says_otherwise():
    pirads = plants("The lesion would be assigned PI-RADS five, given its size over 1.5 cm.",
                    "What is the PI-RADS score of the lesion?", "5")  # fmt: skip
    assert pirads and not any(p and "six" in p for p in pirads)
    category = plants("The lesion is PI-RADS category 5.", "What is the PI-RADS score?", "5")
    assert category == {"The lesion is PI-RADS category 4."}
    effect = plants("There is an enhancing lesion, but without significant mass effect, midline "
                    "shift, or ventricular effacement.", "is there mass effect?", "no")  # fmt: skip
    assert not any(p and "and with" in p for p in effect)
    cystic = plants("No, the adnexal mass is purely cystic with thin walls and no enhancing solid "
                    "component.", "is the mass solid?", "no")  # fmt: skip
    assert not any(p and "purely cystic" in p and "no enhancing" not in p for p in cystic)
    bleed = plants("There is no evidence of hemorrhage on the SWI sequence, although a "
                   "non-hemorrhagic enhancing mass is present.", "is there evidence of "
                   "hemorrhage?", "no")  # fmt: skip
    assert not any(p and "non-hemorrhagic" in p and "no evidence" not in p for p in bleed)
    named = plants("PI-RADS stands for Prostate Imaging Reporting and Data System.",
                   "What does PI-RADS stand for?",
                   "Prostate Imaging Reporting and Data System")  # fmt: skip
    assert not any(p and "Prostate" not in p for p in named)


def test_extravasation_is_planted_without_an_article():
    spleen = plants("There is a splenic laceration with perisplenic hematoma, but no active "
                    "contrast extravasation or pseudoaneurysm.", "Is there active contrast "
                    "extravasation from the spleen?", "No")  # fmt: skip
    assert spleen and not any(p and "an active" in p for p in spleen)


def test_a_weighting_is_not_planted_against_the_look_the_next_sentence_gives():
    dark = "This is a T1W image. The CSF appears dark and the white matter is bright."
    weighted = plants(dark, "What weighting is this MR image?", "T1")
    assert not any(p and "T2" in p and "CSF appears dark" in p for p in weighted)
    fixed, _ = explain_edit(dark.replace("T1W", "T2W"), "T1", "What weighting is this MR image?")
    assert fixed is None or "T1" in fixed


def test_polycystic_kidney_disease_is_read_and_stays_with_the_kidneys():
    cysts = "The kidneys are enlarged and replaced by innumerable cysts, consistent with ADPKD."
    diagnosis = "what is the diagnosis?"
    assert judge(cysts, "polycystic kidney disease", diagnosis).right is True
    assert judge(cysts, "ARPKD", diagnosis).right is False
    organs = plants("There is bilateral renal enlargement, with both kidneys replaced by "
                    "innumerable cysts, consistent with ADPKD.", "Which organs are abnormal?",
                    "Kidneys")  # fmt: skip
    assert not any(p and "adrenal" in p and "ADPKD" in p for p in organs)


def test_a_tip_position_is_not_denied_beside_the_distance_that_told_it():
    tube = plants("Yes, the endotracheal tube terminates approximately 4 cm above the carina, "
                  "which is an appropriate position.", "is the endotracheal tube in "
                  "appropriate position?", "Yes")  # fmt: skip
    assert not any(p and "4 cm" in p and "not an appropriate" in p for p in tube)


def test_a_longer_name_whose_extra_word_the_answer_says_elsewhere_is_the_same_kind():
    kidney = "This is autosomal dominant (adult) polycystic kidney disease."
    shows = "what does this enlarged kidney show?"
    assert judge(kidney, "adult polycystic kidney disease", shows).right is True
    papillary = "This is a papillary renal cell carcinoma."
    assert judge(papillary, "clear cell renal cell carcinoma", "what is the tumor?").right is None
