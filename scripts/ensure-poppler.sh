#!/usr/bin/env bash
# Installs Debian's poppler-utils when pdftotext or pdftoppm is missing: the contracts
# service's document tests read the printed contract back with pdftotext, and `make
# screenshots` renders its pages with pdftoppm. As root (or through sudo without a
# password); otherwise it says what to install and fails, and those tests skip — except
# with CI=true, where they fail.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "ensure-poppler: $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=lib/stack.sh
source "$root/scripts/lib/stack.sh"

command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null && exit 0
if ! can_install; then
	log "pdftotext is missing: run 'sudo apt-get install -y poppler-utils'"
	exit 1
fi
log "installing Debian's poppler-utils (pdftotext, pdftoppm)"
apt_install poppler-utils
