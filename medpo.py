"""MedPO: fine-grained, on-policy, visually grounded preference optimisation for medical VLMs.

The reference implementation of "Analyzing and Improving Fine-grained Preference Optimization in
Medical LVLMs" (arXiv 2606.12590), in one file that reads top to bottom:

  Config -> 1. pairs -> 2. lesion corruption -> 3. log-probs and KL -> 4. losses
         -> 5. model and batches -> 6. answers and evaluation -> 7. training loop

  python medpo.py --data demo                      # CPU, offline, minutes: the whole method
  python medpo.py --model_name_or_path Qwen/Qwen3-VL-4B-Instruct --data train.jsonl \
      --eval_data test.jsonl --gradient_checkpointing true     # one GPU, the paper's backbone
  python medpo.py pairs --model_name_or_path ID --data samples.jsonl --output_dir DIR
  python medpo.py eval --data test.jsonl --predictions answers.jsonl --output_dir DIR

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

What serious runs need beside the method lives in small modules this file calls at named points:
fast_loss.py (the default loss path, equal to plain_sums below), distributed.py (several
processes), checkpoints.py (crash-safe checkpoints and signals), checks.py (input checks),
clinical.py (the rule editor and the judge), scores.py (the field's scores), data_prep.py (data).

Where this code departs from the paper's code:
  1. Spans map to tokens through offset_mapping on the clean text (tag tokens shift BPE).
  2. KL from log_softmax in fp32 (softmax().log() gives NaN at extreme logits).
  3. v' is seeded by the sample id: the same v' reaches policy and reference, run after run.
  4. One policy and one reference pass per step, each image encoded once, and the LM head
     applied to the weighted answer tokens only: no (batch x length x vocab) logits.
"""

from __future__ import annotations

import json
import math
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from peft import LoraConfig, PeftModel, get_peft_model
from PIL import Image, ImageFilter
from transformers import AutoModelForImageTextToText

import checkpoints
import data_prep
import distributed
import evaluation
import fast_loss
import llm
import scores
import tracking
from batches import answer_tokens, encode, token_weights  # noqa: F401 (public from here too)
from checkpoints import TrainState
from checks import InputError, box_problem, check_flags, check_pairs
from clinical import check_text, counterfactual_edit, explain_edit, judge, word_diff
from demo import DEMO_DEFAULTS
from fast_loss import HeadLogps  # noqa: F401 (public: people copy it from here)
from files import open_image, read_jsonl, write_jsonl
from llm import EditorError
from options import RunOptions, arg, parse_command_line
from scores import is_right  # noqa: F401 (public: the one judge, from here too)
from vlm import DEVICE, LANGUAGE_MODEL, model_parts, reference_of, to_device

CORRUPTIONS = ("lesion_noise", "global_noise", "blur", "black", "full_black", "crop")
PAPER_DEFAULTS = dict(learning_rate=1e-6, lora_r=128, lora_alpha=256, corruption="lesion_noise")


# -------------------------------------------------------------------------------------------------
# Config: every field is a command-line flag (--beta 0.1); its help text sits next to it.


