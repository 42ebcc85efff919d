package org.cartltfu.bench.cohort;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A follow-up contact of the 15-year track (ltfu-timepoint codes) and when the spoke sees the patient: inside the
 * CIBMTR windows for D100 (±15 days), M6 (±30) and Y1 (day 365–425), ±30 days for later years (assumption).
 */
record Timepoint(String code, int year) {

    static final List<Timepoint> SCHEDULE = schedule();

    private static List<Timepoint> schedule() {
        List<Timepoint> list = new ArrayList<>(List.of(new Timepoint("D100", 0), new Timepoint("M6", 0)));
        for (int y = 1; y <= 15; y++) {
            list.add(new Timepoint("Y" + y, y));
        }
        return List.copyOf(list);
    }

    LocalDate contactDate(LocalDate infusion, SplittableRandom rnd) {
        return switch (code) {
            case "D100" -> infusion.plusDays(100 - 10 + rnd.nextInt(21));
            case "M6" -> infusion.plusMonths(6).plusDays(-20 + rnd.nextInt(41));
            case "Y1" -> infusion.plusYears(1).plusDays(rnd.nextInt(46));
            default -> infusion.plusYears(year).plusDays(-30 + rnd.nextInt(61));
        };
    }
}
