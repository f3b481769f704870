# tests/cli/fetch-lib.sh: the loopback web for df-fetch's tests, sourced
# after lib.sh.  server_start [ARGS] runs fetch-server.py in the current
# directory (log in ./server.log) and sets PORT; server_stop ends it.  The
# server also ends by itself (--timeout), so a failed test leaves nothing.
# fetch_check ARGS runs the politeness checker over ./server.log.
# shellcheck disable=SC2034 # PORT and UA are for the test scripts

FETCH_SERVER=$TEST_DIR/fetch-server.py
FETCH_CHECK=$TEST_DIR/fetch-check.py
# Under valgrind everything is slower: give the server more time.
if [ "${DF_VALGRIND:-0}" = 1 ]; then
	SERVER_TIMEOUT=600
else
	SERVER_TIMEOUT=120
fi

server_start () {
	rm -f port server.log
	python3 "$FETCH_SERVER" --log server.log --port-file port \
	    --timeout "$SERVER_TIMEOUT" "$@" >server.out 2>&1 &
	SERVER_PID=$!
	_i=0
	while [ ! -s port ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s port ] || { echo "fetch-server did not start" >&3; return 1; }
	PORT=$(cat port)
}

server_stop () {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	return 0
}

fetch_check () {
	python3 "$FETCH_CHECK" --log server.log "$@" >&3
}

# The User-Agent the tests identify as.
UA="dftest/1.0 (+http://127.0.0.1/contact)"
