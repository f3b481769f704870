/*
 * robots.txt (RFC 9309): a parser that compiles a robots.txt body for one
 * crawler, and the matcher that answers whether a URL may be fetched.
 *
 * Matching follows RFC 9309 and, where the RFC leaves room, the choices
 * of Google's reference parser (google/robotstxt), whose test suite is
 * the conformance corpus: groups naming the crawler's product token are
 * merged, else the groups for "*"; the longest matching pattern wins and
 * allow wins a tie; "*" matches any sequence and a final "$" anchors;
 * patterns are percent-encoded before comparison (the URL is expected to
 * be encoded already).  Leniencies, as Google's: a missing colon
 * ("disallow /"), common typos of the directive names, a user-agent value
 * cut at its first character outside [A-Za-z_-], a (partial) UTF-8 BOM,
 * lines cut at 16663 bytes, and "index.htm*" allowing its directory.
 *
 * Outside the RFC: Crawl-delay of the chosen groups, and Sitemap lines.
 */
#ifndef DF_ROBOTS_H
#define DF_ROBOTS_H

#include <stddef.h>

/* The longest robots.txt body read; RFC 9309 2.5 asks for >= 500 KiB. */
#define ROBOTS_MAX_BYTES (500 * 1024)

struct robots;

/*
 * Compile txt[0..len) for the crawler agent.  Only the product token of
 * agent is matched: the text before its first '/' (so
 * "df-fetch/0.1 (+https://x/)" is "df-fetch"); an agent without a '/' is
 * used whole.  Bytes past ROBOTS_MAX_BYTES are ignored.  Never fails;
 * the result is freed with robots_free().
 */
struct robots *robots_parse(const char *txt, size_t len, const char *agent);

/*
 * A robots policy with no file: allow everything (allow != 0, as for a
 * robots.txt answering 4xx) or disallow everything (5xx, unreachable).
 */
struct robots *robots_new_all(int allow);

void robots_free(struct robots *r);

/*
 * Whether url (absolute, or a path such as "/a?b") may be fetched: 1 or
 * 0.  Only the path, parameters and query count; the fragment does not.
 */
int robots_allowed(const struct robots *r, const char *url);

/*
 * The Crawl-delay in seconds given to the groups that apply, or a
 * negative number when there is none.
 */
double robots_crawl_delay(const struct robots *r);

/* The Sitemap URLs listed, in order: count, and the i-th (borrowed). */
size_t robots_nsitemaps(const struct robots *r);
const char *robots_sitemap(const struct robots *r, size_t i);

/*
 * The path, parameters and query of url as robots.txt sees them ("/" when
 * there is none; no fragment), written to out (a malloc'd string the
 * caller frees).
 */
char *robots_url_path(const char *url);

#endif
