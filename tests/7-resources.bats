# The final runtime, linux.resources: each limit of config.json seen in the
# container's cgroup files from outside, in the same files from inside (the
# container's own /sys/fs/cgroup, its group at the root), and where it can
# be, by what it does to the container's processes. cgroupsPath, `update`,
# `events --stats`, `pause` and `resume` too.
#
# The cgroup reads work on v1 (a tree per controller, /sys/fs/cgroup/memory,
# ..., as on this hybrid host, whose cgroup2 mount at /sys/fs/cgroup/unified
# box does not use) and on v2 (one tree at /sys/fs/cgroup: the v2 VM).

load runtime

setup() {
	runtime_setup
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "1000"]'
}

teardown() {
	runtime_teardown
	# cgroupsPath's parents stay after delete (as runc's): those of this
	# suite's own, made by its tests, go here.
	local parent dir
	for parent in box/resabs box/resrel; do
		for dir in /sys/fs/cgroup/"$parent" /sys/fs/cgroup/*/"$parent"; do
			[ ! -d "$dir" ] || rmdir "$dir" || echo "teardown: rmdir $dir failed" >&2
		done
	done
}

# cgroup helpers, v1 and v2 ------------------------------------------------

# The version that gives box's groups CONTROLLER (v1's name: blkio, not
# io): 2 where /sys/fs/cgroup/cgroup.controllers lists it and the root
# passes it down (its cgroup.subtree_control: box/ can only enable what
# its parent has; freezer and devices are v2's core, cgroup.freeze and an
# eBPF program), 1 where v1 mounts it at /sys/fs/cgroup/CONTROLLER;
# nothing and false where neither.
cgroup_version() { # CONTROLLER
	local name=$1
	if cgroup_v2; then
		case $name in freezer | devices) echo 2; return 0 ;; blkio) name=io ;; esac
		grep -qw -- "$name" /sys/fs/cgroup/cgroup.controllers &&
			grep -qw -- "$name" /sys/fs/cgroup/cgroup.subtree_control && echo 2
	else
		mountpoint -q "/sys/fs/cgroup/$name" && echo 1
	fi
}

# The N of a "KEY N" line of GROUP's file (memory.events, cpu.stat, ...).
cgroup_key() { # CONTROLLER GROUP V1FILE V2FILE KEY
	cgroup_read "$1" "$2" "$3" "$4" | awk -v key="$5" '$1 == key { print $2 }'
}

# The same file seen from inside the container: its cgroup namespace puts
# its group at the root of its own /sys/fs/cgroup.
inside_path() { # CONTROLLER V1FILE V2FILE
	if cgroup_v2; then
		echo "/sys/fs/cgroup/$3"
	else
		echo "/sys/fs/cgroup/$1/$2"
	fi
}

# PID's group in CONTROLLER's hierarchy, from /proc/PID/cgroup.
cgroup_of() { # PID CONTROLLER
	if cgroup_v2; then
		sed -n 's/^0:://p' "/proc/$1/cgroup"
	else
		awk -F: -v c="$2" '{ n = split($2, names, ","); for (i = 1; i <= n; i++) if (names[i] == c) print $3 }' \
			"/proc/$1/cgroup"
	fi
}

requires_controller() { # CONTROLLER
	local name=$1
	cgroup_version "$name" > /dev/null && return 0
	[ "$name" != blkio ] || ! cgroup_v2 || name=io
	if cgroup_v2 && grep -qw -- "$name" /sys/fs/cgroup/cgroup.controllers; then
		skip "the $name controller is not enabled below the root (/sys/fs/cgroup/cgroup.subtree_control)"
	fi
	skip "kernel lacks the $name cgroup controller (or it is not mounted)"
}

# Every directory of container ID's default group, in every hierarchy.
cgroup_dirs() { # ID
	find /sys/fs/cgroup -maxdepth 4 -type d -path "*/box/$1" 2>/dev/null
}

