#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk --normalize nfc|nfkc: the text is normalized before anything
# else, so counts, chunks and offsets are those of the normalized text;
# without it the text is left exactly as it came.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

test_expect_success 'nfc composes, nfkc also folds compatibility forms' '
	echo "{\"text\":\"Cafe\\u0301 \\ufb01ne \\u2460\"}" >in.jsonl &&
	df-chunk in.jsonl | jq -r .text >none &&
	df-chunk --normalize nfc in.jsonl | jq -r .text >nfc &&
	df-chunk --normalize nfkc in.jsonl | jq -r .text >nfkc &&
	printf "Cafe\\314\\201 \\357\\254\\201ne \\342\\221\\240\\n" >expect &&
	test_cmp expect none &&
	printf "Caf\\303\\251 \\357\\254\\201ne \\342\\221\\240\\n" >expect &&
	test_cmp expect nfc &&
	printf "Caf\\303\\251 fine 1\\n" >expect &&
	test_cmp expect nfkc
'

test_expect_success 'counts and offsets are those of the normalized text' '
	echo "{\"text\":\"e\\u0301e\\u0301e\\u0301 x\"}" >in.jsonl &&
	df-chunk --normalize nfc in.jsonl | jq -c "[.tokens, .char_end]" >out &&
	echo "{\"text\":\"\\u00e9\\u00e9\\u00e9 x\"}" | df-chunk | jq -c "[.tokens, .char_end]" >expect &&
	test_cmp expect out &&
	df-chunk in.jsonl | jq -c ".char_end" >raw &&
	echo 8 >expect &&
	test_cmp expect raw
'

test_expect_success 'ASCII and already composed text pass unchanged' '
	printf "%s\\n" "{\"text\":\"plain ascii\"}" "{\"text\":\"d\\u00e9j\\u00e0 vu\"}" >in.jsonl &&
	df-chunk in.jsonl >a &&
	df-chunk --normalize nfc in.jsonl >b &&
	test_cmp a b
'

test_done
