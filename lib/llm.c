/*
 * The LLM client (llm.h): request bodies per endpoint kind, the cache,
 * prices, and the driver thread that runs requests on a curl multi
 * handle with pacing, retries and re-asks.
 */
#define _GNU_SOURCE		/* strptime, timegm */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "hash.h"
#include "json.h"
#include "llm.h"

#define MAX_BODY	(64u << 20)
#define ERRLEN		300

/* Kinds. */

static const char *const kind_names[] = {
	"openai", "ollama", "anthropic", "llamacpp", "vllm"
};

int
llm_kind_parse(const char *s, enum llm_kind *k)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum llm_kind)i;
			return 0;
		}
	return -1;
}

const char *
llm_kind_name(enum llm_kind k)
{
	return kind_names[k];
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

void
llm_endpoint(struct buf *b, enum llm_kind k, const char *base)
{
	size_t n = strlen(base);
	const char *suf;

	while (n > 0 && base[n - 1] == '/')
		n--;
	switch (k) {
	case LLM_OLLAMA:
		suf = "/api/chat";
		break;
	case LLM_ANTHROPIC:
		suf = n >= 3 && strncmp(base + n - 3, "/v1", 3) == 0 ?
		    "/messages" : "/v1/messages";
		if (ends_with(base, "/messages"))
			suf = "";
		break;
	default:
		suf = "/chat/completions";
		break;
	}
	if (*suf != '\0' && n >= strlen(suf) &&
	    strncmp(base + n - strlen(suf), suf, strlen(suf)) == 0)
		suf = "";
	buf_add(b, base, n);
	buf_adds(b, suf);
}

/* Parameters and configuration. */

void
llm_params_init(struct llm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->temperature = -1;
	p->top_p = -1;
}

void
llm_config_init(struct llm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->kind = LLM_OPENAI;
	llm_params_init(&c->params);
	c->concurrency = 8;
	c->max_attempts = 8;
	c->timeout = 600;
	c->connect_timeout = 10;
	c->backoff_base = 0.5;
	c->backoff_max = 30;
	c->cache_read = 1;
	c->max_cost = -1;
}

/* Prices. */

struct llm_prices {
	jv table;		/* model -> [in, out] per token */
};

static double
num_member(jv o, const char *k)
{
	jv v = jv_object_get(jv_copy(o), jv_string(k));
	double d = NAN;

	if (jv_get_kind(v) == JV_KIND_NUMBER)
		d = jv_number_value(v);
	jv_free(v);
	return d;
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char tmp[65536];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		got = read(fd, tmp, sizeof(tmp));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		buf_add(&b, tmp, (size_t)got);
	}
	close(fd);
	if (got < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

struct llm_prices *
llm_prices_load(const char *path, struct df_err *e)
{
	struct llm_prices *p;
	size_t len;
	char *text;
	jv v, t;

	text = slurp(path, &len);
	if (text == NULL) {
		df_err_set(e, "no-prices", "%s: %s", path, strerror(errno));
		return NULL;
	}
	v = jv_parse_sized(text, (int)len);
	free(text);
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		jv msg = jv_is_valid(v) ? jv_string("not a JSON object") :
		    jv_invalid_get_msg(jv_copy(v));

		df_err_set(e, "bad-prices", "%s: %s", path,
		    jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "invalid JSON");
		jv_free(msg);
		jv_free(v);
		return NULL;
	}
	t = jv_object();
	jv_object_foreach(v, k, m) {
		double in = NAN, out = NAN;

		if (jv_get_kind(m) == JV_KIND_OBJECT) {
			in = num_member(m, "input_cost_per_token");
			out = num_member(m, "output_cost_per_token");
			if (isnan(in) && !isnan(num_member(m,
			    "input_per_mtok")))
				in = num_member(m, "input_per_mtok") / 1e6;
			if (isnan(out) && !isnan(num_member(m,
			    "output_per_mtok")))
				out = num_member(m, "output_per_mtok") / 1e6;
		}
		if (!isnan(in) && !isnan(out))
			t = jv_object_set(t, jv_copy(k), JV_ARRAY(
			    jv_number(in), jv_number(out)));
		jv_free(k);
		jv_free(m);
	}
	jv_free(v);
	p = df_xmalloc(sizeof(*p));
	p->table = t;
	return p;
}

void
llm_prices_free(struct llm_prices *p)
{
	if (p == NULL)
		return;
	jv_free(p->table);
	free(p);
}

static int
prices_find(const struct llm_prices *p, const char *model, double *in,
    double *out)
{
	jv v = jv_object_get(jv_copy(p->table), jv_string(model));
	int rc = -1;

	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv a = jv_array_get(jv_copy(v), 0), b = jv_array_get(
		    jv_copy(v), 1);

		*in = jv_number_value(a);
		*out = jv_number_value(b);
		jv_free(a);
		jv_free(b);
		rc = 0;
	}
	jv_free(v);
	return rc;
}

int
llm_prices_get(const struct llm_prices *p, const char *model, double *in,
    double *out)
{
	const char *slash;
	char *m;
	size_t n;
	int rc;

	if (p == NULL || model == NULL)
		return -1;
	if (prices_find(p, model, in, out) == 0)
		return 0;
	slash = strrchr(model, '/');
	if (slash != NULL && prices_find(p, slash + 1, in, out) == 0)
		return 0;
	/* A date suffix: -2024-07-18 or -20240718. */
	m = df_xstrdup(slash != NULL ? slash + 1 : model);
	n = strlen(m);
	rc = -1;
	if (n > 11 && m[n - 11] == '-' && m[n - 6] == '-' && m[n - 3] == '-') {
		m[n - 11] = '\0';
		rc = prices_find(p, m, in, out);
	} else if (n > 9 && m[n - 9] == '-' &&
	    strspn(m + n - 8, "0123456789") == 8) {
		m[n - 9] = '\0';
		rc = prices_find(p, m, in, out);
	}
	free(m);
	return rc;
}

/* The client. */

enum call_state { CALL_NEW, CALL_QUEUED, CALL_RUNNING, CALL_DONE };

struct llm_call {
	struct llm *L;
	struct buf body;
	char key[65];
	unsigned sample;
	long prompt_tokens;
	long max_tokens;
	int reask_left;
	char *schema;		/* compact JSON text, or NULL */
	double max_cost;	/* reserved while running */
	/* Driver state. */
	enum call_state state;
	int done;		/* under L->mu */
	int attempt;		/* of the current request */
	double next_time;	/* not before (monotonic seconds) */
	double started;
	double retry_after;	/* from the last answer, seconds; < 0 none */
	int should_retry;	/* x-should-retry: -1 unsaid, 0, 1 */
	double rl_req_remaining, rl_req_reset, rl_tok_remaining,
	    rl_tok_reset;
	CURL *easy;
	struct buf resp;
	int resp_too_big;
	char lasterr[ERRLEN];
	const char *lastreason;
	struct llm_call *next;
	/* Result. */
	struct llm_result r;
	struct buf content, value;
	char *finish, *model;
	char error[ERRLEN];
};

struct llm {
	struct llm_config cfg;
	char *url;
	char *auth;		/* the header line with the key, or NULL */
	struct curl_slist *headers;
	double price_in, price_out;
	int priced;

	pthread_mutex_t mu;
	pthread_cond_t done_cv;
	pthread_t tid;
	int started, closing;
	CURLM *multi;
	struct llm_call *in_head, *in_tail;	/* submitted, under mu */
	const char *stopped;	/* under mu */

	/* Driver thread only. */
	struct llm_call *ready_head, *ready_tail, *delayed;
	int running;
	double cap;		/* AIMD concurrency */
	int streak;
	double next_rpm;
	double tpm_level, tpm_time;
	double hold_until;
	double reserved;
	uint64_t rnd;

