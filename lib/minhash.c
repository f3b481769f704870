/*
 * Normalisation, shingling and one-permutation MinHash (minhash.h).
 *
 * The inner loops are per byte for ASCII text (a table says what is a
 * letter or digit and gives its lowercase) and per code point through
 * ICU's property tables otherwise; each shingle costs one 64-bit hash and
 * one compare, whatever the number of bins.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "diag.h"
#include "minhash.h"

static inline uint64_t
mix64(uint64_t x)
{
	/* splitmix64's finaliser: every input bit reaches every output bit. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static inline void
tok_push(struct mh_scratch *s, uint64_t h)
{
	if (s->ntok == s->captok) {
		s->captok = s->captok ? 2 * s->captok : 1024;
		s->tok = df_xrealloc(s->tok, s->captok * sizeof(*s->tok));
	}
	s->tok[s->ntok++] = h;
}

/*
 * By byte: the lowercase of an ASCII letter or digit, else 0 (ASCII that
 * separates, and every byte of a multibyte sequence, told apart when the
 * loop stops), so the inner loops test one table value per byte.
 */
static const unsigned char ascii_word[256] = {
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	 48,  49,  50,  51,  52,  53,  54,  55,
	 56,  57,   0,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103,
	104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119,
	120, 121, 122,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103,
	104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119,
	120, 121, 122,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,
};

/*
 * Letters, marks and digits; and the zero-width non-joiner and joiner,
 * which are part of the spelling of words in Malayalam, Hindi or Persian.
 */
static int
is_word(UChar32 c)
{
	return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK |
	    U_GC_N_MASK)) != 0 || c == 0x200c || c == 0x200d;
}

static inline uint64_t
rotl64(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/*
 * The hash of one token's bytes, eight at a time; b must have 8 readable
 * bytes past n.  Bytes are taken as little-endian words.
 */
static inline uint64_t
tok_hash(const char *b, size_t n, const struct mh_params *p)
{
	uint64_t h = p->seed ^ (n * 0x9e3779b97f4a7c15ULL), w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, b + i, 8);
		h = rotl64((h ^ w) * 0xc2b2ae3d27d4eb4fULL, 31);
	}
	/*
	 * The tail: one 8-byte load masked to the bytes that belong (the
	 * buffer has 8 bytes of slack past the text), not a memcpy call.
	 */
	w = 0;
	if (n > i) {
		memcpy(&w, b + i, 8);
		w &= ~0ULL >> (64 - 8 * (n - i));
	}
	/* The shingle hash mixes again: one multiply suffices here. */
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

/*
 * Read the code point at t[*i]; when it is a word character, store its
 * lowercase in *lc, advance *i and return 1; else leave *i on it (0) or
 * advance past it (skip set).
 */
static inline int
next_word_cp(const uint8_t *t, int32_t *i, int32_t n, UChar32 *lc, int skip)
{
	int32_t j = *i;
	UChar32 c;

	U8_NEXT(t, j, n, c);
	if (c < 0)
		c = 0xfffd;
	if (!is_word(c)) {
		if (skip)
			*i = j;
		return 0;
	}
	*lc = u_foldCase(c, U_FOLD_CASE_DEFAULT);
	*i = j;
	return 1;
}

/*
 * Make room in s->norm, which holds o bytes so far, for what the rest of
 * the text (left bytes) can become, with slack.  Returns the new output
 * pointer and sets *cap.
 */
static char *
norm_room(struct mh_scratch *s, size_t o, size_t left, size_t *cap)
{
	s->norm.len = o;
	buf_grow(&s->norm, 64 + left);
	*cap = s->norm.cap - 1;
	return s->norm.data;
}

