/*
 * Heuristic quality signals (signals.h).
 *
 * A text is decoded once into code points (Python's indexing, so every
 * length and ratio counts what len() counts) and into UTF-16 for ICU's
 * word and sentence break iterators.  Each filter then follows the
 * datatrove source line by line: the same splits (splitlines(),
 * split("\n"), re.split("\n+")), the same comparisons (> or >=, < or
 * <=) and the same thresholds; where a Python expression would divide by
 * zero the signal is null and its rule does not fire.  Unlike datatrove,
 * which returns at the first failing rule, every rule is evaluated, so a
 * rejected record names all that failed.
 */
#define _GNU_SOURCE	/* memmem */
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hyphen.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "datadir.h"
#include "json.h"
#include "signals.h"

const struct sig_rule_info sig_rules[R_NRULES] = {
	{ "gopher_short_doc", SIG_GOPHER_QUALITY,
	    "fewer than min_doc_words non-symbol words" },
	{ "gopher_long_doc", SIG_GOPHER_QUALITY,
	    "more than max_doc_words non-symbol words" },
	{ "gopher_below_avg_threshold", SIG_GOPHER_QUALITY,
	    "mean non-symbol word length below min_avg_word_length" },
	{ "gopher_above_avg_threshold", SIG_GOPHER_QUALITY,
	    "mean non-symbol word length above max_avg_word_length" },
	{ "gopher_too_many_hashes", SIG_GOPHER_QUALITY,
	    "'#' per word above max_symbol_word_ratio" },
	{ "gopher_too_many_ellipsis", SIG_GOPHER_QUALITY,
	    "ellipses per word above max_symbol_word_ratio" },
	{ "gopher_too_many_bullets", SIG_GOPHER_QUALITY,
	    "share of lines starting with a bullet above "
	    "max_bullet_lines_ratio" },
	{ "gopher_too_many_end_ellipsis", SIG_GOPHER_QUALITY,
	    "share of lines ending in an ellipsis above "
	    "max_ellipsis_lines_ratio" },
	{ "gopher_below_alpha_threshold", SIG_GOPHER_QUALITY,
	    "share of words with a letter below max_non_alpha_words_ratio" },
	{ "gopher_enough_stop_words", SIG_GOPHER_QUALITY,
	    "fewer than min_stop_words stop words" },
	{ "dup_para_frac", SIG_GOPHER_REPETITION,
	    "duplicate paragraphs over paragraphs above dup_para_frac" },
	{ "dup_para_char_frac", SIG_GOPHER_REPETITION,
	    "characters in duplicate paragraphs above dup_para_char_frac" },
	{ "dup_line_frac", SIG_GOPHER_REPETITION,
	    "duplicate lines over lines above dup_line_frac" },
	{ "dup_line_char_frac", SIG_GOPHER_REPETITION,
	    "characters in duplicate lines above dup_line_char_frac" },
	{ "top_2_gram", SIG_GOPHER_REPETITION,
	    "characters of the commonest 2-gram above top_2_gram" },
	{ "top_3_gram", SIG_GOPHER_REPETITION,
	    "characters of the commonest 3-gram above top_3_gram" },
	{ "top_4_gram", SIG_GOPHER_REPETITION,
	    "characters of the commonest 4-gram above top_4_gram" },
	{ "duplicated_5_n_grams", SIG_GOPHER_REPETITION,
	    "characters in repeated 5-grams above dup_5_gram" },
	{ "duplicated_6_n_grams", SIG_GOPHER_REPETITION,
	    "characters in repeated 6-grams above dup_6_gram" },
	{ "duplicated_7_n_grams", SIG_GOPHER_REPETITION,
	    "characters in repeated 7-grams above dup_7_gram" },
	{ "duplicated_8_n_grams", SIG_GOPHER_REPETITION,
	    "characters in repeated 8-grams above dup_8_gram" },
	{ "duplicated_9_n_grams", SIG_GOPHER_REPETITION,
	    "characters in repeated 9-grams above dup_9_gram" },
	{ "duplicated_10_n_grams", SIG_GOPHER_REPETITION,
	    "characters in repeated 10-grams above dup_10_gram" },
	{ "lorem_ipsum", SIG_C4, "a kept line says 'lorem ipsum'" },
	{ "curly_bracket", SIG_C4, "a kept line holds '{'" },
	{ "too_few_sentences", SIG_C4,
	    "fewer than min_num_sentences sentences in kept lines" },
	{ "document_removed_with_badwords", SIG_C4,
	    "a word of the LDNOOBW list for the language" },
	{ "lorem_ipsum", SIG_FINEWEB,
	    "as C4, without the terminal-punctuation line rule" },
	{ "curly_bracket", SIG_FINEWEB,
	    "as C4, without the terminal-punctuation line rule" },
	{ "too_few_sentences", SIG_FINEWEB,
	    "as C4, without the terminal-punctuation line rule" },
	{ "empty", SIG_FINEWEB, "no line that is not blank" },
	{ "line_punct_ratio", SIG_FINEWEB,
	    "share of lines ending in terminal punctuation below "
	    "line_punct_thr" },
	{ "short_line_ratio", SIG_FINEWEB,
	    "share of lines of at most short_line_length characters above "
	    "short_line_thr" },
	{ "char_dup_ratio", SIG_FINEWEB,
	    "characters in duplicate lines above char_duplicates_ratio" },
	{ "list_ratio", SIG_FINEWEB,
	    "newlines per word above new_line_ratio" },
	{ "language", SIG_LANG,
	    "detected language not --lang, or its score below "
	    "min_lang_score" },
};

const struct sig_param_info sig_params[P_NPARAMS] = {
	{ "gopher_quality.min_doc_words", 50 },
	{ "gopher_quality.max_doc_words", 100000 },
	{ "gopher_quality.min_avg_word_length", 3 },
	{ "gopher_quality.max_avg_word_length", 10 },
	{ "gopher_quality.max_symbol_word_ratio", 0.1 },
	{ "gopher_quality.max_bullet_lines_ratio", 0.9 },
	{ "gopher_quality.max_ellipsis_lines_ratio", 0.3 },
	{ "gopher_quality.max_non_alpha_words_ratio", 0.8 },
	{ "gopher_quality.min_stop_words", 2 },
	{ "gopher_repetition.dup_para_frac", 0.3 },
	{ "gopher_repetition.dup_para_char_frac", 0.2 },
	{ "gopher_repetition.dup_line_frac", 0.3 },
	{ "gopher_repetition.dup_line_char_frac", 0.2 },
	{ "gopher_repetition.top_2_gram", 0.2 },
	{ "gopher_repetition.top_3_gram", 0.18 },
	{ "gopher_repetition.top_4_gram", 0.16 },
	{ "gopher_repetition.dup_5_gram", 0.15 },
	{ "gopher_repetition.dup_6_gram", 0.14 },
	{ "gopher_repetition.dup_7_gram", 0.13 },
	{ "gopher_repetition.dup_8_gram", 0.12 },
	{ "gopher_repetition.dup_9_gram", 0.11 },
	{ "gopher_repetition.dup_10_gram", 0.10 },
	{ "c4.min_num_sentences", 5 },
	{ "c4.min_words_per_line", 3 },
	{ "c4.max_word_length", 1000 },
	{ "fineweb.line_punct_thr", 0.12 },
	{ "fineweb.short_line_thr", 0.67 },
	{ "fineweb.short_line_length", 30 },
	{ "fineweb.char_duplicates_ratio", 0.01 },
	{ "fineweb.new_line_ratio", 0.3 },
	{ "lang.min_lang_score", 0.65 },
};

/* The languages LDNOOBW has lists for (datatrove's _BADWORDS_LANGS). */
static const char *const bw_langs[] = {
	"ar", "cs", "da", "de", "en", "eo", "es", "fa", "fi", "fil", "fr",
	"fr-CA-u-sd-caqc", "hi", "hu", "it", "ja", "kab", "ko", "nl", "no",
	"pl", "pt", "ru", "sv", "th", "tlh", "tr", "zh"
};
#define NBWLANG (sizeof(bw_langs) / sizeof(bw_langs[0]))

/* An open-addressing table of 128-bit keys; cleared by a generation. */
struct hslot {
	uint64_t k0, k1;
	uint32_t gen, val;
};

struct htab {
	struct hslot *s;
	size_t cap, n;
	uint32_t gen;
};

/* Start a new generation able to hold n keys. */
static void
ht_begin(struct htab *t, size_t n)
{
	size_t need = 16;

	while (need < 2 * n + 2)
		need *= 2;
	if (need > t->cap) {
		free(t->s);
		t->s = df_xcalloc(need, sizeof(*t->s));
		t->cap = need;
		t->gen = 0;
	}
	t->n = 0;
	if (++t->gen == 0) {
		memset(t->s, 0, t->cap * sizeof(*t->s));
		t->gen = 1;
	}
}

/* Keys may be small integers (trie edges): spread them. */
static size_t
ht_index(const struct htab *t, uint64_t k0, uint64_t k1)
{
	uint64_t h = (k0 ^ (k1 * 0x9e3779b97f4a7c15ULL)) *
	    0xff51afd7ed558ccdULL;

	return (size_t)(h ^ (h >> 32)) & (t->cap - 1);
}

