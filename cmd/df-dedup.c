/*
 * df-dedup: exact and near-duplicate removal.
 *
 * Every record's text is normalised (minhash.h) and hashed twice: a
 * 128-bit hash of the normalised text finds exact copies, and a
 * one-permutation MinHash signature of its shingles finds near copies
 * through LSH bands, each candidate verified on the whole signature
 * (estimated Jaccard >= --threshold).  The first record of each group is
 * kept; later ones are dropped to --rejects with the kept record's id, or
 * with --annotate kept and marked.  Only kept records are indexed, so
 * memory grows with what is kept (about 0.9 KB a record).
 *
 * Hashing runs on the -j worker threads; the index lives on the main
 * thread, which decides in input order, so the output does not depend on
 * -j.  --against FILE loads reference records as already kept.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "filter.h"
#include "hash.h"
#include "map.h"
#include "minhash.h"

#define USAGE \
"df-dedup [-hquV] [-j N] [--against FILE] [--annotate] [--bands N]\n" \
"                [--drop FILE] [--field PATH] [--from-sketches] [--id PATH]\n" \
"                [--index-in FILE] [--index-out FILE] [--max-record BYTES]\n" \
"                [--ngram N] [--no-verify] [--progress] [--rejects FILE]\n" \
"                [--rows N] [--seed N] [--shard NAME]\n" \
"                [--shingle words|chars:N] [--sketch] [--stats FILE]\n" \
"                [--strict] [--threshold T] [--where EXPR] [file ...]"

#define HELP \
"Remove exact and near-duplicate records, keeping the first of each.\n" \
"\n" \
"      --against FILE    treat FILE's records as already kept: only new\n" \
"                        records that duplicate none of them come out\n" \
"                        (repeatable)\n" \
"      --annotate        keep every record; add dup_cluster (the kept\n" \
"                        record's id) and, to duplicates, dup_of\n" \
"      --bands N         LSH bands (default: chosen from --threshold)\n" \
"      --drop FILE       third phase: drop the records a --from-sketches\n" \
"                        list names for this shard; keep the rest\n" \
"      --field PATH      the text to compare (default .text)\n" \
"      --from-sketches   second phase: read sketches of every shard, in\n" \
"                        shard order, and list the records to drop\n" \
"      --id PATH         the id reported in dup_of (default .id; a record\n" \
"                        without one is named FILE:LINE)\n" \
"      --index-in FILE   start from an index saved by --index-out: its\n" \
"                        records count as already kept\n" \
"      --index-out FILE  save the index of kept records at the end\n" \
"      --ngram N         tokens per shingle (default 5)\n" \
"      --no-verify       take any LSH candidate, without checking its\n" \
"                        estimated similarity\n" \
"      --rows N          rows per band (default: chosen from --threshold)\n" \
"      --seed N          hash seed (default 0)\n" \
"      --shard NAME      the shard's name in sketches and drop lists\n" \
"                        (default: the input file's name)\n" \
"      --shingle KIND    words (default) or chars:N, code point n-grams\n" \
"                        for scripts written without spaces\n" \
"      --sketch          first phase of a multi-machine run: write each\n" \
"                        record's sketch (hashes, signature, id, place)\n" \
"      --threshold T     estimated Jaccard similarity that makes a\n" \
"                        near duplicate (default 0.8)\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_AGAINST = FILTER_OPT_LAST,
	OPT_ANNOTATE,
	OPT_BANDS,
	OPT_DROP,
	OPT_FIELD,
	OPT_ID,
	OPT_INDEX_IN,
	OPT_INDEX_OUT,
	OPT_NGRAM,
	OPT_NO_VERIFY,
	OPT_FROM_SKETCHES,
	OPT_ROWS,
	OPT_SEED,
	OPT_SHARD,
	OPT_SHINGLE,
	OPT_SKETCH,
	OPT_THRESHOLD
};

static const struct option longopts[] = {
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "annotate", no_argument, NULL, OPT_ANNOTATE },
	{ "bands", required_argument, NULL, OPT_BANDS },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "from-sketches", no_argument, NULL, OPT_FROM_SKETCHES },
	{ "help", no_argument, NULL, 'h' },
	{ "id", required_argument, NULL, OPT_ID },
	{ "index-in", required_argument, NULL, OPT_INDEX_IN },
	{ "index-out", required_argument, NULL, OPT_INDEX_OUT },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "ngram", required_argument, NULL, OPT_NGRAM },
	{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "shingle", required_argument, NULL, OPT_SHINGLE },
	{ "sketch", no_argument, NULL, OPT_SKETCH },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

/*
 * A candidate is a near duplicate when its estimated similarity reaches
 * the threshold less this margin.  The estimate's standard error is about
 * 0.025 at 0.8; on the benchmark in bench/ a margin of 0.01 leaves F1 as
 * it is and moves precision and recall to about 0.98 and 0.96 from 0.99
 * and 0.957: keep-first already loses recall on chains of copies.
 */
#define VERIFY_MARGIN 0.01

/* One LSH band: band key -> kept document, duplicates of a key allowed. */
struct band_slot {
	uint32_t key;
	uint32_t doc;		/* document index + 1; 0 is an empty slot */
};

struct band {
	struct band_slot *slot;
	size_t cap, n;
};

