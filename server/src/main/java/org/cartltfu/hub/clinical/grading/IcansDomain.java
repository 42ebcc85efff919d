package org.cartltfu.hub.clinical.grading;

/** The ICANS domains; the grade is the most severe one (death aside). */
public enum IcansDomain {
    /** ICE score (over 12) or CAPD (12 or under, or developmental delay). */
    ENCEPHALOPATHY,
    CONSCIOUSNESS,
    SEIZURE,
    MOTOR,
    INTRACRANIAL_PRESSURE,
    DEATH
}
