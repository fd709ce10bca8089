package dev.kindling.shell;

import dev.kindling.shell.streaming.StreamingJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code kindling streaming [generic options] [streaming options]}: runs a Hadoop Streaming job
 * with Hadoop's own single-dash options ({@code -input}, {@code -output}, {@code -mapper},
 * {@code -reducer}, {@code -D key=value}, ...), so existing job scripts work by replacing
 * {@code hadoop jar hadoop-streaming.jar} with {@code kindling streaming}. Exits with Hadoop's
 * client status codes. See {@code kindling streaming -help}.
 */
@Command(name = "streaming",
        description = "Runs a Hadoop Streaming job (Hadoop's options: -input, -output, -mapper, -reducer, -D k=v, ...; "
                + "see 'kindling streaming -help').")
public final class StreamingCommand implements Callable<Integer> {

    /** All arguments, in order: Hadoop's options are not picocli options, so they are passed through raw. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return StreamingJob.run(args.toArray(new String[0]), System.err);
    }
}
