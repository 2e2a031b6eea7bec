"""MedPO: fine-grained, on-policy, visually grounded preference optimisation for medical VLMs.

The reference implementation of "Analyzing and Improving Fine-grained Preference Optimization in
Medical LVLMs" (arXiv 2606.12590), in one file that reads top to bottom:

  Config -> 1. pairs -> 2. lesion corruption -> 3. log-probs and KL -> 4. losses
         -> 5. model and batches -> 6. answers, pairs and evaluation -> 7. training loop

  python medpo.py --data demo                      # CPU, offline, ~1 min: the whole method
  python medpo.py --model_name_or_path google/medgemma-4b-it --data train.jsonl \
      --eval_data test.jsonl --gradient_checkpointing true     # one GPU, a real model
  python medpo.py pairs --model_name_or_path ID --data samples.jsonl --output_dir DIR
                                                   # on-policy pairs and v' only, no training
  torchrun --nproc_per_node=N medpo.py ...         # data-parallel over N devices

The model answers a question about an image. An editor corrects only the clinically wrong words
of that answer (or plants one plausible error in a right answer), so chosen y+ and rejected y-
differ in a few tokens. The loss is a DPO margin over those tokens, a preference that must
reverse when the lesion is hidden (image v'), and a forward + reverse token KL on the edited
tokens of y+ (docs/METHOD.md has every equation, default and special case):

  L       = mean_batch[ L_pref + gamma L_vis + alpha L_KL ]
  L_pref  = -log sigmoid(beta [R(y+; v) - R(y-; v)])
  L_vis   = -log sigmoid(beta [R(y-; v') - R(y+; v')])
  L_KL    = sum_{t in S+} lam FKL_t + (1 - lam) RKL_t
  R(y; v) = sum_t w_t [log pi(y_t | v, q, y_<t) - log pi_ref(y_t | v, q, y_<t)]

Where this code departs from the paper's code:
  1. Spans map to tokens through offset_mapping on the clean text (tag tokens shift BPE).
  2. KL from log_softmax in fp32 (softmax().log() gives NaN at extreme logits).
  3. v' is seeded by the sample id: the same v' reaches policy and reference, run after run.
  4. One policy and one reference pass per step, each image encoded once, and the LM head
     applied to the weighted answer tokens only: no (batch x length x vocab) logits.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import functools
import json
import math
import os
import re
import resource
import shutil
import sys
import threading
import time
import warnings
import zlib
from collections import Counter
import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.distributed.tensor import DTensor
from PIL import Image, ImageFilter
from tqdm import tqdm

import data_prep
from data_prep import WORD, check_text, clinical_edit, counterfactual_edit

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
CORRUPTIONS = ("lesion_noise", "global_noise", "blur", "black", "full_black", "crop")
LANGUAGE_MODEL = re.compile(r"language_model|text_model")  # parameter names of the text decoder
LORA_TARGET = (
    r".*(language_model|text_model)\.layers\.\d+\.(self_attn|mlp)\.(q|k|v|o|gate|up|down)_proj"
)


# -------------------------------------------------------------------------------------------------
# Config: every field is a command-line flag (--beta 0.1); its help text sits next to it.

PAPER_DEFAULTS = dict(learning_rate=1e-6, lora_r=128, lora_alpha=256, corruption="lesion_noise")
POSITIVE = ["beta", "learning_rate", "lora_r", "lora_alpha", "rounds", "max_new_tokens"]
POSITIVE += ["num_train_epochs", "per_device_train_batch_size", "gradient_accumulation_steps"]
POSITIVE += ["head_chunk", "max_completion_length", "save_steps", "save_total_limit"]
POSITIVE += ["editor_timeout"]
NON_NEGATIVE = ["gamma", "alpha", "w_in", "w_out", "anchor_weight", "sft_weight", "sigma"]
NON_NEGATIVE += ["global_sigma", "weight_decay", "max_grad_norm", "eval_limit", "max_image_side"]
BELOW_ONE = ["lora_dropout", "warmup_ratio"]


def arg(default, help: str, **kw):
    """A Config field: its default, its --help text and, optionally, choices=[...]."""
    return field(default=default, metadata={"help": help, **kw})


@dataclass
class Config:
    # data and model
    model_name_or_path: str = arg("tiny", "HF id or local folder; 'tiny' = the offline demo model")
    data: str = arg("demo", "sample or pair JSONL (see README); 'demo' = the generated demo world")
    eval_data: str = arg(
        "", "JSONL for the final evaluation (default: the demo test split, or none)"
    )
    output_dir: str = arg("runs/medpo", "metrics, pairs, checkpoint-<step>/ and final/ go here")
    cache_dir: str = arg("~/.cache/medpo", "where the demo world and the tiny model are built once")
    trust_remote_code: bool = arg(False, "allow model code from the hub (off: transformers' own)")
    # loss (defaults are the paper's)
    beta: float = arg(0.1, "DPO temperature on the token-weighted margins")
    gamma: float = arg(0.1, "weight of the reversed visual-contrastive term")
    lam: float = arg(0.5, "KL mix: lam * FKL + (1 - lam) * RKL (1 = forward only)")
    alpha: float = arg(0.01, "weight of the span KL term")
    w_in: float = arg(1.0, "weight of edited-span tokens in R(y)")
    w_out: float = arg(0.0, "weight of the other answer tokens in R(y)")
    kl_mask: str = arg(
        "spans",
        "KL on the edited y+ tokens (sum) or all of y+ (mean)",
        choices=["spans", "response"],
    )
    vis_pair: str = arg(
        "reversed",
        "(v',y-)>(v',y+) | v1: (v,y+)>(v',y+) | v2: (v,y+)>(v',y-)",
        choices=["reversed", "v1", "v2"],
    )
    anchor_weight: float = arg(0.0, "weight of the mDPO anchor -log sigmoid(beta R(y+; v))")
    sft_weight: float = arg(0.0, "weight of an RPO-style NLL of y+ (per-token mean)")
    # lesion corruption
    corruption: str = arg(
        "auto", "how v' is made (auto: see below)", choices=["auto", *CORRUPTIONS]
    )
    sigma: float = arg(45.0, "lesion noise std on the 0..255 scale")
    global_sigma: float = arg(12.0, "whole-image noise std when no lesion is known")
    max_image_side: int = arg(1024, "images are downscaled to this longer side once (0: never)")
    # on-policy pairs
    rounds: int = arg(1, "generate-pairs-then-train rounds (1: pairs from the initial model only)")
    max_new_tokens: int = arg(48, "longest answer generated")
    editor_url: str = arg("", "OpenAI-compatible chat endpoint of an LLM editor (default: rules)")
    editor_model: str = arg("", "model name sent to the LLM editor endpoint")
    editor_timeout: float = arg(60.0, "seconds to wait for one LLM editor reply (3 tries)")
    editor_allow_remote: bool = arg(False, "allow an editor on another host: clinical text leaves")
    # optimisation
    num_train_epochs: int = arg(1, "passes over each round's pairs")
    max_steps: int = arg(-1, "stop after this many optimizer steps (-1: all rounds and epochs)")
    per_device_train_batch_size: int = arg(2, "pairs per micro-batch (each pair is 4 sequences)")
    gradient_accumulation_steps: int = arg(4, "micro-batches per optimizer step")
    learning_rate: float = arg(0.0, "AdamW learning rate, cosine decay (0: auto)")
    weight_decay: float = arg(0.0, "AdamW weight decay")
    warmup_ratio: float = arg(0.0, "share of the steps spent in linear warm-up")
    max_grad_norm: float = arg(1.0, "gradient clipping (0: none)")
    lora_r: int = arg(0, "LoRA rank, language model only (0: auto)")
    lora_alpha: int = arg(0, "LoRA alpha (0: auto)")
    lora_dropout: float = arg(0.05, "LoRA dropout")
    use_rslora: bool = arg(True, "rank-stabilised LoRA scaling alpha / sqrt(r)")
    lora_target: str = arg(LORA_TARGET, "regex of the modules that get LoRA")
    full_finetune: bool = arg(False, "train the language model's layers; reference: a frozen copy")
    gradient_checkpointing: bool = arg(False, "recompute activations in backward (big models)")
    fsdp: bool = arg(False, "several processes: shard the decoder over them (FSDP2), not DDP")
    head_chunk: int = arg(256, "rows per LM-head chunk in the loss (memory ~ head_chunk x vocab)")
    share_prefix: bool = arg(True, "compute each image-and-question prompt once per step (exact)")
    max_completion_length: int = arg(256, "answers are cut to this many tokens")
    seed: int = arg(42, "seed for data order, dropout and counterfactual edits")
    # outputs
    save_steps: int = arg(50, "write a checkpoint every N optimizer steps")
    save_total_limit: int = arg(2, "keep the newest N checkpoints")
    resume: bool = arg(False, "continue from the newest checkpoint exactly where it stopped")
    nan_policy: str = arg("skip", "a non-finite loss or gradient: skip the update (stop after 3 in "
                          "a row) or stop at once", choices=["skip", "stop"])  # fmt: skip
    merge: bool = arg(False, "save the LoRA merged into the model instead of the adapter")
    eval_limit: int = arg(0, "evaluate on at most N samples (0: all)")

    def __post_init__(self):
        """Flags left at auto (0, or 'auto') take the paper's values (PAPER_DEFAULTS); the tiny
        model on the demo world takes the demo's, chosen on its validation split (DEMO_DEFAULTS
        in data_prep.py)."""
        demo = self.model_name_or_path == "tiny" and self.data == "demo"
        values = data_prep.DEMO_DEFAULTS if demo else PAPER_DEFAULTS
        for name, value in values.items():
            if getattr(self, name) in (0, "auto"):
                setattr(self, name, value)
        problems = [f"--{name} {getattr(self, name)}: expected {want}" for name, want in self.bad()]
        if problems:
            raise data_prep.InputError("; ".join(problems))

    def bad(self) -> list[tuple[str, str]]:
        """(flag, what it should be) for each flag out of its range."""
        found = [(n, "a number > 0") for n in POSITIVE if not getattr(self, n) > 0]
        found += [(n, "a number >= 0") for n in NON_NEGATIVE if not getattr(self, n) >= 0]
        found += [(n, "a number in [0, 1)") for n in BELOW_ONE if not 0 <= getattr(self, n) < 1]
        if not 0 <= self.lam <= 1:
            found.append(("lam", "a number in [0, 1] (the share of the forward KL)"))
        if self.max_steps == 0 or self.max_steps < -1:
            found.append(("max_steps", "-1 (all rounds and epochs) or a number >= 1"))
        if self.w_in == 0 and self.w_out == 0:
            found.append(("w_in", "a weight > 0 where --w_out is 0: else no token counts"))
        return found


# -------------------------------------------------------------------------------------------------
# 1. Pairs: the model's own answer, minimally edited. An editor (the rule editor of data_prep.py
#    by default, or an LLM) corrects the wrong words or plants one error; a word-level diff gives
#    the edited spans; the tokenizer's offsets map them to per-token weights w_t.


def edit_spans(rejected: str, chosen: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(rejected_spans, chosen_spans): character spans [start, end) of every region where a
    word-level diff of the two texts does not match, on each side where the region is not empty.
    Case-sensitive; each punctuation mark is a word of its own.
    Needs: difflib, data_prep.WORD, data_prep.check_text."""
    check_text("rejected", rejected)
    check_text("chosen", chosen)
    r_words = list(WORD.finditer(rejected))
    c_words = list(WORD.finditer(chosen))
    matcher = difflib.SequenceMatcher(
        None, [m.group() for m in r_words], [m.group() for m in c_words], autojunk=False
    )
    r_spans, c_spans = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:  # a pure insertion has no rejected span
            r_spans.append((r_words[i1].start(), r_words[i2 - 1].end()))
        if j2 > j1:  # a pure deletion has no chosen span
            c_spans.append((c_words[j1].start(), c_words[j2 - 1].end()))
    return r_spans, c_spans


