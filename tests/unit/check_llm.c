/*
 * Unit tests for lib/llm.c that need no server: endpoint kinds and
 * URLs, request bodies and cache keys, prices, the JSON Schema subset and
 * finding JSON in a reply.  Requests on the wire are tested by
 * tests/cli/t4xxx against tests/llm-stub.py.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jv.h>

#include "buf.h"
#include "llm.h"
#include "suites.h"

START_TEST(test_kinds)
{
	static const char *const names[] = { "openai", "ollama", "anthropic",
	    "llamacpp", "vllm" };
	enum llm_kind k;
	size_t i;

	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(llm_kind_parse(names[i], &k), 0);
		ck_assert_str_eq(llm_kind_name(k), names[i]);
	}
	ck_assert_int_eq(llm_kind_parse("grpc", &k), -1);
	ck_assert_int_eq(llm_kind_parse("", &k), -1);
}
END_TEST

static void
endpoint_is(enum llm_kind k, const char *base, const char *want)
{
	struct buf b = BUF_INIT;

	llm_endpoint(&b, k, base);
	ck_assert_str_eq(b.data, want);
	buf_release(&b);
}

START_TEST(test_endpoint)
{
	endpoint_is(LLM_OPENAI, "http://h/v1", "http://h/v1/chat/completions");
	endpoint_is(LLM_OPENAI, "http://h/v1/", "http://h/v1/chat/completions");
	endpoint_is(LLM_OPENAI, "http://h/v1/chat/completions",
	    "http://h/v1/chat/completions");
	endpoint_is(LLM_VLLM, "http://h:8000/v1", "http://h:8000/v1/chat/completions");
	endpoint_is(LLM_OLLAMA, "http://h:11434", "http://h:11434/api/chat");
	endpoint_is(LLM_OLLAMA, "http://h/api/chat", "http://h/api/chat");
	endpoint_is(LLM_ANTHROPIC, "https://api.anthropic.com",
	    "https://api.anthropic.com/v1/messages");
	endpoint_is(LLM_ANTHROPIC, "https://api.anthropic.com/v1",
	    "https://api.anthropic.com/v1/messages");
	endpoint_is(LLM_ANTHROPIC, "http://h/v1/messages",
	    "http://h/v1/messages");
}
END_TEST

/* Check value (JSON text) against schema (JSON text). */
static int
check(const char *schema, const char *value, struct buf *err)
{
	jv s = jv_parse(schema), v = jv_parse(value);
	int rc;

	ck_assert(jv_is_valid(s));
	ck_assert(jv_is_valid(v));
	buf_reset(err);
	rc = llm_schema_check(s, v, err);
	jv_free(s);
	jv_free(v);
	return rc;
}

START_TEST(test_schema)
{
	struct buf err = BUF_INIT;
	const char *qa = "{\"type\":\"object\",\"properties\":{"
	    "\"q\":{\"type\":\"string\",\"minLength\":2},"
	    "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
	    "\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]},"
	    "\"maxItems\":2}},"
	    "\"required\":[\"q\",\"n\"],\"additionalProperties\":false}";

	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":3}", &err), 0);
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":3,\"tags\":[\"a\"]}",
	    &err), 0);
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\"}", &err), -1);
	ck_assert_str_eq(err.data, "$: missing required field 'n'");
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":\"3\"}", &err), -1);
	ck_assert_str_eq(err.data, "$.n: expected integer, got string");
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":3.5}", &err), -1);
	ck_assert_str_eq(err.data, "$.n: expected integer, got number");
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":9}", &err), -1);
	ck_assert_str_eq(err.data, "$.n: above the maximum 5");
	ck_assert_int_eq(check(qa, "{\"q\":\"h\",\"n\":1}", &err), -1);
	ck_assert_str_eq(err.data, "$.q: shorter than 2");
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":1,\"x\":0}", &err),
	    -1);
	ck_assert_str_eq(err.data, "$: field 'x' is not allowed");
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":1,\"tags\":[\"c\"]}",
	    &err), -1);
	ck_assert_str_eq(err.data, "$.tags[0]: not one of the allowed values");
	ck_assert_int_eq(check(qa, "{\"q\":\"hi\",\"n\":1,"
	    "\"tags\":[\"a\",\"a\",\"b\"]}", &err), -1);
	ck_assert_str_eq(err.data, "$.tags: more than 2 items");
	ck_assert_int_eq(check(qa, "[1]", &err), -1);
	ck_assert_str_eq(err.data, "$: expected object, got array");
	/* A number may be an integer; a type list; no schema at all. */
	ck_assert_int_eq(check("{\"type\":\"number\"}", "4", &err), 0);
	ck_assert_int_eq(check("{\"type\":[\"string\",\"null\"]}", "null",
	    &err), 0);
	ck_assert_int_eq(check("{\"type\":[\"string\",\"null\"]}", "1",
	    &err), -1);
	ck_assert_int_eq(check("{}", "{\"a\":[1,{}]}", &err), 0);
	ck_assert_int_eq(check("{\"const\":3}", "4", &err), -1);
	buf_release(&err);
}
END_TEST

