# The final runtime, config.json's hooks: each kind runs at its moment of
# the lifecycle, in the namespace the runtime spec gives it (createRuntime,
# prestart, poststart, poststop in the runtime's; createContainer and
# startContainer in the container's), with the OCI state on its stdin and
# its own args and env; a timeout kills it; a failing create hook fails
# create and leaves nothing, a failing poststart or poststop is a warning.
#
# The hooks are shell scripts in $BATS_TEST_TMPDIR that record what they
# saw. A startContainer hook runs inside the container, after pivot_root:
# its path is inside the container's root, which for that is a writable
# copy of the rootfs.

load runtime

setup() {
	runtime_setup
	HOST_MNT=$(readlink /proc/self/ns/mnt)
	PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	# hook KIND LOG: the state on its stdin into LOG.KIND.json, and one line
	# "KIND MOUNT-NAMESPACE [COMM]" appended to LOG (COMM: the state's
	# process's command, where this /proc shows that process).
	HOOK=$BATS_TEST_TMPDIR/hook
	cat > "$HOOK" <<-'EOF'
		#!/bin/sh
		kind=$1 log=$2
		cat > "$log.$kind.json"
		pid=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$log.$kind.json")
		comm=$(cat "/proc/${pid:-0}/comm" 2>/dev/null)
		echo "$kind $(readlink /proc/self/ns/mnt) $comm" >> "$log"
	EOF
	# fail KIND LOG ID: what it saw while it ran (the state's PID and the
	# container's cgroups) into LOG.KIND.pid and LOG.KIND.cgroups; exit 3.
	FAIL=$BATS_TEST_TMPDIR/fail
	cat > "$FAIL" <<-'EOF'
		#!/bin/sh
		kind=$1 log=$2 id=$3
		jq -r .pid > "$log.$kind.pid"
		ls -d "/sys/fs/cgroup/box/$id" /sys/fs/cgroup/*/"box/$id" > "$log.$kind.cgroups" 2>/dev/null
		exit 3
	EOF
	chmod +x "$HOOK" "$FAIL"
	LOG=$BATS_TEST_TMPDIR/hooks.log
}

teardown() {
	runtime_teardown
}

# The container's cgroup directories, v1 (one per controller) or v2.
cgroups_of() { # ID
	ls -d "/sys/fs/cgroup/box/$1" /sys/fs/cgroup/*/"box/$1" 2>/dev/null || true
}

# The bundle's root becomes a writable copy of the rootfs, with the hook
# script in it at /hook and the log at /hooks.log ($LOG, seen from here).
bundle_root_copy() {
	rm "$BUNDLE/rootfs"
	cp -a "$ROOTFS" "$BUNDLE/rootfs"
	cp "$HOOK" "$BUNDLE/rootfs/hook"
	bundle_edit "$BUNDLE" '.root.readonly = false'
	LOG=$BUNDLE/rootfs/hooks.log
}

# A jq filter's hook: the script at PATH as `hook KIND LOG`, with PATH set.
HOOK_DEF='def hook($path; $kind; $log): {path: $path, args: ["hook", $kind, $log], env: [$env_path]};'

# Every kind of hook, once each, recording into one log; the container's
# process sleeps.
every_hook_bundle() {
	bundle_root_copy
	bundle_edit "$BUNDLE" "$HOOK_DEF"'
		.process.args = ["sleep", "100"]
		| .hooks = {
			prestart: [hook($host; "prestart"; $log)],
			createRuntime: [hook($host; "createRuntime"; $log)],
			createContainer: [hook($host; "createContainer"; $log)],
			startContainer: [hook("/hook"; "startContainer"; "/hooks.log")],
			poststart: [hook($host; "poststart"; $log)],
			poststop: [hook($host; "poststop"; $log)]}' \
		--arg host "$HOOK" --arg log "$LOG" --arg env_path "$PATH_ENV"
}

# The log's lines, without the process's command: "KIND MOUNT-NAMESPACE".
hooks_seen() {
	cut -d' ' -f1,2 "$LOG" 2>/dev/null
}

