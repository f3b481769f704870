#!/usr/bin/env python3
"""dedup-gen.py: build a near-duplicate benchmark of real prose for df-dedup.

Documents are cut from prose that Debian ships (man pages converted from
roff, /usr/share/common-licenses, /usr/share/doc/*/copyright, changelogs,
README and NEWS files, translated man pages), ~300-1000 words each.  Some
of them get near-duplicate copies made by realistic edits: web boilerplate
(navigation bars, cookie notices, share buttons, copyright footers),
deleted / inserted sentences, word swaps and replacements, typos, case,
punctuation and whitespace changes, paragraph moves, truncation, and exact
copies.  Each copy is made to hit a target Jaccard similarity (word
5-gram shingles, the normalisation of dedup-eval.py) against its source,
from 0.3 to 1.0; some copies are made from other copies, so chains occur.

Output: JSON Lines {"id":"d000001","text":...} in a shuffled order (copies
of one document are never adjacent), to stdout or -o FILE.  A summary of
what was built goes to stderr, and as JSON to --stats FILE.  The result
depends only on --docs, --seed and the files installed on the machine.

Usage: dedup-gen.py [--docs 10000] [--seed 1] [--dup-share 0.31]
                    [--tiny 0.003] [-o FILE] [--stats FILE]
Standard library only.
"""
import argparse
import gzip
import html
import json
import os
import random
import re
import sys
import time
import zlib


# ---------------------------------------------------------------- tokens --
# The normalisation of the benchmark truth (see dedup-eval.py).
from dedup_common import tokens, shingles  # noqa: E402,F401


def jaccard(a, b):
    if not a and not b:
        return 1.0
    i = len(a & b)
    return i / (len(a) + len(b) - i)


# ------------------------------------------------------------ roff → text --
SPECIAL = {
    'lq': '\u201c', 'rq': '\u201d', 'oq': '\u2018', 'cq': '\u2019',
    'aq': "'", 'dq': '"', 'em': '\u2014', 'en': '\u2013', 'hy': '-',
    'mi': '-', 'bu': '\u2022', 'co': '\u00a9', 'rg': '\u00ae', 'tm': '\u2122',
    'ga': '`', 'ha': '^', 'ti': '~', 'rs': '\\', 'sl': '/', 'ba': '|',
    'bv': '|', 'pl': '+', 'eq': '=', 'lt': '<', 'gt': '>', 'ul': '_',
    'de': '\u00b0', 'mu': '\u00d7', 'di': '\u00f7', '->': '\u2192',
    '<-': '\u2190', 'R': '\u00ae', 'Tm': '\u2122', 'L"': '\u201c',
    'R"': '\u201d', "'": "'", '`': '`', 'ss': '\u00df',
}
RE_FONT = re.compile(r'\\f(?:\[[^\]]*\]|\(..|.)')
RE_SIZE = re.compile(r'\\s[+-]?\d+|\\s\[[^\]]*\]|\\s\(\d\d')
RE_STR = re.compile(r'\\\*(?:\[([^\]]*)\]|\((..)|(.))')
RE_CHR = re.compile(r'\\(?:\[([^\]]*)\]|\((..))')
RE_MISC = re.compile(r'\\[kvhwoxLlbHSNXZVYg]\'[^\']*\'|\\[knY]\S|'
                     r'\\[0|^&)%cd:,/u]')
RE_ESC = re.compile(r'\\(.)')
MDOC = set('''Ad An Ap Ar At Bd Bf Bk Bl Bo Bq Brc Bro Brq Bsx Bt Bx Cd Cm D1
Db Dc Dd Dl Do Dq Dt Dv Dx Ec Ed Ef Ek El Em En Eo Er Es Ev Ex Fa Fc Fd Fl Fn
Fo Fr Ft Fx Hf Ic In It Lb Li Lk Lp Ms Mt Nd Nm No Ns Nx Oc Oo Op Os Ot Ox Pa
Pc Pf Po Pp Pq Qc Ql Qo Qq Re Rs Rv Sc Sh Sm So Sq Ss St Sx Sy Ta Tn Ud Ux Va
Vt Xc Xo Xr'''.split())
SKIP_REGION = {'de': '..', 'de1': '..', 'am': '..', 'ig': '..', 'TS': '.TE',
               'nf': '.fi', 'EX': '.EE', 'Bd': '.Ed', 'PS': '.PE',
               'EQ': '.EN'}


def roff_inline(s):
    s = RE_FONT.sub('', s)
    s = RE_SIZE.sub('', s)
    s = RE_STR.sub(lambda m: SPECIAL.get(m.group(1) or m.group(2) or
                                         m.group(3), ''), s)
    s = RE_CHR.sub(lambda m: SPECIAL.get(m.group(1) or m.group(2), ''), s)
    s = RE_MISC.sub('', s)
    s = s.replace('\\-', '-').replace('\\e', '\\').replace('\\ ', ' ')
    s = s.replace('\\~', ' ')
    return RE_ESC.sub(lambda m: m.group(1), s)


def roff_args(s):
    out = []
    for m in re.finditer(r'"((?:[^"]|"")*)"|(\S+)', s):
        out.append(m.group(1).replace('""', '"') if m.group(1) is not None
                   else m.group(2))
    return out


