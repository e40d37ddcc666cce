/* Rootless containers: a user namespace where the caller is root. */
#pragma once
#include <sys/types.h>

#define USERNS_OPTION(target) \
	{ "userns", NULL, "map the caller to root in a new user namespace (always when not root)", \
	  cli_set_flag, target }

struct userns {
	uid_t uid; /* the caller, mapped to uid 0 inside */
	gid_t gid;
	/* A subordinate range from /etc/subuid and /etc/subgid, mapped to ids
	 * 1..count inside through newuidmap(1)/newgidmap(1); count 0: none. */
	unsigned long subuid_start, subuid_count;
	unsigned long subgid_start, subgid_count;
};

/* Who the caller is, and the subordinate ranges it owns. */
int userns_prepare(struct userns *userns);

/* Write CHILD's uid_map and gid_map (from the parent, see user_namespaces(7)). */
int userns_map(const struct userns *userns, pid_t child);

/* One line on why clone(CLONE_NEWUSER) failed, naming the sysctl to look at. */
const char *userns_hint(void);
