"""Crash-safe runs: checkpoints that resume exactly, a stop at a step boundary on SIGINT or
SIGTERM, journals that let an interrupted pair build continue, and the output folder's checks.

A checkpoint-<step>/ folder holds the trainable weights (safetensors), the optimizer state and the
loop's position (trainer_state.pt) and each rank's RNG state (rng-rank<r>.pt). It is written under
a temporary name, flushed, then renamed into place; a crash at any point leaves the newest
complete checkpoint readable. Everything is read back as tensors and plain types only
(torch.load(weights_only=True)): no code in a checkpoint file can run. accelerate's save_state is
not used: its RNG file is read with weights_only and an allow-list, but objects registered for
checkpointing are read back with weights_only=False (any pickle).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import signal
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from checks import InputError
from distributed import (
    any_rank,
    barrier,
    check_same_weights,
    final_state_dict,
    load_weights_and_optimizer,
    optimizer_state,
    whole,
)
from files import publish_folder, read_jsonl, write_atomic, write_jsonl
from tracking import model_card
from vlm import DEVICE

# Flags a resumed run may change; every other flag must be the saved run's.
RESUMABLE = {"resume", "max_steps", "save_steps", "save_total_limit", "eval_data", "eval_limit"}
RESUMABLE |= {"eval_steps", "report_to", "config"}


@dataclass
class TrainState:
    """Where a run stands; saved in every checkpoint."""

    step: int = 0  # optimizer steps done (skipped ones included)
    round: int = 0  # the on-policy round in progress
    round_step: int = 0  # optimizer steps done in this round
    bad_in_a_row: int = 0  # steps skipped for a non-finite loss or gradient, in a row
    pair_stats: dict = field(default_factory=dict)  # how this round's pairs were made


def save_checkpoint(run) -> Path:
    """checkpoint-<step>/ of medpo's Run: trainable weights, optimizer, position and each rank's
    RNG; then the 'latest' pointer, and only then the oldest checkpoints beyond save_total_limit
    go. Weights that are not finite are never saved. Every rank calls; rank 0 writes."""
    final = run.out / f"checkpoint-{run.state.step:06d}"
    tmp = final.with_name(final.name + ".tmp")
    if final.exists():  # this very step is saved already
        return final
    weights = {
        n: whole(p).detach().cpu().contiguous()
        for n, p in run.model.named_parameters()
        if p.requires_grad
    }
    if not all(torch.isfinite(w).all() for w in weights.values()):
        raise FloatingPointError(f"step {run.state.step}: the weights are not finite; not saved")
    optimizer = optimizer_state(run)
    if run.rank == 0:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    barrier(run)
    torch.save(rng_state(), tmp / f"rng-rank{run.rank}.pt")
    barrier(run)
    if run.rank == 0:
        save_file(weights, tmp / "trainable.safetensors")
        torch.save({"optimizer": optimizer, "state": asdict(run.state)}, tmp / "trainer_state.pt")
        publish_folder(tmp, final)
        write_atomic(run.out / "latest", lambda t: Path(t).write_text(final.name))
        prune(run.out, run.cfg.save_total_limit)
    barrier(run)
    return final


def save_config(run) -> None:
    """run_config.json: the run's flags, which a resumed run must repeat (check_output_dir)."""
    if run.rank == 0:
        text = json.dumps(asdict(run.cfg), indent=1)
        write_atomic(run.out / "run_config.json", lambda t: Path(t).write_text(text))


def save_final(run, summary: dict, rounds: list[list[dict]]) -> None:
    """The end of a run: the last checkpoint is saved already; then final/ (the adapter, or with
    --merge the merged model, or a full fine-tune's model; the processor; a model card),
    pairs.jsonl (every round's pairs) and summary.json. Every rank calls (FSDP gathers the
    weights whole); rank 0 writes."""
    check_same_weights(run)
    state = final_state_dict(run)
    if run.rank != 0:
        return
    model = run.model
    if run.cfg.merge and run.ref_model is None:
        model = run.model.merge_and_unload()
    model.save_pretrained(run.out / "final", state_dict=state)
    run.processor.save_pretrained(run.out / "final")
    base = card_name(run.cfg.model_name_or_path)
    phases = {k: v for k, v in summary.items() if k.startswith("eval_")}  # before and after
    card = model_card(asdict(run.cfg), base, run.cfg.data, phases)
    write_atomic(run.out / "final" / "README.md", lambda t: Path(t).write_text(card))
    files = sorted((run.out / "rounds").glob("pairs_*.jsonl"))  # or a given pair file's rows
    pairs = [p for f in files for p in read_jsonl(f)] or [p for r in rounds for p in r]
    write_jsonl(run.out / "pairs.jsonl", pairs)
    summary["pairs"] = len(pairs)
    summary["world_size"] = run.world
    text = json.dumps(summary, indent=1)
    write_atomic(run.out / "summary.json", lambda t: Path(t).write_text(text))


def card_name(model: str) -> str:
    """The base model as a model card names it: 'tiny' is the demo's shipped tiny LLaVA."""
    return "MedPO's demo tiny LLaVA (demo_model/)" if model == "tiny" else model


def prune(out: Path, keep: int) -> None:
    """Delete all but the newest `keep` complete checkpoints, each by an atomic rename first, so
    that none is ever seen half-deleted."""
    for old in complete_checkpoints(out)[keep:]:
        gone = old.with_name(old.name + ".deleting")
        os.rename(old, gone)
        shutil.rmtree(gone)


