/*
 * Tokenizers: see tok.h.  This file holds the character classes, the rank
 * table, byte-pair merging, the hand-written scanners for the tiktoken
 * split patterns, and the chars/words units; tok_hf.c reads
 * tokenizer.json files.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ucpmap.h>
#include <unicode/uchar.h>
#include <unicode/uset.h>
#include <unicode/utext.h>

#include "datadir.h"
#include "tok_impl.h"

/* ------------------------------------------------------------------ */
/* Character classes                                                    */

/*
 * The code points whose class the reference (tiktoken's Unicode 16.0
 * regex tables) sees differently from ICU 72 (Unicode 15.0), from
 * data/tokens/unicode16-vs-icu72.tsv (all were unassigned in 15.0).
 */
enum { R_LU, R_LL, R_LO, R_M, R_N };
static const struct {
	uint32_t lo, hi;
	uint8_t cls;
} u16_over[] = {
	{ 0x0897, 0x0897, R_M }, { 0x1C89, 0x1C89, R_LU },
	{ 0x1C8A, 0x1C8A, R_LL }, { 0xA7CB, 0xA7CC, R_LU },
	{ 0xA7CD, 0xA7CD, R_LL }, { 0xA7DA, 0xA7DA, R_LU },
	{ 0xA7DB, 0xA7DB, R_LL }, { 0xA7DC, 0xA7DC, R_LU },
	{ 0x105C0, 0x105F3, R_LO }, { 0x10D40, 0x10D49, R_N },
	{ 0x10D4A, 0x10D4F, R_LO }, { 0x10D50, 0x10D65, R_LU },
	{ 0x10D69, 0x10D6D, R_M }, { 0x10D6F, 0x10D6F, R_LO },
	{ 0x10D70, 0x10D85, R_LL }, { 0x10EC2, 0x10EC4, R_LO },
	{ 0x10EFC, 0x10EFC, R_M }, { 0x11380, 0x11389, R_LO },
	{ 0x1138B, 0x1138B, R_LO }, { 0x1138E, 0x1138E, R_LO },
	{ 0x11390, 0x113B5, R_LO }, { 0x113B7, 0x113B7, R_LO },
	{ 0x113B8, 0x113C0, R_M }, { 0x113C2, 0x113C2, R_M },
	{ 0x113C5, 0x113C5, R_M }, { 0x113C7, 0x113CA, R_M },
	{ 0x113CC, 0x113D0, R_M }, { 0x113D1, 0x113D1, R_LO },
	{ 0x113D2, 0x113D2, R_M }, { 0x113D3, 0x113D3, R_LO },
	{ 0x113E1, 0x113E2, R_M }, { 0x116D0, 0x116E3, R_N },
	{ 0x11BC0, 0x11BE0, R_LO }, { 0x11BF0, 0x11BF9, R_N },
	{ 0x11F5A, 0x11F5A, R_M }, { 0x13460, 0x143FA, R_LO },
	{ 0x16100, 0x1611D, R_LO }, { 0x1611E, 0x1612F, R_M },
	{ 0x16130, 0x16139, R_N }, { 0x16D40, 0x16D6C, R_LO },
	{ 0x16D70, 0x16D79, R_N }, { 0x18CFF, 0x18CFF, R_LO },
	{ 0x1CCF0, 0x1CCF9, R_N }, { 0x1E5D0, 0x1E5ED, R_LO },
	{ 0x1E5EE, 0x1E5EF, R_M }, { 0x1E5F0, 0x1E5F0, R_LO },
	{ 0x1E5F1, 0x1E5FA, R_N }, { 0x2EBF0, 0x2EE5D, R_LO },
};

const uint8_t *tok_cls;
static uint8_t *cls_tab;
static pthread_once_t cls_once = PTHREAD_ONCE_INIT;

static uint8_t
gc_flags(UCharCategory gc)
{
	switch (gc) {
	case U_UPPERCASE_LETTER:
	case U_TITLECASE_LETTER:
		return F_L | F_U;
	case U_LOWERCASE_LETTER:
		return F_L | F_W;
	case U_MODIFIER_LETTER:
	case U_OTHER_LETTER:
		return F_L | F_U | F_W;
	case U_NON_SPACING_MARK:
	case U_ENCLOSING_MARK:
	case U_COMBINING_SPACING_MARK:
		return F_M | F_U | F_W;
	case U_DECIMAL_DIGIT_NUMBER:
	case U_LETTER_NUMBER:
	case U_OTHER_NUMBER:
		return F_N;
	default:
		return 0;
	}
}

