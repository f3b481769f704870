/*
 * df-gen: synthetic training examples from records through an LLM API.
 *
 * The prompt is a jq program over the record (--prompt, --template FILE
 * or a built-in template of data/gen/): it yields a string (one user
 * message), an array of messages, or an object with "messages" (or
 * "prompt") and optionally a "schema".  Each input record gives --samples
 * K requests (seeds --seed + k); each reply becomes one output record
 * with the source's id as source_id, the generated fields (the reply as
 * "text", or the fields of a structured reply) and a "gen" object saying
 * what made it.
 *
 * Requests go through lib/llm.h: the per-record function renders the
 * prompt and submits the record's requests; the ordered phase waits for
 * them in input order and emits.  filter.lookahead keeps the requests of
 * later records in flight meanwhile, so -j 1 fills every slot.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <jq.h>
#include <jv.h>

#include "cli.h"
#include "datadir.h"
#include "filter.h"
#include "hash.h"
#include "llm.h"

#define USAGE \
"df-gen [-hquV] [-c N] [-j N] [--api KIND] [--api-key-env NAME]\n" \
"              [--cache DIR] [--dry-run] [--endpoint URL] [--labels LIST]\n" \
"              [--list-templates] [--max-cost USD] [--max-record BYTES]\n" \
"              [--max-tokens N] [--model NAME] [--no-cache] [--prices FILE]\n" \
"              [--progress] [--prompt EXPR] [--reask N] [--rejects FILE]\n" \
"              [--retries N] [--rpm N] [--samples K] [--schema FILE]\n" \
"              [--seed N] [--stats FILE] [--stop TEXT] [--strict]\n" \
"              [--system TEXT] [--temperature X] [--template NAME|FILE]\n" \
"              [--timeout SECONDS] [--top-p X] [--tpm N] [--where EXPR]\n" \
"              [file ...]"

#define HELP \
"Generate examples from records through an LLM HTTP API.\n" \
"\n" \
"      --api KIND        openai (default; also vLLM, llama.cpp, Ollama\n" \
"                        /v1, LiteLLM), ollama (native /api/chat),\n" \
"                        anthropic, llamacpp or vllm (their own schema\n" \
"                        fields)\n" \
"      --api-key-env NAME  environment variable holding the API key\n" \
"                        (default OPENAI_API_KEY; ANTHROPIC_API_KEY for\n" \
"                        anthropic)\n" \
"  -c, --concurrency N   requests in flight at most (default 8)\n" \
"      --cache DIR       reply cache (default $XDG_CACHE_HOME/datafactory/\n" \
"                        llm, else ~/.cache/datafactory/llm)\n" \
"      --dry-run         call nothing: one record per input with the\n" \
"                        request, its prompt tokens and estimated cost\n" \
"      --endpoint URL    base URL (default $DF_LLM_URL, else\n" \
"                        http://127.0.0.1:11434/v1)\n" \
"      --labels LIST     comma-separated labels, $labels in templates\n" \
"      --list-templates  list the built-in templates and exit\n" \
"      --max-cost USD    stop starting requests before the spend would\n" \
"                        pass USD; what finished is kept and cached\n" \
"      --max-tokens N    completion tokens at most (default 1024)\n" \
"      --model NAME      model (default $DF_LLM_MODEL, else llama3.2)\n" \
"      --no-cache        neither read nor write the cache\n" \
"      --prices FILE     price table (default: the one installed)\n" \
"      --prompt EXPR     the prompt as a jq program over the record\n" \
"      --reask N         re-ask a reply that fails the schema N times\n" \
"                        (default 2)\n" \
"      --retries N       HTTP attempts per request beyond the first\n" \
"                        (default 7)\n" \
"      --rpm N           requests per minute at most\n" \
"      --samples K       requests per record, seeds SEED..SEED+K-1\n" \
"                        (default 1)\n" \
"      --schema FILE     JSON Schema the reply must follow\n" \
"      --seed N          seed of the first sample (default 0)\n" \
"      --stop TEXT       stop sequence (repeatable)\n" \
"      --system TEXT     system message\n" \
"      --temperature X   sampling temperature\n" \
"      --template T      a built-in template or a jq file\n" \
"      --timeout SECONDS per HTTP attempt (default 600)\n" \
"      --top-p X         nucleus sampling\n" \
"      --tpm N           tokens per minute at most (prompt + max tokens)\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_API = FILTER_OPT_LAST,
	OPT_API_KEY_ENV,
	OPT_CACHE,
	OPT_DRY_RUN,
	OPT_ENDPOINT,
	OPT_LABELS,
	OPT_LIST_TEMPLATES,
	OPT_MAX_COST,
	OPT_MAX_TOKENS,
	OPT_MODEL,
	OPT_NO_CACHE,
	OPT_PRICES,
	OPT_PROMPT,
	OPT_REASK,
	OPT_RETRIES,
	OPT_RPM,
	OPT_SAMPLES,
	OPT_SCHEMA,
	OPT_SEED,
	OPT_STOP,
	OPT_SYSTEM,
	OPT_TEMPERATURE,
	OPT_TEMPLATE,
	OPT_TIMEOUT,
	OPT_TOP_P,
	OPT_TPM
};

static const struct option longopts[] = {
	{ "api", required_argument, NULL, OPT_API },
	{ "api-key-env", required_argument, NULL, OPT_API_KEY_ENV },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "endpoint", required_argument, NULL, OPT_ENDPOINT },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "labels", required_argument, NULL, OPT_LABELS },
	{ "list-templates", no_argument, NULL, OPT_LIST_TEMPLATES },
	{ "max-cost", required_argument, NULL, OPT_MAX_COST },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "prices", required_argument, NULL, OPT_PRICES },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "prompt", required_argument, NULL, OPT_PROMPT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "reask", required_argument, NULL, OPT_REASK },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "rpm", required_argument, NULL, OPT_RPM },
	{ "samples", required_argument, NULL, OPT_SAMPLES },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "stop", required_argument, NULL, OPT_STOP },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "system", required_argument, NULL, OPT_SYSTEM },
	{ "temperature", required_argument, NULL, OPT_TEMPERATURE },
	{ "template", required_argument, NULL, OPT_TEMPLATE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "top-p", required_argument, NULL, OPT_TOP_P },
	{ "tpm", required_argument, NULL, OPT_TPM },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

#define MAXSTOP 4
#define MAXSAMPLES 1000

struct gen {
	/* Options. */
	const char *prompt;
	const char *template_arg;
	const char *system;
	const char *schema_path;
	const char *labels;
	const char *prices_path;
	int samples;
	int reask;
	int dry_run;
	int quiet;
	int progress;
	long long seed;
	const char *stop[MAXSTOP];
	struct llm_config cfg;

	/* Derived. */
	char *program;		/* the jq program's text */
	const char *template_name;	/* for gen.template */
	char *schema_text;	/* --schema, compact, or NULL */
	char *labels_text;	/* $labels as JSON */
	char *cache_dir;
	struct llm_prices *prices;
	struct llm *L;

	/* Dry-run totals. */
	pthread_mutex_t mu;
	unsigned long long dry_records, dry_requests, dry_cached;
	unsigned long long dry_prompt_tokens, dry_max_tokens;
	double dry_cost;
	int dry_cost_unknown;
};

