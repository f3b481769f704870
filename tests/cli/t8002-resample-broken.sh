#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample: broken input is data.  Each bad file is rejected with a
# clear reason naming it, the good ones are still converted, nothing is
# left half-written, and --stats adds up.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# broken: the fixtures, one good file between each bad one.
broken () {
	sox -D -n -r 22050 -c 1 -b 16 good.wav synth 0.2 sine 440 vol 0.5 &&
	sox -D -n -r 44100 -c 2 -b 16 full.wav synth 1 sine 440 vol 0.5 &&
	head -c 30000 full.wav >trunc.wav &&
	: >zero.wav &&
	echo "this is not audio, only text" >text.wav &&
	head -c 4096 /dev/zero | tr '\000' Z >noise.flac &&
	# A WAV whose format tag (0x1234) no decoder knows.
	printf "RIFF\\044\\000\\000\\000WAVEfmt \\020\\000\\000\\000\\064\\022\\001\\000\\100\\037\\000\\000\\200\\076\\000\\000\\002\\000\\020\\000data\\000\\000\\000\\000" >codec.wav &&
	# A valid WAV with no frames.
	sox -D -n -r 16000 -c 1 -b 16 empty.wav trim 0 0 &&
	for f in good.wav nosuch.wav trunc.wav zero.wav text.wav noise.flac \
	    codec.wav empty.wav; do
		printf '{"id":"%s","audio":"%s"}\n' "$f" "$f"
	done
}

test_expect_success 'each broken file is rejected with its reason' '
	broken >in.jsonl &&
	test_expect_code 1 df-resample --out-dir out --rejects rej.jsonl \
	    --stats st.json in.jsonl >out.jsonl 2>err &&
	test_line_count 1 out.jsonl &&
	jq -e ".id == \"good.wav\"" out.jsonl &&
	jq -r "[._reject.line, ._reject.reason] | @tsv" rej.jsonl >actual &&
	printf "%s\\t%s\\n" 2 missing-file 3 truncated 4 empty-file \
	    5 unreadable 6 unreadable 7 unreadable 8 empty-audio >expect &&
	test_cmp expect actual &&
	test_line_count 7 err &&
	grep -F "in.jsonl:2: '\''nosuch.wav'\'': No such file or directory" err &&
	grep -F "in.jsonl:3: '\''trunc.wav'\'' is truncated: header says 176400 bytes of audio, the file has 29956" err &&
	grep -F "in.jsonl:4: '\''zero.wav'\'' is an empty file" err &&
	grep -F "in.jsonl:5: '\''text.wav'\'': not audio in a format libsndfile reads" err &&
	grep -F "in.jsonl:6: '\''noise.flac'\'': " err &&
	grep -F "in.jsonl:7: '\''codec.wav'\'': " err &&
	grep -F "in.jsonl:8: '\''empty.wav'\'' holds no audio" err &&
	jq -e ".in == 8 and .out == 1 and .errors == 7 and
	    .in == .out + ([.rejected[]] | add)" st.json &&
	ls out >files &&
	echo good.wav >expect &&
	test_cmp expect files
'

test_expect_success 'broken input: the same with -j 1 and -j 3' '
	broken >in.jsonl &&
	test_expect_code 1 df-resample -j 1 --out-dir o1 --rejects r1 \
	    in.jsonl >out1 2>err1 &&
	test_expect_code 1 df-resample -j 3 --out-dir o3 --rejects r3 \
	    in.jsonl >out3 2>err3 &&
	sed "s/o3/o1/" out3 >out3.fixed &&
	test_cmp out1 out3.fixed &&
	test_cmp r1 r3 &&
	test_cmp err1 err3
'

test_expect_success 'a bad field or bad base64 is rejected, not a crash' '
	printf "%s\\n" "{\"id\":\"a\"}" "{\"id\":\"b\",\"audio\":42}" \
	    "{\"id\":\"c\",\"audio\":{\"bytes\":\"***\"}}" \
	    "{\"id\":\"d\",\"audio\":{\"bytes\":\"\"}}" \
	    "{\"id\":\"e\",\"audio\":{\"x\":1}}" \
	    "{\"id\":\"f\",\"audio\":{\"bytes\":\"aGVsbG8gd29ybGQ=\"}}" \
	    "{\"id\":\"g\",\"audio\":\"\"}" >in.jsonl &&
	test_expect_code 1 df-resample --rejects rej.jsonl in.jsonl \
	    >out 2>err &&
	test_must_be_empty out &&
	jq -r "._reject.reason" rej.jsonl >actual &&
	printf "%s\\n" missing-audio missing-audio bad-base64 empty-file \
	    missing-audio unreadable bad-path >expect &&
	test_cmp expect actual &&
	test_line_count 7 err
'

test_expect_success '--strict stops at the first broken file' '
	broken >in.jsonl &&
	test_expect_code 1 df-resample --strict --out-dir out in.jsonl \
	    >out.jsonl 2>err &&
	test_line_count 1 out.jsonl &&
	test_line_count 1 err &&
	grep "in.jsonl:2: " err
'

test_done
