package org.cartltfu.hub.security.authserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.cartltfu.hub.security.Role;
import org.junit.jupiter.api.Test;

/** The one rule for which requested scopes a client or person gets. */
class ScopeGrantsTest {

    private static final Set<String> SPOKE = Set.of("system/*.cruds");
    private static final Set<String> LAB_WRITER = Set.of("system/Observation.cu", "system/Patient.rs");

    @Test
    void whatLiesWithinTheRegisteredScopesIsGrantedInTheOrderAsked() {
        assertEquals(
                List.of("system/Observation.cu", "system/Patient.r"),
                List.copyOf(ScopeGrants.systemScopes(LAB_WRITER, "system/Observation.cu  system/Patient.r")));
        assertEquals(
                List.of("system/Patient.rs", "system/Observation.c"),
                List.copyOf(ScopeGrants.systemScopes(SPOKE, " system/Patient.rs system/Observation.c ")));
        assertEquals(
                Set.of("system/Patient.read"),
                ScopeGrants.systemScopes(LAB_WRITER, "system/Patient.read"),
                "SMART 1 form, within rs, granted as asked");
    }

    @Test
    void whatLiesOutsideIsLeftOutAndNothingGrantableIsRefused() {
        assertEquals(
                Set.of("system/Observation.c"),
                ScopeGrants.systemScopes(LAB_WRITER, "system/Observation.c system/Observation.d system/*.rs"));
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class,
                () -> ScopeGrants.systemScopes(LAB_WRITER, "system/Observation.d system/AuditEvent.rs"));
        assertEquals("none of the requested system/ scopes may be granted", none.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ScopeGrants.systemScopes(Set.of(), "system/Patient.r"),
                "a client registered without scopes gets none");
    }

    @Test
    void aMissingOrMalformedScopeRefusesTheWholeRequest() {
        assertEquals(
                "scope is missing",
                assertThrows(IllegalArgumentException.class, () -> ScopeGrants.systemScopes(SPOKE, null))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScopeGrants.systemScopes(SPOKE, "   "));
        for (String bad : List.of("user/Patient.rs", "patient/*.rs", "openid", "system/Patient.rc", "system/*")) {
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class,
                    () -> ScopeGrants.systemScopes(SPOKE, "system/Patient.rs " + bad),
                    bad);
            assertEquals("not a SMART system/ scope: " + bad, refused.getMessage());
        }
    }

    @Test
    void registeredScopesThatAreNoScopesGrantNothing() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ScopeGrants.systemScopes(Set.of("system/*", "openid"), "system/Patient.r"));
    }

    @Test
    void withinComparesOnlyScopesOfTheSameLevel() {
        assertTrue(ScopeGrants.within(Set.of("user/*.cruds"), "user/Observation.rs"));
        assertFalse(
                ScopeGrants.within(Set.of("system/*.cruds"), "user/Observation.rs"), "a system scope is no user scope");
        assertFalse(ScopeGrants.within(Set.of("user/*.cruds"), "system/Observation.rs"));
        assertFalse(ScopeGrants.within(Set.of("user/*.rs"), "user/Observation.c"));
        assertFalse(ScopeGrants.within(Set.of("user/*.cruds"), "user/Observation"), "malformed");
        assertFalse(ScopeGrants.within(Set.of("user/*.cruds"), "openid"), "no level at all");
        assertFalse(ScopeGrants.within(Set.of(), "user/Observation.r"));
    }

    @Test
    void aRegistryPersonMayOnlyReadAndSearch() {
        assertTrue(ScopeGrants.within(ScopeGrants.userAllowance(Role.REGISTRY), "user/Observation.rs"));
        assertFalse(ScopeGrants.within(ScopeGrants.userAllowance(Role.REGISTRY), "user/Observation.c"));
        for (Role role : List.of(Role.HUB, Role.SPOKE)) {
            assertTrue(ScopeGrants.within(ScopeGrants.userAllowance(role), "user/*.cruds"), role.name());
        }
    }
}
