# The final runtime, config.json: each feature the runtime supports, seen
# from inside the container (its /proc/self files, mountinfo, what its
# system calls do) and, where there is something to see, from outside (the
# host's /proc/PID files, the cgroup, the state JSON, the bundle's files).
#
# Most tests run the bundle in the foreground (`box run`, which captures the
# output); the outside view is of the same bundle run detached, its process
# replaced by `sleep 1000` (detached_sleep).

load runtime

setup() {
	runtime_setup
	TEST_MOUNTS=()
	SLEEP_PIDS=()
}

teardown() {
	runtime_teardown
	local pid mount
	for pid in "${SLEEP_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	for mount in "${TEST_MOUNTS[@]}"; do
		umount "$mount" || echo "teardown: umount $mount failed" >&2
	done
}

# The bundle's process.args, ARGS... (no JSON quoting to get wrong). One
# --arg at a time: jq 1.6 reads options even after --args ("sh -c" is -c).
bundle_args() { # ARG...
	local args='[]' arg
	for arg in "$@"; do
		args=$(jq -c --arg arg "$arg" '. + [$arg]' <<< "$args") || fail "jq: $arg"
	done
	bundle_edit "$BUNDLE" '.process.args = $args' --argjson args "$args"
}

# The outside view: the bundle run detached as container ID, its process
# `sleep 1000` (same user, capabilities, namespaces, ...). Sets PID, its
# host PID.
detached_sleep() { # ID
	bundle_args sleep 1000
	run_detached run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/$1.pid" "$1"
	assert_success
	PID=$(cat "$BATS_TEST_TMPDIR/$1.pid")
	[ -d "/proc/$PID" ] || fail "container $1's process $PID is gone: $output"
}

# The last (topmost) mount at MOUNTPOINT in the mountinfo text on stdin,
# as "OPTIONS|OPTIONAL FIELDS|TYPE|SUPER OPTIONS":
#   "ro,nosuid,relatime|shared:3|tmpfs|rw,size=8192k,mode=710"
mountinfo_of() { # MOUNTPOINT
	awk -v point="$1" '$5 == point {
		optional = ""
		for (i = 7; $i != "-"; i++)
			optional = optional (optional == "" ? "" : " ") $i
		line = $6 "|" optional "|" $(i + 1) "|" $(i + 3)
	} END { print line }'
}

# The comma-separated LIST has (or, with !, lacks) OPTION.
assert_option() { # LIST OPTION
	[[ ",$1," == *",$2,"* ]] || fail "expected $2 in $1"
}
refute_option() { # LIST OPTION
	[[ ",$1," != *",$2,"* ]] || fail "expected no $2 in $1"
}

# The capability sets of the process (inside: /proc/self/status), "CapEff: 0000000000000400".
CAPS='grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status'

# The host's file of cgroup FILE in container ID's pids cgroup (v1 or v2).
pids_cgroup_file() { # ID FILE
	if grep -qw pids /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		echo "/sys/fs/cgroup/box/$1/$2"
	else
		echo "/sys/fs/cgroup/pids/box/$1/$2"
	fi
}

# points: 2
@test "process.args, env and cwd: the command with its arguments, exactly the config's environment, in cwd" {
	bundle_edit "$BUNDLE" '.process.cwd = "/usr/local" |
		.process.env = ["PATH=/usr/bin:/bin", "GREETING=hello world", "EMPTY="]'
	bundle_args sh -c 'printf "[%s]\n" "$0" "$@"; tr "\0" "\n" < /proc/1/environ; pwd' zero "one two" ""
	run rt run --bundle "$BUNDLE" cfg1
	assert_success
	assert_line --index 0 "[zero]"
	assert_line --index 1 "[one two]"
	assert_line --index 2 "[]"
	assert_line "PATH=/usr/bin:/bin"
	assert_line "GREETING=hello world"
	assert_line "EMPTY="
	refute_line --partial "TERM=" # box spec's, replaced by the config's env
	assert_line "/usr/local"
	# Outside: the process's own command line, environment and directory.
	detached_sleep cfg1o
	assert_equal "$(tr '\0' ' ' < "/proc/$PID/cmdline")" "sleep 1000 "
	grep -qzx "GREETING=hello world" "/proc/$PID/environ" || fail "GREETING not in $PID's environment"
	assert_equal "$(stat -L -c %d:%i "/proc/$PID/cwd")" "$(stat -c %d:%i "$ROOTFS/usr/local")"
}

