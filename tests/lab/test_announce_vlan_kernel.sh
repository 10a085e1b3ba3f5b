#!/usr/bin/env bash
# test_announce_vlan.sh with VLAN-filtering Linux bridges as the switches
# instead of vlansw.c; skipped where the kernel's bridges do not filter by
# VLAN.
LAB_VLAN_SWITCH=kernel exec bash "$(dirname "$0")/test_announce_vlan.sh"
