/*
 * Charset decoding for df-extract, the HTML5 way (WHATWG "determine the
 * character encoding"): byte order mark, transport charset, <meta>
 * prescan, then detection (ICU ucsdet), with two repairs for pages that
 * lie about their encoding.  Also text normalisation (ICU unorm2).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "diag.h"
#include "extract.h"
#include "json.h"

/* How far into the page the <meta> prescan and the binary check look. */
#define PRESCAN 4096

size_t
extract_chars(const char *p, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			c++;
	return c;
}

int
extract_looks_binary(const char *p, size_t n)
{
	size_t i, bad = 0;
	unsigned char c;

	if (n > PRESCAN)
		n = PRESCAN;
	/* UTF-16 with a BOM is text. */
	if (n >= 2 && (((unsigned char)p[0] == 0xFE && (unsigned char)p[1] ==
	    0xFF) || ((unsigned char)p[0] == 0xFF && (unsigned char)p[1] ==
	    0xFE)))
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' &&
		    c != '\f' && c != 0x1B)
			bad++;
	}
	return n > 0 && bad * 20 > n;	/* more than 5% control bytes */
}

/* Append p[0..n) to out, invalid UTF-8 as U+FFFD, NUL bytes dropped. */
static void
add_utf8_repaired(const char *p, size_t n, struct buf *out)
{
	size_t ok, i;

	buf_grow(out, n);
	while (n > 0) {
		ok = utf8_valid_prefix(p, n);
		for (i = 0; i < ok; ) {
			const char *z = memchr(p + i, '\0', ok - i);
			size_t end = z ? (size_t)(z - p) : ok;

			buf_add(out, p + i, end - i);
			i = z ? end + 1 : ok;
		}
		if (ok == n)
			break;
		buf_adds(out, "\xEF\xBF\xBD");
		/* Skip the bad lead byte and its stray continuations. */
		ok++;
		while (ok < n && ((unsigned char)p[ok] & 0xC0) == 0x80)
			ok++;
		p += ok;
		n -= ok;
	}
}

void
extract_clean_utf8(const char *p, size_t n, struct buf *out)
{
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, n -= 3;
	add_utf8_repaired(p, n, out);
}

/* Case-insensitive search for the ASCII needle in p[0..n). */
static const char *
memcasemem(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;

	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++)
			if (tolower((unsigned char)p[i + j]) != needle[j])
				break;
		if (j == k)
			return p + i;
	}
	return NULL;
}

/*
 * Find a charset label in a <meta> tag of the first bytes: both
 * <meta charset=x> and <meta http-equiv content="...; charset=x">.
 * Writes it lowercased into lab (labsz bytes); returns 0 when none.
 */
static int
meta_charset(const char *p, size_t n, char *lab, size_t labsz)
{
	const char *m, *end, *c;
	size_t k;

	if (n > PRESCAN)
		n = PRESCAN;
	end = p + n;
	while ((m = memcasemem(p, (size_t)(end - p), "<meta")) != NULL) {
		const char *gt = memchr(m, '>', (size_t)(end - m));

		if (gt == NULL)
			return 0;
		c = memcasemem(m, (size_t)(gt - m), "charset");
		if (c != NULL) {
			c += 7;
			while (c < gt && (*c == ' ' || *c == '='))
				c++;
			while (c < gt && (*c == '"' || *c == '\''))
				c++;
			k = 0;
			while (c < gt && k + 1 < labsz && (isalnum((unsigned
			    char)*c) || *c == '-' || *c == '_' || *c == ':' ||
			    *c == '.'))
				lab[k++] = (char)tolower((unsigned char)*c++);
			lab[k] = '\0';
			if (k > 0)
				return 1;
		}
		p = gt;
	}
	return 0;
}

/*
 * The WHATWG name ICU should use for a label: labels browsers treat as
 * windows-1252 or as a superset are mapped so.  Returns NULL for labels
 * ICU does not know.
 */