/* Find or add a key; *added says which.  The table must have room. */
static uint32_t *
ht_put(struct htab *t, uint64_t k0, uint64_t k1, int *added)
{
	size_t i = ht_index(t, k0, k1);

	for (;;) {
		struct hslot *s = &t->s[i];

		if (s->gen != t->gen) {
			s->gen = t->gen;
			s->k0 = k0;
			s->k1 = k1;
			s->val = 0;
			t->n++;
			*added = 1;
			return &s->val;
		}
		if (s->k0 == k0 && s->k1 == k1) {
			*added = 0;
			return &s->val;
		}
		i = (i + 1) & (t->cap - 1);
	}
}

static const uint32_t *
ht_get(const struct htab *t, uint64_t k0, uint64_t k1)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	i = ht_index(t, k0, k1);
	for (;;) {
		const struct hslot *s = &t->s[i];

		if (s->gen != t->gen)
			return NULL;
		if (s->k0 == k0 && s->k1 == k1)
			return &s->val;
		i = (i + 1) & (t->cap - 1);
	}
}

/* Bad-word lists: one trie over code points per language. */
struct sig_shared {
	HyphenDict *hyph;
	struct htab edges;	/* (node, code point) -> child */
	unsigned char *term;	/* node ends a word */
	uint32_t nnodes, capnodes;
	uint32_t root[NBWLANG];	/* 0: no list */
	/*
	 * Per list, a bit per pair of ASCII first characters that starts
	 * some word (a one-character word sets every pair of its first),
	 * so most word starts are passed over without touching the trie.
	 */
	unsigned char pair[NBWLANG][128 * 128 / 8];
	size_t nwords[NBWLANG];
};

struct word {
	uint32_t start, len;	/* code points */
	uint64_t h0, h1;
	unsigned nonsym:1, alpha:1, stop:1;
};

struct span {
	size_t a, b;		/* byte offsets */
	int kind;
};

enum { PII_EMAIL, PII_PHONE, PII_IP, PII_CARD };

struct sig_ctx {
	const struct sig_config *c;
	UBreakIterator *wbi, *sbi;
	UChar32 *cp;
	size_t ncp, capcp;
	UChar *u16;
	int32_t n16;
	size_t capu16;
	uint32_t *u2cp;		/* UTF-16 index -> code point index */
	size_t capu2cp;
	int has_surr;
	struct word *w;
	size_t nw, capw;
	uint32_t *plen;		/* prefix sums of word lengths */
	uint64_t *g0, *g1;	/* n-gram hashes being built */
	size_t capg;
	uint32_t *cnt, *first;
	size_t capcnt;
	struct htab ht;
	struct htab syl;	/* syllable cache */
	char *hyphens;
	size_t caphyph;
	struct buf tmp;
	uint32_t *sent;		/* sentence boundaries (code points) */
	size_t nsent, capsent;
	size_t script[USCRIPT_CODE_LIMIT];
	size_t script_total;
	struct span *sp;
	size_t nsp, capsp;
};

/* Python's str.isspace(). */
static inline int
py_isspace(UChar32 c)
{
	if (c < 0x80)
		return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c &&
		    c <= 0x1f);
	return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 &&
	    c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	    c == 0x205f || c == 0x3000;
}

/* A line boundary of Python's str.splitlines(). */
static inline int
py_linebreak(UChar32 c)
{
	if (c >= 0x20)
		return c == 0x85 || c == 0x2028 || c == 0x2029;
	return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c ||
	    c == 0x1c || c == 0x1d || c == 0x1e;
}

/* Python's isalpha(): general category L. */
static inline int
py_isalpha(UChar32 c)
{
	if (c < 0x80)
		return (c | 32) >= 'a' && (c | 32) <= 'z';
	return u_isalpha(c);
}

/* Python's re \w: alphanumeric or '_'. */
static inline int
py_isword(UChar32 c)
{
	int8_t t;

	if (c < 0x80)
		return ((c | 32) >= 'a' && (c | 32) <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_';
	if (u_isalpha(c))
		return 1;
	t = u_charType(c);
	return t == U_DECIMAL_DIGIT_NUMBER || t == U_LETTER_NUMBER ||
	    t == U_OTHER_NUMBER;
}

/* datatrove's PUNCTUATION_SET (utils/text.py). */
static inline int
dt_punct(UChar32 c)
{
	static const UChar32 wide[] = {
		0x2014, 0x201d, 0xff05, 0xff11, 0x3008, 0x3001, 0x2501,
		0x3010, 0x300c, 0x300d, 0xff0c, 0x3011, 0xff1b, 0x201c,
		0x300a, 0x201e, 0x2019, 0x2236, 0xb4, 0xff0e, 0xff08,
		0x2013, 0xff1f, 0xff01, 0xff1a, 0xff5e, 0xab, 0x3009,
		0x300b, 0xff09, 0x3002, 0x2026, 0x25ba, 0xbb
	};
	size_t i;

	/* The ASCII part: controls but tab and newline, marks, DEL. */
	static const unsigned char ascii[128] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1,
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
	};

	if (c < 0x80)
		return ascii[c];
	if (c < 160)
		return 1;
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (wide[i] == c)
			return 1;
	return 0;
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* Two independent hashes of cp[a..b). */
static void
hash_cps(const UChar32 *cp, size_t a, size_t b, uint64_t *h0, uint64_t *h1)
{
	uint64_t x = 0xcbf29ce484222325ULL, y = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = a; i < b; i++) {
		x = (x ^ (uint64_t)cp[i]) * 0x100000001b3ULL;
		y = (y + (uint64_t)cp[i]) * 0xff51afd7ed558ccdULL;
		y ^= y >> 29;
	}
	*h0 = mix64(x ^ (b - a));
	*h1 = mix64(y + (b - a));
}

void
sig_config_init(struct sig_config *c, unsigned groups)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->groups = groups;
	for (i = 0; i < P_NPARAMS; i++)
		c->p[i] = sig_params[i].def;
	strcpy(c->lang, "en");
}

int
sig_config_set(struct sig_config *c, const char *a, struct df_err *e)
{
	const char *eq = strchr(a, '='), *dot;
	size_t n;
	char *end;
	double v;
	int i;

	if (eq == NULL)
		return df_err_set(e, "usage", "'%s' is not NAME=VALUE", a);
	n = (size_t)(eq - a);
	v = strtod(eq + 1, &end);
	if (end == eq + 1 || *end != '\0' || !isfinite(v) || v < 0)
		return df_err_set(e, "usage", "'%s': the value must be a "
		    "number >= 0", a);
	for (i = 0; i < P_NPARAMS; i++) {
		const char *name = sig_params[i].name;

		dot = strchr(name, '.');
		if ((strlen(name) == n && strncmp(name, a, n) == 0) ||
		    (strlen(dot + 1) == n && strncmp(dot + 1, a, n) == 0)) {
			c->p[i] = v;
			return 0;
		}
	}
	return df_err_set(e, "usage", "no threshold named '%.*s'", (int)n,
	    a);
}

static uint32_t
trie_node(struct sig_shared *sh)
{
	if (sh->nnodes == sh->capnodes) {
		sh->capnodes = sh->capnodes ? 2 * sh->capnodes : 1024;
		sh->term = df_xrealloc(sh->term, sh->capnodes);
	}
	sh->term[sh->nnodes] = 0;
	return sh->nnodes++;
}

/* Grow the edge table so it keeps room for one more key. */
static void
edges_room(struct htab *t)
{
	struct hslot *old = t->s;
	size_t oldcap = t->cap, i;
	int added;

	if (t->cap != 0 && 2 * (t->n + 1) < t->cap)
		return;
	t->s = NULL;
	t->cap = 0;
	ht_begin(t, oldcap ? oldcap : 512);
	for (i = 0; i < oldcap; i++)
		if (old[i].gen != 0)
			*ht_put(t, old[i].k0, old[i].k1, &added) = old[i].val;
	free(old);
}

/* Add the UTF-8 word w (lowercased) to the trie under root. */
static void
trie_add(struct sig_shared *sh, size_t k, const char *w, size_t len)
{
	uint32_t root = sh->root[k], node = root, *child;
	size_t i = 0;
	UChar32 c, c1 = -1, c2 = -1;
	int added, nc = 0, b;

	while (i < len) {
		U8_NEXT(w, i, len, c);
		if (c < 0)
			return;
		c = u_tolower(c);
		if (nc == 0)
			c1 = c;
		else if (nc == 1)
			c2 = c;
		nc++;
		edges_room(&sh->edges);
		child = ht_put(&sh->edges, node, (uint64_t)c, &added);
		if (added)
			*child = trie_node(sh);
		node = *child;
	}
	if (node == root)
		return;
	sh->term[node] = 1;
	if (c1 >= 0x80 || c2 >= 0x80)
		return;		/* not ASCII: always walked */
	for (b = 0; b < 128; b++)
		if (b == c2 || nc == 1)
			sh->pair[k][(c1 * 128 + b) / 8] |= (unsigned char)
			    (1u << ((c1 * 128 + b) % 8));
}

