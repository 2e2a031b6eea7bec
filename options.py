"""The flags of serious runs that a reader of the method does not need: where text may be sent,
how the work is spread and made safe, how the loss is computed fast, what is evaluated and where
metrics go. medpo.Config adds the method's own flags to these; --help lists both.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from transformers import HfArgumentParser

from checks import InputError
from vlm import LORA_TARGET


def arg(default, help: str, **kw):
    """A Config field: its default, its --help text and, optionally, choices=[...]."""
    return field(default=default, metadata={"help": help, **kw})


@dataclass
class RunOptions:
    # models and files
    trust_remote_code: bool = arg(False, "allow model code from the hub (off: transformers' own)")
    config: str = arg("", "a YAML file of flags (flags on the command line win)")
    max_image_side: int = arg(1024, "images are downscaled to this longer side once (0: never)")
    max_completion_length: int = arg(256, "answers are cut to this many tokens")
    cache_dir: str = arg("~/.cache/medpo", "where the demo world and the tiny model are built once")
    # LoRA (the paper's; rank and alpha are medpo.Config's)
    lora_dropout: float = arg(0.05, "LoRA dropout")
    use_rslora: bool = arg(True, "rank-stabilised LoRA scaling alpha / sqrt(r)")
    lora_target: str = arg(LORA_TARGET, "regex of the modules that get LoRA")
    # LLM editor and judge (OpenAI-compatible chat endpoints; loopback only unless allowed)
    editor_url: str = arg("", "an LLM editor's endpoint (default: the rule editor)")
    editor_model: str = arg("", "model name sent to the LLM editor endpoint")
    editor_timeout: float = arg(60.0, "seconds to wait for one LLM reply (3 tries)")
    editor_allow_remote: bool = arg(False, "allow an LLM on another host: clinical text leaves")
    editor_plant: bool = arg(False, "the LLM editor also plants the error in right answers")
    judge_url: str = arg("", "an LLM judge's endpoint for open answers and reports (optional)")
    judge_model: str = arg("", "model name sent to the LLM judge endpoint")
    # scale and speed
    full_finetune: bool = arg(False, "train the language model's layers; reference: a frozen copy")
    gradient_checkpointing: bool = arg(False, "recompute activations in backward (big models)")
    fsdp: bool = arg(False, "several processes: shard the decoder over them (FSDP2), not DDP")
    fast_loss: bool = arg(True, "the fast exact loss path (false: plain_sums, full logits)")
    head_chunk: int = arg(256, "rows per LM-head chunk in the loss (memory ~ head_chunk x vocab)")
    share_prefix: bool = arg(True, "compute each image-and-question prompt once per step (exact)")
    # outputs, safety and tracking
    save_total_limit: int = arg(2, "keep the newest N checkpoints")
    nan_policy: str = arg("skip", "a non-finite loss or gradient: skip the update (stop after 3 "
                          "in a row) or stop at once", choices=["skip", "stop"])  # fmt: skip
    merge: bool = arg(False, "save the LoRA merged into the model instead of the adapter")
    eval_steps: int = arg(0, "also evaluate every N optimizer steps (0: before and after only)")
    report_to: str = arg("none", "where metrics go besides metrics.jsonl",
                         choices=["none", "tensorboard", "wandb", "trackio"])  # fmt: skip
    # the eval command
    predictions: str = arg("", "eval: score this JSONL of {id, answer}; no model is loaded")
    adapter: str = arg("", "eval: a trained adapter folder (final/) to put on the model")


COMMANDS = ("train", "pairs", "eval")


def parse_command_line(config_class, argv: list[str] | None = None):
    """(command, config) from `[train | pairs | eval] --flag value ...`. With --config FILE, the
    YAML file's flags come first and the command line's win."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv.pop(0) if argv[:1] and argv[0] in COMMANDS else "train"
    parser = HfArgumentParser(config_class)
    found = parser.parse_known_args(argv)[0]
    if getattr(found, "config", ""):
        path = Path(found.config)
        if not path.is_file():
            raise InputError(f"--config {path}: no such file (expected a YAML file of flags)")
        flags = yaml.safe_load(path.read_text()) or {}
        if not isinstance(flags, dict) or not all(isinstance(k, str) for k in flags):
            raise InputError(f"--config {path}: expected a YAML mapping of flag: value")
        unknown = sorted(set(flags) - {f.name for f in config_class.__dataclass_fields__.values()})
        if unknown:
            raise InputError(f"--config {path}: unknown flags {', '.join(unknown)}")
        parser.set_defaults(**flags)
    return command, parser.parse_args_into_dataclasses(args=argv)[0]
