"""Generates wordpiece_cases.json: the reference BERT tokenization (Hugging Face BasicTokenizer with
do_lower_case=True, then WordpieceTokenizer) of edge-case texts over the small vocabulary test_vocab.txt.

Usage (Debian python3, no packages needed):
    python3 make_wordpiece_cases.py REFERENCE_MODULE_DIR
where REFERENCE_MODULE_DIR holds hf_bert_reference.py, a transcription of transformers'
tokenization_bert.py BasicTokenizer / WordpieceTokenizer and the tokenization_utils helpers
(_is_whitespace, _is_control, _is_punctuation), with the NFC step of transformers >= 4.29.
"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
from hf_bert_reference import BasicTokenizer, WordpieceTokenizer

here = os.path.dirname(os.path.abspath(__file__))
vocab = {}
with open(os.path.join(here, "test_vocab.txt"), encoding="utf-8") as f:
    for i, t in enumerate(f.read().split("\n")):
        if t:
            vocab[t] = i
basic, wp = BasicTokenizer(), WordpieceTokenizer(vocab)
texts = [
    "A red cube on a blue sphere.",
    "unaffable",
    "UNAFFABLE teddy-bears!",
    "Café naïve ÉCOLE",
    "cafe\u0301 (decomposed accent)",
    "tab\tnew\nline\r  spaces\u3000ideographic",
    "zero\u200bwidth and\u0000nul and \ufffd replacement",
    "中国 cat中dog",
    "it's 3.14, isn't it?",
    "x" * 100,
    "x" * 101,
    "teddys teddy ted tedx",
    "\u201cquoted\u201d \u2014 dash \u00bfqu\u00e9?",
    "",
    "   ",
    "emoji \U0001F600 cat",
    "line\u2028separator",
]
cases = []
for t in texts:
    words = basic.tokenize(t)
    pieces = []
    for w in words:
        pieces += wp.tokenize(w)
    ids = [vocab["[CLS]"]] + [vocab.get(p, vocab["[UNK]"]) for p in pieces][:33] + [vocab["[SEP]"]]
    ids += [vocab["[PAD]"]] * (35 - len(ids))
    cases.append({"text": t, "basic": words, "pieces": pieces, "ids35": ids})
with open(os.path.join(here, "wordpiece_cases.json"), "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=True, indent=1)
print(len(cases), "cases")
