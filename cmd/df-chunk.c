/*
 * df-chunk: cut texts into token-bounded chunks, or count their tokens.
 *
 * Counts are exact for the tokenizer (lib/tok.h: tiktoken's cl100k_base
 * and o200k_base, a tokenizer.json, code points or ICU words).  The text
 * is tokenized once; the pre-tokenizer's pieces, with their token counts
 * and running sums, give the exact count of any stretch between piece
 * ends (a trailing whitespace run is counted again, as tiktoken's
 * \s+(?!\S) sees it differently at the end of a text).  Chunks start and
 * end at piece ends that are grapheme-cluster boundaries, chosen by the
 * strategy's boundaries in order (recursive: blank lines, line breaks,
 * ICU sentences, words, pieces, grapheme clusters), packing neighbours up
 * to the budget.  Every chunk gets an id from its parent's and its index,
 * its token count and its code-point offsets in the parent text.
 */
#include <getopt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "cli.h"
#include "filter.h"
#include "hash.h"
#include "tok.h"

#define USAGE \
"df-chunk [-hquV] [-j N] [--count] [--count-field PATH] [--data-dir DIR]\n" \
"                [--field PATH] [--max-record BYTES] [--max-tokens N]\n" \
"                [--min-tokens N] [--normalize nfc|nfkc] [--overlap N]\n" \
"                [--progress] [--rejects FILE] [--stats FILE]\n" \
"                [--strategy recursive|sentence|paragraph|fixed] [--strict]\n" \
"                [--tokenizer NAME|FILE] [--where EXPR] [file ...]"

#define HELP \
"Cut texts into chunks of at most --max-tokens tokens, or count tokens.\n" \
"\n" \
"      --count           add the token count (--count-field) to each\n" \
"                        record instead of chunking it\n" \
"      --count-field PATH  where token counts go (default .tokens)\n" \
"      --data-dir DIR    where the tokenizer rank files are (default\n" \
"                        $DF_DATADIR, then the installed data)\n" \
"      --field PATH      the text to cut or count (default .text)\n" \
"      --max-tokens N    tokens per chunk at most (default 512)\n" \
"      --min-tokens N    merge a chunk of fewer tokens into a neighbour\n" \
"                        when the two fit (default 0)\n" \
"      --normalize FORM  nfc or nfkc the text before anything else\n" \
"      --overlap N       start each chunk with up to N tokens of the end\n" \
"                        of the one before (default 0)\n" \
"      --strategy S      recursive (default: blank lines, lines,\n" \
"                        sentences, words, grapheme clusters), sentence,\n" \
"                        paragraph or fixed (exact token windows)\n" \
"      --tokenizer T     cl100k_base (default), o200k_base, chars, words\n" \
"                        or a Hugging Face tokenizer.json file\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_COUNT = FILTER_OPT_LAST,
	OPT_COUNT_FIELD,
	OPT_DATA_DIR,
	OPT_FIELD,
	OPT_MAX_TOKENS,
	OPT_MIN_TOKENS,
	OPT_NORMALIZE,
	OPT_OVERLAP,
	OPT_STRATEGY,
	OPT_TOKENIZER
};

static const struct option longopts[] = {
	{ "count", no_argument, NULL, OPT_COUNT },
	{ "count-field", required_argument, NULL, OPT_COUNT_FIELD },
	{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
	{ "min-tokens", required_argument, NULL, OPT_MIN_TOKENS },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ "overlap", required_argument, NULL, OPT_OVERLAP },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "tokenizer", required_argument, NULL, OPT_TOKENIZER },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

/* Boundary levels, coarsest first. */
enum level { LV_PARA, LV_LINE, LV_SENT, LV_WORD, LV_PIECE, LV_GRAPH };

enum strategy { ST_RECURSIVE, ST_SENTENCE, ST_PARAGRAPH, ST_FIXED };
static const char *const strategy_name[] = { "recursive", "sentence",
	"paragraph", "fixed" };
static const enum level strategy_levels[3][7] = {
	{ LV_PARA, LV_LINE, LV_SENT, LV_WORD, LV_PIECE, LV_GRAPH },
	{ LV_SENT, LV_WORD, LV_PIECE, LV_GRAPH },
	{ LV_PARA, LV_SENT, LV_WORD, LV_PIECE, LV_GRAPH },
};

/* The output fields, in the order they are set. */
enum { OF_TEXT, OF_ID, OF_PARENT, OF_INDEX, OF_COUNT, OF_TOKENS, OF_START,
	OF_END, NOF };

struct chunk {
	const char *field_text;
	struct field field;
	const char *count_field_text;
	struct field out[NOF];
	const char *tokenizer;
	struct tok *tok;
	int local;		/* tok_splits_locally() */
	long long max_tokens, min_tokens, overlap;
	enum strategy strategy;
	int count_only;
	int top;		/* every output field is top-level */
	const UNormalizer2 *norm;
	UBreakIterator *sent_tpl, *char_tpl, *word_tpl;

	atomic_ullong n_chunks, n_tokens, n_oversize;
};

static struct chunk C;

#define NOK SIZE_MAX	/* a chunk end that is not a piece end */

/* A chunk: bytes [a, b) of the text and its tokens. */
struct seg {
	size_t a, b;
	uint64_t tokens;
};

