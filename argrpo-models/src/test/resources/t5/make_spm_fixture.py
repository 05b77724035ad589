#!/usr/bin/python3
"""Makes the SentencePiece reference fixtures for the T5 tokenizer tests.

Trains three small unigram models with the real SentencePiece (Debian's 0.1.97 Python binding)
on a corpus this script writes itself, encodes a list of tricky strings with them and writes what
SentencePiece answered to expected.json. The Java tests must reproduce every id exactly.

Regenerate (from this folder, with the system Python that has the sentencepiece module and the
spm_normalize binary, e.g. Debian's python3-sentencepiece and sentencepiece packages):

    cd argrpo-models/src/test/resources/t5 && /usr/bin/python3 make_spm_fixture.py

Outputs:
  nfkc_t5ids.model.gz  nmt_nfkc normalizer (the precompiled charsmap T5 uses), T5's special-id
                       layout (pad 0, eos 1, unk 2, no bos), vocab up to 1000 (soft
                       limit: the corpus yields ~430 pieces). Gzipped: the nmt_nfkc
                       charsmap alone is ~230 KB.
  user_defined.model   a small custom normalization rule (tsv), user-defined symbols, default ids.
  byte_fallback.model  the same small rule, byte_fallback=true.
  expected.json        hand-written tricky strings, then RANDOM_CASES seeded random strings over
                       RANDOM_ALPHABET, then malformed UTF-8 byte strings:
                       {"models": {name: {"cases": [{text | text_hex, ids, pieces, decoded?, normalized?}]}}}
                       text_hex is used for inputs that are not valid UTF-8 (bytes handed to
                       SentencePiece as such); normalized comes from spm_normalize
                       --use_internal_normalization (one line per input, so only inputs without
                       newlines carry it). spm_normalize knows only the NormalizerSpec: unlike
                       encoding, it normalizes user-defined symbols too (e.g. the "ﬁ" symbol).

Training is deterministic for a fixed corpus and num_threads=1 and the corpus comes from a seeded
random generator, so a rerun gives the same pieces and the same expected.json; the .model bytes
still differ, because trainer_spec records the temporary input and output paths.
"""
import gzip
import json
import os
import random
import subprocess
import tempfile

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))

SUBJECTS = ["a cat", "the dog", "an old man", "two children", "a red fox", "the astronaut",
            "a small robot", "three horses", "a woman in a blue dress", "the chef", "a golden retriever",
            "a flock of birds", "the teddy bear", "a wooden boat", "an elephant", "the painter",
            "a bowl of ramen", "a vintage car", "the lighthouse", "a snowy owl"]
VERBS = ["sitting on", "running across", "standing next to", "flying over", "painted on",
         "looking at", "sleeping under", "floating above", "walking through", "jumping over",
         "hiding behind", "reflected in"]
PLACES = ["a wooden table", "the beach at sunset", "a crowded street in Tokyo", "a misty forest",
          "the surface of the moon", "a field of sunflowers", "an old library", "a neon-lit alley",
          "the frozen lake", "a mountain village", "a busy train station", "a quiet garden"]
STYLES = ["oil painting", "photograph", "watercolor", "digital art", "pencil sketch", "3D render",
          "studio lighting", "high resolution", "in the style of Van Gogh", "cinematic", "4k",
          "ultra-detailed", "bokeh", "isometric", "pixel art"]
ADJECTIVES = ("ancient bright cozy dusty elegant fluffy gigantic hazy icy jagged lonely majestic "
              "narrow ornate peaceful quirky rusty shiny tiny vibrant weathered young zealous "
              "crimson emerald silver golden pastel glowing translucent futuristic medieval "
              "surreal minimalist abstract colorful gloomy sunny rainy foggy snowy windy").split()
NOUNS = ("apple bicycle castle dragon engine feather guitar harbor island jungle kettle lantern "
         "meadow necklace orchard piano quilt river satellite tower umbrella volcano waterfall "
         "xylophone yacht zebra bridge candle desert fountain glacier hammock igloo jellyfish "
         "kitchen ladder mirror notebook ocean pyramid rooftop spaceship temple valley window "
         "portrait landscape skyline sculpture cathedral marketplace greenhouse carousel "
         "submarine windmill telescope butterfly penguin giraffe octopus hedgehog squirrel").split()
