package org.cartltfu.ig;

/** Codes of {@link CarTIg#CS_CART_TASK}: the work items the hub raises for clinicians. */
public enum CartTask implements IgCode {
    CAR_TRANSGENE_TEST("car-transgene-test"),
    MANUFACTURER_NOTIFICATION("manufacturer-notification"),
    GRADE_REVIEW("grade-review");

    private final String code;

    CartTask(String code) {
        this.code = code;
    }

    @Override
    public String system() {
        return CarTIg.CS_CART_TASK;
    }

    @Override
    public String code() {
        return code;
    }
}
