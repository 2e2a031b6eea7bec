"""MedPO: fine-grained, on-policy, visually grounded preference optimisation for medical VLMs.

Reference implementation of "Analyzing and Improving Fine-grained Preference Optimization in Medical LVLMs"
(arXiv 2606.12590). Read top to bottom: Config -> 1. pairs -> 2. lesion corruption -> 3. log-probs and KL ->
4. losses -> 5. model and batches -> 6. training loop.

  python medpo.py --data demo                                   # CPU, offline, ~1.5 min: the whole method
  python medpo.py --model_name_or_path google/medgemma-4b-it --data train.jsonl --gradient_checkpointing true
  torchrun --nproc_per_node=N medpo.py ...                      # DDP over N devices

The model answers a question about an image; an editor corrects only the clinically wrong words
(or plants one plausible error in a right answer), so chosen y+ and rejected y- differ in a few
tokens. The loss is a DPO margin over those tokens, a reversed preference under a lesion-noised
image v', and a forward+reverse token KL on the edited tokens of y+:

  L = mean_batch[ -log s(beta (R(y+;v) - R(y-;v))) + gamma (-log s(beta (R(y-;v') - R(y+;v'))))
                  + alpha sum_{t in S+} (lam FKL_t + (1 - lam) RKL_t) ]
  R(y;v) = sum_t w_t (log pi(y_t|v,q,y<t) - log pi_ref(y_t|v,q,y<t))

Where this code departs from the paper's code:
  1. Spans map to tokens through offset_mapping on the clean text (tag tokens shift BPE boundaries).
  2. KL from log_softmax in fp32 (softmax().log() gives NaN on extreme logits).
  3. v' is seeded by the sample id: the same v' reaches policy and reference, run after run.
  4. One policy and one reference pass per step, each image encoded once, the LM head on weighted tokens only.
"""
from __future__ import annotations

import contextlib
import copy
import difflib
import json
import math
import os
import re
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from PIL import Image, ImageFilter
from tqdm.auto import tqdm

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
CORRUPTIONS = ("lesion_noise", "global_noise", "blur", "black", "full_black", "crop")  # how v' is made


# ----------------------------------------------------------------------------------------------
# Config: every field is a command-line flag (--beta 0.1); the help text sits next to the field.

def arg(default, help: str, **kw):
    return field(default=default, metadata={"help": help, **kw})


@dataclass
class Config:
    # data and model
    model_name_or_path: str = arg("tiny", "HF id or local dir of an image-text-to-text model; 'tiny' = offline demo model")
    data: str = arg("demo", "sample or pair JSONL (see README); 'demo' = the generated demo world")
    eval_data: str = arg("", "JSONL for the final evaluation (default: the demo test split, or none)")
    output_dir: str = arg("runs/medpo", "metrics.jsonl, pairs.jsonl, checkpoint/ and final/ go here")
    cache_dir: str = arg("~/.cache/medpo", "where the demo world and the tiny model are built once")
    trust_remote_code: bool = arg(False, "allow model code from the hub (off: only transformers' own classes)")
    # loss (defaults are the paper's)
    beta: float = arg(0.1, "DPO temperature on the token-weighted margins")
    gamma: float = arg(0.1, "weight of the reversed visual-contrastive term")
    lam: float = arg(0.5, "KL mix: lam*FKL + (1-lam)*RKL (1 = forward only)")
    alpha: float = arg(0.01, "weight of the span KL term")
    w_in: float = arg(1.0, "weight of edited-span tokens in R(y)")
    w_out: float = arg(0.0, "weight of the other response tokens in R(y)")
    kl_mask: str = arg("spans", "KL on edited y+ tokens (summed) or the whole y+ (mean)", choices=["spans", "response"])
    vis_pair: str = arg("reversed", "(v',y-)>(v',y+) | v1: (v,y+)>(v',y+) | v2: (v,y+)>(v',y-)", choices=["reversed", "v1", "v2"])
    anchor_weight: float = arg(0.0, "mDPO anchor -log s(beta R(y+;v))")
    sft_weight: float = arg(0.0, "RPO-style NLL of y+ (per-token mean)")
    # lesion corruption
    corruption: str = arg("lesion_noise", "how v' is made", choices=list(CORRUPTIONS))
    sigma: float = arg(45.0, "lesion noise std on the 0..255 scale")
    global_sigma: float = arg(12.0, "whole-image noise std when no lesion is known")
    # on-policy rounds and optimisation
    rounds: int = arg(1, "generate-pairs-then-train rounds over the data (1 = pairs from the initial model only)")
    max_new_tokens: int = arg(48, "longest answer generated")
    num_train_epochs: int = arg(1, "passes over each round's pairs")
    max_steps: int = arg(-1, "stop after this many optimizer steps (-1: run all rounds and epochs)")
    per_device_train_batch_size: int = arg(2, "pairs per micro-batch (each pair is 4 sequences)")
    gradient_accumulation_steps: int = arg(4, "micro-batches per optimizer step")
    learning_rate: float = arg(0.0, "AdamW learning rate, cosine decay (0: 1e-6 as the paper, 2e-5 for 'tiny')")
    weight_decay: float = arg(0.0, "AdamW weight decay")
    warmup_ratio: float = arg(0.0, "share of the steps spent in linear warm-up")
    max_grad_norm: float = arg(1.0, "gradient clipping")
    lora_r: int = arg(128, "LoRA rank (language model only)")
    lora_alpha: int = arg(256, "LoRA alpha")
    lora_dropout: float = arg(0.05, "LoRA dropout")
    use_rslora: bool = arg(True, "rank-stabilised LoRA scaling alpha/sqrt(r)")
    lora_target: str = arg(r".*(language_model|text_model)\.layers\.\d+\.(self_attn|mlp)\.(q|k|v|o|gate|up|down)_proj", "LoRA modules")
    full_finetune: bool = arg(False, "train the language model's layers (embeddings, LM head frozen); reference: a frozen copy")
    gradient_checkpointing: bool = arg(False, "recompute activations in backward (saves memory on big models)")
    head_chunk: int = arg(256, "rows per LM-head chunk in the loss (memory ~ head_chunk x vocab)")
    max_completion_length: int = arg(256, "answers are cut to this many tokens")
    seed: int = arg(42, "seed for data order, dropout and counterfactual edits")
    save_steps: int = arg(50, "write an atomic checkpoint every N optimizer steps")
    resume: bool = arg(False, "continue from output_dir/checkpoint exactly where it stopped")
    merge: bool = arg(False, "save the LoRA merged into the model instead of the adapter")
    eval_limit: int = arg(0, "evaluate on at most N samples (0: all)")


