"""A model's answers and their scores: greedy answers to image questions, forced choice among the
listed answers (the demo world), and the field's scores (scores.py) on clean images and, where
a sample marks its lesion, on the corrupted image v' (the grounding gap).
"""

from __future__ import annotations

import torch

import scores
from batches import encode
from chat import chat_prompt
from distributed import is_sharded, unsharded
from fast_loss import fast_path, shared_images
from vlm import DEVICE, model_parts, to_device


@torch.no_grad()
def generate(model, processor, samples, max_new_tokens: int, batch_size=32, vis=False) -> list[str]:
    """Greedy answers to the samples' questions (on v', image_vis, when vis), the model in eval
    mode. Samples carry their loaded images (medpo.load_images)."""
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
                max_new_tokens=max_new_tokens,
                do_sample=False,
                synced_gpus=is_sharded(model),  # sharded: every rank steps until all are done
            )
        new_tokens = out[:, enc["input_ids"].shape[1] :]
        answers += [t.strip() for t in processor.batch_decode(new_tokens, skip_special_tokens=True)]
    processor.tokenizer.padding_side = "right"
    model.train(was_training)
    return answers


def evaluate_model(model, processor, samples, max_new_tokens: int, keep_answers=False) -> dict:
    """scores.score of the greedy answers on clean v; on the samples with a lesion region, the
    judge on v' and the grounding gap; forced choice where the samples list their choices (on v
    and v'); a few scored answers (all of them with keep_answers)."""
    answers = generate(model, processor, samples, max_new_tokens)
    result, rows = scores.score(samples, answers)
    listed = all((s.get("meta") or {}).get("choices") for s in samples)
    scorer = lambda rows: answer_logps(model, processor, rows)  # noqa: E731
    if listed:
        result |= scores.forced_choice(samples, scorer)
    lesion = [i for i, s in enumerate(samples) if scores.has_region(s)]
    if lesion:
        marked = [samples[i] for i in lesion]
        on_vprime = generate(model, processor, marked, max_new_tokens, vis=True)
        clean = [rows[i]["right"] is True for i in lesion]
        hidden = [scores.is_right(a, s) for a, s in zip(on_vprime, marked, strict=True)]
        result |= scores.grounding("accuracy", clean, hidden, "grounding_gap")
    if lesion and listed:
        clean = scores.choices_right(marked, scorer)
        hidden = scores.choices_right(marked, scorer, "image_vis")
        result |= scores.grounding("choice_accuracy", clean, hidden, "choice_grounding_gap")
    result["examples"] = rows if keep_answers else rows[:8]
    return result


@torch.no_grad()
def answer_logps(model, processor, rows: list[tuple], batch_size: int = 64) -> list[float]:
    """log pi(answer | image, question), summed over the answer and its end of turn, for each
    (image, question, answer) row. Each image is encoded once; only the answer tokens meet the
    LM head."""
    head, body = model_parts(model)
    sums = []
    for i in range(0, len(rows), batch_size):
        batch = encode(processor, [(im, q, a, []) for im, q, a in rows[i : i + batch_size]], 1, 1)
        inputs = {k: to_device(v) for k, v in batch.inputs.items()}
        if fast_path(model):  # not before an untested architecture's first step checked it
            inputs = shared_images(model, inputs, batch)
        hidden = body(**inputs).last_hidden_state
        for a in batch.answers:
            logps = head(hidden[a.row, a.states.to(DEVICE)]).float().log_softmax(-1)
            sums.append(float(logps.gather(1, a.labels[:, None].to(DEVICE)).sum()))
    return sums
