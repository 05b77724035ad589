#!/usr/bin/env python3
"""Checks this folder's T5 encoder fixtures against Hugging Face transformers' own T5EncoderModel.

T5EncoderParityTest holds the Java encoder to cases.safetensors (expected outputs of this project's
float64 reference of modeling_t5.py, make_t5_encoder_fixture.py) to 1e-5. This script closes the
loop where transformers can run (it needs torch >= 2.5, which this project's machines lack): it loads
gated/ and relu/ with T5EncoderModel.from_pretrained, runs the fixture inputs in float64, and
compares with the expected outputs. If both agree, the Java encoder agrees with transformers.

    python3 check_against_transformers.py        # exit status 0 when every case is within 1e-5
"""
import os
import sys

import torch
from safetensors.torch import load_file
from transformers import T5EncoderModel

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    cases = load_file(os.path.join(HERE, "cases.safetensors"))
    worst = 0.0
    for name in ("gated", "relu"):
        model = T5EncoderModel.from_pretrained(os.path.join(HERE, name), torch_dtype=torch.float64).eval()
        ids = cases[f"{name}.input_ids"].long()
        mask = cases[f"{name}.attention_mask"].long()
        with torch.no_grad():
            out = model(input_ids=ids, attention_mask=mask).last_hidden_state
        expected = cases[f"{name}.expected"].double()
        # every row, padded queries included, as T5EncoderParityTest compares them
        diff = (out - expected).abs().max().item()
        worst = max(worst, diff)
        print(f"{name}: max |transformers - reference| = {diff:.3e}")
    ok = worst <= 1e-5
    print("OK" if ok else "MISMATCH", f"(transformers {__import__('transformers').__version__}, torch {torch.__version__})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
