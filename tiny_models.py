"""Tiny offline VLMs: the real architectures at toy size, with a BPE tokenizer trained on the demo
corpus, saved with save_pretrained so that the real from_pretrained path reads them back; and the
demo's own tiny LLaVA, warmed up on the demo world.

  python data_prep.py tiny --arch qwen2.5-vl --out DIR    # an untrained tiny model, seconds
  python data_prep.py tiny --out CACHE                    # the demo's warmed-up model, minutes
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    AutoModelForImageTextToText,
    AutoProcessor,
    CLIPImageProcessor,
    Gemma3Config,
    Gemma3ImageProcessor,
    Gemma3Processor,
    Idefics3Config,
    Idefics3ImageProcessor,
    Idefics3Processor,
    LlavaConfig,
    LlavaProcessor,
    PreTrainedTokenizerFast,
    Qwen2_5_VLConfig,
    Qwen2_5_VLProcessor,
    Qwen2VLConfig,
    Qwen2VLImageProcessor,
    Qwen2VLProcessor,
    Qwen3VLConfig,
    Qwen3VLProcessor,
    get_cosine_schedule_with_warmup,
)
from transformers.models.qwen2_vl.video_processing_qwen2_vl import Qwen2VLVideoProcessor
from transformers.models.qwen3_vl.video_processing_qwen3_vl import Qwen3VLVideoProcessor

from chat import chat_prompt
from checks import InputError
from clinical import lexicon_words
from demo import (
    DEMO_PRIOR,
    DEMO_QUESTIONS,
    DEMO_SPLITS,
    DEMO_WORLD,
    demo_answer,
    demo_backgrounds,
    demo_image,
    demo_kinds,
    demo_version,
)
from files import publish_folder


def _template(start: str, turn: str, end: str, image: str, assistant: str, user="user") -> str:
    """A chat template: start, then for each message turn (with {role}) + content + end; an
    image is written as `image`."""
    role = "{{ '%s' if m['role'] == 'assistant' else '%s' }}" % (assistant, user)
    content = (
        "{% if m['content'] is string %}{{ m['content'] }}{% else %}"
        "{% for c in m['content'] %}{% if c['type'] == 'image' %}" + image + "{% else %}"
        "{{ c['text'] }}{% endif %}{% endfor %}{% endif %}"
    )
    messages = (
        "{% for m in messages %}" + turn.replace("{role}", role) + content + end + "{% endfor %}"
    )
    generation = (
        "{% if add_generation_prompt %}" + turn.replace("{role}", assistant) + "{% endif %}"
    )
    return start + messages + generation


def train_tokenizer(corpus: list[str], specials: list[str], named: dict, vocab_size=512, **kw):
    """A byte-level BPE over the corpus, wrapped as a fast tokenizer (offsets work). named: the
    special tokens that get attributes (image_token, ...), which survive save and reload."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=specials, initial_alphabet=alphabet
    )
    tokenizer.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, extra_special_tokens=named, **kw)


def _ids(tokenizer) -> dict:
    """The token ids every text config needs."""
    return dict(
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id,
    )


QWEN_VISION = ("<|image_pad|>", "<|video_pad|>", "<|vision_start|>", "<|vision_end|>")


def _qwen_tokens(corpus):
    """(tokenizer, chat template, config token ids) in Qwen's ChatML style: the same for Qwen2-VL,
    Qwen2.5-VL and Qwen3-VL."""
    image, video, start, end = QWEN_VISION
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", start, end, image, video]
    tok = train_tokenizer(
        corpus, specials, {"image_token": image, "video_token": video},
        eos_token="<|im_end|>", pad_token="<|endoftext|>",
    )  # fmt: skip
    template = _template(
        "", "<|im_start|>{role}\n", "<|im_end|>\n", start + image + end, "assistant"
    )
    names = ("image_token_id", "video_token_id", "vision_start_token_id", "vision_end_token_id")
    ids = {k: tok.convert_tokens_to_ids(t) for k, t in zip(names, QWEN_VISION, strict=True)}
    return tok, template, ids


