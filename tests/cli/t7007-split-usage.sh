#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-split's own usage errors: exit 2, a message naming the option, the
# "try" line, nothing on stdout and no files written.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# usage_error ARGS...: df-split ARGS is a usage error.
usage_error () {
	echo "{\"id\":\"a\"}" >in.jsonl
	if test_expect_code 2 df-split "$@" in.jsonl >out 2>err &&
	    test_must_be_empty out &&
	    grep "^df-split: " err >/dev/null &&
	    grep -F "try 'df-split --help'" err >/dev/null; then
		return 0
	fi
	echo "for: df-split $*" >&3
	cat err >&3
	return 1
}

test_expect_success 'bad --ratios: not a number, twice, empty' '
	usage_error --ratios a=x &&
	usage_error --ratios a=1,a=2 &&
	usage_error --ratios "" &&
	grep -e "--ratios" err
'

test_expect_success 'bad --ratios: an empty item' '
	usage_error --ratios a=1,,b=1 &&
	grep -e "empty item" err &&
	usage_error --ratios a=1, &&
	usage_error --ratios ,a=1
'

test_expect_success 'bad --ratios: no name, no =, negative, all zero' '
	usage_error --ratios =1 &&
	usage_error --ratios train &&
	usage_error --ratios a=1,b=-1 &&
	usage_error --ratios a=0,b=0 &&
	usage_error --ratios "a=1,b=" &&
	usage_error --ratios "a b=1"
'

test_expect_success '--format: without --out-dir, or unknown' '
	usage_error --format json &&
	usage_error --out-dir d --format xml &&
	test_path_is_missing d
'

test_expect_success 'bad --key or --stratify jq syntax' '
	usage_error --key ".[" &&
	grep -e "--key" err &&
	usage_error --key "nosuchfn(1)" &&
	usage_error -j 3 --key ".[" &&
	usage_error --stratify "{" &&
	grep -e "--stratify" err
'

test_expect_success 'bad --seed: negative, not a number, too big' '
	usage_error --seed -1 &&
	grep -e "--seed" err &&
	usage_error --seed abc &&
	usage_error --seed 1x &&
	usage_error --seed 99999999999999999999999
'

test_expect_success 'bad --field or --text paths' '
	usage_error --field "" &&
	usage_error --field "split" &&
	usage_error --field ".a[" &&
	mkdir d && echo "{\"id\":\"a\"}" >d/a.jsonl &&
	test_expect_code 2 df-split --check d --text "text" >out 2>err &&
	test_must_be_empty out
'

for opt in --ratios=a=x --key=.[ --stratify=.[ --where=.[; do
	test_expect_success "--out-dir d $opt: a usage error leaves no files" '
		usage_error --out-dir d "$opt" &&
		{ test_path_is_missing d ||
		    { ls -A d >left && test_must_be_empty left; }; }
	'
done

test_done
