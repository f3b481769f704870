/*
 * Unit tests for lib/minhash.c: the normalisation df-dedup documents
 * (case folding, what makes a token, invalid UTF-8), the exact key,
 * shingling, the MinHash signature against exact Jaccard similarity of
 * synthetic texts, band keys and the choice of bands and rows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "minhash.h"
#include "suites.h"

static const struct mh_params words5 = { 5, 0, 0 };

/* Normalise text with p; the scratch is released by the caller. */
static void
norm(struct mh_scratch *s, const struct mh_params *p, const char *text)
{
	mh_tokens(s, p, text, strlen(text));
}

/* Check that text normalises to want, in want_tokens tokens. */
static void
check_norm(const char *text, const char *want, size_t want_tokens)
{
	struct mh_scratch s;

	memset(&s, 0, sizeof(s));
	norm(&s, &words5, text);
	ck_assert_msg(s.norm.len == strlen(want) &&
	    memcmp(s.norm.data, want, s.norm.len) == 0,
	    "'%s' normalised to '%.*s', not '%s'", text, (int)s.norm.len,
	    s.norm.data, want);
	ck_assert_int_eq(s.norm.data[s.norm.len], '\0');
	ck_assert_msg(s.ntok == want_tokens, "'%s': %zu tokens, not %zu",
	    text, s.ntok, want_tokens);
	mh_scratch_release(&s);
}

START_TEST(test_norm_ascii)
{
	check_norm("Hello,   World!", "hello world", 2);
	check_norm("hello world", "hello world", 2);
	check_norm("  \t\nHELLO\r\n\tworld  ", "hello world", 2);
	check_norm("a-b_c.d", "a b c d", 4);
	check_norm("don't stop", "don t stop", 3);
	check_norm("MiXeD CaSe", "mixed case", 2);
	check_norm("", "", 0);
	check_norm(" ,.;!?()[]{}<>\"'\t\n", "", 0);
	check_norm("x", "x", 1);
}
END_TEST

START_TEST(test_norm_digits)
{
	/* Digits are word characters; what is between them separates. */
	check_norm("abc123 4,5 6.7", "abc123 4 5 6 7", 5);
	check_norm("2024-01-15", "2024 01 15", 3);
	check_norm("R2D2", "r2d2", 1);
	/* Other scripts' digits (Nd) and other numbers (No) too. */
	check_norm("\xd9\xa3\xd9\xa4 x", "\xd9\xa3\xd9\xa4 x", 2);
	check_norm("x\xc2\xb2", "x\xc2\xb2", 1);	/* x² */
}
END_TEST

START_TEST(test_norm_case_non_ascii)
{
	/* É -> é, Ü -> ü, Ø -> ø. */
	check_norm("\xc3\x89" "COLE \xc3\x9c" "BER \xc3\x98L",
	    "\xc3\xa9" "cole \xc3\xbc" "ber \xc3\xb8l", 3);
	/* ΣΟΦΙΑ -> σοφια (simple mapping: Σ is always σ). */
	check_norm("\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91",
	    "\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1", 1);
	/* ПРИВЕТ Мир -> привет мир. */
	check_norm("\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2 "
	    "\xd0\x9c\xd0\xb8\xd1\x80",
	    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 "
	    "\xd0\xbc\xd0\xb8\xd1\x80", 2);
	/* Already lowercase text is unchanged. */
	check_norm("\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9", 1);
	/* Fullwidth Ａ (U+FF21) -> ａ (U+FF41). */
	check_norm("\xef\xbc\xa1", "\xef\xbd\x81", 1);
}
END_TEST

