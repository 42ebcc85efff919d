package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded database's lifecycle on a real PostgreSQL: one owner per folder, and what a crash leaves behind. */
class EmbeddedDatabaseTest {

    private final Path dataDir = Path.of("target/test-data/embedded-" + UUID.randomUUID(), "postgres")
            .toAbsolutePath();
    private final HubProperties.EmbeddedPostgres settings = new HubProperties.EmbeddedPostgres(dataDir, 0, true);

    @Test
    void aSecondStartOnTheSameFolderIsRefusedWhileTheFirstRuns() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(settings)) {
            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(settings));
            assertTrue(
                    refused.getMessage()
                            .contains("is in use by another running hub (process "
                                    + ProcessHandle.current().pid()),
                    refused.getMessage());
            assertEquals("1", query(first, "SELECT 1"), "the first one keeps running");
        }
        // Once the first has stopped, the folder is free again.
        try (EmbeddedDatabase again = EmbeddedDatabase.start(settings)) {
            assertEquals("1", query(again, "SELECT 1"));
        }
    }

    @Test
    void durableUnlessTurnedOffForBenchmarks() throws Exception {
        try (EmbeddedDatabase durable = EmbeddedDatabase.start(settings)) {
            assertEquals(List.of("on", "on", "on"), durability(durable));
        }
        try (EmbeddedDatabase fast = EmbeddedDatabase.start(new HubProperties.EmbeddedPostgres(dataDir, 0, false))) {
            assertEquals(List.of("off", "off", "on"), durability(fast));
        }
    }

    @Test
    void aPostmasterLeftRunningByAHubThatDiedIsStoppedBeforeTheNextStart() throws Exception {
        String postgresBinary;
        try (EmbeddedDatabase first = EmbeddedDatabase.start(settings)) {
            postgresBinary = ProcessHandle.of(postmasterPid())
                    .orElseThrow()
                    .info()
                    .command()
                    .orElseThrow();
            query(first, "CREATE TABLE survivor(note text); INSERT INTO survivor VALUES ('kept'); SELECT 1");
        }
        // What a killed hub leaves: a postmaster on the folder that no hub owns (started here the way zonky does).
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(
                Path.of(postgresBinary).resolveSibling("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-o",
                "-p " + freePort() + " -c listen_addresses=127.0.0.1",
                "-w",
                "start"));
        Process pgCtl = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(pgCtl.waitFor(2, TimeUnit.MINUTES) && pgCtl.exitValue() == 0, "pg_ctl start");
        long orphan = postmasterPid();
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));

        try (EmbeddedDatabase next = EmbeddedDatabase.start(settings)) {
            assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan was stopped");
            assertEquals("kept", query(next, "SELECT note FROM survivor"));
        }
    }

    @Test
    void aPostmasterPidFileNamingAnUnrelatedProcessIsReplaced() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(settings)) {
            query(first, "SELECT 1");
        }
        // After a crash and a restart of the machine or container, the recorded process id can belong to anything.
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(
                    dataDir.resolve("postmaster.pid"),
                    unrelated.pid() + "\n" + dataDir + "\n1600000000\n5432\n"
                            + "/tmp\n127.0.0.1\n  1234567     98304\nready   \n",
                    StandardCharsets.UTF_8);
            try (EmbeddedDatabase next = EmbeddedDatabase.start(settings)) {
                assertEquals("1", query(next, "SELECT 1"));
                assertTrue(unrelated.isAlive(), "the unrelated process is left alone");
                assertTrue(postmasterPid() != unrelated.pid());
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    private long postmasterPid() throws Exception {
        return Long.parseLong(
                Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    private static List<String> durability(EmbeddedDatabase database) throws Exception {
        return List.of(
                query(database, "SHOW fsync"),
                query(database, "SHOW synchronous_commit"),
                query(database, "SHOW full_page_writes"));
    }

    /** Runs the statements; the last one's first value. */
    private static String query(EmbeddedDatabase database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
                Statement statement = connection.createStatement()) {
            String[] statements = sql.split(";");
            for (int i = 0; i < statements.length - 1; i++) {
                statement.execute(statements[i]);
            }
            try (ResultSet result = statement.executeQuery(statements[statements.length - 1])) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
