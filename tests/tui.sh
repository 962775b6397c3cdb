#!/bin/sh
# tui.sh (stub)
exit 77
