/*
 * df-judge: quality signals, rule filters, and keep or drop with every
 * drop explained.
 *
 * Each record's text gets its heuristic signals (lib/signals.h) under
 * "scores".  Without a rule nothing is dropped: the records come out
 * annotated.  Rules are the published filters' (--preset fineweb, gopher
 * or c4, in their pipeline's order), a script share (--script), jq
 * conditions over the record and its scores (--require, --keep); a
 * record that fails any goes to --rejects naming every rule it failed,
 * the first as the reason.  --stats counts failures per rule and
 * --explain prints how many records each rule would drop on its own.
 *
 * --judge adds an LLM's score (scores.llm) through lib/llm.h: the worker
 * renders the rubric's prompt and submits the request; the ordered phase
 * waits for the reply in input order, reads the score (a structured
 * reply, else "[[n]]" or "Score: n") and then applies the jq rules, which
 * may use it.  A reply without a score in range is the record's error.
 *
 * Signals are computed on the -j worker threads; rule counts are atomic
 * sums, so output and counts do not depend on -j.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "datadir.h"
#include "filter.h"
#include "hash.h"
#include "judge.h"
#include "llm.h"
#include "signals.h"

#define USAGE \
"df-judge [-hquV] [-c N] [-j N] [--api KIND] [--api-key-env NAME]\n" \
"                [--badwords-lang LANG] [--cache DIR] [--endpoint URL]\n" \
"                [--explain] [--field PATH] [--judge NAME|FILE]\n" \
"                [--judge-format json|text] [--judge-scale MIN-MAX]\n" \
"                [--keep EXPR] [--lang LANG] [--max-cost USD]\n" \
"                [--max-record BYTES] [--max-tokens N]\n" \
"                [--min-script-ratio R] [--model NAME] [--no-cache]\n" \
"                [--preset NAME] [--prices FILE] [--progress] [--redact-pii]\n" \
"                [--rejects FILE] [--require EXPR] [--retries N] [--rpm N]\n" \
"                [--script CODE] [--set NAME=VALUE] [--signals LIST]\n" \
"                [--stats FILE] [--strict] [--temperature X]\n" \
"                [--timeout SECONDS] [--tokenizer SPEC] [--tpm N]\n" \
"                [--where EXPR] [file ...]"

#define HELP \
"Score records with quality signals; keep or drop them by rules.\n" \
"\n" \
"      --api KIND        the judge's API: openai (default), ollama,\n" \
"                        anthropic, llamacpp or vllm\n" \
"      --api-key-env NAME  environment variable holding the API key\n" \
"      --badwords-lang LANG  use this LDNOOBW list (default: the\n" \
"                        detected language's, English when unknown)\n" \
"  -c, --concurrency N   judge requests in flight at most (default 8)\n" \
"      --cache DIR       judge reply cache (default as df-gen's)\n" \
"      --endpoint URL    the judge's base URL (default $DF_LLM_URL, else\n" \
"                        http://127.0.0.1:11434/v1)\n" \
"      --explain         print on stderr, per rule, how many records it\n" \
"                        would drop on its own and how many only it drops\n" \
"      --field PATH      the text to score (default .text)\n" \
"      --judge T         score with an LLM: quality (1-10), edu (0-5),\n" \
"                        math (1-10) or a jq template file\n" \
"      --judge-format F  json (default: ask for {score, reason} with a\n" \
"                        schema) or text (read [[n]] or Score: n)\n" \
"      --judge-scale MIN-MAX  a template file's scale (default 1-10)\n" \
"      --keep EXPR       keep records for which the jq condition over the\n" \
"                        record and its .scores holds; drop the others\n" \
"      --lang LANG       the language the language rule wants (default en)\n" \
"      --max-cost USD    stop starting judge requests past this spend\n" \
"      --max-tokens N    judge reply tokens at most (default 512)\n" \
"      --min-script-ratio R  share of letters in --script (default 0.5)\n" \
"      --model NAME      the judge model (default $DF_LLM_MODEL, else\n" \
"                        llama3.2)\n" \
"      --no-cache        neither read nor write the judge cache\n" \
"      --preset NAME     apply the rules of fineweb, gopher or c4, in\n" \
"                        their pipeline's order (repeatable)\n" \
"      --prices FILE     price table (default: the one installed)\n" \
"      --redact-pii      replace e-mail addresses, phone numbers, IP\n" \
"                        addresses and card numbers in the text\n" \
"      --require EXPR    drop records for which the jq condition fails\n" \
"                        (repeatable: rules require1, require2, ...)\n" \
"      --retries N       HTTP attempts per judge request beyond the\n" \
"                        first (default 7)\n" \
"      --rpm N           judge requests per minute at most\n" \
"      --script CODE     drop records with less than --min-script-ratio\n" \
"                        of their letters in this ISO 15924 script (Mlym)\n" \
"      --set NAME=VALUE  change a threshold, e.g. min_doc_words=30\n" \
"      --signals LIST    the signal groups to compute, comma-separated\n" \
"                        (default all: length, gopher_quality,\n" \
"                        gopher_repetition, c4, fineweb, readability,\n" \
"                        script, lang, pii, badwords)\n" \
"      --temperature X   the judge's temperature (default 0)\n" \
"      --timeout SECONDS per judge HTTP attempt (default 600)\n" \
"      --tokenizer SPEC  count length.tokens with cl100k_base (default),\n" \
"                        o200k_base, a tokenizer.json, or none\n" \
"      --tpm N           judge tokens per minute at most\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_API = FILTER_OPT_LAST,
	OPT_API_KEY_ENV,
	OPT_BADWORDS_LANG,
	OPT_CACHE,
	OPT_ENDPOINT,
	OPT_EXPLAIN,
	OPT_FIELD,
	OPT_JUDGE,
	OPT_JUDGE_FORMAT,
	OPT_JUDGE_SCALE,
	OPT_KEEP,
	OPT_LANG,
	OPT_MAX_COST,
	OPT_MAX_TOKENS,
	OPT_MIN_SCRIPT_RATIO,
	OPT_MODEL,
	OPT_NO_CACHE,
	OPT_PRESET,
	OPT_PRICES,
	OPT_REDACT_PII,
	OPT_REQUIRE,
	OPT_RETRIES,
	OPT_RPM,
	OPT_SCRIPT,
	OPT_SET,
	OPT_SIGNALS,
	OPT_TEMPERATURE,
	OPT_TIMEOUT,
	OPT_TOKENIZER,
	OPT_TPM
};

static const struct option longopts[] = {
	{ "api", required_argument, NULL, OPT_API },
	{ "api-key-env", required_argument, NULL, OPT_API_KEY_ENV },
	{ "badwords-lang", required_argument, NULL, OPT_BADWORDS_LANG },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "endpoint", required_argument, NULL, OPT_ENDPOINT },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "judge", required_argument, NULL, OPT_JUDGE },
	{ "judge-format", required_argument, NULL, OPT_JUDGE_FORMAT },
	{ "judge-scale", required_argument, NULL, OPT_JUDGE_SCALE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "max-cost", required_argument, NULL, OPT_MAX_COST },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
	{ "min-script-ratio", required_argument, NULL, OPT_MIN_SCRIPT_RATIO },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "prices", required_argument, NULL, OPT_PRICES },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "redact-pii", no_argument, NULL, OPT_REDACT_PII },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "require", required_argument, NULL, OPT_REQUIRE },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "rpm", required_argument, NULL, OPT_RPM },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "set", required_argument, NULL, OPT_SET },
	{ "signals", required_argument, NULL, OPT_SIGNALS },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "temperature", required_argument, NULL, OPT_TEMPERATURE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "tokenizer", required_argument, NULL, OPT_TOKENIZER },
	{ "tpm", required_argument, NULL, OPT_TPM },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

static const struct {
	const char *name;
	unsigned bit;
} groups[] = {
	{ "length", SIG_LENGTH },
	{ "gopher_quality", SIG_GOPHER_QUALITY },
	{ "gopher_repetition", SIG_GOPHER_REPETITION },
	{ "c4", SIG_C4 },
	{ "fineweb", SIG_FINEWEB },
	{ "readability", SIG_READABILITY },
	{ "script", SIG_SCRIPT },
	{ "lang", SIG_LANG },
	{ "pii", SIG_PII },
	{ "badwords", SIG_BADWORDS },
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* A rule a record must pass. */
enum rule_kind { RULE_SIGNAL, RULE_SCRIPT, RULE_REQUIRE, RULE_KEEP };

