/*
 * The record loop (filter.h).
 *
 * The main thread reads operands into batches of lines.  With -j 1 it
 * processes each batch itself; with -j N it hands batches to N worker
 * threads and writes finished batches strictly in the order they were
 * read, so the output does not depend on N.  A batch carries everything
 * its records produce: output per channel, rejected records, diagnostics
 * and counts, all applied by the main thread in order.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "filter.h"
#include "hash.h"

#define BATCH_BYTES	(256 * 1024)
#define BATCH_LINES	2048
#define READ_CHUNK	(1024 * 1024)

enum item_kind { ITEM_LINE, ITEM_TOOLONG };

struct item {
	size_t off;		/* in batch->text */
	size_t len;
	unsigned long lineno;
	unsigned long long rawlen;	/* ITEM_TOOLONG: the line's length */
	int file;
	unsigned char kind;
	unsigned char pending;	/* accepted; waits for the ordered phase */
	size_t memo_off, memo_len;
	/*
	 * With an ordered phase: what the worker already wrote for this
	 * record (a pass-through, a reject, a diagnostic), as spans of the
	 * batch's buffers, so the ordered phase puts it back in its place.
	 */
	size_t out_off, out_len, rej_off, rej_len, diag_off, diag_len;
};

struct reason_count {
	const char *reason;
	unsigned long long n;
};

struct batch {
	struct buf text;
	struct item *it;
	size_t n, cap;
	struct buf out[FILTER_MAXCHAN];
	unsigned long long nrec[FILTER_MAXCHAN];
	struct buf rej;
	struct buf diag;
	struct buf memo;
	struct reason_count *rc;
	size_t nrc, caprc;
	unsigned long long nout, npassed, nerr, nrej;
	int done;
	struct batch *next;
};

struct emit {
	struct filter *f;
	struct batch *b;
	struct item *it;
	void *wctx;
};

struct input {
	int fd;
	const char *name;
};

struct worker {
	pthread_t tid;
	struct filter *f;
	void *wctx;
	struct jqprog where;
	struct json_obj obj;
};

/* State shared between the main thread and the workers. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static struct batch *work_head, *work_tail;
static int quitting;

static struct input *inputs;
static size_t ninputs;

/* Progress. */
static int progress_on, progress_shown;
static struct timespec t_start, t_last;
static unsigned long long bytes_read, bytes_total;

/* Temporary files to remove on a fatal signal. */
#define MAXTEMP 64
static struct {
	FILE *fp;
	char *tmp, *path;
} temps[MAXTEMP];
static volatile sig_atomic_t ntemps_sig;

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
progress_clear(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

static void
progress_update(struct filter *f, int force)
{
	struct timespec now;
	double secs, rate;
	char eta[32] = "";

	if (!progress_on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && elapsed(&t_last, &now) < 0.2)
		return;
	t_last = now;
	secs = elapsed(&t_start, &now);
	rate = secs > 0 ? (double)f->n_in / secs : 0;
	if (bytes_total > 0 && bytes_read > 0 && bytes_read < bytes_total) {
		double left = secs * (double)(bytes_total - bytes_read) /
		    (double)bytes_read;
		snprintf(eta, sizeof(eta), ", eta %d:%02d",
		    (int)(left / 60), (int)left % 60);
	}
	fprintf(stderr, "\r\033[K%s: %llu records, %.0f rec/s, %.1f MB%s",
	    df_progname, f->n_in, rate, (double)bytes_read / 1e6, eta);
	progress_shown = 1;
}

const struct json_obj *
rec_obj(struct rec *r)
{
	enum json_kind k;
	char err[160];

	if (r->obj == NULL) {
		if (json_scan_object(r->line, r->len, r->objbuf, &k, err,
		    sizeof(err)) < 0)
			die("internal error: record rescanned badly: %s", err);
		r->obj = r->objbuf;
	}
	return r->obj;
}

jv
rec_value(struct rec *r)
{
	if (!r->parsed) {
		r->v = jv_parse_sized(r->line, (int)r->len);
		r->parsed = 1;
	}
	return jv_copy(r->v);
}

static struct buf *
chan_buf(struct emit *o, int chan)
{
	if (chan < 0 || chan >= o->f->nchan)
		die("internal error: no output channel %d", chan);
	o->b->nrec[chan]++;
	o->b->nout++;
	return &o->b->out[chan];
}

void
emit_line(struct emit *o, int chan, const char *p, size_t len)
{
	struct buf *b = chan_buf(o, chan);

	buf_add(b, p, len);
	buf_addc(b, '\n');
}

void
emit_rec(struct emit *o, int chan, const struct rec *r)
{
	emit_line(o, chan, r->line, r->len);
}

void
emit_jv(struct emit *o, int chan, jv v)
{
	struct buf *b = chan_buf(o, chan);

	v = jv_dump_string(v, 0);
	buf_add(b, jv_string_value(v), (size_t)jv_string_length_bytes(
	    jv_copy(v)));
	buf_addc(b, '\n');
	jv_free(v);
}

/* Whether member i of o (scanned from line) has the key key[0..keylen). */
static int
member_is(const struct json_obj *o, size_t i, const char *line,
    const char *key, size_t keylen)
{
	const struct json_member *m = &o->m[i];
	struct buf b = BUF_INIT;
	int eq;

	if (m->key_plain)
		return m->key_len - 2 == keylen &&
		    memcmp(line + m->key_off + 1, key, keylen) == 0;
	(void)json_string_decode(line + m->key_off, m->key_len, &b);
	eq = b.len == keylen && memcmp(b.data, key, keylen) == 0;
	buf_release(&b);
	return eq;
}

/*
 * Append line with the top-level member key set to json: replaced in
 * place at its first occurrence (later duplicates dropped), else added
 * before the closing brace.
 */
static void
splice(struct buf *b, const char *line, size_t len, const struct json_obj *o,
    const char *key, size_t keylen, const char *json, size_t jlen)
{
	size_t i, pos = 0, close;
	int done = 0;
	const struct json_member *m;

	for (i = 0; i < o->n; i++) {
		m = &o->m[i];
		if (member_is(o, i, line, key, keylen)) {
			if (!done) {
				buf_add(b, line + pos, m->val_off - pos);
				buf_add(b, json, jlen);
				pos = m->val_off + m->val_len;
				done = 1;
			} else {
				/* Drop ",key:value" of a duplicate. */
				size_t start = o->m[i - 1].val_off +
				    o->m[i - 1].val_len;
				buf_add(b, line + pos, start - pos);
				pos = m->val_off + m->val_len;
			}
		}
	}
	if (done) {
		buf_add(b, line + pos, len - pos);
		return;
	}
	close = len;
	while (close > 0 && line[close - 1] != '}')
		close--;
	close--;
	buf_add(b, line, close);
	if (o->n > 0)
		buf_addc(b, ',');
	json_string_encode(b, key, keylen);
	buf_addc(b, ':');
	buf_add(b, json, jlen);
	buf_add(b, line + close, len - close);
}

int
emit_set(struct emit *o, int chan, struct rec *r, const struct field *f,
    const char *json, size_t len, struct df_err *e)
{
	struct buf *b;
	jv v;

	if (f->n == 1) {
		b = chan_buf(o, chan);
		splice(b, r->line, r->len, rec_obj(r), f->key[0], f->keylen[0],
		    json, len);
		buf_addc(b, '\n');
		return 0;
	}
	v = field_set_jv(f, rec_value(r), jv_parse_sized(json, (int)len));
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		int rc = df_err_set(e, "bad-field", "cannot set '%s': %s",
		    f->text, jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "not an object");
		jv_free(msg);
		return rc;
	}
	emit_jv(o, chan, v);
	return 0;
}

