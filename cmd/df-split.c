/*
 * df-split: deterministic, leakage-free train/val/test splits.
 *
 * Each record is assigned to a split by a seeded SipHash-2-4 of its group
 * key (the record's id, or --key EXPR), so every record of one group lands
 * in one split and a record keeps its split when more data is added later.
 * --stratify keeps the share of each label in every split.  Without
 * --out-dir the records are annotated with their split on standard output;
 * with it, each split is written to DIR/<split>.<format> through a
 * temporary file, with DIR/manifest.json and a dataset card DIR/README.md.
 * --check DIR audits such a folder for leakage.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "cli.h"
#include "filter.h"
#include "hash.h"
#include "map.h"

#define USAGE \
"df-split [-hquV] [-j N] [--check DIR] [--field PATH] [--format FMT]\n" \
"                [--key EXPR] [--max-record BYTES] [--out-dir DIR]\n" \
"                [--progress] [--ratios SPEC] [--rejects FILE] [--seed N]\n" \
"                [--stats FILE] [--strict] [--stratify EXPR] [--text PATH]\n" \
"                [--where EXPR] [file ...]"

#define HELP \
"Assign records to train/val/test splits by a seeded hash of a group key.\n" \
"\n" \
"      --check DIR       audit a split folder for leakage: a group key or\n" \
"                        a normalised text in two splits (exit 1 if any)\n" \
"      --field PATH      where the split name is written (default .split)\n" \
"      --format FMT      with --out-dir: jsonl (default), json or csv\n" \
"      --key EXPR        group key, a jq expression (default: .id when the\n" \
"                        record has one, else the whole record)\n" \
"      --out-dir DIR     write DIR/<split>.<format>, manifest.json and a\n" \
"                        dataset card README.md instead of annotating\n" \
"      --ratios SPEC     name=weight,... (default train=0.9,val=0.05,\n" \
"                        test=0.05); weights are normalised\n" \
"      --seed N          hash seed (default 0)\n" \
"      --stratify EXPR   keep each label's share in every split\n" \
"      --text PATH       with --check: the text compared across splits\n" \
"                        (default .text)\n" \
FILTER_LONGOPTS_HELP

#define MAXSPLIT (FILTER_MAXCHAN - 1)

enum {
	OPT_CHECK = FILTER_OPT_LAST,
	OPT_FIELD,
	OPT_FORMAT,
	OPT_KEY,
	OPT_OUT_DIR,
	OPT_RATIOS,
	OPT_SEED,
	OPT_STRATIFY,
	OPT_TEXT
};

static const struct option longopts[] = {
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "ratios", required_argument, NULL, OPT_RATIOS },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "stratify", required_argument, NULL, OPT_STRATIFY },
	{ "text", required_argument, NULL, OPT_TEXT },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

enum format { FMT_JSONL, FMT_JSON, FMT_CSV };
static const char *const fmt_ext[] = { "jsonl", "json", "csv" };

/* What we know of one top-level field, for the card and CSV columns. */
struct fieldinfo {
	char *name;
	unsigned long long present;
	unsigned long long kinds[7];	/* by enum json_kind */
	unsigned long long integers;	/* numbers without fraction */
};

struct split {
	/* Options. */
	const char *field_text;
	struct field field;
	int field_given;
	const char *key;	/* NULL: .id, else the whole record */
	struct field key_field;	/* when key is a plain path */
	int key_is_path;
	const char *stratify;
	const char *out_dir;
	const char *check_dir;
	const char *text_path;
	struct field text_field;
	enum format format;
	uint64_t seed;
	char *name[MAXSPLIT];
	double ratio[MAXSPLIT];
	uint64_t cut[MAXSPLIT];	/* hash < cut[i] picks split i */
	int nsplit;
	char *value[MAXSPLIT];	/* the split name as a JSON string */

	/* Stratification state (ordered phase). */
	struct map groups;	/* group hash -> split + 1 */
	struct map strata;	/* label hash -> stratum index + 1 */
	unsigned long long (*count)[MAXSPLIT];	/* per stratum and split */
	unsigned long long *total;
	size_t nstrata;

	/* Output folder. */
	FILE *tmp[MAXSPLIT];
	unsigned long long nrec[MAXSPLIT];
	struct fieldinfo *fi;
	size_t nfi;
	struct map fimap;	/* field name hash -> index + 1 */

	/* --check. */
	struct map seen_key, seen_text;	/* hash -> (split << 48 | line) */
	char **check_files;
	int ncheck;
	unsigned long long leaks_key, leaks_text, checked_text;
	const UNormalizer2 *nfkc_cf;
	struct filter *filter;

	int argc;
	char **argv;
};

struct wctx {
	struct jqprog key, stratify;
	struct buf kb, lb;
};

static struct split S;

static void *
worker_new(void *arg)
{
	struct split *s = arg;
	struct wctx *w = df_xcalloc(1, sizeof(*w));

	if (s->key != NULL && !s->key_is_path &&
	    jqprog_compile(&w->key, s->key) < 0)
		cli_bad("--key: %s", w->key.err.data);
	if (s->stratify != NULL && jqprog_compile(&w->stratify,
	    s->stratify) < 0)
		cli_bad("--stratify: %s", w->stratify.err.data);
	return w;
}

