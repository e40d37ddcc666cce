# The final runtime, bad configs and bad input: each refused with one line
# on stderr that names the field by its path (or the file by its line and
# column) and the reason, status 1, and nothing left behind: no state
# directory, no cgroup, no mount, no process. Hostile roots (symlinks out
# of the root at mount destinations, /proc and /dev replaced by symlinks)
# are handled inside the root or refused, never followed onto the host.

load runtime

setup() {
	runtime_setup
}

teardown() {
	runtime_teardown
}

# create ID [OPTIONS...] with the test's bundle, as run_detached (a create
# that wrongly succeeded would leave its process holding bats' pipe), but
# with stderr apart: $output, $stderr, $stderr_lines, $status.
create_run() { # ID [CREATE OPTION...]
	local id=$1
	shift
	status=0
	rt create --bundle "$BUNDLE" "$@" -- "$id" </dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	stderr=$(cat "$BATS_TEST_TMPDIR/err")
	mapfile -t stderr_lines <"$BATS_TEST_TMPDIR/err"
}

# Nothing of container ID is left: no state directory under --root, no
# cgroup box/ID (v1's per controller, v2's, this hybrid host's), no mount
# of the test's files in the host's table, no process of this --root.
assert_nothing_left() { # ID
	local id=$1 dir pid
	# (An ID that is not a name, "err/a" or "..", is checked by its test.)
	if [[ "$id" =~ ^[A-Za-z0-9_+.-]+$ && "$id" != . && "$id" != .. ]]; then
		[ ! -e "$RT_ROOT/$id" ] || fail "a state directory is left: $RT_ROOT/$id: $(ls -A "$RT_ROOT/$id")"
		for dir in /sys/fs/cgroup/box/"$id" /sys/fs/cgroup/*/box/"$id"; do
			[ ! -e "$dir" ] || fail "a cgroup is left: $dir"
		done
	fi
	run rt list --quiet
	assert_success
	assert_output ""
	! grep -F -- "$BATS_TEST_TMPDIR" /proc/self/mountinfo || fail "a mount of the test's files is left"
	for dir in /proc/[0-9]*; do
		pid=${dir#/proc/}
		[ "$pid" != "$$" ] || continue
		if tr '\0' '\n' 2>/dev/null <"$dir/cmdline" | grep -qxF -- "$RT_ROOT"; then
			fail "a process of this --root is left: $pid: $(tr '\0' ' ' <"$dir/cmdline")"
		fi
		case "$(readlink "$dir/cwd" 2>/dev/null)" in
		"$BATS_TEST_TMPDIR"/*) fail "a process is left in the test's files: $pid: $(tr '\0' ' ' <"$dir/cmdline")" ;;
		esac
	done
}

# create ID fails with status 1 and the one line EXPECTED, and leaves nothing.
assert_create_refused() { # ID EXPECTED
	create_run "$1"
	assert_failure 1
	assert_one_line_on_stderr
	assert_equal "$stderr" "$2"
	assert_nothing_left "$1"
}

# As assert_create_refused, for a line that matches the extended REGEX.
assert_create_refused_like() { # ID REGEX
	create_run "$1"
	assert_failure 1
	assert_one_line_on_stderr
	[[ "$stderr" =~ $2 ]] || fail "stderr does not match /$2/: $stderr"
	assert_nothing_left "$1"
}

# The bundle's config.json as box spec made it, then edited with FILTER.
config_from_spec() { # FILTER
	cp "$BATS_TEST_TMPDIR/spec.json" "$BUNDLE/config.json"
	bundle_edit "$BUNDLE" "$1"
}

# A writable copy of the rootfs as the bundle's root: $ROOT.
root_copy() {
	ROOT=$BATS_TEST_TMPDIR/rootfs-copy
	cp -a "$ROOTFS" "$ROOT"
	bundle_edit "$BUNDLE" '.root.path = $root' --arg root "$ROOT"
}

# config.json written as it is given (for errors of the JSON text itself).
config_text() { # PRINTF-FORMAT [ARG...]
	# shellcheck disable=SC2059
	printf "$@" >"$BUNDLE/config.json"
}

# The container's process prints "MOUNTPOINT FSTYPE" for each of its mounts
# whose mount point matches the extended REGEX (then runs the sh SCRIPT).
args_mounts_matching() { # REGEX [SCRIPT]
	local program='{ for (i = 7; $i != "-"; i++); if ($5 ~ m) print $5, $(i + 1) }'
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", "awk -v m=\"$M\" \"$P\" /proc/self/mountinfo; " + $script] |
		.process.env += ["M=" + $m, "P=" + $p]' --arg m "$1" --arg p "$program" --arg script "${2:-}"
}

# points: 3
@test "a field of the wrong type or out of range is refused with one line naming its path, status 1, nothing left" {
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/spec.json"
	local n=0 filter expected
	while IFS='|' read -r filter expected; do
		[ -n "$filter" ] || continue
		n=$((n + 1))
		config_from_spec "$filter"
		assert_create_refused "err$n" "$expected"
	done <<'TABLE'
.process.args = "sh"|box: config.json: process.args: expected an array
.process.args = [1]|box: config.json: process.args[0]: expected a string
.process.args = []|box: config.json: process.args: missing: the command to run
.process.env[1] = 1|box: config.json: process.env[1]: expected a string
.process.cwd = "tmp"|box: config.json: process.cwd: "tmp" is not an absolute path
.process.user.uid = "0"|box: config.json: process.user.uid: expected an integer
.process.user.uid = -1|box: config.json: process.user.uid: -1 is out of range (0 to 4294967294)
.process.user.gid = 4294967296|box: config.json: process.user.gid: 4294967296 is out of range (0 to 4294967294)
.process.noNewPrivileges = "true"|box: config.json: process.noNewPrivileges: expected true or false
.process.rlimits[0].type = "RLIMIT_BOGUS"|box: config.json: process.rlimits[0].type: not a resource limit (RLIMIT_NOFILE, ...)
.process.rlimits[0].soft = 1.5|box: config.json: process.rlimits[0].soft: expected an integer
.process.capabilities.bounding = ["CAP_CHOWN", "CAP_BOGUS"]|box: config.json: process.capabilities.bounding[1]: "CAP_BOGUS" is not a capability of this kernel
.process.capabilities.effective[0] = "NET_RAW"|box: config.json: process.capabilities.effective[0]: "NET_RAW" is not a capability of this kernel
.process = []|box: config.json: process: expected an object
.linux.resources.memory = {"limit": "64m"}|box: config.json: linux.resources.memory.limit: expected an integer
.linux.resources.memory = {"limit": -5}|box: config.json: linux.resources.memory.limit: -5 is out of range (-1 to 9223372036854775807)
.linux.resources.pids = {"limit": 1.5}|box: config.json: linux.resources.pids.limit: expected an integer
.mounts[0].destination = "proc"|box: config.json: mounts[0].destination: "proc" is not an absolute path
.mounts = {}|box: config.json: mounts: expected an array
.hostname = {}|box: config.json: hostname: expected a string
.annotations = {"a": 1}|box: config.json: annotations.a: expected a string
.linux.namespaces = "pid"|box: config.json: linux.namespaces: expected an array
.root.path = 5|box: config.json: root.path: expected a string
del(.ociVersion)|box: config.json: ociVersion: missing
.ociVersion = 1|box: config.json: ociVersion: expected a string
.ociVersion = "2.0.0"|box: config.json: ociVersion: "2.0.0": this runtime speaks 1.0 to 1.2
.ociVersion = "0.9.0"|box: config.json: ociVersion: "0.9.0": this runtime speaks 1.0 to 1.2
.ociVersion = "1.3.0"|box: config.json: ociVersion: "1.3.0": this runtime speaks 1.0 to 1.2
TABLE
	[ "$n" -ge 20 ] || fail "the table was not read: $n rows"
}

# points: 1
@test "a missing config.json, or a missing bundle, is refused with one line naming the file" {
	rm "$BUNDLE/config.json"
	assert_create_refused_like err1 "^box: .*$(realpath "$BUNDLE")/config\.json.*: No such file or directory$"
	BUNDLE=$BATS_TEST_TMPDIR/no-such-bundle
	assert_create_refused_like err2 "^box: .*$BUNDLE.*: No such file or directory$"
}

# points: 1
@test "a root.path that does not exist, or is a file, is refused naming root.path" {
	local bundle
	bundle=$(realpath "$BUNDLE")
	bundle_edit "$BUNDLE" '.root.path = "no-such-root"'
	assert_create_refused err1 "box: config.json: root.path: $bundle/no-such-root: No such file or directory"
	bundle_edit "$BUNDLE" '.root.path = "config.json"'
	assert_create_refused err2 "box: config.json: root.path: $bundle/config.json: not a directory"
}

# points: 2
@test "an unknown namespace type and a namespace listed twice are refused naming linux.namespaces[N].type" {
	local count
	count=$(jq '.linux.namespaces | length' "$BUNDLE/config.json")
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/spec.json"
	config_from_spec '.linux.namespaces += [{"type": "bogus"}]'
	assert_create_refused err1 "box: config.json: linux.namespaces[$count].type: \"bogus\" is not a namespace type (pid, network, mount, ipc, uts, user, cgroup, time)"
	config_from_spec '.linux.namespaces += [{"type": "pid"}]'
	assert_create_refused err2 "box: config.json: linux.namespaces[$count].type: the same namespace twice"
	config_from_spec '.linux.namespaces += [{"type": "network", "path": "/proc/self/ns/net"}]'
	assert_create_refused err3 "box: config.json: linux.namespaces[$count].type: the same namespace twice"
}

# points: 1
@test "a namespace path that does not exist is refused naming linux.namespaces[N].path and the reason" {
	local missing=$BATS_TEST_TMPDIR/no-such-netns index
	index=$(jq '[.linux.namespaces[].type] | index("network")' "$BUNDLE/config.json")
	bundle_edit "$BUNDLE" '.linux.namespaces[$i].path = $p' --argjson i "$index" --arg p "$missing"
	assert_create_refused_like err1 "^box: (config\.json: )?linux\.namespaces\[$index\]\.path: .*No such file or directory"
	bundle_edit "$BUNDLE" '.linux.namespaces[$i].path = "no-such-netns"' --argjson i "$index"
	assert_create_refused err2 "box: config.json: linux.namespaces[$index].path: \"no-such-netns\" is not an absolute path"
}

# points: 1
@test "intelRdt is refused as not supported, never silently skipped" {
	bundle_edit "$BUNDLE" '.linux.intelRdt = {"closID": "errrdt", "l3CacheSchema": "L3:0=ff"}'
	assert_create_refused err1 "box: config.json: linux.intelRdt: not supported: Intel RDT: this host has no resctrl"
}

# points: 1
@test "a hugepage limit on a page size this machine lacks is refused naming the limit and the size" {
	local size="" candidate kb
	for candidate in 64KB 32MB 512MB 16GB; do
		kb=${candidate%??}
		case "$candidate" in *MB) kb=$((kb * 1024)) ;; *GB) kb=$((kb * 1024 * 1024)) ;; esac
		[ -e "/sys/kernel/mm/hugepages/hugepages-${kb}kB" ] || { size=$candidate; break; }
	done
	[ -n "$size" ] || fail "this machine has every page size tried"
	bundle_edit "$BUNDLE" '.linux.resources.hugepageLimits = [{"pageSize": $s, "limit": 0}]' --arg s "$size"
	assert_create_refused_like err1 "^box: (config\.json: )?linux\.resources\.hugepageLimits\[0\](\.pageSize)?: .*$size"
}

# points: 2
@test "an unknown field anywhere is ignored, as the spec says: the container runs" {
	bundle_edit "$BUNDLE" '.process.args = ["echo", "ran"] | .errUnknown = {"a": [1, {"b": null}]} |
		.process.errUnknown = "x" | .process.user.errUnknown = 1 | .root.errUnknown = true |
		.mounts[0].errUnknown = [] | .linux.errUnknown = {} | .linux.resources.errUnknown = 5 |
		.linux.namespaces[0].errUnknown = "y"'
	run --separate-stderr rt run --bundle "$BUNDLE" err1
	assert_success
	assert_output ran
	assert_equal "$stderr" ""
	assert_nothing_left err1
}

# points: 3
@test "a mount destination under a symlink out of the root lands inside the root, never on the host path" {
	root_copy
	# /etc/escape -> a path that the root has and the host has not.
	local outside=$BATS_TEST_TMPDIR/outside
	mkdir -p "$ROOT$outside"
	ln -s "$outside" "$ROOT/etc/escape"
	bundle_edit "$BUNDLE" '.mounts += [{"destination": "/etc/escape/mnt", "type": "tmpfs", "source": "tmpfs"}]'
	args_mounts_matching "^$outside/mnt\$"
	run --separate-stderr rt run --bundle "$BUNDLE" err1
	assert_success
	assert_output "$outside/mnt tmpfs"
	[ -d "$ROOT$outside/mnt" ] || fail "no $outside/mnt inside the root"
	[ ! -e "$outside" ] || fail "the host path $outside appeared"
	assert_nothing_left err1
}

# points: 2
@test "a mount destination under a symlink to / lands inside the root, never on the host" {
	root_copy
	ln -s / "$ROOT/evil"
	# /evil/$host is the root's own $host inside; on the host, $host itself.
	local host=$BATS_TEST_TMPDIR/hostmark
	bundle_edit "$BUNDLE" '.mounts += [{"destination": ("/evil" + $h), "type": "tmpfs", "source": "tmpfs"}]' --arg h "$host"
	args_mounts_matching "^$host\$"
	run --separate-stderr rt run --bundle "$BUNDLE" err1
	assert_success
	assert_output "$host tmpfs"
	[ -d "$ROOT$host" ] || fail "no $host inside the root"
	[ ! -e "$host" ] || fail "the host path $host appeared"
	assert_nothing_left err1
}

# points: 1
@test "a dangling symlink out of the root at a mount destination is refused with one line, or made inside the root" {
	root_copy
	local outside=$BATS_TEST_TMPDIR/outside index
	ln -s "$outside" "$ROOT/etc/escape"
	bundle_edit "$BUNDLE" '.mounts += [{"destination": "/etc/escape/mnt", "type": "tmpfs", "source": "tmpfs"}]'
	index=$(($(jq '.mounts | length' "$BUNDLE/config.json") - 1))
	args_mounts_matching "^$outside/mnt\$"
	run --separate-stderr rt run --bundle "$BUNDLE" err1
	if [ "$status" -eq 0 ]; then
		assert_output "$outside/mnt tmpfs"
		[ -d "$ROOT$outside/mnt" ] || fail "no $outside/mnt inside the root"
	else
		assert_failure 1
		assert_one_line_on_stderr
		[[ "$stderr" == "box: "*"mounts[$index]"*"/etc/escape"* ]] || fail "not a line on mounts[$index]: $stderr"
	fi
	[ ! -e "$outside" ] || fail "the host path $outside appeared"
	assert_nothing_left err1
}

# points: 3
@test "/proc and /dev replaced by symlinks to host paths are mounted inside the root; the host paths stay empty" {
	root_copy
	local host=$BATS_TEST_TMPDIR/host
	mkdir -p "$host/proc" "$host/dev" "$ROOT$host/proc" "$ROOT$host/dev"
	rm -rf "${ROOT:?}/proc" "${ROOT:?}/dev"
	ln -s "$host/proc" "$ROOT/proc"
	ln -s "$host/dev" "$ROOT/dev"
	args_mounts_matching "^$host/(proc|dev|dev/pts)\$" 'cat /proc/1/comm; echo x > /dev/null && echo null'
	run --separate-stderr rt run --bundle "$BUNDLE" err1
	if [ "$status" -eq 0 ]; then
		assert_line "$host/proc proc"
		assert_line "$host/dev tmpfs"
		assert_line "$host/dev/pts devpts"
		assert_line sh
		assert_line null
	else
		assert_failure 1
		assert_one_line_on_stderr
		[[ "$stderr" == *"/proc"* || "$stderr" == *"/dev"* ]] || fail "the line names neither: $stderr"
	fi
	run ls -A "$host/proc" "$host/dev"
	assert_output "$host/dev:

$host/proc:"
	assert_nothing_left err1
}

# points: 2
@test "an ID with / or .., an empty one, or one longer than 255 characters is refused before anything is made" {
	local long dir
	long=$(printf 'e%.0s' {1..256})
	assert_create_refused err/a 'box: container id "err/a": only letters, digits and "_+-."'
	assert_create_refused .. 'box: container id "..": only letters, digits and "_+-."'
	assert_create_refused ../err1 'box: container id "../err1": only letters, digits and "_+-."'
	assert_create_refused "" 'box: container id "": 1 to 255 characters'
	assert_create_refused "$long" "box: container id \"${long:0:64}\": 1 to 255 characters"
	[ ! -e "$RT_ROOT" ] || assert_equal "$(ls -A "$RT_ROOT")" ""
	[ ! -e "$BATS_TEST_TMPDIR/err1" ] || fail "../err1 made $BATS_TEST_TMPDIR/err1"
	run find "$BATS_TEST_TMPDIR" -name state.json -o -name exec.fifo -o -name lock
	assert_output ""
	for dir in /sys/fs/cgroup/box/err /sys/fs/cgroup/*/box/err /sys/fs/cgroup/err1 /sys/fs/cgroup/*/err1 \
		/sys/fs/cgroup/box/"$long" /sys/fs/cgroup/*/box/"$long"; do
		[ ! -e "$dir" ] || fail "a cgroup is left: $dir"
	done
}

