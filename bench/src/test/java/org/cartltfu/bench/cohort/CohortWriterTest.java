package org.cartltfu.bench.cohort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file output: deterministic bytes, duplicates of conditional creates removed, references resolved. */
class CohortWriterTest {

    @TempDir
    Path dir;

    @Test
    void resourcesFormatIsABulkLikeExport() throws IOException {
        CohortGenerator g = new CohortGenerator(CohortGenerator.Spec.of(5, 300));
        CohortWriter.Summary s = CohortWriter.write(g, dir.resolve("a"), CohortWriter.Format.RESOURCES);
        assertEquals(300, lines(dir.resolve("a/Patient.ndjson.gz")).size());
        assertEquals(
                Site.all().size(),
                lines(dir.resolve("a/Organization.ndjson.gz")).size());
        assertEquals(
                s.resources(),
                s.byType().values().stream().mapToLong(Long::longValue).sum());
        for (String line : lines(dir.resolve("a/Observation.ndjson.gz"))) {
            assertFalse(line.contains("urn:uuid:"), line);
        }
        // More patients than one generation chunk: order and content must not depend on the chunking or the cores.
        CohortWriter.write(g, dir.resolve("b"), CohortWriter.Format.RESOURCES);
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("a/Observation.ndjson.gz")),
                Files.readAllBytes(dir.resolve("b/Observation.ndjson.gz")));
    }

    private static List<String> lines(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
