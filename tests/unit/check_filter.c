/*
 * Unit tests for lib/filter.c: output files written through a temporary
 * name, the options every program shares, and the record loop itself run
 * end to end over generated input.
 *
 * filter_run keeps its state in static variables, closes stdout and may
 * exit, so every run happens in a child of its own (fork and waitpid): the
 * tests then work whether Check forks or not.  The child reports its
 * counts through a pipe and its status through its exit code.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jv.h>

#include "buf.h"
#include "diag.h"
#include "filter.h"
#include "rec.h"
#include "suites.h"

/* Temporary directories and files. */

struct tdir {
	char dir[PATH_MAX];
};

static void
tdir_make(struct tdir *t)
{
	const char *base = getenv("TMPDIR");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(t->dir, sizeof(t->dir), "%s/check_filter.XXXXXX", base);
	ck_assert_msg(mkdtemp(t->dir) != NULL, "mkdtemp: %s", strerror(errno));
}

/* Fill p (PATH_MAX bytes) with the path of name inside t. */
static void
tdir_path(const struct tdir *t, const char *name, char *p)
{
	ck_assert(snprintf(p, PATH_MAX, "%s/%s", t->dir, name) < PATH_MAX);
}

/* Remove t and the files in it. */
static void
tdir_remove(struct tdir *t)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;

	d = opendir(t->dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		tdir_path(t, de->d_name, p);
		unlink(p);
	}
	closedir(d);
	rmdir(t->dir);
}

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void
spit(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	ck_assert_msg(fp != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/*
 * Read the file at path into b (reset first), which then always has
 * data, NUL-terminated.  Returns 0, or -1 when the file does not exist.
 */
static int
slurp(const char *path, struct buf *b)
{
	char chunk[65536];
	size_t n;
	FILE *fp;

	buf_reset(b);
	fp = fopen(path, "r");
	if (fp == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	ck_assert(!ferror(fp));
	fclose(fp);
	buf_grow(b, 1);
	return 0;
}

/* Check that the file at path holds exactly want. */
static void
file_is(const char *path, const char *want)
{
	struct buf b = BUF_INIT;

	ck_assert_msg(slurp(path, &b) == 0, "%s missing", path);
	ck_assert_msg(b.len == strlen(want) && memcmp(b.data, want, b.len) ==
	    0, "%s holds '%.*s', want '%s'", path, (int)b.len, b.data, want);
	buf_release(&b);
}

/* Count the lines of b[0..len). */
static size_t
count_lines(const struct buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		if (b->data[i] == '\n')
			n++;
	return n;
}

/*
 * Run fn(arg) in a child with stderr sent to errpath (when not NULL).
 * Returns its exit status, or 128 + the signal that killed it.  The child
 * reports through files and its status only: no Check assertions there.
 */
static int
in_child(void (*fn)(const void *), const void *arg, const char *errpath,
    pid_t *pidp)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (errpath != NULL && freopen(errpath, "w", stderr) == NULL)
			_exit(100);
		fn(arg);
		_exit(99);
	}
	if (pidp != NULL)
		*pidp = pid;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* (a) Output through a temporary file. */

/* Fill tmp with the temporary name filter_file_open uses for path. */
static void
tmp_name(const char *path, pid_t pid, char *tmp)
{
	ck_assert(snprintf(tmp, PATH_MAX, "%s.tmp.%ld", path, (long)pid) <
	    PATH_MAX);
}

START_TEST(test_file_commit)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct tdir t;
	FILE *fp;

	tdir_make(&t);
	tdir_path(&t, "out.jsonl", path);
	tmp_name(path, getpid(), tmp);
	fp = filter_file_open(path);
	ck_assert_ptr_nonnull(fp);
	ck_assert_msg(!exists(path), "%s exists while open", path);
	ck_assert_msg(exists(tmp), "%s missing while open", tmp);
	fputs("{\"a\":1}\n", fp);
	fprintf(fp, "{\"b\":%d}\n", 2);
	filter_file_commit(fp);
	file_is(path, "{\"a\":1}\n{\"b\":2}\n");
	ck_assert_msg(!exists(tmp), "%s left after commit", tmp);
	tdir_remove(&t);
}
END_TEST

START_TEST(test_file_commit_empty)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct tdir t;

	tdir_make(&t);
	tdir_path(&t, "empty", path);
	tmp_name(path, getpid(), tmp);
	filter_file_commit(filter_file_open(path));
	file_is(path, "");
	ck_assert(!exists(tmp));
	tdir_remove(&t);
}
END_TEST

START_TEST(test_file_abort)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct tdir t;
	FILE *fp;

	tdir_make(&t);
	tdir_path(&t, "out.jsonl", path);
	tmp_name(path, getpid(), tmp);
	fp = filter_file_open(path);
	ck_assert(!exists(path));
	ck_assert(exists(tmp));
	fputs("partial", fp);
	filter_file_abort(fp);
	ck_assert_msg(!exists(path), "%s exists after abort", path);
	ck_assert_msg(!exists(tmp), "%s left after abort", tmp);
	tdir_remove(&t);
}
END_TEST

/* An existing file keeps its old content until the commit. */
START_TEST(test_file_replace)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct tdir t;
	FILE *fp;

	tdir_make(&t);
	tdir_path(&t, "stats.json", path);
	tmp_name(path, getpid(), tmp);
	spit(path, "old\n", 4);

	fp = filter_file_open(path);
	fputs("new\n", fp);
	fflush(fp);
	file_is(path, "old\n");
	filter_file_abort(fp);
	file_is(path, "old\n");
	ck_assert(!exists(tmp));

	fp = filter_file_open(path);
	fputs("new\n", fp);
	fflush(fp);
	file_is(path, "old\n");
	filter_file_commit(fp);
	file_is(path, "new\n");
	ck_assert(!exists(tmp));
	tdir_remove(&t);
}
END_TEST

