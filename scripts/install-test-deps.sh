#!/usr/bin/env bash
# Installs what the test suite needs and fails loudly when something cannot be had.
set -euo pipefail
missing=()
for v in 27 28 29 30 31 32 33; do
  [ -x "/usr/lib/google-cloud-sdk/bin/kubectl.1.$v" ] || missing+=("/usr/lib/google-cloud-sdk/bin/kubectl.1.$v")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-deps: the kubectl binaries the compatibility tests run are missing:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "install-test-deps: install the Google Cloud SDK kubectl components (kubectl 1.27..1.33)." >&2
  exit 1
fi
# Debian packages the tests drive (added as features need them).
pkgs=(openssl curl)
need=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-test-deps: installing ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
