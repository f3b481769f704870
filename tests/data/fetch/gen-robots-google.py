#!/usr/bin/env python3
"""Write robots-google.jsonl: the allow/disallow expectations of Google's
robots_test.cc (github.com/google/robotstxt, Apache-2.0), one JSON record a
case: {"test", "robots", "agent", "url", "allowed"}.  The four "system test"
cases with an empty URL or agent cannot go through a line interface and
are left out; IsValidUserAgentToObey and the parse-report tests hold no
URL expectations.  Run: python3 gen-robots-google.py > robots-google.jsonl
"""
import json

cases = []


def add(test, robots, agent, url, allowed):
    cases.append({"test": test, "robots": robots, "agent": agent,
                  "url": url, "allowed": allowed})


T, F = True, False

# ID_LineSyntax_Line
t = "ID_LineSyntax_Line"
u = "http://foo.bar/x/y"
add(t, "user-agent: FooBot\ndisallow: /\n", "FooBot", u, F)
add(t, "foo: FooBot\nbar: /\n", "FooBot", u, T)
add(t, "user-agent FooBot\ndisallow /\n", "FooBot", u, F)

# ID_LineSyntax_Groups
t = "ID_LineSyntax_Groups"
r = ("allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\n"
     "user-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\n"
     "user-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n")
w, x, y, z = ("http://foo.bar/w/a", "http://foo.bar/x/b",
              "http://foo.bar/y/c", "http://foo.bar/z/d")
foo = "http://foo.bar/foo/bar/"
add(t, r, "FooBot", x, T)
add(t, r, "FooBot", z, T)
add(t, r, "FooBot", y, F)
add(t, r, "BarBot", y, T)
add(t, r, "BarBot", w, T)
add(t, r, "BarBot", z, F)
add(t, r, "BazBot", z, T)
add(t, r, "FooBot", foo, F)
add(t, r, "BarBot", foo, F)
add(t, r, "BazBot", foo, F)

# ID_REPLineNamesCaseInsensitive
t = "ID_REPLineNamesCaseInsensitive"
for r in ("USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n",
          "user-agent: FooBot\nallow: /x/\ndisallow: /\n",
          "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n"):
    add(t, r, "FooBot", "http://foo.bar/x/y", T)
    add(t, r, "FooBot", "http://foo.bar/a/b", F)

# ID_UserAgentValueCaseInsensitive
t = "ID_UserAgentValueCaseInsensitive"
for agent in ("Foo", "foo"):
    for r in ("User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n",
              "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n",
              "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n"):
        add(t, r, agent, "http://foo.bar/x/y", T)
        add(t, r, agent, "http://foo.bar/a/b", F)

# GoogleOnly_AcceptUserAgentUpToFirstSpace
t = "GoogleOnly_AcceptUserAgentUpToFirstSpace"
r = ("User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\n"
     "Disallow: /\n")
add(t, r, "Foo", "http://foo.bar/x/y", T)
add(t, r, "Foo Bar", "http://foo.bar/x/y", F)

# ID_GlobalGroups_Secondary
t = "ID_GlobalGroups_Secondary"
u = "http://foo.bar/x/y"
add(t, "", "FooBot", u, T)
g = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
add(t, g, "FooBot", u, F)
add(t, g, "BarBot", u, T)
add(t, "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\n"
    "user-agent: BazBot\ndisallow: /\n", "QuxBot", u, T)

# ID_AllowDisallow_Value_CaseSensitive
t = "ID_AllowDisallow_Value_CaseSensitive"
add(t, "user-agent: FooBot\ndisallow: /x/\n", "FooBot", u, F)
add(t, "user-agent: FooBot\ndisallow: /X/\n", "FooBot", u, T)

# ID_LongestMatch
t = "ID_LongestMatch"
u = "http://foo.bar/x/page.html"
add(t, "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n",
    "FooBot", u, F)
