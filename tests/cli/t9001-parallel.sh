#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Scale-out: every per-record program gives the same output under GNU
# parallel --pipe --keep-order, blocks spread over several processes, as
# one process over the whole input.  (df-dedup compares records with each
# other, so it scales out through its own map/reduce phases instead:
# t6010.)
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

if ! command -v parallel >/dev/null; then
	echo "t9001: GNU parallel missing (make deps installs it)" >&2
	exit 2
fi

scale_out () {
	case $prog in df-dedup) return 0 ;; esac
	test_expect_success "$prog under parallel --pipe --keep-order" '
		gen_records 600 >in.jsonl &&
		df_prog in.jsonl >one &&
		parallel --will-cite --pipe --keep-order --block 8k -j 3 \
		    "$prog $prog_args" <in.jsonl >many &&
		test_line_count 600 one &&
		test_cmp one many
	'
}

for_each_program scale_out
test_done
