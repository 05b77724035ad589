#!/usr/bin/env bash
# The short check to run on a CUDA machine with Java 17 and Maven (a few minutes, after the first
# download of the CUDA natives): builds the CUDA variant, runs the
# gpu-tagged tests (CUDA against CPU on tiny random models, sampling on the GPU, T5 and VQ on the GPU),
# then the GPT benchmark on the GPU. Results under ${OUT:-out}/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out}"
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || true
mvn -B -q -Pgpu -DskipTests install > "$out/build.log" 2>&1
mvn -B -Pgpu -Dargrpo.excludedGroups=slow -Dgroups=gpu -Dsurefire.failIfNoSpecifiedTests=false \
  -pl argrpo-models test > "$out/gpu-tests.log" 2>&1 || { tail -60 "$out/gpu-tests.log"; exit 1; }
grep -E "Tests run:|FAIL" "$out/gpu-tests.log" | tail -5
ARGRPO_MAVEN_ARGS=-Pgpu ./argrpo bench gpt -- --device cuda --repeats 2 > "$out/bench-gpt.log" 2>&1 || true
tail -20 "$out/bench-gpt.log"
