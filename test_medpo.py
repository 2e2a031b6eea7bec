"""Tests for medpo.py. Each test states a property and checks it against an independent
reference: hand-computed spans, a float64 formula, the pixels of a picture, a real tokenizer."""

import dataclasses
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

import checkpoints
import checks
import clinical
import converters
import data_prep
import demo
import evaluation
import fast_loss
import files
import medpo
import scores
import tiny_models
from medpo import (
    Config,
    bidirectional_kl,
    build_pair,
    corrupt_lesion,
    edit_spans,
    forward_reverse_kl,
    medpo_loss,
    preference_loss,
    token_logps,
    token_weights,
)
from test_clinical import StubLLM

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is downloaded: models are built here
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "benchmarks"))  # study.py and bench_step.py
LN2 = math.log(2.0)


def span_of(text, word, start=0):
    i = text.index(word, start)
    return (i, i + len(word))


# ---------------------------------------------------------------------------------------- 1. pairs


def test_edit_spans_single_substitution_indexes_both_strings():
    r, c = "The lesion is in the left lung.", "The lesion is in the right lung."
    rs, cs = edit_spans(r, c)
    assert rs == [span_of(r, "left")] and cs == [span_of(c, "right")]
    assert r[slice(*rs[0])] == "left" and c[slice(*cs[0])] == "right"


def test_edit_spans_several_substitutions():
    r = "A small nodule in the left upper lobe on CT."
    c = "A large nodule in the right upper lobe on MRI."
    rs, cs = edit_spans(r, c)
    assert rs == [span_of(r, "small"), span_of(r, "left"), span_of(r, "CT")]
    assert cs == [span_of(c, "large"), span_of(c, "right"), span_of(c, "MRI")]


def test_edit_spans_insertion_has_a_chosen_span_only():
    r, c = "There is a nodule.", "There is a small nodule."
    assert edit_spans(r, c) == ([], [span_of(c, "small")])


def test_edit_spans_deletion_has_a_rejected_span_only():
    r, c = "There is a large cyst in the liver.", "There is a cyst in the liver."
    assert edit_spans(r, c) == ([span_of(r, "large")], [])


def test_edit_spans_adjacent_words_form_one_span():
    r, c = "It shows the left kidney.", "It shows the right lung."
    rs, cs = edit_spans(r, c)
    assert rs == [(span_of(r, "left")[0], span_of(r, "kidney")[1])]
    assert cs == [(span_of(c, "right")[0], span_of(c, "lung")[1])]


def test_edit_spans_punctuation_and_case_are_differences():
    assert edit_spans("No nodule.", "No nodule!") == ([(9, 10)], [(9, 10)])
    assert edit_spans("left lung", "Left lung") == ([(0, 4)], [(0, 4)])
    assert edit_spans("same words here", "same words here") == ([], [])


@pytest.mark.parametrize("bad", [None, "", "   ", 3, ["a"]])
def test_edit_spans_rejects_bad_input_by_name(bad):
    with pytest.raises(ValueError, match="rejected"):
        edit_spans(bad, "fine text")
    with pytest.raises(ValueError, match="chosen"):
        edit_spans("fine text", bad)


def test_build_pair_corrects_a_wrong_answer_with_exact_spans():
    stats = Counter()
    question = "Which lung is the lesion in?"
    p = build_pair("The lesion is in the left lung.", "Right lung", question, stats=stats)
    assert p == {
        "chosen": "The lesion is in the right lung.",
        "rejected": "The lesion is in the left lung.",
        "chosen_spans": [(21, 26)],
        "rejected_spans": [(21, 25)],
        "model_correct": False,
    }
    assert stats == Counter(model_wrong=1)


def test_build_pair_plants_one_error_the_judge_finds_wrong_in_a_right_answer():
    question, reference = "Is there a lesion in this image?", "Yes, there is a lesion."
    for seed in range(5):
        p = build_pair(reference, reference, question, rng=np.random.default_rng(seed))
        assert p["model_correct"] and p["chosen"] == reference
        assert p["rejected"] == "No, there is no lesion."  # the other choice, linked words too
        assert not medpo.is_right(p["rejected"], {"answer": reference, "question": question})


def test_build_pair_skips_what_it_cannot_tell_and_counts_why():
    stats = Counter()
    assert build_pair("I do not know.", "Liver", "Which organ is shown?", stats=stats) is None
    hedge = "It is unclear whether there is a pleural effusion."
    assert build_pair(hedge, "yes", "Is there a pleural effusion?", stats=stats) is None
    assert sum(stats.values()) == 2 and all(k.startswith("skipped_") for k in stats)


def test_build_pair_takes_a_pluggable_editor_and_checks_its_correction():
    question = "Which side is the nodule on?"
    right = lambda response, reference, question: "The nodule is on the right."  # noqa: E731
    p = build_pair("The nodule is on the left.", "Right", question, editor=right)
    chosen = "The nodule is on the right."
    assert p["chosen"] == chosen and p["chosen_spans"] == [span_of(chosen, "right")]
    wrong = lambda response, reference, question: "The nodule is on the both."  # noqa: E731
    stats = Counter()
    assert build_pair("The nodule is on the left.", "Right", question, wrong, stats=stats) is None
    assert stats == Counter(skipped_correction_not_right=1)


@pytest.fixture(scope="module")
def bpe_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    corpus = [
        "The lesion is in the left lung.",
        "The lesion is in the right lung.",
        "There is no nodule.",
        "This is a CT scan of the abdomen.",
        "An MRI of the brain shows a large mass.",
    ] * 20
    tok.train_from_iterator(
        corpus,
        trainers.BpeTrainer(vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()),
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok)


def test_token_weights_mark_exactly_the_tokens_of_the_span(bpe_tokenizer):
    text = "The lesion is in the rightmost part of the left lung."
    enc = bpe_tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
    span = span_of(text, "left")
    w = token_weights(enc["offset_mapping"], [span], w_in=1.0, w_out=0.0, text_len=len(text))
    ids = [i for i, x in zip(enc["input_ids"], w, strict=False) if x == 1.0]
    assert bpe_tokenizer.decode(ids).strip() == "left"  # the span's tokens, and nothing else
    rest = [i for i, x in zip(enc["input_ids"], w, strict=False) if x == 0.0]
    assert "left" not in bpe_tokenizer.decode(rest)
    w2 = token_weights(enc["offset_mapping"], [span], w_in=0.5, w_out=1.0)
    assert sorted(set(w2)) == [0.5, 1.0] and w2.count(0.5) == w.count(1.0)


def test_token_weights_reject_spans_out_of_range(bpe_tokenizer):
    with pytest.raises(ValueError, match="span"):
        token_weights([(0, 3)], [(2, 50)], text_len=10)
    with pytest.raises(ValueError, match="span"):
        token_weights([(0, 3)], [(4, 4)])


# ---------------------------------------------------------------------------- 2. lesion corruption


def grey(w=160, h=120, mode="L", value=128):
    if mode == "I;16":
        return Image.fromarray(np.full((h, w), value * 257, np.uint16))
    channels = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
    arr = np.full((h, w, channels), value, np.uint8)
    return Image.fromarray(arr[..., 0] if channels == 1 else arr, mode)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "I;16"])
def test_lesion_noise_keeps_outside_pixels_and_has_sigma_inside(mode):
    img, box = grey(mode=mode), (20, 10, 120, 110)
    out = corrupt_lesion(img, box, sigma=45.0, seed=3)
    a, b = np.asarray(img).astype(np.float64), np.asarray(out).astype(np.float64)
    assert out.mode == img.mode and out.size == img.size
    inside = np.zeros(a.shape[:2], bool)
    inside[10:110, 20:120] = True
    assert np.array_equal(a[~inside], b[~inside])  # outside: bit-identical
    diff = (b - a)[inside]
    if mode == "RGBA":
        assert np.array_equal(diff[:, 3], np.zeros(len(diff)))  # alpha untouched
        diff = diff[:, :3]
    scale = 257.0 if mode == "I;16" else 1.0
    assert abs(diff.std() / scale - 45.0) < 4.5 and abs(diff.mean() / scale) < 2.0


def test_lesion_noise_is_independent_per_colour_channel():
    d = (
        np.asarray(corrupt_lesion(grey(mode="RGB"), (0, 0, 100, 100), seed=0)).astype(float)[
            :100, :100
        ]
        - 128
    )
    assert abs(np.corrcoef(d[..., 0].ravel(), d[..., 1].ravel())[0, 1]) < 0.05


def test_same_seed_same_image_other_seed_other_image():
    img = grey()
    a, b, c = (np.asarray(corrupt_lesion(img, (5, 5, 60, 60), seed=s)) for s in (7, 7, 8))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_no_lesion_means_global_noise_of_global_sigma():
    img = grey(200, 200)
    d = np.asarray(corrupt_lesion(img, None, global_sigma=12.0, seed=0)).astype(float) - 128
    assert abs(d.std() - 12.0) < 1.2 and (d != 0).mean() > 0.9


def test_every_lesion_form_corrupts_exactly_its_region():
    img = grey(100, 80)
    boxes = [(10, 10, 30, 30), (60, 40, 90, 70)]
    region = np.zeros((80, 100), bool)
    region[10:30, 10:30] = region[40:70, 60:90] = True
    forms = {
        "list of boxes": boxes,
        "bool array": region,
        "mask image": Image.fromarray(region.astype(np.uint8) * 255),
    }
    for name, lesion in forms.items():
        d = np.asarray(corrupt_lesion(img, lesion, seed=1)).astype(int) - 128
        assert not d[~region].any(), name
        assert (d[region] != 0).mean() > 0.9, name
    one = np.asarray(corrupt_lesion(img, boxes[0], seed=1)).astype(int) - 128
    assert (one != 0).sum() == (one[10:30, 10:30] != 0).sum() > 350


def test_a_box_partly_outside_is_clipped_to_the_image():
    d = np.asarray(corrupt_lesion(grey(50, 50), (40, 40, 80, 80), seed=0)).astype(int) - 128
    assert not d[:40].any() and not d[:, :40].any() and (d[40:, 40:] != 0).mean() > 0.9


@pytest.mark.parametrize(
    "lesion,message",
    [
        ((200, 200, 250, 250), "outside"),
        ((10, 10, 10, 30), "degenerate"),
        ((30, 10, 20, 40), "degenerate"),
        (np.ones((10, 10), bool), "shape"),
        (Image.new("L", (20, 20), 255), "shape"),
        (np.zeros((120, 160), bool), "empty"),
        ((1, 2, 3), "four"),
        ((0, 0, float("nan"), 5), "four"),
    ],
)
def test_bad_lesions_raise_a_value_error_saying_which(lesion, message):
    with pytest.raises(ValueError, match=message):
        corrupt_lesion(grey(), lesion)


def test_odd_image_modes_and_non_images_are_refused():
    with pytest.raises(ValueError, match="mode"):
        corrupt_lesion(Image.new("CMYK", (10, 10)), None)
    with pytest.raises(ValueError, match="PIL"):
        corrupt_lesion(np.zeros((10, 10)), None)
    with pytest.raises(ValueError, match="mode"):
        corrupt_lesion(grey(), (0, 0, 5, 5), mode="sparkle")


@pytest.mark.parametrize("img_mode", ["L", "RGB", "RGBA", "I;16"])
def test_ablation_modes_change_only_what_they_should(img_mode):
    img = grey(mode=img_mode, value=100)
    a = np.asarray(img).astype(np.int64)
    inside = np.zeros(a.shape[:2], bool)
    inside[20:60, 30:90] = True
    box = (30, 20, 90, 60)
    black = np.asarray(corrupt_lesion(img, box, mode="black")).astype(np.int64)
    colour = black[..., :3] if img_mode == "RGBA" else black
    assert np.array_equal(black[~inside], a[~inside]) and not colour[inside].any()
    full = np.asarray(corrupt_lesion(img, box, mode="full_black")).astype(np.int64)
    assert not (full[..., :3] if img_mode == "RGBA" else full).any()
    glob = np.asarray(corrupt_lesion(img, box, mode="global_noise", seed=2)).astype(np.int64)
    assert (glob[~inside] != a[~inside]).mean() > 0.5
    crop = corrupt_lesion(img, box, mode="crop", seed=2)
    assert crop.size == img.size and crop.mode == img.mode
    if img_mode == "RGBA":
        assert np.array_equal(black[..., 3], a[..., 3]) and np.array_equal(glob[..., 3], a[..., 3])


def test_blur_smooths_the_region_and_keeps_the_rest():
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 256, (80, 100), dtype=np.uint8)
    out = np.asarray(corrupt_lesion(Image.fromarray(arr), (20, 20, 80, 60), mode="blur")).astype(
        float
    )
    inside = np.zeros(arr.shape, bool)
    inside[20:60, 20:80] = True
    assert np.array_equal(out[~inside], arr[~inside])
    assert out[inside].std() < 0.3 * arr[inside].astype(float).std()


def test_corruption_works_on_a_real_dicom_image():
    pydicom = pytest.importorskip("pydicom")
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("examples_overlay.dcm"))
    img = Image.fromarray(
        ds.pixel_array.astype(np.uint16)
    )  # 16-bit MR, lesion ROI at x 46-80, y 139-173
    assert img.mode == "I;16"
    out = corrupt_lesion(img, (46, 139, 81, 174), seed=0)
    a, b = np.asarray(img), np.asarray(out)
    assert np.array_equal(a[:139], b[:139]) and np.array_equal(a[:, 81:], b[:, 81:])
    assert (a[139:174, 46:81] != b[139:174, 46:81]).mean() > 0.9


# ----------------------------------------------------------------------------- 3. log-probs and KL


def naive_kl64(p_logits, q_logits):
    """KL(p || q) per row, float64, straight from the definition."""
    p = torch.softmax(p_logits.double(), -1)
    q = torch.softmax(q_logits.double(), -1)
    return (p * (p.log() - q.log())).sum(-1)


def test_token_logps_equal_a_float64_log_softmax():
    g = torch.Generator().manual_seed(0)
    logits, labels = (
        torch.randn(3, 5, 50, generator=g) * 3,
        torch.randint(0, 50, (3, 5), generator=g),
    )
    ref = torch.log_softmax(logits.double(), -1).gather(-1, labels[..., None])[..., 0]
    assert torch.allclose(token_logps(logits, labels).double(), ref, atol=1e-5)
    assert token_logps(logits.half(), labels).dtype == torch.float32


def test_bidirectional_kl_equals_float64_reference_for_every_lam():
    g = torch.Generator().manual_seed(0)
    pol, ref = torch.randn(4, 7, 64, generator=g) * 2, torch.randn(4, 7, 64, generator=g) * 2
    fkl, rkl = naive_kl64(ref, pol), naive_kl64(pol, ref)
    for lam in (0.0, 0.3, 0.5, 1.0):
        got = bidirectional_kl(pol, ref, lam).double()
        assert torch.allclose(got, lam * fkl + (1 - lam) * rkl, atol=1e-5), lam
    assert torch.allclose(bidirectional_kl(pol, ref, 1.0).double(), fkl, atol=1e-5)
    assert torch.allclose(bidirectional_kl(pol, ref, 0.0).double(), rkl, atol=1e-5)
    assert not torch.allclose(fkl, rkl, atol=1e-3)  # the two directions really differ here


