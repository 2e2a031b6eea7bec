"""Step time and peak memory of one training step, measured side by side in one run on the same model
and the same batch:

  (a) TRL's DPOTrainer training step (plain sigmoid DPO): the ecosystem's reference
  (b) a straightforward full-logits MedPO loss (the paper's approach: every position through the LM head)
  (c) medpo.py's MedPO step (each image encoded once; LM head on the weighted answer tokens only)
  (d) medpo.py in plain-DPO mode (w_in = w_out = 1, gamma 0, alpha 0)
  body: the same passes' forward + backward with no loss head (the floor for c and d)

  python benchmarks/bench_step.py --quick      # vocab 32768, ~320 tokens (about 2 minutes on 2 CPU cores)
  python benchmarks/bench_step.py              # vocab 32768 and 151936 x ~320 and ~520 tokens (about 15 minutes)
  python benchmarks/bench_step.py --profile    # also a torch.profiler table of one MedPO step
  python benchmarks/bench_step.py --real       # GPU: only the real-size models (they follow the CPU set otherwise)

CPU model: a tiny Qwen2.5-VL (text part 256 wide, 4 layers; LoRA r 8), fp32, batch 2 pairs, 224 px images,
~190 prompt tokens (64 of them image), answers of 125 or 325 tokens that differ in 5 tokens. GPU models
(REAL_SIZE): published shapes, random weights, bf16, LoRA r 128, gradient checkpointing, 448/896 px images,
300-token answers. Times are medians of --repeats interleaved runs; memory is the peak increase over the
step (process RSS on CPU, the allocator on CUDA).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import math
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import data_prep  # noqa: E402
import medpo  # noqa: E402

WORDS = (
    "the heart lung liver lesion nodule left right small large normal abnormal there is no a mass in of "
    "with and shows image scan lobe upper lower effusion opacity cm mild severe"
).split()


class PeakMemory:
    """Peak memory increase during a block: CUDA allocator, or the process RSS sampled every 2 ms."""

    def __enter__(self):
        if torch.cuda.is_available():
            torch.cuda.synchronize(), torch.cuda.reset_peak_memory_stats()
            self.base = torch.cuda.memory_allocated()
        else:
            import psutil

            self.proc, self.stop = psutil.Process(), False
            self.base = self.peak = self.proc.memory_info().rss
            self.t = threading.Thread(target=self._poll, daemon=True)
            self.t.start()
        return self

    def _poll(self):
        while not self.stop:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.002)

    def __exit__(self, *a):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
            self.gb = (torch.cuda.max_memory_allocated() - self.base) / 2**30
        else:
            self.stop = True
            self.t.join()
            self.gb = (max(self.peak, self.proc.memory_info().rss) - self.base) / 2**30


def make_pairs(n: int, answer_len: int, rng, px: int = 224) -> list[dict]:
    """n pairs with ~120-token questions and answer_len-word answers that differ in 5 words."""
    out = []
    for i in range(n):
        words = list(rng.choice(WORDS, answer_len))
        chosen = " ".join(words) + "."
        for j in rng.choice(answer_len, 5, replace=False):
            words[j] = "right" if words[j] != "right" else "left"
        rejected = " ".join(words) + "."
        rs, cs = medpo.edit_spans(rejected, chosen)
        img = Image.fromarray(rng.integers(0, 255, (px, px, 3), dtype=np.uint8))
        out.append(
            {
                "image": img,
                "image_vis": medpo.corrupt_lesion(
                    img, (px // 4, px // 4, px // 2, px // 2), seed=i
                ),
                "question": " ".join(rng.choice(WORDS, 100)) + "?",
                "chosen": chosen,
                "rejected": rejected,
                "chosen_spans": cs,
                "rejected_spans": rs,
            }
        )
    return out


def full_logits_loss(model, processor, pairs, cfg):
    """(b) The paper's way: full (4B, L, V) logits for policy and reference, then masks."""
    rows = [
        (
            p["image_vis" if b.endswith("_vis") else "image"],
            p["question"],
            p[b.split("_")[0]],
            p[b.split("_")[0] + "_spans"],
        )
        for b in medpo.BRANCHES
        for p in pairs
    ]
    batch = medpo.encode(processor, rows, cfg.w_in, cfg.w_out, cfg.max_completion_length)
    answers = [(a.start, a.labels, a.weights, a.in_span) for a in batch.answers]
    inputs, T = (
        {k: v.to(medpo.DEVICE) for k, v in batch.inputs.items()},
        batch.inputs["input_ids"].shape[1],
    )
    W, S = torch.zeros(len(rows), T), torch.zeros(len(rows), T, dtype=torch.bool)
    labels = torch.zeros(len(rows), T, dtype=torch.long)
    for i, (p, lab, w, span) in enumerate(answers):
        (
            W[i, p - 1 : p - 1 + len(lab)],
            S[i, p - 1 : p - 1 + len(lab)],
            labels[i, p - 1 : p - 1 + len(lab)],
        ) = w, span, lab
    lp = (
        model(**inputs, use_cache=False).logits.float().log_softmax(-1)
    )  # (4B, T, V); the raw logits are freed
    with torch.no_grad(), model.disable_adapter():
        lr = model(**inputs, use_cache=False).logits.float().log_softmax(-1)
    W, S, labels, B = W.to(lp.device), S.to(lp.device), labels.to(lp.device), len(pairs)
    pol = (lp.gather(-1, labels[..., None])[..., 0] * W).sum(-1).view(4, -1)
    ref = (lr.gather(-1, labels[..., None])[..., 0] * W).sum(-1).view(4, -1)
    P, Q = lp[:B], lr[:B]  # the KL is on the (v, y+) rows
    fkl = ((Q.exp() * (Q - P)).sum(-1) * S[:B]).sum(-1)
    rkl = ((P.exp() * (P - Q)).sum(-1) * S[:B]).sum(-1)
    return medpo.medpo_loss(
        dict(zip(medpo.BRANCHES, pol)),
        dict(zip(medpo.BRANCHES, ref)),
        fkl,
        rkl,
        torch.ones(B, dtype=torch.bool, device=lp.device),
        cfg,
    )[0]