int
emit_set_fields(struct emit *o, int chan, struct rec *r, int n,
    const struct field *const *f, const char *const *json,
    const size_t *len, struct df_err *e)
{
	struct buf a = BUF_INIT, b = BUF_INIT, *cur = NULL, *nxt = &a, *t;
	struct json_obj obj = { NULL, 0, 0 };
	enum json_kind k;
	char err[160];
	struct buf *out;
	int i, top = 1;
	jv v;

	for (i = 0; i < n; i++)
		if (f[i]->n != 1)
			top = 0;
	if (!top) {
		v = rec_value(r);
		for (i = 0; i < n && jv_is_valid(v); i++)
			v = field_set_jv(f[i], v, jv_parse_sized(json[i],
			    (int)len[i]));
		if (!jv_is_valid(v)) {
			jv msg = jv_invalid_get_msg(v);
			int rc = df_err_set(e, "bad-field", "cannot set '%s': "
			    "%s", f[i - 1]->text, jv_get_kind(msg) ==
			    JV_KIND_STRING ? jv_string_value(msg) :
			    "not an object");

			jv_free(msg);
			return rc;
		}
		emit_jv(o, chan, v);
		return 0;
	}
	/* Splice one field after another, rescanning in between. */
	for (i = 0; i < n; i++) {
		buf_reset(nxt);
		if (cur == NULL)
			splice(nxt, r->line, r->len, rec_obj(r), f[i]->key[0],
			    f[i]->keylen[0], json[i], len[i]);
		else {
			if (json_scan_object(cur->data, cur->len, &obj, &k, err,
			    sizeof(err)) < 0)
				die("internal error: spliced record: %s", err);
			splice(nxt, cur->data, cur->len, &obj, f[i]->key[0],
			    f[i]->keylen[0], json[i], len[i]);
		}
		t = cur == NULL ? &b : cur;
		cur = nxt;
		nxt = t;
	}
	out = chan_buf(o, chan);
	if (cur != NULL)
		buf_add(out, cur->data, cur->len);
	else
		buf_add(out, r->line, r->len);
	buf_addc(out, '\n');
	json_obj_release(&obj);
	buf_release(&a);
	buf_release(&b);
	return 0;
}

void
emit_memo(struct emit *o, const void *p, size_t len)
{
	buf_add(&o->b->memo, p, len);
	o->it->memo_len += len;
}

static void
count_reason(struct batch *b, const char *reason)
{
	size_t i;

	for (i = 0; i < b->nrc; i++)
		if (b->rc[i].reason == reason ||
		    strcmp(b->rc[i].reason, reason) == 0) {
			b->rc[i].n++;
			return;
		}
	if (b->nrc == b->caprc) {
		b->caprc = b->caprc ? 2 * b->caprc : 8;
		b->rc = df_xrealloc(b->rc, b->caprc * sizeof(*b->rc));
	}
	b->rc[b->nrc].reason = reason;
	b->rc[b->nrc].n = 1;
	b->nrc++;
}

static void
reject_object(struct buf *b, const char *reason, const char *message,
    const char *file, unsigned long lineno, const char *extra)
{
	buf_adds(b, "{\"program\":");
	json_string_encode(b, df_progname, strlen(df_progname));
	buf_adds(b, ",\"reason\":");
	json_string_encode(b, reason, strlen(reason));
	if (message != NULL) {
		buf_adds(b, ",\"message\":");
		json_string_encode(b, message, strlen(message));
	}
	buf_adds(b, ",\"file\":");
	json_string_encode(b, file, strlen(file));
	buf_addf(b, ",\"line\":%lu", lineno);
	if (extra != NULL && *extra != '\0') {
		buf_addc(b, ',');
		buf_adds(b, extra);
	}
	buf_addc(b, '}');
}

static void
base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[v >> 12 & 63]);
		buf_addc(b, tab[v >> 6 & 63]);
		buf_addc(b, tab[v & 63]);
	}
	if (i < n) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[v >> 12 & 63]);
		buf_addc(b, i + 1 < n ? tab[v >> 6 & 63] : '=');
		buf_addc(b, '=');
	}
}

