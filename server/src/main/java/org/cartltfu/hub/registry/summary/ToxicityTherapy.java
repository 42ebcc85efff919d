package org.cartltfu.hub.registry.summary;

import java.util.Arrays;
import java.util.Optional;

/** Therapy given for CRS or ICANS: the IG's crs-therapy codes (CIBMTR 4100 "check all that apply"). */
public enum ToxicityTherapy implements Coded {
    TOCILIZUMAB("tocilizumab"),
    CORTICOSTEROID("corticosteroid"),
    SILTUXIMAB("siltuximab"),
    ANAKINRA("anakinra"),
    OTHER("other");

    private final String code;

    ToxicityTherapy(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<ToxicityTherapy> fromCode(String code) {
        return Arrays.stream(values())
                .filter(therapy -> therapy.code.equals(code))
                .findFirst();
    }
}
