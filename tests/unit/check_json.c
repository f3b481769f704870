/*
 * Unit tests for the JSON scanner of lib/json.c: what it accepts and
 * rejects with which message and column, the member spans it reports,
 * key lookup, string decoding and encoding, and UTF-8 checking.
 *
 * Inputs are copied into buffers of exactly their length before they are
 * scanned, so that ASan and valgrind catch any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "suites.h"

#define T(s, msg)	{ s, sizeof(s) - 1, msg }

struct bad_case {
	const char *in;
	size_t len;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	/* Surrogates must pair up. */
	T("\"\\ud800\"", "invalid JSON at column 2: lone surrogate in string"),
	T("\"\\udc00\"", "invalid JSON at column 2: lone surrogate in string"),
	T("\"a\\ud83dx\"", "invalid JSON at column 3: lone surrogate in string"),
	T("\"\\ud83d\\u0041\"",
	    "invalid JSON at column 2: lone surrogate in string"),
	T("\"\\ud83d\\ud83d\\ude00\"",
	    "invalid JSON at column 2: lone surrogate in string"),
	T("\"\\ud83d", "invalid JSON at column 2: lone surrogate in string"),
	/* Nothing, or not the start of a value. */
	T("", "invalid JSON at column 1: expected a value"),
	T("   ", "invalid JSON at column 4: expected a value"),
	T("\r\n", "invalid JSON at column 3: expected a value"),
	T("]", "invalid JSON at column 1: expected a value"),
	T("+1", "invalid JSON at column 1: expected a value"),
	T(".5", "invalid JSON at column 1: expected a value"),
	T("NaN", "invalid JSON at column 1: expected a value"),
	T("Infinity", "invalid JSON at column 1: expected a value"),
	T("True", "invalid JSON at column 1: expected a value"),
	T("'a'", "invalid JSON at column 1: expected a value"),
	T("\xef\xbb\xbf{}", "invalid JSON at column 1: expected a value"),
	T("\xc3\xa9", "invalid JSON at column 1: expected a value"),
	T("\f{}", "invalid JSON at column 1: expected a value"),
	T("\v{}", "invalid JSON at column 1: expected a value"),

	/* Objects. */
	T("{", "invalid JSON at column 2: unexpected end of input"),
	T("{\"a\"", "invalid JSON at column 5: unexpected end of input"),
	T("{\"a\":", "invalid JSON at column 6: unexpected end of input"),
	T("{\"a\":1", "invalid JSON at column 7: unexpected end of input"),
	T("{\"a\":1,", "invalid JSON at column 8: unexpected end of input"),
	T("{\"a\" 1}", "invalid JSON at column 6: expected ':'"),
	T("{\"a\":1,\"b\"}", "invalid JSON at column 11: expected ':'"),
	T("{\"a\":}", "invalid JSON at column 6: expected a value"),
	T("{\"a\":1,}", "invalid JSON at column 8: expected a string key"),
	T("{\"a\":1,,}", "invalid JSON at column 8: expected a string key"),
	T("{,}", "invalid JSON at column 2: expected a string key"),
	T("{a:1}", "invalid JSON at column 2: expected a string key"),
	T("{'a':1}", "invalid JSON at column 2: expected a string key"),
	T("{1:1}", "invalid JSON at column 2: expected a string key"),
	T("{\"a\":1 \"b\":2}",
	    "invalid JSON at column 8: expected ',' or '}'"),
	T("{\"a\":1]", "invalid JSON at column 7: expected ',' or '}'"),
	T("{\"a\":[1,2}", "invalid JSON at column 10: expected ',' or ']'"),

	/* Arrays. */
	T("[", "invalid JSON at column 2: unexpected end of input"),
	T("[[[", "invalid JSON at column 4: unexpected end of input"),
	T("[1,]", "invalid JSON at column 4: expected a value"),
	T("[,1]", "invalid JSON at column 2: expected a value"),
	T("[1 2]", "invalid JSON at column 4: expected ',' or ']'"),
	T("[1}", "invalid JSON at column 3: expected ',' or ']'"),
	T("[truefalse]", "invalid JSON at column 6: expected ',' or ']'"),

	/* After the value. */
	T("{\"a\":1}}",
	    "invalid JSON at column 8: unexpected data after the value"),
	T("{} {}", "invalid JSON at column 4: unexpected data after the value"),
	T("{\"a\":1} x",
	    "invalid JSON at column 9: unexpected data after the value"),
	T("1 2", "invalid JSON at column 3: unexpected data after the value"),
	T("{}\v", "invalid JSON at column 3: unexpected data after the value"),
	T("{}\0", "invalid JSON at column 3: unexpected data after the value"),
	T("0x10", "invalid JSON at column 2: unexpected data after the value"),
	T("1.5e5.3",
	    "invalid JSON at column 6: unexpected data after the value"),
	T("truefalse",
	    "invalid JSON at column 5: unexpected data after the value"),

	/* Numbers. */
	T("01", "invalid JSON at column 2: invalid number"),
	T("00", "invalid JSON at column 2: invalid number"),
	T("-01", "invalid JSON at column 3: invalid number"),
	T("[01]", "invalid JSON at column 3: invalid number"),
	T("-", "invalid JSON at column 2: unexpected end of input"),
	T("-a", "invalid JSON at column 2: invalid number"),
	T("- 1", "invalid JSON at column 2: invalid number"),
	T("-Infinity", "invalid JSON at column 2: invalid number"),
	T("1.", "invalid JSON at column 3: unexpected end of input"),
	T("1.e5", "invalid JSON at column 3: invalid number"),
	T("1e", "invalid JSON at column 3: unexpected end of input"),
	T("1e+", "invalid JSON at column 4: unexpected end of input"),
	T("1e+x", "invalid JSON at column 4: invalid number"),
	T("{\"a\":1.}", "invalid JSON at column 8: invalid number"),

	/* Literals. */
	T("tru", "invalid JSON at column 4: unexpected end of input"),
	T("fals", "invalid JSON at column 5: unexpected end of input"),
	T("trux", "invalid JSON at column 4: invalid literal"),
	T("nulL", "invalid JSON at column 4: invalid literal"),
	T("[nil]", "invalid JSON at column 3: invalid literal"),

	/* Strings. */
	T("\"abc", "invalid JSON at column 5: unexpected end of input"),
	T("\"\\", "invalid JSON at column 3: unexpected end of input"),
	T("\"\\u12", "invalid JSON at column 6: unexpected end of input"),
	T("\"a\\x\"", "invalid JSON at column 4: invalid escape in string"),
	T("\"\\U0041\"", "invalid JSON at column 3: invalid escape in string"),
	T("\"\\'\"", "invalid JSON at column 3: invalid escape in string"),
	T("\"\\u12g4\"",
	    "invalid JSON at column 6: invalid \\u escape in string"),
	T("\"\\u-123\"",
	    "invalid JSON at column 4: invalid \\u escape in string"),
	T("\"a\tb\"", "invalid JSON at column 3: control character in string"),
	T("\"\n\"", "invalid JSON at column 2: control character in string"),
	T("\"\0\"", "invalid JSON at column 2: control character in string"),
	T("\"\x1f\"", "invalid JSON at column 2: control character in string"),
	T("{\"a\rb\":1}",
	    "invalid JSON at column 4: control character in string"),

	/* UTF-8 in strings. */
	T("\"\xc3\"", "invalid UTF-8 at column 2"),
	T("\"\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xbf\"", "invalid UTF-8 at column 2"),
	T("\"\xc0\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xc1\xbf\"", "invalid UTF-8 at column 2"),
	T("\"\xe0\x80\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xe0\x9f\xbf\"", "invalid UTF-8 at column 2"),
	T("\"\xed\xa0\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xed\xbf\xbf\"", "invalid UTF-8 at column 2"),
	T("\"\xf0\x80\x80\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xf0\x8f\xbf\xbf\"", "invalid UTF-8 at column 2"),
	T("\"\xf4\x90\x80\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xf5\x80\x80\x80\"", "invalid UTF-8 at column 2"),
	T("\"\xff\"", "invalid UTF-8 at column 2"),
	T("\"ab\xe2\x82\"", "invalid UTF-8 at column 4"),
	T("\"\xe2\x82", "invalid UTF-8 at column 2"),
	T("\"\xc3\xa9\xe2\x82" "a\"", "invalid UTF-8 at column 4"),
	T("{\"\xc3\x28\":1}", "invalid UTF-8 at column 3"),
	T("{\"a\":\"0123456789abcdef\xfe\"}", "invalid UTF-8 at column 23"),
};