@dataclass
class Config(RunOptions):
    # data and model
    model_name_or_path: str = arg("tiny", "HF id or local folder; 'tiny' = the offline demo model")
    data: str = arg("demo", "sample or pair JSONL (docs/DATA.md); 'demo' = the demo world")
    eval_data: str = arg("", "JSONL to evaluate on (default: the demo's test split, or none)")
    output_dir: str = arg("runs/medpo", "metrics, pairs, checkpoint-<step>/ and final/ go here")
    # loss (defaults are the paper's)
    beta: float = arg(0.1, "DPO temperature on the token-weighted margins")
    gamma: float = arg(0.1, "weight of the reversed visual-contrastive term")
    lam: float = arg(0.5, "KL mix: lam * FKL + (1 - lam) * RKL (1 = forward only)")
    alpha: float = arg(0.01, "weight of the span KL term")
    w_in: float = arg(1.0, "weight of edited-span tokens in R(y)")
    w_out: float = arg(0.0, "weight of the other answer tokens in R(y)")
    kl_mask: str = arg("spans", "KL on S+ or on all of y+", choices=["spans", "response"])
    vis_pair: str = arg("reversed", "visual pair (VISUAL_PAIRS)", choices=["reversed", "v1", "v2"])
    anchor_weight: float = arg(0.0, "weight of the mDPO anchor -log sigmoid(beta R(y+; v))")
    sft_weight: float = arg(0.0, "weight of an RPO-style NLL of y+ (per-token mean)")
    # lesion corruption
    corruption: str = arg("auto", "how v' is made", choices=["auto", *CORRUPTIONS])
    sigma: float = arg(45.0, "lesion noise std on the 0..255 scale")
    global_sigma: float = arg(12.0, "whole-image noise std when no lesion is known")
    # on-policy pairs
    rounds: int = arg(1, "generate-pairs-then-train rounds (1: pairs from the initial model only)")
    max_new_tokens: int = arg(48, "longest answer generated")
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
    seed: int = arg(42, "seed for data order, dropout and counterfactual edits")
    # outputs and evaluation
    save_steps: int = arg(50, "write a checkpoint every N optimizer steps")
    resume: bool = arg(False, "continue from the newest checkpoint exactly where it stopped")
    eval_limit: int = arg(0, "evaluate on at most N samples (0: all)")

    def __post_init__(self):
        """Flags left at auto (0, or 'auto') take the paper's values (PAPER_DEFAULTS); the tiny
        model on the demo world takes the demo's, chosen on its validation split (demo.py)."""
        demo = self.model_name_or_path == "tiny" and self.data == "demo"
        for name, value in (DEMO_DEFAULTS if demo else PAPER_DEFAULTS).items():
            if getattr(self, name) in (0, "auto"):
                setattr(self, name, value)
        check_flags(self)


# -------------------------------------------------------------------------------------------------
# 1. Pairs: the model's own answer, minimally edited. One judge (clinical.judge) says whether the
#    answer is right; an editor corrects the wrong words of a wrong answer (chosen = correction)
#    or plants one real error in a right one (rejected = planted); a word-level diff gives the
#    edited spans; the tokenizer's offsets map them to per-token weights w_t.


