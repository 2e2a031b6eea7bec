"""The parts of an image-text-to-text model that MedPO reaches into, the same way for every
architecture it supports: the LM head and the decoder body (through a peft wrapper if any), the
language model's parameter names, and the frozen head the loss reads.
"""

from __future__ import annotations

import contextlib
import re

import torch

from checks import InputError

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
LANGUAGE_MODEL = re.compile(r"language_model|text_model")  # parameter names of the text decoder
LORA_TARGET = (
    r".*(language_model|text_model)\.layers\.\d+\.(self_attn|mlp)\.(q|k|v|o|gate|up|down)_proj"
)


def model_parts(model) -> tuple[torch.nn.Module, torch.nn.Module]:
    """(LM head, decoder body) of an image-text-to-text model, through a peft wrapper if any.
    The body's last hidden state, through the head, gives the model's logits."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return base.get_output_embeddings(), base.model


def model_type(model) -> str:
    """The architecture's name in transformers ('qwen2_5_vl', 'gemma3', 'llava', ...)."""
    return model_parts(model)[1].config.model_type.removesuffix("_model")


def frozen_head_weight(model) -> torch.Tensor:
    """The LM head's (V, H) weight, after checking what the loss needs: a frozen nn.Linear with no
    bias (no LoRA on it)."""
    head = model_parts(model)[0]
    if type(head) is not torch.nn.Linear or head.weight.requires_grad or head.bias is not None:
        raise InputError(
            f"the LM head must be a frozen nn.Linear with no bias (no LoRA), got {head}"
        )
    return head.weight


def vision_frozen(model) -> bool:
    """Only language-model weights train: image features can be computed once, without a graph."""
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    return all(LANGUAGE_MODEL.search(n) for n in trainable)


@contextlib.contextmanager
def reference_of(model, ref_model=None):
    """The reference policy pi_ref: the policy with its LoRA adapter disabled (no second copy),
    or ref_model, a frozen copy, after a full fine-tune. Use under torch.no_grad()."""
    if ref_model is not None:
        yield ref_model
        return
    with model.disable_adapter():
        yield model


def to_device(x):
    """A tensor, or a dict of them (Gemma 3's masks), on DEVICE."""
    return {k: v.to(DEVICE) for k, v in x.items()} if isinstance(x, dict) else x.to(DEVICE)