# points: 2
@test "process.user: uid, gid, additionalGids and umask, in /proc/self/status and on the files it makes" {
	bundle_tmp "$BUNDLE"
	bundle_edit "$BUNDLE" '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [10, 1002], "umask": 23}'
	bundle_args sh -c 'grep -E "^(Uid|Gid|Groups|Umask):" /proc/self/status; umask
		touch /tmp/file; mkdir /tmp/dir; stat -c "%n %a %u:%g" /tmp/file /tmp/dir'
	run rt run --bundle "$BUNDLE" cfg2
	assert_success
	assert_line --regexp '^Uid:\s+1000\s+1000\s+1000\s+1000$'
	assert_line --regexp '^Gid:\s+1001\s+1001\s+1001\s+1001$'
	assert_line --regexp '^Groups:\s+10 1002\s*$'
	assert_line --regexp '^Umask:\s+0027$'
	assert_line "0027"
	assert_line "/tmp/file 640 1000:1001" # 0666 & ~027
	assert_line "/tmp/dir 750 1000:1001"  # 0777 & ~027
	detached_sleep cfg2o
	run grep -E "^(Uid|Gid|Groups|Umask):" "/proc/$PID/status"
	assert_line --regexp '^Uid:\s+1000\s+1000\s+1000\s+1000$'
	assert_line --regexp '^Gid:\s+1001\s+1001\s+1001\s+1001$'
	assert_line --regexp '^Groups:\s+10 1002\s*$'
	assert_line --regexp '^Umask:\s+0027$'
}

# points: 3
@test "process.capabilities as root: bounding, permitted, effective, inheritable and ambient are the config's" {
	# bounding = permitted = effective: CHOWN (0) KILL (5) NET_BIND_SERVICE (10)
	# SYS_CHROOT (18); inheritable NET_BIND_SERVICE, SYS_CHROOT; ambient
	# NET_BIND_SERVICE. (Root's exec keeps these as they are: its permitted
	# set becomes bounding | inheritable.) No CAP_MKNOD: mknod fails.
	bundle_tmp "$BUNDLE"
	bundle_edit "$BUNDLE" '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
		"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
		"effective": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
		"inheritable": ["CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
		"ambient": ["CAP_NET_BIND_SERVICE"]}'
	bundle_args sh -c "$CAPS; mknod /tmp/null c 1 3 || echo mknod refused; touch /tmp/f && chown 1:1 /tmp/f && echo chown done"
	run rt run --bundle "$BUNDLE" cfg3
	assert_success
	assert_line --regexp '^CapBnd:\s+0000000000040421$'
	assert_line --regexp '^CapPrm:\s+0000000000040421$'
	assert_line --regexp '^CapEff:\s+0000000000040421$'
	assert_line --regexp '^CapInh:\s+0000000000040400$'
	assert_line --regexp '^CapAmb:\s+0000000000000400$'
	assert_line --partial "Operation not permitted"
	assert_line "mknod refused"
	assert_line "chown done"
	detached_sleep cfg3o
	run grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" "/proc/$PID/status"
	assert_line --regexp '^CapBnd:\s+0000000000040421$'
	assert_line --regexp '^CapPrm:\s+0000000000040421$'
	assert_line --regexp '^CapEff:\s+0000000000040421$'
	assert_line --regexp '^CapInh:\s+0000000000040400$'
	assert_line --regexp '^CapAmb:\s+0000000000000400$'
}

# points: 2
@test "process.capabilities for an ordinary user: the ambient set survives exec as its permitted and effective" {
	# uid 1000; bounding CHOWN DAC_OVERRIDE (1) KILL NET_BIND_SERVICE SYS_CHROOT;
	# inheritable KILL NET_BIND_SERVICE; permitted = effective = ambient =
	# NET_BIND_SERVICE (what a non-root exec keeps: the ambient set).
	bundle_edit "$BUNDLE" '.process.user = {"uid": 1000, "gid": 1000} | .process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"],
		"permitted": ["CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_NET_BIND_SERVICE"]}'
	bundle_args sh -c "$CAPS"
	run rt run --bundle "$BUNDLE" cfg4
	assert_success
	assert_line --regexp '^CapBnd:\s+0000000000040423$'
	assert_line --regexp '^CapPrm:\s+0000000000000400$'
	assert_line --regexp '^CapEff:\s+0000000000000400$'
	assert_line --regexp '^CapInh:\s+0000000000000420$'
	assert_line --regexp '^CapAmb:\s+0000000000000400$'
	detached_sleep cfg4o
	run grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" "/proc/$PID/status"
	assert_line --regexp '^CapBnd:\s+0000000000040423$'
	assert_line --regexp '^CapPrm:\s+0000000000000400$'
	assert_line --regexp '^CapEff:\s+0000000000000400$'
	assert_line --regexp '^CapInh:\s+0000000000000420$'
	assert_line --regexp '^CapAmb:\s+0000000000000400$'
}

# points: 2
@test "process.rlimits: each limit's soft and hard values, in /proc/self/limits and ulimit" {
	bundle_edit "$BUNDLE" '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 2048},
		{"type": "RLIMIT_CORE", "soft": 4096, "hard": 8192}]'
	bundle_args sh -c 'grep -E "^Max (open files|core file size)" /proc/self/limits; echo "nofile $(ulimit -n) $(ulimit -Hn)"'
	run rt run --bundle "$BUNDLE" cfg5
	assert_success
	assert_line --regexp '^Max open files +512 +2048 +files'
	assert_line --regexp '^Max core file size +4096 +8192 +bytes'
	assert_line "nofile 512 2048"
	detached_sleep cfg5o
	run grep -E "^Max (open files|core file size)" "/proc/$PID/limits"
	assert_line --regexp '^Max open files +512 +2048 +files'
	assert_line --regexp '^Max core file size +4096 +8192 +bytes'
}

