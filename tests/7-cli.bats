# The final runtime's command line, as runc's: the global options (--version,
# --help, --log, --log-format, --debug, --systemd-cgroup, --rootless and
# containerd's single-dash forms), every verb's --help, and the JSON that
# engines read: features, spec, state and list.

load runtime

VERBS="create start state kill delete run exec ps list pause resume update features spec events"

setup() {
	runtime_setup
}

teardown() {
	runtime_teardown
}

# RFC 3339 with nanoseconds ("2026-12-03T08:52:29.539521674Z"), as Go's
# time.RFC3339Nano and runc write it: jq parses it once the fraction is off.
is_rfc3339() { # TEXT
	jq -en --arg t "$1" '$t | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
		and ($t | sub("\\.[0-9]+"; "") | sub("[+-][0-9]{2}:[0-9]{2}$"; "Z") | fromdateiso8601 > 0)' >/dev/null
}

# points: 1
@test "--version names box and the runtime-spec it speaks, on runc's \"spec: \" line" {
	run --separate-stderr box --version
	assert_success
	assert_line --index 0 --regexp '^box [0-9]+\.[0-9]+\.[0-9]+ '
	assert_line "spec: 1.2.0"
	assert_equal "$stderr" ""
	# The same version everywhere box says one.
	assert_equal "$(box features | jq -r .ociVersionMax)" 1.2.0
	assert_equal "$(jq -r .ociVersion "$BUNDLE/config.json")" 1.2.0
}

# points: 2
@test "--help lists every verb, and each VERB --help exits 0 with its usage line and does nothing else" {
	run --separate-stderr box --help
	assert_success
	assert_equal "$stderr" ""
	local verb
	for verb in $VERBS; do
		assert_line --regexp "^  $verb +[a-z]"
	done
	# --help of a verb: its usage, and no verb done (spec writes no
	# config.json, create makes no state).
	mkdir "$BATS_TEST_TMPDIR/empty"
	cd "$BATS_TEST_TMPDIR/empty"
	for verb in $VERBS; do
		run --separate-stderr rt "$verb" --help
		assert_success
		assert_line --index 0 --regexp "^Usage: box \[GLOBAL OPTIONS\] $verb( |$)"
		assert_equal "$stderr" ""
	done
	assert_file_not_exists "$BATS_TEST_TMPDIR/empty/config.json"
	assert_dir_not_exists "$RT_ROOT"
}

# points: 1
@test "an unknown verb gets one line on stderr that names it" {
	# A first word that is not a verb is the stage contract's ROOTFS
	# (DESIGN.md): a missing one is bad input, one line and 125 (crun says
	# "unknown command", 1; runc 1.1.5 exits 3).
	run --separate-stderr rt frobnicate cli1
	assert_failure 125
	assert_one_line_on_stderr
	assert_regex "$stderr" '^box: .*frobnicate'
	assert_output ""
	assert_dir_not_exists "$RT_ROOT"
}

# points: 2
@test "an unknown option of any verb gets one line on stderr and status 1" {
	local verb
	for verb in $VERBS; do
		run --separate-stderr rt "$verb" --no-such-option cli1
		assert_failure 1
		assert_one_line_on_stderr
		assert_regex "$stderr" "^box: $verb: .*--no-such-option|^box: $verb: unknown option"
		assert_output ""
	done
	assert_dir_not_exists "$RT_ROOT"
}

# points: 1
@test "--log FILE gets a failed verb's error, and stderr its one line too" {
	local log=$BATS_TEST_TMPDIR/box.log
	run --separate-stderr rt --log "$log" state cli2
	assert_failure 1
	assert_equal "$stderr" "box: container cli2 does not exist"
	assert_file_exists "$log"
	run cat "$log"
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^.*error.*container cli2 does not exist'
}

# points: 2
@test "--log-format json appends runc's JSON lines: level, msg and an RFC 3339 time" {
	local log=$BATS_TEST_TMPDIR/log.json
	run rt --log "$log" --log-format json state cli3
	assert_failure 1
	run rt --log "$log" --log-format json kill cli3 KILL
	assert_failure 1
	# One object a line (containerd's shim reads the last one), with exactly
	# runc's keys.
	run jq -c 'keys' "$log"
	assert_success
	assert_output "$(printf '%s\n' '["level","msg","time"]' '["level","msg","time"]')"
	run jq -r '"\(.level) \(.msg)"' "$log"
	assert_line --index 0 "error container cli3 does not exist"
	assert_line --index 1 --regexp '^error .*cli3.*does not exist'
	local time
	for time in $(jq -r .time "$log"); do
		is_rfc3339 "$time" || fail "not RFC 3339: $time"
	done
	# A format that is neither text nor json.
	run --separate-stderr rt --log "$log" --log-format yaml list
	assert_failure 1
	assert_equal "$stderr" 'box: --log-format: "yaml" is not text or json'
}

