# Shared by every suite. tests/run sets BOX (the box under test), STAGE (its
# stage number, 7 for the final runtime) and ROOTFS (the built-in rootfs).
#
# Each test carries its weight for the grader on the line above it:
# "# points: N" (make grade STAGE=N adds them up).

bats_require_minimum_version 1.5.0

bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

cd "$BATS_TEST_DIRNAME/.." || exit 1
: "${ROOTFS:=$PWD/build/rootfs}"
: "${STAGE:=1}"

# From stage 5 on, box's default network makes box0, an nft table and
# ip_forward in the namespace it runs in: never the machine's own. tests/run
# and the grader run these suites through tests/own-netns; a bare bats would
# not, and is stopped here.
if [ "$STAGE" -ge 5 ] && [ "$(readlink /proc/self/ns/net)" != "${BOX_TEST_NETNS:-}" ]; then
	echo "helpers.bash: stage $STAGE's suites run in a network namespace of their own:" \
		"tests/own-netns bats ... (tests/run does it)" >&2
	exit 1
fi

# The box under test. A box that hangs fails its test, after
# BOX_TEST_TIMEOUT seconds (default 300; the cgroup v2 VM emulates its CPU),
# instead of stopping the whole run: timeout(1) sends box SIGTERM, which box
# forwards to the container before it removes what it made (a container
# that ignores it gets SIGKILL from box after its --stop-timeout, 10 s by
# default: timeout's own SIGKILL comes later than that).
box() {
	local status=0
	timeout --foreground --kill-after=30 "${BOX_TEST_TIMEOUT:-300}" "$BOX" "$@" || status=$?
	if [ "$status" -eq 124 ]; then
		echo "box did not end within BOX_TEST_TIMEOUT=${BOX_TEST_TIMEOUT:-300}s" >&2
	fi
	return "$status"
}

# Run as an ordinary user (nobody), with no supplementary groups.
as_user() {
	exec setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env -- "$@"
}

# Exactly one line on stderr (run --separate-stderr).
assert_one_line_on_stderr() {
	[ "${#stderr_lines[@]}" -eq 1 ] ||
		fail "expected one line on stderr, got ${#stderr_lines[@]}: $stderr"
}

# Each line of stdin, "ARGS|EXPECTED", is one bad input: COMMAND ARGS ROOTFS
# true must say EXPECTED, alone on stderr, and exit 125.
assert_each_refused() { # COMMAND...
	local args expected
	while IFS='|' read -r args expected; do
		# shellcheck disable=SC2086
		run --separate-stderr "$@" $args "$ROOTFS" true
		assert_failure 125
		assert_one_line_on_stderr
		assert_equal "$stderr" "$expected"
	done
}

requires_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# Start box in the background with a command that prints "ready" once it
# runs; return when it has. Sets BOX_PID. Its output goes to $BATS_TEST_TMPDIR/out.
box_start() {
	local fifo=$BATS_TEST_TMPDIR/ready
	rm -f "$fifo"
	mkfifo "$fifo"
	"$BOX" "$@" > "$fifo" 2> "$BATS_TEST_TMPDIR/err" &
	BOX_PID=$!
	exec {BOX_READY_FD}< "$fifo"
	local line
	read -r -t 20 line <&"$BOX_READY_FD" || fail "box did not get ready: $(cat "$BATS_TEST_TMPDIR/err")"
	[ "$line" = ready ] || fail "expected ready, got: $line"
}

# Wait for the box started by box_start; sets BOX_STATUS.
box_wait() {
	BOX_STATUS=0
	wait "$BOX_PID" || BOX_STATUS=$?
	exec {BOX_READY_FD}<&-
	BOX_PID=
}

# In teardown: end a box the test started and left running, by its PID:
# SIGTERM first, so that box removes what it made (after its --stop-timeout,
# 10 s by default, if the container ignores SIGTERM); SIGKILL if it must.
box_stop() {
	if [ -n "${BOX_PID:-}" ]; then
		kill -TERM "$BOX_PID" 2>/dev/null || true
		local tries
		for tries in $(seq 150); do
			kill -0 "$BOX_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$BOX_PID" 2>/dev/null || true
		wait "$BOX_PID" 2>/dev/null || true
		BOX_PID=
	fi
}

# The PIDs (host's view) of BOX_PID's descendants.
descendants() {
	local pid=$1 child
	for child in $(ps -o pid= --ppid "$pid"); do
		echo "$child"
		descendants "$child"
	done
}
