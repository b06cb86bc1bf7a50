#!/bin/sh
# The image's healthcheck: GET /health on the server's own port (200 = healthy). Plain HTTP, or HTTPS
# when http.tls is configured (the certificate is not checked: this is the container asking itself).
port=${CTI_HTTP_PORT:-8080}
if [ -n "${CTI_HTTP_TLS_CERT_FILE:-}" ]; then
  exec wget -q -T 4 --no-check-certificate -O /dev/null "https://127.0.0.1:$port/health"
fi
exec wget -q -T 4 -O /dev/null "http://127.0.0.1:$port/health"
