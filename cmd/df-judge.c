/*
 * df-judge: quality signals, rule filters, and keep or drop with every
 * drop explained.
 *
 * Each record's text gets its heuristic signals (lib/signals.h) under
 * "scores".  Without a rule nothing is dropped: the records come out
 * annotated.  Rules are the published filters' (--preset fineweb, gopher
 * or c4, in their pipeline's order), a script share (--script), jq
 * conditions over the record and its scores (--require, --keep); a
 * record that fails any goes to --rejects naming every rule it failed,
 * the first as the reason.  --stats counts failures per rule and
 * --explain prints how many records each rule would drop on its own.
 *
 * Signals are computed on the -j worker threads; rule counts are atomic
 * sums, so output and counts do not depend on -j.
 */
#include <getopt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "filter.h"
#include "signals.h"

#define USAGE \
"df-judge [-hquV] [-j N] [--badwords-lang LANG] [--explain] [--field PATH]\n" \
"                [--keep EXPR] [--lang LANG] [--max-record BYTES]\n" \
"                [--min-script-ratio R] [--preset NAME] [--progress]\n" \
"                [--redact-pii] [--rejects FILE] [--require EXPR]\n" \
"                [--script CODE] [--set NAME=VALUE] [--signals LIST]\n" \
"                [--stats FILE] [--strict] [--tokenizer SPEC] [--where EXPR]\n" \
"                [file ...]"

#define HELP \
"Score records with quality signals; keep or drop them by rules.\n" \
"\n" \
"      --badwords-lang LANG  use this LDNOOBW list (default: the\n" \
"                        detected language's, English when unknown)\n" \
"      --explain         print on stderr, per rule, how many records it\n" \
"                        would drop on its own and how many only it drops\n" \
"      --field PATH      the text to score (default .text)\n" \
"      --keep EXPR       keep records for which the jq condition over the\n" \
"                        record and its .scores holds; drop the others\n" \
"      --lang LANG       the language the language rule wants (default en)\n" \
"      --min-script-ratio R  share of letters in --script (default 0.5)\n" \
"      --preset NAME     apply the rules of fineweb, gopher or c4, in\n" \
"                        their pipeline's order (repeatable)\n" \
"      --redact-pii      replace e-mail addresses, phone numbers, IP\n" \
"                        addresses and card numbers in the text\n" \
"      --require EXPR    drop records for which the jq condition fails\n" \
"      --script CODE     drop records with less than --min-script-ratio\n" \
"                        of their letters in this ISO 15924 script (Mlym)\n" \
"      --set NAME=VALUE  change a threshold, e.g. min_doc_words=30\n" \
"      --signals LIST    the signal groups to compute, comma-separated\n" \
"                        (default all: length, gopher_quality,\n" \
"                        gopher_repetition, c4, fineweb, readability,\n" \
"                        script, lang, pii, badwords)\n" \
"      --tokenizer SPEC  count length.tokens with cl100k_base (default),\n" \
"                        o200k_base, a tokenizer.json, or none\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_BADWORDS_LANG = FILTER_OPT_LAST,
	OPT_EXPLAIN,
	OPT_FIELD,
	OPT_KEEP,
	OPT_LANG,
	OPT_MIN_SCRIPT_RATIO,
	OPT_PRESET,
	OPT_REDACT_PII,
	OPT_REQUIRE,
	OPT_SCRIPT,
	OPT_SET,
	OPT_SIGNALS,
	OPT_TOKENIZER
};

static const struct option longopts[] = {
	{ "badwords-lang", required_argument, NULL, OPT_BADWORDS_LANG },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "min-script-ratio", required_argument, NULL, OPT_MIN_SCRIPT_RATIO },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "redact-pii", no_argument, NULL, OPT_REDACT_PII },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "require", required_argument, NULL, OPT_REQUIRE },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "set", required_argument, NULL, OPT_SET },
	{ "signals", required_argument, NULL, OPT_SIGNALS },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "tokenizer", required_argument, NULL, OPT_TOKENIZER },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

