/* Masked and read-only paths: the kernel's files a container must not read
 * (masked) or must not write (read-only), inside /proc and /sys. */
#pragma once

/* Docker's lists (moby's daemon/pkg/oci/defaults.go). Each ends with NULL;
 * a masked path may be a glob(3) pattern. */
extern const char *const masked_paths_default[];
extern const char *const read_only_paths_default[];

/* After pivot_root, with /proc and /sys mounted: a file under /dev/null (a
 * bind mount of it), a directory under an empty read-only tmpfs. A path
 * that this kernel does not have is left alone. */
int paths_mask(const char *const *paths);

/* After pivot_root: each path bound onto itself, then made read-only. */
int paths_make_read_only(const char *const *paths);