def _tiny_qwen(corpus, text: dict, two_five: bool, vocab_size: int, image_px: int):
    tok, template, ids = _qwen_tokens(corpus)
    head_dim = text["hidden_size"] // 4
    rope = {"rope_type": "default", "rope_theta": 10000.0}
    rope["mrope_section"] = [head_dim // 8, 3 * head_dim // 16, 3 * head_dim // 16]
    text = text | _ids(tok) | dict(vocab_size=max(vocab_size, len(tok)), bos_token_id=None)
    vision = dict(
        depth=2, hidden_size=64, intermediate_size=128, num_heads=4, patch_size=14,
        spatial_merge_size=2, temporal_patch_size=2,
    )  # fmt: skip
    if two_five:
        vision |= dict(
            out_hidden_size=text["hidden_size"], fullatt_block_indexes=[1], window_size=112
        )
    else:
        vision |= dict(embed_dim=64, mlp_ratio=2, hidden_size=text["hidden_size"])
    config_class = Qwen2_5_VLConfig if two_five else Qwen2VLConfig
    config = config_class(
        text_config=text | dict(rope_parameters=rope), vision_config=vision, **ids
    )
    processor_class = Qwen2_5_VLProcessor if two_five else Qwen2VLProcessor
    processor = processor_class(
        image_processor=Qwen2VLImageProcessor(min_pixels=56 * 56, max_pixels=image_px**2),
        tokenizer=tok,
        video_processor=Qwen2VLVideoProcessor(),
        chat_template=template,
    )
    return config, processor, tok


def _tiny_qwen3(corpus, text: dict, vocab_size: int, image_px: int):
    """Qwen3-VL (the paper's Qwen3-VL-4B-Instruct) at toy size, shaped like the 4B: 16 px patches
    merged 2 x 2, interleaved 3-D rope, deepstack (the vision tower's layers 0 and 1 added to the
    decoder's first two layers' image states), and the LM head tied to the embeddings."""
    tok, template, ids = _qwen_tokens(corpus)
    head_dim = text["hidden_size"] // text["num_attention_heads"]
    rope = {"rope_type": "default", "rope_theta": 5000000.0, "mrope_interleaved": True}
    rope["mrope_section"] = [head_dim // 4, head_dim // 8, head_dim // 8]  # 4B: [24, 20, 20]
    text = text | _ids(tok) | dict(vocab_size=max(vocab_size, len(tok)), bos_token_id=None)
    text |= dict(head_dim=head_dim, rope_parameters=rope, tie_word_embeddings=True)
    vision = dict(
        depth=2, hidden_size=64, intermediate_size=128, num_heads=4, patch_size=16,
        spatial_merge_size=2, temporal_patch_size=2, out_hidden_size=text["hidden_size"],
        num_position_embeddings=64, deepstack_visual_indexes=[0, 1],
    )  # fmt: skip
    config = Qwen3VLConfig(text_config=text, vision_config=vision, tie_word_embeddings=True, **ids)
    half = dict(image_mean=[0.5] * 3, image_std=[0.5] * 3)  # the 4B's normalisation
    image_processor = Qwen2VLImageProcessor(
        patch_size=16, min_pixels=64 * 64, max_pixels=image_px**2, **half
    )
    processor = Qwen3VLProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=Qwen3VLVideoProcessor(**half),
        chat_template=template,
    )
    return config, processor, tok


SIGLIP = dict(  # the vision tower of Gemma 3 and Idefics3, at toy size: 64 px, 8 px patches
    hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
    image_size=64, patch_size=8,
)  # fmt: skip


def _tiny_gemma3(corpus, text: dict):
    boi, eoi, image = "<start_of_image>", "<end_of_image>", "<image_soft_token>"
    specials = ["<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>", boi, eoi, image]
    named = {"boi_token": boi, "eoi_token": eoi, "image_token": image}
    tok = train_tokenizer(
        corpus, specials, named, bos_token="<bos>", eos_token="<end_of_turn>", pad_token="<pad>"
    )
    text = text | _ids(tok) | dict(head_dim=16, query_pre_attn_scalar=16, sliding_window=64)
    text["layer_types"] = ["sliding_attention", "full_attention"]
    config = Gemma3Config(
        text_config=text,
        vision_config=SIGLIP,
        mm_tokens_per_image=16,
        boi_token_index=tok.convert_tokens_to_ids(boi),
        eoi_token_index=tok.convert_tokens_to_ids(eoi),
        image_token_index=tok.convert_tokens_to_ids(image),
    )
    template = _template(
        "{{ bos_token }}", "<start_of_turn>{role}\n", "<end_of_turn>\n", boi, "model"
    )
    processor = Gemma3Processor(
        image_processor=Gemma3ImageProcessor(size={"height": 64, "width": 64}),
        tokenizer=tok,
        image_seq_length=16,
        chat_template=template,
    )
    return config, processor, tok


def _tiny_llava(corpus, text: dict, image_px: int, vision_hidden: int):
    """LLaVA: a CLIP vision tower (absolute position embeddings: it can tell left from right),
    patches of image_px / 7 px, all of its layers' output fed to the language model."""
    tok = train_tokenizer(
        corpus, ["<unk>", "<s>", "</s>", "<pad>", "<image>"], {"image_token": "<image>"},
        bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
    )  # fmt: skip
    patch = image_px // 7
    vision = dict(
        model_type="clip_vision_model", hidden_size=vision_hidden,
        intermediate_size=2 * vision_hidden, num_hidden_layers=2, num_attention_heads=4,
        image_size=image_px, patch_size=patch,
    )  # fmt: skip
    config = LlavaConfig(
        vision_config=vision,
        text_config=text | _ids(tok) | dict(model_type="llama"),
        image_token_id=tok.convert_tokens_to_ids("<image>"),
        vision_feature_layer=-1,
    )
    image_processor = CLIPImageProcessor(
        size={"shortest_edge": image_px}, crop_size={"height": image_px, "width": image_px}
    )
    processor = LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=patch,
        num_additional_image_tokens=1,
        vision_feature_select_strategy="default",
        chat_template=_template("", "{role}: ", "</s>\n", "<image>\n", "ASSISTANT", "USER"),
    )
    return config, processor, tok


