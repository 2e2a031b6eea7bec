"""The fast loss path, exact and the default: what makes a MedPO step cost about one forward per
model. medpo.py's plain_sums computes the same sums from full (rows x length x vocab) logits, for
reading; a test keeps the two equal.

  1. Each distinct image is encoded once, in the policy and the reference pass alike, and its
     features go to every row that shows it (the vision tower is frozen).
  2. Answers that share an image and a question become one packed row [prompt | y+ | y-] with a
     block attention mask and each token's own positions: each prompt is computed once.
  3. Only the answer tokens that carry weight, or a KL or SFT term, meet the LM head, a chunk of
     rows at a time (HeadLogps): no (batch x length x vocab) logits are ever kept.
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass

import torch

from distributed import all_ranks, is_main_process, unsharded
from vlm import (
    DEVICE,
    frozen_head_weight,
    model_parts,
    model_type,
    reference_of,
    to_device,
    vision_frozen,
)


def shared_images(model, inputs: dict, batch) -> dict:
    """With the vision tower frozen, each distinct image is encoded once and its features go to
    every row that shows it, in the policy and the reference pass alike (transformers'
    mm_encoder_outputs). If any vision weight trains, the inputs are returned as given."""
    if not batch.pixels or not vision_frozen(model):
        return inputs
    body = model_parts(model)[1]
    with torch.no_grad(), unsharded(body):
        pixels = {k: v.to(DEVICE) for k, v in batch.pixels.items()}
        encoded = body.get_image_features(**pixels, return_dict=True)
    index, n_images = batch.image_index, int(batch.image_index.max()) + 1
    for name in PER_IMAGE_FEATURES:
        if getattr(encoded, name, None) is not None:
            setattr(encoded, name, features_per_row(getattr(encoded, name), index, n_images))
    inputs = {k: v for k, v in inputs.items() if not k.startswith("pixel_")}
    inputs["mm_encoder_outputs"] = {"image": encoded}
    return inputs


# What the decoder reads from the image encoder's output: the pooled features (every model), and
# Qwen3-VL's deepstack features (one entry per deepstack layer, each split per image), which it
# adds to the image tokens' states after its first decoder layers.
PER_IMAGE_FEATURES = ("pooler_output", "deepstack_features")


def features_per_row(features, index: torch.Tensor, n_images: int):
    """Features of the distinct images, in the rows' order (index: each row's image): a tensor
    (images x tokens per image, ...), a tuple of one tensor per image, or a list of those (one
    per deepstack layer)."""
    if isinstance(features, torch.Tensor):
        per_image = features.unflatten(0, (n_images, -1))
        return per_image[index.to(features.device)].flatten(0, 1)
    if all(isinstance(f, torch.Tensor) for f in features):  # one tensor per image
        return [features[j] for j in index.tolist()]
    return [features_per_row(f, index, n_images) for f in features]  # one per layer


# The architectures on which the fast path (each distinct image encoded once, answers packed
# under their prompt) is tested exact in test_medpo.py. On any other, the first step checks it.
TESTED_MODELS = {"llava", "qwen2_vl", "qwen2_5_vl", "qwen3_vl", "gemma3", "idefics3"}
FAST_PATH = weakref.WeakKeyDictionary()  # decoder body -> its first step's verdict


def fast_path(model) -> bool | None:
    """Whether a step may share images and prompts: True on a tested architecture or once the
    first step's check passed, False once it failed, None before it has run."""
    if model_type(model) in TESTED_MODELS:
        return True
    return FAST_PATH.get(model_parts(model)[1])


def check_fast_path(model, ref_model, batch, n_pairs: int, cfg, body=None) -> bool:
    """On an architecture not tested here (a new one, a remote-code model), the first step
    computes its sums both ways, under no_grad with dropout off: images encoded once and answers
    packed, and a plain forward of one row per answer with its own pixel_values. It keeps the
    shared path only if they agree (fp32: 1e-4 relative, 1e-5 absolute; 16-bit weights: their
    machine epsilon); otherwise, or if the shared path raises, every later step takes the plain
    rows, with a note, instead of crashing or training on wrong numbers. Every rank takes the
    same verdict. Costs the first step two no_grad policy and reference passes."""
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            plain = _flat(_branch_sums(model, ref_model, batch, n_pairs, cfg, body, shared=False))
            same, found = _agrees(plain, model, ref_model, batch, n_pairs, cfg, body)
    finally:
        model.train(training)
    same = all_ranks(same)
    FAST_PATH[model_parts(model)[1]] = same
    if is_main_process():
        then = "kept" if same else "every step takes one row per answer"
        print(f"note: {model_type(model)} is not tested here; sharing images and prompts {found}: "
              f"{then}")  # fmt: skip
    return same


