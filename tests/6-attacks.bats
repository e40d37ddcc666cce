# Stage 6, the attack battery: harmless attacks on what a container's root
# should not be able to do (tests/probe.c, "probe attack"), each tried in
# the boxes of every stage, so that the outcome is asserted stage by stage:
# where an earlier stage lets one through, the test says so and names the
# stage and the mechanism that closes it; stage 6 blocks every one that the
# host itself allows, and each works again with the matching opt-out.
#
# Outcomes: ALLOWED, BLOCKED, or N/A (this kernel lacks the way in, or the
# stage has nothing for it to work on). Run for stage 6, the results make
# the matrix of lecture 06: build/test-results/attack-matrix.adoc.

load helpers
load network

setup_file() {
	export MATRIX=$PWD/build/test-results/attacks.tsv
	# A run of some tests only (TEST_FILTER) writes a matrix of its own,
	# which the lecture's, from a whole run, must not become.
	[ -z "${TEST_FILTER:-}" ] || MATRIX=$BATS_FILE_TMPDIR/attacks.tsv
	if [ "$STAGE" -eq 6 ]; then
		mkdir -p "$(dirname "$MATRIX")"
		printf 'attack\tstage\toutcome\tby\n' > "$MATRIX"
	fi
}

teardown_file() {
	[ "$STAGE" -ne 6 ] || [ -n "${TEST_FILTER:-}" ] ||
		tests/attack-matrix "$MATRIX" "$(dirname "$MATRIX")/attack-matrix.adoc"
}

teardown() {
	[ -z "${HOST_NS:-}" ] || kill -KILL "$HOST_NS" 2>/dev/null || true
	rm -rf "${SETUID_LAYER:-/nonexistent}"
}

PROBE=$ROOTFS/usr/local/bin/probe

# The box of stage N (the earlier stages' own, built in this tree), with
# the options that keep it off the network (stage 5 on).
stage_box() { # N
	local dirs=("$PWD"/stage"$1"-*)
	echo "${dirs[0]}/box"
}
network_none() { [ "$1" -lt 5 ] || echo "--network none"; }

# The outcome word of "probe attack NAME ARG" in BOX with OPTIONS.
outcome_of() { # PREFIX... -- BOX OPTIONS... -- NAME [ARG]
	local out
	out=$("$@" 2>&1)
	case "$out" in
	*": ALLOWED"*) echo ALLOWED ;; *": BLOCKED"*) echo BLOCKED ;; *": N/A"*) echo N/A ;;
	*) echo "?($out)" ;;
	esac
}

# COMMAND with a terminal of its own as stdin (script(1)'s pty).
in_terminal() {
	script -qec "$(printf '%q ' "$@")" /dev/null < /dev/null
}

# check_attack NAME ARG EXPECTED OPT_OUT BY [PREFIX...]
#   EXPECTED: six words, stages 1 to 6: ALLOWED, BLOCKED, N/A, or "host":
#             what the same probe gets on the host itself, outside any box
#   OPT_OUT:  the option of stage 6 under which the attack works again
#             (its outcome then is the host's), or "-" for none
#   BY:       what stops it, for the matrix
#   PREFIX:   what to run each box under (nsenter into a namespace, script)
check_attack() {
	local name=$1 arg=$2 expected=$3 opt_out=$4 by=$5
	shift 5
	local prefix=("$@") host s want got box line="" label=${LABEL:-$name}
	host=$(outcome_of "${prefix[@]}" "$PROBE" attack "$name" $arg)
	[ "$STAGE" -ne 6 ] || printf '%s\t%s\t%s\t%s\n' "$label" host "$host" "$by" >> "$MATRIX"
	local -a wants=($expected)
	# The box under test answers for stage 6 (the final runtime too); the
	# earlier stages' boxes only in stage 6's own run.
	local stages="6"
	[ "$STAGE" -ne 6 ] || stages="1 2 3 4 5 6"
	for s in $stages; do
		box=$BOX
		[ "$s" -eq 6 ] || box=$(stage_box "$s")
		[ -x "$box" ] || fail "no box for stage $s at $box"
		want=${wants[s - 1]}
		[ "$want" != host ] || want=$host
		got=$(outcome_of "${prefix[@]}" "$box" $(network_none "$s") "$ROOTFS" probe attack "$name" $arg)
		[ "$STAGE" -ne 6 ] || printf '%s\t%s\t%s\t%s\n' "$label" "$s" "$got" "$by" >> "$MATRIX"
		[ "$got" = "$want" ] || line+=" stage $s: $got, expected $want;"
	done
	if [ "$opt_out" != - ]; then
		got=$(outcome_of "${prefix[@]}" "$BOX" --network none $opt_out "$ROOTFS" probe attack "$name" $arg)
		[ "$STAGE" -ne 6 ] || printf '%s\t%s\t%s\t%s\n' "$label" "6 $opt_out" "$got" "$by" >> "$MATRIX"
		[ "$got" = "$host" ] || line+=" stage 6 with $opt_out: $got, expected $host (the host's);"
	fi
	[ -z "$line" ] || fail "$name (host: $host):$line"
}

