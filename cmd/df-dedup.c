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
"                [--field PATH] [--id PATH] [--index-in FILE]\n" \
"                [--index-out FILE] [--max-record BYTES]\n" \
"                [--ngram N] [--no-verify] [--progress] [--rejects FILE]\n" \
"                [--rows N] [--seed N] [--shingle words|chars:N]\n" \
"                [--stats FILE] [--strict] [--threshold T] [--where EXPR]\n" \
"                [file ...]"

#define HELP \
"Remove exact and near-duplicate records, keeping the first of each.\n" \
"\n" \
"      --against FILE    treat FILE's records as already kept: only new\n" \
"                        records that duplicate none of them come out\n" \
"                        (repeatable)\n" \
"      --annotate        keep every record; add dup_cluster (the kept\n" \
"                        record's id) and, to duplicates, dup_of\n" \
"      --bands N         LSH bands (default: chosen from --threshold)\n" \
"      --field PATH      the text to compare (default .text)\n" \
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
"      --shingle KIND    words (default) or chars:N, code point n-grams\n" \
"                        for scripts written without spaces\n" \
"      --threshold T     estimated Jaccard similarity that makes a\n" \
"                        near duplicate (default 0.8)\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_AGAINST = FILTER_OPT_LAST,
	OPT_ANNOTATE,
	OPT_BANDS,
	OPT_FIELD,
	OPT_ID,
	OPT_INDEX_IN,
	OPT_INDEX_OUT,
	OPT_NGRAM,
	OPT_NO_VERIFY,
	OPT_ROWS,
	OPT_SEED,
	OPT_SHINGLE,
	OPT_THRESHOLD
};

static const struct option longopts[] = {
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "annotate", no_argument, NULL, OPT_ANNOTATE },
	{ "bands", required_argument, NULL, OPT_BANDS },
	{ "field", required_argument, NULL, OPT_FIELD },
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
	{ "shingle", required_argument, NULL, OPT_SHINGLE },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

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

static int
dedup_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct dedup *d = &D;
	struct wctx *w = wp;
	struct memo m;
	size_t off, len;
	enum json_kind kind;
	int b;

	if (!field_find(&d->field, r->line, r->obj, &off, &len, &kind))
		return df_err_set(e, "missing-field", "field '%s' is missing",
		    d->field_text);
	if (kind != JSON_STRING)
		return df_err_set(e, "missing-field", "field '%s' is not a "
		    "string", d->field_text);
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
keep(struct dedup *d, const struct memo *m, const char *id, size_t idlen)
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
	/* find_dup left the free slot at the end of each key's chain. */
	for (b = 0; b < d->bands; b++) {
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
	if (bestdoc < 0 || (d->verify && best < d->threshold))
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
			keep(d, &m, id, idlen);
			d->ref_kept++;
		}
		return 0;
	}
	if (dup < 0) {
		keep(d, &m, id, idlen);
		d->kept++;
		if (!d->annotate) {
			emit_rec(o, 0, r);
			return 0;
		}
		json_string_encode(&cl, id, idlen);
		rc = emit_set(o, 0, r, &d->cluster_f, cl.data, cl.len, e);
		buf_release(&cl);
		return rc;
	}
	if (*rule == 'e')
		d->exact_dups++;
	else
		d->near_dups++;
	json_string_encode(&of, d->ids.data + d->idoff[dup],
	    strlen(d->ids.data + d->idoff[dup]));
	if (d->annotate) {
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
		emit_drop(o, r, *rule == 'e' ? "exact-duplicate" :
		    "near-duplicate", NULL, extra.data);
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
index_load(void *arg)
{
	struct dedup *d = arg;
	uint64_t v[8], n, i, x, len;
	char magic[sizeof(INDEX_MAGIC) - 1];
	struct memo m;
	struct buf id = BUF_INIT;
	FILE *fp;
	int b, k, added;

	if (d->index_in == NULL)
		return;
	fp = fopen(d->index_in, "rb");
	if (fp == NULL)
		die_errno("%s", d->index_in);
	if (fread(magic, 1, sizeof(magic), fp) != sizeof(magic) ||
	    memcmp(magic, INDEX_MAGIC, sizeof(magic)) != 0)
		die("%s: not a df-dedup index", d->index_in);
	for (k = 0; k < 7; k++)
		if (get64(fp, &v[k]) < 0)
			die("%s: truncated index", d->index_in);
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
	if (get64(fp, &n) < 0)
		die("%s: truncated index", d->index_in);
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		if (get64(fp, &m.exact[0]) < 0 || get64(fp, &m.exact[1]) < 0)
			die("%s: truncated index", d->index_in);
		for (b = 0; b < d->bands; b++) {
			if (get64(fp, &x) < 0)
				die("%s: truncated index", d->index_in);
			m.band[b] = (uint32_t)x;
		}
		if (d->verify) {
			for (k = 0; k < MH_BINS; k += 4) {
				if (get64(fp, &x) < 0)
					die("%s: truncated index",
					    d->index_in);
				m.sig[k] = (uint16_t)x;
				m.sig[k + 1] = (uint16_t)(x >> 16);
				m.sig[k + 2] = (uint16_t)(x >> 32);
				m.sig[k + 3] = (uint16_t)(x >> 48);
			}
		}
		if (get64(fp, &len) < 0 || len > (1U << 30))
			die("%s: truncated index", d->index_in);
		buf_reset(&id);
		buf_grow(&id, (size_t)len);
		if (fread(id.data, 1, (size_t)len, fp) != (size_t)len)
			die("%s: truncated index", d->index_in);
		id.len = (size_t)len;
		/* As keep() does, with the keys probed here. */
		if (d->ndocs == d->capdocs) {
			d->capdocs = d->capdocs ? 2 * d->capdocs : 1024;
			d->idoff = df_xrealloc(d->idoff, d->capdocs *
			    sizeof(*d->idoff));
			if (d->verify)
				d->sig = df_xrealloc(d->sig, d->capdocs *
				    MH_BINS * sizeof(*d->sig));
		}
		if (d->verify)
			memcpy(d->sig + d->ndocs * MH_BINS, m.sig,
			    sizeof(m.sig));
		d->idoff[d->ndocs] = d->ids.len;
		buf_add(&d->ids, id.data, id.len);
		buf_addc(&d->ids, '\0');
		(void)map_put(&d->exact, m.exact[0], m.exact[1],
		    d->ndocs + 1, &added);
		for (b = 0; b < d->bands; b++)
			band_put(&d->band[b], m.band[b], (uint32_t)d->ndocs);
		d->ndocs++;
		d->index_kept++;
	}
	if (ferror(fp))
		die_errno("%s", d->index_in);
	fclose(fp);
	buf_release(&id);
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
	int ch, i, nagainst = 0, rc, bands = 0, rows = 0;

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
				cli_bad("--threshold must be a number in "
				    "(0, 1], not '%s'", optarg);
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
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.stats_extra = dedup_stats;
	f.start = index_load;
	f.finish = index_save;
	f.arg = d;
	rc = filter_run(&f, nagainst + argc, ops);
	free(ops);
	free(against);
	return rc;
}
