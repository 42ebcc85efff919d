package org.cartltfu.hub.registry.gate;

/**
 * Whether one patient's data may go to one recipient, and why: the reason is written into the extract's AuditEvent.
 *
 * @param released true when the patient is in the extract
 * @param reason the rule that decided, in words a privacy officer can check
 */
public record ReleaseDecision(boolean released, String reason) {

    static ReleaseDecision release(String reason) {
        return new ReleaseDecision(true, reason);
    }

    static ReleaseDecision withhold(String reason) {
        return new ReleaseDecision(false, reason);
    }
}
