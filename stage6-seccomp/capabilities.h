/* Capabilities (capabilities(7)), with libcap: root's power cut into
 * pieces, of which a container keeps Docker's default few. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "layers.h"

/* The five sets, one bit per capability (bit N is capability N). */
struct capability_sets {
	uint64_t bounding, permitted, effective, inheritable, ambient;
};

struct capability_options {
	struct path_list add, drop;  /* --cap-add, --cap-drop: names or ALL */
	bool privileged;             /* --privileged */
};

#define CAPABILITY_OPTIONS(o) \
	{ "cap-add", "CAP", "give the container a capability (repeat; CHOWN or CAP_CHOWN; ALL)", \
	  path_list_append, &(o)->add }, \
	{ "cap-drop", "CAP", "take one of its capabilities away (repeat; ALL)", \
	  path_list_append, &(o)->drop }, \
	{ "privileged", NULL, "every capability, every device; no seccomp filter, no masked paths", \
	  cli_set_flag, &(o)->privileged }

/* Docker's default set: the 14 capabilities a container keeps. */
extern const char *const capabilities_default[];

/* "chown", "CAP_CHOWN", "cap_chown" -> CAP_CHOWN; -1 with the error set. */
int capability_from_name(const char *name);

/* The sets for the container: Docker's default, plus --cap-add, minus
 * --cap-drop (ALL in either: every capability), every one of box's own
 * bounding set with --privileged. ROOT: the command runs as uid 0 (it keeps
 * them all in permitted and effective); else (--user) they stay only in the
 * bounding set, none effective, as Docker gives a user other than root.
 * Inheritable and ambient stay empty. A capability this host's box lacks
 * is refused. */
int capabilities_resolve(const struct capability_options *options, bool root,
			 struct capability_sets *sets);

/* "CHOWN|DAC_OVERRIDE|..." for --trace and errors (a static buffer). */
const char *capabilities_names(uint64_t set);

/* The first half, while box still has every capability: drop from the
 * bounding set (prctl(PR_CAPBSET_DROP)) each capability not in SETS, and
 * keep the permitted set across the change of user that follows
 * (PR_SET_KEEPCAPS). */
int capabilities_bound(const struct capability_sets *sets);

/* The second half, after the change of user: permitted, effective and
 * inheritable (capset(2)), then the ambient set. */
int capabilities_set(const struct capability_sets *sets);

/* no_new_privs (prctl(PR_SET_NO_NEW_PRIVS)): from here on, no exec can
 * give more privilege: setuid bits and file capabilities are ignored. */
int no_new_privileges_set(void);
