# Stage 5, network: a container on box's bridge, with an address, a way
# out (masquerade) and published ports (DNAT); none, host, and rootless
# through slirp4netns. Every test runs in a world of its own (network.bash):
# box runs in a "host" namespace the test made, joined to an "upstream" one.

load helpers
load network

setup() {
	net_world_setup
}

teardown() {
	net_world_teardown
}

# The container's address on eth0, from inside: "10.77.0.2/16".
eth0_address() { # BOX OPTIONS...
	hbox "$@" "$ROOTFS" sh -c 'ip -o -4 addr show eth0' | awk '{ print $4 }'
}

# points: 2
@test "the container has eth0 with an address of the subnet, and a default route through the bridge" {
	run hbox "$ROOTFS" sh -c 'ip -o -4 addr show eth0; ip route; ls /sys/class/net'
	assert_success
	assert_line --regexp '^2: +eth0 +inet 10\.77\.[0-9]+\.[0-9]+/16 '
	assert_line --regexp '^default via 10\.77\.0\.1 dev eth0'
	assert_line lo
	# Outside, while it runs: its veth is a port of box0, which has the gateway's address.
	hbox_start --init "$ROOTFS" sh -c 'echo ready; sleep 100'
	run in_host ip -o link show master box0
	assert_success
	assert_output --regexp '^[0-9]+: box[0-9a-f]{12}@'
	run in_host ip -o -4 addr show box0
	assert_output --partial "inet 10.77.0.1/16"
	run find "$(host_state_dir)/box0" -name '10.77.*'
	assert_success
	[ "${#lines[@]}" -eq 1 ] || fail "expected one lease: $output"
}

# points: 2
@test "two containers reach each other, by address and by name" {
	hbox_start --init --hostname alpha "$ROOTFS" probe serve 7000
	run hbox --hostname beta "$ROOTFS" sh -c 'grep alpha /etc/hosts; probe connect "$(grep alpha /etc/hosts | cut -f1)" 7000; ping -c 1 -W 2 alpha > /dev/null && echo pinged'
	assert_success
	assert_line --regexp '^10\.77\.[0-9.]+	alpha$'
	assert_line --regexp '^hello from alpha to 10\.77\.[0-9.]+$'
	assert_line pinged
}