/* A worker's own compiled program and values. */
struct gen_worker {
	struct gen *g;
	jq_state *jq;
	jv schema;		/* --schema, or jv_null() */
};

/* What the per-record function hands the ordered phase. */
struct memo {
	int n;
	char prompt_hash[17];
	struct llm_call *c[];
};

static void
jq_err_cb(void *data, jv msg)
{
	struct buf *b = data;

	if (b->len == 0) {
		if (jv_get_kind(msg) == JV_KIND_STRING)
			buf_adds(b, jv_string_value(msg));
		else {
			jv s = jv_dump_string(jv_copy(msg), 0);

			buf_adds(b, jv_string_value(s));
			jv_free(s);
		}
	}
	jv_free(msg);
}

static jq_state *
compile_program(struct gen *g, struct buf *err)
{
	jq_state *jq = jq_init();
	jv args;

	if (jq == NULL)
		die("cannot initialise jq");
	jq_set_error_cb(jq, jq_err_cb, err);
	args = JV_OBJECT(jv_string("labels"), jv_parse(g->labels_text));
	if (!jq_compile_args(jq, g->program, args)) {
		jq_teardown(&jq);
		return NULL;
	}
	return jq;
}

static void *
worker_new(void *arg)
{
	struct gen *g = arg;
	struct gen_worker *w = df_xcalloc(1, sizeof(*w));
	struct buf err = BUF_INIT;

	w->g = g;
	w->jq = compile_program(g, &err);
	if (w->jq == NULL)
		die("internal error: the template compiled once, not twice");
	jq_set_error_cb(w->jq, NULL, NULL);
	buf_release(&err);
	w->schema = g->schema_text != NULL ? jv_parse(g->schema_text) :
	    jv_null();
	return w;
}

static void
worker_free(void *wctx)
{
	struct gen_worker *w = wctx;

	jq_teardown(&w->jq);
	jv_free(w->schema);
	free(w);
}

/* Run the template on rec (consumed): messages and schema, or -1. */
static int
render(struct gen_worker *w, jv rec, jv *messages, jv *schema,
    struct df_err *e)
{
	struct gen *g = w->g;
	jv out, m, sys;
	int i, n;

