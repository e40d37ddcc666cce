# shellcheck shell=bash
# tools/bench/lib.sh: helpers shared by the bench scripts (sourced, not run).
#
# The bench starts processes and containers on a machine where other people
# run tests at the same time, so everything here works by PID and by names the
# bench chose itself: no pkill, no killall, no cgroup the bench did not make.

say() { printf 'bench: %s\n' "$*"; }
warn() { printf 'bench: %s\n' "$*" >&2; }

# Microseconds since the epoch, without forking date(1): bash 5 keeps the
# clock in $EPOCHREALTIME ("seconds.micros"), so a timed loop measures the
# containers, not the clock.
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# start_time PID: set $proc_start to the process's start time (field 22 of
# /proc/PID/stat); fail if the process is gone. With the PID it names one
# process for good: a PID can be reused, a (PID, start time) pair cannot.
# A variable, not output: $(...) would fork once per process, and stopping
# 200 containers asks about 600 processes many times over.
start_time() {
	local stat
	{ read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
	stat=${stat##*) } # the command name may hold spaces and parentheses
	# shellcheck disable=SC2086 # split on purpose: numbers and a state letter
	set -- $stat
	proc_start=${20}
}

# signal_if_same SIGNAL PID START: send SIGNAL only if PID is still the
# process that started at START (one the bench started itself).
signal_if_same() {
	start_time "$2" || return 0
	[ "$proc_start" = "$3" ] && kill "-$1" "$2" 2>/dev/null
	return 0
}

# process_trees ROOT_PID...: every live process in the trees rooted at the
# given PIDs, one line each: "ROOT PID COMM". One ps(1) call and one awk walk,
# so polling 200 containers stays cheap. Zombies are left out: they hold no
# memory and are only waiting to be reaped.
process_trees() {
	[ $# -gt 0 ] || return 0
	ps -e -o pid=,ppid=,stat=,comm= | awk -v roots="$*" '
		$3 !~ /^Z/ { parent[$1] = $2; comm[$1] = $4; n++; pids[n] = $1 }
		END {
			split(roots, r, " ")
			for (i in r) root_of[r[i]] = r[i]
			# Walk up from every process until a root (or PID 1) is met.
			for (k = 1; k <= n; k++) {
				p = pids[k]
				for (q = p; q != "" && q != 0 && q != 1 && !(q in root_of); q = parent[q]) {}
				if (q in root_of) print root_of[q], p, comm[p]
			}
		}'
}

# memcg_usage PID: bytes charged to the memory cgroup PID is in, as
# "PATH BYTES" (cgroup v1 memory.usage_in_bytes or v2 memory.current).
memcg_usage() {
	local path file
	path=$(awk -F: '$2 == "memory" { print $3; found = 1; exit }
		$1 == "0" && $2 == "" { v2 = $3 }
		END { if (!found && v2 != "") print v2 }' "/proc/$1/cgroup" 2>/dev/null) || return 1
	[ -n "$path" ] || return 1
	if [ -f "/sys/fs/cgroup/memory$path/memory.usage_in_bytes" ]; then
		file=/sys/fs/cgroup/memory$path/memory.usage_in_bytes
	elif [ -f "/sys/fs/cgroup$path/memory.current" ]; then
		file=/sys/fs/cgroup$path/memory.current
	else
		return 1
	fi
	echo "$path $(cat "$file")"
}

# meminfo_kib FIELD...: /proc/meminfo values in KiB, space separated.
meminfo_kib() {
	local fields="$*"
	awk -v want="$fields" 'BEGIN { n = split(want, w, " ") }
		{ sub(":", "", $1); v[$1] = $2 }
		END { for (i = 1; i <= n; i++) printf "%s%s", v[w[i]], (i < n ? " " : "\n") }' /proc/meminfo
}

# cgroup_box_parents: the lab's cgroup parents that exist now, one per line
# (/sys/fs/cgroup/box on cgroup v2, /sys/fs/cgroup/*/box on v1 and hybrid).
cgroup_box_parents() {
	local d
	for d in /sys/fs/cgroup/box /sys/fs/cgroup/*/box; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# cgroup_mode: how this host mounts cgroups, in the words of the docs.
cgroup_mode() {
	local fstype v2
	fstype=$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)
	if [ "$fstype" = cgroup2fs ]; then
		echo "unified (cgroup v2 only)"
		return
	fi
	v2=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
	if [ -n "$v2" ]; then
		echo "hybrid (cgroup v1 controllers; cgroup2 at $v2 with controllers: $(cat "$v2/cgroup.controllers" 2>/dev/null | tr -s ' ' || true))"
	else
		echo "legacy (cgroup v1 only)"
	fi
}
