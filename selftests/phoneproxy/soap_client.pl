#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# The activation web service driven by SOAP::Lite from its WSDL, as a
# corporate back end would. Prints one line per call: "method: result"
# or "method: FAULT faultstring".
#   soap_client.pl WSDL_URL CALL...
# A CALL is method,arg,arg,... ; "$token" stands for the last login's
# token; "sleep:N" waits N seconds.
use strict;
use warnings;
use SOAP::Lite;

my $wsdl = shift or die "usage: $0 WSDL_URL CALL...\n";
my $svc = SOAP::Lite->service($wsdl);
$svc->on_fault(sub { my ($soap, $res) = @_; die ref $res ? $res->faultstring . "\n" : $soap->transport->status . "\n"; });
my $token = '';
$| = 1;
for my $call (@ARGV) {
	if ($call =~ /^sleep:(\d+)$/) {
		sleep $1;
		next;
	}
	my ($method, @args) = split /,/, $call, -1;
	@args = map { $_ eq '$token' ? $token : $_ } @args;
	my $r = eval { $svc->$method(@args) };
	if ($@) {
		chomp(my $e = $@);
		print "$method: FAULT $e\n";
		next;
	}
	$r = '' unless defined $r;
	$token = $r if $method eq 'login';
	print "$method: ", ($method eq 'login' ? ($r =~ /^[0-9a-f]{32}$/ ? 'TOKEN' : "BAD-TOKEN $r") : $r), "\n";
}
