/*
 * Main-content extraction for df-extract.
 *
 * Four linear passes over the libxml2 tree, all iterative (no recursion,
 * so deep nesting cannot overflow the stack):
 *
 * 1. Mark: give every element its tag class and a class/id weight; drop
 *    whole subtrees that are never content (scripts, forms controls,
 *    navigation, asides, footers, figures, hidden elements) and mark the
 *    ones whose class, id or role say boilerplate (share, newsletter,
 *    cookie, related, comments, ...).
 * 2. Count (post-order): text and link-text length, commas, paragraphs,
 *    images, list items and inputs of every subtree.  A boilerplate mark
 *    is honoured here unless the subtree holds an article marker
 *    (<article>, <main>, itemprop=articleBody, an article-body class).
 * 3. Score, in the manner of Readability: every paragraph-like block of
 *    25 characters or more gives 1 + commas + min(len/100, 3) to its
 *    ancestors (full, 1/2, then 1/(3 level)); a candidate starts from a
 *    tag prior and its class weight, and ends scaled by 1 - link density.
 *    The best candidate is widened to a shared ancestor of its close
 *    rivals, then joined by siblings that score well or read as prose.
 * 4. Render the chosen subtrees as text or markdown, leaving out what
 *    still looks like boilerplate there: link-dense blocks, the headline,
 *    lists and tables that are mostly links or images, trailing headings.
 *
 * When that yields too little, the pass runs again without the class/id
 * boilerplate marks, then falls back to a JSON-LD articleBody.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "diag.h"
#include "extract_meta.h"

/* Tag classes. */
enum {
	T_OTHER, T_HTML, T_BODY, T_DIV, T_SECTION, T_ARTICLE, T_MAIN, T_P,
	T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_UL, T_OL, T_LI, T_DL, T_DT, T_DD,
	T_BLOCKQUOTE, T_PRE, T_CODE, T_TABLE, T_TR, T_TD, T_TH, T_CAPTION,
	T_A, T_BR, T_HR, T_IMG, T_FORM, T_INPUT, T_HEADER, T_SPAN, T_FONT,
	T_CENTER, T_ADDRESS, T_BLOCK, T_DROP, T_EMBED, T_INLINE
};

/* Node flags. */
#define F_DROP		0x001	/* never content: left out with its subtree */
#define F_BOILER	0x002	/* class/id/role say boilerplate */
#define F_COMMENTS	0x004	/* a comment section */
#define F_MARK		0x008	/* an article marker itself */
#define F_HASMARK	0x010	/* holds an article marker */
#define F_CAND		0x020	/* has a score */
#define F_DIRECT	0x040	/* has direct text of its own */
#define F_GONE		0x080	/* dropped after counting (boilerplate) */
#define F_LINK		0x100	/* inside <a> */

struct ni {
	unsigned flags;
	unsigned char tag;
	short weight;
	unsigned text;		/* non-space characters */
	unsigned link;		/* of them inside <a> */
	unsigned commas;
	unsigned np, nimg, nli, ninput, nembed, nhead;
	unsigned direct;	/* direct text characters */
	unsigned quote;		/* text inside <blockquote> */
	double score;
};

struct ctx {
	htmlDocPtr doc;
	xmlNodePtr body;
	struct ni *ni;
	size_t nni, capni;
	int relax;		/* ignore class/id boilerplate marks */
	int comment_mode;	/* rendering the comment section */
	const struct extract_opts *o;
	const char *title;	/* metadata title, to spot the headline */
	xmlNodePtr top;
	xmlNodePtr *roots;	/* what to render */
	size_t nroots, caproots;
	xmlNodePtr *comments;	/* comment sections */
	size_t ncomments, capcomments;
};

#define NI(c, n) (&(c)->ni[(uintptr_t)(n)->_private - 1])
#define HASNI(n) ((n)->type == XML_ELEMENT_NODE && (n)->_private != NULL)

static int
tag_of(const char *t)
{
	static const struct {
		const char *name;
		int tag;
	} tags[] = {
		{ "a", T_A }, { "abbr", T_INLINE }, { "address", T_ADDRESS },
		{ "applet", T_DROP }, { "article", T_ARTICLE },
		{ "aside", T_DROP }, { "audio", T_DROP }, { "b", T_INLINE },
		{ "blockquote", T_BLOCKQUOTE }, { "body", T_BODY },
		{ "br", T_BR }, { "button", T_DROP }, { "canvas", T_DROP },
		{ "caption", T_CAPTION }, { "center", T_CENTER },
		{ "code", T_CODE }, { "dd", T_DD }, { "details", T_BLOCK },
		{ "dialog", T_DROP }, { "div", T_DIV }, { "dl", T_DL },
		{ "dt", T_DT }, { "em", T_INLINE }, { "embed", T_EMBED },
		{ "fieldset", T_BLOCK }, { "figcaption", T_DROP },
		{ "figure", T_DROP }, { "font", T_FONT }, { "footer", T_DROP },
		{ "form", T_FORM }, { "frameset", T_DROP }, { "h1", T_H1 },
		{ "h2", T_H2 }, { "h3", T_H3 }, { "h4", T_H4 }, { "h5", T_H5 },
		{ "h6", T_H6 }, { "head", T_DROP }, { "header", T_HEADER },
		{ "hgroup", T_BLOCK }, { "hr", T_HR }, { "html", T_HTML },
		{ "i", T_INLINE }, { "iframe", T_EMBED }, { "img", T_IMG },
		{ "input", T_INPUT }, { "label", T_DROP }, { "legend", T_BLOCK },
		{ "li", T_LI }, { "main", T_MAIN }, { "map", T_DROP },
		{ "math", T_INLINE }, { "menu", T_DROP }, { "nav", T_DROP },
		{ "noscript", T_DROP }, { "object", T_EMBED }, { "ol", T_OL },
		{ "optgroup", T_DROP }, { "option", T_DROP }, { "p", T_P },
		{ "picture", T_DROP }, { "pre", T_PRE }, { "s", T_INLINE },
		{ "script", T_DROP }, { "section", T_SECTION },
		{ "select", T_DROP }, { "small", T_INLINE }, { "span", T_SPAN },
		{ "strong", T_INLINE }, { "style", T_DROP }, { "sub", T_INLINE },
		{ "summary", T_BLOCK }, { "sup", T_INLINE }, { "svg", T_DROP },
		{ "table", T_TABLE }, { "tbody", T_BLOCK }, { "td", T_TD },
		{ "template", T_DROP }, { "textarea", T_DROP },
		{ "tfoot", T_BLOCK }, { "th", T_TH }, { "thead", T_BLOCK },
		{ "title", T_DROP }, { "tr", T_TR }, { "u", T_INLINE },
		{ "ul", T_UL }, { "video", T_DROP },
	};
	size_t lo = 0, hi = sizeof(tags) / sizeof(tags[0]), mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(t, tags[mid].name);
		if (c == 0)
			return tags[mid].tag;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return T_OTHER;
}