# points: 2
@test "process.noNewPrivileges: true sets NoNewPrivs, false leaves it off" {
	bundle_args grep NoNewPrivs /proc/self/status
	bundle_edit "$BUNDLE" '.process.noNewPrivileges = true'
	run rt run --bundle "$BUNDLE" cfg6
	assert_success
	assert_output --regexp '^NoNewPrivs:\s+1$'
	detached_sleep cfg6o
	run grep NoNewPrivs "/proc/$PID/status"
	assert_output --regexp '^NoNewPrivs:\s+1$'

	bundle_args grep NoNewPrivs /proc/self/status
	bundle_edit "$BUNDLE" '.process.noNewPrivileges = false'
	run rt run --bundle "$BUNDLE" cfg6f
	assert_success
	assert_output --regexp '^NoNewPrivs:\s+0$'
	detached_sleep cfg6fo
	run grep NoNewPrivs "/proc/$PID/status"
	assert_output --regexp '^NoNewPrivs:\s+0$'
}

# points: 1
@test "process.oomScoreAdj: the process's oom_score_adj" {
	bundle_edit "$BUNDLE" '.process.oomScoreAdj = 500'
	bundle_args cat /proc/self/oom_score_adj
	run rt run --bundle "$BUNDLE" cfg7
	assert_success
	assert_output 500
	detached_sleep cfg7o
	assert_equal "$(cat "/proc/$PID/oom_score_adj")" 500
}

# points: 2
@test "root.readonly true: / is mounted ro and a write there fails with EROFS; the root is untouched" {
	bundle_edit "$BUNDLE" '.root.readonly = true'
	bundle_args sh -c 'cat /proc/self/mountinfo; echo x > /cfg8-proof || echo "write refused"'
	run rt run --bundle "$BUNDLE" cfg8
	assert_success
	local root
	root=$(mountinfo_of / <<< "$output")
	assert_option "${root%%|*}" ro
	assert_line --partial "Read-only file system"
	assert_line "write refused"
	assert_file_not_exists "$ROOTFS/cfg8-proof"
}

# points: 2
@test "root.readonly false: / is mounted rw and what the process writes lands in the bundle's root" {
	# A root of this test's own: the built-in one is every test's.
	cp -a "$ROOTFS/." "$BATS_TEST_TMPDIR/rootfs"
	bundle_edit "$BUNDLE" '.root = {"path": $root, "readonly": false}' --arg root "$BATS_TEST_TMPDIR/rootfs"
	bundle_args sh -c 'cat /proc/self/mountinfo; echo written > /cfg9-proof && echo "write done"'
	run rt run --bundle "$BUNDLE" cfg9
	assert_success
	local root
	root=$(mountinfo_of / <<< "$output")
	assert_option "${root%%|*}" rw
	assert_line "write done"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rootfs/cfg9-proof")" written
}

# points: 1
@test "hostname: the container's, in its own UTS namespace; the host's stays" {
	local host
	host=$(hostname)
	bundle_edit "$BUNDLE" '.hostname = "cfg10-host"'
	bundle_args sh -c 'hostname; cat /proc/sys/kernel/hostname'
	run rt run --bundle "$BUNDLE" cfg10
	assert_success
	assert_output "cfg10-host
cfg10-host"
	detached_sleep cfg10o
	assert_equal "$(nsenter --target "$PID" --uts hostname)" cfg10-host
	assert_equal "$(hostname)" "$host"
}

# points: 1
@test "domainname: the container's NIS domain name, in its own UTS namespace; the host's stays" {
	local host
	host=$(cat /proc/sys/kernel/domainname)
	bundle_edit "$BUNDLE" '.domainname = "cfg11.example.test"'
	bundle_args cat /proc/sys/kernel/domainname
	run rt run --bundle "$BUNDLE" cfg11
	assert_success
	assert_output cfg11.example.test
	detached_sleep cfg11o
	assert_equal "$(nsenter --target "$PID" --uts cat /proc/sys/kernel/domainname)" cfg11.example.test
	assert_equal "$(cat /proc/sys/kernel/domainname)" "$host"
}

