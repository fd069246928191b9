#!/bin/sh
# The load balancer speaks HTTPS to the task and does not verify the target's certificate, so each
# task makes its own key and self-signed certificate at start, in its writable /tmp volume (the
# root filesystem is read-only). The key never leaves the task.
set -eu
tls_dir=/tmp/tls
mkdir -p "$tls_dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=documents" \
  -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" 2>/dev/null
export TLS_CERT_FILE="$tls_dir/cert.pem" TLS_KEY_FILE="$tls_dir/key.pem"
exec node dist/main.js