def test_fused_head_matches_float64_autograd_values_and_gradients():
    """HeadLogps (gradient rows made in the forward pass) against autograd through full float64
    logits, for every chunk size."""
    g = torch.Generator().manual_seed(0)
    S, H, V = 11, 8, 40
    W, h, h_ref = (torch.randn(n, H, generator=g) for n in (V, S, S))
    labels, c = torch.randint(0, V, (S,), generator=g), torch.randn(S, generator=g).double()
    h64 = h.double().requires_grad_(True)
    lp, lq = (h64 @ W.double().T).log_softmax(-1), (h_ref.double() @ W.double().T).log_softmax(-1)
    want = [lp.gather(1, labels[:, None])[:, 0], lq.gather(1, labels[:, None])[:, 0]]
    (c * want[0]).sum().backward()
    for chunk in (1, 4, 64):
        hh = h.clone().requires_grad_(True)
        got = medpo.HeadLogps.apply(hh, h_ref, W, W, labels, chunk)
        (c * got[0]).sum().backward()
        for a, b in zip(got, want, strict=True):
            assert torch.allclose(a.double(), b.detach(), atol=1e-5)
        assert torch.allclose(hh.grad.double(), h64.grad, atol=1e-5) and h64.grad.abs().max() > 1e-2
        assert not got[1].requires_grad


def test_kl_is_zero_for_identical_logits():
    x = torch.randn(6, 100) * 5
    assert torch.all(bidirectional_kl(x, x.clone()).abs() < 1e-6)


def test_kl_is_finite_for_extreme_logits():
    g = torch.Generator().manual_seed(1)
    pol = (torch.randint(0, 2, (5, 32), generator=g).float() * 2 - 1) * 1e4
    ref = (torch.randint(0, 2, (5, 32), generator=g).float() * 2 - 1) * 1e4
    pol.requires_grad_(True)
    fkl, rkl = forward_reverse_kl(pol, ref)
    assert (
        torch.isfinite(fkl).all()
        and torch.isfinite(rkl).all()
        and (fkl >= 0).all()
        and (rkl >= 0).all()
    )
    (fkl + rkl).sum().backward()
    assert torch.isfinite(pol.grad).all()
    naive = torch.softmax(pol.detach(), -1).log()  # the way the KL must NOT be computed
    assert torch.isinf(naive).any()


# --------------------------------------------------------------------------------------- 4. losses


def test_preference_loss_is_minus_log_sigmoid_of_beta_margin():
    g = torch.Generator().manual_seed(0)
    pc, pr, rc, rr = (torch.randn(8, generator=g, dtype=torch.float64) * 20 for _ in range(4))
    for beta in (0.1, 0.5):
        got = preference_loss(pc, pr, rc, rr, beta)
        want = [
            math.log1p(math.exp(-beta * ((a - c) - (b - d))))
            for a, b, c, d in zip(pc.tolist(), pr.tolist(), rc.tolist(), rr.tolist(), strict=False)
        ]
        assert torch.allclose(got, torch.tensor(want, dtype=torch.float64), atol=1e-10)
    z = torch.zeros(3)
    assert torch.allclose(preference_loss(z, z, z, z), torch.full((3,), LN2))


def make_batch(seed=0, B=3, T=9, V=40, same=False):
    """Random policy / reference logits for the four branches, labels and span masks."""
    g = torch.Generator().manual_seed(seed)
    batch = {}
    for k in medpo.BRANCHES:
        ref = torch.randn(B, T, V, generator=g, dtype=torch.float64)
        pol = (
            ref.clone()
            if same
            else ref + 0.7 * torch.randn(B, T, V, generator=g, dtype=torch.float64)
        )
        batch[k] = dict(
            pol=pol.requires_grad_(True), ref=ref, labels=torch.randint(0, V, (B, T), generator=g)
        )
    spans = {
        "chosen": torch.zeros(B, T, dtype=torch.bool),
        "rejected": torch.zeros(B, T, dtype=torch.bool),
    }
    for b in range(B):
        spans["chosen"][b, 2 + b : 4 + b] = True
        spans["rejected"][b, 3 + b] = True
    spans["chosen_vis"], spans["rejected_vis"] = spans["chosen"], spans["rejected"]
    return batch, spans


def run_medpo(batch, spans, cfg, has_vis=None):
    """medpo.py's path: token log-probs -> weighted sums -> medpo_loss."""
    B = spans["chosen"].shape[0]
    pol, ref = {}, {}
    for k, d in batch.items():
        w = torch.where(spans[k], cfg.w_in, cfg.w_out).double()
        pol[k] = (token_logps(d["pol"], d["labels"]) * w).sum(-1)
        ref[k] = (token_logps(d["ref"], d["labels"]) * w).sum(-1)
    fkl, rkl = forward_reverse_kl(batch["chosen"]["pol"], batch["chosen"]["ref"])
    m = spans["chosen"].double()
    has_vis = torch.ones(B, dtype=torch.bool) if has_vis is None else has_vis
    return medpo_loss(pol, ref, (fkl * m).sum(-1), (rkl * m).sum(-1), has_vis, cfg)


def naive_loss(batch, spans, beta, gamma, lam, alpha, w_in, w_out, has_vis):
    """The MedPO loss written out in float64 Python loops from docs/METHOD.md's equations."""

    def lsm(x):
        m = max(x)
        z = m + math.log(sum(math.exp(v - m) for v in x))
        return [v - z for v in x]

    def R(k, b):
        d, tot = batch[k], 0.0
        for t in range(d["labels"].shape[1]):
            w = w_in if spans[k][b, t] else w_out
            y = int(d["labels"][b, t])
            tot += w * (lsm(d["pol"][b, t].tolist())[y] - lsm(d["ref"][b, t].tolist())[y])
        return tot

    def nls(x):
        return math.log1p(math.exp(-x))

    total, B = 0.0, spans["chosen"].shape[0]
    for b in range(B):
        loss = nls(beta * (R("chosen", b) - R("rejected", b)))
        if has_vis[b]:
            loss += gamma * nls(beta * (R("rejected_vis", b) - R("chosen_vis", b)))
        kl = 0.0
        for t in range(spans["chosen"].shape[1]):
            if spans["chosen"][b, t]:
                lp = lsm(batch["chosen"]["pol"][b, t].tolist())
                lr = lsm(batch["chosen"]["ref"][b, t].tolist())
                f = sum(math.exp(r) * (r - p) for p, r in zip(lp, lr, strict=False))
                rv = sum(math.exp(p) * (p - r) for p, r in zip(lp, lr, strict=False))
                kl += lam * f + (1 - lam) * rv
        total += loss + alpha * kl
    return total / B


@pytest.mark.parametrize(
    "name,overrides",
    [
        ("MedPO defaults", {}),
        ("MASK-DPO", dict(gamma=0.0, alpha=0.0)),
        ("RRPO-on-spans", dict(gamma=0.0, lam=1.0)),
        ("RLHF-V-style weights", dict(w_in=2.0, w_out=1.0, alpha=0.5, lam=0.2)),
    ],
)
def test_medpo_loss_matches_the_float64_equations(name, overrides):
    batch, spans = make_batch()
    cfg = Config(**overrides)
    has_vis = torch.tensor([True, False, True])
    got, metrics = run_medpo(batch, spans, cfg, has_vis)
    want = naive_loss(
        batch, spans, cfg.beta, cfg.gamma, cfg.lam, cfg.alpha, cfg.w_in, cfg.w_out, has_vis
    )
    assert abs(got.item() - want) < 1e-9, name


def test_plain_dpo_mode_equals_trls_sigmoid_dpo():
    """w_in = w_out = 1, gamma = alpha = 0 is TRL's loss_type='sigmoid': sequence log-prob sums,
    -logsigmoid(beta * ((chosen - rejected) - (ref_chosen - ref_rejected))), batch mean."""
    batch, spans = make_batch(seed=4)
    cfg = Config(w_in=1.0, w_out=1.0, gamma=0.0, alpha=0.0, beta=0.3)
    got, metrics = run_medpo(batch, spans, cfg)
    seq = {
        k: (
            torch.log_softmax(d["pol"].detach(), -1)
            .gather(-1, d["labels"][..., None])[..., 0]
            .sum(-1),
            torch.log_softmax(d["ref"], -1).gather(-1, d["labels"][..., None])[..., 0].sum(-1),
        )
        for k, d in batch.items()
    }
    (pc, rc), (pr, rr) = seq["chosen"], seq["rejected"]
    logits = (pc - pr) - (rc - rr)  # TRL: chosen_logratios - rejected_logratios, same thing
    want = -torch.nn.functional.logsigmoid(0.3 * logits).mean()
    assert abs(got.item() - float(want)) < 1e-10
    assert abs(metrics["rewards/chosen"] - float(0.3 * (pc - rc).mean())) < 1e-6
    assert abs(metrics["rewards/margins"] - float(0.3 * ((pc - rc) - (pr - rr)).mean())) < 1e-6


def test_loss_is_one_plus_gamma_ln2_when_policy_equals_reference():
    batch, spans = make_batch(same=True)
    for gamma in (0.1, 0.0, 1.0):
        loss, m = run_medpo(batch, spans, Config(gamma=gamma))
        assert abs(loss.item() - (1 + gamma) * LN2) < 1e-9
        assert (
            abs(m["kl/forward"]) < 1e-9
            and abs(m["kl/reverse"]) < 1e-9
            and m["rewards/margins"] == 0
        )
    loss, _ = run_medpo(batch, spans, Config())
    assert abs(loss.item() - 0.7624) < 1e-4  # docs/METHOD.md: (1 + gamma) ln 2 with the defaults


def test_visual_term_counts_only_where_v_prime_exists():
    batch, spans = make_batch(same=True)
    loss, _ = run_medpo(batch, spans, Config(gamma=0.1), has_vis=torch.tensor([True, False, False]))
    assert abs(loss.item() - (LN2 + 0.1 * LN2 / 3)) < 1e-9


def test_visual_pair_variants_use_their_own_branches():
    batch, spans = make_batch(seed=2)
    cfg = Config(gamma=1.0, alpha=0.0)
    base, _ = run_medpo(batch, spans, Config(gamma=0.0, alpha=0.0))
    for variant, (win, lose) in {
        "reversed": ("rejected_vis", "chosen_vis"),
        "v1": ("chosen", "chosen_vis"),
        "v2": ("chosen", "rejected_vis"),
    }.items():
        cfg.vis_pair = variant
        got, _ = run_medpo(batch, spans, cfg)
        R = {}
        for k in (win, lose):
            lp = torch.log_softmax(batch[k]["pol"].detach(), -1).gather(
                -1, batch[k]["labels"][..., None]
            )[..., 0]
            lr = torch.log_softmax(batch[k]["ref"], -1).gather(-1, batch[k]["labels"][..., None])[
                ..., 0
            ]
            R[k] = ((lp - lr) * spans[k]).sum(-1)
        vis = -torch.nn.functional.logsigmoid(0.1 * (R[win] - R[lose])).mean()
        assert abs(got.item() - base.item() - float(vis)) < 1e-9, variant


def test_gradients_are_finite_and_reach_only_weighted_and_kl_positions():
    batch, spans = make_batch(seed=5)
    loss, _ = run_medpo(batch, spans, Config(gamma=0.1, alpha=0.01))  # w_out = 0: hard span mask
    loss.backward()
    for k, d in batch.items():
        gnorm = d["pol"].grad.abs().sum(-1)  # (B, T)
        assert torch.isfinite(d["pol"].grad).all()
        assert (gnorm[spans[k]] > 0).all() and (gnorm[~spans[k]] == 0).all(), k
        assert d["ref"].grad is None


def test_anchor_and_sft_terms_add_their_formulas():
    batch, spans = make_batch(seed=6)
    base, _ = run_medpo(batch, spans, Config())
    anch, _ = run_medpo(batch, spans, Config(anchor_weight=0.5))
    lp = torch.log_softmax(batch["chosen"]["pol"].detach(), -1).gather(
        -1, batch["chosen"]["labels"][..., None]
    )[..., 0]
    lr = torch.log_softmax(batch["chosen"]["ref"], -1).gather(
        -1, batch["chosen"]["labels"][..., None]
    )[..., 0]
    rc = ((lp - lr) * spans["chosen"]).sum(-1)
    want = 0.5 * -torch.nn.functional.logsigmoid(0.1 * rc).mean()
    assert abs((anch - base).item() - float(want)) < 1e-9


# ------------------------------------------------------------------------- 5-6. model and training
# Real (tiny) models of six architectures, built here, saved with save_pretrained and read back
# through AutoModelForImageTextToText / AutoProcessor. Nothing is downloaded.

CORPUS = (
    clinical.lexicon_words()
    + [
        "What modality is used to take this image?",
        "This is a CT scan.",
        "The lesion is on the left side.",
        "Is there a lesion in this image?",
        "Yes, there is a lesion.",
        "No, there is no lesion.",
    ]
    * 5
)


@pytest.fixture(scope="session")
def cache(tmp_path_factory):
    """The demo world and the warmed-up tiny model, built once for the whole session (or read
    from MEDPO_TEST_CACHE, a cache folder that an earlier run built)."""
    c = Path(os.environ.get("MEDPO_TEST_CACHE") or tmp_path_factory.mktemp("cache"))
    demo.ensure_demo(c)
    return c


@pytest.fixture(scope="session")
def arch_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("archs")
    return {a: tiny_models.build_tiny_vlm(a, root / a, CORPUS) for a in tiny_models.TINY_ARCHS}


@pytest.fixture(scope="session")
def pair_file(tmp_path_factory):
    """A small pair JSONL (DATA.md A2) with real images, boxes, and spans from build_pair."""
    d = tmp_path_factory.mktemp("pairs")
    rng = np.random.default_rng(0)
    rows = []
    for i, (resp, ref, question) in enumerate(
        [
            ("The lesion is on the left side.", "Right", "On which side is the lesion?"),
            ("This is a CT scan.", "MRI", "What modality is used?"),
            ("No, there is no lesion.", "Yes", "Is there a lesion in this image?"),
            ("The lesion is small.", "large", "How large is the lesion?"),
        ]
        * 2
    ):
        arr = rng.integers(0, 255, (72, 72), dtype=np.uint8)
        Image.fromarray(arr).save(d / f"img{i}.png")
        p = build_pair(resp, ref, question)
        rows.append(
            {
                "id": f"t{i}",
                "image": f"img{i}.png",
                "question": "What is seen?",  # the prompt the tolerances below were set on
                "answer": ref,
                "lesion": {"boxes": [[10, 10, 40, 40]], "mask": None, "labels": ["x"]},
            }
            | p
        )
    files.write_jsonl(
        d / "pairs.jsonl",
        [
            r | {k: [list(s) for s in r[k]] for k in ("chosen_spans", "rejected_spans")}
            for r in rows
        ],
    )
    return d / "pairs.jsonl"


