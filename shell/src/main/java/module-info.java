/**
 * Kindling's command line ({@code bin/kindling}: run, shell, streaming, history), the JShell session,
 * the console progress bar, the status web UI and the Hadoop Streaming runner.
 */
module dev.kindling.shell {
    requires dev.kindling.core;
    requires dev.kindling.examples;
    requires info.picocli;
    requires jdk.jshell;
    requires java.management;
    // The command line's log lines go through java.util.logging (slf4j-jdk14), set up by CliLogging.
    requires java.logging;
    // Hadoop's -conf files are XML.
    requires java.xml;
    // The shell keeps its history in java.util.prefs.
    requires java.prefs;
    // The status web UI (dev.kindling.shell.ui): Netty's HTTP server and Jackson for the REST API.
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.transport;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.kindling.shell;
    // A context with kindling.ui.enabled creates dev.kindling.shell.ui.StatusUi reflectively.
    exports dev.kindling.shell.ui to dev.kindling.core;

    // picocli reads and sets the annotated option fields of the commands reflectively.
    opens dev.kindling.shell to info.picocli;
    opens dev.kindling.shell.streaming to info.picocli;

    provides jdk.jshell.spi.ExecutionControlProvider with dev.kindling.shell.KindlingExecutionControlProvider;
}
