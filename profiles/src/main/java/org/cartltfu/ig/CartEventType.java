package org.cartltfu.ig;

import java.util.Arrays;
import java.util.Optional;

/** Codes of {@link CarTIg#CS_CART_EVENT_TYPE}: what an AdverseEvent or Condition reports. */
public enum CartEventType implements IgCode {
    CRS("crs"),
    ICANS("icans"),
    NEW_MALIGNANCY("new-malignancy");

    private final String code;

    CartEventType(String code) {
        this.code = code;
    }

    @Override
    public String system() {
        return CarTIg.CS_CART_EVENT_TYPE;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<CartEventType> of(String code) {
        return Arrays.stream(values()).filter(value -> value.code.equals(code)).findFirst();
    }
}
