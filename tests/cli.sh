#!/bin/sh
# cli.sh (stub)
exit 77
