package org.cartltfu.bench.cohort;

import static org.cartltfu.bench.cohort.Json.concept;
import static org.cartltfu.bench.cohort.Json.cs;
import static org.cartltfu.bench.cohort.Json.obj;
import static org.cartltfu.bench.cohort.Json.quantity;
import static org.cartltfu.bench.cohort.Json.ref;
import static org.cartltfu.bench.cohort.Json.resource;
import static org.cartltfu.bench.cohort.Json.sd;
import static org.cartltfu.bench.cohort.Json.sid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Deterministic synthetic cohort: patient i depends only on (seed, i, cohort size, as-of date), so any slice of the
 * cohort can be generated alone, in parallel, and always comes out byte-identical.
 *
 * <p>Each patient yields one transaction pushed by the hub (sites, patient, consent, product, infusion, daily CRS and
 * ICE assessments over the 14- or 28-day inpatient window, CRS/ICANS episodes, early labs) and one transaction per
 * follow-up contact pushed by the responsible spoke (visit, labs, response, persistence, survival, new malignancy).
 * Every transaction repeats the sites and the patient as conditional creates on their identifiers, as a spoke that
 * does not know the hub's ids would.
 */
public final class CohortGenerator {

    /** Cohort parameters; asOf is the data cut-off (visits after it have not happened yet). */
    public record Spec(long seed, int patients, LocalDate asOf) {
        public static Spec of(long seed, int patients) {
            return new Spec(seed, patients, LocalDate.of(2026, 10, 31));
        }
    }

    /** One transaction and the site whose identity pushes it. */
    public record Push(Site site, String label, ObjectNode bundle) {
        public int entries() {
            return bundle.get("entry").size();
        }
    }

    public record PatientJourney(int index, String hubMrn, Site spoke, Product product, List<Push> pushes) {}

    static final LocalDate FIRST_INFUSION = LocalDate.of(2019, 1, 1);
    /** Share of follow-up contacts that do not happen (assumption for testing overdue logic, not a published rate). */
    static final double MISSED_VISIT = 0.08;
    /** Share of patients who never gave research consent (assumption). */
    static final double NO_RESEARCH_CONSENT = 0.15;
    /** Share of patients with a new malignancy during follow-up (assumption in the range of published series [V]). */
    static final double NEW_MALIGNANCY = 0.05;

    private final Spec spec;

    public CohortGenerator(Spec spec) {
        this.spec = spec;
    }

    public Spec spec() {
        return spec;
    }

    public Stream<PatientJourney> stream() {
        return IntStream.range(0, spec.patients()).mapToObj(this::patient);
    }

    public PatientJourney patient(int index) {
        return new Journey(index).build();
    }

    // --------------------------------------------------------------------------------------------------------------

    private final class Journey {
        final int index;
        final SplittableRandom rnd;
        final Site spoke;
        final Product product;
        final boolean male;
        final LocalDate birth;
        final LocalDate infusion;
        final int monitoredDays;
        final String hubMrn;
        final ObjectNode patient;
        final List<Push> pushes = new ArrayList<>();
        String patientUrl;
        String infusionUrl;
        LocalDate death;
        String causeOfDeath;

        Journey(int index) {
            this.index = index;
            // A stream per patient: patient i does not depend on how many numbers patient i-1 drew.
            this.rnd = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + index);
            this.spoke = weighted(Site.SPOKES.stream().map(Site::share).toList(), Site.SPOKES);
            this.product =
                    weighted(Product.HUB_PRODUCTS.stream().map(Product::share).toList(), Product.HUB_PRODUCTS);
            this.male = rnd.nextDouble() < (product.myeloma() ? 0.56 : 0.62);
            long lastDay = ChronoUnit.DAYS.between(FIRST_INFUSION, spec.asOf().minusDays(30));
            this.infusion = FIRST_INFUSION.plusDays(rnd.nextLong(lastDay));
            int age = product.myeloma() ? 45 + rnd.nextInt(33) : 25 + rnd.nextInt(55);
            this.birth = infusion.minusYears(age).minusDays(rnd.nextInt(365));
            this.monitoredDays = rnd.nextDouble() < 0.5 ? 14 : 28;
            this.hubMrn = String.format("SGH-%d-%06d", infusion.getYear(), index + 1);
            this.patient = patientResource();
        }

