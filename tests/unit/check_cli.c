/*
 * Unit tests for lib/cli.c: the number parsers every option goes through.
 * cli_strtonum must behave as OpenBSD's strtonum(3), cli_strtosize adds
 * binary suffixes, and cli_strtod takes plain decimal numbers only.
 */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "suites.h"

/*
 * Check one cli_strtonum call: want_err is the expected error string, or
 * NULL for success with the value want.
 */
static void
strtonum_is(const char *s, long long min, long long max, long long want,
    const char *want_err)
{
	const char *errstr = "not touched";
	long long v;

	v = cli_strtonum(s, min, max, &errstr);
	if (want_err == NULL) {
		ck_assert_msg(errstr == NULL, "'%s' in [%lld, %lld]: %s", s,
		    min, max, errstr);
		ck_assert_msg(v == want, "'%s': got %lld, want %lld", s, v,
		    want);
	} else {
		ck_assert_msg(errstr != NULL, "'%s' in [%lld, %lld] accepted "
		    "as %lld", s, min, max, v);
		ck_assert_msg(strcmp(errstr, want_err) == 0,
		    "'%s' in [%lld, %lld]: got '%s', want '%s'", s, min, max,
		    errstr, want_err);
		ck_assert_msg(v == 0, "'%s': error but returned %lld", s, v);
	}
}

START_TEST(test_strtonum_ok)
{
	strtonum_is("0", 0, 10, 0, NULL);
	strtonum_is("10", 0, 10, 10, NULL);
	strtonum_is("7", 0, 10, 7, NULL);
	strtonum_is("-5", -10, 10, -5, NULL);
	strtonum_is("+3", 0, 10, 3, NULL);
	strtonum_is("007", 0, 10, 7, NULL);
	strtonum_is("1", 1, 1, 1, NULL);
	strtonum_is("-1", -1, -1, -1, NULL);
	/* Decimal only: a leading zero is not octal. */
	strtonum_is("010", 0, 100, 10, NULL);
}
END_TEST

START_TEST(test_strtonum_range)
{
	strtonum_is("11", 0, 10, 0, "too large");
	strtonum_is("-1", 0, 10, 0, "too small");
	strtonum_is("0", 1, 256, 0, "too small");
	strtonum_is("257", 1, 256, 0, "too large");
	strtonum_is("2", -1, -1, 0, "too large");
	strtonum_is("-2", -1, -1, 0, "too small");
}
END_TEST

START_TEST(test_strtonum_invalid)
{
	strtonum_is("", 0, 10, 0, "invalid");
	strtonum_is("12x", 0, 100, 0, "invalid");
	strtonum_is("x12", 0, 100, 0, "invalid");
	strtonum_is("1 ", 0, 10, 0, "invalid");
	strtonum_is("1.0", 0, 10, 0, "invalid");
	strtonum_is("0x10", 0, 100, 0, "invalid");
	strtonum_is("-", 0, 10, 0, "invalid");
	strtonum_is("+", 0, 10, 0, "invalid");
	strtonum_is(" ", 0, 10, 0, "invalid");
	strtonum_is("1e3", 0, 10000, 0, "invalid");
	/* min > max is "invalid" whatever s is, as in OpenBSD. */
	strtonum_is("5", 10, 0, 0, "invalid");
}
END_TEST

/*
 * OpenBSD's strtonum is strtoll(3) underneath, so leading white space is
 * skipped ("1 " is refused, " 1" is not).
 */
START_TEST(test_strtonum_leading_space)
{
	strtonum_is(" 1", 0, 10, 1, NULL);
	strtonum_is("\t-2", -10, 10, -2, NULL);
}
END_TEST

START_TEST(test_strtonum_edges)
{
	strtonum_is("9223372036854775807", LLONG_MIN, LLONG_MAX, LLONG_MAX,
	    NULL);
	strtonum_is("-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN,
	    NULL);
	strtonum_is("9223372036854775807", 0, LLONG_MAX - 1, 0, "too large");
	strtonum_is("-9223372036854775808", LLONG_MIN + 1, 0, 0,
	    "too small");
}
END_TEST

