# The final runtime under podman (issue 14): podman 4 and conmon drive box
# in place of runc, on an image imported from the built-in rootfs. Each test
# checks what the container sees (its /proc/self/status, mounts, uid) or
# what the kernel holds for it (its cgroup under /box/pmsuite), and, where
# it matters, which calls podman and conmon made to box (a logging runtime,
# "boxlog", in front of box). runc, under the same podman, is the reference.
#
# Hermetic: podman's storage, run root, tmp dir, events, locks, network
# configuration and containers.conf live in the suite's directory; every
# container's cgroup parent is /box/pmsuite (podman's own default,
# /libpod_parent, is outside box/); the default network is none, and the
# bridge test runs podman in a network namespace the test made. What podman
# writes whatever its configuration says (its blob cache in
# /var/lib/containers, CNI's cache in /var/lib/cni, runc's /run/runc) is
# removed at the end if the suite made it.

load engines

setup_file() {
	command -v podman > /dev/null && command -v conmon > /dev/null ||
		skip "podman or conmon is not installed (make deps installs them)"
	export PM_T=$BATS_FILE_TMPDIR
	export PM_GROUP=box/pmsuite
	export PM_IMAGE=localhost/boxroot
	export PM_CALLS=$PM_T/calls.log
	export PM_CATATONIT=/usr/libexec/podman/catatonit
	engines_absent_record "$PM_T/absent" /var/lib/containers /var/lib/cni /run/containers \
		/run/libpod /run/netns /run/runc /etc/cni/net.d/cni.lock /dev/shm/libpod_lock
	mkdir -p "$PM_T/tmp" "$PM_T/cni" "$PM_T/cni-ipam"
	engines_logging_runtime "$PM_T/boxlog" "$BOX" "$PM_CALLS"
	# The machine's podman configuration is not read: this one names box
	# (the default runtime) and its logging twin in runtime_supports_json,
	# so that podman passes them --log-format=json --log FILE.
	# default_ulimits: this machine's root lacks CAP_SYS_RESOURCE, and podman
	# lowers its own RLIMIT_NPROC to 32768 while it asks the container for
	# nofile 1048576 and the machine's nproc: every runtime, runc too, then
	# fails ("setrlimit: operation not permitted"). Small limits are allowed.
	# netns none: the default network mode; podman's bridge only when a test
	# asks for it (--network pmbridge), in a namespace of its own.
	cat > "$PM_T/containers.conf" <<-EOF
	[containers]
	netns = "none"
	default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

	[engine]
	runtime = "box"
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	lock_type = "file"
	pull_policy = "never"
	tmp_dir = "$PM_T/tmp"
	static_dir = "$PM_T/root/libpod"
	volume_path = "$PM_T/root/volumes"
	image_copy_tmp_dir = "$PM_T/tmp"
	runtime_supports_json = ["box", "boxlog", "runc"]

	[engine.runtimes]
	box = ["$BOX"]
	boxlog = ["$PM_T/boxlog"]
	runc = ["$(command -v runc || echo /usr/sbin/runc)"]

	[network]
	network_backend = "cni"
	default_network = "pmbridge"
	network_config_dir = "$PM_T/cni"
	EOF
	cat > "$PM_T/storage.conf" <<-EOF
	[storage]
	driver = "vfs"
	graphroot = "$PM_T/root"
	runroot = "$PM_T/runroot"
	EOF
	: > "$PM_T/registries.conf"
	# The bridge of the bridge test, its addresses from RFC 5737, its leases
	# in the suite's directory.
	cat > "$PM_T/cni/pmbridge.conflist" <<-EOF
	{
	  "cniVersion": "0.4.0",
	  "name": "pmbridge",
	  "plugins": [
	    {
	      "type": "bridge", "bridge": "pmbr0", "isGateway": true, "ipMasq": true,
	      "ipam": {
	        "type": "host-local", "dataDir": "$PM_T/cni-ipam",
	        "routes": [{ "dst": "0.0.0.0/0" }],
	        "ranges": [[{ "subnet": "192.0.2.0/24", "gateway": "192.0.2.1" }]]
	      }
	    },
	    { "type": "firewall" }
	  ]
	}
	EOF
	# podman as this suite runs it, also for script(1) (run -t).
	cat > "$PM_T/podman" <<-EOF
	#!/bin/sh
	export CONTAINERS_CONF="$PM_T/containers.conf" CONTAINERS_STORAGE_CONF="$PM_T/storage.conf"
	export CONTAINERS_REGISTRIES_CONF="$PM_T/registries.conf" TMPDIR="$PM_T/tmp"
	exec podman --root "$PM_T/root" --runroot "$PM_T/runroot" --storage-driver vfs --tmpdir "$PM_T/tmp" "\$@"
	EOF
	chmod +x "$PM_T/podman"
	tar -C "$ROOTFS" -cf "$PM_T/rootfs.tar" . || return 1
	pm import "$PM_T/rootfs.tar" "$PM_IMAGE" > /dev/null ||
		{ echo "podman import failed" >&2; return 1; }
}