def _agrees(plain, model, ref_model, batch, n_pairs, cfg, body) -> tuple[bool, str]:
    """Whether the shared path's sums equal the plain ones, and what was found."""
    try:
        fast = _flat(_branch_sums(model, ref_model, batch, n_pairs, cfg, body, shared=True))
    except Exception as e:  # whatever an untested model raises: the plain rows are then taken
        return False, f"raised {type(e).__name__}: {str(e).splitlines()[0][:120]}"
    gap = float((fast - plain).abs().max())
    eps = torch.finfo(frozen_head_weight(model).dtype).eps  # bf16 on a GPU: 7.8e-3
    if torch.allclose(fast, plain, rtol=max(1e-4, eps), atol=max(1e-5, eps)):
        return True, f"equals a plain forward (largest difference {gap:.1e})"
    return False, f"differs from a plain forward by up to {gap:.1e}"


def _flat(found: dict) -> torch.Tensor:
    keys = ("policy", "reference", "kl_logits", "kl_ref_logits")
    return torch.cat([found[k].flatten().float() for k in keys])


def share_prefixes(model, batch):
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
    return dataclasses.replace(batch, inputs=inputs, answers=answers, image_index=index)


def row_positions(model, batch) -> torch.Tensor:
    """(D, rows, T): the position of every token in its own row, as the model would make it."""
    mask = batch.inputs["attention_mask"]
    body = model_parts(model)[1]
    if hasattr(body, "get_rope_index"):  # Qwen2-VL, Qwen2.5-VL: (temporal, height, width)
        keys = ("mm_token_type_ids", "image_grid_thw")
        extra = {k: batch.inputs[k] for k in keys if k in batch.inputs}
        return body.get_rope_index(batch.inputs["input_ids"], attention_mask=mask, **extra)[0]
    return (mask.cumsum(-1) - 1).clamp(min=0)[None]


def _packed_row(batch, positions, members: list[int], g: int, answers: list) -> dict:
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


def select_tokens(answers: list, n_pairs: int, cfg) -> TokenSelection:
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


def answer_states(model, ref_model, batch, tokens: TokenSelection, body=None, shared=True):
    """(h, h_ref), each (S, H): the decoder's last hidden state that predicts each selected token
    (at t - 1), from the policy (with its graph) and from the reference (no_grad; the policy with
    its adapter off when ref_model is None). Both passes share the image features (shared), or
    each row brings its own pixel_values. body: what the policy's pass goes through (default:
    the decoder body; with DDP, the body wrapped)."""
    inputs = {k: to_device(v) for k, v in batch.inputs.items()}
    if shared:
        inputs = shared_images(model, inputs, batch)
    at = (tokens.row, tokens.state)
    body = body or model_parts(model)[1]
    h = body(**inputs, use_cache=False).last_hidden_state[at]
    with torch.no_grad(), reference_of(model, ref_model) as ref:
        h_ref = model_parts(ref)[1](**inputs, use_cache=False).last_hidden_state[at]
    return h, h_ref