static int
load_badwords(struct sig_shared *sh, struct df_err *e)
{
	char rel[64], *path, *line = NULL;
	size_t cap = 0, k;
	ssize_t n;
	FILE *fp;

	trie_node(sh);		/* node 0: "no list" */
	for (k = 0; k < NBWLANG; k++) {
		snprintf(rel, sizeof(rel), "judge/badwords/%s", bw_langs[k]);
		if ((path = df_data_path(rel, e)) == NULL)
			return -1;
		if ((fp = fopen(path, "r")) == NULL) {
			df_err_set(e, "no-data-file", "%s: cannot open", path);
			free(path);
			return -1;
		}
		sh->root[k] = trie_node(sh);
		while ((n = getline(&line, &cap, fp)) > 0) {
			while (n > 0 && (line[n - 1] == '\n' ||
			    line[n - 1] == '\r' || line[n - 1] == ' '))
				n--;
			/* datatrove's allow-list, applied to every list. */
			if (n == 0 || strcmp(line, "sm") == 0 ||
			    (n == 6 && memcmp(line, "グロ", 6) == 0) ||
			    (n == 9 && memcmp(line, "女の子", 9) == 0) ||
			    (n == 3 && memcmp(line, "性", 3) == 0))
				continue;
			line[n] = '\0';
			if (strcmp(line, "sm") == 0)
				continue;
			trie_add(sh, k, line, (size_t)n);
			sh->nwords[k]++;
		}
		fclose(fp);
		free(path);
	}
	free(line);
	return 0;
}

int
sig_config_load(struct sig_config *c, struct df_err *e)
{
	const char *dic = getenv("DF_HYPHEN_DIC");

	c->sh = df_xcalloc(1, sizeof(*c->sh));
	if (c->groups & SIG_READABILITY) {
		if (dic == NULL)
			dic = "/usr/share/hyphen/hyph_en_US.dic";
		if ((c->sh->hyph = hnj_hyphen_load(dic)) == NULL)
			return df_err_set(e, "no-data-file", "cannot load "
			    "hyphenation patterns '%s' (Debian package "
			    "hyphen-en-us)", dic);
	}
	if (c->groups & (SIG_BADWORDS | SIG_C4))
		if (load_badwords(c->sh, e) < 0)
			return -1;
	if (c->badwords_lang[0] != '\0') {
		size_t k;

		for (k = 0; k < NBWLANG; k++)
			if (strcmp(bw_langs[k], c->badwords_lang) == 0)
				break;
		if (k == NBWLANG)
			return df_err_set(e, "usage", "no bad-word list for "
			    "'%s'", c->badwords_lang);
	}
	return 0;
}

void
sig_config_release(struct sig_config *c)
{
	if (c->sh == NULL)
		return;
	if (c->sh->hyph != NULL)
		hnj_hyphen_free(c->sh->hyph);
	free(c->sh->edges.s);
	free(c->sh->term);
	free(c->sh);
	c->sh = NULL;
}

struct sig_ctx *
sig_ctx_new(const struct sig_config *c)
{
	struct sig_ctx *x = df_xcalloc(1, sizeof(*x));
	UErrorCode st = U_ZERO_ERROR;

	x->c = c;
	x->wbi = ubrk_open(UBRK_WORD, "en", NULL, 0, &st);
	if (U_FAILURE(st))
		die("ICU word break iterator: %s", u_errorName(st));
	x->sbi = ubrk_open(UBRK_SENTENCE, "en", NULL, 0, &st);
	if (U_FAILURE(st))
		die("ICU sentence break iterator: %s", u_errorName(st));
	return x;
}

void
sig_ctx_free(struct sig_ctx *x)
{
	if (x == NULL)
		return;
	ubrk_close(x->wbi);
	ubrk_close(x->sbi);
	free(x->cp);
	free(x->u16);
	free(x->u2cp);
	free(x->w);
	free(x->plen);
	free(x->g0);
	free(x->g1);
	free(x->cnt);
	free(x->first);
	free(x->ht.s);
	free(x->syl.s);
	free(x->hyphens);
	buf_release(&x->tmp);
	free(x->sent);
	free(x->sp);
	free(x);
}

/* Decode s into code points and UTF-16 (invalid bytes become U+FFFD). */
static void
decode(struct sig_ctx *x, const char *s, size_t len)
{
	size_t i = 0, n = 0;
	int32_t k = 0;
	UChar32 c;

	if (len + 1 > x->capcp) {
		x->capcp = len + 1;
		x->cp = df_xrealloc(x->cp, x->capcp * sizeof(*x->cp));
	}
	if (2 * len + 2 > x->capu16) {
		x->capu16 = 2 * len + 2;
		x->u16 = df_xrealloc(x->u16, x->capu16 * sizeof(*x->u16));
		x->u2cp = df_xrealloc(x->u2cp, x->capu16 *
		    sizeof(*x->u2cp));
	}
	x->has_surr = 0;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			c = (unsigned char)s[i++];
		} else {
			U8_NEXT(s, i, len, c);
			if (c < 0)
				c = 0xfffd;
		}
		x->cp[n] = c;
		x->u2cp[k] = (uint32_t)n;
		if (c > 0xffff) {
			x->u16[k++] = U16_LEAD(c);
			x->u2cp[k] = (uint32_t)n;
			x->u16[k++] = U16_TRAIL(c);
		} else
			x->u16[k++] = (UChar)c;
		n++;
	}
	x->u2cp[k] = (uint32_t)n;
	x->ncp = n;
	x->n16 = k;
}

static int
is_stop(const UChar32 *cp, size_t a, size_t n)
{
	static const char *const stop[] = {
		"the", "be", "to", "of", "and", "that", "have", "with"
	};
	size_t k, i;

	if (n < 2 || n > 4)
		return 0;
	for (k = 0; k < sizeof(stop) / sizeof(stop[0]); k++) {
		if (strlen(stop[k]) != n)
			continue;
		for (i = 0; i < n; i++)
			if (cp[a + i] != (UChar32)stop[k][i])
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

/* ICU word-break segments that are not white space. */
static void
words(struct sig_ctx *x)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t a, b;
	size_t i, ca, cb;
	struct word *w;

	x->nw = 0;
	if (x->n16 == 0)
		return;
	ubrk_setText(x->wbi, x->u16, x->n16, &st);
	if (U_FAILURE(st))
		die("ICU word break: %s", u_errorName(st));
	a = ubrk_first(x->wbi);
	while ((b = ubrk_next(x->wbi)) != UBRK_DONE) {
		ca = x->u2cp[a];
		cb = x->u2cp[b];
		a = b;
		for (i = ca; i < cb; i++)
			if (!py_isspace(x->cp[i]))
				break;
		if (i == cb)
			continue;
		if (x->nw == x->capw) {
			x->capw = x->capw ? 2 * x->capw : 256;
			x->w = df_xrealloc(x->w, x->capw * sizeof(*x->w));
		}
		w = &x->w[x->nw++];
		w->start = (uint32_t)ca;
		w->len = (uint32_t)(cb - ca);
		w->nonsym = w->alpha = 0;
		for (i = ca; i < cb; i++) {
			if (!dt_punct(x->cp[i]))
				w->nonsym = 1;
			if (py_isalpha(x->cp[i]))
				w->alpha = 1;
		}
		w->stop = is_stop(x->cp, ca, cb - ca);
		hash_cps(x->cp, ca, cb, &w->h0, &w->h1);
	}
}

/* JSON output helpers. */
static void
jnum(struct buf *b, const char *key, double v, int defined)
{
	buf_addf(b, "\"%s\":", key);
	if (!defined || !isfinite(v))
		buf_adds(b, "null");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_addf(b, "%.0f", v);
	else
		buf_addf(b, "%.6g", v);
	buf_addc(b, ',');
}

static void
jint(struct buf *b, const char *key, size_t v)
{
	buf_addf(b, "\"%s\":%zu,", key, v);
}

/* Close an object whose last member left a comma. */
static void
jclose(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] == ',')
		b->len--;
	buf_addc(b, '}');
	buf_addc(b, ',');
}

/* "pass" and "failed" for the rules [lo, hi) of group g. */
static void
jverdict(struct buf *b, const struct sig_result *r, int lo, int hi)
{
	int i, any = 0, first = 1;

	for (i = lo; i < hi; i++)
		any |= r->fail[i];
	buf_addf(b, "\"pass\":%s,\"failed\":[", any ? "false" : "true");
	for (i = lo; i < hi; i++)
		if (r->fail[i]) {
			if (!first)
				buf_addc(b, ',');
			buf_addf(b, "\"%s\"", sig_rules[i].name);
			first = 0;
		}
	buf_adds(b, "],");
}

static int
ends_with(const UChar32 *cp, size_t a, size_t b, const char *pat)
{
	size_t m = strlen(pat), j;

	if (b - a < m)
		return 0;
	for (j = 0; j < m; j++)
		if (cp[b - m + j] != (UChar32)pat[j])
			return 0;
	return 1;
}

/* Strip Python white space from both ends of [*a, *b). */
static void
strip(const UChar32 *cp, size_t *a, size_t *b)
{
	while (*a < *b && py_isspace(cp[*a]))
		(*a)++;
	while (*b > *a && py_isspace(cp[*b - 1]))
		(*b)--;
}

static double
ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

/* Fire when v > max (max 0 or NaN v: never), as "if max and v > max". */
static unsigned char
above(double v, double max)
{
	return max != 0 && isfinite(v) && v > max;
}