static const struct {
	const char *name;
	unsigned bit;
} groups[] = {
	{ "length", SIG_LENGTH },
	{ "gopher_quality", SIG_GOPHER_QUALITY },
	{ "gopher_repetition", SIG_GOPHER_REPETITION },
	{ "c4", SIG_C4 },
	{ "fineweb", SIG_FINEWEB },
	{ "readability", SIG_READABILITY },
	{ "script", SIG_SCRIPT },
	{ "lang", SIG_LANG },
	{ "pii", SIG_PII },
	{ "badwords", SIG_BADWORDS },
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* A rule a record must pass. */
enum rule_kind { RULE_SIGNAL, RULE_SCRIPT, RULE_REQUIRE, RULE_KEEP };

#define MAXRULES (R_NRULES + 3)

struct rule {
	enum rule_kind kind;
	int sig;		/* enum sig_rule for RULE_SIGNAL */
	const char *name;
};

struct judge {
	struct field field, scores_f;
	const char *field_text;
	struct sig_config cfg;
	struct rule rule[MAXRULES];
	int nrule;
	const char *keep, *require, *script;
	double min_script_ratio;
	int redact, explain;
	_Atomic unsigned long long failed[MAXRULES], only[MAXRULES];
	_Atomic unsigned long long kept, dropped;
};

static struct judge J;

struct wctx {
	struct sig_ctx *sig;
	struct jqprog keep, require;
	struct buf text, json, redacted, msg, extra;
};

static void *
worker_new(void *arg)
{
	struct judge *j = arg;
	struct wctx *w = df_xcalloc(1, sizeof(*w));

	w->sig = sig_ctx_new(&j->cfg);
	if (j->keep != NULL && jqprog_compile(&w->keep, j->keep) < 0)
		cli_bad("--keep: %s", w->keep.err.data);
	if (j->require != NULL && jqprog_compile(&w->require, j->require) < 0)
		cli_bad("--require: %s", w->require.err.data);
	return w;
}

static void
worker_free(void *p)
{
	struct wctx *w = p;

	sig_ctx_free(w->sig);
	if (J.keep != NULL)
		jqprog_release(&w->keep);
	if (J.require != NULL)
		jqprog_release(&w->require);
	buf_release(&w->text);
	buf_release(&w->json);
	buf_release(&w->redacted);
	buf_release(&w->msg);
	buf_release(&w->extra);
	free(w);
}

/* Run a jq condition over the record with its scores set. */
static int
jq_rule(struct jqprog *p, struct rec *r, const struct buf *scores,
    int *truth, const char *opt, struct df_err *e)
{
	jv rec = rec_value(r), s;

	s = jv_parse_sized(scores->data, (int)scores->len);
	if (!jv_is_valid(s)) {
		jv_free(s);
		jv_free(rec);
		return df_err_set(e, "error", "internal error: scores are "
		    "not JSON");
	}
	rec = jv_object_set(rec, jv_string("scores"), s);
	if (jqprog_test(p, rec, truth, e) < 0) {
		df_err_prefix(e, opt);
		return -1;
	}
	return 0;
}

static int
judge_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct judge *j = &J;
	struct wctx *w = wp;
	struct sig_result res;
	unsigned char fail[MAXRULES];
	size_t off, len;
	enum json_kind kind;
	int i, nfail = 0, first = -1, truth;
	const struct field *fs[2];
	const char *vals[2];
	size_t lens[2];

	if (!field_find(&j->field, r->line, rec_obj(r), &off, &len, &kind))
		return df_err_set(e, "missing-field", "field '%s' is missing",
		    j->field_text);
	if (kind != JSON_STRING)
		return df_err_set(e, "missing-field", "field '%s' is not a "
		    "string", j->field_text);
	buf_reset(&w->text);
	(void)json_string_decode(r->line + off, len, &w->text);
	sig_compute(w->sig, w->text.data ? w->text.data : "", w->text.len,
	    &res, &w->json);

	memset(fail, 0, sizeof(fail));
	for (i = 0; i < j->nrule; i++) {
		switch (j->rule[i].kind) {
		case RULE_SIGNAL:
			fail[i] = res.fail[j->rule[i].sig];
			break;
		case RULE_SCRIPT:
			fail[i] = sig_script_share(w->sig, j->script) <
			    j->min_script_ratio;
			break;
		case RULE_REQUIRE:
			if (jq_rule(&w->require, r, &w->json, &truth,
			    "--require: ", e) < 0)
				return -1;
			fail[i] = !truth;
			break;
		case RULE_KEEP:
			if (jq_rule(&w->keep, r, &w->json, &truth, "--keep: ",
			    e) < 0)
				return -1;
			fail[i] = !truth;
			break;
		}
		if (fail[i]) {
			nfail++;
			if (first < 0)
				first = i;
			atomic_fetch_add(&j->failed[i], 1);
		}
	}
	if (nfail == 1)
		atomic_fetch_add(&j->only[first], 1);

	if (nfail > 0) {
		atomic_fetch_add(&j->dropped, 1);
		buf_reset(&w->msg);
		buf_reset(&w->extra);
		buf_adds(&w->msg, "failed ");
		buf_adds(&w->extra, "\"rules\":[");
		for (i = 0; i < j->nrule; i++) {
			if (!fail[i])
				continue;
			if (w->extra.data[w->extra.len - 1] != '[') {
				buf_adds(&w->msg, ", ");
				buf_addc(&w->extra, ',');
			}
			buf_adds(&w->msg, j->rule[i].name);
			json_string_encode(&w->extra, j->rule[i].name,
			    strlen(j->rule[i].name));
		}
		buf_adds(&w->extra, "],\"scores\":");
		buf_add(&w->extra, w->json.data, w->json.len);
		emit_drop(o, r, j->rule[first].name, w->msg.data,
		    w->extra.data);
		return 0;
	}
	atomic_fetch_add(&j->kept, 1);
	fs[0] = &j->scores_f;
	vals[0] = w->json.data;
	lens[0] = w->json.len;
	if (!j->redact)
		return emit_set(o, 0, r, fs[0], vals[0], lens[0], e);
	buf_reset(&w->redacted);
	buf_reset(&w->msg);
	(void)sig_redact(w->sig, w->text.data ? w->text.data : "",
	    w->text.len, &w->msg);
	json_string_encode(&w->redacted, w->msg.data ? w->msg.data : "",
	    w->msg.len);
	fs[1] = &j->field;
	vals[1] = w->redacted.data;
	lens[1] = w->redacted.len;
	return emit_set_fields(o, 0, r, 2, fs, vals, lens, e);
}