static int
is_block(int t)
{
	switch (t) {
	case T_HTML: case T_BODY: case T_DIV: case T_SECTION: case T_ARTICLE:
	case T_MAIN: case T_P: case T_H1: case T_H2: case T_H3: case T_H4:
	case T_H5: case T_H6: case T_UL: case T_OL: case T_LI: case T_DL:
	case T_DT: case T_DD: case T_BLOCKQUOTE: case T_PRE: case T_TABLE:
	case T_TR: case T_TD: case T_TH: case T_CAPTION: case T_BR: case T_HR:
	case T_FORM: case T_HEADER: case T_CENTER: case T_ADDRESS:
	case T_BLOCK:
		return 1;
	}
	return 0;
}

static int
is_heading(int t)
{
	return t >= T_H1 && t <= T_H6;
}

/* Whether word occurs in s (lowercase) as a whole token (a-z0-9 runs). */
static int
has_token(const char *s, const char *word)
{
	size_t k = strlen(word);
	const char *p = s;

	while ((p = strstr(p, word)) != NULL) {
		int before = p == s || !isalnum((unsigned char)p[-1]);
		int after = !isalnum((unsigned char)p[k]);

		if (before && after)
			return 1;
		p += k;
	}
	return 0;
}

static int
has_any(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strstr(s, *list) != NULL)
			return 1;
	return 0;
}

static int
has_any_token(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (has_token(s, *list))
			return 1;
	return 0;
}

/* Readability's class weight patterns. */
static const char *const neg_sub[] = { "-ad-", "banner", "combx", "comment",
	"com-", "contact", "foot", "gdpr", "masthead", "media", "meta",
	"outbrain", "promo", "related", "scroll", "share", "shoutbox",
	"sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool",
	"widget", "hidden", "byline", "author", "caption", "newsletter",
	"subscri", "social", NULL };
static const char *const pos_sub[] = { "article", "body", "content", "entry",
	"hentry", "h-entry", "main", "page", "post", "text", "blog", "story",
	NULL };
/* Boilerplate by class or id, as substrings and as whole tokens. */
static const char *const boil_sub[] = { "comment", "disqus", "newsletter",
	"subscribe", "subscription", "signup", "sign-up", "cookie", "consent",
	"gdpr", "breadcrumb", "sidebar", "social", "sharing", "share-",
	"-share", "sharebar", "related", "recommend", "outbrain", "taboola",
	"promo", "sponsor", "advert", "trending", "most-popular",
	"mostpopular", "popular-", "recirc", "popup", "modal", "masthead",
	"footer", "header", "byline", "author", "caption", "skyscraper",
	"banner", "shoutbox", "community", "pagination", "pager", "menu",
	"navbar", "navigation", "topnav", "dateline", "timestamp",
	"read-more", "readmore", "more-stories", "morestories", "toolbar",
	"-ad-", "ad-slot", "adslot", "ad-container", "adunit",
	"ad-unit", "ad-wrapper", "dfp", "paywall", "tag-list", "taglist",
	"article-tags", "post-tags", "entry-meta", "post-meta", "article-meta",
	"print-", "rss", "agegate", NULL };
static const char *const boil_tok[] = { "nav", "ad", "ads", "tags", "tag",
	"share", "meta", "hidden", "hide", "print", "credit", "credits",
	"extra", "remark", "replies", "supplemental", "legends", "login",
	"aside", "tools", "utility", "sr", "screen-reader", "visually",
	"date", "time", "topics", "keywords", "categories", NULL };
/* Names of containers that hold the article itself. */
static const char *const mark_sub[] = { "articlebody", "article-body",
	"article_body", "article__body", "articlecontent", "article-content",
	"article_content", "article__content", "post-content", "postcontent",
	"post_content", "post-body", "postbody", "post_body", "entry-content",
	"entry_content", "entrycontent", "story-body", "storybody",
	"story_body", "story-content", "storycontent", "article-text",
	"articletext", "article__text", "body-text", "bodytext", "main-content",
	"maincontent", "content-body", "text-body", "article-main",
	"entry-body", "rich-text", "richtext", NULL };

/* The lowercased class and id of n, into s (size sz). */
static void
class_id(xmlNodePtr n, char *s, size_t sz)
{
	xmlAttrPtr a;
	size_t k = 0;

	s[0] = '\0';
	for (a = n->properties; a != NULL; a = a->next) {
		const char *nm = (const char *)a->name;
		xmlNodePtr v;

		if (strcmp(nm, "class") != 0 && strcmp(nm, "id") != 0)
			continue;
		for (v = a->children; v != NULL; v = v->next) {
			const char *c = (const char *)v->content;

			if (c == NULL)
				continue;
			while (*c != '\0' && k + 2 < sz)
				s[k++] = (char)tolower((unsigned char)*c++);
		}
		if (k + 2 < sz)
			s[k++] = ' ';
	}
	s[k] = '\0';
}