#define MAXREQ 16		/* --require conditions */
#define MAXRULES (R_NRULES + 2 + MAXREQ)

struct rule {
	enum rule_kind kind;
	int sig;		/* enum sig_rule for RULE_SIGNAL */
	int req;		/* index of the condition for RULE_REQUIRE */
	const char *name;
};

struct judge {
	struct field field, scores_f;
	const char *field_text;
	struct sig_config cfg;
	struct rule rule[MAXRULES];
	int nrule;
	const char *keep, *script;
	const char *require[MAXREQ];
	char require_name[MAXREQ][24];
	int nrequire;
	double min_script_ratio;
	int redact, explain;
	_Atomic unsigned long long failed[MAXRULES], only[MAXRULES];
	_Atomic unsigned long long kept, dropped, judged, judge_failed;

	/* The LLM judge (--judge), when L is not NULL. */
	const char *judge_arg, *judge_name;
	char *judge_program;	/* "def judge_text: FIELD; " + template */
	double jmin, jmax;
	int json_format;
	char *schema_text;
	struct llm_config lcfg;
	struct llm *L;
	struct llm_prices *prices;
	char *cache_dir;
	struct wctx *mainw;	/* the ordered phase's own context */
};

static struct judge J;

struct wctx {
	struct sig_ctx *sig;
	struct jqprog keep, require[MAXREQ], tmpl;
	struct buf text, json, redacted, msg, extra;
};

/* What a worker hands the ordered phase when judging. */
struct jmemo {
	struct llm_call *c;
	unsigned char fail[MAXRULES];
	char prompt_hash[17];
	size_t jlen;
	/* followed by the signals' JSON */
};

