/* Links, addresses and routes, over netlink (rtnetlink(7)) with libnl-route-3. */
#pragma once
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/types.h>

/* An IPv4 address with its prefix length: 10.77.0.1/16. */
struct ipv4_address {
	struct in_addr address;
	int prefix;
};

/* Make bridge NAME with ADDRESS on it, up; *CREATED says whether it was
 * made now (false: it was there already, and must have ADDRESS). */
int bridge_ensure(const char *name, const struct ipv4_address *address, bool *created);

/* A veth pair: HOST_NAME here, attached to BRIDGE (if not NULL) and up; its peer made
 * directly in the network namespace of process PEER_PID, named PEER_NAME
 * (down, for the container to configure). One request: RTM_NEWLINK. */
int veth_pair_add(const char *host_name, const char *bridge, const char *peer_name, pid_t peer_pid);

/* Delete link NAME (a veth takes its peer with it); gone already is fine. */
int link_remove(const char *name);

/* Inside the container: ADDRESS on link NAME, the link up, and a default
 * route through GATEWAY. */
int link_configure(const char *name, const struct ipv4_address *address, struct in_addr gateway);

/* The kernel's per-namespace switches, in /proc/sys (never sysctl(8)): */
/* net.ipv4.ip_forward = VALUE; PREVIOUS (room for 4 bytes) gets the old one. */
int ip_forward_set(const char *value, char *previous);
/* net.ipv4.conf.NAME.route_localnet = 1: packets from 127.0.0.1 may be
 * routed out of NAME (published ports reached at localhost). */
int route_localnet_enable(const char *name);
