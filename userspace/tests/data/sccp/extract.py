#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The phoneproxy authors.
"""Extract the SCCP (TCP port 2000) byte streams of packet captures.

    extract.py [-o OUTDIR] CAPTURE...

For every capture (classic pcap, either byte order, micro- or nanosecond;
or pcapng) and every TCP connection with port 2000 on one side, each
direction is reassembled by sequence number and written to
OUTDIR/<capture-stem>.<conn>.<dir>.bin, where <dir> is "c2s" (the side
that is not port 2000, the phone, towards port 2000, the CallManager) or
"s2c". Alongside, <...>.seg lists the segments as captured, one
"offset length" line each (offsets into the .bin, capture order,
retransmissions included), so a test can replay the original
segmentation. OUTDIR/index.txt names each stream with its endpoints and a
PDU count per message id from a walker independent of the C parser.

Python 3 standard library only.
"""
import argparse
import os
import struct
import sys

SCCP_PORT = 2000


def read_pcap(data):
    """Yield (linktype, frame bytes) from a classic pcap file."""
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        end = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        end = '>'
    else:
        raise ValueError('not a pcap file')
    linktype = struct.unpack(end + 'I', data[20:24])[0] & 0x0fffffff
    off = 24
    while off + 16 <= len(data):
        incl, = struct.unpack(end + 'I', data[off + 8:off + 12])
        off += 16
        if off + incl > len(data):
            raise ValueError('truncated pcap record')
        yield linktype, data[off:off + incl]
        off += incl


def read_pcapng(data):
    """Yield (linktype, frame bytes) from a pcapng file (all sections)."""
    off = 0
    end = '<'
    ifaces = []
    while off + 12 <= len(data):
        btype_raw = data[off:off + 4]
        if btype_raw == b'\x0a\x0d\x0d\x0a':
            bom = data[off + 8:off + 12]
            if bom == b'\x4d\x3c\x2b\x1a':
                end = '<'
            elif bom == b'\x1a\x2b\x3c\x4d':
                end = '>'
            else:
                raise ValueError('bad pcapng byte-order magic')
            ifaces = []
        btype, blen = struct.unpack(end + 'II', data[off:off + 8])
        if blen < 12 or blen % 4 or off + blen > len(data):
            raise ValueError('bad pcapng block at %d' % off)
        body = data[off + 8:off + blen - 4]
        if btype == 0x00000001:          # Interface Description Block
            ifaces.append(struct.unpack(end + 'H', body[0:2])[0])
        elif btype == 0x00000006:        # Enhanced Packet Block
            ifid, _, _, caplen, _ = struct.unpack(end + 'IIIII', body[:20])
            yield ifaces[ifid], body[20:20 + caplen]
        elif btype == 0x00000003:        # Simple Packet Block
            origlen, = struct.unpack(end + 'I', body[:4])
            yield ifaces[0], body[4:4 + origlen]
        elif btype == 0x00000002:        # Packet Block (obsolete)
            ifid, _, _, _, caplen, _ = struct.unpack(end + 'HHIIII', body[:20])
            yield ifaces[ifid], body[20:20 + caplen]
        off += blen


def read_capture(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] == b'\x0a\x0d\x0d\x0a':
        return read_pcapng(data)
    return read_pcap(data)


def ip_payload(linktype, frame):
    """Return (proto, src, dst, l4 bytes) or None."""
    if linktype == 1:                    # Ethernet
        if len(frame) < 14:
            return None
        etype, off = struct.unpack('!H', frame[12:14])[0], 14
        while etype in (0x8100, 0x88a8) and len(frame) >= off + 4:
            etype = struct.unpack('!H', frame[off + 2:off + 4])[0]
            off += 4
        pkt = frame[off:]
    elif linktype == 113:                # Linux cooked
        etype, pkt = struct.unpack('!H', frame[14:16])[0], frame[16:]
    elif linktype in (101, 12, 14):      # raw IP
        etype = 0x0800 if frame[:1] and frame[0] >> 4 == 4 else 0x86dd
        pkt = frame
    elif linktype == 0:                  # BSD loopback
        fam = struct.unpack('<I', frame[:4])[0]
        etype, pkt = (0x0800 if fam == 2 else 0x86dd), frame[4:]
    else:
        return None
    if etype == 0x0800 and len(pkt) >= 20:
        ihl = (pkt[0] & 15) * 4
        total = struct.unpack('!H', pkt[2:4])[0]
        frag = struct.unpack('!H', pkt[6:8])[0]
        if frag & 0x3fff:
            return None                  # IP fragments: not in these captures
        return pkt[9], pkt[12:16], pkt[16:20], pkt[ihl:total]
    if etype == 0x86dd and len(pkt) >= 40:
        plen = struct.unpack('!H', pkt[4:6])[0]
        return pkt[6], pkt[8:24], pkt[24:40], pkt[40:40 + plen]
    return None


