/*
 * robots.txt parsing and matching (RFC 9309), see robots.h.
 *
 * The file is read once per crawler and compiled into two rule lists:
 * the rules of the groups naming the crawler (merged) and those of the
 * "*" groups (merged).  A rule belongs to the groups whose user-agent
 * lines precede it, up to the next user-agent line after a rule.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "robots.h"

#define LINE_MAX_KEEP (2083 * 8 - 1)

struct rule {
	char *pat;		/* percent-encoded pattern */
	size_t len;
	int allow;
};

struct rules {
	struct rule *r;
	size_t n, cap;
};

struct robots {
	struct rules specific, global;
	int ever_specific;	/* some group named the crawler */
	int all;		/* -1 none; 0 disallow all; 1 allow all */
	double delay_specific, delay_global;
	char **sitemap;
	size_t nsitemap, capsitemap;
};

static void
rules_add(struct rules *rs, const char *pat, size_t len, int allow)
{
	struct rule *r;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 8;
		rs->r = df_xrealloc(rs->r, rs->cap * sizeof(*rs->r));
	}
	r = &rs->r[rs->n++];
	r->pat = df_xmalloc(len + 1);
	memcpy(r->pat, pat, len);
	r->pat[len] = '\0';
	r->len = len;
	r->allow = allow;
}

static void
rules_release(struct rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->r[i].pat);
	free(rs->r);
}

static int
ieq_prefix(const char *s, size_t n, const char *p)
{
	size_t m = strlen(p);

	return n >= m && strncasecmp(s, p, m) == 0;
}

static int
is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Percent-encode bytes >= 0x80 and upper-case existing escapes. */
static void
escape_pattern(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && is_hex(s[i + 1]) &&
		    is_hex(s[i + 2])) {
			buf_addc(b, '%');
			buf_addc(b, toupper((unsigned char)s[i + 1]));
			buf_addc(b, toupper((unsigned char)s[i + 2]));
			i += 2;
		} else if (c >= 0x80) {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		} else
			buf_addc(b, c);
	}
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' ||
	    c == '\n';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Parser state while reading the groups. */
struct pstate {
	struct robots *r;
	const char *agent;
	size_t agentlen;
	int seen_global, seen_specific, seen_separator;
};

static void
on_user_agent(struct pstate *st, const char *v, size_t n)
{
	size_t k;

	if (st->seen_separator) {
		st->seen_global = st->seen_specific = 0;
		st->seen_separator = 0;
	}
	if (n >= 1 && v[0] == '*' && (n == 1 || is_space((unsigned char)v[1]))) {
		st->seen_global = 1;
		return;
	}
	for (k = 0; k < n && (isalpha((unsigned char)v[k]) || v[k] == '_' ||
	    v[k] == '-'); k++)
		;
	if (k > 0 && k == st->agentlen && strncasecmp(v, st->agent, k) == 0) {
		st->seen_specific = 1;
		st->r->ever_specific = 1;
	}
}

static void
on_rule(struct pstate *st, const char *v, size_t n, int allow)
{
	struct buf b = BUF_INIT;
	struct rules *rs;
	const char *slash;
	size_t k;

	if (!st->seen_global && !st->seen_specific)
		return;
	st->seen_separator = 1;
	rs = st->seen_specific ? &st->r->specific : &st->r->global;
	escape_pattern(&b, v, n);
	rules_add(rs, b.data ? b.data : "", b.len, allow);
	/* "dir/index.htm*" allowed: so is "dir/" itself. */
	if (allow && b.len > 0) {
		slash = NULL;
		for (k = b.len; k > 0; k--)
			if (b.data[k - 1] == '/') {
				slash = b.data + k - 1;
				break;
			}
		if (slash != NULL && strncmp(slash, "/index.htm", 10) == 0) {
			k = (size_t)(slash - b.data) + 1;
			b.data[k] = '$';
			rules_add(rs, b.data, k + 1, 1);
		}
	}
	buf_release(&b);
}

static void
on_crawl_delay(struct pstate *st, const char *v, size_t n)
{
	char tmp[32], *end;
	double d;

	if (!st->seen_global && !st->seen_specific)
		return;
	if (n == 0 || n >= sizeof(tmp))
		return;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	d = strtod(tmp, &end);
	if (end == tmp || *end != '\0' || !(d >= 0) || d > 86400)
		return;
	if (st->seen_specific)
		st->r->delay_specific = d;
	else
		st->r->delay_global = d;
}