static void
worker_free(void *p)
{
	struct wctx *w = p;

	if (w->key.jq != NULL)
		jqprog_release(&w->key);
	if (w->stratify.jq != NULL)
		jqprog_release(&w->stratify);
	buf_release(&w->kb);
	buf_release(&w->lb);
	free(w);
}

/*
 * Put the canonical bytes of r's group key in b.  Returns 0, or -1 with
 * e set when an explicit key is missing or fails.
 */
static int
group_key(struct split *s, struct wctx *w, struct rec *r, struct buf *b,
    struct df_err *e)
{
	size_t off, len;
	enum json_kind kind;
	jv v;
	long at;

	buf_reset(b);
	if (s->key == NULL) {
		at = json_obj_find(r->obj, r->line, "id", 2);
		if (at >= 0 && r->obj->m[at].kind != JSON_NULL) {
			rec_canonical_span(b, r->line + r->obj->m[at].val_off,
			    r->obj->m[at].val_len, r->obj->m[at].kind);
			return 0;
		}
		/* No id: the whole record, less the field we write. */
		v = rec_value(r);
		if (!jv_is_valid(v)) {
			jv_free(v);
			return df_err_set(e, "invalid-json", "libjq cannot "
			    "parse the record");
		}
		{
			/* Fails when a value on the way is no object. */
			jv d = jv_delpaths(jv_copy(v),
			    JV_ARRAY(field_path_jv(&s->field)));

			if (jv_is_valid(d)) {
				jv_free(v);
				v = d;
			} else
				jv_free(d);
		}
		rec_canonical(b, v);
		return 0;
	}
	if (s->key_is_path) {
		if (!field_find(&s->key_field, r->line, r->obj, &off, &len,
		    &kind) || kind == JSON_NULL)
			return df_err_set(e, "missing-key", "key '%s' is "
			    "missing", s->key);
		rec_canonical_span(b, r->line + off, len, kind);
		return 0;
	}
	if (jqprog_first(&w->key, rec_value(r), &v, e) < 0) {
		df_err_prefix(e, "--key: ");
		return -1;
	}
	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return df_err_set(e, "missing-key", "key '%s' is null",
		    s->key);
	}
	rec_canonical(b, v);
	return 0;
}

static uint64_t
key_hash(const struct split *s, const struct buf *b)
{
	/* k1 tags the use, so other seeded hashes do not correlate. */
	return hash_siphash(s->seed, 0x64662d73706c6974ULL /* "df-split" */,
	    b->data ? b->data : "", b->len);
}

static int
pick(const struct split *s, uint64_t h)
{
	int i;

	for (i = 0; i < s->nsplit - 1; i++)
		if (h < s->cut[i])
			return i;
	return s->nsplit - 1;
}

/* The memo a record leaves for the ordered phase. */
struct memo {
	uint64_t h;
	int split;		/* -1 when stratified: decided later */
};

static int
split_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct split *s = &S;
	struct wctx *w = wp;
	struct memo m;
	jv v;
	int i;

	if (group_key(s, w, r, &w->kb, e) < 0)
		return -1;
	m.h = key_hash(s, &w->kb);
	if (s->stratify == NULL) {
		i = pick(s, m.h);
		if (s->out_dir == NULL)
			return emit_set(o, 0, r, &s->field, s->value[i],
			    strlen(s->value[i]), e);
		m.split = i;
		emit_memo(o, &m, sizeof(m));
		return 0;
	}
	if (jqprog_first(&w->stratify, rec_value(r), &v, e) < 0) {
		df_err_prefix(e, "--stratify: ");
		return -1;
	}
	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return df_err_set(e, "missing-label", "label '%s' is null",
		    s->stratify);
	}
	buf_reset(&w->lb);
	rec_canonical(&w->lb, v);
	m.split = -1;
	emit_memo(o, &m, sizeof(m));
	emit_memo(o, w->lb.data ? w->lb.data : "", w->lb.len);
	return 0;
}

/*
 * Stratified choice: a group seen before keeps its split; a new group
 * goes to the split furthest below its share within the stratum (the
 * hash's own choice among equals).  This depends only on the records
 * before it, so appending data never moves an old record.
 */
static int
stratified(struct split *s, uint64_t h, const char *label, size_t len)
{
	uint64_t *g, *st, lh;
	double best = -1e300, d;
	size_t k;
	int i, choice = -1, own, added;

	g = map_get(&s->groups, h, ~h);
	lh = hash_siphash(s->seed, 1, label, len);
	st = map_put(&s->strata, lh, hash_siphash(s->seed, 2, label, len),
	    s->nstrata + 1, &added);
	if (added) {
		s->count = df_xrealloc(s->count, (s->nstrata + 1) *
		    sizeof(*s->count));
		s->total = df_xrealloc(s->total, (s->nstrata + 1) *
		    sizeof(*s->total));
		memset(s->count[s->nstrata], 0, sizeof(*s->count));
		s->total[s->nstrata] = 0;
		s->nstrata++;
	}
	k = (size_t)*st - 1;
	if (g != NULL)
		choice = (int)*g - 1;
	else {
		own = pick(s, h);
		for (i = 0; i < s->nsplit; i++) {
			d = s->ratio[i] * (double)(s->total[k] + 1) -
			    (double)s->count[k][i];
			if (d > best + 1e-9 || (d > best - 1e-9 && i == own)) {
				best = d;
				choice = i;
			}
		}
		map_put(&s->groups, h, ~h, (uint64_t)choice + 1, &added);
	}
	s->count[k][choice]++;
	s->total[k]++;
	return choice;
}

