/* Which devices the container may open: the device cgroup (cgroup v1's
 * devices controller; cgroup v2's eBPF program of type CGROUP_DEVICE). */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroups.h"

struct device_rule {
	char type;          /* 'c' character, 'b' block, 'a' both */
	int major, minor;   /* -1: any */
	const char *access; /* "rwm": read, write, mknod */
	bool deny;          /* a rule that takes access away (the OCI runtime's) */
};

/* Docker's default (runc's): mknod of any device, and read and write of
 * null, zero, full, random, urandom, tty, console, ptmx, the pseudo-terminals
 * and tun. A host disk can be made with CAP_MKNOD, but not opened. */
extern const struct device_rule device_rules_default[];

struct device_cgroup {
	int version;                  /* 1 or 2; 0: nothing was set up */
	char path[PATH_MAX + 80];     /* v1: devices/box/<id>, or CG's own */
	bool own;                     /* v1: a group of its own, removed by release */
};

/* Allow only what RULES say (COUNT of them) to the container ID whose
 * cgroup is CG. As v1's files take them, in order: everything is denied
 * first, then each rule allows or denies, a later one over an earlier.
 * v1: CG's own group in the devices hierarchy if it has one, else a
 * devices/box/ID group of its own; v2, an eBPF program attached to CG's
 * directory. */
int devices_limit(struct device_cgroup *d, const char *id, const struct cgroup *cg,
		  const struct device_rule *rules, int count);

/* Put PID in the v1 group (v2: it is in CG already). */
int devices_add_process(const struct device_cgroup *d, pid_t pid);

/* Remove the v1 group (v2: the program goes with the cgroup). Safe twice. */
void devices_release(struct device_cgroup *d);

/* How many rules in DEFAULT. */
int device_rules_default_count(void);

/* box --check: does the kernel's verifier take box's v2 device program? */
void devices_features_report(void);
