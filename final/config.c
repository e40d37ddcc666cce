/* config.json, runtime-spec 1.0 to 1.2, read with jansson.
 *
 * Every field box knows is checked for its type and range; an error names
 * it by its path ("linux.resources.memory.limit: expected an integer"). A
 * field box does not know is ignored, as the spec asks of a runtime; a field
 * it knows but cannot honour (intelRdt, an SELinux label) is refused, never
 * silently skipped: a container that lacked what its config asked for would
 * be less isolated than its user believes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "report.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Errors and paths ------------------------------------------------------- */

static int bad(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const char *where, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return error_set("config.json: %s: %s", where, reason);
}

/* "linux.resources" + "memory" -> "linux.resources.memory" (a static ring). */
static const char *at(const char *parent, const char *key)
{
	static char ring[8][512];
	static int next;
	char *path = ring[next++ % 8], joined[sizeof(ring[0])];

	/* PARENT may be a slot of the ring itself: joined first, then copied. */
	snprintf(joined, sizeof(joined), "%s%s%s", parent, parent[0] ? "." : "", key);
	memcpy(path, joined, sizeof(joined));
	return path;
}

static const char *at_index(const char *parent, size_t index)
{
	static char ring[8][512];
	static int next;
	char *path = ring[next++ % 8], joined[sizeof(ring[0])];

	snprintf(joined, sizeof(joined), "%s[%zu]", parent, index);
	memcpy(path, joined, sizeof(joined));
	return path;
}

/* Typed getters: 0 with *out set (or left alone if the key is absent and
 * not REQUIRED); -1 with the error set. */
static int get_object(json_t *parent, const char *key, const char *where, json_t **out, bool required)
{
	json_t *value = json_object_get(parent, key);

	*out = NULL;
	if (!value || json_is_null(value))
		return required ? bad(at(where, key), "missing") : 0;
	if (!json_is_object(value))
		return bad(at(where, key), "expected an object");
	*out = value;
	return 0;
}

static int get_array(json_t *parent, const char *key, const char *where, json_t **out)
{
	json_t *value = json_object_get(parent, key);

	*out = NULL;
	if (!value || json_is_null(value))
		return 0;
	if (!json_is_array(value))
		return bad(at(where, key), "expected an array");
	*out = value;
	return 0;
}

static int get_string(json_t *parent, const char *key, const char *where, char **out, bool required)
{
	json_t *value = json_object_get(parent, key);

	if (!value || json_is_null(value))
		return required ? bad(at(where, key), "missing") : 0;
	if (!json_is_string(value))
		return bad(at(where, key), "expected a string");
	if (strlen(json_string_value(value)) != json_string_length(value))
		return bad(at(where, key), "a string with a NUL in it");
	free(*out);
	if (!(*out = strdup(json_string_value(value))))
		return error_errno("strdup");
	return 0;
}

static int get_bool(json_t *parent, const char *key, const char *where, bool *out)
{
	json_t *value = json_object_get(parent, key);

	if (!value || json_is_null(value))
		return 0;
	if (!json_is_boolean(value))
		return bad(at(where, key), "expected true or false");
	*out = json_is_true(value);
	return 0;
}

static int get_integer(json_t *parent, const char *key, const char *where, int64_t low, int64_t high,
		       int64_t *out, bool *present)
{
	json_t *value = json_object_get(parent, key);

	if (present)
		*present = false;
	if (!value || json_is_null(value))
		return 0;
	if (!json_is_integer(value))
		return bad(at(where, key), "expected an integer");
	json_int_t number = json_integer_value(value);
	if (number < low || number > high)
		return bad(at(where, key), "%lld is out of range (%lld to %lld)", (long long)number,
			   (long long)low, (long long)high);
	*out = number;
	if (present)
		*present = true;
	return 0;
}

/* A present field that box refuses: anything but null, false, 0, "" or {}. */
static int refuse(json_t *parent, const char *key, const char *where, const char *why)
{
	json_t *value = json_object_get(parent, key);

	if (!value || json_is_null(value) || json_is_false(value) ||
	    (json_is_integer(value) && json_integer_value(value) == 0) ||
	    (json_is_string(value) && !json_string_length(value)) ||
	    ((json_is_object(value) || json_is_array(value)) && json_object_size(value) == 0 && json_array_size(value) == 0))
		return 0;
	return bad(at(where, key), "not supported: %s", why);
}

static int get_strings(json_t *parent, const char *key, const char *where, char ***out)
{
	json_t *list, *item;
	size_t i;

	if (get_array(parent, key, where, &list) < 0)
		return -1;
	if (!list)
		return 0;
	char **strings = calloc(json_array_size(list) + 1, sizeof(*strings));
	if (!strings)
		return error_errno("calloc");
	json_array_foreach(list, i, item) {
		if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item)) {
			for (size_t j = 0; j < i; j++)
				free(strings[j]);
			free(strings);
			return bad(at_index(at(where, key), i), "expected a string");
		}
		strings[i] = strdup(json_string_value(item));
	}
	*out = strings;
	return 0;
}

static void strings_free(char **strings)
{
	for (size_t i = 0; strings && strings[i]; i++)
		free(strings[i]);
	free(strings);
}

/* process ---------------------------------------------------------------- */