# points: 3
@test "each hook runs at its moment: the create hooks in order at create, startContainer and poststart at start, poststop at delete; createContainer and startContainer in the container's mount namespace, the others in the runtime's" {
	every_hook_bundle
	run_detached create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" hk1
	assert_success
	local pid container_mnt
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	container_mnt=$(readlink "/proc/$pid/ns/mnt")
	assert_not_equal "$container_mnt" "$HOST_MNT"
	# create: the three create hooks, and nothing else yet.
	run hooks_seen
	assert_output "prestart $HOST_MNT
createRuntime $HOST_MNT
createContainer $container_mnt"
	assert_equal "$(state_of hk1 status)" created
	# start: startContainer in the container, poststart here (their
	# order is the next test's).
	run rt start hk1
	assert_success
	run bash -c 'tail -n +4 "$1" | cut -d" " -f1,2 | sort' hooks "$LOG"
	assert_output "poststart $HOST_MNT
startContainer $container_mnt"
	# stopped: no hook; delete: poststop, here.
	run rt kill hk1 KILL
	assert_success
	status_wait hk1 stopped
	assert_equal "$(hooks_seen | wc -l)" 5
	run rt delete hk1
	assert_success
	run hooks_seen
	assert_equal "${#lines[@]}" 6
	assert_line --index 5 "poststop $HOST_MNT"
}

# points: 2
@test "at start, startContainer runs before the program and poststart after it: poststart finds the program running" {
	every_hook_bundle
	# A startContainer hook that takes its time: a runtime that does not
	# wait for it shows at once. (The outcome is not timed: one that waits
	# passes however long it takes.)
	bundle_edit "$BUNDLE" '.hooks.startContainer = [{path: "/bin/sh",
		args: ["sh", "-c", "sleep 1; exec /hook startContainer /hooks.log"], env: [$env_path]}]' \
		--arg env_path "$PATH_ENV"
	run_detached create --bundle "$BUNDLE" hk11
	assert_success
	run rt start hk11
	assert_success
	run cut -d' ' -f1 "$LOG"
	assert_equal "${#lines[@]}" 5
	assert_line --index 3 startContainer
	assert_line --index 4 poststart
	# What the container's process was when poststart ran: the program
	# (sleep), not box still on its way to exec it.
	assert_equal "$(grep ^poststart "$LOG" | cut -d' ' -f3)" sleep
}

# points: 2
@test "each hook gets the container's OCI state on stdin: its id, bundle, the host PID of its process, and the status of the moment" {
	every_hook_bundle
	run_detached create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" hk2
	assert_success
	local pid kind
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	run rt start hk2
	assert_success
	run rt delete --force hk2
	assert_success
	for kind in prestart createRuntime createContainer startContainer poststart poststop; do
		assert_file_exists "$LOG.$kind.json"
		assert_equal "$kind: $(jq -r .id "$LOG.$kind.json")" "$kind: hk2"
		assert_equal "$kind: $(jq -r .bundle "$LOG.$kind.json")" "$kind: $BUNDLE"
		assert_equal "$kind: $(jq -r '.ociVersion | type' "$LOG.$kind.json")" "$kind: string"
	done
	# The PID is required while the container is created or running.
	for kind in prestart createRuntime createContainer startContainer poststart; do
		assert_equal "$kind: $(jq -r .pid "$LOG.$kind.json")" "$kind: $pid"
	done
	assert_equal "$(jq -r .status "$LOG.prestart.json")" creating
	assert_equal "$(jq -r .status "$LOG.createRuntime.json")" creating
	assert_equal "$(jq -r .status "$LOG.createContainer.json")" creating
	assert_equal "$(jq -r .status "$LOG.startContainer.json")" created
	assert_equal "$(jq -r .status "$LOG.poststart.json")" running
	assert_equal "$(jq -r .status "$LOG.poststop.json")" stopped
}

