#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample reads every format, rate and channel count libsndfile does
# and writes 16 kHz mono 16-bit WAV of exactly round(n * 16000 / rate)
# frames, with the facts in the record.  Fixtures are made by sox here.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# want_frames N RATE: round(N * 16000 / RATE).
want_frames () {
	echo $((($1 * 32000 + $2) / (2 * $2)))
}

# pcm FILE: a checksum of the samples alone (headers hold the source name).
pcm () {
	sox "$1" -t s16 - | cksum
}

# check_out RECORD_FILE SRC RATE CHANNELS FORMAT: the output is right.
check_out () {
	out=$(jq -r .audio "$1") &&
	test -f "$out" &&
	test "$(soxi -r "$out")" = 16000 &&
	test "$(soxi -c "$out")" = 1 &&
	test "$(soxi -b "$out")" = 16 &&
	jq -e --argjson r "$3" --argjson c "$4" --arg f "$5" "
	    .sampling_rate == 16000 and .channels == 1 and
	    .orig_sampling_rate == \$r and .orig_channels == \$c and
	    .orig_format == \$f and (.peak_dbfs | type) == \"number\" and
	    (.rms_dbfs | type) == \"number\" and .clipped_ratio == 0 and
	    (.silence_ratio | type) == \"number\"" "$1" >/dev/null &&
	n=$(soxi -s "$out") &&
	jq -e --argjson n "$n" ".duration == \$n / 16000" "$1" >/dev/null
}

test_expect_success 'lossless formats at every rate: exact length' '
	for r in 8000 11025 22050 24000 32000 44100 48000 96000; do
		sox -D -n -r $r -c 1 -b 16 w$r.wav synth 0.37 sine 440 vol 0.5 &&
		sox -D -n -r $r -c 1 -b 24 f$r.flac synth 0.37 sine 440 vol 0.5 &&
		printf "{\"id\":\"w%s\",\"audio\":\"w%s.wav\"}\\n" $r $r &&
		printf "{\"id\":\"f%s\",\"audio\":\"f%s.flac\"}\\n" $r $r ||
		return 1
	done >in.jsonl &&
	test_expect_code 0 df-resample --out-dir out in.jsonl >out.jsonl 2>err &&
	test_must_be_empty err &&
	test_line_count 16 out.jsonl &&
	for r in 8000 11025 22050 24000 32000 44100 48000 96000; do
		grep "\"w$r\"" out.jsonl >w.rec &&
		check_out w.rec w$r.wav $r 1 wav/pcm16 &&
		grep "\"f$r\"" out.jsonl >f.rec &&
		check_out f.rec f$r.flac $r 1 flac/pcm24 &&
		n=$(soxi -s w$r.wav) &&
		test "$(soxi -s out/w$r.wav)" = "$(want_frames "$n" $r)" &&
		test "$(soxi -s out/f$r.wav)" = "$(want_frames "$n" $r)" ||
		return 1
	done
'

test_expect_success 'other containers: AIFF, AU, float WAV, u-law, 8-bit' '
	sox -D -n -r 22050 -c 1 -b 16 aiff.aiff synth 0.3 sine 300 vol 0.4 &&
	sox -D -n -r 11025 -c 1 -b 16 au.au synth 0.3 sine 300 vol 0.4 &&
	sox -D -n -r 44100 -c 1 -b 32 -e float fl.wav synth 0.3 sine 300 vol 0.4 &&
	sox -D -n -r 8000 -c 1 -e u-law ulaw.wav synth 0.3 sine 300 vol 0.4 &&
	sox -D -n -r 8000 -c 1 -b 8 -e unsigned u8.wav synth 0.3 sine 300 \
	    vol 0.4 &&
	for f in aiff.aiff au.au fl.wav ulaw.wav u8.wav; do
		printf "{\"id\":\"%s\",\"audio\":\"%s\"}\\n" $f $f
	done >in.jsonl &&
	test_expect_code 0 df-resample --out-dir out in.jsonl >out.jsonl 2>err &&
	test_must_be_empty err &&
	jq -r "[.id, .orig_format, .orig_sampling_rate] | @tsv" \
	    out.jsonl >actual &&
	printf "%s\\t%s\\t%s\\n" aiff.aiff aiff/pcm16 22050 \
	    au.au au/pcm16 11025 fl.wav wav/float 44100 \
	    ulaw.wav wav/ulaw 8000 u8.wav wav/pcm8u 8000 >expect &&
	test_cmp expect actual &&
	for f in aiff.aiff au.au fl.wav ulaw.wav u8.wav; do
		n=$(want_frames "$(soxi -s $f)" "$(soxi -r $f)") &&
		o=out/${f%.*}.wav &&
		test "$(soxi -r $o)" = 16000 &&
		test "$(soxi -s $o)" = "$n" &&
		grep "\"$f\"" out.jsonl | jq -e --argjson n "$n" \
		    ".duration == \$n / 16000" >/dev/null || return 1
	done