def body_only(model, processor, pairs, cfg, branches):
    """The model body's own cost for the same rows: policy forward + backward, reference forward (each distinct
    image encoded once, as in medpo.pair_loss)."""
    rows = [
        (p["image_vis" if b.endswith("_vis") else "image"], p["question"], p[b.split("_")[0]], [])
        for b in branches
        for p in pairs
    ]
    batch = medpo.encode(processor, rows, 1.0, 1.0, cfg.max_completion_length)
    inputs = medpo.shared_images(
        model, {k: v.to(medpo.DEVICE) for k, v in batch.inputs.items()}, batch
    )
    _, body = medpo.model_parts(model)
    h = body(**inputs, use_cache=False).last_hidden_state
    with torch.no_grad(), model.disable_adapter():
        body(**inputs, use_cache=False)
    return h.float().pow(2).mean()


def trl_step_fn(model, processor, pairs, cfg):
    """(a) TRL's DPOTrainer: one training_step (forward + backward) on the same pairs and the same LoRA."""
    import datasets
    from peft import LoraConfig
    from trl import DPOConfig, DPOTrainer

    ds = datasets.Dataset.from_list(
        [
            {
                "prompt": [
                    {
                        "role": "user",
                        "content": [{"type": "image"}, {"type": "text", "text": p["question"]}],
                    }
                ],
                "chosen": [
                    {"role": "assistant", "content": [{"type": "text", "text": p["chosen"]}]}
                ],
                "rejected": [
                    {"role": "assistant", "content": [{"type": "text", "text": p["rejected"]}]}
                ],
                "images": [p["image"]],
            }
            for p in pairs
        ]
    )
    args = DPOConfig(
        output_dir=tempfile.mkdtemp(),
        per_device_train_batch_size=len(pairs),
        beta=cfg.beta,
        max_length=None,
        bf16=torch.cuda.is_available(),
        report_to=[],
        loss_type="sigmoid",
        gradient_checkpointing=cfg.gradient_checkpointing,
    )
    trainer = DPOTrainer(
        model=model,
        args=args,
        train_dataset=ds,
        processing_class=processor,
        peft_config=LoraConfig(
            r=cfg.lora_r,
            lora_alpha=cfg.lora_alpha,
            lora_dropout=0.0,
            use_rslora=cfg.use_rslora,
            target_modules=cfg.lora_target,
        ),
    )
    batch = next(iter(trainer.get_train_dataloader()))
    trainer.current_gradient_accumulation_steps = 1  # normally set by Trainer.train()

    def step():
        trainer.training_step(trainer.model, batch)
        trainer.model.zero_grad(set_to_none=True)

    return step


