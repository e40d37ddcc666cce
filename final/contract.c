/* The stage contract in the final runtime:
 *
 *     box [stage 6 options] ROOTFS COMMAND [ARG...]
 *
 * Stage 6's recipe, with one difference: the options fill the same
 * description of a container (struct container_config) that a config.json
 * fills, and container.c creates it, as `box run` would a bundle. What a
 * config.json has no words for stays the stages' own steps beside it
 * (struct container_extras): the overlay of layers, the network, --init.
 * The container is listed under --root while it runs (box list, box exec).
 */
#include "contract.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cgroups.h"
#include "chroot.h"
#include "cli.h"
#include "command.h"
#include "container.h"
#include "hostname.h"
#include "init.h"
#include "log.h"
#include "machine_check.h"
#include "masks.h"
#include "network.h"
#include "overlay.h"
#include "report.h"
#include "resources.h"
#include "security.h"
#include "signals.h"
#include "status.h"
#include "userns.h"
#include "volumes.h"

struct contract {
	char id[16];
	char rootfs[PATH_MAX];
	char **command;
	const char *hostname;
	bool userns, init, check, stats;
	int stop_timeout;
	struct cgroup_limits limits;
	struct image image;
	struct path_list volume_specs;
	struct volume volumes[32];
	struct overlay overlay;
	struct network network;
	struct security security;
};

static struct contract contract;

static const struct cli_option options[] = {
	CLI_TRACE_OPTION,
	HOSTNAME_OPTION(&contract.hostname),
	USERNS_OPTION(&contract.userns),
	INIT_OPTION(&contract.init),
	STOP_TIMEOUT_OPTION(&contract.stop_timeout),
	CHECK_OPTION(&contract.check),
	CGROUP_OPTIONS(&contract.limits),
	CGROUP_STATS_OPTION(&contract.stats),
	IMAGE_OPTIONS(&contract.image),
	VOLUME_OPTION(&contract.volume_specs),
	NETWORK_OPTIONS(&contract.network),
	SECURITY_OPTIONS(&contract.security),
	{ 0 },
};

static const struct cli_program program = {
	.summary = "Run COMMAND in a container with every mechanism of stages 1 to 6: namespaces,\n"
		   "cgroups, an overlay of layers, a network, capabilities, seccomp, masks, devices.\n"
		   "The same container an OCI bundle describes (box run --bundle), from options.",
	.options = options,
};

/* The description ---------------------------------------------------------- */

static int mount_add(struct container_config *config, const char *type, const char *source,
		     const char *destination, unsigned long flags, const char *data)
{
	struct mount_entry *more = realloc(config->mounts, (size_t)(config->mount_count + 1) * sizeof(*more));
	if (!more)
		return error_errno("realloc");
	config->mounts = more;
	struct mount_entry *m = &config->mounts[config->mount_count++];
	memset(m, 0, sizeof(*m));
	m->flags = flags;
	m->bind = !type;
	m->recursive = !type;
	if (!(m->destination = strdup(destination)) || (type && !(m->type = strdup(type))) ||
	    !(m->source = strdup(source)) || (data && !(m->data = strdup(data))))
		return error_errno("strdup");
	return 0;
}

static char **strings_copy(const char *const *list)
{
	size_t count = 0;
	while (list[count])
		count++;
	char **copy = calloc(count + 1, sizeof(*copy));
	for (size_t i = 0; copy && i < count; i++)
		if (!(copy[i] = strdup(list[i])))
			return NULL;
	return copy;
}

// tag::describe[]
/* Stage 2's file systems, stage 4's read-only /tmp and volumes, in the
 * order they must go on (a volume may go below /tmp). */