	*schema = jv_copy(w->schema);
	jq_start(w->jq, rec, 0);
	out = jq_next(w->jq);
	if (!jv_is_valid(out)) {
		jv msg = jv_invalid_get_msg(out);
		int rc;

		if (jv_get_kind(msg) == JV_KIND_NULL)
			rc = df_err_set(e, "template", "the prompt program "
			    "gave no value");
		else if (jv_get_kind(msg) == JV_KIND_STRING)
			rc = df_err_set(e, "template", "prompt program: %s",
			    jv_string_value(msg));
		else {
			jv s = jv_dump_string(jv_copy(msg), 0);

			rc = df_err_set(e, "template", "prompt program: %s",
			    jv_string_value(s));
			jv_free(s);
		}
		jv_free(msg);
		jv_free(*schema);
		return rc;
	}
	switch (jv_get_kind(out)) {
	case JV_KIND_STRING:
		m = JV_ARRAY(JV_OBJECT(jv_string("role"), jv_string("user"),
		    jv_string("content"), out));
		break;
	case JV_KIND_ARRAY:
		m = out;
		break;
	case JV_KIND_OBJECT: {
		jv s = jv_object_get(jv_copy(out), jv_string("schema"));

		m = jv_object_get(jv_copy(out), jv_string("messages"));
		if (jv_get_kind(m) != JV_KIND_ARRAY) {
			jv p = jv_object_get(jv_copy(out), jv_string("prompt"));

			jv_free(m);
			if (jv_get_kind(p) == JV_KIND_STRING)
				m = JV_ARRAY(JV_OBJECT(jv_string("role"),
				    jv_string("user"), jv_string("content"), p));
			else {
				jv_free(p);
				m = jv_invalid();
			}
		}
		if (jv_get_kind(s) == JV_KIND_OBJECT &&
		    g->schema_text == NULL) {
			jv_free(*schema);
			*schema = s;
		} else
			jv_free(s);
		jv_free(out);
		if (!jv_is_valid(m)) {
			jv_free(*schema);
			return df_err_set(e, "template", "the prompt program's "
			    "object has no \"messages\" array or \"prompt\" "
			    "string");
		}
		break;
	}
	default:
		jv_free(*schema);
		n = df_err_set(e, "template", "the prompt program gave %s, not "
		    "a string, an array of messages or an object",
		    jv_kind_name(jv_get_kind(out)));
		jv_free(out);
		return n;
	}
	/* Drain the program: only the first value is the prompt. */
	while (jv_is_valid(out = jq_next(w->jq)))
		jv_free(out);
	jv_free(out);
	if (g->system != NULL) {
		jv rest = jv_array();

		n = jv_array_length(jv_copy(m));
		for (i = 0; i < n; i++) {
			jv x = jv_array_get(jv_copy(m), i);
			jv role = jv_get_kind(x) == JV_KIND_OBJECT ?
			    jv_object_get(jv_copy(x), jv_string("role")) :
			    jv_invalid();

			if (jv_get_kind(role) == JV_KIND_STRING &&
			    strcmp(jv_string_value(role), "system") == 0)
				jv_free(x);
			else
				rest = jv_array_append(rest, x);
			jv_free(role);
		}
		jv_free(m);
		sys = JV_OBJECT(jv_string("role"), jv_string("system"),
		    jv_string("content"), jv_string(g->system));
		m = jv_array_concat(JV_ARRAY(sys), rest);
	}
	n = jv_array_length(jv_copy(m));
	for (i = 0; i < n; i++) {
		jv x = jv_array_get(jv_copy(m), i), role, content;
		int ok = jv_get_kind(x) == JV_KIND_OBJECT;

		if (ok) {
			role = jv_object_get(jv_copy(x), jv_string("role"));
			content = jv_object_get(jv_copy(x),
			    jv_string("content"));
			ok = jv_get_kind(role) == JV_KIND_STRING &&
			    (jv_get_kind(content) == JV_KIND_STRING ||
			    jv_get_kind(content) == JV_KIND_ARRAY);
			jv_free(role);
			jv_free(content);
		}
		jv_free(x);
		if (!ok) {
			jv_free(m);
			jv_free(*schema);
			return df_err_set(e, "template", "message %d of the "
			    "prompt needs a string \"role\" and a \"content\"",
			    i);
		}
	}
	if (n == 0) {
		jv_free(m);
		jv_free(*schema);
		return df_err_set(e, "template", "the prompt has no messages");
	}
	*messages = m;
	return 0;
}

static void
prompt_hash(jv messages, char out[17])
{
	struct sha256 h;
	char hex[65];
	jv s = jv_dump_string(messages, JV_PRINT_SORTED);

	sha256_init(&h);
	sha256_update(&h, jv_string_value(s),
	    (size_t)jv_string_length_bytes(jv_copy(s)));
	sha256_final_hex(&h, hex);
	jv_free(s);
	memcpy(out, hex, 16);
	out[16] = '\0';
}

static void
sample_params(struct gen *g, int k, struct llm_params *p)
{
	*p = g->cfg.params;
	p->has_seed = 1;
	p->seed = g->seed + k;
}

/* The source record's id as a jv (null when it has none). */
static jv
source_id(jv rec)
{
	jv id = jv_object_get(rec, jv_string("id"));

	if (!jv_is_valid(id)) {
		jv_free(id);
		return jv_null();
	}
	return id;
}

