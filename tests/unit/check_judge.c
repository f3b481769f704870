/*
 * Unit tests for lib/judge.c: reading a judge's score out of its reply in
 * every form df-judge accepts, and refusing what is no score or out of
 * the rubric's range (a failure, never a zero or a default).
 */
#include <math.h>
#include <string.h>

#include "buf.h"
#include "judge.h"
#include "suites.h"

/* Parse s on [min, max]; check the score and how it was read. */
static void
parses(const char *s, double min, double max, double want, const char *how)
{
	struct df_err e = { "", NULL };
	struct buf reason = BUF_INIT;
	const char *h = NULL;
	double v = NAN;

	ck_assert_msg(judge_parse(s, strlen(s), min, max, &v, &h, &reason,
	    &e) == 0, "'%s' refused: %s", s, e.msg);
	ck_assert_msg(v == want, "'%s' read as %g, not %g", s, v, want);
	ck_assert_str_eq(h, how);
	buf_release(&reason);
}

/* Parse s; check it fails with reason. */
static void
fails(const char *s, double min, double max, const char *reason)
{
	struct df_err e = { "", NULL };
	const char *h = NULL;
	double v = -42;

	ck_assert_msg(judge_parse(s, strlen(s), min, max, &v, &h, NULL,
	    &e) == -1, "'%s' read as %g", s, v);
	ck_assert_str_eq(e.reason, reason);
	ck_assert_msg(v == -42, "'%s' set a score on failure", s);
	ck_assert(e.msg[0] != '\0');
}

START_TEST(test_json)
{
	struct df_err e = { "", NULL };
	struct buf reason = BUF_INIT;
	const char *h;
	double v;
	const char *s = "{\"score\": 8, \"reason\": \"clear and correct\"}";

	ck_assert_int_eq(judge_parse(s, strlen(s), 1, 10, &v, &h, &reason,
	    &e), 0);
	ck_assert(v == 8);
	ck_assert_str_eq(h, "json");
	ck_assert_str_eq(reason.data, "clear and correct");
	buf_release(&reason);
	parses("Here you go:\n```json\n{\"score\": 3}\n```", 0, 5, 3, "json");
	parses("{\"score\": 7.5, \"reason\": \"x\"}", 1, 10, 7.5, "json");
	/* A JSON score out of range fails even if the prose says more. */
	fails("{\"score\": 0, \"reason\": \"Rating: [[5]]\"}", 1, 10,
	    "judge-out-of-range");
}
END_TEST

START_TEST(test_brackets)
{
	parses("The answer is helpful. Rating: [[7]]", 1, 10, 7, "brackets");
	parses("[[ 10 ]]", 1, 10, 10, "brackets");
	parses("first [[2]] then [[9]]", 1, 10, 2, "brackets");
	parses("[[8.5]]", 1, 10, 8.5, "brackets");
	/* A bracketed number wins over a score line. */
	parses("Score: 3\nRating: [[6]]", 1, 10, 6, "brackets");
}
END_TEST

START_TEST(test_score_line)
{
	parses("Good text.\nScore: 4", 1, 10, 4, "score-line");
	parses("The extract is a textbook chapter.\nEducational score: 5", 0,
	    5, 5, "score-line");
	parses("**Score:** 3", 0, 5, 3, "score-line");
	parses("score = 2", 0, 5, 2, "score-line");
	/* The last one counts, as FineWeb-Edu's parser reads it. */
	parses("A score: 1 would be harsh; final score: 4", 0, 5, 4,
	    "score-line");
	parses("Score: 0", 0, 5, 0, "score-line");
}
END_TEST

START_TEST(test_out_of)
{
	parses("I would rate this 8 out of 10.", 1, 10, 8, "out-of");
	parses("Overall: 6/10", 1, 10, 6, "out-of");
	/* "11 out of 10" is read, then refused as out of range. */
	fails("Brilliant! 11 out of 10.", 1, 10, "judge-out-of-range");
}
END_TEST

START_TEST(test_failures)
{
	fails("", 1, 10, "judge-unparseable");
	fails("I cannot rate this text.", 1, 10, "judge-unparseable");
	fails("fk:abc123 garbage words here", 1, 10, "judge-unparseable");
	fails("{\"reason\": \"no score field\"}", 1, 10, "judge-unparseable");
	fails("{\"score\": \"seven\"}", 1, 10, "judge-unparseable");
	fails("Score: 11", 1, 10, "judge-out-of-range");
	fails("Rating: [[0]]", 1, 10, "judge-out-of-range");
	fails("Educational score: 6", 0, 5, "judge-out-of-range");
	fails("Score: -1", 0, 5, "judge-out-of-range");
}
END_TEST

START_TEST(test_rubrics)
{
	const struct judge_rubric *r;

	r = judge_rubric_find("quality");
	ck_assert_ptr_nonnull(r);
	ck_assert(r->min == 1 && r->max == 10);
	r = judge_rubric_find("edu");
	ck_assert_ptr_nonnull(r);
	ck_assert(r->min == 0 && r->max == 5);
	ck_assert_ptr_nonnull(judge_rubric_find("math"));
	ck_assert_ptr_null(judge_rubric_find("nope"));
}
END_TEST

Suite *
judge_suite(void)
{
	Suite *s = suite_create("judge");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_brackets);
	tcase_add_test(tc, test_score_line);
	tcase_add_test(tc, test_out_of);
	tcase_add_test(tc, test_failures);
	tcase_add_test(tc, test_rubrics);
	suite_add_tcase(s, tc);
	return s;
}