	/* Totals, under mu. */
	struct llm_totals tot;
};

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct llm *
llm_open(const struct llm_config *c, struct df_err *e)
{
	struct llm *L;
	struct buf b = BUF_INIT;
	const char *env, *key;

	if (c->url == NULL || *c->url == '\0') {
		df_err_set(e, "usage", "no endpoint URL");
		return NULL;
	}
	if (strncmp(c->url, "http://", 7) != 0 &&
	    strncmp(c->url, "https://", 8) != 0) {
		df_err_set(e, "usage", "endpoint '%s' is not an http:// or "
		    "https:// URL", c->url);
		return NULL;
	}
	if (c->model == NULL || *c->model == '\0') {
		df_err_set(e, "usage", "no model named");
		return NULL;
	}
	L = df_xcalloc(1, sizeof(*L));
	L->cfg = *c;
	if (L->cfg.concurrency < 1)
		L->cfg.concurrency = 1;
	if (L->cfg.max_attempts < 1)
		L->cfg.max_attempts = 1;
	if (L->cfg.kind == LLM_ANTHROPIC && L->cfg.params.max_tokens <= 0)
		L->cfg.params.max_tokens = 1024;
	L->priced = llm_prices_get(c->prices, c->model, &L->price_in,
	    &L->price_out) == 0;
	if (c->max_cost >= 0 && !L->priced) {
		df_err_set(e, "usage", "--max-cost: no price for model '%s' "
		    "(give one with --prices)", c->model);
		free(L);
		return NULL;
	}
	if (c->max_cost >= 0 && L->cfg.params.max_tokens <= 0) {
		df_err_set(e, "usage", "--max-cost needs --max-tokens");
		free(L);
		return NULL;
	}
	if (c->cache_dir != NULL) {
		if (mkdir(c->cache_dir, 0777) != 0 && errno != EEXIST) {
			df_err_set(e, "usage", "%s: %s", c->cache_dir,
			    strerror(errno));
			free(L);
			return NULL;
		}
	}
	llm_endpoint(&b, c->kind, c->url);
	L->url = buf_detach(&b, NULL);
	env = c->api_key_env;
	if (env == NULL)
		env = c->kind == LLM_ANTHROPIC ? "ANTHROPIC_API_KEY" :
		    "OPENAI_API_KEY";
	key = getenv(env);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die("cannot initialise libcurl");
	L->headers = curl_slist_append(NULL, "Content-Type: application/json");
	L->headers = curl_slist_append(L->headers, "Expect:");
	if (key != NULL && *key != '\0') {
		if (c->kind == LLM_ANTHROPIC)
			buf_addf(&b, "x-api-key: %s", key);
		else
			buf_addf(&b, "Authorization: Bearer %s", key);
		L->headers = curl_slist_append(L->headers, b.data);
		/* Not kept anywhere else: wipe our copy. */
		memset(b.data, 0, b.len);
		buf_release(&b);
	}
	if (c->kind == LLM_ANTHROPIC)
		L->headers = curl_slist_append(L->headers,
		    "anthropic-version: 2023-06-01");
	pthread_mutex_init(&L->mu, NULL);
	pthread_cond_init(&L->done_cv, NULL);
	L->cap = L->cfg.concurrency;
	L->rnd = c->seed ^ 0x9e3779b97f4a7c15ULL;
	L->tpm_level = L->cfg.tpm > 0 ? L->cfg.tpm / 10 : 0;
	L->tpm_time = now_mono();
	L->next_rpm = 0;
	return L;
}

/* Request bodies. */

static int
messages_ok(jv m, char *err, size_t errsz)
{
	int i, n;

	if (jv_get_kind(m) != JV_KIND_ARRAY) {
		snprintf(err, errsz, "messages is not an array");
		return -1;
	}
	n = jv_array_length(jv_copy(m));
	if (n == 0) {
		snprintf(err, errsz, "no messages");
		return -1;
	}
	for (i = 0; i < n; i++) {
		jv x = jv_array_get(jv_copy(m), i);
		jv role, content;
		int bad;

		if (jv_get_kind(x) != JV_KIND_OBJECT) {
			jv_free(x);
			snprintf(err, errsz, "message %d is not an object", i);
			return -1;
		}
		role = jv_object_get(jv_copy(x), jv_string("role"));
		content = jv_object_get(x, jv_string("content"));
		bad = jv_get_kind(role) != JV_KIND_STRING ||
		    (jv_get_kind(content) != JV_KIND_STRING &&
		    jv_get_kind(content) != JV_KIND_ARRAY);
		jv_free(role);
		jv_free(content);
		if (bad) {
			snprintf(err, errsz, "message %d needs a string role "
			    "and a string content", i);
			return -1;
		}
	}
	return 0;
}

/* The text of a message's content (a string, or parts with "text"). */
static void
content_text(jv content, struct buf *b)
{
	if (jv_get_kind(content) == JV_KIND_STRING) {
		buf_add(b, jv_string_value(content),
		    (size_t)jv_string_length_bytes(jv_copy(content)));
	} else if (jv_get_kind(content) == JV_KIND_ARRAY) {
		jv_array_foreach(content, i, part) {
			jv t = jv_get_kind(part) == JV_KIND_OBJECT ?
			    jv_object_get(jv_copy(part), jv_string("text")) :
			    jv_invalid();

			(void)i;
			if (jv_get_kind(t) == JV_KIND_STRING)
				buf_add(b, jv_string_value(t),
				    (size_t)jv_string_length_bytes(
				    jv_copy(t)));
			jv_free(t);
			jv_free(part);
		}
	}
	jv_free(content);
}

static jv
stop_array(const struct llm_params *p)
{
	jv a = jv_array();
	int i;

	for (i = 0; i < p->nstop; i++)
		a = jv_array_append(a, jv_string(p->stop[i]));
	return a;
}

/* Build the body of kind k.  Consumes messages and schema. */
static jv
build_body(enum llm_kind k, const char *model, jv messages, jv schema,
    const struct llm_params *p)
{
	jv body = jv_object();
	int has_schema = jv_get_kind(schema) == JV_KIND_OBJECT;

	body = jv_object_set(body, jv_string("model"), jv_string(model));
	if (k == LLM_ANTHROPIC) {
		struct buf sys = BUF_INIT;
		jv rest = jv_array();

		jv_array_foreach(messages, i, m) {
			jv role = jv_object_get(jv_copy(m), jv_string("role"));

			(void)i;
			if (strcmp(jv_string_value(role), "system") == 0) {
				if (sys.len > 0)
					buf_adds(&sys, "\n\n");
				content_text(jv_object_get(jv_copy(m),
				    jv_string("content")), &sys);
				jv_free(m);
			} else
				rest = jv_array_append(rest, m);
			jv_free(role);
		}
		jv_free(messages);
		if (sys.len > 0)
			body = jv_object_set(body, jv_string("system"),
			    jv_string_sized(sys.data, (int)sys.len));
		buf_release(&sys);
		body = jv_object_set(body, jv_string("messages"), rest);
		body = jv_object_set(body, jv_string("max_tokens"),
		    jv_number((double)(p->max_tokens > 0 ? p->max_tokens :
		    1024)));
		if (p->temperature >= 0)
			body = jv_object_set(body, jv_string("temperature"),
			    jv_number(p->temperature));
		if (p->top_p >= 0)
			body = jv_object_set(body, jv_string("top_p"),
			    jv_number(p->top_p));
		if (p->nstop > 0)
			body = jv_object_set(body, jv_string(
			    "stop_sequences"), stop_array(p));
		if (has_schema) {
			jv tool = jv_object();

			tool = jv_object_set(tool, jv_string("name"),
			    jv_string("reply"));
			tool = jv_object_set(tool, jv_string("description"),
			    jv_string("Give the reply in this structure."));
			tool = jv_object_set(tool, jv_string("input_schema"),
			    schema);
			body = jv_object_set(body, jv_string("tools"),
			    JV_ARRAY(tool));
			body = jv_object_set(body, jv_string("tool_choice"),
			    JV_OBJECT(jv_string("type"), jv_string("tool"),
			    jv_string("name"), jv_string("reply")));
		} else
			jv_free(schema);
		return body;
	}
	body = jv_object_set(body, jv_string("messages"), messages);
	body = jv_object_set(body, jv_string("stream"), jv_false());
	if (k == LLM_OLLAMA) {
		jv opt = jv_object();

		if (p->temperature >= 0)
			opt = jv_object_set(opt, jv_string("temperature"),
			    jv_number(p->temperature));
		if (p->top_p >= 0)
			opt = jv_object_set(opt, jv_string("top_p"),
			    jv_number(p->top_p));
		if (p->max_tokens > 0)
			opt = jv_object_set(opt, jv_string("num_predict"),
			    jv_number((double)p->max_tokens));
		if (p->has_seed)
			opt = jv_object_set(opt, jv_string("seed"),
			    jv_number((double)p->seed));
		if (p->nstop > 0)
			opt = jv_object_set(opt, jv_string("stop"),
			    stop_array(p));
		body = jv_object_set(body, jv_string("options"), opt);
		if (has_schema)
			body = jv_object_set(body, jv_string("format"), schema);
		else
			jv_free(schema);
		return body;
	}
	if (p->temperature >= 0)
		body = jv_object_set(body, jv_string("temperature"),
		    jv_number(p->temperature));
	if (p->top_p >= 0)
		body = jv_object_set(body, jv_string("top_p"),
		    jv_number(p->top_p));
	if (p->max_tokens > 0)
		body = jv_object_set(body, jv_string("max_tokens"),
		    jv_number((double)p->max_tokens));
	if (p->has_seed)
		body = jv_object_set(body, jv_string("seed"),
		    jv_number((double)p->seed));
	if (p->nstop > 0)
		body = jv_object_set(body, jv_string("stop"), stop_array(p));
	if (!has_schema) {
		jv_free(schema);
		return body;
	}
	switch (k) {
	case LLM_LLAMACPP:
		body = jv_object_set(body, jv_string("json_schema"), schema);
		break;
	case LLM_VLLM:
		body = jv_object_set(body, jv_string("structured_outputs"),
		    JV_OBJECT(jv_string("json"), schema));
		break;
	default:
		body = jv_object_set(body, jv_string("response_format"),
		    JV_OBJECT(jv_string("type"), jv_string("json_schema"),
		    jv_string("json_schema"), JV_OBJECT(jv_string("name"),
		    jv_string("reply"), jv_string("schema"), schema)));
		break;
	}
	return body;
}

