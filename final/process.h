/* The OCI process: what a container's process (and `box exec`'s) does last,
 * from its privileges to its exec. The order is runc's, each step needing
 * what the next one takes away: resource limits (raising one needs
 * CAP_SYS_RESOURCE), no_new_privs, the bounding set (CAP_SETPCAP), the user
 * (CAP_SETUID), the other capability sets, then the working directory and,
 * as near to exec as can be, the seccomp filter. */
#pragma once
#include <stdbool.h>

#include "config.h"
#include "profile.h"

/* Everything up to the filter: limits, no_new_privs, (the filter, if
 * no_new_privs is off: loading one needs it or CAP_SYS_ADMIN, which goes
 * next), capabilities, user, umask, working directory. */
int process_privileges_drop(const struct process *p, const struct seccomp_program *filter);

/* The filter, if it was not loaded by process_privileges_drop(). */
int process_filter_load(const struct process *p, const struct seccomp_program *filter);

/* Is P's args[0] a program P could exec, by the PATH in P's env? Checked
 * before `create` says "created", as runc does: a typo fails create, not a
 * later start that nobody waits on. */
int process_executable_check(const struct process *p);

/* In the container, after pivot_root: HOME from the user's entry in its
 * /etc/passwd ("/" if none) when P's env has no HOME (as runc). */
int process_home_set(struct process *p);

/* Close every descriptor from 3 + PRESERVE on (--preserve-fds) at exec
 * (close-on-exec), and let the PRESERVE from 3 on pass it. */
int process_descriptors_close(int preserve);

/* execvp(2) args[0] with P's env: the PATH it looks in is P's. On failure,
 * exit 127 (not found) or 126 (cannot execute), as a shell would. */
_Noreturn void process_exec(const struct process *p);