START_TEST(test_norm_case_grows)
{
	/*
	 * Ⱥ (U+023A, 2 bytes) lowercases to ⱥ (U+2C65, 3 bytes): the
	 * normalised text is longer than the input.  Long runs, in one
	 * token and in many, with ASCII between.
	 */
	struct mh_scratch s;
	struct buf in = BUF_INIT, want = BUF_INIT;
	int i, round;

	memset(&s, 0, sizeof(s));
	for (round = 0; round < 3; round++) {
		buf_reset(&in);
		buf_reset(&want);
		for (i = 0; i < 5000; i++) {
			buf_adds(&in, "\xc8\xba");
			buf_adds(&want, "\xe2\xb1\xa5");
			if (round == 1 && i % 7 == 6) {
				buf_adds(&in, "A ");
				buf_adds(&want, "a ");
			}
			if (round == 2 && i % 3 == 2) {
				buf_adds(&in, "!");
				if (i != 4999)
					buf_adds(&want, " ");
			}
		}
		mh_tokens(&s, &words5, in.data, in.len);
		ck_assert_uint_eq(s.norm.len, want.len);
		ck_assert_mem_eq(s.norm.data, want.data, want.len);
		ck_assert_int_eq(s.norm.data[s.norm.len], '\0');
		ck_assert_uint_eq(s.ntok, round == 0 ? 1 :
		    round == 1 ? 5000 / 7 + 1 : 5000 / 3 + 1);
	}
	buf_release(&in);
	buf_release(&want);
	mh_scratch_release(&s);
}
END_TEST

START_TEST(test_norm_marks)
{
	/* മലയാളം: the vowel signs and virama are marks, inside the word. */
	check_norm("\xe0\xb4\xae\xe0\xb4\xb2\xe0\xb4\xaf\xe0\xb4\xbe"
	    "\xe0\xb4\xb3\xe0\xb4\x82",
	    "\xe0\xb4\xae\xe0\xb4\xb2\xe0\xb4\xaf\xe0\xb4\xbe"
	    "\xe0\xb4\xb3\xe0\xb4\x82", 1);
	/* हिन्दी */
	check_norm("\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d"
	    "\xe0\xa4\xa6\xe0\xa5\x80",
	    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d"
	    "\xe0\xa4\xa6\xe0\xa5\x80", 1);
	/* हिन्दी भाषा, with the danda: two words; । separates. */
	check_norm("\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d"
	    "\xe0\xa4\xa6\xe0\xa5\x80 \xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\xb7"
	    "\xe0\xa4\xbe\xe0\xa5\xa4",
	    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d"
	    "\xe0\xa4\xa6\xe0\xa5\x80 \xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\xb7"
	    "\xe0\xa4\xbe", 2);
	/* A combining accent stays with its letter: e + U+0301. */
	check_norm("Cafe\xcc\x81 noir", "cafe\xcc\x81 noir", 2);
}
END_TEST

START_TEST(test_norm_invalid_utf8)
{
	/* Invalid bytes read as U+FFFD, which is not a word character. */
	check_norm("abc\xff" "def", "abc def", 2);
	check_norm("abc\xc3", "abc", 1);			/* truncated */
	check_norm("\xc3" "abc", "abc", 1);
	check_norm("\xe0\xb4" "x", "x", 1);
	check_norm("a\xc0\xaf" "b", "a b", 2);		/* overlong '/' */
	check_norm("a\xed\xa0\x80" "b", "a b", 2);	/* surrogate */
	check_norm("\x80\x80\x80", "", 0);
	/* A real U+FFFD separates as well. */
	check_norm("a\xef\xbf\xbd" "b", "a b", 2);
}
END_TEST

START_TEST(test_norm_nul)
{
	struct mh_scratch s;

	/* A NUL byte (\u0000 in JSON) separates; the length is what counts. */
	memset(&s, 0, sizeof(s));
	mh_tokens(&s, &words5, "ab\0cd", 5);
	ck_assert_str_eq(s.norm.data, "ab cd");
	ck_assert_uint_eq(s.ntok, 2);
	mh_scratch_release(&s);
}
END_TEST

START_TEST(test_norm_reuse)
{
	struct mh_scratch s;

	/* The scratch is reused: nothing of the last text is left. */
	memset(&s, 0, sizeof(s));
	norm(&s, &words5, "a long text with a great many words in it, "
	    "more than the next one");
	ck_assert_uint_eq(s.ntok, 15);
	norm(&s, &words5, "Short");
	ck_assert_str_eq(s.norm.data, "short");
	ck_assert_uint_eq(s.norm.len, 5);
	ck_assert_uint_eq(s.ntok, 1);
	norm(&s, &words5, "");
	ck_assert_uint_eq(s.norm.len, 0);
	ck_assert_uint_eq(s.ntok, 0);
	mh_scratch_release(&s);
	ck_assert_ptr_null(s.tok);
	ck_assert_ptr_null(s.norm.data);
}
END_TEST