def build_pair(
    response: str, reference: str, editor=clinical_edit, rng=None, stats: Counter | None = None
) -> dict | None:
    """An on-policy pair from the model's own answer `response`.
    Wrong (the editor changes it): chosen = the editor's correction, rejected = the answer.
    Right (the editor returns it unchanged): chosen = the answer, rejected = counterfactual_edit.
    editor(response, reference) -> corrected text or None (cannot tell) is pluggable.
    Returns chosen, rejected, chosen_spans, rejected_spans, model_correct; None when no pair can
    be made, and then stats (a Counter) says why.
    Needs: difflib, edit_spans, data_prep.WORD, data_prep.check_text, data_prep.clinical_edit,
    data_prep.counterfactual_edit."""
    check_text("response", response)
    check_text("reference", reference)
    fixed = editor(response, reference)
    model_correct = fixed == response
    chosen, rejected = fixed, response
    if model_correct:
        chosen, rejected = response, counterfactual_edit(response, rng)
    rejected_spans, chosen_spans = [], []
    if chosen and rejected:
        rejected_spans, chosen_spans = edit_spans(rejected, chosen)
    why = None
    if fixed is None:
        why = "skipped_undecidable"
    elif rejected is None:
        why = "skipped_no_clinical_term"
    elif not (rejected_spans or chosen_spans):
        why = "skipped_no_difference"
    if stats is not None:
        stats[why or ("model_correct" if model_correct else "model_wrong")] += 1
    if why:
        return None
    return dict(
        chosen=chosen,
        rejected=rejected,
        chosen_spans=chosen_spans,
        rejected_spans=rejected_spans,
        model_correct=model_correct,
    )


def token_weights(offsets, spans, w_in=1.0, w_out=0.0, text_len: int | None = None) -> list[float]:
    """Per-token weights w_t: w_in for a token whose characters [a, b) overlap a span [s, e),
    w_out for every other token. offsets: the fast tokenizer's offset_mapping on the clean text."""
    for s, e in spans:
        if not (0 <= s < e) or (text_len is not None and e > text_len):
            raise ValueError(
                f"span ({s}, {e}) is not a valid [start, end) in a {text_len}-char text"
            )
    weights = []
    for a, b in offsets:
        overlaps = b > a and any(a < e and b > s for s, e in spans)
        weights.append(w_in if overlaps else w_out)
    return weights


# -------------------------------------------------------------------------------------------------
# 2. Lesion corruption v': the lesion region corrupted, every other pixel bit-identical.

PIXEL_MAX = {"L": 255, "RGB": 255, "RGBA": 255, "I;16": 65535}  # sigma is on the 0..255 scale


def lesion_mask(lesion, size: tuple[int, int]) -> np.ndarray | None:
    """An (H, W) bool mask from None, one box (x0, y0, x1, y1), a list of boxes, an (H, W) bool
    array or a mask image (non-zero = lesion). Boxes are pixel corners, clipped to the image."""
    if lesion is None:
        return None
    if isinstance(lesion, (Image.Image, np.ndarray)):
        return _array_mask(lesion, size)
    return _boxes_mask(lesion, size)


def _array_mask(lesion, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    mask = np.asarray(lesion.convert("L") if isinstance(lesion, Image.Image) else lesion)
    if mask.shape != (h, w):
        raise ValueError(f"lesion mask has shape {mask.shape} but the image is {h}x{w} (HxW)")
    if not mask.any():
        raise ValueError("lesion mask is empty: pass lesion=None for the global fallback")
    return mask.astype(bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, bool)


def _boxes_mask(lesion, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    boxes = [lesion] if all(_is_number(v) for v in lesion) else lesion  # one box or a list
    mask = np.zeros((h, w), bool)
    for box in boxes:
        four = isinstance(box, (list, tuple, np.ndarray)) and len(box) == 4
        if not (four and all(_is_number(v) and math.isfinite(v) for v in box)):
            raise ValueError(f"lesion box {box!r} is not four finite numbers (x0, y0, x1, y1)")
        x0, y0, x1, y1 = box
        if x1 <= x0 or y1 <= y0:
            raise ValueError(f"lesion box {tuple(box)} is degenerate: need x1 > x0 and y1 > y0")
        if x1 <= 0 or y1 <= 0 or x0 >= w or y0 >= h:
            raise ValueError(f"lesion box {tuple(box)} lies outside the {w}x{h} (WxH) image")
        mask[max(0, int(y0)) : min(h, math.ceil(y1)), max(0, int(x0)) : min(w, math.ceil(x1))] = 1
    return mask


def corrupt_lesion(
    image: Image.Image,
    lesion=None,
    sigma: float = 45.0,
    global_sigma: float = 12.0,
    seed: int = 0,
    mode: str = "lesion_noise",
) -> Image.Image:
    """v': the image with its lesion region corrupted and every other pixel bit-identical.
    lesion_noise (the method): N(0, sigma^2) per colour channel inside the region (0..255 scale,
    x257 for 16-bit), rounded and clipped; with no region known, N(0, global_sigma^2) everywhere.
    Ablations: global_noise, blur, black (the region), full_black, crop (mDPO-style: a random crop
    of 20% of the area, resized back). Alpha is never changed. Same seed, same v'.
    Needs: math, numpy as np, PIL.Image, PIL.ImageFilter, CORRUPTIONS, PIXEL_MAX, lesion_mask,
    _array_mask, _boxes_mask, _is_number, _random_crop, _blurred."""
    if not isinstance(image, Image.Image) or image.mode not in PIXEL_MAX:
        raise ValueError(
            f"image must be a PIL.Image in mode {', '.join(PIXEL_MAX)}; got "
            f"{type(image).__name__} {getattr(image, 'mode', '')!r}: convert it first"
        )
    if mode not in CORRUPTIONS:
        raise ValueError(f"mode {mode!r} is not one of {CORRUPTIONS}")
    rng = np.random.default_rng(seed)
    mask = lesion_mask(lesion, image.size)
    if mode == "crop":
        return _random_crop(image, rng)
    whole = mask is None or mode in ("global_noise", "full_black")
    region = np.ones((image.height, image.width), bool) if whole else mask
    pixels = np.array(image)
    channels = pixels[..., None] if pixels.ndim == 2 else pixels  # (H, W, C) view of pixels
    n_colour = 3 if image.mode == "RGBA" else channels.shape[2]  # alpha is never changed
    top = PIXEL_MAX[image.mode]
    if mode in ("lesion_noise", "global_noise"):
        values = channels[region, :n_colour].astype(np.float64)
        std = global_sigma if whole else sigma
        noise = rng.normal(0.0, std * top / 255, values.shape)
        channels[region, :n_colour] = np.clip(np.rint(values + noise), 0, top)
    elif mode in ("black", "full_black"):
        channels[region, :n_colour] = 0
    else:  # blur
        channels[region, :n_colour] = _blurred(image, region, top)[region, :n_colour]
    return Image.fromarray(pixels)


def _random_crop(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A random crop of 20% of the area, resized back to the image's size."""
    w, h = image.size
    cw, ch = round(w * math.sqrt(0.2)), round(h * math.sqrt(0.2))
    x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
    return image.crop((x, y, x + cw, y + ch)).resize(image.size, Image.BILINEAR)


def _blurred(image: Image.Image, region: np.ndarray, top: int) -> np.ndarray:
    """(H, W, C) Gaussian blur of the image, radius growing with the region's size."""
    radius = max(2.0, 0.1 * math.sqrt(region.sum()))
    source = image.convert("F") if image.mode == "I;16" else image
    blurred = np.asarray(source.filter(ImageFilter.GaussianBlur(radius)))
    blurred = blurred[..., None] if blurred.ndim == 2 else blurred
    return np.clip(np.rint(blurred), 0, top)


# -------------------------------------------------------------------------------------------------
# 3. Log-probs and KL, always in fp32 (or wider) from log_softmax.


def _fp32(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype in (torch.float32, torch.float64) else x.float()


def token_logps(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """log pi(label | context) per position, fp32. Shape: logits (..., V), labels (...) -> (...).
    Needs: torch, _fp32."""
    logits = _fp32(logits)
    return logits.gather(-1, labels.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1)


def forward_reverse_kl(policy_logits, ref_logits) -> tuple[torch.Tensor, torch.Tensor]:
    """(FKL, RKL) = (KL(pi_ref || pi), KL(pi || pi_ref)) per position over the last dim, fp32,
    from log_softmax (finite at +-1e4 logits, where softmax().log() gives -inf). Log-probs work
    as inputs too: the log_softmax of log-probs is the identity.
    Shape: (..., V), (..., V) -> (...), (...). Needs: torch, _fp32."""
    log_p = _fp32(policy_logits).log_softmax(-1)
    log_q = _fp32(ref_logits).log_softmax(-1)
    fkl = (log_q.exp() * (log_q - log_p)).sum(-1)
    rkl = (log_p.exp() * (log_p - log_q)).sum(-1)
    return fkl, rkl


def kl_mix(fkl: torch.Tensor, rkl: torch.Tensor, lam: float) -> torch.Tensor:
    """The bidirectional KL: lam * FKL + (1 - lam) * RKL (lam = 1: forward only). Any shape."""
    return lam * fkl + (1.0 - lam) * rkl


def bidirectional_kl(policy_logits, ref_logits, lam: float = 0.5) -> torch.Tensor:
    """lam * KL(pi_ref || pi) + (1 - lam) * KL(pi || pi_ref) per position, fp32.
    Shape: (..., V), (..., V) -> (...). Needs: torch, _fp32, forward_reverse_kl, kl_mix."""
    fkl, rkl = forward_reverse_kl(policy_logits, ref_logits)
    return kl_mix(fkl, rkl, lam)


# -------------------------------------------------------------------------------------------------
# 4. Losses.


def preference_loss(
    policy_chosen: torch.Tensor,
    policy_rejected: torch.Tensor,
    ref_chosen: torch.Tensor,
    ref_rejected: torch.Tensor,
    beta: float = 0.1,
) -> torch.Tensor:
    """DPO (Rafailov et al. 2023, eq. 7) on token-weighted log-prob sums:
    -log sigmoid(beta * [(policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)])
    Shape: four (B,) tensors -> (B,). L_pref and L_vis are both this function.
    Needs: torch.nn.functional as F."""
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(beta * margin)


BRANCHES = ("chosen", "rejected", "chosen_vis", "rejected_vis")  # (v,y+) (v,y-) (v',y+) (v',y-)
VISUAL_PAIRS = {  # the visual term's (preferred, dispreferred) branches
    "reversed": ("rejected_vis", "chosen_vis"),  # the method: under v' the preference reverses
    "v1": ("chosen", "chosen_vis"),  # ablations: (v, y+) over (v', y+) ...
    "v2": ("chosen", "rejected_vis"),  # ... and (v, y+) over (v', y-)
}


def medpo_loss(policy, reference, fkl, rkl, has_vis, cfg, chosen_nll=None):
    """The MedPO objective and its metrics.
    policy, reference: branch name (BRANCHES) -> (B,) weighted log-prob sums sum_t w_t log pi(y_t).
    fkl, rkl: (B,) the KL of the (v, y+) pass, already summed over S+ (or averaged, kl_mask).
    has_vis: (B,) bool, g in the paper: the visual term counts only where v' exists.
    chosen_nll: (B,) per-token mean NLL of y+, needed when cfg.sft_weight > 0.
    cfg: anything with beta, gamma, lam, alpha, vis_pair, anchor_weight, sft_weight (a Config).
    Returns the scalar mean_B[L_pref + gamma L_vis + alpha L_KL (+ anchor, SFT)] and metrics.
    Needs: torch, torch.nn.functional as F, preference_loss, kl_mix, VISUAL_PAIRS."""
    rewards = {b: policy[b] - reference[b] for b in policy}  # R(y; v) of each branch, (B,)
    l_pref = preference_loss(
        policy["chosen"], policy["rejected"], reference["chosen"], reference["rejected"], cfg.beta
    )
    win, lose = VISUAL_PAIRS[cfg.vis_pair]
    g = has_vis.to(l_pref.dtype)
    l_vis = torch.zeros_like(l_pref)
    if cfg.gamma and has_vis.any():
        l_vis = preference_loss(
            policy[win], policy[lose], reference[win], reference[lose], cfg.beta
        )
        l_vis = l_vis * g
    l_kl = kl_mix(fkl, rkl, cfg.lam)
    loss = l_pref + cfg.gamma * l_vis + cfg.alpha * l_kl
    if cfg.anchor_weight:
        loss = loss - cfg.anchor_weight * F.logsigmoid(cfg.beta * rewards["chosen"])
    if cfg.sft_weight:
        loss = loss + cfg.sft_weight * chosen_nll
    margins = cfg.beta * (rewards["chosen"] - rewards["rejected"])
    metrics = {
        "loss/pref": l_pref.mean(),
        "loss/kl": l_kl.mean(),
        "kl/forward": fkl.mean(),
        "kl/reverse": rkl.mean(),
        "rewards/chosen": cfg.beta * rewards["chosen"].mean(),
        "rewards/rejected": cfg.beta * rewards["rejected"].mean(),
        "rewards/margins": margins.mean(),
        "rewards/accuracies": (margins > 0).float().mean(),
    }
    if has_vis.any() and win in rewards and lose in rewards:
        vis_margins = cfg.beta * (rewards[win] - rewards[lose])[has_vis]
        metrics["loss/vis"] = l_vis.sum() / g.sum()
        metrics["rewards/vis_margins"] = vis_margins.mean()
        metrics["rewards/vis_accuracies"] = (vis_margins > 0).float().mean()
    return loss.mean(), {k: float(v.detach()) for k, v in metrics.items()}


# -------------------------------------------------------------------------------------------------
# 5. Model and batches: a LoRA policy, the adapter-off reference, and an LM head that only ever
#    sees the answer tokens that carry weight (no batch x length x vocab logits).


def load_model(cfg: Config, for_generation: bool = False, processor=None):
    """(policy, processor, reference). reference None means the policy with its adapter disabled.
    for_generation: the plain model in eval mode, no adapter."""
    from transformers import AutoModelForImageTextToText

    path, local_only = data_prep.model_source(cfg.model_name_or_path, cfg.cache_dir)
    processor = processor or load_processor(cfg)
    dtype = torch.bfloat16 if DEVICE == "cuda" else torch.float32
    kw = dict(trust_remote_code=cfg.trust_remote_code, local_files_only=local_only, dtype=dtype)
    sharded_later = cfg.fsdp and not for_generation  # FSDP moves each rank's shard there
    try:
        if sharded_later and os.environ.get("RANK", "0") != "0":
            model = empty_model(path, kw)
        else:
            model = AutoModelForImageTextToText.from_pretrained(path, **kw)
            model = model.to("cpu" if sharded_later else DEVICE)
    except (OSError, ValueError) as e:
        raise data_prep.load_error(path, e) from None
    if for_generation:
        return model.eval(), processor, None
    if cfg.gradient_checkpointing:  # transformers 5's name for gradient_checkpointing_enable
        model.activation_checkpointing_enable({"use_reentrant": False})
    if cfg.full_finetune:
        reference = copy.deepcopy(model).eval().requires_grad_(False)
        for name, p in model.named_parameters():  # vision, projector, embeddings, LM head frozen
            p.requires_grad_(bool(LANGUAGE_MODEL.search(name)) and "embed" not in name)
        return model, processor, reference
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        use_rslora=cfg.use_rslora,
        target_modules=cfg.lora_target,
    )
    with warnings.catch_warnings():  # peft asks transformers 5 a question it has deprecated
        warnings.filterwarnings(
            "ignore", "`is_gradient_checkpointing` is deprecated", FutureWarning
        )
        return get_peft_model(model, lora), processor, None


def empty_model(path: str, kw: dict):
    """The model's modules without weights (on the meta device): under FSDP the ranks other than
    0 receive their shards from rank 0 (shard_from_rank0) instead of each reading the whole
    model into memory."""
    from transformers import AutoConfig, AutoModelForImageTextToText, GenerationConfig

    config = AutoConfig.from_pretrained(path, **kw)
    with torch.device("meta"):
        model = AutoModelForImageTextToText.from_config(
            config, dtype=kw["dtype"], trust_remote_code=kw["trust_remote_code"]
        )
    with contextlib.suppress(OSError):  # the model's own generation settings, if it has them
        model.generation_config = GenerationConfig.from_pretrained(path, **kw)
    return model


def load_processor(cfg: Config):
    """The model's processor (tokenizer, image processor, chat template): cheap, so the data is
    checked against it before the model itself is loaded."""
    from transformers import AutoProcessor

    path, local_only = data_prep.model_source(cfg.model_name_or_path, cfg.cache_dir)
    kw = dict(trust_remote_code=cfg.trust_remote_code, local_files_only=local_only)
    try:
        return AutoProcessor.from_pretrained(path, **kw)
    except (OSError, ValueError) as e:
        raise data_prep.load_error(path, e) from None


def model_parts(model):
    """(LM head, decoder body) of an image-text-to-text model, through a peft wrapper if any."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return base.get_output_embeddings(), base.model


def frozen_head_weight(model) -> torch.Tensor:
    """The LM head's (V, H) weight, after checking what HeadLogps needs: a frozen nn.Linear with
    no bias (no LoRA on it)."""
    head = model_parts(model)[0]
    if type(head) is not torch.nn.Linear or head.weight.requires_grad or head.bias is not None:
        raise data_prep.InputError(
            f"the LM head must be a frozen nn.Linear with no bias (no LoRA), got {head}"
        )
    return head.weight


def shard_decoder(model) -> None:
    """FSDP2 over the ranks, in place: each layer of the text decoder, then the body, which keeps
    the rest (vision tower, projector, embeddings, norms). The root and the frozen LM head stay
    whole: HeadLogps reads the head's weight. Parameter names do not change. From here on every
    rank must make the same forward calls."""
    from torch.distributed.fsdp import fully_shard

    body = model_parts(model)[1]
    for name, module in body.named_modules():
        if LANGUAGE_MODEL.search(name) and name.endswith(".layers"):
            for layer in module:
                fully_shard(layer)
    fully_shard(body)


@contextlib.contextmanager
def unsharded(body):
    """The body's own weights gathered whole (FSDP), for a call that is not its forward."""
    if not is_sharded(body):
        yield
        return
    body.unshard()
    try:
        yield
    finally:
        body.reshard()


def is_sharded(model) -> bool:
    """FSDP has sharded the model: each forward then needs every rank."""
    return any(isinstance(p, DTensor) for p in model.parameters())


def whole(tensor: torch.Tensor) -> torch.Tensor:
    """The whole tensor of a sharded parameter (every rank must call), else the tensor itself."""
    return tensor.full_tensor() if isinstance(tensor, DTensor) else tensor


def chat_prompt(processor, question: str) -> str:
    """The chat template's user turn with one image and the question, then the answer's start."""
    content = [{"type": "image"}, {"type": "text", "text": question}]
    messages = [{"role": "user", "content": content}]
    return processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def answer_suffix(processor) -> str:
    """What the chat template writes after an answer (e.g. '<|im_end|>'); it is scored too."""
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "q"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "@@"}]},
    ]
    full = processor.apply_chat_template(messages, tokenize=False)
    return full[full.rindex("@@") + 2 :].strip() or processor.tokenizer.eos_token


