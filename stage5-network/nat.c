/* NAT for the containers of box's bridges, with nftables.
 *
 * Two things take a container's traffic through the host's addresses:
 *
 *   masquerade  a packet from a container that leaves the host by another
 *               interface gets the host's address as its source (SNAT, with
 *               the address chosen at that moment); conntrack remembers the
 *               flow and translates the replies back;
 *   DNAT        a connection to a published port of the host gets the
 *               container's address and port as its destination: from other
 *               hosts (the prerouting hook) and from this host's own
 *               programs (the output hook), 127.0.0.1 included.
 *
 * All of it is one table of box's own, `table ip box`, made with the first
 * bridge and removed with the last. A container adds and removes only
 * elements: its bridge's name in a set, its published ports in a map. The
 * rules never change while containers come and go, and two containers never
 * touch each other's entries. libnftables takes the same language as nft(8)
 * and applies each buffer as one transaction.
 */
#include "nat.h"

#include <arpa/inet.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#include "lazy_load.h"
#include "report.h"

/* libnftables, loaded the first time box touches its table (lazy_load.h):
 * with the five libraries it brings (libnftnl, libmnl, libxtables, jansson,
 * gmp), linking it cost every start 0.8 ms, and a container whose bridge is
 * there already and publishes no port never needs it. */
#define NFT_FUNCTIONS(X) X(nft_ctx_new) X(nft_ctx_free) X(nft_ctx_buffer_output) \
	X(nft_ctx_buffer_error) X(nft_run_cmd_from_buffer) X(nft_ctx_get_error_buffer)
#define NFT_DEFINE(name) static typeof(name) *sym_##name;
NFT_FUNCTIONS(NFT_DEFINE)
static const struct lazy_symbol nft_symbols[] = { NFT_FUNCTIONS(LAZY_SYMBOL) { 0 } };
static struct lazy_library libnftables = { LIBNFTABLES_SONAME, "box's NAT rules need",
					   nft_symbols, NULL };

/* One transaction: every line of COMMANDS or none. MISSING_OK: what is
 * to be deleted being gone already is no error. */
static int nft_run(const char *commands, bool missing_ok)
{
	if (lazy_library_load(&libnftables) < 0)
		return -1;
	struct nft_ctx *nft = sym_nft_ctx_new(NFT_CTX_DEFAULT);

	if (!nft)
		return error_set("nftables: no memory for a context");
	if (sym_nft_ctx_buffer_output(nft) < 0 || sym_nft_ctx_buffer_error(nft) < 0) {
		sym_nft_ctx_free(nft);
		return error_set("nftables: no memory for its buffers");
	}
	if (trace_enabled)
		for (const char *line = commands; *line;) {
			size_t length = strcspn(line, "\n");
			if (length)
				trace("nft: %.*s", (int)length, line);
			line += length + (line[length] == '\n');
		}
	int status = sym_nft_run_cmd_from_buffer(nft, commands);
	if (status != 0 && missing_ok && strstr(sym_nft_ctx_get_error_buffer(nft), "No such file or directory"))
		status = 0;
	if (status != 0) {
		/* libnftables' message spans lines (the command, a caret): its first one will do. */
		const char *message = sym_nft_ctx_get_error_buffer(nft);
		error_set("nftables: %.*s", (int)strcspn(message, "\n"), message);
	}
	sym_nft_ctx_free(nft);
	return status == 0 ? 0 : -1;
}

// tag::table[]
/* The whole table. `fib daddr type local`: the packet is for one of this
 * host's own addresses. A map lookup that finds nothing leaves the packet
 * alone. Priorities: -100 is nftables' "dstnat", 100 "srcnat".
 * Every line can be applied again: "add" of what is there is nothing, and
 * the rules (which never depend on a container) are flushed and put back,
 * while the sets and maps (which do) are left as they are. */
