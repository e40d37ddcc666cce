/* The container's network: --network bridge, none, host or slirp4netns. */
#pragma once
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include "dns.h"
#include "ipam.h"
#include "layers.h"
#include "links.h"
#include "slirp.h"
#include "ports.h"

enum network_mode {
	NETWORK_DEFAULT, /* bridge for root, slirp4netns for an ordinary user */
	NETWORK_BRIDGE,  /* a veth pair to box's bridge, an address, NAT */
	NETWORK_NONE,    /* a namespace with only lo (stage 2's) */
	NETWORK_HOST,    /* the namespace box runs in, shared */
	NETWORK_SLIRP,   /* user-mode networking, no privilege needed */
};

struct network {
	/* The options. */
	enum network_mode mode;
	const char *subnet_option, *ip_option, *bridge_option;
	struct path_list publish_options, dns_options;
	/* What they resolve to. */
	struct ipv4_address subnet;   /* of the bridge: 10.77.0.0/16 */
	struct ipv4_address gateway;  /* the bridge's own address: 10.77.0.1/16 */
	char bridge[IFNAMSIZ];
	struct port_mapping ports[LEASE_PORTS];
	int port_count;
	char dir[PATH_MAX];           /* where resolv.conf and hosts are written */
	/* What was made for the container, to be undone. */
	struct lease lease;           /* its address, and what to undo after a crash */
	bool leased, veth_made, published;
	struct slirp slirp;
	struct dns_files files;       /* in the container */
};

int network_mode_parse(const char *value, void *target);

#define NETWORK_OPTIONS(n) \
	{ "network", "MODE", "bridge (root's default), none, host, or slirp4netns (the default otherwise)", \
	  network_mode_parse, &(n)->mode }, \
	{ "subnet", "CIDR", "the bridge's subnet (default 10.77.0.0/16)", cli_set_string, &(n)->subnet_option }, \
	{ "ip", "ADDR", "the container's address in it (default: the next free one)", \
	  cli_set_string, &(n)->ip_option }, \
	{ "bridge", "NAME", "the bridge to attach to (default box0)", cli_set_string, &(n)->bridge_option }, \
	{ "publish", "[IP:]PORT:PORT[/udp]", "publish a container's port on the host (repeat): 8080:80", \
	  path_list_append, &(n)->publish_options }, \
	DNS_OPTION(&(n)->dns_options)

/* Check the options and settle the mode (ROOTLESS: box is not root). */
int network_resolve(struct network *n, bool rootless);

/* CLONE_NEWNET, or 0 for --network host. */
int network_clone_flags(const struct network *n);

/* The parent, before clone(2): the container's address (reclaiming those of
 * boxes that were killed), the bridge and the NAT table if they are not
 * there yet, and the container's resolv.conf and hosts, written into DIR. */
int network_prepare(struct network *n, const char *id, const char *hostname, const char *dir);

/* The parent, the child held: the veth pair into CHILD's namespace and the
 * published ports (bridge), or slirp4netns (slirp4netns). */
int network_attach(struct network *n, pid_t child);

/* The container, before pivot_root: open the resolv.conf and hosts to bind. */
int network_enter(struct network *n);

/* The container, after pivot_root: those files bound; lo up, and eth0 with
 * its address and default route (bridge). */
int network_configure(struct network *n);

/* The parent, when the container has ended (or its start failed half-way):
 * undo all of it, in reverse. The bridge and the table go with the last
 * container that used them. Safe to call at any point, and twice. */
void network_release(struct network *n);

/* box --check: veth, bridge, nf_tables NAT, slirp4netns. */
void network_features_report(void);