# points: 2
@test "--debug narrates each step into the log, and the container's stdio stays its own" {
	local log=$BATS_TEST_TMPDIR/debug.json
	bundle_edit "$BUNDLE" '.process.args = ["echo", "from-the-container"]'
	run --separate-stderr rt --debug --log "$log" --log-format json run --bundle "$BUNDLE" cli4
	assert_success
	assert_output from-the-container
	assert_equal "$stderr" ""
	run jq -r 'select(.level == "debug") | .msg' "$log"
	assert_success
	assert_line --regexp '^clone\(.*NEWPID.*\) -> [0-9]+$'
	assert_line --regexp '^pivot_root\('
	assert_line --regexp '^created cli4: '
	assert [ "${#lines[@]}" -gt 10 ]
	# Without --debug, nothing is narrated.
	rm "$log"
	run rt --log "$log" --log-format json run --bundle "$BUNDLE" cli4
	assert_success
	assert_output from-the-container
	run jq -r 'select(.level == "debug")' "$log"
	assert_output ""
}

# points: 1
@test "--systemd-cgroup is refused in one clear line, and nothing is made" {
	run --separate-stderr rt --systemd-cgroup run --bundle "$BUNDLE" cli5
	assert_failure 1
	assert_one_line_on_stderr
	assert_regex "$stderr" '^box: --systemd-cgroup: .*systemd'
	assert_output ""
	assert_dir_not_exists "$RT_ROOT/cli5"
	assert_dir_not_exists "$(cgroup_dir_of cli5)"
	# features says so too.
	assert_equal "$(box features | jq .linux.cgroup.systemd)" false
}

# points: 1
@test "--rootless takes true, false or auto; another value is refused in one line" {
	# (What each value does for an ordinary user: tests/7-rootless.bats.)
	local value
	for value in true false auto; do
		run --separate-stderr rt --rootless="$value" list --quiet
		assert_success
		assert_equal "$stderr" ""
	done
	# Root with --rootless=true still gets its cgroup: rootless only
	# forgives a cgroup that cannot be made (runc's --rootless too).
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached --rootless=true run --detach --bundle "$BUNDLE" cli6
	assert_success
	assert_dir_exists "$(cgroup_dir_of cli6)"
	# A wrong value, before a verb: that verb fails, with runc's 1, and
	# makes nothing.
	run --separate-stderr rt --rootless=maybe run --bundle "$BUNDLE" cli12
	assert_failure 1
	assert_equal "$stderr" 'box: --rootless: "maybe" is not true, false or auto'
	assert_dir_not_exists "$RT_ROOT/cli12"
}

# points: 2
@test "containerd's single-dash forms: -root DIR, -log FILE and -log-format json work as with two dashes" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	local log=$BATS_TEST_TMPDIR/shim.json
	run_detached -root "$RT_ROOT" -log "$log" -log-format json create --bundle "$BUNDLE" cli7
	assert_success
	# Under that root, as --root sees it.
	assert_file_exists "$RT_ROOT/cli7/state.json"
	assert_equal "$(state_of cli7 status)" created
	run box -root "$RT_ROOT" -log "$log" -log-format json state cli7
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" cli7
	run box -root="$RT_ROOT" list --quiet
	assert_success
	assert_output cli7
	# An error goes to that log as a JSON line.
	run box -root "$RT_ROOT" -log "$log" -log-format json start cli-none
	assert_failure 1
	run jq -r 'select(.level == "error") | .msg' "$log"
	assert_output "container cli-none does not exist"
	run box -root "$RT_ROOT" -log "$log" -log-format json delete --force cli7
	assert_success
	assert_dir_not_exists "$RT_ROOT/cli7"
}

