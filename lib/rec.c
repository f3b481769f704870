/*
 * Field paths, jq programs and canonical values (rec.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"

static void
field_add(struct field *f, const char *k, size_t n)
{
	f->key = df_xrealloc(f->key, (f->n + 1) * sizeof(*f->key));
	f->keylen = df_xrealloc(f->keylen, (f->n + 1) * sizeof(*f->keylen));
	f->key[f->n] = df_xmalloc(n + 1);
	memcpy(f->key[f->n], k, n);
	f->key[f->n][n] = '\0';
	f->keylen[f->n] = n;
	f->n++;
}

/*
 * Read a JSON string literal starting at *pp, add its decoded text as a
 * key, and advance *pp past it.
 */
static int
field_quoted(struct field *f, const char **pp)
{
	const char *p = *pp, *q = p + 1;
	struct buf b = BUF_INIT;
	char err[128];
	int rc = -1;

	while (*q != '\0' && *q != '"') {
		if (*q == '\\' && q[1] != '\0')
			q++;
		q++;
	}
	if (*q != '"')
		return -1;
	q++;
	if (json_validate(p, (size_t)(q - p), err, sizeof(err)) == 0 &&
	    json_string_decode(p, (size_t)(q - p), &b) == 0) {
		field_add(f, b.data ? b.data : "", b.len);
		*pp = q;
		rc = 0;
	}
	buf_release(&b);
	return rc;
}

int
field_parse(struct field *f, const char *text, char *err, size_t errsz)
{
	const char *p = text, *s;

	memset(f, 0, sizeof(*f));
	if (*p != '.' || p[1] == '\0')
		goto bad;
	while (*p != '\0') {
		if (*p == '.' && p[1] == '"') {
			p++;
			if (field_quoted(f, &p) < 0)
				goto bad;
		} else if (*p == '.' && p[1] == '[' && p[2] == '"') {
			p += 2;
			if (field_quoted(f, &p) < 0 || *p != ']')
				goto bad;
			p++;
		} else if (*p == '[' && p[1] == '"' && f->n > 0) {
			p++;
			if (field_quoted(f, &p) < 0 || *p != ']')
				goto bad;
			p++;
		} else if (*p == '.') {
			s = ++p;
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || *p == '_'))
				goto bad;
			while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
				p++;
			field_add(f, s, (size_t)(p - s));
		} else
			goto bad;
	}
	f->text = df_xstrdup(text);
	f->name = f->key[f->n - 1];
	return 0;
bad:
	field_release(f);
	snprintf(err, errsz, "'%s' is not a field path such as .text or "
	    ".meta.lang", text);
	return -1;
}

void
field_release(struct field *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->key[i]);
	free(f->key);
	free(f->keylen);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

int
field_find(const struct field *f, const char *s, const struct json_obj *o,
    size_t *off, size_t *len, enum json_kind *kind)
{
	struct json_obj sub = { NULL, 0, 0 };
	const struct json_obj *cur = o;
	size_t base = 0, i;
	enum json_kind k;
	char err[8];
	long at;
	int found = 0;

	for (i = 0; i < f->n; i++) {
		at = json_obj_find(cur, s + base, f->key[i], f->keylen[i]);
		if (at < 0)
			break;
		*off = base + cur->m[at].val_off;
		*len = cur->m[at].val_len;
		*kind = cur->m[at].kind;
		if (i + 1 == f->n) {
			found = 1;
			break;
		}
		if (*kind != JSON_OBJECT)
			break;
		base = *off;
		if (json_scan_object(s + base, *len, &sub, &k, err,
		    sizeof(err)) < 0)
			break;
		cur = &sub;
	}
	json_obj_release(&sub);
	return found;
}

jv
field_get_jv(const struct field *f, jv rec)
{
	jv v = jv_copy(rec);
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv_free(v);
			return jv_invalid();
		}
		v = jv_object_get(v, jv_string_sized(f->key[i],
		    (int)f->keylen[i]));
		if (!jv_is_valid(v))
			return v;
	}
	return v;
}