teardown_file() {
	[ -n "${PM_T:-}" ] || return 0
	pm rm --all --force --time 0 > /dev/null 2>&1
	engines_end_group "$PM_GROUP"
	cgroup_remove_tree "$PM_GROUP"
	engines_unmount_under "$PM_T"
	engines_absent_remove "$PM_T/absent"
}

teardown() {
	local id PM_IDS=()
	for id in $(pm ps --all --quiet --no-trunc 2>/dev/null); do
		PM_IDS+=("$id")
	done
	pm rm --all --force --time 0 > /dev/null 2>&1
	engines_end_group "$PM_GROUP"
	# box's state of a container podman lost (its default root: podman
	# calls box without --root).
	for id in "${PM_IDS[@]}"; do
		"$BOX" delete --force "$id" 2> /dev/null
	done
	engines_end_pids ${NETNS_PID:-}
	rm -rf "${PM_VOLUME:-/nonexistent}"
}

# podman of this suite, under the suite's timeout; never with bats' fd 3
# (conmon would hold it, and bats would wait for it).
pm() {
	timeout --foreground --kill-after=10 "${BOX_TEST_TIMEOUT:-300}" "$PM_T/podman" "$@" 3>&-
}

# podman run in the suite's cgroup parent.
pm_run() {
	pm run --cgroup-parent "/$PM_GROUP" "$@"
}

# (conmon passes the container's stdout and stderr on through two pipes: a
# test that wants their order sends stderr to stdout inside, exec 2>&1.)

# podman inspect's FORMAT of a container.
pm_inspect() { # CONTAINER FORMAT
	pm inspect --format "$2" "$1"
}

# Wait until container NAME's log has a line TEXT (10 s at most).
pm_log_wait() { # NAME TEXT
	local tries
	for tries in $(seq 100); do
		pm logs "$1" 2> /dev/null | grep -qx -- "$2" && return 0
		sleep 0.1
	done
	fail "$1 did not log \"$2\": $(pm logs "$1" 2>&1)"
}

# The calls podman and conmon made to boxlog for container ID, one a line,
# the ID and the container's directories shortened: "conmon: create ...".
pm_calls() { # ID
	grep -F -- "$1" "$PM_CALLS" | sed "s|$PM_T|T|g; s|$1|ID|g"
}

# points: 3
@test "podman run --rm with box prints the command's output; conmon called box create, podman start and delete --force" {
	: > "$PM_CALLS"
	run --separate-stderr pm_run --rm --runtime boxlog --name pm1 "$PM_IMAGE" echo hi
	assert_success
	assert_output hi
	local id
	id=$(grep -o 'create .*' "$PM_CALLS" | awk '{ print $NF }')
	[ -n "$id" ] || fail "no create in $(cat "$PM_CALLS")"
	run pm_calls "$id"
	# runtime_supports_json names boxlog: podman asks for JSON errors in a log.
	assert_line --index 0 --regexp '^conmon: --log-format=json --log T/runroot/vfs-containers/ID/userdata/oci-log create --bundle T/root/vfs-containers/ID/userdata --pid-file T/runroot/vfs-containers/ID/userdata/pidfile ID$'
	assert_line --index 1 'podman: start ID'
	assert_line --regexp '^podman: delete --force ID$'
	run "$BOX" state "$id"
	assert_failure
	assert_output --partial "does not exist"
}

