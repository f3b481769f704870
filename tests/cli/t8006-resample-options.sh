#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample options: --channel, --channels, --trim-silence, --normalize,
# --min/--max-duration, levels, and -j giving the same bytes.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success '--channel N takes one channel; too high is rejected' '
	sox -D -n -r 44100 -c 1 -b 16 quiet.wav synth 0.3 sine 440 vol 0.01 &&
	sox -D -n -r 44100 -c 1 -b 16 loud.wav synth 0.3 sine 440 vol 0.5 &&
	sox -M quiet.wav loud.wav st.wav &&
	echo "{\"audio\":\"st.wav\"}" >in.jsonl &&
	df-resample --out-dir c1 --channel 1 in.jsonl >c1.jsonl &&
	df-resample --out-dir c2 --channel 2 in.jsonl >c2.jsonl &&
	jq -e ".peak_dbfs < -39 and .peak_dbfs > -41" c1.jsonl &&
	jq -e ".peak_dbfs < -5.9 and .peak_dbfs > -6.1" c2.jsonl &&
	test_expect_code 1 df-resample --out-dir c3 --channel 3 \
	    --rejects rej.jsonl in.jsonl >c3.jsonl 2>err &&
	jq -e "._reject.reason == \"no-channel\"" rej.jsonl &&
	grep -F "'\''st.wav'\'' has 2 channels, not 3" err
'

test_expect_success '--channels 2 keeps stereo; a mono source is rejected' '
	sox -D -n -r 44100 -c 2 -b 16 st.wav synth 0.3 sine 440 vol 0.5 &&
	sox -D -n -r 44100 -c 1 -b 16 mono.wav synth 0.3 sine 440 vol 0.5 &&
	printf "%s\\n" "{\"audio\":\"st.wav\"}" "{\"audio\":\"mono.wav\"}" \
	    >in.jsonl &&
	test_expect_code 1 df-resample --out-dir out --channels 2 \
	    --rejects rej.jsonl in.jsonl >out.jsonl 2>err &&
	test "$(soxi -c out/st.wav)" = 2 &&
	test "$(soxi -s out/st.wav)" = 4800 &&
	jq -e ".channels == 2" out.jsonl &&
	jq -e "._reject.reason == \"channels\"" rej.jsonl
'

test_expect_success '--trim-silence cuts both ends; all-silent is dropped' '
	sox -D -n -r 44100 -c 1 -b 16 tone.wav synth 0.5 sine 440 vol 0.5 \
	    pad 0.3 0.4 &&
	sox -D -n -r 44100 -c 1 -b 16 hush.wav synth 0.5 sine 440 vol 0.0001 &&
	printf "%s\\n" "{\"audio\":\"tone.wav\"}" "{\"audio\":\"hush.wav\"}" \
	    >in.jsonl &&
	df-resample --out-dir plain in.jsonl >plain.jsonl &&
	sed -n 1p plain.jsonl | jq -e ".duration == 1.2 and
	    .silence_ratio > 0.5" &&
	test_expect_code 0 df-resample --out-dir out --trim-silence -50 \
	    --rejects rej.jsonl --stats st.json in.jsonl >out.jsonl 2>err &&
	test_must_be_empty err &&
	test_line_count 1 out.jsonl &&
	jq -e ".duration > 0.49 and .duration < 0.51 and
	    .silence_ratio == 0" out.jsonl &&
	jq -e "._reject.reason == \"silent\"" rej.jsonl &&
	jq -e ".rejected == {\"silent\": 1} and .errors == 0" st.json
'

test_expect_success '--normalize puts the peak at the level asked' '
	sox -D -n -r 22050 -c 1 -b 16 in.wav synth 0.3 sine 440 vol 0.1 &&
	echo "{\"audio\":\"in.wav\"}" >in.jsonl &&
	df-resample --out-dir out --normalize -3 in.jsonl >out.jsonl &&
	jq -e ".peak_dbfs >= -3.05 and .peak_dbfs <= -2.95 and
	    .clipped_ratio == 0" out.jsonl
'

test_expect_success '--min-duration and --max-duration drop, not fail' '
	for d in 0.2 1 3; do
		sox -D -n -r 22050 -c 1 -b 16 d$d.wav synth $d sine 440 vol 0.5 &&
		printf "{\"audio\":\"d%s.wav\"}\\n" $d || return 1
	done >in.jsonl &&
	test_expect_code 0 df-resample --out-dir out --min-duration 0.5 \
	    --max-duration 2 --rejects rej.jsonl --stats st.json in.jsonl \
	    >out.jsonl 2>err &&
	test_must_be_empty err &&
	jq -e ".duration == 1" out.jsonl &&
	jq -r "._reject.reason" rej.jsonl >actual &&
	printf "%s\\n" too-short too-long >expect &&
	test_cmp expect actual &&
	jq -e ".in == 3 and .out == 1 and .errors == 0" st.json &&
	ls out >files &&
	echo d1.wav >expect &&
	test_cmp expect files
'

test_expect_success 'levels: a known tone has known peak and RMS' '
	sox -D -n -r 16000 -c 1 -b 24 t.wav synth 1 sine 1000 vol 0.5 &&
	echo "{\"audio\":\"t.wav\"}" >in.jsonl &&
	df-resample --out-dir out in.jsonl >out.jsonl &&
	jq -e ".peak_dbfs >= -6.05 and .peak_dbfs <= -5.95 and
	    .rms_dbfs >= -9.08 and .rms_dbfs <= -8.98 and
	    .silence_ratio == 0 and .clipped_ratio == 0" out.jsonl
'

test_expect_success '-j 1 and -j 3 write the same files and records' '
	for i in 1 2 3 4 5 6; do
		sox -D -n -r $((8000 * i)) -c $((1 + i % 2)) -b 16 f$i.wav \
		    synth 0.$i sine $((200 * i)) vol 0.5 &&
		printf "{\"id\":\"%s\",\"audio\":\"f%s.wav\"}\\n" $i $i ||
		return 1
	done >in.jsonl &&
	df-resample -j 1 --out-dir out in.jsonl >one.jsonl &&
	mv out out1 &&
	df-resample -j 3 --out-dir out in.jsonl >three.jsonl &&
	test_cmp one.jsonl three.jsonl &&
	for i in 1 2 3 4 5 6; do
		cmp out1/f$i.wav out/f$i.wav || return 1
	done
'

test_done
