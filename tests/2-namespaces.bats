# Stage 2, namespaces: the command sees only its own processes, hostname,
# mounts, IPC objects and network; and its root is a mount of its own.

load helpers

teardown() {
	box_stop
	[ -z "${IPC_ID:-}" ] || ipcrm -q "$IPC_ID" 2>/dev/null || true
}

# points: 1
@test "/proc and ps show only the container's processes" {
	run box "$ROOTFS" ps -o pid=,comm=
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_line --regexp '^ *1 ps$'
	# bats itself, on the host, is not there.
	run box "$ROOTFS" test -e /proc/$$
	assert_failure
}

# points: 1
@test "the hostname inside is the container's; the host's is unchanged" {
	local before=$(hostname)
	run box --hostname jail-test "$ROOTFS" sh -c 'probe hostname; hostname; cat /etc/hostname'
	assert_success
	assert_equal "$output" "$(printf 'jail-test\njail-test\njail-test')"
	assert_equal "$(hostname)" "$before"
	# The rootfs's own file is untouched.
	assert_equal "$(cat "$ROOTFS/etc/hostname")" box-rootfs
}

# points: 1
@test "without --hostname, the container gets a random 12-digit id" {
	run box "$ROOTFS" probe hostname
	assert_success
	assert_output --regexp '^[0-9a-f]{12}$'
}

# points: 1
@test "a bad --hostname gets one line, and 125" {
	run --separate-stderr box --hostname 'bad name!' "$ROOTFS" true
	assert_failure 125
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: --hostname: \"bad name!\" is not a hostname (letters, digits, '-' and '.')"
}

# points: 2
@test "the host's mount table is identical before, during and after a run" {
	local before=$BATS_TEST_TMPDIR/before
	cat /proc/self/mountinfo > "$before"
	box_start --init "$ROOTFS" sh -c 'echo ready; exec sleep 60'
	run diff -u "$before" /proc/self/mountinfo
	assert_success
	kill -TERM "$BOX_PID"
	box_wait
	run diff -u "$before" /proc/self/mountinfo
	assert_success
}

# points: 1
@test "inside, the root is the rootfs's own mount, with fresh /proc, /sys and /dev" {
	run box "$ROOTFS" cat /proc/self/mounts
	assert_success
	assert_line --regexp '^proc /proc proc rw,nosuid,nodev,noexec'
	assert_line --regexp '^sysfs /sys sysfs ro,nosuid,nodev,noexec'
	assert_line --regexp '^tmpfs /dev tmpfs rw,nosuid,noexec'
	assert_line --regexp '^devpts /dev/pts devpts '
	assert_line --regexp '^shm /dev/shm tmpfs '
	# Nothing of the host's tree: no /work, no /boot, no host /dev.
	refute_output --partial " /work"
	refute_output --partial "/boot"
}

# points: 1
@test "/dev holds only the few devices a program needs" {
	run box "$ROOTFS" ls /dev
	assert_success
	assert_equal "$(echo $output)" "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero"
	run box "$ROOTFS" sh -c 'echo hello > /dev/null && head -c 4 /dev/zero | wc -c'
	assert_success
	assert_output 4
}

# points: 1
@test "/sys is read-only" {
	run box "$ROOTFS" mkdir /sys/fs/box-test
	assert_failure
	assert_output --partial "Read-only file system"
}

# points: 1
@test "descriptors open in the caller do not reach the container" {
	# A descriptor of the host's / would lead out of any root.
	run box "$ROOTFS" sh -c 'test -e /proc/self/fd/7 && echo command-has-it; test -e /proc/1/fd/7 && echo init-has-it; echo checked' 7</
	assert_success
	assert_output checked
}

# points: 1
@test "an IPC object made on the host is invisible inside" {
	IPC_ID=$(ipcmk -Q | grep -o '[0-9]*$')
	grep -q " $IPC_ID " /proc/sysvipc/msg
	run box "$ROOTFS" cat /proc/sysvipc/msg
	assert_success
	assert_equal "${#lines[@]}" 1 # the header only
}

# points: 1
@test "only lo exists inside, and it is up" {
	# From stage 5 on, an empty network is --network none.
	local none=
	[ "$STAGE" -lt 5 ] || none="--network none"
	run box $none "$ROOTFS" ls /sys/class/net
	assert_success
	assert_output lo
	run box $none "$ROOTFS" cat /sys/class/net/lo/flags
	assert_success
	(( output & 1 )) || fail "lo is down: flags $output"
	run box $none "$ROOTFS" ping -c 1 -W 2 127.0.0.1
	assert_success
}

# points: 1
@test "inside, /proc/self/cgroup shows the container at the root of every hierarchy" {
	run box "$ROOTFS" cat /proc/self/cgroup
	assert_success
	refute_line --regexp ':/.+$'
	assert_line --regexp ':/$'
}

# points: 1
@test "--check reports namespaces, user namespaces, cgroups, overlayfs and seccomp" {
	run box --check
	assert_success
	for kind in pid mnt uts ipc net cgroup user; do
		assert_line --regexp "^namespace $kind +yes$"
	done
	assert_line --regexp '^user namespaces: +allowed for uid 0$'
	assert_line --regexp '^cgroups: +v[12]'
	assert_line --regexp '^overlayfs: '
	assert_line --regexp '^seccomp filters: '
}

# points: 1
@test "--trace narrates clone, each mount, pivot_root, hostname" {
	run --separate-stderr box --trace --hostname traced "$ROOTFS" true
	assert_success
	for step in 'clone(NEWPID|NEWNS|NEWUTS|NEWIPC|NEWNET) -> ' \
		'mount(NULL, "/", NULL, MS_REC|MS_PRIVATE)' \
		'mount("proc", "/proc", "proc"' 'pivot_root(".", ".")' \
		'umount2(".", MNT_DETACH)' 'sethostname("traced")'; do
		[[ "$stderr" == *"$step"* ]] || fail "no '$step' in: $stderr"
	done
}