@dataclass
class Answer:
    """One encoded answer: its row and where it starts there, and per answer token its label,
    its weight w_t, whether it lies in an edited span, and the position of the hidden state that
    predicts it (the one before it; the prompt's last for the first token). Tensors (A,)."""

    row: int
    start: int
    labels: torch.Tensor
    weights: torch.Tensor
    in_span: torch.Tensor
    states: torch.Tensor


@dataclass
class Batch:
    """Rows (image, question, answer, spans) as one right-padded batch."""

    inputs: dict  # the model's inputs: input_ids, attention_mask (R, T), pixel_values, ...
    answers: list  # one Answer per (image, question, answer) row, in the rows' order
    pixels: dict  # the image tensors of each distinct image, once
    image_index: torch.Tensor  # (rows,) each row's image among the distinct ones
    row_images: list  # each row's own image tensors (pixel_values, image_grid_thw, ...)
    tokens: int  # the tokens scored: prompts and answers, no padding


def encode(processor, rows, w_in: float, w_out: float, max_len: int = 256) -> Batch:
    """Stack (image, question, answer, spans) rows into one right-padded batch. The prompt goes
    through the processor (image tokens expanded); the answer and the end of turn through the
    fast tokenizer with offsets, so that character spans map to tokens."""
    tokenizer, suffix = processor.tokenizer, answer_suffix(processor)
    prompts, distinct, index = {}, {}, []
    sequences, answers, image_tensors = [], [], {}
    for image, question, answer, spans in rows:
        new_image = id(image) not in distinct
        index.append(distinct.setdefault(id(image), len(distinct)))
        key = (id(image), question)
        if key not in prompts:
            text = [chat_prompt(processor, question)]
            prompts[key] = processor(text=text, images=[[image]], return_tensors="pt")
        prompt = prompts[key]
        start = prompt["input_ids"].shape[1]
        labels, offsets, weights = answer_tokens(
            tokenizer, suffix, answer, spans, w_in, w_out, max_len
        )
        per_token = {k: v[0] for k, v in prompt.items() if _is_per_token(k, v, start)}
        per_token["input_ids"] = torch.cat([per_token["input_ids"], torch.tensor(labels)])
        sequences.append(per_token)
        for k, v in prompt.items():  # pixel_values, image_grid_thw, ...
            if k != "attention_mask" and k not in per_token:
                image_tensors.setdefault(k, []).append((v, new_image))
        weights = torch.tensor(weights)
        in_span = torch.tensor(token_weights(offsets, spans, 1.0, 0.0)) > 0
        states = torch.arange(start - 1, start - 1 + len(labels))
        answers.append(Answer(len(answers), start, torch.tensor(labels), weights, in_span, states))
    inputs = _pad_right(sequences, tokenizer.pad_token_id or 0)
    for k, values in image_tensors.items():
        inputs[k] = torch.cat([v for v, _ in values])
    pixels = {k: torch.cat([v for v, new in values if new]) for k, values in image_tensors.items()}
    row_images = [
        {k: values[i][0] for k, values in image_tensors.items()} for i in range(len(rows))
    ]
    tokens = int(inputs["attention_mask"].sum())
    return Batch(inputs, answers, pixels, torch.tensor(index), row_images, tokens)


def answer_tokens(tokenizer, suffix: str, answer: str, spans, w_in, w_out, max_len: int):
    """(token ids, offsets, weights) of the answer and the end of turn, cut to max_len tokens;
    the fast tokenizer's offsets map the character spans to token weights (token_weights)."""
    tokens = tokenizer(answer + suffix, add_special_tokens=False, return_offsets_mapping=True)
    offsets = tokens["offset_mapping"][:max_len]
    weights = token_weights(offsets, spans, w_in, w_out, len(answer))
    return tokens["input_ids"][:max_len], offsets, weights


def _is_per_token(key: str, value: torch.Tensor, length: int) -> bool:
    """input_ids, token_type_ids, ...: one value per prompt token (not the attention mask)."""
    return key != "attention_mask" and value.dim() == 2 and value.shape[1] == length


def _pad_right(sequences: list[dict], pad_id: int) -> dict:
    """Per-token tensors of each row, padded on the right (pad_id for input_ids, else 0)."""
    n, length = len(sequences), max(len(s["input_ids"]) for s in sequences)
    inputs = {"attention_mask": torch.zeros(n, length, dtype=torch.long)}
    for i, sequence in enumerate(sequences):
        inputs["attention_mask"][i, : len(sequence["input_ids"])] = 1
        for k, v in sequence.items():
            if k not in inputs:
                fill = pad_id if k == "input_ids" else 0
                inputs[k] = torch.full((n, length), fill, dtype=v.dtype)
            inputs[k][i, : len(v)] = v
    return inputs