def roff_to_paragraphs(src):
    """Man page source (man or mdoc macros) to a list of text paragraphs.
    Examples, tables and macro definitions are left out."""
    paras = []
    cur = []

    def brk():
        if cur:
            paras.append(' '.join(cur))
            cur.clear()

    lines = src.split('\n')
    i = 0
    skip_until = None
    while i < len(lines):
        line = lines[i]
        i += 1
        if skip_until is not None:
            if line.startswith(skip_until):
                skip_until = None
            continue
        if line[:1] in ('.', "'"):
            body = line[1:].lstrip()
            if body.startswith('\\"') or not body:
                continue
            parts = body.split(None, 1)
            name = parts[0]
            rest = parts[1] if len(parts) > 1 else ''
            if name in SKIP_REGION:
                brk()
                skip_until = SKIP_REGION[name]
                continue
            if name in ('SH', 'SS', 'Sh', 'Ss'):
                brk()
                t = ' '.join(roff_args(roff_inline(rest)))
                if t:
                    paras.append(t)
                continue
            if name in ('PP', 'LP', 'P', 'TP', 'HP', 'sp', 'Pp', 'Lp',
                        'br', 'It', 'Bl', 'El', 'RS', 'RE', 'TQ'):
                brk()
                if name == 'It' and rest:
                    w = [x for x in roff_args(rest) if x not in MDOC]
                    if w:
                        cur.append(roff_inline(' '.join(w)))
                continue
            if name == 'IP':
                brk()
                a = roff_args(rest)
                if a and '\\(bu' not in a[0] and a[0] not in ('-', '*'):
                    cur.append(roff_inline(a[0]))
                continue
            if name in ('B', 'I', 'SM', 'SB'):
                t = roff_inline(' '.join(roff_args(rest)))
                if t:
                    cur.append(t)
                continue
            if name in ('BR', 'RB', 'IR', 'RI', 'BI', 'IB'):
                t = roff_inline(''.join(roff_args(rest)))
                if t:
                    cur.append(t)
                continue
            if name in MDOC:
                if name in ('Nd',) and rest:
                    cur.append('-')
                w = []
                dash = name == 'Fl'
                for a in roff_args(rest):
                    if a in MDOC:
                        dash = a == 'Fl'
                        continue
                    w.append(('-' if dash else '') + a)
                    dash = False
                t = roff_inline(' '.join(w))
                t = re.sub(r' ([.,;:)])', r'\1', t)
                if t:
                    cur.append(t)
                continue
            continue        # any other request or macro: no text
        if not line.strip():
            brk()
            continue
        t = roff_inline(line).strip()
        if t:
            cur.append(t)
    brk()
    return paras


# ------------------------------------------------------------ plain text --
RE_BULLET = re.compile(r'^\s*(?:[*+\u2022-]|\d+[.)])\s+')


def text_to_paragraphs(src, debian_copyright=False):
    paras = []
    cur = []
    for line in src.split('\n'):
        if debian_copyright:
            if line.startswith(' '):
                line = line[1:]
            if line.strip() == '.':
                line = ''
        s = line.strip()
        if not s or set(s) <= set('-=*_#~'):
            if cur:
                paras.append(' '.join(cur))
                cur = []
            continue
        if cur and (RE_BULLET.match(line) or re.match(r'\S+:\s', line)
                    and debian_copyright):
            paras.append(' '.join(cur))
            cur = []
        cur.append(s)
    if cur:
        paras.append(' '.join(cur))
    return paras


RE_SENT = re.compile(r'(?<=[.!?])\s+(?=\S)')


def split_sentences(p):
    s = [x for x in RE_SENT.split(p) if x]
    out = []
    for x in s:     # very long "sentences" (lists, bullets) split by words
        w = x.split(' ')
        while len(w) > 60:
            out.append(' '.join(w[:40]))
            w = w[40:]
        out.append(' '.join(w))
    return out


# --------------------------------------------------------------- sources --
def read_file(path):
    try:
        if path.endswith('.gz'):
            with gzip.open(path, 'rb') as f:
                data = f.read(1 << 20)
        else:
            with open(path, 'rb') as f:
                data = f.read(1 << 20)
    except (OSError, EOFError, zlib.error):
        return None
    if b'\0' in data[:4096]:
        return None
    return data.decode('utf-8', errors='replace')


