/*
 * Page metadata for df-extract: title, author, dates, language,
 * description, site name, canonical URL, image and page type, from (in
 * this order of trust) JSON-LD, OpenGraph and other <meta> tags, then the
 * document itself (<title>, <h1>, <time>, <html lang>) and the URL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>
#include <libxml/uri.h>

#include "diag.h"
#include "extract_meta.h"
#include "json.h"

const char *const extract_meta_key[META_N] = {
	"title", "author", "date", "date_modified", "lang", "description",
	"site_name", "canonical_url", "image", "page_type"
};

char *
extract_attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

void
extract_squeeze(struct buf *b)
{
	size_t i, j = 0;
	int sp = 1;

	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		/* ASCII space, and U+00A0 (C2 A0). */
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
		    c == '\f' || c == '\v') {
			if (!sp)
				b->data[j++] = ' ';
			sp = 1;
		} else if (c == 0xC2 && i + 1 < b->len &&
		    (unsigned char)b->data[i + 1] == 0xA0) {
			if (!sp)
				b->data[j++] = ' ';
			sp = 1;
			i++;
		} else {
			b->data[j++] = (char)c;
			sp = 0;
		}
	}
	while (j > 0 && b->data[j - 1] == ' ')
		j--;
	b->len = j;
	if (b->cap)
		b->data[j] = '\0';
}

static int
skip_elem(xmlNodePtr n)
{
	const char *t = (const char *)n->name;

	return strcmp(t, "script") == 0 || strcmp(t, "style") == 0 ||
	    strcmp(t, "noscript") == 0 || strcmp(t, "template") == 0;
}

void
extract_node_text(xmlNodePtr root, struct buf *b)
{
	xmlNodePtr n = root;

	if (root == NULL)
		return;
	for (;;) {
		if (n->type == XML_TEXT_NODE || n->type ==
		    XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				buf_adds(b, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && n->children != NULL &&
		    !skip_elem(n)) {
			if (n != root)
				buf_addc(b, ' ');
			n = n->children;
			continue;
		}
		for (;;) {
			if (n == root)
				return;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == NULL)
				return;
			if (n == root)
				return;
			buf_addc(b, ' ');
		}
	}
}

/* The metadata as candidates are found: first one in wins per field. */
struct meta {
	char *v[META_N];	/* the answer */
	/*
	 * Candidates by trust while the page is read: JSON-LD, then
	 * meta tags by their exact names, then by the shape of the name.
	 */
	char *t[3][META_N];
	int tier;
	int merged;
	char *title_tag;	/* <title> */
	char *h1;		/* the first <h1> */
	char *time_el;		/* the first <time datetime> */
	char *class_date;	/* the first element named a publish date */
	char *url_date;		/* a date in the URL */
	char *body;		/* JSON-LD articleBody */
};

static void
set(struct meta *m, int k, const char *s)
{
	struct buf b = BUF_INIT;
	char **slot = m->merged ? &m->v[k] : &m->t[m->tier][k];

	if (*slot != NULL || s == NULL)
		return;
	buf_adds(&b, s);
	extract_squeeze(&b);
	if (b.len == 0) {
		buf_release(&b);
		return;
	}
	*slot = buf_detach(&b, NULL);
}