/* The exact key of text. */
static void
exact(const char *text, uint64_t out[2])
{
	struct mh_scratch s;

	memset(&s, 0, sizeof(s));
	norm(&s, &words5, text);
	mh_exact(&s, out);
	mh_scratch_release(&s);
}

static int
exact_eq(const char *a, const char *b)
{
	uint64_t x[2], y[2];

	exact(a, x);
	exact(b, y);
	return x[0] == y[0] && x[1] == y[1];
}

START_TEST(test_exact)
{
	static const char *const differ[] = {
		"hello world", "hello worlds", "helloworld", "world hello",
		"hello world world", "hello", "", "hello wor", "hello w0rld",
		"hello world 1", "hello world 2",
		/* Longer than one 8-byte word, differing in the tail. */
		"the quick brown fox jumps over the lazy dog a",
		"the quick brown fox jumps over the lazy dog b",
		"the quick brown fox jumps over the lazy cat a",
	};
	size_t i, j, n = sizeof(differ) / sizeof(differ[0]);
	uint64_t k[2];

	ck_assert(exact_eq("Hello,   World!", "hello world"));
	ck_assert(exact_eq("HELLO\tWORLD.", "  hello -- world  "));
	ck_assert(exact_eq("\xc3\x89t\xc3\xa9", "\xc3\xa9T\xc3\x89"));
	ck_assert(exact_eq("", " ,.!? "));
	ck_assert(exact_eq("abc\xff" "def", "abc def"));
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			ck_assert_msg(exact_eq(differ[i], differ[j]) ==
			    (i == j), "'%s' vs '%s'", differ[i], differ[j]);

	/* The same key whatever the seed and the shingle kind. */
	{
		struct mh_scratch s;
		struct mh_params p = { 3, 1, 12345 };

		memset(&s, 0, sizeof(s));
		norm(&s, &p, "Hello, World!");
		mh_exact(&s, k);
		mh_scratch_release(&s);
	}
	{
		uint64_t w[2];

		exact("hello world", w);
		ck_assert(w[0] == k[0] && w[1] == k[1]);
	}
}
END_TEST

/* A zeroed scratch for the whole test. */
static struct mh_scratch S;

static void
scratch_setup(void)
{
	memset(&S, 0, sizeof(S));
}

static void
scratch_teardown(void)
{
	mh_scratch_release(&S);
}

static size_t
sign(const struct mh_params *p, const char *text, uint32_t sig[MH_BINS])
{
	norm(&S, p, text);
	return mh_signature(&S, p, sig);
}

START_TEST(test_shingles_count)
{
	uint32_t sig[MH_BINS];
	struct mh_params p = words5;

	ck_assert_uint_eq(sign(&p, "one", sig), 1);
	ck_assert_uint_eq(sign(&p, "one two three four", sig), 1);
	ck_assert_uint_eq(sign(&p, "one two three four five", sig), 1);
	ck_assert_uint_eq(sign(&p, "one two three four five six", sig), 2);
	ck_assert_uint_eq(sign(&p, "a b c d e f g h i j", sig), 6);
	p.ngram = 1;
	ck_assert_uint_eq(sign(&p, "a b c d e f g h i j", sig), 10);
	p.ngram = 64;
	ck_assert_uint_eq(sign(&p, "a b c d e f g h i j", sig), 1);
}
END_TEST

START_TEST(test_shingles_short)
{
	uint32_t a[MH_BINS], b[MH_BINS];
	int i;

	/* One shingle: every bin, densified, holds its one value. */
	ck_assert_uint_eq(sign(&words5, "just three words", a), 1);
	for (i = 1; i < MH_BINS; i++)
		ck_assert_uint_eq(a[i], a[0]);
	ck_assert_uint_ne(a[0], UINT32_MAX);
	/* The same short text with other spelling: the same signature. */
	ck_assert_uint_eq(sign(&words5, "JUST three, words!", b), 1);
	ck_assert_mem_eq(a, b, sizeof(a));
	/* Another short text: another value. */
	ck_assert_uint_eq(sign(&words5, "just three word", b), 1);
	ck_assert_uint_ne(a[0], b[0]);
	/* Order counts within a shingle. */
	ck_assert_uint_eq(sign(&words5, "three just words", b), 1);
	ck_assert_uint_ne(a[0], b[0]);
}
END_TEST