def _tiny_idefics3(corpus, text: dict):
    specials = ["<|endoftext|>", "<|im_start|>", "<end_of_utterance>", "<fake_token_around_image>"]
    tok = train_tokenizer(
        corpus, specials + ["<image>", "<global-img>"], {"image_token": "<image>"},
        bos_token="<|im_start|>", eos_token="<end_of_utterance>", pad_token="<|endoftext|>",
    )  # fmt: skip
    config = Idefics3Config(
        vision_config=SIGLIP,
        text_config=text | _ids(tok) | dict(model_type="llama"),
        scale_factor=2,
        image_token_id=tok.convert_tokens_to_ids("<image>"),
    )
    image_processor = Idefics3ImageProcessor(
        do_image_splitting=False, size={"longest_edge": 64}, max_image_size={"longest_edge": 64}
    )
    template = _template(
        "<|im_start|>", "{role}:", "<end_of_utterance>\n", "<image>", "Assistant", "User"
    )
    processor = Idefics3Processor(
        image_processor=image_processor, tokenizer=tok, image_seq_len=16, chat_template=template
    )
    return config, processor, tok


TINY_ARCHS = ("qwen3-vl", "qwen2.5-vl", "qwen2-vl", "gemma3", "llava", "idefics3")


def build_tiny_vlm(
    arch: str, out: str | Path, corpus: list[str], seed=0, hidden=64, layers=2, vocab_size=0,
    image_px=112, vision_hidden=64,
) -> Path:  # fmt: skip
    """Save a randomly initialised tiny `arch` VLM and its processor to `out`: real transformers
    classes at toy size, a BPE tokenizer trained on `corpus`. hidden and layers size the text
    part; vocab_size above the tokenizer's widens the LM head (Qwen, for benchmarks); image_px
    is the largest image side the processor keeps (Qwen) or the image size (LLaVA), whose vision
    tower is vision_hidden wide."""
    torch.manual_seed(seed)
    text = dict(
        hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=layers,
        num_attention_heads=4, num_key_value_heads=2,
    )  # fmt: skip
    if arch in ("qwen2-vl", "qwen2.5-vl"):
        config, processor, tok = _tiny_qwen(
            corpus, text, arch == "qwen2.5-vl", vocab_size, image_px
        )
    elif arch == "qwen3-vl":  # the paper's Qwen3-VL-4B-Instruct
        config, processor, tok = _tiny_qwen3(corpus, text, vocab_size, image_px)
    elif arch == "gemma3":  # MedGemma's architecture
        config, processor, tok = _tiny_gemma3(corpus, text)
    elif arch == "llava":
        config, processor, tok = _tiny_llava(corpus, text, image_px, vision_hidden)
    elif arch == "idefics3":  # SmolVLM's architecture
        config, processor, tok = _tiny_idefics3(corpus, text)
    else:
        raise ValueError(f"unknown tiny architecture {arch!r}: expected one of {TINY_ARCHS}")
    model = AutoModelForImageTextToText.from_config(config)
    with torch.no_grad():  # Gemma 3 starts its image projection at zero: every image looks alike
        for p in model.parameters():
            if p.dim() > 1 and not p.any():
                p.normal_(0, 0.02)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    out = Path(out)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


DEMO_WARM_UP = dict(  # the tiny demo model's supervised warm-up: about 3 CPU-minutes
    steps=2400,
    batch=16,
    learning_rate=1e-3,  # cosine, 3% linear warm-up
    kinds={"presence": 1, "normal": 1, "side": 1.5, "size": 1.5},
)