        <T> T weighted(List<Double> weights, List<T> items) {
            double x = rnd.nextDouble()
                    * weights.stream().mapToDouble(Double::doubleValue).sum();
            for (int i = 0; i < items.size(); i++) {
                x -= weights.get(i);
                if (x < 0) {
                    return items.get(i);
                }
            }
            return items.get(items.size() - 1);
        }

        double between(double lo, double hi) {
            return lo + rnd.nextDouble() * (hi - lo);
        }

        PatientJourney build() {
            hubTransaction();
            followUp();
            return new PatientJourney(index, hubMrn, spoke, product, List.copyOf(pushes));
        }

        // ------------------------------------------------------------------------------------------ shared entries

        ObjectNode patientResource() {
            ObjectNode p = resource("Patient", "cart-patient");
            ArrayNode ids = p.putArray("identifier");
            String cc = spoke.lowerCountry();
            ids.add(Json.identifier("hub-mrn", sid("hub-mrn"), hubMrn, "MR"));
            ids.add(Json.identifier("spoke-mrn", sid("spoke-mrn/" + spoke.code()), spokeMrn(), "MR"));
            ids.add(Json.identifier("passport", sid("passport/" + cc), People.passport(rnd, spoke.country()), "PPN"));
            ids.add(Json.identifier(
                    "national-id",
                    sid("national-id/" + cc),
                    People.nationalId(rnd, spoke.country(), birth, male),
                    "NI"));
            if (rnd.nextDouble() < 0.8) {
                ids.add(Json.identifier("cibmtr-crid", sid("cibmtr-crid"), "48" + People.digits(rnd, 8), null));
            }
            p.putArray("name").add(People.name(rnd, spoke.country(), male));
            p.put("gender", male ? "male" : "female").put("birthDate", birth.toString());
            p.putArray("address").addObject().put("city", spoke.city()).put("country", spoke.country());
            String lang = People.language(spoke.country());
            p.putArray("communication")
                    .addObject()
                    .put("preferred", true)
                    .set("language", concept("urn:ietf:bcp:47", lang, null));
            return p;
        }

        String spokeMrn() {
            String n = People.digits(rnd, 7);
            return switch (spoke.code()) {
                case "vn-bachmai" -> "BM-" + String.format("%02d", infusion.getYear() % 100) + "-" + n.substring(1);
                case "in-aiims" -> "AIIMS" + n;
                case "my-hkl" -> "RN" + n;
                default -> "PUMCH-" + n;
            };
        }

        /** Sites and the patient as conditional creates; the patient's spoke reference points at this bundle. */
        void header(TransactionBuilder tx, boolean withHub) {
            String spokeUrl = organization(tx, spoke);
            if (withHub) {
                organization(tx, Site.HUB);
            }
            ObjectNode p = patient.deepCopy();
            p.set("managingOrganization", ref(spokeUrl, spoke.name()));
            patientUrl = tx.add(p, "identifier=" + sid("hub-mrn") + "|" + hubMrn);
        }

        String organization(TransactionBuilder tx, Site site) {
            return tx.add(organizationResource(site), "identifier=" + sid("site") + "|" + site.code());
        }

        String hubUrl(TransactionBuilder tx) {
            // The hub Organization is the second entry of a hub transaction (after the spoke).
            return tx.build().get("entry").get(1).get("fullUrl").asText();
        }

        String ts(LocalDate day, int hour, int minute, Site site) {
            return String.format("%sT%02d:%02d:00%s", day, hour, minute, site.utcOffset());
        }

        ObjectNode observation(String profile, String system, String code, String display, String when) {
            ObjectNode o = resource("Observation", profile).put("status", "final");
            o.set("code", concept(system, code, display));
            o.set("subject", ref(patientUrl, null));
            o.put("effectiveDateTime", when);
            return o;
        }

        ObjectNode component(String system, String code) {
            ObjectNode c = obj();
            c.set("code", concept(system, code));
            return c;
        }

        // ------------------------------------------------------------------------------------------ hub