# points: 2
@test "create of an ID that exists is refused and leaves the existing container as it was" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" err1
	assert_success
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	create_run err1 --pid-file "$BATS_TEST_TMPDIR/pid2"
	assert_failure 1
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: container err1 already exists"
	[ ! -e "$BATS_TEST_TMPDIR/pid2" ] || fail "the refused create wrote a pid file: $(cat "$BATS_TEST_TMPDIR/pid2")"
	assert_equal "$(state_of err1 status)" created
	assert_equal "$(state_of err1 pid)" "$pid"
	run rt list --quiet
	assert_output err1
	run rt start err1
	assert_success
	assert_equal "$(cat "/proc/$pid/comm")" sleep
}

# points: 2
@test "every verb on a missing ID says it does not exist, status 1; delete --force of one succeeds silently" {
	local line args
	while read -r line; do
		read -ra args <<<"$line"
		run --separate-stderr rt "${args[@]}" <<<'{}'
		assert_failure 1
		assert_one_line_on_stderr
		assert_equal "$stderr" "box: container err1 does not exist"
	done <<'VERBS'
state err1
start err1
kill err1
kill err1 KILL
delete err1
pause err1
resume err1
ps err1
events --stats err1
exec err1 true
update --resources - err1
VERBS
	run --separate-stderr rt delete --force err1
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_nothing_left err1
}

