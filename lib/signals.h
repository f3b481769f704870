/*
 * Heuristic quality signals of a text, for df-judge: the published
 * web-text filters as datatrove implements them (Gopher quality, Gopher
 * repetition, C4 quality and bad words, FineWeb quality) with their
 * default thresholds and reason names, readability (textstat's Flesch
 * formulas, syllables from hyphenation patterns), the share of letters in
 * each Unicode script, language identification, length and PII counts.
 *
 * Words are ICU word-break segments that are not white space, so
 * punctuation marks are words of their own, as with the spaCy and NLTK
 * tokenizers datatrove uses; lengths and ratios count code points, as
 * Python's len() does.  Where the two tokenizers differ (contractions,
 * some hyphenated forms) word counts differ a little: man/df-judge.1
 * lists the differences.
 *
 * A struct sig_config is built once and shared read-only by every
 * thread; each thread has its own struct sig_ctx for scratch space.
 */
#ifndef DF_SIGNALS_H
#define DF_SIGNALS_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "langid.h"
#include "tok.h"

/* Signal groups, each one key under "scores". */
enum {
	SIG_LENGTH = 1 << 0,
	SIG_GOPHER_QUALITY = 1 << 1,
	SIG_GOPHER_REPETITION = 1 << 2,
	SIG_C4 = 1 << 3,
	SIG_FINEWEB = 1 << 4,
	SIG_READABILITY = 1 << 5,
	SIG_SCRIPT = 1 << 6,
	SIG_LANG = 1 << 7,
	SIG_PII = 1 << 8,
	SIG_BADWORDS = 1 << 9,
	SIG_ALL = (1 << 10) - 1
};

/* The rules a preset applies, named as datatrove names its reasons. */
enum sig_rule {
	R_GQ_SHORT_DOC, R_GQ_LONG_DOC, R_GQ_BELOW_AVG, R_GQ_ABOVE_AVG,
	R_GQ_HASHES, R_GQ_ELLIPSIS, R_GQ_BULLETS, R_GQ_END_ELLIPSIS,
	R_GQ_ALPHA, R_GQ_STOP_WORDS,
	R_GR_DUP_PARA, R_GR_DUP_PARA_CHAR, R_GR_DUP_LINE, R_GR_DUP_LINE_CHAR,
	R_GR_TOP2, R_GR_TOP3, R_GR_TOP4,
	R_GR_DUP5, R_GR_DUP6, R_GR_DUP7, R_GR_DUP8, R_GR_DUP9, R_GR_DUP10,
	/* C4 as C4 runs it (terminal punctuation required). */
	R_C4_LOREM, R_C4_CURLY, R_C4_FEW_SENTENCES, R_C4_BADWORDS,
	/* C4 as FineWeb runs it (filter_no_terminal_punct=False). */
	R_FC4_LOREM, R_FC4_CURLY, R_FC4_FEW_SENTENCES,
	R_FW_EMPTY, R_FW_LINE_PUNCT, R_FW_SHORT_LINE, R_FW_CHAR_DUP,
	R_FW_LIST,
	R_LANGUAGE,
	R_NRULES
};

struct sig_rule_info {
	const char *name;	/* the reason, e.g. "gopher_short_doc" */
	unsigned group;		/* SIG_* it belongs to */
	const char *what;	/* one line for --explain and the manual */
};
extern const struct sig_rule_info sig_rules[R_NRULES];

