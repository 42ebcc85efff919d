package org.cartltfu.ig;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.utilities.npm.NpmPackage;

/** The FHIR package this module built, as the tests read it from the classpath. */
final class BuiltPackage {

    private BuiltPackage() {}

    static NpmPackage open() throws IOException {
        try (InputStream in = BuiltPackage.class.getClassLoader().getResourceAsStream(CarTIg.PACKAGE_CLASSPATH)) {
            assertNotNull(in, "package not on classpath at " + CarTIg.PACKAGE_CLASSPATH);
            return NpmPackage.fromPackage(in);
        }
    }

    /** Each resource file of the package (its manifest and index left out), by file name, in package order. */
    static Map<String, byte[]> resourceFiles(NpmPackage npm) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String file : npm.list("package")) {
            if (file.endsWith(".json") && !file.equals("package.json") && !file.startsWith(".")) {
                try (InputStream in = npm.load("package", file)) {
                    files.put(file, in.readAllBytes());
                }
            }
        }
        return files;
    }
}