static size_t
count_tokens(struct llm *L, const char *s, size_t len)
{
	if (L->cfg.count != NULL)
		return L->cfg.count(L->cfg.count_arg, s, len);
	/* No tokenizer given: a rough estimate. */
	return (len + 3) / 4;
}

/* Prompt tokens of a body: each message's text, plus 4 per message. */
static long
body_prompt_tokens(struct llm *L, jv body)
{
	jv m = jv_object_get(jv_copy(body), jv_string("messages"));
	jv sys = jv_object_get(jv_copy(body), jv_string("system"));
	struct buf b = BUF_INIT;
	long n = 0;

	if (jv_get_kind(sys) == JV_KIND_STRING) {
		n += 4 + (long)count_tokens(L, jv_string_value(sys),
		    (size_t)jv_string_length_bytes(jv_copy(sys)));
	}
	jv_free(sys);
	if (jv_get_kind(m) == JV_KIND_ARRAY) {
		jv_array_foreach(m, i, x) {
			(void)i;
			buf_reset(&b);
			if (jv_get_kind(x) == JV_KIND_OBJECT)
				content_text(jv_object_get(jv_copy(x),
				    jv_string("content")), &b);
			n += 4 + (long)count_tokens(L, b.data ? b.data : "",
			    b.len);
			jv_free(x);
		}
	}
	jv_free(m);
	buf_release(&b);
	return n + 3;
}

/* Set c's body (consumed) and key. */
static void
call_set_body(struct llm_call *c, jv body)
{
	struct sha256 h;
	char num[32];

	c->prompt_tokens = body_prompt_tokens(c->L, body);
	body = jv_dump_string(body, JV_PRINT_SORTED);
	buf_reset(&c->body);
	buf_add(&c->body, jv_string_value(body),
	    (size_t)jv_string_length_bytes(jv_copy(body)));
	jv_free(body);
	sha256_init(&h);
	sha256_update(&h, "df-llm v1\n", 10);
	sha256_update(&h, llm_kind_name(c->L->cfg.kind),
	    strlen(llm_kind_name(c->L->cfg.kind)));
	sha256_update(&h, "\n", 1);
	sha256_update(&h, c->body.data, c->body.len);
	snprintf(num, sizeof(num), "\n%u", c->sample);
	sha256_update(&h, num, strlen(num));
	sha256_final_hex(&h, c->key);
}

static void
call_fail(struct llm_call *c, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
call_fail(struct llm_call *c, const char *reason, const char *fmt, ...)
{
	va_list ap;

	c->r.ok = 0;
	c->r.reason = reason;
	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	c->r.error = c->error;
}

struct llm_call *
llm_call_new(struct llm *L, jv messages, jv schema,
    const struct llm_params *p, unsigned sample, int reask)
{
	struct llm_call *c = df_xcalloc(1, sizeof(*c));
	char err[200];

	c->L = L;
	c->sample = sample;
	c->reask_left = reask;
	c->r.prompt_tokens = -1;
	c->r.completion_tokens = -1;
	c->r.cost = 0;
	c->retry_after = -1;
	if (p == NULL)
		p = &L->cfg.params;
	c->max_tokens = p->max_tokens > 0 ? p->max_tokens :
	    L->cfg.params.max_tokens;
	if (messages_ok(messages, err, sizeof(err)) < 0) {
		jv_free(messages);
		jv_free(schema);
		call_fail(c, "bad-request", "%s", err);
		c->state = CALL_DONE;
		c->done = 1;
		return c;
	}
	if (jv_get_kind(schema) == JV_KIND_OBJECT) {
		jv s = jv_dump_string(jv_copy(schema), JV_PRINT_SORTED);

		c->schema = df_xstrdup(jv_string_value(s));
		jv_free(s);
	}
	call_set_body(c, build_body(L->cfg.kind, L->cfg.model, messages,
	    schema, p));
	return c;
}

const char *
llm_call_key(const struct llm_call *c)
{
	return c->key;
}

const char *
llm_call_body(const struct llm_call *c, size_t *len)
{
	if (len != NULL)
		*len = c->body.len;
	return c->body.data ? c->body.data : "";
}

long
llm_call_prompt_tokens(const struct llm_call *c)
{
	return c->prompt_tokens;
}

double
llm_call_max_cost(struct llm *L, const struct llm_call *c)
{
	if (!L->priced || c->max_tokens <= 0)
		return NAN;
	return (double)c->prompt_tokens * L->price_in +
	    (double)c->max_tokens * L->price_out;
}

void
llm_call_free(struct llm_call *c)
{
	if (c == NULL)
		return;
	buf_release(&c->body);
	buf_release(&c->resp);
	buf_release(&c->content);
	buf_release(&c->value);
	free(c->schema);
	free(c->finish);
	free(c->model);
	free(c);
}

const struct llm_result *
llm_result(const struct llm_call *c)
{
	return &c->r;
}

/* The cache. */

static char *
cache_path(struct llm *L, const char *key, int tmp)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%.2s", L->cfg.cache_dir, key);
	if (tmp == 1)
		return buf_detach(&b, NULL);
	buf_addf(&b, "/%s.json", key + 2);
	if (tmp == 2)
		buf_addf(&b, ".tmp.%ld.%p", (long)getpid(), (void *)&b);
	return buf_detach(&b, NULL);
}

static char *
cache_read(struct llm *L, const char *key, size_t *len)
{
	char *p, *text;

	if (L->cfg.cache_dir == NULL || !L->cfg.cache_read)
		return NULL;
	p = cache_path(L, key, 0);
	text = slurp(p, len);
	free(p);
	return text;
}

int
llm_call_cached(struct llm *L, const struct llm_call *c)
{
	char *p;
	int rc;

	if (L->cfg.cache_dir == NULL || !L->cfg.cache_read ||
	    c->body.len == 0)
		return 0;
	p = cache_path(L, c->key, 0);
	rc = access(p, R_OK) == 0;
	free(p);
	return rc;
}

/* Write the raw reply for key, atomically.  Returns 0 or -1. */
static int
cache_write(struct llm *L, const char *key, const char *data, size_t len)
{
	char *dir, *tmp, *path;
	int fd, rc = -1;
	size_t off = 0;
	ssize_t w;

	if (L->cfg.cache_dir == NULL)
		return 0;
	dir = cache_path(L, key, 1);
	tmp = cache_path(L, key, 2);
	path = cache_path(L, key, 0);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		goto out;
	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) != 0 || off < len || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		warnmsg_errno("cache: %s", path);
	free(dir);
	free(tmp);
	free(path);
	return rc;
}

