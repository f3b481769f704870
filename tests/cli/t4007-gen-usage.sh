#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen's own usage errors: exit 2, a message naming the option, the
# "try" line, nothing on stdout and no files written.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The templates and prices of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

# usage_error ARGS...: df-gen ARGS is a usage error.
usage_error () {
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl
	rm -f rej.jsonl st.json
	if test_expect_code 2 df-gen --rejects rej.jsonl --stats st.json \
	    "$@" in.jsonl >out 2>err &&
	    test_must_be_empty out &&
	    test_path_is_missing rej.jsonl &&
	    test_path_is_missing st.json &&
	    grep "^df-gen: " err >/dev/null &&
	    grep -F "try 'df-gen --help'" err >/dev/null; then
		return 0
	fi
	echo "for: df-gen $*" >&3
	cat err >&3
	return 1
}

test_expect_success 'no prompt, or two: usage errors' '
	usage_error &&
	grep "give one of --prompt or --template" err &&
	usage_error --prompt .text --template qa
'

test_expect_success 'a prompt that does not compile is a usage error' '
	usage_error --prompt ".text +" &&
	grep "^df-gen: --prompt: " err &&
	echo "{ broken" >t.jq &&
	usage_error --template ./t.jq &&
	usage_error --template nosuch &&
	grep "no built-in template .nosuch." err &&
	usage_error --template ./missing.jq
'

test_expect_success 'classify needs --labels' '
	usage_error --template classify &&
	grep "needs --labels" err
'

test_expect_success 'bad --api, --endpoint, --schema, --prices' '
	usage_error --prompt .text --api grpc &&
	usage_error --prompt .text --endpoint ftp://x/v1 &&
	usage_error --prompt .text --schema nosuch.json &&
	echo "[1]" >s.json && usage_error --prompt .text --schema s.json &&
	echo "{" >s.json && usage_error --prompt .text --schema s.json &&
	usage_error --prompt .text --prices nosuch.json &&
	echo "[]" >p.json && usage_error --prompt .text --prices p.json
'

test_expect_success 'numbers out of range' '
	usage_error --prompt .text -c 0 &&
	usage_error --prompt .text --samples 0 &&
	usage_error --prompt .text --temperature 3 &&
	usage_error --prompt .text --top-p 1.5 &&
	usage_error --prompt .text --max-tokens 0 &&
	usage_error --prompt .text --retries -1 &&
	usage_error --prompt .text --rpm x &&
	usage_error --prompt .text --timeout 0 &&
	usage_error --prompt .text --max-cost -1 &&
	usage_error --prompt .text --reask 101 &&
	usage_error --prompt .text --seed -3
'

test_expect_success 'the edges of the ranges are accepted' '
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl &&
	df-gen --dry-run --prompt .text -c 1 --samples 1000 --temperature 2 \
	    --top-p 0 --max-tokens 1 --retries 0 --reask 0 --seed 0 \
	    --stop a --stop b --stop c --stop d in.jsonl >out &&
	jq -e ".gen.requests == 1000" out &&
	usage_error --prompt .text --stop a --stop b --stop c --stop d --stop e
'

test_expect_success 'the usage line and the man page list the same options' '
	df-gen --help | sed "/^\$/q" | grep -o -e "--[a-z-]*" | sort >usage &&
	sed -n "s/^\\.Op Fl \\\\-\\([a-z-]*\\).*/--\\1/p" \
	    "$SRC_DIR/man/df-gen.1" | sort >man &&
	test_line_count 32 man &&
	test_cmp man usage
'

test_done
