/*
 * Unit tests for filter.lookahead and emit_error (lib/filter.c): with an
 * ordered phase and a lookahead of L records, the per-record function
 * has run for at least L records beyond the one the ordered phase is
 * at (or for all of them at the end of input) with -j 1, and the output
 * is in input order whatever -j.  Each run is a child of its
 * own, as filter_run keeps static state and closes stdout.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "filter.h"
#include "suites.h"

#define NREC 5000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long started;	/* records the per-record fn has seen */
static unsigned long lookahead;
static int behind;		/* the ordered phase outran the lookahead */
static int one_job;

static int
la_record(struct rec *r, struct emit *o, void *wctx, struct df_err *e)
{
	(void)wctx;
	(void)e;
	pthread_mutex_lock(&mu);
	started++;
	pthread_mutex_unlock(&mu);
	emit_memo(o, &r->lineno, sizeof(r->lineno));
	return 0;
}

static int
la_ordered(struct rec *r, const void *memo, size_t len, struct emit *o,
    void *arg, struct df_err *e)
{
	unsigned long line, want, s;

	(void)arg;
	(void)e;
	if (len != sizeof(line))
		_exit(110);
	memcpy(&line, memo, sizeof(line));
	if (line != r->lineno)
		_exit(111);
	want = line + lookahead < NREC ? line + lookahead : NREC;
	pthread_mutex_lock(&mu);
	s = started;
	pthread_mutex_unlock(&mu);
	/*
	 * With -j N the records ahead are handed to the workers, which run
	 * them while this waits: only -j 1 can promise they have run.
	 */
	if (lookahead > 0 && s < want && one_job)
		behind = 1;
	if (line % 1000 == 7) {
		emit_error(o, r, "seven", "line ends in 007",
		    "\"extra\":\"kept\"");
		return 0;
	}
	emit_rec(o, 0, r);
	return 0;
}

/* Run the loop over path in a child; returns its exit status. */
static int
run(const char *path, const char *out, const char *rej, int jobs,
    unsigned long la)
{
	char *argv[] = { (char *)"df-test", (char *)path, NULL };
	struct filter f;
	pid_t pid;
	int st, rc;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (freopen(out, "w", stdout) == NULL ||
		    freopen("/dev/null", "w", stderr) == NULL)
			_exit(100);
		filter_init(&f, 2, argv);
		f.fn = la_record;
		f.ordered = la_ordered;
		f.jobs = jobs;
		f.quiet = 1;
		f.lookahead = la;
		f.rejects_path = rej;
		lookahead = la;
		one_job = jobs == 1;
		rc = filter_run(&f, 1, argv + 1);
		if (f.n_in != NREC || f.n_out != NREC - 5 ||
		    f.n_errors != 5 || f.n_rejected != 5)
			_exit(112);
		_exit(behind ? 113 : rc);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *
slurp(const char *path)
{
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	ck_assert_ptr_nonnull(fp);
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_add(&b, tmp, n);
	fclose(fp);
	return buf_detach(&b, NULL);
}

static void
lookahead_case(int jobs, unsigned long la)
{
	char dir[] = "/tmp/check_lookahead.XXXXXX";
	char in[64], out[64], rej[64];
	struct buf want = BUF_INIT;
	unsigned long i;
	char *got;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(rej, sizeof(rej), "%s/rej", dir);
	fp = fopen(in, "w");
	ck_assert_ptr_nonnull(fp);
	for (i = 1; i <= NREC; i++) {
		fprintf(fp, "{\"n\":%lu}\n", i);
		if (i % 1000 != 7)
			buf_addf(&want, "{\"n\":%lu}\n", i);
	}
	fclose(fp);
	ck_assert_int_eq(run(in, out, rej, jobs, la), 1);
	got = slurp(out);
	ck_assert_str_eq(got, want.data);
	free(got);
	got = slurp(rej);
	ck_assert_ptr_nonnull(strstr(got, "{\"n\":1007,\"_reject\":{"));
	ck_assert_ptr_nonnull(strstr(got, "\"reason\":\"seven\",\"message\":"
	    "\"line ends in 007\",\"file\":"));
	ck_assert_ptr_nonnull(strstr(got, "\"line\":1007,\"extra\":\"kept\"}}"));
	free(got);
	unlink(in);
	unlink(out);
	unlink(rej);
	rmdir(dir);
	buf_release(&want);
}

START_TEST(test_lookahead_one_job)
{
	lookahead_case(1, 300);
}
END_TEST

START_TEST(test_lookahead_three_jobs)
{
	lookahead_case(3, 300);
}
END_TEST

START_TEST(test_lookahead_off)
{
	lookahead_case(1, 0);
}
END_TEST

Suite *
lookahead_suite(void)
{
	Suite *s = suite_create("lookahead");
	TCase *tc;

	tc = tcase_create("lookahead");
	tcase_add_test(tc, test_lookahead_one_job);
	tcase_add_test(tc, test_lookahead_three_jobs);
	tcase_add_test(tc, test_lookahead_off);
	suite_add_tcase(s, tc);
	return s;
}
