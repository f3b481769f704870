#!/usr/bin/env python3
"""judge-peer.py: datatrove's web-text filters in Python, as the peer of
df-judge in bench-judge.sh.

datatrove itself cannot be installed here (it is not packaged in Debian
and PyPI is out of reach), so this is a re-implementation of its filters
as its source reads (huggingface/datatrove: gopher_quality_filter.py,
gopher_repetition_filter.py, c4_filters.py, fineweb_quality_filter.py,
utils/text.py), line by line, with the same thresholds and reason names.
Two substitutions: words come from re.findall(r"\\w+|[^\\w\\s]") instead
of spaCy/NLTK (which need model data Debian does not ship), and C4's
sentences from a split after . ! ? instead of NLTK's Punkt.  Bad words
use the same LDNOOBW English list df-judge vendors.  Readability uses
textstat's formulas with Pyphen (python3-pyphen) when it is installed.

Usage: judge-peer.py BADWORDS_EN DOCS.jsonl > verdicts.jsonl
One line per document: {"id", "gopher_repetition", "gopher_quality",
"c4", "fineweb"}, each the first failed reason or null (datatrove
returns at the first), plus "flesch" when Pyphen is there.
"""
import json
import re
import sys
from collections import Counter

try:
    import pyphen
    DIC = pyphen.Pyphen(lang="en_US")
except ImportError:
    DIC = None

PUNCTUATION = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»" + "".join(
    map(chr, (x for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for x in range(a, b))))
PUNCTUATION_SET = set(PUNCTUATION)
STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"}
WORD_RE = re.compile(r"\w+|[^\w\s]")
SENT_RE = re.compile(r"(?<=[.!?])\s+")
PARA_RE = re.compile(r"\n{2,}")
LINES_RE = re.compile("\n+")
CITATION_REGEX = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
END_PUNCTUATION = (".", "?", "!", '"', "'")
POLICY = ["terms of use", "privacy policy", "cookie policy", "uses cookies",
          "use of cookies", "use cookies"]
TERMINAL = tuple(".!?'\"。！？؟।")


def words_of(text):
    return WORD_RE.findall(text)


def gopher_quality(text, words):
    n_words = len(words)
    non_symbol = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    n = len(non_symbol)
    if n < 50:
        return "gopher_short_doc"
    if n > 100000:
        return "gopher_long_doc"
    avg = sum(len(w) for w in non_symbol) / n
    if avg < 3:
        return "gopher_below_avg_threshold"
    if avg > 10:
        return "gopher_above_avg_threshold"
    if text.count("#") / n_words > 0.1:
        return "gopher_too_many_hashes"
    if (text.count("...") + text.count("…")) / n_words > 0.1:
        return "gopher_too_many_ellipsis"
    lines = text.splitlines()
    if sum(s.lstrip().startswith("•") or s.lstrip().startswith("-") for s in lines) / len(lines) > 0.9:
        return "gopher_too_many_bullets"
    if sum(s.rstrip().endswith("...") or s.rstrip().endswith("…") for s in lines) / len(lines) > 0.3:
        return "gopher_too_many_end_ellipsis"
    if sum(any(c.isalpha() for c in w) for w in words) / n_words < 0.8:
        return "gopher_below_alpha_threshold"
    if sum(w in STOP_WORDS for w in words) < 2:
        return "gopher_enough_stop_words"
    return None


def find_duplicates(x):
    unique, dup_chars, dup = set(), 0, 0
    for e in x:
        if e in unique:
            dup_chars += len(e)
            dup += 1
        else:
            unique.add(e)
    return dup, dup_chars


def gopher_repetition(text, words):
    paragraphs = PARA_RE.split(text.strip())
    d, c = find_duplicates(paragraphs)
    if d / len(paragraphs) > 0.3:
        return "dup_para_frac"
    if c / len(text) > 0.2:
        return "dup_para_char_frac"
    lines = LINES_RE.split(text)
    d, c = find_duplicates(lines)
    if d / len(lines) > 0.3:
        return "dup_line_frac"
    if c / len(text) > 0.2:
        return "dup_line_char_frac"
    for n, frac in ((2, 0.2), (3, 0.18), (4, 0.16)):
        grams = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        if not grams:
            continue
        top = Counter(grams).most_common(1)[0]
        if len(top[0]) * top[1] / len(text) > frac:
            return "top_%d_gram" % n
    for n, frac in ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)):
        unique, rep, idx = set(), 0, 0
        while idx < len(words) - n + 1:
            g = "".join(words[idx:idx + n])
            if g in unique:
                rep += len(g)
                idx += n
            else:
                unique.add(g)
                idx += 1
        if rep / len(text) > frac:
            return "duplicated_%d_n_grams" % n
    return None


def c4(text, badwords_re, punct=True):
    num_sentences = 0
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if any(len(w) > 1000 for w in words):
            continue
        line = CITATION_REGEX.sub("", line)
        if punct and (not line.endswith(END_PUNCTUATION) or line.endswith("...")):
            continue
        if len(words) < 3:
            continue
        low = line.lower()
        if "lorem ipsum" in low:
            return "lorem_ipsum"
        if "javascript" in low:
            continue
        if "{" in line:
            return "curly_bracket"
        if any(p in low for p in POLICY):
            continue
        num_sentences += len([s for s in SENT_RE.split(line) if s])
    if num_sentences < 5:
        return "too_few_sentences"
    if punct and badwords_re.search(text.lower()):
        return "document_removed_with_badwords"
    return None


def fineweb(text, words):
    lines = [l for l in text.split("\n") if l.strip() != ""]
    if not lines:
        return "empty"
    if sum(1 for l in lines if l.endswith(TERMINAL)) / len(lines) < 0.12:
        return "line_punct_ratio"
    if sum(1 for l in lines if len(l) <= 30) / len(lines) > 0.67:
        return "short_line_ratio"
    if find_duplicates(lines)[1] / len(text.replace("\n", "")) > 0.01:
        return "char_dup_ratio"
    if text.count("\n") / len(words) > 0.3:
        return "list_ratio"
    return None


def flesch(text):
    t = re.sub(r"[^\w\s]", "", text)
    ws = t.split()
    if not ws or DIC is None:
        return None
    sents = re.findall(r"\b[^.!?]+[.!?]*", text)
    ns = max(1, len(sents) - sum(1 for s in sents if len(re.sub(r"[^\w\s]", "", s).split()) <= 2))
    syl = sum(len(DIC.positions(w.lower())) + 1 for w in ws)
    return round(206.835 - 1.015 * len(ws) / ns - 84.6 * syl / len(ws), 4)


def main():
    bad = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    bad = [w for w in bad if w not in ("sm", "グロ", "女の子", "性")]
    badwords_re = re.compile(r"(?:\W|^)({})(?:\W|$)".format("|".join(re.escape(w) for w in bad)))
    out = sys.stdout
    for line in open(sys.argv[2], encoding="utf-8"):
        rec = json.loads(line)
        text = rec["text"]
        words = words_of(text)
        v = {"id": rec.get("id"),
             "gopher_repetition": gopher_repetition(text, words) if text else "empty",
             "gopher_quality": gopher_quality(text, words) if words else "gopher_short_doc",
             "c4": c4(text, badwords_re),
             "c4_fineweb": c4(text, badwords_re, punct=False),
             "fineweb": fineweb(text, words) if words else "empty"}
        if DIC is not None:
            v["flesch"] = flesch(text)
        out.write(json.dumps(v) + "\n")


main()
