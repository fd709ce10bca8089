package dev.kindling.shell;

import dev.kindling.shell.ui.HistoryServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kindling history DIR}: serves the status UI and REST API of the event logs in {@code DIR}
 * (written with {@code kindling.eventLog.enabled=true}), including those of running and crashed
 * applications, until the process is stopped (Ctrl-C).
 */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = KindlingCli.Version.class,
        description = {"Serves the status web UI and REST API of the event logs in <dir> (finished, running "
                + "and crashed applications), with a list of the applications at /. Stop it with Ctrl-C."})
final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "Directory of event logs (kindling.eventLog.dir).")
    Path dir;

    @Option(names = "--host", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); any other than a loopback address "
                    + "needs the access token printed in the URL.")
    String host;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "18080",
            description = "First port to try (default: ${DEFAULT-VALUE}; the next ones when taken; 0: any).")
    int port;

    @Option(names = "--no-token", description = "Serve without an access token even off the loopback address "
            + "(anyone who reaches it sees the applications).")
    boolean noToken;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "<dir> " + dir + " is not a directory; "
                    + "give the kindling.eventLog.dir of the applications to show");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--host " + host + " is not a known host");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (HistoryServer server = HistoryServer.start(dir, address, port, System.getProperty("kindling.ui.token"),
                !noToken)) {
            Thread hook = new Thread(stopped::countDown, "kindling-history-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getOut().println("Kindling history of " + dir.toAbsolutePath() + " at " + server.url());
            spec.commandLine().getOut().flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }
}
