package org.cartltfu.hub.security;

import static org.cartltfu.hub.security.Permission.CREATE;
import static org.cartltfu.hub.security.Permission.DELETE;
import static org.cartltfu.hub.security.Permission.READ;
import static org.cartltfu.hub.security.Permission.SEARCH;
import static org.cartltfu.hub.security.Permission.UPDATE;
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
        assertEquals(SmartScope.of("Observation", CREATE, UPDATE), scope("system/Observation.cu"));
        assertEquals(SmartScope.of("*", CREATE, READ, UPDATE, DELETE, SEARCH), scope("system/*.cruds"));
        assertEquals(SmartScope.of("Patient", READ, SEARCH), scope("user/Patient.rs"));
        assertEquals(
                SmartScope.of("Patient", READ, SEARCH),
                scope("system/Patient.read"),
                "SMART 1 read is read and search");
        assertEquals(
                SmartScope.of("Patient", CREATE, UPDATE, DELETE),
                scope("system/Patient.write"),
                "SMART 1 write has no read");
        assertEquals(SmartScope.of("*", CREATE, READ, UPDATE, DELETE, SEARCH), scope("system/*.*"));
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
        assertTrue(observations.allows("Observation", READ));
        assertTrue(observations.allows("Observation", SEARCH));
        assertFalse(observations.allows("Observation", CREATE));
        assertFalse(observations.allows("Patient", READ));
        assertFalse(observations.allows("observation", READ), "resource types are case-sensitive");
        assertFalse(observations.allows("*", READ), "a type named * is no wildcard on the asking side");
        SmartScope everything = scope("system/*.cruds");
        for (Permission permission : Permission.values()) {
            assertTrue(everything.allows("AuditEvent", permission), permission.name());
        }
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
        assertTrue(caller.allows("Patient", SEARCH));
        assertTrue(caller.allows("Observation", CREATE));
        assertFalse(caller.allows("Observation", READ));
        assertFalse(new Caller("c", Role.HUB, null, List.of()).allows("Patient", READ), "no scopes, nothing allowed");
    }

    @Test
    void permissionsAreWrittenAsSmartLettersInSmartOrder() {
        assertEquals("cruds", Permission.letters(List.of(SEARCH, DELETE, UPDATE, READ, CREATE)));
        assertEquals("rs", Permission.letters(Permission.VIEW));
        assertEquals("cu", Permission.letters(Permission.WRITE));
        assertEquals("", Permission.letters(List.of()));
        for (Permission permission : Permission.values()) {
            assertEquals(Optional.of(permission), Permission.of(permission.letter()));
        }
        assertEquals(Optional.empty(), Permission.of('x'));
    }
}
