# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Memory snapshots for the benchmarks run in the guest (bench/scale,
# bench/cluster): sourced; writes and reads $TMPD/mem.NAME.
# Memory snapshot NAME: every slab cache's active bytes, meminfo lines.
snap() {
	python3 - "$TMPD/mem.$1" <<-'EOF'
	import json, sys
	caches = {}
	for line in open("/proc/slabinfo").readlines()[2:]:
	    f = line.split()
	    caches[f[0]] = int(f[1]) * int(f[3])
	mi = {}
	for line in open("/proc/meminfo"):
	    k, v = line.split(":")
	    mi[k] = int(v.split()[0]) * 1024
	json.dump({"caches": caches, "meminfo": mi}, open(sys.argv[1], "w"))
	EOF
}
# memdiff A B N WHAT: bytes per WHAT between snapshots A and B over N.
memdiff() {
	python3 - "$TMPD/mem.$1" "$TMPD/mem.$2" "$3" "$4" <<-'EOF'
	import json, sys
	a, b = (json.load(open(f)) for f in sys.argv[1:3])
	n, what = int(sys.argv[3]), sys.argv[4]
	d = {k: b["caches"].get(k, 0) - a["caches"].get(k, 0) for k in set(a["caches"]) | set(b["caches"])}
	tot = sum(d.values())
	km = sum(v for k, v in d.items() if k.startswith("kmalloc"))
	mi = {k: b["meminfo"][k] - a["meminfo"][k] for k in ("Slab", "Percpu", "VmallocUsed")}
	top = sorted(d.items(), key=lambda kv: -kv[1])[:8]
	print(f"all slab caches {tot / n:,.0f} B per {what} (kmalloc-* {km / n:,.0f}); "
	      f"meminfo per {what}: Slab {mi['Slab'] / n:,.0f}, Percpu {mi['Percpu'] / n:,.0f}, "
	      f"VmallocUsed {mi['VmallocUsed'] / n:,.0f}; largest caches: "
	      + ", ".join(f"{k} {v / n:,.0f}" for k, v in top if v > 0))
	EOF
}