/* What a worker leaves for the ordered phase of one record. */
struct memo {
	uint64_t exact[2];
	uint32_t band[MH_MAXBANDS];
	uint16_t sig[MH_BINS];
	/* followed by the record's id */
};

struct dedup {
	struct field field, idf;
	const char *field_text, *id_text;
	struct mh_params mp;
	double threshold;
	int bands, rows;
	int verify;
	int annotate;

	/* The index of kept documents. */
	struct map exact;	/* exact hash -> document + 1 */
	struct band band[MH_MAXBANDS];
	uint16_t *sig;		/* MH_BINS per document */
	struct buf ids;		/* ids, each NUL-terminated */
	size_t *idoff;
	size_t ndocs, capdocs;
	size_t slotpos[MH_MAXBANDS];	/* where the current record's keys go */
	uint32_t *cand;		/* candidates of the current record */
	size_t ncand, capcand;

	unsigned long long kept, exact_dups, near_dups, ref_kept, index_kept;
	const char *index_in, *index_out;

	/* Multi-machine phases. */
	enum { MODE_DEDUP, MODE_SKETCH, MODE_REDUCE, MODE_DROP } mode;
	const char *shard;	/* --shard, else the operand's name */
	const char *drop_path;
	char params[96];	/* the settings a sketch must share */
	struct map drops;	/* (shard, line) -> entry + 1 in dropinfo */
	struct buf dropinfo;	/* per entry: reason NUL extra NUL */
	size_t *dropoff;
	size_t ndrops;
	struct field cluster_f, of_f;
};

static struct dedup D;

struct wctx {
	struct mh_scratch ms;
	struct buf text, id;
	uint32_t sig[MH_BINS];
};

static void *
worker_new(void *arg)
{
	(void)arg;
	return df_xcalloc(1, sizeof(struct wctx));
}

static void
worker_free(void *p)
{
	struct wctx *w = p;

	mh_scratch_release(&w->ms);
	buf_release(&w->text);
	buf_release(&w->id);
	free(w);
}

static const char hexdig[] = "0123456789abcdef";

static void
hex_add(struct buf *b, uint64_t v, int digits)
{
	int i;

	for (i = digits - 1; i >= 0; i--)
		buf_addc(b, hexdig[(v >> (4 * i)) & 15]);
}

/* Read digits hex digits at p; returns -1 on a bad digit. */
static int
hex_get(const char *p, int digits, uint64_t *v)
{
	int i, c;

	*v = 0;
	for (i = 0; i < digits; i++) {
		c = p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else
			return -1;
		*v = *v << 4 | (uint64_t)c;
	}
	return 0;
}

/* The shard a record belongs to in sketches and drop lists. */
static const char *
shard_of(const struct dedup *d, const struct rec *r)
{
	return d->shard != NULL ? d->shard : r->file;
}

/*
 * The map phase: one sketch record, everything the reduce phase needs to
 * decide as a single process would.
 */
static void
emit_sketch(struct dedup *d, struct wctx *w, struct rec *r, struct emit *o,
    const struct memo *m)
{
	const char *sh = shard_of(d, r);
	struct buf *b = &w->text;
	int i;

	buf_reset(b);
	buf_adds(b, "{\"shard\":");
	json_string_encode(b, sh, strlen(sh));
	buf_addf(b, ",\"line\":%lu,\"id\":", r->lineno);
	json_string_encode(b, w->id.data ? w->id.data : "", w->id.len);
	buf_adds(b, ",\"params\":\"");
	buf_adds(b, d->params);
	buf_adds(b, "\",\"exact\":\"");
	hex_add(b, m->exact[0], 16);
	hex_add(b, m->exact[1], 16);
	buf_adds(b, "\",\"bands\":\"");
	for (i = 0; i < d->bands; i++)
		hex_add(b, m->band[i], 8);
	buf_adds(b, "\",\"sig\":\"");
	for (i = 0; i < MH_BINS; i++)
		hex_add(b, m->sig[i], 4);
	buf_adds(b, "\"}");
	emit_line(o, 0, b->data, b->len);
}

/* The string field key of a scanned record, decoded into b; -1 if none. */
static int
get_str(const struct rec *r, const char *key, struct buf *b)
{
	long at = json_obj_find(r->obj, r->line, key, strlen(key));

	buf_reset(b);
	if (at < 0 || r->obj->m[at].kind != JSON_STRING)
		return -1;
	(void)json_string_decode(r->line + r->obj->m[at].val_off,
	    r->obj->m[at].val_len, b);
	return 0;
}

