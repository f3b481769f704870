#!/bin/sh
# Run every benchmark in bench/ (make bench).  Not part of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for b in "$here"/bench-*.sh; do
	sh "$b"
done
