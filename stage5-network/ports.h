/* Published ports: --publish [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]. */
#pragma once
#include <netinet/in.h>
#include <stdbool.h>

struct port_mapping {
	int protocol;              /* IPPROTO_TCP or IPPROTO_UDP */
	struct in_addr host_ip;    /* INADDR_ANY: every address of the host */
	unsigned short host_port, container_port;
};

/* One --publish value. */
int port_mapping_parse(const char *spec, struct port_mapping *port);

/* "tcp" or "udp". */
const char *port_protocol_name(const struct port_mapping *port);

/* "HOSTIP:HOSTPORT:CONTAINERPORT/PROTO", as the lease records it. */
const char *port_mapping_text(const struct port_mapping *port);

/* Would A and B take the same host port? */
bool port_mappings_clash(const struct port_mapping *a, const struct port_mapping *b);

/* Is the host port free in this network namespace? A process listening on
 * it would be shadowed by the published port: bind(2) a socket to see. */
int port_check_free(const struct port_mapping *port);