static void
cls_build(void)
{
	static const uint8_t ov[] = { F_L | F_U, F_L | F_W, F_L | F_U | F_W,
		F_M | F_U | F_W, F_N };
	UErrorCode ec = U_ZERO_ERROR;
	const UCPMap *gc;
	const USet *ws;
	UChar32 c, end, lo, hi;
	uint32_t v;
	size_t i;
	int32_t k, nk;

	cls_tab = df_xcalloc(0x110000, 1);
	gc = u_getIntPropertyMap(UCHAR_GENERAL_CATEGORY, &ec);
	ws = u_getBinaryPropertySet(UCHAR_WHITE_SPACE, &ec);
	if (U_FAILURE(ec))
		die("ICU character properties: %s", u_errorName(ec));
	for (c = 0; c < 0x110000; c = end + 1) {
		end = ucpmap_getRange(gc, c, UCPMAP_RANGE_NORMAL, 0, NULL,
		    NULL, &v);
		if (end < 0)
			break;
		memset(cls_tab + c, gc_flags((UCharCategory)v),
		    (size_t)(end - c + 1));
	}
	nk = uset_getItemCount(ws);
	for (k = 0; k < nk; k++) {
		ec = U_ZERO_ERROR;
		if (uset_getItem(ws, k, &lo, &hi, NULL, 0, &ec) != 0)
			continue;
		for (c = lo; c <= hi; c++)
			cls_tab[c] = F_WS;
	}
	cls_tab['\n'] = cls_tab['\r'] = F_WS | F_CRLF;
	for (i = 0; i < sizeof(u16_over) / sizeof(u16_over[0]); i++)
		memset(cls_tab + u16_over[i].lo, ov[u16_over[i].cls],
		    u16_over[i].hi - u16_over[i].lo + 1);
	tok_cls = cls_tab;
}

void
tok_cls_init(void)
{
	pthread_once(&cls_once, cls_build);
}