static jv
cost_jv(double c)
{
	return isnan(c) ? jv_null() : jv_number(round(c * 1e8) / 1e8);
}

/* The dry run: one record per input with its requests; no network. */
static int
dry_record(struct gen *g, struct rec *r, struct emit *o, jv messages,
    jv schema, const char *hash)
{
	struct llm_params p;
	long pt = 0, maxt = 0;
	double cost = 0;
	int k, cached = 0, unknown = 0;
	jv out, gen, body = jv_null();

	for (k = 0; k < g->samples; k++) {
		struct llm_call *c;
		double mc;

		sample_params(g, k, &p);
		c = llm_call_new(g->L, jv_copy(messages), jv_copy(schema), &p,
		    (unsigned)k, g->reask);
		if (k == 0)
			body = jv_parse(llm_call_body(c, NULL));
		pt += llm_call_prompt_tokens(c);
		maxt += p.max_tokens;
		if (llm_call_cached(g->L, c))
			cached++;
		else {
			mc = llm_call_max_cost(g->L, c);
			if (isnan(mc))
				unknown = 1;
			else
				cost += mc;
		}
		llm_call_free(c);
	}
	jv_free(messages);
	jv_free(schema);
	pthread_mutex_lock(&g->mu);
	g->dry_records++;
	g->dry_requests += (unsigned long long)(g->samples - cached);
	g->dry_cached += (unsigned long long)cached;
	g->dry_prompt_tokens += (unsigned long long)pt;
	g->dry_max_tokens += (unsigned long long)maxt;
	if (unknown)
		g->dry_cost_unknown = 1;
	else
		g->dry_cost += cost;
	pthread_mutex_unlock(&g->mu);
	gen = JV_OBJECT(jv_string("dry_run"), jv_true(),
	    jv_string("model"), jv_string(g->cfg.model),
	    jv_string("endpoint"), jv_string(llm_kind_name(g->cfg.kind)),
	    jv_string("template"), jv_string(g->template_name),
	    jv_string("prompt_hash"), jv_string(hash));
	gen = jv_object_set(gen, jv_string("requests"), jv_number(g->samples));
	gen = jv_object_set(gen, jv_string("cached"), jv_number(cached));
	gen = jv_object_set(gen, jv_string("prompt_tokens"), jv_number(
	    (double)pt));
	gen = jv_object_set(gen, jv_string("max_tokens"), jv_number(
	    (double)maxt));
	gen = jv_object_set(gen, jv_string("est_max_cost"), unknown ?
	    jv_null() : cost_jv(cost));
	gen = jv_object_set(gen, jv_string("request"), body);
	out = JV_OBJECT(jv_string("source_id"), source_id(rec_value(r)),
	    jv_string("gen"), gen);
	emit_jv(o, 0, out);
	return 0;
}

static int
gen_record(struct rec *r, struct emit *o, void *wctx, struct df_err *e)
{
	struct gen_worker *w = wctx;
	struct gen *g = w->g;
	struct llm_params p;
	struct memo *m;
	jv messages, schema;
	size_t sz;
	int k;

	if (render(w, rec_value(r), &messages, &schema, e) < 0)
		return -1;
	sz = sizeof(*m) + (size_t)g->samples * sizeof(m->c[0]);
	m = df_xcalloc(1, sz);
	prompt_hash(jv_copy(messages), m->prompt_hash);
	if (g->dry_run) {
		int rc = dry_record(g, r, o, messages, schema, m->prompt_hash);

		free(m);
		return rc;
	}
	m->n = g->samples;
	for (k = 0; k < g->samples; k++) {
		sample_params(g, k, &p);
		m->c[k] = llm_call_new(g->L, jv_copy(messages),
		    jv_copy(schema), &p, (unsigned)k, g->reask);
		llm_submit(g->L, m->c[k]);
	}
	jv_free(messages);
	jv_free(schema);
	emit_memo(o, m, sz);
	free(m);
	return 0;
}

static const char *
reject_reason(const char *llm_reason)
{
	static const char *const map[][2] = {
		{ "http-4xx", "llm-http-4xx" }, { "http-429", "llm-rate-limit" },
		{ "http-5xx", "llm-server-error" }, { "http", "llm-http" },
		{ "length", "llm-length" }, { "schema", "llm-schema" },
		{ "quota", "llm-quota" }, { "max-cost", "llm-max-cost" },
		{ "retries", "llm-retries" }, { "timeout", "llm-timeout" },
		{ "network", "llm-network" }, { "bad-reply", "llm-bad-reply" },
		{ "bad-request", "llm-bad-request" },
		{ "refused", "llm-refused" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], llm_reason) == 0)
			return map[i][1];
	return "llm-error";
}