static void *
worker_new(void *arg)
{
	struct judge *j = arg;
	struct wctx *w = df_xcalloc(1, sizeof(*w));
	int i;

	w->sig = sig_ctx_new(&j->cfg);
	if (j->keep != NULL && jqprog_compile(&w->keep, j->keep) < 0)
		cli_bad("--keep: %s", w->keep.err.data);
	for (i = 0; i < j->nrequire; i++)
		if (jqprog_compile(&w->require[i], j->require[i]) < 0)
			cli_bad("--require: %s", w->require[i].err.data);
	if (j->judge_program != NULL && jqprog_compile(&w->tmpl,
	    j->judge_program) < 0)
		cli_bad("--judge: %s", w->tmpl.err.data);
	return w;
}

static void
worker_free(void *p)
{
	struct wctx *w = p;
	int i;

	sig_ctx_free(w->sig);
	if (J.keep != NULL)
		jqprog_release(&w->keep);
	for (i = 0; i < J.nrequire; i++)
		jqprog_release(&w->require[i]);
	if (J.judge_program != NULL)
		jqprog_release(&w->tmpl);
	buf_release(&w->text);
	buf_release(&w->json);
	buf_release(&w->redacted);
	buf_release(&w->msg);
	buf_release(&w->extra);
	free(w);
}

/* Run a jq condition over the record with its scores set. */
static int
jq_rule(struct jqprog *p, struct rec *r, const struct buf *scores,
    int *truth, const char *opt, struct df_err *e)
{
	jv rec = rec_value(r), s;

	s = jv_parse_sized(scores->data, (int)scores->len);
	if (!jv_is_valid(s)) {
		jv_free(s);
		jv_free(rec);
		return df_err_set(e, "error", "internal error: scores are "
		    "not JSON");
	}
	rec = jv_object_set(rec, jv_string("scores"), s);
	if (jqprog_test(p, rec, truth, e) < 0) {
		df_err_prefix(e, opt);
		return -1;
	}
	return 0;
}

/* Find and decode the record's text into w->text; -1 with e set. */
static int
get_text(struct judge *j, struct wctx *w, struct rec *r, struct df_err *e)
{
	size_t off, len;
	enum json_kind kind;

	if (!field_find(&j->field, r->line, rec_obj(r), &off, &len, &kind))
		return df_err_set(e, "missing-field", "field '%s' is missing",
		    j->field_text);
	if (kind != JSON_STRING)
		return df_err_set(e, "missing-field", "field '%s' is not a "
		    "string", j->field_text);
	buf_reset(&w->text);
	(void)json_string_decode(r->line + off, len, &w->text);
	if (w->text.data == NULL)
		buf_adds(&w->text, "");
	return 0;
}

/* The rules that need no jq: signal rules and the script share. */
static void
signal_rules(struct judge *j, struct wctx *w, const struct sig_result *res,
    unsigned char *fail)
{
	int i;

	memset(fail, 0, MAXRULES);
	for (i = 0; i < j->nrule; i++)
		if (j->rule[i].kind == RULE_SIGNAL)
			fail[i] = res->fail[j->rule[i].sig];
		else if (j->rule[i].kind == RULE_SCRIPT)
			fail[i] = sig_script_share(w->sig, j->script) <
			    j->min_script_ratio;
}

/*
 * The jq rules over the record with w->json as its scores, then the
 * verdict: emit the record with its scores (and redacted text), or drop
 * it naming every rule it failed.
 */