def edit_spans(rejected: str, chosen: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(rejected_spans, chosen_spans): character spans [start, end) of every region where a
    word-level diff of the two texts does not match (each punctuation mark a word), on each side
    where the region is not empty. Needs: clinical.word_diff, clinical.check_text."""
    regions = word_diff(check_text("rejected", rejected), check_text("chosen", chosen))
    return [r for r, _ in regions if r], [c for _, c in regions if c]


def build_pair(
    response: str, reference: str, question: str = "", editor=None, rng=None, stats=None
) -> dict | None:
    """An on-policy pair from the model's own answer (chosen, rejected, chosen_spans,
    rejected_spans, model_correct), or None (stats, a Counter, says why). Needs: pair_outcome,
    edit_spans, clinical.judge, clinical.explain_edit, clinical.counterfactual_edit,
    clinical.word_diff, clinical.check_text."""
    pair, outcome = pair_outcome(response, reference, question, editor, rng)
    if stats is not None:
        stats[outcome] += 1
    return pair


def pair_outcome(response: str, reference: str, question="", editor=None, rng=None):
    """(pair or None, what happened: model_wrong, model_correct or skipped_<why>). The judge
    decides. Wrong: chosen = editor(response, reference, question) (default: the rules), judged
    right. Right: rejected = editor.plant or counterfactual_edit, judged wrong. Unsure: none."""
    if isinstance(response, str) and not response.strip():
        return None, "skipped_empty"  # the model said nothing
    verdict = judge(check_text("response", response), check_text("reference", reference), question)
    if verdict.right is None:
        return None, f"skipped_{verdict.why}"
    if verdict.right:
        plant = getattr(editor, "plant", counterfactual_edit)
        chosen, rejected, why = response, plant(response, rng, question, reference), "no_plant"
    elif editor:
        chosen, rejected, why = editor(response, reference, question), response, "editor_unsure"
    else:  # the rule editor, which says why it cannot edit
        (chosen, why), rejected = explain_edit(response, reference, question), response
    if chosen is None or rejected is None:
        return None, f"skipped_{why}"
    if judge(chosen, reference, question).right is not True:
        return None, "skipped_correction_not_right"
    if verdict.right and judge(rejected, reference, question).right is not False:
        return None, "skipped_plant_not_wrong"
    rejected_spans, chosen_spans = edit_spans(rejected, chosen)
    if not (rejected_spans or chosen_spans):
        return None, "skipped_no_difference"
    pair = dict(chosen=chosen, rejected=rejected, chosen_spans=chosen_spans)
    pair |= dict(rejected_spans=rejected_spans, model_correct=verdict.right)
    return pair, "model_correct" if verdict.right else "model_wrong"


# -------------------------------------------------------------------------------------------------
# 2. Lesion corruption v': the lesion region corrupted, every other pixel bit-identical.

PIXEL_MAX = {"L": 255, "RGB": 255, "RGBA": 255, "I;16": 65535}  # sigma is on the 0..255 scale


def lesion_mask(lesion, size: tuple[int, int]) -> np.ndarray | None:
    """An (H, W) bool mask from None, one box (x0, y0, x1, y1), a list of boxes, an (H, W) bool
    array or a mask image (non-zero = lesion). Boxes are pixel corners, clipped to the image.
    Needs: math, numpy as np, PIL.Image, checks.box_problem."""
    if lesion is None:
        return None
    w, h = size
    if isinstance(lesion, (Image.Image, np.ndarray)):
        mask = np.asarray(lesion.convert("L") if isinstance(lesion, Image.Image) else lesion)
        if mask.shape != (h, w):
            raise ValueError(f"lesion mask has shape {mask.shape} but the image is {h}x{w} (HxW)")
        if not mask.any():
            raise ValueError("lesion mask is empty: pass lesion=None for the global fallback")
        return mask.astype(bool)
    one_box = len(lesion) == 4 and not isinstance(lesion[0], (list, tuple, np.ndarray))
    mask = np.zeros((h, w), bool)
    for box in [lesion] if one_box else lesion:
        problem = box_problem(box, size)
        if problem:
            raise ValueError(f"lesion box: expected {problem}")
        x0, y0, x1, y1 = box
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
    checks.box_problem, _random_crop, _blurred."""
    if not isinstance(image, Image.Image) or image.mode not in PIXEL_MAX:
        kind = f"{type(image).__name__} {getattr(image, 'mode', '')!r}"
        raise ValueError(f"image must be a PIL.Image in mode {', '.join(PIXEL_MAX)}; got {kind}")
    if mode not in CORRUPTIONS:
        raise ValueError(f"mode {mode!r} is not one of {CORRUPTIONS}")
    rng = np.random.default_rng(seed)
    mask = lesion_mask(lesion, image.size)
    if mode == "crop":
        return _random_crop(image, rng)
    everywhere = mask is None or mode in ("global_noise", "full_black")
    region = np.ones((image.height, image.width), bool) if everywhere else mask
    pixels = np.array(image)
    channels = pixels[..., None] if pixels.ndim == 2 else pixels  # (H, W, C) view of pixels
    n_colour = 3 if image.mode == "RGBA" else channels.shape[2]  # alpha is never changed
    top = PIXEL_MAX[image.mode]
    if mode in ("lesion_noise", "global_noise"):
        values = channels[region, :n_colour].astype(np.float64)
        std = global_sigma if everywhere else sigma
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
# 4. Losses. R(y; v) = sum_t w_t [log pi(y_t) - log pi_ref(y_t)]: each branch's weighted log-prob
#    sums come from plain_sums below (full logits, for reading) or, by default, from
#    fast_loss.branch_sums (the same numbers, without the logits).


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
        l_vis = g * preference_loss(
            policy[win], policy[lose], reference[win], reference[lose], cfg.beta
        )
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
    if "chosen_vis" in rewards:  # how much more y+ is preferred with the lesion than without it
        grounding = cfg.beta * (rewards["chosen"] - rewards["chosen_vis"])[has_vis]
        metrics["rewards/grounding"] = grounding.mean()
    return loss.mean(), {k: float(v.detach()) for k, v in metrics.items()}