r = "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n"
add(t, r, "FooBot", u, T)
add(t, r, "FooBot", "http://foo.bar/x/", F)
add(t, "user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", u, T)
add(t, "user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", u, T)
r = "user-agent: FooBot\ndisallow: /x\nallow: /x/\n"
add(t, r, "FooBot", "http://foo.bar/x", F)
add(t, r, "FooBot", "http://foo.bar/x/", T)
add(t, "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n",
    "FooBot", u, T)
r = "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n"
add(t, r, "FooBot", "http://foo.bar/page.html", F)
add(t, r, "FooBot", "http://foo.bar/page", T)
r = "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n"
add(t, r, "FooBot", u, T)
add(t, r, "FooBot", "http://foo.bar/x/y.html", F)
r = "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n"
add(t, r, "FooBot", "http://foo.bar/x/page", T)
add(t, r, "FooBot", "http://foo.bar/y/page", F)

# ID_Encoding
t = "ID_Encoding"
add(t, "User-agent: FooBot\nDisallow: /\n"
    "Allow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", "FooBot",
    "http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par", T)
r = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/\u30c4\n"
add(t, r, "FooBot", "http://foo.bar/foo/bar/%E3%83%84", T)
add(t, r, "FooBot", "http://foo.bar/foo/bar/\u30c4", F)
r = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n"
add(t, r, "FooBot", "http://foo.bar/foo/bar/%E3%83%84", T)
add(t, r, "FooBot", "http://foo.bar/foo/bar/\u30c4", F)
r = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n"
add(t, r, "FooBot", "http://foo.bar/foo/bar/baz", F)
add(t, r, "FooBot", "http://foo.bar/foo/bar/%62%61%7A", T)

# ID_SpecialCharacters
t = "ID_SpecialCharacters"
r = "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n"
add(t, r, "FooBot", "http://foo.bar/foo/bar/quz", F)
add(t, r, "FooBot", "http://foo.bar/foo/quz", T)
add(t, r, "FooBot", "http://foo.bar/foo//quz", T)
add(t, r, "FooBot", "http://foo.bar/foo/bax/quz", T)
r = "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n"
add(t, r, "FooBot", "http://foo.bar/foo/bar", F)
add(t, r, "FooBot", "http://foo.bar/foo/bar/qux", T)
add(t, r, "FooBot", "http://foo.bar/foo/bar/", T)
add(t, r, "FooBot", "http://foo.bar/foo/bar/baz", T)
r = "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n"
add(t, r, "FooBot", "http://foo.bar/foo/bar", T)
add(t, r, "FooBot", "http://foo.bar/foo/quz", F)

# GoogleOnly_IndexHTMLisDirectory
t = "GoogleOnly_IndexHTMLisDirectory"
r = "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n"
add(t, r, "foobot", "http://foo.com/allowed-slash/", T)
add(t, r, "foobot", "http://foo.com/allowed-slash/index.htm", F)
add(t, r, "foobot", "http://foo.com/allowed-slash/index.html", T)
add(t, r, "foobot", "http://foo.com/anyother-url", F)

# GoogleOnly_LineTooLong
t = "GoogleOnly_LineTooLong"
maxlen = 2083 * 8
allow, disallow = "allow: ", "disallow: "
longline = "/x/"
ml = maxlen - len(longline) - len(disallow) + 1
while len(longline) < ml:
    longline += "a"
r = "user-agent: FooBot\n" + disallow + longline + "/qux\n"
add(t, r, "FooBot", "http://foo.bar/fux", T)
add(t, r, "FooBot", "http://foo.bar" + longline + "/fux", F)
la, lb = "/x/", "/x/"
ml = maxlen - len(la) - len(allow) + 1
while len(la) < ml:
    la += "a"
    lb += "b"
r = ("user-agent: FooBot\ndisallow: /\n" + allow + la + "/qux\n" +
     allow + lb + "/qux\n")
add(t, r, "FooBot", "http://foo.bar/", F)
add(t, r, "FooBot", "http://foo.bar" + la + "/qux", T)
add(t, r, "FooBot", "http://foo.bar" + lb + "/fux", T)

