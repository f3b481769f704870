#!/bin/sh
# Run every tests/cli/t[0-9]*.sh in order, each in its own process, and
# print one final line "N passed, N failed" summed over the scripts;
# exit 1 if any test failed.
#
#	DF_BIN=/abs/path/to/bin sh tests/cli/run.sh [-v]
#
# DF_TESTS='t3*' runs only the scripts whose names match the pattern.
# DF_BIN (default: the bin/ beside tests/) goes first on PATH.  With
# DF_VALGRIND=1 each df-* program runs under valgrind's memcheck instead,
# so a memory error or a leak makes it exit 99 and the test fail.  A
# script that passes prints one line here; a failing one prints its
# whole report.

TEST_DIR=$(cd "$(dirname "$0")" && pwd) || exit 2
DF_BIN=${DF_BIN:-$(cd "$TEST_DIR/../.." && pwd)/bin}
if [ ! -d "$DF_BIN" ]; then
	echo "run.sh: $DF_BIN: no such directory (make all first)" >&2
	exit 2
fi
LC_ALL=C TZ=UTC DF_TEST_PATH_SET=1
export LC_ALL TZ DF_BIN DF_TEST_PATH_SET

if [ "${DF_VALGRIND:-0}" = 1 ]; then
	command -v valgrind >/dev/null || { echo "run.sh: no valgrind" >&2; exit 2; }
	wrap=$(mktemp -d "${TMPDIR:-/tmp}/df-valgrind.XXXXXX") || exit 2
	# Reports go to files, which lib.sh shows under a failed test, so a
	# program's stderr stays its own.
	DF_VALGRIND_LOGS=$wrap/logs
	mkdir "$DF_VALGRIND_LOGS" || exit 2
	export DF_VALGRIND_LOGS
	trap 'rm -rf "$wrap"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	for p in "$DF_BIN"/df-*; do
		if [ ! -f "$p" ] || [ ! -x "$p" ]; then
			continue
		fi
		cat >"$wrap/${p##*/}" <<EOF
#!/bin/sh
# DF_VALGRIND_LEAKS=no checks memory errors only: for a run killed by a
# signal on purpose, where memory in use is reported as lost.
exec valgrind -q --error-exitcode=99 \\
    --leak-check="\${DF_VALGRIND_LEAKS:-full}" \\
    --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect \\
    --log-file='$DF_VALGRIND_LOGS/%p' '$p' "\$@"
EOF
		chmod +x "$wrap/${p##*/}" || exit 2
	done
	PATH=$wrap:$PATH
else
	PATH=$DF_BIN:$PATH
fi
export PATH

pass=0 fail=0
for t in "$TEST_DIR"/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=${t##*/}
	# shellcheck disable=SC2254 # the pattern is the point
	case $name in
	${DF_TESTS:-*}) ;;
	*) continue ;;
	esac
	out=$(sh "$t" "$@" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	p=${last%% passed, *}
	f=${last#* passed, }
	f=${f% failed}
	case $p:$f in
	:* | *: | *[!0-9:]*)
		# No closing line: the script itself broke.
		printf '%s\n' "$out"
		echo "$name: died (exit $rc) before its summary"
		fail=$((fail + 1))
		continue
		;;
	esac
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ] || [ "${1:-}" = -v ]; then
		printf '%s\n' "$out" | sed '$d'
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exit $rc with no failed test"
		f=1
	fi
	if [ "$f" -eq 0 ]; then
		echo "$name: ok ($p tests)"
	else
		echo "$name: $f of $((p + f)) tests FAILED"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
