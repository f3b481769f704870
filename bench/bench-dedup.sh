#!/bin/sh
# df-dedup -j 1 and -j 2 against the same algorithm as datasketch
# (MinHash K=128 + MinHashLSH 9x13, streaming keep-first) in Python+numpy
# (bench/dedup-peer.py), on a near-duplicate benchmark of real prose
# (bench/dedup-gen.py), each scored against the exact truth at
# J >= 0.8 on word 5-grams (bench/dedup-eval.py).  Prints precision,
# recall, F1, documents and MB per CPU-second, peak RSS, memory per kept
# document, and the speed ratio df-dedup / peer in documents per
# CPU-second.  Exits non-zero if the output (stdout or --rejects) of -j 1
# and -j 2 differ.
#
# BENCH_DOCS (default 10000) and BENCH_SEED (1) choose the benchmark;
# BENCH_DIR (default ${TMPDIR:-/tmp}/df-bench) keeps it and the cached
# truth between runs; BENCH_REPEAT (1) runs each command that many times
# and reports the run with the median CPU time (default 3 for df-dedup;
# BENCH_PEER_REPEAT, default 1, for the peer); BENCH_THRESHOLD (0.8).
# The peer needs numpy (Debian: apt-get install python3-numpy); PYTHON
# names the interpreter for the generator and the scorer (python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
docs=${BENCH_DOCS:-10000}
seed=${BENCH_SEED:-1}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}
reps=${BENCH_REPEAT:-3}
peer_reps=${BENCH_PEER_REPEAT:-1}
thr=${BENCH_THRESHOLD:-0.8}
py=${PYTHON:-python3}
in=$dir/dedup-$docs-s$seed.jsonl
work=$dir/dedup-run.$$
dedup=$bin/df-dedup

if [ ! -x "$dedup" ]; then
	echo "bench-dedup: $dedup not built (make all)" >&2
	exit 2
fi
mkdir -p "$dir" "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

if [ ! -s "$in" ]; then
	"$py" "$here/dedup-gen.py" -q --docs "$docs" --seed "$seed" \
	    --stats "$in.gen.json" -o "$in.tmp"
	mv "$in.tmp" "$in"
fi
bytes=$(wc -c <"$in")
ndocs=$(wc -l <"$in")
half=$work/half.jsonl
head -n $((ndocs / 2)) "$in" >"$half"

# the truth (computed once, cached next to the input)
truth=$("$py" "$here/dedup-eval.py" -q --threshold "$thr" --truth "$in" |
    sed -n 2p)

# numpy for the peer
pyn=
for p in ${PEER_PYTHON:-} "$py" python3 /usr/bin/python3; do
	if "$p" -c 'import numpy' 2>/dev/null; then
		pyn=$p
		break
	fi
done
[ -n "$pyn" ] || echo "bench-dedup: no python with numpy" \
    "(apt-get install python3-numpy): the peer is left out" >&2

if [ -x /usr/bin/time ] && /usr/bin/time -f %e -o /dev/null true 2>/dev/null
then
	gnutime=yes
else
	gnutime=no
fi

# once NAME OUT CMD...: run CMD >OUT, append "wall user sys rss_kb" to
# $work/NAME.times (rss "-" without GNU time)
once() {
	name=$1 out=$2
	shift 2
	if [ "$gnutime" = yes ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >"$out"
		cat "$work/t" >>"$work/$name.times"
	else
		t0=$(date +%s.%N)
		( "$@" >"$out"; times >"$work/t" )
		t1=$(date +%s.%N)
		# the second line of 'times': children's user and system time
		awk -v t0="$t0" -v t1="$t1" 'NR == 2 {
			u = $1; s = $2
			split(u, a, "m"); sub("s", "", a[2]); u = a[1] * 60 + a[2]
			split(s, b, "m"); sub("s", "", b[2]); s = b[1] * 60 + b[2]
			printf "%.2f %.2f %.2f -\n", t1 - t0, u, s
		}' "$work/t" >>"$work/$name.times"
	fi
}

# timed N NAME OUT CMD...: N runs; the one with the median CPU time goes
# to $work/NAME.time; the output of the first run is kept in OUT
timed() {
	n=$1 name=$2 out=$3
	shift 3
	: >"$work/$name.times"
	once "$name" "$out" "$@"
	i=1
	while [ "$i" -lt "$n" ]; do
		once "$name" "$work/scratch" "$@"
		i=$((i + 1))
	done
	awk '{ print $2 + $3, $0 }' "$work/$name.times" | sort -n |
	    sed -n "$(((n + 1) / 2))p" | cut -d' ' -f2- >"$work/$name.time"
}

cat "$in" >/dev/null	# warm the page cache

timed "$reps" j1 "$work/out.j1" "$dedup" -q --threshold "$thr" -j 1 \
    --rejects "$work/rej.j1" --stats "$work/stats.j1" "$in"