'

test_expect_success 'lossy formats: OGG Vorbis and MP3 decode and convert' '
	sox -D -n -r 44100 -c 2 o.ogg synth 0.5 sine 440 vol 0.4 &&
	sox -D -n -r 22050 -c 1 m.mp3 synth 0.5 sine 440 vol 0.4 &&
	sox -D -n -r 8000 -c 1 m8.mp3 synth 0.5 sine 440 vol 0.4 &&
	printf "%s\\n" "{\"id\":\"o\",\"audio\":\"o.ogg\"}" \
	    "{\"id\":\"m\",\"audio\":\"m.mp3\"}" \
	    "{\"id\":\"m8\",\"audio\":\"m8.mp3\"}" >in.jsonl &&
	test_expect_code 0 df-resample --out-dir out in.jsonl >out.jsonl 2>err &&
	test_must_be_empty err &&
	sed -n 1p out.jsonl >o.rec && check_out o.rec o.ogg 44100 2 ogg/vorbis &&
	sed -n 2p out.jsonl >m.rec && check_out m.rec m.mp3 22050 1 mp3 &&
	sed -n 3p out.jsonl >m8.rec && check_out m8.rec m8.mp3 8000 1 mp3 &&
	jq -e ".duration >= 0.5 and .duration < 0.7" out.jsonl >/dev/null
'

test_expect_success 'MP3 with a LAME gapless tag: delay and padding removed' '
	sox -D -n -r 44100 -c 1 -b 16 g.wav synth 0.5 sine 440 vol 0.4 &&
	lame --quiet g.wav g.mp3 &&
	grep -a -q Info g.mp3 &&
	test "$(soxi -s g.mp3)" != 22050 &&
	echo "{\"audio\":\"g.mp3\"}" >in.jsonl &&
	df-resample --out-dir out in.jsonl >out.jsonl &&
	jq -e ".duration == 0.5" out.jsonl &&
	test "$(soxi -s out/g.wav)" = 8000
'

test_expect_success 'channels: stereo and 5.1 are mixed down by the mean' '
	sox -D -n -r 48000 -c 2 -b 16 s.wav synth 0.2 sine 440 vol 0.5 &&
	sox -D -n -r 48000 -c 6 -b 16 six.wav synth 0.2 sine 440 vol 0.5 &&
	sox -D -n -r 48000 -c 1 -b 16 mono.wav synth 0.2 sine 440 vol 0.5 &&
	printf "%s\\n" "{\"audio\":\"s.wav\"}" "{\"audio\":\"six.wav\"}" \
	    "{\"audio\":\"mono.wav\"}" >in.jsonl &&
	df-resample --out-dir out in.jsonl >out.jsonl &&
	jq -r "[.orig_channels, .channels, .peak_dbfs] | @tsv" out.jsonl >got &&
	cut -f 1,2 got >actual &&
	printf "2\\t1\\n6\\t1\\n1\\t1\\n" >expect &&
	test_cmp expect actual &&
	cut -f 3 got | sort -u >peaks &&
	test_line_count 1 peaks &&
	test "$(pcm out/s.wav)" = "$(pcm out/mono.wav)" &&
	test "$(pcm out/six.wav)" = "$(pcm out/mono.wav)"
