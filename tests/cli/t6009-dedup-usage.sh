#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup's own usage errors: exit 2, a message naming the option, the
# "try" line, nothing on stdout and no files written; and the values at
# the edges of each range that are accepted.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# usage_error ARGS...: df-dedup ARGS is a usage error.
usage_error () {
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl
	rm -f rej.jsonl st.json
	if test_expect_code 2 df-dedup --rejects rej.jsonl --stats st.json \
	    "$@" in.jsonl >out 2>err &&
	    test_must_be_empty out &&
	    test_path_is_missing rej.jsonl &&
	    test_path_is_missing st.json &&
	    grep "^df-dedup: " err >/dev/null &&
	    grep -F "try 'df-dedup --help'" err >/dev/null; then
		return 0
	fi
	echo "for: df-dedup $*" >&3
	cat err >&3
	return 1
}

# accepted ARGS...: df-dedup ARGS runs (exit 0) and keeps the record.
accepted () {
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl
	if test_expect_code 0 df-dedup "$@" in.jsonl >out 2>err &&
	    test_cmp in.jsonl out && test_must_be_empty err; then
		return 0
	fi
	echo "for: df-dedup $*" >&3
	return 1
}

test_expect_success '--threshold outside (0, 1] or not a number' '
	usage_error --threshold 0 &&
	grep -e "--threshold" err &&
	usage_error --threshold 1.5 &&
	grep -e "--threshold" err &&
	usage_error --threshold -0.5 &&
	usage_error --threshold abc &&
	usage_error --threshold "" &&
	usage_error --threshold 0.8x &&
	usage_error --threshold nan &&
	usage_error --threshold inf
'

test_expect_success '--threshold at the edges and in other spellings' '
	accepted --threshold 1 &&
	accepted --threshold 0.01 &&
	accepted --threshold 0.5 &&
	accepted --threshold .9 &&
	accepted --threshold 8e-1
'

test_expect_success '--bands outside 1..32' '
	usage_error --bands 0 &&
	grep -e "--bands" err &&
	usage_error --bands 40 &&
	grep -e "--bands" err &&
	usage_error --bands 33 &&
	usage_error --bands -1 &&
	usage_error --bands x &&
	accepted --bands 1 &&
	accepted --bands 32
'

test_expect_success '--rows out of range, or bands x rows over 256' '
	usage_error --bands 2 --rows 300 &&
	grep -e "--rows" err &&
	usage_error --rows 0 &&
	usage_error --bands 20 --rows 13 &&
	grep -e "--bands" err &&
	usage_error --rows 40 &&
	usage_error --bands 32 --rows 9 &&
	accepted --bands 1 --rows 256 &&
	accepted --bands 32 --rows 8 &&
	accepted --bands 16 --rows 16
'

test_expect_success '--shingle: words or chars:N with N from 1 to 64' '
	usage_error --shingle chars:0 &&
	grep -e "--shingle" err &&
	usage_error --shingle foo &&
	grep -e "--shingle" err &&
	usage_error --shingle chars: &&
	usage_error --shingle chars:x &&
	usage_error --shingle chars:65 &&
	usage_error --shingle chars &&
	usage_error --shingle "" &&
	usage_error --shingle Words &&
	accepted --shingle words &&
	accepted --shingle chars:1 &&
	accepted --shingle chars:64
'

test_expect_success '--ngram outside 1..64' '
	usage_error --ngram 0 &&
	grep -e "--ngram" err &&
	usage_error --ngram 65 &&
	usage_error --ngram -1 &&
	usage_error --ngram two &&
	accepted --ngram 1 &&
	accepted --ngram 64
'

test_expect_success '--seed: not negative, a number' '
	usage_error --seed -1 &&
	grep -e "--seed" err &&
	usage_error --seed x &&
	accepted --seed 0 &&
	accepted --seed 9007199254740991
'

test_expect_success 'bad --field and --id paths' '
	usage_error --field text &&
	grep -e "--field" err &&
	usage_error --id "" &&
	grep -e "--id" err
'

test_expect_success 'unknown options and missing arguments' '
	usage_error --frobnicate &&
	usage_error -j 0 &&
	for opt in --against --bands --field --id --ngram --rows --seed \
	    --shingle --threshold; do
		test_expect_code 2 df-dedup in.jsonl "$opt" >out 2>err &&
		test_must_be_empty out &&
		grep -e "$opt" err >/dev/null || exit 1
	done
'

test_expect_success '--help lists the dedup options on stdout' '
	test_expect_code 0 df-dedup --help >out 2>err &&
	test_must_be_empty err &&
	for opt in --against --annotate --bands --field --id --ngram \
	    --no-verify --rows --seed --shingle --threshold --rejects \
	    --stats -j; do
		grep -e "$opt" out >/dev/null || { echo "no $opt" >&3; exit 1; }
	done &&
	test_expect_code 0 df-dedup -V >out &&
	echo "df-dedup $DF_VERSION" >expect &&
	test_cmp expect out
'

test_done