static const char *
attr_value(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	for (a = n->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return a->children != NULL && a->children->content !=
			    NULL ? (const char *)a->children->content : "";
	return NULL;
}

static int
hidden(xmlNodePtr n)
{
	const char *v;
	char s[256];
	size_t i, k = 0;

	if (attr_value(n, "hidden") != NULL)
		return 1;
	v = attr_value(n, "aria-hidden");
	if (v != NULL && strcmp(v, "true") == 0)
		return 1;
	v = attr_value(n, "style");
	if (v == NULL)
		return 0;
	for (i = 0; v[i] != '\0' && k + 1 < sizeof(s); i++)
		if (v[i] != ' ')
			s[k++] = (char)tolower((unsigned char)v[i]);
	s[k] = '\0';
	return strstr(s, "display:none") != NULL ||
	    strstr(s, "visibility:hidden") != NULL;
}

static int
role_boiler(xmlNodePtr n)
{
	const char *r = attr_value(n, "role");

	if (r == NULL)
		return 0;
	return strcmp(r, "navigation") == 0 || strcmp(r, "menu") == 0 ||
	    strcmp(r, "menubar") == 0 || strcmp(r, "complementary") == 0 ||
	    strcmp(r, "alert") == 0 || strcmp(r, "alertdialog") == 0 ||
	    strcmp(r, "dialog") == 0 || strcmp(r, "banner") == 0 ||
	    strcmp(r, "contentinfo") == 0 || strcmp(r, "search") == 0;
}

static void
ni_add(struct ctx *c, xmlNodePtr n)
{
	if (c->nni == c->capni) {
		c->capni = c->capni ? 2 * c->capni : 1024;
		c->ni = df_xrealloc(c->ni, c->capni * sizeof(*c->ni));
	}
	memset(&c->ni[c->nni], 0, sizeof(c->ni[0]));
	c->nni++;
	n->_private = (void *)(uintptr_t)c->nni;
}

/* Pass 1, for one element on the way down: tag, weight, marks. */
static void
mark(struct ctx *c, xmlNodePtr n)
{
	struct ni *x;
	char ci[512];
	const char *v;
	int t;

	ni_add(c, n);
	x = NI(c, n);
	t = tag_of((const char *)n->name);
	x->tag = (unsigned char)t;
	if (t == T_DROP || (t == T_EMBED) || (t == T_INPUT)) {
		x->flags |= F_DROP;
		return;
	}
	if (hidden(n)) {
		x->flags |= F_DROP;
		return;
	}
	if (n->parent != NULL && HASNI(n->parent) && (NI(c, n->parent)->flags &
	    F_LINK))
		x->flags |= F_LINK;
	if (t == T_A)
		x->flags |= F_LINK;
	if (t == T_ARTICLE || t == T_MAIN)
		x->flags |= F_MARK;
	v = attr_value(n, "itemprop");
	if (v != NULL && (strcmp(v, "articleBody") == 0 || strcmp(v,
	    "text") == 0))
		x->flags |= F_MARK;
	v = attr_value(n, "role");
	if (v != NULL && strcmp(v, "main") == 0)
		x->flags |= F_MARK;
	if (role_boiler(n))
		x->flags |= F_BOILER;
	if (t == T_HEADER)
		x->flags |= F_BOILER;
	if (n->properties == NULL)
		return;
	class_id(n, ci, sizeof(ci));
	if (ci[0] == '\0')
		return;
	if (has_any(ci, neg_sub))
		x->weight -= 25;
	if (has_any(ci, pos_sub))
		x->weight += 25;
	if (has_any(ci, mark_sub)) {
		x->flags |= F_MARK;
		x->weight += 25;
	}
	if (t != T_BODY && t != T_HTML && (has_any(ci, boil_sub) ||
	    has_any_token(ci, boil_tok)))
		x->flags |= F_BOILER;
	if (strstr(ci, "comment") != NULL || strstr(ci, "disqus") != NULL ||
	    has_token(ci, "replies") || strstr(ci, "respond") != NULL)
		x->flags |= F_COMMENTS;
	/* A comment *inside* the article text is no section. */
	if ((x->flags & F_MARK) && !(x->flags & F_COMMENTS))
		x->flags &= ~(unsigned)F_BOILER;
}

/* Count commas (ASCII and CJK) and non-space characters of s. */
static void
count_text(const char *s, unsigned *chars, unsigned *commas)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p <= ' ')
			continue;
		if ((*p & 0xC0) == 0x80)
			continue;
		if (*p == 0xC2 && p[1] == 0xA0) {
			p++;
			continue;
		}
		(*chars)++;
		if (*p == ',')
			(*commas)++;
		else if (*p == 0xEF && p[1] == 0xBC && p[2] == 0x8C)
			(*commas)++;
		else if (*p == 0xE3 && p[1] == 0x80 && p[2] == 0x81)
			(*commas)++;
	}
}

/* Add child x's counts to its parent's p. */
static void
add_up(struct ni *p, const struct ni *x)
{
	p->text += x->text;
	p->link += x->link;
	p->commas += x->commas;
	p->np += x->np;
	p->nimg += x->nimg;
	p->nli += x->nli;
	p->ninput += x->ninput;
	p->nembed += x->nembed;
	p->nhead += x->nhead;
	p->quote += x->quote;
}

/* Pass 2 for one element on the way up: its counts are complete. */
static void
finish(struct ctx *c, xmlNodePtr n)
{
	struct ni *x = NI(c, n), *p;

	if (x->flags & F_DROP)
		return;
	if (x->flags & (F_MARK | F_HASMARK))
		x->flags &= ~(unsigned)F_BOILER;
	if (x->tag == T_P)
		x->np++;
	else if (x->direct >= 50 && !is_heading(x->tag))
		x->np += 1 + x->direct / 200;	/* text between <br>s */
	else if (x->tag == T_LI)
		x->nli++;
	else if (is_heading(x->tag))
		x->nhead += x->text;
	if (x->tag == T_BLOCKQUOTE)
		x->quote = x->text;
	/* An embedded quote (a tweet, say) is content whatever its box. */
	if ((x->flags & F_BOILER) && x->quote * 2 >= x->text && x->text > 0 &&
	    !(x->flags & F_COMMENTS))
		x->flags &= ~(unsigned)F_BOILER;
	if ((x->flags & F_BOILER) && !c->relax) {
		x->flags |= F_GONE;
		return;
	}
	if (n->parent == NULL || !HASNI(n->parent))
		return;
	p = NI(c, n->parent);
	add_up(p, x);
	if (x->flags & (F_MARK | F_HASMARK))
		p->flags |= F_HASMARK;
}

/*
 * Passes 1 and 2: mark on the way down, count on the way up.  Text and
 * counts of dropped and boilerplate subtrees stay out of their
 * ancestors'.
 */