def list_sources():
    """Source files by kind, sorted (the rng shuffles them)."""
    kinds = {'man': [], 'man-l10n': [], 'changelog': [], 'copyright': [],
             'license': [], 'doc': [], 'info': [], 'vim': [], 'rst-pod': []}
    mroot = '/usr/share/man'
    if os.path.isdir(mroot):
        for d in sorted(os.listdir(mroot)):
            p = os.path.join(mroot, d)
            if re.fullmatch(r'man\w+', d):
                for f in sorted(os.listdir(p)):
                    # gcloud's 16,000 generated pages are one template
                    if not f.startswith('gcloud'):
                        kinds['man'].append(os.path.join(p, f))
            elif os.path.isdir(p) and \
                    d.split('_')[0] not in ('ja', 'zh', 'ko'):
                # translated pages, languages written with spaces
                for sd in sorted(os.listdir(p)):
                    q = os.path.join(p, sd)
                    if os.path.isdir(q):
                        kinds['man-l10n'] += [os.path.join(q, f)
                                              for f in sorted(os.listdir(q))]
    lroot = '/usr/share/common-licenses'
    if os.path.isdir(lroot):
        kinds['license'] = [os.path.join(lroot, f)
                            for f in sorted(os.listdir(lroot))
                            if os.path.isfile(os.path.join(lroot, f))]
    droot = '/usr/share/doc'
    docext = ('.txt', '.md', '.rst', '.html', '.htm', '.text')
    for top, dirs, files in os.walk(droot):
        dirs.sort()
        for f in sorted(files):
            q = os.path.join(top, f)
            if os.path.islink(q) or not os.path.isfile(q):
                continue
            base = f[:-3] if f.endswith('.gz') else f
            if top == droot:
                continue
            if f == 'copyright':
                kinds['copyright'].append(q)
            elif f.startswith('changelog'):
                kinds['changelog'].append(q)
            elif base.lower().endswith(docext) or re.match(
                    r'(README|NEWS|FAQ|TODO|AUTHORS|THANKS|CHANGES|HISTORY)'
                    r'(\.\w+)?$', base, re.I):
                kinds['doc'].append(q)
    iroot = '/usr/share/info'
    if os.path.isdir(iroot):
        kinds['info'] = [os.path.join(iroot, f) for f in
                         sorted(os.listdir(iroot)) if '.info' in f]
    for top, dirs, files in os.walk('/usr/share/vim'):
        dirs.sort()
        if top.endswith('/doc'):
            kinds['vim'] += [os.path.join(top, f) for f in sorted(files)
                             if f.endswith('.txt')]
    for top, dirs, files in os.walk('/usr/share'):
        # CMake's reStructuredText manual, Perl's POD manual
        dirs[:] = sorted(d for d in dirs if top != '/usr/share' or
                         d.startswith(('cmake', 'perl')))
        kinds['rst-pod'] += [os.path.join(top, f) for f in sorted(files)
                             if f.endswith(('.rst', '.pod'))]
    return kinds


RE_TAGS = re.compile(r'<(script|style)\b.*?</\1\s*>|<!--.*?-->', re.S | re.I)
RE_BLOCK = re.compile(r'<(?:/?(?:p|div|h\d|li|ul|ol|pre|table|tr|br|dd|dt|'
                      r'section|article|blockquote)\b[^>]*)>', re.I)
RE_TAG = re.compile(r'<[^>]*>')


def html_to_text(src):
    src = RE_TAGS.sub(' ', src)
    src = RE_BLOCK.sub('\n\n', src)
    src = RE_TAG.sub('', src)
    return html.unescape(src)


def file_paragraphs(kind, path):
    src = read_file(path)
    if src is None:
        return []
    if kind.startswith('man'):
        return roff_to_paragraphs(src)
    if path.endswith(('.html', '.htm', '.html.gz')):
        src = html_to_text(src)
    elif kind == 'info':
        src = src.replace('\x1f', '\n\n').replace('\x7f', ' ')
    return text_to_paragraphs(src, debian_copyright=(kind == 'copyright'))


def good_chunk(text, toks):
    if len(toks) < 300:
        return False
    words = sum(1 for t in toks if len(t) > 1 and t.isalpha())
    if words < 0.7 * len(toks):
        return False
    letters = len(RE_NOT_LETTER.sub('', text))
    return letters >= 0.8 * len(text)


RE_NOT_LETTER = re.compile(r'[^\w ]|[\d_]')


def chunks_of(paras, rng, max_chunks):
    """Cut paragraphs into documents of ~300-1000 words (a paragraph longer
    than the target is cut at sentence boundaries).  A long file is entered
    at a random paragraph."""
    if len(paras) > max_chunks * 60:
        paras = paras[rng.randrange(len(paras) - max_chunks * 60):]
    out = []
    cur = []       # paragraphs, each a list of sentences
    n = 0
    target = rng.randint(300, 1000)
    for p in paras:
        k = len(p.split())
        if n + k > target + 100 and k > 150:
            sents = split_sentences(p)      # fill up with sentences
            while sents:
                take = []
                while sents and n < target:
                    take.append(sents.pop(0))
                    n += len(take[-1].split())
                if take:
                    cur.append(take)
                if n >= target:
                    out.append(cur)
                    if len(out) >= max_chunks:
                        return out
                    cur, n = [], 0
                    target = rng.randint(300, 1000)
            continue
        cur.append(p)
        n += k
        if n >= target:
            out.append(cur)
            if len(out) >= max_chunks:
                return out
            cur, n = [], 0
            target = rng.randint(300, 1000)
    return out


def para_struct(paras):
    """A document as paragraphs of sentences."""
    return [split_sentences(p) if not isinstance(p, list) else
            [s for x in p for s in split_sentences(x)] for p in paras]


def render(doc):
    return '\n\n'.join(' '.join(p) for p in doc if p)


