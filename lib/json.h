/*
 * A fast, strict JSON scanner for JSON Lines records.
 *
 * Most stages look at one or two fields of a record and pass the rest
 * through.  Parsing every line into a jv tree and printing it again costs
 * more than the work itself, and it rewrites what it does not own (numbers
 * lose digits, escapes change form).  This scanner validates a line as one
 * JSON object (RFC 8259, UTF-8 checked) and reports where its top-level
 * members are, so a stage can read a field and splice a new one into the
 * original bytes.  Nesting is limited exactly as libjq 1.6 limits it, so
 * whatever passes here libjq can parse: JSON_MAX_DEPTH parse-stack slots,
 * one per open array and two per open object (the object and the key whose
 * value is being read), i.e. 256 arrays or 128 objects deep.
 */
#ifndef DF_JSON_H
#define DF_JSON_H

#include <stddef.h>

#include "buf.h"

#define JSON_MAX_DEPTH 256

enum json_kind {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/* One member of an object: byte spans into the scanned text. */
struct json_member {
	size_t key_off;		/* the key's opening quote */
	size_t key_len;		/* through its closing quote */
	size_t val_off;		/* the value's first byte */
	size_t val_len;		/* through its last byte */
	enum json_kind kind;	/* the value's kind */
	int key_plain;		/* the key has no backslash escape */
};

/* The top-level members of a record, in order. */
struct json_obj {
	struct json_member *m;
	size_t n;
	size_t cap;
};

/*
 * Check that s[0..len) is exactly one JSON object, optionally surrounded by
 * JSON whitespace, and fill o with its top-level members (o is reset first;
 * its array grows as needed and is reused across calls).  Returns 0, or -1
 * with a lowercase message such as "invalid JSON at column 17: expected ':'"
 * or "not a JSON object" or "invalid UTF-8 at column 3" in err (errsz bytes,
 * always NUL-terminated).  *kind_out, when not NULL, receives the kind of the
 * top-level value when it is valid JSON but not an object, so callers can
 * tell "not JSON" from "not an object"; it is set to JSON_OBJECT on success
 * and when the text is not valid JSON.  A \u escape of a surrogate must
 * be the high half of a pair followed by the low half: a lone one is
 * refused, as it stands for no character.  Columns count bytes from 1.
 */
int json_scan_object(const char *s, size_t len, struct json_obj *o,
    enum json_kind *kind_out, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/*
 * Check that s[0..len) is exactly one JSON value of any kind (whitespace
 * around it allowed).  Returns 0, or -1 with a message in err as above.
 */
int json_validate(const char *s, size_t len, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* Free the member array of o. */
void json_obj_release(struct json_obj *o);

/*
 * Find the top-level member whose decoded key equals key[0..keylen) in the
 * already scanned text s; of duplicate keys the last, as jq reads them.
 * Returns its index in o, or -1.
 */
long json_obj_find(const struct json_obj *o, const char *s, const char *key,
    size_t keylen);

/*
 * Decode the JSON string literal s[0..len) (with its quotes) and append its
 * UTF-8 bytes to b.  Returns 0, or -1 when it is not a string literal or
 * holds an unpaired surrogate escape (\ud800 alone; the scanner refuses
 * those), which is decoded as U+FFFD and still appended.
 */
int json_string_decode(const char *s, size_t len, struct buf *b);

/*
 * Append s[0..len) to b as a JSON string literal with its quotes: '"', '\\'
 * and control characters escaped (\n, \t, \r, \b, \f, else \u00XX), all
 * other bytes copied.  The input must be valid UTF-8.
 */
void json_string_encode(struct buf *b, const char *s, size_t len);

/*
 * Check that s[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF).  Returns the offset of the first bad byte, or len when
 * it is all valid.
 */
size_t utf8_valid_prefix(const char *s, size_t len);

#endif