'

test_expect_success 'a stereo file whose channels cancel mixes to silence' '
	sox -D -n -r 16000 -c 1 -b 16 l.wav synth 0.3 sine 440 vol 0.5 &&
	sox l.wav -r 16000 inv.wav vol -1 &&
	sox -M l.wav inv.wav st.wav &&
	echo "{\"audio\":\"st.wav\"}" >in.jsonl &&
	df-resample --out-dir out in.jsonl >out.jsonl &&
	jq -e ".peak_dbfs == null and .rms_dbfs == null and
	    .silence_ratio == 1" out.jsonl
'

test_expect_success 'audio.bytes in base64, without --out-dir: bytes out' '
	sox -D -n -r 22050 -c 1 -b 16 b.wav synth 0.25 sine 440 vol 0.5 &&
	printf "{\"id\":\"b\",\"audio\":{\"bytes\":\"%s\"},\"text\":\"hi\"}\\n" \
	    "$(base64 -w 0 b.wav)" >in.jsonl &&
	test_expect_code 0 df-resample in.jsonl >out.jsonl 2>err &&
	test_must_be_empty err &&
	jq -r .audio.bytes out.jsonl | base64 -d >got.wav &&
	test "$(soxi -r got.wav)" = 16000 &&
	test "$(soxi -s got.wav)" = 4000 &&
	jq -e ".text == \"hi\" and .orig_sampling_rate == 22050 and
	    .duration == 0.25 and (.audio | keys) == [\"bytes\"]" out.jsonl &&
	df-resample --out-dir out --name "{id}" in.jsonl >out2.jsonl &&
	jq -e ".audio == {\"path\": \"out/b.wav\"}" out2.jsonl &&
	test "$(pcm got.wav)" = "$(pcm out/b.wav)"
'

test_expect_success '--format flac, --bits 24 and float, --rate 8000' '
	sox -D -n -r 44100 -c 1 -b 16 in.wav synth 0.3 sine 440 vol 0.5 &&
	echo "{\"audio\":\"in.wav\"}" >in.jsonl &&
	df-resample --out-dir f --format flac in.jsonl >f.jsonl &&
	test "$(soxi -t f/in.flac)" = flac &&
	test "$(soxi -b f/in.flac)" = 16 &&
	df-resample --out-dir b24 --bits 24 in.jsonl >b24.jsonl &&
	test "$(soxi -b b24/in.wav)" = 24 &&
	df-resample --out-dir fl --bits float in.jsonl >fl.jsonl &&
	soxi -e fl/in.wav | grep -q "Floating Point" &&
	df-resample --out-dir r8 --rate 8000 in.jsonl >r8.jsonl &&
	test "$(soxi -r r8/in.wav)" = 8000 &&
	test "$(soxi -s r8/in.wav)" = 2400 &&
	jq -e ".sampling_rate == 8000" r8.jsonl &&
	test "$(soxi -s f/in.flac)" = 4800 &&
	test "$(soxi -s b24/in.wav)" = 4800 &&
	test "$(soxi -s fl/in.wav)" = 4800
'

test_expect_success '--engine src: libsamplerate, the same exact length' '
	for r in 8000 22050 44100 48000; do
		sox -D -n -r $r -c 1 -b 16 s$r.wav synth 0.41 sine 440 vol 0.5 &&
		printf "{\"audio\":\"s%s.wav\"}\\n" $r || return 1
	done >in.jsonl &&
	for q in best medium fast; do
		df-resample --engine src --quality $q --out-dir $q in.jsonl \
		    >$q.jsonl || return 1
		for r in 8000 22050 44100 48000; do
			test "$(soxi -s $q/s$r.wav)" = 6560 || return 1
		done
	done
'

test_done
