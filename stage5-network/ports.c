/* Published ports: --publish [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]. */
#include "ports.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

static int port_parse(const char *text, size_t length, unsigned short *port)
{
	char digits[8], *end;

	if (length == 0 || length >= sizeof(digits))
		return -1;
	memcpy(digits, text, length);
	digits[length] = '\0';
	long value = strtol(digits, &end, 10);
	if (*end || digits[0] == '-' || digits[0] == '+' || value < 1 || value > 65535)
		return -1;
	*port = (unsigned short)value;
	return 0;
}

int port_mapping_parse(const char *spec, struct port_mapping *port)
{
	static const char usage[] = "(try [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp], 8080:80)";
	char text[128];
	char *fields[3];
	int count = 0;

	if (strlen(spec) >= sizeof(text))
		return error_set("\"%.40s...\" is too long %s", spec, usage);
	snprintf(text, sizeof(text), "%s", spec);
	port->protocol = IPPROTO_TCP;
	char *slash = strchr(text, '/');
	if (slash) {
		*slash = '\0';
		if (strcmp(slash + 1, "udp") == 0)
			port->protocol = IPPROTO_UDP;
		else if (strcmp(slash + 1, "tcp") != 0)
			return error_set("\"%s\": the protocol is tcp or udp, not \"%s\"", spec, slash + 1);
	}
	for (char *part = text, *colon; count < 3; part = colon + 1) {
		fields[count++] = part;
		if (!(colon = strchr(part, ':')))
			break;
		*colon = '\0';
	}
	if (count < 2 || strchr(fields[count - 1], ':'))
		return error_set("\"%s\" is not a published port %s", spec, usage);
	port->host_ip.s_addr = htonl(INADDR_ANY);
	if (count == 3 && inet_pton(AF_INET, fields[0], &port->host_ip) != 1)
		return error_set("\"%s\": \"%s\" is not an IPv4 address", spec, fields[0]);
	const char *host = fields[count - 2], *container = fields[count - 1];
	if (port_parse(host, strlen(host), &port->host_port) < 0)
		return error_set("\"%s\": \"%s\" is not a port (1 to 65535)", spec, host);
	if (port_parse(container, strlen(container), &port->container_port) < 0)
		return error_set("\"%s\": \"%s\" is not a port (1 to 65535)", spec, container);
	return 0;
}

const char *port_protocol_name(const struct port_mapping *port)
{
	return port->protocol == IPPROTO_UDP ? "udp" : "tcp";
}

const char *port_mapping_text(const struct port_mapping *port)
{
	static char text[64];
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &port->host_ip, ip, sizeof(ip));
	snprintf(text, sizeof(text), "%s:%u:%u/%s", ip, port->host_port, port->container_port,
		 port_protocol_name(port));
	return text;
}

bool port_mappings_clash(const struct port_mapping *a, const struct port_mapping *b)
{
	return a->protocol == b->protocol && a->host_port == b->host_port &&
	       (a->host_ip.s_addr == htonl(INADDR_ANY) || b->host_ip.s_addr == htonl(INADDR_ANY) ||
		a->host_ip.s_addr == b->host_ip.s_addr);
}

int port_check_free(const struct port_mapping *port)
{
	int type = port->protocol == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
	_cleanup_close_ int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	struct sockaddr_in where = { .sin_family = AF_INET, .sin_port = htons(port->host_port),
				     .sin_addr = port->host_ip };

	int yes = 1;

	if (fd < 0)
		return error_errno("socket");
	/* Only a listener counts, not connections still in TIME_WAIT. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) < 0)
		return error_errno("setsockopt SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&where, sizeof(where)) < 0) {
		if (errno == EADDRINUSE)
			return error_set("host port %u/%s is in use by a process of this host",
					 port->host_port, port_protocol_name(port));
		if (errno == EADDRNOTAVAIL) {
			char ip[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &port->host_ip, ip, sizeof(ip));
			return error_set("%s is not an address of this host", ip);
		}
		return error_errno("bind port %u/%s", port->host_port, port_protocol_name(port));
	}
	return 0;
}