static void
mark_and_count(struct ctx *c, xmlNodePtr root)
{
	xmlNodePtr n = root;

	for (;;) {
		int down = 0;

		if (n->type == XML_ELEMENT_NODE) {
			mark(c, n);
			if ((c->relax || !(NI(c, n)->flags & F_DROP)) ||
			    !(NI(c, n)->flags & F_DROP))
				down = !(NI(c, n)->flags & F_DROP) &&
				    n->children != NULL;
			if (NI(c, n)->tag == T_IMG)
				NI(c, n)->nimg = 1;
			if (NI(c, n)->tag == T_INPUT)
				NI(c, n)->ninput = 1;
			if (NI(c, n)->tag == T_EMBED)
				NI(c, n)->nembed = 1;
		} else if ((n->type == XML_TEXT_NODE || n->type ==
		    XML_CDATA_SECTION_NODE) && n->content != NULL &&
		    n->parent != NULL && HASNI(n->parent)) {
			struct ni *p = NI(c, n->parent);
			unsigned ch = 0, cm = 0;

			count_text((const char *)n->content, &ch, &cm);
			p->text += ch;
			p->commas += cm;
			p->direct += ch;
			if (p->flags & F_LINK)
				p->link += ch;
			if (ch > 0)
				p->flags |= F_DIRECT;
		}
		if (down) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n->type == XML_ELEMENT_NODE) {
				/*
				 * Dropped elements still pass their
				 * image and input counts up.
				 */
				struct ni *x = NI(c, n);

				if ((x->flags & F_DROP) && n->parent != NULL &&
				    HASNI(n->parent)) {
					NI(c, n->parent)->ninput += x->ninput;
					NI(c, n->parent)->nembed += x->nembed;
				} else
					finish(c, n);
			}
			if (n == root)
				return;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

static int
live(struct ctx *c, xmlNodePtr n)
{
	return HASNI(n) && !(NI(c, n)->flags & (F_DROP | F_GONE));
}

static double
link_density(const struct ni *x)
{
	return x->text ? (double)x->link / x->text : 0;
}

static void
init_cand(struct ni *x)
{
	if (x->flags & F_CAND)
		return;
	x->flags |= F_CAND;
	switch (x->tag) {
	case T_DIV: case T_ARTICLE: case T_MAIN:
		x->score = 5;
		break;
	case T_PRE: case T_TD: case T_BLOCKQUOTE:
		x->score = 3;
		break;
	case T_ADDRESS: case T_OL: case T_UL: case T_DL: case T_DD:
	case T_DT: case T_LI: case T_FORM:
		x->score = -3;
		break;
	case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6:
	case T_TH:
		x->score = -5;
		break;
	default:
		x->score = 0;
	}
	x->score += x->weight;
	if (x->flags & F_MARK)
		x->score += 10;
}

/* Whether n is a paragraph-like block to score. */
static int
scorable(struct ctx *c, xmlNodePtr n)
{
	struct ni *x = NI(c, n);

	switch (x->tag) {
	case T_P: case T_PRE: case T_TD: case T_DD:
		return 1;
	case T_DIV: case T_SECTION: case T_ARTICLE: case T_SPAN: case T_FONT:
	case T_CENTER: case T_BLOCKQUOTE:
		return x->direct >= 25;
	}
	return 0;
}

static int
own_para(int t)
{
	return t == T_P || t == T_PRE || t == T_TD || t == T_DD;
}

/* Pass 3: Readability's scoring, over live elements only. */
static void
score(struct ctx *c, xmlNodePtr root)
{
	xmlNodePtr n = root, a;
	struct ni *x;
	double s;
	int level;

	for (;;) {
		int down = 0;

		if (live(c, n)) {
			x = NI(c, n);
			if (scorable(c, n) && x->text >= 25) {
				s = 1 + x->commas + (x->text / 100.0 > 3 ? 3 :
				    x->text / 100.0);
				/*
				 * Text straight in a container is its own
				 * paragraph: Readability wraps it in a <p>
				 * first, so the container is level 0.
				 */
				a = own_para(x->tag) ? n->parent : n;
				for (level = 0; a != NULL &&
				    level < 5 && HASNI(a); a = a->parent,
				    level++) {
					struct ni *y = NI(c, a);

					init_cand(y);
					y->score += s / (level == 0 ? 1 :
					    level == 1 ? 2 : level * 3);
				}
			}
			down = n->children != NULL;
		}
		if (down) {
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
		}
	}
}

static double
final_score(struct ctx *c, xmlNodePtr n)
{
	struct ni *x = NI(c, n);

	return x->score * (1 - link_density(x));
}

static void
add_root(struct ctx *c, xmlNodePtr n)
{
	if (c->nroots == c->caproots) {
		c->caproots = c->caproots ? 2 * c->caproots : 16;
		c->roots = df_xrealloc(c->roots, c->caproots *
		    sizeof(*c->roots));
	}
	c->roots[c->nroots++] = n;
}

static int
is_ancestor(xmlNodePtr a, xmlNodePtr n)
{
	for (; n != NULL; n = n->parent)
		if (n == a)
			return 1;
	return 0;
}

/* Whether text ends like a sentence. */
static int
sentence_end(struct ctx *c, xmlNodePtr n)
{
	struct buf b = BUF_INIT;
	int r;

	(void)c;
	extract_node_text(n, &b);
	extract_squeeze(&b);
	r = b.len > 0 && (b.data[b.len - 1] == '.' || b.data[b.len - 1] ==
	    '!' || b.data[b.len - 1] == '?');
	buf_release(&b);
	return r;
}

#define NTOP 5

/* Choose the article: the best candidate, widened, with its siblings. */
static void
choose(struct ctx *c, xmlNodePtr root)
{
	xmlNodePtr top[NTOP] = { 0 }, n, p, best;
	double ts[NTOP] = { 0 }, s, bs, threshold, last;
	int i, j, k;

	c->nroots = 0;
	c->top = NULL;
	/* The NTOP best candidates. */
	n = root;
	for (;;) {
		int down = 0;

		if (live(c, n)) {
			if (NI(c, n)->flags & F_CAND) {
				s = final_score(c, n);
				NI(c, n)->score = s;
				for (i = 0; i < NTOP; i++)
					if (top[i] == NULL || s > ts[i]) {
						for (j = NTOP - 1; j > i; j--) {
							top[j] = top[j - 1];
							ts[j] = ts[j - 1];
						}
						top[i] = n;
						ts[i] = s;
						break;
					}
			}
			down = n->children != NULL;
		}
		if (down) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n == root)
				goto found;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
found:
	if (getenv("DF_EXTRACT_DEBUG") != NULL)
		for (i = 0; i < NTOP && top[i] != NULL; i++) {
			char ci[200];

			class_id(top[i], ci, sizeof(ci));
			fprintf(stderr, "top %d: %s [%s] score %.1f text %u "
			    "link %u\n", i, (const char *)top[i]->name, ci, ts[i],
			    NI(c, top[i])->text, NI(c, top[i])->link);
		}
	best = top[0];
	if (best == NULL || NI(c, best)->tag == T_BODY || NI(c, best)->tag ==
	    T_HTML) {
		if (best == NULL)
			best = root;
		c->top = best;
		add_root(c, best);
		return;
	}
	/* Close rivals sharing an ancestor: take the ancestor. */
	bs = ts[0];
	for (p = best->parent; p != NULL && HASNI(p) && NI(c, p)->tag !=
	    T_BODY; p = p->parent) {
		k = 0;
		for (i = 1; i < NTOP && k < 3; i++)
			if (top[i] != NULL && ts[i] >= 0.75 * bs &&
			    is_ancestor(p, top[i]))
				k++;
		if (k >= 3) {
			best = p;
			break;
		}
	}
	if (!HASNI(best)) {
		add_root(c, root);
		return;
	}
	/* Climb while the parent holds more of the score. */
	last = NI(c, best)->score;
	threshold = last / 3;
	for (p = best->parent; p != NULL && HASNI(p) && NI(c, p)->tag !=
	    T_BODY && NI(c, p)->tag != T_HTML; p = p->parent) {
		if (!(NI(c, p)->flags & F_CAND))
			continue;
		s = NI(c, p)->score;
		if (s < threshold)
			break;
		if (s > last) {
			best = p;
			break;
		}
		last = s;
	}
	/* A lone child: its parent holds the same content. */
	while (best->parent != NULL && HASNI(best->parent) &&
	    NI(c, best->parent)->tag != T_BODY &&
	    NI(c, best->parent)->tag != T_HTML &&
	    NI(c, best->parent)->text == NI(c, best)->text)
		best = best->parent;
	c->top = best;
	/* Siblings. */
	bs = NI(c, best)->score;
	threshold = bs * 0.2 > 10 ? bs * 0.2 : 10;
	if (best->parent == NULL) {
		add_root(c, best);
		return;
	}
	for (n = best->parent->children; n != NULL; n = n->next) {
		struct ni *x;

		if (n == best) {
			add_root(c, n);
			continue;
		}
		if (!live(c, n))
			continue;
		x = NI(c, n);
		if (x->text == 0)
			continue;
		if ((x->flags & F_CAND) && x->score >= threshold) {
			add_root(c, n);
			continue;
		}
		if (x->tag == T_P) {
			double ld = link_density(x);

			if (x->text > 80 && ld < 0.25)
				add_root(c, n);
			else if (x->text <= 80 && x->link == 0 &&
			    sentence_end(c, n))
				add_root(c, n);
		}
	}
}

static int data_table(struct ctx *c, xmlNodePtr t);

/* Readability's conditional cleaning: is this container boilerplate? */
static int
clean_away(struct ctx *c, xmlNodePtr n)
{
	struct ni *x = NI(c, n);
	int t = x->tag, is_list = t == T_UL || t == T_OL || t == T_DL;
	double ld, p, img, li, hd;
	int weight = x->weight;

	if (t == T_TABLE && data_table(c, n))
		return weight < 0 || link_density(x) > 0.5;
	if (!(t == T_DIV || t == T_SECTION || t == T_TABLE || t == T_UL ||
	    t == T_OL || t == T_DL || t == T_FORM || t == T_HEADER ||
	    t == T_CENTER))
		return 0;
	if ((x->flags & F_MARK) || (x->quote * 2 >= x->text && x->text > 0))
		return 0;
	if (weight + ((x->flags & F_CAND) && !is_list ? x->score : 0) < 0)
		return 1;
	if (x->commas >= 10)
		return 0;
	p = x->np;
	img = x->nimg;
	li = (double)x->nli - 100;
	ld = link_density(x);
	hd = x->text ? (double)x->nhead / x->text : 0;
	if (img > 1 && p / img < 0.5)
		return 1;
	if (!is_list && li > p)
		return 1;
	if (x->ninput > (unsigned)(p / 3))
		return 1;
	if (!is_list && hd < 0.9 && x->text < 25 && (img == 0 || img > 2))
		return 1;
	if (!is_list && weight < 25 && ld > 0.2)
		return 1;
	if (weight >= 25 && ld > 0.5)
		return 1;
	if ((x->nembed == 1 && x->text < 75) || x->nembed > 1)
		return 1;
	if (is_list && ld > 0.5)
		return 1;
	return 0;
}

/* Rendering. */

/* A block of the output: where it starts (its separator) and ends. */
struct block {
	size_t start, text, end;
	int heading;
};

struct out {
	struct ctx *c;
	struct block *blk;
	size_t nblk, capblk;
	struct buf *b;
	struct buf line;	/* the current block's inline text */
	int md;
	int sp;			/* the last byte of line is a space */
	int quote;		/* blockquote depth */
	int list;		/* list depth */
	int heading;		/* level of the open heading, or 0 */
	int item;		/* the open block is a list item */
	int item_no;		/* its number in an ordered list, or 0 */
	int tight;		/* the last block was a list item */
	int last_quote;		/* quote depth of the last block */
	int saved_item[32];	/* the item state outside each open list */
	int saved_no[32];
};

static void
line_add(struct out *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' ||
		    *p == '\f') {
			if (!w->sp && w->line.len > 0)
				buf_addc(&w->line, ' ');
			w->sp = 1;
		} else if (*p == 0xC2 && p[1] == 0xA0) {
			if (!w->sp && w->line.len > 0)
				buf_addc(&w->line, ' ');
			w->sp = 1;
			p++;
		} else {
			buf_addc(&w->line, (char)*p);
			w->sp = 0;
		}
	}
}