static void
on_sitemap(struct robots *r, const char *v, size_t n)
{
	char *s;

	if (n == 0)
		return;
	if (r->nsitemap == r->capsitemap) {
		r->capsitemap = r->capsitemap ? 2 * r->capsitemap : 4;
		r->sitemap = df_xrealloc(r->sitemap,
		    r->capsitemap * sizeof(*r->sitemap));
	}
	s = df_xmalloc(n + 1);
	memcpy(s, v, n);
	s[n] = '\0';
	r->sitemap[r->nsitemap++] = s;
}

static void
parse_line(struct pstate *st, const char *line, size_t n)
{
	const char *hash, *sep, *key, *val, *p;
	size_t klen, vlen;

	hash = memchr(line, '#', n);
	if (hash != NULL)
		n = (size_t)(hash - line);
	trim(&line, &n);
	if (n == 0)
		return;
	sep = memchr(line, ':', n);
	if (sep == NULL) {
		/* "disallow /": whitespace as the separator, two words only. */
		for (p = line; p < line + n && *p != ' ' && *p != '\t'; p++)
			;
		if (p == line + n)
			return;
		sep = p;
		for (p = sep; p < line + n && (*p == ' ' || *p == '\t'); p++)
			;
		for (; p < line + n; p++)
			if (*p == ' ' || *p == '\t')
				return;
	}
	key = line;
	klen = (size_t)(sep - line);
	trim(&key, &klen);
	if (klen == 0)
		return;
	val = sep + 1;
	vlen = n - (size_t)(val - line);
	trim(&val, &vlen);
	if (ieq_prefix(key, klen, "user-agent") ||
	    ieq_prefix(key, klen, "useragent") ||
	    ieq_prefix(key, klen, "user agent"))
		on_user_agent(st, val, vlen);
	else if (ieq_prefix(key, klen, "allow"))
		on_rule(st, val, vlen, 1);
	else if (ieq_prefix(key, klen, "disallow") ||
	    ieq_prefix(key, klen, "dissallow") ||
	    ieq_prefix(key, klen, "dissalow") ||
	    ieq_prefix(key, klen, "disalow") ||
	    ieq_prefix(key, klen, "diasllow") ||
	    ieq_prefix(key, klen, "disallaw"))
		on_rule(st, val, vlen, 0);
	else if (ieq_prefix(key, klen, "crawl-delay") ||
	    ieq_prefix(key, klen, "crawldelay") ||
	    ieq_prefix(key, klen, "crawl delay"))
		on_crawl_delay(st, val, vlen);
	else if (ieq_prefix(key, klen, "sitemap") ||
	    ieq_prefix(key, klen, "site-map"))
		on_sitemap(st->r, val, vlen);
}

static struct robots *
robots_alloc(void)
{
	struct robots *r = df_xcalloc(1, sizeof(*r));

	r->all = -1;
	r->delay_specific = r->delay_global = -1;
	return r;
}

struct robots *
robots_parse(const char *txt, size_t len, const char *agent)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	struct robots *r = robots_alloc();
	struct pstate st;
	const char *p, *end, *e;
	const char *slash;
	size_t k, ll;

	memset(&st, 0, sizeof(st));
	st.r = r;
	st.agent = agent;
	slash = strchr(agent, '/');
	st.agentlen = slash != NULL ? (size_t)(slash - agent) : strlen(agent);
	if (len > ROBOTS_MAX_BYTES)
		len = ROBOTS_MAX_BYTES;
	p = txt;
	end = txt + len;
	/* A UTF-8 byte order mark, even a truncated one, is skipped. */
	for (k = 0; k < 3 && p < end && (unsigned char)*p == bom[k]; k++)
		p++;
	while (p < end) {
		for (e = p; e < end && *e != '\n' && *e != '\r'; e++)
			;
		ll = (size_t)(e - p);
		if (ll > LINE_MAX_KEEP)
			ll = LINE_MAX_KEEP;
		parse_line(&st, p, ll);
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		p = e + 1;
	}
	return r;
}