START_TEST(test_shingles_empty)
{
	uint32_t sig[MH_BINS];
	struct mh_params c3 = { 3, 1, 7 };
	int i, k;
	static const char *const empty[] = {
		"", "   ", ".,;!? --", "\xff\xfe"
	};

	for (k = 0; k < 4; k++) {
		memset(sig, 0, sizeof(sig));
		ck_assert_uint_eq(sign(&words5, empty[k], sig), 0);
		for (i = 0; i < MH_BINS; i++)
			ck_assert_uint_eq(sig[i], UINT32_MAX);
		memset(sig, 0, sizeof(sig));
		ck_assert_uint_eq(sign(&c3, empty[k], sig), 0);
		for (i = 0; i < MH_BINS; i++)
			ck_assert_uint_eq(sig[i], UINT32_MAX);
	}
	/* After an empty text, a real one again. */
	ck_assert_uint_eq(sign(&words5, "a b c d e f", sig), 2);
	ck_assert_uint_ne(sig[0], UINT32_MAX);
}
END_TEST

START_TEST(test_shingles_chars)
{
	struct mh_params c3 = { 3, 1, 0 }, w1 = { 1, 0, 0 };
	uint32_t a[MH_BINS], b[MH_BINS];

	/* Code points of the normalised text, spaces included. */
	ck_assert_uint_eq(sign(&c3, "abcdef", a), 4);
	ck_assert_uint_eq(S.ntok, 6);
	ck_assert_uint_eq(sign(&c3, "Ab, cd", a), 3);	/* "ab cd" */
	ck_assert_uint_eq(S.ntok, 5);
	ck_assert_str_eq(S.norm.data, "ab cd");
	ck_assert_uint_eq(sign(&c3, "ab", a), 1);
	/* 日本語のテキスト: 8 code points, 6 trigrams. */
	ck_assert_uint_eq(sign(&c3, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
	    "\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88",
	    a), 6);
	ck_assert_uint_eq(S.ntok, 8);
	/* One token in words mode. */
	ck_assert_uint_eq(sign(&w1, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
	    "\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88",
	    b), 1);
	ck_assert_uint_eq(S.ntok, 1);
	/* Chars mode folds case and separators as words mode does. */
	sign(&c3, "Hello,   World!", a);
	sign(&c3, "hello world", b);
	ck_assert_mem_eq(a, b, sizeof(a));
	/* chars and words signatures of one text differ. */
	sign(&words5, "hello world", b);
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
}
END_TEST

/* The number of bins on which a and b agree. */
static int
agree(const uint32_t *a, const uint32_t *b)
{
	int i, n = 0;

	for (i = 0; i < MH_BINS; i++)
		n += a[i] == b[i];
	return n;
}

START_TEST(test_signature_deterministic)
{
	static const char text[] = "It was the best of times, it was the "
	    "worst of times, it was the age of wisdom, it was the age of "
	    "foolishness, it was the epoch of belief, it was the epoch of "
	    "incredulity, it was the season of Light, it was the season of "
	    "Darkness";
	struct mh_params p = words5;
	struct mh_scratch other;
	uint32_t a[MH_BINS], b[MH_BINS];

	sign(&p, text, a);
	/* Again, after another text, and in a fresh scratch. */
	sign(&p, "something else entirely, a b c d e f g", b);
	sign(&p, text, b);
	ck_assert_mem_eq(a, b, sizeof(a));
	memset(&other, 0, sizeof(other));
	norm(&other, &p, text);
	mh_signature(&other, &p, b);
	mh_scratch_release(&other);
	ck_assert_mem_eq(a, b, sizeof(a));

	/* Another seed: another signature (few bins agree by chance). */
	p.seed = 1;
	sign(&p, text, b);
	ck_assert_int_lt(agree(a, b), 16);
	p.seed = 0x1234567890ULL;
	sign(&p, text, b);
	ck_assert_int_lt(agree(a, b), 16);
	/* And back: the probe table follows the seed. */
	p.seed = 0;
	sign(&p, text, b);
	ck_assert_mem_eq(a, b, sizeof(a));

	/* Another n-gram size: another signature. */
	p.ngram = 3;
	sign(&p, text, b);
	ck_assert_int_lt(agree(a, b), 64);
}
END_TEST