/* The reduce phase's record function: a sketch back into a memo. */
static int
sketch_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct dedup *d = &D;
	struct wctx *w = wp;
	struct memo m;
	uint64_t v;
	int i;

	memset(&m, 0, sizeof(m));
	if (get_str(r, "params", &w->text) < 0)
		return df_err_set(e, "bad-sketch", "not a df-dedup sketch");
	if (strcmp(w->text.data, d->params) != 0)
		return df_err_set(e, "bad-sketch", "sketch made with other "
		    "settings ('%s', this run '%s')", w->text.data, d->params);
	if (get_str(r, "exact", &w->text) < 0 || w->text.len != 32 ||
	    hex_get(w->text.data, 16, &m.exact[0]) < 0 ||
	    hex_get(w->text.data + 16, 16, &m.exact[1]) < 0)
		return df_err_set(e, "bad-sketch", "bad 'exact' in sketch");
	if (get_str(r, "bands", &w->text) < 0 ||
	    w->text.len != (size_t)d->bands * 8)
		return df_err_set(e, "bad-sketch", "bad 'bands' in sketch");
	for (i = 0; i < d->bands; i++) {
		if (hex_get(w->text.data + 8 * i, 8, &v) < 0)
			return df_err_set(e, "bad-sketch", "bad 'bands' in "
			    "sketch");
		m.band[i] = (uint32_t)v;
	}
	if (get_str(r, "sig", &w->text) < 0 ||
	    w->text.len != MH_BINS * 4)
		return df_err_set(e, "bad-sketch", "bad 'sig' in sketch");
	for (i = 0; i < MH_BINS; i++) {
		if (hex_get(w->text.data + 4 * i, 4, &v) < 0)
			return df_err_set(e, "bad-sketch", "bad 'sig' in "
			    "sketch");
		m.sig[i] = (uint16_t)v;
	}
	if (get_str(r, "id", &w->id) < 0)
		return df_err_set(e, "bad-sketch", "no 'id' in sketch");
	emit_memo(o, &m, sizeof(m));
	emit_memo(o, w->id.data, w->id.len);
	return 0;
}

/*
 * Find the record's text (--field), which must be a string.  Returns 0
 * with its span, or -1 with e set (reason missing-field).
 */
static int
find_text(const struct dedup *d, const struct rec *r, size_t *off,
    size_t *len, struct df_err *e)
{
	enum json_kind kind;

	if (!field_find(&d->field, r->line, r->obj, off, len, &kind))
		return df_err_set(e, "missing-field", "field '%s' is missing",
		    d->field_text);
	if (kind != JSON_STRING)
		return df_err_set(e, "missing-field", "field '%s' is not a "
		    "string", d->field_text);
	return 0;
}

/* The drop phase's record function. */
static int
drop_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct dedup *d = &D;
	const char *sh = shard_of(d, r), *info, *msg;
	uint64_t *at;
	size_t off, len;

	(void)wp;
	/* As one process would: a record without its text is an error. */
	if (find_text(d, r, &off, &len, e) < 0)
		return -1;
	at = map_get(&d->drops, hash_siphash(7, 8, sh, strlen(sh)),
	    (uint64_t)r->lineno);
	if (at == NULL) {
		emit_rec(o, 0, r);
		return 0;
	}
	/* Reason, message and _reject members, one after another. */
	info = d->dropinfo.data + d->dropoff[*at - 1];
	msg = info + strlen(info) + 1;
	emit_drop(o, r, info, msg, msg + strlen(msg) + 1);
	return 0;
}

static int
dedup_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct dedup *d = &D;
	struct wctx *w = wp;
	struct memo m;
	size_t off, len;
	enum json_kind kind;
	int b;

	if (find_text(d, r, &off, &len, e) < 0)
		return -1;
	buf_reset(&w->text);
	(void)json_string_decode(r->line + off, len, &w->text);
	mh_tokens(&w->ms, &d->mp, w->text.data ? w->text.data : "",
	    w->text.len);
	mh_exact(&w->ms, m.exact);
	(void)mh_signature(&w->ms, &d->mp, w->sig);
	for (b = 0; b < MH_BINS; b++)
		m.sig[b] = (uint16_t)(w->sig[b] >> 16);
	memset(m.band, 0, sizeof(m.band));
	for (b = 0; b < d->bands; b++)
		m.band[b] = mh_band_key(w->sig, b, d->rows);
	buf_reset(&w->id);
	if (field_find(&d->idf, r->line, r->obj, &off, &len, &kind) &&
	    kind != JSON_NULL)
		rec_canonical_span(&w->id, r->line + off, len, kind);
	else
		buf_addf(&w->id, "%s:%lu", r->file, r->lineno);
	if (d->mode == MODE_SKETCH) {
		emit_sketch(d, w, r, o, &m);
		return 0;
	}
	emit_memo(o, &m, sizeof(m));
	emit_memo(o, w->id.data, w->id.len);
	return 0;
}

static void
band_grow(struct band *t)
{
	struct band_slot *old = t->slot;
	size_t oldcap = t->cap, i, j;

	t->cap = oldcap ? 2 * oldcap : 1024;
	t->slot = df_xcalloc(t->cap, sizeof(*t->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].doc == 0)
			continue;
		j = old[i].key & (t->cap - 1);
		while (t->slot[j].doc != 0)
			j = (j + 1) & (t->cap - 1);
		t->slot[j] = old[i];
	}
	free(old);
}

/*
 * Add every kept document whose band has this key to the candidates, and
 * return the empty slot that ends the key's probe chain: where the key
 * goes if this record is kept (the table has room: see find_dup).
 */