# points: 1
@test "podman run's exit status is the command's" {
	run pm_run --rm "$PM_IMAGE" sh -c 'exit 7'
	assert_failure 7
	run pm_run --rm "$PM_IMAGE" false
	assert_failure 1
	run pm_run --rm "$PM_IMAGE" true
	assert_success
}

# points: 1
@test "podman reports box's error for a command that cannot run: 127 when it is missing, 126 when it is not executable" {
	run -127 --separate-stderr pm_run --rm "$PM_IMAGE" /nonexistent
	assert_failure 127
	assert_equal "$stderr" 'Error: box: exec "/nonexistent": No such file or directory: OCI runtime attempted to invoke a command that was not found'
	run -126 --separate-stderr pm_run --rm "$PM_IMAGE" /etc/passwd
	assert_failure 126
	assert_equal "$stderr" 'Error: box: exec "/etc/passwd": Permission denied: OCI permission denied'
}

# points: 3
@test "podman run -d, ps, logs, exec, top: the container runs under box, in its cgroup under /box/pmsuite" {
	run pm_run -d --name pm2 "$PM_IMAGE" sh -c 'echo started; exec sleep 100'
	assert_success
	local id=$output pid
	pm_log_wait pm2 started
	run pm ps --format '{{.Names}} {{.Status}}'
	assert_output --regexp '^pm2 Up '
	pid=$(pm_inspect pm2 '{{.State.Pid}}')
	# box's own state: podman calls box without --root (its default /run/box).
	run "$BOX" state "$id"
	assert_success
	assert_equal "$(jq -r .status <<< "$output")" running
	assert_equal "$(jq -r .pid <<< "$output")" "$pid"
	cgroup_procs "$PM_GROUP/libpod-$id" | grep -qx "$pid" || fail "$pid is not in $PM_GROUP/libpod-$id"
	run pm exec pm2 sh -c 'echo "in $(cat /proc/1/comm) $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/pid)"; exit 5'
	assert_failure 5
	assert_output "in sleep $(readlink "/proc/$pid/ns/mnt") $(readlink "/proc/$pid/ns/pid")"
	run pm top pm2
	assert_success
	assert_line --regexp '^root +1 +0 .* sleep 100 *$'
}

# points: 2
@test "podman pause freezes the container's cgroup and box says paused; unpause thaws it" {
	run pm_run -d --name pm3 "$PM_IMAGE" sleep 100
	assert_success
	local id=$output group=$PM_GROUP/libpod-$output
	assert_equal "$(cgroup_frozen "$group")" thawed
	run pm pause pm3
	assert_success
	assert_equal "$(cgroup_frozen "$group")" frozen
	assert_equal "$(pm_inspect pm3 '{{.State.Status}}')" paused
	assert_equal "$("$BOX" state "$id" | jq -r .status)" paused
	run pm unpause pm3
	assert_success
	assert_equal "$(cgroup_frozen "$group")" thawed
	assert_equal "$(pm_inspect pm3 '{{.State.Status}}')" running
	assert_equal "$("$BOX" state "$id" | jq -r .status)" running
}

