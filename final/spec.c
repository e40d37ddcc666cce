/* `box spec`: the default config.json.
 *
 * runc and crun write a starting point for a bundle that the user edits:
 * a shell in rootfs/, with the namespaces, mounts and limits a container
 * usually has. Box's is runc's (runc 1.1.5's `runc spec`, mount for mount),
 * with these differences:
 *
 *   - ociVersion is the newest this runtime speaks (OCI_VERSION);
 *   - "terminal" is false (runc's is true): box's default bundle must run
 *     non-interactively as it is, in tests and CI, where there is no
 *     terminal, and a detached create has no console socket;
 *   - the capabilities are Docker's 14 (capabilities.c) in the bounding,
 *     effective and permitted sets, none inheritable or ambient (runc puts
 *     its three in ambient too);
 *   - the masked and read-only paths are Docker's (masks.c);
 *   - the container gets a cgroup namespace of its own;
 *   - the hostname is "box".
 *
 * The rootless variant is `runc spec --rootless`: what an ordinary user
 * can make without help from root.
 */
#include "spec.h"

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capabilities.h"
#include "config.h"
#include "masks.h"
#include "report.h"
#include "runtime.h"

/* runc's, mount for mount. */
static const struct {
	const char *destination, *type, *source;
	const char *options[8]; /* ends with NULL */
} mounts_default[] = {
	{ "/proc", "proc", "proc", { NULL } },
	{ "/dev", "tmpfs", "tmpfs", { "nosuid", "strictatime", "mode=755", "size=65536k", NULL } },
	{ "/dev/pts", "devpts", "devpts",
	  { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL } },
	{ "/dev/shm", "tmpfs", "shm", { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL } },
	{ "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev", NULL } },
	{ "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro", NULL } },
	{ "/sys/fs/cgroup", "cgroup", "cgroup", { "nosuid", "noexec", "nodev", "relatime", "ro", NULL } },
};

/* A JSON array of the NULL-terminated LIST, each string after PREFIX. */
static json_t *strings_json(const char *const *list, const char *prefix)
{
	json_t *array = json_array();

	for (size_t i = 0; array && list[i]; i++) {
		char text[256];
		snprintf(text, sizeof(text), "%s%s", prefix, list[i]);
		if (json_array_append_new(array, json_string(text)) < 0) {
			json_decref(array);
			return NULL;
		}
	}
	return array;
}

static json_t *process_json(void)
{
	/* capabilities_default[] says "CHOWN"; config.json says "CAP_CHOWN". */
	return json_pack("{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s,"
			 " s:{s:o, s:o, s:o}, s:[{s:s, s:i, s:i}], s:b}",
			 "terminal", false, /* see above: the default must run without a terminal */
			 "user", "uid", 0, "gid", 0,
			 "args", "sh",
			 "env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
			 "cwd", "/",
			 "capabilities",
			 "bounding", strings_json(capabilities_default, "CAP_"),
			 "effective", strings_json(capabilities_default, "CAP_"),
			 "permitted", strings_json(capabilities_default, "CAP_"),
			 "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
			 "noNewPrivileges", true);
}

static json_t *mount_json(size_t index, bool rootless)
{
	const typeof(mounts_default[0]) *m = &mounts_default[index];
	json_t *options = json_array();

	/* sysfs can be mounted only by the owner of the network namespace:
	 * a rootless container keeps the host's, so it gets the host's /sys,
	 * bound in read-only (runc's way). */
	if (rootless && strcmp(m->destination, "/sys") == 0) {
		json_decref(options);
		return json_pack("{s:s, s:s, s:s, s:[s, s, s, s, s]}", "destination", "/sys", "type", "none",
				 "source", "/sys", "options", "rbind", "nosuid", "noexec", "nodev", "ro");
	}
	for (size_t i = 0; options && m->options[i]; i++) {
		/* Only the caller's own ids are mapped: group 5 (tty) does not
		 * exist in a rootless container, and devpts refuses it. */
		if (rootless && (strncmp(m->options[i], "gid=", 4) == 0 || strncmp(m->options[i], "uid=", 4) == 0))
			continue;
		if (json_array_append_new(options, json_string(m->options[i])) < 0) {
			json_decref(options);
			return NULL;
		}
	}
	if (json_array_size(options) == 0) {
		json_decref(options);
		return json_pack("{s:s, s:s, s:s}", "destination", m->destination, "type", m->type,
				 "source", m->source);
	}
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", m->destination, "type", m->type,
			 "source", m->source, "options", options);
}