# points: 1
@test "a peer's /etc/hosts gains a new container's name, in place (the same inode)" {
	hbox_start --init --hostname alpha "$ROOTFS" sh -c 'echo ready; sleep 100'
	# alpha's hosts file, on the host: in its state directory.
	local file before
	file=$(grep -l $'\talpha$' /var/lib/box/containers/*/hosts | head -n 1)
	[ -n "$file" ] || fail "alpha's hosts file not found"
	before=$(stat -c %i "$file")
	run hbox --hostname beta "$ROOTFS" sh -c 'cat /etc/hosts; cat /proc/self/mountinfo'
	assert_success
	assert_line --regexp $'^10\\.77\\.[0-9.]+\talpha$'
	# While beta ran, alpha's file had beta's line; now it is gone again,
	# and the file is the one alpha's /etc/hosts is bound to.
	run cat "$file"
	refute_line --partial beta
	assert_line --partial alpha
	assert_equal "$(stat -c %i "$file")" "$before"
}

# points: 2
@test "a container reaches the upstream server, which sees the host's address (masquerade)" {
	upstream_serve 8000
	run hbox "$ROOTFS" probe connect "$UPSTREAM_ADDRESS" 8000
	assert_success
	assert_output "hello from $(hostname) to $HOST_ADDRESS"
	# The rule that did it, in box's own table of the host namespace.
	hbox_start --init "$ROOTFS" sh -c 'echo ready; sleep 100'
	run in_host nft list table ip box
	assert_output --partial 'iifname @bridges oifname != @bridges masquerade'
	run in_host cat /proc/sys/net/ipv4/ip_forward
	assert_output 1
}

# points: 3
@test "a published port answers from the container: from upstream, the host's address and 127.0.0.1" {
	hbox_start --init --hostname web --publish 8080:80 "$ROOTFS" probe serve 80
	run in_upstream "$PROBE" connect "$HOST_ADDRESS" 8080
	assert_success
	assert_output "hello from web to $UPSTREAM_ADDRESS"
	run in_host "$PROBE" connect "$HOST_ADDRESS" 8080
	assert_success
	assert_output "hello from web to $HOST_ADDRESS"
	# From 127.0.0.1 the container sees the bridge: it could not answer 127.0.0.1.
	run in_host "$PROBE" connect 127.0.0.1 8080
	assert_success
	assert_output "hello from web to 10.77.0.1"
	run in_host nft list map ip box published
	assert_output --regexp 'tcp \. 8080 : 10\.77\.[0-9.]+ \. 80'
}

# points: 1
@test "a UDP port and a port on one host address are published too" {
	hbox_start --init --hostname dns --publish "$HOST_ADDRESS:5353:53/udp" "$ROOTFS" probe serve 53 udp
	run in_upstream "$PROBE" connect "$HOST_ADDRESS" 5353 udp
	assert_success
	assert_output "hello from dns to $UPSTREAM_ADDRESS"
	run in_host nft list map ip box published_on
	assert_output --regexp "$HOST_ADDRESS \\. udp \\. 5353 : 10\\.77\\.[0-9.]+ \\. 53"
}

# points: 2
@test "a host port published by a running container is refused to a second, with one line and 125" {
	hbox_start --init --publish 8080:80 "$ROOTFS" probe serve 80
	run --separate-stderr hbox --publish 8080:81 "$ROOTFS" true
	assert_failure 125
	assert_one_line_on_stderr
	[[ "$stderr" =~ ^box:\ --publish:\ host\ port\ 8080/tcp\ is\ published\ by\ container\ [0-9a-f]{12}\ already$ ]] ||
		fail "$stderr"
	# Nothing of the refused one: one veth, one lease, one map element.
	run in_host ip -o link show master box0
	[ "${#lines[@]}" -eq 1 ] || fail "$output"
	run find "$(host_state_dir)/box0" -name '10.77.*'
	[ "${#lines[@]}" -eq 1 ] || fail "$output"
	run in_host nft list map ip box published
	assert_output --partial ': 10.77.'
	# The first still answers.
	run in_upstream "$PROBE" connect "$HOST_ADDRESS" 8080
	assert_success
}

# points: 1
@test "box0 has a hardware address of its own: it does not change as containers come and go" {
	hbox_start --init "$ROOTFS" sh -c 'echo ready; sleep 100'
	local before after
	before=$(in_host ip -o link show box0 | grep -o 'link/ether [0-9a-f:]*')
	run hbox "$ROOTFS" true
	after=$(in_host ip -o link show box0 | grep -o 'link/ether [0-9a-f:]*')
	assert_equal "$after" "$before"
	# Locally administered (bit 1 of the first byte), unicast (bit 0 clear).
	local first=$((16#${before:11:2}))
	(( (first & 3) == 2 )) || fail "not a locally administered unicast address: $before"
}

# points: 2
@test "only published ports come in: a neighbour routing the subnet through the host reaches no other port" {
	# Port 81 listens before port 80 says "serving": the test reads that line.
	hbox_start --init --hostname web --publish 8080:80 "$ROOTFS" sh -c '
		probe serve 81 > /tmp/81 & until grep -q serving /tmp/81; do sleep 0.05; done; probe serve 80'
	local address
	address=$(in_host cat "$(host_state_dir)"/box0/10.77.* | awk '$1 == "address" { print $2 }')
	in_upstream ip route add 10.77.0.0/16 via "$HOST_ADDRESS"
	run in_upstream "$PROBE" connect "$address" 81
	assert_failure
	run in_upstream "$PROBE" connect "$HOST_ADDRESS" 8080
	assert_success
	assert_output "hello from web to $UPSTREAM_ADDRESS"
}

# points: 2
@test "a container cannot reach the host's 127.0.0.1 services through route_localnet (CVE-2020-8558)" {
	# A service of the host namespace on 127.0.0.1 only.
	nsenter --net=/proc/"$HOST_NS"/ns/net -- "$PROBE" serve 127.0.0.1:9999 > /dev/null &
	SERVER_PIDS+=("$!")
	sleep 0.2
	run in_host "$PROBE" connect 127.0.0.1 9999
	assert_success
	run in_host "$PROBE" connect "$HOST_ADDRESS" 9999 # only 127.0.0.1
	assert_failure
	# Root in the container sends a packet for 127.0.0.1 to the bridge.
	run hbox "$ROOTFS" sh -c '
		echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet
		echo 1 > /proc/sys/net/ipv4/conf/eth0/accept_local
		ip route del local 127.0.0.0/8 dev lo table local
		ip route del local 127.0.0.1 dev lo table local
		ip route add 127.0.0.1/32 via 10.77.0.1 dev eth0
		probe connect 127.0.0.1 9999'
	assert_failure
	refute_output --partial hello
}

# points: 1
@test "a host port a process of the host listens on is refused" {
	nsenter --net=/proc/"$HOST_NS"/ns/net -- "$PROBE" serve 9000 > /dev/null &
	SERVER_PIDS+=("$!")
	sleep 0.3
	run --separate-stderr hbox --publish 9000:80 "$ROOTFS" true
	assert_failure 125
	assert_equal "$stderr" "box: --publish: host port 9000/tcp is in use by a process of this host"
}

# points: 2
@test "twenty containers started at once get twenty different addresses" {
	local i
	for i in $(seq 20); do
		hbox "$ROOTFS" sh -c 'ip -o -4 addr show eth0; sleep 1' > "$BATS_TEST_TMPDIR/c$i" 2>&1 &
		BOX_PIDS+=("$!")
	done
	wait "${BOX_PIDS[@]}"
	BOX_PIDS=()
	run sh -c "cat $BATS_TEST_TMPDIR/c* | awk '{ print \$4 }' | sort -u | wc -l"
	assert_output 20
	run sh -c "cat $BATS_TEST_TMPDIR/c* | grep -c '10\\.77\\.'"
	assert_output 20
}

# points: 2
@test "after SIGKILL of a box, the next start reclaims its address, veth and published port" {
	hbox_start --trace --init --publish 8080:80 --ip 10.77.0.9 "$ROOTFS" probe serve 80
	local dead=$BOX_PID
	kill -KILL "$dead"
	wait "$dead" 2>/dev/null || true
	BOX_PIDS=()
	KILLED_IDS+=("$(grep -oE 'containers/[0-9a-f]{12}' "$BATS_TEST_TMPDIR/err" | head -n 1 | cut -d/ -f2)")
	# Its lease and map element are still there: nobody removed them.
	assert_file_exists "$(host_state_dir)/box0/10.77.0.9"
	run in_host nft list map ip box published
	assert_output --partial '10.77.0.9'
	# The next box takes the same address and port.
	run --separate-stderr hbox --trace --ip 10.77.0.9 --publish 8080:80 "$ROOTFS" ip -o -4 addr show eth0
	assert_success
	assert_output --partial "inet 10.77.0.9/16"
	[[ "$stderr" == *"reclaim 10.77.0.9 of container "*": its box (process $dead) is gone"* ]] || fail "$stderr"
}

# points: 1
@test "a killed container's name leaves its peers' /etc/hosts; a peer of the same name keeps its own line" {
	hbox_start --trace --init --hostname victim "$ROOTFS" sh -c 'echo ready; sleep 100'
	local dead=$BOX_PID
	KILLED_IDS+=("$(grep -oE 'containers/[0-9a-f]{12}' "$BATS_TEST_TMPDIR/err" | head -n 1 | cut -d/ -f2)")
	hbox_start --init --hostname keeper "$ROOTFS" sh -c 'echo ready; sleep 100'
	BOX_PIDS=("$BOX_PID")
	local file own
	# Its own file: its own line comes third, after localhost's two.
	file=$(awk -F '\t' 'FNR == 3 && $2 == "keeper" { print FILENAME }' /var/lib/box/containers/*/hosts | head -n 1)
	[ -n "$file" ] || fail "keeper's hosts file not found"
	own=$(grep $'\tkeeper$' "$file")
	assert_equal "$(grep -c $'\tvictim$' "$file")" 1
	kill -KILL "$dead"
	wait "$dead" 2>/dev/null || true
	# The next start reclaims victim's lease, and its line leaves keeper's
	# file; this container is named keeper too, and its line goes when it
	# ends: keeper's own line stays.
	run hbox --hostname keeper "$ROOTFS" true
	assert_success
	run cat "$file"
	refute_line --partial victim
	assert_equal "$(grep $'\tkeeper$' "$file")" "$own"
}