# points: 2
@test "features is the OCI features JSON: versions, hooks, mount options, namespaces, capabilities, seccomp" {
	run --separate-stderr box features
	assert_success
	assert_equal "$stderr" ""
	local features=$output
	jq -e . <<<"$features" >/dev/null || fail "features is not JSON: $features"
	assert_equal "$(jq -r '"\(.ociVersionMin) \(.ociVersionMax)"' <<<"$features")" "1.0.0 1.2.0"
	assert_equal "$(jq -c '.hooks | sort' <<<"$features")" \
		'["createContainer","createRuntime","poststart","poststop","prestart","startContainer"]'
	# Mount options: strings, the usual ones among them.
	jq -e '.mountOptions | type == "array" and all(type == "string")
		and (["ro", "rw", "nosuid", "nodev", "noexec", "bind", "rbind", "rprivate"] - . == [])' \
		<<<"$features" >/dev/null || fail "mountOptions: $(jq -c .mountOptions <<<"$features")"
	assert_equal "$(jq -c '.linux.namespaces | sort' <<<"$features")" \
		'["cgroup","ipc","mount","network","pid","time","user","uts"]'
	# Capabilities by their config.json names.
	jq -e '.linux.capabilities | all(startswith("CAP_"))
		and (["CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN", "CAP_SYS_ADMIN", "CAP_SYS_CHROOT"] - . == [])' \
		<<<"$features" >/dev/null || fail "capabilities: $(jq -c .linux.capabilities <<<"$features")"
	# seccomp: enabled, the actions, operators and this architecture.
	jq -e '.linux.seccomp.enabled == true
		and (["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS"] - .linux.seccomp.actions == [])
		and (["SCMP_CMP_EQ", "SCMP_CMP_MASKED_EQ"] - .linux.seccomp.operators == [])
		and (.linux.seccomp.archs | index("SCMP_ARCH_X86_64") != null)' \
		<<<"$features" >/dev/null || fail "seccomp: $(jq -c .linux.seccomp <<<"$features")"
}

# The spec's sh, fed SCRIPT on its stdin, in a bundle in DIR.
spec_run() { # DIR ID SCRIPT
	echo "$3" | rt run --bundle "$1" "$2"
}

# points: 2
@test "spec writes a config.json that runs as it is: a shell in rootfs/" {
	local dir=$BATS_TEST_TMPDIR/fresh
	mkdir "$dir"
	cd "$dir"
	run --separate-stderr box spec
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_file_exists "$dir/config.json"
	assert_equal "$(jq -c '[.ociVersion, .root.path, .process.args, .process.cwd]' config.json)" \
		'["1.2.0","rootfs",["sh"],"/"]'
	# As runc's: pid, network, ipc, uts and mount namespaces (box adds cgroup).
	jq -e '[.linux.namespaces[].type] as $n | ["pid", "network", "ipc", "uts", "mount"] - $n == []
		and ($n | index("user") == null)' config.json >/dev/null ||
		fail "namespaces: $(jq -c .linux.namespaces config.json)"
	# --bundle DIR writes there.
	mkdir "$BATS_TEST_TMPDIR/other"
	run box spec --bundle "$BATS_TEST_TMPDIR/other"
	assert_success
	assert_file_exists "$BATS_TEST_TMPDIR/other/config.json"
	# The issue's "box spec && box run --bundle . ID".
	ln -s "$ROOTFS" "$dir/rootfs"
	run --separate-stderr spec_run . cli8 'echo from-sh; hostname; exit 4'
	assert_failure 4
	assert_output "$(printf 'from-sh\nbox')"
}

# points: 1
@test "spec refuses to overwrite a config.json, as runc's" {
	local dir=$BATS_TEST_TMPDIR/edited
	mkdir "$dir"
	echo '{"edited": true}' > "$dir/config.json"
	cd "$dir"
	run --separate-stderr box spec
	assert_failure 1
	assert_one_line_on_stderr
	assert_regex "$stderr" '^box: .*config\.json.*exists'
	assert_equal "$(cat config.json)" '{"edited": true}'
	run --separate-stderr box spec --rootless --bundle "$dir"
	assert_failure 1
	assert_one_line_on_stderr
	assert_equal "$(cat config.json)" '{"edited": true}'
}