def plain_sums(model, ref_model, batch, n_pairs: int, cfg, body=None) -> dict:
    """What the loss needs, from full (rows x length x vocab) logits: the loss as a reader learns
    it (fast_loss.branch_sums: the same dict without the logits). batch: encode's rows, branch by
    branch (row b * n_pairs + j: branch b of pair j). Returns policy, reference: (branches,
    n_pairs) sums sum_t w_t log pi(y_t); kl_logits, kl_ref_logits: (K, V) logits of the K
    tokens of S+; kl_pair: (K,) their pair; chosen_nll: (n_pairs,) the mean NLL of y+."""
    head, own_body = model_parts(model)
    inputs = {k: to_device(v) for k, v in batch.inputs.items()}
    logits = head((body or own_body)(**inputs, use_cache=False).last_hidden_state)  # (R, T, V)
    with torch.no_grad(), reference_of(model, ref_model) as ref:
        ref_head, ref_body = model_parts(ref)
        ref_logits = ref_head(ref_body(**inputs, use_cache=False).last_hidden_state)
    policy, reference, kl, kl_ref, kl_pair, nll = [], [], [], [], [], []
    for i, a in enumerate(batch.answers):
        at = (a.row, a.states.to(DEVICE))  # the states at t - 1 that predict the answer's tokens
        labels, w = a.labels.to(DEVICE), a.weights.to(DEVICE)
        logp = token_logps(logits[at], labels)
        policy.append((w * logp).sum())
        reference.append((w * token_logps(ref_logits[at], labels)).sum())
        if i < n_pairs:  # a (v, y+) answer: its KL set S+ and its SFT NLL
            in_kl = a.in_span if cfg.kl_mask == "spans" else torch.ones_like(a.in_span)
            kl.append(logits[at][in_kl.to(DEVICE)])
            kl_ref.append(ref_logits[at][in_kl.to(DEVICE)])
            kl_pair.append(torch.full((int(in_kl.sum()),), i, device=DEVICE))
            nll.append(-logp.mean())
    return dict(
        policy=torch.stack(policy).view(-1, n_pairs),
        reference=torch.stack(reference).view(-1, n_pairs),
        kl_logits=torch.cat(kl),
        kl_ref_logits=torch.cat(kl_ref),
        kl_pair=torch.cat(kl_pair),
        chosen_nll=torch.stack(nll),
    )


def span_kl(sums: dict, n_pairs: int, kl_mask: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(FKL, RKL) of each pair's (v, y+) pass: per token from its logits, summed over S+ (or
    averaged over y+ with kl_mask 'response'). Shape: (n_pairs,), (n_pairs,)."""
    fkl, rkl = forward_reverse_kl(sums["kl_logits"], sums["kl_ref_logits"])  # (K,) each
    zeros = torch.zeros(n_pairs, device=fkl.device, dtype=fkl.dtype)
    count = zeros.index_add(0, sums["kl_pair"], torch.ones_like(fkl)).clamp(min=1)
    scale = count if kl_mask == "response" else 1.0
    fkl = zeros.index_add(0, sums["kl_pair"], fkl) / scale
    return fkl, zeros.index_add(0, sums["kl_pair"], rkl) / scale


def loss_branches(cfg: Config) -> tuple[str, ...]:
    """The branches a step computes: (v,y+), (v,y-), and the visual term's when gamma > 0."""
    if not cfg.gamma:
        return BRANCHES[:2]
    visual = {"reversed": BRANCHES[2:], "v1": BRANCHES[2:3], "v2": BRANCHES[3:]}[cfg.vis_pair]
    return BRANCHES[:2] + visual


# -------------------------------------------------------------------------------------------------
# 5. Model and batches: a LoRA policy on the language model, the adapter-off reference, and the
#    micro-batch of (image, question, answer, spans) rows that the loss reads.


def load_model(cfg: Config, for_generation: bool = False, processor=None):
    """(policy, processor, reference). reference None means the policy with its adapter disabled.
    for_generation: the model in eval mode (with --adapter's trained adapter, if given)."""
    path, local_only = data_prep.model_source(cfg.model_name_or_path, cfg.cache_dir)
    processor = processor or data_prep.load_processor(cfg)
    dtype = torch.bfloat16 if DEVICE == "cuda" else torch.float32
    kw = dict(trust_remote_code=cfg.trust_remote_code, local_files_only=local_only, dtype=dtype)
    try:
        if cfg.fsdp and not for_generation:  # rank 0 reads; the others get their shards later
            model = distributed.load_for_sharding(path, kw)
        else:
            model = AutoModelForImageTextToText.from_pretrained(path, **kw).to(DEVICE)
    except (OSError, ValueError) as e:
        raise data_prep.load_error(path, e) from None
    if for_generation and cfg.adapter:  # a trained adapter (final/) on the base model
        model = PeftModel.from_pretrained(model, cfg.adapter)
    if for_generation:
        return model.eval(), processor, None
    if cfg.gradient_checkpointing:  # transformers 5's name for gradient_checkpointing_enable
        model.activation_checkpointing_enable({"use_reentrant": False})
    if cfg.full_finetune:  # the language model's layers train; the reference is a frozen copy
        reference = AutoModelForImageTextToText.from_pretrained(path, **kw).to(DEVICE).eval()
        for name, p in model.named_parameters():
            p.requires_grad_(bool(LANGUAGE_MODEL.search(name)) and "embed" not in name)
        return model, processor, reference.requires_grad_(False)
    kw = dict(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout)
    lora = LoraConfig(**kw, use_rslora=cfg.use_rslora, target_modules=cfg.lora_target)
    return get_peft_model(model, lora), processor, None