static size_t
band_candidates(struct dedup *d, struct band *t, uint32_t key)
{
	size_t j, k;
	uint32_t doc;

	for (j = key & (t->cap - 1); t->slot[j].doc != 0;
	    j = (j + 1) & (t->cap - 1)) {
		if (t->slot[j].key != key)
			continue;
		doc = t->slot[j].doc - 1;
		for (k = 0; k < d->ncand && d->cand[k] != doc; k++)
			;
		if (k < d->ncand)
			continue;
		if (d->ncand == d->capcand) {
			d->capcand = d->capcand ? 2 * d->capcand : 64;
			d->cand = df_xrealloc(d->cand, d->capcand *
			    sizeof(*d->cand));
		}
		d->cand[d->ncand++] = doc;
	}
	return j;
}

static void
band_put(struct band *t, uint32_t key, uint32_t doc)
{
	size_t j;

	if (2 * (t->n + 1) > t->cap)
		band_grow(t);
	j = key & (t->cap - 1);
	while (t->slot[j].doc != 0)
		j = (j + 1) & (t->cap - 1);
	t->slot[j].key = key;
	t->slot[j].doc = doc + 1;
	t->n++;
}

static void
keep(struct dedup *d, const struct memo *m, const char *id, size_t idlen,
    int probed)
{
	size_t doc = d->ndocs;
	int added, b;

	if (d->ndocs == d->capdocs) {
		d->capdocs = d->capdocs ? 2 * d->capdocs : 1024;
		d->idoff = df_xrealloc(d->idoff, d->capdocs *
		    sizeof(*d->idoff));
		if (d->verify)
			d->sig = df_xrealloc(d->sig, d->capdocs * MH_BINS *
			    sizeof(*d->sig));
	}
	if (d->verify)
		memcpy(d->sig + doc * MH_BINS, m->sig, sizeof(m->sig));
	d->idoff[doc] = d->ids.len;
	buf_add(&d->ids, id, idlen);
	buf_addc(&d->ids, '\0');
	(void)map_put(&d->exact, m->exact[0], m->exact[1], doc + 1, &added);
	for (b = 0; b < d->bands; b++) {
		if (!probed) {
			band_put(&d->band[b], m->band[b], (uint32_t)doc);
			continue;
		}
		/* find_dup left the free slot at the end of the chain. */
		d->band[b].slot[d->slotpos[b]].key = m->band[b];
		d->band[b].slot[d->slotpos[b]].doc = (uint32_t)doc + 1;
		d->band[b].n++;
	}
	d->ndocs++;
}

/*
 * Find the kept document this one duplicates.  Returns its index, or -1;
 * *sim and *rule say how.
 */
static long
find_dup(struct dedup *d, const struct memo *m, double *sim,
    const char **rule)
{
	uint64_t *hit;
	double s, best = -1;
	long bestdoc = -1;
	size_t k;
	int b;

	hit = map_get(&d->exact, m->exact[0], m->exact[1]);
	if (hit != NULL) {
		*sim = 1.0;
		*rule = "exact";
		return (long)*hit - 1;
	}
	/* Room for one more key first, so the slots found stay valid. */
	for (b = 0; b < d->bands; b++)
		if (2 * (d->band[b].n + 1) > d->band[b].cap)
			band_grow(&d->band[b]);
	d->ncand = 0;
	for (b = 0; b < d->bands; b++)
		d->slotpos[b] = band_candidates(d, &d->band[b], m->band[b]);
	for (k = 0; k < d->ncand; k++) {
		if (!d->verify) {
			/* The first candidate, in band order. */
			best = 1;
			bestdoc = (long)d->cand[k];
			break;
		}
		s = mh_similarity16(m->sig, d->sig + (size_t)d->cand[k] *
		    MH_BINS);
		if (s > best || (s == best && (long)d->cand[k] < bestdoc)) {
			best = s;
			bestdoc = (long)d->cand[k];
		}
	}
	if (bestdoc < 0 || (d->verify && best < d->threshold - VERIFY_MARGIN))
		return -1;
	*sim = d->verify ? best : -1;
	*rule = "near";
	return bestdoc;
}

