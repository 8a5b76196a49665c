package dev.jamesproxy.benchmarks;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.jamesproxy.protocol.ParseResult;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.ProxyHeaderParser;
import dev.jamesproxy.protocol.Tlv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyDecodePath;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/**
 * One PROXY header, from bytes in memory to a parsed header whose addresses, ports and TLV list have
 * been read, per operation. Four ways, on the same {@link HeaderInput}s, in the same run:
 *
 * <ul>
 *   <li>{@link #ours}: {@code ProxyHeaderParser.parse} on a {@code byte[]}, with the default limits
 *       (CRC32C verified). A header in fragments is parsed as our listener does: the growing prefix,
 *       {@code INCOMPLETE} until the last fragment.</li>
 *   <li>{@link #nettyDecode}: Netty's decode path alone, the leanest way to drive it and so the baseline
 *       for the goals: one {@code HAProxyMessageDecoder} reused for every header, put back in the state
 *       of a new one after each (version unknown, not finished), and its {@code decode(ctx, in, out)},
 *       the method {@code ByteToMessageDecoder} calls, on a pooled heap buffer. Fragments are the growing
 *       prefix of the same buffer, like ours: no cumulation copy.</li>
 *   <li>{@link #nettyNewDecoder}: the same with a new decoder per header, as James creates one per
 *       connection; adds the decoder's construction (and its header extractor).</li>
 *   <li>{@link #nettyChannel}: as a Netty application drives it: one reused {@code EmbeddedChannel}
 *       (the channel itself is not counted), a new decoder added to its pipeline per header, one
 *       {@code writeInbound} per fragment (pooled slices of a pooled heap buffer, so the cumulator
 *       copies as it does on a socket), {@code readInbound}; the decoder removes itself as it does in
 *       James. This adds the {@code ByteToMessageDecoder}, pipeline and {@code EmbeddedChannel} costs.</li>
 * </ul>
 *
 * <p>Each side's result is consumed the same way: both addresses, both ports and the TLV list go to
 * the {@link Blackhole}. Netty renders addresses as {@code String}s and TLVs as retained slices (SSL
 * sub-TLVs included in the same list), and checks no CRC32C; ours gives {@code InetAddress}es and
 * {@code Tlv} views (sub-TLVs under their SSL TLV) and verifies the CRC32C. Every {@code HAProxyMessage}
 * is released; {@link #checkNoLeak} checks the input buffers' reference counts.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Leak detection off: Netty's default (SIMPLE) samples 1 message in 128 with a stack trace, which would
// only slow Netty down. A fixed heap keeps GC behaviour the same for every benchmark.
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class ProxyHeaderBenchmark {

    @Param
    public HeaderInput input;

    private byte[] bytes;
    private int[] fragmentEnds;
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    private ByteBuf decoderInput;
    private final HAProxyMessageDecoder reusedDecoder = new HAProxyMessageDecoder();
    private EmbeddedChannel decoderContextChannel;
    private ChannelHandlerContext decoderContext;
    private final List<Object> decoderOut = new ArrayList<>(1);

    private ByteBuf channelInput;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() throws Exception {
        bytes = input.bytes();
        fragmentEnds = input.fragmentEnds();

        decoderInput = pooledCopy(bytes);
        decoderContextChannel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        decoderContext = decoderContextChannel.pipeline().firstContext();

        channelInput = pooledCopy(bytes);
        channel = new EmbeddedChannel();

        checkBothAgree();
    }

    @TearDown
    public void checkNoLeak() {
        if (decoderInput.refCnt() != 1 || channelInput.refCnt() != 1 || channel.pipeline().first() != null) {
            throw new IllegalStateException("Netty reference counts are off, or a decoder stayed in the pipeline");
        }
        decoderInput.release();
        channelInput.release();
        decoderContextChannel.finishAndReleaseAll();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public void ours(Blackhole bh) {
        for (int end : fragmentEnds) {
            bh.consume(parser.parse(bytes, 0, end).isIncomplete());
        }
        consume(parseOurs(), bh);
    }

    @Benchmark
    public void nettyDecode(Blackhole bh) throws Exception {
        HAProxyDecodePath.reset(reusedDecoder);
        consume(decodeNetty(reusedDecoder), bh);
    }

    @Benchmark
    public void nettyNewDecoder(Blackhole bh) throws Exception {
        consume(decodeNetty(new HAProxyMessageDecoder()), bh);
    }

    @Benchmark
    public void nettyChannel(Blackhole bh) {
        consume(readThroughChannel(), bh);
    }

    private ProxyData parseOurs() {
        ParseResult result = parser.parse(bytes, 0, bytes.length);
        return result.proxyData().orElseThrow();
    }

    private HAProxyMessage decodeNetty(HAProxyMessageDecoder decoder) throws Exception {
        for (int end : fragmentEnds) {
            decoderInput.setIndex(0, end);
            HAProxyDecodePath.decode(decoder, decoderContext, decoderInput, decoderOut);
        }
        decoderInput.setIndex(0, bytes.length);
        HAProxyDecodePath.decode(decoder, decoderContext, decoderInput, decoderOut);
        HAProxyMessage message = (HAProxyMessage) decoderOut.get(0);
        decoderOut.clear();
        return message;
    }

    private HAProxyMessage readThroughChannel() {
        channel.pipeline().addLast(new HAProxyMessageDecoder());
        int start = 0;
        for (int end : fragmentEnds) {
            channel.writeInbound(channelInput.retainedSlice(start, end - start));
            start = end;
        }
        channel.writeInbound(channelInput.retainedSlice(start, bytes.length - start));
        return channel.readInbound();
    }

    private static void consume(ProxyData data, Blackhole bh) {
        bh.consume(data.sourceAddress().orElseThrow());
        bh.consume(data.sourcePort().getAsInt());
        bh.consume(data.destinationAddress().orElseThrow());
        bh.consume(data.destinationPort().getAsInt());
        bh.consume(data.tlvs());
    }

    private static void consume(HAProxyMessage message, Blackhole bh) {
        try {
            bh.consume(message.sourceAddress());
            bh.consume(message.sourcePort());
            bh.consume(message.destinationAddress());
            bh.consume(message.destinationPort());
            bh.consume(message.tlvs());
        } finally {
            message.release();
        }
    }

    private static ByteBuf pooledCopy(byte[] bytes) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length);
        buffer.writeBytes(bytes);
        return buffer;
    }

    /** Fails the run unless all three ways read the same header from the input, and stop where they should. */
    private void checkBothAgree() throws Exception {
        for (int end : fragmentEnds) {
            require(parser.parse(bytes, 0, end).isIncomplete(), "ours: a fragment prefix is not INCOMPLETE");
        }
        ProxyData ours = parseOurs();
        require(ours.headerLength() == bytes.length, "ours: wrong header length");
        int ourTlvCount = 0;
        for (Tlv tlv : ours.tlvs()) {
            ourTlvCount += 1 + tlv.subTlvs().size();
        }
        HAProxyDecodePath.reset(reusedDecoder);
        HAProxyMessage[] fromNetty = {decodeNetty(reusedDecoder), decodeNetty(new HAProxyMessageDecoder()), null, null};
        HAProxyDecodePath.reset(reusedDecoder);
        fromNetty[2] = decodeNetty(reusedDecoder); // a reset decoder reads the next header as a new one does
        fromNetty[3] = readThroughChannel();
        for (HAProxyMessage netty : fromNetty) {
            try {
                // Literals only: getByName parses them without a lookup.
                require(InetAddress.getByName(netty.sourceAddress()).equals(ours.sourceAddress().orElseThrow())
                    && InetAddress.getByName(netty.destinationAddress()).equals(ours.destinationAddress().orElseThrow())
                    && netty.sourcePort() == ours.sourcePort().getAsInt()
                    && netty.destinationPort() == ours.destinationPort().getAsInt()
                    // Netty lists SSL sub-TLVs after the SSL TLV, in the same list.
                    && netty.tlvs().size() == ourTlvCount, "Netty and ours disagree on " + input);
            } finally {
                netty.release();
            }
        }
        require(decoderInput.readableBytes() == 0 && decoderOut.isEmpty(), "Netty decoder: header not consumed");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
