# The final runtime, verbs at the same time: two creates of one ID, a
# delete racing a create, two deletes, and kill, delete and state racing a
# container whose process is exiting. A verb that changes a container holds
# its lock (flock(2) on the state directory's lock file); state and kill read
# what the kernel says of its process. None may see half a container, call a
# dead process running, or leave a mount or a cgroup behind.

load runtime

setup() {
	runtime_setup
}

teardown() {
	runtime_teardown
}

# The container's cgroup directories, in every hierarchy: v2 has one
# (/sys/fs/cgroup/box/ID), v1 one per controller (/sys/fs/cgroup/memory/box/ID, ...).
cgroups_of() { # ID
	ls -d /sys/fs/cgroup/box/"$1" /sys/fs/cgroup/*/box/"$1" 2> /dev/null || true
}

# Mounts in the host's table on the rootfs or in this test's directory:
# what a container set up in its own mount namespace must never leave here.
mounts_of_test() {
	local rootfs
	rootfs=$(realpath "$ROOTFS")
	awk -v a="$rootfs" -v b="$BATS_TEST_TMPDIR" \
		'$5 == a || index($5, a "/") == 1 || index($5, b) == 1 { print $5 }' /proc/self/mountinfo
}

# Nothing of container ID: no state, no cgroup, no mount.
assert_nothing_of() { # ID
	[ ! -e "$RT_ROOT/$1" ] || fail "$1's state directory is still there: $(ls -A "$RT_ROOT/$1")"
	assert_equal "$(cgroups_of "$1")" ""
	assert_equal "$(mounts_of_test)" ""
}

# The status in state's JSON on stdin (no jq: the races want quick rounds).
status_in() {
	local text
	text=$(cat)
	[[ "$text" =~ \"status\":\ *\"([a-z]+)\" ]] && echo "${BASH_REMATCH[1]}" || echo "unreadable: $text"
}

# Container ID is whole: created, its process alive, waiting in its cgroup;
# it starts and runs.
assert_whole() { # ID
	local pid cgroup
	assert_equal "$(rt state "$1" | status_in)" created
	pid=$(state_of "$1" pid)
	[ -d "/proc/$pid" ] || fail "$1's process $pid is gone"
	for cgroup in $(cgroups_of "$1"); do
		grep -qx "$pid" "$cgroup/cgroup.procs" || fail "$1's process $pid is not in $cgroup"
	done
	[ -n "$(cgroups_of "$1")" ] || fail "$1 has no cgroup"
	run rt start "$1"
	assert_success
	assert_equal "$(rt state "$1" | status_in)" running
}

# points: 2
@test "two creates of one ID at the same time: one wins, the other fails with one line, and the winner's container is whole" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	local round first second status1 status2 loser
	for round in $(seq 20); do
		rt create --bundle "$BUNDLE" cc1 < /dev/null > "$BATS_TEST_TMPDIR/out1" 2> "$BATS_TEST_TMPDIR/err1" &
		first=$!
		rt create --bundle "$BUNDLE" cc1 < /dev/null > "$BATS_TEST_TMPDIR/out2" 2> "$BATS_TEST_TMPDIR/err2" &
		second=$!
		status1=0 status2=0
		wait "$first" || status1=$?
		wait "$second" || status2=$?
		case "$status1 $status2" in
		"0 1") loser=2 ;;
		"1 0") loser=1 ;;
		*) fail "round $round: the two creates exited $status1 and $status2, not 0 and 1: $(cat "$BATS_TEST_TMPDIR"/err?)" ;;
		esac
		assert_equal "$(cat "$BATS_TEST_TMPDIR/err$loser")" "box: container cc1 already exists"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/err$((3 - loser))")" ""
		assert_whole cc1
		run rt delete --force cc1
		assert_success
		assert_nothing_of cc1
	done
}

# points: 1
@test "delete --force racing a create of the same ID leaves the whole container or nothing of it" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	local round creator deleter created deleted
	for round in $(seq 20); do
		rt create --bundle "$BUNDLE" cc3 < /dev/null > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/create.err" &
		creator=$!
		rt delete --force cc3 > /dev/null 2> "$BATS_TEST_TMPDIR/delete.err" &
		deleter=$!
		created=0 deleted=0
		wait "$creator" || created=$?
		wait "$deleter" || deleted=$?
		[ "$deleted" -eq 0 ] || fail "round $round: delete --force exited $deleted: $(cat "$BATS_TEST_TMPDIR/delete.err")"
		# A create that lost (delete came between its mkdir and its lock)
		# says why in one line.
		[ "$(wc -l < "$BATS_TEST_TMPDIR/create.err")" -le 1 ] ||
			fail "round $round: create said more than one line: $(cat "$BATS_TEST_TMPDIR/create.err")"
		if rt state cc3 > /dev/null 2>&1; then
			assert_whole cc3
		else
			assert_nothing_of cc3
		fi
		run rt delete --force cc3
		assert_success
		assert_nothing_of cc3
	done
}

# points: 1
@test "two delete --force of one running container at the same time both succeed and leave nothing" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	local round first second status1 status2 pid
	for round in $(seq 10); do
		run_detached run --detach --bundle "$BUNDLE" cc4
		assert_success
		pid=$(state_of cc4 pid)
		rt delete --force cc4 > /dev/null 2> "$BATS_TEST_TMPDIR/err1" &
		first=$!
		rt delete --force cc4 > /dev/null 2> "$BATS_TEST_TMPDIR/err2" &
		second=$!
		status1=0 status2=0
		wait "$first" || status1=$?
		wait "$second" || status2=$?
		assert_equal "$status1 $status2" "0 0"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/err1" "$BATS_TEST_TMPDIR/err2")" ""
		[ ! -d "/proc/$pid" ] || [ "$(awk '{ print $3 }' "/proc/$pid/stat")" = Z ] ||
			fail "round $round: its process $pid lives on"
		assert_nothing_of cc4
	done
}

# points: 3
@test "kill, delete and state racing a container whose process exits never call it running once it has stopped, and leave no mount or cgroup" {
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", "exit 0"]'
	local round killer deleter killed deleted pid tries said rank last text
	for round in $(seq 50); do
		run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" cc2
		assert_success
		pid=$(cat "$BATS_TEST_TMPDIR/pid")
		rt kill cc2 KILL > /dev/null 2> "$BATS_TEST_TMPDIR/kill.err" &
		killer=$!
		rt delete cc2 > /dev/null 2> "$BATS_TEST_TMPDIR/delete.err" &
		deleter=$!
		# state meanwhile, again and again: running, then stopped, then
		# gone (once delete is through); never back, never anything else.
		last=0
		for tries in $(seq 10); do
			if text=$(rt state cc2 2> "$BATS_TEST_TMPDIR/state.err"); then
				said=$(status_in <<< "$text")
			else
				said="error: $(cat "$BATS_TEST_TMPDIR/state.err")"
			fi
			case "$said" in
			running) rank=1 ;;
			stopped) rank=2 ;;
			"error: box: container cc2 does not exist") rank=3 ;;
			*) fail "round $round: state said \"$said\" of a container whose process exits" ;;
			esac
			[ "$rank" -ge "$last" ] || fail "round $round: state said $said after it had said rank $last (running 1, stopped 2, gone 3)"
			last=$rank
		done
		killed=0 deleted=0
		wait "$killer" || killed=$?
		wait "$deleter" || deleted=$?
		if [ "$killed" -ne 0 ]; then
			case "$(cat "$BATS_TEST_TMPDIR/kill.err")" in
			"box: container cc2 is stopped: container not running" | "box: container not running" | \
				"box: container cc2 does not exist") ;;
			*) fail "round $round: kill exited $killed: $(cat "$BATS_TEST_TMPDIR/kill.err")" ;;
			esac
		fi
		if [ "$deleted" -ne 0 ]; then
			assert_equal "$(cat "$BATS_TEST_TMPDIR/delete.err")" \
				"box: cannot delete container cc2 that is not stopped: running"
		fi
		# Its process has ended (its parent, the suite's reaper, reaps it):
		# now state must say stopped, or that it is gone.
		for tries in $(seq 100); do
			[ -d "/proc/$pid" ] && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2> /dev/null)" != Z ] || break
			sleep 0.1
		done
		if text=$(rt state cc2 2> "$BATS_TEST_TMPDIR/state.err"); then
			assert_equal "$(status_in <<< "$text")" stopped
		else
			assert_equal "$(cat "$BATS_TEST_TMPDIR/state.err")" "box: container cc2 does not exist"
		fi
		run rt delete --force cc2
		assert_success
		assert_nothing_of cc2
	done
}
