package org.cartltfu.hub.clinical.schedule;

/** Where a planned visit stands on a given date. */
public enum VisitStatus {
    /** Follow-up data arrived on a date inside the window. */
    DONE,
    /** The window is open and no data has arrived yet. */
    DUE,
    /** The window has closed without data: alert the spoke. */
    OVERDUE,
    /** The window has not opened yet. */
    UPCOMING
}
