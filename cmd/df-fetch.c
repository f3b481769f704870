/*
 * df-fetch: polite fetching of URLs into records.
 *
 * Reads bare URLs (one a line) or records with a url field, and writes
 * exactly one record per input URL, in input order, with what the fetch
 * gave: final_url, status, content_type, charset, fetched_at, etag,
 * last_modified, the body (as UTF-8 text, or base64 for other types) and,
 * on failure, an error kind.  A failed URL is data, not a lost line.
 *
 * The network side runs on one thread over libcurl's multi interface.
 * Every host (scheme, name and port) has a queue: its robots.txt is
 * fetched first and obeyed (RFC 9309), one request is in flight at a time
 * (--per-host), and requests start at least max(--delay, Crawl-delay)
 * apart.  Redirects are followed by hand, so each hop goes through the
 * queue, robots.txt and spacing of its own host.  Transient failures are
 * retried with exponential backoff and jitter, never sooner than a
 * Retry-After, and hold the whole host meanwhile.
 *
 * The record loop (lib/filter.h) hands each record to fetch_record,
 * which queues the URL; the ordered phase waits for each URL's result in
 * input order, so output is bounded by the loop's batch of records.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <unicode/ucnv.h>
#include <zlib.h>

#include "cli.h"
#include "filter.h"
#include "robots.h"

#define USAGE \
"df-fetch [-hquV] [-j N] [--changed-only] [--concurrency N]\n" \
"                [--from-warc]\n" \
"                [--connect-timeout SECONDS] [--delay SECONDS] [--field PATH]\n" \
"                [--ignore-robots]\n" \
"                [--max-bytes BYTES] [--max-crawl-delay SECONDS]\n" \
"                [--max-record BYTES] [--max-redirects N]\n" \
"                [--max-retry-after SECONDS] [--mime LIST] [--per-host N]\n" \
"                [--progress] [--rejects FILE] [--retries N]\n" \
"                [--retry-wait SECONDS] [--robots-file FILE] [--state FILE]\n" \
"                [--stats FILE] [--strict] [--timeout SECONDS]\n" \
"                [--user-agent AGENT] [--warc FILE]\n" \
"                [--where EXPR] [file ...]"

#define HELP \
"Fetch URLs politely: robots.txt, per-host spacing, retries, one record\n" \
"per input URL in input order.\n" \
"\n" \
"      --changed-only    with --state: no record for a page unchanged (304)\n" \
"      --concurrency N   transfers in flight over all hosts (default 64)\n" \
"      --connect-timeout SECONDS  per connection (default 10)\n" \
"      --delay SECONDS   least time between two requests to one host\n" \
"                        (default 0.5); a longer Crawl-delay wins\n" \
"      --field PATH      where the URL is read (default .url)\n" \
"      --from-warc       the operands are WARC files (gzip or not): write\n" \
"                        their response records as records; no network\n" \
"      --ignore-robots   do not fetch or obey robots.txt (the records say\n" \
"                        so)\n" \
"      --max-bytes BYTES body size limit after decompression (default\n" \
"                        16M; k, M, G)\n" \
"      --max-crawl-delay SECONDS  a host asking for more is not fetched\n" \
"                        (default 60)\n" \
"      --max-redirects N redirect hops followed (default 5)\n" \
"      --max-retry-after SECONDS  give up rather than wait longer\n" \
"                        (default 600)\n" \
"      --mime LIST       only bodies of these types (comma-separated, a\n" \
"                        trailing / matches a family: text/,application/pdf)\n" \
"      --per-host N      requests in flight per host (default 1)\n" \
"      --retries N       retries of timeouts, 408, 429 and 5xx (default 3)\n" \
"      --retry-wait SECONDS  first backoff, doubled each time (default 1)\n" \
"      --robots-file FILE  offline: answer for each URL whether FILE\n" \
"                        allows it to --user-agent; no network\n" \
"      --state FILE      keep ETag/Last-Modified there and ask conditionally\n" \
"                        next time; resume an interrupted run\n" \
"      --timeout SECONDS whole transfer, per attempt (default 30)\n" \
"      --user-agent AGENT  User-Agent; its product token is the robots.txt\n" \
"                        name (default df-fetch/" DF_VERSION ")\n" \
"      --warc FILE       also write each request and answer to FILE as\n" \
"                        WARC/1.1, a gzip member per record\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_CHANGED_ONLY = FILTER_OPT_LAST,
	OPT_CONCURRENCY,
	OPT_CONNECT_TIMEOUT,
	OPT_DELAY,
	OPT_FIELD,
	OPT_FROM_WARC,
	OPT_IGNORE_ROBOTS,
	OPT_MAX_BYTES,
	OPT_MAX_CRAWL_DELAY,
	OPT_MAX_REDIRECTS,
	OPT_MAX_RETRY_AFTER,
	OPT_MIME,
	OPT_PER_HOST,
	OPT_RETRIES,
	OPT_RETRY_WAIT,
	OPT_ROBOTS_FILE,
	OPT_STATE,
	OPT_TIMEOUT,
	OPT_USER_AGENT,
	OPT_WARC
};

static const struct option longopts[] = {
	{ "concurrency", required_argument, NULL, OPT_CONCURRENCY },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "from-warc", no_argument, NULL, OPT_FROM_WARC },
	{ "help", no_argument, NULL, 'h' },
	{ "changed-only", no_argument, NULL, OPT_CHANGED_ONLY },
	{ "ignore-robots", no_argument, NULL, OPT_IGNORE_ROBOTS },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "max-crawl-delay", required_argument, NULL, OPT_MAX_CRAWL_DELAY },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "max-redirects", required_argument, NULL, OPT_MAX_REDIRECTS },
	{ "max-retry-after", required_argument, NULL, OPT_MAX_RETRY_AFTER },
	{ "mime", required_argument, NULL, OPT_MIME },
	{ "per-host", required_argument, NULL, OPT_PER_HOST },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "retry-wait", required_argument, NULL, OPT_RETRY_WAIT },
	{ "robots-file", required_argument, NULL, OPT_ROBOTS_FILE },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "user-agent", required_argument, NULL, OPT_USER_AGENT },
	{ "warc", required_argument, NULL, OPT_WARC },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

/* Options. */
static struct {
	int concurrency, per_host, retries, max_redirects, ignore_robots;
	double delay, connect_timeout, timeout, retry_wait, max_crawl_delay;
	double max_retry_after;
	long long max_bytes;
	const char *user_agent;
	char **mime;
	size_t nmime;
	int quiet;
	int changed_only;
	const char *state_path;
} opt;

/* The output fields, in the order they are set. */
enum {
	F_FINAL_URL, F_STATUS, F_CONTENT_TYPE, F_CHARSET, F_FETCHED_AT,
	F_ETAG, F_LAST_MODIFIED, F_BODY, F_BODY_B64, F_ERROR, F_ERROR_DETAIL,
	F_ATTEMPTS, F_ROBOTS, NFIELD
};

static const char *const field_name[NFIELD] = {
	".final_url", ".status", ".content_type", ".charset", ".fetched_at",
	".etag", ".last_modified", ".body", ".body_b64", ".error",
	".error_detail", ".attempts", ".robots"
};

static struct field out_field[NFIELD];
static struct field url_field, allowed_field;

/* One input URL on its way through the fetcher. */
struct job {
	char *url;		/* as given */
	char *cur;		/* the current hop */
	struct host *host;
	int hops, tries, attempts;
	struct job *next;	/* in its host's queue */
	struct job *lprev, *lnext;	/* all live jobs */
	int done;
	int unchanged;		/* answered 304 */
	char *if_etag, *if_lm;	/* validators from --state */
	long status;		/* for --state */
	char *etag, *lm;	/* validators received */
	/* The result: each field's JSON text, or none. */
	struct buf val[NFIELD];
	unsigned char has[NFIELD];
};

struct host {
	char *key;		/* scheme://name:port */
	struct host *hnext;
	struct job *qhead, *qtail;
	int inflight;
	int robots_state;	/* ROBOTS_* */
	int robots_tries, robots_hops;
	char *robots_url;	/* after a redirect; NULL: KEY/robots.txt */
	struct robots *robots;
	const char *robots_error;	/* error kind when robots failed */
	char robots_detail[320];
	double delay;
	double next_ok;		/* monotonic seconds */
	int pending;		/* in the pending list */
};

enum { ROBOTS_NONE, ROBOTS_FETCHING, ROBOTS_READY };

/* A transfer in flight. */
struct xfer {
	CURL *easy;
	struct job *job;	/* NULL: the host's robots.txt */
	struct host *host;
	struct buf body;
	size_t max;
	int too_large, mime_refused, mime_checked;
	char *etag, *last_modified;
	double t_start;
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *hdrs;
	struct buf reqhdr, resphdr;	/* raw, for --warc */
	struct xfer *xprev, *xnext;	/* all transfers in flight */
};

/* Shared between the record loop and the network thread. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static struct job *incoming_head, *incoming_tail;
static struct job *live;	/* every job not yet emitted */
static int quitting;
static CURLM *multi;
static pthread_t engine_tid;
static int engine_running;
static int warned_agent;

/* Owned by the network thread. */
static struct host **htab;
static size_t hcap, hcount;
static struct host **pending;
static size_t npending, cappending;
static int active;
static struct xfer *xfers;

/* Counts for --stats and progress (under mu). */
static unsigned long long n_requests, n_bytes, n_robots_fetches, n_done;
#define MAXKINDS 32
static struct {
	char kind[32];
	unsigned long long n;
} kinds[MAXKINDS];
static int nkinds;
static int progress_on, progress_drawn, finishing;

