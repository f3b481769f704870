/*
 * Text normalisation, shingling and MinHash signatures for near-duplicate
 * detection (df-dedup).
 *
 * Normalisation, the one df-dedup documents and its benchmark truth uses:
 * the text is read as UTF-8 (invalid bytes count as U+FFFD), case-folded
 * (Unicode simple case folding), and cut into tokens, the maximal
 * runs of letters, marks and digits (general categories L*, M* and N*:
 * marks, so that Malayalam or Hindi words are not cut at their vowel
 * signs) and the zero-width non-joiner and joiner (U+200C, U+200D),
 * which spell words in those scripts; everything else separates.  The normalised text is the tokens
 * joined by single spaces.
 *
 * Shingles are the sets of n consecutive tokens (a text of 1 to n-1
 * tokens is one shingle of all of them; a text with no token has none),
 * or with chars mode the n consecutive code points of the normalised text
 * for scripts written without spaces.
 *
 * The signature is one-permutation MinHash: each shingle's 64-bit hash
 * picks one of MH_BINS bins by its top bits and keeps the smallest low
 * 32 bits there; bins left empty borrow from a non-empty bin chosen by a
 * fixed probe sequence (optimal densification, Shrivastava 2017), so two
 * texts agree on a bin with probability close to their Jaccard similarity.
 * One hash per shingle instead of one per permutation.
 */
#ifndef DF_MINHASH_H
#define DF_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define MH_BINS 256
#define MH_MAXBANDS 32

struct mh_params {
	int ngram;		/* tokens (or code points) per shingle */
	int chars;		/* shingles are code point n-grams */
	uint64_t seed;
};

#define MH_PROBES 32

/* Per-thread working space; zero it before first use. */
struct mh_scratch {
	struct buf norm;	/* the normalised text */
	uint64_t *tok;		/* token hashes (or code points in chars mode) */
	size_t ntok, captok;
	uint8_t probe[MH_BINS][MH_PROBES];	/* densification probes */
	uint64_t probe_seed;
	int probe_ready;
};

/*
 * Normalise text[0..len) into s->norm and hash its tokens.  The text need
 * not be valid UTF-8.
 */
void mh_tokens(struct mh_scratch *s, const struct mh_params *p,
    const char *text, size_t len);

/* A 128-bit hash of the normalised text: the exact-duplicate key. */
void mh_exact(const struct mh_scratch *s, uint64_t out[2]);

/*
 * The signature of the tokens last given to mh_tokens.  Returns the
 * number of shingles (0 for a text with no token: every bin is then
 * UINT32_MAX, so such texts are all alike).
 */
size_t mh_signature(struct mh_scratch *s, const struct mh_params *p,
    uint32_t sig[MH_BINS]);

/* The 32-bit key of band b: a hash of bins b*rows .. b*rows+rows-1. */
uint32_t mh_band_key(const uint32_t *sig, int band, int rows);

/*
 * The share of bins on which two stored signatures (16-bit values, the
 * high half of each bin) agree: the estimated Jaccard similarity.
 */
double mh_similarity16(const uint16_t *a, const uint16_t *b);

/*
 * Choose bands and rows for a similarity threshold t: the most rows (the
 * steepest S-curve) for which at most `maxbands` bands of that many rows
 * put the curve's midpoint (1/b)^(1/r) at or below t - 0.1, so candidates
 * are found generously and verification makes the cut.
 */
void mh_choose_bands(double t, int maxbands, int *bands, int *rows);

void mh_scratch_release(struct mh_scratch *s);

#endif
