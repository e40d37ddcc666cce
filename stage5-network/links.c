/* Links, addresses and routes, over netlink.
 *
 * ip(8) talks to the kernel over a netlink socket (netlink(7)): a message
 * RTM_NEWLINK makes an interface, RTM_NEWADDR gives it an address,
 * RTM_NEWROUTE adds a route. libnl-route-3 builds those messages; box calls
 * it directly and never runs ip(8).
 *
 * A netlink socket acts on the network namespace its process was in when
 * the socket was made: the parent's socket makes the bridge and the veth
 * pair in box's namespace (the peer goes straight into the container's, by
 * the container's PID), and the container opens its own socket to set up
 * its end.
 */
#include "links.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

static void socket_free(struct nl_sock **sk) { if (*sk) nl_socket_free(*sk); }
static void link_put(struct rtnl_link **link) { if (*link) rtnl_link_put(*link); }
static void addr_put(struct nl_addr **addr) { if (*addr) nl_addr_put(*addr); }
#define _cleanup_socket_ __attribute__((cleanup(socket_free)))
#define _cleanup_link_   __attribute__((cleanup(link_put)))
#define _cleanup_addr_   __attribute__((cleanup(addr_put)))

static struct nl_sock *route_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk) {
		error_set("netlink: no memory for a socket");
		return NULL;
	}
	if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0) {
		error_set("netlink: connect: %s", nl_geterror(err));
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

static const char *address_text(const struct ipv4_address *a)
{
	static char text[INET_ADDRSTRLEN + 4];
	char dotted[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->address, dotted, sizeof(dotted));
	snprintf(text, sizeof(text), "%s/%d", dotted, a->prefix);
	return text;
}

/* The interface index of NAME, or 0 with the error set. */
static int link_index(struct nl_sock *sk, const char *name)
{
	_cleanup_link_ struct rtnl_link *link = NULL;
	int err = rtnl_link_get_kernel(sk, 0, name, &link);

	if (err < 0)
		return error_set("netlink: find link %s: %s", name, nl_geterror(err)), 0;
	return rtnl_link_get_ifindex(link);
}

/* RTM_NEWADDR: ADDRESS on interface INDEX; *ADDED false if it was there. */
static int address_add(struct nl_sock *sk, int index, const char *name,
		       const struct ipv4_address *address, bool *added)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	_cleanup_addr_ struct nl_addr *local = nl_addr_build(AF_INET, &address->address, 4);
	int err;

	if (!addr || !local) {
		if (addr)
			rtnl_addr_put(addr);
		return error_set("netlink: no memory for an address");
	}
	rtnl_addr_set_ifindex(addr, index);
	rtnl_addr_set_local(addr, local);
	rtnl_addr_set_prefixlen(addr, address->prefix);
	trace("netlink: RTM_NEWADDR %s dev %s", address_text(address), name);
	err = rtnl_addr_add(sk, addr, NLM_F_EXCL);
	rtnl_addr_put(addr);
	if (added)
		*added = err >= 0;
	if (err == -NLE_EXIST && added)
		return 0;
	if (err < 0)
		return error_set("netlink: address %s on %s: %s", address_text(address), name,
				 nl_geterror(err));
	return 0;
}

/* RTM_NEWLINK with IFF_UP: bring interface NAME up. */
static int link_up(struct nl_sock *sk, const char *name)
{
	_cleanup_link_ struct rtnl_link *link = NULL, *change = rtnl_link_alloc();
	int err;

	if (!change)
		return error_set("netlink: no memory for a link");
	if ((err = rtnl_link_get_kernel(sk, 0, name, &link)) < 0)
		return error_set("netlink: find link %s: %s", name, nl_geterror(err));
	rtnl_link_set_flags(change, IFF_UP);
	trace("netlink: RTM_NEWLINK %s up", name);
	if ((err = rtnl_link_change(sk, link, change, 0)) < 0)
		return error_set("netlink: bring %s up: %s", name, nl_geterror(err));
	return 0;
}