static int
month_of(const char *s)
{
	static const char *const mon[] = { "jan", "feb", "mar", "apr", "may",
	    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	int i;

	for (i = 0; i < 12; i++)
		if (strncasecmp(s, mon[i], 3) == 0)
			return i + 1;
	return 0;
}

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int
valid_ymd(int y, int mo, int d)
{
	return y >= 1990 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= 31;
}

/*
 * Normalise a date to ISO 8601 in out (at least 64 bytes): YYYY-MM-DD,
 * with the time and zone when the source has them.  Returns 1 when s
 * held a date.
 */
static int
norm_date(const char *s, char *out)
{
	int y, mo, d, h = -1, mi = 0, se = 0, i, zh, zm;
	char zone[16] = "";
	const char *p;

	while (isspace((unsigned char)*s))
		s++;
	/* ISO 8601 and its near relatives: 2019-11-05, 2019/11/05. */
	if (digits(s, 4, &y) && (s[4] == '-' || s[4] == '/' || s[4] == '.') &&
	    digits(s + 5, 2, &mo) && s[7] == s[4] && digits(s + 8, 2, &d)) {
		p = s + 10;
		if ((*p == 'T' || *p == ' ') && digits(p + 1, 2, &h) &&
		    p[3] == ':' && digits(p + 4, 2, &mi)) {
			p += 6;
			if (*p == ':' && digits(p + 1, 2, &se))
				p += 3;
			if (*p == '.' || *p == ',')
				for (p++; isdigit((unsigned char)*p); p++)
					;
			while (*p == ' ')
				p++;
			if (*p == 'Z' || strncmp(p, "UTC", 3) == 0 ||
			    strncmp(p, "GMT", 3) == 0)
				strcpy(zone, "Z");
			else if ((*p == '+' || *p == '-') && digits(p + 1, 2,
			    &zh)) {
				i = p[3] == ':' ? 4 : 3;
				if (!digits(p + i, 2, &zm))
					zm = 0;
				snprintf(zone, sizeof(zone), "%c%02d:%02d", *p,
				    zh % 24, zm % 60);
			}
		} else
			h = -1;
	} else if (digits(s, 8, &y) && !isdigit((unsigned char)s[8])) {
		d = y % 100;
		mo = y / 100 % 100;
		y /= 10000;
	} else {
		/* "Tue, 05 Nov 2019 ...", "5 November 2019", "Nov 5, 2019". */
		const char *q = s;
		int a = 0, have_d = 0;

		if (isalpha((unsigned char)*q) && (p = strchr(q, ',')) !=
		    NULL && p - q <= 9 && !month_of(q))
			q = p + 1;
		while (isspace((unsigned char)*q))
			q++;
		mo = 0;
		if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q)) {
				if (a < 1000)	/* no overflow: 4 digits do */
					a = a * 10 + (*q - '0');
				q++;
			}
			d = a;
			have_d = 1;
			while (*q == ' ' || *q == '.' || *q == '-')
				q++;
			mo = month_of(q);
			while (isalpha((unsigned char)*q))
				q++;
		} else if ((mo = month_of(q)) != 0) {
			while (isalpha((unsigned char)*q) || *q == '.')
				q++;
			while (*q == ' ')
				q++;
			if (isdigit((unsigned char)*q)) {
				d = 0;
				while (isdigit((unsigned char)*q)) {
					if (d < 1000)
						d = d * 10 + (*q - '0');
					q++;
				}
				have_d = 1;
				while (isalpha((unsigned char)*q))
					q++;	/* 5th */
			}
		}
		if (!mo || !have_d)
			return 0;
		while (*q == ',' || *q == ' ' || *q == '-')
			q++;
		if (!digits(q, 4, &y))
			return 0;
		q += 4;
		while (*q == ' ' || *q == ',')
			q++;
		if (digits(q, 2, &h) && q[2] == ':' && digits(q + 3, 2, &mi)) {
			q += 5;
			if (*q == ':' && digits(q + 1, 2, &se))
				q += 3;
			while (*q == ' ')
				q++;
			if (strncmp(q, "GMT", 3) == 0 || strncmp(q, "UTC",
			    3) == 0 || *q == 'Z')
				strcpy(zone, "Z");
			else if ((*q == '+' || *q == '-') && digits(q + 1, 2,
			    &zh) && digits(q + 3, 2, &zm))
				snprintf(zone, sizeof(zone), "%c%02d:%02d", *q,
				    zh % 24, zm % 60);
		} else
			h = -1;
	}
	if (!valid_ymd(y, mo, d))
		return 0;
	if (h >= 0 && h < 24 && mi < 60 && se < 61)
		snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d,
		    h, mi, se, zone);
	else
		snprintf(out, 64, "%04d-%02d-%02d", y, mo, d);
	return 1;
}

static void
set_date(struct meta *m, int k, const char *s)
{
	char d[64];

	if (s != NULL && norm_date(s, d))
		set(m, k, d);
}

