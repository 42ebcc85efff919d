package org.cartltfu.hub.security;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART system or user scope ({@code system/...} for clients, {@code user/...} for people; the level decides who
 * may be granted it, not what it allows): a resource type (or {@code *}) and the permissions granted on it, in SMART 2 letters
 * (c create, r read, u update, d delete, s search). SMART 1 forms ({@code .read}, {@code .write}, {@code .*}) are
 * accepted and translated.
 */
public record SmartScope(String resourceType, String permissions) {

    private static final Pattern SYNTAX =
            Pattern.compile("(?:system|user)/([A-Za-z]+|\\*)\\.(c?r?u?d?s?|read|write|\\*)");

    public static Optional<SmartScope> parse(String scope) {
        Matcher matcher = SYNTAX.matcher(scope);
        if (!matcher.matches() || matcher.group(2).isEmpty()) {
            return Optional.empty();
        }
        String permissions = switch (matcher.group(2)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> matcher.group(2);
        };
        return Optional.of(new SmartScope(matcher.group(1), permissions));
    }

    public boolean allows(String type, char permission) {
        return ("*".equals(resourceType) || resourceType.equals(type)) && permissions.indexOf(permission) >= 0;
    }

    /** Whether everything this scope grants is also granted by {@code wider}. */
    public boolean within(SmartScope wider) {
        return ("*".equals(wider.resourceType) || wider.resourceType.equals(resourceType))
                && permissions.chars().allMatch(p -> wider.permissions.indexOf(p) >= 0);
    }
}
