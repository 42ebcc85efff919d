package org.cartltfu.hub.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a SMART 2 scope grants on a resource type, one letter each ({@code system/Observation.cu}). */
public enum Permission {
    CREATE('c'),
    READ('r'),
    UPDATE('u'),
    DELETE('d'),
    SEARCH('s');

    /** Reading in any form: one resource or a search. */
    public static final Set<Permission> VIEW = Set.copyOf(EnumSet.of(READ, SEARCH));
    /** Writing a resource: creating or changing it. */
    public static final Set<Permission> WRITE = Set.copyOf(EnumSet.of(CREATE, UPDATE));

    private final char letter;

    Permission(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    public static Optional<Permission> of(char letter) {
        for (Permission permission : values()) {
            if (permission.letter == letter) {
                return Optional.of(permission);
            }
        }
        return Optional.empty();
    }

    /** The permissions in SMART's order and letters ({@code cruds}), as a scope writes them. */
    public static String letters(Collection<Permission> permissions) {
        return Arrays.stream(values())
                .filter(permissions::contains)
                .map(permission -> String.valueOf(permission.letter))
                .collect(Collectors.joining());
    }
}
