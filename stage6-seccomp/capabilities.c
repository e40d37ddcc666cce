/* Capabilities: root's power cut into pieces (capabilities(7)).
 *
 * Since Linux 2.2, "root" is a bundle of about forty capabilities, each
 * checked on its own: CAP_SYS_ADMIN for mount(2), CAP_NET_ADMIN to change
 * interfaces, CAP_SYS_MODULE to load a module, CAP_CHOWN for chown(2)... A
 * process carries five sets of them:
 *
 *   bounding     the most it may ever have again (dropped for good)
 *   permitted    what it has
 *   effective    what the kernel checks now (a subset of permitted)
 *   inheritable  what may pass through execve(2) to a file granting it
 *   ambient      what passes through execve(2) to any program (non-root)
 *
 * A container keeps Docker's default 14, in bounding, permitted and
 * effective, with inheritable and ambient empty (a non-empty inheritable
 * set let files with inheritable capabilities gain them: CVE-2022-24769).
 * The order follows runc's: bounding first (dropping it needs CAP_SETPCAP,
 * which may be about to go), then the change of user, then the rest.
 */
#include "capabilities.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "report.h"

// tag::default[]
/* moby's daemon/pkg/oci/caps/defaults.go: what a container keeps. */
const char *const capabilities_default[] = {
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
	"SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
	"AUDIT_WRITE", NULL,
};
// end::default[]