static int
dedup_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	struct dedup *d = arg;
	struct memo m;
	const char *id = (const char *)memo + sizeof(m), *rule = NULL;
	size_t idlen = len - sizeof(m);
	struct buf extra = BUF_INIT, cl = BUF_INIT, of = BUF_INIT;
	double sim = 0;
	long dup;
	int rc = 0;

	memcpy(&m, memo, sizeof(m));
	dup = find_dup(d, &m, &sim, &rule);
	if (r->ref) {
		if (dup < 0) {
			keep(d, &m, id, idlen, 1);
			d->ref_kept++;
		}
		return 0;
	}
	if (dup < 0) {
		keep(d, &m, id, idlen, 1);
		d->kept++;
		if (d->mode == MODE_REDUCE)
			return 0;
		if (!d->annotate) {
			emit_rec(o, 0, r);
			return 0;
		}
		/* Both fields are ours: a stale dup_of must not survive. */
		json_string_encode(&cl, id, idlen);
		{
			const struct field *fs[2] = { &d->cluster_f,
			    &d->of_f };
			const char *js[2] = { cl.data, "null" };
			size_t ls[2] = { cl.len, 4 };

			rc = emit_set_fields(o, 0, r, 2, fs, js, ls, e);
		}
		buf_release(&cl);
		return rc;
	}
	if (*rule == 'e')
		d->exact_dups++;
	else
		d->near_dups++;
	json_string_encode(&of, d->ids.data + d->idoff[dup],
	    strlen(d->ids.data + d->idoff[dup]));
	if (d->mode == MODE_REDUCE) {
		/* One line of the drop list: where, what, why. */
		const struct json_obj *ob = rec_obj(r);
		long at = json_obj_find(ob, r->line, "shard", 5);
		long ln = json_obj_find(ob, r->line, "line", 4);

		if (at < 0 || ln < 0 || ob->m[at].kind != JSON_STRING ||
		    ob->m[ln].kind != JSON_NUMBER) {
			buf_release(&of);
			return df_err_set(e, "bad-sketch", "no 'shard' or "
			    "'line' in sketch");
		}
		buf_adds(&extra, "{\"shard\":");
		buf_add(&extra, r->line + ob->m[at].val_off,
		    ob->m[at].val_len);
		buf_adds(&extra, ",\"line\":");
		buf_add(&extra, r->line + ob->m[ln].val_off,
		    ob->m[ln].val_len);
		buf_adds(&extra, ",\"id\":");
		json_string_encode(&extra, id, idlen);
		buf_adds(&extra, ",\"dup_of\":");
		buf_add(&extra, of.data, of.len);
		if (sim >= 0)
			buf_addf(&extra, ",\"similarity\":%.4f", sim);
		buf_addf(&extra, ",\"rule\":\"%s\"}", rule);
		emit_line(o, 0, extra.data, extra.len);
	} else if (d->annotate) {
		const struct field *fs[2] = { &d->cluster_f, &d->of_f };
		const char *js[2] = { of.data, of.data };
		size_t ls[2] = { of.len, of.len };

		rc = emit_set_fields(o, 0, r, 2, fs, js, ls, e);
	} else {
		buf_adds(&extra, "\"dup_of\":");
		buf_add(&extra, of.data, of.len);
		if (sim >= 0)
			buf_addf(&extra, ",\"similarity\":%.4f", sim);
		buf_addf(&extra, ",\"rule\":\"%s\"", rule);
		buf_reset(&cl);
		buf_addf(&cl, "%s duplicate of '%s'", *rule == 'e' ? "exact" :
		    "near", d->ids.data + d->idoff[dup]);
		if (*rule != 'e' && sim >= 0)
			buf_addf(&cl, " (similarity %.2f)", sim);
		emit_drop(o, r, *rule == 'e' ? "exact-duplicate" :
		    "near-duplicate", cl.data, extra.data);
		buf_release(&cl);
	}
	buf_release(&extra);
	buf_release(&of);
	return rc;
}

/*
 * The index file: "df-dedup index 1\n", then little-endian fields: the
 * parameters that must match (bins, bands, rows, ngram, chars, verify,
 * seed), the number of documents, and per document its exact hash (2 x
 * 64 bits), band keys (bands x 32 bits), signature (MH_BINS x 16 bits,
 * when verifying), and id (32-bit length, bytes).
 */
#define INDEX_MAGIC "df-dedup index 1\n"

static void
put64(FILE *fp, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	fwrite(b, 1, 8, fp);
}

static int
get64(FILE *fp, uint64_t *v)
{
	unsigned char b[8];
	int i;

	if (fread(b, 1, 8, fp) != 8)
		return -1;
	*v = 0;
	for (i = 0; i < 8; i++)
		*v |= (uint64_t)b[i] << (8 * i);
	return 0;
}

/* Read one 64-bit field of the index at path, or exit 2. */
static uint64_t
index_get(FILE *fp, const char *path)
{
	uint64_t v;

	if (get64(fp, &v) < 0)
		die("%s: truncated index", path);
	return v;
}

static void
index_load(void *arg)
{
	struct dedup *d = arg;
	uint64_t v[8], n, i, x, len;
	char magic[sizeof(INDEX_MAGIC) - 1];
	struct memo m;
	struct buf id = BUF_INIT;
	FILE *fp;
	int b, k;

	if (d->index_in == NULL)
		return;
	fp = fopen(d->index_in, "rb");
	if (fp == NULL)
		die_errno("%s", d->index_in);
	if (fread(magic, 1, sizeof(magic), fp) != sizeof(magic) ||
	    memcmp(magic, INDEX_MAGIC, sizeof(magic)) != 0)
		die("%s: not a df-dedup index", d->index_in);
	for (k = 0; k < 7; k++)
		v[k] = index_get(fp, d->index_in);
	if (v[0] != MH_BINS || v[1] != (uint64_t)d->bands ||
	    v[2] != (uint64_t)d->rows || v[3] != (uint64_t)d->mp.ngram ||
	    v[4] != (uint64_t)d->mp.chars || v[5] != (uint64_t)d->verify ||
	    v[6] != d->mp.seed)
		die("%s: made with other settings (bands %llu, rows %llu, "
		    "ngram %llu, %s shingles, verify %s, seed %llu)",
		    d->index_in, (unsigned long long)v[1],
		    (unsigned long long)v[2], (unsigned long long)v[3],
		    v[4] ? "chars" : "words", v[5] ? "on" : "off",
		    (unsigned long long)v[6]);
	n = index_get(fp, d->index_in);
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.exact[0] = index_get(fp, d->index_in);
		m.exact[1] = index_get(fp, d->index_in);
		for (b = 0; b < d->bands; b++)
			m.band[b] = (uint32_t)index_get(fp, d->index_in);
		if (d->verify) {
			for (k = 0; k < MH_BINS; k += 4) {
				x = index_get(fp, d->index_in);
				m.sig[k] = (uint16_t)x;
				m.sig[k + 1] = (uint16_t)(x >> 16);
				m.sig[k + 2] = (uint16_t)(x >> 32);
				m.sig[k + 3] = (uint16_t)(x >> 48);
			}
		}
		len = index_get(fp, d->index_in);
		if (len > (1U << 30))
			die("%s: truncated index", d->index_in);
		buf_reset(&id);
		buf_grow(&id, (size_t)len);
		if (fread(id.data, 1, (size_t)len, fp) != (size_t)len)
			die("%s: truncated index", d->index_in);
		id.len = (size_t)len;
		keep(d, &m, id.data, id.len, 0);
		d->index_kept++;
	}
	if (ferror(fp))
		die_errno("%s", d->index_in);
	fclose(fp);
	buf_release(&id);
}