def to_device(x):
    """A tensor, or a dict of them (Gemma 3's masks), on DEVICE."""
    return {k: v.to(DEVICE) for k, v in x.items()} if isinstance(x, dict) else x.to(DEVICE)


def shared_images(model, inputs: dict, batch: Batch) -> dict:
    """With the vision tower frozen, each distinct image is encoded once and its features go to
    every row that shows it, in the policy and the reference pass alike (transformers'
    mm_encoder_outputs). If any vision weight trains, the inputs are returned as given."""
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    if not batch.pixels or any(not LANGUAGE_MODEL.search(n) for n in trainable):
        return inputs
    body = model_parts(model)[1]
    with torch.no_grad(), unsharded(body):
        pixels = {k: v.to(DEVICE) for k, v in batch.pixels.items()}
        encoded = body.get_image_features(**pixels, return_dict=True)
    features, index = encoded.pooler_output, batch.image_index
    if isinstance(features, (tuple, list)):  # one tensor per image
        encoded.pooler_output = [features[j] for j in index]
    else:  # (images x tokens per image, H)
        per_image = features.unflatten(0, (int(index.max()) + 1, -1))
        encoded.pooler_output = per_image[index.to(features.device)].flatten(0, 1)
    inputs = {k: v for k, v in inputs.items() if not k.startswith("pixel_")}
    inputs["mm_encoder_outputs"] = {"image": encoded}
    return inputs


SHARED_PREFIX_MODELS = {"llava", "qwen2_vl", "qwen2_5_vl", "gemma3", "idefics3"}  # tested exact


def can_share_prefixes(model) -> bool:
    """Prefix sharing is exact on the architectures tested; others keep one row per answer."""
    model_type = model_parts(model)[1].config.model_type.removesuffix("_model")
    if model_type in SHARED_PREFIX_MODELS:
        return True
    if model_type not in _WARNED:
        print(f"note: {model_type}: prompts are not shared (not tested), one row per answer")
        _WARNED.add(model_type)
    return False


_WARNED = set()


def share_prefixes(model, batch: Batch) -> Batch:
    """The same batch with each prompt computed once. Answers that share an image and a question
    (y+ and y- of a pair, under v and under v') become one row [prompt | y+ | y-], with an
    attention mask in which each answer sees the prompt and itself only, and with the positions
    each token has in its own row (3-D for Qwen's rope). Every hidden state that predicts an
    answer token, and so the loss and its gradients, equals the unshared batch's."""
    groups = {}
    for i, a in enumerate(batch.answers):
        prompt = tuple(batch.inputs["input_ids"][i, : a.start].tolist())
        groups.setdefault((int(batch.image_index[i]), prompt), []).append(i)
    positions = row_positions(model, batch)  # (D, rows, T): D = 3 for Qwen, else 1
    rows, answers = [], list(batch.answers)
    for g, members in enumerate(groups.values()):
        rows.append(_packed_row(batch, positions, members, g, answers))
    inputs = _pad_packed(rows, model)
    for k in batch.row_images[0]:
        inputs[k] = torch.cat([batch.row_images[members[0]][k] for members in groups.values()])
    index = torch.stack([batch.image_index[members[0]] for members in groups.values()])
    return Batch(inputs, answers, batch.pixels, index, batch.row_images, batch.tokens)


def row_positions(model, batch: Batch) -> torch.Tensor:
    """(D, rows, T): the position of every token in its own row, as the model would make it."""
    mask = batch.inputs["attention_mask"]
    body = model_parts(model)[1]
    if hasattr(body, "get_rope_index"):  # Qwen2-VL, Qwen2.5-VL: (temporal, height, width)
        keys = ("mm_token_type_ids", "image_grid_thw")
        extra = {k: batch.inputs[k] for k in keys if k in batch.inputs}
        return body.get_rope_index(batch.inputs["input_ids"], attention_mask=mask, **extra)[0]
    return (mask.cumsum(-1) - 1).clamp(min=0)[None]


def _packed_row(batch: Batch, positions, members: list[int], g: int, answers: list) -> dict:
    """One packed row: the first member's prompt, then every member's answer; answers[i] is
    updated to point into it."""
    first = batch.answers[members[0]]
    shape = batch.inputs["input_ids"].shape
    keys = [k for k, v in batch.inputs.items() if v.shape == shape and k != "attention_mask"]
    row = {k: [batch.inputs[k][members[0], : first.start]] for k in keys}
    row |= {"positions": [positions[:, members[0], : first.start]], "segment": [0] * first.start}
    row["index"] = list(range(first.start))  # the token's place in its own row
    offset = first.start
    for k, i in enumerate(members, 1):
        a = batch.answers[i]
        end = a.start + len(a.labels)
        for key in keys:
            row[key].append(batch.inputs[key][i, a.start : end])
        row["positions"].append(positions[:, i, a.start : end])
        row["segment"] += [k] * len(a.labels)
        row["index"] += list(range(a.start, end))
        states = torch.cat(
            [torch.tensor([first.start - 1]), torch.arange(offset, offset + len(a.labels) - 1)]
        )
        answers[i] = dataclasses.replace(a, row=g, start=offset, states=states)
        offset += len(a.labels)
    return {
        k: torch.cat(v, dim=-1) if k in keys or k == "positions" else torch.tensor(v)
        for k, v in row.items()
    }


def _pad_packed(rows: list[dict], model) -> dict:
    """Packed rows padded on the right, with their positions and their attention masks: a
    token sees the prompt and its own answer, causally (Gemma 3: also the whole image, and
    within its sliding window on sliding layers); padding sees only itself."""
    n, length = len(rows), max(len(r["index"]) for r in rows)
    width = rows[0]["positions"].shape[0]
    inputs = {
        k: torch.zeros(n, length, dtype=rows[0][k].dtype)
        for k in rows[0]
        if k not in ("positions", "segment", "index")
    }
    positions = torch.zeros(width, n, length, dtype=torch.long)
    segment = torch.full((n, length), -1)
    index = torch.zeros(n, length, dtype=torch.long)
    for i, r in enumerate(rows):
        size = len(r["index"])
        for k in inputs:
            inputs[k][i, :size] = r[k]
        positions[:, i, :size] = r["positions"]
        segment[i, :size] = r["segment"]
        index[i, :size] = r["index"]
    seen = (segment[:, None, :] == 0) | (segment[:, None, :] == segment[:, :, None])
    seen &= (
        (index[:, None, :] <= index[:, :, None])
        & (segment[:, None, :] >= 0)
        & (segment[:, :, None] >= 0)
    )
    seen |= torch.eye(length, dtype=torch.bool)[None]  # padding sees itself: no empty softmax
    inputs["position_ids"] = positions if width > 1 else positions[0]
    inputs["attention_mask"] = seen[:, None]
    config = model_parts(model)[1].config
    if config.model_type.startswith("gemma3"):
        image = inputs["token_type_ids"] == 1
        full = seen | (image[:, None, :] & image[:, :, None])
        window = config.text_config.sliding_window
        sliding = (
            full & (index[:, :, None] - index[:, None, :] < window)
            | torch.eye(length, dtype=torch.bool)[None]
        )
        inputs["attention_mask"] = {
            "full_attention": full[:, None],
            "sliding_attention": sliding[:, None],
        }
    return inputs


@dataclass
class TokenSelection:
    """The answer tokens that meet the LM head, flattened over the batch; each field (S,)."""

    answer: torch.Tensor  # which answer (Batch.answers) the token belongs to
    row: torch.Tensor  # the batch row that holds it
    state: torch.Tensor  # the position of the hidden state that predicts it
    label: torch.Tensor  # its token id
    weight: torch.Tensor  # w_t, its weight in R(y; v)
    kl: torch.Tensor  # bool: in the KL set (S+: the edited tokens of y+ under v)
    sft: torch.Tensor  # bool: counted in the SFT NLL of y+


def select_tokens(answers: list, n_pairs: int, cfg: Config) -> TokenSelection:
    """The tokens that carry weight, or a KL or SFT term. Answers go branch by branch (answer
    b * n_pairs + j is branch b of pair j), so the (v, y+) answers are the first n_pairs."""
    parts = {k: [] for k in TokenSelection.__dataclass_fields__}
    for i, a in enumerate(answers):
        clean_chosen = i < n_pairs  # a (v, y+) row
        edited = a.in_span if cfg.kl_mask == "spans" else torch.ones_like(a.in_span)
        kl = edited & clean_chosen  # S+ (kl_mask 'response': every token of y+)
        sft = torch.full_like(a.in_span, clean_chosen and cfg.sft_weight > 0)
        keep = (a.weights != 0) | kl | sft
        parts["answer"].append(torch.full((int(keep.sum()),), i))
        parts["row"].append(torch.full((int(keep.sum()),), a.row))
        parts["state"].append(a.states[keep])
        parts["label"].append(a.labels[keep])
        parts["weight"].append(a.weights[keep])
        parts["kl"].append(kl[keep])
        parts["sft"].append(sft[keep])
    return TokenSelection(**{k: torch.cat(v).to(DEVICE) for k, v in parts.items()})


def answer_states(model, ref_model, batch: Batch, tokens: TokenSelection, body=None):
    """(h, h_ref), each (S, H): the decoder's last hidden state that predicts each selected token
    (at t - 1), from the policy (with its graph) and from the reference (no_grad; the policy with
    its adapter off when ref_model is None). Both passes share the image features. body: what
    the policy's pass goes through (default: the decoder body; with DDP, the body wrapped)."""
    inputs = {k: to_device(v) for k, v in batch.inputs.items()}
    inputs = shared_images(model, inputs, batch)
    at = (tokens.row, tokens.state)
    body = body or model_parts(model)[1]
    h = body(**inputs, use_cache=False).last_hidden_state[at]
    adapter_off = model.disable_adapter() if ref_model is None else contextlib.nullcontext()
    with torch.no_grad(), adapter_off:
        h_ref = model_parts(ref_model or model)[1](**inputs, use_cache=False).last_hidden_state[at]
    return h, h_ref


class HeadLogps(torch.autograd.Function):
    """Log-probs of `labels` under a frozen, bias-free LM head W, for policy hidden states h and
    reference hidden states h_ref, with FKL and RKL on the rows marked `kl`, `chunk` rows at a
    time: no (rows x vocab) logits are kept.

    h, h_ref: (S, H), the decoder's last hidden state at position t - 1 of each scored token t
    (the state that predicts it); weight, ref_weight: (V, H), frozen (a trained head would get
    no gradient, so it is refused); labels: (S,) token ids; kl: (S,) bool.
    Returns logp, ref_logp, fkl, rkl, each (S,) fp32; ref_logp has no gradient; fkl and rkl are
    0 off the kl rows.

    Each output depends on its own h_t alone, so its gradient is one (H,) vector, made in the
    forward pass from the chunk's probabilities and only scaled in backward (2 head matmuls per
    policy row, not 3). With p = softmax(W h_t), q = softmax(W h_ref_t):
      d logp_t / d h_t = W[y_t] - p_t W
      d FKL_t / d h_t  = (p_t - q_t) W
      d RKL_t / d h_t  = (p_t * (log p_t - log q_t - RKL_t)) W
    Needs: torch, _fp32, forward_reverse_kl."""

    @staticmethod
    def forward(ctx, h, h_ref, weight, ref_weight, labels, kl, chunk):
        if weight.requires_grad or ref_weight.requires_grad:
            raise ValueError("HeadLogps gives the LM head no gradient: its weight must be frozen")
        n = len(h)
        logp, ref_logp, fkl, rkl = (torch.zeros(n, device=h.device) for _ in range(4))
        grad_rows = None  # d(logp, FKL, RKL)_t / d h_t: (3, S, H)
        if ctx.needs_input_grad[0]:
            grad_rows = torch.zeros(3, *h.shape, dtype=h.dtype, device=h.device)
        for start in range(0, n, chunk):
            rows = torch.arange(start, min(start + chunk, n), device=h.device)
            y = labels[rows]
            log_q = _fp32(h_ref[rows] @ ref_weight.T).log_softmax(-1)  # (rows, V)
            log_p = _fp32(h[rows] @ weight.T).log_softmax(-1)
            logp[rows] = log_p.gather(1, y[:, None])[:, 0]
            ref_logp[rows] = log_q.gather(1, y[:, None])[:, 0]
            k = rows[kl[rows]]  # this chunk's KL rows
            log_pk, log_qk = log_p[k - start], log_q[k - start]
            fkl[k], rkl[k] = forward_reverse_kl(log_pk, log_qk)
            if grad_rows is None:
                continue
            p_k, q_k = log_pk.exp(), log_qk.exp()
            d_kl = torch.stack([p_k - q_k, p_k * (log_pk - log_qk - rkl[k, None])])
            grad_rows[1:, k] = d_kl.to(weight.dtype) @ weight
            grad_rows[0, rows] = weight[y] - log_p.exp_().to(weight.dtype) @ weight
        ctx.save_for_backward(grad_rows)
        ctx.mark_non_differentiable(ref_logp)
        return logp, ref_logp, fkl, rkl

    @staticmethod
    def backward(ctx, grad_logp, _, grad_fkl, grad_rkl):
        (grad_rows,) = ctx.saved_tensors
        scales = torch.stack([grad_logp, grad_fkl, grad_rkl]).to(grad_rows.dtype)  # (3, S)
        return (scales[..., None] * grad_rows).sum(0), None, None, None, None, None, None


