package dev.jamesproxy.james.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The deadline for a trusted proxy's header, on the channel's own event loop, so that it never runs
 * concurrently with the decoder. One per connection.
 */
final class HeaderTimeout {
    private ScheduledFuture<?> deadline;

    /** Runs {@code onExpiry} on the event loop after {@code timeout}, unless cancelled first. */
    void start(ChannelHandlerContext ctx, Duration timeout, Runnable onExpiry) {
        cancel();
        deadline = ctx.executor().schedule(onExpiry, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Idempotent. */
    void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
