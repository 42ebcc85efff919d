package org.cartltfu.hub.clinical.grading;

/**
 * Vasopressor agents, so the grader can count distinct agents and leave vasopressin out of "multiple
 * vasopressors" as ASTCT requires.
 */
public enum Vasopressor {
    NOREPINEPHRINE("norepinephrine"),
    EPINEPHRINE("epinephrine"),
    PHENYLEPHRINE("phenylephrine"),
    DOPAMINE("dopamine"),
    VASOPRESSIN("vasopressin"),
    /**
     * Any vasopressor not listed above. It is a distinct agent from the listed ones, but several unlisted
     * agents cannot be told apart, so the grader flags it for a clinician.
     */
    OTHER("unlisted vasopressor");

    private final String label;

    Vasopressor(String label) {
        this.label = label;
    }

    /** Lower-case name for grading reasons. */
    public String label() {
        return label;
    }
}