/* A JSON-LD value as a string: a string, or an object's name/@id/url. */
static const char *
ld_str(jv v, const char *key)
{
	jv x;

	if (jv_get_kind(v) != JV_KIND_OBJECT)
		return NULL;
	x = jv_object_get(jv_copy(v), jv_string(key));
	if (jv_get_kind(x) == JV_KIND_STRING) {
		/* Borrowed: v holds a reference to the same string. */
		const char *s = jv_string_value(x);

		jv_free(x);
		return s;
	}
	jv_free(x);
	return NULL;
}

/* The name of an author/publisher value: "x", {name}, [{name}, ...]. */
static void
ld_names(jv v, struct buf *b)
{
	if (jv_get_kind(v) == JV_KIND_STRING) {
		if (b->len)
			buf_adds(b, ", ");
		buf_adds(b, jv_string_value(v));
	} else if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv n = jv_object_get(jv_copy(v), jv_string("name"));

		ld_names(n, b);
		jv_free(n);
	} else if (jv_get_kind(v) == JV_KIND_ARRAY) {
		int i, len = jv_array_length(jv_copy(v));

		for (i = 0; i < len && i < 8; i++) {
			jv x = jv_array_get(jv_copy(v), i);

			ld_names(x, b);
			jv_free(x);
		}
	}
}

static int
ld_is_article(const char *t)
{
	return t != NULL && (strstr(t, "Article") != NULL ||
	    strstr(t, "Posting") != NULL || strcmp(t, "Report") == 0 ||
	    strcmp(t, "WebPage") == 0 || strcmp(t, "Review") == 0);
}

/* Read one JSON-LD object (borrowed), recursing into @graph. */
static void
ld_object(struct meta *m, jv o, int depth)
{
	const char *type, *s;
	jv x;
	struct buf b = BUF_INIT;

	if (depth > 4)
		return;
	if (jv_get_kind(o) == JV_KIND_ARRAY) {
		int i, len = jv_array_length(jv_copy(o));

		for (i = 0; i < len && i < 64; i++) {
			x = jv_array_get(jv_copy(o), i);
			ld_object(m, x, depth + 1);
			jv_free(x);
		}
		return;
	}
	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return;
	x = jv_object_get(jv_copy(o), jv_string("@graph"));
	if (jv_is_valid(x))
		ld_object(m, x, depth + 1);
	jv_free(x);
	x = jv_object_get(jv_copy(o), jv_string("@type"));
	type = jv_get_kind(x) == JV_KIND_STRING ? jv_string_value(x) : NULL;
	if (jv_get_kind(x) == JV_KIND_ARRAY && jv_array_length(jv_copy(x)) >
	    0) {
		jv t0 = jv_array_get(jv_copy(x), 0);

		jv_free(x);
		x = t0;
		type = jv_get_kind(x) == JV_KIND_STRING ? jv_string_value(x) :
		    NULL;
	}
	if (type != NULL && (strcmp(type, "WebSite") == 0 ||
	    strcmp(type, "Organization") == 0 || strcmp(type,
	    "NewsMediaOrganization") == 0)) {
		if (strcmp(type, "WebSite") == 0)
			set(m, META_SITE_NAME, ld_str(o, "name"));
	} else if (ld_is_article(type)) {
		if (strcmp(type, "WebPage") != 0)
			set(m, META_PAGE_TYPE, type);
		set(m, META_TITLE, ld_str(o, "headline"));
		if (strcmp(type, "WebPage") != 0)
			set(m, META_TITLE, ld_str(o, "name"));
		set_date(m, META_DATE, ld_str(o, "datePublished"));
		set_date(m, META_DATE_MODIFIED, ld_str(o, "dateModified"));
		set(m, META_DESCRIPTION, ld_str(o, "description"));
		{
			jv a = jv_object_get(jv_copy(o), jv_string("author"));

			ld_names(a, &b);
			jv_free(a);
			if (b.len && strncmp(b.data, "http", 4) != 0)
				set(m, META_AUTHOR, b.data);
			buf_reset(&b);
			a = jv_object_get(jv_copy(o), jv_string("publisher"));
			ld_names(a, &b);
			jv_free(a);
			if (b.len)
				set(m, META_SITE_NAME, b.data);
			buf_reset(&b);
			a = jv_object_get(jv_copy(o), jv_string("image"));
			if (jv_get_kind(a) == JV_KIND_ARRAY &&
			    jv_array_length(jv_copy(a)) > 0)
				a = jv_array_get(a, 0);
			if (jv_get_kind(a) == JV_KIND_STRING)
				set(m, META_IMAGE, jv_string_value(a));
			else if ((s = ld_str(a, "url")) != NULL)
				set(m, META_IMAGE, s);
			jv_free(a);
		}
		if (m->body == NULL && (s = ld_str(o, "articleBody")) != NULL &&
		    strlen(s) > 0)
			m->body = df_xstrdup(s);
	}
	jv_free(x);
	buf_release(&b);
}

