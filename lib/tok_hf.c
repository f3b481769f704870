/*
 * Hugging Face tokenizer.json files with a byte-level BPE model (GPT-2,
 * Llama 3, Qwen 2 and their kin): see tok.h.
 *
 * What is read: the model (BPE: vocab, merges as "a b" or ["a","b"],
 * ignore_merges), the pre-tokenizer (ByteLevel, alone with use_regex, or
 * after one Split whose pattern is one of the patterns these files use,
 * each run by a hand-written scanner of tok.c), a NFC normalizer, and
 * added tokens (matched in the text first, longest at the leftmost
 * place).  Anything else is refused with a message that names it: a
 * pattern without a scanner here would give other counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "tok_impl.h"

/* The split patterns known, as the files write them. */
static const struct {
	const char *re;
	size_t (*split)(const uint8_t *, size_t, size_t);
	const char *name;
} patterns[] = {
	{ "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
	    "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
	    "\\s+(?!\\S)|\\s+", tok_split_cl100k, "cl100k (Llama 3)" },
	{ "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|"
	    "\\p{N}{1,3}+| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*+|\\s++$|"
	    "\\s*[\\r\\n]|\\s+(?!\\S)|\\s", tok_split_cl100k,
	    "cl100k (possessive)" },
	{ "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
	    "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
	    "\\s+(?!\\S)|\\s+", tok_split_qwen2, "Qwen 2" },
	{ "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
	    "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
	    "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	    "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|"
	    "\\s+(?!\\S)|\\s+", tok_split_o200k, "o200k" },
	{ "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
	    "\\s+(?!\\S)|\\s+", tok_split_gpt2, "GPT-2" },
};

struct pair_slot {
	uint64_t key;		/* left id << 32 | right id, + 1; 0 empty */
	uint32_t rank, id;
};

struct added {
	uint8_t *s;
	size_t len;
	uint32_t id;
};

struct tok_hf {
	struct tok_ranks r;	/* id <-> bytes of every vocab token */
	struct pair_slot *pairs;
	uint32_t pmask;
	size_t (*split)(const uint8_t *, size_t, size_t);
	int prefix_space, ignore_merges;
	const UNormalizer2 *nfc;
	struct added *add;	/* longest first */
	size_t nadd;
	uint8_t add_first[256];	/* some added token starts with this byte */
};

/*
 * GPT-2's bytes_to_unicode, inverted: code point -> byte, or -1.  Bytes
 * ! to ~, U+00A1 to U+00AC and U+00AE to U+00FF stand for themselves;
 * the 68 others (0-32, 127-160, 173) are U+0100 on, in order.
 */
static int
unbyte(uint32_t cp)
{
	uint32_t n;

	if ((cp >= 33 && cp <= 126) || (cp >= 161 && cp <= 172) ||
	    (cp >= 174 && cp <= 255))
		return (int)cp;
	if (cp < 256 || cp >= 256 + 68)
		return -1;
	n = cp - 256;
	return n < 33 ? (int)n : n < 67 ? (int)(127 + n - 33) : 173;
}

/* Decode a byte-level token string into b; -1 if it is not one. */
static int
unbyte_str(const char *s, size_t n, struct buf *b)
{
	size_t i = 0, l;
	uint32_t cp;
	int v;

	while (i < n) {
		cp = tok_dec((const uint8_t *)s + i, n - i, &l);
		if ((v = unbyte(cp)) < 0)
			return -1;
		buf_addc(b, v);
		i += l;
	}
	return 0;
}

static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static const struct pair_slot *
pair_get(const struct tok_hf *h, uint32_t a, uint32_t b)
{
	uint64_t key = ((uint64_t)a << 32 | b) + 1;
	uint32_t i = (uint32_t)mix64(key) & h->pmask;

	for (;; i = (i + 1) & h->pmask) {
		if (h->pairs[i].key == key)
			return &h->pairs[i];
		if (h->pairs[i].key == 0)
			return NULL;
	}
}

static void
pair_put(struct tok_hf *h, uint32_t a, uint32_t b, uint32_t rank,
    uint32_t id)
{
	uint64_t key = ((uint64_t)a << 32 | b) + 1;
	uint32_t i = (uint32_t)mix64(key) & h->pmask;

	for (;; i = (i + 1) & h->pmask) {
		if (h->pairs[i].key == key)
			return;		/* the first merge of a pair wins */
		if (h->pairs[i].key == 0) {
			h->pairs[i] = (struct pair_slot){ key, rank, id };
			return;
		}
	}
}