UNICODE_LINES = [
    "Un café au lait, s'il vous plaît. Crème brûlée et œufs.",
    "Der Bär läuft über die Straße; Größe und Maß.",
    "El niño comió piña en la montaña.",
    "ｆｕｌｌ－ｗｉｄｔｈ ＬＥＴＴＥＲＳ ａｎｄ ＤＩＧＩＴＳ １２３",
    "ligatures: ﬁsh ﬂower ﬀ ﬃ and Ⅻ ² ½ ㎏",
    "non\u00a0breaking\u00a0space and\u2003em space and\u3000ideographic space",
    "Кошка сидит на столе. Москва зимой.",
    "東京の夜景 と 富士山 の 写真",
    "猫が テーブルの上に 座っている",
    "smiles 😀 and hearts ❤️ and a 🚀 rocket",
    "tab\tseparated\twords and  double  spaces",
    "Ångström, Ωmega, µ-law, ﹖ small question",
]
TRICKY = [
    "",
    " ",
    "   ",
    "\t",
    "a",
    "Hello world",
    "  Hello   world  ",
    "A cat sitting on a wooden table, oil painting.",
    "a photo of an astronaut riding a horse on the moon",
    "ＦＵＬＬ－ＷＩＤＴＨ ｔｅｘｔ ＡＢＣ １２３",
    "ﬁsh and ﬂower ﬀ ﬃ",
    "Ⅻ ² ½ ㎏ ℃ №",
    "non\u00a0breaking\u00a0space",
    "em\u2003space and\u3000ideographic",
    "tab\tseparated\tcolumns",
    "line\nbreak and\r\ncarriage",
    "Café crème brûlée naïve résumé",
    "e\u0301 combining acute vs é precomposed",
    "Straße Größe Maß",
    "Кошка сидит на столе",
    "東京の夜景と富士山",
    "猫が テーブルの上に 座っている",
    "emoji 😀 ❤️ 🚀 👍🏽 🇫🇷",
    "zero\u200bwidth\u200cjoiner\u200dhere\ufeffbom",
    "soft\u00adhyphen",
    "control\u0001chars\u0007and\u007fdel",
    "rare ꙮ ᚠ ᛗ 𓀀 characters",
    "ᚠᛗᚱ three unknown runes in a row",
    "a\u2028line\u2029separator",
    "quotes “curly” ‘single’ «guillemets» – dash — emdash …",
    "numbers 1234567890 and 3.14159, 2,718",
    "UPPERCASE lowercase MiXeD",
    "<unk> <s> </s> <pad> literal control pieces",
    "extra_id_0 <extra_id_1> text",
    "x" * 300,
    "the the the the the the the the the the the the",
    "?!.,;:'\"()[]{}<>@#$%^&*-_=+|\\/~`",
    "\u00a0\u00a0leading and trailing nbsp\u00a0\u00a0",
    "ﾊﾝｶｸｶﾀｶﾅ halfwidth katakana",
    "ǅ ǈ ǋ titlecase digraphs",
    "Ωmega Ω ohm sign and K kelvin sign",
    "①②③ circled ⑴ parenthesized",
    "﹖﹗ small forms and ︰ vertical",
]
INVALID_UTF8 = [
    b"ab\xffcd",
    b"trailing \xe2\x82",
    b"\xc0\xafoverlong",
    b"lone \xed\xa0\x80 surrogate",
    b"\x80\x80\x80 continuation bytes",
    b"ok \xef\xbf\xbd replacement char",
]
USER_DEFINED = ["<sep>", "[MASK]", "foo", "ﬁ"]

# Random strings over an alphabet of the characters the rules above care about, to catch what the
# hand-written cases miss: space runs mixed with rule outputs, literal U+2581, unknown runs next to
# user-defined symbols, combining marks after rule sources.
RANDOM_ALPHABET = (list("abcdefghijklmnoprstuwxyzABCTW0123.,'-_<>") + [" "] * 6
                   + ["\t", "\u00a0", "\u3000", "\u2003", "\u2581", "\u200b", "\u200d", "\ufeff",
                      "\u0301", "\u00ad", "\u0007", "\ufffd", "ﬁ", "ﬂ", "ﬃ", "Ａ", "ｂ", "１", "①",
                      "Ⅻ", "½", "é", "ß", "ö", "Ω", "Ω", "К", "я", "東", "の", "ﾊ", "😀", "🚀",
                      "\u2764\ufe0f", "ᚠ", "ᛗ", "ꙮ", "𓀀", "<sep>", "[MASK]", "foo", "the ", " cat",
                      "<extra_id_0>", "</s>"])
RANDOM_CASES = 200

# Small custom normalizer for the two variant models (the nmt_nfkc charsmap would make each file
# ~240 KB): a few NFKC-like folds, including one rule longer than one character and one whose
# source is a user-defined symbol, so the trie's longest match and the user-defined bypass matter.
CUSTOM_RULES = [
    ("FF21", "41"), ("FF22", "42"), ("FF41", "61"), ("FF42", "62"),   # Ａ Ｂ ａ ｂ
    ("FB01", "66 69"),                                               # ﬁ -> fi
    ("FB02", "66 6C"),                                               # ﬂ -> fl
    ("A0", "20"), ("3000", "20"), ("9", "20"),                       # nbsp, ideographic space, tab
    ("65 301", "E9"),                                                # e + combining acute -> é
    ("2460", "28 31 29"),                                            # ① -> (1)
    ("200B", ""),                                                    # zero width space deleted
]