static unsigned char
below(double v, double min)
{
	return min != 0 && isfinite(v) && v < min;
}

static void
gopher_quality(struct sig_ctx *x, struct sig_result *r, struct buf *j)
{
	const double *p = x->c->p;
	const UChar32 *cp = x->cp;
	size_t i, nns = 0, sumlen = 0, nalpha = 0, nstop = 0, nlines = 0;
	size_t bullets = 0, endell = 0, a, b, la;
	double avg, hashes, ell;

	for (i = 0; i < x->nw; i++) {
		if (x->w[i].nonsym) {
			nns++;
			sumlen += x->w[i].len;
		}
		nalpha += x->w[i].alpha;
		nstop += x->w[i].stop;
	}
	avg = nns ? (double)sumlen / (double)nns : NAN;
	/* text.count("#"), text.count("...") + text.count("\u2026") */
	{
		size_t nh = 0, ne = 0;

		for (i = 0; i < x->ncp; i++) {
			if (cp[i] == '#')
				nh++;
			else if (cp[i] == 0x2026)
				ne++;
			else if (cp[i] == '.' && i + 2 < x->ncp &&
			    cp[i + 1] == '.' && cp[i + 2] == '.') {
				ne++;
				i += 2;
			}
		}
		hashes = ratio((double)nh, (double)x->nw);
		ell = ratio((double)ne, (double)x->nw);
	}
	/* text.splitlines() */
	for (la = 0, i = 0; i <= x->ncp; i++) {
		if (i < x->ncp && !py_linebreak(cp[i]))
			continue;
		if (i == x->ncp && la == x->ncp)
			break;
		nlines++;
		a = la;
		b = i;
		while (a < b && py_isspace(cp[a]))
			a++;
		if (a < b && (cp[a] == 0x2022 || cp[a] == '-'))
			bullets++;
		a = la;
		while (b > a && py_isspace(cp[b - 1]))
			b--;
		if (ends_with(cp, a, b, "...") || (b > a && cp[b - 1] ==
		    0x2026))
			endell++;
		if (i < x->ncp && cp[i] == '\r' && i + 1 < x->ncp &&
		    cp[i + 1] == '\n')
			i++;
		la = i + 1;
	}
	r->fail[R_GQ_SHORT_DOC] = p[P_MIN_DOC_WORDS] != 0 &&
	    (double)nns < p[P_MIN_DOC_WORDS];
	r->fail[R_GQ_LONG_DOC] = above((double)nns, p[P_MAX_DOC_WORDS]);
	r->fail[R_GQ_BELOW_AVG] = below(avg, p[P_MIN_AVG_WORD_LENGTH]);
	r->fail[R_GQ_ABOVE_AVG] = above(avg, p[P_MAX_AVG_WORD_LENGTH]);
	r->fail[R_GQ_HASHES] = above(hashes, p[P_MAX_SYMBOL_WORD_RATIO]);
	r->fail[R_GQ_ELLIPSIS] = above(ell, p[P_MAX_SYMBOL_WORD_RATIO]);
	r->fail[R_GQ_BULLETS] = above(ratio((double)bullets, (double)nlines),
	    p[P_MAX_BULLET_LINES_RATIO]);
	r->fail[R_GQ_END_ELLIPSIS] = above(ratio((double)endell,
	    (double)nlines), p[P_MAX_ELLIPSIS_LINES_RATIO]);
	r->fail[R_GQ_ALPHA] = below(ratio((double)nalpha, (double)x->nw),
	    p[P_MAX_NON_ALPHA_WORDS_RATIO]);
	r->fail[R_GQ_STOP_WORDS] = p[P_MIN_STOP_WORDS] != 0 &&
	    (double)nstop < p[P_MIN_STOP_WORDS];

	buf_adds(j, "\"gopher_quality\":{");
	jverdict(j, r, R_GQ_SHORT_DOC, R_GQ_STOP_WORDS + 1);
	jint(j, "words", x->nw);
	jint(j, "non_symbol_words", nns);
	jnum(j, "avg_word_length", avg, 1);
	jnum(j, "hash_ratio", hashes, 1);
	jnum(j, "ellipsis_ratio", ell, 1);
	jnum(j, "bullet_lines_ratio", ratio((double)bullets, (double)nlines),
	    1);
	jnum(j, "end_ellipsis_lines_ratio", ratio((double)endell,
	    (double)nlines), 1);
	jnum(j, "alpha_words_ratio", ratio((double)nalpha, (double)x->nw), 1);
	jint(j, "stop_words", nstop);
	jclose(j);
}

/*
 * find_duplicates() over the segments [a[i], b[i]): duplicate elements
 * and the characters in them.
 */
static void
find_dups(struct sig_ctx *x, const uint32_t *seg, size_t n, size_t *ndup,
    size_t *nchars)
{
	size_t i;
	uint64_t h0, h1;
	int added;

	*ndup = *nchars = 0;
	ht_begin(&x->ht, n);
	for (i = 0; i < n; i++) {
		hash_cps(x->cp, seg[2 * i], seg[2 * i + 1], &h0, &h1);
		(void)ht_put(&x->ht, h0, h1, &added);
		if (!added) {
			(*ndup)++;
			*nchars += seg[2 * i + 1] - seg[2 * i];
		}
	}
}

/* The segment list, reused. */
static uint32_t *
seg_room(struct sig_ctx *x, size_t n)
{
	if (n > x->capcnt) {
		x->capcnt = n;
		x->cnt = df_xrealloc(x->cnt, n * sizeof(*x->cnt));
		x->first = df_xrealloc(x->first, n * sizeof(*x->first));
	}
	return x->cnt;
}

/*
 * Extend the hashes of the (n-1)-grams in x->g0/x->g1 to n-grams: entry i
 * covers words i..i+n-1.
 */
static void
ngram_extend(struct sig_ctx *x, size_t n)
{
	size_t i, nn = x->nw >= n ? x->nw - n + 1 : 0;

	for (i = 0; i < nn; i++) {
		uint64_t a = x->g0[i], b = x->g1[i];

		a = (a ^ x->w[i + n - 1].h0) * 0x9e3779b97f4a7c15ULL;
		a ^= a >> 32;
		b = (b + x->w[i + n - 1].h1) * 0xc2b2ae3d27d4eb4fULL;
		b ^= b >> 29;
		x->g0[i] = a;
		x->g1[i] = b;
	}
}

/*
 * re.split() of cp[a..b) on runs of at least minrun newlines: the number
 * of pieces, and with seg their bounds.
 */
static size_t
split_runs(const UChar32 *cp, size_t a, size_t b, size_t minrun,
    uint32_t *seg)
{
	size_t n = 0, s = a, i = a, k;

	while (i < b) {
		if (cp[i] != '\n') {
			i++;
			continue;
		}
		for (k = i; k < b && cp[k] == '\n'; k++)
			;
		if (k - i >= minrun) {
			if (seg != NULL) {
				seg[2 * n] = (uint32_t)s;
				seg[2 * n + 1] = (uint32_t)i;
			}
			n++;
			s = k;
		}
		i = k;
	}
	if (seg != NULL) {
		seg[2 * n] = (uint32_t)s;
		seg[2 * n + 1] = (uint32_t)b;
	}
	return n + 1;
}

/* The number of lines str.splitlines() gives. */
static size_t
count_lines(const UChar32 *cp, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (py_linebreak(cp[i])) {
			k++;
			if (cp[i] == '\r' && i + 1 < n && cp[i + 1] == '\n')
				i++;
		}
	return k + (n > 0 && !py_linebreak(cp[n - 1]));
}

