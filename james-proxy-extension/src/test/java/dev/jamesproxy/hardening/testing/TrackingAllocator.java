package dev.jamesproxy.hardening.testing;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Unpooled buffers that are remembered, so that a test can check after the fact that every buffer the
 * code under test allocated was released, and how large any of them grew. Single-threaded use.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(Unpooled.buffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(Unpooled.directBuffer(initialCapacity, maxCapacity));
    }

    private ByteBuf track(ByteBuf buffer) {
        allocated.add(buffer);
        return buffer;
    }

    public List<ByteBuf> allocated() {
        return allocated;
    }

    /** The buffers still referenced: each one is a leak once the channel is done. */
    public List<ByteBuf> unreleased() {
        List<ByteBuf> live = new ArrayList<>();
        for (ByteBuf buffer : allocated) {
            if (buffer.refCnt() != 0) {
                live.add(buffer);
            }
        }
        return live;
    }

    /** The largest capacity of the buffers still referenced (a released buffer reports 0); sample it while they live. */
    public int largestLiveCapacity() {
        int largest = 0;
        for (ByteBuf buffer : allocated) {
            if (buffer.refCnt() != 0) {
                largest = Math.max(largest, buffer.capacity());
            }
        }
        return largest;
    }
}
