package org.cartltfu.hub.clinical.grading;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * ASTCT ICANS grade 0–5. When domains are missing or ambiguous the grade is a range and {@link #grade()} is
 * empty, so an uncertain grade is never stored as if it were certain.
 *
 * @param lowestPossibleGrade  lowest grade the findings allow
 * @param highestPossibleGrade highest grade the findings allow
 * @param drivers              the domains that set the grade, with reasons
 * @param flags                what a clinician must check
 * @param notes                findings that were accepted but excluded from ICANS (tremor, myoclonus, haemorrhage)
 */
public record IcansGrade(
        int lowestPossibleGrade,
        int highestPossibleGrade,
        List<DomainGrade<IcansDomain>> drivers,
        Set<IcansFlag> flags,
        List<String> notes) {

    public IcansGrade {
        if (lowestPossibleGrade < 0 || lowestPossibleGrade > highestPossibleGrade || highestPossibleGrade > 5) {
            throw new IllegalArgumentException("grades must satisfy 0 <= lowest <= highest <= 5, got "
                    + lowestPossibleGrade + ".." + highestPossibleGrade);
        }
        drivers = List.copyOf(drivers);
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        notes = List.copyOf(notes);
    }

    /** The grade, or empty when the findings allow more than one. */
    public OptionalInt grade() {
        return isDetermined() ? OptionalInt.of(lowestPossibleGrade) : OptionalInt.empty();
    }

    public boolean isDetermined() {
        return lowestPossibleGrade == highestPossibleGrade;
    }
}