def branch_rows(pairs: list[dict], branches) -> list[tuple]:
    """(image, question, answer, spans) rows, branch by branch: row b * n + j is branch b of
    pair j, with v' (image_vis) for the _vis branches."""
    rows = []
    for b in branches:
        image_key, text_key = ("image_vis" if b.endswith("_vis") else "image"), b.split("_")[0]
        rows += [(p[image_key], p["question"], p[text_key], p[text_key + "_spans"]) for p in pairs]
    return rows


def pair_loss(model, ref_model, processor, pairs: list[dict], cfg: Config, body=None):
    """The MedPO loss of a micro-batch of pairs (dicts with image, image_vis, question, chosen,
    rejected and their spans) and its metrics: one policy and one reference forward over the
    stacked branches [(v,y+), (v,y-), (v',y+), (v',y-)]. ref_model None: the adapter-off policy."""
    branches, n = loss_branches(cfg), len(pairs)
    rows = branch_rows(pairs, branches)
    batch = encode(processor, rows, cfg.w_in, cfg.w_out, cfg.max_completion_length)
    sums_of = fast_loss.branch_sums if cfg.fast_loss else plain_sums
    sums = sums_of(model, ref_model, batch, n, cfg, body)
    fkl, rkl = span_kl(sums, n, cfg.kl_mask)
    policy = dict(zip(branches, sums["policy"], strict=True))
    reference = dict(zip(branches, sums["reference"], strict=True))
    has_vis = torch.full((n,), len(branches) > 2, device=DEVICE)
    loss, metrics = medpo_loss(policy, reference, fkl, rkl, has_vis, cfg, sums["chosen_nll"])
    return loss, metrics | tracking.token_metrics(batch, len(sums["kl_pair"]), n)


# -------------------------------------------------------------------------------------------------
# 6. Answers and evaluation: greedy answers of the current policy, the pairs made from them, and
#    the field's scores (scores.py) on clean images and on v'.


def load_images(sample: dict, cfg: Config) -> dict:
    """The sample with v and v' as RGB, downscaled to --max_image_side (boxes and masks too); v'
    is the precomputed corrupted_image, or corrupt_lesion seeded by the sample id."""
    if "image_vis" in sample:
        return sample
    image, scale = open_image(sample["image"], cfg.max_image_side)
    lesion = sample.get("lesion") or {}
    region = [[v * scale for v in box] for box in lesion.get("boxes") or []] or None
    if lesion.get("mask"):
        region = Image.open(lesion["mask"]).convert("L").resize(image.size, Image.NEAREST)
    if sample.get("corrupted_image"):
        vis = open_image(sample["corrupted_image"], cfg.max_image_side)[0]
    else:
        seed = zlib.crc32(str(sample["id"]).encode())
        vis = corrupt_lesion(image, region, cfg.sigma, cfg.global_sigma, seed, cfg.corruption)
    return sample | {"image": image.convert("RGB"), "image_vis": vis.convert("RGB")}


