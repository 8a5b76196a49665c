/**
 * {@code <proxiedmanagesieveserver>} in {@code managesieveserver.xml}: James's own ManageSieve listener behind the
 * protocol-agnostic PROXY front door ({@code dev.jamesproxy.james.netty}).
 *
 * <p>What James sees: ManageSieve's session has no address; James 3.8.1 reads the channel's remote address for its
 * MDC ({@code ip}, {@code host}) and its "Connection established from" / "Connection closed for" lines.
 * {@link dev.jamesproxy.james.managesieve.ManageSieveSessionHandler} gives James's handler a view of the channel whose
 * remote address is the client, so all of these show the client, plus {@code proxy.ip}, {@code proxy.source} and
 * {@code proxy.destination}. Still the proxy: James's own {@code connectionLimitPerIP} (its handler sits before the
 * core handler and sees the real channel).
 *
 * <p>Coupling to James 3.8.1 (check these on an upgrade): {@link dev.jamesproxy.james.managesieve.ProxiedManageSieveServer}
 * ({@code ManageSieveServer}'s constructor, {@code doConfigure}, {@code preInit}, {@code createPipelineFactory},
 * {@code createCoreHandler}), {@link dev.jamesproxy.james.managesieve.ManageSieveSessionHandler} (the 3-argument
 * {@code ManageSieveChannelUpstreamHandler} constructor and the four events it overrides) and
 * {@link dev.jamesproxy.james.managesieve.ManageSieveListenerKind} (the processor built as
 * {@code ManageSieveServerFactory} builds it, with its line length of 8000).
 */
package dev.jamesproxy.james.managesieve;
