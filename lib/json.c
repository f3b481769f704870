/*
 * The strict JSON scanner of json.h.
 *
 * One pass over the bytes with an explicit stack of open containers, so
 * deep nesting costs no C stack.  Nothing is built: the scanner only checks
 * the grammar of RFC 8259 and UTF-8, and notes where the members of the
 * top-level object start and end.  Text inside strings is skipped eight
 * bytes at a time while no byte in the word is a quote, a backslash, a
 * control character or a byte with the high bit set; that loop is where
 * typical records spend most of their time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "json.h"

#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FIRST_MARKED(m)	((size_t)__builtin_ctzll(m) / 8)
#endif

/* The text being scanned and where errors go. */
struct scan {
	const char *s;		/* the text */
	const char *e;		/* its end */
	char *err;
	size_t errsz;
};

/*
 * Report a syntax error at byte at, or the end of input when at is the
 * end.  Returns NULL.
 */
static const char *
scan_fail(const struct scan *sc, const char *at, const char *what)
{
	if (at == sc->e)
		what = "unexpected end of input";
	if (sc->errsz > 0)
		snprintf(sc->err, sc->errsz, "invalid JSON at column %zu: %s",
		    (size_t)(at - sc->s) + 1, what);
	return NULL;
}

/*
 * Report an error that is not a syntax error as "what at column N", N the
 * column of at.  Returns NULL.
 */
static const char *
scan_fail_at(const struct scan *sc, const char *at, const char *what)
{
	if (sc->errsz > 0)
		snprintf(sc->err, sc->errsz, "%s at column %zu", what,
		    (size_t)(at - sc->s) + 1);
	return NULL;
}

/* Copy msg to err, as much as fits. */
static void
set_err(char *err, size_t errsz, const char *msg)
{
	if (errsz > 0)
		snprintf(err, errsz, "%s", msg);
}