static void
ld_script(struct meta *m, xmlNodePtr n)
{
	char err[160];
	struct buf b = BUF_INIT;
	xmlNodePtr c;
	jv v;

	m->tier = 0;
	for (c = n->children; c != NULL; c = c->next)
		if (c->content != NULL)
			buf_adds(&b, (const char *)c->content);
	/*
	 * Our own strict scanner first: libjq 1.6 leaks on some malformed
	 * input, and what the scanner takes libjq can parse.
	 */
	if (b.len > 0 && b.len < (1u << 24) && json_validate(b.data, b.len,
	    err, sizeof(err)) == 0) {
		v = jv_parse_sized(b.data, (int)b.len);
		if (jv_is_valid(v))
			ld_object(m, v, 0);
		jv_free(v);
	}
	buf_release(&b);
}

/* <meta name|property|itemprop=X content=Y>. */
static void
meta_tag(struct meta *m, xmlNodePtr n)
{
	char *k = extract_attr(n, "property"), *c;
	const char *key;

	if (k == NULL)
		k = extract_attr(n, "name");
	if (k == NULL)
		k = extract_attr(n, "itemprop");
	if (k == NULL) {
		char *he = extract_attr(n, "http-equiv");

		if (he != NULL && strcasecmp(he, "content-language") == 0) {
			c = extract_attr(n, "content");
			if (c != NULL)
				set(m, META_LANG, c);
			xmlFree(c);
		}
		xmlFree(he);
		return;
	}
	c = extract_attr(n, "content");
	if (c == NULL) {
		xmlFree(k);
		return;
	}
	key = k;
	m->tier = 1;
	if (strcasecmp(key, "og:title") == 0 || strcasecmp(key,
	    "twitter:title") == 0 || strcasecmp(key, "headline") == 0 ||
	    strcasecmp(key, "dc.title") == 0 || strcasecmp(key,
	    "parsely-title") == 0 || strcasecmp(key, "sailthru.title") == 0)
		set(m, META_TITLE, c);
	else if (strcasecmp(key, "author") == 0 || strcasecmp(key,
	    "article:author") == 0 || strcasecmp(key, "dc.creator") == 0 ||
	    strcasecmp(key, "parsely-author") == 0 || strcasecmp(key,
	    "sailthru.author") == 0 || strcasecmp(key, "byl") == 0) {
		if (strncmp(c, "http", 4) != 0) {
			const char *s = c;

			if (strncasecmp(s, "by ", 3) == 0)
				s += 3;
			set(m, META_AUTHOR, s);
		}
	} else if (strcasecmp(key, "article:published_time") == 0 ||
	    strcasecmp(key, "datepublished") == 0 || strcasecmp(key,
	    "og:published_time") == 0 || strcasecmp(key, "pubdate") == 0 ||
	    strcasecmp(key, "publishdate") == 0 || strcasecmp(key,
	    "publish-date") == 0 || strcasecmp(key, "date") == 0 ||
	    strcasecmp(key, "dc.date") == 0 || strcasecmp(key,
	    "dc.date.issued") == 0 || strcasecmp(key, "dcterms.created") == 0 ||
	    strcasecmp(key, "sailthru.date") == 0 || strcasecmp(key,
	    "parsely-pub-date") == 0 || strcasecmp(key,
	    "article.published") == 0 || strcasecmp(key, "citation_date") ==
	    0 || strcasecmp(key, "citation_publication_date") == 0 ||
	    strcasecmp(key, "originalpublicationdate") == 0 ||
	    strcasecmp(key, "published_time") == 0 || strcasecmp(key,
	    "cxenseparse:recs:publishtime") == 0 || strcasecmp(key,
	    "article:post_date") == 0 || strcasecmp(key, "release_date") == 0)
		set_date(m, META_DATE, c);
	else if (strcasecmp(key, "article:modified_time") == 0 ||
	    strcasecmp(key, "og:updated_time") == 0 || strcasecmp(key,
	    "datemodified") == 0 || strcasecmp(key, "last-modified") == 0 ||
	    strcasecmp(key, "dcterms.modified") == 0)
		set_date(m, META_DATE_MODIFIED, c);
	else if (strcasecmp(key, "description") == 0 || strcasecmp(key,
	    "og:description") == 0 || strcasecmp(key,
	    "twitter:description") == 0)
		set(m, META_DESCRIPTION, c);
	else if (strcasecmp(key, "og:site_name") == 0 || strcasecmp(key,
	    "application-name") == 0 || strcasecmp(key,
	    "twitter:app:name:iphone") == 0)
		set(m, META_SITE_NAME, c);
	else if (strcasecmp(key, "og:url") == 0)
		set(m, META_CANONICAL_URL, c);
	else if (strcasecmp(key, "og:image") == 0 || strcasecmp(key,
	    "og:image:url") == 0 || strcasecmp(key, "twitter:image") == 0 ||
	    strcasecmp(key, "twitter:image:src") == 0)
		set(m, META_IMAGE, c);
	else if (strcasecmp(key, "og:type") == 0)
		set(m, META_PAGE_TYPE, c);
	else if (strcasecmp(key, "og:locale") == 0 || strcasecmp(key,
	    "language") == 0 || strcasecmp(key, "dc.language") == 0)
		set(m, META_LANG, c);
	else {
		/* Names that only look like dates: sn-post-date, pub_time. */
		char low[64];
		size_t i;

		for (i = 0; key[i] != '\0' && i + 1 < sizeof(low); i++)
			low[i] = (char)tolower((unsigned char)key[i]);
		low[i] = '\0';
		m->tier = 2;
		if (strstr(low, "modif") != NULL || strstr(low, "updat") !=
		    NULL)
			set_date(m, META_DATE_MODIFIED, c);
		else if ((strstr(low, "date") != NULL || strstr(low,
		    "publish") != NULL || strstr(low, "pub_time") != NULL) &&
		    strstr(low, "expir") == NULL && strstr(low, "valid") ==
		    NULL)
			set_date(m, META_DATE, c);
	}
	xmlFree(k);
	xmlFree(c);
}

