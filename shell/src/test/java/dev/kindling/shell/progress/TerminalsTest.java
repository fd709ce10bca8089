package dev.kindling.shell.progress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which targets of {@code /proc/self/fd/2} are terminals. */
class TerminalsTest {

    @Test
    void pseudoTerminalsTtyDevicesAndTheConsoleAreTerminals() {
        assertTrue(Terminals.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminals.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminals.isTerminalDevice("/dev/console"));
    }

    @Test
    void filesPipesSocketsAndDevNullAreNot() {
        assertFalse(Terminals.isTerminalDevice("/tmp/err.log"));
        assertFalse(Terminals.isTerminalDevice("pipe:[123456]"));
        assertFalse(Terminals.isTerminalDevice("socket:[98765]"));
        assertFalse(Terminals.isTerminalDevice("/dev/null"));
    }
}