class Pool:
    """Accepted original documents; a sample of their shingles keeps the
    originals from overlapping much (Debian repeats licence texts a lot)."""

    def __init__(self):
        self.docs = []          # paragraph/sentence structures
        self.seen = set()       # sampled shingle hashes (1 in 8)
        self.tokh = {}          # token -> crc32 (deterministic hashes)

    def offer(self, doc):
        text = render(doc)
        toks = tokens(text)
        if not good_chunk(text, toks):
            return False
        th = [self.tokh.get(t) or self.tokh.setdefault(
            t, zlib.crc32(t.encode())) for t in toks]
        sample = {h for h in (hash(tuple(th[i:i + 5]))
                              for i in range(len(th) - 4)) if h & 7 == 0}
        if not sample or len(sample & self.seen) > 0.15 * len(sample):
            return False
        self.seen |= sample
        self.docs.append(doc)
        return True


def build_pool(need, rng, log):
    kinds = list_sources()
    weights = {'man': 30, 'changelog': 15, 'copyright': 5, 'doc': 15,
               'man-l10n': 8, 'license': 2, 'info': 10, 'vim': 10,
               'rst-pod': 5}
    per_file = {'man': 6, 'man-l10n': 6, 'copyright': 4, 'changelog': 15}
    for k in kinds:
        rng.shuffle(kinds[k])
    pos = {k: 0 for k in kinds}
    pool = Pool()
    by_kind = {k: 0 for k in kinds}
    files = 0
    while len(pool.docs) < need:
        live = [k for k in kinds if pos[k] < len(kinds[k])]
        if not live:
            break
        k = rng.choices(live, [weights[x] for x in live])[0]
        path = kinds[k][pos[k]]
        pos[k] += 1
        files += 1
        paras = file_paragraphs(k, path)
        for ch in chunks_of(paras, rng, per_file.get(k, 40)):
            if pool.offer(para_struct(ch)):
                by_kind[k] += 1
                if len(pool.docs) >= need:
                    break
    log('pool: %d documents from %d files %s' % (
        len(pool.docs), files,
        ' '.join('%s=%d' % (k, v) for k, v in by_kind.items())))
    made = 0
    if len(pool.docs) < need:
        # Sources exhausted: documents of real sentences drawn at random
        # from the whole pool (they overlap the pool only sentence-wide).
        sents = [s for d in pool.docs for p in d for s in p
                 if len(s.split()) >= 6]
        while len(pool.docs) < need:
            target = rng.randint(300, 1000)
            doc = []
            n = 0
            while n < target:
                para = [rng.choice(sents) for _ in range(rng.randint(2, 7))]
                n += sum(len(s.split()) for s in para)
                doc.append(para)
            pool.docs.append(doc)
            made += 1
        log('pool: sources exhausted, %d more documents of random pool '
            'sentences' % made)
    return pool.docs, by_kind, made


# ------------------------------------------------------------ boilerplate --
SITES = ['LinuxDocs Hub', 'The Open Manual', 'DevNotes Daily', 'FreeSoft Wiki',
         'Unix Corner', 'Terminal Times', 'PackageWatch', 'The Sysadmin Blog',
         'CodeReader', 'Debian Digest', 'OpenSource Review',
         'HowToForge Mirror',
         'Kernel Weekly', 'Shell Stories', 'TechPaper Online']
NAVS = [['Home', 'About', 'Contact'],
        ['Home', 'Blog', 'Docs', 'Forum', 'About us', 'Contact'],
        ['Home', 'News', 'Tutorials', 'Reviews', 'Downloads', 'Login',
         'Register'],
        ['Skip to main content', 'Home', 'Products', 'Support', 'Community'],
        ['Menu', 'Search', 'Home', 'Latest', 'Popular', 'Categories',
         'Newsletter', 'Sign in']]
COOKIES = [
    'We use cookies to improve your experience on our website. By continuing '
    'to browse the site you agree to our use of cookies.',
    'This website uses cookies to ensure you get the best experience on our '
    'website. Learn more. Got it!',
    'Cookie notice: we and our partners store and access information on your '
    'device, such as cookies, and process personal data for personalised ads '
    'and content, ad and content measurement, audience insights and product '
    'development. Accept all | Reject all | Manage preferences',
    'By using this site you consent to the use of cookies in accordance with '
    'our Privacy Policy. OK']
SHARES = ['Share this article: Facebook Twitter LinkedIn Email',
          'Share: Facebook | X | Reddit | WhatsApp | Copy link',
          'Did you find this page helpful? Yes No',
          'Like this post? Share it with your friends!',
          'Print this page | Email this page | Bookmark']
NEWSLETTER = ['Subscribe to our newsletter to get the latest tutorials and '
              'news delivered straight to your inbox. Enter your email '
              'address Subscribe. We respect your privacy.',
              'Get weekly updates: join 20,000 readers who get our best '
              'articles every Friday. No spam, unsubscribe at any time.']
FOOTS = ['All rights reserved.', 'Terms of Use | Privacy Policy | Sitemap',
         'Powered by WordPress. Theme by ThemeGrill.', 'Back to top',
         'Advertise with us | Careers | Press | Accessibility statement',
         'Report an issue with this page', 'Made with love in Berlin.']
MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
          'August', 'September', 'October', 'November', 'December']
AUTHORS = ['admin', 'editor', 'Jane Doe', 'J. Smith', 'guest author',
           'the team', 'Maria Rossi', 'Chen Wei', 'Olu Adeyemi']


