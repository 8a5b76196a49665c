package dev.jamesproxy.james;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.smtp.hook.HookResult;

import dev.jamesproxy.protocol.ProxyData;

/**
 * Decides whether a connection that sent a valid PROXY header may go on to SMTP. This is the
 * equivalent of aiosmtpd's {@code handle_PROXY}.
 *
 * <h2>Declaring hooks</h2>
 * Hooks are listed, in order, inside {@code <proxyProtocol>} of a {@code <proxiedsmtpserver>}:
 * <pre>{@code
 * <hook class="dev.jamesproxy.hooks.ClientNetworks"><deny>192.0.2.0/24</deny></hook>
 * <hook class="com.example.MyPolicy"><anything>...</anything></hook>
 * }</pre>
 * A class may sit in {@code extensions-jars/}. It is instantiated once per {@code <hook>} element
 * through James's {@code GuiceGenericLoader}, so it may have an {@code @Inject} constructor taking any
 * James service ({@code DNSService}, {@code UsersRepository}, {@code MetricFactory}, ...); otherwise it
 * needs a public no-argument constructor. Then {@link #init} receives its own {@code <hook>} element
 * ({@code config.getString("anything")}, {@code config.getString("[@class]")}). A
 * {@link ConfigurationException} thrown there stops James at startup; say in it what to fix.
 *
 * <h2>When hooks run</h2>
 * After the header was read and parsed (and its CRC32C checked), before any byte is sent to the
 * client, before James creates the SMTP session or runs any ConnectHandler. Hooks do not run for
 * peers on the {@code direct} list. Hooks run on the connection's Netty event loop: keep them fast and
 * do not block on slow I/O (a DNS lookup per connection is already too slow for a busy listener).
 *
 * <h2>Answers</h2>
 * Answer in James's {@link HookResult} idiom, evaluated in order:
 * <ul>
 *   <li>{@code HookResult.OK}: accept; later hooks are not asked.</li>
 *   <li>{@code HookResult.DECLINED} (or {@code NONE}): no opinion; ask the next hook.</li>
 *   <li>{@code HookResult.DENY} / {@code HookResult.DENYSOFT}: reject and close. When the result carries
 *   an SMTP code (e.g. {@code HookResult.builder().hookReturnCode(HookReturnCode.deny())
 *   .smtpReturnCode("554").smtpDescription("5.7.1 Not from your network").build()}), that one line is
 *   sent before the close on plain-text listeners; on {@code socketTLS} listeners nothing is sent, since
 *   the client expects a TLS handshake.</li>
 * </ul>
 * If no hook answers OK, the connection is rejected: a listener without hooks rejects everything
 * (and James logs an error at startup). A hook that throws, or returns {@code null}, rejects the
 * connection and the exception is logged with its stack trace.
 *
 * <h2>What a hook sees and may leave behind</h2>
 * {@link ProxyConnection} gives the listener, the real TCP peer (the proxy), the local address and the
 * effective client address. {@link ProxyData} is the header: version, command, addresses, TLVs;
 * typed TLV views are in {@code dev.jamesproxy.protocol.tlv} ({@code SslInfo.from(header)} ...).
 * LOCAL and v1 UNKNOWN headers (health checks) reach hooks too: test {@code header.isLocal()} or
 * {@code header.hasClientAddress()} if they need special treatment. A hook may store values with
 * {@link ProxyConnection#attach} (they become Connection-state attachments of the SMTP session, for
 * later James hooks) and {@link ProxyConnection#setMailAttribute} (set on every mail, for mailets).
 *
 * <h2>Example</h2>
 * <pre>{@code
 * public class RequireUniqueId implements ProxyHook {
 *     public HookResult doProxy(ProxyConnection connection, ProxyData header) {
 *         return header.firstTlv(TlvType.UNIQUE_ID.code()).isPresent() ? HookResult.DECLINED : HookResult.DENY;
 *     }
 * }
 * }</pre>
 */
public interface ProxyHook {

    /**
     * Receives this hook's {@code <hook>} element once, before the listener starts.
     *
     * @throws ConfigurationException to stop James at startup, with a message naming the fix
     */
    default void init(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
    }

    /**
     * Judges one connection. Called on the connection's event loop, once per connection.
     *
     * @param connection the listener, the TCP peer and local address; a place to attach values
     * @param header the parsed PROXY header
     * @return OK to accept, DECLINED to ask the next hook, DENY or DENYSOFT to reject
     */
    HookResult doProxy(ProxyConnection connection, ProxyData header);

    /** Called once when the listener stops. */
    default void destroy() {
    }
}
