/* IP address management: a subnet's addresses leased to containers, one
 * file per address under /run (so a reboot frees them all). */
#pragma once
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/types.h>

#include "links.h"
#include "ports.h"

/* "10.77.0.0/16": a network address and its prefix (8 to 30). */
int subnet_parse(const char *text, struct ipv4_address *subnet);
/* "10.77.0.5": an address, which must be a host of SUBNET (not its network,
 * gateway or broadcast address). */
int host_address_parse(const char *text, const struct ipv4_address *subnet, struct in_addr *address);
/* SUBNET's first host: the bridge's address, the containers' gateway. */
struct in_addr subnet_gateway(const struct ipv4_address *subnet);
/* "10.77.0.5" (a static buffer per call site is not kept: copy it). */
const char *address_text(struct in_addr address, char *text);

#define LEASE_PORTS 16

/* What a lease file holds: the container that has the address, and how to
 * undo what was made for it, should it die without doing so itself. */
struct lease {
	struct in_addr address;
	char id[16];
	pid_t pid;                         /* the box that owns it... */
	unsigned long long start_time;     /* ...as long as it is this process */
	char hostname[72];
	char veth[16];                     /* its end of the veth pair, here */
	char hosts_file[PATH_MAX];         /* its /etc/hosts, to add peers to */
	struct port_mapping ports[LEASE_PORTS];
	int port_count;
};

/* The leases of one bridge in the network namespace box runs in:
 * /run/box-network/net-<namespace inode>/<bridge>/. Every change is made
 * holding one lock (flock(2) on /run/box-network/lock). */
struct ipam {
	char namespace_dir[PATH_MAX];
	char bridge_dir[PATH_MAX + 32];
	int lock_fd;
	bool namespace_new, bridge_new; /* their directories were made by ipam_open */
};

/* Take the lock and make the directories (*_new say whether they were). */
int ipam_open(struct ipam *ipam, const char *bridge);
/* Remove the bridge's directory, and the namespace's if it is empty; true
 * in *NAMESPACE_EMPTY when it went. */
int ipam_remove_bridge(struct ipam *ipam, bool *namespace_empty);
/* Let go of the lock. Safe to call twice. */
void ipam_close(struct ipam *ipam);

/* Every lease of the bridge; *COUNT of them in a calloc'd array. */
int leases_read(const struct ipam *ipam, struct lease **leases, int *count);
/* Is the box that took LEASE still running? */
bool lease_alive(const struct lease *lease);
/* Take an address of SUBNET for LEASE (its other fields filled in): the
 * one in LEASE->address if it is set, else the next free one after the
 * last given out. The file is made with O_EXCL: two boxes never share one. */
int lease_take(const struct ipam *ipam, const struct ipv4_address *subnet, struct lease *lease);
/* Remove the lease file of ADDRESS. */
int lease_drop(const struct ipam *ipam, struct in_addr address);

/* Who this process is, for a lease: PID and its start time (proc(5)). */
int process_identity(pid_t pid, unsigned long long *start_time);
