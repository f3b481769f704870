/*
 * Unit tests for lib/rec.c: field paths, finding a field in a scanned
 * record, reading and setting it in a parsed one, compiled jq programs,
 * and the canonical text of a value.
 */
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "buf.h"
#include "diag.h"
#include "json.h"
#include "rec.h"
#include "suites.h"

/* Parse path, failing the test when it is refused. */
static void
parse_ok(struct field *f, const char *path)
{
	char err[256] = "";

	ck_assert_msg(field_parse(f, path, err, sizeof(err)) == 0,
	    "'%s' refused: %s", path, err);
	ck_assert_ptr_nonnull(f->text);
	ck_assert_str_eq(f->text, path);
	ck_assert_uint_ge(f->n, 1);
	ck_assert_ptr_nonnull(f->name);
	ck_assert_ptr_eq(f->name, f->key[f->n - 1]);
}

/* Check key i of f against the bytes want[0..len). */
static void
key_is(const struct field *f, size_t i, const char *want, size_t len)
{
	ck_assert_uint_lt(i, f->n);
	ck_assert_msg(f->keylen[i] == len, "'%s' key %zu: length %zu, want "
	    "%zu", f->text, i, f->keylen[i], len);
	ck_assert_msg(memcmp(f->key[i], want, len) == 0,
	    "'%s' key %zu: '%s', want '%s'", f->text, i, f->key[i], want);
	ck_assert_msg(f->key[i][len] == '\0', "'%s' key %zu not terminated",
	    f->text, i);
}

START_TEST(test_parse_simple)
{
	struct field f;

	parse_ok(&f, ".text");
	ck_assert_uint_eq(f.n, 1);
	key_is(&f, 0, "text", 4);
	ck_assert_str_eq(f.name, "text");
	field_release(&f);

	parse_ok(&f, ".meta.lang");
	ck_assert_uint_eq(f.n, 2);
	key_is(&f, 0, "meta", 4);
	key_is(&f, 1, "lang", 4);
	ck_assert_str_eq(f.name, "lang");
	field_release(&f);

	parse_ok(&f, "._a1.B_2");
	ck_assert_uint_eq(f.n, 2);
	key_is(&f, 0, "_a1", 3);
	key_is(&f, 1, "B_2", 3);
	field_release(&f);
}
END_TEST

START_TEST(test_parse_quoted)
{
	struct field f;

	parse_ok(&f, ".\"odd key\"");
	ck_assert_uint_eq(f.n, 1);
	key_is(&f, 0, "odd key", 7);
	ck_assert_str_eq(f.name, "odd key");
	field_release(&f);

	parse_ok(&f, ".[\"a b\"]");
	ck_assert_uint_eq(f.n, 1);
	key_is(&f, 0, "a b", 3);
	field_release(&f);

	parse_ok(&f, ".a[\"b\"]");
	ck_assert_uint_eq(f.n, 2);
	key_is(&f, 0, "a", 1);
	key_is(&f, 1, "b", 1);
	ck_assert_str_eq(f.name, "b");
	field_release(&f);

	parse_ok(&f, ".\"1abc\"");
	key_is(&f, 0, "1abc", 4);
	field_release(&f);

	parse_ok(&f, ".\"\"");
	ck_assert_uint_eq(f.n, 1);
	key_is(&f, 0, "", 0);
	field_release(&f);
}
END_TEST

START_TEST(test_parse_escapes)
{
	struct field f;

	parse_ok(&f, ".\"a\\\"b\"");
	key_is(&f, 0, "a\"b", 3);
	field_release(&f);

	parse_ok(&f, ".\"caf\\u00e9\"");
	key_is(&f, 0, "caf\xc3\xa9", 5);
	field_release(&f);

	parse_ok(&f, ".[\"x\\ty\"]");
	key_is(&f, 0, "x\ty", 3);
	field_release(&f);

	/* An escaped NUL is part of the key: keylen counts it. */
	parse_ok(&f, ".\"a\\u0000b\"");
	key_is(&f, 0, "a\0b", 3);
	field_release(&f);

	parse_ok(&f, ".\"\\ud83d\\ude00\"");
	key_is(&f, 0, "\xf0\x9f\x98\x80", 4);
	field_release(&f);
}
END_TEST

