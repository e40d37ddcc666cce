# The final runtime, rootless: a bundle of `box spec --rootless` runs as an
# ordinary user, through the whole lifecycle, with its state in a root of
# that user's own; root's containers stay out of the user's reach, and
# limits are refused where no cgroup is delegated to the user.

load runtime

# A user of the suite's own, as tests/2-rootless.bats makes them: without
# subordinate ids, so that the rootless spec's single mapping (the user's
# own id) is all there is.
setup_file() {
	export RL_USER=boxtest-rl-$$
	useradd --no-create-home --shell /bin/sh "$RL_USER"
	sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid 2>/dev/null || true
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	export RL_UID RL_GID
	# The user's default state root lives in /tmp/box-UID (beside stage 4's
	# state): remove it afterwards only if this suite made it.
	RL_HOME_EXISTED=false
	[ ! -e "/tmp/box-$RL_UID" ] || RL_HOME_EXISTED=true
	export RL_HOME_EXISTED
	# bats makes its run directory 0700: the user must reach the bundles
	# the tests make for it below (only o+x: nothing is listed).
	chmod o+x "$BATS_RUN_TMPDIR"
}

teardown_file() {
	local tries
	# userdel refuses while a process of the user is still exiting.
	for tries in $(seq 50); do
		userdel "$RL_USER" 2>/dev/null && break
		id "$RL_USER" >/dev/null 2>&1 || break
		sleep 0.1
	done
	sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid 2>/dev/null || true
	if [ "$RL_HOME_EXISTED" = false ]; then
		rm -rf "/tmp/box-$RL_UID"
	fi
}

setup() {
	runtime_setup # root's own RT_ROOT and BUNDLE, for the test against root's container
	# The user's directory: its bundle (written by the user's own box spec)
	# and its state root.
	USER_DIR=$BATS_TEST_TMPDIR/user
	mkdir "$USER_DIR"
	chown "$RL_USER:" "$USER_DIR"
	USER_BUNDLE=$USER_DIR/bundle
	USER_ROOT=$USER_DIR/root
	as_rl sh -c "mkdir '$USER_BUNDLE' && cd '$USER_BUNDLE' && '$BOX' spec --rootless" ||
		fail "box spec --rootless as $RL_USER failed"
	ln -s "$ROOTFS" "$USER_BUNDLE/rootfs"
}

teardown() {
	local root id
	runtime_teardown
	# What the user left, deleted by root (who may).
	for root in "${USER_ROOT:-/nonexistent}" "${USER_DIR:-/nonexistent}/xdg/box" "/tmp/box-${RL_UID:-nonexistent}/run"; do
		[ -d "$root" ] || continue
		for id in $(box --root "$root" list --quiet 2>/dev/null); do
			box --root "$root" delete --force "$id" || echo "teardown: delete --force $id in $root failed" >&2
		done
	done
}

# COMMAND as the suite's user, in a fresh environment (no XDG_RUNTIME_DIR),
# with no supplementary groups. exec: what runs is the command itself.
as_rl() { # COMMAND...
	(exec setpriv --reuid="$RL_USER" --regid="$RL_GID" --clear-groups --reset-env -- "$@")
}

# box as the user, with BOX_TEST_TIMEOUT as helpers.bash's box has it.
box_rl() { # ARG...
	as_rl timeout --foreground --kill-after=30 "${BOX_TEST_TIMEOUT:-300}" "$BOX" "$@"
}

# run_detached (runtime.bash) as the user: create and run --detach keep
# the caller's stdio, so bats' run would wait for the container.
run_detached_rl() { # ARG...
	local out=$BATS_TEST_TMPDIR/detached.out
	status=0
	box_rl "$@" </dev/null >"$out" 2>&1 || status=$?
	output=$(cat "$out")
}

# The user's bundle runs ARGS.
user_bundle_args() { # ARG...
	# "--": jq would take a "-c" of ARGS for its own.
	jq '.process.args = $ARGS.positional' "$USER_BUNDLE/config.json" --args -- "$@" > "$USER_DIR/config.json.new" ||
		fail "jq failed"
	cat "$USER_DIR/config.json.new" > "$USER_BUNDLE/config.json"
	rm "$USER_DIR/config.json.new"
}

