#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Secure SCCP, the phones' part (secure_sccp.sh, sections 3 and 4): two
# phones over TLS through pp-tlsd and the module in a call, tshark with
# the key log, another device's certificate, 1,000 handshakes at once
# with a phone still served, the global handshake cap.
SECURE_PART=call
source "$(dirname "$0")/secure_sccp.sh"