START_TEST(test_parse_chains)
{
	struct field f;

	parse_ok(&f, ".a.\"b c\".d[\"e\"].[\"f\"]");
	ck_assert_uint_eq(f.n, 5);
	key_is(&f, 0, "a", 1);
	key_is(&f, 1, "b c", 3);
	key_is(&f, 2, "d", 1);
	key_is(&f, 3, "e", 1);
	key_is(&f, 4, "f", 1);
	ck_assert_str_eq(f.name, "f");
	field_release(&f);

	parse_ok(&f, ".a[\"b\"][\"c\"]");
	ck_assert_uint_eq(f.n, 3);
	key_is(&f, 2, "c", 1);
	field_release(&f);

	parse_ok(&f, ".a.b.c.d.e.f.g.h");
	ck_assert_uint_eq(f.n, 8);
	key_is(&f, 7, "h", 1);
	field_release(&f);
}
END_TEST

START_TEST(test_parse_refused)
{
	static const char *bad[] = {
		"", ".", "text", ".a[0]", ".1abc", ".a.", ".\"unterminated",
		"..a", ".a..b", ".a b", ".a-b", "[\"a\"]", ".[\"a\"", ".[a]",
		".a[]", ".a[\"b\"", ".[0]", ".a[0].b", ".\"a\"b", ".\xc3\xa9",
		".\"\\x\"", ".a|.b", ".[]", ".a[\"b\"]x"
	};
	struct field f;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(field_parse(&f, bad[i], err, sizeof(err)) == -1,
		    "'%s' accepted", bad[i]);
		ck_assert_msg(err[0] != '\0', "'%s': no message", bad[i]);
		ck_assert_msg(strstr(err, bad[i]) != NULL,
		    "'%s': message does not quote it: %s", bad[i], err);
	}
}
END_TEST

