#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample resumes: a rerun skips outputs that are complete and newer
# than their source, with the same record out; a changed source or
# changed options convert again; files already in the target format are
# copied or hard-linked, not re-encoded; nothing is left half-written.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# corpus: a few sources and their manifest.
corpus () {
	mkdir -p src/a src/b &&
	sox -D -n -r 44100 -c 2 -b 16 src/a/one.wav synth 0.3 sine 440 vol 0.5 &&
	sox -D -n -r 8000 -c 1 -b 16 src/b/two.flac synth 0.3 sine 300 vol 0.5 &&
	sox -D -n -r 48000 -c 1 -b 24 src/three.wav synth 0.3 sine 500 vol 0.5 &&
	for f in a/one.wav b/two.flac three.wav; do
		printf '{"audio":"%s"}\n' "$f"
	done >in.jsonl
}

test_expect_success 'a rerun skips every output and emits the same records' '
	corpus &&
	df-resample --root src --out-dir out --stats st1.json in.jsonl >first &&
	jq -e ".converted == 3 and .skipped == 0" st1.json &&
	ls -l --time-style=full-iso out/a/one.wav out/b/two.wav \
	    out/three.wav >before &&
	sleep 1 &&
	df-resample --root src --out-dir out --stats st2.json in.jsonl >second &&
	jq -e ".converted == 0 and .skipped == 3" st2.json &&
	test_cmp first second &&
	ls -l --time-style=full-iso out/a/one.wav out/b/two.wav \
	    out/three.wav >after &&
	test_cmp before after
'

test_expect_success 'a source newer than its output is converted again' '
	corpus &&
	df-resample --root src --out-dir out in.jsonl >first &&
	sleep 1 &&
	sox -D -n -r 44100 -c 2 -b 16 src/a/one.wav synth 0.5 sine 440 vol 0.5 &&
	df-resample --root src --out-dir out --stats st.json in.jsonl >second &&
	jq -e ".converted == 1 and .skipped == 2" st.json &&
	test "$(soxi -s out/a/one.wav)" = 8000 &&
	sed -n 1p second | jq -e ".duration == 0.5"
'

test_expect_success 'other options, or a damaged output, convert again' '
	corpus &&
	df-resample --root src --out-dir out in.jsonl >first &&
	df-resample --root src --out-dir out --dither --stats st.json \
	    in.jsonl >second &&
	jq -e ".converted == 3" st.json &&
	head -c 100 out/three.wav >cut && mv cut out/three.wav &&
	touch out/three.wav &&
	df-resample --root src --out-dir out --dither --stats st.json \
	    in.jsonl >third &&
	jq -e ".converted == 1 and .skipped == 2" st.json &&
	test_cmp second third
'

test_expect_success 'no temporary files are left; leftovers are ignored' '
	corpus &&
	mkdir -p out/a &&
	echo junk >out/a/one.wav.df-tmp.1.0 &&
	df-resample --root src --out-dir out in.jsonl >first &&
	find out -name "*.df-tmp.*" >tmps &&
	test_line_count 1 tmps &&
	find out -type f ! -name "*.df-tmp.*" | sort >files &&
	printf "%s\\n" out/a/one.wav out/b/two.wav out/three.wav >expect &&
	test_cmp expect files
'

test_expect_success 'a file already in the target format is copied' '
	sox -D -n -r 16000 -c 1 -b 16 ok.wav synth 0.3 sine 440 vol 0.5 &&
	echo "{\"audio\":\"ok.wav\"}" >in.jsonl &&
	df-resample --out-dir out --stats st.json in.jsonl >out.jsonl &&
	jq -e ".copied == 1 and .converted == 0" st.json &&
	cmp ok.wav out/ok.wav &&
	jq -e ".duration == 0.3 and .orig_format == \"wav/pcm16\"" out.jsonl &&
	df-resample --out-dir out --stats st.json in.jsonl >again.jsonl &&
	jq -e ".skipped == 1" st.json &&
	test_cmp out.jsonl again.jsonl
'

test_expect_success '--link hard-links a file in the target format' '
	sox -D -n -r 16000 -c 1 -b 16 ok.wav synth 0.3 sine 440 vol 0.5 &&
	echo "{\"audio\":\"ok.wav\"}" >in.jsonl &&
	df-resample --out-dir out --link in.jsonl >out.jsonl &&
	test "$(stat -c %i ok.wav)" = "$(stat -c %i out/ok.wav)"
'

test_expect_success 'a 24-bit or 8 kHz file is not the target: converted' '
	sox -D -n -r 16000 -c 1 -b 24 b24.wav synth 0.3 sine 440 vol 0.5 &&
	sox -D -n -r 16000 -c 2 -b 16 st.wav synth 0.3 sine 440 vol 0.5 &&
	printf "%s\\n" "{\"audio\":\"b24.wav\"}" "{\"audio\":\"st.wav\"}" \
	    >in.jsonl &&
	df-resample --out-dir out --stats st.json in.jsonl >out.jsonl &&
	jq -e ".converted == 2 and .copied == 0" st.json &&
	test "$(soxi -b out/b24.wav)" = 16 &&
	test "$(soxi -c out/st.wav)" = 1
'

test_done