def load_checkpoint(run, folder: Path) -> dict:
    """Restore what save_checkpoint wrote into the run's model, optimizer and RNG; returns the
    saved loop position (TrainState's fields)."""
    weights = load_file(folder / "trainable.safetensors", device=DEVICE)
    trainable = {n for n, p in run.model.named_parameters() if p.requires_grad}
    if trainable - set(weights):
        missing = min(trainable - set(weights))
        raise InputError(f"{folder} does not match this model: trainable {missing} is missing")
    saved = torch.load(folder / "trainer_state.pt", weights_only=True)
    load_weights_and_optimizer(run, weights, saved["optimizer"])
    rng = torch.load(folder / f"rng-rank{run.rank}.pt", weights_only=True)
    torch.set_rng_state(rng["torch"])
    if "cuda" in rng:
        torch.cuda.set_rng_state(rng["cuda"])
    print(f"resumed from {folder} at step {saved['state']['step']}")
    return saved["state"]


def complete_checkpoints(out: Path) -> list[Path]:
    """The checkpoint folders that were published whole, newest first."""
    found = [p for p in out.glob("checkpoint-*") if re.fullmatch(r"checkpoint-\d+", p.name)]
    return sorted(found, key=lambda p: int(p.name.split("-")[1]), reverse=True)


def rng_state() -> dict:
    state = {"torch": torch.get_rng_state()}
    if DEVICE == "cuda":
        state["cuda"] = torch.cuda.get_rng_state()
    return state


def finite_step(run, parts: list[dict], grad_norm: torch.Tensor) -> bool:
    """Whether this step's loss terms (parts: every micro-batch's metrics) and gradient norm are
    finite. A step that is not is skipped (no update); after 3 such steps in a row, or at once
    with --nan_policy stop, the run stops with the last good checkpoint kept."""
    bad = sorted(
        {k for p in parts for k, v in p.items() if k.startswith("loss") and not math.isfinite(v)}
    )
    bad += [] if torch.isfinite(grad_norm) else ["grad_norm"]
    run.state.bad_in_a_row = run.state.bad_in_a_row + 1 if bad else 0
    if bad and (run.cfg.nan_policy == "stop" or run.state.bad_in_a_row >= 3):
        raise FloatingPointError(
            f"step {run.state.step + 1}: {', '.join(bad)} not finite ({run.state.bad_in_a_row} in "
            f"a row); stopped, the last good checkpoint is kept ({run.out})"
        )
    return not bad


def step_boundary(run) -> None:
    """After an optimizer step: a checkpoint every --save_steps; and if a stop signal arrived (on
    any rank), a checkpoint of this step boundary, then KeyboardInterrupt."""
    stop = any_rank(run, bool(run.stop_signal))
    if stop or run.state.step % run.cfg.save_steps == 0:
        folder = save_checkpoint(run)
    if stop:
        raise KeyboardInterrupt(
            f"{run.stop_signal or 'a signal on another rank'}: stopped after step "
            f"{run.state.step}, saved in {folder}; rerun with --resume true to continue"
        )


@contextlib.contextmanager
def stop_at_step_boundary(run):
    """SIGINT (Ctrl-C) and SIGTERM (what a cluster scheduler sends) set run.stop_signal: the loop
    finishes the current optimizer step, saves a checkpoint of that step boundary and stops. A
    second signal stops at once."""

    def handler(number, frame):
        if run.stop_signal:
            raise KeyboardInterrupt(f"{run.stop_signal} twice: stopped at once, mid-step")
        run.stop_signal = signal.Signals(number).name
        print(f"\n{run.stop_signal}: finishing step {run.state.step + 1}, then saving")

    saved = {}
    if threading.current_thread() is threading.main_thread():
        saved = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, previous in saved.items():
            signal.signal(number, previous)


def read_journal(journal: Path | None) -> dict:
    """The outcomes an interrupted pair build journaled, by sample id (a torn last line, from a
    crash mid-write, is dropped)."""
    if not (journal and journal.exists()):
        return {}
    return {r["id"]: r for r in read_jsonl(journal, torn_last_line_ok=True)}


def append_journal(journal: Path | None, record: dict) -> None:
    """Add one sample's outcome to the journal as soon as it is made."""
    if journal:
        journal.parent.mkdir(parents=True, exist_ok=True)
        with open(journal, "a") as f:
            f.write(json.dumps(record) + "\n")


def check_output_dir(cfg) -> Path:
    """The output folder: a folder that can be written (or made), holding no run unless resuming,
    and, when resuming, a run with the same flags (all but RESUMABLE). Nothing is written here."""
    out = Path(cfg.output_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--output_dir {out} is a file: expected a folder (it is made if missing)")
    parent = next(p for p in [out, *out.parents] if p.exists())
    if not (parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)):
        raise InputError(f"--output_dir {out}: {parent} is not a folder this user can write in")
    held = (out / "run_config.json").exists() or complete_checkpoints(out)
    if held and not cfg.resume:
        raise InputError(f"{out} holds a run: pass --resume true or choose another --output_dir")
    if held:
        saved = json.loads((out / "run_config.json").read_text())
        now = asdict(cfg)
        changed = [
            f"--{k} {saved[k]!r} (now {now.get(k)!r})"
            for k in saved
            if k not in RESUMABLE and saved[k] != now.get(k)
        ]
        if changed:
            raise InputError(f"--resume: {out} was run with other flags: {', '.join(changed)}")
    return out
