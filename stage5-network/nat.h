/* NAT for the containers of box's bridges: one nftables table of box's own,
 * `table ip box`, through libnftables (never nft(8)). */
#pragma once
#include <netinet/in.h>
#include <stdbool.h>

#include "ports.h"

/* Make the table, its chains and rules; what is there already stays (the
 * containers' entries in its sets and maps). */
int nat_table_ensure(void);
/* Remove the table, and everything in it. Gone already is fine. */
int nat_table_remove(void);

/* Masquerade what leaves from BRIDGE for another interface (or removed). */
int nat_bridge_add(const char *bridge);
int nat_bridge_remove(const char *bridge);

/* Published ports: a connection to the host's HOSTPORT goes to
 * CONTAINER:CONTAINERPORT (DNAT). Each is an element of a map, added and
 * removed on its own: no other container's rules are touched. */
int nat_publish(const struct port_mapping *ports, int count, struct in_addr container);
int nat_unpublish(const struct port_mapping *ports, int count, struct in_addr container);