# Wait (10 s at most) until COMMAND succeeds.
wait_until() { # COMMAND...
	local tries
	for tries in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	fail "not within 10 s: $*"
}

# A limit refused at create: its one line, status 1, nothing left.
assert_refused_cleanly() { # ID LINE
	assert_failure 1
	assert_output "$2"
	run rt list --quiet
	assert_output ""
	run cgroup_dirs "$1"
	assert_output ""
}

# Memory --------------------------------------------------------------------

# points: 3
@test "memory.limit and .reservation are the group's limit and soft limit, inside too; a hog past the limit is OOM-killed (137)" {
	requires_controller memory
	# swap = limit: no swap on top, so that the hog is killed, not swapped out.
	bundle_edit "$BUNDLE" '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432, "swap": 67108864}'
	run_detached run --detach --bundle "$BUNDLE" res1
	assert_success
	run cgroup_read memory box/res1 memory.limit_in_bytes memory.max
	assert_output 67108864
	run cgroup_read memory box/res1 memory.soft_limit_in_bytes memory.low
	assert_output 33554432
	run rt exec res1 cat "$(inside_path memory memory.limit_in_bytes memory.max)"
	assert_success
	assert_output 67108864
	run rt exec res1 probe memhog 200
	assert_failure 137
	# The kernel's own count of the kill: v1's memory.oom_control, v2's memory.events.
	run cgroup_key memory box/res1 memory.oom_control memory.events oom_kill
	assert_output --regexp '^[1-9][0-9]*$'
	# The container's init lives on: only the hog was killed.
	assert_equal "$(state_of res1 status)" running
}

# points: 2
@test "memory.swap: v1's memory.memsw.limit_in_bytes is swap, v2's memory.swap.max is swap minus limit; swap below limit is refused" {
	requires_controller memory
	bundle_edit "$BUNDLE" '.linux.resources.memory = {"limit": 67108864, "swap": 100663296}'
	run_detached run --detach --bundle "$BUNDLE" res2
	assert_success
	local file=memory.memsw.limit_in_bytes
	cgroup_v2 && file=memory.swap.max
	[ -f "$(cgroup_path memory box/res2)/$file" ] || skip "kernel lacks swap accounting (no $file: swapaccount=0)"
	run cgroup_read memory box/res2 memory.memsw.limit_in_bytes memory.swap.max
	if cgroup_v2; then
		assert_output 33554432 # 96m - 64m: v2 counts the swap alone
	else
		assert_output 100663296 # v1 counts memory and swap together
	fi
	run rt exec res2 cat "$(inside_path memory memory.memsw.limit_in_bytes memory.swap.max)"
	assert_output "$(cgroup_read memory box/res2 memory.memsw.limit_in_bytes memory.swap.max)"
	bundle_edit "$BUNDLE" '.linux.resources.memory = {"limit": 67108864, "swap": 33554432}'
	run_detached create --bundle "$BUNDLE" res2b
	assert_failure 1
	assert_output "box: linux.resources.memory: swap 33554432 is below limit 67108864 (swap counts memory and swap together)"
	run cgroup_dirs res2b
	assert_output ""
}

# CPU -----------------------------------------------------------------------

# points: 2
@test "cpu.shares, .quota and .period: v1's cpu.shares and cfs_quota_us/cfs_period_us, v2's cpu.weight and cpu.max; the quota throttles" {
	requires_controller cpu
	bundle_edit "$BUNDLE" '.linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000}'
	run_detached run --detach --bundle "$BUNDLE" res3
	assert_success
	if cgroup_v2; then
		# shares 2..262144 onto weight 1..10000: 1 + (512 - 2) * 9999 / 262142
		assert_equal "$(cgroup_read cpu box/res3 - cpu.weight)" 20
		assert_equal "$(cgroup_read cpu box/res3 - cpu.max)" "20000 100000"
	else
		assert_equal "$(cgroup_read cpu box/res3 cpu.shares -)" 512
		assert_equal "$(cgroup_read cpu box/res3 cpu.cfs_quota_us -)" 20000
		assert_equal "$(cgroup_read cpu box/res3 cpu.cfs_period_us -)" 100000
	fi
	run rt exec res3 cat "$(inside_path cpu cpu.shares cpu.weight)"
	assert_output "$(cgroup_read cpu box/res3 cpu.shares cpu.weight)"
	# A second of spinning at 0.2 CPU outruns the quota in most periods.
	run rt exec res3 probe burn 1
	assert_success
	run cgroup_key cpu box/res3 cpu.stat cpu.stat nr_throttled
	assert_output --regexp '^[1-9][0-9]*$'
}