/* Replies. */

/* The error message of an error body, for messages. */
static void
error_message(const char *s, size_t len, char *out, size_t outsz)
{
	jv v = jv_parse_sized(s, (int)len), e, m;

	*out = '\0';
	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		e = jv_object_get(jv_copy(v), jv_string("error"));
		if (jv_get_kind(e) == JV_KIND_OBJECT)
			m = jv_object_get(jv_copy(e), jv_string("message"));
		else if (jv_get_kind(e) == JV_KIND_STRING)
			m = jv_copy(e);
		else
			m = jv_object_get(jv_copy(v), jv_string("message"));
		if (jv_get_kind(m) == JV_KIND_STRING)
			snprintf(out, outsz, "%.200s", jv_string_value(m));
		jv_free(m);
		jv_free(e);
	}
	jv_free(v);
	if (*out == '\0' && len > 0) {
		size_t n = len < 120 ? len : 120, i;

		for (i = 0; i < n && i + 1 < outsz; i++)
			out[i] = s[i] >= ' ' && s[i] < 127 ? s[i] : ' ';
		out[i] = '\0';
	}
}

/* Whether an error body says quota or spend limit: not retryable. */
static int
is_quota(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	int q;

	buf_add(&b, s, len);
	q = b.data != NULL && (strstr(b.data, "insufficient_quota") != NULL ||
	    strstr(b.data, "enforced_spend_limit_reached") != NULL ||
	    strstr(b.data, "billing_hard_limit_reached") != NULL);
	buf_release(&b);
	return q;
}

static long
usage_num(jv u, const char *k)
{
	double d = num_member(u, k);

	return isnan(d) ? -1 : (long)d;
}

static void
set_str(char **dst, jv s)
{
	free(*dst);
	*dst = jv_get_kind(s) == JV_KIND_STRING ?
	    df_xstrdup(jv_string_value(s)) : NULL;
	jv_free(s);
}

/*
 * Read a 200 reply of c's kind into c's result (content, finish, usage,
 * model).  Returns 0, or -1 with a message in err when the envelope is
 * not what the kind answers.
 */
static int
parse_reply(struct llm_call *c, const char *s, size_t len, long *pt,
    long *ct, char *err, size_t errsz)
{
	enum llm_kind k = c->L->cfg.kind;
	jv v = jv_parse_sized(s, (int)len), x, msg, u;
	int rc = -1;

	*pt = *ct = -1;
	buf_reset(&c->content);
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		snprintf(err, errsz, "reply is not a JSON object");
		jv_free(v);
		return -1;
	}
	set_str(&c->model, jv_object_get(jv_copy(v), jv_string("model")));
	if (k == LLM_OLLAMA) {
		msg = jv_object_get(jv_copy(v), jv_string("message"));
		x = jv_get_kind(msg) == JV_KIND_OBJECT ? jv_object_get(
		    jv_copy(msg), jv_string("content")) : jv_invalid();
		if (jv_get_kind(x) == JV_KIND_STRING) {
			content_text(x, &c->content);
			rc = 0;
		} else {
			jv_free(x);
			snprintf(err, errsz, "reply has no message.content");
		}
		jv_free(msg);
		x = jv_object_get(jv_copy(v), jv_string("done_reason"));
		if (jv_get_kind(x) != JV_KIND_STRING) {
			jv_free(x);
			x = jv_string("stop");
		}
		set_str(&c->finish, x);
		*pt = usage_num(v, "prompt_eval_count");
		*ct = usage_num(v, "eval_count");
	} else if (k == LLM_ANTHROPIC) {
		x = jv_object_get(jv_copy(v), jv_string("content"));
		if (jv_get_kind(x) == JV_KIND_ARRAY) {
			rc = 0;
			jv_array_foreach(x, i, blk) {
				jv t = jv_object_get(jv_copy(blk),
				    jv_string("type"));

				(void)i;
				if (jv_get_kind(t) == JV_KIND_STRING &&
				    strcmp(jv_string_value(t), "tool_use") ==
				    0) {
					jv in = jv_dump_string(jv_object_get(
					    jv_copy(blk), jv_string("input")),
					    0);

					buf_reset(&c->content);
					buf_adds(&c->content,
					    jv_string_value(in));
					jv_free(in);
				} else if (jv_get_kind(t) == JV_KIND_STRING &&
				    strcmp(jv_string_value(t), "text") == 0)
					content_text(jv_object_get(jv_copy(
					    blk), jv_string("text")),
					    &c->content);
				jv_free(t);
				jv_free(blk);
			}
		} else
			snprintf(err, errsz, "reply has no content array");
		jv_free(x);
		x = jv_object_get(jv_copy(v), jv_string("stop_reason"));
		set_str(&c->finish, x);
		if (c->finish != NULL && strcmp(c->finish, "max_tokens") == 0) {
			free(c->finish);
			c->finish = df_xstrdup("length");
		}
		u = jv_object_get(jv_copy(v), jv_string("usage"));
		if (jv_get_kind(u) == JV_KIND_OBJECT) {
			*pt = usage_num(u, "input_tokens");
			*ct = usage_num(u, "output_tokens");
		}
		jv_free(u);
	} else {
		x = jv_object_get(jv_copy(v), jv_string("choices"));
		if (jv_get_kind(x) == JV_KIND_ARRAY &&
		    jv_array_length(jv_copy(x)) > 0) {
			jv ch = jv_array_get(jv_copy(x), 0);

			msg = jv_get_kind(ch) == JV_KIND_OBJECT ?
			    jv_object_get(jv_copy(ch), jv_string("message")) :
			    jv_invalid();
			if (jv_get_kind(msg) == JV_KIND_OBJECT) {
				jv ct_ = jv_object_get(jv_copy(msg),
				    jv_string("content"));
				jv ref = jv_object_get(jv_copy(msg),
				    jv_string("refusal"));

				if (jv_get_kind(ct_) == JV_KIND_STRING ||
				    jv_get_kind(ct_) == JV_KIND_ARRAY) {
					content_text(ct_, &c->content);
					rc = 0;
				} else if (jv_get_kind(ref) ==
				    JV_KIND_STRING) {
					jv_free(ct_);
					snprintf(err, errsz, "refused: %.200s",
					    jv_string_value(ref));
					rc = -2;
				} else {
					jv_free(ct_);
					/* null content: an empty reply */
					rc = 0;
				}
				jv_free(ref);
			} else
				snprintf(err, errsz, "reply has no "
				    "choices[0].message");
			jv_free(msg);
			if (jv_get_kind(ch) == JV_KIND_OBJECT)
				set_str(&c->finish, jv_object_get(jv_copy(ch),
				    jv_string("finish_reason")));
			jv_free(ch);
		} else
			snprintf(err, errsz, "reply has no choices");
		jv_free(x);
		u = jv_object_get(jv_copy(v), jv_string("usage"));
		if (jv_get_kind(u) == JV_KIND_OBJECT) {
			*pt = usage_num(u, "prompt_tokens");
			*ct = usage_num(u, "completion_tokens");
		}
		jv_free(u);
	}
	jv_free(v);
	return rc;
}

jv
llm_reply_json(const char *s, size_t len)
{
	const char *p, *q, *end = s + len;
	jv v;

	v = jv_parse_sized(s, (int)len);
	if (jv_is_valid(v))
		return v;
	jv_free(v);
	/* A ```json ... ``` fence. */
	p = memmem(s, len, "```", 3);
	if (p != NULL) {
		p += 3;
		while (p < end && *p != '\n')
			p++;
		q = p < end ? memmem(p, (size_t)(end - p), "```", 3) : NULL;
		if (q != NULL) {
			v = jv_parse_sized(p, (int)(q - p));
			if (jv_is_valid(v))
				return v;
			jv_free(v);
		}
	}
	/* The first { to the last }. */
	p = memchr(s, '{', len);
	q = NULL;
	for (const char *r = end; r > s; r--)
		if (r[-1] == '}') {
			q = r;
			break;
		}
	if (p != NULL && q != NULL && q > p) {
		v = jv_parse_sized(p, (int)(q - p));
		if (jv_is_valid(v))
			return v;
		jv_free(v);
	}
	return jv_invalid_with_msg(jv_string("the reply is not JSON"));
}

