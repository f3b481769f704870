/*
 * tok-dev TOKENIZER KEY DEV.jsonl: every record's count and ids against
 * the reference's (DEV.jsonl has "text", KEY with the count and KEY_ids
 * with the ids, as shared/data/tokens/dev.jsonl).  Prints the records
 * that differ and "N/M records differ"; exit 1 if any.  Built by
 * bench-chunk.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "tok.h"

int
main(int argc, char *argv[])
{
	struct df_err err;
	struct tok *t;
	FILE *f;
	char *line = NULL, idkey[64];
	size_t cap = 0, n, ncap = 0, i, count;
	uint32_t *ids = NULL;
	ssize_t l;
	int bad = 0, total = 0;

	if (argc != 4 || (t = tok_open(argv[1], &err)) == NULL) {
		fprintf(stderr, "usage: tok-dev TOKENIZER KEY DEV.jsonl%s%s\n",
		    argc == 4 ? ": " : "", argc == 4 ? err.msg : "");
		return 2;
	}
	snprintf(idkey, sizeof(idkey), "%s_ids", argv[2]);
	if ((f = fopen(argv[3], "r")) == NULL) {
		perror(argv[3]);
		return 2;
	}
	while ((l = getline(&line, &cap, f)) > 0) {
		jv r = jv_parse_sized(line, (int)l);
		jv text = jv_object_get(jv_copy(r), jv_string("text"));
		jv want = jv_object_get(jv_copy(r), jv_string(idkey));
		jv wn = jv_object_get(jv_copy(r), jv_string(argv[2]));
		jv id = jv_object_get(jv_copy(r), jv_string("id"));
		size_t tl = (size_t)jv_string_length_bytes(jv_copy(text));
		int differ;

		count = tok_count(t, jv_string_value(text), tl);
		n = 0;
		tok_encode(t, jv_string_value(text), tl, &ids, &n, &ncap);
		differ = jv_get_kind(wn) != JV_KIND_NUMBER ||
		    count != (size_t)jv_number_value(wn) || n != count ||
		    jv_get_kind(want) != JV_KIND_ARRAY ||
		    (size_t)jv_array_length(jv_copy(want)) != n;
		for (i = 0; !differ && i < n; i++)
			differ = ids[i] != (uint32_t)jv_number_value(
			    jv_array_get(jv_copy(want), (int)i));
		if (differ) {
			bad++;
			printf("%s: %zu tokens\n", jv_get_kind(id) ==
			    JV_KIND_STRING ? jv_string_value(id) : "?", count);
		}
		total++;
		jv_free(id);
		jv_free(wn);
		jv_free(want);
		jv_free(text);
		jv_free(r);
	}
	printf("%s: %d/%d records differ in count or ids\n", argv[1], bad,
	    total);
	fclose(f);
	free(line);
	free(ids);
	tok_free(t);
	return bad != 0;
}