# points: 3
@test "podman stop sends TERM (a trapping command exits its own way), then KILL after --time when TERM is ignored; rm leaves nothing" {
	: > "$PM_CALLS"
	run pm_run -d --runtime boxlog --name pm4 "$PM_IMAGE" sh -c 'trap "exit 3" TERM; echo ready; sleep 100 & wait'
	assert_success
	local trapping=$output
	run pm_run -d --runtime boxlog --name pm5 "$PM_IMAGE" busybox sh -c 'trap "" TERM; echo ready; sleep 100'
	assert_success
	local ignoring=$output
	pm_log_wait pm4 ready
	pm_log_wait pm5 ready
	run pm stop --time 10 pm4
	assert_success
	assert_equal "$(pm_inspect pm4 '{{.State.ExitCode}}')" 3
	run pm_calls "$trapping"
	assert_line 'podman: kill ID 15'
	refute_line 'podman: kill ID 9'
	run pm stop --time 1 pm5
	assert_success
	assert_equal "$(pm_inspect pm5 '{{.State.ExitCode}}')" 137
	run pm_calls "$ignoring"
	assert_line --index 2 'podman: kill ID 15'
	assert_line --index 3 'podman: kill ID 9'
	run pm rm pm4 pm5
	assert_success
	run pm ps --all --quiet
	assert_output ""
	local id
	for id in "$trapping" "$ignoring"; do
		run "$BOX" state "$id"
		assert_failure
		assert_output --partial "does not exist"
		assert_dir_not_exists "$(cgroup_path pids "$PM_GROUP/libpod-$id")"
		run grep -F "$id" /proc/self/mountinfo
		assert_output ""
	done
}

# points: 2
@test "podman run -t gives the container a terminal through box's console socket: tty prints /dev/pts/N" {
	: > "$PM_CALLS"
	run script -qec "$PM_T/podman run --rm -t --cgroup-parent /$PM_GROUP --runtime boxlog $PM_IMAGE tty" /dev/null < /dev/null
	assert_success
	assert_output --regexp '^/dev/pts/[0-9]+'$'\r''*$'
	run grep -c -- '^conmon: .* create .*--console-socket ' "$PM_CALLS"
	assert_output 1
}

# points: 2
@test "podman --memory, --pids-limit and --cpus are the limits of the container's cgroup; the pids limit stops forks inside" {
	run pm_run -d --name pm6 --memory 64m --pids-limit 5 --cpus 0.5 "$PM_IMAGE" sleep 100
	assert_success
	local group=$PM_GROUP/libpod-$output
	assert_equal "$(cgroup_read memory "$group" memory.limit_in_bytes memory.max)" 67108864
	assert_equal "$(cgroup_read pids "$group" pids.max pids.max)" 5
	if cgroup_v2; then
		assert_equal "$(cgroup_read cpu "$group" - cpu.max)" "50000 100000"
	else
		assert_equal "$(cgroup_read cpu "$group" cpu.cfs_quota_us -)" 50000
		assert_equal "$(cgroup_read cpu "$group" cpu.cfs_period_us -)" 100000
	fi
	# Inside: sleep 100, this sh and its subshell are 3 of 5; 2 more forks,
	# then no more (the subshell gives up); kill -1 ends what it started.
	run pm exec pm6 sh -c '(for i in 1 2 3 4 5 6; do sleep 100 & done); kill -9 -1'
	assert_output --partial "can't fork"
}

# points: 1
@test "podman --cap-add adds the capability to the container's sets, and its power" {
	run pm_run --rm "$PM_IMAGE" sh -c 'exec 2>&1; grep CapEff /proc/self/status; ip link set lo mtu 1280'
	assert_failure
	assert_line --index 0 --regexp '^CapEff:[[:space:]]+00000000a80425fb$'
	assert_output --partial "Operation not permitted"
	run pm_run --rm --cap-add NET_ADMIN "$PM_IMAGE" sh -c 'grep CapEff /proc/self/status; ip link set lo mtu 1280 && ip -o link show lo'
	assert_success
	# + NET_ADMIN (12)
	assert_line --index 0 --regexp '^CapEff:[[:space:]]+00000000a80435fb$'
	assert_line --index 1 --partial "mtu 1280"
}

