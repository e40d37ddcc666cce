/* Commit: a container's changes as an OCI image layer. */
#pragma once

/* Write UPPER (an overlayfs upper directory) to FILE as a layer tarball:
 * deletions as ".wh.NAME", replaced directories with ".wh..wh..opq";
 * owners, modes, links and extended attributes kept. */
int layer_commit(const char *upper, const char *file);
