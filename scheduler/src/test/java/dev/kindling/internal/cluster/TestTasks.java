package dev.kindling.internal.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The test payloads of {@link ClassRunningTaskSink}: a task names a class (a {@code UnaryOperator<byte[]>}
 * with a public no-argument constructor) and its input bytes; its status carries the task id, the
 * outcome, the output (or the failure) and the name of the loader that defined the class.
 */
final class TestTasks {

    private TestTasks() {
    }

    /**
     * The class name of a task that fetches a block instead of running a class: its input is
     * {@code host:port:blockId} (UTF-8); its output {@link #describe} of the fetched bytes.
     */
    static final String FETCH = "fetch";

    /** The id of the block each test executor serves, from {@link #blockBytes} of its id. */
    static String executorBlock(String executorId) {
        return "block-of-executor-" + executorId;
    }

    /** 3 MiB and a bit of bytes that only {@code seed} decides: larger than a chunk, not a multiple of one. */
    static byte[] blockBytes(String seed) {
        byte[] b = new byte[(3 << 20) + 123];
        new java.util.Random(seed.hashCode()).nextBytes(b);
        return b;
    }

    /** Length and SHA-256 of {@code bytes}, as text. */
    static String describe(byte[] bytes) {
        try {
            return bytes.length + " " + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A task's status as an executor reports it. */
    record Status(long taskId, String state, byte[] data, String loader) {
        /** The data as text. */
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    static byte[] task(long taskId, String className, byte[] input) {
        return write(out -> {
            out.writeLong(taskId);
            out.writeUTF(className);
            out.writeInt(input.length);
            out.write(input);
        });
    }

    static byte[] status(long taskId, String state, byte[] data, String loader) {
        return write(out -> {
            out.writeLong(taskId);
            out.writeUTF(state);
            out.writeInt(data.length);
            out.write(data);
            out.writeUTF(loader);
        });
    }

    static Status readStatus(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long id = in.readLong();
            String state = in.readUTF();
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            return new Status(id, state, data, in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Returns the input reversed. */
    public static final class Reverse implements UnaryOperator<byte[]> {
        @Override
        public byte[] apply(byte[] in) {
            byte[] out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            return out;
        }
    }

    /** Returns the process id of the JVM it runs in, as text. */
    public static final class ReportPid implements UnaryOperator<byte[]> {
        @Override
        public byte[] apply(byte[] in) {
            return Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Sleeps until its thread is interrupted. */
    public static final class SleepUntilInterrupted implements UnaryOperator<byte[]> {
        @Override
        public byte[] apply(byte[] in) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new byte[0];
        }
    }
}
