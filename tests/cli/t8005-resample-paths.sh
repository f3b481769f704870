#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample paths: relative to --root, nothing outside it unless
# --allow-any-path, the field's shape kept (path or {"path"}), stable
# names under --out-dir (mirrored paths or --name '{id}'), and two
# records that would write one name caught whatever -j.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success '--root: relative paths resolve against it' '
	mkdir -p data/x &&
	sox -D -n -r 22050 -c 1 -b 16 data/x/a.wav synth 0.2 sine 440 vol 0.5 &&
	echo "{\"audio\":\"x/a.wav\"}" >in.jsonl &&
	test_expect_code 1 df-resample --out-dir out in.jsonl >o 2>err &&
	grep -F "x/a.wav" err &&
	df-resample --root data --out-dir out in.jsonl >out.jsonl &&
	jq -e ".audio == \"out/x/a.wav\"" out.jsonl &&
	test -f out/x/a.wav
'

test_expect_success 'absolute paths and .. are refused without --allow-any-path' '
	mkdir -p data/x &&
	sox -D -n -r 22050 -c 1 -b 16 top.wav synth 0.2 sine 440 vol 0.5 &&
	printf "%s\\n" "{\"audio\":\"$PWD/top.wav\"}" \
	    "{\"audio\":\"../top.wav\"}" "{\"audio\":\"x/../../top.wav\"}" \
	    >in.jsonl &&
	test_expect_code 1 df-resample --root data --out-dir out \
	    --rejects rej.jsonl in.jsonl >out.jsonl 2>err &&
	test_must_be_empty out.jsonl &&
	jq -r ._reject.reason rej.jsonl | sort -u >reasons &&
	echo bad-path >expect &&
	test_cmp expect reasons &&
	grep -F "is absolute (--allow-any-path to accept)" err &&
	grep -F "'\''../top.wav'\'' leaves --root" err &&
	df-resample --root data --out-dir out --allow-any-path in.jsonl \
	    >ok.jsonl &&
	test_line_count 3 ok.jsonl &&
	find out -name "*.wav" | sort >files &&
	test_line_count 3 files &&
	! grep "\\.\\./" files
'

test_expect_success 'audio.path: the object shape is kept, other keys too' '
	sox -D -n -r 22050 -c 1 -b 16 a.wav synth 0.2 sine 440 vol 0.5 &&
	echo "{\"id\":\"1\",\"audio\":{\"path\":\"a.wav\",\"sampling_rate\":22050},\"text\":\"x\"}" >in.jsonl &&
	df-resample --out-dir out in.jsonl >out.jsonl &&
	jq -e ".audio == {\"path\": \"out/a.wav\"} and .text == \"x\" and
	    .id == \"1\"" out.jsonl &&
	head -c 40 out.jsonl | grep -F "{\"id\":\"1\",\"audio\":{\"path\":"
'

test_expect_success '--field: audio elsewhere in the record' '
	sox -D -n -r 22050 -c 1 -b 16 a.wav synth 0.2 sine 440 vol 0.5 &&
	echo "{\"meta\":{\"wav\":\"a.wav\"}}" >in.jsonl &&
	df-resample --field .meta.wav --out-dir out in.jsonl >out.jsonl &&
	jq -e ".meta.wav == \"out/a.wav\" and .sampling_rate == 16000" \
	    out.jsonl
'

test_expect_success '--name {id}: ids made safe and unique as file names' '
	sox -D -n -r 22050 -c 1 -b 16 a.wav synth 0.2 sine 440 vol 0.5 &&
	printf "%s\\n" "{\"id\":\"spk1/utt 1\",\"audio\":\"a.wav\"}" \
	    "{\"id\":\"..\",\"audio\":\"a.wav\"}" \
	    "{\"id\":\"spk1_utt\",\"audio\":\"a.wav\"}" \
	    "{\"id\":7,\"audio\":\"a.wav\"}" >in.jsonl &&
	df-resample --out-dir out --name "clips/{id}" in.jsonl >out.jsonl &&
	jq -r .audio out.jsonl >actual &&
	printf "%s\\n" "out/clips/spk1%2Futt%201.wav" "out/clips/%2E..wav" \
	    out/clips/spk1_utt.wav out/clips/7.wav >expect &&
	test_cmp expect actual &&
	for f in $(cat actual); do test -f "$f" || return 1; done &&
	echo "{\"audio\":\"a.wav\"}" >noid.jsonl &&
	test_expect_code 1 df-resample --out-dir out --name "{id}" \
	    --rejects rej.jsonl noid.jsonl >out2 2>err &&
	jq -e "._reject.reason == \"no-id\"" rej.jsonl
'

test_expect_success 'two sources that map to one name: the later is rejected' '
	sox -D -n -r 22050 -c 1 -b 16 a.flac synth 0.2 sine 440 vol 0.5 &&
	sox -D -n -r 44100 -c 1 -b 16 a.wav synth 0.4 sine 440 vol 0.5 &&
	printf "%s\\n" "{\"audio\":\"a.flac\"}" "{\"audio\":\"a.wav\"}" \
	    "{\"audio\":\"a.flac\"}" >in.jsonl &&
	for j in 1 2; do
		rm -rf out &&
		test_expect_code 1 df-resample -j $j --out-dir out \
		    --rejects rej$j.jsonl in.jsonl >out$j.jsonl 2>err$j || return 1
	done &&
	test_cmp out1.jsonl out2.jsonl &&
	test_cmp rej1.jsonl rej2.jsonl &&
	test_line_count 2 out1.jsonl &&
	jq -e "._reject.reason == \"name-collision\" and ._reject.line == 2" \
	    rej1.jsonl &&
	test "$(soxi -s out/a.wav)" = 3200
'

test_expect_success 'bytes under --out-dir need --name' '
	sox -D -n -r 22050 -c 1 -b 16 b.wav synth 0.2 sine 440 vol 0.5 &&
	printf "{\"id\":\"b\",\"audio\":{\"bytes\":\"%s\"}}\\n" \
	    "$(base64 -w 0 b.wav)" >in.jsonl &&
	test_expect_code 1 df-resample --out-dir out --rejects rej.jsonl \
	    in.jsonl >out.jsonl 2>err &&
	jq -e "._reject.reason == \"no-name\"" rej.jsonl
'

test_done
