"""Data for MedPO: the demo world, tiny offline VLMs, and (below) converters for real datasets.

  python data_prep.py demo --out DIR        # the generated medical VQA set (no download)
  python data_prep.py tiny --out DIR        # a tiny Qwen2.5-VL warmed up on the demo world

Everything here writes the project's sample JSONL (one object per line):
  {"id", "image", "question", "answer", "task": "vqa", "lesion": null | {"boxes": [[x0,y0,x1,y1]],
   "mask": null, "labels": [...]}, "meta": {...}}   (image paths relative to the JSONL's folder)
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import medpo  # the method's pure functions (medpo.py imports this module only inside functions)

# ---------------------------------------------------------------------------------------------
# Small helpers shared by every writer: nothing half-written is ever left behind.


def write_atomic(path: str | Path, write) -> None:
    """Call write(tmp_path), then rename tmp onto path (same folder, so the rename is atomic)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_jsonl(path: str | Path, rows) -> None:
    def w(tmp):
        with open(tmp, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    write_atomic(path, w)


def checkpoint_io(out: Path, model, opt, sched, state: dict | None = None) -> dict:
    """Save (state given) or load the trainable weights (safetensors), optimizer, scheduler, RNG and
    position. Saving writes checkpoint.tmp and swaps it in, so a crash never leaves half a checkpoint."""
    from safetensors.torch import load_file, save_file
    ck, tmp = out / "checkpoint", out / "checkpoint.tmp"
    trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
    if state is not None:
        shutil.rmtree(tmp, ignore_errors=True), tmp.mkdir(parents=True)
        save_file({n: p.detach().cpu().contiguous() for n, p in trainable.items()}, tmp / "trainable.safetensors")
        rng = {"torch": torch.get_rng_state()} | ({"cuda": torch.cuda.get_rng_state()} if medpo.DEVICE == "cuda" else {})
        torch.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "rng": rng, "state": state},
                   tmp / "trainer_state.pt")
        ck.exists() and ck.rename(out / "checkpoint.old")
        tmp.rename(ck), shutil.rmtree(out / "checkpoint.old", ignore_errors=True)
        return state
    weights = load_file(ck / "trainable.safetensors", device=medpo.DEVICE)
    if set(trainable) - set(weights):
        raise ValueError(f"{ck} does not match this model: trainable tensor {min(set(trainable) - set(weights))} is missing")
    model.load_state_dict(weights, strict=False)
    st = torch.load(ck / "trainer_state.pt", weights_only=True)  # tensors and plain types only: no code runs
    opt.load_state_dict(st["optimizer"]), sched.load_state_dict(st["scheduler"]), torch.set_rng_state(st["rng"]["torch"])
    "cuda" in st["rng"] and torch.cuda.set_rng_state(st["rng"]["cuda"])
    print(f"resumed from {ck} at step {st['state']['step']}")
    return st["state"]


# ---------------------------------------------------------------------------------------------
# The demo world: real anatomy from the DICOM files inside pydicom, synthetic lesions with known
# boxes, SLAKE-style questions with short sentence answers. Deterministic for a given seed.

# (file in pydicom's test data, modality as answered, organ as answered)
DEMO_BACKGROUNDS = [("CT_small.dcm", "CT", "spine"), ("693_J2KI.dcm", "CT", "brain"),
                    ("examples_overlay.dcm", "MRI", "liver"), ("examples_rgb_color.dcm", "ultrasound", "lymph node")]
DEMO_SIZE = 112  # px: 16 image tokens for Qwen2.5-VL (patch 14, merge 2)


def dicom_to_image(path: str | Path) -> Image.Image:
    """A DICOM file as an 8-bit greyscale PIL image: modality LUT, VOI window (or 1-99th
    percentile when the file has none), MONOCHROME1 inverted, colour converted to L."""
    import pydicom
    from pydicom.pixels import apply_modality_lut, apply_voi_lut
    ds = pydicom.dcmread(str(path))
    arr = ds.pixel_array
    if arr.ndim == 3 and arr.shape[-1] == 3:
        return Image.fromarray(arr.astype(np.uint8)).convert("L")
    arr = apply_modality_lut(arr, ds).astype(np.float64)
    if "WindowCenter" in ds:
        arr = apply_voi_lut(arr, ds).astype(np.float64)
    lo, hi = np.percentile(arr, [1, 99])
    arr = np.clip((arr - lo) / max(hi - lo, 1e-6), 0, 1) * 255
    if ds.get("PhotometricInterpretation") == "MONOCHROME1":
        arr = 255 - arr
    return Image.fromarray(np.rint(arr).astype(np.uint8))


def _demo_questions(modality: str, organ: str, lesion: dict | None) -> list[tuple[str, str, str, str]]:
    """(kind, question, answer, answer_type) for one image."""
    art = "an" if modality[0] in "AEFHILMNORSXaeiou" else "a"
    kind_of = "image" if modality == "ultrasound" else "scan"
    qs = [("modality", "What modality is used to take this image?", f"This is {art} {modality} {kind_of}.", "OPEN"),
          ("organ", "Which organ is shown in this image?",
           f"The image shows {'a' if organ == 'lymph node' else 'the'} {organ}.", "OPEN")]
    if lesion is None:
        qs += [("presence", "Is there a lesion in this image?", "No, there is no lesion.", "CLOSED"),
               ("normal", "Is this image normal?", "Yes, the image is normal.", "CLOSED")]
    else:
        qs += [("presence", "Is there a lesion in this image?", "Yes, there is a lesion.", "CLOSED"),
               ("normal", "Is this image normal?", "No, the image is abnormal.", "CLOSED"),
               ("side", "On which side is the lesion?", f"The lesion is on the {lesion['side']} side.", "OPEN"),
               ("size", "How large is the lesion?", f"The lesion is {lesion['size']}.", "OPEN")]
    return qs


def _demo_image(bg: Image.Image, rng: np.random.Generator, with_lesion: bool):
    """A 112 px view of a background (random crop, contrast) and, maybe, one synthetic lesion."""
    w, h = bg.size
    s = int(min(w, h) * rng.uniform(0.7, 1.0))
    x, y = int(rng.integers(0, w - s + 1)), int(rng.integers(0, h - s + 1))
    img = bg.crop((x, y, x + s, y + s)).resize((DEMO_SIZE, DEMO_SIZE), Image.BILINEAR)
    arr = np.asarray(img).astype(np.float64) * rng.uniform(0.8, 1.1) + rng.uniform(-15, 15)
    if not with_lesion:
        return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8)), None
    size = "small" if rng.random() < 0.5 else "large"
    r = rng.uniform(5, 7) if size == "small" else rng.uniform(12, 16)
    # Radiological convention: the patient's right is on the image's left.
    side = "right" if rng.random() < 0.5 else "left"
    cx = rng.uniform(0.18, 0.38) * DEMO_SIZE if side == "right" else rng.uniform(0.62, 0.82) * DEMO_SIZE
    cy = rng.uniform(0.25, 0.75) * DEMO_SIZE
    yy, xx = np.mgrid[0:DEMO_SIZE, 0:DEMO_SIZE]
    blob = np.clip(1.0 - np.hypot((xx - cx) / r, (yy - cy) / (r * rng.uniform(0.8, 1.2))), 0, 1) ** 0.5
    sign = 1 if arr[blob > 0].mean() < 128 else -1  # bright on dark tissue, dark on bright: always visible
    arr = arr + blob * sign * rng.uniform(90, 130)
    ys, xs = np.nonzero(blob > 0)
    box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
    img = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8))
    return img, {"boxes": [box], "mask": None, "labels": ["lesion"], "side": side, "size": size}


