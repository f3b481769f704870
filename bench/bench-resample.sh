#!/bin/sh
# df-resample against sox: quality against a float64 reference, speed in
# audio-seconds per CPU-second (one sox process per file, as a shell loop
# runs it), -j 2 wall-clock throughput, and memory on a two-hour file.
#
#	sh bench/bench-resample.sh          (make bench BENCH=resample)
#
# BENCH_RESAMPLE_DIR keeps the corpus (default: a temporary folder).
# BENCH_RESAMPLE_LONG=0 skips the two-hour file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/../bin
py=/usr/bin/python3
dir=${BENCH_RESAMPLE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-resample.XXXXXX")}
mkdir -p "$dir"
cd "$dir"
export LC_ALL=C

# The corpus: 5 signals x 8 rates x 4 formats (no MP3 above 48 kHz).
if [ ! -s corpus.tsv ]; then
	rm -rf m src dec
	mkdir -p m src dec
	espeak-ng -v en -s 150 -w en.wav \
	    "The quick brown fox jumps over the lazy dog near the river bank."
	espeak-ng -v ml -s 140 -w ml.wav \
	    "മലയാളം ഒരു ദ്രാവിഡ ഭാഷയാണ്. ഇത് കേരളത്തിലെ ഭാഷയാണ്."
	"$py" "$here/resample-gen.py" m en.wav ml.wav >masters.tsv
	: >corpus.tsv
	while IFS="$(printf '\t')" read -r name rate kind info; do
		for fmt in wav flac ogg mp3; do
			f=$name-$fmt
			case $fmt in
			wav) sox "m/$name.wav" -b 24 "src/$f.wav" ;;
			flac) sox "m/$name.wav" -b 24 "src/$f.flac" ;;
			ogg) sox "m/$name.wav" -C 8 "src/$f.ogg" ;;
			mp3)
				[ "$rate" -le 48000 ] || continue
				sox "m/$name.wav" -C 256 "src/$f.mp3" ;;
			esac
			printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$name" "$rate" \
			    "$kind" "$info" >>corpus.tsv
		done
	done <masters.tsv
	# The decode the reference starts from: libsndfile's, at the source
	# rate, mono float (df-resample without resampling).
	for f in src/*; do
		b=${f##*/}
		printf '{"id":"%s","audio":"%s"}\n' "${b%.*}" "$b"
	done >manifest.jsonl
	while read -r line; do
		b=${line#*\"audio\":\"}
		b=${b%\"\}}
		r=$(grep "^${b%.*}	" corpus.tsv | cut -f3)
		echo "$line" | "$bin/df-resample" -q --root src --out-dir dec \
		    --name '{id}' --rate "$r" --bits float >/dev/null
	done <manifest.jsonl
fi
nfiles=$(wc -l <corpus.tsv)
audio_s=$(soxi -D src/* 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s }')
echo "corpus: $nfiles files, $audio_s s of audio (sox's count)"

# CPU and wall seconds of a command: user+sys, elapsed, max RSS (KB).
measure () {
	/usr/bin/time -f '%U %S %e %M' -o t.out "$@" >/dev/null 2>&1 || true
	awk '{ printf "%.3f %.3f %d\n", $1 + $2, $3, $4 }' t.out
}

# Quality.  Each engine writes 16-bit and float outputs.
run_df () {	# label, then df-resample options
	label=$1
	shift
	rm -rf "o16-$label" "of-$label"
	"$bin/df-resample" -q --root src --out-dir "o16-$label" --name '{id}' \
	    "$@" manifest.jsonl >/dev/null
	"$bin/df-resample" -q --root src --out-dir "of-$label" --name '{id}' \
	    --bits float "$@" manifest.jsonl >/dev/null
}
run_sox () {
	rm -rf o16-sox of-sox
	mkdir -p o16-sox of-sox
	for f in src/*; do
		b=${f##*/}
		sox "$f" -r 16000 -c 1 -b 16 "o16-sox/${b%.*}.wav" 2>/dev/null || true
		sox "$f" -r 16000 -c 1 -e float -b 32 "of-sox/${b%.*}.wav" \
		    2>/dev/null || true
	done
}
echo
echo "== quality (median passband SNR over all files, 16-bit output; worst"
echo "   alias/image re the wanted tone, float output; length exactness)"
for e in "soxr-best --engine soxr --quality best" \
    "soxr-medium --engine soxr --quality medium" \
    "src-best --engine src --quality best" \
    "src-medium --engine src --quality medium"; do
	# shellcheck disable=SC2086 # options as words
	run_df $e
	label=${e%% *}
	"$py" "$here/resample-quality.py" corpus.tsv dec "$label" \
	    "o16-$label" "of-$label" >"q-$label.jsonl"
	grep '^SUMMARY' "q-$label.jsonl" | sed 's/^SUMMARY //'
done
run_sox
"$py" "$here/resample-quality.py" corpus.tsv dec sox o16-sox of-sox >q-sox.jsonl
grep '^SUMMARY' q-sox.jsonl | sed 's/^SUMMARY //'

# Speed: the whole corpus, best of 3, in one run with the peer.
echo
echo "== speed (audio-seconds per CPU-second, corpus, best of 3)"
cat >sox-loop.sh <<'EOF'
mkdir -p o-soxloop
for f in src/*; do
	b=${f##*/}
	sox "$f" -r 16000 -c 1 -b 16 "o-soxloop/${b%.*}.wav" 2>/dev/null
