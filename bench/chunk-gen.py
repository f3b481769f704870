#!/usr/bin/env python3
"""Write JSONL records of about 4 KB of text of one kind, from files of
this Debian system, until MB megabytes:

    chunk-gen.py en|code|multi MB > out.jsonl

en: English man pages (roff requests stripped), copyright files and
licences; code: C headers and Python modules; multi: the translated man
pages (cs de es fi fr hr hu id it ja ko nl pl pt ro ru sl sr sv tr uk vi
zh...).  Sources are taken in sorted order, so the corpus is the same on
the same system.
"""
import glob
import gzip
import json
import re
import sys

ROFF = re.compile(r"\\f[BIRP]|\\\(..|\\[-e&|^]|\\s[-+]?\d")


def roff_text(path):
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="strict") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError, EOFError):
        return ""
    out = []
    for line in lines:
        if line.startswith((".", "'")):
            if line[:3] in (".PP", ".SH", ".LP", ".P ", ".TP"):
                out.append("")
            continue
        out.append(ROFF.sub("", line))
    return "\n".join(out)


def plain(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return ""


def sources(kind):
    if kind == "en":
        for p in sorted(glob.glob("/usr/share/man/man[1-8]/*.gz")):
            yield roff_text(p)
        for p in sorted(glob.glob("/usr/share/doc/*/copyright")):
            yield plain(p)
        for p in sorted(glob.glob("/usr/share/common-licenses/*")):
            yield plain(p)
    elif kind == "code":
        for p in sorted(glob.glob("/usr/include/**/*.h", recursive=True)):
            yield plain(p)
        for p in sorted(glob.glob("/usr/lib/python3/**/*.py",
                                  recursive=True)):
            yield plain(p)
    else:
        # One page of each language in turn.
        langs = [sorted(glob.glob(d + "/man*/*.gz")) for d in
                 sorted(glob.glob("/usr/share/man/*"))
                 if not re.search(r"/man\d$", d)]
        for i in range(max(len(x) for x in langs)):
            for pages in langs:
                if i < len(pages):
                    yield roff_text(pages[i])


def main():
    kind, mb = sys.argv[1], float(sys.argv[2])
    limit = int(mb * 1e6)
    size, n, buf = 0, 0, ""
    while size < limit:
        produced = False
        for text in sources(kind):
            if not text.strip():
                continue
            produced = True
            buf += text
            while len(buf) >= 4000 and size < limit:
                cut = buf.rfind("\n", 3000, 5000)
                cut = cut + 1 if cut > 0 else 4000
                rec = json.dumps({"id": "%s%d" % (kind, n),
                                  "text": buf[:cut]}, ensure_ascii=False)
                sys.stdout.write(rec + "\n")
                size += len(rec.encode()) + 1
                n += 1
                buf = buf[cut:]
            if size >= limit:
                break
        if not produced:
            sys.exit("chunk-gen.py: no %s sources on this system" % kind)


if __name__ == "__main__":
    main()
