package org.cartltfu.ig;

import java.util.Arrays;
import java.util.Optional;

/** Codes of {@link CarTIg#CS_CART_OBSERVATION}: the guide's observations and their components. */
public enum CartObservation implements IgCode {
    CRS_ASSESSMENT("crs-assessment"),
    CRS_GRADE("crs-grade"),
    FEVER("fever"),
    FEVER_MASKED("fever-masked"),
    HYPOTENSION_SUPPORT("hypotension-support"),
    OXYGEN_SUPPORT("oxygen-support"),
    ICANS_ASSESSMENT("icans-assessment"),
    ICANS_GRADE("icans-grade"),
    ICE_SCORE("ice-score"),
    CAPD_SCORE("capd-score"),
    CONSCIOUSNESS_LEVEL("consciousness-level"),
    SEIZURE("seizure"),
    MOTOR_FINDING("motor-finding"),
    RAISED_ICP("raised-icp"),
    DISEASE_RESPONSE("disease-response"),
    BEST_RESPONSE("best-response"),
    SURVIVAL_STATUS("survival-status"),
    CAUSE_OF_DEATH("cause-of-death"),
    CART_PERSISTENCE("cart-persistence");

    private final String code;

    CartObservation(String code) {
        this.code = code;
    }

    @Override
    public String system() {
        return CarTIg.CS_CART_OBSERVATION;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<CartObservation> of(String code) {
        return Arrays.stream(values()).filter(value -> value.code.equals(code)).findFirst();
    }
}
