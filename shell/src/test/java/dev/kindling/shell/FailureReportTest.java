package dev.kindling.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kindling.scheduler.JobFailedException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures are reported root cause first, then where they happened, without repeating a cause's text. */
class FailureReportTest {

    @Test
    void aJobFailureShowsTheUsersExceptionFirstAndTheAttemptDetailsAfter() {
        NumberFormatException root = new NumberFormatException("For input string: \"x\"");
        IllegalArgumentException parse = new IllegalArgumentException("Not a number in line 'x 1': " + root.getMessage(), root);
        JobFailedException job = new JobFailedException(3, "Job 3 (count at A.java:9) aborted: stage 2 (map) failed because "
                + "a task kept failing: partition 1 failed 4 time(s) (kindling.task.maxFailures=4); last failure: " + parse, parse);

        assertEquals(List.of("NumberFormatException: For input string: \"x\"",
                "  in: Not a number in line 'x 1'",
                "  in: Job 3 (count at A.java:9) aborted: stage 2 (map) failed because a task kept failing: partition 1 "
                        + "failed 4 time(s) (kindling.task.maxFailures=4)"), FailureReport.lines(job));
    }

    @Test
    void aWrapperThatOnlyRepeatsItsCauseIsLeftOut() {
        FileAlreadyExistsException root = new FileAlreadyExistsException("Output directory /o already exists; delete it");
        IllegalStateException wrapper = new IllegalStateException(root);
        UncheckedIOException outer = new UncheckedIOException(root.getMessage(), root);

        assertEquals(List.of("FileAlreadyExistsException: Output directory /o already exists; delete it"),
                FailureReport.lines(wrapper));
        assertEquals(List.of("FileAlreadyExistsException: Output directory /o already exists; delete it"),
                FailureReport.lines(outer));
    }

    @Test
    void aMessageThatSaysItAllIsShownWithoutItsClassAndAMissingMessageByTheClass() {
        assertEquals(List.of("Cannot read the script /x.jsh"), FailureReport.lines(new IllegalArgumentException("Cannot read the script /x.jsh")));
        assertEquals(List.of("NullPointerException"), FailureReport.lines(new NullPointerException()));
    }
}
