/**
 * The PROXY protocol (v1 and v2) model and parser, as specified by HAProxy's
 * {@code doc/proxy-protocol.txt} (revision of HAProxy 2.3.0, plus the SSL sub-TLVs 0x26 to 0x28 added
 * in 2025 and 2026).
 *
 * <p>This package depends on the JDK only: no James, no Netty (a unit test enforces it), so the parser
 * and the {@code decode} tool stand alone. The single entry point is {@link dev.jamesproxy.protocol.ProxyHeaderParser}:
 * it is incremental, never throws on input, and returns a {@link dev.jamesproxy.protocol.ParseResult}.
 */
package dev.jamesproxy.protocol;
