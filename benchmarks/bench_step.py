"""Step time and peak memory of one training step, measured side by side in one run on the same model
and the same batch:

  (a) TRL's DPOTrainer training step (plain sigmoid DPO): the ecosystem's reference
  (b) a straightforward full-logits MedPO loss (the paper's approach: every position through the LM head)
  (c) medpo.py's MedPO step (LM head on the weighted answer tokens only, chunked)
  (d) medpo.py in plain-DPO mode (w_in = w_out = 1, gamma 0, alpha 0)
  body: the same passes' forward + backward with no loss head (the floor for c and d)

  python benchmarks/bench_step.py --quick      # vocab 32768, ~320 tokens (about 2 minutes on 2 CPU cores)
  python benchmarks/bench_step.py              # vocab 32768 and 151936 x two sequence lengths
  python benchmarks/bench_step.py --profile    # also a torch.profiler table of one MedPO step

Model: a tiny Qwen2.5-VL (text part 256 wide, 4 layers; LoRA r 8), batch 2 pairs, 224 px images,
~120 prompt tokens, answers of 200-400 tokens that differ in 5 tokens. Times are medians of
--repeats interleaved runs; memory is the peak increase over the step (RSS on CPU, allocator on CUDA).
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import data_prep  # noqa: E402
import medpo  # noqa: E402

WORDS = ("the heart lung liver lesion nodule left right small large normal abnormal there is no a mass in of "
         "with and shows image scan lobe upper lower effusion opacity cm mild severe").split()


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


def make_pairs(n: int, answer_len: int, rng) -> list[dict]:
    """n pairs with ~120-token questions and answer_len-word answers that differ in 5 words."""
    out = []
    for i in range(n):
        words = list(rng.choice(WORDS, answer_len))
        chosen = " ".join(words) + "."
        for j in rng.choice(answer_len, 5, replace=False):
            words[j] = "right" if words[j] != "right" else "left"
        rejected = " ".join(words) + "."
        rs, cs = medpo.edit_spans(rejected, chosen)
        img = Image.fromarray(rng.integers(0, 255, (224, 224, 3), dtype=np.uint8))
        out.append({"image": img, "image_vis": medpo.corrupt_lesion(img, (60, 60, 140, 140), seed=i),
                    "question": " ".join(rng.choice(WORDS, 100)) + "?", "chosen": chosen, "rejected": rejected,
                    "chosen_spans": cs, "rejected_spans": rs})
    return out


def full_logits_loss(model, processor, pairs, cfg):
    """(b) The paper's way: full (4B, L, V) logits for policy and reference, then masks."""
    rows = [(p["image_vis" if b.endswith("_vis") else "image"], p["question"], p[b.split("_")[0]],
             p[b.split("_")[0] + "_spans"]) for b in medpo.BRANCHES for p in pairs]
    inputs, answers, _ = medpo.encode(processor, rows, cfg.w_in, cfg.w_out)
    T = inputs["input_ids"].shape[1]
    W, S = torch.zeros(len(rows), T), torch.zeros(len(rows), T, dtype=torch.bool)
    labels = torch.zeros(len(rows), T, dtype=torch.long)
    for i, (p, lab, w, span) in enumerate(answers):
        W[i, p - 1:p - 1 + len(lab)], S[i, p - 1:p - 1 + len(lab)], labels[i, p - 1:p - 1 + len(lab)] = w, span, lab
    logits = model(**inputs, use_cache=False).logits.float()
    with torch.no_grad(), model.disable_adapter():
        ref_logits = model(**inputs, use_cache=False).logits.float()
    lp, lr = logits.log_softmax(-1), ref_logits.log_softmax(-1)
    pol = (lp.gather(-1, labels[..., None])[..., 0] * W).sum(-1).view(4, -1)
    ref = (lr.gather(-1, labels[..., None])[..., 0] * W).sum(-1).view(4, -1)
    B = len(pairs)
    fkl = ((lr.exp() * (lr - lp)).sum(-1)[:B] * S[:B]).sum(-1)
    rkl = ((lp.exp() * (lp - lr)).sum(-1)[:B] * S[:B]).sum(-1)
    return medpo.medpo_loss(dict(zip(medpo.BRANCHES, pol)), dict(zip(medpo.BRANCHES, ref)), fkl, rkl,
                            torch.ones(B, dtype=torch.bool), cfg)[0]


def body_only(model, processor, pairs, cfg, branches):
    """The model body's own cost for the same rows: policy forward + backward, reference forward."""
    rows = [(p["image_vis" if b.endswith("_vis") else "image"], p["question"], p[b.split("_")[0]], []) for b in branches
            for p in pairs]
    inputs = medpo.encode(processor, rows, 1.0, 1.0)[0]
    _, body = medpo._parts(model)
    h = body(**inputs, use_cache=False).last_hidden_state
    with torch.no_grad(), model.disable_adapter():
        body(**inputs, use_cache=False)
    return h.float().pow(2).mean()