struct robots *
robots_new_all(int allow)
{
	struct robots *r = robots_alloc();

	r->all = allow != 0;
	return r;
}

void
robots_free(struct robots *r)
{
	size_t i;

	if (r == NULL)
		return;
	rules_release(&r->specific);
	rules_release(&r->global);
	for (i = 0; i < r->nsitemap; i++)
		free(r->sitemap[i]);
	free(r->sitemap);
	free(r);
}

/*
 * Whether pattern pat matches path from its start: '*' is any sequence,
 * a final '$' anchors at the end.  Keeps the set of path positions the
 * pattern read so far can end at, as a sorted array.
 */
static int
pattern_match(const char *path, size_t pathlen, const char *pat,
    size_t patlen, size_t *pos)
{
	size_t np = 1, i, j, k;

	pos[0] = 0;
	for (k = 0; k < patlen; k++) {
		if (pat[k] == '$' && k + 1 == patlen)
			return pos[np - 1] == pathlen;
		if (pat[k] == '*') {
			np = pathlen - pos[0] + 1;
			for (i = 1; i < np; i++)
				pos[i] = pos[i - 1] + 1;
			continue;
		}
		for (i = j = 0; i < np; i++)
			if (pos[i] < pathlen && path[pos[i]] == pat[k])
				pos[j++] = pos[i] + 1;
		np = j;
		if (np == 0)
			return 0;
	}
	return 1;
}

static void
best(const struct rules *rs, const char *path, size_t pathlen, size_t *pos,
    long *allow, long *disallow)
{
	size_t i;

	*allow = *disallow = -1;
	for (i = 0; i < rs->n; i++) {
		const struct rule *ru = &rs->r[i];
		long *slot = ru->allow ? allow : disallow;

		if ((long)ru->len <= *slot)
			continue;
		if (pattern_match(path, pathlen, ru->pat, ru->len, pos))
			*slot = (long)ru->len;
	}
}

char *
robots_url_path(const char *url)
{
	size_t n = strlen(url), start = 0, early, proto, ps, hashp, pe;
	const char *s;
	char *out;

	if (n >= 2 && url[0] == '/' && url[1] == '/')
		start = 2;
	early = strcspn(url + start, "/?;") + start;
	s = strstr(url + start, "://");
	proto = s != NULL ? (size_t)(s - url) : n;
	if (early < proto)
		proto = n;
	proto = proto == n ? start : proto + 3;
	ps = proto + strcspn(url + proto, "/?;");
	if (ps >= n)
		return df_xstrdup("/");
	s = strchr(url + start, '#');
	hashp = s != NULL ? (size_t)(s - url) : n;
	if (hashp < ps)
		return df_xstrdup("/");
	pe = hashp;
	out = df_xmalloc(pe - ps + 2);
	if (url[ps] != '/') {
		out[0] = '/';
		memcpy(out + 1, url + ps, pe - ps);
		out[pe - ps + 1] = '\0';
	} else {
		memcpy(out, url + ps, pe - ps);
		out[pe - ps] = '\0';
	}
	return out;
}

int
robots_allowed(const struct robots *r, const char *url)
{
	char *path;
	size_t *pos, pathlen;
	long a, d;
	int ok;

	if (r->all >= 0)
		return r->all;
	if (r->specific.n == 0 && r->global.n == 0)
		return 1;
	path = robots_url_path(url);
	pathlen = strlen(path);
	pos = df_xmalloc((pathlen + 1) * sizeof(*pos));
	best(&r->specific, path, pathlen, pos, &a, &d);
	if (a > 0 || d > 0)
		ok = !(d > a);
	else if (r->ever_specific)
		ok = 1;
	else {
		best(&r->global, path, pathlen, pos, &a, &d);
		ok = !(a > 0 || d > 0) || !(d > a);
	}
	free(pos);
	free(path);
	return ok;
}

double
robots_crawl_delay(const struct robots *r)
{
	if (r->all >= 0)
		return -1;
	return r->ever_specific ? r->delay_specific : r->delay_global;
}

size_t
robots_nsitemaps(const struct robots *r)
{
	return r->nsitemap;
}

const char *
robots_sitemap(const struct robots *r, size_t i)
{
	return i < r->nsitemap ? r->sitemap[i] : NULL;
}
