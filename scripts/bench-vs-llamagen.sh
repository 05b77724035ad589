#!/usr/bin/env bash
# argrpo's GPT benchmark and the official LlamaGen side by side, in one run, one process at a time.
# Usage: scripts/bench-vs-llamagen.sh <LlamaGen checkout> [threads] [repeats]
#   The checkout: git clone https://github.com/FoundationVision/LlamaGen (only its .py files are used).
#   Python: Debian's PyTorch with OpenBLAS (apt-get install python3-torch libopenblas0-pthread: without
#   OpenBLAS it runs on the reference BLAS, 50-100x slower); PYTHON overrides /usr/bin/python3.
# Both sides: GPT-B c2i with random weights, 4 class conditions x 256 tokens with CFG 2.0 for sampling,
# 8 x 256 teacher-forced tokens + backward + AdamW for training, fp32 and bf16, the same threads, best of
# the repeats; each prints its own 2048 x 2048 matmul GFLOP/s so the two can be read against the machine.
# Run it on an idle machine (the load average is printed before each side): on 2 cores any other process
# changes both sides' figures several-fold.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
llamagen="${1:?usage: $0 <LlamaGen checkout> [threads] [repeats]}"
threads="${2:-2}"
repeats="${3:-2}"
python="${PYTHON:-/usr/bin/python3}"
[[ -f "$llamagen/autoregressive/models/gpt.py" ]] || { echo "$llamagen has no autoregressive/models/gpt.py" >&2; exit 2; }
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
echo "== argrpo (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# bf16-mixed (fp32 weights under bf16 autocast) is what the reference's bf16 training row runs
"$root/argrpo" bench gpt -- --threads "$threads" --repeats "$repeats" --precisions fp32,bf16,bf16-mixed
echo "== official LlamaGen (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# the same OpenMP setting as ./argrpo, so that the two sides differ only in their code
if [[ -z "${OMP_WAIT_POLICY:-}" ]]; then export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-3000}"; fi
"$python" "$root/argrpo-examples/src/test/python/llamagen_reference_bench.py" --llamagen "$llamagen" \
  --threads "$threads" --repeats "$repeats"
