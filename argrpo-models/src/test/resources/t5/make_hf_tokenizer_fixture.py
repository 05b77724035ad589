#!/usr/bin/env python3
"""Token ids of Hugging Face's T5 tokenizer (the `tokenizers` Unigram pipeline that `AutoTokenizer`
gives for google/flan-t5-xl) on this folder's `nfkc_t5ids` SentencePiece model, for comparison with
argrpo's plain-Java `T5Tokenizer`.

The tokenizer is converted from `spiece.model` by transformers itself (`T5Tokenizer.from_pretrained`
on a folder holding only the model file), with 100 sentinel ids, and called as LlamaGen calls it:
max_length=120, padding="max_length", truncation=True, add_special_tokens=True.

Inputs: every caption of ../text/caption_cleaner_cases.json (its input and its twice-cleaned output),
DrawBench and GenEval prompts from shared/data, and the strings of expected.json (the SentencePiece
fixture, with unusual whitespace on purpose).

Run (no PyTorch needed; transformers, tokenizers, sentencepiece and protobuf):
    python3 make_hf_tokenizer_fixture.py --shared ../../../../../../shared
Made with transformers 5.17.0, tokenizers 0.23.2, sentencepiece 0.2.2, Python 3.11.7.
"""
import argparse, gzip, json, os, shutil, sys, tempfile

import tokenizers
import transformers
from transformers import T5Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", required=True, help="the shared/ folder (data/drawbench_prompts.txt, data/geneval_metadata.jsonl)")
    ap.add_argument("--out", default=os.path.join(HERE, "hf_tokenizer_expected.json"))
    a = ap.parse_args()

    texts = []
    with open(os.path.join(HERE, "..", "text", "caption_cleaner_cases.json"), encoding="utf-8") as f:
        for c in json.load(f)["cases"]:
            texts += [("caption", c["input"]), ("cleaned", c["twice"])]
    with open(os.path.join(a.shared, "data", "drawbench_prompts.txt"), encoding="utf-8") as f:
        texts += [("drawbench", l.rstrip("\n")) for l in f if l.strip()]
    with open(os.path.join(a.shared, "data", "geneval_metadata.jsonl"), encoding="utf-8") as f:
        texts += [("geneval", json.loads(l)["prompt"]) for l in f if l.strip()]
    with open(os.path.join(HERE, "expected.json"), encoding="utf-8") as f:
        texts += [("spm_fixture", c["text"]) for c in json.load(f)["models"]["nfkc_t5ids"]["cases"] if "text" in c]
    seen, unique = set(), []
    for kind, t in texts:
        if t not in seen:
            seen.add(t)
            unique.append((kind, t))

    folder = tempfile.mkdtemp()
    try:
        with gzip.open(os.path.join(HERE, "nfkc_t5ids.model.gz"), "rb") as src, \
                open(os.path.join(folder, "spiece.model"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        tok = T5Tokenizer.from_pretrained(folder, extra_ids=100)
    finally:
        shutil.rmtree(folder)
    enc = tok([t for _, t in unique], max_length=120, padding="max_length", truncation=True, add_special_tokens=True)
    cases = [{"kind": k, "text": t, "ids": ids, "valid": sum(m)}
             for (k, t), ids, m in zip(unique, enc["input_ids"], enc["attention_mask"])]
    with open(a.out, "w", encoding="utf-8") as f:
        f.write('{"generator": "make_hf_tokenizer_fixture.py", "transformers": "%s", "tokenizers": "%s", '
                '"max_length": 120, "cases": [\n' % (transformers.__version__, tokenizers.__version__))
        f.write(",\n".join(json.dumps({**c, "ids": c["ids"][:c["valid"]]}, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(f"{len(cases)} cases -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
