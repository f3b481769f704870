#!/usr/bin/env python3
"""Politeness audit of a df-fetch run against fetch-server.py's request log.

  fetch-check.py --log server.log --in urls --out out.jsonl --delay D
                 [--config config.json] [--tolerance SECONDS]

Counts, and prints as one JSON line: requests; spacing violations (two
requests to one host closer than max(--delay, Crawl-delay)); robots
violations (a request to a host before its robots.txt, a disallowed path
fetched, any page of a host whose robots.txt failed with 5xx); Retry-After
violations (a request to a host before the Retry-After it was given ran
out); and whether the output has exactly one record per input URL, in
input order.  Exits 1 when anything is wrong.
"""
import argparse
import json
import sys
from urllib.parse import urlsplit

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private\n"


def robots_rules(body):
    """Disallow prefixes and Crawl-delay of the '*' group (simple files)."""
    dis, delay, on = [], 0.0, False
    for line in body.splitlines():
        k, _, v = line.partition(":")
        k, v = k.strip().lower(), v.strip()
        if k == "user-agent":
            on = v == "*"
        elif on and k == "disallow" and v:
            dis.append(v)
        elif on and k == "crawl-delay":
            delay = float(v)
    return dis, delay


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--delay", type=float, required=True)
    ap.add_argument("--config")
    ap.add_argument("--tolerance", type=float, default=0.005)
    ap.add_argument("--ignore-robots", action="store_true")
    a = ap.parse_args()
    conf = json.load(open(a.config)) if a.config else {}
    hosts = conf.get("hosts", {})
    log = [json.loads(l) for l in open(a.log)]
    log.sort(key=lambda e: e["t"])
    by_host = {}
    for e in log:
        by_host.setdefault(e["host"], []).append(e)
    spacing = robots = retry = 0
    problems = []
    for h, es in by_host.items():
        hc = hosts.get(h, {})
        body = hc.get("robots", conf.get("robots", DEFAULT_ROBOTS))
        dis, cd = robots_rules(body)
        rstatus = hc.get("robots_status", 200)
        if 400 <= rstatus < 500:
            dis, cd = [], 0.0
        want = max(a.delay, cd)
        for p, e in zip(es, es[1:]):
            if e["t"] - p["t"] < want - a.tolerance:
                spacing += 1
                problems.append("%s: %s then %s after %.4f s (< %.3f)" % (
                    h, p["path"], e["path"], e["t"] - p["t"], want))
        retry_until = 0.0
        for e in es:
            if e["t"] < retry_until - a.tolerance:
                retry += 1
                problems.append("%s: %s %.3f s before Retry-After ran out"
                                % (h, e["path"], retry_until - e["t"]))
            if "retry_after" in e:
                retry_until = max(retry_until, e["t"] + e["retry_after"])
        if a.ignore_robots:
            continue
        if not es[0]["path"].endswith("robots.txt"):
            robots += 1
            problems.append("%s: %s before robots.txt" % (h, es[0]["path"]))
        for e in es:
            if e["path"].endswith("robots.txt"):
                continue
            if rstatus >= 500 or any(e["path"].startswith(d) for d in dis):
                robots += 1
                problems.append("%s: %s fetched against robots.txt" % (
                    h, e["path"]))
    urls = [l.rstrip("\n") for l in open(a.inp) if l.strip()]
    urls = [json.loads(u)["url"] if u.startswith("{") else u for u in urls]
    outs = [json.loads(l)["url"] for l in open(a.out)]
    exact = urls == outs
    if not exact:
        problems.append("records: %d in, %d out, same order: %s" % (
            len(urls), len(outs), urls == outs))
    res = {"requests": len(log), "hosts": len(by_host),
           "spacing_violations": spacing, "robots_violations": robots,
           "retry_after_violations": retry, "records_exact": exact}
    print(json.dumps(res))
    for p in problems[:20]:
        print("  " + p)
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