struct good_case {
	const char *in;
	size_t len;
	enum json_kind kind;
};

#define G(s, k)		{ s, sizeof(s) - 1, k }

static const struct good_case good_cases[] = {
	G("{}", JSON_OBJECT),
	G("[]", JSON_ARRAY),
	G(" { } ", JSON_OBJECT),
	G("\t[ ]\n", JSON_ARRAY),
	G("{\"a\":1}\r", JSON_OBJECT),
	G("{\"a\":1}\r\n", JSON_OBJECT),
	G(" \t\r\n{ \"a\" \t:\r\n1 , \"b\" : [ ] }", JSON_OBJECT),
	G("[[],{},[{}],[[]]]", JSON_ARRAY),
	G("0", JSON_NUMBER),
	G("-0", JSON_NUMBER),
	G("-0.0e-0", JSON_NUMBER),
	G("1E+10", JSON_NUMBER),
	G("1e-10", JSON_NUMBER),
	G("10.25", JSON_NUMBER),
	G("123456789012345678901234567890", JSON_NUMBER),
	G("1e999999", JSON_NUMBER),
	G("-1.5E-300", JSON_NUMBER),
	G("true", JSON_TRUE),
	G("false", JSON_FALSE),
	G("null", JSON_NULL),
	G("\"\"", JSON_STRING),
	G("\"\\u0000\"", JSON_STRING),
	G("\"\\uD83D\\uDE00\"", JSON_STRING),
	G("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", JSON_STRING),
	G("\"\x7f\"", JSON_STRING),
	G("\"\xc3\xa9\"", JSON_STRING),
	G("\"\xc2\x80\xdf\xbf\"", JSON_STRING),
	G("\"\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"", JSON_STRING),
	G("\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"", JSON_STRING),
	G("\"\xf0\x9f\x98\x80 0123456789abcdef\"", JSON_STRING),
	G("{\"\xe6\x97\xa5\xe6\x9c\xac\":\"\xe8\xaa\x9e\"}", JSON_OBJECT),
	G("{\"a\":{\"a\":{\"a\":[0,-1,2.5,\"x\",true,false,null]}}}",
	    JSON_OBJECT),
};

/* Return a heap copy of s[0..len) with nothing after it. */
static char *
dup_exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, len);
	return p;
}

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct json_obj o = { NULL, 0, 0 };
	enum json_kind k = JSON_NULL;
	char err[128], *s = dup_exact(c->in, c->len);

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(json_validate(s, c->len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, c->msg);

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(json_scan_object(s, c->len, &o, &k, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, c->msg);
	ck_assert_int_eq(k, JSON_OBJECT);
	ck_assert_uint_eq(o.n, 0);
	json_obj_release(&o);
	free(s);
}
END_TEST

START_TEST(test_good)
{
	const struct good_case *c = &good_cases[_i];
	struct json_obj o = { NULL, 0, 0 };
	enum json_kind k = JSON_NULL;
	char err[128], *s = dup_exact(c->in, c->len);
	int rc;

	err[0] = '\0';
	ck_assert_msg(json_validate(s, c->len, err, sizeof(err)) == 0,
	    "case %d: %s", _i, err);
	rc = json_scan_object(s, c->len, &o, &k, err, sizeof(err));
	ck_assert_int_eq(k, c->kind);
	if (c->kind == JSON_OBJECT)
		ck_assert_int_eq(rc, 0);
	else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err, "not a JSON object");
		ck_assert_uint_eq(o.n, 0);
	}
	json_obj_release(&o);
	free(s);
}
END_TEST