/* The offline robots.txt mode. */
static struct robots *offline_robots;

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
iso_now(char *s, size_t n)
{
	struct tm tm;
	time_t t = time(NULL);

	gmtime_r(&t, &tm);
	strftime(s, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Results. */

static void
set_raw(struct job *j, int f, const char *json, size_t len)
{
	buf_reset(&j->val[f]);
	buf_add(&j->val[f], json, len);
	j->has[f] = 1;
}

static void
set_str(struct job *j, int f, const char *s, size_t len)
{
	if (s == NULL) {
		set_raw(j, f, "null", 4);
		return;
	}
	buf_reset(&j->val[f]);
	if (utf8_valid_prefix(s, len) == len)
		json_string_encode(&j->val[f], s, len);
	else {
		/* Header bytes that are not UTF-8: keep the ASCII. */
		struct buf t = BUF_INIT;
		size_t i;

		for (i = 0; i < len; i++)
			buf_addc(&t, (unsigned char)s[i] < 0x80 ? s[i] : '?');
		json_string_encode(&j->val[f], t.data, t.len);
		buf_release(&t);
	}
	j->has[f] = 1;
}

static void
set_cstr(struct job *j, int f, const char *s)
{
	set_str(j, f, s, s != NULL ? strlen(s) : 0);
}

static void
set_num(struct job *j, int f, long v)
{
	buf_reset(&j->val[f]);
	buf_addf(&j->val[f], "%ld", v);
	j->has[f] = 1;
}

static void
base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned v;

	buf_grow(b, (n + 2) / 3 * 4 + 2);
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addc(b, tab[(v >> 6) & 63]);
		buf_addc(b, tab[v & 63]);
	}
	if (i < n) {
		v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		buf_addc(b, '=');
	}
}

/* Whether a MIME type (lowercase, no parameters) is text. */
static int
mime_is_text(const char *m)
{
	static const char *const app[] = { "application/json",
	    "application/javascript", "application/x-javascript",
	    "application/ecmascript", "application/xml",
	    "application/x-ndjson", "application/ld+json", NULL };
	size_t i, n = strlen(m);

	if (strncmp(m, "text/", 5) == 0)
		return 1;
	for (i = 0; app[i] != NULL; i++)
		if (strcmp(m, app[i]) == 0)
			return 1;
	return (n > 4 && strcmp(m + n - 4, "+xml") == 0) ||
	    (n > 5 && strcmp(m + n - 5, "+json") == 0);
}

/*
 * Split a Content-Type value into its type (lowercase) and its charset
 * parameter (lowercase, unquoted), each in a buffer of n bytes.
 */
static void
content_type_split(const char *ct, char *type, char *cs, size_t n)
{
	const char *p, *q;
	size_t k;

	type[0] = cs[0] = '\0';
	if (ct == NULL)
		return;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	for (k = 0; ct[k] != '\0' && ct[k] != ';' && ct[k] != ' ' &&
	    k + 1 < n; k++)
		type[k] = (char)tolower((unsigned char)ct[k]);
	type[k] = '\0';
	for (p = strchr(ct, ';'); p != NULL; p = strchr(p + 1, ';')) {
		q = p + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncasecmp(q, "charset=", 8) != 0)
			continue;
		q += 8;
		if (*q == '"' || *q == '\'')
			q++;
		for (k = 0; q[k] != '\0' && q[k] != '"' && q[k] != '\'' &&
		    q[k] != ';' && q[k] != ' ' && k + 1 < n; k++)
			cs[k] = (char)tolower((unsigned char)q[k]);
		cs[k] = '\0';
		break;
	}
}

/* Find "charset=" or XML's "encoding=" in the first bytes of a body. */
static void
sniff_charset(const char *p, size_t n, char *cs, size_t csn)
{
	static const char *const keys[] = { "charset=", "encoding=", NULL };
	size_t i, k, lim = n < 4096 ? n : 4096;
	int ki;

	for (ki = 0; keys[ki] != NULL; ki++) {
		size_t kl = strlen(keys[ki]);

		for (i = 0; i + kl < lim; i++) {
			if (strncasecmp(p + i, keys[ki], kl) != 0)
				continue;
			i += kl;
			while (i < lim && (p[i] == '"' || p[i] == '\'' ||
			    p[i] == ' '))
				i++;
			for (k = 0; i < lim && k + 1 < csn &&
			    (isalnum((unsigned char)p[i]) || p[i] == '-' ||
			    p[i] == '_' || p[i] == ':' || p[i] == '.'); i++)
				cs[k++] = (char)tolower((unsigned char)p[i]);
			cs[k] = '\0';
			if (k > 0)
				return;
		}
	}
}

/* Convert to UTF-8 with ICU.  Returns 0, or -1 for an unknown charset. */
static int
to_utf8(const char *cs, const char *p, size_t n, struct buf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *from, *to;
	UChar buf16[4096], *u;
	const char *src = p, *srcend = p + n;
	char *t, tmp[16384];

	from = ucnv_open(cs, &st);
	if (U_FAILURE(st))
		return -1;
	to = ucnv_open("UTF-8", &st);
	if (U_FAILURE(st)) {
		ucnv_close(from);
		return -1;
	}
	for (;;) {
		const UChar *us;

		u = buf16;
		st = U_ZERO_ERROR;
		ucnv_toUnicode(from, &u, buf16 + 4096, &src, srcend, NULL, 1,
		    &st);
		if (U_FAILURE(st) && st != U_BUFFER_OVERFLOW_ERROR)
			break;
		us = buf16;
		while (us < u) {
			UErrorCode st2 = U_ZERO_ERROR;

			t = tmp;
			ucnv_fromUnicode(to, &t, tmp + sizeof(tmp), &us, u,
			    NULL, 0, &st2);
			buf_add(out, tmp, (size_t)(t - tmp));
			if (U_FAILURE(st2) && st2 != U_BUFFER_OVERFLOW_ERROR)
				break;
		}
		if (st != U_BUFFER_OVERFLOW_ERROR)
			break;
	}
	ucnv_close(from);
	ucnv_close(to);
	return 0;
}

/*
 * Set the body fields from the payload: text types as UTF-8 text (with
 * the charset they came in), others as base64.
 */
static void
set_body(struct job *j, const char *ctype, const char *p, size_t n)
{
	char type[128], cs[64];
	struct buf u = BUF_INIT;
	int text;

	content_type_split(ctype, type, cs, sizeof(cs));
	text = type[0] != '\0' ? mime_is_text(type) :
	    (utf8_valid_prefix(p, n) == n && memchr(p, 0, n) == NULL);
	if (!text) {
		set_raw(j, F_CHARSET, "null", 4);
		buf_reset(&j->val[F_BODY_B64]);
		buf_addc(&j->val[F_BODY_B64], '"');
		base64(&j->val[F_BODY_B64], (const unsigned char *)p, n);
		buf_addc(&j->val[F_BODY_B64], '"');
		j->has[F_BODY_B64] = 1;
		return;
	}
	/* A byte order mark decides, then the header, then the content. */
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		strcpy(cs, "utf-8");
		p += 3, n -= 3;
	} else if (n >= 2 && memcmp(p, "\xFE\xFF", 2) == 0) {
		strcpy(cs, "utf-16be");
		p += 2, n -= 2;
	} else if (n >= 2 && memcmp(p, "\xFF\xFE", 2) == 0) {
		strcpy(cs, "utf-16le");
		p += 2, n -= 2;
	} else if (cs[0] == '\0')
		sniff_charset(p, n, cs, sizeof(cs));
	if (cs[0] == '\0')
		strcpy(cs, utf8_valid_prefix(p, n) == n ? "utf-8" :
		    "windows-1252");
	if ((strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0 ||
	    strcmp(cs, "us-ascii") == 0) && utf8_valid_prefix(p, n) == n)
		buf_add(&u, p, n);
	else if (to_utf8(cs, p, n, &u) < 0) {
		/* A charset nobody knows: keep the bytes. */
		set_cstr(j, F_CHARSET, cs);
		buf_reset(&j->val[F_BODY_B64]);
		buf_addc(&j->val[F_BODY_B64], '"');
		base64(&j->val[F_BODY_B64], (const unsigned char *)p, n);
		buf_addc(&j->val[F_BODY_B64], '"');
		j->has[F_BODY_B64] = 1;
		return;
	}
	set_cstr(j, F_CHARSET, cs);
	buf_reset(&j->val[F_BODY]);
	if (utf8_valid_prefix(u.data ? u.data : "", u.len) == u.len)
		json_string_encode(&j->val[F_BODY], u.data ? u.data : "",
		    u.len);
	else
		json_string_encode(&j->val[F_BODY], "", 0);
	j->has[F_BODY] = 1;
	buf_release(&u);
}

static void
set_error(struct job *j, const char *kind, const char *detail)
{
	set_cstr(j, F_ERROR, kind);
	if (detail != NULL && *detail != '\0')
		set_cstr(j, F_ERROR_DETAIL, detail);
}

/* The job is complete: hand it to the record loop. */
static void
job_done(struct job *j)
{
	int f;

	for (f = 0; f <= F_LAST_MODIFIED; f++)
		if (!j->has[f])
			set_raw(j, f, "null", 4);
	set_cstr(j, F_FINAL_URL, j->cur);
	set_num(j, F_ATTEMPTS, j->attempts);
	if (opt.ignore_robots)
		set_raw(j, F_ROBOTS, "\"ignored\"", 9);
	pthread_mutex_lock(&mu);
	n_done++;
	if (j->has[F_ERROR] && j->val[F_ERROR].len > 2 &&
	    j->val[F_ERROR].len < sizeof(kinds[0].kind) + 2) {
		/* Count the error kind (the JSON text without its quotes). */
		const char *k = j->val[F_ERROR].data + 1;
		size_t kl = j->val[F_ERROR].len - 2;
		int i;

		for (i = 0; i < nkinds; i++)
			if (strlen(kinds[i].kind) == kl &&
			    memcmp(kinds[i].kind, k, kl) == 0)
				break;
		if (i == nkinds && nkinds < MAXKINDS) {
			memcpy(kinds[i].kind, k, kl);
			kinds[i].kind[kl] = '\0';
			nkinds++;
		}
		if (i < nkinds)
			kinds[i].n++;
	}
	j->done = 1;
	pthread_cond_broadcast(&done_cv);
	pthread_mutex_unlock(&mu);
}

static void
job_free(struct job *j)
{
	int f;

	for (f = 0; f < NFIELD; f++)
		buf_release(&j->val[f]);
	if (j->cur != j->url)
		free(j->cur);
	free(j->url);
	free(j->if_etag);
	free(j->if_lm);
	free(j->etag);
	free(j->lm);
	free(j);
}