static int
decide(struct judge *j, struct wctx *w, struct rec *r, struct emit *o,
    unsigned char *fail, struct df_err *e)
{
	int i, nfail = 0, first = -1, truth;
	const struct field *fs[2];
	const char *vals[2];
	size_t lens[2];

	for (i = 0; i < j->nrule; i++) {
		if (j->rule[i].kind == RULE_REQUIRE) {
			if (jq_rule(&w->require[j->rule[i].req], r, &w->json,
			    &truth,
			    "--require: ", e) < 0)
				return -1;
			fail[i] = !truth;
		} else if (j->rule[i].kind == RULE_KEEP) {
			if (jq_rule(&w->keep, r, &w->json, &truth, "--keep: ",
			    e) < 0)
				return -1;
			fail[i] = !truth;
		}
		if (fail[i]) {
			nfail++;
			if (first < 0)
				first = i;
			atomic_fetch_add(&j->failed[i], 1);
		}
	}
	if (nfail == 1)
		atomic_fetch_add(&j->only[first], 1);

	if (nfail > 0) {
		atomic_fetch_add(&j->dropped, 1);
		buf_reset(&w->msg);
		buf_reset(&w->extra);
		buf_adds(&w->msg, "failed ");
		buf_adds(&w->extra, "\"rules\":[");
		for (i = 0; i < j->nrule; i++) {
			if (!fail[i])
				continue;
			if (w->extra.data[w->extra.len - 1] != '[') {
				buf_adds(&w->msg, ", ");
				buf_addc(&w->extra, ',');
			}
			buf_adds(&w->msg, j->rule[i].name);
			if (j->rule[i].kind == RULE_REQUIRE)
				buf_addf(&w->msg, " (%s)",
				    j->require[j->rule[i].req]);
			json_string_encode(&w->extra, j->rule[i].name,
			    strlen(j->rule[i].name));
		}
		buf_adds(&w->extra, "],\"scores\":");
		buf_add(&w->extra, w->json.data, w->json.len);
		emit_drop(o, r, j->rule[first].name, w->msg.data,
		    w->extra.data);
		return 0;
	}
	atomic_fetch_add(&j->kept, 1);
	fs[0] = &j->scores_f;
	vals[0] = w->json.data;
	lens[0] = w->json.len;
	if (!j->redact)
		return emit_set(o, 0, r, fs[0], vals[0], lens[0], e);
	buf_reset(&w->redacted);
	buf_reset(&w->msg);
	(void)sig_redact(w->sig, w->text.data, w->text.len, &w->msg);
	json_string_encode(&w->redacted, w->msg.data ? w->msg.data : "",
	    w->msg.len);
	fs[1] = &j->field;
	vals[1] = w->redacted.data;
	lens[1] = w->redacted.len;
	return emit_set_fields(o, 0, r, 2, fs, vals, lens, e);
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

/*
 * Render the judge's prompt over the record with its scores and submit
 * the request; the ordered phase waits for it.
 */
static int
judge_submit(struct judge *j, struct wctx *w, struct rec *r, struct emit *o,
    const unsigned char *fail, struct df_err *e)
{
	jv rec = rec_value(r), msgs, schema;
	struct jmemo m;

	rec = jv_object_set(rec, jv_string("scores"),
	    jv_parse_sized(w->json.data, (int)w->json.len));
	if (jqprog_first(&w->tmpl, rec, &msgs, e) < 0) {
		df_err_prefix(e, "--judge: ");
		return -1;
	}
	if (jv_get_kind(msgs) == JV_KIND_STRING)
		msgs = JV_ARRAY(JV_OBJECT(jv_string("role"), jv_string("user"),
		    jv_string("content"), msgs));
	else if (jv_get_kind(msgs) == JV_KIND_OBJECT)
		msgs = jv_object_get(msgs, jv_string("messages"));
	if (jv_get_kind(msgs) != JV_KIND_ARRAY) {
		jv_free(msgs);
		return df_err_set(e, "judge-template", "--judge: the template "
		    "gave no string, messages array or {messages}");
	}
	memset(&m, 0, sizeof(m));
	memcpy(m.fail, fail, MAXRULES);
	prompt_hash(jv_copy(msgs), m.prompt_hash);
	schema = j->schema_text != NULL ? jv_parse(j->schema_text) : jv_null();
	m.c = llm_call_new(j->L, msgs, schema, NULL, 0, 1);
	llm_submit(j->L, m.c);
	m.jlen = w->json.len;
	emit_memo(o, &m, sizeof(m));
	emit_memo(o, w->json.data, w->json.len);
	return 0;
}

static const char *
llm_reason(const char *why)
{
	static const char *const map[][2] = {
		{ "length", "llm-length" }, { "schema", "llm-schema" },
		{ "quota", "llm-quota" }, { "max-cost", "llm-max-cost" },
		{ "retries", "llm-retries" }, { "timeout", "llm-timeout" },
		{ "network", "llm-network" }, { "bad-reply", "llm-bad-reply" },
		{ "bad-request", "llm-bad-request" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], why) == 0)
			return map[i][1];
	return strncmp(why, "http", 4) == 0 ? "llm-http" : "llm-error";
}

/*
 * The ordered phase when judging: wait for the reply, read its score,
 * add scores.llm and scores.llm_judge, then decide as without a judge.
 */
