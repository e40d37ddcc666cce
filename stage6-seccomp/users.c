/* --user UID[:GID]: the command runs as a user other than root.
 *
 * Root in a container is still the host's uid 0 (without a user namespace),
 * with whatever capabilities it kept. An ordinary uid has none, and the
 * kernel's plain permission checks apply to it as to any user. The order
 * matters: supplementary groups first (setgroups needs CAP_SETGID), then the
 * group, then the user (after setresuid there is no way back).
 */
#include "users.h"

#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

int user_parse(const char *value, void *target)
{
	struct user *user = target;
	const char *colon = strchr(value, ':');

	if (!value[0] || value[0] == ':' || (colon && !colon[1]) || strchr(colon ? colon + 1 : value, ':'))
		return error_set("\"%s\" is not UID[:GID] (try 1000 or 1000:1000)", value);
	user->option = value;
	user->set = true;
	return 0;
}

/* A number, or -1. */
static long number_of(const char *text, size_t length)
{
	char digits[16], *end;

	if (length == 0 || length >= sizeof(digits))
		return -1;
	memcpy(digits, text, length);
	digits[length] = '\0';
	errno = 0;
	long value = strtol(digits, &end, 10);
	return *end || errno || value < 0 || value > 0xfffffffe ? -1 : value;
}

/* The line of FILE (passwd or group) whose first field is NAME, or whose
 * third is ID (NAME NULL): its third and fourth fields. */
static int lookup(const char *file, const char *name, size_t length, long id, long *found_id,
		  long *group, char *home, size_t home_size)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char line[1024];

	while (f && fgets(line, sizeof(line), f)) {
		char *fields[7] = { 0 };
		int count = 0;
		line[strcspn(line, "\n")] = '\0';
		for (char *p = line, *colon; count < 7; p = colon + 1) {
			fields[count++] = p;
			if (!(colon = strchr(p, ':')))
				break;
			*colon = '\0';
		}
		if (count < 3)
			continue;
		long this_id = number_of(fields[2], strlen(fields[2]));
		if (name ? (strlen(fields[0]) != length || strncmp(fields[0], name, length) != 0)
			 : this_id != id)
			continue;
		*found_id = this_id;
		if (group)
			*group = count > 3 ? number_of(fields[3], strlen(fields[3])) : -1;
		if (home && count > 5)
			snprintf(home, home_size, "%s", fields[5]);
		return 0;
	}
	return -1;
}

int user_home(uid_t uid, char *home, size_t size)
{
	long id;

	snprintf(home, size, "/");
	lookup("/etc/passwd", NULL, 0, uid, &id, NULL, home, size);
	return 0;
}

// tag::resolve[]
int user_resolve(struct user *user)
{
	const char *text = user->option, *colon = strchr(text, ':');
	size_t length = colon ? (size_t)(colon - text) : strlen(text);
	long uid = number_of(text, length), gid = -1, id;

	snprintf(user->home, sizeof(user->home), "/");
	/* A name is the container's, not the host's: its own /etc/passwd. */
	if (uid < 0 && lookup("/etc/passwd", text, length, 0, &uid, &gid, user->home, sizeof(user->home)) < 0)
		return error_set("--user %s: no user \"%.*s\" in the container's /etc/passwd", text,
				 (int)length, text);
	if (uid >= 0 && gid < 0 && lookup("/etc/passwd", NULL, 0, uid, &id, &gid, user->home,
					  sizeof(user->home)) < 0)
		gid = 0; /* a uid the image does not know: group 0, as Docker */
	if (colon) {
		gid = number_of(colon + 1, strlen(colon + 1));
		if (gid < 0 && lookup("/etc/group", colon + 1, strlen(colon + 1), 0, &gid, NULL, NULL, 0) < 0)
			return error_set("--user %s: no group \"%s\" in the container's /etc/group", text,
					 colon + 1);
	}
	user->uid = (uid_t)uid;
	user->gid = (gid_t)(gid < 0 ? 0 : gid);
	return 0;
}
// end::resolve[]

static bool setgroups_denied(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/setgroups", "re");
	char word[16] = "";

	return f && fgets(word, sizeof(word), f) && strncmp(word, "deny", 4) == 0;
}

// tag::switch[]
int user_switch(const struct user *user)
{
	/* LAB: become USER: its supplementary groups (setgroups(2): none for --user), then setresgid, then setresuid. */
	char groups[256] = "";
	for (int i = 0, used = 0; i < user->group_count && used < (int)sizeof(groups); i++)
		used += snprintf(groups + used, sizeof(groups) - (size_t)used, "%s%u", i ? ", " : "", user->groups[i]);
	trace("setgroups(%d, [%s]), setresgid(%u), setresuid(%u)", user->group_count, groups, user->gid, user->uid);
	/* In a user namespace whose setgroups is "deny" (an ordinary user's,
	 * mapped by box alone: user_namespaces(7)) there is nothing to drop. */
	if (setgroups((size_t)user->group_count, user->groups) < 0 &&
	    !(errno == EPERM && setgroups_denied() && user->group_count == 0))
		return error_errno("setgroups");
	if (setresgid(user->gid, user->gid, user->gid) < 0)
		return error_errno("--user: setresgid(%u)", user->gid);
	if (setresuid(user->uid, user->uid, user->uid) < 0)
		return error_errno("--user: setresuid(%u)%s", user->uid,
				   errno == EINVAL ? " (not mapped in this user namespace)" : "");
	return 0;
	/* LAB END (stub: (void)user; (void)setgroups_denied; return 0;) */
}
// end::switch[]
