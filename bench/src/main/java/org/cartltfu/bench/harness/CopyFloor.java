package org.cartltfu.bench.harness;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;
import org.postgresql.PGConnection;

/**
 * The physical floor: the same resource JSON the ingest rows sent, loaded with one PostgreSQL COPY into a scratch
 * table of the server's own database (logged, no index), then dropped. Only the COPY itself is timed; the rows are
 * written to a temporary file first.
 */
final class CopyFloor {

    record Result(long rows, long bytes, double seconds, Long databaseBytes) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private CopyFloor() {}

    static Result measure(String jdbcUrl, String user, String password, CohortGenerator cohort, int patients)
            throws Exception {
        Path file = Files.createTempFile("cart-bench-copy", ".tsv");
        long rows = 0;
        try {
            try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
                for (int i = 0; i < patients; i++) {
                    for (CohortGenerator.Push push : cohort.patient(i).pushes()) {
                        for (var entry : push.bundle().get("entry")) {
                            var resource = entry.get("resource");
                            w.write(resource.get("resourceType").asText());
                            w.write('\t');
                            w.write(escape(Json.MAPPER.writeValueAsString(resource)));
                            w.write('\n');
                            rows++;
                        }
                    }
                }
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS cart_bench_copy_floor");
                s.execute("CREATE TABLE cart_bench_copy_floor (res_type text NOT NULL, res_text text NOT NULL)");
                long t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(file)) {
                    c.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn("COPY cart_bench_copy_floor (res_type, res_text) FROM STDIN", in);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                s.execute("DROP TABLE cart_bench_copy_floor");
                Long size = null;
                try (ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
                    if (rs.next()) {
                        size = rs.getLong(1);
                    }
                }
                return new Result(rows, Files.size(file), seconds, size);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The read floor for an export: one {@code COPY ... TO STDOUT} of the current version of every stored resource
     * (HAPI's resource text, joined to the resource table as an export reads it), streamed and counted, not kept.
     */
    static Result measureOut(String jdbcUrl, String user, String password) throws Exception {
        String query = "COPY (SELECT v.res_text_vc, v.res_text FROM hfj_res_ver v JOIN hfj_resource r"
                + " ON r.res_id = v.res_id AND r.res_ver = v.res_ver"
                + " WHERE r.res_deleted_at IS NULL AND r.res_type <> 'Binary') TO STDOUT";
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            CountingStream out = new CountingStream();
            long t0 = System.nanoTime();
            long rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(query, out);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(rows, out.bytes, seconds, null);
        }
    }

    private static final class CountingStream extends java.io.OutputStream {
        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** COPY text format: backslash, tab and line breaks must be escaped. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
