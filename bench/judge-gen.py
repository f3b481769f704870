#!/usr/bin/env python3
"""judge-gen.py: a web-page-like corpus for bench-judge.sh.

Usage: judge-gen.py PARAGRAPHS.jsonl MB SEED > docs.jsonl

Each document is 3 to 20 paragraphs of real news prose (the project's
pipelines/data/news-paragraphs.jsonl, MIT) joined by one or two newlines.
About a third get the kinds of noise the web filters are for: menus of
short lines, repeated lines or paragraphs, bullet lists, a cookie or
JavaScript notice, "lorem ipsum", curly brackets, hashtags, ellipses, a
very short page.  Deterministic for a seed.
"""
import json
import random
import sys


def noise(rng, paras):
    kind = rng.randrange(12)
    if kind == 0:
        return ["Home", "News", "Sports", "Contact us", "Login"] + paras
    if kind == 1:
        return paras + [paras[0]] * rng.randint(1, 4)
    if kind == 2:
        return ["- " + p[:60] for p in paras] + ["- more"]
    if kind == 3:
        return paras + ["This site uses cookies. Read our privacy policy."]
    if kind == 4:
        return paras + ["Please enable JavaScript to view the comments."]
    if kind == 5:
        return ["Lorem ipsum dolor sit amet, consectetur adipiscing elit."] + paras
    if kind == 6:
        return paras + ["var config = { theme: 'dark' };"]
    if kind == 7:
        return paras + [" ".join("#tag%d" % i for i in range(40))]
    if kind == 8:
        return [p[:70] + "..." for p in paras]
    if kind == 9:
        return paras[:1]
    if kind == 10:
        return paras + ["Share", "Tweet", "Email", "Print"] * 3
    return paras


def main():
    src, mb, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    paras = [json.loads(l)["text"] for l in open(src, encoding="utf-8")]
    rng = random.Random(seed)
    out = sys.stdout
    total, n = 0, 0
    while total < mb * 1e6:
        k = rng.randint(3, 20)
        doc = [paras[rng.randrange(len(paras))] for _ in range(k)]
        if rng.random() < 0.35:
            doc = noise(rng, doc)
        sep = "\n\n" if rng.random() < 0.5 else "\n"
        line = json.dumps({"id": "d%06d" % n, "text": sep.join(doc)},
                          ensure_ascii=False)
        out.write(line + "\n")
        total += len(line.encode()) + 1
        n += 1


main()
