package org.cartltfu.bench.cohort;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Names in the local script and national identifiers in the local format, per spoke country. Invented values only:
 * formats follow the public layout (Vietnamese CCCD 12 digits, Aadhaar 12 digits, MyKad YYMMDD-PB-###G, Chinese
 * resident ID 18 characters with its ISO 7064 check character) so that parsing code meets realistic input.
 */
final class People {

    private People() {}

    private static final String[] VN_FAMILY = {
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"
    };
    private static final String[] VN_MIDDLE_M = {"Văn", "Hữu", "Đức", "Minh", "Quang"};
    private static final String[] VN_MIDDLE_F = {"Thị", "Ngọc", "Thu", "Thanh", "Kim"};
    private static final String[] VN_GIVEN_M = {
        "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Tuấn", "Việt"
    };
    private static final String[] VN_GIVEN_F = {
        "Lan", "Hương", "Mai", "Thảo", "Linh", "Phương", "Hà", "Trang", "Yến", "Nhung"
    };

    private static final String[] CN_FAMILY = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"};
    private static final String[] CN_GIVEN_M = {"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明辉", "建国"};
    private static final String[] CN_GIVEN_F = {"芳", "娜", "秀英", "敏", "静", "丽", "艳", "娟", "晓燕", "玉兰"};

    private static final String[] MY_MALAY_M = {"Ahmad", "Muhammad", "Mohd Faizal", "Azlan", "Hafiz", "Ismail"};
    private static final String[] MY_MALAY_F = {"Siti Aminah", "Nurul Huda", "Aisyah", "Farah", "Noraini", "Zainab"};
    private static final String[] MY_FATHER = {"Abdullah", "Ismail", "Hassan", "Osman", "Yusof", "Rahman"};
    private static final String[] MY_CHINESE_FAMILY = {"Tan", "Lim", "Lee", "Wong", "Ng", "Chong"};
    private static final String[] MY_CHINESE_GIVEN = {"Wei Ming", "Mei Ling", "Kok Leong", "Siew Lan", "Chee Keong"};

    private static final String[] IN_GIVEN_M = {"Rajesh", "Amit", "Suresh", "Vikram", "Arjun", "Manoj", "Ravi"};
    private static final String[] IN_GIVEN_F = {"Priya", "Sunita", "Anjali", "Kavita", "Lakshmi", "Meena", "Pooja"};
    private static final String[] IN_MIDDLE_M = {"Kumar", "Prasad", "Singh", "Chand"};
    private static final String[] IN_MIDDLE_F = {"Devi", "Kumari", "Rani"};
    private static final String[] IN_FAMILY = {"Sharma", "Verma", "Gupta", "Iyer", "Reddy", "Nair", "Patel", "Yadav"};

    static String pick(SplittableRandom rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    /** A HumanName: text in the local script plus family/given where that culture has a family name. */
    static ObjectNode name(SplittableRandom rnd, String country, boolean male) {
        ObjectNode n = Json.obj().put("use", "official");
        switch (country) {
            case "VN" -> {
                String family = pick(rnd, VN_FAMILY);
                String middle = pick(rnd, male ? VN_MIDDLE_M : VN_MIDDLE_F);
                String given = pick(rnd, male ? VN_GIVEN_M : VN_GIVEN_F);
                n.put("text", family + " " + middle + " " + given).put("family", family);
                n.putArray("given").add(middle).add(given);
            }
            case "CN" -> {
                String family = pick(rnd, CN_FAMILY);
                String given = pick(rnd, male ? CN_GIVEN_M : CN_GIVEN_F);
                n.put("text", family + given).put("family", family);
                n.putArray("given").add(given);
            }
            case "MY" -> {
                if (rnd.nextDouble() < 0.65) {
                    // Malay names are patronymic: no family name, "bin"/"binti" + father's name.
                    String given = pick(rnd, male ? MY_MALAY_M : MY_MALAY_F);
                    n.put("text", given + (male ? " bin " : " binti ") + pick(rnd, MY_FATHER));
                    n.putArray("given").add(given);
                } else {
                    String family = pick(rnd, MY_CHINESE_FAMILY);
                    String given = pick(rnd, MY_CHINESE_GIVEN);
                    n.put("text", family + " " + given).put("family", family);
                    n.putArray("given").add(given);
                }
            }
            default -> {
                String given = pick(rnd, male ? IN_GIVEN_M : IN_GIVEN_F);
                String middle = pick(rnd, male ? IN_MIDDLE_M : IN_MIDDLE_F);
                String family = pick(rnd, IN_FAMILY);
                n.put("text", given + " " + middle + " " + family).put("family", family);
                n.putArray("given").add(given).add(middle);
            }
        }
        return n;
    }

    static String language(String country) {
        return switch (country) {
            case "VN" -> "vi";
            case "CN" -> "zh";
            case "MY" -> "ms";
            default -> "hi";
        };
    }

    static String digits(SplittableRandom rnd, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + rnd.nextInt(10)));
        }
        return b.toString();
    }

    static String passport(SplittableRandom rnd, String country) {
        return switch (country) {
            case "VN" -> "C" + digits(rnd, 7);
            case "CN" -> "E" + digits(rnd, 8);
            case "MY" -> "A" + digits(rnd, 8);
            default -> (char) ('J' + rnd.nextInt(10)) + digits(rnd, 7);
        };
    }

    static String nationalId(SplittableRandom rnd, String country, LocalDate birth, boolean male) {
        return switch (country) {
            case "VN" ->
                "0" + digits(rnd, 2) + (birth.getYear() >= 2000 ? (male ? 2 : 3) : (male ? 0 : 1))
                        + String.format("%02d", birth.getYear() % 100) + digits(rnd, 6);
            case "CN" -> chineseResidentId(rnd, birth, male);
            case "MY" ->
                birth.format(DateTimeFormatter.ofPattern("yyMMdd")) + "-14-" + digits(rnd, 3)
                        + (male ? 2 * rnd.nextInt(5) + 1 : 2 * rnd.nextInt(5));
            default -> (2 + rnd.nextInt(8)) + digits(rnd, 11);
        };
    }

    /** 6-digit region (Beijing districts 1101xx) + birth date + sequence (odd = male) + ISO 7064 MOD 11-2 check. */
    static String chineseResidentId(SplittableRandom rnd, LocalDate birth, boolean male) {
        String seq = digits(rnd, 2) + (male ? 2 * rnd.nextInt(5) + 1 : 2 * rnd.nextInt(5));
        String body = "1101" + String.format("%02d", 1 + rnd.nextInt(16))
                + birth.format(DateTimeFormatter.BASIC_ISO_DATE) + seq;
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }
}
