/*
 * df-extract: main content and metadata out of HTML pages.
 *
 * Reads records with a page in .body (what df-fetch writes; raw bytes in
 * .body_b64 with the transport charset in .charset are read too) and
 * writes each with the article text in .text and the page's metadata
 * (title, author, date, date_modified, lang, description, site_name,
 * canonical_url, image, page_type); the HTML is dropped unless
 * --keep-html.  A page without main content is rejected "no-content", a
 * page over --max-bytes "too-large".  --html reads raw HTML files instead,
 * one record per file.  The work itself is in lib/extract*.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cli.h"
#include "extract.h"
#include "filter.h"

#define USAGE \
"df-extract [-hquV] [-f FMT] [-j N] [--comments] [--field PATH] [--html]\n" \
"                  [--keep-html] [--max-bytes BYTES] [--max-record BYTES]\n" \
"                  [--min-chars N] [--normalize FORM] [--progress]\n" \
"                  [--rejects FILE] [--stats FILE] [--strict]\n" \
"                  [--where EXPR] [file ...]"

#define HELP \
"Extract the main content and metadata of HTML pages.\n" \
"\n" \
"      --comments        also extract the comment section, into .comments\n" \
"      --field PATH      where the page is (default .body); raw bytes may\n" \
"                        be in PATH_b64 instead, .charset naming them\n" \
"  -f, --format FMT      text (default) or markdown\n" \
"      --html            the operands are HTML files, not JSON Lines: one\n" \
"                        record per file, with its path in .path\n" \
"      --keep-html       keep the page field in the output\n" \
"      --max-bytes BYTES reject larger pages as too-large (default 16M)\n" \
"      --min-chars N     reject pages with less main text as no-content\n" \
"                        (default 100 characters)\n" \
"      --normalize FORM  nfc (default), nfkc or none\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_COMMENTS = FILTER_OPT_LAST,
	OPT_FIELD,
	OPT_HTML,
	OPT_KEEP_HTML,
	OPT_MAX_BYTES,
	OPT_MIN_CHARS,
	OPT_NORMALIZE
};

static const struct option longopts[] = {
	{ "comments", no_argument, NULL, OPT_COMMENTS },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "html", no_argument, NULL, OPT_HTML },
	{ "jobs", required_argument, NULL, 'j' },
	{ "keep-html", no_argument, NULL, OPT_KEEP_HTML },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "min-chars", required_argument, NULL, OPT_MIN_CHARS },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

struct xopts {
	struct extract_opts eo;
	const char *field_text;
	struct field field;	/* the page */
	struct field b64;	/* the page as base64 bytes */
	struct field charset;	/* its transport charset, beside it */
	struct field ctype;	/* its content type, beside it */
	struct field url;
	long long max_bytes;
	long long min_chars;
	int keep_html;
	int html;
};

static struct xopts X;

/* Per worker. */
struct wctx {
	struct buf raw, html, out, tmp;
	struct extract_result res;
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

	buf_release(&w->raw);
	buf_release(&w->html);
	buf_release(&w->out);
	buf_release(&w->tmp);
	extract_result_release(&w->res);
	free(w);
}

/*
 * Decode base64 s[0..n) into b (whitespace skipped).  Returns 0, or -1
 * on a character outside the alphabet.
 */
static int
base64_decode(const char *s, size_t n, struct buf *b)
{
	unsigned v = 0;
	int bits = 0;
	size_t i;
	int c, d;

	buf_grow(b, n / 4 * 3 + 3);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			d = c - 'A';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			d = c - '0' + 52;
		else if (c == '+' || c == '-')
			d = 62;
		else if (c == '/' || c == '_')
			d = 63;
		else if (c == '=' || c == ' ' || c == '\n' || c == '\r' ||
		    c == '\t')
			continue;
		else
			return -1;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(b, (char)((v >> bits) & 0xFF));
		}
	}
	return 0;
}