START_TEST(test_file_several)
{
	char p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX], tmp[PATH_MAX];
	struct tdir t;
	FILE *f1, *f2, *f3;

	tdir_make(&t);
	tdir_path(&t, "one", p1);
	tdir_path(&t, "two", p2);
	tdir_path(&t, "three", p3);
	f1 = filter_file_open(p1);
	f2 = filter_file_open(p2);
	f3 = filter_file_open(p3);
	fputs("1", f1);
	fputs("2", f2);
	fputs("3", f3);
	filter_file_abort(f2);
	filter_file_commit(f3);
	filter_file_commit(f1);
	file_is(p1, "1");
	ck_assert(!exists(p2));
	file_is(p3, "3");
	tmp_name(p1, getpid(), tmp);
	ck_assert(!exists(tmp));
	tmp_name(p2, getpid(), tmp);
	ck_assert(!exists(tmp));
	tmp_name(p3, getpid(), tmp);
	ck_assert(!exists(tmp));
	tdir_remove(&t);
}
END_TEST

/* In a child: open the file, write to it, and be killed by SIGTERM. */
static void
open_and_die(const void *arg)
{
	FILE *fp = filter_file_open(arg);

	fputs("half a record", fp);
	fflush(fp);
	raise(SIGTERM);
}

START_TEST(test_file_signal)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct tdir t;
	pid_t pid;
	int st;

	tdir_make(&t);
	tdir_path(&t, "out", path);
	st = in_child(open_and_die, path, NULL, &pid);
	ck_assert_int_eq(st, 128 + SIGTERM);
	tmp_name(path, pid, tmp);
	ck_assert_msg(!exists(tmp), "%s left after SIGTERM", tmp);
	ck_assert(!exists(path));
	tdir_remove(&t);
}
END_TEST

/* In a child: open a file where none can be made. */
static void
open_bad(const void *arg)
{
	(void)filter_file_open(arg);
	_exit(0);
}

START_TEST(test_file_open_fails)
{
	char path[PATH_MAX], err[PATH_MAX];
	struct buf b = BUF_INIT;
	struct tdir t;

	tdir_make(&t);
	tdir_path(&t, "no/such/dir/out", path);
	tdir_path(&t, "stderr", err);
	ck_assert_int_eq(in_child(open_bad, path, err, NULL), 2);
	ck_assert_int_eq(slurp(err, &b), 0);
	ck_assert_msg(strstr(b.data, "no/such/dir/out") != NULL, "%s",
	    b.data);
	buf_release(&b);
	tdir_remove(&t);
}
END_TEST

/* (b) The shared options. */

START_TEST(test_option_defaults)
{
	char *argv[] = { (char *)"df-test", NULL };
	struct filter f;

	memset(&f, 0x55, sizeof(f));
	filter_init(&f, 1, argv);
	ck_assert_int_eq(f.jobs, 1);
	ck_assert(f.max_record == 64LL << 20);
	ck_assert_int_eq(f.quiet, 0);
	ck_assert_int_eq(f.unbuffered, 0);
	ck_assert_int_eq(f.strict, 0);
	ck_assert_int_eq(f.progress, 0);
	ck_assert_ptr_null(f.rejects_path);
	ck_assert_ptr_null(f.stats_path);
	ck_assert_ptr_null(f.where);
	ck_assert(f.fn == NULL);
	ck_assert(f.ordered == NULL);
	ck_assert_ptr_eq(f.chan[0], stdout);
	ck_assert_int_eq(f.nchan, 1);
	ck_assert_int_eq(f.argc, 1);
	ck_assert_ptr_eq(f.argv, argv);
	ck_assert(f.n_in == 0 && f.n_out == 0 && f.n_errors == 0 &&
	    f.n_rejected == 0 && f.n_passed == 0);
}
END_TEST

START_TEST(test_option_set)
{
	char *argv[] = { (char *)"df-test", NULL };
	const char *rej = "r.jsonl", *stats = "s.json", *where = ".n > 1";
	struct filter f;

	filter_init(&f, 1, argv);
	ck_assert_int_eq(filter_option(&f, 'j', "3"), 1);
	ck_assert_int_eq(f.jobs, 3);
	ck_assert_int_eq(filter_option(&f, 'j', "1"), 1);
	ck_assert_int_eq(f.jobs, 1);
	ck_assert_int_eq(filter_option(&f, 'q', NULL), 1);
	ck_assert_int_eq(f.quiet, 1);
	ck_assert_int_eq(filter_option(&f, 'u', NULL), 1);
	ck_assert_int_eq(f.unbuffered, 1);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_MAX_RECORD, "1k"), 1);
	ck_assert(f.max_record == 1024);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_MAX_RECORD, "2M"), 1);
	ck_assert(f.max_record == 2LL << 20);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_MAX_RECORD, "100"), 1);
	ck_assert(f.max_record == 100);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_PROGRESS, NULL), 1);
	ck_assert_int_eq(f.progress, 1);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_REJECTS, rej), 1);
	ck_assert_str_eq(f.rejects_path, rej);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_STATS, stats), 1);
	ck_assert_str_eq(f.stats_path, stats);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_STRICT, NULL), 1);
	ck_assert_int_eq(f.strict, 1);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_WHERE, where), 1);
	ck_assert_str_eq(f.where, where);
	/* Nothing else moved. */
	ck_assert_int_eq(f.jobs, 1);
	ck_assert(f.max_record == 100);
	ck_assert_int_eq(f.nchan, 1);
}
END_TEST

START_TEST(test_option_other)
{
	char *argv[] = { (char *)"df-test", NULL };
	struct filter f, before;

	filter_init(&f, 1, argv);
	memcpy(&before, &f, sizeof(before));
	ck_assert_int_eq(filter_option(&f, 'x', "3"), 0);
	ck_assert_int_eq(filter_option(&f, 'h', NULL), 0);
	ck_assert_int_eq(filter_option(&f, 'V', NULL), 0);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_LAST, "1"), 0);
	ck_assert_int_eq(filter_option(&f, FILTER_OPT_LAST + 1, "1"), 0);
	ck_assert(memcmp(&f, &before, sizeof(f)) == 0);
}
END_TEST

struct badopt {
	int ch;
	const char *arg;
};

/* In a child: give the option a bad value, which must exit 2. */
static void
option_bad(const void *arg)
{
	const struct badopt *b = arg;
	char *argv[] = { (char *)"df-test", NULL };
	struct filter f;

	filter_init(&f, 1, argv);
	(void)filter_option(&f, b->ch, b->arg);
	_exit(0);
}

