package org.cartltfu.hub.clinical.grading;

/** A coded ICANS finding that carries its own grade, so the grader treats the four coded domains alike. */
interface IcansFinding {

    /** The ICANS grade this finding gives on its own when not attributable to another cause. */
    int grade();
}