int capability_from_name(const char *name)
{
	char lower[64];
	cap_value_t value;
	size_t i;

	snprintf(lower, sizeof(lower), "%s%s", strncasecmp(name, "cap_", 4) == 0 ? "" : "cap_", name);
	for (i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	if (cap_from_name(lower, &value) < 0 || value < 0 || value >= cap_max_bits())
		return error_set("\"%s\" is not a capability of this kernel (try NET_ADMIN)", name);
	return value;
}

const char *capabilities_names(uint64_t set)
{
	static char text[1024];
	size_t used = 0;

	text[0] = '\0';
	for (int cap = 0; cap < 64 && used < sizeof(text); cap++) {
		if (!(set & (1ULL << cap)))
			continue;
		char *name = cap_to_name(cap);
		used += snprintf(text + used, sizeof(text) - used, "%s%s", used ? "|" : "",
				 name ? name + 4 : "?"); /* "cap_chown" -> "chown" */
		cap_free(name);
	}
	for (char *p = text; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return used ? text : "none";
}

/* Every capability in box's own bounding set: what --privileged gives,
 * and the most any container can have. (This lab's host lacks
 * CAP_SYS_RESOURCE in it, for one.) */
static uint64_t bounding_of_box(void)
{
	uint64_t set = 0;

	for (int cap = 0; cap < cap_max_bits() && cap < 64; cap++)
		if (cap_get_bound(cap) == 1)
			set |= 1ULL << cap;
	return set;
}

/* NAMES (a --cap-add or --cap-drop list): their bits, or everything for ALL. */
static int names_to_set(const struct path_list *names, const char *option, uint64_t everything,
			uint64_t *set)
{
	*set = 0;
	for (int i = 0; i < names->count; i++) {
		if (strcasecmp(names->items[i], "ALL") == 0) {
			*set = everything;
			continue;
		}
		int cap = capability_from_name(names->items[i]);
		if (cap < 0)
			return error_set("%s: %s", option, error_message());
		*set |= 1ULL << cap;
	}
	return 0;
}

static bool has_all(const struct path_list *names)
{
	for (int i = 0; i < names->count; i++)
		if (strcasecmp(names->items[i], "ALL") == 0)
			return true;
	return false;
}

// tag::resolve[]
int capabilities_resolve(const struct capability_options *options, bool root,
			 struct capability_sets *sets)
{
	uint64_t everything = bounding_of_box(), keep = 0, add, drop;

	/* LAB: the container's set: Docker's default 14, plus --cap-add, minus --cap-drop (ALL in either), or everything with --privileged; root keeps it in permitted and effective too, another user only in bounding. */
	for (int i = 0; capabilities_default[i]; i++) {
		int cap = capability_from_name(capabilities_default[i]);
		if (cap >= 0) /* a kernel that lacks one: it cannot be given */
			keep |= 1ULL << cap;
	}
	if (names_to_set(&options->add, "--cap-add", everything, &add) < 0 ||
	    names_to_set(&options->drop, "--cap-drop", everything, &drop) < 0)
		return -1;
	/* As Docker: --cap-drop ALL --cap-add X is just X; otherwise a
	 * capability both added and dropped is dropped. */
	if (has_all(&options->drop))
		keep = add;
	else
		keep = (keep | add) & ~drop;
	if (options->privileged)
		keep = everything;
	/* LAB END (stub: (void)add; (void)drop; (void)names_to_set; (void)has_all; (void)options; keep = everything;) */
	if (keep & ~everything)
		return error_set("--cap-add %s: not in box's own bounding set on this host",
				 capabilities_names(keep & ~everything));
	memset(sets, 0, sizeof(*sets));
	sets->bounding = keep;
	if (root)
		sets->permitted = sets->effective = keep;
	return 0;
}
// end::resolve[]

// tag::apply[]
int capabilities_bound(const struct capability_sets *sets)
{
	/* LAB: drop from the bounding set every capability not in SETS (cap_drop_bound), then PR_SET_KEEPCAPS so that a change of user keeps the permitted set. */
	for (int cap = 0; cap < cap_max_bits() && cap < 64; cap++)
		if (!(sets->bounding & (1ULL << cap)) && cap_get_bound(cap) == 1 && cap_drop_bound(cap) < 0)
			return error_errno("prctl(PR_CAPBSET_DROP, %d)", cap);
	/* LAB END (stub: (void)sets;) */
	trace("prctl(PR_CAPBSET_DROP): the bounding set is now %s", capabilities_names(sets->bounding));
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return error_errno("prctl(PR_SET_KEEPCAPS)");
	return 0;
}

/* The capabilities of SET as a list for cap_set_flag(3). */
static int set_flag(cap_t caps, cap_flag_t flag, uint64_t set)
{
	cap_value_t list[64];
	int count = 0;

	for (int cap = 0; cap < 64; cap++)
		if (set & (1ULL << cap))
			list[count++] = cap;
	return count ? cap_set_flag(caps, flag, count, list, CAP_SET) : 0;
}

int capabilities_set(const struct capability_sets *sets)
{
	cap_t caps = cap_init(); /* every flag clear */

	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
		cap_free(caps);
		return error_errno("prctl(PR_SET_KEEPCAPS, 0)");
	}
	if (!caps)
		return error_errno("cap_init");
	trace("capset(permitted %s, effective %s, inheritable %s)", capabilities_names(sets->permitted),
	      sets->effective == sets->permitted ? "the same" : capabilities_names(sets->effective),
	      capabilities_names(sets->inheritable));
	if (set_flag(caps, CAP_PERMITTED, sets->permitted) < 0 ||
	    set_flag(caps, CAP_EFFECTIVE, sets->effective) < 0 ||
	    set_flag(caps, CAP_INHERITABLE, sets->inheritable) < 0 || cap_set_proc(caps) < 0) {
		error_errno("capset");
		cap_free(caps);
		return -1;
	}
	cap_free(caps);
	/* The ambient set: empty, then what is asked (each one must be in
	 * permitted and inheritable: the kernel refuses it otherwise). */
	if (cap_reset_ambient() < 0)
		return error_errno("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	for (int cap = 0; cap < 64; cap++)
		if ((sets->ambient & (1ULL << cap)) && cap_set_ambient(cap, CAP_SET) < 0)
			return error_errno("prctl(PR_CAP_AMBIENT_RAISE, %s)", capabilities_names(1ULL << cap));
	return 0;
}
// end::apply[]

int no_new_privileges_set(void)
{
	trace("prctl(PR_SET_NO_NEW_PRIVS, 1)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return error_errno("prctl(PR_SET_NO_NEW_PRIVS)");
	return 0;
}