# points: 2
@test "cpu.cpus and .mems are the group's cpuset, and the container's processes may run only there" {
	requires_controller cpuset
	local cpu=$(($(nproc) - 1)) # the last CPU: not the default 0-N
	bundle_edit "$BUNDLE" '.linux.resources.cpu = {"cpus": $cpu, "mems": "0"}' --arg cpu "$cpu"
	run_detached run --detach --bundle "$BUNDLE" res4
	assert_success
	assert_equal "$(cgroup_read cpuset box/res4 cpuset.cpus cpuset.cpus)" "$cpu"
	assert_equal "$(cgroup_read cpuset box/res4 cpuset.mems cpuset.mems)" 0
	run rt exec res4 sh -c 'grep -E "^(Cpus|Mems)_allowed_list:" /proc/self/status; nproc'
	assert_success
	assert_line --regexp "^Cpus_allowed_list:.$cpu\$"
	assert_line --regexp '^Mems_allowed_list:.0$'
	assert_line 1
	local pid
	pid=$(state_of res4 pid)
	run grep Cpus_allowed_list "/proc/$pid/status"
	assert_output --regexp "Cpus_allowed_list:.$cpu\$"
}

# Processes -------------------------------------------------------------------

# points: 3
@test "pids.limit is pids.max, inside too, and a fork storm inside is held to it" {
	requires_controller pids
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", $cat + "; probe forks 50"] |
		.linux.resources.pids = {"limit": 10}' --arg cat "cat $(inside_path pids pids.max pids.max)"
	run_detached create --bundle "$BUNDLE" res5
	assert_success
	assert_equal "$(cgroup_read pids box/res5 pids.max pids.max)" 10
	run rt start res5
	assert_success
	status_wait res5 stopped
	# The group stays until delete: the kernel counted the refused forks.
	run cgroup_key pids box/res5 pids.events pids.events max
	assert_output --regexp '^[1-9][0-9]*$'
	run cat "$BATS_TEST_TMPDIR/detached.out"
	assert_line --index 0 10
	# 10 in all: the probe and its 9 (8 if sh stays as the probe's parent).
	assert_line --index 1 --regexp '^forked=[89]$'
}

# I/O, devices, huge pages, unified ------------------------------------------------

# points: 1
@test "blockIO.weight is the group's I/O weight where the kernel shares I/O by weight" {
	requires_controller blkio
	# Which weight file this kernel's groups have (BFQ, CFQ, io.cost): a
	# container without a weight shows it.
	run_detached run --detach --bundle "$BUNDLE" res6a
	assert_success
	local dir file expected
	dir=$(cgroup_path blkio box/res6a)
	for file in blkio.weight blkio.bfq.weight io.bfq.weight io.weight none; do
		[ ! -f "$dir/$file" ] || break
	done
	run rt delete --force res6a
	assert_success
	[ "$file" != none ] || skip "kernel lacks a weight-based I/O scheduler (BFQ, CFQ or io.cost): no weight file in $dir"
	bundle_edit "$BUNDLE" '.linux.resources.blockIO = {"weight": 500}'
	run_detached run --detach --bundle "$BUNDLE" res6
	assert_success
	case $file in
	blkio.*) expected=500 ;;
	io.bfq.weight) expected="default 500" ;;
	io.weight) expected="default 4950" ;; # 10..1000 onto 1..10000: 1 + (500 - 10) * 9999 / 990
	esac
	run head -n 1 "$(cgroup_path blkio box/res6)/$file"
	assert_output "$expected"
}