def loss_branches(cfg: Config) -> tuple[str, ...]:
    """The branches a step computes: (v,y+), (v,y-), and the visual term's when gamma > 0."""
    if not cfg.gamma:
        return BRANCHES[:2]
    visual = {"reversed": BRANCHES[2:], "v1": BRANCHES[2:3], "v2": BRANCHES[3:]}[cfg.vis_pair]
    return BRANCHES[:2] + visual


def pair_loss(model, ref_model, processor, pairs: list[dict], cfg: Config, body=None):
    """The MedPO loss of a micro-batch of pairs and its metrics: one policy and one reference
    forward over the stacked branches [(v,y+), (v,y-), (v',y+), (v',y-)], the LM head on the
    selected answer tokens only. pairs: dicts with image, image_vis (v'), question, chosen,
    rejected, chosen_spans, rejected_spans. ref_model None: the policy with its adapter off.
    body: see answer_states."""
    branches, n = loss_branches(cfg), len(pairs)
    rows = []
    for b in branches:
        image_key, text_key = ("image_vis" if b.endswith("_vis") else "image"), b.split("_")[0]
        rows += [(p[image_key], p["question"], p[text_key], p[text_key + "_spans"]) for p in pairs]
    batch = encode(processor, rows, cfg.w_in, cfg.w_out, cfg.max_completion_length)
    if cfg.share_prefix and can_share_prefixes(model):
        batch = share_prefixes(model, batch)
    tokens = select_tokens(batch.answers, n, cfg)
    weight, ref_weight = frozen_head_weight(model), frozen_head_weight(ref_model or model)
    h, h_ref = answer_states(model, ref_model, batch, tokens, body)
    logp, ref_logp, fkl, rkl = HeadLogps.apply(
        h, h_ref, weight, ref_weight, tokens.label, tokens.kl, cfg.head_chunk
    )

    def per_row(values):  # (S,) per token -> (branches, pairs): summed over each row's tokens
        sums = torch.zeros(len(rows), device=DEVICE).index_add(0, tokens.answer, values.float())
        return sums.view(len(branches), n)

    policy_logps = dict(
        zip(branches, per_row(tokens.weight * logp), strict=True)
    )  # sum_t w_t log pi(y_t)
    reference_logps = dict(zip(branches, per_row(tokens.weight * ref_logp), strict=True))
    kl_count = per_row(tokens.kl)[0].clamp(min=1) if cfg.kl_mask == "response" else 1.0
    chosen_nll = -per_row(logp * tokens.sft)[0] / per_row(tokens.sft)[0].clamp(min=1)
    has_vis = torch.full((n,), len(branches) > 2, device=DEVICE)
    fkl, rkl = per_row(fkl)[0] / kl_count, per_row(rkl)[0] / kl_count
    loss, metrics = medpo_loss(policy_logps, reference_logps, fkl, rkl, has_vis, cfg, chosen_nll)
    weighted = per_row(tokens.weight != 0)
    metrics["tokens/weighted_chosen"] = float(weighted[0].mean())
    metrics["tokens/weighted_rejected"] = float(weighted[1].mean())
    metrics["tokens/kl"] = float(tokens.kl.sum()) / n
    metrics["tokens/batch"] = batch.tokens
    return loss, metrics


# -------------------------------------------------------------------------------------------------
# 6. Answers, pairs and evaluation: greedy answers of the current policy, the editors that turn
#    them into pairs (rules, or a checked LLM), and accuracy on clean and corrupted images.


def load_images(sample: dict, cfg: Config) -> dict:
    """The sample with its image v and its corrupted v' as RGB, each read once per run (cached)
    and downscaled to --max_image_side (boxes and masks with it). v' is the precomputed
    corrupted_image, or corrupt_lesion seeded by the sample id."""
    if isinstance(sample["image"], Image.Image):  # loaded already
        return sample
    lesion = sample.get("lesion") or {}
    key = (sample["image"], sample.get("corrupted_image"), json.dumps(lesion, sort_keys=True))
    settings = (cfg.corruption, cfg.sigma, cfg.global_sigma, cfg.max_image_side)
    image, vis = _images(*key, zlib.crc32(str(sample["id"]).encode()), *settings)
    return {**sample, "image": image, "image_vis": vis}


@functools.lru_cache(maxsize=4096)
def _images(path, vprime_path, lesion_json, seed, corruption, sigma, global_sigma, max_side):
    image, scale = data_prep.open_image(path, max_side)
    lesion_info = json.loads(lesion_json)
    lesion = [[v * scale for v in box] for box in lesion_info.get("boxes") or []] or None
    if lesion_info.get("mask"):
        lesion = Image.open(lesion_info["mask"]).convert("L").resize(image.size, Image.NEAREST)
    if vprime_path:
        vis = data_prep.open_image(vprime_path, max_side)[0]
    else:
        vis = corrupt_lesion(image, lesion, sigma, global_sigma, seed, corruption)
    return image.convert("RGB"), vis.convert("RGB")


@torch.no_grad()
def generate(model, processor, samples, cfg: Config, batch_size=32, vis=False) -> list[str]:
    """Greedy answers to the samples' questions (on v' when vis), the policy in eval mode."""
    was_training, answers = model.training, []
    model.eval()
    processor.tokenizer.padding_side = "left"
    for i in range(0, len(samples), batch_size):
        chunk = samples[i : i + batch_size]
        enc = processor(
            text=[chat_prompt(processor, s["question"]) for s in chunk],
            images=[[s["image_vis" if vis else "image"]] for s in chunk],
            padding=True,
            return_tensors="pt",
        ).to(model.device)
        with unsharded(model_parts(model)[1]):  # generate calls the vision tower on its own
            out = model.generate(
                **enc,
                max_new_tokens=cfg.max_new_tokens,
                do_sample=False,
                synced_gpus=is_sharded(model),  # sharded: every rank steps until all are done
            )
        new_tokens = out[:, enc["input_ids"].shape[1] :]
        texts = processor.batch_decode(new_tokens, skip_special_tokens=True)
        answers += [t.strip() for t in texts]
    processor.tokenizer.padding_side = "right"
    model.train(was_training)
    return answers


def build_pairs(
    model, processor, samples, cfg: Config, rnd=0, editor=None, shard=(0, 1), journal=None
):
    """(pairs, stats): on-policy pairs from the model's greedy answers, minimally corrected by
    editor (default: the rule editor) or with one planted error where right. stats counts what
    was built and why samples were skipped; an answer the editor fails on (EditorError) is
    skipped and counted. journal: a file where each sample's outcome is appended as it is made,
    so that a rerun continues where an interrupted one stopped. shard=(rank, world): each rank
    answers its share, and every rank gets all pairs in the same order. A sharded model (FSDP)
    needs every rank in each forward: then every rank answers every sample, rank 0 keeps the
    journal, and every rank takes rank 0's pairs."""
    rank, world = shard
    if world > 1 and not is_sharded(model):
        journal = journal and journal.with_name(f"{journal.name}.rank{rank}")
        mine = build_pairs(
            model, processor, samples[rank::world], cfg, rnd, editor, journal=journal
        )
        parts = [None] * world
        dist.all_gather_object(parts, mine)
        place = {s["id"]: i for i, s in enumerate(samples)}  # the samples' order, as on one rank
        pairs = sorted((p for part, _ in parts for p in part), key=lambda p: place[p["id"]])
        return pairs, sum((stats for _, stats in parts), Counter())
    done = read_journal(journal)
    if world == 1:
        return answer_and_edit(model, processor, samples, cfg, rnd, editor, done, journal)
    dist.barrier()  # sharded: every rank has read the journal before rank 0 adds to it
    journal = journal if rank == 0 else None
    result = [answer_and_edit(model, processor, samples, cfg, rnd, editor, done, journal)]
    dist.broadcast_object_list(result, src=0)
    return result[0]


def read_journal(journal: Path | None) -> dict:
    """The outcomes an interrupted build_pairs journaled, by sample id (a torn last line is
    dropped)."""
    if not (journal and journal.exists()):
        return {}
    return {r["id"]: r for r in data_prep.read_jsonl(journal, torn_last_line_ok=True)}


def answer_and_edit(model, processor, samples, cfg, rnd, editor, done: dict, journal):
    """build_pairs on one process: answer the samples not done yet, edit, journal."""
    todo = [s for s in samples if s["id"] not in done]
    answers = generate(model, processor, [load_images(s, cfg) for s in todo], cfg)
    for sample, answer in zip(todo, answers, strict=True):
        record = pair_record(sample, answer, cfg, rnd, editor)
        done[sample["id"]] = record
        if journal:
            journal.parent.mkdir(parents=True, exist_ok=True)
            with open(journal, "a") as f:
                f.write(json.dumps(record) + "\n")
    records = [done[s["id"]] for s in samples]
    stats = Counter(r["outcome"] for r in records) + sum(
        (Counter(r["rejected_by_editor"]) for r in records), Counter()
    )
    return [r["pair"] for r in records if "pair" in r], stats


def pair_record(sample: dict, answer: str, cfg: Config, rnd: int, editor) -> dict:
    """What one sample's answer became: a pair, or why not. The planted error's draw is seeded
    by the sample id, so the same sample gets the same pair however the work was split."""
    rng = np.random.default_rng([cfg.seed, rnd, zlib.crc32(str(sample["id"]).encode())])
    stats, before = Counter(), Counter(getattr(editor, "rejected", {}))
    record = {"id": sample["id"], "answer": answer}
    try:
        pair = (
            build_pair(answer, sample["answer"], editor or clinical_edit, rng, stats)
            if answer.strip()
            else None
        )
        record["outcome"] = next(iter(stats), "skipped_empty")
    except data_prep.EditorError as e:
        pair = None
        record["outcome"] = "skipped_editor_error"
        print(f"warning: {sample['id']}: {e}")
    record["rejected_by_editor"] = dict(Counter(getattr(editor, "rejected", {})) - before)
    if pair:
        keep = ("id", "image", "question", "answer", "lesion", "meta")
        record["pair"] = {k: sample[k] for k in keep if k in sample} | pair
    return record


def is_right(answer: str, sample: dict) -> bool:
    """Strict accuracy. Where the sample lists its possible answers (meta.choices, as in the demo
    world), the answer must be the reference, word for word (case and punctuation aside). Else
    it must state what the reference states (data_prep.states_reference: nothing to correct, and
    every term the reference decides is there)."""
    if (sample.get("meta") or {}).get("choices"):
        return _words(answer) == _words(sample["answer"])
    return data_prep.states_reference(answer, sample["answer"])


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text) if w.isalnum()]