static void
prefix(struct out *w, int first)
{
	int i;

	if (!w->md)
		return;
	for (i = 0; i < w->quote; i++)
		buf_adds(w->b, "> ");
	if (w->item && w->list > 0) {
		for (i = 1; i < w->list; i++)
			buf_adds(w->b, "  ");
		if (first) {
			if (w->item_no > 0)
				buf_addf(w->b, "%d. ", w->item_no);
			else
				buf_adds(w->b, "- ");
		} else
			buf_adds(w->b, w->item_no > 0 ? "   " : "  ");
	}
}

/* Start a new block in the output (a blank line, or a newline in lists). */
static void
block_sep(struct out *w, int tight)
{
	int i;

	if (w->b->len == 0) {
		w->last_quote = w->quote;
		return;
	}
	buf_addc(w->b, '\n');
	if (!(tight && w->tight)) {
		int q = w->quote < w->last_quote ? w->quote : w->last_quote;

		if (w->md)
			for (i = 0; i < q; i++)
				buf_adds(w->b, i + 1 < q ? "> " : ">");
		buf_addc(w->b, '\n');
	}
	w->last_quote = w->quote;
}

/* Escape what markdown would read as markup at a line start. */
static void
md_text(struct buf *b, const char *s, size_t n, int line_start)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (line_start && i == 0 && (ch == '#' || ch == '>' ||
		    ((ch == '-' || ch == '+' || ch == '*') && n > 1 &&
		    s[1] == ' ')))
			buf_addc(b, '\\');
		buf_addc(b, ch);
	}
}