/* Schema checking. */

static const char *
kind_word(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		return "null";
	case JV_KIND_TRUE:
	case JV_KIND_FALSE:
		return "boolean";
	case JV_KIND_NUMBER:
		return jv_is_integer(v) ? "integer" : "number";
	case JV_KIND_STRING:
		return "string";
	case JV_KIND_ARRAY:
		return "array";
	case JV_KIND_OBJECT:
		return "object";
	default:
		return "invalid";
	}
}

static int
type_matches(const char *t, jv v)
{
	const char *k = kind_word(v);

	if (strcmp(t, k) == 0)
		return 1;
	return strcmp(t, "number") == 0 && strcmp(k, "integer") == 0;
}

static int schema_at(jv schema, jv value, struct buf *path, struct buf *err);

static int
schema_fail(struct buf *err, struct buf *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
schema_fail(struct buf *err, struct buf *path, const char *fmt, ...)
{
	va_list ap;

	buf_reset(err);
	buf_adds(err, path->len ? path->data : "$");
	buf_adds(err, ": ");
	va_start(ap, fmt);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	return -1;
}

static int
schema_at(jv schema, jv value, struct buf *path, struct buf *err)
{
	jv t, x;
	double d;
	int rc = 0;

	if (jv_get_kind(schema) != JV_KIND_OBJECT)
		return 0;
	t = jv_object_get(jv_copy(schema), jv_string("type"));
	if (jv_get_kind(t) == JV_KIND_STRING) {
		if (!type_matches(jv_string_value(t), value))
			rc = schema_fail(err, path, "expected %s, got %s",
			    jv_string_value(t), kind_word(value));
	} else if (jv_get_kind(t) == JV_KIND_ARRAY) {
		int any = 0;

		jv_array_foreach(t, i, one) {
			(void)i;
			if (jv_get_kind(one) == JV_KIND_STRING &&
			    type_matches(jv_string_value(one), value))
				any = 1;
			jv_free(one);
		}
		if (!any)
			rc = schema_fail(err, path, "type %s is not allowed",
			    kind_word(value));
	}
	jv_free(t);
	if (rc < 0)
		return rc;
	x = jv_object_get(jv_copy(schema), jv_string("enum"));
	if (jv_get_kind(x) == JV_KIND_ARRAY) {
		int any = 0;

		jv_array_foreach(x, i, one) {
			(void)i;
			if (jv_equal(one, jv_copy(value)))
				any = 1;
		}
		if (!any)
			rc = schema_fail(err, path, "not one of the allowed "
			    "values");
	}
	jv_free(x);
	if (rc < 0)
		return rc;
	x = jv_object_get(jv_copy(schema), jv_string("const"));
	if (jv_is_valid(x) && !jv_equal(jv_copy(x), jv_copy(value))) {
		jv_free(x);
		return schema_fail(err, path, "not the required value");
	}
	jv_free(x);
	switch (jv_get_kind(value)) {
	case JV_KIND_STRING:
		d = num_member(schema, "minLength");
		if (!isnan(d) && jv_string_length_codepoints(jv_copy(value)) <
		    d)
			return schema_fail(err, path, "shorter than %g", d);
		d = num_member(schema, "maxLength");
		if (!isnan(d) && jv_string_length_codepoints(jv_copy(value)) >
		    d)
			return schema_fail(err, path, "longer than %g", d);
		break;
	case JV_KIND_NUMBER:
		d = num_member(schema, "minimum");
		if (!isnan(d) && jv_number_value(value) < d)
			return schema_fail(err, path, "below the minimum %g",
			    d);
		d = num_member(schema, "maximum");
		if (!isnan(d) && jv_number_value(value) > d)
			return schema_fail(err, path, "above the maximum %g",
			    d);
		break;
	case JV_KIND_ARRAY: {
		int n = jv_array_length(jv_copy(value));
		size_t plen = path->len;

		d = num_member(schema, "minItems");
		if (!isnan(d) && n < d)
			return schema_fail(err, path, "fewer than %g items", d);
		d = num_member(schema, "maxItems");
		if (!isnan(d) && n > d)
			return schema_fail(err, path, "more than %g items", d);
		x = jv_object_get(jv_copy(schema), jv_string("items"));
		if (jv_get_kind(x) == JV_KIND_OBJECT) {
			jv_array_foreach(value, i, it) {
				if (rc == 0) {
					if (path->len == 0)
						buf_adds(path, "$");
					buf_addf(path, "[%d]", i);
					rc = schema_at(x, it, path, err);
					path->len = plen;
					if (path->data)
						path->data[plen] = '\0';
				}
				jv_free(it);
			}
		}
		jv_free(x);
		return rc;
	}
	case JV_KIND_OBJECT: {
		size_t plen = path->len;
		jv props = jv_object_get(jv_copy(schema),
		    jv_string("properties"));
		jv req = jv_object_get(jv_copy(schema), jv_string("required"));
		jv addl = jv_object_get(jv_copy(schema),
		    jv_string("additionalProperties"));

		if (jv_get_kind(req) == JV_KIND_ARRAY) {
			jv_array_foreach(req, i, k) {
				(void)i;
				if (rc == 0 && jv_get_kind(k) ==
				    JV_KIND_STRING && !jv_object_has(
				    jv_copy(value), jv_copy(k)))
					rc = schema_fail(err, path, "missing "
					    "required field '%s'",
					    jv_string_value(k));
				jv_free(k);
			}
		}
		if (rc == 0 && jv_get_kind(props) == JV_KIND_OBJECT) {
			jv_object_foreach(value, k, v) {
				jv ps = jv_object_get(jv_copy(props),
				    jv_copy(k));

				if (rc == 0 && jv_is_valid(ps)) {
					if (path->len == 0)
						buf_adds(path, "$");
					buf_addf(path, ".%s",
					    jv_string_value(k));
					rc = schema_at(ps, v, path, err);
					path->len = plen;
					if (path->data)
						path->data[plen] = '\0';
				} else if (rc == 0 && jv_get_kind(addl) ==
				    JV_KIND_FALSE)
					rc = schema_fail(err, path, "field "
					    "'%s' is not allowed",
					    jv_string_value(k));
				jv_free(ps);
				jv_free(k);
				jv_free(v);
			}
		}
		jv_free(props);
		jv_free(req);
		jv_free(addl);
		return rc;
	}
	default:
		break;
	}
	return 0;
}

int
llm_schema_check(jv schema, jv value, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc;

	rc = schema_at(schema, value, &path, err);
	buf_release(&path);
	return rc;
}

/*
 * After a 200: judge the reply in c->content.  Returns 0 when c is
 * complete (ok or failed), 1 when c now holds a re-ask to send.
 */
static int
judge_reply(struct llm_call *c)
{
	struct buf err = BUF_INIT;
	jv schema, v, body, msgs;
	int rc = 0;

	if (c->finish != NULL && strcmp(c->finish, "length") == 0) {
		call_fail(c, "length", "the reply was cut at max tokens "
		    "(finish_reason length)");
		return 0;
	}
	if (c->schema == NULL) {
		c->r.ok = 1;
		return 0;
	}
	v = llm_reply_json(c->content.data ? c->content.data : "",
	    c->content.len);
	if (!jv_is_valid(v)) {
		jv_free(v);
		buf_adds(&err, "the reply is not JSON");
	} else {
		schema = jv_parse(c->schema);
		if (llm_schema_check(schema, v, &err) == 0) {
			jv d = jv_dump_string(jv_copy(v), 0);

			buf_reset(&c->value);
			buf_adds(&c->value, jv_string_value(d));
			jv_free(d);
			c->r.ok = 1;
		}
		jv_free(schema);
		jv_free(v);
	}
	if (c->r.ok) {
		buf_release(&err);
		return 0;
	}
	if (c->reask_left <= 0) {
		call_fail(c, "schema", "the reply does not follow the schema: "
		    "%.200s", err.data);
		buf_release(&err);
		return 0;
	}
	/* Ask again with the reply and the error appended. */
	c->reask_left--;
	body = jv_parse_sized(c->body.data, (int)c->body.len);
	msgs = jv_object_get(jv_copy(body), jv_string("messages"));
	msgs = jv_array_append(msgs, JV_OBJECT(jv_string("role"),
	    jv_string("assistant"), jv_string("content"),
	    jv_string_sized(c->content.data ? c->content.data : "",
	    (int)c->content.len)));
	buf_reset(&c->value);
	buf_addf(&c->value, "That reply is not valid: %s. Answer again with "
	    "only a JSON value that follows the schema.", err.data);
	msgs = jv_array_append(msgs, JV_OBJECT(jv_string("role"),
	    jv_string("user"), jv_string("content"),
	    jv_string(c->value.data)));
	buf_reset(&c->value);
	body = jv_object_set(body, jv_string("messages"), msgs);
	call_set_body(c, body);
	c->attempt = 0;
	c->r.requests++;
	rc = 1;
	buf_release(&err);
	return rc;
}

/* Account for a paid reply: tokens and cost.  Under mu. */
static void
account(struct llm *L, struct llm_call *c, long pt, long ct)
{
	double cost;

	if (pt < 0)
		pt = c->prompt_tokens;
	if (ct < 0)
		ct = (long)count_tokens(L, c->content.data ? c->content.data :
		    "", c->content.len);
	c->r.prompt_tokens = (c->r.prompt_tokens < 0 ? 0 :
	    c->r.prompt_tokens) + pt;
	c->r.completion_tokens = (c->r.completion_tokens < 0 ? 0 :
	    c->r.completion_tokens) + ct;
	L->tot.prompt_tokens += (unsigned long long)pt;
	L->tot.completion_tokens += (unsigned long long)ct;
	if (L->priced) {
		cost = (double)pt * L->price_in + (double)ct * L->price_out;
		if (!isnan(c->r.cost))
			c->r.cost += cost;
		L->tot.cost += cost;
	} else {
		c->r.cost = NAN;
		L->tot.cost_unknown++;
	}
}

/* Usage of a cached reply: tokens reported, nothing paid. */
static void
account_cached(struct llm_call *c, long pt, long ct)
{
	if (pt >= 0)
		c->r.prompt_tokens = (c->r.prompt_tokens < 0 ? 0 :
		    c->r.prompt_tokens) + pt;
	if (ct >= 0)
		c->r.completion_tokens = (c->r.completion_tokens < 0 ? 0 :
		    c->r.completion_tokens) + ct;
}

static void
complete(struct llm *L, struct llm_call *c)
{
	pthread_mutex_lock(&L->mu);
	if (!c->r.ok)
		L->tot.failed++;
	c->r.finish = c->finish;
	c->r.model = c->model;
	c->r.content = c->content.data ? c->content.data : (c->r.ok ? "" :
	    NULL);
	c->r.content_len = c->content.len;
	c->r.value = c->value.len ? c->value.data : NULL;
	c->state = CALL_DONE;
	c->done = 1;
	pthread_cond_broadcast(&L->done_cv);
	pthread_mutex_unlock(&L->mu);
}

/*
 * Answer c from the cache as far as it goes.  Returns 1 when c is
 * complete, 0 when its current request must go to the network.
 */
static int
from_cache(struct llm *L, struct llm_call *c)
{
	char err[ERRLEN];
	size_t len;
	char *text;
	long pt, ct;

	while ((text = cache_read(L, c->key, &len)) != NULL) {
		if (parse_reply(c, text, len, &pt, &ct, err, sizeof(err)) !=
		    0) {
			/* A damaged entry: ask again. */
			free(text);
			return 0;
		}
		free(text);
		pthread_mutex_lock(&L->mu);
		L->tot.cache_hits++;
		if (c->r.requests > 0)
			L->tot.reasks++;
		pthread_mutex_unlock(&L->mu);
		c->r.cached++;
		if (c->r.requests == 0)
			c->r.requests = 1;
		account_cached(c, pt, ct);
		if (judge_reply(c) == 0)
			return 1;
	}
	return 0;
}

const char *
llm_stopped(struct llm *L)
{
	const char *s;

	pthread_mutex_lock(&L->mu);
	s = L->stopped;
	pthread_mutex_unlock(&L->mu);
	return s;
}

static void *driver_main(void *arg);

void
llm_submit(struct llm *L, struct llm_call *c)
{
	const char *stop;

	pthread_mutex_lock(&L->mu);
	L->tot.calls++;
	pthread_mutex_unlock(&L->mu);
	if (c->done)
		return;		/* a bad request, complete already */
	if (from_cache(L, c)) {
		complete(L, c);
		return;
	}
	pthread_mutex_lock(&L->mu);
	stop = L->stopped;
	if (stop != NULL) {
		pthread_mutex_unlock(&L->mu);
		call_fail(c, stop, "not sent: the run stopped (%s)", stop);
		complete(L, c);
		return;
	}
	if (!L->started) {
		L->multi = curl_multi_init();
		if (L->multi == NULL)
			die("cannot create a curl multi handle");
		if (pthread_create(&L->tid, NULL, driver_main, L) != 0)
			die("cannot start the request thread");
		L->started = 1;
	}
	c->state = CALL_QUEUED;
	c->next = NULL;
	if (L->in_tail != NULL)
		L->in_tail->next = c;
	else
		L->in_head = c;
	L->in_tail = c;
	pthread_mutex_unlock(&L->mu);
	curl_multi_wakeup(L->multi);
}

void
llm_wait(struct llm *L, struct llm_call *c)
{
	pthread_mutex_lock(&L->mu);
	while (!c->done)
		pthread_cond_wait(&L->done_cv, &L->mu);
	pthread_mutex_unlock(&L->mu);
}

void
llm_totals(struct llm *L, struct llm_totals *t)
{
	pthread_mutex_lock(&L->mu);
	*t = L->tot;
	pthread_mutex_unlock(&L->mu);
}

void
llm_totals_json(struct llm *L, struct buf *b)
{
	struct llm_totals t;

	llm_totals(L, &t);
	buf_addf(b, "\"calls\":%llu,\"requests\":%llu,\"attempts\":%llu,"
	    "\"retries\":%llu,\"reasks\":%llu,\"cache_hits\":%llu,"
	    "\"cache_writes\":%llu,\"failed\":%llu,\"prompt_tokens\":%llu,"
	    "\"completion_tokens\":%llu,\"seconds_waiting\":%.3f,"
	    "\"cost_usd\":", t.calls, t.requests, t.attempts, t.retries,
	    t.reasks, t.cache_hits, t.cache_writes, t.failed,
	    t.prompt_tokens, t.completion_tokens, t.seconds_waiting);
	if (t.cost_unknown > 0)
		buf_adds(b, "null");
	else
		buf_addf(b, "%.6f", t.cost);
}

/* The driver. */

static double
rnd01(struct llm *L)
{
	uint64_t z = (L->rnd += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* "1s", "6m0s", "12ms", "1h2m3.5s" (Go durations) in seconds, or -1. */
static double
parse_duration(const char *s)
{
	double total = 0, v;
	char *end;
	int any = 0;

	while (*s == ' ')
		s++;
	while (*s != '\0' && *s != '\r' && *s != '\n') {
		v = strtod(s, &end);
		if (end == s)
			return -1;
		s = end;
		if (strncmp(s, "ms", 2) == 0) {
			total += v / 1000;
			s += 2;
		} else if (*s == 's') {
			total += v;
			s++;
		} else if (*s == 'm') {
			total += v * 60;
			s++;
		} else if (*s == 'h') {
			total += v * 3600;
			s++;
		} else if (*s == '\0' || *s == '\r' || *s == '\n') {
			total += v;
		} else
			return -1;
		any = 1;
	}
	return any ? total : -1;
}

/* An HTTP date or an RFC 3339 time, as seconds from now; -1 if neither. */
static double
parse_date_from_now(const char *s)
{
	struct tm tm;
	const char *end;

	while (*s == ' ')
		s++;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%a, %d %b %Y %H:%M:%S", &tm);
	if (end == NULL) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	}
	if (end == NULL)
		return -1;
	return (double)timegm(&tm) - now_wall();
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct llm_call *c = arg;
	size_t len = size * n, klen;
	char line[512], *colon, *val;
	double d;

	if (len >= sizeof(line))
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		c->retry_after = -1;
		c->should_retry = -1;
		return len;
	}
	colon = strchr(line, ':');
	if (colon == NULL)
		return len;
	klen = (size_t)(colon - line);
	*colon = '\0';
	val = colon + 1;
	while (*val == ' ')
		val++;
	(void)klen;
	if (strcasecmp(line, "retry-after-ms") == 0) {
		d = strtod(val, NULL);
		if (d >= 0)
			c->retry_after = d / 1000;
	} else if (strcasecmp(line, "retry-after") == 0) {
		char *end;

		d = strtod(val, &end);
		if (end == val)
			d = parse_date_from_now(val);
		/* retry-after-ms is more precise: keep it when given. */
		if (d >= 0 && c->retry_after < 0)
			c->retry_after = d;
		else if (d >= 0 && d > c->retry_after + 1)
			c->retry_after = d;
	} else if (strcasecmp(line, "x-should-retry") == 0) {
		c->should_retry = strncasecmp(val, "true", 4) == 0;
	} else if (strcasecmp(line, "x-ratelimit-remaining-requests") == 0 ||
	    strcasecmp(line, "anthropic-ratelimit-requests-remaining") == 0) {
		c->rl_req_remaining = strtod(val, NULL);
	} else if (strcasecmp(line, "x-ratelimit-remaining-tokens") == 0 ||
	    strcasecmp(line, "anthropic-ratelimit-tokens-remaining") == 0) {
		c->rl_tok_remaining = strtod(val, NULL);
	} else if (strcasecmp(line, "x-ratelimit-reset-requests") == 0) {
		c->rl_req_reset = parse_duration(val);
	} else if (strcasecmp(line, "x-ratelimit-reset-tokens") == 0) {
		c->rl_tok_reset = parse_duration(val);
	} else if (strcasecmp(line, "anthropic-ratelimit-requests-reset") ==
	    0) {
		c->rl_req_reset = parse_date_from_now(val);
	} else if (strcasecmp(line, "anthropic-ratelimit-tokens-reset") == 0) {
		c->rl_tok_reset = parse_date_from_now(val);
	}
	return len;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct llm_call *c = arg;
	size_t len = size * n;

	if (c->resp.len + len > MAX_BODY) {
		c->resp_too_big = 1;
		return 0;
	}
	buf_add(&c->resp, p, len);
	return len;
}

static void
push_ready_front(struct llm *L, struct llm_call *c)
{
	c->next = L->ready_head;
	L->ready_head = c;
	if (L->ready_tail == NULL)
		L->ready_tail = c;
}

static void
push_ready_back(struct llm *L, struct llm_call *c)
{
	c->next = NULL;
	if (L->ready_tail != NULL)
		L->ready_tail->next = c;
	else
		L->ready_head = c;
	L->ready_tail = c;
}

static void
log_attempt(struct llm *L, struct llm_call *c, const char *event,
    int status, double latency, double wait)
{
	if (L->cfg.log == NULL)
		return;
	fprintf(L->cfg.log, "{\"t\":%.3f,\"key\":\"%.16s\",\"event\":\"%s\","
	    "\"attempt\":%d,\"status\":%d,\"latency\":%.3f,\"wait\":%.3f}\n",
	    now_wall(), c->key, event, c->attempt, status, latency, wait);
	fflush(L->cfg.log);
}

static void
start_request(struct llm *L, struct llm_call *c, double now)
{
	CURL *e = curl_easy_init();

	if (e == NULL)
		die("cannot create a curl handle");
	c->attempt++;
	c->state = CALL_RUNNING;
	c->started = now;
	c->retry_after = -1;
	c->should_retry = -1;
	c->rl_req_remaining = c->rl_tok_remaining = -1;
	c->rl_req_reset = c->rl_tok_reset = -1;
	c->resp_too_big = 0;
	buf_reset(&c->resp);
	curl_easy_setopt(e, CURLOPT_URL, L->url);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body.data);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)c->body.len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, L->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(e, CURLOPT_PRIVATE, c);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(L->cfg.timeout * 1000));
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(L->cfg.connect_timeout * 1000));
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "datafactory/" DF_VERSION);
	c->easy = e;
	if (isnan(c->max_cost))
		c->max_cost = 0;
	L->reserved += c->max_cost;
	L->running++;
	pthread_mutex_lock(&L->mu);
	L->tot.attempts++;
	if (c->attempt == 1)
		L->tot.requests++;
	else
		L->tot.retries++;
	pthread_mutex_unlock(&L->mu);
	c->r.attempts++;
	if (c->r.requests == 0)
		c->r.requests = 1;
	curl_multi_add_handle(L->multi, e);
	log_attempt(L, c, "start", 0, 0, 0);
}

