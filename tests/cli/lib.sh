# tests/cli/lib.sh: a sharness-lite for the CLI tests, sourced by t*.sh.
#
#	test_expect_success 'what a user checks' '
#		df-split in.jsonl >out &&
#		test_cmp expect out
#	'
#
# Each body runs in a subshell, in a fresh empty directory under this
# script's trash directory, with stdin from /dev/null; its output goes to
# a log that is shown when the test fails (always with -v).  Chain the
# commands with && so the first failure fails the test.  test_done prints
# the closing "N passed, N failed" line and exits 1 if any test failed.
# Contract scripts loop over tests/cli/programs with for_each_program.

LC_ALL=C TZ=UTC
export LC_ALL TZ
TEST_DIR=$(cd "$(dirname "$0")" && pwd) || exit 2
SRC_DIR=$(cd "$TEST_DIR/../.." && pwd) || exit 2
# shellcheck disable=SC2034 # for the test scripts
DF_VERSION=$(sed -n 's/^VERSION *= *//p' "$SRC_DIR/Makefile")
# Run directly rather than by run.sh: use the built programs.
[ -n "$DF_TEST_PATH_SET" ] || PATH=${DF_BIN:-$SRC_DIR/bin}:$PATH
TAB=$(printf '\t')
test_verbose=${DF_TEST_VERBOSE:-0}
[ "$1" = -v ] && test_verbose=1
test_count=0 test_pass=0 test_fail=0
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX") || exit 2
trap 'rm -rf "$TRASH"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

test_expect_success () {
	test_count=$((test_count + 1))
	_log=$TRASH/$test_count.log
	mkdir "$TRASH/$test_count" || exit 2
	(cd "$TRASH/$test_count" && eval "$2") </dev/null >"$_log" 2>&1 3>&2
	_rc=$?
	# Under run.sh DF_VALGRIND=1, any report fails the test, even from a
	# program whose exit status a pipeline hid.
	for _f in ${DF_VALGRIND_LOGS:+"$DF_VALGRIND_LOGS"/*}; do
		[ -s "$_f" ] && _rc=99 && cat "$_f" >>"$_log"
		rm -f "$_f"
	done
	if [ "$_rc" -eq 0 ]; then
		test_pass=$((test_pass + 1))
		echo "ok $test_count - $1"
		[ "$test_verbose" = 0 ] || sed 's/^/#	/' "$_log"
	else
		test_fail=$((test_fail + 1))
		echo "not ok $test_count - $1"
		printf '%s\n' "$2" | sed '/^[[:space:]]*$/d; s/^/#	/'
		echo "# output:"
		sed 's/^/#	/' "$_log"
	fi
}

# test_cmp EXPECT ACTUAL: the files are the same, else show the diff.
test_cmp () {
	diff -u "$1" "$2" >&3
}

# test_expect_code N CMD...: CMD exits with status N.
test_expect_code () {
	_want=$1
	shift
	"$@"
	_got=$?
	[ "$_got" = "$_want" ] && return 0
	echo "test_expect_code: '$*' exited $_got, not $_want" >&3
	return 1
}

# test_must_fail CMD...: CMD fails as our programs do (1 or 2), not by a
# signal or a crash.
test_must_fail () {
	"$@"
	_got=$?
	case $_got in 1|2) return 0 ;; esac
	echo "test_must_fail: '$*' exited $_got, not 1 or 2" >&3
	return 1
}

# test_must_be_empty FILE
test_must_be_empty () {
	[ -f "$1" ] && [ ! -s "$1" ] && return 0
	echo "test_must_be_empty: '$1' is missing or holds:" >&3
	cat "$1" >&3 2>/dev/null
	return 1
}

# test_path_is_missing PATH
test_path_is_missing () {
	[ ! -e "$1" ] && return 0
	echo "test_path_is_missing: '$1' exists:" >&3
	ls -lA "$1" >&3
	return 1
}

# test_line_count N FILE
test_line_count () {
	_n=$(wc -l <"$2") && [ "$_n" -eq "$1" ] && return 0
	echo "test_line_count: '$2' has $_n lines, not $1" >&3
	return 1
}

test_done () {
	if [ "$test_fail" -gt 0 ]; then
		trap - EXIT
		echo "# trash directory kept: $TRASH"
	fi
	echo "$test_pass passed, $test_fail failed"
	[ "$test_fail" -eq 0 ]
	exit
}

# for_each_program FN: call FN once per line of tests/cli/programs with
# $prog, $sample (a record; @N@ in it becomes a record number) and
# $prog_args (extra arguments) set.
for_each_program () {
	while IFS=$TAB read -r prog sample prog_args <&9; do
		case $prog in '' | '#'*) continue ;; esac
		"$1"
	done 9<"$TEST_DIR/programs"
}

# df_prog ARGS...: run the current program with its extra arguments.
df_prog () {
	# shellcheck disable=SC2086 # prog_args is a list of words
	"$prog" $prog_args "$@"
}

# gen_records COUNT [FIRST]: COUNT sample records numbered from FIRST (1).
gen_records () {
	DF_SAMPLE=$sample awk -v n="$1" -v first="${2:-1}" 'BEGIN {
		np = split(ENVIRON["DF_SAMPLE"], part, "@N@")
		for (i = first; i < first + n; i++) {
			r = part[1]
			for (k = 2; k <= np; k++)
				r = r i part[k]
			print r
		}
	}'
}

# words SEED N: N pseudo-words, one a line, the same for the same SEED.
words () {
	awk -v seed="$1" -v n="$2" 'BEGIN {
		ns = split("ka lo mi ne ru sa ti vo pe da fu gi ho ja ze bu",
		    syl, " ")
		x = (seed * 7919 + 17) % 2147483647
		for (i = 0; i < n; i++) {
			x = (x * 16807) % 2147483647
			k = 2 + x % 2
			w = ""
			for (j = 0; j < k; j++) {
				x = (x * 16807) % 2147483647
				w = w syl[1 + int(x / 1024) % ns]
			}
			print w
		}
	}'
}

# record ID: one record of the words on stdin.
record () {
	awk -v id="$1" '{ t = t (NR > 1 ? " " : "") $0 } END {
		printf "{\"id\":\"%s\",\"text\":\"%s\"}\n", id, t
	}'
}
