# Stage 6, privileges: the capability sets, no_new_privs, --user, the
# seccomp filter and its cache, masked and read-only paths, --ulimit,
# --privileged, the device cgroup; and bad input. (The attacks are in
# 6-attacks.bats.)

load helpers

setup() {
	NONE=(--network none)
	CACHE=/var/lib/box/seccomp
}

teardown() {
	box_stop
	rm -rf "${PROFILE_DIR:-/nonexistent}"
}

# The caps of a container, from /proc/self/status: "CapEff 00000000a80425fb".
caps_of() { # BOX_OPTIONS...
	box "${NONE[@]}" "$@" "$ROOTFS" sh -c 'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status' | awk '{ print $1, $2 }'
}

# points: 2
@test "the container keeps Docker's 14 capabilities: bounding, permitted and effective; inheritable and ambient empty" {
	run caps_of
	assert_success
	# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
	# NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
	assert_line "CapBnd: 00000000a80425fb"
	assert_line "CapPrm: 00000000a80425fb"
	assert_line "CapEff: 00000000a80425fb"
	assert_line "CapInh: 0000000000000000"
	assert_line "CapAmb: 0000000000000000"
}

# points: 2
@test "--cap-add and --cap-drop, with or without CAP_, in any case, and ALL" {
	run caps_of --cap-add sys_admin --cap-drop CAP_NET_RAW --cap-drop mknod
	assert_line "CapEff: 00000000a02405fb" # + SYS_ADMIN (21), - NET_RAW (13), - MKNOD (27)
	run caps_of --cap-drop ALL --cap-add NET_BIND_SERVICE
	assert_line "CapEff: 0000000000000400"
	assert_line "CapBnd: 0000000000000400"
	run caps_of --cap-drop ALL
	assert_line "CapBnd: 0000000000000000"
	run caps_of --cap-add ALL
	assert_line "CapEff: $(awk '/^CapBnd/ { print $2 }' /proc/self/status)"
}

# points: 1
@test "--privileged: every capability of box's own, no filter, no masks; --trace says what it turned off" {
	run --separate-stderr box "${NONE[@]}" --trace --privileged "$ROOTFS" sh -c \
		'grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status; wc -c < /proc/timer_list'
	assert_success
	assert_line --regexp "^CapEff:.$(awk '/^CapBnd/ { print $2 }' /proc/self/status)$"
	assert_line --regexp '^Seccomp:.0$'
	assert_line --regexp '^NoNewPrivs:.0$'
	refute_line 0
	[[ "$stderr" == *"--privileged: every capability, no seccomp filter, no masked or read-only paths, every device"* ]] ||
		fail "$stderr"
}

# points: 2
@test "no_new_privs is on; --security-opt no-new-privileges=false turns it off" {
	run box "${NONE[@]}" "$ROOTFS" grep NoNewPrivs /proc/self/status
	assert_output --regexp 'NoNewPrivs:.1$'
	run box "${NONE[@]}" --security-opt no-new-privileges=false "$ROOTFS" grep NoNewPrivs /proc/self/status
	assert_output --regexp 'NoNewPrivs:.0$'
}

# points: 2
@test "--user UID[:GID]: that user, no supplementary groups, no effective capability, HOME from passwd" {
	run box "${NONE[@]}" --user 1000:1001 "$ROOTFS" sh -c 'id; grep -E "^(CapEff|CapPrm|CapBnd|Groups):" /proc/self/status; echo "HOME=$HOME"'
	assert_success
	assert_line "uid=1000 gid=1001"
	assert_line --regexp '^CapEff:.0000000000000000$'
	assert_line --regexp '^CapPrm:.0000000000000000$'
	assert_line --regexp '^CapBnd:.00000000a80425fb$'
	assert_line --regexp '^Groups:[[:space:]]*$'
	assert_line "HOME=/"
	# A name, from the container's own /etc/passwd.
	run box "${NONE[@]}" --user nobody "$ROOTFS" sh -c 'id -u; id -g; echo "HOME=$HOME"'
	assert_success
	assert_equal "$output" "$(printf '65534\n65534\nHOME=/nonexistent')"
	# Ordinary permissions hold for it.
	run box "${NONE[@]}" --user 1000 "$ROOTFS" touch /etc/written-by-1000
	assert_failure
}