static void
reply_is(const char *reply, const char *want)
{
	jv v = llm_reply_json(reply, strlen(reply)), s;

	if (want == NULL) {
		ck_assert(!jv_is_valid(v));
		jv_free(v);
		return;
	}
	ck_assert_msg(jv_is_valid(v), "no JSON in: %s", reply);
	s = jv_dump_string(v, JV_PRINT_SORTED);
	ck_assert_str_eq(jv_string_value(s), want);
	jv_free(s);
}

START_TEST(test_reply_json)
{
	reply_is("{\"a\":1}", "{\"a\":1}");
	reply_is("  [1, 2]\n", "[1,2]");
	reply_is("Sure!\n```json\n{\"a\": [1]}\n```\nDone.", "{\"a\":[1]}");
	reply_is("```\n{\"b\":2}\n```", "{\"b\":2}");
	reply_is("Here it is: {\"a\": {\"b\": 2}} hope it helps",
	    "{\"a\":{\"b\":2}}");
	reply_is("no json here", NULL);
	reply_is("{\"a\": ", NULL);
	reply_is("", NULL);
}
END_TEST

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/check_llm.XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_prices)
{
	char *path = write_tmp("{\"sample_spec\":{\"mode\":\"chat\"},"
	    "\"gpt-x\":{\"input_cost_per_token\":1e-6,"
	    "\"output_cost_per_token\":4e-6},"
	    "\"m2\":{\"input_per_mtok\":2,\"output_per_mtok\":8}}");
	struct df_err e;
	struct llm_prices *p = llm_prices_load(path, &e);
	double in = 0, out = 0;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(llm_prices_get(p, "gpt-x", &in, &out), 0);
	ck_assert(fabs(in - 1e-6) < 1e-15 && fabs(out - 4e-6) < 1e-15);
	ck_assert_int_eq(llm_prices_get(p, "m2", &in, &out), 0);
	ck_assert(fabs(in - 2e-6) < 1e-15 && fabs(out - 8e-6) < 1e-15);
	ck_assert_int_eq(llm_prices_get(p, "openai/gpt-x", &in, &out), 0);
	ck_assert_int_eq(llm_prices_get(p, "gpt-x-2024-07-18", &in, &out), 0);
	ck_assert_int_eq(llm_prices_get(p, "gpt-x-20240718", &in, &out), 0);
	ck_assert_int_eq(llm_prices_get(p, "sample_spec", &in, &out), -1);
	ck_assert_int_eq(llm_prices_get(p, "gpt-y", &in, &out), -1);
	ck_assert_int_eq(llm_prices_get(NULL, "gpt-x", &in, &out), -1);
	llm_prices_free(p);
	unlink(path);
	free(path);
	ck_assert_ptr_null(llm_prices_load("/nonexistent/prices.json", &e));
	path = write_tmp("[1,2]");
	ck_assert_ptr_null(llm_prices_load(path, &e));
	ck_assert_str_eq(e.reason, "bad-prices");
	unlink(path);
	free(path);
}
END_TEST

