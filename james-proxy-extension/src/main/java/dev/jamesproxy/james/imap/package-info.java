/**
 * {@code <proxiedimapserver>} in {@code imapserver.xml}: James's own IMAP listener behind the protocol-agnostic PROXY
 * front door ({@code dev.jamesproxy.james.netty}).
 *
 * <p>What James sees: its IMAP code reads the client only for the MDC and log lines, from the channel attribute
 * {@code HAProxyMessageHandler.PROXY_INFO}, which {@link dev.jamesproxy.james.imap.ImapBinding} sets before
 * {@code channelActive}: {@code ip} and {@code proxy.source} are the client ({@code /203.0.113.7:40000}, James's own
 * form under PROXY), {@code proxy.ip} the proxy, on every line of the session. Still the proxy: the text of
 * "Connection established from …" / "Connection closed for …" and MDC {@code host} (James reads the channel's
 * remote address there), and James's own {@code connectionLimitPerIP}.
 *
 * <p>Coupling to James 3.8.1 (check these on an upgrade): {@link dev.jamesproxy.james.imap.ProxiedImapServer}
 * ({@code IMAPServer}'s constructor, {@code doConfigure}, {@code preInit}, {@code createPipelineFactory}) and
 * {@link dev.jamesproxy.james.imap.ImapBinding} ({@code HAProxyMessageHandler.PROXY_INFO}, read by
 * {@code IMAPMDCContext}).
 */
package dev.jamesproxy.james.imap;