/* file:// URLs, read at once. */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void
fetch_file(struct job *j)
{
	struct buf path = BUF_INIT, body = BUF_INIT;
	const char *p = j->url + 7, *q, *ct = NULL;
	char tmp[65536], lm[64];
	struct stat st;
	struct tm tm;
	ssize_t got;
	int fd, hi, lo;

	j->attempts = 1;
	if (strncmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/') {
		set_error(j, "scheme", "file:// URL names a host");
		goto out;
	}
	for (q = p; *q != '\0' && *q != '?' && *q != '#'; q++) {
		if (*q == '%' && (hi = hexval((unsigned char)q[1])) >= 0 &&
		    (lo = hexval((unsigned char)q[2])) >= 0) {
			buf_addc(&path, hi * 16 + lo);
			q += 2;
		} else
			buf_addc(&path, *q);
	}
	if (memchr(path.data, '\0', path.len) != NULL) {
		set_error(j, "file", "NUL in path");
		goto out;
	}
	fd = open(path.data, O_RDONLY | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		set_error(j, errno == ENOENT ? "not-found" : "file",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		set_error(j, "file", "is a directory");
		goto out;
	}
	for (;;) {
		got = read(fd, tmp, sizeof(tmp));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (body.len + (size_t)got > (size_t)opt.max_bytes) {
			got = -2;
			break;
		}
		buf_add(&body, tmp, (size_t)got);
	}
	close(fd);
	if (got == -2) {
		set_error(j, "too-large", "body over --max-bytes");
		goto out;
	}
	if (got < 0) {
		set_error(j, "file", strerror(errno));
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		gmtime_r(&st.st_mtime, &tm);
		strftime(lm, sizeof(lm), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		set_cstr(j, F_LAST_MODIFIED, lm);
	}
	/* A type from the name, as a web server would give. */
	q = strrchr(path.data, '.');
	if (q != NULL && strchr(q, '/') == NULL) {
		if (strcasecmp(q, ".html") == 0 || strcasecmp(q, ".htm") == 0)
			ct = "text/html";
		else if (strcasecmp(q, ".txt") == 0)
			ct = "text/plain";
		else if (strcasecmp(q, ".xml") == 0)
			ct = "application/xml";
		else if (strcasecmp(q, ".json") == 0)
			ct = "application/json";
		else if (strcasecmp(q, ".pdf") == 0)
			ct = "application/pdf";
		else if (strcasecmp(q, ".gz") == 0)
			ct = "application/gzip";
	}
	if (ct == NULL)
		ct = utf8_valid_prefix(body.data ? body.data : "", body.len) ==
		    body.len && (body.len == 0 ||
		    memchr(body.data, 0, body.len) == NULL) ? "text/plain" :
		    "application/octet-stream";
	set_cstr(j, F_CONTENT_TYPE, ct);
	set_num(j, F_STATUS, 200);
	set_body(j, ct, body.data ? body.data : "", body.len);
out:
	buf_release(&path);
	buf_release(&body);
	job_done(j);
}

/* Hosts. */

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct host *
host_get(const char *key)
{
	struct host *h, **nt;
	size_t i, k, ncap;

	if (hcap > 0)
		for (h = htab[hash_str(key) & (hcap - 1)]; h != NULL;
		    h = h->hnext)
			if (strcmp(h->key, key) == 0)
				return h;
	if (hcount + 1 > hcap / 2) {
		ncap = hcap ? 2 * hcap : 256;
		nt = df_xcalloc(ncap, sizeof(*nt));
		for (i = 0; i < hcap; i++)
			while ((h = htab[i]) != NULL) {
				htab[i] = h->hnext;
				k = hash_str(h->key) & (ncap - 1);
				h->hnext = nt[k];
				nt[k] = h;
			}
		free(htab);
		htab = nt;
		hcap = ncap;
	}
	h = df_xcalloc(1, sizeof(*h));
	h->key = df_xstrdup(key);
	h->delay = opt.delay;
	k = hash_str(key) & (hcap - 1);
	h->hnext = htab[k];
	htab[k] = h;
	hcount++;
	if (opt.ignore_robots) {
		h->robots_state = ROBOTS_READY;
		h->robots = robots_new_all(1);
	}
	return h;
}

static void
host_pending(struct host *h)
{
	if (h->pending)
		return;
	if (npending == cappending) {
		cappending = cappending ? 2 * cappending : 64;
		pending = df_xrealloc(pending, cappending * sizeof(*pending));
	}
	pending[npending++] = h;
	h->pending = 1;
}

/*
 * The host key of url (scheme://name:port, lowercase), or -1 with the
 * error kind in *kind when the URL cannot be fetched.
 */
static int
url_host_key(const char *url, struct buf *key, const char **kind)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1;
	size_t i;

	*kind = "bad-url";
	if (u == NULL)
		die("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		*kind = "scheme";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto out;
	buf_reset(key);
	buf_addf(key, "%s://", scheme);
	for (i = 0; host[i] != '\0'; i++)
		buf_addc(key, tolower((unsigned char)host[i]));
	buf_addf(key, ":%s", port);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static void engine_finish(struct job *j);
static void state_start(void);

/* Put j in the queue of its current URL's host (at the front: a retry or
 * a redirect hop goes before URLs that came later). */
static void
route(struct job *j, int front)
{
	struct buf key = BUF_INIT;
	const char *kind;
	struct host *h;

	if (url_host_key(j->cur, &key, &kind) < 0) {
		set_error(j, kind, j->hops > 0 ? "redirect target refused" :
		    "cannot fetch this URL");
		buf_release(&key);
		engine_finish(j);
		return;
	}
	h = host_get(key.data);
	buf_release(&key);
	j->host = h;
	j->next = NULL;
	if (front && h->qhead != NULL) {
		j->next = h->qhead;
		h->qhead = j;
	} else if (h->qtail != NULL) {
		h->qtail->next = j;
		h->qtail = j;
	} else
		h->qhead = h->qtail = j;
	host_pending(h);
}

static void
engine_finish(struct job *j)
{
	job_done(j);
}


/*
 * --warc FILE: every HTTP answer for a URL (redirects and errors too)
 * as a WARC/1.1 request and response record pair, each record its own
 * gzip member, after a warcinfo record.  The body is stored as received
 * after decompression, so the response's Content-Encoding,
 * Transfer-Encoding and Content-Length headers are replaced by the
 * decoded length.  Network thread only, after warc_open.
 */
static FILE *warc_fp;
static const char *warc_path;

static void
warc_uuid(char *s, size_t n)
{
	unsigned char r[16];
	int i;

	for (i = 0; i < 16; i++)
		r[i] = (unsigned char)(rand() >> 7);
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(s, n, "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x>", r[0], r[1], r[2], r[3], r[4], r[5],
	    r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

/* Write one record, header and block, as a gzip member. */
static void
warc_write(const struct buf *head, const char *b1, size_t n1,
    const char *b2, size_t n2)
{
	struct buf rec = BUF_INIT;
	z_stream z;
	static unsigned char out[65536];	/* network thread only */
	int rc;

	buf_add(&rec, head->data, head->len);
	buf_addf(&rec, "Content-Length: %zu\r\n\r\n", n1 + n2);
	buf_add(&rec, b1, n1);
	buf_add(&rec, b2, n2);
	buf_adds(&rec, "\r\n\r\n");
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		die("--warc: cannot start gzip");
	z.next_in = (unsigned char *)rec.data;
	z.avail_in = (uInt)rec.len;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = deflate(&z, Z_FINISH);
		if (fwrite(out, 1, sizeof(out) - z.avail_out, warc_fp) !=
		    sizeof(out) - z.avail_out)
			die_errno("%s", warc_path);
	} while (rc == Z_OK);
	deflateEnd(&z);
	buf_release(&rec);
}

static void
warc_open(const char *path)
{
	struct buf h = BUF_INIT, info = BUF_INIT;
	char id[64], ts[32];

	warc_path = path;
	warc_fp = filter_file_open(path);
	iso_now(ts, sizeof(ts));
	warc_uuid(id, sizeof(id));
	buf_addf(&info, "software: df-fetch/%s (%s)\r\nformat: WARC File "
	    "Format 1.1\r\nconformsTo: http://iipc.github.io/"
	    "warc-specifications/specifications/warc-format/warc-1.1/\r\n"
	    "robots: %s\r\nhttp-header-user-agent: %s\r\n", DF_VERSION,
	    curl_version(), opt.ignore_robots ? "ignore" : "obey",
	    opt.user_agent);
	buf_addf(&h, "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: %s\r\n"
	    "WARC-Date: %s\r\nWARC-Filename: %s\r\n"
	    "Content-Type: application/warc-fields\r\n", id, ts, path);
	warc_write(&h, info.data, info.len, "", 0);
	buf_release(&h);
	buf_release(&info);
}

static void
warc_exchange(struct xfer *x, const char *url)
{
	struct buf h = BUF_INIT, rh = BUF_INIT;
	char reqid[64], respid[64], ts[32];

	if (warc_fp == NULL || x->resphdr.len == 0)
		return;
	iso_now(ts, sizeof(ts));
	warc_uuid(reqid, sizeof(reqid));
	warc_uuid(respid, sizeof(respid));
	buf_addf(&h, "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: %s\r\n"
	    "WARC-Date: %s\r\nWARC-Target-URI: %s\r\n"
	    "WARC-Concurrent-To: %s\r\n"
	    "Content-Type: application/http;msgtype=response\r\n",
	    respid, ts, url, reqid);
	buf_add(&rh, x->resphdr.data, x->resphdr.len);
	buf_addf(&rh, "Content-Length: %zu\r\n\r\n", x->body.len);
	warc_write(&h, rh.data, rh.len, x->body.data ? x->body.data : "",
	    x->body.len);
	buf_reset(&h);
	if (x->reqhdr.len > 0) {
		buf_addf(&h, "WARC/1.1\r\nWARC-Type: request\r\n"
		    "WARC-Record-ID: %s\r\nWARC-Date: %s\r\n"
		    "WARC-Target-URI: %s\r\nWARC-Concurrent-To: %s\r\n"
		    "Content-Type: application/http;msgtype=request\r\n",
		    reqid, ts, url, respid);
		/* The request as sent, ending with its blank line. */
		warc_write(&h, x->reqhdr.data, x->reqhdr.len, "", 0);
	}
	buf_release(&h);
	buf_release(&rh);
}

/* Transfers. */

static size_t
on_write(char *p, size_t sz, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = sz * n, i;

	if (x->job != NULL && opt.nmime > 0 && !x->mime_checked) {
		char *ct = NULL, type[128], cs[64];
		long code = 0;
		int ok = 0;

		x->mime_checked = 1;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		content_type_split(ct, type, cs, sizeof(cs));
		for (i = 0; i < opt.nmime && !ok; i++) {
			size_t ml = strlen(opt.mime[i]);

			ok = opt.mime[i][ml - 1] == '/' ?
			    strncmp(type, opt.mime[i], ml) == 0 :
			    strcmp(type, opt.mime[i]) == 0;
		}
		if (!ok && code >= 200 && code < 300) {
			x->mime_refused = 1;
			return 0;
		}
	}
	if (x->body.len + len > x->max) {
		if (x->job == NULL) {
			/* robots.txt: what fits is parsed. */
			buf_add(&x->body, p, x->max - x->body.len);
		}
		x->too_large = 1;
		return 0;
	}
	buf_add(&x->body, p, len);
	return len;
}

static size_t
on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = sz * n, k;
	char **slot = NULL;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after 1xx): forget the last. */
		free(x->etag);
		free(x->last_modified);
		x->etag = x->last_modified = NULL;
		buf_reset(&x->resphdr);
	}
	if (warc_fp != NULL && !(len > 15 &&
	    (strncasecmp(p, "content-encoding:", 17) == 0 ||
	    strncasecmp(p, "transfer-encoding:", 18) == 0 ||
	    strncasecmp(p, "content-length:", 15) == 0)) &&
	    !(len <= 2 && (p[0] == '\r' || p[0] == '\n')))
		buf_add(&x->resphdr, p, len);
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
		return len;
	k = 0;
	if (len > 5 && strncasecmp(p, "etag:", 5) == 0) {
		slot = &x->etag;
		k = 5;
	} else if (len > 14 && strncasecmp(p, "last-modified:", 14) == 0) {
		slot = &x->last_modified;
		k = 14;
	}
	if (slot != NULL) {
		while (k < len && (p[k] == ' ' || p[k] == '\t'))
			k++;
		while (len > k && (p[len - 1] == '\r' || p[len - 1] == '\n' ||
		    p[len - 1] == ' '))
			len--;
		free(*slot);
		*slot = df_xmalloc(len - k + 1);
		memcpy(*slot, p + k, len - k);
		(*slot)[len - k] = '\0';
		return sz * n;
	}
	return len;
}

/*
 * What is added to the spacing of a host: a request is sent a little
 * after it is started and arrives a little after it is sent, so without
 * a margin two requests might arrive a hair closer than the rule.
 */
static double
spacing_margin(double delay)
{
	return delay > 0 ? fmin(0.02, delay * 0.1) : 0;
}

static int
on_debug(CURL *e, curl_infotype type, char *p, size_t n, void *ud)
{
	struct xfer *x = ud;

	(void)e;
	if (type == CURLINFO_HEADER_OUT) {
		buf_reset(&x->reqhdr);
		buf_add(&x->reqhdr, p, n);
	}
	return 0;
}

static void
xfer_start(struct host *h, struct job *j, double now)
{
	struct xfer *x = df_xcalloc(1, sizeof(*x));
	struct buf url = BUF_INIT;
	CURL *e;

	x->job = j;
	x->host = h;
	x->t_start = now;
	x->max = j != NULL ? (size_t)opt.max_bytes : ROBOTS_MAX_BYTES;
	e = curl_easy_init();
	if (e == NULL)
		die("cannot make a curl handle");
	x->easy = e;
	if (j != NULL)
		buf_adds(&url, j->cur);
	else if (h->robots_url != NULL)
		buf_adds(&url, h->robots_url);
	else
		buf_addf(&url, "%s/robots.txt", h->key);
	curl_easy_setopt(e, CURLOPT_URL, url.data);
	buf_release(&url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, opt.user_agent);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (warc_fp != NULL && j != NULL) {
		/* The request as sent, for its WARC record. */
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, x);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(opt.connect_timeout * 1000));
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(opt.timeout * 1000));
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
	    (long)(opt.timeout < 30 ? ceil(opt.timeout) : 30));
	if (j == NULL) {
		h->robots_state = ROBOTS_FETCHING;
	} else {
		j->attempts++;
		j->tries++;
		if (j->hops == 0 && (j->if_etag != NULL || j->if_lm != NULL)) {
			/* A conditional request with what --state kept. */
			struct buf hb = BUF_INIT;

			if (j->if_etag != NULL) {
				buf_addf(&hb, "If-None-Match: %s", j->if_etag);
				x->hdrs = curl_slist_append(x->hdrs, hb.data);
				buf_reset(&hb);
			}
			if (j->if_lm != NULL) {
				buf_addf(&hb, "If-Modified-Since: %s", j->if_lm);
				x->hdrs = curl_slist_append(x->hdrs, hb.data);
			}
			buf_release(&hb);
			curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
		}
	}
	x->xnext = xfers;
	if (xfers != NULL)
		xfers->xprev = x;
	xfers = x;
	h->inflight++;
	active++;
	h->next_ok = now + h->delay + spacing_margin(h->delay);
	pthread_mutex_lock(&mu);
	n_requests++;
	if (j == NULL)
		n_robots_fetches++;
	pthread_mutex_unlock(&mu);
	if (curl_multi_add_handle(multi, e) != CURLM_OK)
		die("cannot start a transfer");
}