/* Record the block just written, from start to the end of the output. */
static void
add_block(struct out *w, size_t start, int heading)
{
	struct block *k;
	size_t t = start;

	if (w->nblk == w->capblk) {
		w->capblk = w->capblk ? 2 * w->capblk : 64;
		w->blk = df_xrealloc(w->blk, w->capblk * sizeof(*w->blk));
	}
	while (t < w->b->len && (w->b->data[t] == '\n' || w->b->data[t] ==
	    '>' || w->b->data[t] == ' '))
		t++;
	k = &w->blk[w->nblk++];
	k->start = start;
	k->text = t;
	k->end = w->b->len;
	k->heading = heading;
}

/* Whether a[0..n) and the C string b are the same text, case aside. */
static int
same_text(const char *a, size_t n, const char *b)
{
	size_t i;

	if (strlen(b) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Write the open block's text, if any. */
static void
flush(struct out *w)
{
	struct buf *l = &w->line;
	size_t s = 0, e = l->len;
	int i;

	while (s < e && l->data[s] == ' ')
		s++;
	while (e > s && l->data[e - 1] == ' ')
		e--;
	if (s < e && w->nblk < 4 && !w->item && w->c->title != NULL &&
	    same_text(l->data + s, e - s, w->c->title))
		s = e;	/* the headline again */
	if (s < e) {
		size_t start = w->b->len;

		block_sep(w, w->item);
		prefix(w, 1);
		if (w->md && w->heading) {
			for (i = 0; i < w->heading; i++)
				buf_addc(w->b, '#');
			buf_addc(w->b, ' ');
		}
		if (w->md)
			md_text(w->b, l->data + s, e - s, !w->item &&
			    !w->heading);
		else
			buf_add(w->b, l->data + s, e - s);
		w->tight = w->item;
		if (w->item)
			w->item = 2;	/* later blocks of the item: indent */
		add_block(w, start, w->heading);
	}
	buf_reset(l);
	w->sp = 0;
}

/* The raw text of a subtree, whitespace kept (for <pre>). */
static void
raw_text(struct ctx *c, xmlNodePtr root, struct buf *b)
{
	xmlNodePtr n = root;

	for (;;) {
		int down = 0;

		if (n->type == XML_TEXT_NODE || n->type ==
		    XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				buf_adds(b, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && HASNI(n)) {
			if (NI(c, n)->tag == T_BR)
				buf_addc(b, '\n');
			down = !(NI(c, n)->flags & F_DROP) && n->children !=
			    NULL;
		}
		if (down) {
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
			if (n == root)
				return;
		}
	}
}

static void
render_pre(struct out *w, xmlNodePtr n)
{
	struct buf t = BUF_INIT;
	const char *cls = NULL, *lang = NULL;
	size_t s = 0, e, i, ticks = 0, run = 0, start;
	xmlNodePtr k;

	flush(w);
	raw_text(w->c, n, &t);
	/* Drop leading and trailing blank lines only. */
	while (s < t.len && t.data[s] == '\n')
		s++;
	e = t.len;
	while (e > s && (t.data[e - 1] == '\n' || t.data[e - 1] == ' ' ||
	    t.data[e - 1] == '\t'))
		e--;
	if (s == e) {
		buf_release(&t);
		return;
	}
	start = w->b->len;
	block_sep(w, 0);
	w->tight = 0;
	if (w->md) {
		for (i = s; i < e; i++) {
			run = t.data[i] == '`' ? run + 1 : 0;
			if (run > ticks)
				ticks = run;
		}
		cls = attr_value(n, "class");
		for (k = n->children; cls == NULL && k != NULL; k = k->next)
			if (k->type == XML_ELEMENT_NODE && strcmp((const char *)
			    k->name, "code") == 0)
				cls = attr_value(k, "class");
		if (cls != NULL && (lang = strstr(cls, "language-")) != NULL)
			lang += 9;
		else if (cls != NULL && (lang = strstr(cls, "lang-")) != NULL)
			lang += 5;
		for (i = 0; i < (ticks >= 3 ? ticks + 1 : 3); i++)
			buf_addc(w->b, '`');
		for (; lang != NULL && *lang != '\0' && *lang != ' '; lang++)
			buf_addc(w->b, *lang);
		buf_addc(w->b, '\n');
	}
	buf_add(w->b, t.data + s, e - s);
	if (w->md) {
		buf_addc(w->b, '\n');
		for (i = 0; i < (ticks >= 3 ? ticks + 1 : 3); i++)
			buf_addc(w->b, '`');
	}
	add_block(w, start, 0);
	buf_release(&t);
}

/* Inline text of a table cell, squeezed, pipes escaped in markdown. */
static void
cell_text(struct out *w, xmlNodePtr n, struct buf *b)
{
	struct buf t = BUF_INIT;
	size_t i;

	extract_node_text(n, &t);
	extract_squeeze(&t);
	for (i = 0; i < t.len; i++) {
		if (w->md && t.data[i] == '|')
			buf_addc(b, '\\');
		buf_addc(b, t.data[i]);
	}
	buf_release(&t);
}

/* Whether a table holds data (rows of cells), not page layout. */
static int
data_table(struct ctx *c, xmlNodePtr t)
{
	xmlNodePtr n = t;
	unsigned cells = 0;

	for (;;) {
		int down = 0;

		if (n->type == XML_ELEMENT_NODE && HASNI(n)) {
			int tag = NI(c, n)->tag;

			if (n != t && (tag == T_TABLE || tag == T_P ||
			    tag == T_UL || tag == T_OL || tag == T_PRE ||
			    tag == T_BLOCKQUOTE || is_heading(tag)))
				return 0;
			if (tag == T_TD || tag == T_TH)
				cells++;
			down = n->children != NULL && tag != T_TD &&
			    tag != T_TH;
			if (tag == T_TD || tag == T_TH) {
				xmlNodePtr k;

				for (k = n->children; k != NULL; k = k->next)
					if (k->type == XML_ELEMENT_NODE &&
					    HASNI(k) && (NI(c, k)->tag == T_P ||
					    NI(c, k)->tag == T_DIV ||
					    NI(c, k)->tag == T_TABLE ||
					    NI(c, k)->tag == T_UL))
						return 0;
			}
		}
		if (down) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n == t)
				goto done;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == t)
				goto done;
		}
	}
done:
	return cells > 0 && NI(c, t)->text / cells < 400;
}

