#!/usr/bin/python3
"""The floor for bench-extract.sh: libxml2's HTML parse alone (through
lxml.html.document_fromstring), one process over all pages, JSON read
and a one-field record written per page, no extraction.

usage: /usr/bin/python3 extract-floor.py < pages.jsonl > out.jsonl
"""
import json
import sys

import lxml.html

for line in sys.stdin:
    r = json.loads(line)
    root = lxml.html.document_fromstring(r["body"])
    sys.stdout.write(json.dumps({"id": r["id"], "n": len(root)}) + "\n")