def degenerate(answer: str) -> bool:
    """Empty, or a loop: one to three words repeated three times in a row ('is is is')."""
    words = _words(answer)
    for n in (1, 2, 3):
        for i in range(len(words) - 3 * n + 1):
            if words[i : i + n] == words[i + n : i + 2 * n] == words[i + 2 * n : i + 3 * n]:
                return True
    return not words


@torch.no_grad()
def answer_logps(model, processor, rows: list[tuple]) -> torch.Tensor:
    """log pi(answer | image, question), summed over the answer's tokens and its end of turn,
    for each (image, question, answer) row: (R,). Only the answer rows meet the LM head."""
    batch = encode(processor, [(im, q, a, []) for im, q, a in rows], 1.0, 1.0)
    inputs = shared_images(model, {k: v.to(DEVICE) for k, v in batch.inputs.items()}, batch)
    head, body = model_parts(model)
    hidden = body(**inputs, use_cache=False).last_hidden_state
    sums = []
    for i, a in enumerate(batch.answers):
        positions = torch.arange(a.start - 1, a.start - 1 + len(a.labels), device=DEVICE)
        logps = _fp32(head(hidden[i, positions])).log_softmax(-1)
        sums.append(logps.gather(1, a.labels[:, None].to(DEVICE)).sum())
    return torch.stack(sums)


def choose(model, processor, samples: list[dict], vis=False, batch_size=64) -> list[str]:
    """Forced choice: the candidate answer (meta.choices) with the highest summed log-prob."""
    key = "image_vis" if vis else "image"
    rows = [(s[key], s["question"], c) for s in samples for c in s["meta"]["choices"]]
    scores = []
    for i in range(0, len(rows), batch_size):
        scores += answer_logps(model, processor, rows[i : i + batch_size]).tolist()
    picks, start = [], 0
    for s in samples:
        choices = s["meta"]["choices"]
        picks.append(choices[int(np.argmax(scores[start : start + len(choices)]))])
        start += len(choices)
    return picks


def evaluate(model, processor, samples: list[dict], cfg: Config, keep_answers=False) -> dict:
    """Held-out metrics: strict accuracy of greedy answers (is_right), forced-choice accuracy where
    samples list their choices, the share of degenerate answers, each on clean v; on the samples
    with a lesion region, the same accuracies on v' and the grounding gap (clean minus v'); per
    question kind (meta.kind) where known; a few example answers (all with keep_answers)."""
    was_training = model.training
    model.eval()
    samples = [load_images(s, cfg) for s in samples[: cfg.eval_limit or None]]
    answers = generate(model, processor, samples, cfg)
    right = np.array([is_right(a, s) for a, s in zip(answers, samples, strict=True)])
    chose = None
    if all((s.get("meta") or {}).get("choices") for s in samples):
        picks = choose(model, processor, samples)
        chose = np.array([c == s["answer"] for c, s in zip(picks, samples, strict=True)])
    result = {"eval/accuracy": float(right.mean())}
    result["eval/degenerate"] = float(np.mean([degenerate(a) for a in answers]))
    if chose is not None:
        result["eval/choice_accuracy"] = float(chose.mean())
    result |= _by_kind(samples, right, chose)
    lesion = [i for i, s in enumerate(samples) if has_region(s)]
    if lesion:
        result |= _grounding(model, processor, samples, lesion, right, chose, cfg)
    examples = list(zip(samples, answers, strict=True))[: None if keep_answers else 8]
    result["eval/examples"] = [
        dict(question=s["question"], answer=a, reference=s["answer"]) for s, a in examples
    ]
    model.train(was_training)
    return result


def has_region(sample: dict) -> bool:
    """The sample marks its lesion (boxes or a mask): v' hides something specific there."""
    lesion = sample.get("lesion") or {}
    return bool(lesion.get("boxes") or lesion.get("mask"))


def _by_kind(samples, right, chose) -> dict:
    kinds = np.array([(s.get("meta") or {}).get("kind", "") for s in samples])
    result = {}
    for kind in sorted(set(kinds) - {""}):
        result[f"eval/accuracy/{kind}"] = float(right[kinds == kind].mean())
        if chose is not None:
            result[f"eval/choice_accuracy/{kind}"] = float(chose[kinds == kind].mean())
    return result


def _grounding(model, processor, samples, lesion: list[int], right, chose, cfg) -> dict:
    """Accuracies on v' for the samples with a lesion region, and the gaps to clean v."""
    subset = [samples[i] for i in lesion]
    answers = generate(model, processor, subset, cfg, vis=True)
    right_v = np.array([is_right(a, s) for a, s in zip(answers, subset, strict=True)])
    result = {"eval/accuracy_lesion": float(right[lesion].mean())}
    result["eval/accuracy_corrupted"] = float(right_v.mean())
    result["eval/grounding_gap"] = float(right[lesion].mean() - right_v.mean())
    if chose is not None:
        picks = choose(model, processor, subset, vis=True)
        chose_v = np.array([c == s["answer"] for c, s in zip(picks, subset, strict=True)])
        result["eval/choice_accuracy_lesion"] = float(chose[lesion].mean())
        result["eval/choice_accuracy_corrupted"] = float(chose_v.mean())
        result["eval/choice_grounding_gap"] = float(chose[lesion].mean() - chose_v.mean())
    return result


def check_pairs(rows: list[dict], processor, cfg: Config) -> None:
    """Refuse, before the model loads, pairs the loss cannot learn from: spans that cover none of
    the words where chosen and rejected differ, or whose tokens all lie past
    --max_completion_length (or carry no weight)."""
    tokenizer, suffix = processor.tokenizer, answer_suffix(processor)
    for row in rows:
        where = f"{cfg.data}: pair {row['id']!r}"
        rejected_diff, chosen_diff = edit_spans(row["rejected"], row["chosen"])
        diffs = {"chosen": chosen_diff, "rejected": rejected_diff}
        touches = [
            any(a < e and b > s for s, e in row[f"{side}_spans"] for a, b in diffs[side])
            for side in diffs
        ]
        if not any(touches):
            differ = f"({chosen_diff} in chosen, {rejected_diff} in rejected)"
            raise data_prep.InputError(
                f"{where}: field 'chosen_spans': expected spans over the words that differ {differ}"
            )
        weighted = 0.0
        for side in diffs:
            spans = row[f"{side}_spans"]
            weights = answer_tokens(
                tokenizer, suffix, row[side], spans, cfg.w_in, cfg.w_out, cfg.max_completion_length
            )[2]
            weighted += sum(weights)
        if not weighted:
            limit = f"--max_completion_length {cfg.max_completion_length}"
            raise data_prep.InputError(
                f"{where}: its edited spans lie past {limit} tokens: none would count"
            )


def make_editor(cfg: Config):
    """The LLM editor at cfg.editor_url (checked for minimal clinical edits), or None: rules."""
    if not cfg.editor_url:
        return None
    return data_prep.llm_editor(
        cfg.editor_url,
        cfg.editor_model,
        timeout=cfg.editor_timeout,
        allow_remote=cfg.editor_allow_remote,
    )


def make_pairs(cfg: Config) -> dict:
    """The `pairs` command: greedy-decode the model on cfg.data, build pairs (rule editor, or the
    LLM editor at cfg.editor_url), write output_dir/pairs.jsonl with each v' precomputed as a PNG
    in output_dir/vprime/, TRL's preference format beside it, and the pair statistics. Each
    sample's outcome is journaled as it is made: a rerun continues an interrupted one."""
    out = Path(cfg.output_dir)
    rows, _ = data_prep.resolve_data(cfg.data, "", cfg.cache_dir)
    editor = make_editor(cfg)
    model, processor, _ = load_model(cfg, for_generation=True)
    journal = out / "pairs.jsonl.partial"
    pairs, stats = build_pairs(model, processor, rows, cfg, editor=editor, journal=journal)
    for p in pairs:
        vprime = out / "vprime" / (re.sub(r"[^\w.-]", "_", str(p["id"])) + ".png")
        image = load_images(p, cfg)["image_vis"]
        data_prep.write_atomic(vprime, lambda tmp, im=image: im.save(tmp, format="PNG"))
        p["corrupted_image"] = os.path.relpath(vprime, out)
        p["image"] = os.path.relpath(p["image"], out)
        if (p.get("lesion") or {}).get("mask"):
            p["lesion"]["mask"] = os.path.relpath(p["lesion"]["mask"], out)
        p["chosen_spans"] = [list(s) for s in p["chosen_spans"]]
        p["rejected_spans"] = [list(s) for s in p["rejected_spans"]]
    data_prep.write_jsonl(out / "pairs.jsonl", pairs)
    data_prep.write_jsonl(out / "pairs.trl.jsonl", [data_prep.trl_row(p) for p in pairs])
    print(
        f"{out / 'pairs.trl.jsonl'}: TRL's conversational preference format. It cannot carry the "
        "edited spans or the corrupted image v' (TRL shows chosen and rejected the same images): "
        "train with medpo.py to use them."
    )
    statistics = data_prep.pair_statistics(pairs, stats)
    text = json.dumps(statistics)
    data_prep.write_atomic(out / "pair_stats.json", lambda t: Path(t).write_text(text))
    journal.unlink(missing_ok=True)
    return statistics


# -------------------------------------------------------------------------------------------------
# 7. Training loop: on-policy rounds (answer -> pairs -> train), exact resume, atomic outputs.


@dataclass
class TrainState:
    """Where a run stands; saved in every checkpoint."""

    step: int = 0  # optimizer steps done (skipped ones included)
    round: int = 0  # the on-policy round in progress
    round_step: int = 0  # optimizer steps done in this round
    bad_in_a_row: int = 0  # steps skipped for a non-finite loss or gradient, in a row
    pair_stats: dict = field(default_factory=dict)  # how this round's pairs were made


@dataclass
class Run:
    """What one training run holds; the loop's steps below take it whole."""

    cfg: Config
    model: torch.nn.Module
    ref_model: torch.nn.Module | None
    processor: object
    optimizer: torch.optim.Optimizer
    scheduler: object
    out: Path
    total_steps: int
    rank: int = 0
    world: int = 1
    body: torch.nn.Module | None = None  # what the policy's pass goes through (answer_states)
    state: TrainState = field(default_factory=TrainState)
    stop_signal: str = ""  # SIGINT or SIGTERM arrived: stop at the next step boundary

    @property
    def params(self) -> list[torch.nn.Parameter]:
        return [p for p in self.model.parameters() if p.requires_grad]


def save_checkpoint(run: Run) -> Path:
    """checkpoint-<step>/: trainable weights (safetensors), optimizer, scheduler, position and
    each rank's RNG, written under a temporary name, flushed, then renamed into place; then the
    'latest' pointer, and only then the oldest checkpoints beyond save_total_limit go. A crash
    at any point leaves the newest complete checkpoint readable. Weights that are not finite
    are never saved."""
    from safetensors.torch import save_file

    final = run.out / f"checkpoint-{run.state.step:06d}"
    tmp = final.with_name(final.name + ".tmp")
    if final.exists():  # this very step is saved already
        return final
    weights = {
        n: whole(p).detach().cpu().contiguous()
        for n, p in run.model.named_parameters()
        if p.requires_grad
    }
    if not all(torch.isfinite(w).all() for w in weights.values()):
        raise FloatingPointError(f"step {run.state.step}: the weights are not finite; not saved")
    optimizer = optimizer_state(run)
    if run.rank == 0:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    barrier(run)
    torch.save(rng_state(), tmp / f"rng-rank{run.rank}.pt")
    barrier(run)
    if run.rank == 0:
        save_file(weights, tmp / "trainable.safetensors")
        state = {"optimizer": optimizer, "scheduler": run.scheduler.state_dict()}
        torch.save(state | {"state": asdict(run.state)}, tmp / "trainer_state.pt")
        data_prep.publish_folder(tmp, final)
        data_prep.write_atomic(run.out / "latest", lambda t: Path(t).write_text(final.name))
        for old in complete_checkpoints(run.out)[run.cfg.save_total_limit :]:
            gone = old.with_name(old.name + ".deleting")
            os.rename(old, gone)  # atomic: never seen half-deleted
            shutil.rmtree(gone)
    barrier(run)
    return final


