"""Step time and peak memory of one training step, measured side by side in one run on the same
model and the same batch:

  (a) TRL's DPOTrainer training step (plain sigmoid DPO): the ecosystem's reference
  (b) a straightforward full-logits MedPO loss (the paper's approach: every position meets the head)
  (c) medpo.py's MedPO step: each image encoded once, each prompt computed once for the answers that
      follow it ([prompt | y+ | y-] rows), the LM head on the weighted answer tokens only
  (c0) the same step with one row per answer (--share_prefix false)
  (d) medpo.py in plain-DPO mode (w_in = w_out = 1, gamma 0, alpha 0)
  body, body0: the same passes' forward + backward with no loss head, shared and one row per answer

  python benchmarks/bench_step.py --quick      # the VQA shape, vocab 32768: prints shared/unshared
  python benchmarks/bench_step.py --quick --shape report     # the same at the report shape
  python benchmarks/bench_step.py              # VQA and report shapes x vocab 32768 and 151936
  python benchmarks/bench_step.py --profile    # also a torch.profiler table of one MedPO step
  python benchmarks/bench_step.py --real       # GPU: the real-size models only

Shapes: VQA, about 200 prompt tokens with the image (64 image tokens, a ~130-token question) and
answers of 5-20 tokens; report, the same prompt and answers of about 120 tokens. Answers differ in
a few words. CPU model: a tiny Qwen2.5-VL (text part 256 wide, 4 layers; LoRA r 8), fp32, 2 pairs,
224 px images. GPU models (REAL_SIZE): published shapes, random weights, bf16, LoRA r 128. Times are
medians of --repeats interleaved runs; memory is the peak increase over the step (process RSS on
CPU, the allocator on CUDA). MFU (GPU): model FLOPs (6 x parameters x tokens of the policy's
forward and backward, plus 2 x parameters x tokens of the reference) over time x the device's peak.
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
import fast_loss  # noqa: E402
import medpo  # noqa: E402
import tiny_models  # noqa: E402

WORDS = [
    "the", "heart", "lung", "liver", "lesion", "nodule", "left", "right", "small", "large",
    "normal", "abnormal", "there", "is", "no", "a", "mass", "in", "of", "with", "and", "shows",
    "image", "scan", "lobe", "upper", "lower", "effusion", "opacity", "cm", "mild", "severe",
]  # fmt: skip
SHAPES = {"vqa": (5, 20), "report": (110, 130)}  # answer length in words: (shortest, longest)
PEAK_FLOPS = {"H100": 989e12, "H200": 989e12, "A100": 312e12}  # dense bf16


class PeakMemory:
    """Peak memory increase during a block: the CUDA allocator, or the RSS sampled every 2 ms."""

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


def make_pairs(n: int, shape: str, rng, px: int = 224) -> list[dict]:
    """n pairs of the shape's answer length, differing in a few words; ~130-token questions."""
    out = []
    for i in range(n):
        words = list(rng.choice(WORDS, int(rng.integers(*SHAPES[shape]))))
        chosen = " ".join(words) + "."
        for j in rng.choice(len(words), max(1, len(words) // 20), replace=False):
            words[j] = "right" if words[j] != "right" else "left"
        rejected = " ".join(words) + "."
        rejected_spans, chosen_spans = medpo.edit_spans(rejected, chosen)
        image = Image.fromarray(rng.integers(0, 255, (px, px, 3), dtype=np.uint8))
        box = (px // 4, px // 4, px // 2, px // 2)
        pair = dict(image=image, image_vis=medpo.corrupt_lesion(image, box, seed=i))
        pair |= dict(
            question=" ".join(rng.choice(WORDS, 100)) + "?", chosen=chosen, rejected=rejected
        )
        out.append(pair | dict(chosen_spans=chosen_spans, rejected_spans=rejected_spans))
    return out


def full_logits_loss(model, processor, pairs, cfg):
    """(b) The paper's way: full (4B, L, V) logits for policy and reference, then masks: the
    same loss through medpo.plain_sums."""
    return medpo.pair_loss(
        model, None, processor, pairs, dataclasses.replace(cfg, fast_loss=False)
    )[0]


def body_only(model, processor, pairs, cfg, branches, share: bool):
    """The model body's own cost for the same rows: policy forward + backward, reference forward,
    each distinct image encoded once, prompts shared or not, as in medpo.pair_loss."""
    rows = medpo.branch_rows(pairs, branches)
    batch = medpo.encode(processor, rows, 1.0, 1.0, cfg.max_completion_length)
    if share:
        batch = fast_loss.share_prefixes(model, batch)
    inputs = {k: medpo.to_device(v) for k, v in batch.inputs.items()}
    inputs = fast_loss.shared_images(model, inputs, batch)
    _, body = medpo.model_parts(model)
    h = body(**inputs, use_cache=False).last_hidden_state
    with torch.no_grad(), model.disable_adapter():
        body(**inputs, use_cache=False)
    return h.float().pow(2).mean()


def trl_step_fn(model, processor, pairs, cfg):
    """(a) TRL's DPOTrainer: one training_step (forward + backward), same pairs, same LoRA."""
    import datasets
    from peft import LoraConfig
    from trl import DPOConfig, DPOTrainer

    rows = [data_prep.trl_row(p) for p in pairs]
    for row, p in zip(rows, pairs, strict=True):
        row["images"] = [p["image"]]
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
    lora = dict(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=0.0)
    lora |= dict(use_rslora=cfg.use_rslora, target_modules=cfg.lora_target)
    data = datasets.Dataset.from_list(rows)
    trainer = DPOTrainer(model=model, args=args, train_dataset=data, processing_class=processor,
                         peft_config=LoraConfig(**lora))  # fmt: skip
    batch = next(iter(trainer.get_train_dataloader()))
    trainer.current_gradient_accumulation_steps = 1  # normally set by Trainer.train()

    def step():
        trainer.training_step(trainer.model, batch)
        trainer.model.zero_grad(set_to_none=True)

    return step


def measure(fns: dict, repeats: int) -> dict:
    """Median time and peak memory of each callable, interleaved so drift hits all alike."""
    times, memory = {k: [] for k in fns}, {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            with PeakMemory() as peak:
                t0 = time.perf_counter()
                fn()
                if torch.cuda.is_available():
                    torch.cuda.synchronize()
                times[k].append(time.perf_counter() - t0)
            memory[k].append(peak.gb)
    return {k: (statistics.median(times[k]), statistics.median(memory[k])) for k in fns}


def step_functions(model, processor, trl_model, pairs, cfg, quick: bool) -> dict:
    """The callables measured: each runs one step's forward and backward."""
    dpo = dataclasses.replace(cfg, w_in=1.0, w_out=1.0, gamma=0.0, alpha=0.0)
    unshared = dataclasses.replace(cfg, share_prefix=False)

    def step(loss_fn):
        def run():
            loss_fn().backward()
            model.zero_grad(set_to_none=True)

        return run

    fns = {
        "c_medpo": step(lambda: medpo.pair_loss(model, None, processor, pairs, cfg)[0]),
        "c0_medpo_unshared": step(
            lambda: medpo.pair_loss(model, None, processor, pairs, unshared)[0]
        ),
        "body": step(lambda: body_only(model, processor, pairs, cfg, medpo.BRANCHES, True)),
        "body0_unshared": step(
            lambda: body_only(model, processor, pairs, cfg, medpo.BRANCHES, False)
        ),
    }
    if not quick:
        fns["a_trl_dpo"] = trl_step_fn(trl_model, processor, pairs, cfg)
        fns["b_full_logits_medpo"] = step(lambda: full_logits_loss(model, processor, pairs, cfg))
        fns["d_medpo_plain_dpo"] = step(
            lambda: medpo.pair_loss(model, None, processor, pairs, dpo)[0]
        )
    return fns


def compare(
    model, processor, trl_model, pairs, cfg, repeats: int, quick=False, profile=False
) -> dict:
    """Time and peak memory of each step function on one batch, and the ratios asked about."""
    fns = step_functions(model, processor, trl_model, pairs, cfg, quick)
    for k, fn in list(fns.items()):  # warm-up; a variant that does not fit in GPU memory is said so
        try:
            fn()
        except torch.OutOfMemoryError:
            print(f"{k}: out of GPU memory")
            fns.pop(k)
            model.zero_grad(set_to_none=True)
            torch.cuda.empty_cache()
    r = measure(fns, repeats)
    if profile:
        from torch.profiler import ProfilerActivity
        from torch.profiler import profile as torch_profile

        with torch_profile(activities=[ProfilerActivity.CPU]) as p:
            fns["c_medpo"]()
        print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))

    def t(k):
        return r[k][0] if k in r else math.nan

    def m(k):
        return r[k][1] if k in r else math.nan

    result = {f"{k}_s": round(v[0], 3) for k, v in r.items()} | {
        f"{k}_gb": round(v[1], 3) for k, v in r.items()
    }
    result |= {"shared/unshared step": t("c_medpo") / t("c0_medpo_unshared")}
    result |= {
        "shared/unshared body": t("body") / t("body0_unshared"),
        "c/body": t("c_medpo") / t("body"),
    }
    result |= {
        "c/a time": t("c_medpo") / t("a_trl_dpo"),
        "c/b time": t("c_medpo") / t("b_full_logits_medpo"),
    }
    result |= {"c/b mem": m("c_medpo") / max(m("b_full_logits_medpo"), 1e-9)}
    result |= {"d/a time": t("d_medpo_plain_dpo") / t("a_trl_dpo")}
    return result


def bench(shape: str, vocab: int, repeats: int, quick=False, profile=False) -> dict:
    """The CPU configuration: a tiny Qwen2.5-VL (text 256 wide, 4 layers), LoRA r 8, fp32."""
    from transformers import AutoModelForImageTextToText

    folder = Path(tempfile.mkdtemp()) / "m"
    corpus = [" ".join(WORDS)] * 20
    model_dir = tiny_models.build_tiny_vlm(
        "qwen2.5-vl", folder, corpus, hidden=256, layers=4, vocab_size=vocab, image_px=224
    )
    cfg = medpo.Config(model_name_or_path=str(model_dir), lora_r=8, lora_alpha=16, lora_dropout=0.0,
                       max_completion_length=1024)  # fmt: skip
    model, processor, _ = medpo.load_model(cfg)
    pairs = make_pairs(2, shape, np.random.default_rng(0))
    batch = medpo.encode(
        processor, [(p["image"], p["question"], p["chosen"], []) for p in pairs], 1, 1, 1024
    )
    prompt = batch.answers[0].start
    trl_model = None if quick else AutoModelForImageTextToText.from_pretrained(model_dir)
    result = compare(model, processor, trl_model, pairs, cfg, repeats, quick, profile)
    answer = np.mean([len(a.labels) for a in batch.answers])
    return {
        "model": "tiny",
        "shape": shape,
        "vocab": vocab,
        "prompt": prompt,
        "answer": answer,
    } | result


# Published shapes of real models, randomly initialised (nothing is downloaded): text part, vision
# part, image
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


def mfu(model, tokens: int, seconds: float) -> float:
    """Model FLOPs utilisation of a step on this GPU: (6 N policy + 2 N reference) x tokens."""
    name = torch.cuda.get_device_name()
    peak = next((v for k, v in PEAK_FLOPS.items() if k in name), math.nan)
    n_params = sum(p.numel() for p in model.parameters())
    return 8 * n_params * tokens / seconds / peak


def bench_real(name: str, shape: str, repeats: int, checkpointing: bool) -> dict:
    """A real-size model in bf16 on the GPU, LoRA r 128 on the language model."""
    from transformers import (
        AutoConfig,
        AutoModelForImageTextToText,
        AutoProcessor,
        Gemma3ImageProcessor,
        Gemma3Processor,
    )

    arch, text, vision, px, tied = REAL_SIZE[name]
    folder = tiny_models.build_tiny_vlm(
        arch, Path(tempfile.mkdtemp()) / "m", [" ".join(WORDS)] * 20, image_px=px
    )
    config, processor = AutoConfig.from_pretrained(folder), AutoProcessor.from_pretrained(folder)
    for sub, values in ((config.text_config, text), (config.vision_config, vision)):
        for k, v in values.items():
            setattr(sub, k, v)
    config.tie_word_embeddings = config.text_config.tie_word_embeddings = tied
    if arch == "gemma3":  # 896 px images, 256 image tokens, as Gemma 3 has them
        config.mm_tokens_per_image = 256
        image_processor = Gemma3ImageProcessor(size={"height": px, "width": px})
        template = processor.chat_template
        processor = Gemma3Processor(image_processor=image_processor, tokenizer=processor.tokenizer,
                                    image_seq_length=256, chat_template=template)  # fmt: skip
    cfg = medpo.Config(model_name_or_path=name, lora_dropout=0.0, max_completion_length=1024,
                       gradient_checkpointing=checkpointing)  # fmt: skip

    def build():
        torch.manual_seed(0)
        with torch.device("cuda"):
            return AutoModelForImageTextToText.from_config(config, dtype=torch.bfloat16)

    from peft import LoraConfig, get_peft_model

    gc.collect()
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    model = build()
    weights_gb = torch.cuda.memory_allocated() / 2**30
    if checkpointing:
        model.activation_checkpointing_enable({"use_reentrant": False})
    lora = dict(
        r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=0.0, use_rslora=cfg.use_rslora
    )
    model = get_peft_model(model, LoraConfig(target_modules=cfg.lora_target, **lora))
    pairs = make_pairs(2, shape, np.random.default_rng(0), px)
    with torch.no_grad():  # move the policy off the reference: then the same loss and gradients
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 1e-3)
    check_agreement(name, model, processor, pairs, cfg)
    result = compare(model, processor, build(), pairs, cfg, repeats)
    tokens = medpo.encode(
        processor, [(p["image"], p["question"], p["chosen"], []) for p in pairs], 1, 1, 1024
    ).tokens
    result["mfu c"] = mfu(model, 4 * tokens, result["c_medpo_s"])
    return {
        "model": name,
        "shape": shape,
        "vocab": text["vocab_size"],
        "weights_gb": round(weights_gb, 1),
    } | result


def check_agreement(name, model, processor, pairs, cfg) -> None:
    """The shared, unshared and full-logits losses and LoRA gradients agree up to bf16 rounding."""
    lora = [p for p in model.parameters() if p.requires_grad]
    losses = {
        "shared": medpo.pair_loss(model, None, processor, pairs, cfg)[0],
        "unshared": medpo.pair_loss(
            model, None, processor, pairs, dataclasses.replace(cfg, share_prefix=False)
        )[0],
        "full logits": full_logits_loss(model, processor, pairs, cfg),
    }
    grads = {
        k: torch.cat([g.float().flatten() for g in torch.autograd.grad(v, lora)])
        for k, v in losses.items()
    }
    cosines = {k: float(F.cosine_similarity(grads["shared"], g, 0)) for k, g in grads.items()}
    shown = {k: round(v.item(), 5) for k, v in losses.items()}
    print(f"{name}: losses {shown}, gradient cosine to shared {cosines}", flush=True)


KEYS = [
    "model", "shape", "vocab", "prompt", "answer", "a_trl_dpo_s", "b_full_logits_medpo_s",
    "c_medpo_s", "c0_medpo_unshared_s", "d_medpo_plain_dpo_s", "body_s", "body0_unshared_s",
    "c_medpo_gb", "b_full_logits_medpo_gb", "shared/unshared step", "shared/unshared body",
    "c/body", "c/a time", "c/b time", "c/b mem", "d/a time", "mfu c", "weights_gb",
]  # fmt: skip


def table_row(row: dict) -> str:
    cells = [
        f"{row[k]:.3f}" if isinstance(row.get(k), float) else str(row.get(k, "-")) for k in KEYS
    ]
    return "| " + " | ".join(cells) + " |"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick", action="store_true", help="the VQA shape at vocab 32768, MedPO rows only"
    )
    ap.add_argument(
        "--repeats", type=int, default=3, help="interleaved repeats per variant (median)"
    )
    ap.add_argument(
        "--profile", action="store_true", help="a torch.profiler table of one MedPO step"
    )
    ap.add_argument(
        "--real",
        nargs="*",
        default=None,
        choices=list(REAL_SIZE),
        help="GPU: these real-size models",
    )
    ap.add_argument("--checkpointing", action="store_true", help="GPU: gradient checkpointing on")
    ap.add_argument("--shape", default="vqa", choices=list(SHAPES), help="the shape of --quick")
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    configs = [(a.shape, 32768)] if a.quick else [(s, v) for v in (32768, 151936) for s in SHAPES]
    runs = []
    if a.real is None:
        runs = [
            lambda s=s, v=v, i=i: bench(s, v, a.repeats, a.quick, a.profile and i == 0)
            for i, (s, v) in enumerate(configs)
        ]
    if torch.cuda.is_available() and a.real is not None:
        runs += [
            lambda m=m, s=s: bench_real(m, s, a.repeats, a.checkpointing)
            for m in (a.real or REAL_SIZE)
            for s in SHAPES
        ]
    rows = []
    for run in runs:  # each row as soon as it is measured, the whole table at the end
        rows.append(run())
        print(table_row(rows[-1]), flush=True)
    print(
        "| "
        + " | ".join(KEYS)
        + " |\n"
        + "|---" * len(KEYS)
        + "|\n"
        + "\n".join(map(table_row, rows))
    )
    if a.quick:
        ratio = rows[0]["shared/unshared step"]
        print(f"shared/unshared step time at the {a.shape} shape: {ratio:.2f}")
    return rows


if __name__ == "__main__":
    main()
