/*
 * Reading a judge's score (judge.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "buf.h"
#include "judge.h"
#include "llm.h"

const struct judge_rubric judge_rubrics[] = {
	{ "quality", 1, 10, "overall quality as training text, 1 to 10" },
	{ "edu", 0, 5, "FineWeb-Edu's additive educational value, 0 to 5" },
	{ "math", 1, 10, "correctness and clarity of a worked problem, 1 to "
	    "10" },
	{ NULL, 0, 0, NULL }
};

const char *const judge_how_json = "json";
const char *const judge_how_brackets = "brackets";
const char *const judge_how_score_line = "score-line";
const char *const judge_how_out_of = "out-of";

const struct judge_rubric *
judge_rubric_find(const char *name)
{
	int i;

	for (i = 0; judge_rubrics[i].name != NULL; i++)
		if (strcmp(judge_rubrics[i].name, name) == 0)
			return &judge_rubrics[i];
	return NULL;
}

/* A decimal number at s[*i] (sign, digits, optional fraction). */
static int
number_at(const char *s, size_t len, size_t *i, double *v)
{
	size_t k = *i, d = 0;
	char tmp[64];

	if (k < len && (s[k] == '-' || s[k] == '+'))
		k++;
	while (k < len && isdigit((unsigned char)s[k])) {
		k++;
		d++;
	}
	if (d > 0 && k + 1 < len && s[k] == '.' &&
	    isdigit((unsigned char)s[k + 1])) {
		k++;
		while (k < len && isdigit((unsigned char)s[k]))
			k++;
	}
	if (d == 0 || k - *i >= sizeof(tmp))
		return 0;
	memcpy(tmp, s + *i, k - *i);
	tmp[k - *i] = '\0';
	*v = strtod(tmp, NULL);
	*i = k;
	return 1;
}

static void
skip_blank(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

/* The first "[[n]]". */
static int
brackets(const char *s, size_t len, double *v)
{
	size_t i, k;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '[' || s[i + 1] != '[')
			continue;
		k = i + 2;
		skip_blank(s, len, &k);
		if (!number_at(s, len, &k, v))
			continue;
		skip_blank(s, len, &k);
		if (k + 1 < len && s[k] == ']' && s[k + 1] == ']')
			return 1;
	}
	return 0;
}

/* The last "score: n" (any case; '*' and '=' allowed around). */
static int
score_line(const char *s, size_t len, double *v)
{
	size_t i, k;
	double x;
	int found = 0;

	for (i = 0; i + 5 <= len; i++) {
		if (strncasecmp(s + i, "score", 5) != 0)
			continue;
		k = i + 5;
		while (k < len && (s[k] == '*' || s[k] == ' '))
			k++;
		if (k >= len || (s[k] != ':' && s[k] != '='))
			continue;
		k++;
		while (k < len && (s[k] == '*' || s[k] == ' ' || s[k] == '\t'))
			k++;
		if (number_at(s, len, &k, &x)) {
			*v = x;
			found = 1;
		}
	}
	return found;
}

/* The first "n out of m" or "n/m". */
static int
out_of(const char *s, size_t len, double *v)
{
	size_t i, k;
	double x, m;

	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]) || (i > 0 &&
		    (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.')))
			continue;
		k = i;
		if (!number_at(s, len, &k, &x))
			continue;
		skip_blank(s, len, &k);
		if (k < len && s[k] == '/')
			k++;
		else if (k + 6 <= len && strncasecmp(s + k, "out of", 6) == 0)
			k += 6;
		else
			continue;
		skip_blank(s, len, &k);
		if (number_at(s, len, &k, &m)) {
			*v = x;
			return 1;
		}
	}
	return 0;
}

int
judge_parse(const char *s, size_t len, double min, double max,
    double *score, const char **how, struct buf *reason, struct df_err *e)
{
	jv v = llm_reply_json(s, len);
	double x = NAN;
	const char *h = NULL;

	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv sc = jv_object_get(jv_copy(v), jv_string("score"));
		jv rs = jv_object_get(jv_copy(v), jv_string("reason"));

		if (jv_get_kind(sc) == JV_KIND_NUMBER) {
			x = jv_number_value(sc);
			h = judge_how_json;
			if (reason != NULL && jv_get_kind(rs) == JV_KIND_STRING)
				buf_adds(reason, jv_string_value(rs));
		}
		jv_free(sc);
		jv_free(rs);
	}
	jv_free(v);
	if (h == NULL) {
		if (brackets(s, len, &x))
			h = judge_how_brackets;
		else if (score_line(s, len, &x))
			h = judge_how_score_line;
		else if (out_of(s, len, &x))
			h = judge_how_out_of;
		else
			return df_err_set(e, "judge-unparseable", "no score in "
			    "the judge's reply");
	}
	if (!isfinite(x) || x < min || x > max)
		return df_err_set(e, "judge-out-of-range", "score %g is "
		    "outside %g-%g", x, min, max);
	*score = x;
	*how = h;
	return 0;
}
