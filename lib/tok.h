/*
 * Token counting and encoding, exact to OpenAI's tiktoken (encode_ordinary)
 * for cl100k_base and o200k_base, to Hugging Face tokenizers for byte-level
 * BPE tokenizer.json files, plus two simple units (code points, ICU words).
 *
 * The pre-tokenizers are hand-written scanners over ICU character classes
 * (with the Unicode 16.0 overrides the reference needs on ICU 72), so no
 * regex engine runs; byte-pair merging takes the adjacent pair with the
 * lowest rank, leftmost on ties, in O(n log n) for long pieces.  Text that
 * is not valid UTF-8 is read with each maximal ill-formed subpart replaced
 * by U+FFFD, as the reference sees it after JSON decoding.  Special tokens
 * such as "<|endoftext|>" are ordinary text.
 *
 * A struct tok is immutable after tok_open(): any number of threads may
 * call tok_count(), tok_encode() and tok_pieces() on one at the same time.
 */
#ifndef DF_TOK_H
#define DF_TOK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct tok;

/*
 * Open a tokenizer.  spec: "cl100k_base", "o200k_base" (rank files found
 * with df_data_path("tokens/NAME.tiktoken")), "chars" (Unicode code
 * points), "words" (ICU word-break segments holding a letter, number,
 * kana or ideograph), or a path to a Hugging Face tokenizer.json.  NULL
 * with err set (reason "bad-tokenizer" or "no-data-file") on failure.
 */
struct tok *tok_open(const char *spec, struct df_err *err);
void tok_free(struct tok *t);

/* The name given to tok_open() (for messages and stats). */
const char *tok_name(const struct tok *t);

/* Number of tokens in the UTF-8 text s[0..len).  Thread-safe. */
size_t tok_count(const struct tok *t, const char *s, size_t len);

/*
 * Append the token ids of s[0..len) to *ids (realloc'ed as needed, *n
 * tokens used of *cap allocated).  Returns 0, or -1 for tokenizers without
 * ids (chars, words).  Thread-safe.
 */
int tok_encode(const struct tok *t, const char *s, size_t len,
    uint32_t **ids, size_t *n, size_t *cap);

/*
 * The pre-tokenizer's pieces of s[0..len), for cutting text at exact
 * token counts: appended to *p (realloc'ed, *n used of *cap) as the byte
 * offset where each piece ends and the number of tokens it encodes to.
 * Pieces are contiguous and cover s; the sum of ntok is tok_count().
 * For chars each piece is one code point, for words one word-break
 * segment (ntok 0 for spaces and punctuation).  Offsets refer to s even
 * when s is not valid UTF-8.  Thread-safe.
 */
struct tok_piece {
	size_t end;
	uint32_t ntok;
};
void tok_pieces(const struct tok *t, const char *s, size_t len,
    struct tok_piece **p, size_t *n, size_t *cap);

/*
 * 1 when the pre-tokenizer looks past a piece only through whitespace
 * (cl100k_base, o200k_base, and tokenizer.json files without a
 * normalizer or added prefix space): then the tokens of s[a..b), for
 * piece ends a and b of s, are those of the pieces between them, except
 * that a whitespace run ending at b must be counted again on its own.
 * 0 when substrings must be counted afresh (chars counts the same way
 * too; words and other tokenizer.json files do not).
 */
int tok_splits_locally(const struct tok *t);

/* The bytes of token id (NULL if id is out of range); *len set. */
const uint8_t *tok_token_bytes(const struct tok *t, uint32_t id,
    size_t *len);

#endif
