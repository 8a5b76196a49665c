package io.netty.handler.codec.haproxy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
    private static final VarHandle VERSION;
    private static final VarHandle FINISHED;

    static {
        try {
            MethodHandles.Lookup lookup =
                MethodHandles.privateLookupIn(HAProxyMessageDecoder.class, MethodHandles.lookup());
            VERSION = lookup.findVarHandle(HAProxyMessageDecoder.class, "version", int.class);
            FINISHED = lookup.findVarHandle(HAProxyMessageDecoder.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HAProxyDecodePath() {
    }

    /** Calls the decoder's {@code decode(ctx, in, out)} exactly as {@code ByteToMessageDecoder} would. */
    public static void decode(HAProxyMessageDecoder decoder, ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
        decoder.decode(ctx, in, out);
    }

    /**
     * Puts a decoder that has decoded a header back in the state of a new one, as far as its next
     * {@code decode} can tell: version unknown (so it detects it again), not finished. Its header
     * extractor, created on the first header, is kept.
     */
    public static void reset(HAProxyMessageDecoder decoder) {
        VERSION.set(decoder, -1);
        FINISHED.set(decoder, false);
    }
}
