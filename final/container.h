/* One container's creation, from its in-memory description (config.h) to
 * its process waiting, inside everything, for `start`: the parent's side
 * (box create, box run, the stage contract) and the child's.
 *
 *   parent                                 child (the container's process)
 *   cgroup, limits, devices; the filter
 *   clone(2) into the new namespaces ----> waits for GO
 *   cgroup.procs, id maps, veth; GO  ----> late namespaces, mounts, devices
 *   prestart, createRuntime hooks <------- HOOKS (the mounts are made)
 *   HOOKS_DONE (the state) ---------------> createContainer hooks, pivot_root,
 *                                          hostname, sysctl, masks, terminal,
 *                                          privileges; the program is there
 *   state.json, --pid-file <------------- READY
 *   (create exits)                         waits on exec.fifo ... until start
 *                                          startContainer hooks, filter, exec
 */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "cgroups.h"
#include "config.h"
#include "devices.h"
#include "profile.h"
#include "runtime.h"
#include "status.h"

struct overlay;
struct network;

/* What the stage contract adds to a config: the stages' own steps, which a
 * config.json has no words for. An OCI bundle has none (NULL). */
struct container_extras {
	struct overlay *overlay;  /* stage 4: mounted first; the root is its merged directory */
	struct network *network;  /* stage 5: the veth, the DNS files, the address */
	bool init;                /* stage 2's --init: box's init is PID 1, the command PID 2 */
	bool docker_user;         /* stage 6's --user: a name looked up inside, capabilities as Docker's */
};

struct container {
	/* Given. */
	const struct runtime *rt;
	struct container_config *config;
	struct container_state *state;          /* its directory (exec.fifo, seccomp.bpf) */
	const struct container_extras *extras;
	const char *const *controllers;         /* the v1 controllers of its cgroup (NULL: all of box's) */
	int preserve_fds;                       /* --preserve-fds: 3 .. 3+N-1 pass on */
	bool no_pivot, no_new_keyring;
	bool wait_for_start;                    /* OCI: wait on exec.fifo; the stage contract goes on */
	int console_fd;                         /* the console socket, connected; -1: none */
	struct seccomp_program filter;          /* set by the caller, or compiled from config->seccomp */
	bool filter_set;
	/* Made by container_create(). */
	struct cgroup *cgroup;
	struct device_cgroup devices;
	int fifo_fd, sync_fd;
	pid_t pid;                              /* its process, on the host */
};

/* Set C's descriptors to "none"; call before filling it. */
void container_init(struct container *c);

/* Everything up to "created": C's process waits on exec.fifo (or, for the
 * stage contract, goes on to exec its command). On failure, nothing is
 * left of it (container_undo ran) and the error is set. */
int container_create(struct container *c);

/* Undo a create that failed, or a container that ended: kill what is
 * left of its processes, remove its cgroup (and v1 device group). */
void container_undo(struct container *c);

/* The OCI state JSON text of C's process with STATUS, for hooks (malloc'd). */
char *container_state_text(const struct container *c, enum container_status status);
