# Stage 3, cgroups: the container's memory, processes and CPU are limited by
# a control group of its own, box/<id>, which is gone when it ends.

load helpers

teardown() {
	box_stop
	rm -rf "${BAD_ROOTFS:-/nonexistent}"
}

# The id of the container a --trace run made (from "mkdir .../box/<id>").
traced_id() { # TRACE-TEXT
	grep -oE 'mkdir /sys/fs/cgroup/.*box/[0-9a-f]{12}' <<< "$1" | head -n 1 | grep -oE '[0-9a-f]{12}$'
}

# Every directory of that container's cgroup, in every hierarchy.
cgroup_dirs() { # ID
	find /sys/fs/cgroup -maxdepth 4 -type d -path "*/box/$1" 2>/dev/null
}

assert_no_cgroup_left() { # ID
	[ -n "$1" ] || fail "no container id in the trace"
	run cgroup_dirs "$1"
	assert_output ""
}

# points: 3
@test "a probe touching more than --memory is OOM-killed: 137 and the message" {
	run --separate-stderr box --memory 32m "$ROOTFS" probe memhog 64
	assert_failure 137
	assert_equal "$stderr" "box: killed: out of memory (limit 32 MiB)"
	refute_output --partial "allocated"
}

# points: 1
@test "a probe under --memory finishes" {
	run box --memory 64m "$ROOTFS" probe memhog 16
	assert_success
	assert_output "allocated 16 MiB"
}

# points: 1
@test "a process killed by another signal is not called out of memory" {
	run --separate-stderr box --init --memory 64m "$ROOTFS" probe signal 9
	assert_failure 137
	assert_equal "$stderr" ""
}

