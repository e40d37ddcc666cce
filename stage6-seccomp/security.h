/* The container's privileges, as Docker cuts them: capabilities,
 * no_new_privs, a user, resource limits, the system-call filter, masked and
 * read-only paths, and the devices it may open. */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "capabilities.h"
#include "cgroups.h"
#include "devices.h"
#include "rlimits.h"
#include "filter.h"
#include "users.h"

struct security {
	/* The options. */
	struct capability_options capability_options;
	struct seccomp_options seccomp_options;
	struct user user;
	struct rlimit_list rlimits;
	/* What they resolve to, before clone(2). */
	struct capability_sets capabilities;
	struct seccomp_program program;
	struct device_cgroup devices;
};

#define SECURITY_OPTIONS(s) \
	CAPABILITY_OPTIONS(&(s)->capability_options), \
	SECCOMP_OPTIONS(&(s)->seccomp_options), \
	USER_OPTION(&(s)->user), \
	ULIMIT_OPTION(&(s)->rlimits)

/* The parent, before clone(2): the capability sets, the seccomp program
 * (from the cache in STATE, or compiled), and the device cgroup of container
 * ID beside its cgroup CG (none for ROOTLESS: a user namespace cannot make
 * devices anyway). */
int security_prepare(struct security *s, const char *id, const char *state, const struct cgroup *cg,
		     bool rootless);

/* The parent, the child held: the child joins the device cgroup (v1). */
int security_attach(const struct security *s, pid_t child);

/* The container, its root and mounts ready: read-only and masked paths,
 * resource limits, no_new_privs, the bounding set, the user, the other
 * capability sets, and last the seccomp filter. What follows is exec. */
int security_apply(struct security *s);

/* The parent, when the container has ended: the device cgroup goes. */
void security_release(struct security *s);

/* box --check. */
void security_features_report(const char *state);