# points: 3
@test "a bind mount with ro, nosuid, nodev, noexec: the flags in mountinfo, and writes, exec and devices refused; a plain bind is writable" {
	local locked=$BATS_TEST_TMPDIR/locked open=$BATS_TEST_TMPDIR/open
	mkdir "$locked" "$open"
	printf '#!/bin/sh\necho ran\n' > "$locked/run.sh"
	cp "$locked/run.sh" "$open/run.sh"
	chmod 755 "$locked/run.sh" "$open/run.sh"
	mknod "$locked/null" c 1 3
	bundle_edit "$BUNDLE" '.mounts += [
		{"destination": "/home", "type": "bind", "source": $locked, "options": ["bind", "ro", "nosuid", "nodev", "noexec"]},
		{"destination": "/root", "type": "bind", "source": $open, "options": ["bind"]}]' \
		--arg locked "$locked" --arg open "$open"
	bundle_args sh -c 'cat /proc/self/mountinfo
		echo x > /home/new || echo "write refused"
		/home/run.sh || echo "exec refused"
		cat /home/null || echo "device refused"
		/root/run.sh; echo hi > /root/new && echo "write done"'
	run rt run --bundle "$BUNDLE" cfg12
	assert_success
	local home root
	home=$(mountinfo_of /home <<< "$output")
	root=$(mountinfo_of /root <<< "$output")
	assert_option "${home%%|*}" ro
	assert_option "${home%%|*}" nosuid
	assert_option "${home%%|*}" nodev
	assert_option "${home%%|*}" noexec
	assert_option "${root%%|*}" rw
	refute_option "${root%%|*}" noexec
	assert_line "write refused"
	assert_line "exec refused"
	assert_line "device refused"
	assert_line "ran"
	assert_line "write done"
	assert_equal "$(cat "$open/new")" hi
	assert_file_not_exists "$locked/new"
}

# points: 2
@test "rbind brings the mounts under the source along; bind does not" {
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree/sub"
	mount -t tmpfs -o size=1m cfg13 "$tree/sub"
	TEST_MOUNTS+=("$tree/sub")
	touch "$tree/sub/marker"
	bundle_edit "$BUNDLE" '.mounts += [
		{"destination": "/home", "type": "bind", "source": $tree, "options": ["bind", "ro"]},
		{"destination": "/root", "type": "bind", "source": $tree, "options": ["rbind", "ro"]}]' \
		--arg tree "$tree"
	bundle_args sh -c 'cat /proc/self/mountinfo; echo "bind: $(ls /home/sub)"; echo "rbind: $(ls /root/sub)"'
	run rt run --bundle "$BUNDLE" cfg13
	assert_success
	assert_line "bind: "
	assert_line "rbind: marker"
	local sub
	sub=$(mountinfo_of /root/sub <<< "$output")
	assert_equal "$(cut -d'|' -f3 <<< "$sub")" tmpfs
	assert_equal "$(mountinfo_of /home/sub <<< "$output")" ""
}

# points: 2
@test "a tmpfs mount: its size and mode as the options say, and nothing of it in the bundle's root" {
	bundle_edit "$BUNDLE" '.mounts += [{"destination": "/run", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "size=8m", "mode=0710"]}]'
	bundle_args sh -c 'cat /proc/self/mountinfo; stat -c "mode %a" /run
		dd if=/dev/zero of=/run/big bs=1M count=9 2>&1 || echo "9m refused"'
	run rt run --bundle "$BUNDLE" cfg14
	assert_success
	local run_mount
	run_mount=$(mountinfo_of /run <<< "$output")
	assert_equal "$(cut -d'|' -f3 <<< "$run_mount")" tmpfs
	assert_option "$(cut -d'|' -f4 <<< "$run_mount")" size=8192k
	assert_option "$(cut -d'|' -f4 <<< "$run_mount")" mode=710
	assert_option "${run_mount%%|*}" nosuid
	assert_option "${run_mount%%|*}" nodev
	assert_line "mode 710"
	assert_line --partial "No space left on device"
	assert_line "9m refused"
	assert_file_not_exists "$ROOTFS/run/big"
}

# points: 2
@test "a proc mount: the container's PID namespace's processes; without it /proc is empty" {
	bundle_args sh -c 'cat /proc/self/mountinfo; echo "pid $$"; echo "init $(tr "\0" " " < /proc/1/cmdline)"'
	run rt run --bundle "$BUNDLE" cfg15
	assert_success
	local proc
	proc=$(mountinfo_of /proc <<< "$output")
	assert_equal "$(cut -d'|' -f3 <<< "$proc")" proc
	assert_line "pid 1"
	assert_line --regexp '^init sh -c cat /proc/self/mountinfo'
	# The proc mount is the config's: without it, nothing there.
	bundle_edit "$BUNDLE" '.mounts |= map(select(.destination != "/proc"))'
	bundle_args sh -c 'echo "proc: $(ls -A /proc)"'
	run rt run --bundle "$BUNDLE" cfg15n
	assert_success
	assert_output "proc: "
}

# points: 1
@test "a sysfs mount, ro: sysfs of the container's network namespace, and read-only" {
	bundle_args sh -c 'cat /proc/self/mountinfo; echo "net: $(ls /sys/class/net)"; touch /sys/cfg16 || echo "write refused"'
	run rt run --bundle "$BUNDLE" cfg16
	assert_success
	local sys
	sys=$(mountinfo_of /sys <<< "$output")
	assert_equal "$(cut -d'|' -f3 <<< "$sys")" sysfs
	assert_option "${sys%%|*}" ro
	assert_option "${sys%%|*}" nosuid
	assert_option "${sys%%|*}" nodev
	assert_option "${sys%%|*}" noexec
	assert_line "net: lo"
	assert_line "write refused"
}

