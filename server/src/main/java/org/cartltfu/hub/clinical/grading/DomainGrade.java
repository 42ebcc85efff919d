package org.cartltfu.hub.clinical.grading;

import java.util.List;
import java.util.Objects;

/**
 * The grade one domain supports, with a reason a clinician can read ("G3: one vasopressor (norepinephrine)").
 * A range (lowestGrade &lt; highestGrade) means the findings leave the domain undecided; the reason says why.
 *
 * @param <D> {@link CrsDomain} or {@link IcansDomain}
 */
public record DomainGrade<D extends Enum<D>>(D domain, int lowestGrade, int highestGrade, String reason) {

    public DomainGrade {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(reason, "reason");
        if (lowestGrade < 0 || lowestGrade > highestGrade || highestGrade > 5) {
            throw new IllegalArgumentException("grades must satisfy 0 <= lowestGrade <= highestGrade <= 5, got "
                    + lowestGrade + ".." + highestGrade);
        }
    }

    static <D extends Enum<D>> DomainGrade<D> of(D domain, int grade, String finding) {
        return new DomainGrade<>(domain, grade, grade, "G" + grade + ": " + finding);
    }

    static <D extends Enum<D>> DomainGrade<D> between(D domain, int lowestGrade, int highestGrade, String finding) {
        return new DomainGrade<>(
                domain, lowestGrade, highestGrade, "G" + lowestGrade + "–G" + highestGrade + ": " + finding);
    }

    /** True when the domain supports exactly one grade. */
    public boolean isDetermined() {
        return lowestGrade == highestGrade;
    }

    /**
     * The domains that explain an overall grade range: for a decided grade, the domains at exactly that grade;
     * for an undecided one, every domain that could still raise it or is itself undecided.
     */
    static <D extends Enum<D>> List<DomainGrade<D>> drivers(List<DomainGrade<D>> domains, int lowest, int highest) {
        if (lowest == highest) {
            return domains.stream()
                    .filter(d -> d.isDetermined() && d.lowestGrade() == lowest)
                    .toList();
        }
        return domains.stream()
                .filter(d -> d.highestGrade() > 0 && (!d.isDetermined() || d.highestGrade() == highest))
                .toList();
    }
}
