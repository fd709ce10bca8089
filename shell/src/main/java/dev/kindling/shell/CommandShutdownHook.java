package dev.kindling.shell;

import dev.kindling.KindlingConf;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a command finish its own clean-up when the JVM is stopped by SIGINT or SIGTERM. The
 * contexts' shutdown hook cancels the running jobs and closes the contexts; this hook then waits, at
 * most twice {@value KindlingConf#SHUTDOWN_TIMEOUT_MS} plus two seconds, for the command's thread to
 * return, so that what it does when its job fails (a save deleting its half-written output, a
 * try-with-resources closing its context, the error report) happens before the JVM halts.
 *
 * <p>It does not wait when the command's thread is itself the one calling {@code System.exit} (an
 * example exiting with a usage error, or code run from close): that thread never returns, and
 * waiting for it would only delay the exit.
 */
final class CommandShutdownHook implements AutoCloseable {

    private final Thread command;
    private final CountDownLatch returned = new CountDownLatch(1);
    private final Thread hook;

    private CommandShutdownHook(Thread command) {
        this.command = command;
        this.hook = new Thread(this::awaitCommand, "kindling-cli-shutdown");
    }

    /** Installs the hook for a command that runs on the calling thread; close it when the command returns. */
    static CommandShutdownHook forCurrentThread() {
        CommandShutdownHook h = new CommandShutdownHook(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(h.hook);
        return h;
    }

    /** Marks the command as returned; removes the hook unless the JVM is already shutting down. */
    @Override
    public void close() {
        returned.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it sees the count at zero and returns at once.
        }
    }

    private void awaitCommand() {
        if (returned.getCount() == 0 || callsExit(command)) {
            return;
        }
        long timeout = Long.getLong(KindlingConf.SHUTDOWN_TIMEOUT_MS, 10_000);
        try {
            returned.await(2 * timeout + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code thread} is inside {@code Runtime.exit} (and so waits for the hooks itself). */
    static boolean callsExit(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("java.lang.Shutdown")
                    || frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit")) {
                return true;
            }
        }
        return false;
    }
}