static json_t *mounts_json(bool rootless)
{
	json_t *mounts = json_array();

	for (size_t i = 0; mounts && i < sizeof(mounts_default) / sizeof(mounts_default[0]); i++) {
		/* Rootless: no cgroup mount (runc keeps one). Without a delegated
		 * subtree box makes no cgroup for the container, so there is no
		 * group of its own to show; the host's /sys, bound in whole,
		 * brings the host's /sys/fs/cgroup. */
		if (rootless && strcmp(mounts_default[i].type, "cgroup") == 0)
			continue;
		if (json_array_append_new(mounts, mount_json(i, rootless)) < 0) {
			json_decref(mounts);
			return NULL;
		}
	}
	return mounts;
}

static json_t *linux_json(bool rootless)
{
	json_t *masked = strings_json(masked_paths_default, "");
	json_t *read_only = strings_json(read_only_paths_default, "");

	if (!rootless)
		return json_pack("{s:{s:[{s:b, s:s}]}, s:[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}, {s:s}], s:o, s:o}",
				 "resources", "devices", "allow", false, "access", "rwm",
				 "namespaces", "type", "pid", "type", "network", "type", "ipc", "type", "uts",
				 "type", "mount", "type", "cgroup",
				 "maskedPaths", masked, "readonlyPaths", read_only);
	/* Rootless, as runc's: a user namespace in which the caller is root
	 * (one id: a user may map only their own without newuidmap(1)), the
	 * host's network (a new one would have only loopback), and no device
	 * rules (a cgroup is root's to make). */
	return json_pack("{s:[{s:i, s:I, s:i}], s:[{s:i, s:I, s:i}],"
			 " s:[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}, {s:s}], s:o, s:o}",
			 "uidMappings", "containerID", 0, "hostID", (json_int_t)getuid(), "size", 1,
			 "gidMappings", "containerID", 0, "hostID", (json_int_t)getgid(), "size", 1,
			 "namespaces", "type", "pid", "type", "ipc", "type", "uts", "type", "mount",
			 "type", "cgroup", "type", "user",
			 "maskedPaths", masked, "readonlyPaths", read_only);
}

json_t *spec_default(bool rootless)
{
	/* json_pack() takes each "o" it is given, also when one is NULL. */
	json_t *spec = json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
				 "ociVersion", OCI_VERSION,
				 "process", process_json(),
				 "root", "path", "rootfs", "readonly", true,
				 "hostname", "box",
				 "mounts", mounts_json(rootless),
				 "linux", linux_json(rootless));

	if (!spec)
		error_set("config.json: out of memory");
	return spec;
}

int spec_write(const char *dir, bool rootless)
{
	char path[PATH_MAX];
	json_t *spec = spec_default(rootless);

	if (!spec)
		return -1;
	if (snprintf(path, sizeof(path), "%s/config.json", dir) >= (int)sizeof(path)) {
		json_decref(spec);
		return error_set("%s: path too long", dir);
	}
	/* O_EXCL: never over a config.json the user may have edited. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		json_decref(spec);
		if (errno == EEXIST)
			return error_set("config.json already exists in %s", dir);
		return error_errno("create %s", path);
	}
	int status = json_dumpfd(spec, fd, JSON_INDENT(2)) < 0 || write(fd, "\n", 1) != 1 ? -1 : 0;
	if (status < 0)
		error_errno("write %s", path);
	if (close(fd) < 0 && status == 0)
		status = error_errno("write %s", path);
	if (status < 0)
		unlink(path); /* leave nothing half-written behind */
	json_decref(spec);
	return status;
}

int verb_spec(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "rootless", no_argument, NULL, 'r' },
						 { "bundle", required_argument, NULL, 'b' },
						 { "help", no_argument, NULL, 'h' }, { 0 } };
	const char *bundle = ".";
	bool rootless = false;
	int option;

	(void)rt;
	while ((option = getopt_long_only(argc, argv, "+:b:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("spec", "  --rootless              for an ordinary user (a user namespace, no cgroup)\n"
					  "  --bundle DIR            write DIR/config.json (default: here)\n");
			return 0;
		}
		if (option == 'r')
			rootless = true;
		else if (option == 'b')
			bundle = optarg;
		else
			verb_bad_option("spec", argv, option);
	}
	if (optind != argc)
		verb_usage_error("spec", "takes no operand");
	if (spec_write(bundle, rootless) < 0)
		die_with_error();
	return 0;
}
