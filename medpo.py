"""MedPO: fine-grained, on-policy, visually grounded preference optimisation for medical VLMs.

Reference implementation of "Analyzing and Improving Fine-grained Preference Optimization in
Medical LVLMs" (arXiv 2606.12590). One file, read top to bottom:

  Config -> 1. pairs -> 2. lesion corruption -> 3. log-probs and KL -> 4. losses

The model answers a question about an image; an editor corrects only the clinically wrong words
(or plants one plausible error in a right answer), so chosen y+ and rejected y- differ in a few
tokens. The loss is a DPO margin over those tokens, a reversed preference under a lesion-noised
image v', and a forward+reverse token KL on the edited tokens of y+:

  L = mean_batch[ -log s(beta (R(y+;v) - R(y-;v))) + gamma (-log s(beta (R(y-;v') - R(y+;v'))))
                  + alpha sum_{t in S+} (lam FKL_t + (1 - lam) RKL_t) ]
  R(y;v) = sum_t w_t (log pi(y_t|v,q,y<t) - log pi_ref(y_t|v,q,y<t))

Where this code departs from the paper's code:
  1. Spans map to tokens through the fast tokenizer's offset_mapping on the clean text, never by
     tokenizing tag markers and deleting their tokens (BPE boundaries would shift).
  2. The KL is computed from log_softmax in fp32 (softmax().log() gives NaN on extreme logits).
  3. The corrupted image v' is seeded by the sample id, so the same v' reaches the policy and the
     reference, run after run.
"""
from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageFilter


# ----------------------------------------------------------------------------------------------
# Config: every field is a command-line flag (--beta 0.1); the help text sits next to the field.

@dataclass
class Config:
    # loss (defaults are the paper's)
    beta: float = field(default=0.1, metadata={"help": "DPO temperature on the token-weighted margins"})
    gamma: float = field(default=0.1, metadata={"help": "weight of the reversed visual-contrastive term"})
    lam: float = field(default=0.5, metadata={"help": "KL mix: lam*FKL + (1-lam)*RKL (1 = forward only)"})
    alpha: float = field(default=0.01, metadata={"help": "weight of the span KL term"})
    w_in: float = field(default=1.0, metadata={"help": "weight of edited-span tokens in R(y)"})
    w_out: float = field(default=0.0, metadata={"help": "weight of the other response tokens in R(y)"})
    kl_mask: str = field(default="spans", metadata={
        "help": "KL positions: 'spans' (edited tokens of y+, summed) or 'response' (all y+, averaged)",
        "choices": ["spans", "response"]})
    vis_pair: str = field(default="reversed", metadata={
        "help": "visual term: 'reversed' (v',y-)>(v',y+); 'v1' (v,y+)>(v',y+); 'v2' (v,y+)>(v',y-)",
        "choices": ["reversed", "v1", "v2"]})
    anchor_weight: float = field(default=0.0, metadata={"help": "mDPO anchor -log s(beta R(y+;v))"})
    sft_weight: float = field(default=0.0, metadata={"help": "RPO-style NLL of y+ (per-token mean)"})
    # lesion corruption
    corruption: str = field(default="lesion_noise", metadata={
        "help": "how v' is made", "choices": ["lesion_noise", "global_noise", "blur", "black",
                                               "full_black", "crop", "none"]})
    sigma: float = field(default=45.0, metadata={"help": "lesion noise std on the 0..255 scale"})
    global_sigma: float = field(default=12.0, metadata={"help": "whole-image noise std when no lesion is known"})


# ----------------------------------------------------------------------------------------------
# 1. Pairs: word-level edit spans, a rule-based clinical editor, and the on-policy pair builder.

_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")  # words (X-ray, don't) and single punctuation


