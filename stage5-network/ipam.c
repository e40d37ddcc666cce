/* IP address management: a subnet's addresses leased to containers.
 *
 * As CNI's host-local plugin does it: one file per address given out, made
 * with O_CREAT|O_EXCL so that two containers can never hold the same one,
 * and a lock around every change. The files live under /run, a tmpfs, so a
 * reboot (which ends every container) frees every address.
 *
 * A lease names the box process that took it. A box killed by SIGKILL
 * cannot give its address back; the next box to start finds the lease of
 * a process that is gone and reclaims it, with its veth and its rules
 * (network.c).
 */
#include "ipam.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

#define NETWORK_STATE "/run/box-network"

/* Addresses and subnets ------------------------------------------------------ */

const char *address_text(struct in_addr address, char *text)
{
	inet_ntop(AF_INET, &address, text, INET_ADDRSTRLEN);
	return text;
}

static uint32_t mask_of(int prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

int subnet_parse(const char *text, struct ipv4_address *subnet)
{
	char address[INET_ADDRSTRLEN], *end;
	const char *slash = strchr(text, '/');

	if (!slash || (size_t)(slash - text) >= sizeof(address))
		return error_set("\"%s\" is not a subnet (try 10.77.0.0/16)", text);
	memcpy(address, text, (size_t)(slash - text));
	address[slash - text] = '\0';
	errno = 0;
	long prefix = strtol(slash + 1, &end, 10);
	if (inet_pton(AF_INET, address, &subnet->address) != 1 || end == slash + 1 || *end || errno)
		return error_set("\"%s\" is not a subnet (try 10.77.0.0/16)", text);
	/* At least a network, a gateway, one container and a broadcast address. */
	if (prefix < 8 || prefix > 30)
		return error_set("\"%s\": the prefix length must be 8 to 30", text);
	subnet->prefix = (int)prefix;
	uint32_t host = ntohl(subnet->address.s_addr);
	if (host & ~mask_of(subnet->prefix)) {
		struct in_addr network = { htonl(host & mask_of(subnet->prefix)) };
		char suggestion[INET_ADDRSTRLEN];
		return error_set("\"%s\" is not a network address (did you mean %s/%ld?)", text,
				 address_text(network, suggestion), prefix);
	}
	return 0;
}

struct in_addr subnet_gateway(const struct ipv4_address *subnet)
{
	return (struct in_addr){ htonl(ntohl(subnet->address.s_addr) + 1) };
}

static bool is_host_of(const struct ipv4_address *subnet, uint32_t host)
{
	uint32_t network = ntohl(subnet->address.s_addr), mask = mask_of(subnet->prefix);

	return (host & mask) == network && host != network && host != network + 1 &&
	       host != (network | ~mask);
}

int host_address_parse(const char *text, const struct ipv4_address *subnet, struct in_addr *address)
{
	char network[INET_ADDRSTRLEN];

	if (inet_pton(AF_INET, text, address) != 1)
		return error_set("\"%s\" is not an IPv4 address", text);
	if (!is_host_of(subnet, ntohl(address->s_addr)))
		return error_set("%s is not a container's address in %s/%d (not its network, "
				 "gateway or broadcast address)", text,
				 address_text(subnet->address, network), subnet->prefix);
	return 0;
}

/* The lock and the directories ------------------------------------------------ */

static int make_dir(const char *path, bool *made)
{
	if (mkdir(path, 0755) == 0) {
		if (made)
			*made = true;
		return 0;
	}
	if (errno == EEXIST) {
		if (made)
			*made = false;
		return 0;
	}
	return error_errno("mkdir %s", path);
}

// tag::lock[]
int ipam_open(struct ipam *ipam, const char *bridge)
{
	struct stat ns;

	ipam->lock_fd = -1;
	/* A namespace is known by its inode number (namespaces(7)): the
	 * bridges of two network namespaces have nothing to do with each other. */
	if (stat("/proc/self/ns/net", &ns) < 0)
		return error_errno("stat /proc/self/ns/net");
	snprintf(ipam->namespace_dir, sizeof(ipam->namespace_dir), NETWORK_STATE "/net-%lu",
		 (unsigned long)ns.st_ino);
	snprintf(ipam->bridge_dir, sizeof(ipam->bridge_dir), "%s/%s", ipam->namespace_dir, bridge);
	if (make_dir(NETWORK_STATE, NULL) < 0)
		return -1;
	/* One lock for every namespace and bridge, never removed: a lock file
	 * that could be deleted and made again would let two boxes hold
	 * "the" lock at once. */
	ipam->lock_fd = open(NETWORK_STATE "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (ipam->lock_fd < 0)
		return error_errno("open " NETWORK_STATE "/lock");
	trace("flock(" NETWORK_STATE "/lock, LOCK_EX)");
	while (flock(ipam->lock_fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			error_errno("flock " NETWORK_STATE "/lock");
			ipam_close(ipam);
			return -1;
		}
	if (make_dir(ipam->namespace_dir, &ipam->namespace_new) < 0 ||
	    make_dir(ipam->bridge_dir, &ipam->bridge_new) < 0) {
		ipam_close(ipam);
		return -1;
	}
	return 0;
}
// end::lock[]

void ipam_close(struct ipam *ipam)
{
	if (ipam->lock_fd >= 0)
		close(ipam->lock_fd); /* and with it the lock */
	ipam->lock_fd = -1;
}

int ipam_remove_bridge(struct ipam *ipam, bool *namespace_empty)
{
	char path[PATH_MAX + 48];

	/* What is left besides leases: the round-robin cursor, the subnet, and
	 * the mark that the bridge is box's (network.c). */
	for (const char *const *name = (const char *const[]){ "last", "subnet", "ours", NULL }; *name; name++) {
		snprintf(path, sizeof(path), "%s/%s", ipam->bridge_dir, *name);
		if (unlink(path) < 0 && errno != ENOENT)
			return error_errno("unlink %s", path);
	}
	if (rmdir(ipam->bridge_dir) < 0 && errno != ENOENT)
		return error_errno("rmdir %s", ipam->bridge_dir);
	/* The namespace's own files go with its last bridge. */
	*namespace_empty = false;
	_cleanup_closedir_ DIR *dir = opendir(ipam->namespace_dir);
	if (!dir)
		return error_errno("opendir %s", ipam->namespace_dir);
	for (struct dirent *entry; (entry = readdir(dir));)
		if (entry->d_type == DT_DIR && entry->d_name[0] != '.')
			return 0;
	*namespace_empty = true;
	return 0;
}

/* Lease files ------------------------------------------------------------------ */

int process_identity(pid_t pid, unsigned long long *start_time)
{
	char path[64], text[1024];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "re")) || !fgets(text, sizeof(text), f))
		return error_errno("read %s", path);
	/* Field 22, starttime; the command name (field 2) may hold spaces,
	 * so count from its closing parenthesis. */
	char *p = strrchr(text, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", start_time) != 1)
		return error_set("%s: no start time", path);
	return 0;
}

bool lease_alive(const struct lease *lease)
{
	unsigned long long start_time;

	if (kill(lease->pid, 0) < 0 && errno == ESRCH)
		return false;
	/* The same PID, but a later process: the owner is gone. */
	return process_identity(lease->pid, &start_time) == 0 && start_time == lease->start_time;
}

static int lease_path(const struct ipam *ipam, struct in_addr address, char *path, size_t size)
{
	char text[INET_ADDRSTRLEN];

	snprintf(path, size, "%s/%s", ipam->bridge_dir, address_text(address, text));
	return 0;
}

static int lease_read(const char *path, struct lease *lease)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[PATH_MAX + 32];

	if (!f)
		return error_errno("open %s", path);
	memset(lease, 0, sizeof(*lease));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *value = strchr(line, ' ');
		if (!value)
			continue;
		*value++ = '\0';
		if (strcmp(line, "address") == 0)
			inet_pton(AF_INET, value, &lease->address);
		else if (strcmp(line, "id") == 0)
			snprintf(lease->id, sizeof(lease->id), "%s", value);
		else if (strcmp(line, "pid") == 0)
			sscanf(value, "%d %llu", &lease->pid, &lease->start_time);
		else if (strcmp(line, "hostname") == 0)
			snprintf(lease->hostname, sizeof(lease->hostname), "%s", value);
		else if (strcmp(line, "veth") == 0)
			snprintf(lease->veth, sizeof(lease->veth), "%s", value);
		else if (strcmp(line, "hosts") == 0)
			snprintf(lease->hosts_file, sizeof(lease->hosts_file), "%s", value);
		else if (strcmp(line, "publish") == 0 && lease->port_count < LEASE_PORTS &&
			 port_mapping_parse(value, &lease->ports[lease->port_count]) == 0)
			lease->port_count++;
	}
	return 0;
}

