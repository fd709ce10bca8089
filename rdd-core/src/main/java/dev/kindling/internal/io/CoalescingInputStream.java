package dev.kindling.internal.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a pipe from a child process in fewer, larger reads. A program that writes its output in
 * small pieces (a python script with {@code PYTHONUNBUFFERED=1} makes one write per line) would
 * otherwise wake the reading thread once per piece: a context switch and a system call per line on
 * both sides, which on a small machine costs as much CPU as the program itself. After a read that
 * returned less than a quarter of what was asked, this stream waits {@link #PAUSE_NANOS} before the
 * next read so the pipe can fill; a writer never blocks for it, because a pipe buffers 64 KiB and
 * the pause ends long before a line-at-a-time writer fills that.
 */
final class CoalescingInputStream extends FilterInputStream {

    /** How long to let the pipe fill after a short read: short enough to add no visible latency. */
    static final long PAUSE_NANOS = 1_000_000L;

    private boolean lastReadShort;

    CoalescingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (lastReadShort) {
            LockSupport.parkNanos(PAUSE_NANOS);
        }
        int n = in.read(b, off, len);
        lastReadShort = n > 0 && n < len / 4;
        return n;
    }
}
