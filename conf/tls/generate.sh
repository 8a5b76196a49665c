#!/usr/bin/env bash
# Regenerates the DEMO certificates in this folder (for the docker-compose demo and the tests only;
# never use them in production). Needs openssl.
#   ca.crt                    a throw-away CA (its key is deleted at the end)
#   server.crt/.key           CN=localhost, SANs localhost, james, haproxy, 127.0.0.1
#   haproxy.pem               server.crt + server.key for HAProxy's 'ssl crt'
#   keystore                  PKCS12 for James (<keystore>), password james72laBalle, alias james
#   client.crt/.key           CN=alice, a client certificate for the SSL-TLV demo
set -euo pipefail
cd "$(dirname "$0")"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=james-proxy-extension demo CA"
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
printf "subjectAltName=DNS:localhost,DNS:james,DNS:haproxy,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 -extfile server.ext
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=alice"
printf "extendedKeyUsage=clientAuth\n" > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 3650 -extfile client.ext
cat server.crt server.key > haproxy.pem
openssl pkcs12 -export -in server.crt -inkey server.key -certfile ca.crt -name james -out keystore -passout pass:james72laBalle
rm -f ca.key ca.srl server.csr client.csr server.ext client.ext