# points: 1
@test "podman --read-only: the container's root is read-only, its /tmp writable" {
	run pm_run --rm --read-only "$PM_IMAGE" sh -c 'exec 2>&1; touch /x; touch /tmp/x && echo tmp-ok; awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo'
	assert_line --index 0 --partial "Read-only file system"
	assert_line --index 1 tmp-ok
	assert_line --index 2 --regexp '^ro(,|$)'
}

# points: 1
@test "podman --user runs the command with that uid and gid, and no capabilities" {
	run pm_run --rm --user 1000:1000 "$PM_IMAGE" sh -c 'id -u; id -g; grep -E "^(Uid|Gid|CapEff)" /proc/self/status'
	assert_success
	assert_line --index 0 1000
	assert_line --index 1 1000
	assert_line --regexp '^Uid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$'
	assert_line --regexp '^Gid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$'
	assert_line --regexp '^CapEff:[[:space:]]+0000000000000000$'
}

# points: 1
@test "podman -v binds a host directory: the container reads and writes it; with :ro it only reads" {
	PM_VOLUME=$BATS_TEST_TMPDIR/volume
	mkdir -p "$PM_VOLUME"
	echo from-host > "$PM_VOLUME/in"
	run pm_run --rm -v "$PM_VOLUME:/data" "$PM_IMAGE" sh -c 'cat /data/in; echo from-container > /data/out'
	assert_success
	assert_output from-host
	assert_equal "$(cat "$PM_VOLUME/out")" from-container
	run pm_run --rm -v "$PM_VOLUME:/data:ro" "$PM_IMAGE" sh -c 'exec 2>&1; cat /data/in; echo again > /data/out'
	assert_failure
	assert_line --index 0 from-host
	assert_output --partial "Read-only file system"
	assert_equal "$(cat "$PM_VOLUME/out")" from-container
}

# points: 1
@test "podman's default seccomp profile filters the container (Seccomp: 2); --security-opt seccomp=unconfined does not (0)" {
	run pm_run --rm "$PM_IMAGE" grep '^Seccomp:' /proc/self/status
	assert_success
	assert_output --regexp '^Seccomp:[[:space:]]+2$'
	run pm_run --rm --security-opt seccomp=unconfined "$PM_IMAGE" grep '^Seccomp:' /proc/self/status
	assert_success
	assert_output --regexp '^Seccomp:[[:space:]]+0$'
}

# points: 1
@test "podman --network none: the container has only lo, in a network namespace of its own" {
	run pm_run -d --name pm7 --network none "$PM_IMAGE" sleep 100
	assert_success
	local pid
	pid=$(pm_inspect pm7 '{{.State.Pid}}')
	assert_not_equal "$(readlink "/proc/$pid/ns/net")" "$(readlink /proc/self/ns/net)"
	run pm exec pm7 sh -c 'ls /sys/class/net'
	assert_success
	assert_output lo
}

# points: 2
@test "podman --init: the container's PID 1 is podman's catatonit, the command its child" {
	[ -x "$PM_CATATONIT" ] || fail "$PM_CATATONIT is missing (make deps installs catatonit)"
	run pm_run -d --init --name pm8 "$PM_IMAGE" sleep 100
	assert_success
	local pid
	pid=$(pm_inspect pm8 '{{.State.Pid}}')
	assert_equal "$(stat -L -c %d:%i "/proc/$pid/exe")" "$(stat -L -c %d:%i "$PM_CATATONIT")"
	run pm exec pm8 sh -c 'tr "\0" " " < /proc/1/cmdline; echo; cat /proc/2/comm; cut -d" " -f4 /proc/2/stat'
	assert_success
	assert_line --index 0 "/run/podman-init -- sleep 100 "
	assert_line --index 1 sleep
	assert_line --index 2 1
}