# points: 2
@test "devices: the rules apply in order (allow rw, then deny r): reading a device fails inside, writing works" {
	[ -c /dev/fuse ] || skip "kernel lacks fuse (/dev/fuse, the device the rules name)"
	# /dev/fuse (10:229), which the default allow list (null, zero, ...)
	# does not have: an open is harmless without a fuse mount.
	bundle_edit "$BUNDLE" '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438}] |
		.linux.resources.devices += [{"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"},
			{"allow": false, "type": "c", "major": 10, "minor": 229, "access": "r"}]'
	run_detached run --detach --bundle "$BUNDLE" res7
	assert_success
	run rt exec res7 sh -c ': < /dev/fuse'
	assert_failure
	assert_output --partial "can't open /dev/fuse: Operation not permitted"
	run rt exec res7 sh -c ': > /dev/fuse && echo written'
	assert_success
	assert_output written
	if ! cgroup_v2; then # v2's rules are an eBPF program, with no file to read
		run grep '^c 10:229 ' "$(cgroup_path devices box/res7)/devices.list"
		assert_output "c 10:229 w"
	fi
	# The spec's "deny everything" alone: neither.
	bundle_edit "$BUNDLE" '.linux.resources.devices = [{"allow": false, "access": "rwm"}]'
	run_detached run --detach --bundle "$BUNDLE" res7b
	assert_success
	run rt exec res7b sh -c ': > /dev/fuse'
	assert_failure
	assert_output --partial "can't create /dev/fuse: Operation not permitted"
}

# points: 1
@test "hugepageLimits: the group's hugetlb limit where its hierarchy has the controller; refused in one line where not" {
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "kernel lacks 2MB huge pages"
	bundle_edit "$BUNDLE" '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	if cgroup_version hugetlb > /dev/null; then
		run_detached run --detach --bundle "$BUNDLE" res8
		assert_success
		assert_equal "$(cgroup_read hugetlb box/res8 hugetlb.2MB.limit_in_bytes hugetlb.2MB.max)" 4194304
		run rt exec res8 cat "$(inside_path hugetlb hugetlb.2MB.limit_in_bytes hugetlb.2MB.max)"
		assert_output 4194304
	elif ! cgroup_v2; then
		# This hybrid host: hugetlb is only in the cgroup2 mount at
		# /sys/fs/cgroup/unified, not in the v1 trees box uses.
		run_detached create --bundle "$BUNDLE" res8
		assert_refused_cleanly res8 "box: linux.resources.hugepageLimits needs the hugetlb controller, and this machine's cgroup v1 does not mount it (/sys/fs/cgroup/hugetlb)"
	else
		requires_controller hugetlb
	fi
}

# points: 1
@test "unified: v2's files as given on cgroup v2; refused in one line on cgroup v1" {
	bundle_edit "$BUNDLE" '.linux.resources.unified = {"memory.high": "50331648", "pids.max": "7"}'
	if cgroup_v2; then
		run_detached run --detach --bundle "$BUNDLE" res9
		assert_success
		assert_equal "$(cat /sys/fs/cgroup/box/res9/memory.high)" 50331648
		assert_equal "$(cat /sys/fs/cgroup/box/res9/pids.max)" 7
		run rt exec res9 cat /sys/fs/cgroup/memory.high
		assert_output 50331648
	else
		run_detached create --bundle "$BUNDLE" res9
		assert_refused_cleanly res9 "box: linux.resources.unified: files of cgroup v2, and this machine has cgroup v1"
	fi
}

# cgroupsPath -------------------------------------------------------------------

