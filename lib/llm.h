/*
 * The LLM client shared by df-gen and df-judge: chat requests to an
 * OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Ollama /v1, LiteLLM),
 * Ollama's native /api/chat or Anthropic's /v1/messages, run many at once
 * on one libcurl multi handle, paced, retried, cached and paid for.
 *
 * Life of a request (a "call"):
 *
 *	struct llm *L = llm_open(&cfg, &e);		// once, main thread
 *	struct llm_call *c = llm_call_new(L, messages, schema, NULL, k, 2);
 *	llm_submit(L, c);		// any thread; returns at once
 *	...
 *	llm_wait(L, c);			// blocks until done (any thread)
 *	const struct llm_result *r = llm_result(c);
 *	... r->ok, r->content, r->value (schema), r->usage, r->cost ...
 *	llm_call_free(c);
 *	llm_close(L);			// end of run, after the last wait
 *
 * llm_call_new renders the request body for the endpoint kind (in the
 * caller's thread: it uses jv) and computes the cache key: SHA-256 of
 * "df-llm v1", the endpoint kind, the canonical body (sorted keys, no
 * whitespace; the model, messages, parameters, seed and schema are all
 * in it) and the sample index.  The API key and the URL are not part of
 * it.  llm_submit looks the key up in the cache first: a hit completes
 * the call at once and costs nothing.
 *
 * One driver thread, started by the first llm_submit, owns the curl multi
 * handle.  It starts requests in submission order, at most
 * cfg.concurrency at once (lowered by one on each 429 and raised again by
 * one per window of successes: AIMD), no faster than --rpm and --tpm
 * allow (a token bucket; a request weighs its prompt tokens plus its
 * max_tokens, as OpenAI counts) and not while x-ratelimit-remaining-* or
 * anthropic-ratelimit-*-remaining say zero before the reset.  It retries
 * connection failures, resets, timeouts, truncated or unparseable bodies,
 * 408, 409, 429, 5xx and 529 with exponential backoff (base * 2^n, capped,
 * full jitter in the upper half), never sooner than the answer's
 * retry-after-ms or Retry-After (seconds or an HTTP date).  A quota or
 * spend-limit 429 (insufficient_quota, enforced_spend_limit_reached) is
 * not retried: the client stops, every call still queued fails with
 * reason "quota", and llm_stopped says why.  Other 4xx are final.
 *
 * A 200 whose reply is cut (finish_reason "length", Ollama done_reason
 * "length", Anthropic stop_reason "max_tokens") is a failure with reason
 * "length".  With a schema the reply is parsed (a ```json fence is
 * allowed) and checked (llm_schema_check); an invalid reply is asked
 * again up to `reask` times with the error stated, as a new request whose
 * messages are the old ones plus the reply and a correction.
 *
 * Every 200 with a usable envelope is written to the cache (a temporary
 * file renamed into place) before the call completes, so a record is
 * never emitted before its reply is safe; failures are never cached.
 * Cost = usage tokens * the model's prices (cfg.prices); an unknown model
 * has an unknown cost (NAN), never 0.  With cfg.max_cost >= 0 a request
 * is started only while the money spent plus the most every request in
 * flight can cost (prompt tokens + max_tokens at the model's prices)
 * stays within the cap; past it the client stops with reason "max-cost"
 * and the rest fail with that reason (they can be resumed later: what
 * finished is cached).
 *
 * Threads.  Everything here is thread-safe except llm_open and llm_close.
 * A call belongs to whoever holds it; between llm_submit and llm_wait
 * returning, the driver owns it.  No jv crosses threads: bodies travel as
 * text, and the driver parses replies into its own values.
 *
 * How it plugs into the record loop of filter.h (df-gen does this; so
 * can df-judge).  The per-record function (worker threads, or the main
 * thread with -j 1) renders the prompt, creates the record's calls,
 * llm_submit()s them and hands the call pointers to the ordered phase
 * with emit_memo().  The ordered function (main thread, input order)
 * llm_wait()s for them and emits the outputs or rejects the record.  So
 * the requests of every record read so far are in flight together while
 * output stays in input order; -j only adds threads for rendering.  For
 * the pipe not to drain at each batch boundary, set filter.lookahead
 * (records to read and submit ahead of the ordered phase): the loop then
 * reads and submits the next batch before it waits on the oldest.  With
 * lookahead >= 4 * concurrency, -j 1 keeps every slot busy.
 *
 * The API key is read from the environment variable cfg.api_key_env
 * (default OPENAI_API_KEY, or ANTHROPIC_API_KEY for anthropic) and goes
 * only into the Authorization or x-api-key header: never into a body, a
 * cache entry, a key, a log or a message.
 */
