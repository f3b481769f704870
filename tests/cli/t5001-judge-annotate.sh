#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-judge without a rule drops nothing: every record comes out with its
# signals under "scores", every other byte as it was, the same whatever -j.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The bad-word lists and tokenizer ranks of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

test_expect_success 'annotate only: every record out, scores added' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"The cat sat on the mat.","n":1.50}
	{"id" : "b",  "text":"caf\u00e9 \"quoted\" text", "e":1E3}
	{"id":"c","text":""}
	IN
	test_expect_code 0 df-judge --rejects rej.jsonl --stats st.json \
	    in.jsonl >out 2>err &&
	test_must_be_empty err &&
	test_must_be_empty rej.jsonl &&
	test_line_count 3 out &&
	sed -E "s/,\"scores\":\\{.*\\}\\}\$/}/" out >back &&
	test_cmp in.jsonl back &&
	jq -r ".scores | keys_unsorted | join(\" \")" out | sort -u >actual &&
	echo "lang lang_score lang_reliable gopher_quality gopher_repetition c4 badwords fineweb readability script pii length" >expect &&
	test_cmp expect actual &&
	jq -se ".[0] | .scores.length.words == 7 and
	    .scores.length.tokens == 7 and .scores.readability.words == 6 and
	    .scores.gopher_quality.failed == [\"gopher_short_doc\",
	    \"gopher_below_avg_threshold\", \"gopher_enough_stop_words\"]" \
	    out &&
	jq -e ".in == 3 and .out == 3 and .rejected == {}" st.json
'

test_expect_success '--signals computes only the groups named' '
	echo "{\"text\":\"hello world\"}" >in.jsonl &&
	df-judge --signals length,pii in.jsonl >out &&
	jq -c .scores out >actual &&
	echo "{\"pii\":{\"email\":0,\"phone\":0,\"ip\":0,\"card\":0},\"length\":{\"chars\":11,\"bytes\":11,\"words\":2,\"lines\":1,\"paragraphs\":1,\"tokens\":2}}" >expect &&
	test_cmp expect actual &&
	df-judge --signals length --tokenizer none in.jsonl >out &&
	jq -e ".scores.length | has(\"tokens\") | not" out
'

test_expect_success '--field scores another field; a missing one is an error' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","body":"Some words here."}
	{"id":"b","text":"no body"}
	{"id":"c","body":42}
	IN
	test_expect_code 1 df-judge --field .body --signals length \
	    --rejects rej.jsonl in.jsonl >out 2>err &&
	test_line_count 1 out &&
	jq -e ".scores.length.words == 4" out &&
	grep "in.jsonl:2: field .\\.body. is missing" err &&
	grep "in.jsonl:3: field .\\.body. is not a string" err &&
	jq -r "._reject.reason" rej.jsonl >actual &&
	printf "%s\\n" missing-field missing-field >expect &&
	test_cmp expect actual
'

test_expect_success '-j 2 gives the same bytes as -j 1' '
	i=0 &&
	while [ $i -lt 150 ]; do
		words $i $((i % 90 + 3)) | record "r$i" || exit 1
		i=$((i + 1))
	done >in.jsonl &&
	df-judge -j 1 --preset gopher --rejects rej1 --stats st1 \
	    in.jsonl >out1 &&
	df-judge -j 2 --preset gopher --rejects rej2 --stats st2 \
	    in.jsonl >out2 &&
	test_cmp out1 out2 &&
	test_cmp rej1 rej2 &&
	jq -c "del(.argv, .started, .seconds)" st1 >s1 &&
	jq -c "del(.argv, .started, .seconds)" st2 >s2 &&
	test_cmp s1 s2 &&
	jq -e ".in == 150 and .in == .out + ([.rejected[]] | add)" st1
'

test_expect_success 'bad options are usage errors (exit 2)' '
	echo "{\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-judge --signals nope in.jsonl 2>err &&
	grep "no signal group .nope." err &&
	test_expect_code 2 df-judge --preset nope in.jsonl 2>err &&
	grep "fineweb, gopher or c4" err &&
	test_expect_code 2 df-judge --keep ".a ==" in.jsonl 2>err &&
	grep "^df-judge: --keep: " err &&
	test_expect_code 2 df-judge --script Nope in.jsonl 2>err &&
	grep "ISO 15924" err &&
	test_expect_code 2 df-judge --set nope=1 in.jsonl 2>err &&
	grep "no threshold named .nope." err &&
	test_expect_code 2 df-judge --min-script-ratio 0.5 in.jsonl 2>err &&
	test_expect_code 2 df-judge --tokenizer nope in.jsonl 2>err
'

test_done
