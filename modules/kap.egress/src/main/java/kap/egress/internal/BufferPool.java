package kap.egress.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Large direct buffers for relays that are moving bulk data. An idle tunnel holds only its small buffers; a busy one
 * borrows a large buffer while reads keep filling more than a small buffer, and gives it back once traffic drops. So
 * memory follows the tunnels that are busy, not the tunnels that are open. Direct buffers let the channel read and
 * write without an extra copy through the heap.
 */
final class BufferPool {

    /** Size of a bulk buffer. */
    static final int BULK_SIZE = 256 * 1024;
    /** Bulk buffers kept for reuse; more are allocated under load and left to the collector. */
    static final int MAX_POOLED = 32;

    private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(MAX_POOLED);

    ByteBuffer borrow() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(BULK_SIZE);
    }

    void giveBack(ByteBuffer buffer) {
        if (buffer != null && buffer.isDirect() && buffer.capacity() == BULK_SIZE) {
            free.offer(buffer.clear());
        }
    }

    int pooled() {
        return free.size();
    }
}