class HeadLogps(torch.autograd.Function):
    """Log-probs of `labels` under a frozen, bias-free LM head W, for policy hidden states h and
    reference hidden states h_ref, `chunk` rows at a time: no (rows x vocab) logits are kept.

    h, h_ref: (S, H), the decoder's last hidden state at position t - 1 of each scored token t
    (the state that predicts it); weight, ref_weight: (V, H), frozen (a trained head would get
    no gradient, so it is refused); labels: (S,) token ids.
    Returns logp, ref_logp, each (S,) fp32 (fp64 for fp64 states); ref_logp has no gradient.

    Each log-prob depends on its own h_t alone, so its gradient is one (H,) vector, made in the
    forward pass from the chunk's probabilities and only scaled in backward (2 head matmuls per
    policy row, not 3). With p_t = softmax(W h_t):  d logp_t / d h_t = W[y_t] - p_t W.
    Needs: torch."""

    @staticmethod
    def forward(ctx, h, h_ref, weight, ref_weight, labels, chunk):
        if weight.requires_grad or ref_weight.requires_grad:
            raise ValueError("HeadLogps gives the LM head no gradient: its weight must be frozen")
        n = len(h)
        wide = torch.promote_types(h.dtype, torch.float32)  # fp32 (fp64 for a float64 model)
        logp = torch.zeros(n, device=h.device, dtype=wide)
        ref_logp = torch.zeros(n, device=h.device, dtype=wide)
        grad_rows = None  # d logp_t / d h_t: (S, H)
        if ctx.needs_input_grad[0]:
            grad_rows = torch.zeros_like(h)
        for start in range(0, n, chunk):
            rows = torch.arange(start, min(start + chunk, n), device=h.device)
            y = labels[rows]
            log_q = (h_ref[rows] @ ref_weight.T).to(wide).log_softmax(-1)  # (rows, V)
            log_p = (h[rows] @ weight.T).to(wide).log_softmax(-1)
            logp[rows] = log_p.gather(1, y[:, None])[:, 0]
            ref_logp[rows] = log_q.gather(1, y[:, None])[:, 0]
            if grad_rows is not None:
                grad_rows[rows] = weight[y] - log_p.exp_().to(weight.dtype) @ weight
        ctx.save_for_backward(grad_rows)
        ctx.mark_non_differentiable(ref_logp)
        return logp, ref_logp

    @staticmethod
    def backward(ctx, grad_logp, _):
        (grad_rows,) = ctx.saved_tensors
        return grad_logp[:, None].to(grad_rows.dtype) * grad_rows, None, None, None, None, None


def branch_sums(model, ref_model, batch, n_pairs: int, cfg, body=None) -> dict:
    """What the loss needs, from the selected answer tokens only; the same dict as
    medpo.plain_sums (equal to 1e-5, tested). batch: medpo.encode's rows, branch by branch (row
    b * n_pairs + j is branch b of pair j). Returns policy, reference: (branches, n_pairs) sums
    sum_t w_t log pi(y_t); kl_logits, kl_ref_logits: (K, V) logits of the K tokens in the KL set
    (S+ of each (v, y+) answer), kl_pair: (K,) their pair; chosen_nll: (n_pairs,) the mean NLL
    of y+ (SFT term). Images and prompts are shared where the architecture is tested (or its
    first step's check passed)."""
    shared = fast_path(model)
    if shared is None:  # an architecture not tested here: its first step
        shared = check_fast_path(model, ref_model, batch, n_pairs, cfg, body)
    return _branch_sums(model, ref_model, batch, n_pairs, cfg, body, shared)


def _branch_sums(model, ref_model, batch, n_pairs: int, cfg, body=None, shared=True) -> dict:
    """branch_sums, with each distinct image encoded once and (with --share_prefix) the answers
    packed under their prompt when shared; else one row per answer with its own pixel_values."""
    if shared and cfg.share_prefix:
        batch = share_prefixes(model, batch)
    tokens = select_tokens(batch.answers, n_pairs, cfg)
    weight, ref_weight = frozen_head_weight(model), frozen_head_weight(ref_model or model)
    h, h_ref = answer_states(model, ref_model, batch, tokens, body, shared)
    logp, ref_logp = HeadLogps.apply(h, h_ref, weight, ref_weight, tokens.label, cfg.head_chunk)

    def per_answer(values):  # (S,) per token -> (answers,): summed over each answer's tokens
        sums = torch.zeros(len(batch.answers), device=DEVICE)
        return sums.to(logp.dtype).index_add(0, tokens.answer, values.to(logp.dtype))

    chosen = slice(0, n_pairs)  # the (v, y+) answers
    sft_count = per_answer(tokens.sft)[chosen].clamp(min=1)
    return dict(
        policy=per_answer(tokens.weight * logp).view(-1, n_pairs),
        reference=per_answer(tokens.weight * ref_logp).view(-1, n_pairs),
        kl_logits=h[tokens.kl] @ weight.T,
        kl_ref_logits=h_ref[tokens.kl] @ ref_weight.T,
        kl_pair=tokens.answer[tokens.kl],
        chosen_nll=-per_answer(logp * tokens.sft)[chosen] / sft_count,
    )
