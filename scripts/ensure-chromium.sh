#!/bin/sh
# Make sure Debian's chromium is installed for the browser tests.
# Where apt is unavailable the browser tests skip, and this says why.
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
            echo "chromium is missing and installing it needs root; browser tests will be skipped." >&2
            exit 0
        fi
    fi
    echo "Installing Debian's chromium for the browser tests..." >&2
    if $SUDO apt-get update -qq >/dev/null && \
       DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; then
        exit 0
    fi
    echo "apt could not install chromium; browser tests will be skipped." >&2
    exit 0
fi
echo "chromium is missing and apt is unavailable; browser tests will be skipped." >&2
exit 0