struct wctx {
	struct buf raw, norm, val[NOF], idjson, rec, key;
	const char *t;		/* the text being cut */
	size_t len;
	struct tok_piece *p;	/* its pieces */
	size_t np, pcap;
	/* Piece starts as bits, with the count before each word. */
	uint64_t *pbit;
	size_t *prank;
	size_t pbitcap;
	uint64_t *csum;		/* csum[k]: tokens of pieces [0, k) */
	size_t ccap;
	struct seg *seg;
	size_t nseg, segcap;
	struct tok_piece *wp;	/* scratch: pieces of a window */
	size_t nwp, wpcap;
	uint32_t *ids;
	size_t nids, idcap;
	size_t *tend;
	size_t tcap;
	UChar *u16a, *u16b;
	int32_t u16cap;
	UText *ut;
	UBreakIterator *sent, *chr, *word;
	int sent_set, chr_set, word_set, ut_set;
	uint64_t budget;
};

static void *
worker_new(void *arg)
{
	struct chunk *c = arg;
	struct wctx *w = df_xcalloc(1, sizeof(*w));
	UErrorCode ec = U_ZERO_ERROR;

	if (!c->count_only) {
		w->sent = ubrk_clone(c->sent_tpl, &ec);
		w->chr = ubrk_clone(c->char_tpl, &ec);
		w->word = ubrk_clone(c->word_tpl, &ec);
		if (U_FAILURE(ec))
			die("ICU break iterators: %s", u_errorName(ec));
	}
	return w;
}

static void
worker_free(void *p)
{
	struct wctx *w = p;
	int i;

	buf_release(&w->raw);
	buf_release(&w->norm);
	buf_release(&w->idjson);
	buf_release(&w->rec);
	buf_release(&w->key);
	for (i = 0; i < NOF; i++)
		buf_release(&w->val[i]);
	free(w->p);
	free(w->csum);
	free(w->pbit);
	free(w->prank);
	free(w->seg);
	free(w->wp);
	free(w->ids);
	free(w->tend);
	free(w->u16a);
	free(w->u16b);
	if (w->sent != NULL)
		ubrk_close(w->sent);
	if (w->chr != NULL)
		ubrk_close(w->chr);
	if (w->word != NULL)
		ubrk_close(w->word);
	if (w->ut != NULL)
		utext_close(w->ut);
	free(w);
}

/* ------------------------------------------------------------------ */
/* Text in                                                              */

/*
 * Normalize s[0..len) to NFC or NFKC into w->norm.  Returns 0, or -1
 * with e set when ICU fails (a text above 2^31 UTF-16 units).
 */
static int
normalize(struct wctx *w, const char *s, size_t len, struct df_err *e)
{
	UErrorCode ec = U_ZERO_ERROR;
	int32_t n16, nn, n8;
	size_t i;

	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
		;
	buf_reset(&w->norm);
	if (i == len) {		/* ASCII is in every normal form */
		buf_add(&w->norm, s, len);
		return 0;
	}
	if (len > INT32_MAX / 4)
		return df_err_set(e, "too-long", "text of %zu bytes is too "
		    "long to normalize", len);
	if (w->u16cap < (int32_t)len + 1) {
		w->u16cap = (int32_t)len + 1;
		w->u16a = df_xrealloc(w->u16a, (size_t)w->u16cap *
		    sizeof(UChar));
	}
	u_strFromUTF8WithSub(w->u16a, w->u16cap, &n16, s, (int32_t)len,
	    0xFFFD, NULL, &ec);
	if (U_FAILURE(ec))
		return df_err_set(e, "normalize", "ICU: %s", u_errorName(ec));
	for (;;) {
		int32_t cap = w->u16cap * 2 + 16;

		w->u16b = df_xrealloc(w->u16b, (size_t)cap * sizeof(UChar));
		ec = U_ZERO_ERROR;
		nn = unorm2_normalize(C.norm, w->u16a, n16, w->u16b, cap, &ec);
		if (ec != U_BUFFER_OVERFLOW_ERROR)
			break;
		w->u16cap *= 2;
		w->u16a = df_xrealloc(w->u16a, (size_t)w->u16cap *
		    sizeof(UChar));
	}
	if (U_FAILURE(ec))
		return df_err_set(e, "normalize", "ICU: %s", u_errorName(ec));
	ec = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &n8, w->u16b, nn, &ec);
	buf_grow(&w->norm, (size_t)n8 + 1);
	ec = U_ZERO_ERROR;
	u_strToUTF8(w->norm.data, n8 + 1, &n8, w->u16b, nn, &ec);
	if (U_FAILURE(ec))
		return df_err_set(e, "normalize", "ICU: %s", u_errorName(ec));
	w->norm.len = (size_t)n8;
	return 0;
}

/*
 * Read the record's text into w->t/w->len.  Returns 0, or -1 with e set:
 * missing-field, not-a-string or empty-text.
 */