void
tok_hf_free(struct tok_hf *h)
{
	size_t i;

	if (h == NULL)
		return;
	tok_ranks_release(&h->r);
	free(h->pairs);
	for (i = 0; i < h->nadd; i++)
		free(h->add[i].s);
	free(h->add);
	free(h);
}

static const char *
str_of(jv o, const char *key)
{
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	const char *s = NULL;

	/* The string lives as long as o does: o holds a reference. */
	if (jv_get_kind(v) == JV_KIND_STRING)
		s = jv_string_value(v);
	jv_free(v);
	return s;
}

static int
bool_of(jv o, const char *key, int dflt)
{
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	int r = dflt;

	if (jv_get_kind(v) == JV_KIND_TRUE)
		r = 1;
	else if (jv_get_kind(v) == JV_KIND_FALSE)
		r = 0;
	jv_free(v);
	return r;
}

static int
is_null(jv o, const char *key)
{
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	int r = !jv_is_valid(v) || jv_get_kind(v) == JV_KIND_NULL;

	jv_free(v);
	return r;
}

/* A ByteLevel pre-tokenizer: its prefix space; *regex its use_regex. */
static void
bytelevel(struct tok_hf *h, jv p, int *regex)
{
	h->prefix_space = bool_of(p, "add_prefix_space", 0);
	*regex = bool_of(p, "use_regex", 1);
}

static int
pretok(struct tok_hf *h, jv p, const char *path, struct df_err *err)
{
	const char *type = str_of(p, "type"), *re, *beh;
	jv list, sp, pat;
	int regex = 1, n;
	size_t k;

	if (type != NULL && strcmp(type, "ByteLevel") == 0) {
		bytelevel(h, p, &regex);
		if (!regex)
			return df_err_set(err, "bad-tokenizer", "%s: a "
			    "ByteLevel pre-tokenizer without use_regex splits "
			    "nothing: not supported", path);
		h->split = tok_split_gpt2;
		return 0;
	}
	if (type == NULL || strcmp(type, "Sequence") != 0)
		return df_err_set(err, "bad-tokenizer", "%s: pre_tokenizer "
		    "'%s' is not supported (ByteLevel, or Split then "
		    "ByteLevel)", path, type ? type : "?");
	list = jv_object_get(jv_copy(p), jv_string("pretokenizers"));
	n = jv_get_kind(list) == JV_KIND_ARRAY ? jv_array_length(jv_copy(list))
	    : 0;
	if (n != 2) {
		jv_free(list);
		return df_err_set(err, "bad-tokenizer", "%s: a Sequence of %d "
		    "pre-tokenizers is not supported (Split then ByteLevel)",
		    path, n);
	}
	sp = jv_array_get(jv_copy(list), 0);
	type = str_of(sp, "type");
	pat = jv_object_get(jv_copy(sp), jv_string("pattern"));
	re = jv_get_kind(pat) == JV_KIND_OBJECT ? str_of(pat, "Regex") : NULL;
	beh = str_of(sp, "behavior");
	if (type == NULL || strcmp(type, "Split") != 0 || re == NULL ||
	    beh == NULL || strcmp(beh, "Isolated") != 0 ||
	    bool_of(sp, "invert", 0)) {
		df_err_set(err, "bad-tokenizer", "%s: only a Split by a Regex, "
		    "behavior Isolated, then ByteLevel is supported", path);
		goto fail;
	}
	for (k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++)
		if (strcmp(re, patterns[k].re) == 0)
			h->split = patterns[k].split;
	if (h->split == NULL) {
		df_err_set(err, "bad-tokenizer", "%s: split pattern not "
		    "supported: %.300s (supported: the patterns of GPT-2, "
		    "cl100k/Llama 3, Qwen 2 and o200k)", path, re);
		goto fail;
	}
	jv_free(pat);
	jv_free(sp);
	sp = jv_array_get(jv_copy(list), 1);
	type = str_of(sp, "type");
	if (type == NULL || strcmp(type, "ByteLevel") != 0) {
		df_err_set(err, "bad-tokenizer", "%s: the Split must be "
		    "followed by ByteLevel", path);
		jv_free(sp);
		jv_free(list);
		return -1;
	}
	bytelevel(h, sp, &regex);
	jv_free(sp);
	jv_free(list);
	if (regex)
		return df_err_set(err, "bad-tokenizer", "%s: a Split and a "
		    "ByteLevel with use_regex split twice: not supported", path);
	return 0;
fail:
	jv_free(pat);
	jv_free(sp);
	jv_free(list);
	return -1;
}

