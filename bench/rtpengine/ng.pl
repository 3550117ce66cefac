#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# bench/rtpengine/ng.pl: creates calls in rtpengine through its ng control
# protocol (offer, answer over UDP, bencode), for bench/rtp/run.sh (not a
# test), with rtpengine's own client module NGCP::Rtpengine (Debian
# rtpengine-utils, the one rtpengine-ng-client uses; Bencode from
# libbencode-perl).
#
#   ng.pl NG_ADDR NG_PORT STREAMS OUT_PREFIX [CALL_PREFIX]
#   ng.pl NG_ADDR NG_PORT delete CALL_PREFIX COUNT
#
# delete: deletes the calls CALL_PREFIX-0 .. CALL_PREFIX-(COUNT-1) (what an
# earlier run made; their ports go back to the daemon's pool); prints
# "deleted=N".
#
# STREAMS: one line a stream, "PHONE_ADDR:PORT FAR_ADDR:PORT", the two
# ends' RTP addresses as they put them in their SDP (the load generator
# sends from exactly these). For each line an offer from the phone (its
# SDP; direction north -> south: rtpengine's interfaces named "north" and
# "south"), then an answer from the far end; rtpengine's SDPs tell where
# each end sends. Writes rtpblast's lists, in the order of STREAMS:
# OUT_PREFIX.up "PHONE_ADDR:PORT NORTH_ADDR:PORT_A" and OUT_PREFIX.down
# "FAR_ADDR:PORT SOUTH_ADDR:PORT_B". Prints "calls=N seconds=S". Dies
# naming the stream and rtpengine's reason on any error.
use strict;
use warnings;
use NGCP::Rtpengine;
use Time::HiRes qw(time);

@ARGV >= 4 or die "usage: ng.pl NG_ADDR NG_PORT STREAMS OUT_PREFIX [CALL_PREFIX]\n" .
	"       ng.pl NG_ADDR NG_PORT delete CALL_PREFIX COUNT\n";
my ($host, $port, $list, $out, $callp) = @ARGV;
$callp //= 'bench';
my $ng = NGCP::Rtpengine->new($host, $port);

if ($list eq 'delete') {
	my ($prefix, $count) = ($out, $callp);
	$count =~ /^\d+$/ or die "ng.pl: delete: COUNT is not a number: $count\n";
	for my $i (0 .. $count - 1) {
		eval { $ng->req({ command => 'delete', 'call-id' => "$prefix-$i" }); 1 } or
			die "ng.pl: delete $prefix-$i: $@";
	}
	print "deleted=$count\n";
	exit 0;
}

sub sdp {
	my ($addr, $p, $sess) = @_;
	return "v=0\r\no=- $sess 1 IN IP4 $addr\r\ns=bench\r\nc=IN IP4 $addr\r\n" .
		"t=0 0\r\nm=audio $p RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
}

sub media {
	my ($r, $what) = @_;
	my $s = $r->{sdp} // die "$what: no SDP in rtpengine's answer\n";
	my ($c) = $s =~ /^c=IN IP4 (\S+)/m;
	my ($m) = $s =~ /^m=audio (\d+) /m;
	defined $c && defined $m or die "$what: no c= or m= line in rtpengine's SDP\n";
	return "$c:$m";
}

open(my $in, '<', $list) or die "$list: $!\n";
my (@up, @down);
my $t0 = time;
my $i = 0;
while (my $line = <$in>) {
	my ($ph, $far) = split ' ', $line;
	next unless defined $far;
	my ($pa, $pp) = $ph =~ /^(.*):(\d+)$/ or die "$list line " . ($i + 1) . ": not ADDR:PORT: $ph\n";
	my ($fa, $fp) = $far =~ /^(.*):(\d+)$/ or die "$list line " . ($i + 1) . ": not ADDR:PORT: $far\n";
	my $cid = "$callp-$i";
	my %common = ('call-id' => $cid, 'from-tag' => "ft-$cid",
		replace => ['origin', 'session-connection'], ICE => 'remove');
	my $what = "stream " . ($i + 1) . " ($ph $far)";
	my ($south, $north);
	eval {
		$south = media($ng->offer({ %common, sdp => sdp($pa, $pp, $i),
			direction => ['north', 'south'] }), "$what: offer");
		$north = media($ng->answer({ %common, sdp => sdp($fa, $fp, $i),
			'to-tag' => "tt-$cid" }), "$what: answer");
		1;
	} or die "ng.pl: $what: $@";
	push @up, "$ph $north\n";
	push @down, "$far $south\n";
	$i++;
}
for (['up', \@up], ['down', \@down]) {
	open(my $f, '>', "$out.$_->[0]") or die "$out.$_->[0]: $!\n";
	print $f @{$_->[1]};
	close($f) or die "$out.$_->[0]: $!\n";
}
printf "calls=%d seconds=%.2f\n", scalar @up, time - $t0;
