package dev.wick.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over indices produced in chunks, each chunk computed only when the previous one is used
 * up. It reproduces the timing of a Python generator that {@code yield from}s one tensor after another,
 * so random draws happen at the same points as in PyTorch (including a last draw that yields nothing).
 */
abstract class ChunkIterator implements Iterator<Integer> {
    private long[] chunk = new long[0];
    private int pos;
    private boolean done;

    /** The next chunk, or null when there are no more. */
    protected abstract long[] nextChunk();

    @Override
    public final boolean hasNext() {
        while (pos >= chunk.length) {
            if (done) return false;
            long[] c = nextChunk();
            if (c == null) { done = true; return false; }
            chunk = c;
            pos = 0;
        }
        return true;
    }

    @Override
    public final Integer next() {
        if (!hasNext()) throw new NoSuchElementException();
        return (int) chunk[pos++];
    }
}
