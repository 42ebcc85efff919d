#!/usr/bin/env python3
"""Generates the StructureDefinitions (differentials only) of the CAR-T LTFU implementation guide as FHIR R4 JSON
into ../src/main/fhir. The Maven build does not run Python: edit this script and re-run it
(`python3 profiles/tools/generate_profiles.py`) instead of editing the JSON by hand.

Differentials list elements in the order of the base resource, with ids of the form Path:sliceName.child, so that
HAPI's SnapshotGeneratingValidationSupport can build the snapshots at run time.
"""
import json
import os
import re

BASE = "https://cart-ltfu.org/fhir"
# The package version is written once, in the manifest (CarTIg.PACKAGE_VERSION is checked against it).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "package", "package.json"), encoding="utf-8") as manifest:
    VERSION = json.load(manifest)["version"]
DATE = "2026-11-21"
PUBLISHER = "CAR-T LTFU hub project"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "fhir")
CORE = "http://hl7.org/fhir/StructureDefinition/"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def sd_url(i):
    return f"{BASE}/StructureDefinition/{i}"


def cs(i):
    return f"{BASE}/CodeSystem/{i}"


def vs(i):
    return f"{BASE}/ValueSet/{i}"


def pascal(i):
    return "".join(p[:1].upper() + p[1:] for p in i.split("-"))


def E(eid, **kw):
    """Differential element; path derived from id (slice names removed), sliceName from the last id segment."""
    path = re.sub(r":[^.]+", "", eid)
    d = {"id": eid, "path": path}
    last = eid.split(".")[-1] if not eid.endswith("]") else eid.rsplit(".", 1)[-1]
    if ":" in last:
        d["sliceName"] = last.split(":", 1)[1]
    d.update(kw)
    return d


def cc(system, code):
    return {"coding": [{"system": system, "code": code}]}


def req(valueset):
    return {"strength": "required", "valueSet": valueset}


def ref(*profiles):
    return [{"code": "Reference", "targetProfile": list(profiles)}]


def ext_type(ext_id):
    return [{"code": "Extension", "profile": [sd_url(ext_id)]}]


def inv(sd_id, key, severity, human, expression):
    return {"key": key, "severity": severity, "human": human, "expression": expression, "source": sd_url(sd_id)}


def slicing(path, rules="open", description=None, type_="pattern", ordered=False):
    s = {"discriminator": [{"type": type_, "path": path}], "ordered": ordered, "rules": rules}
    if description:
        s["description"] = description
    return s


EXT_SLICING = {"discriminator": [{"type": "value", "path": "url"}], "ordered": False, "rules": "open"}

RESOURCES = []


def profile(pid, rtype, title, description, elements, base=None):
    RESOURCES.append({
        "resourceType": "StructureDefinition",
        "id": pid,
        "url": sd_url(pid),
        "version": VERSION,
        "name": pascal(pid),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
        "fhirVersion": "4.0.1",
        "kind": "resource",
        "abstract": False,
        "type": rtype,
        "baseDefinition": base or CORE + rtype,
        "derivation": "constraint",
        "differential": {"element": elements},
    })


def extension(eid, title, description, contexts, value_element):
    RESOURCES.append({
        "resourceType": "StructureDefinition",
        "id": eid,
        "url": sd_url(eid),
        "version": VERSION,
        "name": pascal(eid),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
        "fhirVersion": "4.0.1",
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": c} for c in contexts],
        "type": "Extension",
        "baseDefinition": CORE + "Extension",
        "derivation": "constraint",
        "differential": {"element": [
            E("Extension", short=title, definition=description),
            E("Extension.extension", max="0"),
            E("Extension.url", fixedUri=sd_url(eid)),
            dict(E("Extension.value[x]", min=1), **value_element),
        ]},
    })


# =============================================================================================
# Extensions
# =============================================================================================
extension(
    "astct-grade", "ASTCT grade",
    "Highest ASTCT consensus grade (Lee et al. 2019) of a CRS or ICANS episode, coded with the astct-crs-grade or "
    "astct-icans-grade CodeSystem. Plays the role of the AE Clinical Research backport extension ae-grade, which is "
    "bound to the generic NCIt adverse-event grades; use the ConceptMaps astct-*-grade-to-ncit-ae-grade to derive that "
    "value. AdverseEvent.severity (mild/moderate/severe) is not a grade.",
    ["AdverseEvent"],
    {"type": [{"code": "CodeableConcept"}], "binding": req(vs("astct-grade"))})

extension(
    "resolution-date", "Resolution date",
    "Date (and optionally time) on which an adverse event (CRS or ICANS episode) resolved, as asked by the EBMT MED-A "
    "and CIBMTR follow-up forms. Partial dates (YYYY, YYYY-MM) are allowed.",
    ["AdverseEvent"],
    {"type": [{"code": "dateTime"}]})