def build_pairs(model, processor, samples, cfg: Config, rnd=0, editor=None, journal=None):
    """(pairs, stats): pair_outcome of the model's greedy answer to each sample, journaled as
    made (a rerun continues an interrupted one); the planted error's draw seeded by the id."""
    done = checkpoints.read_journal(journal)
    todo = [s for s in samples if s["id"] not in done]
    images = [load_images(s, cfg) for s in todo]  # v and v' beside the paths the pairs keep
    answers = evaluation.generate(model, processor, images, cfg.max_new_tokens)
    for sample, answer in zip(todo, answers, strict=True):
        rng = np.random.default_rng([cfg.seed, rnd, zlib.crc32(str(sample["id"]).encode())])
        try:
            pair, outcome = pair_outcome(answer, sample["answer"], sample["question"], editor, rng)
        except EditorError as e:  # no usable reply from the LLM editor
            pair, outcome = None, "skipped_editor_error"
            print(f"warning: {sample['id']}: {e}")
        done[sample["id"]] = {"id": sample["id"], "answer": answer, "outcome": outcome}
        if pair:
            keep = ("id", "image", "question", "answer", "lesion", "meta", "corrupted_image")
            done[sample["id"]]["pair"] = {k: sample[k] for k in keep if k in sample} | pair
        checkpoints.append_journal(journal, done[sample["id"]])
    records = [done[s["id"]] for s in samples]
    stats = Counter(r["outcome"] for r in records) + Counter(getattr(editor, "rejected", {}))
    return [r["pair"] for r in records if "pair" in r], stats


def evaluate(model, processor, samples: list[dict], cfg: Config, keep_answers=False) -> dict:
    """The field's scores of the model's greedy answers on v, and on v' (evaluation.py)."""
    samples = [load_images(s, cfg) for s in samples[: cfg.eval_limit or None]]
    result = evaluation.evaluate_model(model, processor, samples, cfg.max_new_tokens, keep_answers)
    return {f"eval/{k}": v for k, v in result.items()}


def make_pairs(cfg: Config) -> dict:
    """The `pairs` command: pairs from the model's answers to --data, in output_dir (pairs.jsonl,
    each v' as a PNG, TRL's format, pair_stats.json); a rerun continues an interrupted one."""
    rows = data_prep.resolve_data(cfg.data, "", cfg.cache_dir)[0]
    model, processor, _ = load_model(cfg, for_generation=True)
    journal = Path(cfg.output_dir) / "pairs.jsonl.partial"
    pairs, stats = build_pairs(model, processor, rows, cfg, 0, llm.make_editor(cfg), journal)
    whole = replace(cfg, max_image_side=0)  # v' at the image's own size, as training reads it
    vprime = lambda pair: load_images(pair, whole)["image_vis"]  # noqa: E731
    statistics = data_prep.write_pair_files(Path(cfg.output_dir), pairs, stats, vprime)
    journal.unlink()
    return statistics


def evaluate_command(cfg: Config) -> dict:
    """The `eval` command: scores.json and samples.jsonl in output_dir, for the answers of a
    model (with --adapter, if given) to --eval_data (or --data), or for --predictions."""
    rows = data_prep.resolve_data(cfg.eval_data or cfg.data, "", cfg.cache_dir)[0]
    if cfg.predictions:  # answers made elsewhere: no model, no GPU
        return scores.evaluate_predictions(rows, cfg.predictions, cfg.output_dir, cfg)
    model, processor, _ = load_model(cfg, for_generation=True)  # with --adapter, if given
    samples = [load_images(s, cfg) for s in rows[: cfg.eval_limit or None]]
    answers = evaluation.generate(model, processor, samples, cfg.max_new_tokens)
    return scores.evaluate_predictions(samples, answers, cfg.output_dir, cfg)


# -------------------------------------------------------------------------------------------------
# 7. Training loop: on-policy rounds (answer -> pairs -> train), gradient accumulation, AdamW with
#    a cosine schedule, exact resume; distributed.py and checkpoints.py at the marked points.


@dataclass
class Run:
    """What one training run holds; the loop's steps take it whole."""

    cfg: Config
    model: torch.nn.Module
    ref_model: torch.nn.Module | None  # None: the policy with its adapter disabled
    processor: object
    optimizer: torch.optim.Optimizer
    out: Path
    total_steps: int
    rank: int = 0  # this process, of world (distributed.py)
    world: int = 1
    accelerator: object = None
    body: torch.nn.Module | None = None  # what the policy's forward goes through (DDP: wrapped)
    eval_rows: list = field(default_factory=list)
    state: TrainState = field(default_factory=TrainState)
    stop_signal: str = ""  # SIGINT or SIGTERM arrived: stop at the next step boundary