/*
 * Load the drop list a --from-sketches run wrote: which record of which
 * shard goes, and the facts to put in its _reject.
 */
static void
drop_load(struct dedup *d)
{
	struct json_obj o = { NULL, 0, 0 };
	struct buf sh = BUF_INIT, rule = BUF_INIT;
	enum json_kind k;
	char *line = NULL, err[160], *end;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0, ln;
	long a_sh, a_ln, a_of, a_sim, a_rule;
	FILE *fp;
	int added;

	fp = fopen(d->drop_path, "r");
	if (fp == NULL)
		die_errno("%s", d->drop_path);
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (json_scan_object(line, (size_t)n, &o, &k, err,
		    sizeof(err)) < 0)
			die("%s:%lu: %s", d->drop_path, lineno, err);
		a_sh = json_obj_find(&o, line, "shard", 5);
		a_ln = json_obj_find(&o, line, "line", 4);
		a_of = json_obj_find(&o, line, "dup_of", 6);
		a_sim = json_obj_find(&o, line, "similarity", 10);
		a_rule = json_obj_find(&o, line, "rule", 4);
		if (a_sh < 0 || o.m[a_sh].kind != JSON_STRING || a_ln < 0 ||
		    o.m[a_ln].kind != JSON_NUMBER || a_of < 0 || a_rule < 0 ||
		    o.m[a_rule].kind != JSON_STRING)
			die("%s:%lu: not a df-dedup drop list line",
			    d->drop_path, lineno);
		ln = strtoul(line + o.m[a_ln].val_off, &end, 10);
		buf_reset(&sh);
		buf_reset(&rule);
		(void)json_string_decode(line + o.m[a_sh].val_off,
		    o.m[a_sh].val_len, &sh);
		(void)json_string_decode(line + o.m[a_rule].val_off,
		    o.m[a_rule].val_len, &rule);
		(void)map_put(&d->drops, hash_siphash(7, 8, sh.data, sh.len),
		    (uint64_t)ln, d->ndrops + 1, &added);
		if (!added)
			continue;
		d->dropoff = df_xrealloc(d->dropoff, (d->ndrops + 1) *
		    sizeof(*d->dropoff));
		d->dropoff[d->ndrops++] = d->dropinfo.len;
		buf_adds(&d->dropinfo, strcmp(rule.data, "exact") == 0 ?
		    "exact-duplicate" : "near-duplicate");
		buf_addc(&d->dropinfo, '\0');
		buf_reset(&sh);
		if (o.m[a_of].kind == JSON_STRING)
			(void)json_string_decode(line + o.m[a_of].val_off,
			    o.m[a_of].val_len, &sh);
		buf_addf(&d->dropinfo, "%s duplicate of '%s'", strcmp(rule.data,
		    "exact") == 0 ? "exact" : "near", sh.data ? sh.data : "");
		if (a_sim >= 0 && strcmp(rule.data, "exact") != 0)
			buf_addf(&d->dropinfo, " (similarity %.2f)", strtod(line +
			    o.m[a_sim].val_off, NULL));
		buf_addc(&d->dropinfo, '\0');
		buf_adds(&d->dropinfo, "\"dup_of\":");
		buf_add(&d->dropinfo, line + o.m[a_of].val_off,
		    o.m[a_of].val_len);
		if (a_sim >= 0) {
			buf_adds(&d->dropinfo, ",\"similarity\":");
			buf_add(&d->dropinfo, line + o.m[a_sim].val_off,
			    o.m[a_sim].val_len);
		}
		buf_adds(&d->dropinfo, ",\"rule\":");
		buf_add(&d->dropinfo, line + o.m[a_rule].val_off,
		    o.m[a_rule].val_len);
		buf_addc(&d->dropinfo, '\0');
	}
	if (ferror(fp))
		die_errno("%s", d->drop_path);
	fclose(fp);
	free(line);
	json_obj_release(&o);
	buf_release(&sh);
	buf_release(&rule);
}

static void
dedup_start(void *arg)
{
	struct dedup *d = arg;

	if (d->drop_path != NULL)
		drop_load(d);
	index_load(d);
}