def trl_step_fn(model_dir, pairs, beta):
    """(a) TRL's DPOTrainer: one training_step (forward + backward) on the same pairs, LoRA r 8."""
    import datasets
    from peft import LoraConfig
    from transformers import AutoModelForImageTextToText, AutoProcessor
    from trl import DPOConfig, DPOTrainer
    model = AutoModelForImageTextToText.from_pretrained(model_dir)
    processor = AutoProcessor.from_pretrained(model_dir)
    ds = datasets.Dataset.from_list([{
        "prompt": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": p["question"]}]}],
        "chosen": [{"role": "assistant", "content": [{"type": "text", "text": p["chosen"]}]}],
        "rejected": [{"role": "assistant", "content": [{"type": "text", "text": p["rejected"]}]}],
        "images": [p["image"]]} for p in pairs])
    args = DPOConfig(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=len(pairs), beta=beta, max_length=None,
                     bf16=False, report_to=[], loss_type="sigmoid", gradient_checkpointing=False)
    trainer = DPOTrainer(model=model, args=args, train_dataset=ds, processing_class=processor,
                         peft_config=LoraConfig(r=8, lora_alpha=16, target_modules=medpo.Config.lora_target))
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


def bench(vocab: int, answer_len: int, repeats: int, profile: bool = False) -> dict:
    corpus = [" ".join(WORDS)] * 20
    model_dir = data_prep.build_tiny_vlm("qwen2.5-vl", Path(tempfile.mkdtemp()) / "m", corpus, hidden=256, layers=4,
                                         vocab_size=vocab, image_px=224)
    cfg = medpo.Config(model_name_or_path=str(model_dir), lora_r=8, lora_alpha=16, lora_dropout=0.0)
    dpo = dataclasses.replace(cfg, w_in=1.0, w_out=1.0, gamma=0.0, alpha=0.0)
    model, processor, _ = medpo.load_model(cfg)
    pairs = make_pairs(2, answer_len, np.random.default_rng(0))
    seq = medpo.encode(processor, [(pairs[0]["image"], pairs[0]["question"], pairs[0]["chosen"], [])], 1, 1)[0]["input_ids"].shape[1]

    def step(loss_fn):
        def run():
            loss = loss_fn()
            loss.backward()
            model.zero_grad(set_to_none=True)
        return run
    fns = {"a_trl_dpo": trl_step_fn(model_dir, pairs, cfg.beta),
           "b_full_logits_medpo": step(lambda: full_logits_loss(model, processor, pairs, cfg)),
           "c_medpo": step(lambda: medpo.pair_loss(model, None, processor, pairs, cfg)[0]),
           "d_medpo_plain_dpo": step(lambda: medpo.pair_loss(model, None, processor, pairs, dpo)[0]),
           "body_4_branches": step(lambda: body_only(model, processor, pairs, cfg, medpo.BRANCHES)),
           "body_2_branches": step(lambda: body_only(model, processor, pairs, cfg, medpo.BRANCHES[:2]))}
    for fn in fns.values():  # warm-up
        fn()
    r = measure(fns, repeats)
    if profile:
        from torch.profiler import ProfilerActivity, profile as prof
        with prof(activities=[ProfilerActivity.CPU]) as p:
            fns["c_medpo"]()
        print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
    t, m = (lambda k: r[k][0]), (lambda k: r[k][1])
    return {"vocab": vocab, "seq": seq, **{f"{k}_s": round(v[0], 3) for k, v in r.items()},
            **{f"{k}_gb": round(v[1], 3) for k, v in r.items()},
            "c/b time": t("c_medpo") / t("b_full_logits_medpo"), "c/b mem": m("c_medpo") / max(m("b_full_logits_medpo"), 1e-9),
            "d/a time": t("d_medpo_plain_dpo") / t("a_trl_dpo"), "c/a time": t("c_medpo") / t("a_trl_dpo"),
            "c/body time": t("c_medpo") / t("body_4_branches"), "d/body time": t("d_medpo_plain_dpo") / t("body_2_branches")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one configuration: vocab 32768, ~320 tokens")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved repeats per variant (median reported)")
    ap.add_argument("--profile", action="store_true", help="print a torch.profiler table of one MedPO step")
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    configs = [(32768, 200)] if a.quick else [(32768, 200), (32768, 400), (151936, 200), (151936, 400)]
    rows = [bench(v, n, a.repeats, a.profile and i == 0) for i, (v, n) in enumerate(configs)]
    keys = ["vocab", "seq", "a_trl_dpo_s", "b_full_logits_medpo_s", "c_medpo_s", "d_medpo_plain_dpo_s", "body_4_branches_s",
            "a_trl_dpo_gb", "b_full_logits_medpo_gb", "c_medpo_gb", "c/b time", "c/b mem", "c/a time", "d/a time",
            "c/body time", "d/body time"]
    print("| " + " | ".join(keys) + " |\n" + "|---" * len(keys) + "|")
    for r in rows:
        print("| " + " | ".join(f"{r[k]:.3f}" if isinstance(r[k], float) else str(r[k]) for k in keys) + " |")
    return rows


if __name__ == "__main__":
    main()