# points: 2
@test "the filter: Seccomp 2 inside; mount is EPERM; an unknown system call is ENOSYS, and clone3 too" {
	run box "${NONE[@]}" "$ROOTFS" sh -c 'grep -E "^Seccomp(_filters)?:" /proc/self/status; probe syscall mount; probe syscall number-1000; probe syscall clone3; probe syscall getppid'
	assert_line --regexp '^Seccomp:.2$'
	assert_line "mount: EPERM"
	assert_line "number-1000: ENOSYS"
	assert_line "clone3: ENOSYS"
	assert_line "getppid: ok"
	# --cap-add SYS_ADMIN gives mount back, as Docker's profile does.
	run box "${NONE[@]}" --cap-add SYS_ADMIN "$ROOTFS" probe syscall mount
	assert_output "mount: ok"
	run box "${NONE[@]}" --seccomp unconfined "$ROOTFS" sh -c 'grep -E "^Seccomp:" /proc/self/status; probe syscall clone3'
	assert_line --regexp '^Seccomp:.0$'
	assert_line "clone3: EINVAL"
}

# points: 2
@test "the program is cached: compiled at the first start, read at the next, compiled again for another profile" {
	local before
	before=$(ls "$CACHE" 2>/dev/null | wc -l)
	PROFILE_DIR=$(mktemp -d /tmp/box-profile.XXXXXX)
	# A small profile of Docker's format, unique to this test run.
	cat > "$PROFILE_DIR/p.json" <<-JSON
	{ "defaultAction": "SCMP_ACT_ALLOW", "comment": "$BATS_TEST_TMPDIR",
	  "syscalls": [ { "names": ["sethostname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
	JSON
	run --separate-stderr box "${NONE[@]}" --trace --seccomp-profile "$PROFILE_DIR/p.json" "$ROOTFS" probe syscall mount
	assert_output "mount: EPERM" # no CAP_SYS_ADMIN, though the profile allows it
	[[ "$stderr" == *"compiled with libseccomp"* && "$stderr" == *"program kept in $CACHE/"* ]] || fail "$stderr"
	run --separate-stderr box "${NONE[@]}" --trace --seccomp-profile "$PROFILE_DIR/p.json" "$ROOTFS" probe syscall sethostname
	assert_output "sethostname: EPERM"
	[[ "$stderr" == *"seccomp: cached program $CACHE/"* ]] || fail "$stderr"
	[[ "$stderr" != *"compiled"* && "$stderr" != *'dlopen("libseccomp'* ]] || fail "compiled again: $stderr"
	# A change to the profile is another program.
	sed -i 's/sethostname/getppid/' "$PROFILE_DIR/p.json"
	run --separate-stderr box "${NONE[@]}" --trace --seccomp-profile "$PROFILE_DIR/p.json" "$ROOTFS" probe syscall getppid
	assert_output "getppid: EPERM"
	[[ "$stderr" == *"compiled with libseccomp"* ]] || fail "not compiled again: $stderr"
	# The programs of this test's two profiles go (the cache may stay).
	local sums
	sums=$(sha256sum "$PROFILE_DIR/p.json" | cut -c1-64)
	rm -f "$CACHE/$sums"-*.bpf
	sed -i 's/getppid/sethostname/' "$PROFILE_DIR/p.json"
	rm -f "$CACHE/$(sha256sum "$PROFILE_DIR/p.json" | cut -c1-64)"-*.bpf
	[ "$(ls "$CACHE" | wc -l)" -ge "$before" ]
}

# points: 1
@test "a Docker-format profile with archMap, includes and excludes is read as Docker reads it" {
	PROFILE_DIR=$(mktemp -d /tmp/box-profile.XXXXXX)
	cat > "$PROFILE_DIR/p.json" <<-JSON
	{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "comment": "$BATS_TEST_TMPDIR",
	  "archMap": [ { "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] } ],
	  "syscalls": [
	    { "names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "includes": { "caps": ["CAP_SYS_ADMIN"] } },
	    { "names": ["getppid"], "action": "SCMP_ACT_ALLOW", "excludes": { "caps": ["CAP_SYS_ADMIN"] } },
	    { "names": ["no_such_syscall_anywhere"], "action": "SCMP_ACT_ALLOW" },
	    { "names": [], "action": "SCMP_ACT_ALLOW", "includes": { "arches": ["s390x"] } },
	    { "comment": "what box's last steps, an ASan build's runtime and the probe need",
	      "names": ["read", "write", "exit_group", "execve", "brk", "mmap", "munmap", "arch_prctl",
	                "set_tid_address", "rt_sigaction", "rt_sigprocmask", "exit", "uname", "fstat",
	                "newfstatat", "getpid", "ioctl", "openat", "close", "readlink", "prlimit64",
	                "getrandom", "mprotect", "set_robust_list", "rseq",
	                "sigaltstack", "madvise", "gettid", "futex"], "action": "SCMP_ACT_ALLOW" } ] }
	JSON
	run box "${NONE[@]}" --seccomp-profile "$PROFILE_DIR/p.json" "$ROOTFS" probe syscall getppid
	assert_output "getppid: ok"
	run box "${NONE[@]}" --cap-add SYS_ADMIN --seccomp-profile "$PROFILE_DIR/p.json" "$ROOTFS" probe syscall getppid
	assert_output "getppid: EPERM"
	rm -f "$CACHE/$(sha256sum "$PROFILE_DIR/p.json" | cut -c1-64)"-*.bpf
}

# points: 2
@test "masked paths read as empty, read-only paths refuse writes; the host's are unchanged" {
	run box "${NONE[@]}" "$ROOTFS" sh -c 'wc -c < /proc/timer_list; wc -c < /proc/keys; ls -A /sys/firmware | wc -l
		echo 1 > /proc/sys/kernel/core_pattern || echo refused; mount | grep -c " /proc/sys "'
	assert_success
	assert_equal "${lines[0]}" 0
	assert_equal "${lines[1]}" 0
	assert_equal "${lines[2]}" 0
	assert_line refused
	assert_line --partial "Read-only file system"
	# On the host, the files are what they were.
	[ "$(wc -c < /proc/timer_list)" -gt 0 ]
}

# points: 1
@test "--ulimit NAME=SOFT[:HARD] sets the command's limits" {
	run box "${NONE[@]}" --ulimit nofile=100:200 --ulimit core=0 "$ROOTFS" sh -c 'ulimit -n; ulimit -Hn; ulimit -c'
	assert_success
	assert_equal "$output" "$(printf '100\n200\n0')"
}

# points: 2
@test "the device cgroup: the container's own devices work, a made node of another cannot be opened" {
	run box "${NONE[@]}" "$ROOTFS" sh -c 'echo x > /dev/null && head -c 1 /dev/zero | wc -c; mknod /tmp/mem c 1 11 && echo made; cat /tmp/mem > /dev/null || echo refused'
	assert_success
	assert_line 1
	assert_line made
	assert_line refused
	# The group, seen from the host while it runs (v1: devices.list).
	if [ -d /sys/fs/cgroup/devices ]; then
		box_start "${NONE[@]}" --trace --init "$ROOTFS" sh -c 'echo ready; sleep 100'
		local dir
		dir=$(grep -oE '/sys/fs/cgroup/devices/box/[0-9a-f]{12}' "$BATS_TEST_TMPDIR/err" | head -n 1)
		run cat "$dir/devices.list"
		assert_line "c 1:3 rwm"
		assert_line "c *:* m"
		refute_line "a *:* rwm"
	fi
}

# points: 1
@test "--check reports seccomp filter support and whether the default program is cached" {
	box "${NONE[@]}" "$ROOTFS" true
	run box --check
	assert_success
	assert_line --regexp '^seccomp filters: +yes, actions: .*errno'
	assert_line --regexp '^seccomp cache: +the default profile.s program is cached \([0-9]+ instructions\)'
}

# points: 1
@test "rootless: the container's user namespace root keeps Docker's set there, under the filter" {
	run as_user "$BOX" "${NONE[@]}" "$ROOTFS" sh -c 'grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status; probe syscall mount; true'
	assert_success
	assert_line --regexp '^CapEff:.00000000a80425fb$'
	assert_line --regexp '^Seccomp:.2$'
	assert_line --regexp '^NoNewPrivs:.1$'
	assert_line "mount: EPERM"
}

# points: 2
@test "bad security input gets one line, 125, and leaves nothing" {
	assert_each_refused box --network none <<'BAD'
--cap-add CAP_FLY|box: --cap-add: "CAP_FLY" is not a capability of this kernel (try NET_ADMIN)
--cap-drop sys_nothing|box: --cap-drop: "sys_nothing" is not a capability of this kernel (try NET_ADMIN)
--ulimit nofile|box: --ulimit: "nofile" is not NAME=SOFT[:HARD] (try nofile=1024:2048)
--ulimit files=10|box: --ulimit: "files" is not a limit (core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack, as)
--ulimit nofile=20:10|box: --ulimit: "nofile=20:10": the soft limit is above the hard one
--ulimit nofile=many|box: --ulimit: "nofile=many": SOFT and HARD are numbers or "unlimited"
--user :1|box: --user: ":1" is not UID[:GID] (try 1000 or 1000:1000)
--user nosuchuser|box: --user nosuchuser: no user "nosuchuser" in the container's /etc/passwd
--seccomp strict|box: --seccomp: "strict": the one mode is "unconfined" (--seccomp-profile FILE for a profile)
--security-opt label=disable|box: --security-opt: "label=disable" is not no-new-privileges=true|false or seccomp=unconfined|FILE
--seccomp-profile /nonexistent.json|box: --seccomp-profile /nonexistent.json: No such file or directory
BAD
	PROFILE_DIR=$(mktemp -d /tmp/box-profile.XXXXXX)
	echo '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mount"], "action": "SCMP_ACT_ERRNO", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_FOO" } ] } ] }' > "$PROFILE_DIR/bad-op.json"
	echo '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": "mount", "action": "SCMP_ACT_ERRNO" } ] }' > "$PROFILE_DIR/bad-names.json"
	echo '{ "defaultAction": "SCMP_ACT_ALLOW", ' > "$PROFILE_DIR/truncated.json"
	echo '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mount"], "action": "SCMP_ACT_NOTIFY" } ] }' > "$PROFILE_DIR/notify.json"
	assert_each_refused box --network none <<BAD
--seccomp-profile $PROFILE_DIR/bad-op.json|box: --seccomp-profile $PROFILE_DIR/bad-op.json: syscalls[0].args[0].op: "SCMP_CMP_FOO" is not an operator
--seccomp-profile $PROFILE_DIR/bad-names.json|box: --seccomp-profile $PROFILE_DIR/bad-names.json: syscalls[0]: names: expected an array of system call names
--seccomp-profile $PROFILE_DIR/truncated.json|box: --seccomp-profile $PROFILE_DIR/truncated.json: line 2, column 0: string or '}' expected near end of file
--seccomp-profile $PROFILE_DIR/notify.json|box: --seccomp-profile $PROFILE_DIR/notify.json: syscalls[0]: action: SCMP_ACT_NOTIFY needs a listener, which box does not run
BAD
}