/* One merge, "a b" or ["a","b"]: the ids of a, b and a+b. */
static int
merge_ids(struct tok_hf *h, jv m, struct buf *b, uint32_t *ia, uint32_t *ib,
    uint32_t *ic)
{
	const char *s = NULL, *sp;
	size_t la, lb;
	int rc = -1;

	if (jv_get_kind(m) == JV_KIND_STRING) {
		s = jv_string_value(m);
		if ((sp = strchr(s, ' ')) == NULL || strchr(sp + 1, ' '))
			return -1;
		la = (size_t)(sp - s);
		buf_reset(b);
		if (unbyte_str(s, la, b) < 0)
			return -1;
		la = b->len;
		if (unbyte_str(sp + 1, strlen(sp + 1), b) < 0)
			return -1;
	} else if (jv_get_kind(m) == JV_KIND_ARRAY &&
	    jv_array_length(jv_copy(m)) == 2) {
		jv x = jv_array_get(jv_copy(m), 0), y = jv_array_get(jv_copy(m),
		    1);

		buf_reset(b);
		if (jv_get_kind(x) == JV_KIND_STRING &&
		    jv_get_kind(y) == JV_KIND_STRING &&
		    unbyte_str(jv_string_value(x), (size_t)
		    jv_string_length_bytes(jv_copy(x)), b) == 0) {
			la = b->len;
			if (unbyte_str(jv_string_value(y), (size_t)
			    jv_string_length_bytes(jv_copy(y)), b) == 0)
				rc = 0;
		}
		jv_free(x);
		jv_free(y);
		if (rc < 0)
			return -1;
	} else
		return -1;
	lb = b->len - la;
	*ia = tok_ranks_get(&h->r, (const uint8_t *)b->data, la);
	*ib = tok_ranks_get(&h->r, (const uint8_t *)b->data + la, lb);
	*ic = tok_ranks_get(&h->r, (const uint8_t *)b->data, la + lb);
	return *ia == TOK_NONE || *ib == TOK_NONE || *ic == TOK_NONE ? -1 : 0;
}

static int
cmp_added(const void *a, const void *b)
{
	const struct added *x = a, *y = b;

	return x->len < y->len ? 1 : x->len > y->len ? -1 : 0;
}