/* A string field's decoded value into b; 1 when it is a string. */
static int
get_string(struct rec *r, const struct field *f, struct buf *b)
{
	size_t off, len;
	enum json_kind k;

	buf_reset(b);
	if (!field_find(f, r->line, rec_obj(r), &off, &len, &k) ||
	    k != JSON_STRING)
		return 0;
	(void)json_string_decode(r->line + off, len, b);
	return 1;
}

static int
html_type(const char *t)
{
	return t == NULL || *t == '\0' || strncasecmp(t, "text/html", 9) == 0 ||
	    strncasecmp(t, "application/xhtml", 17) == 0 ||
	    strncasecmp(t, "text/plain", 10) == 0 ||
	    strncasecmp(t, "application/xml", 15) == 0 ||
	    strncasecmp(t, "text/xml", 8) == 0;
}

/* Whether member i of the scanned record has key k. */
static int
key_is(struct rec *r, size_t i, const char *k)
{
	const struct json_member *m = &r->obj->m[i];
	size_t kl = strlen(k);

	return m->key_plain && m->key_len == kl + 2 &&
	    memcmp(r->line + m->key_off + 1, k, kl) == 0;
}

static int
ours(struct rec *r, size_t i)
{
	int k;

	if (key_is(r, i, "text") || (X.eo.comments && key_is(r, i,
	    "comments")))
		return 1;
	for (k = 0; k < META_N; k++)
		if (key_is(r, i, extract_meta_key[k]))
			return 1;
	return 0;
}

/* The output members: "text":...,"title":...; to b. */
static void
add_fields(struct buf *b, const struct extract_result *res, int first)
{
	int k;

	if (!first)
		buf_addc(b, ',');
	buf_adds(b, "\"text\":");
	json_string_encode(b, res->text.data ? res->text.data : "",
	    res->text.len);
	if (X.eo.comments) {
		buf_adds(b, ",\"comments\":");
		json_string_encode(b, res->comments.data ? res->comments.data :
		    "", res->comments.len);
	}
	for (k = 0; k < META_N; k++) {
		buf_addf(b, ",\"%s\":", extract_meta_key[k]);
		if (res->meta[k] != NULL)
			json_string_encode(b, res->meta[k],
			    strlen(res->meta[k]));
		else
			buf_adds(b, "null");
	}
}

static int
emit_result(struct rec *r, struct emit *o, struct wctx *w, int from_b64,
    struct df_err *e)
{
	struct buf *b = &w->out;
	size_t i;
	int first = 1;
	const struct json_member *m;

	buf_reset(b);
	if (X.field.n == 1) {
		/* Splice: members kept in order, ours appended. */
		(void)rec_obj(r);
		buf_addc(b, '{');
		for (i = 0; i < r->obj->n; i++) {
			m = &r->obj->m[i];
			if (ours(r, i))
				continue;
			if (!X.keep_html && ((!from_b64 && key_is(r, i,
			    X.field.key[0])) || (from_b64 && key_is(r, i,
			    X.b64.key[0]))))
				continue;
			if (!first)
				buf_addc(b, ',');
			buf_add(b, r->line + m->key_off, m->val_off + m->val_len -
			    m->key_off);
			first = 0;
		}
		add_fields(b, &w->res, first);
		buf_addc(b, '}');
		emit_line(o, 0, b->data, b->len);
		return 0;
	}
	{
		/* A nested field: through the parsed record. */
		jv v = rec_value(r), add;

		if (!X.keep_html)
			v = jv_delpaths(v, JV_ARRAY(field_path_jv(from_b64 ?
			    &X.b64 : &X.field)));
		if (!jv_is_valid(v)) {
			jv_free(v);
			return df_err_set(e, "bad-field", "cannot remove '%s'",
			    X.field.text);
		}
		buf_addc(b, '{');
		add_fields(b, &w->res, 1);
		buf_addc(b, '}');
		add = jv_parse_sized(b->data, (int)b->len);
		v = jv_object_merge(v, add);
		emit_jv(o, 0, v);
	}
	return 0;
}

