#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-judge --keep and --require drop records by jq conditions over the
# record and its scores; every drop goes to --rejects naming each rule it
# failed, --stats counts them per rule and --explain tells on stderr how
# many records each rule would drop on its own.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The bad-word lists and tokenizer ranks of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

# Three records: a short one, a long one, and one with a hash tag storm.
make_input () {
	{
		echo "{\"id\":\"short\",\"text\":\"Too short to keep.\"}"
		words 1 80 | record long
		{ words 2 60; i=0; while [ $i -lt 30 ]; do echo "#tag"; \
		    i=$((i + 1)); done; } | record hashes
	} >in.jsonl
}

test_expect_success '--keep: records failing the condition are dropped' '
	make_input &&
	test_expect_code 0 df-judge --keep ".scores.length.words >= 20" \
	    --rejects rej.jsonl --stats st.json in.jsonl >out 2>err &&
	test_must_be_empty err &&
	jq -r .id out >actual &&
	printf "%s\\n" long hashes >expect &&
	test_cmp expect actual &&
	jq -c "[.id, ._reject.reason, ._reject.rules,
	    ._reject.scores.length.words, ._reject.message]" rej.jsonl >actual &&
	echo "[\"short\",\"keep\",[\"keep\"],5,\"failed keep\"]" >expect &&
	test_cmp expect actual &&
	jq -e ".in == 3 and .out == 2 and .rejected == {\"keep\":1} and
	    .rules == {\"keep\":{\"failed\":1,\"only\":1}} and
	    .kept == 2 and .dropped == 1" st.json
'

test_expect_success 'a drop names every rule it failed, the first as reason' '
	make_input &&
	df-judge --preset gopher --keep ".scores.lang == \"en\"" \
	    --rejects rej.jsonl --stats st.json in.jsonl >out &&
	test_must_be_empty out &&
	jq -c "[.id, ._reject.reason, ._reject.rules]" rej.jsonl >actual &&
	cat >expect <<-\EOF &&
	["short","top_2_gram",["top_2_gram","top_3_gram","top_4_gram","gopher_short_doc","gopher_enough_stop_words"]]
	["long","gopher_enough_stop_words",["gopher_enough_stop_words","keep"]]
	["hashes","top_2_gram",["top_2_gram","top_3_gram","top_4_gram","duplicated_5_n_grams","duplicated_6_n_grams","duplicated_7_n_grams","duplicated_8_n_grams","duplicated_9_n_grams","duplicated_10_n_grams","gopher_too_many_hashes","gopher_below_alpha_threshold","gopher_enough_stop_words","keep"]]
	EOF
	test_cmp expect actual &&
	jq -e ".rejected == {\"top_2_gram\":2,
	    \"gopher_enough_stop_words\":1} and
	    .rules.keep == {\"failed\":2,\"only\":0} and
	    .rules.gopher_enough_stop_words == {\"failed\":3,\"only\":0} and
	    .rules.gopher_short_doc == {\"failed\":1,\"only\":0} and
	    .in == .out + ([.rejected[]] | add)" st.json
'

test_expect_success '--explain: per rule, would drop alone and only it' '
	make_input &&
	df-judge --keep ".scores.length.words >= 20" \
	    --require ".text | test(\"#\") | not" --explain in.jsonl \
	    >out 2>err &&
	jq -r .id out >actual &&
	echo long >expect &&
	test_cmp expect actual &&
	sed "s/  */ /g" err >actual &&
	cat >expect <<-\EOF &&
	df-judge: rule would-drop only-it
	df-judge: require 1 1
	df-judge: keep 1 1
	df-judge: dropped 2
	EOF
	test_cmp expect actual
'

test_expect_success '--require: the DataForge checks as one jq condition' '
	cat >in.jsonl <<-\IN &&
	{"id":"ok","text":"x","reasoning":["2 + 3 = 5","5 * 2 = 10"],"answer":"10 apples"}
	{"id":"no-eq","text":"x","reasoning":["add them","5 * 2 = 10"],"answer":"10 apples"}
	{"id":"no-unit","text":"x","reasoning":["2 + 3 = 5"],"answer":"10"}
	IN
	df-judge --signals length --rejects rej.jsonl --require \
	    "all(.reasoning[]; test(\"=\")) and (.answer | test(\"^[0-9.]+ [a-z]+$\"))" \
	    in.jsonl >out &&
	jq -r .id out >actual &&
	echo ok >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason] | @tsv" rej.jsonl >actual &&
	printf "no-eq\\trequire\\nno-unit\\trequire\\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--require twice: each condition a rule of its own' '
	cat >in.jsonl <<-\IN &&
	{"id":"ok","text":"x","reasoning":["2 + 3 = 5"],"answer":"5 apples"}
	{"id":"no-eq","text":"x","reasoning":["add them"],"answer":"5 apples"}
	{"id":"neither","text":"x","reasoning":["add them"],"answer":"5"}
	{"id":"no-unit","text":"x","reasoning":["2 + 3 = 5"],"answer":"5"}
	IN
	df-judge --signals length --rejects rej.jsonl --stats st.json \
	    --require "all(.reasoning[]; test(\"=\"))" \
	    --require ".answer | test(\" [a-z]+$\")" in.jsonl >out &&
	jq -r .id out >actual &&
	echo ok >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason, (._reject.rules | join(\",\"))] | @tsv" \
	    rej.jsonl >actual &&
	printf "%s\\t%s\\t%s\\n" no-eq require1 require1 \
	    neither require1 require1,require2 \
	    no-unit require2 require2 >expect &&
	test_cmp expect actual &&
	jq -r "._reject.message" rej.jsonl | sed -n 2p >actual &&
	echo "failed require1 (all(.reasoning[]; test(\"=\"))), require2 (.answer | test(\" [a-z]+$\"))" >expect &&
	test_cmp expect actual &&
	jq -c "[.in, .out, .rejected]" st.json >actual &&
	echo "[4,1,{\"require1\":2,\"require2\":1}]" >expect &&
	test_cmp expect actual
'

test_expect_success 'a jq error in --keep is the record'"'"'s error (exit 1)' '
	printf "%s\\n" "{\"id\":1,\"text\":\"a b\",\"n\":\"x\"}" \
	    "{\"id\":2,\"text\":\"a b\",\"n\":2}" >in.jsonl &&
	test_expect_code 1 df-judge --signals length --keep ".n + 1 > 2" \
	    --rejects rej.jsonl in.jsonl >out 2>err &&
	jq -r .id out >actual &&
	echo 2 >expect &&
	test_cmp expect actual &&
	grep "in.jsonl:1: --keep: " err &&
	jq -e "._reject.reason == \"jq-error\"" rej.jsonl
'

test_done