def optimizer_state(run: Run) -> dict:
    """The optimizer's state dict; under FSDP gathered whole from the ranks' shards (a collective:
    every rank calls), keyed by parameter name."""
    if not run.cfg.fsdp:
        return run.optimizer.state_dict()
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_optimizer_state_dict

    gathered = StateDictOptions(full_state_dict=True, cpu_offload=True)
    return get_optimizer_state_dict(run.model, run.optimizer, options=gathered)


def load_weights_and_optimizer(run: Run, weights: dict, optimizer: dict) -> None:
    """Load whole trainable weights and a whole optimizer state; under FSDP each rank keeps its
    shard of them."""
    if not run.cfg.fsdp:
        run.model.load_state_dict(weights, strict=False)
        run.optimizer.load_state_dict(optimizer)
        return
    from torch.distributed.checkpoint import state_dict as dcp

    options = dcp.StateDictOptions(full_state_dict=True, strict=False)
    dcp.set_model_state_dict(run.model, weights, options=options)
    dcp.set_optimizer_state_dict(run.model, run.optimizer, optimizer, options=options)


def complete_checkpoints(out: Path) -> list[Path]:
    """The checkpoint folders that were published whole, newest first."""
    found = [p for p in out.glob("checkpoint-*") if re.fullmatch(r"checkpoint-\d+", p.name)]
    return sorted(found, key=lambda p: int(p.name.split("-")[1]), reverse=True)


def rng_state() -> dict:
    state = {"torch": torch.get_rng_state()}
    if DEVICE == "cuda":
        state["cuda"] = torch.cuda.get_rng_state()
    return state


def barrier(run: Run) -> None:
    if run.world > 1:
        dist.barrier()


def load_checkpoint(run: Run, folder: Path) -> TrainState:
    """Restore what save_checkpoint wrote; tensors and plain types only (no code runs)."""
    from safetensors.torch import load_file

    weights = load_file(folder / "trainable.safetensors", device=DEVICE)
    trainable = {n for n, p in run.model.named_parameters() if p.requires_grad}
    if trainable - set(weights):
        missing = min(trainable - set(weights))
        raise data_prep.InputError(
            f"{folder} does not match this model: trainable {missing} is missing"
        )
    saved = torch.load(folder / "trainer_state.pt", weights_only=True)
    load_weights_and_optimizer(run, weights, saved["optimizer"])
    run.scheduler.load_state_dict(saved["scheduler"])
    follow_schedule(run.optimizer, run.scheduler)
    rng = torch.load(folder / f"rng-rank{run.rank}.pt", weights_only=True)
    torch.set_rng_state(rng["torch"])
    if "cuda" in rng:
        torch.cuda.set_rng_state(rng["cuda"])
    print(f"resumed from {folder} at step {saved['state']['step']}")
    return TrainState(**saved["state"])


def follow_schedule(optimizer, scheduler) -> None:
    """Set the learning rate of the step to come from this run's schedule. The optimizer's saved
    rate came from the saved run's schedule, which differs when a resumed run is given more
    steps (the cosine then stretches over the new total)."""
    step = scheduler.last_epoch
    rates = [
        base * rate(step)
        for base, rate in zip(scheduler.base_lrs, scheduler.lr_lambdas, strict=True)
    ]
    for group, lr in zip(optimizer.param_groups, rates, strict=True):
        group["lr"] = lr
    scheduler._last_lr = rates


def start_processes(cfg: Config):
    """(rank, world size, accelerator). One process (python medpo.py): (0, 1, None). Under
    torchrun or accelerate launch: accelerate joins the process group (gloo on CPU, nccl on
    GPU) and gives each rank its device; the world it sees must be the one launched."""
    world = int(os.environ.get("WORLD_SIZE", 1))
    if world == 1:
        if cfg.fsdp:
            raise data_prep.InputError(
                "--fsdp true shards over several processes: torchrun --nproc_per_node N "
                "medpo.py ..., or accelerate launch --num_processes N medpo.py ..."
            )
        return 0, 1, None
    from accelerate import Accelerator
    from accelerate.utils import DistributedType

    accelerator = Accelerator(cpu=DEVICE == "cpu")
    kind = accelerator.distributed_type
    if kind not in (DistributedType.MULTI_CPU, DistributedType.MULTI_GPU):
        raise data_prep.InputError(
            f"accelerate is set up for {kind}: this loop runs DDP, or FSDP2 with --fsdp true "
            "(it shards weights, gradients and optimizer state, as ZeRO-3 does); run "
            "`accelerate config` for multi-GPU without DeepSpeed or FSDP, or use torchrun"
        )
    if accelerator.num_processes != world:
        raise RuntimeError(
            f"{world} processes launched, accelerate sees {accelerator.num_processes}"
        )
    if cfg.fsdp and cfg.merge:
        raise data_prep.InputError(
            "--merge true with --fsdp true: the adapter is saved; merge it afterwards on one "
            "device (peft's merge_and_unload)"
        )
    return accelerator.process_index, world, accelerator


def distribute(cfg: Config, model, ref_model, accelerator) -> torch.nn.Module:
    """What the policy's pass goes through (answer_states). One process: the decoder body. DDP:
    the body wrapped by accelerate, so that each backward averages the gradients over the
    ranks. --fsdp: the policy (and a full fine-tune's reference copy) sharded in place onto the
    devices, from the weights rank 0 read; the body's sharded backward averages likewise. Call
    before the optimizer is built."""
    body = model_parts(model)[1]
    if accelerator is None:
        return body
    if not cfg.fsdp:
        return accelerator.prepare_model(body)
    for each in (model, ref_model):
        if each is not None:
            shard_from_rank0(each)
    return body


def shard_from_rank0(model) -> None:
    """Shard the model (shard_decoder) onto the devices. Rank 0 read the weights; the other
    ranks built the model empty (empty_model) and receive their shards, and every buffer
    whole, from rank 0. The parameters take rank 0's dtypes first, so that the ranks agree."""
    from torch.distributed.checkpoint import state_dict as dcp

    first = dist.get_rank() == 0
    whole = model.state_dict() if first else {}
    dtypes = [{n: p.dtype for n, p in model.named_parameters()}]
    dist.broadcast_object_list(dtypes, src=0)
    for name, p in model.named_parameters():
        p.data = p.data.to(dtypes[0][name])
    shard_decoder(model)
    if first:
        model.to(DEVICE)  # the parts left whole (the LM head) follow the shards
    else:
        model.to_empty(device=DEVICE)
    options = dcp.StateDictOptions(full_state_dict=True, broadcast_from_rank0=True)
    dcp.set_model_state_dict(model, whole, options=options)
    for buffer in model.buffers():  # rotary tables and the like: not in the state dict
        dist.broadcast(buffer, src=0)


def is_pair_file(rows: list[dict]) -> bool:
    return "chosen" in rows[0]