# points: 2
@test "a devpts mount: a new instance with the options' modes and gid, not the host's" {
	bundle_edit "$BUNDLE" '(.mounts[] | select(.destination == "/dev/pts") | .options) =
		["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0600", "gid=5"]'
	bundle_args sh -c 'cat /proc/self/mountinfo; echo "pts: $(ls /dev/pts)"'
	run rt run --bundle "$BUNDLE" cfg17
	assert_success
	local pts super
	pts=$(mountinfo_of /dev/pts <<< "$output")
	assert_equal "$(cut -d'|' -f3 <<< "$pts")" devpts
	super=$(cut -d'|' -f4 <<< "$pts")
	assert_option "$super" mode=600
	assert_option "$super" ptmxmode=666
	assert_option "$super" gid=5
	assert_option "${pts%%|*}" nosuid
	assert_option "${pts%%|*}" noexec
	assert_line "pts: ptmx"
	# Its device number is none of the host's devpts instances'.
	local inside
	inside=$(awk '$5 == "/dev/pts" { print $3 }' <<< "$output" | tail -n 1)
	run awk -v dev="$inside" '$3 == dev && / - devpts /' /proc/self/mountinfo
	assert_output ""
}

# points: 1
@test "an mqueue mount: the IPC namespace's message queues, nosuid, nodev, noexec" {
	bundle_args sh -c 'cat /proc/self/mountinfo; echo "queues: $(ls -A /dev/mqueue)"; touch /dev/mqueue/cfg18 && cat /dev/mqueue/cfg18'
	run rt run --bundle "$BUNDLE" cfg18
	assert_success
	local mq
	mq=$(mountinfo_of /dev/mqueue <<< "$output")
	assert_equal "$(cut -d'|' -f3 <<< "$mq")" mqueue
	assert_option "${mq%%|*}" nosuid
	assert_option "${mq%%|*}" nodev
	assert_option "${mq%%|*}" noexec
	assert_line "queues: "
	assert_line --regexp '^QSIZE:0 +NOTIFY:0'
}

# points: 2
@test "a cgroup mount: read-only, the container's own cgroup at its root; outside, the container's cgroup holds its process" {
	local procs=/sys/fs/cgroup/pids/cgroup.procs
	! grep -qw pids /sys/fs/cgroup/cgroup.controllers 2>/dev/null || procs=/sys/fs/cgroup/cgroup.procs
	bundle_args sh -c 'cat /proc/self/mountinfo; echo procs: $(cat "$0")
		[ -e "${0%/*}/pids.max" ] && echo "pids.max at the root"
		echo x > /sys/fs/cgroup/cfg19 || echo "write refused"' "$procs"
	run rt run --bundle "$BUNDLE" cfg19
	assert_success
	local cg
	cg=$(mountinfo_of "$(dirname "$procs")" <<< "$output")
	[[ "$(cut -d'|' -f3 <<< "$cg")" == cgroup* ]] || fail "no cgroup mount at $(dirname "$procs"): $cg"
	assert_option "${cg%%|*}" ro
	# In its own cgroup namespace, by PIDs of its own: PID 1 is the container's.
	assert_line --regexp '^procs: 1( [0-9]+)*$'
	# The mount's root is the container's cgroup, not the hierarchy's (whose root has no pids.max).
	assert_line "pids.max at the root"
	assert_line "write refused"
	detached_sleep cfg19o
	run cat "$(pids_cgroup_file cfg19o cgroup.procs)"
	assert_output "$PID"
}

# points: 3
@test "propagation on a bind: rshared makes a peer group (shared:N), rslave a slave of it (master:N), rprivate neither" {
	local volume=$BATS_TEST_TMPDIR/volume root
	mkdir "$volume"
	root=$(realpath "$ROOTFS")
	# /home: the volume, shared. /root and /var/tmp: binds of that mount,
	# named by its path in box's mount namespace (the root is bound onto
	# itself there, as runc and crun do): the peer group of /home, then
	# made a slave of it, or private.
	bundle_edit "$BUNDLE" '.mounts += [
		{"destination": "/home", "type": "bind", "source": $volume, "options": ["rbind", "rshared"]},
		{"destination": "/root", "type": "bind", "source": ($root + "/home"), "options": ["rbind", "rslave"]},
		{"destination": "/var/tmp", "type": "bind", "source": ($root + "/home"), "options": ["rbind", "rprivate"]}]' \
		--arg volume "$volume" --arg root "$root"
	bundle_args cat /proc/self/mountinfo
	run rt run --bundle "$BUNDLE" cfg20
	assert_success
	local shared slave private group
	shared=$(mountinfo_of /home <<< "$output" | cut -d'|' -f2)
	slave=$(mountinfo_of /root <<< "$output" | cut -d'|' -f2)
	private=$(mountinfo_of /var/tmp <<< "$output" | cut -d'|' -f2)
	[[ "$shared" =~ ^shared:([0-9]+)$ ]] || fail "/home: expected shared:N, got \"$shared\""
	group=${BASH_REMATCH[1]}
	assert_equal "$slave" "master:$group"
	assert_equal "$private" ""
}