def make_demo(out: str | Path, n_train: int = 240, n_test: int = 60, seed: int = 0, per_image: int = 3) -> dict:
    """Write DIR/train.jsonl, DIR/test.jsonl and DIR/images/*.png; returns {split: path}."""
    from pydicom.data import get_testdata_file
    out = Path(out)
    (out / "images").mkdir(parents=True, exist_ok=True)
    bgs = [(dicom_to_image(get_testdata_file(f, download=False)), mod, organ) for f, mod, organ in DEMO_BACKGROUNDS]
    rng = np.random.default_rng(seed)
    paths = {}
    for split, n in (("train", n_train), ("test", n_test)):
        rows = []
        for i in range(n):
            bg, modality, organ = bgs[int(rng.integers(len(bgs)))]
            img, lesion = _demo_image(bg, rng, with_lesion=rng.random() < 0.6)
            name = f"images/{split}_{i:04d}.png"
            write_atomic(out / name, lambda tmp: img.save(tmp, format="PNG"))
            qs = _demo_questions(modality, organ, lesion)
            for j in sorted(rng.choice(len(qs), size=min(per_image, len(qs)), replace=False)):
                kind, q, a, atype = qs[j]
                rows.append({"id": f"demo:{split}:{i:04d}:{kind}", "image": name, "question": q, "answer": a,
                             "task": "vqa", "lesion": None if lesion is None else
                             {k: lesion[k] for k in ("boxes", "mask", "labels")},
                             "meta": {"dataset": "demo", "split": split, "modality": modality, "organ": organ,
                                      "kind": kind, "answer_type": atype}})
        paths[split] = out / f"{split}.jsonl"
        write_jsonl(paths[split], rows)
    return paths


# ---------------------------------------------------------------------------------------------
# Reading the project's JSONL: every problem is reported as file:line, field, what was expected,
# before any model is loaded.

def _bad(path, line, field, expected):
    return ValueError(f"{path}:{line}: field '{field}': expected {expected}")


def read_samples(path: str | Path) -> list[dict]:
    """Sample or pair rows of a JSONL file, validated; image and mask paths made absolute."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValueError(f"{path}: no such file (expected a sample or pair JSONL, or --data demo)")
    rows, pairs = [], None
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{n}: not valid JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(r, dict):
            raise ValueError(f"{path}:{n}: expected a JSON object, got {type(r).__name__}")
        pairs = ("chosen" in r) if pairs is None else pairs
        need = ("id", "image", "question") + (("chosen", "rejected") if pairs else ("answer",))
        for f in need:
            v = r.get(f)
            if isinstance(v, int) and f == "id":
                r[f] = str(v)
            elif not isinstance(v, str) or not v.strip():
                raise _bad(path, n, f, "a non-empty string" + (" (missing)" if f not in r else f", got {v!r}"))
        img = Path(r["image"]) if Path(r["image"]).is_absolute() else path.parent / r["image"]
        try:
            with Image.open(img) as im:
                size = im.size
        except (OSError, ValueError) as e:
            raise _bad(path, n, "image", f"a readable image file, {img} is not ({type(e).__name__})") from None
        r["image"] = str(img.resolve())
        if r.get("corrupted_image"):  # a precomputed v'
            vp = Path(r["corrupted_image"]) if Path(r["corrupted_image"]).is_absolute() else path.parent / r["corrupted_image"]
            if not vp.is_file():
                raise _bad(path, n, "corrupted_image", f"an existing image file, {vp} is missing")
            r["corrupted_image"] = str(vp.resolve())
        for f in ("chosen_spans", "rejected_spans") if pairs else ():
            text = r[f.split("_")[0]]
            ok = isinstance(r.get(f), list) and all(isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s)
                                                    and 0 <= s[0] < s[1] <= len(text) for s in r[f])
            if not ok:
                raise _bad(path, n, f, f"a list of [start, end) character spans inside the {len(text)}-char text")
        les = r.get("lesion")
        if les is not None:
            if not isinstance(les, dict):
                raise _bad(path, n, "lesion", "null or an object with 'boxes' and/or 'mask'")
            for b in les.get("boxes") or []:
                if not (isinstance(b, list) and len(b) == 4 and all(isinstance(x, (int, float)) for x in b)
                        and b[2] > b[0] and b[3] > b[1]):
                    raise _bad(path, n, "lesion.boxes", f"[x0, y0, x1, y1] pixel corners with x1 > x0, y1 > y0, got {b!r}")
                if b[2] <= 0 or b[3] <= 0 or b[0] >= size[0] or b[1] >= size[1]:
                    raise _bad(path, n, "lesion.boxes", f"a box inside the {size[0]}x{size[1]} image, got {b!r}")
            if les.get("mask"):
                m = Path(les["mask"]) if Path(les["mask"]).is_absolute() else path.parent / les["mask"]
                if not m.is_file():
                    raise _bad(path, n, "lesion.mask", f"an existing mask image, {m} is missing")
                les["mask"] = str(m.resolve())
        rows.append(r)
    if not rows:
        raise ValueError(f"{path}: no samples in the file")
    return rows


def resolve_data(cfg) -> tuple[list[dict], list[dict]]:
    """(train rows, eval rows) for a Config: --data demo builds the demo world in the cache once."""
    if cfg.data == "demo":
        demo = ensure_demo(Path(cfg.cache_dir).expanduser())
        train, evald = demo / "train.jsonl", cfg.eval_data or demo / "test.jsonl"
    else:
        train, evald = cfg.data, cfg.eval_data
    return read_samples(train), (read_samples(evald) if evald else [])


def ensure_demo(cache: Path) -> Path:
    """The demo world under cache/demo, built once (into a temporary folder, then renamed)."""
    out = cache / "demo"
    if not (out / "test.jsonl").exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".demo."))
        make_demo(tmp)
        os.replace(tmp, out) if not out.exists() else None
    return out


# ---------------------------------------------------------------------------------------------
# Tiny offline VLMs: the real architectures at toy size, with a BPE tokenizer trained on the demo
# corpus, saved with save_pretrained so that the real from_pretrained path reads them back.

def _template(start: str, turn: str, end: str, image: str, assistant: str, user: str = "user") -> str:
    """A chat template: start, then per message turn.format(role) + content + end; images as `image`."""
    role = "{{ '%s' if m['role'] == 'assistant' else '%s' }}" % (assistant, user)
    return (start + "{% for m in messages %}" + turn.replace("{role}", role) + "{% if m['content'] is string %}"
            "{{ m['content'] }}{% else %}{% for c in m['content'] %}{% if c['type'] == 'image' %}" + image +
            "{% else %}{{ c['text'] }}{% endif %}{% endfor %}{% endif %}" + end + "{% endfor %}"
            "{% if add_generation_prompt %}" + turn.replace("{role}", assistant) + "{% endif %}")


def train_tokenizer(corpus: list[str], specials: list[str], named: dict, vocab_size: int = 512, **kw):
    """A byte-level BPE over the corpus, wrapped as a fast tokenizer (offsets work)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=tok, extra_special_tokens=named, **kw)


