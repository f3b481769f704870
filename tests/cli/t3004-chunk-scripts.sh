#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk cuts sentences by ICU's rules in every script (danda, CJK full
# stops, Malayalam), words by ICU's dictionaries where there are no
# spaces (Thai), and never inside a grapheme cluster (emoji sequences,
# flags, combining marks); a cluster over the budget is one chunk.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

sentences () {
	cat <<-\IN
	{"id":"hi","text":"यह पहला वाक्य है। यह दूसरा वाक्य है। तीसरा वाक्य यहाँ है।"}
	{"id":"zh","text":"今天天气很好。我们去公园吧！你觉得怎么样？明天可能会下雨。"}
	{"id":"ja","text":"これはペンです。あれは本です。それは私の猫です。"}
	{"id":"ml","text":"ഇത് ഒന്നാമത്തെ വാക്യം. ഇത് രണ്ടാമത്തെ വാക്യം. ഇത് മൂന്നാമത്തെ."}
	IN
}

test_expect_success 'sentence: cuts after the full stops of Hindi, Chinese, Japanese, Malayalam' '
	sentences >in.jsonl &&
	for o in cl100k_base o200k_base; do
		for m in 12 20 30; do
			df-chunk --tokenizer $o --strategy sentence --max-tokens $m \
			    in.jsonl >out.$o.$m || return 1
		done
	done &&
	jq -r "select(.parent_id == \"hi\") | .text" out.cl100k_base.30 >hi &&
	printf "%s\n" "यह पहला वाक्य है। " "यह दूसरा वाक्य है। " "तीसरा वाक्य यहाँ है।" >expect &&
	test_cmp expect hi &&
	jq -r "select(.parent_id == \"zh\") | .text" out.cl100k_base.20 >zh &&
	printf "%s\n" "今天天气很好。我们去公园吧！" "你觉得怎么样？明天可能会下雨。" >expect &&
	test_cmp expect zh &&
	jq -r "select(.parent_id == \"ja\") | .text" out.cl100k_base.12 >ja &&
	printf "%s\n" "これはペンです。あれは本です。" "それは私の猫です。" >expect &&
	test_cmp expect ja &&
	jq -r "select(.parent_id == \"ml\") | .text" out.o200k_base.12 >ml &&
	printf "%s\n" "ഇത് ഒന്നാമത്തെ വാക്യം. " "ഇത് രണ്ടാമത്തെ വാക്യം. " "ഇത് മൂന്നാമത്തെ." >expect &&
	test_cmp expect ml
'

test_expect_success 'Thai without spaces is cut between words, not inside them' '
	echo "{\"id\":\"th\",\"text\":\"ภาษาไทยเป็นภาษาที่สวยงามมากและคนไทยพูดภาษาไทยทุกวัน\"}" >in.jsonl &&
	df-chunk --max-tokens 12 in.jsonl | jq -r .text >out &&
	test "$(wc -l <out)" -gt 2 &&
	{ grep -v -e "^ที่" -e "^ภาษา" -e "^สวยงาม" -e "^มาก" -e "^และ" -e "^คน" \
	    -e "^ไทย" -e "^พูด" -e "^ทุก" -e "^วัน" -e "^เป็น" out || true; } >odd &&
	test_must_be_empty odd
'

test_expect_success 'emoji sequences and combining marks are never split' '
	awk "BEGIN { printf \"{\\\"id\\\":\\\"e\\\",\\\"text\\\":\\\"\"
	    for (i = 0; i < 40; i++) printf \"\\\\ud83d\\\\udc68\\\\u200d\\\\ud83d\\\\udc69\\\\u200d\\\\ud83d\\\\udc67 \\\\ud83c\\\\uddef\\\\ud83c\\\\uddf5e\\\\u0301\\\\u0302 \"
	    print \"\\\"}\" }" >in.jsonl &&
	df-chunk --max-tokens 8 --stats st.json in.jsonl >out &&
	test "$(wc -l <out)" -gt 20 &&
	jq -r "select(.text | test(\"^[\\\\p{M}\\\\x{200D}\\\\x{FE0F}]|\\\\x{200D}$\")) | .id" out >bad &&
	test_must_be_empty bad &&
	jq -r "select(.tokens > 8) | .text" out | sort -u >big &&
	printf "\\360\\237\\221\\250\\342\\200\\215\\360\\237\\221\\251\\342\\200\\215\\360\\237\\221\\247\\n" >expect &&
	printf "\\360\\237\\221\\250\\342\\200\\215\\360\\237\\221\\251\\342\\200\\215\\360\\237\\221\\247 \\n" >>expect &&
	sort -u expect >e2 &&
	jq -r ".oversize_clusters > 0" st.json >flag &&
	echo true >t && test_cmp t flag &&
	jq -s "map(.text) | add" out >joined &&
	jq ".text" in.jsonl >orig &&
	test_cmp orig joined
'

test_done