def plan_rounds(rows: list[dict], cfg: Config, world: int) -> tuple[list[list[dict]], int]:
    """Each on-policy round's samples (a pair file is one round), and the run's optimizer steps."""
    n_rounds = 1 if is_pair_file(rows) else cfg.rounds
    chunks = [rows[r::n_rounds] for r in range(n_rounds)]
    if cfg.max_steps > 0:
        return chunks, cfg.max_steps
    micro_per_step = cfg.gradient_accumulation_steps * world
    batch = cfg.per_device_train_batch_size
    per_round = [-(-len(c) // batch) * cfg.num_train_epochs / micro_per_step for c in chunks]
    return chunks, sum(math.ceil(n) for n in per_round)


def round_pairs(run: Run, samples: list[dict], rnd: int) -> tuple[list[dict], Counter]:
    """This round's pairs and how they were made: the given pair file, the pairs an earlier run
    finished for this round, or new on-policy pairs from the current policy's answers (each one
    journaled as it is made, so an interrupted round continues where it stopped)."""
    path = run.out / "rounds" / f"pairs_{rnd}.jsonl"
    stats = Counter(run.state.pair_stats)
    if is_pair_file(samples):
        pairs = samples
    elif path.exists():
        pairs = data_prep.read_jsonl(path)
    else:
        journal = path.with_name(path.name + ".partial")
        editor, shard = make_editor(run.cfg), (run.rank, run.world)
        pairs, stats = build_pairs(
            run.model, run.processor, samples, run.cfg, rnd, editor, shard, journal
        )
        run.state.pair_stats = dict(stats)
        if run.rank == 0:
            data_prep.write_jsonl(path, pairs)
    if not pairs:
        raise data_prep.InputError(
            f"round {rnd}: no pair built from {len(samples)} samples ({dict(stats)})"
        )
    return pairs, stats


def micro_batches(run: Run, n_pairs: int, rnd: int) -> list[list[int]]:
    """Pair indices of each micro-batch of the round: a fixed shuffle per epoch."""
    g = torch.Generator().manual_seed(run.cfg.seed * 1000 + rnd)
    order = []
    for _ in range(run.cfg.num_train_epochs):
        order += torch.randperm(n_pairs, generator=g).tolist()
    size = run.cfg.per_device_train_batch_size
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    short = -len(batches) % run.world  # every rank gets as many micro-batches as the others:
    return batches + [batches[i % len(batches)] for i in range(short)]  # the first ones again


def accumulate_gradients(run: Run, pairs: list[dict], batches: list[list[int]]) -> list[dict]:
    """Forward and backward over this rank's share of one step's micro-batches. Each loss is
    weighted by its share of the step's pairs, times the world size because DDP and FSDP average
    the ranks' gradients: the step's gradient is the sum over its pairs. Every micro-batch gets
    its backward, a non-finite loss too (the ranks reduce in it; the step is then skipped).
    Returns the metrics of every rank's micro-batches."""
    n_pairs = sum(len(b) for b in batches)
    mine = batches[run.rank :: run.world]
    parts = []
    for j, idx in enumerate(mine):
        examples = [load_images(pairs[i], run.cfg) for i in idx]
        with gradient_sync(run, j == len(mine) - 1):
            loss, metrics = pair_loss(
                run.model, run.ref_model, run.processor, examples, run.cfg, run.body
            )
            (loss * len(idx) / n_pairs * run.world).backward()
        parts.append(metrics | {"loss": loss.item()})
    return gather(run, parts)


@contextlib.contextmanager
def gradient_sync(run: Run, sync: bool):
    """DDP and FSDP reduce the gradients over the ranks in backward; a rank's micro-batches
    before its last in a step only accumulate them."""
    if run.world == 1 or sync:
        yield
    elif not run.cfg.fsdp:
        with run.body.no_sync():
            yield
    else:
        run.body.set_requires_gradient_sync(False)
        try:
            yield
        finally:
            run.body.set_requires_gradient_sync(True)


def gather(run: Run, items: list) -> list:
    """Every rank's items, rank by rank, on every rank."""
    if run.world == 1:
        return items
    every = [None] * run.world
    dist.all_gather_object(every, items)
    return [item for share in every for item in share]


def not_finite(parts: list[dict], grad_norm: torch.Tensor) -> list[str]:
    """The loss terms, and the gradient norm, that are not finite this step."""
    terms = sorted(
        {k for p in parts for k, v in p.items() if k.startswith("loss") and not math.isfinite(v)}
    )
    return terms + ([] if torch.isfinite(grad_norm) else ["grad_norm"])


def optimizer_step(run: Run, pairs, batches, rnd: int, stats: Counter) -> dict:
    """One optimizer step over its micro-batches; returns the step's metrics row. A step whose
    loss or gradient norm is not finite is skipped (no update) and so marked; after 3 such steps
    in a row, or at once with --nan_policy stop, the run stops."""
    t0 = time.time()
    parts = accumulate_gradients(run, pairs, batches)
    max_norm = run.cfg.max_grad_norm or float("inf")  # 0: no clipping, the norm is still taken
    grad_norm = whole(torch.nn.utils.clip_grad_norm_(run.params, max_norm))
    bad = not_finite(parts, grad_norm)
    if not bad:
        run.optimizer.step()
        run.scheduler.step()
    run.optimizer.zero_grad(set_to_none=True)
    run.state.step += 1
    run.state.round_step += 1
    run.state.bad_in_a_row = run.state.bad_in_a_row + 1 if bad else 0
    if bad and (run.cfg.nan_policy == "stop" or run.state.bad_in_a_row >= 3):
        raise FloatingPointError(
            f"step {run.state.step}: {', '.join(bad)} not finite ({run.state.bad_in_a_row} in a "
            f"row); stopped, the last good checkpoint is kept ({run.out})"
        )
    row = {"step": run.state.step, "round": rnd, "lr": run.scheduler.get_last_lr()[0]}
    row |= {"grad_norm": float(grad_norm), "skipped": int(bool(bad))}
    for k in parts[0]:
        row[k] = float(np.mean([p[k] for p in parts if k in p]))
    for k, v in stats.items():
        row["pairs/" + k] = v
    row["step_time_s"] = time.time() - t0
    row["tokens_per_s"] = sum(p["tokens/batch"] for p in parts) / row["step_time_s"]
    row["peak_mem_gb"] = peak_memory_gb()
    return row


def peak_memory_gb() -> float:
    """Peak GPU memory on CUDA, else the process's peak resident memory (ru_maxrss is in KiB)."""
    if DEVICE == "cuda":
        return torch.cuda.max_memory_allocated() / 2**30
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def train_round(run: Run, pairs: list[dict], stats: Counter, rnd: int, log, on_step) -> None:
    """The optimizer steps of one round, from where the state says it stands. A stop signal is
    honoured at the step boundary: checkpoint, then KeyboardInterrupt."""
    batches = micro_batches(run, len(pairs), rnd)
    per_step = run.cfg.gradient_accumulation_steps * run.world
    for k in range(run.state.round_step * per_step, len(batches), per_step):
        row = optimizer_step(run, pairs, batches[k : k + per_step], rnd, stats)
        log.write(row)
        if on_step:
            on_step(run.state.step, row)
        stop = stop_requested(run)
        if stop or run.state.step % run.cfg.save_steps == 0:
            folder = save_checkpoint(run)
        if stop:
            raise KeyboardInterrupt(
                f"{run.stop_signal}: stopped after step {run.state.step}, saved in {folder}; "
                "rerun with --resume true to continue"
            )
        if run.state.step >= run.total_steps:
            return


def stop_requested(run: Run) -> bool:
    """Whether a stop signal arrived, on any rank: every rank stops at the same step boundary."""
    if run.world == 1:
        return bool(run.stop_signal)
    flag = torch.tensor(float(bool(run.stop_signal)), device=DEVICE)
    dist.all_reduce(flag, op=dist.ReduceOp.MAX)
    if flag and not run.stop_signal:
        run.stop_signal = "a signal on another rank"
    return bool(flag)


@contextlib.contextmanager
def stop_at_step_boundary(run: Run):
    """SIGINT (Ctrl-C) and SIGTERM (what a cluster scheduler sends) finish the current optimizer
    step; the loop then saves a checkpoint of that step boundary and stops. A second signal
    stops at once."""
    import signal

    def handler(number, frame):
        if run.stop_signal:
            raise KeyboardInterrupt(f"{run.stop_signal} twice: stopped at once, mid-step")
        run.stop_signal = signal.Signals(number).name
        print(f"\n{run.stop_signal}: finishing step {run.state.step + 1}, then saving")

    main_thread = threading.current_thread() is threading.main_thread()
    saved = (
        {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
        if main_thread
        else {}
    )
    try:
        yield
    finally:
        for number, previous in saved.items():
            signal.signal(number, previous)


class MetricsLog:
    """metrics.jsonl, one row per optimizer step (rank 0 writes), and the progress bar. On resume
    it keeps the rows of the steps that the checkpoint holds (a torn last line is dropped)."""

    def __init__(self, run: Run):
        self.path, self.enabled = run.out / "metrics.jsonl", run.rank == 0
        if self.enabled:
            rows = data_prep.read_jsonl(self.path, True) if self.path.exists() else []
            data_prep.write_jsonl(self.path, [r for r in rows if r["step"] <= run.state.step])
        total, done = run.total_steps, run.state.step
        quiet = None if self.enabled else True  # None: shown on a terminal, not in a notebook
        self.bar = tqdm(total=total, initial=done, desc="medpo", disable=quiet)

    def write(self, row: dict) -> None:
        if self.enabled:
            with open(self.path, "a") as f:
                f.write(json.dumps(row) + "\n")
        self.bar.update()
        self.bar.set_postfix(loss=f"{row['loss']:.4f}", margin=f"{row['rewards/margins']:.3f}")

    def close(self) -> None:
        self.bar.close()


RESUMABLE = {"resume", "max_steps", "save_steps", "save_total_limit", "eval_data", "eval_limit"}


def check_output_dir(cfg: Config) -> Path:
    """The output folder: a folder that can be written (or made), holding no run unless resuming,
    and, when resuming, a run with the same flags (all but RESUMABLE). Nothing is written here."""
    out = Path(cfg.output_dir)
    if out.exists() and not out.is_dir():
        raise data_prep.InputError(
            f"--output_dir {out} is a file: expected a folder (it is made if missing)"
        )
    parent = next(p for p in [out, *out.parents] if p.exists())
    if not (parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)):
        raise data_prep.InputError(
            f"--output_dir {out}: {parent} is not a folder this user can write in"
        )
    held = (out / "run_config.json").exists() or complete_checkpoints(out)
    if held and not cfg.resume:
        raise data_prep.InputError(
            f"{out} holds a run: pass --resume true or choose another --output_dir"
        )
    if held:
        saved = json.loads((out / "run_config.json").read_text())
        now = asdict(cfg)
        changed = [
            f"--{k} {saved[k]!r} (now {now.get(k)!r})"
            for k in saved
            if k not in RESUMABLE and saved[k] != now.get(k)
        ]
        if changed:
            raise data_prep.InputError(
                f"--resume: {out} was run with other flags: {', '.join(changed)}"
            )
    return out


def start_run(cfg: Config) -> tuple[Run, list, list]:
    """Check the data, the flags and the output folder, join the other processes if any, load
    the model, share it out over them, build the optimizer, and restore the newest checkpoint
    when resuming. Returns the run, the rounds' samples (or the given pairs) and the eval
    rows."""
    from transformers import get_cosine_schedule_with_warmup

    rank, world, accelerator = start_processes(cfg)
    torch.manual_seed(cfg.seed)  # the same on every rank: identical LoRA initialisation
    out = check_output_dir(cfg)
    train_rows, eval_rows = data_prep.resolve_data(cfg.data, cfg.eval_data, cfg.cache_dir)
    processor = load_processor(cfg)
    if is_pair_file(train_rows):
        check_pairs(train_rows, processor, cfg)
    model, processor, ref_model = load_model(cfg, processor=processor)
    frozen_head_weight(model)  # the loss needs a frozen head: refuse a trained one now
    body = distribute(cfg, model, ref_model, accelerator)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    chunks, total = plan_rounds(train_rows, cfg, world)
    scheduler = get_cosine_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * total), total)
    run = Run(cfg, model, ref_model, processor, optimizer, scheduler, out, total, rank, world, body)
    checkpoints = complete_checkpoints(out)
    if cfg.resume and checkpoints:
        run.state = load_checkpoint(run, checkpoints[0])
    if rank == 0:
        text = json.dumps(asdict(cfg), indent=1)
        data_prep.write_atomic(out / "run_config.json", lambda t: Path(t).write_text(text))
    return run, chunks, eval_rows


def train(cfg: Config, on_step=None) -> dict:
    """Run MedPO and return the summary. on_step(step, metrics) is called after each step. On
    several processes every rank computes everything (evaluation included: a sharded model
    needs every rank's forward) and rank 0 writes."""
    run, chunks, eval_rows = start_run(cfg)
    summary = {}
    if eval_rows and run.state.step == 0:
        summary["eval_before"] = evaluate(run.model, run.processor, eval_rows, cfg)
    log = MetricsLog(run)
    run.model.train()
    try:
        with stop_at_step_boundary(run):
            for rnd in range(run.state.round, len(chunks)):
                pairs, stats = round_pairs(run, chunks[rnd], rnd)
                train_round(run, pairs, stats, rnd, log, on_step)
                if run.state.step >= run.total_steps:
                    break
                run.state.round = rnd + 1
                run.state.round_step = 0
    finally:
        log.close()
    summary = finish(run, chunks, eval_rows, summary)
    if run.world > 1:
        dist.destroy_process_group()
    return summary


def finish(run: Run, chunks: list, eval_rows: list, summary: dict) -> dict:
    """The last checkpoint (with each rank's RNG), all pairs, the final model, the evaluation
    after, summary.json."""
    save_checkpoint(run)
    check_same_weights(run)
    rounds = sorted((run.out / "rounds").glob("pairs_*.jsonl"))
    all_pairs = [p for f in rounds for p in data_prep.read_jsonl(f)] or chunks[0]
    save_final_model(run)
    summary["steps"] = run.state.step
    summary["pairs"] = len(all_pairs)
    summary["pair_stats"] = run.state.pair_stats
    summary["world_size"] = run.world
    if eval_rows:
        summary["eval_after"] = evaluate(run.model, run.processor, eval_rows, run.cfg)
    if run.rank == 0:
        data_prep.write_jsonl(run.out / "pairs.jsonl", all_pairs)
        text = json.dumps(summary, indent=1)
        data_prep.write_atomic(run.out / "summary.json", lambda tmp: Path(tmp).write_text(text))
    return summary


def check_same_weights(run: Run) -> None:
    """DDP keeps a copy of the weights on each rank: the copies must end equal."""
    if run.world == 1 or run.cfg.fsdp:
        return
    sums = [None] * run.world
    dist.all_gather_object(sums, [float(p.detach().double().sum()) for p in run.params])
    if any(s != sums[0] for s in sums):
        raise RuntimeError("the ranks ended with different weights")


def save_final_model(run: Run) -> None:
    """final/: the adapter (or, with --merge, the merged model; with a full fine-tune, the
    model) and the processor. Under FSDP the weights are gathered whole first (every rank
    calls); rank 0 writes."""
    final, state = run.model, None
    if run.cfg.merge and run.ref_model is None:
        final = run.model.merge_and_unload()
    if run.cfg.fsdp and run.ref_model is None:  # the adapter: the trainable weights
        state = {n: whole(p).cpu() for n, p in run.model.named_parameters() if p.requires_grad}
    elif run.cfg.fsdp:
        from torch.distributed.checkpoint import state_dict as dcp

        gathered = dcp.StateDictOptions(full_state_dict=True, cpu_offload=True)
        state = dcp.get_model_state_dict(run.model, options=gathered)
    if run.rank == 0:
        final.save_pretrained(run.out / "final", state_dict=state)
        run.processor.save_pretrained(run.out / "final")


def main(argv: list[str] | None = None) -> int:
    """python medpo.py [pairs] --flag value ...: train (default), or build pairs only. A user
    error prints 'error: <what>' and exits with 2; a stop by signal exits with 130."""
    from transformers import HfArgumentParser

    argv = sys.argv[1:] if argv is None else argv
    command = "pairs" if argv[:1] == ["pairs"] else "train"
    flags = argv[1:] if command == "pairs" else argv
    try:
        cfg = HfArgumentParser(Config).parse_args_into_dataclasses(args=flags)[0]
        if command == "pairs":
            print(json.dumps(make_pairs(cfg), indent=1))
            return 0
        summary = train(cfg)
    except data_prep.InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        print(f"\n{e or 'interrupted'}", file=sys.stderr)
        return 130
    if os.environ.get("RANK", "0") != "0":  # one process speaks for them all
        return 0
    for when in ("eval_before", "eval_after"):
        numbers = {k: round(v, 3) for k, v in summary.get(when, {}).items() if isinstance(v, float)}
        print(when, numbers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
