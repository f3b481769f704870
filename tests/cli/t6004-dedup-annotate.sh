#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup --annotate keeps every record: each gets dup_cluster (the id of
# the kept record of its group, its own when it is the kept one) and each
# duplicate dup_of; every other byte stays as it was.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success '--annotate: every record out, cluster and dup_of added' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"Hello world","n":1}
	{"id":"b","text":"something else"}
	{"id":"c","text":"HELLO, WORLD!","x":[1, {"y":2}]}
	{"text":"Something Else."}
	IN
	words 1 300 | record d >>in.jsonl &&
	words 1 300 | awk "NR == 150 { \$0 = \"changed\" } 1" | record e \
	    >>in.jsonl &&
	test_expect_code 0 df-dedup --annotate --rejects rej.jsonl \
	    --stats st.json in.jsonl >out 2>err &&
	test_must_be_empty err &&
	test_must_be_empty rej.jsonl &&
	test_line_count 6 out &&
	jq -r "[.id // \"-\", .dup_cluster, .dup_of // \"-\"] | @tsv" \
	    out >actual &&
	printf "%s\\t%s\\t%s\\n" a a - b b - c a a - b b d d - e d d >expect &&
	test_cmp expect actual &&
	jq -e ".in == 6 and .out == 6 and .in == .out and .rejected == {} and
	    .kept == 3 and .exact_duplicates == 2 and .near_duplicates == 1" \
	    st.json
'

test_expect_success '--annotate: the input bytes are kept, fields appended' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"caf\u00e9 \"quoted\"","n":1.50}
	{"id" : "b",  "text":"CAFÉ quoted", "e":1E3}
	IN
	df-dedup --annotate in.jsonl >out &&
	sed -E "s/,\"dup_cluster\":\"a\",\"dup_of\":(\"a\"|null)}\$/}/" out >back &&
	test_cmp in.jsonl back &&
	jq -c . out >/dev/null
'

test_expect_success '--annotate: a record without id is named FILE:LINE' '
	printf "%s\\n" "{\"text\":\"one\"}" "{\"text\":\"ONE\"}" \
	    "{\"id\":\"x\",\"text\":\"One!\"}" >in.jsonl &&
	df-dedup --annotate in.jsonl >out &&
	jq -r "[.dup_cluster, .dup_of // \"-\"] | @tsv" out >actual &&
	printf "%s\\t%s\\n" in.jsonl:1 - in.jsonl:1 in.jsonl:1 \
	    in.jsonl:1 in.jsonl:1 >expect &&
	test_cmp expect actual
'

test_expect_success '--annotate: existing dup_ fields are replaced' '
	printf "%s\\n" \
	    "{\"id\":\"a\",\"dup_cluster\":\"old\",\"dup_of\":\"old\",\"text\":\"t\"}" \
	    "{\"id\":\"b\",\"dup_of\":\"old\",\"text\":\"T\"}" >in.jsonl &&
	df-dedup --annotate in.jsonl >out &&
	jq -r .dup_cluster out >actual &&
	printf "%s\\n" a a >expect &&
	test_cmp expect actual &&
	sed -n 2p out | jq -e ".dup_of == \"a\"" &&
	! grep "dup_cluster.*dup_cluster" out &&
	! grep "dup_of.*dup_of" out
'

test_expect_success '--annotate with --id: clusters use that id' '
	printf "%s\\n" "{\"k\":\"K1\",\"text\":\"same\"}" \
	    "{\"k\":\"K2\",\"text\":\"Same\"}" >in.jsonl &&
	df-dedup --annotate --id .k in.jsonl >out &&
	jq -r "[.dup_cluster, .dup_of // \"-\"] | @tsv" out >actual &&
	printf "K1\\t-\\nK1\\tK1\\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--annotate: errors are still rejected (exit 1)' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"t\"}" "{\"id\":\"b\"}" \
	    "{\"id\":\"c\",\"text\":\"T\"}" >in.jsonl &&
	test_expect_code 1 df-dedup --annotate --rejects rej.jsonl \
	    --stats st.json in.jsonl >out 2>err &&
	jq -r .id out >ids &&
	printf "%s\\n" a c >expect &&
	test_cmp expect ids &&
	jq -e "._reject.reason == \"missing-field\"" rej.jsonl &&
	jq -e ".in == 3 and .out == 2 and .rejected == {\"missing-field\": 1}" \
	    st.json
'

test_expect_success '--annotate with -j 2 gives the same output' '
	for s in 1 2 3 4 5 6 7 8; do
		words "$s" 200 | record "o$s" || exit 1
		words "$s" 200 | awk "NR == 100 { \$0 = \"x\" } 1" |
		    record "v$s" || exit 1
	done >in.jsonl &&
	df-dedup --annotate in.jsonl >one &&
	df-dedup --annotate -j 2 in.jsonl >two &&
	test_cmp one two &&
	test_line_count 16 one &&
	jq -r "select(.dup_of) | .dup_of" one >dups &&
	test_line_count 8 dups
'

test_done
