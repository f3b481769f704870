/*
 * tok-bench TOKENIZER FILE.jsonl: single-thread tok_count over the .text
 * of every record (parsed before timing), best of 3 passes in CPU time.
 * Prints "tokens MB cpu_seconds MB/s".  Built by bench-chunk.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jv.h>

#include "tok.h"

static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct df_err err;
	struct tok *t;
	FILE *f;
	char *line = NULL, **text = NULL;
	size_t cap = 0, n = 0, ncap = 0, *len = NULL, i, total = 0, bytes = 0;
	ssize_t l;
	double best = 1e30, t0, d;
	int pass;

	if (argc != 3 || (t = tok_open(argv[1], &err)) == NULL) {
		fprintf(stderr, "usage: tok-bench TOKENIZER FILE.jsonl%s%s\n",
		    argc == 3 ? ": " : "", argc == 3 ? err.msg : "");
		return 2;
	}
	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 2;
	}
	while ((l = getline(&line, &cap, f)) > 0) {
		jv r = jv_parse_sized(line, (int)l);
		jv s = jv_object_get(r, jv_string("text"));

		if (n == ncap) {
			ncap = ncap ? 2 * ncap : 1024;
			text = realloc(text, ncap * sizeof(*text));
			len = realloc(len, ncap * sizeof(*len));
		}
		len[n] = (size_t)jv_string_length_bytes(jv_copy(s));
		text[n] = malloc(len[n] + 1);
		memcpy(text[n], jv_string_value(s), len[n]);
		bytes += len[n];
		n++;
		jv_free(s);
	}
	fclose(f);
	for (pass = 0; pass < 3; pass++) {
		total = 0;
		t0 = cpu();
		for (i = 0; i < n; i++)
			total += tok_count(t, text[i], len[i]);
		d = cpu() - t0;
		if (d < best)
			best = d;
	}
	printf("%zu %.2f %.3f %.1f\n", total, (double)bytes / 1e6, best,
	    (double)bytes / 1e6 / best);
	for (i = 0; i < n; i++)
		free(text[i]);
	free(text);
	free(len);
	free(line);
	tok_free(t);
	return 0;
}