def build_tiny_vlm(arch: str, out: str | Path, corpus: list[str], seed: int = 0, hidden: int = 64, layers: int = 2,
                   vocab_size: int = 0, image_px: int = 112) -> Path:
    """Save a randomly initialised tiny `arch` VLM and its processor to `out`. hidden/layers size the
    text part; vocab_size > tokenizer size widens the LM head (for benchmarks); image_px (Qwen) is
    the largest image side the processor keeps."""
    from transformers import AutoModelForImageTextToText
    torch.manual_seed(seed)
    text = dict(hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=layers, num_attention_heads=4,
                num_key_value_heads=2)
    hd = hidden // 4
    if arch in ("qwen2-vl", "qwen2.5-vl"):
        from transformers import Qwen2VLImageProcessor
        from transformers.models.qwen2_vl.video_processing_qwen2_vl import Qwen2VLVideoProcessor
        two5 = arch == "qwen2.5-vl"
        from transformers import Qwen2VLConfig, Qwen2VLProcessor, Qwen2_5_VLConfig, Qwen2_5_VLProcessor
        C, P = (Qwen2_5_VLConfig, Qwen2_5_VLProcessor) if two5 else (Qwen2VLConfig, Qwen2VLProcessor)
        sp = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"]
        tok = train_tokenizer(corpus, sp, {"image_token": "<|image_pad|>", "video_token": "<|video_pad|>"},
                              eos_token="<|im_end|>", pad_token="<|endoftext|>")
        ids = {k: tok.convert_tokens_to_ids(v) for k, v in (("image_token_id", "<|image_pad|>"), ("video_token_id", "<|video_pad|>"),
               ("vision_start_token_id", "<|vision_start|>"), ("vision_end_token_id", "<|vision_end|>"))}
        vision = dict(depth=2, hidden_size=64, intermediate_size=128, num_heads=4, patch_size=14, spatial_merge_size=2,
                      temporal_patch_size=2) | (dict(out_hidden_size=hidden, fullatt_block_indexes=[1], window_size=112)
                                                if two5 else dict(embed_dim=64, mlp_ratio=2, hidden_size=hidden))
        cfg = C(text_config=text | dict(vocab_size=max(vocab_size, len(tok)), eos_token_id=tok.eos_token_id,
                                        pad_token_id=tok.pad_token_id, bos_token_id=None, rope_parameters={
                                            "rope_type": "default", "mrope_section": [hd // 8, 3 * hd // 16, 3 * hd // 16],
                                            "rope_theta": 10000.0}),
                vision_config=vision, **ids)
        proc = P(image_processor=Qwen2VLImageProcessor(min_pixels=56 * 56, max_pixels=image_px ** 2), tokenizer=tok,
                 video_processor=Qwen2VLVideoProcessor(), chat_template=_template(
                     "", "<|im_start|>{role}\n", "<|im_end|>\n", "<|vision_start|><|image_pad|><|vision_end|>", "assistant"))
    elif arch == "gemma3":  # MedGemma's architecture
        from transformers import Gemma3Config, Gemma3ImageProcessor, Gemma3Processor
        sp = ["<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>", "<start_of_image>", "<end_of_image>",
              "<image_soft_token>"]
        tok = train_tokenizer(corpus, sp, {"boi_token": "<start_of_image>", "eoi_token": "<end_of_image>",
                                           "image_token": "<image_soft_token>"},
                              bos_token="<bos>", eos_token="<end_of_turn>", pad_token="<pad>")
        cfg = Gemma3Config(text_config=text | dict(vocab_size=len(tok), head_dim=16, query_pre_attn_scalar=16,
                                                   sliding_window=64, layer_types=["sliding_attention", "full_attention"],
                                                   pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                                                   bos_token_id=tok.bos_token_id),
                           vision_config=dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                              num_attention_heads=4, image_size=64, patch_size=8),
                           mm_tokens_per_image=16, boi_token_index=tok.convert_tokens_to_ids("<start_of_image>"),
                           eoi_token_index=tok.convert_tokens_to_ids("<end_of_image>"),
                           image_token_index=tok.convert_tokens_to_ids("<image_soft_token>"))
        proc = Gemma3Processor(image_processor=Gemma3ImageProcessor(size={"height": 64, "width": 64}), tokenizer=tok,
                               image_seq_length=16, chat_template=_template("{{ bos_token }}", "<start_of_turn>{role}\n",
                                                                            "<end_of_turn>\n", "<start_of_image>", "model"))
    elif arch == "llava":
        from transformers import CLIPImageProcessor, LlavaConfig, LlavaProcessor
        tok = train_tokenizer(corpus, ["<unk>", "<s>", "</s>", "<pad>", "<image>"], {"image_token": "<image>"},
                              bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>")
        cfg = LlavaConfig(vision_config=dict(model_type="clip_vision_model", hidden_size=64, intermediate_size=128,
                                             num_hidden_layers=2, num_attention_heads=4, image_size=64, patch_size=8),
                          text_config=text | dict(model_type="llama", vocab_size=len(tok), pad_token_id=tok.pad_token_id,
                                                  eos_token_id=tok.eos_token_id, bos_token_id=tok.bos_token_id),
                          image_token_id=tok.convert_tokens_to_ids("<image>"), vision_feature_layer=-2)
        proc = LlavaProcessor(image_processor=CLIPImageProcessor(size={"shortest_edge": 64},
                                                                 crop_size={"height": 64, "width": 64}),
                              tokenizer=tok, patch_size=8, num_additional_image_tokens=1,
                              vision_feature_select_strategy="default",
                              chat_template=_template("", "{role}: ", "</s>\n", "<image>\n", "ASSISTANT", "USER"))
    elif arch == "idefics3":  # SmolVLM's architecture
        from transformers import Idefics3Config, Idefics3ImageProcessor, Idefics3Processor
        sp = ["<|endoftext|>", "<|im_start|>", "<end_of_utterance>", "<fake_token_around_image>", "<image>", "<global-img>"]
        tok = train_tokenizer(corpus, sp, {"image_token": "<image>"}, bos_token="<|im_start|>",
                              eos_token="<end_of_utterance>", pad_token="<|endoftext|>")
        cfg = Idefics3Config(vision_config=dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                                num_attention_heads=4, image_size=64, patch_size=8),
                             text_config=text | dict(model_type="llama", vocab_size=len(tok), pad_token_id=tok.pad_token_id,
                                                     eos_token_id=tok.eos_token_id, bos_token_id=tok.bos_token_id),
                             scale_factor=2, image_token_id=tok.convert_tokens_to_ids("<image>"))
        proc = Idefics3Processor(image_processor=Idefics3ImageProcessor(do_image_splitting=False, size={"longest_edge": 64},
                                                                        max_image_size={"longest_edge": 64}),
                                 tokenizer=tok, image_seq_len=16,
                                 chat_template=_template("<|im_start|>", "{role}:", "<end_of_utterance>\n", "<image>",
                                                         "Assistant", "User"))
    else:
        raise ValueError(f"unknown tiny architecture {arch!r}: expected one of {TINY_ARCHS}")
    model = AutoModelForImageTextToText.from_config(cfg)
    model.generation_config.pad_token_id, model.generation_config.eos_token_id = tok.pad_token_id, tok.eos_token_id
    out = Path(out)
    model.save_pretrained(out), proc.save_pretrained(out)
    return out