# points: 1
@test "an unknown option of a verb is refused with one line naming it, status 1" {
	local verb
	for verb in state start kill delete pause exec; do
		run --separate-stderr rt "$verb" --errbogus err1
		assert_failure 1
		assert_one_line_on_stderr
		[[ "$stderr" == "box: $verb: "*"--errbogus"* ]] || fail "$verb: not one line naming --errbogus: $stderr"
	done
	create_run err1 --errbogus
	assert_failure 1
	assert_one_line_on_stderr
	[[ "$stderr" == "box: create: "*"--errbogus"* ]] || fail "create: not one line naming --errbogus: $stderr"
	assert_nothing_left err1
}

# points: 1
@test "kill with a signal that is not one is refused naming it; the container is as it was" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" err1
	assert_success
	local signal
	for signal in SIGBOGUS BOGUS 99 1.5 ""; do
		run --separate-stderr rt kill err1 "$signal"
		assert_failure 1
		assert_one_line_on_stderr
		assert_equal "$stderr" "box: kill: \"$signal\" is not a signal (TERM, SIGKILL, 9, ...) (see box kill --help)"
	done
	assert_equal "$(state_of err1 status)" created
	run rt kill err1 KILL
	assert_success
	status_wait err1 stopped
}

# points: 2
@test "config.json that is not JSON, or not an object, is refused with its line and column" {
	config_text '{"ociVersion": "1.2.0",\n "root": {"path": "rootfs"},\n "process": {"args": ["true"],}\n}\n'
	assert_create_refused err1 "box: config.json: line 3, column 31: string or '}' expected near '}'"
	config_text '{"ociVersion": "1.2.0",\n "root": {"path": "rootfs"\n'
	assert_create_refused err2 "box: config.json: line 3, column 0: '}' expected near end of file"
	config_text '{"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["true"]}} trailing\n'
	assert_create_refused err3 "box: config.json: line 1, column 91: end of file expected near 'trailing'"
	config_text ''
	assert_create_refused err4 "box: config.json: line 1, column 0: '[' or '{' expected near end of file"
	config_text '[]\n'
	assert_create_refused err5 "box: config.json: expected a JSON object"
}