def moved_policy(cfg):
    """(policy, processor, reference) with the LoRA adapter's B matrices drawn at random (seed
    0, the A matrices too): the policy is away from the reference, so every term of the loss
    and its gradient is non-trivial, and the numbers do not depend on the tests' order."""
    torch.manual_seed(0)
    model, processor, ref = medpo.load_model(cfg)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.5)
    return model, processor, ref


def small_cfg(**kw):
    return Config(
        **(
            {
                "lora_r": 8,
                "lora_alpha": 16,
                "per_device_train_batch_size": 2,
                "gradient_accumulation_steps": 1,
                "max_new_tokens": 12,
                "save_steps": 1000,
            }
            | kw
        )
    )


def load_pairs(path, cfg, n=2):
    return [medpo.load_images(r, cfg) for r in checks.read_samples(path)[:n]]


@pytest.mark.slow
@pytest.mark.parametrize("arch", tiny_models.TINY_ARCHS)
def test_every_architecture_starts_at_one_plus_gamma_ln2_and_trains(
    arch, arch_dirs, pair_file, tmp_path
):
    cfg = small_cfg(
        model_name_or_path=str(arch_dirs[arch]),
        data=str(pair_file),
        output_dir=str(tmp_path / "run"),
        max_steps=2,
        learning_rate=1e-3,
        merge=arch == "gemma3",
        full_finetune=arch == "llava",
        gradient_checkpointing=arch == "qwen2-vl",
    )
    model, processor, ref = medpo.load_model(cfg)
    loss, m = medpo.pair_loss(model, ref, processor, load_pairs(pair_file, cfg), cfg)
    assert (
        abs(loss.item() - 1.1 * LN2) < 1e-5
        and abs(m["kl/forward"]) < 1e-6
        and abs(m["kl/reverse"]) < 1e-6
    )
    if cfg.full_finetune:  # the reference is a frozen copy; the vision tower stays frozen
        assert ref is not None and not any(p.requires_grad for p in ref.parameters())
        assert not any(
            p.requires_grad for n, p in model.named_parameters() if "vision" in n or "embed" in n
        )
        assert (
            not model.get_output_embeddings().weight.requires_grad
        )  # HeadLogps needs a fixed head
    res = medpo.train(cfg)  # two real optimizer steps through the whole program
    rows = files.read_jsonl(tmp_path / "run" / "metrics.jsonl")
    assert res["steps"] == 2 and len(rows) == 2 and all(math.isfinite(r["loss"]) for r in rows)
    from transformers import AutoModelForImageTextToText, AutoProcessor

    if arch == "gemma3":  # --merge: a plain model folder
        AutoModelForImageTextToText.from_pretrained(tmp_path / "run" / "final")
    AutoProcessor.from_pretrained(tmp_path / "run" / "final")


@pytest.mark.slow
def test_only_lora_parameters_get_gradients_and_the_reference_never_moves(arch_dirs, pair_file):
    cfg = small_cfg(model_name_or_path=str(arch_dirs["qwen2.5-vl"]))
    model, processor, ref = medpo.load_model(cfg)
    pairs = load_pairs(pair_file, cfg)
    inputs = medpo.encode(
        processor, [(p["image"], p["question"], p["chosen"], []) for p in pairs], 1, 1
    ).inputs

    def ref_logits():
        with torch.no_grad(), model.disable_adapter():
            return model(**inputs).logits

    before = ref_logits()
    frozen = {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" not in n}
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=1.0)
    for _ in range(3):
        loss, _ = medpo.pair_loss(model, ref, processor, pairs, cfg)
        loss.backward()
        grads = {
            n for n, p in model.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0
        }
        assert grads and all("lora_" in n for n in grads)
        assert not any("visual" in n or "vision" in n for n in grads)  # the language model only
        opt.step(), opt.zero_grad()
    assert torch.equal(ref_logits(), before)  # adapter off = the original model, exactly
    assert all(torch.equal(p, frozen[n]) for n, p in model.named_parameters() if n in frozen)
    with torch.no_grad():
        assert not torch.allclose(model(**inputs).logits, before)  # while the policy did move


def full_logits_loss(model, processor, pairs, cfg):
    """The same MedPO loss computed the plain way: full (rows x length x vocab) logits from the
    model's own forward, log_softmax over everything, then masks."""
    branches = medpo.BRANCHES
    rows = [
        (
            p["image_vis" if b.endswith("_vis") else "image"],
            p["question"],
            p[b.split("_")[0]],
            p[b.split("_")[0] + "_spans"],
        )
        for b in branches
        for p in pairs
    ]
    batch = medpo.encode(processor, rows, cfg.w_in, cfg.w_out)
    inputs, answers = batch.inputs, batch.answers
    logits = model(**inputs).logits
    with torch.no_grad(), model.disable_adapter():
        ref_logits = model(**inputs).logits
    lp, lr = torch.log_softmax(logits.double(), -1), torch.log_softmax(ref_logits.double(), -1)
    B, R_pol, R_ref = len(pairs), {}, {}
    fkl, rkl = torch.zeros(B, dtype=torch.float64), torch.zeros(B, dtype=torch.float64)
    for bi, b in enumerate(branches):
        R_pol[b], R_ref[b] = (
            torch.zeros(B, dtype=torch.float64),
            torch.zeros(B, dtype=torch.float64),
        )
        for j in range(B):
            a = answers[bi * B + j]
            start, lab, w, span = a.start, a.labels, a.weights, a.in_span
            for t in range(len(lab)):
                pos = start + t - 1
                R_pol[b][j] = R_pol[b][j] + w[t] * lp[bi * B + j, pos, lab[t]]
                R_ref[b][j] = R_ref[b][j] + w[t] * lr[bi * B + j, pos, lab[t]]
                if b == "chosen" and span[t]:
                    P, Q = lp[j, pos], lr[j, pos]
                    fkl[j] = fkl[j] + (Q.exp() * (Q - P)).sum()
                    rkl[j] = rkl[j] + (P.exp() * (P - Q)).sum()
    return medpo.medpo_loss(R_pol, R_ref, fkl, rkl, torch.ones(B, dtype=torch.bool), cfg)[0]


@pytest.mark.slow
@pytest.mark.parametrize("arch", tiny_models.TINY_ARCHS)
def test_fast_and_plain_losses_equal_a_float64_full_logits_loss_and_gradients(
    arch, arch_dirs, pair_file
):
    cfg = small_cfg(
        model_name_or_path=str(arch_dirs[arch]),
        head_chunk=3,
        lora_dropout=0.0,
        alpha=0.5,
        w_out=0.3,
    )
    model, processor, ref = moved_policy(cfg)
    pairs = load_pairs(pair_file, cfg, n=3)
    lora = [p for n, p in model.named_parameters() if p.requires_grad]
    _, body = medpo.model_parts(model)
    real, seen = body.get_image_features, []
    body.get_image_features = lambda **kw: seen.append(kw) or real(**kw)
    fast, m = medpo.pair_loss(model, ref, processor, pairs, cfg)
    del body.get_image_features
    distinct = medpo.encode(
        processor,
        [(p[k], p["question"], "", []) for k in ("image", "image_vis") for p in pairs],
        1,
        0,
    ).inputs
    assert len(seen) == 1 and torch.equal(
        seen[0]["pixel_values"], distinct["pixel_values"]
    )  # 6 images, once: not 12 rows x 2 passes
    g_fast = torch.autograd.grad(fast, lora)
    slow = full_logits_loss(model, processor, pairs, cfg)
    g_slow = torch.autograd.grad(slow, lora)
    assert (
        abs(fast.item() - slow.item()) < 1e-5
        and abs(fast.item() - 1.1 * LN2) > 1e-3
        and m["kl/forward"] > 0
    )
    for a, b in zip(g_fast, g_slow, strict=False):
        assert torch.allclose(a, b, atol=1e-5, rtol=1e-4) and b.abs().max() > 1e-4
    plain, m_plain = medpo.pair_loss(model, ref, processor, pairs, replace(cfg, fast_loss=False))
    g_plain = torch.autograd.grad(plain, lora)  # medpo.plain_sums: the loss a reader learns
    assert abs(plain.item() - fast.item()) < 1e-5 and m_plain.keys() == m.keys()
    for a, b in zip(g_fast, g_plain, strict=True):
        assert torch.allclose(a, b, atol=1e-5, rtol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("arch", tiny_models.TINY_ARCHS)
def test_shared_prompts_give_the_same_loss_and_gradients_with_half_the_rows(
    arch, arch_dirs, pair_file
):
    """[prompt | y+ | y-] rows with a block mask and each token's own positions, against one
    row per answer, in float64 (where rounding cannot hide a wrong mask or position): the loss
    to 1e-10, every LoRA gradient to 1e-6 of its largest entry (measured: 1e-8 to 3e-7; the CPU
    attention kernels' backward under a block mask rounds at about that level)."""
    checkpointing = arch in ("qwen2-vl", "qwen3-vl")  # exact with activations recomputed
    cfg = small_cfg(model_name_or_path=str(arch_dirs[arch]), lora_dropout=0.0, alpha=0.5, w_out=0.3,
                    gradient_checkpointing=checkpointing)  # fmt: skip
    model, processor, ref = moved_policy(cfg)
    model.double()
    pairs = load_pairs(pair_file, cfg, n=3)
    lora = [p for p in model.parameters() if p.requires_grad]
    body, rows_seen = medpo.model_parts(model)[1], []
    hook = body.register_forward_pre_hook(
        lambda m, a, k: rows_seen.append(len(k["input_ids"])), with_kwargs=True
    )
    results = {}
    for share in (True, False):
        loss, metrics = medpo.pair_loss(
            model, ref, processor, pairs, dataclasses.replace(cfg, share_prefix=share)
        )
        results[share] = (loss.item(), torch.autograd.grad(loss, lora), metrics)
    hook.remove()
    assert rows_seen == [6, 6, 12, 12]  # (policy, reference) x (shared, one row per answer)
    (shared, g_shared, m_shared), (plain, g_plain, m_plain) = results[True], results[False]
    assert abs(shared - plain) < 1e-10 and abs(shared - 1.1 * LN2) > 1e-3
    for a, b in zip(g_shared, g_plain, strict=True):
        assert a.dtype == torch.float64 and b.abs().max() > 1e-5
        assert torch.allclose(a, b, atol=1e-6 * b.abs().max(), rtol=1e-6)
    assert m_shared["tokens/batch"] == m_plain["tokens/batch"]


@pytest.fixture(scope="session")
def questions_per_image(tmp_path_factory):
    """Pairs as in SLAKE and VQA-RAD, where an image is asked several questions: image a carries
    two questions, one of them twice with other answers; image b two more. Each image has its
    precomputed v', so v' is shared too."""
    d, rng = tmp_path_factory.mktemp("questions"), np.random.default_rng(1)
    for name in ("a", "a_vis", "b", "b_vis"):
        Image.fromarray(rng.integers(0, 255, (72, 72), dtype=np.uint8)).save(d / f"{name}.png")
    side, modality = "Which side is the lesion on?", "What modality is used to take this image?"
    asked = [
        ("a", side, "The lesion is on the left side.", "Right"),
        ("a", modality, "This is a CT scan.", "MRI"),
        ("a", side, "The lesion is on the right side.", "Left"),  # the same question again
        ("b", "Is there a lesion in this image?", "No, there is no lesion.", "Yes"),
        ("b", "What size is the lesion?", "The lesion is small.", "large"),
    ]
    rows = []
    for i, (image, question, answer, reference) in enumerate(asked):
        pair = build_pair(answer, reference, question)
        spans = {k: [list(s) for s in pair[k]] for k in ("chosen_spans", "rejected_spans")}
        paths = {"image": f"{image}.png", "corrupted_image": f"{image}_vis.png"}
        rows.append(
            {"id": f"q{i}", "question": question, "answer": reference} | paths | pair | spans
        )
    files.write_jsonl(d / "pairs.jsonl", rows)
    return d / "pairs.jsonl"


@pytest.mark.slow
@pytest.mark.parametrize("arch", tiny_models.TINY_ARCHS)
def test_images_under_several_questions_are_encoded_once_and_give_the_full_logits_loss(
    arch, arch_dirs, questions_per_image
):
    """Rows line up with distinct images only through image_index when an image carries several
    questions: 4 distinct images (a, b, a', b') under 5 pairs, one micro-batch. With prompts
    shared and not, the loss and every LoRA gradient equal the plain full-logits loss's, and
    the vision tower sees the 4 images once per step."""
    cfg = small_cfg(model_name_or_path=str(arch_dirs[arch]), lora_dropout=0.0, alpha=0.5, w_out=0.3)
    model, processor, ref = moved_policy(cfg)
    pairs = load_pairs(questions_per_image, cfg, n=5)
    lora = [p for p in model.parameters() if p.requires_grad]
    slow = full_logits_loss(model, processor, pairs, cfg)
    g_slow = torch.autograd.grad(slow, lora)
    body, seen = medpo.model_parts(model)[1], []
    real = body.get_image_features
    body.get_image_features = lambda **kw: seen.append(kw["pixel_values"]) or real(**kw)
    rows_seen = []
    hook = body.register_forward_pre_hook(
        lambda m, a, k: rows_seen.append(len(k["input_ids"])), with_kwargs=True
    )
    for share in (True, False):
        fast, _ = medpo.pair_loss(model, ref, processor, pairs, replace(cfg, share_prefix=share))
        g_fast = torch.autograd.grad(fast, lora)
        assert abs(fast.item() - slow.item()) < 1e-5 and abs(fast.item() - 1.1 * LN2) > 1e-3
        for a, b in zip(g_fast, g_slow, strict=True):
            assert torch.allclose(a, b, atol=1e-5, rtol=1e-4) and b.abs().max() > 1e-5
    hook.remove()
    del body.get_image_features
    assert rows_seen == [8, 8, 20, 20]  # (image, question) rows under v and v', else 5 x 4
    distinct = [(p[k], "q", "", []) for k in ("image", "image_vis") for p in (pairs[0], pairs[3])]
    four = medpo.encode(processor, distinct, 1, 0).inputs["pixel_values"]
    assert len(seen) == 2 and all(torch.equal(s, four) for s in seen)


@pytest.mark.slow
def test_an_untrained_tiny_qwen3_vl_from_the_command_line_trains_on_shared_images(
    questions_per_image, tmp_path, capsys
):
    """The smoke test a user runs before downloading the paper's Qwen3-VL-4B: `data_prep.py tiny
    --arch qwen3-vl`, then two steps of medpo.py on images that carry several questions, all 5
    pairs in each micro-batch, prompts shared and not: the first loss is (1 + gamma) ln 2."""
    model = tmp_path / "qwen3"
    data_prep.main(["tiny", "--arch", "qwen3-vl", "--out", str(model)])
    with pytest.raises(SystemExit):  # a folder with something in it is left alone
        data_prep.main(["tiny", "--arch", "llava", "--out", str(model)])
    assert "exists and is not an empty folder" in capsys.readouterr().err
    for share in ("true", "false"):
        out = tmp_path / f"run-{share}"
        flags = dict(model_name_or_path=model, data=questions_per_image, output_dir=out,
                     max_steps=2, num_train_epochs=2, per_device_train_batch_size=5,
                     gradient_accumulation_steps=1, share_prefix=share)  # fmt: skip
        assert medpo.main(cli_flags(**flags)) == 0
        rows = files.read_jsonl(out / "metrics.jsonl")
        assert len(rows) == 2 and all(math.isfinite(r["loss"]) for r in rows)
        assert abs(rows[0]["loss"] - 1.1 * LN2) < 1e-5


@pytest.mark.slow
def test_an_untested_architecture_checks_its_fast_path_on_the_first_step_and_falls_back(
    arch_dirs, pair_file, monkeypatch, capsys
):
    """Qwen3-VL pretended untested (TESTED_MODELS emptied): its first step computes the sums
    with shared images and prompts and with a plain forward. A right shared path is kept; one
    that gives rows another image's features, or one that raises, is dropped for the plain
    rows: one note, and both steps get the right loss."""
    cfg = small_cfg(model_name_or_path=str(arch_dirs["qwen3-vl"]), lora_dropout=0.0)
    model, processor, ref = moved_policy(cfg)
    pairs = load_pairs(pair_file, cfg)

    def loss():
        return medpo.pair_loss(model, ref, processor, pairs, cfg)[0].item()

    right, real = loss(), fast_loss.shared_images

    def wrong_images(model, inputs, batch):  # each row gets the next image's features
        shifted = (batch.image_index + 1) % (int(batch.image_index.max()) + 1)
        return real(model, inputs, dataclasses.replace(batch, image_index=shifted))

    def raises(model, batch):
        raise RuntimeError("The size of tensor a (72) must match the size of tensor b (36)")

    with monkeypatch.context() as m:
        m.setattr(fast_loss, "shared_images", wrong_images)
        assert abs(loss() - right) > 1e-4  # 5e-3: what the wrong fast path gives unchecked
    monkeypatch.setattr(fast_loss, "TESTED_MODELS", set())
    for name, fast, kept in [
        ("shared_images", real, True),
        ("shared_images", wrong_images, False),
        ("share_prefixes", raises, False),
    ]:
        with monkeypatch.context() as m:
            m.setattr(fast_loss, "FAST_PATH", fast_loss.weakref.WeakKeyDictionary())
            m.setattr(fast_loss, name, fast)
            losses = [loss(), loss()]  # the check on the first step only
            assert fast_loss.fast_path(model) is kept
        notes = [n for n in capsys.readouterr().out.splitlines() if "not tested here" in n]
        assert len(notes) == 1 and ("kept" in notes[0]) == kept, notes
        assert all(abs(x - right) < 1e-5 for x in losses), (losses, right)
    assert "raised RuntimeError: The size of tensor a (72)" in notes[0]


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["llava", "gemma3"])
def test_answer_scores_and_forced_choice_equal_full_logits(arch, arch_dirs, pair_file):
    """answer_logps (each image encoded once, the LM head on the answer rows only) against
    log_softmax of the model's own full logits; forced choice picks the argmax."""
    cfg = small_cfg(model_name_or_path=str(arch_dirs[arch]))
    model, processor, _ = medpo.load_model(cfg, for_generation=True)
    image = load_pairs(pair_file, cfg, n=1)[0]["image"]
    choices = ["The lesion is small.", "The lesion is large.", "Yes, there is a lesion."]
    got = evaluation.answer_logps(model, processor, [(image, "Which?", c) for c in choices])
    batch = medpo.encode(processor, [(image, "Which?", c, []) for c in choices], 1, 1)
    with torch.no_grad():
        logps = model(**batch.inputs).logits.double().log_softmax(-1)
    for i, a in enumerate(batch.answers):
        positions = torch.arange(a.start - 1, a.start - 1 + len(a.labels))
        assert abs(got[i] - logps[i, positions, a.labels].sum().item()) < 1e-4
    best = choices[int(np.argmax(got))]
    for reference, right in ((best, 1.0), (next(c for c in choices if c != best), 0.0)):
        sample = {"image": image, "question": "Which?", "answer": reference}
        scorer = lambda rows: evaluation.answer_logps(model, processor, rows)  # noqa: E731
        choice = scores.forced_choice([sample | {"meta": {"choices": choices}}], scorer)
        assert choice == {"choice_accuracy": right}