# Edit the user's bundle with a jq FILTER (the file stays the user's).
user_bundle_edit() { # FILTER
	jq "$1" "$USER_BUNDLE/config.json" > "$USER_DIR/config.json.new" || fail "jq $1 failed"
	cat "$USER_DIR/config.json.new" > "$USER_BUNDLE/config.json"
	rm "$USER_DIR/config.json.new"
}

# The user's state of container ID, field FIELD.
user_state_of() { # ROOT ID FIELD
	box_rl --root "$1" state "$2" | jq -r ".$3"
}

user_status_wait() { # ROOT ID STATUS
	local tries
	for tries in $(seq 100); do
		[ "$(user_state_of "$1" "$2" status)" = "$3" ] && return 0
		sleep 0.1
	done
	fail "container $2 is $(user_state_of "$1" "$2" status), not $3, after 10 s"
}

# points: 2
@test "a rootless bundle runs in the foreground as an ordinary user: uid 0 inside, mapped from the user" {
	user_bundle_args sh -c 'echo hello; id; cat /proc/self/uid_map /proc/self/gid_map; exit 3'
	run --separate-stderr box_rl --root "$USER_ROOT" run --bundle "$USER_BUNDLE" rl1
	assert_failure 3
	assert_line --index 0 hello
	assert_line --index 1 "uid=0(root) gid=0(root)"
	assert_line --index 2 --regexp "^ +0 +$RL_UID +1$"
	assert_line --index 3 --regexp "^ +0 +$RL_GID +1$"
	assert_equal "${#lines[@]}" 4
	assert_equal "$stderr" ""
	# Run in the foreground deletes what it made.
	run box_rl --root "$USER_ROOT" list --quiet
	assert_success
	assert_output ""
}

# points: 3
@test "create, start, state, kill and delete as an ordinary user; its process is the user's on the host" {
	user_bundle_args sleep 100
	run_detached_rl --root "$USER_ROOT" create --bundle "$USER_BUNDLE" --pid-file "$USER_DIR/pid" rl2
	assert_success
	assert_equal "$(user_state_of "$USER_ROOT" rl2 status)" created
	local pid
	pid=$(cat "$USER_DIR/pid")
	assert_equal "$(user_state_of "$USER_ROOT" rl2 pid)" "$pid"
	assert_equal "$(user_state_of "$USER_ROOT" rl2 bundle)" "$USER_BUNDLE"
	# Outside: the user's ids, a user namespace of its own, no cgroup of its
	# own (none is delegated): the container stays in the caller's group,
	# as rootless runc's does.
	run awk '/^Uid:|^Gid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status"
	assert_line --index 0 "$RL_UID $RL_UID $RL_UID $RL_UID"
	assert_line --index 1 "$RL_GID $RL_GID $RL_GID $RL_GID"
	assert_not_equal "$(readlink "/proc/$pid/ns/user")" "$(readlink /proc/self/ns/user)"
	assert_equal "$(cat "/proc/$pid/cgroup")" "$(cat /proc/$$/cgroup)"
	assert_dir_not_exists "$(cgroup_dir_of rl2)"
	run box_rl --root "$USER_ROOT" start rl2
	assert_success
	assert_equal "$(user_state_of "$USER_ROOT" rl2 status)" running
	assert_equal "$(cat "/proc/$pid/comm")" sleep
	run box_rl --root "$USER_ROOT" list --format json
	assert_success
	assert_equal "$(jq -r '.[] | "\(.id) \(.status) \(.pid)"' <<<"$output")" "rl2 running $pid"
	run box_rl --root "$USER_ROOT" kill rl2 KILL
	assert_success
	user_status_wait "$USER_ROOT" rl2 stopped
	run box_rl --root "$USER_ROOT" delete rl2
	assert_success
	run --separate-stderr box_rl --root "$USER_ROOT" state rl2
	assert_failure 1
	assert_equal "$stderr" "box: container rl2 does not exist"
	assert_dir_not_exists "$USER_ROOT/rl2"
}