def measure(fns: dict, repeats: int) -> dict:
    """Median time and peak memory of each callable, interleaved so drift hits all alike."""
    res = {k: ([], []) for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            with PeakMemory() as pm:
                t0 = time.perf_counter()
                fn()
                torch.cuda.synchronize() if torch.cuda.is_available() else None
                dt = time.perf_counter() - t0
            res[k][0].append(dt), res[k][1].append(pm.gb)
    return {k: (statistics.median(t), statistics.median(m)) for k, (t, m) in res.items()}


def compare(model, processor, trl_model, pairs, cfg, repeats: int, profile: bool = False) -> dict:
    """Time and peak memory of (a)-(d) and the body on one batch; the ratios the targets are stated in."""
    dpo = dataclasses.replace(cfg, w_in=1.0, w_out=1.0, gamma=0.0, alpha=0.0)
    tokens = int(
        medpo.encode(
            processor,
            [(p["image"], p["question"], p[k], []) for k in ("chosen", "rejected") for p in pairs],
            1,
            1,
            cfg.max_completion_length,
        )
        .inputs["attention_mask"]
        .sum()
    )

    def step(loss_fn):
        def run():
            loss = loss_fn()
            loss.backward()
            model.zero_grad(set_to_none=True)

        return run

    fns = {
        "a_trl_dpo": trl_step_fn(trl_model, processor, pairs, cfg),
        "b_full_logits_medpo": step(lambda: full_logits_loss(model, processor, pairs, cfg)),
        "c_medpo": step(lambda: medpo.pair_loss(model, None, processor, pairs, cfg)[0]),
        "d_medpo_plain_dpo": step(lambda: medpo.pair_loss(model, None, processor, pairs, dpo)[0]),
        "body_4_branches": step(lambda: body_only(model, processor, pairs, cfg, medpo.BRANCHES)),
        "body_2_branches": step(
            lambda: body_only(model, processor, pairs, cfg, medpo.BRANCHES[:2])
        ),
    }
    for k, fn in list(
        fns.items()
    ):  # warm-up; a variant that does not fit in GPU memory is reported as such
        try:
            fn()
        except torch.OutOfMemoryError:
            (
                print(f"{k}: out of GPU memory"),
                fns.pop(k),
                model.zero_grad(set_to_none=True),
                torch.cuda.empty_cache(),
            )
    r = measure(fns, repeats)
    if profile:
        from torch.profiler import ProfilerActivity, profile as prof

        with prof(activities=[ProfilerActivity.CPU]) as p:
            fns["c_medpo"]()
        print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
    t, m = (lambda k: r[k][0] if k in r else math.nan), (lambda k: r[k][1] if k in r else math.nan)
    return {
        **{f"{k}_s": round(v[0], 3) for k, v in r.items()},
        **{f"{k}_gb": round(v[1], 3) for k, v in r.items()},
        "c/b time": t("c_medpo") / t("b_full_logits_medpo"),
        "c/b mem": m("c_medpo") / max(m("b_full_logits_medpo"), 1e-9),
        "d/a time": t("d_medpo_plain_dpo") / t("a_trl_dpo"),
        "c/a time": t("c_medpo") / t("a_trl_dpo"),
        "c/body time": t("c_medpo") / t("body_4_branches"),
        "d/body time": t("d_medpo_plain_dpo") / t("body_2_branches"),
        "tokens/s c": tokens / t("c_medpo"),
        "tokens/s a": tokens / t("a_trl_dpo"),
    }


def bench(vocab: int, answer_len: int, repeats: int, profile: bool = False) -> dict:
    """The CPU configuration: a tiny Qwen2.5-VL (text 256 wide, 4 layers), LoRA r 8, fp32."""
    from transformers import AutoModelForImageTextToText

    model_dir = data_prep.build_tiny_vlm(
        "qwen2.5-vl",
        Path(tempfile.mkdtemp()) / "m",
        [" ".join(WORDS)] * 20,
        hidden=256,
        layers=4,
        vocab_size=vocab,
        image_px=224,
    )
    cfg = medpo.Config(
        model_name_or_path=str(model_dir),
        lora_r=8,
        lora_alpha=16,
        lora_dropout=0.0,
        max_completion_length=1024,
    )
    model, processor, _ = medpo.load_model(cfg)
    pairs = make_pairs(2, answer_len, np.random.default_rng(0))
    seq = medpo.encode(
        processor, [(pairs[0]["image"], pairs[0]["question"], pairs[0]["chosen"], [])], 1, 1, 1024
    ).inputs
    return {
        "model": "tiny",
        "vocab": vocab,
        "seq": seq["input_ids"].shape[1],
        **compare(
            model,
            processor,
            AutoModelForImageTextToText.from_pretrained(model_dir),
            pairs,
            cfg,
            repeats,
            profile,
        ),
    }


# Published shapes of real models, randomly initialised (nothing is downloaded): text part, vision part, image
# side, tied input/output embeddings. MedGemma-4B has Gemma3-4B's shape.
_QWEN_ROPE = {"rope_type": "default", "mrope_section": [16, 24, 24], "rope_theta": 1e6}
_QWEN_VISION = dict(
    depth=32,
    hidden_size=1280,
    intermediate_size=3420,
    num_heads=16,
    fullatt_block_indexes=[7, 15, 23, 31],
)
REAL_SIZE = {
    "Qwen2.5-VL-3B": (
        "qwen2.5-vl",
        dict(
            hidden_size=2048,
            intermediate_size=11008,
            num_hidden_layers=36,
            num_attention_heads=16,
            num_key_value_heads=2,
            head_dim=128,
            vocab_size=151936,
            rope_parameters=_QWEN_ROPE,
            layer_types=["full_attention"] * 36,
        ),
        _QWEN_VISION | dict(out_hidden_size=2048),
        448,
        True,
    ),
    "Gemma3-4B": (
        "gemma3",
        dict(
            hidden_size=2560,
            intermediate_size=10240,
            num_hidden_layers=34,
            num_attention_heads=8,
            num_key_value_heads=4,
            head_dim=256,
            query_pre_attn_scalar=256,
            vocab_size=262208,
            sliding_window=1024,
            layer_types=(["sliding_attention"] * 5 + ["full_attention"]) * 5
            + ["sliding_attention"] * 4,
        ),
        dict(
            hidden_size=1152,
            intermediate_size=4304,
            num_hidden_layers=27,
            num_attention_heads=16,
            image_size=896,
            patch_size=14,
        ),
        896,
        True,
    ),
    "Qwen2.5-VL-7B": (
        "qwen2.5-vl",
        dict(
            hidden_size=3584,
            intermediate_size=18944,
            num_hidden_layers=28,
            num_attention_heads=28,
            num_key_value_heads=4,
            head_dim=128,
            vocab_size=152064,
            rope_parameters=_QWEN_ROPE,
            layer_types=["full_attention"] * 28,
        ),
        _QWEN_VISION | dict(out_hidden_size=3584),
        448,
        False,
    ),
}


def bench_real(name: str, answer_len: int, repeats: int) -> dict:
    """A real-size model in bf16 on the GPU, LoRA r 128 on the language model, gradient checkpointing."""
    from peft import get_peft_model, LoraConfig
    from transformers import (
        AutoConfig,
        AutoModelForImageTextToText,
        AutoProcessor,
        Gemma3ImageProcessor,
        Gemma3Processor,
    )

    arch, text, vision, px, tied = REAL_SIZE[name]
    d = data_prep.build_tiny_vlm(
        arch, Path(tempfile.mkdtemp()) / "m", [" ".join(WORDS)] * 20, image_px=px
    )
    config, processor = AutoConfig.from_pretrained(d), AutoProcessor.from_pretrained(d)
    for sub, values in ((config.text_config, text), (config.vision_config, vision)):
        for k, v in values.items():
            setattr(sub, k, v)
    config.tie_word_embeddings = config.text_config.tie_word_embeddings = tied
    if arch == "gemma3":  # 896 px images, 256 image tokens, as Gemma 3 has them
        config.mm_tokens_per_image = 256
        processor = Gemma3Processor(
            image_processor=Gemma3ImageProcessor(size={"height": px, "width": px}),
            tokenizer=processor.tokenizer,
            image_seq_length=256,
            chat_template=processor.chat_template,
        )
    cfg = medpo.Config(
        model_name_or_path=name,
        lora_dropout=0.0,
        gradient_checkpointing=True,
        max_completion_length=1024,
    )

    def build():
        torch.manual_seed(0)
        with torch.device("cuda"):
            m = AutoModelForImageTextToText.from_config(config, dtype=torch.bfloat16)
        return m

    gc.collect(), torch.cuda.empty_cache(), torch.cuda.reset_peak_memory_stats()
    model = build()
    weights_gb = torch.cuda.memory_allocated() / 2**30
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model = get_peft_model(
        model,
        LoraConfig(
            r=cfg.lora_r,
            lora_alpha=cfg.lora_alpha,
            lora_dropout=0.0,
            use_rslora=cfg.use_rslora,
            target_modules=cfg.lora_target,
        ),
    )
    rng = np.random.default_rng(0)
    pairs = make_pairs(2, answer_len, rng, px)
    seq = medpo.encode(
        processor, [(pairs[0]["image"], pairs[0]["question"], pairs[0]["chosen"], [])], 1, 1, 1024
    ).inputs
    with (
        torch.no_grad()
    ):  # move the policy off the reference, then: the same loss and gradients up to bf16 rounding
        for n, p in model.named_parameters():
            p.normal_(0, 1e-3) if "lora_B" in n else None
    lora = [p for p in model.parameters() if p.requires_grad]
    (lc, gc_), (lb, gb) = [
        (x.item(), torch.cat([g.float().flatten() for g in torch.autograd.grad(x, lora)]))
        for x in (
            medpo.pair_loss(model, None, processor, pairs, cfg)[0],
            full_logits_loss(model, processor, pairs, cfg),
        )
    ]
    print(
        f"{name}: loss MedPO {lc:.5f}, full logits {lb:.5f}; LoRA gradient cosine {F.cosine_similarity(gc_, gb, 0):.5f}, "
        f"norm ratio {gc_.norm() / gb.norm():.4f}",
        flush=True,
    )
    res = compare(model, processor, build(), pairs, cfg, repeats)
    return {
        "model": name,
        "vocab": text["vocab_size"],
        "seq": seq["input_ids"].shape[1],
        "weights_gb": round(weights_gb, 1),
        **res,
        "c peak_gb": round(weights_gb + res["c_medpo_gb"], 1),
        "b peak_gb": round(weights_gb + res.get("b_full_logits_medpo_gb", math.nan), 1),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="one configuration: vocab 32768, ~320 tokens per sequence",
    )
    ap.add_argument(
        "--repeats", type=int, default=3, help="interleaved repeats per variant (median reported)"
    )
    ap.add_argument(
        "--profile", action="store_true", help="print a torch.profiler table of one MedPO step"
    )
    ap.add_argument(
        "--real",
        nargs="*",
        default=None,
        choices=list(REAL_SIZE),
        help="on a GPU: only these real-size models (default: all of them after the CPU set)",
    )
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    configs = (
        [(32768, 125)] if a.quick else [(32768, 125), (32768, 325), (151936, 125), (151936, 325)]
    )
    keys = [
        "model",
        "vocab",
        "seq",
        "a_trl_dpo_s",
        "b_full_logits_medpo_s",
        "c_medpo_s",
        "d_medpo_plain_dpo_s",
        "body_4_branches_s",
        "a_trl_dpo_gb",
        "b_full_logits_medpo_gb",
        "c_medpo_gb",
        "c/b time",
        "c/b mem",
        "c/a time",
        "d/a time",
        "c/body time",
        "d/body time",
        "tokens/s c",
        "tokens/s a",
        "weights_gb",
        "c peak_gb",
        "b peak_gb",
    ]
    runs = [
        lambda v=v, n=n, i=i: bench(v, n, a.repeats, a.profile and i == 0)
        for i, (v, n) in enumerate(configs)
    ]
    runs = (runs if a.real is None else []) + [
        lambda m=m: bench_real(m, 300, a.repeats)
        for m in (a.real or REAL_SIZE)
        if torch.cuda.is_available()
    ]
    rows, line = (
        [],
        lambda r: (
            "| "
            + " | ".join(
                f"{r[k]:.3f}" if isinstance(r.get(k), float) else str(r.get(k, "-")) for k in keys
            )
            + " |"
        ),
    )
    for run in runs:  # each row as soon as it is measured, and the whole table at the end
        rows.append(run())
        print(line(rows[-1]), flush=True)
    print(
        "| " + " | ".join(keys) + " |\n" + "|---" * len(keys) + "|\n" + "\n".join(map(line, rows))
    )
    return rows


if __name__ == "__main__":
    main()