static int
get_text(struct wctx *w, struct rec *r, struct df_err *e)
{
	size_t off, len;
	enum json_kind kind;

	if (!field_find(&C.field, r->line, r->obj, &off, &len, &kind) ||
	    kind == JSON_NULL)
		return df_err_set(e, "missing-field", "field '%s' is missing",
		    C.field_text);
	if (kind != JSON_STRING)
		return df_err_set(e, "not-a-string", "field '%s' is not a "
		    "string", C.field_text);
	buf_reset(&w->raw);
	(void)json_string_decode(r->line + off, len, &w->raw);
	if (w->raw.len == 0)
		return df_err_set(e, "empty-text", "field '%s' is empty",
		    C.field_text);
	w->t = w->raw.data;
	w->len = w->raw.len;
	if (C.norm != NULL) {
		if (normalize(w, w->raw.data, w->raw.len, e) < 0)
			return -1;
		w->t = w->norm.data ? w->norm.data : "";
		w->len = w->norm.len;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Counting                                                             */

static inline size_t
pos(const struct wctx *w, size_t k)
{
	return k == 0 ? 0 : w->p[k - 1].end;
}

/* The bits set in v (no popcount instruction is assumed). */
static inline uint32_t
bits64(uint64_t v)
{
	v -= (v >> 1) & UINT64_C(0x5555555555555555);
	v = (v & UINT64_C(0x3333333333333333)) +
	    ((v >> 2) & UINT64_C(0x3333333333333333));
	v = (v + (v >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (uint32_t)((v * UINT64_C(0x0101010101010101)) >> 56);
}

/*
 * The piece holding byte x: pos(k) <= x < pos(k + 1), np past the last.
 * The number of piece starts at or before x, less one, from the map
 * cut() makes.
 */
static size_t
piece_of(const struct wctx *w, size_t x)
{
	uint64_t m;

	if (w->np == 0 || x >= w->p[w->np - 1].end)
		return w->np;
	m = w->pbit[x >> 6];
	if ((x & 63) != 63)
		m &= (UINT64_C(2) << (x & 63)) - 1;
	return w->prank[x >> 6] + bits64(m) - 1;
}

/*
 * Where a scan that starts at byte a (inside piece ka) falls in step with
 * the text's own pieces again: returns the piece index kh at whose start
 * it does, with *head the tokens before it; NOK when that is not before
 * piece kq.  (A scan from the middle of a piece, such as after the
 * prefix character of " word" or of "\u3002word", usually meets the
 * piece's own end.)
 */
static size_t
sync_head(struct wctx *w, size_t a, size_t ka, size_t kq, uint64_t *head)
{
	size_t span = 2, ke, i, e, k;
	uint64_t sum;

	for (;;) {
		ke = ka + span < kq ? ka + span : kq;
		w->nwp = 0;
		tok_pieces(C.tok, w->t + a, pos(w, ke) - a, &w->wp, &w->nwp,
		    &w->wpcap);
		sum = 0;
		/* The last piece may be cut short by the window's end. */
		for (i = 0; i + 1 < w->nwp; i++) {
			sum += w->wp[i].ntok;
			e = a + w->wp[i].end;
			k = piece_of(w, e);
			if (pos(w, k) == e) {
				*head = sum;
				return k;
			}
		}
		if (ke == kq)
			return NOK;
		span *= 4;
	}
}

/*
 * Exact tokens of t[a..b), from the pieces' running sums: a start inside
 * a piece is scanned until it falls in step with the pieces, and the end
 * is scanned again from the piece where a trailing whitespace run or a
 * cut piece begins (tiktoken's \s+(?!\S) takes a run at the end of a
 * text whole).
 */
static uint64_t
count(struct wctx *w, size_t a, size_t b)
{
	const uint8_t *s = (const uint8_t *)w->t;
	size_t ws, ka, kh, kq, q;
	uint64_t head = 0;
	int32_t i;
	UChar32 ch;

	if (a >= b)
		return 0;
	if (!C.local)
		return tok_count(C.tok, w->t + a, b - a);
	/* The whitespace run at the end. */
	ws = b;
	while (ws > a) {
		i = (int32_t)ws;
		if (s[ws - 1] < 0x80) {
			if (s[ws - 1] != ' ' && (s[ws - 1] < '\t' ||
			    s[ws - 1] > '\r'))
				break;
			ws--;
			continue;
		} else {
			U8_PREV_OR_FFFD(s, (int32_t)a, i, ch);
		}
		if (!u_isUWhiteSpace(ch))
			break;
		ws = (size_t)i;
	}
	/* The tail from piece kq on is scanned again, up to b. */
	if (ws < b)
		kq = piece_of(w, ws);
	else if (b < w->len && pos(w, piece_of(w, b)) != b)
		kq = piece_of(w, b);
	else
		kq = b == w->len ? w->np : piece_of(w, b);
	ka = piece_of(w, a);
	if (pos(w, ka) == a)
		kh = ka;
	else if (kq <= ka + 1 ||
	    (kh = sync_head(w, a, ka, kq, &head)) == NOK || kh > kq)
		return tok_count(C.tok, w->t + a, b - a);
	q = pos(w, kq);
	return head + (w->csum[kq] - w->csum[kh]) +
	    (q < b ? tok_count(C.tok, w->t + q, b - q) : 0);
}

/* ------------------------------------------------------------------ */
/* Boundaries                                                           */

static void
set_text(struct wctx *w, UBreakIterator *bi, int *done)
{
	UErrorCode ec = U_ZERO_ERROR;

	if (*done)
		return;
	if (!w->ut_set) {
		w->ut = utext_openUTF8(w->ut, w->t, (int64_t)w->len, &ec);
		if (U_FAILURE(ec))
			die("ICU text: %s", u_errorName(ec));
		w->ut_set = 1;
	}
	ubrk_setUText(bi, w->ut, &ec);
	if (U_FAILURE(ec))
		die("ICU break iterator: %s", u_errorName(ec));
	*done = 1;
}

/* Is byte offset x a grapheme-cluster boundary? */
static int
grapheme_at(struct wctx *w, size_t x)
{
	const unsigned char *s = (const unsigned char *)w->t;

	if (x == 0 || x >= w->len)
		return 1;
	if (s[x] < 0x80 && s[x - 1] < 0x80)
		return !(s[x - 1] == '\r' && s[x] == '\n');
	if ((s[x] & 0xC0) == 0x80)
		return 0;
	set_text(w, w->chr, &w->chr_set);
	return ubrk_isBoundary(w->chr, (int32_t)x);
}

static inline int
is_ws_at(const struct wctx *w, size_t x)
{
	const uint8_t *s = (const uint8_t *)w->t;
	int32_t i = (int32_t)x;
	UChar32 ch;

	if (x >= w->len)
		return 0;
	if (s[x] < 0x80)
		return s[x] == ' ' || (s[x] >= '\t' && s[x] <= '\r');
	U8_NEXT_OR_FFFD(s, i, (int32_t)w->len, ch);
	return u_isUWhiteSpace(ch);
}

static inline int
is_ws_before(const struct wctx *w, size_t x)
{
	const uint8_t *s = (const uint8_t *)w->t;
	int32_t i = (int32_t)x;
	UChar32 ch;

	if (x == 0)
		return 0;
	if (s[x - 1] < 0x80)
		return s[x - 1] == ' ' || (s[x - 1] >= '\t' &&
		    s[x - 1] <= '\r');
	U8_PREV_OR_FFFD(s, 0, i, ch);
	return u_isUWhiteSpace(ch);
}

/* Is the character at x (< len) a letter? */
static inline int
letter_at(const struct wctx *w, size_t x)
{
	const uint8_t *s = (const uint8_t *)w->t;
	int32_t i = (int32_t)x;
	UChar32 ch;

	U8_NEXT_OR_FFFD(s, i, (int32_t)w->len, ch);
	return u_isalpha(ch);
}

/* A word starts at x: after whitespace, not inside a run of it. */
static inline int
word_at(struct wctx *w, size_t x)
{
	return is_ws_before(w, x) && !is_ws_at(w, x) && grapheme_at(w, x);
}

static void
cut_push(size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = df_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

/*
 * The byte offsets in (a, b) where level lv allows a cut, in a new array
 * *v; returns how many.
 */
static size_t
boundaries(struct wctx *w, enum level lv, size_t a, size_t b, size_t **v)
{
	const char *s = w->t;
	size_t n = 0, cap = 0, k, x, j;
	int32_t br;

	*v = NULL;
	switch (lv) {
	case LV_PARA:
	case LV_LINE:
		/* After a run of line breaks (two or more for PARA). */
		for (k = piece_of(w, a) + 1; k < w->np && (x = pos(w, k)) < b;
		    k++) {
			if (x <= a || (s[x - 1] != '\n' && s[x - 1] != '\r'))
				continue;
			if (s[x] == '\n' || s[x] == '\r')
				continue;
			if (lv == LV_PARA) {
				for (j = x - 1; j > a && (s[j - 1] == ' ' ||
				    s[j - 1] == '\t' || s[j - 1] == '\r'); j--)
					;
				if (j <= a || s[j - 1] != '\n')
					continue;
			}
			cut_push(v, &n, &cap, x);
		}
		break;
	case LV_SENT:
		set_text(w, w->sent, &w->sent_set);
		for (br = ubrk_following(w->sent, (int32_t)a); br != UBRK_DONE &&
		    (size_t)br < b; br = ubrk_following(w->sent, br))
			if (grapheme_at(w, (size_t)br))
				cut_push(v, &n, &cap, (size_t)br);
		break;
	case LV_WORD:
		/*
		 * ICU word boundaries: after whitespace, or between two words
		 * with nothing between (Thai, CJK, by ICU's dictionaries).
		 */
		set_text(w, w->word, &w->word_set);
		for (br = ubrk_following(w->word, (int32_t)a); br != UBRK_DONE &&
		    (size_t)br < b; br = ubrk_following(w->word, br)) {
			x = (size_t)br;
			if (is_ws_at(w, x) || !grapheme_at(w, x))
				continue;
			if (is_ws_before(w, x) || (ubrk_getRuleStatus(w->word) >=
			    UBRK_WORD_NONE_LIMIT && letter_at(w, x)))
				cut_push(v, &n, &cap, x);
		}
		break;
	case LV_PIECE:
		for (k = piece_of(w, a) + 1; k < w->np && (x = pos(w, k)) < b;
		    k++)
			if (x > a && grapheme_at(w, x))
				cut_push(v, &n, &cap, x);
		break;
	case LV_GRAPH:
		break;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Chunking                                                             */

static void
seg_push(struct wctx *w, size_t a, size_t b, uint64_t tokens)
{
	if (w->nseg == w->segcap) {
		w->segcap = w->segcap ? 2 * w->segcap : 64;
		w->seg = df_xrealloc(w->seg, w->segcap * sizeof(*w->seg));
	}
	w->seg[w->nseg++] = (struct seg){ a, b, tokens };
}

/*
 * Cut t[a..b), which holds no other allowed cut, at grapheme clusters:
 * each chunk the longest run of clusters within the budget (found by
 * bisection, so counted O(log n) times).  A cluster alone over budget is
 * a chunk of its own (never split).
 */
static void
split_graphemes(struct wctx *w, size_t a, size_t b)
{
	size_t *g = NULL, ng = 0, gcap = 0, lo, hi, mid, st, i, e;
	int32_t x;
	uint64_t n;

	set_text(w, w->chr, &w->chr_set);
	for (x = ubrk_following(w->chr, (int32_t)a); x != UBRK_DONE &&
	    (size_t)x < b; x = ubrk_following(w->chr, x))
		cut_push(&g, &ng, &gcap, (size_t)x);
	st = a;
	i = 0;			/* g[i] is the first cluster end after st */
	while (st < b) {
		n = count(w, st, b);
		if (n <= w->budget) {
			seg_push(w, st, b, n);
			break;
		}
		/* The largest j in [i, ng) with count(st, g[j]) <= budget. */
		lo = i;
		hi = ng;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (count(w, st, g[mid]) <= w->budget)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == i) {	/* one cluster over budget */
			e = i < ng ? g[i] : b;
			C.n_oversize++;
			lo = i + 1;
		} else
			e = g[lo - 1];
		seg_push(w, st, e, count(w, st, e));
		st = e;
		i = lo;
	}
	free(g);
}

/*
 * Cut t[a..b) with the strategy's levels from li on: split at the
 * level's boundaries, pack neighbouring parts up to the budget, and cut
 * a part over budget at the next level.
 */
static void
split_range(struct wctx *w, size_t a, size_t b, const enum level *lv, int li)
{
	size_t *k, nk, i, pa, pb, ca = 0, cb = 0;
	uint64_t n, m, cn = 0;
	int open = 0;

	n = count(w, a, b);
	if (n <= w->budget) {
		seg_push(w, a, b, n);
		return;
	}
	if (lv[li] == LV_GRAPH) {
		split_graphemes(w, a, b);
		return;
	}
	nk = boundaries(w, lv[li], a, b, &k);
	if (nk == 0) {
		free(k);
		split_range(w, a, b, lv, li + 1);
		return;
	}
	for (i = 0; i <= nk; i++) {
		pa = i == 0 ? a : k[i - 1];
		pb = i == nk ? b : k[i];
		n = count(w, pa, pb);
		if (n > w->budget) {
			if (open) {
				seg_push(w, ca, cb, cn);
				open = 0;
			}
			split_range(w, pa, pb, lv, li + 1);
			continue;
		}
		if (open) {
			m = count(w, ca, pb);
			if (m <= w->budget) {
				cb = pb;
				cn = m;
				continue;
			}
			seg_push(w, ca, cb, cn);
		}
		ca = pa;
		cb = pb;
		cn = n;
		open = 1;
	}
	if (open)
		seg_push(w, ca, cb, cn);
	free(k);
}

/*
 * Chunk i is under --min-tokens and fits with neither neighbour: move
 * its start back to the nearest word start that gives it enough tokens,
 * when chunk i - 1 keeps enough too.
 */
static void
rebalance(struct wctx *w, size_t i)
{
	struct seg *s = w->seg;
	size_t x;
	uint64_t m, m2;

	for (x = s[i].a - 1; x > s[i - 1].a; x--) {
		if ((w->t[x] & 0xC0) == 0x80 || !word_at(w, x))
			continue;
		m = count(w, x, s[i].b);
		if (m > (uint64_t)C.max_tokens)
			return;
		if (m < (uint64_t)C.min_tokens)
			continue;
		m2 = count(w, s[i - 1].a, x);
		if (m2 >= (uint64_t)C.min_tokens) {
			s[i - 1].b = x;
			s[i - 1].tokens = m2;
			s[i].a = x;
			s[i].tokens = m;
		}
		return;
	}
}

/*
 * Merge chunks under --min-tokens into a neighbour when the two fit, or
 * else take words from the chunk before.
 */
static void
merge_small(struct wctx *w)
{
	size_t i, j;
	struct seg *s = w->seg;
	uint64_t m;

	for (i = 0; i < w->nseg && w->nseg > 1; ) {
		if (s[i].tokens >= (uint64_t)C.min_tokens) {
			i++;
			continue;
		}
		if (i > 0 && (m = count(w, s[i - 1].a, s[i].b)) <=
		    (uint64_t)C.max_tokens) {
			s[i - 1].b = s[i].b;
			s[i - 1].tokens = m;
			j = i;
		} else if (i + 1 < w->nseg && (m = count(w, s[i].a,
		    s[i + 1].b)) <= (uint64_t)C.max_tokens) {
			s[i].b = s[i + 1].b;
			s[i].tokens = m;
			j = i + 1;
		} else {
			if (i > 0)
				rebalance(w, i);
			i++;
			continue;
		}
		memmove(s + j, s + j + 1, (w->nseg - j - 1) * sizeof(*s));
		w->nseg--;
	}
}

/*
 * Start each chunk with the longest stretch of whole pieces before it
 * that holds at most --overlap tokens (not reaching the previous chunk's
 * start, not splitting a cluster), keeping it within --max-tokens.
 */
static void
add_overlap(struct wctx *w)
{
	struct seg *s = w->seg;
	size_t i, k, o, x;
	uint64_t n;

	for (i = w->nseg; i-- > 1; ) {
		o = s[i].a;
		for (k = piece_of(w, s[i].a - 1); k > 0; k--) {
			x = pos(w, k);
			if (x <= s[i - 1].a)
				break;
			if (x >= s[i].a || !grapheme_at(w, x))
				continue;
			if (count(w, x, s[i].a) > (uint64_t)C.overlap)
				break;
			o = x;
		}
		/* Give back overlap until the chunk fits. */
		for (; o < s[i].a; o++) {
			if ((w->t[o] & 0xC0) == 0x80 || !grapheme_at(w, o) ||
			    (o > 0 && pos(w, piece_of(w, o)) != o))
				continue;
			n = count(w, o, s[i].b);
			if (n <= (uint64_t)C.max_tokens) {
				s[i].a = o;
				s[i].tokens = n;
				break;
			}
		}
	}
}

/*
 * The byte offset where token window edge i (tokens [0, i) before it)
 * falls, moved back to a character boundary, not before lo.
 */
static size_t
window_at(const struct wctx *w, size_t i, size_t nt, size_t lo)
{
	size_t x = i == 0 ? 0 : i >= nt ? w->len : w->tend[i - 1];

	while (x > lo && x < w->len && (w->t[x] & 0xC0) == 0x80)
		x--;
	return x;
}

/* The strategy "fixed": windows of --max-tokens tokens of the text. */
static void
split_fixed(struct wctx *w)
{
	size_t nt = 0, i, at, st, en, a, b, bl, over;
	const uint8_t *tb;
	uint64_t n;

	/* Where each token ends. */
	w->nids = 0;
	if (tok_encode(C.tok, w->t, w->len, &w->ids, &w->nids, &w->idcap) ==
	    0) {
		if (w->tcap < w->nids) {
			w->tcap = w->nids;
			w->tend = df_xrealloc(w->tend, w->tcap *
			    sizeof(*w->tend));
		}
		for (i = 0, at = 0; i < w->nids; i++) {
			tb = tok_token_bytes(C.tok, w->ids[i], &bl);
			at += tb != NULL ? bl : 0;
			w->tend[nt++] = at < w->len ? at : w->len;
		}
	} else {
		if (w->tcap < w->np) {
			w->tcap = w->np;
			w->tend = df_xrealloc(w->tend, w->tcap *
			    sizeof(*w->tend));
		}
		for (i = 0; i < w->np; i++)
			if (w->p[i].ntok > 0)
				w->tend[nt++] = w->p[i].end;
		if (nt > 0)
			w->tend[nt - 1] = w->len;
	}
	if (nt == 0) {
		seg_push(w, 0, w->len, 0);
		return;
	}
	st = 0;
	for (;;) {
		en = st + (size_t)C.max_tokens;
		if (en >= nt) {
			en = nt;
			/* A short tail: the last window ends the text. */
			if (C.min_tokens > 0 && st > 0 && en - st <
			    (size_t)C.min_tokens && nt >= (size_t)C.max_tokens)
				st = nt - (size_t)C.max_tokens;
		}
		a = window_at(w, st, nt, 0);
		/*
		 * A window cut inside a piece can take more tokens on its own
		 * than in the text: give back tokens until it fits.
		 */
		for (;;) {
			b = window_at(w, en, nt, a);
			n = tok_count(C.tok, w->t + a, b - a);
			if (n <= (uint64_t)C.max_tokens || en <= st + 1)
				break;
			over = (size_t)(n - (uint64_t)C.max_tokens);
			en = en - st > over ? en - over : st + 1;
		}
		if (b > a && (w->nseg == 0 || b > w->seg[w->nseg - 1].b))
			seg_push(w, a, b, n);
		if (en == nt)
			break;
		st = en - st > (size_t)C.overlap ? en - (size_t)C.overlap :
		    st + 1;
	}
}

/* Cut w->t into w->seg. */
static void
cut(struct wctx *w)
{
	size_t k;

	w->nseg = 0;
	w->sent_set = w->chr_set = w->word_set = w->ut_set = 0;
	w->np = 0;
	tok_pieces(C.tok, w->t, w->len, &w->p, &w->np, &w->pcap);
	if (w->ccap < w->np + 1) {
		w->ccap = w->np + 1;
		w->csum = df_xrealloc(w->csum, w->ccap * sizeof(*w->csum));
	}
	w->csum[0] = 0;
	for (k = 0; k < w->np; k++)
		w->csum[k + 1] = w->csum[k] + w->p[k].ntok;
	/*
	 * The chunker asks which piece holds a byte tens of times a chunk:
	 * a bit for every piece start and the count of starts before every
	 * 64 bytes answer at once.
	 */
	{
		size_t nw = w->len / 64 + 1;

		if (w->pbitcap < nw) {
			w->pbitcap = nw;
			w->pbit = df_xrealloc(w->pbit, nw * sizeof(*w->pbit));
			w->prank = df_xrealloc(w->prank, nw *
			    sizeof(*w->prank));
		}
		memset(w->pbit, 0, nw * sizeof(*w->pbit));
		for (k = 0; k < w->np; k++)
			w->pbit[pos(w, k) >> 6] |= UINT64_C(1) << (pos(w, k) &
			    63);
		w->prank[0] = 0;
		for (k = 1; k < nw; k++)
			w->prank[k] = w->prank[k - 1] + bits64(w->pbit[k - 1]);
	}
	if (C.strategy == ST_FIXED) {
		split_fixed(w);
		return;
	}
	w->budget = (uint64_t)(C.max_tokens - C.overlap);
	split_range(w, 0, w->len, strategy_levels[C.strategy], 0);
	if (C.min_tokens > 0)
		merge_small(w);
	if (C.overlap > 0)
		add_overlap(w);
}

/* ------------------------------------------------------------------ */
/* Records out                                                          */

/* Code points in s[0..n). */
static size_t
cps(const char *s, size_t n)
{
	size_t i = 0, cont = 0;
	uint64_t v;

	/* Eight bytes at a time: count the continuation bytes 10xxxxxx. */
	for (; i + 8 <= n; i += 8) {
		memcpy(&v, s + i, 8);
		v = (v & ~(v << 1) & 0x8080808080808080ull) >> 7;
		/* One bit a byte: the multiply sums them in the top byte. */
		cont += (size_t)((v * 0x0101010101010101ull) >> 56);
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xC0) == 0x80;
	return n - cont;
}

/* Is member i of o the top-level key f? */
static int
member_is(const struct json_member *m, const char *line,
    const struct field *f, struct buf *tmp)
{
	if (m->key_plain)
		return m->key_len - 2 == f->keylen[0] &&
		    memcmp(line + m->key_off + 1, f->key[0], f->keylen[0]) == 0;
	buf_reset(tmp);
	(void)json_string_decode(line + m->key_off, m->key_len, tmp);
	return tmp->len == f->keylen[0] && memcmp(tmp->data, f->key[0],
	    tmp->len) == 0;
}

/*
 * The parent's line with every output field set at once (all top-level):
 * a field the parent has is replaced in place (its later duplicates
 * dropped), the others are appended in order; every other byte is the
 * parent's.  One pass, where setting them one by one rescans the record
 * for each.
 */
static void
splice_all(struct wctx *w, struct rec *r, const char *const *json,
    const size_t *jl)
{
	const struct json_obj *o = r->obj;
	const struct json_member *m;
	const char *line = r->line;
	struct buf *b = &w->rec;
	size_t pos = 0, i, close, start, len = r->len;
	int done[NOF] = { 0 }, k, any = 0;

	buf_reset(b);
	for (i = 0; i < o->n; i++) {
		m = &o->m[i];
		for (k = 0; k < NOF; k++)
			if (member_is(m, line, &C.out[k], &w->key))
				break;
		if (k == NOF) {
			any = 1;
			continue;
		}
		if (!done[k]) {
			buf_add(b, line + pos, m->val_off - pos);
			buf_add(b, json[k], jl[k]);
			pos = m->val_off + m->val_len;
			done[k] = 1;
			any = 1;
		} else if (i > 0) {
			/* Drop ",key:value" of a duplicate. */
			start = o->m[i - 1].val_off + o->m[i - 1].val_len;
			if (start > pos)
				buf_add(b, line + pos, start - pos);
			pos = m->val_off + m->val_len;
		}
	}
	close = len;
	while (close > 0 && line[close - 1] != '}')
		close--;
	close--;
	buf_add(b, line + pos, close - pos);
	for (k = 0; k < NOF; k++) {
		if (done[k])
			continue;
		if (any)
			buf_addc(b, ',');
		json_string_encode(b, C.out[k].key[0], C.out[k].keylen[0]);
		buf_addc(b, ':');
		buf_add(b, json[k], jl[k]);
		any = 1;
	}
	buf_add(b, line + close, len - close);
}

static int
chunk_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct wctx *w = wp;
	const struct field *fs[NOF];
	const char *js[NOF];
	size_t ls[NOF], i, off, len, ca = 0, cca = 0, cb = 0, ccb = 0;
	enum json_kind kind;
	struct buf *v = w->val;
	uint64_t tokens = 0;
	int f;

	if (get_text(w, r, e) < 0)
		return -1;
	if (C.count_only) {
		uint64_t n = tok_count(C.tok, w->t, w->len);

		C.n_tokens += n;
		buf_reset(&v[0]);
		buf_addf(&v[0], "%llu", (unsigned long long)n);
		return emit_set(o, 0, r, &C.out[OF_TOKENS], v[0].data,
		    v[0].len, e);
	}
	cut(w);
	/* The parent's id as written, or a hash of its text. */
	buf_reset(&v[OF_PARENT]);
	buf_reset(&v[OF_ID]);
	if (field_find(&C.out[OF_ID], r->line, r->obj, &off, &len, &kind) &&
	    kind != JSON_NULL) {
		buf_add(&v[OF_PARENT], r->line + off, len);
		rec_canonical_span(&v[OF_ID], r->line + off, len, kind);
	} else {
		buf_addf(&v[OF_ID], "%016llx", (unsigned long long)
		    hash_siphash(0, 0x64662d6368756e6bULL /* "df-chunk" */,
		    w->t, w->len));
		json_string_encode(&v[OF_PARENT], v[OF_ID].data, v[OF_ID].len);
	}
	buf_addc(&v[OF_ID], '#');
	len = v[OF_ID].len;
	for (f = 0; f < NOF; f++)
		fs[f] = &C.out[f];
	for (i = 0; i < w->nseg; i++) {
		const struct seg *s = &w->seg[i];

		/* Offsets in code points, from cursors that only advance. */
		cca += cps(w->t + ca, s->a - ca);
		ca = s->a;
		ccb += cps(w->t + cb, s->b - cb);
		cb = s->b;
		v[OF_ID].len = len;
		buf_addf(&v[OF_ID], "%zu", i);
		buf_reset(&v[OF_TEXT]);
		json_string_encode(&v[OF_TEXT], w->t + s->a, s->b - s->a);
		buf_reset(&v[OF_INDEX]);
		buf_addf(&v[OF_INDEX], "%zu", i);
		buf_reset(&v[OF_COUNT]);
		buf_addf(&v[OF_COUNT], "%zu", w->nseg);
		buf_reset(&v[OF_TOKENS]);
		buf_addf(&v[OF_TOKENS], "%llu", (unsigned long long)s->tokens);
		buf_reset(&v[OF_START]);
		buf_addf(&v[OF_START], "%zu", cca);
		buf_reset(&v[OF_END]);
		buf_addf(&v[OF_END], "%zu", ccb);
		tokens += s->tokens;
		for (f = 0; f < NOF; f++) {
			if (f == OF_ID) {
				buf_reset(&w->idjson);
				json_string_encode(&w->idjson, v[OF_ID].data,
				    v[OF_ID].len);
				js[f] = w->idjson.data;
				ls[f] = w->idjson.len;
				continue;
			}
			js[f] = v[f].data;
			ls[f] = v[f].len;
		}
		if (C.top) {
			splice_all(w, r, js, ls);
			emit_line(o, 0, w->rec.data, w->rec.len);
		} else if (emit_set_fields(o, 0, r, NOF, fs, js, ls, e) < 0)
			return -1;
	}
	C.n_chunks += w->nseg;
	C.n_tokens += tokens;
	return 0;
}

static void
chunk_stats(void *arg, struct buf *b)
{
	struct chunk *c = arg;

	buf_addf(b, "\"tokenizer\":");
	json_string_encode(b, c->tokenizer, strlen(c->tokenizer));
	if (c->count_only) {
		buf_addf(b, ",\"tokens\":%llu", (unsigned long long)c->n_tokens);
		return;
	}
	buf_addf(b, ",\"strategy\":\"%s\",\"max_tokens\":%lld,"
	    "\"overlap\":%lld,\"min_tokens\":%lld,\"chunks\":%llu,"
	    "\"tokens\":%llu,\"oversize_clusters\":%llu",
	    strategy_name[c->strategy], c->max_tokens, c->overlap,
	    c->min_tokens, (unsigned long long)c->n_chunks,
	    (unsigned long long)c->n_tokens,
	    (unsigned long long)c->n_oversize);
}

static void
parse_field(struct field *f, const char *text, const char *opt)
{
	char err[160];

	if (field_parse(f, text, err, sizeof(err)) < 0)
		cli_bad("%s: %s", opt, err);
}

static long long
number(const char *arg, const char *opt, long long min)
{
	const char *errstr;
	long long v = cli_strtonum(arg, min, 1LL << 40, &errstr);

	if (errstr != NULL)
		cli_bad("%s is %s: '%s'", opt, errstr, arg);
	return v;
}

int
main(int argc, char *argv[])
{
	struct chunk *c = &C;
	struct filter f;
	struct df_err err;
	const char *normalize_form = NULL;
	UErrorCode ec = U_ZERO_ERROR;
	int ch, i, rc;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	c->field_text = ".text";
	c->count_field_text = ".tokens";
	c->tokenizer = "cl100k_base";
	c->max_tokens = 512;
	while ((ch = getopt_long(argc, argv, "hj:quV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_COUNT:
			c->count_only = 1;
			break;
		case OPT_COUNT_FIELD:
			c->count_field_text = optarg;
			break;
		case OPT_DATA_DIR:
			if (setenv("DF_DATADIR", optarg, 1) != 0)
				die_errno("setenv");
			break;
		case OPT_FIELD:
			c->field_text = optarg;
			break;
		case OPT_MAX_TOKENS:
			c->max_tokens = number(optarg, "--max-tokens", 1);
			break;
		case OPT_MIN_TOKENS:
			c->min_tokens = number(optarg, "--min-tokens", 0);
			break;
		case OPT_NORMALIZE:
			normalize_form = optarg;
			break;
		case OPT_OVERLAP:
			c->overlap = number(optarg, "--overlap", 0);
			break;
		case OPT_STRATEGY:
			for (i = 0; i < 4; i++)
				if (strcmp(optarg, strategy_name[i]) == 0)
					break;
			if (i == 4)
				cli_bad("--strategy must be recursive, "
				    "sentence, paragraph or fixed, not '%s'",
				    optarg);
			c->strategy = (enum strategy)i;
			break;
		case OPT_TOKENIZER:
			c->tokenizer = optarg;
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (c->overlap >= c->max_tokens)
		cli_bad("--overlap (%lld) must be less than --max-tokens "
		    "(%lld)", c->overlap, c->max_tokens);
	if (c->min_tokens > c->max_tokens)
		cli_bad("--min-tokens (%lld) is more than --max-tokens (%lld)",
		    c->min_tokens, c->max_tokens);
	parse_field(&c->field, c->field_text, "--field");
	parse_field(&c->out[OF_TOKENS], c->count_field_text, "--count-field");
	parse_field(&c->out[OF_TEXT], c->field_text, "--field");
	parse_field(&c->out[OF_ID], ".id", "id");
	parse_field(&c->out[OF_PARENT], ".parent_id", "parent_id");
	parse_field(&c->out[OF_INDEX], ".chunk_index", "chunk_index");
	parse_field(&c->out[OF_COUNT], ".chunk_count", "chunk_count");
	parse_field(&c->out[OF_START], ".char_start", "char_start");
	parse_field(&c->out[OF_END], ".char_end", "char_end");
	c->top = c->out[OF_TEXT].n == 1 && c->out[OF_TOKENS].n == 1;
	for (i = 0; i < NOF; i++)
		for (int j = 0; j < i; j++)
			if (c->out[i].keylen[0] == c->out[j].keylen[0] &&
			    memcmp(c->out[i].key[0], c->out[j].key[0],
			    c->out[i].keylen[0]) == 0)
				cli_bad("--field and --count-field name a "
				    "field df-chunk writes: '%s'",
				    c->out[i].text);
	if (normalize_form != NULL) {
		if (strcmp(normalize_form, "nfc") == 0)
			c->norm = unorm2_getNFCInstance(&ec);
		else if (strcmp(normalize_form, "nfkc") == 0)
			c->norm = unorm2_getNFKCInstance(&ec);
		else
			cli_bad("--normalize must be nfc or nfkc, not '%s'",
			    normalize_form);
		if (U_FAILURE(ec))
			die("ICU normalization data: %s", u_errorName(ec));
	}
	if ((c->tok = tok_open(c->tokenizer, &err)) == NULL)
		die("--tokenizer: %s", err.msg);
	c->local = tok_splits_locally(c->tok);
	if (!c->count_only) {
		c->sent_tpl = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL,
		    0, &ec);
		c->char_tpl = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &ec);
		c->word_tpl = ubrk_open(UBRK_WORD, "", NULL, 0, &ec);
		if (U_FAILURE(ec))
			die("ICU break iterators: %s", u_errorName(ec));
	}

	f.fn = chunk_record;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.stats_extra = chunk_stats;
	f.arg = c;
	f.one_to_one = c->count_only;
	rc = filter_run(&f, argc, argv);
	tok_free(c->tok);
	if (c->sent_tpl != NULL)
		ubrk_close(c->sent_tpl);
	if (c->char_tpl != NULL)
		ubrk_close(c->char_tpl);
	if (c->word_tpl != NULL)
		ubrk_close(c->word_tpl);
	field_release(&c->field);
	for (i = 0; i < NOF; i++)
		field_release(&c->out[i]);
	return rc;
}
