/* libarchive and libcrypto, loaded the first time a tarball is read or
 * written (dlopen(3)).
 *
 * Why not link them: Debian's libarchive brings a dozen libraries with it
 * (libxml2, ICU and libstdc++ among them, for archive formats box never
 * touches), and loading them costs every container start about 8 ms, more
 * than all the rest stage 4 adds to stage 3 (make bench). Most containers
 * run on directories and never open a tarball; those now never pay.
 *
 * Each function box calls is a pointer sym_NAME of NAME's own type (typeof
 * on the library's declaration, so the compiler still checks every call),
 * filled by dlsym(3). layers.c and commit.c call sym_archive_read_new() where
 * other code calls archive_read_new(): the prefix says "looked up at run time".
 */
#ifndef LAZY_LIBRARIES_H
#define LAZY_LIBRARIES_H

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "lazy_load.h"

/* X(FUNCTION): every function of each library that box calls. */
#define LIBARCHIVE_FUNCTIONS(X)                                 \
	X(archive_error_string)                                 \
	X(archive_read_new)                                     \
	X(archive_read_support_filter_all)                      \
	X(archive_read_support_format_tar)                      \
	X(archive_read_open_filename)                           \
	X(archive_read_next_header)                             \
	X(archive_read_data_block)                              \
	X(archive_read_free)                                    \
	X(archive_read_disk_new)                                \
	X(archive_read_disk_set_standard_lookup)                \
	X(archive_read_disk_entry_from_file)                    \
	X(archive_write_new)                                    \
	X(archive_write_set_format_pax_restricted)              \
	X(archive_write_open_filename)                          \
	X(archive_write_header)                                 \
	X(archive_write_data)                                   \
	X(archive_write_data_block)                             \
	X(archive_write_finish_entry)                           \
	X(archive_write_close)                                  \
	X(archive_write_free)                                   \
	X(archive_write_disk_new)                               \
	X(archive_write_disk_set_options)                       \
	X(archive_entry_new)                                    \
	X(archive_entry_clone)                                  \
	X(archive_entry_free)                                   \
	X(archive_entry_pathname)                               \
	X(archive_entry_set_pathname)                           \
	X(archive_entry_copy_sourcepath)                        \
	X(archive_entry_filetype)                               \
	X(archive_entry_set_filetype)                           \
	X(archive_entry_set_perm)                               \
	X(archive_entry_size)                                   \
	X(archive_entry_set_size)                               \
	X(archive_entry_xattr_clear)                            \
	X(archive_entry_xattr_reset)                            \
	X(archive_entry_xattr_next)                             \
	X(archive_entry_xattr_add_entry)                        \
	X(archive_entry_linkresolver_new)                       \
	X(archive_entry_linkresolver_set_strategy)              \
	X(archive_entry_linkify)                                \
	X(archive_entry_linkresolver_free)

#define LIBCRYPTO_FUNCTIONS(X)                                  \
	X(EVP_MD_CTX_new)                                       \
	X(EVP_sha256)                                           \
	X(EVP_DigestInit_ex)                                    \
	X(EVP_DigestUpdate)                                     \
	X(EVP_DigestFinal_ex)                                   \
	X(EVP_MD_CTX_free)

#define LAZY_DECLARE(name) extern typeof(name) *sym_##name;
LIBARCHIVE_FUNCTIONS(LAZY_DECLARE)
LIBCRYPTO_FUNCTIONS(LAZY_DECLARE)
#undef LAZY_DECLARE

/* Load both (lazy_load.h): 0, or -1 with the error set. */
int lazy_libraries_load(void);

#endif
