#!/usr/bin/env python3
"""The official LlamaGen GPT at the settings of `argrpo bench gpt`, for a side-by-side run.

Imports LlamaGen's own `autoregressive/models/gpt.py` and `generate.py` from a checkout of
https://github.com/FoundationVision/LlamaGen (pass --llamagen DIR) and times, with random weights and
dropouts 0, on --threads intra-op threads:

- sampling: `generate(model, labels, 256, cfg_scale=2.0, temperature=1.0, top_k=0, top_p=1.0)` for
  --conditions class labels (the reference's own KV-cache decode loop and multinomial sampling);
  tokens/s = conditions x 256 / wall time of one call. bf16 casts the model as LlamaGen's
  sample_c2i.py does (`--precision bf16`: the weights and the KV cache in bf16).
- training: `model(cond_idx=c, idx=x[:, :-1], targets=x)` (train_c2i.py's call and loss), backward, one
  AdamW step with train_c2i.py's parameter groups (weight decay on 2-D tensors) and betas (0.9, 0.95);
  tokens/s = batch x 256 / wall time of one step. bf16 runs the forward under
  `torch.autocast("cpu", torch.bfloat16)` with fp32 master weights, as train_c2i.py's mixed precision.
- the 2048 x 2048 matmul GFLOP/s of this process, fp32 and bf16, as the yardstick of the run.

Best of --repeats timed runs after a short warm-up. Debian's PyTorch is 1.13, older than the code
expects; five small stand-ins are installed before the import, none of which changes what is computed
on the CPU: `F.scaled_dot_product_attention` written out (softmax(q k^T / sqrt(d) + mask) v, PyTorch
2's math path), `torch.backends.cuda.sdp_kernel` and `with torch.device(...)` as no-op contexts, and
empty `torch._dynamo.config` / `torch._inductor.config` modules (imported, not used, by generate.py),
and generate.py's int32 position tensor made int64 (1.13 indexes only with int64).

Debian's PyTorch calls the system BLAS (libblas.so.3): install OpenBLAS beside it
(`apt-get install python3-torch libopenblas0-pthread`), or fp32 runs on the reference BLAS at about
3 GFLOP/s; the script warns when it sees that.

Usage: python3 llamagen_reference_bench.py --llamagen /path/to/LlamaGen [--threads 2] [--repeats 2]
       [--precisions fp32,bf16] [--conditions 4] [--train-batch 8]
"""
import argparse
import contextlib
import math
import sys
import time
import types

import torch
import torch.nn.functional as F


