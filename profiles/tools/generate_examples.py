#!/usr/bin/env python3
"""Generates the example patient journey (one FHIR transaction Bundle) into ../src/main/fhir/examples and the invalid
examples (+ expected.json) into ../src/test/resources/invalid. Re-run after changing profiles.

Journey: a Vietnamese patient with relapsed DLBCL, managed by the spoke Bach Mai Hospital (vn-bachmai), receives
Yescarta at the hub Singapore General Hospital (sg-sgh) on 2024-03-04 (day 0); CRS grade 2 (day 1-5, tocilizumab),
ICANS grade 2 (day 6-9, dexamethasone); labs; follow-up visits D100, M6, Y1, Y2 at the spoke; consent; provenance.
"""
import copy
import json
import os
import uuid

BASE = "https://cart-ltfu.org/fhir"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_EX = os.path.join(HERE, "..", "src", "main", "fhir", "examples")
OUT_INV = os.path.join(HERE, "..", "src", "test", "resources", "invalid")
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"


def sd(i):
    return f"{BASE}/StructureDefinition/{i}"


def cs(i):
    return f"{BASE}/CodeSystem/{i}"


def sid(i):
    return f"{BASE}/sid/{i}"


def urn(name):
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/example/{name}"))


def coding(system, code, display=None):
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def concept(system, code, display=None, text=None):
    c = {"coding": [coding(system, code, display)]}
    if text:
        c["text"] = text
    return c


def ref(name, display=None):
    r = {"reference": urn(name)}
    if display:
        r["display"] = display
    return r


def meta(profile_id):
    return {"profile": [sd(profile_id)]}


def ident(type_code, type_display, system, value, v2=None):
    codings = []
    if v2:
        codings.append(coding(V2_0203, v2[0], v2[1]))
    codings.append(coding(cs("cart-identifier-type"), type_code, type_display))
    return {"type": {"coding": codings}, "system": system, "value": value}


ENTRIES = []
NAMES = {}


def add(name, resource, if_none_exist=None):
    NAMES[urn(name)] = name
    req = {"method": "POST", "url": resource["resourceType"]}
    if if_none_exist:
        req["ifNoneExist"] = if_none_exist
    ENTRIES.append({"fullUrl": urn(name), "resource": resource, "request": req})
    return resource


TZ_SG = "+08:00"
TZ_VN = "+07:00"

# ----------------------------------------------------------------------------------------- sites
add("org-hub", {
    "resourceType": "Organization", "meta": meta("spoke-organization"),
    "identifier": [{"system": sid("site"), "value": "sg-sgh"}],
    "active": True,
    "type": [concept("http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider")],
    "name": "Singapore General Hospital",
    "address": [{"city": "Singapore", "country": "SG"}],
}, f"identifier={sid('site')}|sg-sgh")

add("org-spoke", {
    "resourceType": "Organization", "meta": meta("spoke-organization"),
    "identifier": [{"system": sid("site"), "value": "vn-bachmai"}],
    "active": True,
    "type": [concept("http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider")],
    "name": "Bach Mai Hospital",
    "alias": ["Bệnh viện Bạch Mai"],
    "address": [{"city": "Hà Nội", "country": "VN"}],
    "endpoint": [ref("endpoint-spoke")],
}, f"identifier={sid('site')}|vn-bachmai")