START_TEST(test_strtonum_overflow)
{
	strtonum_is("9223372036854775808", LLONG_MIN, LLONG_MAX, 0,
	    "too large");
	strtonum_is("-9223372036854775809", LLONG_MIN, LLONG_MAX, 0,
	    "too small");
	strtonum_is("99999999999999999999999", 0, 10, 0, "too large");
	strtonum_is("-99999999999999999999999", 0, 10, 0, "too small");
}
END_TEST

/* A success must clear an error left by an earlier call. */
START_TEST(test_strtonum_errstr_reset)
{
	const char *errstr;
	long long v;

	(void)cli_strtonum("x", 0, 10, &errstr);
	ck_assert_ptr_nonnull(errstr);
	v = cli_strtonum("4", 0, 10, &errstr);
	ck_assert_ptr_null(errstr);
	ck_assert_int_eq(v, 4);
}
END_TEST

static void
strtosize_is(const char *s, long long min, long long max, long long want,
    const char *want_err)
{
	const char *errstr = "not touched";
	long long v;

	v = cli_strtosize(s, min, max, &errstr);
	if (want_err == NULL) {
		ck_assert_msg(errstr == NULL, "'%s' in [%lld, %lld]: %s", s,
		    min, max, errstr);
		ck_assert_msg(v == want, "'%s': got %lld, want %lld", s, v,
		    want);
	} else {
		ck_assert_msg(errstr != NULL, "'%s' in [%lld, %lld] accepted "
		    "as %lld", s, min, max, v);
		ck_assert_msg(strcmp(errstr, want_err) == 0,
		    "'%s' in [%lld, %lld]: got '%s', want '%s'", s, min, max,
		    errstr, want_err);
		ck_assert_msg(v == 0, "'%s': error but returned %lld", s, v);
	}
}

START_TEST(test_strtosize_suffixes)
{
	strtosize_is("0", 0, LLONG_MAX, 0, NULL);
	strtosize_is("123", 0, LLONG_MAX, 123, NULL);
	strtosize_is("1k", 0, LLONG_MAX, 1024, NULL);
	strtosize_is("3k", 0, LLONG_MAX, 3072, NULL);
	strtosize_is("1M", 0, LLONG_MAX, 1LL << 20, NULL);
	strtosize_is("64M", 0, LLONG_MAX, 64LL << 20, NULL);
	strtosize_is("1G", 0, LLONG_MAX, 1LL << 30, NULL);
	strtosize_is("5G", 0, LLONG_MAX, 5LL << 30, NULL);
	strtosize_is("0k", 0, LLONG_MAX, 0, NULL);
}
END_TEST

START_TEST(test_strtosize_limits)
{
	strtosize_is("2", 2, 1LL << 40, 2, NULL);
	strtosize_is("1", 2, 1LL << 40, 0, "too small");
	strtosize_is("1024", 0, 1024, 1024, NULL);
	strtosize_is("1k", 0, 1024, 1024, NULL);
	strtosize_is("1025", 0, 1024, 0, "too large");
	strtosize_is("2k", 0, 1024, 0, "too large");
	strtosize_is("1k", 2000, 4096, 0, "too small");
	strtosize_is("1024G", 0, 1LL << 40, 1LL << 40, NULL);
	strtosize_is("1025G", 0, 1LL << 40, 0, "too large");
	strtosize_is("-1", 0, 100, 0, "too small");
	/* The largest multiple that fits, and the first that does not. */
	strtosize_is("9007199254740991k", 0, LLONG_MAX,
	    9007199254740991LL * 1024, NULL);
	strtosize_is("9007199254740992k", 0, LLONG_MAX, 0, "too large");
	strtosize_is("8589934592G", 0, LLONG_MAX, 0, "too large");
	strtosize_is("99999999999999999999999", 0, LLONG_MAX, 0,
	    "too large");
}
END_TEST