/* Adjustable thresholds (datatrove's keyword arguments). */
enum sig_param {
	P_MIN_DOC_WORDS, P_MAX_DOC_WORDS, P_MIN_AVG_WORD_LENGTH,
	P_MAX_AVG_WORD_LENGTH, P_MAX_SYMBOL_WORD_RATIO,
	P_MAX_BULLET_LINES_RATIO, P_MAX_ELLIPSIS_LINES_RATIO,
	P_MAX_NON_ALPHA_WORDS_RATIO, P_MIN_STOP_WORDS,
	P_DUP_PARA_FRAC, P_DUP_PARA_CHAR_FRAC, P_DUP_LINE_FRAC,
	P_DUP_LINE_CHAR_FRAC, P_TOP_2_GRAM, P_TOP_3_GRAM, P_TOP_4_GRAM,
	P_DUP_5_GRAM, P_DUP_6_GRAM, P_DUP_7_GRAM, P_DUP_8_GRAM, P_DUP_9_GRAM,
	P_DUP_10_GRAM,
	P_MIN_NUM_SENTENCES, P_MIN_WORDS_PER_LINE, P_MAX_WORD_LENGTH,
	P_LINE_PUNCT_THR, P_SHORT_LINE_THR, P_SHORT_LINE_LENGTH,
	P_CHAR_DUPLICATES_RATIO, P_NEW_LINE_RATIO,
	P_MIN_LANG_SCORE,
	P_NPARAMS
};

struct sig_param_info {
	const char *name;	/* "gopher_quality.min_doc_words" */
	double def;
};
extern const struct sig_param_info sig_params[P_NPARAMS];

struct sig_shared;

struct sig_config {
	unsigned groups;	/* SIG_* to compute */
	double p[P_NPARAMS];
	char lang[16];		/* the language rule wants this (default en) */
	char badwords_lang[32];	/* fixed list, or "" to follow lang id */
	struct sig_shared *sh;	/* loaded data: word lists, patterns */
	const struct tok *tok;	/* counts length.tokens; NULL: none */
};

/*
 * Set the defaults for the groups given.  Nothing is loaded yet.
 */
void sig_config_init(struct sig_config *c, unsigned groups);

/*
 * Set a threshold from "NAME=VALUE" (NAME as in sig_params, with or
 * without the group prefix).  Returns 0, or -1 with e set.
 */
int sig_config_set(struct sig_config *c, const char *assignment,
    struct df_err *e) __attribute__((warn_unused_result));

/*
 * Load what the groups need: the hyphenation patterns (readability) and
 * the bad-word lists (badwords, c4).  Returns 0, or -1 with e set.
 */
int sig_config_load(struct sig_config *c, struct df_err *e)
    __attribute__((warn_unused_result));

void sig_config_release(struct sig_config *c);

/* Per-thread scratch space. */
struct sig_ctx;

/* Everything computed for one text. */
struct sig_result {
	unsigned char fail[R_NRULES];
	struct langid lang;
	size_t n_chars, n_bytes, n_words, n_lines, n_paragraphs;
	/* PII counts. */
	size_t n_email, n_phone, n_ip, n_card;
};

struct sig_ctx *sig_ctx_new(const struct sig_config *c);
void sig_ctx_free(struct sig_ctx *x);

/*
 * Compute the configured signals of the UTF-8 text s[0..len) (valid
 * UTF-8) into r, and their JSON object (the value of "scores", without
 * "tokens" or LLM scores) into json, which is reset first.
 */
void sig_compute(struct sig_ctx *x, const char *s, size_t len,
    struct sig_result *r, struct buf *json);

/*
 * The share of letters in the script named by its ISO 15924 code
 * ("Mlym", "Latn") in the text last computed with x (group SIG_SCRIPT);
 * -1 when the name is no script.
 */
double sig_script_share(const struct sig_ctx *x, const char *script);

/* Whether name is an ISO 15924 script code ICU knows. */
int sig_script_known(const char *name);

/*
 * Append s[0..len) to out with e-mail addresses, phone numbers, IP
 * addresses and card numbers replaced by [EMAIL], [PHONE], [IP] and
 * [CARD].  Returns the number of replacements.
 */
size_t sig_redact(struct sig_ctx *x, const char *s, size_t len,
    struct buf *out);

/* Luhn check of the decimal digits d[0..n). */
int sig_luhn(const char *d, size_t n);

#endif