/*
 * Jaccard estimates against exact values.  Texts are sequences of
 * distinct words "w<id>", so every 5-gram of a text is distinct and two
 * 5-grams are equal exactly when their word ids are.
 */
#define JT_WORDS 200
#define JT_PAIRS 60

static uint64_t jt_rng;

static uint32_t
jt_rand(void)
{
	/* xorshift64*, for reproducible variety. */
	jt_rng ^= jt_rng >> 12;
	jt_rng ^= jt_rng << 25;
	jt_rng ^= jt_rng >> 27;
	return (uint32_t)((jt_rng * 0x2545f4914f6cdd1dULL) >> 32);
}

/* Exact Jaccard similarity of the n-gram sets of a[0..na) and b[0..nb). */
static double
jt_exact(const int *a, int na, const int *b, int nb, int n)
{
	int i, j, sa = na - n + 1, sb = nb - n + 1, both = 0;

	for (i = 0; i < sa; i++)
		for (j = 0; j < sb; j++)
			if (memcmp(a + i, b + j, (size_t)n * sizeof(*a)) == 0) {
				both++;
				break;
			}
	return (double)both / (double)(sa + sb - both);
}

/* Write the words of ids[0..n) as text, with noise that normalises away. */
static void
jt_text(struct buf *t, const int *ids, int n, int noisy)
{
	int i;

	buf_reset(t);
	for (i = 0; i < n; i++) {
		if (noisy && jt_rand() % 5 == 0)
			buf_addf(t, "W%d, ", ids[i]);
		else
			buf_addf(t, "w%d ", ids[i]);
	}
}

START_TEST(test_signature_jaccard)
{
	int a[JT_WORDS], b[2 * JT_WORDS], nb, i, k, m, fresh, pair;
	uint32_t sa[MH_BINS], sb[MH_BINS];
	uint16_t ha[MH_BINS], hb[MH_BINS];
	struct mh_params p = words5;
	struct buf ta = BUF_INIT, tb = BUF_INIT;
	double j, est, est16, err, sum = 0, sum16 = 0, worst = 0;
	int lo = 0, mid = 0, high = 0;

	jt_rng = 0x9e3779b97f4a7c15ULL;
	for (pair = 0; pair < JT_PAIRS; pair++) {
		/* Words of this pair alone, and a seed of its own. */
		p.seed = (uint64_t)pair * 1000003u;
		fresh = pair * 1000;
		for (i = 0; i < JT_WORDS; i++)
			a[i] = fresh++;
		memcpy(b, a, sizeof(a));
		nb = JT_WORDS;
		switch (pair % 4) {
		case 0:
		case 1:
			/* Replace m words (some twice: fewer changes). */
			m = pair;
			for (k = 0; k < m; k++)
				b[jt_rand() % JT_WORDS] = fresh++;
			break;
		case 2:
			/* Shift: drop k words at the start, add k new ones. */
			k = (pair * 13) % JT_WORDS;
			memmove(b, b + k, (size_t)(JT_WORDS - k) * sizeof(*b));
			for (i = JT_WORDS - k; i < JT_WORDS; i++)
				b[i] = fresh++;
			break;
		default:
			/* Insert a block of m new words (boilerplate). */
			m = 5 + pair * 3;
			k = (int)(jt_rand() % JT_WORDS);
			memmove(b + k + m, b + k,
			    (size_t)(JT_WORDS - k) * sizeof(*b));
			for (i = 0; i < m; i++)
				b[k + i] = fresh++;
			nb = JT_WORDS + m;
			break;
		}
		j = jt_exact(a, JT_WORDS, b, nb, 5);
		jt_text(&ta, a, JT_WORDS, 0);
		jt_text(&tb, b, nb, 1);
		ck_assert_uint_eq(sign(&p, ta.data, sa), JT_WORDS - 4);
		ck_assert_uint_eq(sign(&p, tb.data, sb), (size_t)nb - 4);
		est = agree(sa, sb) / (double)MH_BINS;
		for (i = 0; i < MH_BINS; i++) {
			ha[i] = (uint16_t)(sa[i] >> 16);
			hb[i] = (uint16_t)(sb[i] >> 16);
		}
		est16 = mh_similarity16(ha, hb);
		err = fabs(est - j);
		ck_assert_msg(err <= 0.1, "pair %d: J = %.4f, estimate %.4f",
		    pair, j, est);
		ck_assert_msg(fabs(est16 - j) <= 0.1, "pair %d: J = %.4f, "
		    "16-bit estimate %.4f", pair, j, est16);
		/* 16 bits of each bin only add chance agreements. */
		ck_assert(est16 >= est);
		sum += err;
		sum16 += fabs(est16 - j);
		if (err > worst)
			worst = err;
		lo += j < 0.3;
		mid += j >= 0.3 && j < 0.7;
		high += j >= 0.7;
	}
	/* The pairs cover the range. */
	ck_assert_int_ge(lo, 10);
	ck_assert_int_ge(mid, 10);
	ck_assert_int_ge(high, 10);
	ck_assert_msg(sum / JT_PAIRS <= 0.035, "mean absolute error %.4f "
	    "(worst %.4f)", sum / JT_PAIRS, worst);
	ck_assert_msg(sum16 / JT_PAIRS <= 0.035, "16-bit mean absolute "
	    "error %.4f", sum16 / JT_PAIRS);
	buf_release(&ta);
	buf_release(&tb);
}
END_TEST