def web_piece(rng, site, pool, part):
    """One piece of web page chrome."""
    year = rng.randint(2005, 2025)
    if part == 'nav':
        nav = rng.choice(NAVS)
        sep = rng.choice([' | ', ' \u00b7 ', ' / ', '  ', ' \u2022 '])
        return site + sep + sep.join(nav)
    if part == 'crumb':
        words = render(rng.choice(pool)).split()[:rng.randint(3, 8)]
        return 'Home > ' + rng.choice(['Docs', 'Articles', 'Manual', 'Wiki',
                                       'Guides']) + ' > ' + ' '.join(words)
    if part == 'byline':
        return 'Posted by %s on %s %d, %d%s' % (
            rng.choice(AUTHORS), rng.choice(MONTHS), rng.randint(1, 28), year,
            rng.choice(['', ' \u00b7 %d min read' % rng.randint(2, 15),
                        ' | %d comments' % rng.randint(0, 90)]))
    if part == 'cookie':
        return rng.choice(COOKIES)
    if part == 'share':
        return rng.choice(SHARES)
    if part == 'news':
        return rng.choice(NEWSLETTER)
    if part == 'related':
        titles = []
        for _ in range(rng.randint(2, 5)):
            w = render(rng.choice(pool)).split()
            k = rng.randrange(max(1, len(w) - 10))
            titles.append(' '.join(w[k:k + rng.randint(4, 9)]))
        return rng.choice(['Related posts:', 'You may also like:',
                           'Read next:']) + ' ' + ' \u2022 '.join(titles)
    if part == 'tags':
        w = sorted(set(x.strip('.,;:()').lower() for x in
                       render(rng.choice(pool)).split()[:60]
                       if len(x) > 5 and x.isalpha()))[:rng.randint(3, 7)]
        return 'Tags: ' + ', '.join(w)
    if part == 'copy':
        return '\u00a9 %d%s %s. %s' % (
            year, rng.choice(['', '-%d' % (year + rng.randint(1, 5))]), site,
            rng.choice(FOOTS))
    if part == 'foot':
        return rng.choice(FOOTS)
    raise ValueError(part)


def web_chrome(rng, pool, budget):
    """Header and footer lines of about `budget` words in all."""
    site = rng.choice(SITES)
    head_parts = ['nav', 'crumb', 'byline', 'cookie']
    foot_parts = ['share', 'related', 'tags', 'news', 'copy', 'foot']
    head, foot = [], []
    n = 0
    order = [('h', 'nav')] + [(('h', p) if p in head_parts else ('f', p))
                              for p in rng.sample(head_parts[1:] + foot_parts,
                                                  8)]
    for where, part in order:
        if n >= budget:
            break
        s = web_piece(rng, site, pool, part)
        (head if where == 'h' else foot).append(s)
        n += len(tokens(s))
    if rng.random() < 0.5:
        foot.append(web_piece(rng, site, pool, 'copy'))
    return head, foot


# ------------------------------------------------------------- the edits --
SYN = {'use': 'utilize', 'file': 'document', 'files': 'documents',
       'show': 'display', 'shows': 'displays', 'print': 'output',
       'prints': 'outputs', 'default': 'standard', 'option': 'flag',
       'options': 'flags', 'program': 'application', 'command': 'instruction',
       'directory': 'folder', 'error': 'failure', 'errors': 'failures',
       'large': 'big', 'small': 'little', 'begin': 'start', 'end': 'finish',
       'must': 'should', 'may': 'might', 'also': 'additionally',
       'value': 'setting', 'values': 'settings', 'user': 'person',
       'users': 'people', 'change': 'modify', 'changes': 'modifications',
       'fix': 'repair', 'fixed': 'repaired', 'new': 'fresh', 'old': 'former',
       'free': 'gratis', 'software': 'code', 'license': 'licence',
       'following': 'next', 'get': 'obtain', 'need': 'require',
       'help': 'assist', 'allow': 'permit', 'allows': 'permits',
       'using': 'utilizing', 'number': 'count', 'list': 'listing',
       'given': 'specified', 'run': 'execute', 'runs': 'executes'}


def typo(rng, w):
    if len(w) < 4:
        return w + w[-1]
    i = rng.randrange(1, len(w) - 1)
    op = rng.randrange(3)
    if op == 0:
        return w[:i] + w[i + 1:]
    if op == 1:
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return w[:i] + w[i] + w[i:]


def positions(doc):
    return [(i, j) for i, p in enumerate(doc) for j in range(len(p))]


def op_del_sentence(rng, doc, pool):
    pos = positions(doc)
    if len(pos) < 3:
        return False
    i, j = rng.choice(pos)
    del doc[i][j]
    if not doc[i]:
        del doc[i]
    return True


def op_ins_sentence(rng, doc, pool):
    donor = rng.choice(pool)
    src = [s for p in donor for s in p if 5 <= len(s.split()) <= 40]
    if not src:
        return False
    s = rng.choice(src)
    i = rng.randrange(len(doc))
    doc[i].insert(rng.randint(0, len(doc[i])), s)
    return True


def _word_edit(rng, doc, fn):
    pos = positions(doc)
    for _ in range(10):
        i, j = rng.choice(pos)
        w = doc[i][j].split(' ')
        cand = [k for k in range(len(w)) if w[k].isalpha()]
        if len(cand) < 2:
            continue
        if fn(rng, w, cand):
            doc[i][j] = ' '.join(w)
            return True
    return False


