package org.cartltfu.hub.clinical.grading;

/** How supplemental oxygen was delivered; the CRS hypoxia axis depends on the device and, for cannulas, the flow. */
public enum OxygenDevice {
    ROOM_AIR("room air"),
    LOW_FLOW_NASAL_CANNULA("low-flow nasal cannula"),
    BLOW_BY("blow-by oxygen"),
    HIGH_FLOW_NASAL_CANNULA("high-flow nasal cannula"),
    FACEMASK("facemask"),
    NON_REBREATHER("non-rebreather mask"),
    VENTURI_MASK("Venturi mask"),
    CPAP("CPAP"),
    BIPAP("BiPAP"),
    MECHANICAL_VENTILATION("mechanical ventilation"),
    /** Device not recorded or not in ASTCT's list: the grader flags it instead of guessing. */
    UNKNOWN_OR_OTHER("unknown or unlisted device");

    private final String label;

    OxygenDevice(String label) {
        this.label = label;
    }

    /** Name for grading reasons. */
    public String label() {
        return label;
    }
}