START_TEST(test_option_bad)
{
	static const struct badopt bad[] = {
		{ 'j', "0" }, { 'j', "257" }, { 'j', "x" }, { 'j', "" },
		{ 'j', "-1" }, { 'j', "2x" },
		{ FILTER_OPT_MAX_RECORD, "1" }, { FILTER_OPT_MAX_RECORD, "0" },
		{ FILTER_OPT_MAX_RECORD, "2T" }, { FILTER_OPT_MAX_RECORD, "" },
		{ FILTER_OPT_MAX_RECORD, "2048G" }
	};
	char err[PATH_MAX];
	struct buf b = BUF_INIT;
	struct tdir t;
	size_t i;

	tdir_make(&t);
	tdir_path(&t, "stderr", err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(in_child(option_bad, &bad[i], err, NULL) == 2,
		    "option %d '%s' did not exit 2", bad[i].ch, bad[i].arg);
		ck_assert_int_eq(slurp(err, &b), 0);
		ck_assert_msg(b.len > 0 && strstr(b.data, "--help") != NULL,
		    "option %d '%s': %s", bad[i].ch, bad[i].arg, b.data);
		buf_release(&b);
	}
	tdir_remove(&t);
}
END_TEST

/* (c) The record loop. */

/*
 * The test program: it sets .n3 (or .meta.sq on lines that are multiples
 * of 11 or 13) to three times the line number, and rejects every seventh
 * line with the reason "test-reason".
 */
struct fields {
	struct field top;
	struct field nested;
};

static void *
test_worker_new(void *arg)
{
	return arg;
}

static int
test_record(struct rec *r, struct emit *o, void *wctx, struct df_err *e)
{
	const struct fields *fl = wctx;
	const struct field *f;
	char num[32];
	int n;

	if (r->lineno % 7 == 0)
		return df_err_set(e, "test-reason", "line %lu is a multiple "
		    "of seven", r->lineno);
	n = snprintf(num, sizeof(num), "%lu", 3 * r->lineno);
	f = r->lineno % 11 == 0 || r->lineno % 13 == 0 ? &fl->nested :
	    &fl->top;
	return emit_set(o, 0, r, f, num, (size_t)n, e);
}

/* The kinds of generated line, and what the loop must make of them. */
enum kind {
	K_BLANK,	/* no record */
	K_BADJSON,	/* rejected: invalid-json */
	K_NOTOBJ,	/* rejected: not-object */
	K_REJECT,	/* rejected by the program: test-reason */
	K_NESTED,	/* .meta.sq set through the parsed record */
	K_BADNEST,	/* .meta is a string: bad-field */
	K_INPLACE,	/* .n3 replaced in place */
	K_APPEND	/* .n3 appended */
};

static enum kind
line_kind(unsigned long i)
{
	if (i % 500 == 250)
		return K_BLANK;
	if (i % 100 == 50)
		return K_BADJSON;
	if (i % 100 == 75)
		return K_NOTOBJ;
	if (i % 7 == 0)
		return K_REJECT;
	if (i % 11 == 0)
		return K_NESTED;
	if (i % 13 == 0)
		return K_BADNEST;
	if (i % 10 == 3)
		return K_INPLACE;
	return K_APPEND;
}

static const char *
kind_reason(enum kind k)
{
	switch (k) {
	case K_BADJSON:
		return "invalid-json";
	case K_NOTOBJ:
		return "not-object";
	case K_REJECT:
		return "test-reason";
	case K_BADNEST:
		return "bad-field";
	default:
		return NULL;
	}
}

/*
 * Generate line i: its record text (trimmed) in rec, and in out what the
 * program must write for it (empty when nothing).  The raw line, with
 * the white space the loop trims, is appended to in.  With where, odd
 * lines fail the --where condition and pass through untouched.
 */
static enum kind
gen_line(unsigned long i, int where, struct buf *in, struct buf *rec,
    struct buf *out)
{
	enum kind k = line_kind(i);

	buf_reset(rec);
	buf_reset(out);
	switch (k) {
	case K_BLANK:
		buf_adds(in, i % 1000 == 250 ? " \t\r" : "");
		return k;
	case K_BADJSON:
		buf_addf(rec, "{\"id\":\"%lu\",", i);
		break;
	case K_NOTOBJ:
		buf_addf(rec, "[%lu]", i);
		break;
	case K_REJECT:
		buf_addf(rec, "{\"id\":\"%lu\"}", i);
		break;
	case K_NESTED:
		buf_addf(rec, "{\"id\":\"%lu\",\"meta\":{\"lang\":\"fr\"}}", i);
		buf_addf(out, "{\"id\":\"%lu\",\"meta\":{\"lang\":\"fr\","
		    "\"sq\":%lu}}", i, 3 * i);
		break;
	case K_BADNEST:
		buf_addf(rec, "{\"id\":\"%lu\",\"meta\":\"x\"}", i);
		break;
	case K_INPLACE:
		buf_addf(rec, "{\"n3\":null,\"id\":\"%lu\",\"t\":\"caf\\u00e9 "
		    "\\\"q\\\"\"}", i);
		buf_addf(out, "{\"n3\":%lu,\"id\":\"%lu\",\"t\":\"caf\\u00e9 "
		    "\\\"q\\\"\"}", 3 * i, i);
		break;
	case K_APPEND:
		buf_addf(rec, "{\"id\":\"%lu\", \"text\" : \"line %lu "
		    "\xc3\xa9\"}", i, i);
		buf_addf(out, "{\"id\":\"%lu\", \"text\" : \"line %lu "
		    "\xc3\xa9\",\"n3\":%lu}", i, i, 3 * i);
		break;
	}
	if (where && k != K_BADJSON && k != K_NOTOBJ && i % 2 == 1) {
		buf_reset(out);
		buf_add(out, rec->data, rec->len);
	} else if (kind_reason(k) != NULL)
		buf_reset(out);
	if (i % 10 == 8)
		buf_adds(in, "  ");
	buf_add(in, rec->data, rec->len);
	if (i % 10 == 9)
		buf_adds(in, "\r");
	return k;
}

/* Whether line i, of kind k, is rejected. */
static int
is_rejected(unsigned long i, enum kind k, int where)
{
	if (k == K_BADJSON || k == K_NOTOBJ)
		return 1;
	if (where && i % 2 == 1)
		return 0;
	return kind_reason(k) != NULL;
}

