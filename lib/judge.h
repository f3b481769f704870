/*
 * LLM-as-judge for df-judge: the built-in rubrics and reading a score out
 * of a judge's reply.
 *
 * A reply is read in this order: a JSON object with a numeric "score"
 * (the structured reply a schema asks for, also inside a ```json fence or
 * prose), MT-Bench's "[[7]]" (the first), a "Score: 4" line (the last,
 * any case, "Educational score:" too, Markdown stars allowed), "8 out of
 * 10" or "8/10" (the first).  A reply with none of these, or whose score
 * lies outside the rubric's range, is a judge failure: never a zero,
 * never a default.
 */
#ifndef DF_JUDGE_H
#define DF_JUDGE_H

#include <stddef.h>

#include "diag.h"

/* A built-in rubric: its template (data/judge/NAME.jq) and scale. */
struct judge_rubric {
	const char *name;
	double min, max;
	const char *what;
};

/* The built-in rubrics, NULL-terminated by name. */
extern const struct judge_rubric judge_rubrics[];

/* The built-in rubric called name, or NULL. */
const struct judge_rubric *judge_rubric_find(const char *name);

/* How a score was read. */
extern const char *const judge_how_json, *const judge_how_brackets,
    *const judge_how_score_line, *const judge_how_out_of;

/*
 * Read the score of the reply s[0..len) on the scale [min, max].  Returns
 * 0 with *score and *how (one of the judge_how_* strings) set, and the
 * reply's "reason" string, if a JSON object had one, appended to reason
 * (when not NULL); or -1 with e set, reason "judge-unparseable" or
 * "judge-out-of-range".
 */
int judge_parse(const char *s, size_t len, double min, double max,
    double *score, const char **how, struct buf *reason, struct df_err *e)
    __attribute__((warn_unused_result));

#endif
