/*
 * Unit tests for lib/tok.c: the split patterns of cl100k_base and
 * o200k_base on their edge cases (as tiktoken splits them), the Unicode
 * 16.0 overrides, ill-formed UTF-8, byte-pair merging against tiktoken's
 * ids on a subset of the shared dev corpus (tests/unit/data/tok-dev.jsonl:
 * 86 records of every kind, with the reference's counts and ids), long
 * pieces, the chars and words units, and concurrent use from threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "suites.h"
#include "tok.h"

static struct tok *cl, *o2;

static void
setup(void)
{
	struct df_err err;

	setenv("DF_DATADIR", "data", 0);
	cl = tok_open("cl100k_base", &err);
	ck_assert_msg(cl != NULL, "%s", err.msg);
	o2 = tok_open("o200k_base", &err);
	ck_assert_msg(o2 != NULL, "%s", err.msg);
}

static void
teardown(void)
{
	tok_free(cl);
	tok_free(o2);
}

/* The pieces of text joined with '|'. */
static char *
split(const struct tok *t, const char *text)
{
	struct tok_piece *p = NULL;
	size_t n = 0, cap = 0, i, at = 0, o = 0, len = strlen(text);
	char *out = malloc(2 * len + 2);

	tok_pieces(t, text, len, &p, &n, &cap);
	for (i = 0; i < n; i++) {
		if (i > 0)
			out[o++] = '|';
		memcpy(out + o, text + at, p[i].end - at);
		o += p[i].end - at;
		at = p[i].end;
	}
	out[o] = '\0';
	ck_assert_msg(at == len, "pieces of '%s' end at %zu", text, at);
	free(p);
	return out;
}

#define SPLITS(t, text, want) do { \
	char *got_ = split((t), (text)); \
	ck_assert_msg(strcmp(got_, (want)) == 0, "%s: '%s' splits as '%s', " \
	    "not '%s'", tok_name(t), (text), got_, (want)); \
	free(got_); \
} while (0)

START_TEST(test_cl100k_pieces)
{
	SPLITS(cl, "Hello world", "Hello| world");
	/* Contractions: a piece of their own, any case, long s. */
	SPLITS(cl, "don't", "don|'t");
	SPLITS(cl, "x'sup", "x|'s|up");
	SPLITS(cl, " 'sup", " '|sup");
	SPLITS(cl, "WE'LL'Re'VE", "WE|'LL|'Re|'VE");
	SPLITS(cl, "x'\xc5\xbf", "x|'\xc5\xbf");		/* 'ſ */
	SPLITS(cl, "it\xe2\x80\x99s", "it|\xe2\x80\x99s");	/* ’ is not ' */
	/* \s+(?!\S): a run before a word gives up its last space. */
	SPLITS(cl, "x  y", "x| | y");
	SPLITS(cl, "x  ", "x|  ");
	SPLITS(cl, "x \n  y", "x| \n| | y");
	SPLITS(cl, "a\n\n\nb", "a|\n\n\n|b");
	SPLITS(cl, "a  1", "a| | |1");
	/* Numbers in threes, any \p{N}. */
	SPLITS(cl, "1234567", "123|456|7");
	SPLITS(cl, "\xc2\xbd\xc2\xb2x", "\xc2\xbd\xc2\xb2|x");	/* ½² */
	/* One prefix char before a word: tab, NBSP, U+3000, emoji, ( */
	SPLITS(cl, "\tfoo(bar", "\tfoo|(bar");
	SPLITS(cl, "\xe3\x80\x80" "foo", "\xe3\x80\x80" "foo");
	SPLITS(cl, "\xf0\x9f\x98\x80" "foo", "\xf0\x9f\x98\x80" "foo");
	SPLITS(cl, "a ((b", "a| ((|b");
	SPLITS(cl, "}\n/x", "}\n|/x");
	/* U+0085 is White_Space, U+FEFF and U+200B are not. */
	SPLITS(cl, "a\xc2\x85" "b", "a|\xc2\x85" "b");
	SPLITS(cl, "a \xef\xbb\xbf" "b", "a| \xef\xbb\xbf|b");
	SPLITS(cl, "a\xe2\x80\x8b\xe2\x80\x8b" "b",
	    "a|\xe2\x80\x8b\xe2\x80\x8b|b");
	/* Marks are punctuation: NFD e + U+0301. */
	SPLITS(cl, "e\xcc\x81 x", "e|\xcc\x81| x");
	SPLITS(cl, "a\r\nb", "a|\r\n|b");
}
END_TEST

