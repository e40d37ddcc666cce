/* Image layers: directories, or layer tarballs unpacked once into a cache.
 *
 * A layer tarball is named by the SHA-256 of its bytes (as OCI images name
 * theirs): the same file is unpacked once and shared by every container that
 * uses it. Unpacking goes into a temporary directory, renamed into place only
 * when it is complete, so a failure leaves nothing half-written in the cache.
 *
 * A tarball is untrusted input. libarchive refuses, for us, any entry that
 * would land outside the layer: a path with "..", an absolute path, a hard
 * link to such a path, or a write through a symbolic link.
 */
#include "layers.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cleanup.h"
#include "lazy_libraries.h"
#include "report.h"

int path_list_append(const char *value, void *target)
{
	struct path_list *list = target;

	if (list->count == (int)(sizeof(list->items) / sizeof(list->items[0])))
		return error_set("at most %zu of these", sizeof(list->items) / sizeof(list->items[0]));
	list->items[list->count++] = value;
	return 0;
}

int make_dirs(const char *path)
{
	char partial[PATH_MAX];

	snprintf(partial, sizeof(partial), "%s", path);
	for (char *slash = partial + 1; ; slash++) {
		if (*slash != '/' && *slash != '\0')
			continue;
		char saved = *slash;
		*slash = '\0';
		if (mkdir(partial, 0755) < 0 && errno != EEXIST)
			return error_errno("mkdir %s", partial);
		if (saved == '\0')
			return 0;
		*slash = saved;
	}
}

static void hex_of(const unsigned char *digest, unsigned int length, char hex[65])
{
	for (unsigned int i = 0; i < length && i < 32; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
}

int sha256_text(const void *text, size_t size, char hex[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	EVP_MD_CTX *context = sym_EVP_MD_CTX_new();
	bool done = context && sym_EVP_DigestInit_ex(context, sym_EVP_sha256(), NULL) &&
		    sym_EVP_DigestUpdate(context, text, size) && sym_EVP_DigestFinal_ex(context, digest, &length);

	sym_EVP_MD_CTX_free(context);
	if (!done)
		return error_set("sha256: digest failed");
	hex_of(digest, length, hex);
	return 0;
}

int sha256_file(const char *path, char hex[65])
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char buffer[65536], digest[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	ssize_t n;
	int result = -1;

	if (fd < 0)
		return error_errno("open layer %s", path);
	EVP_MD_CTX *context = sym_EVP_MD_CTX_new();
	if (!context || !sym_EVP_DigestInit_ex(context, sym_EVP_sha256(), NULL)) {
		error_set("sha256 of %s: cannot start", path);
		goto out;
	}
	while ((n = read(fd, buffer, sizeof(buffer))) > 0)
		if (!sym_EVP_DigestUpdate(context, buffer, (size_t)n))
			break;
	if (n != 0) {
		error_set("sha256 of %s: %s", path, n < 0 ? strerror(errno) : "digest failed");
		goto out;
	}
	if (!sym_EVP_DigestFinal_ex(context, digest, &length)) {
		error_set("sha256 of %s: digest failed", path);
		goto out;
	}
	hex_of(digest, length, hex);
	result = 0;
out:
	sym_EVP_MD_CTX_free(context);
	return result;
}

void layer_entry_drop_overlay_xattrs(struct archive_entry *entry)
{
	struct archive_entry *clean = sym_archive_entry_clone(entry);
	const char *name;
	const void *value;
	size_t size;

	sym_archive_entry_xattr_clear(entry);
	sym_archive_entry_xattr_reset(clean);
	while (sym_archive_entry_xattr_next(clean, &name, &value, &size) == ARCHIVE_OK)
		if (!strstr(name, ".overlay."))
			sym_archive_entry_xattr_add_entry(entry, name, value, size);
	sym_archive_entry_free(clean);
}

/* Open directory DIR below the working directory; the kernel refuses "..",
 * absolute paths and symbolic links on the way (openat2(2), RESOLVE_BENEATH). */
static int open_beneath(const char *dir)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));

	if (fd < 0)
		return error_errno("layer entry in %s (not in the layer before it, or outside it)", dir);
	return fd;
}