def op_swap_words(rng, doc, pool):
    def f(rng, w, cand):
        k = rng.choice(cand[:-1])
        if k + 1 >= len(w) or not w[k + 1].isalpha():
            return False
        w[k], w[k + 1] = w[k + 1], w[k]
        return True
    return _word_edit(rng, doc, f)


def op_replace_word(rng, doc, pool):
    def f(rng, w, cand):
        syn = [k for k in cand if w[k].lower() in SYN]
        if syn and rng.random() < 0.7:
            k = rng.choice(syn)
            r = SYN[w[k].lower()]
            w[k] = r.capitalize() if w[k][0].isupper() else r
        else:
            k = rng.choice(cand)
            w[k] = typo(rng, w[k])
        return True
    return _word_edit(rng, doc, f)


def op_drop_word(rng, doc, pool):
    def f(rng, w, cand):
        del w[rng.choice(cand)]
        return True
    return _word_edit(rng, doc, f)


def op_move_para(rng, doc, pool):
    if len(doc) < 3:
        return False
    i = rng.randrange(len(doc))
    p = doc.pop(i)
    doc.insert(rng.randrange(len(doc) + 1), p)
    return True


def op_drop_para(rng, doc, pool):
    if len(doc) < 4:
        return False
    del doc[rng.randrange(len(doc))]
    return True


def op_repeat_para(rng, doc, pool):
    i = rng.randrange(len(doc))
    doc.insert(rng.randint(i + 1, len(doc)), list(doc[i]))
    return True


def op_numbers(rng, doc, pool):
    pos = [(i, j) for i, j in positions(doc) if re.search(r'\d', doc[i][j])]
    if not pos:
        return op_replace_word(rng, doc, pool)
    i, j = rng.choice(pos)
    doc[i][j] = re.sub(r'\d+', lambda m: str(int(m.group()) +
                                              rng.randint(1, 9)),
                       doc[i][j], count=1)
    return True


def op_contract(rng, doc, pool):
    """Token-changing punctuation: do not -> don't, e-mail -> email."""
    pairs = [(r'\bdo not\b', "don't"), (r'\bcannot\b', "can't"),
             (r'\bis not\b', "isn't"), (r'\bit is\b', "it's"),
             (r'\be-mail\b', 'email'), (r'\bwill not\b', "won't"),
             (r'\bre-', 're'), (r'\bnon-', 'non'), (r'\bsub-', 'sub')]
    pos = positions(doc)
    rng.shuffle(pos)
    for i, j in pos[:30]:
        for a, b in rng.sample(pairs, len(pairs)):
            s, k = re.subn(a, b, doc[i][j], count=1)
            if k:
                doc[i][j] = s
                return True
    return op_replace_word(rng, doc, pool)


SMALL_OPS = {
    'del': op_del_sentence, 'ins': op_ins_sentence, 'swap': op_swap_words,
    'repl': op_replace_word, 'dropw': op_drop_word, 'move': op_move_para,
    'dropp': op_drop_para, 'rep': op_repeat_para, 'num': op_numbers,
    'contr': op_contract}

# recipes: (weight, big edit, small ops with weights)
RECIPES = [
    (3, 'web', {'del': 1, 'repl': 1, 'num': 1}),
    (3, None, {'del': 4, 'ins': 3, 'swap': 1, 'repl': 2, 'dropw': 1}),
    (2, None, {'swap': 3, 'repl': 4, 'dropw': 2, 'contr': 1, 'num': 1}),
    (2, 'trunc', {'del': 1, 'repl': 1}),
    (2, 'web', {'del': 2, 'ins': 2, 'swap': 1, 'repl': 1, 'move': 1}),
    (1, None, {'dropp': 2, 'move': 2, 'rep': 1, 'del': 2, 'ins': 1}),
    (1, 'trunc', {'ins': 1, 'del': 1, 'swap': 1}),
]


def truncate(rng, doc, frac):
    sents = positions(doc)
    keep = max(2, int(round(len(sents) * frac)))
    out = []
    n = 0
    for p in doc:
        q = []
        for s in p:
            if n < keep:
                q.append(s)
                n += 1
        if q:
            out.append(q)
    if rng.random() < 0.5:
        out[-1].append(rng.choice(['Read more \u2026', '[\u2026]',
                                   '(continued on next page)', '...',
                                   'Continue reading \u2192']))
    return out


def copy_doc(d):
    return [list(p) for p in d]