/* A date in the URL path: /2019/11/05/ or /2019-11-05. */
static void
url_date(struct meta *m, const char *url)
{
	const char *p;
	int y, mo, d;
	char out[64];

	if (url == NULL)
		return;
	for (p = url; *p != '\0'; p++) {
		if (*p != '/' && *p != '-' && *p != '_')
			continue;
		if (digits(p + 1, 4, &y) && (p[5] == '/' || p[5] == '-') &&
		    digits(p + 6, 2, &mo) && p[8] == p[5] && digits(p + 9, 2,
		    &d) && !isdigit((unsigned char)p[11]) && valid_ymd(y, mo,
		    d)) {
			snprintf(out, sizeof(out), "%04d-%02d-%02d", y, mo, d);
			m->url_date = df_xstrdup(out);
			return;
		}
	}
}

/* Resolve a possibly relative URL against base; a malloc'd string. */
static char *
resolve(const char *ref, const char *base)
{
	xmlChar *u;
	char *s;

	if (base == NULL || strncmp(ref, "http://", 7) == 0 ||
	    strncmp(ref, "https://", 8) == 0)
		return df_xstrdup(ref);
	u = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
	if (u == NULL)
		return df_xstrdup(ref);
	s = df_xstrdup((const char *)u);
	xmlFree(u);
	return s;
}

/* Language tags as BCP 47 spells them: en_US -> en-US. */
static void
fix_lang(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '_')
			*s = '-';
		if (*s == ',' || *s == ';' || *s == ' ') {
			*s = '\0';
			break;
		}
	}
}