static void
xfer_free(struct xfer *x)
{
	if (x->xprev != NULL)
		x->xprev->xnext = x->xnext;
	else
		xfers = x->xnext;
	if (x->xnext != NULL)
		x->xnext->xprev = x->xprev;
	curl_multi_remove_handle(multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	buf_release(&x->reqhdr);
	buf_release(&x->resphdr);
	buf_release(&x->body);
	free(x->etag);
	free(x->last_modified);
	free(x);
}

/* Whether a failure is worth another try. */
static int
transient(CURLcode rc, long code)
{
	if (rc == CURLE_OK)
		return code == 408 || code == 429 || code >= 500;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static const char *
curl_kind(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "dns";
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		return "tls";
	case CURLE_TOO_MANY_REDIRECTS:
		return "redirects";
	case CURLE_UNSUPPORTED_PROTOCOL:
		return "scheme";
	case CURLE_BAD_CONTENT_ENCODING:
		return "encoding";
	default:
		return "network";
	}
}

/*
 * The wait before another try: backoff doubling from --retry-wait with
 * jitter (0.5 to 1.5 times), never less than Retry-After.  Returns a
 * negative number when Retry-After asks for more than we wait.
 */
static double
retry_wait(int tries, long retry_after)
{
	double w = opt.retry_wait * pow(2, tries - 1);

	w *= 0.5 + (double)rand() / RAND_MAX;
	if (w > 300)
		w = 300;
	if (retry_after > 0) {
		if ((double)retry_after > opt.max_retry_after)
			return -1;
		if (w < (double)retry_after)
			w = (double)retry_after;
	}
	return w;
}

static void
robots_done(struct xfer *x, CURLcode rc, long code, long retry_after,
    double now)
{
	struct host *h = x->host;
	double w, cd;
	char *redir = NULL;

	if (rc == CURLE_WRITE_ERROR && x->too_large)
		rc = CURLE_OK;	/* the first 500 KiB are parsed */
	/*
	 * Redirects are followed by hand, five at most (RFC 9309 2.3.1.2),
	 * each after the host's spacing.
	 */
	if (rc == CURLE_OK && code >= 300 && code < 400 &&
	    h->robots_hops < 5 && curl_easy_getinfo(x->easy,
	    CURLINFO_REDIRECT_URL, &redir) == CURLE_OK && redir != NULL &&
	    (strncasecmp(redir, "http://", 7) == 0 ||
	    strncasecmp(redir, "https://", 8) == 0)) {
		h->robots_hops++;
		free(h->robots_url);
		h->robots_url = df_xstrdup(redir);
		h->robots_state = ROBOTS_NONE;
		return;
	}
	if (transient(rc, code) && h->robots_tries < opt.retries &&
	    (w = retry_wait(h->robots_tries + 1, retry_after)) >= 0) {
		h->robots_tries++;
		h->robots_state = ROBOTS_NONE;
		if (h->next_ok < now + w)
			h->next_ok = now + w;
		return;
	}
	h->robots_state = ROBOTS_READY;
	if (rc != CURLE_OK) {
		/* Unreachable: complete disallow (RFC 9309 2.3.1.4). */
		h->robots = robots_new_all(0);
		h->robots_error = rc == CURLE_COULDNT_RESOLVE_HOST ? "dns" :
		    "robots";
		snprintf(h->robots_detail, sizeof(h->robots_detail),
		    "robots.txt unreachable: %.256s", x->errbuf[0] ? x->errbuf :
		    curl_easy_strerror(rc));
	} else if (code >= 200 && code < 300) {
		h->robots = robots_parse(x->body.data ? x->body.data : "",
		    x->body.len, opt.user_agent);
		cd = robots_crawl_delay(h->robots);
		if (cd > opt.max_crawl_delay) {
			h->robots_error = "crawl-delay";
			snprintf(h->robots_detail, sizeof(h->robots_detail),
			    "Crawl-delay %g is over --max-crawl-delay", cd);
		} else if (cd > h->delay)
			h->delay = cd;
	} else if ((code >= 400 && code < 500 && code != 429) ||
	    (code >= 300 && code < 400)) {
		/* Unavailable (or redirected too often): allow all. */
		h->robots = robots_new_all(1);
	} else {
		/* 429 and 5xx: disallow all (2.3.1.4). */
		h->robots = robots_new_all(0);
		h->robots_error = "robots";
		snprintf(h->robots_detail, sizeof(h->robots_detail),
		    "robots.txt answered %ld", code);
	}
}

static void
page_done(struct xfer *x, CURLcode rc, long code, long retry_after,
    double now)
{
	struct job *j = x->job;
	struct host *h = x->host;
	char *redir = NULL, *ct = NULL, *eff = NULL, ts[32];
	double w;

	if (rc == CURLE_WRITE_ERROR && x->too_large) {
		set_num(j, F_STATUS, code);
		set_error(j, "too-large", "body over --max-bytes");
		engine_finish(j);
		return;
	}
	if (rc == CURLE_WRITE_ERROR && x->mime_refused) {
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		set_num(j, F_STATUS, code);
		set_cstr(j, F_CONTENT_TYPE, ct);
		set_error(j, "mime", "type not in --mime");
		engine_finish(j);
		return;
	}
	if (transient(rc, code) && j->tries <= opt.retries) {
		w = retry_wait(j->tries, retry_after);
		if (w >= 0) {
			if (h->next_ok < now + w)
				h->next_ok = now + w;
			route(j, 1);
			return;
		}
	}
	iso_now(ts, sizeof(ts));
	set_cstr(j, F_FETCHED_AT, ts);
	if (rc == CURLE_OK)
		warc_exchange(x, j->cur);
	if (rc != CURLE_OK) {
		set_error(j, curl_kind(rc), x->errbuf[0] ? x->errbuf :
		    curl_easy_strerror(rc));
		engine_finish(j);
		return;
	}
	set_num(j, F_STATUS, code);
	j->status = code;
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
	set_cstr(j, F_CONTENT_TYPE, ct);
	free(j->etag);
	free(j->lm);
	j->etag = x->etag != NULL ? df_xstrdup(x->etag) : NULL;
	j->lm = x->last_modified != NULL ? df_xstrdup(x->last_modified) : NULL;
	if (code == 304) {
		/* Unchanged since --state saw it: the validators it had. */
		j->unchanged = 1;
		if (j->etag == NULL && j->if_etag != NULL)
			j->etag = df_xstrdup(j->if_etag);
		if (j->lm == NULL && j->if_lm != NULL)
			j->lm = df_xstrdup(j->if_lm);
	}
	if (j->etag != NULL)
		set_cstr(j, F_ETAG, j->etag);
	if (j->lm != NULL)
		set_cstr(j, F_LAST_MODIFIED, j->lm);
	if (code >= 300 && code < 400 && code != 304 &&
	    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &redir) ==
	    CURLE_OK && redir != NULL) {
		if (j->hops >= opt.max_redirects) {
			set_error(j, "redirects", "too many redirects");
			engine_finish(j);
			return;
		}
		j->hops++;
		if (j->cur != j->url)
			free(j->cur);
		j->cur = df_xstrdup(redir);
		j->tries = 0;
		for (int f = 0; f < NFIELD; f++)
			j->has[f] = 0;
		route(j, 1);
		return;
	}
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	if (code >= 400) {
		char kind[32];

		snprintf(kind, sizeof(kind), "http-%ld", code);
		set_error(j, kind, NULL);
	} else if (code >= 200 && code < 300)
		set_body(j, ct, x->body.data ? x->body.data : "", x->body.len);
	engine_finish(j);
}

