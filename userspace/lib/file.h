/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Whole-file reads and crash-safe replacement (temporary file, fsync,
 * rename) of the files phoneproxy keeps.
 */
#ifndef PP_FILE_H
#define PP_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read a regular file of at most max bytes into a malloc()ed buffer, NUL
 * terminated (the NUL is not counted in *len). Returns 0 or -errno
 * (EFBIG when larger than max, EISDIR/EINVAL when not a regular file).
 */
int pp_file_read(const char *path, size_t max, char **data, size_t *len);

/*
 * Replace path with data, atomically: readers see the old or the new
 * content, never a mix, even across a crash. Missing parent directories
 * are created (0755). Returns 0 or -errno.
 */
int pp_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode);

/* mkdir -p. Returns 0 or -errno. */
int pp_mkdir_p(const char *dir, mode_t mode);

#endif /* PP_FILE_H */