def warm_up(model_dir: Path, seed: int = 0, steps=2400, batch=16, learning_rate=1e-3, kinds=None):
    """Supervised fine-tuning on fresh demo images, drawn with the warm-up's prior (DEMO_PRIOR),
    one question each (kind drawn with the `kinds` weights), loss on the answer tokens only.
    No image is used twice, and none is in a split: they come from a stream of their own."""
    torch.manual_seed(seed)
    model = AutoModelForImageTextToText.from_pretrained(model_dir)
    processor = AutoProcessor.from_pretrained(model_dir)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    scheduler = get_cosine_schedule_with_warmup(optimizer, int(0.03 * steps), steps)
    backgrounds, world = demo_backgrounds(), DEMO_WORLD | DEMO_PRIOR
    rng = np.random.default_rng([seed, len(DEMO_SPLITS)])  # not a split's stream
    weights = kinds or {k: 1.0 for k in DEMO_QUESTIONS}
    for _ in range(steps):
        examples = []
        for _ in range(batch):
            image, truth = demo_image(backgrounds, rng, world)
            kinds_here = demo_kinds(truth)
            p = np.array([weights[k] for k in kinds_here], dtype=float)
            kind = kinds_here[int(rng.choice(len(kinds_here), p=p / p.sum()))]
            examples.append(
                (image.convert("RGB"), DEMO_QUESTIONS[kind][0], demo_answer(kind, truth))
            )
        inputs, labels = _supervised_batch(processor, examples)
        model(**inputs, labels=labels).loss.backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    model.save_pretrained(model_dir)


def _supervised_batch(processor, examples: list[tuple]) -> tuple[dict, torch.Tensor]:
    """(image, question, answer) examples as model inputs, with labels on the answer tokens and
    the end of turn only (-100 elsewhere)."""
    tokenizer = processor.tokenizer
    prompts = [chat_prompt(processor, question) for _, question, _ in examples]
    answers = [answer + tokenizer.eos_token for _, _, answer in examples]
    inputs = processor(
        text=[p + a for p, a in zip(prompts, answers, strict=True)],
        images=[[image] for image, _, _ in examples],
        padding=True,
        return_tensors="pt",
    )
    labels = torch.full_like(inputs["input_ids"], -100)
    for i, answer in enumerate(answers):
        n = len(tokenizer(answer, add_special_tokens=False)["input_ids"])
        end = int(inputs["attention_mask"][i].sum())
        labels[i, end - n : end] = inputs["input_ids"][i, end - n : end]
    return inputs, labels


def demo_corpus() -> list[str]:
    """The text the tiny models' tokenizers are trained on: the demo's questions and answers,
    and every term of the rule editor's lexicon (planted errors then tokenize like answers)."""
    questions = [q for q, _, _ in DEMO_QUESTIONS.values()]
    answers = [c for _, _, choices in DEMO_QUESTIONS.values() for c in choices]
    return (questions + answers) * 20 + lexicon_words()


SHIPPED = Path(__file__).resolve().parent / "demo_model"  # the warmed-up model, as built here


def tiny_model(cache: Path, build: bool = False) -> Path:
    """The demo's tiny model: a LLaVA with a 128-wide, 2-layer language model and a 128-wide,
    2-layer CLIP vision tower on 112 px images (49 image tokens), warmed up (DEMO_WARM_UP).
    The repository ships it (demo_model/tiny-llava-<version>, 3 MB of safetensors): the warm-up
    takes minutes and rounds differently on another CPU, so the same seed builds another model
    elsewhere. With build, or when the demo's settings no longer match the shipped version, it
    is built under cache/tiny-llava-<version> once (into a temporary folder, then renamed)."""
    name = f"tiny-llava-{demo_version(DEMO_WARM_UP)}"
    if not build and (SHIPPED / name / "config.json").exists():
        return SHIPPED / name
    out = cache / name
    if not (out / "config.json").exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".tiny-llava."))
        build_tiny_vlm("llava", tmp, demo_corpus(), hidden=128, vision_hidden=128)
        warm_up(tmp, **DEMO_WARM_UP)
        if not out.exists():
            os.replace(tmp, out)
    return out


def tiny_arch_model(arch: str, out: Path) -> Path:
    """An untrained tiny `arch` model (TINY_ARCHS) in the new folder `out`, built offline in
    seconds: a smoke test of a pipeline on its target architecture (qwen3-vl for the paper's
    Qwen3-VL-4B) before the real model is downloaded. Its answers are noise; its first MedPO
    loss is (1 + gamma) ln 2 like any model's. Written into a temporary folder, then renamed."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"--out {out}: exists and is not an empty folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    build_tiny_vlm(arch, tmp, demo_corpus())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes a 0700 folder; give the usual permissions
    if out.exists():
        out.rmdir()
    publish_folder(tmp, out)
    return out