/* A message longer than err is cut, and still NUL-terminated. */
START_TEST(test_parse_small_err)
{
	struct field f;
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(field_parse(&f, "not a path at all", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(memchr(err, '\0', sizeof(err)));
}
END_TEST

/*
 * Find path in the record rec and check the value's text and kind; want
 * NULL means it must not be found.
 */
static void
find_is(const char *rec, const char *path, const char *want,
    enum json_kind want_kind)
{
	struct json_obj o = { NULL, 0, 0 };
	struct field f;
	enum json_kind kind = JSON_NULL;
	char err[128];
	size_t off = 0, len = 0;
	int found;

	ck_assert_msg(json_scan_object(rec, strlen(rec), &o, NULL, err,
	    sizeof(err)) == 0, "%s: %s", rec, err);
	parse_ok(&f, path);
	found = field_find(&f, rec, &o, &off, &len, &kind);
	if (want == NULL) {
		ck_assert_msg(!found, "%s in %s: found '%.*s'", path, rec,
		    (int)len, rec + off);
	} else {
		ck_assert_msg(found, "%s in %s: not found", path, rec);
		ck_assert_msg(len == strlen(want) &&
		    memcmp(rec + off, want, len) == 0,
		    "%s in %s: got '%.*s', want '%s'", path, rec, (int)len,
		    rec + off, want);
		ck_assert_msg(kind == want_kind, "%s in %s: kind %d, want %d",
		    path, rec, (int)kind, (int)want_kind);
	}
	field_release(&f);
	json_obj_release(&o);
}

static const char find_rec[] =
    "{\"text\":\"hi \\\"there\\\"\",\"n\":-1.5e3,"
    " \"meta\" : { \"lang\" : \"en\", \"tags\":[1,{\"x\":2}],"
    " \"deep\":{\"t\":true,\"f\":false,\"z\":null,\"e\":{}} },"
    "\"odd key\":{\"a b\":[]},\"s\":\"str\",\"x\":1}";

START_TEST(test_find_top)
{
	find_is(find_rec, ".text", "\"hi \\\"there\\\"\"", JSON_STRING);
	find_is(find_rec, ".n", "-1.5e3", JSON_NUMBER);
	find_is(find_rec, ".s", "\"str\"", JSON_STRING);
	find_is(find_rec, ".x", "1", JSON_NUMBER);
	find_is(find_rec, ".meta", "{ \"lang\" : \"en\", "
	    "\"tags\":[1,{\"x\":2}], "
	    "\"deep\":{\"t\":true,\"f\":false,\"z\":null,\"e\":{}} }",
	    JSON_OBJECT);
	find_is("{\"a\":[1, 2]}", ".a", "[1, 2]", JSON_ARRAY);
	find_is("  {\"a\":true}  ", ".a", "true", JSON_TRUE);
}
END_TEST

START_TEST(test_find_nested)
{
	find_is(find_rec, ".meta.lang", "\"en\"", JSON_STRING);
	find_is(find_rec, ".meta.tags", "[1,{\"x\":2}]", JSON_ARRAY);
	find_is(find_rec, ".meta.deep.t", "true", JSON_TRUE);
	find_is(find_rec, ".meta.deep.f", "false", JSON_FALSE);
	find_is(find_rec, ".meta.deep.z", "null", JSON_NULL);
	find_is(find_rec, ".meta.deep.e", "{}", JSON_OBJECT);
	find_is(find_rec, ".\"odd key\"[\"a b\"]", "[]", JSON_ARRAY);
	find_is(find_rec, ".meta[\"deep\"].t", "true", JSON_TRUE);
	/* Keys written with escapes in the record match decoded paths. */
	find_is("{\"a\\u0020b\":{\"c\\\"\":7}}", ".\"a b\".\"c\\\"\"", "7",
	    JSON_NUMBER);
}
END_TEST

/* Of duplicate keys the last counts, as jq reads them, at every level. */
START_TEST(test_find_duplicates)
{
	find_is("{\"a\":1,\"b\":0,\"a\":2}", ".a", "2", JSON_NUMBER);
	find_is("{\"caf\\u00e9\":1,\"caf\xc3\xa9\":2}", ".\"caf\\u00e9\"",
	    "2", JSON_NUMBER);
	find_is("{\"m\":{\"x\":1,\"x\":\"two\"}}", ".m.x", "\"two\"",
	    JSON_STRING);
	find_is("{\"m\":{\"x\":1},\"m\":{\"y\":2}}", ".m.y", "2",
	    JSON_NUMBER);
	find_is("{\"m\":{\"x\":1},\"m\":{\"y\":2}}", ".m.x", NULL,
	    JSON_NULL);
	find_is("{\"m\":{\"x\":1},\"m\":3}", ".m.x", NULL, JSON_NULL);
}
END_TEST

START_TEST(test_find_miss)
{
	find_is(find_rec, ".nope", NULL, JSON_NULL);
	find_is(find_rec, ".Text", NULL, JSON_NULL);
	find_is(find_rec, ".meta.nope", NULL, JSON_NULL);
	find_is(find_rec, ".meta.deep.e.x", NULL, JSON_NULL);
	/* Intermediate values that are not objects. */
	find_is(find_rec, ".text.a", NULL, JSON_NULL);
	find_is(find_rec, ".n.a", NULL, JSON_NULL);
	find_is(find_rec, ".meta.tags.x", NULL, JSON_NULL);
	find_is(find_rec, ".meta.deep.z.a", NULL, JSON_NULL);
	find_is(find_rec, ".meta.deep.t.a", NULL, JSON_NULL);
	/* A key of a nested object is not a top-level key. */
	find_is(find_rec, ".lang", NULL, JSON_NULL);
	find_is(find_rec, ".t", NULL, JSON_NULL);
	find_is("{}", ".a", NULL, JSON_NULL);
	find_is("{\"a\":{}}", ".a.b", NULL, JSON_NULL);
}
END_TEST

/* Check v against the compact JSON text want (insertion order); consumes v. */
static void
jv_is(jv v, const char *want)
{
	jv s;

	ck_assert_msg(jv_is_valid(v), "invalid value, want %s", want);
	s = jv_dump_string(v, 0);
	ck_assert_str_eq(jv_string_value(s), want);
	jv_free(s);
}

static jv
parse(const char *text)
{
	jv v = jv_parse(text);

	ck_assert_msg(jv_is_valid(v), "bad test JSON: %s", text);
	return v;
}

START_TEST(test_get_jv)
{
	jv rec = parse("{\"a\":{\"b\":1,\"s\":\"x\",\"o\":{\"k\":[1]}},"
	    "\"n\":null,\"odd key\":true}");
	struct field f;
	jv v;

	parse_ok(&f, ".a.b");
	jv_is(field_get_jv(&f, rec), "1");
	field_release(&f);
	ck_assert_int_eq(jv_get_refcnt(rec), 1);

	parse_ok(&f, ".a");
	v = field_get_jv(&f, rec);
	jv_is(v, "{\"b\":1,\"s\":\"x\",\"o\":{\"k\":[1]}}");
	field_release(&f);
	ck_assert_int_eq(jv_get_refcnt(rec), 1);

	parse_ok(&f, ".a.o.k");
	jv_is(field_get_jv(&f, rec), "[1]");
	field_release(&f);

	parse_ok(&f, ".a.s");
	jv_is(field_get_jv(&f, rec), "\"x\"");
	field_release(&f);

	parse_ok(&f, ".n");
	jv_is(field_get_jv(&f, rec), "null");
	field_release(&f);

	parse_ok(&f, ".\"odd key\"");
	jv_is(field_get_jv(&f, rec), "true");
	field_release(&f);

	ck_assert_int_eq(jv_get_refcnt(rec), 1);
	jv_is(rec, "{\"a\":{\"b\":1,\"s\":\"x\",\"o\":{\"k\":[1]}},"
	    "\"n\":null,\"odd key\":true}");
}
END_TEST

/* Check that path is missing in rec: an invalid without a message. */
static void
get_missing(jv rec, const char *path)
{
	struct field f;
	jv v;

	parse_ok(&f, path);
	v = field_get_jv(&f, rec);
	ck_assert_msg(!jv_is_valid(v), "%s found", path);
	ck_assert_msg(!jv_invalid_has_msg(jv_copy(v)), "%s: has a message",
	    path);
	jv_free(v);
	field_release(&f);
}

START_TEST(test_get_jv_missing)
{
	jv rec = parse("{\"a\":{\"b\":1},\"s\":\"str\",\"n\":null,"
	    "\"l\":[{\"x\":1}]}");

	get_missing(rec, ".x");
	get_missing(rec, ".a.c");
	get_missing(rec, ".a.b.c");
	get_missing(rec, ".s.x");
	get_missing(rec, ".n.x");
	get_missing(rec, ".l.x");
	get_missing(rec, ".x.y.z");
	ck_assert_int_eq(jv_get_refcnt(rec), 1);
	jv_free(rec);
}
END_TEST

/* Set path in the record text rec to the JSON text val; check the result. */
static void
set_is(const char *rec, const char *path, const char *val, const char *want)
{
	struct field f;

	parse_ok(&f, path);
	jv_is(field_set_jv(&f, parse(rec), parse(val)), want);
	field_release(&f);
}

START_TEST(test_set_jv)
{
	set_is("{}", ".a", "1", "{\"a\":1}");
	set_is("{\"t\":0,\"u\":1}", ".t", "\"x\"", "{\"t\":\"x\",\"u\":1}");
	set_is("{}", ".a.b", "1", "{\"a\":{\"b\":1}}");
	set_is("{}", ".a.b.c", "[1]", "{\"a\":{\"b\":{\"c\":[1]}}}");
	set_is("{\"z\":0,\"a\":{\"c\":2}}", ".a.b", "\"x\"",
	    "{\"z\":0,\"a\":{\"c\":2,\"b\":\"x\"}}");
	set_is("{\"a\":{\"b\":{\"old\":1}}}", ".a.b", "{\"new\":2}",
	    "{\"a\":{\"b\":{\"new\":2}}}");
	set_is("{}", ".\"odd key\"[\"x y\"]", "null",
	    "{\"odd key\":{\"x y\":null}}");
}
END_TEST

/* The caller's own references are not touched: copy on write. */
START_TEST(test_set_jv_shared)
{
	jv rec = parse("{\"a\":{\"b\":1}}");
	jv val = parse("{\"v\":[1,2]}");
	struct field f;
	jv out;

	parse_ok(&f, ".a.c");
	out = field_set_jv(&f, jv_copy(rec), jv_copy(val));
	jv_is(out, "{\"a\":{\"b\":1,\"c\":{\"v\":[1,2]}}}");
	ck_assert_int_eq(jv_get_refcnt(rec), 1);
	ck_assert_int_eq(jv_get_refcnt(val), 1);
	jv_is(rec, "{\"a\":{\"b\":1}}");
	jv_is(val, "{\"v\":[1,2]}");
	field_release(&f);
}
END_TEST

/* Setting through a value that is not an object gives a message. */
static void
set_fails(const char *rec, const char *path)
{
	struct field f;
	jv out, msg;

	parse_ok(&f, path);
	out = field_set_jv(&f, parse(rec), parse("1"));
	ck_assert_msg(!jv_is_valid(out), "%s in %s: set", path, rec);
	msg = jv_invalid_get_msg(out);
	ck_assert_msg(jv_get_kind(msg) == JV_KIND_STRING,
	    "%s in %s: no message", path, rec);
	ck_assert_uint_gt(strlen(jv_string_value(msg)), 0);
	jv_free(msg);
	field_release(&f);
}

START_TEST(test_set_jv_not_object)
{
	set_fails("{\"a\":1}", ".a.b");
	set_fails("{\"a\":\"s\"}", ".a.b");
	set_fails("{\"a\":[1]}", ".a.b");
	set_fails("{\"a\":true}", ".a.b.c");
	set_fails("{\"a\":{\"b\":[]}}", ".a.b.c");
}
END_TEST

START_TEST(test_jq_compile)
{
	struct jqprog p;

	ck_assert_int_eq(jqprog_compile(&p, ".a"), 0);
	ck_assert_uint_eq(p.err.len, 0);
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, "select(.n > 1) | .text"), 0);
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, ".a |"), -1);
	ck_assert_uint_gt(p.err.len, 0);
	ck_assert_msg(strstr(p.err.data, "syntax error") != NULL, "%s",
	    p.err.data);
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, "{"), -1);
	ck_assert_uint_gt(p.err.len, 0);
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, "nosuchfn(1)"), -1);
	ck_assert_msg(strstr(p.err.data, "nosuchfn") != NULL, "%s",
	    p.err.data);
	jqprog_release(&p);
}
END_TEST

