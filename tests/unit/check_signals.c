/*
 * Unit tests for lib/signals.c: every datatrove rule with a case just
 * below its threshold (passes) and just above it (fails), derived by hand
 * from the datatrove source, plus readability, scripts, language, PII and
 * redaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "buf.h"
#include "signals.h"
#include "suites.h"

static struct sig_config cfg;
static struct sig_ctx *ctx;
static struct sig_result res;
static struct buf js;

static void
setup(void)
{
	struct df_err e = { "", NULL };

	setenv("DF_DATADIR", "data", 0);
	sig_config_init(&cfg, SIG_ALL);
	ck_assert_msg(sig_config_load(&cfg, &e) == 0, "load: %s", e.msg);
	ctx = sig_ctx_new(&cfg);
}

static void
teardown(void)
{
	sig_ctx_free(ctx);
	sig_config_release(&cfg);
	buf_release(&js);
}

/* Compute the signals of text; check the JSON parses. */
static void
compute(const char *text)
{
	jv v;

	sig_compute(ctx, text, strlen(text), &res, &js);
	v = jv_parse_sized(js.data, (int)js.len);
	ck_assert_msg(jv_is_valid(v), "scores are not JSON: %s", js.data);
	jv_free(v);
}

/* A number from the scores, by a path of keys ("fineweb.list_ratio"). */
static double
score(const char *path)
{
	jv v = jv_parse_sized(js.data, (int)js.len);
	char *p = strdup(path), *k, *save = NULL;
	double d;

	for (k = strtok_r(p, ".", &save); k != NULL;
	    k = strtok_r(NULL, ".", &save))
		v = jv_object_get(v, jv_string(k));
	free(p);
	ck_assert_msg(jv_get_kind(v) == JV_KIND_NUMBER, "'%s' is no number "
	    "in %s", path, js.data);
	d = jv_number_value(v);
	jv_free(v);
	return d;
}

/* The rule fires on text (want 1) or not (want 0). */
static void
rule_is(enum sig_rule rule, const char *text, int want)
{
	compute(text);
	ck_assert_msg(res.fail[rule] == want, "%s %s on: %.200s\nscores: "
	    "%.600s", sig_rules[rule].name, want ? "did not fire" :
	    "fired", text, js.data);
}

/* n copies of s, separated by sep, into b. */
static void
repeat(struct buf *b, const char *s, int n, const char *sep)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, sep);
		buf_adds(b, s);
	}
}

/*
 * Pad b with distinct words made of letters only, so that it ends at
 * exactly len characters (ASCII).  Each word is "q" and two letters or
 * more; the last one is cut or grown to fit.
 */
static void
pad_to(struct buf *b, size_t len)
{
	int k = 0;

	ck_assert_uint_le(b->len + 4, len);
	while (b->len < len) {
		size_t left = len - b->len;

		buf_addc(b, ' ');
		left--;
		if (left >= 8) {
			buf_addf(b, "q%c%c", 'a' + k / 26 % 26, 'a' + k % 26);
			k++;
			continue;
		}
		/* The last word: "w" and letters of its own, left long. */
		buf_addc(b, 'w');
		while (--left > 0)
			buf_addc(b, (char)('a' + left % 26));
		if (b->len < len)
			continue;
	}
	ck_assert_uint_eq(b->len, len);
}

