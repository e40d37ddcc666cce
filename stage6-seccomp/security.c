/* The container's privileges, as Docker cuts them.
 *
 * After stage 5 the container's root is still the host's root in all that
 * the namespaces do not cover. This file puts together what takes that
 * away (capabilities.c, users.c, rlimits.c, filter.c, masks.c, devices.c),
 * in the order runc follows, each step needing what the next takes away:
 *
 *   before clone   the capability sets and the seccomp program are settled
 *                  (the program read from the cache or compiled, so that the
 *                  container needs neither JSON nor libseccomp); the device
 *                  cgroup is made
 *   in the child   read-only and masked paths (mounts: CAP_SYS_ADMIN);
 *                  rlimits (raising one: CAP_SYS_RESOURCE); no_new_privs;
 *                  the bounding set (CAP_SETPCAP); the user (CAP_SETUID);
 *                  the capability sets; and the filter, last of all, so that
 *                  it need allow nothing but what the command itself does
 *
 * --privileged turns it all off but no_new_privs' absence: every
 * capability, no filter, no masks, every device, as Docker's.
 */
#include "security.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "command.h"
#include "masks.h"
#include "report.h"

// tag::prepare[]
int security_prepare(struct security *s, const char *id, const char *state, const struct cgroup *cg,
		     bool rootless)
{
	struct capability_options *caps = &s->capability_options;

	if (caps->privileged) {
		trace("--privileged: every capability, no seccomp filter, no masked or read-only paths, "
		      "every device, no no_new_privs");
		s->seccomp_options.unconfined = true;
		s->seccomp_options.new_privileges = true;
	}
	/* The sets for root; security_apply() empties permitted and
	 * effective for another user (its name is only known inside). */
	if (capabilities_resolve(caps, true, &s->capabilities) < 0)
		return -1;
	trace("capabilities: %s", capabilities_names(s->capabilities.bounding));
	/* Docker picks a profile's rules by the capabilities the container has. */
	if (seccomp_prepare(&s->seccomp_options, s->capabilities.bounding, state, &s->program) < 0)
		return -1;
	if (rootless || caps->privileged)
		return 0;
	return devices_limit(&s->devices, id, cg, device_rules_default, device_rules_default_count());
}
// end::prepare[]

int security_attach(const struct security *s, pid_t child)
{
	return devices_add_process(&s->devices, child);
}

// tag::apply[]
int security_apply(struct security *s)
{
	if (!s->capability_options.privileged &&
	    (paths_make_read_only(read_only_paths_default) < 0 || paths_mask(masked_paths_default) < 0))
		return -1;
	if (s->user.set && user_resolve(&s->user) < 0)
		return -1;
	if (s->user.set && s->user.uid != 0) /* as Docker: none effective for another user */
		s->capabilities.permitted = s->capabilities.effective = 0;
	bool nnp = !s->seccomp_options.new_privileges;
	if (rlimits_apply(&s->rlimits) < 0 || (nnp && no_new_privileges_set() < 0))
		return -1;
	/* Loading a filter needs no_new_privs or CAP_SYS_ADMIN: without the
	 * first, it goes on now, while box still has the second (and the
	 * profile must allow what follows: prctl, setresuid, capset). */
	if (!nnp && seccomp_apply(&s->program) < 0)
		return -1;
	if (capabilities_bound(&s->capabilities) < 0 ||
	    (s->user.set && user_switch(&s->user) < 0) ||
	    capabilities_set(&s->capabilities) < 0)
		return -1;
	if (s->user.set) /* its entry in the container's passwd says, or "/" */
		command_home = s->user.home;
	return nnp ? seccomp_apply(&s->program) : 0;
}
// end::apply[]

void security_release(struct security *s)
{
	devices_release(&s->devices);
	free(s->program.filter);
	s->program.filter = NULL;
}

void security_features_report(const char *state)
{
	struct capability_options none = { 0 };
	struct capability_sets sets;

	if (capabilities_resolve(&none, true, &sets) == 0)
		seccomp_features_report(state, sets.bounding);
	devices_features_report();
}
