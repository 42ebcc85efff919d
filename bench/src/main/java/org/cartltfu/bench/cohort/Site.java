package org.cartltfu.bench.cohort;

import java.util.List;

/**
 * A hub or spoke hospital: its site code (also the client identity it pushes with), names, country, UTC offset and
 * the jurisdiction policy its patients consent under.
 */
public record Site(
        String code,
        String name,
        String localName,
        String city,
        String country,
        String utcOffset,
        String policy,
        double share) {

    public static final Site HUB =
            new Site("sg-sgh", "Singapore General Hospital", null, "Singapore", "SG", "+08:00", "sg-pdpa", 0);

    /** Spokes, with the share of the cohort each follows up (a guess at referral volume, not a published figure). */
    public static final List<Site> SPOKES = List.of(
            new Site(
                    "vn-bachmai", "Bach Mai Hospital", "Bệnh viện Bạch Mai", "Hà Nội", "VN", "+07:00", "vn-pdpl", 0.30),
            new Site(
                    "in-aiims",
                    "All India Institute of Medical Sciences",
                    "अखिल भारतीय आयुर्विज्ञान संस्थान",
                    "New Delhi",
                    "IN",
                    "+05:30",
                    "in-dpdp",
                    0.25),
            new Site(
                    "my-hkl",
                    "Hospital Kuala Lumpur",
                    "Hospital Kuala Lumpur",
                    "Kuala Lumpur",
                    "MY",
                    "+08:00",
                    "my-pdpa",
                    0.20),
            new Site(
                    "cn-pumch",
                    "Peking Union Medical College Hospital",
                    "北京协和医院",
                    "北京",
                    "CN",
                    "+08:00",
                    "cn-pipl",
                    0.25));

    public static List<Site> all() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(HUB), SPOKES.stream())
                .toList();
    }

    public String lowerCountry() {
        return country.toLowerCase(java.util.Locale.ROOT);
    }
}
