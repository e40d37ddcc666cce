# Network tests' worlds (tests/5-network.bats): every test builds its own,
# in network namespaces the test makes, and takes it down in teardown, also
# when it fails. Nothing touches the machine's interfaces, routes or
# firewall, and no packet leaves these namespaces.
#
#   "host"      box runs here (in_host): box0, box's nft table and ip_forward
#               live in this namespace, never in the machine's
#   "upstream"  the outside world, joined to the host by a veth pair, on
#               documentation addresses (RFC 5737):
#
#       upstream 198.51.100.2/24 [up0] ---- [host0] 198.51.100.1/24 host
#                                                   (default route: upstream)
#
# A namespace is held by a process of its own (unshare --net sleep), never
# with `ip netns add`, which would leave a mount in the machine's table.

HOST_ADDRESS=198.51.100.1
UPSTREAM_ADDRESS=198.51.100.2

# Start a sleeping process in a new network namespace; print its PID.
netns_new() {
	unshare --net sleep infinity > /dev/null 2>&1 &
	local pid=$! tries
	# Until unshare has exec'd sleep in its new namespace.
	for tries in $(seq 100); do
		[ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.01
	done
	echo "$pid"
}

in_host() { nsenter --net=/proc/"$HOST_NS"/ns/net -- "$@"; }
in_upstream() { nsenter --net=/proc/"$UPSTREAM_NS"/ns/net -- "$@"; }

# box in the host namespace, under the suite's timeout (helpers.bash).
hbox() { in_host timeout --foreground --kill-after=30 "${BOX_TEST_TIMEOUT:-300}" "$BOX" "$@"; }

# Start box in the host namespace in the background; return once the
# container printed "serving" (probe serve) or "ready". Sets BOX_PID.
hbox_start() {
	local fifo=$BATS_TEST_TMPDIR/ready.$RANDOM
	mkfifo "$fifo"
	nsenter --net=/proc/"$HOST_NS"/ns/net -- "$BOX" "$@" > "$fifo" 2>> "$BATS_TEST_TMPDIR/err" &
	BOX_PID=$!
	BOX_PIDS+=("$BOX_PID")
	local fd line
	exec {fd}< "$fifo"
	read -r -t 20 line <&"$fd" || fail "box did not get ready: $(cat "$BATS_TEST_TMPDIR/err")"
	exec {fd}<&-
	case "$line" in ready | serving*) ;; *) fail "expected ready, got: $line" ;; esac
}

# A server in the upstream namespace (the static probe, run there directly).
upstream_serve() { # PORT [udp]
	local fifo=$BATS_TEST_TMPDIR/serve.$RANDOM line fd
	mkfifo "$fifo"
	# nsenter execs the probe: $! is the server itself.
	nsenter --net=/proc/"$UPSTREAM_NS"/ns/net -- "$PROBE" serve "$@" > "$fifo" 2>&1 &
	SERVER_PIDS+=("$!")
	exec {fd}< "$fifo"
	read -r -t 10 line <&"$fd" || fail "the upstream server did not start"
	exec {fd}<&-
}

net_world_setup() {
	BOX_PIDS=() SERVER_PIDS=() KILLED_IDS=()
	PROBE=$ROOTFS/usr/local/bin/probe
	HOST_NS=$(netns_new)
	UPSTREAM_NS=$(netns_new)
	in_host ip link add host0 type veth peer name up0
	in_host ip link set up0 netns "$UPSTREAM_NS"
	in_host ip addr add "$HOST_ADDRESS/24" dev host0
	in_host ip link set host0 up
	in_host ip link set lo up
	in_host ip route add default via "$UPSTREAM_ADDRESS"
	in_upstream ip addr add "$UPSTREAM_ADDRESS/24" dev up0
	in_upstream ip link set up0 up
	in_upstream ip link set lo up
	# What box must leave as it found it, in the host namespace.
	HOST_LINKS_BEFORE=$(in_host ip -o link show | awk -F': ' '{ print $2 }' | sort)
	HOST_FORWARD_BEFORE=$(in_host cat /proc/sys/net/ipv4/ip_forward)
}

# After every test: box's boxes stopped (by PID), then nothing of box's is
# left in the host namespace: no link but ours, no nft table, no lease, and
# ip_forward as it was. Then the namespaces go (their processes, by PID).
# A box the test killed with SIGKILL leaves what it made outside the
# network (stage 3's cgroup, stage 4's upper layer), as runc leaves its
# state after kill -9: teardown removes them. KILLED_IDS: their ids.
remove_killed_boxes() {
	local id
	for id in "${KILLED_IDS[@]}"; do
		find /sys/fs/cgroup -maxdepth 4 -type d -path "*/box/$id" -exec rmdir {} + 2>/dev/null || true
		rm -rf "/var/lib/box/containers/$id"
		# The final runtime lists it, stopped, until it is deleted.
		[ "$STAGE" -lt 7 ] || "$BOX" delete --force "$id"
	done
}

net_world_teardown() {
	local pid status=0
	for pid in "${BOX_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || continue
		for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "${SERVER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	remove_killed_boxes
	if [ -n "${HOST_NS:-}" ]; then
		local links leases ruleset forward ns tries
		# A container's veth pair goes with its namespace, which the
		# kernel frees in the background once its last process is gone.
		for tries in $(seq 50); do
			links=$(in_host ip -o link show | awk -F': ' '{ print $2 }' | sort)
			[ "$links" = "$HOST_LINKS_BEFORE" ] && break
			sleep 0.1
		done
		ruleset=$(in_host nft list ruleset)
		forward=$(in_host cat /proc/sys/net/ipv4/ip_forward)
		ns=$(stat -L -c %i /proc/"$HOST_NS"/ns/net)
		leases=$(find /run/box-network/net-"$ns" 2>/dev/null)
		kill -KILL "$HOST_NS" "$UPSTREAM_NS" 2>/dev/null || true
		[ "$links" = "$HOST_LINKS_BEFORE" ] || { echo "links left: $links" >&2; status=1; }
		[ -z "$ruleset" ] || { echo "nft rules left: $ruleset" >&2; status=1; }
		[ -z "$leases" ] || { echo "network state left: $leases" >&2; status=1; }
		[ "$forward" = "$HOST_FORWARD_BEFORE" ] || { echo "ip_forward left at $forward" >&2; status=1; }
	fi
	return "$status"
}

# The state box keeps for the host namespace (leases): its directory.
host_state_dir() { echo "/run/box-network/net-$(stat -L -c %i /proc/"$HOST_NS"/ns/net)"; }
