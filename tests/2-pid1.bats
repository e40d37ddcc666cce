# Stage 2, PID 1: box's init reaps orphans and passes signals on, so the
# container stops when asked and leaves no zombie and no process behind.

load helpers

teardown() {
	box_stop
}

# points: 2
@test "an orphaned zombie made inside is reaped" {
	run box "$ROOTFS" probe zombie
	assert_success
	assert_output reaped
}

# points: 2
@test "SIGTERM to box ends the command with 143" {
	box_start "$ROOTFS" sh -c 'echo ready; sleep 100'
	kill -TERM "$BOX_PID"
	box_wait
	assert_equal "$BOX_STATUS" 143
}

# points: 1
@test "SIGUSR1, SIGHUP and SIGINT reach the command" {
	local sig
	for sig in USR1 HUP INT; do
		box_start "$ROOTFS" sh -c "trap 'echo got-$sig >&2; exit 3' $sig; echo ready; while :; do sleep 1; done"
		kill -"$sig" "$BOX_PID"
		box_wait
		assert_equal "$BOX_STATUS" 3
		run cat "$BATS_TEST_TMPDIR/err"
		assert_output "got-$sig"
	done
}

# points: 1
@test "when the command ends, every process left in the container is ended" {
	box_start "$ROOTFS" sh -c 'sleep 100 & sleep 100 & echo ready; wait'
	local inside
	inside=$(descendants "$BOX_PID")
	[ "$(echo "$inside" | wc -l)" -ge 4 ] || fail "expected init, sh and two sleeps: $inside"
	kill -TERM "$BOX_PID"
	box_wait
	local pid
	for pid in $inside; do
		refute [ -e /proc/"$pid" ]
	done
}

# points: 1
@test "box killed by SIGKILL takes its container with it" {
	box_start --trace "$ROOTFS" sh -c 'echo ready; sleep 100'
	local inside
	inside=$(descendants "$BOX_PID")
	kill -KILL "$BOX_PID"
	box_wait
	local pid tries
	for pid in $inside; do
		for tries in $(seq 50); do [ -e /proc/"$pid" ] || break; sleep 0.1; done
		refute [ -e /proc/"$pid" ]
	done
	# SIGKILL leaves box no moment to remove what it made outside the
	# container (from stage 3 on, its cgroup; from stage 4, its upper
	# layer), as runc leaves its state after kill -9: the test does it.
	local id
	id=$(grep -oE '(box|containers)/[0-9a-f]{12}' "$BATS_TEST_TMPDIR/err" | head -n 1 | cut -d/ -f2)
	if [ -n "$id" ]; then
		find /sys/fs/cgroup -maxdepth 4 -type d -path "*/box/$id" -exec rmdir {} + 2>/dev/null || true
		rm -rf "/var/lib/box/containers/$id"
	fi
}