/* Return n nested containers around v, made of "[" or "{\"k\":". */
static char *
nest(size_t n, int obj, const char *v, size_t *lenp)
{
	size_t open = obj ? 5 : 1, vlen = strlen(v), len, i;
	char *s, *p;

	len = n * (open + 1) + vlen;
	s = p = malloc(len);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++) {
		memcpy(p, obj ? "{\"k\":" : "[", open);
		p += open;
	}
	memcpy(p, v, vlen);
	p += vlen;
	for (i = 0; i < n; i++)
		*p++ = obj ? '}' : ']';
	*lenp = len;
	return s;
}

START_TEST(test_depth)
{
	struct json_obj o = { NULL, 0, 0 };
	char err[128], *s;
	size_t len;

	/* Arrays take one libjq stack slot each: 256 deep is the limit. */
	s = nest(JSON_MAX_DEPTH, 0, "1", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), 0);
	free(s);
	s = nest(JSON_MAX_DEPTH + 1, 0, "1", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "nesting deeper than libjq allows at column 257");
	free(s);
	s = nest(JSON_MAX_DEPTH, 0, "", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), 0);
	free(s);

	/*
	 * Objects take two (the object and its pending key): 128 deep is
	 * the limit, and the 129th opens at column 128 * 5 + 1, as jq 1.6
	 * itself reports.
	 */
	s = nest(JSON_MAX_DEPTH / 2 - 1, 1, "{}", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), 0);
	free(s);
	s = nest(JSON_MAX_DEPTH / 2, 1, "{}", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "nesting deeper than libjq allows at column 641");
	free(s);
	s = nest(JSON_MAX_DEPTH / 2, 1, "[]", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), -1);
	free(s);
	/* An object holding 254 arrays: 2 + 254 slots. */
	s = nest(JSON_MAX_DEPTH - 2, 0, "1", &len);
	{
		char *t = malloc(len + 6);

		ck_assert_ptr_nonnull(t);
		memcpy(t, "{\"k\":", 5);
		memcpy(t + 5, s, len);
		t[len + 5] = '}';
		ck_assert_int_eq(json_validate(t, len + 6, err, sizeof(err)),
		    0);
		free(t);
	}
	free(s);
	s = nest(JSON_MAX_DEPTH / 2, 1, "0", &len);
	ck_assert_int_eq(json_scan_object(s, len, &o, NULL, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(o.n, 1);
	ck_assert_uint_eq(o.m[0].val_off, 5);
	ck_assert_uint_eq(o.m[0].val_len, len - 6);
	ck_assert_int_eq(o.m[0].kind, JSON_OBJECT);
	free(s);

	/* Far too deep must fail cleanly, not exhaust the C stack. */
	s = nest(1000000, 0, "1", &len);
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "nesting deeper than libjq allows at column 257");
	free(s);
	json_obj_release(&o);
}
END_TEST