static const char *
canonical(const char *label, char *tmp, size_t tmpsz)
{
	static const struct {
		const char *label, *name;
	} map[] = {
		{ "ascii", "windows-1252" }, { "us-ascii", "windows-1252" },
		{ "iso-8859-1", "windows-1252" }, { "iso8859-1", "windows-1252" },
		{ "latin1", "windows-1252" }, { "l1", "windows-1252" },
		{ "iso_8859-1", "windows-1252" }, { "cp1252", "windows-1252" },
		{ "windows-1252", "windows-1252" }, { "utf-8", "UTF-8" },
		{ "utf8", "UTF-8" }, { "unicode-1-1-utf-8", "UTF-8" },
		{ "gb2312", "GBK" }, { "gbk", "GBK" }, { "x-gbk", "GBK" },
		{ "gb18030", "GB18030" }, { "big5", "Big5" },
		{ "shift_jis", "Shift_JIS" }, { "sjis", "Shift_JIS" },
		{ "x-sjis", "Shift_JIS" }, { "euc-jp", "EUC-JP" },
		{ "euc-kr", "windows-949" }, { "ks_c_5601-1987", "windows-949" },
		{ "iso-8859-9", "windows-1254" }, { "tis-620", "windows-874" },
		{ "iso-8859-11", "windows-874" },
		/* HTML5: a declared UTF-16 in <meta> means UTF-8. */
		{ "utf-16", "UTF-8" }, { "utf-16le", "UTF-8" },
		{ "utf-16be", "UTF-8" },
	};
	UErrorCode st = U_ZERO_ERROR;
	UConverter *c;
	const char *name;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(label, map[i].label) == 0)
			return map[i].name;
	c = ucnv_open(label, &st);
	if (U_FAILURE(st) || c == NULL)
		return NULL;
	name = ucnv_getName(c, &st);
	if (U_SUCCESS(st) && name != NULL) {
		/* The IANA name, when it has one (KOI8-R, not ibm-878). */
		UErrorCode st2 = U_ZERO_ERROR;
		const char *iana = ucnv_getStandardName(name, "IANA", &st2);

		if (U_SUCCESS(st2) && iana != NULL)
			name = iana;
	}
	if (U_FAILURE(st) || name == NULL || strlen(name) + 1 > tmpsz) {
		ucnv_close(c);
		return NULL;
	}
	memcpy(tmp, name, strlen(name) + 1);
	ucnv_close(c);
	return tmp;
}

/* Whether p[0..n) is valid UTF-8 with at least one multi-byte sequence. */
static int
real_utf8(const char *p, size_t n)
{
	size_t i;

	if (utf8_valid_prefix(p, n) != n)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return 1;
	return 0;
}

static int
single_byte(const char *name)
{
	return strncmp(name, "windows-12", 10) == 0 ||
	    strncmp(name, "ISO-8859", 8) == 0 ||
	    strncmp(name, "ibm-", 4) == 0 || strcmp(name, "KOI8-R") == 0;
}

/* ICU's best guess for bytes that are not UTF-8, or NULL. */
static const char *
detect(const char *p, size_t n, char *tmp, size_t tmpsz)
{
	UErrorCode st = U_ZERO_ERROR;
	UCharsetDetector *d;
	const UCharsetMatch *m;
	const char *name = NULL;

	d = ucsdet_open(&st);
	if (U_FAILURE(st))
		return NULL;
	ucsdet_enableInputFilter(d, 1);	/* look past the markup */
	ucsdet_setText(d, p, (int32_t)(n > (1 << 20) ? (1 << 20) : n), &st);
	m = ucsdet_detect(d, &st);
	if (U_SUCCESS(st) && m != NULL) {
		name = ucsdet_getName(m, &st);
		if (U_FAILURE(st) || name == NULL || strlen(name) + 1 > tmpsz)
			name = NULL;
		else {
			memcpy(tmp, name, strlen(name) + 1);
			name = tmp;
		}
	}
	ucsdet_close(d);
	if (name == NULL)
		return NULL;
	/* The detector says ISO-8859-1 where browsers read windows-1252. */
	if (strcmp(name, "ISO-8859-1") == 0 || strcmp(name, "UTF-8") == 0)
		return "windows-1252";
	return name;
}

/* Convert with ICU; returns -1 when the converter cannot be opened. */
static int
convert(const char *p, size_t n, const char *from, struct buf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *in, *u8;
	UChar pivot[1024], *ps, *pt;
	char *t;
	const char *s = p, *end = p + n;
	size_t start = out->len;

	in = ucnv_open(from, &st);
	if (U_FAILURE(st))
		return -1;
	u8 = ucnv_open("UTF-8", &st);
	if (U_FAILURE(st)) {
		ucnv_close(in);
		return -1;
	}
	ps = pt = pivot;
	buf_grow(out, n * 2 + 16);
	for (;;) {
		st = U_ZERO_ERROR;
		t = out->data + out->len;
		ucnv_convertEx(u8, in, &t, out->data + out->cap - 1, &s, end,
		    pivot, &ps, &pt, pivot + 1024, 0, 1, &st);
		out->len = (size_t)(t - out->data);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			buf_grow(out, out->cap);
			continue;
		}
		break;
	}
	out->data[out->len] = '\0';
	ucnv_close(in);
	ucnv_close(u8);
	if (U_FAILURE(st)) {
		out->len = start;
		out->data[start] = '\0';
		return -1;
	}
	/* Converters map NUL to NUL: drop them, and make sure of UTF-8. */
	if (memchr(out->data + start, '\0', out->len - start) != NULL ||
	    utf8_valid_prefix(out->data + start, out->len - start) !=
	    out->len - start) {
		struct buf tmp = BUF_INIT;

		add_utf8_repaired(out->data + start, out->len - start, &tmp);
		out->len = start;
		buf_add(out, tmp.data, tmp.len);
		buf_release(&tmp);
	}
	return 0;
}