# points: 1
@test "annotations are kept in the state JSON" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "1000"] |
		.annotations = {"org.example.cfg": "twenty one", "org.example.empty": ""}'
	run_detached create --bundle "$BUNDLE" cfg21
	assert_success
	assert_equal "$(rt state cfg21 | jq -c .annotations)" '{"org.example.cfg":"twenty one","org.example.empty":""}'
	run rt start cfg21
	assert_success
	assert_equal "$(rt state cfg21 | jq -c .annotations)" '{"org.example.cfg":"twenty one","org.example.empty":""}'
}

# points: 3
@test "linux.namespaces: each type listed is new (its inode differs from the host's); one not listed is the host's" {
	# pid, network, uts, mount, cgroup new; ipc left out: the host's.
	bundle_edit "$BUNDLE" '.linux.namespaces |= map(select(.type != "ipc"))'
	bundle_args sh -c 'for ns in pid net uts mnt cgroup ipc; do echo "$ns $(readlink /proc/self/ns/$ns)"; done'
	run rt run --bundle "$BUNDLE" cfg22
	assert_success
	local ns
	for ns in pid net uts mnt cgroup; do
		assert_line --regexp "^$ns $ns:\[[0-9]+\]$"
		refute_line "$ns $(readlink /proc/self/ns/$ns)"
	done
	assert_line "ipc $(readlink /proc/self/ns/ipc)"
	detached_sleep cfg22o
	for ns in pid net uts mnt cgroup; do
		assert_not_equal "$(readlink "/proc/$PID/ns/$ns")" "$(readlink /proc/self/ns/$ns)"
	done
	assert_equal "$(readlink "/proc/$PID/ns/ipc")" "$(readlink /proc/self/ns/ipc)"
}

# points: 3
@test "linux.namespaces joined by path: the network, UTS and IPC namespaces of a process the test started" {
	unshare --net --uts --ipc sleep infinity > /dev/null 2>&1 3>&- &
	local holder=$! tries
	SLEEP_PIDS+=("$holder")
	for tries in $(seq 100); do
		[ "$(readlink "/proc/$holder/ns/uts")" != "$(readlink /proc/self/ns/uts)" ] && break
		sleep 0.01
	done
	nsenter --target "$holder" --uts hostname cfg23-joined
	# A documentation address on its lo, to know the namespace by inside.
	nsenter --target "$holder" --net ip addr add 192.0.2.23/32 dev lo
	# The joined UTS namespace keeps its name: no hostname in the config.
	bundle_edit "$BUNDLE" 'del(.hostname) | .linux.namespaces |= map(select(.type != "network" and .type != "uts" and .type != "ipc")) |
		.linux.namespaces += [{"type": "network", "path": "/proc/\($pid)/ns/net"},
			{"type": "uts", "path": "/proc/\($pid)/ns/uts"}, {"type": "ipc", "path": "/proc/\($pid)/ns/ipc"}]' \
		--arg pid "$holder"
	bundle_args sh -c 'for ns in net uts ipc; do echo "$ns $(readlink /proc/self/ns/$ns)"; done; hostname; ip -o addr show dev lo'
	run rt run --bundle "$BUNDLE" cfg23
	assert_success
	local ns
	for ns in net uts ipc; do
		assert_line "$ns $(readlink "/proc/$holder/ns/$ns")"
	done
	assert_line cfg23-joined
	assert_line --partial "inet 192.0.2.23/32"
	detached_sleep cfg23o
	for ns in net uts ipc; do
		assert_equal "$(readlink "/proc/$PID/ns/$ns")" "$(readlink "/proc/$holder/ns/$ns")"
	done
	assert_not_equal "$(readlink "/proc/$PID/ns/mnt")" "$(readlink "/proc/$holder/ns/mnt")"
}

# points: 2
@test "a user namespace with uidMappings and gidMappings: root inside, the mapped ids outside" {
	# The root by its own path: the mapped root (host uid 100000) cannot
	# pass through the test's directory (0700) to the bundle's rootfs link.
	bundle_edit "$BUNDLE" '.root.path = $root' --arg root "$(realpath "$ROOTFS")"
	bundle_edit "$BUNDLE" '.linux.namespaces += [{"type": "user"}] |
		.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
		.linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	bundle_args sh -c 'echo "uid_map $(cat /proc/self/uid_map)"; echo "gid_map $(cat /proc/self/gid_map)"; id'
	run rt run --bundle "$BUNDLE" cfg24
	assert_success
	assert_line --regexp '^uid_map +0 +100000 +65536$'
	assert_line --regexp '^gid_map +0 +200000 +65536$'
	assert_line "uid=0(root) gid=0(root)"
	detached_sleep cfg24o
	assert_not_equal "$(readlink "/proc/$PID/ns/user")" "$(readlink /proc/self/ns/user)"
	run grep -E '^(Uid|Gid):' "/proc/$PID/status"
	assert_line --regexp '^Uid:\s+100000\s+100000\s+100000\s+100000$'
	assert_line --regexp '^Gid:\s+200000\s+200000\s+200000\s+200000$'
}

