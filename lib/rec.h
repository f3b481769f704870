/*
 * Record helpers: field paths (--field .a.b), reading a field's JSON text
 * straight from a scanned line, and compiled jq programs (--where, --key).
 */
#ifndef DF_REC_H
#define DF_REC_H

#include <stddef.h>

#include <jq.h>
#include <jv.h>

#include "buf.h"
#include "diag.h"
#include "json.h"

/*
 * A field path: a chain of object keys such as .text, .meta.lang,
 * ."odd key" or .["a"].  Array indices are not paths a record field can
 * live at, so they are refused.
 */
struct field {
	char *text;		/* as given, for messages */
	char **key;		/* decoded keys */
	size_t *keylen;
	size_t n;		/* number of keys, >= 1 */
	char *name;		/* the last key, NUL-terminated, for messages */
};

/*
 * Parse a path.  Returns 0, or -1 with a message in err (errsz bytes).
 * The field must be released with field_release.
 */
int field_parse(struct field *f, const char *text, char *err, size_t errsz)
    __attribute__((warn_unused_result));

void field_release(struct field *f);

/*
 * Find the field's value in the scanned record s (o its top-level members).
 * On success stores the value's span in *off and *len and its kind in
 * *kind and returns 1; returns 0 when a key along the path is missing or
 * a value on the way is not an object.  Consumes nothing.
 */
int field_find(const struct field *f, const char *s, const struct json_obj *o,
    size_t *off, size_t *len, enum json_kind *kind);

/*
 * Read the field from a parsed record.  Borrows rec.  Returns a new
 * reference: the value, or jv_invalid() (no message) when missing.
 */
jv field_get_jv(const struct field *f, jv rec);

/* The field as a jq path array, e.g. ["meta","lang"].  A new reference. */
jv field_path_jv(const struct field *f);

/*
 * Set the field in a parsed record, creating objects on the way.
 * Consumes rec and val; returns the new record, or an invalid with a
 * message when a value on the way is not an object.
 */
jv field_set_jv(const struct field *f, jv rec, jv val);

/*
 * A compiled jq program, owned by one thread.
 */
struct jqprog {
	jq_state *jq;
	struct buf err;		/* messages from the last compile or run */
};

/*
 * Compile text.  Returns 0, or -1 with the compiler's first message
 * in p->err.
 */
int jqprog_compile(struct jqprog *p, const char *text)
    __attribute__((warn_unused_result));

void jqprog_release(struct jqprog *p);

/*
 * Run the program on input (consumed) and return its first output as a
 * new reference.  Returns 0, or -1 with e set (reason "jq-error" for a
 * runtime error, or "no-value" when it produced nothing).
 */
int jqprog_first(struct jqprog *p, jv input, jv *out, struct df_err *e)
    __attribute__((warn_unused_result));

/*
 * Run the program on input (consumed) as a condition: *truth is 1 when
 * its first output is neither false nor null.  Returns 0 or -1 as above.
 */
int jqprog_test(struct jqprog *p, jv input, int *truth, struct df_err *e)
    __attribute__((warn_unused_result));

/*
 * Append the canonical text of v (consumed) to b: a string as its UTF-8
 * bytes, anything else as compact JSON with sorted keys.  This is what
 * hashing a key or a label sees.
 */
void rec_canonical(struct buf *b, jv v);

/*
 * Append the canonical text of the JSON value s[0..len) of kind k, found
 * by a scan: a string decoded, a number, true, false or null as written
 * (so ids beyond 2^53 stay distinct), an object or array through jv with
 * sorted keys.  Agrees with rec_canonical except on numbers libjq would
 * round or respell (1.0, 1e2, 2^53 + 1).
 */
void rec_canonical_span(struct buf *b, const char *s, size_t len,
    enum json_kind k);

#endif