static const struct { const char *name; int resource; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },           { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },         { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },     { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },       { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },     { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },   { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int capability_set(json_t *caps, const char *key, const char *where, uint64_t *set)
{
	json_t *list, *item;
	size_t i;

	*set = 0;
	if (get_array(caps, key, where, &list) < 0)
		return -1;
	json_array_foreach(list, i, item) {
		int cap = json_is_string(item) && strncmp(json_string_value(item), "CAP_", 4) == 0
				  ? capability_from_name(json_string_value(item)) : -1;
		if (cap < 0)
			return bad(at_index(at(where, key), i), "%s%s%s is not a capability of this kernel",
				   json_is_string(item) ? "\"" : "", json_is_string(item) ? json_string_value(item) : "this",
				   json_is_string(item) ? "\"" : "");
		*set |= 1ULL << cap;
	}
	return 0;
}

int config_process_from_json(json_t *process, const char *where, struct process *p)
{
	json_t *user, *caps, *rlimits, *console, *item;
	int64_t number;
	bool present;
	size_t i;

	if (get_strings(process, "args", where, &p->args) < 0 || get_strings(process, "env", where, &p->env) < 0 ||
	    get_string(process, "cwd", where, &p->cwd, false) < 0 || get_bool(process, "terminal", where, &p->terminal) < 0)
		return -1;
	if (!p->args || !p->args[0])
		return bad(at(where, "args"), "missing: the command to run");
	if (p->cwd && p->cwd[0] != '/')
		return bad(at(where, "cwd"), "\"%s\" is not an absolute path", p->cwd);
	if (get_object(process, "consoleSize", where, &console, false) < 0)
		return -1;
	if (console) {
		if (get_integer(console, "height", at(where, "consoleSize"), 0, 65535, &number, &present) < 0)
			return -1;
		p->console_height = present ? (unsigned short)number : 0;
		if (get_integer(console, "width", at(where, "consoleSize"), 0, 65535, &number, &present) < 0)
			return -1;
		p->console_width = present ? (unsigned short)number : 0;
	}
	if (get_object(process, "user", where, &user, false) < 0)
		return -1;
	if (user) {
		const char *u = at(where, "user");
		if (get_integer(user, "uid", u, 0, UINT32_MAX - 1, &number, &present) < 0)
			return -1;
		p->user.uid = present ? (uid_t)number : 0;
		if (get_integer(user, "gid", u, 0, UINT32_MAX - 1, &number, &present) < 0)
			return -1;
		p->user.gid = present ? (gid_t)number : 0;
		p->user.set = true;
		if (get_integer(user, "umask", u, 0, 0777, &number, &p->umask_set) < 0)
			return -1;
		p->umask = (mode_t)number;
		json_t *gids;
		if (get_array(user, "additionalGids", u, &gids) < 0)
			return -1;
		if (json_array_size(gids) > USER_GROUPS_MAX)
			return bad(at(u, "additionalGids"), "more than %d groups", USER_GROUPS_MAX);
		json_array_foreach(gids, i, item) {
			if (!json_is_integer(item) || json_integer_value(item) < 0 || json_integer_value(item) > UINT32_MAX - 1)
				return bad(at_index(at(u, "additionalGids"), i), "expected a group id");
			p->user.groups[p->user.group_count++] = (gid_t)json_integer_value(item);
		}
		if (refuse(user, "username", u, "Windows only") < 0)
			return -1;
	}
	if (get_object(process, "capabilities", where, &caps, false) < 0)
		return -1;
	if (caps) {
		const char *c = at(where, "capabilities");
		struct capability_sets *s = &p->capabilities;
		if (capability_set(caps, "bounding", c, &s->bounding) < 0 ||
		    capability_set(caps, "permitted", c, &s->permitted) < 0 ||
		    capability_set(caps, "effective", c, &s->effective) < 0 ||
		    capability_set(caps, "inheritable", c, &s->inheritable) < 0 ||
		    capability_set(caps, "ambient", c, &s->ambient) < 0)
			return -1;
		p->capabilities_set = true;
	}
	if (get_array(process, "rlimits", where, &rlimits) < 0)
		return -1;
	json_array_foreach(rlimits, i, item) {
		const char *r = at_index(at(where, "rlimits"), i);
		char *type = NULL;
		int64_t soft = 0, hard = 0;
		if (!json_is_object(item))
			return bad(r, "expected an object");
		if (p->rlimits.count == 16)
			return bad(r, "more than 16 limits");
		if (get_string(item, "type", r, &type, true) < 0 ||
		    get_integer(item, "soft", r, 0, INT64_MAX, &soft, NULL) < 0 ||
		    get_integer(item, "hard", r, 0, INT64_MAX, &hard, NULL) < 0) {
			free(type);
			return -1;
		}
		int resource = -1;
		for (size_t j = 0; j < sizeof(rlimit_names) / sizeof(rlimit_names[0]); j++)
			if (strcmp(type, rlimit_names[j].name) == 0)
				resource = rlimit_names[j].resource;
		free(type);
		if (resource < 0)
			return bad(at(r, "type"), "not a resource limit (RLIMIT_NOFILE, ...)");
		/* JSON numbers cannot say "unlimited": runc takes the largest as it. */
		struct rlimit_setting *setting = &p->rlimits.items[p->rlimits.count++];
		setting->resource = resource;
		setting->limit.rlim_cur = (rlim_t)soft;
		setting->limit.rlim_max = (rlim_t)hard;
	}
	if (get_bool(process, "noNewPrivileges", where, &p->no_new_privileges) < 0 ||
	    get_integer(process, "oomScoreAdj", where, -1000, 1000, &number, &p->oom_score_adj_set) < 0)
		return -1;
	p->oom_score_adj = (int)number;
	/* No Linux security module runs here (box --check); the rest is newer
	 * than what box does. */
	if (refuse(process, "apparmorProfile", where, "this host runs no AppArmor") < 0 ||
	    refuse(process, "selinuxLabel", where, "this host runs no SELinux") < 0 ||
	    refuse(process, "scheduler", where, "box sets no scheduling policy") < 0 ||
	    refuse(process, "ioPriority", where, "box sets no I/O priority") < 0 ||
	    refuse(process, "execCPUAffinity", where, "box sets no CPU affinity") < 0)
		return -1;
	return 0;
}

/* root, hostname, mounts --------------------------------------------------- */

static const struct { const char *name; unsigned long set, clear; } mount_flags[] = {
	{ "ro", MS_RDONLY, 0 },          { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 },      { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },        { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },      { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },   { "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },    { "remount", MS_REMOUNT, 0 },
	{ "mand", MS_MANDLOCK, 0 },      { "nomand", 0, MS_MANDLOCK },
	{ "atime", 0, MS_NOATIME },      { "noatime", MS_NOATIME, 0 },
	{ "diratime", 0, MS_NODIRATIME }, { "nodiratime", MS_NODIRATIME, 0 },
	{ "relatime", MS_RELATIME, 0 },  { "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 }, { "nostrictatime", 0, MS_STRICTATIME },
};

static const struct { const char *name; unsigned long flag; } propagations[] = {
	{ "private", MS_PRIVATE },            { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },              { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },                { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE },      { "runbindable", MS_UNBINDABLE | MS_REC },
};

static int propagation_of(const char *name, unsigned long *flag)
{
	for (size_t i = 0; i < sizeof(propagations) / sizeof(propagations[0]); i++)
		if (strcmp(name, propagations[i].name) == 0) {
			*flag = propagations[i].flag;
			return 0;
		}
	return -1;
}

static int mount_options(json_t *options, const char *where, struct mount_entry *m)
{
	char data[4096] = "";
	size_t used = 0, i;
	json_t *item;

	json_array_foreach(options, i, item) {
		const char *o = json_string_value(item);
		bool known = false;
		if (!o)
			return bad(at_index(where, i), "expected a string");
		for (size_t j = 0; j < sizeof(mount_flags) / sizeof(mount_flags[0]); j++)
			if (strcmp(o, mount_flags[j].name) == 0) {
				m->flags = (m->flags | mount_flags[j].set) & ~mount_flags[j].clear;
				m->cleared = (m->cleared | mount_flags[j].clear) & ~mount_flags[j].set;
				known = true;
			}
		if (known)
			continue;
		if (strcmp(o, "bind") == 0 || strcmp(o, "rbind") == 0) {
			m->bind = true;
			m->recursive |= o[0] == 'r';
		} else if (propagation_of(o, &m->propagation) == 0) {
			continue;
		} else if (strcmp(o, "idmap") == 0 || strcmp(o, "ridmap") == 0) {
			return bad(at_index(where, i), "not supported: idmapped mounts");
		} else if (strcmp(o, "tmpcopyup") == 0 || strcmp(o, "copy-symlink") == 0 ||
			   strncmp(o, "x-", 2) == 0) {
			continue; /* crun's and userspace's own words, not the kernel's */
		} else {
			/* Everything else is the file system's: mode=755, size=64k. */
			used += snprintf(data + used, sizeof(data) - used, "%s%s", used ? "," : "", o);
			if (used >= sizeof(data))
				return bad(where, "options too long");
		}
	}
	if (used && !(m->data = strdup(data)))
		return error_errno("strdup");
	return 0;
}

static int mounts_parse(json_t *list, struct container_config *c)
{
	json_t *item;
	size_t i;

	if (!list)
		return 0;
	c->mounts = calloc(json_array_size(list) + 1, sizeof(*c->mounts));
	if (!c->mounts)
		return error_errno("calloc");
	json_array_foreach(list, i, item) {
		const char *where = at_index("mounts", i);
		struct mount_entry *m = &c->mounts[c->mount_count++];
		json_t *options;
		if (!json_is_object(item))
			return bad(where, "expected an object");
		if (get_string(item, "destination", where, &m->destination, true) < 0 ||
		    get_string(item, "type", where, &m->type, false) < 0 ||
		    get_string(item, "source", where, &m->source, false) < 0 ||
		    get_array(item, "options", where, &options) < 0 ||
		    mount_options(options, at(where, "options"), m) < 0)
			return -1;
		if (m->destination[0] != '/')
			return bad(at(where, "destination"), "\"%s\" is not an absolute path", m->destination);
		if (m->type && strcmp(m->type, "bind") == 0)
			m->bind = true;
		if (!m->bind && !m->type)
			return bad(where, "neither a type nor a bind mount");
		if (refuse(item, "uidMappings", where, "idmapped mounts") < 0 ||
		    refuse(item, "gidMappings", where, "idmapped mounts") < 0)
			return -1;
		/* A relative source of a bind mount is the bundle's. */
		if (m->bind && m->source && m->source[0] != '/') {
			char *absolute;
			if (asprintf(&absolute, "%s/%s", c->bundle, m->source) < 0)
				return error_errno("asprintf");
			free(m->source);
			m->source = absolute;
		}
		if (m->bind && !m->source)
			return bad(at(where, "source"), "missing: a bind mount needs one");
	}
	return 0;
}

/* hooks -------------------------------------------------------------------- */

static const char *const hook_names[HOOK_KINDS] = {
	[HOOK_PRESTART] = "prestart", [HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer", [HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart", [HOOK_POSTSTOP] = "poststop",
};

static int hooks_parse(json_t *hooks, struct container_config *c)
{
	for (int kind = 0; kind < HOOK_KINDS; kind++) {
		json_t *list, *item;
		size_t i;
		const char *where = at("hooks", hook_names[kind]);
		if (get_array(hooks, hook_names[kind], "hooks", &list) < 0)
			return -1;
		if (!list)
			continue;
		c->hooks[kind].items = calloc(json_array_size(list) + 1, sizeof(struct hook));
		if (!c->hooks[kind].items)
			return error_errno("calloc");
		json_array_foreach(list, i, item) {
			const char *h = at_index(where, i);
			struct hook *hook = &c->hooks[kind].items[c->hooks[kind].count++];
			int64_t timeout = 0;
			if (!json_is_object(item))
				return bad(h, "expected an object");
			if (get_string(item, "path", h, &hook->path, true) < 0 ||
			    get_strings(item, "args", h, &hook->args) < 0 || get_strings(item, "env", h, &hook->env) < 0 ||
			    get_integer(item, "timeout", h, 1, 86400, &timeout, NULL) < 0)
				return -1;
			if (hook->path[0] != '/')
				return bad(at(h, "path"), "\"%s\" is not an absolute path", hook->path);
			hook->timeout = (int)timeout;
		}
	}
	return 0;
}

/* linux -------------------------------------------------------------------- */

static const struct { const char *name; int flag; } namespace_types[] = {
	{ "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },     { "user", CLONE_NEWUSER },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

static int mappings_parse(json_t *linux_, const char *key, struct id_mapping *out, int *count)
{
	json_t *list, *item;
	size_t i;

	if (get_array(linux_, key, "linux", &list) < 0)
		return -1;
	if (json_array_size(list) > 8)
		return bad(at("linux", key), "more than 8 ranges");
	json_array_foreach(list, i, item) {
		const char *where = at_index(at("linux", key), i);
		int64_t container = 0, host = 0, size = 0;
		if (!json_is_object(item))
			return bad(where, "expected an object");
		if (get_integer(item, "containerID", where, 0, UINT32_MAX, &container, NULL) < 0 ||
		    get_integer(item, "hostID", where, 0, UINT32_MAX, &host, NULL) < 0 ||
		    get_integer(item, "size", where, 1, UINT32_MAX, &size, NULL) < 0)
			return -1;
		out[(*count)++] = (struct id_mapping){ (uint32_t)container, (uint32_t)host, (uint32_t)size };
	}
	return 0;
}

static int devices_parse(json_t *list, struct container_config *c)
{
	json_t *item;
	size_t i;

	if (!list)
		return 0;
	c->devices = calloc(json_array_size(list) + 1, sizeof(*c->devices));
	if (!c->devices)
		return error_errno("calloc");
	json_array_foreach(list, i, item) {
		const char *where = at_index("linux.devices", i);
		struct device_entry *d = &c->devices[c->device_count++];
		char *type = NULL;
		int64_t number;
		bool present;
		if (!json_is_object(item))
			return bad(where, "expected an object");
		if (get_string(item, "path", where, &d->path, true) < 0 || get_string(item, "type", where, &type, true) < 0)
			return -1;
		if (d->path[0] != '/') {
			free(type);
			return bad(at(where, "path"), "\"%s\" is not an absolute path", d->path);
		}
		d->type = type[0];
		bool ok = strlen(type) == 1 && strchr("cbup", type[0]);
		free(type);
		if (!ok)
			return bad(at(where, "type"), "expected c, b, u or p");
		if (get_integer(item, "major", where, 0, 4095, &d->major, &present) < 0 ||
		    (!present && d->type != 'p' && bad(at(where, "major"), "missing") < 0) ||
		    get_integer(item, "minor", where, 0, 1048575, &d->minor, &present) < 0 ||
		    (!present && d->type != 'p' && bad(at(where, "minor"), "missing") < 0) ||
		    get_integer(item, "fileMode", where, 0, 07777, &number, &present) < 0)
			return -1;
		d->mode = present ? (mode_t)number : 0666;
		if (get_integer(item, "uid", where, 0, UINT32_MAX - 1, &number, &present) < 0)
			return -1;
		d->uid = present ? (uid_t)number : 0;
		if (get_integer(item, "gid", where, 0, UINT32_MAX - 1, &number, &present) < 0)
			return -1;
		d->gid = present ? (gid_t)number : 0;
	}
	return 0;
}

int config_resources_from_json(json_t *r, const char *where, struct resources *out)
{
	json_t *memory, *cpu, *pids, *blkio, *list, *item, *unified;
	size_t i;
	bool present;

	if (get_object(r, "memory", where, &memory, false) < 0 || get_object(r, "cpu", where, &cpu, false) < 0 ||
	    get_object(r, "pids", where, &pids, false) < 0 || get_object(r, "blockIO", where, &blkio, false) < 0)
		return -1;
	if (memory) {
		const char *m = at(where, "memory");
		if (get_integer(memory, "limit", m, -1, INT64_MAX, &out->memory_limit, NULL) < 0 ||
		    get_integer(memory, "reservation", m, -1, INT64_MAX, &out->memory_reservation, NULL) < 0 ||
		    get_integer(memory, "swap", m, -1, INT64_MAX, &out->memory_swap, NULL) < 0 ||
		    get_bool(memory, "disableOOMKiller", m, &out->memory_disable_oom_killer) < 0 ||
		    refuse(memory, "kernelTCP", m, "kernel TCP memory limits (gone from cgroup v2 and runc)") < 0 ||
		    refuse(memory, "swappiness", m, "a per-container swappiness") < 0)
			return -1;
	}
	if (cpu) {
		const char *c = at(where, "cpu");
		int64_t shares = 0, period = 0;
		if (get_integer(cpu, "shares", c, 0, 262144, &shares, NULL) < 0 ||
		    get_integer(cpu, "quota", c, -1, INT64_MAX, &out->cpu_quota, NULL) < 0 ||
		    get_integer(cpu, "period", c, 0, 1000000, &period, NULL) < 0 ||
		    get_string(cpu, "cpus", c, &out->cpus, false) < 0 || get_string(cpu, "mems", c, &out->mems, false) < 0 ||
		    refuse(cpu, "realtimeRuntime", c, "real-time CPU time") < 0 ||
		    refuse(cpu, "realtimePeriod", c, "real-time CPU time") < 0 ||
		    refuse(cpu, "burst", c, "a CPU burst") < 0 || refuse(cpu, "idle", c, "SCHED_IDLE groups") < 0)
			return -1;
		out->cpu_shares = (uint64_t)shares;
		out->cpu_period = (uint64_t)period;
	}
	if (pids && get_integer(pids, "limit", at(where, "pids"), -1, INT64_MAX, &out->pids_limit, NULL) < 0)
		return -1;
	if (blkio) {
		const char *b = at(where, "blockIO");
		int64_t weight = 0;
		if (get_integer(blkio, "weight", b, 0, 1000, &weight, NULL) < 0 ||
		    refuse(blkio, "leafWeight", b, "leaf weights") < 0 ||
		    refuse(blkio, "weightDevice", b, "per-device weights") < 0 ||
		    refuse(blkio, "throttleReadBpsDevice", b, "I/O throttling") < 0 ||
		    refuse(blkio, "throttleWriteBpsDevice", b, "I/O throttling") < 0 ||
		    refuse(blkio, "throttleReadIOPSDevice", b, "I/O throttling") < 0 ||
		    refuse(blkio, "throttleWriteIOPSDevice", b, "I/O throttling") < 0)
			return -1;
		out->blkio_weight = (uint16_t)weight;
	}
	if (get_array(r, "hugepageLimits", where, &list) < 0)
		return -1;
	json_array_foreach(list, i, item) {
		const char *h = at_index(at(where, "hugepageLimits"), i);
		int64_t limit = 0;
		if (i >= 8)
			return bad(h, "more than 8 page sizes");
		if (!json_is_object(item) || get_string(item, "pageSize", h, &out->hugepages[i].page_size, true) < 0 ||
		    get_integer(item, "limit", h, 0, INT64_MAX, &limit, &present) < 0)
			return json_is_object(item) ? -1 : bad(h, "expected an object");
		out->hugepages[i].limit = (uint64_t)limit;
		out->hugepage_count++;
	}
	if (get_array(r, "devices", where, &list) < 0)
		return -1;
	if (json_array_size(list) > 64)
		return bad(at(where, "devices"), "more than 64 rules");
	json_array_foreach(list, i, item) {
		const char *d = at_index(at(where, "devices"), i);
		char *type = NULL, *access = NULL;
		bool allow = false;
		int64_t major = -1, minor = -1;
		if (!json_is_object(item))
			return bad(d, "expected an object");
		if (get_bool(item, "allow", d, &allow) < 0 || get_string(item, "type", d, &type, false) < 0 ||
		    get_string(item, "access", d, &access, false) < 0 ||
		    get_integer(item, "major", d, -1, 4095, &major, NULL) < 0 ||
		    get_integer(item, "minor", d, -1, 1048575, &minor, NULL) < 0) {
			free(type), free(access);
			return -1;
		}
		char t = type ? type[0] : 'a';
		bool bad_type = type && (strlen(type) != 1 || !strchr("abc", t));
		bool bad_access = access && (!access[0] || strlen(access) > 3 || strspn(access, "rwm") != strlen(access));
		typeof(out->device_rules[0]) *rule = &out->device_rules[out->device_rule_count++];
		rule->allow = allow;
		rule->type = t;
		rule->major = major;
		rule->minor = minor;
		snprintf(rule->access, sizeof(rule->access), "%s", access ? access : "rwm");
		free(type), free(access);
		if (bad_type)
			return bad(at(d, "type"), "expected a, b or c");
		if (bad_access)
			return bad(at(d, "access"), "expected letters of rwm");
	}
	out->devices_set = list != NULL;
	if (get_object(r, "unified", where, &unified, false) < 0)
		return -1;
	const char *key;
	json_t *value;
	json_object_foreach(unified, key, value) {
		if (out->unified_count == 32)
			return bad(at(where, "unified"), "more than 32 files");
		if (!json_is_string(value))
			return bad(at(at(where, "unified"), key), "expected a string");
		/* Only a file of the group: no "..", no "/". */
		if (strchr(key, '/') || key[0] == '.' || !strchr(key, '.'))
			return bad(at(at(where, "unified"), key), "not a cgroup file name");
		out->unified[out->unified_count].key = strdup(key);
		out->unified[out->unified_count].value = strdup(json_string_value(value));
		out->unified_count++;
	}
	if (refuse(r, "network", where, "net_cls and net_prio (cgroup v1 only)") < 0 ||
	    refuse(r, "rdma", where, "RDMA limits") < 0)
		return -1;
	return 0;
}

void config_resources_init(struct resources *r)
{
	memset(r, 0, sizeof(*r));
	r->memory_limit = r->memory_reservation = r->memory_swap = RESOURCE_UNSET;
	r->cpu_quota = RESOURCE_UNSET;
}

/* A namespace to join: a file of that kind of namespace (ioctl_ns(2)'s
 * NS_GET_NSTYPE), told now with the field's name rather than at setns.
 * Looked at through O_PATH first, and opened only if it is nsfs's: a FIFO
 * would hold the open forever, a device would run its driver's open. */
static int namespace_path_check(const struct namespace_entry *n, const char *where)
{
	char reopen[64];
	struct statfs fs;
	int path_fd = open(n->path, O_PATH | O_CLOEXEC);
	if (path_fd < 0)
		return bad(where, "%s: %s", n->path, strerror(errno));
	bool nsfs = fstatfs(path_fd, &fs) == 0 && fs.f_type == NSFS_MAGIC;
	snprintf(reopen, sizeof(reopen), "/proc/self/fd/%d", path_fd);
	int fd = nsfs ? open(reopen, O_RDONLY | O_CLOEXEC) : -1;
	int open_error = errno;
	close(path_fd);
	if (!nsfs)
		return bad(where, "%s is not a namespace (not a file of nsfs)", n->path);
	if (fd < 0)
		return bad(where, "%s: %s", n->path, strerror(open_error));
	int type = ioctl(fd, NS_GET_NSTYPE);
	int error = errno;
	close(fd);
	if (type < 0)
		return bad(where, "%s is not a namespace (%s)", n->path, strerror(error));
	if (type != n->type) {
		const char *is = "another", *wanted = "this";
		for (size_t i = 0; i < sizeof(namespace_types) / sizeof(namespace_types[0]); i++) {
			if (namespace_types[i].flag == type)
				is = namespace_types[i].name;
			if (namespace_types[i].flag == n->type)
				wanted = namespace_types[i].name;
		}
		return bad(where, "%s is a %s namespace, not a %s one", n->path, is, wanted);
	}
	return 0;
}

static int linux_parse(json_t *l, struct container_config *c)
{
	json_t *list, *item, *object;
	size_t i;
	char *propagation = NULL;

	if (get_array(l, "namespaces", "linux", &list) < 0)
		return -1;
	json_array_foreach(list, i, item) {
		const char *where = at_index("linux.namespaces", i);
		char *type = NULL;
		int flag = 0;
		if (!json_is_object(item))
			return bad(where, "expected an object");
		if (get_string(item, "type", where, &type, true) < 0)
			return -1;
		for (size_t j = 0; j < sizeof(namespace_types) / sizeof(namespace_types[0]); j++)
			if (strcmp(type, namespace_types[j].name) == 0)
				flag = namespace_types[j].flag;
		if (!flag) {
			bad(at(where, "type"), "\"%s\" is not a namespace type (pid, network, mount, ipc, uts, user, cgroup, time)", type);
			free(type);
			return -1;
		}
		free(type);
		if (config_namespace(c, flag))
			return bad(at(where, "type"), "the same namespace twice");
		if (c->namespace_count == 8)
			return bad(where, "too many namespaces");
		struct namespace_entry *n = &c->namespaces[c->namespace_count++];
		n->type = flag;
		if (get_string(item, "path", where, &n->path, false) < 0)
			return -1;
		if (n->path && n->path[0] != '/')
			return bad(at(where, "path"), "\"%s\" is not an absolute path", n->path);
		if (n->path && namespace_path_check(n, at(where, "path")) < 0)
			return -1;
	}
	if (mappings_parse(l, "uidMappings", c->uid_mappings, &c->uid_mapping_count) < 0 ||
	    mappings_parse(l, "gidMappings", c->gid_mappings, &c->gid_mapping_count) < 0)
		return -1;
	if ((c->uid_mapping_count || c->gid_mapping_count) && !config_namespace(c, CLONE_NEWUSER))
		return bad("linux.uidMappings", "mappings without a user namespace");
	if (get_object(l, "timeOffsets", "linux", &object, false) < 0)
		return -1;
	if (object) {
		static const char *const clocks[] = { "monotonic", "boottime" };
		if (!config_namespace(c, CLONE_NEWTIME))
			return bad("linux.timeOffsets", "offsets without a time namespace");
		for (int k = 0; k < 2; k++) {
			json_t *clock;
			const char *where = at("linux.timeOffsets", clocks[k]);
			if (get_object(object, clocks[k], "linux.timeOffsets", &clock, false) < 0 ||
			    (clock && (get_integer(clock, "secs", where, INT32_MIN, INT32_MAX, &c->time_offsets[k][0], NULL) < 0 ||
				       get_integer(clock, "nanosecs", where, 0, 999999999, &c->time_offsets[k][1], NULL) < 0)))
				return -1;
		}
		c->time_offsets_set = true;
	}
	if (get_array(l, "devices", "linux", &list) < 0 || devices_parse(list, c) < 0 ||
	    get_string(l, "cgroupsPath", "linux", &c->cgroups_path, false) < 0)
		return -1;
	if (get_object(l, "resources", "linux", &object, false) < 0 ||
	    (object && config_resources_from_json(object, "linux.resources", &c->resources) < 0))
		return -1;
	if (get_object(l, "sysctl", "linux", &object, false) < 0)
		return -1;
	const char *key;
	json_t *value;
	json_object_foreach(object, key, value) {
		if (c->sysctl_count == 64)
			return bad("linux.sysctl", "more than 64");
		if (!json_is_string(value))
			return bad(at("linux.sysctl", key), "expected a string");
		if (strstr(key, "..") || strchr(key, '/'))
			return bad(at("linux.sysctl", key), "not a sysctl name");
		c->sysctl[c->sysctl_count].key = strdup(key);
		c->sysctl[c->sysctl_count].value = strdup(json_string_value(value));
		c->sysctl_count++;
	}
	if (get_object(l, "seccomp", "linux", &c->seccomp, false) < 0)
		return -1;
	if (c->seccomp)
		json_incref(c->seccomp);
	if (get_strings(l, "maskedPaths", "linux", &c->masked_paths) < 0 ||
	    get_strings(l, "readonlyPaths", "linux", &c->readonly_paths) < 0)
		return -1;
	for (int k = 0; k < 2; k++)
		for (char **p = k ? c->readonly_paths : c->masked_paths; p && *p; p++)
			if ((*p)[0] != '/')
				return bad(k ? "linux.readonlyPaths" : "linux.maskedPaths", "\"%s\" is not an absolute path", *p);
	if (get_string(l, "rootfsPropagation", "linux", &propagation, false) < 0)
		return -1;
	if (propagation && propagation_of(propagation, &c->rootfs_propagation) < 0) {
		bad("linux.rootfsPropagation", "\"%s\" is not a propagation (private, rslave, ...)", propagation);
		free(propagation);
		return -1;
	}
	free(propagation);
	if (get_object(l, "personality", "linux", &object, false) < 0)
		return -1;
	if (object) {
		char *domain = NULL;
		if (get_string(object, "domain", "linux.personality", &domain, true) < 0)
			return -1;
		if (strcmp(domain, "LINUX") == 0)
			c->personality = PER_LINUX;
		else if (strcmp(domain, "LINUX32") == 0)
			c->personality = PER_LINUX32;
		else {
			free(domain);
			return bad("linux.personality.domain", "expected LINUX or LINUX32");
		}
		free(domain);
		c->personality_set = true;
		if (refuse(object, "flags", "linux.personality", "personality flags") < 0)
			return -1;
	}
	if (refuse(l, "intelRdt", "linux", "Intel RDT: this host has no resctrl") < 0 ||
	    refuse(l, "mountLabel", "linux", "this host runs no SELinux") < 0 ||
	    refuse(l, "netDevices", "linux", "moving network devices in (the engine's network does that)") < 0 ||
	    refuse(l, "memoryPolicy", "linux", "NUMA memory policies") < 0)
		return -1;
	return 0;
}

/* The whole file ------------------------------------------------------------ */

static int config_parse(struct container_config *c);

static int config_begin(const char *bundle, struct container_config *c)
{
	char resolved[PATH_MAX];

	memset(c, 0, sizeof(*c));
	config_resources_init(&c->resources);
	if (!realpath(bundle, resolved))
		return error_errno("bundle %s", bundle);
	if (!(c->bundle = strdup(resolved)))
		return error_errno("strdup");
	return 0;
}

// tag::load[]
int config_load(const char *bundle, struct container_config *c)
{
	char path[PATH_MAX + 16];
	json_error_t failure;

	if (config_begin(bundle, c) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/config.json", c->bundle);
	/* No duplicate keys: which of two values would be meant? */
	c->json = json_load_file(path, JSON_REJECT_DUPLICATES, &failure);
	if (!c->json) {
		if (failure.line < 0)
			return error_set("%s: %s", path, failure.text);
		return error_set("config.json: line %d, column %d: %s", failure.line, failure.column, failure.text);
	}
	return config_parse(c);
}

int config_load_text(const char *text, size_t length, const char *bundle, struct container_config *c)
{
	json_error_t failure;

	if (config_begin(bundle, c) < 0)
		return -1;
	c->json = json_loadb(text, length, JSON_REJECT_DUPLICATES, &failure);
	if (!c->json)
		return error_set("config.json: line %d, column %d: %s", failure.line, failure.column, failure.text);
	return config_parse(c);
}

static int config_parse(struct container_config *c)
{
	json_t *root, *process, *linux_, *hooks;
	struct stat st;

	if (!json_is_object(c->json))
		return error_set("config.json: expected a JSON object");
	if (get_string(c->json, "ociVersion", "", &c->oci_version, true) < 0)
		return -1;
	unsigned major, minor;
	if (sscanf(c->oci_version, "%u.%u", &major, &minor) != 2 || major != 1 || minor > 2)
		return bad("ociVersion", "\"%s\": this runtime speaks 1.0 to 1.2", c->oci_version);
	if (get_object(c->json, "root", "", &root, true) < 0 || get_string(root, "path", "root", &c->root, true) < 0 ||
	    get_bool(root, "readonly", "root", &c->root_readonly) < 0)
		return -1;
	char *absolute = c->root;
	if (c->root[0] != '/' && asprintf(&absolute, "%s/%s", c->bundle, c->root) < 0)
		return error_errno("asprintf");
	if (absolute != c->root) {
		free(c->root);
		c->root = absolute;
	}
	if (stat(c->root, &st) < 0 || !S_ISDIR(st.st_mode))
		return bad("root.path", "%s: %s", c->root, errno ? strerror(errno) : "not a directory");
	if (get_object(c->json, "process", "", &process, false) < 0 ||
	    (process && config_process_from_json(process, "process", &c->process) < 0))
		return -1;
	json_t *mounts;
	if (get_string(c->json, "hostname", "", &c->hostname, false) < 0 ||
	    get_string(c->json, "domainname", "", &c->domainname, false) < 0 ||
	    get_array(c->json, "mounts", "", &mounts) < 0 || mounts_parse(mounts, c) < 0 ||
	    get_object(c->json, "hooks", "", &hooks, false) < 0 || (hooks && hooks_parse(hooks, c) < 0))
		return -1;
	json_t *annotations;
	if (get_object(c->json, "annotations", "", &annotations, false) < 0)
		return -1;
	const char *key;
	json_t *value;
	json_object_foreach(annotations, key, value)
		if (!json_is_string(value))
			return bad(at("annotations", key), "expected a string");
	if (get_object(c->json, "linux", "", &linux_, false) < 0 || (linux_ && linux_parse(linux_, c) < 0))
		return -1;
	if ((c->hostname || c->domainname) && !config_namespace(c, CLONE_NEWUTS))
		return bad(c->hostname ? "hostname" : "domainname", "needs a UTS namespace of its own");
	if (refuse(c->json, "solaris", "", "Solaris") < 0 || refuse(c->json, "windows", "", "Windows") < 0 ||
	    refuse(c->json, "vm", "", "virtual machines") < 0 || refuse(c->json, "zos", "", "z/OS") < 0)
		return -1;
	return 0;
}
// end::load[]

int config_hooks_load(const char *file, struct container_config *c)
{
	json_error_t failure;
	json_t *hooks;

	memset(c, 0, sizeof(*c));
	config_resources_init(&c->resources);
	if (!(c->json = json_load_file(file, 0, &failure)))
		return error_set("%s: %s", file, failure.text);
	if (get_object(c->json, "hooks", "", &hooks, false) < 0 || (hooks && hooks_parse(hooks, c) < 0))
		return -1;
	return 0;
}

const struct namespace_entry *config_namespace(const struct container_config *c, int type)
{
	for (int i = 0; i < c->namespace_count; i++)
		if (c->namespaces[i].type == type)
			return &c->namespaces[i];
	return NULL;
}

void config_process_free(struct process *p)
{
	strings_free(p->args);
	strings_free(p->env);
	free(p->cwd);
	p->args = p->env = NULL;
	p->cwd = NULL;
}

void config_resources_free(struct resources *r)
{
	free(r->cpus), free(r->mems);
	for (int i = 0; i < r->hugepage_count; i++)
		free(r->hugepages[i].page_size);
	for (int i = 0; i < r->unified_count; i++)
		free(r->unified[i].key), free(r->unified[i].value);
	config_resources_init(r);
}

void config_free(struct container_config *c)
{
	json_decref(c->json);
	json_decref(c->seccomp);
	free(c->oci_version), free(c->bundle), free(c->root), free(c->hostname), free(c->domainname);
	config_process_free(&c->process);
	for (int i = 0; i < c->mount_count; i++) {
		struct mount_entry *m = &c->mounts[i];
		free(m->destination), free(m->type), free(m->source), free(m->data);
	}
	free(c->mounts);
	for (int k = 0; k < HOOK_KINDS; k++) {
		for (int i = 0; i < c->hooks[k].count; i++) {
			free(c->hooks[k].items[i].path);
			strings_free(c->hooks[k].items[i].args);
			strings_free(c->hooks[k].items[i].env);
		}
		free(c->hooks[k].items);
	}
	for (int i = 0; i < c->namespace_count; i++)
		free(c->namespaces[i].path);
	for (int i = 0; i < c->device_count; i++)
		free(c->devices[i].path);
	free(c->devices);
	free(c->cgroups_path);
	config_resources_free(&c->resources);
	for (int i = 0; i < c->sysctl_count; i++)
		free(c->sysctl[i].key), free(c->sysctl[i].value);
	strings_free(c->masked_paths);
	strings_free(c->readonly_paths);
	memset(c, 0, sizeof(*c));
}

/* For `box features` --------------------------------------------------------- */

/* What the parser above recognizes, read from its own tables, so that the
 * features document cannot claim more (or less) than config_load() takes. */
const char *config_hook_name(size_t index)
{
	return index < HOOK_KINDS ? hook_names[index] : NULL;
}

const char *config_namespace_name(size_t index)
{
	return index < sizeof(namespace_types) / sizeof(namespace_types[0]) ? namespace_types[index].name : NULL;
}

/* The options mount_options() takes as mount(2) flags rather than as the
 * file system's data: mount_flags[], propagations[], then bind and rbind. */
const char *config_mount_option_name(size_t index)
{
	static const char *const binds[] = { "bind", "rbind" };
	size_t flag_count = sizeof(mount_flags) / sizeof(mount_flags[0]);
	size_t propagation_count = sizeof(propagations) / sizeof(propagations[0]);

	if (index < flag_count)
		return mount_flags[index].name;
	index -= flag_count;
	if (index < propagation_count)
		return propagations[index].name;
	index -= propagation_count;
	return index < sizeof(binds) / sizeof(binds[0]) ? binds[index] : NULL;
}