static int
load_model(struct tok_hf *h, jv model, const char *path, struct df_err *err)
{
	const char *type = str_of(model, "type");
	jv vocab, merges, m;
	struct buf b = BUF_INIT;
	uint32_t maxid = 0, id, ia, ib, ic, size = 1024;
	size_t pcap = 1 << 16, at = 0, nm, i;
	int iter;

	if (type == NULL || strcmp(type, "BPE") != 0)
		return df_err_set(err, "bad-tokenizer", "%s: model '%s' is not "
		    "supported (byte-level BPE only)", path, type ? type :
		    "?");
	if (!is_null(model, "continuing_subword_prefix") ||
	    !is_null(model, "end_of_word_suffix") ||
	    bool_of(model, "byte_fallback", 0))
		return df_err_set(err, "bad-tokenizer", "%s: a BPE model with "
		    "a subword prefix, word suffix or byte fallback is not "
		    "byte-level: not supported", path);
	{
		jv d = jv_object_get(jv_copy(model), jv_string("dropout"));

		iter = jv_get_kind(d) == JV_KIND_NUMBER &&
		    jv_number_value(d) > 0;
		jv_free(d);
		if (iter)
			return df_err_set(err, "bad-tokenizer", "%s: BPE "
			    "dropout makes counts random: not supported", path);
	}
	h->ignore_merges = bool_of(model, "ignore_merges", 0);
	vocab = jv_object_get(jv_copy(model), jv_string("vocab"));
	if (jv_get_kind(vocab) != JV_KIND_OBJECT) {
		jv_free(vocab);
		return df_err_set(err, "bad-tokenizer", "%s: the model has no "
		    "vocab", path);
	}
	jv_object_foreach(vocab, k, v) {
		if (jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) >= 0
		    && jv_number_value(v) < 1e8 &&
		    (uint32_t)jv_number_value(v) > maxid)
			maxid = (uint32_t)jv_number_value(v);
		jv_free(k);
		jv_free(v);
	}
	h->r.n = maxid + 1;
	h->r.off = df_xcalloc((size_t)h->r.n + 1, sizeof(*h->r.off));
	/* off[id] holds the start and length until laid out below. */
	{
		size_t *start = df_xcalloc((size_t)h->r.n, sizeof(*start));
		size_t *len = df_xcalloc((size_t)h->r.n, sizeof(*len));
		uint8_t *pool = df_xmalloc(pcap);
		int bad = 0;

		jv_object_foreach(vocab, k, v) {
			if (jv_get_kind(v) != JV_KIND_NUMBER) {
				bad = 1;
			} else {
				id = (uint32_t)jv_number_value(v);
				buf_reset(&b);
				if (unbyte_str(jv_string_value(k), (size_t)
				    jv_string_length_bytes(jv_copy(k)), &b) < 0)
					bad = 2;
				else if (id < h->r.n) {
					if (at + b.len > pcap) {
						while (at + b.len > pcap)
							pcap *= 2;
						pool = df_xrealloc(pool, pcap);
					}
					memcpy(pool + at, b.data, b.len);
					start[id] = at;
					len[id] = b.len;
					at += b.len;
				}
			}
			jv_free(k);
			jv_free(v);
			if (bad)
				break;
		}
		jv_free(vocab);
		if (bad) {
			free(start);
			free(len);
			free(pool);
			buf_release(&b);
			return df_err_set(err, "bad-tokenizer", "%s: the vocab "
			    "is not byte-level (a token outside GPT-2's byte "
			    "alphabet)", path);
		}
		/* Lay the tokens out in id order. */
		h->r.pool = df_xmalloc(at + 1);
		for (id = 0, at = 0; id < h->r.n; id++) {
			h->r.off[id] = at;
			memcpy(h->r.pool + at, pool + start[id], len[id]);
			at += len[id];
		}
		h->r.off[h->r.n] = at;
		free(start);
		free(len);
		free(pool);
	}
	if (tok_ranks_index(&h->r) != 0) {
		buf_release(&b);
		return df_err_set(err, "bad-tokenizer", "%s: the vocab lacks "
		    "a single byte", path);
	}
	merges = jv_object_get(jv_copy(model), jv_string("merges"));
	nm = jv_get_kind(merges) == JV_KIND_ARRAY ?
	    (size_t)jv_array_length(jv_copy(merges)) : 0;
	while (size < 2 * nm + 2)
		size *= 2;
	h->pmask = size - 1;
	h->pairs = df_xcalloc(size, sizeof(*h->pairs));
	for (i = 0; i < nm; i++) {
		m = jv_array_get(jv_copy(merges), (int)i);
		if (merge_ids(h, m, &b, &ia, &ib, &ic) < 0) {
			jv_free(m);
			jv_free(merges);
			buf_release(&b);
			return df_err_set(err, "bad-tokenizer", "%s: merge %zu "
			    "is not two vocab tokens whose join is one", path,
			    i);
		}
		jv_free(m);
		pair_put(h, ia, ib, (uint32_t)i, ic);
	}
	jv_free(merges);
	buf_release(&b);
	return 0;
}

/* Takes ownership of list. */
static int
load_added(struct tok_hf *h, jv list, const char *path, struct df_err *err)
{
	int n, i;
	jv a;
	const char *s;

	if (jv_get_kind(list) != JV_KIND_ARRAY) {
		jv_free(list);
		return 0;
	}
	n = jv_array_length(jv_copy(list));
	h->add = df_xcalloc((size_t)n + 1, sizeof(*h->add));
	for (i = 0; i < n; i++) {
		jv idv;

		a = jv_array_get(jv_copy(list), i);
		s = str_of(a, "content");
		idv = jv_object_get(jv_copy(a), jv_string("id"));
		if (s == NULL || *s == '\0' || jv_get_kind(idv) !=
		    JV_KIND_NUMBER) {
			jv_free(idv);
			jv_free(a);
			jv_free(list);
			return df_err_set(err, "bad-tokenizer", "%s: added "
			    "token %d has no content or id", path, i);
		}
		if (bool_of(a, "single_word", 0) || bool_of(a, "lstrip", 0) ||
		    bool_of(a, "rstrip", 0)) {
			df_err_set(err, "bad-tokenizer", "%s: added token '%s' "
			    "with single_word, lstrip or rstrip is not "
			    "supported", path, s);
			jv_free(idv);
			jv_free(a);
			jv_free(list);
			return -1;
		}
		h->add[h->nadd].len = strlen(s);
		h->add[h->nadd].s = (uint8_t *)df_xstrdup(s);
		h->add[h->nadd].id = (uint32_t)jv_number_value(idv);
		h->add_first[(uint8_t)s[0]] = 1;
		h->nadd++;
		jv_free(idv);
		jv_free(a);
	}
	jv_free(list);
	qsort(h->add, h->nadd, sizeof(*h->add), cmp_added);
	return 0;
}