#ifndef DF_LLM_H
#define DF_LLM_H

#include <stddef.h>
#include <stdio.h>

#include <jv.h>

#include "buf.h"
#include "diag.h"

/* Endpoint kinds: the wire format spoken. */
enum llm_kind {
	LLM_OPENAI,	/* POST URL/chat/completions; response_format */
	LLM_OLLAMA,	/* POST URL/api/chat (native); format */
	LLM_ANTHROPIC,	/* POST URL/v1/messages; a forced tool for schemas */
	LLM_LLAMACPP,	/* OpenAI shape; body field json_schema */
	LLM_VLLM	/* OpenAI shape; structured_outputs.json */
};

/* "openai", "ollama", "anthropic", "llamacpp", "vllm".  Returns 0 or -1. */
int llm_kind_parse(const char *s, enum llm_kind *k);
const char *llm_kind_name(enum llm_kind k);

/*
 * Sampling parameters.  Unset values are not sent (the server's default
 * applies), except max_tokens for anthropic, which requires it (1024).
 */
struct llm_params {
	double temperature;	/* < 0: unset */
	double top_p;		/* < 0: unset */
	long max_tokens;	/* 0: unset */
	int has_seed;
	long long seed;
	const char *const *stop;	/* stop sequences, nstop of them */
	int nstop;
};

/* The unset parameters. */
void llm_params_init(struct llm_params *p);

/* A price table: USD per token, by model name. */
struct llm_prices;

/*
 * Load a price table: a JSON object keyed by model name whose values have
 * input_cost_per_token and output_cost_per_token (litellm's format, so
 * its model_prices_and_context_window.json works as is), or
 * input_per_mtok and output_per_mtok (USD per million).  Returns the
 * table or NULL with e set.
 */
struct llm_prices *llm_prices_load(const char *path, struct df_err *e);
void llm_prices_free(struct llm_prices *p);

/*
 * The model's prices per token.  A model not found as is is looked up
 * without a "provider/" prefix and without a date suffix (-2024-07-18).
 * Returns 0, or -1 when unknown.
 */
int llm_prices_get(const struct llm_prices *p, const char *model,
    double *in, double *out);

/*
 * Token counter for pacing, cost estimates and --max-cost: the number of
 * tokens in text[0..len).  With none set, a rough len/4 is used.
 */
typedef size_t llm_count_fn(void *arg, const char *text, size_t len);

struct llm_config {
	enum llm_kind kind;
	const char *url;	/* base URL (see llm_endpoint) */
	const char *model;
	const char *api_key_env;	/* NULL: the kind's default */
	struct llm_params params;	/* defaults for calls */
	int concurrency;	/* requests in flight at most (8) */
	double rpm, tpm;	/* 0: no pacing */
	int max_attempts;	/* HTTP attempts per request (8) */
	double timeout;		/* seconds per attempt (600) */
	double connect_timeout;	/* seconds (10) */
	double backoff_base;	/* seconds (0.5) */
	double backoff_max;	/* seconds (30) */
	unsigned long long seed;	/* for the jitter */
	const char *cache_dir;	/* NULL: no cache */
	int cache_read;		/* 0: do not read the cache (refresh) */
	const struct llm_prices *prices;	/* borrowed; NULL: none */
	double max_cost;	/* USD; < 0: no cap */
	llm_count_fn *count;	/* NULL: len/4 */
	void *count_arg;
	FILE *log;		/* one JSON line per attempt, or NULL */
};

/* Set the defaults above. */
void llm_config_init(struct llm_config *c);

/*
 * The URL a request of kind k is posted to, from the base: openai-shaped
 * kinds append /chat/completions, ollama /api/chat, anthropic
 * /v1/messages (or /messages after a base ending in /v1); a base that
 * already ends so is taken as is.  Appends to b.
 */
void llm_endpoint(struct buf *b, enum llm_kind k, const char *base);

struct llm;
struct llm_call;

/*
 * Open a client.  Checks the configuration, reads the API key from the
 * environment, creates the cache folder.  Returns NULL with e set on a
 * bad configuration (no URL or model, a --max-cost with no price for the
 * model, a cache folder that cannot be made).
 */
struct llm *llm_open(const struct llm_config *c, struct df_err *e);

/*
 * Wait for every submitted call, stop the driver and free the client.
 * Calls not yet freed stay valid (free them after).
 */