/*
 * Reject the current item: to --rejects with the reason attached, and,
 * when it is an error, a diagnostic with its location.
 */
static void
reject(struct emit *o, const struct json_obj *jo, const char *reason,
    const char *message, const char *extra, int is_error)
{
	struct batch *b = o->b;
	struct item *it = o->it;
	const char *file = inputs[it->file].name;
	const char *line = b->text.data + it->off;
	struct buf obj = BUF_INIT;

	/*
	 * A bad line in a reference operand is an error like any other,
	 * but it is no input record: in = out + rejected counts input only.
	 */
	if (it->file >= o->f->nref) {
		count_reason(b, reason);
		b->nrej++;
	}
	if (is_error) {
		b->nerr++;
		buf_addf(&b->diag, "%s: %s:%lu: %s\n", df_progname, file,
		    it->lineno, message);
	}
	if (o->f->rejects_path == NULL)
		return;
	reject_object(&obj, reason, message, file, it->lineno, extra);
	if (jo != NULL) {
		/* A record that scanned as an object: splice _reject in. */
		splice(&b->rej, line, it->len, jo, "_reject", 7, obj.data,
		    obj.len);
	} else {
		buf_adds(&b->rej, "{\"_reject\":");
		buf_add(&b->rej, obj.data, obj.len);
		if (it->kind == ITEM_TOOLONG) {
			buf_addf(&b->rej, ",\"raw_bytes\":%llu", it->rawlen);
		} else if (utf8_valid_prefix(line, it->len) == it->len) {
			buf_adds(&b->rej, ",\"raw\":");
			json_string_encode(&b->rej, line, it->len);
		} else {
			buf_adds(&b->rej, ",\"raw_b64\":\"");
			base64(&b->rej, (const unsigned char *)line, it->len);
			buf_addc(&b->rej, '"');
		}
		buf_addc(&b->rej, '}');
	}
	buf_addc(&b->rej, '\n');
	buf_release(&obj);
}

void
emit_drop(struct emit *o, struct rec *r, const char *reason,
    const char *message, const char *extra)
{
	reject(o, rec_obj(r), reason, message, extra, 0);
}

void
emit_error(struct emit *o, struct rec *r, const char *reason,
    const char *message, const char *extra)
{
	reject(o, rec_obj(r), reason, message, extra, 1);
}

static void process_item_work(struct filter *, struct worker *,
    struct batch *, struct item *);

static void
process_item(struct filter *f, struct worker *w, struct batch *b,
    struct item *it)
{
	it->memo_off = b->memo.len;
	it->memo_len = 0;
	it->pending = 0;
	it->out_off = b->out[0].len;
	it->rej_off = b->rej.len;
	it->diag_off = b->diag.len;
	process_item_work(f, w, b, it);
	it->out_len = b->out[0].len - it->out_off;
	it->rej_len = b->rej.len - it->rej_off;
	it->diag_len = b->diag.len - it->diag_off;
}

/*
 * Offer a line that is not JSON to the program's bare hook; when it
 * makes a record of it, the item is that record from now on.
 */
static int
bare_line(struct filter *f, struct batch *b, struct item *it)
{
	struct buf rec = BUF_INIT;
	int took;

	took = f->bare(b->text.data + it->off, it->len, &rec, f->arg);
	if (took) {
		it->off = b->text.len;
		it->len = rec.len;
		buf_add(&b->text, rec.data, rec.len);
		buf_addc(&b->text, '\0');
	}
	buf_release(&rec);
	return took;
}

static void
process_item_work(struct filter *f, struct worker *w, struct batch *b,
    struct item *it)
{
	struct emit o = { f, b, it, w->wctx };
	struct rec r;
	struct df_err e = { "", NULL };
	enum json_kind kind;
	char err[160];
	int rc, truth;

