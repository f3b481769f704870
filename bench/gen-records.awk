# Generate web-text-like JSON Lines records for benchmarks: id, url,
# source, a text of minw to maxw words (default 40-160) and a few numbers.
# Deterministic.  Usage: awk -v n=RECORDS [-v minw=N -v maxw=N] -f ...
BEGIN {
	srand(1)
	if (minw == "")
		minw = 40
	if (maxw == "")
		maxw = 160
	nw = split("the of and to in a is that for it as was with be by on " \
	    "not he this are or his from at which but have an they you " \
	    "were her she there been one all we their data model train " \
	    "language web page text token split dataset quality crawl " \
	    "résumé naïve café Straße größer über ελληνικά русский 日本語", w, " ")
	ns = split("web books wiki news forum code", src, " ")
	for (i = 0; i < n; i++) {
		k = minw + int(rand() * (maxw - minw))
		t = w[1 + int(rand() * nw)]
		for (j = 1; j < k; j++)
			t = t " " w[1 + int(rand() * nw)]
		s = src[1 + int(rand() * ns)]
		printf "{\"id\":\"doc-%08d\",\"url\":\"https://%s.example.org/p/%d\"," \
		    "\"source\":\"%s\",\"text\":\"%s\",\"score\":%.4f," \
		    "\"meta\":{\"lang\":\"en\",\"n\":%d}}\n", i, s, i, s, t,
		    rand(), i
	}
}
