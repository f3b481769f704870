#!/usr/bin/env python3
"""dedup-peer.py: the speed peer of df-dedup, datasketch's algorithm in numpy.

    dedup-peer.py [--threshold 0.8] [--num-perm 128] [--bands B --rows R]
                  [--verify] [file ...]  > kept.jsonl

Debian has no datasketch, so this is the same computation, written the
way datasketch (1.x, MinHash + MinHashLSH) does it:
  * shingles: word 5-grams of the benchmark normalisation (lowercase,
    tokens = maximal runs of Unicode L*/N*/M* characters; 1-4 tokens ->
    one shingle; no token -> no shingle), each the UTF-8 bytes of the
    tokens joined by one space;
  * MinHash.update_batch: sha1 of each shingle, first 4 bytes little
    endian (sha1_hash32); K = 128 permutations (a, b) drawn from
    numpy.random.RandomState(1) as datasketch does; values
    (h * a + b) % (2^61 - 1) & 0xffffffff in uint64 (wrapping like
    datasketch), minimum over shingles;
  * MinHashLSH(threshold, num_perm): b x r chosen by datasketch's
    _optimal_param (weights 0.5/0.5; t = 0.8, K = 128 -> b = 9, r = 13),
    band keys = bytes of the byte-swapped uint64 slice, dict of sets, and
    a key -> band keys dict like datasketch's keys storage;
  * streaming keep-first: query; if any candidate, drop the record, else
    insert it and print it.  --verify also requires a candidate's MinHash
    estimate >= threshold.
Records (JSON Lines with "id" and "text") that are kept are written
unchanged to stdout.  Needs python3-numpy.
"""
import argparse
import hashlib
import json
import struct
import sys

import numpy as np

import dedup_common

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)


def shingles(text):
    """The set of word 5-gram shingles, as UTF-8 bytes."""
    return [s.encode('utf-8', 'surrogatepass')
            for s in dedup_common.shingles(text)]


def sha1_hash32(data):
    return struct.unpack('<I', hashlib.sha1(data).digest()[:4])[0]


# datasketch.lsh._optimal_param with its scipy.integrate.quad replaced by
# a composite Simpson rule (same choice of b, r)
def _integrate(f, a, b, n=200):
    if b <= a:
        return 0.0
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n):
        s += f(a + i * h) * (4 if i % 2 else 2)
    return s * h / 3


def _fp(t, b, r):
    return _integrate(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, t)


def _fn(t, b, r):
    return _integrate(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)),
                      t, 1.0)


def optimal_param(threshold, num_perm, fp_w=0.5, fn_w=0.5):
    min_error = float('inf')
    opt = (0, 0)
    for b in range(1, num_perm + 1):
        max_r = int(num_perm / b)
        for r in range(1, max_r + 1):
            error = _fp(threshold, b, r) * fp_w + _fn(threshold, b, r) * fn_w
            if error < min_error:
                min_error = error
                opt = (b, r)
    return opt


class MinHash:
    def __init__(self, num_perm, seed=1):
        gen = np.random.RandomState(seed)
        self.perm = np.array([(gen.randint(1, MERSENNE, dtype=np.uint64),
                               gen.randint(0, MERSENNE, dtype=np.uint64))
                              for _ in range(num_perm)], dtype=np.uint64).T
        self.num_perm = num_perm

    def signature(self, shingles):
        hv = np.ones(self.num_perm, dtype=np.uint64) * MAX_HASH
        if not shingles:
            return hv
        h = np.array([sha1_hash32(s) for s in shingles],
                     dtype=np.uint64).reshape(-1, 1)
        a, b = self.perm
        phv = ((h * a + b) % MERSENNE) & MAX_HASH
        return np.minimum(hv, phv.min(axis=0))


class LSH:
    def __init__(self, num_perm, b, r):
        self.ranges = [(i * r, (i + 1) * r) for i in range(b)]
        self.tables = [dict() for _ in range(b)]
        self.keys = {}
        self.sigs = {}

    @staticmethod
    def _h(hs):
        return bytes(hs.byteswap().data)

    def insert(self, key, hv, keep_sig=False):
        hs = [self._h(hv[s:e]) for s, e in self.ranges]
        self.keys[key] = hs
        for h, t in zip(hs, self.tables):
            t.setdefault(h, set()).add(key)
        if keep_sig:
            self.sigs[key] = hv

    def query(self, hv):
        cand = set()
        for (s, e), t in zip(self.ranges, self.tables):
            got = t.get(self._h(hv[s:e]))
            if got:
                cand.update(got)
        return cand


def records(files):
    if not files:
        files = ['-']
    for fn in files:
        f = sys.stdin.buffer if fn == '-' else open(fn, 'rb')
        for line in f:
            if line.strip():
                yield line
        if f is not sys.stdin.buffer:
            f.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('files', nargs='*')
    ap.add_argument('--threshold', type=float, default=0.8)
    ap.add_argument('--num-perm', type=int, default=128)
    ap.add_argument('--bands', type=int)
    ap.add_argument('--rows', type=int)
    ap.add_argument('-q', '--quiet', action='store_true')
    ap.add_argument('--verify', action='store_true',
                    help='drop only if a candidate estimates J >= threshold')
    a = ap.parse_args()
    if a.bands and a.rows:
        b, r = a.bands, a.rows
        if b * r > a.num_perm:
            ap.error('bands x rows > num-perm')
    else:
        b, r = optimal_param(a.threshold, a.num_perm)
    if not a.quiet:
        print('dedup-peer: K=%d b=%d r=%d%s' % (
            a.num_perm, b, r, ' verify' if a.verify else ''), file=sys.stderr)
    mh = MinHash(a.num_perm)
    lsh = LSH(a.num_perm, b, r)
    out = sys.stdout.buffer
    n = kept = 0
    for line in records(a.files):
        rec = json.loads(line.decode('utf-8', errors='replace'))
        text = rec.get('text')
        sh = shingles(text if isinstance(text, str) else '')
        hv = mh.signature(sh)
        n += 1
        cand = lsh.query(hv)
        if cand and a.verify:
            cand = [k for k in cand if
                    np.count_nonzero(lsh.sigs[k] == hv) >=
                    a.threshold * a.num_perm]
        if cand:
            continue
        lsh.insert(n, hv, a.verify)
        kept += 1
        out.write(line if line.endswith(b'\n') else line + b'\n')
    if not a.quiet:
        print('dedup-peer: %d records, %d kept, %d dropped' % (
            n, kept, n - kept), file=sys.stderr)


if __name__ == '__main__':
    main()
