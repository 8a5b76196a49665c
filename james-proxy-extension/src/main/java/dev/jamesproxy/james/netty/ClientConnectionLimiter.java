package dev.jamesproxy.james.netty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;

/**
 * Caps concurrent connections per client address, where the client is the PROXY header's source.
 * James's own {@code connectionLimitPerIP} counts the TCP peer, which behind a proxy is the proxy.
 */
final class ClientConnectionLimiter {
    private final int limit;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** @param limit the most connections per client address; 0 means unlimited */
    ClientConnectionLimiter(int limit) {
        this.limit = limit;
    }

    /**
     * Counts {@code channel} against {@code clientIp} until it closes.
     *
     * @return false, counting nothing, when the client already has {@code limit} connections
     */
    boolean tryAcquire(String clientIp, Channel channel) {
        if (limit <= 0) {
            return true;
        }
        boolean[] acquired = {false};
        counts.compute(clientIp, (ip, current) -> {
            int count = current == null ? 0 : current;
            if (count >= limit) {
                return current;
            }
            acquired[0] = true;
            return count + 1;
        });
        if (acquired[0]) {
            channel.closeFuture().addListener(future -> release(clientIp));
        }
        return acquired[0];
    }

    private void release(String clientIp) {
        counts.computeIfPresent(clientIp, (ip, count) -> count <= 1 ? null : count - 1);
    }
}