/* Fail every queued call with the stop reason. */
static void
fail_queued(struct llm *L, const char *why)
{
	struct llm_call *c, *nx;

	for (c = L->ready_head; c != NULL; c = nx) {
		nx = c->next;
		call_fail(c, why, "not sent: the run stopped (%s)", why);
		complete(L, c);
	}
	L->ready_head = L->ready_tail = NULL;
	for (c = L->delayed; c != NULL; c = nx) {
		nx = c->next;
		call_fail(c, why, "not sent: the run stopped (%s); last: %s",
		    why, c->lasterr);
		complete(L, c);
	}
	L->delayed = NULL;
}

static void
stop(struct llm *L, const char *why)
{
	pthread_mutex_lock(&L->mu);
	if (L->stopped == NULL)
		L->stopped = why;
	pthread_mutex_unlock(&L->mu);
}

/* Schedule a retry of c's request, or fail it when out of attempts. */
static void
retry_or_fail(struct llm *L, struct llm_call *c, const char *reason,
    double now)
{
	double backoff, wait;
	int n = c->attempt;

	if (c->attempt >= L->cfg.max_attempts || c->should_retry == 0) {
		call_fail(c, c->should_retry == 0 ? reason : "retries",
		    "%s (after %d attempts)", c->lasterr, c->attempt);
		complete(L, c);
		return;
	}
	backoff = L->cfg.backoff_base * pow(2, n - 1);
	if (backoff > L->cfg.backoff_max)
		backoff = L->cfg.backoff_max;
	backoff *= 0.5 + 0.5 * rnd01(L);
	wait = backoff;
	/* Never sooner than the server asked. */
	if (c->retry_after >= 0 && c->retry_after > wait)
		wait = c->retry_after;
	c->next_time = now + wait;
	c->lastreason = reason;
	pthread_mutex_lock(&L->mu);
	L->tot.seconds_waiting += wait;
	pthread_mutex_unlock(&L->mu);
	log_attempt(L, c, "retry", 0, 0, wait);
	c->state = CALL_QUEUED;
	c->next = L->delayed;
	L->delayed = c;
}