def make_variant(rng, src, target, pool, ssrc):
    """Edit a copy of `src` (structure, header lines, footer lines) until
    its Jaccard similarity to the source (shingle set ssrc) is about
    `target`.  Returns the new structure, header and footer lines."""
    src, shead, sfoot = src
    weights = [r[0] for r in RECIPES]
    _, big, small = RECIPES[rng.choices(range(len(RECIPES)), weights)[0]]
    doc = copy_doc(src)
    head, foot = [], []
    n = max(1, len(ssrc))
    tol = 0.012
    if big == 'trunc':
        # truncation alone gives J ~ kept fraction; leave room for edits
        frac = min(1.0, target + rng.uniform(0, 1 - target) * 0.6)
        if frac < 0.995:
            doc = truncate(rng, doc, frac)
    elif big == 'web':
        # boilerplate of h words adds ~h+4 shingles: J ~ n / (n + h + 4)
        share = rng.uniform(0.4, 1.0)
        want = 1 - (1 - target) * share
        budget = max(3, int(n * (1 / want - 1)) - 4)
        head, foot = web_chrome(rng, pool, budget)

    head += shead
    foot += sfoot

    def sim(d):
        return jaccard(shingles('\n'.join(head) + '\n' + render(d) + '\n' +
                                '\n'.join(foot)), ssrc)

    j = sim(doc)
    names = list(small)
    ws = [small[k] for k in names]
    fails = 0
    steps = 0
    while j > target + tol and fails < 8 and steps < 100:
        steps += 1
        # several edits at once while far from the target (an edit moves
        # ~10-30 shingles), fewer after each overshoot
        k = max(1, int((j - target) * n / 40) >> fails)
        trial = copy_doc(doc)
        for _ in range(k):
            name = rng.choices(names, ws)[0]
            if j - target > 0.2 and rng.random() < 0.5:
                name = rng.choice(['del', 'dropp', 'ins'])
            SMALL_OPS[name](rng, trial, pool)
        jt = sim(trial)
        if jt < target - tol:
            fails += 1
            continue
        doc, j = trial, jt
    return doc, head, foot


# ------------------------------------------------------- format changes --
QUOTES = [("'", '\u2019'), ('"', '\u201d'), (' -- ', ' \u2014 '),
          ('...', '\u2026'), (' - ', ' \u2013 ')]


def reformat(rng, doc, head, foot):
    """Render with random case, punctuation and whitespace changes that do
    not change the tokens (except for rare non-ASCII case round trips)."""
    paras = [' '.join(p) for p in doc if p]
    # case
    r = rng.random()
    if r < 0.15:
        paras = [p.lower() for p in paras]
    elif r < 0.3:
        paras[0] = paras[0].upper()
    elif r < 0.4:
        k = rng.randrange(len(paras))
        paras[k] = paras[k].title()
    # punctuation
    if rng.random() < 0.4:
        for a, b in rng.sample(QUOTES, rng.randint(1, len(QUOTES))):
            paras = [p.replace(a, b) for p in paras]
    if rng.random() < 0.2:
        paras = [p.replace(', ', ' ') for p in paras]
    if rng.random() < 0.15:
        paras = [re.sub(r'\.(\s|$)', r'!\1', p, count=2) for p in paras]
    if rng.random() < 0.15:
        paras = [re.sub(r' ([;:!?])', r'\1', re.sub(r'([;:!?])', r' \1', p))
                 for p in paras]
    if rng.random() < 0.1:
        m = rng.choice(['**', '_', '> ', '\u2022 ', '# '])
        if m in ('**', '_'):
            paras = [re.sub(r'\b([A-Z]\w{4,})\b', m + r'\1' + m, p, count=1)
                     for p in paras]
        else:
            paras = [m + p for p in paras]
    # whitespace and layout
    r = rng.random()
    body_sep = '\n\n'
    if r < 0.2:
        w = rng.randint(60, 100)
        paras = [wrap(p, w) for p in paras]
    elif r < 0.35:
        body_sep = ' '
    elif r < 0.5:
        body_sep = '\n'
    elif r < 0.6:
        body_sep = '\r\n\r\n'
    elif r < 0.7:
        paras = [re.sub(r'([.!?]) ', r'\1  ', p) for p in paras]
    elif r < 0.78:
        paras = ['\t' + p + '   ' for p in paras]
    parts = []
    if head:
        parts.append('\n'.join(head))
    parts.append(body_sep.join(paras))
    if foot:
        parts.append('\n'.join(foot))
    return rng.choice(['\n\n', '\n', ' ']).join(parts)


def wrap(p, width):
    out, line, n = [], [], 0
    for w in p.split(' '):
        if n + len(w) > width and line:
            out.append(' '.join(line))
            line, n = [], 0
        line.append(w)
        n += len(w) + 1
    if line:
        out.append(' '.join(line))
    return '\n'.join(out)


# ---------------------------------------------------------------- tiny --
TINY = ['', ' ', '\u2026', '---', 'Page not found', '404 Not Found',
        'Loading...', 'Access denied.', 'Please enable JavaScript to view '
        'this page.', 'This page intentionally left blank.', 'Redirecting',
        'Error', 'Coming soon!', 'Under construction', 'Untitled document']


# ------------------------------------------------------------------ main --
def cluster_size(rng):
    r = rng.random()
    if r < 0.55:
        return 1
    if r < 0.75:
        return 2
    if r < 0.86:
        return 3
    if r < 0.95:
        return rng.randint(4, 6)
    return rng.randint(7, 15)