static int
index_save(void *arg)
{
	struct dedup *d = arg;
	uint64_t (*ex)[2], *bk;
	size_t i, j, len;
	FILE *fp;
	int b, k;

	if (d->index_out == NULL)
		return 0;
	/* The tables hold each document's keys; gather them per document. */
	ex = df_xcalloc(d->ndocs ? d->ndocs : 1, sizeof(*ex));
	bk = df_xcalloc((d->ndocs ? d->ndocs : 1) * (size_t)d->bands,
	    sizeof(*bk));
	for (i = 0; i < d->exact.cap; i++)
		if (d->exact.slot[i].val != 0) {
			j = (size_t)d->exact.slot[i].val - 1;
			ex[j][0] = d->exact.slot[i].k0;
			ex[j][1] = d->exact.slot[i].k1;
		}
	if (d->exact.has_zero) {
		j = (size_t)d->exact.zero_val - 1;
		ex[j][0] = ex[j][1] = 0;
	}
	for (b = 0; b < d->bands; b++)
		for (i = 0; i < d->band[b].cap; i++)
			if (d->band[b].slot[i].doc != 0)
				bk[(size_t)(d->band[b].slot[i].doc - 1) *
				    (size_t)d->bands + (size_t)b] =
				    d->band[b].slot[i].key;
	fp = filter_file_open(d->index_out);
	fwrite(INDEX_MAGIC, 1, sizeof(INDEX_MAGIC) - 1, fp);
	put64(fp, MH_BINS);
	put64(fp, (uint64_t)d->bands);
	put64(fp, (uint64_t)d->rows);
	put64(fp, (uint64_t)d->mp.ngram);
	put64(fp, (uint64_t)d->mp.chars);
	put64(fp, (uint64_t)d->verify);
	put64(fp, d->mp.seed);
	put64(fp, (uint64_t)d->ndocs);
	for (i = 0; i < d->ndocs; i++) {
		put64(fp, ex[i][0]);
		put64(fp, ex[i][1]);
		for (b = 0; b < d->bands; b++)
			put64(fp, bk[i * (size_t)d->bands + (size_t)b]);
		if (d->verify)
			for (k = 0; k < MH_BINS; k += 4) {
				const uint16_t *g = d->sig + i * MH_BINS + k;

				put64(fp, (uint64_t)g[0] |
				    (uint64_t)g[1] << 16 |
				    (uint64_t)g[2] << 32 |
				    (uint64_t)g[3] << 48);
			}
		len = strlen(d->ids.data + d->idoff[i]);
		put64(fp, (uint64_t)len);
		fwrite(d->ids.data + d->idoff[i], 1, len, fp);
	}
	filter_file_commit(fp);
	free(ex);
	free(bk);
	return 0;
}

static void
dedup_stats(void *arg, struct buf *b)
{
	struct dedup *d = arg;
	size_t bytes = d->ids.cap + d->capdocs * sizeof(*d->idoff) +
	    d->exact.cap * sizeof(struct map_slot);
	int i;

	if (d->verify)
		bytes += d->capdocs * MH_BINS * sizeof(*d->sig);
	for (i = 0; i < d->bands; i++)
		bytes += d->band[i].cap * sizeof(struct band_slot);
	buf_addf(b, "\"kept\":%llu,\"exact_duplicates\":%llu,"
	    "\"near_duplicates\":%llu,\"reference_kept\":%llu,"
	    "\"index_in_kept\":%llu,", d->kept, d->exact_dups, d->near_dups,
	    d->ref_kept, d->index_kept);
	buf_addf(b, "\"bands\":%d,\"rows\":%d,\"threshold\":%g,"
	    "\"verify\":%s,\"index_bytes\":%zu,"
	    "\"index_bytes_per_document\":%.0f", d->bands, d->rows,
	    d->threshold, d->verify ? "true" : "false", bytes,
	    d->ndocs ? (double)bytes / (double)d->ndocs : 0.0);
}

static void
parse_field(struct field *f, const char *text, const char *opt)
{
	char err[160];

	if (field_parse(f, text, err, sizeof(err)) < 0)
		cli_bad("%s: %s", opt, err);
}

