/**
 * The contract of the PROXY protocol listeners: what hook authors compile against and what operators name in James's
 * configuration. Everything below it is internal and may change between releases.
 *
 * <h2>This package (stable)</h2>
 * <ul>
 *   <li>{@code ProxiedServers}: the startable named in {@code extensions.properties}; starts every proxied listener.</li>
 *   <li>{@code ProxiedSmtpServers}: the SMTP-only alias of {@code ProxiedServers}.</li>
 *   <li>{@code ProxyHook}: a synchronous accept/reject hook, aiosmtpd's {@code handle_PROXY}.</li>
 *   <li>{@code AsyncProxyHook}: a hook that may answer later, without holding the event loop.</li>
 *   <li>{@code HookAnswer}: a hook's {@code HookResult} as the listeners of every protocol read it.</li>
 *   <li>{@code ProxyConnection}: one connection as hooks see it: listener, peer, header, client.</li>
 *   <li>{@code ListenerInfo}: the listener a connection arrived on, with its protocol.</li>
 *   <li>{@code ProxyAttachments}: session attachment keys for later James hooks.</li>
 *   <li>{@code ProxyMailAttributes}: the Mail attributes set on received mail, for mailets.</li>
 *   <li>{@code ProxiedListeners} (package-private): the start and stop work behind both startables.</li>
 * </ul>
 *
 * <h2>{@code config}: the {@code <proxyProtocol>} element, no Netty, no protocol</h2>
 * <ul>
 *   <li>{@code ProxyProtocolConfiguration}: the parsed, validated element.</li>
 *   <li>{@code ConfigurationValues}: single values, each error naming the element and the fix.</li>
 *   <li>{@code TrustedNetworks}: a list of CIDRs (trusted proxies, direct peers, hook allow/deny lists).</li>
 *   <li>{@code Cidr}: one network, parsed with the parser's strict address literals.</li>
 * </ul>
 *
 * <h2>{@code netty}: the protocol-agnostic front door, shared by every protocol</h2>
 * <ul>
 *   <li>{@code ListenerKind}: one protocol's element, configuration file and server factory.</li>
 *   <li>{@code ListenerSetup}: the PROXY side of one listener through its life.</li>
 *   <li>{@code ListenerContext}: what a listener's connections share; makes the decoders.</li>
 *   <li>{@code ProxiedPipelineFactory}: a protocol's own pipeline with the decoder first.</li>
 *   <li>{@code HeaderDecoder}: holds a connection until its header, name and hooks admit it.</li>
 *   <li>{@code HeaderTimeout}: the one deadline for the header and the hooks.</li>
 *   <li>{@code ReverseDns}: the client's PTR name through James's DNSService, off the event loop, remembered 30 s.</li>
 *   <li>{@code HookChain}: the hooks in order, synchronous or not; {@code HookLoader} builds them.</li>
 *   <li>{@code ClientConnectionLimiter}: {@code connectionLimitPerClient}.</li>
 *   <li>{@code Rejection}, {@code RejectionLog}: why a connection was closed, and its one log line.</li>
 *   <li>{@code Reply}: a rejecting hook's line, for each protocol to word.</li>
 *   <li>{@code ProtocolBinding}: what the core needs from a protocol (its rejection line, its hand-off, its closing
 *   line and whether a session is in a transaction).</li>
 *   <li>{@code ListenerShutdown}: the graceful stop: unbind, drain within {@code <shutdownGrace>}, close the rest;
 *   {@code ShutdownGate} drops what a told client sends; {@code DrainReport} counts what was done.</li>
 *   <li>{@code AdmittedConnection}: the channel attribute that hands the connection to the protocol.</li>
 *   <li>{@code SessionHandoff}: the client into a James {@code ProtocolSession} (SMTP, LMTP, POP3).</li>
 *   <li>{@code ProxiedMdcContextFactory}, {@code ProxyMdc}: the client in James's MDC.</li>
 *   <li>{@code ProxyMetrics}: the {@code proxyProtocol.*} counters, in total and per protocol.</li>
 * </ul>
 *
 * <h2>One package per protocol: the server subclass, its binding and session handling</h2>
 * <ul>
 *   <li>{@code smtp}: {@code ProxiedSmtpServer}, {@code <proxiedsmtpserver>}; {@code SmtpListenerKind}, its element
 *   and factory; {@code SmtpBinding}, its rejection and closing lines (LMTP's too); {@code SmtpSessionHandler}, the
 *   client into the session (LMTP's too); {@code ProxiedCoreCmdHandlerLoader} and {@code ProxiedHandlers}, James's
 *   core handlers with ours in place; {@code ProxyReceivedDataLineFilter}, the proxy hop in {@code Received:};
 *   {@code ProxyMailAttributesHook}, the connection's facts on each Mail.</li>
 *   <li>{@code lmtp}: {@code ProxiedLmtpServer}, {@code <proxiedlmtpserver>}; {@code LmtpListenerKind};
 *   {@code ProxiedLmtpCoreCmdHandlerLoader} and {@code ProxiedLmtpMailetContainerCmdHandlerLoader}, James's two LMTP
 *   handler lists with ours in place.</li>
 *   <li>{@code pop3}: {@code ProxiedPop3Server}, {@code <proxiedpop3server>}; {@code Pop3ListenerKind};
 *   {@code Pop3Binding}, {@code -ERR} lines; {@code Pop3SessionHandler}, the client into the session.</li>
 *   <li>{@code imap}: {@code ProxiedImapServer}, {@code <proxiedimapserver>}; {@code ImapListenerKind};
 *   {@code ImapBinding}, {@code * BYE} lines and the {@code ProxyInformation} channel attribute.</li>
 *   <li>{@code managesieve}: {@code ProxiedManageSieveServer}, {@code <proxiedmanagesieveserver>};
 *   {@code ManageSieveListenerKind}; {@code ManageSieveBinding}, {@code BYE "..."} lines;
 *   {@code ManageSieveSessionHandler}, with {@code ClientAddressChannel} and {@code ClientAddressContext}, which show
 *   James's handler the client as the connection's remote address.</li>
 * </ul>
 * Version coupling to James 3.8.1's protected API lives only in the protocol packages' server and session handler
 * classes.
 */
package dev.jamesproxy.james;