static int
extract_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct wctx *w = wp;
	size_t off, len, n;
	enum json_kind k;
	const char *cs = NULL;
	char msg[160];
	int from_b64 = 0, rc;

	buf_reset(&w->html);
	if (get_string(r, &X.ctype, &w->tmp) && !html_type(w->tmp.data)) {
		snprintf(msg, sizeof(msg), "content type '%.100s' is not HTML",
		    w->tmp.data);
		emit_drop(o, r, "not-html", msg, NULL);
		return 0;
	}
	if (field_find(&X.field, r->line, rec_obj(r), &off, &len, &k) &&
	    k != JSON_NULL) {
		if (k != JSON_STRING)
			return df_err_set(e, "bad-field", "field '%s' is not a "
			    "string", X.field.text);
		if ((long long)len > X.max_bytes * 6 + 2)
			goto too_large;
		buf_reset(&w->raw);
		(void)json_string_decode(r->line + off, len, &w->raw);
		if ((long long)w->raw.len > X.max_bytes)
			goto too_large;
		if (extract_looks_binary(w->raw.data, w->raw.len))
			goto binary;
		extract_clean_utf8(w->raw.data, w->raw.len, &w->html);
	} else if (field_find(&X.b64, r->line, rec_obj(r), &off, &len, &k) &&
	    k == JSON_STRING) {
		from_b64 = 1;
		if ((long long)(len / 4 * 3) > X.max_bytes + 3)
			goto too_large;
		buf_reset(&w->raw);
		if (base64_decode(r->line + off + 1, len - 2, &w->raw) < 0)
			return df_err_set(e, "bad-field", "field '%s' is not "
			    "base64", X.b64.text);
		if ((long long)w->raw.len > X.max_bytes)
			goto too_large;
		if (extract_looks_binary(w->raw.data, w->raw.len))
			goto binary;
		if (get_string(r, &X.charset, &w->tmp))
			cs = w->tmp.data;
		(void)extract_decode(w->raw.data ? w->raw.data : "",
		    w->raw.len, cs, &w->html);
	} else {
		snprintf(msg, sizeof(msg), "no page in '%s'", X.field.text);
		emit_drop(o, r, "no-body", msg, NULL);
		return 0;
	}
	extract_result_release(&w->res);
	buf_reset(&w->tmp);
	if (get_string(r, &X.url, &w->tmp) && w->tmp.len == 0)
		buf_reset(&w->tmp);
	if (extract_page(w->html.data ? w->html.data : "", w->html.len,
	    w->tmp.len ? w->tmp.data : NULL, &X.eo, &w->res) < 0)
		return df_err_set(e, "parse-error", "libxml2 could not parse "
		    "the page");
	n = extract_chars(w->res.text.data ? w->res.text.data : "",
	    w->res.text.len);
	if ((long long)n < X.min_chars) {
		snprintf(msg, sizeof(msg), "%zu characters of main text, fewer "
		    "than %lld", n, X.min_chars);
		emit_drop(o, r, "no-content", msg, NULL);
		return 0;
	}
	rc = emit_result(r, o, w, from_b64, e);
	return rc;
too_large:
	snprintf(msg, sizeof(msg), "page larger than %lld bytes",
	    X.max_bytes);
	emit_drop(o, r, "too-large", msg, NULL);
	return 0;
binary:
	emit_drop(o, r, "not-html", "binary data, not an HTML page", NULL);
	return 0;
}

/*
 * --html: a thread turns the HTML files into records on a pipe that the
 * record loop reads as its standard input.
 */
struct feeder {
	int nfiles;
	char **names;
	int *fds;
	int out;
	long long cap;		/* bytes read per file: max_bytes + 1 */
};