TINY_ARCHS = ("qwen2.5-vl", "qwen2-vl", "gemma3", "llava", "idefics3")


def warm_up(model_dir: Path, rows: list[dict], steps: int = 300, batch: int = 16, lr: float = 2e-3, seed: int = 0) -> None:
    """A short supervised fine-tune on reference answers, so the tiny model answers some questions
    right and some wrong (medpo.py reports its test accuracy as eval_before)."""
    from transformers import AutoModelForImageTextToText, AutoProcessor
    torch.manual_seed(seed)
    model, proc = AutoModelForImageTextToText.from_pretrained(model_dir), AutoProcessor.from_pretrained(model_dir)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    images = {}
    for _ in range(steps):
        rs = [rows[i] for i in rng.choice(len(rows), batch, replace=False)]
        imgs = [images.setdefault(r["image"], Image.open(r["image"]).convert("RGB")) for r in rs]
        inputs, answers, _ = medpo.encode(proc, [(im, r["question"], r["answer"], []) for im, r in zip(imgs, rs)], 1.0, 1.0)
        labels = torch.full_like(inputs["input_ids"], -100)
        for i, (p, lab, _, _) in enumerate(answers):
            labels[i, p:p + len(lab)] = lab
        loss = model(**inputs, labels=labels).loss
        loss.backward(), opt.step(), opt.zero_grad()
    model.save_pretrained(model_dir)


def tiny_model(cache: Path, arch: str = "qwen2.5-vl") -> Path:
    """The demo's tiny model under cache/tiny-<arch>: built, warmed up on the demo train split, saved."""
    out = cache / f"tiny-{arch}"
    if not (out / "config.json").exists():
        demo = ensure_demo(cache)
        rows = read_samples(demo / "train.jsonl")
        corpus = [r[k] for r in rows for k in ("question", "answer")] + [w for alts in medpo.LEXICON.values()
                                                                        for a in alts for w in a]
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=f".tiny-{arch}."))
        build_tiny_vlm(arch, tmp, corpus)
        warm_up(tmp, rows)
        os.replace(tmp, out) if not out.exists() else None
    return out


def load_images(s: dict, cfg) -> dict:
    """The sample with its image v and its corrupted v' loaded as RGB; v' is read from
    'corrupted_image' when precomputed, else made by corrupt_lesion seeded by the sample id."""
    import zlib
    img = Image.open(s["image"])
    img = Image.fromarray((np.asarray(img) >> 8).astype(np.uint8)) if img.mode == "I;16" else img
    img = img if img.mode in ("L", "RGB", "RGBA") else img.convert("RGB")
    les = s.get("lesion") or {}
    lesion = Image.open(les["mask"]) if les.get("mask") else (les.get("boxes") or None)
    vis = Image.open(s["corrupted_image"]) if s.get("corrupted_image") else medpo.corrupt_lesion(
        img, lesion, cfg.sigma, cfg.global_sigma, zlib.crc32(str(s["id"]).encode()), cfg.corruption)
    return {**s, "image": img.convert("RGB"), "image_vis": vis.convert("RGB")}


@torch.no_grad()
def generate(model, processor, samples: list[dict], cfg, batch_size: int = 32, vis: bool = False) -> list[str]:
    """Greedy answers to the samples' questions (on v' when vis=True), policy in eval mode."""
    was_training, out = model.training, []
    model.eval()
    processor.tokenizer.padding_side = "left"
    for i in range(0, len(samples), batch_size):
        chunk = samples[i:i + batch_size]
        enc = processor(text=[medpo.chat_prompt(processor, s["question"]) for s in chunk],
                        images=[[s["image_vis" if vis else "image"]] for s in chunk], padding=True, return_tensors="pt")
        gen = model.generate(**enc.to(model.device), max_new_tokens=cfg.max_new_tokens, do_sample=False)
        out += [t.strip() for t in processor.batch_decode(gen[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)]
    processor.tokenizer.padding_side = "right"
    model.train(was_training)
    return out


def correct(answers: list[str], samples: list[dict]) -> np.ndarray:
    """(N,) bool: the rule editor finds nothing to correct in each answer against its reference."""
    return np.array([bool(a) and medpo.clinical_edit(a, s["answer"]) == a for a, s in zip(answers, samples)])


def evaluate(model, processor, samples: list[dict], cfg) -> dict:
    """Accuracy (the rule editor finds nothing to correct) on clean v and on lesion-corrupted v'."""
    samples, res = [load_images(s, cfg) for s in samples[: cfg.eval_limit or None]], {}
    for tag, vis in (("clean", False), ("corrupted", True)):
        answers = generate(model, processor, samples, cfg, vis=vis)
        ok = correct(answers, samples)
        kind = np.array([s.get("meta", {}).get("answer_type", "") for s in samples])
        res |= {f"eval/accuracy_{tag}{t.lower() and '_' + t.lower()}": float(ok[(kind == t) | (t == "")].mean())
                for t in ("", "OPEN", "CLOSED") if ((kind == t) | (t == "")).any()}
        res.setdefault("eval/examples", [dict(question=s["question"], answer=a, reference=s["answer"])
                                         for s, a in list(zip(samples, answers))[:8]])
    return res | {"eval/grounding_gap": res["eval/accuracy_clean"] - res["eval/accuracy_corrupted"]}


class Pairs(list):
    """A list of pair rows with a Counter of how they were made (model_correct, skipped_..., ...)."""
    def __init__(self, rows=()):
        super().__init__(rows)
        self.stats = Counter()


def build_pairs(model, processor, samples: list[dict], cfg, rnd: int = 0, editor=None, shard=(0, 1)) -> "Pairs":
    """On-policy pairs: the model's greedy answers, minimally corrected by `editor` (default: the rule
    editor), or with one planted error when right. The result's .stats counts what was built and skipped.
    shard=(rank, world) under torchrun: each rank answers its share; every rank gets all pairs, in order."""
    rank, world = shard
    if world > 1:
        mine = build_pairs(model, processor, samples[rank::world], cfg, rnd, editor)
        torch.distributed.all_gather_object(parts := [None] * world, (list(mine), mine.stats))
        pairs = Pairs([p for ps, _ in parts for p in ps])
        pairs.stats = sum((st for _, st in parts), Counter())
        return pairs
    answers = generate(model, processor, [load_images(s, cfg) for s in samples], cfg)
    rng, pairs = np.random.default_rng([cfg.seed, rnd]), Pairs()
    for s, a in zip(samples, answers):
        p = medpo.build_pair(a, s["answer"], editor or medpo.clinical_edit, rng, pairs.stats) if a.strip() \
            else pairs.stats.update(["skipped_empty"])
        if p:
            pairs.append({k: s[k] for k in ("id", "image", "question", "answer", "lesion", "meta") if k in s} | p)
    pairs.stats.update(getattr(editor, "rejected", {}))
    return pairs


# ---------------------------------------------------------------------------------------------
# An LLM editor behind any OpenAI-compatible chat-completions endpoint (e.g. a local vLLM server),
# checked: an answer that is not a minimal edit of clinical words only is refused and counted.

LLM_PROMPT = (
    "You correct a medical AI's answer against the reference answer. Change ONLY the clinically wrong words "
    "(side, location, finding, size, severity, organ, modality, presence/absence, counts); keep every other word, "
    "the order and the punctuation exactly. If the answer already agrees with the reference, return it unchanged. "
    "If you cannot tell, return exactly UNSURE. Return the corrected answer only, nothing else.")


def word_edits(a: str, b: str) -> tuple[int, int, list[str]]:
    """(word edit distance, longer length in words, the words that differ on either side)."""
    import difflib
    wa, wb = [m.group() for m in medpo._WORD.finditer(a)], [m.group() for m in medpo._WORD.finditer(b)]
    ops = [o for o in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes() if o[0] != "equal"]
    return (sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops), max(len(wa), len(wb), 1),
            [w for _, i1, i2, j1, j2 in ops for w in wa[i1:i2] + wb[j1:j2]])