	if (it->kind == ITEM_TOOLONG) {
		snprintf(err, sizeof(err), "record of %llu bytes is over "
		    "--max-record %lld", it->rawlen, f->max_record);
		reject(&o, NULL, "too-large", err, NULL, 1);
		return;
	}
	rc = json_scan_object(b->text.data + it->off, it->len, &w->obj, &kind,
	    err, sizeof(err));
	if (rc < 0 && kind == JSON_OBJECT && f->bare != NULL &&
	    bare_line(f, b, it))
		rc = json_scan_object(b->text.data + it->off, it->len, &w->obj,
		    &kind, err, sizeof(err));
	if (rc < 0) {
		const char *reason = "invalid-json";

		if (kind != JSON_OBJECT && strcmp(err, "not a JSON object") == 0)
			reason = "not-object";
		else if (strncmp(err, "invalid UTF-8", 13) == 0)
			reason = "invalid-utf8";
		reject(&o, NULL, reason, err, NULL, 1);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.line = b->text.data + it->off;
	r.len = it->len;
	r.obj = &w->obj;
	r.file = inputs[it->file].name;
	r.lineno = it->lineno;
	r.ref = it->file < f->nref;
	if (f->where != NULL && !r.ref) {
		if (jqprog_test(&w->where, rec_value(&r), &truth, &e) < 0) {
			df_err_prefix(&e, "--where: ");
			reject(&o, &w->obj, e.reason, e.msg, NULL, 1);
			goto out;
		}
		if (!truth) {
			b->npassed++;
			emit_rec(&o, 0, &r);
			goto out;
		}
	}
	if (f->fn(&r, &o, w->wctx, &e) < 0)
		reject(&o, &w->obj, e.reason ? e.reason : "error", e.msg,
		    NULL, 1);
	else if (f->ordered != NULL)
		it->pending = 1;
out:
	if (r.parsed)
		jv_free(r.v);
}

static void
process_batch(struct filter *f, struct worker *w, struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		process_item(f, w, b, &b->it[i]);
}

/* The ordered phase of a finished batch, on the main thread. */
static void
ordered_batch(struct filter *f, struct worker *w, struct batch *b)
{
	struct item *it;
	struct emit o;
	struct rec r;
	struct df_err e = { "", NULL };
	size_t i;

	/* What the workers wrote, to be put back record by record. */
	struct buf out0 = b->out[0], rej = b->rej, diag = b->diag;

	memset(&b->out[0], 0, sizeof(b->out[0]));
	memset(&b->rej, 0, sizeof(b->rej));
	memset(&b->diag, 0, sizeof(b->diag));
	for (i = 0; i < b->n; i++) {
		it = &b->it[i];
		buf_add(&b->out[0], out0.data + it->out_off, it->out_len);
		buf_add(&b->rej, rej.data + it->rej_off, it->rej_len);
		buf_add(&b->diag, diag.data + it->diag_off, it->diag_len);
		if (!it->pending)
			continue;
		memset(&r, 0, sizeof(r));
		r.line = b->text.data + it->off;
		r.len = it->len;
		r.obj = NULL;	/* rec_obj() scans when asked */
		r.objbuf = &w->obj;
		r.file = inputs[it->file].name;
		r.lineno = it->lineno;
		r.ref = it->file < f->nref;
		o.f = f;
		o.b = b;
		o.it = it;
		o.wctx = NULL;
		if (f->ordered(&r, b->memo.data + it->memo_off, it->memo_len,
		    &o, f->arg, &e) < 0)
			reject(&o, rec_obj(&r), e.reason ? e.reason : "error",
			    e.msg, NULL, 1);
		if (r.parsed)
			jv_free(r.v);
	}
	buf_release(&out0);
	buf_release(&rej);
	buf_release(&diag);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch *b;

	for (;;) {
		pthread_mutex_lock(&mu);
		while (work_head == NULL && !quitting)
			pthread_cond_wait(&work_cv, &mu);
		if (work_head == NULL) {
			pthread_mutex_unlock(&mu);
			return NULL;
		}
		b = work_head;
		work_head = b->next;
		if (work_head == NULL)
			work_tail = NULL;
		b->next = NULL;
		pthread_mutex_unlock(&mu);

		process_batch(w->f, w, b);

		pthread_mutex_lock(&mu);
		b->done = 1;
		pthread_cond_broadcast(&done_cv);
		pthread_mutex_unlock(&mu);
	}
}

static void
worker_setup(struct filter *f, struct worker *w)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	if (f->where != NULL && jqprog_compile(&w->where, f->where) < 0)
		cli_bad("--where: %s", w->where.err.data);
	if (f->worker_new != NULL)
		w->wctx = f->worker_new(f->arg);
}

static void
worker_teardown(struct filter *f, struct worker *w)
{
	if (f->where != NULL)
		jqprog_release(&w->where);
	if (f->worker_free != NULL)
		f->worker_free(w->wctx);
	json_obj_release(&w->obj);
}

/* Reading. */

struct reader {
	size_t cur;		/* current input */
	char *buf;
	size_t cap, start, end;
	int eof;		/* the current input is exhausted */
	unsigned long lineno;
	int discarding;
	unsigned long long discard_len;
	unsigned long discard_line;
};

static void
batch_add(struct batch *b, int file, unsigned long lineno, const char *p,
    size_t len, int kind, unsigned long long rawlen)
{
	struct item *it;

	/* Trim JSON whitespace; a blank line is no record. */
	while (len > 0 && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++, len--;
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
	    p[len - 1] == '\r'))
		len--;
	if (len == 0 && kind == ITEM_LINE)
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->it = df_xrealloc(b->it, b->cap * sizeof(*b->it));
	}
	it = &b->it[b->n++];
	memset(it, 0, sizeof(*it));
	it->off = b->text.len;
	it->len = len;
	it->lineno = lineno;
	it->file = file;
	it->kind = (unsigned char)kind;
	it->rawlen = rawlen;
	buf_add(&b->text, p, len);
	buf_addc(&b->text, '\0');
}

/*
 * Fill b with the next lines.  Returns the number of items (0 at the end
 * of all input).  A batch ends when it is full, or when input arrives
 * slowly (a short read from a pipe), so interactive use is not held up.
 */
static size_t
reader_fill(struct filter *f, struct reader *rd, struct batch *b,
    size_t max_lines)
{
	char *nl;
	ssize_t got;
	size_t want, avail;
	int file;

	for (;;) {
		if (rd->cur >= ninputs)
			return b->n;
		file = (int)rd->cur;
		/* Take complete lines. */
		while (rd->start < rd->end) {
			nl = memchr(rd->buf + rd->start, '\n',
			    rd->end - rd->start);
			if (nl == NULL)
				break;
			rd->lineno++;
			if (rd->discarding) {
				rd->discard_len += (size_t)(nl -
				    (rd->buf + rd->start));
				batch_add(b, file, rd->discard_line, "", 0,
				    ITEM_TOOLONG, rd->discard_len);
				rd->discarding = 0;
			} else if ((long long)(nl - (rd->buf + rd->start)) >
			    f->max_record) {
				batch_add(b, file, rd->lineno, "", 0,
				    ITEM_TOOLONG, (unsigned long long)(nl -
				    (rd->buf + rd->start)));
			} else
				batch_add(b, file, rd->lineno,
				    rd->buf + rd->start,
				    (size_t)(nl - (rd->buf + rd->start)),
				    ITEM_LINE, 0);
			rd->start = (size_t)(nl - rd->buf) + 1;
			if (b->n >= max_lines || b->text.len >= BATCH_BYTES)
				return b->n;
		}
		avail = rd->end - rd->start;
		if (rd->eof) {
			if (avail > 0 || rd->discarding) {
				rd->lineno++;
				if (rd->discarding)
					batch_add(b, file, rd->discard_line,
					    "", 0, ITEM_TOOLONG,
					    rd->discard_len + avail);
				else if ((long long)avail > f->max_record)
					batch_add(b, file, rd->lineno, "", 0,
					    ITEM_TOOLONG, avail);
				else
					batch_add(b, file, rd->lineno,
					    rd->buf + rd->start, avail,
					    ITEM_LINE, 0);
				rd->discarding = 0;
			}
			if (inputs[rd->cur].fd != 0 &&
			    close(inputs[rd->cur].fd) != 0)
				die_errno("%s", inputs[rd->cur].name);
			rd->cur++;
			rd->start = rd->end = 0;
			rd->eof = 0;
			rd->lineno = 0;
			if (b->n >= max_lines)
				return b->n;
			continue;
		}
		/* A line longer than the limit: drop what we have of it. */
		if (!rd->discarding && (long long)avail > f->max_record) {
			rd->discarding = 1;
			rd->discard_line = rd->lineno + 1;
			rd->discard_len = 0;
		}
		if (rd->discarding) {
			rd->discard_len += avail;
			rd->start = rd->end = 0;
			avail = 0;
		}
		if (rd->start > 0) {
			memmove(rd->buf, rd->buf + rd->start, avail);
			rd->start = 0;
			rd->end = avail;
		}
		if (rd->cap - rd->end < READ_CHUNK / 2) {
			rd->cap = rd->cap ? rd->cap * 2 : READ_CHUNK;
			rd->buf = df_xrealloc(rd->buf, rd->cap);
		}
		want = rd->cap - rd->end;
		do
			got = read(inputs[rd->cur].fd, rd->buf + rd->end, want);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			die_errno("%s", inputs[rd->cur].name);
		if (got == 0)
			rd->eof = 1;
		rd->end += (size_t)got;
		bytes_read += (unsigned long long)got;
		/*
		 * A short read from a pipe or a terminal: what is complete
		 * now goes out now, so interactive use is not held up.
		 */
		if (got > 0 && (size_t)got < want && b->n > 0)
			return b->n;
	}
}