static void
feed_one(struct feeder *fd, FILE *out, int i, struct buf *b, struct buf *j)
{
	ssize_t got;
	size_t k;
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	buf_reset(b);
	for (;;) {
		long long room = fd->cap - (long long)b->len;

		if (room <= 0)
			break;
		buf_grow(b, 65536);
		got = read(fd->fds[i], b->data + b->len, (size_t)(room < 65536 ?
		    room : 65536));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			die_errno("%s", fd->names[i]);
		if (got == 0)
			break;
		b->len += (size_t)got;
	}
	if (fd->fds[i] != 0)
		close(fd->fds[i]);
	buf_reset(j);
	buf_adds(j, "{\"path\":");
	{
		struct buf p = BUF_INIT;
		const char *name = strcmp(fd->names[i], "-") == 0 ? "-" :
		    fd->names[i];

		extract_clean_utf8(name, strlen(name), &p);
		json_string_encode(j, p.data ? p.data : "", p.len);
		buf_release(&p);
	}
	buf_adds(j, ",\"body_b64\":\"");
	buf_grow(j, b->len / 3 * 4 + 8);
	for (k = 0; k + 2 < b->len; k += 3) {
		unsigned v = (unsigned char)b->data[k] << 16 |
		    (unsigned char)b->data[k + 1] << 8 |
		    (unsigned char)b->data[k + 2];

		buf_addc(j, tbl[v >> 18]);
		buf_addc(j, tbl[(v >> 12) & 63]);
		buf_addc(j, tbl[(v >> 6) & 63]);
		buf_addc(j, tbl[v & 63]);
	}
	if (b->len - k == 1) {
		unsigned v = (unsigned char)b->data[k] << 16;

		buf_addc(j, tbl[v >> 18]);
		buf_addc(j, tbl[(v >> 12) & 63]);
		buf_adds(j, "==");
	} else if (b->len - k == 2) {
		unsigned v = (unsigned char)b->data[k] << 16 |
		    (unsigned char)b->data[k + 1] << 8;

		buf_addc(j, tbl[v >> 18]);
		buf_addc(j, tbl[(v >> 12) & 63]);
		buf_addc(j, tbl[(v >> 6) & 63]);
		buf_addc(j, '=');
	}
	buf_adds(j, "\"}\n");
	if (fwrite(j->data, 1, j->len, out) != j->len)
		return;
}

static void *
feeder_main(void *arg)
{
	struct feeder *fd = arg;
	struct buf b = BUF_INIT, j = BUF_INIT;
	FILE *out;
	sigset_t set;
	int i;

	/*
	 * When the loop stops reading (--strict), writes fail with EPIPE
	 * here instead of killing the program.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	out = fdopen(fd->out, "w");
	if (out == NULL)
		die_errno("pipe");
	for (i = 0; i < fd->nfiles && !ferror(out); i++)
		feed_one(fd, out, i, &b, &j);
	fclose(out);
	buf_release(&b);
	buf_release(&j);
	return NULL;
}

static pthread_t feeder_tid;
static struct feeder F;

/* Open the HTML files, start the feeder; the loop reads its pipe as "-". */
static void
html_start(int argc, char *argv[])
{
	static char dash[] = "-";
	int p[2], i, in = -1, stdin_used = 0;

	F.nfiles = argc > 0 ? argc : 1;
	F.names = df_xcalloc((size_t)F.nfiles, sizeof(*F.names));
	F.fds = df_xcalloc((size_t)F.nfiles, sizeof(*F.fds));
	for (i = 0; i < F.nfiles; i++) {
		F.names[i] = argc > 0 ? argv[i] : dash;
		if (strcmp(F.names[i], "-") == 0) {
			if (!stdin_used) {
				in = dup(0);
				if (in < 0)
					die_errno("<stdin>");
				stdin_used = 1;
			}
			F.fds[i] = in;
			continue;
		}
		F.fds[i] = open(F.names[i], O_RDONLY | O_CLOEXEC);
		if (F.fds[i] < 0)
			die_errno("%s", F.names[i]);
	}
	F.cap = X.max_bytes + 1;
	if (pipe(p) < 0)
		die_errno("pipe");
	if (dup2(p[0], 0) < 0)
		die_errno("pipe");
	close(p[0]);
	F.out = p[1];
	if (pthread_create(&feeder_tid, NULL, feeder_main, &F) != 0)
		die("cannot start a thread");
}

static void
parse_field(struct field *f, const char *text, const char *opt)
{
	char err[160];

	if (field_parse(f, text, err, sizeof(err)) < 0)
		cli_bad("%s: %s", opt, err);
}

/* A path beside f: the same parents, last key name. */
static void
sibling(struct field *out, const struct field *f, const char *name)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i + 1 < f->n; i++) {
		buf_addc(&b, '.');
		json_string_encode(&b, f->key[i], f->keylen[i]);
	}
	buf_addc(&b, '.');
	json_string_encode(&b, name, strlen(name));
	parse_field(out, b.data, "--field");
	buf_release(&b);
}

