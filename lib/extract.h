/*
 * Main content and metadata out of an HTML page (df-extract).
 *
 * extract_page() decodes the page the HTML5 way (extract_decode), parses
 * it with libxml2's HTML parser, reads the metadata (JSON-LD, OpenGraph,
 * <meta>, <title>, <html lang>, <link rel=canonical>), removes
 * boilerplate (navigation, headers and footers, banners, share and
 * newsletter boxes, related lists, comments, ads, hidden elements),
 * scores the remaining blocks to find the article container, and renders
 * it as plain text or markdown.  Every tree walk is iterative and every
 * pass is linear in the page, so time per page stays bounded; libxml2
 * itself stops nesting at 256 levels.
 */
#ifndef DF_EXTRACT_H
#define DF_EXTRACT_H

#include <stddef.h>

#include "buf.h"

enum extract_format { EXTRACT_TEXT, EXTRACT_MARKDOWN };
enum extract_norm { EXTRACT_NFC, EXTRACT_NFKC, EXTRACT_NONE };

struct extract_opts {
	enum extract_format format;
	enum extract_norm norm;
	int comments;		/* also render the comment section */
};

/* The metadata fields, in output order. */
enum {
	META_TITLE,
	META_AUTHOR,
	META_DATE,
	META_DATE_MODIFIED,
	META_LANG,
	META_DESCRIPTION,
	META_SITE_NAME,
	META_CANONICAL_URL,
	META_IMAGE,
	META_PAGE_TYPE,
	META_N
};

/* The output key of each metadata field ("title", "date_modified", ...). */
extern const char *const extract_meta_key[META_N];

struct extract_result {
	struct buf text;	/* main content, UTF-8, normalised */
	struct buf comments;	/* with opts.comments */
	char *meta[META_N];	/* NUL-terminated UTF-8, or NULL */
	const char *charset;	/* the encoding the bytes were read as */
};

/* Empty results; release with extract_result_release. */
void extract_result_init(struct extract_result *r);
void extract_result_release(struct extract_result *r);

/*
 * Decode the bytes p[0..n) of an HTML page to UTF-8 into out, the HTML5
 * way: a byte order mark, else the transport charset (NULL if none), else
 * a <meta> charset in the first bytes, else UTF-8 when the bytes are valid
 * UTF-8, else ICU's detector, else windows-1252.  A declared UTF-8 that
 * the bytes are not, or a declared single-byte charset on bytes that are
 * valid multi-byte UTF-8, is overruled.  Invalid sequences become U+FFFD
 * and NUL bytes are dropped, so out is always valid UTF-8.  Returns the
 * name of the encoding used (a static string).
 */
const char *extract_decode(const char *p, size_t n, const char *transport,
    struct buf *out);

/*
 * Clean UTF-8 text that is already decoded (a JSON string): drop a
 * leading byte order mark and NUL characters.  Appends to out.
 */
void extract_clean_utf8(const char *p, size_t n, struct buf *out);

/*
 * Extract from the UTF-8 page html[0..n) (see extract_decode) found at
 * url (may be NULL; used to resolve the canonical URL and image).  Fills
 * r.  Returns 0, or -1 when libxml2 could not build a document at all.
 */
int extract_page(const char *html, size_t n, const char *url,
    const struct extract_opts *o, struct extract_result *r)
    __attribute__((warn_unused_result));

/*
 * Normalise the UTF-8 text in b in place to NFC or NFKC (EXTRACT_NONE
 * leaves it).  Pure ASCII is left alone without a copy.
 */
void extract_normalize(struct buf *b, enum extract_norm norm);

/* The number of characters (code points) of UTF-8 text p[0..n). */
size_t extract_chars(const char *p, size_t n);

/* Whether the first bytes of p[0..n) look like binary data, not text. */
int extract_looks_binary(const char *p, size_t n);

#endif