int
tok_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0, l;
	uint64_t w;

	while (i < n) {
		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (tok_dec(s + i, n - i, &l) == 0xFFFD &&
		    !(l == 3 && s[i] == 0xEF && s[i + 1] == 0xBF &&
		    s[i + 2] == 0xBD))
			return 0;
		i += l;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Rank table                                                           */

static inline uint64_t
hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull), v;

	while (n >= 8) {
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		v = 0;
		switch (n) {
		case 7: v |= (uint64_t)p[6] << 48; /* FALLTHROUGH */
		case 6: v |= (uint64_t)p[5] << 40; /* FALLTHROUGH */
		case 5: v |= (uint64_t)p[4] << 32; /* FALLTHROUGH */
		case 4: v |= (uint64_t)p[3] << 24; /* FALLTHROUGH */
		case 3: v |= (uint64_t)p[2] << 16; /* FALLTHROUGH */
		case 2: v |= (uint64_t)p[1] << 8; /* FALLTHROUGH */
		default: v |= p[0];
		}
		h = (h ^ v) * 0x94d049bb133111ebull;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

uint32_t
tok_ranks_get(const struct tok_ranks *r, const uint8_t *p, size_t n)
{
	uint64_t h = hash_bytes(p, n), e;
	uint32_t i = (uint32_t)h & r->mask, tag = (uint32_t)(h >> 32), id;

	for (;; i = (i + 1) & r->mask) {
		e = r->slot[i];
		if (e == 0)
			return TOK_NONE;
		if ((uint32_t)(e >> 32) != tag)
			continue;
		id = (uint32_t)e - 1;
		if (r->off[id + 1] - r->off[id] == n &&
		    memcmp(r->pool + r->off[id], p, n) == 0)
			return id;
	}
}

int
tok_ranks_index(struct tok_ranks *r)
{
	uint32_t size = 1024, id, i;
	uint64_t h;
	size_t len;

	while (size < 2 * (uint64_t)r->n + 2)
		size *= 2;
	r->mask = size - 1;
	r->slot = df_xcalloc(size, sizeof(*r->slot));
	for (id = 0; id < r->n; id++) {
		len = r->off[id + 1] - r->off[id];
		if (len == 0)
			continue;
		if (tok_ranks_get(r, r->pool + r->off[id], len) != TOK_NONE)
			continue;	/* a duplicate: the first id wins */
		h = hash_bytes(r->pool + r->off[id], len);
		for (i = (uint32_t)h & r->mask; r->slot[i] != 0;
		    i = (i + 1) & r->mask)
			;
		r->slot[i] = (h >> 32) << 32 | (uint64_t)(id + 1);
	}
	for (i = 0; i < 256; i++) {
		uint8_t b = (uint8_t)i;

		r->byte_id[i] = tok_ranks_get(r, &b, 1);
		if (r->byte_id[i] == TOK_NONE)
			return -1;
	}
	return 0;
}

void
tok_ranks_release(struct tok_ranks *r)
{
	free(r->pool);
	free(r->off);
	free(r->slot);
	memset(r, 0, sizeof(*r));
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Read a .tiktoken file (base64 SP rank LF, ranks 0..n-1 in order). */
static int
ranks_load(struct tok_ranks *r, const char *path, struct df_err *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, pcap = 1 << 20, ocap = 1024, lineno = 0;
	ssize_t len;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if ((f = fopen(path, "r")) == NULL)
		return df_err_set(err, "bad-tokenizer", "%s: %s", path,
		    strerror(errno));
	r->pool = df_xmalloc(pcap);
	r->off = df_xmalloc(ocap * sizeof(*r->off));
	r->off[0] = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *sp, *endp;
		unsigned long rank;
		uint32_t acc = 0;
		int bits = 0, v;
		size_t o;

		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		sp = strchr(line, ' ');
		errno = 0;
		if (sp == NULL || (rank = strtoul(sp + 1, &endp, 10),
		    *endp != '\0' || errno != 0) || rank != r->n) {
			df_err_set(err, "bad-tokenizer", "%s:%zu: expected "
			    "\"BASE64 %u\"", path, lineno, r->n);
			goto out;
		}
		if (r->n + 2 > ocap) {
			ocap *= 2;
			r->off = df_xrealloc(r->off, ocap * sizeof(*r->off));
		}
		o = r->off[r->n];
		if (o + (size_t)(sp - line) + 4 > pcap) {
			pcap *= 2;
			r->pool = df_xrealloc(r->pool, pcap);
		}
		for (char *q = line; q < sp && *q != '='; q++) {
			if ((v = b64val((unsigned char)*q)) < 0) {
				df_err_set(err, "bad-tokenizer", "%s:%zu: bad "
				    "base64", path, lineno);
				goto out;
			}
			acc = acc << 6 | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				r->pool[o++] = (uint8_t)(acc >> bits);
			}
		}
		if (o == r->off[r->n]) {
			df_err_set(err, "bad-tokenizer", "%s:%zu: empty token",
			    path, lineno);
			goto out;
		}
		r->off[++r->n] = o;
	}
	if (ferror(f)) {
		df_err_set(err, "bad-tokenizer", "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (tok_ranks_index(r) != 0) {
		df_err_set(err, "bad-tokenizer", "%s: not every byte is a "
		    "token", path);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	if (rc != 0)
		tok_ranks_release(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Byte-pair merging                                                    */

void
tok_ids_grow(struct tok_ids *o)
{
	o->cap = o->cap ? 2 * o->cap : 256;
	o->v = df_xrealloc(o->v, o->cap * sizeof(*o->v));
}

#define SMALL 128

/*
 * tiktoken's loop for short pieces: part i starts at st[i]; rk[i] is the
 * rank of part i joined with part i+1.  Each step rescans the parts, so
 * it is O(n^2), which is fastest below SMALL bytes.
 */
static size_t
bpe_small(const struct tok_ranks *r, const uint8_t *p, size_t n,
    struct tok_ids *out)
{
	uint32_t st[SMALL + 1], rk[SMALL + 1], best;
	size_t m = n + 1, i, k;

	for (i = 0; i <= n; i++) {
		st[i] = (uint32_t)i;
		rk[i] = i + 2 <= n ? tok_ranks_get(r, p + i, 2) : TOK_NONE;
	}
	while (m > 2) {
		best = TOK_NONE;
		k = 0;
		for (i = 0; i + 2 < m; i++)
			if (rk[i] < best) {
				best = rk[i];
				k = i;
			}
		if (best == TOK_NONE)
			break;
		/* Join part k and k+1; the pairs k-1 and k change. */
		memmove(st + k + 1, st + k + 2, (m - k - 2) * sizeof(*st));
		memmove(rk + k + 1, rk + k + 2, (m - k - 2) * sizeof(*rk));
		m--;
		rk[k] = k + 2 < m ? tok_ranks_get(r, p + st[k],
		    st[k + 2] - st[k]) : TOK_NONE;
		if (k > 0)
			rk[k - 1] = tok_ranks_get(r, p + st[k - 1],
			    st[k + 1] - st[k - 1]);
	}
	if (out != NULL)
		for (i = 0; i + 1 < m; i++)
			tok_ids_push(out, tok_ranks_get(r, p + st[i],
			    st[i + 1] - st[i]));
	return m - 1;
}

struct hent {
	uint32_t rank;
	size_t at, end;		/* the pair is p[at..end) */
};

static inline int
hless(const struct hent *a, const struct hent *b)
{
	return a->rank < b->rank || (a->rank == b->rank && a->at < b->at);
}

static void
hpush(struct hent *h, size_t *n, struct hent e)
{
	size_t i = (*n)++, up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!hless(&e, &h[up]))
			break;
		h[i] = h[up];
		i = up;
	}
	h[i] = e;
}

static struct hent
hpop(struct hent *h, size_t *n)
{
	struct hent top = h[0], e = h[--*n];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && hless(&h[c + 1], &h[c]))
			c++;
		if (!hless(&h[c], &e))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = e;
	return top;
}

/*
 * Long pieces: parts in a linked list (a part is named by its first
 * byte), candidate pairs in a heap ordered by (rank, position), stale
 * entries skipped when popped.  The same merges as bpe_small, in
 * O(n log n).
 */
static size_t
bpe_large(const struct tok_ranks *r, const uint8_t *p, size_t n,
    struct tok_ids *out)
{
	size_t *nxt, *prv, nh = 0, count = n, i, a, b;
	struct hent *h, e;
	uint32_t rank;

	nxt = df_xmalloc((n + 1) * sizeof(*nxt));
	prv = df_xmalloc((n + 1) * sizeof(*prv));
	h = df_xmalloc(2 * (n + 1) * sizeof(*h));
	for (i = 0; i < n; i++) {
		nxt[i] = i + 1;
		prv[i] = i - 1;	/* wraps for i == 0: never read */
	}
	for (i = 0; i + 1 < n; i++)
		if ((rank = tok_ranks_get(r, p + i, 2)) != TOK_NONE)
			hpush(h, &nh, (struct hent){ rank, i, i + 2 });
	while (nh > 0) {
		e = hpop(h, &nh);
		i = e.at;
		/* Dead parts are marked by nxt == SIZE_MAX. */
		if (nxt[i] == SIZE_MAX || nxt[i] >= n || nxt[nxt[i]] != e.end)
			continue;
		b = nxt[i];
		nxt[i] = nxt[b];
		if (nxt[b] < n)
			prv[nxt[b]] = i;
		nxt[b] = SIZE_MAX;
		count--;
		if (i > 0) {
			a = prv[i];
			if ((rank = tok_ranks_get(r, p + a, nxt[i] - a)) !=
			    TOK_NONE)
				hpush(h, &nh, (struct hent){ rank, a, nxt[i] });
		}
		if (nxt[i] < n) {
			b = nxt[nxt[i]];
			if ((rank = tok_ranks_get(r, p + i, b - i)) != TOK_NONE)
				hpush(h, &nh, (struct hent){ rank, i, b });
		}
	}
	if (out != NULL)
		for (i = 0; i < n; i = nxt[i])
			tok_ids_push(out, tok_ranks_get(r, p + i, nxt[i] - i));
	free(nxt);
	free(prv);
	free(h);
	return count;
}

size_t
tok_bpe(const struct tok_ranks *r, const uint8_t *p, size_t n,
    struct tok_ids *out)
{
	uint32_t id;

	if (n == 1) {
		if (out != NULL)
			tok_ids_push(out, r->byte_id[p[0]]);
		return 1;
	}
	if ((id = tok_ranks_get(r, p, n)) != TOK_NONE) {
		if (out != NULL)
			tok_ids_push(out, id);
		return 1;
	}
	return n <= SMALL ? bpe_small(r, p, n, out) : bpe_large(r, p, n, out);
}

/* ------------------------------------------------------------------ */
/* Scanners (the split patterns, see notes in tests/unit/check_tok.c)  */

#define CAT(i, lp) tok_cat(s, (i), n, (lp))

/* End of the run of characters whose class has a bit of mask. */
static inline size_t
run(const uint8_t *s, size_t n, size_t i, uint8_t mask)
{
	size_t l;

	while (i < n) {
		if (s[i] < 0x80) {
			if (!(tok_cls[s[i]] & mask))
				break;
			i++;
			continue;
		}
		if (!(CAT(i, &l) & mask))
			break;
		i += l;
	}
	return i;
}

/* End of the run of characters with none of mask's bits. */
static inline size_t
run_not(const uint8_t *s, size_t n, size_t i, uint8_t mask)
{
	size_t l;

	while (i < n && !(CAT(i, &l) & mask))
		i += l;
	return i;
}

/*
 * (?i:'s|'t|'re|'ve|'m|'ll|'d) at s[i]: its length, or 0.  Case folding
 * is Unicode's simple folding, so U+017F (long s) matches s.
 */
static inline size_t
contraction(const uint8_t *s, size_t n, size_t i, int fold)
{
	uint8_t a, b;

	if (i + 1 >= n || s[i] != '\'')
		return 0;
	a = fold ? (uint8_t)(s[i + 1] | 0x20) : s[i + 1];
	switch (a) {
	case 's': case 't': case 'm': case 'd':
		return 2;
	case 'r': case 'v': case 'l':
		if (i + 2 >= n)
			return 0;
		b = fold ? (uint8_t)(s[i + 2] | 0x20) : s[i + 2];
		if ((a == 'l' && b == 'l') || (a != 'l' && b == 'e'))
			return 3;
		return 0;
	case 0xC5 | 0x20:
		if (fold && s[i + 1] == 0xC5 && i + 2 < n && s[i + 2] == 0xBF)
			return 3;
		return 0;
	default:
		return 0;
	}
}

/* Is the class "punctuation": [^\s\p{L}\p{N}]. */
#define PUNCT(c) (!((c) & (F_WS | F_L | F_N)))

/*
 * The whitespace alternatives \s*[\r\n]+ | \s+(?!\S) | \s+ at s[i] (a
 * White_Space character of byte length l0).
 */
static inline size_t
split_ws(const uint8_t *s, size_t n, size_t i, size_t l0, int crlf)
{
	size_t j = i, last = i, nl = 0, l;
	uint8_t c;

	while (j < n && ((c = CAT(j, &l)) & F_WS)) {
		if (crlf && (c & F_CRLF))
			nl = j + l;
		last = j;
		j += l;
	}
	if (nl != 0)
		return nl;
	if (j == n)
		return j;
	if (last > i)
		return last;
	return i + l0;
}

/*
 * cl100k_base:
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
 *  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * With digits single (\p{N} instead of \p{N}{1,3}) it is Qwen 2's.
 */
static inline size_t
split_cl(const uint8_t *s, size_t n, size_t i, int ndig)
{
	size_t l0, l1, j, k;
	uint8_t c, c1;

	c = CAT(i, &l0);
	if (s[i] == '\'' && (k = contraction(s, n, i, 1)) != 0)
		return i + k;
	if (c & F_L)
		return run(s, n, i + l0, F_L);
	c1 = i + l0 < n ? CAT(i + l0, &l1) : 0;
	if (!(c & (F_CRLF | F_L | F_N)) && (c1 & F_L))
		return run(s, n, i + l0 + l1, F_L);
	if (c & F_N) {
		j = i + l0;
		for (k = 1; k < (size_t)ndig && j < n && (CAT(j, &l1) & F_N);
		    k++)
			j += l1;
		return j;
	}
	if ((s[i] == ' ' && i + 1 < n && PUNCT(c1)) || PUNCT(c)) {
		j = run_not(s, n, s[i] == ' ' ? i + 1 : i, F_WS | F_L | F_N);
		while (j < n && (s[j] == '\r' || s[j] == '\n'))
			j++;
		return j;
	}
	return split_ws(s, n, i, l0, 1);
}

size_t
tok_split_cl100k(const uint8_t *s, size_t n, size_t i)
{
	return split_cl(s, n, i, 3);
}

size_t
tok_split_qwen2(const uint8_t *s, size_t n, size_t i)
{
	return split_cl(s, n, i, 1);
}

/*
 * GPT-2: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|
 * \s+(?!\S)|\s+ (contractions case-sensitive).
 */
size_t
tok_split_gpt2(const uint8_t *s, size_t n, size_t i)
{
	size_t l0, l1, k, j;
	uint8_t c, c1;

	if (s[i] == '\'' && (k = contraction(s, n, i, 0)) != 0)
		return i + k;
	c = CAT(i, &l0);
	c1 = 0;
	j = i;
	if (s[i] == ' ' && i + 1 < n) {
		c1 = CAT(i + 1, &l1);
		if ((c1 & F_L) || (c1 & F_N) || PUNCT(c1)) {
			c = c1;
			j = i + 1;
		}
	}
	if (c & F_L)
		return run(s, n, j, F_L);
	if (c & F_N)
		return run(s, n, j, F_N);
	if (PUNCT(c))
		return run_not(s, n, j, F_WS | F_L | F_N);
	return split_ws(s, n, i, l0, 0);
}

/*
 * o200k's word alternative [U]*[W]+C? from s[i], or 0 if it does not
 * match (U = Lu Lt Lm Lo M, W = Ll Lm Lo M, C a contraction).
 */
static inline size_t
o200k_word(const uint8_t *s, size_t n, size_t i)
{
	size_t l, lastw = 0;
	uint8_t c = 0;

	while (i < n && ((c = CAT(i, &l)) & F_U)) {
		i += l;
		if (c & F_W)
			lastw = i;
	}
	if (i < n && (c & F_W))
		i = run(s, n, i, F_W);
	else if (lastw != 0)
		i = lastw;
	else
		return 0;
	return i + contraction(s, n, i, 1);
}

/*
 * o200k_base, seven alternatives joined by |:
 * [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+C?
 * [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*C?
 * \p{N}{1,3}
 *  ?[^\s\p{L}\p{N}]+[\r\n/]*
 * \s*[\r\n]+
 * \s+(?!\S)
 * \s+
 */
size_t
tok_split_o200k(const uint8_t *s, size_t n, size_t i)
{
	size_t l0, l1, j, k;
	uint8_t c, c1;
	int pre;

	c = CAT(i, &l0);
	pre = !(c & (F_CRLF | F_L | F_N)) && i + l0 < n;
	if (pre && (j = o200k_word(s, n, i + l0)) != 0)
		return j;
	if ((c & (F_U | F_W)) && (j = o200k_word(s, n, i)) != 0)
		return j;
	if (pre && (CAT(i + l0, &l1) & F_U)) {
		j = run(s, n, i + l0, F_U);
		j = run(s, n, j, F_W);
		return j + contraction(s, n, j, 1);
	}
	if (c & F_U) {
		j = run(s, n, i, F_U);
		j = run(s, n, j, F_W);
		return j + contraction(s, n, j, 1);
	}
	if (c & F_N) {
		j = i + l0;
		for (k = 1; k < 3 && j < n && (CAT(j, &l1) & F_N); k++)
			j += l1;
		return j;
	}
	c1 = i + l0 < n ? CAT(i + l0, &l1) : 0;
	if ((s[i] == ' ' && i + 1 < n && PUNCT(c1)) || PUNCT(c)) {
		j = run_not(s, n, s[i] == ' ' ? i + 1 : i, F_WS | F_L | F_N);
		while (j < n && (s[j] == '\r' || s[j] == '\n' || s[j] == '/'))
			j++;
		return j;
	}
	return split_ws(s, n, i, l0, 1);
}

/* ------------------------------------------------------------------ */
/* The tokenizer object                                                 */

enum tok_kind { TK_TIKTOKEN, TK_HF, TK_CHARS, TK_WORDS };

struct tok {
	enum tok_kind kind;
	char *name;
	size_t (*split)(const uint8_t *, size_t, size_t);
	struct tok_ranks r;
	struct tok_hf *hf;
	UBreakIterator *brk;	/* words: cloned per call */
};

struct tok *
tok_open(const char *spec, struct df_err *err)
{
	struct tok *t;
	char rel[64], *path;

	tok_cls_init();
	t = df_xcalloc(1, sizeof(*t));
	t->name = df_xstrdup(spec);
	if (strcmp(spec, "cl100k_base") == 0 ||
	    strcmp(spec, "o200k_base") == 0) {
		t->kind = TK_TIKTOKEN;
		t->split = spec[0] == 'c' ? tok_split_cl100k : tok_split_o200k;
		snprintf(rel, sizeof(rel), "tokens/%s.tiktoken", spec);
		if ((path = df_data_path(rel, err)) == NULL)
			goto fail;
		if (ranks_load(&t->r, path, err) != 0) {
			free(path);
			goto fail;
		}
		free(path);
	} else if (strcmp(spec, "chars") == 0) {
		t->kind = TK_CHARS;
	} else if (strcmp(spec, "words") == 0) {
		UErrorCode ec = U_ZERO_ERROR;

		t->kind = TK_WORDS;
		t->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &ec);
		if (U_FAILURE(ec)) {
			df_err_set(err, "bad-tokenizer", "ICU word breaks: %s",
			    u_errorName(ec));
			goto fail;
		}
	} else if (strlen(spec) > 5 &&
	    strcmp(spec + strlen(spec) - 5, ".json") == 0) {
		t->kind = TK_HF;
		if ((t->hf = tok_hf_open(spec, err)) == NULL)
			goto fail;
	} else {
		df_err_set(err, "bad-tokenizer", "unknown tokenizer '%s' (use "
		    "cl100k_base, o200k_base, chars, words or a "
		    "tokenizer.json file)", spec);
		goto fail;
	}
	return t;
fail:
	tok_free(t);
	return NULL;
}

