#!/usr/bin/env bash
# The demo without Docker, in one command: ./demo/run.sh
#
# Builds the jar, prepares a James working directory (demo/target/james), and starts a real Apache James
# 3.8.1 memory server in this terminal, with:
#   - the jar in extensions-jars/ only (it is not on James's classpath), named in conf/extensions.properties;
#   - conf/smtpserver.xml from this repository with its addresses moved to loopback high ports: the four
#     <proxiedsmtpserver> listeners (2525 v2 + STARTTLS, 2465 implicit TLS, 2587 submission, 2526 for TLS
#     terminated at a proxy) and James's stock <smtpserver> (2025, plain, no PROXY header);
#   - conf/imapserver.xml (1143 STARTTLS, 1993 IMAPS, 1144 TLS ended at a proxy), conf/pop3server.xml (1110 STLS,
#     1995 POP3S), conf/lmtpserver.xml (1024) and conf/managesieveserver.xml (14190, TLS), moved to loopback too;
#   - 127.0.0.1 (you, or a local HAProxy) as the trusted proxy, 127.0.0.2 as a `direct` source;
#   - the demo keystore (conf/tls/keystore), webadmin on 127.0.0.1:8000, a user bob@example.test.
# It prints what to type to try it. Ctrl-C stops James (its shutdown hook closes the listeners).
#
# Environment: DEMO_PORT_OFFSET=N adds N to every port; DEMO_SKIP_BUILD=true reuses the built jar;
# DEMO_WORKDIR=dir changes the working directory (it is recreated); DEMO_DNS_SERVER=ip makes James ask that DNS server
# only (default: this machine's resolvers); JAVA_OPTS is passed to java.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${DEMO_WORKDIR:-$ROOT/demo/target/james}
OFFSET=${DEMO_PORT_OFFSET:-0}
SMTP_PORT=$((2525 + OFFSET))
SMTPS_PORT=$((2465 + OFFSET))
SUBMISSION_PORT=$((2587 + OFFSET))
TERMINATED_PORT=$((2526 + OFFSET))
PLAIN_PORT=$((2025 + OFFSET))
IMAP_PORT=$((1143 + OFFSET))
IMAPS_PORT=$((1993 + OFFSET))
POP3_PORT=$((1110 + OFFSET))
POP3S_PORT=$((1995 + OFFSET))
LMTP_PORT=$((1024 + OFFSET))
SIEVE_PORT=$((14190 + OFFSET))
WEBADMIN_PORT=$((8000 + OFFSET))
PROXY=127.0.0.1
DIRECT=127.0.0.2
DOMAIN=example.test
USER=bob@example.test
PASSWORD=secret

say() { printf '[demo] %s\n' "$*" >&2; }

command -v java >/dev/null || { say "java is not on the PATH (JDK 11 or newer needed)"; exit 1; }
command -v mvn >/dev/null || { say "mvn is not on the PATH (Maven 3.8+ needed)"; exit 1; }

if [[ "${DEMO_SKIP_BUILD:-false}" != true ]]; then
    say "building the jar: mvn -B -q -DskipTests package"
    mvn -B -q -Dstyle.color=never -f "$ROOT/pom.xml" -DskipTests package
fi
JAR=$(ls "$ROOT"/james-proxy-extension/target/james-proxy-extension-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)
[[ -n "$JAR" ]] || { say "no jar in james-proxy-extension/target (run without DEMO_SKIP_BUILD)"; exit 1; }

say "resolving James 3.8.1's memory server classpath (demo/pom.xml)"
mkdir -p "$ROOT/demo/target"
CLASSPATH_FILE="$ROOT/demo/target/james-classpath.txt"
mvn -B -q -Dstyle.color=never -f "$ROOT/demo/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >&2
if tr ':' '\n' < "$CLASSPATH_FILE" | grep -q 'james-proxy-extension'; then
    say "the extension must not be on James's classpath"; exit 1
fi

