/* The namespaces a container enters after its parent has let it go on. */
#pragma once

/* unshare(2) the cgroup namespace (now that the process is in its own
 * cgroup, that cgroup becomes its "/") and, where the kernel has one, the
 * time namespace (it applies to the children: the command). */
int namespaces_unshare_late(void);