# points: 2
@test "a hook runs with its own args (argv[0] too) and only its own env, none of box's" {
	local out=$BATS_TEST_TMPDIR/seen
	# busybox (the rootfs's, static) runs the applet its argv[0] names:
	# "sh" runs only if args[0] is passed as argv[0].
	bundle_edit "$BUNDLE" '.process.args = ["true"] | .hooks.prestart = [{path: $busybox,
		args: ["sh", "-c", "printf \"%s\\n\" \"$0\" \"$@\" > \($out).args; env > \($out).env", "zero", "one two", "three"],
		env: ["HK_ONE=1", "HK_TWO=two words"]}]' --arg out "$out" --arg busybox "$ROOTFS/bin/busybox"
	export HK_LEAK=from-box
	run_detached create --bundle "$BUNDLE" hk3
	assert_success
	run cat "$out.args"
	assert_output "zero
one two
three"
	run cat "$out.env"
	assert_line HK_ONE=1
	assert_line "HK_TWO=two words"
	# Nothing but its env and what the shell itself sets (PATH, PWD, SHLVL).
	refute_line --partial HK_LEAK
	assert_equal "$(grep -cvE '^(HK_ONE|HK_TWO|PATH|PWD|SHLVL)=' "$out.env")" 0
}

# points: 3
@test "a failing prestart, createRuntime or createContainer hook fails create with one line; no state, cgroup or process is left" {
	local kind pid
	for kind in prestart createRuntime createContainer; do
		bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]
			| .hooks = {($kind): [{path: $fail, args: ["fail", $kind, $log, "hk4"], env: [$env_path]}]}' \
			--arg kind "$kind" --arg fail "$FAIL" --arg log "$LOG" --arg env_path "$PATH_ENV"
		run_detached create --bundle "$BUNDLE" hk4
		assert_failure 1
		assert_equal "$kind: $(printf '%s\n' "$output" | wc -l)" "$kind: 1"
		assert_output --regexp "^box: .*hooks\.$kind\[0\].*$FAIL.*status 3\$"
		# While the hook ran, the container was there: its process, its cgroup.
		pid=$(cat "$LOG.$kind.pid")
		[[ "$pid" =~ ^[1-9][0-9]*$ ]] || fail "$kind: the hook got no PID in its state: $pid"
		[ -s "$LOG.$kind.cgroups" ] || fail "$kind: the container had no cgroup while its hook ran"
		# Now none of it is.
		[ ! -e "/proc/$pid" ] || fail "$kind: its process $pid lives on: $(head -3 "/proc/$pid/status" 2>/dev/null)"
		assert_equal "$kind: $(cgroups_of hk4)" "$kind: "
		assert_file_not_exists "$RT_ROOT/hk4"
		run rt list --quiet
		assert_output ""
	done
}

# points: 1
@test "after a failing create hook the poststop hooks still run, as the spec's lifecycle goes on to destroy and poststop" {
	bundle_edit "$BUNDLE" "$HOOK_DEF"'
		.process.args = ["sleep", "100"]
		| .hooks = {prestart: [{path: $fail, args: ["fail", "prestart", $log, "hk5"], env: [$env_path]}],
			poststop: [hook($host; "poststop"; $log)]}' \
		--arg fail "$FAIL" --arg host "$HOOK" --arg log "$LOG" --arg env_path "$PATH_ENV"
	run_detached create --bundle "$BUNDLE" hk5
	assert_failure 1
	run hooks_seen
	assert_output "poststop $HOST_MNT"
}

# points: 2
@test "a hook that outlives its timeout is killed, and create fails with one line saying so" {
	local slow=$BATS_TEST_TMPDIR/slow
	# exec: the hook's own PID is the sleeper's.
	printf '#!/bin/sh\necho $$ > %s.pid\nexec sleep 100\n' "$slow" > "$slow"
	chmod +x "$slow"
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]
		| .hooks.createRuntime = [{path: $slow, timeout: 1}]' --arg slow "$slow"
	run_detached create --bundle "$BUNDLE" hk6
	assert_failure 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	assert_output --regexp "^box: .*hooks\.createRuntime\[0\].*timed out"
	local pid
	pid=$(cat "$slow.pid")
	[ ! -e "/proc/$pid" ] || fail "the hook $pid lives on: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
	assert_equal "$(cgroups_of hk6)" ""
	assert_file_not_exists "$RT_ROOT/hk6"
}