static void
gopher_repetition(struct sig_ctx *x, struct sig_result *r, struct buf *j)
{
	static const char *const topname[] = { "top_2_gram", "top_3_gram",
		"top_4_gram" };
	static const char *const dupname[] = { "dup_5_gram", "dup_6_gram",
		"dup_7_gram", "dup_8_gram", "dup_9_gram", "dup_10_gram" };
	const double *p = x->c->p;
	const UChar32 *cp = x->cp;
	size_t n = x->ncp, a, b, i, k, nseg, ndup, nch, nw = x->nw;
	uint32_t *seg;
	double f[4], top[3], dup[6];
	int g;

	/* Paragraphs: re.split(r"\n{2,}", text.strip()). */
	a = 0;
	b = n;
	strip(cp, &a, &b);
	nseg = split_runs(cp, a, b, 2, NULL);
	seg = seg_room(x, 2 * nseg + 2);
	(void)split_runs(cp, a, b, 2, seg);
	find_dups(x, seg, nseg, &ndup, &nch);
	f[0] = ratio((double)ndup, (double)nseg);
	f[1] = ratio((double)nch, (double)n);
	/* Lines: re.split("\n+", text). */
	nseg = split_runs(cp, 0, n, 1, NULL);
	seg = seg_room(x, 2 * nseg + 2);
	(void)split_runs(cp, 0, n, 1, seg);
	find_dups(x, seg, nseg, &ndup, &nch);
	f[2] = ratio((double)ndup, (double)nseg);
	f[3] = ratio((double)nch, (double)n);

	/* Word n-grams. */
	if (nw + 1 > x->capcnt)
		(void)seg_room(x, nw + 1);
	x->plen = df_xrealloc(x->plen, (nw + 1) * sizeof(*x->plen));
	x->plen[0] = 0;
	for (i = 0; i < nw; i++)
		x->plen[i + 1] = x->plen[i] + x->w[i].len;
	if (nw > x->capg) {
		x->capg = nw;
		x->g0 = df_xrealloc(x->g0, nw * sizeof(*x->g0));
		x->g1 = df_xrealloc(x->g1, nw * sizeof(*x->g1));
	}
	for (i = 0; i < nw; i++) {
		x->g0[i] = 0x243f6a8885a308d3ULL;
		x->g1[i] = 0x13198a2e03707344ULL;
	}
	ngram_extend(x, 1);
	for (g = 2; g <= 4; g++) {
		size_t nn = nw >= (size_t)g ? nw - (size_t)g + 1 : 0, best = 0;
		uint64_t h0, h1;
		uint32_t *v, nuniq = 0;
		int added;

		top[g - 2] = NAN;
		ngram_extend(x, (size_t)g);
		if (nn == 0)
			continue;
		ht_begin(&x->ht, nn);
		for (i = 0; i < nn; i++) {
			h0 = mix64(x->g0[i] + (uint64_t)g);
			h1 = x->g1[i] ^ (uint64_t)g;
			v = ht_put(&x->ht, h0, h1, &added);
			if (added) {
				*v = nuniq;
				x->cnt[nuniq] = 1;
				x->first[nuniq] = (uint32_t)i;
				nuniq++;
			} else
				x->cnt[*v]++;
		}
		for (k = 1; k < nuniq; k++)
			if (x->cnt[k] > x->cnt[best])
				best = k;
		i = x->first[best];
		top[g - 2] = ratio((double)x->cnt[best] *
		    (double)(x->plen[i + (size_t)g] - x->plen[i] +
		    (size_t)g - 1), (double)n);
	}
	for (g = 5; g <= 10; g++) {
		size_t idx = 0, rep = 0;
		uint64_t h0, h1;
		int added;

		ngram_extend(x, (size_t)g);
		ht_begin(&x->ht, nw);
		while (nw >= (size_t)g && idx < nw - (size_t)g + 1) {
			h0 = mix64(x->g0[idx] + (uint64_t)g);
			h1 = x->g1[idx] ^ (uint64_t)g;
			(void)ht_put(&x->ht, h0, h1, &added);
			if (added)
				idx++;
			else {
				rep += x->plen[idx + (size_t)g] - x->plen[idx];
				idx += (size_t)g;
			}
		}
		dup[g - 5] = ratio((double)rep, (double)n);
	}
	r->fail[R_GR_DUP_PARA] = above(f[0], p[P_DUP_PARA_FRAC]);
	r->fail[R_GR_DUP_PARA_CHAR] = above(f[1], p[P_DUP_PARA_CHAR_FRAC]);
	r->fail[R_GR_DUP_LINE] = above(f[2], p[P_DUP_LINE_FRAC]);
	r->fail[R_GR_DUP_LINE_CHAR] = above(f[3], p[P_DUP_LINE_CHAR_FRAC]);
	for (g = 0; g < 3; g++)
		r->fail[R_GR_TOP2 + g] = above(top[g], p[P_TOP_2_GRAM + g]);
	for (g = 0; g < 6; g++)
		r->fail[R_GR_DUP5 + g] = above(dup[g], p[P_DUP_5_GRAM + g]);

	buf_adds(j, "\"gopher_repetition\":{");
	jverdict(j, r, R_GR_DUP_PARA, R_GR_DUP10 + 1);
	jnum(j, "dup_para_frac", f[0], 1);
	jnum(j, "dup_para_char_frac", f[1], 1);
	jnum(j, "dup_line_frac", f[2], 1);
	jnum(j, "dup_line_char_frac", f[3], 1);
	for (g = 0; g < 3; g++)
		jnum(j, topname[g], top[g], 1);
	for (g = 0; g < 6; g++)
		jnum(j, dupname[g], dup[g], 1);
	jclose(j);
}

/* Sentence boundaries (ICU) of the whole text, as code point indices. */
static void
sentences(struct sig_ctx *x)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t b;

	x->nsent = 0;
	if (x->n16 == 0)
		return;
	ubrk_setText(x->sbi, x->u16, x->n16, &st);
	if (U_FAILURE(st))
		die("ICU sentence break: %s", u_errorName(st));
	(void)ubrk_first(x->sbi);
	while ((b = ubrk_next(x->sbi)) != UBRK_DONE) {
		if (x->nsent == x->capsent) {
			x->capsent = x->capsent ? 2 * x->capsent : 64;
			x->sent = df_xrealloc(x->sent, x->capsent *
			    sizeof(*x->sent));
		}
		x->sent[x->nsent++] = x->u2cp[b];
	}
}

/* Sentences in cp[a..b): ICU boundaries strictly inside, plus one. */
static size_t
sentences_in(const struct sig_ctx *x, size_t *pos, size_t a, size_t b)
{
	size_t k = 1;

	while (*pos < x->nsent && x->sent[*pos] <= a)
		(*pos)++;
	while (*pos < x->nsent && x->sent[*pos] < b) {
		k++;
		(*pos)++;
	}
	return k;
}

/* The bad-word list for this text: its index + 1, or 0 when none. */
static size_t
bw_list(const struct sig_ctx *x, const struct sig_result *r, int *nobound,
    const char **lang)
{
	const struct sig_shared *sh = x->c->sh;
	const char *l = x->c->badwords_lang;
	size_t k;

	if (l[0] == '\0') {
		l = r->lang.code;
		if (strcmp(l, "un") == 0)
			l = "en";	/* datatrove's default_language */
		else if (strcmp(l, "tl") == 0)
			l = "fil";
		else if (strcmp(l, "nb") == 0 || strcmp(l, "nn") == 0)
			l = "no";
		else if (strncmp(l, "zh", 2) == 0)
			l = "zh";
	}
	*lang = l;
	*nobound = strcmp(l, "ja") == 0 || strcmp(l, "th") == 0 ||
	    strcmp(l, "zh") == 0;
	for (k = 0; k < NBWLANG; k++)
		if (strcmp(bw_langs[k], l) == 0)
			return sh->root[k] ? k + 1 : 0;
	return 0;
}

/*
 * Count bad words: list entries flanked by non-word characters (or the
 * ends of the text), matched on the lowercased text; for ja, th and zh
 * anywhere.  After a hit the scan goes on after it.
 */
static size_t
badwords(struct sig_ctx *x, size_t lk, int nobound)
{
	const struct sig_shared *sh = x->c->sh;
	const unsigned char *pair = sh->pair[lk];
	uint32_t root = sh->root[lk];
	const UChar32 *cp = x->cp;
	size_t n = x->ncp, i, k, hits = 0, end;
	const uint32_t *child;
	uint32_t node;

	for (i = 0; i < n; i++) {
		if (!nobound && i > 0 && py_isword(cp[i - 1]))
			continue;
		if (cp[i] < 0x80 && i + 1 < n && cp[i + 1] < 0x80) {
			unsigned c1 = (unsigned)cp[i], c2 = (unsigned)cp[i + 1];

			c1 += c1 >= 'A' && c1 <= 'Z' ? 32 : 0;
			c2 += c2 >= 'A' && c2 <= 'Z' ? 32 : 0;
			if (!(pair[(c1 * 128 + c2) / 8] & (1u << ((c1 * 128 +
			    c2) % 8))))
				continue;
		}
		node = root;
		end = 0;
		for (k = i; k < n; k++) {
			UChar32 c = cp[k];

			c = c < 0x80 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) :
			    u_tolower(c);
			child = ht_get(&sh->edges, node, (uint64_t)c);
			if (child == NULL)
				break;
			node = *child;
			if (sh->term[node] && (nobound || k + 1 == n ||
			    !py_isword(cp[k + 1])))
				end = k + 1;
		}
		if (end > 0) {
			hits++;
			i = end - 1;
		}
	}
	return hits;
}

/* datatrove's CITATION_REGEX removed from cp[a..b); returns new end. */
static size_t
c4_citations(struct sig_ctx *x, size_t a, size_t b, UChar32 *out)
{
	const UChar32 *cp = x->cp;
	size_t i = a, o = 0, k;

	while (i < b) {
		if (cp[i] == '[') {
			k = i + 1;
			while (k < b && u_isdigit(cp[k]))
				k++;
			if (k < b && cp[k] == ']') {
				i = k + 1;
				continue;
			}
			if (b - i >= 6 && cp[i + 1] == 'e' && cp[i + 2] ==
			    'd' && cp[i + 3] == 'i' && cp[i + 4] == 't' &&
			    cp[i + 5] == ']') {
				i += 6;
				continue;
			}
			if (b - i >= 17) {
				static const char cn[] = "[citation needed]";

				for (k = 0; k < 17; k++)
					if (cp[i + k] != (UChar32)cn[k])
						break;
				if (k == 17) {
					i += 17;
					continue;
				}
			}
		}
		out[o++] = cp[i++];
	}
	return o;
}

/*
 * C4QualityFilter, twice in one pass: as C4 runs it (lines must end in
 * terminal punctuation) and as FineWeb runs it (they need not).  The
 * verdict on bad words (r->fail[R_C4_BADWORDS]) is set before.
 */
