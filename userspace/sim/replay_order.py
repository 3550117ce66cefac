#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The phoneproxy authors.
"""Print pp-replay's order file: for every SCCP connection of the captures,
the order in which the two directions' PDUs were sent.

    replay_order.py CAPTURE... > replay-order.txt

A PDU counts as sent in the capture frame that carries its last byte
(first copy). Output, one line per connection named as extract.py names
its streams: "NAME c1 s15 c1 ..." (c: phone to CallManager, s: back; the
number: how many PDUs of that direction in a row). Uses extract.py of
userspace/tests/data/sccp (Python 3 standard library only).
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'data', 'sccp'))
import extract  # noqa: E402


def pdu_ends(stream):
    ends, off = [], 0
    while off + 12 <= len(stream):
        off += 8 + struct.unpack('<I', stream[off:off + 4])[0]
        ends.append(off)
    return ends


def order(path):
    stem = os.path.basename(path).split('.')[0]
    conns, keys, isn = {}, [], {}
    for linktype, frame in extract.read_capture(path):
        ip = extract.ip_payload(linktype, frame)
        if not ip or ip[0] != 6 or len(ip[3]) < 20:
            continue
        tcp = ip[3]
        sport, dport, seq = struct.unpack('!HHI', tcp[:8])
        if dport == extract.SCCP_PORT:
            key, d = (ip[1], sport, ip[2]), 'c'
        elif sport == extract.SCCP_PORT:
            key, d = (ip[2], dport, ip[1]), 's'
        else:
            continue
        if key not in conns:
            conns[key] = []
            keys.append(key)
        if tcp[13] & 0x02:
            isn[key, d] = (seq + 1) & 0xffffffff
        payload = tcp[(tcp[12] >> 4) * 4:]
        if payload:
            conns[key].append((d, seq, len(payload)))
    n = 0
    for key in keys:
        segs = conns[key]
        if not segs:
            continue
        name = '%s.%d' % (stem, n)
        n += 1
        base, ends = {}, {}
        for d in 'cs':
            mine = [s for s in segs if s[0] == d]
            if not mine:
                continue
            first = mine[0][1]
            base[d] = isn.get((key, d), min(
                mine, key=lambda s: (s[1] - first) & 0xffffffff)[1])
            fn = os.path.join(HERE, '..', 'tests', 'data', 'sccp', '%s.%s.bin' % (
                name, 'c2s' if d == 'c' else 's2c'))
            with open(fn, 'rb') as f:
                ends[d] = pdu_ends(f.read())
        high, sent, seq_out = {'c': 0, 's': 0}, {'c': 0, 's': 0}, []
        for d, seq, ln in segs:
            high[d] = max(high[d], ((seq - base[d]) & 0xffffffff) + ln)
            while sent[d] < len(ends[d]) and ends[d][sent[d]] <= high[d]:
                seq_out.append(d)
                sent[d] += 1
        runs = []
        for d in seq_out:
            if runs and runs[-1][0] == d:
                runs[-1][1] += 1
            else:
                runs.append([d, 1])
        print(name, ' '.join('%s%d' % (d, k) for d, k in runs))


def main():
    print('# pp-replay order (userspace/sim/replay_order.py): stream runs...')
    for path in sys.argv[1:]:
        order(path)


if __name__ == '__main__':
    main()