# points: 2
@test "an absolute cgroupsPath is that path below each hierarchy's root; delete removes the group, not its parent" {
	requires_controller memory
	bundle_edit "$BUNDLE" '.linux.cgroupsPath = "/box/resabs/res10" | .linux.resources.memory = {"limit": 67108864}'
	run_detached run --detach --bundle "$BUNDLE" res10
	assert_success
	local pid
	pid=$(state_of res10 pid)
	assert_equal "$(cgroup_of "$pid" memory)" /box/resabs/res10
	assert_equal "$(cgroup_of "$pid" pids)" /box/resabs/res10
	assert_equal "$(cgroup_read memory box/resabs/res10 memory.limit_in_bytes memory.max)" 67108864
	assert_dir_not_exists "$(cgroup_path memory box/res10)"
	assert_dir_not_exists "$(cgroup_path memory box/box/resabs/res10)"
	run rt kill res10 KILL
	status_wait res10 stopped
	run rt delete res10
	assert_success
	assert_dir_not_exists "$(cgroup_path memory box/resabs/res10)"
	assert_dir_exists "$(cgroup_path memory box/resabs)"
}

# points: 2
@test "a relative cgroupsPath is below box/, the project's own parent" {
	requires_controller memory
	bundle_edit "$BUNDLE" '.linux.cgroupsPath = "resrel/res11" | .linux.resources.pids = {"limit": 12}'
	run_detached run --detach --bundle "$BUNDLE" res11
	assert_success
	local pid
	pid=$(state_of res11 pid)
	assert_equal "$(cgroup_of "$pid" memory)" /box/resrel/res11
	assert_equal "$(cgroup_of "$pid" pids)" /box/resrel/res11
	assert_equal "$(cgroup_read pids box/resrel/res11 pids.max pids.max)" 12
	# Inside, the cgroup namespace puts that group at the root.
	run rt exec res11 cat /proc/self/cgroup
	assert_success
	refute_output --partial resrel
	run rt delete --force res11
	assert_success
	assert_dir_not_exists "$(cgroup_path memory box/resrel/res11)"
}

# update ----------------------------------------------------------------------------

# points: 2
@test "update --resources FILE changes a running container's memory and pids limits, seen outside and inside" {
	requires_controller memory
	requires_controller pids
	bundle_edit "$BUNDLE" '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 20}'
	run_detached run --detach --bundle "$BUNDLE" res12
	assert_success
	echo '{"memory": {"limit": 100663296}, "pids": {"limit": 30}}' > "$BATS_TEST_TMPDIR/resources.json"
	run rt update --resources "$BATS_TEST_TMPDIR/resources.json" res12
	assert_success
	assert_output ""
	assert_equal "$(cgroup_read memory box/res12 memory.limit_in_bytes memory.max)" 100663296
	assert_equal "$(cgroup_read pids box/res12 pids.max pids.max)" 30
	run rt exec res12 cat "$(inside_path memory memory.limit_in_bytes memory.max)" "$(inside_path pids pids.max pids.max)"
	assert_output "100663296
30"
}

# points: 2
@test "update --resources - reads the limits from stdin: lower memory and pids, and a fork storm meets the new limit" {
	requires_controller memory
	requires_controller pids
	bundle_edit "$BUNDLE" '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 20}'
	run_detached run --detach --bundle "$BUNDLE" res13
	assert_success
	run rt update --resources - res13 <<< '{"memory": {"limit": 50331648}, "pids": {"limit": 5}}'
	assert_success
	assert_equal "$(cgroup_read memory box/res13 memory.limit_in_bytes memory.max)" 50331648
	assert_equal "$(cgroup_read pids box/res13 pids.max pids.max)" 5
	# 5 in all: sleep, the probe, and 3 (2 while exec's joiner is leaving).
	run rt exec res13 probe forks 20
	assert_success
	assert_output --regexp '^forked=[23]$'
	# What it does not name stays as it was.
	run rt update --resources - res13 <<< '{"pids": {"limit": 6}}'
	assert_success
	assert_equal "$(cgroup_read memory box/res13 memory.limit_in_bytes memory.max)" 50331648
	assert_equal "$(cgroup_read pids box/res13 pids.max pids.max)" 6
}

# events --stats ------------------------------------------------------------------