def addr_str(a):
    if len(a) == 4:
        return '.'.join(str(b) for b in a)
    return ':'.join('%02x%02x' % (a[i], a[i + 1]) for i in range(0, 16, 2))


class Direction:
    def __init__(self):
        self.isn = None          # sequence number of stream byte 0
        self.segs = []           # (seq, payload) in capture order

    def add(self, seq, flags, payload):
        if flags & 0x02:         # SYN: data starts at seq + 1
            self.isn = (seq + 1) & 0xffffffff
        if payload:
            self.segs.append((seq, payload))

    def reassemble(self):
        """Return (stream bytes, [(offset, length)]) or raise on a hole."""
        if not self.segs:
            return b'', []
        isn = self.isn
        if isn is None:          # no SYN seen: start at the lowest seq
            base = self.segs[0][0]
            isn = min(self.segs, key=lambda s: (s[0] - base) & 0xffffffff)[0]
        rel = [(((seq - isn) & 0xffffffff), p) for seq, p in self.segs]
        size = max(o + len(p) for o, p in rel)
        buf = bytearray(size)
        have = bytearray(size)
        for o, p in rel:
            for i, b in enumerate(p):
                if have[o + i] and buf[o + i] != b:
                    raise ValueError('retransmission differs at %d' % (o + i))
                buf[o + i] = b
                have[o + i] = 1
        if not all(have):
            raise ValueError('hole in stream at %d' % have.index(0))
        return bytes(buf), [(o, len(p)) for o, p in rel]


def walk(stream):
    """Independent PDU walker: {msgid: count}, number of PDUs, tail."""
    counts, n, off = {}, 0, 0
    while off + 12 <= len(stream):
        length, _hv, mid = struct.unpack('<III', stream[off:off + 12])
        if length < 4 or off + 8 + length > len(stream):
            break
        counts[mid] = counts.get(mid, 0) + 1
        n += 1
        off += 8 + length
    return counts, n, len(stream) - off


def extract(path, outdir, index):
    stem = os.path.basename(path).split('.')[0]
    conns = {}                   # (phone addr, phone port, cm addr) -> dirs
    order = []
    for linktype, frame in read_capture(path):
        ip = ip_payload(linktype, frame)
        if not ip or ip[0] != 6 or len(ip[3]) < 20:
            continue
        _, src, dst, tcp = ip
        sport, dport, seq = struct.unpack('!HHI', tcp[:8])
        doff = (tcp[12] >> 4) * 4
        flags = tcp[13]
        if dport == SCCP_PORT:
            key, d = (src, sport, dst), 'c2s'
        elif sport == SCCP_PORT:
            key, d = (dst, dport, src), 's2c'
        else:
            continue
        if key not in conns:
            conns[key] = {'c2s': Direction(), 's2c': Direction()}
            order.append(key)
        conns[key][d].add(seq, flags, tcp[doff:])
    n = 0                        # connections that carried SCCP data
    for key in order:
        streams = {d: conns[key][d].reassemble() for d in ('c2s', 's2c')}
        if not any(s for s, _ in streams.values()):
            continue
        for d in ('c2s', 's2c'):
            stream, segs = streams[d]
            if not stream:
                continue
            name = '%s.%d.%s' % (stem, n, d)
            with open(os.path.join(outdir, name + '.bin'), 'wb') as f:
                f.write(stream)
            with open(os.path.join(outdir, name + '.seg'), 'w') as f:
                for o, ln in segs:
                    f.write('%d %d\n' % (o, ln))
            counts, npdu, tail = walk(stream)
            ids = ' '.join('%04x:%d' % (m, c) for m, c in sorted(counts.items()))
            index.write('%s %s:%d %s:%d bytes=%d segs=%d pdus=%d tail=%d %s\n' % (
                name, addr_str(key[0]), key[1], addr_str(key[2]), SCCP_PORT,
                len(stream), len(segs), npdu, tail, ids))
            print('%s: %d bytes, %d segments, %d PDUs' % (
                name, len(stream), len(segs), npdu))
        n += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-o', '--outdir', default=os.path.dirname(
        os.path.abspath(__file__)))
    ap.add_argument('captures', nargs='+')
    args = ap.parse_args()
    with open(os.path.join(args.outdir, 'index.txt'), 'w') as index:
        index.write('# stream phone cm bytes segs pdus tail msgid:count...\n')
        for path in args.captures:
            extract(path, args.outdir, index)
    return 0


if __name__ == '__main__':
    sys.exit(main())
