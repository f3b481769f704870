#!/usr/bin/python3
"""The peer for bench-extract.sh: Debian's readability-lxml (python3-
readability), run in one process over all pages.  Reads JSON Lines
{"id","body",...} on stdin and writes {"id","text"}, the article HTML that
Document.summary() returns turned into text by lxml (block elements on
their own lines, as the benchmark's run_readability.py does).

usage: /usr/bin/python3 extract-peer.py < pages.jsonl > out.jsonl
"""
import json
import sys

import lxml.html
from readability import Document

BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "blockquote", "pre", "br", "table", "ul", "ol", "section")


def text_of(html):
    tree = lxml.html.fromstring(html)
    for el in tree.iter(*BLOCKS):
        el.tail = "\n" + el.tail if el.tail else "\n"
    return tree.text_content().strip()


def main():
    out = sys.stdout
    for line in sys.stdin:
        r = json.loads(line)
        try:
            text = text_of(Document(r["body"]).summary(html_partial=True))
        except Exception:  # the peer gives up on a page: empty output
            text = ""
        out.write(json.dumps({"id": r["id"], "text": text}) + "\n")


if __name__ == "__main__":
    main()
