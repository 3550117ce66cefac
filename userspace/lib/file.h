/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * Whole-file reads and crash-safe replacement (temporary file, fsync,
 * rename) of the files phoneproxy keeps.
 */
#ifndef PP_FILE_H
#define PP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Read a regular file of at most max bytes into a malloc()ed buffer, NUL
 * terminated (the NUL is not counted in *len). Returns 0 or -errno
 * (EFBIG when larger than max, EISDIR/EINVAL when not a regular file).
 */
int pp_file_read(const char *path, size_t max, char **data, size_t *len);

/* What pp_file_read()'s -errno @rc means, for a message. */
const char *pp_file_strerror(int rc);

/*
 * pp_file_read() for a settings file of at most @max bytes: 0 with *text
 * (malloc()ed) and *len; 1 when the file does not exist and @missing_ok
 * (nothing to free); -1 with "path: reason" in @err.
 */
int pp_file_read_conf(const char *path, size_t max, int missing_ok,
		      char **text, size_t *len, char *err, size_t errlen);

/*
 * Replace path with data, atomically: readers see the old or the new
 * content, never a mix, even across a crash. Missing parent directories
 * are created (0755). Returns 0 or -errno.
 */
int pp_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode);

/* mkdir -p. Returns 0 or -errno. */
int pp_mkdir_p(const char *dir, mode_t mode);

/* Which version of a file a daemon read: its identity and mtime. */
struct pp_fileid {
	bool present;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim;
};

/* Has path changed (appeared, gone, replaced, written) since id? id is
 * updated. A file read again only when this says so. */
bool pp_file_changed(const char *path, struct pp_fileid *id);

#endif /* PP_FILE_H */
