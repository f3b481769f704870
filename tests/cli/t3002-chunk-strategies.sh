#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk's strategies: every chunk holds at most --max-tokens tokens,
# its tokens field is the exact count of its text, its offsets are true
# code-point offsets in the parent, and without overlap the chunks tile
# the parent.  Each strategy cuts where it says it does.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

# prose SEED PARAS: a text of PARAS paragraphs of 2-6 sentences of
# pseudo-words, as a JSON string body (\n escaped).
prose () {
	words "$1" 3000 | awk -v np="$2" -v seed="$1" '
	{ w[NR] = $0 }
	END {
		x = seed + 1; k = 1; out = ""
		for (p = 0; p < np; p++) {
			x = (x * 16807) % 2147483647; ns = 2 + x % 5
			for (s = 0; s < ns; s++) {
				x = (x * 16807) % 2147483647; nw = 4 + x % 14
				sent = toupper(substr(w[k], 1, 1)) substr(w[k], 2); k++
				for (i = 1; i < nw; i++) { sent = sent " " w[k]; k++ }
				out = out (s ? " " : "") sent "."
			}
			out = out (p < np - 1 ? "\\n\\n" : "")
		}
		printf "%s", out
	}'
}

# corpus: six records of prose, one with line breaks and a long one.
corpus () {
	for i in 1 2 3 4 5; do
		printf "{\"id\":\"doc%d\",\"src\":\"t\",\"text\":\"%s\"}\n" "$i" "$(prose "$i" $((i * 3)))"
	done
	printf "{\"id\":\"lines\",\"text\":\"%s\"}\n" \
	    "$(prose 9 4 | sed "s/\\. /.\\\\n/g")"
}

# check IN OUT MAX [TOKENIZER]: the invariants every strategy keeps, no
# overlap.
check () {
	df-chunk --tokenizer "${4:-cl100k_base}" --count --count-field .check "$2" >re &&
	jq -r "select(.tokens != .check or .tokens > $3) | .id" re >bad &&
	test_must_be_empty bad &&
	jq -c -n --slurpfile p "$1" --slurpfile c "$2" '
	    ($p | map({key: .id, value: .text}) | from_entries) as $t |
	    $c | group_by(.parent_id)[] | sort_by(.chunk_index) as $cs |
	    $t[$cs[0].parent_id] as $text |
	    if ($cs | map(.text) | add) != $text then "not tiled: \($cs[0].parent_id)"
	    elif $cs[0].char_start != 0 or $cs[-1].char_end != ($text | length)
	    then "ends: \($cs[0].parent_id)"
	    else ($cs[] | select($text[.char_start:.char_end] != .text or
	        .chunk_count != ($cs | length)) | "offsets: \(.id)")
	    end' >bad2 &&
	test_must_be_empty bad2
}

test_expect_success 'recursive (default): within budget, exact, tiling' '
	corpus >in.jsonl &&
	df-chunk --max-tokens 40 in.jsonl >out 2>err &&
	test_must_be_empty err &&
	check in.jsonl out 40 &&
	test "$(wc -l <out)" -gt 20
'

test_expect_success 'recursive: paragraphs are packed whole when they fit' '
	corpus >in.jsonl &&
	df-chunk --max-tokens 300 in.jsonl >out &&
	check in.jsonl out 300 &&
	jq -r "select(.chunk_index + 1 < .chunk_count) | .text | endswith(\"\\n\\n\")" out |
	    sort -u >ends &&
	echo true >expect &&
	test_cmp expect ends
'

test_expect_success 'recursive: an oversize paragraph is cut at line breaks first' '
	corpus >in.jsonl &&
	jq -c "select(.id == \"lines\")" in.jsonl >one.jsonl &&
	df-chunk --max-tokens 60 one.jsonl >out &&
	check one.jsonl out 60 &&
	jq -r "select(.chunk_index + 1 < .chunk_count) | .text | endswith(\"\\n\")" out |
	    sort -u >ends &&
	echo true >expect &&
	test_cmp expect ends
'

test_expect_success 'sentence: chunks end at sentence ends' '
	corpus >in.jsonl &&
	df-chunk --strategy sentence --max-tokens 80 in.jsonl >out &&
	check in.jsonl out 80 &&
	jq -r "select(.chunk_index + 1 < .chunk_count) | .text | test(\"\\\\.\\\\s*$\")" out |
	    sort -u >ends &&
	echo true >expect &&
	test_cmp expect ends
'

test_expect_success 'paragraph: whole paragraphs; a long one at sentences' '
	corpus >in.jsonl &&
	df-chunk --strategy paragraph --max-tokens 120 in.jsonl >out &&
	check in.jsonl out 120 &&
	jq -r "select(.chunk_index + 1 < .chunk_count) | .text | test(\"\\\\.\\\\s*$\")" out |
	    sort -u >ends &&
	echo true >expect &&
	test_cmp expect ends
'

test_expect_success 'fixed: windows of exactly --max-tokens tokens' '
	corpus >in.jsonl &&
	df-chunk --strategy fixed --max-tokens 33 in.jsonl >out &&
	check in.jsonl out 33 &&
	jq -r "select(.chunk_index + 1 < .chunk_count) | .tokens" out | sort -u >sizes &&
	echo 33 >expect &&
	test_cmp expect sizes
'

test_expect_success 'a text within the budget is one chunk, whatever the strategy' '
	echo "{\"id\":\"s\",\"text\":\"Short text. Two sentences.\"}" >in.jsonl &&
	for s in recursive sentence paragraph fixed; do
		df-chunk --strategy $s in.jsonl | jq -c "[.id, .chunk_count, .tokens, .char_end]" || return 1
	done >out &&
	for s in 1 2 3 4; do echo "[\"s#0\",1,6,26]"; done >expect &&
	test_cmp expect out
'

test_expect_success 'a word longer than the budget is cut between its pieces' '
	awk "BEGIN { printf \"{\\\"id\\\":\\\"w\\\",\\\"text\\\":\\\"x \"; for (i = 0; i < 400; i++) printf \"ab7Q\"; print \" y\\\"}\" }" >in.jsonl &&
	df-chunk --max-tokens 25 in.jsonl >out &&
	check in.jsonl out 25 &&
	test "$(wc -l <out)" -gt 10
'

test_expect_success 'chars and words units: the same invariants' '
	corpus >in.jsonl &&
	df-chunk --tokenizer chars --max-tokens 200 in.jsonl >out &&
	check in.jsonl out 200 chars &&
	df-chunk --tokenizer words --max-tokens 30 in.jsonl >out2 &&
	check in.jsonl out2 30 words &&
	jq -r "select(.text | test(\"^\\n|^ \")) | .id" out out2 >bad &&
	test_must_be_empty bad
'

test_done