# ----------------------------------------------------------------------------------------------
# 1. Pairs: word-level edit spans, a rule-based clinical editor, and the on-policy pair builder.

_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")  # words (X-ray, don't) and single punctuation


def _check_text(name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {type(value).__name__} {value!r}")
    return value


def edit_spans(rejected: str, chosen: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(rejected_spans, chosen_spans): character spans [start, end) of each non-matching region of a word-level
    difflib diff, on each side where it is non-empty. Case-sensitive; punctuation marks are words of their own."""
    _check_text("rejected", rejected), _check_text("chosen", chosen)
    rw, cw = list(_WORD.finditer(rejected)), list(_WORD.finditer(chosen))
    sm = difflib.SequenceMatcher(None, [m.group() for m in rw], [m.group() for m in cw], autojunk=False)
    r_spans, c_spans = [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():  # a pure insertion (i1 == i2) has no rejected span
        r_spans += [(rw[i1].start(), rw[i2 - 1].end())] if tag != "equal" and i2 > i1 else []
        c_spans += [(cw[j1].start(), cw[j2 - 1].end())] if tag != "equal" and j2 > j1 else []
    return r_spans, c_spans


# Term groups: in each group the alternatives exclude one another; an alternative is a tuple of
# synonyms. The first synonym is the display form used when planting an error.
LEXICON: dict[str, list[tuple[str, ...]]] = {
    "laterality": [("left",), ("right",), ("bilateral", "both")], "normality": [("normal", "unremarkable"), ("abnormal",)],
    "modality": [("CT", "computed tomography"), ("MRI", "MR", "magnetic resonance"),
                 ("X-ray", "xray", "radiograph", "radiography"), ("ultrasound", "sonography")],
    "plane": [("axial", "transverse"), ("coronal",), ("sagittal",)], "vertical": [("upper",), ("lower",)],
    "depth": [("anterior",), ("posterior",)],
    "organ": [("lymph node",), ("liver",), ("lung", "lungs"), ("heart",), ("kidney", "kidneys"), ("brain",), ("spleen",),
              ("stomach",), ("bladder",), ("pancreas",), ("colon",), ("bowel",), ("gallbladder",), ("esophagus",),
              ("trachea",), ("spine", "spinal cord"), ("bone",)],
    "finding": [("nodule",), ("mass",), ("effusion",), ("pneumonia",), ("cardiomegaly",), ("atelectasis",),
                ("tumor", "tumour"), ("cyst",), ("fracture",), ("edema", "oedema"), ("pneumothorax",), ("opacity",),
                ("consolidation",), ("calcification",)],
    "size": [("small", "tiny"), ("large", "big"), ("medium", "medium-sized")],
    "severity": [("mild", "slight"), ("moderate",), ("severe", "marked")],
}
_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_SPELLING = {syn.lower(): syn for alts in LEXICON.values() for alt in alts for syn in alt}  # 'mri' -> 'MRI'


def _find(pattern: str, text: str) -> list[re.Match]:
    return list(re.finditer(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", text, re.IGNORECASE))


def _term_hits(text: str) -> dict[str, dict[object, list[re.Match]]]:
    """group -> alternative (index, or the value for numbers) -> its matches in text."""
    hits = {g: {k: ms for k, alt in enumerate(alts) if (ms := _find("|".join(map(re.escape, sorted(alt, key=len)[::-1])), text))}
            for g, alts in LEXICON.items()}
    hits["number"] = {}
    for m in _find("|".join(_NUMBERS) + r"|\d+(?:\.\d+)?", text):
        w = m.group().lower()
        hits["number"].setdefault(str(_NUMBERS.index(w)) if w in _NUMBERS else w, []).append(m)
    return hits


def _styled(new: str, old: str) -> str:
    """new in old's case: 'right' replacing 'Left' is 'Right'; CT, MRI and X-ray keep their caps."""
    title = old[:1].isupper() and not (len(old) > 1 and old.isupper())  # 'Left', not 'CT'
    return new[:1].upper() + new[1:] if title and not any(c.isupper() for c in new) else new


def _article(word: str) -> str:
    """'a' or 'an' by sound: an MRI, an X-ray, an effusion; a CT, a nodule."""
    acronym = word[:1].isupper() and (word.isupper() or word[1:2] == "-")
    return "an" if (word[:1] in "AEFHILMNORSX" if acronym else word[:1].lower() in "aeiou") else "a"


# Polarity cues: (regex, +1 finding present / -1 absent, the opposite wording; {a} = the article
# that the next word needs). Earlier patterns win where cues overlap.
_POLARITY = [
    (r"^yes\b", +1, "no"), (r"^no\b(?=\s*[,.!;:]|\s*$)", -1, "yes"),
    (r"\b(there is) no\b", -1, r"\1 {a}"), (r"\b(there are) no\b", -1, r"\1"),
    (r"\b(there is) an?\b", +1, r"\1 no"), (r"\b(there are)\b", +1, r"\1 no"),
    (r"\bpresent\b", +1, "absent"), (r"\babsent\b", -1, "present"),
    (r"\b(is|are) not(?= (?:seen|visible|present|identified)\b)", -1, r"\1"),
    (r"\b(is|are)(?= (?:seen|visible|identified)\b)", +1, r"\1 not"),
    (r"\b(shows?) no\b", -1, r"\1 {a}"), (r"\b(shows?) an?\b", +1, r"\1 no"),
]


def _polarity_sites(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, polarity, opposite wording) of each polarity cue in text."""
    sites, taken = [], set()
    for pat, pol, repl in _POLARITY:
        for m in re.finditer(pat, text, re.IGNORECASE):
            if taken.isdisjoint(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                new = m.expand(repl).replace("{a}", _article(text[m.end():].lstrip()))
                sites.append((m.start(), m.end(), pol, _styled(new, m.group())))
    return sorted(sites)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace text[s:e] by new for each edit; an article before a replaced word is made to agree."""
    for s, _, new in list(edits):
        m = re.search(r"\b(an?)\s+$", text[:s], re.IGNORECASE)
        if m and m.group(1).lower() != _article(new):
            edits.append((m.start(1), m.end(1), _styled(_article(new), m.group(1))))
    for s, e, new in sorted(edits, reverse=True):
        text = text[:s] + new + text[e:]
    return text


def clinical_edit(response: str, reference: str) -> str | None:
    """Minimal rule-based correction: in every term group the reference decides (one alternative named) and the
    response contradicts, the response's words become the reference's; polarity (yes/no, there is (no),
    present/absent) flips the same way; all else is kept byte for byte. Returns the response unchanged when it
    agrees, None when nothing comparable is found or the response is ambiguous."""
    _check_text("response", response), _check_text("reference", reference)
    rh, fh = _term_hits(response), _term_hits(reference)
    edits, compared = [], 0
    for group in rh:
        ref_alts, res_alts = fh[group], rh[group]
        if len(ref_alts) != 1 or not res_alts:
            continue
        (want, ref_ms), = ref_alts.items()
        compared += 1
        if want in res_alts:
            continue
        if len(res_alts) > 1:  # two wrong alternatives: cannot tell which one is meant
            return None
        new = _SPELLING.get(ref_ms[0].group().lower(), ref_ms[0].group())
        edits += [(m.start(), m.end(), _styled(new, m.group())) for ms in res_alts.values() for m in ms]
    ref_pol, sites = {p for _, _, p, _ in _polarity_sites(reference)}, _polarity_sites(response)
    if len(ref_pol) == 1 and sites:
        compared += 1
        if len({p for _, _, p, _ in sites}) > 1:
            return None  # the response says both: cannot tell which claim to keep
        if sites[0][2] not in ref_pol:
            edits += [(s, e, new) for s, e, _, new in sites]
    if not compared:
        norm = lambda t: " ".join(m.group().lower() for m in _WORD.finditer(t) if m.group().isalnum())
        return response if norm(reference) and norm(reference) in norm(response) else None
    return _apply(response, edits)


def counterfactual_edit(response: str, rng: np.random.Generator | None = None) -> str | None:
    """Plant one plausible clinical error: one lexicon term or the answer's polarity, drawn with `rng`, becomes
    another alternative of its group (left<->right, CT<->MRI, present<->absent, ...). None if there is none."""
    _check_text("response", response)
    rng = rng if rng is not None else np.random.default_rng(0)
    sites = _polarity_sites(response)  # one claim: its polarity cues flip together (Yes, there is a -> No, there is no)
    cands = [[(s, e, new) for s, e, _, new in sites]] if len({p for _, _, p, _ in sites}) == 1 else []
    for group, found in _term_hits(response).items():
        for k, ms in found.items() if group != "number" else ():
            others = [a[0] for j, a in enumerate(LEXICON[group]) if j != k]
            if group in ("laterality", "size") and k < 2:
                others = [LEXICON[group][1 - k][0]]  # left<->right, small<->large
            cands += [[(m.start(), m.end(), _styled(others[int(rng.integers(len(others)))], m.group()))] for m in ms]
    return _apply(response, cands[int(rng.integers(len(cands)))]) if cands else None


def build_pair(response: str, reference: str, editor=clinical_edit, rng=None,
               stats: Counter | None = None) -> dict | None:
    """An on-policy pair from the model's own answer. Wrong: chosen = the editor's minimal correction, rejected =
    the answer. Right (the editor returns it unchanged): chosen = the answer, rejected = counterfactual_edit.
    `editor(response, reference) -> str | None` is pluggable. None when no pair can be made; `stats` says why."""
    _check_text("response", response), _check_text("reference", reference)
    fixed = editor(response, reference)
    correct = fixed == response
    chosen, rejected = (response, counterfactual_edit(response, rng)) if correct else (fixed, response)
    r_spans, c_spans = edit_spans(rejected, chosen) if chosen and rejected else ([], [])
    why = ("skipped_undecidable" if fixed is None else "skipped_no_clinical_term" if rejected is None
           else "skipped_no_difference" if not (r_spans or c_spans) else None)
    if stats is not None:
        stats[why or ("model_correct" if correct else "model_wrong")] += 1
    return None if why else dict(chosen=chosen, rejected=rejected, chosen_spans=c_spans, rejected_spans=r_spans,
                                 model_correct=correct)


def token_weights(offsets, spans, w_in: float = 1.0, w_out: float = 0.0, text_len: int | None = None) -> list[float]:
    """Per-token weights: w_in for a token whose characters [a, b) overlap a span [s, e), else w_out.
    `offsets` is the fast tokenizer's offset_mapping on the clean response text."""
    for s, e in spans:
        if not (0 <= s < e) or (text_len is not None and e > text_len):
            raise ValueError(f"span ({s}, {e}) is not a valid [start, end) inside text of length {text_len}")
    return [w_in if any(a < e and b > s for s, e in spans) and b > a else w_out for a, b in offsets]


# ----------------------------------------------------------------------------------------------
# 2. Lesion corruption v': noise inside the lesion region, everything else bit-identical.

_SCALE = {"L": 255, "RGB": 255, "RGBA": 255, "I;16": 65535}  # sigma is on the 0..255 scale


def lesion_mask(lesion, size: tuple[int, int]) -> np.ndarray | None:
    """An (H, W) bool mask from None, one box (x0, y0, x1, y1), a list of boxes, an HxW bool
    array or a mask image (non-zero = lesion). Boxes are pixel corners, clipped to the image."""
    w, h = size
    if lesion is None:
        return None
    if isinstance(lesion, (Image.Image, np.ndarray)):
        m = np.asarray(lesion.convert("L") if isinstance(lesion, Image.Image) else lesion)
        if m.shape != (h, w):
            raise ValueError(f"lesion mask has shape {m.shape} but the image is {h}x{w} (HxW)")
        if not m.any():
            raise ValueError("lesion mask is empty: pass lesion=None for the global fallback")
        return m.astype(bool)
    num = lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
    boxes = [lesion] if all(num(v) for v in lesion) else lesion  # one flat box or a list of boxes
    mask = np.zeros((h, w), bool)
    for b in boxes:
        if not (isinstance(b, (list, tuple, np.ndarray)) and len(b) == 4 and all(num(v) and math.isfinite(v) for v in b)):
            raise ValueError(f"lesion box {b!r} is not four finite numbers (x0, y0, x1, y1)")
        x0, y0, x1, y1 = b
        if x1 <= x0 or y1 <= y0:
            raise ValueError(f"lesion box {tuple(b)} is degenerate: need x1 > x0 and y1 > y0")
        if x1 <= 0 or y1 <= 0 or x0 >= w or y0 >= h:
            raise ValueError(f"lesion box {tuple(b)} lies outside the {w}x{h} (WxH) image")
        mask[max(0, int(y0)):min(h, math.ceil(y1)), max(0, int(x0)):min(w, math.ceil(x1))] = True
    return mask


def corrupt_lesion(image: Image.Image, lesion=None, sigma: float = 45.0, global_sigma: float = 12.0,
                   seed: int = 0, mode: str = "lesion_noise") -> Image.Image:
    """v': the lesion region corrupted, every other pixel bit-identical. lesion_noise (the method): N(0, sigma^2)
    per colour channel inside the region (0..255 scale, x257 for 16-bit), rounded and clipped; no region known:
    N(0, global_sigma^2) everywhere. Ablations: global_noise, blur, black (the region), full_black, crop
    (mDPO-style: a random crop of 20% of the area, resized back). Alpha is never changed."""
    if not isinstance(image, Image.Image) or image.mode not in _SCALE:
        raise ValueError(f"image must be a PIL.Image in mode {', '.join(_SCALE)}; got {type(image).__name__} "
                         f"{getattr(image, 'mode', '')!r}: convert it first")
    if mode not in CORRUPTIONS:
        raise ValueError(f"mode {mode!r} is not one of {CORRUPTIONS}")
    rng, mask, arr, top = np.random.default_rng(seed), lesion_mask(lesion, image.size), np.array(image), _SCALE[image.mode]
    if mode == "crop":
        (w, h), f = image.size, math.sqrt(0.2)
        x, y = int(rng.integers(0, w - round(w * f) + 1)), int(rng.integers(0, h - round(h * f) + 1))
        return image.crop((x, y, x + round(w * f), y + round(h * f))).resize(image.size, Image.BILINEAR)
    region = np.ones(arr.shape[:2], bool) if mask is None or mode in ("global_noise", "full_black") else mask
    a3 = arr[..., None] if arr.ndim == 2 else arr          # (H, W, C) view: writes go to arr
    c = 3 if image.mode == "RGBA" else a3.shape[2]         # alpha is never changed
    if mode in ("lesion_noise", "global_noise"):
        vals = a3[region, :c].astype(np.float64)
        std = global_sigma if mask is None or mode == "global_noise" else sigma
        a3[region, :c] = np.clip(np.rint(vals + rng.normal(0.0, std * top / 255, vals.shape)), 0, top)
    elif mode in ("black", "full_black"):
        a3[region, :c] = 0
    else:  # blur
        blurred = np.asarray((image.convert("F") if image.mode == "I;16" else image).filter(
            ImageFilter.GaussianBlur(max(2.0, 0.1 * math.sqrt(region.sum())))))
        a3[region, :c] = np.clip(np.rint((blurred[..., None] if blurred.ndim == 2 else blurred)[region, :c]), 0, top)
    return Image.fromarray(arr)


# ----------------------------------------------------------------------------------------------
# 3. Log-probs and KL, always in fp32 (or wider) from log_softmax.

def _fp32(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype in (torch.float32, torch.float64) else x.float()


def token_logps(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """log pi(label | context) per position, fp32. Shape: logits (..., V), labels (...) -> (...)."""
    logits = _fp32(logits)
    return logits.gather(-1, labels.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1)


def forward_reverse_kl(policy_logits: torch.Tensor, ref_logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(FKL, RKL) = (KL(pi_ref || pi), KL(pi || pi_ref)) per position, fp32, from log_softmax (stable
    at +-1e4 logits, where softmax().log() gives -inf). Shape: (..., V), (..., V) -> (...), (...)."""
    lp, lr = _fp32(policy_logits).log_softmax(-1), _fp32(ref_logits).log_softmax(-1)
    return (lr.exp() * (lr - lp)).sum(-1), (lp.exp() * (lp - lr)).sum(-1)


def bidirectional_kl(policy_logits: torch.Tensor, ref_logits: torch.Tensor, lam: float = 0.5) -> torch.Tensor:
    """lam * KL(pi_ref || pi) + (1 - lam) * KL(pi || pi_ref) per position. Shape: (..., V) x2 -> (...)."""
    fkl, rkl = forward_reverse_kl(policy_logits, ref_logits)
    return lam * fkl + (1.0 - lam) * rkl


# ----------------------------------------------------------------------------------------------
# 4. Losses.

def preference_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
                    ref_rejected: torch.Tensor, beta: float = 0.1) -> torch.Tensor:
    """DPO (Rafailov et al. 2023, eq. 7) on token-weighted log-prob sums.
    -log sigmoid(beta * [(policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)])
    Shape: four (B,) tensors -> (B,). L_vis is this function with the v' terms swapped.
    """
    return -F.logsigmoid(beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)))


BRANCHES = ("chosen", "rejected", "chosen_vis", "rejected_vis")  # (v,y+), (v,y-), (v',y+), (v',y-)


def medpo_loss(policy: dict[str, torch.Tensor], reference: dict[str, torch.Tensor], fkl: torch.Tensor, rkl: torch.Tensor,
               has_vis: torch.Tensor, cfg: Config, chosen_nll: torch.Tensor | None = None) -> tuple[torch.Tensor, dict]:
    """The MedPO objective and its metrics.
    policy / reference: branch name (BRANCHES) -> (B,) token-weighted log-prob sums sum_t w_t logp_t.
    fkl / rkl: (B,) KL already reduced over the KL positions of the (v, y+) pass.
    has_vis: (B,) bool, g in the paper: the visual term counts only where v' exists.
    chosen_nll: (B,) per-token mean NLL of y+ (needed when cfg.sft_weight > 0).
    Returns the scalar loss mean_B[L_pref + gamma L_vis + alpha L_KL (+ anchor, sft)] and metrics.
    """
    R = {k: policy[k] - reference[k] for k in policy}  # (B,) rho summed with weights
    l_pref = preference_loss(policy["chosen"], policy["rejected"], reference["chosen"], reference["rejected"], cfg.beta)
    win, lose = {"reversed": ("rejected_vis", "chosen_vis"), "v1": ("chosen", "chosen_vis"),
                 "v2": ("chosen", "rejected_vis")}[cfg.vis_pair]
    g = has_vis.to(l_pref.dtype)  # the visual term needs its two branches, present when gamma > 0
    l_vis = -F.logsigmoid(cfg.beta * (R[win] - R[lose])) * g if cfg.gamma and has_vis.any() else torch.zeros_like(l_pref)
    l_kl = cfg.lam * fkl + (1.0 - cfg.lam) * rkl
    loss = l_pref + cfg.gamma * l_vis + cfg.alpha * l_kl
    if cfg.anchor_weight:
        loss = loss - cfg.anchor_weight * F.logsigmoid(cfg.beta * R["chosen"])
    if cfg.sft_weight:
        loss = loss + cfg.sft_weight * chosen_nll
    margins = cfg.beta * (R["chosen"] - R["rejected"])
    metrics = {"loss/pref": l_pref.mean(), "loss/kl": l_kl.mean(), "kl/forward": fkl.mean(), "kl/reverse": rkl.mean(),
               "rewards/chosen": cfg.beta * R["chosen"].mean(), "rewards/rejected": cfg.beta * R["rejected"].mean(),
               "rewards/margins": margins.mean(), "rewards/accuracies": (margins > 0).float().mean()}
    if has_vis.any() and win in R and lose in R:
        vm = cfg.beta * (R[win] - R[lose])[has_vis]
        metrics |= {"loss/vis": l_vis.sum() / g.sum(), "rewards/vis_margins": vm.mean(), "rewards/vis_accuracies": (vm > 0).float().mean()}
    return loss.mean(), {k: float(v.detach()) for k, v in metrics.items()}


# ----------------------------------------------------------------------------------------------
# 5. Model and batches: LoRA policy, adapter-off reference, and an LM head that only ever sees the
#    answer tokens that carry weight (METHOD.md section 4): no (batch x length x vocab) logits.

def load_model(cfg: Config, train: bool = True):
    """(policy, processor, frozen reference or None). None means: reference = policy, adapters off.
    train=False: the plain model in eval mode, for generation only."""
    from transformers import AutoModelForImageTextToText, AutoProcessor
    path, kw = cfg.model_name_or_path, dict(trust_remote_code=cfg.trust_remote_code)
    if path == "tiny":
        import data_prep
        path = str(data_prep.tiny_model(Path(cfg.cache_dir).expanduser()))
    try:
        processor = AutoProcessor.from_pretrained(path, **kw)
        model = AutoModelForImageTextToText.from_pretrained(
            path, dtype=torch.bfloat16 if DEVICE == "cuda" else torch.float32, **kw).to(DEVICE)
    except (OSError, ValueError) as e:
        where = "the local folder" if Path(path).is_dir() else "the Hugging Face Hub (no network, or no such id)"
        raise ValueError(f"could not load model '{path}' from {where}: {str(e).splitlines()[0]}\nDownload it where "
                         f"there is network (`hf download {path} --local-dir DIR`), then pass --model_name_or_path DIR.") from None
    if not train:
        return model.eval(), processor, None
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if cfg.full_finetune:
        ref = copy.deepcopy(model).eval().requires_grad_(False)
        for n, p in model.named_parameters():  # the language model's layers: vision, projector, embeddings and
            p.requires_grad_(bool(re.search(r"language_model|text_model", n)) and "embed" not in n)  # LM head frozen
        return model, processor, ref
    from peft import LoraConfig, get_peft_model
    return get_peft_model(model, LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                                            use_rslora=cfg.use_rslora, target_modules=cfg.lora_target)), processor, None


def _parts(model):
    """(lm_head, decoder body) of an image-text-to-text model, through a peft wrapper if any."""
    m = model.get_base_model() if hasattr(model, "get_base_model") else model
    return m.get_output_embeddings(), m.model


def chat_prompt(processor, question: str) -> str:
    msgs = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]}]
    return processor.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)


def answer_suffix(processor) -> str:
    """What the chat template writes after an assistant answer (e.g. '<|im_end|>'); it is scored too."""
    full = processor.apply_chat_template([{"role": "user", "content": [{"type": "text", "text": "q"}]}, {
        "role": "assistant", "content": [{"type": "text", "text": "@@"}]}], tokenize=False)
    return full[full.rindex("@@") + 2:].strip() or processor.tokenizer.eos_token


def encode(processor, rows, w_in: float, w_out: float, max_len: int = 256):
    """Stack (image, question, answer, spans) rows into one right-padded batch: the prompt through the processor
    (image tokens expanded), the answer + end-of-turn through the fast tokenizer with offsets (spans -> tokens).
    Returns (inputs, answers, (pixels, index)): answers[i] = (first answer position, labels, weights, in-span
    mask); pixels = the image tensors of each distinct image once, index[i] = row i's image among them."""
    tok, suffix, cache, ids, per_token, images, answers = processor.tokenizer, answer_suffix(processor), {}, [], [], {}, []
    first, index = {}, []
    for image, question, answer, spans in rows:
        fresh = id(image) not in first
        index.append(first.setdefault(id(image), len(first)))
        enc = cache.get((id(image), question)) or cache.setdefault((id(image), question), processor(
            text=[chat_prompt(processor, question)], images=[[image]], return_tensors="pt"))
        a, p = tok(answer + suffix, add_special_tokens=False, return_offsets_mapping=True), enc["input_ids"].shape[1]
        lab, off = a["input_ids"][:max_len], a["offset_mapping"][:max_len]
        ids.append(torch.cat([enc["input_ids"][0], torch.tensor(lab)]))
        per_token.append({k: v[0] for k, v in enc.items() if k != "attention_mask" and v.dim() == 2 and v.shape[1] == p})
        for k, v in enc.items():
            if k not in per_token[-1] and k != "attention_mask":  # pixel_values, image_grid_thw, ...
                images.setdefault(k, []).append((v, fresh))
        answers.append((p, torch.tensor(lab), torch.tensor(token_weights(off, spans, w_in, w_out, len(answer))),
                        torch.tensor(token_weights(off, spans, 1.0, 0.0)) > 0))
    T, pad = max(len(x) for x in ids), tok.pad_token_id or 0
    inputs = {"attention_mask": torch.zeros(len(ids), T, dtype=torch.long)}
    for i, x in enumerate(ids):
        inputs["attention_mask"][i, :len(x)] = 1
        for k, v in (per_token[i] | {"input_ids": x}).items():  # token_type_ids etc.: 0 on answer and padding
            inputs.setdefault(k, torch.full((len(ids), T), pad if k == "input_ids" else 0, dtype=v.dtype))[i, :len(v)] = v
    return (inputs | {k: torch.cat([x for x, _ in v]) for k, v in images.items()}, answers,
            ({k: torch.cat([x for x, new in v if new]) for k, v in images.items()}, torch.tensor(index)))


def shared_images(model, inputs: dict, pixels: dict, index: torch.Tensor) -> dict:
    """With the vision tower frozen, each distinct image is encoded once and its features go to every row that
    shows it, in the policy and the reference pass alike (pixels, index: from encode). Else inputs as given."""
    if not pixels or any(not re.search("language_model|text_model", n) for n, p in model.named_parameters() if p.requires_grad):
        return inputs
    with torch.no_grad():
        enc = _parts(model)[1].get_image_features(**{k: v.to(DEVICE) for k, v in pixels.items()}, return_dict=True)
    f = enc.pooler_output  # per image: a tuple / list, or a tensor whose first dimension counts images
    enc.pooler_output = [f[j] for j in index] if isinstance(f, (tuple, list)) else f.unflatten(
        0, (int(index.max()) + 1, -1))[index.to(f.device)].flatten(0, 1)
    return {k: v for k, v in inputs.items() if not k.startswith("pixel_")} | {"mm_encoder_outputs": {"image": enc}}


class HeadLogps(torch.autograd.Function):
    """Log-probs of `labels` under a frozen LM head W for policy states h and reference states h_ref, and FKL/RKL on
    rows `kl`, `chunk` rows at a time: h, h_ref (S, H), labels, kl (S,) -> logp, ref logp, FKL, RKL, each (S,) fp32.
    Each output depends on its own h_t alone, so its gradient is one (H,) vector, made in forward from the chunk's
    logits and scaled in backward (no logits kept or recomputed; 2 head matmuls per policy row, not 3):
      d logp_t = W[y_t] - p_t W,   d FKL_t = (p_t - q_t) W,   d RKL_t = (p_t * (log p_t - log q_t - RKL_t)) W"""

    @staticmethod
    def forward(ctx, h, h_ref, weight, ref_weight, labels, kl, chunk):
        out = [torch.zeros(len(h), device=h.device) for _ in range(4)]
        jac = torch.zeros(3, *h.shape, dtype=h.dtype, device=h.device) if ctx.needs_input_grad[0] else None
        for i in range(0, len(h), chunk):
            rows, y = torch.arange(i, min(i + chunk, len(h)), device=h.device), labels[i:i + chunk, None]
            lq, lp = _fp32(h_ref[rows] @ ref_weight.T).log_softmax(-1), _fp32(h[rows] @ weight.T).log_softmax(-1)
            out[0][rows], out[1][rows], k = lp.gather(1, y)[:, 0], lq.gather(1, y)[:, 0], rows[kl[rows]]
            lpk, lqk = lp[k - i], lq[k - i]
            out[2][k], out[3][k] = forward_reverse_kl(lpk, lqk)  # log_softmax of log-probs is the identity
            if jac is not None:
                dk = torch.stack([lpk.exp() - lqk.exp(), lpk.exp() * (lpk - lqk - out[3][k, None])])
                jac[1:, k], jac[0, rows] = dk.to(weight.dtype) @ weight, weight[y[:, 0]] - lp.exp_().to(weight.dtype) @ weight
        ctx.save_for_backward(jac), ctx.mark_non_differentiable(out[1])
        return tuple(out)

    @staticmethod
    def backward(ctx, g_logp, _, g_fkl, g_rkl):
        jac = ctx.saved_tensors[0]
        return (torch.stack([g_logp, g_fkl, g_rkl]).to(jac.dtype)[..., None] * jac).sum(0), *[None] * 6


def pair_loss(model, ref_model, processor, pairs: list[dict], cfg: Config):
    """The MedPO loss of a micro-batch of pairs: one policy and one reference forward over the stacked
    branches [(v,y+), (v,y-), (v',y+), (v',y-)], the LM head on the weighted answer tokens only."""
    vis = {"reversed": BRANCHES[2:], "v1": BRANCHES[2:3], "v2": BRANCHES[3:]}[cfg.vis_pair] if cfg.gamma else ()
    branches, B = BRANCHES[:2] + vis, len(pairs)
    rows = [(p["image_vis" if b.endswith("_vis") else "image"], p["question"], p[b.split("_")[0]],
             p[b.split("_")[0] + "_spans"]) for b in branches for p in pairs]
    inputs, answers, (pixels, index) = encode(processor, rows, cfg.w_in, cfg.w_out, cfg.max_completion_length)
    sel = {k: [] for k in ("row", "pos", "label", "w", "kl", "sft")}
    for i, (p, lab, w, span) in enumerate(answers):  # which answer tokens reach the LM head, and why
        kl = (span if cfg.kl_mask == "spans" else torch.ones_like(span)) & (i < B)
        sft = torch.full_like(span, i < B and cfg.sft_weight > 0)
        keep = (w != 0) | kl | sft
        for k, v in zip(sel, (torch.full((int(keep.sum()),), i), torch.arange(p, p + len(lab))[keep], lab[keep],
                              w[keep], kl[keep], sft[keep])):
            sel[k].append(v)
    sel, inputs = {k: torch.cat(v).to(DEVICE) for k, v in sel.items()}, {k: v.to(DEVICE) for k, v in inputs.items()}
    at = (sel["row"], sel["pos"] - 1)  # the hidden state at t-1 predicts token t
    (head, body), (ref_head, ref_body) = _parts(model), _parts(ref_model or model)
    inputs = shared_images(model, inputs, pixels, index)
    if type(head) is not torch.nn.Linear or head.weight.requires_grad or head.bias is not None:
        raise ValueError(f"the LM head must be a frozen nn.Linear with no bias (no LoRA on it), got {head}")
    h = body(**inputs, use_cache=False).last_hidden_state[at]  # (S, H)
    with torch.no_grad(), (model.disable_adapter() if ref_model is None else contextlib.nullcontext()):
        h_ref = ref_body(**inputs, use_cache=False).last_hidden_state[at]
    logp, ref_logp, fkl, rkl = HeadLogps.apply(h, h_ref, head.weight, ref_head.weight, sel["label"], sel["kl"], cfg.head_chunk)
    sums = lambda x: torch.zeros(len(rows), device=DEVICE).index_add(0, sel["row"], x.float()).view(len(branches), B)
    kl_n = sums(sel["kl"])[0].clamp(min=1) if cfg.kl_mask == "response" else 1.0
    nll = -sums(logp * sel["sft"])[0] / sums(sel["sft"])[0].clamp(min=1)
    loss, metrics = medpo_loss(dict(zip(branches, sums(sel["w"] * logp))), dict(zip(branches, sums(sel["w"] * ref_logp))),
                               sums(fkl)[0] / kl_n, sums(rkl)[0] / kl_n, torch.full((B,), bool(vis), device=DEVICE), cfg, nll)
    n_w = sums(sel["w"] != 0)
    return loss, metrics | {"tokens/weighted_chosen": float(n_w[0].mean()), "tokens/weighted_rejected": float(n_w[1].mean()),
                            "tokens/kl": float(sel["kl"].sum()) / B, "tokens/batch": int(inputs["attention_mask"].sum())}


# ----------------------------------------------------------------------------------------------
# 6. Training loop: on-policy rounds (generate -> pairs -> train), exact resume, atomic outputs.

def train(cfg: Config, on_step=None) -> dict:
    """Run MedPO; returns the final metrics. on_step(step, metrics) is called after each optimizer step."""
    import data_prep
    from transformers import get_cosine_schedule_with_warmup
    world, rank = int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("RANK", 0))
    if world > 1:  # torchrun: one process per device; gradients are summed over ranks; rank 0 writes
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"])) if DEVICE == "cuda" else None
        dist.init_process_group("nccl" if DEVICE == "cuda" else "gloo")
    torch.manual_seed(cfg.seed)  # same seed on every rank: identical LoRA initialisation
    out, (train_rows, eval_rows) = Path(cfg.output_dir), data_prep.resolve_data(cfg)  # validated before loading a model
    if (out / "metrics.jsonl").exists() and not cfg.resume:
        raise ValueError(f"{out} already holds a run: pass --resume to continue it or choose another --output_dir")
    model, processor, ref_model = load_model(cfg)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.learning_rate or (2e-5 if cfg.model_name_or_path == "tiny" else 1e-6),
                            weight_decay=cfg.weight_decay)
    given = "chosen" in train_rows[0]  # a pair file: no generation, one round
    rounds, bs, acc = 1 if given else cfg.rounds, cfg.per_device_train_batch_size, cfg.gradient_accumulation_steps * world
    chunks = [train_rows[r::rounds] for r in range(rounds)]
    total = cfg.max_steps if cfg.max_steps > 0 else sum(math.ceil(-(-len(c) // bs) * cfg.num_train_epochs / acc) for c in chunks)
    sched = get_cosine_schedule_with_warmup(opt, int(cfg.warmup_ratio * total), total)
    state = {"step": 0, "round": 0, "round_step": 0, "stats": {}}
    if cfg.resume and (out / "checkpoint").exists():
        state = data_prep.checkpoint_io(out, model, opt, sched)
    old = [json.loads(l) for l in open(out / "metrics.jsonl")] if (out / "metrics.jsonl").exists() else []
    eval_rows = eval_rows if rank == 0 else []  # rank 0 evaluates and writes; drop the steps no checkpoint holds
    rank == 0 and data_prep.write_jsonl(out / "metrics.jsonl", [r for r in old if r["step"] <= state["step"]])
    summary = {"eval_before": data_prep.evaluate(model, processor, eval_rows, cfg)} if eval_rows and not state["step"] else {}
    log = open(out / "metrics.jsonl", "a") if rank == 0 else open(os.devnull, "w")
    pbar = tqdm(total=total, initial=state["step"], desc="medpo", dynamic_ncols=True, disable=rank > 0)
    model.train()
    try:
        for rnd in range(state["round"], rounds):
            pfile, stats = out / "rounds" / f"pairs_{rnd}.jsonl", Counter(state["stats"])
            if given or pfile.exists():
                pairs = train_rows if given else [json.loads(l) for l in open(pfile)]
            else:  # on-policy: the current policy answers, the editor makes the pairs
                pairs = data_prep.build_pairs(model, processor, chunks[rnd], cfg, rnd, shard=(rank, world))
                stats, state["stats"] = pairs.stats, dict(pairs.stats)
                rank == 0 and data_prep.write_jsonl(pfile, pairs)
            if not pairs:
                raise ValueError(f"round {rnd}: no pair could be built from {len(chunks[rnd])} samples ({dict(stats)})")
            g = torch.Generator().manual_seed(cfg.seed * 1000 + rnd)
            order = [i for _ in range(cfg.num_train_epochs) for i in torch.randperm(len(pairs), generator=g).tolist()]
            micro = [order[i:i + bs] for i in range(0, len(order), bs)]
            for k in range(state["round_step"] * acc, len(micro), acc):
                t0, parts, n = time.time(), [], sum(map(len, micro[k:k + acc]))
                for idx in micro[k:k + acc][rank::world]:
                    loss, m = pair_loss(model, ref_model, processor, [data_prep.load_images(pairs[i], cfg) for i in idx], cfg)
                    if not torch.isfinite(loss):
                        raise FloatingPointError(f"loss is {loss.item()} at step {state['step'] + 1}; stopped, the last "
                                                 f"good checkpoint ({out / 'checkpoint'}) is kept")
                    (loss * len(idx) / n).backward()
                    parts.append(m | {"loss": loss.item()})
                for p in params if world > 1 else ():  # sum of the ranks' shares = the whole step's gradient
                    p.grad = p.grad if p.grad is not None else torch.zeros_like(p)
                    dist.all_reduce(p.grad)
                gnorm = torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
                opt.step(), sched.step(), opt.zero_grad(set_to_none=True)
                state["step"], state["round_step"], dt = state["step"] + 1, state["round_step"] + 1, time.time() - t0
                row = {"step": state["step"], "round": rnd, "lr": sched.get_last_lr()[0], "grad_norm": float(gnorm)}
                row |= {k: float(np.mean([p[k] for p in parts if k in p])) for k in parts[0]} | {
                    "pairs/" + k: v for k, v in stats.items()} | {"step_time_s": dt, "tokens_per_s": sum(
                        p["tokens/batch"] for p in parts) / dt, "peak_mem_gb": torch.cuda.max_memory_allocated() / 2**30
                        if DEVICE == "cuda" else resource.getrusage(0).ru_maxrss / 2**20}  # CPU: peak RSS (KiB)
                log.write(json.dumps(row) + "\n"), log.flush()
                pbar.update(), pbar.set_postfix(loss=f"{row['loss']:.4f}", margin=f"{row['rewards/margins']:.3f}")
                on_step and on_step(state["step"], row)
                if state["step"] % cfg.save_steps == 0 and rank == 0:
                    data_prep.checkpoint_io(out, model, opt, sched, state)
                if state["step"] >= total:
                    break
            if state["step"] >= total:
                break
            state.update(round=rnd + 1, round_step=0)
    except KeyboardInterrupt:
        rank == 0 and data_prep.checkpoint_io(out, model, opt, sched, state)
        print(f"\ninterrupted: checkpoint of step {state['step']} in {out / 'checkpoint'}; rerun with --resume to continue")
        raise
    finally:
        pbar.close(), log.close()
    if world > 1:
        dist.all_gather_object(sums := [None] * world, [float(p.double().sum()) for p in params])
        assert all(x == sums[0] for x in sums), "the ranks ended with different weights"
        dist.destroy_process_group()
        if rank > 0:
            return {"steps": state["step"]}
    data_prep.checkpoint_io(out, model, opt, sched, state)
    pairs_all = [json.loads(l) for f in sorted((out / "rounds").glob("pairs_*.jsonl")) for l in open(f)]
    data_prep.write_jsonl(out / "pairs.jsonl", pairs_all or train_rows)
    final = model.merge_and_unload() if cfg.merge and ref_model is None else model
    final.save_pretrained(out / "final"), processor.save_pretrained(out / "final")
    summary |= {"steps": state["step"], "pairs": len(pairs_all or train_rows), "pair_stats": state["stats"]}
    if eval_rows:
        summary["eval_after"] = data_prep.evaluate(model, processor, eval_rows, cfg)
    data_prep.write_atomic(out / "summary.json", lambda t: Path(t).write_text(json.dumps(summary, indent=1)))
    return summary


if __name__ == "__main__":
    from transformers import HfArgumentParser
    res = train(HfArgumentParser(Config).parse_args_into_dataclasses()[0])
    for when in ("eval_before", "eval_after"):
        print(when, {k: round(v, 3) for k, v in res.get(when, {}).items() if isinstance(v, float)})
