#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk --overlap N: each chunk starts with up to N tokens of the end
# of the one before and still holds at most --max-tokens; --min-tokens M:
# a chunk under M tokens merges into a neighbour when the two fit.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

# doc ID SEED N: one record of N pseudo-words in sentences of 9 words.
doc () {
	words "$2" "$3" | awk -v id="$1" '{
		t = t (NR > 1 ? " " : "") $0 (NR % 9 == 0 ? "." : "")
	} END { printf "{\"id\":\"%s\",\"text\":\"%s.\"}\n", id, t }'
}

# overlaps OUT: per pair of neighbouring chunks, the tokens of the text
# they share (counted by df-chunk itself), one a line.
overlaps () {
	jq -c -s 'group_by(.parent_id)[] | sort_by(.chunk_index) |
	    range(1; length) as $i | .[$i] as $b | .[$i - 1] as $a |
	    {text: ($b.text[0:($a.char_end - $b.char_start)]),
	     gap: ($a.char_end - $b.char_start), lead: ($b.char_start - $a.char_start)}' "$1" |
	    df-chunk --count --count-field .n 2>/dev/null
}

test_expect_success 'recursive --overlap: shared heads of at most N tokens' '
	doc a 1 600 >in.jsonl && doc b 2 900 >>in.jsonl &&
	df-chunk --max-tokens 100 --overlap 20 in.jsonl >out &&
	jq -r "select(.tokens > 100) | .id" out >over &&
	test_must_be_empty over &&
	df-chunk --count --count-field .check out | jq -r "select(.tokens != .check) | .id" >bad &&
	test_must_be_empty bad &&
	overlaps out >ov &&
	test -s ov &&
	jq -r "select(.n > 20 or .n < 10 or .gap <= 0 or .lead <= 0) | .text" ov >wrong &&
	test_must_be_empty wrong
'

test_expect_success 'recursive --overlap: the text is the parent'"'"'s at the offsets' '
	doc a 3 700 >in.jsonl &&
	df-chunk --max-tokens 64 --overlap 16 in.jsonl >out &&
	jq -r -n --slurpfile p in.jsonl "inputs | select(\$p[0].text[.char_start:.char_end] != .text) | .id" out >bad &&
	test_must_be_empty bad &&
	jq -s "sort_by(.chunk_index) | (.[0].char_start == 0) and (.[-1].char_end == (\$p[0].text | length))" \
	    --slurpfile p in.jsonl out >ok &&
	echo true >expect &&
	test_cmp expect ok
'

test_expect_success 'fixed --overlap: windows step by max - overlap tokens' '
	doc a 4 800 >in.jsonl &&
	df-chunk --strategy fixed --max-tokens 50 --overlap 10 in.jsonl >out &&
	overlaps out >ov &&
	jq -r ".n" ov | sort -u >sizes &&
	echo 10 >expect &&
	test_cmp expect sizes &&
	jq -r "select(.chunk_index + 1 < .chunk_count) | .tokens" out | sort -u >t &&
	echo 50 >expect &&
	test_cmp expect t
'

test_expect_success '--min-tokens: a short tail merges into the chunk before' '
	doc a 5 212 >in.jsonl &&
	df-chunk --strategy fixed --max-tokens 100 in.jsonl | jq -r .tokens >plain &&
	tail -n 1 plain >last &&
	test "$(cat last)" -lt 30 &&
	df-chunk --strategy fixed --max-tokens 100 --min-tokens 30 in.jsonl | jq -r .tokens >merged &&
	tail -n 1 merged >last2 &&
	echo 100 >expect &&
	test_cmp expect last2 &&
	df-chunk --max-tokens 100 in.jsonl >r1 &&
	tail -n 1 r1 | jq -e ".tokens < 40" &&
	df-chunk --max-tokens 100 --min-tokens 40 in.jsonl >r2 &&
	jq -r "select(.tokens < 40 and .chunk_count > 1) | .id" r2 >small &&
	test_must_be_empty small &&
	jq -r "select(.tokens > 100) | .id" r2 >big &&
	test_must_be_empty big
'

test_expect_success '--min-tokens: a tail that cannot merge takes words from the chunk before' '
	echo "{\"id\":\"x\",\"text\":\"One two three four five six seven eight nine. Ten.\"}" >in.jsonl &&
	df-chunk --strategy sentence --max-tokens 10 --min-tokens 5 in.jsonl | jq -r .tokens >t &&
	printf "8\\n5\\n" >expect &&
	test_cmp expect t
'

test_done
