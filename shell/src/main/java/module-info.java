/**
 * Kindling's command line ({@code bin/kindling}: run, shell, streaming), the JShell session,
 * the console progress bar and the Hadoop Streaming runner.
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

    exports dev.kindling.shell;

    // picocli reads and sets the annotated option fields of the commands reflectively.
    opens dev.kindling.shell to info.picocli;
    opens dev.kindling.shell.streaming to info.picocli;

    provides jdk.jshell.spi.ExecutionControlProvider with dev.kindling.shell.KindlingExecutionControlProvider;
}
