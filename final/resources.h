/* The container's cgroup, from linux.cgroupsPath and linux.resources: the
 * group made (cgroup v2, or one per v1 controller), each limit written in
 * the version's own terms, the device rules, the freezer (pause, resume) and
 * the statistics of `box events --stats`. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroups.h"
#include "config.h"
#include "devices.h"

/* The v1 controllers a container gets a group in (each where it is
 * mounted): what its limits, pause, devices and statistics need. */
extern const char *const container_controllers[];

/* Where the container's group goes: linux.cgroupsPath as given when it is
 * absolute; a relative path, or none, under box/ (box/<id> by default),
 * the project's own parent. "machine.slice:libpod:ID" (systemd's form) is
 * refused: box runs no systemd driver. */
int cgroup_path_resolve(const char *cgroups_path, const char *id, char *path, size_t size);

/* Make the group at PATH, in the v1 CONTROLLERS (NULL:
 * container_controllers), and write RESOURCES to it; NULL with the error
 * set and nothing left behind. ROOTLESS: without a delegated cgroup v2
 * subtree it is no error to have no group when RESOURCES asks for nothing
 * (*SKIPPED is set then). */
struct cgroup *resources_create(const char *path, const struct resources *resources,
				const char *const *controllers, bool rootless, bool *skipped);

/* Write RESOURCES to an existing group (box update): only what is set. */
int resources_apply(const struct cgroup *cg, const struct resources *resources);

/* The device cgroup of RESOURCES' device rules (when the config has any,
 * devices_set; else nothing is done and the group keeps what its parent
 * allows): everything denied, then the rules in order, then what runc and
 * crun always allow (stage 6's default: null, zero, ..., the terminals).
 * Through stage 6's devices_limit() for the container ID: v1's devices
 * files of CG, or v2's eBPF program on it. No CG (rootless, skipped):
 * nothing. An ordinary user with a delegated v2 group may not attach the
 * program (bpf(2) needs CAP_SYS_ADMIN): the caller leaves it out then, as
 * runc and crun do. */
int resources_devices(struct device_cgroup *d, const char *id, const struct cgroup *cg,
		      const struct resources *resources);

/* The freezer: v1's freezer.state (FROZEN, THAWED), v2's cgroup.freeze;
 * returns when the group is frozen or thawed indeed. */
int freezer_set(const struct cgroup *cg, bool frozen);
/* Is the group frozen? false when it has no freezer. */
bool freezer_frozen(const struct cgroup *cg);

/* The PIDs (on the host) of every process in the group, cgroup.procs. */
int cgroup_pids(const struct cgroup *cg, pid_t **pids, int *count);

/* containerd's stats object (runc's events --stats "data"): cpu, memory,
 * pids, blkio, hugetlb, as this version of cgroups has them. */
json_t *resources_stats(const struct cgroup *cg);