# points: 2
@test "spec --rootless, as runc's: a user namespace mapping the caller alone, no network namespace, the host's /sys bound" {
	# An ordinary user writes it (helpers.bash's as_user: nobody): the
	# mappings are the caller's own ids. bats makes its run directory
	# 0700; o+x lets nobody reach its own directory below.
	chmod o+x "$BATS_RUN_TMPDIR"
	local dir=$BATS_TEST_TMPDIR/rootless
	mkdir "$dir"
	chown nobody:nogroup "$dir"
	run --separate-stderr as_user "$BOX" spec --rootless --bundle "$dir"
	assert_success
	assert_equal "$stderr" ""
	local config=$dir/config.json uid gid
	uid=$(id -u nobody)
	gid=$(getent group nogroup | cut -d: -f3)
	assert_equal "$(jq -c .linux.uidMappings "$config")" "[{\"containerID\":0,\"hostID\":$uid,\"size\":1}]"
	assert_equal "$(jq -c .linux.gidMappings "$config")" "[{\"containerID\":0,\"hostID\":$gid,\"size\":1}]"
	assert_equal "$(jq -c .process.user "$config")" '{"uid":0,"gid":0}'
	# runc's namespaces: pid, ipc, uts, mount, user; never network (an
	# ordinary user's new one would have loopback alone).
	jq -e '[.linux.namespaces[].type] as $n | ["pid", "ipc", "uts", "mount", "user"] - $n == []
		and ($n | index("network") == null)' "$config" >/dev/null ||
		fail "namespaces: $(jq -c .linux.namespaces "$config")"
	# sysfs needs the network namespace's owner: the host's /sys, bound read-only.
	assert_equal "$(jq -c '.mounts[] | select(.destination == "/sys") | [.type, .source, (.options | sort)]' "$config")" \
		'["none","/sys",["nodev","noexec","nosuid","rbind","ro"]]'
	# No ids that are not mapped (devpts' gid=5), no cgroup limits.
	run jq -r '.mounts[].options[]? | select(test("^[ug]id="))' "$config"
	assert_output ""
	assert_equal "$(jq -c '.linux.resources' "$config")" null
}

# points: 2
@test "state is the OCI state JSON: ociVersion, id, status, pid, bundle, created and the config's annotations" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"] | .annotations = {"org.example.cli": "yes", "org.example.n": "2"}'
	# A relative --bundle: the state says where it is.
	cd "$BATS_TEST_TMPDIR"
	run_detached create --bundle bundle --pid-file pid cli9
	assert_success
	run --separate-stderr rt state cli9
	assert_success
	assert_equal "$stderr" ""
	local state=$output
	assert_equal "$(jq -c '[.ociVersion, .id, .status, .bundle]' <<<"$state")" \
		"[\"1.2.0\",\"cli9\",\"created\",\"$BUNDLE\"]"
	assert_equal "$(jq -r .pid <<<"$state")" "$(cat pid)"
	assert [ -e "/proc/$(cat pid)" ]
	assert_equal "$(jq -c .annotations <<<"$state")" '{"org.example.cli":"yes","org.example.n":"2"}'
	is_rfc3339 "$(jq -r .created <<<"$state")" || fail "created: $(jq -r .created <<<"$state")"
	run rt start cli9
	assert_success
	assert_equal "$(state_of cli9 status)" running
	run rt kill cli9 KILL
	assert_success
	status_wait cli9 stopped
	# Stopped: no process any more, pid 0 (runc's).
	assert_equal "$(state_of cli9 pid)" 0
}

# points: 2
@test "list --format json: every container's state, with its owner, as runc's" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" cli10
	assert_success
	bundle_edit "$BUNDLE" '.annotations = {"org.example.cli": "listed"}'
	run_detached run --detach --bundle "$BUNDLE" cli11
	assert_success
	run --separate-stderr rt list --format json
	assert_success
	assert_equal "$stderr" ""
	local list=$output
	jq -e 'type == "array" and length == 2' <<<"$list" >/dev/null || fail "not an array of two: $list"
	assert_equal "$(jq -r '.[] | "\(.id) \(.status) \(.pid) \(.bundle) \(.ociVersion)"' <<<"$list")" \
		"$(printf 'cli10 created %s %s 1.2.0\ncli11 running %s %s 1.2.0' \
			"$(state_of cli10 pid)" "$BUNDLE" "$(state_of cli11 pid)" "$BUNDLE")"
	assert_equal "$(jq -c '.[1].annotations' <<<"$list")" '{"org.example.cli":"listed"}'
	# runc's list names each container's owner (its state's owner, by name).
	assert_equal "$(jq -r '[.[].owner] | join(" ")' <<<"$list")" "root root"
}