def test_lr_at_is_transformers_cosine_schedule_with_warm_up():
    from transformers import get_cosine_schedule_with_warmup

    for ratio, total in ((0.0, 7), (0.1, 50), (0.5, 4)):
        cfg = Config(learning_rate=3e-4, warmup_ratio=ratio, data="x.jsonl")
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=cfg.learning_rate)
        schedule = get_cosine_schedule_with_warmup(optimizer, int(ratio * total), total)
        for step in range(total):
            assert medpo.lr_at(step, cfg, total) == pytest.approx(schedule.get_last_lr()[0])
            optimizer.step()
            schedule.step()


def test_auto_flags_take_the_papers_values_or_the_demos():
    paper = Config(data="train.jsonl", model_name_or_path="google/medgemma-4b-it")
    assert (paper.lora_r, paper.lora_alpha, paper.learning_rate) == (128, 256, 1e-6)
    assert paper.corruption == "lesion_noise"
    demo_cfg = Config()  # the tiny model on the demo world
    assert all(getattr(demo_cfg, k) == v for k, v in demo.DEMO_DEFAULTS.items())
    assert Config(lora_r=4, corruption="crop").lora_r == 4  # a value given is kept
    assert Config(lora_r=4, corruption="crop").corruption == "crop"


@pytest.mark.slow
def test_a_trained_lm_head_is_refused_with_a_clear_error(arch_dirs, pair_file):
    cfg = small_cfg(
        model_name_or_path=str(arch_dirs["qwen2.5-vl"]),
        lora_target=r".*(layers\.0\.self_attn\.q_proj|lm_head)",
    )
    model, processor, ref = medpo.load_model(cfg)
    with pytest.raises(ValueError, match="LM head must be a frozen nn.Linear"):
        medpo.pair_loss(model, ref, processor, load_pairs(pair_file, cfg), cfg)


def trainable(model):
    return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}


@pytest.mark.slow
def test_cli_demo_run_from_a_yaml_config_logs_to_tensorboard_and_its_adapter_scores(
    cache, tmp_path
):
    """python medpo.py --data demo --config run.yaml (max_steps 2, report_to tensorboard): two
    metric rows, tensorboard event files with the same keys, a model card in final/; the flag on
    the command line wins over the file's; then `medpo.py eval --adapter final/` scores it."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    out = tmp_path / "run"
    config = tmp_path / "run.yaml"
    config.write_text("max_steps: 2\nreport_to: tensorboard\neval_limit: 16\nsave_steps: 5\n")
    flags = ["--data", "demo", "--config", str(config), "--cache_dir", str(cache)]
    flags += ["--output_dir", str(out), "--eval_limit", "12"]  # the command line wins
    r = subprocess.run([sys.executable, str(HERE / "medpo.py"), *flags], capture_output=True,
                       text=True, timeout=600, cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]
    metrics = files.read_jsonl(out / "metrics.jsonl")
    assert [m["step"] for m in metrics] == [1, 2]
    assert abs(metrics[0]["loss"] - 1.1 * LN2) < 1e-5  # step 0: policy == reference
    keys = ["loss/pref", "loss/vis", "loss/kl", "kl/forward", "kl/reverse", "rewards/margins",
            "rewards/accuracies", "rewards/grounding", "tokens/weighted_chosen",
            "pairs/model_correct", "tokens_per_s", "peak_mem_gb", "lr", "grad_norm"]  # fmt: skip
    assert all(k in metrics[0] for k in keys), [k for k in keys if k not in metrics[0]]
    events = EventAccumulator(str(next((out / "runs").rglob("events.out.tfevents.*")).parent))
    logged = events.Reload().Tags()["scalars"]
    assert set(keys) <= set(logged) and len(events.Scalars("loss")) == 2
    pairs = files.read_jsonl(out / "pairs.jsonl")
    assert len(pairs) > 100 and all(p["chosen"] != p["rejected"] for p in pairs)
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["eval_after"]["eval/examples"]) == 8 and "eval_before" in r.stdout
    assert json.loads((out / "run_config.json").read_text())["eval_limit"] == 12
    card = (out / "final" / "README.md").read_text()
    assert "base_model:" in card and "max_steps" in card and "eval/accuracy" in card
    scored = tmp_path / "scored"
    flags = ["eval", "--adapter", str(out / "final"), "--data", "demo", "--cache_dir", str(cache)]
    assert medpo.main([*flags, "--output_dir", str(scored), "--eval_limit", "12"]) == 0
    per_sample = files.read_jsonl(scored / "samples.jsonl")
    assert len(per_sample) == 12 and {"question", "reference", "answer", "right"} <= set(
        per_sample[0]
    )
    found = json.loads((scored / "scores.json").read_text())
    assert found["closed/n"] + found["open/n"] == 12


def test_eval_scores_answers_made_elsewhere_without_a_model(img_dir, tmp_path, monkeypatch):
    """medpo.py eval --predictions: scores.json and samples.jsonl from a JSONL of {id, answer},
    with no model loaded; an unknown id stops it before any work, naming the file and line."""
    rows = [
        dict(GOOD, id="c1", question="Is there a pleural effusion?", answer="yes",
             meta={"answer_type": "CLOSED"}),
        dict(GOOD, id="c2", question="Is the heart enlarged?", answer="no",
             meta={"answer_type": "CLOSED"}),
        dict(GOOD, id="o1", question="Which lung is affected?", answer="Left lung",
             meta={"answer_type": "OPEN"}),
    ]  # fmt: skip
    data = write_lines(img_dir / "test.jsonl", [json.dumps(r) for r in rows])
    answers = ["Yes, there is a small pleural effusion.", "Yes, the heart is enlarged.",
               "The left lower lobe."]  # fmt: skip
    preds = write_lines(
        tmp_path / "answers.jsonl",
        [json.dumps({"id": r["id"], "answer": a}) for r, a in zip(rows, answers, strict=True)],
    )
    monkeypatch.setattr(medpo, "load_model", lambda *a, **k: pytest.fail("a model was loaded"))
    flags = ["eval", "--data", str(data), "--predictions", str(preds)]
    assert medpo.main([*flags, "--output_dir", str(tmp_path / "D")]) == 0
    found = json.loads((tmp_path / "D" / "scores.json").read_text())
    assert (found["closed/accuracy"], found["closed/n"], found["open/n"]) == (0.5, 2, 1)
    assert found["open/accuracy"] == 1.0 and found["open/recall"] == 0.5  # "left" of left lung
    bad = write_lines(tmp_path / "bad.jsonl", [json.dumps({"id": "zz", "answer": "yes"})])
    assert (
        medpo.main([*flags[:3], "--predictions", str(bad), "--output_dir", str(tmp_path / "E")])
        == 2
    )
    assert not (tmp_path / "E").exists()


@pytest.mark.slow
def test_training_on_the_demo_world_raises_margins_and_lowers_the_loss(cache, tmp_path):
    res = medpo.train(
        Config(
            data="demo",
            cache_dir=str(cache),
            output_dir=str(tmp_path / "r"),
            max_steps=40,
            learning_rate=5e-4,
            eval_data=str(demo.ensure_demo(cache) / "val.jsonl"),
            eval_limit=24,
        )
    )
    rows = files.read_jsonl(tmp_path / "r" / "metrics.jsonl")
    first, last = rows[:8], rows[-8:]

    def mean(rs, k):
        return sum(r[k] for r in rs) / len(rs)

    assert mean(last, "rewards/margins") > mean(first, "rewards/margins") + 0.05
    assert mean(last, "loss") < mean(first, "loss") - 0.01
    assert "eval_after" in res and 0 <= res["eval_after"]["eval/accuracy"] <= 1


def test_demo_world_is_deterministic_byte_for_byte(tmp_path):
    import hashlib

    for d in ("a", "b"):
        r = subprocess.run(
            [sys.executable, str(HERE / "data_prep.py"), "demo", "--out", str(tmp_path / d)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr[-2000:]

    def digest(d):
        paths = [p for p in sorted(d.rglob("*")) if p.is_file()]
        return {
            p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths
        }

    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert a == b and len(a) == 3 + sum(demo.DEMO_SPLITS.values())  # 3 JSONL + the images


def test_demo_answers_agree_with_the_pixels(tmp_path):
    """Each lesion is a bright blob inside its box, on the side and of the size the answers say
    (radiological convention: the patient's right is on the image's left)."""
    paths = demo.make_demo(tmp_path)
    rows = checks.read_samples(paths["val"])
    kinds = Counter(r["meta"]["kind"] for r in rows)
    assert set(kinds) == set(demo.DEMO_QUESTIONS) and kinds["side"] == kinds["size"] >= 75
    for r in rows:
        assert r["answer"] in r["meta"]["choices"]
        if not r["lesion"]:
            kind = r["meta"]["kind"]
            assert kind in ("modality", "organ") or r["answer"].startswith(
                ("No, there", "Yes, the")
            )
            continue
        x0, y0, x1, y1 = r["lesion"]["boxes"][0]
        pixels = np.asarray(Image.open(r["image"]), dtype=float)
        cy, cx = (y0 + y1) // 2, (x0 + x1) // 2
        ring = np.zeros(pixels.shape, bool)  # the tissue just outside the box
        ring[max(0, y0 - 3) : y1 + 3, max(0, x0 - 3) : x1 + 3] = True
        ring[y0:y1, x0:x1] = False
        contrast = pixels[cy - 1 : cy + 2, cx - 1 : cx + 2].mean() - pixels[ring].mean()
        assert contrast > (10 if r["meta"]["faint"] else 40)  # faint lesions are meant to be hard
        if r["meta"]["kind"] == "side":
            assert ("left" in r["answer"]) == ((x0 + x1) / 2 > demo.DEMO_SIZE / 2)
        if r["meta"]["kind"] == "size":
            assert ("small" in r["answer"]) == (x1 - x0 < 36)


@pytest.mark.slow
def test_the_shipped_demo_model_is_the_one_the_builder_makes_and_the_warm_up_trains(tmp_path):
    """demo_model/ holds the warmed-up tiny LLaVA as tiny_model(build=True) makes it on this
    project's machines: the same architecture, tokenizer and chat template as a fresh build
    from today's code, read back through from_pretrained; the warm-up moves the weights."""
    from transformers import AutoConfig, AutoProcessor

    shipped = tiny_models.tiny_model(tmp_path / "cache")
    assert shipped.parent == tiny_models.SHIPPED  # nothing was built: it ships
    fresh = tiny_models.build_tiny_vlm(
        "llava", tmp_path / "fresh", tiny_models.demo_corpus(), hidden=128, vision_hidden=128
    )

    def architecture(folder):  # the config without where it was read from or its saved dtype
        config = AutoConfig.from_pretrained(folder).to_dict()
        drop = {"dtype", "_name_or_path"}
        return {k: {**v, "dtype": None} if isinstance(v, dict) else v for k, v in config.items()
                if k not in drop}  # fmt: skip

    assert architecture(shipped) == architecture(fresh)
    a, b = AutoProcessor.from_pretrained(fresh), AutoProcessor.from_pretrained(shipped)
    assert a.tokenizer.get_vocab() == b.tokenizer.get_vocab()
    assert a.chat_template == b.chat_template
    before = load_file(fresh / "model.safetensors")
    tiny_models.warm_up(fresh, steps=2, batch=2)
    after = load_file(fresh / "model.safetensors")
    assert any(not torch.equal(before[k], after[k]) for k in before)


