/*
 * The record loop every datafactory program runs (DESIGN.md, STYLE.md 4.2).
 *
 * A program supplies a per-record function; filter_run() owns the rest:
 * operands (every one opened before any is read, "-" for stdin), reading
 * lines with file:line locations, rejecting what is not a JSON object,
 * --where, -j worker threads whose output comes out in input order byte
 * for byte as with -j 1, --rejects, --stats, progress, the exit status,
 * and checked writes to standard output.
 *
 * Records travel as their original bytes, checked by the scanner of
 * json.h; a program that needs the parsed value asks for it with
 * rec_value().  Output written with emit_set() is the input line with one
 * field spliced in, so fields a program does not own pass through
 * byte for byte.
 */
#ifndef DF_FILTER_H
#define DF_FILTER_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include <jv.h>

#include "buf.h"
#include "diag.h"
#include "json.h"
#include "rec.h"

#define FILTER_MAXCHAN 32

/* One input record as the loop hands it to a program. */
struct rec {
	const char *line;	/* the record's bytes, trimmed, NUL-terminated */
	size_t len;
	/*
	 * Its top-level members.  In the ordered phase the record is not
	 * scanned again unless asked: use rec_obj() there.
	 */
	const struct json_obj *obj;
	struct json_obj *objbuf;	/* where rec_obj() scans into */
	const char *file;	/* operand name, "<stdin>" for stdin */
	unsigned long lineno;
	jv v;			/* parsed on demand by rec_value() */
	int parsed;
	int ref;		/* from a reference operand (filter.nref) */
};

/* The record's top-level members, scanning it now if need be. */
const struct json_obj *rec_obj(struct rec *r);

/*
 * The parsed record.  Returns a new reference (the loop keeps its own and
 * frees it after the record is done).
 */
jv rec_value(struct rec *r);

/* Where a program's output for the current record goes. */
struct emit;

/* Emit len bytes (one JSON text, no newline) as a record on channel chan. */
void emit_line(struct emit *o, int chan, const char *p, size_t len);

/* Emit the record r unchanged on channel chan. */
void emit_rec(struct emit *o, int chan, const struct rec *r);

/* Emit v as a compact JSON record on channel chan.  Consumes v. */
void emit_jv(struct emit *o, int chan, jv v);

/*
 * Emit r with field f set to the JSON text json[0..len).  A top-level
 * field is spliced into the original bytes: replaced in place when
 * present, else appended as the last member.  A nested field goes
 * through the parsed record.  Returns 0, or -1 with e set when a value on
 * the way to a nested field is not an object.
 */
int emit_set(struct emit *o, int chan, struct rec *r, const struct field *f,
    const char *json, size_t len, struct df_err *e)
    __attribute__((warn_unused_result));

/*
 * Emit r with n top-level or nested fields set at once, as emit_set does
 * for one.  Returns 0, or -1 with e set.
 */
int emit_set_fields(struct emit *o, int chan, struct rec *r, int n,
    const struct field *const *f, const char *const *json,
    const size_t *len, struct df_err *e)
    __attribute__((warn_unused_result));

/*
 * Drop r without it being an error (a duplicate, a record below a
 * threshold): it goes to --rejects with the reason, and extra (JSON
 * object members such as "\"dup_of\":\"a\"", or NULL) inside _reject.
 */
void emit_drop(struct emit *o, struct rec *r, const char *reason,
    const char *message, const char *extra);

/*
 * Reject r as an error (a diagnostic with its location, exit 1), as
 * returning -1 from the record function does, with extra (JSON object
 * members, or NULL) inside _reject: for a program that keeps what it
 * had, such as a reply that failed a check, beside the reason.
 */
void emit_error(struct emit *o, struct rec *r, const char *reason,
    const char *message, const char *extra);

/*
 * Leave len bytes for the ordered phase (filter.ordered) of this record.
 */
void emit_memo(struct emit *o, const void *p, size_t len);

/*
 * The per-record function, run on worker threads.  wctx is the worker's
 * own context (filter.worker_new).  Returns 0, or -1 with e set: the
 * record is rejected as an error with e->reason and e->msg.
 */
typedef int filter_fn(struct rec *r, struct emit *o, void *wctx,
    struct df_err *e);

/*
 * The optional ordered phase, run on the main thread in input order for
 * every record the per-record function accepted, with what it left by
 * emit_memo().  When a program has one, its output must come from here.
 */
typedef int filter_ordered_fn(struct rec *r, const void *memo, size_t len,
    struct emit *o, void *arg, struct df_err *e);

struct filter {
	/* Options every program takes (filter_option). */
	const char *rejects_path;
	const char *stats_path;
	const char *where;
	long long max_record;
	int jobs;
	int strict;
	int quiet;
	int progress;
	int unbuffered;

