#!/usr/bin/python3
"""Writes the T5 encoder fixtures that T5EncoderParityTest reads.

An independent reference of Hugging Face's T5EncoderModel forward (transformers'
models/t5/modeling_t5.py, read for its semantics; no transformers needed), in float64 and in the
reference's bf16 arithmetic, on tiny random models saved under Hugging Face's names:

  gated/  config.json (gated-gelu, 3 layers) + model.safetensors, written by hand below, with a few
          decoder.* / lm_head.* tensors that the Java loader must skip; only shared.weight, as
          save_pretrained writes it (the tied encoder.embed_tokens.weight deduplicated).
  relu/   config.json (relu, 2 layers, no relative_attention_max_distance: the default 128) +
          pytorch_model.bin from torch.save(OrderedDict), with shared.weight and
          encoder.embed_tokens.weight the same tensor, as T5ForConditionalGeneration saves it.
  cases.safetensors  inputs, expected last_hidden_state, and bucket tables of several configs.

Weights are stored in bf16 (to keep the files small); the references use those exact values.

Run from anywhere with Debian's PyTorch: /usr/bin/python3 make_t5_encoder_fixture.py
"""

import collections
import json
import math
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

GATED = dict(vocab_size=100, d_model=32, d_kv=8, num_heads=4, num_layers=3, d_ff=48,
             feed_forward_proj="gated-gelu", layer_norm_epsilon=1e-6,
             relative_attention_num_buckets=32, relative_attention_max_distance=128)
RELU = dict(GATED, num_layers=2, feed_forward_proj="relu")
del RELU["relative_attention_max_distance"]  # old configs lack it; the default is 128

# (num_buckets, max_distance) pairs whose bidirectional bucket tables the Java test compares
BUCKET_CONFIGS = [(32, 128), (32, 64), (16, 20), (8, 16), (64, 256), (12, 50)]
BUCKET_RANGE = 200  # relative positions -200 .. 200


# ----------------------------------------------------------------------------------------------
# reference forward


def relative_bucket(rel, num_buckets, max_distance):
    """Bidirectional bucket of rel = key - query, in float32 like the reference's torch code."""
    half = num_buckets // 2
    out = (rel > 0).to(torch.long) * half
    dist = rel.abs()
    max_exact = half // 2
    log_part = torch.log(dist.float() / max_exact) / math.log(max_distance / max_exact) * (half - max_exact)
    large = torch.clamp(max_exact + log_part.to(torch.long), max=half - 1)
    return out + torch.where(dist < max_exact, dist, large)