static jv
out_id(jv sid, int k)
{
	jv s;

	if (jv_get_kind(sid) == JV_KIND_NULL) {
		jv_free(sid);
		return jv_null();
	}
	if (jv_get_kind(sid) != JV_KIND_STRING)
		sid = jv_dump_string(sid, 0);
	s = jv_string_fmt("%s:g%d", jv_string_value(sid), k);
	jv_free(sid);
	return s;
}

static void
emit_output(struct gen *g, struct rec *r, struct emit *o, const struct memo *m,
    int k, const struct llm_result *res)
{
	jv rec = rec_value(r), sid = source_id(rec), out, gen, v;

	out = JV_OBJECT(jv_string("id"), out_id(jv_copy(sid), k),
	    jv_string("source_id"), sid);
	if (res->value != NULL) {
		v = jv_parse(res->value);
		if (jv_get_kind(v) == JV_KIND_OBJECT) {
			jv_object_foreach(v, key, val) {
				const char *ks = jv_string_value(key);

				if (strcmp(ks, "id") == 0 ||
				    strcmp(ks, "source_id") == 0 ||
				    strcmp(ks, "gen") == 0) {
					jv_free(key);
					jv_free(val);
				} else
					out = jv_object_set(out, key, val);
			}
			jv_free(v);
		} else
			out = jv_object_set(out, jv_string("value"), v);
	} else
		out = jv_object_set(out, jv_string("text"), jv_string_sized(
		    res->content, (int)res->content_len));
	gen = JV_OBJECT(jv_string("model"), jv_string(res->model != NULL ?
	    res->model : g->cfg.model), jv_string("endpoint"),
	    jv_string(llm_kind_name(g->cfg.kind)), jv_string("template"),
	    jv_string(g->template_name), jv_string("prompt_hash"),
	    jv_string(m->prompt_hash));
	gen = jv_object_set(gen, jv_string("seed"), jv_number((double)(g->seed +
	    k)));
	gen = jv_object_set(gen, jv_string("sample"), jv_number(k));
	gen = jv_object_set(gen, jv_string("usage"), JV_OBJECT(
	    jv_string("prompt_tokens"), res->prompt_tokens < 0 ? jv_null() :
	    jv_number((double)res->prompt_tokens),
	    jv_string("completion_tokens"), res->completion_tokens < 0 ?
	    jv_null() : jv_number((double)res->completion_tokens)));
	gen = jv_object_set(gen, jv_string("cost"), cost_jv(res->cost));
	gen = jv_object_set(gen, jv_string("latency"), jv_number(round(
	    res->latency * 1000) / 1000));
	gen = jv_object_set(gen, jv_string("attempts"), jv_number(
	    res->attempts));
	gen = jv_object_set(gen, jv_string("requests"), jv_number(
	    res->requests));
	gen = jv_object_set(gen, jv_string("cached"), res->cached ==
	    res->requests ? jv_true() : jv_false());
	gen = jv_object_set(gen, jv_string("finish_reason"), res->finish ?
	    jv_string(res->finish) : jv_null());
	out = jv_object_set(out, jv_string("gen"), gen);
	emit_jv(o, 0, out);
}

static int
gen_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	struct gen *g = arg;
	struct memo *m;
	struct buf msg = BUF_INIT, extra = BUF_INIT;
	const struct llm_result *res, *first_bad = NULL;
	int k, nok = 0, nbad = 0;

	(void)e;
	m = df_xmalloc(len);
	memcpy(m, memo, len);
	for (k = 0; k < m->n; k++) {
		llm_wait(g->L, m->c[k]);
		res = llm_result(m->c[k]);
		if (res->ok) {
			emit_output(g, r, o, m, k, res);
			nok++;
			continue;
		}
		if (first_bad == NULL) {
			first_bad = res;
			buf_adds(&extra, "\"sample\":");
			buf_addf(&extra, "%d,\"attempts\":%d", k,
			    res->attempts);
			if (res->http_status)
				buf_addf(&extra, ",\"http_status\":%d",
				    res->http_status);
			if (res->content != NULL) {
				buf_adds(&extra, ",\"reply\":");
				json_string_encode(&extra, res->content,
				    res->content_len);
			}
			if (m->n > 1)
				buf_addf(&msg, "sample %d: ", k);
			buf_adds(&msg, res->error ? res->error : "failed");
		}
		nbad++;
	}
	if (nbad > 0) {
		if (nbad > 1)
			buf_addf(&msg, " (%d of %d samples failed)", nbad, m->n);
		emit_error(o, r, reject_reason(first_bad->reason), msg.data,
		    extra.data);
	}
	(void)nok;
	for (k = 0; k < m->n; k++)
		llm_call_free(m->c[k]);
	free(m);
	buf_release(&msg);
	buf_release(&extra);
	return 0;
}

