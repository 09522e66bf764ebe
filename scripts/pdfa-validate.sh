#!/usr/bin/env bash
# Validates PDF files against PDF/A-1b with Apache PDFBox Preflight from Debian.
# Needs: apt-get install -y default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java
# Usage: scripts/pdfa-validate.sh file.pdf [more.pdf ...]   (exit 0 only when every file is valid)
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 file.pdf [more.pdf ...]" >&2
  exit 2
fi
jars=(preflight pdfbox2 xmpbox fontbox2 commons-logging javax.activation jaxb-api)
classpath=""
for jar in "${jars[@]}"; do
  path="/usr/share/java/${jar}.jar"
  if [ ! -f "$path" ]; then
    echo "missing $path; install: default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java" >&2
    exit 3
  fi
  classpath="${classpath:+$classpath:}$path"
done
command -v java >/dev/null || { echo "java not found; install default-jre-headless" >&2; exit 3; }
status=0
for file in "$@"; do
  java -cp "$classpath" org.apache.pdfbox.preflight.Validator_A1b "$file" || status=1
done
exit "$status"