static inline const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (unsigned char)*p <= ' ' &&
	    (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

static inline int
is_digit(int c)
{
	return (unsigned)c - '0' < 10;
}

static inline int
hex_value(int c)
{
	if ((unsigned)c - '0' < 10)
		return c - '0';
	c |= 0x20;
	if ((unsigned)c - 'a' < 6)
		return c - 'a' + 10;
	return -1;
}

/*
 * Returns the length of the valid UTF-8 sequence of two to four bytes
 * starting at p (a byte >= 0x80) and ending by e, or 0 when there is none:
 * a stray continuation byte, an overlong form, a surrogate, a code point
 * above U+10FFFF, or a truncated sequence.
 */
static inline size_t
utf8_seq(const unsigned char *p, const unsigned char *e)
{
	unsigned int c = p[0], lo = 0x80, hi = 0xbf;

	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		if (e - p < 2 || (p[1] & 0xc0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xf0) {
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		if (e - p < 3 || p[1] < lo || p[1] > hi ||
		    (p[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c < 0xf5) {
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (e - p < 4 || p[1] < lo || p[1] > hi ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/*
 * Returns a word with the high bit of each byte of x set that is a '"', a
 * '\\', below 0x20 or at least 0x80.  Bytes above the first such byte may
 * be marked falsely (borrows move up), the first one never is.
 */
static inline uint64_t
str_special(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
	    ((x - ONES * 0x20) & ~x) | x) & HIGHS;
}

static inline int
str_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Read the four hex digits at p, or return -1. */
static long
hex4(const char *p)
{
	long v = 0;
	int i, d;

	for (i = 0; i < 4; i++) {
		if ((d = hex_value(p[i])) < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/*
 * Scan the string literal whose opening quote is at p.  Returns the byte
 * after its closing quote, or NULL with the error reported.  *plain is set
 * to 1 when it holds no backslash, else 0.
 */
static const char *
scan_string(const struct scan *sc, const char *p, int *plain)
{
	const char *e = sc->e;
	uint64_t x, m;
	size_t n;
	long cp;
	int i;

	*plain = 1;
	p++;
	for (;;) {
		while (e - p >= 8) {
			memcpy(&x, p, 8);
			if ((m = str_special(x)) != 0) {
#ifdef FIRST_MARKED
				p += FIRST_MARKED(m);
#endif
				break;
			}
			p += 8;
		}
		while (p < e && str_plain((unsigned char)*p))
			p++;
		if (p == e)
			return scan_fail(sc, p, "unexpected end of input");
		switch (*p) {
		case '"':
			return p + 1;
		case '\\':
			*plain = 0;
			if (e - p < 2)
				return scan_fail(sc, e,
				    "unexpected end of input");
			switch (p[1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				p += 2;
				break;
			case 'u':
				for (i = 2; i < 6; i++)
					if (p + i == e || hex_value(p[i]) < 0)
						return scan_fail(sc, p + i,
						    "invalid \\u escape in "
						    "string");
				/*
				 * A surrogate must come as a high-low pair:
				 * a lone one is no character, cannot be
				 * written as UTF-8, and libjq 1.6 refuses
				 * some of them.
				 */
				cp = hex4(p + 2);
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return scan_fail(sc, p,
					    "lone surrogate in string");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (e - p < 12 || p[6] != '\\' ||
					    p[7] != 'u' ||
					    (cp = hex4(p + 8)) < 0xdc00 ||
					    cp > 0xdfff)
						return scan_fail(sc, p,
						    "lone surrogate in string");
					p += 6;
				}
				p += 6;
				break;
			default:
				return scan_fail(sc, p + 1,
				    "invalid escape in string");
			}
			break;
		default:
			if ((unsigned char)*p < 0x20)
				return scan_fail(sc, p,
				    "control character in string");
			/* Non-ASCII text tends to come in runs. */
			do {
				n = utf8_seq((const unsigned char *)p,
				    (const unsigned char *)e);
				if (n == 0)
					return scan_fail_at(sc, p,
					    "invalid UTF-8");
				p += n;
			} while (p < e && (unsigned char)*p >= 0x80);
			break;
		}
	}
}

/* Scan the literal lit of n bytes at p. */
static const char *
scan_literal(const struct scan *sc, const char *p, const char *lit, size_t n)
{
	size_t i;

	if ((size_t)(sc->e - p) >= n && memcmp(p, lit, n) == 0)
		return p + n;
	for (i = 0; i < n; i++)
		if (p + i == sc->e || p[i] != lit[i])
			break;
	return scan_fail(sc, p + i, "invalid literal");
}

/* Scan the number at p, '-' or a digit. */
static const char *
scan_number(const struct scan *sc, const char *p)
{
	const char *e = sc->e;

	if (*p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (p < e && is_digit(*p))
		while (p < e && is_digit(*p))
			p++;
	else
		return scan_fail(sc, p, "invalid number");
	if (p < e && *p == '.') {
		p++;
		if (p == e || !is_digit(*p))
			return scan_fail(sc, p, "invalid number");
		while (p < e && is_digit(*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p == e || !is_digit(*p))
			return scan_fail(sc, p, "invalid number");
		while (p < e && is_digit(*p))
			p++;
	}
	if (p < e && is_digit(*p))
		return scan_fail(sc, p, "invalid number");
	return p;
}

/* Scan the value at p that is not a container and set *kind. */
static const char *
scan_scalar(const struct scan *sc, const char *p, enum json_kind *kind)
{
	int plain;

	if (p == sc->e)
		return scan_fail(sc, p, "unexpected end of input");
	switch (*p) {
	case '"':
		*kind = JSON_STRING;
		return scan_string(sc, p, &plain);
	case 't':
		*kind = JSON_TRUE;
		return scan_literal(sc, p, "true", 4);
	case 'f':
		*kind = JSON_FALSE;
		return scan_literal(sc, p, "false", 5);
	case 'n':
		*kind = JSON_NULL;
		return scan_literal(sc, p, "null", 4);
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		*kind = JSON_NUMBER;
		return scan_number(sc, p);
	default:
		return scan_fail(sc, p, "expected a value");
	}
}

/*
 * Scan an object member's key at p, the colon and the whitespace after
 * it.  When o is not NULL, the member is appended to o.  Returns the first
 * byte of the value.
 */
static const char *
scan_key(const struct scan *sc, const char *p, struct json_obj *o)
{
	const char *key = p;
	struct json_member *m;
	int plain;

	if (p == sc->e || *p != '"')
		return scan_fail(sc, p, "expected a string key");
	if ((p = scan_string(sc, p, &plain)) == NULL)
		return NULL;
	if (o != NULL) {
		if (o->n == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 16;
			o->m = df_xrealloc(o->m, o->cap * sizeof(*o->m));
		}
		m = &o->m[o->n++];
		m->key_off = (size_t)(key - sc->s);
		m->key_len = (size_t)(p - key);
		m->key_plain = plain;
	}
	p = skip_ws(p, sc->e);
	if (p == sc->e || *p != ':')
		return scan_fail(sc, p, "expected ':'");
	p = skip_ws(p + 1, sc->e);
	if (o != NULL)
		o->m[o->n - 1].val_off = (size_t)(p - sc->s);
	return p;
}

/*
 * Scan one JSON value with whitespace around it filling all of the text,
 * and set *kind to its kind.  When o is not NULL and the value is an
 * object, its members are appended to o.  Returns the end of the text, or
 * NULL with the error reported.
 */
static const char *
scan_text(const struct scan *sc, struct json_obj *o, enum json_kind *kind)
{
	unsigned char stack[JSON_MAX_DEPTH];
	const char *p, *e = sc->e;
	struct json_obj *top;
	struct json_member *m;
	size_t depth = 0, slots = 0;
	enum json_kind k;
	int c;

	p = skip_ws(sc->s, e);
	if (p == e) {
		if (sc->errsz > 0)
			snprintf(sc->err, sc->errsz, "invalid JSON at column "
			    "%zu: expected a value", (size_t)(p - sc->s) + 1);
		return NULL;
	}
	top = *p == '{' ? o : NULL;
	for (;;) {
		/* At the first byte of a value. */
		if (p < e && (*p == '{' || *p == '[')) {
			/*
			 * libjq 1.6 refuses to open a container when its
			 * parse stack holds JSON_MAX_DEPTH entries: one per
			 * open array, two per open object (it and the key
			 * whose value is being read).  Count the same way, so
			 * whatever we accept libjq can parse.
			 */
			if (slots >= JSON_MAX_DEPTH) {
				if (sc->errsz > 0)
					snprintf(sc->err, sc->errsz, "nesting "
					    "deeper than libjq allows at "
					    "column %zu",
					    (size_t)(p - sc->s) + 1);
				return NULL;
			}
			/* The closers '}' and ']' follow their openers by 2. */
			c = *p;
			stack[depth++] = (unsigned char)c;
			slots += c == '{' ? 2 : 1;
			p = skip_ws(p + 1, e);
			if (p < e && *p == c + 2) {
				/* An empty container: "{}" or "[]". */
				p++;
				depth--;
				slots -= c == '{' ? 2 : 1;
				k = c == '{' ? JSON_OBJECT : JSON_ARRAY;
			} else if (c == '{') {
				p = scan_key(sc, p, depth == 1 ? top : NULL);
				if (p == NULL)
					return NULL;
				continue;
			} else
				continue;
		} else if ((p = scan_scalar(sc, p, &k)) == NULL)
			return NULL;

		/* After a value of kind k: close what it closes. */
		for (;;) {
			if (depth == 0)
				goto end;
			if (depth == 1 && top != NULL) {
				m = &top->m[top->n - 1];
				m->val_len = (size_t)(p - sc->s) - m->val_off;
				m->kind = k;
			}
			p = skip_ws(p, e);
			c = stack[depth - 1];
			if (p < e && *p == c + 2) {
				p++;
				depth--;
				slots -= c == '{' ? 2 : 1;
				k = c == '{' ? JSON_OBJECT : JSON_ARRAY;
				continue;
			}
			if (p == e || *p != ',')
				return scan_fail(sc, p, c == '{' ?
				    "expected ',' or '}'" :
				    "expected ',' or ']'");
			p = skip_ws(p + 1, e);
			if (c == '{') {
				p = scan_key(sc, p, depth == 1 ? top : NULL);
				if (p == NULL)
					return NULL;
			}
			break;
		}
	}
end:
	p = skip_ws(p, e);
	if (p != e)
		return scan_fail(sc, p, "unexpected data after the value");
	*kind = k;
	return p;
}

int
json_scan_object(const char *s, size_t len, struct json_obj *o,
    enum json_kind *kind_out, char *err, size_t errsz)
{
	struct scan sc = { s, s + len, err, errsz };
	enum json_kind k;

	o->n = 0;
	if (kind_out != NULL)
		*kind_out = JSON_OBJECT;
	if (scan_text(&sc, o, &k) == NULL) {
		o->n = 0;
		return -1;
	}
	if (k != JSON_OBJECT) {
		if (kind_out != NULL)
			*kind_out = k;
		set_err(err, errsz, "not a JSON object");
		return -1;
	}
	return 0;
}

int
json_validate(const char *s, size_t len, char *err, size_t errsz)
{
	struct scan sc = { s, s + len, err, errsz };
	enum json_kind k;

	return scan_text(&sc, NULL, &k) == NULL ? -1 : 0;
}

void
json_obj_release(struct json_obj *o)
{
	free(o->m);
	o->m = NULL;
	o->n = o->cap = 0;
}

long
json_obj_find(const struct json_obj *o, const char *s, const char *key,
    size_t keylen)
{
	const struct json_member *m;
	struct buf b = BUF_INIT;
	long found = -1;
	size_t i;

	/* The last of duplicate keys counts, as in jq. */
	for (i = o->n; i-- > 0;) {
		m = &o->m[i];
		if (m->key_plain) {
			if (m->key_len - 2 == keylen &&
			    memcmp(s + m->key_off + 1, key, keylen) == 0) {
				found = (long)i;
				break;
			}
			continue;
		}
		/* An escape makes the key shorter, never longer. */
		if (m->key_len - 2 < keylen)
			continue;
		buf_reset(&b);
		(void)json_string_decode(s + m->key_off, m->key_len, &b);
		if (b.len == keylen && memcmp(b.data, key, keylen) == 0) {
			found = (long)i;
			break;
		}
	}
	buf_release(&b);
	return found;
}

/* Append the code point cp as UTF-8. */
static void
put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, u, n);
}

int
json_string_decode(const char *s, size_t len, struct buf *b)
{
	const char *p, *e, *run;
	long cp, lo;
	int rc = 0;
	char c;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return -1;
	p = s + 1;
	e = s + len - 1;
	while (p < e) {
		run = p;
		if ((p = memchr(run, '\\', (size_t)(e - run))) == NULL)
			p = e;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (p == e)
			break;
		if (e - p < 2)
			return -1;
		c = p[1];
		p += 2;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			buf_addc(b, c);
			break;
		case 'b':
			buf_addc(b, '\b');
			break;
		case 'f':
			buf_addc(b, '\f');
			break;
		case 'n':
			buf_addc(b, '\n');
			break;
		case 'r':
			buf_addc(b, '\r');
			break;
		case 't':
			buf_addc(b, '\t');
			break;
		case 'u':
			if (e - p < 4 || (cp = hex4(p)) < 0)
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && e - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = hex4(p + 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				/* An unpaired surrogate. */
				cp = 0xfffd;
				rc = -1;
			}
			put_utf8(b, (unsigned long)cp);
			break;
		default:
			return -1;
		}
	}
	return rc;
}

/*
 * Does any byte of v need an escape: under 0x20, '"', '\\' or DEL?  Exact
 * as a yes or no (the bit tricks of "Bit Twiddling Hacks": a byte under
 * n, a zero byte).
 */
static inline int
needs_escape8(uint64_t v)
{
	uint64_t q = v ^ (ONES * '"'), bs = v ^ (ONES * '\\'),
	    del = v ^ (ONES * 0x7f);

	return (((v - ONES * 0x20) & ~v) | ((q - ONES) & ~q) |
	    ((bs - ONES) & ~bs) | ((del - ONES) & ~del)) & HIGHS ? 1 : 0;
}

void
json_string_encode(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = s, *e = s + len, *run;
	char u[6] = { '\\', 'u', '0', '0', 0, 0 };
	unsigned char c;

	buf_grow(b, len + 2);
	buf_addc(b, '"');
	while (p < e) {
		run = p;
		/* Eight bytes at a time while none needs escaping. */
		while (e - p >= 8) {
			uint64_t v;

			memcpy(&v, p, 8);
			if (needs_escape8(v))
				break;
			p += 8;
		}
		while (p < e && (c = (unsigned char)*p) >= 0x20 && c != '"' &&
		    c != '\\' && c != 0x7f)
			p++;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (p == e)
			break;
		c = (unsigned char)*p++;
		switch (c) {
		case '"':
			buf_add(b, "\\\"", 2);
			break;
		case '\\':
			buf_add(b, "\\\\", 2);
			break;
		case '\b':
			buf_add(b, "\\b", 2);
			break;
		case '\f':
			buf_add(b, "\\f", 2);
			break;
		case '\n':
			buf_add(b, "\\n", 2);
			break;
		case '\r':
			buf_add(b, "\\r", 2);
			break;
		case '\t':
			buf_add(b, "\\t", 2);
			break;
		default:
			/* Other control characters, and DEL as jq does. */
			u[4] = hex[c >> 4];
			u[5] = hex[c & 0x0f];
			buf_add(b, u, sizeof(u));
			break;
		}
	}
	buf_addc(b, '"');
}

size_t
utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	uint64_t x;
	size_t n;

	while (p < e) {
		while (e - p >= 8) {
			memcpy(&x, p, 8);
			if (x & HIGHS)
				break;
			p += 8;
		}
		while (p < e && *p < 0x80)
			p++;
		if (p == e)
			break;
		if ((n = utf8_seq(p, e)) == 0)
			break;
		p += n;
	}
	return (size_t)(p - (const unsigned char *)s);
}