# points: 3
@test "a fork storm under --pids 20 gets fewer than 20 processes" {
	run box --pids 20 "$ROOTFS" probe forks 200
	assert_success
	local made=${output#forked=}
	[ "$made" -lt 20 ] || fail "made $made processes"
	[ "$made" -ge 10 ] || fail "made only $made processes: the limit should allow about 17"
	# The host is unharmed: it still makes processes at will.
	run sh -c 'for i in 1 2 3 4 5; do true & done; wait; echo fine'
	assert_output fine
}

# points: 3
@test "a busy loop under --cpus 0.5 gets about half a CPU, well below one" {
	# Two spinners for three seconds: without the quota they would take two
	# CPUs, or all of one on a one-CPU machine. The CPU time comes from the
	# cgroup's own counters (--stats), against the wall time of the whole run
	# (the group lives a little longer than the spinners spin, and longer
	# still on a slow machine). The quota promises 0.5 CPU-s a second; the
	# counters of a virtual machine overshoot it (seen: up to 0.6 on a
	# hypervisor's guest), so the bound is 0.75, still well below one CPU.
	# Below: the spinners want more than they may have, so they get most of
	# their half.
	local start=$EPOCHREALTIME
	run --separate-stderr box --cpus 0.5 --stats "$ROOTFS" sh -c 'probe burn 3 & probe burn 3; wait'
	local elapsed
	elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

	assert_success
	local cpu
	cpu=$(grep -oE 'stats: cpu [0-9.]+' <<< "$stderr" | grep -oE '[0-9.]+$')
	[ -n "$cpu" ] || fail "no CPU time in: $stderr"
	awk -v cpu="$cpu" -v wall="$elapsed" 'BEGIN { exit !(cpu <= 0.75 * wall) }' ||
		fail "$cpu CPU-seconds in $elapsed s: more than the quota allows"
	awk -v cpu="$cpu" 'BEGIN { exit !(cpu >= 0.35 * 3) }' ||
		fail "$cpu CPU-seconds in $elapsed s: the spinners got much less than their half"
}

# points: 1
@test "the host sees the container in box/<id> with its limit; inside, it is at /" {
	box_start --trace --init --memory 48m "$ROOTFS" sh -c 'cat /proc/self/cgroup >&2; echo ready; exec sleep 60'
	local id
	id=$(traced_id "$(cat "$BATS_TEST_TMPDIR/err")")
	[ -n "$id" ] || fail "no id in: $(cat "$BATS_TEST_TMPDIR/err")"
	local sleeper
	sleeper=$(descendants "$BOX_PID" | tail -n 1)
	run cat /proc/"$sleeper"/cgroup
	assert_line --regexp "(memory:|0::)/box/$id$"
	local dir limit
	dir=$(cgroup_dirs "$id" | grep -E '/memory/|^/sys/fs/cgroup/box/' | head -n 1)
	limit=$(cat "$dir"/memory.max 2>/dev/null || cat "$dir"/memory.limit_in_bytes)
	assert_equal "$limit" $((48 << 20))
	# Inside, the cgroup namespace puts that group at the root.
	run grep -E '(memory:|0::)' "$BATS_TEST_TMPDIR/err"
	assert_output --regexp ':/$'
	kill -TERM "$BOX_PID"
	box_wait
}

# points: 2
@test "no cgroup is left after a normal exit, an OOM kill, SIGTERM or an error" {
	run --separate-stderr box --trace --memory 32m "$ROOTFS" true
	assert_success
	assert_no_cgroup_left "$(traced_id "$stderr")"

	run --separate-stderr box --trace --memory 32m "$ROOTFS" probe memhog 64
	assert_failure 137
	assert_no_cgroup_left "$(traced_id "$stderr")"

	box_start --trace --init --memory 32m "$ROOTFS" sh -c 'echo ready; sleep 60'
	kill -TERM "$BOX_PID"
	box_wait
	assert_equal "$BOX_STATUS" 143
	assert_no_cgroup_left "$(traced_id "$(cat "$BATS_TEST_TMPDIR/err")")"

	# An error after the group was made: the rootfs's /proc is a file.
	BAD_ROOTFS=$(mktemp -d /tmp/box-bad-rootfs.XXXXXX)
	touch "$BAD_ROOTFS/proc"
	run --separate-stderr box --trace --memory 32m "$BAD_ROOTFS" true
	assert_failure 125
	assert_no_cgroup_left "$(traced_id "$stderr")"
}

# points: 1
@test "bad limits get one line each, and 125" {
	assert_each_refused box <<-EOF
	--memory 12q|box: --memory: "12q" is not a size (try 64m)
	--memory 100k|box: --memory: "100k" is below the smallest limit, 1m
	--pids 0|box: --pids: 0 is out of range (1 to 4194304)
	--pids many|box: --pids: "many" is not a whole number
	--cpus -1|box: --cpus: -1 is out of range (0.01 to $(nproc), the CPUs of this machine)
	--cpu-weight 0|box: --cpu-weight: 0 is out of range (1 to 10000)
	EOF
}

# points: 1
@test "an ordinary user: limits need a delegated cgroup v2 subtree; without limits, it runs" {
	run --separate-stderr as_user "$BOX" --memory 64m "$ROOTFS" true
	assert_failure 125
	assert_one_line_on_stderr
	[[ "$stderr" == "box: limits for an ordinary user need "* ]] || fail "$stderr"
	run as_user "$BOX" "$ROOTFS" true
	assert_success
}

# points: 1
@test "--trace shows each cgroup file written, with its value" {
	run --separate-stderr box --trace --memory 32m --pids 50 --cpus 0.5 --cpu-weight 50 "$ROOTFS" true
	assert_success
	[[ "$stderr" =~ write\ /sys/fs/cgroup/[^\ ]*/(memory\.max|memory\.limit_in_bytes)\ =\ 33554432 ]] || fail "$stderr"
	[[ "$stderr" =~ write\ /sys/fs/cgroup/[^\ ]*/pids\.max\ =\ 50 ]] || fail "$stderr"
	[[ "$stderr" =~ (cpu\.max\ =\ 50000\ 100000|cpu\.cfs_quota_us\ =\ 50000) ]] || fail "$stderr"
	[[ "$stderr" =~ (cpu\.weight\ =\ 50|cpu\.shares\ =\ 1286) ]] || fail "$stderr"
	[[ "$stderr" =~ write\ /sys/fs/cgroup/[^\ ]*/cgroup\.procs\ =\ [0-9]+ ]] || fail "$stderr"
}

# points: 1
@test "--stats prints peak memory, CPU time and peak tasks from the cgroup" {
	run --separate-stderr box --stats "$ROOTFS" probe memhog 20
	assert_success
	[[ "$stderr" =~ ^box:\ stats:\ cpu\ [0-9.]+\ s\ \(user\ [0-9.]+\ s,\ system\ [0-9.]+\ s\),\ memory\ peak\ ([0-9.]+)\ MiB,\ tasks\ peak\ ([0-9]+)$ ]] ||
		fail "$stderr"
	local peak=${BASH_REMATCH[1]%.*}
	[ "$peak" -ge 20 ] || fail "memory peak $peak MiB after touching 20 MiB"
	[ "${BASH_REMATCH[2]}" -ge 1 ] || fail "tasks peak ${BASH_REMATCH[2]}"
}

# points: 1
@test "a reader of --trace that goes away does not stop box from removing its cgroup" {
	local before after
	before=$(find /sys/fs/cgroup -maxdepth 3 -type d -path '*/box/*' | sort)
	run bash -c '"$0" --trace --memory 32m "$1" true 2>&1 | head -n 2 > /dev/null; echo "${PIPESTATUS[0]}"' "$BOX" "$ROOTFS"
	assert_output 0
	after=$(find /sys/fs/cgroup -maxdepth 3 -type d -path '*/box/*' | sort)
	run comm -13 <(echo "$before") <(echo "$after")
	assert_output ""
}