# points: 1
@test "the chroot escape: works in stage 1, closed from stage 2 (pivot_root)" {
	local marker=$BATS_TEST_TMPDIR/host-marker
	touch "$marker"
	check_attack chroot-escape "$marker" "ALLOWED BLOCKED BLOCKED BLOCKED BLOCKED BLOCKED" - "pivot_root (stage 2)"
}

# points: 1
@test "mount(2): root's until stage 6 (seccomp and CAP_SYS_ADMIN); --cap-add SYS_ADMIN gives it back" {
	check_attack mount "" "host host host host host BLOCKED" "--cap-add SYS_ADMIN" "seccomp, no CAP_SYS_ADMIN (stage 6)"
}

# points: 1
@test "fsopen(2), the new mount API: root's until stage 6 (seccomp)" {
	check_attack fsopen "" "host host host host host BLOCKED" "--cap-add SYS_ADMIN" "seccomp, no CAP_SYS_ADMIN (stage 6)"
}

# points: 2
@test "mknod and open of a device (/dev/kmsg, a loop disk): root's until stage 6 (the device cgroup)" {
	LABEL="mknod-open /dev/kmsg" check_attack mknod-open c:1:11 "host host host host host BLOCKED" \
		--privileged "the device cgroup (stage 6)"
	LABEL="mknod-open loop disk" check_attack mknod-open b:7:0 "host host host host host BLOCKED" \
		--privileged "the device cgroup (stage 6)"
	# The root's own disk: what the host allows (some sandboxes do not).
	local disk
	disk=$(awk '$5 == "/" { print $3 }' /proc/self/mountinfo | head -n 1)
	LABEL="mknod-open the root's disk" check_attack mknod-open "b:$disk" "host host host host host BLOCKED" \
		--privileged "the device cgroup (stage 6)"
}

# points: 1
@test "finit_module(2): stage 6 refuses it even where the kernel has modules (seccomp, no CAP_SYS_MODULE)" {
	check_attack finit-module "" "host host host host host BLOCKED" "--seccomp unconfined --cap-add SYS_MODULE" "seccomp, no CAP_SYS_MODULE (stage 6)"
}

# points: 1
@test "kexec_file_load(2): refused from stage 6 (seccomp)" {
	check_attack kexec "" "host host host host host BLOCKED" "--seccomp unconfined --cap-add SYS_BOOT" "seccomp, no CAP_SYS_BOOT (stage 6)"
}

# points: 1
@test "reboot(2): root's until stage 6 (no CAP_SYS_BOOT); in a PID namespace it would end only the container" {
	check_attack reboot "" "host host host host host BLOCKED" "--cap-add SYS_BOOT" "no CAP_SYS_BOOT, seccomp (stage 6)"
}

# points: 1
@test "raw packet sockets: Docker's CAP_NET_RAW keeps them, in the container's own network; --cap-drop NET_RAW takes them" {
	# The one exception to "stage 6 blocks it": Docker keeps NET_RAW (ping
	# used to need it); podman drops it, against ARP and RA spoofing on the
	# bridge (CVE-2020-13401's class). The opt-in here is the drop.
	check_attack raw-socket "" "host host host host host ALLOWED" - "kept: Docker's CAP_NET_RAW"
	run "$BOX" --network none --cap-drop NET_RAW "$ROOTFS" probe attack raw-socket
	assert_output "raw-socket: BLOCKED (EPERM)"
}