/* Writing. */

static void
write_buf(struct filter *f, int chan, const struct buf *b)
{
	FILE *fp = f->chan[chan];

	if (b->len == 0 || fp == NULL)
		return;
	if (fwrite(b->data, 1, b->len, fp) != b->len) {
		if (errno == EPIPE && chan == 0) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		die_errno("%s", f->chan_name[chan]);
	}
}

static FILE *rejects_fp;

struct totals {
	struct reason_count *rc;
	size_t nrc, caprc;
};
static struct totals totals;

static void
totals_add(const char *reason, unsigned long long n)
{
	size_t i;

	for (i = 0; i < totals.nrc; i++)
		if (strcmp(totals.rc[i].reason, reason) == 0) {
			totals.rc[i].n += n;
			return;
		}
	if (totals.nrc == totals.caprc) {
		totals.caprc = totals.caprc ? 2 * totals.caprc : 8;
		totals.rc = df_xrealloc(totals.rc,
		    totals.caprc * sizeof(*totals.rc));
	}
	totals.rc[totals.nrc].reason = reason;
	totals.rc[totals.nrc].n = n;
	totals.nrc++;
}

/* Apply a finished batch: write it and count it.  Returns its errors. */
static unsigned long long
batch_commit(struct filter *f, struct worker *w0, struct batch *b)
{
	size_t i;
	int c;

	if (f->ordered != NULL)
		ordered_batch(f, w0, b);
	if (b->diag.len > 0) {
		progress_clear();
		fwrite(b->diag.data, 1, b->diag.len, stderr);
	}
	for (c = 0; c < f->nchan; c++)
		write_buf(f, c, &b->out[c]);
	if (b->rej.len > 0 && rejects_fp != NULL &&
	    fwrite(b->rej.data, 1, b->rej.len, rejects_fp) != b->rej.len)
		die_errno("%s", f->rejects_path);
	if (f->unbuffered)
		for (c = 0; c < f->nchan; c++)
			if (f->chan[c] != NULL && fflush(f->chan[c]) != 0)
				write_buf(f, c, &b->out[c]);
	for (i = 0; i < b->n; i++)
		if (b->it[i].file < f->nref)
			f->n_ref++;
		else
			f->n_in++;
	f->n_out += b->nout;
	f->n_passed += b->npassed;
	f->n_errors += b->nerr;
	f->n_rejected += b->nrej;
	for (i = 0; i < b->nrc; i++)
		totals_add(b->rc[i].reason, b->rc[i].n);
	if (f->committed != NULL) {
		for (c = 0; c < f->nchan; c++)
			if (f->chan[c] != NULL && fflush(f->chan[c]) != 0)
				write_buf(f, c, &b->out[c]);
		f->committed(f->arg);
	}
	progress_update(f, 0);
	return b->nerr;
}

static void
batch_reset(struct batch *b)
{
	int c;

	buf_reset(&b->text);
	buf_reset(&b->rej);
	buf_reset(&b->diag);
	buf_reset(&b->memo);
	for (c = 0; c < FILTER_MAXCHAN; c++) {
		buf_reset(&b->out[c]);
		b->nrec[c] = 0;
	}
	b->n = b->nrc = 0;
	b->nout = b->npassed = b->nerr = b->nrej = 0;
	b->done = 0;
	b->next = NULL;
}

static void
batch_free(struct batch *b)
{
	int c;

	buf_release(&b->text);
	buf_release(&b->rej);
	buf_release(&b->diag);
	buf_release(&b->memo);
	for (c = 0; c < FILTER_MAXCHAN; c++)
		buf_release(&b->out[c]);
	free(b->it);
	free(b->rc);
	free(b);
}

/* Stats. */