add("endpoint-spoke", {
    "resourceType": "Endpoint", "meta": meta("spoke-endpoint"),
    "status": "active",
    "connectionType": coding("http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest"),
    "name": "Bach Mai Hospital FHIR endpoint",
    "managingOrganization": ref("org-spoke"),
    "payloadType": [concept("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "any", "Any")],
    "payloadMimeType": ["application/fhir+json"],
    "address": "https://fhir.bachmai.example.org/fhir",
})

# ----------------------------------------------------------------------------------------- patient
HUB_MRN = "SGH-2024-000731"
patient = add("patient", {
    "resourceType": "Patient", "meta": meta("cart-patient"),
    "identifier": [
        ident("hub-mrn", "Hub medical record number", sid("hub-mrn"), HUB_MRN, ("MR", "Medical record number")),
        ident("spoke-mrn", "Spoke medical record number", sid("spoke-mrn/vn-bachmai"), "BM-23-558812",
              ("MR", "Medical record number")),
        ident("passport", "Passport number", sid("passport/vn"), "C1234567", ("PPN", "Passport number")),
        ident("cibmtr-crid", "CIBMTR Research ID (CRID)", sid("cibmtr-crid"), "4821937705"),
    ],
    "name": [{"use": "official", "text": "Nguyễn Văn An", "family": "Nguyễn", "given": ["Văn", "An"]}],
    "gender": "male",
    "birthDate": "1968-05-14",
    "address": [{"city": "Hà Nội", "country": "VN"}],
    "communication": [{"language": concept("urn:ietf:bcp:47", "vi", "Vietnamese"), "preferred": True}],
    "managingOrganization": ref("org-spoke", "Bach Mai Hospital"),
}, f"identifier={sid('hub-mrn')}|{HUB_MRN}")

add("consent", {
    "resourceType": "Consent", "meta": meta("research-consent"),
    "status": "active",
    "scope": concept("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"),
    "category": [concept("http://terminology.hl7.org/CodeSystem/consentcategorycodes", "research", "Research Information Access")],
    "patient": ref("patient"),
    "dateTime": "2024-02-20T10:00:00" + TZ_SG,
    "organization": [ref("org-hub", "Singapore General Hospital")],
    "policy": [{"uri": f"{BASE}/policy/vn-pdpl"}],
    "policyRule": concept(cs("jurisdiction-policy"), "sg-pdpa", "Singapore PDPA"),
    "provision": {
        "type": "permit",
        "period": {"start": "2024-02-20", "end": "2039-03-04"},
        "purpose": [coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", "healthcare research")],
    },
})

# ----------------------------------------------------------------------------------------- product, infusion
COI = "COI-KTE-24-0042-SGH"
add("product", {
    "resourceType": "BiologicallyDerivedProduct", "meta": meta("cart-product"),
    "identifier": [
        ident("coi", "Chain-of-identity identifier", sid("coi"), COI),
        ident("lot", "Manufacturing lot / batch number", sid("lot/yescarta"), "KT24A0193"),
    ],
    "productCategory": "cells",
    "productCode": concept(cs("cart-product"), "yescarta", "Yescarta", "Yescarta (axicabtagene ciloleucel)"),
    "quantity": 1,
    "collection": {"source": ref("patient"), "collectedDateTime": "2024-02-01T09:00:00" + TZ_SG},
}, f"identifier={sid('coi')}|{COI}")

add("infusion", {
    "resourceType": "Procedure", "meta": meta("cart-infusion"),
    "extension": [{"url": sd("infused-product"), "valueReference": ref("product", "Yescarta " + COI)}],
    "status": "completed",
    "code": concept(cs("cart-procedure"), "cart-infusion", "CAR-T cell infusion"),
    "subject": ref("patient"),
    "performedDateTime": "2024-03-04T10:30:00" + TZ_SG,
    "performer": [{"actor": ref("org-hub", "Singapore General Hospital")}],
    "reasonCode": [{"text": "Relapsed diffuse large B-cell lymphoma after two lines of systemic therapy"}],
    "usedCode": [concept(cs("cart-product"), "yescarta", "Yescarta")],
})

# ----------------------------------------------------------------------------------------- CRS
OBS = cs("cart-observation")
METHOD = concept(cs("toxicity-grading-scale"), "astct-2019", "ASTCT consensus 2019")


def crs_assessment(name, when, temp, fever, masked, pressor, o2, grade):
    comps = [
        {"code": concept(LOINC, "8310-5", "Body temperature"),
         "valueQuantity": {"value": temp, "unit": "°C", "system": UCUM, "code": "Cel"}},
        {"code": concept(OBS, "fever"), "valueBoolean": fever},
        {"code": concept(OBS, "fever-masked"), "valueBoolean": masked},
        {"code": concept(OBS, "hypotension-support"), "valueCodeableConcept": concept(cs("crs-pressor-support"), pressor)},
        {"code": concept(OBS, "oxygen-support"), "valueCodeableConcept": concept(cs("crs-o2-support"), o2)},
        {"code": concept(OBS, "crs-grade"), "valueCodeableConcept": concept(cs("astct-crs-grade"), grade)},
    ]
    return add(name, {
        "resourceType": "Observation", "meta": meta("crs-assessment"),
        "status": "final",
        "code": concept(OBS, "crs-assessment", "CRS assessment (ASTCT)"),
        "subject": ref("patient"),
        "effectiveDateTime": when,
        "method": METHOD,
        "component": comps,
    })


crs_assessment("crs-d1", "2024-03-05T06:00:00" + TZ_SG, 38.6, True, False, "none", "none", "1")
crs_assessment("crs-d2", "2024-03-06T08:00:00" + TZ_SG, 39.1, True, False, "fluids", "low-flow", "2")
crs_assessment("crs-d3", "2024-03-07T08:00:00" + TZ_SG, 37.4, False, True, "fluids", "low-flow", "2")

crs_event = add("crs-event", {
    "resourceType": "AdverseEvent", "meta": meta("crs-event"),
    "extension": [
        {"url": sd("astct-grade"), "valueCodeableConcept": concept(cs("astct-crs-grade"), "2", "CRS grade 2")},
        {"url": sd("resolution-date"), "valueDateTime": "2024-03-09"},
        {"url": sd("toxicity-therapy"),
         "valueCodeableConcept": concept(cs("crs-therapy"), "tocilizumab", "Tocilizumab", "Tocilizumab 8 mg/kg IV")},
    ],
    "actuality": "actual",
    "event": {"coding": [coding(cs("cart-event-type"), "crs", "Cytokine release syndrome"),
                         coding(ICD10CM, "D89.832", "Cytokine release syndrome, grade 2")]},
    "subject": ref("patient"),
    "detected": "2024-03-05T02:00:00" + TZ_SG,
    "recordedDate": "2024-03-05T09:00:00" + TZ_SG,
    "outcome": concept("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "resolved", "Resolved"),
    "recorder": {"display": "CAR-T ward, Singapore General Hospital"},
    "suspectEntity": [{"instance": ref("infusion")}],
})

# ----------------------------------------------------------------------------------------- ICANS
ICE = cs("ice-item")


def ice(name, when, o, n, c, w, a):
    return add(name, {
        "resourceType": "Observation", "meta": meta("ice-score"),
        "status": "final",
        "code": {"coding": [coding(OBS, "ice-score", "ICE score"), coding(ICE, "ice-total", "ICE score total")]},
        "subject": ref("patient"),
        "effectiveDateTime": when,
        "valueInteger": o + n + c + w + a,
        "component": [
            {"code": concept(ICE, "orientation"), "valueInteger": o},
            {"code": concept(ICE, "naming"), "valueInteger": n},
            {"code": concept(ICE, "command"), "valueInteger": c},
            {"code": concept(ICE, "writing"), "valueInteger": w},
            {"code": concept(ICE, "attention"), "valueInteger": a},
        ],
    })


ice("ice-d6", "2024-03-10T09:00:00" + TZ_SG, 3, 3, 1, 0, 0)
ice("ice-d7", "2024-03-11T09:00:00" + TZ_SG, 2, 2, 1, 0, 0)
ice("ice-d9", "2024-03-13T09:00:00" + TZ_SG, 4, 3, 1, 1, 1)

add("icans-d7", {
    "resourceType": "Observation", "meta": meta("icans-assessment"),
    "status": "final",
    "code": concept(OBS, "icans-assessment", "ICANS assessment (ASTCT)"),
    "subject": ref("patient"),
    "effectiveDateTime": "2024-03-11T09:15:00" + TZ_SG,
    "method": METHOD,
    "hasMember": [ref("ice-d7")],
    "component": [
        {"code": concept(OBS, "ice-score"), "valueInteger": 5},
        {"code": concept(OBS, "consciousness-level"), "valueCodeableConcept": concept(cs("icans-consciousness"), "awakens-to-voice")},
        {"code": concept(OBS, "seizure"), "valueCodeableConcept": concept(cs("icans-seizure"), "none")},
        {"code": concept(OBS, "motor-finding"), "valueCodeableConcept": concept(cs("icans-motor"), "none")},
        {"code": concept(OBS, "raised-icp"), "valueCodeableConcept": concept(cs("icans-icp"), "none")},
        {"code": concept(OBS, "icans-grade"), "valueCodeableConcept": concept(cs("astct-icans-grade"), "2", "ICANS grade 2")},
    ],
})

add("icans-event", {
    "resourceType": "AdverseEvent", "meta": meta("icans-event"),
    "extension": [
        {"url": sd("astct-grade"), "valueCodeableConcept": concept(cs("astct-icans-grade"), "2", "ICANS grade 2")},
        {"url": sd("resolution-date"), "valueDateTime": "2024-03-13"},
        {"url": sd("toxicity-therapy"),
         "valueCodeableConcept": concept(cs("crs-therapy"), "corticosteroid", "Corticosteroid",
                                         "Dexamethasone 10 mg IV every 6 hours")},
    ],
    "actuality": "actual",
    "event": {"coding": [coding(cs("cart-event-type"), "icans", "Immune effector cell-associated neurotoxicity syndrome"),
                         coding(ICD10CM, "G92.02", "Immune effector cell-associated neurotoxicity syndrome, grade 2")]},
    "subject": ref("patient"),
    "detected": "2024-03-10T07:30:00" + TZ_SG,
    "recordedDate": "2024-03-10T10:00:00" + TZ_SG,
    "outcome": concept("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "resolved", "Resolved"),
    "suspectEntity": [{"instance": ref("infusion")}],
})

# ----------------------------------------------------------------------------------------- visits
VISITS = {"D100": "2024-06-12", "M6": "2024-09-04", "Y1": "2025-03-04", "Y2": "2026-03-05"}
for tp, day in VISITS.items():
    add(f"visit-{tp}", {
        "resourceType": "Encounter", "meta": meta("followup-visit"),
        "status": "finished",
        "class": coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
        "type": [concept(cs("ltfu-timepoint"), tp)],
        "subject": ref("patient"),
        "period": {"start": f"{day}T08:30:00{TZ_VN}", "end": f"{day}T11:00:00{TZ_VN}"},
        "serviceProvider": ref("org-spoke", "Bach Mai Hospital"),
    })

# ----------------------------------------------------------------------------------------- labs
LAB_CAT = [concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")]


def lab(name, profile_id, code, display, when, value, unit, tz=TZ_SG, visit=None):
    r = {
        "resourceType": "Observation", "meta": meta(profile_id),
        "status": "final",
        "category": copy.deepcopy(LAB_CAT),
        "code": concept(LOINC, code, display),
        "subject": ref("patient"),
    }
    if visit:
        r["encounter"] = ref(visit)
    r["effectiveDateTime"] = when + tz
    r["valueQuantity"] = {"value": value, "unit": unit, "system": UCUM, "code": unit}
    return add(name, r)


lab("ferritin-d1", "lab-ferritin", "2276-4", "Ferritin [Mass/volume] in Serum or Plasma", "2024-03-05T06:00:00", 1250, "ug/L")
lab("crp-d1", "lab-crp", "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "2024-03-05T06:00:00", 86, "mg/L")
lab("crp-d3", "lab-crp", "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "2024-03-07T06:00:00", 142, "mg/L")
lab("anc-d28", "lab-anc", "751-8", "Neutrophils [#/volume] in Blood by Automated count", "2024-04-01T08:00:00", 0.9, "10*9/L")
lab("plt-d28", "lab-platelets", "777-3", "Platelets [#/volume] in Blood by Automated count", "2024-04-01T08:00:00", 62, "10*9/L")
lab("anc-d100", "lab-anc", "751-8", "Neutrophils [#/volume] in Blood by Automated count", "2024-06-12T08:45:00", 1.8,
    "10*9/L", TZ_VN, "visit-D100")
lab("plt-d100", "lab-platelets", "777-3", "Platelets [#/volume] in Blood by Automated count", "2024-06-12T08:45:00", 134,
    "10*9/L", TZ_VN, "visit-D100")
lab("igg-d100", "lab-igg", "2465-3", "IgG [Mass/volume] in Serum or Plasma", "2024-06-12T08:45:00", 4.2, "g/L", TZ_VN,
    "visit-D100")
lab("igg-m6", "lab-igg", "2465-3", "IgG [Mass/volume] in Serum or Plasma", "2024-09-04T08:45:00", 5.0, "g/L", TZ_VN,
    "visit-M6")
lab("anc-y1", "lab-anc", "751-8", "Neutrophils [#/volume] in Blood by Automated count", "2025-03-04T08:45:00", 2.6,
    "10*9/L", TZ_VN, "visit-Y1")

# ----------------------------------------------------------------------------------------- outcomes
add("best-response-d100", {
    "resourceType": "Observation", "meta": meta("disease-response"),
    "status": "final",
    "code": concept(OBS, "best-response", "Best response since infusion"),
    "subject": ref("patient"),
    "encounter": ref("visit-D100"),
    "effectiveDateTime": "2024-06-12T10:00:00" + TZ_VN,
    "valueCodeableConcept": concept(cs("disease-response"), "complete-response", "Complete response / remission"),
    "method": {"text": "Lugano 2014 (PET-CT Deauville 2)"},
})
add("response-y1", {
    "resourceType": "Observation", "meta": meta("disease-response"),
    "status": "final",
    "code": concept(OBS, "disease-response", "Disease response"),
    "subject": ref("patient"),
    "encounter": ref("visit-Y1"),
    "effectiveDateTime": "2025-03-04T10:00:00" + TZ_VN,
    "valueCodeableConcept": concept(cs("disease-response"), "complete-response", "Complete response / remission"),
    "method": {"text": "Lugano 2014 (CT)"},
})
add("persistence-m6", {
    "resourceType": "Observation", "meta": meta("cart-persistence"),
    "status": "final",
    "code": concept(OBS, "cart-persistence", "CAR-T cell persistence"),
    "subject": ref("patient"),
    "encounter": ref("visit-M6"),
    "effectiveDateTime": "2024-09-04T08:45:00" + TZ_VN,
    "valueCodeableConcept": concept(cs("detection-result"), "detected", "Detected"),
    "method": concept(cs("persistence-method"), "flow-cytometry", "Flow cytometry"),
})
add("malignancy-y2", {
    "resourceType": "Condition", "meta": meta("new-malignancy"),
    "clinicalStatus": concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
    "verificationStatus": concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
    "category": [concept(cs("cart-event-type"), "new-malignancy", "New malignancy after CAR-T")],
    "code": {"text": "Basal cell carcinoma of skin, left forearm (histology confirmed)"},
    "subject": ref("patient"),
    "encounter": ref("visit-Y2"),
    "onsetDateTime": "2026-02-20",
    "note": [{"text": "Not CAR-positive; manufacturer informed per boxed-warning procedure."}],
})
add("survival-y2", {
    "resourceType": "Observation", "meta": meta("survival-status"),
    "status": "final",
    "code": concept(OBS, "survival-status", "Survival status"),
    "subject": ref("patient"),
    "encounter": ref("visit-Y2"),
    "effectiveDateTime": "2026-03-05T09:00:00" + TZ_VN,
    "valueCodeableConcept": concept(cs("survival-status"), "alive", "Alive"),
})

# ----------------------------------------------------------------------------------------- provenance
add("provenance-d100", {
    "resourceType": "Provenance", "meta": meta("cart-provenance"),
    "target": [ref("visit-D100"), ref("anc-d100"), ref("plt-d100"), ref("igg-d100"), ref("best-response-d100")],
    "recorded": "2024-06-12T15:00:00" + TZ_VN,
    "activity": concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create"),
    "agent": [{
        "type": concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"),
        "who": ref("org-spoke", "Bach Mai Hospital"),
    }],
})

BUNDLE = {
    "resourceType": "Bundle",
    "id": "journey-example",
    "type": "transaction",
    "entry": ENTRIES,
}


# ============================================================================================ invalid examples
def standalone(name):
    """A resource of the journey with urn:uuid references replaced by relative ones (as stored by a server)."""
    for e in ENTRIES:
        if e["fullUrl"] == urn(name):
            r = copy.deepcopy(e["resource"])
            break
    else:
        raise KeyError(name)
    lookup = {en["fullUrl"]: f"{en['resource']['resourceType']}/{n}" for n, en in
              ((name_of(en), en) for en in ENTRIES)}

    def fix(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == "reference" and isinstance(v, str) and v in lookup:
                    o[k] = lookup[v]
                else:
                    fix(v)
        elif isinstance(o, list):
            for v in o:
                fix(v)
    fix(r)
    r["id"] = "invalid-" + name
    return dict([("resourceType", r.pop("resourceType")), ("id", r.pop("id"))] + list(r.items()))


def name_of(entry):
    return NAMES[entry["fullUrl"]]


INVALID = {}


def invalid(file, resource, path, message, severity=None):
    exp = {"path": path, "messageContains": message}
    if severity:
        exp["severity"] = severity
    INVALID[file] = (resource, exp)


def build_invalid():
    # 1. ICE total != sum of items
    r = standalone("ice-d7")
    r["valueInteger"] = 6
    invalid("Observation-ice-total-mismatch.json", r, "Observation", "ice-total-1")
    # 2. ICE item out of range (orientation 5 > 4)
    r = standalone("ice-d9")
    r["component"][0]["valueInteger"] = 5
    r["valueInteger"] = 11
    invalid("Observation-ice-item-out-of-range.json", r, "Observation.component[0].value.ofType(integer)",
            "greater than permitted maximum value")
    # 3. CRS event without grade
    r = standalone("crs-event")
    r["extension"] = [x for x in r["extension"] if x["url"] != sd("astct-grade")]
    invalid("AdverseEvent-crs-without-grade.json", r, "AdverseEvent", "astctGrade")
    # 4. grade code not in the CodeSystem
    r = standalone("crs-event")
    r["extension"][0]["valueCodeableConcept"] = concept(cs("astct-crs-grade"), "6")
    invalid("AdverseEvent-crs-grade-unknown-code.json", r, "AdverseEvent.extension[0].value.ofType(CodeableConcept)",
            "astct-crs-grade#6")
    # 5. ICANS event graded with a CRS grade
    r = standalone("icans-event")
    r["extension"][0]["valueCodeableConcept"] = concept(cs("astct-crs-grade"), "2")
    invalid("AdverseEvent-icans-with-crs-grade.json", r, "AdverseEvent.extension[0].value.ofType(CodeableConcept)",
            "astct-icans-grade")
    # 6. CRS event without onset
    r = standalone("crs-event")
    del r["detected"]
    invalid("AdverseEvent-crs-without-onset.json", r, "AdverseEvent", "AdverseEvent.detected")
    # 7. Patient without hub MRN
    r = standalone("patient")
    r["identifier"] = [i for i in r["identifier"] if i["system"] != sid("hub-mrn")]
    invalid("Patient-without-hub-mrn.json", r, "Patient", "hubMrn")
    # 8. Patient without responsible spoke
    r = standalone("patient")
    del r["managingOrganization"]
    invalid("Patient-without-managing-organization.json", r, "Patient", "Patient.managingOrganization")
    # 9. Patient spoke MRN with a wrong system
    r = standalone("patient")
    r["identifier"][1]["system"] = "urn:oid:1.2.3.4"
    invalid("Patient-spoke-mrn-bad-system.json", r, "Patient.identifier[1]", "pat-spoke-mrn-1")
    # 10. Infusion without product
    r = standalone("infusion")
    del r["extension"]
    invalid("Procedure-infusion-without-product.json", r, "Procedure", "infusedProduct")
    # 11. CRS assessment with an unknown pressor code
    r = standalone("crs-d2")
    r["component"][3]["valueCodeableConcept"] = concept(cs("crs-pressor-support"), "two-pressors")
    invalid("Observation-crs-assessment-bad-pressor.json", r,
            "Observation.component[3].value.ofType(CodeableConcept)", "crs-pressor-support#two-pressors")
    # 11b. CRS grade that does not follow the ASTCT axes (grade 3 with fluids + low-flow O2): warning for review
    r = standalone("crs-d2")
    r["component"][5]["valueCodeableConcept"] = concept(cs("astct-crs-grade"), "3")
    invalid("Observation-crs-assessment-grade-inconsistent.json", r, "Observation", "crs-grade-1", "warning")
    # 12. Follow-up visit without time point
    r = standalone("visit-D100")
    del r["type"]
    invalid("Encounter-visit-without-timepoint.json", r, "Encounter", "Encounter.type")
    # 12b. Follow-up visit with a time point code that is not in the CodeSystem
    r = standalone("visit-M6")
    r["type"][0]["coding"][0]["code"] = "M9"
    invalid("Encounter-visit-unknown-timepoint.json", r, "Encounter.type[0]", "ltfu-timepoint#M9")
    # 13. Ferritin with a LOINC code outside the ferritin value set (CRP code)
    r = standalone("ferritin-d1")
    r["code"] = concept(LOINC, "1988-5")
    invalid("Observation-ferritin-wrong-code.json", r, "Observation", "lab-ferritin-code-1")
    # 14. Consent with a non-research scope
    r = standalone("consent")
    r["scope"] = concept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment")
    invalid("Consent-not-research.json", r, "Consent.scope", "research")


def main():
    os.makedirs(OUT_EX, exist_ok=True)
    os.makedirs(OUT_INV, exist_ok=True)
    with open(os.path.join(OUT_EX, "Bundle-journey-example.json"), "w", encoding="utf-8") as fh:
        json.dump(BUNDLE, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    for f in os.listdir(OUT_INV):
        if f.endswith(".json"):
            os.remove(os.path.join(OUT_INV, f))
    build_invalid()
    expected = {}
    for file, (res, exp) in INVALID.items():
        with open(os.path.join(OUT_INV, file), "w", encoding="utf-8") as fh:
            json.dump(res, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        expected[file] = exp
    with open(os.path.join(OUT_INV, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print(f"journey: {len(ENTRIES)} entries; invalid examples: {len(INVALID)}")


if __name__ == "__main__":
    main()