static struct fieldinfo *
field_info(struct split *s, const char *name, size_t len)
{
	uint64_t *p;
	int added;

	p = map_put(&s->fimap, hash_siphash(3, 4, name, len),
	    hash_siphash(5, 6, name, len), s->nfi + 1, &added);
	if (added) {
		s->fi = df_xrealloc(s->fi, (s->nfi + 1) * sizeof(*s->fi));
		memset(&s->fi[s->nfi], 0, sizeof(*s->fi));
		s->fi[s->nfi].name = df_xmalloc(len + 1);
		memcpy(s->fi[s->nfi].name, name, len);
		s->fi[s->nfi].name[len] = '\0';
		s->nfi++;
	}
	return &s->fi[*p - 1];
}

static void
note_fields(struct split *s, struct rec *r)
{
	const struct json_obj *ob = rec_obj(r);
	struct buf kb = BUF_INIT;
	const struct json_member *m;
	struct fieldinfo *fi;
	size_t i, j;

	for (i = 0; i < ob->n; i++) {
		m = &ob->m[i];
		buf_reset(&kb);
		(void)json_string_decode(r->line + m->key_off, m->key_len, &kb);
		/* A key given twice counts once, as its last value. */
		if (json_obj_find(ob, r->line, kb.data ? kb.data : "",
		    kb.len) != (long)i)
			continue;
		fi = field_info(s, kb.data ? kb.data : "", kb.len);
		fi->present++;
		fi->kinds[m->kind]++;
		if (m->kind == JSON_NUMBER) {
			for (j = 0; j < m->val_len; j++)
				if (strchr(".eE", r->line[m->val_off + j]))
					break;
			if (j == m->val_len)
				fi->integers++;
		}
	}
	buf_release(&kb);
}

static int
split_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	struct split *s = arg;
	struct memo m;
	int i;

	memcpy(&m, memo, sizeof(m));
	i = m.split;
	if (i < 0)
		i = stratified(s, m.h, (const char *)memo + sizeof(m),
		    len - sizeof(m));
	if (s->out_dir == NULL)
		return emit_set(o, 0, r, &s->field, s->value[i],
		    strlen(s->value[i]), e);
	note_fields(s, r);
	s->nrec[i]++;
	emit_rec(o, 1 + i, r);
	return 0;
}

/* The output folder. */

static char *
path_join(const char *dir, const char *name, const char *ext)
{
	size_t n = strlen(dir) + strlen(name) + (ext ? strlen(ext) : 0) + 3;
	char *p = df_xmalloc(n);

	snprintf(p, n, "%s/%s%s%s", dir, name, ext ? "." : "", ext ? ext : "");
	return p;
}

/* Write s[0..len) through the digest into fp. */
static void
put(FILE *fp, struct sha256 *h, unsigned long long *bytes, const char *p,
    size_t len)
{
	if (fwrite(p, 1, len, fp) != len)
		die_errno("write");
	sha256_update(h, p, len);
	*bytes += len;
}

static void
csv_cell(struct buf *b, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (strchr(",\"\r\n", p[i]) != NULL)
			break;
	if (i == len) {
		buf_add(b, p, len);
		return;
	}
	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		if (p[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, p[i]);
	}
	buf_addc(b, '"');
}

/*
 * Copy split i from its temporary file into its final file in the chosen
 * format; fill its size and digest.
 */
static void
write_split(struct split *s, int i, unsigned long long *bytes, char hex[65])
{
	struct json_obj obj = { NULL, 0, 0 };
	struct buf row = BUF_INIT, cell = BUF_INIT;
	struct sha256 h;
	enum json_kind k;
	char *path, *line = NULL, err[160];
	size_t cap = 0, f;
	ssize_t n;
	FILE *in, *out;
	unsigned long long nth = 0;
	long at;

	in = filter_file_reopen(s->tmp[i]);
	path = path_join(s->out_dir, s->name[i], fmt_ext[s->format]);
	out = filter_file_open(path);
	sha256_init(&h);
	*bytes = 0;
	if (s->format == FMT_JSON)
		put(out, &h, bytes, "[", 1);
	if (s->format == FMT_CSV) {
		for (f = 0; f < s->nfi; f++) {
			if (f > 0)
				buf_addc(&row, ',');
			csv_cell(&row, s->fi[f].name, strlen(s->fi[f].name));
		}
		buf_adds(&row, "\r\n");
		put(out, &h, bytes, row.data, row.len);
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		switch (s->format) {
		case FMT_JSONL:
			line[n++] = '\n';
			put(out, &h, bytes, line, (size_t)n);
			break;
		case FMT_JSON:
			put(out, &h, bytes, nth ? ",\n" : "\n", nth ? 2 : 1);
			put(out, &h, bytes, line, (size_t)n);
			break;
		case FMT_CSV:
			if (json_scan_object(line, (size_t)n, &obj, &k, err,
			    sizeof(err)) < 0)
				die("internal error: %s", err);
			buf_reset(&row);
			for (f = 0; f < s->nfi; f++) {
				const struct json_member *m;

				if (f > 0)
					buf_addc(&row, ',');
				at = json_obj_find(&obj, line, s->fi[f].name,
				    strlen(s->fi[f].name));
				if (at < 0)
					continue;
				m = &obj.m[at];
				buf_reset(&cell);
				if (m->kind == JSON_STRING)
					(void)json_string_decode(line +
					    m->val_off, m->val_len, &cell);
				else if (m->kind != JSON_NULL)
					buf_add(&cell, line + m->val_off,
					    m->val_len);
				csv_cell(&row, cell.data ? cell.data : "",
				    cell.len);
			}
			buf_adds(&row, "\r\n");
			put(out, &h, bytes, row.data, row.len);
			break;
		}
		nth++;
	}
	if (ferror(in))
		die_errno("part file of '%s'", s->name[i]);
	if (s->format == FMT_JSON)
		put(out, &h, bytes, nth ? "\n]\n" : "]\n", nth ? 3 : 2);
	filter_file_commit(out);
	sha256_final_hex(&h, hex);
	filter_file_abort(in);
	s->tmp[i] = NULL;
	free(line);
	free(path);
	json_obj_release(&obj);
	buf_release(&row);
	buf_release(&cell);
}