void llm_close(struct llm *L);

/*
 * A new call: messages is an array of {"role","content"} objects (a
 * "system" message is moved where the kind wants it); schema a JSON
 * Schema object or jv_null(); p the parameters (NULL: the client's);
 * sample the sample index (part of the cache key, so K samples of one
 * prompt are K entries); reask the re-asks allowed on a reply that fails
 * the schema.  Consumes messages and schema.  Never fails: a bad request
 * (messages not an array of such objects) is a call that completes at
 * once with reason "bad-request".
 */
struct llm_call *llm_call_new(struct llm *L, jv messages, jv schema,
    const struct llm_params *p, unsigned sample, int reask);

/* The call's cache key: 64 hex digits. */
const char *llm_call_key(const struct llm_call *c);

/* The first request's body (compact JSON, no API key).  Borrowed. */
const char *llm_call_body(const struct llm_call *c, size_t *len);

/* Prompt tokens of the first request as counted by cfg.count. */
long llm_call_prompt_tokens(const struct llm_call *c);

/* Whether the cache holds the call's reply (1), or not (0). */
int llm_call_cached(struct llm *L, const struct llm_call *c);

/*
 * The most the call can cost: its prompt tokens and max_tokens at the
 * model's prices; NAN when the price or max_tokens is unknown.
 */
double llm_call_max_cost(struct llm *L, const struct llm_call *c);

/* Queue the call (or complete it from the cache).  Thread-safe. */
void llm_submit(struct llm *L, struct llm_call *c);

/* Block until the call is complete.  Thread-safe. */
void llm_wait(struct llm *L, struct llm_call *c);

/* Free a call that is not submitted or is complete. */
void llm_call_free(struct llm_call *c);

/* What a complete call holds.  Everything is owned by the call. */
struct llm_result {
	int ok;			/* a usable reply (valid, when schema'd) */
	const char *reason;	/* when !ok: "http-400", "length", "schema",
				 * "quota", "max-cost", "retries", "timeout",
				 * "network", "bad-reply", "bad-request" */
	const char *error;	/* when !ok: a one-line message */
	const char *content;	/* the reply text (NULL if none) */
	size_t content_len;
	const char *value;	/* with a schema: the reply as compact JSON */
	const char *finish;	/* finish reason as the server said it */
	const char *model;	/* model the server named, or NULL */
	long prompt_tokens;	/* summed over attempts that were paid; */
	long completion_tokens;	/* -1 when the server did not say */
	double cost;		/* USD over every paid request; NAN: unknown */
	double latency;		/* seconds of the last HTTP attempt */
	int attempts;		/* HTTP attempts, re-asks included */
	int requests;		/* distinct requests (1 + re-asks) */
	int cached;		/* requests answered from the cache */
	int http_status;	/* of the last attempt, 0 if none */
};

/* Borrowed from c, valid until llm_call_free.  Only after llm_wait. */
const struct llm_result *llm_result(const struct llm_call *c);

/*
 * Whether the client has stopped starting requests: returns the reason
 * ("quota", "max-cost") or NULL.
 */
const char *llm_stopped(struct llm *L);

/* Totals over the run. */
struct llm_totals {
	unsigned long long calls, requests, attempts, retries, cache_hits,
	    cache_writes, failed, reasks;
	unsigned long long prompt_tokens, completion_tokens;
	double cost;		/* known part */
	unsigned long long cost_unknown;	/* requests with no price */
	double seconds_waiting;	/* Retry-After and backoff, summed */
};

void llm_totals(struct llm *L, struct llm_totals *t);

/*
 * Append the totals as the members of a JSON object (no braces), for
 * --stats: "requests":N,"attempts":N,...,"cost_usd":X or null.
 */
void llm_totals_json(struct llm *L, struct buf *b);

/*
 * Check value against a JSON Schema subset: type (string, number,
 * integer, boolean, object, array, null, or a list), properties,
 * required, additionalProperties false, enum, const, items, minItems,
 * maxItems, minLength, maxLength, minimum, maximum, pattern is ignored.
 * Borrows both.  Returns 0, or -1 with a one-line message in err
 * ("$.answer: expected number, got string").
 */
int llm_schema_check(jv schema, jv value, struct buf *err);

/*
 * Find the JSON value in a reply: the whole text, or the inside of a
 * ```json fence, or the first {...} or [...] span.  Returns a new
 * reference: the value, or an invalid with a message.
 */
jv llm_reply_json(const char *s, size_t len);

#endif