static void
stats_extra(void *arg, struct buf *b)
{
	struct judge *j = arg;
	int i;

	if (j->nrule == 0)
		return;
	buf_adds(b, "\"rules\":{");
	for (i = 0; i < j->nrule; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_string_encode(b, j->rule[i].name,
		    strlen(j->rule[i].name));
		buf_addf(b, ":{\"failed\":%llu,\"only\":%llu}",
		    (unsigned long long)j->failed[i],
		    (unsigned long long)j->only[i]);
	}
	buf_addf(b, "},\"kept\":%llu,\"dropped\":%llu",
	    (unsigned long long)j->kept, (unsigned long long)j->dropped);
}

static int
finish(void *arg)
{
	struct judge *j = arg;
	int i, width = 4;

	if (!j->explain)
		return 0;
	for (i = 0; i < j->nrule; i++)
		if ((int)strlen(j->rule[i].name) > width)
			width = (int)strlen(j->rule[i].name);
	fprintf(stderr, "%s: %-*s %10s %10s\n", df_progname, width, "rule",
	    "would-drop", "only-it");
	for (i = 0; i < j->nrule; i++)
		fprintf(stderr, "%s: %-*s %10llu %10llu\n", df_progname, width,
		    j->rule[i].name, (unsigned long long)j->failed[i],
		    (unsigned long long)j->only[i]);
	fprintf(stderr, "%s: %-*s %10llu\n", df_progname, width, "dropped",
	    (unsigned long long)j->dropped);
	return 0;
}