/* Check that member i of o has key text key and value text val. */
static void
check_member(const struct json_obj *o, const char *s, size_t i,
    const char *key, const char *val, enum json_kind kind, int plain)
{
	const struct json_member *m;

	ck_assert_uint_gt(o->n, i);
	m = &o->m[i];
	ck_assert_uint_eq(m->key_len, strlen(key));
	ck_assert_mem_eq(s + m->key_off, key, m->key_len);
	ck_assert_uint_eq(m->val_len, strlen(val));
	ck_assert_mem_eq(s + m->val_off, val, m->val_len);
	ck_assert_int_eq(m->kind, kind);
	ck_assert_int_eq(m->key_plain, plain);
}

START_TEST(test_members)
{
	static const char text[] = "  {\"id\": \"x\", \"n\" : -1.5e3 ,"
	    " \"o\":{\"a\":[1,{\"b\":2}]}, \"arr\":[], \"t\":true,"
	    "\"f\":false,\"z\":null, \"k\\u0041\":\"v\\\"w\", \"\":{}}\r";
	struct json_obj o = { NULL, 0, 0 };
	enum json_kind k = JSON_NULL;
	char err[128], *s = dup_exact(text, sizeof(text) - 1);

	ck_assert_int_eq(json_scan_object(s, sizeof(text) - 1, &o, &k, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(k, JSON_OBJECT);
	ck_assert_uint_eq(o.n, 9);
	ck_assert_uint_eq(o.m[0].key_off, 3);
	check_member(&o, s, 0, "\"id\"", "\"x\"", JSON_STRING, 1);
	check_member(&o, s, 1, "\"n\"", "-1.5e3", JSON_NUMBER, 1);
	check_member(&o, s, 2, "\"o\"", "{\"a\":[1,{\"b\":2}]}", JSON_OBJECT,
	    1);
	check_member(&o, s, 3, "\"arr\"", "[]", JSON_ARRAY, 1);
	check_member(&o, s, 4, "\"t\"", "true", JSON_TRUE, 1);
	check_member(&o, s, 5, "\"f\"", "false", JSON_FALSE, 1);
	check_member(&o, s, 6, "\"z\"", "null", JSON_NULL, 1);
	check_member(&o, s, 7, "\"k\\u0041\"", "\"v\\\"w\"", JSON_STRING, 0);
	check_member(&o, s, 8, "\"\"", "{}", JSON_OBJECT, 1);

	ck_assert_int_eq(json_obj_find(&o, s, "id", 2), 0);
	ck_assert_int_eq(json_obj_find(&o, s, "kA", 2), 7);
	ck_assert_int_eq(json_obj_find(&o, s, "k\\u0041", 7), -1);
	ck_assert_int_eq(json_obj_find(&o, s, "", 0), 8);
	ck_assert_int_eq(json_obj_find(&o, s, "a", 1), -1);
	ck_assert_int_eq(json_obj_find(&o, s, "ar", 2), -1);
	ck_assert_int_eq(json_obj_find(&o, s, "arrr", 4), -1);
	free(s);
	json_obj_release(&o);
	ck_assert_ptr_null(o.m);
	ck_assert_uint_eq(o.cap, 0);
}
END_TEST

START_TEST(test_members_reuse)
{
	static const char nested[] = "{\"a\":{\"b\":1,\"c\":2},\"d\":3}";
	static const char broken[] = "{\"a\":1,\"b\":}";
	struct json_obj o = { NULL, 0, 0 };
	struct buf b = BUF_INIT;
	char err[128];
	size_t cap, i;

	buf_addc(&b, '{');
	for (i = 0; i < 100; i++)
		buf_addf(&b, "%s\"k%zu\":[%zu]", i ? "," : "", i, i);
	buf_addc(&b, '}');
	ck_assert_int_eq(json_scan_object(b.data, b.len, &o, NULL, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 100);
	ck_assert_int_eq(json_obj_find(&o, b.data, "k99", 3), 99);
	ck_assert_mem_eq(b.data + o.m[42].val_off, "[42]", 4);
	cap = o.cap;
	ck_assert_uint_ge(cap, 100);

	/* Reuse: the array is reset, not shrunk. */
	ck_assert_int_eq(json_scan_object("{\"a\":1}", 7, &o, NULL, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 1);
	ck_assert_uint_eq(o.cap, cap);
	ck_assert_int_eq(json_scan_object("{}", 2, &o, NULL, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 0);

	/* Members of nested objects are not top-level members. */
	ck_assert_int_eq(json_scan_object(nested, strlen(nested), &o, NULL,
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 2);
	ck_assert_int_eq(json_obj_find(&o, nested, "b", 1), -1);
	ck_assert_int_eq(json_obj_find(&o, nested, "d", 1), 1);

	/* A failed scan leaves no members. */
	ck_assert_int_eq(json_scan_object(broken, strlen(broken), &o, NULL,
	    err, sizeof(err)), -1);
	ck_assert_uint_eq(o.n, 0);
	json_obj_release(&o);
	buf_release(&b);
}
END_TEST

START_TEST(test_not_object)
{
	static const struct {
		const char *in;
		enum json_kind kind;
	} cases[] = {
		{ "[1,{}]", JSON_ARRAY },
		{ " \"s\" ", JSON_STRING },
		{ "1.5", JSON_NUMBER },
		{ "true", JSON_TRUE },
		{ "false", JSON_FALSE },
		{ "null", JSON_NULL },
	};
	struct json_obj o = { NULL, 0, 0 };
	enum json_kind k;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k = JSON_OBJECT;
		ck_assert_int_eq(json_scan_object(cases[i].in,
		    strlen(cases[i].in), &o, &k, err, sizeof(err)), -1);
		ck_assert_int_eq(k, cases[i].kind);
		ck_assert_str_eq(err, "not a JSON object");
		ck_assert_int_eq(json_validate(cases[i].in,
		    strlen(cases[i].in), err, sizeof(err)), 0);
	}

	/* Invalid JSON leaves the kind at JSON_OBJECT. */
	k = JSON_ARRAY;
	ck_assert_int_eq(json_scan_object("[1,", 3, &o, &k, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(k, JSON_OBJECT);
	ck_assert_str_eq(err, "invalid JSON at column 4: "
	    "unexpected end of input");
	json_obj_release(&o);
}
END_TEST

START_TEST(test_err_buffer)
{
	struct json_obj o = { NULL, 0, 0 };
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(json_validate("[1,", 3, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid");
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(json_scan_object("1", 1, &o, NULL, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "not a J");
	ck_assert_int_eq(json_validate("[1,", 3, NULL, 0), -1);
	ck_assert_int_eq(json_scan_object("1", 1, &o, NULL, NULL, 0), -1);
	ck_assert_int_eq(json_scan_object("{}", 2, &o, NULL, NULL, 0), 0);
	json_obj_release(&o);
}
END_TEST

/*
 * The fast path reads strings eight bytes at a time: put each kind of
 * special byte at every offset of a longer string and check that it is
 * found at the right column.
 */
START_TEST(test_string_offsets)
{
	char s[64], err[128], want[128];
	size_t i, n = 40;

	for (i = 0; i < n; i++) {
		s[0] = '"';
		memset(s + 1, 'a', n);
		s[n + 1] = '"';

		s[1 + i] = '\x01';
		ck_assert_int_eq(json_validate(s, n + 2, err, sizeof(err)),
		    -1);
		snprintf(want, sizeof(want), "invalid JSON at column %zu: "
		    "control character in string", i + 2);
		ck_assert_str_eq(err, want);

		s[1 + i] = '\xff';
		ck_assert_int_eq(json_validate(s, n + 2, err, sizeof(err)),
		    -1);
		snprintf(want, sizeof(want), "invalid UTF-8 at column %zu",
		    i + 2);
		ck_assert_str_eq(err, want);

		s[1 + i] = '\x7f';
		ck_assert_int_eq(json_validate(s, n + 2, err, sizeof(err)), 0);

		s[1 + i] = '"';
		ck_assert_int_eq(json_validate(s, n + 2, err, sizeof(err)),
		    -1);
		snprintf(want, sizeof(want), "invalid JSON at column %zu: "
		    "unexpected data after the value", i + 3);
		ck_assert_str_eq(err, want);

		s[1 + i] = '\\';
		ck_assert_int_eq(json_validate(s, n + 2, err, sizeof(err)),
		    -1);
		if (i + 1 < n) {
			snprintf(want, sizeof(want), "invalid JSON at column "
			    "%zu: invalid escape in string", i + 3);
			ck_assert_str_eq(err, want);
			s[2 + i] = 'n';
			ck_assert_int_eq(json_validate(s, n + 2, err,
			    sizeof(err)), 0);
		}

		/* A string cut short at every length. */
		memset(s + 1, 'a', n);
		ck_assert_int_eq(json_validate(s, i + 1, err, sizeof(err)),
		    -1);
		snprintf(want, sizeof(want), "invalid JSON at column %zu: "
		    "unexpected end of input", i + 2);
		ck_assert_str_eq(err, want);
	}
}
END_TEST

START_TEST(test_find_escaped)
{
	static const char text[] = "{\"a\":0,\"a\\u0062\":1,"
	    "\"\\u00e9t\\u00e9\":2,"
	    "\"x\\ny\":3,\"\\u0000\":4,\"\\ud83d\\ude00\":5,\"ab\":6,"
	    "\"\\/\":7,\"a\":8}";
	struct json_obj o = { NULL, 0, 0 };
	char err[128];

	ck_assert_int_eq(json_scan_object(text, sizeof(text) - 1, &o, NULL,
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(o.n, 9);
	/* Of duplicate keys the last counts, as in jq. */
	ck_assert_int_eq(json_obj_find(&o, text, "a", 1), 8);
	ck_assert_int_eq(json_obj_find(&o, text, "ab", 2), 6);
	ck_assert_int_eq(json_obj_find(&o, text, "\xc3\xa9t\xc3\xa9", 5), 2);
	ck_assert_int_eq(json_obj_find(&o, text, "x\ny", 3), 3);
	ck_assert_int_eq(json_obj_find(&o, text, "\0", 1), 4);
	ck_assert_int_eq(json_obj_find(&o, text, "\xf0\x9f\x98\x80", 4), 5);
	ck_assert_int_eq(json_obj_find(&o, text, "/", 1), 7);
	ck_assert_int_eq(json_obj_find(&o, text, "x\\ny", 4), -1);
	ck_assert_int_eq(json_obj_find(&o, text, "", 0), -1);
	json_obj_release(&o);
}
END_TEST

struct dec_case {
	const char *in;
	const char *out;
	size_t outlen;
	int rc;
};

#define D(in, out, rc)	{ in, out, sizeof(out) - 1, rc }

static const struct dec_case dec_cases[] = {
	D("\"\"", "", 0),
	D("\"plain text\"", "plain text", 0),
	D("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 0),
	D("\"\\u0041\\u00e9\\u00E9\"", "A\xc3\xa9\xc3\xa9", 0),
	D("\"\\u0000\"", "\0", 0),
	D("\"a\\u0000b\"", "a\0b", 0),
	D("\"\\u007f\\u0080\\u07ff\"", "\x7f\xc2\x80\xdf\xbf", 0),
	D("\"\\u0800\\uffff\"", "\xe0\xa0\x80\xef\xbf\xbf", 0),
	D("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 0),
	D("\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80", 0),
	D("\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf", 0),
	D("\"\xc3\xa9\\n\xe6\x97\xa5\"", "\xc3\xa9\n\xe6\x97\xa5", 0),
	D("\"\\ud800\"", "\xef\xbf\xbd", -1),
	D("\"\\udc00\"", "\xef\xbf\xbd", -1),
	D("\"\\ud800x\"", "\xef\xbf\xbdx", -1),
	D("\"\\ud800\\u0041\"", "\xef\xbf\xbd" "A", -1),
	D("\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80", -1),
	D("\"\\ude00\\ud83d\"", "\xef\xbf\xbd\xef\xbf\xbd", -1),
	D("\"\\ud83d\\n\"", "\xef\xbf\xbd\n", -1),
};

START_TEST(test_decode)
{
	const struct dec_case *c = &dec_cases[_i];
	struct buf b = BUF_INIT;
	size_t len = strlen(c->in);
	char *s = dup_exact(c->in, len), err[128];

	/* The scanner refuses lone surrogates; the decoder copes anyway. */
	ck_assert_int_eq(json_validate(s, len, err, sizeof(err)), c->rc);
	if (c->rc < 0)
		ck_assert_ptr_nonnull(strstr(err, "lone surrogate"));
	buf_adds(&b, "pre");
	ck_assert_int_eq(json_string_decode(s, len, &b), c->rc);
	ck_assert_uint_eq(b.len, 3 + c->outlen);
	ck_assert_mem_eq(b.data, "pre", 3);
	ck_assert_mem_eq(b.data + 3, c->out, c->outlen);
	ck_assert_int_eq(b.data[b.len], '\0');
	buf_release(&b);
	free(s);
}
END_TEST

START_TEST(test_decode_not_string)
{
	struct buf b = BUF_INIT;

	ck_assert_int_eq(json_string_decode("abc", 3, &b), -1);
	ck_assert_int_eq(json_string_decode("\"", 1, &b), -1);
	ck_assert_int_eq(json_string_decode("", 0, &b), -1);
	ck_assert_int_eq(json_string_decode("\"abc", 4, &b), -1);
	ck_assert_int_eq(json_string_decode("123", 3, &b), -1);
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
}
END_TEST

/* Check that encoding s[0..len) gives want. */
static void
check_encode(const char *s, size_t len, const char *want)
{
	struct buf b = BUF_INIT;

	json_string_encode(&b, s, len);
	ck_assert_uint_eq(b.len, strlen(want));
	ck_assert_str_eq(b.data, want);
	buf_release(&b);
}

START_TEST(test_encode)
{
	check_encode("", 0, "\"\"");
	check_encode("plain", 5, "\"plain\"");
	check_encode("a\"b\\c/", 6, "\"a\\\"b\\\\c/\"");
	check_encode("\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"");
	check_encode("\0\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\\u007f\"");
	check_encode(" ~\xc3\xa9\xf0\x9f\x98\x80", 8,
	    "\" ~\xc3\xa9\xf0\x9f\x98\x80\"");
	check_encode("x\x1b[0m", 5, "\"x\\u001b[0m\"");
}
END_TEST

/*
 * The encoder skips eight bytes at a time: every byte value, at every
 * place of a 19-byte text among neighbours at the edges of the escaped
 * ranges (0x1f/0x20, 0x7e/0x80, 0xff), is escaped exactly when it must be.
 */
START_TEST(test_encode_words)
{
	static const unsigned char fill[] = { 0x20, 0x7e, 0x80, 0xff, 'a' };
	char s[19], want[19 * 6 + 3], *w;
	size_t at, k, f;
	unsigned c, d;

	for (f = 0; f < sizeof(fill); f++)
		for (c = 0; c < 256; c++)
			for (at = 0; at < sizeof(s); at++) {
				memset(s, fill[f], sizeof(s));
				s[at] = (char)c;
				w = want;
				*w++ = '"';
				for (k = 0; k < sizeof(s); k++) {
					d = (unsigned char)s[k];
					if (d == '"' || d == '\\') {
						*w++ = '\\';
						*w++ = (char)d;
					} else if (d == '\n' || d == '\t' ||
					    d == '\r' || d == '\b' ||
					    d == '\f') {
						*w++ = '\\';
						*w++ = d == '\n' ? 'n' : d == '\t' ?
						    't' : d == '\r' ? 'r' :
						    d == '\b' ? 'b' : 'f';
					} else if (d < 0x20 || d == 0x7f) {
						w += sprintf(w, "\\u%04x", d);
					} else
						*w++ = (char)d;
				}
				*w++ = '"';
				*w = '\0';
				check_encode(s, sizeof(s), want);
			}
}
END_TEST

/*
 * Encoding then decoding gives back the input, and the encoding is valid
 * JSON, for every byte below 0x80 and some multibyte characters, at many
 * lengths.
 */
START_TEST(test_round_trip)
{
	static const char *const pieces[] = {
		"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\xef\xbf\xbd",
		"\xf4\x8f\xbf\xbf",
	};
	struct buf in = BUF_INIT, enc = BUF_INIT, dec = BUF_INIT;
	char err[128];
	unsigned int seed = 1;
	int i, n, c;

	for (c = 0; c < 0x80; c++)
		buf_addc(&in, c);
	for (i = 0; i < 5; i++)
		buf_adds(&in, pieces[i]);
	for (n = 0; n < 300; n++) {
		if (n > 0) {
			buf_reset(&in);
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245 + 12345;
				c = (int)(seed >> 16) % 133;
				if (c < 128)
					buf_addc(&in, c);
				else
					buf_adds(&in, pieces[c - 128]);
			}
		}
		buf_reset(&enc);
		buf_reset(&dec);
		json_string_encode(&enc, in.data, in.len);
		ck_assert_msg(json_validate(enc.data, enc.len, err,
		    sizeof(err)) == 0, "round %d: %s", n, err);
		ck_assert_int_eq(json_string_decode(enc.data, enc.len, &dec),
		    0);
		ck_assert_uint_eq(dec.len, in.len);
		ck_assert_mem_eq(dec.data, in.data, in.len);
	}
	buf_release(&in);
	buf_release(&enc);
	buf_release(&dec);
}
END_TEST

struct utf8_case {
	const char *in;
	size_t len;
	size_t valid;
};

#define U(s, n)		{ s, sizeof(s) - 1, n }

static const struct utf8_case utf8_cases[] = {
	U("", 0),
	U("plain ascii text, longer than a word", 36),
	U("\0\x7f", 2),
	U("\xc2\x80", 2),
	U("\xdf\xbf", 2),
	U("\xe0\xa0\x80", 3),
	U("\xed\x9f\xbf", 3),
	U("\xee\x80\x80", 3),
	U("\xef\xbf\xbf", 3),
	U("\xf0\x90\x80\x80", 4),
	U("\xf4\x8f\xbf\xbf", 4),
	U("ab\xc3\xa9" "cd", 6),
	U("\x80", 0),
	U("\xbf", 0),
	U("a\xc0\x80", 1),
	U("a\xc1\xbf", 1),
	U("ab\xc2", 2),
	U("ab\xc2" "a", 2),
	U("\xc2\xc0", 0),
	U("\xe0\x80\x80", 0),
	U("\xe0\x9f\xbf", 0),
	U("\xe2\x82", 0),
	U("\xe2\x82\xac\xe2\x82", 3),
	U("\xe2\x28\xa1", 0),
	U("\xed\xa0\x80", 0),
	U("\xed\xbf\xbf", 0),
	U("\xf0\x80\x80\x80", 0),
	U("\xf0\x8f\xbf\xbf", 0),
	U("\xf0\x9f\x98", 0),
	U("\xf4\x90\x80\x80", 0),
	U("\xf5\x80\x80\x80", 0),
	U("\xf8\x88\x80\x80\x80", 0),
	U("\xfe", 0),
	U("\xff", 0),
	U("0123456789abcdef\xff", 16),
	U("01234567\xc3\xa9" "89abcdef\xed\xa0\x80", 18),
};

START_TEST(test_utf8)
{
	const struct utf8_case *c = &utf8_cases[_i];
	char *s = dup_exact(c->in, c->len);

	ck_assert_uint_eq(utf8_valid_prefix(s, c->len), c->valid);
	free(s);
}
END_TEST

Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc;

	tc = tcase_create("scan");
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_loop_test(tc, test_good, 0,
	    (int)(sizeof(good_cases) / sizeof(good_cases[0])));
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_members_reuse);
	tcase_add_test(tc, test_not_object);
	tcase_add_test(tc, test_err_buffer);
	tcase_add_test(tc, test_string_offsets);
	suite_add_tcase(s, tc);

	tc = tcase_create("strings");
	tcase_add_test(tc, test_find_escaped);
	tcase_add_loop_test(tc, test_decode, 0,
	    (int)(sizeof(dec_cases) / sizeof(dec_cases[0])));
	tcase_add_test(tc, test_decode_not_string);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_encode_words);
	tcase_add_test(tc, test_round_trip);
	tcase_add_loop_test(tc, test_utf8, 0,
	    (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
