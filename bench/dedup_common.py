"""The benchmark's normalisation, shared by dedup-gen.py, dedup-eval.py and
dedup-peer.py: lowercase; tokens are the maximal runs of characters of
Unicode category L*, N* or M*; shingles are the word 5-grams (a text of 1 to
4 tokens is one shingle of all of them; no token, no shingle)."""

import re
import sys
import unicodedata


def _token_re():
    """A regex for the tokens: Python's \\w is L* and N* plus '_'; marks
    (M*) are added and '_' is turned into a space before matching.  The
    equivalence is checked over all of Unicode; if it does not hold on this
    Python, an explicit (slower) character class is used."""
    marks = []
    ln = []
    w = re.compile(r'\w')
    same = True
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        k = unicodedata.category(c)[0]
        if k == 'M':
            marks.append(cp)
        if k in 'LNM':
            ln.append(cp)
        if same and cp != 0x5f and (k in 'LN') != bool(w.match(c)):
            same = False

    def ranges(cps):
        out = []
        start = prev = None
        for cp in cps:
            if start is None:
                start = prev = cp
            elif cp == prev + 1:
                prev = cp
            else:
                out.append((start, prev))
                start = prev = cp
        if start is not None:
            out.append((start, prev))
        return ''.join('\\U%08x-\\U%08x' % r for r in out)

    if same:
        return re.compile('[\\w' + ranges(marks) + ']+'), True
    return re.compile('[' + ranges(ln) + ']+'), False


TOKEN_RE, _FAST = _token_re()
ASCII_RE = re.compile('[a-z0-9]+')


def tokens(text):
    t = text.lower()
    if t.isascii():
        return ASCII_RE.findall(t)
    if _FAST:
        t = t.replace('_', ' ')
    return TOKEN_RE.findall(t)


def shingles(text):
    """The set of word 5-gram shingles of text, as strings."""
    t = tokens(text)
    if not t:
        return set()
    if len(t) < 5:
        return {' '.join(t)}
    return {' '.join(t[i:i + 5]) for i in range(len(t) - 4)}