static void
add_options_json(struct split *s, struct buf *b)
{
	int i;

	buf_adds(b, "{\"ratios\":{");
	for (i = 0; i < s->nsplit; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_string_encode(b, s->name[i], strlen(s->name[i]));
		buf_addf(b, ":%.17g", s->ratio[i]);
	}
	buf_addf(b, "},\"seed\":%llu,\"key\":", (unsigned long long)s->seed);
	if (s->key != NULL)
		json_string_encode(b, s->key, strlen(s->key));
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"stratify\":");
	if (s->stratify != NULL)
		json_string_encode(b, s->stratify, strlen(s->stratify));
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"field\":");
	json_string_encode(b, s->field_text, strlen(s->field_text));
	buf_addf(b, ",\"format\":\"%s\"}", fmt_ext[s->format]);
}

static const char *
dtype(const struct fieldinfo *fi)
{
	static const char *const name[] = { "null", "bool", "bool", "number",
	    "string", "list", "struct" };
	unsigned long long nonnull = fi->present - fi->kinds[JSON_NULL];
	int k, kinds = 0, last = JSON_NULL;

	for (k = JSON_FALSE; k <= JSON_OBJECT; k++)
		if (fi->kinds[k] && !(k == JSON_TRUE && fi->kinds[JSON_FALSE]))
			kinds++, last = k;
	if (kinds == 0)
		return "null";
	if (kinds > 1)
		return "mixed";
	if (last == JSON_NUMBER)
		return fi->integers == nonnull ? "int64" : "float64";
	return name[last];
}

static int
scalar(const struct fieldinfo *fi)
{
	const char *t = dtype(fi);

	return strcmp(t, "int64") == 0 || strcmp(t, "float64") == 0 ||
	    strcmp(t, "string") == 0 || strcmp(t, "bool") == 0;
}