void
mh_tokens(struct mh_scratch *s, const struct mh_params *p, const char *text,
    size_t len)
{
	const uint8_t *t = (const uint8_t *)text;
	int32_t i = 0, n = (int32_t)len, k;
	size_t o = 0, cap, start, ntok = 0, captok = s->captok;
	uint64_t *tok = s->tok;
	UChar32 c;
	char *out;

	/*
	 * Write the normalised text straight into the buffer: it is as long
	 * as the input or shorter, but for the few lowercase mappings that
	 * take more UTF-8 bytes, so keep slack on the slow path.
	 */
	s->ntok = 0;
	buf_reset(&s->norm);
	buf_grow(&s->norm, len + 16);
	out = s->norm.data;
	cap = s->norm.cap - 1;
	for (;;) {
		/* Skip what separates. */
		while (i < n) {
			if (ascii_word[t[i]] != 0)
				break;
			if (t[i] < 0x80)
				i++;
			else if (next_word_cp(t, &i, n, &c, 1)) {
				/* A word starts with a non-ASCII letter. */
				goto word_cp;
			}
		}
		if (i >= n)
			break;
		c = -1;
word_cp:
		if (o + 8 > cap)
			out = norm_room(s, o, len - (size_t)i, &cap);
		if (o > 0)
			out[o++] = ' ';
		start = o;
		if (c >= 0) {
			k = (int32_t)o;
			U8_APPEND_UNSAFE(out, k, c);
			o = (size_t)k;
		}
		/* The word: ASCII runs in a tight loop. */
		for (;;) {
			while (i < n && ascii_word[t[i]] != 0)
				out[o++] = (char)ascii_word[t[i++]];
			if (i >= n || t[i] < 0x80)
				break;
			if (!next_word_cp(t, &i, n, &c, 0))
				break;
			if (o + 8 > cap)
				out = norm_room(s, o, len - (size_t)i, &cap);
			k = (int32_t)o;
			U8_APPEND_UNSAFE(out, k, c);
			o = (size_t)k;
		}
		if (!p->chars) {
			/*
			 * Locals, not s->: stores through out may alias the
			 * scratch, which would make every field a reload.
			 */
			if (ntok == captok) {
				captok = captok ? 2 * captok : 1024;
				tok = df_xrealloc(tok, captok * sizeof(*tok));
			}
			tok[ntok++] = tok_hash(out + start, o - start, p);
		}
	}
	s->tok = tok;
	s->ntok = ntok;
	s->captok = captok;
	s->norm.len = o;
	out[o] = '\0';
	if (p->chars) {
		/* Code points of the normalised text are the "tokens". */
		const uint8_t *q = (const uint8_t *)s->norm.data;

		n = (int32_t)s->norm.len;
		for (i = 0; i < n;) {
			U8_NEXT(q, i, n, c);
			tok_push(s, mix64((uint64_t)c ^ p->seed));
		}
	}
}

/*
 * Two independent multiply-rotate lanes over 8-byte words, finished with
 * mix64: 128 bits, for telling texts apart, not for resisting attackers.
 */
void
mh_exact(const struct mh_scratch *s, uint64_t out[2])
{
	const unsigned char *d = (const unsigned char *)(s->norm.data ?
	    s->norm.data : "");
	size_t n = s->norm.len, i;
	uint64_t a = 0x6578616374ULL, b = 0x9ae16a3b2f90404fULL, w;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, d + i, 8);
		a = rotl64((a ^ w) * 0x9e3779b97f4a7c15ULL, 31);
		b = rotl64((b ^ w) * 0xc2b2ae3d27d4eb4fULL, 29);
	}
	w = 0;
	memcpy(&w, d + i, n - i);
	a = rotl64((a ^ w) * 0x9e3779b97f4a7c15ULL, 31);
	b = rotl64((b ^ w) * 0xc2b2ae3d27d4eb4fULL, 29);
	out[0] = mix64(a ^ n);
	out[1] = mix64(b ^ (n * 0x9e3779b97f4a7c15ULL) ^ a);
}

/* The first MH_PROBES bins of each bin's probe sequence, for this seed. */
static void
probe_table(struct mh_scratch *s, const struct mh_params *p)
{
	uint64_t a;
	int b;

	if (s->probe_ready && s->probe_seed == p->seed)
		return;
	for (b = 0; b < MH_BINS; b++)
		for (a = 1; a <= MH_PROBES; a++)
			s->probe[b][a - 1] = (uint8_t)(mix64(((uint64_t)b << 32 |
			    a) ^ p->seed) >> 56);
	s->probe_seed = p->seed;
	s->probe_ready = 1;
}