struct tok_hf *
tok_hf_open(const char *path, struct df_err *err)
{
	struct tok_hf *h;
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f;
	jv root = jv_invalid(), v;
	const char *type;

	if ((f = fopen(path, "r")) == NULL) {
		df_err_set(err, "bad-tokenizer", "%s: %s", path,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		df_err_set(err, "bad-tokenizer", "%s: %s", path,
		    strerror(errno));
		fclose(f);
		buf_release(&b);
		return NULL;
	}
	fclose(f);
	h = df_xcalloc(1, sizeof(*h));
	if (b.len > INT32_MAX) {
		df_err_set(err, "bad-tokenizer", "%s: too large", path);
		goto fail;
	}
	root = jv_parse_sized(b.data ? b.data : "", (int)b.len);
	if (!jv_is_valid(root) || jv_get_kind(root) != JV_KIND_OBJECT) {
		df_err_set(err, "bad-tokenizer", "%s: not a JSON object",
		    path);
		goto fail;
	}
	v = jv_object_get(jv_copy(root), jv_string("normalizer"));
	if (jv_get_kind(v) == JV_KIND_OBJECT && (type = str_of(v, "type")) !=
	    NULL && strcmp(type, "NFC") == 0) {
		UErrorCode ec = U_ZERO_ERROR;

		h->nfc = unorm2_getNFCInstance(&ec);
	} else if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL) {
		df_err_set(err, "bad-tokenizer", "%s: normalizer '%s' is not "
		    "supported (none or NFC)", path, jv_get_kind(v) ==
		    JV_KIND_OBJECT && str_of(v, "type") ? str_of(v, "type") :
		    "?");
		jv_free(v);
		goto fail;
	}
	jv_free(v);
	v = jv_object_get(jv_copy(root), jv_string("pre_tokenizer"));
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		df_err_set(err, "bad-tokenizer", "%s: no pre_tokenizer (a "
		    "byte-level BPE file has one)", path);
		goto fail;
	}
	if (pretok(h, v, path, err) < 0) {
		jv_free(v);
		goto fail;
	}
	jv_free(v);
	v = jv_object_get(jv_copy(root), jv_string("model"));
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		df_err_set(err, "bad-tokenizer", "%s: no model", path);
		goto fail;
	}
	if (load_model(h, v, path, err) < 0) {
		jv_free(v);
		goto fail;
	}
	jv_free(v);
	if (load_added(h, jv_object_get(jv_copy(root),
	    jv_string("added_tokens")), path, err) < 0)
		goto fail;
	jv_free(root);
	buf_release(&b);
	return h;
fail:
	jv_free(root);
	buf_release(&b);
	tok_hf_free(h);
	return NULL;
}

/* ------------------------------------------------------------------ */

struct hnode {
	uint32_t rank;
	size_t at, end;
};

static inline int
hn_less(const struct hnode *a, const struct hnode *b)
{
	return a->rank < b->rank || (a->rank == b->rank && a->at < b->at);
}

static void
hn_push(struct hnode *hp, size_t *n, struct hnode e)
{
	size_t i = (*n)++, up;

	while (i > 0 && hn_less(&e, &hp[up = (i - 1) / 2])) {
		hp[i] = hp[up];
		i = up;
	}
	hp[i] = e;
}

static struct hnode
hn_pop(struct hnode *hp, size_t *n)
{
	struct hnode top = hp[0], e = hp[--*n];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && hn_less(&hp[c + 1], &hp[c]))
			c++;
		if (!hn_less(&hp[c], &e))
			break;
		hp[i] = hp[c];
		i = c;
	}
	hp[i] = e;
	return top;
}

