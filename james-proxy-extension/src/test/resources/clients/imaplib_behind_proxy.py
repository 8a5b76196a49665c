"""Python's imaplib behind a PROXY header, as a client behind a proxy looks to James.

Usage: imaplib_behind_proxy.py PORT HEADER_HEX plain|tls USER PASSWORD
Connects to 127.0.0.1:PORT, writes the header bytes first (before TLS with 'tls'), then LOGIN, SELECT INBOX and
LOGOUT with imaplib. Prints one line per step; exits non-zero on any failure.
"""
import imaplib
import socket
import ssl
import sys

port, header, mode, user, password = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]


def connect_with_header(host, port, timeout):
    sock = socket.create_connection((host, port), timeout)
    sock.sendall(header)
    return sock


class ProxiedImap(imaplib.IMAP4):
    def _create_socket(self, timeout):
        return connect_with_header(self.host, self.port, timeout)


class ProxiedImaps(imaplib.IMAP4_SSL):
    def _create_socket(self, timeout):
        return self.ssl_context.wrap_socket(connect_with_header(self.host, self.port, timeout),
                                            server_hostname=self.host)


if mode == "tls":
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = ProxiedImaps("127.0.0.1", port, ssl_context=context, timeout=10)
else:
    imap = ProxiedImap("127.0.0.1", port, timeout=10)
print("greeting", imap.welcome.decode())
print("login", imap.login(user, password)[0])
status, data = imap.select("INBOX")
print("select", status, data[0].decode())
print("logout", imap.logout()[0])