/* s lowercased with only its letters and digits (ASCII), into out. */
static void
alnum_lower(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, k = 0;

	for (i = 0; i < n && s[i] != '\0' && k + 1 < outsz; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
}

/*
 * Whether part[0..n) of a title names the site: the site name, or the
 * host of the URL ("Coast News" for coastnews.com).
 */
static int
names_site(const char *part, size_t n, const char *site, const char *url)
{
	char a[256], b[256];
	const char *h, *e;

	alnum_lower(part, n, a, sizeof(a));
	if (strlen(a) < 3)
		return 0;
	if (site != NULL) {
		alnum_lower(site, strlen(site), b, sizeof(b));
		if (strcmp(a, b) == 0)
			return 1;
	}
	if (url == NULL || (h = strstr(url, "://")) == NULL)
		return 0;
	h += 3;
	if (strncmp(h, "www.", 4) == 0)
		h += 4;
	e = h + strcspn(h, "/:?#");
	alnum_lower(h, (size_t)(e - h), b, sizeof(b));
	return strncmp(b, a, strlen(a)) == 0;
}

/*
 * Remove a site name glued to a title: "Headline | Site",
 * "Headline - Site", "Site: Headline", when the part cut off names the
 * site (its name or its host).
 */
static void
strip_site(char *t, const char *site, const char *url)
{
	static const char *const sep[] = { " | ", " - ", " \xE2\x80\x93 ",
	    " \xE2\x80\x94 ", " :: ", " \xC2\xBB ", " \xE2\x80\xA2 ",
	    ": " };
	size_t i, tl = strlen(t), k;
	char *p, *last, *q;

	for (i = 0; i < sizeof(sep) / sizeof(sep[0]); i++) {
		k = strlen(sep[i]);
		p = strstr(t, sep[i]);
		if (p == NULL)
			continue;
		last = p;
		while ((q = strstr(last + 1, sep[i])) != NULL)
			last = q;
		/* Suffix: keep what is before the last separator. */
		if (i + 1 < sizeof(sep) / sizeof(sep[0]) && names_site(last + k,
		    tl - (size_t)(last + k - t), site, url)) {
			*last = '\0';
			return;
		}
		/* Prefix: keep what is after the first. */
		if (names_site(t, (size_t)(p - t), site, url)) {
			memmove(t, p + k, tl - (size_t)(p - t) - k + 1);
			return;
		}
	}
}

/*
 * An element whose class, id or name says it holds the publication date
 * (published_date, pubdate, post-date, entry-date, ...): the date in its
 * value, content or datetime attribute, or its own short text.
 */
static void
class_date(struct meta *m, xmlNodePtr n)
{
	static const char *const attr[] = { "class", "id", "name" };
	static const char *const word[] = { "publish", "pubdate", "post-date",
	    "post_date", "entry-date", "entry_date" };
	char *a, *v, d[64];
	size_t i, k;
	int named = 0;

	for (i = 0; i < sizeof(attr) / sizeof(attr[0]) && !named; i++) {
		if ((a = extract_attr(n, attr[i])) == NULL)
			continue;
		for (k = 0; a[k] != '\0'; k++)
			a[k] = (char)tolower((unsigned char)a[k]);
		for (k = 0; k < sizeof(word) / sizeof(word[0]); k++)
			if (strstr(a, word[k]) != NULL)
				named = 1;
		xmlFree(a);
	}
	if (!named)
		return;
	if ((v = extract_attr(n, "value")) == NULL &&
	    (v = extract_attr(n, "content")) == NULL)
		v = extract_attr(n, "datetime");
	if (v != NULL) {
		if (norm_date(v, d))
			m->class_date = df_xstrdup(d);
		xmlFree(v);
		return;
	}
	if (n->children != NULL && n->children->type == XML_TEXT_NODE &&
	    n->children->next == NULL && n->children->content != NULL &&
	    strlen((const char *)n->children->content) < 64 &&
	    norm_date((const char *)n->children->content, d))
		m->class_date = df_xstrdup(d);
}

/*
 * A site name given with a tagline or keywords ("Name | F1 | Indy",
 * "Name - the best of ...") is the part before the first separator.
 */
static void
site_first_part(char *site)
{
	static const char *const sep[] = { " | ", " - ", " \xE2\x80\x93 ",
	    " \xE2\x80\x94 " };
	char *p, *cut = NULL;
	size_t i;

	if (site == NULL)
		return;
	for (i = 0; i < sizeof(sep) / sizeof(sep[0]); i++)
		if ((p = strstr(site, sep[i])) != NULL && p > site &&
		    (cut == NULL || p < cut))
			cut = p;
	if (cut != NULL)
		*cut = '\0';
}

/*
 * A page without a stated site name often ends its <title> with one:
 * "Headline - Site".  When full is the title followed by a separator and
 * a short rest, the rest is the site's name.
 */
static void
site_from_title(struct meta *m, const char *full, const char *title)
{
	static const char *const sep[] = { " | ", " - ", " \xE2\x80\x93 ",
	    " \xE2\x80\x94 ", " :: ", " \xC2\xBB ", " \xE2\x80\xA2 " };
	struct buf b = BUF_INIT;
	size_t tl = strlen(title), i, k;
	const char *rest;

	if (m->v[META_SITE_NAME] != NULL || full == NULL || tl == 0)
		return;
	buf_adds(&b, full);
	extract_squeeze(&b);
	if (b.len > tl && strncmp(b.data, title, tl) == 0) {
		rest = b.data + tl;
		for (i = 0; i < sizeof(sep) / sizeof(sep[0]); i++) {
			k = strlen(sep[i]);
			if (strncmp(rest, sep[i], k) == 0 &&
			    strlen(rest + k) <= 60 && strstr(rest + k,
			    sep[i]) == NULL) {
				set(m, META_SITE_NAME, rest + k);
				break;
			}
		}
	}
	buf_release(&b);
}

void
extract_meta(htmlDocPtr doc, const char *url, struct extract_result *r,
    struct buf *article_body)
{
	struct meta m;
	xmlNodePtr root = xmlDocGetRootElement(doc), n;
	char *a, *rel;
	int k;

	memset(&m, 0, sizeof(m));
	if (root == NULL)
		return;
	a = extract_attr(root, "lang");
	if (a == NULL)
		a = extract_attr(root, "xml:lang");
	if (a != NULL)
		set(&m, META_LANG, a);
	xmlFree(a);
	n = root;
	while (n != NULL) {
		int down = 1;

		if (n->type == XML_ELEMENT_NODE) {
			const char *t = (const char *)n->name;

			if (strcmp(t, "meta") == 0)
				meta_tag(&m, n);
			else if (strcmp(t, "script") == 0) {
				a = extract_attr(n, "type");
				if (a != NULL && strcasecmp(a,
				    "application/ld+json") == 0)
					ld_script(&m, n);
				xmlFree(a);
				down = 0;
			} else if (strcmp(t, "style") == 0)
				down = 0;
			else if (strcmp(t, "title") == 0 && m.title_tag ==
			    NULL) {
				struct buf b = BUF_INIT;

				extract_node_text(n, &b);
				extract_squeeze(&b);
				if (b.len)
					m.title_tag = buf_detach(&b, NULL);
				buf_release(&b);
				down = 0;
			} else if (strcmp(t, "h1") == 0 && m.h1 == NULL) {
				struct buf b = BUF_INIT;

				extract_node_text(n, &b);
				extract_squeeze(&b);
				if (b.len)
					m.h1 = buf_detach(&b, NULL);
				buf_release(&b);
			} else if (strcmp(t, "link") == 0) {
				rel = extract_attr(n, "rel");
				if (rel != NULL && strcasecmp(rel,
				    "canonical") == 0) {
					a = extract_attr(n, "href");
					if (a != NULL && m.t[1][META_CANONICAL_URL]
					    == NULL && *a != '\0')
						m.t[1][META_CANONICAL_URL] =
						    resolve(a, url);
					xmlFree(a);
				}
				xmlFree(rel);
			} else if (strcmp(t, "time") == 0 && m.time_el ==
			    NULL) {
				char d[64];

				a = extract_attr(n, "datetime");
				if (a != NULL && norm_date(a, d))
					m.time_el = df_xstrdup(d);
				xmlFree(a);
			} else if (m.v[META_DATE] == NULL && n->properties !=
			    NULL) {
				if (m.class_date == NULL)
					class_date(&m, n);
				a = extract_attr(n, "itemprop");
				if (a != NULL && strcmp(a, "datePublished") ==
				    0) {
					char *d = extract_attr(n, "datetime");

					if (d == NULL)
						d = extract_attr(n, "content");
					m.tier = 1;
					set_date(&m, META_DATE, d);
					xmlFree(d);
				}
				xmlFree(a);
			}
		}
		if (down && n->type == XML_ELEMENT_NODE && n->children !=
		    NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n != root && n->next == NULL)
			n = n->parent;
		if (n == NULL || n == root)
			break;
		n = n->next;
	}
	/*
	 * The most trusted candidate of each field; but the site's own
	 * og:site_name before a JSON-LD publisher, and a title that is the
	 * page's <h1> before one that is not.
	 */
	for (k = 0; k < 3; k++)
		if (m.t[k][META_SITE_NAME] != NULL && strncmp(
		    m.t[k][META_SITE_NAME], "http", 4) == 0) {
			free(m.t[k][META_SITE_NAME]);	/* a URL, not a name */
			m.t[k][META_SITE_NAME] = NULL;
		}
	if (m.t[1][META_SITE_NAME] != NULL) {
		free(m.t[0][META_SITE_NAME]);
		m.t[0][META_SITE_NAME] = NULL;
	}
	if (m.h1 != NULL) {
		int t;

		for (t = 0; t < 3; t++)
			if (m.t[t][META_TITLE] != NULL &&
			    strcasecmp(m.t[t][META_TITLE], m.h1) == 0) {
				m.v[META_TITLE] = m.t[t][META_TITLE];
				m.t[t][META_TITLE] = NULL;
				break;
			}
	}
	for (k = 0; k < META_N; k++) {
		int t;

		for (t = 0; t < 3; t++) {
			if (m.v[k] == NULL)
				m.v[k] = m.t[t][k];
			else
				free(m.t[t][k]);
			m.t[t][k] = NULL;
		}
	}
	m.merged = 1;
	url_date(&m, url);
	if (m.v[META_TITLE] == NULL) {
		if (m.title_tag != NULL) {
			char *full = df_xstrdup(m.title_tag);

			strip_site(m.title_tag, m.v[META_SITE_NAME], url);
			set(&m, META_TITLE, m.title_tag);
			if (m.v[META_TITLE] != NULL)
				site_from_title(&m, full, m.v[META_TITLE]);
			free(full);
		} else
			set(&m, META_TITLE, m.h1);
	} else {
		strip_site(m.v[META_TITLE], m.v[META_SITE_NAME], url);
		site_from_title(&m, m.title_tag, m.v[META_TITLE]);
	}
	site_first_part(m.v[META_SITE_NAME]);
	set(&m, META_DATE, m.time_el);
	set(&m, META_DATE, m.class_date);
	set(&m, META_DATE, m.url_date);
	if (m.v[META_DATE_MODIFIED] != NULL && m.v[META_DATE] != NULL &&
	    strcmp(m.v[META_DATE_MODIFIED], m.v[META_DATE]) == 0) {
		free(m.v[META_DATE_MODIFIED]);
		m.v[META_DATE_MODIFIED] = NULL;
	}
	if (m.v[META_LANG] != NULL)
		fix_lang(m.v[META_LANG]);
	if (m.v[META_CANONICAL_URL] != NULL && url != NULL &&
	    strncmp(m.v[META_CANONICAL_URL], "http", 4) != 0) {
		char *s = resolve(m.v[META_CANONICAL_URL], url);

		free(m.v[META_CANONICAL_URL]);
		m.v[META_CANONICAL_URL] = s;
	}
	if (m.v[META_IMAGE] != NULL && url != NULL) {
		char *s = resolve(m.v[META_IMAGE], url);

		free(m.v[META_IMAGE]);
		m.v[META_IMAGE] = s;
	}
	for (k = 0; k < META_N; k++)
		r->meta[k] = m.v[k];
	if (m.body != NULL) {
		buf_adds(article_body, m.body);
		free(m.body);
	}
	free(m.title_tag);
	free(m.h1);
	free(m.time_el);
	free(m.class_date);
	free(m.url_date);
}