def corpus_lines(rng):
    lines = []
    for _ in range(600):
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)}"
        if rng.random() < 0.6:
            s += ", " + ", ".join(rng.sample(STYLES, rng.randint(1, 3)))
        if rng.random() < 0.3:
            s = s[0].upper() + s[1:] + "."
        lines.append(s)
    for _ in range(900):
        words = [rng.choice(ADJECTIVES) + " " + rng.choice(NOUNS) for _ in range(rng.randint(2, 5))]
        lines.append(rng.choice(["a ", "the ", "an image of ", "two "]) + " and ".join(words))
    for line in UNICODE_LINES:
        lines.extend([line] * 3)
    lines.append("<sep> [MASK] foo " * 3)
    rng.shuffle(lines)
    return lines


def train(corpus, prefix, **kw):
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, model_type="unigram", num_threads=1,
        minloglevel=2, character_coverage=0.995, hard_vocab_limit=False,
        **kw)
    return prefix + ".model"


def normalized_lines(model, texts):
    """spm_normalize with the model's own NormalizerSpec, one line per text."""
    out = subprocess.run(["spm_normalize", "--model", model, "--use_internal_normalization",
                          "--minloglevel", "2"],
                         input="\n".join(texts) + "\n", capture_output=True, text=True, check=True)
    lines = out.stdout.split("\n")
    return lines[:len(texts)]


def random_texts():
    rng = random.Random(77)
    return ["".join(rng.choice(RANDOM_ALPHABET) for _ in range(rng.randint(1, 16)))
            for _ in range(RANDOM_CASES)]


def cases(model):
    sp = spm.SentencePieceProcessor(model_file=model)
    texts = TRICKY + UNICODE_LINES + random_texts()
    one_line = [t for t in texts if "\n" not in t and "\r" not in t
                and "\u2028" not in t and "\u2029" not in t]
    norm = dict(zip(one_line, normalized_lines(model, one_line)))
    result = []
    for t in texts:
        ids = sp.encode(t)
        c = {"text": t, "ids": ids, "pieces": sp.encode(t, out_type=str), "decoded": sp.decode(ids)}
        if t in norm:
            c["normalized"] = norm[t]
        result.append(c)
    for b in INVALID_UTF8:
        result.append({"text_hex": b.hex(), "ids": sp.encode(b),
                       # bytes in, bytes out: the binding returns pieces as bytes here
                       "pieces": [p.decode("utf-8") for p in sp.encode(b, out_type=str)]})
    return result


def main():
    rng = random.Random(20240607)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            f.write("\n".join(corpus_lines(rng)) + "\n")
        rules = os.path.join(tmp, "rules.tsv")
        with open(rules, "w", encoding="utf-8") as f:
            f.write("".join(f"{src}\t{dst}\n" for src, dst in CUSTOM_RULES))

        models = {
            "nfkc_t5ids": train(corpus, os.path.join(tmp, "nfkc_t5ids"), vocab_size=1000,
                                normalization_rule_name="nmt_nfkc",
                                pad_id=0, eos_id=1, unk_id=2, bos_id=-1),
            "user_defined": train(corpus, os.path.join(tmp, "user_defined"), vocab_size=600,
                                  normalization_rule_tsv=rules,
                                  user_defined_symbols=USER_DEFINED),
            "byte_fallback": train(corpus, os.path.join(tmp, "byte_fallback"), vocab_size=800,
                                   normalization_rule_tsv=rules, byte_fallback=True),
        }
        expected = {"generator": "make_spm_fixture.py", "sentencepiece": spm.__version__,
                    "models": {}}
        for name, path in models.items():
            expected["models"][name] = {"cases": cases(path)}
            with open(path, "rb") as f:
                data = f.read()
            if name == "nfkc_t5ids":
                with gzip.GzipFile(os.path.join(HERE, name + ".model.gz"), "wb", mtime=0) as g:
                    g.write(data)
            else:
                with open(os.path.join(HERE, name + ".model"), "wb") as f:
                    f.write(data)
        # One case per line: small, and a changed case shows as one changed line in a diff.
        with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
            f.write('{"generator": "make_spm_fixture.py", "sentencepiece": %s, "models": {\n'
                    % json.dumps(spm.__version__))
            for m, (name, body) in enumerate(expected["models"].items()):
                f.write(' %s: {"cases": [\n' % json.dumps(name))
                lines = [json.dumps(c, ensure_ascii=False) for c in body["cases"]]
                f.write(",\n".join("  " + line for line in lines))
                f.write("\n ]}%s\n" % ("," if m < len(expected["models"]) - 1 else ""))
            f.write("}}\n")


if __name__ == "__main__":
    main()