def test_warm_up_images_put_faint_lesions_on_the_left_and_the_splits_do_not():
    """The prior-vs-evidence design: in the warm-up, faint lesions lie on the left; in the
    splits they lie on either side, so where the evidence is faint the prior is wrong half of
    the time. Clear lesions are balanced everywhere, and half of the images have a lesion."""
    backgrounds, rng = demo.demo_backgrounds(), np.random.default_rng(0)
    warm_world = demo.DEMO_WORLD | demo.DEMO_PRIOR
    warm = [demo.demo_image(backgrounds, rng, warm_world)[1] for _ in range(600)]
    even = [demo.demo_image(backgrounds, rng, demo.DEMO_WORLD)[1] for _ in range(600)]

    def left(truths, faint):
        return np.mean(
            [
                t["lesion"]["side"] == "left"
                for t in truths
                if t["lesion"] and t["lesion"]["faint"] == faint
            ]
        )

    assert left(warm, True) > 0.8 and 0.4 < left(warm, False) < 0.6
    assert 0.35 < left(even, True) < 0.65 and 0.4 < left(even, False) < 0.6
    assert 0.4 < np.mean([t["lesion"] is not None for t in even]) < 0.6


def test_help_lists_every_flag():
    r = subprocess.run(
        [sys.executable, str(HERE / "medpo.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0
    for f in medpo.Config.__dataclass_fields__:
        assert f"--{f}" in r.stdout, f


# --------------------------------------------------------------------------------------- bad input


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def img_dir(tmp_path):
    Image.new("L", (50, 40), 100).save(tmp_path / "a.png")
    return tmp_path


GOOD = {"id": "x1", "image": "a.png", "question": "Which side?", "answer": "Left."}


@pytest.mark.parametrize(
    "row,message",
    [
        ("{not json", r"data.jsonl:2: not valid JSON"),
        (
            json.dumps({k: v for k, v in GOOD.items() if k != "question"}),
            r"data.jsonl:2: field 'question'.*missing",
        ),
        (
            json.dumps(GOOD | {"answer": 3}),
            r"data.jsonl:2: field 'answer': expected a non-empty string",
        ),
        (
            json.dumps(GOOD | {"image": "nope.png"}),
            r"data.jsonl:2: field 'image': expected a readable image file",
        ),
        (
            json.dumps(GOOD | {"lesion": {"boxes": [[60, 10, 70, 20]]}}),
            r"data.jsonl:2: field 'lesion.boxes'.*inside the 50x40",
        ),
        (
            json.dumps(GOOD | {"lesion": {"boxes": [[10, 10, 5, 20]]}}),
            r"data.jsonl:2: field 'lesion.boxes'.*x1 > x0",
        ),
        (json.dumps(GOOD | {"lesion": {"mask": "m.png"}}), r"data.jsonl:2: field 'lesion.mask'"),
    ],
)
def test_bad_sample_files_name_the_file_line_and_field(img_dir, row, message):
    path = write_lines(img_dir / "data.jsonl", [json.dumps(GOOD), row])
    with pytest.raises(ValueError, match=message):
        checks.read_samples(path)


def test_bad_pair_spans_and_empty_files_are_refused(img_dir):
    pair = GOOD | {
        "chosen": "Left.",
        "rejected": "Right.",
        "chosen_spans": [[0, 4]],
        "rejected_spans": [[0, 40]],
    }
    with pytest.raises(ValueError, match=r":1: field 'rejected_spans'"):
        checks.read_samples(write_lines(img_dir / "p.jsonl", [json.dumps(pair)]))
    with pytest.raises(ValueError, match="no samples"):
        checks.read_samples(write_lines(img_dir / "e.jsonl", [""]))
    with pytest.raises(ValueError, match="no such file"):
        checks.read_samples(img_dir / "missing.jsonl")


def test_bad_data_is_refused_before_any_model_is_loaded(img_dir, monkeypatch):
    monkeypatch.setattr(
        medpo, "load_model", lambda cfg: pytest.fail("model loaded before the data was checked")
    )
    path = write_lines(img_dir / "data.jsonl", [json.dumps(GOOD | {"image": "gone.png"})])
    with pytest.raises(ValueError, match="gone.png"):
        medpo.train(Config(data=str(path), output_dir=str(img_dir / "out")))


def test_an_unknown_model_id_without_network_says_what_to_do(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(
        ValueError, match=r"(?s)could not load model 'no-such-org/no-such-model'.*hf download"
    ):
        medpo.load_model(Config(model_name_or_path="no-such-org/no-such-model"))


# ------------------------------------------------------------------ nothing lost, nothing silent
# Crashes at every point of a checkpoint save, signals during backward, non-finite steps, and bad
# input of every kind: each is caught where it should be, and nothing is lost.


def run_cfg(arch_dirs, pair_file, out, **kw):
    base = dict(model_name_or_path=str(arch_dirs["qwen2.5-vl"]), data=str(pair_file))
    base |= dict(
        output_dir=str(out), save_steps=1, learning_rate=1e-3, gradient_accumulation_steps=1
    )
    return small_cfg(**(base | kw))


def final_state(out):
    newest = checkpoints.complete_checkpoints(Path(out))[0]
    rows = files.read_jsonl(Path(out) / "metrics.jsonl")
    return newest.name, load_file(newest / "trainable.safetensors"), [r["loss"] for r in rows]


def same_run(a, b):
    assert a[0] == b[0] and a[2] == b[2]  # the same last step and the same losses, exactly
    assert a[1].keys() == b[1].keys() and all(torch.equal(a[1][k], b[1][k]) for k in a[1])


class Interrupted(Exception):
    pass


def stop_at_3(step, row):
    if step == 3:
        raise Interrupted


@pytest.mark.slow
def test_a_crash_anywhere_in_a_checkpoint_save_resumes_from_the_last_complete_one(
    arch_dirs, pair_file, tmp_path, monkeypatch
):
    medpo.train(run_cfg(arch_dirs, pair_file, tmp_path / "whole", max_steps=4))
    whole = final_state(tmp_path / "whole")
    calls = {"n": 0, "crash_at": 0}
    primitives = [(torch, "save"), (checkpoints, "save_file"), (files, "fsync_path")]
    primitives += [(os, "rename"), (os, "replace"), (shutil, "rmtree")]
    for module, name in primitives:
        real = getattr(module, name)

        def crashing(*a, real=real, **k):
            calls["n"] += 1
            if calls["n"] == calls["crash_at"]:
                raise OSError("injected crash")
            return real(*a, **k)

        monkeypatch.setattr(module, name, crashing)
    crash_points = 0
    for crash_at in range(1, 60):
        out = tmp_path / f"crash{crash_at}"
        with pytest.raises(Interrupted):  # a run of 4 steps, stopped during step 3: 2 saved
            medpo.train(run_cfg(arch_dirs, pair_file, out, max_steps=4), on_step=stop_at_3)
        calls.update(n=0, crash_at=crash_at)
        try:
            medpo.train(run_cfg(arch_dirs, pair_file, out, max_steps=4, resume=True))
        except OSError:
            crash_points += 1
            calls["crash_at"] = 0
            newest = checkpoints.complete_checkpoints(out)[0].name
            assert newest in ("checkpoint-000002", "checkpoint-000003", "checkpoint-000004")
            medpo.train(run_cfg(arch_dirs, pair_file, out, max_steps=4, resume=True))
            print(f"crash at call {crash_at}: resumed from {newest}")
            same_run(final_state(out), whole)  # resumed exactly; later saves worked
            continue
        break  # crash_at is past the last primitive of the run: every point was tried
    assert crash_points >= 12


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_signal_during_backward_saves_a_step_boundary_and_resumes_bit_for_bit(
    signal_name, arch_dirs, pair_file, tmp_path
):
    import signal

    medpo.train(run_cfg(arch_dirs, pair_file, tmp_path / "whole", max_steps=5, lora_dropout=0.3))
    whole = final_state(tmp_path / "whole")
    cfg = run_cfg(arch_dirs, pair_file, tmp_path / "cut", max_steps=5, lora_dropout=0.3)
    real, calls = medpo.HeadLogps.backward, {"n": 0}

    def backward(ctx, *grads):  # the third step's backward: the signal arrives mid-step
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), getattr(signal, signal_name))
        return real(ctx, *grads)

    medpo.HeadLogps.backward = staticmethod(backward)
    try:
        with pytest.raises(KeyboardInterrupt, match=f"{signal_name}: stopped after step 3"):
            medpo.train(cfg)
    finally:
        medpo.HeadLogps.backward = staticmethod(real)
    assert checkpoints.complete_checkpoints(tmp_path / "cut")[0].name == "checkpoint-000003"
    medpo.train(dataclasses.replace(cfg, resume=True))
    same_run(final_state(tmp_path / "cut"), whole)


@pytest.mark.slow
def test_non_finite_steps_are_skipped_then_stop_and_are_never_saved(
    arch_dirs, pair_file, tmp_path, monkeypatch
):
    real, calls = medpo.pair_loss, {"n": 0}

    def flaky(*a, **k):  # the third micro-batch's loss is NaN
        loss, m = real(*a, **k)
        calls["n"] += 1
        return (loss * float("nan") if calls["n"] == 3 else loss), m

    monkeypatch.setattr(medpo, "pair_loss", flaky)
    medpo.train(run_cfg(arch_dirs, pair_file, tmp_path / "skip", max_steps=4))
    rows = files.read_jsonl(tmp_path / "skip" / "metrics.jsonl")
    assert [r["skipped"] for r in rows] == [0, 0, 1, 0] and len(rows) == 4
    _, weights, _ = final_state(tmp_path / "skip")
    assert all(torch.isfinite(w).all() for w in weights.values())
    monkeypatch.setattr(medpo, "pair_loss", real)
    huge = run_cfg(
        arch_dirs, pair_file, tmp_path / "huge", max_steps=6, beta=3e38
    )  # finite loss, NaN gradient
    with pytest.raises(FloatingPointError, match=r"step 3: grad_norm not finite \(3 in a row\)"):
        medpo.train(huge)
    assert not checkpoints.complete_checkpoints(tmp_path / "huge") or all(
        torch.isfinite(w).all() for w in final_state(tmp_path / "huge")[1].values()
    )
    stop = run_cfg(
        arch_dirs, pair_file, tmp_path / "stop", max_steps=6, beta=3e38, nan_policy="stop"
    )
    with pytest.raises(FloatingPointError, match=r"step 1: grad_norm not finite"):
        medpo.train(stop)


@pytest.mark.slow
def test_resume_refuses_changed_flags_allows_more_steps_and_drops_a_torn_line(
    arch_dirs, pair_file, tmp_path
):
    cfg = run_cfg(arch_dirs, pair_file, tmp_path, max_steps=2)
    medpo.train(cfg)
    with pytest.raises(ValueError, match="holds a run"):
        medpo.train(cfg)
    with pytest.raises(ValueError, match=r"other flags: --beta 0.1 \(now 0.2\)"):
        medpo.train(dataclasses.replace(cfg, resume=True, beta=0.2))
    with open(tmp_path / "metrics.jsonl", "a") as f:
        f.write('{"step": 3, "lo')  # a crash mid-write
    summary = medpo.train(dataclasses.replace(cfg, resume=True, max_steps=3))
    assert summary["steps"] == 3
    assert [r["step"] for r in files.read_jsonl(tmp_path / "metrics.jsonl")] == [1, 2, 3]


def cli(*flags, cwd=None):
    command = [sys.executable, str(HERE / "medpo.py"), *flags]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize(
    "flag,value",
    [("beta", "-1"), ("lam", "2"), ("gamma", "-1"), ("num_train_epochs", "0"),
     ("max_steps", "0"), ("per_device_train_batch_size", "0"), ("head_chunk", "0"),
     ("gradient_accumulation_steps", "0"), ("save_steps", "0"), ("learning_rate", "-1")],
)  # fmt: skip
def test_bad_flags_stop_the_command_line_with_one_line_and_write_nothing(
    flag, value, tmp_path, capsys
):
    code = medpo.main([f"--{flag}", value, "--output_dir", str(tmp_path / "out"), "--data", "x"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: --{flag} {value}") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_bad_flag_ends_the_process_with_exit_code_2_and_no_traceback(tmp_path):
    r = cli("--beta", "-1", "--output_dir", str(tmp_path / "out"), "--data", "x.jsonl")
    assert r.returncode == 2 and r.stderr.startswith("error: --beta -1")
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()


def test_max_grad_norm_0_means_no_clipping_as_in_the_ecosystem():
    cfg = Config(max_grad_norm=0)
    assert cfg.max_grad_norm == 0  # accepted: optimizer_step then clips at infinity


def png_with_header_only(path, width, height):
    """A PNG whose header says width x height and whose pixels are never there: a decompression
    bomb, refused before decoding."""
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(b"\0" * 100))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + header + pixels + chunk(b"IEND", b""))


@pytest.mark.parametrize(
    "problem,message",
    [
        ("truncated", r"field 'image': expected a readable image file"),
        ("huge", r"field 'image': expected at most 100,000,000 pixels"),
        ("vprime_size", r"field 'corrupted_image': expected a 50x40 image like 'image'"),
        ("vprime_truncated", r"field 'corrupted_image': expected a readable image file"),
        ("boxes_number", r"field 'lesion.boxes': expected a list of \[x0, y0, x1, y1\] boxes"),
        ("boxes_infinite", r"field 'lesion.boxes': expected \[x0, y0, x1, y1\] finite"),
        ("boxes_bool", r"field 'lesion.boxes': expected \[x0, y0, x1, y1\] finite"),
        ("mask_shape", r"field 'lesion.mask': expected a 50x40 image like 'image'"),
        ("mask_not_image", r"field 'lesion.mask': expected a readable image file"),
        ("meta_list", r"field 'meta': expected an object"),
        ("utf8", r"data.jsonl:2: not UTF-8 text"),
        ("duplicate_id", r"field 'id': expected a unique id, 'x1' is on line 1 too"),
    ],
)
def test_bad_images_boxes_masks_and_lines_are_stopped_at_the_door(img_dir, problem, message):
    good = (img_dir / "a.png").read_bytes()
    (img_dir / "cut.png").write_bytes(good[: len(good) // 2])
    png_with_header_only(img_dir / "huge.png", 20000, 20000)
    Image.new("L", (30, 30)).save(img_dir / "small.png")
    (img_dir / "text.png").write_text("not an image")
    row = dict(GOOD, id="x2")
    row |= {
        "truncated": {"image": "cut.png"},
        "huge": {"image": "huge.png"},
        "vprime_size": {"corrupted_image": "small.png"},
        "vprime_truncated": {"corrupted_image": "cut.png"},
        "boxes_number": {"lesion": {"boxes": 5}},
        "boxes_infinite": {"lesion": {"boxes": [[1, 1, float("inf"), 5]]}},
        "boxes_bool": {"lesion": {"boxes": [[True, 1, 5, 5]]}},
        "mask_shape": {"lesion": {"mask": "small.png"}},
        "mask_not_image": {"lesion": {"mask": "text.png"}},
        "meta_list": {"meta": [1]},
        "duplicate_id": {"id": "x1"},
        "utf8": {},
    }[problem]
    lines = [json.dumps(GOOD), json.dumps(row)]
    path = write_lines(img_dir / "data.jsonl", lines)
    if problem == "utf8":
        path.write_bytes(
            json.dumps(GOOD).encode() + b"\n" + json.dumps(row).encode()[:-2] + b'\xff"}\n'
        )
    with pytest.raises(ValueError, match=message):
        checks.read_samples(path)
    meta_null = write_lines(img_dir / "ok.jsonl", [json.dumps(GOOD | {"meta": None})])
    assert checks.read_samples(meta_null)[0]["meta"] == {}


def test_an_output_dir_that_is_a_file_is_refused_before_anything_is_loaded(tmp_path):
    (tmp_path / "taken").write_text("a file")
    r = cli(
        "--output_dir",
        str(tmp_path / "taken"),
        "--data",
        "demo",
        "--cache_dir",
        str(tmp_path / "c"),
    )
    assert r.returncode == 2 and "is a file" in r.stderr and not (tmp_path / "c").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "change,message",
    [
        (
            dict(rejected="The lesion is on the right side."),  # the chosen text again
            "field 'rejected': expected a text that differs",
        ),
        (
            dict(chosen_spans=[[0, 3]], rejected_spans=[[0, 3]]),
            "expected spans over the words that differ",
        ),
        (dict(max_completion_length=2), "lie past --max_completion_length 2 tokens"),
    ],
)
def test_pairs_that_cannot_teach_are_refused_before_the_model_loads(
    change, message, arch_dirs, img_dir, monkeypatch
):
    pair = GOOD | build_pair("The lesion is on the left side.", "Right") | {"question": "Where?"}
    pair = pair | {k: v for k, v in change.items() if k != "max_completion_length"}
    path = write_lines(img_dir / "pairs.jsonl", [json.dumps(pair)])
    monkeypatch.setattr(medpo, "load_model", lambda *a, **k: pytest.fail("the model was loaded"))
    cfg = small_cfg(
        model_name_or_path=str(arch_dirs["llava"]), data=str(path), output_dir=str(img_dir / "o")
    )
    cfg = dataclasses.replace(cfg, max_completion_length=change.get("max_completion_length", 256))
    with pytest.raises(ValueError, match=message):
        medpo.train(cfg)


def test_a_missing_folder_and_an_offline_hub_id_fail_at_once_saying_which(monkeypatch, tmp_path):
    import time as clock

    with pytest.raises(ValueError, match="no such folder"):
        data_prep.load_processor(Config(model_name_or_path=str(tmp_path / "nope")))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t0 = clock.time()
    with pytest.raises(ValueError, match=r"(?s)not in the local Hugging Face cache.*hf download"):
        data_prep.load_processor(Config(model_name_or_path="no-such-org/no-such-model"))
    assert clock.time() - t0 < 10


def test_a_32_bit_grey_image_is_stretched_not_clipped_and_v_prime_is_the_same_every_time(tmp_path):
    pixels = np.linspace(0, 1e6, 64 * 48).reshape(48, 64).astype(np.int32)
    Image.fromarray(pixels, mode="I").save(tmp_path / "deep.tif")
    sample = {"id": "d", "image": str(tmp_path / "deep.tif"), "question": "q", "answer": "a"}
    loads = [medpo.load_images(sample, Config(max_image_side=32)) for _ in range(2)]
    image = np.asarray(loads[0]["image"])
    assert image.shape == (24, 32, 3)  # downscaled to the longer side asked for
    assert image.min() < 10 and image.max() > 245 and (image < 255).mean() > 0.9  # not clipped
    vprime = [np.asarray(load["image_vis"]) for load in loads]
    assert np.array_equal(vprime[0], vprime[1]) and not np.array_equal(vprime[0], image)


def test_converters_keep_ids_inside_the_output_folder_and_name_malformed_fields(tmp_path):
    root = tmp_path / "rsna"
    (root / "stage_2_train_images").mkdir(parents=True)
    rows = ["patientId,x,y,width,height,Target", "../../escape,10,10,20,20,1", "p2,abc,10,20,20,1"]
    (root / "stage_2_train_labels.csv").write_text("\n".join(rows) + "\n")
    dicom = (
        root / "stage_2_train_images" / "_.._escape.dcm"
    )  # the id's safe name: no '/', no leading '.'
    write_dicom(dicom, np.zeros((64, 64), np.uint16))
    reports = [
        converters.convert("rsna", root, tmp_path / "out" / "o.jsonl", split)
        for split in ("train", "test")
    ]
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.png"))
    assert (
        all(p.parts[0] == "out" for p in written) and not (tmp_path.parent / "escape.png").exists()
    )
    skipped = reports[0].skipped + reports[1].skipped
    assert skipped == Counter({"field 'x': expected a number, got 'abc'": 1})
    assert "stage_2_train_labels.csv:3" in str(reports[0]) + str(reports[1])


# ------------------------------------------------------------------------- real dataset converters
# Small fixture trees in each dataset's published layout (DATA.md part B), made here.


def png(path, size=(64, 48), mode="L", value=90):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, value).save(path)
    return path


def converted(dataset, root, tmp_path, split="train", **kw):
    out = tmp_path / "out" / f"{dataset}.jsonl"
    rep = converters.convert(dataset, root, out, split, **kw)
    return rep, checks.read_samples(out) if rep.written else []


def test_slake_converter_reads_english_rows_boxes_and_masks(tmp_path):
    root = tmp_path / "SLAKE"
    png(root / "imgs/xmlab1/source.jpg", (100, 80))
    (root / "imgs/xmlab1/detection.json").write_text(
        json.dumps(
            [{"Liver": [10.0, 20.0, 30.0, 15.0]}, {"Liver Cancer": [40.0, 30.0, 10.0, 12.0]}]
        )
    )
    mask = np.zeros((80, 100), np.uint8)
    mask[30:42, 40:50] = 175  # Liver Cancer
    mask[20:35, 10:40] = 70  # Liver
    Image.fromarray(mask).save(root / "imgs/xmlab1/mask.png")
    (root / "mask.txt").write_text("70:Liver\n175:Liver Cancer\n245:Lung Cancer\n")
    base = {
        "img_id": 1,
        "img_name": "xmlab1/source.jpg",
        "location": "Abdomen",
        "modality": "CT",
        "answer_type": "OPEN",
        "base_type": "vqa",
        "content_type": "Organ",
        "triple": ["vhead", "_", "_"],
    }
    rows = [
        base
        | {"qid": 1, "question": "Where is the liver cancer?", "answer": "Right", "q_lang": "en"},
        base | {"qid": 2, "question": "肝在哪里", "answer": "左", "q_lang": "zh"},
        base | {"qid": 3, "question": "What modality is this?", "answer": "CT", "q_lang": "en"},
        base
        | {
            "qid": 4,
            "img_name": "xmlab9/source.jpg",
            "question": "Is it normal?",
            "answer": "No",
            "q_lang": "en",
        },
    ]
    (root / "validate.json").write_text(
        json.dumps(rows)
    )  # the original name; the HF copy says validation.json
    rep, out = converted("slake", root, tmp_path, split="validation")
    assert (rep.read, rep.written) == (4, 2) and rep.skipped == Counter(
        {"q_lang is not en": 1, "image missing": 1}
    )
    a, b = out
    assert a["id"] == "slake:1" and a["answer"] == "Right" and Path(a["image"]).name == "source.jpg"
    assert a["lesion"]["boxes"] == [[40.0, 30.0, 50.0, 42.0]] and a["lesion"]["labels"] == [
        "Liver Cancer"
    ]  # x,y,w,h -> corners
    m = np.asarray(Image.open(a["lesion"]["mask"]))
    assert (
        m.shape == (80, 100) and m[30:42, 40:50].all() and m.sum() == 12 * 10 * 255
    )  # only the lesion's label value
    assert (
        b["lesion"]["boxes"] == [[10.0, 20.0, 40.0, 35.0], [40.0, 30.0, 50.0, 42.0]]
        and b["lesion"]["mask"] is None
    )
    assert converted("slake", root, tmp_path, split="val")[0].written == 2  # the same split
    with pytest.raises(SystemExit):  # an unknown split: one line naming the ones there are
        data_prep.main(["slake", "--root", str(root), "--out", str(tmp_path / "o.jsonl"),
                        "--split", "dev"])  # fmt: skip


def test_vqa_rad_converter_splits_by_phrase_type_and_casts_numbers(tmp_path):
    root = tmp_path / "vqarad"
    png(root / "VQA_RAD Image Folder/synpic1.jpg")
    rows = [
        {
            "qid": 1,
            "phrase_type": "freeform",
            "image_name": "synpic1.jpg",
            "question": "How many?",
            "answer": 2,
            "answer_type": "OPEN",
            "image_organ": "CHEST",
        },
        {
            "qid": 2,
            "phrase_type": "test_para",
            "image_name": "synpic1.jpg",
            "question": "Is it CT?",
            "answer": "yes",
            "answer_type": "CLOSED",
            "image_organ": "CHEST",
        },
    ]
    (root / "VQA_RAD Dataset Public.json").write_text(json.dumps(rows))
    _, train = converted("vqa-rad", root, tmp_path)
    _, test = converted("vqa-rad", root, tmp_path, split="test")
    assert [r["answer"] for r in train] == ["2"] and [r["id"] for r in test] == ["vqa-rad:2"]
    assert train[0]["meta"]["organ"] == "CHEST" and train[0]["lesion"] is None


def test_path_vqa_converter_reads_both_pickle_layouts_safely_and_parquet(tmp_path):
    import pickle

    root = tmp_path / "pvqa"
    png(root / "images/val/val_0261.jpg")
    (root / "qas/val").mkdir(parents=True)
    records = [
        {"image": "val_0261", "question": "What have lost their nuclei?", "answer": "neutrophils"},
        {"img_id": "val_0261", "sent": "Is this necrosis?", "label": {"yes": 1.0, "no": 0.0}},
    ]
    (root / "qas/val/val_qa.pkl").write_bytes(pickle.dumps(records))
    _, rows = converted("path-vqa", root, tmp_path, split="validation")
    assert [r["answer"] for r in rows] == ["neutrophils", "yes"] and rows[1]["meta"][
        "answer_type"
    ] == "CLOSED"

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    (root / "qas/val/val_qa.pkl").write_bytes(pickle.dumps([Evil()]))
    with pytest.raises(Exception, match="not plain data"):
        converted("path-vqa", root, tmp_path, split="val")

    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 10, 10)).save(buf, format="PNG")
    pq_root = tmp_path / "pvqa_hf"
    (pq_root / "data").mkdir(parents=True)
    pq.write_table(
        pa.table(
            {
                "image": [{"bytes": buf.getvalue(), "path": None}],
                "question": ["Is it red?"],
                "answer": ["yes"],
            }
        ),
        pq_root / "data/train-00000-of-00001.parquet",
    )
    _, rows = converted("path-vqa", pq_root, tmp_path)
    assert rows[0]["answer"] == "yes" and np.asarray(Image.open(rows[0]["image"]))[
        0, 0
    ].tolist() == [200, 10, 10]


