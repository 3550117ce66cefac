#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# prom_check.py EXPOSITION [FLAT]: checks "ppctl show stats -o prometheus"
# (docs/monitoring.md) as a reader of the text exposition format 0.0.4
# would: every line a HELP, a TYPE or a sample; valid metric and label
# names; one HELP and one TYPE per family, before its samples, which are
# together; counters end in _total. With FLAT ("section key value" lines,
# from "ppctl -j show stats" by jq; a section that could not be read is
# "section null -"), every value of show stats -j is one sample with the
# same value by the documented naming, no sample is left over, and each
# section's daemon has phoneproxy_up 1, or 0 when it could not be read.
# Prints what is wrong, exits 1.
import re
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*$')
SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"\})? ([0-9]+)$')
REASONS = ('dropped_', 'refused_', 'reset_', 'ended_', 'denied_', 'not_found_')
DAEMON = {'tftp': 'pp-tftpd', 'tls': 'pp-tlsd', 'cluster': 'pp-clusterd'}
GAUGES = {('sccp', 'open'), ('sccp', 'buffers'), ('media', 'calls'), ('media', 'streams'),
          ('tftp', 'transfers_active'), ('tftp', 'cache_entries'), ('tftp', 'cache_bytes'),
          ('tls', 'open'), ('tls', 'handshaking'), ('cluster', 'node_id'),
          ('cluster', 'member_processes'), ('cluster', 'last_change_ms')}


def unescape(v):
    return re.sub(r'\\(.)', lambda m: '\n' if m.group(1) == 'n' else m.group(1), v)


def parse(text, bad):
    helps, types, samples, done, current = {}, {}, [], set(), None
    for n, line in enumerate(text.split('\n')[:-1], 1):
        m = re.match(r'# (HELP|TYPE) (\S+) (.*)$', line)
        if m:
            kind, name, rest = m.groups()
            if not NAME.match(name):
                bad.append(f'line {n}: bad metric name {name}')
            table = helps if kind == 'HELP' else types
            if name in table:
                bad.append(f'line {n}: a second {kind} for {name}')
            if kind == 'TYPE' and rest not in ('counter', 'gauge'):
                bad.append(f'line {n}: type {rest}')
            table[name] = rest
            continue
        m = SAMPLE.match(line)
        if not m:
            bad.append(f'line {n}: not a sample: {line}')
            continue
        name, lname, lvalue, value = m.groups()
        if name != current:
            if name in done:
                bad.append(f'line {n}: {name} apart from its family')
            done.add(name)
            current = name
        if name not in helps or name not in types:
            bad.append(f'line {n}: no HELP or TYPE before {name}')
        elif (types[name] == 'counter') != name.endswith('_total'):
            bad.append(f'line {n}: {name} is a {types[name]}')
        samples.append((name, lname, unescape(lvalue) if lvalue is not None else None,
                        int(value)))
    if text and not text.endswith('\n'):
        bad.append('no line feed at the end')
    return samples, types


def expected(section, key, value):
    """The sample of one value of show stats -j (docs/monitoring.md)."""
    if not value.isdigit():
        return (f'phoneproxy_{section}_{key}_info', key, value, 1)
    if (section, key) in GAUGES:
        return (f'phoneproxy_{section}_{key}', None, None, int(value))
    for r in REASONS:
        if key.startswith(r) and len(key) > len(r):
            return (f'phoneproxy_{section}_{r[:-1]}_total', 'reason', key[len(r):], int(value))
    return (f'phoneproxy_{section}_{key}' + ('' if key.endswith('_total') else '_total'),
            None, None, int(value))


def main():
    bad = []
    with open(sys.argv[1]) as f:
        samples, types = parse(f.read(), bad)
    if len(sys.argv) > 2:
        left = list(samples)
        want_up = {}
        n = 0
        with open(sys.argv[2]) as f:
            for line in f:
                section, key, value = line.rstrip('\n').split(' ', 2)
                if key == 'null':
                    want_up[DAEMON[section]] = 0
                    continue
                want_up.setdefault(DAEMON.get(section, 'phoneproxy.ko'), 1)
                want = expected(section, key, value)
                n += 1
                if want in left:
                    left.remove(want)
                else:
                    got = [s for s in samples if s[:3] == want[:3]]
                    bad.append(f'{section} {key} {value}: want {want}, got {got}')
        for daemon, up in want_up.items():
            want = ('phoneproxy_up', 'daemon', daemon, up)
            if want in left:
                left.remove(want)
            else:
                bad.append(f'no {want}')
        for s in left:
            bad.append(f'a sample not in show stats -j: {s}')
        print(f'# {n} values of show stats -j, {len(samples)} samples, '
              f'{len(types)} families', file=sys.stderr)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


main()
