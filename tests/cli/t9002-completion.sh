#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# contrib/bash-completion/df: option names come from each program's --help.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

comp=$SRC_DIR/contrib/bash-completion/df

# complete WORD...: what bash would offer for the last word.
complete_words () {
	COMP_SRC=$comp bash -c '
		. "$COMP_SRC" || exit 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_df
		printf "%s\n" "${COMPREPLY[@]}"
	' complete "$@"
}

test_expect_success 'long options from --help' '
	complete_words df-split --st >out &&
	printf "%s\n" --stats --stratify --strict >expect &&
	test_cmp expect out
'

test_expect_success 'values of an option with a fixed set' '
	complete_words df-split --format "" >out &&
	printf "%s\n" jsonl json csv >expect &&
	test_cmp expect out
'

test_expect_success 'files after an option that takes one' '
	: >rejects-here.jsonl &&
	complete_words df-dedup --rejects rej >out &&
	echo rejects-here.jsonl >expect &&
	test_cmp expect out
'

test_expect_success 'every program completes its --help options' '
	for p in "${DF_BIN:-$SRC_DIR/bin}"/df-*; do
		name=${p##*/}
		complete_words "$name" --he >out &&
		grep -qx -- --help out || { echo "$name: no --help"; return 1; }
	done
'

test_done