static void
finish_transfer(struct llm *L, CURL *e, CURLcode res)
{
	struct llm_call *c;
	long status = 0;
	double now = now_mono(), lat;
	char err[ERRLEN];
	long pt, ct;
	int prc;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&c);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(L->multi, e);
	curl_easy_cleanup(e);
	c->easy = NULL;
	L->running--;
	L->reserved -= c->max_cost;
	lat = now - c->started;
	c->r.latency = lat;
	c->r.http_status = (int)status;
	log_attempt(L, c, "end", (int)status, lat, 0);
	/* Rate-limit headers hold new starts until the reset. */
	if (c->rl_req_remaining == 0 && c->rl_req_reset > 0 &&
	    now + c->rl_req_reset > L->hold_until)
		L->hold_until = now + c->rl_req_reset;
	if (c->rl_tok_remaining == 0 && c->rl_tok_reset > 0 &&
	    now + c->rl_tok_reset > L->hold_until)
		L->hold_until = now + c->rl_tok_reset;
	if (res != CURLE_OK) {
		snprintf(c->lasterr, sizeof(c->lasterr), "%s",
		    res == CURLE_WRITE_ERROR && c->resp_too_big ?
		    "reply too large" : curl_easy_strerror(res));
		switch (res) {
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_UNSUPPORTED_PROTOCOL:
		case CURLE_URL_MALFORMAT:
			call_fail(c, "network", "%s: %s", L->url, c->lasterr);
			complete(L, c);
			return;
		case CURLE_OPERATION_TIMEDOUT:
			retry_or_fail(L, c, "timeout", now);
			return;
		default:
			retry_or_fail(L, c, "network", now);
			return;
		}
	}
	if (status == 200) {
		prc = parse_reply(c, c->resp.data ? c->resp.data : "",
		    c->resp.len, &pt, &ct, err, sizeof(err));
		if (prc == -1) {
			snprintf(c->lasterr, sizeof(c->lasterr), "bad reply: "
			    "%.200s", err);
			retry_or_fail(L, c, "bad-reply", now);
			return;
		}
		pthread_mutex_lock(&L->mu);
		account(L, c, pt, ct);
		if (c->r.requests > 1 && c->attempt == 1)
			L->tot.reasks++;
		pthread_mutex_unlock(&L->mu);
		if (prc == -2) {
			call_fail(c, "refused", "%s", err);
			complete(L, c);
			return;
		}
		if (cache_write(L, c->key, c->resp.data, c->resp.len) == 0 &&
		    L->cfg.cache_dir != NULL) {
			pthread_mutex_lock(&L->mu);
			L->tot.cache_writes++;
			pthread_mutex_unlock(&L->mu);
		}
		/* AIMD: one more slot per window of successes. */
		if (++L->streak >= (int)L->cap) {
			L->streak = 0;
			if (L->cap < L->cfg.concurrency)
				L->cap++;
		}
		if (judge_reply(c) == 0) {
			complete(L, c);
			return;
		}
		/* A re-ask: answered from the cache, or sent first. */
		if (from_cache(L, c)) {
			complete(L, c);
			return;
		}
		c->state = CALL_QUEUED;
		c->next_time = now;
		push_ready_front(L, c);
		return;
	}
	error_message(c->resp.data ? c->resp.data : "", c->resp.len, err,
	    sizeof(err));
	snprintf(c->lasterr, sizeof(c->lasterr), "HTTP %ld%s%.200s", status,
	    *err ? ": " : "", err);
	if (status == 429 && is_quota(c->resp.data ? c->resp.data : "",
	    c->resp.len)) {
		call_fail(c, "quota", "%s", c->lasterr);
		complete(L, c);
		stop(L, "quota");
		return;
	}
	if (status == 429 || status == 503 || status == 529) {
		L->streak = 0;
		if (L->cap > 1)
			L->cap--;
	}
	if (status == 408 || status == 409 || status == 429 ||
	    status >= 500 || c->should_retry == 1) {
		const char *r = status == 429 ? "http-429" : "http-5xx";

		if (status < 500 && status != 429)
			r = "http-4xx";
		retry_or_fail(L, c, r, now);
		return;
	}
	call_fail(c, status >= 400 && status < 500 ? "http-4xx" : "http",
	    "%s", c->lasterr);
	complete(L, c);
}