int leases_read(const struct ipam *ipam, struct lease **leases, int *count)
{
	_cleanup_closedir_ DIR *dir = opendir(ipam->bridge_dir);
	int capacity = 16;

	*count = 0;
	*leases = calloc(capacity, sizeof(**leases));
	if (!dir || !*leases) {
		free(*leases);
		*leases = NULL;
		return error_errno("read the leases in %s", ipam->bridge_dir);
	}
	for (struct dirent *entry; (entry = readdir(dir));) {
		struct in_addr address;
		char path[PATH_MAX + 320];

		if (inet_pton(AF_INET, entry->d_name, &address) != 1)
			continue; /* "last", and nothing else, is not a lease */
		if (*count == capacity) {
			struct lease *more = reallocarray(*leases, capacity * 2, sizeof(**leases));
			if (!more) {
				free(*leases);
				*leases = NULL;
				return error_errno("realloc");
			}
			*leases = more;
			capacity *= 2;
		}
		snprintf(path, sizeof(path), "%s/%s", ipam->bridge_dir, entry->d_name);
		if (lease_read(path, &(*leases)[*count]) == 0)
			(*count)++;
	}
	return 0;
}

static int lease_write(int fd, const char *path, const struct lease *lease)
{
	char text[INET_ADDRSTRLEN];
	_cleanup_fclose_ FILE *f = fdopen(fd, "w");

	if (!f) {
		close(fd);
		return error_errno("fdopen %s", path);
	}
	fprintf(f, "address %s\nid %s\npid %d %llu\nhostname %s\nveth %s\nhosts %s\n",
		address_text(lease->address, text), lease->id, lease->pid, lease->start_time,
		lease->hostname, lease->veth, lease->hosts_file);
	for (int i = 0; i < lease->port_count; i++)
		fprintf(f, "publish %s\n", port_mapping_text(&lease->ports[i]));
	if (fflush(f) != 0 || ferror(f))
		return error_errno("write %s", path);
	return 0;
}