/* RTM_NEWLINK of kind "bridge", with a MAC address of its own: a bridge
 * that has none takes the lowest of its ports', which changes as containers
 * come and go, and a container that cached the gateway's old address loses
 * packets until its ARP entry expires. (Docker gives docker0 one too.) A
 * random one, locally administered (02:...). */
static int bridge_add(struct nl_sock *sk, const char *name)
{
	_cleanup_link_ struct rtnl_link *bridge = rtnl_link_alloc();
	unsigned char mac[6];
	int err;

	if (!bridge || getrandom(mac, sizeof(mac), 0) != sizeof(mac))
		return -NLE_NOMEM;
	mac[0] = (unsigned char)((mac[0] & 0xfc) | 0x02); /* unicast, local */
	_cleanup_addr_ struct nl_addr *address = nl_addr_build(AF_LLC, mac, sizeof(mac));
	if (!address || (err = rtnl_link_set_type(bridge, "bridge")) < 0)
		return address ? err : -NLE_NOMEM;
	rtnl_link_set_name(bridge, name);
	rtnl_link_set_addr(bridge, address);
	trace("netlink: RTM_NEWLINK %s type bridge address %02x:%02x:%02x:%02x:%02x:%02x", name,
	      mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return rtnl_link_add(sk, bridge, NLM_F_CREATE | NLM_F_EXCL);
}

// tag::bridge[]
int bridge_ensure(const char *name, const struct ipv4_address *address, bool *created)
{
	_cleanup_socket_ struct nl_sock *sk = route_socket();
	int err, index;
	bool added;

	if (!sk)
		return -1;
	/* LAB: make the bridge NAME (RTM_NEWLINK, kind "bridge") with a hardware address of its own, or find it; put ADDRESS on it and bring it up. */
	err = bridge_add(sk, name);
	if (err < 0 && err != -NLE_EXIST)
		return error_set("netlink: add bridge %s: %s", name, nl_geterror(err));
	*created = err >= 0;
	if ((index = link_index(sk, name)) == 0)
		return -1;
	if (address_add(sk, index, name, address, &added) < 0)
		return -1;
	/* LAB END (stub: (void)err; (void)index; (void)added; (void)address_add; (void)bridge_add; return error_set("bridge_ensure: not written yet");) */
	/* A bridge that was there already must be the one box made for this
	 * subnet: its gateway address was there too. */
	if (!*created && added)
		return error_set("bridge %s exists without %s: is it box's? (--bridge picks another name)",
				 name, address_text(address));
	return link_up(sk, name);
}
// end::bridge[]

// tag::veth[]
int veth_pair_add(const char *host_name, const char *bridge, const char *peer_name, pid_t peer_pid)
{
	_cleanup_socket_ struct nl_sock *sk = route_socket();
	_cleanup_link_ struct rtnl_link *veth = rtnl_link_veth_alloc();
	int err, master = 0;

	if (!sk)
		return -1;
	if (!veth)
		return error_set("netlink: no memory for a veth");
	if (bridge && (master = link_index(sk, bridge)) == 0)
		return -1;
	/* LAB: one RTM_NEWLINK for a veth pair: this end named HOST_NAME, attached to the bridge (master) and up; the peer named PEER_NAME in process PEER_PID's network namespace. */
	/* This end, in box's namespace: a port of the bridge, up. */
	rtnl_link_set_name(veth, host_name);
	if (bridge)
		rtnl_link_set_master(veth, master);
	rtnl_link_set_flags(veth, IFF_UP);
	/* The other end is born in the container's namespace (IFLA_NET_NS_PID)
	 * with its final name: a link must be down to be renamed. */
	struct rtnl_link *peer = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(peer, peer_name);
	rtnl_link_set_ns_pid(peer, peer_pid);
	rtnl_link_put(peer); /* get_peer took a reference; veth still holds one */
	trace("netlink: RTM_NEWLINK %s type veth peer %s netns %d, master %s, up",
	      host_name, peer_name, peer_pid, bridge ? bridge : "none");
	err = rtnl_link_add(sk, veth, NLM_F_CREATE | NLM_F_EXCL);
	if (err < 0)
		return error_set("netlink: add veth %s (peer %s in process %d): %s", host_name,
				 peer_name, peer_pid, nl_geterror(err));
	return 0;
	/* LAB END (stub: (void)err; (void)master; (void)host_name; (void)peer_name; (void)peer_pid; return error_set("veth_pair_add: not written yet");) */
}
// end::veth[]

int link_remove(const char *name)
{
	_cleanup_socket_ struct nl_sock *sk = route_socket();
	_cleanup_link_ struct rtnl_link *link = rtnl_link_alloc();
	int err;

	if (!sk)
		return -1;
	if (!link)
		return error_set("netlink: no memory for a link");
	rtnl_link_set_name(link, name);
	trace("netlink: RTM_DELLINK %s", name);
	err = rtnl_link_delete(sk, link);
	if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND)
		return error_set("netlink: delete link %s: %s", name, nl_geterror(err));
	return 0;
}

