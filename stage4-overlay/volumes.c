/* Volumes: host directories inside the container; a read-only root.
 *
 * The new mount API splits a bind mount in two: open_tree(2) takes a copy of
 * a mount while the host's tree is still visible; move_mount(2) attaches it
 * after pivot_root, when every path resolves inside the container. So a
 * symbolic link in the image (/data -> /etc) can never point a volume at the
 * host's own directories.
 */
#include "volumes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layers.h"
#include "report.h"

int volume_parse(const char *spec, struct volume *volume)
{
	char host[4096];
	const char *colon = strchr(spec, ':');
	struct stat st;

	memset(volume, 0, sizeof(*volume));
	volume->tree = -1;
	if (!colon || colon == spec)
		return error_set("\"%s\" is not HOST:CONTAINER[:ro]", spec);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
	const char *target = colon + 1, *suffix = strchr(target, ':');
	if (suffix && strcmp(suffix, ":ro") != 0)
		return error_set("\"%s\": only \":ro\" may follow CONTAINER", spec);
	volume->read_only = suffix != NULL;
	snprintf(volume->target, sizeof(volume->target), "%.*s",
		 suffix ? (int)(suffix - target) : (int)strlen(target), target);
	if (volume->target[0] != '/' || strstr(volume->target, ".."))
		return error_set("\"%s\": CONTAINER must be an absolute path without \"..\"", spec);
	if (stat(host, &st) < 0)
		return error_errno("\"%s\": %s", spec, host);
	if (!S_ISDIR(st.st_mode))
		return error_set("\"%s\": %s is not a directory", spec, host);
	if (!realpath(host, volume->host))
		return error_errno("\"%s\": %s", spec, host);
	return 0;
}

int volumes_parse(const struct path_list *specs, struct volume *volumes)
{
	for (int i = 0; i < specs->count; i++)
		if (volume_parse(specs->items[i], &volumes[i]) < 0)
			return error_set("--volume: %s", error_message());
	return 0;
}

// tag::volumes[]
int volumes_open(struct volume *volumes, int count)
{
	for (int i = 0; i < count; i++) {
		struct volume *v = &volumes[i];

		trace("open_tree(\"%s\", OPEN_TREE_CLONE|AT_RECURSIVE)%s", v->host,
		      v->read_only ? " + mount_setattr(MOUNT_ATTR_RDONLY)" : "");
		v->tree = open_tree(AT_FDCWD, v->host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (v->tree < 0)
			return error_errno("volume %s: open_tree", v->host);
		struct mount_attr read_only = { .attr_set = MOUNT_ATTR_RDONLY };
		if (v->read_only && mount_setattr(v->tree, "", AT_EMPTY_PATH | AT_RECURSIVE,
						  &read_only, sizeof(read_only)) < 0)
			return error_errno("volume %s: make it read-only", v->host);
	}
	return 0;
}

int volumes_attach(struct volume *volumes, int count)
{
	for (int i = 0; i < count; i++) {
		struct volume *v = &volumes[i];

		/* Inside the container's root now: "/" is the container's, and a
		 * symbolic link in the image resolves inside it too. */
		if (make_dirs(v->target) < 0)
			return -1;
		trace("move_mount(tree of \"%s\", \"%s\")", v->host, v->target);
		if (move_mount(v->tree, "", AT_FDCWD, v->target,
			       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS) < 0)
			return error_errno("volume %s on %s: move_mount", v->host, v->target);
		close(v->tree);
		v->tree = -1;
	}
	return 0;
}
// end::volumes[]

int read_only_tmp_mount(void)
{
	trace("mount(\"tmpfs\", \"/tmp\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"mode=1777,size=65536k\")");
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0)
		return error_errno("mount tmpfs on /tmp");
	return 0;
}

int read_only_root_remount(void)
{
	trace("mount(NULL, \"/\", NULL, MS_REMOUNT|MS_BIND|MS_RDONLY)");
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return error_errno("remount / read-only");
	return 0;
}
