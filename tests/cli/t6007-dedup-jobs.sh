#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup -j N: hashing runs on N threads but the decisions are made in
# input order, so the output, the rejects and the counts do not depend on
# N, over many batches with duplicates across batches.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# corpus N: N records; record i is, by i % 10: a new text (0-5), an exact
# copy of an earlier one with other case and spacing (6, 7: dup), a near
# copy with one word of 100 changed (8: near), or a bad line (9, every
# 50th: not JSON, every 70th: no text).  The kind goes in .k.
corpus () {
	awk -v n="$1" '
	function text(s,    x, i, j, k, w, t) {
		x = (s * 7919 + 17) % 2147483647
		t = ""
		for (i = 0; i < 100; i++) {
			x = (x * 16807) % 2147483647
			k = 2 + x % 2
			w = ""
			for (j = 0; j < k; j++) {
				x = (x * 16807) % 2147483647
				w = w syl[1 + int(x / 1024) % ns]
			}
			t = t (i ? " " : "") w
		}
		return t
	}
	BEGIN {
		ns = split("ka lo mi ne ru sa ti vo pe da fu gi ho ja ze bu",
		    syl, " ")
		nb = 0
		for (i = 1; i <= n; i++) {
			m = i % 10
			if (m == 9 && i % 50 == 49) {
				print "{\"id\":\"bad" i "\",\"text\":"
				continue
			}
			if (m == 9 && i % 70 == 69) {
				printf "{\"id\":\"r%d\",\"k\":\"none\"}\n", i
				continue
			}
			if (m <= 5 || m == 9 || nb == 0) {
				base[++nb] = i
				printf "{\"id\":\"r%d\",\"k\":\"new\"," \
				    "\"text\":\"%s\"}\n", i, text(i)
				continue
			}
			# An earlier text, chosen by i: near or far back.
			s = base[1 + (i * 7) % nb]
			t = text(s)
			if (m == 8) {
				sub(/ [a-z]+ /, " changed" i " ", t)
				printf "{\"id\":\"r%d\",\"k\":\"near\"," \
				    "\"of\":\"r%d\",\"text\":\"%s.\"}\n", i, s, t
			} else {
				gsub(/ /, "  ", t)
				printf "{\"id\":\"r%d\",\"k\":\"dup\"," \
				    "\"of\":\"r%d\",\"text\":\"%s!\"}\n", i, s,
				    toupper(t)
			}
		}
	}'
}

test_expect_success 'setup: a corpus of 4000 records over many batches' '
	corpus 4000 >"$TRASH/in.jsonl" &&
	test "$(wc -c <"$TRASH/in.jsonl")" -gt 1500000 &&
	jq -R -r "fromjson? | .k" "$TRASH/in.jsonl" | sort | uniq -c >counts &&
	cat counts
'

test_expect_success '-j 1, 2 and 3: the same output, rejects and counts' '
	for j in 1 2 3; do
		test_expect_code 1 df-dedup -j "$j" --rejects "rej$j" \
		    --stats "st$j" "$TRASH/in.jsonl" >"out$j" 2>"err$j" ||
		    exit 1
		jq -c "del(.argv, .options_hash, .started, .seconds)" \
		    "st$j" >"counts$j" || exit 1
	done &&
	test_cmp out1 out2 &&
	test_cmp out1 out3 &&
	test_cmp rej1 rej2 &&
	test_cmp rej1 rej3 &&
	test_cmp err1 err2 &&
	test_cmp err1 err3 &&
	test_cmp counts1 counts2 &&
	test_cmp counts1 counts3
'

test_expect_success 'every copy is found, naming its original' '
	df-dedup -j 3 --rejects rej.jsonl --stats st.json "$TRASH/in.jsonl" \
	    >out 2>err
	test $? = 1 &&
	jq -R -r "fromjson? | select(.k == \"new\") | .id" "$TRASH/in.jsonl" \
	    >expect &&
	jq -r .id out >actual &&
	test_cmp expect actual &&
	jq -R -r "fromjson? | select(.k == \"dup\") | [.id, .of] | @tsv" \
	    "$TRASH/in.jsonl" >expect &&
	jq -r "select(._reject.reason == \"exact-duplicate\") |
	    [.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	test_cmp expect actual &&
	jq -R -r "fromjson? | select(.k == \"near\") | [.id, .of] | @tsv" \
	    "$TRASH/in.jsonl" >expect &&
	jq -r "select(._reject.reason == \"near-duplicate\") |
	    [.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	test_cmp expect actual &&
	jq -s -e "map(select(._reject.reason == \"near-duplicate\") |
	    ._reject.similarity >= 0.8) | all" rej.jsonl
'

test_expect_success '-j: --annotate gives the same output' '
	df-dedup --annotate "$TRASH/in.jsonl" >one 2>/dev/null
	df-dedup --annotate -j 3 "$TRASH/in.jsonl" >three 2>/dev/null
	test_cmp one three &&
	jq -R -r "fromjson? | select(.k != \"none\") | .id" "$TRASH/in.jsonl" \
	    >expect &&
	jq -r .id one >actual &&
	test_cmp expect actual
'

test_expect_success '-j: --no-verify, --shingle chars:4 and -u agree too' '
	head -n 1500 "$TRASH/in.jsonl" >in.jsonl &&
	for opts in "--no-verify" "--shingle chars:4" "-u" "--threshold 0.95"
	do
		# shellcheck disable=SC2086 # options as words
		df-dedup $opts --rejects r1 in.jsonl >o1 2>/dev/null
		# shellcheck disable=SC2086
		df-dedup $opts -j 3 --rejects r3 in.jsonl >o3 2>/dev/null
		test_cmp o1 o3 && test_cmp r1 r3 || exit 1
	done
'

test_expect_success '-j: the same from stdin as from a file' '
	df-dedup -j 2 --rejects r1 "$TRASH/in.jsonl" >o1 2>/dev/null
	df-dedup -j 2 --rejects r2 <"$TRASH/in.jsonl" >o2 2>/dev/null
	test_cmp o1 o2 &&
	jq -c "del(._reject.file)" r1 >a &&
	jq -c "del(._reject.file)" r2 >b &&
	jq -c -s "map(._reject.dup_of | tostring | test(\":\")) | any" r1 \
	    >any &&
	echo false >expect &&
	test_cmp expect any &&
	test_cmp a b
'

test_done