static int
judge_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	struct judge *j = arg;
	struct wctx *w = j->mainw;
	const struct llm_result *res;
	struct jmemo m;
	const char *how = NULL, *reply;
	size_t rlen;
	double score = NAN;
	int rc;

	(void)len;
	memcpy(&m, memo, sizeof(m));
	llm_wait(j->L, m.c);
	res = llm_result(m.c);
	buf_reset(&w->json);
	buf_add(&w->json, (const char *)memo + sizeof(m), m.jlen);
	buf_reset(&w->msg);
	reply = res->value != NULL ? res->value : res->content;
	rlen = res->value != NULL ? strlen(res->value) : res->content_len;
	/*
	 * A server that ignored the schema still gets its prose read: that
	 * is the "[[n]]" or "Score: n" fallback.
	 */
	if (!res->ok && !(res->reason != NULL && strcmp(res->reason,
	    "schema") == 0 && res->content != NULL)) {
		buf_reset(&w->extra);
		buf_addf(&w->extra, "\"attempts\":%d", res->attempts);
		if (res->http_status)
			buf_addf(&w->extra, ",\"http_status\":%d",
			    res->http_status);
		atomic_fetch_add(&j->judge_failed, 1);
		emit_error(o, r, llm_reason(res->reason ? res->reason : ""),
		    res->error ? res->error : "the judge request failed",
		    w->extra.data);
		llm_call_free(m.c);
		return 0;
	}
	if (reply == NULL || judge_parse(reply, rlen, j->jmin, j->jmax, &score,
	    &how, &w->msg, e) < 0) {
		if (reply == NULL)
			df_err_set(e, "judge-unparseable", "the judge gave no "
			    "reply");
		buf_reset(&w->extra);
		buf_adds(&w->extra, "\"reply\":");
		if (reply != NULL)
			json_string_encode(&w->extra, reply, rlen);
		else
			buf_adds(&w->extra, "null");
		buf_adds(&w->extra, ",\"scores\":");
		buf_add(&w->extra, w->json.data, w->json.len);
		atomic_fetch_add(&j->judge_failed, 1);
		emit_error(o, r, e->reason, e->msg, w->extra.data);
		llm_call_free(m.c);
		return 0;
	}
	atomic_fetch_add(&j->judged, 1);
	/* Splice the score and what made it before the closing brace. */
	w->json.len--;
	if (w->json.len > 1)
		buf_addc(&w->json, ',');
	buf_addf(&w->json, "\"llm\":%.15g,\"llm_judge\":{\"template\":",
	    score);
	json_string_encode(&w->json, j->judge_name, strlen(j->judge_name));
	buf_adds(&w->json, ",\"model\":");
	reply = res->model != NULL ? res->model : j->lcfg.model;
	json_string_encode(&w->json, reply, strlen(reply));
	buf_addf(&w->json, ",\"prompt_hash\":\"%s\",\"scale\":[%g,%g],"
	    "\"how\":\"%s\",\"reason\":", m.prompt_hash, j->jmin, j->jmax,
	    how);
	if (w->msg.len > 0)
		json_string_encode(&w->json, w->msg.data, w->msg.len);
	else
		buf_adds(&w->json, "null");
	buf_addf(&w->json, ",\"cached\":%s}}", res->cached == res->requests ?
	    "true" : "false");
	llm_call_free(m.c);
	if (j->redact && get_text(j, w, r, e) < 0)
		return -1;
	rc = decide(j, w, r, o, m.fail, e);
	return rc;
}

static int
judge_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct judge *j = &J;
	struct wctx *w = wp;
	struct sig_result res;
	unsigned char fail[MAXRULES];

	if (get_text(j, w, r, e) < 0)
		return -1;
	sig_compute(w->sig, w->text.data, w->text.len, &res, &w->json);
	signal_rules(j, w, &res, fail);
	if (j->L != NULL)
		return judge_submit(j, w, r, o, fail, e);
	return decide(j, w, r, o, fail, e);
}

static void
stats_extra(void *arg, struct buf *b)
{
	struct judge *j = arg;
	int i;

	buf_adds(b, "\"rules\":{");
	for (i = 0; i < j->nrule; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_string_encode(b, j->rule[i].name,
		    strlen(j->rule[i].name));
		buf_addf(b, ":{\"failed\":%llu,\"only\":%llu}",
		    (unsigned long long)j->failed[i],
		    (unsigned long long)j->only[i]);
	}
	buf_addf(b, "},\"kept\":%llu,\"dropped\":%llu",
	    (unsigned long long)j->kept, (unsigned long long)j->dropped);
	if (j->L != NULL) {
		buf_addf(b, ",\"judged\":%llu,\"judge_failed\":%llu,"
		    "\"llm\":{", (unsigned long long)j->judged,
		    (unsigned long long)j->judge_failed);
		llm_totals_json(j->L, b);
		buf_addc(b, '}');
	}
}

static int
finish(void *arg)
{
	struct judge *j = arg;
	int i, width = 4;

	if (!j->explain)
		return 0;
	for (i = 0; i < j->nrule; i++)
		if ((int)strlen(j->rule[i].name) > width)
			width = (int)strlen(j->rule[i].name);
	fprintf(stderr, "%s: %-*s %10s %10s\n", df_progname, width, "rule",
	    "would-drop", "only-it");
	for (i = 0; i < j->nrule; i++)
		fprintf(stderr, "%s: %-*s %10llu %10llu\n", df_progname, width,
		    j->rule[i].name, (unsigned long long)j->failed[i],
		    (unsigned long long)j->only[i]);
	fprintf(stderr, "%s: %-*s %10llu\n", df_progname, width, "dropped",
	    (unsigned long long)j->dropped);
	return 0;
}

/* Add a signal rule unless it is there already. */
static void
add_sig_rule(struct judge *j, int sig)
{
	int i;

	for (i = 0; i < j->nrule; i++)
		if (j->rule[i].kind == RULE_SIGNAL && j->rule[i].sig == sig)
			return;
	j->rule[j->nrule].kind = RULE_SIGNAL;
	j->rule[j->nrule].sig = sig;
	j->rule[j->nrule].name = sig_rules[sig].name;
	j->nrule++;
}

static void
add_range(struct judge *j, int lo, int hi)
{
	int i;

	for (i = lo; i <= hi; i++)
		add_sig_rule(j, i);
}