        void hubTransaction() {
            TransactionBuilder tx = new TransactionBuilder(spec.seed() + "/" + index + "/hub");
            header(tx, true);
            String hub = hubUrl(tx);
            if (rnd.nextDouble() >= NO_RESEARCH_CONSENT) {
                tx.add(consent(hub), null);
            }
            LocalDate collected = infusion.minusDays(17 + rnd.nextInt(19));
            String coi = String.format(
                    "COI-%s-%s-%06d", product.lotPrefix(), Site.HUB.code().toUpperCase(), index + 1);
            // Several patients per manufacturing lot: a pool of about one lot per four patients of this product.
            int lots = Math.max(1, (int) Math.round(spec.patients() * product.share() / 4));
            String lot = String.format(
                    "%s%02d%c%04d", product.lotPrefix(), infusion.getYear() % 100, 'A', rnd.nextInt(lots));
            ObjectNode bdp = resource("BiologicallyDerivedProduct", "cart-product");
            bdp.putArray("identifier")
                    .add(Json.identifier("coi", sid("coi"), coi, null))
                    .add(Json.identifier("lot", sid("lot/" + product.code()), lot, null));
            bdp.put("productCategory", "cells");
            bdp.set("productCode", concept(cs("cart-product"), product.code(), product.display()));
            bdp.put("quantity", 1);
            bdp.putObject("collection")
                    .put("collectedDateTime", ts(collected, 9, 0, Site.HUB))
                    .set("source", ref(patientUrl, null));
            String bdpUrl = tx.add(bdp, "identifier=" + sid("coi") + "|" + coi);

            ObjectNode proc = resource("Procedure", "cart-infusion");
            proc.putArray("extension")
                    .addObject()
                    .put("url", sd("infused-product"))
                    .set("valueReference", ref(bdpUrl, product.display() + " " + coi));
            proc.put("status", "completed");
            proc.set("code", concept(cs("cart-procedure"), "cart-infusion", "CAR-T cell infusion"));
            proc.set("subject", ref(patientUrl, null));
            proc.put("performedDateTime", ts(infusion, 10, 30, Site.HUB));
            proc.putArray("performer").addObject().set("actor", ref(hub, Site.HUB.name()));
            proc.putArray("reasonCode").add(Json.text(product.reason()));
            proc.putArray("usedCode").add(concept(cs("cart-product"), product.code(), product.display()));
            infusionUrl = tx.addClinical(proc);

            Toxicity tox = new Toxicity(rnd, product, monitoredDays);
            crsAssessments(tx, tox);
            iceAndIcans(tx, tox);
            episodes(tx, tox);
            hubLabs(tx, tox);
            if (tox.deathDay >= 0) {
                death = infusion.plusDays(tox.deathDay);
                causeOfDeath = tox.crsGrade(tox.deathDay) == 5 ? "crs" : "icans";
                tx.addClinical(survival(death, "dead", causeOfDeath, Site.HUB, null));
            }
            provenance(tx, hub, Site.HUB, infusion.plusDays(monitoredDays));
            pushes.add(new Push(Site.HUB, "hub", tx.build()));
        }

        ObjectNode organizationResource(Site site) {
            ObjectNode o = resource("Organization", "spoke-organization");
            o.putArray("identifier").addObject().put("system", sid("site")).put("value", site.code());
            o.put("active", true);
            o.putArray("type")
                    .add(concept(
                            "http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider"));
            o.put("name", site.name());
            if (site.localName() != null && !site.localName().equals(site.name())) {
                o.putArray("alias").add(site.localName());
            }
            o.putArray("address").addObject().put("city", site.city()).put("country", site.country());
            return o;
        }

