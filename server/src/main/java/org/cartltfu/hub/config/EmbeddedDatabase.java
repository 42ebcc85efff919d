package org.cartltfu.hub.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one hub, made to survive crashes of the hub:
 * <ul>
 * <li>durable by default (zonky's defaults, {@code -F} and {@code synchronous_commit=off}, are for throwaway test
 * databases);
 * <li>one hub per data folder: a lock on {@code <data-dir>.lock}, which the operating system releases when the hub's
 * process ends however it ends, so that holding it also proves that no live hub owns the folder;
 * <li>a postmaster left running by a hub that died is stopped (fast shutdown) before ours starts, and a
 * {@code postmaster.pid} whose process id now belongs to another process is removed (PostgreSQL cannot tell and
 * would refuse to start);
 * <li>a watchdog process stops the postmaster as soon as the hub's JVM is gone.
 * </ul>
 */
final class EmbeddedDatabase implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    /** Crash recovery replays the WAL written since the last checkpoint before PostgreSQL accepts connections. */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(5);

    /** A fast shutdown ends the sessions and writes a checkpoint; with fsync on that can take a while. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofMinutes(2);

    /** postmaster.pid records its start time in seconds; the process table's may differ by the fork-to-exec time. */
    private static final long START_TIME_TOLERANCE_SECONDS = 10;

    /**
     * Waits for the end of its standard input, which only this JVM holds open, so that it wakes when the JVM ends in
     * any way; then stops the postmaster this hub started if that one still runs on the folder.
     */
    private static final String WATCHDOG = "cat >/dev/null; read -r pid < \"$1/postmaster.pid\" 2>/dev/null"
            + " && [ \"$pid\" = \"$2\" ] && kill -INT \"$2\"";

    /** The lock files this JVM holds. */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path lockFile;
    private final FileChannel lockChannel;
    private final EmbeddedPostgres postgres;
    private final long postmasterPid;
    private final Process watchdog;

    private EmbeddedDatabase(
            Path lockFile, FileChannel lockChannel, EmbeddedPostgres postgres, long postmasterPid, Process watchdog) {
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.postgres = postgres;
        this.postmasterPid = postmasterPid;
        this.watchdog = watchdog;
    }

    static EmbeddedDatabase start(HubProperties.EmbeddedPostgres settings) throws IOException {
        // Absolute, so that the postmaster's command line names the folder whatever the working directory.
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        FileChannel lockChannel = lock(dataDir);
        try {
            stopLeftoverPostmaster(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    // Stopped by Spring (destroyMethod) after the beans that use it; its own JVM shutdown hook would
                    // stop it at the same time as Spring's, under HAPI's scheduler still running a job (shutdown then
                    // hung).
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100");
            if (settings.durable()) {
                // zonky always passes -F (fsync off); a later -c on the same command line wins.
                builder.setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on");
            }
            if (settings.port() > 0) {
                builder.setPort(settings.port());
            }
            EmbeddedPostgres postgres = builder.start();
            try {
                return started(dataDir, lockChannel, postgres);
            } catch (IOException | RuntimeException e) {
                postgres.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            LOCKED_IN_THIS_JVM.remove(lockFile(dataDir));
            throw e;
        }
    }

    private static EmbeddedDatabase started(Path dataDir, FileChannel lockChannel, EmbeddedPostgres postgres)
            throws IOException {
        long pid = postmasterPid(dataDir);
        Map<String, String> durability = durability(postgres);
        log.info(
                "Embedded PostgreSQL on port {} (process {}) with data in {}; {}",
                postgres.getPort(),
                pid,
                dataDir,
                durability);
        if (durability.values().stream().anyMatch(value -> !"on".equals(value))) {
            log.warn("""

					*****************************************************************************************
					  Embedded PostgreSQL runs WITHOUT DURABILITY ({}).
					  A crash or power cut can lose writes the hub has acknowledged, or corrupt the database.
					  For benchmarks only: never with data anyone relies on (hub.storage.embedded-postgres.durable).
					*****************************************************************************************""", durability);
        }
        return new EmbeddedDatabase(lockFile(dataDir), lockChannel, postgres, pid, watchdog(dataDir, pid));
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Stops PostgreSQL, waits until its postmaster has exited, and only then gives the folder free. */
    @Override
    public void close() throws IOException {
        try {
            postgres.close();
            awaitExit(postmasterPid, "stopped by this hub");
        } finally {
            if (watchdog != null) {
                watchdog.getOutputStream().close();
            }
            lockChannel.close();
            LOCKED_IN_THIS_JVM.remove(lockFile);
        }
    }

    private static Path lockFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    }

    private static FileChannel lock(Path dataDir) throws IOException {
        Path lockFile = lockFile(dataDir);
        // Checked first: on Linux, opening and closing the lock file again in the JVM that holds it would release it.
        if (!LOCKED_IN_THIS_JVM.add(lockFile)) {
            throw inUse(dataDir, lockFile, ProcessHandle.current().pid() + " (this one)");
        }
        try {
            FileChannel channel = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                ByteBuffer owner = ByteBuffer.allocate(32);
                channel.read(owner, 0);
                channel.close();
                throw inUse(dataDir, lockFile, new String(owner.array(), 0, owner.position(), StandardCharsets.UTF_8));
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return channel;
        } catch (IOException | RuntimeException e) {
            LOCKED_IN_THIS_JVM.remove(lockFile);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path dataDir, Path lockFile, String owner) {
        String message = "The embedded database folder " + dataDir + " is in use by another running hub (process "
                + owner + "; lock " + lockFile + "). Two hubs must not share one database folder: stop the other hub, "
                + "or give this one its own folder (HUB_STORAGE_EMBEDDED_POSTGRES_DATA_DIR).";
        log.error(message);
        return new IllegalStateException(message);
    }

    /**
     * Called while holding the folder's lock, so a postmaster found running on it belongs to no live hub. It is the
     * one that wrote postmaster.pid when that process started when the file says (process ids are reused).
     */
    private static void stopLeftoverPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        }
        Optional<Long> pid = number(lines, 0);
        Optional<Long> started = number(lines, 2);
        if (pid.isEmpty() || started.isEmpty()) {
            // No server is starting (we hold the lock): what a crash during PostgreSQL's own start leaves.
            log.warn("Removing {}, left incomplete by a crash during PostgreSQL's start", pidFile);
            Files.delete(pidFile);
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            log.info(
                    "{} names process {}, which has ended (a crash): PostgreSQL replaces the file", pidFile, pid.get());
            return;
        }
        Optional<Instant> processStart = process.get().info().startInstant();
        if (processStart.isEmpty()) {
            log.warn(
                    "{} names running process {} whose start time cannot be read: left to PostgreSQL",
                    pidFile,
                    pid.get());
            return;
        }
        if (Math.abs(processStart.get().getEpochSecond() - started.get()) > START_TIME_TOLERANCE_SECONDS) {
            log.warn(
                    "Removing {}: it names process {}, which started at {}, but the PostgreSQL that wrote it started at "
                            + "{} (left by a crash; the process id has been reused)",
                    pidFile,
                    pid.get(),
                    processStart.get(),
                    Instant.ofEpochSecond(started.get()));
            Files.delete(pidFile);
            return;
        }
        log.warn(
                "Embedded PostgreSQL (process {}) was left running on {} by a hub that ended without stopping it: "
                        + "stopping it (fast shutdown) before starting",
                pid.get(),
                dataDir);
        signalFastShutdown(pid.get());
        awaitExit(pid.get(), "left running by a previous hub");
    }

    private static Optional<Long> number(List<String> lines, int line) {
        if (lines.size() <= line) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lines.get(line).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown (Java itself can only send SIGTERM, the smart one, or SIGKILL). */
    private static void signalFastShutdown(long pid) throws IOException {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL process " + pid, e);
        }
    }

    private static void awaitExit(long pid, String which) throws IOException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return;
        }
        try {
            process.get().onExit().get(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "PostgreSQL process " + pid + " (" + which + ") did not stop within " + SHUTDOWN_WAIT.toMinutes()
                            + " min; stop it with: kill -INT " + pid,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for PostgreSQL process " + pid + " to stop", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return number(Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8), 0)
                .orElseThrow(() -> new IOException("no process id in " + dataDir.resolve("postmaster.pid")));
    }

    private static Map<String, String> durability(EmbeddedPostgres postgres) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
                    result.next();
                    settings.put(setting, result.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the durability settings of the embedded PostgreSQL", e);
        }
        return settings;
    }

    private static Process watchdog(Path dataDir, long postmasterPid) {
        try {
            return new ProcessBuilder(
                            "sh",
                            "-c",
                            WATCHDOG,
                            "embedded-postgres-watchdog",
                            dataDir.toString(),
                            Long.toString(postmasterPid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            log.warn(
                    "No watchdog for the embedded PostgreSQL ({}): if the hub is killed, its next start stops the "
                            + "postmaster left running",
                    e.getMessage());
            return null;
        }
    }
}
