#!/usr/bin/env python3
"""gen-peer.py URL MODEL THREADS CACHE_DIR < records > outputs

The peer a user would write in Python: a thread pool of THREADS workers
posting one chat completion per record with urllib, a sha256-of-body
file cache, retries honouring Retry-After, results in input order.
Standard library only."""
import concurrent.futures as cf
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request

URL, MODEL, THREADS, CACHE = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    sys.argv[4]
os.makedirs(CACHE, exist_ok=True)


def ask(rec):
    body = json.dumps({"model": MODEL, "messages": [
        {"role": "user", "content": rec["text"]}], "max_tokens": 1024},
        sort_keys=True).encode()
    key = hashlib.sha256(body).hexdigest()
    path = os.path.join(CACHE, key)
    if os.path.exists(path):
        with open(path, "rb") as f:
            return json.load(f)
    for attempt in range(8):
        req = urllib.request.Request(URL, data=body, headers={
            "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=600) as r:
                data = r.read()
            reply = json.loads(data)
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.rename(path + ".tmp", path)
            return reply
        except urllib.error.HTTPError as e:
            ra = e.headers.get("Retry-After")
            time.sleep(float(ra) if ra else 0.5 * 2 ** attempt)
        except (urllib.error.URLError, ValueError, OSError):
            time.sleep(0.5 * 2 ** attempt)
    return None


recs = [json.loads(l) for l in sys.stdin if l.strip()]
with cf.ThreadPoolExecutor(THREADS) as ex:
    for rec, reply in zip(recs, ex.map(ask, recs)):
        text = reply["choices"][0]["message"]["content"] if reply else None
        print(json.dumps({"source_id": rec["id"], "text": text}))