static void
xfer_done(CURLMsg *m, double now)
{
	struct xfer *x = NULL;
	curl_off_t ra = 0, pre = 0, first = 0, total = 0;
	long code = 0, nconn = 0;
	CURLcode rc = m->data.result;
	double sent;

	curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra);
	curl_easy_getinfo(x->easy, CURLINFO_PRETRANSFER_TIME_T, &pre);
	curl_easy_getinfo(x->easy, CURLINFO_STARTTRANSFER_TIME_T, &first);
	curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &nconn);
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &total);
	x->host->inflight--;
	active--;
	pthread_mutex_lock(&mu);
	n_bytes += x->body.len;
	pthread_mutex_unlock(&mu);
	if (x->job == NULL)
		robots_done(x, rc, code, (long)ra, now);
	else
		page_done(x, rc, code, (long)ra, now);
	/*
	 * Spacing counts from when the request went out (with the delay a
	 * Crawl-delay may just have raised), plus a margin for the time it
	 * takes to arrive.  On a new connection the server may take a while
	 * to read it (a thread to start, a TLS handshake): count from when
	 * its answer began, when it surely had the request.
	 */
	if (nconn > 0 && first > 0)
		pre = first;	/* a new connection: when the answer began */
	/*
	 * libcurl's clock for a transfer starts when it first works on it,
	 * a little after it was added: count back from the end instead,
	 * which is no later than now.
	 */
	sent = x->t_start + (double)pre / 1e6;
	if (total >= pre && now - (double)(total - pre) / 1e6 > sent)
		sent = now - (double)(total - pre) / 1e6;
	sent += spacing_margin(x->host->delay);
	if (x->host->next_ok < sent + x->host->delay)
		x->host->next_ok = sent + x->host->delay;
	host_pending(x->host);
	xfer_free(x);
}

/* Start what may start now; returns the seconds until more may. */
static double
schedule(double now)
{
	double wait = 1.0;
	size_t i, k;
	struct host *h;
	struct job *j;

	for (i = k = 0; i < npending; i++) {
		h = pending[i];
		while (h->qhead != NULL && active < opt.concurrency) {
			if (h->robots_state == ROBOTS_READY && (!opt.ignore_robots &&
			    (h->robots_error != NULL ||
			    !robots_allowed(h->robots, h->qhead->cur)))) {
				j = h->qhead;
				h->qhead = j->next;
				if (h->qhead == NULL)
					h->qtail = NULL;
				set_error(j, h->robots_error != NULL ?
				    h->robots_error : "robots",
				    h->robots_error != NULL ? h->robots_detail :
				    "disallowed by robots.txt");
				engine_finish(j);
				continue;
			}
			if (h->inflight >= opt.per_host ||
			    h->robots_state == ROBOTS_FETCHING)
				break;
			if (now < h->next_ok) {
				if (h->next_ok - now < wait)
					wait = h->next_ok - now;
				break;
			}
			if (h->robots_state == ROBOTS_NONE) {
				xfer_start(h, NULL, now);
				continue;
			}
			j = h->qhead;
			h->qhead = j->next;
			if (h->qhead == NULL)
				h->qtail = NULL;
			xfer_start(h, j, now);
		}
		if (h->qhead != NULL)
			pending[k++] = h;
		else
			h->pending = 0;
	}
	npending = k;
	return wait;
}

/*
 * The progress line: URLs done and their rate, bytes, hosts busy, errors
 * by kind.  Network thread, at most once a second.
 */
static void
progress_draw(double now, double t0)
{
	struct buf b = BUF_INIT;
	double secs = now - t0;
	int i, busy = 0;
	size_t k;

	for (k = 0; k < npending; k++)
		busy += pending[k]->inflight > 0 || pending[k]->qhead != NULL;
	pthread_mutex_lock(&mu);
	if (finishing) {
		pthread_mutex_unlock(&mu);
		return;
	}
	buf_addf(&b, "\r\033[K%s: %llu URLs, %.1f/s, %.1f MB, %d hosts busy",
	    df_progname, n_done, secs > 0 ? (double)n_done / secs : 0,
	    (double)n_bytes / 1e6, busy);
	for (i = 0; i < nkinds; i++)
		buf_addf(&b, "%s %s %llu", i ? "," : "; errors:", kinds[i].kind,
		    kinds[i].n);
	fputs(b.data, stderr);
	progress_drawn = 1;
	pthread_mutex_unlock(&mu);
	buf_release(&b);
}

static void *
engine_main(void *arg)
{
	struct job *in, *j;
	CURLMsg *m;
	double now, wait, t0 = now_mono(), last_drawn = t0;
	int running, left, quit;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		in = incoming_head;
		incoming_head = incoming_tail = NULL;
		quit = quitting;
		pthread_mutex_unlock(&mu);
		while (in != NULL) {
			j = in;
			in = in->next;
			route(j, 0);
		}
		if (quit)
			break;
		now = now_mono();
		wait = schedule(now);
		curl_multi_poll(multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
		curl_multi_perform(multi, &running);
		now = now_mono();
		while ((m = curl_multi_info_read(multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				xfer_done(m, now);
		if (progress_on && now - last_drawn >= 1) {
			progress_draw(now, t0);
			last_drawn = now;
		}
	}
	return NULL;
}

static void
engine_submit(struct job *j)
{
	pthread_mutex_lock(&mu);
	j->next = NULL;
	if (incoming_tail != NULL)
		incoming_tail->next = j;
	else
		incoming_head = j;
	incoming_tail = j;
	pthread_mutex_unlock(&mu);
	curl_multi_wakeup(multi);
}

static void
engine_start(void *arg)
{
	(void)arg;
	if (offline_robots != NULL)
		return;
	state_start();
	if (warc_path != NULL)
		warc_open(warc_path);
	multi = curl_multi_init();
	if (multi == NULL)
		die("cannot start libcurl");
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)opt.per_host);
	/*
	 * Keep idle connections for the next visit to their host: by default
	 * the cache holds four per transfer in flight, and while most hosts
	 * wait out their delay that is few, so connections were closed and
	 * every request paid a new one.
	 */
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS,
	    (long)opt.concurrency * 4 > 256 ? (long)opt.concurrency * 4 :
	    256L);
	if (pthread_create(&engine_tid, NULL, engine_main, NULL) != 0)
		die("cannot start the network thread");
	engine_running = 1;
}

/* Stop the network thread and free what it and the jobs hold. */
static void
engine_stop(void)
{
	struct job *j;
	size_t i;
	struct host *h;

	if (!engine_running)
		return;
	pthread_mutex_lock(&mu);
	quitting = 1;
	pthread_mutex_unlock(&mu);
	curl_multi_wakeup(multi);
	pthread_join(engine_tid, NULL);
	engine_running = 0;
	while (xfers != NULL)
		xfer_free(xfers);
	curl_multi_cleanup(multi);
	while ((j = live) != NULL) {
		live = j->lnext;
		job_free(j);
	}
	for (i = 0; i < hcap; i++)
		while ((h = htab[i]) != NULL) {
			htab[i] = h->hnext;
			robots_free(h->robots);
			free(h->robots_url);
			free(h->key);
			free(h);
		}
	free(htab);
	free(pending);
}