# points: 1
@test "the bridge, box's table and ip_forward go with the last container" {
	run hbox "$ROOTFS" true
	assert_success
	run in_host ip link show box0
	assert_failure
	run in_host nft list tables
	assert_output ""
	# (teardown checks the rest: links, rules, leases, ip_forward.)
}

# points: 1
@test "--network none has only lo; --network host sees the host namespace's interfaces" {
	run hbox --network none "$ROOTFS" ls /sys/class/net
	assert_success
	assert_output lo
	run hbox --network host "$ROOTFS" ls /sys/class/net
	assert_success
	assert_line host0
	assert_line lo
	run in_host ip link show box0
	assert_failure
}

# points: 2
@test "rootless: slirp4netns gives a working network and publishes a port" {
	command -v slirp4netns > /dev/null || fail "slirp4netns is missing (make deps)"
	upstream_serve 8000
	# slirp4netns needs /dev/net/tun, mode 0666 on most systems. Where it
	# is not (this host's is 0600), the test gives box one in a mount
	# namespace of its own: the machine's node is not changed.
	local tun_fix=""
	if ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -w /dev/net/tun; then
		mkdir "$BATS_TEST_TMPDIR/tun"
		tun_fix="mount -t tmpfs tmpfs $BATS_TEST_TMPDIR/tun && mknod -m 0666 $BATS_TEST_TMPDIR/tun/tun c 10 200 &&
			mount --bind $BATS_TEST_TMPDIR/tun/tun /dev/net/tun &&"
	fi
	# nsenter, unshare, sh and setpriv each exec the next: $! is box.
	nsenter --net=/proc/"$HOST_NS"/ns/net -- unshare --mount --propagation private sh -c "$tun_fix
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env \"\$0\" \"\$@\"" \
		"$BOX" --init --hostname rootless --publish 8081:80 "$ROOTFS" sh -c \
		"ip -o -4 addr show eth0 >&2; probe connect $UPSTREAM_ADDRESS 8000 >&2; probe serve 80" \
		> "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	BOX_PIDS+=("$!")
	local tries
	for tries in $(seq 100); do grep -q serving "$BATS_TEST_TMPDIR/out" && break; sleep 0.1; done
	run cat "$BATS_TEST_TMPDIR/err"
	assert_line --regexp '^2: +eth0 +inet 10\.0\.2\.100/24 '
	assert_line "hello from $(hostname) to $HOST_ADDRESS"
	run in_upstream "$PROBE" connect "$HOST_ADDRESS" 8081
	assert_success
	assert_output "hello from rootless to $UPSTREAM_ADDRESS"
}