static void
iso_time(char *s, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Operands as filter_run got them, to leave out of the options hash. */
static char **operands;
static int noperands;

static int
is_operand(const char *a)
{
	int i;

	for (i = 0; i < noperands; i++)
		if (operands[i] == a)
			return 1;
	return 0;
}

/*
 * Whether argument a is an option that does not change the output (-j,
 * -q, -u, --progress, --stats, --rejects); *takes is set to 1 when its
 * value is the next argument.
 */
static int
output_neutral(const char *a, int *takes)
{
	static const char *const flag[] = { "-q", "--quiet", "-u",
	    "--unbuffered", "--progress", NULL };
	static const char *const withval[] = { "-j", "--jobs", "--stats",
	    "--rejects", NULL };
	size_t n;
	int i;

	*takes = 0;
	for (i = 0; flag[i] != NULL; i++)
		if (strcmp(a, flag[i]) == 0)
			return 1;
	for (i = 0; withval[i] != NULL; i++) {
		n = strlen(withval[i]);
		if (strcmp(a, withval[i]) == 0) {
			*takes = 1;
			return 1;
		}
		if (strncmp(a, withval[i], n) == 0 && (a[n] == '=' ||
		    (n == 2 && a[n] >= '0' && a[n] <= '9')))
			return 1;
	}
	return 0;
}

static void
write_stats(struct filter *f, time_t started, double secs)
{
	struct buf b = BUF_INIT, opts = BUF_INIT;
	struct sha256 h;
	char when[32], hex[65];
	FILE *fp;
	size_t i;
	int k;

	buf_adds(&b, "{\"program\":");
	json_string_encode(&b, df_progname, strlen(df_progname));
	buf_adds(&b, ",\"version\":\"" DF_VERSION "\",\"argv\":[");
	for (k = 0; k < f->argc; k++) {
		if (k > 0)
			buf_addc(&b, ',');
		json_string_encode(&b, f->argv[k], strlen(f->argv[k]));
	}
	/*
	 * The options hash covers what shapes the output: not the program
	 * name, the operands, or options that only say where reports go or
	 * how fast to run.
	 */
	for (k = 1; k < f->argc; k++) {
		const char *a = f->argv[k];
		int takes = 0;

		if (is_operand(a))
			continue;
		if (output_neutral(a, &takes)) {
			k += takes;
			continue;
		}
		buf_add(&opts, a, strlen(a) + 1);
	}
	sha256_init(&h);
	sha256_update(&h, opts.data ? opts.data : "", opts.len);
	sha256_final_hex(&h, hex);
	iso_time(when, sizeof(when), started);
	buf_addf(&b, "],\"options_hash\":\"%.16s\",\"started\":\"%s\","
	    "\"seconds\":%.3f,\"in\":%llu,\"out\":%llu,\"passed\":%llu,",
	    hex, when, secs, f->n_in, f->n_out, f->n_passed);
	if (f->nref > 0)
		buf_addf(&b, "\"reference\":%llu,", f->n_ref);
	buf_adds(&b, "\"rejected\":{");
	for (i = 0; i < totals.nrc; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		json_string_encode(&b, totals.rc[i].reason,
		    strlen(totals.rc[i].reason));
		buf_addf(&b, ":%llu", totals.rc[i].n);
	}
	buf_addf(&b, "},\"errors\":%llu", f->n_errors);
	if (f->stats_extra != NULL) {
		size_t before = b.len;

		buf_addc(&b, ',');
		f->stats_extra(f->arg, &b);
		if (b.len == before + 1)
			b.len = before;
	}
	buf_adds(&b, "}\n");
	fp = filter_file_open(f->stats_path);
	if (fwrite(b.data, 1, b.len, fp) != b.len)
		die_errno("%s", f->stats_path);
	filter_file_commit(fp);
	buf_release(&b);
	buf_release(&opts);
}

/* Temporary output files. */

/* At exit(2) after a fatal error: no half files. */
static void
remove_temps(void)
{
	int i;

	for (i = 0; i < ntemps_sig; i++)
		if (temps[i].tmp != NULL)
			unlink(temps[i].tmp);
}

static void
on_fatal_signal(int sig)
{
	int i;

	for (i = 0; i < ntemps_sig; i++)
		if (temps[i].tmp != NULL)
			unlink(temps[i].tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * When path is our own standard output or error (/dev/stdout, or a file
 * they are redirected to), a duplicate of that descriptor: opening it
 * again with O_TRUNC would cut what was written there.  Else -1.
 */
static int
same_as_std(const char *path)
{
	struct stat st, sd;
	int fd;

	if (stat(path, &st) != 0)
		return -1;
	for (fd = 1; fd <= 2; fd++)
		if (fstat(fd, &sd) == 0 && sd.st_dev == st.st_dev &&
		    sd.st_ino == st.st_ino)
			return dup(fd);
	return -1;
}

FILE *
filter_file_open(const char *path)
{
	static int handlers;
	struct sigaction sa;
	struct stat st;
	char *tmp;
	size_t n;
	int i, fd;
	FILE *fp;

	for (i = 0; i < MAXTEMP && temps[i].fp != NULL; i++)
		;
	if (i == MAXTEMP)
		die("too many output files open");
	if (!handlers) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		/* A reader going away must not leave half files either. */
		sigaction(SIGPIPE, &sa, NULL);
		atexit(remove_temps);
		handlers = 1;
	}
	if ((stat(path, &st) == 0 && !S_ISREG(st.st_mode)) ||
	    (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))) {
		/*
		 * /dev/stdout, a FIFO, a terminal, any symbolic link (such
		 * as /dev/stderr -> /proc/self/fd/2 when stderr is a file):
		 * renaming over it would replace it.  Write through it.
		 */
		fd = same_as_std(path);
		if (fd < 0)
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC |
			    O_CLOEXEC, 0666);
		if (fd < 0 || (fp = fdopen(fd, "w")) == NULL)
			die_errno("%s", path);
		temps[i].path = df_xstrdup(path);
		temps[i].tmp = NULL;
		temps[i].fp = fp;
		return fp;
	}
	n = strlen(path) + 32;
	tmp = df_xmalloc(n);
	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		die_errno("%s", path);
	fp = fdopen(fd, "w");
	if (fp == NULL)
		die_errno("%s", path);
	temps[i].path = df_xstrdup(path);
	temps[i].tmp = tmp;
	temps[i].fp = fp;
	if (i + 1 > ntemps_sig)
		ntemps_sig = i + 1;
	return fp;
}