static void
render_table(struct out *w, xmlNodePtr t)
{
	struct ctx *c = w->c;
	xmlNodePtr n = t, k;
	int rows = 0, cols, maxcols = 0, i;
	struct buf row = BUF_INIT;
	size_t start;

	flush(w);
	start = w->b->len;
	for (;;) {
		int down = 0;

		if (n->type == XML_ELEMENT_NODE && live(c, n)) {
			if (NI(c, n)->tag == T_TR) {
				buf_reset(&row);
				cols = 0;
				for (k = n->children; k != NULL; k = k->next) {
					if (k->type != XML_ELEMENT_NODE ||
					    !live(c, k) || (NI(c, k)->tag !=
					    T_TD && NI(c, k)->tag != T_TH))
						continue;
					if (cols > 0 || w->md)
						buf_adds(&row, w->md ? " " :
						    " | ");
					cell_text(w, k, &row);
					if (w->md)
						buf_adds(&row, " |");
					cols++;
				}
				if (cols > 0) {
					if (rows == 0) {
						block_sep(w, 0);
						maxcols = cols;
					} else
						buf_addc(w->b, '\n');
					if (w->md)
						buf_addc(w->b, '|');
					buf_add(w->b, row.data, row.len);
					if (w->md && cols < maxcols)
						for (i = cols; i < maxcols; i++)
							buf_adds(w->b, "  |");
					if (w->md && rows == 0) {
						buf_addc(w->b, '\n');
						buf_addc(w->b, '|');
						for (i = 0; i < maxcols; i++)
							buf_adds(w->b, " --- |");
					}
					rows++;
				}
			} else
				down = n->children != NULL;
		}
		if (down) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n == t)
				goto done;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == t)
				goto done;
		}
	}
done:
	w->tight = 0;
	if (rows > 0)
		add_block(w, start, 0);
	buf_release(&row);
}

/* Whether to leave out a live block at render time. */
static int
skip_block(struct out *w, xmlNodePtr n)
{
	struct ctx *c = w->c;
	struct ni *x = NI(c, n);
	double ld = link_density(x);

	if (x->text == 0 && x->tag != T_BR && x->tag != T_HR)
		return x->tag != T_TD && x->tag != T_TH;
	if (x->tag == T_H1)
		return 1;
	if (is_heading(x->tag) && ld > 0.33)
		return 1;
	if ((x->tag == T_P || x->tag == T_LI || x->tag == T_DIV ||
	    x->tag == T_SECTION || x->tag == T_DD || x->tag == T_DT ||
	    is_heading(x->tag)) && ld >= 0.8)
		return 1;
	if (n != w->c->top && !c->comment_mode && clean_away(c, n))
		return 1;
	return 0;
}

