#!/bin/sh
# The load balancer speaks HTTPS to the task and does not verify the target's certificate, so each
# task makes its own key and self-signed certificate at start, in its writable /tmp volume (the
# root filesystem is read-only). The key never leaves the task. The paths come from the image's
# environment (TLS_CERT_FILE, TLS_KEY_FILE), which the container health check sees too.
set -eu
mkdir -p "$(dirname "$TLS_CERT_FILE")" "$(dirname "$TLS_KEY_FILE")"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=documents" \
  -keyout "$TLS_KEY_FILE" -out "$TLS_CERT_FILE" 2>/dev/null
exec node dist/main.js