# GoogleOnly_DocumentationChecks
t = "GoogleOnly_DocumentationChecks"
b = "http://foo.bar"
r = "user-agent: FooBot\ndisallow: /\nallow: /fish\n"
for p, a in (("/bar", F), ("/fish", T), ("/fish.html", T),
             ("/fish/salmon.html", T), ("/fishheads", T),
             ("/fishheads/yummy.html", T), ("/fish.html?id=anything", T),
             ("/Fish.asp", F), ("/catfish", F), ("/?id=fish", F)):
    add(t, r, "FooBot", b + p, a)
r = "user-agent: FooBot\ndisallow: /\nallow: /fish*\n"
for p, a in (("/bar", F), ("/fish", T), ("/fish.html", T),
             ("/fish/salmon.html", T), ("/fishheads", T),
             ("/fishheads/yummy.html", T), ("/fish.html?id=anything", T),
             ("/Fish.bar", F), ("/catfish", F), ("/?id=fish", F)):
    add(t, r, "FooBot", b + p, a)
r = "user-agent: FooBot\ndisallow: /\nallow: /fish/\n"
for p, a in (("/bar", F), ("/fish/", T), ("/fish/salmon", T),
             ("/fish/?salmon", T), ("/fish/salmon.html", T),
             ("/fish/?id=anything", T), ("/fish", F), ("/fish.html", F),
             ("/Fish/Salmon.html", F)):
    add(t, r, "FooBot", b + p, a)
r = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n"
for p, a in (("/bar", F), ("/filename.php", T), ("/folder/filename.php", T),
             ("/folder/filename.php?parameters", T),
             ("//folder/any.php.file.html", T), ("/filename.php/", T),
             ("/index?f=filename.php/", T), ("/php/", F), ("/index?php", F),
             ("/windows.PHP", F)):
    add(t, r, "FooBot", b + p, a)
r = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n"
for p, a in (("/bar", F), ("/filename.php", T), ("/folder/filename.php", T),
             ("/filename.php?parameters", F), ("/filename.php/", F),
             ("/filename.php5", F), ("/php/", F), ("/filename?php", F),
             ("/aaaphpaaa", F), ("//windows.PHP", F)):
    add(t, r, "FooBot", b + p, a)
r = "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n"
for p, a in (("/bar", F), ("/fish.php", T),
             ("/fishheads/catfish.php?parameters", T), ("/Fish.PHP", F)):
    add(t, r, "FooBot", b + p, a)
add(t, "user-agent: FooBot\nallow: /p\ndisallow: /\n", "FooBot",
    "http://example.com/page", T)
add(t, "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot",
    "http://example.com/folder/page", T)
add(t, "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "FooBot",
    "http://example.com/page.htm", F)
r = "user-agent: FooBot\nallow: /$\ndisallow: /\n"
add(t, r, "FooBot", "http://example.com/", T)
add(t, r, "FooBot", "http://example.com/page.html", F)

# ID_LinesNumbersAreCountedCorrectly and ID_UTF8ByteOrderMarkIsSkipped
# count parse events; their files, asked as URL questions, must give the
# same answer: line ends of every kind, BOMs whole and partial.
t = "ID_LineEndings"
for nl in ("\n", "\r\n", "\r"):
    r = nl.join(["User-Agent: foo", "Allow: /some/path", "User-Agent: bar",
                 "", "", "Disallow: /"]) + nl
    add(t, r, "bar", "http://foo.bar/x", F)
    add(t, r, "foo", "http://foo.bar/some/path", T)
    add(t, r, "foo", "http://foo.bar/x", T)
t = "ID_UTF8ByteOrderMarkIsSkipped"
for bom in ("\ufeff",):
    r = bom + "User-Agent: foo\nAllow: /AnyValue\nDisallow: /\n"
    add(t, r, "foo", "http://foo.bar/AnyValue", T)
    add(t, r, "foo", "http://foo.bar/x", F)

for c in cases:
    print(json.dumps(c, ensure_ascii=False))