void
tok_free(struct tok *t)
{
	if (t == NULL)
		return;
	tok_ranks_release(&t->r);
	tok_hf_free(t->hf);
	if (t->brk != NULL)
		ubrk_close(t->brk);
	free(t->name);
	free(t);
}

const char *
tok_name(const struct tok *t)
{
	return t->name;
}

int
tok_splits_locally(const struct tok *t)
{
	return t->kind == TK_TIKTOKEN || t->kind == TK_CHARS ||
	    (t->kind == TK_HF && tok_hf_local(t->hf));
}

const uint8_t *
tok_token_bytes(const struct tok *t, uint32_t id, size_t *len)
{
	if (t->kind == TK_HF)
		return tok_hf_token_bytes(t->hf, id, len);
	if (t->kind != TK_TIKTOKEN || id >= t->r.n)
		return NULL;
	*len = t->r.off[id + 1] - t->r.off[id];
	return t->r.pool + t->r.off[id];
}

/*
 * The piece s[0..n) with every maximal ill-formed subpart replaced by
 * U+FFFD, into buf (4 * n bytes at most... 3 per bad byte); its length.
 */
static size_t
sanitize(const uint8_t *s, size_t n, uint8_t *buf)
{
	size_t i = 0, o = 0, l;
	uint32_t c;

	while (i < n) {
		c = tok_dec(s + i, n - i, &l);
		if (c == 0xFFFD) {
			memcpy(buf + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(buf + o, s + i, l);
			o += l;
		}
		i += l;
	}
	return o;
}

/* Tokens of one tiktoken piece, which may hold ill-formed UTF-8. */
static size_t
piece_bpe(const struct tok *t, const uint8_t *p, size_t n, int valid,
    struct tok_ids *out)
{
	uint8_t sbuf[3 * 64], *buf;
	size_t k, m;

	if (valid || tok_utf8_valid(p, n))
		return tok_bpe(&t->r, p, n, out);
	buf = 3 * n <= sizeof(sbuf) ? sbuf : df_xmalloc(3 * n);
	m = sanitize(p, n, buf);
	k = tok_bpe(&t->r, buf, m, out);
	if (buf != sbuf)
		free(buf);
	return k;
}

/* The chars and words units, as pieces (p may be NULL: count only). */
static size_t
simple_pieces(const struct tok *t, const uint8_t *s, size_t n,
    struct tok_piece **p, size_t *np, size_t *cap)
{
	size_t i = 0, l, count = 0, prev = 0;
	UErrorCode ec = U_ZERO_ERROR;
	UBreakIterator *bi;
	UText *ut;
	int32_t b;
	uint32_t w;

	if (t->kind == TK_CHARS) {
		while (i < n) {
			tok_dec(s + i, n - i, &l);
			i += l;
			count++;
			if (p != NULL) {
				if (*np == *cap) {
					*cap = *cap ? 2 * *cap : 256;
					*p = df_xrealloc(*p, *cap * sizeof(**p));
				}
				(*p)[(*np)++] = (struct tok_piece){ i, 1 };
			}
		}
		return count;
	}
	if (n == 0)
		return 0;
	if (n > INT32_MAX)
		die("words: a text of %zu bytes is too long", n);
	ut = utext_openUTF8(NULL, (const char *)s, (int64_t)n, &ec);
	bi = ubrk_clone(t->brk, &ec);
	if (U_FAILURE(ec))
		die("ICU word breaks: %s", u_errorName(ec));
	ubrk_setUText(bi, ut, &ec);
	if (U_FAILURE(ec))
		die("ICU word breaks: %s", u_errorName(ec));
	while ((b = ubrk_next(bi)) != UBRK_DONE) {
		w = ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT;
		count += w;
		if (p != NULL) {
			if (*np == *cap) {
				*cap = *cap ? 2 * *cap : 256;
				*p = df_xrealloc(*p, *cap * sizeof(**p));
			}
			(*p)[(*np)++] = (struct tok_piece){ (size_t)b, w };
		}
		prev = (size_t)b;
	}
	(void)prev;
	ubrk_close(bi);
	utext_close(ut);
	return count;
}

/* Run the scanner over s; per piece, push it to p and/or its ids to out. */
static size_t
scan(const struct tok *t, const uint8_t *s, size_t n, struct tok_piece **p,
    size_t *np, size_t *cap, struct tok_ids *out)
{
	size_t i = 0, j, k, count = 0;
	int valid = tok_utf8_valid(s, n);

	while (i < n) {
		j = t->split(s, n, i);
		k = piece_bpe(t, s + i, j - i, valid, out);
		count += k;
		if (p != NULL) {
			if (*np == *cap) {
				*cap = *cap ? 2 * *cap : 256;
				*p = df_xrealloc(*p, *cap * sizeof(**p));
			}
			(*p)[(*np)++] = (struct tok_piece){ j, (uint32_t)k };
		}
		i = j;
	}
	return count;
}

size_t
tok_count(const struct tok *t, const char *s, size_t len)
{
	const uint8_t *u = (const uint8_t *)s;

	switch (t->kind) {
	case TK_TIKTOKEN:
		return scan(t, u, len, NULL, NULL, NULL, NULL);
	case TK_HF:
		return tok_hf_pieces(t->hf, u, len, NULL, NULL, NULL, NULL);
	default:
		return simple_pieces(t, u, len, NULL, NULL, NULL);
	}
}

int
tok_encode(const struct tok *t, const char *s, size_t len, uint32_t **ids,
    size_t *n, size_t *cap)
{
	struct tok_ids o = { *ids, *n, *cap };

	switch (t->kind) {
	case TK_TIKTOKEN:
		scan(t, (const uint8_t *)s, len, NULL, NULL, NULL, &o);
		break;
	case TK_HF:
		tok_hf_pieces(t->hf, (const uint8_t *)s, len, NULL, NULL, NULL,
		    &o);
		break;
	default:
		return -1;
	}
	*ids = o.v;
	*n = o.n;
	*cap = o.cap;
	return 0;
}

void
tok_pieces(const struct tok *t, const char *s, size_t len,
    struct tok_piece **p, size_t *n, size_t *cap)
{
	switch (t->kind) {
	case TK_TIKTOKEN:
		scan(t, (const uint8_t *)s, len, p, n, cap, NULL);
		break;
	case TK_HF:
		tok_hf_pieces(t->hf, (const uint8_t *)s, len, p, n, cap, NULL);
		break;
	default:
		simple_pieces(t, (const uint8_t *)s, len, p, n, cap);
	}
}