/* Whether pacing lets a request of weight w start now; else *when. */
static int
pacing_ok(struct llm *L, struct llm_call *c, double now, double *when)
{
	double need;

	if (L->hold_until > now) {
		*when = L->hold_until;
		return 0;
	}
	if (L->cfg.rpm > 0 && now < L->next_rpm) {
		*when = L->next_rpm;
		return 0;
	}
	if (L->cfg.tpm > 0) {
		double cap = L->cfg.tpm / 10, rate = L->cfg.tpm / 60;

		L->tpm_level += (now - L->tpm_time) * rate;
		L->tpm_time = now;
		if (L->tpm_level > cap)
			L->tpm_level = cap;
		need = (double)(c->prompt_tokens + (c->max_tokens > 0 ?
		    c->max_tokens : 0));
		if (need > cap)
			need = cap;
		if (L->tpm_level < need) {
			*when = now + (need - L->tpm_level) / rate;
			return 0;
		}
	}
	return 1;
}

static void
paced_start(struct llm *L, struct llm_call *c, double now)
{
	if (L->cfg.rpm > 0) {
		double iv = 60.0 / L->cfg.rpm;

		L->next_rpm = (L->next_rpm > now - iv ? L->next_rpm : now) + iv;
	}
	if (L->cfg.tpm > 0)
		L->tpm_level -= (double)(c->prompt_tokens +
		    (c->max_tokens > 0 ? c->max_tokens : 0));
	start_request(L, c, now);
}

/* Drive the transfers; returns how many ended. */
static int
perform(struct llm *L)
{
	CURLMsg *msg;
	int n, left, ended = 0;

	curl_multi_perform(L->multi, &n);
	while ((msg = curl_multi_info_read(L->multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE) {
			finish_transfer(L, msg->easy_handle, msg->data.result);
			ended++;
		}
	return ended;
}

static void *
driver_main(void *arg)
{
	struct llm *L = arg;
	struct llm_call *c, **pp, *in;
	double now, when, next;
	int n, closing;
	const char *stopped;

	for (;;) {
		pthread_mutex_lock(&L->mu);
		in = L->in_head;
		L->in_head = L->in_tail = NULL;
		closing = L->closing;
		stopped = L->stopped;
		pthread_mutex_unlock(&L->mu);
		while (in != NULL) {
			c = in;
			in = in->next;
			push_ready_back(L, c);
		}
		now = now_mono();
		/* Retries whose time has come go first. */
		for (pp = &L->delayed; *pp != NULL;) {
			c = *pp;
			if (c->next_time <= now) {
				*pp = c->next;
				push_ready_front(L, c);
			} else
				pp = &c->next;
		}
		if (stopped != NULL)
			fail_queued(L, stopped);
		next = now + 1;
		while (L->ready_head != NULL && L->running < (int)L->cap) {
			c = L->ready_head;
			if (!pacing_ok(L, c, now, &when)) {
				if (when < next)
					next = when;
				break;
			}
			if (L->cfg.max_cost >= 0) {
				double spent;

				c->max_cost = llm_call_max_cost(L, c);
				pthread_mutex_lock(&L->mu);
				spent = L->tot.cost;
				pthread_mutex_unlock(&L->mu);
				if (spent + L->reserved + c->max_cost >
				    L->cfg.max_cost) {
					if (L->running == 0) {
						stop(L, "max-cost");
						fail_queued(L, "max-cost");
					}
					break;
				}
			}
			L->ready_head = c->next;
			if (L->ready_head == NULL)
				L->ready_tail = NULL;
			paced_start(L, c, now);
		}
		for (c = L->delayed; c != NULL; c = c->next)
			if (c->next_time < next)
				next = c->next_time;
		if (closing && L->running == 0 && L->ready_head == NULL &&
		    L->delayed == NULL) {
			pthread_mutex_lock(&L->mu);
			n = L->in_head == NULL;
			pthread_mutex_unlock(&L->mu);
			if (n)
				break;
			continue;
		}
		/*
		 * Transfers that ended free a slot: start the next request
		 * before waiting again.
		 */
		if (perform(L))
			continue;
		pthread_mutex_lock(&L->mu);
		n = L->in_head != NULL;
		pthread_mutex_unlock(&L->mu);
		if (n)
			continue;
		now = now_mono();
		when = next - now;
		if (when > 0) {
			int ms = (int)(when * 1000) + 1;

			if (ms > 1000)
				ms = 1000;
			curl_multi_poll(L->multi, NULL, 0, ms, NULL);
			perform(L);
		}
	}
	return NULL;
}

void
llm_close(struct llm *L)
{
	if (L == NULL)
		return;
	pthread_mutex_lock(&L->mu);
	L->closing = 1;
	pthread_mutex_unlock(&L->mu);
	if (L->started) {
		curl_multi_wakeup(L->multi);
		pthread_join(L->tid, NULL);
		curl_multi_cleanup(L->multi);
	}
	curl_slist_free_all(L->headers);
	curl_global_cleanup();
	pthread_mutex_destroy(&L->mu);
	pthread_cond_destroy(&L->done_cv);
	free(L->url);
	free(L);
}
