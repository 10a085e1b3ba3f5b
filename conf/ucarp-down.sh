#!/bin/sh
# ucarp --downscript
exec /usr/sbin/fencer demote "$@"
