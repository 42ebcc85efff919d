package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one reader of SMART scopes: what a token's scope string grants, and what it must not. */
class SmartScopeTest {

    private static SmartScope scope(String text) {
        return SmartScope.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @Test
    void smart2LettersAreKeptAndSmart1FormsTranslated() {
        assertEquals(new SmartScope("Observation", "cu"), scope("system/Observation.cu"));
        assertEquals(new SmartScope("*", "cruds"), scope("system/*.cruds"));
        assertEquals(new SmartScope("Patient", "rs"), scope("user/Patient.rs"));
        assertEquals(new SmartScope("Patient", "rs"), scope("system/Patient.read"), "SMART 1 read is read and search");
        assertEquals(new SmartScope("Patient", "cud"), scope("system/Patient.write"), "SMART 1 write has no read");
        assertEquals(new SmartScope("*", "cruds"), scope("system/*.*"));
    }

    @Test
    void malformedScopesAreNotScopes() {
        for (String text : List.of(
                "system/Observation.", // no permission at all
                "system/Observation",
                "system/.rs",
                "Observation.rs",
                "system/Observation.rc", // letters out of order
                "system/Observation.rr",
                "system/Observation.x",
                "system/Observation.READ",
                "patient/Observation.rs", // patient-level scopes: the hub has no launch context
                "System/Observation.rs",
                "system/Observ-ation.rs",
                "system/Observation.rs?category=laboratory",
                " system/Observation.rs",
                "system/Observation.rs ",
                "system/Observation.rs system/Patient.rs",
                "system/*.rs/",
                "user/*.**",
                "",
                "openid")) {
            assertEquals(Optional.empty(), SmartScope.parse(text), "accepted: '" + text + "'");
        }
    }

    @Test
    void aScopeAllowsOnlyItsTypeAndItsLetters() {
        SmartScope observations = scope("system/Observation.rs");
        assertTrue(observations.allows("Observation", 'r'));
        assertTrue(observations.allows("Observation", 's'));
        assertFalse(observations.allows("Observation", 'c'));
        assertFalse(observations.allows("Patient", 'r'));
        assertFalse(observations.allows("observation", 'r'), "resource types are case-sensitive");
        assertFalse(observations.allows("*", 'r'), "a type named * is no wildcard on the asking side");
        SmartScope everything = scope("system/*.cruds");
        assertTrue(everything.allows("AuditEvent", 'd'));
        assertFalse(everything.allows("AuditEvent", 'x'));
    }

    @Test
    void withinNeedsTheSameOrAWildcardTypeAndEveryLetter() {
        assertTrue(scope("system/Observation.cu").within(scope("system/*.cruds")));
        assertTrue(scope("system/Observation.cu").within(scope("system/Observation.cud")));
        assertTrue(scope("system/Observation.rs").within(scope("system/Observation.read")));
        assertFalse(scope("system/Observation.cud").within(scope("system/Observation.cu")), "d is not granted");
        assertFalse(scope("system/*.rs").within(scope("system/Observation.rs")), "all types are wider than one");
        assertFalse(scope("system/Patient.r").within(scope("system/Observation.cruds")));
        assertFalse(scope("system/*.cruds").within(scope("system/*.rs")));
    }

    @Test
    void aCallerIsAllowedWhatAnyOfItsScopesAllows() {
        Caller caller =
                new Caller("c", Role.SPOKE, "vn", List.of(scope("system/Patient.rs"), scope("system/Observation.c")));
        assertTrue(caller.allows("Patient", 's'));
        assertTrue(caller.allows("Observation", 'c'));
        assertFalse(caller.allows("Observation", 'r'));
        assertFalse(new Caller("c", Role.HUB, null, List.of()).allows("Patient", 'r'), "no scopes, nothing allowed");
    }
}
