#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-resample converts float to integers itself: rounded to nearest,
# clipped at full scale (never wrapped), clipped samples counted; TPDF
# dither with --dither, the same whatever -j.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# floatwav RATE FILE V...: a mono 32-bit float WAV of the values given.
floatwav () {
	python3 - "$@" <<'EOF'
import struct, sys
rate, path, vals = int(sys.argv[1]), sys.argv[2], [float(v) for v in sys.argv[3:]]
data = struct.pack("<%df" % len(vals), *vals)
fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data)))
    f.write(b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt)
    f.write(b"data" + struct.pack("<I", len(data)) + data)
EOF
}

# floats FILE: the samples of a float WAV, one a line, read as written.
floats () {
	python3 - "$1" <<'EOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
i = 12
while b[i:i + 4] != b"data":
    i += 8 + struct.unpack("<I", b[i + 4:i + 8])[0]
n = struct.unpack("<I", b[i + 4:i + 8])[0] // 4
for v in struct.unpack("<%df" % n, b[i + 8:i + 8 + 4 * n]):
    print("%g" % v)
EOF
}

# samples FILE: the 16-bit samples of a WAV, one a line.
samples () {
	sox "$1" -t s16 - | od -An -v -td2 -w2 | tr -d " "
}

test_expect_success 'over full scale clips (no wrap); rounding is to nearest' '
	floatwav 16000 in.wav 0.5 1.5 -1.5 0.1 -0.1 1.0 -1.0 0.00002 &&
	echo "{\"audio\":\"in.wav\"}" >in.jsonl &&
	df-resample --out-dir out --stats st.json in.jsonl >out.jsonl &&
	samples out/in.wav >actual &&
	printf "%s\\n" 16384 32767 -32768 3277 -3277 32767 -32768 1 >expect &&
	test_cmp expect actual &&
	jq -e ".clipped_samples == 3" st.json &&
	jq -e ".clipped_ratio == 0.5 and .peak_dbfs == 0" out.jsonl
'

test_expect_success 'clipping after resampling is counted too' '
	sox -D -n -r 44100 -c 1 -e float -b 32 sq.wav synth 0.5 square 100 vol 0.99 &&
	echo "{\"audio\":\"sq.wav\"}" >in.jsonl &&
	df-resample --out-dir out --stats st.json in.jsonl >out.jsonl &&
	jq -e ".clipped_samples > 0" st.json &&
	jq -e ".clipped_ratio > 0" out.jsonl &&
	samples out/sq.wav | sort -n | sed -n "1p;\$p" >ends &&
	printf "%s\\n" -32768 32767 >expect &&
	test_cmp expect ends
'

test_expect_success '--bits float keeps values beyond full scale' '
	floatwav 16000 in.wav 0.5 1.5 -1.5 0.25 &&
	echo "{\"audio\":\"in.wav\"}" >in.jsonl &&
	df-resample --out-dir out --bits float in.jsonl >out.jsonl &&
	floats out/in.wav >actual &&
	printf "%s\\n" 0.5 1.5 -1.5 0.25 >expect &&
	test_cmp expect actual &&
	jq -e ".clipped_ratio == 0.5" out.jsonl
'

test_expect_success '--dither: TPDF noise of at most 1 LSB, deterministic' '
	sox -D -n -r 44100 -c 1 -b 24 in.wav synth 0.3 sine 440 vol 0.3 &&
	echo "{\"audio\":\"in.wav\"}" >in.jsonl &&
	df-resample --out-dir plain in.jsonl >p.jsonl &&
	df-resample -j 1 --out-dir d1 --dither in.jsonl >d1.jsonl &&
	df-resample -j 2 --out-dir d2 --dither in.jsonl >d2.jsonl &&
	samples plain/in.wav >p &&
	samples d1/in.wav >a &&
	samples d2/in.wav >b &&
	test_cmp a b &&
	! cmp -s p a &&
	paste p a | awk "{ d = \$1 - \$2; if (d < -1 || d > 1) bad++ }
	    END { exit bad }"
'

test_done
