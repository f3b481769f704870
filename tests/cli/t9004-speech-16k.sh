#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# pipelines/speech-16k.sh on the bundled transcripts: espeak-ng speech in
# three formats, to 16 kHz mono, script check, split by speaker, tasks.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

for t in espeak-ng sox soxi; do
	if ! command -v $t >/dev/null; then
		echo "t9004: $t missing (make deps installs it)" >&2
		exit 2
	fi
done

test_expect_success 'the pipeline runs on the bundled transcripts' '
	cd "$TRASH" &&
	sh "$SRC_DIR/pipelines/speech-16k.sh" out >log 2>&1 &&
	jq -c "{in, out, rejected}" out/resample.stats.json >got &&
	echo "{\"in\":12,\"out\":11,\"rejected\":{\"too-short\":1}}" >expect &&
	test_cmp expect got
'

test_expect_success 'it read WAV, FLAC and Ogg at three rates' '
	cd "$TRASH" &&
	jq -r "[.orig_sampling_rate, .orig_channels] | @tsv" out/16k.jsonl |
	    sort -u >got &&
	printf "22050\t1\n44100\t2\n48000\t1\n" >expect &&
	test_cmp expect got
'

test_expect_success 'every clip is 16 kHz mono 16-bit WAV of the stated length' '
	cd "$TRASH" &&
	jq -r "[.audio, .duration] | @tsv" out/judged.jsonl >clips &&
	test_line_count 10 clips &&
	while IFS="$TAB" read -r f dur; do
		test "$(soxi -r "$f")" = 16000 &&
		test "$(soxi -c "$f")" = 1 &&
		test "$(soxi -b "$f")" = 16 &&
		test "$(soxi -t "$f")" = wav &&
		awk -v a="$(soxi -D "$f")" -v b="$dur" \
		    "BEGIN { exit !(a - b < 0.001 && b - a < 0.001) }" ||
		{ echo "bad clip $f"; return 1; }
	done <clips
'

test_expect_success 'English text and the one-word clip are rejected' '
	cd "$TRASH" &&
	jq -r "[.id, ._reject.reason] | @tsv" out/resample.rejects.jsonl \
	    out/judge.rejects.jsonl >got &&
	printf "ml-f4-002\ttoo-short\nml-m3-003\tscript_ratio\n" >expect &&
	test_cmp expect got
'

test_expect_success 'no speaker is in two splits' '
	cd "$TRASH" &&
	jq -r .leaks out/leaks.json >n && echo 0 >expect && test_cmp expect n &&
	for s in train val test; do
		jq -r "[.speaker, \"$s\"] | @tsv" out/dataset/$s.jsonl
	done | sort -u | cut -f 1 | uniq -d >twice &&
	test_must_be_empty twice
'

test_expect_success 'tasks: asr and tts hold every record, translation those with one' '
	cd "$TRASH" &&
	cat out/tasks/asr/*.jsonl | wc -l >n && echo 10 >expect &&
	test_cmp expect n &&
	cat out/tasks/tts/*.jsonl | jq -r "select(.speaker == null)" >bad &&
	test_must_be_empty bad &&
	cat out/tasks/translation/*.jsonl | jq -r .id | sort >got &&
	jq -r "select(.translation != null) | .id" out/judged.jsonl | sort >want &&
	test_cmp want got && test_line_count 6 got
'

test_expect_success 'a manifest of ones own with -m and -r' '
	cd "$TRASH" &&
	mkdir -p mine &&
	sox -n -r 8000 -c 1 mine/a.wav synth 2 sine 440 &&
	echo "{\"id\":\"a\",\"audio\":\"a.wav\",\"speaker\":\"s1\",\"text\":\"ഇന്ന് നല്ല കാലാവസ്ഥയാണ്.\"}" >m.jsonl &&
	sh "$SRC_DIR/pipelines/speech-16k.sh" -m m.jsonl -r mine own >log 2>&1 &&
	cat own/dataset/*.jsonl | jq -r "[.id, .orig_sampling_rate, .sampling_rate] | @tsv" >got &&
	printf "a\t8000\t16000\n" >expect && test_cmp expect got
'

test_done
