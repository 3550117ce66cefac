#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
#
# Secure SCCP, the phones' part (secure_sccp.sh, sections 3 to 5): two
# secure phones (TFTP from pp-tftpd: CTLSEP<MAC>.tlv, CTLFile.tlv, the
# .sgn; TLS anchored on the CTL) through pp-tlsd and the module in a
# call, tshark with the key log, another device's certificate, 1,000
# handshakes at once with a phone still served, the global handshake cap,
# and the proxy's certificate regenerated without a new CTL: refused.
SECURE_PART=call
source "$(dirname "$0")/secure_sccp.sh"