/* The rules of a published pipeline, in its order; returns the groups. */
static unsigned
add_preset(struct judge *j, const char *name)
{
	if (strcmp(name, "gopher") == 0) {
		/* datatrove's examples: repetition first, then quality. */
		add_range(j, R_GR_DUP_PARA, R_GR_DUP10);
		add_range(j, R_GQ_SHORT_DOC, R_GQ_STOP_WORDS);
		return SIG_GOPHER_REPETITION | SIG_GOPHER_QUALITY;
	}
	if (strcmp(name, "c4") == 0) {
		add_range(j, R_C4_LOREM, R_C4_BADWORDS);
		return SIG_C4;
	}
	if (strcmp(name, "fineweb") == 0) {
		/*
		 * examples/fineweb.py after extraction: language, Gopher
		 * repetition, Gopher quality, C4 without the terminal
		 * punctuation rule, FineWeb quality.
		 */
		add_sig_rule(j, R_LANGUAGE);
		add_range(j, R_GR_DUP_PARA, R_GR_DUP10);
		add_range(j, R_GQ_SHORT_DOC, R_GQ_STOP_WORDS);
		add_range(j, R_FC4_LOREM, R_FC4_FEW_SENTENCES);
		add_range(j, R_FW_EMPTY, R_FW_LIST);
		return SIG_LANG | SIG_GOPHER_REPETITION | SIG_GOPHER_QUALITY |
		    SIG_FINEWEB;
	}
	cli_bad("--preset is fineweb, gopher or c4, not '%s'", name);
}

static unsigned
parse_signals(const char *list)
{
	char *copy = df_xstrdup(list), *tok, *save = NULL;
	unsigned bits = 0;
	size_t k;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			bits |= SIG_ALL;
			continue;
		}
		for (k = 0; k < NGROUPS; k++)
			if (strcmp(groups[k].name, tok) == 0)
				break;
		if (k == NGROUPS)
			cli_bad("--signals: no signal group '%s'", tok);
		bits |= groups[k].bit;
	}
	free(copy);
	if (bits == 0)
		cli_bad("--signals: name at least one group");
	return bits;
}

static void
parse_field(struct field *f, const char *text, const char *opt)
{
	char err[160];

	if (field_parse(f, text, err, sizeof(err)) < 0)
		cli_bad("%s: %s", opt, err);
}

static void check_jq(const char *text, const char *opt);

static double
num_opt(const char *name, const char *arg, double min, double max)
{
	double d;

	if (cli_strtod(arg, min, max, &d) < 0)
		cli_bad("%s is not a number in [%g, %g]: '%s'", name, min, max,
		    arg);
	return d;
}

static char *
read_file(const char *path, const char *opt)
{
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		cli_bad("%s: cannot open '%s': %s", opt, path, strerror(errno));
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_add(&b, tmp, n);
	if (ferror(fp))
		cli_bad("%s: cannot read '%s': %s", opt, path, strerror(errno));
	fclose(fp);
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_detach(&b, NULL);
}

/* mkdir -p dir. */
static void
make_dirs(const char *dir)
{
	char *p = df_xstrdup(dir), *s;

	for (s = p + 1; *s != '\0'; s++)
		if (*s == '/') {
			*s = '\0';
			(void)mkdir(p, 0777);
			*s = '/';
		}
	(void)mkdir(p, 0777);
	free(p);
}

/* Set up the LLM judge: template, schema, client. */
static void
judge_setup(struct judge *j, const char *cache_opt, int no_cache,
    const char *prices_path, const char *scale, const char *format)
{
	const struct judge_rubric *rb = judge_rubric_find(j->judge_arg);
	struct df_err e = { "", NULL };
	struct buf b = BUF_INIT;
	char *tmpl, *path, *end;
	const char *env;

	if (rb != NULL) {
		buf_addf(&b, "judge/%s.jq", rb->name);
		if ((path = df_data_path(b.data, &e)) == NULL)
			die("--judge: %s", e.msg);
		tmpl = read_file(path, "--judge");
		free(path);
		j->judge_name = rb->name;
		j->jmin = rb->min;
		j->jmax = rb->max;
		if (scale != NULL)
			cli_bad("--judge-scale goes with a template file");
	} else {
		if (strchr(j->judge_arg, '/') == NULL &&
		    strstr(j->judge_arg, ".jq") == NULL)
			cli_bad("--judge: no built-in rubric '%s' (quality, "
			    "edu, math) and no .jq file", j->judge_arg);
		tmpl = read_file(j->judge_arg, "--judge");
		j->judge_name = j->judge_arg;
		j->jmin = 1;
		j->jmax = 10;
		if (scale != NULL) {
			j->jmin = strtod(scale, &end);
			if (end == scale || *end != '-' ||
			    cli_strtod(end + 1, -1e9, 1e9, &j->jmax) < 0 ||
			    !(j->jmin < j->jmax))
				cli_bad("--judge-scale is MIN-MAX, e.g. 0-5, "
				    "not '%s'", scale);
		}
	}
	buf_reset(&b);
	buf_addf(&b, "def judge_text: %s; ", j->field_text);
	buf_adds(&b, tmpl);
	free(tmpl);
	j->judge_program = buf_detach(&b, NULL);
	check_jq(j->judge_program, "--judge");
	if (format == NULL || strcmp(format, "json") == 0) {
		j->json_format = 1;
		buf_addf(&b, "{\"type\":\"object\",\"properties\":{"
		    "\"score\":{\"type\":\"%s\",\"minimum\":%g,"
		    "\"maximum\":%g},\"reason\":{\"type\":\"string\"}},"
		    "\"required\":[\"score\",\"reason\"],"
		    "\"additionalProperties\":false}",
		    j->jmin == floor(j->jmin) && j->jmax == floor(j->jmax) ?
		    "integer" : "number", j->jmin, j->jmax);
		j->schema_text = buf_detach(&b, NULL);
	} else if (strcmp(format, "text") != 0)
		cli_bad("--judge-format is json or text, not '%s'", format);

	if (j->lcfg.url == NULL) {
		env = getenv("DF_LLM_URL");
		j->lcfg.url = env != NULL && *env != '\0' ? env :
		    "http://127.0.0.1:11434/v1";
	}
	if (j->lcfg.model == NULL) {
		env = getenv("DF_LLM_MODEL");
		j->lcfg.model = env != NULL && *env != '\0' ? env : "llama3.2";
	}
	if (prices_path != NULL) {
		if ((j->prices = llm_prices_load(prices_path, &e)) == NULL)
			cli_bad("--prices: %s", e.msg);
	} else if ((path = df_data_path("llm/prices.json", &e)) != NULL) {
		j->prices = llm_prices_load(path, &e);
		free(path);
	}
	j->lcfg.prices = j->prices;
	if (!no_cache) {
		const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

		if (cache_opt != NULL)
			buf_adds(&b, cache_opt);
		else if (x != NULL && *x == '/')
			buf_addf(&b, "%s/datafactory/llm", x);
		else if (home != NULL && *home != '\0')
			buf_addf(&b, "%s/.cache/datafactory/llm", home);
		if (b.len > 0) {
			j->cache_dir = buf_detach(&b, NULL);
			make_dirs(j->cache_dir);
		}
	}
	j->lcfg.cache_dir = j->cache_dir;
	if ((j->L = llm_open(&j->lcfg, &e)) == NULL)
		cli_bad("%s", e.msg);
	buf_release(&b);
}