def test_iu_xray_converter_makes_report_rows_for_one_or_both_views(tmp_path):
    root = tmp_path / "iu_xray"
    for v in (0, 1):
        png(root / f"images/CXR2384_IM-0942/{v}.png")
    ann = {
        "train": [
            {
                "id": "CXR2384_IM-0942",
                "report": "The heart size is normal. XXXX.",
                "image_path": ["CXR2384_IM-0942/0.png", "CXR2384_IM-0942/1.png"],
                "split": "train",
            }
        ],
        "val": [],
        "test": [],
    }
    (root / "annotation.json").write_text(json.dumps(ann))
    _, one = converted("iu-xray", root, tmp_path)
    _, both = converted("iu-xray", root, tmp_path, views="both")
    assert len(one) == 1 and one[0]["task"] == "report" and one[0]["answer"].startswith("The heart")
    assert [Path(r["image"]).name for r in both] == ["0.png", "1.png"]


def test_mimic_cxr_converter_joins_split_metadata_images_and_reports(tmp_path):
    import gzip

    root = tmp_path / "mimic"
    d1, d2 = (
        "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014",
        "1111aaaa-bde0afdd-112c0b34-7bc16630-4e384014",
    )
    study = root / "files/p10/p10000032/s50414267"
    png(study / f"{d1}.jpg"), png(study / f"{d2}.jpg")
    (root / "files/p10/p10000032/s50414267.txt").write_text(
        "FINAL REPORT\n EXAMINATION: CHEST (PA AND LAT)\n\n"
        " FINDINGS: No focal consolidation.\n Heart size normal.\n\n"
        " IMPRESSION: No acute process.\n"
    )
    with gzip.open(root / "mimic-cxr-2.0.0-split.csv.gz", "wt") as f:
        f.write(
            f"dicom_id,study_id,subject_id,split\n{d1},50414267,10000032,train\n{d2},50414267,10000032,train\n"
        )
    with gzip.open(root / "mimic-cxr-2.0.0-metadata.csv.gz", "wt") as f:
        f.write(
            f"dicom_id,subject_id,study_id,ViewPosition\n{d1},10000032,50414267,PA\n{d2},10000032,50414267,LATERAL\n"
        )
    rep, rows = converted("mimic-cxr", root, tmp_path)
    assert rep.written == 1 and rep.skipped == Counter({"view LATERAL not in PA,AP": 1})
    assert (
        rows[0]["answer"]
        == "Findings: No focal consolidation. Heart size normal. Impression: No acute process."
    )
    assert rows[0]["image"].endswith(f"s50414267/{d1}.jpg")


def write_dicom(path, arr, monochrome1=False):
    """A real DICOM file (CR, 16-bit) written with pydicom."""
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID = (
        "1.2.840.10008.5.1.4.1.1.1",
        generate_uid(),
    )
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.Modality, ds.Rows, ds.Columns = "CR", arr.shape[0], arr.shape[1]
    ds.SamplesPerPixel, ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = (
        1,
        16,
        12,
        11,
        0,
    )
    ds.PhotometricInterpretation = "MONOCHROME1" if monochrome1 else "MONOCHROME2"
    ds.PixelData = arr.astype(np.uint16).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(str(path), enforce_file_format=True)
    return path


