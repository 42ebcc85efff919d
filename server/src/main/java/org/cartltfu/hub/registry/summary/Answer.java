package org.cartltfu.hub.registry.summary;

/**
 * A registry yes/no/unknown answer. UNKNOWN is what a period without any follow-up data gets: the hub cannot say
 * "no CRS" for a period nobody reported on.
 */
public enum Answer implements Coded {
    YES("yes"),
    NO("no"),
    UNKNOWN("unknown");

    private final String code;

    Answer(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