static int mounts_describe(struct contract *k, struct container_config *config)
{
	const unsigned long safe = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (mount_add(config, "proc", "proc", "/proc", safe, NULL) < 0 ||
	    mount_add(config, "sysfs", "sysfs", "/sys", safe | MS_RDONLY, NULL) < 0 ||
	    mount_add(config, "tmpfs", "tmpfs", "/dev", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k") < 0 ||
	    mount_add(config, "devpts", "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC,
		      "newinstance,ptmxmode=0666,mode=0620") < 0 ||
	    mount_add(config, "tmpfs", "shm", "/dev/shm", safe, "mode=1777,size=65536k") < 0 ||
	    (k->image.read_only &&
	     mount_add(config, "tmpfs", "tmpfs", "/tmp", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0))
		return -1;
	for (int i = 0; i < k->volume_specs.count; i++)
		if (mount_add(config, NULL, k->volumes[i].host, k->volumes[i].target,
			      k->volumes[i].read_only ? MS_RDONLY : 0, NULL) < 0)
			return -1;
	return 0;
}

/* Stage 3's limits in OCI's words (linux.resources); stage 6's devices. */
static void resources_describe(const struct contract *k, struct resources *r, bool v2)
{
	const struct cgroup_limits *l = &k->limits;

	if (l->memory)
		r->memory_limit = r->memory_swap = (int64_t)l->memory; /* swap = limit: none */
	if (l->pids)
		r->pids_limit = l->pids;
	if (l->cpus > 0) {
		r->cpu_period = 100000;
		r->cpu_quota = lround(l->cpus * 100000);
	}
	/* v2's weight as it is (v1's shares are another scale: converted). */
	if (l->cpu_weight && v2) {
		r->unified[0].key = strdup("cpu.weight");
		r->unified[0].value = malloc(16);
		if (r->unified[0].value)
			snprintf(r->unified[0].value, 16, "%ld", l->cpu_weight);
		r->unified_count = 1;
	} else if (l->cpu_weight) {
		r->cpu_shares = (uint64_t)(2 + ((l->cpu_weight - 1) * 262142) / 9999);
	}
	if (k->security.capability_options.privileged || geteuid() != 0)
		return; /* every device (or a user namespace's: none to make) */
	r->devices_set = true;
	r->device_rules[r->device_rule_count++] = (typeof(r->device_rules[0])){ false, 'a', -1, -1, "rwm" };
	for (int i = 0; i < device_rules_default_count(); i++) {
		const struct device_rule *d = &device_rules_default[i];
		typeof(r->device_rules[0]) *rule = &r->device_rules[r->device_rule_count++];
		*rule = (typeof(*rule)){ true, d->type, d->major, d->minor, "" };
		snprintf(rule->access, sizeof(rule->access), "%s", d->access);
	}
}

/* The user namespace of an ordinary user: stage 2's maps (the caller as
 * root, its subordinate range above) as linux.uidMappings. */
static void userns_describe(const struct userns *ids, struct container_config *config)
{
	config->uid_mappings[config->uid_mapping_count++] = (struct id_mapping){ 0, ids->uid, 1 };
	if (ids->subuid_count)
		config->uid_mappings[config->uid_mapping_count++] =
			(struct id_mapping){ 1, (uint32_t)ids->subuid_start, (uint32_t)ids->subuid_count };
	config->gid_mappings[config->gid_mapping_count++] = (struct id_mapping){ 0, ids->gid, 1 };
	if (ids->subgid_count)
		config->gid_mappings[config->gid_mapping_count++] =
			(struct id_mapping){ 1, (uint32_t)ids->subgid_start, (uint32_t)ids->subgid_count };
}

static int describe(struct contract *k, const struct userns *ids, struct container_config *config)
{
	struct process *p = &config->process;
	struct security *s = &k->security;
	bool privileged = s->capability_options.privileged;
	int namespaces[] = { CLONE_NEWPID, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC,
			     network_clone_flags(&k->network), k->userns ? CLONE_NEWUSER : 0 };

	memset(config, 0, sizeof(*config));
	config_resources_init(&config->resources);
	/* No cgroupsPath: box/<id>, as stage 3's. */
	if (!(config->root = strdup(k->overlay.merged)) || !(config->hostname = strdup(k->hostname)) ||
	    !(p->args = strings_copy((const char *const *)k->command)))
		return error_errno("strdup");
	config->root_readonly = k->image.read_only;
	for (size_t i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
		if (namespaces[i])
			config->namespaces[config->namespace_count++].type = namespaces[i];
	if (k->userns)
		userns_describe(ids, config);
	if (mounts_describe(k, config) < 0)
		return -1;
	if (!privileged && (!(config->masked_paths = strings_copy(masked_paths_default)) ||
			    !(config->readonly_paths = strings_copy(read_only_paths_default))))
		return error_errno("strdup");
	resources_describe(k, &config->resources, cgroup_v2_host());
	/* The process: stage 6's capabilities, user, limits, no_new_privs. */
	if (privileged)
		trace("--privileged: every capability, no seccomp filter, no masked or read-only paths, "
		      "every device, no no_new_privs");
	if (capabilities_resolve(&s->capability_options, true, &p->capabilities) < 0)
		return -1;
	trace("capabilities: %s", capabilities_names(p->capabilities.bounding));
	p->user = s->user;
	p->rlimits = s->rlimits;
	p->no_new_privileges = !privileged && !s->seccomp_options.new_privileges;
	return 0;
}
// end::describe[]

/* The run ------------------------------------------------------------------ */

/* Undo what was made, and fail with the first error. */
static _Noreturn void fail(struct contract *k, struct container *c, struct container_state *s)
{
	char message[1024];

	snprintf(message, sizeof(message), "%s", error_message());
	if (c)
		container_undo(c);
	network_release(&k->network);
	if (s && s->dir_fd >= 0)
		state_remove(s);
	overlay_remove(&k->overlay);
	die("%s", message);
}

// tag::main[]
int contract_main(const struct runtime *rt, int argc, char **argv)
{
	struct contract *k = &contract;
	struct container_config config;
	struct container_state s = { .dir_fd = -1, .lock_fd = -1 };
	struct container c;
	struct userns ids;
	const char *rootfs;

	k->stop_timeout = STOP_TIMEOUT_DEFAULT;
	int first = cli_parse(argc, argv, &program);
	if (k->check) {
		features_report();
		network_features_report();
		if (image_resolve(&k->image, "/") == 0)
			security_features_report(k->image.state);
		return 0;
	}
	cli_operands(argc, argv, first, &rootfs, &k->command);
	struct capability_sets sets;
	if (rootfs_resolve(rootfs, k->rootfs) < 0 || volumes_parse(&k->volume_specs, k->volumes) < 0 ||
	    capabilities_resolve(&k->security.capability_options, true, &sets) < 0 || /* bad names: now */
	    hostname_random(k->id, sizeof(k->id)) < 0)
		die_with_error();
	if (!k->hostname)
		k->hostname = k->id;
	k->userns = k->userns || geteuid() != 0;
	if ((k->userns && userns_prepare(&ids) < 0) || network_resolve(&k->network, geteuid() != 0) < 0)
		die_with_error();

	/* From here on box makes things outside itself: no signal may end it
	 * before it has removed them. */
	if (signals_block() < 0 || image_resolve(&k->image, k->rootfs) < 0 ||
	    overlay_prepare(&k->overlay, &k->image, k->id, k->userns) < 0)
		die_with_error();
	if (describe(k, &ids, &config) < 0 || state_create(rt, k->id, &s) < 0)
		fail(k, NULL, &s);
	snprintf(s.rootfs, sizeof(s.rootfs), "%.*s", (int)sizeof(s.rootfs) - 1, k->rootfs);
	time_now_rfc3339(s.created, sizeof(s.created));
	/* The filter from stage 6's cache; the address and DNS files. */
	struct container_extras extras = { &k->overlay, &k->network, k->init, true };
	static const char *const controllers[] = { "memory", "pids", "cpu", "cpuacct", "devices", "freezer", NULL };
	container_init(&c);
	c.rt = rt;
	c.config = &config;
	c.state = &s;
	c.extras = &extras;
	c.controllers = controllers;
	struct seccomp_options *seccomp = &k->security.seccomp_options;
	seccomp->unconfined |= k->security.capability_options.privileged;
	if (seccomp_prepare(seccomp, config.process.capabilities.bounding, k->image.state, &c.filter) < 0 ||
	    network_prepare(&k->network, k->id, k->hostname, k->overlay.dir) < 0)
		fail(k, NULL, &s);
	c.filter_set = true;
	if (container_create(&c) < 0) {
		if (k->userns && (errno == EPERM || errno == ENOSPC) && strstr(error_message(), "clone("))
			error_set("%s (%s)", error_message(), userns_hint());
		fail(k, NULL, &s);
	}
	s.pid = c.pid;
	char letter;
	if (process_stat(c.pid, &s.start_time, &letter) < 0 || state_save(&s) < 0)
		fail(k, &c, &s);
	if (c.cgroup)
		c.cgroup->limits = k->limits; /* for the OOM report's "limit N MiB" */
	int status = supervise(c.pid, k->stop_timeout);
	if (status < 0)
		fail(k, &c, &s);
	cgroup_report(c.cgroup, status, k->stats);
	container_undo(&c);
	network_release(&k->network);
	state_remove(&s);
	state_close(&s);
	config_free(&config);
	/* The container's changes: written out, kept, then removed. */
	if (overlay_finish(&k->overlay, &k->image) < 0)
		die_with_error(); /* and leave what is left: it may be all the user has */
	return command_status(status);
}
// end::main[]