def llm_editor(url: str, model: str = "", api_key: str = "", timeout: float = 60.0, max_words: int = 3):
    """editor(response, reference) -> corrected text | None, calling `url` (a base URL or the full
    .../chat/completions address). Refused edits are counted in editor.rejected."""
    import urllib.request
    endpoint = url if url.rstrip("/").endswith("/chat/completions") else url.rstrip("/") + "/v1/chat/completions"
    allowed = {s.lower() for alts in medpo.LEXICON.values() for a in alts for s in a for s in [s] + s.split()} | {
        "yes", "no", "not", "a", "an", "the", "there", "is", "are", "present", "absent", "seen", "shows", "show"}

    def edit(response: str, reference: str) -> str | None:
        body = {"model": model, "temperature": 0, "messages": [
            {"role": "system", "content": LLM_PROMPT},
            {"role": "user", "content": f"Reference answer: {reference}\nAI answer: {response}\nCorrected answer:"}]}
        req = urllib.request.Request(endpoint, json.dumps(body).encode(), {"Content-Type": "application/json"} | (
            {"Authorization": f"Bearer {api_key}"} if api_key else {}))
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = json.load(r)["choices"][0]["message"]["content"].strip()
        if text == "UNSURE" or not text:
            return None
        n, _, words = word_edits(response, text)
        ok_words = allowed | {w.lower() for w in medpo._WORD.findall(reference)}
        why = ("llm_edit_not_minimal" if n > max_words else "llm_edit_changes_non_clinical_words"
               if any(w.lower() not in ok_words and not w.isdigit() and w.isalnum() for w in words) else None)
        if why:
            edit.rejected[why] += 1
            return None
        return text
    edit.rejected = Counter()
    return edit


def pair_statistics(pairs: "Pairs") -> dict:
    """The numbers the paper reports: words changed and normalised word edit distance per pair
    (paper: on-policy ~1.3 words, 0.21; ground-truth pairs ~11.8 words, 0.98), share model-correct,
    and why samples were skipped."""
    eds = [word_edits(p["rejected"], p["chosen"])[:2] for p in pairs]
    tried = len(pairs) + sum(v for k, v in pairs.stats.items() if k.startswith("skipped"))
    return {"pairs": len(pairs), "words_changed": float(np.mean([e for e, _ in eds])) if eds else 0.0,
            "word_edit_distance": float(np.mean([e / n for e, n in eds])) if eds else 0.0,
            "model_correct_share": float(np.mean([p["model_correct"] for p in pairs])) if pairs else 0.0,
            "skipped_share": 1 - len(pairs) / max(tried, 1),
            "skipped": {k: v for k, v in pairs.stats.items() if k.startswith(("skipped", "llm"))}}


def make_pairs(data: str, model_id: str, out: str | Path, editor_url: str = "", editor_model: str = "",
               fmt: str = "medpo", **cfg_kw) -> dict:
    """Greedy-decode `model_id` on the samples, build pairs, write them with each v' precomputed as a
    PNG beside them (field corrupted_image), and print the pair statistics."""
    out = Path(out)
    cfg = medpo.Config(model_name_or_path=model_id, **cfg_kw)
    rows = read_samples(data)
    model, processor, _ = medpo.load_model(cfg, train=False)
    pairs = build_pairs(model, processor, rows, cfg, editor=llm_editor(editor_url, editor_model) if editor_url else None)
    for p in pairs:
        dst = out.parent / "vprime" / (re.sub(r"[^\w.-]", "_", str(p["id"])) + ".png")
        vis = load_images(p, cfg)["image_vis"]
        write_atomic(dst, lambda t, v=vis: v.save(t, format="PNG"))
        p["corrupted_image"], p["image"] = os.path.relpath(dst, out.parent), os.path.relpath(p["image"], out.parent)
        if (p.get("lesion") or {}).get("mask"):
            p["lesion"]["mask"] = os.path.relpath(p["lesion"]["mask"], out.parent)
        p["chosen_spans"], p["rejected_spans"] = [list(x) for x in p["chosen_spans"]], [list(x) for x in p["rejected_spans"]]
    write_jsonl(out, pairs)
    stats = pair_statistics(pairs)
    if fmt == "trl":
        trl = out.with_name(out.stem + ".trl.jsonl")
        write_jsonl(trl, [{"prompt": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": p["question"]}]}],
                           "chosen": [{"role": "assistant", "content": [{"type": "text", "text": p["chosen"]}]}],
                           "rejected": [{"role": "assistant", "content": [{"type": "text", "text": p["rejected"]}]}],
                           "images": [p["image"]]} for p in pairs])
        print(f"{trl}: TRL's conversational preference format. It cannot carry the edited spans or the corrupted "
              f"image v' (TRL repeats the same images for chosen and rejected): train with medpo.py to use them.")
    print(json.dumps(stats, indent=1))
    return stats


# ---------------------------------------------------------------------------------------------
# Real datasets, from their published layouts to the project's sample JSONL. Facts marked
# [inferred] were not confirmed from an official loader (see the project's DATA notes): the code
# says so where it relies on them and accepts both readings where the survey found two.

REPORT_PROMPT = "Write the findings and impression of the radiology report for this image."


class Report:
    """Rows read, written, and skipped by reason (with the first place each reason occurred)."""
    def __init__(self, name: str):
        self.name, self.read, self.written, self.skipped, self.first = name, 0, 0, Counter(), {}

    def skip(self, where: str, why: str) -> None:
        self.skipped[why] += 1
        self.first.setdefault(why, where)

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.read} rows read, {self.written} written, {sum(self.skipped.values())} skipped"]
        return "\n".join(lines + [f"  skipped {n}: {why} (first at {self.first[why]})" for why, n in self.skipped.items()])


def _first(root: Path, names: list[str], what: str) -> Path:
    for n in names:
        if (root / n).exists():
            return root / n
    raise ValueError(f"{root}: expected {what} at one of: {', '.join(names)} (is --root the dataset's top folder?)")