static int
temp_find(FILE *fp)
{
	int i;

	for (i = 0; i < MAXTEMP; i++)
		if (temps[i].fp == fp)
			return i;
	die("internal error: not a temporary file");
}

static void
temp_forget(int i)
{
	char *tmp = temps[i].tmp;

	temps[i].tmp = NULL;
	free(tmp);
	free(temps[i].path);
	temps[i].path = NULL;
	temps[i].fp = NULL;
}

void
filter_file_commit(FILE *fp)
{
	int i = temp_find(fp);
	int bad;

	bad = fflush(fp) != 0 || ferror(fp);
	if (fclose(fp) != 0 || bad) {
		if (temps[i].tmp != NULL)
			unlink(temps[i].tmp);
		die_errno("%s", temps[i].path);
	}
	if (temps[i].tmp != NULL && rename(temps[i].tmp, temps[i].path) != 0) {
		unlink(temps[i].tmp);
		die_errno("%s", temps[i].path);
	}
	temp_forget(i);
}

FILE *
filter_file_reopen(FILE *fp)
{
	int i = temp_find(fp);
	int bad;

	bad = fflush(fp) != 0 || ferror(fp);
	if (fclose(fp) != 0 || bad)
		die_errno("%s", temps[i].path);
	if (temps[i].tmp == NULL)
		die("%s: cannot read back a file that is not regular",
		    temps[i].path);
	temps[i].fp = fopen(temps[i].tmp, "r");
	if (temps[i].fp == NULL)
		die_errno("%s", temps[i].path);
	return temps[i].fp;
}

void
filter_file_abort(FILE *fp)
{
	int i = temp_find(fp);

	fclose(fp);
	if (temps[i].tmp != NULL)
		unlink(temps[i].tmp);
	temp_forget(i);
}

/* Options. */

void
filter_init(struct filter *f, int argc, char *argv[])
{
	memset(f, 0, sizeof(*f));
	f->max_record = 64LL << 20;
	f->jobs = 1;
	f->argc = argc;
	f->argv = argv;
	f->chan[0] = stdout;
	f->chan_name[0] = "stdout";
	f->nchan = 1;
	f->one_to_one = 1;
}

int
filter_option(struct filter *f, int ch, const char *arg)
{
	const char *errstr;

	switch (ch) {
	case 'j':
		f->jobs = (int)cli_strtonum(arg, 1, 256, &errstr);
		if (errstr != NULL)
			cli_bad("number of jobs is %s: '%s'", errstr, arg);
		return 1;
	case 'q':
		f->quiet = 1;
		return 1;
	case 'u':
		f->unbuffered = 1;
		return 1;
	case FILTER_OPT_MAX_RECORD:
		f->max_record = cli_strtosize(arg, 2, 1LL << 40, &errstr);
		if (errstr != NULL)
			cli_bad("--max-record is %s: '%s'", errstr, arg);
		return 1;
	case FILTER_OPT_PROGRESS:
		f->progress = 1;
		return 1;
	case FILTER_OPT_REJECTS:
		f->rejects_path = arg;
		return 1;
	case FILTER_OPT_STATS:
		f->stats_path = arg;
		return 1;
	case FILTER_OPT_STRICT:
		f->strict = 1;
		return 1;
	case FILTER_OPT_WHERE:
		f->where = arg;
		return 1;
	}
	return 0;
}

static void
open_inputs(int argc, char *argv[])
{
	struct stat st;
	int i;

	ninputs = argc > 0 ? (size_t)argc : 1;
	inputs = df_xcalloc(ninputs, sizeof(*inputs));
	if (argc == 0) {
		inputs[0].fd = 0;
		inputs[0].name = "<stdin>";
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			inputs[i].fd = 0;
			inputs[i].name = "<stdin>";
		} else {
			inputs[i].fd = open(argv[i], O_RDONLY | O_CLOEXEC);
			if (inputs[i].fd < 0)
				die_errno("%s", argv[i]);
			inputs[i].name = argv[i];
			if (fstat(inputs[i].fd, &st) == 0 &&
			    S_ISDIR(st.st_mode)) {
				errno = EISDIR;
				die_errno("%s", argv[i]);
			}
		}
	}
	for (i = 0; i < (int)ninputs; i++)
		if (fstat(inputs[i].fd, &st) == 0 && S_ISREG(st.st_mode))
			bytes_total += (unsigned long long)st.st_size;
}

/* Batches handed to the workers, in the order they were read. */
static struct batch **order;
static size_t norder, caporder;

static void
submit(struct batch *b)
{
	if (norder == caporder) {
		caporder = caporder ? 2 * caporder : 16;
		order = df_xrealloc(order, caporder * sizeof(*order));
	}
	order[norder++] = b;
	pthread_mutex_lock(&mu);
	b->done = 0;
	b->next = NULL;
	if (work_tail != NULL)
		work_tail->next = b;
	else
		work_head = b;
	work_tail = b;
	pthread_cond_signal(&work_cv);
	pthread_mutex_unlock(&mu);
}

static int
head_done(void)
{
	int d;

	pthread_mutex_lock(&mu);
	d = order[0]->done;
	pthread_mutex_unlock(&mu);
	return d;
}

/* Wait for the oldest batch to be processed and take it off the list. */
static struct batch *
take_head(void)
{
	struct batch *h = order[0];

	pthread_mutex_lock(&mu);
	while (!h->done)
		pthread_cond_wait(&done_cv, &mu);
	pthread_mutex_unlock(&mu);
	memmove(order, order + 1, (norder - 1) * sizeof(*order));
	norder--;
	return h;
}

static struct batch *
batch_get(struct batch **freelist)
{
	struct batch *b = *freelist;

	if (b == NULL)
		return df_xcalloc(1, sizeof(*b));
	*freelist = b->next;
	batch_reset(b);
	return b;
}

