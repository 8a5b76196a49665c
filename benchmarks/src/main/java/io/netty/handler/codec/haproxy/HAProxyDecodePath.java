package io.netty.handler.codec.haproxy;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Benchmark-only access to {@link HAProxyMessageDecoder#decode}, which is {@code protected final}: this
 * class sits in Netty's package (in the benchmarks jar only) so that the decoder's own decode path
 * (version detection, framing, {@code HAProxyMessage.decodeHeader}) can be driven without the
 * {@code ByteToMessageDecoder} and pipeline machinery around it.
 */
public final class HAProxyDecodePath {
    private HAProxyDecodePath() {
    }

    /** Calls the decoder's {@code decode(ctx, in, out)} exactly as {@code ByteToMessageDecoder} would. */
    public static void decode(HAProxyMessageDecoder decoder, ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
        decoder.decode(ctx, in, out);
    }
}