/* Add a signal rule unless it is there already. */
static void
add_sig_rule(struct judge *j, int sig)
{
	int i;

	for (i = 0; i < j->nrule; i++)
		if (j->rule[i].kind == RULE_SIGNAL && j->rule[i].sig == sig)
			return;
	j->rule[j->nrule].kind = RULE_SIGNAL;
	j->rule[j->nrule].sig = sig;
	j->rule[j->nrule].name = sig_rules[sig].name;
	j->nrule++;
}

static void
add_range(struct judge *j, int lo, int hi)
{
	int i;

	for (i = lo; i <= hi; i++)
		add_sig_rule(j, i);
}

/* The rules of a published pipeline, in its order; returns the groups. */
static unsigned
add_preset(struct judge *j, const char *name)
{
	if (strcmp(name, "gopher") == 0) {
		/* datatrove's examples: repetition first, then quality. */
		add_range(j, R_GR_DUP_PARA, R_GR_DUP10);
		add_range(j, R_GQ_SHORT_DOC, R_GQ_STOP_WORDS);
		return SIG_GOPHER_REPETITION | SIG_GOPHER_QUALITY;
	}
	if (strcmp(name, "c4") == 0) {
		add_range(j, R_C4_LOREM, R_C4_BADWORDS);
		return SIG_C4;
	}
	if (strcmp(name, "fineweb") == 0) {
		/*
		 * examples/fineweb.py after extraction: language, Gopher
		 * repetition, Gopher quality, C4 without the terminal
		 * punctuation rule, FineWeb quality.
		 */
		add_sig_rule(j, R_LANGUAGE);
		add_range(j, R_GR_DUP_PARA, R_GR_DUP10);
		add_range(j, R_GQ_SHORT_DOC, R_GQ_STOP_WORDS);
		add_range(j, R_FC4_LOREM, R_FC4_FEW_SENTENCES);
		add_range(j, R_FW_EMPTY, R_FW_LIST);
		return SIG_LANG | SIG_GOPHER_REPETITION | SIG_GOPHER_QUALITY |
		    SIG_FINEWEB;
	}
	cli_bad("--preset is fineweb, gopher or c4, not '%s'", name);
}

static unsigned
parse_signals(const char *list)
{
	char *copy = df_xstrdup(list), *tok, *save = NULL;
	unsigned bits = 0;
	size_t k;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			bits |= SIG_ALL;
			continue;
		}
		for (k = 0; k < NGROUPS; k++)
			if (strcmp(groups[k].name, tok) == 0)
				break;
		if (k == NGROUPS)
			cli_bad("--signals: no signal group '%s'", tok);
		bits |= groups[k].bit;
	}
	free(copy);
	if (bits == 0)
		cli_bad("--signals: name at least one group");
	return bits;
}

static void
parse_field(struct field *f, const char *text, const char *opt)
{
	char err[160];

	if (field_parse(f, text, err, sizeof(err)) < 0)
		cli_bad("%s: %s", opt, err);
}

static void
check_jq(const char *text, const char *opt)
{
	struct jqprog p;

	if (jqprog_compile(&p, text) < 0)
		cli_bad("%s: %s", opt, p.err.data);
	jqprog_release(&p);
}