say "preparing $WORK"
rm -rf "$WORK"
mkdir -p "$WORK/conf" "$WORK/extensions-jars"
# The other files a memory James needs: the integration tests' set (local delivery to INBOX and a copy of every mail,
# with its attributes, in memory://var/mail/received/); the protocols' files follow from conf/.
cp "$ROOT"/james-proxy-extension/src/test/resources/james-conf/*.xml "$WORK/conf/"
cp "$ROOT/conf/extensions.properties" "$WORK/conf/"
cp "$JAR" "$WORK/extensions-jars/"
# James's DNS (and with it the listeners' reverse DNS of clients): this machine's resolvers, as in James's own sample,
# or the one server DEMO_DNS_SERVER names (the tests' loopback server).
if [[ -n "${DEMO_DNS_SERVER:-}" ]]; then
    DNS_SERVERS="<servers><server>$DEMO_DNS_SERVER</server></servers><autodiscover>false</autodiscover>"
else
    DNS_SERVERS="<autodiscover>true</autodiscover>"
fi
printf '<?xml version="1.0"?>\n<dnsservice>%s<authoritative>false</authoritative><maxcachesize>50000</maxcachesize></dnsservice>\n' \
    "$DNS_SERVERS" > "$WORK/conf/dnsservice.xml"
# conf/smtpserver.xml with only its addresses changed.
sed -e "s#<bind>0\.0\.0\.0:2525</bind>#<bind>127.0.0.1:$SMTP_PORT</bind>#" \
    -e "s#<bind>0\.0\.0\.0:2465</bind>#<bind>127.0.0.1:$SMTPS_PORT</bind>#" \
    -e "s#<bind>0\.0\.0\.0:2587</bind>#<bind>127.0.0.1:$SUBMISSION_PORT</bind>#" \
    -e "s#<bind>0\.0\.0\.0:2526</bind>#<bind>127.0.0.1:$TERMINATED_PORT</bind>#" \
    -e "s#<bind>0\.0\.0\.0:25</bind>#<bind>127.0.0.1:$PLAIN_PORT</bind>#" \
    -e "s#<trustedProxies>172\.30\.0\.10</trustedProxies>#<trustedProxies>$PROXY</trustedProxies>#" \
    -e "s#<direct>127\.0\.0\.1, ::1</direct>#<direct>$DIRECT</direct>#" \
    -e "s#<keystore>file://conf/keystore</keystore>#<keystore>file://$ROOT/conf/tls/keystore</keystore>#" \
    "$ROOT/conf/smtpserver.xml" > "$WORK/conf/smtpserver.xml"
# conf/imapserver.xml, pop3server.xml, lmtpserver.xml and managesieveserver.xml the same way: every port + offset.
for file in imapserver pop3server lmtpserver managesieveserver; do
    perl -pe "s#<bind>0\.0\.0\.0:(\d+)</bind>#'<bind>127.0.0.1:'.(\$1 + $OFFSET).'</bind>'#ge;
              s#<trustedProxies>172\.30\.0\.10</trustedProxies>#<trustedProxies>$PROXY</trustedProxies>#;
              s#<direct>127\.0\.0\.1, ::1</direct>#<direct>$DIRECT</direct>#;
              s#<keystore>file://conf/keystore</keystore>#<keystore>file://$ROOT/conf/tls/keystore</keystore>#" \
        "$ROOT/conf/$file.xml" > "$WORK/conf/$file.xml"
done
for file in smtpserver imapserver pop3server lmtpserver managesieveserver; do
    if perl -0pe 's/<!--.*?-->//gs' "$WORK/conf/$file.xml" | grep -q -e '0\.0\.0\.0' -e '172\.30\.0\.10' -e 'file://conf/keystore'; then
        say "conf/$file.xml has an address this script does not know how to move to loopback"; exit 1
    fi
done
cat > "$WORK/conf/webadmin.properties" <<EOF
enabled=true
host=127.0.0.1
port=$WEBADMIN_PORT
EOF
echo "jmx.enabled=false" > "$WORK/conf/jmx.properties"
cat > "$WORK/conf/logback.xml" <<'EOF'
<configuration>
    <!-- ip: the client once a header is accepted; proxy: the TCP peer (our proxy.ip MDC key). -->
    <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
        <encoder>
            <pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} [ip=%X{ip} proxy=%X{proxy.ip}] %msg%n</pattern>
        </encoder>
    </appender>
    <!-- James warns about every optional file the memory server can do without; keep its errors only. -->
    <logger name="org.apache.james" level="ERROR"/>
    <logger name="CONFIGURATION" level="ERROR"/>
    <!-- The demo waits for /healthcheck, which logs an error until James has started. -->
    <logger name="org.apache.james.webadmin.routes.HealthCheckRoutes" level="OFF"/>
    <logger name="org.apache.james.GuiceJamesServer" level="INFO"/>
    <logger name="org.apache.james.smtpserver.SendMailHandler" level="INFO"/>
    <logger name="org.apache.james.protocols.netty.BasicChannelInboundHandler" level="INFO"/>
    <logger name="dev.jamesproxy" level="INFO"/>
    <root level="WARN">
        <appender-ref ref="CONSOLE"/>
    </root>
</configuration>
EOF

JAVA_BIN=java
JAR_NAME=$JAR

# One HTTP request to webadmin with bash alone (no curl needed); prints the status code.
webadmin() {
    local method=$1 path=$2 body=${3:-} status
    exec 3<>"/dev/tcp/127.0.0.1/$WEBADMIN_PORT" || return 1
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
        "$method" "$path" "${#body}" "$body" >&3
    IFS=' ' read -r _ status _ <&3 || status=000
    exec 3<&- 3>&-
    printf '%s' "$status"
}

# After James is up: create the demo user, then print what to try. Runs beside James (detached, so that
# the JVM has no child to reap) and gives up when James (this script's PID, once exec'd) is gone.
JAMES_PID=$$
( (
    for _ in $(seq 1 600); do
        kill -0 "$JAMES_PID" 2>/dev/null || exit 0
        [[ "$(webadmin GET /healthcheck 2>/dev/null)" == 200 ]] && break
        sleep 0.5
    done
    status=$(webadmin PUT "/domains/$DOMAIN")
    [[ "$status" == 204 || "$status" == 409 ]] || { say "could not create domain $DOMAIN (HTTP $status)"; exit 1; }
    status=$(webadmin PUT "/users/$USER" "{\"password\":\"$PASSWORD\"}")
    [[ "$status" == 204 || "$status" == 409 ]] || { say "could not create user $USER (HTTP $status)"; exit 1; }
    cat >&2 <<EOF

================================================================================================
 James 3.8.1 is running with james-proxy-extension (working directory: ${WORK#"$ROOT"/})
   proxied SMTP (PROXY v1/v2, STARTTLS)   127.0.0.1:$SMTP_PORT   trusted proxy: $PROXY, direct: $DIRECT
   proxied SMTPS (header, then TLS)       127.0.0.1:$SMTPS_PORT
   proxied submission (PROXY v1 style)    127.0.0.1:$SUBMISSION_PORT
   proxied, TLS ended at a proxy          127.0.0.1:$TERMINATED_PORT
   James's plain <smtpserver>             127.0.0.1:$PLAIN_PORT
   proxied IMAP (STARTTLS) / IMAPS        127.0.0.1:$IMAP_PORT / 127.0.0.1:$IMAPS_PORT
   proxied POP3 (STLS) / POP3S            127.0.0.1:$POP3_PORT / 127.0.0.1:$POP3S_PORT
   proxied LMTP                           127.0.0.1:$LMTP_PORT
   proxied ManageSieve (TLS)              127.0.0.1:$SIEVE_PORT
   webadmin                               http://127.0.0.1:$WEBADMIN_PORT     user: $USER / $PASSWORD

 Try it in another terminal:

   # a PROXY v2 header claiming client 203.0.113.7, then EHLO and QUIT; James greets 203.0.113.7
   $JAVA_BIN -jar $JAR_NAME probe --host 127.0.0.1 --port $SMTP_PORT --v2 --src 203.0.113.7:40000 --dst 127.0.0.1:25 --crc32c

   # a mail through the proxied listener, swaks writing the PROXY header (v1; --proxy-version 2 works too)
   swaks --server 127.0.0.1:$SMTP_PORT --to $USER --proxy-family TCP4 --proxy-source 203.0.113.7 --proxy-source-port 40000 --proxy-dest 127.0.0.1 --proxy-dest-port 25

   # no header from a source that is neither trusted nor direct: closed without a greeting
   swaks --server 127.0.0.1:$SMTP_PORT --local-interface 127.0.0.3 --to $USER

   # plain SMTP on the proxied port from the direct source, and on James's stock listener
   swaks --server 127.0.0.1:$SMTP_PORT --local-interface $DIRECT --to $USER
   swaks --server 127.0.0.1:$PLAIN_PORT --to $USER

   # IMAP and POP3 with curl writing a PROXY v1 header (the client is then 127.0.0.1 itself): after STARTTLS/STLS
   curl --haproxy-protocol --ssl-reqd -k -u $USER:$PASSWORD 'imap://127.0.0.1:$IMAP_PORT/INBOX?ALL'
   curl --haproxy-protocol --ssl-reqd -k -u $USER:$PASSWORD pop3://127.0.0.1:$POP3_PORT/
   # IMAPS, POP3S: the header first, then TLS (curl sends its header before the handshake)
   curl --haproxy-protocol -k -u $USER:$PASSWORD 'imaps://127.0.0.1:$IMAPS_PORT/INBOX?ALL'
   curl --haproxy-protocol -k -u $USER:$PASSWORD pop3s://127.0.0.1:$POP3S_PORT/
   # LMTP with a v2 header claiming 203.0.113.7 (probe speaks LHLO's cousin EHLO: LMTP answers 500, the header counts)
   $JAVA_BIN -jar $JAR_NAME probe --host 127.0.0.1 --port $LMTP_PORT --v2 --src 203.0.113.7:40000 --dst 127.0.0.1:24
   # ManageSieve over TLS after a v1 header: James's capabilities, then OK
   (printf 'PROXY TCP4 203.0.113.7 127.0.0.1 40000 4190\r\n'; sleep 1) | openssl s_client -quiet -connect 127.0.0.1:$SIEVE_PORT

 James logs "Successfully spooled mail ... on 203.0.113.7/203.0.113.7 ..." for the proxied mail. The copies kept with
 their Mail attributes (dev.jamesproxy.client.address, ...) and Received: header:
   curl 'http://127.0.0.1:$WEBADMIN_PORT/mailRepositories/var%2Fmail%2Freceived/mails'
   curl -H 'Accept: application/json' 'http://127.0.0.1:$WEBADMIN_PORT/mailRepositories/var%2Fmail%2Freceived/mails/<key>?additionalFields=attributes'
   curl 'http://127.0.0.1:$WEBADMIN_PORT/mailRepositories/var%2Fmail%2Freceived/mails/<key>'     (the message, with Received:)

 Ctrl-C stops James.
================================================================================================
EOF
    echo "[demo] ready" >&2
) & )

say "starting James: $JAVA_BIN -cp <James 3.8.1 memory server> org.apache.james.MemoryJamesServerMain (working directory $WORK)"
cd "$WORK"
# exec: Ctrl-C (SIGINT) goes to the JVM itself, whose shutdown hook stops James and its listeners.
# shellcheck disable=SC2086
exec "$JAVA_BIN" ${JAVA_OPTS:-} -Dworking.directory="$WORK" -Dlogback.configurationFile="$WORK/conf/logback.xml" \
    -cp "$(cat "$CLASSPATH_FILE")" org.apache.james.MemoryJamesServerMain