def lr_at(step: int, cfg: Config, total: int) -> float:
    """The learning rate of optimizer step `step` (from 0): linear warm-up over warmup_ratio of
    the steps, then cosine decay to 0 (transformers' get_cosine_schedule_with_warmup)."""
    warmup = int(cfg.warmup_ratio * total)
    if step < warmup:
        return cfg.learning_rate * step / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return cfg.learning_rate * max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))


def start_run(cfg: Config) -> tuple[Run, list[list[dict]]]:
    """Check the output folder and the data, join the other processes (if any), load the model,
    build the optimizer, resume. Returns the run and each round's samples (or the given pairs)."""
    rank, world, accelerator = distributed.start_processes(cfg)
    torch.manual_seed(cfg.seed)  # the same on every rank: identical LoRA initialisation
    out = checkpoints.check_output_dir(cfg)
    rows, eval_rows = data_prep.resolve_data(cfg.data, cfg.eval_data, cfg.cache_dir)
    processor = data_prep.load_processor(cfg)
    if "chosen" in rows[0]:  # a pair file: refuse pairs the loss cannot learn from, now
        check_pairs(rows, cfg.data, processor, cfg.max_completion_length)
    model, processor, ref_model = load_model(cfg, processor=processor)
    body = distributed.distribute(cfg, model, ref_model, accelerator)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    n_rounds = 1 if "chosen" in rows[0] else cfg.rounds
    rounds = [rows[r::n_rounds] for r in range(n_rounds)]
    total = sum(steps_in_round(len(r), cfg, world) for r in rounds)
    total = cfg.max_steps if cfg.max_steps > 0 else total
    run = Run(cfg, model, ref_model, processor, optimizer, out, total, rank, world, accelerator)
    run.body, run.eval_rows = body, eval_rows
    saved = checkpoints.complete_checkpoints(out)
    if cfg.resume and saved:
        run.state = TrainState(**checkpoints.load_checkpoint(run, saved[0]))
    checkpoints.save_config(run)
    return run, rounds


def steps_in_round(n_pairs: int, cfg: Config, world: int) -> int:
    """Optimizer steps over n_pairs (on-policy: an estimate from the round's samples)."""
    micro = math.ceil(n_pairs * cfg.num_train_epochs / cfg.per_device_train_batch_size)
    return math.ceil(math.ceil(micro / world) / cfg.gradient_accumulation_steps)


def round_pairs(run: Run, samples: list[dict], rnd: int) -> tuple[list[dict], Counter]:
    """This round's pairs and their stats: the given pairs, an earlier run's, or new on-policy
    pairs from the current policy's answers."""
    path = run.out / "rounds" / f"pairs_{rnd}.jsonl"
    stats = Counter(run.state.pair_stats)
    if "chosen" in samples[0]:
        pairs = samples
    elif path.exists():
        pairs = read_jsonl(path)
    else:
        editor = llm.make_editor(run.cfg)
        build = partial(build_pairs, run.model, run.processor, cfg=run.cfg, rnd=rnd, editor=editor)
        journal = path.with_name(path.name + ".partial")
        pairs, stats = distributed.build_on_ranks(run, build, samples, journal)  # 1 rank: build
        run.state.pair_stats = dict(stats)
        if run.rank == 0:
            write_jsonl(path, pairs)
    if not pairs:
        raise InputError(f"round {rnd}: no pair built from {len(samples)} samples ({dict(stats)})")
    return pairs, stats


def micro_batches(run: Run, n_pairs: int, rnd: int) -> list[list[int]]:
    """Pair indices of each micro-batch: a fixed shuffle per epoch, padded to a multiple of the
    world size (the first ones again)."""
    g = torch.Generator().manual_seed(run.cfg.seed * 1000 + rnd)
    order = []
    for _ in range(run.cfg.num_train_epochs):
        order += torch.randperm(n_pairs, generator=g).tolist()
    size = run.cfg.per_device_train_batch_size
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    return batches + [batches[i % len(batches)] for i in range(-len(batches) % run.world)]


def accumulate_gradients(run: Run, pairs: list[dict], batches: list[list[int]]) -> list[dict]:
    """Forward and backward over this rank's share of a step's micro-batches, each loss weighted
    by its share of the step's pairs (x world: DDP averages over ranks). Every rank's metrics."""
    n_pairs = sum(len(b) for b in batches)
    mine = batches[run.rank :: run.world]
    parts = []
    for j, idx in enumerate(mine):
        examples = [load_images(pairs[i], run.cfg) for i in idx]
        with distributed.gradient_sync(run, j == len(mine) - 1):  # 1 rank: no-op
            loss, metrics = pair_loss(
                run.model, run.ref_model, run.processor, examples, run.cfg, run.body
            )
            (loss * len(idx) / n_pairs * run.world).backward()
        parts.append(metrics | {"loss": loss.item()})
    return distributed.gather(run, parts)