static void
batch_put(struct batch **freelist, struct batch *b)
{
	b->next = *freelist;
	*freelist = b;
}

/*
 * Whether the next read would not block: a whole line is buffered, the
 * input is at its end, or its descriptor is readable now.
 */
static int
input_ready(struct reader *rd)
{
	struct pollfd p;

	if (rd->cur >= ninputs || rd->eof)
		return 1;
	if (rd->end > rd->start && memchr(rd->buf + rd->start, '\n',
	    rd->end - rd->start) != NULL)
		return 1;
	p.fd = inputs[rd->cur].fd;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) != 0;
}

/*
 * With filter.lookahead: whether the oldest batch may go to its ordered
 * phase now, given the records read after it.
 */
static int
lookahead_met(struct filter *f, struct reader *rd, size_t after)
{
	return f->ordered == NULL || f->lookahead == 0 ||
	    after >= f->lookahead || input_ready(rd);
}

int
filter_run(struct filter *f, int argc, char *argv[])
{
	struct reader rd;
	struct worker *ws = NULL, w0;
	struct batch *b, *freelist = NULL;
	struct timespec t1;
	size_t max_lines, maxinflight, pending = 0;
	time_t started = time(NULL);
	int i, nw, stop = 0, failed = 0;

	if (f->fn == NULL)
		die("internal error: no record function");
	operands = argv;
	noperands = argc;
	/*
	 * Compile the jq programs first: a bad one is a usage error, before
	 * any operand is opened or any file made.
	 */
	worker_setup(f, &w0);
	open_inputs(argc, argv);
	if (f->rejects_path != NULL)
		rejects_fp = filter_file_open(f->rejects_path);
	if (f->start != NULL)
		f->start(f->arg);
	progress_on = !f->quiet && (f->progress || isatty(2));
	if (progress_on)
		diag_before = progress_clear;
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	t_last = t_start;
	nw = f->jobs > 1 ? f->jobs : 0;
	if (nw > 0)
		ws = df_xcalloc((size_t)nw, sizeof(*ws));
	for (i = 0; i < nw; i++) {
		worker_setup(f, &ws[i]);
		if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]))
			die("cannot start a worker thread");
	}
	max_lines = f->strict || f->unbuffered ? 1 : f->batch_lines > 0 ?
	    (size_t)f->batch_lines : BATCH_LINES;
	maxinflight = (size_t)(2 * nw + 2);
	if (f->ordered != NULL && f->lookahead > 0)
		maxinflight = (size_t)-1;	/* bounded by lookahead */
	memset(&rd, 0, sizeof(rd));

	while (!stop) {
		b = batch_get(&freelist);
		if (reader_fill(f, &rd, b, max_lines) == 0) {
			batch_put(&freelist, b);
			break;
		}
		if (nw == 0 && (f->ordered == NULL || f->lookahead == 0)) {
			process_batch(f, &w0, b);
			if (batch_commit(f, &w0, b) > 0 && f->strict)
				stop = 1;
			batch_put(&freelist, b);
			continue;
		}
		if (nw == 0) {
			/*
			 * Lookahead: the per-record function of later
			 * batches runs before the ordered phase of the
			 * oldest, so what it started overlaps.
			 */
			process_batch(f, &w0, b);
			b->done = 1;
			if (norder == caporder) {
				caporder = caporder ? 2 * caporder : 16;
				order = df_xrealloc(order, caporder *
				    sizeof(*order));
			}
			order[norder++] = b;
			pending += b->n;
		} else {
			submit(b);
			pending += b->n;
		}
		/*
		 * With -u, a record must come out before we block waiting
		 * for more input: drain when no input is ready.
		 */
		while (!stop && norder > 0 && (norder >= maxinflight ||
		    (head_done() && lookahead_met(f, &rd, pending -
		    order[0]->n)) || (f->unbuffered && !input_ready(&rd)))) {
			b = take_head();
			pending -= b->n;
			if (batch_commit(f, &w0, b) > 0 && f->strict)
				stop = 1;
			batch_put(&freelist, b);
		}
	}
	/* Drain the workers; after --strict stopped us, write nothing. */
	while (norder > 0) {
		b = take_head();
		if (!stop && batch_commit(f, &w0, b) > 0 && f->strict)
			stop = 1;
		batch_put(&freelist, b);
	}
	pthread_mutex_lock(&mu);
	quitting = 1;
	pthread_cond_broadcast(&work_cv);
	pthread_mutex_unlock(&mu);
	for (i = 0; i < nw; i++) {
		pthread_join(ws[i].tid, NULL);
		worker_teardown(f, &ws[i]);
	}
	free(ws);
	free(order);
	while (freelist != NULL) {
		b = freelist;
		freelist = b->next;
		batch_free(b);
	}
	free(rd.buf);

	if (!stop && f->finish != NULL && f->finish(f->arg) < 0)
		failed = 1;
	/* What the program did not commit is incomplete: remove it. */
	for (i = 0; i < MAXTEMP; i++)
		if (temps[i].fp != NULL && temps[i].fp != rejects_fp)
			filter_file_abort(temps[i].fp);
	worker_teardown(f, &w0);
	if (f->one_to_one && !stop && f->where == NULL &&
	    f->n_in != f->n_out + f->n_rejected)
		die("internal error: %llu records in, %llu out, %llu rejected",
		    f->n_in, f->n_out, f->n_rejected);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (progress_on) {
		progress_clear();
		fprintf(stderr, "%s: %llu records in, %llu out, %llu rejected "
		    "in %.2f s\n", df_progname, f->n_in, f->n_out,
		    f->n_rejected, elapsed(&t_start, &t1));
	}
	if (rejects_fp != NULL)
		filter_file_commit(rejects_fp);
	if (f->stats_path != NULL)
		write_stats(f, started, elapsed(&t_start, &t1));
	cli_close_stdout();
	free(inputs);
	free(totals.rc);
	return f->n_errors > 0 || failed ? 1 : 0;
}