def t5_norm(x, w, eps):
    # mean square in (at least) fp32; normalised value cast to the weight dtype if that is half
    acc = torch.float64 if x.dtype == torch.float64 else torch.float32
    var = x.to(acc).pow(2).mean(-1, keepdim=True)
    y = x * torch.rsqrt(var + eps)
    if w.dtype in (torch.bfloat16, torch.float16):
        y = y.to(w.dtype)
    return w * y


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def encoder_forward(sd, cfg, ids, mask, dtype, wo_fp32=False):
    w = {k: v.to(dtype) for k, v in sd.items()}
    if wo_fp32:
        w = {k: (v.to(torch.float32) if k.endswith(".wo.weight") else v) for k, v in w.items()}
    n_heads, d_kv = cfg["num_heads"], cfg["d_kv"]
    eps = cfg["layer_norm_epsilon"]
    gated = cfg["feed_forward_proj"].startswith("gated")
    b, length = ids.shape
    h = w["shared.weight"][ids]
    pos = torch.arange(length)
    buckets = relative_bucket(pos[None, :] - pos[:, None], cfg["relative_attention_num_buckets"],
                              cfg.get("relative_attention_max_distance", 128))
    bias = w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"][buckets]
    bias = bias.permute(2, 0, 1).unsqueeze(0)
    ext = (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
    bias = bias + ext
    soft = torch.float64 if dtype == torch.float64 else torch.float32
    for i in range(cfg["num_layers"]):
        p = "encoder.block.%d.layer." % i
        x = t5_norm(h, w[p + "0.layer_norm.weight"], eps)

        def heads(t):
            return t.view(b, length, n_heads, d_kv).transpose(1, 2)

        q = heads(x @ w[p + "0.SelfAttention.q.weight"].t())
        k = heads(x @ w[p + "0.SelfAttention.k.weight"].t())
        v = heads(x @ w[p + "0.SelfAttention.v.weight"].t())
        scores = q @ k.transpose(-1, -2)  # no 1/sqrt(d_kv)
        scores = scores + bias
        probs = torch.softmax(scores.to(soft), dim=-1).to(scores.dtype)
        att = (probs @ v).transpose(1, 2).reshape(b, length, n_heads * d_kv)
        h = h + att @ w[p + "0.SelfAttention.o.weight"].t()
        x = t5_norm(h, w[p + "1.layer_norm.weight"], eps)
        if gated:
            f = gelu_new(x @ w[p + "1.DenseReluDense.wi_0.weight"].t()) * (x @ w[p + "1.DenseReluDense.wi_1.weight"].t())
        else:
            f = torch.relu(x @ w[p + "1.DenseReluDense.wi.weight"].t())
        wo = w[p + "1.DenseReluDense.wo.weight"]
        f = f.to(wo.dtype)
        h = h + f @ wo.t()
    return t5_norm(h, w["encoder.final_layer_norm.weight"], eps)


# ----------------------------------------------------------------------------------------------
# weights


def random_weights(cfg, gen):
    d, inner, ff, n_heads = cfg["d_model"], cfg["num_heads"] * cfg["d_kv"], cfg["d_ff"], cfg["num_heads"]

    def normal(*shape, std):
        return (torch.randn(*shape, generator=gen, dtype=torch.float64) * std)

    def norm_weight():
        return 1.0 + normal(d, std=0.1)

    sd = collections.OrderedDict()
    sd["shared.weight"] = normal(cfg["vocab_size"], d, std=1.0)
    for i in range(cfg["num_layers"]):
        p = "encoder.block.%d.layer." % i
        # q and k larger than HF's init so that the scores, and with them the position bias and the
        # mask, visibly change the output
        sd[p + "0.SelfAttention.q.weight"] = normal(inner, d, std=0.15)
        sd[p + "0.SelfAttention.k.weight"] = normal(inner, d, std=0.15)
        sd[p + "0.SelfAttention.v.weight"] = normal(inner, d, std=d ** -0.5)
        sd[p + "0.SelfAttention.o.weight"] = normal(d, inner, std=inner ** -0.5)
        if i == 0:
            sd[p + "0.SelfAttention.relative_attention_bias.weight"] = normal(
                cfg["relative_attention_num_buckets"], n_heads, std=1.0)
        sd[p + "0.layer_norm.weight"] = norm_weight()
        if cfg["feed_forward_proj"].startswith("gated"):
            sd[p + "1.DenseReluDense.wi_0.weight"] = normal(ff, d, std=d ** -0.5)
            sd[p + "1.DenseReluDense.wi_1.weight"] = normal(ff, d, std=d ** -0.5)
        else:
            sd[p + "1.DenseReluDense.wi.weight"] = normal(ff, d, std=d ** -0.5)
        sd[p + "1.DenseReluDense.wo.weight"] = normal(d, ff, std=ff ** -0.5)
        sd[p + "1.layer_norm.weight"] = norm_weight()
    sd["encoder.final_layer_norm.weight"] = norm_weight()
    # stored in bf16: round once here so the references use exactly the stored values
    return collections.OrderedDict((k, v.to(torch.bfloat16)) for k, v in sd.items())


def decoder_extras(cfg, gen, lm_head):
    """A few tensors of a T5ForConditionalGeneration checkpoint that the encoder must skip."""
    d = cfg["d_model"]
    extras = collections.OrderedDict([("decoder.final_layer_norm.weight", torch.ones(d, dtype=torch.bfloat16))])
    if lm_head:
        extras["lm_head.weight"] = torch.randn(cfg["vocab_size"], d, generator=gen).to(torch.bfloat16)
    else:  # the relu checkpoint: a decoder projection instead, to keep the fixture small
        extras["decoder.block.0.layer.0.SelfAttention.q.weight"] = torch.randn(d, d, generator=gen).to(torch.bfloat16)
    return extras


# ----------------------------------------------------------------------------------------------
# safetensors, by hand: 8-byte little-endian header length, JSON header, raw little-endian data

DTYPES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.int64: "I64", torch.int8: "I8", torch.bool: "BOOL"}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = raw_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)  # the format pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for data in blobs:
            f.write(data)


