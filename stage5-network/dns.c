/* Name resolution in the container: /etc/resolv.conf and /etc/hosts.
 *
 * The rootfs's own files are never changed: box writes the container's
 * versions into its state directory and binds them over the rootfs's, as
 * it does /etc/hostname, and as Docker does. A bind mount holds an inode,
 * not a name: box edits /etc/hosts in place (when a peer joins or leaves
 * the bridge), so that every container that has it bound sees the change;
 * a new file renamed over it would not be seen.
 */
#include "dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

int dns_servers_check(const struct path_list *servers)
{
	for (int i = 0; i < servers->count; i++) {
		struct in6_addr any;
		if (inet_pton(AF_INET, servers->items[i], &any) != 1 &&
		    inet_pton(AF_INET6, servers->items[i], &any) != 1)
			return error_set("--dns: \"%s\" is not an IP address", servers->items[i]);
	}
	return 0;
}

static bool is_loopback(const char *address)
{
	return strncmp(address, "127.", 4) == 0 || strcmp(address, "::1") == 0;
}

/* FILE's "nameserver" lines (LOOPBACK_TOO or not), and its search and options lines. */
static int copy_resolvers(FILE *out, const char *file, bool loopback_too, int *servers)
{
	_cleanup_fclose_ FILE *in = fopen(file, "re");
	char line[512], address[256];

	if (!in)
		return 0;
	while (fgets(line, sizeof(line), in)) {
		if (sscanf(line, "nameserver %255s", address) == 1) {
			if (!loopback_too && is_loopback(address))
				continue;
			fprintf(out, "nameserver %s\n", address);
			(*servers)++;
		} else if (strncmp(line, "search ", 7) == 0 || strncmp(line, "options ", 8) == 0) {
			fputs(line, out);
		}
	}
	return 0;
}

static FILE *create_in(const char *dir, const char *name, char *path)
{
	snprintf(path, PATH_MAX, "%s/%s", dir, name);
	FILE *f = fopen(path, "we");
	if (!f)
		error_errno("create %s", path);
	return f;
}

// tag::resolv[]
int resolv_conf_write(const char *dir, const struct path_list *servers, bool host_network)
{
	char path[PATH_MAX];
	_cleanup_fclose_ FILE *f = create_in(dir, "resolv.conf", path);
	int count = 0;

	if (!f)
		return -1;
	fprintf(f, "# written by box\n");
	for (int i = 0; i < servers->count; i++, count++)
		fprintf(f, "nameserver %s\n", servers->items[i]);
	if (count == 0) {
		copy_resolvers(f, "/etc/resolv.conf", host_network, &count);
		/* systemd-resolved's stub (127.0.0.53) is the host's own: the
		 * servers it asks are listed here (what podman does). */
		if (count == 0 && !host_network)
			copy_resolvers(f, "/run/systemd/resolve/resolv.conf", false, &count);
	}
	if (fflush(f) != 0 || ferror(f))
		return error_errno("write %s", path);
	trace("wrote %s: %d nameserver(s)", path, count);
	return 0;
}
// end::resolv[]