START_TEST(test_gopher_doc_words)
{
	struct buf b = BUF_INIT;

	repeat(&b, "alpha", 50, " ");
	rule_is(R_GQ_SHORT_DOC, b.data, 0);
	ck_assert_double_eq(score("gopher_quality.non_symbol_words"), 50);
	buf_reset(&b);
	repeat(&b, "alpha", 49, " ");
	rule_is(R_GQ_SHORT_DOC, b.data, 1);
	/* Punctuation marks are words, but not non-symbol words. */
	buf_reset(&b);
	repeat(&b, "alpha ,", 49, " ");
	rule_is(R_GQ_SHORT_DOC, b.data, 1);
	ck_assert_double_eq(score("gopher_quality.words"), 98);
	buf_reset(&b);
	repeat(&b, "alpha", 100000, " ");
	rule_is(R_GQ_LONG_DOC, b.data, 0);
	buf_adds(&b, " alpha");
	rule_is(R_GQ_LONG_DOC, b.data, 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_gopher_avg_word_length)
{
	/* Mean 3.0 is not below 3; 8/3 is. */
	rule_is(R_GQ_BELOW_AVG, "ab abcd", 0);
	rule_is(R_GQ_BELOW_AVG, "ab ab abcd", 1);
	/* Mean 10 is not above 10; 10.5 is. */
	rule_is(R_GQ_ABOVE_AVG, "abcdefghij abcdefghij", 0);
	rule_is(R_GQ_ABOVE_AVG, "abcdefghij abcdefghijk", 1);
}
END_TEST

START_TEST(test_gopher_symbols)
{
	struct buf b = BUF_INIT;

	/* '#' per word, every '#' a word of its own: 10/100, 11/100. */
	repeat(&b, "alpha", 90, " ");
	buf_adds(&b, " ");
	repeat(&b, "#", 10, " ");
	rule_is(R_GQ_HASHES, b.data, 0);
	ck_assert_double_eq_tol(score("gopher_quality.hash_ratio"), 0.1,
	    1e-9);
	buf_reset(&b);
	repeat(&b, "alpha", 89, " ");
	buf_adds(&b, " ");
	repeat(&b, "#", 11, " ");
	rule_is(R_GQ_HASHES, b.data, 1);
	/* Ellipses, "..." and U+2026 both. */
	buf_reset(&b);
	repeat(&b, "alpha", 90, " ");
	buf_adds(&b, " ");
	repeat(&b, "\xe2\x80\xa6", 10, " ");
	rule_is(R_GQ_ELLIPSIS, b.data, 0);
	buf_reset(&b);
	repeat(&b, "alpha", 89, " ");
	buf_adds(&b, " ");
	repeat(&b, "\xe2\x80\xa6", 11, " ");
	rule_is(R_GQ_ELLIPSIS, b.data, 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_gopher_lines)
{
	struct buf b = BUF_INIT;

	/* 18 of 20 lines are bullets (0.9): passes; 19 of 20 fails. */
	repeat(&b, "  \xe2\x80\xa2 item", 9, "\n");
	buf_adds(&b, "\n");
	repeat(&b, "- item", 9, "\n");
	buf_adds(&b, "\nplain\nplain");
	rule_is(R_GQ_BULLETS, b.data, 0);
	buf_reset(&b);
	repeat(&b, "- item", 19, "\n");
	buf_adds(&b, "\nplain");
	rule_is(R_GQ_BULLETS, b.data, 1);
	/* 3 of 10 lines end in an ellipsis: passes; 4 fails. */
	buf_reset(&b);
	repeat(&b, "and so on...  ", 3, "\n");
	buf_adds(&b, "\n");
	repeat(&b, "a line", 7, "\n");
	rule_is(R_GQ_END_ELLIPSIS, b.data, 0);
	buf_reset(&b);
	repeat(&b, "and so on\xe2\x80\xa6", 4, "\n");
	buf_adds(&b, "\n");
	repeat(&b, "a line", 6, "\n");
	rule_is(R_GQ_END_ELLIPSIS, b.data, 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_gopher_alpha_stop)
{
	/* 8 of 10 words with a letter: passes; 7 of 10 fails. */
	rule_is(R_GQ_ALPHA, "a b c d e f g h 1 2", 0);
	rule_is(R_GQ_ALPHA, "a b c d e f g 1 2 3", 1);
	/* Two stop words pass; one fails; the match is case-sensitive. */
	rule_is(R_GQ_STOP_WORDS, "the cat and the hat", 0);
	rule_is(R_GQ_STOP_WORDS, "a cat with hats", 1);
	rule_is(R_GQ_STOP_WORDS, "The cat And hats", 1);
	rule_is(R_GQ_STOP_WORDS, "be that", 0);
}
END_TEST

START_TEST(test_gopher_dup_paragraphs)
{
	struct buf b = BUF_INIT;
	int i;

	/* 10 paragraphs, 3 duplicates (0.3) pass, 4 fail. */
	for (i = 0; i < 7; i++)
		buf_addf(&b, "%sparagraph %c", i ? "\n\n" : "", 'a' + i);
	buf_adds(&b, "\n\nparagraph a\n\nparagraph b\n\nparagraph c");
	rule_is(R_GR_DUP_PARA, b.data, 0);
	ck_assert_double_eq_tol(score("gopher_repetition.dup_para_frac"), 0.3,
	    1e-9);
	buf_adds(&b, "\n\n\n\nparagraph a");
	rule_is(R_GR_DUP_PARA, b.data, 1);
	/* A 20-character paragraph twice: 20/100 passes, 20/99 fails. */
	buf_reset(&b);
	buf_adds(&b, "twenty chars of text\n\ntwenty chars of text\n\nu");
	pad_to(&b, 100);
	rule_is(R_GR_DUP_PARA_CHAR, b.data, 0);
	buf_reset(&b);
	buf_adds(&b, "twenty chars of text\n\ntwenty chars of text\n\nu");
	pad_to(&b, 99);
	rule_is(R_GR_DUP_PARA_CHAR, b.data, 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_gopher_dup_lines)
{
	struct buf b = BUF_INIT;
	int i;

	/* re.split("\n+"): blank lines do not count. */
	for (i = 0; i < 7; i++)
		buf_addf(&b, "%sline %c", i ? "\n\n\n" : "", 'a' + i);
	buf_adds(&b, "\nline a\nline b\nline c");
	rule_is(R_GR_DUP_LINE, b.data, 0);
	buf_adds(&b, "\nline d");
	rule_is(R_GR_DUP_LINE, b.data, 1);
	buf_reset(&b);
	buf_adds(&b, "twenty chars of text\ntwenty chars of text\nu");
	pad_to(&b, 100);
	rule_is(R_GR_DUP_LINE_CHAR, b.data, 0);
	buf_reset(&b);
	buf_adds(&b, "twenty chars of text\ntwenty chars of text\nu");
	pad_to(&b, 99);
	rule_is(R_GR_DUP_LINE_CHAR, b.data, 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_gopher_top_ngrams)
{
	struct buf b = BUF_INIT;

	/* "aa bb" (5 characters) twice: 10/50 passes, 10/49 fails. */
	buf_adds(&b, "aa bb aa bb");
	pad_to(&b, 50);
	rule_is(R_GR_TOP2, b.data, 0);
	ck_assert_double_eq_tol(score("gopher_repetition.top_2_gram"), 0.2,
	    1e-9);
	buf_reset(&b);
	buf_adds(&b, "aa bb aa bb");
	pad_to(&b, 49);
	rule_is(R_GR_TOP2, b.data, 1);
	/* "aa bb cc" (8) twice: 16/89 passes, 16/88 fails (0.18). */
	buf_reset(&b);
	buf_adds(&b, "aa bb cc aa bb cc");
	pad_to(&b, 89);
	rule_is(R_GR_TOP3, b.data, 0);
	buf_reset(&b);
	buf_adds(&b, "aa bb cc aa bb cc");
	pad_to(&b, 88);
	rule_is(R_GR_TOP3, b.data, 1);
	/* "aa bb cc dd" (11) twice: 22/138 passes, 22/137 fails (0.16). */
	buf_reset(&b);
	buf_adds(&b, "aa bb cc dd aa bb cc dd");
	pad_to(&b, 138);
	rule_is(R_GR_TOP4, b.data, 0);
	buf_reset(&b);
	buf_adds(&b, "aa bb cc dd aa bb cc dd");
	pad_to(&b, 137);
	rule_is(R_GR_TOP4, b.data, 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_gopher_dup_ngrams)
{
	static const double thr[] = { 0.15, 0.14, 0.13, 0.12, 0.11, 0.10 };
	struct buf b = BUF_INIT, gram = BUF_INIT;
	int n, k;
	size_t rep, len;

	for (n = 5; n <= 10; n++) {
		/*
		 * n words of two letters, twice: the second copy repeats
		 * the first n-gram, 2n characters (joined without spaces).
		 * The text must be at least rep / thr long to pass.
		 */
		buf_reset(&gram);
		for (k = 0; k < n; k++)
			buf_addf(&gram, "%s%c%c", k ? " " : "", 'a' + k,
			    'a' + n);
		rep = 2 * (size_t)n;
		len = (size_t)ceil((double)rep / thr[n - 5] - 1e-9);
		while ((double)rep / (double)len > thr[n - 5])
			len++;
		buf_reset(&b);
		buf_add(&b, gram.data, gram.len);
		buf_addc(&b, ' ');
		buf_add(&b, gram.data, gram.len);
		pad_to(&b, len);
		rule_is(R_GR_DUP5 + n - 5, b.data, 0);
		buf_reset(&b);
		buf_add(&b, gram.data, gram.len);
		buf_addc(&b, ' ');
		buf_add(&b, gram.data, gram.len);
		pad_to(&b, len - 1);
		rule_is(R_GR_DUP5 + n - 5, b.data, 1);
	}
	/* After a repeat the scan jumps n words: 3 copies count twice. */
	buf_reset(&b);
	buf_adds(&b, "aa bb cc dd ee aa bb cc dd ee aa bb cc dd ee");
	compute(b.data);
	ck_assert_double_eq_tol(score("gopher_repetition.dup_5_gram"),
	    20.0 / 44.0, 1e-6);
	buf_release(&b);
	buf_release(&gram);
}
END_TEST

START_TEST(test_c4_lines)
{
	/* Five one-sentence lines pass; four fail. */
	const char *five = "The first line is here.\nThe second one is "
	    "here.\nThe third one is here.\nThe fourth one is here.\nThe "
	    "fifth one is here.";
	const char *four_js = "The first line is here.\nThe second one is "
	    "here.\nThe third one is here.\nThe fourth one is here.\nPlease "
	    "enable JavaScript here.";

	rule_is(R_C4_FEW_SENTENCES, five, 0);
	ck_assert_double_eq(score("c4.sentences"), 5);
	/* A line naming javascript is dropped, so four remain. */
	rule_is(R_C4_FEW_SENTENCES, four_js, 1);
	ck_assert_double_eq(score("c4.lines_kept"), 4);
	/* Lines of fewer than three words and lines without terminal
	 * punctuation are dropped (C4), the latter kept by FineWeb's C4. */
	rule_is(R_C4_FEW_SENTENCES, "The first line is here.\nThe second "
	    "one is here.\nThe third one is here.\nThe fourth one is here."
	    "\nToo short.", 1);
	rule_is(R_C4_FEW_SENTENCES, "The first line is here.\nThe second "
	    "one is here.\nThe third one is here.\nThe fourth one is here.\n"
	    "No full stop at the end", 1);
	rule_is(R_FC4_FEW_SENTENCES, "The first line is here.\nThe second "
	    "one is here.\nThe third one is here.\nThe fourth one is here.\n"
	    "No full stop at the end", 0);
	/* Citations go before the punctuation check. */
	rule_is(R_C4_FEW_SENTENCES, "The first line is here.\nThe second "
	    "one is here.\nThe third one is here.\nThe fourth one is here.\n"
	    "A cited claim is here.[12]", 0);
	/* Two sentences on one line count twice. */
	rule_is(R_C4_FEW_SENTENCES, "One is here. Two is here.\nThe third "
	    "one is here.\nThe fourth one is here.\nThe fifth one is here.",
	    0);
}
END_TEST

START_TEST(test_c4_document)
{
	/* lorem ipsum on a kept line drops the document ... */
	rule_is(R_C4_LOREM, "Lorem ipsum dolor sit amet.", 1);
	/* ... but not on a line C4 already dropped (no final stop), where
	 * FineWeb's C4 (no punctuation rule) still sees it. */
	rule_is(R_C4_LOREM, "Lorem ipsum dolor sit amet", 0);
	rule_is(R_FC4_LOREM, "Lorem ipsum dolor sit amet", 1);
	rule_is(R_C4_CURLY, "Use braces { like this } here.", 1);
	rule_is(R_C4_CURLY, "Use braces like this here.", 0);
	rule_is(R_C4_CURLY, "{ two }", 0);	/* too few words */
	rule_is(R_C4_BADWORDS, "What the fuck is this?", 1);
	rule_is(R_C4_BADWORDS, "A classic Scunthorpe assessment.", 0);
	ck_assert_double_eq(score("badwords.count"), 0);
	rule_is(R_C4_BADWORDS, "You ASSHOLE, 2 girls 1 cup!", 1);
	ck_assert_double_eq(score("badwords.count"), 2);
}
END_TEST

START_TEST(test_fineweb)
{
	struct buf b = BUF_INIT;
	int i;

	rule_is(R_FW_EMPTY, "  \n\t\n ", 1);
	rule_is(R_FW_EMPTY, "x", 0);
	/* 3 of 25 lines end in terminal punctuation (0.12) pass; 2 fail. */
	for (i = 0; i < 25; i++)
		buf_addf(&b, "%sline number %c%s", i ? "\n" : "", 'a' + i,
		    i < 3 ? "." : "");
	rule_is(R_FW_LINE_PUNCT, b.data, 0);
	buf_reset(&b);
	for (i = 0; i < 25; i++)
		buf_addf(&b, "%sline number %c%s", i ? "\n\n" : "", 'a' + i,
		    i < 2 ? "\xe0\xa5\xa4" : "");
	rule_is(R_FW_LINE_PUNCT, b.data, 1);
	/* A Devanagari danda is terminal punctuation. */
	buf_reset(&b);
	for (i = 0; i < 25; i++)
		buf_addf(&b, "%sline number %c%s", i ? "\n" : "", 'a' + i,
		    i < 3 ? "\xe0\xa5\xa4" : "");
	rule_is(R_FW_LINE_PUNCT, b.data, 0);
	/* 67 of 100 lines of <= 30 characters pass; 68 fail. */
	buf_reset(&b);
	for (i = 0; i < 100; i++)
		buf_addf(&b, "%s%s %02d", i ? "\n" : "", i < 67 ? "short" :
		    "a line that is longer than thirty characters", i);
	rule_is(R_FW_SHORT_LINE, b.data, 0);
	buf_reset(&b);
	for (i = 0; i < 100; i++)
		buf_addf(&b, "%s%s %02d", i ? "\n" : "", i < 68 ? "short" :
		    "a line that is longer than thirty characters", i);
	rule_is(R_FW_SHORT_LINE, b.data, 1);
	/* A 10-character line twice: 10/1000 passes, 10/999 fails. */
	buf_reset(&b);
	buf_adds(&b, "ten chars.\nten chars.\nu");
	pad_to(&b, 1002);
	rule_is(R_FW_CHAR_DUP, b.data, 0);
	buf_reset(&b);
	buf_adds(&b, "ten chars.\nten chars.\nu");
	pad_to(&b, 1001);
	rule_is(R_FW_CHAR_DUP, b.data, 1);
	/* 3 newlines for 10 words pass, 4 fail. */
	rule_is(R_FW_LIST, "a b c\nd e f\ng h\ni j", 0);
	rule_is(R_FW_LIST, "a b c\nd e f\ng h\ni\nj", 1);
	buf_release(&b);
}
END_TEST

START_TEST(test_readability)
{
	/* textstat: 206.835 - 1.015 * 6 - 84.6 * 1 and its FK grade. */
	compute("The cat sat on the mat.");
	ck_assert_double_eq(score("readability.words"), 6);
	ck_assert_double_eq(score("readability.sentences"), 1);
	ck_assert_double_eq(score("readability.syllables"), 6);
	ck_assert_double_eq_tol(score("readability.flesch_reading_ease"),
	    116.145, 1e-3);
	ck_assert_double_eq_tol(score("readability.flesch_kincaid_grade"),
	    -1.45, 1e-3);
	/* Sentences of two words or fewer do not count; hyphens go. */
	compute("Hi there. The well-known cat sat on the mat.");
	ck_assert_double_eq(score("readability.sentences"), 1);
	ck_assert_double_eq(score("readability.words"), 9);
	/*
	 * Syllables are hyphenation points + 1, as textstat does through
	 * Pyphen for words outside CMUdict: dic-tio-nary and hy-phen-ation
	 * give 3 (CMUdict, not packaged in Debian, says 4 for both).
	 */
	compute("dictionary");
	ck_assert_double_eq(score("readability.syllables"), 3);
	compute("Hyphenation");
	ck_assert_double_eq(score("readability.syllables"), 3);
}
END_TEST

START_TEST(test_script)
{
	compute("\xe0\xb4\xae\xe0\xb4\xb2\xe0\xb4\xaf\xe0\xb4\xbe\xe0\xb4"
	    "\xb3\xe0\xb4\x82");	/* "malayalam" in Malayalam */
	ck_assert_double_eq_tol(sig_script_share(ctx, "Mlym"), 1, 1e-9);
	ck_assert_double_eq_tol(sig_script_share(ctx, "Latn"), 0, 1e-9);
	/* 6 Malayalam code points (letters and signs), 6 Latin letters;
	 * digits, spaces and punctuation do not count. */
	compute("\xe0\xb4\xae\xe0\xb4\xb2\xe0\xb4\xaf\xe0\xb4\xbe\xe0\xb4"
	    "\xb3\xe0\xb4\x82 kerala, 2024!");
	ck_assert_double_eq_tol(sig_script_share(ctx, "Mlym"), 0.5, 1e-9);
	ck_assert_double_eq_tol(score("script.Latn"), 0.5, 1e-9);
	ck_assert_double_eq_tol(sig_script_share(ctx, "Latn"), 0.5, 1e-9);
	ck_assert(sig_script_share(ctx, "Nope") < 0);
	ck_assert(sig_script_known("Mlym"));
	ck_assert(!sig_script_known("Mlyx"));
}
END_TEST

START_TEST(test_language)
{
	rule_is(R_LANGUAGE, "The quick brown fox jumps over the lazy dog "
	    "and runs into the forest where nobody can find it.", 0);
	ck_assert_str_eq(res.lang.code, "en");
	ck_assert(res.lang.score >= 0.65);
	rule_is(R_LANGUAGE, "Der schnelle braune Fuchs springt \xc3\xbc"
	    "ber den faulen Hund und rennt in den Wald.", 1);
	ck_assert_str_eq(res.lang.code, "de");
	compute("\xe0\xb4\xae\xe0\xb4\xb2\xe0\xb4\xaf\xe0\xb4\xbe\xe0\xb4"
	    "\xb3\xe0\xb4\x82 \xe0\xb4\x87\xe0\xb4\xa8\xe0\xb5\x8d\xe0\xb4"
	    "\xa4\xe0\xb5\x8d\xe0\xb4\xaf\xe0\xb4\xaf\xe0\xb4\xbf\xe0\xb4"
	    "\xb2\xe0\xb5\x86 \xe0\xb4\x95\xe0\xb5\x87\xe0\xb4\xb0\xe0\xb4"
	    "\xb3 \xe0\xb4\xb8\xe0\xb4\x82\xe0\xb4\xb8\xe0\xb5\x8d\xe0\xb4"
	    "\xa5\xe0\xb4\xbe\xe0\xb4\xa8\xe0\xb4\xa4\xe0\xb5\x8d\xe0\xb4"
	    "\xa4\xe0\xb4\xbf\xe0\xb4\xb2\xe0\xb5\x81\xe0\xb4\x82");
	ck_assert_str_eq(res.lang.code, "ml");
	compute("");
	ck_assert_str_eq(res.lang.code, "un");
	ck_assert(res.fail[R_LANGUAGE]);
}
END_TEST

START_TEST(test_pii_counts)
{
	compute("Mail a.b-c@example.co.uk or x@y.org, not user@localhost "
	    "or @handle.");
	ck_assert_uint_eq(res.n_email, 2);
	compute("Call +44 20 7946 0958, (415) 555-0100 or 415.555.0100 "
	    "but not 2024-01-15 or 12345.");
	ck_assert_uint_eq(res.n_phone, 3);
	ck_assert_uint_eq(res.n_card, 0);
	compute("Hosts 192.168.1.1 and 2001:db8::1 and ::1, not 999.1.1.1, "
	    "1.2.3 or 10:30:00.");
	ck_assert_uint_eq(res.n_ip, 3);
	compute("Card 4111 1111 1111 1111 and 4111-1111-1111-1111 pass, "
	    "4111 1111 1111 1112 fails Luhn.");
	ck_assert_uint_eq(res.n_card, 2);
	ck_assert_uint_eq(res.n_phone, 0);
	ck_assert_double_eq(score("pii.card"), 2);
}
END_TEST

START_TEST(test_redact)
{
	struct buf out = BUF_INIT;
	const char *t = "Write to jo@example.com, call +1 415 555 0100, pay "
	    "with 4111111111111111 from 10.0.0.1.";
	size_t n;

	n = sig_redact(ctx, t, strlen(t), &out);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(out.data, "Write to [EMAIL], call [PHONE], pay with "
	    "[CARD] from [IP].");
	buf_reset(&out);
	n = sig_redact(ctx, "nothing here", 12, &out);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(out.data, "nothing here");
	buf_release(&out);
}
END_TEST

START_TEST(test_luhn)
{
	ck_assert(sig_luhn("79927398713", 11));
	ck_assert(!sig_luhn("79927398714", 11));
	ck_assert(sig_luhn("4111111111111111", 16));
	ck_assert(!sig_luhn("", 0));
}
END_TEST

START_TEST(test_set_threshold)
{
	struct df_err e = { "", NULL };
	struct buf b = BUF_INIT;

	ck_assert_int_eq(sig_config_set(&cfg, "min_doc_words=10", &e), 0);
	ck_assert_int_eq(sig_config_set(&cfg,
	    "gopher_quality.max_doc_words=20", &e), 0);
	repeat(&b, "alpha", 10, " ");
	rule_is(R_GQ_SHORT_DOC, b.data, 0);
	buf_adds(&b, " alpha alpha");
	rule_is(R_GQ_LONG_DOC, b.data, 0);
	repeat(&b, " alpha", 9, "");
	rule_is(R_GQ_LONG_DOC, b.data, 1);
	/* 0 turns a rule off, as None does in datatrove. */
	ck_assert_int_eq(sig_config_set(&cfg, "max_doc_words=0", &e), 0);
	rule_is(R_GQ_LONG_DOC, b.data, 0);
	ck_assert_int_eq(sig_config_set(&cfg, "nope=1", &e), -1);
	ck_assert_int_eq(sig_config_set(&cfg, "min_doc_words", &e), -1);
	ck_assert_int_eq(sig_config_set(&cfg, "min_doc_words=x", &e), -1);
	buf_release(&b);
}
END_TEST

START_TEST(test_empty_and_json)
{
	/* No words, no lines: nothing divides by zero, rules that need
	 * a denominator stay quiet, the count rules fire. */
	compute("");
	ck_assert(res.fail[R_GQ_SHORT_DOC]);
	ck_assert(!res.fail[R_GQ_HASHES]);
	ck_assert(res.fail[R_FW_EMPTY]);
	ck_assert(strstr(js.data, "\"avg_word_length\":null") != NULL);
	compute("\xf0\x9f\x98\x80 emoji \xf0\x9f\x98\x80 and text");
	ck_assert_double_eq(score("length.chars"), 18);
	ck_assert_double_eq(score("length.bytes"), 24);
}
END_TEST

Suite *
signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *tc;

	tc = tcase_create("datatrove");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_gopher_doc_words);
	tcase_add_test(tc, test_gopher_avg_word_length);
	tcase_add_test(tc, test_gopher_symbols);
	tcase_add_test(tc, test_gopher_lines);
	tcase_add_test(tc, test_gopher_alpha_stop);
	tcase_add_test(tc, test_gopher_dup_paragraphs);
	tcase_add_test(tc, test_gopher_dup_lines);
	tcase_add_test(tc, test_gopher_top_ngrams);
	tcase_add_test(tc, test_gopher_dup_ngrams);
	tcase_add_test(tc, test_c4_lines);
	tcase_add_test(tc, test_c4_document);
	tcase_add_test(tc, test_fineweb);
	tcase_add_test(tc, test_set_threshold);
	tcase_add_test(tc, test_empty_and_json);
	suite_add_tcase(s, tc);

	tc = tcase_create("other");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_readability);
	tcase_add_test(tc, test_script);
	tcase_add_test(tc, test_language);
	tcase_add_test(tc, test_pii_counts);
	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_luhn);
	suite_add_tcase(s, tc);
	return s;
}