def write_config(folder, cfg):
    os.makedirs(folder, exist_ok=True)
    full = dict(cfg)
    # keys a real config.json carries that the encoder does not use
    full.update(architectures=["T5ForConditionalGeneration"], model_type="t5", is_encoder_decoder=True,
                num_decoder_layers=cfg["num_layers"], tie_word_embeddings=False, dropout_rate=0.1,
                initializer_factor=1.0, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(full, f, indent=2, sort_keys=True)


# ----------------------------------------------------------------------------------------------


def main():
    gen = torch.Generator().manual_seed(20261128)
    cases = collections.OrderedDict()

    # gated-gelu (FLAN-T5): length 130 > max_distance 128; row 1 right-padded after 70 tokens
    sd = random_weights(GATED, gen)
    write_config(os.path.join(HERE, "gated"), GATED)
    write_safetensors(os.path.join(HERE, "gated", "model.safetensors"),
                      collections.OrderedDict(list(sd.items()) + list(decoder_extras(GATED, gen, lm_head=True).items())),
                      metadata={"format": "pt"})
    length = 130
    ids = torch.randint(2, GATED["vocab_size"], (2, length), generator=gen)
    mask = torch.ones(2, length, dtype=torch.int64)
    mask[1, 70:] = 0
    ids[1, 70:] = 0  # pad id
    cases["gated.input_ids"] = ids
    cases["gated.attention_mask"] = mask
    cases["gated.expected"] = encoder_forward(sd, GATED, ids, mask, torch.float64).to(torch.float32)
    cases["gated.expected_bf16"] = encoder_forward(sd, GATED, ids, mask, torch.bfloat16)
    cases["gated.expected_bf16_wo_fp32"] = encoder_forward(sd, GATED, ids, mask, torch.bfloat16, wo_fp32=True)

    # relu (original T5), saved with torch.save; row 0 left-padded
    sd = random_weights(RELU, gen)
    write_config(os.path.join(HERE, "relu"), RELU)
    full = collections.OrderedDict(sd)
    full["encoder.embed_tokens.weight"] = sd["shared.weight"]  # tied: one storage in the zip
    full.update(decoder_extras(RELU, gen, lm_head=False))
    torch.save(full, os.path.join(HERE, "relu", "pytorch_model.bin"))
    length = 32
    ids = torch.randint(2, RELU["vocab_size"], (2, length), generator=gen)
    mask = torch.ones(2, length, dtype=torch.bool)  # a bool mask, the other kind Java accepts
    mask[0, :9] = 0
    ids[0, :9] = 0
    cases["relu.input_ids"] = ids
    cases["relu.attention_mask"] = mask
    cases["relu.expected"] = encoder_forward(sd, RELU, ids, mask, torch.float64).to(torch.float32)

    rel = torch.arange(-BUCKET_RANGE, BUCKET_RANGE + 1)
    for nb, md in BUCKET_CONFIGS:
        cases["buckets.%d_%d" % (nb, md)] = relative_bucket(rel, nb, md).to(torch.int8)

    write_safetensors(os.path.join(HERE, "cases.safetensors"), cases,
                      metadata={"generator": "make_t5_encoder_fixture.py", "torch": torch.__version__})
    total = 0
    for root, _, files in os.walk(HERE):
        for name in files:
            if not name.endswith(".py"):
                total += os.path.getsize(os.path.join(root, name))
    print("fixture bytes:", total)


if __name__ == "__main__":
    main()
