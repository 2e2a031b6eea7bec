"""A run's numbers: the rows of metrics.jsonl (step_metrics, token_metrics), where they go
beside it (--report_to: Tracker, fed by MetricsLog), and the model card of final/.

  tracker = Tracker(cfg.report_to, cfg.output_dir, asdict(cfg))
  tracker.log(row, step)                      # the numbers of a metrics.jsonl row
  tracker.log_text("eval/answers", text, step)  # a few sample answers
  tracker.close()

none: nothing. tensorboard: event files under <output_dir>/runs/, offline (tensorboard --logdir
<output_dir>/runs). wandb, trackio: through their own init / log / finish, project "medpo" (or
WANDB_PROJECT / TRACKIO_PROJECT), the run named after the output folder. Only rank 0 should make
a Tracker.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import json
import numbers
import os
import resource
from dataclasses import asdict
from pathlib import Path

import numpy as np
import yaml
from tqdm import tqdm

from files import read_jsonl, write_jsonl

BACKENDS = ("none", "tensorboard", "wandb", "trackio")
CITATION = """@article{medpo2026,
  title   = {Analyzing and Improving Fine-grained Preference Optimization in Medical LVLMs},
  journal = {arXiv preprint arXiv:2606.12590},
  year    = {2026}
}"""


def tracker_missing(report_to: str) -> bool:
    """A --report_to whose package is not installed (found without importing it): refused at
    once, before a model is loaded (checks.check_flags)."""
    return report_to != "none" and importlib.util.find_spec(report_to) is None


def check_backend(report_to: str) -> None:
    """Refuse a --report_to that is unknown or whose package is not installed (ValueError)."""
    if report_to not in BACKENDS:
        raise ValueError(f"--report_to {report_to}: expected one of {', '.join(BACKENDS)}")
    if tracker_missing(report_to):
        raise ValueError(f"--report_to {report_to}: pip install {report_to}")


class Tracker:
    """Logs the numbers of each metrics.jsonl row, and sample answers as text, to one backend.
    resume_step: the step a resumed run restarts after (tensorboard drops its later events)."""

    def __init__(self, report_to: str, out_dir: str | Path, config: dict, resume_step: int = 0):
        check_backend(report_to)
        self.report_to, self._writer, self._run = report_to, None, None
        out = Path(out_dir)
        if report_to == "tensorboard":
            from torch.utils.tensorboard import SummaryWriter

            purge = resume_step + 1 if resume_step else None
            self._writer = SummaryWriter(log_dir=str(out / "runs"), purge_step=purge)
            self._writer.add_text("config", _flag_table(config))
        elif report_to != "none":
            self._module = importlib.import_module(report_to)
            project = os.environ.get(f"{report_to.upper()}_PROJECT", "medpo")
            kw = dict(project=project, name=out.resolve().name, config=_plain(config))
            if report_to == "wandb":
                out.mkdir(parents=True, exist_ok=True)
                kw["dir"] = str(out)
            self._run = self._module.init(**kw)

    def log(self, row: dict, step: int) -> None:
        """The row's numbers at this step; its other values (text, lists) are left out, and so is
        its "step", the x axis (trackio reserves the name)."""
        values = {k: float(v) for k, v in row.items() if isinstance(v, numbers.Real)}
        values.pop("step", None)
        if self._writer is not None:
            for key, value in values.items():
                self._writer.add_scalar(key, value, global_step=step)
        elif self._run is not None:
            self._run.log(values, step=step)

    def log_text(self, name: str, text: str, step: int) -> None:
        """A text (sample answers), shown as written."""
        if self._writer is not None:
            self._writer.add_text(name, "    " + text.replace("\n", "\n    "), global_step=step)
        elif self._run is not None and self.report_to == "wandb":
            self._run.log({name: self._module.Html(f"<pre>{html.escape(text)}</pre>")}, step=step)
        elif self._run is not None:  # trackio
            self._run.log({name: self._module.Markdown(f"```\n{text}\n```")}, step=step)

    def close(self) -> None:
        """Flush and finish (a second call does nothing)."""
        if self._writer is not None:
            self._writer.close()
        elif self._run is not None:
            self._run.finish()
        self._writer = self._run = None

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class MetricsLog:
    """metrics.jsonl, one row per optimizer step, the --report_to tracker (with the scored sample
    answers of an evaluation as text) and the progress bar; rank 0 writes. On resume it keeps the
    rows of the steps that the checkpoint holds (a torn last line is dropped)."""

    def __init__(self, run):
        self.path, self.enabled = run.out / "metrics.jsonl", run.rank == 0
        if self.enabled:
            rows = read_jsonl(self.path, True) if self.path.exists() else []
            write_jsonl(self.path, [r for r in rows if r["step"] <= run.state.step])
        report_to = run.cfg.report_to if self.enabled else "none"
        self.tracker = Tracker(report_to, run.out, asdict(run.cfg), run.state.step)
        quiet = None if self.enabled else True  # None: shown on a terminal, not in a notebook
        self.bar = tqdm(total=run.total_steps, initial=run.state.step, desc="medpo", disable=quiet)

    def write(self, row: dict) -> None:
        if self.enabled:
            with open(self.path, "a") as f:
                f.write(json.dumps(row) + "\n")
            self.tracker.log(row, row["step"])
            if row.get("eval/examples"):
                self.tracker.log_text(
                    "eval/examples", examples_text(row["eval/examples"]), row["step"]
                )
        self.bar.update()
        self.bar.set_postfix(loss=f"{row['loss']:.4f}", margin=f"{row['rewards/margins']:.3f}")

    def close(self) -> None:
        self.bar.close()
        self.tracker.close()

    def __enter__(self) -> MetricsLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def examples_text(rows: list[dict]) -> str:
    """Scored sample answers (rows of scores.score) as plain text."""
    return "\n\n".join(
        f"Q: {r['question']}\nReference: {r['reference']}\nAnswer: {r['answer']}\n"
        f"Judged: {r['right']} ({r['why']})"
        for r in rows
    )


def token_metrics(batch, kl_tokens: int, n_pairs: int) -> dict:
    """A micro-batch's token counts: weighted tokens per chosen and per rejected answer (the
    first two branches of batch), KL tokens per pair, and tokens in the batch."""
    weighted = [int((a.weights != 0).sum()) for a in batch.answers]
    return {
        "tokens/weighted_chosen": float(np.mean(weighted[:n_pairs])),
        "tokens/weighted_rejected": float(np.mean(weighted[n_pairs : 2 * n_pairs])),
        "tokens/kl": kl_tokens / n_pairs,
        "tokens/batch": batch.tokens,
    }


def peak_memory_gb() -> float:
    """Peak GPU memory on CUDA, else the process's peak resident memory (ru_maxrss is in KiB)."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**30
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def step_metrics(run, parts: list[dict], grad_norm, skipped: bool, seconds: float) -> dict:
    """The metrics.jsonl row of an optimizer step: step, learning rate, gradient norm, whether
    the update was skipped, each micro-batch metric averaged, time, throughput, peak memory."""
    row = {"step": run.state.step, "lr": run.optimizer.param_groups[0]["lr"]}
    row |= {"grad_norm": float(grad_norm), "skipped": int(skipped)}
    for key in parts[0]:
        row[key] = float(np.mean([p[key] for p in parts if key in p]))
    row["step_time_s"] = seconds
    row["tokens_per_s"] = sum(p["tokens/batch"] for p in parts) / max(seconds, 1e-9)
    row["peak_mem_gb"] = peak_memory_gb()
    return row