START_TEST(test_strtosize_invalid)
{
	strtosize_is("", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("k", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("M", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("1x", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("1kk", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("1 k", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("1.5M", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("1kB", 0, LLONG_MAX, 0, "invalid");
	strtosize_is("1T", 0, LLONG_MAX, 0, "invalid");
}
END_TEST

/* Check that cli_strtod accepts s in [min, max] as want. */
static void
strtod_ok(const char *s, double min, double max, double want)
{
	double v = -12345;

	ck_assert_msg(cli_strtod(s, min, max, &v) == 0, "'%s' refused", s);
	ck_assert_msg(v == want, "'%s': got %g, want %g", s, v, want);
}

static void
strtod_bad(const char *s, double min, double max)
{
	double v = -12345;

	ck_assert_msg(cli_strtod(s, min, max, &v) == -1,
	    "'%s' in [%g, %g] accepted as %g", s, min, max, v);
}

START_TEST(test_strtod_ok)
{
	strtod_ok("0.9", 0, 2, 0.9);
	strtod_ok("1e-3", 0, 2, 1e-3);
	strtod_ok("5", 0, 10, 5);
	strtod_ok("-2", -10, 10, -2);
	strtod_ok("0", 0, 0, 0);
	strtod_ok("2E2", 0, 1000, 200);
	strtod_ok("1e+2", 0, 1000, 100);
	strtod_ok("1", 1, 1, 1);
	strtod_ok("0.7", 0, 2, 0.7);
}
END_TEST

START_TEST(test_strtod_bad)
{
	strtod_bad("0,5", -10, 10);
	strtod_bad("nan", -10, 10);
	strtod_bad("NaN", -10, 10);
	strtod_bad("inf", -1e300, 1e300);
	strtod_bad("-inf", -1e300, 1e300);
	strtod_bad("infinity", -1e300, 1e300);
	strtod_bad("1e", -10, 10);
	strtod_bad("1e+", -10, 10);
	strtod_bad(".", -10, 10);
	strtod_bad("", -10, 10);
	strtod_bad("-", -10, 10);
	strtod_bad("0x10", -100, 100);
	strtod_bad("1 ", -10, 10);
	strtod_bad("1.2.3", -10, 10);
	strtod_bad("e5", -10, 10);
	strtod_bad("1f", -10, 10);
}
END_TEST

START_TEST(test_strtod_range)
{
	strtod_bad("2", 0, 1);
	strtod_bad("-0.1", 0, 1);
	strtod_bad("-3", -2, 2);
	strtod_bad("1.0000001", 0, 1);
	strtod_bad("1e400", -1e308, 1e308);
	strtod_bad("-1e400", -1e308, 1e308);
}
END_TEST

/*
 * "Whatever the locale": under a locale whose decimal point is a comma,
 * "0.5" must still be one half and "0,5" still refused.  The test needs
 * such a locale; without one it checks only the C locale.
 */
START_TEST(test_strtod_locale)
{
	static const char *names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
		"de_DE", "fr_FR"
	};
	char *saved;
	double v = 0;
	size_t i;
	int ok_dot, ok_comma;

	saved = strdup(setlocale(LC_NUMERIC, NULL));
	ck_assert_ptr_nonnull(saved);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_NUMERIC, names[i]) != NULL &&
		    strcmp(localeconv()->decimal_point, ",") == 0)
			break;
	ok_dot = cli_strtod("0.5", 0, 1, &v) == 0 && v == 0.5;
	ok_comma = cli_strtod("0,5", 0, 1, &v) == 0;
	setlocale(LC_NUMERIC, saved);
	free(saved);
	ck_assert_msg(ok_dot, "'0.5' refused or misread (%g) under a comma "
	    "locale", v);
	ck_assert_msg(!ok_comma, "'0,5' accepted");
}
END_TEST

Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc;

	tc = tcase_create("strtonum");
	tcase_add_test(tc, test_strtonum_ok);
	tcase_add_test(tc, test_strtonum_range);
	tcase_add_test(tc, test_strtonum_invalid);
	tcase_add_test(tc, test_strtonum_leading_space);
	tcase_add_test(tc, test_strtonum_edges);
	tcase_add_test(tc, test_strtonum_overflow);
	tcase_add_test(tc, test_strtonum_errstr_reset);
	suite_add_tcase(s, tc);

	tc = tcase_create("strtosize");
	tcase_add_test(tc, test_strtosize_suffixes);
	tcase_add_test(tc, test_strtosize_limits);
	tcase_add_test(tc, test_strtosize_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("strtod");
	tcase_add_test(tc, test_strtod_ok);
	tcase_add_test(tc, test_strtod_bad);
	tcase_add_test(tc, test_strtod_range);
	tcase_add_test(tc, test_strtod_locale);
	suite_add_tcase(s, tc);
	return s;
}