def test_rsna_converter_uses_top_left_boxes_and_inverts_monochrome1(tmp_path):
    root = tmp_path / "rsna"
    arr = np.tile(np.linspace(0, 4000, 200), (100, 1))  # dark on the left, bright on the right
    pids = [f"p{i}" for i in range(40)]
    for p in pids[:-1]:
        write_dicom(root / f"stage_2_train_images/{p}.dcm", arr, monochrome1=True)
    png(root / f"stage_2_train_images/{pids[-1]}.png", (100, 50))  # PNG copies are read as they are
    lines = (
        ["patientId,x,y,width,height,Target"]
        + [f"{p},,,,,0" for p in pids[1:]]
        + [f"{pids[0]},20.0,10.0,30.0,40.0,1", f"{pids[0]},150.0,10.0,20.0,20.0,1"]
    )
    (root / "stage_2_train_labels.csv").write_text("\n".join(lines) + "\n")
    rows = []
    for split in ("train", "test"):
        rep, r = converted("rsna", root, tmp_path, split=split, max_size=100)
        rows += r
    assert (
        len({r["id"].split(":")[1] for r in rows}) == 40
    )  # every patient lands in exactly one split
    pos = [r for r in rows if r["id"].startswith(f"rsna:{pids[0]}:")]
    assert [r["lesion"]["boxes"] for r in pos][0] == [
        [10.0, 5.0, 25.0, 25.0],
        [75.0, 5.0, 85.0, 15.0],
    ]  # x,y,w,h, /2
    assert {r["answer"] for r in pos} == {
        "Yes, there is pneumonia.",
        "The pneumonia is in both lungs.",
    }
    img = np.asarray(Image.open(pos[0]["image"]))
    assert (
        img.shape == (50, 100) and img[:, :10].mean() > img[:, -10:].mean()
    )  # MONOCHROME1: high values are dark
    neg = [r for r in rows if r["id"].startswith(f"rsna:{pids[1]}:")]
    assert neg[0]["answer"] == "No, there is no pneumonia." and neg[0]["lesion"] is None


def test_vindr_converter_merges_readers_and_reports_skips(tmp_path):
    root = tmp_path / "vindr"
    arr = np.full((100, 200), 1000)
    ids = ["a" * 32, "b" * 32, "c" * 32]
    for i in ids[:2]:
        write_dicom(root / f"train/{i}.dicom", arr)
    lines = [
        "image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max",
        f"{ids[0]},Cardiomegaly,3,R1,120.0,40.0,180.0,80.0",
        f"{ids[0]},Cardiomegaly,3,R2,122.0,42.0,178.0,82.0",
        f"{ids[0]},Nodule/Mass,8,R3,10.0,10.0,30.0,30.0",
        f"{ids[0]},No finding,14,R9,,,,",
        f"{ids[1]},No finding,14,R1,,,,",
        f"{ids[2]},Nodule/Mass,8,R1,1,1,5,5",
    ]
    (root / "train.csv").write_text("\n".join(lines) + "\n")
    found = {}
    for split in ("train", "test"):
        rep, rows = converted("vindr-cxr", root, tmp_path, split=split)
        found |= {r["id"]: r for r in rows}
        assert set(rep.skipped) <= {"image missing"}
    card = found[f"vindr-cxr:{ids[0]}:cardiomegaly:location"]
    assert card["lesion"]["boxes"] == [[121.0, 41.0, 179.0, 81.0]]  # two readers, one merged box
    assert card["answer"] == "The cardiomegaly is in the left lung."  # image right = patient left
    assert (
        found[f"vindr-cxr:{ids[0]}:nodule_mass:location"]["answer"]
        == "The nodule/mass is in the right lung."
    )
    assert found[f"vindr-cxr:{ids[1]}:absent"]["answer"] == "No, there is no abnormality."


def test_converters_name_what_they_expected_where(tmp_path):
    (tmp_path / "empty").mkdir()
    for ds, what in [
        ("slake", "train.json"),
        ("vqa-rad", "VQA_RAD Dataset Public.json"),
        ("iu-xray", "annotation.json"),
        ("mimic-cxr", "mimic-cxr-2.0.0-split.csv.gz"),
        ("rsna", "stage_2_train_labels.csv"),
        ("vindr-cxr", "train.csv"),
        ("path-vqa", "_qa.pkl"),
    ]:
        with pytest.raises(ValueError, match=re.escape(what)):
            converters.convert(ds, tmp_path / "empty", tmp_path / "o.jsonl")
    assert not (tmp_path / "o.jsonl").exists()  # nothing half-written


def test_a_bad_row_is_skipped_with_its_place_not_a_crash(tmp_path):
    root = tmp_path / "vqarad"
    png(root / "VQA_RAD Image Folder/ok.jpg")
    (root / "VQA_RAD Image Folder/broken.jpg").write_bytes(b"not an image")
    rows = [
        {"qid": i, "phrase_type": "freeform", "image_name": n, "question": "Q?", "answer": "yes"}
        for i, n in enumerate(["ok.jpg", "broken.jpg", "gone.jpg"])
    ]
    (root / "VQA_RAD Dataset Public.json").write_text(json.dumps(rows))
    rep, out = converted("vqa-rad", root, tmp_path)
    assert rep.written == 1 and rep.skipped == Counter(
        {"image unreadable (UnidentifiedImageError)": 1, "image missing": 1}
    )
    assert "VQA_RAD Dataset Public.json:[2]" in str(rep)


# ----------------------------------------------------------------------- offline pairs, LLM editor


def test_pair_statistics_count_words_and_edit_distance():
    pairs = [
        build_pair("The lesion is on the left side.", "Right"),
        build_pair("There is a small cyst.", "large"),
    ]
    st = data_prep.pair_statistics(pairs, Counter(skipped_undecidable=2))
    assert st["words_changed"] == 1.0 and st["word_edit_distance"] == pytest.approx(
        (1 / 8 + 1 / 6) / 2
    )
    assert st["skipped_share"] == 0.5 and st["model_correct_share"] == 0.0


@pytest.mark.slow
def test_pairs_command_writes_pairs_with_vprime_and_trl_export(cache, tmp_path):
    sub = tmp_path / "data" / "samples.jsonl"
    demo_dir = demo.ensure_demo(cache)
    rows = files.read_jsonl(demo_dir / "test.jsonl")[:12]
    files.write_jsonl(sub, [r | {"image": str(demo_dir / r["image"])} for r in rows])
    choices = [listed for _, _, listed in demo.DEMO_QUESTIONS.values()]
    other = {a: b for a, b in choices} | {b: a for a, b in choices}  # each -> the other choice
    with StubLLM(lambda answer: other.get(answer, "UNSURE")) as stub:  # corrects to the other
        r = subprocess.run(
            [sys.executable, str(HERE / "medpo.py"), "pairs", "--data", str(sub),
             "--model_name_or_path", str(tiny_models.tiny_model(cache)), "--max_image_side", "64",
             "--output_dir", str(tmp_path / "out"), "--editor_url", stub.url],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr[-3000:]
    pairs = checks.read_samples(tmp_path / "out" / "pairs.jsonl")  # valid: v' at v's own size
    wrong = [p for p in pairs if not p["model_correct"]]
    assert len(stub.requests) == len(wrong) > 0  # the LLM is asked about wrong answers only
    assert all(p["chosen"] == other[p["rejected"]] for p in pairs)  # rules plant the other choice
    for p in pairs:
        v, vp = (
            np.asarray(Image.open(p["image"]).convert("RGB")),
            np.asarray(Image.open(p["corrupted_image"])),
        )
        assert v.shape == vp.shape and not np.array_equal(v, vp)
        if p["lesion"]:
            x0, y0, x1, y1 = p["lesion"]["boxes"][0]
            outside = np.ones(v.shape[:2], bool)
            outside[y0:y1, x0:x1] = False
            assert np.array_equal(v[outside], vp[outside])
    stats = json.loads(r.stdout[r.stdout.index("{") :])
    assert stats["pairs"] == len(pairs) and stats["words_changed"] >= 1
    trl = files.read_jsonl(tmp_path / "out" / "pairs.trl.jsonl")
    assert (
        trl[0]["prompt"][0]["content"][0] == {"type": "image"}
        and trl[0]["chosen"][0]["role"] == "assistant"
    )
    assert "cannot carry the edited spans" in r.stdout


# --------------------------------------------------------------------------------------- notebooks


MACHINE_PATHS = re.compile(r"/tmp/|/root/|/home/|/work/|/Users/|site-packages|\.venv|\.cache")
QUICK_NOTEBOOKS = ("00_overview.ipynb", "01_pairs.ipynb", "02_lesion_corruption.ipynb")


def execute(name: str):
    import nbformat
    from nbclient import NotebookClient

    book = nbformat.read(HERE / "notebooks" / name, as_version=4)
    where = {"metadata": {"path": str(HERE / "notebooks")}}
    NotebookClient(book, timeout=1800, kernel_name="python3", resources=where).execute()
    return book


def shown(book) -> list:
    """Every output of every cell: text as printed (a cell's consecutive prints to one stream
    joined, as the kernel may send them in one message or several), pictures as their bytes."""
    out = []
    for cell in book.cells:
        for o in cell.get("outputs", []):
            kind, name, text = o["output_type"], o.get("name"), o.get("text")
            if kind == "stream" and out and out[-1][:2] == (kind, name) and out[-1][3] == cell.id:
                out[-1] = (kind, name, out[-1][2] + text, cell.id)
                continue
            if kind == "stream":
                out.append((kind, name, text, cell.id))
            else:
                out.append((kind, name, text, json.dumps(o.get("data"), sort_keys=True)))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in (HERE / "notebooks").glob("*.ipynb")))
def test_notebook_asserts_its_claims_with_clean_reproducible_outputs(name, cache, monkeypatch):
    """Every section's claim is asserted by the cell below it; the outputs hold no error, no
    warning, no progress bar and no path of the machine that ran it; and (for the quick ones)
    running the notebook again gives the same outputs, pictures included."""
    monkeypatch.setenv("MEDPO_CACHE", str(cache))
    book = execute(name)
    cells = book.cells
    for i, cell in enumerate(cells[1:-1], 1):
        if cell.cell_type == "markdown":
            follower = next(c for c in cells[i + 1 :] if c.cell_type == "code")
            assert "assert " in follower.source, (
                f"{name}: {cell.source.splitlines()[0]!r} is not checked"
            )
    outputs = shown(book)
    assert not [o for o in outputs if o[0] == "error" or o[1] == "stderr"]
    text = " ".join(str(o) for o in outputs)
    assert not MACHINE_PATHS.search(text) and "\\r" not in text
    if name in QUICK_NOTEBOOKS:
        assert shown(execute(name)) == outputs


# ---------------------------------------------------------------------------------------- torchrun


def launch(out, flags, processes=2, **popen):
    """python medpo.py, or torchrun with `processes` CPU ranks (gloo), on the flags."""
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    runner = [sys.executable]
    if processes > 1:
        runner += ["-m", "torch.distributed.run", f"--nproc_per_node={processes}"]
    command = [*runner, str(HERE / "medpo.py"), *flags, "--output_dir", str(out)]
    if popen:
        return subprocess.Popen(command, env=env, **popen)
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def tiny_run_flags(arch_dirs, pair_file, **kw):
    flags = dict(model_name_or_path=arch_dirs["qwen2.5-vl"], data=pair_file, max_steps=2)
    flags |= dict(lora_r=8, lora_alpha=16, lora_dropout=0, learning_rate=1e-3)
    flags |= dict(per_device_train_batch_size=2, gradient_accumulation_steps=1, save_steps=1)
    return cli_flags(**(flags | kw))


def cli_flags(**flags) -> list[str]:
    """["--name", "value", ...] for medpo.py's command line."""
    return [str(x) for k, v in flags.items() for x in (f"--{k}", v)]


def world_of(out) -> int:
    """The ranks that saved their RNG in the newest checkpoint, checked against summary.json."""
    ranks = sorted(p.name for p in checkpoints.complete_checkpoints(Path(out))[0].glob("rng-rank*"))
    assert ranks == [f"rng-rank{r}.pt" for r in range(len(ranks))]
    if (Path(out) / "summary.json").exists():
        assert json.loads((Path(out) / "summary.json").read_text())["world_size"] == len(ranks)
    return len(ranks)


@pytest.mark.slow
def test_ddp_and_fsdp_on_two_processes_equal_one_process_with_the_same_global_batch(
    arch_dirs, pair_file, tmp_path
):
    """2 CPU ranks x 1 micro-batch of 2 pairs == 1 process x 2 accumulated micro-batches: the
    same data, the ranks' gradients averaged and the loss scaled to their sum, so the same
    weights, under DDP and under FSDP2 (Gemma 3's tied head and a full fine-tune too); only rank
    0 writes."""
    launch(tmp_path / "one", tiny_run_flags(arch_dirs, pair_file, gradient_accumulation_steps=2), 1)
    launch(tmp_path / "ddp", tiny_run_flags(arch_dirs, pair_file))
    launch(tmp_path / "fsdp", tiny_run_flags(arch_dirs, pair_file, fsdp="true"))
    assert world_of(tmp_path / "one") == 1
    _, one, one_losses = final_state(tmp_path / "one")
    assert any(v.abs().sum() > 0 for k, v in one.items() if "lora_B" in k)  # it did train
    for engine in ("ddp", "fsdp"):
        assert world_of(tmp_path / engine) == 2
        _, weights, losses = final_state(tmp_path / engine)
        assert weights.keys() == one.keys()
        assert all(torch.allclose(weights[k], one[k], atol=1e-5) for k in one)
        assert np.allclose(losses, one_losses, atol=1e-5)  # rows from every rank, once
        adapter = load_file(tmp_path / engine / "final" / "adapter_model.safetensors")
        expected = load_file(tmp_path / "one" / "final" / "adapter_model.safetensors")
        assert all(torch.allclose(adapter[k], expected[k], atol=1e-5) for k in expected)
    gemma = dict(model_name_or_path=arch_dirs["gemma3"])  # MedGemma's: LM head tied to embeddings
    launch(tmp_path / "gemma", tiny_run_flags(arch_dirs, pair_file, **gemma, fsdp="true"))
    one_gemma = tiny_run_flags(arch_dirs, pair_file, **gemma, gradient_accumulation_steps=2)
    launch(tmp_path / "one_gemma", one_gemma, 1)
    a, b = final_state(tmp_path / "gemma")[1], final_state(tmp_path / "one_gemma")[1]
    assert a.keys() == b.keys() and all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)
    full = dict(full_finetune="true", learning_rate=1e-4)
    one_full = tiny_run_flags(arch_dirs, pair_file, gradient_accumulation_steps=2, **full)
    launch(tmp_path / "one_full", one_full, 1)
    launch(tmp_path / "fsdp_full", tiny_run_flags(arch_dirs, pair_file, fsdp="true", **full))
    a, b = (
        load_file(tmp_path / d / "final" / "model.safetensors") for d in ("one_full", "fsdp_full")
    )
    assert a.keys() == b.keys() and all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)
    start = load_file(arch_dirs["qwen2.5-vl"] / "model.safetensors")
    trained = "model.layers.0.self_attn.q_proj.weight"  # a language-model weight: it trained
    assert not torch.equal(a[trained], start[trained])