/* An OCI whiteout entry becomes what overlayfs understands: ".wh.NAME" a
 * character device 0/0 named NAME (NAME is deleted), ".wh..wh..opq" the
 * directory's "opaque" attribute (nothing below it shows through). */
static int whiteout_apply(const char *pathname, int *handled)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(pathname, '/');
	const char *base = slash ? slash + 1 : pathname;

	*handled = strncmp(base, ".wh.", 4) == 0;
	if (!*handled)
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - pathname) : 1, slash ? pathname : ".");
	_cleanup_close_ int fd = open_beneath(dir);
	if (fd < 0)
		return -1;
	if (strcmp(base, ".wh..wh..opq") == 0) {
		/* One cached layer serves both kinds of overlay: root's reads
		 * trusted.overlay.opaque, one in a user namespace (userxattr)
		 * reads user.overlay.opaque. Only root may write the first. */
		if (fsetxattr(fd, "user.overlay.opaque", "y", 1, 0) < 0 ||
		    (geteuid() == 0 && fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) < 0))
			return error_errno("mark %s opaque", dir);
		return 0;
	}
	if (strchr(base + 4, '/') || strcmp(base + 4, "..") == 0 || base[4] == '\0')
		return error_set("layer entry %s: not a whiteout", pathname);
	if (mknodat(fd, base + 4, S_IFCHR | 0000, makedev(0, 0)) < 0)
		return error_errno("whiteout %s/%s", dir, base + 4);
	return 0;
}

/* The entry's bytes, block by block (sparse files keep their holes). */
static int copy_data(struct archive *reader, struct archive *writer)
{
	const void *block;
	size_t size;
	la_int64_t offset;
	int status;

	while ((status = sym_archive_read_data_block(reader, &block, &size, &offset)) == ARCHIVE_OK)
		if (sym_archive_write_data_block(writer, block, size, offset) != ARCHIVE_OK)
			return -1;
	return status == ARCHIVE_EOF ? 0 : -1;
}

// tag::unpack[]
static int unpack(const char *tarball)
{
	/* LAB: unpack TARBALL into the current directory with libarchive, refusing entries that land outside it, turning OCI whiteouts into overlay ones. */
	/* Owners only as root: an ordinary user's files are all its own. */
	const int flags = ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
			  ARCHIVE_EXTRACT_SECURE_SYMLINKS | (geteuid() == 0 ? ARCHIVE_EXTRACT_OWNER : 0) |
			  ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR;
	struct archive *reader = sym_archive_read_new();
	struct archive *writer = sym_archive_write_disk_new();
	struct archive_entry *entry;
	int status, result = -1;

	sym_archive_read_support_filter_all(reader);
	sym_archive_read_support_format_tar(reader);
	sym_archive_write_disk_set_options(writer, flags);
	if (sym_archive_read_open_filename(reader, tarball, 65536) != ARCHIVE_OK) {
		error_set("layer %s: %s", tarball, sym_archive_error_string(reader));
		goto out;
	}
	while ((status = sym_archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
		int whiteout;
		if (whiteout_apply(sym_archive_entry_pathname(entry), &whiteout) < 0)
			goto out;
		if (whiteout)
			continue;
		layer_entry_drop_overlay_xattrs(entry);
		if (sym_archive_write_header(writer, entry) != ARCHIVE_OK ||
		    copy_data(reader, writer) < 0 ||
		    sym_archive_write_finish_entry(writer) != ARCHIVE_OK) {
			error_set("layer %s: %s: %s", tarball, sym_archive_entry_pathname(entry),
				  sym_archive_error_string(writer));
			goto out;
		}
	}
	if (status != ARCHIVE_EOF) {
		error_set("layer %s: %s", tarball, sym_archive_error_string(reader));
		goto out;
	}
	result = 0;
out:
	sym_archive_read_free(reader);
	sym_archive_write_free(writer);
	return result;
	/* LAB END (stub: (void)tarball; (void)copy_data; (void)whiteout_apply; return error_set("unpack: not written yet");) */
}
// end::unpack[]

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) < 0 ? -1 : 0;
}

