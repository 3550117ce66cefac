#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The layers of kmod/ go one way (docs/architecture.md): the graph of the
# module's units (x.c with x.h, in kmod/ and proto/) has no cycle. An edge
# is an #include "..." line, or, where the objects are built, a symbol one
# object uses that another defines (nm). On a cycle, prints the units in
# it and why each depends on the next, and exits 1.
#   scripts/check-layers.sh [TREE]	(default: this work tree)
set -u -o pipefail
cd "${1:-$(dirname "$0")/..}" || exit 2
edges=$(
	for f in kmod/*.[ch] proto/*.[ch]; do
		sed -n 's/^#include "\([^"]*\)\.h".*/\1/p' "$f" |
			sed "s|^|$f |"
	done | awk '{ n = split($1, p, "/"); sub(/\.[ch]$/, "", p[n]);
		      m = split($2, q, "/"); if (p[n] != q[m])
			print p[n], q[m], $1 " includes " q[m] ".h" }'
	objs=$(ls kmod/*.o proto/*.o 2>/dev/null |
		grep -v -e '\.mod\.o$' -e '^kmod/phoneproxy\.o$')
	[ -n "$objs" ] && nm -A $objs | awk '
		{ split($1, f, ":"); n = split(f[1], p, "/"); sub(/\.o$/, "", p[n]) }
		$2 == "U" { use[p[n] " " $3] = 1; next }
		$2 ~ /^[TDBR]$/ { def[$3] = p[n] }
		END { for (k in use) { split(k, u, " ")
			if (u[2] in def && def[u[2]] != u[1])
				print u[1], def[u[2]], u[1] ".o uses " u[2] } }'
)
printf '%s\n' "$edges" | awk '
	NF >= 2 && !(($1, $2) in why) {
		adj[$1, ++n[$1]] = $2; u = $1; v = $2; $1 = $2 = ""
		why[u, v] = substr($0, 3); node[u]; node[v]
	}
	function dfs(u,   i, k, v) {
		state[u] = 1; stack[++sp] = u
		for (i = 1; i <= n[u]; i++) {
			v = adj[u, i]
			if (state[v] == 1) {
				for (k = 1; stack[k] != v; k++)
					;
				print "cycle among the units of kmod/ and proto/:"
				for (; k <= sp; k++)
					print "  " stack[k] " -> " \
					      (k < sp ? stack[k + 1] : v) ": " \
					      why[stack[k], k < sp ? stack[k + 1] : v]
				return 1
			}
			if (!state[v] && dfs(v))
				return 1
		}
		state[u] = 2; sp--
		return 0
	}
	END { for (u in node) if (!state[u] && dfs(u)) exit 1 }'