# variant kinds: (name, weight, target J range)
KINDS = [('exact', 18, (1.0, 1.0)), ('format', 27, (1.0, 1.0)),
         ('near', 27, (0.8, 0.99)), ('near-miss', 14, (0.65, 0.8)),
         ('far', 14, (0.3, 0.65))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--docs', type=int, default=10000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--dup-share', type=float, default=0.31,
                    help='share of documents that are edited copies')
    ap.add_argument('--tiny', type=float, default=0.003,
                    help='share of tiny or empty documents (web error pages)')
    ap.add_argument('-o', '--output')
    ap.add_argument('--stats', help='write a JSON summary here')
    ap.add_argument('-q', '--quiet', action='store_true')
    a = ap.parse_args()
    t0 = time.time()

    def log(msg):
        if not a.quiet:
            print('dedup-gen: ' + msg, file=sys.stderr)

    rng = random.Random(a.seed)
    n_tiny = int(round(a.docs * a.tiny))
    n_var = int(round((a.docs - n_tiny) * a.dup_share))
    n_orig = a.docs - n_tiny - n_var
    pool, by_kind, made = build_pool(n_orig, rng, log)
    log('pool built in %.1f s' % (time.time() - t0))

    # docs: (cluster, text, kind, source index, J to source)
    docs = []
    kinds_n = {k[0]: 0 for k in KINDS}
    knames = [k[0] for k in KINDS]
    kw = [k[1] for k in KINDS]
    krange = {k[0]: k[2] for k in KINDS}
    n_done = 0
    orig_order = list(range(len(pool)))
    rng.shuffle(orig_order)
    cl_of_orig = {}
    cl = 0
    for oi in orig_order:
        # structures of the cluster's members, for chains
        members = [(copy_doc(pool[oi]), [], [])]
        texts = [render(pool[oi])]
        sets = [shingles(texts[0])]
        docs.append((cl, texts[0], 'original', -1, 1.0))
        k = cluster_size(rng) if n_done < n_var else 0
        k = min(k, n_var - n_done)
        for _ in range(k):
            base = len(docs) - len(members)
            s = 0 if len(members) == 1 or rng.random() < 0.8 else \
                rng.randrange(1, len(members))
            kind = rng.choices(knames, kw)[0]
            kinds_n[kind] += 1
            sd, sh, sf = members[s]
            if kind == 'exact':
                text = texts[s]
                st = (sd, sh, sf)
            elif kind == 'format':
                st = (copy_doc(sd), list(sh), list(sf))
                text = reformat(rng, *st)
            else:
                lo, hi = krange[kind]
                target = rng.uniform(lo, hi)
                st = make_variant(rng, (sd, sh, sf), target, pool, sets[s])
                d = st[0]
                text = reformat(rng, *st) if rng.random() < 0.5 else \
                    '\n\n'.join(x for x in ['\n'.join(st[1]), render(d),
                                            '\n'.join(st[2])] if x)
            members.append(st)
            texts.append(text)
            sets.append(shingles(text))
            docs.append((cl, text, kind, base + s, jaccard(sets[-1], sets[s])))
            n_done += 1
        cl_of_orig[oi] = cl
        cl += 1
    for _ in range(n_tiny):
        t = rng.choice(TINY)
        if rng.random() < 0.3:
            t = t.upper()
        docs.append((-1, t, 'tiny', -1, 1.0))
    log('%d documents (%d originals, %d copies, %d tiny) in %.1f s' % (
        len(docs), len(pool), n_done, n_tiny, time.time() - t0))

    # shuffle; members of a cluster never adjacent
    order = list(range(len(docs)))
    rng.shuffle(order)

    def same(x, y):
        return docs[x][0] == docs[y][0] and docs[x][0] >= 0
    for _ in range(20):
        bad = 0
        for i in range(1, len(order)):
            if same(order[i], order[i - 1]) or \
                    (i + 1 < len(order) and same(order[i], order[i + 1])):
                j = rng.randrange(len(order))
                order[i], order[j] = order[j], order[i]
                bad += 1
        if not bad:
            break

    out = open(a.output, 'w', encoding='utf-8') if a.output else sys.stdout
    for n, i in enumerate(order, 1):
        out.write(json.dumps({'id': 'd%06d' % n, 'text': docs[i][1]},
                             ensure_ascii=False) + '\n')
    if a.output:
        out.close()

    # summary: J of each copy to the document it was made from
    hist = [0] * 8
    edges = ['<0.3', '0.3-0.5', '0.5-0.6', '0.6-0.7', '0.7-0.8', '0.8-0.9',
             '0.9-1.0', '1.0']
    for d in docs:
        if d[2] in ('original', 'tiny'):
            continue
        j = d[4]
        b = 7 if j >= 1.0 else 0 if j < 0.3 else 1 if j < 0.5 else \
            min(6, int(j * 10) - 3)
        hist[b] += 1
    words = sum(len(tokens(d[1])) for d in docs)
    size = sum(len(d[1].encode('utf-8')) for d in docs)
    stats = {'docs': len(docs), 'seed': a.seed, 'originals': len(pool),
             'copies': n_done, 'tiny': n_tiny, 'sources': by_kind,
             'synthetic_originals': made, 'copy_kinds': kinds_n,
             'copy_jaccard_to_source': dict(zip(edges, hist)),
             'tokens': words, 'text_bytes': size,
             'seconds': round(time.time() - t0, 1)}
    log('copies by kind: ' + json.dumps(kinds_n))
    log('J(copy, its source): ' + ', '.join('%s: %d' % x for x in
                                            zip(edges, hist)))
    log('%.1f M tokens, %.1f MB of text, %.1f s' % (words / 1e6, size / 1e6,
                                                    time.time() - t0))
    if a.stats:
        with open(a.stats, 'w') as f:
            json.dump(stats, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