# points: 2
@test "a time namespace with linux.timeOffsets: boottime moved on in /proc/uptime, both offsets in timens_offsets" {
	[ -e /proc/self/ns/time ] || skip "kernel lacks time namespaces"
	bundle_edit "$BUNDLE" '.linux.namespaces += [{"type": "time"}] |
		.linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 172800, "nanosecs": 0}}'
	bundle_args sh -c 'echo "uptime $(cut -d" " -f1 /proc/uptime)"; cat /proc/self/timens_offsets; echo "time $(readlink /proc/self/ns/time)"'
	local before after inside
	before=$(cut -d' ' -f1 /proc/uptime)
	run rt run --bundle "$BUNDLE" cfg25
	after=$(cut -d' ' -f1 /proc/uptime)
	assert_success
	assert_line --regexp '^monotonic +86400 +0$'
	assert_line --regexp '^boottime +172800 +0$'
	refute_line "time $(readlink /proc/self/ns/time)"
	inside=$(sed -n 's/^uptime //p' <<< "$output")
	# The host's uptime before and after the run, plus the offset, bound it.
	awk -v b="$before" -v a="$after" -v i="$inside" 'BEGIN { exit !(i >= b + 172800 && i <= a + 172800) }' ||
		fail "uptime inside $inside is not the host's ($before..$after) + 172800"
	detached_sleep cfg25o
	run cat "/proc/$PID/timens_offsets"
	assert_line --regexp '^monotonic +86400 +0$'
	assert_line --regexp '^boottime +172800 +0$'
}

# points: 2
@test "linux.devices: the nodes made in the container's /dev, with their type, numbers, mode and owner" {
	bundle_edit "$BUNDLE" '.linux.devices = [
		{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 416, "uid": 1000, "gid": 1001},
		{"path": "/dev/cfgfifo", "type": "p", "fileMode": 384}]'
	bundle_args sh -c 'stat -c "%n %F %t:%T %a %u:%g" /dev/mynull /dev/cfgfifo; echo hi > /dev/mynull && echo "read: $(cat /dev/mynull)"'
	run rt run --bundle "$BUNDLE" cfg26
	assert_success
	assert_line "/dev/mynull character special file 1:3 640 1000:1001"
	assert_line "/dev/cfgfifo fifo 0:0 600 0:0"
	assert_line "read: "
	assert_file_not_exists "$ROOTFS/dev/mynull"
}

# points: 2
@test "linux.sysctl: written in the container's namespaces, read back inside; the host's stay" {
	local shm forward
	shm=$(cat /proc/sys/kernel/shm_rmid_forced)
	forward=$(cat /proc/sys/net/ipv4/ip_forward)
	bundle_edit "$BUNDLE" '.linux.sysctl = {"kernel.shm_rmid_forced": $shm, "net.ipv4.ip_forward": $forward}' \
		--arg shm "$((1 - shm))" --arg forward "$((1 - forward))"
	bundle_args sh -c 'echo "shm $(cat /proc/sys/kernel/shm_rmid_forced)"; echo "forward $(cat /proc/sys/net/ipv4/ip_forward)"'
	run rt run --bundle "$BUNDLE" cfg27
	assert_success
	assert_line "shm $((1 - shm))"
	assert_line "forward $((1 - forward))"
	assert_equal "$(cat /proc/sys/kernel/shm_rmid_forced)" "$shm"
	assert_equal "$(cat /proc/sys/net/ipv4/ip_forward)" "$forward"
}

# points: 2
@test "linux.maskedPaths: a masked file reads empty, a masked directory is empty; what is not listed is not masked" {
	bundle_edit "$BUNDLE" '.linux.maskedPaths = ["/etc/group", "/usr/local/bin"]'
	bundle_args sh -c 'echo "group $(wc -c < /etc/group)"; echo "bin $(ls -A /usr/local/bin)"
		echo "timer_list $(head -c 5 /proc/timer_list | wc -c)"; touch /usr/local/bin/x || echo "write refused"'
	run rt run --bundle "$BUNDLE" cfg28
	assert_success
	assert_line "group 0"
	assert_line "bin "
	assert_line "timer_list 5" # box spec masks it; this config does not
	assert_line "write refused"
	[ -s "$ROOTFS/etc/group" ] || fail "the root's /etc/group was emptied"
	assert_file_exists "$ROOTFS/usr/local/bin/probe"
}