        ObjectNode consent(String hubUrl) {
            LocalDate day = infusion.minusDays(25 + rnd.nextInt(15));
            ObjectNode c = resource("Consent", "research-consent").put("status", "active");
            c.set("scope", concept("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"));
            c.putArray("category")
                    .add(concept(
                            "http://terminology.hl7.org/CodeSystem/consentcategorycodes",
                            "research",
                            "Research Information Access"));
            c.set("patient", ref(patientUrl, null));
            c.put("dateTime", ts(day, 10, 0, Site.HUB));
            c.putArray("organization").add(ref(hubUrl, Site.HUB.name()));
            c.putArray("policy").addObject().put("uri", Json.BASE + "/policy/" + spoke.policy());
            c.set("policyRule", concept(cs("jurisdiction-policy"), "sg-pdpa", "Singapore PDPA"));
            ObjectNode provision = c.putObject("provision").put("type", "permit");
            provision
                    .putObject("period")
                    .put("start", day.toString())
                    .put("end", infusion.plusYears(15).toString());
            provision
                    .putArray("purpose")
                    .add(Json.coding(
                            "http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", "healthcare research"));
            return c;
        }

        void crsAssessments(TransactionBuilder tx, Toxicity tox) {
            String obs = cs("cart-observation");
            for (int day = 1; day <= tox.lastAssessedDay(); day++) {
                int grade = tox.crsGrade(day);
                ObjectNode o = observation(
                        "crs-assessment",
                        obs,
                        "crs-assessment",
                        "CRS assessment (ASTCT)",
                        ts(infusion.plusDays(day), 6, 0, Site.HUB));
                o.set("method", concept(cs("toxicity-grading-scale"), "astct-2019", "ASTCT consensus 2019"));
                boolean masked = grade > 0 && tox.feverMasked(day);
                boolean fever = grade > 0 && !masked;
                double temp = fever ? between(38.0, 40.2) : between(36.3, 37.7);
                ArrayNode comps = o.putArray("component");
                comps.add(component(Json.LOINC, "8310-5")
                        .set(
                                "valueQuantity",
                                quantity(Math.round(temp * 10) / 10.0, "Cel").put("unit", "°C")));
                comps.add(component(obs, "fever").put("valueBoolean", fever));
                comps.add(component(obs, "fever-masked").put("valueBoolean", masked));
                String[] axes = Toxicity.crsAxes(Math.min(grade, 4), rnd);
                comps.add(component(obs, "hypotension-support")
                        .set("valueCodeableConcept", concept(cs("crs-pressor-support"), axes[0])));
                comps.add(component(obs, "oxygen-support")
                        .set("valueCodeableConcept", concept(cs("crs-o2-support"), axes[1])));
                comps.add(component(obs, "crs-grade")
                        .set("valueCodeableConcept", concept(cs("astct-crs-grade"), String.valueOf(grade))));
                tx.addClinical(o);
            }
        }

        void iceAndIcans(TransactionBuilder tx, Toxicity tox) {
            String obs = cs("cart-observation");
            String ice = cs("ice-item");
            for (int day = 1; day <= tox.lastAssessedDay(); day++) {
                int grade = tox.icansGrade(day);
                int[] items = Toxicity.iceItems(grade, rnd);
                int total = items[0] + items[1] + items[2] + items[3] + items[4];
                ObjectNode o = resource("Observation", "ice-score").put("status", "final");
                o.putObject("code")
                        .putArray("coding")
                        .add(Json.coding(obs, "ice-score", "ICE score"))
                        .add(Json.coding(ice, "ice-total", "ICE score total"));
                o.set("subject", ref(patientUrl, null));
                o.put("effectiveDateTime", ts(infusion.plusDays(day), 9, 0, Site.HUB));
                o.put("valueInteger", total);
                ArrayNode comps = o.putArray("component");
                String[] names = {"orientation", "naming", "command", "writing", "attention"};
                for (int i = 0; i < names.length; i++) {
                    comps.add(component(ice, names[i]).put("valueInteger", items[i]));
                }
                String iceUrl = tx.addClinical(o);
                if (grade > 0) {
                    ObjectNode a = observation(
                            "icans-assessment",
                            obs,
                            "icans-assessment",
                            "ICANS assessment (ASTCT)",
                            ts(infusion.plusDays(day), 9, 15, Site.HUB));
                    a.set("method", concept(cs("toxicity-grading-scale"), "astct-2019", "ASTCT consensus 2019"));
                    a.putArray("hasMember").add(ref(iceUrl, null));
                    String[] d = Toxicity.icansDomains(Math.min(grade, 4), rnd);
                    ArrayNode ac = a.putArray("component");
                    ac.add(component(obs, "ice-score").put("valueInteger", total));
                    ac.add(component(obs, "consciousness-level")
                            .set("valueCodeableConcept", concept(cs("icans-consciousness"), d[0])));
                    ac.add(component(obs, "seizure").set("valueCodeableConcept", concept(cs("icans-seizure"), d[1])));
                    ac.add(component(obs, "motor-finding")
                            .set("valueCodeableConcept", concept(cs("icans-motor"), d[2])));
                    ac.add(component(obs, "raised-icp").set("valueCodeableConcept", concept(cs("icans-icp"), d[3])));
                    ac.add(component(obs, "icans-grade")
                            .set("valueCodeableConcept", concept(cs("astct-icans-grade"), String.valueOf(grade))));
                    tx.addClinical(a);
                }
            }
        }