def install_shims():
    """Lets LlamaGen's PyTorch-2 code import and run on PyTorch 1.13 (see the module docstring)."""
    if not hasattr(F, "scaled_dot_product_attention"):
        def sdpa(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False):
            s = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))
            if is_causal:
                keep = torch.ones(q.size(-2), k.size(-2), dtype=torch.bool, device=q.device).tril()
                s = s.masked_fill(~keep, float("-inf"))
            if attn_mask is not None:
                s = s.masked_fill(~attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else s + attn_mask
            p = torch.softmax(s, dim=-1)
            if dropout_p > 0:
                p = F.dropout(p, dropout_p)
            return torch.matmul(p, v)
        F.scaled_dot_product_attention = sdpa
    try:   # 1.13 has an earlier sdp_kernel without enable_mem_efficient; it sets CUDA flags only
        with torch.backends.cuda.sdp_kernel(enable_flash=False, enable_mem_efficient=False, enable_math=True):
            pass
    except (AttributeError, TypeError):
        torch.backends.cuda.sdp_kernel = lambda **kw: contextlib.nullcontext()
    for name in ("torch._dynamo", "torch._dynamo.config", "torch._inductor", "torch._inductor.config"):
        if name not in sys.modules:
            try:
                __import__(name)
            except ImportError:
                sys.modules[name] = types.ModuleType(name)
    try:
        with torch.device("cpu"):
            pass
    except (AttributeError, TypeError):
        return True   # generate.py's `with torch.device(device):` needs the proxy below
    return False


class _TorchWithDeviceContext(types.ModuleType):
    """torch, except that torch.device(...) also works as a (no-op) context manager and int32 index
    tensors are made int64."""

    def __init__(self):
        super().__init__("torch")

    def __getattr__(self, name):
        return getattr(torch, name)

    @staticmethod
    def device(*args, **kwargs):
        return contextlib.nullcontext(torch.device(*args, **kwargs))

    @staticmethod
    def tensor(data, *args, **kwargs):
        # generate.py keeps the decode position as an int32 tensor and indexes with it; 1.13 indexes only
        # with int64 (the same positions)
        if kwargs.get("dtype") is torch.int:
            kwargs["dtype"] = torch.long
        return torch.tensor(data, *args, **kwargs)


def matmul_gflops(dtype, n=2048, reps=5):
    a = torch.randn(n, n).to(dtype)
    b = torch.randn(n, n).to(dtype)
    torch.matmul(a, b)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


def build(gpt, preset, dtype):
    torch.manual_seed(0)
    model = gpt.GPT_models[preset](vocab_size=16384, block_size=256, num_classes=1000, cls_token_num=1,
                                   model_type="c2i", resid_dropout_p=0.0, ffn_dropout_p=0.0,
                                   token_dropout_p=0.0)
    # initialize_weights zeroes the output head, which would make every logit 0: random like the rest
    torch.nn.init.normal_(model.output.weight, std=0.02)
    return model.to(dtype)


def bench_sampling(gpt, gen, args, precision):
    model = build(gpt, args.preset, torch.bfloat16 if precision == "bf16" else torch.float32).eval()
    labels = torch.arange(args.conditions) % 1000
    gen.generate(model, labels, 8, cfg_scale=args.cfg, temperature=1.0, top_k=0, top_p=1.0, sample_logits=True)
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        out = gen.generate(model, labels, 256, cfg_scale=args.cfg, temperature=1.0, top_k=0, top_p=1.0,
                           sample_logits=True)
        best = min(best, time.perf_counter() - t0)
        assert out.shape == (args.conditions, 256), out.shape
    return args.conditions * 256 / best


def bench_training(gpt, args, precision):
    model = build(gpt, args.preset, torch.float32).train()
    decay = [p for p in model.parameters() if p.requires_grad and p.dim() >= 2]
    rest = [p for p in model.parameters() if p.requires_grad and p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95))
    g = torch.Generator().manual_seed(1)
    x = torch.randint(16384, (args.train_batch, 256), generator=g)
    c = torch.randint(1000, (args.train_batch,), generator=g)
    ctx = torch.autocast("cpu", dtype=torch.bfloat16) if precision == "bf16" else contextlib.nullcontext()

    def step():
        with ctx:
            _, loss = model(cond_idx=c, idx=x[:, :-1], targets=x)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    step()
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - t0)
    return args.train_batch * 256 / best


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--llamagen", required=True, help="a checkout of FoundationVision/LlamaGen")
    p.add_argument("--preset", default="GPT-B")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--precisions", default="fp32,bf16")
    p.add_argument("--conditions", type=int, default=4)
    p.add_argument("--cfg", type=float, default=2.0)
    p.add_argument("--train-batch", type=int, default=8)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    need_proxy = install_shims()
    sys.path.insert(0, args.llamagen)
    from autoregressive.models import generate as gen
    from autoregressive.models import gpt
    if need_proxy:
        gen.torch = _TorchWithDeviceContext()
    print(f"official LlamaGen {args.preset} (random weights), PyTorch {torch.__version__}, {args.threads} threads")
    rows = []
    for precision in args.precisions.split(","):
        dtype = torch.bfloat16 if precision == "bf16" else torch.float32
        mm = matmul_gflops(dtype)
        if precision == "fp32" and mm < 20:
            print(f"warning: fp32 matmul runs at {mm:.1f} GFLOP/s: Debian's PyTorch uses the libblas.so.3 that "
                  "update-alternatives points at, and the reference BLAS is 50-100x slower than OpenBLAS "
                  "(apt-get install libopenblas0-pthread)", file=sys.stderr, flush=True)
        s = bench_sampling(gpt, gen, args, precision)
        t = bench_training(gpt, args, precision)
        rows.append((precision, mm, s, t))
        print(f"{precision}: matmul {mm:.0f} GFLOP/s, sampling {s:.1f} tokens/s "
              f"({args.conditions} x 256, CFG {args.cfg}), training {t:.1f} tokens/s ({args.train_batch} x 256)",
              flush=True)
    print("\n| precision | matmul GFLOP/s | sampling tokens/s | training tokens/s |\n| --- | --- | --- | --- |")
    for precision, mm, s, t in rows:
        print(f"| {precision} | {mm:.0f} | {s:.1f} | {t:.1f} |")


if __name__ == "__main__":
    main()