	/* What the program supplies. */
	filter_fn *fn;
	filter_ordered_fn *ordered;
	void *(*worker_new)(void *arg);
	void (*worker_free)(void *wctx);
	/*
	 * After every operand is open, before the first is read: the place
	 * to create output folders, so a missing operand leaves nothing.
	 */
	void (*start)(void *arg);
	/*
	 * Optional: after each batch of records is written and flushed, in
	 * input order (a program keeping a journal of what it wrote, such
	 * as df-fetch --state, records it here).  Main thread.
	 */
	void (*committed)(void *arg);
	/* At the end of input, before stats; returns 0 or -1 (exit 1). */
	int (*finish)(void *arg);
	/* Extra members for the --stats object ("\"k\":v,..."), or none. */
	void (*stats_extra)(void *arg, struct buf *b);
	void *arg;
	FILE *chan[FILTER_MAXCHAN];	/* output channels; 0 is stdout */
	const char *chan_name[FILTER_MAXCHAN];
	int nchan;
	int one_to_one;		/* every record in is one out or rejected */
	/*
	 * Records per batch handed to a worker (0: the default, 2048).  A
	 * program whose records each take long (a file to convert) sets a
	 * small number so that -j spreads even a short input.
	 */
	int batch_lines;
	/*
	 * The first nref operands are reference data (df-dedup --against):
	 * their records reach the program with rec.ref set, must not be
	 * emitted, and are counted as "reference", not "in".
	 */
	int nref;
	/*
	 * With an ordered phase: how many records to read and hand to the
	 * per-record function beyond the oldest batch before that batch's
	 * ordered phase runs (0: none, the default).  For a program whose
	 * per-record function starts work that the ordered phase waits
	 * for (network requests, llm.h), so the work of later records
	 * overlaps the wait.  With -j 1 they have run by then; with -j N
	 * they are handed to the workers, which run them meanwhile.  The oldest batch goes anyway when the input
	 * has nothing more to read right now, so interactive use is not
	 * held up.
	 */
	size_t lookahead;
	/*
	 * Optional: a line that is not JSON is offered here before it is
	 * rejected.  Return 1 after appending to rec the JSON object to use
	 * in its place (df-fetch reads a bare URL as {"url":"..."}), or 0
	 * to reject the line as usual.  Runs on the worker threads.
	 */
	int (*bare)(const char *line, size_t len, struct buf *rec, void *arg);

	/* For --stats. */
	int argc;
	char **argv;

	/* Counts, valid after filter_run. */
	unsigned long long n_in, n_out, n_passed, n_errors, n_rejected, n_ref;
};

/*
 * Long options every program shares; list them in the program's own
 * alphasorted table with these values.
 */
enum {
	FILTER_OPT_MAX_RECORD = 0x100,
	FILTER_OPT_PROGRESS,
	FILTER_OPT_REJECTS,
	FILTER_OPT_STATS,
	FILTER_OPT_STRICT,
	FILTER_OPT_WHERE,
	FILTER_OPT_LAST		/* programs number their own from here */
};

#define FILTER_LONGOPTS_HELP \
"  -j, --jobs N          worker threads (default 1); output is the same\n" \
"      --max-record BYTES  reject longer lines (default 64M; k, M, G)\n" \
"      --progress        show progress even when stderr is not a terminal\n" \
"  -q, --quiet           no progress and no warnings (errors still shown)\n" \
"      --rejects FILE    write rejected records there, reason attached\n" \
"      --stats FILE      write a JSON summary of the run there\n" \
"      --strict          stop at the first bad record (exit 1)\n" \
"  -u, --unbuffered      flush output after every record\n" \
"      --where EXPR      work only on records for which the jq condition\n" \
"                        holds; the others pass through untouched\n" \
"  -h, --help            show this help and exit\n" \
"  -V, --version         show the version and exit\n"

/* Set the defaults. */
void filter_init(struct filter *f, int argc, char *argv[]);

/*
 * Handle one of the shared options (ch from getopt_long: 'j', 'q', 'u'
 * or a FILTER_OPT_* value).  Returns 1 when it was one, 0 when not.
 * A bad value is a usage error (exit 2).
 */
int filter_option(struct filter *f, int ch, const char *arg);

/*
 * Run the loop over the operands (stdin when there are none).  Returns
 * the exit status: 0, or 1 when a record failed or was malformed.  Exits
 * 2 itself on an operand it cannot open or a write error.
 */
int filter_run(struct filter *f, int argc, char *argv[]);

/*
 * Open path for writing through a temporary name beside it; commit with
 * filter_file_commit (rename into place) or abandon with
 * filter_file_abort.  Temporary files still open are removed when the
 * program is killed by SIGINT, SIGTERM, SIGHUP or SIGPIPE.  Exits 2 on
 * failure, naming path.
 */
FILE *filter_file_open(const char *path);
void filter_file_commit(FILE *fp);
/*
 * Finish writing the temporary file fp and open it again for reading
 * from the start; it stays temporary (abort removes it).  Consumes fp;
 * returns the new stream.  Exits 2 on a write error.
 */
FILE *filter_file_reopen(FILE *fp);
void filter_file_abort(FILE *fp);

#endif
