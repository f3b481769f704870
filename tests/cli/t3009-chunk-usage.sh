#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk: option values that cannot work are usage errors (exit 2,
# nothing read); a tokenizer that cannot be loaded is an environment
# error that names what was tried.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

test_expect_success 'bad option values are usage errors' '
	echo "{\"text\":\"x\"}" >in.jsonl &&
	for args in "--max-tokens 0" "--max-tokens x" "--overlap 10 --max-tokens 10" \
	    "--min-tokens 600" "--strategy words" "--normalize nfd" \
	    "--overlap -1"; do
		# shellcheck disable=SC2086 # args is a list of words
		test_expect_code 2 df-chunk $args in.jsonl >out 2>err || return 1
		test_must_be_empty out || return 1
		grep "^df-chunk: " err || return 1
	done
'

test_expect_success 'an unknown tokenizer is refused, naming the choices' '
	echo "{\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-chunk --tokenizer p50k_base in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep "unknown tokenizer .p50k_base." err &&
	grep "cl100k_base, o200k_base, chars, words" err
'

test_expect_success 'missing rank files: exit 2, the places tried named' '
	echo "{\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-chunk --data-dir "$PWD/nowhere" in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep "tokens/cl100k_base.tiktoken: not found" err &&
	grep "nowhere" err &&
	DF_DATADIR=$PWD/nowhere test_expect_code 2 df-chunk in.jsonl 2>err2 &&
	grep "set DF_DATADIR" err2
'

test_expect_success '--data-dir finds the rank files in another place' '
	mkdir -p d/tokens &&
	cp "$SRC_DIR/data/tokens/cl100k_base.tiktoken" d/tokens/ &&
	echo "{\"text\":\"hello world\"}" >in.jsonl &&
	df-chunk --count --data-dir d in.jsonl | jq .tokens >out &&
	echo 2 >expect &&
	test_cmp expect out
'

test_expect_success 'a damaged rank file is refused with its line' '
	mkdir -p d/tokens &&
	printf "IQ== 0\\nIg== 7\\n" >d/tokens/cl100k_base.tiktoken &&
	echo "{\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-chunk --data-dir d in.jsonl 2>err &&
	grep "cl100k_base.tiktoken:2: expected" err
'

test_expect_success 'the man page documents every option --help lists' '
	df-chunk --help | grep -o -e "--[a-z][a-z-]*" | sort -u >opts &&
	test -s opts &&
	while read -r o; do
		grep -q -F -e "Fl \\${o#-}" "$SRC_DIR/man/df-chunk.1" || { echo "$o"; return 1; }
	done <opts &&
	grep -c . opts >n && test "$(cat n)" -ge 15
'

test_done