int hosts_write(const char *dir, const char *hostname, struct in_addr address, bool host_network)
{
	char path[PATH_MAX], line[512], text[INET_ADDRSTRLEN];
	_cleanup_fclose_ FILE *f = create_in(dir, "hosts", path);

	if (!f)
		return -1;
	if (host_network) {
		_cleanup_fclose_ FILE *in = fopen("/etc/hosts", "re");
		while (in && fgets(line, sizeof(line), in))
			fputs(line, f);
	} else {
		fprintf(f, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
		if (address.s_addr)
			fprintf(f, "%s\t%s\n", inet_ntop(AF_INET, &address, text, sizeof(text)), hostname);
	}
	if (fflush(f) != 0 || ferror(f))
		return error_errno("write %s", path);
	return 0;
}

int hosts_add(const char *file, struct in_addr address, const char *hostname)
{
	_cleanup_close_ int fd = open(file, O_WRONLY | O_APPEND | O_CLOEXEC);
	char line[128], text[INET_ADDRSTRLEN];

	if (fd < 0)
		return error_errno("open %s", file);
	int length = snprintf(line, sizeof(line), "%s\t%s\n",
			      inet_ntop(AF_INET, &address, text, sizeof(text)), hostname);
	trace("append \"%s\t%s\" to %s", text, hostname, file);
	if (write(fd, line, (size_t)length) != length)
		return error_errno("write %s", file);
	return 0;
}

// tag::hosts[]
int hosts_remove(const char *file, struct in_addr address, const char *hostname)
{
	_cleanup_fclose_ FILE *f = fopen(file, "r+e");
	_cleanup_free_ char *kept = NULL;
	char *line = NULL, text[INET_ADDRSTRLEN], entry[INET_ADDRSTRLEN + 80];
	size_t size = 0, used = 0;
	ssize_t length;

	if (!f)
		return errno == ENOENT ? 0 : error_errno("open %s", file);
	/* Every line but "ADDRESS<tab>HOSTNAME": both, since two containers may
	 * share a name (and a peer's own line must stay). */
	int entry_length = snprintf(entry, sizeof(entry), "%s\t%s\n",
				    inet_ntop(AF_INET, &address, text, sizeof(text)), hostname);
	FILE *out = open_memstream(&kept, &used);
	if (!out)
		return error_errno("open_memstream");
	while ((length = getline(&line, &size, f)) > 0) {
		if (length == entry_length && memcmp(line, entry, (size_t)length) == 0)
			continue;
		fwrite(line, 1, (size_t)length, out);
	}
	free(line);
	if (fclose(out) != 0)
		return error_errno("rewrite %s", file);
	/* Rewritten in place: the same inode, which every bind mount holds. */
	trace("remove \"%s\t%s\" from %s, in place", text, hostname, file);
	if (pwrite(fileno(f), kept, used, 0) != (ssize_t)used || ftruncate(fileno(f), (off_t)used) < 0)
		return error_errno("rewrite %s", file);
	return 0;
}
// end::hosts[]

/* A read-only copy of PATH's mount, detached (open_tree(2), as volumes.c). */
static int file_tree_open(const char *path)
{
	int tree = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	struct mount_attr read_only = { .attr_set = MOUNT_ATTR_RDONLY };

	if (tree < 0)
		return error_errno("open_tree %s", path);
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &read_only, sizeof(read_only)) < 0) {
		error_errno("make %s read-only", path);
		close(tree);
		return -1;
	}
	return tree;
}

int dns_files_open(const char *dir, struct dns_files *files)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/resolv.conf", dir);
	trace("open_tree(\"%s\", OPEN_TREE_CLONE) + mount_setattr(MOUNT_ATTR_RDONLY), and hosts", path);
	if ((files->resolv_conf = file_tree_open(path)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/hosts", dir);
	if ((files->hosts = file_tree_open(path)) < 0)
		return -1;
	return 0;
}

static int file_tree_attach(int tree, const char *target)
{
	/* A mount point must exist: an empty file where the root has none.
	 * O_NOFOLLOW: a symbolic link is followed by move_mount(2) instead,
	 * inside this root. */
	int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
	} else if (errno == EACCES || errno == EROFS) {
		/* A rootless container may not write the image's /etc. */
		warn("%s is not in the image and cannot be made here: the container goes without",
		     target);
		close(tree);
		return 0;
	} else if (errno != EEXIST) {
		return error_errno("create %s", target);
	}
	trace("move_mount(box's %s, \"%s\")", target + 5, target);
	if (move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS) < 0)
		return error_errno("move_mount box's file on %s", target);
	close(tree);
	return 0;
}

int dns_files_bind(struct dns_files *files)
{
	return file_tree_attach(files->resolv_conf, "/etc/resolv.conf") < 0 ||
	       file_tree_attach(files->hosts, "/etc/hosts") < 0 ? -1 : 0;
}