def worker_pids(pid: int) -> list[int]:
    """The processes whose parent is pid (torchrun's ranks)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            stat = (proc / "stat").read_text() if (proc / "stat").exists() else ""
            if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["ddp", "fsdp"])
def test_two_processes_killed_and_resumed_end_bit_identical(engine, arch_dirs, pair_file, tmp_path):
    """Both ranks are killed (SIGKILL: no chance to save) once step 2 is saved; the resumed run
    ends with the weights, optimizer state and losses of a run never interrupted, bit for bit.
    LoRA dropout makes each rank's RNG matter."""
    import signal
    import time

    kw = dict(max_steps=5, num_train_epochs=3, lora_dropout=0.3)  # 2 steps an epoch
    kw["fsdp"] = str(engine == "fsdp").lower()
    flags = tiny_run_flags(arch_dirs, pair_file, **kw)
    launch(tmp_path / "whole", flags)
    cut = launch(tmp_path / "cut", flags, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (tmp_path / "cut" / "checkpoint-000002").exists() and time.time() < deadline:
        time.sleep(0.02)
    ranks = worker_pids(cut.pid)
    for pid in ranks:
        os.kill(pid, signal.SIGKILL)
    assert cut.wait(timeout=120) != 0 and len(ranks) == 2
    assert not (tmp_path / "cut" / "summary.json").exists()  # it stopped short
    resumed = launch(tmp_path / "cut", [*flags, "--resume", "true"])
    assert "resumed from" in resumed.stdout
    assert world_of(tmp_path / "cut") == world_of(tmp_path / "whole") == 2
    same_run(final_state(tmp_path / "cut"), final_state(tmp_path / "whole"))
    a, b = (
        torch.load(tmp_path / d / "checkpoint-000005" / "trainer_state.pt")
        for d in ("cut", "whole")
    )
    assert a["state"] == b["state"]
    for key, moments in b["optimizer"]["state"].items():
        assert all(torch.equal(a["optimizer"]["state"][key][m], v) for m, v in moments.items())


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["ddp", "fsdp"])
def test_on_policy_round_on_two_processes_answers_edits_and_evaluates_as_one(
    engine, cache, tmp_path
):
    """DDP: each rank answers its share of the samples and the pairs are put back in the
    samples' order. FSDP: every forward needs every rank, so each rank answers every sample
    (generation steps in lockstep) and rank 0's pairs are taken. Every rank evaluates. The
    pairs, the evaluation's answers and the weights equal one process's."""
    demo_dir = demo.ensure_demo(cache)
    for split, n in (("train", 12), ("val", 6)):
        rows = files.read_jsonl(demo_dir / f"{split}.jsonl")[:n]
        for row in rows:
            row["image"] = str(demo_dir / row["image"])
        files.write_jsonl(tmp_path / f"{split}.jsonl", rows)
    flags = dict(model_name_or_path=tiny_models.tiny_model(cache), data=tmp_path / "train.jsonl")
    flags |= dict(eval_data=tmp_path / "val.jsonl", max_steps=2, lora_dropout=0)
    flags = cli_flags(**flags, per_device_train_batch_size=1, learning_rate=1e-3)
    launch(tmp_path / "one", [*flags, "--gradient_accumulation_steps", "2"], 1)
    fsdp = str(engine == "fsdp").lower()
    launch(tmp_path / engine, [*flags, "--gradient_accumulation_steps", "1", "--fsdp", fsdp])
    assert world_of(tmp_path / engine) == 2
    runs = ("one", engine)
    pairs = [files.read_jsonl(tmp_path / d / "rounds" / "pairs_0.jsonl") for d in runs]
    assert pairs[0] == pairs[1] and len(pairs[0]) >= 6
    summaries = [json.loads((tmp_path / d / "summary.json").read_text()) for d in runs]
    for when in ("eval_before", "eval_after"):
        assert summaries[0][when] == summaries[1][when]  # the same answers, the same scores
    _, one, _ = final_state(tmp_path / "one")
    _, weights, _ = final_state(tmp_path / engine)
    assert all(torch.allclose(weights[k], one[k], atol=1e-5) for k in one)


@pytest.mark.slow
def test_a_signal_to_torchrun_stops_both_ranks_at_one_step_boundary_with_a_checkpoint(
    arch_dirs, pair_file, tmp_path
):
    """torchrun passes SIGTERM to its ranks; the ranks agree on the step to stop after, and
    both save it (save_steps is far away, so only the stop can have saved it)."""
    import signal
    import time

    flags = tiny_run_flags(arch_dirs, pair_file, max_steps=6, num_train_epochs=3, save_steps=100)
    run = launch(
        tmp_path / "out", flags, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log = tmp_path / "out" / "metrics.jsonl"
    while run.poll() is None and not (log.exists() and log.stat().st_size):
        time.sleep(0.02)
    run.send_signal(signal.SIGTERM)
    output = run.communicate(timeout=300)[0]
    steps = [r["step"] for r in files.read_jsonl(log)]
    assert output.count(f"SIGTERM: stopped after step {steps[-1]}") == 2 and steps[-1] < 6
    assert (
        checkpoints.complete_checkpoints(tmp_path / "out")[0].name == f"checkpoint-{steps[-1]:06d}"
    )
    assert world_of(tmp_path / "out") == 2


def test_fsdp_on_one_process_is_refused_with_how_to_launch(pair_file, tmp_path, capsys):
    flags = ["--data", str(pair_file), "--fsdp", "true", "--cache_dir", str(tmp_path / "c")]
    code = medpo.main([*flags, "--output_dir", str(tmp_path / "out")])
    assert code == 2 and "torchrun --nproc_per_node N medpo.py" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()  # refused before any work: no model built


# ------------------------------------------------------------------------ study and benchmark code


def test_study_differences_are_paired_by_seed_with_a_t_interval():
    import study

    runs = {study.FULL: [{"accuracy": a} for a in (0.60, 0.62, 0.61, 0.65, 0.63)]}
    runs["other"] = [{"accuracy": a} for a in (0.61, 0.64, 0.64, 0.69, 0.68)]  # +1..+5 points
    diff = study.summarise(runs)["other"]["accuracy"]["diff"]
    half = 2.776 * np.std([0.01, 0.02, 0.03, 0.04, 0.05], ddof=1) / math.sqrt(5)  # t(4), 95%
    assert diff == pytest.approx((0.03, 0.03 - half, 0.03 + half))
    assert study.against_prior(
        [{"meta": {"side": "right"}}, {"meta": {"side": "left"}}, {"meta": {}}]
    ) == [{"meta": {"side": "right"}}]


def test_study_offpolicy_pairs_take_the_reference_as_chosen():
    import study

    rows = [{"answer": "The lesion is small."}, {"answer": "This is a CT scan."}]
    pairs = study.offpolicy_pairs(rows, ["The lesion is large.", "This is a CT scan."])
    assert (
        len(pairs) == 1
        and pairs[0]["chosen"] == "The lesion is small."
        and pairs[0]["rejected"] == "The lesion is large."
    )


@pytest.mark.slow
def test_benchmark_compares_equal_losses(arch_dirs):
    import bench_step

    cfg = small_cfg(model_name_or_path=str(arch_dirs["qwen2.5-vl"]), lora_dropout=0.0, alpha=1.0)
    model, processor, _ = medpo.load_model(cfg)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.3)
    for shape in bench_step.SHAPES:
        pairs = bench_step.make_pairs(2, shape, np.random.default_rng(0))
        fast = medpo.pair_loss(model, None, processor, pairs, cfg)[0]
        slow = bench_step.full_logits_loss(model, processor, pairs, cfg)
        assert abs(fast.item() - slow.item()) < 1e-5 and abs(fast.item() - 1.1 * LN2) > 1e-3


def test_atomic_writes_leave_no_temporary_file_and_usual_permissions(tmp_path):
    files.write_jsonl(tmp_path / "a.jsonl", [{"x": 1}])

    def crash(tmp):
        Path(tmp).write_text("half")
        raise RuntimeError("crash while writing")

    with pytest.raises(RuntimeError):
        files.write_atomic(tmp_path / "b.txt", crash)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.jsonl"
    ]  # the crashed write left nothing behind
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "a.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask


# ------------------------------------------------------------------------------- copying functions
# The functions people copy into their own code say in a "Needs:" line what they need. Copy each
# into an empty module with exactly that, and check that it runs and gives medpo's answers.


def copied(name: str):
    """medpo.<name> re-created from its source in a fresh namespace holding only its Needs."""
    import importlib
    import inspect
    import textwrap

    obj = getattr(medpo, name)
    needs = re.search(r"Needs:(.*?)(?:\"\"\"|$)", inspect.getdoc(obj), re.S).group(1)
    namespace = {"__name__": f"copy_of_{name}"}
    sources = [inspect.getsource(obj)]
    for item in (s.strip().rstrip(".") for s in needs.replace("\n", " ").split(",")):
        module, _, alias = item.partition(" as ")
        if alias:
            namespace[alias] = importlib.import_module(module)
        elif "." in item:
            parent, _, attr = item.rpartition(".")
            namespace[attr] = getattr(importlib.import_module(parent), attr)
        elif importlib.util.find_spec(item) is not None and not hasattr(medpo, item):
            namespace[item] = importlib.import_module(item)
        elif inspect.isfunction(getattr(medpo, item)) or inspect.isclass(getattr(medpo, item)):
            sources.append(inspect.getsource(getattr(medpo, item)))
        else:
            namespace[item] = getattr(medpo, item)  # a constant
    exec(
        "from __future__ import annotations\n" + "\n\n".join(map(textwrap.dedent, sources)),
        namespace,
    )
    return namespace[name]


def test_the_readme_example_runs_and_prints_what_it_says(tmp_path, monkeypatch, capsys):
    """The README's Python example, run as a user would (with an image of their own)."""
    readme = (HERE / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), np.uint8)).save(
        "chest.png"
    )
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    promised = re.search(r"print\(.*\)  # (.*)", code).group(1)
    assert capsys.readouterr().out.strip() == promised
    image, v_prime = np.asarray(namespace["image"]), np.asarray(namespace["v_prime"])
    outside = np.ones(image.shape[:2], bool)
    outside[60:140, 40:120] = False
    assert np.array_equal(image[outside], v_prime[outside]) and not np.array_equal(image, v_prime)
    assert namespace["policy"]["chosen"].grad is not None


def test_copied_losses_and_kl_run_alone_and_agree():
    batch, spans = make_batch(seed=3)
    g = torch.Generator().manual_seed(0)
    pc, pr, rc, rr = (torch.randn(5, generator=g) for _ in range(4))
    assert torch.equal(
        copied("preference_loss")(pc, pr, rc, rr, 0.3), preference_loss(pc, pr, rc, rr, 0.3)
    )
    p, q = torch.randn(4, 30, generator=g), torch.randn(4, 30, generator=g)
    assert torch.equal(copied("bidirectional_kl")(p, q, 0.3), bidirectional_kl(p, q, 0.3))
    policy = {k: torch.randn(3, generator=g) for k in medpo.BRANCHES}
    reference = {k: torch.randn(3, generator=g) for k in medpo.BRANCHES}
    fkl, rkl, has_vis = (
        torch.rand(3, generator=g),
        torch.rand(3, generator=g),
        torch.tensor([1, 0, 1]) > 0,
    )
    cfg = Config(anchor_weight=0.2)
    got = copied("medpo_loss")(policy, reference, fkl, rkl, has_vis, cfg)
    want = medpo_loss(policy, reference, fkl, rkl, has_vis, cfg)
    assert torch.equal(got[0], want[0]) and got[1] == want[1]


def test_copied_corruption_and_pair_builder_run_alone_and_agree():
    img = grey(mode="RGB")
    for mode in medpo.CORRUPTIONS:
        a = copied("corrupt_lesion")(img, [(10, 20, 60, 70)], seed=4, mode=mode)
        assert np.array_equal(
            np.asarray(a), np.asarray(corrupt_lesion(img, [(10, 20, 60, 70)], seed=4, mode=mode))
        )
    for answer, reference in [
        ("The lesion is on the left side.", "Right"),
        ("This is a CT scan.", "CT"),
    ]:
        got = copied("build_pair")(answer, reference, rng=np.random.default_rng(1))
        assert got == build_pair(answer, reference, rng=np.random.default_rng(1))


def test_copied_head_logps_runs_alone_agrees_and_refuses_a_trainable_head():
    g = torch.Generator().manual_seed(0)
    W, h_ref = torch.randn(30, 6, generator=g), torch.randn(5, 6, generator=g)
    labels = torch.randint(0, 30, (5,), generator=g)
    grads = []
    for head in (copied("HeadLogps"), medpo.HeadLogps):
        h = torch.randn(5, 6, generator=torch.Generator().manual_seed(1)).requires_grad_(True)
        out = head.apply(h, h_ref, W, W, labels, 2)
        (out[0] * torch.arange(5.0)).sum().backward()
        grads.append((torch.stack([o.detach() for o in out]), h.grad))
    assert torch.equal(grads[0][0], grads[1][0]) and torch.equal(grads[0][1], grads[1][1])
    with pytest.raises(ValueError, match="must be frozen"):
        copied("HeadLogps").apply(h_ref, h_ref, W.requires_grad_(True), W, labels, 2)


PROJECT = sorted(p.stem for p in HERE.glob("*.py") if not p.name.startswith("test_"))


def imports_of(path: Path) -> set[str]:
    """The project modules a file imports, anywhere in it (lazy imports count)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found & set(PROJECT)


def test_medpo_py_keeps_the_reference_file_shape():
    """The reference reads in one sitting: at most 800 lines, the method (sections 1-4) in at
    most 350, one statement per line, no function over 60 lines, 100 columns."""
    import ast

    source = (HERE / "medpo.py").read_text()
    lines = source.splitlines()
    assert len(lines) <= 800 and max(len(line) for line in lines) <= 100
    start = next(i for i, line in enumerate(lines) if line.startswith("# 1. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("# 5. "))
    assert end - start <= 350
    tree = ast.parse(source)
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.Expr)]
    assert not [n.lineno for n in statements if isinstance(n.value, (ast.Tuple, ast.BoolOp))]
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert not [n.name for n in functions if n.end_lineno - n.lineno >= 60]
    sections = [line for line in lines if re.match(r"# (Config:|\d\.) ", line)]
    assert [s.split()[1] for s in sections] == ["Config:", "1.", "2.", "3.", "4.", "5.", "6.", "7."]


def test_modules_are_small_and_imports_flow_one_way():
    """Every module beside medpo.py holds one job in at most about 600 lines, and no module
    imports another that (directly or not) imports it back; nothing imports medpo.py."""
    graph = {name: imports_of(HERE / f"{name}.py") - {name} for name in PROJECT}
    for name in PROJECT:
        if name != "medpo":
            assert len((HERE / f"{name}.py").read_text().splitlines()) <= 620, name
            assert "medpo" not in graph[name], name
    seen, done = set(), set()

    def visit(name, path):
        assert name not in path, f"import cycle: {' -> '.join([*path, name])}"
        if name not in done:
            for other in graph[name]:
                visit(other, [*path, name])
            done.add(name)

    for name in PROJECT:
        visit(name, [])
        seen.add(name)
