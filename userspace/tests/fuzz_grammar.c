// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2026 The phoneproxy authors.
 *
 * libFuzzer target: ppctl's line splitting, grammar and help on arbitrary
 * command lines (no command is executed).
 *	make fuzz CC=clang && ../build/userspace/tests/fuzz_grammar
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "grammar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *argv[PPCTL_MAX_WORDS];
	struct ppctl_error err;
	struct ppctl_cmd cmd;
	FILE *devnull;
	int argc;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = ppctl_split(line, argv, PPCTL_MAX_WORDS, &err);
	if (argc > 0 &&
	    ppctl_parse(ppctl_commands, argc, argv, &cmd, &err) == PPCTL_PARSE_HELP) {
		devnull = fopen("/dev/null", "w");
		if (devnull) {
			ppctl_print_help(devnull, ppctl_commands, cmd.help_argc,
					 cmd.help_argv);
			fclose(devnull);
		}
	}
	free(line);
	return 0;
}