jv
field_path_jv(const struct field *f)
{
	jv path = jv_array();
	size_t i;

	for (i = 0; i < f->n; i++)
		path = jv_array_append(path, jv_string_sized(f->key[i],
		    (int)f->keylen[i]));
	return path;
}

jv
field_set_jv(const struct field *f, jv rec, jv val)
{
	return jv_setpath(rec, field_path_jv(f), val);
}

static void
jqprog_errcb(void *data, jv msg)
{
	struct buf *b = data;

	if (b->len == 0) {
		if (jv_get_kind(msg) != JV_KIND_STRING)
			msg = jv_dump_string(msg, 0);
		/* One line per problem: the first line says it. */
		buf_add(b, jv_string_value(msg), strcspn(jv_string_value(msg),
		    "\n"));
	}
	jv_free(msg);
}

int
jqprog_compile(struct jqprog *p, const char *text)
{
	memset(p, 0, sizeof(*p));
	p->jq = jq_init();
	if (p->jq == NULL)
		die("cannot initialise libjq");
	jq_set_error_cb(p->jq, jqprog_errcb, &p->err);
	if (!jq_compile_args(p->jq, text, jv_object())) {
		if (p->err.len == 0)
			buf_adds(&p->err, "cannot compile");
		return -1;
	}
	return 0;
}

void
jqprog_release(struct jqprog *p)
{
	if (p->jq != NULL)
		jq_teardown(&p->jq);
	buf_release(&p->err);
}

int
jqprog_first(struct jqprog *p, jv input, jv *out, struct df_err *e)
{
	jv r, msg;
	int rc;

	if (!jv_is_valid(input)) {
		msg = jv_invalid_get_msg(input);
		rc = df_err_set(e, "invalid-json", "libjq cannot parse the "
		    "record: %s", jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "unknown error");
		jv_free(msg);
		return rc;
	}
	jq_start(p->jq, input, 0);
	r = jq_next(p->jq);
	if (jv_is_valid(r)) {
		*out = r;
		return 0;
	}
	if (jv_invalid_has_msg(jv_copy(r))) {
		msg = jv_invalid_get_msg(r);
		if (jv_get_kind(msg) == JV_KIND_STRING)
			rc = df_err_set(e, "jq-error", "%s",
			    jv_string_value(msg));
		else {
			msg = jv_dump_string(msg, 0);
			rc = df_err_set(e, "jq-error", "%s",
			    jv_string_value(msg));
		}
		jv_free(msg);
		return rc;
	}
	jv_free(r);
	return df_err_set(e, "no-value", "the expression gave no value");
}

int
jqprog_test(struct jqprog *p, jv input, int *truth, struct df_err *e)
{
	jv r;
	jv_kind k;

	if (jqprog_first(p, input, &r, e) < 0)
		return -1;
	k = jv_get_kind(r);
	*truth = k != JV_KIND_FALSE && k != JV_KIND_NULL;
	jv_free(r);
	return 0;
}

void
rec_canonical(struct buf *b, jv v)
{
	if (jv_get_kind(v) == JV_KIND_STRING) {
		buf_add(b, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
		jv_free(v);
		return;
	}
	v = jv_dump_string(v, JV_PRINT_SORTED);
	buf_add(b, jv_string_value(v), (size_t)jv_string_length_bytes(
	    jv_copy(v)));
	jv_free(v);
}

void
rec_canonical_span(struct buf *b, const char *s, size_t len, enum json_kind k)
{
	size_t i;

	if (k == JSON_STRING) {
		for (i = 1; i + 1 < len && s[i] != '\\'; i++)
			;
		if (i + 1 >= len)
			buf_add(b, s + 1, len - 2);
		else
			(void)json_string_decode(s, len, b);
		return;
	}
	/* A number as written: libjq's doubles would merge big ids. */
	if (k != JSON_OBJECT && k != JSON_ARRAY) {
		buf_add(b, s, len);
		return;
	}
	rec_canonical(b, jv_parse_sized(s, (int)len));
}