        void episodes(TransactionBuilder tx, Toxicity tox) {
            if (tox.crsPeak > 0) {
                tx.addClinical(adverseEvent(
                        "crs-event",
                        "crs",
                        "Cytokine release syndrome",
                        tox.crsPeak,
                        "astct-crs-grade",
                        tox.crsOnset,
                        tox.crsEnd,
                        tox.crsTherapies()));
            }
            if (tox.icansPeak > 0) {
                tx.addClinical(adverseEvent(
                        "icans-event",
                        "icans",
                        "Immune effector cell-associated neurotoxicity syndrome",
                        tox.icansPeak,
                        "astct-icans-grade",
                        tox.icansOnset,
                        tox.icansEnd,
                        tox.icansTherapies()));
            }
        }

        ObjectNode adverseEvent(
                String profile,
                String type,
                String display,
                int grade,
                String gradeSystem,
                int onsetDay,
                int endDay,
                List<String> therapies) {
            ObjectNode ae = resource("AdverseEvent", profile);
            ArrayNode ext = ae.putArray("extension");
            ext.addObject()
                    .put("url", sd("astct-grade"))
                    .set("valueCodeableConcept", concept(cs(gradeSystem), String.valueOf(grade)));
            boolean fatal = grade == 5;
            if (!fatal && endDay <= monitoredDays) {
                ext.addObject()
                        .put("url", sd("resolution-date"))
                        .put("valueDateTime", infusion.plusDays(endDay).toString());
            }
            for (String t : therapies) {
                ext.addObject()
                        .put("url", sd("toxicity-therapy"))
                        .set("valueCodeableConcept", concept(cs("crs-therapy"), t));
            }
            ae.put("actuality", "actual");
            ArrayNode codings = ae.putObject("event").putArray("coding");
            codings.add(Json.coding(cs("cart-event-type"), type, display));
            // ICD-10-CM by grade: CRS D89.83x (grade 1 code D89.831 by pattern [V]), ICANS G92.0x.
            codings.add(Json.coding(Json.ICD10CM, type.equals("crs") ? "D89.83" + grade : "G92.0" + grade, null));
            ae.set("subject", ref(patientUrl, null));
            ae.put("detected", ts(infusion.plusDays(onsetDay), 2 + rnd.nextInt(20), 0, Site.HUB));
            ae.put("recordedDate", ts(infusion.plusDays(onsetDay), 23, 0, Site.HUB));
            String outcome = fatal ? "fatal" : endDay <= monitoredDays ? "resolved" : "recovering";
            ae.set("outcome", concept("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", outcome));
            ae.putArray("suspectEntity").addObject().set("instance", ref(infusionUrl, null));
            return ae;
        }

