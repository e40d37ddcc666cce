/* The container's root: read-only layers under one writable layer.
 *
 * overlayfs shows several directories as one: reads find a file in the
 * topmost layer that has it; the first write to a lower file copies it up
 * into the upper directory first (copy-on-write); a deletion leaves a
 * "whiteout" in the upper directory. The layers are never changed, so any
 * number of containers can share them, each with an upper layer of its own.
 */
#include "overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commit.h"
#include "layers.h"
#include "lazy_libraries.h"
#include "report.h"

/* /tmp is shared with every user: take /tmp/box-<uid> only if it is ours. */
static int private_tmp_dir(char *state, size_t size)
{
	struct stat st;

	snprintf(state, size, "/tmp/box-%u", getuid());
	if (mkdir(state, 0700) < 0 && errno != EEXIST)
		return error_errno("mkdir %s", state);
	if (lstat(state, &st) < 0)
		return error_errno("%s", state);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 0077))
		return error_set("%s is not a private directory of uid %u: use --state DIR",
				 state, getuid());
	return 0;
}

int state_dir_default(char *state, size_t size)
{
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (geteuid() == 0)
		snprintf(state, size, "/var/lib/box");
	else if (data && data[0] == '/')
		snprintf(state, size, "%s/box", data);
	else if (home && home[0] == '/' && access(home, W_OK) == 0)
		snprintf(state, size, "%s/.local/share/box", home);
	else
		return private_tmp_dir(state, size);
	return 0;
}

/* PATH made absolute, so that it means the same after chdir. */
static int absolute_path(const char *path, char absolute[PATH_MAX])
{
	char cwd[PATH_MAX];

	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return error_errno("getcwd");
	if (snprintf(absolute, PATH_MAX, "%s%s%s", path[0] == '/' ? "" : cwd,
		     path[0] == '/' ? "" : "/", path) >= PATH_MAX)
		return error_set("%s: too long", path);
	return 0;
}

int image_resolve(struct image *image, const char *rootfs)
{
	if (image->keep_option && access(image->keep_option, F_OK) == 0)
		return error_set("--keep: %s already exists", image->keep_option);
	if ((image->keep_option && absolute_path(image->keep_option, image->keep) < 0) ||
	    (image->commit_option && absolute_path(image->commit_option, image->commit) < 0))
		return -1;
	/* --commit needs libarchive after the run: find it before. */
	if (image->commit[0] && lazy_libraries_load() < 0)
		return -1;
	if (image->state_option)
		snprintf(image->state, sizeof(image->state), "%s", image->state_option);
	else if (state_dir_default(image->state, sizeof(image->state)) < 0)
		return -1;
	snprintf(image->lowers[0], PATH_MAX, "%s", rootfs);
	for (int i = 0; i < image->layers.count; i++)
		if (layer_resolve(image->state, image->layers.items[i], image->lowers[i + 1]) < 0)
			return -1;
	image->count = image->layers.count + 1;
	return 0;
}

/* --keep moves the upper layer with rename(2): say now, not after the run,
 * if DIR's parent is missing or on another file system. */
static int keep_check(const char *keep, const char *upper)
{
	char parent[PATH_MAX];
	struct stat here, there;

	if (!keep[0])
		return 0;
	snprintf(parent, sizeof(parent), "%s", keep);
	*strrchr(parent, '/') = '\0';
	if (stat(parent[0] ? parent : "/", &there) < 0)
		return error_errno("--keep %s: %s", keep, parent[0] ? parent : "/");
	if (stat(upper, &here) < 0)
		return error_errno("%s", upper);
	if (here.st_dev != there.st_dev)
		return error_set("--keep %s: not on the file system of the state directory %s",
				 keep, upper);
	return 0;
}

int overlay_prepare(struct overlay *overlay, const struct image *image, const char *id,
		    bool userns)
{
	const char *state = image->state;
	size_t used = 0;

	/* overlayfs lists the lower layers top first, separated by ':'. */
	for (int i = image->count - 1; i >= 0; i--) {
		const char *lower = image->lowers[i];
		if (strpbrk(lower, ":,"))
			return error_set("layer %s: overlayfs cannot take ':' or ',' in a path", lower);
		used += snprintf(overlay->lowerdir + used, sizeof(overlay->lowerdir) - used,
				 "%s%s", used ? ":" : "", lower);
		if (used >= sizeof(overlay->lowerdir))
			return error_set("too many layers for one overlay mount");
	}
	snprintf(overlay->dir, sizeof(overlay->dir), "%s/containers/%s", state, id);
	snprintf(overlay->upper, sizeof(overlay->upper), "%s/upper", overlay->dir);
	snprintf(overlay->work, sizeof(overlay->work), "%s/work", overlay->dir);
	snprintf(overlay->merged, sizeof(overlay->merged), "%s/merged", overlay->dir);
	overlay->userxattr = userns;
	trace("mkdir %s/{upper,work,merged}: this container's own layer", overlay->dir);
	if (strpbrk(overlay->dir, ":,"))
		return error_set("state directory %s: overlayfs cannot take ':' or ','", state);
	if (make_dirs(overlay->upper) < 0 || make_dirs(overlay->work) < 0 ||
	    make_dirs(overlay->merged) < 0 || keep_check(image->keep, overlay->upper) < 0) {
		char message[1024];
		snprintf(message, sizeof(message), "%s", error_message());
		overlay_remove(overlay);
		return error_set("%s", message);
	}
	return 0;
}

// tag::mount[]
int overlay_mount(const struct overlay *overlay)
{
	char options[sizeof(overlay->lowerdir) + 3 * PATH_MAX];

	/* LAB: mount the overlay on merged: the layers read-only (lowerdir), this container's upper and work directories. */
	/* In a user namespace, overlayfs keeps its whiteouts and opaque marks
	 * in user.* attributes: trusted.* are root's alone (Linux 5.11). */
	/* No redirects (neither made nor followed: a layer could hold a bad one)
	 * and no metadata-only copies: the upper layer then holds
	 * whole files and plain whiteouts, which commit.c can translate. */
	snprintf(options, sizeof(options),
		 "lowerdir=%s,upperdir=%s,workdir=%s,redirect_dir=nofollow,metacopy=off%s",
		 overlay->lowerdir, overlay->upper, overlay->work,
		 overlay->userxattr ? ",userxattr" : "");
	trace("mount(\"overlay\", \"%s\", \"overlay\", \"%s\")", overlay->merged, options);
	if (mount("overlay", overlay->merged, "overlay", 0, options) < 0) {
		if (errno == EPERM && overlay->userxattr)
			return error_errno("mount overlay on %s (this kernel may not allow "
					   "overlayfs in a user namespace: Linux 5.11 or later does)",
					   overlay->merged);
		return error_errno("mount overlay on %s", overlay->merged);
	}
	return 0;
	/* LAB END (stub: (void)options; (void)overlay; return error_set("overlay_mount: not written yet");) */
}
// end::mount[]

int overlay_finish(const struct overlay *overlay, const struct image *image)
{
	if (image->commit[0] && layer_commit(overlay->upper, image->commit) < 0)
		return -1;
	if (image->keep[0]) {
		trace("rename(\"%s\", \"%s\"): --keep", overlay->upper, image->keep);
		if (rename(overlay->upper, image->keep) < 0)
			return error_errno("--keep: move %s to %s (the changes stay there)",
					   overlay->upper, image->keep);
	}
	return overlay_remove(overlay);
}

int overlay_remove(const struct overlay *overlay)
{
	if (!overlay->dir[0])
		return 0;
	trace("remove %s", overlay->dir);
	return remove_tree(overlay->dir);
}
