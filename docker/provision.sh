#!/bin/sh
# Run by the compose files' provision service on the official curl image: creates the demo domain and user
# through James's webadmin (HTTP, no authentication, on the compose network only). Retries until James
# answers, since webadmin starts last; both requests are idempotent, so every `up` may run it again.
#   WEBADMIN   webadmin's base URL (http://james:8000)
#   DOMAIN, MAIL_USER, MAIL_PASSWORD   what to create (example.test, bob@example.test, secret)
#   TRIES      attempts, 2 s apart, before giving up (300: 10 minutes)
set -eu
WEBADMIN=${WEBADMIN:-http://james:8000}
DOMAIN=${DOMAIN:-example.test}
MAIL_USER=${MAIL_USER:-bob@example.test}
MAIL_PASSWORD=${MAIL_PASSWORD:-secret}
TRIES=${TRIES:-300}

# PUT $1 with the body $2 (may be empty) until webadmin answers 204; fails after TRIES attempts.
put() {
    attempt=1
    while :; do
        status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X PUT \
            -H 'Content-Type: application/json' --data "$2" "$WEBADMIN$1") || true
        [ "$status" = 204 ] && { echo "provision: PUT $1 -> 204"; return 0; }
        if [ "$attempt" -ge "$TRIES" ]; then
            echo "provision: PUT $WEBADMIN$1 still answers ${status:-nothing} after $TRIES attempts" >&2
            return 1
        fi
        [ $((attempt % 15)) -eq 1 ] && echo "provision: waiting for James's webadmin at $WEBADMIN (HTTP ${status:-000})"
        attempt=$((attempt + 1))
        sleep 2
    done
}

# 204 also when the domain exists already.
put "/domains/$DOMAIN" ""
# ?force: create or update the password, so a second run succeeds too.
put "/users/$MAIL_USER?force" "{\"password\":\"$MAIL_PASSWORD\"}"
echo "provision: $MAIL_USER / $MAIL_PASSWORD ready"
