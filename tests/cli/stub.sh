# tests/cli/stub.sh: start and stop tests/llm-stub.py from a test body,
# for the df-gen (t4xxx) and df-judge (t5xxx) scripts.  Source it after
# lib.sh.
#
#	test_expect_success 'what a user checks' '
#		stub_start --latency 0.1 &&
#		df-gen --endpoint "$STUB_URL/v1" ... &&
#		stub_stop
#	'
#
# stub_start ARGS: start the stub on a free loopback port with ARGS (see
# the top of tests/llm-stub.py), its request log in ./stub.jsonl; sets
# STUB_URL (http://127.0.0.1:PORT) and STUB_PID.  The stub exits by itself
# after 30 s without a request, so a failed test leaves nothing behind.
stub_start () {
	rm -f stub.port
	python3 "$SRC_DIR/tests/llm-stub.py" --port-file stub.port \
	    --log stub.jsonl --idle "${STUB_IDLE:-30}" "$@" &
	STUB_PID=$!
	_i=0
	while [ ! -s stub.port ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s stub.port ] || { echo "stub_start: no port" >&3; return 1; }
	# shellcheck disable=SC2034 # for the test bodies that source this
	STUB_URL=http://127.0.0.1:$(cat stub.port)
}

# stub_stop: stop the stub started by stub_start.
stub_stop () {
	kill "$STUB_PID" 2>/dev/null
	wait "$STUB_PID" 2>/dev/null
	return 0
}

# stub_requests: how many requests the stub has logged so far.
stub_requests () {
	if [ -f stub.jsonl ]; then wc -l <stub.jsonl; else echo 0; fi
}

# slow_factor: 1, or 20 under valgrind, to scale timeouts and latencies.
slow_factor () {
	if [ "${DF_VALGRIND:-0}" = 1 ]; then echo 20; else echo 1; fi
}