static void
c4(struct sig_ctx *x, struct sig_result *r, struct buf *j, int want_json)
{
	static const char *const policy[] = { "terms of use",
		"privacy policy", "cookie policy", "uses cookies",
		"use of cookies", "use cookies" };
	const double *p = x->c->p;
	const UChar32 *cp = x->cp;
	size_t n = x->ncp, la, i, k, a, b, nw, nlines = 0, pos = 0, o, ns;
	size_t kept[2] = { 0, 0 }, sent[2] = { 0, 0 };
	int lorem_hit[2] = { 0, 0 }, curly_hit[2] = { 0, 0 };
	int too_long, v, punct_ok, lorem, curly, js, pol;
	UChar32 *cl;
	char *lo;

	sentences(x);
	cl = df_xmalloc((n + 1) * sizeof(*cl));
	lo = df_xmalloc(n + 1);
	for (la = 0, i = 0; i <= n; i++) {
		if (i < n && !py_linebreak(cp[i]))
			continue;
		if (i == n && la == n)
			break;
		nlines++;
		a = la;
		b = i;
		if (i < n && cp[i] == '\r' && i + 1 < n && cp[i + 1] == '\n')
			i++;
		la = i + 1;
		strip(cp, &a, &b);
		/* words = line.split(); any longer than max_word_length? */
		too_long = 0;
		nw = 0;
		for (k = a; k < b;) {
			size_t s0;

			while (k < b && py_isspace(cp[k]))
				k++;
			if (k == b)
				break;
			s0 = k;
			while (k < b && !py_isspace(cp[k]))
				k++;
			nw++;
			if (p[P_MAX_WORD_LENGTH] != 0 &&
			    (double)(k - s0) > p[P_MAX_WORD_LENGTH])
				too_long = 1;
		}
		if (too_long)
			continue;
		o = c4_citations(x, a, b, cl);
		punct_ok = o > 0 && (cl[o - 1] == '.' || cl[o - 1] == '?' ||
		    cl[o - 1] == '!' || cl[o - 1] == '"' ||
		    cl[o - 1] == '\'') && !(o >= 3 && cl[o - 1] == '.' &&
		    cl[o - 2] == '.' && cl[o - 3] == '.');
		if (p[P_MIN_WORDS_PER_LINE] != 0 &&
		    (double)nw < p[P_MIN_WORDS_PER_LINE])
			continue;
		/* ASCII-lowercased bytes; other characters as 0x80. */
		curly = 0;
		for (k = 0; k < o; k++) {
			UChar32 c = cl[k];

			lo[k] = (char)(c >= 0x80 ? 0x80 : c >= 'A' && c <= 'Z' ?
			    c + 32 : c);
			curly |= c == '{';
		}
		lorem = memmem(lo, o, "lorem ipsum", 11) != NULL;
		js = memmem(lo, o, "javascript", 10) != NULL;
		pol = 0;
		for (k = 0; k < sizeof(policy) / sizeof(policy[0]) && !pol;
		    k++)
			pol = memmem(lo, o, policy[k], strlen(policy[k])) !=
			    NULL;
		ns = sentences_in(x, &pos, a, b);
		for (v = 0; v < 2; v++) {
			if (v == 0 && !punct_ok)
				continue;
			lorem_hit[v] |= lorem;
			if (lorem || js)
				continue;
			curly_hit[v] |= curly;
			if (curly || pol)
				continue;
			kept[v]++;
			sent[v] += ns;
		}
	}
	free(cl);
	free(lo);
	for (v = 0; v < 2; v++) {
		int base = v == 0 ? R_C4_LOREM : R_FC4_LOREM;

		r->fail[base] = (unsigned char)lorem_hit[v];
		r->fail[base + 1] = (unsigned char)curly_hit[v];
		r->fail[base + 2] = p[P_MIN_NUM_SENTENCES] != 0 &&
		    (double)sent[v] < p[P_MIN_NUM_SENTENCES];
	}
	if (!want_json)
		return;
	buf_adds(j, "\"c4\":{");
	jverdict(j, r, R_C4_LOREM, R_C4_BADWORDS + 1);
	jint(j, "lines", nlines);
	jint(j, "lines_kept", kept[0]);
	jint(j, "sentences", sent[0]);
	buf_adds(j, "\"fineweb\":{");
	jverdict(j, r, R_FC4_LOREM, R_FC4_FEW_SENTENCES + 1);
	jint(j, "lines_kept", kept[1]);
	jint(j, "sentences", sent[1]);
	jclose(j);
	jclose(j);
}

/* Terminal punctuation for FineWeb: Unicode's property, and quotes. */
static int
fw_stop_char(UChar32 c)
{
	if (c == '"' || c == '\'')
		return 1;
	return u_hasBinaryProperty(c, UCHAR_TERMINAL_PUNCTUATION);
}

static void
fineweb(struct sig_ctx *x, struct sig_result *r, struct buf *j)
{
	const double *p = x->c->p;
	const UChar32 *cp = x->cp;
	size_t n = x->ncp, i, la, a, b, nl = 0, npunct = 0, nshort = 0;
	size_t nnl = 0, ndup, nch;
	uint32_t *seg;
	double f[4];

	/* lines = [l for l in text.split("\n") if l.strip() != ""] */
	seg = seg_room(x, 2 * (n + 1));
	for (la = 0, i = 0; i <= n; i++) {
		if (i < n && cp[i] != '\n')
			continue;
		a = la;
		b = i;
		strip(cp, &a, &b);
		if (a < b) {
			seg[2 * nl] = (uint32_t)la;
			seg[2 * nl + 1] = (uint32_t)i;
			nl++;
			if (fw_stop_char(cp[i - 1]))
				npunct++;
			if ((double)(i - la) <= p[P_SHORT_LINE_LENGTH])
				nshort++;
		}
		if (i < n)
			nnl++;
		la = i + 1;
	}
	r->fail[R_FW_EMPTY] = nl == 0;
	f[0] = ratio((double)npunct, (double)nl);
	f[1] = ratio((double)nshort, (double)nl);
	find_dups(x, seg, nl, &ndup, &nch);
	f[2] = nl ? ratio((double)nch, (double)(n - nnl)) : NAN;
	f[3] = ratio((double)nnl, (double)x->nw);
	r->fail[R_FW_LINE_PUNCT] = nl > 0 && f[0] < p[P_LINE_PUNCT_THR];
	r->fail[R_FW_SHORT_LINE] = nl > 0 && f[1] > p[P_SHORT_LINE_THR];
	r->fail[R_FW_CHAR_DUP] = nl > 0 && f[2] > p[P_CHAR_DUPLICATES_RATIO];
	r->fail[R_FW_LIST] = nl > 0 && isfinite(f[3]) &&
	    f[3] > p[P_NEW_LINE_RATIO];
	buf_adds(j, "\"fineweb\":{");
	jverdict(j, r, R_FW_EMPTY, R_FW_LIST + 1);
	jnum(j, "line_punct_ratio", f[0], 1);
	jnum(j, "short_line_ratio", f[1], 1);
	jnum(j, "char_dup_ratio", f[2], 1);
	jnum(j, "list_ratio", f[3], 1);
	jclose(j);
}

/*
 * Syllables of the lowercased UTF-8 word w[0..n), NUL-terminated:
 * hyphenation points + 1.
 */
