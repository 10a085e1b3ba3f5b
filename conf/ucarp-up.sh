#!/bin/sh
# ucarp --upscript: IFACE VIP are recorded in the journal.
exec /usr/sbin/fencer promote --reason ucarp "$@"
