#!/usr/bin/env python3
"""Score extracted article texts against the extract-dev ground truth.

The metric of scrapinghub/article-extraction-benchmark (evaluate.py), as
the dev set's README gives it: tokens are the matches of \\w+, compared as
multisets of 4-token shingles; per page tp, fp and fn are divided by
tp+fp+fn; precision is the mean over pages with non-empty output, recall
the mean over all pages, F1 = 2PR/(P+R) of the two means.

usage: extract-eval.py GROUND_TRUTH OUTPUT.jsonl [--field text] [--id id]
                       [--worst N] [--json]
OUTPUT.jsonl holds one record per page with the page id (--id, default
"id") and the extracted text (--field, default "text"); a page missing from
it counts as empty output.
"""
import argparse
import json
import re
import sys
from collections import Counter

TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text, n=4):
    toks = TOKEN.findall(text or "")
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def page_counts(pred, truth):
    p, t = shingles(pred), shingles(truth)
    tp = sum((p & t).values())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    s = tp + fp + fn
    if s == 0:
        return 0.0, 0.0, 0.0
    return tp / s, fp / s, fn / s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("output")
    ap.add_argument("--field", default="text")
    ap.add_argument("--id", default="id")
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    truth = json.load(open(a.truth, encoding="utf-8"))
    out = {}
    with open(a.output, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            out[r.get(a.id)] = r.get(a.field) or ""
    precs, recs, rows, exact = [], [], [], 0
    for pid in sorted(truth):
        body = truth[pid]["articleBody"]
        pred = out.get(pid, "")
        tp, fp, fn = page_counts(pred, body)
        prec = tp / (tp + fp) if tp + fp > 0 else 0.0
        rec = tp / (tp + fn) if tp + fn > 0 else 0.0
        if TOKEN.findall(pred):
            precs.append(prec)
        recs.append(rec)
        if TOKEN.findall(pred) == TOKEN.findall(body):
            exact += 1
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
        rows.append((f1, prec, rec, pid))
    P = sum(precs) / len(precs) if precs else 0.0
    R = sum(recs) / len(recs) if recs else 0.0
    F = 2 * P * R / (P + R) if P + R > 0 else 0.0
    res = {"pages": len(truth), "f1": round(F, 4), "precision": round(P, 4),
           "recall": round(R, 4), "accuracy": round(exact / len(truth), 4),
           "empty": len(truth) - len(precs)}
    if a.json:
        print(json.dumps(res))
    else:
        print("pages %d  F1 %.4f  P %.4f  R %.4f  acc %.3f  empty %d" % (
            res["pages"], F, P, R, res["accuracy"], res["empty"]))
    if a.worst:
        rows.sort()
        for f1, prec, rec, pid in rows[:a.worst]:
            print("%.3f P %.3f R %.3f %s" % (f1, prec, rec, pid),
                  file=sys.stderr)


if __name__ == "__main__":
    main()