done
EOF
best () {	# label, command...: best CPU and best wall of 3 runs
	label=$1
	shift
	bc_=999999 bw_=999999
	for _ in 1 2 3; do
		rm -rf o-speed o-soxloop
		set -- "$@"
		m=$(measure "$@")
		c=${m%% *}
		w=$(echo "$m" | cut -d' ' -f2)
		bc_=$(echo "$c $bc_" | awk '{ print ($1 < $2) ? $1 : $2 }')
		bw_=$(echo "$w $bw_" | awk '{ print ($1 < $2) ? $1 : $2 }')
	done
	printf '%-26s cpu %7.3f s  wall %7.3f s  %8.0f audio-s/cpu-s  %8.0f audio-s/wall-s\n' \
	    "$label" "$bc_" "$bw_" "$(echo "$audio_s $bc_" | awk '{ print $1 / $2 }')" \
	    "$(echo "$audio_s $bw_" | awk '{ print $1 / $2 }')"
}
best "sox (one per file)" sh sox-loop.sh
best "df-resample -j 1" "$bin/df-resample" -q -j 1 --root src --out-dir o-speed \
    manifest.jsonl
best "df-resample -j 2" "$bin/df-resample" -q -j 2 --root src --out-dir o-speed \
    manifest.jsonl
best "df-resample -j 1 soxr medium" "$bin/df-resample" -q -j 1 --quality medium \
    --root src --out-dir o-speed manifest.jsonl
best "df-resample -j 1 src best" "$bin/df-resample" -q -j 1 --engine src \
    --root src --out-dir o-speed manifest.jsonl

# Long files: 4 x 300 s (44.1k stereo WAV, 48k mono WAV, 48k stereo
# FLAC, 8k mono WAV), where sox's start-up no longer counts.
echo
echo "== speed on long files (4 x 300 s, best of 3)"
mkdir -p long
[ -s long/a.wav ] || sox -n -r 44100 -c 2 -b 16 long/a.wav synth 300 \
    sine 200-3000 vol 0.5
[ -s long/b.wav ] || sox -n -r 48000 -c 1 -b 16 long/b.wav synth 300 \
    pinknoise vol 0.3
[ -s long/c.flac ] || sox -n -r 48000 -c 2 -b 16 long/c.flac synth 300 \
    sine 300-5000 vol 0.5
[ -s long/d.wav ] || sox -n -r 8000 -c 1 -b 16 long/d.wav synth 300 \
    sine 100-3000 vol 0.5
printf '{"audio":"%s"}\n' a.wav b.wav c.flac d.wav >long.jsonl
cat >sox-long.sh <<'EOF'
mkdir -p o-soxloop
for f in long/*; do
	b=${f##*/}
	sox "$f" -r 16000 -c 1 -b 16 "o-soxloop/${b%.*}.wav" 2>/dev/null
done
EOF
audio_all=$audio_s
audio_s=1200
best "sox (one per file)" sh sox-long.sh
best "df-resample -j 1" "$bin/df-resample" -q -j 1 --root long \
    --out-dir o-speed long.jsonl
best "df-resample -j 2" "$bin/df-resample" -q -j 2 --root long \
    --out-dir o-speed long.jsonl
audio_s=$audio_all

# Memory: a two-hour file against a ten-minute one.
if [ "${BENCH_RESAMPLE_LONG:-1}" = 1 ]; then
	echo
	echo "== memory (max RSS, 48 kHz mono FLAC in, -j 1)"
	for secs in 600 7200; do
		[ -s "long-$secs.flac" ] || sox -n -r 48000 -c 1 -b 16 \
		    "long-$secs.flac" synth "$secs" sine 300-3000 vol 0.5
		echo "{\"id\":\"l\",\"audio\":\"long-$secs.flac\"}" >long.jsonl
		rm -rf o-long
		m=$(measure "$bin/df-resample" -q -j 1 --out-dir o-long long.jsonl)
		echo "$secs s: cpu $(echo "$m" | cut -d' ' -f1) s, max RSS $(echo "$m" | cut -d' ' -f3) KB, $(soxi -s o-long/long-$secs.wav) samples out"
		rm -rf o-long
		m=$(measure sox "long-$secs.flac" -r 16000 -c 1 -b 16 sox-long.wav)
		echo "$secs s sox: cpu $(echo "$m" | cut -d' ' -f1) s, max RSS $(echo "$m" | cut -d' ' -f3) KB"
		rm -f sox-long.wav
	done
fi
[ -n "${BENCH_RESAMPLE_DIR:-}" ] || rm -rf "$dir"
