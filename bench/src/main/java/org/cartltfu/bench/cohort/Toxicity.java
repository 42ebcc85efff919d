package org.cartltfu.bench.cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One patient's early toxicity: at most one CRS and one ICANS episode, each a daily grade curve that rises by one
 * grade a day to its peak and falls back, drawn from the product's pivotal-trial incidence (see {@link Product}).
 * Within grade ≥3, grade 3 : 4 : 5 is about 80 : 18 : 2 for CRS and 75 : 23 : 2 for ICANS; within grade 1–2,
 * 55 : 45 for CRS and 50 : 50 for ICANS (assumptions consistent with the same papers' grade tables [V]).
 */
final class Toxicity {

    final int monitoredDays;
    final int crsPeak;
    final int crsOnset;
    final int crsEnd;
    final int tocilizumabDay;
    final int icansPeak;
    final int icansOnset;
    final int icansEnd;
    final int deathDay;
    private final boolean anakinra;

    Toxicity(SplittableRandom rnd, Product product, int monitoredDays) {
        this.monitoredDays = monitoredDays;
        crsPeak = grade(rnd, product.crsAny(), product.crsGrade3Plus(), 0.55, new double[] {0.80, 0.18});
        int onset = Math.max(1, Math.min(monitoredDays - 2, product.crsOnsetMedianDay() - 1 + rnd.nextInt(4)));
        crsOnset = crsPeak > 0 ? onset : -1;
        crsEnd = crsPeak > 0 ? crsOnset + Math.max(2 * Math.min(crsPeak, 4) - 1, 3 + rnd.nextInt(7)) : -1;
        tocilizumabDay = crsPeak >= 2 ? crsOnset + 1 : -1;

        icansPeak = grade(rnd, product.icansAny(), product.icansGrade3Plus(), 0.5, new double[] {0.75, 0.23});
        int iOnset = crsPeak > 0 ? crsOnset + 1 + rnd.nextInt(4) : 3 + rnd.nextInt(6);
        icansOnset = icansPeak > 0 ? Math.min(monitoredDays - 1, iOnset) : -1;
        icansEnd = icansPeak > 0 ? icansOnset + Math.max(2 * Math.min(icansPeak, 4) - 1, 2 + rnd.nextInt(7)) : -1;

        int crsDeath = crsPeak == 5 ? Math.min(monitoredDays, crsOnset + 3) : Integer.MAX_VALUE;
        int icansDeath = icansPeak == 5 ? Math.min(monitoredDays, icansOnset + 3) : Integer.MAX_VALUE;
        int death = Math.min(crsDeath, icansDeath);
        deathDay = death == Integer.MAX_VALUE ? -1 : death;
        anakinra = rnd.nextDouble() < 0.3;
    }

    private static int grade(SplittableRandom rnd, double any, double severe, double grade1Share, double[] severeMix) {
        if (rnd.nextDouble() >= any) {
            return 0;
        }
        double x = rnd.nextDouble();
        if (rnd.nextDouble() < severe / any) {
            return x < severeMix[0] ? 3 : x < severeMix[0] + severeMix[1] ? 4 : 5;
        }
        return x < grade1Share ? 1 : 2;
    }

    int lastAssessedDay() {
        return deathDay >= 0 ? deathDay : monitoredDays;
    }

    int crsGrade(int day) {
        return curve(day, crsPeak, crsOnset, crsEnd);
    }

    int icansGrade(int day) {
        return curve(day, icansPeak, icansOnset, icansEnd);
    }

    private int curve(int day, int peak, int onset, int end) {
        if (peak == 0 || day < onset || day >= end) {
            return 0;
        }
        if (peak == 5 && day >= deathDay) {
            return 5;
        }
        return Math.min(Math.min(peak, 4), Math.min(1 + day - onset, end - day));
    }

    /** After tocilizumab or steroids fever no longer defines CRS: the assessment records it as masked. */
    boolean feverMasked(int day) {
        return tocilizumabDay >= 0 && day > tocilizumabDay;
    }

    List<String> crsTherapies() {
        List<String> t = new ArrayList<>();
        if (crsPeak >= 2) {
            t.add("tocilizumab");
        }
        if (crsPeak >= 3) {
            t.add("corticosteroid");
        }
        if (crsPeak >= 4 && anakinra) {
            t.add("anakinra");
        }
        return t;
    }

    List<String> icansTherapies() {
        List<String> t = new ArrayList<>();
        if (icansPeak >= 2) {
            t.add("corticosteroid");
        }
        if (icansPeak >= 4 && anakinra) {
            t.add("anakinra");
        }
        return t;
    }

    /** Pressor and oxygen support that give exactly this ASTCT CRS grade (grade = max of the two axes). */
    static String[] crsAxes(int grade, SplittableRandom rnd) {
        double x = rnd.nextDouble();
        return switch (grade) {
            case 2 ->
                x < 0.4
                        ? new String[] {"fluids", "none"}
                        : x < 0.7 ? new String[] {"none", "low-flow"} : new String[] {"fluids", "low-flow"};
            case 3 ->
                x < 0.5
                        ? new String[] {"one-pressor", x < 0.25 ? "none" : "low-flow"}
                        : new String[] {x < 0.75 ? "none" : "fluids", "high-flow-or-mask"};
            case 4 ->
                x < 0.5
                        ? new String[] {"multiple-pressors", x < 0.25 ? "low-flow" : "high-flow-or-mask"}
                        : new String[] {x < 0.75 ? "one-pressor" : "fluids", "positive-pressure"};
            default -> new String[] {"none", "none"};
        };
    }

    /** ICE items (orientation 0–4, naming 0–3, command, writing, attention 0–1) whose total fits the ICANS grade. */
    static int[] iceItems(int grade, SplittableRandom rnd) {
        int total = switch (grade) {
            case 0 -> 10;
            case 1 -> 7 + rnd.nextInt(3);
            case 2 -> 3 + rnd.nextInt(4);
            case 3 -> rnd.nextInt(3);
            default -> 0;
        };
        int[] items = {4, 3, 1, 1, 1};
        // Writing and attention go first, then orientation, naming and the simple command.
        int[] order = {3, 4, 0, 0, 1, 0, 1, 2};
        int deficit = 10 - total;
        while (deficit > 0) {
            int i = order[rnd.nextInt(order.length)];
            if (items[i] > 0) {
                items[i]--;
                deficit--;
            }
        }
        return items;
    }

    /** Consciousness, seizure, motor and ICP findings no worse than the grade (the ICE score sets the grade). */
    static String[] icansDomains(int grade, SplittableRandom rnd) {
        double x = rnd.nextDouble();
        return switch (grade) {
            case 1 -> new String[] {x < 0.7 ? "awake" : "awakens-spontaneously", "none", "none", "none"};
            case 2 -> new String[] {x < 0.6 ? "awake" : "awakens-to-voice", "none", "none", "none"};
            case 3 ->
                new String[] {
                    x < 0.5 ? "awake" : "awakens-to-touch",
                    x < 0.2 ? "resolved-rapidly" : "none",
                    "none",
                    x > 0.95 ? "focal-edema" : "none"
                };
            default ->
                new String[] {
                    "unarousable",
                    x < 0.15 ? "prolonged-or-repetitive" : "none",
                    x > 0.9 ? "deep-focal-weakness" : "none",
                    x > 0.95 ? "diffuse-edema" : "none"
                };
        };
    }
}