// tag::inside[]
int link_configure(const char *name, const struct ipv4_address *address, struct in_addr gateway)
{
	_cleanup_socket_ struct nl_sock *sk = route_socket(); /* the container's namespace */
	_cleanup_addr_ struct nl_addr *via = nl_addr_build(AF_INET, &gateway, 4);
	_cleanup_addr_ struct nl_addr *everywhere = NULL;
	int err, index;

	if (!sk)
		return -1;
	if (!via || nl_addr_parse("default", AF_INET, &everywhere) < 0)
		return error_set("netlink: no memory for a route");
	if ((index = link_index(sk, name)) == 0)
		return -1;
	/* LAB: inside the container: ADDRESS on NAME, NAME up, then the default route through GATEWAY. */
	if (address_add(sk, index, name, address, NULL) < 0 || link_up(sk, name) < 0)
		return -1;
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *hop = rtnl_route_nh_alloc();
	if (!route || !hop) {
		if (route)
			rtnl_route_put(route);
		if (hop)
			rtnl_route_nh_free(hop);
		return error_set("netlink: no memory for a route");
	}
	rtnl_route_set_family(route, AF_INET);
	rtnl_route_set_dst(route, everywhere);
	rtnl_route_nh_set_gateway(hop, via);
	rtnl_route_nh_set_ifindex(hop, index);
	rtnl_route_add_nexthop(route, hop); /* the route owns it now */
	char dotted[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &gateway, dotted, sizeof(dotted));
	trace("netlink: RTM_NEWROUTE default via %s dev %s", dotted, name);
	err = rtnl_route_add(sk, route, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_route_put(route);
	if (err < 0)
		return error_set("netlink: default route via %s: %s", dotted, nl_geterror(err));
	return 0;
	/* LAB END (stub: (void)err; (void)index; (void)address; (void)gateway; (void)address_add; (void)link_up; return error_set("link_configure: not written yet");) */
}
// end::inside[]

static int proc_sys_write(const char *path, const char *value, char *previous)
{
	_cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return error_errno("open %s", path);
	if (previous) {
		ssize_t length = read(fd, previous, 3);
		if (length < 0)
			return error_errno("read %s", path);
		previous[length] = '\0';
		previous[strcspn(previous, "\n")] = '\0';
	}
	trace("write %s = %s", path, value);
	if (pwrite(fd, value, strlen(value), 0) < 0)
		return error_errno("write %s to %s", value, path);
	return 0;
}

int ip_forward_set(const char *value, char *previous)
{
	return proc_sys_write("/proc/sys/net/ipv4/ip_forward", value, previous);
}

int route_localnet_enable(const char *name)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet", name);
	return proc_sys_write(path, "1", NULL);
}
