package org.cartltfu.hub.registry.summary;

import java.util.Arrays;
import java.util.Optional;

/**
 * The IG's disease-response codes, ranked for "best response": CR > VGPR > PR > SD > PD. Relapse ranks with
 * progressive disease (the disease is back or growing either way); "not evaluable" ranks below every evaluable
 * response, so it is the best response only when nothing could be evaluated.
 */
public enum DiseaseResponse implements Coded {
    COMPLETE_RESPONSE("complete-response", 5),
    VERY_GOOD_PARTIAL_RESPONSE("very-good-partial-response", 4),
    PARTIAL_RESPONSE("partial-response", 3),
    STABLE_DISEASE("stable-disease", 2),
    PROGRESSIVE_DISEASE("progressive-disease", 1),
    RELAPSE("relapse", 1),
    NOT_EVALUABLE("not-evaluable", 0);

    private final String code;
    private final int rank;

    DiseaseResponse(String code, int rank) {
        this.code = code;
        this.rank = rank;
    }

    @Override
    public String code() {
        return code;
    }

    /** Higher is better. */
    public int rank() {
        return rank;
    }

    public static Optional<DiseaseResponse> fromCode(String code) {
        return Arrays.stream(values())
                .filter(response -> response.code.equals(code))
                .findFirst();
    }
}
