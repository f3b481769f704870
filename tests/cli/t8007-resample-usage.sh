#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample usage errors: a bad option value is exit 2 with a message,
# before any file is made; --help matches the man page's options.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success 'bad option values are usage errors (exit 2)' '
	echo "{\"audio\":\"a.wav\"}" >in.jsonl &&
	for a in "--rate 10" "--rate x" "--bits 8" "--format mp3" \
	    "--engine ffmpeg" "--quality max" "--channel 0" "--channels 9" \
	    "--normalize 3" "--trim-silence x" "--min-duration -1" \
	    "--format flac --bits float" "--channel 2 --channels 2" \
	    "--min-duration 3 --max-duration 1"; do
		# shellcheck disable=SC2086 # options as words
		test_expect_code 2 df-resample $a --out-dir o in.jsonl \
		    >out 2>err || return 1
		test_path_is_missing o || return 1
		test_must_be_empty out &&
		grep "^df-resample: " err >/dev/null || return 1
	done &&
	test_expect_code 2 df-resample --name x in.jsonl >out 2>err &&
	grep -F -e "--name goes with --out-dir" err
'

test_expect_success 'every long option in --help is in the man page' '
	df-resample --help | grep -o -e "--[a-z-]*" | sort -u >help &&
	grep -o "Fl \\\\-[a-z-]*" "$SRC_DIR/man/df-resample.1" |
	    sed "s/^Fl ./-/" | sort -u >man &&
	comm -23 help man >missing &&
	test_must_be_empty missing
'

test_done