# points: 1
@test "the host's network interfaces: seen in stage 1, gone from stage 2 (the network namespace)" {
	HOST_NS=$(netns_new)
	in_host ip link add probe0 type veth peer name probe1
	local mac
	mac=$(in_host ip -o link show probe0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
	[ -n "$mac" ] || fail "no MAC address for probe0"
	check_attack host-network "$mac" "ALLOWED BLOCKED BLOCKED BLOCKED BLOCKED BLOCKED" - "the network namespace (stage 2)" \
		nsenter --net=/proc/"$HOST_NS"/ns/net --
}

# points: 2
@test "unshare(CLONE_NEWUSER): the kernel refuses it in a chroot (stage 1), open from stage 2 until stage 6 (seccomp)" {
	check_attack unshare-user "" "BLOCKED host host host host BLOCKED" "--seccomp unconfined" "seccomp (stage 6)"
}

# points: 1
@test "unshare of other namespaces (mount, network, UTS): root's until stage 6 (seccomp, CAP_SYS_ADMIN)" {
	check_attack unshare-other "" "host host host host host BLOCKED" "--cap-add SYS_ADMIN" "seccomp, no CAP_SYS_ADMIN (stage 6)"
}

# points: 1
@test "the kernel's keyrings (keyctl, not namespaced): reachable until stage 6 (seccomp)" {
	check_attack keyring "" "host host host host host BLOCKED" "--seccomp unconfined" "seccomp (stage 6)"
}

# points: 1
@test "bpf(2): root's until stage 6 (seccomp, no CAP_SYS_ADMIN or CAP_BPF)" {
	check_attack bpf "" "host host host host host BLOCKED" "--cap-add SYS_ADMIN" "seccomp, no CAP_BPF (stage 6)"
}

# points: 1
@test "perf_event_open(2): root's until stage 6 (seccomp, no CAP_PERFMON)" {
	check_attack perf "" "host host host host host BLOCKED" "--cap-add PERFMON" "seccomp, no CAP_PERFMON (stage 6)"
}

# points: 2
@test "open_by_handle_at(2), the shocker escape: root's until stage 6 (no CAP_DAC_READ_SEARCH, seccomp)" {
	check_attack shocker "" "host host host host host BLOCKED" "--cap-add DAC_READ_SEARCH" "no CAP_DAC_READ_SEARCH, seccomp (stage 6)"
}

# points: 1
@test "ioperm(2): refused from stage 6 (seccomp, no CAP_SYS_RAWIO)" {
	check_attack ioperm "" "host host host host host BLOCKED" "--seccomp unconfined --cap-add SYS_RAWIO" "seccomp, no CAP_SYS_RAWIO (stage 6)"
}

# points: 1
@test "swapon(2): root's until stage 6 (seccomp)" {
	check_attack swapon "" "host host host host host BLOCKED" "--seccomp unconfined --cap-add SYS_ADMIN" "seccomp (stage 6)"
}

# points: 1
@test "syslog(2), the kernel's log (not namespaced): root's until stage 6 (no CAP_SYSLOG, seccomp)" {
	check_attack syslog "" "host host host host host BLOCKED" "--cap-add SYSLOG" "no CAP_SYSLOG, seccomp (stage 6)"
}

# points: 1
@test "userfaultfd(2), a tool for kernel races: root's until stage 6 (seccomp)" {
	# (Where vm.unprivileged_userfaultfd is 0, it also needs CAP_SYS_PTRACE.)
	check_attack userfaultfd "" "host host host host host BLOCKED" "--seccomp unconfined --cap-add SYS_PTRACE" "seccomp (stage 6)"
}

# points: 1
@test "io_uring_setup(2): root's until stage 6 (seccomp)" {
	check_attack io-uring "" "host host host host host BLOCKED" "--seccomp unconfined" "seccomp (stage 6)"
}

# points: 1
@test "clock_settime(2), the machine's clock (not namespaced): root's until stage 6 (no CAP_SYS_TIME)" {
	check_attack clock "" "host host host host host BLOCKED" "--cap-add SYS_TIME" "no CAP_SYS_TIME, seccomp (stage 6)"
}

# points: 1
@test "acct(2): root's until stage 6 (no CAP_SYS_PACCT, seccomp)" {
	check_attack acct "" "host host host host host BLOCKED" "--cap-add SYS_PACCT" "no CAP_SYS_PACCT, seccomp (stage 6)"
}

# points: 1
@test "AF_VSOCK sockets, to the hypervisor: reachable until stage 6 (seccomp's socket rule)" {
	check_attack vsock "" "host host host host host BLOCKED" "--seccomp unconfined" "seccomp (stage 6)"
}

# points: 1
@test "AF_VSOCK with high bits set in the family (the kernel reads an int): blocked as well in stage 6" {
	check_attack vsock-high "" "host host host host host BLOCKED" "--seccomp unconfined" "seccomp, on the low 32 bits (stage 6)"
}

# points: 1
@test "/proc/sysrq-trigger and /proc/kcore: read-only and masked in stage 6 (where the kernel has them)" {
	local sysrq=BLOCKED kcore=BLOCKED
	[ -e /proc/sysrq-trigger ] || sysrq=N/A # kernel lacks MAGIC_SYSRQ
	[ -e /proc/kcore ] || kcore=N/A         # kernel lacks PROC_KCORE
	LABEL=sysrq-trigger check_attack sysrq "" "N/A host host host host $sysrq" --privileged "read-only path (stage 6)"
	check_attack kcore "" "N/A host host host host $kcore" --privileged "masked path (stage 6)"
}

# points: 1
@test "/proc/timer_list, every timer of the machine: readable from stage 2, masked in stage 6" {
	check_attack timer-list "" "N/A host host host host BLOCKED" --privileged "masked path (stage 6)"
}

# points: 1
@test "writing under /sys: read-only from stage 2 (its mount)" {
	check_attack write-sys "" "N/A BLOCKED BLOCKED BLOCKED BLOCKED BLOCKED" - "read-only /sys (stage 2)"
}

# points: 2
@test "a writable cgroup file (v1 release_agent's precondition): a mount away until stage 6 (seccomp, no CAP_SYS_ADMIN)" {
	check_attack cgroup-write "" "N/A ALLOWED ALLOWED ALLOWED ALLOWED BLOCKED" "--cap-add SYS_ADMIN" "seccomp, no CAP_SYS_ADMIN (stage 6)"
}

# points: 2
@test "/proc/sys/kernel/core_pattern, the host's crash handler: writable from stage 2 until stage 6 (read-only path)" {
	check_attack core-pattern "" "N/A ALLOWED ALLOWED ALLOWED ALLOWED BLOCKED" --privileged "read-only /proc/sys (stage 6)"
}

# points: 1
@test "reaching a host process: possible in stage 1, not from stage 2 (the PID namespace)" {
	check_attack host-process "$$" "ALLOWED BLOCKED BLOCKED BLOCKED BLOCKED BLOCKED" - "the PID namespace (stage 2)"
}

# points: 2
@test "descriptors leaked from box (CVE-2024-21626's class): stage 1's command inherits them, none from stage 2 on" {
	exec 7</ # a descriptor of the host's root, open in every box the test starts
	check_attack leaked-fds "" "ALLOWED BLOCKED BLOCKED BLOCKED BLOCKED BLOCKED" - "close_range before exec (stage 2)"
	exec 7<&-
}

# points: 2
@test "the host's box binary (CVE-2019-5736's class): reached by no process or descriptor inside, --init or not" {
	local host
	host=$(stat -L -c %d:%i "$BOX")
	check_attack runtime-binary "$host" "N/A BLOCKED BLOCKED BLOCKED BLOCKED BLOCKED" - "the command as PID 1, a sealed memfd for --init (stage 2)"
	run "$BOX" --network none --init "$ROOTFS" probe attack runtime-binary "$host"
	assert_output --partial "runtime-binary: BLOCKED"
}

# points: 2
@test "TIOCSTI, typing into the caller's terminal: works until stage 6 (seccomp's ioctl rule)" {
	command -v script > /dev/null || fail "script(1) is missing (util-linux)"
	# script(1) gives the boxes a terminal of the test's own; what the probe
	# pushes into it (one NUL) goes nowhere else.
	check_attack tiocsti "" "host host host host host BLOCKED" "--cap-add SYS_ADMIN" "seccomp (stage 6)" \
		in_terminal
}

# points: 1
@test "TIOCSTI with high bits set in the request (flatpak's CVE-2019-10063): blocked as well in stage 6" {
	command -v script > /dev/null || fail "script(1) is missing (util-linux)"
	check_attack tiocsti-high "" "host host host host host BLOCKED" "--cap-add SYS_ADMIN" "seccomp, on the low 32 bits (stage 6)" \
		in_terminal
}

# points: 2
@test "a setuid binary raising a user's privileges: stopped by no_new_privs (stage 6); --security-opt no-new-privileges=false lets it" {
	# Before stage 6 the command is root already (no --user): N/A.
	SETUID_LAYER=$(mktemp -d /tmp/box-setuid.XXXXXX)
	chmod 755 "$SETUID_LAYER"
	install -m 4755 -o root "$PROBE" "$SETUID_LAYER/probe-setuid"
	run "$BOX" --network none --user 1000 --layer "$SETUID_LAYER" "$ROOTFS" /probe-setuid attack setuid
	assert_output "setuid: BLOCKED (euid 1000)"
	run "$BOX" --network none --user 1000 --security-opt no-new-privileges=false --layer "$SETUID_LAYER" \
		"$ROOTFS" /probe-setuid attack setuid
	assert_output "setuid: ALLOWED (euid 0)"
	if [ "$STAGE" -eq 6 ]; then
		local s by="no_new_privs (stage 6)"
		for s in host 1 2 3 4 5; do printf 'setuid\t%s\tN/A\t%s\n' "$s" "$by" >> "$MATRIX"; done
		printf 'setuid\t6\tBLOCKED\t%s\n' "$by" >> "$MATRIX"
		printf 'setuid\t6 --security-opt no-new-privileges=false\tALLOWED\t%s\n' "$by" >> "$MATRIX"
	fi
}
