// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * File helpers: bounded reads and atomic replacement.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "log.h"

int pp_file_read(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	char *buf;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			char probe, *nbuf;

			/* Full: EOF, or the file grew while we read it. */
			r = read(fd, &probe, 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				err = r < 0 ? -errno : 0;
				if (err) {
					free(buf);
					close(fd);
					return err;
				}
				break;
			}
			if (n + 1 > max) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nbuf;
			buf[n++] = probe;
			continue;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			free(buf);
			close(fd);
			return err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int pp_mkdir_p(const char *dir, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(dir);
	char *p;

	if (len == 0)
		return 0;
	if (len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, dir, len + 1);
	for (p = tmp + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(tmp, mode) < 0 && errno != EEXIST)
				return -errno;
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int pp_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, dfd, err;

	if (slash) {
		size_t dlen = slash == path ? 1 : (size_t)(slash - path);

		if (dlen >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
	} else {
		strcpy(dir, ".");
	}
	err = pp_mkdir_p(dir, 0755);
	if (err)
		return err;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write_all(fd, data, len);
	if (!err && fchmod(fd, mode) < 0)
		err = -errno;
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	/* Make the rename itself durable. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

const char *pp_file_strerror(int rc)
{
	return rc == -EFBIG ? "file too large" : strerror(-rc);
}

int pp_file_read_conf(const char *path, size_t max, int missing_ok,
		      char **text, size_t *len, char *err, size_t errlen)
{
	int rc = pp_file_read(path, max, text, len);

	if (rc == -ENOENT && missing_ok)
		return 1;
	if (rc)
		return pp_errf(err, errlen, "%s: %s", path, pp_file_strerror(rc));
	return 0;
}

bool pp_file_changed(const char *path, struct pp_fileid *id)
{
	struct pp_fileid now = { 0 };
	struct stat st;

	if (!stat(path, &st)) {
		now.present = true;
		now.dev = st.st_dev;
		now.ino = st.st_ino;
		now.size = st.st_size;
		now.mtim = st.st_mtim;
	}
	if (now.present == id->present && now.dev == id->dev && now.ino == id->ino &&
	    now.size == id->size && now.mtim.tv_sec == id->mtim.tv_sec &&
	    now.mtim.tv_nsec == id->mtim.tv_nsec)
		return false;
	*id = now;
	return true;
}