timed "$reps" j2 "$work/out.j2" "$dedup" -q --threshold "$thr" -j 2 \
    --rejects "$work/rej.j2" --stats "$work/stats.j2" "$in"
timed "$reps" h1 "$work/out.h1" "$dedup" -q --threshold "$thr" -j 1 "$half"
if [ -n "$pyn" ]; then
	timed "$peer_reps" peer "$work/out.peer" "$pyn" "$here/dedup-peer.py" \
	    -q --threshold "$thr" "$in"
	timed "$peer_reps" hpeer "$work/out.hpeer" "$pyn" "$here/dedup-peer.py" \
	    -q --threshold "$thr" "$half"
fi

same=identical
if ! cmp -s "$work/out.j1" "$work/out.j2"; then
	same="DIFFERENT (stdout)"
elif ! cmp -s "$work/rej.j1" "$work/rej.j2"; then
	same="DIFFERENT (--rejects)"
fi

fields=removed,precision,recall,f1,strict_p,lost,kept
score() {	# score NAME LABEL [HALF]: one row of the table
	s=$("$py" "$here/dedup-eval.py" -q --threshold "$thr" --name "$2" \
	    --fields "$fields" "$in" "$work/out.$1" | tr '\t' ' ')
	t=$(cat "$work/$1.time")
	if [ -n "${3:-}" ]; then
		h="$(wc -l <"$work/out.$3") $(cat "$work/$3.time")"
	else
		h="- - - - -"
	fi
	echo "$2 $s $t $h"
}
{
	score j1 df-dedup-j1 h1
	score j2 df-dedup-j2
	[ -z "$pyn" ] || score peer numpy-datasketch hpeer
} >"$work/rows"
check=$("$py" "$here/dedup-eval.py" -q --threshold "$thr" --name j1 \
    --rejects "$work/rej.j1" --fields rejects_check,changed_records,in_order \
    "$in" "$work/out.j1")

awk -v bytes="$bytes" -v docs="$ndocs" -v same="$same" -v truth="$truth" \
    -v check="$check" '
function rss(kb) { return kb == "-" ? "-" : sprintf("%.0f", kb / 1024) }
{
	# name removed P R F1 strictP lost kept wall user sys rss hkept
	# hwall huser hsys hrss
	name[NR] = $1; rem[NR] = $2; p[NR] = $3; r[NR] = $4; f[NR] = $5
	sp[NR] = $6; lost[NR] = $7; kept[NR] = $8; wall[NR] = $9
	cpu[NR] = $10 + $11; mem[NR] = $12
	dps[NR] = cpu[NR] > 0 ? docs / cpu[NR] : 0
	mbs[NR] = cpu[NR] > 0 ? bytes / 1e6 / cpu[NR] : 0
	# memory per kept document: at the full size (fixed overhead
	# included), and the slope between the first half and the whole input
	perm[NR] = mem[NR] == "-" ? "-" : sprintf("%.0f", mem[NR] / 1024 * 1e6 / kept[NR])
	slope[NR] = (mem[NR] == "-" || $13 == "-" || $17 == "-" || \
	    kept[NR] == $13) ? "-" : \
	    sprintf("%.2f", (mem[NR] - $17) / (kept[NR] - $13))
	if ($1 == "numpy-datasketch") peer = NR
}
END {
	print "input: " docs " docs, " sprintf("%.1f", bytes / 1e6) " MB (bench/dedup-gen.py)"
	print truth
	print ""
	printf "| %-16s | %7s | %9s | %6s | %5s | %8s | %4s | %6s | %6s | %10s | %9s | %8s | %11s | %12s | %9s |\n", \
	    "method", "removed", "precision", "recall", "F1", "strict P", "lost", \
	    "wall s", "cpu s", "docs/CPU-s", "MB/CPU-s", "RSS MiB", \
	    "MB/M kept", "KB/kept slope", "x peer"
	printf "| %-16s | %7s | %9s | %6s | %5s | %8s | %4s | %6s | %6s | %10s | %9s | %8s | %11s | %12s | %9s |\n", \
	    "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", \
	    "---:", "---:", "---:", "---:", "---:", "---:", "---:"
	for (i = 1; i <= NR; i++) {
		x = (peer && i != peer && dps[peer] > 0) ? sprintf("%.1f", dps[i] / dps[peer]) : "-"
		printf "| %-16s | %7d | %9.3f | %6.3f | %5.3f | %8.3f | %4d | %6.2f | %6.2f | %10.0f | %9.1f | %8s | %11s | %12s | %9s |\n", \
		    name[i], rem[i], p[i], r[i], f[i], sp[i], lost[i], wall[i], \
		    cpu[i], dps[i], mbs[i], rss(mem[i]), perm[i], slope[i], x
	}
	print ""
	split(check, c, "\t")
	print "df-dedup -j 1: kept records changed: " c[2] ", in input order: " c[3]
	print "df-dedup -j 1 --rejects checked: " c[1]
	print "output of -j 1 and -j 2: " same
}' "$work/rows"
[ "$same" = identical ]