static void
check_jq(const char *text, const char *opt)
{
	struct jqprog p;

	if (jqprog_compile(&p, text) < 0)
		cli_bad("%s: %s", opt, p.err.data);
	jqprog_release(&p);
}

int
main(int argc, char *argv[])
{
	struct judge *j = &J;
	struct filter f;
	struct df_err e = { "", NULL };
	const char *presets[8], *sets[64], *tokspec = "cl100k_base";
	const char *cache_opt = NULL, *prices_path = NULL, *scale = NULL;
	const char *format = NULL, *errstr;
	struct tok *tok = NULL;
	int no_cache = 0;
	unsigned bits = SIG_ALL;
	int ch, i, npresets = 0, nsets = 0, have_ratio = 0;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	j->field_text = ".text";
	j->min_script_ratio = 0.5;
	sig_config_init(&j->cfg, SIG_ALL);
	llm_config_init(&j->lcfg);
	j->lcfg.params.max_tokens = 512;
	j->lcfg.params.temperature = 0;
	while ((ch = getopt_long(argc, argv, "c:hj:quV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			j->lcfg.concurrency = (int)cli_strtonum(optarg, 1, 1024,
			    &errstr);
			if (errstr != NULL)
				cli_bad("--concurrency is %s: '%s'", errstr,
				    optarg);
			break;
		case OPT_API:
			if (llm_kind_parse(optarg, &j->lcfg.kind) < 0)
				cli_bad("--api: unknown kind '%s' (openai, "
				    "ollama, anthropic, llamacpp, vllm)",
				    optarg);
			break;
		case OPT_API_KEY_ENV:
			j->lcfg.api_key_env = optarg;
			break;
		case OPT_CACHE:
			cache_opt = optarg;
			break;
		case OPT_ENDPOINT:
			j->lcfg.url = optarg;
			break;
		case OPT_JUDGE:
			j->judge_arg = optarg;
			break;
		case OPT_JUDGE_FORMAT:
			format = optarg;
			break;
		case OPT_JUDGE_SCALE:
			scale = optarg;
			break;
		case OPT_MAX_COST:
			j->lcfg.max_cost = num_opt("--max-cost", optarg, 0, 1e9);
			break;
		case OPT_MAX_TOKENS:
			j->lcfg.params.max_tokens = (long)num_opt("--max-tokens",
			    optarg, 1, 10000000);
			break;
		case OPT_MODEL:
			j->lcfg.model = optarg;
			break;
		case OPT_NO_CACHE:
			no_cache = 1;
			break;
		case OPT_PRICES:
			prices_path = optarg;
			break;
		case OPT_RETRIES:
			j->lcfg.max_attempts = 1 + (int)num_opt("--retries",
			    optarg, 0, 1000);
			break;
		case OPT_RPM:
			j->lcfg.rpm = num_opt("--rpm", optarg, 0, 1e9);
			break;
		case OPT_TEMPERATURE:
			j->lcfg.params.temperature = num_opt("--temperature",
			    optarg, 0, 2);
			break;
		case OPT_TIMEOUT:
			j->lcfg.timeout = num_opt("--timeout", optarg, 0.001,
			    86400);
			break;
		case OPT_TPM:
			j->lcfg.tpm = num_opt("--tpm", optarg, 0, 1e12);
			break;
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_BADWORDS_LANG:
			if (strlen(optarg) >= sizeof(j->cfg.badwords_lang))
				cli_bad("--badwords-lang: no list for '%s'",
				    optarg);
			strcpy(j->cfg.badwords_lang, optarg);
			break;
		case OPT_EXPLAIN:
			j->explain = 1;
			break;
		case OPT_FIELD:
			j->field_text = optarg;
			break;
		case OPT_KEEP:
			j->keep = optarg;
			break;
		case OPT_LANG:
			if (strlen(optarg) >= sizeof(j->cfg.lang) ||
			    optarg[0] == '\0')
				cli_bad("--lang: '%s' is no language code",
				    optarg);
			strcpy(j->cfg.lang, optarg);
			break;
		case OPT_MIN_SCRIPT_RATIO:
			if (cli_strtod(optarg, 0, 1, &j->min_script_ratio) < 0)
				cli_bad("--min-script-ratio must be a number "
				    "from 0 to 1, not '%s'", optarg);
			have_ratio = 1;
			break;
		case OPT_PRESET:
			if (npresets == 8)
				cli_bad("--preset: at most 8");
			presets[npresets++] = optarg;
			break;
		case OPT_REDACT_PII:
			j->redact = 1;
			break;
		case OPT_REQUIRE:
			if (j->nrequire == MAXREQ)
				cli_bad("--require: at most %d", MAXREQ);
			j->require[j->nrequire++] = optarg;
			break;
		case OPT_SCRIPT:
			if (!sig_script_known(optarg))
				cli_bad("--script: '%s' is no ISO 15924 script "
				    "code (e.g. Latn, Mlym, Deva)", optarg);
			j->script = optarg;
			break;
		case OPT_SET:
			if (nsets == 64)
				cli_bad("--set: at most 64");
			sets[nsets++] = optarg;
			break;
		case OPT_SIGNALS:
			bits = parse_signals(optarg);
			break;
		case OPT_TOKENIZER:
			tokspec = optarg;
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (have_ratio && j->script == NULL)
		cli_bad("--min-script-ratio goes with --script");
	parse_field(&j->field, j->field_text, "--field");
	parse_field(&j->scores_f, ".scores", "scores");
	if (j->keep != NULL)
		check_jq(j->keep, "--keep");
	for (i = 0; i < j->nrequire; i++)
		check_jq(j->require[i], "--require");

	for (i = 0; i < npresets; i++)
		bits |= add_preset(j, presets[i]);
	if (j->script != NULL) {
		bits |= SIG_SCRIPT;
		j->rule[j->nrule].kind = RULE_SCRIPT;
		j->rule[j->nrule++].name = "script_ratio";
	}
	for (i = 0; i < j->nrequire; i++) {
		/* One condition is "require"; several are require1, ... */
		if (j->nrequire == 1)
			strcpy(j->require_name[i], "require");
		else
			snprintf(j->require_name[i], sizeof(j->require_name[i]),
			    "require%d", i + 1);
		j->rule[j->nrule].kind = RULE_REQUIRE;
		j->rule[j->nrule].req = i;
		j->rule[j->nrule++].name = j->require_name[i];
	}
	if (j->keep != NULL) {
		j->rule[j->nrule].kind = RULE_KEEP;
		j->rule[j->nrule++].name = "keep";
	}
	j->cfg.groups = bits;
	for (i = 0; i < nsets; i++)
		if (sig_config_set(&j->cfg, sets[i], &e) < 0)
			cli_bad("--set: %s", e.msg);
	if (sig_config_load(&j->cfg, &e) < 0)
		die("%s", e.msg);
	if ((bits & SIG_LENGTH) && strcmp(tokspec, "none") != 0) {
		if ((tok = tok_open(tokspec, &e)) == NULL)
			die("--tokenizer: %s", e.msg);
		j->cfg.tok = tok;
	}

	if (j->judge_arg != NULL) {
		judge_setup(j, cache_opt, no_cache, prices_path, scale, format);
		j->mainw = worker_new(j);
		f.ordered = judge_ordered;
		f.lookahead = (size_t)(4 * j->lcfg.concurrency + 64);
	} else if (scale != NULL || format != NULL)
		cli_bad("--judge-scale and --judge-format go with --judge");

	f.fn = judge_record;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.finish = finish;
	f.stats_extra = stats_extra;
	f.arg = j;
	f.one_to_one = 1;
	i = filter_run(&f, argc, argv);
	if (j->L != NULL) {
		const char *why = llm_stopped(j->L);

		llm_close(j->L);
		worker_free(j->mainw);
		llm_prices_free(j->prices);
		free(j->judge_program);
		free(j->schema_text);
		free(j->cache_dir);
		if (why != NULL) {
			warnmsg("the judge stopped: %s", why);
			i = i ? i : 1;
		}
	}
	field_release(&j->field);
	field_release(&j->scores_f);
	sig_config_release(&j->cfg);
	tok_free(tok);
	return i;
}