static const char table[] =
	"add table ip box\n"
	"add set ip box bridges { type ifname; }\n"
	"add map ip box published { type inet_proto . inet_service : ipv4_addr . inet_service; }\n"
	"add map ip box published_on { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }\n"
	"add chain ip box prerouting { type nat hook prerouting priority -100; }\n"
	"add chain ip box output { type nat hook output priority -100; }\n"
	"add chain ip box postrouting { type nat hook postrouting priority 100; }\n"
	"add chain ip box forward { type filter hook forward priority 0; }\n"
	"add chain ip box input { type filter hook input priority 0; }\n"
	"flush chain ip box prerouting\n"
	"flush chain ip box output\n"
	"flush chain ip box postrouting\n"
	"flush chain ip box forward\n"
	"flush chain ip box input\n"
	/* Published ports: from elsewhere, and from this host's own programs. */
	"add rule ip box prerouting fib daddr type local dnat ip to ip daddr . meta l4proto . th dport map @published_on\n"
	"add rule ip box prerouting fib daddr type local dnat ip to meta l4proto . th dport map @published\n"
	"add rule ip box output fib daddr type local dnat ip to ip daddr . meta l4proto . th dport map @published_on\n"
	"add rule ip box output fib daddr type local dnat ip to meta l4proto . th dport map @published\n"
	/* Leaving through another interface than the bridge it came in by. */
	"add rule ip box postrouting iifname @bridges oifname != @bridges masquerade\n"
	/* From this host's 127.0.0.1 to a published port: the container could
	 * not answer 127.0.0.1 (its own loopback), so give it the bridge's address. */
	"add rule ip box postrouting ip saddr 127.0.0.0/8 oifname @bridges masquerade\n"
	/* Into a bridge: replies, published ports (DNAT), and containers among
	 * themselves; nothing else, though a neighbour route 10.77.0.0/16 here. */
	"add rule ip box forward oifname @bridges ct state established,related accept\n"
	"add rule ip box forward oifname @bridges ct status dnat accept\n"
	"add rule ip box forward oifname @bridges iifname @bridges accept\n"
	"add rule ip box forward oifname @bridges drop\n"
	/* route_localnet lets 127.0.0.1 out to the bridge for published ports;
	 * it must not let a container in to the host's 127.0.0.1 services
	 * (CVE-2020-8558, where Kubernetes learned it): only the replies. */
	"add rule ip box input iifname @bridges ip daddr 127.0.0.0/8 ct state != { established, related } drop\n";
// end::table[]

int nat_table_ensure(void)
{
	return nft_run(table, false);
}

int nat_table_remove(void)
{
	/* "add" first: deleting a table that is not there would fail the transaction. */
	return nft_run("add table ip box\ndelete table ip box\n", false);
}

int nat_bridge_add(const char *bridge)
{
	char command[96];

	snprintf(command, sizeof(command), "add element ip box bridges { \"%s\" }\n", bridge);
	return nft_run(command, false);
}

int nat_bridge_remove(const char *bridge)
{
	char command[96];

	snprintf(command, sizeof(command), "delete element ip box bridges { \"%s\" }\n", bridge);
	return nft_run(command, true);
}

/* VERB ("create" or "delete") one element per published port, in one transaction. */
static int publish_elements(const char *verb, const struct port_mapping *ports, int count,
			    struct in_addr container)
{
	char commands[8192] = "", target[INET_ADDRSTRLEN], host[INET_ADDRSTRLEN];
	size_t used = 0;

	if (count == 0)
		return 0;
	inet_ntop(AF_INET, &container, target, sizeof(target));
	for (int i = 0; i < count && used < sizeof(commands); i++) {
		const struct port_mapping *p = &ports[i];
		inet_ntop(AF_INET, &p->host_ip, host, sizeof(host));
		/* LAB: one map element per published port: (protocol . host port) -> (container address . container port), in @published, or with the host address first in @published_on. */
		if (p->host_ip.s_addr == htonl(INADDR_ANY))
			used += snprintf(commands + used, sizeof(commands) - used,
					 "%s element ip box published { %s . %u : %s . %u }\n", verb,
					 port_protocol_name(p), p->host_port, target, p->container_port);
		else
			used += snprintf(commands + used, sizeof(commands) - used,
					 "%s element ip box published_on { %s . %s . %u : %s . %u }\n", verb,
					 host, port_protocol_name(p), p->host_port, target, p->container_port);
		/* LAB END (stub: (void)verb; (void)host; (void)p;) */
	}
	return nft_run(commands, strcmp(verb, "delete") == 0);
}

// tag::publish[]
int nat_publish(const struct port_mapping *ports, int count, struct in_addr container)
{
	/* "create", not "add": a key that is there already is an error, so
	 * that a host port can never be given to two containers. */
	return publish_elements("create", ports, count, container);
}
// end::publish[]

int nat_unpublish(const struct port_mapping *ports, int count, struct in_addr container)
{
	return publish_elements("delete", ports, count, container);
}
