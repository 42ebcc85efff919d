package org.cartltfu.hub.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One SMART system or user scope ({@code system/...} for clients, {@code user/...} for people; the level decides who
 * may be granted it, not what it allows): a resource type (or {@code *}) and the permissions granted on it, in SMART 2 letters
 * (c create, r read, u update, d delete, s search). SMART 1 forms ({@code .read}, {@code .write}, {@code .*}) are
 * accepted and translated.
 */
public record SmartScope(String resourceType, Set<Permission> permissions) {

    private static final Pattern SYNTAX =
            Pattern.compile("(?:system|user)/([A-Za-z]+|\\*)\\.(c?r?u?d?s?|read|write|\\*)");

    public SmartScope {
        permissions = Set.copyOf(permissions);
    }

    public static SmartScope of(String resourceType, Permission... permissions) {
        return new SmartScope(resourceType, Set.of(permissions));
    }

    public static Optional<SmartScope> parse(String scope) {
        Matcher matcher = SYNTAX.matcher(scope);
        if (!matcher.matches() || matcher.group(2).isEmpty()) {
            return Optional.empty();
        }
        Set<Permission> permissions = switch (matcher.group(2)) {
            case "read" -> Permission.VIEW;
            case "write" -> EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*" -> EnumSet.allOf(Permission.class);
            default ->
                matcher.group(2)
                        .chars()
                        .mapToObj(letter -> Permission.of((char) letter).orElseThrow())
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
        };
        return Optional.of(new SmartScope(matcher.group(1), permissions));
    }

    public boolean allows(String type, Permission permission) {
        return ("*".equals(resourceType) || resourceType.equals(type)) && permissions.contains(permission);
    }

    /** Whether everything this scope grants is also granted by {@code wider}. */
    public boolean within(SmartScope wider) {
        return ("*".equals(wider.resourceType) || wider.resourceType.equals(resourceType))
                && wider.permissions.containsAll(permissions);
    }
}