/*
 * --state FILE: what earlier runs learnt of each URL (its validators),
 * kept as a journal of JSON lines.  A run starts with a header line
 * {"run":ID,"started":TIME}, appends one line per record it writes, and
 * when it ends cleanly rewrites the file compacted with {"run":ID,
 * "complete":true} at the end.  A run that finds the last run incomplete
 * resumes it: URLs that run already wrote are not fetched again.
 */
struct sentry {
	char *url, *etag, *lm;
	long status;
	int run;		/* ordinal of the run that wrote it last */
	struct sentry *next;
};

static struct sentry **stab;
static size_t scap, scount;
static int state_runs, state_complete, state_resuming;
static char state_id[64];
static FILE *journal;

static struct sentry *
state_find(const char *url, int add)
{
	struct sentry *e, **nt;
	size_t i, k, ncap;

	if (scap > 0)
		for (e = stab[hash_str(url) & (scap - 1)]; e != NULL;
		    e = e->next)
			if (strcmp(e->url, url) == 0)
				return e;
	if (!add)
		return NULL;
	if (scount + 1 > scap / 2) {
		ncap = scap ? 2 * scap : 1024;
		nt = df_xcalloc(ncap, sizeof(*nt));
		for (i = 0; i < scap; i++)
			while ((e = stab[i]) != NULL) {
				stab[i] = e->next;
				k = hash_str(e->url) & (ncap - 1);
				e->next = nt[k];
				nt[k] = e;
			}
		free(stab);
		stab = nt;
		scap = ncap;
	}
	e = df_xcalloc(1, sizeof(*e));
	e->url = df_xstrdup(url);
	k = hash_str(url) & (scap - 1);
	e->next = stab[k];
	stab[k] = e;
	scount++;
	return e;
}

static char *
jv_str_dup(jv v, const char *key)
{
	jv m = jv_object_get(jv_copy(v), jv_string(key));
	char *s = NULL;

	if (jv_get_kind(m) == JV_KIND_STRING)
		s = df_xstrdup(jv_string_value(m));
	jv_free(m);
	return s;
}

static void
state_load(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	struct sentry *e;
	jv v, m;
	char *url;

	if (fp == NULL) {
		if (errno == ENOENT)
			return;	/* a first run */
		die_errno("%s", path);
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		v = jv_parse_sized(line, (int)n);
		if (jv_get_kind(v) != JV_KIND_OBJECT)
			die("%s:%lu: not a df-fetch state line", path, lineno);
		if ((url = jv_str_dup(v, "url")) != NULL) {
			e = state_find(url, 1);
			free(url);
			m = jv_object_get(jv_copy(v), jv_string("status"));
			e->status = jv_get_kind(m) == JV_KIND_NUMBER ?
			    (long)jv_number_value(m) : 0;
			jv_free(m);
			/* A failed fetch keeps the validators it had. */
			if (e->status == 200 || e->run == 0) {
				free(e->etag);
				free(e->lm);
				e->etag = jv_str_dup(v, "etag");
				e->lm = jv_str_dup(v, "last_modified");
			}
			e->run = state_runs;
		} else {
			m = jv_object_get(jv_copy(v), jv_string("complete"));
			if (jv_get_kind(m) == JV_KIND_TRUE)
				state_complete = 1;
			else if ((url = jv_str_dup(v, "run")) != NULL) {
				state_runs++;
				state_complete = 0;
				snprintf(state_id, sizeof(state_id), "%s", url);
				free(url);
			}
			jv_free(m);
		}
		jv_free(v);
	}
	if (ferror(fp))
		die_errno("%s", path);
	free(line);
	fclose(fp);
	state_resuming = state_runs > 0 && !state_complete;
}

static void
state_line_buf(struct buf *b, const char *url, const char *etag,
    const char *lm, long status)
{
	buf_adds(b, "{\"url\":");
	json_string_encode(b, url, strlen(url));
	buf_adds(b, ",\"etag\":");
	if (etag != NULL)
		json_string_encode(b, etag, strlen(etag));
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"last_modified\":");
	if (lm != NULL)
		json_string_encode(b, lm, strlen(lm));
	else
		buf_adds(b, "null");
	buf_addf(b, ",\"status\":%ld}\n", status);
}

static void
state_line(FILE *fp, const char *url, const char *etag, const char *lm,
    long status)
{
	struct buf b = BUF_INIT;

	state_line_buf(&b, url, etag, lm, status);
	if (fwrite(b.data, 1, b.len, fp) != b.len)
		die_errno("%s", opt.state_path);
	buf_release(&b);
}

/* Journal lines of records written but not yet flushed to stdout. */
static struct buf journal_pending;

/* The loop wrote a batch: its records go in the journal now. */
static void
state_committed(void *arg)
{
	(void)arg;
	if (journal == NULL || journal_pending.len == 0)
		return;
	if (fwrite(journal_pending.data, 1, journal_pending.len, journal) !=
	    journal_pending.len || fflush(journal) != 0)
		die_errno("%s", opt.state_path);
	buf_reset(&journal_pending);
}

static void
state_start(void)
{
	char ts[32];

	if (opt.state_path == NULL)
		return;
	iso_now(ts, sizeof(ts));
	journal = fopen(opt.state_path, "a");
	if (journal == NULL)
		die_errno("%s", opt.state_path);
	if (!state_resuming) {
		snprintf(state_id, sizeof(state_id), "%s-%ld", ts,
		    (long)getpid());
		state_runs++;
		fprintf(journal, "{\"run\":\"%s\",\"started\":\"%s\"}\n",
		    state_id, ts);
	}
	if (fflush(journal) != 0)
		die_errno("%s", opt.state_path);
}

/* A record was written for j: journal what it learnt.  Main thread. */
static void
state_record(struct job *j)
{
	struct sentry *e;

	if (journal == NULL || strncasecmp(j->url, "http", 4) != 0)
		return;
	state_line_buf(&journal_pending, j->url, j->etag, j->lm, j->status);
	pthread_mutex_lock(&mu);
	e = state_find(j->url, 1);
	if (j->status == 200 || j->status == 304 || e->run == 0) {
		free(e->etag);
		free(e->lm);
		e->etag = j->etag != NULL ? df_xstrdup(j->etag) : NULL;
		e->lm = j->lm != NULL ? df_xstrdup(j->lm) : NULL;
	}
	e->status = j->status;
	e->run = state_runs;
	pthread_mutex_unlock(&mu);
}

/* At a clean end: the state rewritten, compacted, and marked complete. */
static int
state_finish(void *arg)
{
	struct sentry *e;
	FILE *fp;
	size_t i;

	(void)arg;
	pthread_mutex_lock(&mu);
	finishing = 1;
	if (progress_drawn)
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&mu);
	if (warc_fp != NULL) {
		/* Every record is written: the network thread is idle. */
		filter_file_commit(warc_fp);
		warc_fp = NULL;
	}
	if (journal == NULL)
		return 0;
	if (fclose(journal) != 0)
		die_errno("%s", opt.state_path);
	journal = NULL;
	fp = filter_file_open(opt.state_path);
	fprintf(fp, "{\"run\":\"%s\"}\n", state_id);
	for (i = 0; i < scap; i++)
		for (e = stab[i]; e != NULL; e = e->next)
			state_line(fp, e->url, e->etag, e->lm, e->status);
	fprintf(fp, "{\"run\":\"%s\",\"complete\":true}\n", state_id);
	filter_file_commit(fp);
	return 0;
}

static void
state_free(void)
{
	struct sentry *e;
	size_t i;

	if (journal != NULL)
		fclose(journal);
	buf_release(&journal_pending);
	for (i = 0; i < scap; i++)
		while ((e = stab[i]) != NULL) {
			stab[i] = e->next;
			free(e->url);
			free(e->etag);
			free(e->lm);
			free(e);
		}
	free(stab);
}


/*
 * --from-warc FILE...: the response records of WARC files (gzip members
 * or plain) as records, one per response, with the fields a fetch would
 * give: url, final_url, status, content_type, charset, fetched_at (the
 * WARC-Date), etag, last_modified, body or body_b64, and warc_record_id.
 * Other record types are skipped.  Returns the exit status.
 */
static int
warc_header(const char *h, size_t n, const char *name, char *out,
    size_t outn)
{
	size_t nl = strlen(name), i = 0, k;

	while (i < n) {
		const char *line = h + i;
		const char *eol = memchr(line, '\n', n - i);
		size_t ll = eol != NULL ? (size_t)(eol - line) : n - i;

		if (ll > nl && strncasecmp(line, name, nl) == 0 &&
		    line[nl] == ':') {
			k = nl + 1;
			while (k < ll && (line[k] == ' ' || line[k] == '\t'))
				k++;
			while (ll > k && (line[ll - 1] == '\r' ||
			    line[ll - 1] == ' '))
				ll--;
			if (ll - k >= outn)
				ll = k + outn - 1;
			memcpy(out, line + k, ll - k);
			out[ll - k] = '\0';
			return 1;
		}
		i += ll + 1;
	}
	out[0] = '\0';
	return 0;
}

/* Read up to the blank line that ends a header block into b. */
static int
gz_headers(gzFile gz, struct buf *b)
{
	char line[65536];

	buf_reset(b);
	while (gzgets(gz, line, sizeof(line)) != NULL) {
		if (b->len == 0 && (strcmp(line, "\r\n") == 0 ||
		    strcmp(line, "\n") == 0))
			continue;	/* blank lines between records */
		if (strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0)
			return 1;
		buf_adds(b, line);
	}
	return b->len > 0 ? -1 : 0;
}

