package org.cartltfu.bench.cohort;

import java.util.List;

/**
 * A licensed CAR-T product as the hub infuses it, with the toxicity and response rates of its pivotal trial.
 *
 * <p>Rates are those reported in the pivotal publications, quoted from memory and to be checked against the labels
 * before anyone reads clinical meaning into the synthetic cohort [V]. Most of these trials graded CRS with Lee 2014 or
 * the Penn scale and neurotoxicity with CTCAE, not ASTCT 2019, so the figures are approximations of ASTCT incidence:
 * <ul>
 *   <li>Yescarta, ZUMA-1 (Neelapu, NEJM 2017): CRS 93 % (grade ≥3 13 %), neurological events 64 % (≥3 28 %); ORR 82 %, CR 54 %.
 *   <li>Kymriah, JULIET (Schuster, NEJM 2019): CRS 58 % (≥3 22 %), neurological events 21 % (≥3 12 %); ORR 52 %, CR 40 %.
 *   <li>Breyanzi, TRANSCEND NHL 001 (Abramson, Lancet 2020): CRS 42 % (≥3 2 %), neurological events 30 % (≥3 10 %); ORR 73 %, CR 53 %.
 *   <li>Tecartus, ZUMA-2 (Wang, NEJM 2020): CRS 91 % (≥3 15 %), neurological events 63 % (≥3 31 %); ORR 93 %, CR 67 %.
 *   <li>Abecma, KarMMa (Munshi, NEJM 2021): CRS 84 % (≥3 5 %), neurotoxicity 18 % (≥3 3 %); ORR 73 %, CR 33 %.
 *   <li>Carvykti, CARTITUDE-1 (Berdeja, Lancet 2021): CRS 95 % (≥3 4 %), ICANS 17 % (≥3 2 %); ORR 97 %, sCR 67 %.
 * </ul>
 * Median CRS onset (days after infusion) from the same papers, rounded: axi-cel 2, tisa-cel 3, liso-cel 5,
 * brexu-cel 2, ide-cel 1, cilta-cel 7.
 */
public record Product(
        String code,
        String display,
        String lotPrefix,
        String indication,
        String reason,
        double share,
        double crsAny,
        double crsGrade3Plus,
        double icansAny,
        double icansGrade3Plus,
        int crsOnsetMedianDay,
        double completeResponse,
        double overallResponse,
        boolean myeloma) {

    /** Products the Singapore hub infuses, with an assumed share of the hub's infusions (not a published figure). */
    public static final List<Product> HUB_PRODUCTS = List.of(
            new Product(
                    "yescarta",
                    "Yescarta",
                    "KT",
                    "DLBCL",
                    "Relapsed or refractory diffuse large B-cell lymphoma after two or more lines of systemic therapy",
                    0.30,
                    0.93,
                    0.13,
                    0.64,
                    0.28,
                    2,
                    0.54,
                    0.82,
                    false),
            new Product(
                    "kymriah",
                    "Kymriah",
                    "NV",
                    "DLBCL",
                    "Relapsed or refractory diffuse large B-cell lymphoma after two or more lines of systemic therapy",
                    0.20,
                    0.58,
                    0.22,
                    0.21,
                    0.12,
                    3,
                    0.40,
                    0.52,
                    false),
            new Product(
                    "breyanzi",
                    "Breyanzi",
                    "JN",
                    "DLBCL",
                    "Large B-cell lymphoma refractory to or relapsed within 12 months of first-line chemoimmunotherapy",
                    0.15,
                    0.42,
                    0.02,
                    0.30,
                    0.10,
                    5,
                    0.53,
                    0.73,
                    false),
            new Product(
                    "tecartus",
                    "Tecartus",
                    "KX",
                    "MCL",
                    "Relapsed or refractory mantle cell lymphoma after a BTK inhibitor",
                    0.07,
                    0.91,
                    0.15,
                    0.63,
                    0.31,
                    2,
                    0.67,
                    0.93,
                    false),
            new Product(
                    "abecma",
                    "Abecma",
                    "BB",
                    "MM",
                    "Relapsed or refractory multiple myeloma after four or more lines including an IMiD, a PI and an anti-CD38 antibody",
                    0.10,
                    0.84,
                    0.05,
                    0.18,
                    0.03,
                    1,
                    0.33,
                    0.73,
                    true),
            new Product(
                    "carvykti",
                    "Carvykti",
                    "LC",
                    "MM",
                    "Relapsed or refractory multiple myeloma after four or more lines including an IMiD, a PI and an anti-CD38 antibody",
                    0.18,
                    0.95,
                    0.04,
                    0.17,
                    0.02,
                    7,
                    0.67,
                    0.97,
                    true));
}
