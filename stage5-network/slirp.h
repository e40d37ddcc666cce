/* User-mode networking for rootless containers: slirp4netns(1). */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "ports.h"

/* slirp4netns's fixed network inside the container (its defaults). */
#define SLIRP_ADDRESS "10.0.2.100" /* the container's eth0 */
#define SLIRP_DNS     "10.0.2.3"   /* its resolver, which asks the host's */

struct slirp {
	pid_t pid;    /* slirp4netns, box's child */
	int exit_fd;  /* closing it ends slirp4netns, also when box dies */
};

/* Run slirp4netns for the container CHILD: it joins CHILD's user and
 * network namespaces, makes eth0 there (10.0.2.100/24, gateway 10.0.2.2),
 * and forwards PORTS of the host's to the container's. Returns once eth0 is
 * up. DIR holds its API socket and log. */
int slirp_start(struct slirp *slirp, pid_t child, const struct port_mapping *ports, int count,
		const char *dir);

/* End it and reap it. Safe to call twice, and when it was never started. */
void slirp_stop(struct slirp *slirp);

/* Is slirp4netns installed? And can it work: may this user open the tap
 * device it needs, /dev/net/tun? (box --check) */
bool slirp_installed(void);
bool slirp_usable(void);
