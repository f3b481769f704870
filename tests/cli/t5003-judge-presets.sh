#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-judge --preset fineweb|gopher|c4 applies the published pipelines'
# rules in their order, named as datatrove names its reasons.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The bad-word lists and tokenizer ranks of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

# doc ID: a record of the text on stdin (jq -R keeps newlines).
doc () {
	jq -Rsc --arg id "$1" "{id: \$id, text: rtrimstr(\"\\n\")}"
}

# A plain English page of six sentences, one a line: every preset keeps it.
# The others fail one rule or two: a '{' (C4), a swear word (C4's list),
# four sentences (C4), a menu of short repeated lines (Gopher repetition,
# FineWeb), a German page (language, English stop words).
good () {
	cat <<-\EOF
	The river that runs through the old town has shaped the lives of the people who live along its banks for many centuries.
	Farmers have used its water to grow wheat and barley, and merchants have carried their goods on boats to the markets downstream.
	In the spring the snow melts in the mountains and the water rises quickly, so the town built stone walls to protect the houses.
	Children learn to swim in the shallow pools near the bridge, and their parents tell stories about the great flood of the last century.
	Today the river is cleaner than it has been for a long time, and fish have returned to the quiet stretches below the mill.
	Visitors come in the summer to walk the paths by the water and to eat in the small restaurants that face the harbour.
	EOF
}

make_input () {
	{
		good | doc good
		{ good; echo "Read the {config} file to learn more here."; } |
		    doc curly
		{ good | sed "s/ the mill/ the fucking mill/"; } | doc swear
		{ good | head -n 4; } | doc four
		{ good; i=0; while [ $i -lt 30 ]; do echo "Menu item $i"; \
		    i=$((i + 1)); done; } | doc menu
		cat <<-\EOF | doc german
		Der Fluss, der durch die alte Stadt fliesst, hat das Leben der Menschen an seinen Ufern seit vielen Jahrhunderten gepraegt.
		Die Bauern haben sein Wasser genutzt, um Weizen und Gerste anzubauen, und die Haendler brachten ihre Waren mit Booten zu den Maerkten.
		Im Fruehling schmilzt der Schnee in den Bergen und das Wasser steigt schnell, deshalb baute die Stadt Mauern aus Stein.
		Die Kinder lernen in den flachen Becken an der Bruecke schwimmen, und ihre Eltern erzaehlen Geschichten von der grossen Flut.
		Heute ist der Fluss sauberer als seit langer Zeit, und die Fische sind in die ruhigen Abschnitte unter der Muehle zurueckgekehrt.
		EOF
	} >in.jsonl
}

test_expect_success '--preset gopher: Gopher repetition, then quality' '
	make_input &&
	df-judge --preset gopher --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" good curly swear four >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason, (._reject.rules | join(\",\"))] | @tsv" \
	    rej.jsonl >actual &&
	printf "menu\\ttop_2_gram\\ttop_2_gram\\n" >expect &&
	printf "german\\tgopher_enough_stop_words\\tgopher_enough_stop_words\\n" \
	    >>expect &&
	test_cmp expect actual
'

test_expect_success '--preset c4: line rules, then bad words' '
	make_input &&
	df-judge --preset c4 --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" good menu german >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason] | @tsv" rej.jsonl >actual &&
	printf "curly\\tcurly_bracket\\nswear\\tdocument_removed_with_badwords\\nfour\\ttoo_few_sentences\\n" \
	    >expect &&
	test_cmp expect actual
'

test_expect_success '--preset fineweb: language, Gopher, C4 as FineWeb, FineWeb' '
	make_input &&
	df-judge --preset fineweb --rejects rej.jsonl --stats st.json \
	    in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" good swear >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason, (._reject.rules | join(\",\"))] | @tsv" \
	    rej.jsonl >actual &&
	cat >expect <<-EOF &&
	curly${TAB}curly_bracket${TAB}curly_bracket
	four${TAB}too_few_sentences${TAB}too_few_sentences
	menu${TAB}top_2_gram${TAB}top_2_gram,short_line_ratio
	german${TAB}language${TAB}language,gopher_enough_stop_words
	EOF
	test_cmp expect actual &&
	jq -e ".rules.language == {\"failed\":1,\"only\":0} and
	    .rules.short_line_ratio.failed == 1 and .in == 6 and .out == 2" \
	    st.json
'

test_expect_success '--set moves a threshold; --lang the wanted language' '
	make_input &&
	df-judge --preset gopher --set top_2_gram=0.3 \
	    --set gopher_quality.min_stop_words=0 in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" good curly swear four menu german >expect &&
	test_cmp expect actual &&
	df-judge --preset fineweb --lang de --set min_stop_words=0 \
	    --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >actual &&
	echo german >expect &&
	test_cmp expect actual
'

test_done