int
main(int argc, char *argv[])
{
	struct filter f;
	const char *errstr;
	char *b64name;
	static char dash[] = "-";
	char *ops[1] = { dash };
	int ch, rc;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	X.field_text = ".body";
	X.max_bytes = 16LL << 20;
	X.min_chars = 100;
	X.eo.format = EXTRACT_TEXT;
	X.eo.norm = EXTRACT_NFC;
	while ((ch = getopt_long(argc, argv, "f:hj:quV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				X.eo.format = EXTRACT_TEXT;
			else if (strcmp(optarg, "markdown") == 0 ||
			    strcmp(optarg, "md") == 0)
				X.eo.format = EXTRACT_MARKDOWN;
			else
				cli_bad("--format is text or markdown, not "
				    "'%s'", optarg);
			break;
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_COMMENTS:
			X.eo.comments = 1;
			break;
		case OPT_FIELD:
			X.field_text = optarg;
			break;
		case OPT_HTML:
			X.html = 1;
			break;
		case OPT_KEEP_HTML:
			X.keep_html = 1;
			break;
		case OPT_MAX_BYTES:
			X.max_bytes = cli_strtosize(optarg, 1, 1LL << 40,
			    &errstr);
			if (errstr != NULL)
				cli_bad("--max-bytes is %s: '%s'", errstr,
				    optarg);
			break;
		case OPT_MIN_CHARS:
			X.min_chars = cli_strtonum(optarg, 0, 1LL << 40,
			    &errstr);
			if (errstr != NULL)
				cli_bad("--min-chars is %s: '%s'", errstr,
				    optarg);
			break;
		case OPT_NORMALIZE:
			if (strcmp(optarg, "nfc") == 0)
				X.eo.norm = EXTRACT_NFC;
			else if (strcmp(optarg, "nfkc") == 0)
				X.eo.norm = EXTRACT_NFKC;
			else if (strcmp(optarg, "none") == 0)
				X.eo.norm = EXTRACT_NONE;
			else
				cli_bad("--normalize is nfc, nfkc or none, "
				    "not '%s'", optarg);
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (X.html && X.field_text != NULL && strcmp(X.field_text, ".body"))
		cli_bad("--html reads files into .body_b64: no --field");
	parse_field(&X.field, X.field_text, "--field");
	b64name = df_xmalloc(strlen(X.field.name) + 5);
	sprintf(b64name, "%s_b64", X.field.name);
	sibling(&X.b64, &X.field, b64name);
	free(b64name);
	sibling(&X.charset, &X.field, "charset");
	sibling(&X.ctype, &X.field, "content_type");
	parse_field(&X.url, ".url", "--field");
	xmlInitParser();
	f.fn = extract_record;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.arg = &X;
	if (X.html) {
		html_start(argc, argv);
		rc = filter_run(&f, 1, ops);
		close(0);
		pthread_join(feeder_tid, NULL);
		free(F.names);
		free(F.fds);
	} else
		rc = filter_run(&f, argc, argv);
	field_release(&X.field);
	field_release(&X.b64);
	field_release(&X.charset);
	field_release(&X.ctype);
	field_release(&X.url);
	xmlCleanupParser();
	return rc;
}
