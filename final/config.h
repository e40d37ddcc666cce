/* The in-memory description of a container: what an OCI config.json says
 * (runtime-spec 1.0 to 1.2), filled from config.json by config_load() or
 * from the stage contract's options by box.c. One description, one path
 * through the mechanisms. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "capabilities.h"
#include "devices.h"
#include "profile.h"
#include "rlimits.h"
#include "users.h"

#define OCI_VERSION "1.2.0" /* the newest runtime-spec this runtime speaks */

struct mount_entry {
	char *destination, *type, *source;
	unsigned long flags;       /* MS_* from the options */
	unsigned long cleared;     /* MS_* the options turn off ("rw", "suid", "dev", "exec") */
	unsigned long propagation; /* MS_PRIVATE, MS_SLAVE, ... (0: none) */
	bool bind, recursive;
	char *data;                /* the options mount(2) takes as data */
};

struct id_mapping {
	uint32_t container, host, size;
};

struct namespace_entry {
	int type;   /* CLONE_NEW* */
	char *path; /* join this one (setns), or NULL: a new one */
};

struct hook {
	char *path;
	char **args, **env;   /* NULL-terminated, may be NULL */
	int timeout;          /* seconds, 0: none */
};

enum hook_kind { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER,
		 HOOK_POSTSTART, HOOK_POSTSTOP, HOOK_KINDS };

struct hook_list {
	struct hook *items;
	int count;
};

struct device_entry {
	char *path;
	char type;          /* 'c', 'b', 'u' (char, unbuffered), 'p' (fifo) */
	long major, minor;
	mode_t mode;        /* 0: 0666 */
	uid_t uid;
	gid_t gid;
};

/* A limit the config does not give: nothing is written (update leaves the
 * group's value as it is). -1 is OCI's "no limit", written as max. */
#define RESOURCE_UNSET INT64_MIN

struct resources {
	/* memory, bytes; -1: no limit; RESOURCE_UNSET */
	int64_t memory_limit, memory_reservation, memory_swap;
	bool memory_disable_oom_killer;
	/* cpu */
	uint64_t cpu_shares;        /* 0: unset */
	int64_t cpu_quota;          /* -1 or 0: no limit; RESOURCE_UNSET */
	uint64_t cpu_period;        /* 0: unset */
	char *cpus, *mems;          /* cpuset */
	/* pids; 0: unset, -1: max */
	int64_t pids_limit;
	/* blockIO */
	uint16_t blkio_weight;      /* 0: unset */
	/* hugepageLimits */
	struct { char *page_size; uint64_t limit; } hugepages[8];
	int hugepage_count;
	/* devices: allow/deny rules, in order */
	struct { bool allow; char type; long major, minor; char access[4]; } device_rules[64];
	int device_rule_count;
	bool devices_set;
	/* unified (v2): key=value written as they are */
	struct { char *key, *value; } unified[32];
	int unified_count;
};

struct process {
	char **args, **env;
	char *cwd;
	bool terminal;
	unsigned short console_height, console_width;
	struct user user;           /* uid, gid, additional groups (stage 6's) */
	mode_t umask;
	bool umask_set;
	struct capability_sets capabilities;
	bool capabilities_set;
	struct rlimit_list rlimits;
	bool no_new_privileges;
	int oom_score_adj;
	bool oom_score_adj_set;
};

struct container_config {
	json_t *json;               /* config.json as parsed (for annotations, hooks' state) */
	char *oci_version;
	char *bundle;               /* absolute */
	struct process process;
	char *root;                 /* absolute */
	bool root_readonly;
	char *hostname, *domainname;
	struct mount_entry *mounts;
	int mount_count;
	struct hook_list hooks[HOOK_KINDS];
	/* linux */
	struct namespace_entry namespaces[8];
	int namespace_count;
	struct id_mapping uid_mappings[8], gid_mappings[8];
	int uid_mapping_count, gid_mapping_count;
	int64_t time_offsets[2][2]; /* [monotonic, boottime][secs, nanosecs] */
	bool time_offsets_set;
	struct device_entry *devices;
	int device_count;
	char *cgroups_path;
	struct resources resources;
	struct { char *key, *value; } sysctl[64];
	int sysctl_count;
	json_t *seccomp;            /* linux.seccomp, compiled at create */
	char **masked_paths, **readonly_paths;
	unsigned long rootfs_propagation; /* MS_* or 0 */
	unsigned long personality;
	bool personality_set;
};

/* Read BUNDLE/config.json. An error names the field by its path and says
 * why: "config.json: linux.resources.memory.limit: expected an integer". An
 * unknown field is ignored, as the spec says; a known feature box cannot
 * honour is refused. */
int config_load(const char *bundle, struct container_config *config);
/* The same from LENGTH bytes of TEXT, as if they were BUNDLE/config.json
 * (the fuzz target's way in: fuzz/config.c). */
int config_load_text(const char *text, size_t length, const char *bundle, struct container_config *config);

/* Only the hooks of config.json FILE (the copy in a container's state,
 * for delete's poststop: the bundle may be gone by then). */
int config_hooks_load(const char *file, struct container_config *config);

/* The same, from a JSON object (--process FILE of exec, --resources of update). */
int config_process_from_json(json_t *process, const char *where, struct process *out);
int config_resources_from_json(json_t *resources, const char *where, struct resources *out);

/* Unset resources: what linux.resources without a field means. */
void config_resources_init(struct resources *resources);

/* Free what the parsers allocated in a process, in resources. */
void config_process_free(struct process *process);
void config_resources_free(struct resources *resources);

/* Free everything config_load() or the stage contract allocated. */
void config_free(struct container_config *config);

/* Does the config ask for a namespace of TYPE (CLONE_NEW*)? Its entry, or NULL. */
const struct namespace_entry *config_namespace(const struct container_config *config, int type);

/* What config_load() recognizes, for `box features`: the name at INDEX in
 * each of its vocabularies, NULL past the end. */
const char *config_hook_name(size_t index);         /* "prestart", ... "poststop" */
const char *config_namespace_name(size_t index);    /* "pid", "network", ... "time" */
const char *config_mount_option_name(size_t index); /* "ro", ..., "rprivate", ..., "bind", "rbind" */
