#!/usr/bin/env bash
# The sandbox's web playground in headless Chromium (Selenium): act as members, run /play from
# the composer, press the now-playing buttons, check ephemeral visibility, kill a worker.
# Screenshots of each step are left in .build/playground/.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
BIN=.build/debug/anankor
if [ ! -x "$BIN" ]; then
    echo "FAIL playground: $BIN is missing (run swift build first)"
    exit 1
fi
# The emoji font only makes the screenshots show the bots' emoji instead of empty boxes.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
    || ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
    echo "==> apt-get update; apt-get install -y chromium chromium-driver fonts-noto-color-emoji"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        chromium chromium-driver fonts-noto-color-emoji >/dev/null
fi
"$PYTHON" -c 'import selenium' 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check 'selenium>=4.20,<5'

# The script bounds every wait itself; this outer limit only guards against a hung browser.
if timeout 420 "$PYTHON" scripts/checks/playground.py "$BIN"; then
    exit 0
fi
echo "FAIL playground (the sandbox's log is .build/playground/sandbox.log; screenshots beside it)"
tail -50 .build/playground/sandbox.log 2>/dev/null || true
exit 1