static void
stats_extra(void *arg, struct buf *b)
{
	struct gen *g = arg;

	if (g->dry_run) {
		buf_addf(b, "\"llm\":{\"dry_run\":true,\"requests\":%llu,"
		    "\"cached\":%llu,\"prompt_tokens\":%llu,"
		    "\"max_completion_tokens\":%llu,\"est_max_cost_usd\":",
		    g->dry_requests, g->dry_cached, g->dry_prompt_tokens,
		    g->dry_max_tokens);
		if (g->dry_cost_unknown)
			buf_adds(b, "null}");
		else
			buf_addf(b, "%.6f}", g->dry_cost);
		return;
	}
	buf_adds(b, "\"llm\":{");
	llm_totals_json(g->L, b);
	buf_addf(b, ",\"stopped\":");
	if (llm_stopped(g->L) != NULL)
		json_string_encode(b, llm_stopped(g->L),
		    strlen(llm_stopped(g->L)));
	else
		buf_adds(b, "null");
	buf_addc(b, '}');
}

static void
print_totals(struct gen *g)
{
	struct llm_totals t;
	const char *why;

	if (g->quiet)
		return;
	if (g->dry_run) {
		/* Nothing spent: the records say it all, unless asked. */
		if (g->dry_records == 0 || !(g->progress || isatty(2)))
			return;
		fprintf(stderr, "%s: dry run: %llu records, %llu requests to "
		    "send (%llu cached), %llu prompt tokens, up to %llu "
		    "completion tokens, ", df_progname, g->dry_records,
		    g->dry_requests, g->dry_cached, g->dry_prompt_tokens,
		    g->dry_max_tokens);
		if (g->dry_cost_unknown)
			fprintf(stderr, "cost unknown (no price for '%s')\n",
			    g->cfg.model);
		else
			fprintf(stderr, "at most $%.4f\n", g->dry_cost);
		return;
	}
	llm_totals(g->L, &t);
	if (t.requests + t.cache_hits + t.failed == 0 && !(g->progress ||
	    isatty(2)))
		return;
	fprintf(stderr, "%s: %llu requests (%llu retries, %llu re-asks), "
	    "%llu from cache, %llu failed, %llu prompt + %llu completion "
	    "tokens, ", df_progname, t.requests, t.retries, t.reasks,
	    t.cache_hits, t.failed, t.prompt_tokens, t.completion_tokens);
	if (t.cost_unknown > 0)
		fprintf(stderr, "cost unknown (no price for '%s')\n",
		    g->cfg.model);
	else
		fprintf(stderr, "cost $%.4f\n", t.cost);
	why = llm_stopped(g->L);
	if (why != NULL)
		fprintf(stderr, "%s: stopped early (%s): rerun with the same "
		    "cache to resume\n", df_progname, why);
}

/* Built-in templates. */