/* Append a as one shell word. */
static void
shell_word(struct buf *b, const char *a)
{
	const char *p;

	for (p = a; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_./=,:+@%", *p) == NULL)
			break;
	if (*p == '\0' && *a != '\0') {
		buf_adds(b, a);
		return;
	}
	buf_addc(b, '\'');
	for (p = a; *p != '\0'; p++)
		if (*p == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *p);
	buf_addc(b, '\'');
}

static void
write_card(struct split *s, unsigned long long *bytes, char (*hex)[65])
{
	struct buf b = BUF_INIT;
	unsigned long long total = 0, size = 0;
	char *path;
	FILE *fp;
	size_t f;
	int i;

	for (i = 0; i < s->nsplit; i++)
		total += s->nrec[i], size += bytes[i];
	buf_adds(&b, "---\nconfigs:\n- config_name: default\n"
	    "  data_files:\n");
	for (i = 0; i < s->nsplit; i++)
		buf_addf(&b, "  - split: %s\n    path: %s.%s\n", s->name[i],
		    s->name[i], fmt_ext[s->format]);
	buf_adds(&b, "dataset_info:\n");
	/*
	 * Declare features only when every field is a plain value type a
	 * loader knows; for nested or mixed fields it infers them better.
	 */
	for (f = 0; f < s->nfi && scalar(&s->fi[f]); f++)
		;
	if (f == s->nfi && s->nfi > 0) {
		buf_adds(&b, "  features:\n");
		for (f = 0; f < s->nfi; f++) {
			buf_adds(&b, "  - name: ");
			json_string_encode(&b, s->fi[f].name,
			    strlen(s->fi[f].name));
			buf_addf(&b, "\n    dtype: %s\n", dtype(&s->fi[f]));
		}
	}
	buf_adds(&b, "  splits:\n");
	for (i = 0; i < s->nsplit; i++)
		buf_addf(&b, "  - name: %s\n    num_bytes: %llu\n"
		    "    num_examples: %llu\n", s->name[i], bytes[i],
		    s->nrec[i]);
	buf_addf(&b, "  dataset_size: %llu\n---\n\n", size);
	buf_addf(&b, "# Dataset\n\n%llu records in %d splits, made by "
	    "df-split %s.\n\n## Splits\n\n"
	    "| split | records | share | file | sha256 |\n"
	    "|---|---:|---:|---|---|\n", total, s->nsplit, DF_VERSION);
	for (i = 0; i < s->nsplit; i++)
		buf_addf(&b, "| %s | %llu | %.1f%% | %s.%s | `%s` |\n",
		    s->name[i], s->nrec[i], total ? 100.0 *
		    (double)s->nrec[i] / (double)total : 0.0, s->name[i],
		    fmt_ext[s->format], hex[i]);
	buf_adds(&b, "\n## Fields\n\n| field | present | type |\n"
	    "|---|---:|---|\n");
	for (f = 0; f < s->nfi; f++)
		buf_addf(&b, "| `%s` | %.1f%% | %s |\n", s->fi[f].name,
		    total ? 100.0 * (double)s->fi[f].present /
		    (double)total : 0.0, dtype(&s->fi[f]));
	buf_addf(&b, "\n## How it was made\n\nThe group key of a record "
	    "is %s%s%s; every record of a group is in one split.\n",
	    s->key ? "`" : "",
	    s->key ? s->key : "its `id` (else the whole record)",
	    s->key ? "`" : "");
	if (s->stratify == NULL)
		buf_addf(&b, "Each group was assigned by SipHash-2-4 (seed "
		    "%llu) of its key, so a record keeps its split when data "
		    "is added.\n", (unsigned long long)s->seed);
	else
		buf_addf(&b, "Splits were stratified by `%s`: a new group went "
		    "to the split furthest below its share within its label "
		    "(SipHash-2-4, seed %llu, breaking ties), so each label "
		    "keeps its share in every split; records appended later "
		    "do not move earlier ones.\n", s->stratify,
		    (unsigned long long)s->seed);
	buf_adds(&b, "\nCommand:\n\n```\n");
	buf_adds(&b, df_progname);
	for (i = 1; i < s->argc; i++) {
		buf_addc(&b, ' ');
		shell_word(&b, s->argv[i]);
	}
	buf_adds(&b, "\n```\n");
	path = path_join(s->out_dir, "README.md", NULL);
	fp = filter_file_open(path);
	if (fwrite(b.data, 1, b.len, fp) != b.len)
		die_errno("%s", path);
	filter_file_commit(fp);
	free(path);
	buf_release(&b);
}

/*
 * Create the folder and a part file per split inside it, once every
 * operand is open.  Part files are temporary files (removed if we are
 * killed) that split_finish copies into the final files.
 */
static void
split_start(void *arg)
{
	struct split *s = arg;
	struct stat st;
	char *path;
	int i;

	if (stat(s->out_dir, &st) != 0) {
		if (errno != ENOENT || mkdir(s->out_dir, 0777) != 0)
			die_errno("%s", s->out_dir);
	} else if (!S_ISDIR(st.st_mode))
		die("%s: not a directory", s->out_dir);
	for (i = 0; i < s->nsplit; i++) {
		path = df_xmalloc(strlen(s->out_dir) + strlen(s->name[i]) + 8);
		sprintf(path, "%s/.%s.part", s->out_dir, s->name[i]);
		s->tmp[i] = filter_file_open(path);
		free(path);
		s->filter->chan[1 + i] = s->tmp[i];
		s->filter->chan_name[1 + i] = s->name[i];
	}
}

static int
split_finish(void *arg)
{
	struct split *s = arg;
	unsigned long long bytes[MAXSPLIT], total = 0;
	char hex[MAXSPLIT][65], *path;
	struct buf b = BUF_INIT;
	FILE *fp;
	size_t f;
	int i;

	if (s->out_dir == NULL)
		return 0;
	for (i = 0; i < s->nsplit; i++) {
		write_split(s, i, &bytes[i], hex[i]);
		total += s->nrec[i];
	}
	buf_adds(&b, "{\"program\":\"df-split\",\"version\":\"" DF_VERSION
	    "\",\"options\":");
	add_options_json(s, &b);
	buf_addf(&b, ",\"records\":%llu,\"splits\":{", total);
	for (i = 0; i < s->nsplit; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		json_string_encode(&b, s->name[i], strlen(s->name[i]));
		buf_adds(&b, ":{\"file\":");
		path = path_join("", s->name[i], fmt_ext[s->format]);
		json_string_encode(&b, path + 1, strlen(path + 1));
		free(path);
		buf_addf(&b, ",\"records\":%llu,\"bytes\":%llu,"
		    "\"sha256\":\"%s\"}", s->nrec[i], bytes[i], hex[i]);
	}
	buf_adds(&b, "},\"fields\":{");
	for (f = 0; f < s->nfi; f++) {
		if (f > 0)
			buf_addc(&b, ',');
		json_string_encode(&b, s->fi[f].name, strlen(s->fi[f].name));
		buf_addf(&b, ":{\"present\":%llu,\"type\":\"%s\"}",
		    s->fi[f].present, dtype(&s->fi[f]));
	}
	buf_adds(&b, "}}\n");
	path = path_join(s->out_dir, "manifest.json", NULL);
	fp = filter_file_open(path);
	if (fwrite(b.data, 1, b.len, fp) != b.len)
		die_errno("%s", path);
	filter_file_commit(fp);
	free(path);
	buf_release(&b);
	write_card(s, bytes, hex);
	return 0;
}

static void
split_stats(void *arg, struct buf *b)
{
	struct split *s = arg;
	int i;

	if (s->out_dir == NULL && s->check_dir == NULL)
		return;
	if (s->check_dir != NULL) {
		buf_addf(b, "\"leaks\":{\"key\":%llu,\"text\":%llu}",
		    s->leaks_key, s->leaks_text);
		return;
	}
	buf_adds(b, "\"splits\":{");
	for (i = 0; i < s->nsplit; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_string_encode(b, s->name[i], strlen(s->name[i]));
		buf_addf(b, ":%llu", s->nrec[i]);
	}
	buf_addc(b, '}');
}

/* --check. */

/*
 * The text compared across splits: NFKC with case folding (ICU), runs of
 * white space made one space, trimmed.
 */
static int
norm_text(struct split *s, const char *p, size_t len, struct buf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u, *n;
	int32_t ulen, nlen, i;
	UChar32 c;
	int space = 0;
	char tmp[4];

	u_strFromUTF8(NULL, 0, &ulen, p, (int32_t)len, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return -1;
	st = U_ZERO_ERROR;
	u = df_xmalloc(((size_t)ulen + 1) * sizeof(UChar));
	u_strFromUTF8(u, ulen + 1, NULL, p, (int32_t)len, &st);
	nlen = unorm2_normalize(s->nfkc_cf, u, ulen, NULL, 0, &st);
	st = U_ZERO_ERROR;
	n = df_xmalloc(((size_t)nlen + 1) * sizeof(UChar));
	unorm2_normalize(s->nfkc_cf, u, ulen, n, nlen + 1, &st);
	free(u);
	if (U_FAILURE(st)) {
		free(n);
		return -1;
	}
	buf_reset(out);
	for (i = 0; i < nlen;) {
		U16_NEXT(n, i, nlen, c);
		if (u_isUWhiteSpace(c)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_addc(out, ' ');
		space = 0;
		{
			int32_t k = 0;
			UBool err = 0;

			U8_APPEND((uint8_t *)tmp, k, 4, c, err);
			if (!err)
				buf_add(out, tmp, (size_t)k);
		}
	}
	free(n);
	return 0;
}

struct check_memo {
	uint64_t k0, k1;	/* group key */
	uint64_t t0, t1;	/* normalised text; 0, 0 when none */
};

static int
check_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct split *s = &S;
	struct wctx *w = wp;
	struct check_memo m;
	size_t off, len;
	enum json_kind kind;

	if (group_key(s, w, r, &w->kb, e) < 0)
		return -1;
	m.k0 = hash_siphash(11, 12, w->kb.data ? w->kb.data : "", w->kb.len);
	m.k1 = hash_siphash(13, 14, w->kb.data ? w->kb.data : "", w->kb.len);
	m.t0 = m.t1 = 0;
	if (field_find(&s->text_field, r->line, r->obj, &off, &len, &kind) &&
	    kind == JSON_STRING) {
		buf_reset(&w->lb);
		(void)json_string_decode(r->line + off, len, &w->lb);
		if (norm_text(s, w->lb.data ? w->lb.data : "", w->lb.len,
		    &w->kb) == 0 && w->kb.len > 0) {
			m.t0 = hash_siphash(15, 16, w->kb.data, w->kb.len);
			m.t1 = hash_siphash(17, 18, w->kb.data, w->kb.len) | 1;
		}
	}
	emit_memo(o, &m, sizeof(m));
	return 0;
}

static int
file_split(struct split *s, const char *file)
{
	int i;

	for (i = 0; i < s->ncheck; i++)
		if (strcmp(s->check_files[i], file) == 0)
			return i;
	return -1;
}

static int
check_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	struct split *s = arg;
	struct check_memo m;
	uint64_t *v, here;
	int i, other, added;

	(void)len;
	(void)o;
	(void)e;
	memcpy(&m, memo, sizeof(m));
	i = file_split(s, r->file);
	here = (uint64_t)i << 48 | (r->lineno & 0xffffffffffffULL);
	v = map_put(&s->seen_key, m.k0, m.k1, here, &added);
	if (!added && (int)(*v >> 48) != i) {
		other = (int)(*v >> 48);
		warnmsg("%s:%lu: group also in '%s' (%s:%llu)", r->file,
		    r->lineno, s->name[other], s->check_files[other],
		    (unsigned long long)(*v & 0xffffffffffffULL));
		s->leaks_key++;
	}
	if (m.t0 || m.t1) {
		s->checked_text++;
		v = map_put(&s->seen_text, m.t0, m.t1, here, &added);
		if (!added && (int)(*v >> 48) != i) {
			other = (int)(*v >> 48);
			warnmsg("%s:%lu: same text also in '%s' (%s:%llu)",
			    r->file, r->lineno, s->name[other],
			    s->check_files[other],
			    (unsigned long long)(*v & 0xffffffffffffULL));
			s->leaks_text++;
		}
	}
	return 0;
}

static int
check_finish(void *arg)
{
	struct split *s = arg;

	printf("{\"dir\":");
	{
		struct buf b = BUF_INIT;

		json_string_encode(&b, s->check_dir, strlen(s->check_dir));
		fwrite(b.data, 1, b.len, stdout);
		buf_release(&b);
	}
	printf(",\"splits\":%d,\"leaks\":%llu,\"key_leaks\":%llu,"
	    "\"text_leaks\":%llu,\"texts_checked\":%llu}\n", s->ncheck,
	    s->leaks_key + s->leaks_text, s->leaks_key, s->leaks_text,
	    s->checked_text);
	return s->leaks_key + s->leaks_text > 0 ? -1 : 0;
}

/*
 * Take the splits of a folder from its manifest, in its order, and the
 * group key and split field it was made with unless --key or --field say
 * otherwise.
 */
static void
check_manifest(struct split *s, const char *path, const char *text,
    size_t len)
{
	jv m, splits, opt, v;
	char err[160];
	int n;

	m = jv_parse_sized(text, (int)len);
	if (jv_get_kind(m) != JV_KIND_OBJECT)
		die("%s: not a df-split manifest", path);
	splits = jv_object_get(jv_copy(m), jv_string("splits"));
	opt = jv_object_get(jv_copy(m), jv_string("options"));
	if (jv_get_kind(splits) != JV_KIND_OBJECT)
		die("%s: not a df-split manifest", path);
	if (jv_get_kind(opt) == JV_KIND_OBJECT) {
		v = jv_object_get(jv_copy(opt), jv_string("key"));
		if (s->key == NULL && jv_get_kind(v) == JV_KIND_STRING) {
			s->key = df_xstrdup(jv_string_value(v));
			if (field_parse(&s->key_field, s->key, err,
			    sizeof(err)) == 0)
				s->key_is_path = 1;
		}
		jv_free(v);
		v = jv_object_get(jv_copy(opt), jv_string("field"));
		if (!s->field_given && jv_get_kind(v) == JV_KIND_STRING) {
			field_release(&s->field);
			if (field_parse(&s->field, jv_string_value(v), err,
			    sizeof(err)) < 0)
				die("%s: field: %s", path, err);
		}
		jv_free(v);
	}
	n = 0;
	jv_object_foreach(splits, name, sp) {
		jv file = jv_get_kind(sp) == JV_KIND_OBJECT ?
		    jv_object_get(sp, jv_string("file")) : (jv_free(sp),
		    jv_invalid());

		if (jv_get_kind(file) != JV_KIND_STRING)
			die("%s: split '%s' has no file", path,
			    jv_string_value(name));
		n = (int)strlen(jv_string_value(file));
		if (n < 6 || strcmp(jv_string_value(file) + n - 6, ".jsonl"))
			die("%s: --check reads JSON Lines folders (made with "
			    "--format jsonl)", path);
		if (s->ncheck == MAXSPLIT)
			die("%s: more than %d splits", path, MAXSPLIT);
		s->name[s->ncheck] = df_xstrdup(jv_string_value(name));
		s->check_files = df_xrealloc(s->check_files,
		    (size_t)(s->ncheck + 1) * sizeof(char *));
		s->check_files[s->ncheck++] = path_join(s->check_dir,
		    jv_string_value(file), NULL);
		jv_free(file);
		jv_free(name);
	}
	jv_free(splits);
	jv_free(opt);
	jv_free(m);
}

/*
 * The split files of a folder: those its manifest names, in its order;
 * without a manifest, every *.jsonl file in name order.
 */
static void
check_files(struct split *s)
{
	struct buf b = BUF_INIT;
	char *path, chunk[65536];
	FILE *fp;
	size_t n;
	struct dirent **ent;
	int nent, e;

	/* The folder names the splits, not --ratios. */
	for (e = 0; e < s->nsplit; e++) {
		free(s->name[e]);
		s->name[e] = NULL;
	}
	path = path_join(s->check_dir, "manifest.json", NULL);
	fp = fopen(path, "r");
	if (fp == NULL && errno != ENOENT)
		die_errno("%s", path);
	if (fp != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&b, chunk, n);
		if (ferror(fp))
			die_errno("%s", path);
		fclose(fp);
		check_manifest(s, path, b.data ? b.data : "", b.len);
		buf_release(&b);
		free(path);
		return;
	}
	free(path);
	/* No manifest: the folder's *.jsonl files, in name order. */
	nent = scandir(s->check_dir, &ent, NULL, alphasort);
	if (nent < 0)
		die_errno("%s", s->check_dir);
	for (e = 0; e < nent; e++) {
		const char *nm = ent[e]->d_name;

		n = strlen(nm);
		if (nm[0] != '.' && n > 6 && strcmp(nm + n - 6, ".jsonl") == 0 &&
		    s->ncheck < MAXSPLIT) {
			s->name[s->ncheck] = df_xstrdup(nm);
			s->name[s->ncheck][n - 6] = '\0';
			s->check_files = df_xrealloc(s->check_files,
			    (size_t)(s->ncheck + 1) * sizeof(char *));
			s->check_files[s->ncheck++] = path_join(s->check_dir,
			    nm, NULL);
		}
		free(ent[e]);
	}
	free(ent);
	if (s->ncheck == 0)
		die("%s: no manifest.json and no .jsonl files", s->check_dir);
}

