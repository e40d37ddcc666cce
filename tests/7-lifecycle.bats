# The final runtime, the lifecycle: created -> running -> paused -> running
# -> stopped -> deleted, each step seen by `box state` and by the kernel.

load runtime

setup() {
	runtime_setup
}

teardown() {
	runtime_teardown
}

# points: 3
@test "the lifecycle: created, running, paused, running, stopped, deleted; state at each step" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" c1
	assert_success
	assert_equal "$(state_of c1 status)" created
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	assert_equal "$(state_of c1 pid)" "$pid"
	assert_equal "$(state_of c1 bundle)" "$BUNDLE"
	# Created: box's own process waits in there, for start; no box outside.
	assert_not_equal "$(readlink "/proc/$pid/ns/mnt")" "$(readlink /proc/self/ns/mnt)"
	assert_equal "$(stat -L -c %d:%i "/proc/$pid/root/")" "$(stat -L -c %d:%i "$ROOTFS/")"
	assert_not_equal "$(cat "/proc/$pid/comm")" sleep
	run rt start c1
	assert_success
	assert_equal "$(state_of c1 status)" running
	assert_equal "$(cat "/proc/$pid/comm")" sleep
	run rt pause c1
	assert_success
	assert_equal "$(state_of c1 status)" paused
	run rt resume c1
	assert_success
	assert_equal "$(state_of c1 status)" running
	run rt kill c1 KILL
	assert_success
	status_wait c1 stopped
	run rt delete c1
	assert_success
	run --separate-stderr rt state c1
	assert_failure 1
	assert_equal "$stderr" "box: container c1 does not exist"
}

# points: 1
@test "start of a running container and delete of a running one are refused; delete --force kills it" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached run --detach --bundle "$BUNDLE" c1
	assert_success
	run --separate-stderr rt start c1
	assert_failure 1
	assert_equal "$stderr" "box: cannot start container c1: it is running, not created"
	run --separate-stderr rt delete c1
	assert_failure 1
	assert_equal "$stderr" "box: cannot delete container c1 that is not stopped: running"
	local pid
	pid=$(state_of c1 pid)
	run rt delete --force c1
	assert_success
	[ ! -e "/proc/$pid" ] || [ "$(awk '{ print $3 }' "/proc/$pid/stat")" = Z ] || fail "its process $pid lives on"
	run rt delete --force c1
	assert_success
}

# points: 1
@test "run in the foreground exits with the process's status and deletes the container" {
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", "echo out; echo err >&2; exit 3"]'
	run --separate-stderr rt run --bundle "$BUNDLE" c1
	assert_failure 3
	assert_output out
	assert_equal "$stderr" err
	run rt list --quiet
	assert_output ""
}
