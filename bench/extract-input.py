#!/usr/bin/env python3
"""Write the extract-dev pages as df-fetch-like JSON Lines records:
{"id", "url", "body"} per page, in ids.txt order.

usage: extract-input.py DEV_DIR > pages.jsonl
"""
import json
import os
import sys

d = sys.argv[1]
truth = json.load(open(os.path.join(d, "ground-truth.json"), encoding="utf-8"))
for pid in open(os.path.join(d, "ids.txt")).read().split():
    with open(os.path.join(d, "html", pid + ".html"), "rb") as f:
        html = f.read().decode("utf-8", "replace")
    sys.stdout.write(json.dumps({"id": pid, "url": truth[pid]["url"],
                                 "body": html}, ensure_ascii=False) + "\n")
