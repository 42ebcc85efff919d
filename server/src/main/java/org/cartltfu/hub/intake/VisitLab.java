package org.cartltfu.hub.intake;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.cartltfu.ig.CarTIg;

/**
 * The labs a follow-up visit report carries, each stored in the unit of our lab profile. The other units hospitals
 * report them in are converted (the factor is to the stored unit); a value in a unit not listed is refused, naming the
 * accepted ones, rather than stored with a unit nobody can compute with.
 */
enum VisitLab {
    CRP("crp", CarTIg.PROFILE_LAB_CRP, "mg/L", units("mg/l", "1", "mg/dL", "10", "mg/dl", "10")),
    FERRITIN(
            "ferritin",
            CarTIg.PROFILE_LAB_FERRITIN,
            "ug/L",
            units("ug/l", "1", "µg/L", "1", "μg/L", "1", "ng/mL", "1", "ng/ml", "1")),
    ANC("anc", CarTIg.PROFILE_LAB_ANC, "10*9/L", cellCounts()),
    PLATELETS("platelets", CarTIg.PROFILE_LAB_PLATELETS, "10*9/L", cellCounts()),
    IGG("igg", CarTIg.PROFILE_LAB_IGG, "g/L", units("g/l", "1", "mg/dL", "0.01", "mg/dl", "0.01"));

    final String column;
    final String profile;
    final String unit;
    private final Map<String, BigDecimal> factors = new LinkedHashMap<>();

    VisitLab(String column, String profile, String unit, Map<String, String> factors) {
        this.column = column;
        this.profile = profile;
        this.unit = unit;
        this.factors.put(unit, BigDecimal.ONE);
        factors.forEach((reported, factor) -> this.factors.put(reported, new BigDecimal(factor)));
    }

    /** @param pairs unit, factor, unit, factor … in the order they are listed to a person */
    private static Map<String, String> units(String... pairs) {
        Map<String, String> units = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            units.put(pairs[i], pairs[i + 1]);
        }
        return units;
    }

    private static Map<String, String> cellCounts() {
        Map<String, String> units = new LinkedHashMap<>();
        for (String same : new String[] {
            "10^9/L",
            "x10^9/L",
            "×10^9/L",
            "x10*9/L",
            "G/L",
            "/nL",
            "10*3/uL",
            "10^3/uL",
            "x10^3/uL",
            "K/uL",
            "10^3/µL",
            "x10^3/µL"
        }) {
            units.put(same, "1");
        }
        for (String perMicrolitre : new String[] {"/uL", "/µL", "cells/uL", "/mm3"}) {
            units.put(perMicrolitre, "0.001");
        }
        return units;
    }

    /** The factor from a reported unit to the stored one; units compare without spaces. */
    Optional<BigDecimal> factor(String reportedUnit) {
        String unit = reportedUnit.replace(" ", "");
        return Optional.ofNullable(factors.get(unit));
    }

    String acceptedUnits() {
        return String.join(", ", factors.keySet());
    }
}