static int
from_warc(int argc, char *argv[], int stdin_fd, FILE *fp)
{
	struct buf wh = BUF_INIT, block = BUF_INIT, out = BUF_INIT;
	char type[64], uri[8192], date[64], id[128], clen[32], v[1024];
	int i, f, rc = 0, r;
	unsigned long nrec;

	for (i = 0; i < argc; i++) {
		gzFile gz = strcmp(argv[i], "-") == 0 ?
		    gzdopen(dup(stdin_fd), "rb") : gzopen(argv[i], "rb");

		if (gz == NULL)
			die_errno("%s", argv[i]);
		nrec = 0;
		while ((r = gz_headers(gz, &wh)) > 0) {
			long long n;
			char *e;
			int got;

			nrec++;
			if (strncmp(wh.data, "WARC/", 5) != 0 ||
			    !warc_header(wh.data, wh.len, "Content-Length",
			    clen, sizeof(clen))) {
				warnmsg("%s: record %lu: not a WARC record",
				    argv[i], nrec);
				rc = 1;
				break;
			}
			n = strtoll(clen, &e, 10);
			if (*e != '\0' || n < 0) {
				warnmsg("%s: record %lu: bad Content-Length",
				    argv[i], nrec);
				rc = 1;
				break;
			}
			buf_reset(&block);
			buf_grow(&block, (size_t)n);
			got = n > 0 ? gzread(gz, block.data, (unsigned)n) : 0;
			if (got != n) {
				warnmsg("%s: record %lu: truncated", argv[i],
				    nrec);
				rc = 1;
				break;
			}
			block.len = (size_t)n;
			block.data[n] = '\0';
			warc_header(wh.data, wh.len, "WARC-Type", type,
			    sizeof(type));
			warc_header(wh.data, wh.len, "Content-Type", v,
			    sizeof(v));
			if (strcmp(type, "response") != 0 ||
			    strncmp(v, "application/http", 16) != 0)
				continue;
			warc_header(wh.data, wh.len, "WARC-Target-URI", uri,
			    sizeof(uri));
			warc_header(wh.data, wh.len, "WARC-Date", date,
			    sizeof(date));
			warc_header(wh.data, wh.len, "WARC-Record-ID", id,
			    sizeof(id));
			{
				struct job j;
				const char *hend, *body;
				size_t hlen, blen;
				long code = 0;
				char ct[512];

				memset(&j, 0, sizeof(j));
				hend = strstr(block.data, "\r\n\r\n");
				if (hend != NULL) {
					body = hend + 4;
				} else if ((hend = strstr(block.data,
				    "\n\n")) != NULL) {
					body = hend + 2;
				} else {
					hend = block.data + block.len;
					body = hend;
				}
				hlen = (size_t)(hend - block.data);
				blen = block.len - (size_t)(body - block.data);
				if (sscanf(block.data, "HTTP/%*s %ld", &code) != 1)
					code = 0;
				set_num(&j, F_STATUS, code);
				if (warc_header(block.data, hlen, "Content-Type",
				    ct, sizeof(ct)))
					set_cstr(&j, F_CONTENT_TYPE, ct);
				if (warc_header(block.data, hlen, "ETag", v,
				    sizeof(v)))
					set_cstr(&j, F_ETAG, v);
				if (warc_header(block.data, hlen,
				    "Last-Modified", v, sizeof(v)))
					set_cstr(&j, F_LAST_MODIFIED, v);
				set_cstr(&j, F_FETCHED_AT, date);
				set_cstr(&j, F_FINAL_URL, uri);
				if (blen > (size_t)opt.max_bytes)
					set_error(&j, "too-large",
					    "body over --max-bytes");
				else if (code >= 200 && code < 300)
					set_body(&j, j.has[F_CONTENT_TYPE] ?
					    ct : NULL, body, blen);
				else if (code >= 400) {
					snprintf(v, sizeof(v), "http-%ld",
					    code);
					set_error(&j, v, NULL);
				}
				buf_reset(&out);
				buf_adds(&out, "{\"url\":");
				if (utf8_valid_prefix(uri, strlen(uri)) ==
				    strlen(uri))
					json_string_encode(&out, uri,
					    strlen(uri));
				else
					buf_adds(&out, "null");
				for (f = 0; f < NFIELD; f++) {
					if (!j.has[f] && f > F_LAST_MODIFIED)
						continue;
					buf_addf(&out, ",\"%s\":",
					    field_name[f] + 1);
					if (j.has[f])
						buf_add(&out, j.val[f].data,
						    j.val[f].len);
					else
						buf_adds(&out, "null");
				}
				buf_adds(&out, ",\"warc_record_id\":");
				json_string_encode(&out, id, strlen(id));
				buf_adds(&out, "}\n");
				for (f = 0; f < NFIELD; f++)
					buf_release(&j.val[f]);
				if (fwrite(out.data, 1, out.len, fp) !=
				    out.len) {
					/* The reader stopped (--strict). */
					gzclose(gz);
					goto out;
				}
			}
		}
		if (r < 0) {
			warnmsg("%s: record %lu: truncated headers", argv[i],
			    nrec + 1);
			rc = 1;
		}
		gzclose(gz);
	}
out:
	buf_release(&wh);
	buf_release(&block);
	buf_release(&out);
	return rc;
}

/*
 * --from-warc runs the records it reads through the record loop, so
 * --stats, --rejects, --where and -j work as for any input: a thread
 * reads the WARC files into a pipe that becomes the loop's stdin.
 */
struct warc_reader {
	int argc;
	char **argv;
	int stdin_fd;
	int fd;
	int rc;
};

static void *
warc_reader_main(void *arg)
{
	struct warc_reader *w = arg;
	sigset_t pipe_set;
	FILE *fp;

	/* A write to a closed pipe fails with EPIPE here, not SIGPIPE. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	if ((fp = fdopen(w->fd, "w")) == NULL)
		die_errno("fdopen");
	w->rc = from_warc(w->argc, w->argv, w->stdin_fd, fp);
	fclose(fp);
	return NULL;
}

static int
warc_pass(struct rec *r, struct emit *o, void *wctx, struct df_err *e)
{
	(void)wctx;
	(void)e;
	emit_rec(o, 0, r);
	return 0;
}

static int
from_warc_run(struct filter *f, int argc, char *argv[])
{
	static char *dash[] = { (char *)"-", NULL };
	struct warc_reader w;
	pthread_t t;
	int p[2], rc;

	w.argc = argc > 0 ? argc : 1;
	w.argv = argc > 0 ? argv : dash;
	w.rc = 0;
	if ((w.stdin_fd = dup(0)) < 0 || pipe(p) < 0 ||
	    dup2(p[0], 0) < 0)
		die_errno("pipe");
	close(p[0]);
	w.fd = p[1];
	if (pthread_create(&t, NULL, warc_reader_main, &w) != 0)
		die("cannot start the WARC reader");
	f->fn = warc_pass;
	rc = filter_run(f, 0, NULL);
	close(0);		/* a reader still writing stops */
	pthread_join(t, NULL);
	close(w.stdin_fd);
	return rc != 0 ? rc : w.rc;
}

/* The record loop. */

static int
fetch_bare(const char *line, size_t len, struct buf *rec, void *arg)
{
	size_t i;

	(void)arg;
	if (utf8_valid_prefix(line, len) != len)
		return 0;
	if (offline_robots == NULL) {
		/* A URL: scheme ':' and no spaces or quotes. */
		if (len == 0 || !isalpha((unsigned char)line[0]))
			return 0;
		for (i = 1; i < len && (isalnum((unsigned char)line[i]) ||
		    line[i] == '+' || line[i] == '-' || line[i] == '.'); i++)
			;
		if (i >= len || line[i] != ':')
			return 0;
		for (i = 0; i < len; i++)
			if ((unsigned char)line[i] <= ' ' || line[i] == '"' ||
			    line[i] == '\\' || line[i] == 0x7f)
				return 0;
	} else if (len == 0 || line[0] == '{' || line[0] == '[')
		return 0;
	buf_adds(rec, "{\"url\":");
	json_string_encode(rec, line, len);
	buf_addc(rec, '}');
	return 1;
}

/* The URL field of r as a new C string, or -1 with e set. */
static int
record_url(struct rec *r, char **url, struct df_err *e)
{
	const struct json_obj *o = rec_obj(r);
	struct buf b = BUF_INIT;
	enum json_kind k;
	size_t off, len;

	if (!field_find(&url_field, r->line, o, &off, &len, &k))
		return df_err_set(e, "missing-field", "field '%s' is missing",
		    url_field.text);
	if (k != JSON_STRING)
		return df_err_set(e, "missing-field", "field '%s' is not a "
		    "string", url_field.text);
	if (json_string_decode(r->line + off, len, &b) < 0 || b.len == 0 ||
	    memchr(b.data, '\0', b.len) != NULL) {
		buf_release(&b);
		return df_err_set(e, "bad-url", "field '%s' is not a URL",
		    url_field.text);
	}
	*url = buf_detach(&b, NULL);
	return 0;
}

static int
robots_record(struct rec *r, struct emit *o, void *wctx, struct df_err *e)
{
	char *url;
	int ok;

	(void)wctx;
	if (record_url(r, &url, e) < 0)
		return -1;
	ok = robots_allowed(offline_robots, url);
	free(url);
	return emit_set(o, 0, r, &allowed_field, ok ? "true" : "false",
	    ok ? 4 : 5, e);
}

static int
fetch_record(struct rec *r, struct emit *o, void *wctx, struct df_err *e)
{
	struct job *j;
	char *url;
	size_t n;

	(void)wctx;
	if (record_url(r, &url, e) < 0)
		return -1;
	/* Leading and trailing blanks are no part of a URL. */
	n = strlen(url);
	while (n > 0 && isspace((unsigned char)url[n - 1]))
		url[--n] = '\0';
	if (opt.state_path != NULL) {
		struct sentry *se;
		int done = 0;

		pthread_mutex_lock(&mu);
		se = state_find(url, 0);
		if (se != NULL && state_resuming && se->run == state_runs)
			done = 1;
		pthread_mutex_unlock(&mu);
		if (done) {
			/* The interrupted run this one resumes wrote it. */
			free(url);
			emit_drop(o, r, "already-fetched", "written by the "
			    "interrupted run this one resumes", NULL);
			return 0;
		}
		j = df_xcalloc(1, sizeof(*j));
		pthread_mutex_lock(&mu);
		if (se != NULL && se->etag != NULL)
			j->if_etag = df_xstrdup(se->etag);
		if (se != NULL && se->lm != NULL)
			j->if_lm = df_xstrdup(se->lm);
		pthread_mutex_unlock(&mu);
	} else
		j = df_xcalloc(1, sizeof(*j));
	j->url = url;
	j->cur = url;
	pthread_mutex_lock(&mu);
	j->lnext = live;
	if (live != NULL)
		live->lprev = j;
	live = j;
	pthread_mutex_unlock(&mu);
	emit_memo(o, &j, sizeof(j));
	if (strncasecmp(url, "file://", 7) == 0) {
		fetch_file(j);
		return 0;
	}
	if (!warned_agent && !opt.quiet && strncasecmp(url, "http", 4) == 0 &&
	    strstr(opt.user_agent, "http") ==
	    NULL) {
		pthread_mutex_lock(&mu);
		if (!warned_agent)
			warnmsg("warning: --user-agent names no contact URL; "
			    "site owners cannot reach you");
		warned_agent = 1;
		pthread_mutex_unlock(&mu);
	}
	engine_submit(j);
	return 0;
}