static unsigned
syllables(struct sig_ctx *x, const char *w, size_t n)
{
	HyphenDict *d = x->c->sh->hyph;
	uint64_t h0, h1;
	uint32_t *v;
	char **rep = NULL;
	int *pos = NULL, *cut = NULL, added;
	unsigned k = 1;
	size_t i;

	h0 = mix64(0x51 ^ n);
	h1 = mix64(0x7 + n);
	for (i = 0; i < n; i++) {
		h0 = (h0 ^ (unsigned char)w[i]) * 0x100000001b3ULL;
		h1 = (h1 + (unsigned char)w[i]) * 0xff51afd7ed558ccdULL;
	}
	h0 = mix64(h0);
	h1 = mix64(h1);
	if (x->syl.cap == 0 || 2 * (x->syl.n + 1) >= x->syl.cap) {
		if (x->syl.cap >= (1u << 20))
			ht_begin(&x->syl, x->syl.cap / 2 - 1);
		else {
			free(x->syl.s);
			x->syl.s = NULL;
			x->syl.cap = 0;
			ht_begin(&x->syl, x->syl.n ? 4 * x->syl.n : 4096);
		}
	}
	v = ht_put(&x->syl, h0, h1, &added);
	if (!added)
		return *v;
	if (n + 5 > x->caphyph) {
		x->caphyph = 2 * n + 5;
		x->hyphens = df_xrealloc(x->hyphens, x->caphyph);
	}
	if (n < 1024 && hnj_hyphen_hyphenate3(d, w, (int)n, x->hyphens, NULL,
	    &rep, &pos, &cut, 2, 2, 0, 0) == 0) {
		for (i = 0; i + 1 < n; i++)
			if (x->hyphens[i] & 1)
				k++;
	}
	if (rep != NULL) {
		for (i = 0; i < n; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
	*v = k;
	return k;
}

/*
 * textstat's remove_punctuation() and split() over cp[a..b): single
 * quotes that do not start a contraction ('t 's 'd 've 'll 're) and
 * every other character that is neither \w nor white space vanish
 * (without splitting), the rest splits on white space.  With syl, adds
 * each word's syllables to *syl.  Stops counting at limit (0: none).
 */
static size_t
ts_words(struct sig_ctx *x, size_t a, size_t b, size_t *syl, size_t limit)
{
	const UChar32 *cp = x->cp;
	struct buf *t = &x->tmp;
	size_t i, nw = 0;
	char u8[4];
	int32_t k;

	buf_reset(t);
	for (i = a; i <= b; i++) {
		UChar32 c = i < b ? cp[i] : ' ';

		if (py_isspace(c)) {
			if (t->len > 0) {
				if (++nw == limit)
					return nw;
				if (syl != NULL) {
					/* libhyphen reads it as a C string. */
					t->data[t->len] = '\0';
					*syl += syllables(x, t->data, t->len);
				}
				t->len = 0;
			}
			continue;
		}
		if (c == '\'') {
			size_t m = i + 1, e;

			e = m;
			if (m < b && (cp[m] == 't' || cp[m] == 's' ||
			    cp[m] == 'd'))
				e = m + 1;
			else if (m + 1 < b && ((cp[m] == 'v' && cp[m + 1] ==
			    'e') || (cp[m] == 'l' && cp[m + 1] == 'l') ||
			    (cp[m] == 'r' && cp[m + 1] == 'e')))
				e = m + 2;
			if (e == m || (e < b && py_isword(cp[e])))
				continue;
		} else if (!py_isword(c))
			continue;
		if (syl == NULL) {
			t->len = 1;	/* only whether there is a word */
			continue;
		}
		if (t->len + 4 >= t->cap)
			buf_grow(t, 64);
		if (c < 0x80) {
			t->data[t->len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 :
			    c);
			continue;
		}
		c = u_tolower(c);
		k = 0;
		U8_APPEND_UNSAFE(u8, k, c);
		memcpy(t->data + t->len, u8, (size_t)k);
		t->len += (size_t)k;
	}
	return nw;
}

static void
readability(struct sig_ctx *x, struct buf *j)
{
	const UChar32 *cp = x->cp;
	size_t n = x->ncp, i = 0, q, nsent = 0, ignore = 0, nw, syl = 0;
	double asl, asw;

	nw = ts_words(x, 0, n, &syl, 0);
	/* re.findall(r"\b[^.!?]+[.!?]*", text) */
	while (i < n) {
		int before = i > 0 && py_isword(cp[i - 1]);
		int here = py_isword(cp[i]);

		if (before != here && cp[i] != '.' && cp[i] != '!' &&
		    cp[i] != '?') {
			q = i;
			while (q < n && cp[q] != '.' && cp[q] != '!' &&
			    cp[q] != '?')
				q++;
			while (q < n && (cp[q] == '.' || cp[q] == '!' ||
			    cp[q] == '?'))
				q++;
			nsent++;
			if (ts_words(x, i, q, NULL, 3) <= 2)
				ignore++;
			i = q;
		} else
			i++;
	}
	nsent = nsent - ignore > 1 ? nsent - ignore : 1;
	asl = nw ? (double)nw / (double)nsent : NAN;
	asw = nw ? (double)syl / (double)nw : NAN;
	buf_adds(j, "\"readability\":{");
	jnum(j, "flesch_reading_ease", 206.835 - 1.015 * asl - 84.6 * asw,
	    nw > 0);
	jnum(j, "flesch_kincaid_grade", 0.39 * asl + 11.8 * asw - 15.59,
	    nw > 0);
	jint(j, "words", nw);
	jint(j, "sentences", nw ? nsent : 0);
	jint(j, "syllables", syl);
	jclose(j);
}

static void
scripts(struct sig_ctx *x, struct buf *j)
{
	UErrorCode st = U_ZERO_ERROR;
	size_t i, total = 0;
	int k, best, shown[USCRIPT_CODE_LIMIT];
	int8_t t;

	memset(x->script, 0, sizeof(x->script));
	for (i = 0; i < x->ncp; i++) {
		UChar32 c = x->cp[i];
		UScriptCode s;

		if (c < 0x80) {
			if ((c | 32) >= 'a' && (c | 32) <= 'z') {
				x->script[USCRIPT_LATIN]++;
				total++;
			}
			continue;
		}
		t = u_charType(c);
		if (!(t >= U_UPPERCASE_LETTER && t <= U_COMBINING_SPACING_MARK))
			continue;
		s = uscript_getScript(c, &st);
		if (U_FAILURE(st) || s <= USCRIPT_INHERITED || s >=
		    USCRIPT_CODE_LIMIT) {
			st = U_ZERO_ERROR;
			continue;
		}
		x->script[s]++;
		total++;
	}
	x->script_total = total;
	buf_adds(j, "\"script\":{");
	memset(shown, 0, sizeof(shown));
	for (;;) {
		best = -1;
		for (k = 0; k < USCRIPT_CODE_LIMIT; k++)
			if (x->script[k] > 0 && !shown[k] && (best < 0 ||
			    x->script[k] > x->script[best]))
				best = k;
		if (best < 0)
			break;
		shown[best] = 1;
		jnum(j, uscript_getShortName((UScriptCode)best),
		    (double)x->script[best] / (double)total, 1);
	}
	jclose(j);
}

double
sig_script_share(const struct sig_ctx *x, const char *script)
{
	UScriptCode code[4];
	UErrorCode st = U_ZERO_ERROR;
	int n = uscript_getCode(script, code, 4, &st);

	if (U_FAILURE(st) || n < 1 || code[0] < 0 ||
	    code[0] >= USCRIPT_CODE_LIMIT)
		return -1;
	if (x->script_total == 0)
		return 0;
	return (double)x->script[code[0]] / (double)x->script_total;
}

int
sig_script_known(const char *name)
{
	UScriptCode code[4];
	UErrorCode st = U_ZERO_ERROR;
	int n = uscript_getCode(name, code, 4, &st);

	return U_SUCCESS(st) && n >= 1 && code[0] > USCRIPT_INHERITED &&
	    strlen(name) == 4;
}

/* PII. */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

int
sig_luhn(const char *d, size_t n)
{
	size_t i;
	int sum = 0, v, dbl = 0;

	for (i = n; i-- > 0;) {
		v = d[i] - '0';
		if (dbl) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
		dbl = !dbl;
	}
	return n > 0 && sum % 10 == 0;
}

static void
add_span(struct sig_ctx *x, size_t a, size_t b, int kind)
{
	if (x->nsp == x->capsp) {
		x->capsp = x->capsp ? 2 * x->capsp : 16;
		x->sp = df_xrealloc(x->sp, x->capsp * sizeof(*x->sp));
	}
	x->sp[x->nsp].a = a;
	x->sp[x->nsp].b = b;
	x->sp[x->nsp].kind = kind;
	x->nsp++;
}

/* An e-mail address around the '@' at s[at]; its end, or 0. */
static size_t
email_at(const char *s, size_t len, size_t at, size_t lo, size_t *start)
{
	size_t a = at, b = at + 1, dot = 0, tld;

	while (a > lo && (is_alnum(s[a - 1]) || s[a - 1] == '.' ||
	    s[a - 1] == '_' || s[a - 1] == '%' || s[a - 1] == '+' ||
	    s[a - 1] == '-'))
		a--;
	while (a < at && s[a] == '.')
		a++;
	if (a == at)
		return 0;
	while (b < len && (is_alnum(s[b]) || s[b] == '.' || s[b] == '-'))
		b++;
	while (b > at + 1 && (s[b - 1] == '.' || s[b - 1] == '-'))
		b--;
	for (tld = at + 1; tld < b; tld++)
		if (s[tld] == '.')
			dot = tld;
	if (dot == 0 || dot == at + 1 || b - dot - 1 < 2)
		return 0;
	for (tld = dot + 1; tld < b; tld++)
		if (is_digit(s[tld]) || s[tld] == '-')
			return 0;
	*start = a;
	return b;
}

/* A dotted-quad IPv4 address at s[i]; its end, or 0. */
static size_t
ipv4_at(const char *s, size_t len, size_t i)
{
	size_t k = i;
	int part, v, nd;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (k >= len || s[k] != '.')
				return 0;
			k++;
		}
		v = 0;
		nd = 0;
		while (k < len && is_digit(s[k]) && nd < 4) {
			v = v * 10 + s[k] - '0';
			k++;
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			return 0;
	}
	if (k < len && (is_alnum(s[k]) || (s[k] == '.' && k + 1 < len &&
	    is_digit(s[k + 1]))))
		return 0;
	return k;
}

/* An IPv6 address starting at s[i]; its end, or 0. */
static size_t
ipv6_at(const char *s, size_t len, size_t i)
{
	char tmp[64];
	struct in6_addr a6;
	size_t k = i, colons = 0;

	while (k < len && k - i < 45 && (is_digit(s[k]) ||
	    ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'f') || s[k] == ':' ||
	    s[k] == '.')) {
		colons += s[k] == ':';
		k++;
	}
	while (k > i && (s[k - 1] == '.' || (s[k - 1] == ':' && !(k - i >= 2 &&
	    s[k - 2] == ':'))))
		k--;
	if (colons < 2 || k - i < 3 || (k < len && is_alnum(s[k])))
		return 0;
	memcpy(tmp, s + i, k - i);
	tmp[k - i] = '\0';
	if (inet_pton(AF_INET6, tmp, &a6) != 1)
		return 0;
	return k;
}