int
main(int argc, char *argv[])
{
	struct judge *j = &J;
	struct filter f;
	struct df_err e = { "", NULL };
	const char *presets[8], *sets[64], *tokspec = "cl100k_base";
	struct tok *tok = NULL;
	unsigned bits = SIG_ALL;
	int ch, i, npresets = 0, nsets = 0, have_ratio = 0;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	j->field_text = ".text";
	j->min_script_ratio = 0.5;
	sig_config_init(&j->cfg, SIG_ALL);
	while ((ch = getopt_long(argc, argv, "hj:quV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_BADWORDS_LANG:
			if (strlen(optarg) >= sizeof(j->cfg.badwords_lang))
				cli_bad("--badwords-lang: no list for '%s'",
				    optarg);
			strcpy(j->cfg.badwords_lang, optarg);
			break;
		case OPT_EXPLAIN:
			j->explain = 1;
			break;
		case OPT_FIELD:
			j->field_text = optarg;
			break;
		case OPT_KEEP:
			j->keep = optarg;
			break;
		case OPT_LANG:
			if (strlen(optarg) >= sizeof(j->cfg.lang) ||
			    optarg[0] == '\0')
				cli_bad("--lang: '%s' is no language code",
				    optarg);
			strcpy(j->cfg.lang, optarg);
			break;
		case OPT_MIN_SCRIPT_RATIO:
			if (cli_strtod(optarg, 0, 1, &j->min_script_ratio) < 0)
				cli_bad("--min-script-ratio must be a number "
				    "from 0 to 1, not '%s'", optarg);
			have_ratio = 1;
			break;
		case OPT_PRESET:
			if (npresets == 8)
				cli_bad("--preset: at most 8");
			presets[npresets++] = optarg;
			break;
		case OPT_REDACT_PII:
			j->redact = 1;
			break;
		case OPT_REQUIRE:
			j->require = optarg;
			break;
		case OPT_SCRIPT:
			if (!sig_script_known(optarg))
				cli_bad("--script: '%s' is no ISO 15924 script "
				    "code (e.g. Latn, Mlym, Deva)", optarg);
			j->script = optarg;
			break;
		case OPT_SET:
			if (nsets == 64)
				cli_bad("--set: at most 64");
			sets[nsets++] = optarg;
			break;
		case OPT_SIGNALS:
			bits = parse_signals(optarg);
			break;
		case OPT_TOKENIZER:
			tokspec = optarg;
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (have_ratio && j->script == NULL)
		cli_bad("--min-script-ratio goes with --script");
	parse_field(&j->field, j->field_text, "--field");
	parse_field(&j->scores_f, ".scores", "scores");
	if (j->keep != NULL)
		check_jq(j->keep, "--keep");
	if (j->require != NULL)
		check_jq(j->require, "--require");

	for (i = 0; i < npresets; i++)
		bits |= add_preset(j, presets[i]);
	if (j->script != NULL) {
		bits |= SIG_SCRIPT;
		j->rule[j->nrule].kind = RULE_SCRIPT;
		j->rule[j->nrule++].name = "script_ratio";
	}
	if (j->require != NULL) {
		j->rule[j->nrule].kind = RULE_REQUIRE;
		j->rule[j->nrule++].name = "require";
	}
	if (j->keep != NULL) {
		j->rule[j->nrule].kind = RULE_KEEP;
		j->rule[j->nrule++].name = "keep";
	}
	j->cfg.groups = bits;
	for (i = 0; i < nsets; i++)
		if (sig_config_set(&j->cfg, sets[i], &e) < 0)
			cli_bad("--set: %s", e.msg);
	if (sig_config_load(&j->cfg, &e) < 0)
		die("%s", e.msg);
	if ((bits & SIG_LENGTH) && strcmp(tokspec, "none") != 0) {
		if ((tok = tok_open(tokspec, &e)) == NULL)
			die("--tokenizer: %s", e.msg);
		j->cfg.tok = tok;
	}

	f.fn = judge_record;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.finish = finish;
	f.stats_extra = stats_extra;
	f.arg = j;
	f.one_to_one = 1;
	i = filter_run(&f, argc, argv);
	field_release(&j->field);
	field_release(&j->scores_f);
	sig_config_release(&j->cfg);
	tok_free(tok);
	return i;
}