START_TEST(test_signature_extremes)
{
	uint32_t a[MH_BINS], b[MH_BINS];
	struct buf t = BUF_INIT;
	int i;

	/* Identical shingle sets agree everywhere, disjoint ones nowhere. */
	for (i = 0; i < 300; i++)
		buf_addf(&t, "x%d ", i);
	sign(&words5, t.data, a);
	buf_reset(&t);
	for (i = 0; i < 300; i++)
		buf_addf(&t, "X%d... ", i);
	sign(&words5, t.data, b);
	ck_assert_int_eq(agree(a, b), MH_BINS);
	buf_reset(&t);
	for (i = 0; i < 300; i++)
		buf_addf(&t, "y%d ", i);
	sign(&words5, t.data, b);
	ck_assert_int_le(agree(a, b), 3);
	/* A repeated sentence: the set counts once. */
	buf_reset(&t);
	for (i = 0; i < 300; i++)
		buf_addf(&t, "x%d ", i);
	for (i = 0; i < 300; i++)
		buf_addf(&t, "x%d ", i);
	sign(&words5, t.data, b);
	/* Only the 4 shingles across the seam are new: J = 296 / 300. */
	ck_assert_int_ge(agree(a, b), 240);
	/* A few shingles fill few bins; densified, still a signature. */
	sign(&words5, "a b c d e f g", a);
	sign(&words5, "a b c d e f g", b);
	ck_assert_mem_eq(a, b, sizeof(a));
	for (i = 0; i < MH_BINS; i++)
		ck_assert_uint_ne(a[i], UINT32_MAX);
	buf_release(&t);
}
END_TEST

START_TEST(test_band_key)
{
	uint32_t sig[MH_BINS], other[MH_BINS];
	int i, b, r, bands = 18, rows = 8;

	for (i = 0; i < MH_BINS; i++)
		sig[i] = (uint32_t)i * 2654435761u;
	memcpy(other, sig, sizeof(sig));
	for (b = 0; b < bands; b++)
		ck_assert_uint_eq(mh_band_key(sig, b, rows),
		    mh_band_key(other, b, rows));
	/* One bin differs: its band's key changes, no other band's. */
	for (i = 0; i < bands * rows; i++) {
		other[i] ^= 1;
		for (b = 0; b < bands; b++)
			if (b == i / rows)
				ck_assert_uint_ne(mh_band_key(sig, b, rows),
				    mh_band_key(other, b, rows));
			else
				ck_assert_uint_eq(mh_band_key(sig, b, rows),
				    mh_band_key(other, b, rows));
		other[i] = sig[i];
	}
	/* Bins beyond the bands do not count. */
	for (i = bands * rows; i < MH_BINS; i++)
		other[i] = 0;
	for (b = 0; b < bands; b++)
		ck_assert_uint_eq(mh_band_key(sig, b, rows),
		    mh_band_key(other, b, rows));
	/* Equal bins in different bands give different keys. */
	for (i = 0; i < MH_BINS; i++)
		other[i] = 42;
	ck_assert_uint_ne(mh_band_key(other, 0, rows),
	    mh_band_key(other, 1, rows));
	/* Other shapes: every row counts, including the last. */
	for (r = 1; r <= 32; r *= 2) {
		memcpy(other, sig, sizeof(sig));
		other[2 * r - 1] += 1;
		ck_assert_uint_eq(mh_band_key(sig, 0, r),
		    mh_band_key(other, 0, r));
		ck_assert_uint_ne(mh_band_key(sig, 1, r),
		    mh_band_key(other, 1, r));
	}
}
END_TEST

