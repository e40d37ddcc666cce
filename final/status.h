/* The state directory of one container, --root DIR/<id>/ (the OCI state and
 * what the lifecycle needs between verbs), and the container's status as the
 * kernel shows it: no runtime process stays to remember it.
 *
 *   state.json   box's record: pid and start time, bundle, cgroup, created
 *   config.json  the bundle's config as create read it (hooks, exec defaults)
 *   process.json the container's process settings, exec's defaults
 *   seccomp.bpf  the compiled filter, for exec to load as it is
 *   exec.fifo    the container waits on it from create until start
 *   lock         flock(2)ed by each verb: one verb at a time per container
 */
#pragma once
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "runtime.h"

#define ID_MAX 1024 /* runc's ids are any length; box keeps to a path component */

enum container_status { STATUS_CREATING, STATUS_CREATED, STATUS_RUNNING, STATUS_PAUSED, STATUS_STOPPED };

struct container_state {
	char id[ID_MAX + 1];
	char dir[PATH_MAX];          /* ROOT/<id> */
	int dir_fd, lock_fd;         /* the directory; its lock file, flock(2)ed */
	/* What state.json holds. */
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	pid_t pid;                   /* the container's process on the host; 0 until create finished */
	unsigned long long start_time; /* its start time (/proc/PID/stat): PID and this are its identity */
	char created[40];            /* RFC 3339 */
	char cgroup_path[PATH_MAX];  /* below each hierarchy's root; "" for none */
	uid_t owner;
	bool systemd_cgroup;         /* never: refused */
	json_t *annotations;         /* owned; NULL: none */
};

/* "ctr-1": a name of letters, digits and "_+-.", not "." or "..", as the
 * directory of its state; else the error says why. */
int id_check(const char *id);

/* The runtime's root directory, made if missing (0700). */
int state_root_make(const struct runtime *rt);

/* A new container: make ROOT/ID (fails "container ID already exists"), lock
 * it, fill S with ID and its paths. */
int state_create(const struct runtime *rt, const char *id, struct container_state *s);

/* An existing container: lock ROOT/ID and read its state.json. A missing
 * one fails "container ID does not exist" (podman looks for those words). */
int state_open(const struct runtime *rt, const char *id, struct container_state *s);

/* The same without the lock, for verbs that only read (state, list,
 * kill): state.json is replaced whole, never half-written, and a verb
 * that waits for another could wait on a hook that asks for the state. */
int state_peek(const struct runtime *rt, const char *id, struct container_state *s);

/* Write state.json (whole, then renamed into place). */
int state_save(const struct container_state *s);

/* What the container is now: creating (no pid yet), created (its process
 * waits on exec.fifo), running, paused (its cgroup is frozen), or stopped
 * (its process is gone or a zombie). */
enum container_status state_status(const struct container_state *s);
const char *status_name(enum container_status status);

/* The OCI state of the container (runtime-spec "State"), for `box state`,
 * hooks' stdin and list. */
json_t *state_json(const struct container_state *s, enum container_status status);

/* A file in the state directory: "DIR/NAME". */
const char *state_file(const struct container_state *s, const char *name);

/* Remove the state directory and everything in it. */
int state_remove(struct container_state *s);

/* Unlock and free; S may be half-filled. Safe twice. */
void state_close(struct container_state *s);

/* Each container's ID under ROOT, sorted; *IDS is malloc'd (free each). */
int state_list(const struct runtime *rt, char ***ids, int *count);

/* Is the process PID with START_TIME still there (and not a zombie)? */
bool process_alive(pid_t pid, unsigned long long start_time);

/* PID's start time from /proc/PID/stat, and its state letter (R, S, Z...). */
int process_stat(pid_t pid, unsigned long long *start_time, char *state);