START_TEST(test_jq_first)
{
	struct jqprog p;
	struct df_err e = { "", NULL };
	jv out;

	ck_assert_int_eq(jqprog_compile(&p, ".a + 1"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":1}"), &out, &e), 0);
	jv_is(out, "2");
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":41}"), &out, &e), 0);
	jv_is(out, "42");
	jqprog_release(&p);

	/* Only the first of several outputs; the state is reused after. */
	ck_assert_int_eq(jqprog_compile(&p, ".[]"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("[3,4,5]"), &out, &e), 0);
	jv_is(out, "3");
	ck_assert_int_eq(jqprog_first(&p, parse("[\"x\",4]"), &out, &e), 0);
	jv_is(out, "\"x\"");
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, "{b: .a, c: [.a, .a]}"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":\"v\"}"), &out, &e),
	    0);
	jv_is(out, "{\"b\":\"v\",\"c\":[\"v\",\"v\"]}");
	jqprog_release(&p);
}
END_TEST

START_TEST(test_jq_first_errors)
{
	struct jqprog p;
	struct df_err e = { "", NULL };
	jv out = jv_null();

	ck_assert_int_eq(jqprog_compile(&p, "error(\"boom\")"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{}"), &out, &e), -1);
	ck_assert_ptr_nonnull(e.reason);
	ck_assert_str_eq(e.reason, "jq-error");
	ck_assert_msg(strstr(e.msg, "boom") != NULL, "%s", e.msg);
	jqprog_release(&p);

	e.reason = NULL;
	e.msg[0] = '\0';
	ck_assert_int_eq(jqprog_compile(&p, ".a.b"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":1}"), &out, &e), -1);
	ck_assert_str_eq(e.reason, "jq-error");
	ck_assert_msg(strstr(e.msg, "Cannot index number") != NULL, "%s",
	    e.msg);
	/* The program still works after a runtime error. */
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":{\"b\":7}}"), &out,
	    &e), 0);
	jv_is(out, "7");
	jqprog_release(&p);

	/* An error whose value is not a string. */
	e.reason = NULL;
	ck_assert_int_eq(jqprog_compile(&p, "error({\"code\":7})"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{}"), &out, &e), -1);
	ck_assert_str_eq(e.reason, "jq-error");
	ck_assert_msg(strstr(e.msg, "7") != NULL, "%s", e.msg);
	jqprog_release(&p);

	e.reason = NULL;
	ck_assert_int_eq(jqprog_compile(&p, "empty"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{}"), &out, &e), -1);
	ck_assert_str_eq(e.reason, "no-value");
	ck_assert_uint_gt(strlen(e.msg), 0);
	jqprog_release(&p);

	e.reason = NULL;
	ck_assert_int_eq(jqprog_compile(&p, "select(.a)"), 0);
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":false}"), &out, &e),
	    -1);
	ck_assert_str_eq(e.reason, "no-value");
	ck_assert_int_eq(jqprog_first(&p, parse("{\"a\":1}"), &out, &e), 0);
	jv_is(out, "{\"a\":1}");
	jqprog_release(&p);
}
END_TEST

