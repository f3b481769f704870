/*
 * Unit tests for lib/extract*.c: charset decoding, normalisation, and
 * extraction of small pages through the library API.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "json.h"
#include "suites.h"

static char *
decode(const char *p, size_t n, const char *transport, const char **enc)
{
	struct buf b = BUF_INIT;

	*enc = extract_decode(p, n, transport, &b);
	return buf_detach(&b, NULL);
}

START_TEST(test_decode_utf8)
{
	const char *enc;
	char *s = decode("caf\xc3\xa9", 5, NULL, &enc);

	ck_assert_str_eq(enc, "UTF-8");
	ck_assert_str_eq(s, "caf\xc3\xa9");
	free(s);
}
END_TEST

START_TEST(test_decode_bom_beats_transport)
{
	const char *enc;
	char *s = decode("\xef\xbb\xbf" "a\xc3\xa9", 6, "koi8-r", &enc);

	ck_assert_str_eq(enc, "UTF-8");
	ck_assert_str_eq(s, "a\xc3\xa9");
	free(s);
}
END_TEST

START_TEST(test_decode_latin1_as_1252)
{
	const char *enc;
	/* 0x80 is the euro sign in windows-1252, a control in Latin-1. */
	char *s = decode("\x80 caf\xe9", 6, "ISO-8859-1", &enc);

	ck_assert_str_eq(enc, "windows-1252");
	ck_assert_str_eq(s, "\xe2\x82\xac caf\xc3\xa9");
	free(s);
}
END_TEST

START_TEST(test_decode_meta)
{
	const char *enc;
	const char page[] = "<meta charset='koi8-r'><p>\xf0\xd2\xc9\xd7\xc5\xd4";
	char *s = decode(page, sizeof(page) - 1, NULL, &enc);

	ck_assert_str_eq(enc, "KOI8-R");
	ck_assert_ptr_nonnull(strstr(s, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82"));
	free(s);
}
END_TEST

START_TEST(test_decode_lies)
{
	const char *enc;
	const char u8[] = "<meta charset=iso-8859-1>caf\xc3\xa9";
	char *s = decode(u8, sizeof(u8) - 1, NULL, &enc);

	ck_assert_str_eq(enc, "UTF-8");
	ck_assert_ptr_nonnull(strstr(s, "caf\xc3\xa9"));
	free(s);
	s = decode("caf\xe9 cr\xe8me", 10, "utf-8", &enc);
	ck_assert_str_ne(enc, "UTF-8");
	ck_assert_uint_eq(utf8_valid_prefix(s, strlen(s)), strlen(s));
	free(s);
}
END_TEST

START_TEST(test_decode_repairs)
{
	const char *enc;
	char *s = decode("\xef\xbb\xbf" "a\xff" "b\0c", 8, NULL, &enc);

	ck_assert_str_eq(s, "a\xef\xbf\xbd" "bc");
	free(s);
}
END_TEST

START_TEST(test_normalize)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "Cafe\xcc\x81 \xef\xac\x81");
	extract_normalize(&b, EXTRACT_NFC);
	ck_assert_str_eq(b.data, "Caf\xc3\xa9 \xef\xac\x81");
	extract_normalize(&b, EXTRACT_NFKC);
	ck_assert_str_eq(b.data, "Caf\xc3\xa9 fi");
	buf_release(&b);
}
END_TEST

START_TEST(test_chars_binary)
{
	char bin[100];

	ck_assert_uint_eq(extract_chars("a\xc3\xa9\xe2\x82\xac", 6), 3);
	memset(bin, 1, sizeof(bin));
	ck_assert(extract_looks_binary(bin, sizeof(bin)));
	ck_assert(!extract_looks_binary("<p>hi</p>\n", 10));
}
END_TEST

/* Extract page with o; returns the result (release it). */
static void
run(const char *page, const struct extract_opts *o, struct extract_result *r)
{
	extract_result_init(r);
	ck_assert_int_eq(extract_page(page, strlen(page),
	    "https://example.org/a/b", o, r), 0);
}

START_TEST(test_page_text_and_meta)
{
	struct extract_opts o = { EXTRACT_TEXT, EXTRACT_NFC, 0 };
	struct extract_result r;

	run("<html lang=fr><head><title>T</title>"
	    "<link rel=canonical href=/c></head><body>"
	    "<nav><a href=/>Home page link</a></nav><article><h1>T</h1>"
	    "<p>One paragraph of the article, with words.</p>"
	    "<p>Two paragraphs of the article, with words.</p>"
	    "</article><footer>Footer text here</footer></body></html>",
	    &o, &r);
	ck_assert_str_eq(r.text.data, "One paragraph of the article, with "
	    "words.\n\nTwo paragraphs of the article, with words.");
	ck_assert_str_eq(r.meta[META_TITLE], "T");
	ck_assert_str_eq(r.meta[META_LANG], "fr");
	ck_assert_str_eq(r.meta[META_CANONICAL_URL], "https://example.org/c");
	ck_assert_ptr_null(r.meta[META_DATE]);
	extract_result_release(&r);
}
END_TEST

START_TEST(test_page_comments)
{
	struct extract_opts o = { EXTRACT_MARKDOWN, EXTRACT_NFC, 1 };
	struct extract_result r;

	run("<body><article><p>The article itself, long enough to count.</p>"
	    "</article><div class=comments><p>First!</p></div></body>",
	    &o, &r);
	ck_assert_str_eq(r.text.data, "The article itself, long enough to "
	    "count.");
	ck_assert_str_eq(r.comments.data, "First!");
	extract_result_release(&r);
}
END_TEST

START_TEST(test_page_empty)
{
	struct extract_opts o = { EXTRACT_TEXT, EXTRACT_NFC, 0 };
	struct extract_result r;

	extract_result_init(&r);
	ck_assert_int_eq(extract_page("", 0, NULL, &o, &r), 0);
	ck_assert_uint_eq(r.text.len, 0);
	extract_result_release(&r);
}
END_TEST

Suite *
extract_suite(void)
{
	Suite *s = suite_create("extract");
	TCase *tc;

	tc = tcase_create("charset");
	tcase_add_test(tc, test_decode_utf8);
	tcase_add_test(tc, test_decode_bom_beats_transport);
	tcase_add_test(tc, test_decode_latin1_as_1252);
	tcase_add_test(tc, test_decode_meta);
	tcase_add_test(tc, test_decode_lies);
	tcase_add_test(tc, test_decode_repairs);
	tcase_add_test(tc, test_normalize);
	tcase_add_test(tc, test_chars_binary);
	suite_add_tcase(s, tc);

	tc = tcase_create("page");
	tcase_add_test(tc, test_page_text_and_meta);
	tcase_add_test(tc, test_page_comments);
	tcase_add_test(tc, test_page_empty);
	suite_add_tcase(s, tc);
	return s;
}