static void
parse_ratios(struct split *s, const char *spec)
{
	char *copy = df_xstrdup(spec), *item, *next, *eq;
	double sum = 0, acc = 0;
	int i, j;

	s->nsplit = 0;
	for (item = copy; item != NULL; item = next) {
		next = strchr(item, ',');
		if (next != NULL)
			*next++ = '\0';
		if (*item == '\0')
			cli_bad("--ratios: an empty item in '%s'", spec);
		eq = strchr(item, '=');
		if (eq == NULL || eq == item)
			cli_bad("--ratios: '%s' is not name=weight", item);
		*eq = '\0';
		if (s->nsplit == MAXSPLIT)
			cli_bad("--ratios: more than %d splits", MAXSPLIT);
		for (j = 0; item[j] != '\0'; j++)
			if (!(item[j] >= 'a' && item[j] <= 'z') &&
			    !(item[j] >= 'A' && item[j] <= 'Z') &&
			    !(item[j] >= '0' && item[j] <= '9') &&
			    item[j] != '_' && item[j] != '-')
				cli_bad("--ratios: split name '%s' may hold "
				    "only letters, digits, '_' and '-'", item);
		for (j = 0; j < s->nsplit; j++)
			if (strcmp(s->name[j], item) == 0)
				cli_bad("--ratios: split '%s' named twice",
				    item);
		if (cli_strtod(eq + 1, 0, 1e15, &s->ratio[s->nsplit]) < 0)
			cli_bad("--ratios: weight of '%s' is not a number "
			    ">= 0: '%s'", item, eq + 1);
		s->name[s->nsplit] = df_xstrdup(item);
		sum += s->ratio[s->nsplit];
		s->nsplit++;
	}
	free(copy);
	if (s->nsplit == 0)
		cli_bad("--ratios: no splits in '%s'", spec);
	if (!(sum > 0))
		cli_bad("--ratios: the weights add up to 0");
	for (i = 0; i < s->nsplit; i++) {
		struct buf b = BUF_INIT;

		s->ratio[i] /= sum;
		acc += s->ratio[i];
		/* 2^64 * acc, saturated; the last split takes the rest. */
		s->cut[i] = acc >= 1.0 ? UINT64_MAX :
		    (uint64_t)(acc * 18446744073709551616.0);
		json_string_encode(&b, s->name[i], strlen(s->name[i]));
		s->value[i] = buf_detach(&b, NULL);
	}
}