/* Run p on the JSON text input as a condition and check the truth. */
static void
truth_is(struct jqprog *p, const char *input, int want)
{
	struct df_err e = { "", NULL };
	int truth = -1;

	ck_assert_msg(jqprog_test(p, parse(input), &truth, &e) == 0,
	    "%s: %s", input, e.msg);
	ck_assert_msg(truth == want, "%s: truth %d, want %d", input, truth,
	    want);
}

START_TEST(test_jq_test)
{
	struct jqprog p;
	struct df_err e = { "", NULL };
	int truth = -1;

	ck_assert_int_eq(jqprog_compile(&p, ".v"), 0);
	truth_is(&p, "{\"v\":false}", 0);
	truth_is(&p, "{\"v\":null}", 0);
	truth_is(&p, "{}", 0);
	truth_is(&p, "{\"v\":0}", 1);
	truth_is(&p, "{\"v\":\"\"}", 1);
	truth_is(&p, "{\"v\":[]}", 1);
	truth_is(&p, "{\"v\":{}}", 1);
	truth_is(&p, "{\"v\":true}", 1);
	truth_is(&p, "{\"v\":\"false\"}", 1);
	ck_assert_int_eq(jqprog_test(&p, parse("{\"v\":1}"), &truth, &e), 0);
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, ".n > 2"), 0);
	truth_is(&p, "{\"n\":3}", 1);
	truth_is(&p, "{\"n\":2}", 0);
	jqprog_release(&p);

	/* Only the first output counts. */
	ck_assert_int_eq(jqprog_compile(&p, "false, true"), 0);
	truth_is(&p, "{}", 0);
	jqprog_release(&p);

	ck_assert_int_eq(jqprog_compile(&p, ".v.x"), 0);
	ck_assert_int_eq(jqprog_test(&p, parse("{\"v\":1}"), &truth, &e), -1);
	ck_assert_str_eq(e.reason, "jq-error");
	jqprog_release(&p);

	e.reason = NULL;
	ck_assert_int_eq(jqprog_compile(&p, "empty"), 0);
	ck_assert_int_eq(jqprog_test(&p, parse("{}"), &truth, &e), -1);
	ck_assert_str_eq(e.reason, "no-value");
	jqprog_release(&p);
}
END_TEST