const char *
extract_decode(const char *p, size_t n, const char *transport,
    struct buf *out)
{
	static __thread char tmp[64];
	char lab[48];
	const char *enc = NULL;
	const unsigned char *u = (const unsigned char *)p;
	size_t i;

	/* 1. Byte order mark. */
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		add_utf8_repaired(p + 3, n - 3, out);
		return "UTF-8";
	}
	if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF &&
	    convert(p + 2, n - 2, "UTF-16BE", out) == 0)
		return "UTF-16BE";
	if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE &&
	    convert(p + 2, n - 2, "UTF-16LE", out) == 0)
		return "UTF-16LE";
	/* 2. Transport charset; 3. <meta>. */
	if (transport != NULL && *transport != '\0') {
		for (i = 0; transport[i] != '\0' && i + 1 < sizeof(lab); i++)
			lab[i] = (char)tolower((unsigned char)transport[i]);
		lab[i] = '\0';
		enc = canonical(lab, tmp, sizeof(tmp));
		/* A transport UTF-16 is real (the meta rule is not). */
		if (strncmp(lab, "utf-16", 6) == 0)
			enc = strcmp(lab, "utf-16be") == 0 ? "UTF-16BE" :
			    "UTF-16LE";
	}
	if (enc == NULL && meta_charset(p, n, lab, sizeof(lab)))
		enc = canonical(lab, tmp, sizeof(tmp));
	/* The two lies pages tell most. */
	if (enc != NULL && strcmp(enc, "UTF-8") == 0 &&
	    utf8_valid_prefix(p, n) != n)
		enc = NULL;
	else if (enc != NULL && single_byte(enc) && real_utf8(p, n))
		enc = "UTF-8";
	/* 4. Sniffing. */
	if (enc == NULL) {
		if (utf8_valid_prefix(p, n) == n)
			enc = "UTF-8";
		else
			enc = detect(p, n, tmp, sizeof(tmp));
		if (enc == NULL)
			enc = "windows-1252";
	}
	if (strcmp(enc, "UTF-8") == 0) {
		add_utf8_repaired(p, n, out);
		return "UTF-8";
	}
	if (convert(p, n, enc, out) == 0)
		return enc;
	add_utf8_repaired(p, n, out);
	return "UTF-8";
}

void
extract_normalize(struct buf *b, enum extract_norm norm)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nz;
	UChar *u, *v;
	int32_t ulen, vlen, olen;
	size_t i;

	if (norm == EXTRACT_NONE || b->len == 0)
		return;
	for (i = 0; i < b->len; i++)
		if ((unsigned char)b->data[i] >= 0x80)
			break;
	if (i == b->len)
		return;
	if (b->len > INT32_MAX / 4)
		return;
	nz = norm == EXTRACT_NFKC ? unorm2_getNFKCInstance(&st) :
	    unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return;
	u = df_xmalloc((b->len + 1) * sizeof(UChar));
	u_strFromUTF8WithSub(u, (int32_t)b->len + 1, &ulen, b->data,
	    (int32_t)b->len, 0xFFFD, NULL, &st);
	if (U_FAILURE(st)) {
		free(u);
		return;
	}
	if (unorm2_isNormalized(nz, u, ulen, &st) && U_SUCCESS(st)) {
		free(u);
		return;
	}
	st = U_ZERO_ERROR;
	/* NFKC can grow a code point up to 18 units; measure first. */
	vlen = unorm2_normalize(nz, u, ulen, NULL, 0, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
		free(u);
		return;
	}
	st = U_ZERO_ERROR;
	v = df_xmalloc(((size_t)vlen + 1) * sizeof(UChar));
	unorm2_normalize(nz, u, ulen, v, vlen + 1, &st);
	free(u);
	if (U_FAILURE(st)) {
		free(v);
		return;
	}
	b->len = 0;
	buf_grow(b, (size_t)vlen * 3 + 1);
	u_strToUTF8(b->data, (int32_t)(b->cap - 1), &olen, v, vlen, &st);
	free(v);
	if (U_FAILURE(st))
		olen = 0;
	b->len = (size_t)olen;
	b->data[b->len] = '\0';
}