def _csv_rows(path: Path) -> list[dict]:
    import csv
    import gzip
    with (gzip.open(path, "rt", newline="") if path.suffix == ".gz" else open(path, newline="")) as f:
        return list(csv.DictReader(f))


class _PlainUnpickler(pickle.Unpickler):
    """Loads pickles of plain lists/dicts/strings only: any class or function is refused, so a
    tampered file cannot run code."""
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data; refusing to load it")


def _side(box, width: int) -> str:
    """Radiological convention: the patient's right is on the image's left."""
    return "right" if (box[0] + box[2]) / 2 < width / 2 else "left"


def _dicom_png(src: Path, dst: Path, max_size: int):
    """Write a DICOM (MONOCHROME1 inverted, VOI window) as 8-bit PNG, at most max_size px; returns the scale."""
    img = dicom_to_image(src)
    scale = min(1.0, max_size / max(img.size))
    if scale < 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.BILINEAR)
    if not dst.exists():
        write_atomic(dst, lambda t: img.save(t, format="PNG"))
    return scale


def _merge_boxes(boxes: list[list[float]], iou: float = 0.4) -> list[list[float]]:
    """Boxes of several readers for one finding: greedily cluster those overlapping by IoU >= iou
    and average each cluster's corners (one box per distinct region)."""
    def overlap(a, b):
        iw, ih = max(0, min(a[2], b[2]) - max(a[0], b[0])), max(0, min(a[3], b[3]) - max(a[1], b[1]))
        inter = iw * ih
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)
    clusters = []
    for b in boxes:
        for c in clusters:
            if overlap(np.mean(c, 0), b) >= iou:
                c.append(b)
                break
        else:
            clusters.append([b])
    return [[round(float(v), 1) for v in np.mean(c, 0)] for c in clusters]


def slake(root: Path, split: str, out: Path, lang: str = "en"):
    names = {"train": ["train.json"], "validate": ["validate.json", "validation.json"], "test": ["test.json"]}
    f = _first(root, names["validate" if split == "validation" else split], f"SLAKE's {split} split file")
    imgs = _first(root, ["imgs"], "SLAKE's imgs/ folder (unzip imgs.zip there)")
    mask_values = {}
    if (root / "mask.txt").exists():  # 'value:Name' per line
        for line in open(root / "mask.txt"):
            if ":" in line:
                v, n = line.strip().split(":", 1)
                mask_values[n.strip().lower()] = int(v)
    for i, r in enumerate(json.load(open(f))):
        where = f"{f}:[{i}]"
        if lang != "all" and r.get("q_lang") != lang:
            yield where, f"q_lang is not {lang}"
            continue
        if any(k not in r for k in ("img_name", "question", "answer", "qid")):
            yield where, "missing img_name/question/answer/qid"
            continue
        folder, text = imgs / Path(r["img_name"]).parent, f"{r['question']} {r['answer']}".lower()
        dets = []
        if (folder / "detection.json").exists():  # [{"Name": [x, y, w, h]}, ...]: x, y, w, h [inferred]
            dets = [(n, [x, y, x + w, y + h]) for d in json.load(open(folder / "detection.json")) for n, (x, y, w, h) in d.items()]
        named = [d for d in dets if d[0].lower() in text]  # 'liver cancer' named: drop the plain 'liver' box
        named = [d for d in named if not any(d[0].lower() in o[0].lower() != d[0].lower() for o in named)] or dets
        mask = None
        for name in sorted(mask_values, key=len, reverse=True):  # 'liver cancer' before 'liver'
            if name in text and (folder / "mask.png").exists():
                m = np.asarray(Image.open(folder / "mask.png").convert("L")) == mask_values[name]
                if m.any():
                    mask = out / "masks" / f"{folder.name}_{mask_values[name]}.png"
                    if not mask.exists():
                        write_atomic(mask, lambda t, m=m: Image.fromarray(m.astype(np.uint8) * 255).save(t, format="PNG"))
                    break
        lesion = {"boxes": [b for _, b in named], "mask": mask and str(mask), "labels": [n for n, _ in named]} \
            if named or mask else None
        yield where, {"id": f"slake:{r['qid']}", "image": str(imgs / r["img_name"]), "question": r["question"],
                      "answer": str(r["answer"]), "task": "vqa", "lesion": lesion,
                      "meta": {"dataset": "slake", "split": split, "modality": r.get("modality"), "location": r.get("location"),
                               "answer_type": r.get("answer_type"), "content_type": r.get("content_type")}}


def vqa_rad(root: Path, split: str, out: Path):
    f = _first(root, ["VQA_RAD Dataset Public.json", "VQA_RAD_Dataset_Public.json"], "VQA-RAD's public JSON")
    imgs = _first(root, ["VQA_RAD Image Folder", "VQA_RAD_Image_Folder", "images"], "VQA-RAD's image folder")
    phrases = {"train": ("freeform", "para"), "test": ("test_freeform", "test_para")}[split]
    for i, r in enumerate(json.load(open(f))):
        if r.get("phrase_type") not in phrases:
            continue  # the other split
        yield f"{f}:[{i}]", {"id": f"vqa-rad:{r.get('qid', i)}", "image": str(imgs / r["image_name"]),
                             "question": r["question"], "answer": str(r["answer"]).strip(), "task": "vqa", "lesion": None,
                             "meta": {"dataset": "vqa-rad", "split": split, "answer_type": r.get("answer_type"),
                                      "organ": r.get("image_organ"), "question_type": r.get("question_type")}}


def path_vqa(root: Path, split: str, out: Path):
    split = {"validate": "val", "validation": "val"}.get(split, split)
    pkl = [root / sub / "qas" / split / f"{split}_qa.pkl" for sub in ("", "pvqa")]
    pkl = next((p for p in pkl if p.exists()), None)
    if pkl:  # list of {'image', 'question', 'answer'} or LXMERT-style {'img_id', 'sent', 'label': {answer: score}}
        imgs = pkl.parents[2] / "images" / split
        for i, r in enumerate(_PlainUnpickler(open(pkl, "rb")).load()):
            img = r.get("image", r.get("img_id"))
            ans = r.get("answer", max(r["label"], key=r["label"].get) if r.get("label") else None)
            q = r.get("question", r.get("sent"))
            if img is None or q is None or ans is None:
                yield f"{pkl}:[{i}]", "missing image/question/answer"
                continue
            yield f"{pkl}:[{i}]", {"id": f"path-vqa:{split}:{i}", "image": str(imgs / f"{img}.jpg"), "question": q,
                                   "answer": str(ans), "task": "vqa", "lesion": None,
                                   "meta": {"dataset": "path-vqa", "split": split,
                                            "answer_type": "CLOSED" if str(ans).lower() in ("yes", "no") else "OPEN"}}
        return
    import pyarrow.parquet as pq
    names = {"val": ("val", "validation")}.get(split, (split,))
    files = sorted(p for n in names for p in list(root.glob(f"{n}-*.parquet")) + list(root.glob(f"*/{n}-*.parquet")))
    if not files:
        raise ValueError(f"{root}: expected PathVQA as qas/{split}/{split}_qa.pkl (+ images/{split}/) or as "
                         f"{split}-*.parquet (optionally under data/)")
    for f in files:
        for i, r in enumerate(pq.read_table(f).to_pylist()):
            where, b = f"{f}:[{i}]", (r.get("image") or {}).get("bytes")
            if not b:
                yield where, "no image bytes"
                continue
            import io
            dst = out / "images" / "path-vqa" / f"{f.stem}_{i}.{(Image.open(io.BytesIO(b)).format or 'png').lower()}"
            if not dst.exists():
                write_atomic(dst, lambda t, b=b: Path(t).write_bytes(b))
            ans = str(r["answer"])
            yield where, {"id": f"path-vqa:{f.stem}:{i}", "image": str(dst), "question": r["question"], "answer": ans,
                          "task": "vqa", "lesion": None, "meta": {"dataset": "path-vqa", "split": split,
                          "answer_type": "CLOSED" if ans.lower() in ("yes", "no") else "OPEN"}}


