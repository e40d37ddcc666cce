/* --user UID[:GID]: the command runs as a user other than root. */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#define USER_GROUPS_MAX 64

struct user {
	const char *option; /* "1000", "1000:1000", "nobody", "app:staff" */
	bool set;
	uid_t uid;
	gid_t gid;
	gid_t groups[USER_GROUPS_MAX]; /* supplementary groups (the OCI runtime's additionalGids) */
	int group_count;               /* --user sets none, as Docker */
	char home[256];     /* from the container's /etc/passwd, or "/" */
};

int user_parse(const char *value, void *target);

#define USER_OPTION(u) \
	{ "user", "UID[:GID]", "run the command as this user (a number, or a name in the " \
	  "container's /etc/passwd)", user_parse, u }

/* In the container, after pivot_root: names looked up in its own
 * /etc/passwd and /etc/group; a uid without a group gets its passwd entry's
 * group, or 0 (as Docker). */
int user_resolve(struct user *user);

/* In the container: UID's home in its own /etc/passwd, or "/". */
int user_home(uid_t uid, char *home, size_t size);

/* Become USER: its supplementary groups only (setgroups(2); none for
 * --user), then the group and the user, real, effective and saved
 * (setresgid(2), setresuid(2)). */
int user_switch(const struct user *user);
