package org.asteriskcti.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    private String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenABadValue_whenStarted_thenExitCode2AndTheKeyIsNamed() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "http:\n  port: -1\n");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[] {"--config", f.toString()}, Map.of()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("configuration error").contains("'http.port'");
    }

    @Test
    void givenADatabaseThatDoesNotAnswer_whenStarted_thenExitCode3AndTheDatabaseIsNamed() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[0], Map.of(
                "CTI_STORAGE_URL", "jdbc:postgresql://127.0.0.1:1/nowhere",
                "CTI_DATA_DIR", dir.toString(), "CTI_HTTP_PORT", "0")));
        assertThat(code[0]).isEqualTo(3);
        assertThat(err).contains("cannot start: cannot connect to the database jdbc:postgresql://127.0.0.1:1/nowhere");
    }

    @Test
    void givenTheDefaults_whenChecked_thenExitCode0() {
        assertThat(Main.run(new String[] {"--check-config"}, Map.of())).isZero();
    }

    @Test
    void givenAnUnknownArgument_whenStarted_thenExitCode2() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[] {"--frobnicate"}, Map.of()));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("unknown argument '--frobnicate'");
    }

    @Test
    void givenTheRepositorysDemoFlows_whenChecked_thenExitCode0AndTheyAreCounted() {
        Path demo = java.nio.file.Paths.get("").toAbsolutePath();
        while (demo != null && !Files.isDirectory(demo.resolve("ivr").resolve("demo"))) {
            demo = demo.getParent();
        }
        assertThat(demo).as("the repository's ivr/ folder above %s", java.nio.file.Paths.get("").toAbsolutePath()).isNotNull();
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(new String[] {"--check-config"}, Map.of("CTI_IVR_DIR", demo.resolve("ivr").toString()));
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).containsPattern("; [1-9][0-9]* IVR flows? OK");
    }

    @Test
    void givenABadFlow_whenStarted_thenExitCode2WithItsFileLineAndNode() throws Exception {
        Path flows = dir.resolve("ivr");
        Files.createDirectories(flows.resolve("demo"));
        Files.writeString(flows.resolve("demo").resolve("main.yaml"), """
                entry: menu
                nodes:
                  menu:
                    type: play
                    prompt: sound:hello-world
                    next: nowhere
                """);
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[] {"--check-config"},
                Map.of("CTI_IVR_DIR", flows.toString())));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("IVR flow error").contains("main.yaml:6").contains("node 'menu'").contains("'nowhere'");
    }

    private static Path repositoryIvr() {
        Path demo = java.nio.file.Paths.get("").toAbsolutePath();
        while (demo != null && !Files.isDirectory(demo.resolve("ivr").resolve("demo"))) {
            demo = demo.getParent();
        }
        assertThat(demo).isNotNull();
        return demo.resolve("ivr");
    }

    private static final String FLOW_ROUTE = "[{id: demo, endpoints: ['1001', '1002', '1003', '1004'], dids: ['700'],"
            + " routes: [{did: '700', flow: %s}]}]";

    @Test
    void givenARouteToAFlowThatIsNotThere_whenChecked_thenExitCode2AndTheRouteIsNamed() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[] {"--check-config"},
                Map.of("CTI_IVR_DIR", repositoryIvr().toString(), "CTI_TENANTS", FLOW_ROUTE.formatted("nosuch"))));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("key 'tenants[0].routes[0].flow' names flow 'nosuch' (DID 700), which is not a flow of tenant 'demo'");
    }

    @Test
    void givenARouteToAFlowWithoutIvrDir_whenChecked_thenExitCode2AndTheRouteIsNamed() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[] {"--check-config"},
                Map.of("CTI_TENANTS", FLOW_ROUTE.formatted("main"))));
        assertThat(code[0]).isEqualTo(2);
        assertThat(err).contains("key 'tenants[0].routes[0].flow' names flow 'main' (DID 700) but ivr.dir is not set");
    }

    @Test
    void givenARouteToAnExistingFlow_whenChecked_thenExitCode0() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.run(new String[] {"--check-config"},
                Map.of("CTI_IVR_DIR", repositoryIvr().toString(), "CTI_TENANTS", FLOW_ROUTE.formatted("main"))));
        assertThat(code[0]).as(err).isZero();
    }
}