def iu_xray(root: Path, split: str, out: Path, views: str = "first"):
    f = _first(root, ["annotation.json"], "R2Gen's annotation.json")
    imgs = _first(root, ["images"], "R2Gen's images/ folder")
    data = json.load(open(f)).get({"validate": "val", "validation": "val"}.get(split, split))
    if data is None:
        raise ValueError(f"{f}: has no '{split}' key (expected train, val, test)")
    for i, r in enumerate(data):
        for v, p in enumerate(r["image_path"][: 1 if views == "first" else None]):
            yield f"{f}:{split}[{i}]", {"id": f"iu-xray:{r['id']}" + (f":{v}" if views == "both" else ""),
                                        "image": str(imgs / p), "question": REPORT_PROMPT, "answer": r["report"],
                                        "task": "report", "lesion": None, "meta": {"dataset": "iu-xray", "split": split, "view": v}}


def _report_sections(text: str) -> str:
    """'Findings: ... Impression: ...' from a MIMIC-CXR free-text report (upper-case SECTION: headers)."""
    parts = {}
    for m in re.finditer(r"(FINDINGS|IMPRESSION):(.*?)(?=\n\s*[A-Z][A-Z /]+:|\Z)", text, re.S):
        parts[m.group(1).capitalize()] = " ".join(m.group(2).split())
    return " ".join(f"{k}: {v}" for k, v in parts.items() if v)


def mimic_cxr(root: Path, split: str, out: Path, views: str = "PA,AP", reports: str = ""):
    split = {"val": "validate", "validation": "validate"}.get(split, split)  # MIMIC says 'validate'
    sp = _csv_rows(_first(root, ["mimic-cxr-2.0.0-split.csv.gz", "mimic-cxr-2.0.0-split.csv"], "the split CSV"))
    meta = {r["dicom_id"]: r for r in _csv_rows(_first(root, ["mimic-cxr-2.0.0-metadata.csv.gz",
                                                               "mimic-cxr-2.0.0-metadata.csv"], "the metadata CSV"))}
    sectioned = {}
    if reports and reports.endswith(".csv"):  # MIT-LCP's create_section_files.py output: study, impression, findings
        sectioned = {r["study"]: " ".join(f"{k.capitalize()}: {r[k].strip()}" for k in ("findings", "impression")
                                          if r.get(k, "").strip()) for r in _csv_rows(Path(reports))}
    rep_root = Path(reports) if reports and not reports.endswith(".csv") else root
    for i, r in enumerate(sp):
        if r["split"] != split:
            continue
        where, m = f"split.csv:{i + 2}", meta.get(r["dicom_id"], {})
        if views and m.get("ViewPosition") not in views.split(","):
            yield where, f"view {m.get('ViewPosition') or 'unknown'} not in {views}"
            continue
        subj, study = r["subject_id"], r["study_id"]
        rel = Path("files") / f"p{subj[:2]}" / f"p{subj}" / f"s{study}"
        txt = rep_root / rel.parent / f"s{study}.txt"
        report = sectioned.get(f"s{study}") if sectioned else (_report_sections(txt.read_text()) if txt.exists() else None)
        if not report:
            yield where, "no report (or no findings/impression section)"
            continue
        yield where, {"id": f"mimic-cxr:{r['dicom_id']}", "image": str(root / rel / f"{r['dicom_id']}.jpg"),
                      "question": REPORT_PROMPT, "answer": report, "task": "report", "lesion": None,
                      "meta": {"dataset": "mimic-cxr", "split": split, "view": m.get("ViewPosition"), "study_id": study}}


def _box_questions(name: str, ds: str, split: str, image: str, findings: dict, width: int, absent: str = "abnormality"):
    """Presence and location questions from box labels; findings = {finding: [boxes]}, {} = `absent` is absent."""
    meta = {"dataset": ds, "split": split}
    if not findings:
        yield {"id": f"{name}:absent", "image": image, "question": f"Is there {'any ' * (absent == 'abnormality')}"
               f"{absent} in this chest X-ray?", "answer": f"No, there is no {absent}.", "task": "vqa", "lesion": None,
               "meta": meta | {"answer_type": "CLOSED"}}
    for f, boxes in findings.items():
        sides = {_side(b, width) for b in boxes}
        where = f"the {sides.pop()} lung" if len(sides) == 1 else "both lungs"
        les = {"boxes": boxes, "mask": None, "labels": [f] * len(boxes)}
        key = f.lower().replace(" ", "_").replace("/", "_")
        yield {"id": f"{name}:{key}:presence", "image": image, "question": f"Is there {f.lower()} in this chest X-ray?",
               "answer": f"Yes, there is {f.lower()}.", "task": "vqa", "lesion": les, "meta": meta | {"answer_type": "CLOSED"}}
        yield {"id": f"{name}:{key}:location", "image": image, "question": f"Where is the {f.lower()}?",
               "answer": f"The {f.lower()} is in {where}.", "task": "vqa", "lesion": les, "meta": meta | {"answer_type": "OPEN"}}


def _hash_split(key: str, split: str, test_share: float = 0.1) -> bool:
    """A fixed split for datasets that publish labels for one split only (by a hash of the id)."""
    import zlib
    return (zlib.crc32(key.encode()) % 1000 < test_share * 1000) == (split == "test")


def vindr_cxr(root: Path, split: str, out: Path, max_size: int = 1024):
    """VinDr-CXR: the Kaggle train.csv (x_min, y_min, x_max, y_max corners, 3 readers) or PhysioNet's
    annotations/annotations_{split}.csv; DICOM images under {split}/ (or train/ with a hash split)."""
    f = _first(root, [f"annotations/annotations_{split}.csv", "train.csv"], "VinDr's box CSV")
    rows, kaggle = _csv_rows(f), f.name == "train.csv"
    by_image = {}
    for r in rows:
        by_image.setdefault(r["image_id"], {})
        if r.get("x_min") and r["class_name"] != "No finding":
            by_image[r["image_id"]].setdefault(r["class_name"], []).append(
                [float(r["x_min"]), float(r["y_min"]), float(r["x_max"]), float(r["y_max"])])
    folder = root / ("train" if kaggle else split)
    for img_id, found in by_image.items():
        if kaggle and not _hash_split(img_id, split):
            continue
        src = next((folder / f"{img_id}{e}" for e in (".dicom", ".dcm", ".png") if (folder / f"{img_id}{e}").exists()), None)
        if src is None:
            yield f"{f}:{img_id}", "image missing"
            continue
        dst, scale = src, 1.0
        if src.suffix != ".png":
            dst = out / "images" / "vindr-cxr" / f"{img_id}.png"
            scale = _dicom_png(src, dst, max_size)
        width = Image.open(dst).width
        found = {k: [[v * scale for v in b] for b in _merge_boxes(v)] for k, v in found.items()}
        for row in _box_questions(f"vindr-cxr:{img_id}", "vindr-cxr", split, str(dst), found, width):
            yield f"{f}:{img_id}", row