# points: 1
@test "duplicate keys in config.json are refused naming the key and where" {
	config_text '{"ociVersion": "1.2.0", "root": {"path": "rootfs"},\n "process": {"args": ["true"]},\n "hostname": "box", "hostname": "other"}\n'
	assert_create_refused err1 "box: config.json: line 3, column 30: duplicate object key near '\"hostname\"'"
	config_text '{"ociVersion": "1.2.0", "root": {"path": "rootfs", "path": "/"}, "process": {"args": ["true"]}}\n'
	assert_create_refused err2 "box: config.json: line 1, column 57: duplicate object key near '\"path\"'"
}

# points: 1
@test "invalid UTF-8 in config.json is refused with its line and column" {
	config_text '{"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["true"]}, "hostname": "b\xffx"}\n'
	assert_create_refused err1 "box: config.json: line 1, column 97: unable to decode byte 0xff near '\"b'"
	# A UTF-16 surrogate, encoded as UTF-8: not a character.
	config_text '{"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["true"]}, "hostname": "\xed\xa0\x80"}\n'
	assert_create_refused err2 "box: config.json: line 1, column 96: unable to decode byte 0xed near '\"'"
}

# points: 1
@test "100000 nested arrays in an annotation are refused with one line, not a crash" {
	config_text '{"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["true"]}, "annotations": {"deep": %s%s}}\n' \
		"$(printf '[%.0s' {1..100000})" "$(printf ']%.0s' {1..100000})"
	assert_create_refused_like err1 "^box: config\.json: line 1, column [0-9]+: maximum parsing depth reached near '\['$"
}

# points: 1
@test "a huge number is refused: an integer past 64 bits, a real that overflows, one out of its field's range" {
	local head='{"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["true"]}, "linux": {"resources": {"pids": {"limit": '
	config_text '%s%s}}}}\n' "$head" 99999999999999999999999999999
	assert_create_refused_like err1 "^box: config\.json: line 1, column [0-9]+: too big integer"
	config_text '%s%s}}}}\n' "$head" 9223372036854775808
	assert_create_refused err2 "box: config.json: line 1, column 144: too big integer near '9223372036854775808'"
	config_text '%s%s}}}}\n' "$head" 1e999
	assert_create_refused err3 "box: config.json: line 1, column 130: real number overflow near '1e999'"
	config_text '%s%s}}}}\n' "$head" -9223372036854775808
	assert_create_refused err4 "box: config.json: linux.resources.pids.limit: -9223372036854775808 is out of range (-1 to 9223372036854775807)"
}