        void hubLabs(TransactionBuilder tx, Toxicity tox) {
            for (int day : new int[] {0, 1, 2, 3, 4, 5, 7, 10, 14, 21, 28}) {
                if (day > tox.lastAssessedDay() && day > 0) {
                    break;
                }
                int g = tox.crsGrade(day);
                LocalDate d = infusion.plusDays(day);
                tx.addClinical(lab(
                        "lab-crp",
                        "1988-5",
                        "C reactive protein [Mass/volume] in Serum or Plasma",
                        ts(d, 6, 0, Site.HUB),
                        Math.round(between(3, 20) + g * between(30, 70)),
                        "mg/L",
                        null));
                tx.addClinical(lab(
                        "lab-ferritin",
                        "2276-4",
                        "Ferritin [Mass/volume] in Serum or Plasma",
                        ts(d, 6, 0, Site.HUB),
                        Math.round(between(250, 900) * (1 + g * between(0.5, 2))),
                        "ug/L",
                        null));
                if (day == 7 || day == 14 || day == 28) {
                    double anc = day == 7 ? between(0.05, 1.0) : day == 14 ? between(0.3, 2.5) : between(0.8, 4.0);
                    tx.addClinical(lab(
                            "lab-anc",
                            "751-8",
                            "Neutrophils [#/volume] in Blood by Automated count",
                            ts(d, 6, 0, Site.HUB),
                            Math.round(anc * 100) / 100.0,
                            "10*9/L",
                            null));
                    tx.addClinical(lab(
                            "lab-platelets",
                            "777-3",
                            "Platelets [#/volume] in Blood by Automated count",
                            ts(d, 6, 0, Site.HUB),
                            Math.round(between(day == 7 ? 15 : 30, 180)),
                            "10*9/L",
                            null));
                }
            }
        }

        ObjectNode lab(
                String profile,
                String loinc,
                String display,
                String when,
                double value,
                String ucum,
                String encounterUrl) {
            ObjectNode o = resource("Observation", profile).put("status", "final");
            o.putArray("category")
                    .add(concept(
                            "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory"));
            o.set("code", concept(Json.LOINC, loinc, display));
            o.set("subject", ref(patientUrl, null));
            if (encounterUrl != null) {
                o.set("encounter", ref(encounterUrl, null));
            }
            o.put("effectiveDateTime", when);
            o.set("valueQuantity", quantity(value, ucum));
            return o;
        }

        ObjectNode survival(LocalDate day, String status, String cause, Site site, String encounterUrl) {
            String obs = cs("cart-observation");
            ObjectNode o =
                    observation("survival-status", obs, "survival-status", "Survival status", ts(day, 12, 0, site));
            if (encounterUrl != null) {
                o.set("encounter", ref(encounterUrl, null));
            }
            o.set("valueCodeableConcept", concept(cs("survival-status"), status));
            if (cause != null) {
                o.putArray("component")
                        .add(component(obs, "cause-of-death")
                                .set("valueCodeableConcept", concept(cs("cause-of-death"), cause)));
            }
            return o;
        }