/* Check the canonical text of v (consumed) against the literal want. */
#define CANON(v, want)	canon_is((v), (want), sizeof(want) - 1)

/* Check the canonical text of v (consumed) against want[0..len). */
static void
canon_is(jv v, const char *want, size_t len)
{
	struct buf b = BUF_INIT;

	rec_canonical(&b, v);
	ck_assert_msg(b.len == len && memcmp(b.data, want, len) == 0,
	    "got '%.*s' (%zu bytes), want '%s'", (int)b.len,
	    b.data ? b.data : "", b.len, want);
	buf_release(&b);
}

START_TEST(test_canonical)
{
	struct buf b = BUF_INIT;
	jv s;

	CANON(jv_string("hello"), "hello");
	CANON(jv_string(""), "");
	CANON(parse("\"caf\\u00e9\""), "caf\xc3\xa9");
	CANON(parse("\"a\\\"b\\nc\""), "a\"b\nc");
	CANON(jv_string_sized("a\0b", 3), "a\0b");
	CANON(parse("{\"b\":1,\"a\":[1,2]}"), "{\"a\":[1,2],\"b\":1}");
	CANON(parse("{ \"z\" : {\"y\":1, \"x\":[{\"d\":1,\"c\":2}]},"
	    " \"a\" : null }"),
	    "{\"a\":null,\"z\":{\"x\":[{\"c\":2,\"d\":1}],\"y\":1}}");
	CANON(parse("[3, \"x\", {\"b\":\"\\u00e9\",\"a\":true}]"),
	    "[3,\"x\",{\"a\":true,\"b\":\"\xc3\xa9\"}]");
	CANON(parse("1.5"), "1.5");
	CANON(parse("1e3"), "1000");
	CANON(jv_number(42), "42");
	CANON(jv_null(), "null");
	CANON(jv_true(), "true");
	CANON(jv_false(), "false");

	/* It appends, and leaves a shared reference alone. */
	buf_adds(&b, "k=");
	s = jv_string("v");
	rec_canonical(&b, jv_copy(s));
	ck_assert_int_eq(jv_get_refcnt(s), 1);
	ck_assert_str_eq(jv_string_value(s), "v");
	jv_free(s);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_str_eq(b.data, "k=v");
	buf_release(&b);
}
END_TEST