static int
fetch_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	const struct field *fs[NFIELD];
	const char *vals[NFIELD];
	size_t lens[NFIELD];
	struct job *j;
	int f, n = 0, rc;

	(void)arg;
	if (len == 0)
		return 0;	/* dropped by fetch_record */
	if (len != sizeof(j))
		die("internal error: bad memo");
	memcpy(&j, memo, sizeof(j));
	pthread_mutex_lock(&mu);
	while (!j->done)
		pthread_cond_wait(&done_cv, &mu);
	if (j->lprev != NULL)
		j->lprev->lnext = j->lnext;
	else
		live = j->lnext;
	if (j->lnext != NULL)
		j->lnext->lprev = j->lprev;
	pthread_mutex_unlock(&mu);
	for (f = 0; f < NFIELD; f++)
		if (j->has[f]) {
			fs[n] = &out_field[f];
			vals[n] = j->val[f].data;
			lens[n] = j->val[f].len;
			n++;
		}
	state_record(j);
	if (opt.changed_only && j->unchanged) {
		emit_drop(o, r, "unchanged", "not modified since the last run",
		    NULL);
		rc = 0;
	} else
		rc = emit_set_fields(o, 0, r, n, fs, vals, lens, e);
	job_free(j);
	return rc;
}

static void
fetch_stats(void *arg, struct buf *b)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	int i;

	buf_addf(b, "\"requests\":%llu,\"robots_fetches\":%llu,"
	    "\"bytes\":%llu,\"hosts\":%zu,\"fetch_errors\":{", n_requests,
	    n_robots_fetches, n_bytes, hcount);
	for (i = 0; i < nkinds; i++)
		buf_addf(b, "%s\"%s\":%llu", i ? "," : "", kinds[i].kind,
		    kinds[i].n);
	buf_addc(b, '}');
	pthread_mutex_unlock(&mu);
}

static void
parse_seconds(const char *name, const char *arg, double min, double max,
    double *out)
{
	if (cli_strtod(arg, min, max, out) < 0)
		cli_bad("%s must be a number of seconds from %g to %g, not "
		    "'%s'", name, min, max, arg);
}

static int
parse_int(const char *name, const char *arg, long long min, long long max)
{
	const char *errstr;
	long long v = cli_strtonum(arg, min, max, &errstr);

	if (errstr != NULL)
		cli_bad("%s is %s: '%s'", name, errstr, arg);
	return (int)v;
}

static void
read_robots_file(const char *path)
{
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t got;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		die_errno("%s", path);
	while ((got = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_add(&b, tmp, got);
	if (ferror(fp))
		die_errno("%s", path);
	fclose(fp);
	offline_robots = robots_parse(b.data ? b.data : "", b.len,
	    opt.user_agent);
	buf_release(&b);
}

static void
mime_list(const char *arg)
{
	const char *p = arg, *q;
	size_t n, i;

	while (*p != '\0') {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n > 0) {
			opt.mime = df_xrealloc(opt.mime, (opt.nmime + 1) *
			    sizeof(*opt.mime));
			opt.mime[opt.nmime] = df_xmalloc(n + 1);
			for (i = 0; i < n; i++)
				opt.mime[opt.nmime][i] =
				    (char)tolower((unsigned char)p[i]);
			opt.mime[opt.nmime][n] = '\0';
			opt.nmime++;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (opt.nmime == 0)
		cli_bad("--mime needs at least one type");
}

int
main(int argc, char *argv[])
{
	struct filter f;
	const char *robots_file = NULL, *field_text = ".url", *warc_arg = NULL;
	int from_warc_mode = 0;
	char err[160];
	int ch, rc, i;
	size_t k;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	opt.concurrency = 64;
	opt.per_host = 1;
	opt.retries = 3;
	opt.max_redirects = 5;
	opt.delay = 0.5;
	opt.connect_timeout = 10;
	opt.timeout = 30;
	opt.retry_wait = 1;
	opt.max_crawl_delay = 60;
	opt.max_retry_after = 600;
	opt.max_bytes = 16LL << 20;
	opt.user_agent = "df-fetch/" DF_VERSION;
	while ((ch = getopt_long(argc, argv, "hj:quV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'h':
			cli_help(USAGE, HELP);
			break;
		case 'V':
			printf("%s %s\n%s\n", df_progname, DF_VERSION,
			    curl_version());
			cli_close_stdout();
			exit(0);
		case OPT_CHANGED_ONLY:
			opt.changed_only = 1;
			break;
		case OPT_STATE:
			opt.state_path = optarg;
			break;
		case OPT_WARC:
			warc_arg = optarg;
			break;
		case OPT_FROM_WARC:
			from_warc_mode = 1;
			break;
		case OPT_CONCURRENCY:
			opt.concurrency = parse_int("--concurrency", optarg, 1,
			    10000);
			break;
		case OPT_CONNECT_TIMEOUT:
			parse_seconds("--connect-timeout", optarg, 0.001, 3600,
			    &opt.connect_timeout);
			break;
		case OPT_DELAY:
			parse_seconds("--delay", optarg, 0, 3600, &opt.delay);
			break;
		case OPT_FIELD:
			field_text = optarg;
			break;
		case OPT_IGNORE_ROBOTS:
			opt.ignore_robots = 1;
			break;
		case OPT_MAX_BYTES: {
			const char *errstr;

			opt.max_bytes = cli_strtosize(optarg, 1, 1LL << 40,
			    &errstr);
			if (errstr != NULL)
				cli_bad("--max-bytes is %s: '%s'", errstr,
				    optarg);
			break;
		}
		case OPT_MAX_CRAWL_DELAY:
			parse_seconds("--max-crawl-delay", optarg, 0, 86400,
			    &opt.max_crawl_delay);
			break;
		case OPT_MAX_REDIRECTS:
			opt.max_redirects = parse_int("--max-redirects",
			    optarg, 0, 50);
			break;
		case OPT_MAX_RETRY_AFTER:
			parse_seconds("--max-retry-after", optarg, 0, 86400,
			    &opt.max_retry_after);
			break;
		case OPT_MIME:
			mime_list(optarg);
			break;
		case OPT_PER_HOST:
			opt.per_host = parse_int("--per-host", optarg, 1, 100);
			break;
		case OPT_RETRIES:
			opt.retries = parse_int("--retries", optarg, 0, 100);
			break;
		case OPT_RETRY_WAIT:
			parse_seconds("--retry-wait", optarg, 0, 3600,
			    &opt.retry_wait);
			break;
		case OPT_ROBOTS_FILE:
			robots_file = optarg;
			break;
		case OPT_TIMEOUT:
			parse_seconds("--timeout", optarg, 0.001, 86400,
			    &opt.timeout);
			break;
		case OPT_USER_AGENT:
			if (*optarg == '\0' || strpbrk(optarg, "\r\n") != NULL)
				cli_bad("--user-agent must be one non-empty "
				    "line");
			opt.user_agent = optarg;
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	opt.quiet = f.quiet;
	if (field_parse(&url_field, field_text, err, sizeof(err)) < 0)
		cli_bad("--field: %s", err);
	for (i = 0; i < NFIELD; i++)
		if (field_parse(&out_field[i], field_name[i], err,
		    sizeof(err)) < 0)
			die("internal error: %s", err);
	if (field_parse(&allowed_field, ".allowed", err, sizeof(err)) < 0)
		die("internal error: %s", err);
	if (robots_file != NULL)
		read_robots_file(robots_file);
	if (opt.changed_only && opt.state_path == NULL)
		cli_bad("--changed-only goes with --state");
	if (opt.state_path != NULL && robots_file != NULL)
		cli_bad("--state and --robots-file go separately");
	if (opt.state_path != NULL)
		state_load(opt.state_path);
	if (warc_arg != NULL && robots_file != NULL)
		cli_bad("--warc and --robots-file go separately");
	warc_path = warc_arg;
	if (from_warc_mode) {
		if (robots_file != NULL || warc_arg != NULL ||
		    opt.state_path != NULL)
			cli_bad("--from-warc goes without --robots-file, "
			    "--warc and --state");
		for (i = 0; i < argc; i++)
			if (strcmp(argv[i], "-") != 0 &&
			    access(argv[i], R_OK) != 0)
				die_errno("%s", argv[i]);
		rc = from_warc_run(&f, argc, argv);
		field_release(&url_field);
		field_release(&allowed_field);
		for (i = 0; i < NFIELD; i++)
			field_release(&out_field[i]);
		return rc;
	}
	/* A record goes out as soon as it is done. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	srand((unsigned)(time(NULL) ^ getpid()));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die("cannot initialise libcurl");
	f.bare = fetch_bare;
	if (offline_robots != NULL) {
		f.fn = robots_record;
	} else {
		f.fn = fetch_record;
		f.ordered = fetch_ordered;
		f.start = engine_start;
		f.stats_extra = fetch_stats;
		f.finish = state_finish;
		if (opt.state_path != NULL)
			f.committed = state_committed;
	}
	progress_on = !f.quiet && (f.progress || isatty(2));
	rc = filter_run(&f, argc, argv);
	engine_stop();
	state_free();
	robots_free(offline_robots);
	field_release(&url_field);
	field_release(&allowed_field);
	for (i = 0; i < NFIELD; i++)
		field_release(&out_field[i]);
	for (k = 0; k < opt.nmime; k++)
		free(opt.mime[k]);
	free(opt.mime);
	curl_global_cleanup();
	return rc;
}