        void provenance(TransactionBuilder tx, String orgUrl, Site site, LocalDate recorded) {
            ObjectNode p = resource("Provenance", "cart-provenance");
            ArrayNode targets = p.putArray("target");
            tx.clinicalUrls().forEach(u -> targets.add(ref(u, null)));
            p.put("recorded", ts(recorded, 15, 0, site));
            p.set("activity", concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create"));
            ObjectNode agent = p.putArray("agent").addObject();
            agent.set(
                    "type",
                    concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"));
            agent.set("who", ref(orgUrl, site.name()));
            tx.add(p, null);
        }

        // ------------------------------------------------------------------------------------------ spoke

        void followUp() {
            if (death != null) {
                return;
            }
            boolean responder = rnd.nextDouble() < product.overallResponse();
            String best = !responder
                    ? (rnd.nextDouble() < 0.3 ? "stable-disease" : "progressive-disease")
                    : rnd.nextDouble() < product.completeResponse() / product.overallResponse()
                            ? "complete-response"
                            : product.myeloma() && rnd.nextDouble() < 0.5
                                    ? "very-good-partial-response"
                                    : "partial-response";
            boolean complete = best.equals("complete-response");
            // Relapse after response: about a third of complete and most partial responders within three years
            // (assumption).
            LocalDate relapse = responder && rnd.nextDouble() < (complete ? 0.35 : 0.65)
                    ? infusion.plusDays(150 + rnd.nextInt(900))
                    : null;
            LocalDate progressed = responder ? relapse : infusion.plusDays(60 + rnd.nextInt(60));
            if (progressed != null && rnd.nextDouble() < 0.6) {
                death = progressed.plusDays(60 + rnd.nextInt(400));
                causeOfDeath = "primary-disease";
            } else if (rnd.nextDouble() < 0.06) {
                death = infusion.plusDays(40 + rnd.nextInt(1500));
                causeOfDeath = rnd.nextDouble() < 0.7 ? "infection" : "other";
            }
            LocalDate malignancy =
                    rnd.nextDouble() < NEW_MALIGNANCY ? infusion.plusDays(200 + rnd.nextInt(2000)) : null;
            boolean lost = false;
            boolean malignancyReported = false;
            for (Timepoint tp : Timepoint.SCHEDULE) {
                LocalDate day = tp.contactDate(infusion, rnd);
                if (day.isAfter(spec.asOf()) || lost) {
                    break;
                }
                if (death != null && !day.isBefore(death)) {
                    TransactionBuilder tx = spokeTransaction(tp.code() + "-death");
                    tx.addClinical(survival(death, "dead", causeOfDeath, spoke, null));
                    provenance(tx, tx.build().get("entry").get(0).get("fullUrl").asText(), spoke, death.plusDays(7));
                    pushes.add(new Push(spoke, "death", tx.build()));
                    break;
                }
                if (rnd.nextDouble() < MISSED_VISIT) {
                    continue;
                }
                // Lost to follow-up: from year 2 on, a few patients stop coming; the spoke reports survival unknown.
                if (tp.year() >= 2 && rnd.nextDouble() < 0.04) {
                    TransactionBuilder tx = spokeTransaction(tp.code() + "-lost");
                    tx.addClinical(survival(day, "unknown", null, spoke, null));
                    provenance(tx, tx.build().get("entry").get(0).get("fullUrl").asText(), spoke, day);
                    pushes.add(new Push(spoke, "lost", tx.build()));
                    lost = true;
                    continue;
                }
                boolean relapsed = relapse != null && !day.isBefore(relapse);
                String status = !responder ? "progressive-disease" : relapsed ? "relapse" : best;
                TransactionBuilder tx = spokeTransaction(tp.code());
                String spokeUrl = tx.build().get("entry").get(0).get("fullUrl").asText();
                visit(
                        tx,
                        tp,
                        day,
                        spokeUrl,
                        best,
                        status,
                        malignancy != null && !malignancyReported && !day.isBefore(malignancy) ? malignancy : null);
                if (malignancy != null && !day.isBefore(malignancy)) {
                    malignancyReported = true;
                }
                provenance(tx, spokeUrl, spoke, day);
                pushes.add(new Push(spoke, tp.code(), tx.build()));
            }
        }

        TransactionBuilder spokeTransaction(String label) {
            TransactionBuilder tx = new TransactionBuilder(spec.seed() + "/" + index + "/" + label);
            header(tx, false);
            return tx;
        }

        void visit(
                TransactionBuilder tx,
                Timepoint tp,
                LocalDate day,
                String spokeUrl,
                String best,
                String status,
                LocalDate malignancy) {
            ObjectNode enc = resource("Encounter", "followup-visit").put("status", "finished");
            enc.set("class", Json.coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
            enc.putArray("type").add(concept(cs("ltfu-timepoint"), tp.code()));
            enc.set("subject", ref(patientUrl, null));
            enc.putObject("period").put("start", ts(day, 8, 30, spoke)).put("end", ts(day, 11, 0, spoke));
            enc.set("serviceProvider", ref(spokeUrl, spoke.name()));
            String encUrl = tx.addClinical(enc);

            String when = ts(day, 8, 45, spoke);
            double years = ChronoUnit.DAYS.between(infusion, day) / 365.25;
            tx.addClinical(lab(
                    "lab-anc",
                    "751-8",
                    "Neutrophils [#/volume] in Blood by Automated count",
                    when,
                    Math.round(between(0.9, 4.5) * 100) / 100.0,
                    "10*9/L",
                    encUrl));
            tx.addClinical(lab(
                    "lab-platelets",
                    "777-3",
                    "Platelets [#/volume] in Blood by Automated count",
                    when,
                    Math.round(between(60, 320)),
                    "10*9/L",
                    encUrl));
            // B-cell aplasia: IgG low in the first year, recovering slowly (shape only, not a published curve).
            tx.addClinical(lab(
                    "lab-igg",
                    "2465-3",
                    "IgG [Mass/volume] in Serum or Plasma",
                    when,
                    Math.round(Math.min(14, between(2.5, 6) + years * between(0.3, 1.5)) * 10) / 10.0,
                    "g/L",
                    encUrl));
            if (tp.year() == 0) {
                tx.addClinical(lab(
                        "lab-ferritin",
                        "2276-4",
                        "Ferritin [Mass/volume] in Serum or Plasma",
                        when,
                        Math.round(between(150, 1200)),
                        "ug/L",
                        encUrl));
                tx.addClinical(lab(
                        "lab-crp",
                        "1988-5",
                        "C reactive protein [Mass/volume] in Serum or Plasma",
                        when,
                        Math.round(between(1, 15)),
                        "mg/L",
                        encUrl));
            }
            String obs = cs("cart-observation");
            String criteria = product.myeloma() ? "IMWG 2016" : "Lugano 2014";
            if (tp.code().equals("D100")) {
                ObjectNode r = observation(
                        "disease-response",
                        obs,
                        "best-response",
                        "Best response since infusion",
                        ts(day, 10, 0, spoke));
                r.set("encounter", ref(encUrl, null));
                r.set("valueCodeableConcept", concept(cs("disease-response"), best));
                r.set("method", Json.text(criteria));
                tx.addClinical(r);
            }
            ObjectNode r =
                    observation("disease-response", obs, "disease-response", "Disease response", ts(day, 10, 0, spoke));
            r.set("encounter", ref(encUrl, null));
            r.set("valueCodeableConcept", concept(cs("disease-response"), status));
            r.set("method", Json.text(criteria));
            tx.addClinical(r);
            if (tp.code().equals("M6") || tp.code().equals("Y1") || tp.code().equals("Y2")) {
                ObjectNode p = observation("cart-persistence", obs, "cart-persistence", "CAR-T cell persistence", when);
                p.set("encounter", ref(encUrl, null));
                boolean detected = rnd.nextDouble() < (tp.year() == 0 ? 0.7 : tp.year() == 1 ? 0.5 : 0.3);
                p.set("valueCodeableConcept", concept(cs("detection-result"), detected ? "detected" : "not-detected"));
                boolean pcr = rnd.nextBoolean();
                p.set("method", concept(cs("persistence-method"), pcr ? "pcr" : "flow-cytometry"));
                tx.addClinical(p);
            }
            if (malignancy != null) {
                tx.addClinical(newMalignancy(malignancy, encUrl));
            }
            ObjectNode s = survival(day, "alive", null, spoke, encUrl);
            tx.addClinical(s);
        }

        ObjectNode newMalignancy(LocalDate onset, String encUrl) {
            // Mostly myeloid neoplasms and skin cancers, rarely a T-cell lymphoma (the FDA 2024 boxed-warning case).
            String[][] kinds = {
                {"D46.9", "Myelodysplastic syndrome, unspecified"},
                {"C92.00", "Acute myeloid leukaemia, not having achieved remission"},
                {"C44.91", "Basal cell carcinoma of skin, unspecified"},
                {"C44.92", "Squamous cell carcinoma of skin, unspecified"},
                {"C84.40", "Peripheral T-cell lymphoma, not classified, unspecified site"}
            };
            String[] k = kinds[Math.min(kinds.length - 1, (int) (rnd.nextDouble() * 4.3))];
            ObjectNode c = resource("Condition", "new-malignancy");
            c.set("clinicalStatus", concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"));
            c.set(
                    "verificationStatus",
                    concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"));
            c.putArray("category").add(concept(cs("cart-event-type"), "new-malignancy", "New malignancy after CAR-T"));
            ObjectNode code = concept(Json.ICD10CM, k[0], null);
            code.put("text", k[1]);
            c.set("code", code);
            c.set("subject", ref(patientUrl, null));
            c.set("encounter", ref(encUrl, null));
            c.put("onsetDateTime", onset.toString());
            return c;
        }
    }
}
