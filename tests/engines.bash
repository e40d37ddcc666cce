# Shared by the engines' suites (tests/7-podman.bats, tests/7-containerd.bats):
# podman and containerd drive box in place of runc. What they leave outside
# the test's directories (cgroups, files in /var/lib, /run, processes) is
# found and removed here, by path and by PID, never by name.
#
#   engines_absent_record FILE PATH...  before: note which PATHs do not exist
#   engines_absent_remove FILE          after: remove those that now do
#   engines_logging_runtime FILE RUNTIME LOG
#                                       a runtime that logs each call, then
#                                       execs RUNTIME
#   engines_end_group GROUP             end every process in GROUP's tree
#   cgroup_remove_tree GROUP            rmdir GROUP's tree, every hierarchy
#   engines_unmount_under DIR           unmount what is mounted below DIR

load runtime

# --- cgroups (cgroup_v2, cgroup_path, cgroup_read: runtime.bash) -------------

# "frozen" or "thawed": GROUP's freezer (v1 freezer.state, v2 cgroup.freeze).
cgroup_frozen() { # GROUP
	local state
	state=$(cgroup_read freezer "$1" freezer.state cgroup.freeze) || return 1
	case $state in
	FROZEN | 1) echo frozen ;;
	*) echo thawed ;;
	esac
}

# Every process in GROUP and the groups below it (v1: the pids hierarchy's).
cgroup_procs() { # GROUP
	local dir
	dir=$(cgroup_path pids "$1")
	[ -d "$dir" ] || return 0
	find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null
}

# Remove GROUP and every group below it, depth first, in every hierarchy
# (v1's controllers and named hierarchies, and the cgroup2 one, where runc
# also makes its groups).
cgroup_remove_tree() { # GROUP
	local dir
	for dir in /sys/fs/cgroup/"$1" /sys/fs/cgroup/*/"$1"; do
		[ -d "$dir" ] || continue
		find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null ||
			echo "cgroup_remove_tree: $dir stays: $(find "$dir" -type d)" >&2
	done
}

# Thaw GROUP's tree (a paused container's processes cannot end), then end
# its processes: wait for them (a podman cleanup, a dying conmon), TERM, KILL.
engines_end_group() { # GROUP
	local tries pid
	find /sys/fs/cgroup/"$1" /sys/fs/cgroup/freezer/"$1" \
		\( -name freezer.state -o -name cgroup.freeze \) 2> /dev/null |
		while read -r file; do
			case $file in
			*/freezer.state) echo THAWED > "$file" ;;
			*) echo 0 > "$file" ;;
			esac 2> /dev/null
		done
	for tries in $(seq 100); do
		[ -z "$(cgroup_procs "$1")" ] && return 0
		sleep 0.1
	done
	for pid in $(cgroup_procs "$1"); do
		echo "engines_end_group: $1 still holds $pid ($(cat "/proc/$pid/comm" 2>/dev/null)): TERM" >&2
		kill -TERM "$pid" 2>/dev/null
	done
	for tries in $(seq 50); do
		[ -z "$(cgroup_procs "$1")" ] && return 0
		sleep 0.1
	done
	for pid in $(cgroup_procs "$1"); do
		kill -KILL "$pid" 2>/dev/null
	done
}

# --- processes, mounts and files outside the test's directories --------------

# PIDs (from /proc) of the processes running EXE whose command line holds WORD.
engines_pids_of() { # EXE WORD
	local proc
	for proc in /proc/[0-9]*; do
		[ "$(readlink "$proc/exe" 2>/dev/null)" = "$1" ] || continue
		tr '\0' ' ' < "$proc/cmdline" 2>/dev/null | grep -qF -- "$2" && echo "${proc#/proc/}"
	done
}

# End processes by PID: TERM, then KILL those left after 5 s.
engines_end_pids() { # PID...
	local pid tries left
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	for tries in $(seq 50); do
		left=
		for pid in "$@"; do [ -e "/proc/$pid" ] && left=1; done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null
	return 0
}

# Unmount, deepest first, whatever is mounted below DIR (an engine's shm or
# rootfs mounts, if it left any).
engines_unmount_under() { # DIR
	local mount
	for mount in $(awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount -l "$mount" || echo "engines_unmount_under: $mount stays" >&2
	done
}

# Note in FILE which of PATHs do not exist: the engines write some files
# outside what their configuration names (podman's blob cache in
# /var/lib/containers, CNI's cache in /var/lib/cni, containerd's shim
# sockets in /run/containerd).
engines_absent_record() { # FILE PATH...
	local file=$1 path
	shift
	: > "$file"
	for path in "$@"; do
		[ -e "$path" ] || echo "$path" >> "$file"
	done
}

# Remove what of FILE's paths exists now: the test's engines made it.
engines_absent_remove() { # FILE
	local path
	[ -f "$1" ] || return 0
	while read -r path; do
		[ -e "$path" ] || continue
		if mountpoint -q "$path"; then umount -l "$path"; fi
		rm -rf -- "$path"
	done < "$1"
}

# A runtime at FILE that appends each call to LOG ("CALLER: ARGS", CALLER
# the name of the process that ran it: conmon, podman, containerd-shim),
# then execs RUNTIME with the same arguments.
engines_logging_runtime() { # FILE RUNTIME LOG
	cat > "$1" <<-EOF
	#!/bin/sh
	echo "\$(cat /proc/\$PPID/comm): \$*" >> "$3"
	exec "$2" "\$@"
	EOF
	chmod +x "$1"
}

# --- network namespaces ------------------------------------------------------

# A network namespace of the test's own, held by a sleeping process (not
# `ip netns add`, whose /run/netns mount would stay in the machine's table):
# prints the holder's PID. End it with engines_end_pids.
engines_netns_new() {
	unshare --net sleep infinity > /dev/null 2>&1 3>&- &
	local pid=$! tries
	for tries in $(seq 100); do
		[ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.01
	done
	echo "$pid"
}

# The firewall and interfaces of the namespace this test runs in: what an
# engine would change if it reached out of the namespaces the test made.
engines_network_snapshot() { # FILE
	{
		nft list ruleset 2>&1
		iptables-save 2>&1 | grep -v '^#' || true
		ip -o link show | sed 's/^[0-9]*: //; s/ state .*//'
		cat /proc/sys/net/ipv4/ip_forward
	} > "$1"
}
