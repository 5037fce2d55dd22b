#!/bin/sh
# Make sure Debian's chromium is installed for the browser tests.
# Where apt is unavailable the browser tests skip, and this says why.
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
exec sh "$(dirname "$0")/apt-install.sh" chromium "the browser tests"
