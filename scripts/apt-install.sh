#!/bin/sh
# Install one Debian package for the tests that need it: sh scripts/apt-install.sh PACKAGE WHAT
# (WHAT names those tests, e.g. "the browser tests"). Where apt or root is missing, or apt
# fails, it says why and exits 0: the tests then skip with their own reason.
PACKAGE="$1"
WHAT="$2"
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
            echo "$PACKAGE is missing and installing it needs root; $WHAT will be skipped." >&2
            exit 0
        fi
    fi
    echo "Installing Debian's $PACKAGE for $WHAT..." >&2
    if $SUDO apt-get update -qq >/dev/null && \
       DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$PACKAGE" >/dev/null; then
        exit 0
    fi
    echo "apt could not install $PACKAGE; $WHAT will be skipped." >&2
    exit 0
fi
echo "$PACKAGE is missing and apt is unavailable; $WHAT will be skipped." >&2
exit 0
