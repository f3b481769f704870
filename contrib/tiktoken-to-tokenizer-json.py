#!/usr/bin/env python3
"""Write a Hugging Face tokenizer.json equivalent to a tiktoken encoding.

    tiktoken-to-tokenizer-json.py cl100k_base RANKFILE > cl100k.json
    tiktoken-to-tokenizer-json.py o200k_base RANKFILE [--specials] > o200k.json

The vocabulary is the rank file's tokens in GPT-2's byte-level alphabet;
each multi-byte token's merge is found by byte-pair merging its bytes
with only lower-ranked tokens allowed (the two parts left are the merge),
as transformers' tiktoken converter does.  The pre-tokenizer is a Split by
the encoding's pattern, then ByteLevel without its own regex.  With
--specials the encoding's special tokens become added tokens.
"""
import base64
import json
import sys

PATTERNS = {
    "cl100k_base": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|"
                   r"\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|"
                   r"\s+(?!\S)|\s+",
    "o200k_base": "|".join([
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*"
        r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+"
        r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"\p{N}{1,3}", r" ?[^\s\p{L}\p{N}]+[\r\n/]*", r"\s*[\r\n]+",
        r"\s+(?!\S)", r"\s+"]),
}
SPECIALS = {
    "cl100k_base": {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258,
                    "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260,
                    "<|endofprompt|>": 100276},
    "o200k_base": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
}


def byte_alphabet():
    keep = (list(range(33, 127)) + list(range(161, 173)) +
            list(range(174, 256)))
    out, n = {}, 0
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + n)
            n += 1
    return out


def split_in_two(ranks, token, rank):
    parts = [token[i:i + 1] for i in range(len(token))]
    while True:
        best, at = None, -1
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < rank and (best is None or r < best):
                best, at = r, i
        if best is None:
            break
        parts[at:at + 2] = [parts[at] + parts[at + 1]]
    if len(parts) != 2:
        sys.exit("token %d splits into %d parts" % (rank, len(parts)))
    return parts


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2 or args[0] not in PATTERNS:
        sys.exit(__doc__)
    ranks = {}
    with open(args[1], "rb") as f:
        for line in f:
            if line.strip():
                tok, rank = line.split()
                ranks[base64.b64decode(tok)] = int(rank)
    alpha = byte_alphabet()

    def enc(b):
        return "".join(alpha[x] for x in b)

    vocab = {enc(t): r for t, r in ranks.items()}
    merges = []
    for tok, rank in sorted(ranks.items(), key=lambda kv: kv[1]):
        if len(tok) > 1:
            a, b = split_in_two(ranks, tok, rank)
            merges.append(enc(a) + " " + enc(b))
    added = []
    if "--specials" in sys.argv:
        for s, i in SPECIALS[args[0]].items():
            added.append({"id": i, "content": s, "single_word": False,
                          "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True})
    doc = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": PATTERNS[args[0]]},
             "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False,
             "trim_offsets": True, "use_regex": False}]},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True,
                    "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False,
                  "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
    json.dump(doc, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
