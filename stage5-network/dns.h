/* Name resolution in the container: /etc/resolv.conf and /etc/hosts,
 * written by box and bound over the root's own files. */
#pragma once
#include <netinet/in.h>
#include <stdbool.h>

#include "layers.h"

/* --dns ADDR: a nameserver (repeat). */
#define DNS_OPTION(list) \
	{ "dns", "ADDR", "a nameserver for the container's /etc/resolv.conf (repeat; default: the host's)", \
	  path_list_append, list }
int dns_servers_check(const struct path_list *servers);

/* Write DIR/resolv.conf: SERVERS, or else the host's nameservers (those on
 * 127.0.0.0/8 and ::1 left out unless HOST_NETWORK: the container's own
 * loopback has no resolver); the host's search and options lines too. */
int resolv_conf_write(const char *dir, const struct path_list *servers, bool host_network);

/* Write DIR/hosts: localhost, then HOSTNAME at ADDRESS (none if 0); with
 * HOST_NETWORK, the host's own /etc/hosts instead. */
int hosts_write(const char *dir, const char *hostname, struct in_addr address, bool host_network);

/* In place, so that the file keeps its inode and every bind mount of it
 * sees the change: add "ADDRESS HOSTNAME" to FILE, or remove HOSTNAME's line. */
int hosts_add(const char *file, struct in_addr address, const char *hostname);
int hosts_remove(const char *file, struct in_addr address, const char *hostname);

/* The container's two files, held open across pivot_root. */
struct dns_files {
	int resolv_conf, hosts; /* detached read-only copies of their mounts (open_tree(2)) */
};

/* In the container, before pivot_root, while the state directory can be
 * reached: open DIR/resolv.conf and DIR/hosts. */
int dns_files_open(const char *dir, struct dns_files *files);

/* After pivot_root: bind them read-only over /etc/resolv.conf and
 * /etc/hosts, made empty first where the root lacks them. The paths are
 * looked up inside the container's root, never on the host. */
int dns_files_bind(struct dns_files *files);