# points: 2
@test "events --stats prints one JSON line of runc's stats shape: memory, pids and cpu usage from the group" {
	requires_controller memory
	requires_controller pids
	bundle_edit "$BUNDLE" '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 20}'
	run_detached run --detach --bundle "$BUNDLE" res14
	assert_success
	run_detached exec --detach res14 sleep 900
	assert_success
	run rt events --stats res14
	assert_success
	assert_equal "${#lines[@]}" 1
	local stats=$output
	jq -e '.type == "stats" and .id == "res14"' <<< "$stats" || fail "$stats"
	jq -e '.data.memory.usage.usage > 0 and .data.memory.usage.limit == 67108864' <<< "$stats" || fail "$stats"
	jq -e '.data.memory.usage | has("max") and has("failcnt")' <<< "$stats" || fail "$stats"
	jq -e '.data.memory.raw | type == "object"' <<< "$stats" || fail "$stats"
	jq -e '.data.pids.current == 2 and .data.pids.limit == 20' <<< "$stats" || fail "$stats"
	jq -e '(.data.cpu.usage.total | type == "number") and .data.cpu.usage.total > 0' <<< "$stats" || fail "$stats"
	jq -e '.data.cpu.usage | has("user") and has("kernel")' <<< "$stats" || fail "$stats"
	jq -e '.data.cpu.throttling | has("periods")' <<< "$stats" || fail "$stats"
	# The usage is the group's own.
	local usage
	usage=$(jq '.data.memory.usage.usage' <<< "$stats")
	[ "$usage" -le 67108864 ] || fail "usage $usage above the limit"
	run --separate-stderr rt events --stats res-missing
	assert_failure 1
	assert_equal "$stderr" "box: container res-missing does not exist"
}

# pause, resume -----------------------------------------------------------------

# The container's counter (its init writes 1, 2, 3, ... to /tmp/n), from outside.
counter() { # PID
	cat "/proc/$1/root/tmp/n" 2>/dev/null
}

counter_beyond() { # PID VALUE
	local now
	now=$(counter "$1")
	[ -n "$now" ] && [ "$now" != "$2" ]
}

# points: 3
@test "pause freezes every process of the container (freezer FROZEN or cgroup.freeze 1; a counter stops) and resume thaws them" {
	requires_controller freezer
	bundle_tmp "$BUNDLE"
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", "i=0; while :; do i=$((i + 1)); echo $i > /tmp/n; done"]'
	run_detached run --detach --bundle "$BUNDLE" res15
	assert_success
	local pid before after
	pid=$(state_of res15 pid)
	wait_until counter_beyond "$pid" ""
	run rt pause res15
	assert_success
	assert_equal "$(state_of res15 status)" paused
	if cgroup_v2; then
		assert_equal "$(cat /sys/fs/cgroup/box/res15/cgroup.freeze)" 1
		assert_equal "$(cgroup_key freezer box/res15 - cgroup.events frozen)" 1
	else
		assert_equal "$(cat /sys/fs/cgroup/freezer/box/res15/freezer.state)" FROZEN
		# v1's frozen tasks wait in the kernel: "D" in /proc/PID/stat.
		assert_equal "$(awk '{ print $3 }' "/proc/$pid/stat")" D
	fi
	before=$(counter "$pid")
	sleep 0.5
	after=$(counter "$pid")
	assert_equal "$after" "$before"
	run --separate-stderr rt exec res15 true
	assert_failure 1
	assert_equal "$stderr" "box: cannot exec in container res15: it is paused"
	run rt resume res15
	assert_success
	assert_equal "$(state_of res15 status)" running
	if cgroup_v2; then
		assert_equal "$(cat /sys/fs/cgroup/box/res15/cgroup.freeze)" 0
	else
		assert_equal "$(cat /sys/fs/cgroup/freezer/box/res15/freezer.state)" THAWED
	fi
	wait_until counter_beyond "$pid" "$before"
	run --separate-stderr rt resume res15
	assert_failure 1
	assert_equal "$stderr" "box: container res15 is running, not paused"
}