def _check_text(name: str, value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def edit_spans(rejected: str, chosen: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans [start, end) where rejected and chosen differ, by a word-level diff.

    Every non-matching region of difflib's alignment is a span on each side where it is
    non-empty (a pure insertion has a span in `chosen` only). Comparison is case-sensitive and
    punctuation marks are words of their own. Returns (rejected_spans, chosen_spans).
    """
    _check_text("rejected", rejected), _check_text("chosen", chosen)
    rw, cw = list(_WORD.finditer(rejected)), list(_WORD.finditer(chosen))
    sm = difflib.SequenceMatcher(None, [m.group() for m in rw], [m.group() for m in cw], autojunk=False)
    r_spans, c_spans = [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            r_spans.append((rw[i1].start(), rw[i2 - 1].end()))
        if j2 > j1:
            c_spans.append((cw[j1].start(), cw[j2 - 1].end()))
    return r_spans, c_spans


# Term groups: in each group the alternatives exclude one another; an alternative is a tuple of
# synonyms. The first synonym is the display form used when planting an error.
LEXICON: dict[str, list[tuple[str, ...]]] = {
    "laterality": [("left",), ("right",), ("bilateral", "both")],
    "normality": [("normal", "unremarkable"), ("abnormal",)],
    "modality": [("CT", "computed tomography"), ("MRI", "MR", "magnetic resonance"),
                 ("X-ray", "xray", "radiograph", "radiography"), ("ultrasound", "sonography")],
    "plane": [("axial", "transverse"), ("coronal",), ("sagittal",)],
    "vertical": [("upper",), ("lower",)],
    "depth": [("anterior",), ("posterior",)],
    "organ": [("liver",), ("lung", "lungs"), ("heart",), ("kidney", "kidneys"), ("brain",),
              ("spleen",), ("stomach",), ("bladder",), ("pancreas",), ("colon",), ("bowel",),
              ("gallbladder",), ("esophagus",), ("trachea",), ("spine", "spinal cord"), ("bone",)],
    "finding": [("nodule",), ("mass",), ("effusion",), ("pneumonia",), ("cardiomegaly",),
                ("atelectasis",), ("tumor", "tumour"), ("cyst",), ("fracture",), ("edema", "oedema"),
                ("pneumothorax",), ("opacity",), ("consolidation",), ("calcification",)],
    "size": [("small", "tiny"), ("large", "big"), ("medium", "medium-sized")],
    "severity": [("mild", "slight"), ("moderate",), ("severe", "marked")],
}
_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _find(pattern: str, text: str) -> list[re.Match]:
    return list(re.finditer(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", text, re.IGNORECASE))


def _term_hits(text: str) -> dict[str, dict[int, list[re.Match]]]:
    """group -> alternative index -> matches of that alternative's synonyms in text."""
    hits = {}
    for group, alts in LEXICON.items():
        found = {}
        for k, syns in enumerate(alts):
            ms = _find("|".join(re.escape(s) for s in sorted(syns, key=len, reverse=True)), text)
            if ms:
                found[k] = ms
        hits[group] = found
    nums = _find("|".join(_NUMBERS) + r"|\d+(?:\.\d+)?", text)
    hits["number"] = {}
    for m in nums:
        w = m.group().lower()
        hits["number"].setdefault(str(_NUMBERS.index(w)) if w in _NUMBERS else w, []).append(m)
    return hits


def _styled(new: str, old: str) -> str:
    """new in old's case: 'right' replacing 'Left' is 'Right'; CT, MRI and X-ray keep their caps."""
    if any(c.isupper() for c in new):
        return new
    title = old[:1].isupper() and not (len(old) > 1 and old.isupper())  # 'Left', not 'CT'
    return new[:1].upper() + new[1:] if title else new


def _canonical(surface: str, group: str) -> str:
    """The lexicon's spelling of a matched term ('mri' -> 'MRI'); numbers stay as written."""
    for alt in LEXICON.get(group, []):
        for syn in alt:
            if syn.lower() == surface.lower():
                return syn
    return surface


def _article(word: str) -> str:
    """'a' or 'an' by sound: an MRI, an X-ray, an effusion; a CT, a nodule."""
    acronym = word[:1].isupper() and (word.isupper() or word[1:2] == "-")
    return "an" if (word[:1] in "AEFHILMNORSX" if acronym else word[:1].lower() in "aeiou") else "a"


# Polarity sites: (regex, the opposite wording). A site's polarity is +1 (finding present) or -1.
_POLARITY = [
    (r"^\s*yes\b", +1, "no"), (r"^\s*no\b(?=\s*[,.!;:]|\s*$)", -1, "yes"),
    (r"\bthere (?:is|are) no\b", -1, None), (r"\bthere is an?\b", +1, None),
    (r"\bthere are (?!no\b)", +1, None),
    (r"\bpresent\b", +1, "absent"), (r"\babsent\b", -1, "present"),
    (r"\b(?:is|are) not (?=seen|visible|present|identified)", -1, None),
    (r"\b(?:is|are) (?=seen|visible|identified)", +1, None),
    (r"\bshows? no\b", -1, None), (r"\bshows? an?\b", +1, None),
]


def _flip(m: re.Match, repl: str | None, rest: str) -> str:
    """The opposite wording of one polarity site, keeping its case and articles right."""
    s = m.group()
    if repl is not None:
        return s[: len(s) - len(s.lstrip())] + _styled(repl, s.lstrip())
    low = s.lower()
    art = _article(rest.lstrip())
    if re.match(r"there (is|are) no", low):
        return s[:-2] + art if " is " in low else s[:-3]
    if low.startswith("there is"):
        return s[: s.lower().rindex(" ")] + " no"
    if low.startswith("there are"):
        return s + "no "
    if " not " in low:
        return s.replace(" not", "", 1)
    if low.startswith(("is ", "are ")):
        return s + "not "
    if low.endswith(" no"):
        return s[: -2] + art
    return s[: s.rindex(" ")] + " no"


def _polarity_sites(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, polarity, opposite wording) for each polarity cue in text."""
    sites, taken = [], set()
    for pat, pol, repl in _POLARITY:
        for m in re.finditer(pat, text, re.IGNORECASE):
            if not taken.intersection(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                sites.append((m.start(), m.end(), pol, _flip(m, repl, text[m.end():])))
    return sorted(sites)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for s, e, new in sorted(edits, reverse=True):
        text = text[:s] + new + text[e:]
    return text


def _fix_article(text: str, edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """When a replaced word follows 'a'/'an', make the article agree with the new word."""
    out = list(edits)
    for s, _, new in edits:
        m = re.search(r"\b(an?)\s+$", text[:s], re.IGNORECASE)
        if m:
            art = _article(new)
            if m.group(1).lower() != art:
                out.append((m.start(1), m.end(1), _styled(art, m.group(1))))
    return out


def clinical_edit(response: str, reference: str) -> str | None:
    """Minimal rule-based correction of `response` against `reference`.

    For every term group that the reference decides (it names exactly one alternative) and the
    response contradicts (it names exactly one, different alternative), the response's words are
    replaced by the reference's; polarity (yes/no, there is/there is no, present/absent) is
    flipped the same way. Everything else is kept byte for byte. Returns the response unchanged
    when it agrees with the reference, and None when nothing comparable is found or a group is
    ambiguous on the response side.
    """
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
        new = _canonical(ref_ms[0].group(), group)
        edits += [(m.start(), m.end(), _styled(new, m.group())) for ms in res_alts.values() for m in ms]
    ref_pol = {p for _, _, p, _ in _polarity_sites(reference)}
    res_sites = _polarity_sites(response)
    if len(ref_pol) == 1:
        if not res_sites:
            return None if not compared else _apply(response, _fix_article(response, edits))
        compared += 1
        (want,) = ref_pol
        if any(p != want for _, _, p, _ in res_sites):
            if any(p == want for _, _, p, _ in res_sites):
                return None  # the response says both: cannot tell which claim to keep
            edits += [(s, e, new) for s, e, _, new in res_sites]
    if not compared:
        norm = lambda t: " ".join(m.group().lower() for m in _WORD.finditer(t) if m.group().isalnum())
        return response if norm(reference) and norm(reference) in norm(response) else None
    return _apply(response, _fix_article(response, edits))


def counterfactual_edit(response: str, rng: np.random.Generator | None = None) -> str | None:
    """Plant one plausible clinical error: change exactly one clinical term of `response`.

    Candidates are every lexicon term and every polarity cue; one is drawn with `rng` and swapped
    for another alternative of its group (left<->right, CT<->MRI, present<->absent, ...). Returns
    None when the response holds no clinical term.
    """
    _check_text("response", response)
    rng = rng if rng is not None else np.random.default_rng(0)
    cands = [(s, e, new) for s, e, _, new in _polarity_sites(response)]
    taken = {i for s, e, _ in cands for i in range(s, e)}
    for group, found in _term_hits(response).items():
        if group == "number":
            continue
        for k, ms in found.items():
            others = [a[0] for j, a in enumerate(LEXICON[group]) if j != k]
            if group in ("laterality", "size") and k < 2:
                others = [LEXICON[group][1 - k][0]]  # left<->right, small<->large
            for m in ms:
                if not taken.intersection(range(m.start(), m.end())):
                    new = others[0] if len(others) == 1 else others[int(rng.integers(len(others)))]
                    cands.append((m.start(), m.end(), _styled(new, m.group())))
    if not cands:
        return None
    s, e, new = cands[int(rng.integers(len(cands)))]
    return _apply(response, _fix_article(response, [(s, e, new)]))


def build_pair(response: str, reference: str, editor=clinical_edit, rng=None,
               stats: Counter | None = None) -> dict | None:
    """An on-policy pair from the model's own answer.

    Wrong answer: chosen = editor's minimal correction, rejected = the answer. Right answer
    (editor returns it unchanged): chosen = the answer, rejected = counterfactual_edit(answer).
    `editor(response, reference) -> str | None` is pluggable (bind a question with a closure).
    Returns None when no pair can be made; `stats` (a Counter) then says why.
    """
    _check_text("response", response), _check_text("reference", reference)
    stats = stats if stats is not None else Counter()
    fixed = editor(response, reference)
    if fixed is None:
        stats["skipped_undecidable"] += 1
        return None
    correct = fixed == response
    chosen, rejected = (response, counterfactual_edit(response, rng)) if correct else (fixed, response)
    if rejected is None:
        stats["skipped_no_clinical_term"] += 1
        return None
    r_spans, c_spans = edit_spans(rejected, chosen)
    if not (r_spans or c_spans):
        stats["skipped_no_difference"] += 1
        return None
    stats["model_correct" if correct else "model_wrong"] += 1
    return dict(chosen=chosen, rejected=rejected, chosen_spans=c_spans, rejected_spans=r_spans,
                model_correct=correct)


def token_weights(offsets, spans, w_in: float = 1.0, w_out: float = 0.0, text_len: int | None = None) -> list[float]:
    """Per-token weights from character spans through a fast tokenizer's offset_mapping.

    A token whose characters [a, b) overlap a span [s, e) gets w_in, every other token w_out.
    `offsets` comes from tokenizer(text, return_offsets_mapping=True) on the clean response text.
    Raises ValueError for a span outside [0, text_len] or with end <= start.
    """
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
    if isinstance(lesion, Image.Image) or isinstance(lesion, np.ndarray):
        m = np.asarray(lesion.convert("L") if isinstance(lesion, Image.Image) else lesion)
        if m.ndim != 2 or m.shape != (h, w):
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
    """v': the image with its lesion region corrupted; pixels outside it are bit-identical.

    lesion_noise (the method): add N(0, sigma^2) per colour channel inside the region, clip,
    round; with no region known, N(0, global_sigma^2) over the whole image. Ablations:
    global_noise (global_sigma everywhere), blur / black (the region blurred / set to 0),
    full_black, crop (mDPO-style: a random crop of 20% of the area, resized back).
    sigma is on the 0..255 scale (scaled by 257 for 16-bit images). Alpha is never changed.
    """
    if not isinstance(image, Image.Image):
        raise ValueError(f"image must be a PIL.Image, got {type(image).__name__}")
    if image.mode not in _SCALE:
        raise ValueError(f"image mode {image.mode!r} is not supported: convert to one of {sorted(_SCALE)}")
    rng = np.random.default_rng(seed)
    mask = lesion_mask(lesion, image.size)
    arr = np.array(image)
    top = _SCALE[image.mode]
    region = np.ones(arr.shape[:2], bool) if mask is None or mode in ("global_noise", "full_black") else mask
    chans = slice(0, 3) if image.mode == "RGBA" else slice(None)
    if mode in ("lesion_noise", "global_noise"):
        std = global_sigma if mask is None or mode == "global_noise" else sigma
        vals = arr[region][..., chans] if arr.ndim == 3 else arr[region]
        noisy = vals + rng.normal(0.0, std * top / 255, size=vals.shape)
        new = np.clip(np.rint(noisy), 0, top).astype(arr.dtype)
        if arr.ndim == 3:
            arr[region, chans] = new
        else:
            arr[region] = new
    elif mode in ("black", "full_black"):
        if arr.ndim == 3:
            arr[region, chans] = 0
        else:
            arr[region] = 0
    elif mode == "blur":
        radius = max(2.0, 0.1 * math.sqrt(region.sum()))
        src = image.convert("F") if image.mode == "I;16" else image
        blurred = np.array(src.filter(ImageFilter.GaussianBlur(radius)))
        arr[region] = np.clip(np.rint(blurred[region]), 0, top).astype(arr.dtype) if image.mode == "I;16" else blurred[region]
        if image.mode == "RGBA":
            arr[..., 3] = np.array(image)[..., 3]
    elif mode == "crop":
        w, h = image.size
        cw, ch = max(1, round(w * math.sqrt(0.2))), max(1, round(h * math.sqrt(0.2)))
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        return image.crop((x, y, x + cw, y + ch)).resize(image.size, Image.BILINEAR)
    else:
        raise ValueError(f"mode {mode!r} is not one of lesion_noise, global_noise, blur, black, full_black, crop")
    return Image.fromarray(arr)


# ----------------------------------------------------------------------------------------------
# 3. Log-probs and KL, always in fp32 (or wider) from log_softmax.

def _fp32(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype in (torch.float32, torch.float64) else x.float()


def token_logps(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """log pi(label | context) per position, fp32.

    Shape: logits (..., V), labels (...) -> (...).
    """
    logits = _fp32(logits)
    return logits.gather(-1, labels.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1)


def forward_reverse_kl(policy_logits: torch.Tensor, ref_logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(FKL, RKL) per position over the vocabulary: KL(pi_ref || pi), KL(pi || pi_ref), fp32.

    Shape: (..., V), (..., V) -> (...), (...).
    """
    lp, lr = _fp32(policy_logits).log_softmax(-1), _fp32(ref_logits).log_softmax(-1)
    fkl = (lr.exp() * (lr - lp)).sum(-1)
    rkl = (lp.exp() * (lp - lr)).sum(-1)
    return fkl, rkl


def bidirectional_kl(policy_logits: torch.Tensor, ref_logits: torch.Tensor, lam: float = 0.5) -> torch.Tensor:
    """lam * KL(pi_ref || pi) + (1 - lam) * KL(pi || pi_ref) per position, fp32.

    Shape: (..., V), (..., V) -> (...).
    """
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
    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(beta * margin)


BRANCHES = ("chosen", "rejected", "chosen_vis", "rejected_vis")  # (v,y+), (v,y-), (v',y+), (v',y-)


def medpo_loss(policy: dict[str, torch.Tensor], reference: dict[str, torch.Tensor], fkl: torch.Tensor,
               rkl: torch.Tensor, has_vis: torch.Tensor, cfg: Config,
               chosen_nll: torch.Tensor | None = None) -> tuple[torch.Tensor, dict[str, float]]:
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
    g = has_vis.to(l_pref.dtype)
    if cfg.gamma and bool(has_vis.any()):
        l_vis = -F.logsigmoid(cfg.beta * (R[win] - R[lose])) * g
    else:
        l_vis = torch.zeros_like(l_pref)
    l_kl = cfg.lam * fkl + (1.0 - cfg.lam) * rkl
    loss = l_pref + cfg.gamma * l_vis + cfg.alpha * l_kl
    if cfg.anchor_weight:
        loss = loss - cfg.anchor_weight * F.logsigmoid(cfg.beta * R["chosen"])
    if cfg.sft_weight:
        loss = loss + cfg.sft_weight * chosen_nll
    margins = cfg.beta * (R["chosen"] - R["rejected"])
    metrics = {
        "loss/pref": l_pref.mean(), "loss/kl": l_kl.mean(), "kl/forward": fkl.mean(), "kl/reverse": rkl.mean(),
        "rewards/chosen": cfg.beta * R["chosen"].mean(), "rewards/rejected": cfg.beta * R["rejected"].mean(),
        "rewards/margins": margins.mean(), "rewards/accuracies": (margins > 0).float().mean(),
    }
    if bool(has_vis.any()) and win in R and lose in R:
        vm = cfg.beta * (R[win] - R[lose])[has_vis]
        metrics.update({"loss/vis": l_vis.sum() / g.sum(), "rewards/vis_margins": vm.mean(),
                        "rewards/vis_accuracies": (vm > 0).float().mean()})
    return loss.mean(), {k: float(v.detach()) for k, v in metrics.items()}