START_TEST(test_o200k_pieces)
{
	SPLITS(o2, "HelloWorld", "Hello|World");
	SPLITS(o2, "HTTPServer", "HTTPServer");
	SPLITS(o2, "ABCdef", "ABCdef");
	SPLITS(o2, "abcDEF", "abc|DEF");
	SPLITS(o2, "\xc7\x85" "emal", "\xc7\x85" "emal");	/* ǅemal */
	SPLITS(o2, "\xe6\x97\xa5\xe6\x9c\xac" "A",
	    "\xe6\x97\xa5\xe6\x9c\xac|A");			/* 日本A */
	SPLITS(o2, "\xca\xb0" "A", "\xca\xb0|A");		/* ʰA */
	SPLITS(o2, "A\xca\xb0", "A\xca\xb0");
	SPLITS(o2, "AB\xcc\x81" "C", "AB\xcc\x81|C");
	SPLITS(o2, "\xcc\x81" "A", "\xcc\x81|A");
	SPLITS(o2, "don't", "don't");
	SPLITS(o2, " JOHN's", " JOHN's");
	SPLITS(o2, " JOHN'sON", " JOHN's|ON");
	SPLITS(o2, " 'sup", " '|sup");
	SPLITS(o2, "}\n/x", "}\n/|x");
	SPLITS(o2, "1234567", "123|456|7");
	SPLITS(o2, "x  y\n\n", "x| | y|\n\n");
}
END_TEST

START_TEST(test_unicode16)
{
	/* Todhri (U+105C0..) is Lo in Unicode 16.0, unassigned in ICU 72. */
	SPLITS(cl, "x\xf0\x90\x97\x80\xf0\x90\x97\x81",
	    "x\xf0\x90\x97\x80\xf0\x90\x97\x81");
	/* Garay digits U+10D40.. are \p{N}: four make 3 + 1. */
	SPLITS(cl, "\xf0\x90\xb5\x80\xf0\x90\xb5\x81\xf0\x90\xb5\x82"
	    "\xf0\x90\xb5\x83",
	    "\xf0\x90\xb5\x80\xf0\x90\xb5\x81\xf0\x90\xb5\x82|"
	    "\xf0\x90\xb5\x83");
}
END_TEST

/* The ids of text as a fresh array. */
static size_t
encode(const struct tok *t, const char *s, size_t len, uint32_t **ids)
{
	size_t n = 0, cap = 0;

	*ids = NULL;
	ck_assert_int_eq(tok_encode(t, s, len, ids, &n, &cap), 0);
	ck_assert_uint_eq(n, tok_count(t, s, len));
	return n;
}