/* The round-robin cursor: the last address given out, so that an address
 * just freed is not handed to the next container at once (its peers may
 * still have it in their ARP caches). */
static uint32_t cursor_read(const struct ipam *ipam)
{
	char path[PATH_MAX + 48], text[INET_ADDRSTRLEN] = "";
	struct in_addr last = { 0 };
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/last", ipam->bridge_dir);
	if ((f = fopen(path, "re")) && fgets(text, sizeof(text), f)) {
		text[strcspn(text, "\n")] = '\0';
		inet_pton(AF_INET, text, &last);
	}
	return ntohl(last.s_addr);
}

static void cursor_write(const struct ipam *ipam, struct in_addr address)
{
	char path[PATH_MAX + 48], text[INET_ADDRSTRLEN];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "%s/last", ipam->bridge_dir);
	if ((f = fopen(path, "we")))
		fprintf(f, "%s\n", address_text(address, text));
}

// tag::take[]
int lease_take(const struct ipam *ipam, const struct ipv4_address *subnet, struct lease *lease)
{
	uint32_t network = ntohl(subnet->address.s_addr), size = ~mask_of(subnet->prefix) + 1;
	uint32_t wanted = ntohl(lease->address.s_addr), start = cursor_read(ipam);
	char path[PATH_MAX + 48], text[INET_ADDRSTRLEN];

	if (!is_host_of(subnet, start))
		start = network + 1;
	/* LAB: find a free address: try each host of SUBNET after the cursor (or only the one asked for), making its lease file with O_CREAT|O_EXCL; write LEASE into it. */
	for (uint32_t i = 1; i <= size; i++) {
		uint32_t host = wanted ? wanted : network + (start - network + i) % size;
		if (!is_host_of(subnet, host))
			continue;
		lease->address.s_addr = htonl(host);
		lease_path(ipam, lease->address, path, sizeof(path));
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			trace("lease %s: %s", address_text(lease->address, text), path);
			if (lease_write(fd, path, lease) < 0) {
				unlink(path);
				return -1;
			}
			if (!wanted)
				cursor_write(ipam, lease->address);
			return 0;
		}
		if (errno != EEXIST)
			return error_errno("create %s", path);
		if (wanted) {
			struct lease holder;
			if (lease_read(path, &holder) == 0 && holder.id[0])
				return error_set("%s is taken by container %s", address_text(lease->address, text),
						 holder.id);
			return error_set("%s is taken by another container", address_text(lease->address, text));
		}
	}
	return error_set("no address left in %s/%d", address_text(subnet->address, text), subnet->prefix);
	/* LAB END (stub: (void)size; (void)wanted; (void)start; (void)path; (void)text; (void)lease_path; (void)lease_write; (void)cursor_write; (void)lease_read; return error_set("lease_take: not written yet");) */
}
// end::take[]

int lease_drop(const struct ipam *ipam, struct in_addr address)
{
	char path[PATH_MAX + 48];

	lease_path(ipam, address, path, sizeof(path));
	trace("unlink %s", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return error_errno("unlink %s", path);
	return 0;
}