static struct llm *
client(enum llm_kind k, const struct llm_prices *prices)
{
	struct llm_config c;
	struct df_err e;
	struct llm *L;

	llm_config_init(&c);
	c.kind = k;
	c.url = "http://127.0.0.1:9/v1";
	c.model = "m2";
	c.prices = prices;
	c.params.max_tokens = 100;
	L = llm_open(&c, &e);
	ck_assert_msg(L != NULL, "llm_open: %s", e.msg);
	return L;
}

static jv
msgs(const char *user)
{
	return JV_ARRAY(JV_OBJECT(jv_string("role"), jv_string("system"),
	    jv_string("content"), jv_string("sys")),
	    JV_OBJECT(jv_string("role"), jv_string("user"),
	    jv_string("content"), jv_string(user)));
}

START_TEST(test_body_and_key)
{
	struct llm *L = client(LLM_OPENAI, NULL);
	struct llm_params p;
	struct llm_call *a, *b, *c, *d;
	char key_a[65];

	llm_params_init(&p);
	p.max_tokens = 50;
	p.temperature = 0.5;
	p.has_seed = 1;
	p.seed = 3;
	a = llm_call_new(L, msgs("hi"), jv_null(), &p, 0, 0);
	ck_assert_str_eq(llm_call_body(a, NULL),
	    "{\"max_tokens\":50,\"messages\":[{\"content\":\"sys\","
	    "\"role\":\"system\"},{\"content\":\"hi\",\"role\":\"user\"}],"
	    "\"model\":\"m2\",\"seed\":3,\"stream\":false,"
	    "\"temperature\":0.5}");
	ck_assert_uint_eq(strlen(llm_call_key(a)), 64);
	strcpy(key_a, llm_call_key(a));
	/* The same request gives the same key; a sample or a word, not. */
	b = llm_call_new(L, msgs("hi"), jv_null(), &p, 0, 0);
	ck_assert_str_eq(llm_call_key(b), key_a);
	c = llm_call_new(L, msgs("hi"), jv_null(), &p, 1, 0);
	ck_assert_str_ne(llm_call_key(c), key_a);
	d = llm_call_new(L, msgs("ho"), jv_null(), &p, 0, 0);
	ck_assert_str_ne(llm_call_key(d), key_a);
	ck_assert_int_gt(llm_call_prompt_tokens(a), 0);
	ck_assert(isnan(llm_call_max_cost(L, a)));
	llm_call_free(a);
	llm_call_free(b);
	llm_call_free(c);
	llm_call_free(d);
	llm_close(L);
}
END_TEST

START_TEST(test_body_kinds)
{
	struct llm *L;
	struct llm_call *c;
	jv schema = JV_OBJECT(jv_string("type"), jv_string("object"));

	L = client(LLM_ANTHROPIC, NULL);
	c = llm_call_new(L, msgs("hi"), jv_copy(schema), NULL, 0, 0);
	ck_assert_str_eq(llm_call_body(c, NULL),
	    "{\"max_tokens\":100,\"messages\":[{\"content\":\"hi\","
	    "\"role\":\"user\"}],\"model\":\"m2\",\"system\":\"sys\","
	    "\"tool_choice\":{\"name\":\"reply\",\"type\":\"tool\"},"
	    "\"tools\":[{\"description\":\"Give the reply in this "
	    "structure.\",\"input_schema\":{\"type\":\"object\"},"
	    "\"name\":\"reply\"}]}");
	llm_call_free(c);
	llm_close(L);
	L = client(LLM_OLLAMA, NULL);
	c = llm_call_new(L, msgs("hi"), jv_copy(schema), NULL, 0, 0);
	ck_assert_str_eq(llm_call_body(c, NULL),
	    "{\"format\":{\"type\":\"object\"},\"messages\":[{\"content\":"
	    "\"sys\",\"role\":\"system\"},{\"content\":\"hi\",\"role\":"
	    "\"user\"}],\"model\":\"m2\",\"options\":{\"num_predict\":100},"
	    "\"stream\":false}");
	llm_call_free(c);
	llm_close(L);
	L = client(LLM_LLAMACPP, NULL);
	c = llm_call_new(L, msgs("hi"), jv_copy(schema), NULL, 0, 0);
	ck_assert_ptr_nonnull(strstr(llm_call_body(c, NULL),
	    "\"json_schema\":{\"type\":\"object\"}"));
	llm_call_free(c);
	llm_close(L);
	L = client(LLM_VLLM, NULL);
	c = llm_call_new(L, msgs("hi"), jv_copy(schema), NULL, 0, 0);
	ck_assert_ptr_nonnull(strstr(llm_call_body(c, NULL),
	    "\"structured_outputs\":{\"json\":{\"type\":\"object\"}}"));
	llm_call_free(c);
	llm_close(L);
	L = client(LLM_OPENAI, NULL);
	c = llm_call_new(L, msgs("hi"), schema, NULL, 0, 0);
	ck_assert_ptr_nonnull(strstr(llm_call_body(c, NULL),
	    "\"response_format\":{\"json_schema\":{\"name\":\"reply\","
	    "\"schema\":{\"type\":\"object\"}},\"type\":\"json_schema\"}"));
	llm_call_free(c);
	llm_close(L);
}
END_TEST

