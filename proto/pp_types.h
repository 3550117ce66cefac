/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * The only dependency of the pure protocol code in proto/: fixed-size
 * integer types, bool, size_t, memcpy() and memset(), from the kernel or
 * from the C library, so the same sources build into the module, the
 * userspace tests and the fuzzers.
 */
#ifndef _PP_TYPES_H
#define _PP_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The compiler's own names: the same types as <stdint.h>'s. */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;
typedef __UINT16_TYPE__ __le16;
typedef __UINT32_TYPE__ __le32;
#endif

/* Zero key material so that the compiler cannot drop the write. */
#ifdef __KERNEL__
#define pp_wipe(p, n)	memzero_explicit(p, n)
#else
static inline void pp_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
#endif

#endif /* _PP_TYPES_H */