/*
 * BPE of one piece by the merges list: the adjacent pair with the lowest
 * merge rank first, leftmost on ties, as Hugging Face's BPE does.
 */
static size_t
bpe_merges(const struct tok_hf *h, const uint8_t *p, size_t n,
    struct tok_ids *out)
{
	size_t *nxt, *prv, nh = 0, count = n, i, a, b;
	uint32_t *id, wid;
	struct hnode *hp, e;
	const struct pair_slot *ps;

	if (n == 1 || (h->ignore_merges &&
	    (wid = tok_ranks_get(&h->r, p, n)) != TOK_NONE)) {
		if (out != NULL)
			tok_ids_push(out, n == 1 ? h->r.byte_id[p[0]] : wid);
		return 1;
	}
	nxt = df_xmalloc((n + 1) * sizeof(*nxt));
	prv = df_xmalloc((n + 1) * sizeof(*prv));
	id = df_xmalloc((n + 1) * sizeof(*id));
	hp = df_xmalloc(2 * (n + 1) * sizeof(*hp));
	for (i = 0; i < n; i++) {
		nxt[i] = i + 1;
		prv[i] = i - 1;
		id[i] = h->r.byte_id[p[i]];
	}
	for (i = 0; i + 1 < n; i++)
		if ((ps = pair_get(h, id[i], id[i + 1])) != NULL)
			hn_push(hp, &nh, (struct hnode){ ps->rank, i, i + 2 });
	while (nh > 0) {
		e = hn_pop(hp, &nh);
		i = e.at;
		if (nxt[i] == SIZE_MAX || nxt[i] >= n || nxt[nxt[i]] != e.end)
			continue;
		b = nxt[i];
		ps = pair_get(h, id[i], id[b]);
		id[i] = ps->id;
		nxt[i] = nxt[b];
		if (nxt[b] < n)
			prv[nxt[b]] = i;
		nxt[b] = SIZE_MAX;
		count--;
		if (i > 0 && (ps = pair_get(h, id[a = prv[i]], id[i])) != NULL)
			hn_push(hp, &nh, (struct hnode){ ps->rank, a, nxt[i] });
		if (nxt[i] < n && (ps = pair_get(h, id[i], id[nxt[i]])) !=
		    NULL)
			hn_push(hp, &nh, (struct hnode){ ps->rank, i,
			    nxt[nxt[i]] });
	}
	if (out != NULL)
		for (i = 0; i < n; i = nxt[i])
			tok_ids_push(out, id[i]);
	free(nxt);
	free(prv);
	free(id);
	free(hp);
	return count;
}

static void
piece_push(struct tok_piece **p, size_t *np, size_t *cap, size_t end,
    uint32_t ntok)
{
	if (p == NULL)
		return;
	/* An empty piece (the added prefix space alone) joins the next. */
	if (*np > 0 && (*p)[*np - 1].end == end) {
		(*p)[*np - 1].ntok += ntok;
		return;
	}
	if (*np == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		*p = df_xrealloc(*p, *cap * sizeof(**p));
	}
	(*p)[(*np)++] = (struct tok_piece){ end, ntok };
}

/* NFC of s[0..n) into b; 0, or -1 when it is already NFC (b unused). */
static int
nfc(const struct tok_hf *h, const uint8_t *s, size_t n, struct buf *b)
{
	UErrorCode ec = U_ZERO_ERROR;
	UChar *u, *v;
	int32_t nu, nv, n8;
	size_t i;

	for (i = 0; i < n && s[i] < 0x80; i++)
		;
	if (i == n || n > INT32_MAX / 4)
		return -1;
	u = df_xmalloc((n + 1) * sizeof(*u));
	u_strFromUTF8WithSub(u, (int32_t)n + 1, &nu, (const char *)s,
	    (int32_t)n, 0xFFFD, NULL, &ec);
	if (U_FAILURE(ec) || unorm2_isNormalized(h->nfc, u, nu, &ec)) {
		free(u);
		return -1;
	}
	v = df_xmalloc((size_t)(3 * nu + 16) * sizeof(*v));
	ec = U_ZERO_ERROR;
	nv = unorm2_normalize(h->nfc, u, nu, v, 3 * nu + 16, &ec);
	if (U_SUCCESS(ec)) {
		u_strToUTF8(NULL, 0, &n8, v, nv, &ec);
		ec = U_ZERO_ERROR;
		buf_reset(b);
		buf_grow(b, (size_t)n8 + 1);
		u_strToUTF8(b->data, n8 + 1, &n8, v, nv, &ec);
		b->len = (size_t)n8;
	}
	free(u);
	free(v);
	return U_SUCCESS(ec) ? 0 : -1;
}