/* What a run over generated input must give. */
struct expect {
	struct buf in;		/* the input file */
	struct buf out;		/* standard output */
	unsigned long long n_in, n_out, n_passed, n_rejected;
	unsigned long long by_reason[K_APPEND + 1];
};

/*
 * Generate lines first..last (the input ends without a newline when
 * nonl) and add what they must give to x.
 */
static void
expect_gen(struct expect *x, unsigned long first, unsigned long last,
    int where, int nonl)
{
	struct buf rec = BUF_INIT, out = BUF_INIT;
	unsigned long i;
	enum kind k;

	for (i = first; i <= last; i++) {
		k = gen_line(i, where, &x->in, &rec, &out);
		if (i < last || !nonl)
			buf_addc(&x->in, '\n');
		if (k == K_BLANK)
			continue;
		x->n_in++;
		if (is_rejected(i, k, where)) {
			x->n_rejected++;
			x->by_reason[k]++;
			continue;
		}
		if (where && i % 2 == 1)
			x->n_passed++;
		x->n_out++;
		buf_add(&x->out, out.data, out.len);
		buf_addc(&x->out, '\n');
	}
	buf_release(&rec);
	buf_release(&out);
}

static void
expect_release(struct expect *x)
{
	buf_release(&x->in);
	buf_release(&x->out);
}

/* One run of filter_run in a child. */
struct run {
	const char *in[4];	/* operands */
	int nin;
	const char *stdin_path;	/* what "-" reads, or NULL */
	const char *out, *err, *rejects, *stats, *where;
	int jobs, strict;
	long long max_record;	/* 0 for the default */
	int (*bare)(const char *, size_t, struct buf *, void *);
	int batch_lines;	/* 0 for the default */
	void (*committed)(void *);

	/* Set by run_filter. */
	int status;		/* exit status, or 128 + signal */
	int counted;		/* filter_run returned and sent the counts */
	unsigned long long n[5];	/* in, out, passed, errors, rejected */
};

enum { N_IN, N_OUT, N_PASSED, N_ERRORS, N_REJECTED };

static void
run_child(struct run *rn, int fd)
{
	struct fields fl;
	struct filter f;
	char *argv[8];
	char err[128];
	int argc = 0, i, rc;

	if (freopen(rn->out, "w", stdout) == NULL ||
	    freopen(rn->err, "w", stderr) == NULL)
		_exit(100);
	if (rn->stdin_path != NULL) {
		int in = open(rn->stdin_path, O_RDONLY);

		if (in < 0 || dup2(in, 0) < 0)
			_exit(101);
		close(in);
	}
	if (field_parse(&fl.top, ".n3", err, sizeof(err)) < 0 ||
	    field_parse(&fl.nested, ".meta.sq", err, sizeof(err)) < 0)
		_exit(102);
	argv[argc++] = (char *)"df-test";
	for (i = 0; i < rn->nin; i++)
		argv[argc++] = (char *)rn->in[i];
	argv[argc] = NULL;
	filter_init(&f, argc, argv);
	f.fn = test_record;
	f.worker_new = test_worker_new;
	f.arg = &fl;
	f.jobs = rn->jobs;
	f.batch_lines = rn->batch_lines;
	f.strict = rn->strict;
	f.quiet = 1;
	f.rejects_path = rn->rejects;
	f.stats_path = rn->stats;
	f.where = rn->where;
	if (rn->max_record > 0)
		f.max_record = rn->max_record;
	f.bare = rn->bare;
	f.committed = rn->committed;
	rc = filter_run(&f, argc - 1, argv + 1);
	rn->n[N_IN] = f.n_in;
	rn->n[N_OUT] = f.n_out;
	rn->n[N_PASSED] = f.n_passed;
	rn->n[N_ERRORS] = f.n_errors;
	rn->n[N_REJECTED] = f.n_rejected;
	if (write(fd, rn->n, sizeof(rn->n)) != (ssize_t)sizeof(rn->n))
		_exit(103);
	field_release(&fl.top);
	field_release(&fl.nested);
	fflush(NULL);
	_exit(rc);
}