static char *
template_path(const char *name)
{
	struct buf b = BUF_INIT;
	struct df_err e;
	char *p;

	buf_addf(&b, "gen/%s.jq", name);
	p = df_data_path(b.data, &e);
	buf_release(&b);
	return p;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_templates(void) __attribute__((noreturn));

static void
list_templates(void)
{
	struct df_err e;
	char *dir = df_data_path("gen", &e), *names[64], *p, line[256];
	struct dirent *d;
	size_t n = 0, i, len;
	DIR *dp;
	FILE *fp;

	if (dir == NULL)
		die("%s", e.msg);
	dp = opendir(dir);
	if (dp == NULL)
		die_errno("%s", dir);
	while ((d = readdir(dp)) != NULL && n < 64) {
		len = strlen(d->d_name);
		if (len > 3 && strcmp(d->d_name + len - 3, ".jq") == 0)
			names[n++] = df_xstrdup(d->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s/%s", dir, names[i]);
		names[i][strlen(names[i]) - 3] = '\0';
		/* The first comment line says what the template makes. */
		fp = fopen(b.data, "r");
		line[0] = '\0';
		if (fp != NULL) {
			if (fgets(line, sizeof(line), fp) == NULL)
				line[0] = '\0';
			fclose(fp);
		}
		p = line;
		if (*p == '#')
			p++;
		while (*p == ' ')
			p++;
		p[strcspn(p, "\n")] = '\0';
		if (strncmp(p, names[i], strlen(names[i])) == 0 &&
		    p[strlen(names[i])] == ':')
			p += strlen(names[i]) + 1;
		while (*p == ' ')
			p++;
		printf("%-10s %s\n", names[i], p);
		buf_release(&b);
		free(names[i]);
	}
	free(dir);
	cli_close_stdout();
	exit(0);
}

static char *
read_file(const char *path, const char *what)
{
	struct buf b = BUF_INIT;
	char tmp[8192];
	size_t got;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		cli_bad("%s '%s': %s", what, path, strerror(errno));
	while ((got = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_add(&b, tmp, got);
	if (ferror(fp))
		cli_bad("%s '%s': %s", what, path, strerror(errno));
	fclose(fp);
	return buf_detach(&b, NULL);
}

static char *
default_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (x != NULL && *x == '/')
		buf_addf(&b, "%s/datafactory", x);
	else if (home != NULL && *home != '\0')
		buf_addf(&b, "%s/.cache/datafactory", home);
	else
		return NULL;
	return buf_detach(&b, NULL);
}

/* mkdir -p for the parents of the cache folder. */
static void
make_parents(const char *dir)
{
	char *p = df_xstrdup(dir), *s;

	for (s = p + 1; *s != '\0'; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				break;
			*s = '/';
		}
	free(p);
}

static double
num_opt(const char *name, const char *arg, double min, double max)
{
	double d;

	if (cli_strtod(arg, min, max, &d) < 0)
		cli_bad("%s is not a number in [%g, %g]: '%s'", name, min, max,
		    arg);
	return d;
}

static long long
int_opt(const char *name, const char *arg, long long min, long long max)
{
	const char *errstr;
	long long v = cli_strtonum(arg, min, max, &errstr);

	if (errstr != NULL)
		cli_bad("%s is %s: '%s'", name, errstr, arg);
	return v;
}

static jv
labels_jv(const char *s)
{
	jv a = jv_array();
	const char *p = s, *q;

	if (s == NULL)
		return a;
	for (;;) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		while (p < q && *p == ' ')
			p++;
		if (q > p) {
			const char *t = q;

			while (t > p && t[-1] == ' ')
				t--;
			a = jv_array_append(a, jv_string_sized(p, (int)(t - p)));
		}
		if (*q == '\0')
			break;
		p = q + 1;
	}
	return a;
}

int
main(int argc, char *argv[])
{
	static struct gen g;
	struct filter f;
	struct df_err e;
	struct buf err = BUF_INIT;
	const char *env, *cache_opt = NULL;
	int ch, nstop = 0, no_cache = 0, rc;
	jq_state *jq;
	jv v;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	llm_config_init(&g.cfg);
	g.cfg.params.max_tokens = 1024;
	g.samples = 1;
	g.reask = 2;
	pthread_mutex_init(&g.mu, NULL);
	while ((ch = getopt_long(argc, argv, "c:hj:quV", longopts, NULL)) !=
	    -1) {
		if (filter_option(&f, ch, optarg))
			continue;
		switch (ch) {
		case 'c':
			g.cfg.concurrency = (int)int_opt("concurrency", optarg,
			    1, 1024);
			break;
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_API:
			if (llm_kind_parse(optarg, &g.cfg.kind) < 0)
				cli_bad("--api: unknown kind '%s' (openai, "
				    "ollama, anthropic, llamacpp, vllm)",
				    optarg);
			break;
		case OPT_API_KEY_ENV:
			g.cfg.api_key_env = optarg;
			break;
		case OPT_CACHE:
			cache_opt = optarg;
			break;
		case OPT_DRY_RUN:
			g.dry_run = 1;
			break;
		case OPT_ENDPOINT:
			g.cfg.url = optarg;
			break;
		case OPT_LABELS:
			g.labels = optarg;
			break;
		case OPT_LIST_TEMPLATES:
			list_templates();
		case OPT_MAX_COST:
			g.cfg.max_cost = num_opt("--max-cost", optarg, 0, 1e9);
			break;
		case OPT_MAX_TOKENS:
			g.cfg.params.max_tokens = (long)int_opt("--max-tokens",
			    optarg, 1, 10000000);
			break;
		case OPT_MODEL:
			g.cfg.model = optarg;
			break;
		case OPT_NO_CACHE:
			no_cache = 1;
			break;
		case OPT_PRICES:
			g.prices_path = optarg;
			break;
		case OPT_PROMPT:
			g.prompt = optarg;
			break;
		case OPT_REASK:
			g.reask = (int)int_opt("--reask", optarg, 0, 100);
			break;
		case OPT_RETRIES:
			g.cfg.max_attempts = 1 + (int)int_opt("--retries",
			    optarg, 0, 1000);
			break;
		case OPT_RPM:
			g.cfg.rpm = num_opt("--rpm", optarg, 0, 1e9);
			break;
		case OPT_SAMPLES:
			g.samples = (int)int_opt("--samples", optarg, 1,
			    MAXSAMPLES);
			break;
		case OPT_SCHEMA:
			g.schema_path = optarg;
			break;
		case OPT_SEED:
			g.seed = int_opt("--seed", optarg, 0,
			    (1LL << 53) - MAXSAMPLES);
			break;
		case OPT_STOP:
			if (nstop == MAXSTOP)
				cli_bad("--stop: at most %d sequences",
				    MAXSTOP);
			g.stop[nstop++] = optarg;
			break;
		case OPT_SYSTEM:
			g.system = optarg;
			break;
		case OPT_TEMPERATURE:
			g.cfg.params.temperature = num_opt("--temperature",
			    optarg, 0, 2);
			break;
		case OPT_TEMPLATE:
			g.template_arg = optarg;
			break;
		case OPT_TIMEOUT:
			g.cfg.timeout = num_opt("--timeout", optarg, 0.001,
			    86400);
			break;
		case OPT_TOP_P:
			g.cfg.params.top_p = num_opt("--top-p", optarg, 0, 1);
			break;
		case OPT_TPM:
			g.cfg.tpm = num_opt("--tpm", optarg, 0, 1e12);
			break;
		default:
			cli_usage_error(USAGE);
		}
	}
	g.quiet = f.quiet;
	g.progress = f.progress;
	g.cfg.params.stop = g.stop;
	g.cfg.params.nstop = nstop;
	if ((g.prompt != NULL) + (g.template_arg != NULL) != 1)
		cli_bad("give one of --prompt or --template");
	if (g.prompt != NULL) {
		g.program = df_xstrdup(g.prompt);
		g.template_name = "prompt";
	} else if (strchr(g.template_arg, '/') != NULL ||
	    strstr(g.template_arg, ".jq") != NULL) {
		g.program = read_file(g.template_arg, "--template");
		g.template_name = g.template_arg;
	} else {
		char *p = template_path(g.template_arg);

		if (p == NULL)
			cli_bad("--template: no built-in template '%s' (see "
			    "--list-templates)", g.template_arg);
		g.program = read_file(p, "--template");
		free(p);
		g.template_name = g.template_arg;
	}
	v = labels_jv(g.labels);
	{
		jv s = jv_dump_string(v, 0);

		g.labels_text = df_xstrdup(jv_string_value(s));
		jv_free(s);
	}
	if (g.template_arg != NULL && strcmp(g.template_arg, "classify") ==
	    0 && g.labels == NULL)
		cli_bad("--template classify needs --labels");
	jq = compile_program(&g, &err);
	if (jq == NULL)
		cli_bad("%s: %s", g.prompt != NULL ? "--prompt" : "--template",
		    err.len ? err.data : "does not compile");
	jq_teardown(&jq);
	buf_release(&err);
	if (g.schema_path != NULL) {
		char *text = read_file(g.schema_path, "--schema");

		v = jv_parse(text);
		free(text);
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv msg = jv_is_valid(v) ? jv_string("not a JSON object")
			    : jv_invalid_get_msg(jv_copy(v));
			char why[200];

			snprintf(why, sizeof(why), "%s", jv_get_kind(msg) ==
			    JV_KIND_STRING ? jv_string_value(msg) : "invalid");
			jv_free(msg);
			jv_free(v);
			cli_bad("--schema '%s': %s", g.schema_path, why);
		}
		v = jv_dump_string(v, JV_PRINT_SORTED);
		g.schema_text = df_xstrdup(jv_string_value(v));
		jv_free(v);
	}
	if (g.cfg.url == NULL) {
		env = getenv("DF_LLM_URL");
		g.cfg.url = env != NULL && *env != '\0' ? env :
		    "http://127.0.0.1:11434/v1";
	}
	if (g.cfg.model == NULL) {
		env = getenv("DF_LLM_MODEL");
		g.cfg.model = env != NULL && *env != '\0' ? env : "llama3.2";
	}
	if (g.prices_path != NULL) {
		g.prices = llm_prices_load(g.prices_path, &e);
		if (g.prices == NULL)
			cli_bad("--prices: %s", e.msg);
	} else {
		char *p = df_data_path("llm/prices.json", &e);

		if (p != NULL) {
			g.prices = llm_prices_load(p, &e);
			free(p);
		}
	}
	g.cfg.prices = g.prices;
	if (!no_cache) {
		if (cache_opt != NULL)
			g.cache_dir = df_xstrdup(cache_opt);
		else {
			char *base = default_cache_dir();

			if (base != NULL) {
				struct buf b = BUF_INIT;

				buf_addf(&b, "%s/llm", base);
				g.cache_dir = buf_detach(&b, NULL);
				if (!g.dry_run)
					make_parents(g.cache_dir);
				free(base);
			}
		}
	}
	g.cfg.cache_dir = g.cache_dir;
	g.cfg.seed = (unsigned long long)g.seed;
	if (g.dry_run) {
		/* Read the cache, never make it. */
		struct stat st;

		if (g.cache_dir != NULL && stat(g.cache_dir, &st) != 0)
			g.cfg.cache_dir = NULL;
		g.cfg.max_cost = -1;
	}
	g.L = llm_open(&g.cfg, &e);
	if (g.L == NULL)
		cli_bad("%s", e.msg);

	f.fn = gen_record;
	f.ordered = g.dry_run ? NULL : gen_ordered;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.stats_extra = stats_extra;
	f.arg = &g;
	f.one_to_one = 0;
	f.lookahead = (size_t)(4 * g.cfg.concurrency + 64);
	rc = filter_run(&f, argc - optind, argv + optind);
	print_totals(&g);
	llm_close(g.L);
	llm_prices_free(g.prices);
	free(g.program);
	free(g.schema_text);
	free(g.labels_text);
	free(g.cache_dir);
	return rc;
}
