# Stage 2, PID 1: the command is the container's PID 1, as in Docker, with
# the duties the kernel gives that process; box's --init takes them on.
# box stops a container as docker stop does: SIGTERM passed on, SIGKILL
# after --stop-timeout.

load helpers

teardown() {
	box_stop
	if [ -n "${KILLED_ID:-}" ]; then
		find /sys/fs/cgroup -maxdepth 4 -type d -path "*/box/$KILLED_ID" -exec rmdir {} + 2>/dev/null || true
		rm -rf "/var/lib/box/containers/$KILLED_ID"
		# From stage 5 on its lease stays too: the next start reclaims it.
		[ "$STAGE" -lt 5 ] || box "$ROOTFS" true
		# The final runtime lists it, stopped, until it is deleted.
		[ "$STAGE" -lt 7 ] || "$BOX" delete --force "$KILLED_ID"
	fi
}

# points: 2
@test "the command is PID 1 in the container" {
	run box "$ROOTFS" sh -c 'echo $$'
	assert_success
	assert_output 1
	run box "$ROOTFS" probe pid
	assert_success
	assert_output "pid=1 ppid=0"
}

# points: 1
@test "PID 1 cannot end itself with a signal it has no handler for" {
	run box "$ROOTFS" probe signal 15
	assert_failure 2
	assert_output "signal 15 ignored: I am PID 1"
	run box "$ROOTFS" probe signal 9
	assert_failure 2
	assert_output "signal 9 ignored: I am PID 1"
}

# points: 1
@test "with --init, box's init is PID 1 and the command is its child" {
	run box --init "$ROOTFS" probe pid
	assert_success
	assert_output "pid=2 ppid=1"
	run box --init "$ROOTFS" ps -o pid=,comm=
	assert_success
	assert_line --regexp '^ *1 box-init$'
	assert_line --regexp '^ *2 ps$'
}

# points: 2
@test "without --init an orphaned zombie stays a zombie; with --init it is reaped" {
	# The lesson, both ways: a command as PID 1 inherits orphans and, not
	# knowing it, never waits for them.
	run box "$ROOTFS" probe zombie
	assert_failure 1
	assert_output --regexp '^zombie [0-9]+ was not reaped$'
	run box --init "$ROOTFS" probe zombie
	assert_success
	assert_output reaped
}

# points: 2
@test "a PID 1 that ignores SIGTERM is killed after --stop-timeout, with 137 and one line" {
	# sh has no handler for TERM: as a namespace's PID 1 it never sees it.
	box_start --stop-timeout 1 "$ROOTFS" sh -c 'echo ready; sleep 100; echo not-reached'
	kill -TERM "$BOX_PID"
	box_wait
	assert_equal "$BOX_STATUS" 137
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output "box: the container did not stop within 1 s of SIGTERM: sending SIGKILL"
}

# points: 1
@test "a PID 1 that handles SIGTERM ends at once with its own status, 143" {
	box_start "$ROOTFS" sh -c 'trap "exit 143" TERM; echo ready; sleep 100 & wait'
	kill -TERM "$BOX_PID"
	box_wait
	assert_equal "$BOX_STATUS" 143
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output ""
}

# points: 2
@test "with --init, SIGTERM reaches a command that has no handler, 143" {
	box_start --init "$ROOTFS" sh -c 'echo ready; sleep 100'
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
@test "when PID 1 ends, every process left in the container is ended" {
	box_start "$ROOTFS" sh -c 'trap "exit 0" TERM; sleep 100 & sleep 100 & echo ready; wait'
	local inside
	inside=$(descendants "$BOX_PID")
	[ "$(echo "$inside" | wc -l)" -ge 3 ] || fail "expected sh and two sleeps: $inside"
	kill -TERM "$BOX_PID"
	box_wait
	assert_equal "$BOX_STATUS" 0
	local pid
	for pid in $inside; do
		refute [ -e /proc/"$pid" ]
	done
}

# points: 2
@test "nothing inside reaches the host's box binary, with or without --init" {
	local host
	host=$(stat -L -c %d:%i "$BOX")
	# Every process's executable, from inside (CVE-2019-5736 began with
	# a container opening the runtime's binary through /proc/PID/exe).
	local list='for p in /proc/[0-9]*; do stat -L -c %d:%i $p/exe 2>/dev/null; done'
	run box "$ROOTFS" sh -c "$list"
	assert_success
	refute_line "$host"
	run box --init "$ROOTFS" sh -c "$list; readlink /proc/1/exe || echo unreadable"
	assert_success
	refute_line "$host"
	if [ "$STAGE" -lt 6 ]; then
		assert_line "/memfd:box-init (deleted)"
	else
		# From stage 6 root inside lacks CAP_SYS_PTRACE, and the init is
		# not dumpable: its /proc files are closed to the container.
		assert_line unreadable
	fi
	# The init's copy is sealed: not even root inside can change it.
	run box --init "$ROOTFS" sh -c 'echo x >> /proc/1/exe'
	assert_failure
}

# points: 2
@test "with --init, the init's root and working directory are the container's, not the host's" {
	local marker=$BATS_TEST_TMPDIR/host-marker
	touch "$marker"
	run box --init "$ROOTFS" sh -c "readlink /proc/1/root || echo unreadable; readlink /proc/1/cwd || echo unreadable
		test -e /proc/1/cwd/../..$marker && echo escaped || echo contained"
	assert_success
	if [ "$STAGE" -lt 6 ]; then
		assert_equal "$output" "$(printf '/\n/\ncontained')"
	else # not dumpable, and no CAP_SYS_PTRACE inside (stage 6)
		assert_equal "$output" "$(printf 'unreadable\nunreadable\ncontained')"
	fi
}

# points: 1
@test "a bad --stop-timeout gets one line, and 125" {
	assert_each_refused box <<'BAD'
--stop-timeout soon|box: --stop-timeout: "soon" is not a number of seconds (0 to 86400, or -1 for never)
--stop-timeout -2|box: --stop-timeout: "-2" is not a number of seconds (0 to 86400, or -1 for never)
BAD
}

# points: 1
@test "box killed by SIGKILL takes its container with it" {
	box_start --trace "$ROOTFS" sh -c 'echo ready; sleep 100'
	local inside
	inside=$(descendants "$BOX_PID")
	kill -KILL "$BOX_PID"
	box_wait
	# SIGKILL leaves box no moment to remove what it made outside the
	# container (from stage 3 on, its cgroup; from stage 4, its upper
	# layer), as runc leaves its state after kill -9: teardown does it.
	KILLED_ID=$(grep -oE '(box|containers)/[0-9a-f]{12}' "$BATS_TEST_TMPDIR/err" | head -n 1 | cut -d/ -f2)
	local pid tries
	for pid in $inside; do
		for tries in $(seq 50); do [ -e /proc/"$pid" ] || break; sleep 0.1; done
		refute [ -e /proc/"$pid" ]
	done
}
