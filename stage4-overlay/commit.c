/* Commit: a container's changes as an OCI image layer.
 *
 * The upper directory already holds exactly what the container changed. Two
 * things in it are overlayfs's own language and must be translated into the
 * OCI image-layer format: a deleted file is a character device 0/0 there and
 * ".wh.NAME" in a layer; a directory that replaced a lower one is marked
 * "opaque" by an extended attribute there, and holds ".wh..wh..opq" in a layer.
 */
#include "commit.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "layers.h"
#include "lazy_libraries.h"
#include "report.h"

/* nftw(3) has no argument for its callback: the walk's state lives here. */
static struct {
	struct archive *writer;
	struct archive *disk;
	struct archive_entry_linkresolver *links;
	size_t prefix; /* strlen(upper) + 1 */
} walk;

static bool is_opaque(const char *path)
{
	char value[2] = "";

	return (getxattr(path, "trusted.overlay.opaque", value, 1) == 1 ||
		getxattr(path, "user.overlay.opaque", value, 1) == 1) && value[0] == 'y';
}

static int write_empty_file(const char *name)
{
	struct archive_entry *entry = sym_archive_entry_new();
	int result = 0;

	sym_archive_entry_set_pathname(entry, name);
	sym_archive_entry_set_filetype(entry, AE_IFREG);
	sym_archive_entry_set_perm(entry, 0644);
	sym_archive_entry_set_size(entry, 0);
	if (sym_archive_write_header(walk.writer, entry) != ARCHIVE_OK)
		result = error_set("commit %s: %s", name, sym_archive_error_string(walk.writer));
	sym_archive_entry_free(entry);
	return result;
}

static int copy_data(const char *path, struct archive_entry *entry)
{
	char buffer[65536];
	ssize_t n;
	int fd;

	if (sym_archive_entry_filetype(entry) != AE_IFREG || sym_archive_entry_size(entry) == 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_errno("commit: open %s", path);
	while ((n = read(fd, buffer, sizeof(buffer))) > 0)
		if (sym_archive_write_data(walk.writer, buffer, (size_t)n) != n) {
			close(fd);
			return error_set("commit %s: %s", path, sym_archive_error_string(walk.writer));
		}
	close(fd);
	return n < 0 ? error_errno("commit: read %s", path) : 0;
}

// tag::commit[]
static int add_path(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *name = path + walk.prefix;
	char whiteout[PATH_MAX];
	(void)type;

	if (ftw->level == 0)
		return 0; /* the upper directory itself */
	/* LAB: translate overlayfs's whiteouts (char device 0/0) and opaque directories into OCI ".wh." entries. */
	if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0)) {
		const char *slash = strrchr(name, '/');
		snprintf(whiteout, sizeof(whiteout), "%.*s.wh.%s",
			 slash ? (int)(slash - name + 1) : 0, name, slash ? slash + 1 : name);
		return write_empty_file(whiteout) < 0 ? -1 : 0;
	}
	/* LAB END (stub: (void)whiteout;) */

	struct archive_entry *entry = sym_archive_entry_new(), *sparse = NULL;
	sym_archive_entry_copy_sourcepath(entry, path);
	if (sym_archive_read_disk_entry_from_file(walk.disk, entry, -1, st) != ARCHIVE_OK) {
		error_set("commit %s: %s", path, sym_archive_error_string(walk.disk));
		sym_archive_entry_free(entry);
		return -1;
	}
	sym_archive_entry_set_pathname(entry, name);
	layer_entry_drop_overlay_xattrs(entry);
	/* The second name of a hard link is written as a link to the first. */
	sym_archive_entry_linkify(walk.links, &entry, &sparse);
	int result = 0;
	if (entry) {
		if (sym_archive_write_header(walk.writer, entry) != ARCHIVE_OK)
			result = error_set("commit %s: %s", name, sym_archive_error_string(walk.writer));
		else
			result = copy_data(path, entry);
	}
	sym_archive_entry_free(entry);
	if (result == 0 && S_ISDIR(st->st_mode) && is_opaque(path)) {
		snprintf(whiteout, sizeof(whiteout), "%s/.wh..wh..opq", name);
		result = write_empty_file(whiteout);
	}
	return result < 0 ? -1 : 0;
}
// end::commit[]

int layer_commit(const char *upper, const char *file)
{
	int result = -1;

	trace("commit %s -> %s (OCI layer, pax tar)", upper, file);
	if (lazy_libraries_load() < 0)
		return -1;
	walk.writer = sym_archive_write_new();
	walk.disk = sym_archive_read_disk_new();
	walk.links = sym_archive_entry_linkresolver_new();
	walk.prefix = strlen(upper) + 1;
	sym_archive_write_set_format_pax_restricted(walk.writer);
	sym_archive_entry_linkresolver_set_strategy(walk.links, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	sym_archive_read_disk_set_standard_lookup(walk.disk);
	if (sym_archive_write_open_filename(walk.writer, file) != ARCHIVE_OK) {
		error_set("--commit %s: %s", file, sym_archive_error_string(walk.writer));
		goto out;
	}
	error_errno("commit: walk %s", upper); /* kept unless a step says more */
	if (nftw(upper, add_path, 32, FTW_PHYS) != 0)
		goto out;
	if (sym_archive_write_close(walk.writer) != ARCHIVE_OK) {
		error_set("--commit %s: %s", file, sym_archive_error_string(walk.writer));
		goto out;
	}
	result = 0;
out:
	sym_archive_entry_linkresolver_free(walk.links);
	sym_archive_read_free(walk.disk);
	sym_archive_write_free(walk.writer);
	if (result < 0)
		unlink(file);
	return result;
}