static void
run_filter(struct run *rn)
{
	ssize_t got;
	pid_t pid;
	int fds[2], st;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		run_child(rn, fds[1]);
	}
	close(fds[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	memset(rn->n, 0, sizeof(rn->n));
	got = read(fds[0], rn->n, sizeof(rn->n));
	rn->counted = got == (ssize_t)sizeof(rn->n);
	close(fds[0]);
	rn->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Check the counts of a finished run against x. */
static void
counts_are(const struct run *rn, const struct expect *x)
{
	ck_assert_msg(rn->counted, "filter_run did not return (status %d)",
	    rn->status);
	ck_assert_uint_eq(rn->n[N_IN], x->n_in);
	ck_assert_uint_eq(rn->n[N_OUT], x->n_out);
	ck_assert_uint_eq(rn->n[N_PASSED], x->n_passed);
	ck_assert_uint_eq(rn->n[N_REJECTED], x->n_rejected);
	/* Every rejection here is an error: none comes from emit_drop. */
	ck_assert_uint_eq(rn->n[N_ERRORS], x->n_rejected);
	ck_assert_int_eq(rn->status, x->n_rejected > 0 ? 1 : 0);
}

/* Check that the file at path holds exactly the bytes of want. */
static void
file_eq(const char *path, const struct buf *want)
{
	struct buf got = BUF_INIT;
	size_t i;

	ck_assert_msg(slurp(path, &got) == 0, "%s missing", path);
	for (i = 0; i < got.len && i < want->len; i++)
		if (got.data[i] != want->data[i])
			break;
	ck_assert_msg(got.len == want->len && i == got.len,
	    "%s differs at byte %zu of %zu (want %zu): got '%.60s', "
	    "want '%.60s'", path, i, got.len, want->len,
	    i < got.len ? got.data + i : "", i < want->len ?
	    want->data + i : "");
	buf_release(&got);
}

/* Read member key of the object v as a string; borrows v. */
static int
member_str_is(jv v, const char *key, const char *want)
{
	jv m = jv_object_get(jv_copy(v), jv_string(key));
	int ok;

	ok = jv_get_kind(m) == JV_KIND_STRING &&
	    strcmp(jv_string_value(m), want) == 0;
	jv_free(m);
	return ok;
}

static int
member_num_is(jv v, const char *key, double want)
{
	jv m = jv_object_get(jv_copy(v), jv_string(key));
	int ok;

	ok = jv_get_kind(m) == JV_KIND_NUMBER && jv_number_value(m) == want;
	jv_free(m);
	return ok;
}

/*
 * Check one --rejects line against generated line i of operand file:
 * "_reject" with the reason, file and line; the record itself for a
 * record, or "raw" with its text for a line that is not one.
 */
static void
reject_line_is(const char *line, size_t len, unsigned long i, int where,
    const char *file)
{
	struct buf in = BUF_INIT, rec = BUF_INIT, out = BUF_INIT;
	enum kind k = gen_line(i, where, &in, &rec, &out);
	jv v, rj, want;

	v = jv_parse_sized(line, (int)len);
	ck_assert_msg(jv_get_kind(v) == JV_KIND_OBJECT,
	    "rejects line for %lu is not an object: %.*s", i, (int)len, line);
	rj = jv_object_get(jv_copy(v), jv_string("_reject"));
	ck_assert_msg(jv_get_kind(rj) == JV_KIND_OBJECT, "no _reject: %.*s",
	    (int)len, line);
	ck_assert_msg(member_str_is(rj, "reason", kind_reason(k)),
	    "line %lu: want reason %s: %.*s", i, kind_reason(k), (int)len,
	    line);
	ck_assert_msg(member_num_is(rj, "line", (double)i),
	    "want line %lu: %.*s", i, (int)len, line);
	ck_assert_msg(member_str_is(rj, "file", file), "want file %s: %.*s",
	    file, (int)len, line);
	ck_assert_msg(member_str_is(rj, "program", df_progname),
	    "want program %s: %.*s", df_progname, (int)len, line);
	jv_free(rj);
	if (k == K_BADJSON || k == K_NOTOBJ) {
		ck_assert_msg(member_str_is(v, "raw", rec.data),
		    "want raw '%s': %.*s", rec.data, (int)len, line);
		ck_assert_int_eq(jv_object_length(jv_copy(v)), 2);
		jv_free(v);
	} else {
		/* The record's own bytes come first, then _reject. */
		ck_assert_msg(len > rec.len && memcmp(line, rec.data,
		    rec.len - 1) == 0 && line[rec.len - 1] == ',',
		    "record bytes changed: %.*s", (int)len, line);
		v = jv_object_delete(v, jv_string("_reject"));
		want = jv_parse_sized(rec.data, (int)rec.len);
		ck_assert_msg(jv_equal(v, want), "record changed: %.*s",
		    (int)len, line);
	}
	buf_release(&in);
	buf_release(&rec);
	buf_release(&out);
}

/*
 * Check the --rejects file and the diagnostics of a run over generated
 * lines first..last of file (one operand).
 */
static void
rejects_are(const char *rejpath, const char *errpath, unsigned long first,
    unsigned long last, int where, const char *file)
{
	struct buf rej = BUF_INIT, err = BUF_INIT, in = BUF_INIT,
	    rec = BUF_INIT, out = BUF_INIT;
	char prefix[PATH_MAX + 64];
	const char *p, *q, *e, *ep, *eq;
	unsigned long i;
	enum kind k;

	ck_assert_msg(slurp(rejpath, &rej) == 0, "%s missing", rejpath);
	ck_assert_int_eq(slurp(errpath, &err), 0);
	p = rej.data ? rej.data : "";
	e = rej.data ? rej.data + rej.len : p;
	ep = err.data ? err.data : "";
	for (i = first; i <= last; i++) {
		buf_reset(&in);
		k = gen_line(i, where, &in, &rec, &out);
		if (k == K_BLANK || !is_rejected(i, k, where))
			continue;
		q = memchr(p, '\n', (size_t)(e - p));
		ck_assert_msg(q != NULL, "rejects file ends before line %lu",
		    i);
		reject_line_is(p, (size_t)(q - p), i, where, file);
		p = q + 1;

		snprintf(prefix, sizeof(prefix), "%s: %s:%lu: ", df_progname,
		    file, i);
		eq = strchr(ep, '\n');
		ck_assert_msg(eq != NULL && strncmp(ep, prefix,
		    strlen(prefix)) == 0, "want a diagnostic '%s...', got "
		    "'%.*s'", prefix, eq ? (int)(eq - ep) : 40, ep);
		ep = eq + 1;
	}
	ck_assert_msg(p == e, "extra rejects: %.80s", p);
	ck_assert_msg(*ep == '\0', "extra diagnostics: %.80s", ep);
	buf_release(&rej);
	buf_release(&err);
	buf_release(&in);
	buf_release(&rec);
	buf_release(&out);
}

/* Check the --stats file of a run against x. */
static void
stats_are(const char *path, const struct expect *x)
{
	struct buf b = BUF_INIT;
	jv v, rj;
	int k;

	ck_assert_int_eq(slurp(path, &b), 0);
	ck_assert_msg(b.len > 0 && b.data[b.len - 1] == '\n', "%s", b.data);
	v = jv_parse_sized(b.data, (int)b.len);
	ck_assert_msg(jv_get_kind(v) == JV_KIND_OBJECT, "stats: %s", b.data);
	ck_assert_msg(member_str_is(v, "program", df_progname), "%s", b.data);
	ck_assert_msg(member_num_is(v, "in", (double)x->n_in), "%s", b.data);
	ck_assert_msg(member_num_is(v, "out", (double)x->n_out), "%s",
	    b.data);
	ck_assert_msg(member_num_is(v, "passed", (double)x->n_passed), "%s",
	    b.data);
	ck_assert_msg(member_num_is(v, "errors", (double)x->n_rejected),
	    "%s", b.data);
	rj = jv_object_get(jv_copy(v), jv_string("rejected"));
	ck_assert_msg(jv_get_kind(rj) == JV_KIND_OBJECT, "%s", b.data);
	for (k = 0; k <= K_APPEND; k++) {
		if (kind_reason((enum kind)k) == NULL)
			continue;
		if (x->by_reason[k] == 0)
			ck_assert_msg(!jv_object_has(jv_copy(rj),
			    jv_string(kind_reason((enum kind)k))), "%s",
			    b.data);
		else
			ck_assert_msg(member_num_is(rj,
			    kind_reason((enum kind)k),
			    (double)x->by_reason[k]), "%s: want %s %llu",
			    b.data, kind_reason((enum kind)k),
			    x->by_reason[k]);
	}
	jv_free(rj);
	jv_free(v);
	buf_release(&b);
}

/* The paths of one test's files. */
struct paths {
	struct tdir t;
	char in[PATH_MAX], in2[PATH_MAX], out[PATH_MAX], err[PATH_MAX],
	    rej[PATH_MAX], stats[PATH_MAX];
};

static void
paths_make(struct paths *ps, const char *tag)
{
	char name[64];

	tdir_make(&ps->t);
	tdir_path(&ps->t, "in.jsonl", ps->in);
	tdir_path(&ps->t, "in2.jsonl", ps->in2);
	snprintf(name, sizeof(name), "out%s.jsonl", tag);
	tdir_path(&ps->t, name, ps->out);
	snprintf(name, sizeof(name), "err%s.txt", tag);
	tdir_path(&ps->t, name, ps->err);
	snprintf(name, sizeof(name), "rejects%s.jsonl", tag);
	tdir_path(&ps->t, name, ps->rej);
	snprintf(name, sizeof(name), "stats%s.json", tag);
	tdir_path(&ps->t, name, ps->stats);
}

#define RUN_LINES 6000

/* A whole run over a few thousand lines, malformed ones among them. */
static void
full_run_batch(int jobs, int where, int batch_lines)
{
	struct expect x;
	struct paths ps;
	struct run rn;

	memset(&x, 0, sizeof(x));
	expect_gen(&x, 1, RUN_LINES, where, 1);
	paths_make(&ps, "");
	spit(ps.in, x.in.data, x.in.len);

	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.rejects = ps.rej;
	rn.stats = ps.stats;
	rn.jobs = jobs;
	rn.batch_lines = batch_lines;
	rn.where = where ? "(.id | tonumber) % 2 == 0" : NULL;
	run_filter(&rn);
	counts_are(&rn, &x);
	file_eq(ps.out, &x.out);
	rejects_are(ps.rej, ps.err, 1, RUN_LINES, where, ps.in);
	stats_are(ps.stats, &x);
	expect_release(&x);
	tdir_remove(&ps.t);
}

static void
full_run(int jobs, int where)
{
	full_run_batch(jobs, where, 0);
}

/* Batches of one or a few records (filter.batch_lines): the same run. */
START_TEST(test_run_batch_lines)
{
	full_run_batch(1, 0, 1);
	full_run_batch(3, 0, 1);
	full_run_batch(2, 1, 7);
}
END_TEST

START_TEST(test_run_one_job)
{
	full_run(1, 0);
}
END_TEST

START_TEST(test_run_three_jobs)
{
	full_run(3, 0);
}
END_TEST

START_TEST(test_run_where)
{
	full_run(2, 1);
}
END_TEST

/* -j 3 writes the same bytes as -j 1: output, rejects, diagnostics. */
START_TEST(test_run_jobs_identical)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct expect x;
	struct paths p1, p3;
	struct run r1, r3;

	memset(&x, 0, sizeof(x));
	expect_gen(&x, 1, 3 * RUN_LINES, 0, 0);
	paths_make(&p1, "1");
	spit(p1.in, x.in.data, x.in.len);
	memcpy(&p3, &p1, sizeof(p3));
	tdir_path(&p3.t, "out3.jsonl", p3.out);
	tdir_path(&p3.t, "err3.txt", p3.err);
	tdir_path(&p3.t, "rejects3.jsonl", p3.rej);

	memset(&r1, 0, sizeof(r1));
	r1.in[r1.nin++] = p1.in;
	r1.out = p1.out;
	r1.err = p1.err;
	r1.rejects = p1.rej;
	r1.jobs = 1;
	r3 = r1;
	r3.out = p3.out;
	r3.err = p3.err;
	r3.rejects = p3.rej;
	r3.jobs = 3;
	run_filter(&r1);
	run_filter(&r3);
	counts_are(&r1, &x);
	counts_are(&r3, &x);
	ck_assert(memcmp(r1.n, r3.n, sizeof(r1.n)) == 0);

	ck_assert_int_eq(slurp(p1.out, &a), 0);
	file_eq(p3.out, &a);
	file_eq(p1.out, &x.out);
	ck_assert_int_eq(slurp(p1.rej, &a), 0);
	file_eq(p3.rej, &a);
	ck_assert_int_eq(slurp(p1.err, &b), 0);
	file_eq(p3.err, &b);
	ck_assert_uint_eq(count_lines(&b), x.n_rejected);
	buf_release(&a);
	buf_release(&b);
	expect_release(&x);
	tdir_remove(&p1.t);
}
END_TEST

/* Good input only: exit 0, nothing on stderr, an empty rejects file. */
START_TEST(test_run_clean)
{
	struct expect x;
	struct paths ps;
	struct run rn;

	memset(&x, 0, sizeof(x));
	expect_gen(&x, 1, 6, 0, 0);
	ck_assert_uint_eq(x.n_rejected, 0);
	paths_make(&ps, "");
	spit(ps.in, x.in.data, x.in.len);
	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.rejects = ps.rej;
	rn.jobs = 1;
	run_filter(&rn);
	counts_are(&rn, &x);
	ck_assert_int_eq(rn.status, 0);
	file_eq(ps.out, &x.out);
	file_is(ps.err, "");
	file_is(ps.rej, "");
	expect_release(&x);
	tdir_remove(&ps.t);
}
END_TEST

/* --strict stops at the first bad record: lines 1-6 out, 7 rejected. */
static void
strict_run(int jobs)
{
	struct expect x;
	struct paths ps;
	struct run rn;

	memset(&x, 0, sizeof(x));
	expect_gen(&x, 1, 6, 0, 0);
	paths_make(&ps, "");
	{
		struct expect all;

		memset(&all, 0, sizeof(all));
		expect_gen(&all, 1, 2000, 0, 0);
		spit(ps.in, all.in.data, all.in.len);
		expect_release(&all);
	}
	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.rejects = ps.rej;
	rn.jobs = jobs;
	rn.strict = 1;
	run_filter(&rn);
	ck_assert_int_eq(rn.status, 1);
	ck_assert(rn.counted);
	ck_assert_uint_eq(rn.n[N_ERRORS], 1);
	ck_assert_uint_eq(rn.n[N_REJECTED], 1);
	ck_assert_uint_eq(rn.n[N_OUT], 6);
	ck_assert_uint_eq(rn.n[N_IN], 7);
	file_eq(ps.out, &x.out);
	rejects_are(ps.rej, ps.err, 1, 7, 0, ps.in);
	expect_release(&x);
	tdir_remove(&ps.t);
}

START_TEST(test_run_strict)
{
	strict_run(1);
}
END_TEST

START_TEST(test_run_strict_jobs)
{
	strict_run(3);
}
END_TEST

/*
 * Two operands, the second "-": line numbers start again at 1 in each,
 * and stdin is named <stdin>.
 */
START_TEST(test_run_operands)
{
	struct expect xa, xb;
	struct paths ps;
	struct buf both = BUF_INIT, rej = BUF_INIT, err = BUF_INIT;
	struct run rn;
	char rej_a[PATH_MAX], rej_b[PATH_MAX], err_a[PATH_MAX],
	    err_b[PATH_MAX];
	size_t i, nl;

	memset(&xa, 0, sizeof(xa));
	memset(&xb, 0, sizeof(xb));
	expect_gen(&xa, 1, 120, 0, 1);
	expect_gen(&xb, 1, 90, 0, 0);
	paths_make(&ps, "");
	spit(ps.in, xa.in.data, xa.in.len);
	spit(ps.in2, xb.in.data, xb.in.len);
	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.in[rn.nin++] = "-";
	rn.stdin_path = ps.in2;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.rejects = ps.rej;
	rn.jobs = 2;
	run_filter(&rn);
	ck_assert(rn.counted);
	ck_assert_int_eq(rn.status, 1);
	ck_assert_uint_eq(rn.n[N_IN], xa.n_in + xb.n_in);
	ck_assert_uint_eq(rn.n[N_OUT], xa.n_out + xb.n_out);
	ck_assert_uint_eq(rn.n[N_REJECTED], xa.n_rejected + xb.n_rejected);

	/*
	 * The first file ends without a newline: its last line is a record
	 * all the same, not joined to the next file's first.
	 */
	buf_add(&both, xa.out.data, xa.out.len);
	buf_add(&both, xb.out.data, xb.out.len);
	file_eq(ps.out, &both);

	/* Split the rejects and diagnostics where the second file starts. */
	ck_assert_int_eq(slurp(ps.rej, &rej), 0);
	for (i = 0, nl = 0; i < rej.len && nl < xa.n_rejected; i++)
		if (rej.data[i] == '\n')
			nl++;
	tdir_path(&ps.t, "rej_a", rej_a);
	tdir_path(&ps.t, "rej_b", rej_b);
	spit(rej_a, rej.data, i);
	spit(rej_b, rej.data + i, rej.len - i);
	ck_assert_int_eq(slurp(ps.err, &err), 0);
	for (i = 0, nl = 0; i < err.len && nl < xa.n_rejected; i++)
		if (err.data[i] == '\n')
			nl++;
	tdir_path(&ps.t, "err_a", err_a);
	tdir_path(&ps.t, "err_b", err_b);
	spit(err_a, err.data, i);
	spit(err_b, err.data + i, err.len - i);
	rejects_are(rej_a, err_a, 1, 120, 0, ps.in);
	rejects_are(rej_b, err_b, 1, 90, 0, "<stdin>");

	buf_release(&both);
	buf_release(&rej);
	buf_release(&err);
	expect_release(&xa);
	expect_release(&xb);
	tdir_remove(&ps.t);
}
END_TEST

/*
 * Lines no program sees: over --max-record, not UTF-8, not JSON.  They
 * are rejected with their bytes kept ("raw_bytes", "raw_b64", "raw").
 */
START_TEST(test_run_odd_lines)
{
	struct buf in = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	struct paths ps;
	struct run rn;
	const char *p;
	jv v, rj, raw;
	size_t i;

	buf_adds(&in, "{\"a\":\"x\"}\n{\"a\":\"");
	for (i = 0; i < 200; i++)
		buf_addc(&in, 'y');
	buf_adds(&in, "\"}\n{\"a\":\"\xff\"}\nnope\n{\"a\":\"z\"}\n");
	buf_adds(&want, "{\"a\":\"x\",\"n3\":3}\n{\"a\":\"z\",\"n3\":15}\n");
	paths_make(&ps, "");
	spit(ps.in, in.data, in.len);
	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.rejects = ps.rej;
	rn.jobs = 1;
	rn.max_record = 100;
	run_filter(&rn);
	ck_assert(rn.counted);
	ck_assert_int_eq(rn.status, 1);
	ck_assert_uint_eq(rn.n[N_IN], 5);
	ck_assert_uint_eq(rn.n[N_OUT], 2);
	ck_assert_uint_eq(rn.n[N_REJECTED], 3);
	ck_assert_uint_eq(rn.n[N_ERRORS], 3);
	file_eq(ps.out, &want);

	ck_assert_int_eq(slurp(ps.rej, &got), 0);
	ck_assert_uint_eq(count_lines(&got), 3);
	p = got.data;

	v = jv_parse_sized(p, (int)(strchr(p, '\n') - p));
	rj = jv_object_get(jv_copy(v), jv_string("_reject"));
	ck_assert_msg(member_str_is(rj, "reason", "too-large"), "%s", p);
	ck_assert(member_num_is(rj, "line", 2));
	ck_assert_msg(member_num_is(v, "raw_bytes", 208), "%s", p);
	jv_free(rj);
	jv_free(v);
	p = strchr(p, '\n') + 1;

	v = jv_parse_sized(p, (int)(strchr(p, '\n') - p));
	rj = jv_object_get(jv_copy(v), jv_string("_reject"));
	ck_assert_msg(member_str_is(rj, "reason", "invalid-utf8"), "%s", p);
	ck_assert(member_num_is(rj, "line", 3));
	ck_assert_msg(member_str_is(v, "raw_b64", "eyJhIjoi/yJ9"), "%s", p);
	jv_free(rj);
	jv_free(v);
	p = strchr(p, '\n') + 1;

	v = jv_parse_sized(p, (int)(strchr(p, '\n') - p));
	rj = jv_object_get(jv_copy(v), jv_string("_reject"));
	ck_assert_msg(member_str_is(rj, "reason", "invalid-json"), "%s", p);
	ck_assert(member_num_is(rj, "line", 4));
	raw = jv_object_get(jv_copy(v), jv_string("raw"));
	ck_assert_str_eq(jv_string_value(raw), "nope");
	jv_free(raw);
	jv_free(rj);
	jv_free(v);

	buf_release(&in);
	buf_release(&want);
	buf_release(&got);
	tdir_remove(&ps.t);
}
END_TEST

/* The bare hook: "u:X" lines become {"a":"X"}; other bad lines stay bad. */
static int
bare_u(const char *line, size_t len, struct buf *rec, void *arg)
{
	(void)arg;
	if (len < 2 || strncmp(line, "u:", 2) != 0)
		return 0;
	buf_adds(rec, "{\"a\":\"");
	buf_add(rec, line + 2, len - 2);
	buf_adds(rec, "\"}");
	return 1;
}

START_TEST(test_run_bare)
{
	struct buf got = BUF_INIT;
	struct paths ps;
	struct run rn;
	int j;

	for (j = 1; j <= 2; j++) {
		paths_make(&ps, "");
		spit(ps.in, "u:one\nnope\n[1]\n{\"a\":\"two\"}\nu:three\n",
		    35);
		memset(&rn, 0, sizeof(rn));
		rn.in[rn.nin++] = ps.in;
		rn.out = ps.out;
		rn.err = ps.err;
		rn.rejects = ps.rej;
		rn.jobs = j;
		rn.bare = bare_u;
		run_filter(&rn);
		ck_assert(rn.counted);
		ck_assert_int_eq(rn.status, 1);
		ck_assert_uint_eq(rn.n[N_IN], 5);
		ck_assert_uint_eq(rn.n[N_OUT], 3);
		ck_assert_uint_eq(rn.n[N_REJECTED], 2);
		ck_assert_int_eq(slurp(ps.out, &got), 0);
		ck_assert_ptr_nonnull(strstr(got.data, "{\"a\":\"one\""));
		ck_assert_ptr_nonnull(strstr(got.data, "{\"a\":\"three\""));
		buf_reset(&got);
		ck_assert_int_eq(slurp(ps.rej, &got), 0);
		ck_assert_ptr_nonnull(strstr(got.data, "\"raw\":\"nope\""));
		ck_assert_ptr_nonnull(strstr(got.data, "not-object"));
		buf_reset(&got);
		tdir_remove(&ps.t);
	}
	buf_release(&got);
}
END_TEST

/* The committed hook: once per batch, after its output is flushed. */
static const char *committed_out;
static unsigned long committed_calls;

static void
count_commit(void *arg)
{
	struct buf b = BUF_INIT;

	(void)arg;
	committed_calls++;
	/* What was written so far is in the file already. */
	if (slurp(committed_out, &b) < 0 || count_lines(&b) != committed_calls)
		_exit(104);
	buf_release(&b);
	if (committed_calls == 3)
		_exit(42);
}

START_TEST(test_run_committed)
{
	struct paths ps;
	struct run rn;

	paths_make(&ps, "");
	spit(ps.in, "{\"a\":\"1\"}\n{\"a\":\"2\"}\n{\"a\":\"3\"}\n", 30);
	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.jobs = 1;
	rn.strict = 1;
	rn.committed = count_commit;
	committed_out = ps.out;
	committed_calls = 0;
	run_filter(&rn);
	/* The hook ended the child at the third batch, all checks passed. */
	ck_assert_int_eq(rn.status, 42);
	tdir_remove(&ps.t);
}
END_TEST

/* An operand that cannot be opened: exit 2 before anything is written. */
START_TEST(test_run_missing_operand)
{
	struct buf b = BUF_INIT;
	struct expect x;
	struct paths ps;
	struct run rn;
	char missing[PATH_MAX];

	memset(&x, 0, sizeof(x));
	expect_gen(&x, 1, 20, 0, 0);
	paths_make(&ps, "");
	spit(ps.in, x.in.data, x.in.len);
	expect_release(&x);
	tdir_path(&ps.t, "no-such-file.jsonl", missing);
	memset(&rn, 0, sizeof(rn));
	rn.in[rn.nin++] = ps.in;
	rn.in[rn.nin++] = missing;
	rn.out = ps.out;
	rn.err = ps.err;
	rn.rejects = ps.rej;
	rn.stats = ps.stats;
	rn.jobs = 1;
	run_filter(&rn);
	ck_assert_int_eq(rn.status, 2);
	ck_assert(!rn.counted);
	file_is(ps.out, "");
	ck_assert(!exists(ps.rej));
	ck_assert(!exists(ps.stats));
	ck_assert_int_eq(slurp(ps.err, &b), 0);
	ck_assert_msg(strstr(b.data, "no-such-file.jsonl") != NULL, "%s",
	    b.data);
	buf_release(&b);
	tdir_remove(&ps.t);
}
END_TEST

Suite *
filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc;

	tc = tcase_create("file");
	tcase_add_test(tc, test_run_bare);
	tcase_add_test(tc, test_run_committed);
	tcase_add_test(tc, test_file_commit);
	tcase_add_test(tc, test_file_commit_empty);
	tcase_add_test(tc, test_file_abort);
	tcase_add_test(tc, test_file_replace);
	tcase_add_test(tc, test_file_several);
	tcase_add_test(tc, test_file_signal);
	tcase_add_test(tc, test_file_open_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("option");
	tcase_add_test(tc, test_option_defaults);
	tcase_add_test(tc, test_option_set);
	tcase_add_test(tc, test_option_other);
	tcase_add_test(tc, test_option_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_run_one_job);
	tcase_add_test(tc, test_run_three_jobs);
	tcase_add_test(tc, test_run_batch_lines);
	tcase_add_test(tc, test_run_where);
	tcase_add_test(tc, test_run_jobs_identical);
	tcase_add_test(tc, test_run_clean);
	tcase_add_test(tc, test_run_strict);
	tcase_add_test(tc, test_run_strict_jobs);
	tcase_add_test(tc, test_run_operands);
	tcase_add_test(tc, test_run_odd_lines);
	tcase_add_test(tc, test_run_missing_operand);
	suite_add_tcase(s, tc);
	return s;
}