def rsna(root: Path, split: str, out: Path, max_size: int = 1024):
    """RSNA Pneumonia: x, y, width, height with x, y the TOP-LEFT corner (checked: max(x + w) = 1024);
    only training labels are public, so train/test is a fixed hash split of the patients."""
    f = _first(root, ["stage_2_train_labels.csv", "stage_1_train_labels.csv"], "RSNA's label CSV")
    imgs = _first(root, ["stage_2_train_images", "stage_1_train_images"], "RSNA's DICOM folder")
    by_patient = {}
    for r in _csv_rows(f):
        boxes = by_patient.setdefault(r["patientId"], [])
        if r.get("Target") == "1" and r.get("x"):
            x, y, w, h = (float(r[k]) for k in ("x", "y", "width", "height"))
            boxes.append([x, y, x + w, y + h])
    for pid, boxes in by_patient.items():
        if not _hash_split(pid, split):
            continue
        src = next((imgs / f"{pid}{e}" for e in (".dcm", ".png") if (imgs / f"{pid}{e}").exists()), None)
        if src is None:
            yield f"{f}:{pid}", "image missing"
            continue
        dst, scale = (src, 1.0) if src.suffix == ".png" else (out / "images" / "rsna" / f"{pid}.png", None)
        scale = scale or _dicom_png(src, dst, max_size)
        found = {"Pneumonia": [[v * scale for v in b] for b in boxes]} if boxes else {}
        for row in _box_questions(f"rsna:{pid}", "rsna", split, str(dst), found, Image.open(dst).width, "pneumonia"):
            yield f"{f}:{pid}", row


CONVERTERS = {"slake": slake, "vqa-rad": vqa_rad, "path-vqa": path_vqa, "iu-xray": iu_xray, "mimic-cxr": mimic_cxr,
              "vindr-cxr": vindr_cxr, "rsna": rsna}


def convert(dataset: str, root: str | Path, out: str | Path, split: str = "train", **kw) -> Report:
    """Convert one split of a dataset to the sample JSONL at `out`. Each image must exist and open;
    boxes are clipped to the image (a box wholly outside skips the row). Written atomically."""
    root, out = Path(root).expanduser(), Path(out)
    if not root.is_dir():
        raise ValueError(f"{root}: not a folder (--root must be the dataset's top folder)")
    rep, rows = Report(f"{dataset} {split}"), []
    for where, row in CONVERTERS[dataset](root, split, out.parent, **kw):
        rep.read += 1
        if isinstance(row, str):
            rep.skip(where, row)
            continue
        try:
            with Image.open(row["image"]) as im:
                size = im.size
                im.verify()
        except FileNotFoundError:
            rep.skip(where, "image missing")
            continue
        except Exception as e:  # truncated or not an image: PIL raises many kinds
            rep.skip(where, f"image unreadable ({type(e).__name__})")
            continue
        les = row.get("lesion")
        if les and les.get("boxes"):
            keep = [[max(0, b[0]), max(0, b[1]), min(size[0], b[2]), min(size[1], b[3])] for b in les["boxes"]]
            keep = [b for b in keep if b[2] > b[0] and b[3] > b[1]]
            if not keep:
                rep.skip(where, "lesion box outside the image")
                continue
            les["boxes"] = keep
        for k in ("image",):
            row[k] = os.path.relpath(row[k], out.parent)
        if les and les.get("mask"):
            les["mask"] = os.path.relpath(les["mask"], out.parent)
        rows.append(row)
    rep.written = len(rows)
    write_jsonl(out, rows)
    return rep


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("demo", help="write the demo world (train.jsonl, test.jsonl, images/)")
    d.add_argument("--out", required=True, help="output folder")
    d.add_argument("--seed", type=int, default=0, help="same seed, same files byte for byte")
    t = sub.add_parser("tiny", help="build a tiny VLM warmed up on the demo world")
    t.add_argument("--out", required=True, help="cache folder (the model goes to OUT/tiny-ARCH)")
    t.add_argument("--arch", default="qwen2.5-vl", choices=TINY_ARCHS, help="architecture")
    pp = sub.add_parser("pairs", help="greedy-decode a model on samples and write on-policy pairs (+ v')")
    pp.add_argument("--data", required=True, help="sample JSONL")
    pp.add_argument("--model", required=True, help="HF id or local folder of the model that answers")
    pp.add_argument("--out", required=True, help="pair JSONL; v' images go to vprime/ beside it")
    pp.add_argument("--editor", default="", help="URL of an OpenAI-compatible chat endpoint (default: the rule editor)")
    pp.add_argument("--editor_model", default="", help="model name to send to the editor endpoint")
    pp.add_argument("--format", default="medpo", choices=["medpo", "trl"], help="trl: also write TRL's preference format")
    pp.add_argument("--max_new_tokens", type=int, default=48, help="longest answer generated")
    for name in CONVERTERS:
        c = sub.add_parser(name, help=f"convert {name} to the sample JSONL")
        c.add_argument("--root", required=True, help="the dataset's top folder, in its published layout")
        c.add_argument("--out", required=True, help="output JSONL (image paths are written relative to it)")
        c.add_argument("--split", default="train", help="train, validate/val or test (as the dataset names them)")
        if name == "slake":
            c.add_argument("--lang", default="en", help="q_lang to keep: en, zh or all")
        if name in ("iu-xray",):
            c.add_argument("--views", default="first", choices=["first", "both"], help="one row per study, or per view")
        if name == "mimic-cxr":
            c.add_argument("--views", default="PA,AP", help="ViewPosition values to keep ('' = all)")
            c.add_argument("--reports", default="", help="reports folder (files/pXX/...txt) or mimic_cxr_sectioned.csv")
        if name in ("vindr-cxr", "rsna"):
            c.add_argument("--max_size", type=int, default=1024, help="DICOMs are written as PNG at most this size")
    a = ap.parse_args(argv)
    if a.cmd == "demo":
        paths = make_demo(a.out, seed=a.seed)
        print({k: sum(1 for _ in open(v)) for k, v in paths.items()}, "samples written to", a.out)
    elif a.cmd == "tiny":
        print("tiny model in", tiny_model(Path(a.out), a.arch))
    elif a.cmd == "pairs":
        make_pairs(a.data, a.model, a.out, a.editor, a.editor_model, a.format, max_new_tokens=a.max_new_tokens)
    elif a.cmd in CONVERTERS:
        kw = {k: v for k, v in vars(a).items() if k not in ("cmd", "root", "out", "split")}
        print(convert(a.cmd, a.root, a.out, a.split, **kw))


if __name__ == "__main__":
    main()
