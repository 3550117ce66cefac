/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * What a phone does before it registers: read SEP<MAC>.cnf.xml over TFTP
 * (RFC 1350 read request, octet mode, 512-byte blocks, the server's
 * transfer port latched from its first DATA) and take the CallManager
 * from the file's callManagerGroup (libxml2).
 */
#ifndef PP_SIM_TFTPC_H
#define PP_SIM_TFTPC_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#define TFTPC_MAX_FILE	(1024 * 1024)

struct tftpc;

/* @err is 0 and @data the file, or @err < 0 and @why the reason. */
typedef void (*tftpc_done_fn)(void *arg, int err, const char *why,
			      const uint8_t *data, size_t len);

/*
 * Read @file from @server_ip:@port (@bind_ip 0: any source). Retries a
 * lost packet every @timeout_ms, @tries times. *@out is freed by
 * tftpc_free(); @done is called once, from the loop.
 */
int tftpc_start(struct tftpc **out, struct event_base *base, uint32_t bind_ip,
		uint32_t server_ip, uint16_t port, const char *file,
		unsigned int timeout_ms, unsigned int tries,
		tftpc_done_fn done, void *arg);
void tftpc_free(struct tftpc *t);

/*
 * The CallManager of a phone configuration file: the callManagerGroup
 * member of lowest priority with a processNodeName, its
 * ethernetPhonePort (2000 when absent). @host gets the node name as
 * written (an address or a name). Returns 0 or -1 with @why.
 */
int sim_cnf_callmanager(const uint8_t *data, size_t len, char *host,
			size_t hostlen, uint16_t *port, const char **why);

#endif /* PP_SIM_TFTPC_H */
