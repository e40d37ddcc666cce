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

enum lazy_library { LIBARCHIVE, LIBCRYPTO };

/* X(LIBRARY, FUNCTION): every function of the two libraries that box calls. */
#define LAZY_FUNCTIONS(X)                                            \
	X(LIBARCHIVE, archive_error_string)                          \
	X(LIBARCHIVE, archive_read_new)                              \
	X(LIBARCHIVE, archive_read_support_filter_all)               \
	X(LIBARCHIVE, archive_read_support_format_tar)               \
	X(LIBARCHIVE, archive_read_open_filename)                    \
	X(LIBARCHIVE, archive_read_next_header)                      \
	X(LIBARCHIVE, archive_read_data_block)                       \
	X(LIBARCHIVE, archive_read_free)                             \
	X(LIBARCHIVE, archive_read_disk_new)                         \
	X(LIBARCHIVE, archive_read_disk_set_standard_lookup)         \
	X(LIBARCHIVE, archive_read_disk_entry_from_file)             \
	X(LIBARCHIVE, archive_write_new)                             \
	X(LIBARCHIVE, archive_write_set_format_pax_restricted)       \
	X(LIBARCHIVE, archive_write_open_filename)                   \
	X(LIBARCHIVE, archive_write_header)                          \
	X(LIBARCHIVE, archive_write_data)                            \
	X(LIBARCHIVE, archive_write_data_block)                      \
	X(LIBARCHIVE, archive_write_finish_entry)                    \
	X(LIBARCHIVE, archive_write_close)                           \
	X(LIBARCHIVE, archive_write_free)                            \
	X(LIBARCHIVE, archive_write_disk_new)                        \
	X(LIBARCHIVE, archive_write_disk_set_options)                \
	X(LIBARCHIVE, archive_entry_new)                             \
	X(LIBARCHIVE, archive_entry_clone)                           \
	X(LIBARCHIVE, archive_entry_free)                            \
	X(LIBARCHIVE, archive_entry_pathname)                        \
	X(LIBARCHIVE, archive_entry_set_pathname)                    \
	X(LIBARCHIVE, archive_entry_copy_sourcepath)                 \
	X(LIBARCHIVE, archive_entry_filetype)                        \
	X(LIBARCHIVE, archive_entry_set_filetype)                    \
	X(LIBARCHIVE, archive_entry_set_perm)                        \
	X(LIBARCHIVE, archive_entry_size)                            \
	X(LIBARCHIVE, archive_entry_set_size)                        \
	X(LIBARCHIVE, archive_entry_xattr_clear)                     \
	X(LIBARCHIVE, archive_entry_xattr_reset)                     \
	X(LIBARCHIVE, archive_entry_xattr_next)                      \
	X(LIBARCHIVE, archive_entry_xattr_add_entry)                 \
	X(LIBARCHIVE, archive_entry_linkresolver_new)                \
	X(LIBARCHIVE, archive_entry_linkresolver_set_strategy)       \
	X(LIBARCHIVE, archive_entry_linkify)                         \
	X(LIBARCHIVE, archive_entry_linkresolver_free)               \
	X(LIBCRYPTO, EVP_MD_CTX_new)                                 \
	X(LIBCRYPTO, EVP_sha256)                                     \
	X(LIBCRYPTO, EVP_DigestInit_ex)                              \
	X(LIBCRYPTO, EVP_DigestUpdate)                               \
	X(LIBCRYPTO, EVP_DigestFinal_ex)                             \
	X(LIBCRYPTO, EVP_MD_CTX_free)

#define LAZY_DECLARE(library, name) extern typeof(name) *sym_##name;
LAZY_FUNCTIONS(LAZY_DECLARE)
#undef LAZY_DECLARE

/* Load both libraries and find every function: 0, or -1 with the error
 * set (a library missing, or without a function). Only the first call
 * does any work. */
int lazy_libraries_load(void);

#endif
