package org.cartltfu.hub.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.utilities.OIDUtilities;
import org.hl7.fhir.utilities.Utilities;
import org.junit.jupiter.api.Test;

/** Guards the patched copy of HL7's OIDUtilities (see the comment in that file). */
class OidRegistryPatchTest {

    private static final URL UPSTREAM_JAR =
            Utilities.class.getProtectionDomain().getCodeSource().getLocation();

    @Test
    void thePatchedCopyIsTheOneLoaded() {
        assertNotEquals(
                UPSTREAM_JAR,
                OIDUtilities.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void itOffersExactlyTheUpstreamApi() throws Exception {
        try (URLClassLoader upstreamOnly = new URLClassLoader(new URL[] {UPSTREAM_JAR}, null)) {
            Class<?> upstream = upstreamOnly.loadClass(OIDUtilities.class.getName());
            assertEquals(
                    api(upstream),
                    api(OIDUtilities.class),
                    "org.hl7.fhir.utilities.OIDUtilities changed upstream: update or delete the patched copy");
        }
    }

    @Test
    void theRegistryIsReadOnceAndAnswersAsUpstreamDoes() throws Exception {
        OIDUtilities first = new OIDUtilities();
        OIDUtilities second = new OIDUtilities();
        Field map = OIDUtilities.class.getDeclaredField("oidMap");
        map.setAccessible(true);
        assertSame(map.get(first), map.get(second));
        assertTrue(first.isKnownOID("urn:oid:2.16.840.1.113883.6.1"), "LOINC is in the registry");
        assertFalse(first.isKnownOID("urn:oid:1.2.3.4.5.6.7.8.999"));
        assertFalse(first.isKnownOID("2.16.840.1.113883"), "only urn:oid: URLs");
        assertEquals("http://loinc.org", OIDUtilities.getUriForOid("2.16.840.1.113883.6.1"));
    }

    private static Set<String> api(Class<?> type) {
        return Stream.concat(Arrays.stream(type.getDeclaredConstructors()), Arrays.stream(type.getDeclaredMethods()))
                .filter(member -> !Modifier.isPrivate(member.getModifiers()))
                .map(OidRegistryPatchTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String signature(Executable member) {
        return Modifier.toString(member.getModifiers()) + " " + member.getName()
                + Arrays.stream(member.getParameterTypes())
                        .map(Class::getName)
                        .collect(Collectors.joining(",", "(", ")"));
    }
}