# points: 2
@test "linux.readonlyPaths: a write under one fails with EROFS, next to it succeeds" {
	local volume=$BATS_TEST_TMPDIR/volume
	mkdir -p "$volume/sub"
	bundle_edit "$BUNDLE" '.mounts += [{"destination": "/home", "type": "bind", "source": $volume, "options": ["rbind"]}] |
		.linux.readonlyPaths = ["/home/sub", "/proc/sys"]' --arg volume "$volume"
	bundle_args sh -c 'echo a > /home/file && echo "write done"
		echo b > /home/sub/file || echo "sub refused"
		echo cfg29 > /proc/sys/kernel/domainname || echo "sysctl refused"'
	run rt run --bundle "$BUNDLE" cfg29
	assert_success
	assert_line "write done"
	assert_line "sub refused"
	assert_line "sysctl refused"
	[ "$(grep -c "Read-only file system" <<< "$output")" -eq 2 ] || fail "expected two EROFS: $output"
	assert_equal "$(cat "$volume/file")" a
	assert_file_not_exists "$volume/sub/file"
}

# points: 2
@test "linux.rootfsPropagation: rshared makes the root a shared mount; without it the root is private" {
	bundle_args cat /proc/self/mountinfo
	bundle_edit "$BUNDLE" '.linux.rootfsPropagation = "rshared"'
	run rt run --bundle "$BUNDLE" cfg30
	assert_success
	local root
	root=$(mountinfo_of / <<< "$output" | cut -d'|' -f2)
	[[ "$root" =~ ^shared:[0-9]+$ ]] || fail "/: expected shared:N, got \"$root\""
	bundle_edit "$BUNDLE" 'del(.linux.rootfsPropagation)'
	run rt run --bundle "$BUNDLE" cfg30p
	assert_success
	assert_equal "$(mountinfo_of / <<< "$output" | cut -d'|' -f2)" ""
}

# points: 1
@test "linux.personality LINUX32: uname -m says i686 inside; LINUX: x86_64" {
	bundle_edit "$BUNDLE" '.linux.personality = {"domain": "LINUX32"}'
	bundle_args uname -m
	run rt run --bundle "$BUNDLE" cfg31
	assert_success
	assert_output i686
	detached_sleep cfg31o
	assert_equal "$(cat "/proc/$PID/personality")" 00000008 # PER_LINUX32
	bundle_edit "$BUNDLE" '.linux.personality = {"domain": "LINUX"}'
	bundle_args uname -m
	run rt run --bundle "$BUNDLE" cfg31l
	assert_success
	assert_output x86_64
}

# points: 3
@test "linux.seccomp in the OCI format: mkdir gets its errnoRet, EPERM; everything else runs; no seccomp, no filter" {
	bundle_edit "$BUNDLE" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
	bundle_args sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /dev/cfg32 || echo "mkdir refused"; echo x > /dev/shm/f && echo "write done"'
	run rt run --bundle "$BUNDLE" cfg32
	assert_success
	assert_line --regexp '^Seccomp:\s+2$'
	assert_line "mkdir: can't create directory '/dev/cfg32': Operation not permitted"
	assert_line "mkdir refused"
	assert_line "write done"
	detached_sleep cfg32o
	run grep "^Seccomp:" "/proc/$PID/status"
	assert_output --regexp '^Seccomp:\s+2$'
	# Without linux.seccomp, no filter at all.
	bundle_edit "$BUNDLE" 'del(.linux.seccomp)'
	bundle_args sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /dev/cfg32 && echo "mkdir done"'
	run rt run --bundle "$BUNDLE" cfg32n
	assert_success
	assert_line --regexp '^Seccomp:\s+0$'
	assert_line "mkdir done"
}

# points: 2
@test "linux.seccomp with defaultAction SCMP_ACT_ERRNO: a call the profile does not allow fails with defaultErrnoRet" {
	# What busybox's sh, grep and mkdir need is allowed; mkdir is not, so it
	# gets the default: ENOSYS (38).
	bundle_edit "$BUNDLE" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
		"architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["arch_prctl", "brk", "capget", "capset", "chdir", "clone",
			"clone3", "close", "close_range", "dup", "dup2", "dup3", "execve", "exit", "exit_group", "fchdir", "fcntl",
			"fstat", "futex", "getcwd", "getdents64", "getegid", "geteuid", "getgid", "getpid", "getppid", "getrandom",
			"getuid", "ioctl", "lseek", "lstat", "mmap", "mprotect", "munmap", "newfstatat", "open", "openat", "pipe",
			"pipe2", "prctl", "prlimit64", "read", "readlink", "rseq", "rt_sigaction", "rt_sigprocmask",
			"rt_sigreturn", "set_robust_list", "set_tid_address", "setgid", "setgroups", "setresgid", "setresuid",
			"setuid", "sigaltstack", "stat", "statx", "umask", "uname", "vfork", "wait4", "write", "writev"]}]}'
	bundle_args sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /dev/cfg33 || echo "mkdir refused"'
	run rt run --bundle "$BUNDLE" cfg33
	assert_success
	assert_line --regexp '^Seccomp:\s+2$'
	assert_line "mkdir: can't create directory '/dev/cfg33': Function not implemented"
	assert_line "mkdir refused"
}
