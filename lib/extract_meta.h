/*
 * Internal to df-extract's lib/extract*.c: the metadata pass and what it
 * shares with the content pass.
 */
#ifndef DF_EXTRACT_META_H
#define DF_EXTRACT_META_H

#include <libxml/HTMLparser.h>

#include "buf.h"
#include "extract.h"

/*
 * Fill r->meta from the document (JSON-LD, OpenGraph, <meta>, <title>,
 * <html lang>, <link rel=canonical>, <time>, the URL), and put a JSON-LD
 * articleBody, when the page has one, in article_body.  url may be NULL.
 */
void extract_meta(htmlDocPtr doc, const char *url, struct extract_result *r,
    struct buf *article_body);

/*
 * Append the text of node n and its descendants, whitespace collapsed,
 * to b (iteratively; scripts and styles left out).
 */
void extract_node_text(xmlNodePtr n, struct buf *b);

/* Collapse runs of whitespace in b to one space and trim it. */
void extract_squeeze(struct buf *b);

/* A copy of the attribute's value, or NULL; free with xmlFree. */
char *extract_attr(xmlNodePtr n, const char *name);

#endif
