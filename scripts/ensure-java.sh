#!/bin/sh
# Make sure Java is installed for the Spark tests (pyspark runs Spark in a Java virtual machine).
# Installs Debian's openjdk-17-jre-headless where java is missing and apt exists; otherwise the
# Spark tests skip, and this says why.
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    exit 0
fi
if command -v java >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
            echo "Java is missing and installing it needs root; the Spark tests will be skipped." >&2
            exit 0
        fi
    fi
    echo "Installing Debian's openjdk-17-jre-headless for the Spark tests..." >&2
    if $SUDO apt-get update -qq >/dev/null && \
       DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; then
        exit 0
    fi
    echo "apt could not install openjdk-17-jre-headless; the Spark tests will be skipped." >&2
    exit 0
fi
echo "Java is missing and apt is unavailable; the Spark tests will be skipped." >&2
exit 0
