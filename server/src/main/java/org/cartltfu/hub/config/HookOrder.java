package org.cartltfu.hub.config;

/**
 * The one place that orders the hub's interceptors: every {@code @Hook} of the hub declares one of these, so the order
 * in which features run on a request or a write is written here, not implied by the order in which Spring happened to
 * create and register the beans. HAPI sorts the hooks of one pointcut by this number (the FHIR endpoint's and the
 * storage layer's together, for storage pointcuts); the README's "The request pipeline" says why each stage is where
 * it is, and {@code HookOrderTest} fails if a hook of the hub leaves its order out.
 *
 * <p>HAPI's own interceptors keep their orders: BALP audit capture and the subscription matcher observe at 0, before
 * all of these; the subscription validator runs at 100 and the HTML response highlighter at 10000, after all of
 * these (so the outbound guard has checked an answer before it is rendered for a browser).
 */
public final class HookOrder {

    // Storage layer: what a write becomes before it is validated, checked and stored.
    /** A spoke's local codes mapped to standard ones, before anything validates or recognises them. */
    public static final int SITE_CODE_MAPPING = 10;
    /** Counting what a running {@code $import} stores. */
    public static final int IMPORT_COUNTING = 12;
    /** Follow-up plan refresh after an infusion or a visit (scheduled for after the commit). */
    public static final int FOLLOW_UP_PLAN = 14;
    /** The malignancy safety net's Tasks, in the same transaction as the finding. */
    public static final int MALIGNANCY_SAFETY_NET = 16;
    /** The intake policy: every write validated. */
    public static final int INTAKE_POLICY = 20;
    /** A spoke's Patient becomes the hub's patient it matches (after validation of what was sent). */
    public static final int PATIENT_MATCHING = 24;
    /** The release rule and de-identification of exported resources; counting written export files. */
    public static final int REGISTRY_EXPORT = 28;

    // FHIR endpoint: requests in, answers out.
    /** Costly bodies and parameters refused before anything parses them. */
    public static final int INPUT_LIMITS = 30;
    /** Bad paging parameters: a 400 naming the parameter. */
    public static final int PAGING_CHECK = 32;
    /** Unknown search modifiers: a 400, never silently ignored. */
    public static final int SEARCH_MODIFIER_CHECK = 34;
    /** A failure because the database or the search cluster was away: a 503 with Retry-After, not a 500. */
    public static final int BACKEND_UNAVAILABLE = 35;
    /** Unparseable input: a 400, not a 500. */
    public static final int UNPARSEABLE_INPUT = 36;
    /** Work after a committed write runs before the answer, and before the hooks that add its findings to it. */
    public static final int AFTER_COMMIT = 38;
    /** A stated grade the assessments contradict is kept and flagged. */
    public static final int GRADE_CONSISTENCY = 40;
    /** Provenance of each write. */
    public static final int PROVENANCE = 42;
    /** A version conflict between concurrent pushes is retried. */
    public static final int CONCURRENT_PUSH_RETRY = 44;
    /** Identical concurrent pushes run one after the other, so that they create once. */
    public static final int IDENTICAL_PUSH_LOCKS = 46;
    /** Export jobs and files belong to the client that started them. */
    public static final int EXPORT_OWNERS = 50;
    /** The CapabilityStatement's security section. */
    public static final int CAPABILITY_SECURITY = 52;
    /**
     * The access policy on every path in and out. Its transaction check comes after site code mapping, the intake
     * policy and patient matching, which made a spoke's Patient entries conditional.
     */
    public static final int ACCESS_GUARD = 54;
    /**
     * Every access audited; a failed request's events replaced by one failure event. After the access guard let an
     * answer go, and before it is rendered: its events are taken (durably) before its bytes leave.
     */
    public static final int AUDIT_TRAIL = 55;
    /** Site ownership of what is written, at commit, after everything that writes in the same transaction. */
    public static final int SITE_WRITE_GUARD = 56;

    private HookOrder() {}
}