#define SH_P	0x9e3779b97f4a7c15ULL	/* odd: a unit mod 2^64 */

size_t
mh_signature(struct mh_scratch *s, const struct mh_params *p,
    uint32_t sig[MH_BINS])
{
	uint32_t orig[MH_BINS];
	uint8_t full[MH_BINS];
	size_t i, j, n, nsh, w = (size_t)p->ngram;
	uint64_t x, h, pw;
	uint32_t v;
	int b, a;

	for (b = 0; b < MH_BINS; b++) {
		orig[b] = UINT32_MAX;
		full[b] = 0;
	}
	n = s->ntok;
	if (n == 0) {
		for (b = 0; b < MH_BINS; b++)
			sig[b] = UINT32_MAX;
		return 0;
	}
	nsh = n >= w ? n - w + 1 : 1;
	if (n < w)
		w = n;
	/*
	 * A shingle's hash is the polynomial sum of its w token hashes in
	 * base P (mod 2^64), rolled along the text with two multiplies, then
	 * mixed by one multiply and two xor-shifts.
	 */
	pw = 1;
	for (j = 1; j < w; j++)
		pw *= SH_P;
	x = 0;
	for (j = 0; j < w; j++)
		x = x * SH_P + s->tok[j];
	for (i = 0; i < nsh; i++) {
		if (i > 0)
			x = (x - s->tok[i - 1] * pw) * SH_P + s->tok[i + w - 1];
		h = (x ^ (x >> 31) ^ p->seed) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
		b = (int)(h >> 56);
		v = (uint32_t)h;
		/* No branch to mispredict as bins fill: store and min. */
		full[b] = 1;
		orig[b] = v < orig[b] ? v : orig[b];
	}
	/*
	 * Densify: an empty bin takes the value of the first non-empty bin
	 * its own fixed probe sequence reaches, so texts that both left a bin
	 * empty borrow from the same place.
	 */
	probe_table(s, p);
	for (b = 0; b < MH_BINS; b++) {
		if (full[b]) {
			sig[b] = orig[b];
			continue;
		}
		for (a = 1;; a++) {
			j = a <= MH_PROBES ? s->probe[b][a - 1] :
			    (size_t)(mix64(((uint64_t)b << 32 | (uint64_t)a) ^
			    p->seed) >> 56);
			if (full[j]) {
				sig[b] = orig[j];
				break;
			}
			if (a > 4 * MH_BINS) {
				/* Cannot happen with nfull > 0; be safe. */
				for (j = 0; !full[j]; j++)
					;
				sig[b] = orig[j];
				break;
			}
		}
	}
	return nsh;
}

uint32_t
mh_band_key(const uint32_t *sig, int band, int rows)
{
	uint64_t x = 0x62616e64ULL + (uint64_t)band;
	int i;

	for (i = 0; i < rows; i++)
		x = mix64(x ^ sig[band * rows + i]);
	return (uint32_t)(x >> 32);
}

double
mh_similarity16(const uint16_t *a, const uint16_t *b)
{
	int i, eq = 0;

	for (i = 0; i < MH_BINS; i++)
		eq += a[i] == b[i];
	return (double)eq / MH_BINS;
}

void
mh_choose_bands(double t, int maxbands, int *bands, int *rows)
{
	double m = t - 0.1, p, need;
	int r, b, i;

	if (m < 0.05)
		m = 0.05;
	for (r = MH_BINS; r >= 1; r--) {
		/* The fewest bands that bring the midpoint down to m. */
		p = 1;
		for (i = 0; i < r; i++)
			p *= m;
		need = 1.0 / p;
		if (need > (double)maxbands + 1e-9)
			continue;
		b = (int)need;
		if ((double)b < need - 1e-9)
			b++;
		if (b < 1)
			b = 1;
		if (b <= maxbands && b * r <= MH_BINS) {
			*bands = b;
			*rows = r;
			return;
		}
	}
	*bands = maxbands;
	*rows = 1;
}

void
mh_scratch_release(struct mh_scratch *s)
{
	buf_release(&s->norm);
	free(s->tok);
	memset(s, 0, sizeof(*s));
}
