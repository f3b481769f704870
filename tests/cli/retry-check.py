#!/usr/bin/env python3
"""retry-check.py STUB_LOG: check a llm-stub.py request log for clients
that came back too soon.  For every request body, each attempt after an
answer that advertised Retry-After must arrive no sooner than the moment
that answer went out plus the advertised seconds.  Prints the number of
retries checked and exits 1 with one line per violation.
"""
import json
import sys

by_body = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        by_body.setdefault(r["body_sha"], []).append(r)
bad = 0
checked = 0
for sha, reqs in by_body.items():
    reqs.sort(key=lambda r: r["t"])
    for prev, nxt in zip(reqs, reqs[1:]):
        ra = prev.get("retry_after")
        if ra is None:
            continue
        checked += 1
        gap = nxt["t"] - prev["t_resp"]
        if gap < ra:
            bad += 1
            print("%s: attempt %d came %.3f s after a Retry-After of %g s"
                  % (sha[:12], nxt["attempt"], gap, ra))
print("checked %d retries after Retry-After" % checked)
sys.exit(1 if bad else 0)