def optimizer_step(run: Run, pairs: list[dict], batches: list[list[int]]) -> dict:
    """One optimizer step over its micro-batches, at the schedule's learning rate; returns the
    step's metrics. A step whose loss or gradient is not finite is skipped (no update)."""
    t0 = time.time()
    for group in run.optimizer.param_groups:
        group["lr"] = lr_at(run.state.step, run.cfg, run.total_steps)
    parts = accumulate_gradients(run, pairs, batches)
    max_norm = run.cfg.max_grad_norm or math.inf  # 0: no clipping, the norm is still taken
    params = [p for p in run.model.parameters() if p.requires_grad]
    grad_norm = distributed.whole(torch.nn.utils.clip_grad_norm_(params, max_norm))
    finite = checkpoints.finite_step(run, parts, grad_norm)  # 3 bad steps in a row: stop
    if finite:
        run.optimizer.step()
    run.optimizer.zero_grad(set_to_none=True)
    run.state.step += 1
    run.state.round_step += 1
    return tracking.step_metrics(run, parts, grad_norm, not finite, time.time() - t0)


def train_round(run: Run, pairs: list[dict], stats: Counter, rnd: int, log, on_step) -> None:
    """The optimizer steps of one round, from where the state says it stands; evaluation every
    --eval_steps; a checkpoint every --save_steps, and at a stop signal."""
    batches = micro_batches(run, len(pairs), rnd)
    per_step = run.cfg.gradient_accumulation_steps * run.world
    for k in range(run.state.round_step * per_step, len(batches), per_step):
        row = optimizer_step(run, pairs, batches[k : k + per_step])
        row |= {"round": rnd} | {"pairs/" + key: v for key, v in stats.items()}
        if run.cfg.eval_steps and run.eval_rows and run.state.step % run.cfg.eval_steps == 0:
            row |= evaluate(run.model, run.processor, run.eval_rows, run.cfg)
        log.write(row)
        if on_step:
            on_step(run.state.step, row)
        checkpoints.step_boundary(run)  # a checkpoint every --save_steps; a signal: save, stop
        if run.state.step >= run.total_steps:
            return


def train(cfg: Config, on_step=None) -> dict:
    """Run MedPO and return the summary; on_step(step, metrics) is called after each step. On
    several processes every rank computes everything and rank 0 writes."""
    run, rounds = start_run(cfg)
    summary = {}
    if run.eval_rows and run.state.step == 0:
        summary["eval_before"] = evaluate(run.model, run.processor, run.eval_rows, cfg)
    run.model.train()
    with tracking.MetricsLog(run) as log, checkpoints.stop_at_step_boundary(run):
        for rnd in range(run.state.round, len(rounds)):
            pairs, stats = round_pairs(run, rounds[rnd], rnd)
            train_round(run, pairs, stats, rnd, log, on_step)
            if run.state.step >= run.total_steps:
                break
            run.state.round = rnd + 1
            run.state.round_step = 0
    checkpoints.save_checkpoint(run)
    if run.eval_rows:
        summary["eval_after"] = evaluate(run.model, run.processor, run.eval_rows, cfg)
    summary |= {"steps": run.state.step, "pair_stats": run.state.pair_stats}
    checkpoints.save_final(run, summary, rounds)  # final/ (adapter, model card), summary.json
    distributed.end(run)
    return summary


def main(argv: list[str] | None = None) -> int:
    """python medpo.py [train | pairs | eval] --flag value ...; a user error prints 'error: ...'
    and exits with 2, a stop by signal with 130."""
    try:
        command, cfg = parse_command_line(Config, argv)
        run_command = {"train": train, "pairs": make_pairs, "eval": evaluate_command}[command]
        result = run_command(cfg)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        print(f"\n{e or 'interrupted'}", file=sys.stderr)
        return 130
    if distributed.is_main_process():  # one process speaks for them all
        print(json.dumps(tracking.summary_numbers(result), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