extension(
    "toxicity-therapy", "Toxicity therapy",
    "A therapy given for the CRS or ICANS episode (CIBMTR 4100: check all that apply), coded from crs-therapy; a SNOMED "
    "CT or ATC coding of the substance may be added. Repeat the extension for several therapies.",
    ["AdverseEvent"],
    {"type": [{"code": "CodeableConcept"}], "binding": req(vs("crs-therapy"))})

extension(
    "study-day", "Study day",
    "Day relative to the patient's first CAR-T infusion (day 0; negative before it), counted on calendar dates where "
    "each event happened. Put on a date, dateTime or instant whose value is withheld in a de-identified registry "
    "extract (CIBMTR/EBMT convention of day offsets); the element then carries this extension and no value.",
    ["date", "dateTime", "instant"],
    {"type": [{"code": "integer"}]})

extension(
    "age-at-infusion", "Age at infusion",
    "Age in whole years at the first CAR-T infusion, given in de-identified registry extracts instead of a birth date.",
    ["Patient"],
    {"type": [{"code": "Age"}]})

extension(
    "infused-product", "Infused product",
    "The CAR-T product (BiologicallyDerivedProduct, cart-product profile) infused in this procedure. Needed because "
    "R4 Procedure.usedReference cannot reference a BiologicallyDerivedProduct (it allows Device, Medication, Substance).",
    ["Procedure"],
    {"type": ref(sd_url("cart-product"))})

# =============================================================================================
# Organization, Endpoint
# =============================================================================================
profile(
    "spoke-organization", "Organization",
    "Hub or spoke site",
    "A site of the CAR-T follow-up network: the hub (treating CAR-T centre, e.g. sg-sgh) or a spoke (follow-up hospital, "
    "e.g. vn-bachmai). Identified by its site code (system https://cart-ltfu.org/fhir/sid/site); the country of the "
    "address determines the data-protection jurisdiction.",
    [
        E("Organization", short="Hub or spoke site of the CAR-T follow-up network",
          definition="A hospital that is the hub or a spoke of the CAR-T follow-up network."),
        E("Organization.identifier", min=1, slicing=slicing("system", type_="value",
                                                             description="Sliced by identifier system")),
        E("Organization.identifier:siteCode", min=1, max="1", mustSupport=True,
          short="Site code of the hub or spoke (e.g. sg-sgh, vn-bachmai)"),
        E("Organization.identifier:siteCode.system", min=1, fixedUri=f"{BASE}/sid/site"),
        E("Organization.identifier:siteCode.value", min=1),
        E("Organization.active", mustSupport=True),
        E("Organization.name", min=1, mustSupport=True),
        E("Organization.address", min=1, mustSupport=True),
        E("Organization.address.country", min=1, short="ISO 3166-1 alpha-2 country code (e.g. SG, VN, IN, MY, CN)",
          constraint=[inv("spoke-organization", "org-country-1", "error",
                          "Country is an ISO 3166-1 alpha-2 code (two upper-case letters)",
                          "matches('^[A-Z]{2}$')")]),
        E("Organization.endpoint", type=ref(sd_url("spoke-endpoint")), mustSupport=True),
    ])

