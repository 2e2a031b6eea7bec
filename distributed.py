"""Several processes: what medpo.py's loop calls at a few named points so that N processes train
as one. One process (python medpo.py) passes through every function here unchanged.

  torchrun --nproc_per_node=N medpo.py ...            # DDP: each rank holds the whole model
  torchrun --nproc_per_node=N medpo.py --fsdp true    # FSDP2: the decoder sharded over ranks

accelerate joins the process group (gloo on CPU, nccl on GPU) and supplies the collectives
(gather_object, reduce, wait_for_everyone, no_sync). Every rank runs every forward and backward,
evaluates, and stops at the same step boundary; rank 0 writes files. With --fsdp, rank 0 alone
reads the weights and sends each rank its shard (torch's fully_shard, FSDP2), and checkpoints
gather weights and optimizer state whole.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter

import torch
import torch.distributed as dist
from accelerate import Accelerator
from accelerate.utils import DistributedType, gather_object, reduce
from torch.distributed.checkpoint import state_dict as dcp
from torch.distributed.fsdp import fully_shard
from torch.distributed.tensor import DTensor
from transformers import AutoConfig, AutoModelForImageTextToText, GenerationConfig

from checks import InputError
from vlm import DEVICE, LANGUAGE_MODEL, model_parts


def start_processes(cfg):
    """(rank, world size, accelerator). One process: (0, 1, None). Under torchrun or accelerate
    launch: accelerate joins the process group and gives each rank its device; the world it
    sees must be the one launched."""
    world = int(os.environ.get("WORLD_SIZE", 1))
    if world == 1:
        if cfg.fsdp:
            raise InputError(
                "--fsdp true shards over several processes: torchrun --nproc_per_node N "
                "medpo.py ..., or accelerate launch --num_processes N medpo.py ..."
            )
        return 0, 1, None
    accelerator = Accelerator(cpu=DEVICE == "cpu")
    kind = accelerator.distributed_type
    if kind not in (DistributedType.MULTI_CPU, DistributedType.MULTI_GPU):
        raise InputError(
            f"accelerate is set up for {kind}: this loop runs DDP, or FSDP2 with --fsdp true "
            "(it shards weights, gradients and optimizer state, as ZeRO-3 does); run "
            "`accelerate config` for multi-GPU without DeepSpeed or FSDP, or use torchrun"
        )
    if accelerator.num_processes != world:
        raise RuntimeError(
            f"{world} processes launched, accelerate sees {accelerator.num_processes}"
        )
    if cfg.fsdp and cfg.merge:
        raise InputError(
            "--merge true with --fsdp true: the adapter is saved; merge it afterwards on one "
            "device (peft's merge_and_unload)"
        )
    return accelerator.process_index, world, accelerator


def is_main_process() -> bool:
    """Rank 0, or the only process: the one that speaks for them all."""
    return os.environ.get("RANK", "0") == "0"


def load_for_sharding(path: str, kw: dict):
    """The model to be sharded (distribute): rank 0 reads the weights into CPU memory; the other
    ranks build its modules without weights (on the meta device) and receive their shards from
    rank 0, instead of each reading the whole model."""
    if is_main_process():
        return AutoModelForImageTextToText.from_pretrained(path, **kw).to("cpu")
    config = AutoConfig.from_pretrained(path, **kw)
    with torch.device("meta"):
        model = AutoModelForImageTextToText.from_config(
            config, dtype=kw["dtype"], trust_remote_code=kw["trust_remote_code"]
        )
    with contextlib.suppress(OSError):  # the model's own generation settings, if it has them
        model.generation_config = GenerationConfig.from_pretrained(path, **kw)
    return model


def distribute(cfg, model, ref_model, accelerator) -> torch.nn.Module:
    """What the policy's pass goes through. One process: the decoder body. DDP: the body wrapped
    by accelerate, so that each backward averages the gradients over the ranks. --fsdp: the
    policy (and a full fine-tune's reference copy) sharded in place onto the devices, from the
    weights rank 0 read; the body's sharded backward averages likewise. Call before the
    optimizer is built."""
    body = model_parts(model)[1]
    if accelerator is None:
        return body
    if not cfg.fsdp:
        return accelerator.prepare_model(body)
    for each in (model, ref_model):
        if each is not None:
            shard_from_rank0(each)
    return body


def shard_from_rank0(model) -> None:
    """Shard the model (shard_decoder) onto the devices. Rank 0 read the weights; the other
    ranks built the model empty (load_for_sharding) and receive their shards, and every buffer
    whole, from rank 0. The parameters take rank 0's dtypes first, so that the ranks agree."""
    first = dist.get_rank() == 0
    state = model.state_dict() if first else {}
    dtypes = [{n: p.dtype for n, p in model.named_parameters()}]
    dist.broadcast_object_list(dtypes, src=0)
    for name, p in model.named_parameters():
        p.data = p.data.to(dtypes[0][name])
    shard_decoder(model)
    if first:
        model.to(DEVICE)  # the parts left whole (the LM head) follow the shards
    else:
        model.to_empty(device=DEVICE)
    options = dcp.StateDictOptions(full_state_dict=True, broadcast_from_rank0=True)
    dcp.set_model_state_dict(model, state, options=options)
    for buffer in model.buffers():  # rotary tables and the like: not in the state dict
        dist.broadcast(buffer, src=0)


def shard_decoder(model) -> None:
    """FSDP2 over the ranks, in place: each layer of the text decoder, then the body, which keeps
    the rest (vision tower, projector, embeddings, norms). The root and the frozen LM head stay
    whole: the loss reads the head's weight. Parameter names do not change. From here on every
    rank must make the same forward calls."""
    body = model_parts(model)[1]
    for name, module in body.named_modules():
        if LANGUAGE_MODEL.search(name) and name.endswith(".layers"):
            for layer in module:
                fully_shard(layer)
    fully_shard(body)


@contextlib.contextmanager
def unsharded(body):
    """The body's own weights gathered whole (FSDP), for a call that is not its forward."""
    if not is_sharded(body):
        yield
        return
    body.unshard()
    try:
        yield
    finally:
        body.reshard()


def is_sharded(model) -> bool:
    """FSDP has sharded the model: each forward then needs every rank."""
    return any(isinstance(p, DTensor) for p in model.parameters())


def whole(tensor: torch.Tensor) -> torch.Tensor:
    """The whole tensor of a sharded parameter (every rank must call), else the tensor itself."""
    return tensor.full_tensor() if isinstance(tensor, DTensor) else tensor


# -------------------------------------------------------------------------------------------------
# The loop's named points. `run` is medpo's Run: cfg, model, body, optimizer, rank, world,
# accelerator.


def gather(run, items: list) -> list:
    """Every rank's items, rank by rank, on every rank."""
    return items if run.world == 1 else gather_object(items)


def barrier(run) -> None:
    """Every rank has arrived here."""
    if run.world > 1:
        run.accelerator.wait_for_everyone()


@contextlib.contextmanager
def gradient_sync(run, sync: bool):
    """DDP and FSDP reduce the gradients over the ranks in backward; a rank's micro-batches
    before its last in a step only accumulate them."""
    if run.world == 1 or sync:
        yield
    elif not run.cfg.fsdp:
        with run.accelerator.no_sync(run.body):
            yield
    else:
        run.body.set_requires_gradient_sync(False)
        try:
            yield
        finally:
            run.body.set_requires_gradient_sync(True)


def any_rank(run, flag: bool) -> bool:
    """Whether the flag is set on any rank (every rank must call)."""
    if run.world == 1:
        return flag
    return bool(reduce(torch.tensor(float(flag), device=DEVICE), reduction="sum") > 0)


def all_ranks(flag: bool) -> bool:
    """Whether the flag is set on every rank (a collective when several processes run)."""
    if not dist.is_initialized():
        return flag
    found = torch.tensor(float(flag), device=DEVICE)
    dist.all_reduce(found, op=dist.ReduceOp.MIN)
    return bool(found)


def check_same_weights(run) -> None:
    """DDP keeps a copy of the weights on each rank: the copies must end equal."""
    if run.world == 1 or run.cfg.fsdp:
        return
    sums = gather(
        run, [[float(p.detach().double().sum()) for p in run.model.parameters() if p.requires_grad]]
    )
    if any(s != sums[0] for s in sums):
        raise RuntimeError("the ranks ended with different weights")


def build_on_ranks(run, build, samples: list[dict], journal):
    """(pairs, stats) of build(samples, journal=...) -> (pairs, stats) over the ranks, every rank
    getting all pairs in the samples' order. DDP: each rank answers its share, with a journal of
    its own. FSDP: a sharded model needs every rank in each forward, so every rank answers every
    sample, rank 0 keeps the journal, and every rank takes rank 0's pairs."""
    if run.world == 1:
        return build(samples, journal=journal)
    if not run.cfg.fsdp:
        mine = journal and journal.with_name(f"{journal.name}.rank{run.rank}")
        parts = gather(run, [build(samples[run.rank :: run.world], journal=mine)])
        place = {s["id"]: i for i, s in enumerate(samples)}  # the samples' order, as on one rank
        pairs = sorted((p for part, _ in parts for p in part), key=lambda p: place[p["id"]])
        return pairs, sum((stats for _, stats in parts), Counter())
    barrier(run)  # every rank has read the journal before rank 0 adds to it
    result = [build(samples, journal=journal if run.rank == 0 else None)]
    dist.broadcast_object_list(result, src=0)
    return result[0]


def optimizer_state(run) -> dict:
    """The optimizer's state dict; under FSDP gathered whole from the ranks' shards (a collective:
    every rank calls), keyed by parameter name."""
    if not run.cfg.fsdp:
        return run.optimizer.state_dict()
    gathered = dcp.StateDictOptions(full_state_dict=True, cpu_offload=True)
    return dcp.get_optimizer_state_dict(run.model, run.optimizer, options=gathered)


def load_weights_and_optimizer(run, weights: dict, optimizer: dict) -> None:
    """Load whole trainable weights and a whole optimizer state; under FSDP each rank keeps its
    shard of them."""
    if not run.cfg.fsdp:
        run.model.load_state_dict(weights, strict=False)
        run.optimizer.load_state_dict(optimizer)
        return
    options = dcp.StateDictOptions(full_state_dict=True, strict=False)
    dcp.set_model_state_dict(run.model, weights, options=options)
    dcp.set_optimizer_state_dict(run.model, run.optimizer, optimizer, options=options)


def final_state_dict(run) -> dict | None:
    """The weights final/ saves, gathered whole under FSDP (every rank calls): the adapter's
    trainable weights, or a full fine-tune's model; None on one process or DDP (the model's
    own state dict is whole)."""
    if not run.cfg.fsdp:
        return None
    if run.ref_model is None:
        return {n: whole(p).cpu() for n, p in run.model.named_parameters() if p.requires_grad}
    gathered = dcp.StateDictOptions(full_state_dict=True, cpu_offload=True)
    return dcp.get_model_state_dict(run.model, options=gathered)


def end(run) -> None:
    """Leave the process group after the last collective, every rank together: a rank that tears
    its connections down while another still holds them can abort the other at exit."""
    if run.world > 1:
        dist.barrier()
        dist.destroy_process_group()