int
main(int argc, char *argv[])
{
	struct dedup *d = &D;
	struct filter f;
	const char *errstr, **against = NULL;
	char **ops, err[160];
	int ch, i, nagainst = 0, rc, bands = 0, rows = 0, modes = 0;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	d->field_text = ".text";
	d->id_text = ".id";
	d->mp.ngram = 5;
	d->threshold = 0.8;
	d->verify = 1;
	while ((ch = getopt_long(argc, argv, "hj:quV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_AGAINST:
			against = df_xrealloc(against, (size_t)(nagainst + 1) *
			    sizeof(*against));
			against[nagainst++] = optarg;
			break;
		case OPT_ANNOTATE:
			d->annotate = 1;
			break;
		case OPT_DROP:
			d->drop_path = optarg;
			modes |= 1 << MODE_DROP;
			d->mode = MODE_DROP;
			break;
		case OPT_FROM_SKETCHES:
			modes |= 1 << MODE_REDUCE;
			d->mode = MODE_REDUCE;
			break;
		case OPT_SHARD:
			d->shard = optarg;
			break;
		case OPT_SKETCH:
			modes |= 1 << MODE_SKETCH;
			d->mode = MODE_SKETCH;
			break;
		case OPT_BANDS:
			bands = (int)cli_strtonum(optarg, 1, MH_MAXBANDS,
			    &errstr);
			if (errstr != NULL)
				cli_bad("--bands is %s: '%s' (1 to %d)", errstr,
				    optarg, MH_MAXBANDS);
			break;
		case OPT_FIELD:
			d->field_text = optarg;
			break;
		case OPT_ID:
			d->id_text = optarg;
			break;
		case OPT_INDEX_IN:
			d->index_in = optarg;
			break;
		case OPT_INDEX_OUT:
			d->index_out = optarg;
			break;
		case OPT_NGRAM:
			d->mp.ngram = (int)cli_strtonum(optarg, 1, 64, &errstr);
			if (errstr != NULL)
				cli_bad("--ngram is %s: '%s'", errstr, optarg);
			break;
		case OPT_NO_VERIFY:
			d->verify = 0;
			break;
		case OPT_ROWS:
			rows = (int)cli_strtonum(optarg, 1, MH_BINS, &errstr);
			if (errstr != NULL)
				cli_bad("--rows is %s: '%s'", errstr, optarg);
			break;
		case OPT_SEED:
			d->mp.seed = (uint64_t)cli_strtonum(optarg, 0,
			    9007199254740991LL, &errstr);
			if (errstr != NULL)
				cli_bad("--seed is %s: '%s'", errstr, optarg);
			break;
		case OPT_SHINGLE:
			if (strcmp(optarg, "words") == 0)
				d->mp.chars = 0;
			else if (strncmp(optarg, "chars:", 6) == 0) {
				d->mp.chars = 1;
				d->mp.ngram = (int)cli_strtonum(optarg + 6, 1,
				    64, &errstr);
				if (errstr != NULL)
					cli_bad("--shingle chars:N: N is %s: "
					    "'%s'", errstr, optarg + 6);
			} else
				cli_bad("--shingle is words or chars:N, not "
				    "'%s'", optarg);
			break;
		case OPT_THRESHOLD:
			if (cli_strtod(optarg, 0.01, 1.0, &d->threshold) < 0)
				cli_bad("--threshold must be a number from "
				    "0.01 to 1, not '%s'", optarg);
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	parse_field(&d->field, d->field_text, "--field");
	parse_field(&d->idf, d->id_text, "--id");
	if (field_parse(&d->cluster_f, ".dup_cluster", err, sizeof(err)) < 0 ||
	    field_parse(&d->of_f, ".dup_of", err, sizeof(err)) < 0)
		die("internal error: %s", err);
	mh_choose_bands(d->threshold, 20, &d->bands, &d->rows);
	if (bands > 0)
		d->bands = bands;
	if (rows > 0)
		d->rows = rows;
	if (d->bands * d->rows > MH_BINS)
		cli_bad("--bands times --rows is at most %d", MH_BINS);
	if (modes & (modes - 1))
		cli_bad("--sketch, --from-sketches and --drop go separately");
	if (d->mode != MODE_DEDUP && f.where != NULL)
		cli_bad("--where goes with a one-process run only: select "
		    "records before the map phase");
	if (d->mode != MODE_DEDUP && d->annotate)
		cli_bad("--annotate goes with a one-process run only");
	if ((d->mode == MODE_SKETCH || d->mode == MODE_DROP) &&
	    (nagainst > 0 || d->index_in != NULL || d->index_out != NULL))
		cli_bad("--against and --index-in/--index-out go with a "
		    "one-process run or --from-sketches");
	snprintf(d->params, sizeof(d->params), "b%dr%dn%d%s%llu%s", d->bands,
	    d->rows, d->mp.ngram, d->mp.chars ? "c" : "w",
	    (unsigned long long)d->mp.seed, d->verify ? "v" : "");

	for (i = 0; i < nagainst; i++)
		if (strcmp(against[i], "-") == 0) {
			int j, stdin_input = argc == 0;

			for (j = 0; j < argc; j++)
				stdin_input |= strcmp(argv[j], "-") == 0;
			if (stdin_input)
				cli_bad("--against - reads standard input: "
				    "name the input files");
		}
	/* Reference files first, then the input: stdin when none. */
	ops = df_xcalloc((size_t)(nagainst + argc + 1), sizeof(*ops));
	for (i = 0; i < nagainst; i++)
		ops[i] = (char *)against[i];
	for (i = 0; i < argc; i++)
		ops[nagainst + i] = argv[i];
	if (argc == 0)
		ops[nagainst + argc++] = (char *)"-";
	f.nref = nagainst;
	f.fn = dedup_record;
	f.ordered = dedup_ordered;
	switch (d->mode) {
	case MODE_SKETCH:
		f.ordered = NULL;
		break;
	case MODE_REDUCE:
		f.fn = sketch_record;
		f.one_to_one = 0;
		break;
	case MODE_DROP:
		f.fn = drop_record;
		f.ordered = NULL;
		break;
	case MODE_DEDUP:
		break;
	}
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.stats_extra = dedup_stats;
	f.start = dedup_start;
	f.finish = index_save;
	f.arg = d;
	rc = filter_run(&f, nagainst + argc, ops);
	free(ops);
	free(against);
	return rc;
}