/*
 * Scan {"v":text}, take the value's span and kind as a program would,
 * and check that rec_canonical_span agrees with rec_canonical.
 */
static void
span_agrees(const char *text)
{
	struct json_obj o = { NULL, 0, 0 };
	struct buf rec = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	char err[128];
	jv v;

	buf_adds(&rec, "{\"v\":");
	buf_adds(&rec, text);
	buf_adds(&rec, "}");
	ck_assert_msg(json_scan_object(rec.data, rec.len, &o, NULL, err,
	    sizeof(err)) == 0, "%s: %s", rec.data, err);
	ck_assert_uint_eq(o.n, 1);
	buf_adds(&a, "<");
	buf_adds(&b, "<");
	rec_canonical_span(&a, rec.data + o.m[0].val_off, o.m[0].val_len,
	    o.m[0].kind);
	v = jv_parse(text);
	ck_assert_msg(jv_is_valid(v), "bad test JSON: %s", text);
	rec_canonical(&b, v);
	ck_assert_msg(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "%s: span gives '%.*s' (%zu bytes), jv gives '%.*s' (%zu bytes)",
	    text, (int)a.len, a.data, a.len, (int)b.len, b.data, b.len);
	buf_release(&a);
	buf_release(&b);
	buf_release(&rec);
	json_obj_release(&o);
}