# points: 3
@test "podman's bridge networking in a network namespace the test made: the container has an address on the bridge and reaches it; nothing changes outside" {
	engines_network_snapshot "$BATS_TEST_TMPDIR/network.before"
	NETNS_PID=$(engines_netns_new)
	nsenter --net="/proc/$NETNS_PID/ns/net" ip link set lo up
	# In the test's network namespace, and in a private mount namespace:
	# podman's /run/netns mount for the container stays in there.
	run timeout --foreground --kill-after=10 "${BOX_TEST_TIMEOUT:-300}" \
		nsenter --net="/proc/$NETNS_PID/ns/net" unshare --mount --propagation private -- "$PM_T/podman" run --rm --cgroup-parent "/$PM_GROUP" --network pmbridge "$PM_IMAGE" \
		sh -c 'ip -o -4 addr show eth0; ip route | grep ^default; ping -c 1 -W 5 192.0.2.1 > /dev/null && echo reached' 3>&-
	assert_success
	assert_line --index 0 --regexp 'inet 192\.0\.2\.[0-9]+/24'
	assert_line --index 1 --regexp '^default via 192\.0\.2\.1 dev eth0'
	assert_line --index 2 reached
	# The bridge and the firewall rules are the test namespace's.
	run nsenter --net="/proc/$NETNS_PID/ns/net" ip -o -4 addr show pmbr0
	assert_output --partial "inet 192.0.2.1/24"
	run nsenter --net="/proc/$NETNS_PID/ns/net" nft list ruleset
	assert_output --partial CNI-FORWARD
	engines_network_snapshot "$BATS_TEST_TMPDIR/network.after"
	run diff "$BATS_TEST_TMPDIR/network.before" "$BATS_TEST_TMPDIR/network.after"
	assert_success
}

# points: 1
@test "podman info names box, with box's --version, as its OCI runtime" {
	run pm info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'
	assert_success
	assert_output "box $BOX"
	run pm info --format '{{.Host.OCIRuntime.Version}}'
	assert_output "$("$BOX" --version)"
}

# points: 2
@test "the container's /etc/hostname is podman's file, bound once and writable, as runc leaves it" {
	run pm_run -d --name pm9 "$PM_IMAGE" sleep 100
	assert_success
	local file
	file=$(pm_inspect pm9 '{{.HostnamePath}}')
	run pm exec pm9 sh -c 'awk "\$5 == \"/etc/hostname\" { print \$6 }" /proc/self/mountinfo; cat /etc/hostname'
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp '^rw(,|$)'
	assert_equal "${lines[1]}" "$(cat "$file")"
	run pm exec pm9 sh -c 'echo renamed > /etc/hostname'
	assert_success
	assert_equal "$(cat "$file")" renamed
}

# A container's view of itself, to compare runtimes: its status lines, links,
# mounts (point, type, ro or rw), devices, limits, environment, umask.
PM_VIEW='grep -E "^(Uid|Gid|Groups|Cap|NoNewPrivs|Seccomp)" /proc/self/status
ls /sys/class/net
awk "{ split(\$6, o, \",\"); print \$5, \$9, o[1] }" /proc/self/mountinfo | sort
ls -ln /dev | awk "NR > 1 { print \$1, \$5, \$6, \$NF }"
ulimit -n; ulimit -u; cat /proc/self/oom_score_adj
env | grep -v ^HOSTNAME= | sort; umask; pwd'

# points: 2
@test "runtime in the middle: under podman, box gives the container that runc gives (status, mounts, devices, limits, environment)" {
	command -v runc > /dev/null || fail "runc is not installed (make deps installs it)"
	run pm_run --rm --runtime runc "$PM_IMAGE" sh -c "$PM_VIEW"
	assert_success
	local reference=$output
	run pm_run --rm --runtime box "$PM_IMAGE" sh -c "$PM_VIEW"
	assert_success
	# The cgroup tree: runc mounts v1's named hierarchy (name=systemd) too,
	# and leaves the tmpfs rw where the config asks for ro: not compared.
	run diff <(grep -v '^/sys/fs/cgroup' <<< "$reference") <(grep -v '^/sys/fs/cgroup' <<< "$output")
	assert_success
}
