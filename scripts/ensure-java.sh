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
exec sh "$(dirname "$0")/apt-install.sh" openjdk-17-jre-headless "the Spark tests"