# points: 2
@test "a failing poststart hook is reported on one line, yet start succeeds, the container runs and the next poststart hook runs" {
	bundle_edit "$BUNDLE" "$HOOK_DEF"'
		.process.args = ["sleep", "100"]
		| .hooks.poststart = [{path: $fail, args: ["fail", "poststart", $log, "hk7"], env: [$env_path]},
			hook($host; "poststart"; $log)]' \
		--arg fail "$FAIL" --arg host "$HOOK" --arg log "$LOG" --arg env_path "$PATH_ENV"
	run_detached create --bundle "$BUNDLE" hk7
	assert_success
	run --separate-stderr rt start hk7
	assert_success
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: hooks.poststart[0]: $FAIL: exited with status 3"
	assert_equal "$(state_of hk7 status)" running
	run hooks_seen
	assert_output "poststart $HOST_MNT"
}

# points: 2
@test "poststop hooks run at delete, not before, with the stopped state; a failing one is a warning and the next still runs" {
	bundle_edit "$BUNDLE" "$HOOK_DEF"'
		.process.args = ["sleep", "100"]
		| .hooks.poststop = [{path: $fail, args: ["fail", "poststop", $log, "hk8"], env: [$env_path]},
			hook($host; "poststop"; $log)]' \
		--arg fail "$FAIL" --arg host "$HOOK" --arg log "$LOG" --arg env_path "$PATH_ENV"
	run_detached run --detach --bundle "$BUNDLE" hk8
	assert_success
	run rt kill hk8 KILL
	assert_success
	status_wait hk8 stopped
	assert_file_not_exists "$LOG"
	assert_file_not_exists "$LOG.poststop.pid"
	run --separate-stderr rt delete hk8
	assert_success
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: hooks.poststop[0]: $FAIL: exited with status 3"
	assert_file_exists "$LOG.poststop.pid"
	run hooks_seen
	assert_output "poststop $HOST_MNT"
	assert_equal "$(jq -r .status "$LOG.poststop.json")" stopped
	assert_equal "$(cgroups_of hk8)" ""
	assert_file_not_exists "$RT_ROOT/hk8"
}

# points: 1
@test "poststop hooks run after the container is destroyed: its cgroup and its state are gone by then" {
	local seen=$BATS_TEST_TMPDIR/seen
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]
		| .hooks.poststop = [{path: "/bin/sh", args: ["sh", "-c",
			"ls -d /sys/fs/cgroup/box/hk9 /sys/fs/cgroup/*/box/hk9 \($root)/hk9 > \($seen) 2>/dev/null; echo ran >> \($seen)"]}]' \
		--arg seen "$seen" --arg root "$RT_ROOT"
	run_detached run --detach --bundle "$BUNDLE" hk9
	assert_success
	run rt delete --force hk9
	assert_success
	run cat "$seen"
	assert_output ran
}

# points: 1
@test "box run in the foreground runs every hook, poststop as it deletes the container at the end" {
	every_hook_bundle
	bundle_edit "$BUNDLE" '.process.args = ["true"]'
	run rt run --bundle "$BUNDLE" hk10
	assert_success
	# (startContainer before poststart is the test above's.)
	run cut -d' ' -f1 "$LOG"
	assert_equal "${#lines[@]}" 6
	assert_equal "${lines[*]:0:3}" "prestart createRuntime createContainer"
	assert_equal "$(printf '%s\n' "${lines[@]:3:2}" | sort | tr '\n' ' ')" "poststart startContainer "
	assert_equal "${lines[5]}" poststop
	run rt list --quiet
	assert_output ""
}