# points: 1
@test "resolv.conf: the host's nameservers but those on 127.0.0.0/8, or --dns; hosts has the container" {
	run hbox --hostname named "$ROOTFS" sh -c 'cat /etc/resolv.conf; cat /etc/hosts'
	assert_success
	refute_line --regexp '^nameserver 127\.'
	local server
	for server in $(awk '$1 == "nameserver" && $2 !~ /^127\./ { print $2 }' /etc/resolv.conf); do
		assert_line "nameserver $server"
	done
	assert_line --regexp $'^10\\.77\\.[0-9.]+\tnamed$'
	assert_line $'127.0.0.1\tlocalhost'
	run hbox --dns 192.0.2.53 --dns 2001:db8::53 "$ROOTFS" cat /etc/resolv.conf
	assert_success
	assert_line "nameserver 192.0.2.53"
	assert_line "nameserver 2001:db8::53"
	# The rootfs's own files are not written.
	assert_equal "$(cat "$ROOTFS/etc/resolv.conf")" ""
	run hbox "$ROOTFS" sh -c 'echo x >> /etc/resolv.conf'
	assert_failure
}

# points: 1
@test "--subnet and --ip give the bridge and the container their addresses" {
	run hbox --subnet 10.99.0.0/24 --ip 10.99.0.42 "$ROOTFS" sh -c 'ip -o -4 addr show eth0; ip route'
	assert_success
	assert_output --partial "inet 10.99.0.42/24"
	assert_line --regexp '^default via 10\.99\.0\.1 dev eth0'
	# An address that is taken, while its container runs.
	hbox_start --init --ip 10.77.0.5 "$ROOTFS" sh -c 'echo ready; sleep 100'
	run --separate-stderr hbox --ip 10.77.0.5 "$ROOTFS" true
	assert_failure 125
	[[ "$stderr" =~ ^box:\ 10\.77\.0\.5\ is\ taken\ by\ container\ [0-9a-f]{12}$ ]] || fail "$stderr"
	# And a bridge in use keeps its subnet.
	run --separate-stderr hbox --subnet 10.98.0.0/16 "$ROOTFS" true
	assert_failure 125
	assert_equal "$stderr" "box: bridge box0 is on 10.77.0.0/16 while containers use it: --subnet 10.98.0.0/16 needs another --bridge"
}

