package dev.kindling.internal.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the application master's environment survives YARN's launch script, checked against bash itself. */
class ContainerEnvTest {

    @Test
    void anEncodedEnvironment_readsBackAsIs() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "x=1\ny=2\n");
        env.put("B", "dev.kindling.X$Factory \"quoted\" `tick` \\");
        env.put("C", "");
        assertEquals(env, ContainerEnv.decodeEnv(ContainerEnv.encodeEnv(env)));
    }

    @Test
    void aQuotedValue_isTheSameValueAfterBashReadsItInDoubleQuotes() throws Exception {
        String value = "dev.kindling.internal.cluster.SchedulerTaskSink$Factory \"q\" `t` \\ $HOME\nline2";
        assertEquals(value, bashEcho(ContainerEnv.shellQuoted(value)));
    }

    @Test
    void yarnsPwdMarker_isLeftForTheNodeManager() {
        assertEquals("{{PWD}}/kindling-executor", ContainerEnv.shellQuoted("{{PWD}}/kindling-executor"));
    }

    /** Runs {@code export V="quoted"; printf %s "$V"} in bash, as a NodeManager's launch script would set it. */
    private static String bashEcho(String quoted) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "export V=\"" + quoted + "\"; printf %s \"$V\"").start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