START_TEST(test_similarity16)
{
	uint16_t a[MH_BINS], b[MH_BINS];
	int i;

	for (i = 0; i < MH_BINS; i++)
		a[i] = b[i] = (uint16_t)(i * 7919);
	ck_assert_double_eq(mh_similarity16(a, b), 1.0);
	b[0] ^= 1;
	ck_assert_double_eq(mh_similarity16(a, b), 255.0 / 256);
	b[MH_BINS - 1] ^= 0x8000;
	ck_assert_double_eq(mh_similarity16(a, b), 254.0 / 256);
	for (i = 0; i < MH_BINS; i++)
		b[i] = (uint16_t)~a[i];
	ck_assert_double_eq(mh_similarity16(a, b), 0.0);
}
END_TEST

START_TEST(test_choose_bands)
{
	int b, r, k, i;
	double t, mid, p;

	mh_choose_bands(0.8, 20, &b, &r);
	ck_assert_int_eq(b, 18);
	ck_assert_int_eq(r, 8);
	for (k = 30; k <= 95; k += 5) {
		t = k / 100.0;
		mh_choose_bands(t, 20, &b, &r);
		ck_assert_msg(b >= 1 && b <= 20 && r >= 1 && b * r <= MH_BINS,
		    "t %.2f: %d bands x %d rows", t, b, r);
		mid = pow(1.0 / b, 1.0 / r);
		ck_assert_msg(mid <= t - 0.1 + 1e-9, "t %.2f: %d x %d puts "
		    "the midpoint at %.4f", t, b, r, mid);
		/* The most rows: one more needs more than 20 bands. */
		p = 1;
		for (i = 0; i < r + 1; i++)
			p *= t - 0.1;
		ck_assert_msg(1.0 / p > 20 - 1e-9 ||
		    (int)ceil(1.0 / p - 1e-9) * (r + 1) > MH_BINS,
		    "t %.2f: %d x %d, and %d rows would do", t, b, r, r + 1);
	}
	/* More bands allowed: more rows, never more than the bins. */
	mh_choose_bands(0.8, 32, &b, &r);
	ck_assert_int_le(b, 32);
	ck_assert_int_ge(r, 8);
	ck_assert_int_le(b * r, MH_BINS);
	mh_choose_bands(1.0, 20, &b, &r);
	ck_assert_int_le(b * r, MH_BINS);
	ck_assert_int_le(b, 20);
	mh_choose_bands(0.01, 20, &b, &r);
	ck_assert_int_ge(b, 1);
	ck_assert_int_ge(r, 1);
	ck_assert_int_le(b, 20);
}
END_TEST

Suite *
minhash_suite(void)
{
	Suite *s = suite_create("minhash");
	TCase *tc;

	tc = tcase_create("normalise");
	tcase_add_test(tc, test_norm_ascii);
	tcase_add_test(tc, test_norm_digits);
	tcase_add_test(tc, test_norm_case_non_ascii);
	tcase_add_test(tc, test_norm_case_grows);
	tcase_add_test(tc, test_norm_marks);
	tcase_add_test(tc, test_norm_invalid_utf8);
	tcase_add_test(tc, test_norm_nul);
	tcase_add_test(tc, test_norm_reuse);
	tcase_add_test(tc, test_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("signature");
	tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
	tcase_add_test(tc, test_shingles_count);
	tcase_add_test(tc, test_shingles_short);
	tcase_add_test(tc, test_shingles_empty);
	tcase_add_test(tc, test_shingles_chars);
	tcase_add_test(tc, test_signature_deterministic);
	tcase_add_test(tc, test_signature_jaccard);
	tcase_add_test(tc, test_signature_extremes);
	suite_add_tcase(s, tc);

	tc = tcase_create("bands");
	tcase_add_test(tc, test_band_key);
	tcase_add_test(tc, test_similarity16);
	tcase_add_test(tc, test_choose_bands);
	suite_add_tcase(s, tc);
	return s;
}