START_TEST(test_ill_formed)
{
	static const struct {
		const char *bad, *good;
	} cases[] = {
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
		/* A surrogate: one U+FFFD per maximal ill-formed subpart. */
		{ "x\xed\xa0\x80y", "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy" },
		/* A truncated 3-byte sequence is one U+FFFD. */
		{ "x\xe2\x82 y", "x\xef\xbf\xbd y" },
		{ "\xc0\xaf!", "\xef\xbf\xbd\xef\xbf\xbd!" },
	};
	uint32_t *a, *b;
	size_t i, na, nb;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		na = encode(cl, cases[i].bad, strlen(cases[i].bad), &a);
		nb = encode(cl, cases[i].good, strlen(cases[i].good), &b);
		ck_assert_uint_eq(na, nb);
		ck_assert(memcmp(a, b, na * sizeof(*a)) == 0);
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(test_nul_and_roundtrip)
{
	static const char text[] = "a\0b <|endoftext|> \xef\xbf\xbf\xf4\x8f"
	    "\xbf\xbf \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 x";
	const struct tok *ts[2] = { cl, o2 };
	const uint8_t *b;
	uint32_t *ids;
	size_t n, i, k, at, bl;

	for (k = 0; k < 2; k++) {
		n = encode(ts[k], text, sizeof(text) - 1, &ids);
		/* The NUL is text, and the special token is ordinary text. */
		ck_assert_uint_gt(n, 8);
		for (i = 0, at = 0; i < n; i++) {
			b = tok_token_bytes(ts[k], ids[i], &bl);
			ck_assert_ptr_nonnull(b);
			ck_assert(at + bl <= sizeof(text) - 1);
			ck_assert(memcmp(text + at, b, bl) == 0);
			at += bl;
		}
		ck_assert_uint_eq(at, sizeof(text) - 1);
		free(ids);
	}
	ck_assert_uint_eq(tok_count(cl, "", 0), 0);
}
END_TEST

/* Every record of the dev subset: counts and ids as tiktoken's. */
static void
check_dev(const struct tok *t, const char *key, const char *idkey)
{
	FILE *f = fopen("tests/unit/data/tok-dev.jsonl", "r");
	char *line = NULL;
	size_t cap = 0, nrec = 0, n, i;
	ssize_t len;
	uint32_t *ids;

	ck_assert_ptr_nonnull(f);
	while ((len = getline(&line, &cap, f)) > 0) {
		jv r = jv_parse_sized(line, (int)len);
		jv text = jv_object_get(jv_copy(r), jv_string("text"));
		jv want = jv_object_get(jv_copy(r), jv_string(idkey));
		jv id = jv_object_get(jv_copy(r), jv_string("id"));
		size_t tl = (size_t)jv_string_length_bytes(jv_copy(text));

		ck_assert(jv_get_kind(want) == JV_KIND_ARRAY);
		n = encode(t, jv_string_value(text), tl, &ids);
		ck_assert_msg(n == (size_t)jv_number_value(jv_object_get(
		    jv_copy(r), jv_string(key))), "%s: %s: %zu tokens",
		    tok_name(t), jv_string_value(id), n);
		ck_assert_uint_eq(n, (size_t)jv_array_length(jv_copy(want)));
		for (i = 0; i < n; i++)
			ck_assert_msg(ids[i] == (uint32_t)jv_number_value(
			    jv_array_get(jv_copy(want), (int)i)),
			    "%s: %s: token %zu is %u", tok_name(t),
			    jv_string_value(id), i, ids[i]);
		free(ids);
		jv_free(id);
		jv_free(want);
		jv_free(text);
		jv_free(r);
		nrec++;
	}
	ck_assert_uint_eq(nrec, 86);
	free(line);
	fclose(f);
}

START_TEST(test_dev_cl100k)
{
	check_dev(cl, "cl100k", "cl100k_ids");
}
END_TEST

START_TEST(test_dev_o200k)
{
	check_dev(o2, "o200k", "o200k_ids");
}
END_TEST

START_TEST(test_long_pieces)
{
	/* 18,000 x U+3001: one piece; tiktoken's naive loop needs seconds. */
	size_t n = 18000 * 3, i, k, at, bl;
	char *s = malloc(n);
	uint32_t *ids;
	const uint8_t *b;

	for (i = 0; i < n; i += 3)
		memcpy(s + i, "\xe3\x80\x81", 3);
	k = encode(cl, s, n, &ids);
	ck_assert_uint_gt(k, 1000);
	ck_assert_uint_lt(k, 18000);
	for (i = 0, at = 0; i < k; i++) {
		b = tok_token_bytes(cl, ids[i], &bl);
		ck_assert(memcmp(s + at, b, bl) == 0);
		at += bl;
	}
	ck_assert_uint_eq(at, n);
	free(ids);
	free(s);
}
END_TEST

struct job {
	const struct tok *t;
	const char *s;
	size_t len, count;
};

static void *
count_job(void *arg)
{
	struct job *j = arg;
	int k;

	for (k = 0; k < 20; k++)
		j->count = tok_count(j->t, j->s, j->len);
	return NULL;
}

START_TEST(test_threads)
{
	static const char text[] = "The quick brown fox \xe6\x97\xa5\xe6\x9c"
	    "\xac\xe8\xaa\x9e aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.";
	struct job j[4];
	pthread_t th[4];
	size_t want = tok_count(cl, text, sizeof(text) - 1);
	int i;

	for (i = 0; i < 4; i++) {
		j[i] = (struct job){ cl, text, sizeof(text) - 1, 0 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, count_job, &j[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_uint_eq(j[i].count, want);
	}
}
END_TEST

START_TEST(test_chars_words)
{
	struct df_err err;
	struct tok *c = tok_open("chars", &err), *w = tok_open("words", &err);
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0;

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(w);
	ck_assert_uint_eq(tok_count(c, "h\xc3\xa9llo \xf0\x9f\x98\x80", 11),
	    7);
	ck_assert_uint_eq(tok_count(c, "a\xff", 2), 2);
	ck_assert_uint_eq(tok_count(w, "Hello, world! It's 42.", 22), 4);
	ck_assert_uint_eq(tok_count(w, "  ...  ", 7), 0);
	ck_assert_uint_eq(tok_count(w, "", 0), 0);
	ck_assert_int_eq(tok_encode(w, "a b", 3, &ids, &n, &cap), -1);
	ck_assert_uint_eq(n, 0);
	tok_free(c);
	tok_free(w);
}
END_TEST

START_TEST(test_open_errors)
{
	struct df_err err;
	char *old = getenv("DF_DATADIR") ? strdup(getenv("DF_DATADIR")) : NULL;

	ck_assert_ptr_null(tok_open("p50k_base", &err));
	ck_assert_str_eq(err.reason, "bad-tokenizer");
	ck_assert_ptr_nonnull(strstr(err.msg, "p50k_base"));
	setenv("DF_DATADIR", "/nonexistent", 1);
	ck_assert_ptr_null(tok_open("cl100k_base", &err));
	ck_assert_str_eq(err.reason, "no-data-file");
	ck_assert_ptr_nonnull(strstr(err.msg, "cl100k_base.tiktoken"));
	if (old != NULL)
		setenv("DF_DATADIR", old, 1);
	else
		unsetenv("DF_DATADIR");
	free(old);
}
END_TEST

Suite *
tok_suite(void)
{
	Suite *s = suite_create("tok");
	TCase *tc = tcase_create("tiktoken");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cl100k_pieces);
	tcase_add_test(tc, test_o200k_pieces);
	tcase_add_test(tc, test_unicode16);
	tcase_add_test(tc, test_ill_formed);
	tcase_add_test(tc, test_nul_and_roundtrip);
	tcase_add_test(tc, test_dev_cl100k);
	tcase_add_test(tc, test_dev_o200k);
	tcase_add_test(tc, test_long_pieces);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_chars_words);
	tcase_add_test(tc, test_open_errors);
	suite_add_tcase(s, tc);
	return s;
}