static int
is_plain_path(const char *e)
{
	struct field f;
	char err[8];

	if (field_parse(&f, e, err, sizeof(err)) < 0)
		return 0;
	field_release(&f);
	return 1;
}

int
main(int argc, char *argv[])
{
	struct split *s = &S;
	struct filter f;
	const char *errstr, *ratios = "train=0.9,val=0.05,test=0.05";
	char err[160];
	int ch, i, rc;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	s->field_text = ".split";
	s->text_path = ".text";
	s->argc = argc;
	s->argv = argv;
	while ((ch = getopt_long(argc, argv, "hj:quV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_CHECK:
			s->check_dir = optarg;
			break;
		case OPT_FIELD:
			s->field_text = optarg;
			s->field_given = 1;
			break;
		case OPT_FORMAT:
			for (i = 0; i < 3; i++)
				if (strcmp(optarg, fmt_ext[i]) == 0)
					break;
			if (i == 3)
				cli_bad("--format must be jsonl, json or csv, "
				    "not '%s'", optarg);
			s->format = (enum format)i;
			break;
		case OPT_KEY:
			s->key = optarg;
			break;
		case OPT_OUT_DIR:
			s->out_dir = optarg;
			break;
		case OPT_RATIOS:
			ratios = optarg;
			break;
		case OPT_SEED:
			s->seed = (uint64_t)cli_strtonum(optarg, 0,
			    9007199254740991LL, &errstr);
			if (errstr != NULL)
				cli_bad("--seed is %s: '%s'", errstr, optarg);
			break;
		case OPT_STRATIFY:
			s->stratify = optarg;
			break;
		case OPT_TEXT:
			s->text_path = optarg;
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	parse_ratios(s, ratios);
	if (field_parse(&s->field, s->field_text, err, sizeof(err)) < 0)
		cli_bad("--field: %s", err);
	if (s->key != NULL && is_plain_path(s->key)) {
		s->key_is_path = 1;
		if (field_parse(&s->key_field, s->key, err, sizeof(err)) < 0)
			cli_bad("--key: %s", err);
	}
	if (s->check_dir != NULL && s->out_dir != NULL)
		cli_bad("--check and --out-dir go separately");
	if (s->format != FMT_JSONL && s->out_dir == NULL)
		cli_bad("--format goes with --out-dir");

	f.fn = split_record;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.stats_extra = split_stats;
	f.arg = s;
	if (s->stratify != NULL)
		f.ordered = split_ordered;

	if (s->check_dir != NULL) {
		UErrorCode ust = U_ZERO_ERROR;

		if (argc > 0)
			cli_bad("--check reads the folder, not operands");
		if (f.where != NULL)
			cli_bad("--where does not go with --check");
		if (field_parse(&s->text_field, s->text_path, err,
		    sizeof(err)) < 0)
			cli_bad("--text: %s", err);
		s->nfkc_cf = unorm2_getNFKCCasefoldInstance(&ust);
		if (U_FAILURE(ust))
			die("cannot load ICU normalisation data: %s",
			    u_errorName(ust));
		check_files(s);
		f.fn = check_record;
		f.ordered = check_ordered;
		f.finish = check_finish;
		f.one_to_one = 0;
		rc = filter_run(&f, s->ncheck, s->check_files);
		return rc;
	}

	if (s->out_dir != NULL) {
		f.nchan = 1 + s->nsplit;
		f.ordered = split_ordered;
		f.start = split_start;
		f.finish = split_finish;
		s->filter = &f;
	}
	rc = filter_run(&f, argc, argv);
	return rc;
}