START_TEST(test_bad_request)
{
	struct llm *L = client(LLM_OPENAI, NULL);
	struct llm_call *c;
	const struct llm_result *r;

	c = llm_call_new(L, jv_string("not messages"), jv_null(), NULL, 0, 0);
	llm_submit(L, c);
	llm_wait(L, c);
	r = llm_result(c);
	ck_assert_int_eq(r->ok, 0);
	ck_assert_str_eq(r->reason, "bad-request");
	ck_assert_str_eq(r->error, "messages is not an array");
	llm_call_free(c);
	c = llm_call_new(L, JV_ARRAY(JV_OBJECT(jv_string("role"),
	    jv_number(1))), jv_null(), NULL, 0, 0);
	llm_submit(L, c);
	llm_wait(L, c);
	ck_assert_str_eq(llm_result(c)->reason, "bad-request");
	llm_call_free(c);
	llm_close(L);
}
END_TEST

START_TEST(test_open_checks)
{
	struct llm_config c;
	struct df_err e;
	char *path = write_tmp("{\"m2\":{\"input_per_mtok\":1,"
	    "\"output_per_mtok\":2}}");
	struct llm_prices *p = llm_prices_load(path, &e);
	struct llm *L;
	struct llm_call *k;

	llm_config_init(&c);
	c.model = "m2";
	ck_assert_ptr_null(llm_open(&c, &e));	/* no URL */
	c.url = "ftp://x";
	ck_assert_ptr_null(llm_open(&c, &e));
	c.url = "http://127.0.0.1:9";
	c.max_cost = 1;
	ck_assert_ptr_null(llm_open(&c, &e));	/* no price, no max */
	c.prices = p;
	ck_assert_ptr_null(llm_open(&c, &e));	/* no max_tokens */
	c.params.max_tokens = 1000;
	L = llm_open(&c, &e);
	ck_assert_ptr_nonnull(L);
	k = llm_call_new(L, msgs("hi"), jv_null(), NULL, 0, 0);
	/* prompt tokens at $1/M plus 1000 completion tokens at $2/M */
	ck_assert(fabs(llm_call_max_cost(L, k) -
	    ((double)llm_call_prompt_tokens(k) * 1e-6 + 2e-3)) < 1e-12);
	llm_call_free(k);
	llm_close(L);
	llm_prices_free(p);
	unlink(path);
	free(path);
}
END_TEST

Suite *
llm_suite(void)
{
	Suite *s = suite_create("llm");
	TCase *tc;

	tc = tcase_create("llm");
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_endpoint);
	tcase_add_test(tc, test_schema);
	tcase_add_test(tc, test_reply_json);
	tcase_add_test(tc, test_prices);
	tcase_add_test(tc, test_body_and_key);
	tcase_add_test(tc, test_body_kinds);
	tcase_add_test(tc, test_bad_request);
	tcase_add_test(tc, test_open_checks);
	suite_add_tcase(s, tc);
	return s;
}