static int open_up(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if ((type == FTW_D || type == FTW_DNR) && (st->st_mode & 0700) != 0700)
		chmod(path, st->st_mode | 0700);
	return 0;
}

int remove_tree(const char *path)
{
	/* overlayfs leaves its work/work at mode 000: root does not care, an
	 * ordinary user must open it up before it can look inside. */
	if (geteuid() != 0)
		nftw(path, open_up, 32, FTW_PHYS);
	if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return error_errno("remove %s", path);
	return 0;
}

/* A box killed while it unpacked left CACHE.tmp-PID behind: remove those
 * whose PID is gone (a live one may still be working). */
static void remove_stale_unpacks(const char *cache)
{
	char dir[PATH_MAX], prefix[96], path[PATH_MAX + 300];
	const char *base = strrchr(cache, '/') + 1;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *entry;

	snprintf(dir, sizeof(dir), "%.*s", (int)(base - cache), cache);
	snprintf(prefix, sizeof(prefix), "%s.tmp-", base);
	d = opendir(dir);
	while (d && (entry = readdir(d))) {
		if (strncmp(entry->d_name, prefix, strlen(prefix)) != 0)
			continue;
		pid_t owner = (pid_t)atoi(entry->d_name + strlen(prefix));
		if (owner > 0 && kill(owner, 0) < 0 && errno == ESRCH) {
			snprintf(path, sizeof(path), "%s%s", dir, entry->d_name);
			trace("layer: remove %s, left by a box that is gone", path);
			remove_tree(path);
		}
	}
}

int layer_resolve(const char *state, const char *path, char dir[PATH_MAX])
{
	char digest[65], cache[PATH_MAX], temporary[PATH_MAX + 16];
	struct stat st;

	if (stat(path, &st) < 0)
		return error_errno("layer %s", path);
	if (S_ISDIR(st.st_mode)) {
		if (!realpath(path, dir))
			return error_errno("layer %s", path);
		return 0;
	}
	/* A tarball: only now are libarchive and libcrypto loaded. */
	if (lazy_libraries_load() < 0 || sha256_file(path, digest) < 0)
		return -1;
	snprintf(cache, sizeof(cache), "%s/layers/sha256/%s", state, digest);
	if (access(cache, F_OK) == 0) {
		trace("layer %s: sha256:%.12s found in the cache, reused", path, digest);
		snprintf(dir, PATH_MAX, "%s", cache);
		return 0;
	}
	remove_stale_unpacks(cache);
	snprintf(temporary, sizeof(temporary), "%s.tmp-%d", cache, getpid());
	if (make_dirs(temporary) < 0)
		return -1;

	/* libarchive extracts relative to the working directory. */
	_cleanup_close_ int back = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (back < 0 || chdir(temporary) < 0) {
		error_errno("chdir %s", temporary);
		remove_tree(temporary);
		return -1;
	}
	trace("layer %s: sha256:%.12s, unpacking into %s", path, digest, cache);
	int unpacked = unpack(path);
	if (fchdir(back) < 0)
		unpacked = error_errno("return to the working directory");
	if (unpacked == 0 && rename(temporary, cache) < 0 &&
	    (errno == ENOTEMPTY || errno == EEXIST) && access(cache, F_OK) == 0) {
		/* Another box unpacked the same layer first: use its copy. */
		trace("layer %s: unpacked by another box meanwhile, reused", path);
		remove_tree(temporary);
		snprintf(dir, PATH_MAX, "%s", cache);
		return 0;
	}
	if (unpacked < 0 || access(cache, F_OK) < 0) {
		if (unpacked == 0)
			error_errno("rename %s to %s", temporary, cache);
		char message[1024];
		snprintf(message, sizeof(message), "%s", error_message());
		remove_tree(temporary);
		return error_set("%s", message);
	}
	snprintf(dir, PATH_MAX, "%s", cache);
	return 0;
}