# points: 2
@test "an ordinary user's default state root is /tmp/box-UID/run, the user's alone; delete empties it" {
	local root=/tmp/box-$RL_UID/run
	user_bundle_args sleep 100
	run_detached_rl create --bundle "$USER_BUNDLE" rl3
	assert_success
	assert_file_exists "$root/rl3/state.json"
	assert_equal "$(stat -c '%u %a' "$root")" "$RL_UID 700"
	assert_equal "$(stat -c '%u %a' "$root/rl3")" "$RL_UID 700"
	run box_rl list --quiet
	assert_success
	assert_output rl3
	run box_rl delete --force rl3
	assert_success
	assert_dir_not_exists "$root/rl3"
	run box_rl list --quiet
	assert_success
	assert_output ""
}

# points: 1
@test "with XDG_RUNTIME_DIR, an ordinary user's default state root is \$XDG_RUNTIME_DIR/box" {
	local runtime_dir=$USER_DIR/xdg
	as_rl mkdir -m 700 "$runtime_dir"
	user_bundle_args sleep 100
	# As run_detached_rl, with the variable in the user's environment.
	local out=$BATS_TEST_TMPDIR/detached.out
	as_rl env XDG_RUNTIME_DIR="$runtime_dir" "$BOX" create --bundle "$USER_BUNDLE" rl4 </dev/null >"$out" 2>&1 ||
		fail "create as $RL_USER failed: $(cat "$out")"
	assert_file_exists "$runtime_dir/box/rl4/state.json"
	assert_dir_not_exists "/tmp/box-$RL_UID/run/rl4"
	run as_rl env XDG_RUNTIME_DIR="$runtime_dir" "$BOX" delete --force rl4
	assert_success
	assert_dir_not_exists "$runtime_dir/box/rl4"
}

# points: 3
@test "an ordinary user can neither read, signal nor delete a container of root's" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" rl5
	assert_success
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	# The state root and the container's state are root's alone.
	assert_equal "$(stat -c '%u %a' "$RT_ROOT")" "0 700"
	assert_equal "$(stat -c '%u %a' "$RT_ROOT/rl5")" "0 700"
	local verb
	for verb in "state rl5" "kill rl5 KILL" "delete --force rl5" "start rl5" "pause rl5"; do
		# shellcheck disable=SC2086
		run --separate-stderr box_rl --root "$RT_ROOT" $verb
		assert_failure 1
		assert_one_line_on_stderr
		assert_output ""
	done
	run box_rl --root "$RT_ROOT" list --quiet
	refute_output --partial rl5
	# Untouched: still created, its process waiting, its state whole.
	assert_equal "$(state_of rl5 status)" created
	assert [ -e "/proc/$pid" ]
	assert_file_exists "$RT_ROOT/rl5/state.json"
}

# points: 2
@test "a rootless bundle with limits is refused where no cgroup is delegated to the user, and leaves nothing" {
	user_bundle_args true
	user_bundle_edit '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 32}}'
	run --separate-stderr box_rl --root "$USER_ROOT" run --bundle "$USER_BUNDLE" rl6
	assert_failure 1
	assert_one_line_on_stderr
	# Stage 3's words: v1 has no delegation at all; v2's must come from
	# the service manager (the test's own group is root's).
	assert_regex "$stderr" '^box: limits for an ordinary user need (cgroup v2, and this machine has v1|a cgroup v2 subtree delegated to it, .*)$'
	assert_output ""
	run box_rl --root "$USER_ROOT" list --quiet
	assert_output ""
	assert_dir_not_exists "$USER_ROOT/rl6"
	assert_dir_not_exists "$(cgroup_dir_of rl6)"
}

# points: 1
@test "--rootless=false makes an ordinary user's missing cgroup an error; true and auto run without one" {
	user_bundle_args echo ran
	run --separate-stderr box_rl --rootless=false --root "$USER_ROOT" run --bundle "$USER_BUNDLE" rl7
	assert_failure 1
	assert_one_line_on_stderr
	assert_output ""
	assert_dir_not_exists "$USER_ROOT/rl7"
	local value
	for value in true auto; do
		run --separate-stderr box_rl --rootless="$value" --root "$USER_ROOT" run --bundle "$USER_BUNDLE" rl7
		assert_success
		assert_output ran
		assert_equal "$stderr" ""
	done
}
