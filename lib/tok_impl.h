/*
 * Internals shared by tok.c (tiktoken encodings, chars, words) and
 * tok_hf.c (Hugging Face tokenizer.json); not for programs.
 */
#ifndef DF_TOK_IMPL_H
#define DF_TOK_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "tok.h"

/* Character class bits of a code point, as the split patterns see it. */
enum {
	F_WS = 1,	/* White_Space (\s) */
	F_CRLF = 2,	/* U+000A, U+000D (also F_WS) */
	F_L = 4,	/* \p{L} */
	F_N = 8,	/* \p{N} */
	F_U = 16,	/* o200k upper side: Lu Lt Lm Lo M */
	F_W = 32,	/* o200k lower side: Ll Lm Lo M */
	F_M = 64	/* \p{M} */
};

/* The class of every code point (Unicode 16.0 as the reference sees it). */
extern const uint8_t *tok_cls;
void tok_cls_init(void);

/*
 * Decode the character at s[0..n), n >= 1: its code point, or U+FFFD for
 * a maximal ill-formed subpart; *len is the bytes it takes.
 */
static inline uint32_t
tok_dec(const uint8_t *s, size_t n, size_t *len)
{
	uint8_t b = s[0], lo = 0x80, hi = 0xBF;

	if (b < 0x80) {
		*len = 1;
		return b;
	}
	if (b < 0xC2)
		goto bad1;
	if (b < 0xE0) {
		if (n >= 2 && (s[1] & 0xC0) == 0x80) {
			*len = 2;
			return ((uint32_t)(b & 0x1F) << 6) | (s[1] & 0x3F);
		}
		goto bad1;
	}
	if (b < 0xF0) {
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
		if (n < 2 || s[1] < lo || s[1] > hi)
			goto bad1;
		if (n < 3 || (s[2] & 0xC0) != 0x80) {
			*len = 2;
			return 0xFFFD;
		}
		*len = 3;
		return ((uint32_t)(b & 0x0F) << 12) |
		    ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	if (b < 0xF5) {
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
		if (n < 2 || s[1] < lo || s[1] > hi)
			goto bad1;
		if (n < 3 || (s[2] & 0xC0) != 0x80) {
			*len = 2;
			return 0xFFFD;
		}
		if (n < 4 || (s[3] & 0xC0) != 0x80) {
			*len = 3;
			return 0xFFFD;
		}
		*len = 4;
		return ((uint32_t)(b & 0x07) << 18) |
		    ((uint32_t)(s[1] & 0x3F) << 12) |
		    ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	}
bad1:
	*len = 1;
	return 0xFFFD;
}

/* The class of the character at s[i] (i < n); *len its byte length. */
static inline uint8_t
tok_cat(const uint8_t *s, size_t i, size_t n, size_t *len)
{
	if (s[i] < 0x80) {
		*len = 1;
		return tok_cls[s[i]];
	}
	return tok_cls[tok_dec(s + i, n - i, len)];
}

/* 1 if s[0..n) is well-formed UTF-8. */
int tok_utf8_valid(const uint8_t *s, size_t n);

/*
 * Byte strings to ranks: tiktoken's table, or a tokenizer.json vocabulary
 * decoded to bytes.  Ids need not be dense (HF vocabularies have holes).
 */
struct tok_ranks {
	uint8_t *pool;		/* the bytes of every token */
	size_t *off;		/* token id i is pool[off[i]..off[i+1]) */
	uint32_t n;		/* ids 0..n-1 (holes have off[i]==off[i+1]) */
	uint64_t *slot;		/* hash << 32 | (id + 1); 0 is empty */
	uint32_t mask;
	uint32_t byte_id[256];	/* the token of each single byte */
};

#define TOK_NONE UINT32_MAX

uint32_t tok_ranks_get(const struct tok_ranks *r, const uint8_t *p,
    size_t n);
/* Index ids 0..r->n-1 given pool and off; -1 if a single byte is missing. */
int tok_ranks_index(struct tok_ranks *r);
void tok_ranks_release(struct tok_ranks *r);

/* A growing array of ids (tok_encode's output). */
struct tok_ids {
	uint32_t *v;
	size_t n, cap;
};

void tok_ids_grow(struct tok_ids *o);

static inline void
tok_ids_push(struct tok_ids *o, uint32_t id)
{
	if (o->n == o->cap)
		tok_ids_grow(o);
	o->v[o->n++] = id;
}

/*
 * Byte-pair merge of one piece with tiktoken's rule (the adjacent pair
 * whose concatenation has the lowest rank, leftmost on ties).  Returns
 * the number of tokens; appends their ids to out when it is not NULL.
 */
size_t tok_bpe(const struct tok_ranks *r, const uint8_t *p, size_t n,
    struct tok_ids *out);

/* Scanners: the end of the piece that starts at s[i] (i < n). */
size_t tok_split_cl100k(const uint8_t *s, size_t n, size_t i);
size_t tok_split_o200k(const uint8_t *s, size_t n, size_t i);
size_t tok_split_gpt2(const uint8_t *s, size_t n, size_t i);
size_t tok_split_qwen2(const uint8_t *s, size_t n, size_t i);

/* tokenizer.json (tok_hf.c). */
struct tok_hf;
struct tok_hf *tok_hf_open(const char *path, struct df_err *err);
void tok_hf_free(struct tok_hf *h);
/*
 * Tokens of s (pre-tokenizing and merging): returns the count; pieces to
 * *p and ids to out when they are not NULL.
 */
size_t tok_hf_pieces(const struct tok_hf *h, const uint8_t *s, size_t n,
    struct tok_piece **p, size_t *np, size_t *cap, struct tok_ids *out);
/* 1 when counts of substrings follow from the pieces (tok.h). */
int tok_hf_local(const struct tok_hf *h);
const uint8_t *tok_hf_token_bytes(const struct tok_hf *h, uint32_t id,
    size_t *len);

#endif
