#!/bin/sh
# A quality gate: read a number out of a JSON file (a --stats manifest, a
# dataset manifest, a df-split --check summary) with jq, compare it with a
# limit, and fail the build when the comparison does not hold.  The line
# printed names the gate and its numbers either way:
#
#   gate min-samples: ok (train+val+test records 128 >= 50)
#   gate judge-pass-rate: FAILED: kept/judged 0.41 < 0.5 (out/judge.stats.json)
#
# Usage: sh pipelines/gate.sh [-s] NAME WHAT JQ-EXPR OP LIMIT FILE
#   -s       FILE is JSON Lines: JQ-EXPR reads them all as one array
#   NAME     the gate's name, as the make target calls it
#   WHAT     what the number is, for the message
#   JQ-EXPR  a jq expression giving a number from FILE
#   OP       one of -ge -gt -le -lt -eq (numbers compared as decimals)
#   LIMIT    the number to compare with
set -u
slurp=
if [ "${1:-}" = -s ]; then
	slurp=-s
	shift
fi
if [ $# -ne 6 ]; then
	echo "usage: gate.sh [-s] NAME WHAT JQ-EXPR OP LIMIT FILE" >&2
	exit 2
fi
name=$1 what=$2 expr=$3 op=$4 limit=$5 file=$6
if [ ! -r "$file" ]; then
	echo "gate $name: FAILED: $file: cannot read it" >&2
	exit 1
fi
value=$(jq -e $slurp "$expr" "$file" 2>&1) || {
	echo "gate $name: FAILED: $file: $expr gives ${value:-nothing}" >&2
	exit 1
}
case $op in
-ge) sym='>=' ;; -gt) sym='>' ;; -le) sym='<=' ;; -lt) sym='<' ;;
-eq) sym='=' ;;
*) echo "gate.sh: $op: not one of -ge -gt -le -lt -eq" >&2; exit 2 ;;
esac
# awk compares decimals (rates) as well as counts.
if awk -v v="$value" -v l="$limit" -v op="$op" 'BEGIN {
	if (v !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) exit 2
	if (op == "-ge") exit !(v + 0 >= l + 0)
	if (op == "-gt") exit !(v + 0 > l + 0)
	if (op == "-le") exit !(v + 0 <= l + 0)
	if (op == "-lt") exit !(v + 0 < l + 0)
	exit !(v + 0 == l + 0)
}'; then
	echo "gate $name: ok ($what $value $sym $limit)"
	exit 0
fi
rev='<'
case $op in
-ge) rev='<' ;; -gt) rev='<=' ;; -le) rev='>' ;; -lt) rev='>=' ;;
-eq) rev='!=' ;;
esac
echo "gate $name: FAILED: $what $value $rev $limit ($file)" >&2
exit 1