/* One stretch of text between added tokens, at byte base; its tokens. */
static size_t
segment(const struct tok_hf *h, const uint8_t *s, size_t n, size_t base,
    struct tok_piece **p, size_t *np, size_t *cap, struct tok_ids *out)
{
	struct buf b = BUF_INIT;
	const uint8_t *t = s;
	size_t tn = n, i, j, shift = 0, k, sum = 0, l;

	uint8_t sbuf[3 * 64], *cl;
	int whole = 0, valid;

	if (h->nfc != NULL && nfc(h, s, n, &b) == 0) {
		t = (const uint8_t *)b.data;
		tn = b.len;
		whole = 1;	/* offsets no longer map: one piece */
	}
	if (h->prefix_space && (tn == 0 || t[0] != ' ')) {
		struct buf c = BUF_INIT;

		buf_addc(&c, ' ');
		buf_add(&c, t, tn);
		buf_release(&b);
		b = c;
		t = (const uint8_t *)b.data;
		tn = b.len;
		shift = 1;
	}
	valid = tok_utf8_valid(t, tn);
	for (i = 0; i < tn; i = j) {
		j = h->split(t, tn, i);
		if (valid) {
			k = bpe_merges(h, t + i, j - i, out);
		} else {
			/* Ill-formed bytes read as U+FFFD. */
			cl = 3 * (j - i) <= sizeof(sbuf) ? sbuf :
			    df_xmalloc(3 * (j - i));
			for (l = 0, k = i; k < j; ) {
				size_t cl1;
				uint32_t cp = tok_dec(t + k, j - k, &cl1);

				if (cp == 0xFFFD) {
					memcpy(cl + l, "\xEF\xBF\xBD", 3);
					l += 3;
				} else {
					memcpy(cl + l, t + k, cl1);
					l += cl1;
				}
				k += cl1;
			}
			k = bpe_merges(h, cl, l, out);
			if (cl != sbuf)
				free(cl);
		}
		sum += k;
		if (!whole)
			piece_push(p, np, cap, base + (j > shift ? j - shift :
			    0), (uint32_t)k);
	}
	if (whole)
		piece_push(p, np, cap, base + n, (uint32_t)sum);
	buf_release(&b);
	return sum;
}

size_t
tok_hf_pieces(const struct tok_hf *h, const uint8_t *s, size_t n,
    struct tok_piece **p, size_t *np, size_t *cap, struct tok_ids *out)
{
	size_t i = 0, st = 0, k, count = 0;

	while (i < n) {
		if (h->nadd == 0 || !h->add_first[s[i]]) {
			i++;
			continue;
		}
		for (k = 0; k < h->nadd; k++)
			if (h->add[k].len <= n - i &&
			    memcmp(s + i, h->add[k].s, h->add[k].len) == 0)
				break;
		if (k == h->nadd) {
			i++;
			continue;
		}
		if (i > st)
			count += segment(h, s + st, i - st, st, p, np, cap, out);
		if (out != NULL)
			tok_ids_push(out, h->add[k].id);
		i += h->add[k].len;
		piece_push(p, np, cap, i, 1);
		count++;
		st = i;
	}
	if (n > st)
		count += segment(h, s + st, n - st, st, p, np, cap, out);
	return count;
}

int
tok_hf_local(const struct tok_hf *h)
{
	return h->nfc == NULL && !h->prefix_space;
}

const uint8_t *
tok_hf_token_bytes(const struct tok_hf *h, uint32_t id, size_t *len)
{
	size_t k;

	for (k = 0; k < h->nadd; k++)
		if (h->add[k].id == id) {
			*len = h->add[k].len;
			return h->add[k].s;
		}
	if (id >= h->r.n || h->r.off[id + 1] == h->r.off[id])
		return NULL;
	*len = h->r.off[id + 1] - h->r.off[id];
	return h->r.pool + h->r.off[id];
}