START_TEST(test_canonical_span_strings)
{
	static const char *texts[] = {
		"\"\"", "\"plain\"", "\"caf\xc3\xa9 \xe2\x82\xac\"",
		"\"caf\\u00e9\"", "\"caf\\u00E9\"", "\"a\\nb\"", "\"tab\\tx\"",
		"\"\\r\\b\\f\"", "\"q\\\"uote\"", "\"back\\\\slash\"",
		"\"sl\\/ash\"", "\"\\ud83d\\ude00\"", "\"x\\uD83D\\uDE00y\"",
		"\"\\u0000\"", "\"a\\u0000b\"", "\"\\u001f\"", "\"\\u2028\"",
		"\"\\\\\"", "\"\\\"\"", "\"end\\\\\"", "\"\\u00e9\xc3\xa9\""
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		span_agrees(texts[i]);
}
END_TEST

START_TEST(test_canonical_span_other)
{
	static const char *texts[] = {
		"0", "-0", "1", "-1.5", "0.1", "123456789", "true", "false",
		"null", "{}", "[]", "{\"b\":1,\"a\":[1,2]}",
		"{ \"b\" : { \"d\" : 1 , \"c\" : \"\\u00e9\" } , \"a\":0 }",
		"[ 1 , \"x\\ny\" , { \"z\" : [ ] , \"y\" : { } } ]",
		"{\"k\":\"\\ud83d\\ude00\",\"j\":1.0}"
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		span_agrees(texts[i]);
}
END_TEST

/*
 * A number stays as written, where libjq's doubles would round or
 * respell it; inside an object or array it goes through jv.
 */
START_TEST(test_canonical_span_numbers)
{
	static const char *texts[] = {
		"1e3", "1E+2", "1.0", "2.5e-7", "100000000000000000000",
		"9007199254740993", "12345678901234567890", "-0.0"
	};
	struct json_obj o = { NULL, 0, 0 };
	struct buf rec = BUF_INIT, b = BUF_INIT;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		buf_reset(&rec);
		buf_addf(&rec, "{\"id\":%s}", texts[i]);
		ck_assert_msg(json_scan_object(rec.data, rec.len, &o, NULL,
		    err, sizeof(err)) == 0, "%s: %s", rec.data, err);
		ck_assert_int_eq(o.m[0].kind, JSON_NUMBER);
		buf_reset(&b);
		rec_canonical_span(&b, rec.data + o.m[0].val_off,
		    o.m[0].val_len, o.m[0].kind);
		ck_assert_msg(b.len == strlen(texts[i]) &&
		    memcmp(b.data, texts[i], b.len) == 0, "%s gives '%.*s'",
		    texts[i], (int)b.len, b.data);
	}
	/* Inside an array or object a number goes through jv, and agrees. */
	span_agrees("[9007199254740993]");
	span_agrees("{\"n\":1.0,\"m\":1e2}");
	buf_release(&rec);
	buf_release(&b);
	json_obj_release(&o);
}
END_TEST

Suite *
rec_suite(void)
{
	Suite *s = suite_create("rec");
	TCase *tc;

	tc = tcase_create("field_parse");
	tcase_add_test(tc, test_parse_simple);
	tcase_add_test(tc, test_parse_quoted);
	tcase_add_test(tc, test_parse_escapes);
	tcase_add_test(tc, test_parse_chains);
	tcase_add_test(tc, test_parse_refused);
	tcase_add_test(tc, test_parse_small_err);
	suite_add_tcase(s, tc);

	tc = tcase_create("field_find");
	tcase_add_test(tc, test_find_top);
	tcase_add_test(tc, test_find_nested);
	tcase_add_test(tc, test_find_miss);
	tcase_add_test(tc, test_find_duplicates);
	suite_add_tcase(s, tc);

	tc = tcase_create("field_jv");
	tcase_add_test(tc, test_get_jv);
	tcase_add_test(tc, test_get_jv_missing);
	tcase_add_test(tc, test_set_jv);
	tcase_add_test(tc, test_set_jv_shared);
	tcase_add_test(tc, test_set_jv_not_object);
	suite_add_tcase(s, tc);

	tc = tcase_create("jqprog");
	tcase_add_test(tc, test_jq_compile);
	tcase_add_test(tc, test_jq_first);
	tcase_add_test(tc, test_jq_first_errors);
	tcase_add_test(tc, test_jq_test);
	suite_add_tcase(s, tc);

	tc = tcase_create("canonical");
	tcase_add_test(tc, test_canonical);
	tcase_add_test(tc, test_canonical_span_strings);
	tcase_add_test(tc, test_canonical_span_other);
	tcase_add_test(tc, test_canonical_span_numbers);
	suite_add_tcase(s, tc);
	return s;
}
