#!/bin/sh
# speech-16k: a speech manifest (audio paths, transcripts, speakers) into a
# 16 kHz mono dataset, split by speaker, routed into one folder per task.
#
#   manifest -> df-resample (16 kHz mono 16-bit WAV, 1-30 s)
#            -> df-judge (transcripts at least 70% Malayalam letters)
#            -> df-split --key .speaker (no speaker in two splits)
#            -> jq: asr/ (audio, text), tts/ (audio, text, speaker),
#               translation/ (audio, text, translation)
#
# Usage: sh pipelines/speech-16k.sh [-m MANIFEST -r ROOT] [OUTDIR]
#
# Without -m, the bundled transcripts (pipelines/data/speech) are read
# aloud by espeak-ng voices, which stand in for speakers, and saved in
# the formats corpora arrive in (22.05 kHz WAV, 44.1 kHz stereo FLAC,
# 48 kHz Ogg Vorbis), so the resampling has something to do.  A manifest
# of your own needs "id", "audio" (a path under ROOT), "text", "speaker"
# and, for the translation task, "translation".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
# The tree's programs, unless the tests chose which (run.sh).
[ -n "${DF_TEST_PATH_SET:-}" ] || PATH=$top/bin:$PATH
export PATH

manifest=""
root=""
while getopts m:r: opt; do
	case $opt in
	m) manifest=$OPTARG ;;
	r) root=$OPTARG ;;
	*) echo "usage: speech-16k.sh [-m MANIFEST -r ROOT] [OUTDIR]" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
out=${1:-speech-16k-out}
SCRIPT=${SCRIPT:-Mlym}
MIN_SCRIPT=${MIN_SCRIPT:-0.7}
rm -rf "$out/16k" "$out/dataset" "$out/tasks"
mkdir -p "$out"

if [ -z "$manifest" ]; then
	for t in espeak-ng sox; do
		command -v $t >/dev/null || {
			echo "speech-16k: $t is missing (make deps installs it)" >&2
			exit 2
		}
	done
	root=$out/raw
	manifest=$out/manifest.jsonl
	mkdir -p "$root"
	echo "== reading $(wc -l <"$here/data/speech/transcripts.jsonl")" \
	    "transcripts aloud with espeak-ng into $root"
	n=0
	jq -r '[.id, .speaker, .text] | @tsv' \
	    "$here/data/speech/transcripts.jsonl" |
	while IFS="$(printf '\t')" read -r id voice text; do
		espeak-ng -v "$voice" -w "$root/$id.tmp.wav" "$text"
		# Three recording set-ups, as a real corpus has.
		case $((n % 3)) in
		0) mv "$root/$id.tmp.wav" "$root/$id.wav"; ext=wav ;;
		1) sox "$root/$id.tmp.wav" -r 44100 -c 2 "$root/$id.flac"
		   rm "$root/$id.tmp.wav"; ext=flac ;;
		2) sox "$root/$id.tmp.wav" -r 48000 "$root/$id.ogg"
		   rm "$root/$id.tmp.wav"; ext=ogg ;;
		esac
		n=$((n + 1))
		echo "$id $ext"
	done >"$out/formats.txt"
	jq -c --rawfile fm "$out/formats.txt" '
		($fm | split("\n") | map(select(. != "") | split(" ")
		    | {key: .[0], value: .[1]}) | from_entries) as $ext
		| .audio = "\(.id).\($ext[.id])"' \
	    "$here/data/speech/transcripts.jsonl" >"$manifest"
fi
if [ -z "$root" ]; then
	echo "speech-16k: -m needs -r ROOT, the folder the paths are under" >&2
	exit 2
fi

echo "== df-resample: 16 kHz mono 16-bit WAV, 1 to 30 seconds"
rc=0
df-resample -q --root "$root" --out-dir "$out/16k" \
    --min-duration 1 --max-duration 30 \
    --stats "$out/resample.stats.json" --rejects "$out/resample.rejects.jsonl" \
    "$manifest" >"$out/16k.jsonl" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
jq -c '{in, out, rejected}' "$out/resample.stats.json"

echo "== df-judge: transcripts at least $MIN_SCRIPT $SCRIPT letters"
rc=0
df-judge -q --signals script --script "$SCRIPT" \
    --min-script-ratio "$MIN_SCRIPT" \
    --stats "$out/judge.stats.json" --rejects "$out/judge.rejects.jsonl" \
    "$out/16k.jsonl" >"$out/judged.jsonl" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
jq -c '{in, out, rejected}' "$out/judge.stats.json"

echo "== df-split: grouped by speaker into $out/dataset"
df-split -q --key .speaker --ratios train=0.5,val=0.25,test=0.25 \
    --out-dir "$out/dataset" --stats "$out/split.stats.json" \
    "$out/judged.jsonl"
df-split --check "$out/dataset" --key .speaker >"$out/leaks.json"
jq -c '{splits, leaks}' "$out/leaks.json"

echo "== routing to tasks in $out/tasks"
for split in $(jq -r '.splits | keys_unsorted[]' \
    "$out/dataset/manifest.json"); do
	f=$out/dataset/$split.jsonl
	for task in asr tts translation; do
		mkdir -p "$out/tasks/$task"
	done
	jq -c '{id, audio, text, duration}' "$f" \
	    >"$out/tasks/asr/$split.jsonl"
	jq -c '{id, audio, text, speaker, duration}' "$f" \
	    >"$out/tasks/tts/$split.jsonl"
	jq -c 'select(.translation != null)
	    | {id, audio, text, translation, duration}' "$f" \
	    >"$out/tasks/translation/$split.jsonl"
done
for task in asr tts translation; do
	printf '%-12s' "$task"
	for f in "$out/tasks/$task"/*.jsonl; do
		printf ' %s=%s' "$(basename "$f" .jsonl)" "$(wc -l <"$f")"
	done
	echo
done