# points: 1
@test "box makes links, addresses, routes and rules by itself: it never runs ip, nft, iptables or sysctl" {
	command -v strace > /dev/null || fail "strace is missing"
	# (LeakSanitizer cannot run under ptrace: a SANITIZE=1 box does without it here.)
	run in_host env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve \
		-o "$BATS_TEST_TMPDIR/execs" "$BOX" --publish 8080:80 "$ROOTFS" true
	assert_success
	run grep -E 'execve\("[^"]*/(ip|nft|iptables|sysctl|brctl)"' "$BATS_TEST_TMPDIR/execs"
	assert_failure
}

# points: 1
@test "libnftables is loaded only when box touches its table" {
	# With the libraries it brings, it costs every start 0.8 ms (make bench).
	# The bridge's first container makes the table, and so loads it:
	hbox_start --init "$ROOTFS" sh -c 'echo ready; sleep 100'
	run grep -c 'libnftables\.so' /proc/"$BOX_PID"/maps
	[ "$output" -gt 0 ] || fail "the first container did not load libnftables"
	# The next one, which publishes nothing, does not:
	hbox_start --init "$ROOTFS" sh -c 'echo ready; sleep 100'
	run grep -c 'libnftables\.so' /proc/"$BOX_PID"/maps
	assert_output 0
	run --separate-stderr hbox --trace --publish 8080:80 "$ROOTFS" true
	assert_success
	[[ "$stderr" == *'dlopen("libnftables'* ]] || fail "a published port did not: $stderr"
}

# points: 1
@test "--trace narrates each netlink request and each rule" {
	run --separate-stderr hbox --trace --publish 8080:80 "$ROOTFS" true
	assert_success
	for step in 'netlink: RTM_NEWLINK box0 type bridge' 'netlink: RTM_NEWADDR 10.77.0.1/16 dev box0' \
		'type veth peer eth0 netns ' 'netlink: RTM_NEWROUTE default via 10.77.0.1 dev eth0' \
		'nft: add rule ip box postrouting iifname @bridges oifname != @bridges masquerade' \
		'nft: create element ip box published { tcp . 8080 : 10.77.' \
		'nft: delete element ip box published' 'netlink: RTM_DELLINK box0' 'lease 10.77.'; do
		[[ "$stderr" == *"$step"* ]] || fail "no '$step' in: $stderr"
	done
}

# points: 1
@test "--check reports veth pairs, bridges, nf_tables NAT and slirp4netns" {
	run hbox --check
	assert_success
	assert_line --regexp '^veth pairs: +yes$'
	assert_line --regexp '^bridges: +yes$'
	assert_line --regexp '^nf_tables NAT: +yes$'
	assert_line --regexp '^slirp4netns: +installed'
}

# points: 2
@test "bad network input gets one line, 125, and leaves nothing" {
	assert_each_refused hbox <<'BAD'
--network wifi|box: --network: "wifi" is not a network mode (bridge, none, host or slirp4netns)
--subnet 10.77.0.0|box: --subnet: "10.77.0.0" is not a subnet (try 10.77.0.0/16)
--subnet 10.77.1.0/16|box: --subnet: "10.77.1.0/16" is not a network address (did you mean 10.77.0.0/16?)
--subnet 10.0.0.0/31|box: --subnet: "10.0.0.0/31": the prefix length must be 8 to 30
--ip 10.78.0.2|box: --ip: 10.78.0.2 is not a container's address in 10.77.0.0/16 (not its network, gateway or broadcast address)
--ip 10.77.0.1|box: --ip: 10.77.0.1 is not a container's address in 10.77.0.0/16 (not its network, gateway or broadcast address)
--ip ten|box: --ip: "ten" is not an IPv4 address
--publish 80|box: --publish: "80" is not a published port (try [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp], 8080:80)
--publish 8080:80/sctp|box: --publish: "8080:80/sctp": the protocol is tcp or udp, not "sctp"
--publish 0:80|box: --publish: "0:80": "0" is not a port (1 to 65535)
--publish 8080:65536|box: --publish: "8080:65536": "65536" is not a port (1 to 65535)
--publish 1.2.3:80:80|box: --publish: "1.2.3:80:80": "1.2.3" is not an IPv4 address
--network none --publish 80:80|box: --publish needs --network bridge or slirp4netns (not none)
--network host --ip 10.77.0.2|box: --ip needs --network bridge (not host)
--dns resolver|box: --dns: "resolver" is not an IP address
--bridge this-name-is-too-long|box: --bridge: "this-name-is-too-long" is not an interface name (1 to 15 letters, digits, '_', '.' and '-')
BAD
	# (teardown: no link, rule, lease or ip_forward left in the host namespace)
}