/* Render the subtree at root into w. */
static void
render(struct out *w, xmlNodePtr root)
{
	struct ctx *c = w->c;
	xmlNodePtr n = root;
	int t;

	for (;;) {
		int down = 0;

		if (n->type == XML_TEXT_NODE || n->type ==
		    XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				line_add(w, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && live(c, n)) {
			t = NI(c, n)->tag;
			if (is_block(t) && skip_block(w, n))
				;
			else if (t == T_PRE)
				render_pre(w, n);
			else if (t == T_TABLE && data_table(c, n))
				render_table(w, n);
			else if (t == T_BR) {
				if (w->line.len > 0 && w->md)
					flush(w);
				else if (w->line.len > 0) {
					/* A line break in text. */
					while (w->line.len > 0 &&
					    w->line.data[w->line.len - 1] == ' ')
						w->line.len--;
					buf_addc(&w->line, '\n');
					w->sp = 1;
				}
			} else if (t == T_CODE && w->md && n->children !=
			    NULL) {
				buf_addc(&w->line, '`');
				w->sp = 0;
				down = 1;
			} else {
				if (is_block(t))
					flush(w);
				if (is_heading(t))
					w->heading = t - T_H1 + 1;
				else if (t == T_BLOCKQUOTE)
					w->quote++;
				else if (t == T_UL || t == T_OL || t == T_DL) {
					if (w->list < 32) {
						w->saved_item[w->list] = w->item;
						w->saved_no[w->list] = w->item_no;
					}
					w->list++;
				}
				else if (t == T_LI || t == T_DD ||
				    t == T_DT) {
					w->item = 1;
					w->item_no = 0;
					if (n->parent != NULL &&
					    HASNI(n->parent) &&
					    NI(c, n->parent)->tag == T_OL) {
						xmlNodePtr s;
						int no = 1;

						for (s = n->prev; s != NULL;
						    s = s->prev)
							if (s->type ==
							    XML_ELEMENT_NODE)
								no++;
						w->item_no = no;
					}
				}
				down = n->children != NULL;
				if (!down)
					goto up;
			}
		}
		if (down) {
			n = n->children;
			continue;
		}
		for (;;) {
			if (n == root)
				goto done;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
up:
			/* Leaving element n. */
			if (n->type == XML_ELEMENT_NODE && HASNI(n)) {
				t = NI(c, n)->tag;
				if (t == T_CODE && w->md) {
					buf_addc(&w->line, '`');
					w->sp = 0;
				}
				if (is_block(t))
					flush(w);
				if (is_heading(t))
					w->heading = 0;
				else if (t == T_BLOCKQUOTE && w->quote > 0)
					w->quote--;
				else if ((t == T_UL || t == T_OL ||
				    t == T_DL) && w->list > 0) {
					w->list--;
					if (w->list < 32) {
						w->item = w->saved_item[w->list];
						w->item_no = w->saved_no[w->list];
					}
					/* A nested list goes on tight. */
					w->tight = w->list > 0;
				} else if (t == T_LI || t == T_DD ||
				    t == T_DT)
					w->item = 0;
			}
			if (n == root)
				goto done;
		}
	}
done:
	flush(w);
}

/* Find the comment sections: outermost F_COMMENTS subtrees. */
static void
find_comments(struct ctx *c, xmlNodePtr root)
{
	xmlNodePtr n = root;

	for (;;) {
		int down = 0;

		if (n->type == XML_ELEMENT_NODE && HASNI(n)) {
			struct ni *x = NI(c, n);

			if ((x->flags & F_COMMENTS) && !(x->flags & F_DROP) &&
			    !(x->flags & (F_MARK | F_HASMARK))) {
				if (c->ncomments == c->capcomments) {
					c->capcomments = c->capcomments ?
					    2 * c->capcomments : 8;
					c->comments = df_xrealloc(c->comments,
					    c->capcomments *
					    sizeof(*c->comments));
				}
				c->comments[c->ncomments++] = n;
			} else
				down = !(x->flags & F_DROP) && n->children !=
				    NULL;
		}
		if (down) {
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
		}
	}
}

/* Clear the per-node data for another run. */
static void
reset(struct ctx *c, xmlNodePtr root)
{
	xmlNodePtr n = root;

	c->nni = 0;
	for (;;) {
		if (n->type == XML_ELEMENT_NODE) {
			n->_private = NULL;
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
		}
		for (;;) {
			if (n == root)
				return;
			if (n->next != NULL) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

/* Phrases of the boxes around an article: newsletter, follow, rights. */
static const char *const edge_phrases[] = { "subscribe", "newsletter",
	"sign up", "signup", "click here", "follow us", "follow her",
	"follow him", "follow me", "all rights reserved", "copyright",
	"\xc2\xa9", "tell us what", "share this", "have a tip",
	"may be reached at", "contact us", "email us",
	"delivered to your inbox", NULL };
/* Words that give a box away only in a short line ("12 comments"). */
static const char *const edge_short[] = { "comments", "read more",
	"related", "advertisement", "sponsored", "posted in", "filed under",
	"tagged", "tags", "more:", "see also", NULL };

static int
edge_boiler(const char *p, size_t n)
{
	char s[320];
	size_t i, chars = extract_chars(p, n);

	if (chars > 250)
		return 0;
	for (i = 0; i < n && i + 1 < sizeof(s); i++)
		s[i] = (char)tolower((unsigned char)p[i]);
	s[i] = '\0';
	return has_any(s, edge_phrases) || (chars <= 60 && has_any(s,
	    edge_short));
}

/*
 * Leave out headings at the end, and short blocks at either end that read
 * as the boxes around an article.
 */
static void
trim_edges(struct out *w)
{
	struct block *k;
	size_t cut, i, n = 0;

	while (w->nblk > 0) {
		k = &w->blk[w->nblk - 1];
		if (!k->heading && !edge_boiler(w->b->data + k->text, k->end -
		    k->text))
			break;
		if (n++ >= 4)
			break;
		w->b->len = k->start;
		w->nblk--;
	}
	for (i = 0; i < w->nblk && i < 2; i++) {
		k = &w->blk[i];
		if (!edge_boiler(w->b->data + k->text, k->end - k->text))
			break;
	}
	if (i > 0 && i < w->nblk) {
		cut = w->blk[i].text;
		memmove(w->b->data, w->b->data + cut, w->b->len - cut);
		w->b->len -= cut;
	} else if (i > 0)
		w->b->len = 0;
	if (w->b->cap)
		w->b->data[w->b->len] = '\0';
}

/* One run of the passes; the text in b. */
static void
run(struct ctx *c, xmlNodePtr root, struct buf *b)
{
	struct out w;
	size_t i;

	reset(c, root);
	mark_and_count(c, root);
	score(c, root);
	choose(c, root);
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.b = b;
	w.md = c->o->format == EXTRACT_MARKDOWN;
	if (getenv("DF_EXTRACT_DEBUG") != NULL)
		for (i = 0; i < c->nroots; i++) {
			char ci[200];

			class_id(c->roots[i], ci, sizeof(ci));
			fprintf(stderr, "root %zu: %s [%s] text %u%s\n", i,
			    (const char *)c->roots[i]->name, ci,
			    NI(c, c->roots[i])->text, c->roots[i] == c->top ?
			    " (top)" : "");
		}
	for (i = 0; i < c->nroots; i++)
		if (live(c, c->roots[i]))
			render(&w, c->roots[i]);
	trim_edges(&w);
	buf_release(&w.line);
	free(w.blk);
}

void
extract_result_init(struct extract_result *r)
{
	memset(r, 0, sizeof(*r));
}

void
extract_result_release(struct extract_result *r)
{
	int k;

	buf_release(&r->text);
	buf_release(&r->comments);
	for (k = 0; k < META_N; k++)
		free(r->meta[k]);
	memset(r, 0, sizeof(*r));
}

#define MIN_RESULT 250

int
extract_page(const char *html, size_t n, const char *url,
    const struct extract_opts *o, struct extract_result *r)
{
	htmlDocPtr doc;
	struct ctx c;
	struct buf ld = BUF_INIT;
	xmlNodePtr root;
	size_t i;

	if (n > INT32_MAX)
		n = INT32_MAX;
	doc = htmlReadMemory(html, (int)n, NULL, "UTF-8", HTML_PARSE_RECOVER |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	    HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS);
	if (doc == NULL)
		return n == 0 ? 0 : -1;	/* nothing at all is no content */
	root = xmlDocGetRootElement(doc);
	if (root == NULL) {
		xmlFreeDoc(doc);
		return 0;
	}
	extract_meta(doc, url, r, &ld);
	memset(&c, 0, sizeof(c));
	c.doc = doc;
	c.o = o;
	c.title = r->meta[META_TITLE];
	run(&c, root, &r->text);
	if (extract_chars(r->text.data ? r->text.data : "", r->text.len) <
	    MIN_RESULT) {
		struct buf again = BUF_INIT;

		c.relax = 1;
		run(&c, root, &again);
		if (again.len > r->text.len) {
			buf_release(&r->text);
			r->text = again;
		} else
			buf_release(&again);
		c.relax = 0;
		if (extract_chars(r->text.data ? r->text.data : "",
		    r->text.len) < MIN_RESULT && ld.len > r->text.len) {
			buf_reset(&r->text);
			buf_add(&r->text, ld.data, ld.len);
		}
	}
	if (o->comments) {
		struct out w;

		/* Counted again with no boilerplate marks honoured. */
		c.relax = 1;
		c.comment_mode = 1;
		c.title = NULL;
		reset(&c, root);
		mark_and_count(&c, root);
		find_comments(&c, root);
		memset(&w, 0, sizeof(w));
		w.c = &c;
		w.b = &r->comments;
		w.md = o->format == EXTRACT_MARKDOWN;
		c.top = NULL;
		for (i = 0; i < c.ncomments; i++)
			render(&w, c.comments[i]);
		buf_release(&w.line);
		free(w.blk);
	}
	extract_normalize(&r->text, o->norm);
	extract_normalize(&r->comments, o->norm);
	free(c.ni);
	free(c.roots);
	free(c.comments);
	buf_release(&ld);
	xmlFreeDoc(doc);
	return 0;
}