/*
 * A card or phone number at s[i]: digits in groups separated by single
 * spaces, hyphens, dots or parentheses.  Cards: 13 to 19 digits in
 * groups separated by spaces or hyphens that pass the Luhn check.
 * Phones: a leading '+' and 8 to 15 digits in at least two groups, or
 * the North American 3-3-4 form (optionally "1" or "(ddd)" first).
 */
static size_t
number_at(const char *s, size_t len, size_t i, int *kind)
{
	char d[32];
	int grp[16], ng = 0, nd = 0, plus = 0, paren = 0, cardsep = 1;
	size_t k = i, end = 0;

	if (s[k] == '+') {
		plus = 1;
		k++;
	}
	for (;;) {
		int g = 0;

		if (k < len && s[k] == '(' && ng == 0 && !paren) {
			paren = 1;
			cardsep = 0;
			k++;
		}
		while (k < len && is_digit(s[k])) {
			if (nd < 31)
				d[nd] = s[k];
			nd++;
			g++;
			k++;
		}
		if (g == 0)
			break;
		if (ng < 16)
			grp[ng] = g;
		ng++;
		end = k;
		if (paren == 1 && k < len && s[k] == ')') {
			paren = 2;
			k++;
			if (k < len && s[k] == ' ')
				k++;
			continue;
		}
		if (k + 1 < len && (s[k] == ' ' || s[k] == '-' ||
		    s[k] == '.') && is_digit(s[k + 1])) {
			if (s[k] == '.')
				cardsep = 0;
			k++;
			continue;
		}
		break;
	}
	if (end == 0 || (end < len && (is_alnum(s[end]) || (s[end] == '.' &&
	    end + 1 < len && is_digit(s[end + 1])))))
		return 0;
	if (paren == 1)
		return 0;
	if (!plus && !paren && cardsep && nd >= 13 && nd <= 19 &&
	    sig_luhn(d, (size_t)nd)) {
		*kind = PII_CARD;
		return end;
	}
	if (plus && nd >= 8 && nd <= 15 && ng >= 2) {
		*kind = PII_PHONE;
		return end;
	}
	if (!plus && ng <= 16 && ((ng == 3 && grp[0] == 3 && grp[1] == 3 &&
	    grp[2] == 4) || (ng == 4 && grp[0] == 1 && d[0] == '1' &&
	    grp[1] == 3 && grp[2] == 3 && grp[3] == 4))) {
		*kind = PII_PHONE;
		return end;
	}
	return 0;
}

/* Find every PII span of s, in order, into x->sp. */
static void
pii_scan(struct sig_ctx *x, const char *s, size_t len)
{
	size_t i, a, e, lo = 0;
	int kind;

	x->nsp = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int prev = i > 0 ? (unsigned char)s[i - 1] : ' ';

		if (c == '@') {
			if ((e = email_at(s, len, i, lo, &a)) != 0) {
				add_span(x, a, e, PII_EMAIL);
				lo = e;
				i = e - 1;
			}
			continue;
		}
		if (is_alnum(prev) || prev == '.' || prev == ':' ||
		    prev == '@' || prev == '_' || prev == '-' || prev == '+')
			continue;
		if ((is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f') ||
		    c == ':') && (e = ipv6_at(s, len, i)) != 0) {
			/* Leave it if an e-mail's local part starts here. */
			if (memchr(s + i, '@', e - i) == NULL &&
			    (e >= len || s[e] != '@')) {
				add_span(x, i, e, PII_IP);
				lo = e;
				i = e - 1;
				continue;
			}
		}
		if (!is_digit(c) && c != '+' && c != '(')
			continue;
		if (is_digit(c) && (e = ipv4_at(s, len, i)) != 0) {
			add_span(x, i, e, PII_IP);
			lo = e;
			i = e - 1;
			continue;
		}
		if ((is_digit(c) || i + 1 < len) &&
		    (e = number_at(s, len, i, &kind)) != 0) {
			if (e < len && s[e] == '@')
				continue;
			add_span(x, i, e, kind);
			lo = e;
			i = e - 1;
		}
	}
}

size_t
sig_redact(struct sig_ctx *x, const char *s, size_t len, struct buf *out)
{
	static const char *const ph[] = { "[EMAIL]", "[PHONE]", "[IP]",
		"[CARD]" };
	size_t i, at = 0;

	pii_scan(x, s, len);
	for (i = 0; i < x->nsp; i++) {
		buf_add(out, s + at, x->sp[i].a - at);
		buf_adds(out, ph[x->sp[i].kind]);
		at = x->sp[i].b;
	}
	buf_add(out, s + at, len - at);
	return x->nsp;
}

/*
 * The part of the text language identification reads: the first
 * LANGID_BYTES, cut at a character boundary.  CLD2 reads about 30 MB/s,
 * so a whole long document would cost more than every other signal;
 * 2 KB is plenty for its reliability (it was built for short texts).
 */
#define LANGID_BYTES 2048

static size_t
langid_prefix(const char *s, size_t len)
{
	size_t n = len;

	if (n <= LANGID_BYTES)
		return n;
	n = LANGID_BYTES;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void
sig_compute(struct sig_ctx *x, const char *s, size_t len,
    struct sig_result *r, struct buf *j)
{
	const struct sig_config *c = x->c;
	unsigned g = c->groups;
	const char *bwlang = NULL;
	size_t i, hits = 0, root = 0;
	int nobound = 0;

	memset(r, 0, sizeof(*r));
	buf_reset(j);
	buf_addc(j, '{');
	decode(x, s, len);
	r->n_chars = x->ncp;
	r->n_bytes = len;
	if (g & (SIG_LENGTH | SIG_GOPHER_QUALITY | SIG_GOPHER_REPETITION |
	    SIG_FINEWEB | SIG_BADWORDS))
		words(x);
	else
		x->nw = 0;
	r->n_words = x->nw;
	if (g & (SIG_LANG | SIG_BADWORDS | SIG_C4))
		langid_detect(s, langid_prefix(s, len), &r->lang);
	if (g & SIG_LANG) {
		r->fail[R_LANGUAGE] = strcmp(r->lang.code, c->lang) != 0 ||
		    r->lang.score < c->p[P_MIN_LANG_SCORE];
		buf_adds(j, "\"lang\":");
		json_string_encode(j, r->lang.code, strlen(r->lang.code));
		buf_addc(j, ',');
		jnum(j, "lang_score", r->lang.score, 1);
		buf_addf(j, "\"lang_reliable\":%s,", r->lang.reliable ?
		    "true" : "false");
	}
	if (g & SIG_GOPHER_QUALITY)
		gopher_quality(x, r, j);
	if (g & SIG_GOPHER_REPETITION)
		gopher_repetition(x, r, j);
	if (g & (SIG_BADWORDS | SIG_C4)) {
		root = bw_list(x, r, &nobound, &bwlang);
		hits = root ? badwords(x, root - 1, nobound) : 0;
		r->fail[R_C4_BADWORDS] = hits > 0;
	}
	if (g & (SIG_C4 | SIG_FINEWEB))
		c4(x, r, j, (g & SIG_C4) != 0);
	if (g & SIG_BADWORDS) {
		buf_adds(j, "\"badwords\":{\"lang\":");
		if (root) {
			json_string_encode(j, bwlang, strlen(bwlang));
			buf_addc(j, ',');
			jint(j, "count", hits);
			jnum(j, "ratio", ratio((double)hits, (double)x->nw), 1);
		} else
			buf_adds(j, "null,\"count\":null,\"ratio\":null,");
		jclose(j);
	}
	if (g & SIG_FINEWEB)
		fineweb(x, r, j);
	if (g & SIG_READABILITY)
		readability(x, j);
	if (g & SIG_SCRIPT)
		scripts(x, j);
	if (g & SIG_PII) {
		pii_scan(x, s, len);
		for (i = 0; i < x->nsp; i++)
			switch (x->sp[i].kind) {
			case PII_EMAIL:
				r->n_email++;
				break;
			case PII_PHONE:
				r->n_phone++;
				break;
			case PII_IP:
				r->n_ip++;
				break;
			default:
				r->n_card++;
			}
		buf_addf(j, "\"pii\":{\"email\":%zu,\"phone\":%zu,\"ip\":%zu,"
		    "\"card\":%zu},", r->n_email, r->n_phone, r->n_ip,
		    r->n_card);
	}
	if (g & SIG_LENGTH) {
		size_t a = 0, b = x->ncp;

		r->n_lines = count_lines(x->cp, x->ncp);
		strip(x->cp, &a, &b);
		r->n_paragraphs = a < b ? split_runs(x->cp, a, b, 2, NULL) : 0;
		buf_adds(j, "\"length\":{");
		jint(j, "chars", r->n_chars);
		jint(j, "bytes", r->n_bytes);
		jint(j, "words", r->n_words);
		jint(j, "lines", r->n_lines);
		jint(j, "paragraphs", r->n_paragraphs);
		if (c->tok != NULL)
			jint(j, "tokens", tok_count(c->tok, s, len));
		jclose(j);
	}
	if (j->len > 1 && j->data[j->len - 1] == ',')
		j->len--;
	buf_addc(j, '}');
}