profile(
    "spoke-endpoint", "Endpoint",
    "Spoke FHIR endpoint",
    "FHIR REST endpoint of a spoke (or the hub) used for pushes and pulls between the sites. Must be HTTPS.",
    [
        E("Endpoint", short="FHIR REST endpoint of a hub or spoke"),
        E("Endpoint.connectionType", patternCoding={
            "system": "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "code": "hl7-fhir-rest"}),
        E("Endpoint.managingOrganization", min=1, type=ref(sd_url("spoke-organization")), mustSupport=True),
        E("Endpoint.address", constraint=[inv("spoke-endpoint", "endpoint-https-1", "error",
                                              "The endpoint address uses HTTPS", "startsWith('https://')")]),
    ])

# =============================================================================================
# Patient
# =============================================================================================
IDT = cs("cart-identifier-type")


def id_slice(rtype, name, code, card, system_fixed=None, short=None, extra=None):
    p = f"{rtype}.identifier:{name}"
    els = [E(p, min=card[0], max=card[1], mustSupport=True, short=short, **(extra or {})),
           E(f"{p}.type", min=1, patternCodeableConcept=cc(IDT, code))]
    if system_fixed:
        els.append(E(f"{p}.system", min=1, fixedUri=system_fixed))
    else:
        els.append(E(f"{p}.system", min=1))
    els.append(E(f"{p}.value", min=1))
    return els


SID = f"{BASE}/sid/"
profile(
    "cart-patient", "Patient",
    "CAR-T recipient",
    "A patient who received (or will receive) CAR-T cell therapy at the hub and is followed up at a spoke. Carries "
    "several identifiers (hub MRN required; spoke MRNs, national ID, passport and registry IDs optional), sliced by "
    "Identifier.type coded with cart-identifier-type; each system is described by a NamingSystem. The responsible spoke "
    "is Patient.managingOrganization. No US Core dependency. Matching: MRN pair + birth date + passport, not names.",
    [
        E("Patient", short="CAR-T recipient followed up in the hub-and-spoke network"),
        E("Patient.identifier", min=1,
          slicing=slicing("type", description="Sliced by Identifier.type (cart-identifier-type code)")),
    ]
    + id_slice("Patient", "hubMrn", "hub-mrn", (1, "1"), SID + "hub-mrn", "Hub medical record number")
    + id_slice("Patient", "spokeMrn", "spoke-mrn", (0, "*"), None, "Spoke medical record number(s)",
               {"constraint": [inv("cart-patient", "pat-spoke-mrn-1", "error",
                                   "Spoke MRN system is https://cart-ltfu.org/fhir/sid/spoke-mrn/{spoke-code}",
                                   f"system.startsWith('{SID}spoke-mrn/')")]})
    + id_slice("Patient", "nationalId", "national-id", (0, "*"), None, "National identity number (never exported)",
               {"constraint": [inv("cart-patient", "pat-national-id-1", "error",
                                   "National ID system is https://cart-ltfu.org/fhir/sid/national-id/{country}",
                                   f"system.startsWith('{SID}national-id/')")]})
    + id_slice("Patient", "passport", "passport", (0, "*"), None, "Passport number",
               {"constraint": [inv("cart-patient", "pat-passport-1", "error",
                                   "Passport system is https://cart-ltfu.org/fhir/sid/passport/{issuing-country}",
                                   f"system.startsWith('{SID}passport/')")]})
    + id_slice("Patient", "cibmtrCrid", "cibmtr-crid", (0, "1"), SID + "cibmtr-crid", "CIBMTR Research ID (CRID)")
    + id_slice("Patient", "ebmtId", "ebmt-id", (0, "1"), SID + "ebmt-id", "EBMT registry identifier")
    + [
        E("Patient.name", mustSupport=True),
        E("Patient.gender", min=1, mustSupport=True),
        E("Patient.birthDate", min=1, mustSupport=True),
        E("Patient.deceased[x]", mustSupport=True),
        E("Patient.managingOrganization", min=1, type=ref(sd_url("spoke-organization")), mustSupport=True,
          short="Spoke responsible for the follow-up"),
    ])

# =============================================================================================
# Product, infusion
# =============================================================================================
profile(
    "cart-product", "BiologicallyDerivedProduct",
    "CAR-T product (patient-specific)",
    "The patient-specific autologous CAR-T product: commercial product code (cart-product), chain-of-identity "
    "identifier (required) and manufacturer lot/batch number, linked to the patient through collection.source. "
    "BiologicallyDerivedProduct is used (not Medication) because the product is one patient's cells, maps to ISBT 128 "
    "and carries the chain of identity; the infusion Procedure points to it with the infused-product extension.",
    [
        E("BiologicallyDerivedProduct", short="Patient-specific CAR-T product"),
        E("BiologicallyDerivedProduct.identifier", min=1,
          slicing=slicing("type", description="Sliced by Identifier.type (cart-identifier-type code)")),
    ]
    + id_slice("BiologicallyDerivedProduct", "coi", "coi", (1, "1"), SID + "coi", "Chain-of-identity identifier")
    + id_slice("BiologicallyDerivedProduct", "lot", "lot", (0, "1"), None,
               "Manufacturer lot/batch number (system https://cart-ltfu.org/fhir/sid/lot/{product-code})")
    + [
        E("BiologicallyDerivedProduct.productCategory", min=1, fixedCode="cells"),
        E("BiologicallyDerivedProduct.productCode", min=1, binding=req(vs("cart-product")), mustSupport=True),
        E("BiologicallyDerivedProduct.collection", min=1, mustSupport=True),
        E("BiologicallyDerivedProduct.collection.source", min=1, type=ref(sd_url("cart-patient")),
          short="Patient whose cells were collected (autologous)"),
        E("BiologicallyDerivedProduct.collection.collected[x]", mustSupport=True, short="Apheresis date"),
    ])

profile(
    "cart-infusion", "Procedure",
    "CAR-T infusion",
    "Infusion of a CAR-T product. performedDateTime is day 0 of the follow-up (the first day if the dose is split). "
    "The hub is a performer. The infused product is referenced with the infused-product extension (R4 "
    "Procedure.usedReference cannot reference BiologicallyDerivedProduct); the product code may be repeated in "
    "usedCode. The target disease goes in reasonCode or reasonReference.",
    [
        E("Procedure", short="CAR-T infusion (day 0)",
          constraint=[inv("cart-infusion", "inf-reason-1", "error",
                          "The target disease is given in reasonCode or reasonReference",
                          "reasonCode.exists() or reasonReference.exists()")]),
        E("Procedure.extension", slicing=EXT_SLICING),
        E("Procedure.extension:infusedProduct", min=1, max="1", type=ext_type("infused-product"), mustSupport=True,
          short="The infused CAR-T product (BiologicallyDerivedProduct)"),
        E("Procedure.status", mustSupport=True),
        E("Procedure.code", min=1, patternCodeableConcept=cc(cs("cart-procedure"), "cart-infusion")),
        E("Procedure.subject", type=ref(sd_url("cart-patient"))),
        E("Procedure.performed[x]", min=1, type=[{"code": "dateTime"}], mustSupport=True,
          short="Infusion date/time = day 0"),
        E("Procedure.performer", min=1, mustSupport=True, short="Performer(s); the hub Organization is one of them"),
        E("Procedure.performer.actor", type=ref(sd_url("spoke-organization"), CORE + "Practitioner",
                                                 CORE + "PractitionerRole")),
        E("Procedure.reasonCode", mustSupport=True, short="Target disease"),
        E("Procedure.reasonReference", mustSupport=True),
        E("Procedure.usedCode", binding={"strength": "extensible", "valueSet": vs("cart-product")}),
    ])

# =============================================================================================
# AdverseEvent (CRS, ICANS)
# =============================================================================================
def toxicity_event(pid, title, event_code, grade_vs, label):
    profile(
        pid, "AdverseEvent", title,
        f"A {label} episode after CAR-T infusion, as reported on the CIBMTR 4100 and EBMT MED-A forms: onset "
        f"(AdverseEvent.detected), resolution (resolution-date extension), highest ASTCT grade of the episode "
        f"(astct-grade extension, {grade_vs} codes), therapies given (toxicity-therapy extension), outcome, and the "
        "infusion Procedure as suspect entity. Daily assessments are separate Observations.",
        [
            E("AdverseEvent", short=f"{label} episode after CAR-T"),
            E("AdverseEvent.extension", slicing=EXT_SLICING),
            E("AdverseEvent.extension:astctGrade", min=1, max="1", type=ext_type("astct-grade"), mustSupport=True,
              short="Highest ASTCT grade of the episode"),
            E("AdverseEvent.extension:astctGrade.value[x]", binding=req(vs(grade_vs))),
            E("AdverseEvent.extension:resolutionDate", min=0, max="1", type=ext_type("resolution-date"),
              mustSupport=True, short="Date the episode resolved"),
            E("AdverseEvent.extension:therapy", min=0, max="*", type=ext_type("toxicity-therapy"), mustSupport=True,
              short="Therapies given for the episode"),
            E("AdverseEvent.actuality", fixedCode="actual"),
            E("AdverseEvent.event", min=1, patternCodeableConcept=cc(cs("cart-event-type"), event_code),
              short=f"{label} (ICD-10-CM codes by grade may be added)"),
            E("AdverseEvent.subject", type=ref(sd_url("cart-patient"))),
            E("AdverseEvent.detected", min=1, mustSupport=True, short="Onset: first documented symptom"),
            E("AdverseEvent.outcome", min=1, mustSupport=True),
            E("AdverseEvent.suspectEntity", min=1, mustSupport=True),
            E("AdverseEvent.suspectEntity.instance", type=ref(sd_url("cart-infusion")),
              short="The CAR-T infusion"),
        ])


toxicity_event("crs-event", "CRS episode", "crs", "astct-crs-grade", "Cytokine release syndrome (CRS)")
toxicity_event("icans-event", "ICANS episode", "icans", "astct-icans-grade",
               "Immune effector cell-associated neurotoxicity syndrome (ICANS)")

# =============================================================================================
# Observations
# =============================================================================================
OBS = cs("cart-observation")


def obs_common(pid, code_pattern=None, code_binding=None, effective_short="Date/time of the assessment"):
    els = []
    if code_pattern:
        els.append(E("Observation.code", patternCodeableConcept=code_pattern))
    if code_binding:
        els.append(E("Observation.code", binding=code_binding))
    els += [
        E("Observation.subject", min=1, type=ref(sd_url("cart-patient")), mustSupport=True),
        E("Observation.encounter", mustSupport=True),
        E("Observation.effective[x]", min=1, type=[{"code": "dateTime"}], mustSupport=True, short=effective_short),
    ]
    return els


def comp_slicing(min_=None):
    d = {"slicing": slicing("code", description="Sliced by component code")}
    if min_ is not None:
        d["min"] = min_
    return E("Observation.component", **d)


def comp(name, system, code, card, value_type, binding=None, minv=None, maxv=None, short=None):
    p = f"Observation.component:{name}"
    els = [E(p, min=card[0], max=card[1], mustSupport=True, short=short),
           E(f"{p}.code", patternCodeableConcept=cc(system, code))]
    v = {"min": 1, "type": [{"code": value_type}]}
    if binding:
        v["binding"] = req(binding)
    if minv is not None:
        v["minValueInteger"] = minv
    if maxv is not None:
        v["maxValueInteger"] = maxv
    els.append(E(f"{p}.value[x]", **v))
    return els


ASTCT_METHOD = E("Observation.method", min=1, patternCodeableConcept=cc(cs("toxicity-grading-scale"), "astct-2019"),
                 short="Grading scale (ASTCT 2019)")


def coded(component, system):
    return (f"component.where(code.coding.where(system='{OBS}' and code='{component}').exists())"
            f".value.ofType(CodeableConcept).coding.where(system='{system}').code")


G = coded("crs-grade", cs("astct-crs-grade"))
P = coded("hypotension-support", cs("crs-pressor-support"))
O2 = coded("oxygen-support", cs("crs-o2-support"))
CRS_CONSISTENCY = (
    f"({G} = '1' implies ({P} = 'none' and {O2} = 'none')) and "
    f"({G} = '2' implies (({P} = 'fluids' or {O2} = 'low-flow') and ({P} = 'none' or {P} = 'fluids') and "
    f"({O2} = 'none' or {O2} = 'low-flow'))) and "
    f"({G} = '3' implies (({P} = 'one-pressor' or {O2} = 'high-flow-or-mask') and {P} != 'multiple-pressors' and "
    f"{O2} != 'positive-pressure')) and "
    f"({G} = '4' implies ({P} = 'multiple-pressors' or {O2} = 'positive-pressure'))")
FEVER = (f"component.where(code.coding.where(system='{OBS}' and (code='fever' or code='fever-masked')).exists())"
         ".value.ofType(boolean).where($this = true).exists()")

profile(
    "crs-assessment", "Observation",
    "CRS assessment (ASTCT)",
    "A point-in-time CRS assessment: temperature, fever (not attributable to another cause), fever masked by "
    "antipyretic/anticytokine therapy, hypotension support and oxygen support (the two ASTCT axes) and the derived "
    "ASTCT CRS grade. Grade = max(hypotension axis, hypoxia axis) in a patient with fever (or masked fever); invariant "
    "crs-grade-1 (warning) flags grades that do not follow that rule so that a clinician can confirm them.",
    [
        E("Observation", short="ASTCT CRS assessment",
          constraint=[
              inv("crs-assessment", "crs-grade-1", "warning",
                  "Grades 1-4 equal the higher of the hypotension and oxygen axes (ASTCT 2019)", CRS_CONSISTENCY),
              inv("crs-assessment", "crs-fever-1", "warning",
                  "Grades 1-4 need fever, or fever masked by antipyretic/anticytokine therapy",
                  f"({G} = '1' or {G} = '2' or {G} = '3' or {G} = '4') implies {FEVER}"),
          ]),
    ]
    + obs_common("crs-assessment", cc(OBS, "crs-assessment"))
    + [
        E("Observation.value[x]", max="0"),
        ASTCT_METHOD,
        comp_slicing(3),
    ]
    + comp("temperature", LOINC, "8310-5", (0, "1"), "Quantity", short="Highest body temperature (Cel)")
    + comp("fever", OBS, "fever", (0, "1"), "boolean", short="Fever >= 38.0 Cel not attributable to another cause")
    + comp("feverMasked", OBS, "fever-masked", (0, "1"), "boolean",
           short="Fever masked by antipyretic/anticytokine therapy")
    + comp("hypotension", OBS, "hypotension-support", (1, "1"), "CodeableConcept", vs("crs-pressor-support"),
           short="Hypotension axis")
    + comp("oxygen", OBS, "oxygen-support", (1, "1"), "CodeableConcept", vs("crs-o2-support"), short="Hypoxia axis")
    + comp("grade", OBS, "crs-grade", (1, "1"), "CodeableConcept", vs("astct-crs-grade"), short="Derived ASTCT CRS grade"))

ICE_ITEMS = [("orientation", 4), ("naming", 3), ("command", 1), ("writing", 1), ("attention", 1)]
ICE = cs("ice-item")
ICE_SUM = (f"component.where(code.coding.where(system='{ICE}' and code != 'ice-total').exists())"
           ".value.ofType(integer).aggregate($this + $total, 0)")
ice_comps = []
for item, mx in ICE_ITEMS:
    ice_comps += comp(item, ICE, item, (1, "1"), "integer", minv=0, maxv=mx, short=f"ICE item {item} (0-{mx})")
profile(
    "ice-score", "Observation",
    "ICE score",
    "Immune effector cell-associated encephalopathy (ICE) screening score (ASTCT 2019) for patients over 12: the five "
    "items as components (orientation 0-4, naming 0-3, command 0-1, writing 0-1, attention 0-1) and the total (0-10, "
    "10 = no impairment) in valueInteger. Invariant ice-total-1: the total equals the sum of the items.",
    [
        E("Observation", short="ICE score",
          constraint=[inv("ice-score", "ice-total-1", "error",
                          "The ICE total (valueInteger) equals the sum of the five item components",
                          f"value.exists() implies value.ofType(integer) = {ICE_SUM}")]),
    ]
    + obs_common("ice-score", cc(OBS, "ice-score"))
    + [
        E("Observation.value[x]", min=1, type=[{"code": "integer"}], minValueInteger=0, maxValueInteger=10,
          mustSupport=True, short="ICE total 0-10"),
        comp_slicing(5),
    ]
    + ice_comps)

profile(
    "capd-score", "Observation",
    "CAPD score",
    "Cornell Assessment of Pediatric Delirium (CAPD) total score, used instead of ICE for ICANS grading in children aged "
    "12 or under (or with developmental delay): 0-32, 9 or more corresponds to ICANS grade 3. If the child cannot "
    "perform CAPD (ICANS grade 4), leave the value empty and give dataAbsentReason.",
    [
        E("Observation", short="CAPD total score",
          constraint=[inv("capd-score", "capd-value-1", "error", "Either a CAPD score or a dataAbsentReason",
                          "value.exists() xor dataAbsentReason.exists()")]),
    ]
    + obs_common("capd-score", cc(OBS, "capd-score"))
    + [
        E("Observation.value[x]", type=[{"code": "integer"}], minValueInteger=0, maxValueInteger=32, mustSupport=True,
          short="CAPD total 0-32"),
        E("Observation.dataAbsentReason", mustSupport=True),
    ])

profile(
    "icans-assessment", "Observation",
    "ICANS assessment (ASTCT)",
    "A point-in-time ICANS assessment: ICE score (over 12) or CAPD score (12 or under), level of consciousness, seizure, "
    "motor findings, raised ICP / cerebral oedema, and the derived ASTCT ICANS grade (the most severe domain). The "
    "ICE/CAPD Observations can be linked with hasMember.",
    [
        E("Observation", short="ASTCT ICANS assessment"),
    ]
    + obs_common("icans-assessment", cc(OBS, "icans-assessment"))
    + [
        E("Observation.value[x]", max="0"),
        ASTCT_METHOD,
        E("Observation.hasMember", type=ref(sd_url("ice-score"), sd_url("capd-score"))),
        comp_slicing(1),
    ]
    + comp("iceScore", OBS, "ice-score", (0, "1"), "integer", minv=0, maxv=10, short="ICE total (over 12)")
    + comp("capdScore", OBS, "capd-score", (0, "1"), "integer", minv=0, maxv=32, short="CAPD total (12 or under)")
    + comp("consciousness", OBS, "consciousness-level", (0, "1"), "CodeableConcept", vs("icans-consciousness"))
    + comp("seizure", OBS, "seizure", (0, "1"), "CodeableConcept", vs("icans-seizure"))
    + comp("motor", OBS, "motor-finding", (0, "1"), "CodeableConcept", vs("icans-motor"))
    + comp("icp", OBS, "raised-icp", (0, "1"), "CodeableConcept", vs("icans-icp"))
    + comp("grade", OBS, "icans-grade", (1, "1"), "CodeableConcept", vs("astct-icans-grade"),
           short="Derived ASTCT ICANS grade"))

# ---------------------------------------------------------------------------------------------- labs
profile(
    "cart-lab-observation", "Observation",
    "CAR-T follow-up laboratory result",
    "Base profile for follow-up laboratory results: category laboratory, patient, effective date/time and a UCUM "
    "quantity (or a dataAbsentReason), coded with LOINC. Specialised by lab-ferritin, lab-crp, lab-anc, lab-platelets "
    "and lab-igg; used directly for any other LOINC lab (haemoglobin, creatinine, ...). The hub recognises a plain "
    "Observation that conforms to one of these profiles as such and adds the profile to meta.profile.",
    [
        E("Observation", short="Follow-up laboratory result",
          constraint=[inv("cart-lab-observation", "cart-lab-loinc-1", "error",
                          "Observation.code has a LOINC coding", f"code.coding.where(system='{LOINC}').exists()")]),
        E("Observation.category", min=1, slicing=slicing("$this", description="Sliced by category pattern")),
        E("Observation.category:laboratory", min=1, max="1",
          patternCodeableConcept=cc("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")),
    ]
    + obs_common("cart-lab-observation", effective_short="Specimen collection date/time")
    + [
        E("Observation.value[x]", type=[{"code": "Quantity"}], mustSupport=True),
        E("Observation.value[x].value", min=1),
        E("Observation.value[x].system", min=1, fixedUri=UCUM),
        E("Observation.value[x].code", min=1),
    ])


def lab(pid, title, description, code_pattern=None, code_vs=None, codes=None):
    if code_pattern:
        els = [E("Observation", short=title),
               E("Observation.code", patternCodeableConcept=code_pattern)]
    else:
        # A required binding to a LOINC value set cannot be checked offline (LOINC is not loaded: HAPI reports
        # "CodeSystem is unknown" as an error), so the allowed codes are enforced with an invariant and the value
        # set is bound as 'preferred' for documentation.
        alts = " or ".join(f"code='{c}'" for c in codes)
        els = [E("Observation", short=title,
                 constraint=[inv(pid, f"{pid}-code-1", "error",
                                 f"Observation.code has a LOINC coding from {code_vs} ({', '.join(codes)})",
                                 f"code.coding.where(system='{LOINC}' and ({alts})).exists()")]),
               E("Observation.code", binding={"strength": "preferred", "valueSet": code_vs})]
    profile(pid, "Observation", title, description, els, base=sd_url("cart-lab-observation"))


lab("lab-ferritin", "Ferritin",
    "Serum/plasma (or blood) ferritin, LOINC 2276-4, 20567-4 or 24373-3; UCUM units such as ug/L or ng/mL. Used for "
    "CRS and IEC-HS monitoring.", code_vs=vs("ferritin-codes"), codes=["2276-4", "20567-4", "24373-3"])
lab("lab-crp", "C-reactive protein", "Serum/plasma C-reactive protein, LOINC 1988-5; UCUM units such as mg/L.",
    code_pattern=cc(LOINC, "1988-5"))
lab("lab-anc", "Absolute neutrophil count",
    "Absolute neutrophil count, LOINC 26499-4, 751-8 (automated) or 753-4 (manual); UCUM 10*9/L. Used for "
    "haematological recovery and ICAHT.", code_vs=vs("anc-codes"), codes=["26499-4", "751-8", "753-4"])
lab("lab-platelets", "Platelet count",
    "Platelet count, LOINC 26515-7, 777-3 (automated) or 778-1 (manual); UCUM 10*9/L. Used for T-ICAHT.",
    code_vs=vs("platelet-codes"), codes=["26515-7", "777-3", "778-1"])
lab("lab-igg", "Immunoglobulin G",
    "Serum/plasma IgG, LOINC 2465-3; UCUM g/L or mg/dL. An IgG within 30 days after IVIG is not native: record the IVIG "
    "as a MedicationAdministration.", code_pattern=cc(LOINC, "2465-3"))

# ---------------------------------------------------------------------------------------------- outcomes
profile(
    "disease-response", "Observation",
    "Disease response",
    "Response of the disease treated with CAR-T: code disease-response (at the assessment date) or best-response (best "
    "since infusion, as on the CIBMTR/EBMT forms). The response criteria used (e.g. Lugano 2014, IMWG) go in method.",
    [E("Observation", short="Disease response")]
    + obs_common("disease-response", code_binding=req(vs("response-observation-codes")))
    + [
        E("Observation.value[x]", min=1, type=[{"code": "CodeableConcept"}], binding=req(vs("disease-response")),
          mustSupport=True),
        E("Observation.method", mustSupport=True, short="Response criteria used"),
    ])

profile(
    "survival-status", "Observation",
    "Survival status",
    "Vital status at a follow-up contact (effective = contact date); if dead, the cause of death as a component and "
    "Patient.deceasedDateTime on the Patient.",
    [E("Observation", short="Survival status",
       constraint=[inv("survival-status", "surv-cause-1", "warning", "A death should have a cause of death component",
                       f"value.ofType(CodeableConcept).coding.where(system='{cs('survival-status')}' and code='dead')"
                       f".exists() implies component.where(code.coding.where(system='{OBS}' and code='cause-of-death')"
                       ".exists()).exists()")])]
    + obs_common("survival-status", cc(OBS, "survival-status"), effective_short="Contact date")
    + [
        E("Observation.value[x]", min=1, type=[{"code": "CodeableConcept"}], binding=req(vs("survival-status")),
          mustSupport=True),
        comp_slicing(),
    ]
    + comp("causeOfDeath", OBS, "cause-of-death", (0, "1"), "CodeableConcept", vs("cause-of-death")))

profile(
    "cart-persistence", "Observation",
    "CAR-T persistence",
    "Detection of CAR-T cells or the CAR transgene in a patient sample (CIBMTR 4100): result (detected / not detected "
    "/ indeterminate), method (PCR, flow cytometry, immunohistochemistry) and sample date. Also used to record CAR "
    "transgene testing of a new malignancy (link it from Condition.evidence.detail).",
    [E("Observation", short="CAR-T persistence")]
    + obs_common("cart-persistence", cc(OBS, "cart-persistence"), effective_short="Sample date")
    + [
        E("Observation.value[x]", min=1, type=[{"code": "CodeableConcept"}], binding=req(vs("detection-result")),
          mustSupport=True),
        E("Observation.method", min=1, binding=req(vs("persistence-method")), mustSupport=True),
        E("Observation.specimen", mustSupport=True),
    ])

# =============================================================================================
# Condition, Encounter, Provenance, Consent
# =============================================================================================
profile(
    "new-malignancy", "Condition",
    "New malignancy after CAR-T",
    "A new malignancy diagnosed after CAR-T infusion that is not relapse or progression of the treated disease "
    "(CIBMTR 3500). Triggers CAR-transgene testing (FDA boxed warning 2024): link the result (cart-persistence "
    "Observation) in evidence.detail.",
    [
        E("Condition", short="New malignancy after CAR-T"),
        E("Condition.clinicalStatus", min=1, mustSupport=True),
        E("Condition.verificationStatus", min=1, mustSupport=True),
        E("Condition.category", min=1, slicing=slicing("$this", description="Sliced by category pattern")),
        E("Condition.category:newMalignancy", min=1, max="1",
          patternCodeableConcept=cc(cs("cart-event-type"), "new-malignancy")),
        E("Condition.code", min=1, mustSupport=True, short="The malignancy (coding and/or text)"),
        E("Condition.subject", type=ref(sd_url("cart-patient"))),
        E("Condition.onset[x]", min=1, type=[{"code": "dateTime"}], mustSupport=True, short="Date of diagnosis"),
        E("Condition.evidence", mustSupport=True),
    ])

profile(
    "followup-visit", "Encounter",
    "LTFU follow-up visit",
    "A long-term follow-up contact at a spoke (or the hub), tagged with its nominal time point (ltfu-timepoint code in "
    "Encounter.type, e.g. D100, M6, Y1). The contact date is period.start; the serviceProvider is the site.",
    [
        E("Encounter", short="LTFU follow-up visit"),
        E("Encounter.type", min=1, slicing=slicing("coding.system", type_="value",
                                                   description="Sliced by code system of the coding")),
        E("Encounter.type:timepoint", min=1, max="1", mustSupport=True, binding=req(vs("ltfu-timepoint")),
          short="LTFU time point (D7 ... Y15)"),
        E("Encounter.type:timepoint.coding", min=1),
        E("Encounter.type:timepoint.coding.system", min=1, fixedUri=cs("ltfu-timepoint")),
        E("Encounter.type:timepoint.coding.code", min=1),
        E("Encounter.subject", min=1, type=ref(sd_url("cart-patient")), mustSupport=True),
        E("Encounter.period", min=1, mustSupport=True),
        E("Encounter.period.start", min=1, short="Contact date"),
        E("Encounter.serviceProvider", min=1, type=ref(sd_url("spoke-organization")), mustSupport=True),
    ])

profile(
    "cart-provenance", "Provenance",
    "Spoke data provenance",
    "Provenance of data pushed by a spoke (or entered at the hub): the targets, when it was recorded, and the site "
    "Organization that authored it (agent slice 'site', type author). Every spoke push writes one.",
    [
        E("Provenance", short="Provenance of pushed data"),
        E("Provenance.agent", slicing=slicing("type", description="Sliced by agent type")),
        E("Provenance.agent:site", min=1, max="1", mustSupport=True, short="The site (hub or spoke) that authored the data"),
        E("Provenance.agent:site.type", min=1, patternCodeableConcept=cc(
            "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author")),
        E("Provenance.agent:site.who", type=ref(sd_url("spoke-organization"))),
    ])

profile(
    "research-consent", "Consent",
    "Research consent",
    "The patient's consent to the use and cross-border transfer of follow-up data for research and registry "
    "reporting. scope = research; policyRule = the data-protection regime under which consent was taken "
    "(jurisdiction-policy); further regimes that apply (e.g. the spoke country) as policy.uri "
    "https://cart-ltfu.org/fhir/policy/{code}. Exports are gated on an active Consent.",
    [
        E("Consent", short="Research / registry consent"),
        E("Consent.status", mustSupport=True),
        E("Consent.scope", patternCodeableConcept=cc("http://terminology.hl7.org/CodeSystem/consentscope", "research")),
        E("Consent.category", slicing=slicing("$this", description="Sliced by category pattern")),
        E("Consent.category:research", min=1, max="1",
          patternCodeableConcept=cc("http://terminology.hl7.org/CodeSystem/consentcategorycodes", "research")),
        E("Consent.patient", min=1, type=ref(sd_url("cart-patient")), mustSupport=True),
        E("Consent.dateTime", min=1, mustSupport=True),
        E("Consent.organization", min=1, type=ref(sd_url("spoke-organization")), mustSupport=True),
        E("Consent.policy", mustSupport=True),
        E("Consent.policyRule", min=1, binding=req(vs("jurisdiction-policy")), mustSupport=True,
          short="Data-protection regime under which consent was taken"),
        E("Consent.provision", min=1, mustSupport=True),
        E("Consent.provision.type", min=1),
    ])


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.startswith("StructureDefinition-") and f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    for r in RESOURCES:
        # drop None-valued keys (e.g. short=None)
        for el in r["differential"]["element"]:
            for k in [k for k, v in el.items() if v is None]:
                del el[k]
        path = os.path.join(OUT, f"{r['resourceType']}-{r['id']}.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(r, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    print(f"wrote {len(RESOURCES)} StructureDefinitions to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