def summary_numbers(result: dict) -> dict:
    """The numbers of a command's result, nested dicts kept, floats to 4 decimals; lists and
    text left out: what the command line prints."""
    out = {}
    for key, value in result.items():
        if isinstance(value, dict) and (inner := summary_numbers(value)):
            out[key] = inner
        elif isinstance(value, bool):
            out[key] = value
        elif isinstance(value, numbers.Real):
            out[key] = int(value) if isinstance(value, numbers.Integral) else round(float(value), 4)
    return out


def _plain(config: dict) -> dict:
    """The config with every value a JSON type (paths and the like as text)."""
    return json.loads(json.dumps(config, default=str))


def _cell(value) -> str:
    """A value for a Markdown table cell: numbers to 4 digits, text as code, '|' escaped."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return str(value)
    return "`" + str(value).replace("|", "\\|") + "`" if str(value) else ""


def _markdown_table(rows: dict[str, list], header: tuple[str, ...]) -> str:
    """A Markdown table: one row per key, its values in the following columns."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, cells in rows.items():
        lines.append(f"| {key} | " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _flag_table(cfg: dict) -> str:
    return _markdown_table({f"--{k}": [v] for k, v in _plain(cfg).items()}, ("flag", "value"))


def _score_table(scores: dict) -> str:
    """Scores as a table: one column, or one per phase where scores holds phases of numbers
    ({"eval_before": {...}, "eval_after": {...}}: columns before, after)."""
    phases = {k: v for k, v in scores.items() if isinstance(v, dict)}
    if not phases:
        numbers_only = {k: [v] for k, v in scores.items() if isinstance(v, numbers.Real)}
        return _markdown_table(numbers_only, ("score", "value"))
    keys = [k for p in phases.values() for k, v in p.items() if isinstance(v, numbers.Real)]
    rows = {k: [p.get(k, "") for p in phases.values()] for k in dict.fromkeys(keys)}
    header = [name.removeprefix("eval_") for name in phases]
    return _markdown_table(rows, ("score", *header))


def _how_to_load(base_model: str, adapter: bool) -> str:
    if not adapter:
        return (
            "from transformers import AutoModelForImageTextToText, AutoProcessor\n\n"
            'model = AutoModelForImageTextToText.from_pretrained("path/to/final")\n'
            'processor = AutoProcessor.from_pretrained("path/to/final")'
        )
    return (
        "from peft import PeftModel\n"
        "from transformers import AutoModelForImageTextToText, AutoProcessor\n\n"
        f'base = AutoModelForImageTextToText.from_pretrained("{base_model}")\n'
        'model = PeftModel.from_pretrained(base, "path/to/final")\n'
        'processor = AutoProcessor.from_pretrained("path/to/final")'
    )


def model_card(cfg: dict, base_model: str, data: str, scores: dict | None) -> str:
    """README.md of the final folder: YAML front matter (base_model, library_name, tags), what was
    trained on what, the flags, the scores (before and after, where given), how to load it, and
    the citation."""
    adapter = not cfg.get("full_finetune") and not cfg.get("merge")
    front = dict(base_model=base_model, library_name="peft" if adapter else "transformers")
    front |= dict(pipeline_tag="image-text-to-text", tags=["medpo", "dpo", "medical"])
    kind = "a LoRA adapter for" if adapter else "a fine-tuned copy of"
    parts = [
        f"---\n{yaml.safe_dump(front, sort_keys=False)}---",
        f"# {base_model}, trained with MedPO",
        f"This folder holds {kind} `{base_model}`, trained with MedPO (fine-grained, on-policy,"
        " visually grounded preference optimisation for medical vision-language models, arXiv"
        f" 2606.12590) on `{data}`.",
        "## Training flags",
        _flag_table(cfg),
    ]
    if scores:
        parts += ["## Scores", _score_table(scores)]
    code = _how_to_load(base_model, adapter)
    parts += [
        "## How to load it",
        f"```python\n{code}\n```",
        "## Citation",
        f"```bibtex\n{CITATION}\n```",
    ]
    return "\n\n".join(parts) + "\n"
