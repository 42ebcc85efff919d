package org.cartltfu.hub.security.authserver;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.SmartScope;
import org.springframework.util.StringUtils;

/** Which of the requested SMART scopes a client or user gets: the one rule for every grant. */
final class ScopeGrants {

    private ScopeGrants() {}

    /**
     * The requested system scopes that lie within the registered ones, in the order asked.
     *
     * @throws IllegalArgumentException no scope asked for, one that is no SMART system scope, or none grantable
     */
    static Set<String> systemScopes(Collection<String> registered, String requested) {
        return grant("system/", registered, requested);
    }

    /** The widest user scopes a person of each role may hold; the access policy then narrows by site. */
    static Set<String> userAllowance(Role role) {
        return role == Role.REGISTRY ? Set.of("user/*.rs") : Set.of("user/*.cruds");
    }

    private static Set<String> grant(String level, Collection<String> allowed, String requested) {
        if (!StringUtils.hasText(requested)) {
            throw new IllegalArgumentException("scope is missing");
        }
        Set<SmartScope> within = allowed.stream()
                .map(SmartScope::parse)
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        Set<String> granted = new LinkedHashSet<>();
        for (String scope : Arrays.stream(requested.trim().split("\\s+")).toList()) {
            SmartScope parsed =
                    scope.startsWith(level) ? SmartScope.parse(scope).orElse(null) : null;
            if (parsed == null) {
                throw new IllegalArgumentException("not a SMART " + level + " scope: " + scope);
            }
            if (within.stream().anyMatch(parsed::within)) {
                granted.add(scope);
            }
        }
        if (granted.isEmpty()) {
            throw new IllegalArgumentException("none of the requested " + level + " scopes may be granted");
        }
        return granted;
    }

    /** Whether a scope lies within one of the allowed ones of the same level (system/ or user/). */
    static boolean within(Collection<String> allowed, String scope) {
        Optional<SmartScope> parsed = SmartScope.parse(scope);
        String level = scope.substring(0, scope.indexOf('/') + 1);
        return parsed.isPresent()
                && allowed.stream()
                        .filter(wider -> wider.startsWith(level))
                        .map(SmartScope::parse)
                        .flatMap(Optional::stream)
                        .anyMatch(parsed.get()::within);
    }
}
